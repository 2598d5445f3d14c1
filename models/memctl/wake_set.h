/*
 * wake_set.h - a thread's planned wake-up kept on a few timers, so that
 * re-planning costs SystemC's timed queue nothing when the plan returns to
 * a time a timer already holds.
 *
 * SystemC keeps a cancelled timed notification in its queue until its
 * time (sc_event::cancel, and wait(t, e) woken by e first), and every
 * insert and pop is O(log n) in the queue's length. A thread that plans
 * "the next pass, 24 ms away" a few times a microsecond and is woken
 * earlier each time leaves tens of thousands of such entries behind. With
 * a set of timers, each slot remembering its armed time, a plan equal to
 * an armed slot's time needs nothing; a plan earlier than every armed
 * slot takes a free slot. The earliest armed slot is always the plan (a
 * slot that would fire before it is cancelled), so the thread wakes when
 * the plan says and nothing else sees an earlier pending time than a
 * single timer would show; slots armed later than the plan stay armed
 * until the plan passes them, in case it returns to them.
 */
#ifndef MODELS_MEMCTL_WAKE_SET_H
#define MODELS_MEMCTL_WAKE_SET_H

#include <stdbool.h>
#include <stdint.h>

#define WAKE_SET_SLOTS 4u
#define WAKE_NEVER UINT64_MAX

struct wake_set {
    uint64_t at[WAKE_SET_SLOTS]; /* armed time (ps), WAKE_NEVER when free */
};

/* What the caller does to its timers: cancel each slot in cancel_mask,
 * then, if arm >= 0, notify slot arm at the plan. */
struct wake_change {
    unsigned cancel_mask;
    int arm;
};

void wake_set_init(struct wake_set *w);
/* Time is now: slots armed at or before it have fired and are free. */
void wake_set_fired(struct wake_set *w, uint64_t now);
/* The thread plans to wake at `plan` (WAKE_NEVER: only when told). */
struct wake_change wake_set_plan(struct wake_set *w, uint64_t plan);
/* Every slot cancelled (the thread ends): the mask of armed ones. */
unsigned wake_set_clear(struct wake_set *w);
/* The plan: the earliest armed time, WAKE_NEVER when nothing is armed. */
uint64_t wake_set_next(const struct wake_set *w);
/* The mask of armed slots (taken out of the kernel's queue and put back). */
unsigned wake_set_armed(const struct wake_set *w);
/* Every armed slot d earlier (an epoch rebase, docs/TIME.md): the caller
 * re-notifies the slots of the returned mask at their new times. */
unsigned wake_set_shift(struct wake_set *w, uint64_t d);

#endif
