/*
 * results_json.h - one scenario's results as a JSON object: outcome per
 * host, records, the fate of every injected error, telemetry counters,
 * page states, and the expectation failures.
 */
#ifndef SIM_RESULTS_JSON_H
#define SIM_RESULTS_JSON_H

#include <stdio.h>

#include "sim/results/expect.h"
#include "sim/results/run_result.h"

void results_write_json(FILE *f, const struct run_result *r, const struct expect_report *rep);

#endif
