/*
 * cmd_run.c - `mcasim run`: validate every scenario first (nothing runs if
 * one is malformed), then run each in its own process (the SystemC kernel
 * elaborates once per process), up to -j at a time, check expectations,
 * and print a pass/fail table. A single scenario runs in-process, which is
 * also what Valgrind runs see.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/cli/cli.h"
#include "sim/results/expect.h"
#include "sim/results/json_out.h"
#include "sim/results/results_json.h"
#include "sim/scenario/scenario.h"
#include "sim/runtime/simulate.h"
#include "sim/results/results_csv.h"
#include "sim/scenario/sweep.h"
#include "sim/results/markup_escape.h"
#include "sim/results/text_buf.h"

struct run_opts {
    int jobs;
    int have_seed;
    uint64_t seed;
    int json;
    int quiet;
    const char *junit;
    const char *trace;    /* JSON-lines trace: file, or folder with several runs */
    const char *perfetto; /* Chrome trace-event JSON: same */
    const char *vcd;      /* VCD: same (".vcd" is added) */
    const char *results;  /* folder for results.json and the CSVs of results_csv.h */
};

/* What a worker reports back about one run. */
struct outcome {
    int ran;          /* the worker finished */
    int passed;
    char outcome[16];
    char reason[256];
    unsigned nfail;
    char *failures;   /* "file:line:col: msg\n" lines */
};

void usage_run(void)
{
    fputs("usage: mcasim run FILE|DIR... [options]\n"
          "\n"
          "Run scenario files (folders are searched recursively for *.yaml) and check\n"
          "their expectations. A scenario with a sweep: block runs once per point of\n"
          "the sweep, each point in its own process. Every file and sweep value is\n"
          "validated first; if one is malformed, nothing runs. Prints a table and ends\n"
          "with \"N passed, N failed\"; on a terminal a progress bar shows meanwhile.\n"
          "\n"
          "options:\n"
          "  -j, --jobs N      run N scenarios in parallel (default: number of CPUs)\n"
          "  --seed N          override every scenario's seed\n"
          "  --json            print results as a JSON array on stdout (no table)\n"
          "  --junit FILE      write JUnit XML, one test case per scenario\n"
          "  --trace FILE      write the JSON-lines trace (one event per handling stage,\n"
          "                    times in ps)\n"
          "  --perfetto FILE   write a Chrome/Perfetto trace-event JSON: a track per pCPU\n"
          "                    and dom0 vCPU, slices for handler stages (ui.perfetto.dev)\n"
          "  --vcd FILE        write a VCD of MCA signals (MCIP per CPU, bank VAL bits,\n"
          "                    CMCI lines) for GTKWave; \".vcd\" is added to FILE\n"
          "                    With several runs, each FILE above is a folder that gets\n"
          "                    one file per run, named NAME or NAME@POINT.\n"
          "  --results DIR     write results.json, latency.csv (per error and stage),\n"
          "                    points.csv (per run) and migration.csv (per live\n"
          "                    migration) into DIR, for `mcasim report`\n"
          "  -q, --quiet       no progress line\n"
          "  -h, --help        show this help\n"
          "\n"
          "exit status: 0 all passed, 1 a scenario failed, 2 usage or scenario error\n",
          stdout);
}

static int parse_opts(int argc, char **argv, struct run_opts *o)
{
    static const struct option longopts[] = {
        {"jobs", required_argument, 0, 'j'}, {"seed", required_argument, 0, 's'},
        {"json", no_argument, 0, 'J'},       {"junit", required_argument, 0, 'u'},
        {"trace", required_argument, 0, 't'}, {"quiet", no_argument, 0, 'q'},
        {"perfetto", required_argument, 0, 'p'}, {"vcd", required_argument, 0, 'v'},
        {"results", required_argument, 0, 'r'},
        {"help", no_argument, 0, 'h'},       {0, 0, 0, 0},
    };
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = n > 0 ? (int)n : 1;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:qh", longopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'j':
            o->jobs = (int)strtol(optarg, &end, 10);
            if (*end || o->jobs < 1 || o->jobs > 1024) {
                fprintf(stderr, "mcasim run: -j wants a number from 1 to 1024, not '%s'\n", optarg);
                return -1;
            }
            break;
        case 's':
            errno = 0;
            o->seed = strtoull(optarg, &end, 0);
            if (*end || errno || optarg[0] == '-') {
                fprintf(stderr, "mcasim run: --seed wants a non-negative integer, not '%s'\n", optarg);
                return -1;
            }
            o->have_seed = 1;
            break;
        case 'J': o->json = 1; break;
        case 'u': o->junit = optarg; break;
        case 't': o->trace = optarg; break;
        case 'p': o->perfetto = optarg; break;
        case 'v': o->vcd = optarg; break;
        case 'r': o->results = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'h': usage_run(); exit(0);
        default:
            fputs("Try 'mcasim run --help'.\n", stderr);
            return -1;
        }
    }
    if (optind >= argc) {
        fputs("mcasim run: no scenario given\nTry 'mcasim run --help'.\n", stderr);
        return -1;
    }
    return optind;
}

/* One run: a scenario file at one point of its sweep. */
struct job {
    struct scenario scn;
    unsigned point;
    char params[256];
    char label[SCN_NAME_LEN + 24]; /* NAME, or NAME@POINT in a sweep (a 64-bit point) */
    struct outcome res;
};

/* Per-run output file: PATH itself for a single run, else PATH/LABEL+ext. */
static FILE *open_output(const char *path, int many, const struct job *j, const char *ext, char *name,
                         size_t len)
{
    if (many)
        snprintf(name, len, "%s/%s%s", path, j->label, ext);
    else
        snprintf(name, len, "%s", path);
    FILE *f = fopen(name, "w");
    if (!f)
        fprintf(stderr, "mcasim: cannot write %s: %s\n", name, strerror(errno));
    return f;
}

static void close_output(FILE *f)
{
    if (f)
        fclose(f);
}

/* A worker's pieces in the work folder, one file each: its JSON object,
 * its summary, and its rows of each CSV. */
enum work_file { W_JSON = 0, W_SUM, W_LAT, W_PT, W_MIG, W__COUNT };
static const char *const work_ext[W__COUNT] = {"json", "sum", "lat", "pt", "mig"};

static int work_path(char *buf, size_t len, const char *dir, int i, const char *ext)
{
    return snprintf(buf, len, "%s/%d.%s", dir, i, ext);
}

/* Run job i here; leave its results in the work folder. */
static int run_one(const struct run_opts *o, int many, struct job *j, const char *dir, int i)
{
    char path[4096], vcd[4096];
    FILE *out[W__COUNT];
    int opened = 1;
    for (int k = 0; k < W__COUNT; k++) {
        work_path(path, sizeof(path), dir, i, work_ext[k]);
        out[k] = fopen(path, "w");
        opened &= out[k] != NULL;
    }
    struct sim_outputs so = {0};
    if (o->trace)
        so.trace = open_output(o->trace, many, j, ".jsonl", path, sizeof(path));
    if (o->perfetto)
        so.perfetto = open_output(o->perfetto, many, j, ".json", path, sizeof(path));
    if (o->vcd) {
        if (many)
            snprintf(vcd, sizeof(vcd), "%s/%s", o->vcd, j->label);
        else
            snprintf(vcd, sizeof(vcd), "%s", o->vcd);
        so.vcd = vcd;
    }
    int rc = -1;
    struct run_result r;
    uint64_t seed = o->have_seed ? o->seed : j->scn.seed;
    j->scn.seed = seed; /* every random stream of the run derives from it */
    if (!opened) {
        fprintf(stderr, "mcasim: cannot write into %s\n", dir);
    } else if (sim_run(&j->scn, seed, &so, &r) != 0) {
        fprintf(out[W_SUM], "FAIL\nerror\nsimulation failed\n");
        rr_free(&r);
    } else {
        struct expect_report rep;
        expect_check(&j->scn, &r, &rep);
        results_write_json(out[W_JSON], &r, &rep);
        results_csv_latency(out[W_LAT], &r, j->point, j->params);
        results_csv_point(out[W_PT], &r, j->point, j->params, &rep);
        results_csv_migration(out[W_MIG], &r, j->point, j->params);
        const struct rr_host *h0 = &r.hosts[0];
        fprintf(out[W_SUM], "%s\n%s\n%s\n", rep.n ? "FAIL" : "PASS", scn_outcome_name(h0->outcome), h0->reason);
        for (unsigned k = 0; k < rep.n; k++)
            fprintf(out[W_SUM], "%s:%u:%u: %s\n", j->scn.path, rep.v[k].loc.line, rep.v[k].loc.col, rep.v[k].msg);
        expect_report_free(&rep);
        rr_free(&r);
        rc = 0;
    }
    close_output(so.trace);
    close_output(so.perfetto);
    for (int k = 0; k < W__COUNT; k++)
        close_output(out[k]);
    return rc;
}

/* Next line of *p (which advances), or NULL at the end; keeps empty lines. */
static char *next_line(char **p)
{
    if (!*p || !**p)
        return NULL;
    char *line = *p, *nl = strchr(line, '\n');
    if (nl) {
        *nl = 0;
        *p = nl + 1;
    } else {
        *p = line + strlen(line);
    }
    return line;
}

/* Summary file: PASS|FAIL, outcome, reason, then one failure per line. */
static void read_summary(const char *path, struct outcome *out)
{
    char *text = tb_slurp(path);
    if (!text)
        return;
    char *p = text, *line;
    if ((line = next_line(&p))) {
        out->ran = 1;
        out->passed = !strcmp(line, "PASS");
    }
    if ((line = next_line(&p)))
        snprintf(out->outcome, sizeof(out->outcome), "%s", line);
    if ((line = next_line(&p)))
        snprintf(out->reason, sizeof(out->reason), "%s", line);
    if (*p) {
        out->failures = strdup(p);
        for (char *q = out->failures; q && *q; q++)
            out->nfail += *q == '\n';
    }
    free(text);
}

static int progress_enabled(const struct run_opts *o)
{
    return !o->quiet && !o->json && isatty(STDERR_FILENO) && !getenv("CI");
}

static void progress(int done, int n, const struct job *j)
{
    enum { WIDTH = 30 };
    char bar[WIDTH + 1];
    int fill = n ? done * WIDTH / n : WIDTH;
    for (int k = 0; k < WIDTH; k++)
        bar[k] = k < fill ? '#' : '.';
    bar[WIDTH] = 0;
    fprintf(stderr, "\r\033[K[%s] %d/%d %s %.40s", bar, done, n, j->res.passed ? "ok  " : "FAIL", j->label);
}

static void run_forked(const struct run_opts *o, struct job *jobs, int n, const char *dir)
{
    pid_t *pids = calloc((size_t)n, sizeof(*pids));
    int next = 0, running = 0, done = 0;
    int show = progress_enabled(o);
    if (!pids)
        return;
    while (done < n) {
        while (running < o->jobs && next < n) {
            fflush(NULL);
            pid_t p = fork();
            if (p == 0)
                _exit(run_one(o, 1, &jobs[next], dir, next) == 0 ? 0 : 3);
            if (p < 0) {
                snprintf(jobs[next].res.reason, sizeof(jobs[next].res.reason), "fork failed");
                done++;
            } else {
                pids[next] = p;
                running++;
            }
            next++;
        }
        int status;
        pid_t p = wait(&status);
        if (p < 0)
            break;
        running--;
        done++;
        for (int i = 0; i < n; i++) {
            if (pids[i] != p)
                continue;
            char sp[4096];
            work_path(sp, sizeof(sp), dir, i, "sum");
            read_summary(sp, &jobs[i].res);
            if (WIFSIGNALED(status))
                snprintf(jobs[i].res.reason, sizeof(jobs[i].res.reason), "worker killed by signal %d",
                         WTERMSIG(status));
            if (show)
                progress(done, n, &jobs[i]);
        }
    }
    if (show)
        fputs("\r\033[K", stderr);
    free(pids);
}

static int write_junit(const char *path, const struct job *jobs, int n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "mcasim: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    int failed = 0;
    for (int i = 0; i < n; i++)
        failed += !jobs[i].res.passed;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites tests=\"%d\" failures=\"%d\">\n", n, failed);
    fprintf(f, "  <testsuite name=\"mcasim\" tests=\"%d\" failures=\"%d\">\n", n, failed);
    for (int i = 0; i < n; i++) {
        const struct job *j = &jobs[i];
        fputs("    <testcase classname=\"mcasim.scenarios\" name=\"", f);
        markup_escape(f, j->label);
        fputs("\" file=\"", f);
        markup_escape(f, j->scn.path);
        fputs("\">\n", f);
        if (!j->res.passed) {
            fputs("      <failure message=\"", f);
            markup_escape(f, j->res.ran ? "expectations not met" : j->res.reason);
            fputs("\">", f);
            markup_escape(f, j->res.failures);
            fputs("</failure>\n", f);
        }
        fputs("      <system-out>outcome: ", f);
        markup_escape(f, j->res.outcome);
        fputs(" ", f);
        markup_escape(f, j->res.reason);
        if (j->params[0]) {
            fputs(" params: ", f);
            markup_escape(f, j->params);
        }
        fputs("</system-out>\n    </testcase>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    return fclose(f) == 0 ? 0 : -1;
}

static void print_table(const struct job *jobs, int n)
{
    int passed = 0;
    printf("%-44s %-6s %-9s %s\n", "SCENARIO", "RESULT", "OUTCOME", "REASON");
    for (int i = 0; i < n; i++) {
        const struct job *j = &jobs[i];
        passed += j->res.passed;
        printf("%-44s %-6s %-9s %.70s\n", j->label, j->res.passed ? "PASS" : "FAIL",
               j->res.outcome[0] ? j->res.outcome : "-", j->res.reason);
        if (j->params[0] && !j->res.passed)
            printf("  point %u: %s\n", j->point, j->params);
        if (!j->res.passed && j->res.failures)
            printf("%s", j->res.failures);
        else if (!j->res.ran)
            printf("  %s: the run did not complete\n", j->scn.path);
    }
    printf("\n%d passed, %d failed\n", passed, n - passed);
}

/* Load every file and expand sweeps into jobs; nothing runs if one fails. */
static int build_jobs(char **files, int nfiles, struct job **out, int *njobs)
{
    struct job *jobs = NULL;
    int n = 0, cap = 0, bad = 0;
    for (int f = 0; f < nfiles; f++) {
        struct scenario probe;
        struct scn_error err;
        if (scenario_load(files[f], &probe, &err) != 0) {
            scn_error_print(&err, stderr);
            bad++;
            continue;
        }
        unsigned long long np = sweep_npoints(&probe);
        for (unsigned long long p = 0; p < np; p++) {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                struct job *nj = realloc(jobs, (size_t)cap * sizeof(*nj));
                if (!nj)
                    abort();
                jobs = nj;
            }
            struct job *j = &jobs[n];
            memset(j, 0, sizeof(*j));
            if (np == 1) {
                j->scn = probe;
                memset(&probe, 0, sizeof(probe));
            } else if (scenario_load(files[f], &j->scn, &err) != 0 ||
                       sweep_apply_point(&j->scn, p, j->params, sizeof(j->params), &err) != 0) {
                scn_error_print(&err, stderr);
                scenario_free(&j->scn);
                bad++;
                break;
            }
            j->point = (unsigned)p;
            if (np == 1)
                snprintf(j->label, sizeof(j->label), "%s", j->scn.name);
            else
                snprintf(j->label, sizeof(j->label), "%s@%llu", j->scn.name, p);
            n++;
        }
        scenario_free(&probe);
    }
    *out = jobs;
    *njobs = n;
    return bad;
}

static void print_json(const char *dir, int n, FILE *f)
{
    fputc('[', f);
    for (int i = 0; i < n; i++) {
        char jp[4096];
        work_path(jp, sizeof(jp), dir, i, "json");
        char *text = tb_slurp(jp);
        fprintf(f, "%s%s", i ? ",\n" : "\n", text && *text ? text : "null");
        free(text);
    }
    fputs("\n]\n", f);
}

/* Concatenate the workers' pieces of one CSV under its header. */
static int concat_csv(const char *path, const char *header, const char *dir, int n, const char *ext)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "mcasim: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fputs(header, f);
    for (int i = 0; i < n; i++) {
        char p[4096];
        work_path(p, sizeof(p), dir, i, ext);
        char *text = tb_slurp(p);
        if (text)
            fputs(text, f);
        free(text);
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int write_results_dir(const char *res, const char *dir, int n)
{
    char p[4096];
    if (mkdir(res, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mcasim: cannot create %s: %s\n", res, strerror(errno));
        return -1;
    }
    snprintf(p, sizeof(p), "%s/results.json", res);
    FILE *f = fopen(p, "w");
    if (!f) {
        fprintf(stderr, "mcasim: cannot write %s: %s\n", p, strerror(errno));
        return -1;
    }
    print_json(dir, n, f);
    fclose(f);
    static const struct {
        const char *name, *header;
        enum work_file piece;
    } csvs[] = {
        {"latency.csv", RESULTS_CSV_LATENCY_HEADER, W_LAT},
        {"points.csv", RESULTS_CSV_POINTS_HEADER, W_PT},
        {"migration.csv", RESULTS_CSV_MIGRATION_HEADER, W_MIG}, /* header even when no migration ran */
    };
    for (size_t k = 0; k < sizeof(csvs) / sizeof(csvs[0]); k++) {
        snprintf(p, sizeof(p), "%s/%s", res, csvs[k].name);
        if (concat_csv(p, csvs[k].header, dir, n, work_ext[csvs[k].piece]))
            return -1;
    }
    return 0;
}

static void cleanup_dir(const char *dir, int n)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; k < W__COUNT; k++) {
            char p[4096];
            work_path(p, sizeof(p), dir, i, work_ext[k]);
            unlink(p);
        }
    rmdir(dir);
}

static int make_output_dirs(const struct run_opts *o, int many)
{
    const char *dirs[] = {o->trace, o->perfetto, o->vcd};
    for (size_t i = 0; many && i < sizeof(dirs) / sizeof(dirs[0]); i++)
        if (dirs[i] && mkdir(dirs[i], 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "mcasim: cannot create %s: %s\n", dirs[i], strerror(errno));
            return -1;
        }
    return 0;
}

int cmd_run(int argc, char **argv)
{
    struct run_opts o = {0};
    int first = parse_opts(argc, argv, &o);
    if (first < 0)
        return 2;
    char **files;
    int nfiles = collect_scenarios(argv + first, argc - first, &files);
    if (nfiles <= 0) {
        if (nfiles == 0)
            fputs("mcasim run: no scenario files found\n", stderr);
        return 2;
    }
    struct job *jobs = NULL;
    int n = 0, rc = 2;
    char dir[] = "/tmp/mcasim.XXXXXX";
    if (build_jobs(files, nfiles, &jobs, &n) != 0 || n == 0 || make_output_dirs(&o, n > 1) != 0)
        goto out;
    if (!mkdtemp(dir)) {
        fprintf(stderr, "mcasim: cannot create a temporary folder: %s\n", strerror(errno));
        goto out;
    }
    if (n == 1) {
        char sp[4096];
        run_one(&o, 0, &jobs[0], dir, 0);
        work_path(sp, sizeof(sp), dir, 0, "sum");
        read_summary(sp, &jobs[0].res);
    } else {
        run_forked(&o, jobs, n, dir);
    }
    if (o.json)
        print_json(dir, n, stdout);
    else
        print_table(jobs, n);
    if (o.junit)
        write_junit(o.junit, jobs, n);
    int outputs_ok = !o.results || write_results_dir(o.results, dir, n) == 0;
    cleanup_dir(dir, n);
    rc = outputs_ok ? 0 : 2;
    for (int i = 0; i < n && rc == 0; i++)
        if (!jobs[i].res.passed)
            rc = 1;
out:
    for (int i = 0; i < n; i++) {
        scenario_free(&jobs[i].scn);
        free(jobs[i].res.failures);
    }
    free(jobs);
    free_scenarios(files, nfiles);
    return rc;
}
