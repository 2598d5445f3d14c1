/*
 * report_plot.h - turn latency and migration rows into a report folder:
 * .dat files, gnuplot scripts filled from the templates in reports/, PNG
 * and SVG images rendered by gnuplot, CSV tables and a self-contained
 * index.html.
 */
#ifndef SIM_REPORT_PLOT_H
#define SIM_REPORT_PLOT_H

#include "reports/report_data.h"

struct report_opts {
    const char *out;            /* output folder; created with its parents */
    const char *templates;      /* folder of the *.gp templates */
    char *const *inputs;        /* the RESULTS arguments, for the index page */
    unsigned ninputs;
    int quiet;                  /* no "wrote ..." line on stdout */
};

/* Exit status of `mcasim report`: 0 done; 2 a template or an output could
 * not be read or written; 3 gnuplot missing or failing (the data, the
 * scripts, summary.csv and index.html are written all the same). d must
 * have been through rep_finish(). */
int report_render(const struct rep_data *d, const struct report_opts *o);

/* A template placeholder @KEY@ and the text that replaces it. */
struct rep_subst {
    const char *key;            /* without the @ signs */
    const char *val;
};

/* The template text with every @KEY@ replaced. An @ that does not start
 * @NAME@ (NAME in [A-Z0-9_]) is kept as it is; a NAME not in s is an error
 * naming name:line. Returns malloc'd text, or NULL with *err filled. */
char *rep_fill_template(const char *text, const char *name, const struct rep_subst *s, unsigned n,
                        struct rep_error *err);

/* text as a gnuplot double-quoted string literal, quotes included, into
 * buf (truncated to fit). Backslashes and quotes are escaped and control
 * characters become spaces, so a scenario name cannot break a script. */
void rep_gp_quote(char *buf, size_t len, const char *text);

#endif
