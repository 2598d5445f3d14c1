/*
 * mce_nonfatal.c - Xen's pollers for the xen handler order: which one a
 * host gets (non-fatal.c init_nonfatal_mce_checker), and how it runs
 * (intel-nonfatal.c, amd_nonfatal.c; in 4.17 the Intel one sat in
 * non-fatal.c, with the same code).
 *
 * init_nonfatal_mce_checker, an initcall: Xen runs it on the boot CPU
 * once every CPU is up. No poller with mce=0, or when the boot CPU has no
 * poll_bankmask (no banks, or a CPU no vendor code took: mcheck_init
 * freed it); AMD and Hygon get amd_nonfatal's, Intel intel-nonfatal's,
 * other vendors none (4.17 prints the line below for them too, but never
 * gets there: they have no poll_bankmask). Started: "mcheck_poll: Machine
 * check polling timer started."
 *
 * Both pollers are one timer on CPU 0 whose function runs the check on
 * every CPU (on_each_cpu, waiting for all), then sets the next period:
 *   after a round in which `adjust` CPUs found errors, divided by
 *   adjust + 1; after a clean round, doubled; within [min, max]:
 *     intel-nonfatal: first 8 s, within 2..16 s;
 *     amd_nonfatal:   first 10 s, within 2..30 s.
 * The check on one CPU (mce_checkregs, mce_amd_checkregs) is
 * mcheck_mca_logout(MCA_POLLER) over poll_bankmask (Intel: with CMCI the
 * banks without it, else mca_allbanks less bank 0 on early P6) or over
 * mca_allbanks (AMD), every bank logged cleared; then:
 *   dom0 bound VIRQ_MCA: commit, VIRQ_MCA;
 *   else: dismissed, and from the 10th such check on (a count shared by
 *   every CPU) also dumped to the console ("POLLED occurred on CPU n.").
 * A CPU counts in `adjust` when it logged something into a record
 * (Intel), or found a valid bank at all (AMD, record or not).
 * amd_nonfatal adds, on CPU 0 after the round: "MCE: polling routine
 * found correctable error.  Use mcelog to parse above error output." when
 * some CPU found errors and dom0 did not bind VIRQ_MCA; and with the
 * MC4_MISC error counter (found at init: MISC valid, counter present, not
 * locked; "MCA: Use hw thresholding to adjust polling frequency"), the
 * errors it counted minus one go into `adjust`, with "CPU counter reports
 * N correctable hardware error(s) that was/were not reported by the
 * status MSRs" when the poll found none, and the counter restarts.
 *
 * on_each_cpu calls the online CPUs only: a CPU taken offline is not
 * polled (non-fatal.c's timer stays on CPU 0, which never goes offline).
 * In mcasim the on_each_cpu call is each CPU's poll timer armed for now:
 * a CPU takes it when idle, after the IPI's delivery time. CPU 0 does not
 * spin while the others check: the last CPU to finish wakes it, and CPU 0
 * ends the round (the period, AMD's counter, the next timer) then, as
 * Xen's CPU 0 does when on_each_cpu returns.
 */
#include <stdio.h>

#include "arch/text_fmt.h"
#include "arch/x86_mca.h"
#include "mce_console.h"
#include "mce_internal.h"
#include "mce_logout.h"

#define PS_PER_MS 1000000000ull

struct xen_poller {
    const char *name;
    uint64_t initial_ps, min_ps, max_ps;
    bool allbanks;          /* reads mca_allbanks, not poll_bankmask       */
    bool adjust_on_errcnt;  /* a CPU with a valid bank counts, record or not */
    void (*init)(struct hv *hv);        /* at the initcall, on CPU 0    */
    void (*after_round)(struct hv *hv); /* on CPU 0, before the period  */
};

static void amd_init(struct hv *hv);
static void amd_after_round(struct hv *hv);

static const struct xen_poller intel_nonfatal = {
    .name = "intel-nonfatal", .initial_ps = 8000 * PS_PER_MS, .min_ps = 2000 * PS_PER_MS,
    .max_ps = 16000 * PS_PER_MS,
};

static const struct xen_poller amd_nonfatal = {
    .name = "amd_nonfatal", .initial_ps = 10000 * PS_PER_MS, .min_ps = 2000 * PS_PER_MS,
    .max_ps = 30000 * PS_PER_MS, .allbanks = true, .adjust_on_errcnt = true,
    .init = amd_init, .after_round = amd_after_round,
};

static void arm(struct hv *hv, unsigned cpu, uint64_t at)
{
    hv->plat->arm_timer(hv->plat->ctx, cpu, at);
}

static uint64_t now(const struct hv *hv)
{
    return hv->plat->now_ps(hv->plat->ctx);
}

/* init_nonfatal_mce_checker's choice: which poller, if any. */
static const struct xen_poller *poller_of(const struct hv *hv)
{
    if (hv->cfg.mce_off || !hv->x.poll_bankmask)
        return NULL;
    switch (hv->cfg.vendor) {
    case CPU_VENDOR_AMD:
    case CPU_VENDOR_HYGON:
        return &amd_nonfatal;
    case CPU_VENDOR_INTEL:
        return &intel_nonfatal;
    default:
        return NULL; /* unhandled vendor isn't an error */
    }
}

/* The rest of init_nonfatal_mce_checker, on CPU 0. */
static void start_poller(struct hv *hv)
{
    struct hv_xen_poll *ps = &hv->x.poll;
    ps->p = poller_of(hv);
    ps->period_ps = ps->p->initial_ps;
    for (unsigned c = 0; c < hv->cfg.ncpus; c++) /* for the results */
        hv->cpu[c].poll_interval_ps = ps->period_ps;
    if (ps->p->init)
        ps->p->init(hv);
    hv_printk(hv, "mcheck_poll: Machine check polling timer started.");
    arm(hv, 0, now(hv) + ps->period_ps);
}

void xen_init_nonfatal_mce_checker(struct hv *hv, unsigned cpu)
{
    if (!poller_of(hv))
        return;
    if (cpu == 0) {
        start_poller(hv);
        return;
    }
    hv->x.poll.initcall = true; /* the boot CPU runs the initcalls */
    arm(hv, 0, now(hv));
}

/* mce_checkregs / mce_amd_checkregs on cpu. */
static void checkregs(struct hv *hv, unsigned cpu)
{
    struct hv_xen_poll *ps = &hv->x.poll;
    uint32_t mask = ps->p->allbanks ? hv->x.allbanks : hv->cpu[cpu].poll_mask;
    struct xen_logout bs;

    hv->stats.polls++;
    hv_trace_interval(hv, HV_STAGE_POLL, cpu, ps->period_ps);
    xen_mca_logout(hv, cpu, XEN_SRC_POLLER, mask, &bs, NULL);
    hv_pq_check(hv, 0, bs.e || bs.errcnt); /* the round is CPU 0's timer's */
    if (hv->stopped)
        return;
    if (bs.errcnt && (bs.e || ps->p->adjust_on_errcnt))
        ps->adjust++;
    if (!bs.e)
        return;
    if (!bs.errcnt) {
        hv_record_dismiss(hv, cpu, bs.e);
    } else if (xen_dom0_vmce_enabled(hv)) {
        hv_record_commit(hv, cpu, bs.e);
        hv_notify_dom0(hv, cpu);
    } else {
        if (++ps->dumpcount >= 10)
            xen_mcinfo_dump(hv, &bs.e->rec);
        hv_record_dismiss(hv, cpu, bs.e);
    }
}

/* mce_work_fn / mce_amd_work_fn after on_each_cpu returned, on CPU 0. */
static void end_round(struct hv *hv)
{
    struct hv_xen_poll *ps = &hv->x.poll;
    const struct xen_poller *p = ps->p;
    if (p->after_round)
        p->after_round(hv);
    uint64_t ns = ps->period_ps / 1000; /* Xen's times are ns: it divides those */
    if (ps->adjust)
        ns /= ps->adjust + 1;
    else
        ns *= 2;
    ps->period_ps = ns * 1000;
    if (ps->period_ps > p->max_ps)
        ps->period_ps = p->max_ps;
    if (ps->period_ps < p->min_ps)
        ps->period_ps = p->min_ps;
    for (unsigned c = 0; c < hv->cfg.ncpus; c++) /* for the results */
        hv->cpu[c].poll_interval_ps = ps->period_ps;
    ps->adjust = 0;
    ps->in_round = false;
    arm(hv, 0, now(hv) + ps->period_ps);
    hv_pq_end(hv, 0, ps->period_ps == p->max_ps);
}

void xen_poll_timer(struct hv *hv, unsigned cpu)
{
    struct hv_xen_poll *ps = &hv->x.poll;
    if (hv->stopped)
        return;
    if (cpu == 0 && ps->initcall) {
        ps->initcall = false;
        start_poller(hv);
        return;
    }
    if (!ps->p)
        return;
    if (cpu == 0) {
        if (!ps->in_round) { /* the timer: on_each_cpu, online CPUs */
            hv_pq_begin(hv, 0, ps->period_ps == ps->p->max_ps);
            ps->in_round = true;
            ps->done = 0;
            for (unsigned c = 1; c < hv->cfg.ncpus; c++)
                if (hv_cpu_online(hv, c))
                    arm(hv, c, now(hv));
            ps->ncalled = hv->nonline;
            checkregs(hv, 0);
            ps->done++;
        }
        if (ps->in_round && ps->done == ps->ncalled && !hv->stopped)
            end_round(hv);
        return;
    }
    if (!ps->in_round || !hv_cpu_online(hv, cpu))
        return;
    hv_charge(hv, cpu, HV_COST_IPI); /* the call-function IPI's delivery */
    checkregs(hv, cpu);
    if (++ps->done == ps->ncalled)
        arm(hv, 0, now(hv)); /* on_each_cpu returns on CPU 0 */
}

/* ---- amd_nonfatal's MC4_MISC error counter ------------------------------ */

/* amd_nonfatal_mcheck_init: with SVM (every AMD host mcasim runs guests
 * on has it), use the counter when MC4_MISC is valid, has one and is not
 * locked: no interrupt, count zeroed, counting on. */
static void amd_init(struct hv *hv)
{
    struct hv_xen_poll *ps = &hv->x.poll;
    uint64_t v = 0;
    hv_rdmsr(hv, 0, MSR_IA32_MCx_MISC(4), &v);
    ps->hw_threshold = (v & AMD_MISC_VALID) && (v & AMD_MISC_CNTP) && !(v & AMD_MISC_LOCKED);
    if (!ps->hw_threshold)
        return;
    v &= ~(AMD_MISC_INTTYPE_MASK | AMD_MISC_ERRCNT_MASK);
    hv_wrmsr(hv, 0, MSR_IA32_MCx_MISC(4), v | AMD_MISC_CNTEN);
    hv_printk(hv, "MCA: Use hw thresholding to adjust polling frequency");
}

static void amd_after_round(struct hv *hv)
{
    struct hv_xen_poll *ps = &hv->x.poll;
    if (ps->adjust && !xen_dom0_vmce_enabled(hv))
        hv_printk(hv, "MCE: polling routine found correctable error.  Use mcelog to parse above error output.");
    if (!ps->hw_threshold)
        return;
    uint64_t v = 0;
    hv_rdmsr(hv, 0, MSR_IA32_MCx_MISC(4), &v);
    unsigned counter = (unsigned)((v & AMD_MISC_ERRCNT_MASK) >> AMD_MISC_ERRCNT_SHIFT);
    if (!counter)
        return;
    hv_pq_found(hv, 0);
    if (!ps->adjust)
        hv_printk(hv, "CPU counter reports %u correctable hardware error%s that %s not reported by the status MSRs",
                  counter, counter == 1 ? "" : "s", counter == 1 ? "was" : "were");
    ps->adjust += counter - 1; /* the poller's own find is counted already */
    v &= ~(AMD_MISC_INTTYPE_MASK | AMD_MISC_ERRCNT_MASK);
    hv_wrmsr(hv, 0, MSR_IA32_MCx_MISC(4), v | AMD_MISC_CNTEN);
}

/*
 * Whether a poll round reads `bank` on some CPU: the xen order's checker
 * reads each CPU's poll_bankmask (mce_checkregs), or every bank for a
 * vendor whose poller reads them all (AMD's); the linux order's poller
 * the banks a CPU owns. A poll that cannot read the bank cannot see a CE
 * latched there, so a fold may count polls that fall while one is.
 */
bool hv_poll_reads_bank(const struct hv *hv, unsigned bank)
{
    if (hv->cfg.order != ORDER_XEN || !hv->x.poll.p || hv->x.poll.p->allbanks)
        return true;
    for (unsigned c = 0; c < hv->cfg.ncpus; c++)
        if (hv_cpu_online(hv, c) && (hv->cpu[c].poll_mask >> bank & 1u))
            return true;
    return false;
}

/* Xen's own poller only under Xen's storm handling: with a Linux storm
 * policy the xen order polls as cmci_poll.c does, each CPU the banks it
 * owns (hv_xen_cpu_boot sets them), so another CPU's 5-minute poll does
 * not read the bank whose CMCI owner is storming. */
bool hv_poll_timer_reads_bank(const struct hv *hv, unsigned cpu, unsigned bank)
{
    if (hv_xen_cmci_poll(hv))
        return hv_poll_reads_bank(hv, bank); /* CPU 0's timer checks every CPU */
    return cpu >= hv->cfg.ncpus || (hv->cpu[cpu].owned >> bank & 1u);
}
