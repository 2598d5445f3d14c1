/*
 * simulate.h - run one scenario in this process (the SystemC kernel can
 * be elaborated once per process: callers fork, see cmd_run.c).
 */
#ifndef SIM_SIMULATE_H
#define SIM_SIMULATE_H

#ifdef __cplusplus
extern "C" {
#endif

#include <stdio.h>

#include "sim/results/run_result.h"
#include "sim/scenario/scenario.h"

/* Optional outputs streamed while the simulation runs. */
struct sim_outputs {
    FILE *trace;          /* JSON lines, or NULL */
    FILE *perfetto;       /* Chrome trace-event JSON, or NULL */
    const char *vcd;      /* the VCD file (written under exactly this name), or NULL */
    unsigned keep;        /* bounded results (rr_set_bounded): 0 keeps every entry */
    /* Where the run keeps the simulated time it has reached (us), for a
     * parent that may stop it at a limit and say how far it got (memory
     * it shares with the run's process), or NULL. */
    volatile uint64_t *reached_us;
};

enum { SIM_ERR_RUN = -1, SIM_ERR_OUTPUT = -2 };

/* Build the platform, run it for the scenario's duration and fill *out
 * (rr_free() it). 0; SIM_ERR_RUN when the simulation failed (or stopped
 * at SystemC's horizon before its end: no rebase could move it), or
 * SIM_ERR_OUTPUT when an output (the VCD) could not be written, each with a
 * message on stderr. */
int sim_run(const struct scenario *s, uint64_t seed, const struct sim_outputs *o,
            struct run_result *out);

#ifdef __cplusplus
}
#endif

#endif
