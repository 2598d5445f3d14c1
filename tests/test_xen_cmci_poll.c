/*
 * test_xen_cmci_poll.c - Xen's CMCI and Intel poller under the xen order,
 * against the mock platform: cmci_discover (ownership, banks without CMCI,
 * the threshold and its clamping, cmci-threshold=0), cmci_interrupt (every
 * valid owned bank logged, intel_need_clearbank_scan's clearing, commit or
 * dump-and-dismiss by VIRQ_MCA), set_poll_bankmask, and intel-nonfatal's
 * rounds (on_each_cpu from CPU 0, the period divided by CPUs with errors
 * + 1 or doubled, within 2..16 s, in ns; the dump from the 10th check).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arch/x86_mca.h"
#include "hv/hv.h"
#include "mock_platform.h"

#define CAP_CMCI (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P)
#define CAP_NOCMCI (MCG_CTL_P | MCG_TES_P | MCG_SER_P)
#define CE_MEM 0x9C0000000000009Full
#define SRAO_SCRUB 0xBD000000004000CFull
#define UCNA_LLC 0xBC20000080000136ull
#define S 1000000000000ull
#define MS 1000000000ull

struct fx {
    struct mock m;
    struct hv hv;
};

struct opts {
    unsigned ncpus;
    uint64_t cap;
    bool dom0;                     /* dom0 bound VIRQ_MCA               */
    unsigned threshold;            /* cmci-threshold                    */
    uint32_t no_cmci;              /* banks without CMCI, every CPU     */
    unsigned max_threshold;        /* 0: the CPU model's 0x7FFF         */
    unsigned family, model;
    void (*before)(struct mock *m); /* the register files, before boot */
    enum hv_xen_version ver;
};

static struct fx *boot(struct opts o)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, o.ncpus, o.cap, 10);
    f->m.op_ps = 0; /* exact times: only the test moves the clock */
    for (unsigned i = 0; i < o.ncpus; i++) {
        f->m.cpu[i].no_cmci_banks = o.no_cmci;
        if (o.max_threshold)
            f->m.cpu[i].ctl2_max_threshold = o.max_threshold;
    }
    if (o.before)
        o.before(&f->m);
    struct hv_config cfg;
    hv_config_defaults(&cfg, o.ncpus);
    cfg.cmci_threshold = o.threshold;
    cfg.xen_version = o.ver;
    if (o.family)
        cfg.family = o.family, cfg.model = o.model;
    if (o.dom0) {
        cfg.domains = &mock_dom0;
        cfg.ndomains = 1;
    }
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    for (unsigned i = 0; i < o.ncpus; i++)
        hv_cpu_boot(&f->hv, i);
    if (o.ncpus > 1) /* the last CPU up handed the initcall to CPU 0 */
        hv_poll_timer(&f->hv, 0);
    return f;
}

static void teardown(struct fx *f)
{
    hv_fini(&f->hv);
    test_free(f);
}

static bool console_has(const struct fx *f, const char *line) { return mock_console_has(&f->m, line); }

static void latch(struct fx *f, unsigned cpu, unsigned bank, uint64_t status)
{
    cpu_mca_latch(&f->m.cpu[cpu], bank, status, 0x1000, 0x86);
}

/* One poll round at t: CPU 0's timer, then every other CPU's IPI'd check,
 * then CPU 0 again once the last one woke it. */
static void round_at(struct fx *f, uint64_t t)
{
    f->m.now = t;
    hv_poll_timer(&f->hv, 0);
    for (unsigned c = 1; c < f->hv.cfg.ncpus; c++)
        hv_poll_timer(&f->hv, c);
    if (f->hv.cfg.ncpus > 1)
        hv_poll_timer(&f->hv, 0);
}

static uint64_t period(const struct fx *f) { return f->hv.x.poll.period_ps; }

/* ---- cmci_discover ------------------------------------------------------ */

/* do_cmci_discover: every bank with CMCI is owned, with the threshold;
 * no bank is the poller's. */
static void discovery_owns_every_cmci_bank(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_CMCI, .threshold = 2});
    assert_int_equal(f->hv.cpu[0].cmci_owned, 0x3FF);
    assert_int_equal(f->hv.cpu[0].no_cmci, 0);
    assert_int_equal(f->hv.cpu[0].poll_mask, 0);
    for (unsigned b = 0; b < 10; b++)
        assert_int_equal(f->m.cpu[0].bank[b].ctl2, MCI_CTL2_CMCI_EN | 2);
    teardown(f);
}

/* A bank whose CMCI_EN does not stick goes to no_cmci_banks and is polled. */
static void bank_without_cmci_is_polled(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_CMCI, .threshold = 2, .no_cmci = 1u << 5});
    assert_int_equal(f->hv.cpu[0].cmci_owned, 0x3FF & ~(1u << 5));
    assert_int_equal(f->hv.cpu[0].no_cmci, 1u << 5);
    assert_int_equal(f->hv.cpu[0].poll_mask, 1u << 5);
    teardown(f);
}

/* The threshold read back after writing all ones is the maximum: a larger
 * cmci-threshold is clamped, with Xen's console line. */
static void threshold_is_clamped_to_the_bank_maximum(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_CMCI, .threshold = 0x100, .max_threshold = 0x40});
    assert_int_equal(f->m.cpu[0].bank[0].ctl2, MCI_CTL2_CMCI_EN | 0x40);
    assert_true(console_has(f, "CMCI: threshold 0x100 too large for CPU0 bank 0, using 0x40"));
    assert_true(console_has(f, "CMCI: threshold 0x100 too large for CPU0 bank 9, using 0x40"));
    teardown(f);
    f = boot((struct opts){.ncpus = 1, .cap = CAP_CMCI, .threshold = 0x40, .max_threshold = 0x40});
    assert_int_equal(f->m.cpu[0].bank[3].ctl2, MCI_CTL2_CMCI_EN | 0x40);
    assert_null(strstr(f->m.console_log, "too large"));
    teardown(f);
}

/* cmci-threshold=0 writes nothing: no bank gets CMCI, every bank is polled. */
static void threshold_zero_polls_every_bank(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_CMCI, .threshold = 0});
    assert_int_equal(f->hv.cpu[0].cmci_owned, 0);
    assert_int_equal(f->hv.cpu[0].poll_mask, 0x3FF);
    assert_int_equal(f->m.cpu[0].bank[4].ctl2, 0);
    teardown(f);
}

/* A bank a sibling claimed first is neither owned nor polled here. */
static void sibling_claimed_bank3(struct mock *m) { m->cpu[0].bank[3].ctl2 = MCI_CTL2_CMCI_EN | 1; }

static void bank_owned_elsewhere_is_neither_owned_nor_polled(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_CMCI, .threshold = 2, .before = sibling_claimed_bank3});
    assert_false(f->hv.cpu[0].cmci_owned & (1u << 3));
    assert_false(f->hv.cpu[0].poll_mask & (1u << 3));
    assert_int_equal(f->m.cpu[0].bank[3].ctl2, MCI_CTL2_CMCI_EN | 1);
    teardown(f);
}

/* What the boot left in an owned bank is logged by cmci_discover's own
 * CMCI logout. On 4.17 the boot logout (the empty mca_allbanks) reads
 * nothing and intel_init_mce leaves a bank whose MCi_CTL was already set;
 * dom0 does not exist yet, so the record is dumped and dismissed. */
static void stale_ce_in_enabled_bank(struct mock *m)
{
    m->cpu[0].bank[4].ctl = ~0ull;
    cpu_mca_latch(&m->cpu[0], 4, CE_MEM, 0x1000, 0x86);
}

static void cmci_discover_logs_what_boot_left(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_CMCI, .threshold = 2, .dom0 = true,
                                      .ver = XEN_VER_4_17, .before = stale_ce_in_enabled_bank});
    assert_true(console_has(f, "CMCI occurred on CPU 0."));
    assert_null(strstr(f->m.console_log, "POLLED occurred"));
    assert_int_equal(f->m.cpu[0].bank[4].status, 0);
    assert_int_equal(f->hv.telem.stats.dismissed, 1);
    assert_int_equal(f->hv.telem.stats.committed, 0);
    teardown(f);
}

/* Without MCG_CAP.CMCI_P mce_set_owner does nothing: no MCi_CTL2 is
 * touched (they do not exist), every bank is the poller's. */
static void no_cmci_support_no_discovery(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_NOCMCI, .threshold = 2});
    assert_false(f->hv.x.cmci_support);
    assert_int_equal(f->hv.cpu[0].cmci_owned, 0);
    assert_int_equal(f->hv.cpu[0].no_cmci, 0);
    assert_int_equal(f->hv.cpu[0].poll_mask, 0x3FF);
    teardown(f);
}

/* ---- cmci_interrupt ----------------------------------------------------- */

/* Every valid owned bank is logged, an SRAO too; the CE and the UCNA are
 * cleared, the SRAO is left (intel_need_clearbank_scan, MCA_CMCI_HANDLER). */
static void cmci_logs_every_owned_bank_and_clears_by_the_table(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_CMCI, .threshold = 2, .dom0 = true});
    latch(f, 0, 2, CE_MEM);
    latch(f, 0, 7, SRAO_SCRUB);
    latch(f, 0, 9, UCNA_LLC);
    hv_cmci(&f->hv, 0);
    const struct telem_entry *e = telem_fetch(&f->hv.telem, TELEM_NONURGENT);
    assert_non_null(e);
    assert_int_equal(e->rec.nbanks, 3);
    assert_int_equal(e->rec.bank[1].bank, 7);
    assert_int_equal(e->rec.bank[1].cls, MCA_REC_SRAO);
    assert_int_equal(e->rec.flags, MCA_REC_F_CMCI | MCA_REC_F_RECOVERABLE);
    assert_int_equal(f->m.cpu[0].bank[2].status, 0);
    assert_int_equal(f->m.cpu[0].bank[9].status, 0);
    assert_int_equal(f->m.cpu[0].bank[7].status, SRAO_SCRUB);
    assert_int_equal(f->m.virqs, 1);
    assert_int_equal(f->hv.telem.stats.committed, 1);
    teardown(f);
}

/* Without VIRQ_MCA bound the record is dumped at once and dismissed. */
static void cmci_without_virq_dumps_at_once(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_CMCI, .threshold = 2});
    latch(f, 0, 9, UCNA_LLC);
    hv_cmci(&f->hv, 0);
    assert_true(console_has(f, "CMCI occurred on CPU 0."));
    assert_true(console_has(f, "Bank 9: bc20000080000136[              86] at             1000"));
    assert_int_equal(f->hv.telem.stats.committed, 0);
    assert_int_equal(f->hv.telem.stats.dismissed, 1);
    assert_int_equal(f->m.trace_count[HV_STAGE_TELEM_DISMISS], 1);
    assert_int_equal(f->m.virqs, 0);
    teardown(f);
}

/* ---- intel-nonfatal ----------------------------------------------------- */

/* The initcall: one timer, on CPU 0, 8 s after every CPU is up. */
static void poller_starts_on_cpu0_after_boot(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 2, .cap = CAP_NOCMCI, .threshold = 2});
    assert_true(console_has(f, "mcheck_poll: Machine check polling timer started."));
    assert_int_equal(f->m.timer_at[0], 8 * S);
    assert_int_equal(f->m.timer_arms[1], 0);
    assert_int_equal(period(f), 8 * S);
    teardown(f);
}

/* CPU 0's timer IPIs the others (their timers, now); each checks its own
 * poll_bankmask; the last wakes CPU 0, which sets the next period. */
static void round_runs_the_check_on_every_cpu(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 3, .cap = CAP_NOCMCI, .threshold = 2, .dom0 = true});
    latch(f, 2, 4, CE_MEM);
    f->m.now = 8 * S;
    hv_poll_timer(&f->hv, 0);
    assert_int_equal(f->m.timer_at[1], 8 * S);
    assert_int_equal(f->m.timer_at[2], 8 * S);
    assert_int_equal(f->m.trace_count[HV_STAGE_POLL], 1);
    hv_poll_timer(&f->hv, 1);
    hv_poll_timer(&f->hv, 2);
    assert_int_equal(f->m.trace_count[HV_STAGE_POLL], 3);
    assert_int_equal(f->m.cpu[2].bank[4].status, 0);
    assert_int_equal(f->hv.telem.stats.committed, 1);
    assert_int_equal(period(f), 8 * S);       /* not yet: CPU 0 ends the round */
    hv_poll_timer(&f->hv, 0);
    assert_int_equal(period(f), 4 * S);       /* 8 s / (1 CPU + 1) */
    assert_int_equal(f->m.timer_at[0], 12 * S);
    teardown(f);
}

/* Divided by the CPUs that found errors + 1, in ns; doubled when clean;
 * within 2..16 s. */
static void period_follows_cpus_with_errors(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 4, .cap = CAP_NOCMCI, .threshold = 2, .dom0 = true});
    round_at(f, 8 * S);
    assert_int_equal(period(f), 16 * S);
    round_at(f, 24 * S);
    assert_int_equal(period(f), 16 * S); /* at most 16 s */
    latch(f, 1, 3, CE_MEM);
    latch(f, 3, 3, CE_MEM);
    round_at(f, 40 * S);
    assert_int_equal(period(f), 5333333333000ull); /* 16 s / 3, in whole ns */
    latch(f, 0, 3, CE_MEM);
    latch(f, 1, 3, CE_MEM);
    latch(f, 2, 3, CE_MEM);
    round_at(f, 46 * S);
    assert_int_equal(period(f), 2 * S); /* 1.33 s: at least 2 s */
    teardown(f);
}

/* The poller logs and clears whatever its mask holds, an SRAO too: no
 * recovery action, just a record (MCA_POLLER clears every bank). */
static void poller_logs_and_clears_a_uc_bank(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_NOCMCI, .threshold = 2, .dom0 = true});
    latch(f, 0, 7, SRAO_SCRUB);
    round_at(f, 8 * S);
    const struct telem_entry *e = telem_fetch(&f->hv.telem, TELEM_NONURGENT);
    assert_non_null(e);
    assert_int_equal(e->rec.flags, MCA_REC_F_POLLED | MCA_REC_F_RECOVERABLE);
    assert_int_equal(e->rec.bank[0].cls, MCA_REC_SRAO);
    assert_int_equal(f->m.cpu[0].bank[7].status, 0);
    teardown(f);
}

/* With CMCI the poller reads only no_cmci_banks: a CE below the threshold
 * in a CMCI bank stays. */
static void poller_skips_cmci_banks(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_CMCI, .threshold = 2, .dom0 = true, .no_cmci = 1u << 5});
    latch(f, 0, 3, CE_MEM);
    latch(f, 0, 5, CE_MEM);
    round_at(f, 8 * S);
    assert_int_equal(f->hv.telem.stats.committed, 1);
    assert_true(f->m.cpu[0].bank[3].status & MCI_STATUS_VAL);
    assert_int_equal(f->m.cpu[0].bank[5].status, 0);
    teardown(f);
}

/* Bank 0 of an early P6 (below model 0x1A) is not polled without CMCI. */
static void early_p6_bank0_not_polled(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_NOCMCI, .threshold = 2, .dom0 = true,
                                      .family = 6, .model = 0x17});
    assert_int_equal(f->hv.cpu[0].poll_mask, 0x3FE);
    latch(f, 0, 0, CE_MEM);
    round_at(f, 8 * S);
    assert_true(f->m.cpu[0].bank[0].status & MCI_STATUS_VAL);
    assert_int_equal(f->hv.telem.stats.committed, 0);
    teardown(f);
}

/* Without VIRQ_MCA: dismissed; dumped from the 10th such check on. */
static void unbound_virq_dumps_from_the_tenth_check(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_NOCMCI, .threshold = 2});
    uint64_t t = 8 * S;
    for (unsigned i = 1; i <= 11; i++) {
        latch(f, 0, 3, CE_MEM);
        round_at(f, t);
        t += period(f);
        bool dumped = strstr(f->m.console_log, "POLLED occurred on CPU 0.") != NULL;
        assert_int_equal(dumped, i >= 10);
    }
    assert_int_equal(f->hv.telem.stats.committed, 0);
    assert_int_equal(f->hv.telem.stats.dismissed, 11);
    assert_int_equal(f->m.virqs, 0);
    teardown(f);
}

/* 4.17: without CMCI poll_bankmask is the empty mca_allbanks. */
static void release_4_17_poller_reads_nothing(void **state)
{
    (void)state;
    struct fx *f = boot((struct opts){.ncpus = 1, .cap = CAP_NOCMCI, .threshold = 2, .dom0 = true, .ver = XEN_VER_4_17});
    latch(f, 0, 3, CE_MEM);
    round_at(f, 8 * S);
    assert_int_equal(f->hv.cpu[0].poll_mask, 0);
    assert_true(f->m.cpu[0].bank[3].status & MCI_STATUS_VAL);
    assert_int_equal(period(f), 16 * S);
    teardown(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(discovery_owns_every_cmci_bank),
        cmocka_unit_test(bank_without_cmci_is_polled),
        cmocka_unit_test(threshold_is_clamped_to_the_bank_maximum),
        cmocka_unit_test(threshold_zero_polls_every_bank),
        cmocka_unit_test(bank_owned_elsewhere_is_neither_owned_nor_polled),
        cmocka_unit_test(cmci_discover_logs_what_boot_left),
        cmocka_unit_test(no_cmci_support_no_discovery),
        cmocka_unit_test(cmci_logs_every_owned_bank_and_clears_by_the_table),
        cmocka_unit_test(cmci_without_virq_dumps_at_once),
        cmocka_unit_test(poller_starts_on_cpu0_after_boot),
        cmocka_unit_test(round_runs_the_check_on_every_cpu),
        cmocka_unit_test(period_follows_cpus_with_errors),
        cmocka_unit_test(poller_logs_and_clears_a_uc_bank),
        cmocka_unit_test(poller_skips_cmci_banks),
        cmocka_unit_test(early_p6_bank0_not_polled),
        cmocka_unit_test(unbound_virq_dumps_from_the_tenth_check),
        cmocka_unit_test(release_4_17_poller_reads_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
