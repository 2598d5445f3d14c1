/*
 * run_report.c - what `mcasim run` writes once the runs are over: the
 * table on stdout, the JSON array, and the --results folder, assembled
 * from the pieces the workers left in the work folder.
 *
 * A run that did not finish (interrupted, aborted at a limit, a worker
 * that died) is still in every output, said to be so: a table row with
 * its reason, a JSON object with "completed": false, and, when mcasim was
 * interrupted, a PARTIAL file in the results folder.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/cli/run.h"
#include "sim/results/json_out.h"
#include "sim/results/results_csv.h"
#include "sim/results/text_buf.h"

static const char *result_word(const struct outcome *r)
{
    if (r->end == END_DONE)
        return r->passed ? "PASS" : "FAIL";
    return r->end == END_NOT_RUN || r->end == END_STOPPED ? "-" : "FAIL";
}

void run_print_table(const struct job *jobs, int n, int signo)
{
    int passed = 0, notrun = 0;
    printf("%-44s %-6s %-9s %s\n", "SCENARIO", "RESULT", "OUTCOME", "REASON");
    for (int i = 0; i < n; i++) {
        const struct job *j = &jobs[i];
        const struct outcome *r = &j->res;
        passed += r->end == END_DONE && r->passed;
        notrun += r->end == END_NOT_RUN || r->end == END_STOPPED;
        printf("%-44s %-6s %-9s %.70s\n", j->label, result_word(r), r->outcome[0] ? r->outcome : "-", r->reason);
        if (j->params[0] && !r->passed)
            printf("  point %u: %s\n", j->point, j->params);
        if (r->end == END_DONE && !r->passed && r->failures)
            printf("%s", r->failures);
        else if (r->end != END_DONE && r->end != END_NOT_RUN && r->end != END_STOPPED)
            printf("  %s: the run did not complete: %s\n", j->scn.path, r->reason);
    }
    printf("\n%d passed, %d failed", passed, n - passed - notrun);
    if (signo)
        printf(", %d not run or stopped (interrupted by %s)", notrun, run_signal_name(signo));
    printf("\n");
}

/* A run without results: who it was and why. */
static void write_unfinished(FILE *f, const struct job *j)
{
    int first = 1;
    fputc('{', f);
    json_kv_str(f, &first, "scenario", j->scn.name);
    json_kv_str(f, &first, "file", j->scn.path);
    json_kv_u64(f, &first, "seed", j->scn.seed);
    json_kv_bool(f, &first, "passed", 0);
    json_kv_str(f, &first, "outcome", j->res.outcome);
    json_kv_str(f, &first, "reason", j->res.reason);
    run_json_identity(f, j, 0);
    fputc('}', f);
}

void run_print_json(FILE *f, const struct job *jobs, int n, const struct run_store *store)
{
    fputc('[', f);
    for (int i = 0; i < n; i++) {
        char *text = jobs[i].res.end == END_DONE ? run_store_piece(store, i, W_JSON) : NULL;
        fputs(i ? ",\n" : "\n", f);
        if (text && *text)
            fputs(text, f);
        else
            write_unfinished(f, &jobs[i]);
        free(text);
    }
    fputs("\n]\n", f);
}

/* Concatenate the finished workers' pieces of one CSV under its header. */
static int concat_csv(const char *path, const char *header, const struct job *jobs, int n,
                      const struct run_store *store, enum work_file piece)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(header, f);
    for (int i = 0; i < n; i++) {
        if (jobs[i].res.end != END_DONE)
            continue;
        char *text = run_store_piece(store, i, piece);
        if (text)
            fputs(text, f);
        free(text);
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int write_partial_mark(const char *res, const struct job *jobs, int n, int signo)
{
    char p[4096];
    int done = 0;
    for (int i = 0; i < n; i++)
        done += jobs[i].res.end == END_DONE;
    snprintf(p, sizeof(p), "%s/PARTIAL", res);
    FILE *f = fopen(p, "w");
    if (!f)
        return -1;
    fprintf(f, "interrupted by %s: %d of %d runs completed; results.json marks the others \"completed\": false\n",
            run_signal_name(signo), done, n);
    return fclose(f) == 0 ? 0 : -1;
}

int run_write_results(const char *res, const struct job *jobs, int n, const struct run_store *store, int signo)
{
    char p[4096];
    static const struct {
        const char *name, *header;
        enum work_file piece;
    } csvs[] = {
        {"latency.csv", RESULTS_CSV_LATENCY_HEADER, W_LAT},
        {"points.csv", RESULTS_CSV_POINTS_HEADER, W_PT},
        {"migration.csv", RESULTS_CSV_MIGRATION_HEADER, W_MIG}, /* header even when no migration ran */
    };
    snprintf(p, sizeof(p), "%s/results.json", res);
    FILE *f = fopen(p, "w");
    int bad = !f;
    if (f) {
        run_print_json(f, jobs, n, store);
        bad |= fclose(f) != 0;
    }
    for (size_t k = 0; !bad && k < sizeof(csvs) / sizeof(csvs[0]); k++) {
        snprintf(p, sizeof(p), "%s/%s", res, csvs[k].name);
        bad |= concat_csv(p, csvs[k].header, jobs, n, store, csvs[k].piece) != 0;
    }
    snprintf(p, sizeof(p), "%s/PARTIAL", res);
    if (!bad && signo)
        bad |= write_partial_mark(res, jobs, n, signo) != 0;
    else if (!signo)
        remove(p); /* a PARTIAL left by an earlier, interrupted run into the same folder */
    if (bad)
        fprintf(stderr, "mcasim run: --results %s: cannot write %s: %s\n", res, p, strerror(errno));
    return bad ? -1 : 0;
}
