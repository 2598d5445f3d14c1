/*
 * timeline.h - the occurrences of a scenario's events in the order a run
 * applies them, made one at a time.
 *
 * Event i occurs at at + k·every for k = 0..repeat-1. Occurrences come in
 * time order, and at equal times in file order (the event's index): the
 * order of a stable sort of every occurrence by time, without ever
 * holding every occurrence. A binary heap keeps one pending occurrence per
 * event, so a million repeats cost nothing until they happen, and nothing
 * after `until` (the run's duration) is made at all.
 *
 * The loader bounds the total (scn_occurrences, SCN_MAX_OCCURRENCES): each
 * occurrence may leave a record behind, so the total is what bounds a run's
 * memory, and a file of a few kilobytes must not ask for billions.
 */
#ifndef SIM_SCENARIO_TIMELINE_H
#define SIM_SCENARIO_TIMELINE_H

#ifdef __cplusplus
extern "C" {
#endif

#include <stdbool.h>
#include <stdint.h>

#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_values.h"

/* At most this many occurrences of all events together, up to the duration. */
#define SCN_MAX_OCCURRENCES 1000000ull

struct scn_occurrence {
    const struct scn_event *ev;
    unsigned index;             /* of the event in the file */
    unsigned k;                 /* 0 for the first occurrence */
    uint64_t at_ps;
};

struct tl_slot;

struct scn_timeline {
    const struct scenario *s;
    uint64_t until_ps;
    uint64_t shift_ps;          /* moved by rebases while occurrences were pending */
    struct tl_slot *heap;       /* one pending occurrence per event still to come */
    unsigned n;
};

/* 0, or -1 when memory runs out. Occurrences after until_ps are never made. */
int scn_timeline_init(struct scn_timeline *t, const struct scenario *s, uint64_t until_ps);
/* The next occurrence into *o; false when there is none. */
bool scn_timeline_next(struct scn_timeline *t, struct scn_occurrence *o);
void scn_timeline_free(struct scn_timeline *t);
/* Rebase (docs/TIME.md): every occurrence still to come and until_ps moved
 * d_ps earlier, seen at now_ps. 0; -EBUSY (nothing moves) when one is due
 * before now_ps + d_ps, in the time skipped; -ERANGE when d_ps is over
 * PS_REBASE_D_MAX. */
int scn_timeline_rebase(struct scn_timeline *t, uint64_t d_ps, uint64_t now_ps);

/* The time of occurrence k of e (k < repeat; the loader keeps it below
 * SCV_TIME_MAX_PS), and how many occurrences of all events happen at or
 * before until_ps (counted without making them). */
uint64_t scn_event_time(const struct scn_event *e, unsigned k);
unsigned scn_event_occurrences(const struct scn_event *e, uint64_t until_ps);
unsigned long long scn_occurrences(const struct scenario *s, uint64_t until_ps);
/* Whether e's last occurrence, were its first at at_ps, would be at most
 * SCV_TIME_MAX_PS (the loader's and the sweep's check). */
bool scn_event_fits(const struct scn_event *e, uint64_t at_ps);
/* The run's duration as the timeline's until_ps: every occurrence is at
 * most SCV_TIME_MAX_PS (scn_event_fits), so a longer run (a year) makes
 * all of them by then. */
static inline uint64_t scn_events_until(const struct scenario *s)
{
    return s->duration_ps < SCV_TIME_MAX_PS ? (uint64_t)s->duration_ps : SCV_TIME_MAX_PS;
}

#ifdef __cplusplus
}
#endif

#endif
