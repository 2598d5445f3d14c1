/*
 * round_fold.c - what the hv lends the round fold (sim/runtime/host_fold.cpp,
 * docs/PERFORMANCE.md "Folding repeated rounds"): the counters a handling
 * round moves, and whether its rounds keep any other state that repeats
 * differently.
 *
 * A CMCI round under the xen order leaves the hv as it found it but for
 * counts: the statistics, the record ids and the telemetry pool's order
 * and statistics (a record reserved, committed, fetched and acked within
 * the round: the pool is empty again). Its other state is overwritten
 * whole by every round (the CPUs' round stamps) or untouched.
 */
#include "hv/mce_internal.h"

#include "arch/fold_ctr.h"
#include "hv/cmci_storm.h"

size_t hv_fold_counters(struct hv *hv, struct fold_ctr *out, size_t max)
{
    size_t n = 0;
    uint64_t *stats = (uint64_t *)&hv->stats; /* every member a uint64_t */
    for (size_t i = 0; i < sizeof(hv->stats) / sizeof(uint64_t); i++)
        fold_ctr_push(out, &n, max, FOLD_CTR(stats[i]));
    uint64_t *telem = (uint64_t *)&hv->telem.stats;
    for (size_t i = 0; i < sizeof(hv->telem.stats) / sizeof(uint64_t); i++)
        fold_ctr_push(out, &n, max, FOLD_CTR(telem[i]));
    fold_ctr_push(out, &n, max, FOLD_CTR(hv->next_rec_id));
    fold_ctr_push(out, &n, max, FOLD_CTR(hv->telem.next_order));
    return n;
}

/*
 * Storm detection keeps a history of the rounds (a CMCI rate per window,
 * a bank's bit history): a round repeats in it differently, so only a
 * policy that detects no storm folds (Xen: mce_intel.c has no storm
 * handling). Firmware-first keeps its records in the firmware model.
 * A stopped hv does nothing more.
 */
bool hv_round_foldable(const struct hv *hv)
{
    return hv_storm_params(hv->cfg.storm)->detect == STORM_DETECT_NONE && !hv->cfg.firmware_first &&
           !hv->stopped;
}

