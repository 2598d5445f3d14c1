/*
 * sweep.h - a scenario's `sweep:` block: named parameters, each with a
 * list of values; the run is repeated for every point of their cartesian
 * product (the last parameter varies fastest). Parameters are a table of
 * setters on struct scenario (sweep.c), so a sweep can vary only what a
 * setter exists for, and every value is checked before anything runs.
 */
#ifndef SIM_SWEEP_H
#define SIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/scenario.h"

#define SWEEP_MAX_POINTS 100000ull

/* Names of the parameters, for hints ("cost.<op>" and "events.<i>.at"
 * stand for families). */
unsigned sweep_param_names(const char **buf, unsigned max);
bool sweep_param_known(const char *key);

/* Check (dry) or set one parameter of s. 0, or -1 with a message and a
 * hint (either may be left empty). */
int sweep_apply(struct scenario *s, const char *key, const char *value, bool dry, char *msg,
                size_t mlen, char *hint, size_t hlen);

/* Points of the product; 1 without a sweep. */
unsigned long long sweep_npoints(const struct scenario *s);

/* Set point p on s; params gets "k1=v1;k2=v2" ("" without a sweep).
 * 0, or -1 with err filled (file:line:col of the offending value). */
int sweep_apply_point(struct scenario *s, unsigned long long p, char *params, size_t len,
                      struct scn_error *err);

#endif
