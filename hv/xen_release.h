/*
 * xen_release.h - the Xen release the hypervisor core behaves as, and
 * whether it is a debug build: the differences between the releases
 * mcasim models, as the rows of one table (xen_release.c), and the
 * console lines only a debug build prints (Xen's dprintk, compiled out
 * when NDEBUG).
 *
 * The rows hold only what differs between the trees checked (4.17.7 and
 * 4.20.4); everything else in the hv is the same for both.
 */
#ifndef HV_XEN_RELEASE_H
#define HV_XEN_RELEASE_H

#include <stdint.h>

#include "public/hv_policy.h"

struct xen_release_traits {
    const char *name;
    /* mc_vendor in XEN_MC_physcpuinfo for an Intel and an AMD CPU */
    uint32_t physcpuinfo_intel, physcpuinfo_amd;
};

const struct xen_release_traits *xen_release_traits(enum hv_xen_release r);

struct hv;
/* A dprintk: on the console of a debug build only. */
void hv_dprintk(struct hv *hv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
