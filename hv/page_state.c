/*
 * page_state.c - sparse store of pages that are broken or being offlined.
 * Entries are kept in the order they appeared, behind a hash index on the
 * MFN (linear probing, load factor <= 1/2, Fibonacci hashing), so a lookup
 * or a new page is O(1) however many pages broke; the sorted order
 * reports want is made once, at the end (a sorted array with a memmove
 * per new page was 17 % of a 100,000-fault run, docs/PERFORMANCE.md).
 */
#include "page_state.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MIN_BITS 4u
#define FIB_MUL 0x9E3779B97F4A7C15ull /* 2^64 / golden ratio: spreads runs of MFNs */

void page_states_init(struct page_states *ps)
{
    memset(ps, 0, sizeof(*ps));
}

void page_states_fini(struct page_states *ps)
{
    free(ps->v);
    free(ps->index);
    free(ps->runs);
    memset(ps, 0, sizeof(*ps));
}

/* The index slot that holds mfn's entry (1 + its position in v), or the
 * free slot (0) where it belongs. */
static size_t slot_of(const struct page_states *ps, const uint32_t *index, unsigned bits, uint64_t mfn)
{
    size_t mask = ((size_t)1 << bits) - 1;
    size_t i = (size_t)((mfn * FIB_MUL) >> (64 - bits));
    while (index[i] && ps->v[index[i] - 1].mfn != mfn)
        i = (i + 1) & mask;
    return i;
}

static int grow_index(struct page_states *ps)
{
    unsigned bits = ps->bits ? ps->bits + 1 : MIN_BITS;
    uint32_t *t = calloc((size_t)1 << bits, sizeof(*t));
    if (!t)
        return -1;
    for (unsigned k = 0; k < ps->n; k++)
        t[slot_of(ps, t, bits, ps->v[k].mfn)] = k + 1;
    free(ps->index);
    ps->index = t;
    ps->bits = bits;
    return 0;
}

const struct page_entry *page_states_entry(const struct page_states *ps, uint64_t mfn)
{
    if (!ps->n)
        return NULL;
    uint32_t k = ps->index[slot_of(ps, ps->index, ps->bits, mfn)];
    return k ? &ps->v[k - 1] : NULL;
}

/* How many runs begin at or below mfn (runs are ascending by lo). */
static unsigned runs_upto(const struct page_states *ps, uint64_t mfn)
{
    unsigned lo = 0, hi = ps->nruns;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (ps->runs[mid].lo <= mfn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The run whose pages hold mfn (entries not asked), or NULL: the runs
 * beginning at or below it, back while one of them reaches it (maxhi). A
 * UC fold's runs follow the walk: disjoint, so one or two are asked. */
static struct page_run *run_of(const struct page_states *ps, uint64_t mfn)
{
    for (unsigned i = runs_upto(ps, mfn); i-- > 0 && ps->runs[i].maxhi >= mfn;) {
        struct page_run *r = &ps->runs[i];
        if (r->count && mfn <= r->hi && ps->ops.has(ps->ops.ctx, r->key, mfn))
            return r;
    }
    return NULL;
}

const struct page_entry *page_states_find(const struct page_states *ps, uint64_t mfn)
{
    const struct page_entry *e = page_states_entry(ps, mfn);
    if (e || !ps->nruns)
        return e;
    const struct page_run *r = run_of(ps, mfn);
    return r ? &r->like : NULL;
}

uint64_t page_states_count(const struct page_states *ps)
{
    return ps->n + ps->run_pages;
}

void page_states_set_ops(struct page_states *ps, const struct page_set_ops *ops)
{
    ps->ops = *ops;
}

int page_states_add_run(struct page_states *ps, uint64_t key, uint64_t lo, uint64_t hi, uint64_t count,
                        const struct page_entry *like)
{
    if (!ps->ops.has || !ps->ops.next)
        return -EINVAL;
    if (ps->nruns == ps->cap_runs) {
        unsigned cap = ps->cap_runs ? ps->cap_runs * 2 : 8;
        struct page_run *v = realloc(ps->runs, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        ps->runs = v;
        ps->cap_runs = cap;
    }
    unsigned at = runs_upto(ps, lo); /* mostly the end: folds follow the walk */
    memmove(&ps->runs[at + 1], &ps->runs[at], (ps->nruns - at) * sizeof(*ps->runs));
    ps->runs[at] = (struct page_run){.key = key, .lo = lo, .hi = hi, .count = count, .like = *like};
    ps->runs[at].like.mfn = lo;
    ps->nruns++;
    for (unsigned i = at; i < ps->nruns; i++)
        ps->runs[i].maxhi = i && ps->runs[i - 1].maxhi > ps->runs[i].hi ? ps->runs[i - 1].maxhi : ps->runs[i].hi;
    ps->run_pages += count;
    return 0;
}

struct page_entry *page_states_get(struct page_states *ps, uint64_t mfn)
{
    size_t slot = ps->bits ? slot_of(ps, ps->index, ps->bits, mfn) : 0;
    if (ps->bits && ps->index[slot])
        return &ps->v[ps->index[slot] - 1];
    /* a run's page gets an entry of its own, as the run has it */
    struct page_run *run = ps->nruns ? run_of(ps, mfn) : NULL;
    if (ps->n == UINT32_MAX - 1)
        return NULL;
    if (2 * ((size_t)ps->n + 1) > ((size_t)1 << ps->bits)) {
        if (grow_index(ps) != 0)
            return NULL;
        slot = slot_of(ps, ps->index, ps->bits, mfn);
    }
    if (ps->n == ps->cap) {
        unsigned cap = ps->cap ? ps->cap * 2 : 16;
        struct page_entry *v = realloc(ps->v, cap * sizeof(*v));
        if (!v)
            return NULL;
        ps->v = v;
        ps->cap = cap;
    }
    struct page_entry *pg = &ps->v[ps->n];
    memset(pg, 0, sizeof(*pg));
    if (run) {
        *pg = run->like;
        run->count--;
        ps->run_pages--;
    }
    pg->mfn = mfn;
    ps->index[slot] = ++ps->n;
    return pg;
}

static int cmp_mfn(const void *a, const void *b)
{
    uint64_t x = ((const struct page_entry *)a)->mfn, y = ((const struct page_entry *)b)->mfn;
    return (x > y) - (x < y);
}

/* A run's next page at or after mfn that has no entry of its own. */
static uint64_t run_next(const struct page_states *ps, const struct page_run *r, uint64_t mfn)
{
    for (;;) {
        if (mfn < r->lo)
            mfn = r->lo;
        if (mfn > r->hi)
            return UINT64_MAX;
        mfn = ps->ops.next(ps->ops.ctx, r->key, mfn);
        if (mfn == UINT64_MAX || mfn > r->hi)
            return UINT64_MAX;
        if (!page_states_entry(ps, mfn))
            return mfn;
        mfn++;
    }
}

uint64_t page_states_copy_sorted(const struct page_states *ps, struct page_entry *out, uint64_t max)
{
    uint64_t total = page_states_count(ps);
    if (max >= total) { /* every page: the entries and the runs', then one sort */
        uint64_t k = ps->n;
        if (ps->n)
            memcpy(out, ps->v, ps->n * sizeof(*out));
        for (unsigned i = 0; i < ps->nruns; i++) {
            const struct page_run *r = &ps->runs[i];
            uint64_t got = 0;
            for (uint64_t m = run_next(ps, r, r->lo); m != UINT64_MAX && got < r->count;
                 m = run_next(ps, r, m + 1), got++) {
                out[k] = r->like;
                out[k++].mfn = m;
            }
        }
        qsort(out, (size_t)k, sizeof(*out), cmp_mfn);
        return k;
    }
    /* the first max only: the sorted entries merged with each run's pages
     * in order (runs are few: a pick among their heads per page) */
    struct page_entry *e = malloc((ps->n ? ps->n : 1) * sizeof(*e));
    uint64_t *head = malloc((ps->nruns ? ps->nruns : 1) * sizeof(*head));
    if (!e || !head) {
        free(e);
        free(head);
        return 0;
    }
    if (ps->n)
        memcpy(e, ps->v, ps->n * sizeof(*e));
    qsort(e, ps->n, sizeof(*e), cmp_mfn);
    for (unsigned i = 0; i < ps->nruns; i++)
        head[i] = ps->runs[i].count ? run_next(ps, &ps->runs[i], ps->runs[i].lo) : UINT64_MAX;
    uint64_t k = 0, ei = 0;
    while (k < max) {
        unsigned best = ps->nruns;
        for (unsigned i = 0; i < ps->nruns; i++)
            if (head[i] != UINT64_MAX && (best == ps->nruns || head[i] < head[best]))
                best = i;
        bool from_run = best < ps->nruns && (ei >= ps->n || head[best] < e[ei].mfn);
        if (from_run) {
            out[k] = ps->runs[best].like;
            out[k++].mfn = head[best];
            head[best] = run_next(ps, &ps->runs[best], head[best] + 1);
        } else if (ei < ps->n) {
            out[k++] = e[ei++];
        } else {
            break;
        }
    }
    free(e);
    free(head);
    return k;
}

const char *page_state_name(enum page_state s)
{
    switch (s) {
    case PAGE_NORMAL: return "normal";
    case PAGE_OFFLINE_PENDING: return "offline-pending";
    case PAGE_OFFLINED: return "offlined";
    }
    return "unknown";
}
