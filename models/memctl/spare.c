/*
 * spare.c - the online-spare rank's state (spare.h): which rank it
 * replaces, how far the copy has got, and which lines it serves.
 */
#include "models/memctl/spare.h"

#include <errno.h>
#include <string.h>

#include "arch/ps_rebase.h"

void spare_init(struct mem_spare *s, bool present)
{
    memset(s, 0, sizeof(*s));
    s->present = present;
}

int spare_begin(struct mem_spare *s, const struct addr_map *m, const struct dram_loc *loc, uint64_t now_ps,
                uint64_t line_ps, bool mirror)
{
    if (!s->present)
        return -ENODEV;
    if (s->used)
        return -EBUSY;
    s->used = true;
    s->mirror = mirror;
    s->channel = loc->channel;
    s->dimm = loc->dimm;
    s->rank = loc->rank;
    s->start_ps = now_ps;
    s->line_ps = line_ps ? line_ps : 1;
    s->nlines = m->lines / ((uint64_t)m->g.channels * m->g.dimms_per_channel * m->g.ranks_per_dimm);
    return 0;
}

uint64_t spare_done_ps(const struct mem_spare *s)
{
    return s->used ? s->start_ps + s->nlines * s->line_ps : 0;
}

uint64_t spare_line_index(const struct addr_map *m, const struct dram_loc *loc)
{
    uint64_t groups = m->g.columns / m->beats;
    return ((uint64_t)loc->row * m->g.banks_per_rank + loc->bank) * groups + loc->column / m->beats;
}

bool spare_serves(const struct mem_spare *s, const struct addr_map *m, const struct dram_loc *loc, uint64_t now_ps,
                  uint64_t *copied_ps)
{
    if (!s->used || loc->channel != s->channel || loc->dimm != s->dimm || loc->rank != s->rank)
        return false;
    uint64_t at = s->start_ps + (spare_line_index(m, loc) + 1) * s->line_ps;
    /* signed times: a rebase keeps the copy up to 2^62 ps old, and
     * refuses after, so now may come over 2^63 ps after it */
    if (!ps_at_or_before(at, now_ps))
        return false;
    if (copied_ps)
        *copied_ps = at;
    return true;
}

/* A start over 2^63 ps back reads as the future: false, as it should. */
bool spare_copying(const struct mem_spare *s, unsigned channel, uint64_t now_ps)
{
    return s->used && channel == s->channel && !ps_after(s->start_ps, now_ps) && ps_after(spare_done_ps(s), now_ps);
}

int spare_can_rebase(const struct mem_spare *s, uint64_t d_ps, uint64_t now_ps)
{
    if (d_ps > PS_REBASE_D_MAX)
        return -ERANGE;
    if (!s->used)
        return 0;
    if (ps_after(spare_done_ps(s), now_ps))
        return -EBUSY;
    /* the time each line was copied decides which faults the spare holds */
    return ps_rebase_pins(s->start_ps, d_ps, now_ps) ? -ERANGE : 0;
}

int spare_rebase(struct mem_spare *s, uint64_t d_ps, uint64_t now_ps)
{
    int rc = spare_can_rebase(s, d_ps, now_ps);
    if (rc == 0 && s->used)
        s->start_ps -= d_ps;
    return rc;
}
