/*
 * sweep.h - a scenario's `sweep:` block: named parameters, each with a
 * list of values (or a range the loader expands into one); the run is
 * repeated for every point of their cartesian product (the last
 * parameter varies fastest). Parameters are a table of
 * setters on struct scenario (sweep.c), so a sweep can vary only what a
 * setter exists for, and every value is checked before anything runs.
 */
#ifndef SIM_SWEEP_H
#define SIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/scenario/scenario.h"

#define SWEEP_MAX_POINTS 100000ull

/* What a parameter's values are: a range {from, to, step} needs numbers
 * or times. */
enum sweep_kind { SWEEP_TEXT = 0, SWEEP_INT, SWEEP_TIME };

/* Names of the parameters, for hints ("cost.<op>" and "events.<i>.at"
 * stand for families). */
unsigned sweep_param_names(const char **buf, unsigned max);
bool sweep_param_known(const char *key);
/* SWEEP_TEXT for an unknown key. */
enum sweep_kind sweep_param_kind(const char *key);

/* A range: how many values from, from+step, ... <= to has (step > 0,
 * to >= from; saturates at ULLONG_MAX), and value i as the text its
 * setter parses: an integer in decimal, a time in the largest unit that
 * divides both from and step (so a range reads 1000us, 1250us, 1500us). */
unsigned long long sweep_range_count(uint64_t from, uint64_t to, uint64_t step);
void sweep_range_value(enum sweep_kind k, uint64_t from, uint64_t step, unsigned i, char *buf, size_t len);

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
