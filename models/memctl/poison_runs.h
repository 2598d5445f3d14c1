/*
 * poison_runs.h - poisoned lines kept as runs: "every line of fault F's
 * footprint in [from, to] was poisoned when the scrub walk of pass P
 * reached it", one entry instead of one poison_set entry (~32 bytes) a
 * line. A single-bank fault on a 1 TiB host is 2^25 lines: 1 GiB per line,
 * a few hundred bytes as a run.
 *
 * A run keeps its own copy of the fault's footprint (fault_map.h: valid
 * after the fault is removed; poison stays on the data, so the lines stay
 * poisoned) and the lines of [from, to] it does not poison (`out`, sorted):
 * lines a full-line write cleared since, and lines already poisoned per
 * line at another time when the run was made (their first time stands).
 *
 * Invariants, kept by memctl_poison_run and memctl_write_line: a line is
 * poisoned by at most one run ("live" in it), and never both by a run and
 * by a per-line mark in poison_set. So counts add up, and a line's time is
 * its one owner's.
 *
 * Times: line l of a run reads t0 + scrubber_line_offset(l), t0 being when
 * pass P began (the controller's time), as the walk stamped each line.
 * A rebase moves t0 as memctl_rebase moves a per-line time (ps_rebase):
 * by d, except that a time older than PS_REBASE_AGE_MAX is pinned there.
 * Pins compose to a floor: after rebases a per-line time reads
 * max(t - D, floor), floor = the last rebase's now - PS_REBASE_AGE_MAX
 * (SystemC's now never goes back), so a run keeps one floor, and once its
 * last line is pinned, every line reads the floor (t0 is then dropped, so
 * its age never outgrows ps_after's range).
 *
 * Cost: queries look at each run (merging keeps them about one per fault
 * and pass) and binary-search its `out` lines.
 */
#ifndef MODELS_MEMCTL_POISON_RUNS_H
#define MODELS_MEMCTL_POISON_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/memctl/fault_map.h"
#include "models/memctl/poison.h"
#include "models/memctl/scrubber.h"

struct poison_run {
    uint64_t fault_id;          /* whose footprint fp is                      */
    struct fault_footprint fp;
    uint64_t from, to;          /* line indices, both included                */
    uint64_t pass;              /* absolute scrub pass (scrub_visit.pass)     */
    uint64_t t0;                /* that pass's start, moved by rebases        */
    uint64_t floor_ps;          /* rebases' pin: no line reads older          */
    bool has_floor, all_pinned; /* all_pinned: every line reads floor_ps      */
    uint64_t *out;              /* lines of fp in [from, to] not poisoned here */
    size_t nout, cap_out;
};

struct poison_runs {
    struct poison_run *run;
    size_t n, cap;
    size_t nout;                /* out lines of all runs (per-line state)     */
};

void poison_runs_init(struct poison_runs *pr);
void poison_runs_free(struct poison_runs *pr);

/*
 * Poison fault_id's lines (footprint fp) in [from, to] as the walk of
 * pass `pass` reached them, that pass having begun at t0 (see memctl.h,
 * memctl_poison_run, for the rules). Lines the per-line set p holds at the
 * run's time for them move into the run; held at another time, they stay
 * and the run leaves them out. 0; -EEXIST when a line is already live in
 * another run (nothing changes); -ENOMEM.
 */
int poison_runs_add(struct poison_runs *pr, struct poison_set *p, const struct scrubber *s, uint64_t fault_id,
                    const struct fault_footprint *fp, uint64_t from, uint64_t to, uint64_t pass, uint64_t t0);
/*
 * The walk of pass `pass` (begun at t0) found line of fault_id (footprint
 * fp, of more than one line) uncorrectable and poisons it at `when`, its
 * time in that pass's schedule: a run of that fault, pass and schedule
 * that ends at the fault's line before it grows by it, and with no run of
 * the fault in that pass (and fewer than POISON_RUNS_BEGUN_MAX of it) a
 * run of it begins (0, or poison_runs_add's error). -ENOENT otherwise (a
 * run of the fault in this pass ends elsewhere; another time): a per-line
 * mark then. A wide UC fault's real rounds (one a line between folds) so
 * keep its poisoned lines a run a pass, which the walk passes as a
 * stretch and which lets the fault leave the walk once all are poisoned
 * (memctl.c, passive_ok; fleet host 770).
 */
#define POISON_RUNS_BEGUN_MAX 8u /* a fault's runs, past which no find begins one */
int poison_runs_extend(struct poison_runs *pr, struct poison_set *p, const struct scrubber *s, uint64_t fault_id,
                       const struct fault_footprint *fp, uint64_t line, uint64_t pass, uint64_t t0, uint64_t when);
/* A run poisons line. */
bool poison_runs_test(const struct poison_runs *pr, uint64_t line);
/* When a run poisoned line; false if none did. */
bool poison_runs_time(const struct poison_runs *pr, const struct scrubber *s, uint64_t line, uint64_t *when_ps);
/* A full-line write: no run poisons line any more. Whether one did. */
bool poison_runs_clear(struct poison_runs *pr, uint64_t line);
/* Lines the runs poison. */
uint64_t poison_runs_count(const struct poison_runs *pr);
/* The smallest lines (indices) the runs poison, in increasing order, at
 * most max; how many were written. */
size_t poison_runs_list(const struct poison_runs *pr, uint64_t *lines, size_t max);
/* The smallest line >= from of footprint fp that a run poisons, or
 * UINT64_MAX. */
uint64_t poison_runs_first(const struct poison_runs *pr, const struct fault_footprint *fp, uint64_t from);
/* The same, less the runs whose lines of fp all lie in one of skip[0..n)
 * (a fault nested in fp's, whose poisoned lines a fold passes). */
uint64_t poison_runs_first_except(const struct poison_runs *pr, const struct fault_footprint *fp, uint64_t from,
                                  const struct fault_footprint *skip, size_t nskip);
/* The first line >= from of footprint fp that no run poisons whose
 * footprint holds all of fp's lines (FAULT_NO_LINE: none): fp's lines in
 * [from, it) are a stretch of run-poisoned lines. from itself when from
 * is not such a line. */
uint64_t poison_runs_stretch_end(const struct poison_runs *pr, const struct fault_footprint *fp, uint64_t from);
/* Rebase: the runs' times moved d_ps earlier, seen at now_ps, as
 * ps_rebase moves each per-line time. */
void poison_runs_rebase(struct poison_runs *pr, const struct scrubber *s, uint64_t d_ps, uint64_t now_ps);

#endif
