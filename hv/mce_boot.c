/*
 * mce_boot.c - per-CPU machine-check bring-up, by handler order.
 *
 * xen: Xen's mcheck_init (mce.c) on every CPU:
 *   mce=0: nothing at all, CR4.MCE stays clear ("MCE support disabled by
 *   bootparam" on the boot CPU);
 *   mca_cap_init: MCG_CTL = ~0 when present, the bank count (none: "No
 *   MCE banks present", CR4.MCE clear), mca_allbanks (left empty on
 *   4.17, xen_release.h);
 *   the vendor's init: Intel family 6 and 15 intel_mcheck_init
 *   (mce_intel.c), AMD and Hygon amd_mcheck_init (mce_amd.c); any other
 *   CPU (another Intel family, Centaur, Zhaoxin) gets none: mcheck_none,
 *   "No machine check initialization", the boot CPU frees its poll mask
 *   and mca_allbanks, CR4.MCE stays clear, #MC keeps Xen's
 *   unexpected_machine_check;
 *   show_mca_info: "CPU0: Intel machine check reporting enabled" and its
 *   AMD and Hygon forms, printed by the first CPU of a type;
 *   CR4.MCE stays set (the machine starts with it set, standing for
 *   mcheck_init's set_in_cr4; the early exits above clear it);
 *   set_poll_bankmask: with CMCI the banks without it, else
 *   mca_allbanks less bank 0 when mce_firstbank.
 *   Once every CPU is up, the initcall starts the poller (mce_nonfatal.c).
 *   A CPU brought online again later (cpu_up) runs mcheck_init the same
 *   way, boot logout and CMCI discovery included; the initcalls do not
 *   run again.
 * linux: every bank enabled (MCi_CTL = ~0) and claimed for CMCI, LMCE
 *   enabled whenever firmware allows.
 * The linux order and the Linux storm policies start CMCI storm tracking
 * and a poll timer per CPU at boot (cmci_poll.c, cmci_storm.c).
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

/* The linux order's discovery (SDM 15.5.1): a CPU that finds CMCI_EN
 * already set in a bank shares the bank with a CPU that claimed it first,
 * and leaves it alone. Otherwise it sets CMCI_EN and the threshold (at
 * most the field's 0x7FFF) and owns the bank. Without CMCI every CPU
 * polls the bank. (The xen order's is mce_intel_cmci.c.) */
static bool claim_bank(struct hv *hv, unsigned cpu, unsigned bank, uint64_t cap)
{
    uint64_t v = 0;
    if (!(cap & MCG_CMCI_P) || !hv->cfg.cmci_threshold)
        return true;
    hv_rdmsr(hv, cpu, MSR_IA32_MCx_CTL2(bank), &v);
    if (v & MCI_CTL2_CMCI_EN)
        return false;
    uint64_t thr = hv->cfg.cmci_threshold < MCI_CTL2_THRESHOLD_MASK ? hv->cfg.cmci_threshold : MCI_CTL2_THRESHOLD_MASK;
    wr(hv, cpu, MSR_IA32_MCx_CTL2(bank), thr | MCI_CTL2_CMCI_EN);
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

/* show_mca_info: a CPU whose type differs from the last one shown prints
 * it (in practice the boot CPU, all CPUs being alike). */
static void show_mca_info(struct hv *hv, unsigned cpu, enum xen_mcheck_type t)
{
    static const struct {
        const char *name;
        bool family;      /* "%s Fam%xh machine check reporting enabled" */
    } types[] = {
        [XEN_MCHECK_AMD_FAMXX] = {"AMD", true}, [XEN_MCHECK_AMD_K8] = {"AMD K8", false},
        [XEN_MCHECK_INTEL] = {"Intel", false},  [XEN_MCHECK_HYGON] = {"Hygon", true},
    };
    if (t == hv->x.shown)
        return;
    hv->x.shown = t;
    if (t == XEN_MCHECK_NONE)
        hv_printk(hv, "CPU%u: No machine check initialization", cpu);
    else if (types[t].family)
        hv_printk(hv, "CPU%u: %s Fam%xh machine check reporting enabled", cpu, types[t].name, hv->cfg.family);
    else
        hv_printk(hv, "CPU%u: %s machine check reporting enabled", cpu, types[t].name);
}

/* mcheck_init's switch: which vendor code takes the CPU. */
static enum xen_mcheck_type vendor_init(struct hv *hv, unsigned cpu, uint64_t cap)
{
    const struct hv_config *cfg = &hv->cfg;
    switch (cfg->vendor) {
    case CPU_VENDOR_AMD:
    case CPU_VENDOR_HYGON:
        return xen_amd_mcheck_init(hv, cpu);
    case CPU_VENDOR_INTEL:
        if (cfg->family == 6 || cfg->family == 15)
            return xen_intel_mcheck_init(hv, cpu, cap);
        return XEN_MCHECK_NONE;
    default: /* Centaur, Zhaoxin: no vendor code */
        return XEN_MCHECK_NONE;
    }
}

/* set_poll_bankmask: with CMCI the banks without it (no_cmci_banks);
 * without, mca_allbanks less bank 0 when mce_firstbank. */
static void set_poll_bankmask(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    if (hv->x.cmci_support)
        c->poll_mask = c->no_cmci;
    else
        c->poll_mask = hv->x.allbanks & bank_mask(c->nbanks) & ~(hv->x.firstbank ? 1u : 0u);
}

/* This CPU is through mcheck_init. Xen runs its initcalls, the poller's
 * among them, once every CPU is up; the Linux storm policies poll per CPU
 * (cmci_poll.c) from boot. dom0 does not exist before then, so nothing
 * found during boot reaches it (xen_dom0_vmce_enabled). */
static void booted(struct hv *hv, unsigned cpu, bool mca)
{
    bool again = hv->cpu[cpu].was_up; /* brought online again (cpu_up) */
    hv->cpu[cpu].was_up = true;
    if (again && hv_xen_cmci_poll(hv))
        return; /* the initcalls ran once, at boot */
    if (again) {
        if (mca)
            start_polling(hv, cpu);
        return;
    }
    if (hv_xen_cmci_poll(hv)) {
        hv_storm_cpu_boot(hv, cpu);
        if (++hv->x.booted == hv->cfg.ncpus)
            xen_init_nonfatal_mce_checker(hv, cpu);
        return;
    }
    hv->x.booted++;
    if (mca)
        start_polling(hv, cpu);
}

/* mcheck_init for one CPU. */
void hv_xen_cpu_boot(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    struct hv_xen *x = &hv->x;
    c->owned = c->cmci_owned = c->no_cmci = c->poll_mask = 0;
    if (hv->cfg.mce_off) {
        if (cpu == 0)
            hv_printk(hv, "MCE support disabled by bootparam");
        clear_cr4_mce(hv, cpu);
        booted(hv, cpu, false);
        return;
    }
    uint64_t cap = read_cap(hv, cpu);
    if (!c->nbanks) {
        hv_printk(hv, "CPU%u: No MCE banks present. Machine check support disabled", cpu);
        clear_cr4_mce(hv, cpu);
        booted(hv, cpu, false);
        return;
    }
    if (!x->allbanks_num || c->nbanks > x->allbanks_num) { /* mca_cap_init */
        x->allbanks = xen_release_of(hv->cfg.xen_version)->allbanks_empty ? 0 : bank_mask(c->nbanks);
        x->allbanks_num = c->nbanks;
    }
    if (cpu == 0) /* cpu_bank_alloc */
        x->poll_bankmask = true;
    enum xen_mcheck_type t = vendor_init(hv, cpu, cap);
    show_mca_info(hv, cpu, t);
    if (t == XEN_MCHECK_NONE) { /* the boot CPU frees its masks and mca_allbanks */
        if (cpu == 0) {
            x->poll_bankmask = false;
            x->allbanks = 0;
            x->allbanks_num = 0;
        }
        clear_cr4_mce(hv, cpu);
        booted(hv, cpu, false);
        return;
    }
    /* set_in_cr4(X86_CR4_MCE): the machine's CR4.MCE already stands for
     * it (a scenario's cr4_mce event may clear it from time 0 on). */
    set_poll_bankmask(hv, cpu);
    /* what cmci_poll.c's scan reads under a Linux storm policy */
    c->owned = x->cmci_support ? c->cmci_owned | c->no_cmci : c->poll_mask;
    booted(hv, cpu, true);
}

void hv_cpu_boot(struct hv *hv, unsigned cpu)
{
    if (hv->cfg.order == ORDER_LINUX)
        linux_cpu_boot(hv, cpu);
    else
        hv_xen_cpu_boot(hv, cpu);
}
