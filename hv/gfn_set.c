/*
 * gfn_set.c - the log-dirty set (see gfn_set.h): linear probing at load
 * factor <= 1/2 with Fibonacci hashing, and a sorted copy for reads.
 */
#include "gfn_set.h"

#include <stdlib.h>
#include <string.h>

#define MIN_BITS 4u
#define FIB_MUL 0x9E3779B97F4A7C15ull /* 2^64 / golden ratio: spreads runs of gfns */

void gfn_set_init(struct gfn_set *s)
{
    memset(s, 0, sizeof(*s));
}

/* The slot holding g, or the free slot where it belongs. */
static size_t probe(const uint64_t *slot, unsigned bits, uint64_t g)
{
    size_t mask = ((size_t)1 << bits) - 1;
    size_t i = (size_t)((g * FIB_MUL) >> (64 - bits));
    while (slot[i] != GFN_SET_EMPTY && slot[i] != g)
        i = (i + 1) & mask;
    return i;
}

static void empty_slots(uint64_t *slot, size_t cap)
{
    for (size_t i = 0; i < cap; i++)
        slot[i] = GFN_SET_EMPTY;
}

static int grow(struct gfn_set *s)
{
    unsigned bits = s->cap ? s->bits + 1 : MIN_BITS;
    size_t cap = (size_t)1 << bits;
    uint64_t *t = malloc(cap * sizeof(*t));
    if (!t)
        return -1;
    empty_slots(t, cap);
    for (size_t i = 0; i < s->cap; i++)
        if (s->slot[i] != GFN_SET_EMPTY)
            t[probe(t, bits, s->slot[i])] = s->slot[i];
    free(s->slot);
    s->slot = t;
    s->cap = cap;
    s->bits = bits;
    return 0;
}

bool gfn_set_has(const struct gfn_set *s, uint64_t gfn)
{
    return s->cap && gfn != GFN_SET_EMPTY && s->slot[probe(s->slot, s->bits, gfn)] == gfn;
}

int gfn_set_add(struct gfn_set *s, uint64_t gfn)
{
    if (gfn == GFN_SET_EMPTY)
        return -1;
    if (gfn_set_has(s, gfn))
        return 0; /* the common case: a frame written again */
    if (2 * (s->n + 1) > s->cap && grow(s) != 0)
        return -1;
    s->slot[probe(s->slot, s->bits, gfn)] = gfn;
    s->n++;
    s->sorted_ok = false;
    return 0;
}

size_t gfn_set_count(const struct gfn_set *s)
{
    return s->n;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int sort(struct gfn_set *s)
{
    if (s->sorted_ok || s->n == 0)
        return 0;
    if (s->sorted_cap < s->n) {
        uint64_t *v = realloc(s->sorted, s->n * sizeof(*v));
        if (!v)
            return -1;
        s->sorted = v;
        s->sorted_cap = s->n;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slot[i] != GFN_SET_EMPTY)
            s->sorted[k++] = s->slot[i];
    qsort(s->sorted, k, sizeof(*s->sorted), cmp_u64);
    s->sorted_ok = true;
    return 0;
}

long gfn_set_copy(struct gfn_set *s, size_t from, uint64_t *out, size_t max)
{
    if (sort(s) != 0)
        return -1;
    if (from >= s->n)
        return 0;
    size_t c = s->n - from < max ? s->n - from : max;
    memcpy(out, s->sorted + from, c * sizeof(*out));
    return (long)c;
}

int gfn_set_remove_first(struct gfn_set *s, size_t k)
{
    if (k >= s->n) {
        gfn_set_clear(s);
        return 0;
    }
    if (k == 0)
        return 0;
    if (sort(s) != 0)
        return -1;
    /* Rebuild the table from the survivors: linear probing has no cheap
     * delete, and a CLEAN already costs a sort. */
    empty_slots(s->slot, s->cap);
    s->n -= k;
    memmove(s->sorted, s->sorted + k, s->n * sizeof(*s->sorted));
    for (size_t i = 0; i < s->n; i++)
        s->slot[probe(s->slot, s->bits, s->sorted[i])] = s->sorted[i];
    return 0;
}

void gfn_set_clear(struct gfn_set *s)
{
    empty_slots(s->slot, s->cap);
    s->n = 0;
    s->sorted_ok = false;
}

void gfn_set_free(struct gfn_set *s)
{
    free(s->slot);
    free(s->sorted);
    gfn_set_init(s);
}
