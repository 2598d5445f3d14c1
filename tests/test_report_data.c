/*
 * test_report_data.c - the data side of `mcasim report` (reports/report_data.c)
 * and the template filling of reports/report_script.c.
 *
 * Reading: good rows with every tolerated variation (CRLF, byte order
 * mark, blank lines), then one bad input per rule with the exact line it
 * must be reported at. Percentiles: nearest rank on known data (1..100
 * gives p50 = 50, p90 = 90, p99 = 99, max = 100). Grouping: the order of
 * groups (scenarios naturally, parameter sets by first sweep point, stages
 * in handling order), filters and sorted values. Templates: placeholders
 * replaced, unknown ones named by line, strings quoted safely.
 */
/* Before cmocka.h: sim/results/expect.h (via results_csv.h) declares a function
 * that cmocka.h defines a macro of the same name for. */
#include "sim/results/results_csv.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/report_data.h"
#include "reports/report_plot.h"
#include "report_test_io.h"

#define HEADER "scenario,point,params,cpus,error,class,stage,latency_ns\n"

/* ---- percentiles ---- */

static void nearest_rank_on_1_to_100(void **state)
{
    (void)state;
    double v[100];
    for (int i = 0; i < 100; i++)
        v[i] = i + 1;
    assert_true(rep_nearest_rank(v, 100, 50) == 50);
    assert_true(rep_nearest_rank(v, 100, 90) == 90);
    assert_true(rep_nearest_rank(v, 100, 99) == 99);
    assert_true(rep_nearest_rank(v, 100, 100) == 100);
    assert_true(rep_nearest_rank(v, 100, 0) == 1); /* rank at least 1 */
    assert_true(rep_nearest_rank(v, 100, 1) == 1);
    struct rep_stats st;
    rep_stats_of(v, 100, &st);
    assert_int_equal(st.count, 100);
    assert_true(st.min == 1 && st.max == 100 && st.mean == 50.5);
    assert_true(st.p50 == 50 && st.p90 == 90 && st.p99 == 99);
}

static void nearest_rank_small_sets(void **state)
{
    (void)state;
    const double one[] = {7};
    assert_true(rep_nearest_rank(one, 1, 50) == 7 && rep_nearest_rank(one, 1, 99) == 7);
    const double three[] = {10, 20, 30};
    assert_true(rep_nearest_rank(three, 3, 33) == 10); /* ceil(0.99) = 1 */
    assert_true(rep_nearest_rank(three, 3, 34) == 20); /* ceil(1.02) = 2 */
    assert_true(rep_nearest_rank(three, 3, 50) == 20); /* ceil(1.5) = 2 */
    assert_true(rep_nearest_rank(three, 3, 67) == 30); /* ceil(2.01) = 3 */
    assert_true(rep_nearest_rank(three, 3, 90) == 30);
    const double ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assert_true(rep_nearest_rank(ten, 10, 90) == 9);  /* exactly rank 9 */
    assert_true(rep_nearest_rank(ten, 10, 91) == 10);
    assert_true(rep_nearest_rank(ten, 10, 99) == 10);
}

/* ---- reading ---- */

static void header_is_the_writers(void **state)
{
    (void)state;
    char joined[256] = "";
    for (unsigned i = 0; i < rep_column_count(); i++) {
        strcat(joined, i ? "," : "");
        strcat(joined, rep_column_name(i));
    }
    strcat(joined, "\n");
    assert_string_equal(joined, RESULTS_CSV_LATENCY_HEADER); /* results_csv.h writes what we read */
    assert_null(rep_column_name(rep_column_count()));
}

static void good_rows(void **state)
{
    (void)state;
    struct rep_data d;
    load_ok(&d, HEADER "a,0,k=1;j=2,4,17,srao,signal,95.238\n"
                       "\n"
                       "a,0,k=1;j=2,4,17,srao,end_to_end,6349.992\n"
                       "b,3,,128,18446744073709551615,corrected,dom0,0\n"
                       "b,3,,128,2,none,grade,12\n"
                       "b,3,,128,2,fatal,verdict,0.5\n");
    assert_int_equal(d.n, 5);
    assert_int_equal(d.ninputs, 1);
    const struct rep_row *r = &d.rows[0];
    assert_string_equal(rep_str(&d, r->scenario), "a");
    assert_string_equal(rep_str(&d, r->params), "k=1;j=2");
    assert_int_equal(r->point, 0);
    assert_int_equal(r->cpus, 4);
    assert_int_equal(r->error, 17);
    assert_int_equal(r->cls, MCA_REC_SRAO);
    assert_int_equal(r->stage, LS_SIGNAL);
    assert_true(r->ns == 95.238);
    assert_int_equal(d.rows[1].stage, LS_END_TO_END);
    assert_int_equal(d.rows[0].scenario, d.rows[1].scenario); /* interned once */
    assert_string_equal(rep_str(&d, d.rows[2].params), "");
    assert_true(d.rows[2].error == UINT64_MAX);
    assert_int_equal(d.rows[2].cls, MCA_REC_CORRECTED);
    assert_int_equal(d.rows[3].cls, MCA_REC_NONE);
    assert_int_equal(d.rows[4].cls, MCA_REC_FATAL);
    assert_true(d.rows[4].ns == 0.5);
    rep_data_free(&d);
}

static void crlf_and_bom_tolerated(void **state)
{
    (void)state;
    struct rep_data d;
    load_ok(&d, "\xEF\xBB\xBF" "scenario,point,params,cpus,error,class,stage,latency_ns\r\n"
                "a,0,,2,1,srar,logout,10\r\n"
                "a,0,,2,1,srar,end_to_end,20"); /* no newline at the end */
    assert_int_equal(d.n, 2);
    assert_int_equal(d.rows[0].stage, LS_LOGOUT);
    assert_true(d.rows[1].ns == 20);
    rep_data_free(&d);
}

/* Each bad input, the line it must be reported at and words of the message. */
static const struct bad_case {
    const char *text;
    unsigned line;
    const char *msg;
} bad_cases[] = {
    {"", 1, "empty file"},
    {"scenario,point,params\n", 1, "not a latency CSV: the first line must be 'scenario,point,params,cpus"},
    {"scenario,point,params,cpus,error,class,stage,latency_ns,extra\n", 1, "not a latency CSV"},
    {"Scenario,point,params,cpus,error,class,stage,latency_ns\n", 1, "not a latency CSV"},
    {HEADER "a,0,,1,1,srao,signal\n", 2, "expected 8 comma-separated fields, found 7"},
    {HEADER "a,0,,1,1,srao,signal,1,2\n", 2, "expected 8 comma-separated fields, found 9"},
    {HEADER "a,0,,1,1,srao,signal,1\n\na,x,,1,1,srao,signal,1\n", 4, "column 2 (point): 'x' is not an integer"},
    {HEADER ",0,,1,1,srao,signal,1\n", 2, "column 1 (scenario): the scenario name is empty"},
    {HEADER "a,0,,-4,1,srao,signal,1\n", 2, "column 4 (cpus): '-4' is not an integer"},
    {HEADER "a,0,,4294967296,1,srao,signal,1\n", 2, "column 4 (cpus): '4294967296' is not an integer from 0"},
    {HEADER "a,0,, 4,1,srao,signal,1\n", 2, "column 4 (cpus)"},
    {HEADER "a,0,,4,18446744073709551616,srao,signal,1\n", 2, "column 5 (error)"},
    {HEADER "a,0,,4,1,SRAO,signal,1\n", 2, "column 6 (class): unknown class 'SRAO' (one of none, corrected, ucna"},
    {HEADER "a,0,,4,1,srao,teleport,1\n", 2, "column 7 (stage): unknown stage 'teleport' (one of signal, rendezvous"},
    {HEADER "a,0,,4,1,srao,signal,-5\n", 2, "column 8 (latency_ns): negative latency '-5'"},
    {HEADER "a,0,,4,1,srao,signal,12abc\n", 2, "column 8 (latency_ns): '12abc' is not a decimal number"},
    {HEADER "a,0,,4,1,srao,signal,nan\n", 2, "'nan' is not a decimal number"},
    {HEADER "a,0,,4,1,srao,signal,inf\n", 2, "'inf' is not a decimal number"},
    {HEADER "a,0,,4,1,srao,signal,1e3\n", 2, "'1e3' is not a decimal number"},
    {HEADER "a,0,,4,1,srao,signal,1.\n", 2, "'1.' is not a decimal number"},
    {HEADER "a,0,,4,1,srao,signal,.5\n", 2, "'.5' is not a decimal number"},
    {HEADER "a,0,,4,1,srao,signal,\n", 2, "'' is not a decimal number"},
    {HEADER "a,0,,4,1,srao,signal,1\na,0,,4,1,srao,signal, 1\n", 3, "' 1' is not a decimal number"},
};

static void bad_input_names_the_line(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        struct rep_data d;
        struct rep_error err;
        rep_data_init(&d);
        assert_int_equal(read_text(&d, bad_cases[i].text, &err), -1);
        assert_string_equal(err.file, "t.csv");
        if (err.line != bad_cases[i].line || !strstr(err.msg, bad_cases[i].msg))
            fail_msg("case %zu: got %u: '%s', want %u: '%s'", i, err.line, err.msg, bad_cases[i].line,
                     bad_cases[i].msg);
        rep_data_free(&d);
    }
}

static void a_nul_byte_is_an_error(void **state)
{
    (void)state;
    static const char text[] = HEADER "a,0,,4,1,srao,signal,1\nb\0c\n";
    struct rep_data d;
    struct rep_error err;
    rep_data_init(&d);
    FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
    assert_non_null(f);
    assert_int_equal(rep_read_stream(&d, f, "t.csv", &err), -1);
    fclose(f);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "NUL byte"));
    rep_data_free(&d);
}

static void error_print_format(void **state)
{
    (void)state;
    struct rep_error e = {"dir/latency.csv", 7, "column 7 (stage): unknown stage 'x'"};
    char buf[256];
    FILE *f = fmemopen(buf, sizeof(buf), "w");
    rep_error_print(&e, f);
    e.line = 0;
    snprintf(e.msg, sizeof(e.msg), "cannot open: No such file or directory");
    rep_error_print(&e, f);
    fclose(f);
    assert_string_equal(buf, "dir/latency.csv:7: error: column 7 (stage): unknown stage 'x'\n"
                             "dir/latency.csv: error: cannot open: No such file or directory\n");
}

static void paths_files_and_folders(void **state)
{
    (void)state;
    char dir[] = "/tmp/mcasim-report-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char csv[128], sub[128];
    snprintf(csv, sizeof(csv), "%s/latency.csv", dir);
    snprintf(sub, sizeof(sub), "%s/empty", dir);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs(HEADER "a,0,,4,1,srao,signal,1\n", f);
    fclose(f);
    assert_int_equal(mkdir(sub, 0700), 0);

    struct rep_data d;
    struct rep_error err;
    rep_data_init(&d);
    assert_int_equal(rep_read_path(&d, dir, &err), 0);  /* a folder: its latency.csv */
    assert_int_equal(rep_read_path(&d, csv, &err), 0);  /* the file itself */
    assert_int_equal(d.n, 2);
    assert_int_equal(d.ninputs, 2);
    assert_int_equal(rep_read_path(&d, sub, &err), -1); /* a folder without one */
    assert_string_equal(err.file, sub);
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.msg, "no latency.csv in this folder"));
    assert_int_equal(rep_read_path(&d, "/nonexistent/latency.csv", &err), -1);
    assert_string_equal(err.file, "/nonexistent/latency.csv");
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.msg, "cannot open"));
    rep_data_free(&d);
    unlink(csv);
    rmdir(sub);
    rmdir(dir);
}

/* ---- ordering and grouping ---- */

static void natural_order(void **state)
{
    (void)state;
    assert_true(rep_natural_cmp("n=2", "n=10") < 0);
    assert_true(rep_natural_cmp("n=10", "n=2") > 0);
    assert_true(rep_natural_cmp("cpus=8;x=1", "cpus=64;x=0") < 0);
    assert_true(rep_natural_cmp("", "a") < 0);
    assert_true(rep_natural_cmp("a", "b") < 0);
    assert_true(rep_natural_cmp("abc", "abc") == 0);
    assert_true(rep_natural_cmp("a9", "a10b") < 0);
    /* equal as numbers: strcmp decides, so the order is total and antisymmetric */
    int c = rep_natural_cmp("a01", "a1"), r = rep_natural_cmp("a1", "a01");
    assert_true(c != 0 && r != 0 && (c < 0) == (r > 0));
}

/* Two scenarios; z's sweep ran "p=b" (point 0) before "p=a" (point 1),
 * at two CPU counts; the rows are shuffled. */
static const char grouping_csv[] = HEADER
    "z10,1,p=a,8,1,srao,end_to_end,400\n"
    "z2,0,,4,1,corrected,signal,5\n"
    "z10,0,p=b,8,2,srao,end_to_end,300\n"
    "z10,0,p=b,8,1,srao,end_to_end,100\n"
    "z10,0,p=b,8,1,srao,rendezvous,50\n"
    "z10,1,p=a,2,1,fatal,end_to_end,900\n"
    "z10,0,p=b,2,1,srar,end_to_end,700\n"
    "z2,0,,4,1,corrected,end_to_end,10\n";

static void groups_come_in_a_fixed_order(void **state)
{
    (void)state;
    struct rep_data d;
    load_ok(&d, grouping_csv);
    const struct rep_filter all = {REP_ALL_STAGES, REP_ALL_CLASSES};
    struct rep_groups gs;
    assert_int_equal(rep_group(&d, RK_CONFIG | RK_STAGE, &all, &gs), 0);
    static const struct {
        const char *scenario, *params;
        unsigned cpus;
        enum lat_stage stage;
        size_t count;
        double p50;
    } want[] = {
        {"z2", "", 4, LS_SIGNAL, 1, 5},          /* z2 before z10: natural order */
        {"z2", "", 4, LS_END_TO_END, 1, 10},     /* stages in handling order */
        {"z10", "p=b", 2, LS_END_TO_END, 1, 700}, /* cpus ascending */
        {"z10", "p=a", 2, LS_END_TO_END, 1, 900}, /* p=b ran first (point 0) */
        {"z10", "p=b", 8, LS_RENDEZVOUS, 1, 50},
        {"z10", "p=b", 8, LS_END_TO_END, 2, 100},
        {"z10", "p=a", 8, LS_END_TO_END, 1, 400},
    };
    assert_int_equal(gs.n, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < gs.n; i++) {
        const struct rep_group *g = &gs.g[i];
        assert_string_equal(rep_str(&d, g->scenario), want[i].scenario);
        assert_string_equal(rep_str(&d, g->params), want[i].params);
        assert_int_equal(g->cpus, want[i].cpus);
        assert_int_equal(g->stage, want[i].stage);
        assert_int_equal(g->st.count, want[i].count);
        assert_true(g->st.p50 == want[i].p50);
    }
    assert_true(gs.g[5].ns[0] == 100 && gs.g[5].ns[1] == 300); /* ascending within a group */
    assert_true(gs.g[5].st.max == 300 && gs.g[5].st.mean == 200);
    rep_groups_free(&gs);
    rep_data_free(&d);
}

static void filters_and_partial_keys(void **state)
{
    (void)state;
    struct rep_data d;
    load_ok(&d, grouping_csv);
    struct rep_groups gs;
    /* broadcast classes, end_to_end, by cpus: what the cpus plot uses */
    const struct rep_filter bcast = {REP_STAGE_BIT(LS_END_TO_END), REP_BROADCAST_CLASSES};
    assert_int_equal(rep_group(&d, RK_CPUS | RK_STAGE, &bcast, &gs), 0);
    assert_int_equal(gs.n, 2);
    assert_int_equal(gs.g[0].cpus, 2);
    assert_int_equal(gs.g[0].st.count, 2);
    assert_true(gs.g[0].st.min == 700 && gs.g[0].st.max == 900);
    assert_int_equal(gs.g[1].cpus, 8);
    assert_int_equal(gs.g[1].st.count, 3);
    assert_true(gs.g[1].st.p50 == 300 && gs.g[1].st.max == 400);
    rep_groups_free(&gs);
    /* by stage only: every scenario together */
    const struct rep_filter all = {REP_ALL_STAGES, REP_ALL_CLASSES};
    assert_int_equal(rep_group(&d, RK_STAGE, &all, &gs), 0);
    assert_int_equal(gs.n, 3);
    assert_int_equal(gs.g[0].stage, LS_SIGNAL);
    assert_int_equal(gs.g[1].stage, LS_RENDEZVOUS);
    assert_int_equal(gs.g[2].stage, LS_END_TO_END);
    assert_int_equal(gs.g[2].st.count, 6);
    rep_groups_free(&gs);
    /* nothing passes: no groups, no error */
    const struct rep_filter none = {REP_STAGE_BIT(LS_DOM0), REP_ALL_CLASSES};
    assert_int_equal(rep_group(&d, RK_STAGE, &none, &gs), 0);
    assert_int_equal(gs.n, 0);
    rep_groups_free(&gs);
    rep_data_free(&d);
}

static void many_strings(void **state)
{
    (void)state;
    /* enough distinct names to make the pool grow several times */
    size_t len = sizeof(HEADER) + 3000 * 48;
    char *text = malloc(len), *p = text;
    assert_non_null(text);
    p += sprintf(p, "%s", HEADER);
    for (int i = 2999; i >= 0; i--)
        p += sprintf(p, "s%d,0,,1,1,srao,end_to_end,%d\n", i, i);
    struct rep_data d;
    load_ok(&d, text);
    free(text);
    assert_int_equal(d.n, 3000);
    const struct rep_filter all = {REP_ALL_STAGES, REP_ALL_CLASSES};
    struct rep_groups gs;
    assert_int_equal(rep_group(&d, RK_SCENARIO, &all, &gs), 0);
    assert_int_equal(gs.n, 3000);
    for (size_t i = 0; i < gs.n; i++) { /* s0, s1, ..., s2999: natural order */
        char name[32];
        snprintf(name, sizeof(name), "s%zu", i);
        assert_string_equal(rep_str(&d, gs.g[i].scenario), name);
        assert_true(gs.g[i].st.max == (double)i);
    }
    rep_groups_free(&gs);
    rep_data_free(&d);
}

/* ---- templates ---- */

static void templates_are_filled(void **state)
{
    (void)state;
    const struct rep_subst s[] = {{"N", "3"}, {"TITLES", "[\"a\", \"b\"]"}, {"N2", "x"}};
    struct rep_error err;
    char *out = rep_fill_template("array t[@N@] = @TITLES@\n# mail@host, @lower@, @@, @N2@@\n", "t.gp", s, 3,
                                  &err);
    assert_non_null(out);
    assert_string_equal(out, "array t[3] = [\"a\", \"b\"]\n# mail@host, @lower@, @@, x@\n");
    free(out);
    out = rep_fill_template("ok\nset title @N@\nplot @MISSING@\n", "dir/t.gp", s, 3, &err);
    assert_null(out);
    assert_string_equal(err.file, "dir/t.gp");
    assert_int_equal(err.line, 3);
    assert_string_equal(err.msg, "unknown placeholder @MISSING@");
    out = rep_fill_template("", "t.gp", s, 3, &err);
    assert_non_null(out);
    assert_string_equal(out, "");
    free(out);
}

static void gnuplot_strings_are_quoted(void **state)
{
    (void)state;
    char buf[64];
    rep_gp_quote(buf, sizeof(buf), "a \"b\" c\\d\ne@f µs");
    assert_string_equal(buf, "\"a \\\"b\\\" c\\\\d e@f µs\"");
    rep_gp_quote(buf, sizeof(buf), "");
    assert_string_equal(buf, "\"\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nearest_rank_on_1_to_100),
        cmocka_unit_test(nearest_rank_small_sets),
        cmocka_unit_test(header_is_the_writers),
        cmocka_unit_test(good_rows),
        cmocka_unit_test(crlf_and_bom_tolerated),
        cmocka_unit_test(bad_input_names_the_line),
        cmocka_unit_test(a_nul_byte_is_an_error),
        cmocka_unit_test(error_print_format),
        cmocka_unit_test(paths_files_and_folders),
        cmocka_unit_test(natural_order),
        cmocka_unit_test(groups_come_in_a_fixed_order),
        cmocka_unit_test(filters_and_partial_keys),
        cmocka_unit_test(many_strings),
        cmocka_unit_test(templates_are_filled),
        cmocka_unit_test(gnuplot_strings_are_quoted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
