/*
 * report_plot.c - write a report folder from grouped latency rows (and,
 * through report_migration_plot.c, migration rows).
 *
 * Each plot kind (the `kinds` table at the end) has a prepare function
 * that writes its data file NAME.dat into the output folder, in
 * microseconds, and sets the values of its template's placeholders. The
 * script NAME.gp is reports/common.gp (terminals, colours) followed by
 * reports/NAME.gp, both filled; it renders NAME.png and NAME.svg in one
 * gnuplot run, started with fork + execv in the output folder, so no path
 * ever passes through a shell or into a script and a user can re-run it
 * there with `gnuplot NAME.gp`. Strings reach scripts only as quoted
 * gnuplot literals (rep_gp_quote), never inside data files.
 *
 * What C decides and templates do not: binning, which axes are
 * logarithmic (a range of two decades or more), the order of series and
 * bars, and the sizes of images with a variable number of rows. Tables
 * (summary.csv, index.html) are formatted from the data alone, so they are
 * byte-identical between runs; index.html embeds the PNG images so it can
 * be mailed or archived alone.
 */
#include "sim/report_plot_int.h"
#include "sim/markup_escape.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define LOG_RATIO 100.0    /* max / min positive >= this: log axis */
#define CDF_POINTS 1000    /* at most this many points per CDF series */
#define BINS_PER_DECADE 10 /* log histogram bins */
#define MAX_BARS 60        /* breakdown bars; the rest are counted in the title */
#define MAX_POLICY_ROWS 80 /* policy rows, likewise */
#define MAX_XTICS 24       /* explicit CPU-count tics; more and gnuplot picks */
#define NKINDS RP_NKINDS

/* What a stage measures (sim/latency.h), for the index page. */
static const char *const stage_meaning[LS__COUNT] = {
    [LS_SIGNAL] = "error latched in its bank &rarr; #MC handler, CMCI handler or poller entered",
    [LS_RENDEZVOUS] = "waiting in the entry rendezvous for the other CPUs (broadcast #MC only)",
    [LS_LOGOUT] = "rendezvous left (or handler entered) &rarr; the error's bank read out",
    [LS_GRADE] = "bank read &rarr; severity decided",
    [LS_VERDICT] = "severity decided &rarr; MCIP cleared after the monarch's verdict",
    [LS_DEFERRED] = "MCIP cleared &rarr; record committed by the softirq",
    [LS_NOTIFY] = "record committed &rarr; VIRQ_MCA sent to dom0",
    [LS_DOM0] = "VIRQ_MCA &rarr; dom0 acked the record",
    [LS_END_TO_END] = "error latched &rarr; dom0 acked its record (or the last stage it reached)",
};

/* ---- gnuplot literals ---- */

void rp_gp_quote_into(struct text_buf *b, const char *text)
{
    tb_put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\')
            tb_printf(b, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            tb_put(b, " ", 1);
        else
            tb_put(b, (const char *)p, 1);
    }
    tb_put(b, "\"", 1);
}

void rep_gp_quote(char *buf, size_t len, const char *text)
{
    struct text_buf b = {0};
    rp_gp_quote_into(&b, text);
    snprintf(buf, len, "%s", tb_text(&b));
    tb_free(&b);
}

static void list_sep(struct rp_list *l)
{
    if (l->n++)
        tb_put(&l->b, ", ", 2);
    else
        tb_put(&l->b, "[", 1);
}

void rp_list_str(struct rp_list *l, const char *s)
{
    list_sep(l);
    rp_gp_quote_into(&l->b, s);
}

void rp_list_num(struct rp_list *l, double v)
{
    list_sep(l);
    tb_printf(&l->b, "%.9g", v);
}

static void list_end(struct rp_list *l)
{
    if (!l->n)
        tb_put(&l->b, "[", 1);
    tb_put(&l->b, "]", 1);
}

/* ---- templates ---- */

/* Length of NAME when p is "@NAME@...", else 0. */
static size_t placeholder_len(const char *p)
{
    size_t k = strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
    return k && p[1 + k] == '@' ? k : 0;
}

static const struct rep_subst *find_subst(const struct rep_subst *s, unsigned n, const char *key, size_t k)
{
    for (unsigned i = 0; i < n; i++)
        if (strlen(s[i].key) == k && !strncmp(s[i].key, key, k))
            return &s[i];
    return NULL;
}

char *rep_fill_template(const char *text, const char *name, const struct rep_subst *s, unsigned n,
                        struct rep_error *err)
{
    struct text_buf b = {0};
    unsigned line = 1;
    for (const char *p = text; *p;) {
        size_t run = strcspn(p, "@\n");
        tb_put(&b, p, run);
        p += run;
        if (*p == '\n') {
            tb_put(&b, p++, 1);
            line++;
            continue;
        }
        if (!*p)
            break;
        size_t k = placeholder_len(p);
        const struct rep_subst *hit = k ? find_subst(s, n, p + 1, k) : NULL;
        if (k && !hit) {
            snprintf(err->file, sizeof(err->file), "%s", name);
            err->line = line;
            snprintf(err->msg, sizeof(err->msg), "unknown placeholder @%.*s@", (int)k, p + 1);
            tb_free(&b);
            return NULL;
        }
        if (hit)
            tb_put(&b, hit->val, strlen(hit->val));
        else
            tb_put(&b, p, 1); /* a lone @ is gnuplot's, not ours */
        p += hit ? k + 2 : 1;
    }
    if (b.oom || !b.s) {
        int oom = b.oom;
        tb_free(&b);
        if (oom) {
            snprintf(err->file, sizeof(err->file), "%s", name);
            err->line = 0;
            snprintf(err->msg, sizeof(err->msg), "out of memory");
            return NULL;
        }
        return strdup("");
    }
    return b.s;
}

/* ---- the report ---- */

struct text_buf *rp_plot_val(struct plot *p, const char *key)
{
    if (p->nsub == RP_MAX_SUBST)
        abort(); /* a prepare function sets a fixed, small number of keys */
    p->sub[p->nsub].key = key;
    return &p->val[p->nsub++];
}

void rp_plot_set(struct plot *p, const char *key, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    tb_put(rp_plot_val(p, key), text, strlen(text));
}

/* Hand a finished list over as the value of key. */
void rp_plot_list(struct plot *p, const char *key, struct rp_list *l)
{
    list_end(l);
    *rp_plot_val(p, key) = l->b;
    memset(l, 0, sizeof(*l));
}

static void plot_free(struct plot *p)
{
    for (unsigned i = 0; i < p->nsub; i++)
        tb_free(&p->val[i]);
    p->nsub = 0;
}

int rp_skip(struct plot *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->note, sizeof(p->note), fmt, ap);
    va_end(ap);
    return 1;
}

static void out_path(const struct report *r, const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", r->o->out, name);
}

FILE *rp_open_out(struct report *r, const char *name)
{
    char path[4096];
    out_path(r, name, path, sizeof(path));
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "mcasim report: cannot write %s: %s\n", path, strerror(errno));
        r->failed = 1;
    }
    return f;
}

int rp_close_out(struct report *r, FILE *f, const char *name)
{
    if (ferror(f) | fclose(f)) {
        fprintf(stderr, "mcasim report: error writing %s/%s\n", r->o->out, name);
        r->failed = 1;
        return -1;
    }
    return 0;
}

/* ---- numbers and axes ---- */

static double us(double ns)
{
    return ns / 1000.0;
}

/* Smallest value > 0 of ascending values, 0 when none. */
static double min_positive(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] > 0)
            return v[i];
    return 0;
}

static int wants_log(double min_pos, double max)
{
    return min_pos > 0 && max / min_pos >= LOG_RATIO;
}

static double decade_below(double v)
{
    return pow(10.0, floor(log10(v)));
}

/* 1, 2, 2.5 or 5 times a power of ten, at least raw. */
double rp_nice_step(double raw)
{
    static const double steps[] = {1, 2, 2.5, 5, 10};
    double e = decade_below(raw);
    for (unsigned i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (raw <= steps[i] * e * (1 + 1e-9))
            return steps[i] * e;
    return 10 * e;
}

/* Whether params already say cpus=N, as a sweep over cpus does. */
static int params_say_cpus(const char *params, uint32_t cpus)
{
    char want[24];
    size_t k = (size_t)snprintf(want, sizeof(want), "cpus=%u", cpus);
    for (const char *p = params; *p;) {
        size_t len = strcspn(p, ";");
        if (len == k && !strncmp(p, want, k))
            return 1;
        p += len + (p[len] == ';');
    }
    return 0;
}

/* "scenario [params] (N cpus)": one run of the results. */
static void run_label(const struct report *r, uint32_t scenario, uint32_t params, uint32_t cpus, char *buf,
                      size_t len)
{
    const char *pr = rep_str(r->d, params);
    char host[32] = "";
    if (!params_say_cpus(pr, cpus))
        snprintf(host, sizeof(host), " (%u cpu%s)", cpus, cpus == 1 ? "" : "s");
    snprintf(buf, len, "%s%s%s%s%s", rep_str(r->d, scenario), *pr ? " [" : "", pr, *pr ? "]" : "", host);
}

/* ---- cdf: one cumulative distribution per stage ---- */

static void cdf_block(FILE *f, const struct rep_group *g, int logx, double xmin)
{
    size_t n = g->st.count, npts = n < CDF_POINTS ? n : CDF_POINTS;
    fprintf(f, "# %s: %zu errors; latency (us), fraction of errors at or below it\n", lat_stage_name(g->stage), n);
    double x0 = us(g->ns[0]);
    fprintf(f, "%.9g 0\n", logx && x0 < xmin ? xmin : x0);
    for (size_t k = 1; k <= npts; k++) {
        size_t i = (k * n + npts - 1) / npts - 1; /* evenly spaced ranks, the last one included */
        double x = us(g->ns[i]);
        fprintf(f, "%.9g %.9g\n", logx && x < xmin ? xmin : x, (double)(i + 1) / (double)n);
    }
    fputs("\n\n", f);
}

static int prep_cdf(struct report *r, struct plot *p)
{
    const struct rep_groups *gs = &r->stages;
    double min_pos = 0, max = 0;
    for (size_t i = 0; i < gs->n; i++) {
        double m = min_positive(gs->g[i].ns, gs->g[i].st.count);
        if (m > 0 && (min_pos == 0 || m < min_pos))
            min_pos = m;
        max = fmax(max, gs->g[i].st.max);
    }
    int logx = wants_log(min_pos, max);
    double xmin = logx ? decade_below(us(min_pos)) : 0;
    FILE *f = rp_open_out(r, "cdf.dat");
    if (!f)
        return -1;
    struct rp_list stage = {0}, title = {0};
    for (size_t i = 0; i < gs->n; i++) {
        const struct rep_group *g = &gs->g[i];
        char t[96];
        size_t zeros = 0;
        while (logx && zeros < g->st.count && g->ns[zeros] <= 0)
            zeros++;
        if (zeros) /* drawn at the left edge of the log axis */
            snprintf(t, sizeof(t), "%s (n=%zu, %zu at 0)", lat_stage_name(g->stage), g->st.count, zeros);
        else
            snprintf(t, sizeof(t), "%s (n=%zu)", lat_stage_name(g->stage), g->st.count);
        cdf_block(f, g, logx, xmin);
        rp_list_num(&stage, g->stage + 1);
        rp_list_str(&title, t);
    }
    rp_plot_set(p, "NSERIES", "%zu", gs->n);
    rp_plot_list(p, "STAGE", &stage);
    rp_plot_list(p, "TITLES", &title);
    rp_plot_set(p, "LOGX", "%d", logx);
    if (logx)
        rp_plot_set(p, "XRANGE", "[%.9g:*]", xmin);
    else if (max > 0)
        rp_plot_set(p, "XRANGE", "[0:*]");
    else
        rp_plot_set(p, "XRANGE", "[0:0.001]"); /* all 0: a range gnuplot accepts */
    rp_plot_set(p, "WIDTH", "1100");
    rp_plot_set(p, "HEIGHT", "650");
    return rp_close_out(r, f, "cdf.dat");
}

/* ---- hist: one histogram panel per stage ---- */

struct bins {
    int logx;
    double lo, step;   /* linear: first edge and width; log: first edge */
    size_t nb;
    size_t *count;
    size_t zeros;      /* values at 0 counted in the first log bin */
};

static double bin_edge(const struct bins *b, size_t j)
{
    return b->logx ? b->lo * pow(10.0, (double)j / BINS_PER_DECADE) : b->lo + (double)j * b->step;
}

static size_t bin_of(const struct bins *b, double v)
{
    double k = b->logx ? (v > 0 ? floor(log10(v / b->lo) * BINS_PER_DECADE) : 0) : floor((v - b->lo) / b->step);
    if (k < 0)
        return 0;
    return k >= (double)b->nb ? b->nb - 1 : (size_t)k;
}

/* Log bins, 10 a decade, when the values span two decades; else about
 * sqrt(n) (5 to 40) linear bins of a round width. v ascending, in µs. */
static int make_bins(const double *v, size_t n, struct bins *b)
{
    memset(b, 0, sizeof(*b));
    double min_pos = min_positive(v, n), lo = v[0], hi = v[n - 1];
    b->logx = wants_log(min_pos, hi);
    if (b->logx) {
        double k0 = floor(log10(min_pos) * BINS_PER_DECADE), k1 = ceil(log10(hi) * BINS_PER_DECADE);
        b->lo = pow(10.0, k0 / BINS_PER_DECADE);
        b->nb = k1 > k0 ? (size_t)(k1 - k0) : 1;
    } else if (hi > lo) {
        double target = fmin(40, fmax(5, ceil(sqrt((double)n))));
        b->step = rp_nice_step((hi - lo) / target);
        b->lo = floor(lo / b->step) * b->step;
        b->nb = (size_t)ceil((hi - b->lo) / b->step);
        b->nb += b->nb == 0;
    } else {
        b->step = rp_nice_step(fmax(fabs(lo) * 0.1, 0.001)); /* all equal: one bin around the value */
        b->lo = fmax(0, lo - b->step / 2);
        b->nb = 1;
    }
    if (!(b->count = calloc(b->nb, sizeof(*b->count))))
        return -1;
    for (size_t i = 0; i < n; i++) {
        b->count[bin_of(b, v[i])]++;
        b->zeros += b->logx && v[i] <= 0;
    }
    return 0;
}

static int hist_panel(FILE *f, const struct rep_group *g, struct rp_list *cols[7])
{
    size_t n = g->st.count;
    double *v = malloc(n * sizeof(*v));
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++)
        v[i] = us(g->ns[i]);
    struct bins b;
    int rc = make_bins(v, n, &b);
    free(v);
    if (rc)
        return -1;
    fprintf(f, "# %s: %zu errors; bin from (us), bin to (us), errors in the bin\n", lat_stage_name(g->stage), n);
    for (size_t j = 0; j < b.nb; j++)
        if (b.count[j])
            fprintf(f, "%.9g %.9g %zu\n", bin_edge(&b, j), bin_edge(&b, j + 1), b.count[j]);
    fputs("\n\n", f);
    char t[128];
    if (b.zeros)
        snprintf(t, sizeof(t), "%s (n=%zu, %zu at 0 in the first bin)", lat_stage_name(g->stage), n, b.zeros);
    else
        snprintf(t, sizeof(t), "%s (n=%zu)", lat_stage_name(g->stage), n);
    rp_list_str(cols[0], t);
    rp_list_num(cols[1], g->stage + 1);
    rp_list_num(cols[2], b.logx);
    rp_list_num(cols[3], bin_edge(&b, 0));
    rp_list_num(cols[4], bin_edge(&b, b.nb));
    size_t most = 0;
    for (size_t j = 0; j < b.nb; j++)
        most = b.count[j] > most ? b.count[j] : most;
    rp_list_num(cols[5], fmax(1, round(rp_nice_step((double)most / 5)))); /* whole errors only */
    /* linear panels: about 5 tics, or long labels like 0.0105 collide */
    rp_list_num(cols[6], b.logx ? 0 : rp_nice_step((bin_edge(&b, b.nb) - bin_edge(&b, 0)) / 5));
    free(b.count);
    return 0;
}

static int prep_hist(struct report *r, struct plot *p)
{
    const struct rep_groups *gs = &r->stages;
    FILE *f = rp_open_out(r, "hist.dat");
    if (!f)
        return -1;
    struct rp_list title = {0}, stage = {0}, logx = {0}, xlo = {0}, xhi = {0}, ytic = {0}, xtic = {0};
    struct rp_list *cols[7] = {&title, &stage, &logx, &xlo, &xhi, &ytic, &xtic};
    int rc = 0;
    for (size_t i = 0; i < gs->n && rc == 0; i++)
        rc = hist_panel(f, &gs->g[i], cols);
    size_t ncols = gs->n <= 1 ? 1 : gs->n <= 4 ? 2 : 3, nrows = (gs->n + ncols - 1) / ncols;
    rp_plot_set(p, "NPANELS", "%zu", gs->n);
    rp_plot_set(p, "COLS", "%zu", ncols);
    rp_plot_set(p, "ROWS", "%zu", nrows);
    rp_plot_list(p, "TITLES", &title);
    rp_plot_list(p, "STAGE", &stage);
    rp_plot_list(p, "LOGX", &logx);
    rp_plot_list(p, "XLO", &xlo);
    rp_plot_list(p, "XHI", &xhi);
    rp_plot_list(p, "YTIC", &ytic);
    rp_plot_list(p, "XTIC", &xtic);
    rp_plot_set(p, "WIDTH", "%zu", ncols * 460 + 20);
    rp_plot_set(p, "HEIGHT", "%zu", nrows * 320 + 60);
    if (rc) {
        fclose(f);
        rp_skip(p, "Not drawn: out of memory while binning.");
        return -1;
    }
    return rp_close_out(r, f, "hist.dat");
}

/* ---- breakdown: stacked mean stage latency, one bar per run ---- */

/* Group i starts a run (scenario, cpus, params) of groups sorted by run. */
static int new_run(const struct rep_groups *gs, size_t i)
{
    return i == 0 || gs->g[i - 1].order != gs->g[i].order || gs->g[i - 1].cpus != gs->g[i].cpus;
}

struct bar {
    uint32_t scenario, params, cpus;
    double mean[LS__COUNT];
};

/* Bars from the runs' groups (ascending run order); *stages gets the
 * stages that occur. At most max bars; returns how many runs there are. */
static size_t collect_bars(const struct rep_groups *gs, struct bar *bars, size_t max, size_t *nbars,
                           unsigned *stages)
{
    size_t nruns = 0;
    *nbars = 0;
    *stages = 0;
    for (size_t i = 0; i < gs->n; i++) {
        const struct rep_group *g = &gs->g[i];
        if (new_run(gs, i) && ++nruns <= max)
            bars[(*nbars)++] = (struct bar){g->scenario, g->params, g->cpus, {0}};
        if (nruns > max)
            continue;
        bars[*nbars - 1].mean[g->stage] = us(g->st.mean);
        *stages |= REP_STAGE_BIT(g->stage);
    }
    return nruns;
}

/* The header line of breakdown.dat and the stages' linetypes and names. */
static void breakdown_columns(FILE *f, unsigned stages, struct rp_list *stage, struct rp_list *title)
{
    fputs("# bar (0 = top), then the running sum of the mean stage latencies (us) in stage order:\n# 0", f);
    for (unsigned s = 0; s < LS_END_TO_END; s++)
        if (stages & REP_STAGE_BIT(s)) {
            fprintf(f, " +%s", lat_stage_name((enum lat_stage)s));
            rp_list_num(stage, s + 1);
            rp_list_str(title, lat_stage_name((enum lat_stage)s));
        }
    fputc('\n', f);
}

struct bar_extent {
    size_t longest_label;
    double widest;        /* µs */
};

/* One line of breakdown.dat and one tic label per bar. */
static void breakdown_rows(const struct report *r, FILE *f, const struct bar *bars, size_t nbars, unsigned stages,
                           struct text_buf *ytics, struct bar_extent *ext)
{
    memset(ext, 0, sizeof(*ext));
    tb_put(ytics, "(", 1);
    for (size_t i = 0; i < nbars; i++) {
        double sum = 0;
        fprintf(f, "%zu 0", i);
        for (unsigned s = 0; s < LS_END_TO_END; s++)
            if (stages & REP_STAGE_BIT(s))
                fprintf(f, " %.9g", sum += bars[i].mean[s]);
        fputc('\n', f);
        ext->widest = fmax(ext->widest, sum);
        char label[512];
        run_label(r, bars[i].scenario, bars[i].params, bars[i].cpus, label, sizeof(label));
        ext->longest_label = strlen(label) > ext->longest_label ? strlen(label) : ext->longest_label;
        if (i)
            tb_put(ytics, ", ", 2);
        rp_gp_quote_into(ytics, label);
        tb_printf(ytics, " %zu", i);
    }
    tb_put(ytics, ")", 1);
}

/* Image geometry: a row per bar, a left margin that fits the labels. */
static void breakdown_layout(struct plot *p, size_t nbars, const struct bar_extent *ext)
{
    int height = 170 + 26 * (int)nbars;
    height = height < 420 ? 420 : height;
    /* about 8 px a character of an 11 pt font */
    double lmargin = fmin(0.45, fmax(0.08, (8.0 * (double)ext->longest_label + 40) / 1400.0));
    rp_plot_set(p, "LMARGIN", "%.4f", lmargin);
    rp_plot_set(p, "XMAX", "%.9g", ext->widest > 0 ? ext->widest * 1.22 : 1); /* room for the sums */
    rp_plot_set(p, "TMARGIN", "%.4f", 1.0 - 50.0 / height);
    rp_plot_set(p, "BMARGIN", "%.4f", 60.0 / height);
    rp_plot_set(p, "WIDTH", "1400");
    rp_plot_set(p, "HEIGHT", "%d", height);
}

static int prep_breakdown(struct report *r, struct plot *p)
{
    struct rep_groups gs;
    struct rep_filter flt = {REP_ALL_STAGES & ~REP_STAGE_BIT(LS_END_TO_END), REP_ALL_CLASSES};
    struct bar *bars = calloc(MAX_BARS, sizeof(*bars));
    if (!bars || rep_group(r->d, RK_CONFIG | RK_STAGE, &flt, &gs)) {
        free(bars);
        return -1;
    }
    size_t nbars;
    unsigned stages;
    size_t nruns = collect_bars(&gs, bars, MAX_BARS, &nbars, &stages);
    rep_groups_free(&gs);
    FILE *f = nruns ? rp_open_out(r, "breakdown.dat") : NULL;
    if (!f) {
        free(bars);
        return nruns ? -1 : rp_skip(p, "Not drawn: the results hold no stage other than end_to_end.");
    }
    struct rp_list stage = {0}, title = {0};
    struct text_buf ytics = {0};
    struct bar_extent ext;
    breakdown_columns(f, stages, &stage, &title);
    breakdown_rows(r, f, bars, nbars, stages, &ytics, &ext);
    free(bars);
    rp_plot_set(p, "NBARS", "%zu", nbars);
    rp_plot_set(p, "NSTAGES", "%zu", stage.n);
    /* the shares panel leaves the signal out: a polled error's wait for
     * the poller would hide the handler's own stages */
    rp_plot_set(p, "HSTART", "%d", (stages & REP_STAGE_BIT(LS_SIGNAL)) && stage.n > 1 ? 2 : 1);
    rp_plot_list(p, "STAGE", &stage);
    rp_plot_list(p, "TITLES", &title);
    *rp_plot_val(p, "YTICS") = ytics;
    rp_plot_set(p, "SHOWN", "\"%s\"", nbars < nruns ? "(first runs only, see the table)" : "");
    breakdown_layout(p, nbars, &ext);
    return rp_close_out(r, f, "breakdown.dat");
}

/* ---- cpus: broadcast #MC latency against the host's CPU count ---- */

static const enum lat_stage cpu_panel_stage[] = {LS_END_TO_END, LS_RENDEZVOUS};
#define NCPU_PANELS (sizeof(cpu_panel_stage) / sizeof(cpu_panel_stage[0]))

/* Distinct cpus values of the groups, ascending (groups sort by cpus). */
static size_t distinct_cpus(const struct rep_groups *gs, uint32_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < gs->n; i++)
        if (!n || out[n - 1] != gs->g[i].cpus)
            out[n++] = gs->g[i].cpus;
    return n;
}

/* One panel's block in cpus.dat, its title and y axis start; 0 when the
 * panel has no rows. */
static size_t cpu_block(FILE *f, const struct rep_groups *gs, enum lat_stage s, struct rp_list *title,
                        struct rp_list *ylo)
{
    double min_pos = 0, max = 0;
    size_t rows = 0;
    for (size_t i = 0; i < gs->n; i++) {
        const struct rep_group *g = &gs->g[i];
        if (g->stage != s)
            continue;
        double m = g->st.p50; /* the smallest value drawn */
        min_pos = m > 0 && (min_pos == 0 || m < min_pos) ? m : min_pos;
        max = fmax(max, g->st.max);
        rows++;
    }
    if (!rows)
        return 0;
    int logy = wants_log(min_pos, max);
    double floor_us = logy ? decade_below(us(min_pos)) : 0;
    fprintf(f, "# %s of srao/srar/fatal errors: cpus, errors, p50, p90, p99, max (us)\n", lat_stage_name(s));
    int raised = 0;
    for (size_t i = 0; i < gs->n; i++) {
        const struct rep_group *g = &gs->g[i];
        if (g->stage != s)
            continue;
        const double q[4] = {g->st.p50, g->st.p90, g->st.p99, g->st.max};
        fprintf(f, "%u %zu", g->cpus, g->st.count);
        for (unsigned k = 0; k < 4; k++) {
            raised |= us(q[k]) < floor_us;
            fprintf(f, " %.9g", fmax(us(q[k]), floor_us)); /* a log axis cannot show 0 */
        }
        fputc('\n', f);
    }
    fputs("\n\n", f);
    char t[128];
    snprintf(t, sizeof(t), "%s latency%s", lat_stage_name(s), raised ? " (0 drawn at the bottom)" : "");
    rp_list_str(title, t);
    rp_list_num(ylo, floor_us);
    return rows;
}

static void cpu_axis(struct plot *p, const uint32_t *cpus, size_t n)
{
    int logx = cpus[0] >= 1 && cpus[n - 1] >= 8 * cpus[0];
    rp_plot_set(p, "LOGX", "%d", logx);
    if (logx)
        rp_plot_set(p, "XRANGE", "[%.9g:%.9g]", cpus[0] / 1.4, cpus[n - 1] * 1.4);
    else {
        double pad = 0.06 * (cpus[n - 1] - cpus[0]);
        rp_plot_set(p, "XRANGE", "[%.9g:%.9g]", cpus[0] - pad, cpus[n - 1] + pad);
    }
    struct text_buf *t = rp_plot_val(p, "XTICS");
    if (n > MAX_XTICS) {
        tb_printf(t, "autofreq");
        return;
    }
    tb_put(t, "(", 1);
    for (size_t i = 0; i < n; i++)
        tb_printf(t, "%s%u", i ? ", " : "", cpus[i]);
    tb_put(t, ")", 1);
}

static int prep_cpus(struct report *r, struct plot *p)
{
    const struct rep_groups *gs = &r->bycpus;
    uint32_t *cpus = malloc((gs->n + 1) * sizeof(*cpus));
    if (!cpus)
        return -1;
    size_t ncpus = distinct_cpus(gs, cpus);
    if (ncpus < 2) {
        free(cpus);
        return rp_skip(p, "Not drawn: the srao, srar and fatal errors of the results ran at %s CPU count%s; "
                       "give a scenario a sweep over cpus to see how the handler scales.",
                    ncpus ? "a single" : "no", ncpus ? "" : "s");
    }
    FILE *f = rp_open_out(r, "cpus.dat");
    if (!f) {
        free(cpus);
        return -1;
    }
    struct rp_list title = {0}, ylo = {0};
    size_t panels = 0;
    for (unsigned k = 0; k < NCPU_PANELS; k++)
        panels += cpu_block(f, gs, cpu_panel_stage[k], &title, &ylo) > 0;
    rp_plot_set(p, "NPANELS", "%zu", panels);
    rp_plot_list(p, "TITLES", &title);
    rp_plot_list(p, "YLO", &ylo);
    cpu_axis(p, cpus, ncpus);
    free(cpus);
    rp_plot_set(p, "WIDTH", "%zu", panels * 620 + 40);
    rp_plot_set(p, "HEIGHT", "560");
    return rp_close_out(r, f, "cpus.dat");
}

/* ---- policy: end-to-end latency per parameter set ---- */

/* Groups [i, end) share scenario and cpus; returns end. */
static size_t same_host_run(const struct rep_groups *gs, size_t i)
{
    size_t j = i + 1;
    while (j < gs->n && gs->g[j].scenario == gs->g[i].scenario && gs->g[j].cpus == gs->g[i].cpus)
        j++;
    return j;
}

struct policy_axis {
    double min_pos, max;
    size_t rows, panels, skipped;
};

/* Which rows are drawn and the x range they need. */
static void policy_scan(const struct rep_groups *gs, struct policy_axis *a)
{
    memset(a, 0, sizeof(*a));
    for (size_t i = 0, end; i < gs->n; i = end) {
        end = same_host_run(gs, i);
        if (end - i < 2)
            continue;
        if (a->rows + (end - i) > MAX_POLICY_ROWS) {
            a->skipped += end - i;
            continue;
        }
        for (size_t j = i; j < end; j++) {
            double m = min_positive(gs->g[j].ns, gs->g[j].st.count);
            a->min_pos = m > 0 && (a->min_pos == 0 || m < a->min_pos) ? m : a->min_pos;
            a->max = fmax(a->max, gs->g[j].st.max);
        }
        a->rows += end - i;
        a->panels++;
    }
}

static void policy_row(const struct report *r, FILE *f, const struct rep_group *g, double y, double floor_us,
                       struct text_buf *ytics)
{
    const double q[5] = {g->st.min, g->st.p50, g->st.p90, g->st.p99, g->st.max};
    fprintf(f, "%.9g", y);
    for (unsigned k = 0; k < 5; k++)
        fprintf(f, " %.9g", fmax(us(q[k]), floor_us));
    fprintf(f, " %zu\n", g->st.count);
    char label[512];
    run_label(r, g->scenario, g->params, g->cpus, label, sizeof(label));
    tb_put(ytics, ytics->n > 1 ? ", " : "", ytics->n > 1 ? 2 : 0);
    rp_gp_quote_into(ytics, label);
    tb_printf(ytics, " %.9g", y);
}

static int prep_policy(struct report *r, struct plot *p)
{
    const struct rep_groups *gs = &r->policy;
    struct policy_axis a;
    policy_scan(gs, &a);
    if (!a.rows)
        return rp_skip(p, "Not drawn: no scenario ran under two or more parameter sets at the same CPU count "
                       "(give it a sweep over a policy or cost model).");
    int logx = wants_log(a.min_pos, a.max);
    double floor_us = logx ? decade_below(us(a.min_pos)) : 0;
    FILE *f = rp_open_out(r, "policy.dat");
    if (!f)
        return -1;
    fputs("# row position (0 = top), then end_to_end min, p50, p90, p99, max (us), errors\n", f);
    struct text_buf ytics = {0};
    tb_put(&ytics, "(", 1);
    double y = 0;
    size_t rows = 0;
    for (size_t i = 0, end; i < gs->n; i = end) {
        end = same_host_run(gs, i);
        if (end - i < 2 || rows + (end - i) > MAX_POLICY_ROWS)
            continue;
        for (size_t j = i; j < end; j++, y += 1)
            policy_row(r, f, &gs->g[j], y, floor_us, &ytics);
        rows += end - i;
        y += 0.6; /* a gap between scenarios */
    }
    tb_put(&ytics, ")", 1);
    int height = 170 + 30 * (int)rows + 18 * (int)a.panels;
    rp_plot_set(p, "YMAX", "%.9g", y - 0.6 - 1 + 0.5); /* the last row's position + 0.5 */
    *rp_plot_val(p, "YTICS") = ytics;
    rp_plot_set(p, "LOGX", "%d", logx);
    if (logx)
        rp_plot_set(p, "XRANGE", "[%.9g:*]", floor_us);
    else
        rp_plot_set(p, "XRANGE", "[*:*]"); /* markers, not bars: zoom in on the differences */
    rp_plot_set(p, "SHOWN", "\"%s\"", a.skipped ? "(first scenarios only, see the table)" : "");
    rp_plot_set(p, "WIDTH", "1300");
    rp_plot_set(p, "HEIGHT", "%d", height < 400 ? 400 : height);
    return rp_close_out(r, f, "policy.dat");
}

/* ---- the plot kinds, in page order ---- */

static const struct plot_kind kinds[NKINDS] = {
    {"cdf", "Latency per stage: cumulative distribution",
     "For each handling stage, the fraction of errors (y) whose stage took at most x. A curve to the left is "
     "faster; a long flat tail before 1.0 is a slow minority. Dotted lines mark p50, p90 and p99.",
     RP_LATENCY, prep_cdf},
    {"hist", "Latency per stage: histograms",
     "One panel per stage: how many errors took how long. Panels whose values span two decades or more have "
     "log-spaced bins (10 a decade) on a log axis.",
     RP_LATENCY, prep_hist},
    {"breakdown", "Where the time goes",
     "One bar per run (scenario, parameter set and CPU count): the mean latency of each stage, stacked in "
     "handling order, with the sum at the end of the bar. On the right, the stages after the signal as shares "
     "of their sum: the handler's own time, which a polled error's long wait for the poller would otherwise "
     "hide. A stage's mean is over the errors that went through it, so the sum need not equal the mean "
     "end_to_end latency.",
     RP_LATENCY, prep_breakdown},
    {"cpus", "Broadcast #MC latency against CPU count",
     "Errors of the classes hardware broadcasts to every CPU (srao, srar, fatal), of all scenarios, grouped by "
     "the host's pCPU count: p50, p90, p99 and max of end_to_end and of the entry rendezvous.",
     RP_LATENCY, prep_cpus},
    {"policy", "Policy against policy",
     "For each scenario and CPU count that ran under two or more parameter sets (sweep points): the "
     "end_to_end latency of each set, as its range (min to max) with p50, p90, p99 and max marked.",
     RP_LATENCY, prep_policy},
    {"migration", "Live migration outcome against the swept parameter",
     "One panel per scenario (and set of its other parameters): each migration at the value of the parameter "
     "its sweep varied (a time in ms, e.g. when the machine check was injected; else the sweep point), on the "
     "row of its outcome, coloured by outcome; the shape says where in the migration the first machine check "
     "on the guest's pages hit (the case, see the table below).",
     RP_MIGRATION, rp_prep_migration},
};

/* ---- scripts ---- */

static char *fill_file(struct report *r, const char *name, const struct rep_subst *s, unsigned n)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", r->o->templates, name);
    char *text = tb_slurp(path);
    if (!text) {
        fprintf(stderr, "mcasim report: cannot read template %s: %s (see --templates)\n", path, strerror(errno));
        r->failed = 1;
        return NULL;
    }
    struct rep_error err;
    char *filled = rep_fill_template(text, path, s, n, &err);
    free(text);
    if (!filled) {
        rep_error_print(&err, stderr);
        r->failed = 1;
    }
    return filled;
}

/* NAME.gp = common.gp + NAME's template, filled. */
static int write_script(struct report *r, struct plot *p)
{
    char out[64], tpl[64], script[64];
    snprintf(out, sizeof(out), "\"%s\"", p->kind->name);
    snprintf(tpl, sizeof(tpl), "%s.gp", p->kind->name);
    snprintf(script, sizeof(script), "%s.gp", p->kind->name);
    rp_plot_set(p, "OUTPUT", "%s", out);
    rp_plot_set(p, "FORMATS", "\"png svg\"");
    for (unsigned i = 0; i < p->nsub; i++)
        p->sub[i].val = tb_text(&p->val[i]);
    char *head = fill_file(r, "common.gp", p->sub, p->nsub);
    char *body = head ? fill_file(r, tpl, p->sub, p->nsub) : NULL;
    int rc = -1;
    FILE *f = body ? rp_open_out(r, script) : NULL;
    if (f) {
        fprintf(f, "%s\n%s", head, body);
        rc = rp_close_out(r, f, script);
    }
    free(head);
    free(body);
    return rc;
}

/* Whether the input has rows of a section; index.html leaves it out if not. */
static int section_present(const struct report *r, enum rp_section s)
{
    return s == RP_MIGRATION ? r->d->nmig > 0 : r->d->n > 0;
}

static void prepare_all(struct report *r)
{
    for (unsigned k = 0; k < NKINDS; k++) {
        struct plot *p = &r->plots[k];
        p->kind = &kinds[k];
        if (!section_present(r, kinds[k].section))
            continue;
        int rc = kinds[k].prepare(r, p);
        for (unsigned i = 0; i < p->nsub; i++)
            if (p->val[i].oom)
                rc = -1;
        if (rc == 0 && write_script(r, p) == 0)
            p->state = PLOT_READY;
        else if (rc != 1) {
            p->state = PLOT_FAILED;
            r->failed = 1;
            if (!p->note[0])
                snprintf(p->note, sizeof(p->note), "Not drawn: its data or script could not be written.");
        }
        plot_free(p);
    }
}

/* ---- gnuplot ---- */

/* The gnuplot executable on PATH, into buf; 0 found. */
static int find_gnuplot(char *buf, size_t len)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t k = strcspn(path, ":"); /* an empty entry means the current folder */
        snprintf(buf, len, "%.*s/gnuplot", (int)(k ? k : 1), k ? path : ".");
        struct stat st;
        if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
            return 0;
        path += k + (path[k] == ':');
    }
    return -1;
}

/* Run gnuplot on script in the output folder; its exit status, or -1. */
static int run_gnuplot(const char *gnuplot, const char *dir, const char *script)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, STDIN_FILENO); /* a script never waits for a key */
        if (chdir(dir) == 0)
            execl(gnuplot, "gnuplot", script, (char *)NULL);
        _exit(127);
    }
    int st;
    if (pid < 0)
        return -1;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* 0 all rendered, 3 gnuplot missing or failing. */
static int render_all(struct report *r)
{
    char gnuplot[4096];
    if (find_gnuplot(gnuplot, sizeof(gnuplot)) != 0) {
        fprintf(stderr, "mcasim report: gnuplot not found: install gnuplot-nox (the data, scripts and "
                        "index.html are in %s)\n", r->o->out);
        for (unsigned k = 0; k < NKINDS; k++)
            if (r->plots[k].state == PLOT_READY)
                snprintf(r->plots[k].note, sizeof(r->plots[k].note),
                         "Not rendered: gnuplot was not found. Install gnuplot-nox and run "
                         "<code>gnuplot %s.gp</code> in this folder.", kinds[k].name);
        return 3;
    }
    int rc = 0;
    for (unsigned k = 0; k < NKINDS; k++) {
        struct plot *p = &r->plots[k];
        if (p->state != PLOT_READY)
            continue;
        char script[64];
        snprintf(script, sizeof(script), "%s.gp", kinds[k].name);
        int st = run_gnuplot(gnuplot, r->o->out, script);
        if (st == 0) {
            p->state = PLOT_DONE;
            continue;
        }
        fprintf(stderr, "mcasim report: gnuplot failed on %s/%s (status %d)\n", r->o->out, script, st);
        snprintf(p->note, sizeof(p->note), "Not rendered: gnuplot failed on %s (status %d).", script, st);
        p->state = PLOT_FAILED;
        rc = 3;
    }
    return rc;
}

/* ---- summary.csv ---- */

void rp_csv_field(FILE *f, const char *s)
{
    if (!strchr(s, '"')) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++)
        fputs(*s == '"' ? "\"\"" : (char[2]){*s, 0}, f);
    fputc('"', f);
}

static void write_summary_csv(struct report *r)
{
    FILE *f = rp_open_out(r, "summary.csv");
    if (!f)
        return;
    fputs("scenario,cpus,params,stage,count,p50_us,p90_us,p99_us,max_us,mean_us\n", f);
    for (size_t i = 0; i < r->runs.n; i++) {
        const struct rep_group *g = &r->runs.g[i];
        rp_csv_field(f, rep_str(r->d, g->scenario));
        fprintf(f, ",%u,", g->cpus);
        rp_csv_field(f, rep_str(r->d, g->params));
        fprintf(f, ",%s,%zu,%.3f,%.3f,%.3f,%.3f,%.3f\n", lat_stage_name(g->stage), g->st.count, us(g->st.p50),
                us(g->st.p90), us(g->st.p99), us(g->st.max), us(g->st.mean));
    }
    rp_close_out(r, f, "summary.csv");
}

/* ---- index.html ---- */

/* The file as base64, for a data: URL; -1 when it cannot be read. */
static int html_base64(FILE *out, const char *path)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    unsigned char in[3];
    size_t k;
    while ((k = fread(in, 1, 3, f)) > 0) {
        unsigned v = (unsigned)in[0] << 16 | (k > 1 ? (unsigned)in[1] << 8 : 0) | (k > 2 ? in[2] : 0);
        char q[4] = {digits[v >> 18 & 63], digits[v >> 12 & 63], k > 1 ? digits[v >> 6 & 63] : '=',
                     k > 2 ? digits[v & 63] : '='};
        fwrite(q, 1, 4, out);
    }
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}

static const char html_style[] =
    "<style>\n"
    "body{font-family:sans-serif;margin:2em auto;max-width:1450px;padding:0 1em;color:#222}\n"
    "h2{margin-top:2em;border-bottom:1px solid #ccc}\n"
    "table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:90%}\n"
    "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#eee}\n"
    "td.k,th.k{text-align:left}tr.e2e td{font-weight:bold}tr.first td{border-top:2px solid #888}\n"
    "img{max-width:100%;border:1px solid #ddd}p.note{background:#fff4d6;padding:.5em}\n"
    "figure{margin:0}figcaption{font-size:90%;color:#555}\n"
    "</style>";

/* The page head, titled after the rows the report has. */
static void html_head(FILE *f, const struct report *r)
{
    const char *title = !r->d->nmig ? "mcasim latency report"
                        : r->d->n   ? "mcasim latency and migration report"
                                    : "mcasim migration report";
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>%s</title>\n%s</head><body>\n"
               "<h1>%s</h1>\n",
            title, html_style, title);
}

static void html_intro(FILE *f, const struct report *r, int rendered)
{
    fprintf(f, "<p>%zu latency rows", r->d->n);
    if (r->d->nmig)
        fprintf(f, " and %zu migration rows", r->d->nmig);
    fprintf(f, " from %u file%s:", r->d->ninputs, r->d->ninputs == 1 ? "" : "s");
    for (unsigned i = 0; i < r->o->ninputs; i++) {
        fputs(i ? ", <code>" : " <code>", f);
        markup_escape(f, r->o->inputs[i]);
        fputs("</code>", f);
    }
    fputs(".</p>\n", f);
    if (r->d->n)
        fputs("<p>Times are simulated microseconds (&micro;s). Percentiles are nearest-rank: pN of n sorted "
              "latencies is the one at rank &lceil;N&middot;n/100&rceil; (p50 of 1..100 is 50, p99 is 99), so each "
              "is a latency that really occurred; max is the largest.</p>\n",
              f);
    if (!rendered)
        fputs("<p class=\"note\">The images were not rendered (see the notes below); the data files and "
              "scripts are in this folder.</p>\n",
              f);
    fputs("<ul>\n", f);
    for (unsigned k = 0; k < NKINDS; k++)
        if (section_present(r, kinds[k].section))
            fprintf(f, "<li><a href=\"#%s\">%s</a></li>\n", kinds[k].name, kinds[k].heading);
    if (r->d->nmig)
        fputs("<li><a href=\"#migration-table\">Migrations per sweep point</a> (also <a href=\"migration_table.csv\">"
              "migration_table.csv</a> and <a href=\"migration_outcomes.csv\">migration_outcomes.csv</a>)</li>\n",
              f);
    if (!r->d->n) {
        fputs("</ul>\n", f);
        return;
    }
    fputs("<li><a href=\"#table\">Latency per run and stage</a> (also <a href=\"summary.csv\">summary.csv</a>)"
          "</li>\n<li><a href=\"#stages\">What each stage measures</a></li>\n</ul>\n",
          f);
}

static void html_plot(FILE *f, struct report *r, const struct plot *p)
{
    const char *name = p->kind->name;
    fprintf(f, "<h2 id=\"%s\">%s</h2>\n<p>%s</p>\n", name, p->kind->heading, p->kind->caption);
    if (p->state != PLOT_DONE) {
        fprintf(f, "<p class=\"note\">%s</p>\n", p->note); /* notes are ours: HTML already */
        return;
    }
    char path[4096], png[64];
    snprintf(png, sizeof(png), "%s.png", name);
    out_path(r, png, path, sizeof(path));
    fprintf(f, "<figure><img alt=\"%s\" src=\"data:image/png;base64,", p->kind->heading);
    if (html_base64(f, path) != 0) {
        fprintf(stderr, "mcasim report: cannot read %s\n", path);
        r->failed = 1;
    }
    fprintf(f, "\">\n<figcaption><a href=\"%s.svg\">SVG</a> &middot; data <a href=\"%s.dat\">%s.dat</a> "
               "&middot; script <a href=\"%s.gp\">%s.gp</a></figcaption></figure>\n",
            name, name, name, name, name);
}

static void html_cell_us(FILE *f, double ns)
{
    fprintf(f, "<td>%.3f</td>", us(ns));
}

static void html_stats_cells(FILE *f, const struct rep_stats *st)
{
    fprintf(f, "<td>%zu</td>", st->count);
    html_cell_us(f, st->p50);
    html_cell_us(f, st->p90);
    html_cell_us(f, st->p99);
    html_cell_us(f, st->max);
    html_cell_us(f, st->mean);
}

static void html_run_table(FILE *f, const struct report *r)
{
    fputs("<h2 id=\"table\">Latency per run and stage</h2>\n<p>One block per run: scenario, pCPU count and "
          "parameter set (sweep point). The same numbers are in <a href=\"summary.csv\">summary.csv</a>.</p>\n"
          "<table>\n<tr><th class=\"k\">scenario</th><th>cpus</th><th class=\"k\">params</th>"
          "<th class=\"k\">stage</th><th>count</th><th>p50 &micro;s</th><th>p90 &micro;s</th>"
          "<th>p99 &micro;s</th><th>max &micro;s</th><th>mean &micro;s</th></tr>\n",
          f);
    for (size_t i = 0; i < r->runs.n; i++) {
        const struct rep_group *g = &r->runs.g[i];
        int first = new_run(&r->runs, i);
        static const char *const row_class[2][2] = {{"<tr>", "<tr class=\"e2e\">"},
                                                    {"<tr class=\"first\">", "<tr class=\"first e2e\">"}};
        fputs(row_class[first][g->stage == LS_END_TO_END], f);
        if (first) {
            fputs("<td class=\"k\">", f);
            markup_escape(f, rep_str(r->d, g->scenario));
            fprintf(f, "</td><td>%u</td><td class=\"k\">", g->cpus);
            markup_escape(f, rep_str(r->d, g->params));
            fputs("</td>", f);
        } else {
            fputs("<td></td><td></td><td></td>", f);
        }
        fprintf(f, "<td class=\"k\">%s</td>", lat_stage_name(g->stage));
        html_stats_cells(f, &g->st);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void html_cpu_table(FILE *f, const struct report *r)
{
    if (r->plots[3].state == PLOT_SKIPPED || !r->bycpus.n)
        return;
    fputs("<p>The numbers behind the plot (srao, srar and fatal errors of all scenarios):</p>\n<table>\n"
          "<tr><th>cpus</th><th class=\"k\">stage</th><th>count</th><th>p50 &micro;s</th><th>p90 &micro;s</th>"
          "<th>p99 &micro;s</th><th>max &micro;s</th><th>mean &micro;s</th></tr>\n",
          f);
    for (size_t i = 0; i < r->bycpus.n; i++) {
        const struct rep_group *g = &r->bycpus.g[i];
        fprintf(f, "<tr%s><td>%u</td><td class=\"k\">%s</td>", g->stage == LS_END_TO_END ? " class=\"e2e\"" : "",
                g->cpus, lat_stage_name(g->stage));
        html_stats_cells(f, &g->st);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void html_stage_table(FILE *f)
{
    fputs("<h2 id=\"stages\">What each stage measures</h2>\n<table>\n", f);
    for (unsigned s = 0; s < LS__COUNT; s++)
        fprintf(f, "<tr><td class=\"k\">%s</td><td class=\"k\">%s</td></tr>\n", lat_stage_name((enum lat_stage)s),
                stage_meaning[s]);
    fputs("</table>\n<p>A stage is counted for an error only when the error went through it (no rendezvous for "
          "CMCI, polling or LMCE). Defined in <code>sim/latency.c</code>.</p>\n",
          f);
}

static void write_index(struct report *r, int rendered)
{
    FILE *f = rp_open_out(r, "index.html");
    if (!f)
        return;
    html_head(f, r);
    html_intro(f, r, rendered);
    for (unsigned k = 0; k < NKINDS; k++) {
        if (!section_present(r, kinds[k].section))
            continue;
        html_plot(f, r, &r->plots[k]);
        if (k == 3)
            html_cpu_table(f, r);
        if (kinds[k].section == RP_MIGRATION)
            rp_html_migration_tables(f, r);
    }
    if (r->d->n) {
        html_run_table(f, r);
        html_stage_table(f);
    }
    fputs("</body></html>\n", f);
    rp_close_out(r, f, "index.html");
}

/* ---- putting it together ---- */

/* mkdir -p: each missing parent, then the folder itself. */
static int make_dirs(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return -1;
    struct stat st;
    if (stat(buf, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

static int group_all(struct report *r)
{
    const struct rep_filter all = {REP_ALL_STAGES, REP_ALL_CLASSES};
    const struct rep_filter bcast = {REP_STAGE_BIT(LS_END_TO_END) | REP_STAGE_BIT(LS_RENDEZVOUS),
                                     REP_BROADCAST_CLASSES};
    const struct rep_filter e2e = {REP_STAGE_BIT(LS_END_TO_END), REP_ALL_CLASSES};
    return rep_group(r->d, RK_STAGE, &all, &r->stages) || rep_group(r->d, RK_CONFIG | RK_STAGE, &all, &r->runs) ||
           rep_group(r->d, RK_CPUS | RK_STAGE, &bcast, &r->bycpus) ||
           rep_group(r->d, RK_CONFIG, &e2e, &r->policy) || rep_mig_group(r->d, &r->mig);
}

static void free_groups(struct report *r)
{
    rep_groups_free(&r->stages);
    rep_groups_free(&r->runs);
    rep_groups_free(&r->bycpus);
    rep_groups_free(&r->policy);
    rep_mig_groups_free(&r->mig);
}

int report_render(const struct rep_data *d, const struct report_opts *o)
{
    if (make_dirs(o->out) != 0) {
        fprintf(stderr, "mcasim report: cannot create %s: %s\n", o->out, strerror(errno));
        return 2;
    }
    struct report r;
    memset(&r, 0, sizeof(r));
    r.d = d;
    r.o = o;
    if (group_all(&r)) {
        fputs("mcasim report: out of memory\n", stderr);
        free_groups(&r);
        return 2;
    }
    prepare_all(&r);
    write_summary_csv(&r);
    if (d->nmig)
        rp_write_migration_csv(&r);
    int gp = render_all(&r);
    write_index(&r, gp == 0);
    size_t runs = 0;
    for (size_t i = 0; i < r.runs.n; i++)
        runs += new_run(&r.runs, i);
    free_groups(&r);
    if (!o->quiet && !r.failed && d->nmig)
        printf("report: %s/index.html (%zu rows, %zu runs, %zu migration%s)\n", o->out, d->n, runs, d->nmig,
               d->nmig == 1 ? "" : "s");
    else if (!o->quiet && !r.failed)
        printf("report: %s/index.html (%zu rows, %zu runs)\n", o->out, d->n, runs);
    return r.failed ? 2 : gp;
}
