/*
 * report_migration.c - migration.csv's columns, swept values as numbers,
 * the grouping of migrations into series per scenario, and the spans of
 * a series.
 *
 * Grouping sorts on every field of a row in the end, so the order of
 * groups and points depends only on the data, never on the input order.
 */
#include "reports/report_migration.h"

#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario_values.h"

/* ---- migration.csv ---- */

static const char *outcome_at(unsigned i)
{
    return scn_mig_outcome_name((enum scn_mig_outcome)i);
}

static int col_outcome(struct rep_data *d, const char *text, void *field, char *msg, size_t len)
{
    (void)d;
    return rep_field_enum(text, field, outcome_at, SCN_MIGO__COUNT, "outcome", msg, len);
}

/* Empty: the migration never got there. */
static int col_time(struct rep_data *d, const char *text, void *field, char *msg, size_t len)
{
    if (!*text) {
        *(double *)field = REP_MIG_NO_TIME;
        return 0;
    }
    return rep_field_ns(d, text, field, msg, len);
}

static int push_mig(struct rep_data *d, const void *row)
{
    if (d->nmig == d->capmig) {
        size_t cap = d->capmig ? d->capmig * 2 : 64;
        struct rep_mig_row *v = realloc(d->mig, cap * sizeof(*v));
        if (!v)
            return -1;
        d->mig = v;
        d->capmig = cap;
    }
    d->mig[d->nmig++] = *(const struct rep_mig_row *)row;
    return 0;
}

#define COL(name, fn, member) {name, fn, offsetof(struct rep_mig_row, member)}

/* In the order of RESULTS_CSV_MIGRATION_HEADER. */
static const struct rep_column columns[] = {
    COL("scenario", rep_field_name, scenario),
    COL("point", rep_field_u32, point),
    COL("params", rep_field_text, params),
    COL("domain", rep_field_u32, domain),
    COL("from", rep_field_u32, from),
    COL("to", rep_field_u32, to),
    COL("outcome", col_outcome, outcome),
    COL("case", rep_field_text, mcase), /* free text: new cases need no change here */
    COL("iterations", rep_field_u32, iterations),
    COL("rechecks", rep_field_u32, rechecks),
    COL("pages_sent", rep_field_u64, pages_sent),
    COL("broken_sent", rep_field_u64, broken_sent),
    COL("pages_lost", rep_field_u64, pages_lost),
    COL("needless_broken", rep_field_u64, needless_broken),
    COL("start_ns", col_time, start_ns),
    COL("pause_ns", col_time, pause_ns),
    COL("end_ns", col_time, end_ns),
    COL("downtime_ns", col_time, downtime_ns),
};
_Static_assert(sizeof(columns) / sizeof(columns[0]) <= REP_MAX_COLUMNS, "report_data.c's field array");

_Static_assert(sizeof(struct rep_mig_row) <= REP_MAX_ROW_BYTES, "migration row");
static const struct rep_table table = {"migration.csv", columns, sizeof(columns) / sizeof(columns[0]), push_mig};

const struct rep_table *rep_mig_table(void)
{
    return &table;
}

/* ---- parameter values ---- */

enum rep_value_kind rep_param_number(const char *value, double *v)
{
    uint64_t n;
    if (scv_time(value, &n) == SCV_OK) {
        *v = (double)n / 1e9; /* ps -> ms */
        return REP_VALUE_TIME;
    }
    if (scv_uint(value, &n) == SCV_OK) {
        *v = (double)n;
        return REP_VALUE_NUMBER;
    }
    if (rep_is_decimal(value)) {
        *v = strtod(value, NULL);
        return REP_VALUE_NUMBER;
    }
    return REP_VALUE_NONE;
}

/* The next "k=v" of params at *p (which advances); its length, 0 at the end. */
static size_t next_param(const char **p, const char **seg)
{
    while (**p == ';')
        (*p)++;
    *seg = *p;
    size_t k = strcspn(*p, ";");
    *p += k;
    return k;
}

/* Whether seg (k bytes) is "key=...". */
static int seg_is(const char *seg, size_t k, const char *key)
{
    size_t kl = strlen(key);
    return kl < k && !strncmp(seg, key, kl) && seg[kl] == '=';
}

int rep_param_get(const char *params, const char *key, char *buf, size_t len)
{
    const char *p = params, *seg;
    size_t k, kl = strlen(key);
    while ((k = next_param(&p, &seg)) > 0)
        if (seg_is(seg, k, key)) {
            size_t vl = k - kl - 1;
            if (vl >= len)
                return -1;
            memcpy(buf, seg + kl + 1, vl);
            buf[vl] = 0;
            return 0;
        }
    return -1;
}

unsigned rep_mig_case_rank(const char *mcase)
{
    static const char *const order[REP_MIG_NCASES] = {"", "live", "before-4", "A", "B.I", "B.II", "after"};
    for (unsigned i = 0; i < REP_MIG_NCASES; i++)
        if (!strcmp(mcase, order[i]))
            return i;
    return REP_MIG_NCASES;
}

/* ---- grouping ---- */

#define VALUE_MAX 256 /* a parameter value; sweep.c writes params of at most 255 bytes */

/* A row on its way into a group. */
struct item {
    const struct rep_mig_row *row;
    const struct rep_data *d;
    uint32_t srank;
    uint32_t first_point;  /* of its group */
    char *rest;
    double x;
};

static int cmp_u64(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

static int cmp_f64(double a, double b)
{
    return a < b ? -1 : a > b;
}

/* Every field, so that equal rows are identical and order is total. */
static int cmp_rows(const struct rep_data *d, const struct rep_mig_row *a, const struct rep_mig_row *b)
{
    const uint64_t ka[] = {a->point, a->domain, a->from, a->to, d->pool.rank[a->params], a->outcome,
                           rep_mig_case_rank(rep_str(d, a->mcase)), d->pool.rank[a->mcase], a->iterations,
                           a->rechecks, a->pages_sent, a->broken_sent, a->pages_lost, a->needless_broken};
    const uint64_t kb[] = {b->point, b->domain, b->from, b->to, d->pool.rank[b->params], b->outcome,
                           rep_mig_case_rank(rep_str(d, b->mcase)), d->pool.rank[b->mcase], b->iterations,
                           b->rechecks, b->pages_sent, b->broken_sent, b->pages_lost, b->needless_broken};
    for (size_t i = 0; i < sizeof(ka) / sizeof(ka[0]); i++)
        if (ka[i] != kb[i])
            return cmp_u64(ka[i], kb[i]);
    const double ta[] = {a->start_ns, a->pause_ns, a->end_ns, a->downtime_ns};
    const double tb[] = {b->start_ns, b->pause_ns, b->end_ns, b->downtime_ns};
    for (size_t i = 0; i < sizeof(ta) / sizeof(ta[0]); i++)
        if (ta[i] != tb[i])
            return cmp_f64(ta[i], tb[i]);
    return 0;
}

/* By scenario, then the row. */
static int cmp_by_scenario(const void *x, const void *y)
{
    const struct item *a = x, *b = y;
    return a->srank != b->srank ? cmp_u64(a->srank, b->srank) : cmp_rows(a->d, a->row, b->row);
}

/* By scenario and group, then the row: a group is a run. */
static int cmp_by_group(const void *x, const void *y)
{
    const struct item *a = x, *b = y;
    if (a->srank != b->srank)
        return cmp_u64(a->srank, b->srank);
    int c = strcmp(a->rest, b->rest);
    return c ? c : cmp_rows(a->d, a->row, b->row);
}

/* Groups of a scenario by their first point, as the sweep ran them. */
static int cmp_by_first_point(const void *x, const void *y)
{
    const struct item *a = x, *b = y;
    if (a->srank != b->srank)
        return cmp_u64(a->srank, b->srank);
    if (a->first_point != b->first_point)
        return cmp_u64(a->first_point, b->first_point);
    return cmp_by_group(x, y);
}

/* Whether key has a value of one numeric kind at every item; *varies
 * when not all values are the same. */
static enum rep_value_kind key_kind(const struct item *v, size_t n, const char *key, int *varies)
{
    enum rep_value_kind kind = REP_VALUE_NONE;
    double first = 0;
    *varies = 0;
    for (size_t i = 0; i < n; i++) {
        char value[VALUE_MAX];
        double x;
        if (rep_param_get(rep_str(v[i].d, v[i].row->params), key, value, sizeof(value)))
            return REP_VALUE_NONE;
        enum rep_value_kind k = rep_param_number(value, &x);
        if (k == REP_VALUE_NONE || (i && k != kind))
            return REP_VALUE_NONE;
        if (!i) {
            kind = k;
            first = x;
        }
        *varies |= x != first;
    }
    return kind;
}

/* The x parameter of a scenario's items (sorted by point): the first
 * numeric one that varies, else the first numeric one. */
static int choose_x(const struct item *v, size_t n, struct rep_mig_scenario *sc)
{
    const char *p = rep_str(v[0].d, v[0].row->params), *seg;
    size_t k;
    char best[VALUE_MAX] = "";
    sc->xkind = REP_VALUE_NONE;
    while ((k = next_param(&p, &seg)) > 0) {
        size_t kl = strcspn(seg, "=");
        char key[VALUE_MAX];
        int varies;
        if (kl >= k || kl >= sizeof(key))
            continue;
        memcpy(key, seg, kl);
        key[kl] = 0;
        enum rep_value_kind kind = key_kind(v, n, key, &varies);
        if (kind == REP_VALUE_NONE || (sc->xkind != REP_VALUE_NONE && !varies))
            continue;
        snprintf(best, sizeof(best), "%s", key);
        sc->xkind = kind;
        if (varies)
            break;
    }
    return (sc->xkey = strdup(best)) ? 0 : -1;
}

/* params without xkey's entry, and x: the value of xkey, or the point. */
static int place(struct item *it, const struct rep_mig_scenario *sc)
{
    const char *p = rep_str(it->d, it->row->params), *seg;
    size_t k, n = 0;
    if (!(it->rest = malloc(strlen(p) + 1)))
        return -1;
    it->x = it->row->point;
    if (!*sc->xkey) { /* x is the point: every point of the scenario is one group */
        it->rest[0] = 0;
        return 0;
    }
    while ((k = next_param(&p, &seg)) > 0) {
        if (seg_is(seg, k, sc->xkey)) {
            char value[VALUE_MAX];
            snprintf(value, sizeof(value), "%.*s", (int)(k - strlen(sc->xkey) - 1), seg + strlen(sc->xkey) + 1);
            rep_param_number(value, &it->x);
            continue;
        }
        if (n)
            it->rest[n++] = ';';
        memcpy(it->rest + n, seg, k);
        n += k;
    }
    it->rest[n] = 0;
    return 0;
}

/* Scenarios, their x parameter and outcome counts; every item placed. */
static int make_scenarios(struct item *v, size_t n, struct rep_mig_groups *out)
{
    for (size_t i = 0, end; i < n; i = end) {
        for (end = i + 1; end < n && v[end].srank == v[i].srank;)
            end++;
        struct rep_mig_scenario *sc = &out->sc[out->nsc++];
        memset(sc, 0, sizeof(*sc));
        sc->scenario = v[i].row->scenario;
        if (choose_x(v + i, end - i, sc))
            return -1;
        for (size_t j = i; j < end; j++) {
            if (place(&v[j], sc))
                return -1;
            sc->count[v[j].row->outcome < SCN_MIGO__COUNT ? v[j].row->outcome : SCN_MIGO_NONE]++;
        }
        sc->n = end - i;
    }
    return 0;
}

/* Items sorted by group: each group's first point onto its items. */
static void mark_first_points(struct item *v, size_t n)
{
    for (size_t i = 0, end; i < n; i = end) {
        for (end = i + 1; end < n && v[end].srank == v[i].srank && !strcmp(v[end].rest, v[i].rest);)
            end++;
        for (size_t j = i; j < end; j++)
            v[j].first_point = v[i].row->point; /* the smallest: points ascend within a group */
    }
}

/* Items in final order: groups and points out. */
static int make_groups(struct item *v, size_t n, struct rep_mig_groups *out)
{
    size_t s = 0;
    for (size_t i = 0, end; i < n; i = end) {
        for (end = i + 1; end < n && v[end].srank == v[i].srank && !strcmp(v[end].rest, v[i].rest);)
            end++;
        while (out->sc[s].scenario != v[i].row->scenario)
            s++;
        struct rep_mig_group *g = &out->g[out->ng];
        g->scenario = s;
        g->first = i;
        g->n = end - i;
        if (!(g->rest = strdup(v[i].rest)))
            return -1;
        if (!out->sc[s].ngroups++)
            out->sc[s].first = out->ng;
        out->ng++;
    }
    for (size_t i = 0; i < n; i++)
        out->pts[out->npts++] = (struct rep_mig_point){v[i].row, v[i].x};
    return 0;
}

int rep_mig_group(const struct rep_data *d, struct rep_mig_groups *out)
{
    memset(out, 0, sizeof(*out));
    size_t n = d->nmig;
    struct item *v = calloc(n + 1, sizeof(*v));
    out->sc = calloc(n + 1, sizeof(*out->sc));
    out->g = calloc(n + 1, sizeof(*out->g));
    out->pts = calloc(n + 1, sizeof(*out->pts));
    int rc = v && out->sc && out->g && out->pts ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        v[i] = (struct item){&d->mig[i], d, d->pool.rank[d->mig[i].scenario], 0, NULL, 0};
    if (rc == 0) {
        qsort(v, n, sizeof(*v), cmp_by_scenario);
        rc = make_scenarios(v, n, out);
    }
    if (rc == 0) {
        qsort(v, n, sizeof(*v), cmp_by_group);
        mark_first_points(v, n);
        qsort(v, n, sizeof(*v), cmp_by_first_point);
        rc = make_groups(v, n, out);
    }
    for (size_t i = 0; v && i < n; i++)
        free(v[i].rest);
    free(v);
    if (rc)
        rep_mig_groups_free(out);
    return rc;
}

/* ---- spans ---- */

struct span_item {
    const struct rep_mig_point *pt;
    size_t at;             /* index in the group: ties keep the group's order */
};

static int cmp_span_items(const void *x, const void *y)
{
    const struct span_item *a = x, *b = y;
    if (a->pt->row->domain != b->pt->row->domain)
        return cmp_u64(a->pt->row->domain, b->pt->row->domain);
    if (a->pt->x != b->pt->x)
        return cmp_f64(a->pt->x, b->pt->x);
    if (a->pt->row->point != b->pt->row->point)
        return cmp_u64(a->pt->row->point, b->pt->row->point);
    return cmp_u64(a->at, b->at);
}

static int same_span(const struct rep_mig_span *s, const struct rep_mig_row *m)
{
    return s->domain == m->domain && s->outcome == m->outcome && s->mcase == m->mcase &&
           s->pages_lost == m->pages_lost && s->needless_broken == m->needless_broken;
}

int rep_mig_spans(const struct rep_mig_groups *gs, const struct rep_mig_group *g, struct rep_mig_span *out,
                  size_t *nout)
{
    *nout = 0;
    struct span_item *v = malloc((g->n + 1) * sizeof(*v));
    if (!v)
        return -1;
    for (size_t i = 0; i < g->n; i++)
        v[i] = (struct span_item){&gs->pts[g->first + i], i};
    qsort(v, g->n, sizeof(*v), cmp_span_items);
    for (size_t i = 0; i < g->n; i++) {
        const struct rep_mig_row *m = v[i].pt->row;
        struct rep_mig_span *s = *nout ? &out[*nout - 1] : NULL;
        if (s && same_span(s, m)) {
            s->x_to = v[i].pt->x;
            s->n++;
            continue;
        }
        out[(*nout)++] = (struct rep_mig_span){m->domain, m->outcome, m->mcase, m->pages_lost, m->needless_broken,
                                               v[i].pt->x, v[i].pt->x, 1};
    }
    free(v);
    return 0;
}

void rep_mig_groups_free(struct rep_mig_groups *gs)
{
    for (size_t i = 0; gs->sc && i < gs->nsc; i++)
        free(gs->sc[i].xkey);
    for (size_t i = 0; gs->g && i < gs->ng; i++)
        free(gs->g[i].rest);
    free(gs->sc);
    free(gs->g);
    free(gs->pts);
    memset(gs, 0, sizeof(*gs));
}
