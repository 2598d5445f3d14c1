/*
 * test_workload.c - the guest access stream: same seed and path give the
 * same stream, another path another stream; addresses stay line-aligned in
 * the working set; the write and user shares come out as configured.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "guests/workload.h"

static void stream_is_deterministic_per_path(void **state)
{
    (void)state;
    struct workload_config c = {.rate_hz = 1000, .working_set = 1 << 20, .write_pct = 30, .user_pct = 70};
    struct workload a, b, x;
    assert_int_equal(workload_init(&a, &c, 42, "host0/dom1/vcpu0/workload"), 0);
    assert_int_equal(workload_init(&b, &c, 42, "host0/dom1/vcpu0/workload"), 0);
    assert_int_equal(workload_init(&x, &c, 42, "host0/dom1/vcpu1/workload"), 0);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        struct workload_access p, q, r;
        workload_next(&a, &p);
        workload_next(&b, &q);
        workload_next(&x, &r);
        assert_true(p.gaddr == q.gaddr && p.write == q.write && p.user == q.user);
        differ += p.gaddr != r.gaddr;
    }
    assert_true(differ > 900);
}

static void addresses_and_shares(void **state)
{
    (void)state;
    struct workload_config c = {.rate_hz = 100000, .working_set = 64 * 1024, .write_pct = 20, .user_pct = 90};
    struct workload w;
    assert_int_equal(workload_init(&w, &c, 7, "p"), 0);
    assert_int_equal(workload_interval_ps(&w), 10000000); /* 10 us */
    unsigned writes = 0, user = 0, n = 100000;
    for (unsigned i = 0; i < n; i++) {
        struct workload_access a;
        workload_next(&w, &a);
        assert_true(a.gaddr < c.working_set);
        assert_int_equal(a.gaddr % 64, 0);
        writes += a.write;
        user += a.user;
    }
    /* binomial, n = 1e5: within 1 percentage point is > 7 sigma */
    assert_true(writes > 19000 && writes < 21000);
    assert_true(user > 89000 && user < 91000);
    assert_int_equal(w.issued, n);
}

static void bad_configs_are_refused(void **state)
{
    (void)state;
    struct workload w;
    struct workload_config c = {.rate_hz = 0, .working_set = 4096};
    assert_int_equal(workload_init(&w, &c, 1, "p"), -1);
    c.rate_hz = 1;
    c.working_set = 32;
    assert_int_equal(workload_init(&w, &c, 1, "p"), -1);
    c.working_set = 4096;
    c.write_pct = 101;
    assert_int_equal(workload_init(&w, &c, 1, "p"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stream_is_deterministic_per_path),
        cmocka_unit_test(addresses_and_shares),
        cmocka_unit_test(bad_configs_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
