/*
 * fold_ctr.h - a counter one part of the simulation lends to the round
 * fold (sim/runtime/host_fold.cpp, docs/PERFORMANCE.md "Folding repeated
 * rounds"): where it is and how wide. A part lists the counters a round
 * of its work moves (hv_fold_counters, dom0_fold_counters, ...); the fold
 * reads them at each round's start and, once two rounds moved every one by
 * the same amount, adds k times that amount instead of running k rounds.
 * A counter that a round moves in any other way (a ring index, a sum of
 * times) must not be listed: the part says instead that it cannot fold.
 */
#ifndef ARCH_FOLD_CTR_H
#define ARCH_FOLD_CTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fold_ctr {
    void *p;
    unsigned width; /* sizeof the counter: 1 (a bool or byte), 2, 4 or 8 */
    bool time;      /* a time the epoch rebase moves (ps_rebase): the fold
                     * moves its copies with it */
};

#define FOLD_CTR(field) ((struct fold_ctr){.p = &(field), .width = sizeof(field), .time = false})
#define FOLD_TIME(field) ((struct fold_ctr){.p = &(field), .width = sizeof(field), .time = true})

static inline uint64_t fold_ctr_get(const struct fold_ctr *c)
{
    switch (c->width) {
    case 1: return *(const uint8_t *)c->p;
    case 2: return *(const uint16_t *)c->p;
    case 4: return *(const uint32_t *)c->p;
    default: return *(const uint64_t *)c->p;
    }
}

/* A bool only ever gets back a value it had (a steady round moves it by
 * 0), so storing through its byte is safe. */
static inline void fold_ctr_set(const struct fold_ctr *c, uint64_t v)
{
    switch (c->width) {
    case 1: *(uint8_t *)c->p = (uint8_t)v; break;
    case 2: *(uint16_t *)c->p = (uint16_t)v; break;
    case 4: *(uint32_t *)c->p = (uint32_t)v; break;
    default: *(uint64_t *)c->p = v; break;
    }
}

/* Append the counter at `field` to out[*n] when there is room; a list
 * longer than max is the caller's bug, caught by its size check. */
static inline void fold_ctr_push(struct fold_ctr *out, size_t *n, size_t max, struct fold_ctr c)
{
    if (*n < max)
        out[*n] = c;
    (*n)++;
}

#endif
