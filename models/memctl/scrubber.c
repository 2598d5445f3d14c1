/*
 * scrubber.c - the sparse patrol-scrub walk of scrubber.h.
 *
 * Main structure: a binary min-heap of (line, fault id), one entry per
 * fault with footprint left in the current pass, ordered by line then id
 * (so ties never depend on memory layout). Invariants: every entry's line
 * is >= cursor; a live fault whose arrival is before the current pass end
 * and whose footprint has a line >= max(cursor, position at arrival) has
 * exactly one entry, at the smallest such line (dead faults may leave
 * stale entries, dropped when they reach the top).
 */
#include "models/memctl/scrubber.h"

#include <errno.h>
#include <stdlib.h>

#include "arch/ps_rebase.h"

__extension__ typedef unsigned __int128 u128; /* exact line * period products */

int scrubber_init(struct scrubber *s, const struct addr_map *m, const struct scrubber_config *cfg)
{
    if (!s || !m || !cfg)
        return -1;
    s->period_ps = cfg->period_ps ? cfg->period_ps : SCRUB_DEFAULT_PERIOD_PS;
    s->start_ps = cfg->start_ps;
    s->lines = m->lines;
    s->lines_log2 = -1;
    if (s->lines && (s->lines & (s->lines - 1u)) == 0)
        s->lines_log2 = __builtin_ctzll(s->lines);
    s->pass = 0;
    s->pass_base = 0;
    s->cursor = 0;
    s->built = false;
    s->heap = NULL;
    s->n = s->cap = 0;
    s->visits = 0;
    scrub_passive_init(&s->passive);
    return 0;
}

void scrubber_free(struct scrubber *s)
{
    free(s->heap);
    scrub_passive_free(&s->passive);
    s->heap = NULL;
    s->n = s->cap = 0;
}

/* ---- schedule -------------------------------------------------------------- */

static uint64_t line_at(const struct scrubber *s, uint64_t pass, uint64_t t);

uint64_t scrubber_line_at(const struct scrubber *s, uint64_t pass, uint64_t t)
{
    return line_at(s, pass - s->pass_base, t);
}

/* First line of `pass` the walk reaches at or after t (lines if none). */
static uint64_t line_at(const struct scrubber *s, uint64_t pass, uint64_t t)
{
    uint64_t p0 = scrubber_pass_start(s, pass);
    if (!ps_after(t, p0))
        return 0;
    u128 d = (u128)(t - p0) * s->lines;
    u128 i = (d + s->period_ps - 1u) / s->period_ps; /* ceiling */
    return i > s->lines ? s->lines : (uint64_t)i;
}

uint64_t scrubber_lines_within(const struct scrubber *s, uint64_t dt)
{
    u128 i = ((u128)dt * s->lines + s->period_ps - 1u) / s->period_ps;
    return i > s->lines ? s->lines : (uint64_t)i;
}

void scrubber_steps_init(struct scrubber_steps *st, const struct scrubber *s, uint64_t pass, uint64_t t,
                         uint64_t dt)
{
    *st = (struct scrubber_steps){.s = s, .pass = pass, .t = t, .dt = dt};
    const uint64_t p0 = scrubber_pass_start(s, pass - s->pass_base);
    if (p0 == UINT64_MAX || !ps_after(t, p0) || s->period_ps >> 63)
        return; /* (each asked of line_at) */
    const u128 n = (u128)(t - p0) * s->lines, d = (u128)dt * s->lines;
    st->q = (uint64_t)(n / s->period_ps);
    st->r = (uint64_t)(n % s->period_ps);
    st->dq = (uint64_t)(d / s->period_ps);
    st->dr = (uint64_t)(d % s->period_ps);
    st->exact = n / s->period_ps <= UINT64_MAX / 2 && d / s->period_ps <= UINT64_MAX / 4;
}

/* scrubber_position in passes from the anchor. */
static void position(const struct scrubber *s, uint64_t now_ps, uint64_t *pass, uint64_t *line)
{
    uint64_t p = !ps_after(now_ps, s->start_ps) ? 0 : (now_ps - s->start_ps) / s->period_ps;
    uint64_t l = line_at(s, p, now_ps);
    if (l == s->lines) { /* exactly at the end: the next pass begins */
        p++;
        l = 0;
    }
    *pass = p;
    *line = l;
}

void scrubber_position(const struct scrubber *s, uint64_t now_ps, uint64_t *pass, uint64_t *line)
{
    position(s, now_ps, pass, line);
    *pass += s->pass_base;
}

/* ---- heap --------------------------------------------------------------- */

static bool before(const struct scrub_entry *a, const struct scrub_entry *b)
{
    return a->line < b->line || (a->line == b->line && a->fault_id < b->fault_id);
}

static void swap(struct scrub_entry *a, struct scrub_entry *b)
{
    struct scrub_entry t = *a;
    *a = *b;
    *b = t;
}

static int heap_push(struct scrubber *s, uint64_t line, uint64_t id)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        struct scrub_entry *h = realloc(s->heap, ncap * sizeof(*h));
        if (!h)
            return -1;
        s->heap = h;
        s->cap = ncap;
    }
    size_t i = s->n++;
    s->heap[i] = (struct scrub_entry){line, id};
    while (i > 0 && before(&s->heap[i], &s->heap[(i - 1) / 2])) {
        swap(&s->heap[i], &s->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    return 0;
}

static void heap_pop(struct scrubber *s)
{
    s->heap[0] = s->heap[--s->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < s->n && before(&s->heap[l], &s->heap[m]))
            m = l;
        if (r < s->n && before(&s->heap[r], &s->heap[m]))
            m = r;
        if (m == i)
            return;
        swap(&s->heap[i], &s->heap[m]);
        i = m;
    }
}

/* ---- the walk ---------------------------------------------------------- */

/* Queue fault id's first line in this pass at or after `from`. A push that
 * fails for lack of memory loses the fault for this pass only. */
static void queue_from(struct scrubber *s, const struct fault_map *fm, uint64_t id, uint64_t from)
{
    uint64_t line = fault_map_next_line(fm, id, from);
    if (line != FAULT_NO_LINE)
        (void)heap_push(s, line, id);
}

/* Where fault f joins the current pass, or lines if not in this pass.
 * (ps_at_or_before: an arrival a rebase pinned may lie over 2^63 ps
 * before a pass start.) */
static uint64_t join_line(const struct scrubber *s, const struct mem_fault *f)
{
    uint64_t next = scrubber_pass_start(s, s->pass + 1);
    if (next != UINT64_MAX && ps_at_or_before(next, f->time_ps))
        return s->lines; /* arrives in a later pass */
    uint64_t from = ps_at_or_before(f->time_ps, scrubber_pass_start(s, s->pass)) ? 0 : line_at(s, s->pass, f->time_ps);
    return from > s->cursor ? from : s->cursor;
}

static void build(struct scrubber *s, const struct fault_map *fm)
{
    s->n = 0;
    size_t pos = 0;
    uint64_t id;
    const struct mem_fault *f;
    while (fault_map_iter(fm, &pos, &id, &f)) {
        if (scrub_passive_find(&s->passive, id))
            continue; /* counted, not walked */
        uint64_t from = join_line(s, f);
        if (from < s->lines)
            queue_from(s, fm, id, from);
    }
    s->built = true;
}

void scrubber_fault_added(struct scrubber *s, const struct fault_map *fm, uint64_t id)
{
    const struct mem_fault *f = fault_map_get(fm, id);
    if (!f || !s->built)
        return; /* the next build sees it */
    uint64_t from = join_line(s, f);
    if (from < s->lines)
        queue_from(s, fm, id, from);
}

static void drop_dead(struct scrubber *s, const struct fault_map *fm)
{
    while (s->n > 0 && !fault_map_get(fm, s->heap[0].fault_id))
        heap_pop(s);
}

/* Start the next pass once until_ps has reached it; false if not yet. */
static bool next_pass(struct scrubber *s, const struct fault_map *fm, uint64_t until_ps)
{
    uint64_t next = scrubber_pass_start(s, s->pass + 1);
    if (!ps_due(next, until_ps))
        return false;
    if (fault_map_count(fm) == 0) {
        /* Nothing to find: jump straight to the pass holding until_ps. */
        uint64_t line;
        position(s, until_ps, &s->pass, &line);
    } else {
        s->pass++;
    }
    s->cursor = 0;
    s->built = false;
    return true;
}

bool scrub_step(struct scrubber *s, const struct fault_map *fm, uint64_t until_ps, struct scrub_visit *v)
{
    for (;;) {
        if (!s->built)
            build(s, fm);
        drop_dead(s, fm);
        if (s->n == 0) {
            if (!next_pass(s, fm, until_ps))
                return false;
            continue;
        }
        uint64_t line = s->heap[0].line;
        uint64_t t = scrubber_pass_line_time(s, s->pass, line);
        if (!ps_due(t, until_ps)) /* an owed visit may lie below 0: rebase */
            return false;
        /* Every fault on this line moves on to its next line. */
        while (s->n > 0 && s->heap[0].line == line) {
            uint64_t id = s->heap[0].fault_id;
            heap_pop(s);
            if (fault_map_get(fm, id) && line + 1 < s->lines)
                queue_from(s, fm, id, line + 1);
        }
        s->cursor = line + 1;
        s->visits++;
        *v = (struct scrub_visit){line, line << MEM_LINE_SHIFT, t, s->pass_base + s->pass};
        return true;
    }
}

bool scrub_peek(struct scrubber *s, const struct fault_map *fm, uint64_t *line, uint64_t *id)
{
    if (!s->built)
        build(s, fm);
    drop_dead(s, fm);
    if (s->n == 0)
        return false;
    *line = s->heap[0].line;
    *id = s->heap[0].fault_id;
    return true;
}

/* The smallest line any other heap entry waits at (stale ones included,
 * which only makes a fold shorter). The root's children hold it. */
uint64_t scrub_others_first(const struct scrubber *s)
{
    uint64_t m = s->lines;
    for (size_t c = 1; c <= 2 && c < s->n; c++)
        if (s->heap[c].line < m)
            m = s->heap[c].line;
    return m;
}

/* Entry e moves in step with the walk's next one (a twin): another
 * permanent fault's entry at the same line, its footprint the same lines.
 * An entry is queued only from its fault's arrival on, so from that line
 * on the two visit the same lines, each visit both faults' (fleet host
 * 7668: two single-bank faults in one bank of one rank, devices 3 and 8,
 * every line a DUE of both, check_line's finding named for the first). */
static bool twin_entry(const struct scrubber *s, const struct fault_map *fm, size_t e,
                       const struct fault_footprint *top_fp)
{
    const struct mem_fault *a = fault_map_get(fm, s->heap[0].fault_id), *b = fault_map_get(fm, s->heap[e].fault_id);
    struct fault_footprint fp;
    return e > 0 && s->heap[e].line == s->heap[0].line && a && b && a->permanent && b->permanent &&
           fault_map_footprint(fm, s->heap[e].fault_id, &fp) && fp.key == top_fp->key && fp.free == top_fp->free &&
           fp.lines == top_fp->lines;
}

uint64_t scrub_lead_end(struct scrubber *s, const struct fault_map *fm)
{
    uint64_t m = scrub_others_first(s);
    struct fault_footprint fp;
    if (m != s->heap[0].line || !fault_map_footprint(fm, s->heap[0].fault_id, &fp))
        return m;
    /* another entry at the next line: its twins aside, the others' first
     * (every entry looked at: rare, a line of two faults) */
    m = s->lines;
    for (size_t e = 1; e < s->n; e++)
        if (s->heap[e].line < m && !twin_entry(s, fm, e, &fp))
            m = s->heap[e].line;
    return m;
}

uint64_t scrub_fold(struct scrubber *s, const struct fault_map *fm, uint64_t id, uint64_t until_ps,
                    uint64_t stop_line, uint64_t *last_line, uint64_t *last_ps)
{
    uint64_t line, top;
    if (!scrub_peek(s, fm, &line, &top) || top != id)
        return 0;
    uint64_t end = scrub_lead_end(s, fm);
    if (stop_line < end)
        end = stop_line;
    uint64_t due = until_ps == UINT64_MAX ? s->lines : line_at(s, s->pass, until_ps + 1u);
    if (due < end)
        end = due;
    struct fault_footprint fp;
    if (!fault_map_footprint(fm, id, &fp))
        return 0;
    uint64_t n = footprint_count_lines(&fp, line, end);
    if (n == 0)
        return 0;
    heap_pop(s);
    queue_from(s, fm, id, end);
    /* its twins with it: every entry left at line is one (another
     * fault's there would have made end line) */
    while (s->n && s->heap[0].line == line) {
        uint64_t twin = s->heap[0].fault_id;
        heap_pop(s);
        queue_from(s, fm, twin, end);
    }
    /* The last skipped line: the n-th of the footprint from line on. */
    uint64_t last = footprint_nth_line(&fp, line, n - 1u);
    s->cursor = last + 1u;
    s->visits += n;
    *last_line = last;
    *last_ps = scrubber_pass_line_time(s, s->pass, last);
    return n;
}

uint64_t scrub_fold_set(struct scrubber *s, const struct fault_map *fm, const uint64_t *ids, unsigned n,
                        uint64_t until_ps, bool dry, uint64_t *from, uint64_t *count, uint64_t *last_ps)
{
    uint64_t line, top;
    if (!scrub_peek(s, fm, &line, &top) || until_ps == UINT64_MAX || n > SCRUB_FOLD_SET_MAX)
        return 0;
    uint64_t end = line_at(s, s->pass, until_ps + 1u); /* the first line after until_ps */
    if (end >= s->lines)
        return 0; /* up to the pass's end: a fold of one fault's (scrub_fold) */
    struct fault_footprint fp[SCRUB_FOLD_SET_MAX];
    for (unsigned i = 0; i < n; i++) {
        from[i] = count[i] = 0;
        if (!fault_map_footprint(fm, ids[i], &fp[i]))
            return 0;
    }
    /* every entry below end is one of ids' (stale ones are not) */
    for (size_t e = 0; e < s->n; e++) {
        if (s->heap[e].line >= end)
            continue;
        unsigned i = 0;
        while (i < n && ids[i] != s->heap[e].fault_id)
            i++;
        if (i == n || count[i])
            return 0;
        from[i] = s->heap[e].line;
        count[i] = footprint_count_lines(&fp[i], from[i], end);
    }
    /* a nested fault's lines are visits of the fault it lies in, whose
     * walk reaches them first (its entry at or before the nested one's) */
    uint64_t total = 0, last = 0;
    for (unsigned i = 0; i < n; i++) {
        if (!count[i])
            continue;
        bool within = false, held = false;
        for (unsigned j = 0; j < n; j++)
            if (j != i && footprint_nested(&fp[j], &fp[i])) {
                within = true;
                held = held || (count[j] && from[j] <= from[i]);
            }
        if (within && !held)
            return 0;
        if (within)
            continue;
        total += count[i];
        uint64_t l = footprint_nth_line(&fp[i], from[i], count[i] - 1u);
        if (l > last)
            last = l;
    }
    if (dry || total == 0)
        return total;
    while (s->n && s->heap[0].line < end)
        heap_pop(s);
    for (unsigned i = 0; i < n; i++)
        if (count[i])
            queue_from(s, fm, ids[i], end);
    s->cursor = last + 1u;
    s->visits += total;
    *last_ps = scrubber_pass_line_time(s, s->pass, last);
    return total;
}

uint64_t scrub_fold_set_end(struct scrubber *s, const struct fault_map *fm, const uint64_t *ids, unsigned n,
                            uint64_t *from)
{
    uint64_t line, top, end = s->lines;
    for (unsigned i = 0; i < n; i++)
        from[i] = FAULT_NO_LINE;
    if (!scrub_peek(s, fm, &line, &top))
        return end;
    for (size_t e = 0; e < s->n; e++) {
        unsigned i = 0;
        while (i < n && ids[i] != s->heap[e].fault_id)
            i++;
        if (i < n && from[i] == FAULT_NO_LINE)
            from[i] = s->heap[e].line;
        else if (s->heap[e].line < end)
            end = s->heap[e].line; /* another fault's (or a second entry of one: as scrub_fold_set) */
    }
    return end;
}

uint64_t scrub_fold_horizon(struct scrubber *s, const struct fault_map *fm, uint64_t id, uint64_t stop_line,
                            uint64_t k)
{
    uint64_t line, top;
    if (!scrub_peek(s, fm, &line, &top))
        return UINT64_MAX;
    if (top != id || k == 0)
        return scrubber_pass_line_time(s, s->pass, line);
    uint64_t end = scrub_lead_end(s, fm);
    if (stop_line < end)
        end = stop_line;
    uint64_t kth = fault_map_nth_line(fm, id, line, k - 1u);
    if (kth != FAULT_NO_LINE && kth < end)
        return scrubber_pass_line_time(s, s->pass, kth);
    /* end = lines: the fault's last line of this pass; the walk goes on
     * with the next pass */
    return scrubber_pass_line_time(s, s->pass, end);
}

uint64_t scrub_fold_count(struct scrubber *s, const struct fault_map *fm, uint64_t id, uint64_t stop_line)
{
    uint64_t line, top;
    struct fault_footprint fp;
    if (!scrub_peek(s, fm, &line, &top) || top != id || !fault_map_footprint(fm, id, &fp))
        return 0;
    uint64_t end = scrub_lead_end(s, fm);
    if (stop_line < end)
        end = stop_line;
    return footprint_count_lines(&fp, line, end);
}

uint64_t scrubber_next_time(struct scrubber *s, const struct fault_map *fm)
{
    if (!s->built)
        build(s, fm);
    drop_dead(s, fm);
    if (s->n > 0)
        return scrubber_pass_line_time(s, s->pass, s->heap[0].line);
    if (fault_map_count(fm) == 0)
        return UINT64_MAX;
    return scrubber_pass_start(s, s->pass + 1);
}

/* ---- passive faults ------------------------------------------------------ */

int scrubber_pass_top(struct scrubber *s, const struct fault_map *fm)
{
    uint64_t line, id;
    if (!scrub_peek(s, fm, &line, &id) || scrub_passive_add(&s->passive, id, s->pass_base + s->pass, line) != 0)
        return -1;
    heap_pop(s); /* a fault has one entry (scrubber.c's invariant) */
    return 0;
}

uint64_t scrubber_count_passive(struct scrubber *s, const struct fault_map *fm, uint64_t until_ps)
{
    if (s->passive.n == 0)
        return 0;
    uint64_t pass = s->pass, line = s->lines; /* until the end of time: to the walk pass's end */
    if (until_ps != UINT64_MAX) {
        position(s, until_ps + 1u, &pass, &line); /* lines below it are due by until_ps */
        if (line == 0 && pass == s->pass + 1u) {
            pass = s->pass; /* the walk's pass's end, not the next pass's start: the same place */
            line = s->lines;
        }
    }
    uint64_t n = scrub_passive_count_to(&s->passive, fm, s->lines, s->pass_base + pass, line);
    s->visits += n;
    return n;
}

uint64_t scrubber_unpass(struct scrubber *s, const struct fault_map *fm, uint64_t id)
{
    if (!scrub_passive_find(&s->passive, id))
        return 0;
    if (!s->built)
        build(s, fm); /* without id: it is still listed */
    struct scrub_passive_entry e;
    struct fault_footprint fp;
    (void)scrub_passive_take(&s->passive, id, &e);
    if (!fault_map_footprint(fm, id, &fp))
        return 0;
    uint64_t walk = s->pass_base + s->pass, n = 0, from = e.line;
    if (e.pass != walk || e.line < s->cursor) {
        /* the walk went past the mark (a fold): the lines between were
         * passed while the fault was still passive */
        n = scrub_passive_between(&fp, s->lines, e.pass, e.line, walk, s->cursor);
        from = e.pass <= walk ? s->cursor : s->lines; /* a mark ahead of the walk's pass: from the next one */
    }
    s->passive.passed += n;
    s->visits += n;
    if (from < s->lines)
        queue_from(s, fm, id, from);
    return n;
}

/* ---- rebase -------------------------------------------------------------- */

/* The pass the rebase anchors at: the walk's own, or, with no fault to
 * find, the one holding now (next_pass would jump there: nothing was
 * missed), so that a walk without faults does not lag a year behind. */
static uint64_t anchor_pass(const struct scrubber *s, const struct fault_map *fm, uint64_t d_ps, uint64_t now_ps)
{
    if (fault_map_count(fm) != 0)
        return s->pass;
    uint64_t p, line;
    position(s, now_ps + d_ps, &p, &line); /* now, before the move */
    return p > s->pass ? p : s->pass;
}

int scrubber_can_rebase(const struct scrubber *s, const struct fault_map *fm, uint64_t d_ps, uint64_t now_ps)
{
    if (d_ps > PS_REBASE_D_MAX)
        return -ERANGE;
    uint64_t p0 = scrubber_pass_start(s, anchor_pass(s, fm, d_ps, now_ps));
    if (p0 == UINT64_MAX)
        return -ERANGE;
    uint64_t anchor = p0 - d_ps;
    if (!ps_after(anchor, now_ps) && now_ps - anchor > PS_REBASE_AGE_MAX)
        return -ERANGE; /* the pass began too long ago to keep exact */
    /* A visit owed (the owner sleeping past folded findings) may move into
     * the past, even below 0, where the next catch-up makes it (ps_due);
     * it lies in the walk's pass, so the anchor's age bounds its age. */
    return 0;
}

int scrubber_rebase(struct scrubber *s, const struct fault_map *fm, uint64_t d_ps, uint64_t now_ps)
{
    int rc = scrubber_can_rebase(s, fm, d_ps, now_ps);
    if (rc)
        return rc;
    uint64_t p = anchor_pass(s, fm, d_ps, now_ps);
    if (p != s->pass) {
        s->cursor = 0;
        s->built = false;
    }
    s->start_ps = scrubber_pass_start(s, p) - d_ps;
    s->pass_base += p;
    s->pass = 0;
    return 0;
}
