/*
 * mce_intel.c - Xen's Intel bring-up for the xen handler order:
 * intel_mcheck_init (mce_intel.c), which mcheck_init (mce_boot.c) runs on
 * every CPU of Intel family 6 or 15, in Xen's order:
 *   intel_init_mca: mce_broadcast (mce_is_broadcast: family 6 from model
 *     0xE, or mce_fb), SER and CMCI support, mce_firstbank (1 on family 6
 *     below model 0x1A), LMCE (MCG_CAP.LMCE_P and firmware's LMCE_ON, not
 *     with mce_fb: MCG_EXT_CTL.LMCE_EN); the boot CPU's decisions stand
 *     for the host, and it prints the "MCA Capability" dprintk;
 *   the boot CPU installs intel_callbacks (xen_callbacks.c);
 *   intel_init_mce: the boot logout of mca_allbanks
 *     (intel_mce_post_reset: dumped and committed), then from firstbank
 *     on every bank whose MCi_CTL is still 0 gets MCi_CTL = ~0 and its
 *     status cleared (a bank shared with a CPU that came up first is left
 *     alone), and MC0_STATUS is cleared when bank 0 is skipped;
 *   intel_init_cmci: CMCI discovery (mce_intel_cmci.c).
 * Thermal interrupts, PPIN and the extended MSRs are not modelled (no
 * machine-check behaviour; mcasim's CPUs have no MCG_EXT_P), nor the
 * warning for an AP whose capabilities differ (mcasim's never do).
 */
#include "arch/x86_mca.h"
#include "mce_console.h"
#include "mce_internal.h"
#include "mce_logout.h"
#include "xen_callbacks.h"

/* intel_init_mca's decisions (the boot CPU's stand for the host). */
static void init_mca(struct hv *hv, unsigned cpu, uint64_t cap)
{
    const struct hv_config *cfg = &hv->cfg;
    struct hv_xen *x = &hv->x;
    bool broadcast = cfg->mce_fb || (cfg->family == 6 && cfg->model >= 0xE); /* mce_is_broadcast */
    unsigned first = cfg->family == 6 && cfg->model < 0x1A;                 /* mce_firstbank */
    bool lmce = false;
    if (!cfg->mce_fb && (cap & MCG_LMCE_P) && cfg->lmce_on) { /* intel_enable_lmce */
        hv_wrmsr(hv, cpu, MSR_IA32_MCG_EXT_CTL, MCG_EXT_CTL_LMCE_EN);
        lmce = true;
    }
    if (cpu != 0)
        return;
    xen_dprintk(hv, DPK_MCA_CAPABILITY, "MCA Capability: firstbank %u, extended MCE MSR %d%s%s%s%s", first, 0,
                broadcast ? ", BCAST" : "", (cap & MCG_SER_P) ? ", SER" : "", (cap & MCG_CMCI_P) ? ", CMCI" : "",
                lmce ? ", LMCE" : "");
    x->broadcast = broadcast;
    x->ser_support = (cap & MCG_SER_P) != 0;
    x->cmci_support = (cap & MCG_CMCI_P) != 0; /* and cpu_has_apic: always */
    x->lmce_support = lmce;
    x->firstbank = first;
}

/* intel_init_mce: the boot logout, then the banks nobody initialised. */
static void init_mce(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    struct xen_logout bs;
    xen_mca_logout(hv, cpu, XEN_SRC_RESET, hv->x.allbanks, &bs, NULL);
    if (bs.errcnt && bs.e) {
        xen_mcinfo_dump(hv, &bs.e->rec);
        hv_record_commit(hv, cpu, bs.e);
    } else if (bs.e) {
        hv_record_dismiss(hv, cpu, bs.e);
    }
    for (unsigned i = hv->x.firstbank; i < c->nbanks; i++) {
        uint64_t ctl = 0;
        hv_rdmsr(hv, cpu, MSR_IA32_MCx_CTL(i), &ctl);
        if (ctl)
            continue; /* a CPU sharing the bank came up first */
        xen_mce_printk_verbose(hv, "mce_init: init bank%u", i);
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_CTL(i), ~0ull);
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_STATUS(i), 0);
    }
    if (hv->x.firstbank)
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_STATUS(0), 0);
}

enum xen_mcheck_type xen_intel_mcheck_init(struct hv *hv, unsigned cpu, uint64_t cap)
{
    init_mca(hv, cpu, cap);
    if (cpu == 0) /* mce_handler_init */
        hv->x.cb = &xen_intel_callbacks;
    init_mce(hv, cpu);
    xen_intel_init_cmci(hv, cpu);
    return XEN_MCHECK_INTEL;
}
