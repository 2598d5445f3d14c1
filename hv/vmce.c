/*
 * vmce.c - putting an error into a guest's virtual machine-check banks
 * and marking its vCPUs for a vMCE, and the per-vCPU save record, as
 * Xen's cpu/mcheck/vmce.c does (fill_vmsr_data, vcpu_fill_mc_msrs,
 * inject_vmce, vmce_save_vcpu_ctxt, vmce_restore_vcpu; the same in the
 * 4.17.7 and 4.20.4 trees). The rules are in vmce.h.
 *
 * Xen fills and injects in two steps and gives up on the first failure of
 * either; what a failed step already changed stays changed (the domain is
 * crashed then anyway, mcaction.c). The error bank is bank 1, bank 0 being
 * kept empty for guests with the bank-0 quirk; the named alternative of a
 * one-bank interface (vMCE design RFC) uses bank 0 instead
 * (vmce_policy.err_bank).
 */
#include "vmce.h"

#include <errno.h>

#include "vmce_caps.h"

int vmce_fill_vcpu(struct domain *d, struct vcpu *v, uint64_t mcg_status, const struct vmce_error *e)
{
    if (v->vmce.mcg_status & MCG_STATUS_MCIP)
        return -EBUSY; /* the guest has not handled the previous vMCE */
    struct vmce_bank *b = &v->vmce.bank[d->vp.err_bank];
    v->vmce.mcg_status = mcg_status;
    /* MSCOD is the host's model-specific code: meaningless to a guest. */
    b->status = e->status & ~MCI_STATUS_MSCOD_MASK;
    b->addr = e->gaddr;
    b->misc = e->misc;
    return 0;
}

int vmce_fill(struct domain *d, int vcpu, uint64_t gstatus, const struct vmce_error *e)
{
    bool broadcast = vcpu == VMCE_BROADCAST;
    struct vcpu *v = &d->vcpu[0];
    if (broadcast)
        gstatus &= ~MCG_STATUS_LMCES;
    else if (gstatus & MCG_STATUS_LMCES) {
        if (vcpu < 0 || (unsigned)vcpu >= d->nvcpus)
            return -EINVAL;
        v = &d->vcpu[vcpu];
    }
    /* The real error goes to one vCPU; the others, on a broadcast, get a
     * milder one, so whatever they do the guest sees the worst on vCPU 0. */
    int ret = vmce_fill_vcpu(d, v, gstatus, e);
    const struct vmce_error none = {0, 0, 0};
    for (unsigned i = 1; broadcast && i < d->nvcpus; i++) {
        int err = vmce_fill_vcpu(d, &d->vcpu[i], MCG_STATUS_MCIP | MCG_STATUS_RIPV, &none);
        if (err)
            ret = err;
    }
    return ret;
}

/* What the vCPU can take a vMCE through: an HVM vCPU always (the #MC is
 * injected at the next VM entry), a PV one only with an #MC callback. */
static bool can_take(const struct domain *d)
{
    return d->type == DOM_TYPE_HVM || d->mce_callback;
}

int vmce_inject(struct domain *d, int vcpu, unsigned *failed)
{
    int ret = -ESRCH;
    for (unsigned i = 0; i < d->nvcpus; i++) {
        struct vcpu *v = &d->vcpu[i];
        if (vcpu != VMCE_BROADCAST && (unsigned)vcpu != i)
            continue;
        if (!v->up)
            continue; /* never brought up: skipped (a07084525c); one the
                       * guest took down is still initialised: marked */
        if (!can_take(d) || v->vmce.pending) {
            ret = -EBUSY;
            if (failed)
                *failed = i;
            break;
        }
        v->vmce.pending = true;
        ret = 0;
        if (vcpu != VMCE_BROADCAST)
            break;
    }
    if (ret == 0) {
        d->vmce_injected++;
        if (d->log_dirty)
            d->vmce_in_logdirty = true; /* vMCE RFC: the toolstack may abort */
    }
    return ret;
}

void vmce_save_vcpu(const struct domain *d, const struct vcpu *v, struct vmce_save *s)
{
    s->caps = d->mcg_cap;
    s->ctl2[0] = v->vmce.bank[0].ctl2;
    s->ctl2[1] = v->vmce.bank[1].ctl2;
    s->ext_ctl = v->vmce.mcg_ext_ctl;
}

int vmce_load_vcpu(struct domain *d, struct vcpu *v, const struct vmce_save *s, uint64_t allowed)
{
    if (s->caps & ~allowed & ~(MCG_CAP_COUNT_MASK | MCG_CTL_P))
        return -EINVAL;
    d->mcg_cap = s->caps;
    vmce_policy_from_caps(&d->vp, s->caps);
    v->vmce.bank[0].ctl2 = s->ctl2[0];
    v->vmce.bank[1].ctl2 = s->ctl2[1];
    v->vmce.mcg_ext_ctl = s->ext_ctl;
    return 0;
}
