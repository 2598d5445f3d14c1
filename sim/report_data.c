/*
 * report_data.c - read latency CSVs and group their rows.
 *
 * The format is the one `mcasim run --results` writes (results_csv.h). A
 * malformed file is an error naming FILE:LINE, never a crash; values are
 * parsed strictly (no trailing junk, no negative latency).
 */
#include "sim/report_data.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/results_csv.h"

static int push(struct report_data *d, const struct report_row *r)
{
    if (d->n == d->cap) {
        size_t c = d->cap ? d->cap * 2 : 1024;
        struct report_row *v = realloc(d->rows, c * sizeof(*v));
        if (!v)
            return -1;
        d->rows = v;
        d->cap = c;
    }
    d->rows[d->n++] = *r;
    return 0;
}

static enum lat_stage stage_of(const char *s)
{
    for (unsigned i = 0; i < LS__COUNT; i++)
        if (strcmp(s, lat_stage_name((enum lat_stage)i)) == 0)
            return (enum lat_stage)i;
    return LS__COUNT;
}

static int parse_uint(const char *s, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-' || v > 0xFFFFFFFFul)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int copy_field(char *dst, size_t len, const char *src)
{
    if (strlen(src) >= len)
        return -1;
    memcpy(dst, src, strlen(src) + 1);
    return 0;
}

/* One data line into r; the message on failure. */
static const char *parse_line(char *line, struct report_row *r)
{
    char *f[9];
    unsigned n = 0;
    for (char *p = line; n < 9; n++) {
        f[n] = p;
        char *c = strchr(p, ',');
        if (!c) {
            n++;
            break;
        }
        *c = 0;
        p = c + 1;
    }
    if (n != 8)
        return "expected 8 comma-separated fields";
    char *end;
    memset(r, 0, sizeof(*r));
    if (copy_field(r->scenario, sizeof(r->scenario), f[0]) || !f[0][0])
        return "bad scenario name";
    if (parse_uint(f[1], &r->point))
        return "point is not a number";
    if (copy_field(r->params, sizeof(r->params), f[2]))
        return "params too long";
    if (parse_uint(f[3], &r->cpus))
        return "cpus is not a number";
    if (parse_uint(f[4], &r->error))
        return "error is not a number";
    if (copy_field(r->cls, sizeof(r->cls), f[5]))
        return "bad class";
    if ((r->stage = stage_of(f[6])) == LS__COUNT)
        return "unknown stage";
    errno = 0;
    double ns = strtod(f[7], &end);
    if (end == f[7] || *end || errno || ns < 0)
        return "latency_ns is not a non-negative number";
    r->us = ns / 1000.0;
    return NULL;
}

int report_load(struct report_data *d, const char *path, char *err, size_t errlen)
{
    char file[4096];
    struct stat st;
    snprintf(file, sizeof(file), "%s", path);
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(file, sizeof(file), "%s/latency.csv", path);
    FILE *f = fopen(file, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", file, strerror(errno));
        return -1;
    }
    char line[1024];
    unsigned lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        size_t len = strlen(line);
        if (len && line[len - 1] != '\n' && !feof(f)) {
            snprintf(err, errlen, "%s:%u: line too long", file, lineno);
            rc = -1;
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (lineno == 1) {
            if (strncmp(line, RESULTS_CSV_LATENCY_HEADER, strlen(RESULTS_CSV_LATENCY_HEADER) - 1) != 0) {
                snprintf(err, errlen, "%s:1: not a latency.csv (header should be %.*s)", file,
                         (int)strlen(RESULTS_CSV_LATENCY_HEADER) - 1, RESULTS_CSV_LATENCY_HEADER);
                rc = -1;
                break;
            }
            continue;
        }
        if (!len)
            continue;
        struct report_row r;
        const char *why = parse_line(line, &r);
        if (why) {
            snprintf(err, errlen, "%s:%u: %s", file, lineno, why);
            rc = -1;
            break;
        }
        if (push(d, &r)) {
            snprintf(err, errlen, "%s:%u: out of memory", file, lineno);
            rc = -1;
            break;
        }
    }
    if (rc == 0 && lineno == 0) {
        snprintf(err, errlen, "%s: empty file", file);
        rc = -1;
    }
    fclose(f);
    return rc;
}

void report_free(struct report_data *d)
{
    free(d->rows);
    memset(d, 0, sizeof(*d));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int is_broadcast_class(const char *c)
{
    return !strcmp(c, "srao") || !strcmp(c, "srar") || !strcmp(c, "fatal");
}

double *report_values(const struct report_data *d, const char *scenario, const char *params, int cpus,
                      enum lat_stage stage, int cls_broadcast, size_t *n)
{
    double *v = malloc((d->n ? d->n : 1) * sizeof(*v));
    *n = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; i < d->n; i++) {
        const struct report_row *r = &d->rows[i];
        if (r->stage != stage || (scenario && strcmp(scenario, r->scenario)) ||
            (params && strcmp(params, r->params)) || (cpus >= 0 && (unsigned)cpus != r->cpus) ||
            (cls_broadcast && !is_broadcast_class(r->cls)))
            continue;
        v[(*n)++] = r->us;
    }
    qsort(v, *n, sizeof(*v), cmp_double);
    return v;
}

double report_pct(const double *sorted, size_t n, unsigned p)
{
    if (!n)
        return 0;
    size_t rank = ((size_t)p * n + 99) / 100;
    return sorted[rank ? rank - 1 : 0];
}

size_t *report_groups(const struct report_data *d, size_t *n)
{
    size_t *g = malloc((d->n ? d->n : 1) * sizeof(*g));
    *n = 0;
    for (size_t i = 0; g && i < d->n; i++) {
        size_t k = 0;
        while (k < *n && (strcmp(d->rows[g[k]].scenario, d->rows[i].scenario) ||
                          strcmp(d->rows[g[k]].params, d->rows[i].params)))
            k++;
        if (k == *n)
            g[(*n)++] = i;
    }
    return g;
}

static int cmp_uint(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

unsigned *report_cpus(const struct report_data *d, size_t *n)
{
    unsigned *c = malloc((d->n ? d->n : 1) * sizeof(*c));
    *n = 0;
    for (size_t i = 0; c && i < d->n; i++) {
        size_t k = 0;
        while (k < *n && c[k] != d->rows[i].cpus)
            k++;
        if (k == *n)
            c[(*n)++] = d->rows[i].cpus;
    }
    if (c)
        qsort(c, *n, sizeof(*c), cmp_uint);
    return c;
}
