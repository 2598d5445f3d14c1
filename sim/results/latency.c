/*
 * latency.c - stage durations of an error from its timestamps, and
 * percentiles. The stage table is the definition users read in the
 * results: each stage runs from one stamp (or a fallback when the first
 * did not happen, e.g. no rendezvous for LMCE, CMCI or polling) to another.
 */
#include "sim/results/latency.h"

#include <stdlib.h>

struct stage_def {
    const char *name;
    enum err_stage from, alt_from, to; /* alt_from == from: no fallback */
};

static const struct stage_def stages[LS__COUNT] = {
    [LS_SIGNAL] = {"signal", ES_LATCHED, ES_LATCHED, ES_ENTRY},
    [LS_RENDEZVOUS] = {"rendezvous", ES_RDV_IN, ES_RDV_IN, ES_RDV_OUT},
    [LS_LOGOUT] = {"logout", ES_RDV_OUT, ES_ENTRY, ES_LOGOUT},
    [LS_GRADE] = {"grade", ES_LOGOUT, ES_LOGOUT, ES_GRADED},
    [LS_VERDICT] = {"verdict", ES_GRADED, ES_GRADED, ES_MCIP},
    [LS_DEFERRED] = {"deferred", ES_MCIP, ES_MCIP, ES_COMMITTED},
    [LS_NOTIFY] = {"notify", ES_COMMITTED, ES_COMMITTED, ES_VIRQ},
    [LS_DOM0] = {"dom0", ES_VIRQ, ES_VIRQ, ES_ACKED},
    [LS_END_TO_END] = {"end_to_end", ES_LATCHED, ES_LATCHED, ES__COUNT}, /* to: last reached */
};

void err_stamp(struct err_times *e, enum err_stage s, rtime_t t_ps)
{
    if (err_has(e, s))
        return; /* the first pass counts */
    e->t[s] = t_ps;
    e->have |= 1u << s;
}

bool err_has(const struct err_times *e, enum err_stage s)
{
    return (e->have >> s) & 1u;
}

const char *lat_stage_name(enum lat_stage s)
{
    return (unsigned)s < LS__COUNT ? stages[s].name : "unknown";
}

static bool last_reached(const struct err_times *e, enum err_stage *out)
{
    for (int s = ES__COUNT - 1; s > ES_LATCHED; s--)
        if (err_has(e, (enum err_stage)s)) {
            *out = (enum err_stage)s;
            return true;
        }
    return false;
}

bool lat_stage_ps(const struct err_times *e, enum lat_stage s, uint64_t *ps)
{
    if ((unsigned)s >= LS__COUNT)
        return false;
    const struct stage_def *d = &stages[s];
    enum err_stage from = err_has(e, d->from) ? d->from : d->alt_from;
    enum err_stage to = d->to;
    if (to == ES__COUNT && !last_reached(e, &to))
        return false;
    if (!err_has(e, from) || !err_has(e, to) || e->t[to] < e->t[from])
        return false;
    *ps = (uint64_t)(e->t[to] - e->t[from]); /* within one stretch */
    return true;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void lat_sort(uint64_t *v, unsigned n)
{
    qsort(v, n, sizeof(*v), cmp_u64);
}

uint64_t lat_percentile(const uint64_t *sorted, unsigned n, unsigned p)
{
    if (n == 0)
        return 0;
    /* nearest rank: the smallest value with at least p% of values <= it */
    unsigned long long rank = ((unsigned long long)p * n + 99) / 100;
    if (rank == 0)
        rank = 1;
    return sorted[rank - 1];
}
