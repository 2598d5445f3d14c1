/*
 * report_plot.c - write a report folder from latency rows.
 *
 * Data files hold microseconds. Templates are read from the templates
 * folder and their @PLACEHOLDERS@ replaced; gnuplot runs in the output
 * folder (fork + execvp, no shell), once per image, so a failing plot
 * names itself. Tables and summary.csv are sorted and formatted from the
 * data alone, so they are deterministic.
 */
#include "sim/report_plot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Log-scale plots cannot show 0: anything under 1 ns is drawn at 1 ns. */
#define FLOOR_US 0.001

/* One colour per stage, so a stage looks the same in every plot. */
static const char *const stage_colour[LS__COUNT] = {
    "#9400d3", "#009e73", "#56b4e9", "#e69f00", "#d4c000", "#0072b2", "#e51e10", "#555555", "#000000",
};

struct buf {
    char *s;
    size_t n, cap;
};

static void bput(struct buf *b, const char *s)
{
    size_t k = strlen(s);
    if (b->n + k + 1 > b->cap) {
        size_t c = b->cap ? b->cap * 2 : 1024;
        while (c < b->n + k + 1)
            c *= 2;
        char *p = realloc(b->s, c);
        if (!p)
            abort();
        b->s = p;
        b->cap = c;
    }
    memcpy(b->s + b->n, s, k + 1);
    b->n += k;
}

static char *slurp_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    struct buf b = {0};
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof(chunk) - 1, f)) > 0) {
        chunk[k] = 0;
        bput(&b, chunk);
    }
    fclose(f);
    return b.s ? b.s : strdup("");
}

struct subst {
    const char *key, *val;
};

/* The template with every @KEY@ replaced. */
static char *fill(const char *tpl, const struct subst *s, unsigned n)
{
    struct buf b = {0};
    for (const char *p = tpl; *p;) {
        unsigned i;
        for (i = 0; i < n; i++)
            if (!strncmp(p, s[i].key, strlen(s[i].key)))
                break;
        if (i < n) {
            bput(&b, s[i].val);
            p += strlen(s[i].key);
        } else {
            char c[2] = {*p++, 0};
            bput(&b, c);
        }
    }
    return b.s ? b.s : strdup("");
}

static int write_text(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static int run_gnuplot(const char *dir, const char *script)
{
    pid_t p = fork();
    if (p == 0) {
        if (chdir(dir) != 0)
            _exit(126);
        execlp("gnuplot", "gnuplot", script, (char *)NULL);
        _exit(127);
    }
    int st;
    if (p < 0 || waitpid(p, &st, 0) < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Render one template to PNG and SVG. 0 ok, 3 gnuplot missing/failed. */
static int render(const struct report_opts *o, const char *tpl_name, const char *out_base,
                  struct subst *extra, unsigned nextra)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", o->templates, tpl_name);
    char *tpl = slurp_file(path);
    if (!tpl) {
        fprintf(stderr, "mcasim report: cannot read template %s: %s\n", path, strerror(errno));
        return 2;
    }
    static const struct {
        const char *term, *ext;
    } kinds[] = {{"pngcairo", "png"}, {"svg", "svg"}};
    int rc = 0;
    for (unsigned k = 0; k < 2; k++) {
        char out[512], script[600];
        snprintf(out, sizeof(out), "%s.%s", out_base, kinds[k].ext);
        snprintf(script, sizeof(script), "%s.gp", out);
        struct subst s[16];
        unsigned n = 0;
        s[n++] = (struct subst){"@TERM@", kinds[k].term};
        s[n++] = (struct subst){"@OUT@", out};
        for (unsigned i = 0; i < nextra && n < 16; i++)
            s[n++] = extra[i];
        char *text = fill(tpl, s, n);
        if (write_text(o->out, script, text) != 0)
            rc = 2;
        free(text);
        int g = rc ? -1 : run_gnuplot(o->out, script);
        if (g == 127) {
            fprintf(stderr, "mcasim report: gnuplot not found: install gnuplot-nox (scripts are in %s)\n", o->out);
            rc = 3;
            break;
        }
        if (g != 0 && !rc) {
            fprintf(stderr, "mcasim report: gnuplot failed on %s/%s\n", o->out, script);
            rc = 3;
        }
    }
    free(tpl);
    return rc;
}

static FILE *open_in(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return fopen(path, "w");
}

/* A CDF data file: sorted values and their cumulative fraction. */
static int write_cdf(const char *dir, const char *name, const double *v, size_t n)
{
    FILE *f = open_in(dir, name);
    if (!f)
        return -1;
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%.6f %.6f\n", v[i] > FLOOR_US ? v[i] : FLOOR_US, (double)(i + 1) / (double)n);
    return fclose(f);
}

static void label_of(const struct report_row *r, char *buf, size_t len)
{
    if (r->params[0])
        snprintf(buf, len, "%s [%s]", r->scenario, r->params);
    else
        snprintf(buf, len, "%s", r->scenario);
}

static int stage_plots(const struct report_data *d, const struct report_opts *o)
{
    struct buf cdf = {0}, hist = {0};
    int rc = 0;
    for (unsigned s = 0; s < LS__COUNT; s++) {
        size_t n;
        double *v = report_values(d, NULL, NULL, -1, (enum lat_stage)s, 0, &n);
        if (v && n) {
            char file[64], item[256];
            snprintf(file, sizeof(file), "stage_%s.dat", lat_stage_name((enum lat_stage)s));
            if (write_cdf(o->out, file, v, n) != 0)
                rc = 2;
            snprintf(item, sizeof(item), "%s'%s' using 1:2 with steps lw %d lc rgb '%s' title '%s'", cdf.n ? ", " : "",
                     file, s == LS_END_TO_END ? 3 : 2, stage_colour[s], lat_stage_name((enum lat_stage)s));
            bput(&cdf, item);
            snprintf(item, sizeof(item),
                     "%s'%s' using (bin($1)):(1.0) smooth frequency with steps lw %d lc rgb '%s' title '%s'",
                     hist.n ? ", " : "", file, s == LS_END_TO_END ? 3 : 2, stage_colour[s],
                     lat_stage_name((enum lat_stage)s));
            bput(&hist, item);
        }
        free(v);
    }
    if (cdf.n) {
        struct subst a[] = {{"@PLOTS@", cdf.s}};
        int r1 = render(o, "cdf.gp", "cdf", a, 1);
        struct subst b[] = {{"@PLOTS@", hist.s}};
        int r2 = render(o, "hist.gp", "hist", b, 1);
        rc = rc ? rc : (r1 ? r1 : r2);
    }
    free(cdf.s);
    free(hist.s);
    return rc;
}

static double mean(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return n ? s / (double)n : 0;
}

#define BREAKDOWN_MAX 30

/* At most BREAKDOWN_MAX bars: runs of swept scenarios first (they are the
 * comparisons), then the others, in order. */
static size_t pick_groups(const struct report_data *d, const size_t *g, size_t ng, size_t *out)
{
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < ng && n < BREAKDOWN_MAX; i++)
            if ((d->rows[g[i]].params[0] != 0) == (pass == 0))
                out[n++] = g[i];
    return n;
}

static int breakdown_plot(const struct report_data *d, const struct report_opts *o, const size_t *g, size_t ng)
{
    size_t pick[BREAKDOWN_MAX];
    size_t np = pick_groups(d, g, ng, pick);
    FILE *f = open_in(o->out, "breakdown.dat");
    if (!f)
        return 2;
    /* the signal stage is how long the error waited to be noticed (polling
     * can take seconds): it would hide the handler, so it is left out */
    fputs("group", f);
    for (unsigned s = LS_RENDEZVOUS; s < LS_END_TO_END; s++)
        fprintf(f, " %s", lat_stage_name((enum lat_stage)s));
    fputc('\n', f);
    for (size_t i = 0; i < np; i++) {
        const struct report_row *r = &d->rows[pick[i]];
        char label[400];
        label_of(r, label, sizeof(label));
        for (char *p = label; *p; p++)
            if (*p == '"')
                *p = '\'';
        fprintf(f, "\"%s\"", label);
        for (unsigned s = LS_RENDEZVOUS; s < LS_END_TO_END; s++) {
            size_t n;
            double *v = report_values(d, r->scenario, r->params, -1, (enum lat_stage)s, 0, &n);
            fprintf(f, " %.6f", v ? mean(v, n) : 0.0);
            free(v);
        }
        fputc('\n', f);
    }
    fclose(f);
    char ncols[16], title[160];
    snprintf(ncols, sizeof(ncols), "%u", (unsigned)(LS_END_TO_END - LS_RENDEZVOUS) + 1);
    snprintf(title, sizeof(title), "Where the handler's time goes: mean per stage after the signal (%zu of %zu runs)",
             np, ng);
    struct subst a[] = {{"@DATA@", "breakdown.dat"}, {"@NCOLS@", ncols}, {"@TITLE@", title}};
    return render(o, "breakdown.gp", "breakdown", a, 3);
}

/* A scenario that ran at two or more CPU counts (a sweep over cpus). */
static const char *cpu_swept_scenario(const struct report_data *d)
{
    for (size_t i = 0; i < d->n; i++)
        for (size_t j = i + 1; j < d->n; j++)
            if (!strcmp(d->rows[i].scenario, d->rows[j].scenario) && d->rows[i].cpus != d->rows[j].cpus)
                return d->rows[i].scenario;
    return NULL;
}

/* Returns 1 when plotted, 0 when no scenario ran at several CPU counts. */
static int cpus_plot(const struct report_data *d, const struct report_opts *o, int *rc)
{
    const char *scn = cpu_swept_scenario(d);
    if (!scn)
        return 0;
    size_t nc;
    unsigned *cpus = report_cpus(d, &nc);
    FILE *f = cpus ? open_in(o->out, "cpus.dat") : NULL;
    if (!f) {
        free(cpus);
        *rc = 2;
        return 0;
    }
    fputs("# cpus e2e_p50 e2e_p90 e2e_p99 e2e_max logout_p50 (us)\n", f);
    for (size_t i = 0; i < nc; i++) {
        size_t n, m;
        double *v = report_values(d, scn, NULL, (int)cpus[i], LS_END_TO_END, 1, &n);
        double *l = report_values(d, scn, NULL, (int)cpus[i], LS_LOGOUT, 1, &m);
        if (n && m)
            fprintf(f, "%u %.6f %.6f %.6f %.6f %.6f\n", cpus[i], report_pct(v, n, 50), report_pct(v, n, 90),
                    report_pct(v, n, 99), v[n - 1], report_pct(l, m, 50) > FLOOR_US ? report_pct(l, m, 50) : FLOOR_US);
        free(v);
        free(l);
    }
    fclose(f);
    free(cpus);
    char title[160];
    snprintf(title, sizeof(title), "Broadcast #MC latency against pCPU count (%s)", scn);
    struct subst a[] = {{"@DATA@", "cpus.dat"}, {"@TITLE@", title}};
    int r = render(o, "cpus.gp", "cpus", a, 2);
    if (r && !*rc)
        *rc = r;
    return 1;
}

/* One plot per scenario run under more than one parameter set. */
static int policy_plots(const struct report_data *d, const struct report_opts *o, const size_t *g, size_t ng,
                        struct buf *names, int *rc)
{
    int count = 0;
    for (size_t i = 0; i < ng; i++) {
        const struct report_row *r = &d->rows[g[i]];
        size_t first = i, ngroups = 0;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(d->rows[g[j]].scenario, r->scenario))
                first = j;
        for (size_t j = i; j < ng; j++)
            ngroups += !strcmp(d->rows[g[j]].scenario, r->scenario);
        if (first != i || ngroups < 2)
            continue; /* handled with its first group, or nothing to compare */
        char base[96], data[112], title[200];
        snprintf(base, sizeof(base), "policy-%zu", i);
        snprintf(data, sizeof(data), "%s.dat", base);
        FILE *f = open_in(o->out, data);
        if (!f) {
            *rc = 2;
            continue;
        }
        fputs("# params e2e_p50 e2e_p90 e2e_p99 e2e_max (us)\n", f);
        for (size_t j = i; j < ng; j++) {
            const struct report_row *q = &d->rows[g[j]];
            if (strcmp(q->scenario, r->scenario))
                continue;
            size_t n;
            double *v = report_values(d, q->scenario, q->params, -1, LS_END_TO_END, 0, &n);
            if (v && n)
                fprintf(f, "\"%s\" %.6f %.6f %.6f %.6f\n", q->params[0] ? q->params : "(none)",
                        report_pct(v, n, 50), report_pct(v, n, 90), report_pct(v, n, 99), v[n - 1]);
            free(v);
        }
        fclose(f);
        snprintf(title, sizeof(title), "%s: end-to-end latency per parameter set", r->scenario);
        struct subst a[] = {{"@TITLE@", title}, {"@DATA@", data}};
        int e = render(o, "policy.gp", base, a, 2);
        if (e && !*rc)
            *rc = e;
        char entry[256];
        snprintf(entry, sizeof(entry), "%s\t%s\n", base, r->scenario);
        bput(names, entry);
        count++;
    }
    return count;
}

static void html_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else
            fputc(*s, f);
    }
}

static int tables(const struct report_data *d, const struct report_opts *o, const size_t *g, size_t ng,
                  int have_cpus, const char *policies)
{
    FILE *csv = open_in(o->out, "summary.csv");
    FILE *h = open_in(o->out, "index.html");
    if (!csv || !h) {
        if (csv)
            fclose(csv);
        if (h)
            fclose(h);
        return 2;
    }
    fputs("scenario,params,stage,n,p50_us,p90_us,p99_us,max_us\n", csv);
    fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mcasim latency report</title>\n"
          "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}"
          "td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}th{background:#eee}"
          "td:first-child{text-align:left}img{max-width:100%;border:1px solid #ddd;margin:.5em 0}</style>"
          "</head><body>\n<h1>mcasim latency report</h1>\n",
          h);
    fprintf(h, "<p>%zu latency samples, %zu scenario runs. Percentiles are nearest-rank; times in "
               "microseconds of simulated time. Stages: see docs/ARCHITECTURE.md, \"Latency\".</p>\n",
            d->n, ng);
    fputs("<h2>Stages</h2>\n<img src=\"cdf.png\" alt=\"CDF per stage\">\n<img src=\"hist.png\" "
          "alt=\"histogram per stage\">\n<h2>Where the time goes</h2>\n<img src=\"breakdown.png\" "
          "alt=\"stacked stage breakdown\">\n",
          h);
    fputs("<h2>Latency against pCPU count</h2>\n", h);
    if (have_cpus)
        fputs("<img src=\"cpus.png\" alt=\"latency against CPUs\">\n", h);
    else
        fputs("<p>Not drawn: no scenario ran at two or more CPU counts (give one a <code>sweep:</code> over "
              "<code>cpus</code>).</p>\n",
              h);
    fputs("<h2>Policy against policy</h2>\n", h);
    if (policies && *policies) {
        char *copy = strdup(policies), *save = NULL;
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char *tab = strchr(line, '\t');
            if (!tab)
                continue;
            *tab = 0;
            fprintf(h, "<h3>");
            html_escape(h, tab + 1);
            fprintf(h, "</h3>\n<img src=\"%s.png\" alt=\"policy comparison\">\n", line);
        }
        free(copy);
    } else {
        fputs("<p>Not drawn: no scenario ran under more than one parameter set (give it a <code>sweep:</code>).</p>\n",
              h);
    }
    fputs("<h2>Tables</h2>\n", h);
    for (size_t i = 0; i < ng; i++) {
        const struct report_row *r = &d->rows[g[i]];
        char label[400];
        label_of(r, label, sizeof(label));
        fputs("<h3>", h);
        html_escape(h, label);
        fputs("</h3>\n<table><tr><th>stage</th><th>n</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr>\n", h);
        for (unsigned s = 0; s < LS__COUNT; s++) {
            size_t n;
            double *v = report_values(d, r->scenario, r->params, -1, (enum lat_stage)s, 0, &n);
            if (v && n) {
                const char *st = lat_stage_name((enum lat_stage)s);
                fprintf(h, "<tr><td>%s</td><td>%zu</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td></tr>\n",
                        st, n, report_pct(v, n, 50), report_pct(v, n, 90), report_pct(v, n, 99), v[n - 1]);
                fprintf(csv, "%s,%s,%s,%zu,%.3f,%.3f,%.3f,%.3f\n", r->scenario, r->params, st, n,
                        report_pct(v, n, 50), report_pct(v, n, 90), report_pct(v, n, 99), v[n - 1]);
            }
            free(v);
        }
        fputs("</table>\n", h);
    }
    fputs("</body></html>\n", h);
    int rc = fclose(h) | fclose(csv);
    return rc ? 2 : 0;
}

int report_render(const struct report_data *d, const struct report_opts *o)
{
    if (mkdir(o->out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mcasim report: cannot create %s: %s\n", o->out, strerror(errno));
        return 2;
    }
    size_t ng;
    size_t *g = report_groups(d, &ng);
    if (!g)
        return 2;
    int rc = stage_plots(d, o);
    int r = breakdown_plot(d, o, g, ng);
    rc = rc ? rc : r;
    int have_cpus = cpus_plot(d, o, &rc);
    struct buf names = {0};
    policy_plots(d, o, g, ng, &names, &rc);
    r = tables(d, o, g, ng, have_cpus, names.s);
    rc = rc ? rc : r;
    free(names.s);
    free(g);
    return rc;
}
