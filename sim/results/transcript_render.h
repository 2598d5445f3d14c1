/*
 * transcript_render.h - mcasim's run of an oracle case, in the oracle's
 * transcript format (oracle/README.md, "Transcript"), so the two can be
 * compared section by section (oracle_compare.h). Rendered from the run
 * record alone; what each section is made of:
 *
 *   injections           the case's inject events as QEMU commands (qemu_commands.h)
 *   outcome              Xen's panic message from the console ("Panic on CPU n:"
 *                        and the lines up to the next "****", as the oracle reads
 *                        it), else a dom0 or Linux kernel panic from its log, else
 *                        the host's outcome (mcasim's reason in parentheses)
 *   xen console          host 0's console lines from the first injection on, but
 *                        the vMCE MSR lines
 *   vmce msr trace       the console's "MCE: dNvM: rd|wr MSR VALUE" lines, per vCPU
 *   xen free heap pages  the pages the run offlined, per zone (Xen's page_to_zone:
 *                        fls(mfn), node 0); nothing when the host stopped (Xen
 *                        would not answer the 'H' key)
 *   dom0 /dev/mcelog     every bank of every record dom0 fetched and acked, in commit
 *   records              order (MCGCAP from the record)
 *   dom0 / linux kernel  what the guest kernel (dom0's, or the bare Linux kernel of
 *   records              the linux target) logged, from its record lines
 *                        (kernel_records.h)
 *   dom0 / linux kernel  the kernel's log lines from the first injection on
 *   lines
 */
#ifndef SIM_TRANSCRIPT_RENDER_H
#define SIM_TRANSCRIPT_RENDER_H

#include "sim/results/oracle_target.h"
#include "sim/results/run_result.h"
#include "sim/results/transcript.h"

/* Fill *out (ts_init'ed here) for target t; producer names the simulator
 * and its settings in the header. */
void transcript_render(const struct run_result *r, enum oracle_target t, const char *producer,
                       struct transcript *out);

#endif
