/*
 * fold_slide.h - walk windows whose fault lines fall in the same runs.
 *
 * A fault's footprint (its key plus each submask of its free bits, below
 * its lines) whose free bits hold every address bit from q up repeats
 * every 2^q lines: x is a line of it iff x + 2^q is, below its bound.
 * Where every footprint of a set does, a window [a, b) of the walk holds
 * the lines of [a - s, b - s) moved up by s, in the same order and of the
 * same faults, for s a multiple of 2^q.
 *
 * The walk meets the set's lines in runs (one fault's lines in a row). Two
 * windows whose first lines lie in the same run, and whose last lines do,
 * hold the same runs between, and differ only in how many lines of those
 * two runs they hold. A storm's fold plan keys every poll's window by its
 * runs and each fault's lines (sim/runtime/host_fold.cpp: fold_plan_storm,
 * storm_count). Fleet linux-6 host 1555 has three faults that repeat every
 * 65,536 lines, a poll's window ~198,841 lines, and host 6748 a bank
 * fault's half of each 65,536 lines cut by a column fault's line: their
 * plans keyed 21.7 and 9 million windows a year, each a walk of its runs.
 * fold_slide learns one window and tells, in a few operations, whether a
 * later window's lines are the learnt one's moved up, runs for runs, and
 * each fault's lines in it.
 */
#ifndef MODELS_MEMCTL_FOLD_SLIDE_H
#define MODELS_MEMCTL_FOLD_SLIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/memctl/fault_map.h"
#include "models/memctl/memctl.h"

struct fold_slide {
    uint64_t end;  /* the footprints repeat below it */
    unsigned q;    /* every 2^q lines (64: they do not) */
    uint64_t per[MEMCTL_FOLD_SET_MAX]; /* fp[i]'s lines in every 2^q */
    uint64_t tail; /* a window's last `tail` lines must hold none */
    size_t n;
    bool have; /* a window learnt: */
    /* its first line (first, fp[x]'s) and the run it is of: fp[x]'s lines
     * in [x_lo, x_hi), no other's there; its last line and its run alike */
    size_t x, y;
    uint64_t x_lo, first, x_hi, y_lo, last, y_hi;
    uint64_t lo, next;           /* past the last line before it; the first at or after its end */
    uint64_t x_rank, y_rank;     /* fp[x]'s lines below first, fp[y]'s below next */
    bool one_run;                        /* both the same run */
    uint64_t x_run, y_run;               /* those runs' lines in it */
    uint64_t count[MEMCTL_FOLD_SET_MAX]; /* fp[i]'s lines in it */
};

/* A window the slide matched: the learnt one's runs moved up by shift,
 * fp[i]'s lines in it (count[i]), the first line at or after its end */
struct fold_slide_window {
    uint64_t shift, next;
    uint64_t count[MEMCTL_FOLD_SET_MAX];
};

/* fp[0..n) (n <= MEMCTL_FOLD_SET_MAX), a walk of walk_lines lines; tail:
 * a window the slide takes has none of their lines in its last tail. */
void fold_slide_init(struct fold_slide *s, const struct fault_footprint *fp, size_t n, uint64_t walk_lines,
                     uint64_t tail);
/* Learn window [a, b): rank_a[i], rank_b[i] fp[i]'s lines below a, b. A
 * window with no line, a line of two faults at an end, or no line after
 * it below the bound, is not kept. */
void fold_slide_learn(struct fold_slide *s, const struct fault_footprint *fp, uint64_t a, uint64_t b,
                      const uint64_t *rank_a, const uint64_t *rank_b);
/* Whether [a, b) holds the learnt window's runs moved up by some shift,
 * its first and last runs of more than a line as the learnt one's were,
 * none of its lines in its last tail lines, and a line after it below the
 * bound: then *w. rank_a[i]: fp[i]'s lines below a. */
bool fold_slide_match(const struct fold_slide *s, const struct fault_footprint *fp, uint64_t a, uint64_t b,
                      const uint64_t *rank_a, struct fold_slide_window *w);

#endif
