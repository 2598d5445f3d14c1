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

struct page_states {
    struct page_entry *v;  /* n entries, in the order they were created  */
    unsigned n, cap;
    uint32_t *index;       /* 2^bits slots: 0 free, else 1 + index in v */
    unsigned bits;
};

void page_states_init(struct page_states *ps);
void page_states_fini(struct page_states *ps);
/* The entry for mfn, created in PAGE_NORMAL when absent; NULL on OOM. */
struct page_entry *page_states_get(struct page_states *ps, uint64_t mfn);
const struct page_entry *page_states_find(const struct page_states *ps, uint64_t mfn);
/* Copy the n entries to out, ascending by MFN (the order of reports). */
void page_states_copy_sorted(const struct page_states *ps, struct page_entry *out);

#endif
