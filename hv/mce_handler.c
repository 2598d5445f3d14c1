/*
 * mce_handler.c - the #MC exception handler (vector 18) of the hosted hv.
 *
 * Flow, as Xen's mcheck_cmn_handler (mce.c) with a
 * Linux-style monarch and optional rendezvous timeout:
 *   1. entry rendezvous of every CPU of the host (skipped for LMCE); the
 *      first CPU in is the monarch;
 *   2. bank logout, one CPU at a time under the logout lock: each valid
 *      bank is graded (severity.c); corrected errors are committed at once,
 *      uncorrected ones are reserved and deferred to the softirq; banks are
 *      cleared except fatal ones, which stay for the post-reboot log;
 *   3. rendezvous; the monarch panics if any CPU found a fatal error or no
 *      CPU found any valid bank;
 *   4. rendezvous; each CPU clears MCG_STATUS (MCIP) and raises the
 *      softirq. A #MC that arrives before step 4 finds MCIP set and shuts
 *      the CPU down (hardware); one after it is handled normally.
 */
#include <stdio.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "mce_internal.h"

bool hv_read_bank(struct hv *hv, unsigned cpu, unsigned bank, struct hv_bank_read *out)
{
    memset(out, 0, sizeof(*out));
    out->bank = bank;
    hv_rdmsr(hv, cpu, MSR_IA32_MCx_STATUS(bank), &out->status);
    if (!(out->status & MCI_STATUS_VAL))
        return false;
    if (out->status & MCI_STATUS_ADDRV)
        hv_rdmsr(hv, cpu, MSR_IA32_MCx_ADDR(bank), &out->addr);
    if (out->status & MCI_STATUS_MISCV)
        hv_rdmsr(hv, cpu, MSR_IA32_MCx_MISC(bank), &out->misc);
    hv_trace(hv, HV_STAGE_BANK_LOGOUT, cpu, (int)bank, out->status, 0, NULL);
    return true;
}

struct telem_entry *hv_record_new(struct hv *hv, unsigned cpu, enum telem_class cls,
                                  const struct hv_bank_read *b, uint64_t mcg_status,
                                  const struct sev_result *sev, enum mca_rec_source src)
{
    hv_charge(hv, cpu, HV_COST_TELEM);
    struct telem_entry *e = telem_reserve(&hv->telem, cls);
    if (!e) {
        hv_trace(hv, HV_STAGE_TELEM_DROP, cpu, (int)b->bank, b->status, 0,
                 cls == TELEM_URGENT ? "urgent" : "nonurgent");
        return NULL;
    }
    struct mca_record *r = &e->rec;
    r->seq = hv->next_rec_id++;
    r->time_ps = hv->plat->now_ps(hv->plat->ctx);
    r->cpu = cpu;
    r->bank = b->bank;
    r->mcg_cap = hv->cpu[cpu].mcg_cap;
    r->mcg_status = mcg_status;
    r->status = b->status;
    r->addr = b->addr;
    r->misc = b->misc;
    r->cls = (uint32_t)sev->cls; /* enum mce_class and mca_rec_class share order */
    r->source = (uint32_t)src;
    r->result = MCA_RES_NONE;
    r->context = (uint32_t)hv->cpu[cpu].ctx;
    r->domid = DOMID_NONE;
    r->action = MCA_ACT_NONE;
    snprintf(r->rule, sizeof(r->rule), "%s", sev->rule);
    hv_trace_record(hv, HV_STAGE_SEVERITY, cpu, r, sev->rule);
    return e;
}

void hv_record_commit(struct hv *hv, unsigned cpu, struct telem_entry *e)
{
    telem_commit(&hv->telem, e);
    hv_trace_record(hv, HV_STAGE_TELEM_COMMIT, cpu, &e->rec, NULL);
}

void hv_notify_dom0(struct hv *hv, unsigned cpu)
{
    hv->stats.virqs++;
    hv_trace(hv, HV_STAGE_VIRQ_DOM0, cpu, -1, 0, 0, NULL);
    hv->plat->send_virq(hv->plat->ctx, 0, VIRQ_MCA);
}

static void defer(struct hv *hv, unsigned cpu, struct telem_entry *e)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    if (c->npending < HV_MAX_PENDING) {
        c->pending[c->npending++] = e;
        return;
    }
    /* Cannot be deferred: keep it visible rather than lose it silently. */
    hv->stats.pending_overflow++;
    hv_record_commit(hv, cpu, e);
}

/* Grade and log one valid bank inside the #MC handler. */
static void logout_bank(struct hv *hv, unsigned cpu, uint64_t mcg, const struct hv_bank_read *b)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    struct sev_input in = {
        .status = b->status, .mcg_status = mcg, .mcg_cap = c->mcg_cap,
        .ctx = c->ctx, .path = SEV_PATH_MCE,
    };
    hv_charge(hv, cpu, HV_COST_SEVERITY);
    struct sev_result sev = sev_grade(&in);
    bool uc = (b->status & MCI_STATUS_UC) != 0;

    hv->stats.banks_logged++;
    if (sev.action == MCE_ACT_IGNORE) {
        hv_trace(hv, HV_STAGE_SEVERITY, cpu, (int)b->bank, b->status, 0, sev.rule);
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_STATUS(b->bank), 0);
        return;
    }
    /* Only a bank worth grading explains the #MC; invalid or disabled
     * ones do not (Linux: "Machine check from unknown source"). */
    c->found = true;
    if (sev.action == MCE_ACT_PANIC && !c->fatal) {
        c->fatal = true;
        c->fatal_rule = sev.rule;
    }
    struct telem_entry *e = hv_record_new(hv, cpu, TELEM_URGENT, b, mcg, &sev, MCA_SRC_MCE);
    if (e) {
        if (uc)
            defer(hv, cpu, e); /* handled (or dumped at panic) later */
        else
            hv_record_commit(hv, cpu, e);
    }
    /* Fatal banks stay latched so they can be logged after reset. */
    if (sev.action != MCE_ACT_PANIC)
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_STATUS(b->bank), 0);
}

static void logout_lock(struct hv *hv, unsigned cpu)
{
    hv_spin_lock(hv, &hv->logout_lock, cpu);
}

static void logout_unlock(struct hv *hv)
{
    hv_spin_unlock(hv, &hv->logout_lock);
}

static void logout(struct hv *hv, unsigned cpu, uint64_t mcg)
{
    logout_lock(hv, cpu);
    if (hv->stopped) {
        logout_unlock(hv);
        return;
    }
    for (unsigned i = 0; i < hv->cpu[cpu].nbanks; i++) {
        struct hv_bank_read b;
        if (hv_read_bank(hv, cpu, i, &b))
            logout_bank(hv, cpu, mcg, &b);
    }
    logout_unlock(hv);
}

/* Rendezvous of all CPUs; false when the host stopped meanwhile. */
static bool rendezvous(struct hv *hv, unsigned cpu, const char *phase)
{
    hv_trace(hv, HV_STAGE_RENDEZVOUS_IN, cpu, -1, 0, 0, phase);
    enum hv_barrier_result r = hv_barrier_wait(hv, &hv->mce_bar, cpu, hv->cfg.ncpus,
                                               hv->cfg.rendezvous_timeout_ps);
    if (r == HV_BARRIER_TIMEOUT) {
        char why[160];
        snprintf(why, sizeof(why), "Timeout: Not all CPUs entered broadcast exception handler (%s)",
                 phase);
        hv_stop(hv, cpu, HV_STOP_PANIC, why);
    }
    if (r != HV_BARRIER_OK)
        return false;
    hv_trace(hv, HV_STAGE_RENDEZVOUS_OUT, cpu, -1, 0, 0, phase);
    return true;
}

/* The monarch's verdict over every CPU of the round (or this CPU alone
 * for LMCE): panic on any fatal error, and on a #MC nobody can explain. */
static void decide(struct hv *hv, unsigned cpu, bool local)
{
    unsigned first = local ? cpu : 0, last = local ? cpu : hv->cfg.ncpus - 1;
    char cpus[256] = "";
    const char *rule = NULL;
    bool found = false;
    size_t len = 0;

    for (unsigned i = first; i <= last; i++) {
        const struct hv_cpu *c = &hv->cpu[i];
        found |= c->found;
        if (!c->fatal)
            continue;
        if (!rule)
            rule = c->fatal_rule;
        if (len < sizeof(cpus) - 8)
            len += (size_t)snprintf(cpus + len, sizeof(cpus) - len, "%s%u", len ? "," : "", i);
    }
    char why[sizeof(cpus) + 128];
    if (rule) {
        snprintf(why, sizeof(why), "Fatal error happened on CPUs %s: %s", cpus, rule);
        hv_stop(hv, cpu, HV_STOP_PANIC, why);
    } else if (!found) {
        hv_stop(hv, cpu, HV_STOP_PANIC, "No CPU found valid MCE, need reset");
    }
}

static void round_begin(struct hv *hv, unsigned cpu, bool local)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    c->fatal = false;
    c->found = false;
    c->fatal_rule = NULL;
    if (!local && hv->arrivals++ == 0)
        hv->monarch = (int)cpu;
}

void hv_machine_check(struct hv *hv, unsigned cpu)
{
    const struct hv_platform *p = hv->plat;
    struct hv_cpu *c = &hv->cpu[cpu];
    uint64_t mcg = 0;

    if (hv->stopped)
        return;
    hv->stats.mce++;
    bool was_in_mce = c->in_mce; /* a #MC after MCIP was cleared nests */
    c->in_mce = true;
    c->ctx = p->context(p->ctx, cpu);
    hv_trace(hv, HV_STAGE_HANDLER_ENTRY, cpu, -1, 0, 0, x86_ctx_name(c->ctx));
    hv_rdmsr(hv, cpu, MSR_IA32_MCG_STATUS, &mcg);
    c->lmce = (mcg & MCG_STATUS_LMCES) != 0;
    round_begin(hv, cpu, c->lmce);

    if (!c->lmce && !rendezvous(hv, cpu, "entry"))
        goto out;
    logout(hv, cpu, mcg);
    if (hv->stopped || (!c->lmce && !rendezvous(hv, cpu, "logout")))
        goto out;
    if (c->lmce || hv->monarch == (int)cpu) {
        hv->arrivals = 0;
        decide(hv, cpu, c->lmce);
    }
    if (hv->stopped || (!c->lmce && !rendezvous(hv, cpu, "verdict")))
        goto out;

    hv_wrmsr(hv, cpu, MSR_IA32_MCG_STATUS, 0);
    hv_trace(hv, HV_STAGE_MCIP_CLEARED, cpu, -1, 0, 0, NULL);
    p->raise_softirq(p->ctx, cpu);
    hv_charge(hv, cpu, HV_COST_IRET);
    hv_trace(hv, HV_STAGE_HANDLER_EXIT, cpu, -1, 0, 0, NULL);
out:
    c->in_mce = was_in_mce;
}
