/*
 * mce_defer.c - how the #MC handler hands the rest of its work out of #MC
 * context (policy.deferral, public/hv_policy.h).
 *
 * softirq (Xen): mcheck_cmn_handler ends with
 *   raise_softirq(MACHINE_CHECK_SOFTIRQ); mce_softirq runs once the CPU
 *   has left the handler (mce.c), so the handler's frame is gone before
 *   the work starts.
 * nmi (not Xen): the "NMI deferral" thread Egger's "Xen MCA/MCE concept"
 *   (xen-devel, 2007) points to: the handler sends itself an NMI. Taking a
 *   #MC does not block NMIs (SDM Vol. 3A 6.7.1 names only the NMI handler
 *   and its IRET), so the NMI is taken at the next instruction boundary,
 *   inside the #MC handler that has not returned yet: the work runs with
 *   the #MC frame still live, and a second #MC meanwhile nests in it
 *   (hv_machine_check traces mce_nested). The second #MC's IRET releases
 *   NMI blocking (6.7.1), so its own NMI nests in the first NMI's handler
 *   (hv_nmi traces nmi_nested and runs the work again afterwards). Xen
 *   moved dom0's NMI notification out of NMI context for the same kind of
 *   reason: "tasklet_schedule() contains a spinlock and is unsafe in NMI
 *   context" (d9a2559fc4).
 */
#include "mce_internal.h"

const char *hv_deferral_name(enum hv_deferral d)
{
    static const char *const n[DEFERRAL__COUNT] = {"softirq", "nmi"};
    return (unsigned)d < DEFERRAL__COUNT ? n[d] : "unknown";
}

void hv_mce_defer(struct hv *hv, unsigned cpu)
{
    const struct hv_platform *p = hv->plat;
    if (hv->cfg.deferral != DEFERRAL_NMI || !p->raise_nmi) {
        p->raise_softirq(p->ctx, cpu);
        return;
    }
    /* the self-IPI: an ICR write, its delivery charged on this CPU */
    p->raise_nmi(p->ctx, cpu);
    hv_charge(hv, cpu, HV_COST_IPI);
}
