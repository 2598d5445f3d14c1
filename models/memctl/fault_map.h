/*
 * fault_map.h - the DRAM faults of one host and which stored bits they flip.
 *
 * A fault lives in one device position (channel, DIMM, rank, device) and
 * covers a footprint given by its mode, the fault modes of Sridharan &
 * Liberty (SC'12):
 *
 *   mode           fixed location fields            footprint in that device
 *   single-bit     rank bank row column, 1 DQ       one bit of one column
 *   single-word    rank bank row column             the DQs of dq_mask at one column
 *   single-column  rank bank column                 one column in every row of the bank
 *   single-row     rank bank row                    every column of one row
 *   single-bank    rank bank                        every row and column of one bank
 *   multi-bank     rank                             every bank of the rank
 *   multi-rank     (none)                           the same device position in every
 *                                                   rank of the DIMM, every bank
 *
 * Channel, DIMM and device are always fixed. In every beat a fault covers,
 * it flips the DQ bits of dq_mask of its device (an XOR error mask: ECC
 * codes are linear, so the outcome of a read depends only on the mask, not
 * on the data). Fields a mode does not fix are ignored and stored as 0.
 *
 * Transient faults disappear when their cells are rewritten: a write to a
 * line heals every transient fault that arrived at or before the write
 * (single-line transients are removed outright; for wider ones the line's
 * last write time is kept and masks them on that line only). Permanent
 * faults stay until removed.
 *
 * Index: reading a line must not scan all faults (100,000 and more). Each
 * fault is filed in one of six hash maps by the set of fields its mode
 * fixes; the key is the line index with the other fields zeroed. A read
 * computes the six keys of its line and walks six short chains.
 *
 * Times are compared as arch/ps_rebase.h says, so that a rebase may move
 * arrivals and write times below 0 (fault_map_rebase).
 *
 * Faults have ids 1, 2, 3, ... in order of addition, never reused.
 * Iteration order is slot order, a pure function of the add/remove history.
 */
#ifndef MODELS_MEMCTL_FAULT_MAP_H
#define MODELS_MEMCTL_FAULT_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/memctl/addr_map.h"
#include "models/memctl/u64map.h"

enum fault_mode {
    FAULT_SINGLE_BIT = 0,
    FAULT_SINGLE_WORD,
    FAULT_SINGLE_COLUMN,
    FAULT_SINGLE_ROW,
    FAULT_SINGLE_BANK,
    FAULT_MULTI_BANK,
    FAULT_MULTI_RANK,
    FAULT_MODE__COUNT
};

struct mem_fault {
    enum fault_mode mode;
    bool permanent;
    unsigned channel, dimm, rank, device;
    unsigned bank, row, column; /* as the mode needs (table above) */
    uint8_t dq_mask;            /* DQ bits flipped; one bit for single-bit */
    uint64_t time_ps;           /* arrival */
};

#define FAULT_LEVELS 6u
#define FAULT_NO_LINE UINT64_MAX
#define FAULT_HITS_MAX 8u
#define FAULT_HEAL_RANGES 4u

struct fault_slot {
    struct mem_fault f;
    uint64_t id;    /* 0 when the slot is free */
    uint64_t key;   /* line-index key in its level's map */
    uint32_t prev, next; /* chain of faults with the same level and key */
    uint8_t level;
    uint64_t healed_lines; /* a wide transient's lines written since it arrived */
    /* Stretches of a transient's footprint written since it arrived, as
     * the scrubber writes them back in walk order: its lines in
     * [heal_lo[i], heal_hi[i]) are healed. Writes that grow none go to the
     * map's per-line times. */
    uint64_t heal_lo[FAULT_HEAL_RANGES], heal_hi[FAULT_HEAL_RANGES];
    uint8_t nheal;
};

struct fault_map {
    struct addr_map map;
    uint64_t level_mask[FAULT_LEVELS]; /* line-index bits a level fixes */
    struct u64map level[FAULT_LEVELS]; /* key -> first slot of the chain */
    uint32_t *slot_by_id;              /* id -> slot (ids count up from 1) */
    uint64_t ids_cap;                  /* entries of slot_by_id */
    struct u64map healed;              /* line -> last write time (ps) */
    struct fault_slot *slot;
    uint32_t nslots, cap;
    uint32_t free_head;                /* free slots chained by next */
    uint64_t next_id;
    size_t live;
};

/* What a line query found. */
struct fault_hits {
    unsigned n;                    /* contributing faults (may exceed MAX) */
    uint64_t id[FAULT_HITS_MAX];   /* the first ones, in chain order       */
    unsigned examined;             /* index entries looked at (cost)       */
};

int fault_map_init(struct fault_map *fm, const struct addr_map *m);
void fault_map_free(struct fault_map *fm);

/* NULL when f is a valid fault for this geometry, else why not. */
const char *fault_check(const struct addr_map *m, const struct mem_fault *f);

/* Add a fault; returns its id (>= 1), or 0 when invalid / out of memory. */
uint64_t fault_map_add(struct fault_map *fm, const struct mem_fault *f);
bool fault_map_remove(struct fault_map *fm, uint64_t id);
/* The fault with this id, or NULL if it never existed or was removed. */
const struct mem_fault *fault_map_get(const struct fault_map *fm, uint64_t id);
static inline size_t fault_map_count(const struct fault_map *fm) { return fm->live; }

/*
 * The error mask the faults put on line `line` (a line index) at now_ps:
 * err is zeroed, then every covering fault that has arrived (time_ps <=
 * now_ps) and is not healed on this line XORs its bits in. Returns the
 * number of such faults; hits (may be NULL) gets their ids and the cost.
 * Faults may thus be added ahead of their arrival time. now_ps UINT64_MAX:
 * every fault has arrived.
 */
unsigned fault_map_line_errors(const struct fault_map *fm, uint64_t line, uint64_t now_ps,
                               struct dram_line_bits *err, struct fault_hits *hits);

/* Fault id's lines from `from` to `last` (n of them, none healed yet)
 * were written at or after its arrival, in walk order (the scrubber's
 * fold of a transient fault's CEs): they are healed, as n calls of
 * fault_map_line_written would heal them, kept as a stretch (not a time
 * per line). True when that healed the fault everywhere: it is removed. */
bool fault_map_heal_stretch(struct fault_map *fm, uint64_t id, uint64_t from, uint64_t last, uint64_t n);
/* The first line >= from of transient fault id's footprint that is healed
 * by a stretch, or FAULT_NO_LINE. */
uint64_t fault_map_heal_next(const struct fault_map *fm, uint64_t id, uint64_t from);

/* The error mask fault id alone puts on any line it covers (the same on
 * every one: a fault flips the same DQs in every beat it covers); false
 * when there is no such fault. */
bool fault_map_fault_errors(const struct fault_map *fm, uint64_t id, struct dram_line_bits *err);

/* A full write of `line` at now_ps: heals transient faults (see above).
 * A transient fault healed on every line of its footprint can show on no
 * line again, so it is removed: the scrubber stops visiting its lines. */
void fault_map_line_written(struct fault_map *fm, uint64_t line, uint64_t now_ps);

/*
 * Rebase (docs/TIME.md): every arrival and every line's last write time
 * moved d_ps earlier, seen at now_ps (arch/ps_rebase.h: a future arrival
 * stays exact, a past time older than PS_REBASE_AGE_MAX is pinned there).
 * 0, or -ERANGE (nothing moves) when d_ps is over PS_REBASE_D_MAX or a
 * pinned write time would then mask a transient fault that arrived after
 * it. can_rebase: the same check, moving nothing.
 */
int fault_map_can_rebase(const struct fault_map *fm, uint64_t d_ps, uint64_t now_ps);
int fault_map_rebase(struct fault_map *fm, uint64_t d_ps, uint64_t now_ps);

/* Does fault id's footprint include `line` (healing ignored)? */
bool fault_map_covers(const struct fault_map *fm, uint64_t id, uint64_t line);
/* Smallest line index >= from in fault id's footprint, or FAULT_NO_LINE. */
uint64_t fault_map_next_line(const struct fault_map *fm, uint64_t id, uint64_t from);
/* Number of lines of fault id's footprint in [from, to) (0 if no such
 * fault): a bit computation, whatever the count. */
uint64_t fault_map_count_lines(const struct fault_map *fm, uint64_t id, uint64_t from, uint64_t to);
/* The line k places after the first line >= from of fault id's footprint
 * (k = 0: that line), or FAULT_NO_LINE. */
uint64_t fault_map_nth_line(const struct fault_map *fm, uint64_t id, uint64_t from, uint64_t k);
/* The same, counting only lines v with (v & mask) == val. */
uint64_t fault_map_count_lines_where(const struct fault_map *fm, uint64_t id, uint64_t from, uint64_t to,
                                     uint64_t mask, uint64_t val);
/*
 * A footprint on its own: lines key + f for every submask f of free (the
 * line-index bits the fault's mode leaves free), below lines. It stays
 * valid after its fault is removed. The footprint_ functions are the
 * fault_map_ ones above on a footprint; fault_map_footprint: false if no
 * such fault.
 */
struct fault_footprint {
    uint64_t key, free, lines;
};
bool fault_map_footprint(const struct fault_map *fm, uint64_t id, struct fault_footprint *fp);
static inline bool footprint_covers(const struct fault_footprint *fp, uint64_t line)
{
    return line < fp->lines && (line & ~fp->free) == fp->key;
}
/* Lines of both a and b: false when none (a pinned field differs). */
bool footprint_intersect(const struct fault_footprint *a, const struct fault_footprint *b,
                         struct fault_footprint *o);
/* Every line of b is one of a's. */
static inline bool footprint_contains(const struct fault_footprint *a, const struct fault_footprint *b)
{
    return (b->free & ~a->free) == 0 && (b->key & ~a->free) == a->key && b->lines <= a->lines;
}
/* Every line of b is one of a's, not every line of a one of b's: b lies
 * strictly within a (a column fault within a bank fault's lines). */
static inline bool footprint_nested(const struct fault_footprint *a, const struct fault_footprint *b)
{
    return footprint_contains(a, b) && !footprint_contains(b, a);
}
/* Smallest submask of free that is >= t, or FAULT_NO_LINE. */
static inline uint64_t footprint_submask_at_least(uint64_t free, uint64_t t)
{
    const uint64_t outside = t & ~free;
    if (outside == 0)
        return t;
    /* t has a pinned bit set at h (its highest such): no submask matches t
     * there, so the answer must exceed t at a free bit above h where t is
     * 0 - the lowest such bit p - keeping t's (free) bits above p. */
    const unsigned h = 63u - (unsigned)__builtin_clzll(outside);
    const uint64_t above_h = (h >= 63) ? 0 : ~((2ull << h) - 1u);
    const uint64_t cand = free & ~t & above_h;
    if (cand == 0)
        return FAULT_NO_LINE;
    const uint64_t p = cand & (~cand + 1u);
    return (t & ~((p << 1) - 1u)) | p;
}
/* Inline: the fold plans' walks ask it tens of millions of times a host-year
 * (fleet linux-6 1555, xen 4900: a quarter to a third of their time). */
static inline uint64_t footprint_next_line(const struct fault_footprint *fp, uint64_t from)
{
    if (from >= fp->lines)
        return FAULT_NO_LINE;
    if (from <= fp->key)
        return fp->key;
    /* Lines of the footprint are key + f for every submask f of the free
     * bits, increasing in f: find the least f with key + f >= from. */
    const uint64_t f = footprint_submask_at_least(fp->free, from - fp->key);
    return f == FAULT_NO_LINE ? FAULT_NO_LINE : fp->key + f;
}
/* footprint_next_line(fp, line + 1) for a line of fp's, in a few
 * operations (the next submask of the free bits): a walk of its lines */
uint64_t footprint_line_after(const struct fault_footprint *fp, uint64_t line);
/* The next line at or after `from` of any of fp[0..n): FAULT_NO_LINE when
 * none; *who (may be NULL) the first footprint holding it, *tie (may be
 * NULL) whether another holds it too. */
uint64_t footprints_next_line(const struct fault_footprint *fp, size_t n, uint64_t from, size_t *who, bool *tie);
/* The same with memo[0..n) (from = UINT64_MAX: empty): footprint i's next
 * line kept while the asked line lies between where it was computed and
 * the line found, so a caller asking forward a line at a time rescans
 * only the footprints it passed (a column's next line stays ahead for a
 * row's thousands of asks). */
struct footprint_next_memo {
    uint64_t from, line;
};
uint64_t footprints_next_line_memo(const struct fault_footprint *fp, size_t n, uint64_t from,
                                   struct footprint_next_memo *memo, size_t *who, bool *tie);
uint64_t footprint_nth_line(const struct fault_footprint *fp, uint64_t from, uint64_t k);
/* Whether fp's n lines from its rank-q line on lie at the same offsets from
 * the first as its n lines from its rank-q2 line on (a line's rank: the
 * footprint's lines below it). A sufficient test, in one pass over the free
 * bits: the rank bits the two additions of up to n - 1 change lie on
 * address bits in a row from some bit a up, and q and q2 agree below a. */
bool footprint_runs_alike(const struct fault_footprint *fp, uint64_t q, uint64_t q2, uint64_t n);
/* v's bits at free's positions packed into the low bits (PEXT), and the
 * low bits of r spread over free's positions (PDEP): BMI2's where it is
 * fast, else the loops a run of free bits at a time (the _soft ones, the
 * same values; the tests compare them). */
uint64_t footprint_pack(uint64_t v, uint64_t free);
uint64_t footprint_spread(uint64_t r, uint64_t free);
uint64_t footprint_pack_soft(uint64_t v, uint64_t free);
uint64_t footprint_spread_soft(uint64_t r, uint64_t free);
/* fp's lines below line (its rank: footprint_count_lines from 0, without
 * the condition's work; a storm plan asks it twice a poll) */
uint64_t footprint_rank(const struct fault_footprint *fp, uint64_t line);
uint64_t footprint_count_lines_where(const struct fault_footprint *fp, uint64_t from, uint64_t to, uint64_t mask,
                                     uint64_t val);
static inline uint64_t footprint_count_lines(const struct fault_footprint *fp, uint64_t from, uint64_t to)
{
    return footprint_count_lines_where(fp, from, to, 0, 0);
}

/*
 * The lines of fp in [from, to) counted by the value of the line-index
 * bits `field` (e.g. rank and bank), at the cost of one pass over the bits
 * of two ranks instead of a count per value: cnt[t], for t below 2^(the
 * number of field's bits fp leaves free), is set to how many lines have
 * those bits, packed in order, equal to t; footprint_field_value gives the
 * field's bits of group t (pinned ones from the key). false (cnt
 * untouched) when more than max_bits (or FOOTPRINT_FIELD_BITS_MAX) of
 * field are free.
 */
#define FOOTPRINT_FIELD_BITS_MAX 10u
bool footprint_count_by_field(const struct fault_footprint *fp, uint64_t from, uint64_t to, uint64_t field,
                              unsigned max_bits, uint64_t *cnt);
uint64_t footprint_field_value(const struct fault_footprint *fp, uint64_t field, uint64_t t);

/* Number of lines in fault id's footprint (0 if no such fault). */
uint64_t fault_map_footprint_lines(const struct fault_map *fm, uint64_t id);

/* Iterate live faults in slot order: start with *pos = 0. */
bool fault_map_iter(const struct fault_map *fm, size_t *pos, uint64_t *id, const struct mem_fault **f);

const char *fault_mode_name(enum fault_mode m);
/* -1 if name is none of the mode names ("single-bit", ...). */
int fault_mode_from_name(const char *name);

#endif
