/*
 * campaign_run.h - the parts of `mcasim campaign`, internal to sim/cli:
 * one host's outcome row (campaign_host.c), the partial results of a
 * shard and their merge into the campaign's tables and plot
 * (campaign_merge.c). cmd_campaign.c strings them together.
 *
 * A row is one line of CSV, the same bytes whichever process, shard or
 * order made it:
 *   policy,host,seed,status,outcome,guest_crashes,host_panics,sdcs,
 *   pages_offlined,storms,telemetry_dropped,ces,ues,records
 * status is done, limit (stopped at max_wall) or failed.
 */
#ifndef SIM_CLI_CAMPAIGN_RUN_H
#define SIM_CLI_CAMPAIGN_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "sim/results/run_result.h"
#include "sim/scenario/campaign.h"

#define CAMPAIGN_ROW_MAX 512
#define CAMPAIGN_ROW_HEADER                                                                                    \
    "policy,host,seed,status,outcome,guest_crashes,host_panics,sdcs,pages_offlined,storms,telemetry_dropped," \
    "ces,ues,records"

/* The outcomes tabulated per policy: a row's columns from guest_crashes. */
enum campaign_metric {
    CM_GUEST_CRASHES = 0, CM_HOST_PANICS, CM_SDCS, CM_PAGES_OFFLINED, CM_STORMS, CM_TELEM_DROPPED, CM_CES,
    CM_UES, CM_RECORDS, CM__COUNT
};
const char *campaign_metric_name(enum campaign_metric m);

/* The row of a finished run of job (policy, host). */
void campaign_row(char *buf, size_t len, const struct campaign *c, unsigned policy, uint64_t host,
                  const struct run_result *r);
/* What the run record holds and what of it was summarized (bounded
 * results, rr_set_bounded): one line "run record: ..." on f. The counts
 * are the same whatever was kept. */
void campaign_record_counts(FILE *f, const struct run_result *r);
/* The row of a run that did not finish: status "limit" or "failed". */
void campaign_row_unfinished(char *buf, size_t len, const struct campaign *c, unsigned policy, uint64_t host,
                             const char *status);

/* A partial result: the identity line, the header, rows[i] for every job
 * of the shard in job order (NULL rows are skipped). 0, or -1. */
int campaign_write_partial(FILE *f, const struct campaign *c, unsigned k, unsigned n, char **rows,
                           uint64_t njobs);
/* Merge partial files into dir: hosts.csv, summary.csv, summary.json,
 * rates.dat, rates.gp. The bytes depend only on the rows. 0, or 2 after a
 * message (missing or conflicting jobs, different campaigns). */
int campaign_merge(char **files, int nfiles, const char *dir);

#endif
