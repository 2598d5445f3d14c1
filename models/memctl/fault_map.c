/*
 * fault_map.c - the indexed fault set of fault_map.h.
 *
 * Main structure: a slot array of faults; each live slot is on one doubly
 * linked chain, reached from the hash map of its level by its key (the
 * line index with the fields its mode leaves free zeroed). slot_by_id,
 * indexed by id (ids count up, so an array, not a hash: every scrub step
 * looks its fault up), gives the slots; healed keeps, for lines covered by wide transient faults, the
 * time of their last full write.
 *
 * Invariants: a slot with id != 0 is on exactly one chain, and its level
 * map holds the chain's first slot under its key; free slots have id == 0
 * and are chained through next from free_head.
 */
#include "models/memctl/fault_map.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/bits.h"
#include "arch/ps_rebase.h"

#define NO_SLOT UINT32_MAX

enum fix { FIX_RANK = 1u, FIX_BANK = 2u, FIX_ROW = 4u, FIX_COLUMN = 8u };

struct mode_spec {
    const char *name;
    unsigned fix;   /* location fields the mode pins (channel/dimm/device always) */
    unsigned level; /* index map that holds it: one per distinct fix set */
    bool one_dq;    /* dq_mask must be a single bit */
};

static const struct mode_spec modes[FAULT_MODE__COUNT] = {
    [FAULT_SINGLE_BIT] = {"single-bit", FIX_RANK | FIX_BANK | FIX_ROW | FIX_COLUMN, 0, true},
    [FAULT_SINGLE_WORD] = {"single-word", FIX_RANK | FIX_BANK | FIX_ROW | FIX_COLUMN, 0, false},
    [FAULT_SINGLE_COLUMN] = {"single-column", FIX_RANK | FIX_BANK | FIX_COLUMN, 1, false},
    [FAULT_SINGLE_ROW] = {"single-row", FIX_RANK | FIX_BANK | FIX_ROW, 2, false},
    [FAULT_SINGLE_BANK] = {"single-bank", FIX_RANK | FIX_BANK, 3, false},
    [FAULT_MULTI_BANK] = {"multi-bank", FIX_RANK, 4, false},
    [FAULT_MULTI_RANK] = {"multi-rank", 0, 5, false},
};

/* The fix set of each level (the modes above, without repeats). */
static const unsigned level_fix[FAULT_LEVELS] = {
    FIX_RANK | FIX_BANK | FIX_ROW | FIX_COLUMN, FIX_RANK | FIX_BANK | FIX_COLUMN, FIX_RANK | FIX_BANK | FIX_ROW,
    FIX_RANK | FIX_BANK, FIX_RANK, 0,
};

const char *fault_mode_name(enum fault_mode m)
{
    return (unsigned)m < FAULT_MODE__COUNT ? modes[m].name : "?";
}

int fault_mode_from_name(const char *name)
{
    for (unsigned m = 0; name && m < FAULT_MODE__COUNT; m++)
        if (strcmp(name, modes[m].name) == 0)
            return (int)m;
    return -1;
}

/* ---- keys -------------------------------------------------------------------- */

static uint64_t at_field(const struct addr_map *m, enum addr_field f, unsigned v)
{
    return (uint64_t)v << addr_map_line_shift(m, f);
}

static uint64_t fix_mask(const struct addr_map *m, unsigned fix)
{
    uint64_t mask = addr_map_line_mask(m, AF_CHANNEL) | addr_map_line_mask(m, AF_DIMM);
    if (fix & FIX_RANK)
        mask |= addr_map_line_mask(m, AF_RANK);
    if (fix & FIX_BANK)
        mask |= addr_map_line_mask(m, AF_BANK);
    if (fix & FIX_ROW)
        mask |= addr_map_line_mask(m, AF_ROW);
    if (fix & FIX_COLUMN)
        mask |= addr_map_line_mask(m, AF_COLGROUP);
    return mask;
}

/* The fault's key: its fixed fields in place in a line index. */
static uint64_t fault_key(const struct fault_map *fm, const struct mem_fault *f)
{
    const struct addr_map *m = &fm->map;
    uint64_t key = at_field(m, AF_CHANNEL, f->channel) | at_field(m, AF_DIMM, f->dimm) |
                   at_field(m, AF_RANK, f->rank) | at_field(m, AF_BANK, f->bank) | at_field(m, AF_ROW, f->row) |
                   at_field(m, AF_COLGROUP, f->column / m->beats);
    return key & fm->level_mask[modes[f->mode].level];
}

/* ---- life cycle ------------------------------------------------------------ */

int fault_map_init(struct fault_map *fm, const struct addr_map *m)
{
    memset(fm, 0, sizeof(*fm));
    fm->map = *m;
    for (unsigned l = 0; l < FAULT_LEVELS; l++) {
        fm->level_mask[l] = fix_mask(m, level_fix[l]);
        u64map_init(&fm->level[l]);
    }
    u64map_init(&fm->healed);
    fm->free_head = NO_SLOT;
    fm->next_id = 1;
    return 0;
}

void fault_map_free(struct fault_map *fm)
{
    for (unsigned l = 0; l < FAULT_LEVELS; l++)
        u64map_free(&fm->level[l]);
    free(fm->slot_by_id);
    fm->slot_by_id = NULL;
    fm->ids_cap = 0;
    u64map_free(&fm->healed);
    free(fm->slot);
    fm->slot = NULL;
    fm->nslots = fm->cap = 0;
    fm->live = 0;
}


const char *fault_check(const struct addr_map *m, const struct mem_fault *f)
{
    const struct mem_geometry *g = &m->g;
    if ((unsigned)f->mode >= FAULT_MODE__COUNT)
        return "unknown fault mode";
    unsigned fix = modes[f->mode].fix;
    if (f->channel >= g->channels || f->dimm >= g->dimms_per_channel || f->device >= m->devices)
        return "channel, dimm or device outside the geometry";
    if (((fix & FIX_RANK) && f->rank >= g->ranks_per_dimm) || ((fix & FIX_BANK) && f->bank >= g->banks_per_rank) ||
        ((fix & FIX_ROW) && f->row >= g->rows) || ((fix & FIX_COLUMN) && f->column >= g->columns))
        return "rank, bank, row or column outside the geometry";
    if (f->dq_mask == 0 || f->dq_mask >= (1u << g->device_width))
        return "dq_mask must be non-zero and within the device width";
    if (modes[f->mode].one_dq && bits_popcount64(f->dq_mask) != 1)
        return "a single-bit fault flips exactly one DQ";
    return NULL;
}

/* Zero the fields the mode does not pin, so equal faults compare equal. */
static struct mem_fault normalised(const struct mem_fault *f)
{
    struct mem_fault n = *f;
    unsigned fix = modes[f->mode].fix;
    if (!(fix & FIX_RANK))
        n.rank = 0;
    if (!(fix & FIX_BANK))
        n.bank = 0;
    if (!(fix & FIX_ROW))
        n.row = 0;
    if (!(fix & FIX_COLUMN))
        n.column = 0;
    return n;
}

static uint32_t slot_alloc(struct fault_map *fm)
{
    if (fm->free_head != NO_SLOT) {
        uint32_t s = fm->free_head;
        fm->free_head = fm->slot[s].next;
        return s;
    }
    if (fm->nslots == fm->cap) {
        uint32_t ncap = fm->cap ? fm->cap * 2u : 64u;
        struct fault_slot *n = realloc(fm->slot, (size_t)ncap * sizeof(*n));
        if (!n)
            return NO_SLOT;
        fm->slot = n;
        fm->cap = ncap;
    }
    return fm->nslots++;
}

static void slot_release(struct fault_map *fm, uint32_t s)
{
    fm->slot[s].id = 0;
    fm->slot[s].next = fm->free_head;
    fm->free_head = s;
}

/* Room in slot_by_id for id; -1 out of memory. */
static int ids_reserve(struct fault_map *fm, uint64_t id)
{
    if (id < fm->ids_cap)
        return 0;
    uint64_t ncap = fm->ids_cap ? fm->ids_cap * 2u : 64u;
    while (ncap <= id)
        ncap *= 2u;
    uint32_t *n = realloc(fm->slot_by_id, (size_t)ncap * sizeof(*n));
    if (!n)
        return -1;
    for (uint64_t i = fm->ids_cap; i < ncap; i++)
        n[i] = NO_SLOT;
    fm->slot_by_id = n;
    fm->ids_cap = ncap;
    return 0;
}

uint64_t fault_map_add(struct fault_map *fm, const struct mem_fault *f)
{
    if (fault_check(&fm->map, f) || ids_reserve(fm, fm->next_id) != 0)
        return 0;
    uint32_t s = slot_alloc(fm);
    if (s == NO_SLOT)
        return 0;
    struct fault_slot *sl = &fm->slot[s];
    sl->f = normalised(f);
    sl->level = (uint8_t)modes[f->mode].level;
    sl->key = fault_key(fm, &sl->f);
    sl->id = fm->next_id;
    sl->prev = NO_SLOT;
    sl->healed_lines = 0;
    sl->nheal = 0;
    struct u64map *lv = &fm->level[sl->level];
    uint64_t *head = u64map_find(lv, sl->key);
    sl->next = head ? (uint32_t)*head : NO_SLOT;
    if (u64map_put(lv, sl->key, s) != 0) { /* out of memory: nothing changed */
        slot_release(fm, s);
        return 0;
    }
    fm->slot_by_id[sl->id] = s;
    if (sl->next != NO_SLOT)
        fm->slot[sl->next].prev = s;
    fm->next_id++;
    fm->live++;
    return sl->id;
}

static uint32_t slot_of_id(const struct fault_map *fm, uint64_t id)
{
    return id < fm->ids_cap ? fm->slot_by_id[id] : NO_SLOT; /* id 0 is never given */
}

bool fault_map_remove(struct fault_map *fm, uint64_t id)
{
    uint32_t s = slot_of_id(fm, id);
    if (s == NO_SLOT)
        return false;
    struct fault_slot *sl = &fm->slot[s];
    if (sl->prev != NO_SLOT)
        fm->slot[sl->prev].next = sl->next;
    else if (sl->next != NO_SLOT)
        u64map_put(&fm->level[sl->level], sl->key, sl->next); /* replaces: cannot fail */
    else
        u64map_remove(&fm->level[sl->level], sl->key);
    if (sl->next != NO_SLOT)
        fm->slot[sl->next].prev = sl->prev;
    fm->slot_by_id[id] = NO_SLOT;
    slot_release(fm, s);
    fm->live--;
    return true;
}

const struct mem_fault *fault_map_get(const struct fault_map *fm, uint64_t id)
{
    uint32_t s = slot_of_id(fm, id);
    return s == NO_SLOT ? NULL : &fm->slot[s].f;
}

bool fault_map_iter(const struct fault_map *fm, size_t *pos, uint64_t *id, const struct mem_fault **f)
{
    for (; *pos < fm->nslots; (*pos)++) {
        const struct fault_slot *sl = &fm->slot[*pos];
        if (sl->id == 0)
            continue;
        if (id)
            *id = sl->id;
        if (f)
            *f = &sl->f;
        (*pos)++;
        return true;
    }
    return false;
}

/* ---- reading a line ------------------------------------------------------------ */

/* First slot of the chain of level l that could cover line. */
static uint32_t chain_head(const struct fault_map *fm, unsigned l, uint64_t line)
{
    uint64_t *v = u64map_find(&fm->level[l], line & fm->level_mask[l]);
    return v ? (uint32_t)*v : NO_SLOT;
}

/* Arrived by now_ps (UINT64_MAX: by the end of time, whatever the times;
 * ps_at_or_before: a pinned arrival may lie over 2^63 ps before now_ps). */
static bool arrived(const struct mem_fault *f, uint64_t now_ps)
{
    return now_ps == UINT64_MAX || ps_at_or_before(f->time_ps, now_ps);
}

static bool in_heal_range(const struct fault_slot *sl, uint64_t line)
{
    for (unsigned i = 0; i < sl->nheal; i++)
        if (line >= sl->heal_lo[i] && line < sl->heal_hi[i])
            return true;
    return false;
}

/* A transient fault is healed on a line written at or after its arrival:
 * in one of its heal stretches, or by the line's last write time
 * (ps_at_or_before: a pinned arrival or write time may lie over 2^63 ps
 * from the other). */
static bool healed_on(const struct fault_slot *sl, uint64_t line, const uint64_t *write_time)
{
    return !sl->f.permanent &&
           (in_heal_range(sl, line) || (write_time && ps_at_or_before(sl->f.time_ps, *write_time)));
}

/* Slot sl's first footprint line at or after from that is not healed by a
 * per-line write time (lines so healed are skipped: a stretch may grow
 * over them). */
static uint64_t next_unhealed(const struct fault_map *fm, const struct fault_slot *sl,
                              const struct fault_footprint *fp, uint64_t from)
{
    uint64_t line = from < fp->lines ? footprint_next_line(fp, from) : FAULT_NO_LINE;
    while (line != FAULT_NO_LINE) {
        const uint64_t *w = u64map_find(&fm->healed, line);
        if (!w || !ps_at_or_before(sl->f.time_ps, *w))
            return line;
        line = line + 1 < fp->lines ? footprint_next_line(fp, line + 1) : FAULT_NO_LINE;
    }
    return line;
}

/* Note sl's lines from..last (walk order, none healed) healed by growing a
 * stretch that ends just before from, or starting one; false when neither
 * can (every stretch in use). */
static bool heal_grow(const struct fault_map *fm, struct fault_slot *sl, uint64_t from, uint64_t last)
{
    struct fault_footprint fp;
    if (!fault_map_footprint(fm, sl->id, &fp))
        return false;
    for (unsigned i = 0; i < sl->nheal; i++)
        if (next_unhealed(fm, sl, &fp, sl->heal_hi[i]) == from) {
            sl->heal_hi[i] = last + 1;
            return true;
        }
    if (sl->nheal == FAULT_HEAL_RANGES)
        return false;
    sl->heal_lo[sl->nheal] = from;
    sl->heal_hi[sl->nheal] = last + 1;
    sl->nheal++;
    return true;
}

uint64_t fault_map_heal_next(const struct fault_map *fm, uint64_t id, uint64_t from)
{
    uint32_t s = slot_of_id(fm, id);
    uint64_t first = FAULT_NO_LINE;
    if (s == NO_SLOT)
        return first;
    const struct fault_slot *sl = &fm->slot[s];
    for (unsigned i = 0; i < sl->nheal; i++) {
        uint64_t lo = sl->heal_lo[i] > from ? sl->heal_lo[i] : from;
        if (lo < sl->heal_hi[i] && lo < first)
            first = lo;
    }
    return first;
}

static void apply(const struct fault_map *fm, const struct mem_fault *f, struct dram_line_bits *err)
{
    unsigned beats = fm->map.beats;
    if (modes[f->mode].fix & FIX_COLUMN) {
        err->cell[f->column % beats][f->device] ^= f->dq_mask; /* one beat of the burst */
        return;
    }
    for (unsigned b = 0; b < beats; b++)
        err->cell[b][f->device] ^= f->dq_mask;
}

static void note_hit(struct fault_hits *hits, uint64_t id)
{
    if (hits->n < FAULT_HITS_MAX)
        hits->id[hits->n] = id;
    hits->n++;
}

unsigned fault_map_line_errors(const struct fault_map *fm, uint64_t line, uint64_t now_ps,
                               struct dram_line_bits *err, struct fault_hits *hits)
{
    struct fault_hits local;
    if (!hits)
        hits = &local;
    memset(hits, 0, sizeof(*hits));
    memset(err, 0, sizeof(*err));
    const uint64_t *write_time = u64map_find(&fm->healed, line);
    for (unsigned l = 0; l < FAULT_LEVELS; l++)
        for (uint32_t s = chain_head(fm, l, line); s != NO_SLOT; s = fm->slot[s].next) {
            const struct fault_slot *sl = &fm->slot[s];
            hits->examined++;
            if (!arrived(&sl->f, now_ps) || healed_on(sl, line, write_time))
                continue;
            apply(fm, &sl->f, err);
            note_hit(hits, sl->id);
        }
    return hits->n;
}

bool fault_map_fault_errors(const struct fault_map *fm, uint64_t id, struct dram_line_bits *err)
{
    const struct mem_fault *f = fault_map_get(fm, id);
    memset(err, 0, sizeof(*err));
    if (!f)
        return false;
    apply(fm, f, err);
    return true;
}

void fault_map_line_written(struct fault_map *fm, uint64_t line, uint64_t now_ps)
{
    bool keep_time = false;
    const uint64_t *was = u64map_find(&fm->healed, line);
    uint64_t was_ps = was ? *was : 0;
    for (unsigned l = 0; l < FAULT_LEVELS; l++) {
        uint32_t s = chain_head(fm, l, line);
        while (s != NO_SLOT) {
            struct fault_slot *sl = &fm->slot[s];
            uint32_t next = sl->next; /* sl may be released below */
            if (!sl->f.permanent && arrived(&sl->f, now_ps)) {
                if (l == 0) {
                    fault_map_remove(fm, sl->id); /* its whole footprint is this line */
                } else {
                    /* A line counts once: not if an earlier write healed
                     * it. A fresh heal grows a stretch where it can (the
                     * scrubber writes lines back in walk order), else it
                     * keeps the line's time. */
                    bool counted = in_heal_range(sl, line) || (was && ps_at_or_before(sl->f.time_ps, was_ps));
                    if (!counted && !heal_grow(fm, sl, line, line))
                        keep_time = true;
                    if (!counted && ++sl->healed_lines == fault_map_footprint_lines(fm, sl->id))
                        fault_map_remove(fm, sl->id); /* healed everywhere */
                }
            }
            s = next;
        }
    }
    if (keep_time)
        u64map_put(&fm->healed, line, now_ps); /* on failure the fault just stays visible */
}

bool fault_map_heal_stretch(struct fault_map *fm, uint64_t id, uint64_t from, uint64_t last, uint64_t n)
{
    uint32_t s = slot_of_id(fm, id);
    if (s == NO_SLOT || n == 0)
        return false;
    struct fault_slot *sl = &fm->slot[s];
    struct fault_footprint fp;
    if (sl->f.permanent || !fault_map_footprint(fm, id, &fp))
        return false;
    if (!heal_grow(fm, sl, from, last)) /* every stretch in use: a time per line */
        for (uint64_t l = from; l <= last && l != FAULT_NO_LINE;
             l = l + 1 < fp.lines ? footprint_next_line(&fp, l + 1) : FAULT_NO_LINE)
            (void)u64map_put(&fm->healed, l, sl->f.time_ps); /* on failure the line stays visible */
    sl->healed_lines += n;
    if (sl->healed_lines < fault_map_footprint_lines(fm, id))
        return false;
    fault_map_remove(fm, id); /* healed everywhere */
    return true;
}

/* ---- rebase (arch/ps_rebase.h) --------------------------------------------------- */

/* A line's last write at w keeps masking exactly the transient faults on
 * the line it masked before, once both are moved (only a pinned w can
 * change an outcome: a fault arrived after it and pinned as well). */
static bool heal_kept(const struct fault_map *fm, uint64_t line, uint64_t w, uint64_t d_ps, uint64_t now_ps)
{
    uint64_t moved = ps_rebase(w, d_ps, now_ps);
    for (unsigned l = 0; l < FAULT_LEVELS; l++)
        for (uint32_t s = chain_head(fm, l, line); s != NO_SLOT; s = fm->slot[s].next) {
            const struct mem_fault *f = &fm->slot[s].f;
            bool was = ps_at_or_before(f->time_ps, w), is = ps_at_or_before(ps_rebase(f->time_ps, d_ps, now_ps), moved);
            if (!f->permanent && was != is)
                return false;
        }
    return true;
}

int fault_map_can_rebase(const struct fault_map *fm, uint64_t d_ps, uint64_t now_ps)
{
    if (d_ps > PS_REBASE_D_MAX)
        return -ERANGE;
    size_t pos = 0;
    uint64_t line, w;
    while (u64map_iter(&fm->healed, &pos, &line, &w))
        if (ps_rebase_pins(w, d_ps, now_ps) && !heal_kept(fm, line, w, d_ps, now_ps))
            return -ERANGE;
    return 0;
}

int fault_map_rebase(struct fault_map *fm, uint64_t d_ps, uint64_t now_ps)
{
    int rc = fault_map_can_rebase(fm, d_ps, now_ps);
    if (rc)
        return rc;
    for (uint32_t i = 0; i < fm->nslots; i++)
        if (fm->slot[i].id)
            fm->slot[i].f.time_ps = ps_rebase(fm->slot[i].f.time_ps, d_ps, now_ps);
    size_t pos = 0;
    uint64_t line, w;
    while (u64map_iter(&fm->healed, &pos, &line, &w))
        *u64map_find(&fm->healed, line) = ps_rebase(w, d_ps, now_ps);
    return 0;
}

/* ---- footprints in line-index space --------------------------------------------- */

/*
 * A footprint is key + f for every submask f of free (its free bits), so
 * its lines in increasing order are key + spread(r, free) for r = 0, 1,
 * ...: counting and picking lines are packing and spreading bits. The
 * free bits are a few contiguous runs (the address fields a mode leaves
 * free), so both go a run at a time.
 */

/* The bits of v at free's positions, packed together (software PEXT). */
uint64_t footprint_pack_soft(uint64_t v, uint64_t free)
{
    uint64_t r = 0;
    unsigned pos = 0;
    while (free) {
        unsigned lo = (unsigned)__builtin_ctzll(free);
        uint64_t run = free >> lo;
        unsigned len = run == UINT64_MAX ? 64u : (unsigned)__builtin_ctzll(~run);
        uint64_t ones = len >= 64 ? UINT64_MAX : (1ull << len) - 1u;
        r |= ((v >> lo) & ones) << pos;
        pos += len;
        free &= ~(ones << lo);
    }
    return r;
}

/* The low bits of r spread over free's positions (software PDEP). */
uint64_t footprint_spread_soft(uint64_t r, uint64_t free)
{
    uint64_t v = 0;
    while (free && r) {
        unsigned lo = (unsigned)__builtin_ctzll(free);
        uint64_t run = free >> lo;
        unsigned len = run == UINT64_MAX ? 64u : (unsigned)__builtin_ctzll(~run);
        uint64_t ones = len >= 64 ? UINT64_MAX : (1ull << len) - 1u;
        v |= (r & ones) << lo;
        r = len >= 64 ? 0 : r >> len;
        free &= ~(ones << lo);
    }
    return v;
}

/* BMI2's PEXT and PDEP pack and spread in one instruction where they are
 * fast: Intel's, and AMD's from Zen 3 (Zen 1 and 2 run them in microcode,
 * slower than the loops above). The same values either way; the build
 * targets plain x86-64, so they are chosen at run time (fleet linux-6
 * 6748: a quarter of its year ranked footprint lines). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
__attribute__((target("bmi2"))) static uint64_t pext_bmi2(uint64_t v, uint64_t m)
{
    return _pext_u64(v, m);
}
__attribute__((target("bmi2"))) static uint64_t pdep_bmi2(uint64_t v, uint64_t m)
{
    return _pdep_u64(v, m);
}
static bool bmi2_fast(void)
{
    return __builtin_cpu_supports("bmi2") && !__builtin_cpu_is("znver1") && !__builtin_cpu_is("znver2");
}
#define FOOTPRINT_BMI2 1
#endif

uint64_t footprint_pack(uint64_t v, uint64_t free)
{
#ifdef FOOTPRINT_BMI2
    if (bmi2_fast())
        return pext_bmi2(v, free);
#endif
    return footprint_pack_soft(v, free);
}

uint64_t footprint_spread(uint64_t r, uint64_t free)
{
#ifdef FOOTPRINT_BMI2
    if (bmi2_fast())
        return pdep_bmi2(r, free);
#endif
    return footprint_spread_soft(r, free);
}

/* Submasks of free below x: the rank of the least submask >= x, which is
 * that submask with free's bits packed together (submasks and their packed
 * values are in the same order); all of them when there is none. */
static uint64_t submasks_below(uint64_t free, uint64_t x)
{
    uint64_t y = footprint_submask_at_least(free, x);
    if (y == FAULT_NO_LINE)
        return 1ull << bits_popcount64(free); /* lines < 2^52: no overflow */
    return footprint_pack(y, free);
}

static uint64_t fp_count(const struct fault_footprint *fp, uint64_t from, uint64_t to)
{
    if (from >= to)
        return 0;
    uint64_t lo = from > fp->key ? submasks_below(fp->free, from - fp->key) : 0;
    uint64_t hi = to > fp->key ? submasks_below(fp->free, to - fp->key) : 0;
    return hi - lo;
}

bool fault_map_footprint(const struct fault_map *fm, uint64_t id, struct fault_footprint *fp)
{
    uint32_t s = slot_of_id(fm, id);
    if (s == NO_SLOT)
        return false;
    fp->key = fm->slot[s].key;
    fp->free = (fm->map.lines - 1u) & ~fm->level_mask[fm->slot[s].level];
    fp->lines = fm->map.lines;
    return true;
}

bool footprint_intersect(const struct fault_footprint *a, const struct fault_footprint *b,
                         struct fault_footprint *o)
{
    uint64_t pinned_both = ~a->free & ~b->free;
    if (((a->key ^ b->key) & pinned_both) != 0)
        return false;
    o->free = a->free & b->free;
    o->key = (a->key | b->key) & ~o->free;
    o->lines = a->lines < b->lines ? a->lines : b->lines;
    return true;
}

uint64_t footprint_line_after(const struct fault_footprint *fp, uint64_t line)
{
    const uint64_t f = ((((line - fp->key) & fp->free) | ~fp->free) + 1u) & fp->free;
    return f == 0 || fp->key + f >= fp->lines ? FAULT_NO_LINE : fp->key + f; /* 0: past the last */
}

uint64_t footprints_next_line(const struct fault_footprint *fp, size_t n, uint64_t from, size_t *who, bool *tie)
{
    return footprints_next_line_memo(fp, n, from, NULL, who, tie);
}

uint64_t footprints_next_line_memo(const struct fault_footprint *fp, size_t n, uint64_t from,
                                   struct footprint_next_memo *memo, size_t *who, bool *tie)
{
    uint64_t l = FAULT_NO_LINE;
    size_t w = 0;
    bool t = false;
    for (size_t i = 0; i < n; i++) {
        uint64_t x;
        if (!memo) {
            x = footprint_next_line(&fp[i], from);
        } else {
            if (!(memo[i].from <= from && from <= memo[i].line))
                memo[i] = (struct footprint_next_memo){from, footprint_next_line(&fp[i], from)};
            x = memo[i].line;
        }
        if (x < l) {
            l = x;
            w = i;
            t = false;
        } else if (x == l && x != FAULT_NO_LINE) {
            t = true;
        }
    }
    if (who)
        *who = w;
    if (tie)
        *tie = t;
    return l;
}

uint64_t footprint_rank(const struct fault_footprint *fp, uint64_t line)
{
    const uint64_t to = line < fp->lines ? line : fp->lines;
    return to > fp->key ? submasks_below(fp->free, to - fp->key) : 0;
}

uint64_t footprint_count_lines_where(const struct fault_footprint *fp, uint64_t from, uint64_t to, uint64_t mask,
                                     uint64_t val)
{
    if (to > fp->lines)
        to = fp->lines;
    if (((fp->key ^ val) & mask & ~fp->free) != 0)
        return 0; /* the condition contradicts a pinned field */
    /* Bits the condition pins become part of the key. */
    struct fault_footprint sub = {fp->key | (val & mask & fp->free), fp->free & ~mask, fp->lines};
    return fp_count(&sub, from, to);
}

/* diff[t] += (or -=, when sub) the change, at t, of how many ranks i < n
 * have their bits at q's positions, packed, equal to t: the counts are the
 * prefix sums of diff. The ranks below n are, for each bit j set in n, a
 * block: n's bits above j, 0 at j, anything below; in a block the q bits
 * above j are fixed and those below (the low kb packed bits) take every
 * value equally often, so the block adds 2^(j - kb) to a run of 2^kb
 * consecutive t. */
static void count_ranks_below(uint64_t n, uint64_t q, bool sub, uint64_t *diff)
{
    for (uint64_t rest = n; rest; rest &= rest - 1u) {
        unsigned j = (unsigned)__builtin_ctzll(rest);
        uint64_t above = j >= 63 ? 0 : ~((2ull << j) - 1u);
        unsigned kb = (unsigned)bits_popcount64(q & ((1ull << j) - 1u));
        uint64_t each = 1ull << (j - kb);
        uint64_t fixed = footprint_pack(n & above & q, q);
        diff[fixed] += sub ? (uint64_t)0 - each : each;
        diff[fixed + (1ull << kb)] -= sub ? (uint64_t)0 - each : each;
    }
}

bool footprint_count_by_field(const struct fault_footprint *fp, uint64_t from, uint64_t to, uint64_t field,
                              unsigned max_bits, uint64_t *cnt)
{
    uint64_t q_line = field & fp->free;
    unsigned k = (unsigned)bits_popcount64(q_line);
    if (k > max_bits || k > FOOTPRINT_FIELD_BITS_MAX)
        return false;
    size_t groups = (size_t)1 << k;
    memset(cnt, 0, groups * sizeof(*cnt));
    if (to > fp->lines)
        to = fp->lines;
    if (from >= to)
        return true;
    /* ranks (places among the footprint's lines) of from and to */
    uint64_t i0 = from > fp->key ? submasks_below(fp->free, from - fp->key) : 0;
    uint64_t i1 = to > fp->key ? submasks_below(fp->free, to - fp->key) : 0;
    if (i1 <= i0)
        return true;
    uint64_t q = footprint_pack(q_line, fp->free); /* field's free bits among a rank's bits */
    uint64_t diff[(1u << FOOTPRINT_FIELD_BITS_MAX) + 1u];
    memset(diff, 0, (groups + 1u) * sizeof(*diff));
    count_ranks_below(i1, q, false, diff);
    count_ranks_below(i0, q, true, diff);
    uint64_t run = 0;
    for (size_t t = 0; t < groups; t++)
        cnt[t] = run += diff[t];
    return true;
}

uint64_t footprint_field_value(const struct fault_footprint *fp, uint64_t field, uint64_t t)
{
    return (fp->key & field) | footprint_spread(t, field & fp->free);
}

uint64_t footprint_nth_line(const struct fault_footprint *fp, uint64_t from, uint64_t k)
{
    uint64_t total = 1ull << bits_popcount64(fp->free); /* lines < 2^52: no overflow */
    uint64_t r0 = from > fp->key ? submasks_below(fp->free, from - fp->key) : 0;
    if (r0 >= total || k >= total - r0)
        return FAULT_NO_LINE;
    return fp->key | footprint_spread(r0 + k, fp->free);
}

/* The line at rank r is key + the deposit of r's bits on the free bits; a
 * run's ranks q + i change only bits below B, so line i's offset from the
 * first is deposit(low + i) - deposit(low), low = q's bits below B. Where
 * rank bits a..B-1 land on address bits in a row, their deposit is a
 * shift, and the offsets depend on q's bits below a alone. */
bool footprint_runs_alike(const struct fault_footprint *fp, uint64_t q, uint64_t q2, uint64_t n)
{
    if (n <= 1)
        return true;
    const uint64_t reach = (q ^ (q + n - 1u)) | (q2 ^ (q2 + n - 1u));
    const unsigned b = 64u - (unsigned)__builtin_clzll(reach); /* rank bits 0..b-1 */
    if (b > (unsigned)bits_popcount64(fp->free))
        return false;
    unsigned a = 0, prev = 0, r = 0;
    for (uint64_t f = fp->free; r < b; f &= f - 1u, r++) {
        const unsigned pos = (unsigned)__builtin_ctzll(f);
        if (r == 0 || pos != prev + 1u)
            a = r; /* a new stretch of address bits begins */
        prev = pos;
    }
    return ((q ^ q2) & ((1ull << a) - 1u)) == 0;
}

uint64_t fault_map_next_line(const struct fault_map *fm, uint64_t id, uint64_t from)
{
    struct fault_footprint fp;
    return fault_map_footprint(fm, id, &fp) ? footprint_next_line(&fp, from) : FAULT_NO_LINE;
}

uint64_t fault_map_count_lines_where(const struct fault_map *fm, uint64_t id, uint64_t from, uint64_t to,
                                     uint64_t mask, uint64_t val)
{
    struct fault_footprint fp;
    return fault_map_footprint(fm, id, &fp) ? footprint_count_lines_where(&fp, from, to, mask, val) : 0;
}

uint64_t fault_map_nth_line(const struct fault_map *fm, uint64_t id, uint64_t from, uint64_t k)
{
    struct fault_footprint fp;
    return fault_map_footprint(fm, id, &fp) ? footprint_nth_line(&fp, from, k) : FAULT_NO_LINE;
}

uint64_t fault_map_count_lines(const struct fault_map *fm, uint64_t id, uint64_t from, uint64_t to)
{
    return fault_map_count_lines_where(fm, id, from, to, 0, 0);
}

bool fault_map_covers(const struct fault_map *fm, uint64_t id, uint64_t line)
{
    uint32_t s = slot_of_id(fm, id);
    if (s == NO_SLOT || line >= fm->map.lines)
        return false;
    const struct fault_slot *sl = &fm->slot[s];
    return (line & fm->level_mask[sl->level]) == sl->key;
}

uint64_t fault_map_footprint_lines(const struct fault_map *fm, uint64_t id)
{
    struct fault_footprint fp;
    return fault_map_footprint(fm, id, &fp) ? 1ull << bits_popcount64(fp.free) : 0;
}
