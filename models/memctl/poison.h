/*
 * poison.h - the set of poisoned cache lines of one memory controller.
 *
 * A line is poisoned when the controller finds it uncorrectable (patrol
 * scrub or demand read): its data is marked bad so that any later consumer
 * gets a machine check instead of the data, and the scrubber does not
 * report it again. Poison is cleared only by a write of the full line:
 * the poison mark travels with the stored data, so only new data for the
 * whole line replaces it (a partial write would merge with the bad data).
 *
 * Sparse: a hash set keyed by line index with the time the line was
 * poisoned, and the lines in order; nothing is allocated for clean
 * memory. Lookups are O(1), the next poisoned line O(log n); a mark costs
 * a move of the lines after it (marks come mostly in the walk's order:
 * at the end).
 *
 * An epoch rebase (docs/TIME.md) moves every mark's time by the same D,
 * and pins those older than PS_REBASE_AGE_MAX at that age (ps_rebase).
 * The set keeps the sum of the moves (`base`) beside the stored times
 * instead of rewriting each one, and the pinned marks apart, all at one
 * time (`pin_time`: a pinned time is pinned again at every rebase after);
 * only a rebase that pins more marks rewrites the others. The times read
 * are those of a rewrite at every rebase. (A host with many poisoned
 * lines rebases after every round fold past half the horizon, fleet hosts
 * 770, 3628: a pass over the marks each time.)
 */
#ifndef MODELS_MEMCTL_POISON_H
#define MODELS_MEMCTL_POISON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/memctl/u64map.h"

struct poison_set {
    struct u64map lines; /* line index -> time poisoned (ps) + base */
    struct u64map pinned; /* line index -> 0: poisoned at pin_time */
    /* the same lines in increasing order (n of them): the next poisoned
     * line after any line is a binary search (a fold's stop, memctl.c) */
    uint64_t *order;
    size_t n, cap;
    /* the rebases' moves since the marks of `lines` were last rewritten
     * (mod 2^64) */
    uint64_t base;
    /* a time at or before every mark's of `lines` (a cleared mark's may
     * be the one), while there are such: whether a rebase pins any */
    uint64_t oldest;
    uint64_t pin_time;
};

void poison_init(struct poison_set *p);
void poison_free(struct poison_set *p);

/* Poison the line holding paddr (any byte of it). Returns 0, or -1 when out
 * of memory. Poisoning a poisoned line keeps the first time. */
int poison_mark(struct poison_set *p, uint64_t paddr, uint64_t now_ps);
/* A full-line write: clear the poison of the line holding paddr. Returns
 * whether it was poisoned. */
bool poison_clear(struct poison_set *p, uint64_t paddr);
bool poison_test(const struct poison_set *p, uint64_t paddr);
/* When the line was poisoned; false if it is not. */
bool poison_time(const struct poison_set *p, uint64_t paddr, uint64_t *when_ps);
static inline size_t poison_count(const struct poison_set *p)
{
    return u64map_count(&p->lines) + u64map_count(&p->pinned);
}

/* Every mark's time moved d earlier, seen at now (ps_rebase): O(1) unless
 * it pins a mark not pinned before. */
void poison_rebase(struct poison_set *p, uint64_t d_ps, uint64_t now_ps);

/* The first poisoned line index at or after `from`, or UINT64_MAX. */
uint64_t poison_next_line(const struct poison_set *p, uint64_t from);

/* The poisoned line addresses in increasing order, at most max of them;
 * returns how many were written (for reports and checks). */
size_t poison_list(const struct poison_set *p, uint64_t *addrs, size_t max);

#endif
