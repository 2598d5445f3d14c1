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
    /* Per CPU, its poll timer's rounds and its storm state: still from
     * round to round while nothing polls (the xen order's CE rounds); a
     * storm's poll a round (linux-6) moves the rounds' times by the poll
     * period, the rounds begun by one, and a bank's history stays all
     * ones (saturated) while its last shift moves by the period (the times
 * hv_rebase moves are marked so: FOLD_TIME). A
     * history still filling, a count in a window, a storm beginning or
     * ending move otherwise: the rounds are not alike, nothing folds. */
    for (unsigned c = 0; c < hv->cfg.ncpus; c++) {
        struct hv_cpu *p = &hv->cpu[c];
        struct hv_poll_rounds *r = &p->rounds;
        struct hv_storm_cpu *s = &p->storm;
        fold_ctr_push(out, &n, max, FOLD_CTR(p->poll_interval_ps));
        for (unsigned i = 0; i < 2; i++) {
            fold_ctr_push(out, &n, max, FOLD_TIME(r->start_ps[i]));
            fold_ctr_push(out, &n, max, FOLD_TIME(r->end_ps[i]));
        }
        fold_ctr_push(out, &n, max, FOLD_CTR(r->quiet));
        fold_ctr_push(out, &n, max, FOLD_CTR(r->checks));
        fold_ctr_push(out, &n, max, FOLD_CTR(r->round_checks));
        fold_ctr_push(out, &n, max, FOLD_CTR(r->begun));
        fold_ctr_push(out, &n, max, FOLD_CTR(r->running));
        fold_ctr_push(out, &n, max, FOLD_CTR(r->at_max));
        fold_ctr_push(out, &n, max, FOLD_CTR(r->found));
        fold_ctr_push(out, &n, max, FOLD_CTR(s->in_storm));
        fold_ctr_push(out, &n, max, FOLD_CTR(s->cmci_enabled));
        fold_ctr_push(out, &n, max, FOLD_CTR(s->cmci_count));
        fold_ctr_push(out, &n, max, FOLD_TIME(s->window_start_ps));
        fold_ctr_push(out, &n, max, FOLD_CTR(s->clean_polls));
        fold_ctr_push(out, &n, max, FOLD_CTR(s->storm_banks));
        fold_ctr_push(out, &n, max, FOLD_CTR(s->storms));
        for (unsigned b = 0; b < p->nbanks && b < MCA_MAX_BANKS; b++) {
            fold_ctr_push(out, &n, max, FOLD_CTR(s->bank[b].history));
            fold_ctr_push(out, &n, max, FOLD_TIME(s->bank[b].last_ps));
            fold_ctr_push(out, &n, max, FOLD_CTR(s->bank[b].threshold));
            fold_ctr_push(out, &n, max, FOLD_CTR(s->bank[b].saved_threshold));
            fold_ctr_push(out, &n, max, FOLD_CTR(s->bank[b].in_storm));
        }
    }
    return n;
}

/*
 * Firmware-first keeps its records in the firmware model; a stopped hv
 * does nothing more. A bank's storm history is among the counters
 * (above): rounds it would see differently do not compare alike. A CMCI
 * rate per window (linux-2.6) is a count that grows by one a round until
 * it passes a threshold and a storm begins: k rounds more are not k times
 * a round there, so that policy does not fold.
 */
bool hv_round_foldable(const struct hv *hv)
{
    return hv_storm_params(hv->cfg.storm)->detect != STORM_DETECT_CPU_RATE && !hv->cfg.firmware_first &&
           !hv->stopped;
}

