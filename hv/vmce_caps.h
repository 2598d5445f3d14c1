/*
 * vmce_caps.h - which virtual MCG_CAP a host can back, and whether a
 * migrating guest's caps fit it.
 *
 * A guest keeps the MCG_CAP it was shown for life, so a host receiving it
 * must offer at least those features and banks (Xen rejects a saved
 * VMCE_VCPU record with unsupported caps with -EINVAL, vmce_restore_vcpu).
 * A pool of hosts levels its caps to what all of them have, as with CPUID:
 * "calculate the minimum subset of features available on all processors"
 * (George Dunlap, vMCE design RFC, xen-devel 2012). Pure functions.
 */
#ifndef HV_VMCE_CAPS_H
#define HV_VMCE_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain.h"

/* The only MCG_CAP feature bits a guest can be shown (besides the count). */
#define VMCE_CAPS_FEATURES (MCG_SER_P | MCG_TES_P | MCG_CMCI_P | MCG_LMCE_P)

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
