/*
 * report_plot.h - render grouped latency data into DIR: .dat files, filled
 * gnuplot templates (one .gp per plot in reports/), PNG and SVG images,
 * summary.csv and an index.html with the percentile tables.
 */
#ifndef SIM_REPORT_PLOT_H
#define SIM_REPORT_PLOT_H

#include "sim/report_data.h"

struct report_opts {
    const char *out;        /* output folder (created)           */
    const char *templates;  /* folder of the *.gp templates      */
    int quiet;
};

/* 0 done; 2 an output could not be written; 3 gnuplot missing or failed
 * (data, scripts and index.html are still written). */
int report_render(const struct report_data *d, const struct report_opts *o);

#endif
