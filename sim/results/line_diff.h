/*
 * line_diff.h - a whole-section diff of two short lists of lines (a
 * longest common subsequence, so moved or inserted lines show as such),
 * and a digest of it: what a known deviation mark names (oracle_compare.h).
 */
#ifndef SIM_LINE_DIFF_H
#define SIM_LINE_DIFF_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/results/transcript.h"

/* Append the diff of a (-) against b (+) to *out: every line, prefixed by
 * "  " (both), "- " (only a) or "+ " (only b). Returns true when a and b
 * differ. The lists are small (transcript sections): O(len(a) * len(b)). */
bool line_diff(const struct ts_lines *a, const struct ts_lines *b, struct ts_lines *out);

/* FNV-1a (32 bits) over the lines, each followed by '\n'. */
uint32_t line_digest(const struct ts_lines *l);

#endif
