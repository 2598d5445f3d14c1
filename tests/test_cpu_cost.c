/*
 * test_cpu_cost.c - unit tests of the cycle-cost presets and of the
 * cycles -> picoseconds conversion.
 *
 * Conversion expectations are worked by hand from ps = n * cycles * 10^6 /
 * MHz rounded down; preset expectations check the documented ranges
 * (docs/COSTS.md), not particular figures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "models/cpu/cpu_cost.h"

static const char *const preset_names[] = {"generic", "nehalem-ex", "skylake-sp", "icelake-sp",
                                           "sapphirerapids"};
#define NPRESET_NAMES (sizeof(preset_names) / sizeof(preset_names[0]))

static const char *const op_names[COST__COUNT] = {
    "msr_read", "msr_write", "exc_entry", "iret",     "ipi",      "spin_step",   "lock",    "vmexit",
    "vmentry",  "severity",  "telem",     "softirq",  "hypercall", "copy_record", "page_op", "decode",
};

static struct cpu_cost_table table_at(uint32_t mhz, uint32_t cycles_each)
{
    struct cpu_cost_table t = {.name = "test", .mhz = mhz};
    for (unsigned i = 0; i < COST__COUNT; i++)
        t.cycles[i] = cycles_each;
    return t;
}

static void test_op_names_round_trip(void **state)
{
    (void)state;
    for (unsigned i = 0; i < COST__COUNT; i++) {
        assert_string_equal(cpu_cost_op_name((enum cpu_cost_op)i), op_names[i]);
        assert_int_equal(cpu_cost_op_from_name(op_names[i]), i);
    }
    assert_null(cpu_cost_op_name(COST__COUNT));
    assert_int_equal(cpu_cost_op_from_name("rdmsr"), COST__COUNT);
    assert_int_equal(cpu_cost_op_from_name("MSR_READ"), COST__COUNT);
    assert_int_equal(cpu_cost_op_from_name(""), COST__COUNT);
    assert_int_equal(cpu_cost_op_from_name(NULL), COST__COUNT);
}

static void test_presets_by_name(void **state)
{
    (void)state;
    assert_int_equal(cpu_cost_preset_count(), NPRESET_NAMES);
    for (unsigned i = 0; i < NPRESET_NAMES; i++) {
        const struct cpu_cost_table *t = cpu_cost_preset(preset_names[i]);
        assert_non_null(t);
        assert_string_equal(t->name, preset_names[i]);
        assert_ptr_equal(cpu_cost_preset_at(i), t);
    }
    assert_null(cpu_cost_preset_at(NPRESET_NAMES));
    assert_null(cpu_cost_preset("pentium"));
    assert_null(cpu_cost_preset("Skylake-SP"));
    assert_null(cpu_cost_preset(NULL));
    assert_int_equal(cpu_cost_preset("generic")->mhz, 2000);
}

/* Every preset has every cost, each within the documented order of magnitude. */
static void test_presets_plausible(void **state)
{
    (void)state;
    const struct {
        enum cpu_cost_op op;
        uint32_t lo, hi;
    } ranges[] = {
        {COST_MSR_READ, 100, 250},  {COST_MSR_WRITE, 150, 300}, {COST_EXC_ENTRY, 150, 250},
        {COST_IRET, 60, 100},       {COST_IPI, 1500, 3000},     {COST_LOCK, 20, 50},
        {COST_VMEXIT, 500, 1200},   {COST_VMENTRY, 400, 800},   {COST_SEVERITY, 100, 400},
        {COST_TELEM, 200, 800},     {COST_SOFTIRQ, 250, 1000},  {COST_HYPERCALL, 150, 600},
        {COST_COPY_RECORD, 150, 600}, {COST_PAGE_OP, 500, 2000}, {COST_DECODE, 2500, 10000},
    };
    for (unsigned p = 0; p < cpu_cost_preset_count(); p++) {
        const struct cpu_cost_table *t = cpu_cost_preset_at(p);
        assert_in_range(t->mhz, 1000, 4000);
        for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
            assert_in_range(t->cycles[ranges[i].op], ranges[i].lo, ranges[i].hi);
        for (unsigned op = 0; op < COST__COUNT; op++)
            assert_true(t->cycles[op] > 0);
        /* One IPI is about a microsecond. */
        assert_in_range(cpu_cost_ps(t, COST_IPI, 1), 500000, 2000000);
    }
}

/* PAUSE: ~10 cycles before Skylake, ~140 from Skylake-SP on. */
static void test_presets_pause_latency(void **state)
{
    (void)state;
    assert_in_range(cpu_cost_preset("nehalem-ex")->cycles[COST_SPIN_STEP], 5, 20);
    assert_in_range(cpu_cost_preset("skylake-sp")->cycles[COST_SPIN_STEP], 100, 180);
    assert_in_range(cpu_cost_preset("icelake-sp")->cycles[COST_SPIN_STEP], 100, 180);
    assert_in_range(cpu_cost_preset("sapphirerapids")->cycles[COST_SPIN_STEP], 100, 180);
}

static void test_cost_conversion(void **state)
{
    (void)state;
    struct cpu_cost_table t = table_at(2000, 2000);
    /* 2000 cycles at 2000 MHz = 1 us. */
    assert_int_equal(cpu_cost_ps(&t, COST_IPI, 1), 1000000);
    assert_int_equal(cpu_cost_ps(&t, COST_IPI, 0), 0);
    assert_int_equal(cpu_cost_ps(&t, COST_IPI, 3), 3000000);
    assert_int_equal(cpu_cycles_ps(&t, 2000), 1000000);
    assert_int_equal(cpu_cycles_ps(&t, 1), 500); /* 0.5 ns per cycle */
    assert_int_equal(cpu_cycles_ps(&t, 0), 0);

    t.cycles[COST_MSR_READ] = 150;
    assert_int_equal(cpu_cost_ps(&t, COST_MSR_READ, 1), 75000);
    assert_int_equal(cpu_cost_ps(&t, COST_MSR_READ, 10), 750000);
    t.cycles[COST_LOCK] = 0;
    assert_int_equal(cpu_cost_ps(&t, COST_LOCK, 1000), 0);
}

/* Results round down: 1 cycle at 3 GHz is 333.33 ps -> 333. */
static void test_cost_rounds_down(void **state)
{
    (void)state;
    struct cpu_cost_table t = table_at(3000, 1);
    assert_int_equal(cpu_cost_ps(&t, COST_IRET, 1), 333);
    assert_int_equal(cpu_cost_ps(&t, COST_IRET, 2), 666);
    assert_int_equal(cpu_cost_ps(&t, COST_IRET, 3), 1000);
    /* Multiply before divide: 100 ops of 1 cycle = 33333 ps, not 100 * 333. */
    assert_int_equal(cpu_cost_ps(&t, COST_IRET, 100), 33333);
    assert_int_equal(cpu_cycles_ps(&t, 7), 2333);

    struct cpu_cost_table u = table_at(2266, 1);
    /* 10^6 / 2266 = 441.306... */
    assert_int_equal(cpu_cycles_ps(&u, 1), 441);
    /* 2266 cycles at 2266 MHz is exactly 1 us. */
    assert_int_equal(cpu_cycles_ps(&u, 2266), 1000000);
}

static void test_cost_large_counts(void **state)
{
    (void)state;
    /* 10^9 ops of 4e9 cycles: the product 4e24 overflows 64 bits before
     * the division; the exact answer is 4e24 / 4000 = 10^21 > 2^64, so it
     * saturates. */
    struct cpu_cost_table t = table_at(4000, 4000000000u);
    assert_int_equal(cpu_cost_ps(&t, COST_DECODE, 1000000000ull), UINT64_MAX);

    /* 10^9 ops * 10^5 cycles * 10^6 = 10^20 overflows 64 bits in the
     * intermediate, but the answer at 2000 MHz is 5 * 10^16 ps. */
    struct cpu_cost_table g = table_at(2000, 100000);
    assert_int_equal(cpu_cost_ps(&g, COST_DECODE, 1000000000ull), 50000000000000000ull);

    /* Largest count and cycles whose answer still fits: (2^32-1) cycles at
     * 1 MHz of n ops, n * (2^32-1) * 10^6 < 2^64 for n = 4294. */
    struct cpu_cost_table s = table_at(1, 0xFFFFFFFFu);
    assert_int_equal(cpu_cost_ps(&s, COST_LOCK, 4294), 4294ull * 0xFFFFFFFFull * 1000000ull);
    assert_int_equal(cpu_cost_ps(&s, COST_LOCK, 4295), UINT64_MAX);

    /* A huge raw cycle count at a high clock. */
    struct cpu_cost_table h = table_at(4000000000u, 0);
    assert_int_equal(cpu_cycles_ps(&h, UINT64_MAX), UINT64_MAX / 4000u);
}

static void test_cost_bad_input(void **state)
{
    (void)state;
    struct cpu_cost_table t = table_at(0, 100);
    assert_int_equal(cpu_cost_ps(&t, COST_IPI, 1), 0);
    assert_int_equal(cpu_cycles_ps(&t, 100), 0);
    t.mhz = 1000;
    assert_int_equal(cpu_cost_ps(&t, COST__COUNT, 1), 0);
    assert_int_equal(cpu_cost_ps(NULL, COST_IPI, 1), 0);
    assert_int_equal(cpu_cycles_ps(NULL, 1), 0);
}

/* A scenario override replaces one entry of a copied preset. */
static void test_override_on_copy(void **state)
{
    (void)state;
    const struct cpu_cost_table *p = cpu_cost_preset("skylake-sp");
    struct cpu_cost_table t = *p;
    uint32_t before = p->cycles[COST_MSR_READ];
    t.cycles[COST_MSR_READ] = 4200; /* 2 us at 2100 MHz */
    assert_int_equal(cpu_cost_ps(&t, COST_MSR_READ, 1), 2000000);
    assert_int_equal(p->cycles[COST_MSR_READ], before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_op_names_round_trip),
        cmocka_unit_test(test_presets_by_name),
        cmocka_unit_test(test_presets_plausible),
        cmocka_unit_test(test_presets_pause_latency),
        cmocka_unit_test(test_cost_conversion),
        cmocka_unit_test(test_cost_rounds_down),
        cmocka_unit_test(test_cost_large_counts),
        cmocka_unit_test(test_cost_bad_input),
        cmocka_unit_test(test_override_on_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
