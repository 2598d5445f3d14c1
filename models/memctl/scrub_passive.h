/*
 * scrub_passive.h - faults the patrol walk passes without a look.
 *
 * Some faults' lines can never be a scrub finding: a permanent fault whose
 * error pattern decodes clean on its own (a 4-bit device error that is a
 * SECDED codeword: the decoder sees nothing), or one whose every line is
 * already poisoned (scrub_line skips poisoned lines: their error was
 * reported when the poison was set). Waking the scrubber once per such
 * line, every pass, for a year, is most of a host-run's cost, for nothing
 * any software sees. The walk (scrubber.h) takes such a fault out of its
 * heap and lists it here instead, with how far its lines have been
 * counted: the visits the walk would have made are counted, in bulk, up
 * to wherever the walk's schedule is when asked, so scrub_visits stays
 * exact. A passive fault goes back into the walk when that may change
 * (memctl.c: a poisoned line written, another fault over its lines).
 */
#ifndef MODELS_MEMCTL_SCRUB_PASSIVE_H
#define MODELS_MEMCTL_SCRUB_PASSIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/memctl/fault_map.h"

/* Fault id's lines before line `line` of absolute pass `pass` are
 * counted. */
struct scrub_passive_entry {
    uint64_t id, pass, line;
};

struct scrub_passive {
    struct scrub_passive_entry *e;
    size_t n, cap;
    uint64_t passed; /* visits counted for passive faults, in all */
};

void scrub_passive_init(struct scrub_passive *p);
void scrub_passive_free(struct scrub_passive *p);
/* The entry of fault id, or NULL. */
const struct scrub_passive_entry *scrub_passive_find(const struct scrub_passive *p, uint64_t id);
/* List fault id, its lines counted before (pass, line); -1 out of memory. */
int scrub_passive_add(struct scrub_passive *p, uint64_t id, uint64_t pass, uint64_t line);
/* Take fault id off the list: true with its entry in *out. */
bool scrub_passive_take(struct scrub_passive *p, uint64_t id, struct scrub_passive_entry *out);
/* Fault fp's lines from (pa, la) up to, not including, (pb, lb), in the
 * walk's order over passes of `lines` lines each; 0 when b is not after a. */
uint64_t scrub_passive_between(const struct fault_footprint *fp, uint64_t lines, uint64_t pa, uint64_t la,
                               uint64_t pb, uint64_t lb);
/* Count every listed fault's lines up to (pass, line), move their marks
 * there, and return how many (added to passed); faults no longer in fm
 * leave the list. */
uint64_t scrub_passive_count_to(struct scrub_passive *p, const struct fault_map *fm, uint64_t lines, uint64_t pass,
                                uint64_t line);

#endif
