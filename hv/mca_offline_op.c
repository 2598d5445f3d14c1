/*
 * mca_offline_op.c - MCA_CMD_OFFLINE_PAGE, dom0's way to take a host page
 * out of service, put it back, or ask about it. Xen has no such do_mca
 * command: its toolstack uses XEN_SYSCTL_page_offline_op (common/sysctl.c)
 * over a range of frames, whose cmd picks offline_page (not broken),
 * online_page or query_page_offline (common/page_alloc.c, page_offline.c
 * here). This command does the same for one frame: op is the sysctl's
 * cmd (anything else -EINVAL, as its default case), the status is the
 * PG_OFFLINE_* word those functions write, and the return is theirs.
 * Where they write no status (a bad op, a frame beyond the last page) the
 * caller reads the sysctl's initial fill: memset of the status array with
 * PG_OFFLINE_INVALID, so every byte 0x01.
 * dom0 is the only caller (hypercall_entry.c: -EPERM otherwise, as the
 * sysctl's XSM_PRIV check).
 */
#include <errno.h>

#include "mce_internal.h"

long hv_mca_offline_op(struct hv *hv, unsigned cpu, struct mca_offline *o)
{
    long rc;
    o->status = MCA_PG_UNTOUCHED;
    switch (o->op) {
    case MCA_OFFLINE_OP_OFFLINE:
        hv->stats.offline_requests++;
        rc = hv_offline_page(hv, cpu, o->mfn, false, &o->status);
        break;
    case MCA_OFFLINE_OP_ONLINE:
        rc = hv_online_page(hv, cpu, o->mfn, &o->status);
        break;
    case MCA_OFFLINE_OP_QUERY:
        rc = hv_query_page_offline(hv, o->mfn, &o->status);
        break;
    default:
        return -EINVAL;
    }
    return rc;
}
