/*
 * cmd_campaign.c - `mcasim campaign`: a fleet reliability campaign
 * (docs/CAMPAIGNS.md). Every (policy, host) job runs in a worker process
 * (the SystemC kernel elaborates once per process) that sends its row
 * back through a pipe; -j workers at a time, progress on stderr. A full
 * run writes its rows as one partial and merges it like any other, so a
 * local run and a merge of shards give the same bytes. --host runs one
 * job in this process, with --trace, and prints its row.
 */
#define _DEFAULT_SOURCE /* wait4(): a worker's CPU time and peak RSS for --timings */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/cli/campaign_run.h"
#include "sim/cli/cli.h"
#include "sim/cli/proc_rss.h"
#include "sim/cli/progress.h"
#include "sim/results/expect.h"
#include "sim/results/results_json.h"
#include "sim/runtime/simulate.h"
#include "sim/scenario/scenario_values.h"

struct campaign_opts {
    const char *file, *out, *trace, *policy, *results;
    const char *timings;        /* --timings: per host-run wall, CPU and RSS */
    int jobs, quiet, sharded;
    unsigned shard_k, shard_n;  /* 1/1 when not sharded */
    int have_host;
    uint64_t host;
    uint64_t max_wall_ps;       /* overrides the file's */
    uint64_t max_memory;        /* overrides the file's */
    unsigned keep;              /* bounded run records (rr_set_bounded); 0: all */
    int skip_quiet;             /* --skip-quiet: as the file's skip_quiet: true */
    int fold_rounds;            /* --fold-rounds: as the file's fold_rounds: true */
};

/* What a host-run keeps of its run record by default: the first and last
 * lines of each log, the first records; the rest are counts (a campaign
 * only tabulates outcomes, and a long Xen CMCI round-robin would
 * otherwise keep every record: docs/PERFORMANCE.md). */
#define CAMPAIGN_KEEP 16

static int bad(const char *what, const char *arg, const char *hint)
{
    fprintf(stderr, "mcasim campaign: %s: '%s' (%s)\n", what, arg, hint);
    return -1;
}

enum { O_SHARD = 256, O_HOST, O_POLICY, O_TRACE, O_MAX_WALL, O_MAX_MEMORY, O_KEEP, O_SKIP_QUIET, O_FOLD_ROUNDS, O_TIMINGS, O_RESULTS };

static int parse_opts(int argc, char **argv, struct campaign_opts *o)
{
    static const struct option lo[] = {
        {"out", required_argument, 0, 'o'},   {"jobs", required_argument, 0, 'j'},
        {"shard", required_argument, 0, O_SHARD}, {"host", required_argument, 0, O_HOST},
        {"policy", required_argument, 0, O_POLICY}, {"trace", required_argument, 0, O_TRACE},
        {"results", required_argument, 0, O_RESULTS},
        {"max-wall", required_argument, 0, O_MAX_WALL},
        {"max-memory", required_argument, 0, O_MAX_MEMORY}, {"keep", required_argument, 0, O_KEEP},
        {"quiet", no_argument, 0, 'q'},       {"skip-quiet", no_argument, 0, O_SKIP_QUIET},
        {"fold-rounds", no_argument, 0, O_FOLD_ROUNDS}, {"timings", required_argument, 0, O_TIMINGS},
        {"help", no_argument, 0, 'h'},       {0, 0, 0, 0},
    };
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (struct campaign_opts){.jobs = n > 0 ? (int)n : 1, .shard_k = 1, .shard_n = 1, .keep = CAMPAIGN_KEEP};
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, "o:j:qh", lo, NULL)) != -1;) {
        char *end;
        switch (c) {
        case 'o':
            o->out = optarg;
            break;
        case 'j':
            o->jobs = (int)strtol(optarg, &end, 10);
            if (*end || o->jobs < 1 || o->jobs > 1024)
                return bad("-j", optarg, "a number of workers, 1 to 1024");
            break;
        case O_SHARD:
            if (sscanf(optarg, "%u/%u", &o->shard_k, &o->shard_n) != 2 || o->shard_n < 1 || o->shard_k < 1 ||
                o->shard_k > o->shard_n || o->shard_n > 1000000)
                return bad("--shard", optarg, "K/N with 1 <= K <= N");
            o->sharded = 1;
            break;
        case O_HOST:
            errno = 0;
            o->host = strtoull(optarg, &end, 10);
            if (errno || *end || !*optarg)
                return bad("--host", optarg, "a host index, 0 to hosts-1");
            o->have_host = 1;
            break;
        case O_POLICY:
            o->policy = optarg;
            break;
        case O_TRACE:
            o->trace = optarg;
            break;
        case O_RESULTS:
            o->results = optarg;
            break;
        case O_MAX_WALL:
            if (scv_time(optarg, &o->max_wall_ps) != SCV_OK || !o->max_wall_ps)
                return bad("--max-wall", optarg, "a time above 0 with a unit (" SCV_TIME_UNITS ")");
            break;
        case O_MAX_MEMORY:
            if (scv_size(optarg, &o->max_memory) != SCV_OK || !o->max_memory)
                return bad("--max-memory", optarg, "a size above 0 (" SCV_SIZE_UNITS ")");
            break;
        case O_KEEP:
            if (!parse_keep_value(optarg, &o->keep))
                return bad("--keep", optarg, KEEP_WANT);
            break;
        case 'q':
            o->quiet = 1;
            break;
        case O_SKIP_QUIET:
            o->skip_quiet = 1;
            break;
        case O_FOLD_ROUNDS:
            o->fold_rounds = 1;
            break;
        case O_TIMINGS:
            o->timings = optarg;
            break;
        case 'h':
            usage_campaign();
            exit(0);
        default:
            fprintf(stderr, "Run `mcasim help campaign` for the options.\n");
            return -1;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "mcasim campaign: one campaign file expected (`mcasim help campaign`)\n");
        return -1;
    }
    o->file = argv[optind];
    if (o->timings && o->have_host) {
        fprintf(stderr, "mcasim campaign: --timings goes with the pool, not --host (time the one run: /usr/bin/time)\n");
        return -1;
    }
    if ((o->trace || o->policy || o->results) && !o->have_host) {
        fprintf(stderr, "mcasim campaign: --trace, --results and --policy go with --host\n");
        return -1;
    }
    return 0;
}

static void print_campaign_error(const struct scn_error *err)
{
    fprintf(stderr, "%s:%u:%u: %s\n", err->file, err->line, err->col, err->msg);
    if (err->hint[0])
        fprintf(stderr, "  hint: %s\n", err->hint);
}

/* Every shape's scenario, loaded (and checked) once, with the FIT table
 * the campaign sets for it. */
static int load_shapes(const struct campaign *c, struct scenario *s)
{
    int rc = 0;
    for (unsigned i = 0; i < c->nshapes; i++) {
        if (load_scenario_checked(c->shape[i].path, SCN_FMT_AUTO, 0, &s[i]) != 0) {
            rc = -1;
            continue;
        }
        static struct scn_error err;
        if (campaign_apply_fit(c, i, &s[i], &err) != 0) {
            print_campaign_error(&err);
            rc = -1;
        }
    }
    return rc;
}

/* Run job (policy, host) here and fill its row; 0, or -1 (failed). */
/* The host-run's whole run record as `mcasim run` writes results.json
 * (--results): 0, or -2 when it cannot be written. */
static int write_results(const char *path, const struct scenario *s, const struct run_result *r)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "mcasim campaign: --results: cannot write %s: %s\n", path, strerror(errno));
        return -2;
    }
    struct expect_report rep;
    expect_check(s, r, &rep);
    results_write_json(f, r, &rep);
    expect_report_free(&rep);
    if (fclose(f) != 0) {
        fprintf(stderr, "mcasim campaign: --results: cannot write %s\n", path);
        return -2;
    }
    return 0;
}

/* One host-run: its row, the run record's counts on `counts` (NULL: none)
 * and its results.json at `results` (NULL: none). 0, -1 when the run
 * failed, -2 when an output could not be written. */
static int run_job(const struct campaign *c, struct scenario *shapes, unsigned policy, uint64_t host,
                   const struct sim_outputs *so, char *row, size_t len, FILE *counts, const char *results)
{
    struct scenario *s = &shapes[campaign_shape_of(c, host)];
    campaign_apply(c, policy, s);
    s->seed = campaign_host_seed(c->seed, host);
    struct run_result r;
    if (sim_run(s, s->seed, so, &r) != 0) {
        campaign_row_unfinished(row, len, c, policy, host, "failed");
        return -1;
    }
    campaign_row(row, len, c, policy, host, &r);
    if (counts)
        campaign_record_counts(counts, &r);
    int rc = results ? write_results(results, s, &r) : 0;
    rr_free(&r);
    return rc;
}

/* ---- a host-run's limits (max_wall, max_memory) -------------------------- */

/* ", 29441749 s of 31557600 simulated (93.3 %)": how far a host-run
 * stopped at a limit got (the run's duration: the campaign's, else its
 * scenario's). Empty before the run noted any time. */
static void reached_text(char *buf, size_t len, uint64_t us, rtime_t scn_ps, rtime_t campaign_ps)
{
    rtime_t dur = campaign_ps ? campaign_ps : scn_ps;
    unsigned long long s = (unsigned long long)(us / 1000000u), total = (unsigned long long)(dur / 1000000000000u);
    if (!us)
        buf[0] = '\0';
    else if (total)
        snprintf(buf, len, ", %llu s of %llu simulated (%.1f %%)", s, total, 100.0 * (double)us / ((double)dur / 1e6));
    else
        snprintf(buf, len, ", %llu us simulated", (unsigned long long)us);
}

/* A page the parent shares with the child it forks next, for the
 * simulated time the child reaches (sim_outputs::reached_us); NULL when
 * none could be had (then nothing is said). */
static volatile uint64_t *reached_map(void)
{
    void *page = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return NULL;
    volatile uint64_t *us = (volatile uint64_t *)page;
    *us = 0;
    return us;
}

static void reached_unmap(volatile uint64_t *us)
{
    if (us)
        munmap((void *)us, sizeof(uint64_t));
}

/* In the child: the alarm that stops it at max_wall (whole seconds up). */
static void arm_wall(uint64_t max_wall_ps)
{
    if (max_wall_ps)
        alarm((unsigned)((max_wall_ps + 999999999999ull) / 1000000000000ull));
}

/* In the parent: stop child pid once its resident memory passes max
 * (0: no limit); *over says it was. */
static void check_memory(pid_t pid, uint64_t max, int *over)
{
    if (max && !*over && proc_rss_bytes(pid) > max) {
        *over = 1;
        kill(pid, SIGKILL);
    }
}

/* A child that ended with wait status st: stopped at a limit? */
static int at_limit(int st, int over_memory)
{
    return over_memory || (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM);
}

/* A child that failed (not at a limit): why, on stderr, so a crash is
 * not a silent "failed" row; from the pool, how to re-run it alone. */
static void say_failed(const struct campaign *c, unsigned policy, uint64_t host, int st, bool pool)
{
    char why[96];
    if (WIFSIGNALED(st))
        snprintf(why, sizeof(why), "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
    else
        snprintf(why, sizeof(why), "exit status %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    fprintf(stderr, "mcasim campaign: host-run %s host %llu failed: %s", c->policy[policy].name,
            (unsigned long long)host, why);
    if (pool)
        fprintf(stderr, " (re-run it alone: --host %llu --policy %s)", (unsigned long long)host,
                c->policy[policy].name);
    fputc('\n', stderr);
}

static int run_one_host(const struct campaign_opts *o, const struct campaign *c, struct scenario *shapes)
{
    unsigned policy = 0;
    if (o->policy) {
        for (policy = 0; policy < c->npolicies && strcmp(c->policy[policy].name, o->policy); policy++)
            ;
        if (policy == c->npolicies) {
            fprintf(stderr, "mcasim campaign: --policy: no policy '%s' in %s\n", o->policy, c->path);
            return 2;
        }
    }
    if (o->host >= c->hosts) {
        fprintf(stderr, "mcasim campaign: --host: %llu is not below the fleet's %llu hosts\n",
                (unsigned long long)o->host, (unsigned long long)c->hosts);
        return 2;
    }
    struct sim_outputs so = {.keep = o->keep};
    if (o->trace && !(so.trace = fopen(o->trace, "w"))) {
        fprintf(stderr, "mcasim campaign: --trace: cannot write %s: %s\n", o->trace, strerror(errno));
        return 2;
    }
    uint64_t max_wall = c->max_wall_ps, max_memory = c->max_memory;
    char row[CAMPAIGN_ROW_MAX];
    if (max_wall || max_memory) {
        /* The limits hold here too (a run like host 58 of the fleet file
         * grows without end): the run goes in a child, as in the pool, and
         * a child stopped at a limit gets the pool's row. The child keeps
         * the simulated time it reached in a page both share, so that
         * the parent can say how far it got. */
        so.reached_us = reached_map();
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            fprintf(stderr, "mcasim campaign: cannot start the host-run: %s\n", strerror(errno));
            return 2;
        }
        if (pid == 0) {
            arm_wall(max_wall);
            int rc = run_job(c, shapes, policy, o->host, &so, row, sizeof(row), stderr, o->results);
            if (so.trace && fclose(so.trace) != 0) {
                fprintf(stderr, "mcasim campaign: --trace: cannot write %s\n", o->trace);
                rc = -2;
            }
            printf("%s\n%s\n", CAMPAIGN_ROW_HEADER, row);
            fflush(stdout);
            _exit(rc == 0 ? 0 : rc == -2 ? 2 : 1);
        }
        if (so.trace)
            fclose(so.trace);
        int st, over_memory = 0;
        pid_t got;
        while ((got = waitpid(pid, &st, WNOHANG)) == 0 || (got < 0 && errno == EINTR)) {
            struct timespec ts = {0, 20000000};
            nanosleep(&ts, NULL);
            check_memory(pid, max_memory, &over_memory);
        }
        if (got < 0)
            return 2;
        if (WIFEXITED(st))
            return WEXITSTATUS(st); /* the child said what it could not write */
        int limit = at_limit(st, over_memory);
        const char *status = limit ? "limit" : "failed";
        if (limit) {
            char reached[96] = "";
            if (so.reached_us)
                reached_text(reached, sizeof(reached), *so.reached_us,
                             shapes[campaign_shape_of(c, o->host)].duration_ps, c->duration_ps);
            fprintf(stderr, "mcasim campaign: host %llu stopped at the %s limit%s%s\n", (unsigned long long)o->host,
                    over_memory ? "memory" : "wall", reached, o->trace ? "; its trace ends there" : "");
        } else
            say_failed(c, policy, o->host, st, false);
        reached_unmap(so.reached_us);
        campaign_row_unfinished(row, sizeof(row), c, policy, o->host, status);
        printf("%s\n%s\n", CAMPAIGN_ROW_HEADER, row);
        return 1;
    }
    int rc = run_job(c, shapes, policy, o->host, &so, row, sizeof(row), stderr, o->results);
    if (so.trace && fclose(so.trace) != 0) {
        fprintf(stderr, "mcasim campaign: --trace: cannot write %s\n", o->trace);
        rc = -2;
    }
    printf("%s\n%s\n", CAMPAIGN_ROW_HEADER, row);
    return rc == 0 ? 0 : rc == -2 ? 2 : 1;
}

/* ---- the worker pool --------------------------------------------------------------- */

struct worker {
    pid_t pid;
    int fd;
    uint64_t job;
    struct timespec start;
    int over_memory; /* killed by the pool at max_memory */
    volatile uint64_t *reached_us; /* shared with it: sim_outputs::reached_us */
};

/* What one host-run cost (--timings): not part of any result, since it
 * differs from run to run. */
struct job_cost {
    double wall, user, sys;
    long max_rss_kib;
    const char *status; /* NULL: not run in this shard */
    uint64_t reached_us; /* not done: the simulated time it reached (0: none noted) */
};

static double tv_s(const struct timeval *t)
{
    return (double)t->tv_sec + (double)t->tv_usec / 1e6;
}

/* --timings: a CSV row per host-run of the shard, in job order, into f
 * (opened before the run, so that a bad path costs no campaign). */
static int write_timings(FILE *f, const char *path, const struct campaign *c, const struct job_cost *cost,
                         uint64_t njobs)
{
    fprintf(f, "policy,host,status,wall_s,user_s,sys_s,max_rss_kib,sim_reached_s\n");
    for (uint64_t j = 0; j < njobs; j++) {
        if (!cost[j].status)
            continue;
        char reached[24] = ""; /* a host-run not done: how far it got */
        if (cost[j].reached_us)
            snprintf(reached, sizeof(reached), "%llu", (unsigned long long)(cost[j].reached_us / 1000000u));
        fprintf(f, "%s,%llu,%s,%.3f,%.3f,%.3f,%ld,%s\n", c->policy[j / c->hosts].name,
                (unsigned long long)(j % c->hosts), cost[j].status, cost[j].wall, cost[j].user, cost[j].sys,
                cost[j].max_rss_kib, reached);
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "mcasim campaign: --timings: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

static double since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static int start_worker(const struct campaign *c, struct scenario *shapes, uint64_t job, uint64_t max_wall_ps,
                        unsigned keep, struct worker *w)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    volatile uint64_t *reached = reached_map();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        reached_unmap(reached);
        return -1;
    }
    if (pid == 0) {
        close(p[0]);
        arm_wall(max_wall_ps);
        char row[CAMPAIGN_ROW_MAX];
        struct sim_outputs so = {.keep = keep, .reached_us = reached};
        int rc = run_job(c, shapes, (unsigned)(job / c->hosts), job % c->hosts, &so, row, sizeof(row), NULL, NULL);
        size_t len = strlen(row);
        _exit(write(p[1], row, len) == (ssize_t)len ? (rc == 0 ? 0 : 3) : 4);
    }
    close(p[1]);
    *w = (struct worker){.pid = pid, .fd = p[0], .job = job, .reached_us = reached};
    clock_gettime(CLOCK_MONOTONIC, &w->start);
    return 0;
}

/* Run the jobs of shard k/n, -j at a time; rows[job] filled. Returns the
 * number of unfinished host-runs, or -1. */
static long campaign_pool(const struct campaign_opts *o, const struct campaign *c, struct scenario *shapes,
                          char **rows, struct job_cost *cost, uint64_t njobs)
{
    uint64_t mine = njobs / o->shard_n + (njobs % o->shard_n > o->shard_k - 1u);
    struct progress prog;
    progress_init(&prog, o->quiet, (int)(mine < 0x7fffffff ? mine : 0x7fffffff));
    struct worker *w = calloc((size_t)o->jobs, sizeof(*w));
    if (!w)
        return -1;
    int running = 0;
    long unfinished = 0;
    uint64_t next = o->shard_k - 1u;
    double slowest = 0;
    uint64_t slowest_job = 0;
    uint64_t max_wall = c->max_wall_ps, max_memory = c->max_memory;
    unsigned naps = 0;
    while (next < njobs || running > 0) {
        while (running < o->jobs && next < njobs) {
            if (start_worker(c, shapes, next, max_wall, o->keep, &w[running]) != 0) {
                fprintf(stderr, "mcasim campaign: cannot start a worker: %s\n", strerror(errno));
                free(w);
                return -1;
            }
            running++;
            next += o->shard_n;
        }
        int st;
        struct rusage ru;
        pid_t pid = wait4(-1, &st, WNOHANG, &ru);
        if (pid == 0) {
            struct timespec ts = {0, 2000000};
            nanosleep(&ts, NULL);
            progress_tick(&prog);
            if (max_memory && ++naps % 10 == 0) /* every ~20 ms: /proc reads cost */
                for (int i = 0; i < running; i++)
                    check_memory(w[i].pid, max_memory, &w[i].over_memory);
            continue;
        }
        if (pid < 0)
            break;
        for (int i = 0; i < running; i++) {
            if (w[i].pid != pid)
                continue;
            /* already reaped: read its row, then forget it */
            char buf[CAMPAIGN_ROW_MAX];
            ssize_t n = read(w[i].fd, buf, sizeof(buf) - 1);
            close(w[i].fd);
            double t = since(&w[i].start);
            if (t > slowest) {
                slowest = t;
                slowest_job = w[i].job;
            }
            unsigned policy = (unsigned)(w[i].job / c->hosts);
            uint64_t host = w[i].job % c->hosts;
            int ok = n > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
            if (ok) {
                buf[n] = 0;
            } else {
                const char *status = at_limit(st, w[i].over_memory) ? "limit" : "failed";
                if (!at_limit(st, w[i].over_memory))
                    say_failed(c, policy, host, st, true);
                campaign_row_unfinished(buf, sizeof(buf), c, policy, host, status);
                unfinished++;
            }
            rows[w[i].job] = strdup(buf);
            if (cost)
                cost[w[i].job] = (struct job_cost){.wall = t, .user = tv_s(&ru.ru_utime), .sys = tv_s(&ru.ru_stime),
                                                   .max_rss_kib = ru.ru_maxrss,
                                                   .status = ok ? "done" : at_limit(st, w[i].over_memory) ? "limit"
                                                                                                        : "failed",
                                                   .reached_us = !ok && w[i].reached_us ? *w[i].reached_us : 0};
            reached_unmap(w[i].reached_us);
            progress_done(&prog, ok, c->policy[policy].name);
            w[i] = w[--running];
            break;
        }
    }
    progress_end(&prog);
    free(w);
    /* even with -q: the rates are not the whole fleet's, and the host-runs
     * left out are the ones with the most to simulate (wide faults) */
    if (unfinished > 0)
        fprintf(stderr,
                "mcasim campaign: %ld of %llu host-runs unfinished (their rows say limit or failed): the rates "
                "leave them out (hosts_unfinished); those that reach a limit are those with the most errors\n",
                unfinished, (unsigned long long)mine);
    if (!o->quiet && mine)
        fprintf(stderr, "mcasim campaign: slowest host-run: policy %s host %llu, %.3f s\n",
                c->policy[slowest_job / c->hosts].name, (unsigned long long)(slowest_job % c->hosts), slowest);
    return unfinished;
}

int cmd_campaign(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "merge"))
        return cmd_campaign_merge(argc - 1, argv + 1);
    struct campaign_opts o;
    if (parse_opts(argc, argv, &o) != 0)
        return 2;
    /* both are large (the shapes are whole scenarios): static, off the stack */
    static struct campaign c;
    static struct scn_error err;
    if (campaign_load(o.file, &c, &err) != 0) {
        print_campaign_error(&err);
        return 2;
    }
    /* the command line's settings over the file's, decided once */
    if (o.skip_quiet)
        c.skip_quiet = true;
    if (o.fold_rounds)
        c.fold_rounds = true;
    if (o.max_wall_ps)
        c.max_wall_ps = o.max_wall_ps;
    if (o.max_memory)
        c.max_memory = o.max_memory;
    static struct scenario shapes[CAMPAIGN_MAX_SHAPES];
    memset(shapes, 0, sizeof(shapes));
    if (load_shapes(&c, shapes) != 0)
        return 2;
    if (o.have_host)
        return run_one_host(&o, &c, shapes);
    uint64_t njobs = (uint64_t)c.npolicies * c.hosts;
    FILE *tf = NULL;
    if (o.timings && !(tf = fopen(o.timings, "w"))) {
        fprintf(stderr, "mcasim campaign: --timings: cannot write %s: %s\n", o.timings, strerror(errno));
        return 2;
    }
    char **rows = calloc(njobs, sizeof(*rows));
    struct job_cost *cost = o.timings ? calloc(njobs, sizeof(*cost)) : NULL;
    if (!rows || (o.timings && !cost)) {
        fprintf(stderr, "mcasim campaign: out of memory for %llu host-runs\n", (unsigned long long)njobs);
        free(rows);
        free(cost);
        if (tf)
            fclose(tf);
        return 2;
    }
    char def[SCN_NAME_LEN + 16];
    snprintf(def, sizeof(def), "%s.campaign", c.name);
    const char *out = o.out ? o.out : def;
    char part[4096];
    long unfinished = campaign_pool(&o, &c, shapes, rows, cost, njobs);
    int rc = unfinished < 0 ? 2 : unfinished > 0 ? 1 : 0;
    if (tf && unfinished < 0)
        fclose(tf);
    else if (tf && write_timings(tf, o.timings, &c, cost, njobs) != 0) /* it closes tf */
        rc = 2; /* the results are still written */
    free(cost);
    if (unfinished >= 0) {
        const char *tmp = getenv("TMPDIR");
        if (o.sharded && o.out)
            snprintf(part, sizeof(part), "%s", o.out);
        else if (o.sharded)
            snprintf(part, sizeof(part), "%s.part-%u-of-%u.csv", c.name, o.shard_k, o.shard_n);
        else
            snprintf(part, sizeof(part), "%s/mcasim-campaign.%ld.csv", tmp && *tmp ? tmp : "/tmp", (long)getpid());
        FILE *f = fopen(part, "w");
        if (!f || campaign_write_partial(f, &c, o.shard_k, o.shard_n, rows, njobs) != 0 || fclose(f) != 0) {
            fprintf(stderr, "mcasim campaign: cannot write %s\n", part);
            rc = 2;
        } else if (!o.sharded) {
            char *files[] = {part};
            int m = campaign_merge(files, 1, out);
            unlink(part);
            rc = m ? m : rc;
        }
    }
    for (uint64_t j = 0; j < njobs; j++)
        free(rows[j]);
    free(rows);
    for (unsigned i = 0; i < c.nshapes; i++)
        scenario_free(&shapes[i]);
    return rc;
}
