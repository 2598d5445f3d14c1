/*
 * test_poll_quiet.c - skip_quiet's hv part (hv/poll_quiet.c) against the
 * mock platform: when a poll timer's rounds are steady (two rounds in a
 * row that found nothing at the poller's longest interval, one period
 * apart in start and end; or a last round a handler delayed after two
 * such), and what skipping k of them does (the polls
 * counted, the rounds' times moved on, one poll_skip event, the interval
 * kept); for Xen's poller (CPU 0's timer, on_each_cpu) and the Linux-style
 * per-CPU poller (storm: linux-6).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arch/x86_mca.h"
#include "hv/cmci_storm.h"
#include "hv/hv.h"
#include "mock_platform.h"

#define CAP_NOCMCI (MCG_CTL_P | MCG_TES_P | MCG_SER_P)
#define CE_MEM 0x9C0000000000009Full
#define S 1000000000000ull

struct fx {
    struct mock m;
    struct hv hv;
};

static struct fx *boot(unsigned ncpus, bool linux6)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, ncpus, CAP_NOCMCI, 10);
    f->m.op_ps = 0; /* exact times: only the test moves the clock */
    struct hv_config cfg;
    hv_config_defaults(&cfg, ncpus);
    if (linux6)
        hv_config_set_storm(&cfg, STORM_LINUX6);
    cfg.domains = &mock_dom0;
    cfg.ndomains = 1;
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    for (unsigned i = 0; i < ncpus; i++)
        hv_cpu_boot(&f->hv, i);
    if (!linux6 && ncpus > 1) /* the last CPU up handed the initcall to CPU 0 */
        hv_poll_timer(&f->hv, 0);
    return f;
}

static void teardown(struct fx *f)
{
    hv_fini(&f->hv);
    test_free(f);
}

/* One round of Xen's poller from t, CPU 0 woken to end it at t + busy. */
static void round_at(struct fx *f, uint64_t t, uint64_t busy)
{
    f->m.now = t;
    hv_poll_timer(&f->hv, 0);
    for (unsigned c = 1; c < f->hv.cfg.ncpus; c++)
        hv_poll_timer(&f->hv, c);
    f->m.now = t + busy;
    hv_poll_timer(&f->hv, 0);
}

static bool steady(const struct fx *f, unsigned cpu, uint64_t *period, uint64_t *busy, uint64_t *end)
{
    return hv_poll_steady(&f->hv, cpu, period, busy, end);
}

/* 8 s, then 16 s (the longest) twice: steady from the second round that
 * began and ended at 16 s, with the period between round starts. */
static void xen_steady_after_two_empty_rounds_at_the_longest(void **state)
{
    (void)state;
    struct fx *f = boot(4, false);
    uint64_t p, b, e;
    round_at(f, 8 * S, 0);        /* began at 8 s: not the longest */
    assert_false(steady(f, 0, &p, &b, &e));
    round_at(f, 24 * S, 0);       /* one at 16 s */
    assert_false(steady(f, 0, &p, &b, &e));
    round_at(f, 40 * S, 0);
    assert_true(steady(f, 0, &p, &b, &e));
    assert_int_equal(p, 16 * S);
    assert_int_equal(b, 0);
    assert_int_equal(e, 40 * S);
    assert_false(steady(f, 1, &p, &b, &e)); /* CPU 1's timer drives no rounds */
    teardown(f);
}

/* A round's own cost is part of the period: 16 s + busy between starts. */
static void xen_period_includes_the_round_cost(void **state)
{
    (void)state;
    struct fx *f = boot(4, false);
    uint64_t p, b, e, busy = 1133333;
    round_at(f, 8 * S, busy);
    uint64_t t = 8 * S + busy + 16 * S;
    round_at(f, t, busy);
    t += busy + 16 * S;
    round_at(f, t, busy);
    assert_int_equal(f->m.timer_at[0], t + busy + 16 * S);
    assert_true(steady(f, 0, &p, &b, &e));
    assert_int_equal(p, 16 * S + busy);
    assert_int_equal(b, busy);
    assert_int_equal(e, t + busy);
    teardown(f);
}

/* A last round whose timer fired late (its CPU still in a handler) does
 * not stretch the period: the next round is armed 16 s after its end, and
 * the ones after come 16 s + the round's cost apart while the CPU is idle. */
static void xen_a_late_round_does_not_stretch_the_period(void **state)
{
    (void)state;
    struct fx *f = boot(4, false);
    uint64_t p, b, e, busy = 1133333, late = 4000000;
    round_at(f, 8 * S, busy);
    uint64_t t = 8 * S + busy + 16 * S;
    round_at(f, t, busy);
    t += busy + 16 * S + late; /* fired `late` after its timer */
    round_at(f, t, busy);
    assert_true(steady(f, 0, &p, &b, &e));
    assert_int_equal(p, 16 * S + busy);
    assert_int_equal(f->m.timer_at[0], t + busy + 16 * S);
    teardown(f);
}

/* Rounds of different lengths are not steady (the next may differ again). */
static void xen_rounds_of_different_lengths_are_not_steady(void **state)
{
    (void)state;
    struct fx *f = boot(4, false);
    uint64_t p, b, e;
    round_at(f, 8 * S, 0);
    round_at(f, 24 * S, 0);
    round_at(f, 40 * S, 5);
    assert_false(steady(f, 0, &p, &b, &e));
    round_at(f, 56 * S + 5, 5);
    assert_true(steady(f, 0, &p, &b, &e));
    teardown(f);
}

/* Three quiet rounds of one length at 16 s, then one a handler delayed
 * (longer): the rounds after it repeat the three, not it - the period is
 * 16 s and their length, its first round 16 s after the late one's end.
 * A shorter last round is no delay: not steady. */
static void xen_a_delayed_round_keeps_the_idle_period(void **state)
{
    (void)state;
    struct fx *f = boot(4, false);
    uint64_t p, b, e, busy = 1133333, t = 8 * S;
    for (unsigned i = 0; i < 4; i++) {
        round_at(f, t, busy);
        t += busy + 16 * S;
    }
    round_at(f, t, busy + 2541508); /* CPUs 1-3 amid a CMCI round's entries */
    assert_true(steady(f, 0, &p, &b, &e));
    assert_int_equal(p, 16 * S + busy);
    assert_int_equal(b, busy);
    assert_int_equal(e, t + busy + 2541508);
    assert_int_equal(f->m.timer_at[0], e + 16 * S);
    t = e + 16 * S;
    round_at(f, t, busy - 1); /* shorter: the idle length is not known */
    assert_false(steady(f, 0, &p, &b, &e));
    teardown(f);
}

/* Only after two alike rounds that were quiet at 16 s: two rounds at 16 s
 * and a longer one are not enough (the first began at 8 s). */
static void xen_a_delayed_round_needs_two_alike_before(void **state)
{
    (void)state;
    struct fx *f = boot(4, false);
    uint64_t p, b, e;
    round_at(f, 8 * S, 7);
    round_at(f, 24 * S + 7, 7);
    round_at(f, 40 * S + 14, 9); /* quiet twice at 16 s only */
    assert_false(steady(f, 0, &p, &b, &e));
    round_at(f, 56 * S + 23, 7);
    round_at(f, 72 * S + 30, 8); /* the two before differ */
    assert_false(steady(f, 0, &p, &b, &e));
    teardown(f);
}

/* Skipping k rounds after a delayed one leaves the poller as running them
 * would: the same rounds' times, polls and steadiness, for k = 1, 2, 3. */
static void xen_skip_after_a_delayed_round_is_running_them(void **state)
{
    (void)state;
    for (uint64_t k = 1; k <= 3; k++) {
        struct fx *run = boot(4, false), *skip = boot(4, false);
        const uint64_t busy = 1133333, late = busy + 2495892;
        uint64_t t = 8 * S, p, b, e;
        for (unsigned i = 0; i < 5; i++) {
            round_at(run, t, i == 4 ? late : busy);
            round_at(skip, t, i == 4 ? late : busy);
            t += (i == 4 ? late : busy) + 16 * S;
        }
        assert_true(steady(skip, 0, &p, &b, &e));
        hv_poll_skip(&skip->hv, 0, k, p);
        for (uint64_t j = 0; j < k; j++, t += p)
            round_at(run, t, busy);
        const struct hv_poll_rounds *x = &run->hv.cpu[0].rounds, *y = &skip->hv.cpu[0].rounds;
        for (unsigned i = 0; i < 2; i++) {
            assert_int_equal(y->start_ps[i], x->start_ps[i]);
            assert_int_equal(y->end_ps[i], x->end_ps[i]);
        }
        assert_int_equal(y->len2, x->len2);
        assert_int_equal(skip->hv.stats.polls, run->hv.stats.polls);
        uint64_t p2, b2, e2;
        assert_true(steady(run, 0, &p2, &b2, &e2)); /* (k = 1: the delayed one is the one before) */
        assert_true(steady(skip, 0, &p, &b, &e));
        assert_int_equal(p, p2);
        assert_int_equal(b, b2);
        assert_int_equal(e, e2);
        teardown(run);
        teardown(skip);
    }
}

/* A round that found an error breaks it; two clean rounds at 16 s again
 * make it steady. While a round runs, it is not. */
static void xen_a_round_with_an_error_breaks_it(void **state)
{
    (void)state;
    struct fx *f = boot(4, false);
    uint64_t p, b, e;
    round_at(f, 8 * S, 0);
    round_at(f, 24 * S, 0);
    round_at(f, 40 * S, 0);
    cpu_mca_latch(&f->m.cpu[2], 3, CE_MEM, 0x1000, 0x86);
    round_at(f, 56 * S, 0);       /* found it: 16 s / 2 */
    assert_false(steady(f, 0, &p, &b, &e));
    assert_int_equal(f->hv.x.poll.period_ps, 8 * S);
    round_at(f, 64 * S, 0);       /* at 8 s, clean: 16 s */
    round_at(f, 80 * S, 0);
    assert_false(steady(f, 0, &p, &b, &e));
    round_at(f, 96 * S, 0);
    assert_true(steady(f, 0, &p, &b, &e));
    f->m.now = 112 * S;
    hv_poll_timer(&f->hv, 0);     /* a round begins */
    assert_false(steady(f, 0, &p, &b, &e));
    teardown(f);
}

/* Skipping k rounds: k checks per online CPU counted, one poll_skip event,
 * the interval kept, and the rounds still steady k periods later. */
static void xen_skip_counts_the_checks_and_moves_the_rounds(void **state)
{
    (void)state;
    struct fx *f = boot(4, false);
    uint64_t p, b, e;
    round_at(f, 8 * S, 0);
    round_at(f, 24 * S, 0);
    round_at(f, 40 * S, 0);
    uint64_t polls = f->hv.stats.polls;
    unsigned traced = f->m.trace_count[HV_STAGE_POLL];
    assert_true(steady(f, 0, &p, &b, &e));
    hv_poll_skip(&f->hv, 0, 10, p);
    assert_int_equal(f->hv.stats.polls, polls + 40);
    assert_int_equal(f->m.trace_count[HV_STAGE_POLL], traced); /* no poll events */
    assert_int_equal(f->m.trace_count[HV_STAGE_POLL_SKIP], 1);
    assert_string_equal(f->m.last_detail[HV_STAGE_POLL_SKIP], "10 rounds of 16s skipped (40 checks): 160s");
    assert_int_equal(f->hv.x.poll.period_ps, 16 * S);
    assert_true(steady(f, 0, &p, &b, &e));
    assert_int_equal(e, 200 * S);
    round_at(f, 216 * S, 0); /* the caller re-armed the timer 10 periods later */
    assert_true(steady(f, 0, &p, &b, &e));
    assert_int_equal(p, 16 * S);
    hv_poll_skip(&f->hv, 0, 0, p); /* nothing */
    assert_int_equal(f->m.trace_count[HV_STAGE_POLL_SKIP], 1);
    teardown(f);
}

/* An offline CPU is not checked: a round counts the online CPUs. */
static void xen_skip_counts_online_cpus_only(void **state)
{
    (void)state;
    struct fx *f = boot(4, false);
    uint64_t p, b, e;
    f->hv.cpu[3].offline = true;
    f->hv.nonline = 3;
    round_at(f, 8 * S, 0);
    round_at(f, 24 * S, 0);
    round_at(f, 40 * S, 0);
    assert_true(steady(f, 0, &p, &b, &e));
    uint64_t polls = f->hv.stats.polls;
    hv_poll_skip(&f->hv, 0, 2, p);
    assert_int_equal(f->hv.stats.polls, polls + 6);
    teardown(f);
}

/* The Linux-style poller: each CPU's own timer, 300 s at the longest under
 * linux-6; steady per CPU, and a stopped host never is. */
static void linux6_each_cpu_steady_on_its_own(void **state)
{
    (void)state;
    struct fx *f = boot(2, true);
    uint64_t p, b, e;
    assert_int_equal(f->hv.cpu[1].poll_interval_ps, 300 * S);
    for (unsigned i = 1; i <= 2; i++) {
        f->m.now = i * 300 * S;
        hv_poll_timer(&f->hv, 1);
    }
    assert_true(steady(f, 1, &p, &b, &e));
    assert_int_equal(p, 300 * S);
    assert_false(steady(f, 0, &p, &b, &e));
    uint64_t polls = f->hv.stats.polls;
    hv_poll_skip(&f->hv, 1, 3, p);
    assert_int_equal(f->hv.stats.polls, polls + 3);
    assert_int_equal(f->hv.cpu[1].poll_interval_ps, 300 * S);
    cpu_mca_latch(&f->m.cpu[1], 3, CE_MEM, 0x1000, 0x86);
    f->m.now = 1500 * S;
    hv_poll_timer(&f->hv, 1); /* logs it: the interval halves */
    assert_false(steady(f, 1, &p, &b, &e));
    f->hv.stopped = true;
    assert_false(steady(f, 1, &p, &b, &e));
    teardown(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xen_steady_after_two_empty_rounds_at_the_longest),
        cmocka_unit_test(xen_period_includes_the_round_cost),
        cmocka_unit_test(xen_a_late_round_does_not_stretch_the_period),
        cmocka_unit_test(xen_rounds_of_different_lengths_are_not_steady),
        cmocka_unit_test(xen_a_delayed_round_keeps_the_idle_period),
        cmocka_unit_test(xen_a_delayed_round_needs_two_alike_before),
        cmocka_unit_test(xen_skip_after_a_delayed_round_is_running_them),
        cmocka_unit_test(xen_a_round_with_an_error_breaks_it),
        cmocka_unit_test(xen_skip_counts_the_checks_and_moves_the_rounds),
        cmocka_unit_test(xen_skip_counts_online_cpus_only),
        cmocka_unit_test(linux6_each_cpu_steady_on_its_own),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
