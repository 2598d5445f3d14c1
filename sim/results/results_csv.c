/* results_csv.c - write latency rows, point summaries and migrations as CSV. */
#include "sim/results/results_csv.h"

#include <stdlib.h>

#include "hv/public/mca_names.h"

void results_ns(char *buf, size_t len, rtime_t ps)
{
    char ns[RTIME_STR_LEN];
    snprintf(buf, len, "%s.%03u", rtime_str(ns, ps / 1000), (unsigned)(ps % 1000));
}

static const char *cls_name(int cls)
{
    return cls < 0 ? "none" : mca_rec_class_name((unsigned)cls);
}

void results_csv_latency(FILE *f, const struct run_result *r, unsigned point, const char *params)
{
    for (unsigned i = 0; i < r->n_errors; i++) {
        const struct rr_error *e = &r->errors[i];
        unsigned cpus = e->host < r->nhosts ? r->hosts[e->host].ncpus : 0;
        for (unsigned s = 0; s < LS__COUNT; s++) {
            uint64_t ps;
            char ns[32];
            if (!lat_stage_ps(&e->times, (enum lat_stage)s, &ps))
                continue;
            results_ns(ns, sizeof(ns), ps);
            fprintf(f, "%s,%u,%s,%u,%u,%s,%s,%s\n", r->scn->name, point, params, cpus, e->id,
                    cls_name(e->cls), lat_stage_name((enum lat_stage)s), ns);
        }
    }
}

void results_csv_point(FILE *f, const struct run_result *r, unsigned point, const char *params,
                       const struct expect_report *rep)
{
    uint64_t *v = calloc(r->n_errors ? r->n_errors : 1, sizeof(*v));
    unsigned n = 0;
    for (unsigned i = 0; v && i < r->n_errors; i++)
        if (lat_stage_ps(&r->errors[i].times, LS_END_TO_END, &v[n]))
            n++;
    if (v)
        lat_sort(v, n);
    char p50[32], p90[32], p99[32], max[32];
    results_ns(p50, sizeof(p50), v ? lat_percentile(v, n, 50) : 0);
    results_ns(p90, sizeof(p90), v ? lat_percentile(v, n, 90) : 0);
    results_ns(p99, sizeof(p99), v ? lat_percentile(v, n, 99) : 0);
    results_ns(max, sizeof(max), v && n ? v[n - 1] : 0);
    free(v);
    const struct rr_host *h = &r->hosts[0];
    unsigned long long errors = r->n_errors; /* with those folded into an entry (run_result.h) */
    for (unsigned i = 0; i < r->nhosts; i++)
        errors += r->hosts[i].errors_counted + r->hosts[i].errors_overflowed;
    fprintf(f, "%s,%u,%s,%u,%s,%s,%llu,%u,%s,%s,%s,%s\n", r->scn->name, point, params, h->ncpus,
            scn_outcome_name(h->outcome), rep->n ? "false" : "true", errors, r->n_records, p50, p90,
            p99, max);
}

static void opt_ns(char *buf, size_t len, rtime_t ps)
{
    if (ps)
        results_ns(buf, len, ps);
    else
        buf[0] = 0;
}

void results_mig_times(const struct rr_migration *m, struct results_mig_times *t)
{
    opt_ns(t->start, sizeof(t->start), m->start_ps);
    opt_ns(t->pause, sizeof(t->pause), m->pause_ps);
    opt_ns(t->end, sizeof(t->end), m->end_ps);
    t->downtime[0] = 0;
    if (m->pause_ps && m->end_ps >= m->pause_ps)
        results_ns(t->downtime, sizeof(t->downtime), m->end_ps - m->pause_ps);
}

void results_csv_migration(FILE *f, const struct run_result *r, unsigned point, const char *params)
{
    for (unsigned i = 0; i < r->n_migrations; i++) {
        const struct rr_migration *m = &r->migrations[i];
        struct results_mig_times t;
        results_mig_times(m, &t);
        fprintf(f, "%s,%u,%s,%u,%u,%u,%s,%s,%u,%u,%llu,%llu,%llu,%llu,%s,%s,%s,%s\n", r->scn->name, point, params,
                m->domain, m->from, m->to, scn_mig_outcome_name(m->outcome), m->mce_case, m->iterations,
                m->rechecks, (unsigned long long)m->pages_sent, (unsigned long long)m->broken_sent,
                (unsigned long long)m->pages_lost, (unsigned long long)m->needless_broken, t.start, t.pause, t.end,
                t.downtime);
    }
}
