/*
 * test_campaign.c - unit tests of campaign files (sim/scenario/campaign.h):
 * loading (defaults, shapes resolved against the file's folder, policies
 * with only what they set), the seed of each host (a function of the
 * campaign seed and the host alone), host -> shape, and what a policy
 * changes in a host scenario.
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
    const char *names[] = {"host.yaml", "c.yaml"};
    for (unsigned i = 0; i < 2; i++) {
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_errors_have_positions),
        cmocka_unit_test(test_host_seeds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
