/*
 * test_memctl_scrubber.c - unit tests of the patrol-scrub walk
 * (models/memctl/scrubber.h): the schedule formula, address order, the
 * sparse skip-ahead (work only for lines faults cover, even on 2 TiB),
 * fault arrival relative to the walk, removal, and pass boundaries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "arch/ps_rebase.h"
#include "models/memctl/scrubber.h"

#define HOUR SCRUB_PS_PER_HOUR

struct fx {
    struct addr_map m;
    struct fault_map fm;
    struct scrubber s;
};

static void fx_init(struct fx *x, const struct mem_geometry *g, uint64_t period, uint64_t start)
{
    assert_int_equal(addr_map_init(&x->m, g), 0);
    fault_map_init(&x->fm, &x->m);
    struct scrubber_config c = {period, start};
    assert_int_equal(scrubber_init(&x->s, &x->m, &c), 0);
}

static void fx_free(struct fx *x)
{
    scrubber_free(&x->s);
    fault_map_free(&x->fm);
}

static const struct mem_geometry tib = {8, 2, 4, 16, 1u << 18, 1024, 4, 2};

/* A single-bit fault on the line at paddr. */
static uint64_t add_bit(struct fx *x, uint64_t paddr, uint64_t t, bool permanent)
{
    struct dram_loc l;
    assert_int_equal(addr_map_decode(&x->m, paddr, &l), 0);
    struct mem_fault f = {.mode = FAULT_SINGLE_BIT, .permanent = permanent, .channel = l.channel,
                          .dimm = l.dimm, .rank = l.rank, .device = 3, .bank = l.bank, .row = l.row,
                          .column = l.column, .dq_mask = 1, .time_ps = t};
    uint64_t id = fault_map_add(&x->fm, &f);
    assert_true(id != 0);
    scrubber_fault_added(&x->s, &x->fm, id);
    return id;
}

static void test_schedule(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &tib, 0, 1000);
    assert_true(x.s.period_ps == 24 * HOUR); /* the documented default */
    uint64_t lines = x.m.lines;
    assert_true(scrubber_line_time(&x.s, 0, 0) == 1000);
    assert_true(scrubber_line_time(&x.s, 0, lines / 2) == 1000 + 12 * HOUR);
    assert_true(scrubber_line_time(&x.s, 3, lines / 4) == 1000 + 3 * 24 * HOUR + 6 * HOUR);
    uint64_t pass, line;
    scrubber_position(&x.s, 1000 + 6 * HOUR, &pass, &line);
    assert_true(pass == 0 && line == lines / 4);
    scrubber_position(&x.s, 1000 + 30 * HOUR, &pass, &line);
    assert_true(pass == 1 && line == lines / 4);
    scrubber_position(&x.s, 0, &pass, &line);
    assert_true(pass == 0 && line == 0);
    /* Nothing to find: no visit, no wake-up. */
    struct scrub_visit v;
    assert_false(scrub_step(&x.s, &x.fm, 100 * 24 * HOUR, &v));
    assert_true(scrubber_next_time(&x.s, &x.fm) == UINT64_MAX);
    fx_free(&x);
}

/* Faults anywhere in 2 TiB are found in address order, each at the time the
 * walk reaches it, pass after pass, with one visit per covered line. */
static void test_finds_in_address_order_on_tib(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &tib, 24 * HOUR, 0);
    const uint64_t at[] = {(1ull << 40) + 4096, 64, (2ull << 40) - 64, 12345ull * 64};
    for (size_t i = 0; i < 4; i++)
        add_bit(&x, at[i], 0, true);
    add_bit(&x, 64 + 8, 0, true); /* a second fault on line 1: still one visit */
    const uint64_t order[] = {64, 12345ull * 64, (1ull << 40) + 4096, (2ull << 40) - 64};
    for (uint64_t pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < 4; i++) {
            struct scrub_visit v;
            assert_true(scrub_step(&x.s, &x.fm, UINT64_MAX, &v));
            assert_true(v.addr == order[i]);
            assert_true(v.line == order[i] / 64);
            assert_true(v.pass == pass);
            assert_true(v.time_ps == scrubber_line_time(&x.s, pass, v.line));
        }
    assert_true(x.s.visits == 12);
    fx_free(&x);
}

static void test_until_limits_the_walk(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &tib, 24 * HOUR, 0);
    uint64_t half = x.m.capacity / 2;
    add_bit(&x, half, 0, true);
    uint64_t t = scrubber_line_time(&x.s, 0, half / 64);
    assert_true(t == 12 * HOUR);
    assert_true(scrubber_next_time(&x.s, &x.fm) == t);
    struct scrub_visit v;
    assert_false(scrub_step(&x.s, &x.fm, t - 1, &v));
    assert_true(scrub_step(&x.s, &x.fm, t, &v));
    assert_true(v.time_ps == t);
    /* Rest of pass 0 is empty: next wake-up is the start of pass 1. */
    assert_true(scrubber_next_time(&x.s, &x.fm) == 24 * HOUR);
    assert_false(scrub_step(&x.s, &x.fm, 24 * HOUR - 1, &v));
    assert_false(scrub_step(&x.s, &x.fm, 24 * HOUR, &v)); /* pass 1 begins */
    assert_true(scrubber_next_time(&x.s, &x.fm) == 36 * HOUR);
    assert_true(scrub_step(&x.s, &x.fm, 36 * HOUR, &v));
    assert_true(v.pass == 1);
    fx_free(&x);
}

/* A fault arriving after the walk passed its line waits for the next pass;
 * one arriving before the walk gets there is found in this pass. */
static void test_arrival_relative_to_walk(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &tib, 24 * HOUR, 0);
    uint64_t q1 = x.m.capacity / 4, q3 = 3 * (x.m.capacity / 4);
    add_bit(&x, q1, 10 * HOUR, true); /* walk was at q1 at 6 h */
    add_bit(&x, q3, 10 * HOUR, true); /* walk reaches q3 at 18 h */
    struct scrub_visit v;
    assert_true(scrub_step(&x.s, &x.fm, UINT64_MAX, &v));
    assert_true(v.addr == q3 && v.pass == 0 && v.time_ps == 18 * HOUR);
    assert_true(scrub_step(&x.s, &x.fm, UINT64_MAX, &v));
    assert_true(v.addr == q1 && v.pass == 1 && v.time_ps == 30 * HOUR);
    fx_free(&x);
}

static void test_removed_and_healed(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &tib, 24 * HOUR, 0);
    uint64_t a = add_bit(&x, 4096, 0, false);
    add_bit(&x, 8192, 0, true);
    struct scrub_visit v;
    assert_true(fault_map_remove(&x.fm, a));
    assert_true(scrub_step(&x.s, &x.fm, UINT64_MAX, &v));
    assert_true(v.addr == 8192); /* the removed fault is never visited */
    fx_free(&x);
}

/* A single-row fault: one visit per line of the row, in order; on 2 TiB
 * the walk does nothing for the 2^35 other lines. */
static void test_row_fault_visits(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &tib, 24 * HOUR, 0);
    struct mem_fault f = {.mode = FAULT_SINGLE_ROW, .permanent = true, .channel = 5, .dimm = 1, .rank = 2,
                          .device = 0, .bank = 7, .row = 200000, .dq_mask = 3};
    uint64_t id = fault_map_add(&x.fm, &f);
    scrubber_fault_added(&x.s, &x.fm, id);
    struct scrub_visit v;
    uint64_t prev = 0, n = 0;
    while (scrub_step(&x.s, &x.fm, 24 * HOUR - 1, &v)) {
        assert_true(n == 0 || v.line > prev);
        assert_true(fault_map_covers(&x.fm, id, v.line));
        prev = v.line;
        n++;
    }
    assert_true(n == 1024 / 8); /* columns / beats */
    assert_true(x.s.n <= 1);
    fx_free(&x);
}

/* A fault added without scrubber_fault_added is still found from the next
 * pass on; the walk honours a start time. */
static void test_unannounced_fault_and_start(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &tib, 24 * HOUR, 5 * HOUR);
    struct scrub_visit v;
    uint64_t b = add_bit(&x, 0, 0, true);
    (void)b;
    assert_true(scrub_step(&x.s, &x.fm, 5 * HOUR, &v));
    assert_true(v.line == 0 && v.time_ps == 5 * HOUR);
    struct dram_loc l;
    addr_map_decode(&x.m, x.m.capacity / 2, &l);
    struct mem_fault f = {.mode = FAULT_SINGLE_BIT, .permanent = true, .channel = l.channel, .dimm = l.dimm,
                          .rank = l.rank, .device = 1, .bank = l.bank, .row = l.row, .column = l.column,
                          .dq_mask = 2, .time_ps = 0};
    fault_map_add(&x.fm, &f); /* not announced */
    assert_false(scrub_step(&x.s, &x.fm, 29 * HOUR - 1, &v));
    assert_true(scrub_step(&x.s, &x.fm, UINT64_MAX, &v));
    assert_true(v.line == 0 && v.pass == 1);
    assert_true(scrub_step(&x.s, &x.fm, UINT64_MAX, &v));
    assert_true(v.addr == x.m.capacity / 2 && v.pass == 1 && v.time_ps == 5 * HOUR + 24 * HOUR + 12 * HOUR);
    fx_free(&x);
}

#define POLL_PS 16000000000000ull /* Xen's 16 s poll */
__extension__ typedef unsigned __int128 u128;

/* Quiet from now to the walk's next wake-up (a line, or a pass start):
 * move it back by the whole poll periods before that, add them to *sum,
 * and return the wake-up's time after the move. */
static uint64_t quiet_until_next(struct fx *x, uint64_t now, u128 *sum)
{
    uint64_t next = scrubber_next_time(&x->s, &x->fm);
    assert_true(next != UINT64_MAX && next > now);
    uint64_t d = (next - now - 1u) / POLL_PS * POLL_PS;
    if (d > PS_REBASE_D_MAX)
        d = PS_REBASE_D_MAX / POLL_PS * POLL_PS;
    if (d) {
        assert_int_equal(scrubber_rebase(&x->s, &x->fm, d, now), 0);
        assert_int_equal(fault_map_rebase(&x->fm, d, now), 0);
        *sum += d;
    }
    return next - d;
}

/* A quiet host moved back before each wake-up of the walk: the visits it
 * sees, shifted by the total moved, are the unmoved walk's (the
 * formula's, test_schedule). */
static void test_rebase_keeps_the_walk(void **state)
{
    (void)state;
    struct fx a, b;
    fx_init(&a, &tib, 3 * HOUR, 1000);
    fx_init(&b, &tib, 3 * HOUR, 1000);
    /* one fault there from the start, one arriving at 5 h (in the future
     * of the first rebases, in their past later) */
    uint64_t p1 = 77ull << 30, p2 = 900ull << 30;
    add_bit(&a, p1, 0, true);
    add_bit(&b, p1, 0, true);
    add_bit(&a, p2, 5 * HOUR, true);
    add_bit(&b, p2, 5 * HOUR, true);
    u128 sum = 0;
    uint64_t now = 0;
    for (unsigned seen = 0; seen < 20;) {
        uint64_t next = quiet_until_next(&b, now, &sum);
        struct scrub_visit va, vb;
        now = next;
        if (!scrub_step(&b.s, &b.fm, next, &vb))
            continue; /* a pass began */
        assert_true(scrub_step(&a.s, &a.fm, UINT64_MAX - 1u, &va));
        assert_true(vb.time_ps == next);
        assert_true(va.time_ps == vb.time_ps + (uint64_t)sum);
        assert_true(va.line == vb.line && va.pass == vb.pass);
        assert_true(scrubber_line_time(&b.s, vb.pass, vb.line) == vb.time_ps);
        seen++;
    }
    assert_true(sum > 0);
    fx_free(&a);
    fx_free(&b);
}

/* A year of daily passes over one permanent fault, moved back before each
 * wake-up: each visit, at real time moved + sum (beyond 2^64 ps by the
 * end), is the formula's start + pass * period + line * period / lines,
 * and the times the walk holds stay within a pass. */
static void test_rebase_a_year(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &tib, 24 * HOUR, 0);
    uint64_t paddr = 3ull << 38;
    add_bit(&x, paddr, 0, true);
    uint64_t line = paddr >> 6, now = 0;
    u128 sum = 0;
    for (uint64_t p = 0; p < 400;) {
        uint64_t next = quiet_until_next(&x, now, &sum);
        struct scrub_visit v;
        now = next;
        if (!scrub_step(&x.s, &x.fm, next, &v))
            continue;
        assert_true(v.pass == p && v.line == line);
        u128 real = (u128)p * (24 * HOUR) + (u128)line * (24 * HOUR) / x.m.lines;
        assert_true((u128)v.time_ps + sum == real);
        assert_true(v.time_ps < 24 * HOUR);
        p++;
    }
    assert_true(sum > (u128)UINT64_MAX); /* a year and more: past 2^64 ps */
    fx_free(&x);
}

/* A fault that arrived long ago is walked every pass, also when its
 * arrival time, pinned by a rebase at PS_REBASE_AGE_MAX before the
 * rebase's now (below 0), is more than 2^63 ps before a pass start: daily
 * rebases for 60 days (the arrival pinned), then 60 days without one, as
 * a year run between two rebases (fleet host 2797 under xen lost a pass
 * of its single-bit fault so). */
static void test_old_arrival_walked_every_pass(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &tib, 24 * HOUR, 0);
    uint64_t paddr = 5ull << 36;
    add_bit(&x, paddr, 0, true);
    uint64_t now = 0, want = 0;
    for (unsigned day = 0; day < 120; day++) {
        struct scrub_visit v;
        assert_true(scrub_step(&x.s, &x.fm, UINT64_MAX - 1u, &v));
        assert_true(v.pass == want && v.line == paddr >> 6);
        want++;
        now = v.time_ps;
        if (day < 60) { /* move back a day, as a quiet host's rebase does */
            assert_int_equal(scrubber_rebase(&x.s, &x.fm, 24 * HOUR, now), 0);
            assert_int_equal(fault_map_rebase(&x.fm, 24 * HOUR, now), 0);
            now -= 24 * HOUR;
        }
    }
    assert_true(fault_map_get(&x.fm, 1)->time_ps >= (1ull << 63)); /* pinned below 0 */
    assert_true(now > (1ull << 62));                            /* the clock ran on past the pin */
    fx_free(&x);
}

/* A walk that did not move for over 2^62 ps (no step while a fault
 * waits) cannot keep its pass start exact: refused, nothing moves. */
static void test_rebase_refused(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &tib, 24 * HOUR, 0);
    add_bit(&x, 1ull << 30, 0, true);
    uint64_t now = PS_REBASE_AGE_MAX + 5u;
    assert_int_equal(scrubber_rebase(&x.s, &x.fm, 16, now), -ERANGE);
    assert_true(x.s.start_ps == 0 && x.s.pass == 0 && x.s.pass_base == 0);
    assert_int_equal(scrubber_rebase(&x.s, &x.fm, PS_REBASE_D_MAX + 1u, 0), -ERANGE);
    assert_int_equal(scrubber_can_rebase(&x.s, &x.fm, 16, 1000), 0);
    fx_free(&x);
}

/* A visit the owner slept past (a folded stretch it catches up later) is
 * still owed when the host moves back past it, below SystemC's zero: the
 * next step makes it, with its time moved (a time below 0, ps_due), and
 * the walk goes on a pass later. Compared unsigned, that time looked like
 * the far future and the walk stopped for good. */
static void test_rebase_past_an_owed_visit(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &tib, 24 * HOUR, 0);
    uint64_t paddr = 5ull << 36, line = paddr >> 6;
    add_bit(&x, paddr, 0, true);
    uint64_t owed = scrubber_line_time(&x.s, 0, line);
    assert_true(scrubber_next_time(&x.s, &x.fm) == owed); /* planned */
    uint64_t now = owed + 2 * HOUR; /* the owner slept past it */
    uint64_t d = owed + HOUR;       /* the visit moves to 1 h below 0 */
    assert_int_equal(scrubber_rebase(&x.s, &x.fm, d, now), 0);
    uint64_t at = scrubber_next_time(&x.s, &x.fm);
    assert_true(at == owed - d && (int64_t)at < 0);
    struct scrub_visit v;
    assert_true(scrub_step(&x.s, &x.fm, now, &v));
    assert_true(v.line == line && v.pass == 0 && v.time_ps == owed - d);
    /* the next visit: a pass later, after now, not due yet */
    assert_false(scrub_step(&x.s, &x.fm, now, &v));
    assert_false(scrub_step(&x.s, &x.fm, owed - d + 24 * HOUR - 1u, &v));
    assert_true(scrub_step(&x.s, &x.fm, owed - d + 24 * HOUR, &v));
    assert_true(v.pass == 1 && v.line == line && v.time_ps == owed - d + 24 * HOUR);
    fx_free(&x);
}

/* Line times follow the formula start + pass * period +
 * floor(line * period / lines), with the walk's line count a power of two
 * (every geometry addr_map accepts: a shift) and, for the walk alone, one
 * that is not (3/4 of it: the division), at the first lines, the last,
 * and lines in between. */
/* A walk of tib's lines (g = 0: a power of two) or three quarters of them
 * (g = 1: a 128-bit division), one pass a period from start */
static void walk_of(struct scrubber *s, struct addr_map *m, unsigned g, uint64_t period, uint64_t start)
{
    assert_int_equal(addr_map_init(m, &tib), 0);
    if (g)
        m->lines = m->lines / 4u * 3u;
    struct scrubber_config c = {period, start};
    assert_int_equal(scrubber_init(s, m, &c), 0);
}

static void test_line_time_formula(void **state)
{
    (void)state;
    __extension__ typedef unsigned __int128 u128;
    const uint64_t period = 24 * HOUR + 12345, start = 777;
    for (unsigned g = 0; g < 2; g++) {
        struct addr_map mg;
        struct scrubber s;
        walk_of(&s, &mg, g, period, start);
        uint64_t lines = mg.lines;
        assert_true(g == 0 ? (lines & (lines - 1)) == 0 : (lines & (lines - 1)) != 0);
        const uint64_t at[] = {0, 1, 2, lines / 3, lines / 2 + 1, lines - 2, lines - 1};
        for (unsigned i = 0; i < sizeof(at) / sizeof(at[0]); i++)
            for (uint64_t pass = 0; pass < 3; pass++) {
                uint64_t want = start + pass * period + (uint64_t)((u128)at[i] * period / lines);
                assert_true(scrubber_line_time(&s, pass, at[i]) == want);
            }
        scrubber_free(&s);
    }
}

/* The steps give the walk's first line at or after t + k dt as
 * scrubber_line_at does: from inside a pass, from before its start (then
 * each asked of it), across the pass's end (lines), on both geometries. */
static void test_steps_are_line_at(void **state)
{
    (void)state;
    const uint64_t period = 24 * HOUR + 12345, start = 777;
    for (unsigned g = 0; g < 2; g++) {
        struct addr_map mg;
        struct scrubber s;
        walk_of(&s, &mg, g, period, start);
        const uint64_t pass = 2, p0 = start + pass * period;
        const uint64_t t0[] = {p0 + 1, p0 + 5, p0 + period / 3, p0 + period - 4000000000000ull, p0 - 10};
        const uint64_t dt[] = {1, 999999999, 1000000000000ull, 7 * 1000000000000ull + 3};
        unsigned exact = 0, ends = 0;
        for (unsigned i = 0; i < sizeof(t0) / sizeof(t0[0]); i++)
            for (unsigned j = 0; j < sizeof(dt) / sizeof(dt[0]); j++) {
                struct scrubber_steps st;
                scrubber_steps_init(&st, &s, pass, t0[i], dt[j]);
                exact += st.exact;
                for (uint64_t k = 0; k < 3000; k++) {
                    const uint64_t want = scrubber_line_at(&s, pass, t0[i] + k * dt[j]);
                    assert_true(scrubber_steps_line(&st) == want);
                    ends += want == mg.lines;
                    scrubber_steps_next(&st);
                }
            }
        assert_true(exact == 16 && ends > 0); /* (t0 before the pass: asked) */
        scrubber_free(&s);
    }
}

/* The most lines the walk reaches in dt: a bound on every window of that
 * length, at most one above the most a window met (a ceiling). */
static void test_lines_within(void **state)
{
    (void)state;
    struct addr_map m;
    struct scrubber s;
    walk_of(&s, &m, 1, 24 * HOUR + 12345, 777);
    const uint64_t dts[] = {1, 5000, 5000000, 123456789};
    for (unsigned i = 0; i < 4; i++) {
        const uint64_t most = scrubber_lines_within(&s, dts[i]);
        uint64_t met = 0;
        for (uint64_t t = 1000; t < 1000 + 2000000000ull; t += 1000003) {
            const uint64_t n = scrubber_line_at(&s, 0, t + dts[i] + 1) - scrubber_line_at(&s, 0, t + 1);
            assert_true(n <= most);
            met = n > met ? n : met;
        }
        assert_true(most <= met + 1 && most > 0);
    }
    scrubber_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule),
        cmocka_unit_test(test_finds_in_address_order_on_tib),
        cmocka_unit_test(test_until_limits_the_walk),
        cmocka_unit_test(test_arrival_relative_to_walk),
        cmocka_unit_test(test_removed_and_healed),
        cmocka_unit_test(test_row_fault_visits),
        cmocka_unit_test(test_unannounced_fault_and_start),
        cmocka_unit_test(test_rebase_keeps_the_walk),
        cmocka_unit_test(test_rebase_a_year),
        cmocka_unit_test(test_old_arrival_walked_every_pass),
        cmocka_unit_test(test_rebase_refused),
        cmocka_unit_test(test_rebase_past_an_owed_visit),
        cmocka_unit_test(test_line_time_formula),
        cmocka_unit_test(test_steps_are_line_at),
        cmocka_unit_test(test_lines_within),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
