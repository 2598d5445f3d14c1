/*
 * test_vmce.c - the virtual MCA interface, MSR by MSR and bank by bank,
 * for each bank-count policy; vMCE injection (MSCOD masking, broadcast,
 * nesting); and the decision table of the Xen MCA/MCE concept (Egger,
 * 2007) row by row. Expected values are those of Xen's vmce.c and Egger's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arch/x86_mca.h"
#include "hv/decide.h"
#include "hv/domain.h"
#include "hv/vmce.h"

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

static void mcg_cap_matches_xen(void **state)
{
    (void)state;
    struct vmce_policy p = policy(2, VMCE_PAST_ZERO);
    /* Xen on Intel: SER_P | TES_P | CMCI_P | 2 = 0x1000C02 */
    assert_int_equal(vmce_mcg_cap(&p), 0x1000C02);
    p.lmce_p = true;
    assert_int_equal(vmce_mcg_cap(&p), 0x1000C02 | MCG_LMCE_P);
}

/* Every bank index 0..31 and every register, for each policy. */
static void every_bank_msr_reads_and_writes(void **state)
{
    (void)state;
    static const unsigned counts[] = {1, 2, 32};
    for (unsigned c = 0; c < 3; c++)
        for (int past = 0; past < 2; past++) {
            struct domain d;
            mk(&d, counts[c], (enum vmce_past_count)past, 1);
            struct vcpu *v = &d.vcpu[0];
            for (unsigned b = 0; b < VMCE_MAX_BANKS; b++) {
                uint64_t val = 0xdead;
                bool in = b < counts[c];
                enum vmce_msr_result want_past = past ? VMCE_MSR_GP : VMCE_MSR_OK;
                /* MCi_CTL reads all ones inside the count, zero past it */
                assert_int_equal(vmce_rdmsr(&d, v, MSR_IA32_MCx_CTL(b), &val), in ? VMCE_MSR_OK : want_past);
                assert_true(val == (in ? ~0ull : 0));
                assert_int_equal(vmce_wrmsr(&d, v, MSR_IA32_MCx_CTL(b), 0x1234), in ? VMCE_MSR_OK : want_past);
                uint32_t regs[] = {MSR_IA32_MCx_STATUS(b), MSR_IA32_MCx_ADDR(b), MSR_IA32_MCx_MISC(b)};
                for (unsigned r = 0; r < 3; r++) {
                    assert_int_equal(vmce_rdmsr(&d, v, regs[r], &val), in ? VMCE_MSR_OK : want_past);
                    assert_int_equal(val, 0);
                    /* 0 clears; anything else is #GP inside the count */
                    assert_int_equal(vmce_wrmsr(&d, v, regs[r], 0), in ? VMCE_MSR_OK : want_past);
                    assert_int_equal(vmce_wrmsr(&d, v, regs[r], 1), in ? VMCE_MSR_GP : want_past);
                }
                assert_int_equal(vmce_wrmsr(&d, v, MSR_IA32_MCx_CTL2(b), MCI_CTL2_CMCI_EN | 5),
                                 in ? VMCE_MSR_OK : want_past);
                assert_int_equal(vmce_rdmsr(&d, v, MSR_IA32_MCx_CTL2(b), &val), in ? VMCE_MSR_OK : want_past);
                assert_true(val == (in ? (MCI_CTL2_CMCI_EN | 5) : 0));
            }
            domain_fini(&d);
        }
}

static void global_msrs(void **state)
{
    (void)state;
    struct domain d;
    mk(&d, 2, VMCE_PAST_ZERO, 1);
    struct vcpu *v = &d.vcpu[0];
    uint64_t val;
    assert_int_equal(vmce_rdmsr(&d, v, MSR_IA32_MCG_CAP, &val), VMCE_MSR_OK);
    assert_int_equal(val, 0x1000C02);
    assert_int_equal(vmce_wrmsr(&d, v, MSR_IA32_MCG_CAP, 0xFFFF), VMCE_MSR_OK); /* ignored */
    vmce_rdmsr(&d, v, MSR_IA32_MCG_CAP, &val);
    assert_int_equal(val, 0x1000C02);
    assert_int_equal(vmce_wrmsr(&d, v, MSR_IA32_MCG_STATUS, MCG_STATUS_MCIP), VMCE_MSR_OK);
    vmce_rdmsr(&d, v, MSR_IA32_MCG_STATUS, &val);
    assert_int_equal(val, MCG_STATUS_MCIP);
    assert_int_equal(vmce_wrmsr(&d, v, MSR_IA32_MCG_CTL, ~0ull), VMCE_MSR_OK);
    /* No LMCE_P: MCG_EXT_CTL raises #GP both ways */
    assert_int_equal(vmce_rdmsr(&d, v, MSR_IA32_MCG_EXT_CTL, &val), VMCE_MSR_GP);
    assert_int_equal(vmce_wrmsr(&d, v, MSR_IA32_MCG_EXT_CTL, 1), VMCE_MSR_GP);
    /* Not an MCA MSR: not ours to answer */
    assert_int_equal(vmce_rdmsr(&d, v, 0x10 /* TSC */, &val), VMCE_MSR_NOT_MINE);
    domain_fini(&d);
    struct vmce_policy p = policy(2, VMCE_PAST_ZERO);
    p.lmce_p = true;
    assert_int_equal(domain_init(&d, 1, DOM_TYPE_HVM, 1, &p), 0);
    assert_int_equal(vmce_wrmsr(&d, &d.vcpu[0], MSR_IA32_MCG_EXT_CTL, MCG_EXT_CTL_LMCE_EN), VMCE_MSR_OK);
    assert_int_equal(vmce_wrmsr(&d, &d.vcpu[0], MSR_IA32_MCG_EXT_CTL, 2), VMCE_MSR_GP);
    domain_fini(&d);
}

static void p5_msrs_mirror_bank1(void **state)
{
    (void)state;
    struct domain d;
    mk(&d, 2, VMCE_PAST_ZERO, 1);
    struct vmce_error e = {.status = 0xBD000000004000CFull, .gaddr = 0x5000, .misc = 0x86,
                           .mcg_status = MCG_STATUS_RIPV};
    assert_int_equal(vmce_inject(&d, 0, false, &e), VMCE_INJECTED);
    uint64_t val;
    assert_int_equal(vmce_rdmsr(&d, &d.vcpu[0], MSR_IA32_P5_MC_ADDR, &val), VMCE_MSR_OK);
    assert_int_equal(val, 0x5000);
    assert_int_equal(vmce_rdmsr(&d, &d.vcpu[0], MSR_IA32_P5_MC_TYPE, &val), VMCE_MSR_OK);
    assert_int_equal(val, 0xBD000000000000CFull); /* MSCOD 0x0040 masked */
    domain_fini(&d);
}

static void injection_masks_mscod_and_uses_error_bank(void **state)
{
    (void)state;
    struct domain d;
    mk(&d, 2, VMCE_PAST_ZERO, 2);
    struct vmce_error e = {.status = 0xBD80000000120134ull, .gaddr = 0x12345000, .misc = 0x8C,
                           .mcg_status = MCG_STATUS_EIPV};
    assert_int_equal(vmce_inject(&d, 0, true, &e), VMCE_INJECTED);
    assert_int_equal(d.vcpu[0].vmce.bank[0].status, 0);          /* bank 0 kept empty */
    assert_int_equal(d.vcpu[0].vmce.bank[1].status, 0xBD80000000000134ull);
    assert_int_equal(d.vcpu[0].vmce.bank[1].addr, 0x12345000);
    assert_int_equal(d.vcpu[0].vmce.mcg_status, MCG_STATUS_EIPV | MCG_STATUS_MCIP);
    /* the other vCPU of a broadcast sees MCIP|RIPV only */
    assert_int_equal(d.vcpu[1].vmce.mcg_status, MCG_STATUS_MCIP | MCG_STATUS_RIPV);
    assert_int_equal(d.vcpu[1].vmce.bank[1].status, 0);
    assert_true(d.vcpu[0].vmce.pending && d.vcpu[1].vmce.pending);
    domain_fini(&d);
}

static void nested_vmce_is_refused(void **state)
{
    (void)state;
    struct domain d;
    mk(&d, 2, VMCE_PAST_ZERO, 1);
    struct vmce_error e = {.status = 0xBD000000004000CFull, .mcg_status = MCG_STATUS_RIPV};
    assert_int_equal(vmce_inject(&d, 0, false, &e), VMCE_INJECTED);
    assert_int_equal(vmce_inject(&d, 0, false, &e), VMCE_FAIL_MCIP);
    d.vcpu[0].vmce.mcg_status = 0;     /* handler cleared MCIP ...       */
    assert_int_equal(vmce_inject(&d, 0, false, &e), VMCE_FAIL_PENDING); /* ... but never ran */
    d.vcpu[0].vmce.pending = false;
    assert_int_equal(vmce_inject(&d, 0, false, &e), VMCE_INJECTED);
    assert_int_equal(vmce_inject(&d, 5, false, &e), VMCE_FAIL_BAD_VCPU);
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
        cmocka_unit_test(every_bank_msr_reads_and_writes),
        cmocka_unit_test(global_msrs),
        cmocka_unit_test(p5_msrs_mirror_bank1),
        cmocka_unit_test(injection_masks_mscod_and_uses_error_bank),
        cmocka_unit_test(nested_vmce_is_refused),
        cmocka_unit_test(msr_exits_are_counted),
        cmocka_unit_test(p2m_translates_and_breaks),
        cmocka_unit_test(decision_tree_branches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
