/*
 * test_memctl_poison.c - unit tests of the poisoned-line set
 * (models/memctl/poison.h): line granularity, first poison time kept,
 * cleared by a full-line write, sparse over a TiB address space, ordered
 * listing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "arch/ps_rebase.h"
#include "models/memctl/mem_rng.h"
#include "models/memctl/poison.h"

static void test_line_granularity(void **state)
{
    (void)state;
    struct poison_set p;
    poison_init(&p);
    assert_false(poison_test(&p, 0x1000));
    assert_int_equal(poison_mark(&p, 0x1010, 5), 0);
    for (uint64_t a = 0x1000; a < 0x1040; a++)
        assert_true(poison_test(&p, a)); /* every byte of the line */
    assert_false(poison_test(&p, 0xFFF));
    assert_false(poison_test(&p, 0x1040));
    assert_int_equal(poison_count(&p), 1);
    uint64_t t = 0;
    assert_int_equal(poison_mark(&p, 0x103F, 9), 0);
    assert_int_equal(poison_count(&p), 1);
    assert_true(poison_time(&p, 0x1000, &t));
    assert_true(t == 5); /* the first poisoning counts */
    assert_true(poison_clear(&p, 0x1020));
    assert_false(poison_test(&p, 0x1000));
    assert_false(poison_clear(&p, 0x1000));
    assert_false(poison_time(&p, 0x1000, &t));
    poison_free(&p);
}

static void test_sparse_and_listed(void **state)
{
    (void)state;
    struct poison_set p;
    poison_init(&p);
    struct mem_rng r;
    mem_rng_init(&r, 1, "test/poison");
    enum { N = 5000 };
    static uint64_t addr[N];
    for (unsigned i = 0; i < N; i++) {
        addr[i] = mem_rng_below(&r, 2ull << 40) & ~63ull; /* anywhere in 2 TiB */
        assert_int_equal(poison_mark(&p, addr[i] + 7, i), 0);
    }
    for (unsigned i = 0; i < N; i++)
        assert_true(poison_test(&p, addr[i]));
    /* Lines next to poisoned ones are clean (unless drawn themselves). */
    unsigned clean = 0;
    for (unsigned i = 0; i < N; i++)
        clean += !poison_test(&p, addr[i] + 64);
    assert_true(clean > N - 5);
    size_t n = poison_count(&p);
    static uint64_t list[N];
    assert_int_equal(poison_list(&p, list, N), n);
    for (size_t i = 1; i < n; i++)
        assert_true(list[i - 1] < list[i]);
    for (size_t i = 0; i < n; i++)
        assert_true(list[i] % 64 == 0 && poison_test(&p, list[i]));
    uint64_t first3[3];
    assert_int_equal(poison_list(&p, first3, 3), 3);
    assert_true(first3[0] == list[0] && first3[2] == list[2]);
    for (size_t i = 0; i < n; i++)
        assert_true(poison_clear(&p, list[i]));
    assert_int_equal(poison_count(&p), 0);
    assert_int_equal(poison_list(&p, list, N), 0);
    poison_free(&p);
}

/* The next poisoned line after any line, with marks out of order and
 * clears among them: as a look through every mark finds it. */
static void test_next_line(void **state)
{
    (void)state;
    struct poison_set p;
    poison_init(&p);
    struct mem_rng r;
    mem_rng_init(&r, 2, "test/poison-next");
    enum { N = 3000 };
    static uint64_t line[N];
    for (unsigned i = 0; i < N; i++) {
        line[i] = mem_rng_below(&r, 1u << 20);
        assert_int_equal(poison_mark(&p, line[i] << 6, i), 0);
    }
    for (unsigned i = 0; i < N; i += 3)
        (void)poison_clear(&p, line[i] << 6); /* a line drawn twice: cleared once */
    assert_true(poison_next_line(&p, 1u << 20) == UINT64_MAX);
    for (unsigned k = 0; k < 2000; k++) {
        uint64_t from = mem_rng_below(&r, 1u << 20), want = UINT64_MAX;
        for (unsigned i = 0; i < N; i++)
            if (line[i] >= from && line[i] < want && poison_test(&p, line[i] << 6))
                want = line[i];
        assert_true(poison_next_line(&p, from) == want);
    }
    poison_free(&p);
}

/* Epoch rebases (poison_rebase keeps their sum and the pinned marks
 * apart): every mark's time is the one a rewrite of every time at every
 * rebase (ps_rebase) gives, pinned ones included, with marks and clears
 * between the rebases, the clock running on past the pinning age. */
static void test_rebase_as_rewrite(void **state)
{
    (void)state;
    struct poison_set p;
    poison_init(&p);
    struct mem_rng r;
    mem_rng_init(&r, 3, "test/poison-rebase");
    enum { N = 400 };
    static uint64_t when[N]; /* line i's time, rewritten at every rebase */
    static bool marked[N];
    uint64_t now = 0;
    unsigned pins = 0, lazy = 0, rewrites = 0;
    for (unsigned step = 0; step < 3000; step++) {
        /* SystemC's clock runs on (below 2^62 in all: the rebases carry
         * the year, docs/TIME.md) */
        now += mem_rng_below(&r, 1ull << 49);
        unsigned i = (unsigned)mem_rng_below(&r, N);
        if (mem_rng_below(&r, 4) == 0) {
            assert_int_equal(poison_clear(&p, (uint64_t)i << 6), marked[i]);
            marked[i] = false;
        } else if (!marked[i]) {
            /* now, or a walk's line time a little ahead or behind */
            uint64_t t = now + mem_rng_below(&r, 1ull << 40) - (1ull << 39);
            assert_int_equal(poison_mark(&p, (uint64_t)i << 6, t), 0);
            marked[i] = true;
            when[i] = t;
        }
        if (mem_rng_below(&r, 3) == 0) {
            uint64_t d = 1 + mem_rng_below(&r, PS_REBASE_D_MAX);
            for (unsigned j = 0; j < N; j++)
                if (marked[j]) {
                    uint64_t t = ps_rebase(when[j], d, now);
                    pins += t != when[j] - d;
                    when[j] = t;
                }
            const bool own = u64map_count(&p.lines) != 0; /* marks with their own times */
            poison_rebase(&p, d, now);
            lazy += own && p.base != 0;  /* moved by the sum */
            rewrites += own && p.base == 0; /* or rewritten */
        }
        for (unsigned j = 0; j < N; j++) {
            uint64_t t = 0;
            assert_int_equal(poison_time(&p, (uint64_t)j << 6, &t), marked[j]);
            if (marked[j] && t != when[j])
                print_error("step %u line %u: %llx, want %llx\n", step, j, (unsigned long long)t,
                            (unsigned long long)when[j]);
            if (marked[j])
                assert_true(t == when[j]);
        }
        unsigned n = 0;
        for (unsigned j = 0; j < N; j++)
            n += marked[j];
        assert_int_equal(poison_count(&p), n);
    }
    print_message("%u pins, %u rebases by the sum, %u rewrites\n", pins, lazy, rewrites);
    assert_true(pins > 100 && lazy > 100 && rewrites > 10); /* every way taken */
    poison_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_granularity),
        cmocka_unit_test(test_sparse_and_listed),
        cmocka_unit_test(test_next_line),
        cmocka_unit_test(test_rebase_as_rewrite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
