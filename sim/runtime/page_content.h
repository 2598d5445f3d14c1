/*
 * page_content.h - ground truth of what a guest's pages hold, as content
 * tokens (guests/dom0/mig_stream.h): every guest write makes a new token,
 * a migration copies tokens, and the integrity check compares them. Only
 * pages that differ from the default cost memory, so a large guest that
 * never migrates costs nothing.
 */
#ifndef SIM_PAGE_CONTENT_H
#define SIM_PAGE_CONTENT_H

#include <stdbool.h>
#include <stdint.h>

#include "models/memctl/u64map.h"

struct page_content {
    struct u64map tok;       /* gfn -> token, where it differs from dflt */
    uint64_t dflt;           /* MIG_TOKEN_BOOT for a booted guest,
                              * MIG_TOKEN_UNPOPULATED for one arriving */
};

void page_content_init(struct page_content *pc, uint64_t dflt);
void page_content_free(struct page_content *pc);
uint64_t page_content_get(const struct page_content *pc, uint64_t gfn);
/* 0, or -1 out of memory. */
int page_content_set(struct page_content *pc, uint64_t gfn, uint64_t token);

/* Compare a migrated guest page by page: the target's copy of each page
 * must equal the source's contents at pause, unless the target marked the
 * page broken (then the guest takes a machine check there instead of
 * reading it). A page broken on the target that was never poisoned on the
 * source, or whose good copy had already arrived, was thrown away
 * needlessly (case B.II, V4 broken-page migration patch, xen-devel 2012). */
struct mig_integrity {
    uint64_t checked, lost, needless_broken, broken_on_target;
    uint64_t first_lost;     /* valid when lost */
};

struct mig_integrity_in {
    uint64_t nr_pages;
    const struct page_content *src, *dst;
    void *ctx;
    bool (*src_poisoned)(void *ctx, uint64_t gfn);
    bool (*dst_broken)(void *ctx, uint64_t gfn);
};

void mig_integrity_check(const struct mig_integrity_in *in, struct mig_integrity *out);

#endif
