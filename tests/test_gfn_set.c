/*
 * test_gfn_set.c - the log-dirty set: members come out ascending and
 * unique whatever the order and repetition of adds, partial copies and
 * removals take exactly the smallest members, repeated adds cost no
 * memory, and clear/free leave a usable empty set.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hv/gfn_set.h"

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sort and dedupe v in place; returns the unique count. */
static size_t reference(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || v[k - 1] != v[i])
            v[k++] = v[i];
    return k;
}

static void empty_set(void **state)
{
    (void)state;
    struct gfn_set s;
    gfn_set_init(&s);
    uint64_t out[4] = {7, 7, 7, 7};
    assert_int_equal(gfn_set_count(&s), 0);
    assert_int_equal(gfn_set_copy(&s, 0, out, 4), 0);
    assert_int_equal(out[0], 7);
    assert_false(gfn_set_has(&s, 0));
    assert_int_equal(gfn_set_remove_first(&s, 3), 0);
    gfn_set_clear(&s);
    gfn_set_free(&s);
    assert_int_equal(gfn_set_count(&s), 0);
}

/* A workload writing the same few frames a million times costs one slot
 * table of the minimum size. */
static void repeated_adds_cost_nothing(void **state)
{
    (void)state;
    struct gfn_set s;
    gfn_set_init(&s);
    for (unsigned i = 0; i < 1000000; i++)
        assert_int_equal(gfn_set_add(&s, 0x1000 + i % 3), 0);
    assert_int_equal(gfn_set_count(&s), 3);
    assert_int_equal(s.cap, 16);
    uint64_t out[4];
    assert_int_equal(gfn_set_copy(&s, 0, out, 4), 3);
    assert_int_equal(out[0], 0x1000);
    assert_int_equal(out[1], 0x1001);
    assert_int_equal(out[2], 0x1002);
    gfn_set_free(&s);
}

static void matches_a_sorted_unique_reference(void **state)
{
    (void)state;
    enum { N = 20000 };
    uint64_t *ref = malloc(N * sizeof(*ref)), *out = malloc(N * sizeof(*out));
    assert_non_null(ref);
    assert_non_null(out);
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    struct gfn_set s;
    gfn_set_init(&s);
    for (size_t i = 0; i < N; i++) {
        /* small range: many duplicates; every 7th a huge gfn near 2^60 */
        ref[i] = i % 7 ? next_rand(&seed) % 5000 : (1ull << 60) - 1 - next_rand(&seed) % 100;
        assert_int_equal(gfn_set_add(&s, ref[i]), 0);
    }
    size_t k = reference(ref, N);
    assert_int_equal(gfn_set_count(&s), k);
    /* read in odd-sized pieces, as a chunked copy does */
    size_t got = 0;
    for (long n; (n = gfn_set_copy(&s, got, out + got, 37)) > 0;)
        got += (size_t)n;
    assert_int_equal(got, k);
    assert_memory_equal(out, ref, k * sizeof(*ref));
    for (size_t i = 0; i < k; i++)
        assert_true(gfn_set_has(&s, ref[i]));
    assert_false(gfn_set_has(&s, 5001));
    gfn_set_free(&s);
    free(ref);
    free(out);
}

/* Removing the k smallest keeps exactly the others, and adds after a
 * removal are seen by the next read. */
static void remove_first_takes_the_smallest(void **state)
{
    (void)state;
    struct gfn_set s;
    gfn_set_init(&s);
    for (uint64_t g = 100; g > 0; g--)
        assert_int_equal(gfn_set_add(&s, g * 10), 0); /* 10..1000, added descending */
    assert_int_equal(gfn_set_remove_first(&s, 0), 0);
    assert_int_equal(gfn_set_count(&s), 100);
    assert_int_equal(gfn_set_remove_first(&s, 30), 0);
    assert_int_equal(gfn_set_count(&s), 70);
    assert_false(gfn_set_has(&s, 300));
    assert_true(gfn_set_has(&s, 310));
    uint64_t out[2];
    assert_int_equal(gfn_set_copy(&s, 0, out, 1), 1);
    assert_int_equal(out[0], 310);
    assert_int_equal(gfn_set_add(&s, 5), 0);
    assert_int_equal(gfn_set_copy(&s, 0, out, 2), 2);
    assert_int_equal(out[0], 5);
    assert_int_equal(out[1], 310);
    assert_int_equal(gfn_set_copy(&s, 70, out, 2), 1); /* the last one */
    assert_int_equal(out[0], 1000);
    assert_int_equal(gfn_set_copy(&s, 71, out, 2), 0);
    assert_int_equal(gfn_set_remove_first(&s, 1000), 0);
    assert_int_equal(gfn_set_count(&s), 0);
    assert_false(gfn_set_has(&s, 1000));
    gfn_set_free(&s);
}

/* The order of adds does not show in what is read. */
static void order_of_adds_does_not_matter(void **state)
{
    (void)state;
    struct gfn_set a, b;
    gfn_set_init(&a);
    gfn_set_init(&b);
    for (uint64_t i = 0; i < 500; i++) {
        assert_int_equal(gfn_set_add(&a, i * 4099 % 1000), 0);
        assert_int_equal(gfn_set_add(&b, (499 - i) * 4099 % 1000), 0);
    }
    uint64_t x[500], y[500];
    assert_int_equal(gfn_set_copy(&a, 0, x, 500), 500);
    assert_int_equal(gfn_set_copy(&b, 0, y, 500), 500);
    assert_memory_equal(x, y, sizeof(x));
    gfn_set_free(&a);
    gfn_set_free(&b);
}

static void clear_keeps_storage_free_releases_it(void **state)
{
    (void)state;
    struct gfn_set s;
    gfn_set_init(&s);
    for (uint64_t g = 0; g < 1000; g++)
        assert_int_equal(gfn_set_add(&s, g), 0);
    size_t cap = s.cap;
    assert_true(cap >= 2000);
    gfn_set_clear(&s);
    assert_int_equal(gfn_set_count(&s), 0);
    assert_int_equal(s.cap, cap);
    assert_false(gfn_set_has(&s, 5));
    uint64_t out[1];
    assert_int_equal(gfn_set_copy(&s, 0, out, 1), 0);
    assert_int_equal(gfn_set_add(&s, 5), 0);
    assert_int_equal(gfn_set_copy(&s, 0, out, 1), 1);
    assert_int_equal(out[0], 5);
    gfn_set_free(&s);
    assert_null(s.slot);
    assert_int_equal(s.cap, 0);
    assert_int_equal(gfn_set_add(&s, 6), 0); /* usable after free */
    assert_int_equal(gfn_set_count(&s), 1);
    gfn_set_free(&s);
}

static void the_empty_marker_is_not_a_member(void **state)
{
    (void)state;
    struct gfn_set s;
    gfn_set_init(&s);
    assert_int_equal(gfn_set_add(&s, GFN_SET_EMPTY), -1);
    assert_int_equal(gfn_set_count(&s), 0);
    assert_int_equal(gfn_set_add(&s, 1), 0);
    assert_false(gfn_set_has(&s, GFN_SET_EMPTY));
    gfn_set_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_set),
        cmocka_unit_test(repeated_adds_cost_nothing),
        cmocka_unit_test(matches_a_sorted_unique_reference),
        cmocka_unit_test(remove_first_takes_the_smallest),
        cmocka_unit_test(order_of_adds_does_not_matter),
        cmocka_unit_test(clear_keeps_storage_free_releases_it),
        cmocka_unit_test(the_empty_marker_is_not_a_member),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
