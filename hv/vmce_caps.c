/*
 * vmce_caps.c - levelling and checking virtual MCG_CAP values (see
 * vmce_caps.h for the rules and their sources).
 */
#include "vmce_caps.h"

#include <errno.h>

static uint64_t count(uint64_t caps) { return caps & MCG_CAP_COUNT_MASK; }
static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* Xen's GUEST_MC_BANK_NUM (asm/mce.h). */
#define XEN_GUEST_BANKS 2u

uint64_t vmce_caps_xen_default(unsigned host_vendor)
{
    if (host_vendor != 0)
        return XEN_GUEST_BANKS; /* AMD_GUEST_MCG_CAP */
    return MCG_SER_P | MCG_TES_P | MCG_CMCI_P | XEN_GUEST_BANKS; /* INTEL_GUEST_MCG_CAP */
}

uint64_t vmce_caps_xen_allowed(unsigned host_vendor)
{
    uint64_t caps = vmce_caps_xen_default(host_vendor) & ~MCG_CAP_COUNT_MASK;
    return host_vendor == 0 ? caps | MCG_LMCE_P : caps;
}

bool vmce_caps_lmce_allowed(uint64_t host_mcg_cap, bool lmce_on)
{
    return (host_mcg_cap & MCG_LMCE_P) && lmce_on;
}

uint64_t vmce_caps_host(uint64_t host_mcg_cap, bool lmce_on)
{
    uint64_t feat = host_mcg_cap & (MCG_SER_P | MCG_TES_P | MCG_CMCI_P);
    if ((host_mcg_cap & MCG_LMCE_P) && lmce_on)
        feat |= MCG_LMCE_P;
    return feat | min_u64(count(host_mcg_cap), VMCE_MAX_BANKS);
}

uint64_t vmce_caps_level(uint64_t a, uint64_t b)
{
    return (a & b & VMCE_CAPS_FEATURES) | min_u64(count(a), count(b));
}

int vmce_caps_check(uint64_t guest, uint64_t supported)
{
    if (guest & ~(VMCE_CAPS_FEATURES | MCG_CAP_COUNT_MASK))
        return -EINVAL;
    if (guest & VMCE_CAPS_FEATURES & ~supported)
        return -EINVAL;
    if (count(guest) == 0 || count(guest) > count(supported))
        return -EINVAL;
    return 0;
}

void vmce_policy_from_caps(struct vmce_policy *vp, uint64_t caps)
{
    vp->nbanks = (unsigned)min_u64(count(caps), VMCE_MAX_BANKS);
    /* bank 0 stays empty when there is another (the bank-0 quirk, s.5) */
    vp->err_bank = vp->nbanks > 1 ? 1 : 0;
    vp->ser_p = caps & MCG_SER_P;
    vp->tes_p = caps & MCG_TES_P;
    vp->cmci_p = caps & MCG_CMCI_P;
    vp->lmce_p = caps & MCG_LMCE_P;
    vp->ctl_p = caps & MCG_CTL_P;
}
