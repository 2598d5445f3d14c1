/*
 * run_opts.c - the options of `mcasim run` and its outputs.
 *
 * Each output is a row of outputs[]: its option, its shape (one file, a
 * file per run, a folder) and who writes it. The option parser, the help
 * and the check that every output can be written before anything runs
 * all read the table, so an output added later (a mcelog text, a console
 * log) is one row here and the code that fills it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/cli/cli.h"
#include "sim/cli/run.h"
#include "sim/runtime/simulate.h"
#include "sim/scenario/scenario_values.h"

static const struct run_output outputs[OUT__COUNT] = {
    [OUT_JUNIT] = {"junit", "FILE", "write JUnit XML, one test case per run (wall time in\n"
                                     "its time attribute: the only wall-clock time mcasim writes)",
                   SHAPE_FILE, FEED_PARENT, NULL, 0, NULL, NULL},
    [OUT_TRACE] = {"trace", "FILE", "write the JSON-lines trace (one event per handling stage,\ntimes in ps)",
                   SHAPE_PER_RUN, FEED_STREAM, ".jsonl", offsetof(struct sim_outputs, trace), NULL, NULL},
    [OUT_PERFETTO] = {"perfetto", "FILE", "write a Chrome/Perfetto trace-event JSON: a track per pCPU\n"
                                           "and dom0 vCPU, slices for handler stages (ui.perfetto.dev)",
                      SHAPE_PER_RUN, FEED_STREAM, ".json", offsetof(struct sim_outputs, perfetto), NULL, NULL},
    [OUT_VCD] = {"vcd", "FILE", "write a VCD of MCA signals (MCIP per CPU, bank VAL bits,\n"
                                 "CMCI lines) for GTKWave, named exactly FILE",
                 SHAPE_PER_RUN, FEED_PATH, ".vcd", offsetof(struct sim_outputs, vcd), NULL, NULL},
    [OUT_RESULTS] = {"results", "DIR", "write results.json, latency.csv (per error and stage),\n"
                                        "points.csv (per run) and migration.csv (per live\n"
                                        "migration) into DIR, for `mcasim report`",
                     SHAPE_FOLDER, FEED_PARENT, NULL, 0, NULL, NULL},
    [OUT_MCELOG] = {"mcelog", "FILE", "write dom0's mcelog: an entry per bank of each record\n"
                                       "dom0 fetched, in mcelog's text (TIME: simulated seconds)",
                    SHAPE_PER_RUN, FEED_RECORD, ".mcelog", 0, run_write_mcelog, NULL},
    [OUT_CONSOLE] = {"console", "FILE", "write the hypervisor's console as Xen prints it: (XEN)\n"
                                         "and each line (console_timestamps=none)",
                     SHAPE_PER_RUN, FEED_RECORD, ".console", 0, run_write_console, NULL},
    [OUT_RASDAEMON] = {"rasdaemon", "FILE", "write an SQLite database with rasdaemon's mce_record\n"
                                             "table: a row per entry of --mcelog",
                       SHAPE_PER_RUN, FEED_RECORD, ".db", 0, run_write_rasdaemon, run_rasdaemon_ready},
};

const struct run_output *run_output(enum run_out id) { return &outputs[id]; }

/* The options that are not outputs; val is what getopt returns. */
enum { OPT_SEED = 256, OPT_JSON, OPT_STRICT, OPT_MAX_WALL, OPT_MAX_MEMORY, OPT_FROM, OPT_KEEP, OPT_OUTPUT0 = 512 };

struct opt_help {
    const char *usage, *help;
};

static const struct opt_help before_outputs[] = {
    {"-j, --jobs N", "run N scenarios in parallel (default: number of CPUs)"},
    {"--seed N", "override every scenario's seed"},
    {"--from FORMAT", "read every file as FORMAT: yaml, mce-inject, qemu,\nxen-mceinj or einj (default auto: each file's\nformat is told from its content)"},
    {"--json", "print results as a JSON array on stdout (no table)"},
};

static const struct opt_help after_outputs[] = {
    {"--strict", "a scenario without expect: is an error (it can never fail)"},
    {"--max-wall TIME", "stop a run after TIME of wall-clock time (e.g. 30s, 10min);\n"
                        "its outcome is aborted: limit"},
    {"--max-memory SIZE", "stop a run whose resident memory passes SIZE (e.g. 2GiB);\n"
                          "its outcome is aborted: limit"},
    {"--keep N|all", "what a run keeps of its record: its first N records and\n"
                     "errors and the first and last N lines of each log, the\n"
                     "rest counted, not kept, so memory stays bounded however\n"
                     "long the run (a million CEs: ~10 MiB with 16, ~800 MiB\n"
                     "with all); the outputs drawn from the record (--results,\n"
                     "--mcelog, --console, --rasdaemon) and the expectations\n"
                     "that name records or lines see the kept ones; counts\n"
                     "and outcomes are whole (default all)"},
    {"-q, --quiet", "no progress (a bar with the time left on a terminal, else a\n"
                    "line every 5 s on stderr)"},
    {"-h, --help", "show this help"},
};

static void print_opt(const char *usage, const char *help)
{
    printf("  %-18s", usage);
    if (strlen(usage) > 17)
        printf("\n  %-18s", "");
    for (const char *p = help; *p; p++) {
        putchar(*p);
        if (*p == '\n')
            printf("  %-18s", "");
    }
    putchar('\n');
}

/* "With several runs, each --trace, ... is a folder ...", the options
 * from the table, wrapped under the help column. */
static void per_run_note(void)
{
    char text[512] = "With several runs, each", *words[64];
    size_t n = strlen(text);
    int k = 0, nper = 0, seen = 0;
    for (int i = 0; i < OUT__COUNT; i++)
        nper += outputs[i].shape == SHAPE_PER_RUN;
    for (int i = 0; i < OUT__COUNT; i++)
        if (outputs[i].shape == SHAPE_PER_RUN) {
            seen++;
            n += (size_t)snprintf(text + n, sizeof(text) - n, " --%s%s", outputs[i].option,
                                  seen == nper ? "" : seen == nper - 1 ? " and" : ",");
        }
    n += (size_t)snprintf(text + n, sizeof(text) - n, " is a folder that gets one file per run, named NAME or "
                                                      "NAME@POINT with the output's extension (");
    seen = 0;
    for (int i = 0; i < OUT__COUNT; i++)
        if (outputs[i].shape == SHAPE_PER_RUN)
            n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s", outputs[i].ext, ++seen == nper ? ")." : ", ");
    for (char *save = NULL, *w = strtok_r(text, " ", &save); w && k < 64; w = strtok_r(NULL, " ", &save))
        words[k++] = w;
    size_t col = 0; /* characters of this line after the indent */
    for (int i = 0; i < k; i++) {
        if (col && col + 1 + strlen(words[i]) > 58) {
            putchar('\n');
            col = 0;
        }
        if (col)
            printf(" %s", words[i]);
        else
            printf("%20s%s", "", words[i]);
        col += (col ? 1 : 0) + strlen(words[i]);
    }
    putchar('\n');
}

void usage_run(void)
{
    fputs("usage: mcasim run FILE|DIR... [options]\n"
          "\n"
          "Run scenario files and check their expectations. A file is YAML (docs/\n"
          "SCENARIOS.md) or an injector's input: mce-inject, QEMU's mce command,\n"
          "xen-mceinj or EINJ settings, told from its content. Folders are searched\n"
          "recursively for *.yaml, *.yml, *.mce, *.qemu, *.xen-mceinj and *.einj.\n"
          "A scenario with a sweep: block runs once per point of\n"
          "the sweep. Every run is a worker process. Every file and sweep value is\n"
          "validated, and every output checked, first; if one is wrong, nothing runs.\n"
          "Prints a table ending with \"N passed, N failed\".\n"
          "\n"
          "options:\n",
          stdout);
    for (size_t i = 0; i < sizeof(before_outputs) / sizeof(before_outputs[0]); i++)
        print_opt(before_outputs[i].usage, before_outputs[i].help);
    for (int i = 0; i < OUT__COUNT; i++) {
        char usage[64];
        snprintf(usage, sizeof(usage), "--%s %s", outputs[i].option, outputs[i].arg);
        print_opt(usage, outputs[i].help);
    }
    per_run_note();
    for (size_t i = 0; i < sizeof(after_outputs) / sizeof(after_outputs[0]); i++)
        print_opt(after_outputs[i].usage, after_outputs[i].help);
    fputs("\n"
          "Temporary files go to $TMPDIR (default /tmp). On SIGINT or SIGTERM the\n"
          "running workers are stopped, what finished is written, marked partial\n"
          "(results/PARTIAL, \"completed\": false, JUnit <skipped>), and mcasim exits\n"
          "130 or 143.\n"
          "\n"
          "exit status: 0 all passed, 1 a scenario failed or was aborted at a limit,\n"
          "2 usage, scenario or output error, 130/143 interrupted\n",
          stdout);
}

static int bad_value(const char *opt, const char *v, const char *want)
{
    fprintf(stderr, "mcasim run: %s wants %s, not '%s'\n", opt, want, v);
    return -1;
}

static int parse_one(int c, const char *arg, struct run_opts *o)
{
    char *end;
    switch (c) {
    case 'j':
        o->jobs = (int)strtol(arg, &end, 10);
        return (*end || o->jobs < 1 || o->jobs > 1024) ? bad_value("-j", arg, "a number from 1 to 1024") : 0;
    case OPT_SEED:
        errno = 0;
        o->seed = strtoull(arg, &end, 0);
        o->have_seed = 1;
        return (*end || errno || arg[0] == '-' || !arg[0]) ? bad_value("--seed", arg, "a non-negative integer")
                                                           : 0;
    case OPT_MAX_WALL:
        return (scv_time(arg, &o->max_wall_ps) != SCV_OK || !o->max_wall_ps)
                   ? bad_value("--max-wall", arg, "a time above 0 with a unit (" SCV_TIME_UNITS ")")
                   : 0;
    case OPT_MAX_MEMORY:
        return (scv_size(arg, &o->max_memory) != SCV_OK || !o->max_memory)
                   ? bad_value("--max-memory", arg, "a size above 0 (" SCV_SIZE_UNITS ")")
                   : 0;
    case OPT_FROM:
        return (o->from = parse_format_option("run", arg)) == SCN_FMT__COUNT ? -1 : 0;
    case OPT_KEEP:
        return parse_keep_value(arg, &o->keep) ? 0 : bad_value("--keep", arg, KEEP_WANT);
    case OPT_JSON: o->json = 1; return 0;
    case OPT_STRICT: o->strict = 1; return 0;
    case 'q': o->quiet = 1; return 0;
    case 'h': usage_run(); exit(0);
    default:
        if (c >= OPT_OUTPUT0 && c < OPT_OUTPUT0 + OUT__COUNT) {
            if (!*arg)
                return bad_value(outputs[c - OPT_OUTPUT0].option, arg, "a file name");
            o->out[c - OPT_OUTPUT0] = arg;
            return 0;
        }
        fputs("Try 'mcasim run --help'.\n", stderr);
        return -1;
    }
}

int run_parse_opts(int argc, char **argv, struct run_opts *o)
{
    struct option longopts[16 + OUT__COUNT] = {
        {"jobs", required_argument, 0, 'j'},          {"seed", required_argument, 0, OPT_SEED},
        {"json", no_argument, 0, OPT_JSON},           {"strict", no_argument, 0, OPT_STRICT},
        {"max-wall", required_argument, 0, OPT_MAX_WALL}, {"max-memory", required_argument, 0, OPT_MAX_MEMORY},
        {"quiet", no_argument, 0, 'q'},               {"help", no_argument, 0, 'h'},
        {"from", required_argument, 0, OPT_FROM},     {"keep", required_argument, 0, OPT_KEEP},
    };
    int k = 10;
    for (int i = 0; i < OUT__COUNT; i++)
        longopts[k++] = (struct option){outputs[i].option, required_argument, 0, OPT_OUTPUT0 + i};
    longopts[k] = (struct option){0, 0, 0, 0};
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = ncpu > 0 ? (int)ncpu : 1;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:qh", longopts, NULL)) != -1)
        if (parse_one(c, optarg, o) != 0)
            return -1;
    if (optind >= argc) {
        fputs("mcasim run: no scenario given\nTry 'mcasim run --help'.\n", stderr);
        return -1;
    }
    return optind;
}

/* ---- can every output be written? ------------------------------------------ */

static int cannot(const struct run_output *r, const char *path, const char *why)
{
    fprintf(stderr, "mcasim run: --%s %s: cannot write: %s\n", r->option, path, why);
    return -1;
}

/* The file can be created or overwritten; a file made only to find out
 * is removed again. */
static int check_file(const struct run_output *r, const char *path)
{
    struct stat st;
    int existed = stat(path, &st) == 0;
    if (existed && S_ISDIR(st.st_mode))
        return cannot(r, path, "it is a folder");
    int fd = open(path, O_WRONLY | O_CREAT, 0666);
    if (fd < 0)
        return cannot(r, path, strerror(errno));
    close(fd);
    if (!existed)
        unlink(path);
    return 0;
}

/* The folder exists or can be made (its parents too), and takes files. */
static int check_folder(const struct run_output *r, const char *path)
{
    char p[4096];
    snprintf(p, sizeof(p), "%s", path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                return cannot(r, path, strerror(errno));
            *s = '/';
        }
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        return cannot(r, path, strerror(errno));
    struct stat st;
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
        return cannot(r, path, "it is not a folder");
    if (access(p, W_OK | X_OK) != 0)
        return cannot(r, path, strerror(errno));
    return 0;
}

int run_check_outputs(const struct run_opts *o, int many)
{
    int bad = 0;
    for (int i = 0; i < OUT__COUNT; i++) {
        const struct run_output *r = &outputs[i];
        if (!o->out[i])
            continue;
        bool folder = r->shape == SHAPE_FOLDER || (r->shape == SHAPE_PER_RUN && many);
        bad |= (folder ? check_folder(r, o->out[i]) : check_file(r, o->out[i])) != 0;
        bad |= r->ready && r->ready() != 0;
    }
    return bad ? -1 : 0;
}

void run_output_path(const struct run_opts *o, enum run_out id, int many, const char *label, char *buf,
                     size_t len)
{
    if (many)
        snprintf(buf, len, "%s/%s%s", o->out[id], label, outputs[id].ext);
    else
        snprintf(buf, len, "%s", o->out[id]);
}
