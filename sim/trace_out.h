/*
 * trace_out.h - the deterministic JSON-lines trace of a run: one object
 * per event, in simulated-time order, times in picoseconds. Same
 * scenario, seed and binary give a byte-identical file.
 */
#ifndef SIM_TRACE_OUT_H
#define SIM_TRACE_OUT_H

#include <stdio.h>

#include "sim/run_result.h"

void trace_write_jsonl(FILE *f, const struct run_result *r);

#endif
