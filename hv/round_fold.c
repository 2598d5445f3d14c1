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
#include "hv/page_state.h"
#include "public/mca_abi.h"

#include <errno.h>

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
        fold_ctr_push(out, &n, max, FOLD_CTR(r->len2));
        fold_ctr_push(out, &n, max, FOLD_CTR(r->quiet));
        fold_ctr_push(out, &n, max, FOLD_CTR(r->empty));
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


/*
 * A UC round (an SRAO a line, Xen's mce_action -> offline_page) makes a
 * page entry when its page is fresh (page_offline.c, hv_offline_page):
 * the entry is the only state such a round keeps besides counts. The
 * fold compares the entries two pages' rounds made and enters the folded
 * pages alike as one run (page_state.h: a set of pages the platform names,
 * not an entry a page). Only offlined pages: a pending one's owner going
 * away (hv_pages_released) would change and trace each.
 */
size_t hv_fold_npages(const struct hv *hv)
{
    return hv->pages.n;
}

bool hv_fold_pages_alike(const struct hv *hv, size_t a, size_t b)
{
    if (a >= hv->pages.n || b >= hv->pages.n)
        return false;
    const struct page_entry *x = &hv->pages.v[a], *y = &hv->pages.v[b];
    return x->state == y->state && x->broken == y->broken && x->freed == y->freed &&
           x->owner_domid == y->owner_domid;
}

bool hv_fold_page_runnable(const struct hv *hv, size_t like)
{
    return like < hv->pages.n && hv->pages.v[like].state == PAGE_OFFLINED;
}

bool hv_fold_page_like(struct hv *hv, uint64_t mfn, size_t like)
{
    return like < hv->pages.n && hv_fold_page_owned_like(hv, mfn, hv->pages.v[like].mfn);
}

bool hv_fold_page_owned_like(struct hv *hv, uint64_t mfn, uint64_t like_mfn)
{
    if (mfn >= MCA_OFFLINE_MFN_LIMIT || page_states_entry(&hv->pages, mfn))
        return false;
    struct hv_page_owner o = hv_page_owner(hv, mfn), l = hv_page_owner(hv, like_mfn);
    return o.kind == l.kind && o.domid == l.domid;
}

bool hv_fold_broken_alike(const struct hv *hv, uint64_t a, uint64_t b)
{
    const struct page_entry *x = page_states_find(&hv->pages, a), *y = page_states_find(&hv->pages, b);
    return x && y && x->broken && x->state == PAGE_OFFLINED && x->state == y->state && x->broken == y->broken &&
           x->freed == y->freed && x->owner_domid == y->owner_domid;
}

uint64_t hv_fold_like_span(struct hv *hv, uint64_t mfn)
{
    /* the owner (hv_page_owner) is a region's, the same from edge to
     * edge; a page's own entry (freed, or any: not like) ends a span;
     * past the range, none is like. Asked again within the last answer's
     * span, only the entries added since can end it sooner (no edge lies
     * in it, and the range's end is no nearer): a UC fold's plan asks a
     * span at a time ahead of the walk, while each real round between
     * folds adds an entry (fleet hosts 3628, 9408: 87,000 a day, each
     * scan of them all) */
    if (hv->like_span.valid && hv->like_span.q <= mfn && mfn < hv->like_span.end) {
        uint64_t end = hv->like_span.end;
        for (unsigned i = hv->like_span.n; i < hv->pages.n; i++)
            if (hv->pages.v[i].mfn > mfn && hv->pages.v[i].mfn < end)
                end = hv->pages.v[i].mfn;
        hv->like_span.q = mfn;
        hv->like_span.end = end;
        hv->like_span.n = hv->pages.n;
        return end;
    }
    uint64_t end = mfn < MCA_OFFLINE_MFN_LIMIT ? MCA_OFFLINE_MFN_LIMIT : UINT64_MAX;
    for (unsigned i = 0; i < hv->cfg.nregions; i++) {
        const struct hv_mem_region *m = &hv->regions[i];
        uint64_t edges[2] = {m->start_mfn, m->start_mfn + m->npages};
        for (unsigned e = 0; e < 2; e++)
            if (edges[e] > mfn && edges[e] < end)
                end = edges[e];
    }
    for (unsigned i = 0; i < hv->pages.n; i++)
        if (hv->pages.v[i].mfn > mfn && hv->pages.v[i].mfn < end)
            end = hv->pages.v[i].mfn;
    hv->like_span.q = mfn;
    hv->like_span.end = end;
    hv->like_span.n = hv->pages.n;
    hv->like_span.valid = true;
    return end;
}

void hv_fold_page_sets(struct hv *hv, const struct page_set_ops *ops)
{
    page_states_set_ops(&hv->pages, ops);
}

int hv_fold_add_page_run(struct hv *hv, uint64_t key, uint64_t lo, uint64_t hi, uint64_t count, size_t like)
{
    if (!hv_fold_page_runnable(hv, like))
        return -EINVAL;
    struct page_entry l = hv->pages.v[like];
    return page_states_add_run(&hv->pages, key, lo, hi, count, &l);
}
