/*
 * test_security.c - nothing a guest does can hurt the host or another
 * domain: every MCA hypercall from a DomU is -EPERM; a guest writing
 * arbitrary values to every MSR in and around the MCA range gets #GP or
 * silence, never a host stop; a guest touching a broken frame in a loop is
 * crashed (once) while the host and the other domains run on; malformed
 * NOTIFYDOMAIN requests from dom0 are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "hv/hv.h"
#include "mock_platform.h"

#define CAP_SER (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P)

struct fx {
    struct mock m;
    struct hv hv;
};

static struct fx *setup(enum hv_broken_access ba)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 2, CAP_SER, 10);
    static const struct hv_mem_region regions[] = {
        {0x10000, 0x1000, HV_OWNER_DOMAIN, 1, false, 0},
        {0x20000, 0x1000, HV_OWNER_DOMAIN, 2, false, 0},
    };
    struct vmce_policy vp = {.nbanks = 2, .err_bank = 1, .ser_p = true, .cmci_p = true, .tes_p = true};
    struct hv_domain_config doms[3] = {
        {.id = 0, .type = DOM_TYPE_DOM0, .nvcpus = 1, .vmce = vp, .mca_handler = true},
        {.id = 1, .type = DOM_TYPE_HVM, .nvcpus = 2, .vmce = vp},
        {.id = 2, .type = DOM_TYPE_HVM, .nvcpus = 1, .vmce = vp},
    };
    struct hv_config cfg;
    hv_config_defaults(&cfg, 2);
    cfg.regions = regions;
    cfg.nregions = 2;
    cfg.domains = doms;
    cfg.ndomains = 3;
    cfg.broken_access = ba;
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    for (unsigned c = 0; c < 2; c++)
        hv_cpu_boot(&f->hv, c);
    for (unsigned d = 1; d <= 2; d++)
        hv_guest_set_cr4_mce(&f->hv, d, 0, true);
    hv_guest_set_cr4_mce(&f->hv, 1, 1, true);
    return f;
}

static void teardown(struct fx *f)
{
    hv_fini(&f->hv);
    test_free(f);
}

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void domu_hypercalls_are_refused(void **state)
{
    (void)state;
    struct fx *f = setup(BROKEN_ACCESS_CRASH);
    struct mca_hypercall *hc = (struct mca_hypercall *)f->m.gmem;
    for (uint32_t cmd = 0; cmd < 8; cmd++)
        for (unsigned dom = 1; dom <= 2; dom++) {
            memset(hc, 0, sizeof(*hc));
            hc->cmd = cmd;
            hc->interface_version = MCA_INTERFACE_VERSION;
            assert_int_equal(hv_do_mca(&f->hv, dom, MOCK_GBASE), -EPERM);
        }
    assert_false(f->m.stopped);
    teardown(f);
}

/* Every MSR from 0 to 0x4FF (MCA banks, CTL2, MCG_*, P5, and neighbours)
 * with edge and random values, read and write, on every vCPU. */
static void arbitrary_msr_writes_never_hurt_the_host(void **state)
{
    (void)state;
    struct fx *f = setup(BROKEN_ACCESS_CRASH);
    uint64_t seed = 0x243F6A8885A308D3ull;
    const uint64_t edge[] = {0, 1, ~0ull, 0x8000000000000000ull, 0x7FFF, MCI_CTL2_CMCI_EN};
    unsigned gp = 0, ok = 0;
    for (uint32_t msr = 0; msr < 0x500; msr++)
        for (unsigned vcpu = 0; vcpu < 3; vcpu++) { /* vcpu 2 does not exist */
            for (unsigned k = 0; k < 8; k++) {
                uint64_t v = k < 6 ? edge[k] : next_rand(&seed);
                uint64_t r;
                int w = hv_guest_wrmsr(&f->hv, 1, vcpu, msr, v);
                int rr = hv_guest_rdmsr(&f->hv, 1, vcpu, msr, &r);
                assert_true(w == 0 || w == -1);
                assert_true(rr == 0 || rr == -1);
                gp += (w != 0) + (rr != 0);
                ok += (w == 0) + (rr == 0);
            }
        }
    assert_true(gp > 0 && ok > 0);
    assert_false(f->m.stopped);
    /* The writes touched domain 1 only: domain 2's view is pristine. */
    uint64_t cap;
    assert_int_equal(hv_guest_rdmsr(&f->hv, 2, 0, MSR_IA32_MCG_CAP, &cap), 0);
    assert_int_equal(cap, 0x1000C02);
    assert_int_equal(hv_domain(&f->hv, 2)->state, DOM_RUNNING);
    /* Non-zero status writes were all refused: the banks are still empty. */
    uint64_t st;
    assert_int_equal(hv_guest_rdmsr(&f->hv, 1, 0, MSR_IA32_MCx_STATUS(1), &st), 0);
    assert_int_equal(st, 0);
    teardown(f);
}

static void broken_page_loop_crashes_only_the_guest(void **state)
{
    (void)state;
    for (int policy = 0; policy < 2; policy++) {
        struct fx *f = setup((enum hv_broken_access)policy);
        struct domain *d1 = hv_domain(&f->hv, 1);
        assert_int_equal(p2m_mark_broken(d1, 0x42), 0);
        int crashed = 0, vmces = 0;
        for (int i = 0; i < 10000; i++) {
            int r = hv_guest_access(&f->hv, 1, (unsigned)(i % 2), 0x42000 + (unsigned)(i % 4096), i % 3 == 0);
            crashed += r < 0;
            vmces += r > 0;
        }
        assert_int_equal(d1->state, DOM_CRASHED);
        if (policy == BROKEN_ACCESS_SRAR)
            assert_int_equal(vmces, 2); /* one per vCPU; vCPU 0's second finds MCIP set: crash */
        else
            assert_int_equal(vmces, 0);
        assert_int_equal(crashed, 1); /* once crashed, nothing more happens */
        assert_false(f->m.stopped);
        assert_int_equal(hv_domain(&f->hv, 2)->state, DOM_RUNNING);
        assert_int_equal(hv_domain(&f->hv, 0)->state, DOM_RUNNING);
        /* an unbroken frame of the other domain is fine */
        assert_int_equal(hv_guest_access(&f->hv, 2, 0, 0x42000, false), 0);
        teardown(f);
    }
}

static long notify(struct fx *f, uint32_t domid, uint32_t action)
{
    struct mca_hypercall *hc = (struct mca_hypercall *)f->m.gmem;
    memset(hc, 0, sizeof(*hc));
    hc->cmd = MCA_CMD_NOTIFYDOMAIN;
    hc->interface_version = MCA_INTERFACE_VERSION;
    hc->u.notifydomain.domid = domid;
    hc->u.notifydomain.action = action;
    return hv_do_mca(&f->hv, 0, MOCK_GBASE);
}

/* Xen: do_mca answers XEN_MC_notifydomain -EINVAL, whatever it says; the
 * seed000 decider gives it a meaning and checks every field. */
static void notifydomain_validates(void **state)
{
    (void)state;
    struct fx *f = setup(BROKEN_ACCESS_CRASH);
    assert_int_equal(notify(f, 1, MCA_DOM0_KILL), -EINVAL);
    assert_int_equal(notify(f, 2, MCA_DOM0_SAVE), -EINVAL);
    assert_int_equal(hv_domain(&f->hv, 1)->state, DOM_RUNNING);
    assert_int_equal(hv_domain(&f->hv, 2)->state, DOM_RUNNING);
    f->hv.cfg.decider = DECIDER_SEED000;
    assert_int_equal(notify(f, 0, MCA_DOM0_KILL), -EINVAL);   /* not dom0 itself */
    assert_int_equal(notify(f, 1, 0), -EINVAL);
    assert_int_equal(notify(f, 1, 99), -EINVAL);
    assert_int_equal(notify(f, 7, MCA_DOM0_KILL), -ESRCH);
    assert_int_equal(notify(f, 2, MCA_DOM0_SAVE), 0);
    assert_int_equal(hv_domain(&f->hv, 2)->state, DOM_PAUSED);
    assert_int_equal(notify(f, 1, MCA_DOM0_KILL), 0);
    assert_int_equal(hv_domain(&f->hv, 1)->state, DOM_CRASHED);
    assert_int_equal(notify(f, 1, MCA_DOM0_KILL), 0); /* idempotent */
    assert_false(f->m.stopped);
    teardown(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(domu_hypercalls_are_refused),
        cmocka_unit_test(arbitrary_msr_writes_never_hurt_the_host),
        cmocka_unit_test(broken_page_loop_crashes_only_the_guest),
        cmocka_unit_test(notifydomain_validates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
