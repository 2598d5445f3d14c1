/*
 * mce_xen.c - the xen handler order (the default): Xen's #MC handler
 * mcheck_cmn_handler with mce_urgent_action, and its MCE softirq
 * mce_softirq (mce.c), function by function.
 *
 * #MC handler, on every CPU the #MC reached:
 *   1. under mce_logout_lock, one CPU at a time: log out every valid bank
 *      of mca_allbanks (mce_logout.c); when some bank was valid: a record
 *      with a UC or PCC bank is deferred to the softirq (LMCE: to the
 *      CPU's LMCE list), the CPU joins mce_fatal_cpus when a bank had PCC
 *      or was not recoverable; a record of corrected banks only is
 *      committed; found_error is set and this CPU becomes severity_cpu
 *      (so it is the last CPU that found an error); the banks
 *      intel_need_clearbank_scan picked are cleared;
 *   2. barrier: the urgent action: RIPV=0 with EIPV=0 or an #MC in
 *      hypervisor context is fatal, else the #MC-context handlers
 *      (intel_mce_uhandlers: a fatal bank is RESET) and RESET is fatal;
 *   3. barrier: severity_cpu (every CPU for LMCE) panics "No CPU found
 *      valid MCE, need reset" when nobody found an error, "Fatal error
 *      happened on CPUs <mask>" when some CPU is fatal, and resets both;
 *   4. barrier: each CPU clears MCG_STATUS when MCIP is set;
 * then the softirq is raised. The barriers wait only for a broadcast #MC
 * (mce_broadcast and not LMCE); there is no timeout.
 *
 * Softirq: the CPUs meet (again only for a broadcast); each names itself
 * severity CPU, then, after a second barrier, those with nothing deferred
 * do again: the last writer wins, so the worker is the last CPU with
 * nothing deferred, or failing that the last to arrive; under LMCE the
 * CPU works alone on its LMCE list. The worker runs every online CPU's
 * deferred list (a parked CPU's stays where it is) through mce_delayed_action (mce_action.c: with the AMD callbacks,
 * which install no handlers, every record is dismissed) and, when dom0 bound
 * VIRQ_MCA, sends it, whether or not anything was committed.
 */
#include <stdio.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "mce_action.h"
#include "mce_console.h"
#include "mce_internal.h"
#include "mce_logout.h"

static void fatal_set(struct hv_xen *x, unsigned cpu)
{
    x->fatal_cpus[cpu / 64] |= 1ull << (cpu % 64);
}

static bool fatal_any(const struct hv_xen *x)
{
    return (x->fatal_cpus[0] | x->fatal_cpus[1] | x->fatal_cpus[2] | x->fatal_cpus[3]) != 0;
}

/* Xen's "%*pb" of a cpumask of nbits CPUs: hex, most significant first,
 * in 32-bit chunks separated by commas, the first one as wide as its
 * bits need (print_bitmap_string, common/vsprintf.c). */
static void cpumask_text(const uint64_t *mask, unsigned nbits, char *buf, size_t len)
{
    unsigned chunk = nbits % 32 ? nbits % 32 : 32;
    size_t n = 0;
    buf[0] = 0;
    for (int i = (int)((nbits + 31) / 32 * 32) - 32; i >= 0 && n < len; i -= 32) {
        uint64_t word = mask[i / 64] >> (i % 64);
        uint32_t val = (uint32_t)(word & (chunk == 32 ? 0xFFFFFFFFull : (1ull << chunk) - 1));
        n += (size_t)snprintf(buf + n, len - n, "%s%0*x", n ? "," : "", (int)((chunk + 3) / 4), val);
        chunk = 32;
    }
}

/* mce_urgent_action: true when this CPU cannot go on. */
static bool urgent_action(struct hv *hv, unsigned cpu, struct telem_entry *e)
{
    uint64_t gstatus;
    if (!e)
        return false;
    hv_rdmsr(hv, cpu, MSR_IA32_MCG_STATUS, &gstatus);
    bool guest_mode = !x86_ctx_is_hv(hv->cpu[cpu].ctx);
    if (!(gstatus & MCG_STATUS_RIPV) && (!(gstatus & MCG_STATUS_EIPV) || !guest_mode))
        return true;
    return xen_mce_action(hv, cpu, &e->rec, XEN_UHANDLERS) == MCA_RES_RESET;
}

/* Step 1, under the logout lock. */
static void logout_locked(struct hv *hv, unsigned cpu, struct xen_logout *bs)
{
    struct hv_xen *x = &hv->x;
    struct hv_cpu *c = &hv->cpu[cpu];
    c->clear_banks = 0;
    xen_mca_logout(hv, cpu, XEN_SRC_MCE_SCAN, x->allbanks, bs, &c->clear_banks);
    if (hv->stopped)
        return; /* a callback BUG()ed (mce_amd.c) */
    if (!bs->errcnt) {
        if (bs->e)
            hv_record_dismiss(hv, cpu, bs->e);
        return;
    }
    if (bs->uc || bs->pcc) {
        if (bs->e)
            telem_defer(&hv->telem, bs->e, cpu, bs->lmce);
        if (bs->pcc || !bs->recoverable)
            fatal_set(x, cpu);
    } else if (bs->e) {
        hv_record_commit(hv, cpu, bs->e);
    }
    x->found_error = true;
    x->severity_cpu = (int)cpu; /* the last CPU to find an error decides */
    for (unsigned i = 0; i < c->nbanks; i++) /* mcheck_mca_clearbanks */
        if ((c->clear_banks >> i) & 1u)
            xen_mcabank_clear(hv, cpu, i);
}

/* Step 3, on severity_cpu (or the LMCE CPU). */
static void severity_check(struct hv *hv, unsigned cpu)
{
    struct hv_xen *x = &hv->x;
    if (!x->found_error)
        xen_mc_panic(hv, cpu, "MCE: No CPU found valid MCE, need reset");
    if (!hv->stopped && fatal_any(x)) {
        char mask[80], ebuf[96]; /* Xen's buffer is 96 bytes: the text is cut there */
        cpumask_text(x->fatal_cpus, hv->cfg.ncpus, mask, sizeof(mask));
        snprintf(ebuf, sizeof(ebuf), "MCE: Fatal error happened on CPUs %s", mask);
        xen_mc_panic(hv, cpu, ebuf);
    }
    x->found_error = false;
    x->severity_cpu = -1;
}

/* mce=0, no banks, or a CPU no vendor code takes (mcheck_none):
 * mcheck_init never installed the handler (and never set CR4.MCE, so
 * hardware shuts the CPU down first, SDM 15.10.1); should a #MC get here,
 * it is unexpected_machine_check: fatal_trap's panic. */
static void unexpected_machine_check(struct hv *hv, unsigned cpu)
{
    hv_printk(hv, "Unexpected Machine Check Exception");
    xen_panic(hv, cpu, "FATAL TRAP: vec 18, #MC[0000]", "FATAL TRAP: vec 18, #MC[0000]");
}

void hv_xen_machine_check(struct hv *hv, unsigned cpu)
{
    struct hv_xen *x = &hv->x;
    struct xen_logout bs;

    if (!x->cb) {
        unexpected_machine_check(hv, cpu);
        return;
    }
    hv_spin_lock(hv, &hv->logout_lock, cpu); /* mce_spin_lock */
    if (hv->stopped) {
        hv_spin_unlock(hv, &hv->logout_lock);
        return;
    }
    logout_locked(hv, cpu, &bs);
    hv_spin_unlock(hv, &hv->logout_lock);
    if (hv->stopped)
        return;
    bool bcast = x->broadcast && !bs.lmce;

    if (!hv_xbarrier_enter(hv, &x->trap_bar, cpu, bcast, "urgent action"))
        return;
    if (urgent_action(hv, cpu, bs.e))
        fatal_set(x, cpu);
    if (!hv_xbarrier_exit(hv, &x->trap_bar, cpu, bcast, "urgent action") ||
        !hv_xbarrier_enter(hv, &x->trap_bar, cpu, bcast, "severity"))
        return;
    if (bs.lmce || x->severity_cpu == (int)cpu)
        severity_check(hv, cpu);
    if (hv->stopped || !hv_xbarrier_exit(hv, &x->trap_bar, cpu, bcast, "severity") ||
        !hv_xbarrier_enter(hv, &x->trap_bar, cpu, bcast, "clear MCIP"))
        return;
    uint64_t gstatus;
    hv_rdmsr(hv, cpu, MSR_IA32_MCG_STATUS, &gstatus);
    if (gstatus & MCG_STATUS_MCIP) {
        hv_wrmsr(hv, cpu, MSR_IA32_MCG_STATUS, 0);
        hv_trace(hv, HV_STAGE_MCIP_CLEARED, cpu, -1, 0, 0, NULL);
    }
    if (!hv_xbarrier_exit(hv, &x->trap_bar, cpu, bcast, "clear MCIP"))
        return;
    hv_mce_defer(hv, cpu);
    hv_charge(hv, cpu, HV_COST_IRET);
    hv_trace(hv, HV_STAGE_HANDLER_EXIT, cpu, -1, 0, 0, NULL);
}

/* dom0_vmce_enabled (vmce.h): dom0 bound VIRQ_MCA (its mcelog runs).
 * Before every CPU is up dom0 does not exist yet. */
bool xen_dom0_vmce_enabled(struct hv *hv)
{
    const struct domain *d0 = hv_domain(hv, 0);
    return hv->x.booted >= hv->cfg.ncpus && d0 && d0->mca_handler;
}

struct worker {
    struct hv *hv;
    unsigned cpu;
};

/* mctelem_process_deferred's callback: mce_delayed_action. A record to
 * commit is traced as committed here, the pool commits it on return. */
static enum telem_verdict delayed(void *arg, struct telem_entry *e)
{
    struct worker *w = arg;
    if (w->hv->stopped)
        return TELEM_STOP;
    enum telem_verdict v = xen_mce_delayed_action(w->hv, w->cpu, e);
    if (v == TELEM_COMMIT)
        hv_trace_record(w->hv, HV_STAGE_TELEM_COMMIT, w->cpu, &e->rec, -1, NULL);
    else if (v == TELEM_DISMISS)
        hv_trace_record(w->hv, HV_STAGE_TELEM_DISMISS, w->cpu, &e->rec, -1, NULL);
    return v;
}

void hv_xen_softirq(struct hv *hv, unsigned cpu)
{
    struct hv_xen *x = &hv->x;
    bool lmce = telem_has_deferred_lmce(&hv->telem, cpu);
    bool bcast = x->broadcast && !lmce;

    xen_mce_printk_verbose(hv, "CPU%u enter softirq", cpu);
    if (!hv_xbarrier_enter(hv, &x->inside_bar, cpu, bcast, "softirq"))
        return;
    if (!lmce) {
        x->sirq_severity_cpu = (int)cpu; /* the last to arrive, by default */
        if (!hv_xbarrier_enter(hv, &x->severity_bar, cpu, bcast, "softirq worker"))
            return;
        if (!telem_has_deferred(&hv->telem, cpu))
            x->sirq_severity_cpu = (int)cpu;
        if (!hv_xbarrier_exit(hv, &x->severity_bar, cpu, bcast, "softirq worker"))
            return;
    }
    if (lmce || x->sirq_severity_cpu == (int)cpu) {
        struct worker w = {hv, cpu};
        xen_mce_printk_verbose(hv, "CPU%u handling errors", cpu);
        for (unsigned c = lmce ? cpu : 0; c < (lmce ? cpu + 1 : hv->cfg.ncpus) && !hv->stopped; c++)
            if (lmce || hv_cpu_online(hv, c)) /* for_each_online_cpu */
                telem_process_deferred(&hv->telem, c, lmce, delayed, &w);
        if (!hv->stopped && xen_dom0_vmce_enabled(hv)) {
            xen_mce_printk_verbose(hv, "MCE: send MCE# to DOM0 through virq");
            hv_notify_dom0(hv, cpu);
        }
    }
    if (hv->stopped || !hv_xbarrier_exit(hv, &x->inside_bar, cpu, bcast, "softirq"))
        return;
    hv_trace(hv, HV_STAGE_SOFTIRQ_DONE, cpu, -1, 0, 0, NULL);
}
