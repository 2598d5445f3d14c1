/*
 * test_memctl_fold_slide.c - unit tests of the walk windows that hold the
 * same runs of fault lines, shifted (models/memctl/fold_slide.h), against
 * a line-by-line walk of the footprints: every window a slide matches has
 * the learnt window's runs (the middle ones as long, the end ones of more
 * than a line when those were), its own lines of each fault, none in its
 * tail, and the first line after it as told.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "models/memctl/fold_slide.h"

#define LINES 16384u
#define NF 3

/* Three faults that repeat every 1024 lines: one of every 8 lines in each
 * block's upper half (a), one line a block in that half (b, cutting a's
 * lines in two runs), one line every 256 (c). */
static const struct fault_footprint fps[NF] = {
    {.key = 0x206, .free = 0x3DF8, .lines = LINES},
    {.key = 0x258, .free = 0x3C00, .lines = LINES},
    {.key = 0x003, .free = 0x3F00, .lines = LINES},
};

struct walk {
    int owner[LINES]; /* the fault of each line: -1 none */
};

static void walk_init(struct walk *w, const struct fault_footprint *fp, size_t n)
{
    for (uint64_t l = 0; l < LINES; l++) {
        w->owner[l] = -1;
        for (size_t i = 0; i < n && w->owner[l] < 0; i++)
            if (footprint_covers(&fp[i], l))
                w->owner[l] = (int)i;
    }
}

struct runs {
    size_t n;
    int fault[256];
    uint64_t len[256];
    uint64_t count[NF];
};

static void runs_of(const struct walk *w, uint64_t a, uint64_t b, struct runs *r)
{
    memset(r, 0, sizeof(*r));
    for (uint64_t l = a; l < b; l++) {
        const int o = w->owner[l];
        if (o < 0)
            continue;
        r->count[o]++;
        if (r->n && r->fault[r->n - 1] == o) {
            r->len[r->n - 1]++;
        } else {
            assert_true(r->n < 256);
            r->fault[r->n] = o;
            r->len[r->n++] = 1;
        }
    }
}

static uint64_t next_of(const struct walk *w, uint64_t b)
{
    while (b < LINES && w->owner[b] < 0)
        b++;
    return b < LINES ? b : FAULT_NO_LINE;
}

static void ranks(const struct walk *w, uint64_t a, uint64_t *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = 0;
    for (uint64_t l = 0; l < a; l++)
        if (w->owner[l] >= 0)
            r[w->owner[l]]++;
}

/* The matched window's runs are the learnt one's as the slide promises */
static void check_match(const struct walk *w, const struct runs *learnt, uint64_t a, uint64_t b, uint64_t tail,
                        const struct fold_slide_window *sw, size_t n)
{
    struct runs r;
    runs_of(w, a, b, &r);
    assert_int_equal(r.n, learnt->n);
    for (size_t i = 0; i < r.n; i++) {
        assert_int_equal(r.fault[i], learnt->fault[i]);
        if (i == 0 || i + 1 == r.n)
            assert_true((r.len[i] > 1) == (learnt->len[i] > 1));
        else
            assert_int_equal(r.len[i], learnt->len[i]);
    }
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sw->count[i], r.count[i]);
    assert_int_equal(sw->next, next_of(w, b));
    for (uint64_t l = b - tail; l < b; l++)
        assert_true(w->owner[l] < 0);
}

/* Windows in a row, widths alternating as a poll's do: each matched one
 * checked, the others learnt; most match (the slide is used) */
static void slide_along(const struct fault_footprint *fp, size_t n, uint64_t tail, unsigned *matched,
                        unsigned *learnt_n)
{
    static struct walk w;
    walk_init(&w, fp, n);
    struct fold_slide s;
    fold_slide_init(&s, fp, n, LINES, tail);
    assert_int_equal(s.q, 10);
    struct runs learnt = {0};
    *matched = *learnt_n = 0;
    for (uint64_t a = 5, k = 0; a + 3100 < LINES - 1100; k++) {
        const uint64_t b = a + 2999 + (k % 3 == 1);
        uint64_t ra[NF], rb[NF];
        ranks(&w, a, ra, n);
        ranks(&w, b, rb, n);
        struct fold_slide_window sw;
        if (fold_slide_match(&s, fp, a, b, ra, &sw)) {
            check_match(&w, &learnt, a, b, tail, &sw, n);
            assert_int_equal(sw.shift % 1024, 0);
            (*matched)++;
        } else {
            fold_slide_learn(&s, fp, a, b, ra, rb);
            if (s.have) {
                runs_of(&w, a, b, &learnt);
                (*learnt_n)++;
            }
        }
        a = b;
    }
}

static void test_slides_match_runs(void **state)
{
    (void)state;
    for (uint64_t tail = 0; tail < 4; tail++) {
        unsigned matched, learnt;
        slide_along(fps, NF, tail, &matched, &learnt);
        assert_true(matched > 0 && learnt > 0);
    }
}

/* Every window start and width from a learnt one: each match checked;
 * matches both where the ends lie between the same lines (moved up only)
 * and where they gain or lose lines of their runs */
static void test_every_window_from_a_learnt_one(void **state)
{
    (void)state;
    static struct walk w;
    walk_init(&w, fps, NF);
    const uint64_t learn_at[][2] = {{1030, 4029}, {1700, 4200}, {1540, 1600}, {0, 3}};
    for (unsigned j = 0; j < 4; j++) {
        struct fold_slide s;
        fold_slide_init(&s, fps, NF, LINES, 1);
        uint64_t ra[NF], rb[NF];
        ranks(&w, learn_at[j][0], ra, NF);
        ranks(&w, learn_at[j][1], rb, NF);
        fold_slide_learn(&s, fps, learn_at[j][0], learn_at[j][1], ra, rb);
        if (j == 3) {
            assert_false(s.have); /* no line in it: not kept */
            continue;
        }
        assert_true(s.have);
        struct runs learnt;
        runs_of(&w, learn_at[j][0], learn_at[j][1], &learnt);
        unsigned same = 0, moved = 0;
        for (uint64_t a = 2048; a < 2048 + 1024; a += 1) {
            ranks(&w, a, ra, NF);
            const uint64_t width = learn_at[j][1] - learn_at[j][0];
            for (uint64_t b = a + width - 40; b <= a + width + 40; b++) {
                struct fold_slide_window sw;
                if (!fold_slide_match(&s, fps, a, b, ra, &sw))
                    continue;
                check_match(&w, &learnt, a, b, 1, &sw, NF);
                bool eq = true;
                for (size_t i = 0; i < NF; i++)
                    eq = eq && sw.count[i] == learnt.count[i];
                same += eq;
                moved += !eq;
            }
        }
        assert_true(same > 0 && moved > 0);
    }
}

/* Two faults (a and b alone): a's runs cross the lower halves, where
 * neither has lines, from one block's upper half to the next's, so a
 * window's end moves from one stretch of a's lines to the next in a run
 * (fleet host 6748 under linux-6): each match checked, some with the end
 * in the next stretch, past the gap, and some in the gap */
static void test_runs_across_stretches(void **state)
{
    (void)state;
    static struct walk w;
    walk_init(&w, fps, 2);
    struct fold_slide s;
    fold_slide_init(&s, fps, 2, LINES, 1);
    uint64_t ra[NF], rb[NF];
    ranks(&w, 1100, ra, 2);
    ranks(&w, 4000, rb, 2); /* its last line a's, late in [3584, 4096) */
    fold_slide_learn(&s, fps, 1100, 4000, ra, rb);
    assert_true(s.have && s.y == 0 && s.last >= 3584 && s.last < 4096);
    struct runs learnt;
    runs_of(&w, 1100, 4000, &learnt);
    unsigned in_next = 0, in_gap = 0;
    for (uint64_t a = 2048 + 1024; a < 2048 + 2048; a += 3) {
        ranks(&w, a, ra, 2);
        for (uint64_t b = a + 2800; b <= a + 3700; b += 5) {
            struct fold_slide_window sw;
            if (!fold_slide_match(&s, fps, a, b, ra, &sw))
                continue;
            check_match(&w, &learnt, a, b, 1, &sw, 2);
            in_next += b - sw.shift > 4608;
            in_gap += b - sw.shift > 4096 && b - sw.shift <= 4608;
        }
    }
    assert_true(in_next > 0 && in_gap > 0);
}

/* A fault pinned on the walk's top bit (a rank's) repeats nowhere below
 * the bound: windows match only where they are, never moved up */
static void test_no_period(void **state)
{
    (void)state;
    const struct fault_footprint fp[2] = {fps[0], {.key = 0x2000 | 0x258, .free = 0x1C00, .lines = LINES}};
    static struct walk w;
    walk_init(&w, fp, 2);
    struct fold_slide s;
    fold_slide_init(&s, fp, 2, LINES, 0);
    assert_int_equal(s.q, 14);
    uint64_t ra[NF], rb[NF];
    ranks(&w, 9000, ra, 2);
    ranks(&w, 12000, rb, 2);
    fold_slide_learn(&s, fp, 9000, 12000, ra, rb);
    assert_true(s.have);
    struct runs learnt;
    runs_of(&w, 9000, 12000, &learnt);
    unsigned matched = 0;
    for (uint64_t a = 1000; a < 13000; a += 50) {
        ranks(&w, a, ra, 2);
        struct fold_slide_window sw;
        if (!fold_slide_match(&s, fp, a, a + 3000, ra, &sw))
            continue;
        assert_int_equal(sw.shift, 0);
        check_match(&w, &learnt, a, a + 3000, 0, &sw, 2);
        matched++;
    }
    assert_true(matched > 0);
}

/* footprint_rank is footprint_count_lines from 0, past the bound too */
static void test_rank_is_count(void **state)
{
    (void)state;
    for (size_t i = 0; i < NF; i++)
        for (uint64_t l = 0; l < LINES + 100; l += 3)
            assert_int_equal(footprint_rank(&fps[i], l), footprint_count_lines(&fps[i], 0, l));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slides_match_runs),
        cmocka_unit_test(test_every_window_from_a_learnt_one),
        cmocka_unit_test(test_runs_across_stretches),
        cmocka_unit_test(test_no_period),
        cmocka_unit_test(test_rank_is_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
