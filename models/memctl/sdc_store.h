/*
 * sdc_store.h - lines whose stored data is silently wrong.
 *
 * When a controller writes back data its ECC decoder miscorrected (patrol
 * scrub or demand scrub), memory then holds a valid codeword of the wrong
 * data: no later read can detect it. The model does not store data (codes
 * are linear, so only error masks matter), so it keeps, for such lines
 * only, the XOR difference between what memory holds and what software
 * last wrote. A full-line write by software removes the entry.
 *
 * Sparse: a hash map line index -> slot of a 64-byte delta; nothing for
 * lines that hold what was written.
 */
#ifndef MODELS_MEMCTL_SDC_STORE_H
#define MODELS_MEMCTL_SDC_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "models/memctl/addr_map.h"
#include "models/memctl/u64map.h"

struct sdc_store {
    struct u64map index; /* line -> slot */
    uint8_t (*delta)[MEM_LINE_BYTES];
    uint32_t *free_next; /* free slots chained */
    uint32_t nslots, cap, free_head;
};

void sdc_store_init(struct sdc_store *s);
void sdc_store_free(struct sdc_store *s);
/* The delta of line, or NULL when the line holds what was written. */
const uint8_t *sdc_store_get(const struct sdc_store *s, uint64_t line);
/* Record delta for line (an all-zero delta removes the entry). 0 or -1. */
int sdc_store_set(struct sdc_store *s, uint64_t line, const uint8_t delta[MEM_LINE_BYTES]);
void sdc_store_clear(struct sdc_store *s, uint64_t line);
static inline size_t sdc_store_count(const struct sdc_store *s) { return u64map_count(&s->index); }

#endif
