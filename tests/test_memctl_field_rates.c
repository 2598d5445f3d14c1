/*
 * test_memctl_field_rates.c - unit tests of the fault generator
 * (models/memctl/field_rates.h): the default table is Sridharan & Liberty
 * SC'12; draws have the expected count
 * FIT x devices x hours / 1e9 and the 71% permanent share on average; the
 * same (seed, path) gives the same faults, another path another stream.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "models/memctl/field_rates.h"

static double fabs_(double x)
{
    return x < 0 ? -x : x;
}

static struct addr_map default_map(void)
{
    struct mem_geometry g = mem_geometry_default();
    struct addr_map m;
    assert_int_equal(addr_map_init(&m, &g), 0);
    return m;
}

static void test_jaguar_table(void **state)
{
    (void)state;
    struct field_rates r = field_rates_jaguar();
    assert_true(fabs_(field_rates_total(&r) - 66.1) < 1e-9);
    assert_true(fabs_(field_rates_permanent(&r) - 46.9) < 1e-9);
    assert_true(fabs_(r.mode[FAULT_SINGLE_BIT].transient - 14.2) < 1e-12);
    assert_true(fabs_(r.mode[FAULT_SINGLE_BANK].permanent - 10.0) < 1e-12);
    /* Shares of the table's last column. */
    const double share[FAULT_MODE__COUNT] = {49.6, 2.6, 10.6, 12.7, 16.3, 2.6, 5.6};
    for (unsigned m = 0; m < FAULT_MODE__COUNT; m++) {
        double s = 100.0 * (r.mode[m].transient + r.mode[m].permanent) / 66.1;
        assert_true(fabs_(s - share[m]) < 0.1);
    }
    /* About 71% permanent; a 36-device DIMM ~0.021 faults per year. */
    assert_true(fabs_(field_rates_permanent(&r) / field_rates_total(&r) - 0.71) < 0.005);
    assert_true(fabs_(66.1 * 36 * 8766 / 1e9 - 0.021) < 0.0005);
    field_rates_scale(&r, 10.0);
    assert_true(fabs_(field_rates_total(&r) - 661.0) < 1e-9);
}

static void test_expected_count(void **state)
{
    (void)state;
    struct addr_map m = default_map();
    struct field_rates r = field_rates_jaguar();
    assert_true(addr_map_total_devices(&m) == 144);
    double e = field_rates_expected(&m, &r, 1000ull * PS_PER_HOUR);
    assert_true(fabs_(e - 66.1 * 144 * 1000 / 1e9) < 1e-12);
}

/* A year's draw (8766 h, beyond 2^64 ps): arrivals in order within the
 * span, past 2^64 in its last 95 days, about the expected count; its
 * faults before 1000 h are the 1000 h draw's, bit for bit (one stream:
 * the gap, then the kind and place, per fault). */
static void test_draw_a_year(void **state)
{
    (void)state;
    struct addr_map m = default_map();
    struct field_rates r = field_rates_jaguar();
    field_rates_scale(&r, 1e4); /* ~95 faults per 1000 h */
    const rtime_t year = (rtime_t)8766u * PS_PER_HOUR;
    struct mem_rng a, b;
    mem_rng_init(&a, 7, "host0/memctl/field_rates");
    mem_rng_init(&b, 7, "host0/memctl/field_rates");
    struct fr_fault *y;
    struct mem_fault *h;
    size_t ny, nh;
    assert_int_equal(field_rates_draw_real(&m, &r, 0, year, &a, &y, &ny), 0);
    assert_int_equal(field_rates_draw(&m, &r, 0, 1000ull * PS_PER_HOUR, &b, &h, &nh), 0);
    double expect = field_rates_expected(&m, &r, year);
    assert_true(fabs_((double)ny - expect) < 4 * 30); /* sqrt(833) ~ 29 */
    assert_true(nh > 0 && nh < ny);
    size_t beyond = 0;
    for (size_t i = 0; i < ny; i++) {
        assert_true(y[i].at_ps < year);
        assert_true(i == 0 || y[i].at_ps >= y[i - 1].at_ps);
        assert_true(y[i].f.time_ps == (uint64_t)y[i].at_ps);
        beyond += y[i].at_ps > (rtime_t)UINT64_MAX;
        if (i < nh) {
            assert_true(y[i].at_ps == h[i].time_ps);
            assert_memory_equal(&y[i].f, &h[i], sizeof(h[i]));
        }
    }
    assert_true(y[nh].at_ps >= 1000ull * PS_PER_HOUR);
    assert_true(beyond > 0);
    free(y);
    free(h);
}

/* Many independent draws: the mean count matches the expectation, the
 * permanent share and the mode mix match the table. */
static void test_draw_statistics(void **state)
{
    (void)state;
    struct addr_map m = default_map();
    struct field_rates r = field_rates_jaguar();
    field_rates_scale(&r, 1e4); /* accelerated: ~95 faults per 1000 h draw */
    const uint64_t span = 1000ull * PS_PER_HOUR;
    const double expect = field_rates_expected(&m, &r, span);
    const unsigned draws = 200;
    unsigned long total = 0, permanent = 0, by_mode[FAULT_MODE__COUNT] = {0};
    for (unsigned d = 0; d < draws; d++) {
        struct mem_rng rng;
        mem_rng_init(&rng, 1000 + d, "host0/memctl0/faults");
        struct mem_fault *f;
        size_t n;
        assert_int_equal(field_rates_draw(&m, &r, 5, span, &rng, &f, &n), 0);
        for (size_t i = 0; i < n; i++) {
            assert_null(fault_check(&m, &f[i]));
            assert_true(f[i].time_ps >= 5 && f[i].time_ps < 5 + span);
            if (i)
                assert_true(f[i].time_ps >= f[i - 1].time_ps);
            permanent += f[i].permanent;
            by_mode[f[i].mode]++;
            if (f[i].mode == FAULT_SINGLE_BIT || f[i].mode == FAULT_SINGLE_COLUMN)
                assert_true((f[i].dq_mask & (f[i].dq_mask - 1)) == 0);
        }
        total += n;
        free(f);
    }
    double mean = (double)total / draws;
    double perm = (double)permanent / (double)total;
    print_message("field rates: mean %.2f faults per draw (expected %.2f), %.1f%% permanent\n", mean, expect,
                  100.0 * perm);
    /* Standard error of the mean is sqrt(95/200) ~ 0.7: allow 4 sigma. */
    assert_true(fabs_(mean - expect) < 0.03 * expect);
    assert_true(fabs_(perm - 46.9 / 66.1) < 0.02);
    assert_true(fabs_((double)by_mode[FAULT_SINGLE_BIT] / total - 0.496) < 0.02);
    assert_true(fabs_((double)by_mode[FAULT_SINGLE_BANK] / total - 0.163) < 0.02);
}

static bool same_fault(const struct mem_fault *a, const struct mem_fault *b)
{
    return a->mode == b->mode && a->permanent == b->permanent && a->channel == b->channel && a->dimm == b->dimm &&
           a->rank == b->rank && a->device == b->device && a->bank == b->bank && a->row == b->row &&
           a->column == b->column && a->dq_mask == b->dq_mask && a->time_ps == b->time_ps;
}

static size_t draw_with(const struct addr_map *m, uint64_t seed, const char *path, struct mem_fault **f)
{
    struct field_rates r = field_rates_jaguar();
    field_rates_scale(&r, 1e4);
    struct mem_rng rng;
    mem_rng_init(&rng, seed, path);
    size_t n;
    assert_int_equal(field_rates_draw(m, &r, 0, 1000ull * PS_PER_HOUR, &rng, f, &n), 0);
    return n;
}

static void test_determinism(void **state)
{
    (void)state;
    struct addr_map m = default_map();
    struct mem_fault *a, *b, *c;
    size_t na = draw_with(&m, 42, "host0/memctl0", &a);
    size_t nb = draw_with(&m, 42, "host0/memctl0", &b);
    size_t nc = draw_with(&m, 42, "host0/memctl1", &c);
    assert_true(na > 10);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++)
        assert_true(same_fault(&a[i], &b[i]));
    /* Another component: another stream (not a shifted copy either). */
    size_t same = 0;
    for (size_t i = 0; i < na && i < nc; i++)
        same += same_fault(&a[i], &c[i]);
    assert_true(same == 0);
    free(a);
    free(b);
    free(c);
    /* Another seed, same path: different too. */
    size_t nd = draw_with(&m, 43, "host0/memctl0", &a);
    nb = draw_with(&m, 42, "host0/memctl0", &b);
    assert_true(nd != nb || a[0].time_ps != b[0].time_ps);
    free(a);
    free(b);
}

static void test_zero_and_bad_rates(void **state)
{
    (void)state;
    struct addr_map m = default_map();
    struct field_rates r;
    memset(&r, 0, sizeof(r));
    struct mem_rng rng;
    mem_rng_init(&rng, 1, "x");
    struct mem_fault *f = (struct mem_fault *)&r; /* must be reset */
    size_t n = 99;
    assert_int_equal(field_rates_draw(&m, &r, 0, 1000ull * PS_PER_HOUR, &rng, &f, &n), 0);
    assert_null(f);
    assert_int_equal(n, 0);
    r.mode[FAULT_SINGLE_ROW].permanent = -1.0;
    assert_int_equal(field_rates_draw(&m, &r, 0, PS_PER_HOUR, &rng, &f, &n), -1);
    /* Only one non-zero rate: every fault has that mode and kind. */
    memset(&r, 0, sizeof(r));
    r.mode[FAULT_MULTI_BANK].transient = 1e6;
    assert_int_equal(field_rates_draw(&m, &r, 0, 100ull * PS_PER_HOUR, &rng, &f, &n), 0);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(f[i].mode, FAULT_MULTI_BANK);
        assert_false(f[i].permanent);
    }
    free(f);
}

/* The built-in tables by name: jaguar is the table above, byte for byte. */
static void test_builtin_tables(void **state)
{
    (void)state;
    assert_true(field_rates_builtin_count() >= 1);
    assert_string_equal(field_rates_builtin_name(0), "jaguar");
    struct field_rates j = field_rates_jaguar();
    assert_memory_equal(field_rates_builtin(0), &j, sizeof(j));
    assert_null(field_rates_builtin_name(field_rates_builtin_count()));
    assert_null(field_rates_builtin(field_rates_builtin_count()));
}

/* A user table of two entries: the draws hold only those two (mode, kind)
 * pairs, in the table's 3:1 proportion, and the count follows its total. */
static void test_user_table_mix(void **state)
{
    (void)state;
    struct addr_map m = default_map();
    struct field_rates r;
    memset(&r, 0, sizeof(r));
    r.mode[FAULT_SINGLE_ROW].permanent = 3e4;
    r.mode[FAULT_SINGLE_BIT].transient = 1e4;
    const uint64_t span = 100ull * PS_PER_HOUR;
    double expect = field_rates_expected(&m, &r, span); /* 4e4 x 144 x 100 / 1e9 = 0.576 */
    assert_true(fabs_(expect - 0.576) < 1e-12);
    unsigned long rows = 0, bits = 0;
    const unsigned draws = 2000;
    for (unsigned d = 0; d < draws; d++) {
        struct mem_rng rng;
        mem_rng_init(&rng, d, "host0/memctl/field_rates");
        struct mem_fault *f;
        size_t n;
        assert_int_equal(field_rates_draw(&m, &r, 0, span, &rng, &f, &n), 0);
        for (size_t i = 0; i < n; i++) {
            bool row = f[i].mode == FAULT_SINGLE_ROW && f[i].permanent;
            bool bit = f[i].mode == FAULT_SINGLE_BIT && !f[i].permanent;
            assert_true(row || bit);
            rows += row;
            bits += bit;
        }
        free(f);
    }
    double mean = (double)(rows + bits) / draws;
    /* sd of the mean: sqrt(0.576 / 2000) = 0.017; 4 sigma */
    assert_true(fabs_(mean - expect) < 0.07);
    assert_true(fabs_((double)rows / (double)(rows + bits) - 0.75) < 0.05);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jaguar_table),
        cmocka_unit_test(test_expected_count),
        cmocka_unit_test(test_draw_statistics),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_draw_a_year),
        cmocka_unit_test(test_zero_and_bad_rates),
        cmocka_unit_test(test_builtin_tables),
        cmocka_unit_test(test_user_table_mix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
