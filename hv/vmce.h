/*
 * vmce.h - the virtual machine-check interface of a guest: its MSRs
 * (vmce_msr.c) and putting an error into it (vmce.c).
 *
 * MSRs, as Xen's vmce_rdmsr / vmce_wrmsr answer them: MCi_CTL reads all
 * ones and drops writes; MCi_STATUS/ADDR/MISC accept only 0 (anything
 * else #GP); MCi_CTL2 keeps whatever is written (Intel hosts; zero on
 * AMD); MCG_CAP and MCG_CTL writes are dropped; MCG_STATUS takes any
 * value; MCG_EXT_CTL exists only with LMCE_P; banks past the count read
 * as zero and drop writes (or #GP under the old `past_count: gp`);
 * P5_MC_ADDR/TYPE read bank 1 on Intel hosts, and writing them #GPs.
 *
 * Injection, in Xen's two steps: vmce_fill (fill_vmsr_data) puts the
 * error in bank 1 of vCPU 0 (or of the LMCE vCPU), MSCOD masked, with the
 * host's MCG_STATUS, and on a broadcast gives every other vCPU
 * MCIP|RIPV and an empty bank; a vCPU whose MCIP is still set refuses
 * (-EBUSY). vmce_inject (inject_vmce) then marks the vCPUs pending: a
 * vCPU never brought up is skipped, one already pending or a PV vCPU
 * without a machine-check callback fails the whole injection (-EBUSY),
 * and no vCPU at all is -ESRCH.
 */
#ifndef HV_VMCE_H
#define HV_VMCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain.h"

#define VMCE_EXT_CTL_BITS MCG_EXT_CTL_LMCE_EN

enum vmce_msr_result { VMCE_MSR_OK = 0, VMCE_MSR_GP = -1, VMCE_MSR_NOT_MINE = 1 };

/* A guest's rdmsr/wrmsr on vCPU v. VMCE_MSR_NOT_MINE for an MSR outside
 * the machine-check ranges (nothing is counted then); every other access
 * counts one MSR exit. */
enum vmce_msr_result vmce_rdmsr(struct domain *d, struct vcpu *v, uint32_t msr, uint64_t *val);
enum vmce_msr_result vmce_wrmsr(struct domain *d, struct vcpu *v, uint32_t msr, uint64_t val);

/* The line Xen prints for this access with mce_verbosity=verbose
 * (mce_printk(MCE_VERBOSE) in vmce_rdmsr, vmce_wrmsr, bank_mce_rdmsr,
 * bank_mce_wrmsr and vmce_intel_rdmsr/wrmsr), without a newline: call it
 * after the access with the value read (or written) and the result. False
 * when Xen prints nothing for it. */
bool vmce_msr_verbose_line(const struct domain *d, const struct vcpu *v, uint32_t msr, bool write,
                           uint64_t val, enum vmce_msr_result r, char *buf, size_t len);

/* The bank a vMCE carries: the host's MCi_STATUS (MSCOD is masked when
 * filled), the guest-physical address, the host's MCi_MISC. */
struct vmce_error {
    uint64_t status, gaddr, misc;
};

#define VMCE_BROADCAST (-1)

/* Xen's fill_vmsr_data. vcpu: VMCE_BROADCAST, or the LMCE vCPU. gstatus:
 * the host's MCG_STATUS (LMCES dropped on a broadcast); the error goes to
 * vCPU `vcpu` only when gstatus has LMCES, else to vCPU 0. 0, -EBUSY (some
 * vCPU still had MCIP set; the others are filled anyway) or -EINVAL (no
 * such vCPU). */
int vmce_fill(struct domain *d, int vcpu, uint64_t gstatus, const struct vmce_error *e);
/* Xen's vcpu_fill_mc_msrs: one vCPU's MCG_STATUS and error bank. 0 or
 * -EBUSY when its MCIP is still set (nothing changed). */
int vmce_fill_vcpu(struct domain *d, struct vcpu *v, uint64_t mcg_status, const struct vmce_error *e);
/* Xen's inject_vmce: mark vCPU `vcpu` (or every vCPU) pending. 0, -EBUSY
 * (*failed, when not NULL, names the vCPU that refused) or -ESRCH (see
 * above). On 0 the injection is counted, and flagged when the domain is in
 * log-dirty mode (vMCE design RFC). */
int vmce_inject(struct domain *d, int vcpu, unsigned *failed);

/* The vMCE state of one vCPU that migrates: Xen's HVM record VMCE_VCPU
 * (vmce_save_vcpu_ctxt). Bank contents and a pending injection do not
 * travel. */
struct vmce_save {
    uint64_t caps;       /* the MCG_CAP the guest was shown             */
    uint64_t ctl2[2];    /* MCi_CTL2 of banks 0 and 1                   */
    uint64_t ext_ctl;    /* MCG_EXT_CTL                                 */
};

void vmce_save_vcpu(const struct domain *d, const struct vcpu *v, struct vmce_save *s);
/* Xen's vmce_restore_vcpu on a host whose restore check accepts the
 * feature bits in `allowed` (MCG_CAP.Count and MCG_CTL_P always pass):
 * -EINVAL, nothing changed, when the caps have another feature bit. Else
 * the domain's MCG_CAP and policy follow the caps (its past-count and
 * quirk policies kept) and the vCPU takes CTL2 and EXT_CTL as saved. */
int vmce_load_vcpu(struct domain *d, struct vcpu *v, const struct vmce_save *s, uint64_t allowed);

#endif
