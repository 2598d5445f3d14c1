/*
 * bare_linux.h - how a case of the oracle's linux target runs in mcasim:
 * the Linux guest model (guests/linux_guest.c) as the kernel that owns the
 * machine, no hypervisor between. This is what the Linux oracle checks:
 * what the guest model does with the very register images the case
 * injects, where under Xen it would only ever see a vMCE Xen shaped (bank 1,
 * MSCOD masked, a guest address) after Xen's own decisions (a PCC error
 * never reaches a guest).
 *
 * The machine is host 0 of the case: one CPU model (models/cpu/cpu_mca.c)
 * per CPU, so the case's events mean what they mean on the Xen targets
 * (hardware sets EN, applies the overwrite rules, broadcasts #MC, shuts a
 * CPU down on a #MC while MCIP is set). The model's vCPU v is CPU v and its
 * MSR accesses go straight to that CPU's register file; its log lines are
 * domain 0's (the case's dom0 stands for the kernel that owns the machine).
 *
 * Boot does what Linux's per-CPU init (mcheck_cpu_init) does on every CPU
 * and the model, written for a guest, leaves to its host: MCG_CTL all ones
 * with MCG_CTL_P, and the model's MCi_CTL writes (issued on vCPU 0) on
 * every CPU. Events run in time order, those at one time together: every
 * inject latches first, each CPU it signals gets its #MC, then each CPU
 * that got one runs the model's handler, in CPU order, taking no simulated
 * time (so a later #MC never finds the earlier handler still running).
 * Inject and context events only; anything else is refused.
 */
#ifndef SIM_BARE_LINUX_H
#define SIM_BARE_LINUX_H

#include <stddef.h>

#include "sim/results/run_result.h"
#include "sim/scenario/scenario.h"

/* Run s and fill *out (rr_free() it). 0, or -1 with the reason in err (an
 * event this machine cannot run; nothing is filled then). */
int bare_linux_run(const struct scenario *s, struct run_result *out, char *err, size_t errlen);

#endif
