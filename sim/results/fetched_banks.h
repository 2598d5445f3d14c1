/*
 * fetched_banks.h - the banks dom0's mcelog got, in the order it got them
 * (fetched_banks.c): what --mcelog prints and --rasdaemon stores.
 */
#ifndef SIM_RESULTS_FETCHED_BANKS_H
#define SIM_RESULTS_FETCHED_BANKS_H

#include <stddef.h>
#include <stdint.h>

#include "sim/results/run_result.h"

/* One /dev/mcelog entry: bank `bank` (an index into rec->rec.bank) of a
 * record dom0 fetched on `host`; `index` counts the host's entries from
 * 0 (mcelog's "MCE n"). */
struct fetched_bank {
    unsigned host;
    const struct rr_record *rec;
    unsigned bank;
    uint64_t index;
};

/* Every entry of the run, host by host, in fetch order. *out is malloc'ed
 * (NULL when there is none); 0, or -1 out of memory. */
int fetched_banks(const struct run_result *r, struct fetched_bank **out, size_t *n);

#endif
