/* cmd_validate.c - `mcasim validate`: load scenario files, report every
 * problem in each as file:line:column with a hint, run nothing. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli.h"
#include "sim/scenario/scenario.h"

void usage_validate(void)
{
    fputs("usage: mcasim validate FILE|DIR... [options]\n"
          "\n"
          "Check scenario files against the schema of docs/SCENARIOS.md without running\n"
          "them: YAML, or an injector's input (mce-inject, QEMU mce, xen-mceinj, EINJ;\n"
          "see mcasim import). Every problem in a file is printed as FILE:LINE:COL: error: MESSAGE with\n"
          "a hint (the check goes on after an error wherever what follows does not\n"
          "depend on it). A scenario without expectations gets a warning.\n"
          "\n"
          "options:\n"
          "  --strict          a scenario without expect: is an error\n"
          "  --from FORMAT     read every file as FORMAT: yaml, mce-inject, qemu,\n"
          "                    xen-mceinj or einj (default: told from the content)\n"
          "  -h, --help        show this help\n"
          "\n"
          "exit status: 0 all valid, 2 a file is invalid or missing\n",
          stdout);
}

int cmd_validate(int argc, char **argv)
{
    static const struct option longopts[] = {{"strict", no_argument, 0, 's'},
                                             {"from", required_argument, 0, 'f'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    int strict = 0, c;
    enum scn_format fmt = SCN_FMT_AUTO;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 's': strict = 1; break;
        case 'f':
            if ((fmt = parse_format_option("validate", optarg)) == SCN_FMT__COUNT)
                return 2;
            break;
        case 'h': usage_validate(); return 0;
        default: fputs("Try 'mcasim validate --help'.\n", stderr); return 2;
        }
    }
    if (optind >= argc) {
        fputs("mcasim validate: no file given\nTry 'mcasim validate --help'.\n", stderr);
        return 2;
    }
    char **files;
    int n = collect_scenarios(argv + optind, argc - optind, &files);
    if (n <= 0) {
        if (n == 0)
            fputs("mcasim validate: no scenario files found\n", stderr);
        return 2;
    }
    int bad = 0;
    for (int i = 0; i < n; i++) {
        struct scenario s;
        if (load_scenario_checked(files[i], fmt, strict, &s) != 0) {
            bad++;
            continue;
        }
        printf("%s: ok (%s)\n", files[i], s.name);
        scenario_free(&s);
    }
    free_scenarios(files, n);
    return bad ? 2 : 0;
}
