/*
 * xen_callbacks.c - the Intel row of xen_callbacks.h: intel_callbacks of
 * mce_intel.c, over the tables of xen_grade.c (which take SER_P as Xen's
 * ser_support, the boot CPU's) and intel_checkaddr. The AMD rows are in
 * mce_amd.c.
 */
#include "xen_callbacks.h"

#include "arch/x86_mca.h"
#include "hv.h"

static bool intel_recoverable(struct hv *hv, unsigned cpu, uint64_t status)
{
    (void)cpu;
    return xen_recoverable_scan(status, hv->x.ser_support);
}

static bool intel_need_clear(const struct hv *hv, enum xen_mca_source who, uint64_t status)
{
    return xen_need_clearbank_scan(who, status, hv->x.ser_support);
}

/* intel_checkaddr, asked for MC_ADDR_PHYSICAL as mca_init_bank does:
 * physical when ADDRV, MISCV and the MISC address mode says so. */
static bool intel_checkaddr(struct hv *hv, unsigned cpu, uint64_t status, uint64_t misc)
{
    (void)hv, (void)cpu;
    return (status & MCI_STATUS_ADDRV) && (status & MCI_STATUS_MISCV) &&
           ((misc & MCI_MISC_MODE_MASK) >> MCI_MISC_MODE_SHIFT) == MCI_MISC_MODE_PHYS;
}

const struct xen_callbacks xen_intel_callbacks = {
    .name = "intel",
    .grade = &sev_table_xen,
    .recoverable_scan = intel_recoverable,
    .need_clearbank_scan = intel_need_clear,
    .check_addr = intel_checkaddr,
    .handlers = XEN_HANDLER_SET_INTEL,
};
