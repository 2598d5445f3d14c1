/*
 * page_state.c - sparse, sorted store of pages that are broken or being
 * offlined. Insertion keeps the array sorted by MFN so lookups are a
 * binary search and iteration order (for reports) is deterministic.
 */
#include "page_state.h"

#include <stdlib.h>
#include <string.h>

void page_states_init(struct page_states *ps)
{
    memset(ps, 0, sizeof(*ps));
}

void page_states_fini(struct page_states *ps)
{
    free(ps->v);
    memset(ps, 0, sizeof(*ps));
}

/* Index of the first entry with mfn >= key. */
static unsigned lower_bound(const struct page_states *ps, uint64_t key)
{
    unsigned lo = 0, hi = ps->n;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (ps->v[mid].mfn < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const struct page_entry *page_states_find(const struct page_states *ps, uint64_t mfn)
{
    unsigned i = lower_bound(ps, mfn);
    return i < ps->n && ps->v[i].mfn == mfn ? &ps->v[i] : NULL;
}

struct page_entry *page_states_get(struct page_states *ps, uint64_t mfn)
{
    unsigned i = lower_bound(ps, mfn);
    if (i < ps->n && ps->v[i].mfn == mfn)
        return &ps->v[i];
    if (ps->n == ps->cap) {
        unsigned cap = ps->cap ? ps->cap * 2 : 16;
        struct page_entry *v = realloc(ps->v, cap * sizeof(*v));
        if (!v)
            return NULL;
        ps->v = v;
        ps->cap = cap;
    }
    memmove(&ps->v[i + 1], &ps->v[i], (ps->n - i) * sizeof(*ps->v));
    ps->n++;
    memset(&ps->v[i], 0, sizeof(ps->v[i]));
    ps->v[i].mfn = mfn;
    return &ps->v[i];
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
