/*
 * test_run_result.c - bounded results (rr_set_bounded): a log keeps its
 * first and last `keep` lines in order and counts the rest; folded
 * records are counted per class and their slots reused; at the end the
 * kept records are in the order the run added them; the default keeps
 * everything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim/results/run_result.h"

static void add_lines(struct run_result *r, unsigned n)
{
    char buf[16];
    for (unsigned i = 0; i < n; i++) {
        snprintf(buf, sizeof(buf), "%u", i);
        rr_add_line(r, RR_DOM0_LOG, i, 0, buf);
    }
}

static void test_lines_first_and_last(void **state)
{
    (void)state;
    static const unsigned counts[] = {3, 8, 9, 11, 100, 101};
    for (unsigned c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
        struct scenario s = {0};
        struct run_result r;
        rr_init(&r, &s, 1);
        rr_set_bounded(&r, 4);
        unsigned n = counts[c];
        add_lines(&r, n);
        rr_finish(&r);
        unsigned kept = n < 8 ? n : 8;
        assert_int_equal(r.n_dom0_log, kept);
        assert_int_equal(r.summary.lines[RR_DOM0_LOG], n - kept);
        assert_int_equal(rr_lines_total(&r, RR_DOM0_LOG), n);
        for (unsigned i = 0; i < kept; i++) {
            unsigned want = i < 4 || n <= 8 ? i : n - 8 + i; /* first 4, then the last 4 */
            char buf[16];
            snprintf(buf, sizeof(buf), "%u", want);
            assert_string_equal(r.dom0_log[i].text, buf);
            assert_int_equal(r.dom0_log[i].t_ps, want);
        }
        rr_free(&r);
    }
}

static void test_records_folded_and_ordered(void **state)
{
    (void)state;
    struct scenario s = {0};
    struct run_result r;
    rr_init(&r, &s, 1);
    rr_set_bounded(&r, 2);
    for (unsigned i = 0; i < 10; i++) {
        struct rr_record *e = rr_add_record(&r, NULL);
        e->rec->seq = i + 1;
        e->rec->cls = i % 2 ? MCA_REC_CORRECTED : MCA_REC_SRAO;
        e->fetched = true;
        unsigned idx = (unsigned)(e - r.records);
        /* every record but the 5th and the last is settled at once */
        if (i != 4 && i != 9)
            assert_int_equal(rr_fold_record(&r, idx), idx >= 2);
    }
    assert_true(r.n_records <= 4); /* two kept, the 5th, and a reused slot */
    rr_finish(&r);
    assert_int_equal(r.n_records, 4);
    static const uint64_t seqs[] = {1, 2, 5, 10};
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(r.records[i].rec->seq, seqs[i]);
    assert_int_equal(r.summary.records, 6);
    assert_int_equal(r.summary.records_fetched, 6);
    assert_int_equal(rr_records_total(&r), 10);
    uint64_t cls[MCA_REC__COUNT];
    rr_records_by_class(&r, cls);
    assert_int_equal(cls[MCA_REC_CORRECTED], 5);
    assert_int_equal(cls[MCA_REC_SRAO], 5);
    rr_free(&r);
}

static void test_default_keeps_everything(void **state)
{
    (void)state;
    struct scenario s = {0};
    struct run_result r;
    rr_init(&r, &s, 1);
    add_lines(&r, 100);
    struct rr_record *e = rr_add_record(&r, NULL);
    assert_false(rr_fold_record(&r, (unsigned)(e - r.records)));
    rr_finish(&r);
    assert_int_equal(r.n_dom0_log, 100);
    assert_int_equal(r.n_records, 1);
    assert_int_equal(r.summary.lines[RR_DOM0_LOG], 0);
    rr_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_first_and_last),
        cmocka_unit_test(test_records_folded_and_ordered),
        cmocka_unit_test(test_default_keeps_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
