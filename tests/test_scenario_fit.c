/*
 * test_scenario_fit.c - unit tests of user FIT tables (sim/scenario/
 * fit_csv.h, scenario_fit.c): FIT values, the CSV form (header, comments,
 * quotes, CRLF, modes left out = 0, every kind of bad row at its line and
 * column), and dram.field_rates' table / fit / fit_file keys as a scenario
 * loads them (the default is the built-in jaguar table, unchanged; a
 * fit_file is relative to the scenario file; a CSV error names the CSV's
 * line and column).
 */
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

#include "models/memctl/fault_map.h"
#include "sim/scenario/fit_csv.h"
#include "sim/scenario/scenario.h"

static char dir[] = "/tmp/mcasim-test-fit.XXXXXX";

static void path_of(char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text)
{
    char path[256];
    path_of(path, sizeof(path), name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *const files[] = {"s.yaml", "t.csv", "sub/u.csv"};

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    char sub[256];
    path_of(sub, sizeof(sub), "sub");
    return mkdir(sub, 0700);
}

static int teardown(void **state)
{
    (void)state;
    char path[256];
    for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        path_of(path, sizeof(path), files[i]);
        unlink(path);
    }
    path_of(path, sizeof(path), "sub");
    rmdir(path);
    rmdir(dir);
    return 0;
}

static void test_values(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double want; /* < 0: refused */
    } v[] = {
        {"0", 0.0},      {"14.2", 14.2}, {"1e3", 1000.0}, {".5", 0.5},   {"+3", 3.0},  {"1e9", 1e9},
        {"-1", -1},      {"-0", -1},     {"abc", -1},     {"", -1},      {"1e10", -1}, {"nan", -1},
        {"inf", -1},     {"0x10", -1},   {"1,5", -1},     {"1.2.3", -1}, {"e5", -1},   {" 1", -1},
        {"1e999", -1},
    };
    for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        double d = -7;
        const char *hint = NULL;
        const char *why = fit_value_parse(v[i].text, strlen(v[i].text), &d, &hint);
        if (v[i].want >= 0) {
            assert_null(why);
            assert_true(d == v[i].want);
        } else {
            assert_non_null(why);
            assert_non_null(hint);
            assert_true(d == -7);
        }
    }
}

static void test_csv(void **state)
{
    (void)state;
    struct field_rates r;
    struct fit_csv_error e;
    const char *text = "# fleet table, 2026\r\n"
                       "Mode, Transient, Permanent\r\n"
                       "\r\n"
                       "single-bit,14.2,18.6\r\n"
                       "  \"multi-rank\" , 0.9 ,\"2.8\"\r\n"
                       "single-bank,0,10";
    assert_int_equal(fit_csv_parse(text, strlen(text), &r, &e), 0);
    assert_true(r.mode[FAULT_SINGLE_BIT].transient == 14.2 && r.mode[FAULT_SINGLE_BIT].permanent == 18.6);
    assert_true(r.mode[FAULT_MULTI_RANK].transient == 0.9 && r.mode[FAULT_MULTI_RANK].permanent == 2.8);
    assert_true(r.mode[FAULT_SINGLE_BANK].transient == 0.0 && r.mode[FAULT_SINGLE_BANK].permanent == 10.0);
    /* modes left out have 0 FIT */
    assert_true(r.mode[FAULT_SINGLE_ROW].transient == 0.0 && r.mode[FAULT_SINGLE_ROW].permanent == 0.0);
    double total = field_rates_total(&r) - (14.2 + 18.6 + 0.9 + 2.8 + 10.0);
    assert_true(total < 1e-12 && total > -1e-12);
    /* no header is fine too */
    assert_int_equal(fit_csv_parse("multi-bank,1,2\n", 15, &r, &e), 0);
    assert_true(r.mode[FAULT_MULTI_BANK].permanent == 2.0 && r.mode[FAULT_SINGLE_BIT].permanent == 0.0);
}

static void test_csv_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned line, col;
        const char *msg, *hint;
    } bad[] = {
        {"mode,transient,permanent\nsingle-bitt,1,2\n", 2, 1, "unknown fault mode 'single-bitt'",
         "did you mean 'single-bit'?"},
        {"single-bit,1,2\nmulti-rank,1\n", 2, 1, "2 fields, 3 expected", "mode,transient,permanent"},
        {"single-bit\n", 1, 1, "1 field, 3 expected", NULL},
        {"single-bit,1,2,3\n", 1, 15, "more than 3 fields", NULL},
        {"single-bit,1,2\n# again\nsingle-bit,3,4\n", 3, 1, "'single-bit' is already given on line 1",
         "one row"},
        {"single-row, -4 ,1\n", 1, 13, "transient FIT '-4' of single-row is negative", "0 or more"},
        {"single-row,1,many\n", 1, 14, "permanent FIT 'many' of single-row is not a number", "14.2"},
        {"single-row,1,5e9\n", 1, 14, "is too large", "scale"},
        {"single-row,1,\n", 1, 14, "is empty", NULL},
        {",1,2\n", 1, 1, "the mode is empty", "fault modes:"},
        {"mode,permanent,transient\nsingle-bit,1,2\n", 1, 1, "header names other columns",
         "mode,transient,permanent"},
        {"mode,transient,permanent\n", 1, 1, "no FIT row", NULL},
        {"", 1, 1, "no FIT row", NULL},
        {"# nothing\n\n", 2, 1, "no FIT row", NULL},
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct field_rates r;
        struct fit_csv_error e;
        int rc = fit_csv_parse(bad[i].text, strlen(bad[i].text), &r, &e);
        if (rc == 0 || e.line != bad[i].line || e.col != bad[i].col || !strstr(e.msg, bad[i].msg))
            fprintf(stderr, "case %u: %u:%u: %s (hint: %s)\n", i, e.line, e.col, e.msg, e.hint);
        assert_int_equal(rc, -1);
        assert_int_equal(e.line, bad[i].line);
        assert_int_equal(e.col, bad[i].col);
        assert_non_null(strstr(e.msg, bad[i].msg));
        if (bad[i].hint)
            assert_non_null(strstr(e.hint, bad[i].hint));
    }
    /* a NUL inside a mode is not that mode */
    struct field_rates r;
    struct fit_csv_error e;
    assert_int_equal(fit_csv_parse("single-bit\0x,1,2\n", 17, &r, &e), -1);
}

#define HOST                                                                                                      \
    "name: s\nplatform:\n  hosts:\n    - cpus: 2\n      dram:\n"                                                \
    "        geometry: {channels: 1, dimms: 1, ranks: 1, banks: 8, rows: 1024, columns: 1024, width: 4, "    \
    "ecc_devices: 2}\n"

static int load(const char *yaml, struct scenario *s, struct scn_error *e)
{
    write_file("s.yaml", yaml);
    char path[256];
    path_of(path, sizeof(path), "s.yaml");
    return scenario_load(path, s, e);
}

static void test_scenario_keys(void **state)
{
    (void)state;
    static struct scenario s;
    static struct scn_error e;
    struct field_rates jaguar = field_rates_jaguar();
    /* default, and table: jaguar, are the built-in table */
    assert_int_equal(load(HOST "        field_rates: {span: 1s}\n", &s, &e), 0);
    assert_memory_equal(&s.hosts[0].dram.fr_fit, &jaguar, sizeof(jaguar));
    scenario_free(&s);
    assert_int_equal(load(HOST "        field_rates: {span: 1s, table: jaguar}\n", &s, &e), 0);
    assert_memory_equal(&s.hosts[0].dram.fr_fit, &jaguar, sizeof(jaguar));
    scenario_free(&s);
    /* fit: one key per fault mode, named as fault_mode_name() names them */
    for (unsigned m = 0; m < FAULT_MODE__COUNT; m++) {
        char yaml[1024];
        snprintf(yaml, sizeof(yaml), HOST "        field_rates: {span: 1s, fit: {%s: {permanent: 3.5}}}\n",
                 fault_mode_name((enum fault_mode)m));
        assert_int_equal(load(yaml, &s, &e), 0);
        const struct field_rates *r = &s.hosts[0].dram.fr_fit;
        for (unsigned k = 0; k < FAULT_MODE__COUNT; k++) {
            assert_true(r->mode[k].transient == 0.0);
            assert_true(r->mode[k].permanent == (k == m ? 3.5 : 0.0));
        }
        scenario_free(&s);
    }
    /* fit_file: relative to the scenario's folder */
    write_file("sub/u.csv", "mode,transient,permanent\nsingle-word,1.5,0.25\n");
    assert_int_equal(load(HOST "        field_rates: {span: 1s, fit_file: sub/u.csv}\n", &s, &e), 0);
    assert_true(s.hosts[0].dram.fr_fit.mode[FAULT_SINGLE_WORD].transient == 1.5);
    assert_true(s.hosts[0].dram.fr_fit.mode[FAULT_SINGLE_WORD].permanent == 0.25);
    assert_true(field_rates_total(&s.hosts[0].dram.fr_fit) == 1.75);
    scenario_free(&s);
}

static void test_scenario_csv_errors(void **state)
{
    (void)state;
    static struct scenario s;
    static struct scn_error e;
    char path[256], want[300];
    /* the error is at the fit_file value and names the CSV's line and column */
    write_file("t.csv", "single-bit,1,2\nsingle-rank,1,2\n");
    assert_int_equal(load(HOST "        field_rates: {span: 1s, fit_file: t.csv}\n", &s, &e), -1);
    path_of(path, sizeof(path), "s.yaml");
    assert_string_equal(e.file, path);
    assert_int_equal(e.line, 7);
    assert_int_equal(e.col, 43);
    path_of(path, sizeof(path), "t.csv");
    snprintf(want, sizeof(want), "%s:2:1: unknown fault mode 'single-rank'", path);
    assert_non_null(strstr(e.msg, want));
    assert_non_null(strstr(e.hint, "did you mean 'single-bank'?"));
    /* missing file, empty name */
    assert_int_equal(load(HOST "        field_rates: {span: 1s, fit_file: nope.csv}\n", &s, &e), -1);
    assert_non_null(strstr(e.msg, "nope.csv: cannot open"));
    assert_int_equal(load(HOST "        field_rates: {span: 1s, fit_file: ''}\n", &s, &e), -1);
    assert_non_null(strstr(e.msg, "is empty"));
    /* at most one of table, fit, fit_file */
    assert_int_equal(load(HOST "        field_rates: {span: 1s, table: jaguar, fit_file: t.csv}\n", &s, &e), -1);
    assert_int_equal(e.line, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_scenario_keys),
        cmocka_unit_test(test_scenario_csv_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
