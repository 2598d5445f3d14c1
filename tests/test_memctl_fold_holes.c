/*
 * test_memctl_fold_holes.c - unit tests of a holed span's line arithmetic
 * (models/memctl/fold_holes.h): memctl_holed_count and memctl_holed_nth
 * against a line-by-line count of an outer footprint's lines less its
 * nested faults' (holes), each a hole only from its walk entry on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "models/memctl/fold_holes.h"

/* 256 lines of the outer fault (bits 0-7 free); two faults within them
 * that share no line: lines ...0101 (bits 4-7 free) from line 40 on, and
 * lines ..000011 (bits 6-7 free) from the start; the span ends at 250 */
static struct memctl_holed_span span(void)
{
    struct memctl_holed_span s = {0};
    s.fp[0] = (struct fault_footprint){.key = 0, .free = 0xFF, .lines = 1024};
    s.fp[1] = (struct fault_footprint){.key = 0x5, .free = 0xF0, .lines = 1024};
    s.fp[2] = (struct fault_footprint){.key = 0x3, .free = 0xC0, .lines = 1024};
    s.from[0] = 0;
    s.from[1] = 40;
    s.from[2] = 0;
    s.m = 3;
    for (unsigned i = 0; i < s.m; i++)
        s.from_rank[i] = footprint_rank(&s.fp[i], s.from[i]);
    s.line = s.own = 0;
    s.end = 250;
    return s;
}

static bool is_line(const struct memctl_holed_span *s, uint64_t x)
{
    if (!footprint_covers(&s->fp[0], x))
        return false;
    for (unsigned i = 1; i < s->m; i++)
        if (x >= s->from[i] && footprint_covers(&s->fp[i], x))
            return false;
    return true;
}

static void test_count_is_line_by_line(void **state)
{
    (void)state;
    const struct memctl_holed_span s = span();
    for (uint64_t a = 0; a <= 256; a += 3)
        for (uint64_t b = a; b <= 256; b++) {
            uint64_t n = 0;
            for (uint64_t x = a; x < b; x++)
                n += is_line(&s, x);
            assert_int_equal(memctl_holed_count(&s, a, b), n);
        }
}

/* The lines below x less the holes, from line 0, counted line by line
 * (memctl_holed_count is the difference of two) */
static void test_rank_is_line_by_line(void **state)
{
    (void)state;
    const struct memctl_holed_span s = span();
    uint64_t n = 0;
    for (uint64_t x = 0; x <= 300; x++) {
        assert_int_equal(memctl_holed_rank(&s, x), n);
        n += is_line(&s, x);
    }
}

/* The k-th line (0: the first) at or after from, below end; none past
 * them. Holes at the answer's place and right before it are where a
 * count-and-step search could stop one short. */
static void test_nth_is_line_by_line(void **state)
{
    (void)state;
    const struct memctl_holed_span s = span();
    unsigned holes_met = 0;
    for (uint64_t from = 0; from <= 252; from++) {
        uint64_t k = 0;
        for (uint64_t x = from; x < s.end; x++) {
            if (!is_line(&s, x)) {
                holes_met += footprint_covers(&s.fp[0], x);
                continue;
            }
            assert_int_equal(memctl_holed_nth(&s, from, k), x);
            k++;
        }
        assert_int_equal(memctl_holed_nth(&s, from, k), FAULT_NO_LINE);
        assert_int_equal(memctl_holed_nth(&s, from, k + 7), FAULT_NO_LINE);
    }
    assert_true(holes_met > 1000); /* the holes were in the way */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_is_line_by_line),
        cmocka_unit_test(test_nth_is_line_by_line),
        cmocka_unit_test(test_rank_is_line_by_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
