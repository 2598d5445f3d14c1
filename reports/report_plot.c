/*
 * report_plot.c - write a report folder from grouped latency rows (and,
 * through report_migration_plot.c, migration rows): the plot kinds in page
 * order, their data files and scripts, the gnuplot runs, then summary.csv
 * (report_csv.c) and index.html (report_html.c).
 *
 * Each plot kind (the `kinds` table) has a prepare function, in
 * report_plot_*.c, that writes its data file NAME.dat into the output
 * folder, in microseconds, and sets the values of its template's
 * placeholders. The script NAME.gp is reports/common.gp (terminals,
 * colours) followed by reports/NAME.gp, both filled (report_script.c); it
 * renders NAME.png and NAME.svg in one gnuplot run, started with fork +
 * execl in the output folder, so no path ever passes through a shell or
 * into a script and a user can re-run it there with `gnuplot NAME.gp`.
 * Strings reach scripts only as quoted gnuplot literals (rep_gp_quote),
 * never inside data files.
 *
 * What C decides and templates do not: binning, which axes are
 * logarithmic (a range of two decades or more), the order of series and
 * bars, and the sizes of images with a variable number of rows. Tables
 * (summary.csv, index.html) are formatted from the data alone, so they are
 * byte-identical between runs; index.html embeds the PNG images so it can
 * be mailed or archived alone.
 */
#include "reports/report_plot_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- a plot's note ---- */

int rp_skip(struct plot *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->note, sizeof(p->note), fmt, ap);
    va_end(ap);
    return 1;
}

/* ---- the plot kinds, in page order ---- */

static const struct plot_kind kinds[RP_NKINDS] = {
    {"cdf", "Latency per stage: cumulative distribution",
     "For each handling stage, the fraction of errors (y) whose stage took at most x. A curve to the left is "
     "faster; a long flat tail before 1.0 is a slow minority. Dotted lines mark p50, p90 and p99.",
     RP_LATENCY, rp_prep_cdf},
    {"hist", "Latency per stage: histograms",
     "One panel per stage: how many errors took how long. Panels whose values span two decades or more have "
     "log-spaced bins (10 a decade) on a log axis.",
     RP_LATENCY, rp_prep_hist},
    {"breakdown", "Where the time goes",
     "One bar per run (scenario, parameter set and CPU count): the mean latency of each stage, stacked in "
     "handling order, with the sum at the end of the bar. On the right, the stages after the signal as shares "
     "of their sum: the handler's own time, which a polled error's long wait for the poller would otherwise "
     "hide. A stage's mean is over the errors that went through it, so the sum need not equal the mean "
     "end_to_end latency.",
     RP_LATENCY, rp_prep_breakdown},
    {"cpus", "Broadcast #MC latency against CPU count",
     "Errors of the classes hardware broadcasts to every CPU (srao, srar, fatal), of all scenarios, grouped by "
     "the host's pCPU count: p50, p90, p99 and max of end_to_end and of the entry rendezvous.",
     RP_LATENCY, rp_prep_cpus},
    {"policy", "Policy against policy",
     "For each scenario and CPU count that ran under two or more parameter sets (sweep points): the "
     "end_to_end latency of each set, as its range (min to max) with p50, p90, p99 and max marked.",
     RP_LATENCY, rp_prep_policy},
    {"migration", "Live migration outcome against the swept parameter",
     "One panel per scenario (and set of its other parameters): each migration at the value of the parameter "
     "its sweep varied (a time in ms, e.g. when the machine check was injected; else the sweep point), on the "
     "row of its outcome, coloured by outcome; the shape says where in the migration the first machine check "
     "on the guest's pages hit (the case, see the table below), and each case also has a row of its own "
     "under the dashed line.",
     RP_MIGRATION, rp_prep_migration},
};

/* ---- data files and scripts ---- */

/* Whether the input has rows of a section; index.html leaves it out if not. */
int rp_section_present(const struct report *r, enum rp_section s)
{
    return s == RP_MIGRATION ? r->d->nmig > 0 : r->d->n > 0;
}

static void prepare_all(struct report *r)
{
    for (unsigned k = 0; k < RP_NKINDS; k++) {
        struct plot *p = &r->plots[k];
        p->kind = &kinds[k];
        if (!rp_section_present(r, kinds[k].section))
            continue;
        int rc = kinds[k].prepare(r, p);
        for (unsigned i = 0; i < p->nsub; i++)
            if (p->val[i].oom)
                rc = -1;
        if (rc == 0 && rp_write_script(r, p) == 0)
            p->state = PLOT_READY;
        else if (rc != 1) {
            p->state = PLOT_FAILED;
            r->failed = 1;
            if (!p->note[0])
                snprintf(p->note, sizeof(p->note), "Not drawn: its data or script could not be written.");
        }
        rp_plot_free(p);
    }
}

/* ---- gnuplot ---- */

/* The gnuplot executable on PATH, into buf; 0 found. */
static int find_gnuplot(char *buf, size_t len)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t k = strcspn(path, ":"); /* an empty entry means the current folder */
        snprintf(buf, len, "%.*s/gnuplot", (int)(k ? k : 1), k ? path : ".");
        struct stat st;
        if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
            return 0;
        path += k + (path[k] == ':');
    }
    return -1;
}

/* Run gnuplot on script in the output folder; its exit status, or -1. */
static int run_gnuplot(const char *gnuplot, const char *dir, const char *script)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, STDIN_FILENO); /* a script never waits for a key */
        if (chdir(dir) == 0)
            execl(gnuplot, "gnuplot", script, (char *)NULL);
        _exit(127);
    }
    int st;
    if (pid < 0)
        return -1;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* 0 all rendered, 3 gnuplot missing or failing. */
static int render_all(struct report *r)
{
    char gnuplot[4096];
    if (find_gnuplot(gnuplot, sizeof(gnuplot)) != 0) {
        fprintf(stderr, "mcasim report: gnuplot not found: install gnuplot-nox (the data, scripts and "
                        "index.html are in %s)\n", r->o->out);
        for (unsigned k = 0; k < RP_NKINDS; k++)
            if (r->plots[k].state == PLOT_READY)
                snprintf(r->plots[k].note, sizeof(r->plots[k].note),
                         "Not rendered: gnuplot was not found. Install gnuplot-nox and run "
                         "<code>gnuplot %s.gp</code> in this folder.", kinds[k].name);
        return 3;
    }
    int rc = 0;
    for (unsigned k = 0; k < RP_NKINDS; k++) {
        struct plot *p = &r->plots[k];
        if (p->state != PLOT_READY)
            continue;
        char script[64];
        snprintf(script, sizeof(script), "%s.gp", kinds[k].name);
        int st = run_gnuplot(gnuplot, r->o->out, script);
        if (st == 0) {
            p->state = PLOT_DONE;
            continue;
        }
        fprintf(stderr, "mcasim report: gnuplot failed on %s/%s (status %d)\n", r->o->out, script, st);
        snprintf(p->note, sizeof(p->note), "Not rendered: gnuplot failed on %s (status %d).", script, st);
        p->state = PLOT_FAILED;
        rc = 3;
    }
    return rc;
}

/* ---- putting it together ---- */

/* mkdir -p: each missing parent, then the folder itself. */
static int make_dirs(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return -1;
    struct stat st;
    if (stat(buf, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

static int group_all(struct report *r)
{
    const struct rep_filter all = {REP_ALL_STAGES, REP_ALL_CLASSES};
    const struct rep_filter bcast = {REP_STAGE_BIT(LS_END_TO_END) | REP_STAGE_BIT(LS_RENDEZVOUS),
                                     REP_BROADCAST_CLASSES};
    const struct rep_filter e2e = {REP_STAGE_BIT(LS_END_TO_END), REP_ALL_CLASSES};
    return rep_group(r->d, RK_STAGE, &all, &r->stages) || rep_group(r->d, RK_CONFIG | RK_STAGE, &all, &r->runs) ||
           rep_group(r->d, RK_CPUS | RK_STAGE, &bcast, &r->bycpus) ||
           rep_group(r->d, RK_CONFIG, &e2e, &r->policy) || rep_mig_group(r->d, &r->mig);
}

/* Group i starts a run (scenario, cpus, params) of groups sorted by run. */
int rp_new_run(const struct rep_groups *gs, size_t i)
{
    return i == 0 || gs->g[i - 1].order != gs->g[i].order || gs->g[i - 1].cpus != gs->g[i].cpus;
}

static void free_groups(struct report *r)
{
    rep_groups_free(&r->stages);
    rep_groups_free(&r->runs);
    rep_groups_free(&r->bycpus);
    rep_groups_free(&r->policy);
    rep_mig_groups_free(&r->mig);
}

int report_render(const struct rep_data *d, const struct report_opts *o)
{
    if (make_dirs(o->out) != 0) {
        fprintf(stderr, "mcasim report: cannot create %s: %s\n", o->out, strerror(errno));
        return 2;
    }
    struct report r;
    memset(&r, 0, sizeof(r));
    r.d = d;
    r.o = o;
    if (group_all(&r)) {
        fputs("mcasim report: out of memory\n", stderr);
        free_groups(&r);
        return 2;
    }
    prepare_all(&r);
    rp_write_summary_csv(&r);
    if (d->nmig)
        rp_write_migration_csv(&r);
    int gp = render_all(&r);
    rp_write_index(&r, gp == 0);
    size_t runs = 0;
    for (size_t i = 0; i < r.runs.n; i++)
        runs += rp_new_run(&r.runs, i);
    for (unsigned k = 0; k < RP_NKINDS; k++)
        rp_cover_free(&r.plots[k]);
    free_groups(&r);
    if (!o->quiet && !r.failed && d->nmig)
        printf("report: %s/index.html (%zu latency rows from %zu runs, %zu migration%s)\n", o->out, d->n, runs,
               d->nmig, d->nmig == 1 ? "" : "s");
    else if (!o->quiet && !r.failed)
        printf("report: %s/index.html (%zu latency rows from %zu runs)\n", o->out, d->n, runs);
    return r.failed ? 2 : gp;
}
