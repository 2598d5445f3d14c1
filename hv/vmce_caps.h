/*
 * vmce_caps.h - the virtual MCG_CAP a guest is shown, and whether a
 * migrating guest's caps are accepted where it arrives. Pure functions.
 *
 * Xen's vMCE is emulated, not backed by the host's banks: every guest on
 * an Intel host is shown SER_P|TES_P|CMCI_P and 2 banks
 * (INTEL_GUEST_MCG_CAP), on an AMD host 2 banks and nothing else
 * (AMD_GUEST_MCG_CAP; vmce_init_vcpu), plus LMCE_P when the toolstack
 * asked for it through HVM_PARAM_MCA_CAP and the host has LMCE
 * (vmce_enable_mca_cap). A restored VMCE_VCPU record is refused with
 * -EINVAL when its caps carry a feature outside that fixed set, LMCE_P
 * allowed on Intel whatever the host; the count and MCG_CTL_P are not
 * checked (vmce_restore_vcpu). vmce_caps_xen gives that set.
 *
 * The named alternatives check against what the host can back instead:
 * its own SER_P, TES_P, CMCI_P (LMCE_P with firmware LMCE) and bank count
 * (`policy.migration.mcg_cap: refuse`, after e1dc98e3c3's first check,
 * which derived the set from the host), or level a pool of hosts to what
 * all of them have from boot, as with CPUID: "calculate the minimum subset
 * of features available on all processors" (George Dunlap, vMCE design
 * RFC, xen-devel 2012; `level`).
 */
#ifndef HV_VMCE_CAPS_H
#define HV_VMCE_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain.h"

/* The only MCG_CAP feature bits a guest can be shown (besides the count). */
#define VMCE_CAPS_FEATURES (MCG_SER_P | MCG_TES_P | MCG_CMCI_P | MCG_LMCE_P)

/* Xen's vMCE caps on a host of this vendor (0 Intel, 1 AMD): what
 * vmce_init_vcpu shows, without LMCE_P. */
uint64_t vmce_caps_xen_default(unsigned host_vendor);
/* The feature bits Xen's vmce_restore_vcpu accepts on such a host. */
uint64_t vmce_caps_xen_allowed(unsigned host_vendor);
/* Xen's vmce_enable_mca_cap for XEN_HVM_MCA_CAP_LMCE: only with host LMCE
 * support (lmce_support: MCG_LMCE_P and firmware's LMCE_ON). */
bool vmce_caps_lmce_allowed(uint64_t host_mcg_cap, bool lmce_on);

/* The caps this host can back: its SER_P, TES_P and CMCI_P, LMCE_P only
 * when it has it and firmware enabled LMCE, and at most VMCE_MAX_BANKS
 * banks (no more than it has). */
uint64_t vmce_caps_host(uint64_t host_mcg_cap, bool lmce_on);
/* The caps both a and b can back: common features, the smaller count. */
uint64_t vmce_caps_level(uint64_t a, uint64_t b);
/* 0 when a guest shown `guest` can run on a host that backs `supported`;
 * -EINVAL for a feature the host lacks, a bit outside the known set, no
 * banks, or more banks than supported. */
int vmce_caps_check(uint64_t guest, uint64_t supported);
/* Set the bank count, error bank and feature flags of vp from caps; its
 * other fields (past-count policy, bank-0 quirk) are kept. */
void vmce_policy_from_caps(struct vmce_policy *vp, uint64_t caps);

#endif
