/*
 * test_rtime.c - real times past 2^64 ps (arch/rtime.h): rtime_str prints
 * what %llu prints below 2^64 (so runs that never pass it print the same
 * bytes) and the exact decimal digits beyond; the printers built on it
 * (json_kv_rtime, results_ns) keep that.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* before cmocka.h, whose expect_check macro expect.h's function shares */
#include "arch/rtime.h"
#include "sim/results/json_out.h"
#include "sim/results/results_csv.h"

#include <cmocka.h>

static void test_below_2_64_as_llu(void **state)
{
    (void)state;
    static const uint64_t edges[] = {0, 1, 9, 10, 999, 1000, 1000000, 3600000000000000000ull,
                                     UINT64_MAX - 1, UINT64_MAX};
    char want[32], got[RTIME_STR_LEN];
    for (unsigned i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
        snprintf(want, sizeof(want), "%llu", (unsigned long long)edges[i]);
        assert_string_equal(rtime_str(got, edges[i]), want);
    }
    uint64_t x = 0x9e3779b97f4a7c15ull; /* xorshift: values of every length */
    for (unsigned i = 0; i < 100000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint64_t v = x >> (i % 64);
        snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
        assert_string_equal(rtime_str(got, v), want);
    }
}

static void test_beyond_2_64(void **state)
{
    (void)state;
    char got[RTIME_STR_LEN];
    rtime_t two64 = (rtime_t)UINT64_MAX + 1;
    assert_string_equal(rtime_str(got, two64), "18446744073709551616");
    /* 8766 h = 31,557,600 s: a year of the loader, in ps */
    rtime_t year = (rtime_t)31557600u * 1000000000000ull;
    assert_string_equal(rtime_str(got, year), "31557600000000000000");
    assert_string_equal(rtime_str(got, year + 1), "31557600000000000001");
    assert_string_equal(rtime_str(got, ~(rtime_t)0), "340282366920938463463374607431768211455");
}

static void test_printers(void **state)
{
    (void)state;
    char buf[64];
    rtime_t year = (rtime_t)31557600u * 1000000000000ull + 123456;
    results_ns(buf, sizeof(buf), year);
    assert_string_equal(buf, "31557600000000123.456"); /* ps / 1000, 3 decimals */
    results_ns(buf, sizeof(buf), 5);
    assert_string_equal(buf, "0.005");

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    int first = 1;
    json_kv_rtime(f, &first, "t_ps", year);
    json_kv_rtime(f, &first, "end_ps", 0);
    fclose(f);
    assert_string_equal(text, "\"t_ps\":31557600000000123456,\"end_ps\":0");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_below_2_64_as_llu),
        cmocka_unit_test(test_beyond_2_64),
        cmocka_unit_test(test_printers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
