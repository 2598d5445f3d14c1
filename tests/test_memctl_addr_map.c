/*
 * test_memctl_addr_map.c - unit tests of the DRAM geometry and the
 * physical address <-> DRAM location map (models/memctl/addr_map.h).
 *
 * The layout expected here is the table in addr_map.h, recomputed by hand
 * for the default geometry, not read back from the model.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "models/memctl/addr_map.h"
#include "models/memctl/mem_rng.h"

static struct addr_map make(const struct mem_geometry *g)
{
    struct addr_map m;
    assert_int_equal(addr_map_init(&m, g), 0);
    return m;
}

/* A 2 TiB host: 8 channels, 2 DIMMs, 4 ranks, 16 banks, 2^18 rows. */
static struct mem_geometry tib_geometry(void)
{
    return (struct mem_geometry){8, 2, 4, 16, 1u << 18, 1024, 4, 2};
}

static void assert_loc_equal(const struct dram_loc *a, const struct dram_loc *b)
{
    assert_int_equal(a->channel, b->channel);
    assert_int_equal(a->dimm, b->dimm);
    assert_int_equal(a->rank, b->rank);
    assert_int_equal(a->bank, b->bank);
    assert_int_equal(a->row, b->row);
    assert_int_equal(a->column, b->column);
    assert_int_equal(a->byte, b->byte);
}

static void test_default_layout(void **state)
{
    (void)state;
    struct mem_geometry g = mem_geometry_default();
    struct addr_map m = make(&g);
    assert_true(m.capacity == 64ull << 30);
    assert_true(m.lines == (64ull << 30) / 64);
    assert_int_equal(m.devices, 18);
    assert_int_equal(m.data_devices, 16);
    assert_int_equal(m.beats, 8);
    assert_int_equal(m.beat_bytes, 8);
    /* lane 2:0, beat 5:3, channel 6, colgroup 13:7, bank 17:14, rank 18,
     * dimm 19, row 35:20 (the example in addr_map.h). */
    const struct addr_bits want[AF__COUNT] = {{0, 3}, {3, 3}, {6, 1}, {7, 7}, {14, 4}, {18, 1}, {19, 1}, {20, 16}};
    for (unsigned f = 0; f < AF__COUNT; f++) {
        assert_int_equal(m.f[f].shift, want[f].shift);
        assert_int_equal(m.f[f].bits, want[f].bits);
    }
    struct dram_loc l;
    uint64_t a = (5ull << 20) | (1ull << 19) | (0ull << 18) | (9ull << 14) | (100ull << 7) | (1ull << 6) |
                 (6ull << 3) | 3ull;
    assert_int_equal(addr_map_decode(&m, a, &l), 0);
    struct dram_loc want_loc = {.channel = 1, .dimm = 1, .rank = 0, .bank = 9, .row = 5, .column = 806, .byte = 3};
    assert_loc_equal(&l, &want_loc);
}

static void test_lines_interleave_channels_first(void **state)
{
    (void)state;
    struct mem_geometry g = tib_geometry();
    struct addr_map m = make(&g);
    struct dram_loc l;
    for (unsigned i = 0; i < 32; i++) {
        assert_int_equal(addr_map_decode(&m, (uint64_t)i * 64, &l), 0);
        assert_int_equal(l.channel, i % 8);
        assert_int_equal(l.column, (i / 8) * 8); /* same row, next burst */
        assert_int_equal(l.row, 0);
        assert_int_equal(l.bank, 0);
    }
}

static void test_capacity_formula(void **state)
{
    (void)state;
    /* capacity = channels * dimms * ranks * banks * rows * columns * data
     * bytes per beat, for each bus arrangement. */
    const struct mem_geometry gs[] = {
        {2, 2, 2, 16, 65536, 1024, 4, 2}, {2, 2, 2, 16, 65536, 1024, 4, 4}, {1, 1, 1, 8, 32768, 1024, 8, 1},
        {4, 1, 2, 8, 1024, 512, 8, 2},   {8, 2, 4, 16, 1u << 18, 1024, 4, 2},
    };
    const unsigned beat_bytes[] = {8, 16, 8, 16, 8};
    for (size_t i = 0; i < sizeof(gs) / sizeof(gs[0]); i++) {
        struct addr_map m = make(&gs[i]);
        uint64_t want = (uint64_t)gs[i].channels * gs[i].dimms_per_channel * gs[i].ranks_per_dimm *
                        gs[i].banks_per_rank * gs[i].rows * gs[i].columns * beat_bytes[i];
        assert_true(m.capacity == want);
        assert_int_equal(m.beat_bytes, beat_bytes[i]);
        assert_int_equal(m.beats * m.beat_bytes, 64);
        assert_int_equal(m.devices * gs[i].device_width * m.beats, 576); /* 512 data + 64 check */
    }
    struct mem_geometry t = tib_geometry();
    struct addr_map m = make(&t);
    assert_true(m.capacity == 2ull << 40);
    assert_true(addr_map_total_devices(&m) == 8ull * 2 * 4 * 18);
}

static void round_trip_random(const struct mem_geometry *g, uint64_t seed)
{
    struct addr_map m = make(g);
    struct mem_rng r;
    mem_rng_init(&r, seed, "test/addr_map");
    for (unsigned i = 0; i < 20000; i++) {
        uint64_t a = mem_rng_below(&r, m.capacity);
        struct dram_loc l;
        uint64_t back = ~0ull;
        assert_int_equal(addr_map_decode(&m, a, &l), 0);
        assert_int_equal(addr_map_encode(&m, &l, &back), 0);
        assert_true(back == a);
        assert_true(addr_map_line_of(&m, &l) == a >> 6);
    }
    /* And the other way: random locations. */
    for (unsigned i = 0; i < 5000; i++) {
        struct dram_loc l = {
            .channel = (unsigned)mem_rng_below(&r, g->channels),
            .dimm = (unsigned)mem_rng_below(&r, g->dimms_per_channel),
            .rank = (unsigned)mem_rng_below(&r, g->ranks_per_dimm),
            .bank = (unsigned)mem_rng_below(&r, g->banks_per_rank),
            .row = (unsigned)mem_rng_below(&r, g->rows),
            .column = (unsigned)mem_rng_below(&r, g->columns),
            .byte = (unsigned)mem_rng_below(&r, m.beat_bytes),
        };
        uint64_t a;
        struct dram_loc back;
        assert_int_equal(addr_map_encode(&m, &l, &a), 0);
        assert_true(a < m.capacity);
        assert_int_equal(addr_map_decode(&m, a, &back), 0);
        assert_loc_equal(&l, &back);
    }
}

static void test_round_trip_random(void **state)
{
    (void)state;
    const struct mem_geometry gs[] = {
        {2, 2, 2, 16, 65536, 1024, 4, 2}, {2, 2, 2, 16, 65536, 1024, 4, 4}, {1, 1, 1, 8, 32768, 1024, 8, 1},
        {4, 1, 2, 8, 1024, 512, 8, 2},   {8, 2, 4, 16, 1u << 18, 1024, 4, 2}, {1, 1, 1, 1, 2, 4, 4, 4},
    };
    for (size_t i = 0; i < sizeof(gs) / sizeof(gs[0]); i++)
        round_trip_random(&gs[i], i + 1);
}

static void test_round_trip_edges(void **state)
{
    (void)state;
    struct mem_geometry g = tib_geometry();
    struct addr_map m = make(&g);
    /* 0, the last byte, every single-bit address, every all-ones prefix. */
    uint64_t edges[2 + 2 * 64];
    size_t n = 0;
    edges[n++] = 0;
    edges[n++] = m.capacity - 1;
    for (unsigned b = 0; b < m.addr_bits; b++) {
        edges[n++] = 1ull << b;
        edges[n++] = (2ull << b) - 1;
    }
    for (size_t i = 0; i < n; i++) {
        struct dram_loc l;
        uint64_t back;
        assert_int_equal(addr_map_decode(&m, edges[i], &l), 0);
        assert_int_equal(addr_map_encode(&m, &l, &back), 0);
        assert_true(back == edges[i]);
    }
    struct dram_loc last;
    addr_map_decode(&m, m.capacity - 1, &last);
    struct dram_loc want = {7, 1, 3, 15, (1u << 18) - 1, 1023, 7};
    assert_loc_equal(&last, &want);
}

static void test_rejects_out_of_range(void **state)
{
    (void)state;
    struct mem_geometry g = mem_geometry_default();
    struct addr_map m = make(&g);
    struct dram_loc l;
    assert_int_equal(addr_map_decode(&m, m.capacity, &l), -1);
    assert_int_equal(addr_map_decode(&m, UINT64_MAX, &l), -1);
    const struct dram_loc bad[] = {
        {2, 0, 0, 0, 0, 0, 0}, {0, 2, 0, 0, 0, 0, 0}, {0, 0, 2, 0, 0, 0, 0},    {0, 0, 0, 16, 0, 0, 0},
        {0, 0, 0, 0, 65536, 0, 0}, {0, 0, 0, 0, 0, 1024, 0}, {0, 0, 0, 0, 0, 0, 8},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint64_t a = 0;
        assert_int_equal(addr_map_encode(&m, &bad[i], &a), -1);
    }
}

static void test_rejects_bad_geometry(void **state)
{
    (void)state;
    const struct mem_geometry good = mem_geometry_default();
    struct mem_geometry g;
    struct addr_map m;
#define BAD(field, value)                                    \
    do {                                                     \
        g = good;                                            \
        g.field = value;                                     \
        assert_non_null(addr_map_check(&g));                 \
        assert_int_equal(addr_map_init(&m, &g), -1);         \
    } while (0)
    BAD(channels, 0);
    BAD(channels, 3); /* not a power of two */
    BAD(channels, 16);
    BAD(dimms_per_channel, 0);
    BAD(dimms_per_channel, 6);
    BAD(ranks_per_dimm, 16);
    BAD(banks_per_rank, 12);
    BAD(banks_per_rank, 128);
    BAD(rows, 1);
    BAD(rows, 1u << 21);
    BAD(rows, 1000);
    BAD(columns, 2);
    BAD(columns, 1000);
    BAD(device_width, 16);
    BAD(device_width, 0);
    BAD(ecc_devices, 1); /* x4 needs 2 or 4 */
    BAD(ecc_devices, 3);
#undef BAD
    g = good;
    g.device_width = 8;
    g.ecc_devices = 4;
    assert_non_null(addr_map_check(&g));
    /* Within every per-field limit but above 2^52 bytes in total. */
    g = (struct mem_geometry){8, 8, 8, 64, 1u << 20, 1u << 14, 4, 4};
    assert_non_null(addr_map_check(&g));
    assert_int_equal(addr_map_init(&m, &g), -1);
    assert_non_null(addr_map_check(NULL));
    g = good;
    assert_null(addr_map_check(&g));
}

static void test_line_helpers(void **state)
{
    (void)state;
    struct mem_geometry g = mem_geometry_default();
    struct addr_map m = make(&g);
    struct mem_rng r;
    mem_rng_init(&r, 7, "test/addr_map/lines");
    for (unsigned i = 0; i < 2000; i++) {
        uint64_t line = mem_rng_below(&r, m.lines);
        struct dram_loc l;
        addr_map_line_loc(&m, line, &l);
        assert_int_equal(l.byte, 0);
        assert_int_equal(l.column % m.beats, 0);
        assert_true(addr_map_line_of(&m, &l) == line);
        assert_int_equal(addr_map_line_field(&m, line, AF_CHANNEL), l.channel);
        assert_int_equal(addr_map_line_field(&m, line, AF_ROW), l.row);
        assert_int_equal(addr_map_line_field(&m, line, AF_BANK), l.bank);
        assert_int_equal(addr_map_line_field(&m, line, AF_COLGROUP), l.column / m.beats);
        /* Any byte of the line maps back to the line. */
        l.column += (unsigned)mem_rng_below(&r, m.beats);
        l.byte = (unsigned)mem_rng_below(&r, m.beat_bytes);
        assert_true(addr_map_line_of(&m, &l) == line);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_layout),
        cmocka_unit_test(test_lines_interleave_channels_first),
        cmocka_unit_test(test_capacity_formula),
        cmocka_unit_test(test_round_trip_random),
        cmocka_unit_test(test_round_trip_edges),
        cmocka_unit_test(test_rejects_out_of_range),
        cmocka_unit_test(test_rejects_bad_geometry),
        cmocka_unit_test(test_line_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
