/*
 * report_data.h - the latency rows of one or more `mcasim run --results`
 * folders (latency.csv, results_csv.h), grouped for reporting, with
 * nearest-rank percentiles. Pure C, no gnuplot here.
 */
#ifndef SIM_REPORT_DATA_H
#define SIM_REPORT_DATA_H

#include <stddef.h>
#include <stdio.h>

#include "sim/latency.h"

struct report_row {
    char scenario[64];
    unsigned point;
    char params[256];
    unsigned cpus;
    unsigned error;
    char cls[16];
    enum lat_stage stage;
    double us;            /* latency in microseconds */
};

struct report_data {
    struct report_row *rows;
    size_t n, cap;
};

/* Append the rows of a latency.csv (or of DIR/latency.csv). 0, or -1 with
 * "FILE:LINE: message" in err. */
int report_load(struct report_data *d, const char *path, char *err, size_t errlen);
void report_free(struct report_data *d);

/* Sorted values (µs) of the rows that match; caller frees. NULL/0 when none.
 * scenario/params NULL = any; cls_broadcast: only srao, srar, fatal. */
double *report_values(const struct report_data *d, const char *scenario, const char *params, int cpus,
                      enum lat_stage stage, int cls_broadcast, size_t *n);

/* Nearest-rank percentile (p in 0..100) of n sorted values. */
double report_pct(const double *sorted, size_t n, unsigned p);

/* Distinct (scenario, params) groups in first-seen order; *n groups. The
 * returned array holds indices of a representative row each. */
size_t *report_groups(const struct report_data *d, size_t *n);
/* Distinct cpus values, ascending. */
unsigned *report_cpus(const struct report_data *d, size_t *n);

#endif
