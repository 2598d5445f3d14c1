/*
 * test_memctl_fault_map.c - unit tests of the DRAM fault map
 * (models/memctl/fault_map.h): the footprint of every fault mode, checked
 * line by line against an independent predicate written from the table in
 * fault_map.h; transient healing; the index (no scan per read, exact with
 * 100,000 faults); the footprint walk used by the scrubber.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "arch/bits.h"
#include "arch/ps_rebase.h"
#include "models/memctl/fault_map.h"
#include "models/memctl/mem_rng.h"

/* 2 ch, 2 DIMMs, 2 ranks, 4 banks, 16 rows, 32 columns, x4: 4096 lines. */
static const struct mem_geometry small = {2, 2, 2, 4, 16, 32, 4, 2};

struct fx {
    struct addr_map m;
    struct fault_map fm;
};

static void fx_init(struct fx *x, const struct mem_geometry *g)
{
    assert_int_equal(addr_map_init(&x->m, g), 0);
    assert_int_equal(fault_map_init(&x->fm, &x->m), 0);
}

static bool mask_is_zero(const struct dram_line_bits *e)
{
    static const struct dram_line_bits zero;
    return memcmp(e, &zero, sizeof(zero)) == 0;
}

/* Does fault f cover DRAM cell (loc, device)? Written from the mode table
 * of fault_map.h, independently of the index. */
static bool covers_cell(const struct mem_fault *f, const struct dram_loc *l, unsigned device)
{
    if (f->channel != l->channel || f->dimm != l->dimm || f->device != device)
        return false;
    switch (f->mode) {
    case FAULT_SINGLE_BIT:
    case FAULT_SINGLE_WORD:
        return f->rank == l->rank && f->bank == l->bank && f->row == l->row && f->column == l->column;
    case FAULT_SINGLE_COLUMN:
        return f->rank == l->rank && f->bank == l->bank && f->column == l->column;
    case FAULT_SINGLE_ROW:
        return f->rank == l->rank && f->bank == l->bank && f->row == l->row;
    case FAULT_SINGLE_BANK:
        return f->rank == l->rank && f->bank == l->bank;
    case FAULT_MULTI_BANK:
        return f->rank == l->rank;
    default:
        return true;
    }
}

/* The mask one fault should put on a line, from covers_cell. */
static void expected_mask(const struct addr_map *m, const struct mem_fault *f, uint64_t line,
                          struct dram_line_bits *e)
{
    memset(e, 0, sizeof(*e));
    struct dram_loc l;
    addr_map_line_loc(m, line, &l);
    unsigned col0 = l.column;
    for (unsigned b = 0; b < m->beats; b++) {
        l.column = col0 + b;
        for (unsigned d = 0; d < m->devices; d++)
            if (covers_cell(f, &l, d))
                e->cell[b][d] ^= f->dq_mask;
    }
}

static const struct mem_fault one_of_each[FAULT_MODE__COUNT] = {
    {FAULT_SINGLE_BIT, true, 1, 0, 1, 5, 2, 7, 13, 0x4, 0},
    {FAULT_SINGLE_WORD, true, 0, 1, 0, 17, 3, 9, 30, 0xF, 0},
    {FAULT_SINGLE_COLUMN, true, 1, 1, 1, 0, 1, 0, 6, 0x2, 0},
    {FAULT_SINGLE_ROW, true, 0, 0, 1, 12, 0, 4, 0, 0x3, 0},
    {FAULT_SINGLE_BANK, true, 1, 0, 0, 8, 3, 0, 0, 0x8, 0},
    {FAULT_MULTI_BANK, true, 0, 1, 1, 3, 0, 0, 0, 0x5, 0},
    {FAULT_MULTI_RANK, true, 1, 1, 0, 16, 0, 0, 0, 0x1, 0},
};

/* Lines each mode covers in `small`: 1, 1, rows, colgroups, rows*colgroups,
 * banks*rows*colgroups, ranks*banks*rows*colgroups. */
static const uint64_t footprint_lines[FAULT_MODE__COUNT] = {1, 1, 16, 4, 64, 256, 512};

static void test_mode_footprints(void **state)
{
    (void)state;
    for (unsigned mode = 0; mode < FAULT_MODE__COUNT; mode++) {
        struct fx x;
        fx_init(&x, &small);
        const struct mem_fault *f = &one_of_each[mode];
        assert_null(fault_check(&x.m, f));
        uint64_t id = fault_map_add(&x.fm, f);
        assert_true(id == 1);
        assert_true(fault_map_footprint_lines(&x.fm, id) == footprint_lines[mode]);
        uint64_t covered = 0;
        for (uint64_t line = 0; line < x.m.lines; line++) {
            struct dram_line_bits got, want;
            struct fault_hits h;
            unsigned n = fault_map_line_errors(&x.fm, line, UINT64_MAX, &got, &h);
            expected_mask(&x.m, f, line, &want);
            assert_memory_equal(&got, &want, sizeof(got));
            assert_int_equal(n, mask_is_zero(&want) ? 0 : 1);
            assert_int_equal(h.examined, n); /* the index holds only real hits */
            assert_int_equal(fault_map_covers(&x.fm, id, line), n == 1);
            covered += n;
        }
        assert_true(covered == footprint_lines[mode]);
        fault_map_free(&x.fm);
    }
}

/* The brief's example, spelled out: a single-row fault hits every column of
 * that row in that device and nothing else. */
static void test_single_row_hits_whole_row_only(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &small);
    struct mem_fault f = {.mode = FAULT_SINGLE_ROW, .permanent = true, .channel = 1, .dimm = 0, .rank = 1,
                          .device = 6, .bank = 2, .row = 11, .dq_mask = 0x9};
    assert_true(fault_map_add(&x.fm, &f) != 0);
    unsigned columns_hit[32] = {0};
    for (uint64_t line = 0; line < x.m.lines; line++) {
        struct dram_line_bits e;
        if (fault_map_line_errors(&x.fm, line, UINT64_MAX, &e, NULL) == 0)
            continue;
        struct dram_loc l;
        addr_map_line_loc(&x.m, line, &l);
        assert_int_equal(l.channel, 1);
        assert_int_equal(l.dimm, 0);
        assert_int_equal(l.rank, 1);
        assert_int_equal(l.bank, 2);
        assert_int_equal(l.row, 11);
        for (unsigned b = 0; b < x.m.beats; b++)
            for (unsigned d = 0; d < x.m.devices; d++) {
                assert_int_equal(e.cell[b][d], d == 6 ? 0x9 : 0);
                if (d == 6)
                    columns_hit[l.column + b]++;
            }
    }
    for (unsigned c = 0; c < 32; c++)
        assert_int_equal(columns_hit[c], 1);
    fault_map_free(&x.fm);
}

static void test_faults_xor_and_remove(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &small);
    struct mem_fault a = one_of_each[FAULT_SINGLE_BIT];
    struct mem_fault b = a;
    b.dq_mask = 0x1;
    uint64_t ia = fault_map_add(&x.fm, &a), ib = fault_map_add(&x.fm, &b), ic = fault_map_add(&x.fm, &a);
    assert_true(ia == 1 && ib == 2 && ic == 3);
    assert_int_equal(fault_map_count(&x.fm), 3);
    struct dram_loc l = {a.channel, a.dimm, a.rank, a.bank, a.row, a.column, 0};
    uint64_t line = addr_map_line_of(&x.m, &l);
    struct dram_line_bits e;
    struct fault_hits h;
    assert_int_equal(fault_map_line_errors(&x.fm, line, UINT64_MAX, &e, &h), 3);
    /* Two equal faults cancel (XOR), leaving b. */
    assert_int_equal(e.cell[a.column % 8][a.device], 0x1);
    assert_true(fault_map_remove(&x.fm, ib));
    assert_false(fault_map_remove(&x.fm, ib));
    assert_null(fault_map_get(&x.fm, ib));
    assert_non_null(fault_map_get(&x.fm, ia));
    assert_int_equal(fault_map_line_errors(&x.fm, line, UINT64_MAX, &e, NULL), 2);
    assert_true(fault_map_remove(&x.fm, ia));
    assert_true(fault_map_remove(&x.fm, ic));
    assert_int_equal(fault_map_line_errors(&x.fm, line, UINT64_MAX, &e, NULL), 0);
    assert_true(mask_is_zero(&e));
    /* Ids are never reused, slots are. */
    assert_true(fault_map_add(&x.fm, &a) == 4);
    assert_int_equal(x.fm.nslots, 3);
    fault_map_free(&x.fm);
}

static void test_transient_removed_when_written(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &small);
    struct mem_fault t = one_of_each[FAULT_SINGLE_BIT];
    t.permanent = false;
    t.time_ps = 100;
    struct mem_fault p = t;
    p.permanent = true;
    p.dq_mask = 0x1;
    uint64_t it = fault_map_add(&x.fm, &t), ip = fault_map_add(&x.fm, &p);
    struct dram_loc l = {t.channel, t.dimm, t.rank, t.bank, t.row, t.column, 0};
    uint64_t line = addr_map_line_of(&x.m, &l);
    struct dram_line_bits e;
    fault_map_line_written(&x.fm, line, 50); /* before the transient arrived */
    assert_non_null(fault_map_get(&x.fm, it));
    fault_map_line_written(&x.fm, line, 100);
    assert_null(fault_map_get(&x.fm, it)); /* gone */
    assert_non_null(fault_map_get(&x.fm, ip)); /* permanent stays */
    assert_int_equal(fault_map_line_errors(&x.fm, line, UINT64_MAX, &e, NULL), 1);
    fault_map_free(&x.fm);
}

/* Faults may be filed ahead of time: a read sees one only from its arrival. */
static void test_fault_invisible_before_arrival(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &small);
    struct mem_fault f = one_of_each[FAULT_SINGLE_COLUMN];
    f.time_ps = 500;
    uint64_t id = fault_map_add(&x.fm, &f);
    uint64_t line = fault_map_next_line(&x.fm, id, 0);
    struct dram_line_bits e;
    struct fault_hits h;
    assert_int_equal(fault_map_line_errors(&x.fm, line, 499, &e, &h), 0);
    assert_int_equal(h.examined, 1);
    assert_true(mask_is_zero(&e));
    assert_int_equal(fault_map_line_errors(&x.fm, line, 500, &e, &h), 1);
    assert_false(mask_is_zero(&e));
    fault_map_free(&x.fm);
}

/* A transient single-row fault arriving at 1000 ps, its first line written
 * at 2000 ps: its id, that line and the next one of the row. */
static uint64_t row_written_once(struct fx *x, struct mem_fault *row, uint64_t *first, uint64_t *second)
{
    *row = one_of_each[FAULT_SINGLE_ROW];
    row->permanent = false;
    row->time_ps = 1000;
    uint64_t id = fault_map_add(&x->fm, row);
    *first = fault_map_next_line(&x->fm, id, 0);
    *second = fault_map_next_line(&x->fm, id, *first + 1);
    assert_true(*first != FAULT_NO_LINE && *second != FAULT_NO_LINE);
    fault_map_line_written(&x->fm, *first, 2000);
    return id;
}

static void test_wide_transient_healed_per_line(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &small);
    struct mem_fault row;
    uint64_t first, second;
    uint64_t id = row_written_once(&x, &row, &first, &second);
    struct dram_line_bits e;
    assert_int_equal(fault_map_line_errors(&x.fm, first, UINT64_MAX, &e, NULL), 0);
    assert_int_equal(fault_map_line_errors(&x.fm, second, UINT64_MAX, &e, NULL), 1);
    assert_non_null(fault_map_get(&x.fm, id)); /* the rest of the row is still bad */
    /* A new transient on the same row after the write is not healed. */
    struct mem_fault later = row;
    later.time_ps = 3000;
    later.device = 2;
    fault_map_add(&x.fm, &later);
    struct fault_hits h;
    assert_int_equal(fault_map_line_errors(&x.fm, first, UINT64_MAX, &e, &h), 1);
    assert_int_equal(h.examined, 2);
    assert_int_equal(e.cell[0][2], row.dq_mask);
    assert_int_equal(e.cell[0][row.device], 0);
    fault_map_free(&x.fm);
}

/* Written on every line of its footprint, a wide transient can show on no
 * line again: it leaves the map (and the scrubber's walk). A line written
 * twice counts once, a write before the arrival not at all. */
static void test_wide_transient_removed_when_healed_everywhere(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &small);
    struct mem_fault col = one_of_each[FAULT_SINGLE_COLUMN];
    col.permanent = false;
    col.time_ps = 1000;
    uint64_t id = fault_map_add(&x.fm, &col);
    uint64_t n = fault_map_footprint_lines(&x.fm, id);
    assert_true(n > 2);
    uint64_t first = fault_map_next_line(&x.fm, id, 0);
    fault_map_line_written(&x.fm, first, 500); /* before it arrived: heals nothing */
    uint64_t lines[256];
    size_t k = 0;
    for (uint64_t line = first; line != FAULT_NO_LINE && k < 256; line = fault_map_next_line(&x.fm, id, line + 1))
        lines[k++] = line;
    assert_int_equal(k, n);
    for (size_t i = 0; i < k; i++) {
        if (i > 0)
            assert_non_null(fault_map_get(&x.fm, id)); /* lines left to heal */
        fault_map_line_written(&x.fm, lines[i], 2000);
        fault_map_line_written(&x.fm, lines[i], 2500); /* again: no second count */
    }
    assert_null(fault_map_get(&x.fm, id));
    assert_int_equal(fault_map_count(&x.fm), 0);
    struct dram_line_bits e;
    assert_int_equal(fault_map_line_errors(&x.fm, first, UINT64_MAX, &e, NULL), 0);
    fault_map_free(&x.fm);
}

static void test_rejects_bad_faults(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &small);
    struct mem_fault f = one_of_each[FAULT_SINGLE_BIT];
    struct mem_fault bad[10];
    for (unsigned i = 0; i < 10; i++)
        bad[i] = f;
    bad[0].channel = 2;
    bad[1].dimm = 2;
    bad[2].device = 18;
    bad[3].rank = 2;
    bad[4].bank = 4;
    bad[5].row = 16;
    bad[6].column = 32;
    bad[7].dq_mask = 0;
    bad[8].dq_mask = 0x3; /* two DQs is no single-bit fault */
    bad[9].mode = FAULT_MODE__COUNT;
    for (unsigned i = 0; i < 10; i++) {
        assert_non_null(fault_check(&x.m, &bad[i]));
        assert_true(fault_map_add(&x.fm, &bad[i]) == 0);
    }
    /* Fields a mode does not pin are ignored. */
    struct mem_fault rank_wide = one_of_each[FAULT_MULTI_RANK];
    rank_wide.row = 99999;
    rank_wide.bank = 77;
    assert_null(fault_check(&x.m, &rank_wide));
    struct mem_fault word = one_of_each[FAULT_SINGLE_WORD];
    word.dq_mask = 0x10; /* beyond x4 */
    assert_non_null(fault_check(&x.m, &word));
    assert_int_equal(fault_map_count(&x.fm), 0);
    fault_map_free(&x.fm);
}

static void test_next_line_matches_enumeration(void **state)
{
    (void)state;
    for (unsigned mode = 0; mode < FAULT_MODE__COUNT; mode++) {
        struct fx x;
        fx_init(&x, &small);
        uint64_t id = fault_map_add(&x.fm, &one_of_each[mode]);
        /* Brute force from the top down: next[from] = from if covered. */
        uint64_t next = FAULT_NO_LINE;
        struct fault_footprint fp;
        assert_true(fault_map_footprint(&x.fm, id, &fp));
        for (uint64_t from = x.m.lines; from-- > 0;) {
            if (fault_map_covers(&x.fm, id, from)) {
                /* the line after a line of its own: the next one found so far */
                assert_true(footprint_line_after(&fp, from) == next);
                next = from;
            }
            assert_true(fault_map_next_line(&x.fm, id, from) == next);
        }
        assert_true(fault_map_next_line(&x.fm, id, x.m.lines) == FAULT_NO_LINE);
        fault_map_free(&x.fm);
    }
}

/* footprint_runs_alike: never says alike where a line's offset differs
 * (each checked, footprint_nth_line), and says so for two runs whose ranks
 * share the bits below a carry into a stretch of address bits in a row
 * (a column fault's rows in a bank fault's lines: rounds from one column
 * to the next row's). */
static void test_runs_alike_is_sufficient(void **state)
{
    (void)state;
    struct mem_rng r;
    mem_rng_init(&r, 7, "runs-alike");
    unsigned yes = 0;
    for (unsigned t = 0; t < 4000; t++) {
        /* 10-16 free bits among the low 24, some in a row, some apart */
        uint64_t free = 0;
        const unsigned want = 10 + (unsigned)mem_rng_below(&r, 7);
        while (bits_popcount64(free) < want) {
            unsigned at = (unsigned)mem_rng_below(&r, 24), len = 1 + (unsigned)mem_rng_below(&r, 6);
            free |= ((1ull << len) - 1u) << at & ((1ull << 24) - 1u);
        }
        const struct fault_footprint fp = {.key = 1ull << 30, .free = free, .lines = 1ull << 31};
        const uint64_t total = 1ull << bits_popcount64(free);
        const uint64_t n = 2 + mem_rng_below(&r, 300);
        if (n >= total)
            continue;
        const uint64_t q = mem_rng_below(&r, total - n);
        /* half the time a rank sharing q's low bits */
        const unsigned low = (unsigned)mem_rng_below(&r, bits_popcount64(free));
        uint64_t q2 = mem_rng_below(&r, total - n);
        if (t & 1)
            q2 = (q2 & ~((1ull << low) - 1u)) | (q & ((1ull << low) - 1u));
        if (q2 >= total - n)
            continue;
        if (!footprint_runs_alike(&fp, q, q2, n))
            continue;
        yes++;
        const uint64_t a0 = footprint_nth_line(&fp, 0, q), b0 = footprint_nth_line(&fp, 0, q2);
        for (uint64_t i = 1; i < n; i++)
            assert_int_equal(footprint_nth_line(&fp, 0, q + i) - a0, footprint_nth_line(&fp, 0, q2 + i) - b0);
    }
    assert_true(yes > 200); /* it says alike often, not only for n = 1 */
    /* columns 0-5 and rows 10-20 of the address, another field between:
     * a run from column 9 of one row to column 7 of the next (63 lines,
     * carried into the rows) is alike the same run of any other row */
    const struct fault_footprint fp = {.key = 0, .free = 0x3Fu | (0x7FFu << 10), .lines = 1ull << 21};
    for (uint64_t row = 0; row < 2047; row++)
        assert_true(footprint_runs_alike(&fp, 9, (row << 6) | 9, 63));
    assert_false(footprint_runs_alike(&fp, 9, 10, 63)); /* another column: the carry comes a line apart */
}

static void random_fault(const struct addr_map *m, struct mem_rng *r, struct mem_fault *f)
{
    memset(f, 0, sizeof(*f));
    /* Mostly narrow faults, as in the field data, with some wide ones. */
    unsigned pick = (unsigned)mem_rng_below(r, 1000);
    f->mode = pick < 500 ? FAULT_SINGLE_BIT
              : pick < 530 ? FAULT_SINGLE_WORD
              : pick < 640 ? FAULT_SINGLE_COLUMN
              : pick < 770 ? FAULT_SINGLE_ROW
              : pick < 930 ? FAULT_SINGLE_BANK
              : pick < 960 ? FAULT_MULTI_BANK
                           : FAULT_MULTI_RANK;
    f->permanent = mem_rng_below(r, 10) < 7;
    f->channel = (unsigned)mem_rng_below(r, m->g.channels);
    f->dimm = (unsigned)mem_rng_below(r, m->g.dimms_per_channel);
    f->rank = (unsigned)mem_rng_below(r, m->g.ranks_per_dimm);
    f->device = (unsigned)mem_rng_below(r, m->devices);
    f->bank = (unsigned)mem_rng_below(r, m->g.banks_per_rank);
    f->row = (unsigned)mem_rng_below(r, m->g.rows);
    f->column = (unsigned)mem_rng_below(r, m->g.columns);
    f->dq_mask = (uint8_t)(1u << mem_rng_below(r, 4));
}

/* 100,000 faults on a 2 TiB host: every read walks only the faults that
 * really cover its line (examined == hits), and the hit count agrees with
 * a brute-force pass over all faults. */
static void test_hundred_thousand_faults_indexed(void **state)
{
    (void)state;
    const struct mem_geometry tib = {8, 2, 4, 16, 1u << 18, 1024, 4, 2};
    struct fx x;
    fx_init(&x, &tib);
    struct mem_rng r;
    mem_rng_init(&r, 11, "test/fault_map/100k");
    enum { N = 100000 };
    struct mem_fault *all = malloc(N * sizeof(*all));
    assert_non_null(all);
    for (unsigned i = 0; i < N; i++) {
        random_fault(&x.m, &r, &all[i]);
        assert_true(fault_map_add(&x.fm, &all[i]) == i + 1u);
    }
    assert_int_equal(fault_map_count(&x.fm), N);
    unsigned long long examined = 0, hits = 0;
    const unsigned queries = 1000;
    for (unsigned q = 0; q < queries; q++) {
        /* Half the reads on lines of single-bit faults, half anywhere. */
        uint64_t line;
        if (q % 2) {
            const struct mem_fault *f = &all[mem_rng_below(&r, N)];
            struct dram_loc l = {f->channel, f->dimm, f->rank, f->bank, f->row, f->column, 0};
            line = addr_map_line_of(&x.m, &l);
        } else {
            line = mem_rng_below(&r, x.m.lines);
        }
        struct dram_line_bits e;
        struct fault_hits h;
        unsigned n = fault_map_line_errors(&x.fm, line, UINT64_MAX, &e, &h);
        assert_int_equal(h.examined, n);
        examined += h.examined;
        hits += n;
        if (q < 4) { /* brute force on a few */
            struct dram_loc l;
            addr_map_line_loc(&x.m, line, &l);
            unsigned want = 0;
            for (unsigned i = 0; i < N; i++) {
                bool any = false;
                for (unsigned b = 0; b < x.m.beats && !any; b++) {
                    struct dram_loc c = l;
                    c.column += b;
                    any = covers_cell(&all[i], &c, all[i].device);
                }
                want += any;
            }
            assert_int_equal(n, want);
        }
    }
    print_message("100k faults: %llu index entries examined over %u reads (%.1f per read), all of them hits\n",
                  examined, queries, (double)examined / queries);
    assert_true(examined == hits);
    /* Removing every other fault keeps the index exact. */
    for (unsigned i = 0; i < N; i += 2)
        assert_true(fault_map_remove(&x.fm, i + 1u));
    assert_int_equal(fault_map_count(&x.fm), N / 2);
    size_t pos = 0;
    uint64_t id, prev = 0;
    unsigned seen = 0;
    while (fault_map_iter(&x.fm, &pos, &id, NULL)) {
        assert_true(id % 2 == 0 && id > prev);
        prev = id;
        seen++;
    }
    assert_int_equal(seen, N / 2);
    free(all);
    fault_map_free(&x.fm);
}

static void test_mode_names(void **state)
{
    (void)state;
    for (unsigned m = 0; m < FAULT_MODE__COUNT; m++)
        assert_int_equal(fault_mode_from_name(fault_mode_name((enum fault_mode)m)), (int)m);
    assert_string_equal(fault_mode_name(FAULT_MULTI_RANK), "multi-rank");
    assert_int_equal(fault_mode_from_name("two-bit"), -1);
    assert_int_equal(fault_mode_from_name(NULL), -1);
}

/* Counting and indexing a footprint by bit computation agree with
 * walking it line by line, for every mode, every window and a mask. */
static void test_count_and_nth_line(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &small);
    for (unsigned mode = 0; mode < FAULT_MODE__COUNT; mode++) {
        struct mem_fault f = {.mode = (enum fault_mode)mode, .permanent = true, .channel = 1, .dimm = 0,
                              .rank = 1, .device = 2, .bank = 3, .row = 5, .column = 9, .dq_mask = 1};
        uint64_t id = fault_map_add(&x.fm, &f);
        assert_true(id != 0);
        uint64_t lines = x.m.lines;
        uint64_t *fp = malloc(lines * sizeof(*fp));
        uint64_t n = 0;
        for (uint64_t l = fault_map_next_line(&x.fm, id, 0); l != FAULT_NO_LINE; l = fault_map_next_line(&x.fm, id, l + 1))
            fp[n++] = l;
        assert_true(n == fault_map_footprint_lines(&x.fm, id));
        assert_true(fault_map_count_lines(&x.fm, id, 0, lines) == n);
        for (uint64_t k = 0; k < n; k++)
            assert_true(fault_map_nth_line(&x.fm, id, 0, k) == fp[k]);
        assert_true(fault_map_nth_line(&x.fm, id, 0, n) == FAULT_NO_LINE);
        for (uint64_t from = 0; from < lines; from += 37)
            for (uint64_t to = from; to <= lines; to += 53) {
                uint64_t want = 0, first = FAULT_NO_LINE;
                for (uint64_t k = 0; k < n; k++) {
                    want += fp[k] >= from && fp[k] < to;
                    if (fp[k] >= from && first == FAULT_NO_LINE)
                        first = fp[k];
                }
                assert_true(fault_map_count_lines(&x.fm, id, from, to) == want);
                assert_true(fault_map_nth_line(&x.fm, id, from, 0) == first);
                /* lines of bank 1 only (the bank field of a line index) */
                uint64_t bmask = ((1ull << x.m.f[AF_BANK].bits) - 1u) << addr_map_line_shift(&x.m, AF_BANK);
                uint64_t bval = 1ull << addr_map_line_shift(&x.m, AF_BANK);
                uint64_t wb = 0;
                for (uint64_t k = 0; k < n; k++)
                    wb += fp[k] >= from && fp[k] < to && (fp[k] & bmask) == bval;
                assert_true(fault_map_count_lines_where(&x.fm, id, from, to, bmask, bval) == wb);
            }
        free(fp);
        fault_map_remove(&x.fm, id);
    }
    fault_map_free(&x.fm);
}

#define HOUR_PS 3600000000000000ull

/* Rebase: a future arrival moves d earlier, exactly; one inside the d
 * skipped has arrived once moved (at a time below 0); write times move
 * with them, so healing keeps its order. */
static void test_rebase_moves_arrivals(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &small);
    struct mem_fault late = one_of_each[FAULT_SINGLE_ROW], soon = late;
    late.time_ps = 10 * HOUR_PS;
    late.permanent = true;
    soon.time_ps = 3 * HOUR_PS; /* within the 4 h skipped */
    soon.permanent = false;
    soon.device = 2;
    uint64_t id_late = fault_map_add(&x.fm, &late), id_soon = fault_map_add(&x.fm, &soon);
    uint64_t line = fault_map_next_line(&x.fm, id_late, 0), other = fault_map_next_line(&x.fm, id_late, line + 1);
    struct dram_line_bits e;
    struct fault_hits h;
    uint64_t now = 1 * HOUR_PS;
    assert_int_equal(fault_map_line_errors(&x.fm, line, now, &e, NULL), 0);
    assert_int_equal(fault_map_rebase(&x.fm, 4 * HOUR_PS, now), 0);
    assert_true(fault_map_get(&x.fm, id_late)->time_ps == 6 * HOUR_PS);
    assert_true(fault_map_get(&x.fm, id_soon)->time_ps == (uint64_t)-(int64_t)HOUR_PS);
    assert_int_equal(fault_map_line_errors(&x.fm, line, now, &e, &h), 1);
    assert_true(h.id[0] == id_soon);
    assert_int_equal(fault_map_line_errors(&x.fm, line, 6 * HOUR_PS - 1, &e, NULL), 1);
    assert_int_equal(fault_map_line_errors(&x.fm, line, 6 * HOUR_PS, &e, NULL), 2);
    /* the arrival below 0 is healed by a write now, on that line only */
    fault_map_line_written(&x.fm, line, now);
    assert_int_equal(fault_map_line_errors(&x.fm, line, now, &e, NULL), 0);
    assert_int_equal(fault_map_line_errors(&x.fm, other, now, &e, NULL), 1);
    fault_map_free(&x.fm);
}

/* Rebases that add up to more than 2^62 ps pin old times at that age: a
 * write that healed a transient keeps healing it (both pinned alike);
 * a write's time followed by a transient that arrived after it cannot be
 * pinned without masking that fault: refused, nothing moves. */
static void test_rebase_pins_old_times(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &small);
    struct mem_fault row;
    uint64_t first, second;
    uint64_t id = row_written_once(&x, &row, &first, &second);
    uint64_t now = 3000;
    struct dram_line_bits e;
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(fault_map_rebase(&x.fm, PS_REBASE_D_MAX, now), 0);
    assert_true(fault_map_get(&x.fm, id)->time_ps == now - PS_REBASE_AGE_MAX); /* pinned */
    assert_int_equal(fault_map_line_errors(&x.fm, first, now, &e, NULL), 0);
    assert_int_equal(fault_map_line_errors(&x.fm, second, now, &e, NULL), 1);
    /* the clock runs on past 2^62 before another rebase: the pinned
     * arrival, now over 2^63 ps back, is still in the past */
    assert_int_equal(fault_map_line_errors(&x.fm, second, PS_REBASE_AGE_MAX + 2 * now, &e, NULL), 1);
    /* ...and rebases then pin it again, not take it for the future (moved
     * on, it would drift below -2^63 and read as not yet arrived) */
    const uint64_t far = now + PS_REBASE_AGE_MAX + PS_REBASE_D_MAX;
    for (unsigned i = 0; i < 6; i++) {
        assert_int_equal(fault_map_rebase(&x.fm, PS_REBASE_D_MAX / 2, far), 0);
        assert_true(fault_map_get(&x.fm, id)->time_ps == far - PS_REBASE_AGE_MAX);
        assert_int_equal(fault_map_line_errors(&x.fm, second, far, &e, NULL), 1);
    }

    /* a heal kept as a stretch has no time to pin: y's fault (a bank, for
     * lines enough) fills its stretches with writes of other lines first,
     * so that first's write keeps a time */
    struct fx y;
    fx_init(&y, &small);
    row = one_of_each[FAULT_SINGLE_BANK];
    row.permanent = false;
    row.time_ps = 1000;
    uint64_t idy = fault_map_add(&y.fm, &row);
    first = fault_map_next_line(&y.fm, idy, 0);
    for (unsigned k = 0; k < FAULT_HEAL_RANGES; k++)
        fault_map_line_written(&y.fm, fault_map_nth_line(&y.fm, idy, 0, 2 + 2 * k), 1500);
    fault_map_line_written(&y.fm, first, 2000);
    assert_int_equal(u64map_count(&y.fm.healed), 1);
    struct mem_fault later = row;
    later.time_ps = 2500; /* after the write: not healed on first */
    later.device = 2;
    uint64_t id2 = fault_map_add(&y.fm, &later);
    assert_int_equal(fault_map_rebase(&y.fm, PS_REBASE_D_MAX, now), 0);
    assert_int_equal(fault_map_line_errors(&y.fm, first, now, &e, NULL), 1);
    uint64_t t2 = fault_map_get(&y.fm, id2)->time_ps;
    assert_int_equal(fault_map_can_rebase(&y.fm, PS_REBASE_D_MAX, now), -ERANGE);
    assert_int_equal(fault_map_rebase(&y.fm, PS_REBASE_D_MAX, now), -ERANGE);
    assert_true(fault_map_get(&y.fm, id2)->time_ps == t2);
    assert_int_equal(fault_map_line_errors(&y.fm, first, now, &e, NULL), 1);
    assert_int_equal(fault_map_rebase(&y.fm, PS_REBASE_D_MAX + 1, now), -ERANGE);
    fault_map_free(&x.fm);
    fault_map_free(&y.fm);
}

/* A transient single-column fault (16 lines L) arriving at 1000 ps, its
 * lines L[1], L[3], L[5], L[7] written at 1500 ps: its four heal stretches
 * are in use, so a later heal keeps a time per line unless it grows one. */
static uint64_t column_stretches_used(struct fx *x, struct mem_fault *col, uint64_t L[16])
{
    fx_init(x, &small);
    *col = one_of_each[FAULT_SINGLE_COLUMN];
    col->permanent = false;
    col->time_ps = 1000;
    uint64_t id = fault_map_add(&x->fm, col);
    assert_int_equal(fault_map_footprint_lines(&x->fm, id), 16);
    for (uint64_t k = 0; k < 16; k++)
        L[k] = fault_map_nth_line(&x->fm, id, 0, k);
    for (unsigned k = 1; k <= 7; k += 2)
        fault_map_line_written(&x->fm, L[k], 1500);
    return id;
}

/* A pinned arrival and a write time over 2^63 ps later (the clock ran on
 * past 2^62 after the rebase), and a pinned write time and an arrival
 * over 2^63 ps after it, keep their order: the write heals the first and
 * not the second, per line (healed_on), once (the count that removes a
 * fault healed everywhere), and as a stretch grows over it (a line healed
 * by its time is skipped); a rebase then keeps both outcomes. */
static void test_pinned_times_order_with_later_ones(void **state)
{
    (void)state;
    struct fx x, y;
    struct mem_fault col;
    uint64_t L[16], id = column_stretches_used(&x, &col, L);
    const uint64_t now = 3000, w = PS_REBASE_AGE_MAX + 2 * now;
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(fault_map_rebase(&x.fm, PS_REBASE_D_MAX, now), 0);
    assert_true(fault_map_get(&x.fm, id)->time_ps == now - PS_REBASE_AGE_MAX); /* pinned */
    struct dram_line_bits e;
    fault_map_line_written(&x.fm, L[0], w);
    assert_int_equal(fault_map_line_errors(&x.fm, L[0], w, &e, NULL), 0);
    fault_map_line_written(&x.fm, L[0], w + 1); /* counts once */
    fault_map_line_written(&x.fm, L[9], w);
    fault_map_line_written(&x.fm, L[8], w);  /* grows L[7]'s stretch */
    fault_map_line_written(&x.fm, L[10], w); /* ...over L[9] */
    assert_true(fault_map_heal_next(&x.fm, id, L[9]) == L[9]);
    for (unsigned k = 2; k <= 14; k++)
        if (k % 2 == 0 || k > 10)
            fault_map_line_written(&x.fm, L[k], w);
    assert_non_null(fault_map_get(&x.fm, id)); /* L[15] is left */
    assert_int_equal(fault_map_line_errors(&x.fm, L[15], w, &e, NULL), 1);
    fault_map_free(&x.fm);

    /* y: L[0]'s write time pinned with the arrival it healed; a transient
     * arriving over 2^63 ps after it is not healed there, and a rebase
     * that pins the write time again (2^63 - 1000 ps old) keeps it so */
    id = column_stretches_used(&y, &col, L);
    fault_map_line_written(&y.fm, L[0], 2000);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(fault_map_rebase(&y.fm, PS_REBASE_D_MAX, now), 0);
    const uint64_t wp = *u64map_find(&y.fm.healed, L[0]);
    assert_true(wp == now - PS_REBASE_AGE_MAX && fault_map_get(&y.fm, id)->time_ps == wp);
    struct mem_fault later = col;
    later.device = 2;
    later.time_ps = wp + (1ull << 63) + 1000;
    uint64_t id2 = fault_map_add(&y.fm, &later);
    const uint64_t now2 = wp + (1ull << 63) - 1000;
    assert_int_equal(fault_map_line_errors(&y.fm, L[0], later.time_ps, &e, NULL), 1);
    assert_int_equal(e.cell[later.column % y.m.beats][2], later.dq_mask); /* later's, not col's */
    assert_int_equal(fault_map_rebase(&y.fm, 100, now2), 0);
    assert_true(*u64map_find(&y.fm.healed, L[0]) == now2 - PS_REBASE_AGE_MAX);
    assert_true(fault_map_get(&y.fm, id2)->time_ps == later.time_ps - 100);
    assert_int_equal(fault_map_line_errors(&y.fm, L[0], later.time_ps - 100, &e, NULL), 1);
    fault_map_free(&y.fm);
}

/* Counting a footprint's lines by rank and bank in one go gives, for
 * every mode and range, what enumerating the lines and looking at their
 * rank and bank bits gives. */
static void test_count_by_field_matches_enumeration(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &small);
    unsigned rs = addr_map_line_shift(&x.m, AF_RANK), bs = addr_map_line_shift(&x.m, AF_BANK);
    uint64_t rmask = ((1ull << x.m.f[AF_RANK].bits) - 1u) << rs;
    uint64_t bmask = ((1ull << x.m.f[AF_BANK].bits) - 1u) << bs;
    uint64_t field = rmask | bmask;
    for (unsigned mode = 0; mode < FAULT_MODE__COUNT; mode++) {
        struct mem_fault f = {.mode = (enum fault_mode)mode, .permanent = true, .channel = 1, .dimm = 1,
                              .rank = 1, .device = 2, .bank = 3, .row = 5, .column = 9, .dq_mask = 1};
        uint64_t id = fault_map_add(&x.fm, &f);
        assert_true(id != 0);
        struct fault_footprint fp;
        assert_true(fault_map_footprint(&x.fm, id, &fp));
        unsigned k = (unsigned)__builtin_popcountll(fp.free & field);
        if (k > 0) { /* more free bits than allowed: refused, cnt untouched */
            uint64_t one = 7;
            assert_false(footprint_count_by_field(&fp, 0, x.m.lines, field, k - 1, &one));
            assert_true(one == 7);
        }
        for (uint64_t from = 0; from < x.m.lines; from += 29)
            for (uint64_t to = from; to <= x.m.lines + 64; to += 41) {
                uint64_t cnt[1u << 8];
                assert_true(footprint_count_by_field(&fp, from, to, field, 8, cnt));
                uint64_t want[1u << 8] = {0}, total = 0;
                for (uint64_t l = footprint_next_line(&fp, from); l != FAULT_NO_LINE && l < to;
                     l = footprint_next_line(&fp, l + 1)) {
                    bool found = false;
                    for (uint64_t t = 0; t < (1ull << k); t++)
                        if (footprint_field_value(&fp, field, t) == (l & field)) {
                            want[t]++;
                            found = !found; /* exactly one group */
                        }
                    assert_true(found);
                    total++;
                }
                uint64_t sum = 0;
                for (uint64_t t = 0; t < (1ull << k); t++) {
                    assert_true(cnt[t] == want[t]);
                    sum += cnt[t];
                }
                assert_true(sum == total);
            }
        fault_map_remove(&x.fm, id);
    }
    fault_map_free(&x.fm);
}

/* The next line of any of several footprints is the least of each one's
 * next line, whose footprint it names, and a line two of them hold is a
 * tie: a column fault, a row fault crossing it, and a bank fault beside
 * them, walked line by line. */
static void test_next_line_of_several(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x, &small);
    const struct mem_fault fs[3] = {
        {.mode = FAULT_SINGLE_COLUMN, .permanent = true, .channel = 1, .rank = 1, .device = 2, .bank = 3,
         .column = 9, .dq_mask = 1},
        {.mode = FAULT_SINGLE_ROW, .permanent = true, .channel = 1, .rank = 1, .device = 4, .bank = 3, .row = 5,
         .dq_mask = 1},
        {.mode = FAULT_SINGLE_BANK, .permanent = true, .channel = 0, .rank = 0, .device = 1, .bank = 2, .dq_mask = 2},
    };
    struct fault_footprint fp[3];
    for (unsigned i = 0; i < 3; i++) {
        uint64_t id = fault_map_add(&x.fm, &fs[i]);
        assert_true(id != 0);
        assert_true(fault_map_footprint(&x.fm, id, &fp[i]));
    }
    unsigned ties = 0;
    /* the memo's answers: asked forward, and from each line back to 0 */
    struct footprint_next_memo memo[3] = {{UINT64_MAX, 0}, {UINT64_MAX, 0}, {UINT64_MAX, 0}};
    for (uint64_t from = 0; from <= x.m.lines; from++) {
        uint64_t want = FAULT_NO_LINE;
        size_t want_who = 0, holders = 0;
        for (size_t i = 0; i < 3; i++) {
            uint64_t l = footprint_next_line(&fp[i], from);
            if (l < want) {
                want = l;
                want_who = i;
            }
        }
        for (size_t i = 0; i < 3; i++)
            holders += want != FAULT_NO_LINE && footprint_covers(&fp[i], want);
        size_t who = 99;
        bool tie = true;
        uint64_t got = footprints_next_line(fp, 3, from, &who, &tie);
        assert_true(got == want);
        if (want != FAULT_NO_LINE)
            assert_true(who == want_who);
        assert_true(tie == (holders > 1));
        ties += tie && got == from;
        assert_true(footprints_next_line(fp, 3, from, NULL, NULL) == want);
        size_t mwho = 99;
        bool mtie = true;
        assert_true(footprints_next_line_memo(fp, 3, from, memo, &mwho, &mtie) == want);
        assert_true(mwho == who && mtie == tie);
        if (from % 97 == 0) /* a step back */
            assert_true(footprints_next_line_memo(fp, 3, from / 2, memo, NULL, NULL) ==
                        footprints_next_line(fp, 3, from / 2, NULL, NULL));
    }
    assert_true(ties == 1); /* the row crosses the column once */
    assert_true(footprints_next_line(fp, 0, 0, NULL, NULL) == FAULT_NO_LINE);
    fault_map_free(&x.fm);
}

/* bits_popcount64 (arch/bits.h) counts what a bit-by-bit loop counts:
 * edge words, single bits, and random words of every density. */
static unsigned popcount_loop(uint64_t v)
{
    unsigned n = 0;
    for (unsigned i = 0; i < 64; i++)
        n += (unsigned)(v >> i) & 1u;
    return n;
}

static void test_popcount_swar(void **state)
{
    (void)state;
    static const uint64_t edges[] = {0, 1, 0x8000000000000000ull, UINT64_MAX, UINT64_MAX - 1, 0xFFull,
                                     0x5555555555555555ull, 0xAAAAAAAAAAAAAAAAull, 0x0101010101010101ull};
    for (unsigned i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
        assert_int_equal(bits_popcount64(edges[i]), popcount_loop(edges[i]));
    assert_int_equal(bits_popcount64(UINT64_MAX), 64);
    for (unsigned b = 0; b < 64; b++)
        assert_int_equal(bits_popcount64(1ull << b), 1);
    struct mem_rng rng;
    mem_rng_init(&rng, 3, "test/bits/popcount");
    for (unsigned i = 0; i < 4096; i++) {
        uint64_t v = mem_rng_below(&rng, UINT64_MAX) ^ (mem_rng_below(&rng, UINT64_MAX) << 1);
        for (unsigned k = i % 4u; k; k--)
            v &= mem_rng_below(&rng, UINT64_MAX) | (mem_rng_below(&rng, 2) << 63); /* sparser words */
        assert_int_equal(bits_popcount64(v), popcount_loop(v));
    }
}

/* Packing and spreading bits (PEXT, PDEP): the dispatched calls (BMI2's
 * where fast) and the loops give what a bit at a time gives, for masks of
 * one run to many, and spread undoes pack on the mask's bits. */
static uint64_t pack_naive(uint64_t v, uint64_t m)
{
    uint64_t r = 0;
    unsigned k = 0;
    for (unsigned b = 0; b < 64; b++)
        if ((m >> b) & 1u)
            r |= ((v >> b) & 1u) << k++;
    return r;
}

static uint64_t spread_naive(uint64_t r, uint64_t m)
{
    uint64_t v = 0;
    unsigned k = 0;
    for (unsigned b = 0; b < 64; b++)
        if ((m >> b) & 1u)
            v |= ((r >> k++) & 1u) << b;
    return v;
}

static void test_pack_spread(void **state)
{
    (void)state;
    struct mem_rng r;
    mem_rng_init(&r, 11, "pack-spread");
    const uint64_t fixed[] = {0, ~0ull, 1, 1ull << 63, 0xff00ff00ff00ff00ull, 0x5555555555555555ull};
    for (unsigned i = 0; i < 20000; i++) {
        uint64_t m = i < 6 ? fixed[i] : mem_rng_next(&r);
        if (i >= 6 && i % 3 == 0)
            m &= mem_rng_next(&r); /* sparser masks */
        if (i >= 6 && i % 3 == 1)
            m = (~0ull >> mem_rng_below(&r, 64)) & ~((1ull << mem_rng_below(&r, 32)) - 1u); /* one run */
        const uint64_t v = mem_rng_next(&r), x = mem_rng_next(&r);
        const uint64_t p = pack_naive(v, m), d = spread_naive(x, m);
        assert_true(footprint_pack(v, m) == p && footprint_pack_soft(v, m) == p);
        assert_true(footprint_spread(x, m) == d && footprint_spread_soft(x, m) == d);
        assert_true(footprint_spread(footprint_pack(v, m), m) == (v & m));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_and_nth_line),
        cmocka_unit_test(test_popcount_swar),
        cmocka_unit_test(test_pack_spread),
        cmocka_unit_test(test_count_by_field_matches_enumeration),
        cmocka_unit_test(test_mode_footprints),
        cmocka_unit_test(test_single_row_hits_whole_row_only),
        cmocka_unit_test(test_faults_xor_and_remove),
        cmocka_unit_test(test_transient_removed_when_written),
        cmocka_unit_test(test_fault_invisible_before_arrival),
        cmocka_unit_test(test_wide_transient_healed_per_line),
        cmocka_unit_test(test_rebase_moves_arrivals),
        cmocka_unit_test(test_rebase_pins_old_times),
        cmocka_unit_test(test_pinned_times_order_with_later_ones),
        cmocka_unit_test(test_wide_transient_removed_when_healed_everywhere),
        cmocka_unit_test(test_rejects_bad_faults),
        cmocka_unit_test(test_next_line_matches_enumeration),
        cmocka_unit_test(test_next_line_of_several),
        cmocka_unit_test(test_runs_alike_is_sufficient),
        cmocka_unit_test(test_hundred_thousand_faults_indexed),
        cmocka_unit_test(test_mode_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
