/*
 * campaign_merge.c - the partial results of campaign shards and their
 * merge (campaign_run.h, docs/CAMPAIGNS.md).
 *
 * A partial is an identity line (the campaign's name, file digest, host
 * count, host-years per host, policies, and which shard), the row header,
 * and one row per job of the shard in job order. The merge checks that
 * every partial is of the same campaign and that the rows cover every
 * job exactly once (a job given twice must be the same bytes), then
 * writes everything from the rows alone, in job order: the bytes are the
 * same for any number of shards in any order.
 *
 * Rates: for each policy and outcome, total over the hosts that finished,
 * per host-year and per 1,000 host-years (= per 1,000 hosts over a year),
 * with an exact 95% Poisson interval (Garwood) for totals up to 2,000 and
 * the normal approximation above, and as FIT per host (per 10^9 hours).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/cli/campaign_run.h"
#include "sim/results/text_buf.h"

#define ID_PREFIX "# mcasim campaign partial "

struct partial_id {
    char name[SCN_NAME_LEN];
    unsigned long long digest, hosts;
    double years;
    char policies[CAMPAIGN_MAX_POLICIES * (SCN_NAME_LEN + 1)];
};

struct merge {
    struct partial_id id;
    char pol[CAMPAIGN_MAX_POLICIES][SCN_NAME_LEN];
    unsigned npol;
    char **rows;      /* job order: policy * hosts + host */
    uint64_t njobs;
};

int campaign_write_partial(FILE *f, const struct campaign *c, unsigned k, unsigned n, char **rows,
                           uint64_t njobs)
{
    fprintf(f, ID_PREFIX "name=%s digest=%016llx hosts=%llu years_per_host=%.17g policies=", c->name,
            (unsigned long long)c->digest, (unsigned long long)c->hosts, c->years_per_host);
    for (unsigned p = 0; p < c->npolicies; p++)
        fprintf(f, "%s%s", p ? ";" : "", c->policy[p].name);
    fprintf(f, " shard=%u/%u\n%s\n", k, n, CAMPAIGN_ROW_HEADER);
    for (uint64_t j = 0; j < njobs; j++)
        if (rows[j])
            fprintf(f, "%s\n", rows[j]);
    return ferror(f) ? -1 : 0;
}

static int parse_id(const char *line, struct partial_id *id)
{
    memset(id, 0, sizeof(*id));
    if (strncmp(line, ID_PREFIX, strlen(ID_PREFIX)) != 0)
        return -1;
    unsigned k, n;
    int got = sscanf(line + strlen(ID_PREFIX), "name=%63s digest=%llx hosts=%llu years_per_host=%lg policies=%1039s shard=%u/%u",
                     id->name, &id->digest, &id->hosts, &id->years, id->policies, &k, &n);
    return got == 7 ? 0 : -1;
}

static int split_policies(struct merge *m)
{
    char buf[sizeof(m->id.policies)];
    snprintf(buf, sizeof(buf), "%s", m->id.policies);
    m->npol = 0;
    for (char *save = NULL, *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
        if (m->npol == CAMPAIGN_MAX_POLICIES)
            return -1;
        snprintf(m->pol[m->npol++], SCN_NAME_LEN, "%s", t);
    }
    return m->npol ? 0 : -1;
}

/* The job a row is about, or UINT64_MAX. */
static uint64_t row_job(const struct merge *m, const char *row)
{
    const char *comma = strchr(row, ',');
    if (!comma)
        return UINT64_MAX;
    size_t len = (size_t)(comma - row);
    for (unsigned p = 0; p < m->npol; p++)
        if (strlen(m->pol[p]) == len && strncmp(m->pol[p], row, len) == 0) {
            char *end;
            errno = 0;
            unsigned long long h = strtoull(comma + 1, &end, 10);
            if (errno || *end != ',' || h >= m->id.hosts)
                return UINT64_MAX;
            return (uint64_t)p * m->id.hosts + h;
        }
    return UINT64_MAX;
}

static int merge_file(struct merge *m, const char *path)
{
    char *text = tb_slurp(path);
    if (!text) {
        fprintf(stderr, "mcasim campaign merge: cannot read %s\n", path);
        return -1;
    }
    int rc = 0;
    unsigned lineno = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line && rc == 0;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        if (lineno == 1) {
            struct partial_id id;
            if (parse_id(line, &id) != 0) {
                fprintf(stderr, "%s:1:1: not a partial result of mcasim campaign (hint: made by --shard K/N)\n", path);
                rc = -1;
            } else if (!m->rows) {
                m->id = id;
                if (split_policies(m) != 0 || !id.hosts) {
                    fprintf(stderr, "%s:1:1: bad campaign identity line\n", path);
                    rc = -1;
                    break;
                }
                m->njobs = (uint64_t)m->npol * id.hosts;
                m->rows = calloc(m->njobs, sizeof(*m->rows));
                rc = m->rows ? 0 : -1;
            } else if (strcmp(id.name, m->id.name) || id.digest != m->id.digest || id.hosts != m->id.hosts ||
                       id.years != m->id.years || strcmp(id.policies, m->id.policies)) {
                fprintf(stderr, "%s:1:1: a partial of another campaign (or of another version of its file)\n",
                        path);
                rc = -1;
            }
            continue;
        }
        if (lineno == 2)
            continue; /* the header */
        uint64_t j = row_job(m, line);
        if (j == UINT64_MAX) {
            fprintf(stderr, "%s:%u:1: not a row of this campaign: %s\n", path, lineno, line);
            rc = -1;
        } else if (m->rows[j] && strcmp(m->rows[j], line) != 0) {
            fprintf(stderr, "%s:%u:1: job %llu given twice with different results\n", path, lineno,
                    (unsigned long long)j);
            rc = -1;
        } else if (!m->rows[j] && !(m->rows[j] = strdup(line))) {
            rc = -1;
        }
    }
    free(text);
    return rc;
}

/* ---- rates ------------------------------------------------------------------------ */

static double poisson_cdf(uint64_t k, double mu)
{
    if (mu <= 0)
        return 1.0;
    double s = 0, lmu = log(mu);
    for (uint64_t i = 0; i <= k; i++)
        s += exp(-mu + (double)i * lmu - lgamma((double)i + 1.0));
    return s > 1.0 ? 1.0 : s;
}

/* mu with poisson_cdf(k, mu) == p (decreasing in mu), by bisection. */
static double poisson_mu_for(uint64_t k, double p)
{
    double lo = 0, hi = (double)k + 20.0 * sqrt((double)k + 1.0) + 20.0;
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        if (poisson_cdf(k, mid) > p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* 95% interval of the mean of a Poisson count k. */
static void poisson_ci(uint64_t k, double *lo, double *hi)
{
    if (k > 2000) {
        double d = 1.959964 * sqrt((double)k);
        *lo = (double)k - d;
        *hi = (double)k + d;
        return;
    }
    *lo = k == 0 ? 0.0 : poisson_mu_for(k - 1, 0.975);
    *hi = poisson_mu_for(k, 0.025);
}

struct tally {
    uint64_t done, unfinished;
    uint64_t total[CM__COUNT], affected[CM__COUNT];
};

static void tally_rows(const struct merge *m, struct tally *t)
{
    for (unsigned p = 0; p < m->npol; p++)
        for (uint64_t h = 0; h < m->id.hosts; h++) {
            const char *row = m->rows[(uint64_t)p * m->id.hosts + h];
            char status[16] = "";
            const char *f = row;
            for (int c = 0; c < 3 && f; c++)
                f = strchr(f, ',') ? strchr(f, ',') + 1 : NULL;
            if (!f || sscanf(f, "%15[^,]", status) != 1)
                continue;
            if (strcmp(status, "done") != 0) {
                t[p].unfinished++;
                continue;
            }
            t[p].done++;
            f = strchr(f, ',');                  /* outcome */
            f = f ? strchr(f + 1, ',') : NULL;   /* first metric */
            for (unsigned k = 0; k < CM__COUNT && f; k++) {
                unsigned long long v = strtoull(f + 1, NULL, 10);
                t[p].total[k] += v;
                t[p].affected[k] += v != 0;
                f = strchr(f + 1, ',');
            }
        }
}

static FILE *open_out(const char *dir, const char *name, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "mcasim campaign: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

static int close_out(FILE *f, const char *path)
{
    if (fclose(f) != 0) {
        fprintf(stderr, "mcasim campaign: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

static int write_hosts(const struct merge *m, const char *dir)
{
    char path[4096];
    FILE *f = open_out(dir, "hosts.csv", path, sizeof(path));
    if (!f)
        return -1;
    fprintf(f, "%s\n", CAMPAIGN_ROW_HEADER);
    for (uint64_t j = 0; j < m->njobs; j++)
        fprintf(f, "%s\n", m->rows[j]);
    return close_out(f, path);
}

struct rate {
    double years, per_year, lo, hi, fit;
};

static struct rate rate_of(const struct merge *m, const struct tally *t, unsigned k)
{
    struct rate r = {0};
    r.years = (double)t->done * m->id.years;
    if (r.years <= 0)
        return r;
    double lo, hi;
    poisson_ci(t->total[k], &lo, &hi);
    r.per_year = (double)t->total[k] / r.years;
    r.lo = lo / r.years;
    r.hi = hi / r.years;
    r.fit = r.per_year / 8760.0 * 1e9;
    return r;
}

static int write_summary_csv(const struct merge *m, const struct tally *t, const char *dir)
{
    char path[4096];
    FILE *f = open_out(dir, "summary.csv", path, sizeof(path));
    if (!f)
        return -1;
    fputs("policy,outcome,hosts_done,hosts_unfinished,host_years,total,hosts_affected,per_host_year,"
          "per_host_year_lo95,per_host_year_hi95,per_1000_hosts,per_1000_hosts_lo95,per_1000_hosts_hi95,"
          "fit_per_host\n", f);
    for (unsigned p = 0; p < m->npol; p++)
        for (unsigned k = 0; k < CM__COUNT; k++) {
            struct rate r = rate_of(m, &t[p], k);
            fprintf(f, "%s,%s,%llu,%llu,%.6g,%llu,%llu,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n", m->pol[p],
                    campaign_metric_name((enum campaign_metric)k), (unsigned long long)t[p].done,
                    (unsigned long long)t[p].unfinished, r.years, (unsigned long long)t[p].total[k],
                    (unsigned long long)t[p].affected[k], r.per_year, r.lo, r.hi, r.per_year * 1000,
                    r.lo * 1000, r.hi * 1000, r.fit);
        }
    return close_out(f, path);
}

static int write_summary_json(const struct merge *m, const struct tally *t, const char *dir)
{
    char path[4096];
    FILE *f = open_out(dir, "summary.json", path, sizeof(path));
    if (!f)
        return -1;
    fprintf(f, "{\"campaign\": \"%s\", \"digest\": \"%016llx\", \"hosts\": %llu, \"years_per_host\": %.17g, "
               "\"policies\": [",
            m->id.name, m->id.digest, m->id.hosts, m->id.years);
    for (unsigned p = 0; p < m->npol; p++) {
        fprintf(f, "%s\n  {\"policy\": \"%s\", \"hosts_done\": %llu, \"hosts_unfinished\": %llu, \"outcomes\": {",
                p ? "," : "", m->pol[p], (unsigned long long)t[p].done, (unsigned long long)t[p].unfinished);
        for (unsigned k = 0; k < CM__COUNT; k++) {
            struct rate r = rate_of(m, &t[p], k);
            fprintf(f, "%s\n    \"%s\": {\"total\": %llu, \"hosts_affected\": %llu, \"per_host_year\": %.6g, "
                       "\"ci95\": [%.6g, %.6g], \"per_1000_hosts\": %.6g, \"ci95_1000\": [%.6g, %.6g], "
                       "\"fit_per_host\": %.6g}",
                    k ? "," : "", campaign_metric_name((enum campaign_metric)k),
                    (unsigned long long)t[p].total[k], (unsigned long long)t[p].affected[k], r.per_year, r.lo,
                    r.hi, r.per_year * 1000, r.lo * 1000, r.hi * 1000, r.fit);
        }
        fputs("}}", f);
    }
    fputs("\n]}\n", f);
    return close_out(f, path);
}

/* rates.dat: an outcome per line, per policy its rate per 1,000 hosts and
 * interval; rates.gp draws it with error bars, and the distribution over
 * hosts of the records each host-run made (what dom0 had to handle: it
 * differs between policies, the faults do not) from hosts.csv. */
static int write_plot(const struct merge *m, const struct tally *t, const char *dir)
{
    char path[4096];
    FILE *f = open_out(dir, "rates.dat", path, sizeof(path));
    if (!f)
        return -1;
    fputs("# outcome", f);
    for (unsigned p = 0; p < m->npol; p++)
        fprintf(f, " %s %s_lo95 %s_hi95", m->pol[p], m->pol[p], m->pol[p]);
    fputc('\n', f);
    for (unsigned k = 0; k < CM__COUNT; k++) {
        if (k == CM_CES || k == CM_RECORDS)
            continue; /* other scales: in summary.csv */
        fprintf(f, "%s", campaign_metric_name((enum campaign_metric)k));
        for (unsigned p = 0; p < m->npol; p++) {
            struct rate r = rate_of(m, &t[p], k);
            fprintf(f, " %.6g %.6g %.6g", r.per_year * 1000, r.lo * 1000, r.hi * 1000);
        }
        fputc('\n', f);
    }
    if (close_out(f, path) != 0)
        return -1;
    f = open_out(dir, "rates.gp", path, sizeof(path));
    if (!f)
        return -1;
    fprintf(f, "# gnuplot rates.gp (in this folder): rates.svg and records-per-host.svg\n"
               "set terminal svg size 900,500 dynamic noenhanced\nset output 'rates.svg'\n"
               "set title 'campaign %s: outcomes per 1,000 hosts per year (95%% interval)'\n"
               "set style data histogram\nset style histogram errorbars gap 2 lw 1\nset style fill solid 0.5\n"
               "set logscale y\nset yrange [0.01:*]\nset xtics rotate by -20\nset key top right\n"
               "plot ",
            m->id.name);
    for (unsigned p = 0; p < m->npol; p++)
        fprintf(f, "%s'rates.dat' using %u:%u:%u%s title '%s'", p ? ", " : "", 2 + 3 * p, 3 + 3 * p, 4 + 3 * p,
                p ? "" : ":xtic(1)", m->pol[p]);
    fprintf(f, "\n\nset output 'records-per-host.svg'\nset title 'telemetry records per host-run, over hosts'\n"
               "unset logscale y\nset yrange [0:1]\nset logscale x\nset xrange [1:*]\nset xtics norotate\n"
               "set xlabel 'records of one host-run, plus 1'\nset ylabel 'fraction of hosts with at most x'\n"
               "set datafile separator ','\nset style data lines\nn = %llu\nplot ",
            m->id.hosts);
    for (unsigned p = 0; p < m->npol; p++)
        fprintf(f, "%s'hosts.csv' using (strcol(1) eq '%s' ? ($14 + 1) : NaN):(1.0 / n) smooth cumulative title '%s'",
                p ? ", " : "", m->pol[p], m->pol[p]);
    fputc('\n', f);
    return close_out(f, path);
}

int campaign_merge(char **files, int nfiles, const char *dir)
{
    struct merge m = {0};
    int rc = 0;
    for (int i = 0; i < nfiles && rc == 0; i++)
        rc = merge_file(&m, files[i]);
    for (uint64_t j = 0; rc == 0 && j < m.njobs; j++)
        if (!m.rows[j]) {
            fprintf(stderr, "mcasim campaign merge: policy %s host %llu is in none of the partials "
                            "(hint: give the partials of every shard K/N, K = 1..N)\n",
                    m.pol[j / m.id.hosts], (unsigned long long)(j % m.id.hosts));
            rc = -1;
        }
    if (rc == 0 && !m.rows) {
        fprintf(stderr, "mcasim campaign merge: no partial results given\n");
        rc = -1;
    }
    if (rc == 0 && mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mcasim campaign: cannot create %s: %s\n", dir, strerror(errno));
        rc = -1;
    }
    struct tally t[CAMPAIGN_MAX_POLICIES];
    memset(t, 0, sizeof(t));
    if (rc == 0) {
        tally_rows(&m, t);
        rc = write_hosts(&m, dir) | write_summary_csv(&m, t, dir) | write_summary_json(&m, t, dir) |
             write_plot(&m, t, dir);
    }
    for (uint64_t j = 0; m.rows && j < m.njobs; j++)
        free(m.rows[j]);
    free(m.rows);
    return rc == 0 ? 0 : 2;
}
