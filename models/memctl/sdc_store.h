/*
 * sdc_store.h - lines whose stored data is silently wrong.
 *
 * When a controller writes back data its ECC decoder miscorrected (patrol
 * scrub or demand scrub), memory then holds a valid codeword of the wrong
 * data: no later read can detect it. The model does not store data (codes
 * are linear, so only error masks matter), so it keeps, for such lines
 * only, the XOR difference (delta) between what memory holds and what
 * software last wrote. A full-line write by software makes it zero.
 *
 * Two kinds of entries:
 *
 *  - exact: line index -> 64-byte delta (a hash map and slots), for lines
 *    written back with several faults on them, or rewritten by software;
 *  - runs, one per (fault, delta): a write-back of a line with one fault
 *    on it XORs the same delta into the line each time (the decoder's
 *    eff(mask), ecc_memo.h, which depends on the fault's mask alone). A
 *    run keeps the fault's footprint and the sorted lines where "the
 *    delta is in" flips: a line of the footprint holds the run's delta
 *    when an odd number of flip points are <= it. A scrub pass over a
 *    wide fault's lines, one write-back after the other, moves one flip
 *    point along; the run stays a handful of points whatever the number
 *    of lines (a per-line entry each was gigabytes on a 1 TiB host).
 *
 * A line's delta: its exact entry if it has one, else the XOR of the runs
 * that hold it. Reads are exact either way: a demand read of any line
 * gets the data memory holds.
 */
#ifndef MODELS_MEMCTL_SDC_STORE_H
#define MODELS_MEMCTL_SDC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/memctl/addr_map.h"
#include "models/memctl/fault_map.h"
#include "models/memctl/u64map.h"

struct sdc_run {
    uint64_t fault_id;
    struct fault_footprint fp;
    uint8_t delta[MEM_LINE_BYTES];
    uint64_t *flip; /* sorted, distinct */
    size_t nflip, cap;
};

struct sdc_store {
    struct u64map index; /* line -> slot of its exact delta */
    uint8_t (*delta)[MEM_LINE_BYTES];
    uint32_t *free_next; /* free slots chained */
    uint32_t nslots, cap, free_head;
    struct sdc_run *run;
    size_t nrun, cap_run;
};

void sdc_store_init(struct sdc_store *s);
void sdc_store_free(struct sdc_store *s);
/* The delta of line into out; false (out all zero) when the line holds
 * what was written. */
bool sdc_store_get(const struct sdc_store *s, uint64_t line, uint8_t out[MEM_LINE_BYTES]);
/* Line now holds exactly delta (zero: what was written). 0 or -1. */
int sdc_store_set(struct sdc_store *s, uint64_t line, const uint8_t delta[MEM_LINE_BYTES]);
void sdc_store_clear(struct sdc_store *s, uint64_t line);
/* Does line have an exact entry? */
bool sdc_store_exact(const struct sdc_store *s, uint64_t line);
/*
 * XOR delta into every line of fault id's footprint fp in [first, last]
 * (first and last lines of fp), none of them with an exact entry: the
 * write-backs of lines with that one fault on them. 0 or -1 (out of
 * memory: then the lines keep their old delta).
 */
int sdc_store_flip(struct sdc_store *s, uint64_t id, const struct fault_footprint *fp, uint64_t first,
                   uint64_t last, const uint8_t delta[MEM_LINE_BYTES]);
/* The smallest line >= from of fp with an exact entry, or UINT64_MAX. */
uint64_t sdc_store_first_exact(const struct sdc_store *s, const struct fault_footprint *fp, uint64_t from);
/* Lines with a non-zero delta, counted up to cap (a result > cap means
 * more). Runs that overlap count a shared line once each. */
uint64_t sdc_store_lines(const struct sdc_store *s, uint64_t cap);
/* The smallest line >= from of footprint fp with a non-zero delta, or
 * UINT64_MAX. Meant for few exact entries (it looks at each). */
uint64_t sdc_store_first(const struct sdc_store *s, const struct fault_footprint *fp, uint64_t from);
/* The first line > from of footprint fp that a run's flip point past
 * from can reach, or UINT64_MAX: the runs give every line of fp in
 * [from, it) the same delta (exact entries aside). */
uint64_t sdc_store_next_flip(const struct sdc_store *s, const struct fault_footprint *fp, uint64_t from);
/* Exact entries and run flip points held (memory use). */
static inline size_t sdc_store_count(const struct sdc_store *s) { return u64map_count(&s->index); }
size_t sdc_store_flip_points(const struct sdc_store *s);

#endif
