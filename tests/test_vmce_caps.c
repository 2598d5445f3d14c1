/*
 * test_vmce_caps.c - the virtual MCG_CAP a host can back, levelling across
 * hosts (vMCE design RFC, 2012: "the minimum subset of features available
 * on all processors"), the migration check (unsupported caps are -EINVAL,
 * Xen's vmce_restore_vcpu), the policy a caps value gives, and the
 * VMCE_VCPU save/restore of one vCPU.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "arch/x86_mca.h"
#include "hv/domain.h"
#include "hv/vmce.h"
#include "hv/vmce_caps.h"

#define XEN_CAPS 0x1000C02ull /* SER_P | TES_P | CMCI_P | 2 */
#define HOST_CAP (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P | MCG_LMCE_P | MCG_EMC_P | 22)

static void host_caps(void **state)
{
    (void)state;
    /* no CTL_P or EMC_P for a guest; LMCE only when firmware enabled it */
    assert_int_equal(vmce_caps_host(HOST_CAP, true), MCG_SER_P | MCG_TES_P | MCG_CMCI_P | MCG_LMCE_P | 22);
    assert_int_equal(vmce_caps_host(HOST_CAP, false), MCG_SER_P | MCG_TES_P | MCG_CMCI_P | 22);
    assert_int_equal(vmce_caps_host(MCG_TES_P | 40, true), MCG_TES_P | 32); /* at most 32 banks */
    assert_int_equal(vmce_caps_host(6, true), 6);                           /* an old AMD host */
    assert_int_equal(vmce_caps_host(MCG_SER_P | 9, true) & MCG_LMCE_P, 0);  /* no LMCE_P on the host */
}

static void levelling_is_the_common_subset(void **state)
{
    (void)state;
    uint64_t a = MCG_SER_P | MCG_TES_P | MCG_CMCI_P | MCG_LMCE_P | 22;
    uint64_t b = MCG_TES_P | MCG_CMCI_P | 9;
    assert_int_equal(vmce_caps_level(a, b), MCG_TES_P | MCG_CMCI_P | 9);
    assert_int_equal(vmce_caps_level(b, a), vmce_caps_level(a, b));
    assert_int_equal(vmce_caps_level(a, a), a);
    /* bits outside the guest's set never survive levelling */
    assert_int_equal(vmce_caps_level(MCG_CTL_P | 4, MCG_CTL_P | 8), 4);
    /* a guest levelled to the pool passes the check on every host of it */
    assert_int_equal(vmce_caps_check(vmce_caps_level(a, b), a), 0);
    assert_int_equal(vmce_caps_check(vmce_caps_level(a, b), b), 0);
    assert_int_equal(vmce_caps_check(a, b), -EINVAL);
}

static void check_rejects_what_the_host_cannot_back(void **state)
{
    (void)state;
    uint64_t host = vmce_caps_host(HOST_CAP, false); /* SER|TES|CMCI, 22 banks */
    struct {
        uint64_t guest;
        int rc;
    } cases[] = {
        {XEN_CAPS, 0},
        {XEN_CAPS | MCG_LMCE_P, -EINVAL},          /* feature the host lacks   */
        {(XEN_CAPS & ~0xFFull) | 22, 0},           /* exactly the host's count */
        {(XEN_CAPS & ~0xFFull) | 23, -EINVAL},     /* more banks than it backs */
        {XEN_CAPS & ~0xFFull, -EINVAL},            /* no banks                 */
        {XEN_CAPS | MCG_CTL_P, -EINVAL},           /* outside the known set    */
        {XEN_CAPS | (1ull << 40), -EINVAL},
        {2, 0},                                    /* AMD's guest caps         */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(vmce_caps_check(cases[i].guest, host), cases[i].rc);
    assert_int_equal(vmce_caps_check(XEN_CAPS, 2), -EINVAL); /* host without CMCI/SER/TES */
}

static void policy_follows_the_caps(void **state)
{
    (void)state;
    struct vmce_policy vp = {.past_count = VMCE_PAST_GP, .kill_on_bank0_quirk = true, .lmce_p = true};
    vmce_policy_from_caps(&vp, XEN_CAPS);
    assert_int_equal(vp.nbanks, 2);
    assert_int_equal(vp.err_bank, 1);
    assert_true(vp.ser_p && vp.tes_p && vp.cmci_p);
    assert_false(vp.lmce_p);
    assert_int_equal(vp.past_count, VMCE_PAST_GP); /* kept */
    assert_true(vp.kill_on_bank0_quirk);
    assert_int_equal(vmce_mcg_cap(&vp), XEN_CAPS);
    vmce_policy_from_caps(&vp, MCG_LMCE_P | 1);
    assert_int_equal(vp.nbanks, 1);
    assert_int_equal(vp.err_bank, 0); /* one bank carries the error itself */
    assert_true(vp.lmce_p && !vp.ser_p && !vp.cmci_p && !vp.tes_p);
    assert_int_equal(vmce_mcg_cap(&vp), MCG_LMCE_P | 1);
    /* Xen 4.2's interface: the host's count, CTL_P, TES_P, SER_P */
    vmce_policy_from_caps(&vp, 0x100090A);
    assert_int_equal(vp.nbanks, 10);
    assert_true(vp.ctl_p && vp.ser_p && vp.tes_p && !vp.cmci_p);
    assert_int_equal(vmce_mcg_cap(&vp), 0x100090A);
}

static void save_and_load_one_vcpu(void **state)
{
    (void)state;
    struct vmce_policy vp = {.nbanks = 2, .err_bank = 1, .ser_p = true, .tes_p = true, .cmci_p = true,
                             .lmce_p = true};
    struct domain src, dst;
    assert_int_equal(domain_init(&src, 1, DOM_TYPE_HVM, 2, &vp), 0);
    struct vmce_policy other = {.nbanks = 32, .err_bank = 1, .past_count = VMCE_PAST_GP};
    assert_int_equal(domain_init(&dst, 1, DOM_TYPE_HVM, 2, &other), 0);
    assert_int_equal(vmce_wrmsr(&src, &src.vcpu[1], MSR_IA32_MCx_CTL2(0), MCI_CTL2_CMCI_EN | 3), VMCE_MSR_OK);
    assert_int_equal(vmce_wrmsr(&src, &src.vcpu[1], MSR_IA32_MCx_CTL2(1), 7), VMCE_MSR_OK);
    assert_int_equal(vmce_wrmsr(&src, &src.vcpu[1], MSR_IA32_MCG_EXT_CTL, MCG_EXT_CTL_LMCE_EN), VMCE_MSR_OK);
    struct vmce_save s;
    vmce_save_vcpu(&src, &src.vcpu[1], &s);
    assert_int_equal(s.caps, XEN_CAPS | MCG_LMCE_P);
    assert_int_equal(s.ctl2[0], MCI_CTL2_CMCI_EN | 3);
    assert_int_equal(s.ctl2[1], 7);
    assert_int_equal(s.ext_ctl, MCG_EXT_CTL_LMCE_EN);

    /* a host without LMCE refuses it and changes nothing */
    uint64_t no_lmce = vmce_caps_host(HOST_CAP, false);
    assert_int_equal(vmce_load_vcpu(&dst, &dst.vcpu[1], &s, no_lmce), -EINVAL);
    assert_int_equal(dst.vp.nbanks, 32);
    assert_int_equal(dst.vcpu[1].vmce.bank[0].ctl2, 0);

    uint64_t lmce = vmce_caps_host(HOST_CAP, true);
    assert_int_equal(vmce_load_vcpu(&dst, &dst.vcpu[1], &s, lmce), 0);
    assert_int_equal(dst.mcg_cap, XEN_CAPS | MCG_LMCE_P);
    assert_int_equal(dst.vp.nbanks, 2);
    assert_int_equal(dst.vp.past_count, VMCE_PAST_GP);
    uint64_t v;
    assert_int_equal(vmce_rdmsr(&dst, &dst.vcpu[1], MSR_IA32_MCx_CTL2(0), &v), VMCE_MSR_OK);
    assert_int_equal(v, MCI_CTL2_CMCI_EN | 3);
    assert_int_equal(vmce_rdmsr(&dst, &dst.vcpu[1], MSR_IA32_MCG_EXT_CTL, &v), VMCE_MSR_OK);
    assert_int_equal(v, MCG_EXT_CTL_LMCE_EN);

    /* vmce_restore_vcpu takes CTL2 and EXT_CTL as saved: it checks the
     * caps only, so EXT_CTL without LMCE_P, or with unknown bits, passes */
    s.ctl2[0] = ~0ull;
    assert_int_equal(vmce_load_vcpu(&dst, &dst.vcpu[0], &s, lmce), 0);
    assert_int_equal(dst.vcpu[0].vmce.bank[0].ctl2, ~0ull);
    s.ext_ctl = 2;
    s.caps = XEN_CAPS;
    assert_int_equal(vmce_load_vcpu(&dst, &dst.vcpu[0], &s, lmce), 0);
    assert_int_equal(dst.vcpu[0].vmce.mcg_ext_ctl, 2);
    domain_fini(&src);
    domain_fini(&dst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(host_caps),
        cmocka_unit_test(levelling_is_the_common_subset),
        cmocka_unit_test(check_rejects_what_the_host_cannot_back),
        cmocka_unit_test(policy_follows_the_caps),
        cmocka_unit_test(save_and_load_one_vcpu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
