/*
 * cmci_storm.c - CMCI storm policies: when a CPU or bank is in a storm,
 * what it does to CMCI, how often it polls meanwhile, and when the storm
 * is over.
 *
 * Each policy is one row of storm_policies[]: the normal poll intervals,
 * the detector (none, CMCIs per window on a CPU, or set bits in a bank's
 * history), the storm's poll interval, the end rule and what happens to
 * CMCI. The code below only interprets the row, so comparing the policies
 * with their sources (Linux's mce/core.c poller, mce/intel.c and
 * mce/threshold.c storm code; Xen's intel-nonfatal.c, whose poller itself is
 * mce_nonfatal.c's) means reading the table.
 *
 * Simplification of linux-2.6 (documented in docs/POLICIES.md): Linux
 * marks a CPU whose storm subsided, polls it every 30 s, and re-enables
 * CMCI only when every CPU has subsided. Here each CPU ends its own storm
 * after 300 consecutive clean polls: it turns CMCI back on in its banks
 * and returns to the normal poll interval at once.
 *
 * Per-CPU state lives in struct hv_cpu (hv_storm_cpu), never here: the
 * file holds only const tables.
 */
#include <stdio.h>
#include <string.h>

#include "arch/bits.h"
#include "arch/ps_rebase.h"
#include "arch/text_fmt.h"
#include "arch/x86_mca.h"
#include "mce_internal.h"

#define PS_PER_MS 1000000000ull
#define PS_PER_S 1000000000000ull

static const struct hv_storm_params storm_policies[STORM__COUNT] = {
    [STORM_XEN] = {
        .name = "xen",
        .poll_initial_ps = 8 * PS_PER_S, .poll_min_ps = 2 * PS_PER_S, .poll_max_ps = 16 * PS_PER_S,
        .detect = STORM_DETECT_NONE, .action = STORM_CMCI_KEEP,
    },
    [STORM_LINUX26] = {
        .name = "linux-2.6",
        .poll_initial_ps = 300 * PS_PER_S, .poll_min_ps = 10 * PS_PER_MS, .poll_max_ps = 300 * PS_PER_S,
        .detect = STORM_DETECT_CPU_RATE, .begin_above = 15, .window_ps = 1 * PS_PER_S,
        .end_clean = 300, .storm_poll_ps = 1 * PS_PER_S, .action = STORM_CMCI_DISABLE,
    },
    [STORM_LINUX6] = {
        .name = "linux-6",
        .poll_initial_ps = 300 * PS_PER_S, .poll_min_ps = 10 * PS_PER_MS, .poll_max_ps = 300 * PS_PER_S,
        .detect = STORM_DETECT_BANK_HISTORY, .begin_bits = 5, .history_tick_ps = 1 * PS_PER_S,
        .end_clean = 30, .storm_poll_ps = 1 * PS_PER_S,
        .action = STORM_CMCI_RAISE_THRESHOLD, .storm_threshold = 32749,
    },
};

const struct hv_storm_params *hv_storm_params(enum hv_storm_policy p)
{
    return (unsigned)p < STORM__COUNT ? &storm_policies[p] : NULL;
}

const char *hv_storm_policy_name(enum hv_storm_policy p)
{
    return (unsigned)p < STORM__COUNT ? storm_policies[p].name : "unknown";
}

int hv_storm_policy_from_name(const char *name, enum hv_storm_policy *out)
{
    for (unsigned i = 0; i < STORM__COUNT; i++)
        if (strcmp(name, storm_policies[i].name) == 0) {
            *out = (enum hv_storm_policy)i;
            return 0;
        }
    return -1;
}

void hv_config_set_storm(struct hv_config *cfg, enum hv_storm_policy p)
{
    const struct hv_storm_params *sp = hv_storm_params(p);
    if (!sp)
        return;
    cfg->storm = p;
    cfg->poll_initial_ps = sp->poll_initial_ps;
    cfg->poll_min_ps = sp->poll_min_ps;
    cfg->poll_max_ps = sp->poll_max_ps;
}

void hv_fmt_interval(char *buf, size_t len, uint64_t ps)
{
    static const struct { uint64_t ps; const char *unit; } units[] = {
        {PS_PER_S, "s"}, {PS_PER_MS, "ms"}, {1000000ull, "us"}, {1000ull, "ns"},
    };
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (ps && ps % units[i].ps == 0) {
            text_fmt(buf, len, "%llu%s", (unsigned long long)(ps / units[i].ps), units[i].unit);
            return;
        }
    text_fmt(buf, len, "%llups", (unsigned long long)ps);
}

void hv_trace_interval(struct hv *hv, enum hv_stage st, unsigned cpu, uint64_t period_ps)
{
    char iv[24], detail[40] = "";
    if (hv_trace_details(hv)) {
        hv_fmt_interval(iv, sizeof(iv), period_ps);
        text_fmt(detail, sizeof(detail), "interval %s", iv);
    }
    hv_trace(hv, st, cpu, -1, 0, 0, detail);
}

static const struct hv_storm_params *params(const struct hv *hv)
{
    const struct hv_storm_params *sp = hv_storm_params(hv->cfg.storm);
    return sp ? sp : &storm_policies[STORM_XEN];
}

/* Storms are about CMCI: a CPU without it (no CMCI_P, or threshold 0
 * switching it off) has none to tame. */
static bool tracks_storms(const struct hv *hv, unsigned cpu)
{
    return params(hv)->detect != STORM_DETECT_NONE && (hv->cpu[cpu].mcg_cap & MCG_CMCI_P) &&
           hv->cfg.cmci_threshold != 0;
}

bool hv_storm_watches(const struct hv *hv, unsigned cpu)
{
    return cpu < hv->cfg.ncpus && tracks_storms(hv, cpu);
}

bool hv_storm_on(const struct hv *hv, unsigned cpu)
{
    return cpu < hv->cfg.ncpus && hv->cpu[cpu].storm.in_storm;
}

void hv_storm_cpu_boot(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    struct hv_storm_cpu *s = &c->storm;
    uint64_t now = hv->plat->now_ps(hv->plat->ctx);
    /* hv_cpu_boot wrote this threshold with CMCI_EN into every bank */
    uint16_t thr = (uint16_t)(hv->cfg.cmci_threshold < MCI_CTL2_THRESHOLD_MASK ? hv->cfg.cmci_threshold
                                                                               : MCI_CTL2_THRESHOLD_MASK);
    bool cmci = (c->mcg_cap & MCG_CMCI_P) && thr;

    memset(s, 0, sizeof(*s));
    s->cmci_enabled = cmci;
    for (unsigned i = 0; i < c->nbanks; i++) {
        s->bank[i].last_ps = now;
        s->bank[i].threshold = cmci ? thr : 0;
        s->bank[i].saved_threshold = s->bank[i].threshold;
    }
}

static void storm_trace(struct hv *hv, enum hv_stage st, unsigned cpu, int bank, const char *why)
{
    char iv[24], detail[128];
    hv_fmt_interval(iv, sizeof(iv), hv->cpu[cpu].poll_interval_ps);
    snprintf(detail, sizeof(detail), "%s: %s, interval %s", params(hv)->name, why, iv);
    hv_trace(hv, st, cpu, bank, 0, 0, detail);
}

/* Read-modify-write of one bank's MCi_CTL2: keep what we do not change. */
static void ctl2_update(struct hv *hv, unsigned cpu, unsigned bank, uint64_t clear, uint64_t set)
{
    uint64_t v = 0;
    hv_rdmsr(hv, cpu, MSR_IA32_MCx_CTL2(bank), &v);
    hv_wrmsr(hv, cpu, MSR_IA32_MCx_CTL2(bank), (v & ~clear) | set);
}

/* What the policy's storm does to one bank's CMCI (begin), and undoes
 * (end). Linux 2.6 switches CMCI off; Linux 6 on Intel keeps it on but
 * makes it fire only every storm_threshold errors, so the bank is
 * effectively polled, and puts the old threshold back afterwards. */
static void storm_cmci(struct hv *hv, unsigned cpu, unsigned bank, bool begin)
{
    const struct hv_storm_params *sp = params(hv);
    struct hv_storm_bank *b = &hv->cpu[cpu].storm.bank[bank];

    if (!((hv->cpu[cpu].owned >> bank) & 1u))
        return; /* a shared bank another CPU owns: not ours to change */
    switch (sp->action) {
    case STORM_CMCI_DISABLE:
        if (begin)
            ctl2_update(hv, cpu, bank, MCI_CTL2_CMCI_EN, 0);
        else
            ctl2_update(hv, cpu, bank, 0, MCI_CTL2_CMCI_EN);
        break;
    case STORM_CMCI_RAISE_THRESHOLD:
        if (begin) {
            b->saved_threshold = b->threshold;
            b->threshold = (uint16_t)sp->storm_threshold;
        } else {
            b->threshold = b->saved_threshold;
        }
        ctl2_update(hv, cpu, bank, MCI_CTL2_THRESHOLD_MASK, b->threshold);
        break;
    case STORM_CMCI_KEEP:
        break;
    }
}

static const char *const action_text[] = {
    [STORM_CMCI_KEEP] = "CMCI unchanged",
    [STORM_CMCI_DISABLE] = "CMCI disabled",
    [STORM_CMCI_RAISE_THRESHOLD] = "CMCI threshold raised",
};

/* ---- linux-2.6: CMCIs per window on one CPU ----------------------------- */

static void cpu_storm_begin(struct hv *hv, unsigned cpu)
{
    const struct hv_storm_params *sp = params(hv);
    struct hv_cpu *c = &hv->cpu[cpu];
    struct hv_storm_cpu *s = &c->storm;
    char why[80], iv[24];

    for (unsigned i = 0; i < c->nbanks; i++)
        storm_cmci(hv, cpu, i, true);
    snprintf(why, sizeof(why), "%u CMCIs within the window, %s", s->cmci_count, action_text[sp->action]);
    s->cmci_enabled = sp->action != STORM_CMCI_DISABLE;
    s->in_storm = true;
    s->clean_polls = 0;
    s->cmci_count = 0;
    s->storms++;
    hv->stats.cmci_storms++;
    c->poll_interval_ps = sp->storm_poll_ps;
    hv_fmt_interval(iv, sizeof(iv), sp->storm_poll_ps);
    hv_printk(hv, "MCE: CPU%u CMCI storm detected: %s, polling every %s", cpu, action_text[sp->action], iv);
    storm_trace(hv, HV_STAGE_STORM_BEGIN, cpu, -1, why);
}

static void cpu_storm_end(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    struct hv_storm_cpu *s = &c->storm;
    char why[64];

    for (unsigned i = 0; i < c->nbanks; i++)
        storm_cmci(hv, cpu, i, false);
    snprintf(why, sizeof(why), "%u clean polls, CMCI restored", s->clean_polls);
    s->cmci_enabled = true;
    s->in_storm = false;
    s->clean_polls = 0;
    hv->stats.cmci_storms_ended++;
    c->poll_interval_ps = hv->cfg.poll_initial_ps;
    hv_printk(hv, "MCE: CPU%u CMCI storm subsided: CMCI restored, back to interrupt mode", cpu);
    storm_trace(hv, HV_STAGE_STORM_END, cpu, -1, why);
}

/* A CMCI on this CPU: count it in the current window (a CMCI more than a
 * window after the window opened starts a new one). */
static bool rate_cmci(struct hv *hv, unsigned cpu, uint64_t now)
{
    const struct hv_storm_params *sp = params(hv);
    struct hv_storm_cpu *s = &hv->cpu[cpu].storm;

    if (s->in_storm)
        return false; /* CMCI is off: a late one is only logged */
    if (s->cmci_count == 0 || now - s->window_start_ps > sp->window_ps) {
        s->window_start_ps = now;
        s->cmci_count = 0;
    }
    s->cmci_count++;
    if (s->cmci_count <= sp->begin_above)
        return false;
    cpu_storm_begin(hv, cpu);
    return true;
}

static bool rate_poll(struct hv *hv, unsigned cpu, unsigned logged)
{
    const struct hv_storm_params *sp = params(hv);
    struct hv_storm_cpu *s = &hv->cpu[cpu].storm;

    if (!s->in_storm)
        return false;
    s->clean_polls = logged ? 0 : s->clean_polls + 1;
    if (s->clean_polls >= sp->end_clean)
        cpu_storm_end(hv, cpu);
    else
        hv->cpu[cpu].poll_interval_ps = sp->storm_poll_ps;
    return true;
}

/* ---- linux-6: per-bank history ------------------------------------------ */

static void bank_storm_begin(struct hv *hv, unsigned cpu, unsigned bank)
{
    const struct hv_storm_params *sp = params(hv);
    struct hv_cpu *c = &hv->cpu[cpu];
    struct hv_storm_cpu *s = &c->storm;
    struct hv_storm_bank *b = &s->bank[bank];
    char why[96], iv[24];

    storm_cmci(hv, cpu, bank, true);
    b->in_storm = true;
    s->storm_banks++;
    s->storms++;
    hv->stats.cmci_storms++;
    s->in_storm = true;
    c->poll_interval_ps = sp->storm_poll_ps;
    snprintf(why, sizeof(why), "bank %u: %u of the last 64 checks found errors, threshold %u", bank,
             bits_popcount64(b->history), b->threshold);
    hv_fmt_interval(iv, sizeof(iv), sp->storm_poll_ps);
    hv_printk(hv, "MCE: CPU%u BANK%u CMCI storm detected: threshold %u, polling every %s", cpu, bank,
              b->threshold, iv);
    storm_trace(hv, HV_STAGE_STORM_BEGIN, cpu, (int)bank, why);
}

static void bank_storm_end(struct hv *hv, unsigned cpu, unsigned bank)
{
    const struct hv_storm_params *sp = params(hv);
    struct hv_cpu *c = &hv->cpu[cpu];
    struct hv_storm_cpu *s = &c->storm;
    struct hv_storm_bank *b = &s->bank[bank];
    char why[96];

    storm_cmci(hv, cpu, bank, false);
    b->in_storm = false;
    /* A fresh start: the storm's old bits must not start the next one. */
    b->history = 0;
    s->storm_banks--;
    hv->stats.cmci_storms_ended++;
    if (s->storm_banks == 0) {
        s->in_storm = false;
        c->poll_interval_ps = hv->cfg.poll_initial_ps;
    }
    snprintf(why, sizeof(why), "bank %u: %u clean checks, threshold %u", bank, sp->end_clean,
             b->threshold);
    hv_printk(hv, "MCE: CPU%u BANK%u CMCI storm subsided: threshold %u", cpu, bank, b->threshold);
    storm_trace(hv, HV_STAGE_STORM_END, cpu, (int)bank, why);
}

/* One check of a bank (a CMCI scan, or a storm poll): shift the history
 * by the time since the last check (one bit per tick, at least one; a
 * storming bank is checked every poll and shifts by one), record whether
 * the check found a corrected error, then apply the begin or end rule. */
static void history_check(struct hv *hv, unsigned cpu, unsigned bank, uint64_t now, bool ce)
{
    const struct hv_storm_params *sp = params(hv);
    struct hv_storm_bank *b = &hv->cpu[cpu].storm.bank[bank];
    uint64_t shift = 1;

    /* last_ps may lie below 0, or pinned over 2^63 ps back (a rebase) */
    if (!b->in_storm && !ps_at_or_before(now, b->last_ps))
        shift = (now - b->last_ps) / sp->history_tick_ps + 1;
    b->history = shift >= 64 ? 0 : b->history << shift;
    b->last_ps = now;
    if (ce)
        b->history |= 1;
    if (b->in_storm) {
        uint64_t recent = (1ull << sp->end_clean) - 1; /* the last end_clean checks */
        if (!(b->history & recent))
            bank_storm_end(hv, cpu, bank);
    } else if (bits_popcount64(b->history) >= sp->begin_bits) {
        bank_storm_begin(hv, cpu, bank);
    }
}

static bool history_cmci(struct hv *hv, unsigned cpu, uint64_t now, uint32_t ce_banks)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    bool was = c->storm.in_storm;
    /* a CMCI makes the CPU check every bank it owns */
    for (unsigned i = 0; i < c->nbanks && !hv->stopped; i++)
        history_check(hv, cpu, i, now, (ce_banks >> i) & 1u);
    return c->storm.in_storm != was;
}

static bool history_poll(struct hv *hv, unsigned cpu, uint64_t now, uint32_t ce_banks)
{
    const struct hv_storm_params *sp = params(hv);
    struct hv_cpu *c = &hv->cpu[cpu];

    if (!c->storm.in_storm)
        return false; /* outside storms the poller checks no CMCI bank */
    for (unsigned i = 0; i < c->nbanks && !hv->stopped; i++)
        if (c->storm.bank[i].in_storm)
            history_check(hv, cpu, i, now, (ce_banks >> i) & 1u);
    if (c->storm.in_storm)
        c->poll_interval_ps = sp->storm_poll_ps;
    return true;
}

/* ---- a storm's empty polls, counted (the round fold) --------------------- */

/* Each clean check shifts a 0 into a storming bank's history; the storm
 * ends when the last end_clean checks are all clean: this many more keep
 * it while the newest set bit stays among them. */
static unsigned bank_keep(const struct hv_storm_params *sp, const struct hv_storm_bank *b)
{
    const unsigned low = b->history ? (unsigned)__builtin_ctzll(b->history) : 64u;
    return low + 1 < sp->end_clean ? sp->end_clean - 1 - low : 0;
}

bool hv_poll_storm_steady(const struct hv *hv, unsigned cpu, uint64_t *period_ps, uint64_t *busy_ps,
                          uint64_t *max_polls)
{
    const struct hv_storm_params *sp = params(hv);
    if (hv->stopped || cpu >= hv->cfg.ncpus || sp->detect != STORM_DETECT_BANK_HISTORY || !tracks_storms(hv, cpu))
        return false;
    const struct hv_cpu *c = &hv->cpu[cpu];
    uint64_t period, busy;
    if (!c->storm.in_storm || c->poll_interval_ps != sp->storm_poll_ps || c->rounds.empty < 2 ||
        !hv_pq_alike(hv, cpu, &period, &busy))
        return false;
    uint64_t most = UINT64_MAX;
    for (unsigned i = 0; i < c->nbanks; i++) {
        const struct hv_storm_bank *b = &c->storm.bank[i];
        if (b->in_storm && bank_keep(sp, b) < most)
            most = bank_keep(sp, b);
    }
    if (most == UINT64_MAX)
        return false; /* no bank of this CPU storms */
    *period_ps = period;
    *busy_ps = busy;
    *max_polls = most;
    return true;
}

void hv_poll_storm_count(struct hv *hv, unsigned cpu, uint64_t k, uint64_t period_ps)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    if (!k)
        return;
    hv_poll_count(hv, cpu, k, period_ps);
    c->rounds.empty += (unsigned)k;
    for (unsigned i = 0; i < c->nbanks; i++) {
        struct hv_storm_bank *b = &c->storm.bank[i];
        if (!b->in_storm)
            continue;
        b->history = k >= 64 ? 0 : b->history << k;
        b->last_ps = c->rounds.start_ps[0]; /* the last poll's check */
    }
}

/* ---- a storm's polls that find a CE or nothing, counted (the round fold) -- */

bool hv_poll_storm_found_steady(const struct hv *hv, unsigned cpu, uint32_t ce_banks, uint64_t *interval_ps,
                                uint64_t *empty_len, unsigned *room, unsigned *room_found)
{
    const struct hv_storm_params *sp = params(hv);
    if (hv->stopped || cpu >= hv->cfg.ncpus || sp->detect != STORM_DETECT_BANK_HISTORY || !tracks_storms(hv, cpu))
        return false;
    const struct hv_cpu *c = &hv->cpu[cpu];
    if (!c->storm.in_storm || c->poll_interval_ps != sp->storm_poll_ps || c->rounds.running)
        return false;
    unsigned most = sp->end_clean - 1; /* after a 1: that many 0s keep it among the last end_clean */
    for (unsigned i = 0; i < c->nbanks && i < MCA_MAX_BANKS; i++) {
        const struct hv_storm_bank *b = &c->storm.bank[i];
        if (!b->in_storm)
            continue;
        if (!((ce_banks >> i) & 1u))
            return false; /* a storming bank the rounds find empty: its 0s may end its storm */
        if (bank_keep(sp, b) < most)
            most = bank_keep(sp, b);
    }
    *interval_ps = c->poll_interval_ps;
    *empty_len = c->rounds.empty_alike >= 2 ? c->rounds.empty_len : 0;
    *room = most;
    *room_found = sp->end_clean - 1;
    return true;
}

void hv_poll_storm_counted(struct hv *hv, unsigned cpu, uint64_t start_ps, uint64_t len_ps, bool found,
                           uint32_t ce_banks)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    /* as hv_poll_timer's round, history_poll at its start */
    hv_pq_round(&c->rounds, start_ps, start_ps + len_ps, found);
    hv->stats.polls++;
    for (unsigned i = 0; i < c->nbanks && i < MCA_MAX_BANKS; i++) {
        struct hv_storm_bank *b = &c->storm.bank[i];
        if (!b->in_storm)
            continue;
        b->history = b->history << 1 | (found && ((ce_banks >> i) & 1u));
        b->last_ps = start_ps;
    }
}

/* ---- entry points -------------------------------------------------------- */

bool hv_storm_cmci(struct hv *hv, unsigned cpu, uint64_t now_ps, uint32_t ce_banks)
{
    if (!tracks_storms(hv, cpu) || hv->stopped)
        return false;
    switch (params(hv)->detect) {
    case STORM_DETECT_CPU_RATE:
        return rate_cmci(hv, cpu, now_ps);
    case STORM_DETECT_BANK_HISTORY:
        return history_cmci(hv, cpu, now_ps, ce_banks);
    case STORM_DETECT_NONE:
        break;
    }
    return false;
}

bool hv_storm_poll(struct hv *hv, unsigned cpu, uint64_t now_ps, unsigned logged, uint32_t ce_banks)
{
    if (!tracks_storms(hv, cpu) || hv->stopped)
        return false;
    switch (params(hv)->detect) {
    case STORM_DETECT_CPU_RATE:
        return rate_poll(hv, cpu, logged);
    case STORM_DETECT_BANK_HISTORY:
        return history_poll(hv, cpu, now_ps, ce_banks);
    case STORM_DETECT_NONE:
        break;
    }
    return false;
}
