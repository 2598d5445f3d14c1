/*
 * report_csv.c - summary.csv: count, p50, p90, p99, max and mean of each
 * run and stage in microseconds, and the quoting of a CSV field that the
 * migration tables share.
 */
#include "reports/report_plot_int.h"

#include <string.h>

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

void rp_write_summary_csv(struct report *r)
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
        fprintf(f, ",%s,%zu,%.3f,%.3f,%.3f,%.3f,%.3f\n", lat_stage_name(g->stage), g->st.count, rp_us(g->st.p50),
                rp_us(g->st.p90), rp_us(g->st.p99), rp_us(g->st.max), rp_us(g->st.mean));
    }
    rp_close_out(r, f, "summary.csv");
}
