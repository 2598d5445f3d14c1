/*
 * test_campaign.c - unit tests of campaign files (sim/scenario/campaign.h):
 * loading (defaults, shapes resolved against the file's folder, policies
 * with only what they set), the seed of each host (a function of the
 * campaign seed and the host alone), host -> shape, what a policy
 * changes in a host scenario, and the FIT tables a campaign sets (for the
 * fleet, per entry; given to the hosts that draw field-rate faults).
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

#include "sim/scenario/campaign.h"

static char dir[] = "/tmp/mcasim-test-campaign.XXXXXX";

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    write_file("host.yaml", "name: h\nplatform: {hosts: [{cpus: 1}]}\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char path[256];
    /* every file a test writes: the folder is removed only when empty */
    const char *names[] = {"host.yaml", "c.yaml", "fr-host.yaml", "fr-csv-host.yaml", "t.csv", "h.csv"};
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}

static void test_load(void **state)
{
    (void)state;
    write_file("c.yaml", "name: fleet\nfleet:\n  - {scenario: host.yaml, count: 3}\n  - {scenario: host.yaml, count: 2}\n"
                         "policies:\n  - {name: xen}\n  - {name: l6, storm: linux-6, cmci_threshold: 5}\n");
    char path[256];
    snprintf(path, sizeof(path), "%s/c.yaml", dir);
    static struct campaign c; /* large: off the stack */
    static struct scn_error err;
    assert_int_equal(campaign_load(path, &c, &err), 0);
    assert_string_equal(c.name, "fleet");
    assert_true(c.seed == 1 && c.years_per_host == 1 && c.max_wall_ps == 0 && c.duration_ps == 0);
    assert_int_equal(c.nshapes, 2);
    assert_true(c.hosts == 5);
    char want[600];
    snprintf(want, sizeof(want), "%s/host.yaml", dir);
    assert_string_equal(c.shape[1].path, want);
    assert_int_equal(c.npolicies, 2);
    assert_false(c.policy[0].has_storm || c.policy[0].has_threshold || c.policy[0].has_decider);
    assert_true(c.policy[1].has_storm && c.policy[1].storm == STORM_LINUX6);
    assert_true(c.policy[1].has_threshold && c.policy[1].cmci_threshold == 5 && !c.policy[1].has_decider);
    assert_int_equal(campaign_shape_of(&c, 0), 0);
    assert_int_equal(campaign_shape_of(&c, 2), 0);
    assert_int_equal(campaign_shape_of(&c, 3), 1);
    assert_int_equal(campaign_shape_of(&c, 4), 1);
    /* a policy changes only what it sets */
    static struct scenario s;
    memset(&s, 0, sizeof(s));
    s.policy.storm = STORM_XEN;
    s.policy.cmci_threshold = 2;
    s.policy.decider = DECIDER_SEED000;
    s.duration_ps = 77;
    campaign_apply(&c, 0, &s);
    assert_true(s.policy.storm == STORM_XEN && s.policy.cmci_threshold == 2 && s.duration_ps == 77);
    campaign_apply(&c, 1, &s);
    assert_true(s.policy.storm == STORM_LINUX6 && s.policy.cmci_threshold == 5 &&
                s.policy.decider == DECIDER_SEED000);
    /* the digest follows the bytes */
    uint64_t d = c.digest;
    write_file("c.yaml", "name: fleet\nfleet: [{scenario: host.yaml, count: 3}]\npolicies: [{name: xen}]\n");
    assert_int_equal(campaign_load(path, &c, &err), 0);
    assert_true(c.digest != d);
}

static void test_errors_have_positions(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof(path), "%s/c.yaml", dir);
    static struct campaign c;
    static struct scn_error err;
    write_file("c.yaml", "name: fleet\nfleet: [{scenario: host.yaml, count: 3}]\npolicies: [{name: a}, {name: a}]\n");
    assert_int_equal(campaign_load(path, &c, &err), -1);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "second policy named 'a'"));
    write_file("c.yaml", "name: fleet\nfleet: [{scenario: nope.yaml, count: 3}]\npolicies: [{name: a}]\n");
    assert_int_equal(campaign_load(path, &c, &err), -1);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "not found"));
    write_file("c.yaml", "fleet: [{scenario: host.yaml, count: 3}]\npolicies: [{name: a}]\n");
    assert_int_equal(campaign_load(path, &c, &err), -1);
    assert_non_null(strstr(err.msg, "name"));
    /* host-years per run: a real number in (0, 10^6] */
    static const char *const bad_years[] = {"0", "-1", "abc", "1e7", "nan", "0.5x"};
    for (unsigned i = 0; i < sizeof(bad_years) / sizeof(bad_years[0]); i++) {
        char text[200];
        snprintf(text, sizeof(text),
                 "name: f\nyears_per_host: %s\nfleet: [{scenario: host.yaml, count: 1}]\npolicies: [{name: a}]\n",
                 bad_years[i]);
        write_file("c.yaml", text);
        assert_int_equal(campaign_load(path, &c, &err), -1);
        assert_int_equal(err.line, 2);
        assert_int_equal(err.col, 17);
        assert_non_null(strstr(err.msg, "host-years"));
    }
    write_file("c.yaml", "name: f\nyears_per_host: 0.114\nfleet: [{scenario: host.yaml, count: 1}]\n"
                         "policies: [{name: a}]\n");
    assert_int_equal(campaign_load(path, &c, &err), 0);
    assert_true(c.years_per_host == 0.114);
    /* a duration past 1000 h (a cut of a year's fleet) rebases: only with
     * skip_quiet, and at most a year */
    write_file("c.yaml", "name: f\nduration: 2000h\nfleet: [{scenario: host.yaml, count: 1}]\npolicies: [{name: a}]\n");
    assert_int_equal(campaign_load(path, &c, &err), -1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 11);
    assert_non_null(strstr(err.msg, "without skip_quiet"));
    write_file("c.yaml", "name: f\nduration: 9000h\nskip_quiet: true\nfleet: [{scenario: host.yaml, count: 1}]\n"
                         "policies: [{name: a}]\n");
    assert_int_equal(campaign_load(path, &c, &err), -1);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "longer than mcasim simulates"));
    write_file("c.yaml", "name: f\nduration: 4825h\nskip_quiet: true\nfleet: [{scenario: host.yaml, count: 1}]\n"
                         "policies: [{name: a}]\n");
    assert_int_equal(campaign_load(path, &c, &err), 0);
    assert_true(c.duration_ps == (rtime_t)4825 * 3600 * 1000000000000ull);
}

static void test_host_seeds(void **state)
{
    (void)state;
    /* a pure function of (campaign seed, host): no two of the first
     * 100,000 hosts share one, another campaign seed gives others */
    enum { N = 100000 };
    uint64_t *v = malloc(N * sizeof(*v));
    assert_non_null(v);
    for (uint64_t h = 0; h < N; h++) {
        v[h] = campaign_host_seed(1, h);
        assert_true(v[h] == campaign_host_seed(1, h));
        assert_true(v[h] != campaign_host_seed(2, h));
    }
    for (uint64_t h = 1; h < N; h++)
        for (uint64_t k = h > 64 ? h - 64 : 0; k < h; k++)
            assert_true(v[h] != v[k]);
    free(v);
}

static const char fr_host[] = "name: fr\nplatform:\n  hosts:\n    - cpus: 1\n    - cpus: 1\n      dram:\n"
                              "        field_rates: {span: 1s}\n";

static void test_fit_tables(void **state)
{
    (void)state;
    char path[256], hpath[256];
    snprintf(path, sizeof(path), "%s/c.yaml", dir);
    snprintf(hpath, sizeof(hpath), "%s/fr-host.yaml", dir);
    write_file("fr-host.yaml", fr_host);
    write_file("t.csv", "mode,transient,permanent\nsingle-row,1,2\n");
    static struct campaign c;
    static struct scn_error err;
    /* no field_rates: nothing set, each scenario keeps its own table */
    write_file("c.yaml", "name: f\nfleet: [{scenario: fr-host.yaml, count: 2}]\npolicies: [{name: xen}]\n");
    assert_int_equal(campaign_load(path, &c, &err), 0);
    uint64_t plain = c.digest;
    assert_null(campaign_fit_of(&c, 0));
    static struct scenario s;
    assert_int_equal(scenario_load(hpath, &s, &err), 0);
    struct field_rates jaguar = field_rates_jaguar();
    assert_int_equal(campaign_apply_fit(&c, 0, &s, &err), 0);
    assert_memory_equal(&s.hosts[1].dram.fr_fit, &jaguar, sizeof(jaguar));
    /* the whole fleet's table, and an entry's own (a CSV beside the campaign) */
    write_file("c.yaml", "name: f\nfield_rates: {fit: {multi-rank: {permanent: 7}}}\n"
                         "fleet:\n  - {scenario: fr-host.yaml, count: 2}\n"
                         "  - {scenario: fr-host.yaml, count: 1, field_rates: {fit_file: t.csv}}\n"
                         "policies: [{name: xen}]\n");
    assert_int_equal(campaign_load(path, &c, &err), 0);
    assert_true(c.digest != plain);
    const struct campaign_fit *t0 = campaign_fit_of(&c, 0), *t1 = campaign_fit_of(&c, 1);
    assert_true(t0 == &c.fit && t1 == &c.shape[1].fit);
    assert_true(t0->rates.mode[FAULT_MULTI_RANK].permanent == 7.0 && field_rates_total(&t0->rates) == 7.0);
    assert_true(t1->rates.mode[FAULT_SINGLE_ROW].transient == 1.0 && field_rates_total(&t1->rates) == 3.0);
    assert_int_equal(campaign_apply_fit(&c, 0, &s, &err), 0);
    assert_memory_equal(&s.hosts[1].dram.fr_fit, &t0->rates, sizeof(t0->rates));
    assert_int_equal(campaign_apply_fit(&c, 1, &s, &err), 0);
    assert_memory_equal(&s.hosts[1].dram.fr_fit, &t1->rates, sizeof(t1->rates));
    /* host 0 draws no field-rate faults: its (absent) table is untouched */
    assert_false(s.hosts[0].dram.present);
    scenario_free(&s);
    /* the CSV's content is in the digest: an edited table is another campaign */
    uint64_t d = c.digest;
    write_file("t.csv", "mode,transient,permanent\nsingle-row,1,3\n");
    assert_int_equal(campaign_load(path, &c, &err), 0);
    assert_true(c.digest != d);
    /* a table for a scenario without field rates would change nothing */
    assert_int_equal(scenario_load(hpath, &s, &err), 0);
    s.hosts[1].dram.fr_span_ps = 0;
    assert_int_equal(campaign_apply_fit(&c, 0, &s, &err), -1);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 14);
    assert_non_null(strstr(err.msg, "changes nothing for fleet entry 1"));
    assert_non_null(strstr(err.hint, "dram.field_rates"));
    assert_int_equal(campaign_apply_fit(&c, 1, &s, &err), -1);
    assert_int_equal(err.line, 5);
    /* a table that would make the draw hold more than 1e6 faults */
    s.hosts[1].dram.fr_span_ps = 1000ull * 3600 * 1000000000000ull;
    s.hosts[1].dram.fr_scale = 1000000000000ull;
    assert_int_equal(campaign_apply_fit(&c, 0, &s, &err), -1);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "faults over its span"));
    scenario_free(&s);
}

static void test_fit_errors(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof(path), "%s/c.yaml", dir);
    static struct campaign c;
    static struct scn_error err;
    static const struct {
        const char *field_rates;
        unsigned col;
        const char *msg;
    } bad[] = {
        {"{}", 14, "field_rates has none of: table, fit, fit_file"},
        {"{table: jaguar, fit_file: t.csv}", 30, "'fit_file'"},
        {"{table: hopper}", 22, "unknown value 'hopper'"},
        {"{fit: {single-bit: {transient: -2}}}", 45, "FIT '-2' is negative"},
        {"{fit: {multibank: {transient: 2}}}", 21, "unknown key 'multibank' in fit"},
        {"{fit_file: none.csv}", 25, "none.csv: cannot open"},
        {"{span: 1s}", 15, "unknown key 'span' in field_rates"},
        {"jaguar", 14, "'field_rates' must be a mapping"},
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char text[512];
        snprintf(text, sizeof(text), "name: f\nfield_rates: %s\nfleet: [{scenario: host.yaml, count: 1}]\n"
                                     "policies: [{name: xen}]\n", bad[i].field_rates);
        write_file("c.yaml", text);
        int rc = campaign_load(path, &c, &err);
        if (rc == 0 || err.line != 2 || err.col != bad[i].col || !strstr(err.msg, bad[i].msg))
            fprintf(stderr, "case %u: %u:%u: %s (%s)\n", i, err.line, err.col, err.msg, err.hint);
        assert_int_equal(rc, -1);
        assert_int_equal(err.line, 2);
        assert_int_equal(err.col, bad[i].col);
        assert_non_null(strstr(err.msg, bad[i].msg));
    }
}

/* A CSV a host scenario names itself is read when the host runs, not with
 * the campaign file: an edit of it must still give another digest, or
 * partials of two tables would merge. */
static void test_host_fit_file_digest(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof(path), "%s/c.yaml", dir);
    write_file("h.csv", "mode,transient,permanent\nsingle-bank,1,2\n");
    write_file("fr-csv-host.yaml", "name: frc\nplatform:\n  hosts:\n    - cpus: 1\n      dram:\n"
                                   "        field_rates: {span: 1s, fit_file: h.csv}\n");
    write_file("c.yaml", "name: f\nfleet: [{scenario: fr-csv-host.yaml, count: 2}]\npolicies: [{name: xen}]\n");
    static struct campaign c;
    static struct scn_error err;
    assert_int_equal(campaign_load(path, &c, &err), 0);
    uint64_t d = c.digest;
    assert_int_equal(campaign_load(path, &c, &err), 0);
    assert_true(c.digest == d); /* the same files: the same campaign */
    write_file("h.csv", "mode,transient,permanent\nsingle-bank,1,3\n");
    assert_int_equal(campaign_load(path, &c, &err), 0);
    assert_true(c.digest != d);
    /* a host scenario that does not load fails the campaign, at its own position */
    write_file("h.csv", "mode,transient,permanent\nsingle-bank,1,x\n");
    assert_int_equal(campaign_load(path, &c, &err), -1);
    assert_non_null(strstr(err.file, "fr-csv-host.yaml"));
    assert_int_equal(err.line, 6);
    assert_non_null(strstr(err.msg, "h.csv:2:15"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_errors_have_positions),
        cmocka_unit_test(test_host_seeds),
        cmocka_unit_test(test_fit_tables),
        cmocka_unit_test(test_fit_errors),
        cmocka_unit_test(test_host_fit_file_digest),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
