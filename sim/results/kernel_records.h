/*
 * kernel_records.h - the machine-check records a guest kernel logged,
 * derived from its MCA MSR accesses (struct rr_guest_msr), in the fields
 * the oracle's transcripts give the records a real kernel printed: CPU,
 * BANK, STATUS, ADDR, MISC, MCGSTATUS.
 *
 * The rule: a vCPU's handler pass starts with its first read of
 * MCG_STATUS and ends when it writes MCG_STATUS. A bank whose MCi_STATUS
 * the pass read with VAL set and then cleared (wrote MCi_STATUS) is a
 * logged record: Linux's do_machine_check() logs and clears together
 * (mce_log, mce_clear_state), and the guest model (guests/linux_guest.c
 * handle_bank) clears exactly the banks it graded. ADDR and MISC are the
 * values the pass read from MCi_ADDR and MCi_MISC of that bank, 0 when it
 * read none; MCGSTATUS the first value the pass read. Records come in the
 * order of the clearing writes.
 */
#ifndef SIM_KERNEL_RECORDS_H
#define SIM_KERNEL_RECORDS_H

#include <stdint.h>

#include "sim/results/run_result.h"
#include "sim/results/transcript.h"

/* Append "CPU c BANK b STATUS 0x.. ADDR 0x.. MISC 0x.. MCGSTATUS 0x.." for
 * each record domain domid of host 0 logged at or after from_ps. Returns
 * how many. CPU is the vCPU. */
unsigned kernel_records(const struct run_result *r, unsigned domid, uint64_t from_ps, struct ts_lines *out);

#endif
