/*
 * report_plot_breakdown.c - where the time goes: breakdown.dat holds a bar
 * per run (scenario, cpus, params), the running sum of its mean stage
 * latencies in handling order, for reports/breakdown.gp to stack, and the
 * runs' labels become the y tics.
 */
#include "reports/report_plot_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BARS 60        /* breakdown bars; the rest are counted in the title */
#define MAX_BARS_TEXT "60"

/* ---- breakdown: stacked mean stage latency, one bar per run ---- */

struct bar {
    uint32_t scenario, params, cpus;
    double mean[LS__COUNT];
};

/* The runs a bar could be drawn for, and those drawn (the first max). */
struct bar_runs {
    struct rp_runset some_stage, drawn;
};

/* Bars from the runs' groups (ascending run order); *stages gets the
 * stages that occur. At most max bars; returns how many runs there are. */
static size_t collect_bars(const struct rep_groups *gs, struct bar *bars, size_t max, size_t *nbars,
                           unsigned *stages, struct bar_runs *br)
{
    size_t nruns = 0;
    *nbars = 0;
    *stages = 0;
    for (size_t i = 0; i < gs->n; i++) {
        const struct rep_group *g = &gs->g[i];
        if (rp_new_run(gs, i)) {
            rp_runset_add(&br->some_stage, g);
            if (++nruns <= max) {
                bars[(*nbars)++] = (struct bar){g->scenario, g->params, g->cpus, {0}};
                rp_runset_add(&br->drawn, g);
            }
        }
        if (nruns > max)
            continue;
        bars[*nbars - 1].mean[g->stage] = rp_us(g->st.mean);
        *stages |= REP_STAGE_BIT(g->stage);
    }
    return nruns;
}

static const char *why_no_bar(const struct report *r, const struct rep_group *run, const void *ctx)
{
    (void)r;
    const struct bar_runs *br = ctx;
    return rp_runset_has(&br->some_stage, run) ? "past the first " MAX_BARS_TEXT " bars (see the table)"
                                               : "no stage but end_to_end to stack";
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
    double widest, narrowest; /* µs: the longest and the shortest bar above 0 */
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
        if (sum > 0 && (ext->narrowest == 0 || sum < ext->narrowest))
            ext->narrowest = sum;
        char label[512];
        rp_run_label(r, bars[i].scenario, bars[i].params, bars[i].cpus, label, sizeof(label));
        ext->longest_label = strlen(label) > ext->longest_label ? strlen(label) : ext->longest_label;
        if (i)
            tb_put(ytics, ", ", 2);
        rp_gp_quote_into(ytics, label);
        tb_printf(ytics, " %zu", i);
    }
    tb_put(ytics, ")", 1);
}

/* Image geometry: a row per bar, a left margin that fits the labels; a
 * log axis when the bars span two decades or more, from the decade of the
 * shortest (a stage that ends below it is drawn from the axis). */
static void breakdown_layout(struct plot *p, size_t nbars, const struct bar_extent *ext)
{
    int height = 170 + 26 * (int)nbars;
    height = height < 420 ? 420 : height;
    /* about 8 px a character of an 11 pt font */
    double lmargin = fmin(0.45, fmax(0.08, (8.0 * (double)ext->longest_label + 40) / 1400.0));
    rp_plot_set(p, "LMARGIN", "%.4f", lmargin);
    int logx = rp_wants_log(ext->narrowest, ext->widest);
    rp_plot_set(p, "LOGX", "%d", logx);
    rp_plot_set(p, "XLO", "%.9g", logx ? rp_decade_below(ext->narrowest) : 0);
    /* room for the sums: a fifth of the width on either kind of axis */
    rp_plot_set(p, "XMAX", "%.9g", ext->widest <= 0 ? 1 : logx ? ext->widest * pow(ext->widest / rp_decade_below(ext->narrowest), 0.25) : ext->widest * 1.22);
    rp_plot_set(p, "TMARGIN", "%.4f", 1.0 - 50.0 / height);
    rp_plot_set(p, "BMARGIN", "%.4f", 60.0 / height);
    rp_plot_set(p, "WIDTH", "1400");
    rp_plot_set(p, "HEIGHT", "%d", height);
}

int rp_prep_breakdown(struct report *r, struct plot *p)
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
    struct bar_runs br = {{0}, {0}};
    size_t nruns = collect_bars(&gs, bars, MAX_BARS, &nbars, &stages, &br);
    rep_groups_free(&gs);
    rp_runset_seal(&br.some_stage);
    rp_cover(r, p, &br.drawn, why_no_bar, &br);
    rp_runset_free(&br.some_stage);
    rp_runset_free(&br.drawn);
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
    rp_plot_set(p, "SHOWN", "\"(%zu of %zu runs%s)\"", p->shown, p->total,
                p->shown < p->total ? "; index.html lists the others" : "");
    breakdown_layout(p, nbars, &ext);
    return rp_close_out(r, f, "breakdown.dat");
}
