/*
 * report_plot_int.h - what the writers of a report folder share, inside
 * the report only: report_plot.c (the plot kinds, gnuplot runs, the
 * order of the work), report_out.c (the output folder's files), report_script.c (gnuplot literals, templates,
 * scripts), report_axes.c (numbers and axes), the prepare functions of
 * the plot kinds (report_plot_stages.c: cdf and hist,
 * report_plot_breakdown.c, report_plot_cpus.c, report_plot_policy.c,
 * report_migration_plot.c), report_csv.c (summary.csv) and report_html.c
 * (index.html). A plot is a kind (name, heading, caption, prepare
 * function); its prepare function writes NAME.dat and sets the values of
 * the placeholders of reports/NAME.gp, and report_plot.c does the rest.
 */
#ifndef SIM_REPORT_PLOT_INT_H
#define SIM_REPORT_PLOT_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "reports/report_migration.h"
#include "reports/report_plot.h"
#include "sim/results/text_buf.h"

#define RP_MAX_SUBST 24 /* placeholders of one plot, common.gp's included */
#define RP_NKINDS 6

/* ---- report_script.c: gnuplot literals ---- */

/* "[a, b, ...]": a gnuplot array literal of the items so far. */
struct rp_list {
    struct text_buf b;
    size_t n;
};

void rp_list_str(struct rp_list *l, const char *s);
void rp_list_num(struct rp_list *l, double v);
/* text as a quoted gnuplot string literal, appended to b. */
void rp_gp_quote_into(struct text_buf *b, const char *text);

/* ---- the report and its plots ---- */

enum plot_state { PLOT_SKIPPED = 0, PLOT_READY, PLOT_DONE, PLOT_FAILED };

struct plot {
    const struct plot_kind *kind;
    enum plot_state state;
    char note[320];               /* why skipped or failed */
    struct rep_subst sub[RP_MAX_SUBST];
    struct text_buf val[RP_MAX_SUBST];
    unsigned nsub;
    /* which runs it shows (report_cover.c): counted when covered */
    bool covered;
    size_t shown, total;          /* runs drawn, of the runs of the input */
    char *left_html;              /* an HTML <li> per run left out, with why */
    size_t left_len;
};

/* Which rows a plot is about: a section is left out of index.html
 * entirely when the input has none of its rows. */
enum rp_section { RP_LATENCY = 0, RP_MIGRATION };

struct report {
    const struct rep_data *d;
    const struct report_opts *o;
    struct rep_groups stages;     /* by stage, every row */
    struct rep_groups runs;       /* by scenario, cpus, params, stage */
    struct rep_groups bycpus;     /* broadcast #MC, by cpus and stage */
    struct rep_groups policy;     /* end_to_end by scenario, cpus, params */
    struct rep_mig_groups mig;    /* migrations by scenario and group */
    struct plot plots[RP_NKINDS];
    int failed;                   /* an output could not be written: exit 2 */
};

struct plot_kind {
    const char *name;             /* template, data, script and image base name */
    const char *heading;          /* index.html section */
    const char *caption;          /* how to read it */
    enum rp_section section;
    int (*prepare)(struct report *r, struct plot *p); /* 0 ready, 1 skipped, -1 failed */
};

/* ---- report_script.c: a plot's placeholders and its script ---- */

/* The value of a placeholder: a buffer to fill, printf-style text, or a
 * finished list (handed over). */
struct text_buf *rp_plot_val(struct plot *p, const char *key);
void rp_plot_set(struct plot *p, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void rp_plot_list(struct plot *p, const char *key, struct rp_list *l);
/* Frees the values once the script is written. */
void rp_plot_free(struct plot *p);
/* NAME.gp from the templates and p's values; 0 written, -1 not. */
int rp_write_script(struct report *r, struct plot *p);

/* ---- report_plot.c ---- */

/* Note why p is not drawn (HTML); always 1, for `return rp_skip(...)`. */
int rp_skip(struct plot *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether the input has rows of a section; index.html leaves it out if not. */
int rp_section_present(const struct report *r, enum rp_section s);
/* Group i starts a run (scenario, cpus, params) of groups sorted by run. */
int rp_new_run(const struct rep_groups *gs, size_t i);

/* ---- report_out.c ---- */

/* A file of the output folder; on failure a message, r->failed, NULL / -1. */
void rp_out_path(const struct report *r, const char *name, char *buf, size_t len);
FILE *rp_open_out(struct report *r, const char *name);
int rp_close_out(struct report *r, FILE *f, const char *name);

/* ---- report_cover.c: which runs a plot shows ---- */

/* A set of runs, by the (order, cpus) of their RK_CONFIG groups. */
struct rp_runkey {
    uint32_t order, cpus;
};
struct rp_runset {
    struct rp_runkey *v;
    size_t n, cap;
};
int rp_runset_add(struct rp_runset *s, const struct rep_group *g); /* -1: out of memory */
void rp_runset_seal(struct rp_runset *s);                          /* before rp_runset_has */
bool rp_runset_has(const struct rp_runset *s, const struct rep_group *g);
void rp_runset_free(struct rp_runset *s);
/* Why a run of the input is not in a plot (HTML, ours). */
typedef const char *(*rp_why_fn)(const struct report *r, const struct rep_group *run, const void *ctx);
/* The plot shows the runs of drawn (sealed here): count them against every
 * run of the input and list the others with why. */
void rp_cover(struct report *r, struct plot *p, struct rp_runset *drawn, rp_why_fn why, const void *ctx);
void rp_cover_free(struct plot *p);
/* The plot shows every run of the input. */
void rp_cover_all(struct report *r, struct plot *p);

/* ---- report_axes.c ---- */

/* Nanoseconds to microseconds, the unit of every data file and table. */
double rp_us(double ns);
/* Smallest value > 0 of ascending values, 0 when none. */
double rp_min_positive(const double *v, size_t n);
/* Whether values from min_pos to max want a log axis (two decades or more). */
int rp_wants_log(double min_pos, double max);
/* The power of ten at or below v. */
double rp_decade_below(double v);
/* 1, 2, 2.5 or 5 times a power of ten, at least raw. */
double rp_nice_step(double raw);
/* "scenario [params] (N cpus)": one run of the results, for a tic label. */
void rp_run_label(const struct report *r, uint32_t scenario, uint32_t params, uint32_t cpus, char *buf,
                  size_t len);

/* ---- the plot kinds: prepare functions, 0 ready, 1 skipped, -1 failed ---- */

int rp_prep_cdf(struct report *r, struct plot *p);       /* report_plot_stages.c */
int rp_prep_hist(struct report *r, struct plot *p);      /* report_plot_stages.c */
int rp_prep_breakdown(struct report *r, struct plot *p); /* report_plot_breakdown.c */
int rp_prep_cpus(struct report *r, struct plot *p);      /* report_plot_cpus.c */
int rp_prep_policy(struct report *r, struct plot *p);    /* report_plot_policy.c */
int rp_prep_migration(struct report *r, struct plot *p); /* report_migration_plot.c */

/* ---- report_csv.c ---- */

/* A CSV field: quoted when it holds a quote (names hold no commas). */
void rp_csv_field(FILE *f, const char *s);
void rp_write_summary_csv(struct report *r);

/* ---- report_html.c ---- */

/* index.html; rendered 0 when gnuplot was missing or failed. */
void rp_write_index(struct report *r, int rendered);

/* ---- report_migration_plot.c ---- */

/* migration_table.csv and migration_outcomes.csv. */
void rp_write_migration_csv(struct report *r);
/* The tables after the migration plot in index.html. */
void rp_html_migration_tables(FILE *f, const struct report *r);

#endif
