/*
 * dom0_fold.c - what dom0 lends the round fold (sim/runtime/host_fold.cpp):
 * its counts of a round (records fetched, decoded, acked; the "MCE n"
 * number of the decoded text). The record being decoded is overwritten by
 * the next fetch. With CE accounting on, every CE fills a per-page,
 * per-DIMM and per-socket bucket in time (mcelog's leaky buckets, whose
 * overflow asks for a page offline): a round repeats there differently,
 * so dom0 then does not fold.
 */
#include "guests/dom0/dom0.h"

#include "arch/fold_ctr.h"

size_t dom0_fold_counters(struct dom0 *d, struct fold_ctr *out, size_t max)
{
    size_t n = 0;
    fold_ctr_push(out, &n, max, FOLD_CTR(d->mce_count));
    uint64_t *stats = (uint64_t *)&d->stats; /* every member a uint64_t */
    for (size_t i = 0; i < sizeof(d->stats) / sizeof(uint64_t); i++)
        fold_ctr_push(out, &n, max, FOLD_CTR(stats[i]));
    return n;
}

bool dom0_round_foldable(const struct dom0 *d) { return !d->ce.enabled; }
