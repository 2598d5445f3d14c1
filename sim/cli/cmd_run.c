/*
 * cmd_run.c - `mcasim run`: load and check everything first (every file,
 * every sweep value, every output: if one is wrong, nothing runs, exit 2),
 * run each scenario and sweep point in a worker process, then write the
 * table, JSON, JUnit and results from what the workers left (run_store.c).
 * The parts are in run_*.c (run.h).
 */
#include <signal.h>
#include <stdio.h>

#include "sim/cli/cli.h"
#include "sim/cli/run.h"

/* Everything after the runs; the exit status. */
static int finish(const struct run_opts *o, struct job *jobs, int n, const struct run_store *store, int signo)
{
    int out_bad = 0, failed = 0;
    if (o->json)
        run_print_json(stdout, jobs, n, store);
    else
        run_print_table(jobs, n, signo);
    if (o->out[OUT_JUNIT])
        out_bad |= run_write_junit(o->out[OUT_JUNIT], jobs, n, signo) != 0;
    if (o->out[OUT_RESULTS])
        out_bad |= run_write_results(o->out[OUT_RESULTS], jobs, n, store, signo) != 0;
    for (int i = 0; i < n; i++) {
        out_bad |= jobs[i].res.end == END_OUTPUT;
        failed |= !jobs[i].res.passed;
    }
    if (fflush(stdout) != 0)
        out_bad = 1;
    if (signo)
        return 128 + signo;
    return out_bad ? 2 : failed ? 1 : 0;
}

int cmd_run(int argc, char **argv)
{
    struct run_opts o = {0};
    int first = run_parse_opts(argc, argv, &o);
    if (first < 0)
        return 2;
    char **files;
    int nfiles = collect_scenarios(argv + first, argc - first, &files);
    if (nfiles <= 0) {
        if (nfiles == 0)
            fputs("mcasim run: no scenario files found\n", stderr);
        return 2;
    }
    struct job *jobs = NULL;
    int n = 0, rc = 2;
    struct run_store store;
    sigset_t old_mask;
    if (run_build_jobs(files, nfiles, &o, &jobs, &n) != 0 || n == 0 || run_check_outputs(&o, n > 1) != 0)
        goto out;
    run_block_signals(&old_mask);
    if (run_store_open(&store, n, run_pieces_wanted(&o)) == 0) {
        int signo = run_pool(&o, jobs, n, &store, &old_mask);
        rc = finish(&o, jobs, n, &store, signo);
        run_store_close(&store);
    }
out:
    run_free_jobs(jobs, n);
    free_scenarios(files, nfiles);
    return rc;
}
