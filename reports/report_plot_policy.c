/*
 * report_plot_policy.c - policy against policy: for each scenario and CPU
 * count run under two or more parameter sets, policy.dat holds a row per
 * set (end_to_end min, p50, p90, p99, max), with a gap between scenarios,
 * for reports/policy.gp.
 */
#include "reports/report_plot_int.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define MAX_POLICY_ROWS 80 /* policy rows; the title says when scenarios were left out */
#define MAX_POLICY_ROWS_TEXT "80"

/* ---- policy: end-to-end latency per parameter set ---- */

/* The runs policy rows are drawn for, and those that could be (a scenario
 * and CPU count run under two or more parameter sets). */
struct policy_runs {
    struct rp_runset compared, drawn;
};

static const char *why_no_row(const struct report *r, const struct rep_group *run, const void *ctx)
{
    (void)r;
    const struct policy_runs *pr = ctx;
    return rp_runset_has(&pr->compared, run) ? "past the first " MAX_POLICY_ROWS_TEXT " rows (see the table)"
                                             : "the only parameter set of its scenario at its CPU count";
}

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
            double m = rp_min_positive(gs->g[j].ns, gs->g[j].st.count);
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
        fprintf(f, " %.9g", fmax(rp_us(q[k]), floor_us));
    fprintf(f, " %zu\n", g->st.count);
    char label[512];
    rp_run_label(r, g->scenario, g->params, g->cpus, label, sizeof(label));
    tb_put(ytics, ytics->n > 1 ? ", " : "", ytics->n > 1 ? 2 : 0);
    rp_gp_quote_into(ytics, label);
    tb_printf(ytics, " %.9g", y);
}

static void policy_cover(struct report *r, struct plot *p, const struct rep_groups *gs)
{
    struct policy_runs pr = {{0}, {0}};
    size_t rows = 0;
    for (size_t i = 0, end; i < gs->n; i = end) {
        end = same_host_run(gs, i);
        bool drawn = end - i >= 2 && rows + (end - i) <= MAX_POLICY_ROWS;
        rows += drawn ? end - i : 0;
        for (size_t j = i; j < end && end - i >= 2; j++) {
            rp_runset_add(&pr.compared, &gs->g[j]);
            if (drawn)
                rp_runset_add(&pr.drawn, &gs->g[j]);
        }
    }
    rp_runset_seal(&pr.compared);
    rp_cover(r, p, &pr.drawn, why_no_row, &pr);
    rp_runset_free(&pr.compared);
    rp_runset_free(&pr.drawn);
}

int rp_prep_policy(struct report *r, struct plot *p)
{
    const struct rep_groups *gs = &r->policy;
    struct policy_axis a;
    policy_scan(gs, &a);
    policy_cover(r, p, gs);
    if (!a.rows)
        return rp_skip(p, "Not drawn: no scenario ran under two or more parameter sets at the same CPU count "
                       "(give it a sweep over a policy or cost model).");
    int logx = rp_wants_log(a.min_pos, a.max);
    double floor_us = logx ? rp_decade_below(rp_us(a.min_pos)) : 0;
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
    else if (a.max > a.min_pos)
        rp_plot_set(p, "XRANGE", "[*:*]"); /* markers, not bars: zoom in on the differences */
    else /* every set took the same time: gnuplot cannot autoscale a point */
        rp_plot_set(p, "XRANGE", "[%.9g:%.9g]", 0.9 * rp_us(a.max), 1.1 * rp_us(a.max) + 1e-3);
    rp_plot_set(p, "SHOWN", "\"(%zu of %zu runs%s)\"", p->shown, p->total,
                p->shown < p->total ? "; index.html lists the others" : "");
    rp_plot_set(p, "WIDTH", "1300");
    rp_plot_set(p, "HEIGHT", "%d", height < 400 ? 400 : height);
    return rp_close_out(r, f, "policy.dat");
}
