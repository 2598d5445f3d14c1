/*
 * report_data.c - read latency.csv files into rows, order them, group them
 * and take nearest-rank percentiles.
 *
 * Reading is strict, because a report built on a silently skipped or
 * misread row is worse than none: the header must be exactly one that
 * `mcasim run --results` writes (latency.csv's, or migration.csv's: the
 * table of report_migration.c), every row has exactly as many fields,
 * each parsed by its column's function with no leading or trailing junk, and
 * the first problem stops reading with FILE:LINE and what was wrong. Only
 * empty lines are skipped; a CR before the newline and a UTF-8 byte order
 * mark (spreadsheets write both) are tolerated.
 *
 * Grouping sorts (key, latency) pairs, so a group's latencies come out
 * ascending, ready for percentiles, and the order of groups depends only on
 * the data.
 */
#include "reports/report_data.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define UTF8_BOM "\xEF\xBB\xBF"
/* How much of a bad field an error message quotes. */
#define QUOTE_MAX 48

/* ---- string pool ---- */

static uint32_t hash_text(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a: short keys, no need for more */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot where s is, or the empty slot where it would go. */
static uint32_t pool_slot(const struct rep_pool *p, const char *s)
{
    uint32_t mask = p->nslots - 1, i = hash_text(s) & mask;
    while (p->slots[i] && strcmp(p->str[p->slots[i] - 1], s) != 0)
        i = (i + 1) & mask;
    return i;
}

/* Keep the table at most half full so probes stay short. */
static int pool_rehash(struct rep_pool *p)
{
    uint32_t n = p->nslots ? p->nslots * 2 : 64;
    uint32_t *slots = calloc(n, sizeof(*slots));
    if (!slots)
        return -1;
    free(p->slots);
    p->slots = slots;
    p->nslots = n;
    for (uint32_t id = 0; id < p->n; id++)
        p->slots[pool_slot(p, p->str[id])] = id + 1;
    return 0;
}

static int pool_intern(struct rep_pool *p, const char *s, uint32_t *id)
{
    if ((p->n + 1) * 2 > p->nslots && pool_rehash(p) != 0)
        return -1;
    uint32_t slot = pool_slot(p, s);
    if (p->slots[slot]) {
        *id = p->slots[slot] - 1;
        return 0;
    }
    if (p->n == p->cap) {
        uint32_t cap = p->cap ? p->cap * 2 : 32;
        char **str = realloc(p->str, cap * sizeof(*str));
        if (!str)
            return -1;
        p->str = str;
        p->cap = cap;
    }
    if (!(p->str[p->n] = strdup(s)))
        return -1;
    p->slots[slot] = p->n + 1;
    *id = p->n++;
    return 0;
}

static void pool_free(struct rep_pool *p)
{
    for (uint32_t i = 0; i < p->n; i++)
        free(p->str[i]);
    free(p->str);
    free(p->rank);
    free(p->slots);
    memset(p, 0, sizeof(*p));
}

static const struct rep_table latency_table;

void rep_data_init(struct rep_data *d)
{
    memset(d, 0, sizeof(*d));
    rep_data_add_table(d, &latency_table);
}

void rep_data_add_table(struct rep_data *d, const struct rep_table *t)
{
    if (d->ntables < REP_MAX_TABLES)
        d->tables[d->ntables++] = t;
}

void rep_data_free(struct rep_data *d)
{
    free(d->rows);
    free(d->mig);
    pool_free(&d->pool);
    memset(d, 0, sizeof(*d));
}

const char *rep_str(const struct rep_data *d, uint32_t id)
{
    return id < d->pool.n ? d->pool.str[id] : "";
}

/* ---- errors ---- */

static int fail(struct rep_error *e, const char *file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct rep_error *e, const char *file, unsigned line, const char *fmt, ...)
{
    va_list ap;
    snprintf(e->file, sizeof(e->file), "%s", file);
    e->line = line;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return -1;
}

void rep_error_print(const struct rep_error *e, FILE *f)
{
    if (e->line)
        fprintf(f, "%s:%u: error: %s\n", e->file, e->line, e->msg);
    else
        fprintf(f, "%s: error: %s\n", e->file, e->msg);
}

/* ---- one field per column ---- */

int rep_why(char *msg, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, len, fmt, ap);
    va_end(ap);
    return -1;
}

static int parse_u64(const char *text, uint64_t max, uint64_t *out)
{
    if (!*text || strspn(text, "0123456789") != strlen(text))
        return -1;
    errno = 0;
    unsigned long long v = strtoull(text, NULL, 10);
    if (errno || v > max)
        return -1;
    *out = v;
    return 0;
}

int rep_field_name(struct rep_data *d, const char *text, void *field, char *msg, size_t len)
{
    if (!*text)
        return rep_why(msg, len, "the scenario name is empty");
    return rep_field_text(d, text, field, msg, len);
}

int rep_field_text(struct rep_data *d, const char *text, void *field, char *msg, size_t len)
{
    if (pool_intern(&d->pool, text, field))
        return rep_why(msg, len, "out of memory");
    return 0;
}

int rep_field_u32(struct rep_data *d, const char *text, void *field, char *msg, size_t len)
{
    (void)d;
    uint64_t v;
    if (parse_u64(text, UINT32_MAX, &v))
        return rep_why(msg, len, "'%.*s' is not an integer from 0 to %u", QUOTE_MAX, text, UINT32_MAX);
    *(uint32_t *)field = (uint32_t)v;
    return 0;
}

int rep_field_u64(struct rep_data *d, const char *text, void *field, char *msg, size_t len)
{
    (void)d;
    if (parse_u64(text, UINT64_MAX, field))
        return rep_why(msg, len, "'%.*s' is not a non-negative integer", QUOTE_MAX, text);
    return 0;
}

/* Index of text among the n names, or n; on a miss msg lists them all. */
static unsigned pick_name(const char *text, const char *(*name)(unsigned), unsigned n, const char *what, char *msg,
                          size_t len)
{
    for (unsigned i = 0; i < n; i++)
        if (!strcmp(text, name(i)))
            return i;
    int k = snprintf(msg, len, "unknown %s '%.*s' (one of", what, QUOTE_MAX, text);
    for (unsigned i = 0; i < n && k > 0 && (size_t)k < len; i++)
        k += snprintf(msg + k, len - (size_t)k, "%s %s", i ? "," : "", name(i));
    if (k > 0 && (size_t)k < len)
        snprintf(msg + k, len - (size_t)k, ")");
    return n;
}

static const char *stage_at(unsigned i)
{
    return lat_stage_name((enum lat_stage)i);
}

int rep_field_enum(const char *text, void *field, const char *(*name)(unsigned), unsigned n, const char *what,
                   char *msg, size_t len)
{
    unsigned i = pick_name(text, name, n, what, msg, len);
    *(uint8_t *)field = (uint8_t)i;
    return i < n ? 0 : -1;
}

static int col_class(struct rep_data *d, const char *text, void *field, char *msg, size_t len)
{
    (void)d;
    return rep_field_enum(text, field, mca_rec_class_name, MCA_REC__COUNT, "class", msg, len);
}

static int col_stage(struct rep_data *d, const char *text, void *field, char *msg, size_t len)
{
    (void)d;
    return rep_field_enum(text, field, stage_at, LS__COUNT, "stage", msg, len);
}

/* Digits, optionally a point and more digits: what results_ns writes.
 * strtod alone would also take "nan", "inf", "0x1p3" and " 1". */
int rep_is_decimal(const char *s)
{
    size_t whole = strspn(s, "0123456789");
    if (!whole)
        return 0;
    if (!s[whole])
        return 1;
    if (s[whole] != '.')
        return 0;
    size_t frac = strspn(s + whole + 1, "0123456789");
    return frac && !s[whole + 1 + frac];
}

int rep_field_ns(struct rep_data *d, const char *text, void *field, char *msg, size_t len)
{
    (void)d;
    if (text[0] == '-' && rep_is_decimal(text + 1))
        return rep_why(msg, len, "negative time '%.*s'", QUOTE_MAX, text);
    if (!rep_is_decimal(text))
        return rep_why(msg, len, "'%.*s' is not a decimal number of ns (e.g. 1234.567)", QUOTE_MAX, text);
    double v = strtod(text, NULL);
    if (!isfinite(v))
        return rep_why(msg, len, "'%.*s' is out of range", QUOTE_MAX, text);
    *(double *)field = v;
    return 0;
}

static int col_latency(struct rep_data *d, const char *text, void *field, char *msg, size_t len)
{
    if (text[0] == '-' && rep_is_decimal(text + 1))
        return rep_why(msg, len, "negative latency '%.*s'", QUOTE_MAX, text);
    return rep_field_ns(d, text, field, msg, len);
}

#define COL(name, fn, member) {name, fn, offsetof(struct rep_row, member)}

/* The columns in file order; the header is their names joined by commas. */
static const struct rep_column columns[] = {
    COL("scenario", rep_field_name, scenario), COL("point", rep_field_u32, point),
    COL("params", rep_field_text, params),     COL("cpus", rep_field_u32, cpus),
    COL("error", rep_field_u64, error),        COL("class", col_class, cls),
    COL("stage", col_stage, stage),            COL("latency_ns", col_latency, ns),
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

const char *rep_column_name(unsigned i)
{
    return i < NCOLUMNS ? columns[i].name : NULL;
}

unsigned rep_column_count(void)
{
    return NCOLUMNS;
}

static int push_row(struct rep_data *d, const void *row)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 1024;
        struct rep_row *rows = realloc(d->rows, cap * sizeof(*rows));
        if (!rows)
            return -1;
        d->rows = rows;
        d->cap = cap;
    }
    d->rows[d->n++] = *(const struct rep_row *)row;
    return 0;
}

_Static_assert(sizeof(struct rep_row) <= REP_MAX_ROW_BYTES, "latency row");
static const struct rep_table latency_table = {"latency.csv", columns, NCOLUMNS, push_row};

static int header_ok(const struct rep_table *t, const char *line)
{
    for (unsigned i = 0; i < t->ncol; i++) {
        size_t k = strlen(t->col[i].name);
        if (strncmp(line, t->col[i].name, k) != 0)
            return 0;
        line += k;
        if (*line != (i + 1 < t->ncol ? ',' : '\0'))
            return 0;
        line++;
    }
    return 1;
}

static void header_text(const struct rep_table *t, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < t->ncol && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? "," : "", t->col[i].name);
}

/* ---- reading ---- */

/* Split line in place at commas; the field count (at most max are kept). */
static unsigned split(char *line, char **field, unsigned max)
{
    unsigned n = 0;
    for (char *p = line;; p++) {
        if (n < max)
            field[n] = p;
        n++;
        if (!(p = strchr(p, ',')))
            return n;
        *p = 0;
    }
}

static int parse_row(struct rep_data *d, const struct rep_table *t, char *line, const char *name, unsigned lineno,
                     struct rep_error *err)
{
    char *field[REP_MAX_COLUMNS];
    unsigned n = split(line, field, REP_MAX_COLUMNS);
    if (n != t->ncol)
        return fail(err, name, lineno, "expected %u comma-separated fields, found %u", t->ncol, n);
    union { /* a row of any table, filled in place */
        max_align_t align;
        unsigned char bytes[REP_MAX_ROW_BYTES];
    } row;
    memset(&row, 0, sizeof(row));
    for (unsigned i = 0; i < t->ncol; i++) {
        char msg[256];
        if (t->col[i].parse(d, field[i], (char *)&row + t->col[i].off, msg, sizeof(msg)))
            return fail(err, name, lineno, "column %u (%s): %s", i + 1, t->col[i].name, msg);
    }
    if (t->push(d, &row))
        return fail(err, name, lineno, "out of memory");
    return 0;
}

/* Which table the header line announces; NULL with *err filled. */
static const struct rep_table *check_header(const struct rep_data *d, char *line, const char *name,
                                            struct rep_error *err)
{
    if (!strncmp(line, UTF8_BOM, 3))
        memmove(line, line + 3, strlen(line + 3) + 1);
    for (unsigned i = 0; i < d->ntables; i++)
        if (header_ok(d->tables[i], line))
            return d->tables[i];
    char want[128], others[256] = "";
    header_text(d->tables[0], want, sizeof(want));
    for (unsigned i = 1, k = 0; i < d->ntables && k < sizeof(others); i++)
        k += (size_t)snprintf(others + k, sizeof(others) - k, " (or that of a %s)", d->tables[i]->file);
    fail(err, name, 1, "not a latency CSV: the first line must be '%s'%s, not '%.*s%s'", want, others, QUOTE_MAX,
         line, strlen(line) > QUOTE_MAX ? "..." : "");
    return NULL;
}

/* One line without its line end; -1 on a NUL byte (a binary file). */
static int chomp(char *line, size_t len)
{
    if (strlen(line) != len)
        return -1;
    if (len && line[len - 1] == '\n')
        line[--len] = 0;
    if (len && line[len - 1] == '\r')
        line[--len] = 0;
    return 0;
}

int rep_read_stream(struct rep_data *d, FILE *f, const char *name, struct rep_error *err)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned lineno = 0;
    int rc = 0;
    const struct rep_table *t = NULL;
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (chomp(line, (size_t)len))
            rc = fail(err, name, lineno, "NUL byte: not a text file");
        else if (lineno == 1)
            rc = (t = check_header(d, line, name, err)) ? 0 : -1;
        else if (line[0])
            rc = parse_row(d, t, line, name, lineno, err);
    }
    free(line);
    if (rc == 0 && ferror(f))
        rc = fail(err, name, lineno + 1, "read error: %s", strerror(errno));
    if (rc == 0 && lineno == 0)
        rc = fail(err, name, 1, "empty file: expected the header line of a latency CSV");
    if (rc == 0)
        d->ninputs++;
    return rc;
}

static int read_file(struct rep_data *d, const char *file, struct rep_error *err)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return fail(err, file, 0, "cannot open: %s", strerror(errno));
    int rc = rep_read_stream(d, f, file, err);
    fclose(f);
    return rc;
}

/* A results folder: the file of each table the reader knows (latency.csv,
 * migration.csv); any may be missing (folders from before migrations have
 * no migration.csv) but not all. */
static int read_folder(struct rep_data *d, const char *path, struct rep_error *err)
{
    char file[sizeof(err->file)];
    unsigned found = 0;
    for (unsigned i = 0; i < d->ntables; i++) {
        struct stat st;
        if ((size_t)snprintf(file, sizeof(file), "%s/%s", path, d->tables[i]->file) >= sizeof(file))
            return fail(err, path, 0, "path too long");
        if (stat(file, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            return fail(err, file, 0, "is a folder, not a CSV file");
        if (read_file(d, file, err))
            return -1;
        found++;
    }
    if (!found)
        return fail(err, path, 0, "no latency.csv in this folder (write one with `mcasim run --results %s`)", path);
    return 0;
}

int rep_read_path(struct rep_data *d, const char *path, struct rep_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return fail(err, path, 0, "cannot open: %s", strerror(errno));
    return S_ISDIR(st.st_mode) ? read_folder(d, path, err) : read_file(d, path, err);
}

/* ---- ordering ---- */

static size_t digit_run(const char *s)
{
    size_t n = 0;
    while (isdigit((unsigned char)s[n]))
        n++;
    return n;
}

static int natural_core(const char *a, const char *b)
{
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            while (*a == '0' && isdigit((unsigned char)a[1]))
                a++;
            while (*b == '0' && isdigit((unsigned char)b[1]))
                b++;
            size_t la = digit_run(a), lb = digit_run(b);
            if (la != lb)
                return la < lb ? -1 : 1; /* fewer digits, smaller number */
            int c = memcmp(a, b, la);
            if (c)
                return c;
            a += la;
            b += lb;
        } else if (*a != *b) {
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        } else {
            a++;
            b++;
        }
    }
    return *a ? 1 : (*b ? -1 : 0);
}

int rep_natural_cmp(const char *a, const char *b)
{
    int c = natural_core(a, b);
    return c ? c : strcmp(a, b);
}

static int cmp_id_natural(const void *x, const void *y, const struct rep_pool *p)
{
    return rep_natural_cmp(p->str[*(const uint32_t *)x], p->str[*(const uint32_t *)y]);
}

/* qsort has no context argument; sort ids by a merge sort that has one. */
static void sort_ids(uint32_t *v, uint32_t *tmp, uint32_t n, const struct rep_pool *p)
{
    if (n < 2)
        return;
    uint32_t h = n / 2;
    sort_ids(v, tmp, h, p);
    sort_ids(v + h, tmp, n - h, p);
    uint32_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_id_natural(&v[j], &v[i], p) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(*v));
}

static int rank_strings(struct rep_pool *p)
{
    uint32_t *ids = malloc((p->n + 1) * sizeof(*ids)), *tmp = malloc((p->n + 1) * sizeof(*tmp));
    uint32_t *rank = realloc(p->rank, (p->n + 1) * sizeof(*rank));
    if (!ids || !tmp || !rank) {
        free(ids);
        free(tmp);
        if (rank)
            p->rank = rank;
        return -1;
    }
    p->rank = rank;
    for (uint32_t i = 0; i < p->n; i++)
        ids[i] = i;
    sort_ids(ids, tmp, p->n, p);
    for (uint32_t i = 0; i < p->n; i++)
        rank[ids[i]] = i;
    free(ids);
    free(tmp);
    return 0;
}

/* A distinct (scenario, params) pair and the first point it ran at. */
struct pair {
    uint32_t scenario, params, first_point, srank, prank, order;
};

static int cmp_pair_ids(const void *x, const void *y)
{
    const struct pair *a = x, *b = y;
    if (a->scenario != b->scenario)
        return a->scenario < b->scenario ? -1 : 1;
    if (a->params != b->params)
        return a->params < b->params ? -1 : 1;
    return a->first_point < b->first_point ? -1 : a->first_point > b->first_point;
}

static int cmp_pair_order(const void *x, const void *y)
{
    const struct pair *a = *(const struct pair *const *)x, *b = *(const struct pair *const *)y;
    if (a->srank != b->srank)
        return a->srank < b->srank ? -1 : 1;
    if (a->first_point != b->first_point)
        return a->first_point < b->first_point ? -1 : 1;
    return a->prank < b->prank ? -1 : a->prank > b->prank;
}

/* Sorted by ids with duplicates folded into their smallest point. */
static size_t distinct_pairs(const struct rep_data *d, struct pair *v)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct rep_row *r = &d->rows[i];
        v[i] = (struct pair){r->scenario, r->params, r->point, d->pool.rank[r->scenario],
                             d->pool.rank[r->params], 0};
    }
    qsort(v, d->n, sizeof(*v), cmp_pair_ids);
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        if (!n || v[n - 1].scenario != v[i].scenario || v[n - 1].params != v[i].params)
            v[n++] = v[i]; /* the first of a run has the smallest point */
    return n;
}

static int order_pairs(struct rep_data *d)
{
    struct pair *v = malloc((d->n + 1) * sizeof(*v));
    struct pair **by_order = malloc((d->n + 1) * sizeof(*by_order));
    if (!v || !by_order) {
        free(v);
        free(by_order);
        return -1;
    }
    size_t n = distinct_pairs(d, v);
    for (size_t i = 0; i < n; i++)
        by_order[i] = &v[i];
    qsort(by_order, n, sizeof(*by_order), cmp_pair_order);
    for (size_t i = 0; i < n; i++)
        by_order[i]->order = (uint32_t)i;
    for (size_t i = 0; i < d->n; i++) {
        struct pair key = {d->rows[i].scenario, d->rows[i].params, 0, 0, 0, 0};
        size_t lo = 0, hi = n; /* the pair with these ids, by bisection on ids only */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            const struct pair *m = &v[mid];
            if (m->scenario < key.scenario || (m->scenario == key.scenario && m->params < key.params))
                lo = mid + 1;
            else
                hi = mid;
        }
        d->rows[i].order = v[lo].order;
    }
    free(by_order);
    free(v);
    return 0;
}

int rep_finish(struct rep_data *d)
{
    if (rank_strings(&d->pool))
        return -1;
    return order_pairs(d);
}

/* ---- statistics ---- */

double rep_nearest_rank(const double *sorted, size_t n, unsigned pct)
{
    if (pct > 100)
        pct = 100;
    size_t rank = ((size_t)pct * n + 99) / 100; /* ceil(pct * n / 100) in integers */
    return sorted[rank ? rank - 1 : 0];
}

void rep_stats_of(const double *sorted, size_t n, struct rep_stats *st)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += sorted[i];
    st->count = n;
    st->min = sorted[0];
    st->max = sorted[n - 1];
    st->mean = sum / (double)n;
    st->p50 = rep_nearest_rank(sorted, n, 50);
    st->p90 = rep_nearest_rank(sorted, n, 90);
    st->p99 = rep_nearest_rank(sorted, n, 99);
}

/* ---- grouping ---- */

/* A row reduced to its key (fields outside the key zeroed) and latency. */
struct keyed {
    uint32_t srank, cpus, order, stage;
    uint32_t scenario, params;
    double ns;
};

static int cmp_keyed(const void *x, const void *y)
{
    const struct keyed *a = x, *b = y;
    const uint32_t ka[4] = {a->srank, a->cpus, a->order, a->stage};
    const uint32_t kb[4] = {b->srank, b->cpus, b->order, b->stage};
    for (unsigned i = 0; i < 4; i++)
        if (ka[i] != kb[i])
            return ka[i] < kb[i] ? -1 : 1;
    return a->ns < b->ns ? -1 : a->ns > b->ns;
}

static int same_key(const struct keyed *a, const struct keyed *b)
{
    return a->srank == b->srank && a->cpus == b->cpus && a->order == b->order && a->stage == b->stage;
}

static struct keyed key_of(const struct rep_data *d, const struct rep_row *r, unsigned key)
{
    struct keyed k = {0, 0, 0, LS__COUNT, 0, 0, r->ns};
    if (key & RK_SCENARIO) {
        k.srank = d->pool.rank[r->scenario];
        k.scenario = r->scenario;
    }
    if (key & RK_CPUS)
        k.cpus = r->cpus;
    if (key & RK_PARAMS) {
        k.order = r->order;
        k.params = r->params;
    }
    if (key & RK_STAGE)
        k.stage = r->stage;
    return k;
}

static size_t select_rows(const struct rep_data *d, unsigned key, const struct rep_filter *flt, struct keyed *v)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) {
        const struct rep_row *r = &d->rows[i];
        if ((flt->stages & REP_STAGE_BIT(r->stage)) && (flt->classes & REP_CLASS_BIT(r->cls)))
            v[n++] = key_of(d, r, key);
    }
    return n;
}

int rep_group(const struct rep_data *d, unsigned key, const struct rep_filter *flt, struct rep_groups *out)
{
    memset(out, 0, sizeof(*out));
    struct keyed *v = malloc((d->n + 1) * sizeof(*v));
    out->vals = malloc((d->n + 1) * sizeof(*out->vals));
    out->g = malloc((d->n + 1) * sizeof(*out->g));
    if (!v || !out->vals || !out->g) {
        free(v);
        rep_groups_free(out);
        return -1;
    }
    size_t n = select_rows(d, key, flt, v);
    qsort(v, n, sizeof(*v), cmp_keyed);
    for (size_t i = 0, start = 0; i < n; i++) {
        out->vals[i] = v[i].ns;
        if (i + 1 < n && same_key(&v[i], &v[i + 1]))
            continue;
        struct rep_group *g = &out->g[out->n++];
        g->scenario = v[i].scenario;
        g->params = v[i].params;
        g->order = v[i].order;
        g->cpus = v[i].cpus;
        g->stage = (enum lat_stage)v[i].stage;
        g->ns = &out->vals[start];
        rep_stats_of(g->ns, i + 1 - start, &g->st);
        start = i + 1;
    }
    free(v);
    return 0;
}

void rep_groups_free(struct rep_groups *gs)
{
    free(gs->g);
    free(gs->vals);
    memset(gs, 0, sizeof(*gs));
}
