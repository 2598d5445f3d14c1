/*
 * qemu_commands.h - the QEMU monitor commands a case's inject events stand
 * for: the C mirror of oracle/scenario.py (oracle/README.md, "From inject
 * events to mce commands"), so that mcasim's transcript names what the
 * oracle sent and a case file edited after its recording shows up as a
 * difference in the "injections" section.
 *
 * Events at one time are one command: exactly one target, plus (for
 * `mce -b`) a bystander on every other CPU (bank 1, status
 * 0xA000000000000000, mcg_status 0x5, no addr or misc, signal none).
 * Anything else is rendered as a line saying it is not a QEMU command.
 */
#ifndef SIM_QEMU_COMMANDS_H
#define SIM_QEMU_COMMANDS_H

#include "sim/results/transcript.h"
#include "sim/scenario/scenario.h"

/* Append one line per event time; returns how many. */
unsigned qemu_commands(const struct scenario *s, struct ts_lines *out);

/* The case's events in the order the simulator applies them: by time,
 * and in file order within one time. A malloc'd array of s->nevents
 * pointers (at least one element); free() it. */
const struct scn_event **case_events_in_order(const struct scenario *s);

/* The time of the first inject event, or SCN_TIME_FOREVER without one. */
uint64_t qemu_first_inject_ps(const struct scenario *s);

#endif
