/*
 * report_html.c - index.html: the plots in page order with their captions
 * (or a note on why one is missing), each PNG image embedded as base64 so
 * the page stands alone, and the tables of runs, CPU counts and stages.
 * Text from the input goes through markup_escape; captions and notes are
 * ours and already HTML.
 */
#include "reports/report_plot_int.h"
#include "sim/results/markup_escape.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* What a stage measures (sim/results/latency.h), for the index page. */
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
    "th.sort{cursor:pointer}td.rep{color:#999}input.filter{margin-right:1em}span.count{color:#555}\n"
    "p.cover{font-size:90%}details{font-size:90%;margin-bottom:1em}\n"
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
    for (unsigned k = 0; k < RP_NKINDS; k++) {
        const struct plot_kind *kind = r->plots[k].kind;
        if (rp_section_present(r, kind->section))
            fprintf(f, "<li><a href=\"#%s\">%s</a></li>\n", kind->name, kind->heading);
    }
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

/* How many runs the plot shows, and the runs left out with why. */
static void html_cover(FILE *f, const struct plot *p)
{
    if (!p->covered)
        return;
    if (p->shown == p->total) {
        fprintf(f, "<p class=\"cover\">It shows all %zu run%s of the results.</p>\n", p->total,
                p->total == 1 ? "" : "s");
        return;
    }
    fprintf(f, "<p class=\"cover\">It shows %zu of the %zu runs of the results.</p>\n<details><summary>The %zu "
               "runs left out, and why</summary>\n<ul>\n",
            p->shown, p->total, p->total - p->shown);
    fwrite(p->left_html, 1, p->left_len, f);
    fputs("</ul></details>\n", f);
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
    rp_out_path(r, png, path, sizeof(path));
    fprintf(f, "<figure><img alt=\"%s\" src=\"data:image/png;base64,", p->kind->heading);
    if (html_base64(f, path) != 0) {
        fprintf(stderr, "mcasim report: cannot read %s\n", path);
        r->failed = 1;
    }
    fprintf(f, "\">\n<figcaption><a href=\"%s.svg\">SVG</a> &middot; data <a href=\"%s.dat\">%s.dat</a> "
               "&middot; script <a href=\"%s.gp\">%s.gp</a></figcaption></figure>\n",
            name, name, name, name, name);
    html_cover(f, p);
}

static void html_cell_us(FILE *f, double ns)
{
    fprintf(f, "<td>%.3f</td>", rp_us(ns));
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
          "parameter set (sweep point). The same numbers are in <a href=\"summary.csv\">summary.csv</a>. Click a "
          "heading to sort by it; type in the box to keep the rows holding every word.</p>\n"
          "<table id=\"runs\">\n<tr><th class=\"k\">scenario</th><th>cpus</th><th class=\"k\">params</th>"
          "<th class=\"k\">stage</th><th>count</th><th>p50 &micro;s</th><th>p90 &micro;s</th>"
          "<th>p99 &micro;s</th><th>max &micro;s</th><th>mean &micro;s</th></tr>\n",
          f);
    for (size_t i = 0; i < r->runs.n; i++) {
        const struct rep_group *g = &r->runs.g[i];
        int first = rp_new_run(&r->runs, i);
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

/* The numbers behind the cpus plot p, below it. */
static void html_cpu_table(FILE *f, const struct report *r, const struct plot *p)
{
    if (p->state == PLOT_SKIPPED || !r->bycpus.n)
        return;
    fputs("<p>The numbers behind the plot (srao, srar and fatal errors of all scenarios):</p>\n<table id=\"cpus\">\n"
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
          "CMCI, polling or LMCE). Defined in <code>sim/results/latency.c</code>.</p>\n",
          f);
}

/* index.js of the templates folder, which sorts and filters the tables. */
static void html_script(FILE *f, struct report *r)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/index.js", r->o->templates);
    char *js = tb_slurp(path);
    if (!js) {
        fprintf(stderr, "mcasim report: cannot read template %s: %s (see --templates)\n", path, strerror(errno));
        r->failed = 1;
        return;
    }
    fputs("<script>\n", f);
    fputs(js, f);
    fputs("</script>\n", f);
    free(js);
}

void rp_write_index(struct report *r, int rendered)
{
    FILE *f = rp_open_out(r, "index.html");
    if (!f)
        return;
    html_head(f, r);
    html_intro(f, r, rendered);
    for (unsigned k = 0; k < RP_NKINDS; k++) {
        const struct plot *p = &r->plots[k];
        if (!rp_section_present(r, p->kind->section))
            continue;
        html_plot(f, r, p);
        if (!strcmp(p->kind->name, "cpus"))
            html_cpu_table(f, r, p);
        if (p->kind->section == RP_MIGRATION)
            rp_html_migration_tables(f, r);
    }
    if (r->d->n) {
        html_run_table(f, r);
        html_stage_table(f);
    }
    html_script(f, r);
    fputs("</body></html>\n", f);
    rp_close_out(r, f, "index.html");
}
