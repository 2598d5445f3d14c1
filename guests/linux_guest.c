/*
 * linux_guest.c - the guest kernel's machine-check path (linux_guest.h).
 *
 * The #MC handler follows Linux 6.1's do_machine_check (mce/core.c) as far
 * as its MCA MSR accesses and verdicts go, each access going through the
 * ABI (an exit the hypervisor counts and, with mce_verbosity=verbose, Xen
 * prints):
 *
 *   quirk_skylake_repmov   Intel family 6 model 0x55: reads MCG_STATUS
 *                          (its LMCES/fast-string branch is not modelled)
 *   mce_setup              reads MCG_CAP
 *   mce_gather_info        reads MCG_STATUS
 *   mce_no_way_out         reads every bank's STATUS; the first valid bank
 *                          graded PANIC reads MISC/ADDR and makes the CPU's
 *                          no_way_out
 *   mce_start              the rendezvous: the CPUs of a broadcast wait for
 *                          each other (a local #MC does not); no_way_out is
 *                          or-ed over them
 *   __mc_scan_banks        in arrival order each CPU reads its valid banks'
 *                          STATUS again, skips those without S on a SER CPU
 *                          and the KEEP/UCNA ones unless no_way_out, clears
 *                          the others (not when no_way_out), logs those not
 *                          graded NO after reading MISC and ADDR (mce_read_aux)
 *   mce_end / mce_reign    the first CPU grades the worst of all: PANIC
 *                          panics with that row's message, nothing worse than
 *                          KEEP panics "Fatal machine check from unknown
 *                          source"; a local #MC panics only for PANIC
 *   then                   each CPU clears MCG_STATUS; an AR error in a user
 *                          process kills it and, as an AO error, has its page
 *                          retired (memory_failure, after the handler)
 *
 * The grading is Linux's severity table for Intel (mce/severity.c,
 * mce_severity_intel), the rows a guest can meet: the kernel-recoverable
 * rows need an exception table the model has not, and the Skylake patrol
 * scrub quirk banks 13..18. A logged bank is also a log line ("CPU c:
 * Machine Check Exception: MCG Bank b: STATUS ADDR a MISC m"), from which
 * the oracle's comparison takes the kernel's records.
 */
#include "linux_guest.h"

#include <stdio.h>
#include <string.h>

#include "arch/x86_cpuid.h"
#include "arch/x86_mca.h"

/* Linux's severities, in its order (mce/internal.h): DEFERRED and UCNA
 * share a value. */
enum gsev { SEV_NO = 0, SEV_UCNA, SEV_KEEP, SEV_SOME, SEV_AO, SEV_UC, SEV_AR, SEV_PANIC };
/* What the model does with a logged bank once the handler survived. */
enum gact { G_LOG = 0, G_RETIRE, G_KILL };
enum gser { SER_ANY = 0, SER_REQ, SER_NO };
enum gctx { CTX_ANY = 0, CTX_KERNEL, CTX_USER };

struct grule {
    const char *name;
    enum gsev sev;
    enum gact act;
    uint64_t mask, val;       /* on MCi_STATUS, MCACOD included */
    uint8_t mcg_mask, mcg_val;/* on MCG_STATUS                  */
    uint8_t ser, ctx;
};

#define ST(x) MCI_STATUS_##x
#define UC_S (ST(UC) | ST(S))
#define UC_SAR (ST(UC) | ST(S) | ST(AR))
#define AUX (ST(ADDRV) | ST(MISCV))
#define MCACOD 0xEFFFull /* MCACOD without the filter bit 12 (Linux's MCACOD) */
#define SCRUBMSK 0xEFF0ull
#define RIPV MCG_STATUS_RIPV
#define EIPV MCG_STATUS_EIPV
static const struct grule grules[] = {
    {"Invalid", SEV_NO, G_LOG, ST(VAL), 0, 0, 0, SER_ANY, CTX_ANY},
    {"Not enabled", SEV_NO, G_LOG, ST(EN), 0, 0, 0, SER_ANY, CTX_ANY},
    {"Processor context corrupt", SEV_PANIC, G_LOG, ST(PCC), ST(PCC), 0, 0, SER_ANY, CTX_ANY},
    {"MCIP not set in MCA handler", SEV_PANIC, G_LOG, 0, 0, MCG_STATUS_MCIP, 0, SER_ANY, CTX_ANY},
    {"Neither restart nor error IP", SEV_PANIC, G_LOG, 0, 0, RIPV | EIPV, 0, SER_ANY, CTX_ANY},
    {"In kernel and no restart IP", SEV_PANIC, G_LOG, 0, 0, RIPV, 0, SER_ANY, CTX_KERNEL},
    {"Corrected error", SEV_KEEP, G_LOG, ST(UC), 0, 0, 0, SER_NO, CTX_ANY},
    {"Action optional: memory scrubbing error", SEV_AO, G_RETIRE, ST(UC) | ST(AR) | SCRUBMSK, ST(UC) | MCACOD_SCRUB,
     0, 0, SER_REQ, CTX_ANY},
    {"Action optional: last level cache writeback error", SEV_AO, G_RETIRE, ST(UC) | ST(AR) | MCACOD,
     ST(UC) | MCACOD_L3_WB, 0, 0, SER_REQ, CTX_ANY},
    {"Uncorrected no action required", SEV_UCNA, G_LOG, UC_SAR, ST(UC), 0, 0, SER_REQ, CTX_ANY},
    {"Illegal combination (UCNA with AR=1)", SEV_PANIC, G_LOG, ST(OVER) | UC_SAR, ST(UC) | ST(AR), 0, 0, SER_REQ,
     CTX_ANY},
    {"Non signaled machine check", SEV_KEEP, G_LOG, ST(S), 0, 0, 0, SER_REQ, CTX_ANY},
    {"Action required with lost events", SEV_PANIC, G_LOG, ST(OVER) | UC_SAR, ST(OVER) | UC_SAR, 0, 0, SER_REQ,
     CTX_ANY},
    {"Action required but unaffected thread is continuable", SEV_KEEP, G_LOG, ST(OVER) | UC_SAR | AUX, UC_SAR | AUX,
     RIPV | EIPV, RIPV, SER_REQ, CTX_ANY},
    {"Action required: data load error in a user process", SEV_AR, G_KILL, ST(OVER) | UC_SAR | AUX | MCACOD,
     UC_SAR | AUX | MCACOD_DATA_LOAD, 0, 0, SER_REQ, CTX_USER},
    {"Action required: instruction fetch error in a user process", SEV_AR, G_KILL, ST(OVER) | UC_SAR | AUX | MCACOD,
     UC_SAR | AUX | MCACOD_INSN_FETCH, 0, 0, SER_REQ, CTX_USER},
    {"Data load in unrecoverable area of kernel", SEV_PANIC, G_LOG, ST(OVER) | UC_SAR | AUX | MCACOD,
     UC_SAR | AUX | MCACOD_DATA_LOAD, 0, 0, SER_REQ, CTX_KERNEL},
    {"Instruction fetch error in kernel", SEV_PANIC, G_LOG, ST(OVER) | UC_SAR | AUX | MCACOD,
     UC_SAR | AUX | MCACOD_INSN_FETCH, 0, 0, SER_REQ, CTX_KERNEL},
    {"Action required: unknown MCACOD", SEV_PANIC, G_LOG, ST(OVER) | UC_SAR, UC_SAR, 0, 0, SER_REQ, CTX_ANY},
    {"Action optional: unknown MCACOD", SEV_SOME, G_LOG, ST(OVER) | UC_SAR, UC_S, 0, 0, SER_REQ, CTX_ANY},
    {"Action optional with lost events", SEV_SOME, G_LOG, ST(OVER) | UC_SAR, ST(OVER) | UC_S, 0, 0, SER_REQ, CTX_ANY},
    {"Overflowed uncorrected", SEV_PANIC, G_LOG, ST(OVER) | ST(UC), ST(OVER) | ST(UC), 0, 0, SER_ANY, CTX_ANY},
    {"Uncorrected", SEV_UC, G_LOG, ST(UC), ST(UC), 0, 0, SER_ANY, CTX_ANY},
    {"No match", SEV_SOME, G_LOG, 0, 0, 0, 0, SER_ANY, CTX_ANY},
};
#undef ST
#define NRULES (sizeof(grules) / sizeof(grules[0]))
#define UNKNOWN_SOURCE "Fatal machine check from unknown source"

/* error_context: user mode only when MCG_STATUS says CS is good (RIPV or
 * EIPV: mce_gather_info copies CS then) and the CPU was in user mode. */
static enum gctx error_context(uint64_t mcg, bool user)
{
    return user && (mcg & (RIPV | EIPV)) ? CTX_USER : CTX_KERNEL;
}

/* mce_severity_intel: the first matching row; a severity of UC or worse
 * in the kernel panics, under the row's message. */
static const struct grule *grade(uint64_t status, uint64_t mcg, bool ser, enum gctx ctx, enum gsev *sev)
{
    for (size_t i = 0; i < NRULES; i++) {
        const struct grule *r = &grules[i];
        if ((status & r->mask) != r->val || (mcg & r->mcg_mask) != r->mcg_val)
            continue;
        if ((r->ser == SER_REQ && !ser) || (r->ser == SER_NO && ser) || (r->ctx && r->ctx != ctx))
            continue;
        *sev = r->sev >= SEV_UC && ctx == CTX_KERNEL ? SEV_PANIC : r->sev;
        return r;
    }
    *sev = SEV_SOME;
    return &grules[NRULES - 1];
}

bool linux_bank0_quirk(unsigned vendor, unsigned family, unsigned model)
{
    if (vendor == CPU_VENDOR_INTEL)
        return family == 6 && model < 0x1A;
    return vendor == CPU_VENDOR_AMD && family == 6; /* AMD K7 */
}

static const char *const kind_names[GUEST_KIND__COUNT] = {"linux", "pv-no-callback", "strict", "none"};

const char *guest_kind_name(enum guest_kind k)
{
    return (unsigned)k < GUEST_KIND__COUNT ? kind_names[k] : "unknown";
}

enum guest_kind guest_kind_from_name(const char *name)
{
    for (unsigned i = 0; i < GUEST_KIND__COUNT; i++)
        if (strcmp(name, kind_names[i]) == 0)
            return (enum guest_kind)i;
    return GUEST_KIND__COUNT;
}

void linux_guest_init(struct linux_guest *g, const struct guest_abi *abi, const struct linux_guest_config *c)
{
    memset(g, 0, sizeof(*g));
    g->abi = *abi;
    g->cfg = *c;
}

static void glog(struct linux_guest *g, const char *fmt, uint64_t a, uint64_t b)
{
    char line[160];
    snprintf(line, sizeof(line), fmt, (unsigned long long)a, (unsigned long long)b);
    g->abi.log(g->abi.ctx, line);
}

static void panic(struct linux_guest *g, const char *why)
{
    if (g->panicked)
        return;
    g->panicked = true;
    snprintf(g->panic_reason, sizeof(g->panic_reason), "%s", why);
    char line[200];
    snprintf(line, sizeof(line), "Kernel panic - not syncing: %s", why);
    g->abi.log(g->abi.ctx, line);
    g->abi.stage(g->abi.ctx, GUEST_STAGE_PANIC, 0);
    g->abi.panic(g->abi.ctx, why);
}

/* A guest that expects MSRs a host once had: any #GP is a crash (the
 * Windows blue screens and reboots reported against Xen, ce59e472b5). */
static void strict_probe(struct linux_guest *g)
{
    uint64_t v;
    uint32_t msrs[2 + 4 * MCA_MAX_BANKS];
    unsigned n = 0;
    msrs[n++] = MSR_IA32_P5_MC_ADDR;
    msrs[n++] = MSR_IA32_P5_MC_TYPE;
    for (unsigned b = 0; b < g->cfg.strict_banks && b < MCA_MAX_BANKS; b++) {
        msrs[n++] = MSR_IA32_MCx_CTL(b);
        msrs[n++] = MSR_IA32_MCx_STATUS(b);
    }
    for (unsigned i = 0; i < n; i++)
        if (g->abi.rdmsr(g->abi.ctx, 0, msrs[i], &v) != 0) {
            char why[96];
            snprintf(why, sizeof(why), "unexpected #GP reading MSR %#x (blue screen)", msrs[i]);
            panic(g, why);
            return;
        }
}

/* Linux's intel_init_lmce (mce/intel.c): with MCG_CAP.LMCE_P (and the
 * FEATURE_CONTROL bits Xen sets for such a guest) each CPU turns on
 * MCG_EXT_CTL.LMCE_EN in its own bring-up. Here vCPU 0's boot, which has
 * read MCG_CAP, does it for every vCPU: the same state, and a guest
 * without LMCE_P makes no extra exits. */
static void enable_lmce(struct linux_guest *g)
{
    if (g->cfg.vendor != 0 || !(g->mcg_cap & MCG_LMCE_P))
        return;
    for (unsigned v = 0; v < (g->cfg.nvcpus ? g->cfg.nvcpus : 1); v++) {
        uint64_t ext = 0;
        if (g->abi.rdmsr(g->abi.ctx, v, MSR_IA32_MCG_EXT_CTL, &ext) == 0)
            g->abi.wrmsr(g->abi.ctx, v, MSR_IA32_MCG_EXT_CTL, ext | MCG_EXT_CTL_LMCE_EN);
    }
}

void linux_guest_set_online(struct linux_guest *g, unsigned n)
{
    g->cfg.nvcpus = n ? n : 1;
}

void linux_guest_boot(struct linux_guest *g, unsigned vcpu)
{
    if (g->cfg.kind == GUEST_NONE || g->cfg.kind == GUEST_PV_NOCALLBACK) {
        /* No MCA: CR4.MCE stays clear (HVM); a PV kernel without a callback
         * simply never registers one. */
        return;
    }
    g->abi.set_cr4_mce(g->abi.ctx, vcpu, 1);
    if (vcpu != 0)
        return;
    if (g->abi.rdmsr(g->abi.ctx, 0, MSR_IA32_MCG_CAP, &g->mcg_cap) != 0) {
        panic(g, "#GP reading MCG_CAP");
        return;
    }
    enable_lmce(g);
    g->nbanks = (unsigned)(g->mcg_cap & MCG_CAP_COUNT_MASK);
    g->skip_bank0 = linux_bank0_quirk(g->cfg.vendor, g->cfg.family, g->cfg.model);
    if (g->skip_bank0)
        glog(g, "mce: bank 0 quirk: bank 0 not initialised (family %llu model %#llx)", g->cfg.family,
             g->cfg.model);
    for (unsigned b = g->skip_bank0 ? 1 : 0; b < g->nbanks; b++)
        g->abi.wrmsr(g->abi.ctx, 0, MSR_IA32_MCx_CTL(b), ~0ull);
    if (g->cfg.pv)
        g->abi.register_mce_callback(g->abi.ctx);
    if (g->cfg.kind == GUEST_STRICT)
        strict_probe(g);
}


/* Remember a retired page; true when it was already retired. The list is
 * bounded: past it, repeats are counted again rather than remembered. */
static bool already_retired(struct linux_guest *g, uint64_t gfn)
{
    for (unsigned i = 0; i < g->nretired; i++)
        if (g->retired[i] == gfn)
            return true;
    if (g->nretired < sizeof(g->retired) / sizeof(g->retired[0]))
        g->retired[g->nretired++] = gfn;
    return false;
}

/* An MSR read inside the #MC handler. Linux reads bank MSRs there through
 * a fixup that does not return: a #GP means the machine broke the
 * architecture it advertised, and the kernel panics ("MSR access error:
 * RDMSR from ...", then "MCA architectural violation!"; Linux
 * arch/x86/kernel/cpu/mce/core.c, since 2020). This is how a guest that
 * read its bank count at boot dies on a host that backs fewer banks. */
static bool mce_rdmsr(struct linux_guest *g, unsigned vcpu, uint32_t msr, uint64_t *val)
{
    *val = 0;
    if (g->abi.rdmsr(g->abi.ctx, vcpu, msr, val) == 0)
        return true;
    glog(g, "MSR access error: RDMSR from %#llx in the machine-check handler (vCPU %llu)", msr, vcpu);
    panic(g, "MCA architectural violation!");
    return false;
}

static unsigned first_bank(const struct linux_guest *g) { return g->skip_bank0 ? 1 : 0; }
static bool ser(const struct linux_guest *g) { return (g->mcg_cap & MCG_SER_P) != 0; }

/* mce_read_aux: MISC when MISCV, ADDR when ADDRV. */
static bool read_aux(struct linux_guest *g, unsigned vcpu, unsigned b, struct lg_bank *x)
{
    if ((x->status & MCI_STATUS_MISCV) && !mce_rdmsr(g, vcpu, MSR_IA32_MCx_MISC(b), &x->misc))
        return false;
    return !(x->status & MCI_STATUS_ADDRV) || mce_rdmsr(g, vcpu, MSR_IA32_MCx_ADDR(b), &x->addr);
}

/* mce_no_way_out: every bank's STATUS; the first PANIC one decides. */
static bool no_way_out(struct linux_guest *g, unsigned vcpu, struct lg_cpu *c)
{
    for (unsigned b = first_bank(g); b < g->nbanks; b++) {
        uint64_t st;
        if (!mce_rdmsr(g, vcpu, MSR_IA32_MCx_STATUS(b), &st))
            return false;
        if (!(st & MCI_STATUS_VAL))
            continue;
        c->valid |= 1u << b;
        enum gsev sev;
        const struct grule *r = grade(st, c->mcg, ser(g), c->ctx, &sev);
        if (sev >= SEV_PANIC) {
            struct lg_bank x = {.status = st};
            if (!read_aux(g, vcpu, b, &x))
                return false;
            c->nwo = true;
            c->msg = (int8_t)(r - grules);
            return true;
        }
    }
    return true;
}

/* mce_log, as mce=print_all shows it: one line a record. */
static void log_record(struct linux_guest *g, unsigned vcpu, unsigned b, const struct lg_cpu *c,
                       const struct lg_bank *x)
{
    glog(g, "mce: [Hardware Error]: bank %llu status %#llx", b, x->status);
    char line[200];
    snprintf(line, sizeof(line),
             "mce: [Hardware Error]: CPU %u: Machine Check Exception: %llx Bank %u: %016llx ADDR %llx MISC %llx", vcpu,
             (unsigned long long)c->mcg, b, (unsigned long long)x->status, (unsigned long long)x->addr,
             (unsigned long long)x->misc);
    g->abi.log(g->abi.ctx, line);
}

/* __mc_scan_banks, then mce_clear_state. */
static bool scan_banks(struct linux_guest *g, unsigned vcpu, struct lg_cpu *c, bool nwo)
{
    uint64_t toclear = 0;
    for (unsigned b = first_bank(g); b < g->nbanks; b++) {
        if (!(c->valid >> b & 1u))
            continue;
        struct lg_bank x = {0};
        if (!mce_rdmsr(g, vcpu, MSR_IA32_MCx_STATUS(b), &x.status))
            return false;
        if (!(x.status & MCI_STATUS_VAL))
            continue;
        /* corrected or not signalled: the poller's, unless this panics */
        if (!(x.status & (ser(g) ? MCI_STATUS_S : MCI_STATUS_UC)) && !nwo)
            continue;
        enum gsev sev;
        const struct grule *r = grade(x.status, c->mcg, ser(g), c->ctx, &sev);
        if ((sev == SEV_KEEP || sev == SEV_UCNA) && !nwo)
            continue;
        toclear |= 1ull << b;
        if (sev == SEV_NO)
            continue; /* not enabled: cleared, not logged */
        if (!read_aux(g, vcpu, b, &x))
            return false;
        log_record(g, vcpu, b, c, &x);
        g->stats.logged++;
        if (g->nlogged < LG_MAX_LOGGED)
            g->logged[g->nlogged++] = (struct lg_logged){(uint16_t)vcpu, (int16_t)(r - grules), x.addr};
        if (c->worst < 0 || (int)sev > c->worst_sev) {
            c->worst = (int8_t)(r - grules);
            c->worst_sev = (int8_t)sev;
        }
    }
    for (unsigned b = first_bank(g); !nwo && b < g->nbanks; b++)
        if (toclear >> b & 1)
            g->abi.wrmsr(g->abi.ctx, vcpu, MSR_IA32_MCx_STATUS(b), 0);
    return true;
}

/* After the handler: memory_failure for the AO pages vCPU v logged and
 * for its AR ones, whose process is killed first (kill_me_maybe). */
static void act(struct linux_guest *g, unsigned v)
{
    for (unsigned i = 0; i < g->nlogged; i++) {
        if (g->logged[i].vcpu != v)
            continue;
        const struct grule *r = &grules[g->logged[i].rule];
        uint64_t pfn = g->logged[i].addr >> 12;
        if (r->act == G_LOG)
            continue;
        if (r->act == G_KILL) {
            glog(g, "Memory failure: %#llx: Killing the process that consumed it (%llu)", pfn,
                 g->stats.processes_killed + 1);
            g->stats.processes_killed++;
            g->abi.stage(g->abi.ctx, GUEST_STAGE_KILLED, pfn);
        }
        if (already_retired(g, pfn)) {
            glog(g, "Memory failure: %#llx: already hardware poisoned", pfn, 0);
            continue;
        }
        glog(g, "Memory failure: %#llx: recovery action for poisoned page: Recovered (%llu)", pfn,
             g->stats.pages_retired + 1);
        g->stats.pages_retired++;
        g->abi.stage(g->abi.ctx, GUEST_STAGE_RETIRED, pfn);
    }
}

/* mce_reign over the CPUs that arrived (or one local CPU's check). */
static void reign(struct linux_guest *g, bool local)
{
    int worst = -1, wsev = SEV_NO;
    for (unsigned i = 0; i < g->round_arrived; i++) {
        const struct lg_cpu *c = &g->cpu[g->round_order[i]];
        if (c->worst >= 0 && (worst < 0 || c->worst_sev > wsev)) {
            worst = c->worst;
            wsev = c->worst_sev;
        }
    }
    if (worst >= 0 && wsev >= SEV_PANIC)
        panic(g, grules[worst].name);
    else if (!local && wsev <= SEV_KEEP)
        panic(g, UNKNOWN_SOURCE);
}

static bool skx_repmov_quirk(const struct linux_guest *g)
{
    return g->cfg.vendor == CPU_VENDOR_INTEL && g->cfg.family == 6 && g->cfg.model == 0x55;
}

/* A vCPU's entry up to the rendezvous. False when it panicked. */
static bool enter(struct linux_guest *g, unsigned vcpu, enum x86_exec_ctx ctx, struct lg_cpu *c)
{
    uint64_t v;
    memset(c, 0, sizeof(*c));
    c->worst = -1;
    c->msg = -1;
    if (skx_repmov_quirk(g) && !mce_rdmsr(g, vcpu, MSR_IA32_MCG_STATUS, &v))
        return false;
    if (!mce_rdmsr(g, vcpu, MSR_IA32_MCG_CAP, &v) || !mce_rdmsr(g, vcpu, MSR_IA32_MCG_STATUS, &c->mcg))
        return false;
    c->ctx = error_context(c->mcg, x86_ctx_is_user(ctx));
    return no_way_out(g, vcpu, c);
}

/* A local #MC: no rendezvous, its own verdict. */
static void handle_local(struct linux_guest *g, unsigned vcpu, struct lg_cpu *c)
{
    if (c->nwo) {
        panic(g, grules[c->msg].name); /* "Fatal local machine check" */
        return;
    }
    g->round_order[0] = (uint8_t)vcpu;
    g->round_arrived = 1;
    g->nlogged = 0;
    if (scan_banks(g, vcpu, c, false))
        reign(g, true);
    g->round_arrived = 0;
    if (g->panicked)
        return;
    act(g, vcpu);
    g->abi.wrmsr(g->abi.ctx, vcpu, MSR_IA32_MCG_STATUS, 0);
    g->abi.stage(g->abi.ctx, GUEST_STAGE_MCE_EXIT, vcpu);
}

/* Every CPU of the broadcast arrived: scan in arrival order, reign, leave. */
static void handle_round(struct linux_guest *g)
{
    bool nwo = false;
    g->nlogged = 0;
    for (unsigned i = 0; i < g->round_arrived; i++)
        nwo |= g->cpu[g->round_order[i]].nwo;
    for (unsigned i = 0; i < g->round_arrived && !g->panicked; i++) {
        unsigned v = g->round_order[i];
        scan_banks(g, v, &g->cpu[v], nwo);
    }
    if (!g->panicked)
        reign(g, false);
    unsigned n = g->round_arrived;
    g->round_arrived = 0;
    for (unsigned i = 0; i < n && !g->panicked; i++) {
        unsigned v = g->round_order[i];
        act(g, v);
        g->abi.wrmsr(g->abi.ctx, v, MSR_IA32_MCG_STATUS, 0);
        g->abi.stage(g->abi.ctx, GUEST_STAGE_MCE_EXIT, v);
    }
}

void linux_guest_machine_check(struct linux_guest *g, unsigned vcpu, enum x86_exec_ctx ctx)
{
    if (g->panicked)
        return;
    if (g->cfg.kind == GUEST_NONE) {
        /* MCA never set up: Linux's do_machine_check only logs the vector
         * (unexpected_machine_check, mce/core.c) and returns, touching no
         * MSR, so MCIP stays set in the vCPU's MCG_STATUS. */
        g->stats.machine_checks++;
        glog(g, "CPU#%llu: Unexpected int18 (Machine Check)", vcpu, 0);
        return;
    }
    if (vcpu >= LG_MAX_VCPUS)
        return;
    g->stats.machine_checks++;
    g->abi.stage(g->abi.ctx, GUEST_STAGE_MCE_ENTRY, vcpu);
    struct lg_cpu *c = &g->cpu[vcpu];
    if (!enter(g, vcpu, ctx, c))
        return;
    if (c->mcg & MCG_STATUS_LMCES) {
        handle_local(g, vcpu, c);
        return;
    }
    g->round_order[g->round_arrived++] = (uint8_t)vcpu;
    unsigned expected = g->cfg.nvcpus ? g->cfg.nvcpus : 1;
    if (g->round_arrived >= expected || g->round_arrived >= LG_MAX_VCPUS)
        handle_round(g);
}

bool linux_guest_rendezvous_timeout(struct linux_guest *g)
{
    if (g->panicked || g->round_arrived == 0)
        return false;
    glog(g, "mce: CPUs not responding to MCE broadcast (may include false positives): %llu of %llu arrived",
         g->round_arrived, g->cfg.nvcpus);
    panic(g, "Timeout: Not all CPUs entered broadcast exception handler");
    return true;
}
