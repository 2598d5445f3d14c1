/* run_result.c - growable arrays of a run's results. */
#include "sim/results/run_result.h"

#include <stdlib.h>
#include <string.h>

static const char *const fate_names[FATE__COUNT] = {
    [FATE_IN_BANK] = "in-bank", [FATE_LOGGED] = "logged", [FATE_PENDING] = "pending",
    [FATE_DROPPED] = "dropped", [FATE_OVERWRITTEN] = "overwritten", [FATE_COUNTED] = "counted",
    [FATE_IGNORED] = "ignored", [FATE_REJECTED] = "rejected", [FATE_LOST] = "lost",
    [FATE_DISMISSED] = "dismissed",
};

static const char *const found_names[FOUND__COUNT] = {
    [FOUND_INJECTED] = "injected", [FOUND_SCRUB] = "scrub", [FOUND_DEMAND] = "demand",
    [FOUND_LLC] = "llc-writeback",
};

const char *rr_found_name(enum rr_found f)
{
    return (unsigned)f < FOUND__COUNT ? found_names[f] : "unknown";
}

const char *rr_fate_name(enum rr_fate f)
{
    return (unsigned)f < FATE__COUNT ? fate_names[f] : "unknown";
}

/* Grow an array by one zeroed element; aborts on OOM (a simulator that
 * cannot record its results must not pretend it ran). */
static void *grow(void **v, unsigned *n, unsigned *cap, size_t size)
{
    if (*n == *cap) {
        unsigned c = *cap ? *cap * 2 : 64;
        void *nv = realloc(*v, (size_t)c * size);
        if (!nv)
            abort();
        *v = nv;
        *cap = c;
    }
    void *e = (char *)*v + (size_t)(*n)++ * size;
    memset(e, 0, size);
    return e;
}

#define GROW(r, name) grow((void **)&(r)->name, &(r)->n_##name, &(r)->cap_##name, sizeof(*(r)->name))

void rr_init(struct run_result *r, const struct scenario *s, unsigned nhosts)
{
    memset(r, 0, sizeof(*r));
    r->scn = s;
    r->nhosts = nhosts;
    r->hosts = calloc(nhosts ? nhosts : 1, sizeof(*r->hosts));
    r->lat = calloc(s->expect.nlatency ? s->expect.nlatency : 1, sizeof(*r->lat));
    if (!r->hosts || !r->lat)
        abort();
}

static void free_lines(struct rr_line *l, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        free(l[i].text);
    free(l);
}

void rr_free(struct run_result *r)
{
    for (unsigned i = 0; i < r->nhosts; i++) {
        free(r->hosts[i].regs);
        free(r->hosts[i].cmci);
        free(r->hosts[i].pages);
        free(r->hosts[i].fault_truth);
        free(r->hosts[i].domains);
        free(r->hosts[i].pcie);
    }
    free(r->hosts);
    free(r->lat);
    free(r->errors);
    free(r->records);
    free(r->migrations);
    free(r->guest_msrs);
    free(r->probes);
    free_lines(r->console, r->n_console);
    free_lines(r->dom0_log, r->n_dom0_log);
    free_lines(r->guest_log, r->n_guest_log);
    memset(r, 0, sizeof(*r));
}

struct rr_error *rr_add_error(struct run_result *r) { return GROW(r, errors); }
struct rr_record *rr_add_record(struct run_result *r) { return GROW(r, records); }
struct rr_migration *rr_add_migration(struct run_result *r) { return GROW(r, migrations); }
struct rr_guest_msr *rr_add_guest_msr(struct run_result *r) { return GROW(r, guest_msrs); }
unsigned rr_add_probe(struct run_result *r) { return (unsigned)((struct rr_probe *)GROW(r, probes) - r->probes); }

void rr_add_line(struct run_result *r, enum rr_log which, uint64_t t_ps, unsigned host, const char *text)
{
    struct rr_line *l = which == RR_DOM0_LOG    ? GROW(r, dom0_log)
                        : which == RR_GUEST_LOG ? GROW(r, guest_log)
                                                : GROW(r, console);
    l->t_ps = t_ps;
    l->host = host;
    l->text = strdup(text);
    if (!l->text)
        abort();
}
