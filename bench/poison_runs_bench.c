/*
 * poison_runs_bench.c - poison runs against per-line poison on the 1 TiB
 * host of the fleet campaigns (tests/fold/uc-bank-host.yaml's geometry)
 * with a permanent single-bank UC fault (2^25 lines): each case runs in a
 * forked child, which prints its wall time, peak RSS and scrubber wakes.
 *
 *   per-line N   the scrubber finds the bank's first N lines one by one
 *                (each a DUE, poisoned per line), then the next pass over
 *                those N lines (each wake one poisoned line)
 *   run          the walk folds the whole bank and one memctl_poison_run
 *                poisons it, then the next pass over the bank
 *
 * Usage: poison-runs-bench [N] (default 2^20). docs/PERFORMANCE.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "models/memctl/memctl.h"

#define DAY (24ull * SCRUB_PS_PER_HOUR)

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint64_t setup(struct memctl *mc)
{
    struct memctl_config c = memctl_config_default();
    c.geom = (struct mem_geometry){.channels = 8, .dimms_per_channel = 2, .ranks_per_dimm = 2,
                                   .banks_per_rank = 16, .rows = 262144, .columns = 1024, .device_width = 4,
                                   .ecc_devices = 2};
    c.scrub_period_ps = DAY;
    if (memctl_init(mc, &c) != 0)
        exit(1);
    struct mem_fault f = {.mode = FAULT_SINGLE_BANK, .permanent = true, .bank = 2, .dq_mask = 0x3};
    uint64_t id = memctl_add_fault(mc, &f);
    if (!id)
        exit(1);
    return id;
}

/* The scrubber thread's loop over [from, until): wake at the next time,
 * report what is due; returns the wakes. */
static uint64_t wakes_until(struct memctl *mc, uint64_t until)
{
    uint64_t wakes = 0;
    struct memctl_scrub_event ev;
    for (uint64_t t = memctl_scrub_next_time(mc); t < until; t = memctl_scrub_next_time(mc)) {
        while (memctl_scrub(mc, t, &ev))
            ;
        wakes++;
    }
    return wakes;
}

static void report(const struct memctl *mc, const char *what, uint64_t lines, double ms, uint64_t wakes)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    /* what poison holds: the per-line map's two arrays, the runs */
    uint64_t bytes = mc->poison.lines.cap * 2u * sizeof(uint64_t) + mc->runs.cap * sizeof(struct poison_run) +
                     mc->runs.nout * sizeof(uint64_t);
    printf("%-18s lines %9llu  wall %9.3f ms  maxrss %7ld KiB  poison %10llu B  wakes %8llu  poisoned %llu\n",
           what, (unsigned long long)lines, ms, ru.ru_maxrss, (unsigned long long)bytes, (unsigned long long)wakes,
           (unsigned long long)memctl_poison_count(mc));
    fflush(stdout);
}

static void per_line(uint64_t n)
{
    struct memctl mc;
    setup(&mc);
    struct memctl_scrub_event ev;
    double t0 = now_ms();
    uint64_t found = 0;
    while (found < n && memctl_scrub(&mc, DAY - 1, &ev))
        found++;
    report(&mc, "per-line: pass 0", found, now_ms() - t0, found);
    /* the rest of pass 0 skipped unpoisoned (not measured); pass 1 over
     * the n poisoned lines, up to the last one's time */
    uint64_t last = ev.addr >> MEM_LINE_SHIFT, id = ev.fault_id, l, top, e, e_ps;
    if (scrub_peek(&mc.scrub, &mc.faults, &l, &top))
        (void)scrub_fold(&mc.scrub, &mc.faults, id, DAY - 1, UINT64_MAX, &e, &e_ps);
    t0 = now_ms();
    uint64_t w = wakes_until(&mc, scrubber_line_time(&mc.scrub, 1, last) + 1);
    report(&mc, "per-line: pass 1", found, now_ms() - t0, w);
    memctl_free(&mc);
}

static void as_run(void)
{
    struct memctl mc;
    uint64_t id = setup(&mc);
    double t0 = now_ms();
    uint64_t line, top, last, last_ps;
    if (!scrub_peek(&mc.scrub, &mc.faults, &line, &top))
        exit(1);
    uint64_t n = scrub_fold(&mc.scrub, &mc.faults, id, DAY - 1, UINT64_MAX, &last, &last_ps);
    if (memctl_poison_run(&mc, id, line, last, 0) != 0)
        exit(1);
    mc.ledger.scrub_visits += n;
    report(&mc, "run: pass 0", n, now_ms() - t0, 0);
    t0 = now_ms();
    uint64_t v0 = mc.ledger.scrub_visits;
    uint64_t w = wakes_until(&mc, 2 * DAY);
    struct memctl_scrub_event ev;
    (void)memctl_scrub(&mc, 2 * DAY - 1, &ev);
    report(&mc, "run: pass 1", mc.ledger.scrub_visits - v0, now_ms() - t0, w);
    memctl_free(&mc);
}

int main(int argc, char **argv)
{
    uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : (1ull << 20);
    for (int c = 0; c < 2; c++) {
        pid_t pid = fork();
        if (pid == 0) {
            if (c == 0)
                per_line(n);
            else
                as_run();
            _exit(0);
        }
        int st;
        waitpid(pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            return 1;
    }
    return 0;
}
