/* cmd_validate.c - `mcasim validate`: load scenario files, report every
 * problem as file:line:column with a hint, run nothing. */
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli.h"
#include "sim/scenario/scenario.h"

void usage_validate(void)
{
    fputs("usage: mcasim validate FILE|DIR...\n"
          "\n"
          "Check scenario files against the schema of docs/SCENARIOS.md without running\n"
          "them. Each problem is printed as FILE:LINE:COL: error: MESSAGE with a hint.\n"
          "\n"
          "exit status: 0 all valid, 2 a file is invalid or missing\n",
          stdout);
}

int cmd_validate(int argc, char **argv)
{
    if (argc < 2) {
        fputs("mcasim validate: no file given\nTry 'mcasim validate --help'.\n", stderr);
        return 2;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        usage_validate();
        return 0;
    }
    char **files;
    int n = collect_scenarios(argv + 1, argc - 1, &files);
    if (n <= 0) {
        if (n == 0)
            fputs("mcasim validate: no scenario files found\n", stderr);
        return 2;
    }
    int bad = 0;
    for (int i = 0; i < n; i++) {
        struct scenario s;
        struct scn_error err;
        if (scenario_load(files[i], &s, &err) != 0) {
            scn_error_print(&err, stderr);
            bad++;
            continue;
        }
        printf("%s: ok (%s)\n", files[i], s.name);
        scenario_free(&s);
    }
    free_scenarios(files, n);
    return bad ? 2 : 0;
}
