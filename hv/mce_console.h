/*
 * mce_console.h - what Xen's machine-check code prints, with Xen's texts,
 * for the xen handler order: mce_printk (only with mce_verbosity=verbose),
 * dprintk (only in a debug build, after "file:line: "), x86_mcinfo_dump
 * (the record dump a CONTINUE, a failed recovery and a panic leave),
 * mc_panic, panic(), and the two traps the AMD code can fall into: BUG()
 * and the UD2 of a missing callback.
 */
#ifndef HV_MCE_CONSOLE_H
#define HV_MCE_CONSOLE_H

#include "hv.h"
#include "xen_release.h"

/* mce_printk(MCE_VERBOSE, ...) (mce.h). MCE_CRITICAL lines print with no
 * mce_verbosity value Xen accepts (only "verbose", 1 < 2), so none is
 * modelled. */
void xen_mce_printk_verbose(struct hv *hv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* dprintk(lvl, ...) at one of the sites of xen_release.h. */
void xen_dprintk(struct hv *hv, enum xen_dprintk site, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* gdprintk(lvl, ...): the same, the current vCPU after "file:line:"
 * (Xen prints %pv: dNvM). */
void xen_gdprintk(struct hv *hv, enum xen_dprintk site, unsigned domid, unsigned vcpu, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* x86_mcinfo_dump (mce.c): the global line by source, then one line per
 * bank: status, [misc] when MISCV, "at addr" when ADDRV. */
void xen_mcinfo_dump(struct hv *hv, const struct mca_record *r);
/* panic() (drivers/char/console.c): the block naming the CPU and `msg`,
 * then the host stops with `reason`. */
void xen_panic(struct hv *hv, unsigned cpu, const char *msg, const char *reason);
/* mc_panic (mce.c): "Fatal machine check: s", the reboot notice, every
 * CPU's deferred records dumped (mc_panic_dump), then panic("HARDWARE
 * ERROR"); the host's reason is s. */
void xen_mc_panic(struct hv *hv, unsigned cpu, const char *s);
/* BUG() (do_bug_frame, common/bug.c): "Xen BUG at file:line" at the
 * release's site, the register dump (not modelled), then panic() with the
 * same text, which is the host's reason. */
void xen_bug(struct hv *hv, unsigned cpu, enum xen_bug site);
/* A #UD in hypervisor code that is no BUG frame (do_invalid_op, traps.c):
 * the register dump (not modelled), then panic "FATAL TRAP: vector = 6
 * (invalid opcode)". */
void xen_invalid_op(struct hv *hv, unsigned cpu);
/* mce_printk(MCE_QUIET, ...): printed whatever mce_verbosity says. */
void xen_mce_printk_quiet(struct hv *hv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
