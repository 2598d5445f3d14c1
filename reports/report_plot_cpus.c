/*
 * report_plot_cpus.c - broadcast #MC latency against the host's CPU count:
 * cpus.dat holds p50, p90, p99 and max per CPU count of end_to_end and of
 * the entry rendezvous of srao, srar and fatal errors, a panel each, for
 * reports/cpus.gp. Drawn only when the errors ran at two or more counts.
 */
#include "reports/report_plot_int.h"

#include <math.h>
#include <stdlib.h>

#define MAX_XTICS 24       /* explicit CPU-count tics; more and gnuplot picks */

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
    int logy = rp_wants_log(min_pos, max);
    double floor_us = logy ? rp_decade_below(rp_us(min_pos)) : 0;
    fprintf(f, "# %s of srao/srar/fatal errors: cpus, errors, p50, p90, p99, max (us)\n", lat_stage_name(s));
    int raised = 0;
    for (size_t i = 0; i < gs->n; i++) {
        const struct rep_group *g = &gs->g[i];
        if (g->stage != s)
            continue;
        const double q[4] = {g->st.p50, g->st.p90, g->st.p99, g->st.max};
        fprintf(f, "%u %zu", g->cpus, g->st.count);
        for (unsigned k = 0; k < 4; k++) {
            raised |= rp_us(q[k]) < floor_us;
            fprintf(f, " %.9g", fmax(rp_us(q[k]), floor_us)); /* a log axis cannot show 0 */
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

static const char *why_no_cpu_point(const struct report *r, const struct rep_group *run, const void *ctx)
{
    (void)r;
    (void)run;
    (void)ctx;
    return "no srao, srar or fatal error";
}

/* The runs with an error of a broadcast class: the plot's points are theirs. */
static void cpus_cover(struct report *r, struct plot *p)
{
    const struct rep_filter bcast = {REP_ALL_STAGES, REP_BROADCAST_CLASSES};
    struct rep_groups runs;
    struct rp_runset drawn = {0};
    if (rep_group(r->d, RK_CONFIG, &bcast, &runs) != 0)
        return;
    for (size_t i = 0; i < runs.n; i++)
        rp_runset_add(&drawn, &runs.g[i]);
    rep_groups_free(&runs);
    rp_cover(r, p, &drawn, why_no_cpu_point, NULL);
    rp_runset_free(&drawn);
}

int rp_prep_cpus(struct report *r, struct plot *p)
{
    const struct rep_groups *gs = &r->bycpus;
    cpus_cover(r, p);
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
