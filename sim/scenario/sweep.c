/*
 * sweep.c - setters for the parameters a sweep may vary, the values of a
 * range, and expansion of a point index into parameter values.
 *
 * Each setter parses its value with the scenario value syntax, checks the
 * range (and that the rest of the scenario still makes sense: fewer CPUs
 * than an event names is an error, not a silent skip) and, unless dry,
 * writes it into the scenario.
 */
#include "sim/scenario/sweep.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/cpu/cpu_cost.h"
#include "sim/scenario/scenario_values.h"
#include "sim/scenario/timeline.h"

struct sweep_ctx {
    struct scenario *s;
    const char *suffix; /* after the family prefix, e.g. the op of cost.<op> */
    bool dry;
    char *msg, *hint;
    size_t mlen, hlen;
};

static int bad(struct sweep_ctx *c, const char *hint, const char *fmt, const char *v)
{
    snprintf(c->msg, c->mlen, fmt, v);
    snprintf(c->hint, c->hlen, "%s", hint ? hint : "");
    return -1;
}

static int parse_range(struct sweep_ctx *c, const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (scv_uint(v, out) != SCV_OK || *out < lo || *out > hi) {
        char h[96];
        snprintf(h, sizeof(h), "a whole number from %llu to %llu", (unsigned long long)lo,
                 (unsigned long long)hi);
        return bad(c, h, "'%s' is not a valid value here", v);
    }
    return 0;
}

/* The host CPU an event names, or -1 (guest accesses name a vCPU, DRAM
 * faults and migrations no CPU). */
static int event_cpu(const struct scn_event *e)
{
    switch (e->kind) {
    case SCN_EV_INJECT: return (int)e->u.inject.cpu;
    case SCN_EV_CONTEXT: return (int)e->u.context.cpu;
    case SCN_EV_CR4_MCE: return (int)e->u.cr4.cpu;
    case SCN_EV_STALL: return (int)e->u.stall.cpu;
    case SCN_EV_CPU_OFFLINE:
    case SCN_EV_CPU_ONLINE: return (int)e->u.hotplug.cpu;
    case SCN_EV_FW_ERROR: return (int)e->u.fw.cpu;
    case SCN_EV_MEM_READ:
    case SCN_EV_MEM_WRITE:
    case SCN_EV_LLC_EVICT: return (int)e->u.mem.cpu;
    default: return -1;
    }
}

/* Highest CPU / bank index that events and register expectations use. */
static void max_indices(const struct scenario *s, unsigned *cpu, unsigned *bank)
{
    *cpu = 0;
    *bank = 0;
    for (unsigned i = 0; i < s->nevents; i++) {
        const struct scn_event *e = &s->events[i];
        int c = event_cpu(e);
        if (c > (int)*cpu)
            *cpu = (unsigned)c;
        if (e->kind == SCN_EV_INJECT && e->u.inject.bank > *bank)
            *bank = e->u.inject.bank;
    }
    for (unsigned i = 0; i < s->expect.nregisters; i++)
        if (s->expect.registers[i].cpu > *cpu)
            *cpu = s->expect.registers[i].cpu;
}

static int set_cpus(struct sweep_ctx *c, const char *v)
{
    uint64_t n;
    unsigned mc, mb;
    if (parse_range(c, v, 1, 256, &n))
        return -1;
    max_indices(c->s, &mc, &mb);
    if (n <= mc)
        return bad(c, "events and expectations name CPUs up to that index", "cpus %s is too few", v);
    for (unsigned h = 0; !c->dry && h < c->s->nhosts; h++)
        c->s->hosts[h].ncpus = (unsigned)n;
    return 0;
}

static int set_banks(struct sweep_ctx *c, const char *v)
{
    uint64_t n;
    unsigned mc, mb;
    if (parse_range(c, v, 1, 32, &n))
        return -1;
    max_indices(c->s, &mc, &mb);
    if (n <= mb)
        return bad(c, "events inject into banks up to that index", "banks %s is too few", v);
    for (unsigned h = 0; !c->dry && h < c->s->nhosts; h++)
        c->s->hosts[h].nbanks = (unsigned)n;
    return 0;
}

static int set_seed(struct sweep_ctx *c, const char *v)
{
    uint64_t n;
    if (parse_range(c, v, 0, UINT64_MAX, &n))
        return -1;
    if (!c->dry)
        c->s->seed = n;
    return 0;
}

static int parse_time(struct sweep_ctx *c, const char *v, uint64_t *ps)
{
    enum scv_status st = scv_time(v, ps);
    if (st == SCV_TOO_LONG)
        return bad(c, "the longest time is " SCV_TIME_MAX_TEXT, "'%s' is longer than mcasim simulates", v);
    if (st != SCV_OK)
        return bad(c, "a time with a unit: " SCV_TIME_UNITS, "'%s' is not a time", v);
    return 0;
}

static int set_duration(struct sweep_ctx *c, const char *v)
{
    uint64_t ps;
    if (parse_time(c, v, &ps))
        return -1;
    if (ps == 0)
        return bad(c, "a duration above 0", "duration %s is empty", v);
    if (scn_occurrences(c->s, ps) > SCN_MAX_OCCURRENCES)
        return bad(c, "use a shorter duration, or fewer repeats", "with duration %s the events occur more than "
                   "1000000 times", v);
    if (!c->dry)
        c->s->duration_ps = ps;
    return 0;
}

static int set_timeout(struct sweep_ctx *c, const char *v)
{
    uint64_t ps = 0;
    if (strcmp(v, "none") != 0 && (parse_time(c, v, &ps) || ps == 0))
        return ps == 0 && strcmp(v, "none") ? bad(c, "none, or a time above 0", "'%s' is no timeout", v)
                                            : -1;
    if (ps && c->s->policy.handler_order != ORDER_LINUX)
        return bad(c, "add policy.handler_order: linux, or sweep none only",
                   "'%s': Xen's barriers have no timeout (mce_barrier_enter)", v);
    if (!c->dry)
        c->s->policy.rendezvous_timeout_ps = ps;
    return 0;
}

static int set_urgent(struct sweep_ctx *c, const char *v)
{
    uint64_t n;
    if (parse_range(c, v, 1, 4096, &n))
        return -1;
    if (!c->dry)
        c->s->policy.telem_urgent = (unsigned)n;
    return 0;
}

static int set_nonurgent(struct sweep_ctx *c, const char *v)
{
    uint64_t n;
    if (parse_range(c, v, 1, 4096, &n))
        return -1;
    if (!c->dry)
        c->s->policy.telem_nonurgent = (unsigned)n;
    return 0;
}

static int set_cmci_threshold(struct sweep_ctx *c, const char *v)
{
    uint64_t n;
    if (parse_range(c, v, 0, 0xFFFFFFFFull, &n)) /* Xen's cmci-threshold is an unsigned int */
        return -1;
    if (!c->dry)
        c->s->policy.cmci_threshold = (unsigned)n;
    return 0;
}

static int set_cost_model(struct sweep_ctx *c, const char *v)
{
    if (!cpu_cost_preset(v))
        return bad(c, "a preset of docs/COSTS.md, e.g. skylake-sp", "no cost model '%s'", v);
    for (unsigned h = 0; !c->dry && h < c->s->nhosts; h++)
        snprintf(c->s->hosts[h].cost_model, sizeof(c->s->hosts[h].cost_model), "%s", v);
    return 0;
}

static int set_cost(struct sweep_ctx *c, const char *v)
{
    uint64_t n;
    enum cpu_cost_op op = cpu_cost_op_from_name(c->suffix);
    if (op == COST__COUNT)
        return bad(c, "cost.<op> with an op of docs/COSTS.md, e.g. cost.msr_read", "no cost op '%s'",
                   c->suffix);
    if (parse_range(c, v, 0, 1000000000, &n))
        return -1;
    for (unsigned h = 0; !c->dry && h < c->s->nhosts; h++) {
        struct scn_host *host = &c->s->hosts[h];
        unsigned i = 0;
        while (i < host->ncosts && host->costs[i].op != op)
            i++;
        if (i == host->ncosts) {
            if (host->ncosts == COST__COUNT)
                continue;
            host->ncosts++;
        }
        host->costs[i] = (struct scn_cost_override){op, (uint32_t)n};
    }
    return 0;
}

static int set_event_at(struct sweep_ctx *c, const char *v)
{
    char *end;
    unsigned long i = strtoul(c->suffix, &end, 10);
    uint64_t ps;
    if (end == c->suffix || strcmp(end, ".at") != 0 || i >= c->s->nevents)
        return bad(c, "events.<index>.at, index counting events from 0 in file order",
                   "no event '%s' to move", c->suffix);
    if (parse_time(c, v, &ps))
        return -1;
    struct scn_event *e = &c->s->events[i];
    if (!scn_event_fits(e, ps))
        return bad(c, "the longest time is " SCV_TIME_MAX_TEXT, "at %s the event's last repeat would be later "
                   "than mcasim simulates", v);
    uint64_t was = e->at_ps;
    e->at_ps = ps;
    bool too_many = scn_occurrences(c->s, scn_events_until(c->s)) > SCN_MAX_OCCURRENCES;
    if (c->dry || too_many)
        e->at_ps = was;
    if (too_many)
        return bad(c, "move it later, or use fewer repeats", "at %s the events occur more than 1000000 times", v);
    return 0;
}

struct param {
    const char *name;   /* exact name, or family prefix ending in '.' */
    bool family;
    int (*set)(struct sweep_ctx *c, const char *v);
    enum sweep_kind kind;
};

static const struct param params[] = {
    {"cpus", false, set_cpus, SWEEP_INT},
    {"banks", false, set_banks, SWEEP_INT},
    {"seed", false, set_seed, SWEEP_INT},
    {"duration", false, set_duration, SWEEP_TIME},
    {"rendezvous_timeout", false, set_timeout, SWEEP_TIME},
    {"telemetry.urgent", false, set_urgent, SWEEP_INT},
    {"telemetry.nonurgent", false, set_nonurgent, SWEEP_INT},
    {"cmci_threshold", false, set_cmci_threshold, SWEEP_INT},
    {"cost_model", false, set_cost_model, SWEEP_TEXT},
    {"cost.", true, set_cost, SWEEP_INT},
    {"events.", true, set_event_at, SWEEP_TIME},
};
#define NPARAMS (sizeof(params) / sizeof(params[0]))

static const struct param *find(const char *key, const char **suffix)
{
    for (size_t i = 0; i < NPARAMS; i++) {
        size_t n = strlen(params[i].name);
        if (params[i].family ? strncmp(key, params[i].name, n) == 0 && key[n]
                             : strcmp(key, params[i].name) == 0) {
            *suffix = key + (params[i].family ? n : strlen(key));
            return &params[i];
        }
    }
    return NULL;
}

unsigned sweep_param_names(const char **buf, unsigned max)
{
    static const char *const shown[] = {"cpus", "banks", "seed", "duration", "rendezvous_timeout",
                                        "telemetry.urgent", "telemetry.nonurgent", "cmci_threshold",
                                        "cost_model", "cost.<op>", "events.<i>.at"};
    unsigned n = 0;
    for (; n < max && n < sizeof(shown) / sizeof(shown[0]); n++)
        buf[n] = shown[n];
    return n;
}

bool sweep_param_known(const char *key)
{
    const char *suffix;
    return find(key, &suffix) != NULL;
}

enum sweep_kind sweep_param_kind(const char *key)
{
    const char *suffix;
    const struct param *p = find(key, &suffix);
    return p ? p->kind : SWEEP_TEXT;
}

unsigned long long sweep_range_count(uint64_t from, uint64_t to, uint64_t step)
{
    uint64_t gaps = (to - from) / step;
    return gaps == UINT64_MAX ? ULLONG_MAX : (unsigned long long)gaps + 1;
}

void sweep_range_value(enum sweep_kind k, uint64_t from, uint64_t step, unsigned i, char *buf, size_t len)
{
    uint64_t v = from + (uint64_t)i * step, unit = 1;
    const char *name = k == SWEEP_TIME ? scv_time_unit_of(from, step, &unit) : "";
    snprintf(buf, len, "%llu%s", (unsigned long long)(v / unit), name);
}

int sweep_apply(struct scenario *s, const char *key, const char *value, bool dry, char *msg,
                size_t mlen, char *hint, size_t hlen)
{
    const char *suffix = "";
    const struct param *p = find(key, &suffix);
    struct sweep_ctx c = {s, suffix, dry, msg, hint, mlen, hlen};
    if (!p) {
        snprintf(msg, mlen, "'%s' cannot be swept", key);
        snprintf(hint, hlen, "see docs/SCENARIOS.md, sweep");
        return -1;
    }
    return p->set(&c, value);
}

unsigned long long sweep_npoints(const struct scenario *s)
{
    unsigned long long n = 1;
    for (unsigned i = 0; i < s->nsweep; i++)
        n *= s->sweep[i].nvalues;
    return n;
}

int sweep_apply_point(struct scenario *s, unsigned long long p, char *params_out, size_t len,
                      struct scn_error *err)
{
    size_t used = 0;
    params_out[0] = 0;
    /* mixed radix, last parameter fastest: index of each value first */
    unsigned idx[64] = {0};
    for (unsigned i = s->nsweep; i-- > 0;) {
        if (i < 64)
            idx[i] = (unsigned)(p % s->sweep[i].nvalues);
        p /= s->sweep[i].nvalues;
    }
    for (unsigned i = 0; i < s->nsweep && i < 64; i++) {
        const struct scn_sweep_param *sp = &s->sweep[i];
        const char *v = sp->values[idx[i]];
        char msg[256], hint[256];
        if (sweep_apply(s, sp->key, v, false, msg, sizeof(msg), hint, sizeof(hint))) {
            memset(err, 0, sizeof(*err));
            snprintf(err->file, sizeof(err->file), "%s", s->path);
            err->line = sp->vlocs[idx[i]].line;
            err->col = sp->vlocs[idx[i]].col;
            snprintf(err->msg, sizeof(err->msg), "sweep %s: %s", sp->key, msg);
            snprintf(err->hint, sizeof(err->hint), "%s", hint);
            return -1;
        }
        if (used < len)
            used += (size_t)snprintf(params_out + used, len - used, "%s%s=%s", i ? ";" : "", sp->key, v);
    }
    return 0;
}
