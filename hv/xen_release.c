/*
 * xen_release.c - the rows of xen_release.h, read from the release trees
 * RELEASE-4.20.4 and RELEASE-4.17.7 (xen/arch/x86/cpu/mcheck/), and the
 * names of the policies that pick a release and a handler order.
 */
#include "xen_release.h"

#define MCE "arch/x86/cpu/mcheck/mce.c"
#define INTEL "arch/x86/cpu/mcheck/mce_intel.c"
#define ACTION "arch/x86/cpu/mcheck/mcaction.c"
#define VMCE "arch/x86/cpu/mcheck/vmce.c"
#define PAGES "common/page_alloc.c"
#define MEMORY "common/memory.c"
#define AMD "arch/x86/cpu/mcheck/mce_amd.c"

static const struct xen_release releases[XEN_VER__COUNT] = {
    [XEN_VER_4_20] = {
        .name = "4.20", .tree = "RELEASE-4.20.4", .allbanks_empty = false,
        .physcpuinfo_intel = 0, .physcpuinfo_amd = 2,
        .dprintk = {
            [DPK_MCA_CAPABILITY] = {INTEL, 773}, [DPK_DUMP_BEGIN] = {MCE, 1693},
            [DPK_DUMP_END] = {MCE, 1697},        [DPK_DELAYED_FAILED] = {MCE, 1805},
            [DPK_RECOVERED] = {MCE, 1812},       [DPK_TAINTED] = {MCE, 1817},
            [DPK_MEMERR_NO_ADDR] = {ACTION, 47}, [DPK_MEMERR_OFFLINE] = {ACTION, 55},
            [DPK_OFFLINE_RANGE] = {PAGES, 1673}, [DPK_ONLINE_RANGE] = {PAGES, 1782},
            [DPK_QUERY_RANGE] = {PAGES, 1833},   [DPK_VMCE_NO_VCPU] = {VMCE, 374},
            [DPK_REMOVE_PAGE] = {MEMORY, 373},   [DPK_MCERR_XSM] = {MCE, 1369},
            [DPK_MCERR_COPYIN] = {MCE, 1372},    [DPK_MCERR_VERSION] = {MCE, 1375},
            [DPK_MCERR_CMDFLAGS] = {MCE, 1394},  [DPK_MCERR_BUFFER] = {MCE, 1409},
            [DPK_MCERR_NOTIFY] = {MCE, 1443},    [DPK_MCERR_NCPUS] = {MCE, 1456},
            [DPK_MCERR_BADCMD] = {MCE, 1668},
        },
        .bug = {[XBUG_MC_EC2TYPE] = {AMD, 100}},
    },
    [XEN_VER_4_17] = {
        .name = "4.17", .tree = "RELEASE-4.17.7", .allbanks_empty = true,
        .physcpuinfo_intel = 1, .physcpuinfo_amd = 2,
        .dprintk = {
            [DPK_MCA_CAPABILITY] = {INTEL, 770}, [DPK_DUMP_BEGIN] = {MCE, 1665},
            [DPK_DUMP_END] = {MCE, 1669},        [DPK_DELAYED_FAILED] = {MCE, 1777},
            [DPK_RECOVERED] = {MCE, 1784},       [DPK_TAINTED] = {MCE, 1789},
            [DPK_MEMERR_NO_ADDR] = {ACTION, 47}, [DPK_MEMERR_OFFLINE] = {ACTION, 55},
            [DPK_OFFLINE_RANGE] = {PAGES, 1605}, [DPK_ONLINE_RANGE] = {PAGES, 1714},
            [DPK_QUERY_RANGE] = {PAGES, 1765},   [DPK_VMCE_NO_VCPU] = {VMCE, 379},
            [DPK_REMOVE_PAGE] = {MEMORY, 370},   [DPK_MCERR_XSM] = {MCE, 1344},
            [DPK_MCERR_COPYIN] = {MCE, 1347},    [DPK_MCERR_VERSION] = {MCE, 1350},
            [DPK_MCERR_CMDFLAGS] = {MCE, 1369},  [DPK_MCERR_BUFFER] = {MCE, 1384},
            [DPK_MCERR_NOTIFY] = {MCE, 1418},    [DPK_MCERR_NCPUS] = {MCE, 1431},
            [DPK_MCERR_BADCMD] = {MCE, 1643},
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
