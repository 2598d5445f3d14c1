/*
 * scenario_values.h - the value syntax of scenario files, as pure functions
 * on strings: integers, times, sizes, booleans and names. No YAML here, so
 * the loader gives each error its position and these stay testable alone.
 */
#ifndef SIM_SCENARIO_VALUES_H
#define SIM_SCENARIO_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/rtime.h"

/* Why a value was rejected; the loader turns these into messages. */
enum scv_status {
    SCV_OK = 0,
    SCV_EMPTY,      /* nothing there                                   */
    SCV_NEGATIVE,   /* starts with '-'                                 */
    SCV_SYNTAX,     /* not a number, or junk after it                  */
    SCV_RANGE,      /* does not fit in 64 bits                         */
    SCV_NO_UNIT,    /* a time without a unit                           */
    SCV_BAD_UNIT,   /* a unit we do not know                           */
    SCV_FRACTION,   /* not a whole number of picoseconds / bytes       */
    SCV_TOO_LONG,   /* a time beyond SCV_TIME_MAX_PS                   */
};

/* The longest time a scenario may name: 1000 h, 3.6e18 ps. It is below
 * 2^62 ps, so any time of a run plus any period, timeout or repeat
 * spacing the simulator adds to it (each at most this) stays below 2^64
 * ps, the end of SystemC's clock: nothing wraps. */
#define SCV_TIME_MAX_PS 3600000000000000000ull
#define SCV_TIME_MAX_TEXT "1000h"
/* The longest run (a scenario's duration): a year of 8766 h, 3.16e19 ps,
 * beyond 2^64. Only a run that skips its quiet time may be longer than
 * SCV_TIME_MAX_PS: it rebases (docs/TIME.md), so each stretch SystemC
 * holds stays short. */
#define SCV_DURATION_MAX_PS ((rtime_t)8766u * 3600u * 1000000000000ull)
#define SCV_DURATION_MAX_TEXT "8766h"

#define SCV_TIME_UNITS "ps, ns, us, ms, s, min, h"
#define SCV_SIZE_UNITS "KiB, MiB, GiB, TiB (or a plain number of bytes)"
#define SCV_RATE_UNITS "B/s, kB/s, MB/s, GB/s, TB/s, bit/s, kbit/s, Mbit/s, Gbit/s, Tbit/s"

/* Decimal or 0x hex, the full uint64 range; nothing may follow. */
enum scv_status scv_uint(const char *s, uint64_t *out);
/* A decimal number (fraction allowed) and a unit of SCV_TIME_UNITS, an
 * optional space between; the result must be a whole number of ps, at
 * most SCV_TIME_MAX_PS. */
enum scv_status scv_time(const char *s, uint64_t *ps);
/* The same, up to SCV_DURATION_MAX_PS (a run's duration). */
enum scv_status scv_duration(const char *s, rtime_t *ps);
/* An integer of bytes, or an integer and a unit of SCV_SIZE_UNITS. */
enum scv_status scv_size(const char *s, uint64_t *bytes);
/* A data rate in bytes per second: a decimal number (fraction and
 * exponent allowed: 1.25e9) and an optional unit of SCV_RATE_UNITS
 * (decimal SI, k = 1000; none = B/s). The result must be a whole number
 * of bytes per second (1bit/s is not). */
enum scv_status scv_rate(const char *s, uint64_t *bytes_per_s);
/* The largest time unit that divides both times exactly (0 is divided by
 * every unit): its name, and its size in ps in *unit_ps. */
const char *scv_time_unit_of(uint64_t a_ps, uint64_t b_ps, uint64_t *unit_ps);
/* true or false, nothing else (YAML 1.1's yes/no/on/off are refused). */
bool scv_bool(const char *s, bool *out);

/* Index of s in names (NULL entries skipped), or -1. */
int scv_lookup(const char *s, const char *const *names, unsigned n);
/* Levenshtein distance; strings longer than 64 count as far apart. */
unsigned scv_distance(const char *a, const char *b);
/* The name closest to s within distance 2, or -1 when none is. */
int scv_closest(const char *s, const char *const *names, unsigned n);
/* "a, b, c" into buf; returns false when it did not fit. */
bool scv_join(char *buf, size_t len, const char *const *names, unsigned n);

#endif
