/*
 * report_cover.c - which runs each plot shows. A run is a scenario at one
 * CPU count and parameter set (a group of RK_CONFIG). A plot that draws
 * some runs collects them in a run set; rp_cover() then counts them
 * against every run of the input (report.runs) and lists each run left
 * out with why, for index.html to say under the plot. Sets are sorted
 * arrays of (order, cpus), the key that names a run, so a sweep of
 * 100,000 points costs n log n.
 */
#include "reports/report_plot_int.h"
#include "sim/results/markup_escape.h"

#include <stdlib.h>

static int key_cmp(const void *x, const void *y)
{
    const struct rp_runkey *a = x, *b = y;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return a->cpus < b->cpus ? -1 : a->cpus > b->cpus;
}

int rp_runset_add(struct rp_runset *s, const struct rep_group *g)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        struct rp_runkey *v = realloc(s->v, cap * sizeof(*v));
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = (struct rp_runkey){g->order, g->cpus};
    return 0;
}

void rp_runset_seal(struct rp_runset *s)
{
    if (s->n)
        qsort(s->v, s->n, sizeof(*s->v), key_cmp);
}

bool rp_runset_has(const struct rp_runset *s, const struct rep_group *g)
{
    const struct rp_runkey k = {g->order, g->cpus};
    return s->n && bsearch(&k, s->v, s->n, sizeof(*s->v), key_cmp);
}

void rp_runset_free(struct rp_runset *s)
{
    free(s->v);
    *s = (struct rp_runset){0};
}

void rp_cover(struct report *r, struct plot *p, struct rp_runset *drawn, rp_why_fn why, const void *ctx)
{
    rp_runset_seal(drawn);
    FILE *f = open_memstream(&p->left_html, &p->left_len);
    if (!f)
        return;
    p->covered = true;
    for (size_t i = 0; i < r->runs.n; i++) {
        const struct rep_group *g = &r->runs.g[i];
        if (!rp_new_run(&r->runs, i))
            continue;
        p->total++;
        if (rp_runset_has(drawn, g)) {
            p->shown++;
            continue;
        }
        char label[512];
        rp_run_label(r, g->scenario, g->params, g->cpus, label, sizeof(label));
        fputs("<li>", f);
        markup_escape(f, label);
        fprintf(f, ": %s</li>\n", why(r, g, ctx));
    }
    fclose(f);
}

void rp_cover_free(struct plot *p)
{
    free(p->left_html);
    p->left_html = NULL;
}

void rp_cover_all(struct report *r, struct plot *p)
{
    p->covered = true;
    for (size_t i = 0; i < r->runs.n; i++)
        p->total += rp_new_run(&r->runs, i);
    p->shown = p->total;
}
