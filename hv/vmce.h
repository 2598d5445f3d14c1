/*
 * vmce.h - the virtual machine-check interface a guest sees.
 *
 * Guest MSR semantics (Xen's vmce_rdmsr/vmce_wrmsr): MCi_CTL reads all ones;
 * MCi_STATUS/ADDR/MISC accept only 0 (non-zero #GP); MCi_CTL2 is stored;
 * MCG_CAP and MCG_CTL writes are ignored; MCG_STATUS is free; MCG_EXT_CTL
 * exists only with LMCE_P; banks past the count read as zero and drop
 * writes, or #GP under the old policy; P5_MC_ADDR/TYPE mirror bank 1.
 *
 * Injection: the error goes in the policy's error bank with MSCOD masked
 * and the guest-physical address; the target vCPU gets MCG_STATUS with
 * MCIP, a broadcast gives the others MCIP|RIPV only. A vMCE to a vCPU whose
 * MCIP is still set, or with one already pending, cannot be delivered.
 */
#ifndef HV_VMCE_H
#define HV_VMCE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain.h"

/* What a guest can keep in MCi_CTL2 and MCG_EXT_CTL. */
#define VMCE_CTL2_BITS (MCI_CTL2_THRESHOLD_MASK | MCI_CTL2_CMCI_EN)
#define VMCE_EXT_CTL_BITS MCG_EXT_CTL_LMCE_EN

enum vmce_msr_result { VMCE_MSR_OK = 0, VMCE_MSR_GP = -1, VMCE_MSR_NOT_MINE = 1 };

/* A guest's rdmsr/wrmsr of an MCA MSR on vCPU v. Counts the exit. */
enum vmce_msr_result vmce_rdmsr(struct domain *d, struct vcpu *v, uint32_t msr, uint64_t *val);
enum vmce_msr_result vmce_wrmsr(struct domain *d, struct vcpu *v, uint32_t msr, uint64_t val);

enum vmce_inject_result {
    VMCE_INJECTED = 0,
    VMCE_FAIL_MCIP,    /* the previous vMCE's MCIP is still set        */
    VMCE_FAIL_PENDING, /* one is already pending                        */
    VMCE_FAIL_BAD_VCPU,
};

struct vmce_error {
    uint64_t status;     /* host MCi_STATUS (MSCOD is masked here)      */
    uint64_t gaddr;      /* guest-physical address                      */
    uint64_t misc;
    uint64_t mcg_status; /* for the target vCPU, without MCIP            */
};

/* Inject into vCPU `target` of d; broadcast also marks every other vCPU.
 * Nothing is changed when the result is not VMCE_INJECTED. In log-dirty
 * mode an injection sets d->vmce_in_logdirty. */
enum vmce_inject_result vmce_inject(struct domain *d, unsigned target, bool broadcast,
                                    const struct vmce_error *e);
const char *vmce_inject_result_name(enum vmce_inject_result r);

/* The vMCE state of one vCPU that migrates: Xen's HVM record VMCE_VCPU
 * (vmce_save_vcpu_ctxt, vmce.c). Bank contents and a pending
 * injection do not travel. */
struct vmce_save {
    uint64_t caps;       /* the MCG_CAP the guest was shown             */
    uint64_t ctl2[2];    /* MCi_CTL2 of banks 0 and 1                   */
    uint64_t ext_ctl;    /* MCG_EXT_CTL                                 */
};

void vmce_save_vcpu(const struct domain *d, const struct vcpu *v, struct vmce_save *s);
/* Restore on the receiving host, which backs `supported` (vmce_caps.h).
 * 0; -EINVAL (nothing changed) when the caps do not fit or MCG_EXT_CTL
 * holds what the guest could not have written. Sets the domain's MCG_CAP
 * and policy from the caps (keeping its past-count and quirk policies) and
 * the vCPU's CTL2 (masked as a guest write is) and EXT_CTL. */
int vmce_load_vcpu(struct domain *d, struct vcpu *v, const struct vmce_save *s, uint64_t supported);

#endif
