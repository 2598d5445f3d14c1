/*
 * test_vmce.c - the virtual MCA interface, MSR class by MSR class, as
 * Xen's vmce_rdmsr / vmce_wrmsr (cpu/mcheck/vmce.c, mce_intel.c, mce_amd.c)
 * answer; fill_vmsr_data and inject_vmce (broadcast, LMCE, busy vCPUs,
 * never-onlined vCPUs, PV without callback); vmce_restore_vcpu's check;
 * the p2m; and the decision table of the Xen MCA/MCE concept (Egger, 2007)
 * row by row. Expected values are read off Xen's source and Egger's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "hv/decide.h"
#include "hv/domain.h"
#include "hv/vmce.h"
#include "hv/vmce_caps.h"

static struct vmce_policy policy(unsigned nbanks, enum vmce_past_count past)
{
    struct vmce_policy p = {.nbanks = nbanks, .err_bank = nbanks > 1 ? 1 : 0, .ser_p = true,
                            .cmci_p = true, .tes_p = true, .past_count = past};
    return p;
}

static void mk(struct domain *d, unsigned nbanks, enum vmce_past_count past, unsigned nvcpus)
{
    struct vmce_policy p = policy(nbanks, past);
    assert_int_equal(domain_init(d, 1, DOM_TYPE_HVM, nvcpus, &p), 0);
}

#define XEN_INTEL_CAPS 0x1000C02ull /* SER_P | TES_P | CMCI_P | 2 */

static void mcg_cap_matches_xen(void **state)
{
    (void)state;
    struct vmce_policy p = policy(2, VMCE_PAST_ZERO);
    assert_int_equal(vmce_mcg_cap(&p), XEN_INTEL_CAPS);
    p.lmce_p = true;
    assert_int_equal(vmce_mcg_cap(&p), XEN_INTEL_CAPS | MCG_LMCE_P);
    /* vmce_init_vcpu: INTEL_GUEST_MCG_CAP, AMD_GUEST_MCG_CAP */
    assert_int_equal(vmce_caps_xen_default(0), XEN_INTEL_CAPS);
    assert_int_equal(vmce_caps_xen_default(1), 2);
    /* vmce_restore_vcpu's accepted features: LMCE_P too on Intel */
    assert_int_equal(vmce_caps_xen_allowed(0), MCG_SER_P | MCG_TES_P | MCG_CMCI_P | MCG_LMCE_P);
    assert_int_equal(vmce_caps_xen_allowed(1), 0);
    /* vmce_enable_mca_cap: LMCE only with the host's LMCE_P and LMCE_ON */
    assert_true(vmce_caps_lmce_allowed(MCG_LMCE_P | 10, true));
    assert_false(vmce_caps_lmce_allowed(MCG_LMCE_P | 10, false));
    assert_false(vmce_caps_lmce_allowed(10, true));
}

/* One access and what Xen answers (vmce_rdmsr/vmce_wrmsr and the bank
 * helpers). Rows run in order on one vCPU, so a write is seen by the
 * reads after it. */
struct msr_row {
    bool write;
    uint32_t msr;
    uint64_t val;            /* written, or expected when read      */
    enum vmce_msr_result want;
};

static void run_rows(struct domain *d, const struct msr_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct msr_row *r = &rows[i];
        uint64_t got = 0xdeadbeef;
        if (r->write) {
            assert_int_equal(vmce_wrmsr(d, &d->vcpu[0], r->msr, r->val), r->want);
        } else {
            assert_int_equal(vmce_rdmsr(d, &d->vcpu[0], r->msr, &got), r->want);
            assert_true(got == r->val);
        }
    }
}

#define RD(m, v, w) {false, (m), (v), (w)}
#define WR(m, v, w) {true, (m), (v), (w)}
#define OK VMCE_MSR_OK
#define GP VMCE_MSR_GP

/* Inside the count (2 banks, Intel host and guest). */
static void bank_msrs_inside_count(void **state)
{
    (void)state;
    struct domain d;
    mk(&d, 2, VMCE_PAST_ZERO, 1);
    d.vcpu[0].vmce.bank[1] = (struct vmce_bank){.status = 0xB1, .addr = 0xA1, .misc = 0x91};
    static const struct msr_row rows[] = {
        RD(MSR_IA32_MCx_CTL(0), ~0ull, OK), WR(MSR_IA32_MCx_CTL(0), 0, OK), RD(MSR_IA32_MCx_CTL(0), ~0ull, OK),
        RD(MSR_IA32_MCx_STATUS(1), 0xB1, OK), RD(MSR_IA32_MCx_ADDR(1), 0xA1, OK),
        RD(MSR_IA32_MCx_MISC(1), 0x91, OK),
        /* anything but 0 is #GP, and changes nothing */
        WR(MSR_IA32_MCx_STATUS(1), 1, GP), WR(MSR_IA32_MCx_ADDR(1), 2, GP), WR(MSR_IA32_MCx_MISC(1), 3, GP),
        RD(MSR_IA32_MCx_STATUS(1), 0xB1, OK),
        /* 0 clears */
        WR(MSR_IA32_MCx_STATUS(1), 0, OK), WR(MSR_IA32_MCx_ADDR(1), 0, OK), WR(MSR_IA32_MCx_MISC(1), 0, OK),
        RD(MSR_IA32_MCx_STATUS(1), 0, OK), RD(MSR_IA32_MCx_ADDR(1), 0, OK), RD(MSR_IA32_MCx_MISC(1), 0, OK),
        /* CTL2 keeps the whole value, CMCI_P or not */
        WR(MSR_IA32_MCx_CTL2(1), 0xFFFFFFFFFFFFFFFFull, OK), RD(MSR_IA32_MCx_CTL2(1), 0xFFFFFFFFFFFFFFFFull, OK),
        WR(MSR_IA32_MCx_CTL2(0), 0x40000002ull, OK), RD(MSR_IA32_MCx_CTL2(0), 0x40000002ull, OK),
    };
    run_rows(&d, rows, sizeof(rows) / sizeof(rows[0]));
    d.mcg_cap &= ~MCG_CMCI_P;
    run_rows(&d, (const struct msr_row[]){RD(MSR_IA32_MCx_CTL2(0), 0x40000002ull, OK)}, 1);
    domain_fini(&d);
}

/* A restored record may show more banks than Xen stores (count 32): the
 * banks past two read zero and take only a clear; CTL still reads ~0. */
static void banks_past_two_inside_count(void **state)
{
    (void)state;
    struct domain d;
    mk(&d, 32, VMCE_PAST_ZERO, 1);
    static const struct msr_row rows[] = {
        RD(MSR_IA32_MCx_CTL(5), ~0ull, OK), RD(MSR_IA32_MCx_STATUS(5), 0, OK),
        WR(MSR_IA32_MCx_STATUS(5), 0, OK), WR(MSR_IA32_MCx_STATUS(5), 7, GP),
        WR(MSR_IA32_MCx_CTL2(31), 5, OK), RD(MSR_IA32_MCx_CTL2(31), 0, OK),
    };
    run_rows(&d, rows, sizeof(rows) / sizeof(rows[0]));
    domain_fini(&d);
}

/* Past the count: not a bank MSR of the vCPU. Xen reads zero and drops
 * writes (even a non-zero STATUS write); the old behaviour #GPs. */
static void banks_past_the_count(void **state)
{
    (void)state;
    for (int past = 0; past < 2; past++) {
        struct domain d;
        mk(&d, 2, (enum vmce_past_count)past, 1);
        enum vmce_msr_result w = past ? GP : OK;
        for (unsigned b = 2; b < VMCE_MAX_BANKS; b++) {
            const struct msr_row rows[] = {
                RD(MSR_IA32_MCx_CTL(b), 0, w), WR(MSR_IA32_MCx_CTL(b), 0, w),
                RD(MSR_IA32_MCx_STATUS(b), 0, w), WR(MSR_IA32_MCx_STATUS(b), 1, w),
                RD(MSR_IA32_MCx_ADDR(b), 0, w), WR(MSR_IA32_MCx_ADDR(b), 1, w),
                RD(MSR_IA32_MCx_MISC(b), 0, w), WR(MSR_IA32_MCx_MISC(b), 1, w),
                RD(MSR_IA32_MCx_CTL2(b), 0, w), WR(MSR_IA32_MCx_CTL2(b), 1, w),
            };
            run_rows(&d, rows, sizeof(rows) / sizeof(rows[0]));
        }
        domain_fini(&d);
    }
}

/* vmce_intel_rdmsr reads CTL2 only for a guest shown an Intel CPU; on an
 * AMD host CTL2 is no bank MSR at all (vmce_amd_*). */
static void ctl2_by_vendor(void **state)
{
    (void)state;
    struct domain d;
    mk(&d, 2, VMCE_PAST_ZERO, 1);
    d.cpuid_vendor = 1; /* Intel host, guest shown AMD */
    static const struct msr_row intel_host[] = {
        WR(MSR_IA32_MCx_CTL2(1), 9, OK), RD(MSR_IA32_MCx_CTL2(1), 0, OK),
    };
    run_rows(&d, intel_host, 2);
    assert_int_equal(d.vcpu[0].vmce.bank[1].ctl2, 9); /* stored, not shown */
    d.host_vendor = 1;
    d.vcpu[0].vmce.bank[1].ctl2 = 0;
    static const struct msr_row amd_host[] = {
        WR(MSR_IA32_MCx_CTL2(1), 9, OK), RD(MSR_IA32_MCx_CTL2(1), 0, OK),
    };
    run_rows(&d, amd_host, 2);
    assert_int_equal(d.vcpu[0].vmce.bank[1].ctl2, 0);
    domain_fini(&d);
}

static void global_msrs(void **state)
{
    (void)state;
    struct domain d;
    mk(&d, 2, VMCE_PAST_ZERO, 1);
    static const struct msr_row rows[] = {
        RD(MSR_IA32_MCG_CAP, XEN_INTEL_CAPS, OK), WR(MSR_IA32_MCG_CAP, 0xFFFF, OK),
        RD(MSR_IA32_MCG_CAP, XEN_INTEL_CAPS, OK),
        /* any value, MCIP or not */
        WR(MSR_IA32_MCG_STATUS, 0xFFull, OK), RD(MSR_IA32_MCG_STATUS, 0xFFull, OK),
        /* no MCG_CTL_P: zero, writes dropped */
        RD(MSR_IA32_MCG_CTL, 0, OK), WR(MSR_IA32_MCG_CTL, ~0ull, OK),
        /* no LMCE_P: MCG_EXT_CTL #GPs both ways */
        RD(MSR_IA32_MCG_EXT_CTL, 0, GP), WR(MSR_IA32_MCG_EXT_CTL, 1, GP), WR(MSR_IA32_MCG_EXT_CTL, 0, GP),
        RD(0x10 /* TSC */, 0, VMCE_MSR_NOT_MINE), RD(MSR_IA32_MCx_CTL(VMCE_MAX_BANKS), 0, VMCE_MSR_NOT_MINE),
    };
    run_rows(&d, rows, sizeof(rows) / sizeof(rows[0]));
    d.mcg_cap |= MCG_CTL_P | MCG_LMCE_P; /* as a restored record may say */
    static const struct msr_row restored[] = {
        RD(MSR_IA32_MCG_CTL, ~0ull, OK), RD(MSR_IA32_MCG_EXT_CTL, 0, OK),
        WR(MSR_IA32_MCG_EXT_CTL, MCG_EXT_CTL_LMCE_EN, OK), RD(MSR_IA32_MCG_EXT_CTL, MCG_EXT_CTL_LMCE_EN, OK),
        WR(MSR_IA32_MCG_EXT_CTL, 2, GP), RD(MSR_IA32_MCG_EXT_CTL, MCG_EXT_CTL_LMCE_EN, OK),
    };
    run_rows(&d, restored, sizeof(restored) / sizeof(restored[0]));
    domain_fini(&d);
}

/* ce59e472b5: P5_MC_ADDR/TYPE read bank 1 on Intel hosts, whatever the
 * count; zero on AMD; not writable anywhere. */
static void p5_msrs_mirror_bank1(void **state)
{
    (void)state;
    struct domain d;
    mk(&d, 2, VMCE_PAST_ZERO, 1);
    struct vmce_error e = {.status = 0xBD000000004000CFull, .gaddr = 0x5000, .misc = 0x86};
    assert_int_equal(vmce_fill(&d, VMCE_BROADCAST, MCG_STATUS_MCIP | MCG_STATUS_RIPV, &e), 0);
    static const struct msr_row rows[] = {
        RD(MSR_IA32_P5_MC_ADDR, 0x5000, OK), RD(MSR_IA32_P5_MC_TYPE, 0xBD000000000000CFull, OK),
        WR(MSR_IA32_P5_MC_ADDR, 0, GP), WR(MSR_IA32_P5_MC_TYPE, 0, GP),
    };
    run_rows(&d, rows, sizeof(rows) / sizeof(rows[0]));
    d.mcg_cap = (d.mcg_cap & ~MCG_CAP_COUNT_MASK) | 1;
    run_rows(&d, rows, 2);
    d.host_vendor = 1;
    static const struct msr_row amd[] = {
        RD(MSR_IA32_P5_MC_ADDR, 0, OK), RD(MSR_IA32_P5_MC_TYPE, 0, OK), WR(MSR_IA32_P5_MC_ADDR, 0, GP),
    };
    run_rows(&d, amd, 3);
    domain_fini(&d);
}

/* fill_vmsr_data: vCPU 0 gets the host's MCG_STATUS (LMCES dropped on a
 * broadcast) and the error in bank 1 with MSCOD masked; the others
 * MCIP|RIPV and an empty bank 1. */
static void fill_broadcast(void **state)
{
    (void)state;
    struct domain d;
    mk(&d, 2, VMCE_PAST_ZERO, 3);
    d.vcpu[2].vmce.bank[1].status = 0x55; /* stale: overwritten by the fill */
    struct vmce_error e = {.status = 0xBD80000000120134ull, .gaddr = 0x12345000, .misc = 0x8C};
    uint64_t gstatus = MCG_STATUS_EIPV | MCG_STATUS_MCIP | MCG_STATUS_LMCES;
    assert_int_equal(vmce_fill(&d, VMCE_BROADCAST, gstatus, &e), 0);
    assert_int_equal(d.vcpu[0].vmce.bank[0].status, 0); /* bank 0 kept empty */
    assert_int_equal(d.vcpu[0].vmce.bank[1].status, 0xBD80000000000134ull);
    assert_int_equal(d.vcpu[0].vmce.bank[1].addr, 0x12345000);
    assert_int_equal(d.vcpu[0].vmce.bank[1].misc, 0x8C);
    assert_int_equal(d.vcpu[0].vmce.mcg_status, MCG_STATUS_EIPV | MCG_STATUS_MCIP);
    for (unsigned i = 1; i < 3; i++) {
        assert_int_equal(d.vcpu[i].vmce.mcg_status, MCG_STATUS_MCIP | MCG_STATUS_RIPV);
        assert_int_equal(d.vcpu[i].vmce.bank[1].status, 0);
    }
    assert_false(d.vcpu[0].vmce.pending); /* filling is not injecting */
    /* vCPU 1 has not handled it: -EBUSY, but vCPU 2 is filled anyway */
    d.vcpu[0].vmce.mcg_status = 0;
    d.vcpu[2].vmce.mcg_status = 0;
    assert_int_equal(vmce_fill(&d, VMCE_BROADCAST, MCG_STATUS_RIPV | MCG_STATUS_MCIP, &e), -EBUSY);
    assert_int_equal(d.vcpu[0].vmce.mcg_status, MCG_STATUS_RIPV | MCG_STATUS_MCIP);
    assert_int_equal(d.vcpu[2].vmce.mcg_status, MCG_STATUS_MCIP | MCG_STATUS_RIPV);
    domain_fini(&d);
}

/* An LMCE fill goes to the named vCPU; without LMCES, to vCPU 0. */
static void fill_local(void **state)
{
    (void)state;
    struct domain d;
    mk(&d, 2, VMCE_PAST_ZERO, 3);
    struct vmce_error e = {.status = 0xBD80000000000134ull, .gaddr = 0x7000};
    assert_int_equal(vmce_fill(&d, 2, MCG_STATUS_EIPV | MCG_STATUS_MCIP | MCG_STATUS_LMCES, &e), 0);
    assert_int_equal(d.vcpu[2].vmce.bank[1].addr, 0x7000);
    assert_int_equal(d.vcpu[2].vmce.mcg_status, MCG_STATUS_EIPV | MCG_STATUS_MCIP | MCG_STATUS_LMCES);
    assert_int_equal(d.vcpu[0].vmce.mcg_status, 0);
    assert_int_equal(d.vcpu[1].vmce.mcg_status, 0);
    /* AMD's case: a target without LMCES, and vCPU 0 is filled */
    assert_int_equal(vmce_fill(&d, 1, MCG_STATUS_EIPV | MCG_STATUS_MCIP, &e), 0);
    assert_int_equal(d.vcpu[0].vmce.bank[1].addr, 0x7000);
    assert_int_equal(d.vcpu[1].vmce.mcg_status, 0);
    assert_int_equal(vmce_fill(&d, 9, MCG_STATUS_LMCES, &e), -EINVAL);
    domain_fini(&d);
}

/* inject_vmce: pending per vCPU, never-onlined vCPUs skipped, a pending
 * one or a PV vCPU without callback refuses the whole injection. */
static void inject_rules(void **state)
{
    (void)state;
    struct domain d;
    unsigned who = 99;
    mk(&d, 2, VMCE_PAST_ZERO, 4);
    d.vcpu[3].up = false;
    assert_int_equal(vmce_inject(&d, VMCE_BROADCAST, &who), 0);
    assert_true(d.vcpu[0].vmce.pending && d.vcpu[1].vmce.pending && d.vcpu[2].vmce.pending);
    assert_false(d.vcpu[3].vmce.pending);
    assert_int_equal(d.vmce_injected, 1);
    d.vcpu[0].vmce.pending = d.vcpu[2].vmce.pending = false;
    assert_int_equal(vmce_inject(&d, VMCE_BROADCAST, &who), -EBUSY); /* vCPU 1 still pending */
    assert_int_equal(who, 1);
    assert_true(d.vcpu[0].vmce.pending);  /* vCPU 0 was marked before the refusal */
    assert_false(d.vcpu[2].vmce.pending); /* the loop stopped at vCPU 1 */
    assert_int_equal(d.vmce_injected, 1);
    assert_int_equal(vmce_inject(&d, 3, &who), -ESRCH); /* never brought up */
    assert_int_equal(vmce_inject(&d, 2, &who), 0);
    assert_int_equal(vmce_inject(&d, 2, &who), -EBUSY);
    d.type = DOM_TYPE_PV;
    d.vcpu[0].vmce.pending = d.vcpu[1].vmce.pending = d.vcpu[2].vmce.pending = false;
    assert_int_equal(vmce_inject(&d, VMCE_BROADCAST, &who), -EBUSY); /* no #MC callback */
    assert_int_equal(who, 0);
    d.mce_callback = true;
    assert_int_equal(vmce_inject(&d, VMCE_BROADCAST, NULL), 0);
    for (unsigned i = 0; i < 3; i++)
        d.vcpu[i].up = false;
    assert_int_equal(vmce_inject(&d, VMCE_BROADCAST, NULL), -ESRCH);
    domain_fini(&d);
}

/* vCPU state across guest CPU hotplug: a vCPU never initialised is
 * skipped by inject_vmce but filled by fill_vmsr_data's broadcast, so its
 * MCIP stays and the next broadcast fill fails on it; one the guest took
 * down is still initialised: inject marks it, fill fills it. */
static void hotplug_vcpu_state(void **state)
{
    (void)state;
    struct domain d;
    const struct vmce_error e = {.status = 0xBD000000004000CFull, .gaddr = 0x123000, .misc = 0x86};
    mk(&d, 2, VMCE_PAST_ZERO, 3);
    d.vcpu[2].up = false;  /* never brought up */
    d.vcpu[1].down = true; /* taken offline */
    assert_int_equal(vmce_fill(&d, VMCE_BROADCAST, MCG_STATUS_MCIP | MCG_STATUS_EIPV, &e), 0);
    assert_int_equal(d.vcpu[2].vmce.mcg_status, MCG_STATUS_MCIP | MCG_STATUS_RIPV);
    assert_int_equal(d.vcpu[1].vmce.mcg_status, MCG_STATUS_MCIP | MCG_STATUS_RIPV);
    assert_int_equal(vmce_inject(&d, VMCE_BROADCAST, NULL), 0);
    assert_true(d.vcpu[0].vmce.pending && d.vcpu[1].vmce.pending);
    assert_false(d.vcpu[2].vmce.pending);
    /* vCPU 0's handler clears MCG_STATUS; 1 and 2 never run theirs */
    d.vcpu[0].vmce.mcg_status = 0;
    d.vcpu[0].vmce.pending = false;
    assert_int_equal(vmce_fill(&d, VMCE_BROADCAST, MCG_STATUS_MCIP | MCG_STATUS_EIPV, &e), -EBUSY);
    assert_int_equal(d.vcpu[0].vmce.mcg_status, MCG_STATUS_MCIP | MCG_STATUS_EIPV); /* filled before */
    assert_int_equal(vmce_inject(&d, VMCE_BROADCAST, NULL), -EBUSY); /* vCPU 1 still pending */
    domain_fini(&d);
}

/* vmce_restore_vcpu: features outside the allowed set are -EINVAL; the
 * count and MCG_CTL_P pass; CTL2 and EXT_CTL are taken as saved. */
static void restore_checks_features_only(void **state)
{
    (void)state;
    struct domain d;
    mk(&d, 2, VMCE_PAST_ZERO, 1);
    uint64_t intel = vmce_caps_xen_allowed(0);
    struct vmce_save s = {.caps = XEN_INTEL_CAPS | MCG_LMCE_P | MCG_CTL_P | 32, .ctl2 = {~0ull, 5}, .ext_ctl = 3};
    assert_int_equal(vmce_load_vcpu(&d, &d.vcpu[0], &s, intel), 0);
    assert_int_equal(d.mcg_cap, s.caps);
    assert_int_equal(d.vcpu[0].vmce.bank[0].ctl2, ~0ull);
    assert_int_equal(d.vcpu[0].vmce.mcg_ext_ctl, 3);
    s.caps = XEN_INTEL_CAPS | (1ull << 9); /* MCG_EXT_P */
    assert_int_equal(vmce_load_vcpu(&d, &d.vcpu[0], &s, intel), -EINVAL);
    assert_int_equal(d.mcg_cap, XEN_INTEL_CAPS | MCG_LMCE_P | MCG_CTL_P | 32); /* unchanged */
    s.caps = XEN_INTEL_CAPS;
    assert_int_equal(vmce_load_vcpu(&d, &d.vcpu[0], &s, vmce_caps_xen_allowed(1)), -EINVAL);
    s.caps = 0;
    assert_int_equal(vmce_load_vcpu(&d, &d.vcpu[0], &s, vmce_caps_xen_allowed(1)), 0);
    domain_fini(&d);
}

static void msr_exits_are_counted(void **state)
{
    (void)state;
    /* A guest that reads every bank's STATUS pays one exit per bank: the
     * cost of a 32-bank interface (vMCE design RFC, 2012). */
    static const unsigned counts[] = {1, 2, 32};
    for (unsigned c = 0; c < 3; c++) {
        struct domain d;
        mk(&d, counts[c], VMCE_PAST_ZERO, 1);
        uint64_t v;
        for (unsigned b = 0; b < counts[c]; b++)
            vmce_rdmsr(&d, &d.vcpu[0], MSR_IA32_MCx_STATUS(b), &v);
        assert_int_equal(d.msr_exits, counts[c]);
        domain_fini(&d);
    }
}

static void p2m_translates_and_breaks(void **state)
{
    (void)state;
    struct domain d;
    mk(&d, 2, VMCE_PAST_ZERO, 1);
    assert_int_equal(domain_add_range(&d, 0x10000, 0x100), 0);
    assert_int_equal(domain_add_range(&d, 0x80000, 0x100), 0);
    uint64_t x;
    assert_true(p2m_lookup(&d, 0x150, &x));
    assert_int_equal(x, 0x80050);
    assert_true(p2m_reverse(&d, 0x80050, &x));
    assert_int_equal(x, 0x150);
    assert_false(p2m_reverse(&d, 0x90000, &x));
    assert_false(p2m_is_broken(&d, 0x150));
    assert_int_equal(p2m_mark_broken(&d, 0x150), 0);
    assert_int_equal(p2m_mark_broken(&d, 0x10), 0);
    assert_int_equal(p2m_mark_broken(&d, 0x150), 0);
    assert_true(p2m_is_broken(&d, 0x150) && p2m_is_broken(&d, 0x10));
    assert_int_equal(p2m_nbroken(&d), 2);
    uint64_t first;
    assert_int_equal(gfn_set_copy(&d.broken, 0, &first, 1), 1);
    assert_int_equal(first, 0x10);
    /* a gfn given back maps nothing, and only once */
    assert_int_equal(p2m_remove(&d, 0x150), 0);
    assert_false(p2m_lookup(&d, 0x150, &x));
    assert_false(p2m_reverse(&d, 0x80050, &x));
    assert_int_equal(p2m_remove(&d, 0x150), -1);
    assert_int_equal(p2m_remove(&d, 0x900), -1);
    assert_true(p2m_lookup(&d, 0x151, &x));
    domain_fini(&d);
}

struct dt_case {
    enum hv_decider decider;
    enum dom_type type;
    bool callback, pv_driver, mca_enabled, dom0_handler;
    enum dt_action want;
    const char *branch_prefix;
};

static void decision_tree_branches(void **state)
{
    (void)state;
    static const struct dt_case cases[] = {
        {DECIDER_XEN, DOM_TYPE_PV, false, false, false, true, DT_VMCE, "Xen"},
        {DECIDER_XEN, DOM_TYPE_HVM, false, false, false, false, DT_VMCE, "Xen"},
        {DECIDER_SEED000, DOM_TYPE_DOM0, true, false, false, true, DT_VMCE, "2b"},
        {DECIDER_SEED000, DOM_TYPE_HVM, true, false, true, true, DT_DEFER, "2c"},
        {DECIDER_SEED000, DOM_TYPE_PV, false, false, false, true, DT_DEFER, "2c"},
        {DECIDER_SEED000, DOM_TYPE_PV, true, false, false, false, DT_VMCE, "3a"},
        {DECIDER_SEED000, DOM_TYPE_PV, false, false, false, false, DT_KILL, "3a/3b"},
        {DECIDER_SEED000, DOM_TYPE_HVM, true, true, false, false, DT_VMCE, "3b: HVM DomU with a PV driver"},
        {DECIDER_SEED000, DOM_TYPE_HVM, false, false, true, false, DT_VMCE, "3b: HVM DomU enabled MCA"},
        {DECIDER_SEED000, DOM_TYPE_HVM, false, false, false, false, DT_KILL, "3a/3b"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct dt_case *c = &cases[i];
        struct dt_input in = {c->decider, c->type, c->callback, c->pv_driver, c->mca_enabled, c->dom0_handler};
        struct dt_result r = decide_domain_error(&in);
        assert_int_equal(r.action, c->want);
        assert_memory_equal(r.branch, c->branch_prefix, strlen(c->branch_prefix));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mcg_cap_matches_xen),
        cmocka_unit_test(bank_msrs_inside_count),
        cmocka_unit_test(banks_past_two_inside_count),
        cmocka_unit_test(banks_past_the_count),
        cmocka_unit_test(ctl2_by_vendor),
        cmocka_unit_test(global_msrs),
        cmocka_unit_test(p5_msrs_mirror_bank1),
        cmocka_unit_test(fill_broadcast),
        cmocka_unit_test(fill_local),
        cmocka_unit_test(inject_rules),
        cmocka_unit_test(hotplug_vcpu_state),
        cmocka_unit_test(restore_checks_features_only),
        cmocka_unit_test(msr_exits_are_counted),
        cmocka_unit_test(p2m_translates_and_breaks),
        cmocka_unit_test(decision_tree_branches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
