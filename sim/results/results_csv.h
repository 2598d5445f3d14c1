/*
 * results_csv.h - per-error stage latencies and per-point summaries as
 * CSV, the input of `mcasim report` and of any spreadsheet or pandas.
 *
 * latency.csv: scenario,point,params,cpus,error,class,stage,latency_ns
 *   one row per error per stage it went through (sim/results/latency.h).
 * points.csv:  scenario,point,params,cpus,outcome,passed,errors,records,
 *              e2e_p50_ns,e2e_p90_ns,e2e_p99_ns,e2e_max_ns
 * migration.csv: scenario,point,params,domain,from,to,outcome,case,
 *              iterations,rechecks,pages_sent,broken_sent,pages_lost,
 *              needless_broken,start_ns,pause_ns,end_ns,downtime_ns
 *   one row per live migration (times empty when not reached).
 */
#ifndef SIM_RESULTS_CSV_H
#define SIM_RESULTS_CSV_H

#include <stdio.h>

#include "sim/results/expect.h"
#include "sim/results/run_result.h"

#define RESULTS_CSV_LATENCY_HEADER "scenario,point,params,cpus,error,class,stage,latency_ns\n"
#define RESULTS_CSV_POINTS_HEADER                                                               \
    "scenario,point,params,cpus,outcome,passed,errors,records,e2e_p50_ns,e2e_p90_ns,e2e_p99_ns," \
    "e2e_max_ns\n"
#define RESULTS_CSV_MIGRATION_HEADER                                                                 \
    "scenario,point,params,domain,from,to,outcome,case,iterations,rechecks,pages_sent,broken_sent," \
    "pages_lost,needless_broken,start_ns,pause_ns,end_ns,downtime_ns\n"

void results_csv_latency(FILE *f, const struct run_result *r, unsigned point, const char *params);
void results_csv_point(FILE *f, const struct run_result *r, unsigned point, const char *params,
                       const struct expect_report *rep);

void results_csv_migration(FILE *f, const struct run_result *r, unsigned point, const char *params);

/* ps as a decimal number of ns with 3 decimals, into buf. */
void results_ns(char *buf, size_t len, rtime_t ps);

/* A migration's times as results_ns text, "" when not reached (0), and
 * its downtime: end - pause when both were reached. */
struct results_mig_times {
    char start[32], pause[32], end[32], downtime[32];
};
void results_mig_times(const struct rr_migration *m, struct results_mig_times *t);

#endif
