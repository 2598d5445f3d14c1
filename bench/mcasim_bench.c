/*
 * mcasim_bench.c - `mcasim-bench`: the simulator's performance figures.
 *
 * Each measured case runs in a child process of its own, because the
 * SystemC kernel elaborates once per process (sim/runtime/simulate.h). Most cases
 * are built here: a small YAML text is loaded with scenario_load_string()
 * (so every default comes from the real loader), generated events are put
 * in its place where a file would be too large (distinct fault addresses),
 * and the forked child calls sim_run(). The scenario library case execs
 * the `mcasim` binary instead. The parent measures host time with
 * CLOCK_MONOTONIC from fork to reap and peak RSS with wait4()'s ru_maxrss;
 * the child reports through a pipe what the run did (trace events, thread
 * activations counted by bench_hooks.cpp, records logged and dropped) and
 * how long its load and sim_run() phases took. Nothing is written to disk
 * but the library case's temporary results folder, removed afterwards.
 * Figures are printed as a table; docs/PERFORMANCE.md explains them.
 */
#define _DEFAULT_SOURCE /* wait4() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hv/page_state.h"
#include "sim/results/run_result.h"
#include "sim/scenario/scenario.h"
#include "sim/runtime/simulate.h"
#include "sim/results/text_buf.h"

/* bench_hooks.cpp */
uint64_t bench_wait_count(void);
uint64_t bench_spin_wait_count(void);
uint64_t bench_delta_count(void);

#define PS_PER_US 1000000ull
#define PS_PER_MS 1000000000ull
#define GIB (1ull << 30)
#define TIB (1ull << 40)

/* MCi_STATUS values (SDM Vol. 3B 15.3.2.2), as in the scenario library. */
#define SRAO_STATUS 0xBD000000004000CFull /* VAL UC EN MISCV ADDRV S, MCACOD 0xCF: patrol scrub */
#define SRAO_MISC 0x86ull                 /* LSB 6, physical address mode */
#define CE_STATUS 0x9C0000000000009Full   /* VAL EN MISCV ADDRV, MCACOD 0x9F: memory read */
#define CE_MISC 0x8Cull

enum kind { K_BASELINE, K_BROADCAST, K_FAULTS, K_CE, K_STORM, K_LIBRARY };

struct bcase {
    enum kind kind;
    char name[48];
    unsigned ncpus;
    unsigned long n;   /* faults, corrected errors or #MCs */
    uint64_t ram;      /* bytes of RAM described by the memory layout */
    unsigned keep;     /* bounded run record (sim_outputs::keep, run --keep); 0: all */
};

/* What the child saw; written to the parent through a pipe. */
struct report {
    int ok;
    double load_ms, run_ms;    /* scenario build + load; sim_run() */
    uint64_t sim_ps;
    uint64_t trace_events, waits, spin_waits, deltas, threads;
    uint64_t injected, records, logged, delivered, dropped;
    uint64_t fate[FATE__COUNT];
    uint64_t src[3];           /* records by enum mca_rec_source */
    uint64_t mce, cmci, polls;
    uint64_t pages;            /* hv page-state entries */
    uint64_t result_bytes;     /* heap held by struct run_result, of which: */
    uint64_t errors_bytes, records_bytes, console_bytes, dom0_bytes;
    uint64_t console_lines, dom0_lines;
    char outcome[16];
    unsigned scenarios;        /* library: runs */
};

struct measure {
    struct report r;
    double host_ms;            /* fork to reap */
    double cpu_ms;             /* user + system of the child and its children */
    long maxrss_kib;
};

struct opts {
    int repeat;
    int quick;
    const char *mcasim;
    const char *scenarios;
};

/* ---- small helpers --------------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Fault i's page: distinct for i < span (multiplication by a prime that
 * does not divide span is a permutation mod span), spread over the span. */
static uint64_t fault_page(unsigned long i, uint64_t first, uint64_t span)
{
    return first + ((uint64_t)i * 2654435761u) % span; /* i < 2^32: no overflow */
}

/* ---- scenarios ------------------------------------------------------------------- */

/* A host of ncpus with the default capabilities (ctl_p cmci_p tes_p ser_p). */
static void yaml_head(struct text_buf *y, const char *name, uint64_t duration_ps, unsigned ncpus)
{
    tb_printf(y, "name: %s\nseed: 1\nduration: %" PRIu64 "ps\nplatform:\n  hosts:\n"
                 "    - cpus: %u\n      banks: 10\n",
              name, duration_ps, ncpus);
}

/* Xen image and heap low, then dom0, a guest and free heap: errors land
 * above 64 MiB, in domain-owned (offline pending) or free (offlined) RAM. */
static void yaml_memory(struct text_buf *y, uint64_t ram)
{
    uint64_t q = ram / 4;
    tb_printf(y, "      memory:\n"
                 "        - {start: 0, size: 16MiB, owner: xen-image}\n"
                 "        - {start: 16MiB, size: 48MiB, owner: xen-heap}\n"
                 "        - {start: 64MiB, size: %" PRIu64 ", owner: domain, domain: 0}\n"
                 "        - {start: %" PRIu64 ", size: %" PRIu64 ", owner: domain, domain: 1}\n"
                 "        - {start: %" PRIu64 ", size: %" PRIu64 ", owner: free}\n"
                 "domains:\n  - {id: 0}\n  - {id: 1, type: hvm}\n",
              q - ((uint64_t)64 << 20), q, q, 2 * q, ram - 2 * q);
}

static int load(const char *name, struct text_buf *y, struct scenario *s)
{
    if (y->oom) {
        fprintf(stderr, "mcasim-bench: %s: out of memory writing the scenario\n", name);
        tb_free(y);
        return -1;
    }
    struct scn_error err;
    int rc = scenario_load_string(name, tb_text(y), s, &err);
    if (rc != 0)
        scn_error_print(&err, stderr);
    tb_free(y);
    return rc;
}

/* n broadcast SRAO patrol-scrub errors, `every` apart from 1 ms, at
 * distinct pages of [64 MiB, ram), on CPUs in turn, bank 7. */
static int gen_srao(struct scenario *s, unsigned long n, uint64_t every, uint64_t ram)
{
    if (!n)
        return 0;
    struct scn_event *ev = calloc(n, sizeof(*ev));
    if (!ev)
        return -1;
    uint64_t first = (64ull << 20) >> 12, span = (ram >> 12) - first;
    for (unsigned long i = 0; i < n; i++) {
        ev[i].at_ps = PS_PER_MS + i * every;
        ev[i].kind = SCN_EV_INJECT;
        ev[i].repeat = 1;
        ev[i].u.inject = (struct scn_inject){
            .cpu = (unsigned)(i % s->hosts[0].ncpus), .bank = 7,
            .status = SRAO_STATUS, .addr = fault_page(i, first, span) << 12, .misc = SRAO_MISC,
            .signal = SCN_SIGNAL_AUTO, .context = -1, .ripv = -1, .eipv = -1,
        };
    }
    free(s->events);
    s->events = ev;
    s->nevents = (unsigned)n;
    return 0;
}

static int build(const struct bcase *c, struct scenario *s)
{
    struct text_buf y = {0};
    switch (c->kind) {
    case K_BASELINE:
        yaml_head(&y, "bench-baseline", PS_PER_MS, 1);
        return load(c->name, &y, s);
    case K_BROADCAST:
        /* one SRAO at 1 ms, broadcast to every pCPU; 2 ms of simulated time */
        yaml_head(&y, "bench-broadcast", 2 * PS_PER_MS, c->ncpus);
        tb_printf(&y, "events:\n  - at: 1ms\n    inject: {cpu: 0, bank: 7, status: %#" PRIx64
                      ", addr: 0x180020, misc: %#" PRIx64 "}\n",
                  (uint64_t)SRAO_STATUS, (uint64_t)SRAO_MISC);
        return load(c->name, &y, s);
    case K_FAULTS: {
        /* 50 us apart: a 4-CPU broadcast round and dom0's fetch take ~10 us */
        uint64_t every = 50 * PS_PER_US;
        yaml_head(&y, "bench-faults", 2 * PS_PER_MS + c->n * every, c->ncpus);
        yaml_memory(&y, c->ram);
        if (load(c->name, &y, s) != 0)
            return -1;
        return gen_srao(s, c->n, every, c->ram);
    }
    case K_STORM: {
        /* 64 CPUs: a round takes ~65 us simulated; one #MC every 200 us */
        uint64_t every = 200 * PS_PER_US;
        yaml_head(&y, "bench-storm", 2 * PS_PER_MS + c->n * every, c->ncpus);
        yaml_memory(&y, c->ram);
        if (load(c->name, &y, s) != 0)
            return -1;
        return gen_srao(s, c->n, every, c->ram);
    }
    case K_CE: {
        /* one stream, 1 us apart, from 1 ms; run past Xen's first poll at 8 s */
        uint64_t end = PS_PER_MS + c->n * PS_PER_US;
        uint64_t dur = end + PS_PER_MS > 9000 * PS_PER_MS ? end + PS_PER_MS : 9000 * PS_PER_MS;
        yaml_head(&y, "bench-ce", dur, c->ncpus);
        tb_printf(&y, "events:\n  - at: 1ms\n    repeat: %lu\n", c->n);
        if (c->n > 1)
            tb_printf(&y, "    every: 1us\n");
        tb_printf(&y, "    inject: {cpu: 0, bank: 3, status: %#" PRIx64 ", addr: 0x2345000, misc: %#" PRIx64
                      "}\n",
                  (uint64_t)CE_STATUS, (uint64_t)CE_MISC);
        return load(c->name, &y, s);
    }
    case K_LIBRARY:
        break;
    }
    return -1;
}

/* ---- the child ------------------------------------------------------------------- */

static uint64_t lines_bytes(const struct rr_line *l, unsigned n, unsigned cap)
{
    uint64_t b = (uint64_t)cap * sizeof(*l);
    for (unsigned i = 0; i < n; i++)
        b += strlen(l[i].text) + 1;
    return b;
}

static void summarize(const struct scenario *s, const struct run_result *r, struct report *rep)
{
    rep->sim_ps = (uint64_t)r->end_ps; /* a benchmark run is short */
    rep->trace_events = r->nevents;
    rep->injected = rr_errors_total(r); /* (kept and, bounded, counted) */
    rep->records = rr_records_total(r);
    for (unsigned i = 0; i < r->n_errors; i++)
        if ((unsigned)r->errors[i].fate < FATE__COUNT)
            rep->fate[r->errors[i].fate]++;
    for (unsigned i = 0; i < r->n_records; i++) {
        if (r->records[i].delivered)
            rep->delivered++;
        if (r->records[i].committed && r->records[i].rec->source < 3)
            rep->src[r->records[i].rec->source]++;
    }
    rep->threads = 1; /* the injector; pCPUs and vCPUs below */
    for (unsigned h = 0; h < r->nhosts; h++) {
        const struct rr_host *hh = &r->hosts[h];
        rep->logged += hh->telem.committed;
        rep->dropped += hh->telem.dropped[0] + hh->telem.dropped[1];
        rep->mce += hh->stats.mce;
        rep->cmci += hh->stats.cmci;
        rep->polls += hh->stats.polls;
        rep->pages += hh->npages;
        rep->threads += hh->ncpus;
    }
    for (unsigned d = 0; d < s->ndomains; d++) /* vCPUs, and dom0's mcelog */
        rep->threads += s->domains[d].nvcpus + (s->domains[d].type == SCN_DOM_DOM0 && s->domains[d].mcelog);
    rep->errors_bytes = (uint64_t)r->cap_errors * sizeof(*r->errors);
    rep->records_bytes = (uint64_t)r->cap_records * sizeof(*r->records);
    for (unsigned i = 0; i < r->n_records; i++) /* bodies in the arena: header + their banks */
        rep->records_bytes += offsetof(struct mca_record, bank) + r->records[i].rec_cap * sizeof(struct mca_bank_entry);
    rep->console_bytes = lines_bytes(r->console, r->n_console, r->cap_console);
    rep->dom0_bytes = lines_bytes(r->dom0_log, r->n_dom0_log, r->cap_dom0_log);
    rep->console_lines = r->n_console;
    rep->dom0_lines = r->n_dom0_log;
    rep->result_bytes = rep->errors_bytes + rep->records_bytes + rep->console_bytes + rep->dom0_bytes +
                        (uint64_t)rep->pages * sizeof(struct page_entry);
    snprintf(rep->outcome, sizeof(rep->outcome), "%s", scn_outcome_name(r->hosts[0].outcome));
}

static void child_sim(const struct bcase *c, int fd)
{
    struct report rep;
    memset(&rep, 0, sizeof(rep));
    struct scenario s;
    struct run_result r;
    double t0 = now_ms();
    if (build(c, &s) == 0) {
        double t1 = now_ms();
        const struct sim_outputs so = {.keep = c->keep};
        int rc = sim_run(&s, s.seed, &so, &r);
        double t2 = now_ms();
        rep.load_ms = t1 - t0;
        rep.run_ms = t2 - t1;
        rep.waits = bench_wait_count();
        rep.spin_waits = bench_spin_wait_count();
        rep.deltas = bench_delta_count();
        if (rc == 0) {
            rep.ok = 1;
            summarize(&s, &r, &rep);
        }
    }
    /* The figures are taken; freeing is left to exit. */
    if (write(fd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
        _exit(3);
    _exit(rep.ok ? 0 : 1);
}

/* ---- the scenario library: exec `mcasim run` -------------------------------------- */

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[4096];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Sum "trace_events" and count runs in results.json. */
static void read_library_results(const char *dir, struct report *rep)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/results.json", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    static const char key[] = "\"trace_events\":";
    char buf[1 << 16];
    size_t keep = 0, k;
    while ((k = fread(buf + keep, 1, sizeof(buf) - keep - 1, f)) > 0) {
        size_t n = keep + k;
        buf[n] = 0;
        char *p = buf, *last = buf;
        while ((p = strstr(p, key))) {
            char *end;
            unsigned long long v = strtoull(p + sizeof(key) - 1, &end, 10);
            if (!*end)
                break; /* number cut by the buffer end: read on */
            rep->trace_events += v;
            rep->scenarios++;
            p = last = end;
        }
        /* keep a tail that may hold a key cut in two */
        size_t from = (size_t)(last - buf);
        if (n - from > sizeof(key) + 24)
            from = n - (sizeof(key) + 24);
        keep = n - from;
        memmove(buf, buf + from, keep);
    }
    fclose(f);
}

/* ---- the parent ------------------------------------------------------------------ */

static int measure_once(const struct bcase *c, const struct opts *o, struct measure *m)
{
    memset(m, 0, sizeof(*m));
    int fds[2] = {-1, -1};
    char dir[] = "/tmp/mcasim-bench-XXXXXX";
    if (c->kind == K_LIBRARY) {
        if (!mkdtemp(dir)) {
            perror("mcasim-bench: mkdtemp");
            return -1;
        }
    } else if (pipe(fds) != 0) {
        perror("mcasim-bench: pipe");
        return -1;
    }
    fflush(NULL);
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        perror("mcasim-bench: fork");
        return -1;
    }
    if (pid == 0) {
        if (c->kind == K_LIBRARY) {
            int null = open("/dev/null", O_WRONLY);
            if (null >= 0)
                dup2(null, STDOUT_FILENO);
            execl(o->mcasim, o->mcasim, "run", o->scenarios, "-q", "-j", "2", "--results", dir,
                  (char *)NULL);
            perror("mcasim-bench: exec mcasim");
            _exit(127);
        }
        close(fds[0]);
        child_sim(c, fds[1]);
    }
    int status = 0;
    struct rusage ru;
    if (c->kind != K_LIBRARY)
        close(fds[1]);
    /* Read before reaping: the child exits only once its report is out. */
    ssize_t got = 0;
    if (c->kind != K_LIBRARY) {
        while (got < (ssize_t)sizeof(m->r)) {
            ssize_t k = read(fds[0], (char *)&m->r + got, sizeof(m->r) - (size_t)got);
            if (k <= 0)
                break;
            got += k;
        }
        close(fds[0]);
    }
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    m->host_ms = now_ms() - t0;
    m->cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    m->maxrss_kib = ru.ru_maxrss;
    if (c->kind == K_LIBRARY) {
        read_library_results(dir, &m->r);
        rm_tree(dir);
        m->r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        m->r.run_ms = m->host_ms;
        snprintf(m->r.outcome, sizeof(m->r.outcome), "%s", m->r.ok ? "all-pass" : "FAIL");
        return m->r.ok ? 0 : -1;
    }
    if (got != (ssize_t)sizeof(m->r) || !m->r.ok) {
        fprintf(stderr, "mcasim-bench: %s: the run failed (status %d)\n", c->name, status);
        return -1;
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Run a case `repeat` times: median times, largest RSS, counts of the last
 * run (runs are deterministic). */
static int measure(const struct bcase *c, const struct opts *o, struct measure *out)
{
    enum { MAXR = 32 };
    double host[MAXR], run[MAXR], cpu[MAXR];
    int n = o->repeat < MAXR ? o->repeat : MAXR;
    long rss = 0;
    for (int i = 0; i < n; i++) {
        if (measure_once(c, o, out) != 0)
            return -1;
        host[i] = out->host_ms;
        run[i] = out->r.run_ms;
        cpu[i] = out->cpu_ms;
        if (out->maxrss_kib > rss)
            rss = out->maxrss_kib;
    }
    out->host_ms = median(host, n);
    out->r.run_ms = median(run, n);
    out->cpu_ms = median(cpu, n);
    out->maxrss_kib = rss;
    return 0;
}

static void fmt_sim(char *buf, size_t len, uint64_t ps)
{
    if (ps >= 1000 * PS_PER_MS)
        snprintf(buf, len, "%.3gs", (double)ps / 1e12);
    else if (ps >= PS_PER_MS)
        snprintf(buf, len, "%.3gms", (double)ps / 1e9);
    else
        snprintf(buf, len, "%.3gus", (double)ps / 1e6);
}

static void print_header(void)
{
    printf("%-24s %9s %9s %9s %8s %9s %11s %9s %12s %9s  %s\n", "case", "host_ms", "run_ms", "cpu_ms",
           "rss_MiB", "sim_time", "trace_ev", "Mtrace/s", "activations", "Mact/s", "notes");
}

static void print_row(const struct bcase *c, const struct measure *m)
{
    const struct report *r = &m->r;
    char sim[24] = "-", notes[128];
    double secs = r->run_ms / 1e3;
    if (c->kind == K_LIBRARY) {
        snprintf(notes, sizeof(notes), "%u runs, %s, -j2", r->scenarios, r->outcome);
        printf("%-24s %9.1f %9s %9.1f %8.1f %9s %11" PRIu64 " %9.3f %12s %9s  %s\n", c->name, m->host_ms, "-",
               m->cpu_ms, (double)m->maxrss_kib / 1024.0, sim, r->trace_events,
               secs > 0 ? (double)r->trace_events / secs / 1e6 : 0.0, "-", "-", notes);
        return;
    }
    fmt_sim(sim, sizeof(sim), r->sim_ps);
    uint64_t act = r->waits + r->threads;
    snprintf(notes, sizeof(notes), "%s; load %.1f ms; %" PRIu64 " spin waits; %" PRIu64 " delta cycles",
             r->outcome, r->load_ms, r->spin_waits, r->deltas);
    printf("%-24s %9.1f %9.1f %9.1f %8.1f %9s %11" PRIu64 " %9.3f %12" PRIu64 " %9.3f  %s\n", c->name,
           m->host_ms, r->run_ms, m->cpu_ms, (double)m->maxrss_kib / 1024.0, sim, r->trace_events,
           secs > 0 ? (double)r->trace_events / secs / 1e6 : 0.0, act, secs > 0 ? (double)act / secs / 1e6 : 0.0,
           notes);
}

/* What the longer runs did, and where their result memory went. */
static void print_details(const struct bcase *cs, const struct measure *ms, unsigned n)
{
    int any = 0;
    for (unsigned i = 0; i < n; i++) {
        const struct bcase *c = &cs[i];
        const struct report *r = &ms[i].r;
        if (!r->ok || (c->kind != K_FAULTS && c->kind != K_CE && c->kind != K_STORM))
            continue;
        if (!any++)
            printf("\n%-24s %8s %7s %7s %5s %7s %7s %7s %7s %7s %7s %7s %5s %7s %7s %7s  %s\n", "case", "injected",
                   "#MC", "CMCI", "polls", "rec_mc", "rec_cmc", "rec_pol", "logged", "deliv", "dropped", "counted",
                   "lost", "pages", "con_ln", "dom0_ln",
                   "results_MiB (errors+records+console+dom0+pages)");
        double mib = 1 << 20;
        printf("%-24s %8" PRIu64 " %7" PRIu64 " %7" PRIu64 " %5" PRIu64 " %7" PRIu64 " %7" PRIu64 " %7" PRIu64
               " %7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %5" PRIu64 " %7" PRIu64 " %7" PRIu64 " %7" PRIu64
               "  %.1f (%.1f+%.1f+%.1f+%.1f+%.1f)\n",
               c->name, r->injected, r->mce, r->cmci, r->polls, r->src[0], r->src[1], r->src[2], r->logged,
               r->delivered, r->dropped, r->fate[FATE_COUNTED], r->fate[FATE_LOST], r->pages, r->console_lines,
               r->dom0_lines, (double)r->result_bytes / mib, (double)r->errors_bytes / mib,
               (double)r->records_bytes / mib, (double)r->console_bytes / mib, (double)r->dom0_bytes / mib,
               (double)(r->pages * sizeof(struct page_entry)) / mib);
    }
}

/* ---- cases ----------------------------------------------------------------------- */

#define MAX_CASES 64

static unsigned add(struct bcase *v, unsigned n, enum kind k, unsigned ncpus, unsigned long cnt, uint64_t ram,
                    const char *name)
{
    if (n >= MAX_CASES)
        return n;
    v[n] = (struct bcase){.kind = k, .ncpus = ncpus, .n = cnt, .ram = ram};
    snprintf(v[n].name, sizeof(v[n].name), "%s", name);
    return n + 1;
}

static unsigned cases_of(const char *group, const struct opts *o, struct bcase *v, unsigned n)
{
    char name[48];
    int all = !strcmp(group, "all");
    if (all || !strcmp(group, "baseline"))
        n = add(v, n, K_BASELINE, 1, 0, 0, "baseline-1cpu-idle");
    if (all || !strcmp(group, "library"))
        n = add(v, n, K_LIBRARY, 0, 0, 0, "scenario-library");
    if (all || !strcmp(group, "broadcast")) {
        static const unsigned cpus[] = {1, 8, 64, 256};
        for (unsigned i = 0; i < 4; i++) {
            snprintf(name, sizeof(name), "broadcast-%ucpu", cpus[i]);
            n = add(v, n, K_BROADCAST, cpus[i], 1, 0, name);
        }
    }
    if (all || !strcmp(group, "storm"))
        n = add(v, n, K_STORM, 64, o->quick ? 200 : 2000, TIB, o->quick ? "storm-64cpu-200mc" : "storm-64cpu-2000mc");
    if (all || !strcmp(group, "faults")) {
        static const unsigned long counts[] = {0, 1000, 10000, 100000};
        static const uint64_t rams[] = {GIB, TIB};
        for (unsigned r = 0; r < 2; r++)
            for (unsigned i = 0; i < 4; i++) {
                if (o->quick && counts[i] > 10000)
                    continue;
                snprintf(name, sizeof(name), "faults-%lu-%s", counts[i], rams[r] == GIB ? "1GiB" : "1TiB");
                n = add(v, n, K_FAULTS, 4, counts[i], rams[r], name);
            }
    }
    if (all || !strcmp(group, "ce")) {
        unsigned long cnt = o->quick ? 100000 : 1000000;
        snprintf(name, sizeof(name), "ce-%lu", cnt);
        n = add(v, n, K_CE, 4, cnt, 0, name);
        /* the same with a bounded run record (run --keep 16): the issue's
         * memory target for a million-CE stream */
        snprintf(name, sizeof(name), "ce-%lu-keep16", cnt);
        n = add(v, n, K_CE, 4, cnt, 0, name);
        v[n - 1].keep = 16;
    }
    return n;
}

static void usage(FILE *f)
{
    fputs("usage: mcasim-bench [options] [CASE...]\n"
          "\n"
          "Measure the simulator: each case runs in a child process; host time is\n"
          "fork to reap (CLOCK_MONOTONIC), RSS is the child's peak (wait4 ru_maxrss).\n"
          "\n"
          "cases (default: all); a group, or one case by the name it prints:\n"
          "  baseline    1 pCPU, nothing happens: process + SystemC floor\n"
          "  library     `mcasim run SCENARIOS -j2` over the whole scenario library\n"
          "  broadcast   one broadcast SRAO #MC on 1, 8, 64 and 256 pCPUs\n"
          "  storm       2000 broadcast #MCs on 64 pCPUs (steady-state throughput)\n"
          "  faults      0/1k/10k/100k SRAO faults at distinct pages, 1 GiB and 1 TiB hosts\n"
          "  ce          a million corrected errors, 1 us apart, CMCI + polling; and\n"
          "              the same keeping 16 records and log lines (run --keep 16)\n"
          "\n"
          "options:\n"
          "  --mcasim PATH      the mcasim binary (default: ../sim/mcasim next to this one)\n"
          "  --scenarios DIR    the scenario library (default: scenarios)\n"
          "  -r, --repeat N     runs per case; medians are printed (default 3)\n"
          "  --quick            smaller faults/ce/storm cases (no 100k faults, 100k CEs)\n"
          "  -h, --help         this help\n",
          f);
}

int main(int argc, char **argv)
{
    static char self_mcasim[4096];
    struct opts o = {.repeat = 3, .scenarios = "scenarios"};
    static const struct option longopts[] = {
        {"mcasim", required_argument, 0, 'm'}, {"scenarios", required_argument, 0, 's'},
        {"repeat", required_argument, 0, 'r'}, {"quick", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0},
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "r:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'm': o.mcasim = optarg; break;
        case 's': o.scenarios = optarg; break;
        case 'r':
            o.repeat = atoi(optarg);
            if (o.repeat < 1 || o.repeat > 32) {
                fputs("mcasim-bench: --repeat wants 1..32\n", stderr);
                return 2;
            }
            break;
        case 'q': o.quick = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!o.mcasim) {
        ssize_t k = readlink("/proc/self/exe", self_mcasim, sizeof(self_mcasim) - 32);
        if (k > 0) {
            self_mcasim[k] = 0;
            char *slash = strrchr(self_mcasim, '/');
            if (slash)
                strcpy(slash, "/../sim/mcasim");
        }
        o.mcasim = self_mcasim;
    }

    struct bcase cases[MAX_CASES];
    unsigned n = 0;
    if (optind >= argc) {
        n = cases_of("all", &o, cases, n);
    } else {
        for (int i = optind; i < argc; i++) {
            unsigned before = n;
            n = cases_of(argv[i], &o, cases, n);
            if (n == before) {
                /* a single case by its name, e.g. faults-100000-1TiB */
                struct bcase every[MAX_CASES];
                struct opts variant = o;
                for (variant.quick = 0; variant.quick < 2 && n == before; variant.quick++) {
                    unsigned k = cases_of("all", &variant, every, 0);
                    for (unsigned j = 0; j < k && n == before; j++)
                        if (!strcmp(every[j].name, argv[i]))
                            n = add(cases, n, every[j].kind, every[j].ncpus, every[j].n, every[j].ram,
                                    every[j].name);
                }
            }
            if (n == before) {
                fprintf(stderr, "mcasim-bench: unknown case '%s'\n", argv[i]);
                usage(stderr);
                return 2;
            }
        }
    }
    static struct measure ms[MAX_CASES];
    print_header();
    int failed = 0;
    for (unsigned i = 0; i < n; i++) {
        if (measure(&cases[i], &o, &ms[i]) != 0) {
            printf("%-24s FAILED\n", cases[i].name);
            ms[i].r.ok = 0;
            failed = 1;
            continue;
        }
        print_row(&cases[i], &ms[i]);
        fflush(stdout);
    }
    print_details(cases, ms, n);
    return failed;
}
