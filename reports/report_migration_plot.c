/*
 * report_migration_plot.c - the migration section of a report folder:
 * migration.dat and the placeholders of reports/migration.gp (one panel
 * per group of report_migration.h: an outcome row and a case row per
 * migration against the swept value, colour by outcome, shape by case),
 * migration_table.csv, migration_outcomes.csv and the tables of
 * index.html (outcome counts, spans of a sweep, every migration).
 * report_plot.c fills the template, runs gnuplot and embeds the image.
 */
#include "reports/report_plot_int.h"
#include "sim/results/markup_escape.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PANELS 24  /* swept groups drawn; the tables always hold them all */
#define MAX_SINGLES 80 /* runs without a sweep drawn in the singles panel */
#define OUTCOME_LT 21  /* linetype of outcome 0 in migration.gp */
#define ROW_PX 26      /* height of an outcome row */
#define DENSE 60       /* points in a panel above which they are drawn smaller */
#define WIDTH_PX 1200

/* What the plot and the tables need besides the groups. */
struct mig_view {
    int row[SCN_MIGO__COUNT]; /* outcome -> row (0 = top), -1 when none had it */
    unsigned nrows;           /* outcome rows; the case rows follow them */
    uint32_t *case_of;        /* string id -> shape index from 1, 0 when not a case */
    uint32_t *case_row;       /* string id -> its row (nrows + its place in cases) */
    uint32_t *cases;          /* the cases' string ids, in rep_mig_case_rank order */
    unsigned ncases;
};

static const char *outcome_name(unsigned o)
{
    return scn_mig_outcome_name((enum scn_mig_outcome)o);
}

static int cmp_case(const struct rep_data *d, uint32_t a, uint32_t b)
{
    unsigned ra = rep_mig_case_rank(rep_str(d, a)), rb = rep_mig_case_rank(rep_str(d, b));
    if (ra != rb)
        return ra < rb ? -1 : 1;
    return d->pool.rank[a] < d->pool.rank[b] ? -1 : d->pool.rank[a] > d->pool.rank[b];
}

static void view_free(struct mig_view *v)
{
    free(v->case_of);
    free(v->case_row);
    free(v->cases);
}

/* Rows of the outcomes that occur, in enum order; cases in sequence order. */
static int make_view(const struct report *r, struct mig_view *v)
{
    const struct rep_data *d = r->d;
    memset(v, 0, sizeof(*v));
    v->case_of = calloc(d->pool.n + 1, sizeof(*v->case_of));
    v->case_row = calloc(d->pool.n + 1, sizeof(*v->case_row));
    v->cases = calloc(d->pool.n + 1, sizeof(*v->cases));
    if (!v->case_of || !v->case_row || !v->cases) {
        view_free(v);
        return -1;
    }
    unsigned seen = 0;
    for (size_t i = 0; i < r->mig.npts; i++) {
        const struct rep_mig_row *m = r->mig.pts[i].row;
        seen |= 1u << m->outcome;
        if (!v->case_of[m->mcase]) {
            v->case_of[m->mcase] = 1;
            v->cases[v->ncases++] = m->mcase;
        }
    }
    for (unsigned o = 0; o < SCN_MIGO__COUNT; o++)
        v->row[o] = seen & (1u << o) ? (int)v->nrows++ : -1;
    for (unsigned i = 1; i < v->ncases; i++) /* insertion sort: a handful of cases */
        for (unsigned j = i; j > 0 && cmp_case(d, v->cases[j], v->cases[j - 1]) < 0; j--) {
            uint32_t t = v->cases[j];
            v->cases[j] = v->cases[j - 1];
            v->cases[j - 1] = t;
        }
    /* a known case has the same shape in every report; others follow them */
    for (unsigned i = 0, unknown = 0; i < v->ncases; i++) {
        unsigned rank = rep_mig_case_rank(rep_str(d, v->cases[i]));
        v->case_of[v->cases[i]] = rank + 1 + (rank == REP_MIG_NCASES ? unknown++ : 0);
        v->case_row[v->cases[i]] = v->nrows + i;
    }
    return 0;
}

/* "scenario [rest]": one group. */
static void group_label(const struct report *r, const struct rep_mig_group *g, char *buf, size_t len)
{
    const char *rest = g->rest;
    snprintf(buf, len, "%s%s%s%s", rep_str(r->d, r->mig.sc[g->scenario].scenario), *rest ? " [" : "", rest,
             *rest ? "]" : "");
}

/* An empty case: no machine check on the guest's pages was classified,
 * i.e. none hit them once the migration had started (one before the
 * migration started does not count: sim/runtime/mig_case.h). */
static const char *case_title(const char *mcase)
{
    return *mcase ? mcase : "none";
}

/* The tic of a case row: "case: B.I". */
static void case_tic(const char *mcase, char *buf, size_t len)
{
    snprintf(buf, len, "case: %s", case_title(mcase));
}

/* A single run with nothing swept has no axis of its own: such groups
 * share one last panel, a tic per group, instead of a panel each. */
static int is_single(const struct report *r, const struct rep_mig_group *g)
{
    return g->n == 1 && r->mig.sc[g->scenario].xkind == REP_VALUE_NONE;
}

/* The panels: every other group (at most MAX_PANELS), then the singles
 * panel when there are singles (at most MAX_SINGLES of them). */
struct layout {
    const struct rep_mig_group *swept[MAX_PANELS];
    const struct rep_mig_group *single[MAX_SINGLES];
    size_t nswept, nsingle, left_out;
    size_t longest_single;  /* characters of the longest singles tic label */
};

static void plan(const struct report *r, struct layout *l)
{
    memset(l, 0, sizeof(*l));
    for (size_t i = 0; i < r->mig.ng; i++) {
        const struct rep_mig_group *g = &r->mig.g[i];
        if (is_single(r, g) && l->nsingle < MAX_SINGLES) {
            char label[600];
            group_label(r, g, label, sizeof(label));
            l->longest_single = strlen(label) > l->longest_single ? strlen(label) : l->longest_single;
            l->single[l->nsingle++] = g;
        } else if (!is_single(r, g) && l->nswept < MAX_PANELS) {
            l->swept[l->nswept++] = g;
        } else {
            l->left_out++;
        }
    }
}

/* x range and tic step of one panel; step 0 lets gnuplot choose. */
static void panel_axis(const struct rep_mig_point *pts, size_t n, enum rep_value_kind kind, double *lo, double *hi,
                       double *tic)
{
    double min = pts[0].x, max = pts[0].x;
    for (size_t i = 1; i < n; i++) {
        min = fmin(min, pts[i].x);
        max = fmax(max, pts[i].x);
    }
    double pad = max > min ? 0.05 * (max - min) : fmax(fabs(min) * 0.1, kind == REP_VALUE_TIME ? 0.001 : 1);
    *lo = min - pad;
    *hi = max + pad;
    *tic = 0;
    if (kind != REP_VALUE_TIME) /* points and counts: whole numbers only */
        *tic = fmax(1, round(rp_nice_step((max - min) / 8)));
}

static void x_label(const struct rep_mig_scenario *sc, char *buf, size_t len)
{
    if (sc->xkind == REP_VALUE_NONE)
        snprintf(buf, len, "sweep point");
    else
        snprintf(buf, len, "%s%s", sc->xkey, sc->xkind == REP_VALUE_TIME ? " (ms)" : "");
}

static void data_line(FILE *f, double x, const struct rep_mig_row *m, const struct mig_view *v)
{
    fprintf(f, "%.9g %d %d %u %u %u %u\n", x, v->row[m->outcome], OUTCOME_LT + m->outcome, v->case_of[m->mcase],
            m->point, m->domain, v->case_row[m->mcase]);
}

#define DAT_COLUMNS "outcome row (0 = top), outcome linetype, case shape (from 1), point, domain, case row"

/* Per panel: title, x label, x range, x tic step. */
struct panel_cols {
    struct rp_list title, xlabel, xlo, xhi, xtic;
};

/* One group's block in migration.dat and its panel. */
static void swept_panel(const struct report *r, FILE *f, const struct rep_mig_group *g, const struct mig_view *v,
                        struct panel_cols *c)
{
    const struct rep_mig_scenario *sc = &r->mig.sc[g->scenario];
    const struct rep_mig_point *pts = &r->mig.pts[g->first];
    char label[600], xl[128];
    group_label(r, g, label, sizeof(label));
    x_label(sc, xl, sizeof(xl));
    fprintf(f, "# %s: x (%s), " DAT_COLUMNS "\n", label, xl);
    for (size_t i = 0; i < g->n; i++)
        data_line(f, pts[i].x, pts[i].row, v);
    fputs("\n\n", f);
    double lo, hi, tic;
    panel_axis(pts, g->n, sc->xkind, &lo, &hi, &tic);
    rp_list_str(&c->title, label);
    rp_list_str(&c->xlabel, xl);
    rp_list_num(&c->xlo, lo);
    rp_list_num(&c->xhi, hi);
    rp_list_num(&c->xtic, tic);
}

/* The last block: one single run per x position; its tic labels. */
static void singles_panel(const struct report *r, FILE *f, const struct layout *l, const struct mig_view *v,
                          struct panel_cols *c, struct plot *p)
{
    struct text_buf *tics = rp_plot_val(p, "STICS");
    tb_put(tics, "(", 1);
    fputs("# runs without a sweep: x (run), " DAT_COLUMNS "\n", f);
    for (size_t i = 0; i < l->nsingle; i++) {
        char label[600];
        group_label(r, l->single[i], label, sizeof(label));
        data_line(f, (double)i, r->mig.pts[l->single[i]->first].row, v);
        tb_put(tics, i ? ", " : "", i ? 2 : 0);
        rp_gp_quote_into(tics, label);
        tb_printf(tics, " %zu", i);
    }
    tb_put(tics, ")", 1);
    fputs("\n\n", f);
    rp_list_str(&c->title, "Runs without a sweep");
    rp_list_str(&c->xlabel, "");
    rp_list_num(&c->xlo, -0.5);
    rp_list_num(&c->xhi, (double)l->nsingle - 0.5);
    rp_list_num(&c->xtic, 0);
}

/* ("success" 0, "aborted" 1, ..., "case: live" 2, ...): the outcome rows,
 * then the case rows; the longest label into *width. */
static void row_tics(struct plot *p, const struct report *r, const struct mig_view *v, size_t *width)
{
    struct text_buf *t = rp_plot_val(p, "YTICS");
    tb_put(t, "(", 1);
    *width = 0;
    for (unsigned o = 0; o < SCN_MIGO__COUNT; o++) {
        if (v->row[o] < 0)
            continue;
        tb_put(t, v->row[o] ? ", " : "", v->row[o] ? 2 : 0);
        rp_gp_quote_into(t, outcome_name(o));
        tb_printf(t, " %d", v->row[o]);
        *width = strlen(outcome_name(o)) > *width ? strlen(outcome_name(o)) : *width;
    }
    for (unsigned i = 0; i < v->ncases; i++) {
        char tic[160];
        case_tic(rep_str(r->d, v->cases[i]), tic, sizeof(tic));
        tb_put(t, ", ", 2);
        rp_gp_quote_into(t, tic);
        tb_printf(t, " %u", v->case_row[v->cases[i]]);
        *width = strlen(tic) > *width ? strlen(tic) : *width;
    }
    tb_put(t, ")", 1);
}

/* Panels stacked top to bottom, each a title, its rows and an x axis
 * (the singles panel's axis fits its slanted run names): the screen
 * fractions of each plot area, and the image height. */
static void stack(struct plot *p, const struct layout *l, unsigned nrows)
{
    enum { TOP_PX = 40, TITLE_PX = 30, AXIS_PX = 70 };
    size_t n = l->nswept + (l->nsingle > 0);
    double rows_px = ROW_PX * (double)nrows + 20;
    /* 45 degree labels: about 7 px a character times sin 45 */
    double singles_axis = fmin(300, 0.71 * 7 * (double)l->longest_single + 20);
    double height = TOP_PX + (double)n * (TITLE_PX + rows_px + AXIS_PX) + (l->nsingle ? singles_axis : 0);
    struct rp_list top = {0}, bottom = {0};
    double y = TOP_PX;
    for (size_t i = 0; i < n; i++) {
        y += TITLE_PX;
        rp_list_num(&top, 1 - y / height);
        y += rows_px;
        rp_list_num(&bottom, 1 - y / height);
        y += AXIS_PX + (i == l->nswept ? singles_axis : 0);
    }
    rp_plot_list(p, "PTOP", &top);
    rp_plot_list(p, "PBOT", &bottom);
    rp_plot_set(p, "HEIGHT", "%.0f", height);
}

int rp_prep_migration(struct report *r, struct plot *p)
{
    struct mig_view v;
    struct layout *l = malloc(sizeof(*l));
    FILE *f = NULL;
    if (!l || make_view(r, &v)) {
        free(l);
        return -1;
    }
    if (!(f = rp_open_out(r, "migration.dat"))) {
        view_free(&v);
        free(l);
        return -1;
    }
    plan(r, l);
    struct panel_cols c;
    struct rp_list cases = {0};
    memset(&c, 0, sizeof(c));
    for (size_t i = 0; i < l->nswept; i++)
        swept_panel(r, f, l->swept[i], &v, &c);
    if (l->nsingle)
        singles_panel(r, f, l, &v, &c, p);
    else
        rp_plot_set(p, "STICS", "()");
    struct rp_list shapes = {0};
    for (unsigned i = 0; i < v.ncases; i++) {
        rp_list_str(&cases, case_title(rep_str(r->d, v.cases[i])));
        rp_list_num(&shapes, v.case_of[v.cases[i]]);
    }
    size_t width;
    row_tics(p, r, &v, &width);
    rp_plot_set(p, "NPANELS", "%zu", l->nswept + (l->nsingle > 0));
    rp_plot_set(p, "SINGLES", "%d", l->nsingle > 0);
    size_t most = 0;
    for (size_t i = 0; i < l->nswept; i++)
        most = l->swept[i]->n > most ? l->swept[i]->n : most;
    rp_plot_set(p, "PS", "%.1f", most > DENSE ? 1.1 : 1.8); /* dense sweeps: points that still part */
    rp_plot_set(p, "NROWS", "%u", v.nrows);
    rp_plot_set(p, "NCASES", "%u", v.ncases);
    rp_plot_list(p, "TITLES", &c.title);
    rp_plot_list(p, "XLABELS", &c.xlabel);
    rp_plot_list(p, "XLO", &c.xlo);
    rp_plot_list(p, "XHI", &c.xhi);
    rp_plot_list(p, "XTIC", &c.xtic);
    rp_plot_list(p, "CASES", &cases);
    rp_plot_list(p, "CASESHAPE", &shapes);
    rp_plot_set(p, "SHOWN", "\"%s\"", l->left_out ? "(first groups only, see the table)" : "");
    /* about 8 px a character of an 11 pt font, as breakdown.gp's labels */
    rp_plot_set(p, "LMARGIN", "%.4f", fmin(0.3, (8.0 * (double)width + 50) / WIDTH_PX));
    rp_plot_set(p, "WIDTH", "%d", WIDTH_PX);
    stack(p, l, v.nrows + v.ncases);
    view_free(&v);
    free(l);
    return rp_close_out(r, f, "migration.dat");
}

/* ---- tables ---- */

/* The x parameter's "key=value" at a point, or its params when x is the
 * sweep point. */
static void swept_value(const struct report *r, const struct rep_mig_scenario *sc, const struct rep_mig_row *m,
                        char *buf, size_t len)
{
    const char *params = rep_str(r->d, m->params);
    char value[256];
    if (*sc->xkey && rep_param_get(params, sc->xkey, value, sizeof(value)) == 0)
        snprintf(buf, len, "%s=%s", sc->xkey, value);
    else
        snprintf(buf, len, "%s", params);
}

/* Downtime in µs with 3 decimals, "" when the migration never paused. */
static void downtime_us(const struct rep_mig_row *m, char *buf, size_t len)
{
    if (m->downtime_ns == REP_MIG_NO_TIME)
        buf[0] = 0;
    else
        snprintf(buf, len, "%.3f", m->downtime_ns / 1000.0);
}

static void write_table_csv(struct report *r)
{
    FILE *f = rp_open_out(r, "migration_table.csv");
    if (!f)
        return;
    fputs("scenario,point,params,x_param,x_unit,x,domain,from,to,outcome,case,iterations,rechecks,pages_lost,"
          "needless_broken,downtime_us\n",
          f);
    for (size_t gi = 0; gi < r->mig.ng; gi++) {
        const struct rep_mig_group *g = &r->mig.g[gi];
        const struct rep_mig_scenario *sc = &r->mig.sc[g->scenario];
        for (size_t i = g->first; i < g->first + g->n; i++) {
            const struct rep_mig_row *m = r->mig.pts[i].row;
            char down[32];
            downtime_us(m, down, sizeof(down));
            rp_csv_field(f, rep_str(r->d, m->scenario));
            fprintf(f, ",%u,", m->point);
            rp_csv_field(f, rep_str(r->d, m->params));
            fputc(',', f);
            rp_csv_field(f, sc->xkey);
            fprintf(f, ",%s,%.9g,%u,%u,%u,%s,", sc->xkind == REP_VALUE_TIME ? "ms" : "", r->mig.pts[i].x,
                    m->domain, m->from, m->to, outcome_name(m->outcome));
            rp_csv_field(f, rep_str(r->d, m->mcase));
            fprintf(f, ",%u,%u,%llu,%llu,%s\n", m->iterations, m->rechecks, (unsigned long long)m->pages_lost,
                    (unsigned long long)m->needless_broken, down);
        }
    }
    rp_close_out(r, f, "migration_table.csv");
}

static void write_outcomes_csv(struct report *r)
{
    FILE *f = rp_open_out(r, "migration_outcomes.csv");
    if (!f)
        return;
    fputs("scenario,migrations", f);
    for (unsigned o = 0; o < SCN_MIGO__COUNT; o++)
        fprintf(f, ",%s", outcome_name(o));
    fputc('\n', f);
    for (size_t s = 0; s < r->mig.nsc; s++) {
        const struct rep_mig_scenario *sc = &r->mig.sc[s];
        rp_csv_field(f, rep_str(r->d, sc->scenario));
        fprintf(f, ",%zu", sc->n);
        for (unsigned o = 0; o < SCN_MIGO__COUNT; o++)
            fprintf(f, ",%zu", sc->count[o]);
        fputc('\n', f);
    }
    rp_close_out(r, f, "migration_outcomes.csv");
}

void rp_write_migration_csv(struct report *r)
{
    write_table_csv(r);
    write_outcomes_csv(r);
}

/* Where in the migration a case is (sim/runtime/mig_case.h), for the page. */
static const char *const case_meaning[][2] = {
    {"live", "from the migrate event through the live iterations, the guest running: the page is sent again "
             "(harmless)"},
    {"before-4", "last iteration, before the types of the page's batch were queried: step 4 sees it broken"},
    {"A", "last iteration, the page in no batch (not dirty): the target holds a good copy"},
    {"B.I", "in a batch, after step 4, before its data went out: no good copy at either end"},
    {"B.II", "after the page's data went out: the target holds a good copy"},
    {"after", "the migration was over"},
};

static void html_outcome_table(FILE *f, const struct report *r)
{
    unsigned seen = 0;
    for (size_t i = 0; i < r->mig.npts; i++)
        seen |= 1u << r->mig.pts[i].row->outcome;
    fputs("<p>Outcomes per scenario (all outcomes in <a href=\"migration_outcomes.csv\">migration_outcomes.csv"
          "</a>):</p>\n<table>\n<tr><th class=\"k\">scenario</th><th>migrations</th>",
          f);
    for (unsigned o = 0; o < SCN_MIGO__COUNT; o++)
        if (seen & (1u << o))
            fprintf(f, "<th>%s</th>", outcome_name(o));
    fputs("</tr>\n", f);
    for (size_t s = 0; s < r->mig.nsc; s++) {
        const struct rep_mig_scenario *sc = &r->mig.sc[s];
        fputs("<tr><td class=\"k\">", f);
        markup_escape(f, rep_str(r->d, sc->scenario));
        fprintf(f, "</td><td>%zu</td>", sc->n);
        for (unsigned o = 0; o < SCN_MIGO__COUNT; o++)
            if (seen & (1u << o))
                fprintf(f, "<td>%zu</td>", sc->count[o]);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* A case in a table cell: "-" when none was classified. */
static void case_cell(FILE *f, const struct report *r, uint32_t mcase)
{
    const char *c = rep_str(r->d, mcase);
    markup_escape(f, *c ? c : "-");
}

static void html_point_row(FILE *f, const struct report *r, const struct rep_mig_group *g, size_t i)
{
    const struct rep_mig_scenario *sc = &r->mig.sc[g->scenario];
    const struct rep_mig_row *m = r->mig.pts[i].row;
    char value[600], down[32];
    swept_value(r, sc, m, value, sizeof(value));
    downtime_us(m, down, sizeof(down));
    int first = i == g->first;
    fputs(first ? "<tr class=\"first\"><td class=\"k\">" : "<tr><td class=\"k\">", f);
    if (first) {
        markup_escape(f, rep_str(r->d, sc->scenario));
        fputs("</td><td class=\"k\">", f);
        markup_escape(f, g->rest);
    } else {
        fputs("</td><td class=\"k\">", f);
    }
    fprintf(f, "</td><td>%u</td><td class=\"k\">", m->point);
    markup_escape(f, *value ? value : "-");
    fprintf(f, "</td><td>%u</td><td>%u &rarr; %u</td><td class=\"k\">%s</td><td class=\"k\">", m->domain, m->from,
            m->to, outcome_name(m->outcome));
    case_cell(f, r, m->mcase);
    fprintf(f, "</td><td>%u</td><td>%llu</td><td>%llu</td><td>%s</td></tr>\n", m->iterations,
            (unsigned long long)m->pages_lost, (unsigned long long)m->needless_broken, *down ? down : "-");
}

/* A swept value with its unit, for the spans table. */
static void x_text(const struct rep_mig_scenario *sc, double x, char *buf, size_t len)
{
    snprintf(buf, len, "%.9g%s", x, sc->xkind == REP_VALUE_TIME ? " ms" : "");
}

/* One span: the scenario and group on its group's first line only. */
static void html_span_row(FILE *f, const struct report *r, const struct rep_mig_group *g, const struct rep_mig_span *s,
                          int first)
{
    const struct rep_mig_scenario *sc = &r->mig.sc[g->scenario];
    char from[48], to[48];
    x_text(sc, s->x_from, from, sizeof(from));
    x_text(sc, s->x_to, to, sizeof(to));
    fputs(first ? "<tr class=\"first\"><td class=\"k\">" : "<tr><td class=\"k\">", f);
    if (first) {
        markup_escape(f, rep_str(r->d, sc->scenario));
        fputs("</td><td class=\"k\">", f);
        markup_escape(f, g->rest);
        fputs("</td><td class=\"k\">", f);
        markup_escape(f, *sc->xkey ? sc->xkey : "sweep point");
    } else {
        fputs("</td><td class=\"k\"></td><td class=\"k\">", f);
    }
    fputs("</td><td>", f);
    markup_escape(f, from);
    fputs("</td><td>", f);
    markup_escape(f, to);
    fprintf(f, "</td><td>%zu</td><td>%u</td><td class=\"k\">%s</td><td class=\"k\">", s->n, s->domain,
            outcome_name(s->outcome));
    case_cell(f, r, s->mcase);
    fprintf(f, "</td><td>%llu</td><td>%llu</td></tr>\n", (unsigned long long)s->pages_lost,
            (unsigned long long)s->needless_broken);
}

/* Each swept group (two points or more) as spans of equal outcome and
 * case along its x: a sweep of hundreds of points in a few lines. */
static void html_span_table(FILE *f, const struct report *r)
{
    size_t most = 0; /* points of the largest swept group, 0 when none is */
    for (size_t gi = 0; gi < r->mig.ng; gi++)
        if (r->mig.g[gi].n > 1 && r->mig.g[gi].n > most)
            most = r->mig.g[gi].n;
    struct rep_mig_span *spans = most ? malloc(most * sizeof(*spans)) : NULL;
    if (!spans)
        return;
    fputs("<p>Along the sweep: the migrations of each scenario and set of its other parameters in order of the "
          "swept value, consecutive ones with the same outcome, case, pages lost and pages needlessly broken "
          "merged into one line (from, to: the first and last swept value of the line; points: how many "
          "migrations it holds).</p>\n<table>\n<tr><th class=\"k\">scenario</th><th class=\"k\">other "
          "params</th><th class=\"k\">swept</th><th>from</th><th>to</th><th>points</th><th>domain</th>"
          "<th class=\"k\">outcome</th><th class=\"k\">case</th><th>pages lost</th><th>needless broken</th>"
          "</tr>\n",
          f);
    for (size_t gi = 0; gi < r->mig.ng; gi++) {
        const struct rep_mig_group *g = &r->mig.g[gi];
        size_t n;
        if (g->n < 2 || rep_mig_spans(&r->mig, g, spans, &n) != 0)
            continue;
        for (size_t i = 0; i < n; i++)
            html_span_row(f, r, g, &spans[i], i == 0);
    }
    fputs("</table>\n", f);
    free(spans);
}

void rp_html_migration_tables(FILE *f, const struct report *r)
{
    html_outcome_table(f, r);
    html_span_table(f, r);
    fputs("<h2 id=\"migration-table\">Migrations per sweep point</h2>\n<p>One block per scenario and set of its "
          "other parameters; in each, a row per migration: the swept parameter's value at that point, the "
          "outcome and the case. <i>iterations</i>: of the toolstack, the last one (guest paused) and any "
          "step-8 repeat included; <i>pages lost</i>: pages whose copy on the target differs from the source's "
          "at the pause; <i>needless broken</i>: pages marked broken on the target although the source's page "
          "held no poison or its good copy had arrived (the V4 broken-page migration patch, xen-devel 2012: \"needlessly throw away a good page\"); both "
          "are checked only when END reached a target ready to start the guest. <i>downtime</i>: from the "
          "pause before the last iteration to the end of the migration (for one that failed, until the guest "
          "runs again on the source), <code>-</code> when it never paused. The same rows are in "
          "<a href=\"migration_table.csv\">migration_table.csv</a>.</p>\n<table>\n<tr><th class=\"k\">scenario"
          "</th><th class=\"k\">other params</th><th>point</th><th class=\"k\">swept value</th><th>domain</th>"
          "<th>hosts</th><th class=\"k\">outcome</th><th class=\"k\">case</th><th>iterations</th>"
          "<th>pages lost</th><th>needless broken</th><th>downtime &micro;s</th></tr>\n",
          f);
    for (size_t gi = 0; gi < r->mig.ng; gi++) {
        const struct rep_mig_group *g = &r->mig.g[gi];
        for (size_t i = g->first; i < g->first + g->n; i++)
            html_point_row(f, r, g, i);
    }
    fputs("</table>\n<p>The case says where in the migration (the sequence of the V4 broken-page migration patch, xen-devel 2012) the first machine check on "
          "the guest's pages hit:</p>\n<table>\n",
          f);
    for (size_t i = 0; i < sizeof(case_meaning) / sizeof(case_meaning[0]); i++)
        fprintf(f, "<tr><td class=\"k\">%s</td><td class=\"k\">%s</td></tr>\n", case_meaning[i][0],
                case_meaning[i][1]);
    fputs("</table>\n<p>Defined in <code>sim/runtime/mig_case.h</code>. <code>-</code> (<i>none</i> in the plot): no "
          "machine check on the guest's pages was classified: none hit them once the migration had started "
          "(its migrate event). One that hit them before is not counted, though the migration may still meet "
          "what it left (a broken page, a pending vMCE).</p>\n",
          f);
}
