/*
 * xen_callbacks.h - what a vendor's machine-check init installs for the
 * xen handler order: Xen's struct mce_callbacks (mce.h), which
 * mcheck_mca_logout and mca_init_bank call for every bank, and which
 * error-handler tables mce_action walks (mce_dhandlers / mce_uhandlers,
 * set by intel_init_mce only).
 *
 * One const row per callback set Xen has:
 *   intel   intel_callbacks (mce_intel.c): recoverable_scan,
 *           need_clearbank_scan, check_addr; the Intel handler tables;
 *   amd-k8  k8_callbacks (mce_amd.c, family 0xF): need_clearbank_scan only;
 *   amd     k10_callbacks (mce_amd.c, every later AMD and Hygon family):
 *           check_addr, recoverable_scan, need_clearbank_scan (and
 *           info_collect, amd_f10_handler, not modelled: no extended
 *           entries in mcasim's record).
 * The AMD rows install no handler tables, so mce_action finds no handler
 * for any bank and answers NOERROR: the softirq dismisses every deferred
 * record, the #MC handler's urgent action never says RESET.
 *
 * A NULL callback means the vendor installs none, with Xen's consequences:
 * no recoverable_scan makes every uncorrected error unrecoverable
 * (mcheck_mca_logout starts `recover` from the pointer); no
 * need_clearbank_scan clears every bank logged; no check_addr is the
 * UD2 Xen's alternative patching puts in place of a call to NULL
 * (_apply_alternatives, alternative.c), reached by mca_init_bank for a
 * bank with MISCV and ADDRV. The row also names the table that labels
 * each bank of a record (the class and rule the results show); the
 * behaviour is the callbacks'.
 */
#ifndef HV_XEN_CALLBACKS_H
#define HV_XEN_CALLBACKS_H

#include <stdbool.h>
#include <stdint.h>

#include "severity.h"
#include "xen_grade.h"

struct hv;

/* Which error-handler tables mce_action walks (mce_action.c). */
enum xen_handler_set {
    XEN_HANDLER_SET_INTEL = 0, /* intel_mce_dhandlers / intel_mce_uhandlers */
    XEN_HANDLER_SET_NONE,      /* none installed (AMD, Hygon)               */
    XEN_HANDLER_SET__COUNT
};

struct xen_callbacks {
    const char *name;                  /* "intel", "amd-k8", "amd"           */
    const struct sev_table *grade;     /* labels the banks of its records    */
    /* May the host go on after this uncorrected error? May stop the host
     * (a BUG in Xen); the caller checks hv->stopped. */
    bool (*recoverable_scan)(struct hv *hv, unsigned cpu, uint64_t status);
    /* Clear the bank after logging it, for this source? */
    bool (*need_clearbank_scan)(const struct hv *hv, enum xen_mca_source who, uint64_t status);
    /* Is MCi_ADDR a physical address? May stop the host (a BUG in Xen). */
    bool (*check_addr)(struct hv *hv, unsigned cpu, uint64_t status, uint64_t misc);
    enum xen_handler_set handlers;
};

extern const struct xen_callbacks xen_intel_callbacks; /* xen_callbacks.c */
extern const struct xen_callbacks xen_amd_k8_callbacks; /* mce_amd.c */
extern const struct xen_callbacks xen_amd_callbacks;    /* mce_amd.c */

#endif
