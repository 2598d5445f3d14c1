/*
 * domctl_abi.h - the domain-control hypercall the dom0 toolstack uses to
 * migrate a guest: pause/unpause/destroy, log-dirty mode, frame types,
 * broken frames on the receiving side, and the vMCE save record.
 *
 * It follows the shape of Xen's public domctl.h (XEN_DOMCTL_shadow_op,
 * getpageframeinfo3, set_broken_page_p2m, HVM save record VMCE_VCPU) and
 * reuses its values where a value is a fact (the frame types), without
 * being binary compatible. Only dom0 may call it (-EPERM); every guest
 * pointer goes through copy_from/to_guest (-EFAULT); anything malformed
 * is -EINVAL; a domain that does not exist is -ESRCH. As in Xen, dom0
 * cannot name itself except to query (GETINFO, GET_VMCE,
 * GETPAGEFRAMEINFO): -EINVAL. A dying domain can be queried and destroyed
 * again (a no-op); anything else on it is -EINVAL.
 */
#ifndef HV_PUBLIC_DOMCTL_ABI_H
#define HV_PUBLIC_DOMCTL_ABI_H

#include <stdint.h>

#define DOMCTL_INTERFACE_VERSION 0x0000000Au

enum domctl_cmd {
    DOMCTL_PAUSE = 1,          /* stop the domain's vCPUs                   */
    DOMCTL_UNPAUSE,            /* let them run again                        */
    DOMCTL_DESTROY,            /* the domain goes away, its memory is freed */
    DOMCTL_SHADOW_OP,          /* log-dirty mode (struct domctl_shadow)     */
    DOMCTL_GETPAGEFRAMEINFO,   /* frame types of a batch (domctl_pfinfo)    */
    DOMCTL_SET_BROKEN_PAGE_P2M,/* mark one gfn broken (domctl_broken)       */
    DOMCTL_GET_VMCE,           /* save record of one vCPU (domctl_vmce)     */
    DOMCTL_SET_VMCE,           /* restore it; unsupported caps: -EINVAL     */
    DOMCTL_GETINFO,            /* state and migration flags (domctl_info)   */
    DOMCTL__LAST = DOMCTL_GETINFO
};

/* DOMCTL_SHADOW_OP ops (Xen's XEN_DOMCTL_SHADOW_OP_*). */
enum domctl_shadow_op {
    SHADOW_OP_OFF = 0,         /* leave log-dirty mode                      */
    SHADOW_OP_ENABLE_LOGDIRTY, /* start tracking, with nothing dirty yet
                                * (also when already on: a fresh start)     */
    SHADOW_OP_CLEAN,           /* copy out the dirty gfns and clear them    */
    SHADOW_OP_PEEK,            /* copy out the dirty gfns, keep them        */
};                             /* CLEAN/PEEK outside log-dirty mode: -EINVAL */

struct domctl_shadow {
    uint32_t op;               /* enum domctl_shadow_op                     */
    uint32_t pad;              /* must be 0                                 */
    uint64_t dirty;            /* guest address of max uint64_t gfns        */
    uint64_t max;              /* in: room at dirty (0: only count)         */
    uint64_t count;            /* out: dirty gfns in total; the first
                                * min(count, max) of them, ascending, were
                                * copied. CLEAN clears only those copied.   */
};

/* Frame types, Xen's XEN_DOMCTL_PFINFO_* values (public/domctl.h),
 * carried in bits 63:60 of an entry here (Xen: 31:28) so that gfns
 * of 2^28 and above still fit below them. */
#define DOMCTL_PFINFO_SHIFT 60
#define DOMCTL_PFINFO_NOTAB 0x0ull   /* a normal page                       */
#define DOMCTL_PFINFO_BROKEN 0xDull  /* broken: no data, mark it broken     */
#define DOMCTL_PFINFO_XTAB 0xFull    /* not a valid gfn of the domain       */
#define DOMCTL_PFINFO_GFN_MASK ((1ull << DOMCTL_PFINFO_SHIFT) - 1)
#define DOMCTL_PFINFO_MAX_BATCH 1024u /* Xen's MAX_BATCH_SIZE               */

struct domctl_pfinfo {
    uint64_t array;            /* guest address of num entries: in a gfn,
                                * out gfn | type << DOMCTL_PFINFO_SHIFT     */
    uint32_t num;              /* 1..DOMCTL_PFINFO_MAX_BATCH                */
    uint32_t pad;              /* must be 0                                 */
};

struct domctl_broken {
    uint64_t gfn;              /* must be a gfn of the domain               */
};

/* The vMCE save record of one vCPU: Xen's HVM record VMCE_VCPU (type 18):
 * caps, MCi_CTL2 of banks 0 and 1, MCG_EXT_CTL. Nothing else: the banks'
 * contents and a pending injection are not part of it. */
struct domctl_vmce {
    uint32_t vcpu;
    uint32_t pad;              /* must be 0                                 */
    uint64_t caps;             /* MCG_CAP the guest was shown               */
    uint64_t mci_ctl2_bank0;
    uint64_t mci_ctl2_bank1;
    uint64_t mcg_ext_ctl;
};

/* domctl_info.flags */
#define DOMCTL_INFO_LOGDIRTY 0x1u      /* in log-dirty mode                 */
#define DOMCTL_INFO_VMCE_IN_LOGDIRTY 0x2u /* a vMCE was injected while in
                                         * log-dirty mode (vMCE RFC's
                                         * "migration in progress" flag)    */
#define DOMCTL_INFO_VMCE_PENDING 0x4u  /* a vCPU has a vMCE not yet taken
                                         * (a paused domain keeps it until
                                         * unpaused)                        */

struct domctl_info {
    uint32_t state;            /* enum dom_state order: running, paused,
                                * crashed, dying                            */
    uint32_t flags;            /* DOMCTL_INFO_*                             */
    uint64_t nr_pages;         /* gfns 0..nr_pages-1                        */
    uint32_t nvcpus;
    uint32_t nbroken;          /* broken gfns in the p2m                    */
};

struct domctl {
    uint32_t cmd;              /* enum domctl_cmd                           */
    uint32_t interface_version;/* DOMCTL_INTERFACE_VERSION                  */
    uint32_t domid;
    uint32_t pad;              /* must be 0                                 */
    union {
        struct domctl_shadow shadow;
        struct domctl_pfinfo pfinfo;
        struct domctl_broken broken;
        struct domctl_vmce vmce;
        struct domctl_info info;
    } u;
};

#endif
