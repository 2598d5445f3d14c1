/*
 * run.h - the parts of `mcasim run`, internal to sim/cli: its options and
 * outputs (run_opts.c), the runs a command line stands for (run_jobs.c),
 * one run in a worker process (run_worker.c), the supervisor that forks
 * workers, enforces limits and takes signals (run_pool.c), progress
 * (progress.c) and what is written once the runs are over (run_report.c,
 * junit.c). cmd_run.c strings them together.
 *
 * Every run happens in a worker process: the SystemC kernel elaborates
 * once per process, and a worker can be stopped (a signal, a limit)
 * without the parent losing what the others produced. A worker leaves its
 * results as pieces in nameless files the parent opened for it
 * (run_store.c).
 */
#ifndef SIM_CLI_RUN_H
#define SIM_CLI_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "sim/scenario/import.h"
#include "sim/scenario/scenario.h"

/* ---- outputs: one row each in run_outputs[] ---------------------------------- */

enum run_out {
    OUT_JUNIT = 0, OUT_TRACE, OUT_PERFETTO, OUT_VCD, OUT_RESULTS, OUT_MCELOG, OUT_CONSOLE, OUT_RASDAEMON,
    OUT__COUNT
};

enum out_shape {
    SHAPE_FILE,    /* one file for all runs                                      */
    SHAPE_PER_RUN, /* one run: the file itself; several: a folder, NAME[@P].EXT  */
    SHAPE_FOLDER,  /* a folder of files                                          */
};

enum out_feed {
    FEED_PARENT,   /* written by mcasim once every run is over                   */
    FEED_STREAM,   /* a FILE * the simulation streams into (struct sim_outputs)  */
    FEED_PATH,     /* a file name the simulation writes itself (the VCD)         */
    FEED_RECORD,   /* written by the worker from the run's record (write)        */
};

struct run_result;

struct run_output {
    const char *option;   /* the long option, without "--" */
    const char *arg;      /* FILE or DIR, for the help */
    const char *help;     /* lines of help; "\n" separated */
    enum out_shape shape;
    enum out_feed feed;
    const char *ext;      /* SHAPE_PER_RUN: the extension of each run's file */
    size_t sim_field;     /* FEED_STREAM / FEED_PATH: offsetof(struct sim_outputs, ...) */
    /* FEED_RECORD: write the file from the run; 0, or -1 after a message */
    int (*write)(const char *path, const struct run_result *r);
    /* what write needs that may be missing (a library it loads), asked
     * before anything runs: 0, or -1 after a message; NULL: nothing */
    int (*ready)(void);
};

/* The outputs made from a run's record (run_out_text.c, run_out_rasdb.c). */
int run_write_mcelog(const char *path, const struct run_result *r);
int run_write_console(const char *path, const struct run_result *r);
int run_write_rasdaemon(const char *path, const struct run_result *r);
int run_rasdaemon_ready(void);

/* Indexed by enum run_out. */
const struct run_output *run_output(enum run_out id);

/* ---- options --------------------------------------------------------------------- */

struct run_opts {
    int jobs;
    int have_seed;
    uint64_t seed;
    int json, quiet, strict;
    uint64_t max_wall_ps;       /* 0: no limit */
    uint64_t max_memory;        /* bytes of resident memory; 0: no limit */
    unsigned keep;              /* --keep: bounded run records (rr_set_bounded); 0: all */
    enum scn_format from;       /* --from; SCN_FMT_AUTO detects each file's */
    const char *out[OUT__COUNT];
};

/* The index of the first file argument, or -1 after a message (exit 2);
 * --help prints the help and exits 0. */
int run_parse_opts(int argc, char **argv, struct run_opts *o);
/* Every output can be written, checked before anything runs: 0, or -1
 * after a message naming the option and the file. many: several runs. */
int run_check_outputs(const struct run_opts *o, int many);
/* The file a run writes for a per-run output into buf. */
void run_output_path(const struct run_opts *o, enum run_out id, int many, const char *label, char *buf,
                     size_t len);

/* ---- runs ------------------------------------------------------------------------ */

/* How a run ended, as the parent saw it. */
enum run_end {
    END_NOT_RUN = 0, /* never started (interrupted first)                      */
    END_DONE,        /* the worker finished and wrote its results             */
    END_FAILED,      /* the simulation failed (an exception in the kernel)     */
    END_OUTPUT,      /* an output could not be written                         */
    END_LIMIT,       /* stopped at --max-wall or --max-memory                  */
    END_STOPPED,     /* stopped by the signal that interrupted mcasim          */
    END_CRASHED,     /* the worker died otherwise                              */
};

struct outcome {
    enum run_end end;
    int passed;
    char outcome[16];
    char reason[256];
    unsigned nfail;
    char *failures;   /* "file:line:col: msg\n" lines */
    double wall_s;    /* fork to reap (JUnit's time attribute only) */
};

/* One run: a scenario file at one point of its sweep. */
struct job {
    struct scenario scn;
    unsigned point;
    char params[256];
    char label[SCN_NAME_LEN + 24];  /* NAME, or NAME@POINT in a sweep */
    char classname[256];            /* the scenario's folder, dotted (JUnit) */
    struct outcome res;
};

/* Load every file and expand sweeps into jobs. Returns the number of files
 * that failed to load (each reported), 0 when all loaded. */
int run_build_jobs(char **files, int nfiles, const struct run_opts *o, struct job **out, int *njobs);
void run_free_jobs(struct job *jobs, int n);

/* ---- the pieces ------------------------------------------------------------------ */

/* What a worker leaves: its JSON object, its summary, its rows of each CSV. */
enum work_file { W_JSON = 0, W_SUM, W_LAT, W_PT, W_MIG, W__COUNT };

struct run_piece {
    off_t off;
    size_t len;
};

/* The finished runs' pieces: one nameless file per kind wanted (W_SUM:
 * none, it is read into the job), each run's piece at at[i * W__COUNT +
 * kind]. wanted: a bit per kind. */
struct run_store {
    unsigned wanted;
    int kind[W__COUNT];
    off_t size[W__COUNT];
    struct run_piece *at;
};

/* The pieces the outputs asked for read (a bit per kind): the summary
 * always, the JSON object for --json and --results, the CSV rows for
 * --results. */
unsigned run_pieces_wanted(const struct run_opts *o);
/* Before the runs: 0, or -1 after a message (no file in $TMPDIR). */
int run_store_open(struct run_store *s, int n, unsigned wanted);
void run_store_close(struct run_store *s);
/* A worker's files, one per kind wanted (else -1), opened before its
 * fork: 0, or -1 with errno. */
int run_store_files(const struct run_store *s, int fds[W__COUNT]);
void run_store_drop(int fds[W__COUNT]);
/* After worker i ended well: its summary into *j, its pieces kept; the
 * files closed. 0, or -1 when a piece could not be kept. */
int run_store_take(struct run_store *s, int i, int fds[W__COUNT], struct job *j);
/* Run i's piece of a kind, NUL-terminated and malloc'd; NULL: none. */
char *run_store_piece(const struct run_store *s, int i, enum work_file k);

/* In a worker: run job i, writing its pieces to fds (-1: a piece not
 * wanted). The worker's exit code. */
enum { WORKER_OK = 0, WORKER_SIM_FAILED = 3, WORKER_OUTPUT = 4 };
int run_worker(const struct run_opts *o, int many, struct job *j, const int fds[W__COUNT]);
/* The fields that end every run's JSON object, after a comma: the sweep
 * point, its parameters, whether it completed, version and commit. */
void run_json_identity(FILE *f, const struct job *j, int completed);
/* A worker's summary (text, cut into lines; NULL: none) into j->res. */
void run_read_summary(char *text, struct job *j);

/* Block SIGINT, SIGTERM and SIGCHLD (taken by run_pool with sigtimedwait);
 * *old is the mask workers get back. */
void run_block_signals(sigset_t *old);
/* Run every job in workers, -j at a time, with the signals blocked.
 * Returns 0, or the signal (SIGINT, SIGTERM) that interrupted the runs:
 * the running workers are stopped, and jobs not finished say so in their
 * outcome. The signals stay blocked. */
int run_pool(const struct run_opts *o, struct job *jobs, int n, struct run_store *store, const sigset_t *old_mask);
/* "SIGINT", "SIGTERM" */
const char *run_signal_name(int signo);

/* ---- after the runs -------------------------------------------------------------- */

/* The table on stdout; signo != 0 says the runs were interrupted. */
void run_print_table(const struct job *jobs, int n, int signo);
/* The JSON array of every run (a run that did not finish: "completed": false). */
void run_print_json(FILE *f, const struct job *jobs, int n, const struct run_store *store);
/* --results DIR; 0 or -1 after a message. */
int run_write_results(const char *res, const struct job *jobs, int n, const struct run_store *store, int signo);
/* --junit FILE; 0 or -1 after a message. */
int run_write_junit(const char *path, const struct job *jobs, int n, int signo);

/* The version, and the commit mcasim was built from ("unknown" outside a git
 * checkout): build/generated/mcasim_version.c (scripts/version.cmake). */
const char *mcasim_version(void);
const char *mcasim_commit(void);

#endif
