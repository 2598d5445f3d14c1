/*
 * trace_sink.h - where trace events go as they happen: the JSON-lines
 * trace, the Perfetto (Chrome trace-event) file, and the state of the
 * scenario's latency expectations. Nothing is kept per event, so a run of
 * a million errors costs no more memory than a run of one.
 */
#ifndef SIM_TRACE_SINK_H
#define SIM_TRACE_SINK_H

#include <stdio.h>

#include "sim/results/run_result.h"
#include "sim/scenario/scenario.h"

struct trace_sink {
    FILE *jsonl;           /* NULL: not written */
    FILE *perfetto;        /* NULL: not written */
    const struct scenario *scn;
    struct run_result *rr;
    unsigned perf_count;   /* events written, for separators */
    unsigned nslots;       /* open-slice depth per (host, track) */
    unsigned *depth;
};

void trace_sink_init(struct trace_sink *t, const struct scenario *s, struct run_result *rr,
                     FILE *jsonl, FILE *perfetto);
void trace_sink_event(struct trace_sink *t, const struct rr_event *ev);
/* Whether an event's detail text goes anywhere (a trace or Perfetto file
 * is open): when not, callers need not format it. */
bool trace_sink_wants_detail(const struct trace_sink *t);
/* Close open slices at end_ps and finish the Perfetto document. */
void trace_sink_finish(struct trace_sink *t, rtime_t end_ps);
void trace_sink_free(struct trace_sink *t);

#endif
