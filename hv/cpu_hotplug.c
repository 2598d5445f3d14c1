/*
 * cpu_hotplug.c - a host CPU taken offline and brought online again, as
 * Xen's XEN_SYSCTL_cpu_hotplug does it (xen-hptool cpu-offline /
 * cpu-online; common/cpu.c cpu_down and cpu_up, run on CPU 0 through
 * continue_hypercall_on_cpu), with what the machine-check code's
 * cpu_callback notifiers (mce.c, mce_intel.c) do at each step.
 *
 * cpu_down: -EINVAL for CPU 0 or a CPU that does not exist, -EEXIST for
 *   one already offline; else, under stop_machine, on the dying CPU:
 *   CPU_DYING (mce_intel.c cpu_mcheck_disable: clear_cmci) and
 *   __cpu_disable (out of cpu_online_map); then on CPU 0: CPU_DEAD
 *   (mce_intel.c cpu_mcheck_distribute_cmci: on_each_cpu without waiting,
 *   every online CPU runs cmci_discover again; mce.c frees the per-CPU
 *   bank maps only when offline CPUs are not parked).
 * cpu_up: -EINVAL for a CPU that does not exist, -EEXIST for one online;
 *   else CPU_UP_PREPARE (fresh owned / no_cmci maps), and the CPU runs
 *   start_secondary: mcheck_init (mce_boot.c: the boot logout of
 *   intel_init_mce, which reports what its banks latched while it was
 *   away, and intel_init_cmci's discovery), then joins cpu_online_map.
 *
 * Invariant: hv->nonline is the number of CPUs without `offline`; the
 * rendezvous (barrier.c), on_each_cpu (the poller, the CMCI
 * redistribution) and the softirq worker count and visit only those.
 * A CPU offline under park_offline_cpus (every vendor but AMD and Hygon,
 * with machine checks on: Xen keeps CR4.MCE set so that a broadcast #MC
 * does not shut the machine down, 8797d20a6e) is parked: it still takes
 * #MC and runs the handler, but takes no interrupts (no CMCI, no IPI, no
 * softirq) until it comes back (the platform sees to that).
 */
#include <errno.h>

#include "mce_internal.h"

bool hv_park_offline_cpus(const struct hv *hv)
{
    return !hv->cfg.mce_off && hv->cfg.vendor != CPU_VENDOR_AMD && hv->cfg.vendor != CPU_VENDOR_HYGON;
}

int hv_cpu_down_check(const struct hv *hv, unsigned cpu)
{
    if (cpu == 0 || cpu >= hv->cfg.ncpus)
        return -EINVAL;
    return hv->cpu[cpu].offline ? -EEXIST : 0;
}

int hv_cpu_up_check(const struct hv *hv, unsigned cpu)
{
    if (cpu >= hv->cfg.ncpus)
        return -EINVAL;
    return hv->cpu[cpu].offline ? 0 : -EEXIST;
}

/* CPU_DYING then __cpu_disable, on the dying CPU. */
void hv_cpu_dying(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    if (c->offline)
        return;
    if (hv_xen_cmci_poll(hv))
        xen_clear_cmci(hv, cpu);
    c->offline = true;
    c->call_discover = false;
    hv->nonline--;
    hv_trace(hv, HV_STAGE_CPU_OFFLINE, cpu, -1, 0, 0, hv_park_offline_cpus(hv) ? "parked" : "down");
    hv->plat->shared_changed(hv->plat->ctx); /* spinners count online CPUs */
}

/* CPU_DEAD, on CPU 0: cpu_mcheck_distribute_cmci. Every online CPU
 * runs its part from the IPI, CPU 0 without the IPI's delivery time. */
void hv_cpu_dead(struct hv *hv, unsigned cpu)
{
    (void)cpu;
    if (!hv_xen_cmci_poll(hv) || !hv->x.cmci_support || hv->cfg.mce_off)
        return;
    for (unsigned c = 0; c < hv->cfg.ncpus; c++) {
        if (!hv_cpu_online(hv, c))
            continue;
        hv->cpu[c].call_discover = true;
        if (hv->plat->call_function)
            hv->plat->call_function(hv->plat->ctx, c);
    }
}

void hv_call_function(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    if (hv->stopped || !c->call_discover || c->offline)
        return;
    c->call_discover = false;
    if (cpu != 0)
        hv_charge(hv, cpu, HV_COST_IPI); /* the call-function IPI's delivery */
    xen_cmci_distribute(hv, cpu);
}

/* CPU_UP_PREPARE, start_secondary's mcheck_init, then online. */
void hv_cpu_up(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    if (!c->offline)
        return;
    c->cmci_owned = c->no_cmci = 0; /* cpu_mcabank_alloc */
    hv_cpu_boot(hv, cpu);
    c->offline = false;
    hv->nonline++;
    hv_trace(hv, HV_STAGE_CPU_ONLINE, cpu, -1, 0, 0, NULL);
    hv->plat->shared_changed(hv->plat->ctx);
}
