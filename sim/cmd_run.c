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

#include "sim/cli.h"
#include "sim/expect.h"
#include "sim/json_out.h"
#include "sim/results_json.h"
#include "sim/scenario.h"
#include "sim/simulate.h"
#include "sim/trace_out.h"

struct run_opts {
    int jobs;
    int have_seed;
    uint64_t seed;
    int json;
    int quiet;
    const char *junit;
    const char *trace;
};

/* What a worker reports back about one scenario. */
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
          "their expectations. Every file is validated first; if one is malformed,\n"
          "nothing runs. Prints a table and ends with \"N passed, N failed\".\n"
          "\n"
          "options:\n"
          "  -j, --jobs N      run N scenarios in parallel (default: number of CPUs)\n"
          "  --seed N          override every scenario's seed\n"
          "  --json            print results as a JSON array on stdout (no table)\n"
          "  --junit FILE      write JUnit XML, one test case per scenario\n"
          "  --trace FILE      write the JSON-lines trace; with several scenarios FILE\n"
          "                    is a folder and gets one NAME.jsonl per scenario\n"
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

static int write_trace(const struct run_opts *o, int many, const struct scenario *s,
                       const struct run_result *r)
{
    if (!o->trace)
        return 0;
    char path[4096];
    if (many)
        snprintf(path, sizeof(path), "%s/%s.jsonl", o->trace, s->name);
    else
        snprintf(path, sizeof(path), "%s", o->trace);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "mcasim: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    trace_write_jsonl(f, r);
    return fclose(f) == 0 ? 0 : -1;
}

/* Run one scenario here; write its JSON and summary to the given files. */
static int run_one(const struct run_opts *o, int many, struct scenario *s, FILE *json, FILE *sum)
{
    struct run_result r;
    uint64_t seed = o->have_seed ? o->seed : s->seed;
    if (sim_run(s, seed, &r) != 0) {
        fprintf(sum, "FAIL\nerror\nsimulation failed\n");
        rr_free(&r);
        return -1;
    }
    struct expect_report rep;
    expect_check(s, &r, &rep);
    write_trace(o, many, s, &r);
    results_write_json(json, &r, &rep);
    const struct rr_host *h0 = &r.hosts[0];
    fprintf(sum, "%s\n%s\n%s\n", rep.n ? "FAIL" : "PASS", scn_outcome_name(h0->outcome), h0->reason);
    for (unsigned i = 0; i < rep.n; i++)
        fprintf(sum, "%s:%u:%u: %s\n", s->path, rep.v[i].loc.line, rep.v[i].loc.col, rep.v[i].msg);
    expect_report_free(&rep);
    rr_free(&r);
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (cap - n < 2) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = 0;
    return buf;
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
    char *text = slurp(path);
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

static int summary_path(char *buf, size_t len, const char *dir, int i, const char *ext)
{
    return snprintf(buf, len, "%s/%d.%s", dir, i, ext);
}

/* Child: run scenario i and exit. */
static void child(const struct run_opts *o, struct scenario *s, const char *dir, int i)
{
    char jp[4096], sp[4096];
    summary_path(jp, sizeof(jp), dir, i, "json");
    summary_path(sp, sizeof(sp), dir, i, "sum");
    FILE *json = fopen(jp, "w"), *sum = fopen(sp, "w");
    int rc = json && sum ? run_one(o, 1, s, json, sum) : -1;
    if (json)
        fclose(json);
    if (sum)
        fclose(sum);
    _exit(rc == 0 ? 0 : 3);
}

static int progress_enabled(const struct run_opts *o)
{
    return !o->quiet && !o->json && isatty(STDERR_FILENO) && !getenv("CI");
}

static void run_forked(const struct run_opts *o, struct scenario *scn, int n, const char *dir,
                       struct outcome *res)
{
    pid_t *pids = calloc((size_t)n, sizeof(*pids));
    int next = 0, running = 0, done = 0;
    int show = progress_enabled(o);
    while (done < n) {
        while (running < o->jobs && next < n) {
            fflush(NULL);
            pid_t p = fork();
            if (p == 0)
                child(o, &scn[next], dir, next);
            if (p < 0) {
                res[next].ran = 0;
                snprintf(res[next].reason, sizeof(res[next].reason), "fork failed");
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
            summary_path(sp, sizeof(sp), dir, i, "sum");
            read_summary(sp, &res[i]);
            if (WIFSIGNALED(status))
                snprintf(res[i].reason, sizeof(res[i].reason), "worker killed by signal %d",
                         WTERMSIG(status));
            if (show)
                fprintf(stderr, "\r\033[K[%d/%d] %s %s", done, n, res[i].passed ? "ok  " : "FAIL",
                        scn[i].name);
        }
    }
    if (show)
        fputs("\r\033[K", stderr);
    free(pids);
}

static void xml_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static int write_junit(const char *path, struct scenario *scn, struct outcome *res, int n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "mcasim: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    int failed = 0;
    for (int i = 0; i < n; i++)
        failed += !res[i].passed;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites tests=\"%d\" failures=\"%d\">\n", n, failed);
    fprintf(f, "  <testsuite name=\"mcasim\" tests=\"%d\" failures=\"%d\">\n", n, failed);
    for (int i = 0; i < n; i++) {
        fputs("    <testcase classname=\"mcasim.scenarios\" name=\"", f);
        xml_escape(f, scn[i].name);
        fputs("\" file=\"", f);
        xml_escape(f, scn[i].path);
        fputs("\">\n", f);
        if (!res[i].passed) {
            fputs("      <failure message=\"", f);
            xml_escape(f, res[i].ran ? "expectations not met" : res[i].reason);
            fputs("\">", f);
            xml_escape(f, res[i].failures);
            fputs("</failure>\n", f);
        }
        fputs("      <system-out>outcome: ", f);
        xml_escape(f, res[i].outcome);
        fputs(" ", f);
        xml_escape(f, res[i].reason);
        fputs("</system-out>\n    </testcase>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    return fclose(f) == 0 ? 0 : -1;
}

static void print_table(struct scenario *scn, struct outcome *res, int n)
{
    int passed = 0;
    printf("%-44s %-6s %-9s %s\n", "SCENARIO", "RESULT", "OUTCOME", "REASON");
    for (int i = 0; i < n; i++) {
        passed += res[i].passed;
        printf("%-44s %-6s %-9s %.70s\n", scn[i].name, res[i].passed ? "PASS" : "FAIL",
               res[i].outcome[0] ? res[i].outcome : "-", res[i].reason);
        if (!res[i].passed && res[i].failures)
            printf("%s", res[i].failures);
        else if (!res[i].ran)
            printf("  %s: the run did not complete\n", scn[i].path);
    }
    printf("\n%d passed, %d failed\n", passed, n - passed);
}

static int load_all(char **files, int n, struct scenario *scn)
{
    int bad = 0;
    for (int i = 0; i < n; i++) {
        struct scn_error err;
        if (scenario_load(files[i], &scn[i], &err) != 0) {
            scn_error_print(&err, stderr);
            bad++;
        }
    }
    return bad;
}

static void print_json(const char *dir, int n)
{
    putchar('[');
    for (int i = 0; i < n; i++) {
        char jp[4096];
        summary_path(jp, sizeof(jp), dir, i, "json");
        char *text = slurp(jp);
        printf("%s%s", i ? ",\n" : "\n", text && *text ? text : "null");
        free(text);
    }
    puts("\n]");
}

static void cleanup_dir(const char *dir, int n)
{
    for (int i = 0; i < n; i++) {
        char p[4096];
        summary_path(p, sizeof(p), dir, i, "json");
        unlink(p);
        summary_path(p, sizeof(p), dir, i, "sum");
        unlink(p);
    }
    rmdir(dir);
}

int cmd_run(int argc, char **argv)
{
    struct run_opts o = {0};
    int first = parse_opts(argc, argv, &o);
    if (first < 0)
        return 2;
    char **files;
    int n = collect_scenarios(argv + first, argc - first, &files);
    if (n <= 0) {
        if (n == 0)
            fputs("mcasim run: no scenario files found\n", stderr);
        return 2;
    }
    struct scenario *scn = calloc((size_t)n, sizeof(*scn));
    struct outcome *res = calloc((size_t)n, sizeof(*res));
    int rc = 2;
    if (!scn || !res || load_all(files, n, scn) != 0)
        goto out;
    if (o.trace && n > 1 && mkdir(o.trace, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mcasim: cannot create %s: %s\n", o.trace, strerror(errno));
        goto out;
    }
    char dir[] = "/tmp/mcasim.XXXXXX";
    if (!mkdtemp(dir)) {
        fprintf(stderr, "mcasim: cannot create a temporary folder: %s\n", strerror(errno));
        goto out;
    }
    if (n == 1) {
        char jp[4096], sp[4096];
        summary_path(jp, sizeof(jp), dir, 0, "json");
        summary_path(sp, sizeof(sp), dir, 0, "sum");
        FILE *json = fopen(jp, "w"), *sum = fopen(sp, "w");
        if (json && sum)
            run_one(&o, 0, &scn[0], json, sum);
        if (json)
            fclose(json);
        if (sum)
            fclose(sum);
        read_summary(sp, &res[0]);
    } else {
        run_forked(&o, scn, n, dir, res);
    }
    if (o.json)
        print_json(dir, n);
    else
        print_table(scn, res, n);
    if (o.junit)
        write_junit(o.junit, scn, res, n);
    cleanup_dir(dir, n);
    rc = 0;
    for (int i = 0; i < n; i++)
        if (!res[i].passed)
            rc = 1;
out:
    for (int i = 0; i < n; i++) {
        if (scn)
            scenario_free(&scn[i]);
        if (res)
            free(res[i].failures);
    }
    free(scn);
    free(res);
    free_scenarios(files, n);
    return rc;
}
