/*
 * sdc_store.c - sparse per-line data deltas (see sdc_store.h). Slots are
 * recycled through a free list; the index maps line -> slot.
 */
#include "models/memctl/sdc_store.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NO_SLOT UINT32_MAX

void sdc_store_init(struct sdc_store *s)
{
    u64map_init(&s->index);
    s->delta = NULL;
    s->free_next = NULL;
    s->nslots = s->cap = 0;
    s->free_head = NO_SLOT;
}

void sdc_store_free(struct sdc_store *s)
{
    u64map_free(&s->index);
    free(s->delta);
    free(s->free_next);
    sdc_store_init(s);
}

const uint8_t *sdc_store_get(const struct sdc_store *s, uint64_t line)
{
    uint64_t *v = u64map_find(&s->index, line);
    return v ? s->delta[*v] : NULL;
}

static bool all_zero(const uint8_t d[MEM_LINE_BYTES])
{
    for (unsigned i = 0; i < MEM_LINE_BYTES; i++)
        if (d[i])
            return false;
    return true;
}

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

int sdc_store_set(struct sdc_store *s, uint64_t line, const uint8_t delta[MEM_LINE_BYTES])
{
    if (all_zero(delta)) {
        sdc_store_clear(s, line);
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
    uint64_t *v = u64map_find(&s->index, line);
    if (!v)
        return;
    uint32_t k = (uint32_t)*v;
    u64map_remove(&s->index, line);
    s->free_next[k] = s->free_head;
    s->free_head = k;
}
