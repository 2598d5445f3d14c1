/*
 * field_rates.h - drawing DRAM faults from field-measured rates.
 *
 * Rates are per-device FIT (faults per 10^9 device-hours), transient and
 * permanent, per fault mode of fault_map.h. The default is the Jaguar table
 * of Sridharan & Liberty, SC'12: 19.2 transient
 * + 46.9 permanent = 66.1 FIT per device, about 71% permanent.
 *
 * The draw is a Poisson process over [start, start + span): total rate
 * = sum of FITs * devices / 10^9 per hour, exponential gaps; each arrival
 * picks a (mode, transient/permanent) pair in proportion to its FIT and a
 * device position uniformly over every device of the host, then the
 * location fields its mode pins uniformly. Which DQ bits a fault flips is
 * not in the field data; the model's choice (docs/MEMORY.md):
 *   single-bit, single-column: one DQ (a cell / a bitline);
 *   every other mode: a uniformly drawn non-zero DQ mask.
 *
 * Deterministic: everything comes from the caller's struct mem_rng (make
 * it with mem_rng_init(seed, component path)).
 */
#ifndef MODELS_MEMCTL_FIELD_RATES_H
#define MODELS_MEMCTL_FIELD_RATES_H

#include <stddef.h>
#include <stdint.h>

#include "arch/rtime.h"
#include "models/memctl/addr_map.h"
#include "models/memctl/fault_map.h"
#include "models/memctl/mem_rng.h"

#define PS_PER_HOUR 3600000000000000ull

struct fit_pair {
    double transient, permanent;
};

struct field_rates {
    struct fit_pair mode[FAULT_MODE__COUNT];
};

/* Sridharan & Liberty SC'12, DDR2 on Jaguar, FIT per device. */
struct field_rates field_rates_jaguar(void);

/* The built-in tables (`dram.field_rates.table` in a scenario): index
 * 0..count-1, each with a name ("jaguar": the table above). NULL for an
 * index past the end. A user table is a struct field_rates of its own. */
unsigned field_rates_builtin_count(void);
const char *field_rates_builtin_name(unsigned i);
const struct field_rates *field_rates_builtin(unsigned i);

/* Multiply every rate by k (accelerated injection for short runs). */
void field_rates_scale(struct field_rates *r, double k);

/* Sum over modes of transient + permanent (FIT per device). */
double field_rates_total(const struct field_rates *r);
double field_rates_permanent(const struct field_rates *r);

/* Expected number of faults over span_ps on every device of m. */
double field_rates_expected(const struct addr_map *m, const struct field_rates *r, rtime_t span_ps);

/*
 * Draw the faults arriving in [start_ps, start_ps + span_ps), in time
 * order, into a malloc'd array (*out, *n; free() it). Returns 0, or -1 on
 * bad rates (negative) or out of memory (then *out is NULL, *n 0).
 */
int field_rates_draw(const struct addr_map *m, const struct field_rates *r, uint64_t start_ps, uint64_t span_ps,
                     struct mem_rng *rng, struct mem_fault **out, size_t *n);
/* The same draw over a span beyond 2^64 ps (a year): each fault with its
 * arrival as a real time (its f.time_ps only the low 64 bits). */
struct fr_fault {
    rtime_t at_ps;
    struct mem_fault f;
};
int field_rates_draw_real(const struct addr_map *m, const struct field_rates *r, rtime_t start_ps, rtime_t span_ps,
                          struct mem_rng *rng, struct fr_fault **out, size_t *n);

#endif
