/*
 * scrubber.h - the patrol scrubber's walk: which line it checks next, and
 * when.
 *
 * A patrol scrubber reads every line of memory in address order, one full
 * pass per period, and starts over. The default period of 24 hours is a
 * common server BIOS default, folk knowledge without a primary source;
 * FaultSim's example configuration uses 3 hours.
 * Scenarios should set it when it matters.
 *
 * Timing: pass p starts at start_ps + p * period_ps; line i (line index,
 * address / 64) of that pass is checked at
 *     start_ps + p * period_ps + floor(i * period_ps / lines).
 *
 * Sparse walk: on a host with terabytes of RAM the scrubber must not visit
 * 2^34 lines per pass. Only lines some fault covers can hold an error
 * (poisoned lines without a fault are skipped: poison was already
 * reported when it was set). The walk keeps a min-heap with, per fault,
 * the next line of the fault's footprint the pass has not passed yet;
 * scrub_step pops the smallest, so the cost is O(log faults) per line that
 * a fault covers, and nothing per clean line. Each line is reported at the
 * exact time the walk above reaches it.
 *
 * A fault takes part in a pass only from the point the walk reaches after
 * the fault's arrival (time_ps): lines of its footprint the scrubber had
 * already passed wait for the next pass. Removed faults drop out lazily.
 *
 * Rebase (docs/TIME.md): start_ps is re-anchored at the walk's pass and
 * moved d earlier; passes are then counted from there (pass_base holds the
 * ones before), and start_ps may lie below 0, modulo 2^64
 * (arch/ps_rebase.h). The pass numbers the walk reports stay the true ones.
 *
 * The caller (the memory controller) reads each returned line through ECC;
 * whether it was clean, corrected or poisoned is not the walk's business.
 */
#ifndef MODELS_MEMCTL_SCRUBBER_H
#define MODELS_MEMCTL_SCRUBBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/ps_rebase.h"
#include "models/memctl/addr_map.h"
#include "models/memctl/fault_map.h"
#include "models/memctl/scrub_passive.h"

#define SCRUB_PS_PER_HOUR 3600000000000000ull
#define SCRUB_DEFAULT_PERIOD_PS (24ull * SCRUB_PS_PER_HOUR)

struct scrubber_config {
    uint64_t period_ps; /* one full pass; 0 = SCRUB_DEFAULT_PERIOD_PS */
    uint64_t start_ps;  /* when pass 0 begins at line 0 */
};

struct scrub_visit {
    uint64_t line;    /* line index */
    uint64_t addr;    /* line address = line * 64 */
    uint64_t time_ps; /* when the walk reaches it */
    uint64_t pass;
};

struct scrub_entry {
    uint64_t line;
    uint64_t fault_id;
};

struct scrubber {
    uint64_t period_ps, start_ps, lines;
    int lines_log2;        /* lines = 2^lines_log2, or -1: a shift, not a 128-bit division */
    uint64_t pass;         /* pass being walked, counted from start_ps */
    uint64_t pass_base;    /* passes before start_ps (rebases moved it) */
    uint64_t cursor;       /* lines below it are done in this pass */
    bool built;            /* heap holds this pass's next lines */
    struct scrub_entry *heap;
    size_t n, cap;
    uint64_t visits;       /* lines returned so far, passive ones' included */
    struct scrub_passive passive; /* faults passed without a look (scrub_passive.h) */
};

/* -1 on a bad config (none yet besides NULLs). */
int scrubber_init(struct scrubber *s, const struct addr_map *m, const struct scrubber_config *cfg);
void scrubber_free(struct scrubber *s);

/* Tell the walk about a newly added fault (after fault_map_add). Faults
 * added without this call are still found, from the next pass on. */
void scrubber_fault_added(struct scrubber *s, const struct fault_map *fm, uint64_t id);

/*
 * The next line to check, if the walk reaches it at or before until_ps:
 * fills *v, moves past it, returns true. Otherwise false and nothing moves
 * (except starting the next pass once until_ps has reached it).
 * Visits come in non-decreasing time order.
 */
bool scrub_step(struct scrubber *s, const struct fault_map *fm, uint64_t until_ps, struct scrub_visit *v);

/*
 * Folding: the lines of fault id that the walk would return next, one by
 * one, up to (not including) stop_line and at or before until_ps, while no
 * other fault has a line among them (a twin's lines, the same ones, move
 * with them: scrub_lead_end) - skipped in one step. The walk's
 * next line must be one of id's (else 0). Returns how many lines were
 * skipped (they count as visits); *last_line and *last_ps get the last one.
 * The caller vouches that those lines would all give the same finding.
 */
uint64_t scrub_fold(struct scrubber *s, const struct fault_map *fm, uint64_t id, uint64_t until_ps,
                    uint64_t stop_line, uint64_t *last_line, uint64_t *last_ps);
/* Folding several faults' lines: every line the walk would return next up
 * to until_ps, when each is a line of one of the n faults ids (no other
 * fault's entry, stale ones included, waits below; within this pass).
 * from[i], count[i]: fault ids[i]'s first such line and how many (count 0:
 * none). A fault strictly within another of ids (a column fault in a bank
 * fault's lines, say) has lines of both: counted in both, visited once.
 * Returns how many lines in all (visits); dry: nothing moves, else they
 * are skipped in one step and *last_ps is the last one's time. The caller
 * vouches that each would give its finding. At most SCRUB_FOLD_SET_MAX. */
#define SCRUB_FOLD_SET_MAX 8u
uint64_t scrub_fold_set(struct scrubber *s, const struct fault_map *fm, const uint64_t *ids, unsigned n,
                        uint64_t until_ps, bool dry, uint64_t *from, uint64_t *count, uint64_t *last_ps);
/* Where scrub_fold_set over the n faults ids must stop, whatever the time:
 * the smallest line another fault's entry (stale ones included) waits at
 * in this pass, or lines. from[i]: the line fault ids[i]'s entry waits at
 * (FAULT_NO_LINE: none). */
uint64_t scrub_fold_set_end(struct scrubber *s, const struct fault_map *fm, const uint64_t *ids, unsigned n,
                            uint64_t *from);
/* The first line of (absolute) pass `pass` the walk reaches at or after t
 * (the pass's line count if none). */
uint64_t scrubber_line_at(const struct scrubber *s, uint64_t pass, uint64_t t);
/* When folding id's lines (as scrub_fold, to stop_line) would next stop:
 * the time of the k-th of them (k >= 1) or of the first line that is not
 * one of them, whichever comes first; UINT64_MAX if the walk has nothing. */
uint64_t scrub_fold_horizon(struct scrubber *s, const struct fault_map *fm, uint64_t id, uint64_t stop_line,
                            uint64_t k);
/* How many of id's lines scrub_fold could take from the walk's next line
 * on, whatever the time: up to stop_line, another fault's first line or
 * the pass's end (0 when the next line is not id's). */
uint64_t scrub_fold_count(struct scrubber *s, const struct fault_map *fm, uint64_t id, uint64_t stop_line);
/* The smallest line another fault's entry than the walk's next one waits
 * at in this pass (stale entries of removed faults included), or lines:
 * where a fold of the next line's fault must stop. Valid after a
 * scrub_peek that returned true. */
uint64_t scrub_others_first(const struct scrubber *s);
/* The same, less the entries that move in step with the next one (its
 * twins: other permanent faults' entries at its line whose footprints
 * are its own): where scrub_fold, scrub_fold_count and scrub_fold_horizon
 * stop, the twins' entries moving with the next one's. Valid after a
 * scrub_peek that returned true. */
uint64_t scrub_lead_end(struct scrubber *s, const struct fault_map *fm);
/* The walk's next line and its fault, without moving: false if none. */
bool scrub_peek(struct scrubber *s, const struct fault_map *fm, uint64_t *line, uint64_t *id);

/*
 * Passive faults (scrub_passive.h). scrubber_pass_top: the walk's next
 * line's fault leaves the walk, its lines from that one on counted as
 * passed from now on; -1 (nothing moves) when out of memory or there is
 * no next line. scrubber_count_passive: count the passive faults' lines
 * the walk's schedule reaches by until_ps (into visits; returns how
 * many); call it only once scrub_step has returned false for until_ps
 * (the walk is then in until_ps's pass). scrubber_unpass: fault id, if
 * passive, back into the walk from where its lines were counted (or the
 * walk's cursor, the lines between counted); returns the lines counted.
 */
int scrubber_pass_top(struct scrubber *s, const struct fault_map *fm);
uint64_t scrubber_count_passive(struct scrubber *s, const struct fault_map *fm, uint64_t until_ps);
uint64_t scrubber_unpass(struct scrubber *s, const struct fault_map *fm, uint64_t id);

/* When scrub_step will next have something to do: the time of the next
 * line to check in this pass, else the start of the next pass when any
 * fault exists, else UINT64_MAX. */
uint64_t scrubber_next_time(struct scrubber *s, const struct fault_map *fm);

/*
 * Rebase: every time the walk holds moved d_ps earlier, seen at now_ps
 * (SystemC's time, unchanged; nothing the walk does falls within the d_ps
 * skipped). 0, or -ERANGE when the pass the walk is in began more than
 * PS_REBASE_AGE_MAX before now (a scrub period longer than 53 days) or d_ps
 * is over PS_REBASE_D_MAX; then nothing moves. A visit the walk owes (its
 * owner slept past it) may move before now, even below 0: it is due at the
 * next step (ps_due). can_rebase: the same check, moving nothing.
 */
int scrubber_can_rebase(const struct scrubber *s, const struct fault_map *fm, uint64_t d_ps, uint64_t now_ps);
int scrubber_rebase(struct scrubber *s, const struct fault_map *fm, uint64_t d_ps, uint64_t now_ps);

/* floor(line * period / lines): when the walk reaches line after its
 * pass began (the same in every pass). Inline, as the two below: the
 * round fold's plans ask them millions of times a host-year (fleet xen
 * 3628, 6748: a fifth of their time in the calls). */
static inline uint64_t scrubber_line_offset(const struct scrubber *s, uint64_t line)
{
    __extension__ const unsigned __int128 prod = (unsigned __int128)line * s->period_ps;
    return (uint64_t)(s->lines_log2 >= 0 ? prod >> s->lines_log2 : prod / s->lines);
}
/* When pass `pass` (counted from the anchor start_ps) begins: start_ps may
 * lie below 0 after a rebase (modulo 2^64, arch/ps_rebase.h), so the sum
 * wraps back to the true time. UINT64_MAX: beyond what 64 bits hold. */
static inline uint64_t scrubber_pass_start(const struct scrubber *s, uint64_t pass)
{
    __extension__ const unsigned __int128 t = (unsigned __int128)pass * s->period_ps;
    if (t + (s->start_ps < PS_REBASE_AGE_MAX ? s->start_ps : 0) > UINT64_MAX)
        return UINT64_MAX;
    return s->start_ps + (uint64_t)t;
}
/* The walk's schedule (see the formula above); passes counted from start_ps. */
static inline uint64_t scrubber_pass_line_time(const struct scrubber *s, uint64_t pass, uint64_t line)
{
    const uint64_t p0 = scrubber_pass_start(s, pass);
    const uint64_t off = scrubber_line_offset(s, line);
    return p0 == UINT64_MAX || (p0 < PS_REBASE_AGE_MAX && p0 > UINT64_MAX - off) ? UINT64_MAX : p0 + off;
}
/* ... with passes as the walk reports them. */
static inline uint64_t scrubber_line_time(const struct scrubber *s, uint64_t pass, uint64_t line)
{
    return scrubber_pass_line_time(s, pass - s->pass_base, line);
}
/* The most lines of a pass the walk reaches in any dt ps: those whose
 * times lie in (t, t + dt], ceil(dt * lines / period) (the first line at
 * or after a time is a ceiling, and ceil(x + y) <= ceil(x) + ceil(y)). */
uint64_t scrubber_lines_within(const struct scrubber *s, uint64_t dt);
/* scrubber_line_at(s, pass, t + k dt) for k = 0, 1, ...: a step at a time,
 * without a division where the pass began before t (a storm's fold plan
 * asks three such times a poll, millions a host-year): (t - start) lines
 * = q period + r, and dt lines = dq period + dr. */
struct scrubber_steps {
    const struct scrubber *s;
    uint64_t pass, t, dt;
    bool exact;
    uint64_t q, r, dq, dr;
};
void scrubber_steps_init(struct scrubber_steps *st, const struct scrubber *s, uint64_t pass, uint64_t t,
                         uint64_t dt);
static inline uint64_t scrubber_steps_line(const struct scrubber_steps *st)
{
    if (!st->exact)
        return scrubber_line_at(st->s, st->pass, st->t);
    const uint64_t c = st->q + (st->r != 0); /* (a ceiling) */
    return c > st->s->lines ? st->s->lines : c;
}
static inline void scrubber_steps_next(struct scrubber_steps *st)
{
    st->t += st->dt;
    st->q += st->dq;
    st->r += st->dr; /* (both below the period, itself below 2^63) */
    if (st->r >= st->s->period_ps) {
        st->r -= st->s->period_ps;
        st->q++;
    }
}
/* Where the walk is at now_ps: pass number and first line not yet reached. */
void scrubber_position(const struct scrubber *s, uint64_t now_ps, uint64_t *pass, uint64_t *line);

#endif
