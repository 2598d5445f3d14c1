/*
 * hypercall_entry.c - what every hypercall does on the way in and out:
 * count it, charge its entry, let only dom0 in (-EPERM), copy the argument
 * struct in from guest memory and, on success, back out (-EFAULT), and
 * count failures. The MCA hypercall (hypercall.c) and the domain-control
 * hypercall (domctl.c) differ only in what happens in between.
 */
#include <errno.h>
#include <string.h>

#include "mce_internal.h"

unsigned hv_hypercall_cpu(const struct hv *hv)
{
    (void)hv;
    /* The hypercall runs on the caller's vCPU; dom0's vCPU0 sits on pCPU 0. */
    return 0;
}

long hv_hypercall_enter(struct hv *hv, unsigned caller, uint64_t arg, void *buf, size_t len)
{
    const struct hv_platform *p = hv->plat;
    hv->stats.hypercalls++;
    hv_charge(hv, hv_hypercall_cpu(hv), HV_COST_HYPERCALL);
    if (caller != 0)
        return -EPERM;
    memset(buf, 0, len);
    if (p->copy_from_guest(p->ctx, caller, arg, buf, len) != 0)
        return -EFAULT;
    return 0;
}

long hv_hypercall_exit(struct hv *hv, unsigned caller, uint64_t arg, const void *buf, size_t len,
                       long rc)
{
    const struct hv_platform *p = hv->plat;
    if (rc == 0 && len && p->copy_to_guest(p->ctx, caller, arg, buf, len) != 0)
        rc = -EFAULT;
    if (rc)
        hv->stats.hypercall_errors++;
    return rc;
}
