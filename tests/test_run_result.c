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

/* c cycles (from cycle `from`) of a log that writes per lines a cycle,
 * each cycle's the cycle before's dt later (rr_fold_cycle_log's kind) */
static void add_cycles(struct run_result *r, unsigned from, unsigned c, unsigned per, uint64_t dt)
{
    char buf[24];
    for (unsigned y = from; y < from + c; y++)
        for (unsigned j = 0; j < per; j++) {
            snprintf(buf, sizeof(buf), "line %u", j);
            rr_add_line(r, RR_CONSOLE, 1000 + y * dt + j * 7, j % 2, buf);
        }
}

/* k cycles folded (rr_fold_cycle_log) leave the log as adding them line
 * by line does: the lines kept, their times, texts and hosts, the counts */
static void test_cycle_log_folded(void **state)
{
    (void)state;
    static const unsigned keeps[] = {4, 16}, pers[] = {1, 2, 3}, warm[] = {2, 3, 5, 9}, ks[] = {1, 2, 7, 50};
    const uint64_t dt = 30322265625000ull;
    unsigned folded = 0;
    for (unsigned a = 0; a < 2; a++)
        for (unsigned b = 0; b < 3; b++)
            for (unsigned c = 0; c < 4; c++)
                for (unsigned e = 0; e < 4; e++) {
                    const unsigned keep = keeps[a], per = pers[b], w = warm[c], k = ks[e];
                    if (per >= keep)
                        continue;
                    struct scenario s = {0};
                    struct run_result f, u;
                    rr_init(&f, &s, 1);
                    rr_init(&u, &s, 1);
                    rr_set_bounded(&f, keep);
                    rr_set_bounded(&u, keep);
                    add_cycles(&f, 0, w, per, dt);
                    add_cycles(&u, 0, w + k, per, dt);
                    /* (its last two cycles' lines stored: always when
                     * two cycles fit the ring) */
                    const bool can = rr_fold_cycle_log_ok(&f, RR_CONSOLE, per, dt);
                    if (2 * per <= keep)
                        assert_true(can);
                    assert_false(rr_fold_cycle_log_ok(&f, RR_CONSOLE, per, dt + 1));
                    if (!can) {
                        rr_free(&f);
                        rr_free(&u);
                        continue;
                    }
                    folded++;
                    rr_fold_cycle_log(&f, RR_CONSOLE, per, k, dt);
                    assert_int_equal(f.summary.lines_seen[RR_CONSOLE], u.summary.lines_seen[RR_CONSOLE]);
                    assert_int_equal(f.summary.lines[RR_CONSOLE], u.summary.lines[RR_CONSOLE]);
                    rr_finish(&f);
                    rr_finish(&u);
                    assert_int_equal(f.n_console, u.n_console);
                    for (unsigned i = 0; i < u.n_console; i++) {
                        assert_string_equal(f.console[i].text, u.console[i].text);
                        assert_int_equal(f.console[i].t_ps, u.console[i].t_ps);
                        assert_int_equal(f.console[i].host, u.console[i].host);
                    }
                    rr_free(&f);
                    rr_free(&u);
                }
    /* of the 96 cases, all but keep 4 at 3 lines a cycle once the ring
     * wrapped (3 warm-ups by 4 k): the ring no longer holds two cycles */
    assert_int_equal(folded, 84);
}

/* A log whose cycles differ (a text, a time), or whose ring is not yet
 * full when a cycle writes a whole ring, is not folded so */
static void test_cycle_log_refused(void **state)
{
    (void)state;
    struct scenario s = {0};
    struct run_result r;
    rr_init(&r, &s, 1);
    rr_set_bounded(&r, 4);
    assert_true(rr_fold_cycle_log_ok(&r, RR_CONSOLE, 0, 5)); /* no lines a cycle */
    add_cycles(&r, 0, 1, 2, 100);
    assert_false(rr_fold_cycle_log_ok(&r, RR_CONSOLE, 2, 100)); /* one cycle: nothing to compare */
    add_cycles(&r, 1, 2, 2, 100);
    assert_true(rr_fold_cycle_log_ok(&r, RR_CONSOLE, 2, 100));
    rr_add_line(&r, RR_CONSOLE, 1000 + 3 * 100, 0, "line 0");
    rr_add_line(&r, RR_CONSOLE, 1000 + 3 * 100 + 7, 1, "another line");
    assert_false(rr_fold_cycle_log_ok(&r, RR_CONSOLE, 2, 100));
    /* four lines a cycle: the ring (4) full after 8 lines, rewritten whole */
    assert_false(rr_fold_cycle_log_ok(&r, RR_DOM0_LOG, 4, 100));
    add_lines(&r, 8);
    assert_true(rr_fold_cycle_log_ok(&r, RR_DOM0_LOG, 4, 100));
    rr_free(&r);
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
        cmocka_unit_test(test_cycle_log_folded),
        cmocka_unit_test(test_cycle_log_refused),
        cmocka_unit_test(test_records_folded_and_ordered),
        cmocka_unit_test(test_default_keeps_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
