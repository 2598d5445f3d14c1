/*
 * cmd_report.c - `mcasim report RESULTS... -o DIR`: latency plots (PNG and
 * SVG, via gnuplot and the templates in reports/) and tables from the
 * latency.csv files that `mcasim run --results` writes.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/cli.h"
#include "sim/report_data.h"
#include "sim/report_plot.h"

#ifndef MCASIM_REPORTS_DIR
#define MCASIM_REPORTS_DIR "reports"
#endif

void usage_report(void)
{
    fputs("usage: mcasim report RESULTS... -o DIR [options]\n"
          "\n"
          "Render latency reports from the results of `mcasim run --results R`: each\n"
          "RESULTS is such a folder R or a latency.csv. DIR gets, as PNG and SVG:\n"
          "  cdf, hist     latency CDF and histogram of every handling stage\n"
          "  breakdown     mean time per stage, stacked, one bar per scenario run\n"
          "  cpus          broadcast #MC latency against pCPU count (when the results\n"
          "                hold several CPU counts, e.g. a sweep over cpus)\n"
          "  policy-N      end-to-end CDF per parameter set of a swept scenario\n"
          "and summary.csv and index.html with p50/p90/p99/max per stage (nearest rank).\n"
          "\n"
          "options:\n"
          "  -o, --output DIR      output folder (required; created)\n"
          "  --templates DIR       gnuplot templates (default: " MCASIM_REPORTS_DIR ",\n"
          "                        or $MCASIM_REPORTS)\n"
          "  -h, --help            show this help\n"
          "\n"
          "exit status: 0 ok, 2 bad input or output, 3 gnuplot missing or failed\n"
          "(data, scripts and index.html are still written)\n",
          stdout);
}

int cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'},
        {"templates", required_argument, 0, 't'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    struct report_opts o = {0};
    o.templates = getenv("MCASIM_REPORTS") ? getenv("MCASIM_REPORTS") : MCASIM_REPORTS_DIR;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o.out = optarg; break;
        case 't': o.templates = optarg; break;
        case 'h': usage_report(); return 0;
        default: fputs("Try 'mcasim report --help'.\n", stderr); return 2;
        }
    }
    if (!o.out || optind >= argc) {
        fputs("mcasim report: give RESULTS... and -o DIR\nTry 'mcasim report --help'.\n", stderr);
        return 2;
    }
    struct report_data d = {0};
    for (int i = optind; i < argc; i++) {
        char err[512];
        if (report_load(&d, argv[i], err, sizeof(err)) != 0) {
            fprintf(stderr, "mcasim report: %s\n", err);
            report_free(&d);
            return 2;
        }
    }
    if (!d.n) {
        fputs("mcasim report: the results hold no latency rows\n", stderr);
        report_free(&d);
        return 2;
    }
    int rc = report_render(&d, &o);
    if (rc == 0)
        printf("report: %s/index.html\n", o.out);
    report_free(&d);
    return rc;
}
