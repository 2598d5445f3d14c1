/*
 * gfn_set.h - a set of guest frame numbers: the log-dirty "bitmap", and
 * the frames a p2m marks broken.
 *
 * A guest may be terabytes in size but dirties only some frames between two
 * reads, and a workload writes the same frames over and over. So members
 * live in an open-addressing hash table (adding a member, new or not, is
 * amortised O(1); memory grows with distinct members only), and reads see
 * them ascending through a sorted copy made when first needed after a
 * change. Hashing is arithmetic on the value and reads are sorted, so the
 * set behaves the same on every run.
 */
#ifndef HV_GFN_SET_H
#define HV_GFN_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gfn_set {
    uint64_t *slot;    /* cap slots, GFN_SET_EMPTY when free             */
    size_t cap, n;     /* cap: 0 or a power of two; n members            */
    unsigned bits;     /* log2(cap)                                      */
    uint64_t *sorted;  /* the n members ascending, while sorted_ok       */
    size_t sorted_cap;
    bool sorted_ok;
};

/* UINT64_MAX marks a free slot, so it cannot be a member (gfns are below
 * 2^60 in the domctl ABI). */
#define GFN_SET_EMPTY UINT64_MAX

void gfn_set_init(struct gfn_set *s);
/* 0, or -1 (out of memory, or gfn == GFN_SET_EMPTY): the set is unchanged. */
int gfn_set_add(struct gfn_set *s, uint64_t gfn);
bool gfn_set_has(const struct gfn_set *s, uint64_t gfn);
size_t gfn_set_count(const struct gfn_set *s);
/* Copy up to max members, ascending, starting with the from-th smallest
 * (0-based) into out. Returns how many were copied, or -1 when out of
 * memory for the sorted copy. */
long gfn_set_copy(struct gfn_set *s, size_t from, uint64_t *out, size_t max);
/* Remove the k smallest members (all when k >= count). 0, or -1 when out
 * of memory (the set is unchanged). */
int gfn_set_remove_first(struct gfn_set *s, size_t k);
/* Empty the set, keeping its storage for the next round. */
void gfn_set_clear(struct gfn_set *s);
/* Release the storage; the set is empty and usable again. */
void gfn_set_free(struct gfn_set *s);

#endif
