/*
 * xen_release.h - what differs between the Xen releases the hv can behave
 * as (public/hv_policy.h enum hv_xen_version), as one row per release:
 * the mca_allbanks regression, the vendor numbers XEN_MC_physcpuinfo
 * reports, where each dprintk of the machine-check, page-offline and
 * vMCE code sits (a debug build prints "file:line: " before the message,
 * "file:line:dNvM " for a gdprintk) and where each BUG() sits ("Xen BUG at
 * file:line", any build).
 */
#ifndef HV_XEN_RELEASE_H
#define HV_XEN_RELEASE_H

#include <stdbool.h>

#include "public/hv_policy.h"

/* The dprintk()s of the #MC path (printed by debug builds only). */
enum xen_dprintk {
    DPK_MCA_CAPABILITY = 0, /* mce_intel.c intel_init_mca, boot CPU  */
    DPK_DUMP_BEGIN,         /* mce.c mc_panic_dump                    */
    DPK_DUMP_END,           /* mce.c mc_panic_dump                    */
    DPK_DELAYED_FAILED,     /* mce.c mce_delayed_action, RESET        */
    DPK_RECOVERED,          /* mce.c mce_delayed_action, RECOVERED    */
    DPK_TAINTED,            /* mce.c mce_delayed_action, CONTINUE     */
    DPK_MEMERR_NO_ADDR,     /* mcaction.c mc_memerr_dhandler          */
    DPK_MEMERR_OFFLINE,     /* mcaction.c mc_memerr_dhandler          */
    DPK_OFFLINE_RANGE,      /* page_alloc.c offline_page, !mfn_valid   */
    DPK_ONLINE_RANGE,       /* page_alloc.c online_page, !mfn_valid    */
    DPK_QUERY_RANGE,        /* page_alloc.c query_page_offline         */
    DPK_VMCE_NO_VCPU,       /* vmce.c vmce_load_vcpu_ctxt              */
    DPK_REMOVE_PAGE,        /* memory.c guest_remove_page (gdprintk)   */
    DPK_MCERR_XSM,          /* mce.c do_mca, x86_mcerr (gdprintk)      */
    DPK_MCERR_COPYIN,
    DPK_MCERR_VERSION,
    DPK_MCERR_CMDFLAGS,
    DPK_MCERR_BUFFER,
    DPK_MCERR_NOTIFY,
    DPK_MCERR_NCPUS,
    DPK_MCERR_BADCMD,
    DPK__COUNT
};

struct xen_dprintk_site {
    const char *file;       /* as __FILE__ expands in Xen's build     */
    unsigned line;
};

/* The BUG()s mcasim can reach (printed by every build, then panic). */
enum xen_bug {
    XBUG_MC_EC2TYPE = 0,    /* mce_amd.c mc_ec2type: an MCA error code
                             * with none of the bus, memory, TLB bits   */
    XBUG__COUNT
};

struct xen_release {
    const char *name;       /* "4.20", "4.17"                          */
    const char *tree;       /* the release tree the row was read from  */
    /* mca_cap_init sets the bits of the old mca_allbanks and frees it,
     * leaving the new bitmap empty (since 560cf418c8, 2019; fixed by
     * 532988dccc, backported as 247b708b14 to 4.20.2 and 01b8bc41e8 to
     * 4.19.4, never to 4.17): the #MC handler, the boot logout and the
     * poller without CMCI, which walk mca_allbanks, read no bank. */
    bool allbanks_empty;
    /* mc_vendor of XEN_MC_physcpuinfo (do_mc_get_cpu_info) for an Intel and
     * an AMD CPU: Xen's X86_VENDOR_* bitmap values in 4.17.7 (1, 2); the
     * numbers Linux uses (0, 2) in 4.20.4, mapped by xen2linux_vendor
     * (backported as 1c762d6c46). */
    unsigned physcpuinfo_intel, physcpuinfo_amd;
    struct xen_dprintk_site dprintk[DPK__COUNT];
    struct xen_dprintk_site bug[XBUG__COUNT]; /* "Xen BUG at file:line" */
};

const struct xen_release *xen_release_of(enum hv_xen_version v);

#endif
