/*
 * fit_csv.h - a user FIT table (models/memctl/field_rates.h) as text: the
 * value of one FIT, and the CSV file of `fit_file:` (dram.field_rates of a
 * scenario, field_rates of a campaign; docs/SCENARIOS.md).
 *
 * The CSV: one row per fault mode, `mode,transient,permanent`, mode a name
 * of fault_map.h (single-bit ... multi-rank), the two rates in FIT per
 * device (faults per 10^9 device-hours). An optional first row is the
 * header `mode,transient,permanent`; blank lines and lines starting with
 * '#' are skipped; a field may be in double quotes; CRLF ends are fine.
 * Modes not listed have 0 FIT; a mode listed twice, an unknown mode, a
 * row without three fields, a value that is not a number, negative or
 * above FIT_MAX, and a file without any row are errors at their line and
 * column, with a hint.
 */
#ifndef SIM_SCENARIO_FIT_CSV_H
#define SIM_SCENARIO_FIT_CSV_H

#include <stddef.h>

#include "models/memctl/field_rates.h"

/* One fault per device-hour: above it a "FIT" is surely another unit
 * (field_rates.scale accelerates a table). */
#define FIT_MAX 1e9

struct fit_csv_error {
    unsigned line, col; /* 1-based, in the CSV text */
    char msg[256];
    char hint[256];
};

/* A FIT value: a decimal number (fraction and exponent allowed) >= 0 and
 * <= FIT_MAX. NULL and *out set, or why not (a message about `text`,
 * hint in *hint). */
const char *fit_value_parse(const char *text, size_t len, double *out, const char **hint);

/* 0 and *out filled (modes not listed 0), or -1 with *e. */
int fit_csv_parse(const char *buf, size_t len, struct field_rates *out, struct fit_csv_error *e);

#endif
