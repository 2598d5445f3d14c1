/*
 * cmd_report.c - `mcasim report RESULTS... -o DIR`: latency and live
 * migration plots (PNG and SVG, rendered by gnuplot from the templates in
 * reports/) and tables from the latency.csv and migration.csv files that
 * `mcasim run --results` writes. Reading and statistics are in
 * report_data.c and report_migration.c, the output folder in report_plot.c
 * and report_migration_plot.c; this file is options and exit status only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli/cli.h"
#include "reports/report_data.h"
#include "reports/report_migration.h"
#include "reports/report_plot.h"

/* The gnuplot templates live in share/mcasim/reports beside the folder of
 * the binary: bin/mcasim of an install, build/sim/mcasim of a build (the
 * build copies them there). No path of the source tree is compiled in. */
#define TEMPLATES_REL "../share/mcasim/reports"

static void default_templates(char *buf, size_t len)
{
    char exe[2048]; /* the folder and the relative path fit the caller's 4096 */
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        snprintf(buf, len, "%s", TEMPLATES_REL);
        return;
    }
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = 0;
    snprintf(buf, len, "%s/%s", exe, TEMPLATES_REL);
}

void usage_report(void)
{
    fputs("usage: mcasim report RESULTS... -o DIR [options]\n"
          "\n"
          "Plot handler latency and tabulate its percentiles, and the outcomes of live\n"
          "migrations. Each RESULTS is a folder written by `mcasim run --results R` (its\n"
          "R/latency.csv and R/migration.csv are read, either may be missing) or a CSV\n"
          "file with the header\n"
          "  scenario,point,params,cpus,error,class,stage,latency_ns\n"
          "and one row per error per stage it went through, or a migration.csv.\n"
          "\n"
          "DIR gets, each image as NAME.png and NAME.svg with its data NAME.dat and\n"
          "gnuplot script NAME.gp:\n"
          "  cdf          latency CDF of every stage, one line per stage\n"
          "  hist         latency histogram of every stage, one panel per stage\n"
          "  breakdown    mean latency per stage, stacked, one bar per run\n"
          "               (scenario, CPU count, parameter set)\n"
          "  cpus         p50/p90/p99/max of end_to_end and rendezvous of srao, srar\n"
          "               and fatal errors against the host's CPU count (needs two or\n"
          "               more CPU counts)\n"
          "  policy       end_to_end per parameter set of each scenario and CPU count\n"
          "               run under two or more (sweep points)\n"
          "  migration    the outcome of each live migration against the value of the\n"
          "               parameter its scenario's sweep varied (times in ms; else\n"
          "               the sweep point), one panel per scenario and set of its\n"
          "               other parameters, shape by case (when migration.csv has rows)\n"
          "and summary.csv and index.html (self-contained, images embedded) with\n"
          "count, p50, p90, p99, max and mean per run and stage, in microseconds;\n"
          "with migrations also migration_table.csv (a row per migration: swept value,\n"
          "outcome, case) and migration_outcomes.csv (outcome counts per scenario).\n"
          "Percentiles are nearest-rank: pN is the sorted value at rank ceil(N*n/100).\n"
          "Axes spanning two decades or more are logarithmic.\n"
          "\n"
          "options:\n"
          "  -o, --output DIR     output folder (required; created with its parents)\n"
          "  --templates DIR      folder of the gnuplot templates (common.gp and one\n"
          "                       NAME.gp per plot; reports/README.md lists their\n"
          "                       placeholders). Default: $MCASIM_REPORTS, else\n"
          "                       " TEMPLATES_REL " beside the mcasim binary\n"
          "  -q, --quiet          no summary line on stdout\n"
          "  -h, --help           show this help\n"
          "\n"
          "Needs gnuplot on PATH (Debian: gnuplot-nox); pngcairo is used when gnuplot\n"
          "has it, else png. Re-render one plot with `gnuplot NAME.gp` inside DIR.\n"
          "\n"
          "exit status: 0 ok; 2 usage error, bad or empty input (FILE:LINE: error:\n"
          "...), or an output that cannot be written; 3 gnuplot not found or failing\n"
          "(everything but the images is still written)\n",
          stdout);
}

struct report_args {
    struct report_opts o;
    int help;
    char templates[4096];
};

static int parse_args(int argc, char **argv, struct report_args *a)
{
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'}, {"templates", required_argument, 0, 't'},
        {"quiet", no_argument, 0, 'q'},        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *env = getenv("MCASIM_REPORTS");
    default_templates(a->templates, sizeof(a->templates));
    a->o.templates = env && *env ? env : a->templates;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': a->o.out = optarg; break;
        case 't': a->o.templates = optarg; break;
        case 'q': a->o.quiet = 1; break;
        case 'h': a->help = 1; return 0;
        default: fputs("Try 'mcasim report --help'.\n", stderr); return -1;
        }
    }
    if (optind >= argc) {
        fputs("mcasim report: no RESULTS given\nTry 'mcasim report --help'.\n", stderr);
        return -1;
    }
    if (!a->o.out || !*a->o.out) {
        fputs("mcasim report: -o DIR is required\nTry 'mcasim report --help'.\n", stderr);
        return -1;
    }
    a->o.inputs = argv + optind;
    a->o.ninputs = (unsigned)(argc - optind);
    return 0;
}

static int load(struct rep_data *d, const struct report_opts *o)
{
    for (unsigned i = 0; i < o->ninputs; i++) {
        struct rep_error err;
        if (rep_read_path(d, o->inputs[i], &err) != 0) {
            rep_error_print(&err, stderr);
            return -1;
        }
    }
    if (!d->n && !d->nmig) {
        fputs("mcasim report: the results hold no latency rows and no migration rows (only headers): nothing to "
              "report\n",
              stderr);
        return -1;
    }
    if (rep_finish(d) != 0) {
        fputs("mcasim report: out of memory\n", stderr);
        return -1;
    }
    return 0;
}

int cmd_report(int argc, char **argv)
{
    struct report_args a = {{0}, 0, ""};
    if (parse_args(argc, argv, &a) != 0)
        return 2;
    if (a.help) {
        usage_report();
        return 0;
    }
    struct rep_data d;
    rep_data_init(&d);
    rep_data_add_table(&d, rep_mig_table());
    int rc = load(&d, &a.o) != 0 ? 2 : report_render(&d, &a.o);
    rep_data_free(&d);
    return rc;
}
