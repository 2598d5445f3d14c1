/*
 * page_content.c - guest page contents as tokens, and the integrity check
 * of a migration (page_content.h).
 */
#include "sim/runtime/page_content.h"

#include <string.h>

void page_content_init(struct page_content *pc, uint64_t dflt)
{
    u64map_init(&pc->tok);
    pc->dflt = dflt;
}

void page_content_free(struct page_content *pc) { u64map_free(&pc->tok); }

uint64_t page_content_get(const struct page_content *pc, uint64_t gfn)
{
    const uint64_t *v = u64map_find(&pc->tok, gfn);
    return v ? *v : pc->dflt;
}

int page_content_set(struct page_content *pc, uint64_t gfn, uint64_t token)
{
    if (token == pc->dflt) {
        u64map_remove(&pc->tok, gfn);
        return 0;
    }
    return u64map_put(&pc->tok, gfn, token);
}

void mig_integrity_check(const struct mig_integrity_in *in, struct mig_integrity *out)
{
    memset(out, 0, sizeof(*out));
    for (uint64_t gfn = 0; gfn < in->nr_pages; gfn++) {
        out->checked++;
        if (in->dst_broken(in->ctx, gfn)) {
            out->broken_on_target++;
            /* a good copy arrived and was thrown away all the same */
            if (!in->src_poisoned(in->ctx, gfn) ||
                page_content_get(in->dst, gfn) == page_content_get(in->src, gfn))
                out->needless_broken++;
            continue;
        }
        if (page_content_get(in->dst, gfn) != page_content_get(in->src, gfn)) {
            if (!out->lost)
                out->first_lost = gfn;
            out->lost++;
        }
    }
}
