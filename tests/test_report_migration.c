/*
 * test_report_migration.c - the migration side of `mcasim report`
 * (reports/report_migration.c): migration.csv's columns against the writer's
 * header, reading (picked by the header, empty times, bad rows named by
 * line), parameter values as numbers (times in ms), and grouping: the x
 * parameter a scenario's sweep varied, groups by its other parameters in
 * sweep order, scenarios in natural order, outcome counts, an order
 * that does not depend on the order of the input, and the spans of equal
 * outcome along the swept value.
 */
/* Before cmocka.h: sim/results/expect.h (via results_csv.h) declares a function
 * that cmocka.h defines a macro of the same name for. */
#include "sim/results/results_csv.h"
#include "reports/report_migration.h"

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

#define REPORT_TEST_MIGRATION 1
#include "report_test_io.h"

#define HEADER RESULTS_CSV_MIGRATION_HEADER
#define TIMES "1000000.000,9000000.000,9500000.000,500000.000"

/* ---- reading ---- */

static void header_is_the_writers(void **state)
{
    (void)state;
    const struct rep_table *t = rep_mig_table();
    char joined[512] = "";
    for (unsigned i = 0; i < t->ncol; i++) {
        strcat(joined, i ? "," : "");
        strcat(joined, t->col[i].name);
    }
    strcat(joined, "\n");
    assert_string_equal(joined, RESULTS_CSV_MIGRATION_HEADER); /* results_csv.h writes what we read */
}

static void good_rows(void **state)
{
    (void)state;
    struct rep_data d;
    load_ok(&d, HEADER "s,3,events.1.at=1250us,1,0,1,data_loss,B.I,5,2,70000,1,3,4," TIMES "\r\n"
                       "\n"
                       "s,4,events.1.at=1500us,1,0,1,aborted,,3,0,50000,0,0,0,1000000.000,,,\n");
    assert_int_equal(d.n, 0); /* no latency rows */
    assert_int_equal(d.nmig, 2);
    assert_int_equal(d.ninputs, 1);
    const struct rep_mig_row *m = &d.mig[0];
    assert_string_equal(rep_str(&d, m->scenario), "s");
    assert_string_equal(rep_str(&d, m->params), "events.1.at=1250us");
    assert_int_equal(m->point, 3);
    assert_int_equal(m->domain, 1);
    assert_int_equal(m->from, 0);
    assert_int_equal(m->to, 1);
    assert_int_equal(m->outcome, SCN_MIGO_DATA_LOSS);
    assert_string_equal(rep_str(&d, m->mcase), "B.I");
    assert_int_equal(m->iterations, 5);
    assert_int_equal(m->rechecks, 2);
    assert_int_equal(m->pages_sent, 70000);
    assert_int_equal(m->broken_sent, 1);
    assert_int_equal(m->pages_lost, 3);
    assert_int_equal(m->needless_broken, 4);
    assert_true(m->start_ns == 1e6 && m->pause_ns == 9e6 && m->end_ns == 9.5e6 && m->downtime_ns == 5e5);
    m = &d.mig[1];
    assert_int_equal(m->outcome, SCN_MIGO_ABORTED);
    assert_string_equal(rep_str(&d, m->mcase), "");
    assert_true(m->start_ns == 1e6);
    assert_true(m->pause_ns == REP_MIG_NO_TIME && m->end_ns == REP_MIG_NO_TIME && m->downtime_ns == REP_MIG_NO_TIME);
    rep_data_free(&d);
}

static void both_kinds_in_one_data(void **state)
{
    (void)state;
    struct rep_data d;
    struct rep_error err;
    load_ok(&d, RESULTS_CSV_LATENCY_HEADER "a,0,,4,1,srao,signal,10\n");
    assert_int_equal(read_text(&d, HEADER "a,0,,1,0,1,success,,1,0,1,0,0,0,,,,\n", &err), 0);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.nmig, 1);
    assert_int_equal(d.rows[0].scenario, d.mig[0].scenario); /* one pool */
    assert_int_equal(d.ninputs, 2);
    rep_data_free(&d);
}

static void bad_rows_name_the_line(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned line;
        const char *msg;
    } cases[] = {
        {HEADER "s,0,,1,0,1,fine,,1,0,1,0,0,0,,,,\n", 2, "column 7 (outcome): unknown outcome 'fine' (one of none,"},
        {HEADER "s,0,,1,0,1,success,,1,0,1,0,0,0,,,\n", 2, "expected 18 comma-separated fields, found 17"},
        {HEADER "\ns,0,,1,0,1,success,,1,0,1,0,0,0,1ms,,,\n", 3, "column 15 (start_ns): '1ms' is not a decimal"},
        {HEADER "s,0,,1,0,1,success,,1,0,1,0,0,0,,,,-5\n", 2, "column 18 (downtime_ns): negative time '-5'"},
        {HEADER "s,0,,one,0,1,success,,1,0,1,0,0,0,,,,\n", 2, "column 4 (domain): 'one' is not an integer"},
        {HEADER ",0,,1,0,1,success,,1,0,1,0,0,0,,,,\n", 2, "column 1 (scenario): the scenario name is empty"},
        {"scenario,point,params,domain\n", 1, "not a latency CSV"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rep_data d;
        struct rep_error err;
        rep_data_init(&d);
        rep_data_add_table(&d, rep_mig_table());
        assert_int_equal(read_text(&d, cases[i].text, &err), -1);
        assert_string_equal(err.file, "t.csv");
        assert_int_equal(err.line, cases[i].line);
        if (!strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].msg);
        rep_data_free(&d);
    }
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void folders_with_one_or_both(void **state)
{
    (void)state;
    char dir[] = "/tmp/mcasim-repmig-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char lat[128], mig[128];
    snprintf(lat, sizeof(lat), "%s/latency.csv", dir);
    snprintf(mig, sizeof(mig), "%s/migration.csv", dir);
    struct rep_data d;
    struct rep_error err;

    write_file(mig, HEADER "s,0,,1,0,1,success,,1,0,1,0,0,0,,,,\n");
    rep_data_init(&d);
    rep_data_add_table(&d, rep_mig_table());
    assert_int_equal(rep_read_path(&d, dir, &err), 0); /* migration.csv alone */
    assert_int_equal(d.n, 0);
    assert_int_equal(d.nmig, 1);
    rep_data_free(&d);

    write_file(lat, RESULTS_CSV_LATENCY_HEADER "s,0,,4,1,srao,signal,1\n");
    rep_data_init(&d);
    rep_data_add_table(&d, rep_mig_table());
    assert_int_equal(rep_read_path(&d, dir, &err), 0); /* both */
    assert_int_equal(d.n, 1);
    assert_int_equal(d.nmig, 1);
    assert_int_equal(d.ninputs, 2);
    assert_int_equal(rep_read_path(&d, mig, &err), 0); /* the file itself */
    assert_int_equal(d.nmig, 2);
    rep_data_free(&d);

    write_file(mig, HEADER "s,0,,1,0,1,lost,,1,0,1,0,0,0,,,,\n");
    rep_data_init(&d);
    rep_data_add_table(&d, rep_mig_table());
    assert_int_equal(rep_read_path(&d, dir, &err), -1); /* a bad migration.csv is named */
    assert_string_equal(err.file, mig);
    assert_int_equal(err.line, 2);
    rep_data_free(&d);
    unlink(lat);
    unlink(mig);
    rmdir(dir);
}

/* ---- parameter values ---- */

static void values_as_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum rep_value_kind kind;
        double v;
    } cases[] = {
        {"1250us", REP_VALUE_TIME, 1.25}, {"2ms", REP_VALUE_TIME, 2},     {"500ns", REP_VALUE_TIME, 0.0005},
        {"0.5ms", REP_VALUE_TIME, 0.5},   {"2 s", REP_VALUE_TIME, 2000}, {"1min", REP_VALUE_TIME, 60000},
        {"4", REP_VALUE_NUMBER, 4},       {"0x10", REP_VALUE_NUMBER, 16}, {"0.25", REP_VALUE_NUMBER, 0.25},
        {"none", REP_VALUE_NONE, -1},     {"", REP_VALUE_NONE, -1},       {"1.5xs", REP_VALUE_NONE, -1},
        {"-3", REP_VALUE_NONE, -1},       {"nan", REP_VALUE_NONE, -1},    {"sapphirerapids", REP_VALUE_NONE, -1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double v = -1;
        enum rep_value_kind k = rep_param_number(cases[i].text, &v);
        if (k != cases[i].kind || v != cases[i].v)
            fail_msg("'%s': kind %d value %g, expected %d %g", cases[i].text, k, v, cases[i].kind, cases[i].v);
    }
}

static void params_by_key(void **state)
{
    (void)state;
    char buf[16];
    assert_int_equal(rep_param_get("a=1;events.1.at=2ms", "events.1.at", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "2ms");
    assert_int_equal(rep_param_get("a=1;b=", "b", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
    assert_int_equal(rep_param_get("ab=1", "a", buf, sizeof(buf)), -1); /* a prefix is not the key */
    assert_int_equal(rep_param_get("", "a", buf, sizeof(buf)), -1);
    assert_int_equal(rep_param_get("a=0123456789abcdef", "a", buf, sizeof(buf)), -1); /* does not fit */
}

static void cases_in_sequence_order(void **state)
{
    (void)state;
    static const char *const seq[] = {"", "live", "before-4", "A", "B.I", "B.II", "after"};
    for (unsigned i = 0; i < REP_MIG_NCASES; i++)
        assert_int_equal(rep_mig_case_rank(seq[i]), i);
    assert_int_equal(rep_mig_case_rank("C"), REP_MIG_NCASES); /* unknown: after all */
}

/* ---- grouping ---- */

#define ROW(s, pt, params, outcome, mcase) s "," #pt "," params ",1,0,1," outcome "," mcase ",1,0,1,0,0,0," TIMES "\n"

/* Two scenarios out of order: "mig10" (a 2-D sweep: mig_on_vmce, cpus
 * fixed at 4, the injection time varied) and "mig2" (no numeric
 * parameter). */
static const char *const grouping_rows[] = {
    ROW("mig10", 3, "mig_on_vmce=abort;cpus=4;events.1.at=2ms", "process_killed", "B.I"),
    ROW("mig10", 0, "mig_on_vmce=continue;cpus=4;events.1.at=1ms", "success", "live"),
    ROW("mig2", 1, "policy=b", "refused", ""),
    ROW("mig10", 2, "mig_on_vmce=abort;cpus=4;events.1.at=1ms", "aborted", "live"),
    ROW("mig10", 1, "mig_on_vmce=continue;cpus=4;events.1.at=2ms", "data_loss", "B.I"),
    ROW("mig2", 0, "policy=a", "success", ""),
};
#define NGROUPING (sizeof(grouping_rows) / sizeof(grouping_rows[0]))

static void load_rows(struct rep_data *d, const unsigned *order)
{
    char text[4096] = HEADER;
    for (unsigned i = 0; i < NGROUPING; i++)
        strcat(text, grouping_rows[order[i]]);
    load_ok(d, text);
}

static void check_grouping(const struct rep_data *d, const struct rep_mig_groups *gs)
{
    assert_int_equal(gs->nsc, 2);
    assert_int_equal(gs->ng, 3);
    assert_int_equal(gs->npts, NGROUPING);

    const struct rep_mig_scenario *a = &gs->sc[0], *b = &gs->sc[1];
    assert_string_equal(rep_str(d, a->scenario), "mig2"); /* natural order */
    assert_string_equal(a->xkey, "");                      /* nothing numeric: the sweep point */
    assert_int_equal(a->xkind, REP_VALUE_NONE);
    assert_int_equal(a->ngroups, 1);
    assert_int_equal(a->n, 2);
    assert_int_equal(a->count[SCN_MIGO_SUCCESS], 1);
    assert_int_equal(a->count[SCN_MIGO_REFUSED], 1);
    const struct rep_mig_group *g = &gs->g[a->first];
    assert_string_equal(g->rest, "");
    assert_int_equal(g->n, 2);
    assert_true(gs->pts[g->first].x == 0 && gs->pts[g->first + 1].x == 1);

    assert_string_equal(rep_str(d, b->scenario), "mig10");
    assert_string_equal(b->xkey, "events.1.at"); /* cpus is numeric too, but does not vary */
    assert_int_equal(b->xkind, REP_VALUE_TIME);
    assert_int_equal(b->ngroups, 2);
    assert_int_equal(b->count[SCN_MIGO_DATA_LOSS], 1);
    assert_int_equal(b->count[SCN_MIGO_SUCCESS], 1);
    g = &gs->g[b->first];
    assert_string_equal(g->rest, "mig_on_vmce=continue;cpus=4"); /* first point 0 */
    assert_int_equal(g->n, 2);
    const struct rep_mig_point *p = &gs->pts[g->first];
    assert_int_equal(p[0].row->point, 0);
    assert_true(p[0].x == 1);
    assert_int_equal(p[0].row->outcome, SCN_MIGO_SUCCESS);
    assert_int_equal(p[1].row->point, 1);
    assert_true(p[1].x == 2);
    assert_string_equal(rep_str(d, p[1].row->mcase), "B.I");
    g = &gs->g[b->first + 1];
    assert_string_equal(g->rest, "mig_on_vmce=abort;cpus=4");
    assert_int_equal(gs->pts[g->first].row->point, 2);
    assert_int_equal(gs->pts[g->first + 1].row->point, 3);
    assert_int_equal(g->scenario, 1);
}

static void groups_against_the_swept_parameter(void **state)
{
    (void)state;
    static const unsigned orders[][NGROUPING] = {{0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}, {2, 0, 5, 1, 3, 4}};
    for (size_t k = 0; k < sizeof(orders) / sizeof(orders[0]); k++) {
        struct rep_data d;
        struct rep_mig_groups gs;
        load_rows(&d, orders[k]);
        assert_int_equal(rep_mig_group(&d, &gs), 0);
        check_grouping(&d, &gs); /* the same whatever the input order */
        rep_mig_groups_free(&gs);
        rep_data_free(&d);
    }
}

static void a_single_point(void **state)
{
    (void)state;
    struct rep_data d;
    struct rep_mig_groups gs;
    load_ok(&d, HEADER ROW("one", 0, "events.1.at=1250us", "success", "A"));
    assert_int_equal(rep_mig_group(&d, &gs), 0);
    assert_int_equal(gs.nsc, 1);
    assert_int_equal(gs.ng, 1);
    assert_string_equal(gs.sc[0].xkey, "events.1.at"); /* numeric, if not varying */
    assert_true(gs.pts[0].x == 1.25);
    assert_string_equal(gs.g[0].rest, "");
    rep_mig_groups_free(&gs);
    rep_data_free(&d);

    load_ok(&d, HEADER);
    assert_int_equal(rep_mig_group(&d, &gs), 0); /* no rows: no groups, no error */
    assert_int_equal(gs.nsc, 0);
    assert_int_equal(gs.ng, 0);
    rep_mig_groups_free(&gs);
    rep_data_free(&d);
}

/* A parameter numeric at some points only is not an x axis. */
static void mixed_values_fall_back_to_the_point(void **state)
{
    (void)state;
    struct rep_data d;
    struct rep_mig_groups gs;
    load_ok(&d, HEADER ROW("t", 0, "rendezvous_timeout=none", "success", "")
                    ROW("t", 1, "rendezvous_timeout=1ms", "aborted", "live"));
    assert_int_equal(rep_mig_group(&d, &gs), 0);
    assert_string_equal(gs.sc[0].xkey, "");
    assert_int_equal(gs.ng, 1);
    assert_true(gs.pts[0].x == 0 && gs.pts[1].x == 1);
    rep_mig_groups_free(&gs);
    rep_data_free(&d);
}

/* ---- spans ---- */

#define SROW(pt, at, dom, outcome, mcase, lost) \
    "s," #pt ",events.1.at=" at "," #dom ",0,1," outcome "," mcase ",1,0,1,0," #lost ",0," TIMES "\n"

/* Points out of x order (a sweep over a list), two domains: spans follow
 * x within each domain and merge only equal outcome, case and losses. */
static void spans_along_the_swept_value(void **state)
{
    (void)state;
    struct rep_data d;
    struct rep_mig_groups gs;
    load_ok(&d, HEADER SROW(0, "3ms", 1, "success", "B.II", 0) SROW(1, "1ms", 1, "aborted", "live", 0)
                    SROW(2, "2ms", 1, "aborted", "live", 0) SROW(3, "4ms", 1, "success", "B.II", 0)
                    SROW(4, "5ms", 1, "data_loss", "B.I", 1) SROW(5, "6ms", 1, "data_loss", "B.I", 2)
                    SROW(0, "3ms", 2, "success", "", 0) SROW(1, "1ms", 2, "success", "", 0));
    assert_int_equal(rep_mig_group(&d, &gs), 0);
    assert_int_equal(gs.ng, 1);
    struct rep_mig_span sp[8];
    size_t n;
    assert_int_equal(rep_mig_spans(&gs, &gs.g[0], sp, &n), 0);
    assert_int_equal(n, 5);
    assert_int_equal(sp[0].domain, 1);
    assert_int_equal(sp[0].outcome, SCN_MIGO_ABORTED);
    assert_string_equal(rep_str(&d, sp[0].mcase), "live");
    assert_true(sp[0].x_from == 1 && sp[0].x_to == 2 && sp[0].n == 2);
    assert_int_equal(sp[1].outcome, SCN_MIGO_SUCCESS); /* points 0 and 3: adjacent in x */
    assert_true(sp[1].x_from == 3 && sp[1].x_to == 4 && sp[1].n == 2);
    assert_true(sp[2].pages_lost == 1 && sp[2].n == 1); /* a different loss is a new span */
    assert_true(sp[3].pages_lost == 2 && sp[3].x_from == 6);
    assert_int_equal(sp[4].domain, 2);
    assert_true(sp[4].x_from == 1 && sp[4].x_to == 3 && sp[4].n == 2);
    rep_mig_groups_free(&gs);
    rep_data_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_is_the_writers),
        cmocka_unit_test(good_rows),
        cmocka_unit_test(both_kinds_in_one_data),
        cmocka_unit_test(bad_rows_name_the_line),
        cmocka_unit_test(folders_with_one_or_both),
        cmocka_unit_test(values_as_numbers),
        cmocka_unit_test(params_by_key),
        cmocka_unit_test(cases_in_sequence_order),
        cmocka_unit_test(groups_against_the_swept_parameter),
        cmocka_unit_test(a_single_point),
        cmocka_unit_test(mixed_values_fall_back_to_the_point),
        cmocka_unit_test(spans_along_the_swept_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
