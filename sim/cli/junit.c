/*
 * junit.c - `mcasim run --junit FILE`: one <testcase> per run, as CI
 * servers read them.
 *
 * The classname is the scenario's folder (scenarios.basic), the name the
 * run's label (NAME or NAME@POINT), the time attribute the run's wall-clock
 * seconds: the one place mcasim writes wall-clock time, so that every
 * other output stays byte-identical between runs. Text goes through
 * markup_escape(), so the file is valid XML whatever a reason or a failure
 * message holds. A run that did not finish is a <failure> (aborted at a
 * limit, a dead worker) or, when mcasim was interrupted, <skipped>; the
 * suite then carries a "partial" property.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli/run.h"
#include "sim/results/markup_escape.h"

static void attr(FILE *f, const char *name, const char *value)
{
    fprintf(f, " %s=\"", name);
    markup_escape(f, value);
    fputc('"', f);
}

static int skipped(const struct outcome *r) { return r->end == END_NOT_RUN || r->end == END_STOPPED; }

static void testcase(FILE *f, const struct job *j)
{
    const struct outcome *r = &j->res;
    char time[32];
    snprintf(time, sizeof(time), "%.3f", r->wall_s);
    fputs("    <testcase", f);
    attr(f, "classname", j->classname);
    attr(f, "name", j->label);
    attr(f, "file", j->scn.path);
    attr(f, "time", time);
    fputs(">\n", f);
    if (skipped(r)) {
        fputs("      <skipped", f);
        attr(f, "message", r->reason);
        fputs("/>\n", f);
    } else if (!r->passed) {
        char msg[300];
        snprintf(msg, sizeof(msg), "%s", r->end == END_DONE ? "expectations not met" : r->reason);
        fputs("      <failure", f);
        attr(f, "message", msg);
        fputc('>', f);
        markup_escape(f, r->end == END_DONE ? r->failures : r->reason);
        fputs("</failure>\n", f);
    }
    fputs("      <system-out>outcome: ", f);
    markup_escape(f, r->outcome);
    fputs(" ", f);
    markup_escape(f, r->reason);
    if (j->params[0]) {
        fputs(" params: ", f);
        markup_escape(f, j->params);
    }
    fputs("</system-out>\n    </testcase>\n", f);
}

int run_write_junit(const char *path, const struct job *jobs, int n, int signo)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "mcasim run: --junit %s: cannot write: %s\n", path, strerror(errno));
        return -1;
    }
    int failed = 0, skip = 0;
    double total = 0;
    for (int i = 0; i < n; i++) {
        skip += skipped(&jobs[i].res);
        failed += !skipped(&jobs[i].res) && !jobs[i].res.passed;
        total += jobs[i].res.wall_s;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites tests=\"%d\" failures=\"%d\" skipped=\"%d\" time=\"%.3f\">\n", n, failed, skip, total);
    fprintf(f, "  <testsuite name=\"mcasim\" tests=\"%d\" failures=\"%d\" skipped=\"%d\" time=\"%.3f\">\n", n,
            failed, skip, total);
    fputs("    <properties>\n      <property name=\"mcasim.version\"", f);
    attr(f, "value", mcasim_version());
    fputs("/>\n      <property name=\"mcasim.commit\"", f);
    attr(f, "value", mcasim_commit());
    fputs("/>\n", f);
    if (signo) {
        fputs("      <property name=\"partial\"", f);
        attr(f, "value", signo ? run_signal_name(signo) : "");
        fputs("/>\n", f);
    }
    fputs("    </properties>\n", f);
    for (int i = 0; i < n; i++)
        testcase(f, &jobs[i]);
    fputs("  </testsuite>\n</testsuites>\n", f);
    if (fclose(f) != 0) {
        fprintf(stderr, "mcasim run: --junit %s: cannot write: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}
