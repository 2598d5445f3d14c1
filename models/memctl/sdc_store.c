/*
 * sdc_store.c - line deltas of sdc_store.h: exact entries in a hash map
 * (slots recycled through a free list) and per-fault runs of flip points.
 */
#include "models/memctl/sdc_store.h"

#include <stdlib.h>
#include <string.h>

#define NO_SLOT UINT32_MAX
/* Lines looked at past cancelling runs before sdc_store_first gives up
 * (answers the line itself: a fold then stops early, which is safe). */
#define FIRST_SCAN_MAX 64u

void sdc_store_init(struct sdc_store *s)
{
    u64map_init(&s->index);
    s->delta = NULL;
    s->free_next = NULL;
    s->nslots = s->cap = 0;
    s->free_head = NO_SLOT;
    s->run = NULL;
    s->nrun = s->cap_run = 0;
}

void sdc_store_free(struct sdc_store *s)
{
    u64map_free(&s->index);
    free(s->delta);
    free(s->free_next);
    for (size_t i = 0; i < s->nrun; i++)
        free(s->run[i].flip);
    free(s->run);
    sdc_store_init(s);
}

/* Word by word: every write-back of a corrected line asks (its delta is
 * zero when the correction was right). */
static bool all_zero(const uint8_t d[MEM_LINE_BYTES])
{
    uint64_t acc = 0;
    for (unsigned i = 0; i < MEM_LINE_BYTES; i += sizeof(uint64_t)) {
        uint64_t w;
        memcpy(&w, d + i, sizeof(w));
        acc |= w;
    }
    return acc == 0;
}

/* ---- runs ---------------------------------------------------------------- */

/* Flip points <= line. */
static size_t flips_upto(const struct sdc_run *r, uint64_t line)
{
    size_t lo = 0, hi = r->nflip;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2u;
        if (r->flip[mid] <= line)
            lo = mid + 1u;
        else
            hi = mid;
    }
    return lo;
}

static bool run_holds(const struct sdc_run *r, uint64_t line)
{
    return footprint_covers(&r->fp, line) && (flips_upto(r, line) & 1u);
}

/* XOR of the runs holding line into out; false if none holds it. */
static bool runs_delta(const struct sdc_store *s, uint64_t line, uint8_t out[MEM_LINE_BYTES])
{
    bool any = false;
    memset(out, 0, MEM_LINE_BYTES);
    for (size_t i = 0; i < s->nrun; i++)
        if (run_holds(&s->run[i], line)) {
            any = true;
            for (unsigned b = 0; b < MEM_LINE_BYTES; b++)
                out[b] ^= s->run[i].delta[b];
        }
    return any;
}

/* Add point p if absent, remove it if present. */
static int toggle_point(struct sdc_run *r, uint64_t p)
{
    size_t k = flips_upto(r, p);
    if (k > 0 && r->flip[k - 1] == p) {
        memmove(&r->flip[k - 1], &r->flip[k], (r->nflip - k) * sizeof(r->flip[0]));
        r->nflip--;
        return 0;
    }
    if (r->nflip == r->cap) {
        size_t ncap = r->cap ? r->cap * 2u : 4u;
        uint64_t *n = realloc(r->flip, ncap * sizeof(*n));
        if (!n)
            return -1;
        r->flip = n;
        r->cap = ncap;
    }
    memmove(&r->flip[k + 1], &r->flip[k], (r->nflip - k) * sizeof(r->flip[0]));
    r->flip[k] = p;
    r->nflip++;
    return 0;
}

static struct sdc_run *run_of(struct sdc_store *s, uint64_t id, const struct fault_footprint *fp,
                              const uint8_t delta[MEM_LINE_BYTES])
{
    for (size_t i = 0; i < s->nrun; i++) {
        struct sdc_run *r = &s->run[i];
        if (r->fault_id == id && memcmp(r->delta, delta, MEM_LINE_BYTES) == 0)
            return r;
    }
    if (s->nrun == s->cap_run) {
        size_t ncap = s->cap_run ? s->cap_run * 2u : 4u;
        struct sdc_run *n = realloc(s->run, ncap * sizeof(*n));
        if (!n)
            return NULL;
        s->run = n;
        s->cap_run = ncap;
    }
    struct sdc_run *r = &s->run[s->nrun++];
    memset(r, 0, sizeof(*r));
    r->fault_id = id;
    r->fp = *fp;
    memcpy(r->delta, delta, MEM_LINE_BYTES);
    return r;
}

int sdc_store_flip(struct sdc_store *s, uint64_t id, const struct fault_footprint *fp, uint64_t first,
                   uint64_t last, const uint8_t delta[MEM_LINE_BYTES])
{
    if (all_zero(delta) || !footprint_covers(fp, first) || !footprint_covers(fp, last) || last < first)
        return 0;
    struct sdc_run *r = run_of(s, id, fp, delta);
    if (!r)
        return -1;
    /* The lines of fp in [first, next line of fp after last) are those of
     * [first, last]: flipping that range lets consecutive flips share
     * their points. */
    uint64_t next = footprint_next_line(fp, last + 1u);
    uint64_t end = next == FAULT_NO_LINE ? fp->lines : next;
    if (toggle_point(r, first) != 0)
        return -1;
    if (toggle_point(r, end) != 0) {
        (void)toggle_point(r, first); /* undo: cannot fail, it removes */
        return -1;
    }
    return 0;
}

uint64_t sdc_store_first_exact(const struct sdc_store *s, const struct fault_footprint *fp, uint64_t from)
{
    uint64_t best = UINT64_MAX;
    size_t pos = 0;
    uint64_t line, v;
    while (u64map_iter(&s->index, &pos, &line, &v))
        if (line >= from && line < best && footprint_covers(fp, line))
            best = line;
    return best;
}

size_t sdc_store_flip_points(const struct sdc_store *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nrun; i++)
        n += s->run[i].nflip;
    return n;
}

/* ---- exact entries ------------------------------------------------------ */

static uint32_t slot_alloc(struct sdc_store *s)
{
    if (s->free_head != NO_SLOT) {
        uint32_t k = s->free_head;
        s->free_head = s->free_next[k];
        return k;
    }
    if (s->nslots == s->cap) {
        uint32_t ncap = s->cap ? s->cap * 2u : 16u;
        uint8_t(*nd)[MEM_LINE_BYTES] = realloc(s->delta, (size_t)ncap * sizeof(*nd));
        if (!nd)
            return NO_SLOT;
        s->delta = nd;
        uint32_t *nf = realloc(s->free_next, (size_t)ncap * sizeof(*nf));
        if (!nf)
            return NO_SLOT;
        s->free_next = nf;
        s->cap = ncap;
    }
    return s->nslots++;
}

static void exact_remove(struct sdc_store *s, uint64_t line)
{
    uint64_t *v = u64map_find(&s->index, line);
    if (!v)
        return;
    uint32_t k = (uint32_t)*v;
    u64map_remove(&s->index, line);
    s->free_next[k] = s->free_head;
    s->free_head = k;
}

bool sdc_store_exact(const struct sdc_store *s, uint64_t line)
{
    return u64map_find(&s->index, line) != NULL;
}

bool sdc_store_get(const struct sdc_store *s, uint64_t line, uint8_t out[MEM_LINE_BYTES])
{
    uint64_t *v = u64map_count(&s->index) ? u64map_find(&s->index, line) : NULL;
    if (v) {
        memcpy(out, s->delta[*v], MEM_LINE_BYTES);
        return !all_zero(out);
    }
    return runs_delta(s, line, out) && !all_zero(out);
}

int sdc_store_set(struct sdc_store *s, uint64_t line, const uint8_t delta[MEM_LINE_BYTES])
{
    uint8_t runs[MEM_LINE_BYTES];
    runs_delta(s, line, runs);
    if (memcmp(runs, delta, MEM_LINE_BYTES) == 0) {
        exact_remove(s, line); /* the runs say it already */
        return 0;
    }
    uint64_t *v = u64map_find(&s->index, line);
    if (v) {
        memcpy(s->delta[*v], delta, MEM_LINE_BYTES);
        return 0;
    }
    uint32_t k = slot_alloc(s);
    if (k == NO_SLOT)
        return -1;
    if (u64map_put(&s->index, line, k) != 0) {
        s->free_next[k] = s->free_head;
        s->free_head = k;
        return -1;
    }
    memcpy(s->delta[k], delta, MEM_LINE_BYTES);
    return 0;
}

void sdc_store_clear(struct sdc_store *s, uint64_t line)
{
    static const uint8_t zero[MEM_LINE_BYTES];
    if (s->nrun == 0)
        exact_remove(s, line);
    else
        (void)sdc_store_set(s, line, zero); /* out of memory: the wrong data stays */
}

/* ---- questions over many lines ----------------------------------------- */

uint64_t sdc_store_lines(const struct sdc_store *s, uint64_t cap)
{
    if (u64map_count(&s->index) > cap)
        return cap + 1u;
    uint64_t n = 0, overridden = 0;
    for (size_t i = 0; i < s->nrun; i++) {
        const struct sdc_run *r = &s->run[i];
        for (size_t k = 0; k + 1u < r->nflip; k += 2u)
            n += footprint_count_lines(&r->fp, r->flip[k], r->flip[k + 1u]);
    }
    size_t pos = 0;
    uint64_t line, v;
    while (u64map_iter(&s->index, &pos, &line, &v)) {
        n += !all_zero(s->delta[v]);
        for (size_t i = 0; i < s->nrun; i++)
            overridden += run_holds(&s->run[i], line); /* counted above, but the entry says */
    }
    return n - overridden;
}

/* Lines of both footprints: false if they share none. */
uint64_t sdc_store_next_flip(const struct sdc_store *s, const struct fault_footprint *fp, uint64_t from)
{
    uint64_t best = UINT64_MAX;
    for (size_t i = 0; i < s->nrun; i++) {
        const struct sdc_run *r = &s->run[i];
        struct fault_footprint both;
        size_t k = flips_upto(r, from);
        if (k == r->nflip || !footprint_intersect(fp, &r->fp, &both))
            continue;
        /* lines of fp outside the run's footprint never hold its delta */
        uint64_t l = footprint_next_line(&both, r->flip[k]);
        if (l != FAULT_NO_LINE && l < best)
            best = l;
    }
    return best;
}

uint64_t sdc_store_first(const struct sdc_store *s, const struct fault_footprint *fp, uint64_t from)
{
    uint64_t best = UINT64_MAX;
    size_t pos = 0;
    uint64_t line, v;
    while (u64map_iter(&s->index, &pos, &line, &v))
        if (line >= from && line < best && footprint_covers(fp, line) && !all_zero(s->delta[v]))
            best = line;
    uint8_t d[MEM_LINE_BYTES];
    for (size_t i = 0; i < s->nrun; i++) {
        const struct sdc_run *r = &s->run[i];
        struct fault_footprint both;
        if (!footprint_intersect(fp, &r->fp, &both))
            continue;
        for (size_t k = 0; k < r->nflip && r->flip[k] < best; k += 2u) {
            uint64_t end = k + 1u < r->nflip ? r->flip[k + 1u] : UINT64_MAX;
            if (end <= from)
                continue;
            uint64_t l = footprint_next_line(&both, r->flip[k] > from ? r->flip[k] : from);
            /* Held by this run; its delta is the line's unless an exact
             * entry overrides it (seen above) or other runs cancel it. */
            for (unsigned scan = 0; l != FAULT_NO_LINE && l < end && l < best; scan++) {
                if (scan == FIRST_SCAN_MAX || (!sdc_store_exact(s, l) && sdc_store_get(s, l, d))) {
                    best = l;
                    break;
                }
                l = footprint_next_line(&both, l + 1u);
            }
        }
    }
    return best;
}
