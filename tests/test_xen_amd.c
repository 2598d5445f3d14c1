/*
 * test_xen_amd.c - Xen's CPU vendor dispatch and its AMD code under the
 * xen order, against the mock platform: mcheck_init's switch (Intel
 * families 6 and 15, AMD and Hygon, none for the others), show_mca_info's
 * lines, amd_mcheck_init (no boot logout, the K8 GART quirk, the callback
 * set by family), the #MC path with AMD's callbacks (no handler tables: a
 * recoverable UC is dismissed; bus and TLB errors and every K8 UC are
 * fatal; mc_ec2type's BUG; K8's missing check_addr), and amd_nonfatal's
 * poller (10 s within 2..30 s, mca_allbanks, the MC4_MISC counter).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arch/x86_mca.h"
#include "hv/hv.h"
#include "hv/xen_callbacks.h"
#include "mock_platform.h"

#define S 1000000000000ull
#define CE_MEM 0x9C0000000000009Full       /* VAL|EN|MISCV|ADDRV, MCACOD 0x9F: memory */
#define UC_MEM 0xB000000000000134ull       /* VAL|UC|EN, MCACOD 0x134: memory        */
#define UC_BUS 0xB000000000000800ull       /* VAL|UC|EN, MCACOD 0x800: bus           */
#define UC_INTERNAL 0xB000000000000405ull  /* VAL|UC|EN, MCACOD 0x405: no type       */
#define CE_INTERNAL_AV 0x9C00000000000001ull /* VAL|EN|MISCV|ADDRV, MCACOD 0x001     */
#define MCG_RIPV_MCIP (MCG_STATUS_RIPV | MCG_STATUS_MCIP)

struct fx {
    struct mock m;
    struct hv hv;
};

struct opts {
    enum cpu_vendor vendor;
    unsigned family, model;
    bool dom0;
    enum hv_xen_version ver;
    void (*before)(struct mock *m);
};

static struct fx *boot(struct opts o)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 1, MCG_CTL_P, 6);
    f->m.op_ps = 0;
    if (o.before)
        o.before(&f->m);
    struct hv_config cfg;
    hv_config_defaults(&cfg, 1);
    cfg.vendor = o.vendor;
    cfg.family = o.family;
    cfg.model = o.model;
    cfg.xen_version = o.ver;
    if (o.dom0) {
        cfg.domains = &mock_dom0;
        cfg.ndomains = 1;
    }
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    hv_cpu_boot(&f->hv, 0);
    return f;
}

static struct fx *zen(bool dom0) { return boot((struct opts){CPU_VENDOR_AMD, 0x19, 1, dom0, XEN_VER_4_20, NULL}); }

static void teardown(struct fx *f)
{
    hv_fini(&f->hv);
    test_free(f);
}

static bool console_has(const struct fx *f, const char *line) { return mock_console_has(&f->m, line); }

/* Hardware: latch in a bank and raise #MC on the (only) CPU. */
static void mce(struct fx *f, unsigned bank, uint64_t status)
{
    cpu_mca_latch(&f->m.cpu[0], bank, status, 0x2000, 0x86);
    assert_int_equal(cpu_mca_deliver_mc(&f->m.cpu[0], MCG_RIPV_MCIP), CPU_MC_DELIVERED);
    hv_machine_check(&f->hv, 0);
    if (!f->m.stopped)
        hv_softirq(&f->hv, 0);
}

static void poll_at(struct fx *f, uint64_t t)
{
    f->m.now = t;
    hv_poll_timer(&f->hv, 0);
}

/* ---- mcheck_init's vendor switch ----------------------------------------- */

static void stale_ce(struct mock *m) { cpu_mca_latch(&m->cpu[0], 2, CE_MEM, 0x1000, 0x8C); }

/* amd_mcheck_init: every bank enabled and cleared, what it held unlogged. */
static void amd_boot_clears_banks_unlogged(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){CPU_VENDOR_AMD, 0x19, 1, true, XEN_VER_4_20, stale_ce});
    assert_true(console_has(f, "CPU0: AMD Fam19h machine check reporting enabled"));
    assert_ptr_equal(f->hv.x.cb, &xen_amd_callbacks);
    assert_int_equal(f->m.cpu[0].bank[2].status, 0);
    assert_int_equal(f->hv.telem.stats.reserved, 0);
    for (unsigned b = 0; b < 6; b++)
        assert_int_equal(f->m.cpu[0].bank[b].ctl, ~0ull);
    assert_false(f->hv.x.broadcast);
    assert_false(f->hv.x.cmci_support);
    teardown(f);
}

/* K8: bank 4 reports everything but the GART table walk; k8_callbacks. */
static void k8_gart_quirk_and_callbacks(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){CPU_VENDOR_AMD, 0xF, 0x41, true, XEN_VER_4_20, NULL});
    assert_true(console_has(f, "CPU0: AMD K8 machine check reporting enabled"));
    assert_ptr_equal(f->hv.x.cb, &xen_amd_k8_callbacks);
    assert_int_equal(f->m.cpu[0].bank[4].ctl, ~(1ull << 10));
    assert_int_equal(f->m.cpu[0].bank[3].ctl, ~0ull);
    teardown(f);
}

static void hygon_takes_the_amd_code(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){CPU_VENDOR_HYGON, 0x18, 0, true, XEN_VER_4_20, NULL});
    assert_true(console_has(f, "CPU0: Hygon Fam18h machine check reporting enabled"));
    assert_ptr_equal(f->hv.x.cb, &xen_amd_callbacks);
    assert_true(console_has(f, "mcheck_poll: Machine check polling timer started."));
    assert_int_equal(f->m.timer_at[0], 10 * S);
    teardown(f);
}

/* A CPU no vendor code takes: mcheck_none, no CR4.MCE, no poller, and an
 * #MC would be unexpected_machine_check's. */
static void unknown_cpus_get_no_machine_check(void **state)
{
    (void)state;
    static const struct {
        enum cpu_vendor v;
        unsigned family;
    } cpus[] = {{CPU_VENDOR_CENTAUR, 6}, {CPU_VENDOR_ZHAOXIN, 7}, {CPU_VENDOR_INTEL, 0x13}, {CPU_VENDOR_INTEL, 5}};
    for (unsigned i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
        struct fx *f = boot((struct opts){cpus[i].v, cpus[i].family, 1, true, XEN_VER_4_20, NULL});
        assert_true(console_has(f, "CPU0: No machine check initialization"));
        assert_false(f->m.cpu[0].cr4_mce);
        assert_null(strstr(f->m.console_log, "mcheck_poll"));
        assert_int_equal(f->m.timer_arms[0], 0);
        assert_null(f->hv.x.cb);
        hv_machine_check(&f->hv, 0);
        assert_string_equal(f->m.stop_reason, "FATAL TRAP: vec 18, #MC[0000]");
        teardown(f);
    }
}

/* Intel family 15 (P4) runs the Intel code, without broadcast or firstbank. */
static void intel_family_15_runs_the_intel_code(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){CPU_VENDOR_INTEL, 15, 4, true, XEN_VER_4_20, NULL});
    assert_true(console_has(f, "CPU0: Intel machine check reporting enabled"));
    assert_ptr_equal(f->hv.x.cb, &xen_intel_callbacks);
    assert_false(f->hv.x.broadcast);
    assert_int_equal(f->hv.x.firstbank, 0);
    teardown(f);
}

/* ---- the #MC path with AMD's callbacks ------------------------------------ */

/* A memory UC is recoverable: deferred, not fatal, cleared; no handler
 * owns it, so the softirq dismisses it. */
static void uc_memory_error_is_dismissed(void **state)
{
    (void)state;
    struct fx *f = zen(true);
    mce(f, 3, UC_MEM);
    assert_false(f->m.stopped);
    assert_int_equal(f->m.cpu[0].bank[3].status, 0);
    assert_int_equal(f->hv.telem.stats.committed, 0);
    assert_int_equal(f->hv.telem.stats.dismissed, 1);
    assert_int_equal(f->m.trace_count[HV_STAGE_TELEM_DISMISS], 1);
    assert_int_equal(f->m.virqs, 1); /* mce_softirq sends it all the same */
    teardown(f);
}

/* A bus error is not recoverable: the CPU is fatal; the UC+PCC-less bank
 * is cleared by the #MC handler. */
static void uc_bus_error_is_fatal(void **state)
{
    (void)state;
    struct fx *f = zen(true);
    mce(f, 3, UC_BUS);
    assert_true(f->m.stopped);
    assert_string_equal(f->m.stop_reason, "MCE: Fatal error happened on CPUs 1");
    teardown(f);
}

/* An error code of no type: mc_ec2type's BUG(). 4.17's #MC handler
 * reads no bank (the empty mca_allbanks), so it never gets there. */
static void error_code_of_no_type_is_a_xen_bug(void **state)
{
    (void)state;
    struct fx *f = zen(true);
    mce(f, 3, UC_INTERNAL);
    assert_true(console_has(f, "Xen BUG at arch/x86/cpu/mcheck/mce_amd.c:100"));
    assert_string_equal(f->m.stop_reason, "Xen BUG at arch/x86/cpu/mcheck/mce_amd.c:100");
    teardown(f);
    f = boot((struct opts){CPU_VENDOR_AMD, 0x17, 1, true, XEN_VER_4_17, NULL});
    mce(f, 3, UC_INTERNAL);
    assert_false(f->m.stopped);
    assert_int_equal(f->m.cpu[0].bank[3].status & ~MCI_STATUS_OVER, UC_INTERNAL);
    teardown(f);
}

/* mca_init_bank asks check_addr about a bank with MISCV and ADDRV, a CE
 * too: the poller BUG()s on a typeless code (4.20's mca_allbanks is full). */
static void check_addr_bugs_on_a_typeless_ce(void **state)
{
    (void)state;
    struct fx *f = zen(true);
    cpu_mca_latch(&f->m.cpu[0], 1, CE_INTERNAL_AV, 0x1000, 0x86);
    poll_at(f, 10 * S);
    assert_string_equal(f->m.stop_reason, "Xen BUG at arch/x86/cpu/mcheck/mce_amd.c:100");
    teardown(f);
}

/* K8 has no recoverable_scan (every UC fatal) and no check_addr (the UD2
 * Xen's alternative call to NULL became). */
static void k8_uc_is_fatal_and_check_addr_is_a_ud2(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){CPU_VENDOR_AMD, 0xF, 0x41, true, XEN_VER_4_20, NULL});
    mce(f, 3, UC_MEM);
    assert_string_equal(f->m.stop_reason, "MCE: Fatal error happened on CPUs 1");
    teardown(f);
    f = boot((struct opts){CPU_VENDOR_AMD, 0xF, 0x41, true, XEN_VER_4_20, NULL});
    cpu_mca_latch(&f->m.cpu[0], 1, CE_MEM, 0x1000, 0x86);
    poll_at(f, 10 * S);
    assert_string_equal(f->m.stop_reason, "FATAL TRAP: vector = 6 (invalid opcode)");
    teardown(f);
}

/* ---- amd_nonfatal ---------------------------------------------------------- */

/* 10 s first, doubled when clean up to 30 s, divided after errors. */
static void amd_poll_periods(void **state)
{
    (void)state;
    struct fx *f = zen(true);
    assert_int_equal(f->m.timer_at[0], 10 * S);
    poll_at(f, 10 * S);
    assert_int_equal(f->hv.x.poll.period_ps, 20 * S);
    poll_at(f, 30 * S);
    assert_int_equal(f->hv.x.poll.period_ps, 30 * S);
    cpu_mca_latch(&f->m.cpu[0], 2, 0x9000000000000134ull, 0, 0); /* CE, memory, no MISCV/ADDRV */
    poll_at(f, 60 * S);
    assert_int_equal(f->hv.x.poll.period_ps, 15 * S);
    assert_int_equal(f->hv.telem.stats.committed, 1);
    assert_null(strstr(f->m.console_log, "polling routine"));
    teardown(f);
}

/* dom0 without VIRQ_MCA: Xen says so after the round. */
static void amd_poller_tells_the_console_without_dom0(void **state)
{
    (void)state;
    struct fx *f = zen(false);
    cpu_mca_latch(&f->m.cpu[0], 2, 0x9000000000000134ull, 0, 0);
    poll_at(f, 10 * S);
    assert_true(console_has(f, "MCE: polling routine found correctable error.  Use mcelog to parse above error output."));
    assert_int_equal(f->hv.telem.stats.dismissed, 1);
    teardown(f);
}

static void mc4_counter(struct mock *m) { m->cpu[0].bank[4].misc = AMD_MISC_VALID | AMD_MISC_CNTP; }
static void mc4_locked(struct mock *m) { m->cpu[0].bank[4].misc = AMD_MISC_VALID | AMD_MISC_CNTP | AMD_MISC_LOCKED; }

/* The MC4_MISC error counter: errors the status registers did not show
 * shorten the period, and the counter restarts. */
static void mc4_misc_counter_adjusts_the_period(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){CPU_VENDOR_AMD, 0x10, 4, true, XEN_VER_4_20, mc4_counter});
    assert_true(console_has(f, "MCA: Use hw thresholding to adjust polling frequency"));
    assert_int_equal(f->m.cpu[0].bank[4].misc, AMD_MISC_VALID | AMD_MISC_CNTP | AMD_MISC_CNTEN);
    f->m.cpu[0].bank[4].misc |= 3ull << AMD_MISC_ERRCNT_SHIFT;
    poll_at(f, 10 * S);
    assert_true(console_has(f, "CPU counter reports 3 correctable hardware errors that were not reported by the status MSRs"));
    assert_int_equal(f->hv.x.poll.period_ps, 3333333333000ull); /* 10 s / (2 + 1) */
    assert_int_equal(f->m.cpu[0].bank[4].misc, AMD_MISC_VALID | AMD_MISC_CNTP | AMD_MISC_CNTEN);
    teardown(f);
    f = boot((struct opts){CPU_VENDOR_AMD, 0x10, 4, true, XEN_VER_4_20, mc4_locked});
    assert_false(f->hv.x.poll.hw_threshold);
    assert_null(strstr(f->m.console_log, "hw thresholding"));
    teardown(f);
}

/* 4.17: amd_nonfatal reads mca_allbanks, empty there. */
static void amd_poller_on_4_17_reads_nothing(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){CPU_VENDOR_AMD, 0x17, 1, true, XEN_VER_4_17, NULL});
    cpu_mca_latch(&f->m.cpu[0], 2, 0x9000000000000134ull, 0, 0);
    poll_at(f, 10 * S);
    assert_true(f->m.cpu[0].bank[2].status & MCI_STATUS_VAL);
    assert_int_equal(f->hv.x.poll.period_ps, 20 * S);
    teardown(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(amd_boot_clears_banks_unlogged),
        cmocka_unit_test(k8_gart_quirk_and_callbacks),
        cmocka_unit_test(hygon_takes_the_amd_code),
        cmocka_unit_test(unknown_cpus_get_no_machine_check),
        cmocka_unit_test(intel_family_15_runs_the_intel_code),
        cmocka_unit_test(uc_memory_error_is_dismissed),
        cmocka_unit_test(uc_bus_error_is_fatal),
        cmocka_unit_test(error_code_of_no_type_is_a_xen_bug),
        cmocka_unit_test(check_addr_bugs_on_a_typeless_ce),
        cmocka_unit_test(k8_uc_is_fatal_and_check_addr_is_a_ud2),
        cmocka_unit_test(amd_poll_periods),
        cmocka_unit_test(amd_poller_tells_the_console_without_dom0),
        cmocka_unit_test(mc4_misc_counter_adjusts_the_period),
        cmocka_unit_test(amd_poller_on_4_17_reads_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
