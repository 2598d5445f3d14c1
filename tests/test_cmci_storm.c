/*
 * test_cmci_storm.c - the CMCI storm policies against the mock platform.
 *
 * Each test drives corrected errors through hv_cmci() and hv_poll_timer()
 * at chosen times on the mock clock (MSR accesses cost nothing here, so
 * times are exact) and checks storm begin and end exactly at the edges of
 * each policy's rule: linux-2.6 (more than 15 CMCIs within 1 s; 300 clean
 * polls), linux-6 (5 error checks in a bank's 64-bit history; 30 clean
 * checks; threshold 32749 written to MCi_CTL2 and restored) and xen (never;
 * Xen's poller itself is test_xen_cmci_poll's). The register file is the real CPU model,
 * so "CMCI disabled" is checked the way hardware sees it: a new CE no
 * longer signals CMCI.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arch/x86_mca.h"
#include <errno.h>

#include "arch/ps_rebase.h"
#include "hv/hv.h"
#include "mock_platform.h"

#define CAP_SER (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P)
#define CE_MEM 0x9C0000000000009Full /* VAL|EN|MISCV|ADDRV, memory read, channel ? */
#define NBANKS 10
#define MS 1000000000ull
#define S 1000000000000ull

struct fx {
    struct mock m;
    struct hv hv;
};

static struct fx *setup_policy(enum hv_storm_policy pol, unsigned ncpus)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, ncpus, CAP_SER, NBANKS);
    f->m.op_ps = 0; /* exact times: only the test moves the clock */
    struct hv_config cfg;
    hv_config_defaults(&cfg, ncpus);
    hv_config_set_storm(&cfg, pol);
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    for (unsigned i = 0; i < ncpus; i++)
        hv_cpu_boot(&f->hv, i);
    return f;
}

static void teardown(struct fx *f)
{
    hv_fini(&f->hv);
    test_free(f);
}

static const struct hv_storm_cpu *storm(struct fx *f, unsigned cpu) { return &f->hv.cpu[cpu].storm; }
static uint64_t interval(struct fx *f, unsigned cpu) { return f->hv.cpu[cpu].poll_interval_ps; }
static uint64_t ctl2(struct fx *f, unsigned cpu, unsigned bank) { return f->m.cpu[cpu].bank[bank].ctl2; }

/* Hardware logs a CE in `bank` at time t; returns whether it signalled CMCI. */
static bool latch_ce(struct fx *f, unsigned cpu, unsigned bank, uint64_t t)
{
    f->m.now = t;
    return cpu_mca_latch(&f->m.cpu[cpu], bank, CE_MEM, 0x1000, 0x8C).signal_cmci;
}

/* Would a repeating CE in `bank` raise CMCI? Two CEs reach the default
 * threshold of 2; a storm's 32749, or CMCI_EN off, is never reached. The
 * bank is left holding the CE, as hardware would. */
static bool cmci_signals(struct fx *f, unsigned cpu, unsigned bank, uint64_t t)
{
    bool first = latch_ce(f, cpu, bank, t);
    return latch_ce(f, cpu, bank, t) || first;
}

/* A CE in `bank` and the CMCI for it, at time t. */
static void cmci_at(struct fx *f, unsigned cpu, unsigned bank, uint64_t t)
{
    latch_ce(f, cpu, bank, t);
    hv_cmci(&f->hv, cpu);
}

/* The poll timer fires at t; with ce_bank >= 0 that bank holds a CE. */
static void poll_at(struct fx *f, unsigned cpu, int ce_bank, uint64_t t)
{
    f->m.now = t;
    if (ce_bank >= 0)
        latch_ce(f, cpu, (unsigned)ce_bank, t);
    hv_poll_timer(&f->hv, cpu);
}

/* ---- policy table -------------------------------------------------------- */

static void policies_are_named_rows(void **state)
{
    (void)state;
    enum hv_storm_policy p;
    assert_int_equal(hv_storm_policy_from_name("xen", &p), 0);
    assert_int_equal(p, STORM_XEN);
    assert_int_equal(hv_storm_policy_from_name("linux-2.6", &p), 0);
    assert_int_equal(p, STORM_LINUX26);
    assert_int_equal(hv_storm_policy_from_name("linux-6", &p), 0);
    assert_int_equal(p, STORM_LINUX6);
    assert_int_equal(hv_storm_policy_from_name("linux", &p), -1);
    assert_string_equal(hv_storm_policy_name(STORM_LINUX26), "linux-2.6");
    assert_null(hv_storm_params((enum hv_storm_policy)7));

    struct hv_config cfg;
    hv_config_defaults(&cfg, 1);
    assert_int_equal(cfg.storm, STORM_XEN);
    assert_int_equal(cfg.poll_initial_ps, 8 * S);
    hv_config_set_storm(&cfg, STORM_LINUX6);
    assert_int_equal(cfg.storm, STORM_LINUX6);
    assert_int_equal(cfg.poll_initial_ps, 300 * S);
    assert_int_equal(cfg.poll_min_ps, 10 * MS);
    assert_int_equal(cfg.poll_max_ps, 300 * S);
    hv_config_set_storm(&cfg, STORM_XEN);
    assert_int_equal(cfg.poll_initial_ps, 8 * S);
    assert_int_equal(cfg.poll_min_ps, 2 * S);
    assert_int_equal(cfg.poll_max_ps, 16 * S);
}

static void intervals_print_in_the_largest_exact_unit(void **state)
{
    (void)state;
    char b[32];
    hv_fmt_interval(b, sizeof(b), 8 * S);
    assert_string_equal(b, "8s");
    hv_fmt_interval(b, sizeof(b), 10 * MS);
    assert_string_equal(b, "10ms");
    hv_fmt_interval(b, sizeof(b), 4687500000000ull); /* 300 s / 64 */
    assert_string_equal(b, "4687500us");
    hv_fmt_interval(b, sizeof(b), 1001);
    assert_string_equal(b, "1001ps");
    hv_fmt_interval(b, sizeof(b), 0);
    assert_string_equal(b, "0ps");
}

/* ---- xen ------------------------------------------------------------------ */

static void xen_never_storms(void **state)
{
    (void)state;
    struct fx *f = setup_policy(STORM_XEN, 1);
    for (unsigned i = 0; i < 1000; i++)
        cmci_at(f, 0, i % NBANKS, i * MS); /* 1000 CMCIs in one second */
    assert_false(storm(f, 0)->in_storm);
    assert_true(storm(f, 0)->cmci_enabled);
    assert_int_equal(f->m.trace_count[HV_STAGE_STORM_BEGIN], 0);
    assert_int_equal(f->hv.stats.cmci_storms, 0);
    for (unsigned b = 0; b < NBANKS; b++)
        assert_int_equal(ctl2(f, 0, b), 2 | MCI_CTL2_CMCI_EN);
    assert_true(cmci_signals(f, 0, 4, 2 * S)); /* CMCI still signals */
    assert_int_equal(interval(f, 0), 8 * S);
    assert_int_equal(f->m.timer_arms[0], 1); /* only the boot arming */
    assert_string_equal(f->m.last_detail[HV_STAGE_CMCI_ENTRY], "interval 8s");
    teardown(f);
}

/* ---- linux-2.6 ------------------------------------------------------------ */

static void linux26_normal_polling_is_check_interval(void **state)
{
    (void)state;
    struct fx *f = setup_policy(STORM_LINUX26, 1);
    assert_int_equal(interval(f, 0), 300 * S);
    assert_int_equal(f->m.timer_at[0], 300 * S);
    uint64_t t = 300 * S;
    for (unsigned i = 0; i < 20; i++) { /* halves after events, floor 10 ms */
        poll_at(f, 0, 2, t);
        t += interval(f, 0);
    }
    assert_int_equal(interval(f, 0), 10 * MS);
    assert_string_equal(f->m.last_detail[HV_STAGE_POLL], "interval 10ms");
    for (unsigned i = 0; i < 20; i++) { /* doubles when clean, cap 300 s */
        poll_at(f, 0, -1, t);
        t += interval(f, 0);
    }
    assert_int_equal(interval(f, 0), 300 * S);
    assert_false(storm(f, 0)->in_storm); /* errors found by polling are no storm */
    teardown(f);
}

static void linux26_fifteen_cmcis_in_a_second_are_no_storm(void **state)
{
    (void)state;
    struct fx *f = setup_policy(STORM_LINUX26, 1);
    const uint64_t t0 = 5 * S;
    for (unsigned i = 0; i < 15; i++)
        cmci_at(f, 0, 1, t0 + i * (S / 15));
    assert_false(storm(f, 0)->in_storm);
    assert_int_equal(storm(f, 0)->cmci_count, 15);
    /* the 16th, just after the window that opened at t0, opens a new one */
    cmci_at(f, 0, 1, t0 + S + 1);
    assert_false(storm(f, 0)->in_storm);
    assert_int_equal(storm(f, 0)->cmci_count, 1);
    assert_true(storm(f, 0)->cmci_enabled);
    assert_int_equal(f->m.trace_count[HV_STAGE_STORM_BEGIN], 0);
    assert_int_equal(interval(f, 0), 300 * S);
    teardown(f);
}

static void linux26_sixteen_cmcis_in_a_second_start_a_storm(void **state)
{
    (void)state;
    struct fx *f = setup_policy(STORM_LINUX26, 2);
    const uint64_t t0 = 5 * S;
    for (unsigned i = 0; i < 15; i++)
        cmci_at(f, 0, i % 3, t0 + i * (S / 16));
    assert_false(storm(f, 0)->in_storm);
    cmci_at(f, 0, 0, t0 + S); /* the window includes its last instant */
    assert_true(storm(f, 0)->in_storm);
    assert_false(storm(f, 0)->cmci_enabled);
    assert_int_equal(storm(f, 0)->storms, 1);
    assert_int_equal(f->hv.stats.cmci_storms, 1);
    assert_int_equal(f->m.trace_count[HV_STAGE_STORM_BEGIN], 1);
    assert_int_equal(f->m.last_bank[HV_STAGE_STORM_BEGIN], -1); /* a CPU's storm */
    assert_non_null(strstr(f->m.last_detail[HV_STAGE_STORM_BEGIN], "linux-2.6: 16 CMCIs"));
    assert_non_null(strstr(f->m.last_detail[HV_STAGE_STORM_BEGIN], "interval 1s"));
    for (unsigned b = 0; b < NBANKS; b++) /* CMCI_EN off, threshold kept */
        assert_int_equal(ctl2(f, 0, b), 2);
    assert_int_equal(ctl2(f, 1, 0), 2 | MCI_CTL2_CMCI_EN); /* the other CPU is untouched */
    assert_false(storm(f, 1)->in_storm);
    assert_int_equal(interval(f, 0), 1 * S);
    assert_int_equal(f->m.timer_at[0], t0 + S + 1 * S); /* re-armed for 1 s */
    /* hardware no longer signals CMCI for this CPU's banks */
    assert_false(cmci_signals(f, 0, 5, t0 + S + 1));
    assert_true(cmci_signals(f, 1, 5, t0 + S + 1));
    teardown(f);
}

static void linux26_sixteen_cmcis_just_over_a_second_are_no_storm(void **state)
{
    (void)state;
    struct fx *f = setup_policy(STORM_LINUX26, 1);
    for (unsigned i = 0; i < 15; i++)
        cmci_at(f, 0, 1, i * (S / 16));
    cmci_at(f, 0, 1, S + 1);
    assert_false(storm(f, 0)->in_storm);
    teardown(f);
}

static void start_linux26_storm(struct fx *f, uint64_t t0)
{
    for (unsigned i = 0; i < 16; i++)
        cmci_at(f, 0, 1, t0 + i * MS);
    assert_true(storm(f, 0)->in_storm);
}

static void linux26_300_clean_polls_end_the_storm(void **state)
{
    (void)state;
    struct fx *f = setup_policy(STORM_LINUX26, 1);
    uint64_t t = 10 * S;
    start_linux26_storm(f, t);
    t += S;
    for (unsigned i = 0; i < 150; i++, t += S)
        poll_at(f, 0, -1, t);
    poll_at(f, 0, 6, t); /* an error found: the count starts again */
    t += S;
    assert_int_equal(storm(f, 0)->clean_polls, 0);
    assert_int_equal(interval(f, 0), 1 * S);
    for (unsigned i = 0; i < 299; i++, t += S) {
        poll_at(f, 0, -1, t);
        assert_true(storm(f, 0)->in_storm);
        assert_int_equal(interval(f, 0), 1 * S);
    }
    assert_string_equal(f->m.last_detail[HV_STAGE_POLL], "interval 1s");
    assert_int_equal(storm(f, 0)->clean_polls, 299);
    poll_at(f, 0, -1, t); /* the 300th */
    assert_false(storm(f, 0)->in_storm);
    assert_true(storm(f, 0)->cmci_enabled);
    assert_int_equal(f->m.trace_count[HV_STAGE_STORM_END], 1);
    assert_non_null(strstr(f->m.last_detail[HV_STAGE_STORM_END], "300 clean polls"));
    assert_int_equal(f->hv.stats.cmci_storms_ended, 1);
    for (unsigned b = 0; b < NBANKS; b++)
        assert_int_equal(ctl2(f, 0, b), 2 | MCI_CTL2_CMCI_EN);
    assert_int_equal(interval(f, 0), 300 * S); /* back to the normal interval */
    assert_int_equal(f->m.timer_at[0], t + 300 * S);
    assert_true(cmci_signals(f, 0, 5, t + 1)); /* CMCI is back */
    /* and a new burst is a new storm */
    start_linux26_storm(f, t + 2 * S);
    assert_int_equal(storm(f, 0)->storms, 2);
    teardown(f);
}

/* ---- linux-6 -------------------------------------------------------------- */

static void linux6_five_error_checks_start_a_storm(void **state)
{
    (void)state;
    struct fx *f = setup_policy(STORM_LINUX6, 1);
    uint64_t t = 100 * S;
    for (unsigned i = 0; i < 4; i++)
        cmci_at(f, 0, 3, t + i * 100 * MS);
    assert_false(storm(f, 0)->in_storm);
    assert_int_equal(storm(f, 0)->bank[3].history, 0xF);
    assert_int_equal(storm(f, 0)->bank[2].history, 0); /* checked, clean */
    cmci_at(f, 0, 3, t + 400 * MS);
    assert_true(storm(f, 0)->in_storm);
    assert_true(storm(f, 0)->bank[3].in_storm);
    assert_false(storm(f, 0)->bank[2].in_storm);
    assert_int_equal(storm(f, 0)->storm_banks, 1);
    /* Intel: CMCI stays on, the threshold goes up */
    assert_int_equal(ctl2(f, 0, 3), 32749 | MCI_CTL2_CMCI_EN);
    assert_int_equal(storm(f, 0)->bank[3].threshold, 32749);
    assert_int_equal(ctl2(f, 0, 2), 2 | MCI_CTL2_CMCI_EN);
    assert_true(storm(f, 0)->cmci_enabled);
    assert_int_equal(interval(f, 0), 1 * S);
    assert_int_equal(f->m.timer_at[0], t + 400 * MS + S);
    assert_int_equal(f->m.trace_count[HV_STAGE_STORM_BEGIN], 1);
    assert_int_equal(f->m.last_bank[HV_STAGE_STORM_BEGIN], 3);
    assert_non_null(strstr(f->m.last_detail[HV_STAGE_STORM_BEGIN], "5 of the last 64"));
    /* a CE now needs 32749 occurrences before it signals */
    assert_false(cmci_signals(f, 0, 3, t + 500 * MS));
    teardown(f);
}

/* Outside a storm the history shifts one bit per second since the last
 * check (plus one), so it spans about a minute: CMCIs every 14 s leave
 * five bits in 64, every 15 s only four. */
static void linux6_history_spans_about_a_minute(void **state)
{
    (void)state;
    struct fx *f = setup_policy(STORM_LINUX6, 1);
    for (unsigned i = 1; i <= 20; i++)
        cmci_at(f, 0, 4, i * 15 * S);
    assert_false(storm(f, 0)->in_storm);
    assert_int_equal(f->m.trace_count[HV_STAGE_STORM_BEGIN], 0);
    teardown(f);

    f = setup_policy(STORM_LINUX6, 1);
    for (unsigned i = 1; i <= 4; i++)
        cmci_at(f, 0, 4, i * 14 * S);
    assert_false(storm(f, 0)->in_storm);
    cmci_at(f, 0, 4, 5 * 14 * S);
    assert_true(storm(f, 0)->bank[4].in_storm);
    teardown(f);
}

static uint64_t start_linux6_storm(struct fx *f, unsigned bank, uint64_t t)
{
    for (unsigned i = 0; i < 5; i++)
        cmci_at(f, 0, bank, t + i * 10 * MS);
    assert_true(storm(f, 0)->bank[bank].in_storm);
    return t + 40 * MS;
}

static void linux6_30_clean_checks_end_the_storm(void **state)
{
    (void)state;
    struct fx *f = setup_policy(STORM_LINUX6, 1);
    uint64_t t = start_linux6_storm(f, 3, 50 * S) + S;
    for (unsigned i = 0; i < 10; i++, t += S)
        poll_at(f, 0, -1, t);
    poll_at(f, 0, 3, t); /* still erring: bit 0 set again */
    t += S;
    poll_at(f, 0, 7, t); /* another bank's error does not count for bank 3 */
    t += S;
    for (unsigned i = 0; i < 28; i++, t += S) {
        poll_at(f, 0, -1, t);
        assert_true(storm(f, 0)->bank[3].in_storm);
        assert_int_equal(interval(f, 0), 1 * S);
    }
    assert_int_equal(ctl2(f, 0, 3), 32749 | MCI_CTL2_CMCI_EN);
    poll_at(f, 0, -1, t); /* 30th clean check since the last error */
    assert_false(storm(f, 0)->bank[3].in_storm);
    assert_false(storm(f, 0)->in_storm);
    assert_int_equal(ctl2(f, 0, 3), 2 | MCI_CTL2_CMCI_EN); /* threshold restored */
    assert_int_equal(storm(f, 0)->bank[3].threshold, 2);
    assert_int_equal(storm(f, 0)->bank[3].history, 0);
    assert_int_equal(f->m.trace_count[HV_STAGE_STORM_END], 1);
    assert_int_equal(f->m.last_bank[HV_STAGE_STORM_END], 3);
    assert_non_null(strstr(f->m.last_detail[HV_STAGE_STORM_END], "30 clean checks, threshold 2"));
    assert_int_equal(interval(f, 0), 300 * S);
    assert_int_equal(f->m.timer_at[0], t + 300 * S);
    assert_true(cmci_signals(f, 0, 3, t + 1));
    /* outside storms the poller leaves CMCI banks' history alone */
    poll_at(f, 0, 3, t + 300 * S);
    assert_int_equal(storm(f, 0)->bank[3].history, 0);
    teardown(f);
}

/* The round fold counts a storm's empty polls (hv_poll_storm_steady,
 * hv_poll_storm_count): k of them leave the hv as k polls run one by one
 * would, and k stops short of the check that ends the storm. */
static void linux6_empty_polls_counted_as_run(void **state)
{
    (void)state;
    struct fx *a = setup_policy(STORM_LINUX6, 1), *b = setup_policy(STORM_LINUX6, 1);
    uint64_t period, busy, most, t = 0;
    struct fx *both[2] = {a, b};
    for (unsigned i = 0; i < 2; i++) {
        struct fx *f = both[i];
        t = start_linux6_storm(f, 3, 50 * S) + S;
        poll_at(f, 0, 3, t); /* the storm's poll reads a CE */
        assert_false(hv_poll_storm_steady(&f->hv, 0, &period, &busy, &most)); /* it found one */
        poll_at(f, 0, -1, t + S);
        assert_false(hv_poll_storm_steady(&f->hv, 0, &period, &busy, &most)); /* one empty round only */
        poll_at(f, 0, -1, t + 2 * S);
        assert_true(hv_poll_storm_steady(&f->hv, 0, &period, &busy, &most));
        assert_int_equal(period, 1 * S); /* the interval plus the round's length (none here) */
        assert_int_equal(busy, 0);
        /* two 0s after the CE's 1: 27 more keep it among the last 29 */
        assert_int_equal(most, 27);
    }
    t += 3 * S;
    for (unsigned i = 0; i < 27; i++)
        poll_at(a, 0, -1, t + i * S);
    hv_poll_storm_count(&b->hv, 0, 27, period);
    const struct hv_storm_bank *ba = &storm(a, 0)->bank[3], *bb = &storm(b, 0)->bank[3];
    assert_true(ba->in_storm);
    assert_true(bb->in_storm);
    assert_int_equal(bb->history, ba->history);
    assert_int_equal(bb->last_ps, ba->last_ps);
    assert_int_equal(b->hv.stats.polls, a->hv.stats.polls);
    for (unsigned i = 0; i < 2; i++) {
        assert_int_equal(b->hv.cpu[0].rounds.start_ps[i], a->hv.cpu[0].rounds.start_ps[i]);
        assert_int_equal(b->hv.cpu[0].rounds.end_ps[i], a->hv.cpu[0].rounds.end_ps[i]);
    }
    assert_true(hv_poll_storm_steady(&b->hv, 0, &period, &busy, &most));
    assert_int_equal(most, 0); /* the next clean check is the 30th */
    t += 27 * S;
    poll_at(a, 0, -1, t);
    poll_at(b, 0, -1, t);
    assert_false(storm(a, 0)->bank[3].in_storm);
    assert_false(storm(b, 0)->bank[3].in_storm);
    assert_false(hv_poll_storm_steady(&b->hv, 0, &period, &busy, &most)); /* no storm, nothing to count */
    teardown(a);
    teardown(b);
}

/* The round fold counts a storm's polls that each read a CE in its bank
 * (hv_poll_storm_found_steady, hv_poll_storm_counted): k of them, each
 * at its timer, leave the hv as k polls run one by one would - the rounds'
 * times and the one before them, the checks, the history's 1s - for k = 1,
 * 2 and 5 (the rounds' records are the caller's to count). */
static void linux6_found_polls_counted_as_run(void **state)
{
    (void)state;
    for (unsigned k = 1; k <= 5; k += k < 2 ? 1 : 3) {
        struct fx *a = setup_policy(STORM_LINUX6, 1), *b = setup_policy(STORM_LINUX6, 1);
        struct fx *both[2] = {a, b};
        uint64_t iv = 0, t = 0, elen = 0;
        unsigned room = 0, room_found = 0;
        for (unsigned i = 0; i < 2; i++) {
            struct fx *f = both[i];
            t = start_linux6_storm(f, 3, 50 * S) + S;
            f->m.op_ps = 700; /* a round takes as long as its accesses */
            poll_at(f, 0, -1, t);     /* a 0 in the history: the 1s after it show */
            poll_at(f, 0, 3, t + S);  /* and a CE found: the rounds' length */
        }
        assert_true(hv_poll_storm_found_steady(&b->hv, 0, 1u << 3, &iv, &elen, &room, &room_found));
        assert_int_equal(iv, 1 * S);
        assert_int_equal(room, 29);       /* the CE's 1 last: 29 empty rounds keep it among the last 30 */
        assert_int_equal(room_found, 29);
        assert_int_equal(elen, 0); /* one empty round: its length not trusted yet (a late round runs longer) */
        assert_false(hv_poll_storm_found_steady(&b->hv, 0, 1u << 4, &iv, &elen, &room, &room_found)); /* bank 3 would read empty */
        const struct hv_poll_rounds *ra = &a->hv.cpu[0].rounds, *rb = &b->hv.cpu[0].rounds;
        const uint64_t len = ra->end_ps[0] - ra->start_ps[0], first = a->m.timer_at[0];
        assert_true(len > 0);
        assert_int_equal(first, ra->end_ps[0] + S);
        for (unsigned j = 0; j < k; j++)
            poll_at(a, 0, 3, a->m.timer_at[0]);
        for (unsigned j = 0; j < k; j++)
            hv_poll_storm_counted(&b->hv, 0, first + j * (S + len), len, true, 1u << 3);
        const struct hv_storm_bank *ba = &storm(a, 0)->bank[3], *bb = &storm(b, 0)->bank[3];
        assert_true(bb->in_storm);
        assert_int_equal(bb->history, ba->history);
        assert_int_equal(bb->history & ((1ull << (k + 2)) - 1), (1ull << (k + 1)) - 1); /* k + 1 ones, the 0 */
        assert_int_equal(bb->last_ps, ba->last_ps);
        assert_int_equal(b->hv.stats.polls, a->hv.stats.polls);
        for (unsigned i = 0; i < 2; i++) {
            assert_int_equal(rb->start_ps[i], ra->start_ps[i]);
            assert_int_equal(rb->end_ps[i], ra->end_ps[i]);
        }
        assert_int_equal(rb->len2, ra->len2);
        assert_int_equal(rb->begun, ra->begun);
        assert_int_equal(rb->checks, ra->checks);
        assert_int_equal(rb->round_checks, ra->round_checks);
        assert_int_equal(rb->empty, ra->empty);
        assert_int_equal(rb->quiet, ra->quiet);
        assert_int_equal(rb->found, ra->found);
        assert_int_equal(rb->running, ra->running);
        assert_int_equal(ra->end_ps[0] + S, a->m.timer_at[0]); /* the caller re-arms there: */
        assert_int_equal(first + k * (S + len), a->m.timer_at[0]);
        teardown(a);
        teardown(b);
    }
}

/* Found and empty rounds in turn (hv_poll_storm_counted: a poll that
 * meets a UC unit's round after its handling finds the bank empty): each
 * counted as run, the empty one its own length, its 0 in the history, the
 * count of empty rounds in a row, the room left before the storm ends. */
static void linux6_found_and_empty_polls_counted_as_run(void **state)
{
    (void)state;
    struct fx *a = setup_policy(STORM_LINUX6, 1), *b = setup_policy(STORM_LINUX6, 1);
    struct fx *both[2] = {a, b};
    for (unsigned i = 0; i < 2; i++) {
        struct fx *f = both[i];
        uint64_t t = start_linux6_storm(f, 3, 50 * S) + S;
        f->m.op_ps = 700;
        poll_at(f, 0, 3, t);
    }
    const bool found[] = {false, true, false, false, true, true, false};
    const unsigned n = sizeof(found) / sizeof(found[0]);
    for (unsigned j = 0; j < n; j++) {
        const uint64_t at = a->m.timer_at[0];
        poll_at(a, 0, found[j] ? 3 : -1, at);
        const struct hv_poll_rounds *ra = &a->hv.cpu[0].rounds;
        hv_poll_storm_counted(&b->hv, 0, at, ra->end_ps[0] - ra->start_ps[0], found[j], 1u << 3);
    }
    const struct hv_poll_rounds *ra = &a->hv.cpu[0].rounds, *rb = &b->hv.cpu[0].rounds;
    assert_true(ra->empty_len > 0);
    assert_true(ra->empty_len < ra->end_ps[1] - ra->start_ps[1]); /* an empty round is the shorter */
    assert_int_equal(memcmp(ra, rb, sizeof(*ra)), 0);
    assert_int_equal(storm(b, 0)->bank[3].history, storm(a, 0)->bank[3].history);
    assert_int_equal(storm(b, 0)->bank[3].history & 0xff, 0xa6); /* the CE before: 1, then 0100110 */
    assert_int_equal(storm(b, 0)->bank[3].last_ps, storm(a, 0)->bank[3].last_ps);
    assert_int_equal(b->hv.stats.polls, a->hv.stats.polls);
    uint64_t iv, elen;
    unsigned room, room_found;
    assert_true(hv_poll_storm_found_steady(&b->hv, 0, 1u << 3, &iv, &elen, &room, &room_found));
    assert_int_equal(elen, ra->empty_len);
    assert_int_equal(room, 28); /* one 0 since the last 1 */
    /* an empty round's length is the shortest seen twice: a late one (a
     * handler delayed it) leaves it, a shorter one needs a second */
    const uint64_t e0 = ra->empty_len, t = a->m.timer_at[0];
    hv_poll_storm_counted(&b->hv, 0, t, e0 + 5000, false, 1u << 3);
    assert_true(hv_poll_storm_found_steady(&b->hv, 0, 1u << 3, &iv, &elen, &room, &room_found));
    assert_int_equal(elen, e0);
    hv_poll_storm_counted(&b->hv, 0, t + S, e0 - 100, false, 1u << 3);
    assert_true(hv_poll_storm_found_steady(&b->hv, 0, 1u << 3, &iv, &elen, &room, &room_found));
    assert_int_equal(elen, 0);
    hv_poll_storm_counted(&b->hv, 0, t + 2 * S, e0 - 100, false, 1u << 3);
    assert_true(hv_poll_storm_found_steady(&b->hv, 0, 1u << 3, &iv, &elen, &room, &room_found));
    assert_int_equal(elen, e0 - 100);
    assert_int_equal(room, 25); /* four 0s since the last 1 */
    teardown(a);
    teardown(b);
}

static void linux6_storms_are_per_bank(void **state)
{
    (void)state;
    struct fx *f = setup_policy(STORM_LINUX6, 1);
    uint64_t t = start_linux6_storm(f, 1, 20 * S);
    t = start_linux6_storm(f, 6, t + 10 * S);
    assert_int_equal(storm(f, 0)->storm_banks, 2);
    /* bank 1's five bits were shifted 5 times by bank 6's CMCIs */
    assert_int_equal(f->hv.stats.cmci_storms, 2);
    t += S;
    unsigned polls = 0;
    while (storm(f, 0)->bank[1].in_storm) {
        poll_at(f, 0, -1, t);
        t += S;
        polls++;
    }
    assert_int_equal(polls, 25); /* 5 of its 30 clean checks were bank 6's CMCIs */
    assert_true(storm(f, 0)->in_storm);       /* bank 6 still storms */
    assert_int_equal(interval(f, 0), 1 * S);
    assert_int_equal(ctl2(f, 0, 1), 2 | MCI_CTL2_CMCI_EN);
    assert_int_equal(ctl2(f, 0, 6), 32749 | MCI_CTL2_CMCI_EN);
    while (storm(f, 0)->in_storm) {
        poll_at(f, 0, -1, t);
        t += S;
        polls++;
    }
    assert_int_equal(polls, 30);
    assert_int_equal(ctl2(f, 0, 6), 2 | MCI_CTL2_CMCI_EN);
    assert_int_equal(interval(f, 0), 300 * S);
    assert_int_equal(f->hv.stats.cmci_storms_ended, 2);
    teardown(f);
}

static void no_storm_tracking_without_cmci(void **state)
{
    (void)state;
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 1, MCG_CTL_P | MCG_SER_P, NBANKS);
    f->m.op_ps = 0;
    struct hv_config cfg;
    hv_config_defaults(&cfg, 1);
    hv_config_set_storm(&cfg, STORM_LINUX26);
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    hv_cpu_boot(&f->hv, 0);
    assert_false(storm(f, 0)->cmci_enabled);
    for (unsigned i = 0; i < 100; i++)
        cmci_at(f, 0, 1, i * MS);
    assert_false(storm(f, 0)->in_storm);
    teardown(f);
}

/* ---- rebase (hv/rebase.c) ------------------------------------------------- */

/* Moved back by d after the 15th CMCI of a window, the storm rule sees the
 * real times: a 16th CMCI 1 s - 1 ps after the window opened (real) is a
 * storm, one 1 s + 1 ps after is not; the poll round's times move by d. */
static void rebase_keeps_the_storm_window(void **state)
{
    (void)state;
    const uint64_t t0 = 5 * S, d = S / 30;
    for (unsigned late = 0; late < 2; late++) {
        struct fx *f = setup_policy(STORM_LINUX26, 1);
        poll_at(f, 0, -1, 2 * S);
        uint64_t start = f->hv.cpu[0].rounds.start_ps[0], end = f->hv.cpu[0].rounds.end_ps[0];
        assert_true(start == 2 * S && end >= start);
        for (unsigned i = 0; i < 15; i++)
            cmci_at(f, 0, 1, t0 + i * (S / 15));
        uint64_t now = t0 + 14 * (S / 15);
        assert_int_equal(hv_rebase(&f->hv, d, now), 0);
        assert_true(f->hv.cpu[0].rounds.start_ps[0] == start - d && f->hv.cpu[0].rounds.end_ps[0] == end - d);
        assert_true(storm(f, 0)->window_start_ps == t0 - d);
        cmci_at(f, 0, 1, (late ? t0 + S + 1 : t0 + S - 1) - d);
        assert_int_equal(storm(f, 0)->in_storm, !late);
        assert_int_equal(f->m.trace_count[HV_STAGE_STORM_BEGIN], !late);
        teardown(f);
    }
}

/* Refused while the hv is in the middle of something, or for a d beyond
 * PS_REBASE_D_MAX; nothing moves then. */
static void rebase_refused_when_busy(void **state)
{
    (void)state;
    struct fx *f = setup_policy(STORM_LINUX26, 2);
    poll_at(f, 1, -1, 2 * S);
    assert_int_equal(hv_can_rebase(&f->hv, S, 3 * S), 0);
    f->hv.cpu[1].in_mce = true; /* between #MC entry and IRET */
    assert_int_equal(hv_rebase(&f->hv, S, 3 * S), -EBUSY);
    assert_true(f->hv.cpu[1].rounds.start_ps[0] == 2 * S);
    f->hv.cpu[1].in_mce = false;
    f->hv.cpu[1].rounds.running = true; /* a poll round under way */
    assert_int_equal(hv_rebase(&f->hv, S, 3 * S), -EBUSY);
    f->hv.cpu[1].rounds.running = false;
    assert_int_equal(hv_rebase(&f->hv, PS_REBASE_D_MAX + 1, 3 * S), -ERANGE);
    assert_true(f->hv.cpu[1].rounds.start_ps[0] == 2 * S);
    teardown(f);
}

/* linux-6's history spans about a minute (linux6_history_spans_about_a_
 * minute): with the host moved back by 13 s before the fifth CMCI of a
 * 14 s beat, it is still a storm, and not with a 15 s beat; then a quiet
 * year in rebases (ages pinned at 2^62 ps) shifts a history one CE short
 * of a storm out, as a year unmoved would, also when the next CMCI comes
 * over 2^62 ps after the last rebase (its last shift then over 2^63 ps
 * back). */
static void rebase_ages_bank_history(void **state)
{
    (void)state;
    for (unsigned beat = 14; beat <= 15; beat++) {
        struct fx *f = setup_policy(STORM_LINUX6, 1);
        for (unsigned i = 1; i <= 4; i++)
            cmci_at(f, 0, 4, i * beat * S);
        assert_int_equal(hv_rebase(&f->hv, 13 * S, 4 * beat * S), 0);
        cmci_at(f, 0, 4, 5 * beat * S - 13 * S);
        assert_int_equal(storm(f, 0)->bank[4].in_storm, beat == 14);
        teardown(f);
    }
    const uint64_t t = 100 * S, now = t + 300 * MS;
    for (unsigned far = 0; far < 2; far++) {
        struct fx *f = setup_policy(STORM_LINUX6, 1);
        for (unsigned i = 0; i < 4; i++)
            cmci_at(f, 0, 3, t + i * 100 * MS);
        assert_int_equal(storm(f, 0)->bank[3].history, 0xF);
        for (unsigned i = 0; i < 16; i++) /* 2^65 ps: over a year */
            assert_int_equal(hv_rebase(&f->hv, PS_REBASE_D_MAX, now), 0);
        assert_true(storm(f, 0)->bank[3].last_ps == now - PS_REBASE_AGE_MAX);
        cmci_at(f, 0, 3, far ? now + PS_REBASE_AGE_MAX + S : t + 400 * MS);
        assert_false(storm(f, 0)->in_storm);
        assert_int_equal(storm(f, 0)->bank[3].history, 1);
        teardown(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(policies_are_named_rows),
        cmocka_unit_test(intervals_print_in_the_largest_exact_unit),
        cmocka_unit_test(xen_never_storms),
        cmocka_unit_test(linux26_normal_polling_is_check_interval),
        cmocka_unit_test(linux26_fifteen_cmcis_in_a_second_are_no_storm),
        cmocka_unit_test(rebase_keeps_the_storm_window),
        cmocka_unit_test(rebase_refused_when_busy),
        cmocka_unit_test(rebase_ages_bank_history),
        cmocka_unit_test(linux26_sixteen_cmcis_in_a_second_start_a_storm),
        cmocka_unit_test(linux26_sixteen_cmcis_just_over_a_second_are_no_storm),
        cmocka_unit_test(linux26_300_clean_polls_end_the_storm),
        cmocka_unit_test(linux6_five_error_checks_start_a_storm),
        cmocka_unit_test(linux6_history_spans_about_a_minute),
        cmocka_unit_test(linux6_30_clean_checks_end_the_storm),
        cmocka_unit_test(linux6_empty_polls_counted_as_run),
        cmocka_unit_test(linux6_found_polls_counted_as_run),
        cmocka_unit_test(linux6_found_and_empty_polls_counted_as_run),
        cmocka_unit_test(linux6_storms_are_per_bank),
        cmocka_unit_test(no_storm_tracking_without_cmci),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
