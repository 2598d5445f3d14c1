/*
 * scenario_check.c - loading a scenario file for a command, in any format
 * mcasim reads (YAML or an injector's input, sim/scenario/import.h): every
 * error in it printed (the loader goes on after an error where it can), and the
 * warning for a scenario that expects nothing, which --strict makes an
 * error: a scenario that can never fail proves nothing in CI. And the
 * options more than one command reads (--from, --keep).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/cli.h"

int load_scenario_checked(const char *path, enum scn_format fmt, int strict, struct scenario *s)
{
    struct scn_errors errs = {0};
    if (scenario_load_as(path, fmt, s, &errs) != 0) {
        for (unsigned i = 0; i < errs.n; i++)
            scn_error_print(&errs.v[i], stderr);
        if (errs.n >= 100)
            fprintf(stderr, "%s: too many errors; the rest of the file was not checked\n", path);
        scn_errors_free(&errs);
        return -1;
    }
    scn_errors_free(&errs);
    if (!scenario_checks_nothing(s))
        return 0;
    fprintf(stderr, "%s: %s: '%s' has no expect: block; it can fail only on the invariants\n", path,
            strict ? "error" : "warning", s->name);
    fputs("  hint: add expectations (docs/SCENARIOS.md, Expect), e.g. expect: {host: {outcome: running}}\n", stderr);
    if (!strict)
        return 0;
    scenario_free(s);
    return -1;
}

enum scn_format parse_format_option(const char *cmd, const char *arg)
{
    enum scn_format f = scn_format_from_name(arg);
    if (f == SCN_FMT__COUNT)
        fprintf(stderr, "mcasim %s: --from wants one of %s, not '%s'\n", cmd, scn_format_list(), arg);
    return f;
}

bool parse_keep_value(const char *arg, unsigned *keep)
{
    if (!strcmp(arg, "all")) {
        *keep = 0;
        return true;
    }
    char *end;
    errno = 0;
    long n = strtol(arg, &end, 10);
    if (errno || *end || n < 1 || n > 1000000)
        return false;
    *keep = (unsigned)n;
    return true;
}
