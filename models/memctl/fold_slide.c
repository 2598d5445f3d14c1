/*
 * fold_slide.c - walk windows whose fault lines fall in the same runs
 * (fold_slide.h).
 */
#include "models/memctl/fold_slide.h"

void fold_slide_init(struct fold_slide *s, const struct fault_footprint *fp, size_t n, uint64_t walk_lines,
                     uint64_t tail)
{
    *s = (struct fold_slide){.end = walk_lines, .q = 0, .tail = tail, .n = n};
    for (size_t i = 0; i < n; i++)
        if (fp[i].lines < s->end)
            s->end = fp[i].lines;
    /* a line below end has no bit from b up; footprint i repeats every
     * 2^q lines when its free bits hold every bit in [q, b) */
    const unsigned b = s->end > 1 ? 64u - (unsigned)__builtin_clzll(s->end - 1u) : 0;
    const uint64_t in = b >= 64 ? ~0ull : (1ull << b) - 1u;
    for (size_t i = 0; i < n; i++) {
        const uint64_t pinned = ~fp[i].free & in;
        if (pinned) {
            const unsigned hi = 64u - (unsigned)__builtin_clzll(pinned);
            s->q = hi > s->q ? hi : s->q;
        }
    }
    if (s->q >= 63 || n > MEMCTL_FOLD_SET_MAX || (1ull << s->q) > s->end) {
        s->q = 64;
        return;
    }
    for (size_t i = 0; i < n; i++)
        s->per[i] = footprint_rank(&fp[i], 1ull << s->q);
}

/* fp[i]'s last line below the line its rank r is of (r: its lines below) */
static uint64_t last_below(const struct fault_footprint *fp, uint64_t r)
{
    return r ? footprint_nth_line(fp, 0, r - 1u) : FAULT_NO_LINE;
}

void fold_slide_learn(struct fold_slide *s, const struct fault_footprint *fp, uint64_t a, uint64_t b,
                      const uint64_t *rank_a, const uint64_t *rank_b)
{
    s->have = false;
    if (s->q == 64 || a >= b)
        return;
    size_t x, y = 0;
    bool tie;
    s->first = footprints_next_line(fp, s->n, a, &x, &tie);
    if (s->first >= b || tie)
        return;
    /* the last line: the greatest of each fault's last below b (a fault's
     * lines below the first line are its lines below a) */
    uint64_t last = 0;
    bool any = false;
    for (size_t i = 0; i < s->n; i++) {
        s->count[i] = rank_b[i] - rank_a[i];
        if (!s->count[i])
            continue;
        const uint64_t l = last_below(&fp[i], rank_b[i]);
        if (any && l == last)
            return; /* a line of two faults */
        if (!any || l > last) {
            last = l;
            y = i;
        }
        any = true;
    }
    s->x = x;
    s->y = y;
    s->last = last;
    /* each run's bounds: the other faults' lines around it */
    s->x_lo = s->y_lo = s->lo = 0;
    s->x_hi = s->y_hi = FAULT_NO_LINE;
    for (size_t i = 0; i < s->n; i++) {
        const uint64_t l = last_below(&fp[i], rank_a[i]);
        if (l != FAULT_NO_LINE && l + 1u > s->lo)
            s->lo = l + 1u;
        if (i != x) {
            if (l != FAULT_NO_LINE && l + 1u > s->x_lo)
                s->x_lo = l + 1u;
            const uint64_t h = footprint_next_line(&fp[i], s->first + 1u);
            s->x_hi = h < s->x_hi ? h : s->x_hi;
        }
        if (i != y) {
            /* (no line of i's lies in (last, b): last is the greatest) */
            const uint64_t l = last_below(&fp[i], rank_b[i]);
            if (l != FAULT_NO_LINE && l + 1u > s->y_lo)
                s->y_lo = l + 1u;
            const uint64_t h = footprint_next_line(&fp[i], s->last + 1u);
            s->y_hi = h < s->y_hi ? h : s->y_hi;
        }
    }
    s->one_run = x == y && s->x_hi > s->last;
    s->x_run = s->one_run ? s->count[x] : footprint_count_lines(&fp[x], s->first, s->x_hi);
    s->y_run = s->one_run ? s->count[y] : footprint_count_lines(&fp[y], s->y_lo, s->last + 1u);
    s->x_rank = rank_a[x];
    s->y_rank = rank_b[y];
    s->next = footprints_next_line(fp, s->n, b, NULL, NULL);
    s->have = s->next < s->end;
}

/* (the same side of "more than a line": a run's finding folds its others) */
static bool alike(uint64_t run, int64_t d, uint64_t was)
{
    const int64_t now = (int64_t)run + d;
    return now >= 1 && (now > 1) == (was > 1);
}

bool fold_slide_match(const struct fold_slide *s, const struct fault_footprint *fp, uint64_t a, uint64_t b,
                      const uint64_t *rank_a, struct fold_slide_window *w)
{
    if (!s->have || a < s->x_lo)
        return false;
    const uint64_t sh = ((a - s->x_lo) >> s->q) << s->q;
    const uint64_t a0 = a - sh, b0 = b - sh;
    if (a0 >= s->x_hi || b0 <= s->y_lo || b0 > s->y_hi || b0 <= a0 || sh >= s->end)
        return false;
    const struct fault_footprint *fy = &fp[s->y];
    /* lines gained (or lost) at each end, all the end run's fault's (none
     * where an end lies between the same two lines as the learnt one's) */
    int64_t dl = 0, dr = 0;
    if (a0 < s->lo || a0 > s->first) {
        /* (its lines below a0: below a, less those of the periods between;
         * an a0 past the first run's lines leaves it none: not alike) */
        dl = (int64_t)s->x_rank - (int64_t)(rank_a[s->x] - (sh >> s->q) * s->per[s->x]);
    }
    uint64_t next = s->next;
    if (b0 <= s->last || b0 > s->next) {
        dr = (int64_t)footprint_rank(fy, b0) - (int64_t)s->y_rank;
        /* every line in [y_lo, y_hi) is fp[y]'s: none in the tail, and
         * the first line at or after b0 */
        if ((s->y_lo && b0 < s->y_lo + s->tail) || footprint_next_line(fy, b0 > s->tail ? b0 - s->tail : 0) < b0)
            return false;
        next = footprint_next_line(fy, b0);
        next = next < s->y_hi ? next : s->y_hi;
    } else if (b0 - s->last <= s->tail) {
        return false;
    }
    if (s->one_run ? !alike(s->x_run, dl + dr, s->x_run)
                   : !alike(s->x_run, dl, s->x_run) || !alike(s->y_run, dr, s->y_run))
        return false;
    if (next >= s->end - sh)
        return false;
    for (size_t i = 0; i < s->n; i++)
        w->count[i] = s->count[i];
    w->count[s->x] = (uint64_t)((int64_t)w->count[s->x] + dl);
    w->count[s->y] = (uint64_t)((int64_t)w->count[s->y] + dr);
    w->shift = sh;
    w->next = next + sh;
    return true;
}
