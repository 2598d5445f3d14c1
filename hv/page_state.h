/*
 * page_state.h - sparse record of host pages that left the normal state.
 *
 * Only pages touched by error handling are stored (in the order they
 * appeared, with a hash index on the MFN), so a host with terabytes of
 * RAM costs nothing until a page breaks. States follow Xen's
 * page_alloc.c (offline_page): a broken page is offlined at
 * once when free, or marked pending-offline while it has an owner and
 * offlined when freed. A broken page is never handed out again.
 */
#ifndef HV_PAGE_STATE_H
#define HV_PAGE_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "public/hv_report.h"

/* enum page_state, struct page_entry: public/hv_report.h */

/*
 * Pages entered a run at a time (the round fold, sim/runtime/host_fold.cpp:
 * the pages a wide UC fault's folded rounds offlined): a set of pages the
 * platform names by a key and answers for (has: whether mfn is one of it;
 * next: its first page at or after mfn, UINT64_MAX none), every page of
 * which is `like` but for its MFN. An entry of a page's own
 * (page_states_get) takes its place in the run.
 */
struct page_set_ops {
    void *ctx;
    bool (*has)(void *ctx, uint64_t key, uint64_t mfn);
    uint64_t (*next)(void *ctx, uint64_t key, uint64_t mfn);
};
struct page_run {
    uint64_t key, lo, hi;   /* its pages lie in [lo, hi] */
    uint64_t count;         /* its pages without an entry of their own */
    uint64_t maxhi;         /* the largest hi of the runs up to it (by lo) */
    struct page_entry like;
};

struct page_states {
    struct page_entry *v;  /* n entries, in the order they were created  */
    unsigned n, cap;
    uint32_t *index;       /* 2^bits slots: 0 free, else 1 + index in v */
    unsigned bits;
    struct page_run *runs; /* nruns, ascending by lo */
    unsigned nruns, cap_runs;
    uint64_t run_pages;    /* the runs' counts summed */
    struct page_set_ops ops;
};

void page_states_init(struct page_states *ps);
void page_states_fini(struct page_states *ps);
/* The entry for mfn, created when absent: a run's page as its run has it,
 * any other in PAGE_NORMAL; NULL on OOM. */
struct page_entry *page_states_get(struct page_states *ps, uint64_t mfn);
/* mfn's entry, or its run's `like` (whose mfn is not mfn's), or NULL. */
const struct page_entry *page_states_find(const struct page_states *ps, uint64_t mfn);
/* mfn's entry of its own, runs not asked. */
const struct page_entry *page_states_entry(const struct page_states *ps, uint64_t mfn);
/* Pages with an entry or in a run. */
uint64_t page_states_count(const struct page_states *ps);
/* The platform's answers for runs' keys (before the first run). */
void page_states_set_ops(struct page_states *ps, const struct page_set_ops *ops);
/* Add a run: `count` pages in [lo, hi], none with an entry of its own nor
 * in another run (the caller vouches), each as *like. 0 or -ENOMEM. */
int page_states_add_run(struct page_states *ps, uint64_t key, uint64_t lo, uint64_t hi, uint64_t count,
                        const struct page_entry *like);
/* Copy the page_states_count() pages to out, ascending by MFN (the order
 * of reports), or only the first max of them; returns how many. */
uint64_t page_states_copy_sorted(const struct page_states *ps, struct page_entry *out, uint64_t max);

#endif
