/*
 * mce_handler.c - where the #MC exception (vector 18) and the MCE softirq
 * enter the hosted hv: what every #MC and softirq does first (count it,
 * note the context, trace the entry, mark the CPU busy for hang reports),
 * then the flow of the configured handler order, from a table:
 *   xen   (default)  mce_xen.c: Xen's mcheck_cmn_handler and mce_softirq
 *   linux            mce_linux.c: entry rendezvous first, Linux monarch
 * Under `deferral: nmi` the NMI the handler sent itself runs the softirq's
 * body instead (mce_defer.c). Also the VIRQ_MCA that tells dom0 there is
 * telemetry.
 */
#include "mce_internal.h"

struct mce_flow {
    void (*machine_check)(struct hv *hv, unsigned cpu);
    void (*softirq)(struct hv *hv, unsigned cpu);
};

static const struct mce_flow flows[ORDER__COUNT] = {
    [ORDER_XEN] = {hv_xen_machine_check, hv_xen_softirq},
    [ORDER_LINUX] = {hv_linux_machine_check, hv_linux_softirq},
};

static const struct mce_flow *flow_of(const struct hv *hv)
{
    return &flows[(unsigned)hv->cfg.order < ORDER__COUNT ? hv->cfg.order : ORDER_XEN];
}

void hv_notify_dom0(struct hv *hv, unsigned cpu)
{
    hv->stats.virqs++;
    hv_trace(hv, HV_STAGE_VIRQ_DOM0, cpu, -1, 0, 0, NULL);
    hv->plat->send_virq(hv->plat->ctx, 0, VIRQ_MCA);
}

void hv_machine_check(struct hv *hv, unsigned cpu)
{
    const struct hv_platform *p = hv->plat;
    struct hv_cpu *c = &hv->cpu[cpu];
    if (hv->stopped)
        return;
    hv->stats.mce++;
    bool was_in_mce = c->in_mce; /* a #MC after MCIP was cleared nests */
    c->in_mce = true;
    c->ctx = p->context(p->ctx, cpu);
    if (was_in_mce) /* on the #MC stack of a handler that has not returned */
        hv_trace(hv, HV_STAGE_MCE_NESTED, cpu, -1, 0, 0, NULL);
    hv_trace(hv, HV_STAGE_HANDLER_ENTRY, cpu, -1, 0, 0, x86_ctx_name(c->ctx));
    flow_of(hv)->machine_check(hv, cpu);
    c->in_mce = was_in_mce;
}

void hv_softirq(struct hv *hv, unsigned cpu)
{
    if (hv->stopped)
        return;
    bool was = hv->cpu[cpu].in_softirq; /* restored: an #MC can nest a softirq */
    hv->cpu[cpu].in_softirq = true;     /* a hang report says where the CPU is */
    hv->stats.softirqs++;
    hv_trace(hv, HV_STAGE_SOFTIRQ_ENTRY, cpu, -1, 0, 0, NULL);
    hv_charge(hv, cpu, HV_COST_SOFTIRQ);
    flow_of(hv)->softirq(hv, cpu);
    hv->cpu[cpu].in_softirq = was;
}

/* The deferral NMI: the softirq's body, in NMI context. An NMI taken
 * inside it (a nested #MC's IRET released the blocking) only asks for the
 * work to run again once this one is done, as an NMI entry that guards
 * against nesting would (mcasim does not model the NMI stack itself). */
void hv_nmi(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    if (hv->stopped)
        return;
    if (c->in_nmi) {
        c->nmi_again = true;
        hv_trace(hv, HV_STAGE_NMI_NESTED, cpu, -1, 0, 0, NULL);
        return;
    }
    c->in_nmi = true;
    do {
        c->nmi_again = false;
        hv->stats.softirqs++;
        hv_trace(hv, HV_STAGE_NMI_ENTRY, cpu, -1, 0, 0, NULL);
        hv_charge(hv, cpu, HV_COST_SOFTIRQ);
        flow_of(hv)->softirq(hv, cpu);
    } while (c->nmi_again && !hv->stopped);
    c->in_nmi = false;
}
