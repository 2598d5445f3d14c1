/*
 * mce_logout.h - Xen's mcheck_mca_logout (mce.c) for the xen handler
 * order: read the valid banks of a mask on this CPU into one telemetry
 * record, summarise them and say which banks to clear.
 */
#ifndef HV_MCE_LOGOUT_H
#define HV_MCE_LOGOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "hv.h"
#include "xen_grade.h"

/* Xen's struct mca_summary, and the record (Xen's cookie). */
struct xen_logout {
    unsigned errcnt;          /* valid banks read                       */
    bool ripv, eipv, lmce;    /* from MCG_STATUS                         */
    bool uc, pcc;             /* some bank had UC / PCC                  */
    bool recoverable;         /* intel_recoverable_scan held for all     */
    struct telem_entry *e;    /* the record, NULL when the pool was full */
};

/* Log out the valid banks of `mask` on cpu for `who`. Banks that
 * intel_need_clearbank_scan says to clear are cleared now, except for the
 * #MC handler, which gets them in *clear (mcheck_cmn_handler clears them
 * once the whole logout is done); clear may be NULL otherwise. */
void xen_mca_logout(struct hv *hv, unsigned cpu, enum xen_mca_source who, uint32_t mask,
                    struct xen_logout *out, uint32_t *clear);
/* mcabank_clear (mce.c): ADDR and MISC when valid, then STATUS. */
void xen_mcabank_clear(struct hv *hv, unsigned cpu, unsigned bank);

#endif
