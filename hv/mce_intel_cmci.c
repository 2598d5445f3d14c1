/*
 * mce_intel_cmci.c - Xen's CMCI (mce_intel.c) for the xen handler order:
 * which CPU owns which bank, the threshold, and the interrupt handler.
 *
 * intel_init_cmci, on every CPU at boot when the boot CPU found
 * MCG_CAP.CMCI_P (cmci_support; the APIC is always there):
 *   mce_set_owner -> cmci_discover: under cmci_discover_lock, for every
 *   bank this CPU does not own yet, do_cmci_discover (the SDM's discovery,
 *   15.5.1):
 *     MCi_CTL2.CMCI_EN already set: another CPU sharing the bank owns it:
 *       neither owned nor polled here;
 *     else, with a threshold (cmci-threshold, default 2): write CMCI_EN
 *       and all threshold bits, read back;
 *     CMCI_EN did not stick (no CMCI in this bank, or cmci-threshold=0,
 *       which writes nothing): the bank goes to no_cmci_banks, the poller's
 *       (its threshold bits cleared);
 *     else the threshold read back is the bank's maximum: a larger
 *       cmci-threshold is clamped to it with "CMCI: threshold %#x too large
 *       for CPU%u bank %u, using %#x" (MCE_QUIET: always printed); the
 *       bank gets CMCI_EN and the threshold and is this CPU's.
 *   Then, in case a CMCI came while the owners changed, the CMCI logout
 *   of the owned banks, handled as the interrupt's (without its verbose
 *   line); verbose lines "CMCI: find owner on CPU%u" before and
 *   "CMCI: CPU%d owner_map[%lx], no_cmci_map[%lx]" after.
 * cmci_interrupt: mcheck_mca_logout(MCA_CMCI_HANDLER) over the owned
 *   banks: every valid bank is logged, whatever its class (mce_logout.c);
 *   intel_need_clearbank_scan clears CE, spurious and UCNA-without-OVER
 *   banks and leaves the others (an SRAO stays latched, logged again by
 *   the next CMCI). With a bank logged: dom0 bound VIRQ_MCA -> commit,
 *   verbose "CMCI: send CMCI to DOM0 through virq", VIRQ_MCA; else the
 *   record is dumped to the console at once (x86_mcinfo_dump) and
 *   dismissed. A full pool logs out and clears without a record.
 * CPU hotplug (cpu_callback, cpu_hotplug.c calls these):
 *   clear_cmci (cpu_mcheck_disable, CPU_DYING, on the dying CPU): verbose
 *     "CMCI: clear_cmci support on CPU%u", then for each bank it owns,
 *     CMCI_EN and the threshold cleared (written only when one was set)
 *     and the bank no longer its own; its no_cmci map stays;
 *   __cpu_mcheck_distribute_cmci (CPU_DEAD and CPU_UP_CANCELED, on every
 *     online CPU by on_each_cpu): cmci_discover again, so a bank the dead
 *     CPU shared with others goes to the first of them to run it (SDM
 *     15.5.2: the discovery is redone when an owner goes offline);
 *   a CPU coming up starts with empty maps (cpu_mcabank_alloc at
 *     CPU_UP_PREPARE) and runs intel_init_cmci from mcheck_init.
 * Not modelled: the LVT setup (the vector always free), "CMCI: CPU%d has
 * no CMCI support" (printed only with the cpuinfo boot option).
 */
#include <stdio.h>

#include "arch/text_fmt.h"
#include "arch/x86_mca.h"
#include "mce_console.h"
#include "mce_internal.h"
#include "mce_logout.h"

/* do_cmci_discover for bank i of this CPU. */
static void discover_bank(struct hv *hv, unsigned cpu, unsigned i)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    const uint32_t bit = 1u << i;
    unsigned want = hv->cfg.cmci_threshold;
    uint64_t val;

    hv_rdmsr(hv, cpu, MSR_IA32_MCx_CTL2(i), &val);
    if (val & MCI_CTL2_CMCI_EN) { /* another CPU owns it */
        c->cmci_owned &= ~bit;
        c->no_cmci &= ~bit;
        return;
    }
    if (want) {
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_CTL2(i), val | MCI_CTL2_CMCI_EN | MCI_CTL2_THRESHOLD_MASK);
        hv_rdmsr(hv, cpu, MSR_IA32_MCx_CTL2(i), &val);
    }
    if (!(val & MCI_CTL2_CMCI_EN)) { /* no CMCI here: the poller's */
        c->no_cmci |= bit;
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_CTL2(i), val & ~MCI_CTL2_THRESHOLD_MASK);
        return;
    }
    unsigned max = (unsigned)(val & MCI_CTL2_THRESHOLD_MASK);
    if (want > max) {
        xen_mce_printk_quiet(hv, "CMCI: threshold %#x too large for CPU%u bank %u, using %#x", want, cpu, i, max);
        want = max;
    }
    hv_wrmsr(hv, cpu, MSR_IA32_MCx_CTL2(i), (val & ~MCI_CTL2_THRESHOLD_MASK) | MCI_CTL2_CMCI_EN | want);
    c->cmci_owned |= bit;
    c->no_cmci &= ~bit;
}

/* What cmci_interrupt and cmci_discover do with their logout. */
static void cmci_logout(struct hv *hv, unsigned cpu, bool interrupt)
{
    struct xen_logout bs;
    xen_mca_logout(hv, cpu, XEN_SRC_CMCI, hv->cpu[cpu].cmci_owned, &bs, NULL);
    if (hv->stopped)
        return;
    if (!bs.errcnt || !bs.e) {
        if (bs.e)
            hv_record_dismiss(hv, cpu, bs.e);
        return;
    }
    if (!xen_dom0_vmce_enabled(hv)) {
        xen_mcinfo_dump(hv, &bs.e->rec);
        hv_record_dismiss(hv, cpu, bs.e);
        return;
    }
    hv_record_commit(hv, cpu, bs.e);
    if (interrupt)
        xen_mce_printk_verbose(hv, "CMCI: send CMCI to DOM0 through virq");
    hv_notify_dom0(hv, cpu);
}

/* cmci_discover */
static void cmci_discover(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    xen_mce_printk_verbose(hv, "CMCI: find owner on CPU%u", cpu);
    hv_spin_lock(hv, &hv->discover_lock, cpu);
    for (unsigned i = 0; i < c->nbanks; i++)
        if (!((c->cmci_owned >> i) & 1u))
            discover_bank(hv, cpu, i);
    hv_spin_unlock(hv, &hv->discover_lock);
    cmci_logout(hv, cpu, false);
    xen_mce_printk_verbose(hv, "CMCI: CPU%u owner_map[%lx], no_cmci_map[%lx]", cpu, (unsigned long)c->cmci_owned,
                           (unsigned long)c->no_cmci);
}

void xen_intel_init_cmci(struct hv *hv, unsigned cpu)
{
    if (!hv->x.cmci_support)
        return;
    cmci_discover(hv, cpu); /* mce_set_owner */
}

void xen_cmci_interrupt(struct hv *hv, unsigned cpu)
{
    hv->stats.cmci++;
    /* the poller's interval, as every CMCI event says */
    hv_trace_interval(hv, HV_STAGE_CMCI_ENTRY, cpu, hv->x.poll.period_ps);
    cmci_logout(hv, cpu, true);
}

/* __cpu_mcheck_distribute_cmci (through cpu_mcheck_distribute_cmci's
 * on_each_cpu), on one online CPU. */
void xen_cmci_distribute(struct hv *hv, unsigned cpu)
{
    if (!hv->x.cmci_support || hv->cfg.mce_off)
        return;
    cmci_discover(hv, cpu);
}

/* clear_cmci (cpu_mcheck_disable), on the dying CPU. */
void xen_clear_cmci(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    if (!hv->x.cmci_support || hv->cfg.mce_off)
        return;
    xen_mce_printk_verbose(hv, "CMCI: clear_cmci support on CPU%u", cpu);
    for (unsigned i = 0; i < c->nbanks; i++) {
        const uint64_t bits = MCI_CTL2_CMCI_EN | MCI_CTL2_THRESHOLD_MASK;
        uint64_t val;
        if (!((c->cmci_owned >> i) & 1u))
            continue;
        hv_rdmsr(hv, cpu, MSR_IA32_MCx_CTL2(i), &val);
        if (val & bits)
            hv_wrmsr(hv, cpu, MSR_IA32_MCx_CTL2(i), val & ~bits);
        c->cmci_owned &= ~(1u << i);
    }
}
