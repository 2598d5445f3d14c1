/*
 * test_timeline.c - the lazy timeline of a scenario's events: it gives
 * every occurrence exactly once, in the order of a stable sort by time of
 * all occurrences listed event by event (the order the runtime used to
 * build up front), stops at `until`, and its counts agree with what it
 * gives. A million repeats cost one heap slot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>

#include "sim/scenario/scenario_values.h"
#include "sim/scenario/timeline.h"

struct occ {
    uint64_t at;
    unsigned index, k, order;
};

static int by_time_then_order(const void *a, const void *b)
{
    const struct occ *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Every occurrence up to until, event by event, then a stable sort by time. */
static unsigned reference(const struct scenario *s, uint64_t until, struct occ *out)
{
    unsigned n = 0;
    for (unsigned i = 0; i < s->nevents; i++)
        for (unsigned k = 0; k < s->events[i].repeat; k++) {
            uint64_t at = s->events[i].at_ps + (uint64_t)k * s->events[i].every_ps;
            if (at <= until) {
                out[n] = (struct occ){at, i, k, n};
                n++;
            }
        }
    qsort(out, n, sizeof(*out), by_time_then_order);
    return n;
}

static void check_against_reference(struct scenario *s, uint64_t until)
{
    struct occ *want = malloc(4096 * sizeof(*want)); /* off the stack: Valgrind's frame limit */
    assert_non_null(want);
    unsigned n = reference(s, until, want);
    struct scn_timeline t;
    assert_int_equal(scn_timeline_init(&t, s, until), 0);
    struct scn_occurrence o;
    unsigned got = 0;
    while (scn_timeline_next(&t, &o)) {
        assert_true(got < n);
        assert_true(o.at_ps == want[got].at);
        assert_int_equal(o.index, want[got].index);
        assert_int_equal(o.k, want[got].k);
        assert_ptr_equal(o.ev, &s->events[o.index]);
        got++;
    }
    assert_int_equal(got, n);
    assert_int_equal(scn_occurrences(s, until), n);
    scn_timeline_free(&t);
    free(want);
}

/* n events at random times in units of unit ps, few distinct ones, so
 * that ties are common; x is the generator's state. */
static void random_events(struct scn_event *ev, unsigned n, uint64_t *x, uint64_t unit)
{
    for (unsigned i = 0; i < n; i++) {
        *x = *x * 6364136223846793005ull + 1442695040888963407ull;
        ev[i] = (struct scn_event){.at_ps = (*x >> 40) % 8 * unit, .repeat = 1 + (unsigned)((*x >> 20) % 6),
                                   .every_ps = unit * (1 + (*x >> 30) % 3)};
    }
}

static void test_matches_stable_sort(void **state)
{
    (void)state;
    struct scn_event ev[24];
    struct scenario s = {.events = ev};
    uint64_t x = 99;
    for (unsigned round = 0; round < 200; round++) {
        s.nevents = 1 + round % 24;
        random_events(ev, s.nevents, &x, 10);
        check_against_reference(&s, UINT64_MAX);
        check_against_reference(&s, 45);
        check_against_reference(&s, 0);
    }
}

static void test_ties_in_file_order(void **state)
{
    (void)state;
    struct scn_event ev[3] = {
        {.at_ps = 5, .repeat = 1},
        {.at_ps = 0, .repeat = 3, .every_ps = 5},
        {.at_ps = 5, .repeat = 1},
    };
    struct scenario s = {.events = ev, .nevents = 3};
    struct scn_timeline t;
    assert_int_equal(scn_timeline_init(&t, &s, 100), 0);
    static const unsigned want[][2] = {{1, 0}, {0, 0}, {1, 1}, {2, 0}, {1, 2}};
    struct scn_occurrence o;
    for (unsigned i = 0; i < 5; i++) {
        assert_true(scn_timeline_next(&t, &o));
        assert_int_equal(o.index, want[i][0]);
        assert_int_equal(o.k, want[i][1]);
    }
    assert_false(scn_timeline_next(&t, &o));
    scn_timeline_free(&t);
}

/* A million repeats, cut at until: only what happens by then is made. */
static void test_lazy_and_cut(void **state)
{
    (void)state;
    struct scn_event ev = {.at_ps = 1000, .repeat = 1000000, .every_ps = 1};
    struct scenario s = {.events = &ev, .nevents = 1};
    assert_int_equal(scn_event_occurrences(&ev, 1009), 10);
    assert_int_equal(scn_event_occurrences(&ev, 999), 0);
    assert_int_equal(scn_event_occurrences(&ev, UINT64_MAX), 1000000);
    struct scn_timeline t;
    assert_int_equal(scn_timeline_init(&t, &s, 1009), 0);
    assert_int_equal(t.n, 1);
    struct scn_occurrence o;
    unsigned n = 0;
    while (scn_timeline_next(&t, &o))
        assert_true(o.at_ps == 1000 + n++);
    assert_int_equal(n, 10);
    scn_timeline_free(&t);
}

static void test_fits(void **state)
{
    (void)state;
    struct scn_event ev = {.repeat = 11, .every_ps = SCV_TIME_MAX_PS / 10};
    assert_true(scn_event_fits(&ev, 0));
    assert_false(scn_event_fits(&ev, 1));
    ev.repeat = 1;
    assert_true(scn_event_fits(&ev, SCV_TIME_MAX_PS));
    assert_false(scn_event_fits(&ev, SCV_TIME_MAX_PS + 1));
}

/* Rebased by a random d before each occurrence (at most up to it), the
 * timeline gives the stable sort's occurrences, each moved by the sum of
 * the d before it; one due within the d asked is refused, nothing moves. */
static void test_rebase(void **state)
{
    (void)state;
    struct scn_event ev[12];
    struct scenario s = {.events = ev};
    struct occ *want = malloc(4096 * sizeof(*want));
    assert_non_null(want);
    uint64_t x = 7;
    for (unsigned round = 0; round < 100; round++) {
        s.nevents = 1 + round % 12;
        random_events(ev, s.nevents, &x, 1000);
        uint64_t until = round % 2 ? UINT64_MAX : 9000;
        unsigned n = reference(&s, until, want);
        struct scn_timeline t;
        assert_int_equal(scn_timeline_init(&t, &s, until), 0);
        uint64_t now = 0, sum = 0;
        for (unsigned got = 0; got < n; got++) {
            uint64_t due = want[got].at - sum; /* the next occurrence, moved */
            assert_true(due >= now);
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            uint64_t d = (x >> 33) % (due - now + 1);
            assert_int_equal(scn_timeline_rebase(&t, due - now + 1, now), -EBUSY);
            assert_int_equal(scn_timeline_rebase(&t, d, now), 0);
            sum += d;
            struct scn_occurrence o;
            assert_true(scn_timeline_next(&t, &o));
            assert_true(o.at_ps == want[got].at - sum);
            assert_int_equal(o.index, want[got].index);
            assert_int_equal(o.k, want[got].k);
            now = o.at_ps;
        }
        struct scn_occurrence o;
        assert_false(scn_timeline_next(&t, &o));
        assert_int_equal(scn_timeline_rebase(&t, 1ull << 50, now), 0); /* nothing pending: any d */
        assert_true(t.shift_ps == sum);
        scn_timeline_free(&t);
    }
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_stable_sort),
        cmocka_unit_test(test_ties_in_file_order),
        cmocka_unit_test(test_lazy_and_cut),
        cmocka_unit_test(test_fits),
        cmocka_unit_test(test_rebase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
