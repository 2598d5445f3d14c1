/*
 * report_test_io.h - CSV text into report rows, for the unit tests of
 * `mcasim report` (test_report_data.c, test_report_migration.c). Include
 * after cmocka.h and reports/report_data.h.
 */
#ifndef TESTS_REPORT_TEST_IO_H
#define TESTS_REPORT_TEST_IO_H

#include <stdio.h>
#include <string.h>

/* Read text as a CSV named "t.csv"; returns what rep_read_stream did. */
static int read_text(struct rep_data *d, const char *text, struct rep_error *err)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(f);
    int rc = rep_read_stream(d, f, "t.csv", err);
    fclose(f);
    return rc;
}

/* Fresh d from text, which must read cleanly, finished for grouping. */
static void load_ok(struct rep_data *d, const char *text)
{
    struct rep_error err;
    rep_data_init(d);
#ifdef REPORT_TEST_MIGRATION /* the including test reads migration.csv too */
    rep_data_add_table(d, rep_mig_table());
#endif
    if (read_text(d, text, &err) != 0)
        fail_msg("unexpected error: %s:%u: %s", err.file, err.line, err.msg);
    assert_int_equal(rep_finish(d), 0);
}

#endif
