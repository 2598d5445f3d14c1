/*
 * report_plot_stages.c - the latency distribution of each handling stage:
 * cdf.dat, one cumulative distribution per stage, and hist.dat, one
 * histogram panel per stage (log bins when its values span two decades,
 * else about sqrt(n) linear bins of a round width), with the placeholders
 * of reports/cdf.gp and reports/hist.gp.
 */
#include "reports/report_plot_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CDF_POINTS 1000    /* at most this many points per CDF series */
#define BINS_PER_DECADE 10 /* log histogram bins */

/* ---- cdf: one cumulative distribution per stage ---- */

static void cdf_block(FILE *f, const struct rep_group *g, int logx, double xmin)
{
    size_t n = g->st.count, npts = n < CDF_POINTS ? n : CDF_POINTS;
    fprintf(f, "# %s: %zu errors; latency (us), fraction of errors at or below it\n", lat_stage_name(g->stage), n);
    double x0 = rp_us(g->ns[0]);
    fprintf(f, "%.9g 0\n", logx && x0 < xmin ? xmin : x0);
    for (size_t k = 1; k <= npts; k++) {
        size_t i = (k * n + npts - 1) / npts - 1; /* evenly spaced ranks, the last one included */
        double x = rp_us(g->ns[i]);
        fprintf(f, "%.9g %.9g\n", logx && x < xmin ? xmin : x, (double)(i + 1) / (double)n);
    }
    fputs("\n\n", f);
}

int rp_prep_cdf(struct report *r, struct plot *p)
{
    rp_cover_all(r, p);
    const struct rep_groups *gs = &r->stages;
    double min_pos = 0, max = 0;
    for (size_t i = 0; i < gs->n; i++) {
        double m = rp_min_positive(gs->g[i].ns, gs->g[i].st.count);
        if (m > 0 && (min_pos == 0 || m < min_pos))
            min_pos = m;
        max = fmax(max, gs->g[i].st.max);
    }
    int logx = rp_wants_log(min_pos, max);
    double xmin = logx ? rp_decade_below(rp_us(min_pos)) : 0;
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
    double min_pos = rp_min_positive(v, n), lo = v[0], hi = v[n - 1];
    b->logx = rp_wants_log(min_pos, hi);
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
        v[i] = rp_us(g->ns[i]);
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

int rp_prep_hist(struct report *r, struct plot *p)
{
    rp_cover_all(r, p);
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
