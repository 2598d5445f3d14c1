/*
 * mem_heal.c - hardware self-healing under the hypervisor's control:
 * MCA_CMD_SPARE_RANK, dom0's request that the memory controller's
 * online-spare rank take over, or mirror, a failing rank (the copy runs in the
 * controller, taking time and channel bandwidth; models/memctl/spare.h).
 *
 * Egger's "Xen MCA/MCE concept" (xen-devel, 2007): "only Xen should use
 * the HW features such as online-spare RAM ... The HW features should
 * never be visible to any DomUs ... Only the Dom0 can tell Xen to do
 * something using HW features." So: dom0 asks (hypercall_entry.c refuses
 * any other caller with -EPERM), the hypervisor drives the controller
 * through its platform, and no guest is told anything: its pages keep
 * their frames, the spare answers for them. Xen has no such command; the
 * seed000 policy set gives it (hypercall.c).
 */
#include <errno.h>
#include <stdio.h>

#include "mce_internal.h"

long hv_mca_spare(struct hv *hv, unsigned cpu, const struct mca_spare *s)
{
    const struct hv_platform *p = hv->plat;
    if (s->mode > MCA_SPARE_MODE_MIRROR || s->pad)
        return -EINVAL;
    bool mirror = s->mode == MCA_SPARE_MODE_MIRROR;
    long rc = p->mem_spare ? p->mem_spare(p->ctx, s->addr, mirror) : -ENODEV;
    const char *how = mirror ? "mirrors" : "takes over";
    char detail[64];
    snprintf(detail, sizeof(detail), "%s rank of %#llx: %ld", mirror ? "mirror" : "spare",
             (unsigned long long)s->addr, rc);
    hv_trace(hv, HV_STAGE_MEM_SPARE, cpu, -1, 0, 0, detail);
    if (rc == 0)
        hv_printk(hv, "MCE: spare rank %s the rank of %#llx", how, (unsigned long long)s->addr);
    else
        hv_printk(hv, "MCE: spare rank for %#llx refused (%ld)", (unsigned long long)s->addr, rc);
    return rc;
}
