/*
 * poison_runs.c - poisoned lines as runs of a fault's footprint (see
 * poison_runs.h).
 */
#include "models/memctl/poison_runs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/ps_rebase.h"

void poison_runs_init(struct poison_runs *pr)
{
    memset(pr, 0, sizeof(*pr));
}

void poison_runs_free(struct poison_runs *pr)
{
    for (size_t i = 0; i < pr->n; i++)
        free(pr->run[i].out);
    free(pr->run);
    memset(pr, 0, sizeof(*pr));
}

/* ---- one run ---------------------------------------------------------------- */

/* Index of r's first out line >= line. */
static size_t out_lower(const struct poison_run *r, uint64_t line)
{
    return u64_lower_bound(r->out, r->nout, line);
}

static bool is_out(const struct poison_run *r, uint64_t line)
{
    size_t k = out_lower(r, line);
    return k < r->nout && r->out[k] == line;
}

static bool in_range(const struct poison_run *r, uint64_t line)
{
    return line >= r->from && line <= r->to && footprint_covers(&r->fp, line);
}

static bool live(const struct poison_run *r, uint64_t line)
{
    return in_range(r, line) && !is_out(r, line);
}

/* The first line >= x of sub (a part of r's footprint) that r poisons, or
 * UINT64_MAX. */
static uint64_t next_live(const struct poison_run *r, const struct fault_footprint *sub, uint64_t x)
{
    uint64_t c = footprint_next_line(sub, x > r->from ? x : r->from);
    while (c != FAULT_NO_LINE && c <= r->to && is_out(r, c))
        c = footprint_next_line(sub, c + 1u);
    return c != FAULT_NO_LINE && c <= r->to ? c : UINT64_MAX;
}

/* ps_after's difference holds however long the clock runs on: the floor
 * lies at most 2^62 ps before the rebase that set it, the run's pass began
 * before that rebase, and its lines lie within the pass and, unless all
 * pinned, end after the floor. */
static uint64_t run_time(const struct poison_run *r, const struct scrubber *s, uint64_t line)
{
    if (r->all_pinned)
        return r->floor_ps;
    uint64_t t = r->t0 + scrubber_line_offset(s, line);
    return r->has_floor && !ps_after(t, r->floor_ps) ? r->floor_ps : t;
}

static int out_insert(struct poison_run *r, uint64_t line)
{
    if (r->nout == r->cap_out) {
        size_t ncap = r->cap_out ? r->cap_out * 2 : 8;
        uint64_t *n = realloc(r->out, ncap * sizeof(*n));
        if (!n)
            return -ENOMEM;
        r->out = n;
        r->cap_out = ncap;
    }
    size_t k = out_lower(r, line);
    memmove(r->out + k + 1, r->out + k, (r->nout - k) * sizeof(*r->out));
    r->out[k] = line;
    r->nout++;
    return 0;
}

/* Lines of sub in [lo, hi] that r poisons. */
static uint64_t live_in(const struct poison_run *r, const struct fault_footprint *sub, uint64_t lo, uint64_t hi)
{
    if (lo < r->from)
        lo = r->from;
    if (hi > r->to)
        hi = r->to;
    if (lo > hi)
        return 0;
    uint64_t n = footprint_count_lines(sub, lo, hi + 1u);
    for (size_t k = out_lower(r, lo); k < r->nout && r->out[k] <= hi; k++)
        n -= footprint_covers(sub, r->out[k]);
    return n;
}

/* ---- adding a run -------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The run the new one continues: the same fault and pass, the same
 * schedule (t0, no pin reaching the new lines), ending before from. */
static struct poison_run *merge_candidate(struct poison_runs *pr, const struct scrubber *s, uint64_t fault_id,
                                          const struct fault_footprint *fp, uint64_t from, uint64_t pass,
                                          uint64_t t0)
{
    for (size_t i = pr->n; i-- > 0;) {
        struct poison_run *r = &pr->run[i];
        if (r->fault_id != fault_id || r->pass != pass || r->all_pinned || r->t0 != t0 || r->to >= from ||
            r->fp.key != fp->key || r->fp.free != fp->free)
            continue;
        if (r->has_floor && !ps_after(t0 + scrubber_line_offset(s, from), r->floor_ps))
            return NULL;
        return r;
    }
    return NULL;
}

int poison_runs_extend(struct poison_runs *pr, struct poison_set *p, const struct scrubber *s, uint64_t fault_id,
                       const struct fault_footprint *fp, uint64_t line, uint64_t pass, uint64_t t0, uint64_t when)
{
    struct poison_run *r = merge_candidate(pr, s, fault_id, fp, line, pass, t0);
    if (r && r->to + 1u < r->fp.lines && footprint_next_line(&r->fp, r->to + 1u) == line &&
        run_time(r, s, line) == when) {
        r->to = line;
        return 0;
    }
    /* a new run: none of the fault's in this pass (a line between ends
     * the growth), and few of it at all (a line cleared and found again
     * pass after pass would begin one each: marks, hashed, cost less to
     * ask about than runs, each looked at by every query) */
    size_t of_fault = 0;
    for (size_t i = 0; i < pr->n; i++) {
        if (pr->run[i].fault_id != fault_id)
            continue;
        if (pr->run[i].pass == pass || ++of_fault >= POISON_RUNS_BEGUN_MAX)
            return -ENOENT;
    }
    if (t0 + scrubber_line_offset(s, line) != when)
        return -ENOENT;
    return poison_runs_add(pr, p, s, fault_id, fp, line, line, pass, t0);
}

int poison_runs_add(struct poison_runs *pr, struct poison_set *p, const struct scrubber *s, uint64_t fault_id,
                    const struct fault_footprint *fp, uint64_t from, uint64_t to, uint64_t pass, uint64_t t0)
{
    if (from > to || footprint_count_lines(fp, from, to + 1u) == 0)
        return 0;
    for (size_t i = 0; i < pr->n; i++) {
        struct fault_footprint both;
        if (footprint_intersect(fp, &pr->run[i].fp, &both) && live_in(&pr->run[i], &both, from, to) > 0)
            return -EEXIST;
    }
    struct poison_run *r = merge_candidate(pr, s, fault_id, fp, from, pass, t0);
    uint64_t scan_from = r ? r->to + 1u : from;
    /* Per-line marks on the lines: the run's time -> into the run (take),
     * another -> left out of it (keep). Between r and from every line must
     * be taken for the runs to join. */
    size_t nmarks = 0, ntake = 0, nkeep = 0, gap_taken = 0;
    uint64_t line, t;
    /* the marks in [scan_from, to], in line order (poison_next_line) */
    for (line = poison_next_line(p, scan_from); line <= to; line = poison_next_line(p, line + 1u))
        nmarks += footprint_covers(fp, line);
    uint64_t *take = malloc((nmarks + 1u) * sizeof(*take)), *keep = malloc((nmarks + 1u) * sizeof(*keep));
    if (!take || !keep) {
        free(take);
        free(keep);
        return -ENOMEM;
    }
    for (line = poison_next_line(p, scan_from); line <= to; line = poison_next_line(p, line + 1u)) {
        if (!footprint_covers(fp, line) || !poison_time(p, line << MEM_LINE_SHIFT, &t))
            continue;
        uint64_t want = line < from ? run_time(r, s, line) : t0 + scrubber_line_offset(s, line);
        if (t == want) {
            take[ntake++] = line;
            gap_taken += line < from;
        } else if (line >= from) {
            keep[nkeep++] = line;
        }
    }
    if (r && gap_taken != footprint_count_lines(fp, scan_from, from)) {
        r = NULL; /* a line between them is not poisoned alike: a run of its own */
        size_t k = 0;
        for (size_t i = 0; i < ntake; i++)
            if (take[i] >= from)
                take[k++] = take[i]; /* the marks between stay */
        ntake = k;
    }
    qsort(keep, nkeep, sizeof(*keep), cmp_u64);
    int rc = 0;
    if (r) {
        if (r->nout + nkeep > r->cap_out) {
            uint64_t *n = realloc(r->out, (r->nout + nkeep) * sizeof(*n));
            if (!n)
                rc = -ENOMEM;
            else {
                r->out = n;
                r->cap_out = r->nout + nkeep;
            }
        }
        if (rc == 0) {
            /* all after r's lines: appended in order */
            memcpy(r->out + r->nout, keep, nkeep * sizeof(*keep));
            r->nout += nkeep;
            r->to = to;
        }
    } else {
        if (pr->n == pr->cap) {
            size_t ncap = pr->cap ? pr->cap * 2 : 4;
            struct poison_run *n = realloc(pr->run, ncap * sizeof(*n));
            if (!n)
                rc = -ENOMEM;
            else {
                pr->run = n;
                pr->cap = ncap;
            }
        }
        if (rc == 0) {
            pr->run[pr->n++] = (struct poison_run){
                .fault_id = fault_id, .fp = *fp, .from = from, .to = to, .pass = pass, .t0 = t0,
                .out = keep, .nout = nkeep, .cap_out = nmarks + 1u,
            };
            keep = NULL; /* the run owns it */
        }
    }
    if (rc != 0) {
        free(take);
        free(keep);
        return rc;
    }
    pr->nout += nkeep;
    for (size_t k = 0; k < ntake; k++)
        (void)poison_clear(p, take[k] << MEM_LINE_SHIFT);
    free(take);
    free(keep);
    return 0;
}

/* ---- queries ------------------------------------------------------------------- */

bool poison_runs_test(const struct poison_runs *pr, uint64_t line)
{
    for (size_t i = 0; i < pr->n; i++)
        if (live(&pr->run[i], line))
            return true;
    return false;
}

bool poison_runs_time(const struct poison_runs *pr, const struct scrubber *s, uint64_t line, uint64_t *when_ps)
{
    for (size_t i = 0; i < pr->n; i++)
        if (live(&pr->run[i], line)) {
            if (when_ps)
                *when_ps = run_time(&pr->run[i], s, line);
            return true;
        }
    return false;
}

bool poison_runs_clear(struct poison_runs *pr, uint64_t line)
{
    bool was = false;
    for (size_t i = 0; i < pr->n; i++)
        if (live(&pr->run[i], line)) {
            /* out of memory: the line stays poisoned (as a failed per-line
             * clear cannot happen, this is the one way it differs) */
            if (out_insert(&pr->run[i], line) == 0) {
                pr->nout++;
                was = true;
            }
        }
    return was;
}

uint64_t poison_runs_count(const struct poison_runs *pr)
{
    uint64_t n = 0;
    for (size_t i = 0; i < pr->n; i++) {
        const struct poison_run *r = &pr->run[i];
        n += footprint_count_lines(&r->fp, r->from, r->to + 1u) - r->nout;
    }
    return n;
}

size_t poison_runs_list(const struct poison_runs *pr, uint64_t *lines, size_t max)
{
    if (pr->n == 0 || max == 0)
        return 0;
    uint64_t *cur = malloc(pr->n * sizeof(*cur));
    if (!cur)
        return 0;
    for (size_t i = 0; i < pr->n; i++)
        cur[i] = next_live(&pr->run[i], &pr->run[i].fp, 0);
    size_t k = 0;
    while (k < max) { /* merge the runs' lines in order (live lines are disjoint) */
        size_t best = pr->n;
        for (size_t i = 0; i < pr->n; i++)
            if (cur[i] != UINT64_MAX && (best == pr->n || cur[i] < cur[best]))
                best = i;
        if (best == pr->n)
            break;
        lines[k++] = cur[best];
        cur[best] = next_live(&pr->run[best], &pr->run[best].fp, cur[best] + 1u);
    }
    free(cur);
    return k;
}

uint64_t poison_runs_first(const struct poison_runs *pr, const struct fault_footprint *fp, uint64_t from)
{
    return poison_runs_first_except(pr, fp, from, NULL, 0);
}

uint64_t poison_runs_first_except(const struct poison_runs *pr, const struct fault_footprint *fp, uint64_t from,
                                  const struct fault_footprint *skip, size_t nskip)
{
    uint64_t best = UINT64_MAX;
    for (size_t i = 0; i < pr->n; i++) {
        struct fault_footprint both;
        if (!footprint_intersect(fp, &pr->run[i].fp, &both))
            continue;
        bool skipped = false;
        for (size_t k = 0; k < nskip && !skipped; k++)
            skipped = footprint_contains(&skip[k], &both);
        if (skipped)
            continue;
        uint64_t l = next_live(&pr->run[i], &both, from);
        if (l < best)
            best = l;
    }
    return best;
}

uint64_t poison_runs_stretch_end(const struct poison_runs *pr, const struct fault_footprint *fp, uint64_t from)
{
    uint64_t x = from;
    for (bool moved = true; moved && x != FAULT_NO_LINE;) {
        moved = false;
        for (size_t i = 0; i < pr->n && !moved; i++) {
            const struct poison_run *r = &pr->run[i];
            if (!footprint_contains(&r->fp, fp) || !live(r, x))
                continue;
            /* fp's lines are r's: on to fp's first line past r, or r's
             * first out line of fp's on the way */
            uint64_t end = footprint_next_line(fp, r->to + 1u);
            for (size_t k = out_lower(r, x); k < r->nout && r->out[k] < end; k++)
                if (footprint_covers(fp, r->out[k])) {
                    end = r->out[k];
                    break;
                }
            x = end;
            moved = true;
        }
    }
    return x;
}

void poison_runs_rebase(struct poison_runs *pr, const struct scrubber *s, uint64_t d_ps, uint64_t now_ps)
{
    for (size_t i = 0; i < pr->n; i++) {
        struct poison_run *r = &pr->run[i];
        /* the pins of one rebase after another make one floor: max(floor -
         * d, now - AGE_MAX) = ps_rebase(floor) */
        r->floor_ps = r->has_floor ? ps_rebase(r->floor_ps, d_ps, now_ps) : now_ps - PS_REBASE_AGE_MAX;
        r->has_floor = true;
        if (r->all_pinned)
            continue;
        r->t0 -= d_ps;
        if (!ps_after(r->t0 + scrubber_line_offset(s, r->to), r->floor_ps))
            r->all_pinned = true; /* its last line too: every line reads the floor */
    }
}
