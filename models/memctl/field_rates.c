/*
 * field_rates.c - the default FIT table and the Poisson fault draw of
 * field_rates.h. Times are drawn in hours as doubles (only IEEE basic
 * operations and mem_ln, so identical everywhere) and converted to ps.
 */
#include "models/memctl/field_rates.h"

#include <stdlib.h>

/* Sridharan & Liberty, SC'12, Jaguar, per-device FIT (checked against
 * FaultSim's FM_JAGUAR table, src/main.cpp). */
static const struct field_rates jaguar = {{
    [FAULT_SINGLE_BIT] = {14.2, 18.6},
    [FAULT_SINGLE_WORD] = {1.4, 0.3},
    [FAULT_SINGLE_COLUMN] = {1.4, 5.6},
    [FAULT_SINGLE_ROW] = {0.2, 8.2},
    [FAULT_SINGLE_BANK] = {0.8, 10.0},
    [FAULT_MULTI_BANK] = {0.3, 1.4},
    [FAULT_MULTI_RANK] = {0.9, 2.8},
}};

/* Modes whose fault sits on one DQ (see field_rates.h). */
static const bool one_dq_mode[FAULT_MODE__COUNT] = {
    [FAULT_SINGLE_BIT] = true,
    [FAULT_SINGLE_COLUMN] = true,
};

struct field_rates field_rates_jaguar(void)
{
    return jaguar;
}

/* The built-in tables, by the name a scenario gives (`table:`). */
static const struct {
    const char *name;
    const struct field_rates *rates;
} builtin[] = {
    {"jaguar", &jaguar},
};

unsigned field_rates_builtin_count(void)
{
    return (unsigned)(sizeof(builtin) / sizeof(builtin[0]));
}

const char *field_rates_builtin_name(unsigned i)
{
    return i < field_rates_builtin_count() ? builtin[i].name : NULL;
}

const struct field_rates *field_rates_builtin(unsigned i)
{
    return i < field_rates_builtin_count() ? builtin[i].rates : NULL;
}

void field_rates_scale(struct field_rates *r, double k)
{
    for (unsigned m = 0; m < FAULT_MODE__COUNT; m++) {
        r->mode[m].transient *= k;
        r->mode[m].permanent *= k;
    }
}

double field_rates_permanent(const struct field_rates *r)
{
    double s = 0.0;
    for (unsigned m = 0; m < FAULT_MODE__COUNT; m++)
        s += r->mode[m].permanent;
    return s;
}

double field_rates_total(const struct field_rates *r)
{
    double s = field_rates_permanent(r);
    for (unsigned m = 0; m < FAULT_MODE__COUNT; m++)
        s += r->mode[m].transient;
    return s;
}

double field_rates_expected(const struct addr_map *m, const struct field_rates *r, rtime_t span_ps)
{
    double hours = (double)span_ps / (double)PS_PER_HOUR;
    return field_rates_total(r) * (double)addr_map_total_devices(m) * hours / 1e9;
}

static bool rates_valid(const struct field_rates *r)
{
    for (unsigned m = 0; m < FAULT_MODE__COUNT; m++)
        if (!(r->mode[m].transient >= 0.0) || !(r->mode[m].permanent >= 0.0))
            return false;
    return true;
}

/* Pick (mode, permanent) with probability FIT / total. */
static void pick_kind(const struct field_rates *r, double total, struct mem_rng *rng, struct mem_fault *f)
{
    double u = mem_rng_unit(rng) * total;
    for (unsigned m = 0; m < FAULT_MODE__COUNT; m++) {
        f->mode = (enum fault_mode)m;
        if (u < r->mode[m].transient) {
            f->permanent = false;
            return;
        }
        u -= r->mode[m].transient;
        f->permanent = true;
        if (u < r->mode[m].permanent)
            return;
        u -= r->mode[m].permanent;
    }
    /* Rounding left u just above the last rate: keep the last pair. */
}

static unsigned draw(struct mem_rng *rng, unsigned n)
{
    return (unsigned)mem_rng_below(rng, n);
}

/* Every location field is drawn, in a fixed order, whether the mode uses
 * it or not: the stream then advances the same way for every mode. */
static void pick_place(const struct addr_map *m, struct mem_rng *rng, struct mem_fault *f)
{
    const struct mem_geometry *g = &m->g;
    f->channel = draw(rng, g->channels);
    f->dimm = draw(rng, g->dimms_per_channel);
    f->rank = draw(rng, g->ranks_per_dimm);
    f->device = draw(rng, m->devices);
    f->bank = draw(rng, g->banks_per_rank);
    f->row = draw(rng, g->rows);
    f->column = draw(rng, g->columns);
    unsigned w = g->device_width;
    if (one_dq_mode[f->mode])
        f->dq_mask = (uint8_t)(1u << draw(rng, w));
    else
        f->dq_mask = (uint8_t)(1u + draw(rng, (1u << w) - 1u));
}

static int push(struct fr_fault **a, size_t *n, size_t *cap, const struct fr_fault *f)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        struct fr_fault *na = realloc(*a, ncap * sizeof(*na));
        if (!na)
            return -1;
        *a = na;
        *cap = ncap;
    }
    (*a)[(*n)++] = *f;
    return 0;
}

int field_rates_draw_real(const struct addr_map *m, const struct field_rates *r, rtime_t start_ps, rtime_t span_ps,
                          struct mem_rng *rng, struct fr_fault **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!rates_valid(r))
        return -1;
    double total = field_rates_total(r);
    double per_hour = total * (double)addr_map_total_devices(m) / 1e9;
    double span_h = (double)span_ps / (double)PS_PER_HOUR;
    if (per_hour <= 0.0)
        return 0;
    size_t cap = 0;
    for (double t = mem_rng_exp1(rng) / per_hour; t < span_h; t += mem_rng_exp1(rng) / per_hour) {
        struct fr_fault f = {0};
        rtime_t off = (rtime_t)(t * (double)PS_PER_HOUR);
        f.at_ps = start_ps + (off < span_ps ? off : span_ps - 1u);
        f.f.time_ps = (uint64_t)f.at_ps; /* the whole time when below 2^64 */
        pick_kind(r, total, rng, &f.f);
        pick_place(m, rng, &f.f);
        if (push(out, n, &cap, &f) != 0) {
            free(*out);
            *out = NULL;
            *n = 0;
            return -1;
        }
    }
    return 0;
}

int field_rates_draw(const struct addr_map *m, const struct field_rates *r, uint64_t start_ps, uint64_t span_ps,
                     struct mem_rng *rng, struct mem_fault **out, size_t *n)
{
    struct fr_fault *all;
    *out = NULL;
    if (field_rates_draw_real(m, r, start_ps, span_ps, rng, &all, n) != 0)
        return -1;
    if (*n) {
        *out = malloc(*n * sizeof(**out));
        for (size_t i = 0; *out && i < *n; i++)
            (*out)[i] = all[i].f;
    }
    free(all);
    if (*n && !*out) {
        *n = 0;
        return -1;
    }
    return 0;
}
