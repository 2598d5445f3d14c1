/*
 * fold_holes.c - the bank-count fold across another fault's poisoned
 * lines (fold_holes.h). Built on memctl_scrub_fold_set's holes, which
 * already take a fault's CEs and a nested fault's poisoned lines together
 * exactly; this adds the single fold's start (a finding, or the walk's
 * next line) and its wake (the k-th CE, for the CMCI threshold).
 */
#include "models/memctl/fold_holes.h"

#include "arch/ps_rebase.h"

/* Poisoned lines in a row the walk's next line may start with (a column
 * fault within a bank fault's: one a row) */
#define HOLES_FIRST_MAX 64u

bool memctl_holed_is_hole(const struct memctl_holed_span *s, uint64_t line)
{
    for (unsigned i = 1; i < s->m; i++)
        if (line >= s->from[i] && footprint_covers(&s->fp[i], line))
            return true;
    return false;
}

/* (each of fp[1..m) strictly within fp[0]'s lines, no two sharing one,
 * its lines from[i] on walked as its own: memctl_scrub_holed_span) */
uint64_t memctl_holed_rank(const struct memctl_holed_span *s, uint64_t x)
{
    uint64_t n = footprint_rank(&s->fp[0], x);
    for (unsigned i = 1; i < s->m; i++)
        if (s->from[i] < x)
            n -= footprint_rank(&s->fp[i], x) - s->from_rank[i];
    return n;
}

uint64_t memctl_holed_count(const struct memctl_holed_span *s, uint64_t a, uint64_t b)
{
    return b > a ? memctl_holed_rank(s, b) - memctl_holed_rank(s, a) : 0;
}

/* The j-th line of fp[0] from `from` on is the k-th not a hole when j is k
 * plus the holes up to it. j = k + holes(j) is met first, going up from
 * j = k, at the answer (were the least such line a hole, the line before
 * would meet it too), in a step or two where holes are sparse (a column's
 * line a row): the binary search this replaced counted lines 34 times an
 * ask, a quarter of fleet linux-6 3628's year. */
uint64_t memctl_holed_nth(const struct memctl_holed_span *s, uint64_t from, uint64_t k)
{
    uint64_t r = FAULT_NO_LINE;
    if (from < s->end) {
        const uint64_t below = memctl_holed_rank(s, from);
        for (uint64_t j = k;;) {
            const uint64_t x = footprint_nth_line(&s->fp[0], from, j);
            if (x == FAULT_NO_LINE || x >= s->end)
                break;
            const uint64_t holes = j + 1u - (memctl_holed_rank(s, x + 1u) - below);
            if (k + holes == j) {
                r = x;
                break;
            }
            j = k + holes;
        }
    }
    return r;
}

/* The last time a set fold may reach: before *end's line, or before the
 * pass's last line (scrub_fold_set leaves a pass's end to scrub_fold). */
static uint64_t holed_cap(const struct memctl *mc, uint64_t end)
{
    const uint64_t pass = mc->scrub.pass_base + mc->scrub.pass;
    const uint64_t stop = end < mc->scrub.lines ? end : mc->scrub.lines - 1u;
    return scrubber_line_time(&mc->scrub, pass, stop) - 1u;
}

bool memctl_scrub_holed_span(struct memctl *mc, const struct memctl_scrub_event *like, struct memctl_holed_span *s)
{
    const struct mem_fault *f = fault_map_get(&mc->faults, like->fault_id);
    uint64_t id, ids[SCRUB_FOLD_SET_MAX];
    struct fault_footprint x;
    if (mc->cfg.scrub_disabled || !f || !f->permanent || !memctl_fold_nested(mc, like, ids, s->fp, &s->m))
        return false;
    for (unsigned i = 1; i < s->m; i++) /* no line in two of them: their lines are subtracted once */
        for (unsigned j = i + 1; j < s->m; j++)
            if (footprint_intersect(&s->fp[i], &s->fp[j], &x))
                return false;
    if (s->m == 1 || !scrub_peek(&mc->scrub, &mc->faults, &s->line, &id))
        return false;
    /* a fault within its lines is walked from its entry on (none: not
     * this pass, arriving later; or later in it, from where the walk
     * stands then): its lines before are the like's fault's alone */
    (void)scrub_fold_set_end(&mc->scrub, &mc->faults, ids, s->m, s->from);
    for (unsigned i = 0; i < s->m; i++)
        s->from_rank[i] = s->from[i] == FAULT_NO_LINE ? 0 : footprint_rank(&s->fp[i], s->from[i]);
    uint64_t l = footprint_next_line(&s->fp[0], s->line);
    for (unsigned i = 0; l != FAULT_NO_LINE && memctl_holed_is_hole(s, l); i++)
        l = i < HOLES_FIRST_MAX ? footprint_next_line(&s->fp[0], l + 1u) : FAULT_NO_LINE;
    if (l == FAULT_NO_LINE)
        return false;
    s->own = l;
    s->end = memctl_scrub_fold_set_end(mc, like, 1, true);
    if (s->own >= s->end || memctl_holed_count(s, s->line, s->end) == footprint_count_lines(&s->fp[0], s->line, s->end))
        return false;
    /* and the set fold takes them, as far as it may reach (then any less
     * far too): not, say, a correction of the wrong data a miscorrection
     * left, whose write-backs move data where faults nest (fleet linux-6
     * 5643) */
    uint64_t last;
    return memctl_scrub_fold_set(mc, holed_cap(mc, s->end), like, 1, true, true, &last) != 0;
}

uint64_t memctl_scrub_fold_holed(struct memctl *mc, uint64_t until_ps, struct memctl_scrub_event *like, bool due,
                                 uint64_t *last_ps)
{
    struct memctl_holed_span hs;
    uint64_t line, id, n = 0;
    /* nothing due yet: the common case right after a finding */
    if (mc->cfg.scrub_disabled || !scrub_peek(&mc->scrub, &mc->faults, &line, &id) ||
        !ps_due(scrubber_line_time(&mc->scrub, mc->scrub.pass_base + mc->scrub.pass, line), until_ps))
        return 0;
    if (memctl_scrub_holed_span(mc, like, &hs)) {
        const uint64_t pass = mc->scrub.pass_base + mc->scrub.pass, cap = holed_cap(mc, hs.end);
        const uint64_t u = ps_due(cap, until_ps) ? cap : until_ps, own_ps = scrubber_line_time(&mc->scrub, pass, hs.own);
        if (ps_due(own_ps, u)) {
            /* due: the first CE's finding would have been the like
             * (memctl_scrub_fold_due) */
            struct memctl_scrub_event at = *like;
            if (due)
                at.time_ps = own_ps;
            n = memctl_scrub_fold_set(mc, u, &at, 1, true, false, last_ps);
            if (n && due)
                like->time_ps = own_ps;
        }
    }
    /* the rest (the pass's last line), or all when no hole lies ahead */
    uint64_t lp, rest = n || due ? memctl_scrub_fold_due(mc, until_ps, like, &lp) : memctl_scrub_fold(mc, until_ps, like, &lp);
    if (rest)
        *last_ps = lp;
    return n + rest;
}

uint64_t memctl_scrub_fold_holed_horizon(struct memctl *mc, const struct memctl_scrub_event *like, uint64_t k,
                                         bool *writes)
{
    struct memctl_holed_span hs;
    if (k == 0 || !memctl_scrub_holed_span(mc, like, &hs))
        return memctl_scrub_fold_horizon(mc, like, k, writes);
    const uint64_t pass = mc->scrub.pass_base + mc->scrub.pass;
    uint64_t at = memctl_holed_nth(&hs, hs.line, k - 1u); /* the k-th CE from the walk's next line, or end */
    if (at == FAULT_NO_LINE)
        at = hs.end;
    const uint64_t t = scrubber_line_time(&mc->scrub, pass, at);
    if (writes)
        *writes = false; /* a right correction of right data: nothing written changes */
    return t;
}
