/*
 * test_guest_msr.c - a guest MSR access the vMCE code does not answer
 * (hv/guest_msr.c): #GP under Xen; Xen's msr_relaxed reads an MSR nobody
 * handles as zero when the host has it, and never touches the vMCE MSRs'
 * own #GPs; the vMCE design RFC's raz_msrs list reads a listed MSR as zero
 * and drops its writes wherever #GP would come.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "arch/x86_mca.h"
#include "hv/hv.h"
#include "mock_platform.h"

#define MCG_RAX 0x180u /* extended-state MSR: the host "has" it below */
#define OTHER 0x181u   /* nobody has it */

struct fx {
    struct mock m; /* first: the platform's ctx is &m */
    struct hv hv;
    int (*mock_rdmsr)(void *, unsigned, uint32_t, uint64_t *);
    unsigned host_reads;
};

/* The host CPU has MCG_RAX besides its MCA registers. */
static int host_rdmsr(void *ctx, unsigned cpu, uint32_t msr, uint64_t *v)
{
    struct fx *f = ctx;
    f->host_reads++;
    if (msr == MCG_RAX)
        return *v = 0x1234, 0;
    return f->mock_rdmsr(ctx, cpu, msr, v);
}

static struct fx *setup(bool relaxed, const uint32_t *raz, unsigned nraz)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 1, MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P, 10);
    f->mock_rdmsr = f->m.plat.rdmsr;
    f->m.plat.rdmsr = host_rdmsr;
    struct vmce_policy vp = {.nbanks = 2, .err_bank = 1, .ser_p = true, .cmci_p = true, .tes_p = true};
    struct hv_domain_config doms[] = {
        {.id = 0, .type = DOM_TYPE_DOM0, .nvcpus = 1, .vmce = vp, .mca_handler = true},
        {.id = 1, .type = DOM_TYPE_HVM, .nvcpus = 1, .vmce = vp, .msr_relaxed = relaxed},
    };
    struct hv_config cfg;
    hv_config_defaults(&cfg, 1);
    cfg.domains = doms;
    cfg.ndomains = 2;
    for (unsigned i = 0; i < nraz; i++)
        cfg.raz_msrs[i] = raz[i];
    cfg.nraz_msrs = nraz;
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    return f;
}

static void teardown(struct fx *f)
{
    hv_fini(&f->hv);
    test_free(f);
}

static int rd(struct fx *f, uint32_t msr, uint64_t *v) { return hv_guest_rdmsr(&f->hv, 1, 0, msr, v); }
static int wr(struct fx *f, uint32_t msr, uint64_t v) { return hv_guest_wrmsr(&f->hv, 1, 0, msr, v); }

static void xen_gps_what_vmce_does_not_handle(void **state)
{
    (void)state;
    struct fx *f = setup(false, NULL, 0);
    uint64_t v = 7;
    assert_int_equal(rd(f, MCG_RAX, &v), -1);
    assert_int_equal(v, 0);
    assert_int_equal(wr(f, MCG_RAX, 0), -1);
    assert_int_equal(rd(f, MSR_IA32_MCG_EXT_CTL, &v), -1); /* no LMCE_P */
    assert_int_equal(f->host_reads, 0);                    /* nobody asks the host */
    teardown(f);
}

/* msr_relaxed: an MSR nobody handles, that the host has, reads as zero
 * (not the host's value) and drops writes; one the host lacks still #GPs. */
static void msr_relaxed_asks_the_host(void **state)
{
    (void)state;
    struct fx *f = setup(true, NULL, 0);
    uint64_t v = 7;
    assert_int_equal(rd(f, MCG_RAX, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(wr(f, MCG_RAX, 5), 0);
    assert_int_equal(rd(f, OTHER, &v), -1);
    assert_int_equal(wr(f, OTHER, 0), -1);
    assert_int_equal(f->host_reads, 4);
    teardown(f);
}

/* The vMCE MSRs' own #GPs stay: vmce_rdmsr answers before the fallback. */
static void msr_relaxed_leaves_the_vmce_gps(void **state)
{
    (void)state;
    struct fx *f = setup(true, NULL, 0);
    uint64_t v;
    assert_int_equal(rd(f, MSR_IA32_MCG_EXT_CTL, &v), -1);
    assert_int_equal(wr(f, MSR_IA32_MCG_EXT_CTL, 1), -1);
    assert_int_equal(wr(f, MSR_IA32_MCx_STATUS(1), 1), -1);
    assert_int_equal(f->host_reads, 0);
    teardown(f);
}

static void raz_list_reads_zero_where_gp_would_come(void **state)
{
    (void)state;
    static const uint32_t raz[] = {MSR_IA32_MCG_EXT_CTL, OTHER, MSR_IA32_P5_MC_ADDR, MSR_IA32_MCG_CAP};
    struct fx *f = setup(false, raz, 4);
    uint64_t v = 7;
    assert_int_equal(rd(f, MSR_IA32_MCG_EXT_CTL, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(wr(f, MSR_IA32_MCG_EXT_CTL, 1), 0);
    assert_int_equal(rd(f, OTHER, &v), 0);
    assert_int_equal(wr(f, OTHER, 3), 0);
    assert_int_equal(wr(f, MSR_IA32_P5_MC_ADDR, 1), 0); /* a read-only alias: dropped */
    /* not listed: as Xen */
    assert_int_equal(wr(f, MSR_IA32_MCx_STATUS(1), 1), -1);
    assert_int_equal(rd(f, MCG_RAX, &v), -1);
    /* listed, but vMCE answers it: the list changes nothing */
    assert_int_equal(hv_guest_rdmsr(&f->hv, 1, 0, MSR_IA32_MCG_CAP, &v), 0);
    assert_int_equal(v, 0x1000C02);
    teardown(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xen_gps_what_vmce_does_not_handle),
        cmocka_unit_test(msr_relaxed_asks_the_host),
        cmocka_unit_test(msr_relaxed_leaves_the_vmce_gps),
        cmocka_unit_test(raz_list_reads_zero_where_gp_would_come),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
