/*
 * guest_msr.c - what becomes of a guest's MSR access that the vMCE code
 * (vmce_msr.c) did not answer: the MSR is not one of its ranges, or it
 * answered #GP. Only machine-check MSRs are modelled, so Xen's answer is
 * #GP, except where the domain runs with Xen's `msr_relaxed` (xl.cfg
 * msr_relaxed=1, dom0=msr-relaxed on the command line, since 4.15): an
 * MSR that no part of Xen handles but that the host CPU has reads as zero
 * and drops writes (vmx_msr_read_intercept / vmx_msr_write_intercept,
 * svm_msr_*_intercept and the PV emul-priv-op.c paths: rdmsr_safe on the
 * host). It never reaches the vMCE MSRs: guest_rdmsr hands those to
 * vmce_rdmsr first, and a #GP from there (MCG_EXT_CTL without LMCE_P, a
 * nonzero write to MCi_STATUS) is delivered as such.
 *
 * The named alternative `policy.raz_msrs` is the vMCE design RFC's list
 * (Jan Beulich, 2012: "which extra MSRs have to be treated
 * read-as-zero/writes-ignored upon guest accesses", so that a guest moved
 * to a host that no longer backs an MSR gets zeros instead of #GP): a
 * listed MSR reads as zero and drops the write wherever the guest would
 * otherwise get #GP, whoever would have raised it.
 */
#include "mce_internal.h"
#include "vmce.h"

static bool raz_listed(const struct hv *hv, uint32_t msr)
{
    for (unsigned i = 0; i < hv->cfg.nraz_msrs && i < HV_MAX_RAZ_MSRS; i++)
        if (hv->cfg.raz_msrs[i] == msr)
            return true;
    return false;
}

/* Xen's rdmsr_safe on the pCPU the vCPU runs on. */
static bool host_has(struct hv *hv, const struct vcpu *v, uint32_t msr)
{
    uint64_t tmp;
    return hv->plat->rdmsr && hv->plat->rdmsr(hv->plat->ctx, v->pcpu, msr, &tmp) == 0;
}

int hv_guest_msr_fallback(struct hv *hv, struct domain *d, struct vcpu *v, uint32_t msr, int vmce_result,
                          uint64_t *val)
{
    *val = 0;
    if (vmce_result == VMCE_MSR_NOT_MINE && d->msr_relaxed && host_has(hv, v, msr))
        return 0;
    return raz_listed(hv, msr) ? 0 : -1;
}
