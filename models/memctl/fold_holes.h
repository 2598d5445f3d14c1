/*
 * fold_holes.h - the bank-count fold across another fault's poisoned lines.
 *
 * A fault strictly within another's lines (fleet hosts 3628, 9408: a
 * column fault within a rank or bank fault's, another device) makes each
 * of its lines a DUE, then poisoned: on later passes the walk visits them
 * without a finding. The outer fault's CEs between two such holes are one
 * fold each (memctl_scrub_fold stops at a poisoned line), so software's
 * view of one bank count (CMCI threshold, OVER, the poll's read) was split
 * into a trace event, a scrubber wake and a catch-up per hole: 262,144 a
 * day on those hosts. Nothing in the bank or in software changes at a
 * hole (a visit, no finding: scrub_line), so these fold the outer fault's
 * CEs across them: the same counts, walk, ledger and truth as line by
 * line (tests/test_memctl.c), one fold where there were many.
 */
#ifndef MODELS_MEMCTL_FOLD_HOLES_H
#define MODELS_MEMCTL_FOLD_HOLES_H

#include <stdbool.h>
#include <stdint.h>

#include "models/memctl/memctl.h"

/*
 * What a holed fold can take from the walk's next line (line): fp[0] the
 * like's fault, fp[1..m) the faults within its lines, from[i] where the
 * walk meets fp[i]'s lines as its own (its entry); own its first line
 * not theirs; end the first line memctl_scrub_fold_set with holes cannot
 * take (memctl_scrub_fold_set_end). memctl_scrub_holed_span: false when
 * like is no right correction of a permanent fault, no fault lies within
 * its lines, none of their lines lies before end (no hole: then
 * memctl_scrub_fold's case), or memctl_scrub_fold_set would not take the
 * span (a dry run: it moves no data where faults nest, so not a
 * correction of a miscorrection's wrong data, fleet linux-6 5643). True:
 * a fold to any time before end's line (and the pass's last) takes it.
 */
struct memctl_holed_span {
    struct fault_footprint fp[SCRUB_FOLD_SET_MAX];
    uint64_t from[SCRUB_FOLD_SET_MAX]; /* fp[i]'s walk entry (FAULT_NO_LINE: none) */
    uint64_t from_rank[SCRUB_FOLD_SET_MAX]; /* fp[i]'s lines below it (footprint_rank) */
    unsigned m;
    uint64_t line, own, end;
};
bool memctl_scrub_holed_span(struct memctl *mc, const struct memctl_scrub_event *like, struct memctl_holed_span *s);
/* The like's fault's lines below x less the holes below x (each hole
 * fault's lines below its entry counted once: from_rank); in [a, b): the
 * difference (a storm's plan asks the rank thrice a poll) */
uint64_t memctl_holed_rank(const struct memctl_holed_span *s, uint64_t x);
uint64_t memctl_holed_count(const struct memctl_holed_span *s, uint64_t a, uint64_t b);
/* Whether line is a hole (a nested fault's, from its entry on) */
bool memctl_holed_is_hole(const struct memctl_holed_span *s, uint64_t line);
/* The k-th (0: the first) such line at or after from, below s->end;
 * FAULT_NO_LINE when there are not so many. */
uint64_t memctl_holed_nth(const struct memctl_holed_span *s, uint64_t from, uint64_t k);

/*
 * memctl_scrub_fold (due: memctl_scrub_fold_due) of a right correction
 * `like` of a permanent fault, passing the poisoned lines of faults within
 * its lines (holes) up to until_ps: the CEs before, between and after
 * them in one fold. Without such faults, or for another finding, exactly
 * memctl_scrub_fold / _due. Returns the CEs folded (holes are visits, not
 * findings); *last_ps: the last one's time. With due, like->time_ps
 * becomes the first folded line's time, as memctl_scrub_fold_due's.
 */
uint64_t memctl_scrub_fold_holed(struct memctl *mc, uint64_t until_ps, struct memctl_scrub_event *like, bool due,
                                 uint64_t *last_ps);
/* memctl_scrub_fold_horizon for memctl_scrub_fold_holed: when its folding
 * would next stop - at the k-th CE (holes are none), or where it cannot go
 * on. Without holes ahead, memctl_scrub_fold_horizon's answer. */
uint64_t memctl_scrub_fold_holed_horizon(struct memctl *mc, const struct memctl_scrub_event *like, uint64_t k,
                                         bool *writes);

#endif
