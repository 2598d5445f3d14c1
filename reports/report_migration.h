/*
 * report_migration.h - the live migrations behind `mcasim report`: the
 * rows of migration.csv (results_csv.h; read by report_data.c's reader,
 * which picks this table by the header), the numeric value of a swept
 * parameter, the grouping of a scenario's migrations into series
 * against the parameter its sweep varied, and a series as spans of equal
 * outcome along it. Pure C with no output, so every rule is unit-tested
 * (tests/test_report_migration.c).
 *
 * The x parameter of a scenario is the first parameter of its params
 * ("k1=v1;k2=v2") whose value is a number or a time at every point,
 * preferring one whose value varies; its value is the x of each point
 * (times in ms). The other parameters tell a scenario's groups (series)
 * apart. Without such a parameter x is the sweep point and the scenario is
 * one group.
 */
#ifndef SIM_REPORT_MIGRATION_H
#define SIM_REPORT_MIGRATION_H

#include <stddef.h>
#include <stdint.h>

#include "reports/report_data.h"
#include "sim/scenario/scenario.h" /* enum scn_mig_outcome: the outcome column */

#define REP_MIG_NO_TIME (-1.0) /* a time column left empty: not reached */

struct rep_mig_row {
    uint32_t scenario, params; /* string ids */
    uint32_t point;
    uint32_t domain, from, to;
    uint32_t mcase;            /* string id of the case; "" when no MCE hit its pages */
    uint32_t iterations, rechecks;
    uint8_t outcome;           /* enum scn_mig_outcome */
    uint64_t pages_sent, broken_sent, pages_lost, needless_broken;
    double start_ns, pause_ns, end_ns, downtime_ns; /* or REP_MIG_NO_TIME */
};

/* The columns of migration.csv, for report_data.c's reader. */
const struct rep_table *rep_mig_table(void);

/* ---- parameter values ---- */

enum rep_value_kind { REP_VALUE_NONE = 0, REP_VALUE_NUMBER, REP_VALUE_TIME };

/* A parameter value as a number: a time with a unit of the scenario syntax
 * (1250us, 0.5ms, 2s) in *v as ms; an integer (decimal or 0x) or a
 * decimal number as it is. REP_VALUE_NONE for anything else ("none", a
 * policy name), *v untouched. */
enum rep_value_kind rep_param_number(const char *value, double *v);

/* The value of key in params "k1=v1;k2=v2" into buf: 0, or -1 when key is
 * absent or its value does not fit. */
int rep_param_get(const char *params, const char *key, char *buf, size_t len);

/* Rank of a case name in the order of the V4 broken-page migration patch's
 * steps (sim/runtime/mig_case.h): "" (no MCE classified), live, before-4,
 * A, B.I, B.II, after; a name not among them ranks REP_MIG_NCASES, after
 * them all. */
#define REP_MIG_NCASES 7
unsigned rep_mig_case_rank(const char *mcase);

/* ---- grouping ---- */

struct rep_mig_point {
    const struct rep_mig_row *row;
    double x;                  /* the x parameter's value (ms for a time), or the sweep point */
};

struct rep_mig_group {
    size_t scenario;           /* index into rep_mig_groups.sc */
    char *rest;                /* the params without the x parameter; "" none */
    size_t first, n;           /* its points: pts[first .. first + n), by sweep point */
};

struct rep_mig_scenario {
    uint32_t scenario;         /* string id */
    char *xkey;                /* the x parameter; "" when x is the sweep point */
    enum rep_value_kind xkind; /* REP_VALUE_NONE when x is the sweep point */
    size_t count[SCN_MIGO__COUNT]; /* migrations per outcome */
    size_t n;                  /* migrations */
    size_t first, ngroups;     /* its groups: g[first .. first + ngroups) */
};

/* Scenarios in natural order; a scenario's groups by the first sweep point
 * they ran at; a group's points by sweep point, then domain. */
struct rep_mig_groups {
    struct rep_mig_scenario *sc;
    size_t nsc;
    struct rep_mig_group *g;
    size_t ng;
    struct rep_mig_point *pts;
    size_t npts;
};

/* Group d's migration rows; d must have been through rep_finish(). 0, or
 * -1 out of memory. No rows is not an error: nsc = 0. */
int rep_mig_group(const struct rep_data *d, struct rep_mig_groups *out);
void rep_mig_groups_free(struct rep_mig_groups *gs);

/* ---- spans: a dense sweep in a few lines ---- */

/* Consecutive points of one group (by domain, then x, then sweep point)
 * that agree on domain, outcome, case, pages lost and pages needlessly
 * broken: "from 1.05 to 11.15 ms, 203 points: aborted, live". */
struct rep_mig_span {
    uint32_t domain;
    uint8_t outcome;           /* enum scn_mig_outcome */
    uint32_t mcase;            /* string id */
    uint64_t pages_lost, needless_broken; /* of every point of the span */
    double x_from, x_to;       /* its first and last x */
    size_t n;                  /* points */
};

/* The spans of group g of gs into out, which has room for g->n; their
 * number into *nout. 0, or -1 out of memory. */
int rep_mig_spans(const struct rep_mig_groups *gs, const struct rep_mig_group *g, struct rep_mig_span *out,
                  size_t *nout);

#endif
