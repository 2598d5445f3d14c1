/*
 * kernel_records.h - the machine-check records a guest kernel logged, in
 * the fields the oracle's transcripts give the records a real kernel
 * printed (mce=print_all): CPU, BANK, STATUS, ADDR, MISC, MCGSTATUS.
 *
 * The source is the guest's log: the guest model (guests/linux_guest.c)
 * prints one line per record it logs, where Linux's do_machine_check()
 * calls mce_log() (__mc_scan_banks: a bank not skipped and not graded
 * "Not enabled", with what mce_read_aux read; with no_way_out also banks
 * it does not clear). Records come in the order they were logged.
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
