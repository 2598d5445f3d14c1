/*
 * run_pool.c - the supervisor of `mcasim run`: one worker process per
 * run, -j at a time; their ends, the limits on each, and the signals that
 * stop them all.
 *
 * SIGINT, SIGTERM and SIGCHLD are blocked (run_block_signals) and taken
 * with sigtimedwait(), so no handler and no global state is needed: the
 * loop wakes when a worker ends, when a signal arrives, or every POLL_S to
 * check the limits and print progress. On SIGINT or SIGTERM the running
 * workers are stopped (SIGTERM; workers have the default action), every
 * job that did not finish says why, and the caller writes what did finish.
 * A worker past --max-wall or --max-memory (its resident memory, read from
 * /proc) is killed and its run ends "aborted", "limit: ...".
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/cli/proc_rss.h"
#include "sim/cli/progress.h"
#include "sim/cli/run.h"

#define POLL_S 0.1

struct slot {
    pid_t pid;     /* 0: free */
    int job;
    double start;  /* CLOCK_MONOTONIC seconds */
    int fds[W__COUNT]; /* the worker's pieces (run_store.c) */
};

struct pool {
    const struct run_opts *o;
    struct job *jobs;
    int n, next, running;
    struct run_store *store;
    struct slot *slots;
    sigset_t old_mask;
    struct progress prog;
};

const char *run_signal_name(int signo) { return signo == SIGINT ? "SIGINT" : signo == SIGTERM ? "SIGTERM" : "a signal"; }

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void end_job(struct job *j, enum run_end end, const char *outcome, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void end_job(struct job *j, enum run_end end, const char *outcome, const char *fmt, ...)
{
    va_list ap;
    j->res.end = end;
    j->res.passed = 0;
    snprintf(j->res.outcome, sizeof(j->res.outcome), "%s", outcome);
    va_start(ap, fmt);
    vsnprintf(j->res.reason, sizeof(j->res.reason), fmt, ap);
    va_end(ap);
}

static void start(struct pool *p, struct slot *s)
{
    int i = p->next++;
    if (run_store_files(p->store, s->fds) != 0) {
        end_job(&p->jobs[i], END_CRASHED, "error", "cannot create a temporary file: %s", strerror(errno));
        progress_done(&p->prog, 0, p->jobs[i].label);
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, &p->old_mask, NULL);
        _exit(run_worker(p->o, p->n > 1, &p->jobs[i], s->fds));
    }
    if (pid < 0) {
        end_job(&p->jobs[i], END_CRASHED, "error", "cannot start a worker: %s", strerror(errno));
        progress_done(&p->prog, 0, p->jobs[i].label);
        run_store_drop(s->fds);
        return;
    }
    s->pid = pid;
    s->job = i;
    s->start = now_s();
    p->running++;
}

/* What a worker's exit says about its run, unless the pool ended it. */
static void collect(struct pool *p, struct slot *s, int status)
{
    struct job *j = &p->jobs[s->job];
    j->res.wall_s = now_s() - s->start;
    if (j->res.end == END_LIMIT || j->res.end == END_STOPPED) {
        run_store_drop(s->fds);
        return;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_OK) {
        const int kept = run_store_take(p->store, s->job, s->fds, j);
        if (j->res.end != END_DONE)
            end_job(j, END_CRASHED, "error", "the worker left no results");
        else if (kept != 0)
            end_job(j, END_OUTPUT, "error", "its results could not be kept in $TMPDIR");
        return;
    }
    run_store_drop(s->fds);
    if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_SIM_FAILED) {
        end_job(j, END_FAILED, "error", "simulation failed");
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_OUTPUT) {
        end_job(j, END_OUTPUT, "error", "an output could not be written");
    } else if (WIFEXITED(status)) {
        end_job(j, END_CRASHED, "error", "worker exited with status %d", WEXITSTATUS(status));
    } else {
        end_job(j, END_CRASHED, "error", "worker killed by signal %d", WTERMSIG(status));
    }
}

static void reap(struct pool *p)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        for (int k = 0; k < p->o->jobs; k++)
            if (p->slots[k].pid == pid) {
                collect(p, &p->slots[k], status);
                const struct job *j = &p->jobs[p->slots[k].job];
                progress_done(&p->prog, j->res.passed, j->label);
                p->slots[k].pid = 0;
                p->running--;
            }
}

static void enforce_limits(struct pool *p)
{
    const struct run_opts *o = p->o;
    double now = now_s();
    for (int k = 0; k < o->jobs; k++) {
        struct slot *s = &p->slots[k];
        struct job *j = &p->jobs[s->job];
        if (!s->pid || j->res.end == END_LIMIT)
            continue;
        unsigned long long rss = o->max_memory ? proc_rss_bytes(s->pid) : 0;
        if (o->max_wall_ps && (now - s->start) * 1e12 > (double)o->max_wall_ps) {
            end_job(j, END_LIMIT, "aborted", "limit: more than %.3f s of wall-clock time (--max-wall)",
                    (double)o->max_wall_ps / 1e12);
            kill(s->pid, SIGKILL);
        } else if (o->max_memory && rss > o->max_memory) {
            end_job(j, END_LIMIT, "aborted", "limit: %.1f MiB resident, over %.1f MiB (--max-memory)",
                    (double)rss / 1048576.0, (double)o->max_memory / 1048576.0);
            kill(s->pid, SIGKILL);
        }
    }
}

static void stop_all(struct pool *p, int signo)
{
    for (int k = 0; k < p->o->jobs; k++)
        if (p->slots[k].pid) {
            end_job(&p->jobs[p->slots[k].job], END_STOPPED, "stopped", "interrupted by %s",
                    run_signal_name(signo));
            kill(p->slots[k].pid, SIGTERM);
        }
}

/* Wait up to POLL_S for a worker's end or a signal; the signal taken, or 0. */
static int wait_event(const sigset_t *set)
{
    struct timespec ts = {0, (long)(POLL_S * 1e9)};
    siginfo_t info;
    int s = sigtimedwait(set, &info, &ts);
    return s == SIGINT || s == SIGTERM ? s : 0;
}

void run_block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, old);
}

int run_pool(const struct run_opts *o, struct job *jobs, int n, struct run_store *store, const sigset_t *old_mask)
{
    struct pool p = {.o = o, .jobs = jobs, .n = n, .store = store, .old_mask = *old_mask};
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGCHLD);
    p.slots = calloc((size_t)o->jobs, sizeof(*p.slots));
    if (!p.slots)
        abort();
    progress_init(&p.prog, o->quiet, n);
    int signo = 0;
    while (p.running || (!signo && p.next < n)) {
        for (int k = 0; k < o->jobs && !signo && p.next < n; k++)
            if (!p.slots[k].pid)
                start(&p, &p.slots[k]);
        int s = wait_event(&set);
        if (s && !signo) {
            signo = s;
            stop_all(&p, s);
        }
        reap(&p);
        enforce_limits(&p);
        progress_tick(&p.prog);
    }
    progress_end(&p.prog);
    for (int i = p.next; i < n; i++)
        end_job(&jobs[i], END_NOT_RUN, "not run", "interrupted by %s", run_signal_name(signo));
    free(p.slots);
    /* SIGINT and SIGTERM stay blocked: what finished is written before exit. */
    return signo;
}
