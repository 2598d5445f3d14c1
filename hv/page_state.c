/*
 * page_state.c - sparse store of pages that are broken or being offlined.
 * Entries are kept in the order they appeared, behind a hash index on the
 * MFN (linear probing, load factor <= 1/2, Fibonacci hashing), so a lookup
 * or a new page is O(1) however many pages broke; the sorted order
 * reports want is made once, at the end (a sorted array with a memmove
 * per new page was 17 % of a 100,000-fault run, docs/PERFORMANCE.md).
 */
#include "page_state.h"

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

const struct page_entry *page_states_find(const struct page_states *ps, uint64_t mfn)
{
    if (!ps->n)
        return NULL;
    uint32_t k = ps->index[slot_of(ps, ps->index, ps->bits, mfn)];
    return k ? &ps->v[k - 1] : NULL;
}

struct page_entry *page_states_get(struct page_states *ps, uint64_t mfn)
{
    size_t slot = ps->bits ? slot_of(ps, ps->index, ps->bits, mfn) : 0;
    if (ps->bits && ps->index[slot])
        return &ps->v[ps->index[slot] - 1];
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
    pg->mfn = mfn;
    ps->index[slot] = ++ps->n;
    return pg;
}

static int cmp_mfn(const void *a, const void *b)
{
    uint64_t x = ((const struct page_entry *)a)->mfn, y = ((const struct page_entry *)b)->mfn;
    return (x > y) - (x < y);
}

void page_states_copy_sorted(const struct page_states *ps, struct page_entry *out)
{
    if (!ps->n)
        return;
    memcpy(out, ps->v, ps->n * sizeof(*out));
    qsort(out, ps->n, sizeof(*out), cmp_mfn);
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
