/*
 * u64map.h - a hash map from 64-bit keys to 64-bit values.
 *
 * The memory model is sparse: a host with terabytes of RAM keeps state only
 * for lines and locations that faults, poison or writes touched. Every such
 * sparse set (fault index levels, poison, heal times, stored corruption) is
 * one of these maps.
 *
 * Open addressing with linear probing and backward-shift deletion (no
 * tombstones, so lookups stay short after many removals); the capacity is a
 * power of two kept at most half full. Keys are hashed with the SplitMix64
 * finaliser, never by address, so iteration order is a pure function of the
 * sequence of operations: deterministic across runs and machines.
 *
 * Invariant: the key U64MAP_NO_KEY is never stored (it marks empty slots).
 */
#ifndef MODELS_MEMCTL_U64MAP_H
#define MODELS_MEMCTL_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define U64MAP_NO_KEY UINT64_MAX

struct u64map {
    uint64_t *keys; /* cap entries, U64MAP_NO_KEY when empty */
    uint64_t *vals;
    size_t cap;     /* 0 or a power of two */
    size_t count;
};

/* An empty map allocates nothing until the first insertion. */
void u64map_init(struct u64map *m);
void u64map_free(struct u64map *m);

/* Pointer to the value of key, or NULL. Valid until the next put/remove. */
uint64_t *u64map_find(const struct u64map *m, uint64_t key);

/* Insert or replace. Returns 0, or -1 (out of memory, or key == NO_KEY). */
int u64map_put(struct u64map *m, uint64_t key, uint64_t val);

/* Remove key; true if it was there. */
bool u64map_remove(struct u64map *m, uint64_t key);

static inline size_t u64map_count(const struct u64map *m) { return m->count; }

/* In v[0..n), ascending: the index of the first value >= x (n if none).
 * For the sorted arrays kept beside maps (poison.c, poison_runs.c). */
static inline size_t u64_lower_bound(const uint64_t *v, size_t n, uint64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Iteration: start with *pos = 0; returns false when done. */
bool u64map_iter(const struct u64map *m, size_t *pos, uint64_t *key, uint64_t *val);

#endif
