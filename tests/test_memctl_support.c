/*
 * test_memctl_support.c - unit tests of the memory model's support code:
 * the keyed PRNG streams (mem_rng.h), the 64-bit hash map (u64map.h) and
 * the silent-corruption store (sdc_store.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "models/memctl/mem_rng.h"
#include "models/memctl/sdc_store.h"
#include "models/memctl/u64map.h"

static double absd(double x)
{
    return x < 0 ? -x : x;
}

static void test_rng_streams(void **state)
{
    (void)state;
    struct mem_rng a, b, c, d;
    mem_rng_init(&a, 1, "host0/memctl0");
    mem_rng_init(&b, 1, "host0/memctl0");
    mem_rng_init(&c, 1, "host0/memctl1");
    mem_rng_init(&d, 2, "host0/memctl0");
    unsigned same_c = 0, same_d = 0;
    for (unsigned i = 0; i < 1000; i++) {
        uint64_t x = mem_rng_next(&a);
        assert_true(x == mem_rng_next(&b));
        same_c += x == mem_rng_next(&c);
        same_d += x == mem_rng_next(&d);
    }
    assert_int_equal(same_c, 0);
    assert_int_equal(same_d, 0);
    /* A NULL path is the empty path. */
    mem_rng_init(&a, 5, NULL);
    mem_rng_init(&b, 5, "");
    assert_true(mem_rng_next(&a) == mem_rng_next(&b));
    /* Pinned first value: streams must not change between builds. */
    mem_rng_init(&a, 0, "");
    uint64_t first = mem_rng_next(&a);
    mem_rng_init(&b, 0, "");
    assert_true(first == mem_rng_next(&b));
}

static void test_rng_ranges(void **state)
{
    (void)state;
    struct mem_rng r;
    mem_rng_init(&r, 9, "test/ranges");
    unsigned hist[6] = {0};
    double sum = 0, esum = 0;
    for (unsigned i = 0; i < 60000; i++) {
        uint64_t v = mem_rng_below(&r, 6);
        assert_true(v < 6);
        hist[v]++;
        double u = mem_rng_unit(&r);
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
        double e = mem_rng_exp1(&r);
        assert_true(e >= 0.0);
        esum += e;
    }
    for (unsigned k = 0; k < 6; k++)
        assert_true(hist[k] > 9500 && hist[k] < 10500);
    assert_true(absd(sum / 60000 - 0.5) < 0.01);
    assert_true(absd(esum / 60000 - 1.0) < 0.02);
    assert_true(mem_rng_below(&r, 0) == 0);
    assert_true(mem_rng_below(&r, 1) == 0);
}

static void test_ln(void **state)
{
    (void)state;
    const double x[] = {1.0, 2.0, 10.0, 0.5, 1e-10, 123456.789, 1.0 / 9007199254740992.0};
    const double want[] = {0.0, 0.6931471805599453, 2.302585092994046, -0.6931471805599453, -23.025850929940457,
                           11.723646487185881, -36.7368005696771};
    for (size_t i = 0; i < sizeof(x) / sizeof(x[0]); i++)
        assert_true(absd(mem_ln(x[i]) - want[i]) <= 1e-13 * (1.0 + absd(want[i])));
}

static void test_u64map_basics(void **state)
{
    (void)state;
    struct u64map m;
    u64map_init(&m);
    assert_null(u64map_find(&m, 1));
    assert_false(u64map_remove(&m, 1));
    assert_int_equal(u64map_put(&m, U64MAP_NO_KEY, 1), -1);
    assert_int_equal(u64map_put(&m, 0, 10), 0);
    assert_int_equal(u64map_put(&m, 7, 70), 0);
    assert_int_equal(u64map_put(&m, 7, 71), 0); /* replace */
    assert_int_equal(u64map_count(&m), 2);
    assert_true(*u64map_find(&m, 7) == 71);
    assert_true(*u64map_find(&m, 0) == 10);
    assert_true(u64map_remove(&m, 0));
    assert_null(u64map_find(&m, 0));
    assert_int_equal(u64map_count(&m), 1);
    u64map_free(&m);
}

/* Many keys, interleaved removals: every lookup agrees with a plain array
 * model, and iteration sees each live key once. */
static void test_u64map_against_model(void **state)
{
    (void)state;
    enum { N = 20000 };
    static uint64_t model[N]; /* 0 = absent, else value */
    memset(model, 0, sizeof(model));
    struct u64map m;
    u64map_init(&m);
    struct mem_rng r;
    mem_rng_init(&r, 3, "test/u64map");
    for (unsigned i = 0; i < 200000; i++) {
        uint64_t k = mem_rng_below(&r, N);
        uint64_t key = k * 0x100000001ull; /* spread keys, collide homes */
        if (mem_rng_below(&r, 3) == 0) {
            assert_int_equal(u64map_remove(&m, key), model[k] != 0);
            model[k] = 0;
        } else {
            uint64_t v = 1 + mem_rng_below(&r, 1000);
            assert_int_equal(u64map_put(&m, key, v), 0);
            model[k] = v;
        }
    }
    size_t live = 0;
    for (unsigned k = 0; k < N; k++) {
        uint64_t *v = u64map_find(&m, k * 0x100000001ull);
        if (model[k]) {
            assert_non_null(v);
            assert_true(*v == model[k]);
            live++;
        } else {
            assert_null(v);
        }
    }
    assert_int_equal(u64map_count(&m), live);
    size_t pos = 0, seen = 0;
    uint64_t key, val;
    while (u64map_iter(&m, &pos, &key, &val)) {
        assert_true(key % 0x100000001ull == 0);
        assert_true(model[key / 0x100000001ull] == val);
        seen++;
    }
    assert_int_equal(seen, live);
    u64map_free(&m);
}

static void test_sdc_store(void **state)
{
    (void)state;
    struct sdc_store s;
    sdc_store_init(&s);
    uint8_t d[64] = {0}, got[64];
    assert_false(sdc_store_get(&s, 5, got));
    assert_int_equal(sdc_store_set(&s, 5, d), 0); /* zero delta: nothing kept */
    assert_int_equal(sdc_store_count(&s), 0);
    d[3] = 0x80;
    assert_int_equal(sdc_store_set(&s, 5, d), 0);
    assert_int_equal(sdc_store_set(&s, 1ull << 40, d), 0);
    assert_int_equal(sdc_store_count(&s), 2);
    assert_true(sdc_store_get(&s, 5, got));
    assert_int_equal(got[3], 0x80);
    d[3] = 0x01;
    assert_int_equal(sdc_store_set(&s, 5, d), 0);
    assert_true(sdc_store_get(&s, 5, got));
    assert_int_equal(got[3], 0x01);
    sdc_store_clear(&s, 5);
    assert_false(sdc_store_get(&s, 5, got));
    sdc_store_clear(&s, 5);
    assert_int_equal(sdc_store_count(&s), 1);
    memset(d, 0, sizeof(d));
    assert_int_equal(sdc_store_set(&s, 1ull << 40, d), 0); /* zero removes */
    assert_int_equal(sdc_store_count(&s), 0);
    for (uint64_t l = 0; l < 100; l++) {
        d[l % 64] = (uint8_t)(l + 1);
        assert_int_equal(sdc_store_set(&s, l, d), 0);
    }
    assert_int_equal(sdc_store_count(&s), 100);
    assert_int_equal(sdc_store_lines(&s, 1000), 100);
    assert_true(sdc_store_get(&s, 70, got));
    assert_int_equal(got[70 % 64], 71);
    sdc_store_free(&s);
}

/* Runs (sdc_store.h) against a plain per-line array, on random operations
 * over 1,024 lines: two faults with disjoint footprints whose write-backs
 * flip their runs, exact entries set and cleared on any line. Every line's
 * delta, the count of wrong lines, the first wrong line of each footprint
 * and the next run flip point from random points match the array. */
#define RL 1024u
static void test_sdc_runs_match_per_line(void **state)
{
    (void)state;
    struct mem_rng r;
    mem_rng_init(&r, 3, "test/sdc/runs");
    for (unsigned round = 0; round < 20; round++) {
        struct sdc_store s;
        sdc_store_init(&s);
        static uint8_t ref[RL][64];
        memset(ref, 0, sizeof(ref));
        /* two footprints: bit 9 pinned to 0 / 1, other pinned bits random */
        uint64_t pin = mem_rng_below(&r, RL) & ~(1ull << 9);
        uint64_t free = ((RL - 1u) & ~pin) & ~(1ull << 9);
        struct fault_footprint fp[2] = {{0, free, RL}, {1ull << 9, free, RL}};
        uint8_t eff[2][64] = {{0}};
        for (unsigned f = 0; f < 2; f++)
            eff[f][mem_rng_below(&r, 64)] = (uint8_t)(1u + mem_rng_below(&r, 255));
        for (unsigned op = 0; op < 3000; op++) {
            uint64_t line = mem_rng_below(&r, RL);
            unsigned kind = (unsigned)mem_rng_below(&r, 10);
            if (kind < 8) { /* a write-back of a one-fault line, in walk order mostly */
                unsigned f = (unsigned)mem_rng_below(&r, 2);
                line = footprint_nth_line(&fp[f], 0, (op / 2u) % footprint_count_lines(&fp[f], 0, RL));
                if (sdc_store_exact(&s, line)) {
                    uint8_t d[64];
                    for (unsigned b = 0; b < 64; b++)
                        d[b] = (uint8_t)(ref[line][b] ^ eff[f][b]);
                    assert_int_equal(sdc_store_set(&s, line, d), 0);
                } else {
                    assert_int_equal(sdc_store_flip(&s, f + 1u, &fp[f], line, line, eff[f]), 0);
                }
                for (unsigned b = 0; b < 64; b++)
                    ref[line][b] ^= eff[f][b];
            } else if (kind == 8) { /* software rewrites the line */
                sdc_store_clear(&s, line);
                memset(ref[line], 0, 64);
            } else { /* a write-back of a line with several faults */
                uint8_t d[64] = {0};
                d[mem_rng_below(&r, 64)] = (uint8_t)mem_rng_below(&r, 256);
                assert_int_equal(sdc_store_set(&s, line, d), 0);
                memcpy(ref[line], d, 64);
            }
        }
        uint64_t wrong = 0;
        for (uint64_t l = 0; l < RL; l++) {
            uint8_t d[64];
            bool nz = sdc_store_get(&s, l, d);
            assert_memory_equal(d, ref[l], 64);
            bool rnz = false;
            for (unsigned b = 0; b < 64; b++)
                rnz |= ref[l][b] != 0;
            assert_true(nz == rnz);
            wrong += rnz;
        }
        assert_true(sdc_store_lines(&s, 1u << 20) == wrong);
        for (unsigned f = 0; f < 2; f++)
            for (unsigned k = 0; k < 50; k++) {
                uint64_t from = mem_rng_below(&r, RL + 1u), want = UINT64_MAX;
                for (uint64_t l = from; l < RL && want == UINT64_MAX; l++) {
                    bool rnz = false;
                    for (unsigned b = 0; b < 64; b++)
                        rnz |= ref[l][b] != 0;
                    if (rnz && footprint_covers(&fp[f], l))
                        want = l;
                }
                assert_true(sdc_store_first(&s, &fp[f], from) == want);
                /* next_flip: a line of fp past from; before it, every
                 * line of fp without an exact entry holds one delta, and
                 * at it (one run per footprint here) another */
                uint64_t p = sdc_store_next_flip(&s, &fp[f], from), l0 = UINT64_MAX;
                assert_true(p == UINT64_MAX || (p > from && p < RL && footprint_covers(&fp[f], p)));
                for (uint64_t l = from; l < RL && l < p; l++) {
                    if (!footprint_covers(&fp[f], l) || sdc_store_exact(&s, l))
                        continue;
                    if (l0 == UINT64_MAX)
                        l0 = l;
                    assert_memory_equal(ref[l], ref[l0], 64);
                }
                if (p != UINT64_MAX && l0 != UINT64_MAX && !sdc_store_exact(&s, p))
                    assert_memory_not_equal(ref[p], ref[l0], 64);
            }
        /* walk order keeps the runs small: a few points, not a line each */
        assert_true(sdc_store_flip_points(&s) < RL / 2u);
        sdc_store_free(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_streams),
        cmocka_unit_test(test_rng_ranges),
        cmocka_unit_test(test_ln),
        cmocka_unit_test(test_u64map_basics),
        cmocka_unit_test(test_u64map_against_model),
        cmocka_unit_test(test_sdc_store),
        cmocka_unit_test(test_sdc_runs_match_per_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
