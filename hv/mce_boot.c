/*
 * mce_boot.c - per-CPU machine-check bring-up, by handler order.
 *
 * xen: Xen's mcheck_init (mce.c) with intel_mcheck_init (mce_intel.c):
 *   mce=0: nothing at all, CR4.MCE stays clear ("MCE support disabled by
 *   bootparam" on the boot CPU);
 *   mca_cap_init: MCG_CTL = ~0 when present, the bank count, mca_allbanks
 *   (left empty on 4.17, xen_release.h);
 *   intel_init_mca: mce_broadcast (mce_is_broadcast: Intel family 6 from
 *   model 0xE, or mce_fb), SER and CMCI support, mce_firstbank (1 on
 *   Intel family 6 below model 0x1A), LMCE (MCG_CAP.LMCE_P and firmware's
 *   LMCE_ON, not with mce_fb: MCG_EXT_CTL.LMCE_EN); the boot CPU's
 *   "MCA Capability" dprintk;
 *   intel_init_mce: the boot logout of mca_allbanks (intel_mce_post_reset:
 *   dumped and committed), then from firstbank on every bank whose
 *   MCi_CTL is still 0 gets MCi_CTL = ~0 and its status cleared (a bank
 *   shared with a CPU that came up first is left alone), and MC0_STATUS is
 *   cleared when bank 0 is skipped;
 *   CMCI bank discovery (shared with the linux order, below), the boot
 *   CPU's "machine check reporting enabled"; CR4.MCE stays set (the
 *   machine starts with it set, standing for mcheck_init's set_in_cr4; the
 *   early exits above clear it);
 *   set_poll_bankmask: without CMCI the poller walks mca_allbanks less
 *   bank 0 when firstbank is 1.
 * linux: every bank enabled (MCi_CTL = ~0) and claimed for CMCI, LMCE
 *   enabled whenever firmware allows.
 * Both then start CMCI storm tracking and the poll timer.
 */
#include "arch/x86_mca.h"
#include "mce_console.h"
#include "mce_internal.h"
#include "mce_logout.h"

static void wr(struct hv *hv, unsigned cpu, uint32_t msr, uint64_t v)
{
    hv->plat->wrmsr(hv->plat->ctx, cpu, msr, v);
}

/* Xen's boot code loads CR4 without MCE (XEN_MINIMAL_CR4); only
 * mcheck_init sets it. Where mcheck_init stops early it stays clear. */
static void clear_cr4_mce(struct hv *hv, unsigned cpu)
{
    if (hv->plat->set_cr4_mce)
        hv->plat->set_cr4_mce(hv->plat->ctx, cpu, 0);
}

/* SDM 15.5.1: a CPU that finds CMCI_EN already set in a bank shares the
 * bank with a CPU that claimed it first, and leaves it alone. Otherwise it
 * sets CMCI_EN and the threshold and owns the bank. Without CMCI every CPU
 * polls the bank. */
static bool claim_bank(struct hv *hv, unsigned cpu, unsigned bank, uint64_t cap)
{
    uint64_t v = 0;
    if (!(cap & MCG_CMCI_P) || !hv->cfg.cmci_threshold)
        return true;
    hv_rdmsr(hv, cpu, MSR_IA32_MCx_CTL2(bank), &v);
    if (v & MCI_CTL2_CMCI_EN)
        return false;
    wr(hv, cpu, MSR_IA32_MCx_CTL2(bank), (hv->cfg.cmci_threshold & MCI_CTL2_THRESHOLD_MASK) | MCI_CTL2_CMCI_EN);
    return true;
}

/* MCG_CAP: the CPU's capabilities and bank count. */
static uint64_t read_cap(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    uint64_t cap = 0;
    hv_rdmsr(hv, cpu, MSR_IA32_MCG_CAP, &cap);
    c->mcg_cap = cap;
    c->nbanks = (unsigned)(cap & MCG_CAP_COUNT_MASK);
    if (c->nbanks > MCA_MAX_BANKS)
        c->nbanks = MCA_MAX_BANKS;
    if (cap & MCG_CTL_P)
        wr(hv, cpu, MSR_IA32_MCG_CTL, ~0ull);
    return cap;
}

static void start_polling(struct hv *hv, unsigned cpu)
{
    const struct hv_platform *p = hv->plat;
    struct hv_cpu *c = &hv->cpu[cpu];
    hv_storm_cpu_boot(hv, cpu);
    c->poll_interval_ps = hv->cfg.poll_initial_ps;
    if (c->poll_interval_ps)
        p->arm_timer(p->ctx, cpu, p->now_ps(p->ctx) + c->poll_interval_ps);
}

static void linux_cpu_boot(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    uint64_t cap = read_cap(hv, cpu);
    c->owned = 0;
    /* One CPU at a time: a read-then-set by two CPUs at once would let
     * both claim a shared bank (Xen and Linux hold a discovery lock). */
    hv_spin_lock(hv, &hv->discover_lock, cpu);
    for (unsigned i = 0; i < c->nbanks; i++) {
        wr(hv, cpu, MSR_IA32_MCx_CTL(i), ~0ull);
        if (claim_bank(hv, cpu, i, cap))
            c->owned |= 1u << i;
    }
    hv_spin_unlock(hv, &hv->discover_lock);
    if ((cap & MCG_LMCE_P) && hv->cfg.lmce_on)
        wr(hv, cpu, MSR_IA32_MCG_EXT_CTL, MCG_EXT_CTL_LMCE_EN);
    start_polling(hv, cpu);
}

static uint32_t bank_mask(unsigned nbanks)
{
    return nbanks >= 32 ? 0xFFFFFFFFu : (1u << nbanks) - 1;
}

/* intel_init_mca's decisions (the boot CPU's stand for the host). */
static void init_mca(struct hv *hv, unsigned cpu, uint64_t cap)
{
    const struct hv_config *cfg = &hv->cfg;
    struct hv_xen *x = &hv->x;
    bool intel = cfg->vendor == 0;
    bool broadcast = cfg->mce_fb || (intel && cfg->family == 6 && cfg->model >= 0xE);
    unsigned first = intel && cfg->family == 6 && cfg->model < 0x1A;
    bool lmce = false;
    if (!cfg->mce_fb && (cap & MCG_LMCE_P) && cfg->lmce_on) { /* intel_enable_lmce */
        wr(hv, cpu, MSR_IA32_MCG_EXT_CTL, MCG_EXT_CTL_LMCE_EN);
        lmce = true;
    }
    if (cpu != 0)
        return;
    xen_dprintk(hv, DPK_MCA_CAPABILITY, "MCA Capability: firstbank %u, extended MCE MSR %d%s%s%s%s", first, 0,
                broadcast ? ", BCAST" : "", (cap & MCG_SER_P) ? ", SER" : "", (cap & MCG_CMCI_P) ? ", CMCI" : "",
                lmce ? ", LMCE" : "");
    x->broadcast = broadcast;
    x->ser_support = (cap & MCG_SER_P) != 0;
    x->cmci_support = (cap & MCG_CMCI_P) != 0;
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
        telem_dismiss(&hv->telem, bs.e);
    }
    for (unsigned i = hv->x.firstbank; i < c->nbanks; i++) {
        uint64_t ctl = 0;
        hv_rdmsr(hv, cpu, MSR_IA32_MCx_CTL(i), &ctl);
        if (ctl)
            continue; /* a CPU sharing the bank came up first */
        xen_mce_printk_verbose(hv, "mce_init: init bank%u", i);
        wr(hv, cpu, MSR_IA32_MCx_CTL(i), ~0ull);
        wr(hv, cpu, MSR_IA32_MCx_STATUS(i), 0);
    }
    if (hv->x.firstbank)
        wr(hv, cpu, MSR_IA32_MCx_STATUS(0), 0);
}

void hv_xen_cpu_boot(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    struct hv_xen *x = &hv->x;
    c->owned = 0;
    if (hv->cfg.mce_off) {
        if (cpu == 0)
            hv_printk(hv, "MCE support disabled by bootparam");
        clear_cr4_mce(hv, cpu);
        return;
    }
    uint64_t cap = read_cap(hv, cpu);
    if (!c->nbanks) {
        hv_printk(hv, "CPU%u: No MCE banks present. Machine check support disabled", cpu);
        clear_cr4_mce(hv, cpu);
        return;
    }
    if (!x->allbanks_num || c->nbanks > x->allbanks_num) { /* mca_cap_init */
        x->allbanks = xen_release_of(hv->cfg.xen_version)->allbanks_empty ? 0 : bank_mask(c->nbanks);
        x->allbanks_num = c->nbanks;
    }
    init_mca(hv, cpu, cap);
    init_mce(hv, cpu);
    hv_spin_lock(hv, &hv->discover_lock, cpu); /* intel_init_cmci: cmci_discover */
    for (unsigned i = 0; i < c->nbanks && (cap & MCG_CMCI_P); i++)
        if (claim_bank(hv, cpu, i, cap))
            c->owned |= 1u << i;
    hv_spin_unlock(hv, &hv->discover_lock);
    if (cpu == 0 && hv->cfg.vendor == 0) /* show_mca_info */
        hv_printk(hv, "CPU%u: Intel machine check reporting enabled", cpu);
    else if (cpu == 0) /* mce_amd.c is not modelled: its Intel-like stand-in */
        hv_printk(hv, "CPU%u: AMD Fam%xh machine check reporting enabled", cpu, hv->cfg.family);
    /* set_in_cr4(X86_CR4_MCE): the machine's CR4.MCE already stands for
     * it (a scenario's cr4_mce event may clear it from time 0 on). */
    if (!(cap & MCG_CMCI_P)) /* set_poll_bankmask */
        c->owned = x->allbanks & ~(x->firstbank ? 1u : 0u);
    start_polling(hv, cpu);
}

void hv_cpu_boot(struct hv *hv, unsigned cpu)
{
    if (hv->cfg.order == ORDER_LINUX)
        linux_cpu_boot(hv, cpu);
    else
        hv_xen_cpu_boot(hv, cpu);
}
