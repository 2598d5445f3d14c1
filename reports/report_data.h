/*
 * report_data.h - the latency rows behind `mcasim report`: reading
 * latency.csv files (the output of `mcasim run --results`, results_csv.h),
 * grouping rows, and nearest-rank percentiles. Pure C with no gnuplot and
 * no output, so every rule here is unit-tested (tests/test_report_data.c).
 * The same reader takes migration.csv (report_migration.h) by its header.
 *
 * A row is one stage of one injected error (DESIGN.md "Latency"):
 *   scenario,point,params,cpus,error,class,stage,latency_ns
 * Scenario and params texts are interned once in a pool and rows hold
 * their ids. rep_finish() then orders them: scenarios by natural order
 * ("n2" before "n10"), a scenario's parameter sets by the first sweep point
 * they ran at (the order the scenario author wrote the sweep in), so every
 * table and plot comes out in the same order whatever the input order.
 */
#ifndef SIM_REPORT_DATA_H
#define SIM_REPORT_DATA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hv/public/mca_names.h" /* enum mca_rec_class: the class column */
#include "sim/results/latency.h" /* enum lat_stage: the stage column */

#define REP_STAGE_BIT(s) (1u << (s))
#define REP_CLASS_BIT(c) (1u << (c))
#define REP_ALL_STAGES ((1u << LS__COUNT) - 1u)
#define REP_ALL_CLASSES ((1u << MCA_REC__COUNT) - 1u)
/* The classes hardware signals as #MC on every CPU of the host. */
#define REP_BROADCAST_CLASSES \
    (REP_CLASS_BIT(MCA_REC_SRAO) | REP_CLASS_BIT(MCA_REC_SRAR) | REP_CLASS_BIT(MCA_REC_FATAL))

struct rep_row {
    uint32_t scenario;   /* string id */
    uint32_t params;     /* string id; "" when the scenario has no sweep */
    uint32_t point;
    uint32_t cpus;
    uint64_t error;
    uint32_t order;      /* rank of (scenario, params), set by rep_finish */
    uint8_t cls;         /* enum mca_rec_class */
    uint8_t stage;       /* enum lat_stage */
    double ns;
};

/* Interned strings: open addressing from text to id. */
struct rep_pool {
    char **str;          /* id -> text */
    uint32_t *rank;      /* id -> position in natural order (rep_finish) */
    uint32_t n, cap;
    uint32_t *slots;     /* id + 1 per slot, 0 = empty; a power of two */
    uint32_t nslots;
};

struct rep_mig_row;      /* report_migration.h */
struct rep_table;

#define REP_MAX_TABLES 4        /* kinds of CSV a reader knows */

struct rep_data {
    struct rep_row *rows;
    size_t n, cap;
    struct rep_mig_row *mig; /* migration.csv rows, in input order */
    size_t nmig, capmig;
    struct rep_pool pool;    /* both kinds of rows share it */
    unsigned ninputs;        /* CSV files read */
    /* The CSVs the reader recognises by their header: latency.csv's
     * first, then any rep_data_add_table added. */
    const struct rep_table *tables[REP_MAX_TABLES];
    unsigned ntables;
};

/* Why reading stopped: FILE:LINE, line 0 when the file itself failed. */
struct rep_error {
    char file[1024];
    unsigned line;
    char msg[320];
};

/* Ready to read latency.csv's; add other tables with rep_data_add_table. */
void rep_data_init(struct rep_data *d);
/* Also read CSVs with t's header (and t->file in a results folder). */
void rep_data_add_table(struct rep_data *d, const struct rep_table *t);
void rep_data_free(struct rep_data *d);

/* Read one RESULTS argument: a CSV file, or a folder holding the file of
 * one or more of the tables (latency.csv, migration.csv, ...; each is read
 * when there).
 * 0, or -1 with *err filled (rows read before the error stay in d). */
int rep_read_path(struct rep_data *d, const char *path, struct rep_error *err);
/* Read CSV text from an open stream, rows of whichever table its header
 * names; name is what errors call it. */
int rep_read_stream(struct rep_data *d, FILE *f, const char *name, struct rep_error *err);
/* Call once after the last read, before grouping. 0, -1 out of memory. */
int rep_finish(struct rep_data *d);

/* "FILE:LINE: error: MSG" (or "FILE: error: MSG" for line 0) and a newline. */
void rep_error_print(const struct rep_error *e, FILE *f);

const char *rep_str(const struct rep_data *d, uint32_t id);
/* The CSV's column names in order, and how many there are. */
const char *rep_column_name(unsigned i);
unsigned rep_column_count(void);

/* ---- CSV tables: what a reader of another CSV (report_migration.c) shares ---- */

/* A column's parser stores the value of text at field (the member of the
 * row the column fills), or writes why not into msg and returns -1. */
typedef int (*rep_field_fn)(struct rep_data *d, const char *text, void *field, char *msg, size_t len);

struct rep_column {
    const char *name;
    rep_field_fn parse;
    size_t off;                 /* offsetof the member in the row */
};

#define REP_MAX_COLUMNS 32      /* of any table */

#define REP_MAX_ROW_BYTES 256 /* of any table's row */

/* A CSV: its name in a results folder, its columns in file order (its
 * header is their names joined by commas) and where a parsed row goes.
 * The reader parses a row into a zeroed buffer of REP_MAX_ROW_BYTES. */
struct rep_table {
    const char *file;
    const struct rep_column *col;
    unsigned ncol;
    int (*push)(struct rep_data *d, const void *row); /* 0, -1 out of memory */
};

/* Parsers: string id (uint32_t) of a non-empty name or of any text; a
 * decimal uint32_t or uint64_t; ns as results_ns writes them (double). */
int rep_field_name(struct rep_data *d, const char *text, void *field, char *msg, size_t len);
int rep_field_text(struct rep_data *d, const char *text, void *field, char *msg, size_t len);
int rep_field_u32(struct rep_data *d, const char *text, void *field, char *msg, size_t len);
int rep_field_u64(struct rep_data *d, const char *text, void *field, char *msg, size_t len);
int rep_field_ns(struct rep_data *d, const char *text, void *field, char *msg, size_t len);
/* The index (uint8_t) of text among the n names name(0..n-1); on a miss
 * msg says "unknown WHAT" and lists them all. */
int rep_field_enum(const char *text, void *field, const char *(*name)(unsigned), unsigned n, const char *what,
                   char *msg, size_t len);
/* Digits with an optional fraction (no sign, exponent, nan or spaces). */
int rep_is_decimal(const char *s);
/* Write why into msg; always -1, for `return rep_why(...)`. */
int rep_why(char *msg, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Natural order: runs of digits compare as numbers, the rest bytewise;
 * ties (e.g. "a01" against "a1") fall back to strcmp, so it is total. */
int rep_natural_cmp(const char *a, const char *b);

/* ---- statistics ---- */

struct rep_stats {
    size_t count;
    double min, mean, p50, p90, p99, max;
};

/* Nearest rank on ascending values: the value at rank ceil(pct * n / 100)
 * (1-based, at least 1), i.e. the smallest value such that at least pct%
 * of the values are <= it. pct in 0..100; n > 0. */
double rep_nearest_rank(const double *sorted, size_t n, unsigned pct);
/* count, min, mean, p50, p90, p99, max of ascending values; n > 0. */
void rep_stats_of(const double *sorted, size_t n, struct rep_stats *st);

/* ---- grouping ---- */

/* Fields a group key may hold. Groups come out sorted by scenario, cpus,
 * params and stage, in that order, whichever of them are in the key. */
enum rep_key {
    RK_SCENARIO = 1u << 0,
    RK_CPUS = 1u << 1,
    RK_PARAMS = 1u << 2,
    RK_STAGE = 1u << 3,
};
#define RK_CONFIG (RK_SCENARIO | RK_CPUS | RK_PARAMS)

/* Which rows take part: masks of REP_STAGE_BIT / REP_CLASS_BIT. */
struct rep_filter {
    unsigned stages;
    unsigned classes;
};

struct rep_group {
    uint32_t scenario, params; /* string ids; 0 when not in the key */
    uint32_t order;            /* (scenario, params) rank; 0 when not in the key */
    uint32_t cpus;             /* 0 when not in the key */
    enum lat_stage stage;      /* LS__COUNT when not in the key */
    const double *ns;          /* ascending latencies, st.count of them */
    struct rep_stats st;
};

struct rep_groups {
    struct rep_group *g;
    size_t n;
    double *vals;              /* storage behind every group's ns */
};

/* Group the rows that pass the filter by the key fields. 0, or -1 out of
 * memory. No row passing is not an error: n = 0. */
int rep_group(const struct rep_data *d, unsigned key, const struct rep_filter *flt,
              struct rep_groups *out);
void rep_groups_free(struct rep_groups *gs);

#endif
