/*
 * test_report_data.c - reading latency.csv for reports: rows and groups,
 * nearest-rank percentiles on known data, and bad input named by line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/report_data.h"

#define HEADER "scenario,point,params,cpus,error,class,stage,latency_ns\n"

static char *write_tmp(const char *text)
{
    char *path = strdup("/tmp/mcasim-report-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void percentiles_are_nearest_rank(void **state)
{
    (void)state;
    double v[100];
    for (int i = 0; i < 100; i++)
        v[i] = i + 1;
    assert_true(report_pct(v, 100, 50) == 50);
    assert_true(report_pct(v, 100, 90) == 90);
    assert_true(report_pct(v, 100, 99) == 99);
    assert_true(report_pct(v, 100, 100) == 100);
    double one = 7;
    assert_true(report_pct(&one, 1, 50) == 7 && report_pct(&one, 1, 99) == 7);
    assert_true(report_pct(v, 0, 50) == 0);
}

static void rows_groups_and_values(void **state)
{
    (void)state;
    char *p = write_tmp(HEADER "a,0,cpus=1,1,1,srao,end_to_end,3000.000\n"
                               "a,0,cpus=1,1,1,srao,logout,500.5\n"
                               "a,1,cpus=8,8,1,srao,end_to_end,9000\n"
                               "b,0,,4,1,corrected,end_to_end,1000\n"
                               "b,0,,4,2,corrected,end_to_end,2000\n");
    struct report_data d = {0};
    char err[256];
    assert_int_equal(report_load(&d, p, err, sizeof(err)), 0);
    assert_int_equal(d.n, 5);
    assert_true(d.rows[1].us > 0.5004 && d.rows[1].us < 0.5006);
    size_t n;
    size_t *g = report_groups(&d, &n);
    assert_int_equal(n, 3); /* a[cpus=1], a[cpus=8], b */
    free(g);
    unsigned *c = report_cpus(&d, &n);
    assert_int_equal(n, 3);
    assert_int_equal(c[0], 1);
    assert_int_equal(c[2], 8);
    free(c);
    double *v = report_values(&d, "b", NULL, -1, LS_END_TO_END, 0, &n);
    assert_int_equal(n, 2);
    assert_true(v[0] == 1.0 && v[1] == 2.0); /* sorted, in us */
    free(v);
    v = report_values(&d, NULL, NULL, -1, LS_END_TO_END, 1, &n); /* broadcast classes only */
    assert_int_equal(n, 2);
    free(v);
    report_free(&d);
    unlink(p);
    free(p);
}

static void bad_input_names_the_line(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"", ":empty"},
        {"not,a,header\n", ":1: not a latency.csv"},
        {HEADER "a,0,,1,1,srao,end_to_end\n", ":2: expected 8"},
        {HEADER "a,0,,1,1,srao,end_to_end,1\na,x,,1,1,srao,end_to_end,1\n", ":3: point"},
        {HEADER "a,0,,1,1,srao,teleport,1\n", ":2: unknown stage"},
        {HEADER "a,0,,1,1,srao,logout,-5\n", ":2: latency_ns"},
        {HEADER "a,0,,1,1,srao,logout,12abc\n", ":2: latency_ns"},
        {HEADER "a,0,,1,1,srao,logout,1,extra\n", ":2: expected 8"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *p = write_tmp(cases[i].text);
        struct report_data d = {0};
        char err[512] = "";
        assert_int_equal(report_load(&d, p, err, sizeof(err)), -1);
        const char *want = cases[i].want;
        if (want[0] == ':' && want[1] == 'e')
            assert_non_null(strstr(err, "empty"));
        else
            assert_non_null(strstr(err, want));
        report_free(&d);
        unlink(p);
        free(p);
    }
    struct report_data d = {0};
    char err[512];
    assert_int_equal(report_load(&d, "/nonexistent/latency.csv", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "/nonexistent/latency.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(percentiles_are_nearest_rank),
        cmocka_unit_test(rows_groups_and_values),
        cmocka_unit_test(bad_input_names_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
