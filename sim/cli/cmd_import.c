/*
 * cmd_import.c - `mcasim import FILE...`: the YAML scenario an injector's
 * input stands for (sim/scenario/import.h), to keep and add expectations
 * to. What it prints is exactly what `run` loads for the input, so running
 * the YAML gives the results running the input gives.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/cli/cli.h"
#include "sim/scenario/import.h"

void usage_import(void)
{
    fputs("usage: mcasim import FILE... [options]\n"
          "\n"
          "Print the YAML scenario each input stands for: Linux mce-inject files, QEMU\n"
          "monitor 'mce' lines, xen-mceinj command lines or ACPI EINJ settings, each\n"
          "told from its content (--from to force). The scenario runs on the default\n"
          "platform of imported files (docs/SCENARIOS.md, \"Importing\") and expects\n"
          "nothing: add an expect: block and keep it. Running it gives the results\n"
          "running the input gives. Errors in an input are FILE:LINE:COL: error: ...\n"
          "with a hint.\n"
          "\n"
          "options:\n"
          "  --from FORMAT     mce-inject, qemu, xen-mceinj or einj (default: detect)\n"
          "  -o, --output PATH write the YAML to PATH instead of stdout; with several\n"
          "                    inputs PATH is a folder, and each goes to NAME.yaml\n"
          "  -h, --help        show this help\n"
          "\n"
          "With several inputs and no -o, the scenarios follow each other on stdout,\n"
          "each after a '---' line.\n"
          "\n"
          "exit status: 0 imported, 2 usage error or an input with an error\n",
          stdout);
}

/* Where one input's YAML goes: stdout, PATH, or PATH/NAME.yaml. */
static FILE *open_out(const char *out, int many, const char *file, char *path, size_t len)
{
    if (!out)
        return stdout;
    if (many) {
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        size_t stem = strcspn(base, ".");
        snprintf(path, len, "%s/%.*s.yaml", out, (int)stem, base);
    } else {
        snprintf(path, len, "%s", out);
    }
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "mcasim import: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

static int import_one(const char *file, enum scn_format fmt, const char *out, int many, int first)
{
    char *yaml = NULL;
    size_t ylen = 0;
    struct scn_error err = {0};
    FILE *m = open_memstream(&yaml, &ylen);
    int rc = m ? scn_import_file(file, fmt, m, &err) : -1;
    if (m)
        fclose(m);
    if (rc != 0) {
        scn_error_print(&err, stderr);
    } else {
        char path[4096];
        FILE *f = open_out(out, many, file, path, sizeof(path));
        if (!f) {
            rc = -1;
        } else {
            if (many && !out)
                fputs(first ? "---\n" : "\n---\n", f);
            fputs(yaml, f);
            if ((f != stdout && fclose(f) != 0) || (f == stdout && fflush(f) != 0))
                rc = -1;
        }
    }
    free(yaml);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"from", required_argument, 0, 'f'}, {"output", required_argument, 0, 'o'},
        {"help", no_argument, 0, 'h'},       {0, 0, 0, 0},
    };
    enum scn_format fmt = SCN_FMT_AUTO;
    const char *out = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if ((fmt = parse_format_option("import", optarg)) == SCN_FMT__COUNT)
                return 2;
            break;
        case 'o': out = optarg; break;
        case 'h': usage_import(); return 0;
        default: fputs("Try 'mcasim import --help'.\n", stderr); return 2;
        }
    }
    if (optind >= argc) {
        fputs("mcasim import: no file given\nTry 'mcasim import --help'.\n", stderr);
        return 2;
    }
    int many = argc - optind > 1, bad = 0;
    if (out && many && mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mcasim import: cannot create %s: %s\n", out, strerror(errno));
        return 2;
    }
    for (int i = optind; i < argc; i++)
        bad += import_one(argv[i], fmt, out, many, i == optind) != 0;
    return bad ? 2 : 0;
}
