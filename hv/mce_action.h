/*
 * mce_action.h - Xen's mce_action (mce.c): walk a record's banks through a
 * table of error handlers and give the record the worst result; with the
 * tables Xen's Intel code installs (mce_intel.c intel_mce_uhandlers for
 * the #MC handler, intel_mce_dhandlers for the softirq), and
 * mce_delayed_action, the softirq's verdict on one deferred record.
 */
#ifndef HV_MCE_ACTION_H
#define HV_MCE_ACTION_H

#include <stdbool.h>

#include "hv.h"
#include "telemetry.h"

/* Which table: the #MC handler's (Xen's regs != NULL) or the softirq's. */
enum xen_handlers { XEN_UHANDLERS = 0, XEN_DHANDLERS };

/* The worst result of r's banks under a table; each bank's handler is the
 * first whose owned_error check takes the bank's class; the walk stops
 * after a bank that needs a reset. Deferred handling traces each bank. */
enum mca_rec_result xen_mce_action(struct hv *hv, unsigned cpu, struct mca_record *r, enum xen_handlers which);

/* mce_delayed_action for the xen order: act on a deferred record and say
 * what becomes of it: RESET dumps it and panics (TELEM_STOP), RECOVERED
 * commits it, CONTINUE dumps and commits it, anything else dismisses. */
enum telem_verdict xen_mce_delayed_action(struct hv *hv, unsigned cpu, struct telem_entry *e);

#endif
