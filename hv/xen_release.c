/*
 * xen_release.c - the rows of xen_release.h, read from the release trees
 * RELEASE-4.20.4 and RELEASE-4.17.7 (xen/arch/x86/cpu/mcheck/), and the
 * names of the policies that pick a release and a handler order.
 */
#include "xen_release.h"

#define MCE "arch/x86/cpu/mcheck/mce.c"
#define INTEL "arch/x86/cpu/mcheck/mce_intel.c"
#define AMD "arch/x86/cpu/mcheck/mce_amd.c"

static const struct xen_release releases[XEN_VER__COUNT] = {
    [XEN_VER_4_20] = {
        .name = "4.20", .tree = "RELEASE-4.20.4", .allbanks_empty = false,
        .dprintk = {
            [DPK_MCA_CAPABILITY] = {INTEL, 773}, [DPK_DUMP_BEGIN] = {MCE, 1693},
            [DPK_DUMP_END] = {MCE, 1697},        [DPK_DELAYED_FAILED] = {MCE, 1805},
            [DPK_RECOVERED] = {MCE, 1812},       [DPK_TAINTED] = {MCE, 1817},
        },
        .bug = {[XBUG_MC_EC2TYPE] = {AMD, 100}},
    },
    [XEN_VER_4_17] = {
        .name = "4.17", .tree = "RELEASE-4.17.7", .allbanks_empty = true,
        .dprintk = {
            [DPK_MCA_CAPABILITY] = {INTEL, 770}, [DPK_DUMP_BEGIN] = {MCE, 1665},
            [DPK_DUMP_END] = {MCE, 1669},        [DPK_DELAYED_FAILED] = {MCE, 1777},
            [DPK_RECOVERED] = {MCE, 1784},       [DPK_TAINTED] = {MCE, 1789},
        },
        /* unreachable: with the empty mca_allbanks the AMD code logs out no bank */
        .bug = {[XBUG_MC_EC2TYPE] = {AMD, 112}},
    },
};

const struct xen_release *xen_release_of(enum hv_xen_version v)
{
    return &releases[(unsigned)v < XEN_VER__COUNT ? v : XEN_VER_4_20];
}

const char *hv_xen_version_name(enum hv_xen_version v)
{
    return (unsigned)v < XEN_VER__COUNT ? releases[v].name : "unknown";
}

const char *hv_handler_order_name(enum hv_handler_order o)
{
    static const char *const names[ORDER__COUNT] = {[ORDER_XEN] = "xen", [ORDER_LINUX] = "linux"};
    return (unsigned)o < ORDER__COUNT ? names[o] : "unknown";
}
