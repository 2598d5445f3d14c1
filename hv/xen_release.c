/*
 * xen_release.c - one row per Xen release modelled (xen_release.h), and
 * the debug-build console.
 *
 * physcpuinfo_*: do_mc_get_cpu_info (mce.c) fills mc_vendor from the CPU's
 * x86_vendor. In 4.17.7 that is Xen's own bitmap value (X86_VENDOR_INTEL
 * 1, X86_VENDOR_AMD 2, x86-vendors.h); 4.20.4 maps it back to the numbers
 * Linux uses (Intel 0, AMD 2) with xen2linux_vendor, backported in
 * 1c762d6c46.
 */
#include "xen_release.h"

#include <stdarg.h>
#include <stdio.h>

#include "hv.h"

static const struct xen_release_traits releases[XEN_RELEASE__COUNT] = {
    [XEN_RELEASE_4_20] = {"4.20.4", 0, 2},
    [XEN_RELEASE_4_17] = {"4.17.7", 1, 2},
};

const struct xen_release_traits *xen_release_traits(enum hv_xen_release r)
{
    return &releases[(unsigned)r < XEN_RELEASE__COUNT ? r : XEN_RELEASE_4_20];
}

void hv_dprintk(struct hv *hv, const char *fmt, ...)
{
    if (!hv->cfg.xen_debug)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    hv_printk(hv, "%s", line);
}
