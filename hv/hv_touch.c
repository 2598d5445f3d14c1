/*
 * hv_touch.c - the hypervisor reading a domain's frame itself, on the
 * paths the RAS Enabling Update (Xen Summit 2009) lists as "Xen may access
 * broken guest memory". One row per path says who loads the frame, and
 * what the path answers when the frame is not one it may read:
 *
 *   path             loads it         Xen finds it       refused with
 *   copy_from_guest  Xen              HVM: p2m           -EFAULT
 *   grant_copy       Xen              p2m (translated)   GNTST_bad_page
 *   emulation        Xen              p2m                read as MMIO (0)
 *   shadow_walk      Xen              p2m                a guest #PF (0)
 *   kexec_load       Xen              dom0's own tables  -EFAULT
 *   grant_map        backend kernel   p2m (translated)   GNTST_bad_page
 *
 * Xen (4.20) refuses a frame only where the owner's p2m says it is not
 * RAM: an HVM guest's frame that mc_memerr_dhandler took away is
 * p2m_ram_broken, which p2m_get_page_from_gfn does not hand out
 * (hvm_translate_get_page: HVMTRANS_bad_gfn_to_mfn; get_paged_frame:
 * GNTST_bad_page; linear_read: an MMIO read; guest_walk_tables:
 * map_domain_gfn fails). A PV guest's or dom0's frame stays mapped, and a
 * copy from it goes through the guest's own page tables. Any other frame
 * is loaded; if it holds poison the load is an SRAR whose #MC interrupted
 * Xen (RIPV=0): Xen has no exception-table fixup for #MC (do_machine_check
 * goes straight to mcheck_cmn_handler), so mce_urgent_action calls it
 * fatal and the host panics. The backend of a grant mapping loads in its
 * own kernel: an SRAR in dom0, handled as a foreign consumer (memerr.c).
 *
 * `hv_touch: avoid` (the RAS update's proposal, "avoid high-possibility
 * access") also refuses a frame Xen's frame table knows broken, whoever
 * owns it; where a path cannot go on without the frame (emulation, the
 * shadow walk) the owner is crashed instead. A frame whose poison nobody
 * found yet is loaded under either policy.
 */
#include <errno.h>
#include <string.h>

#include "mce_internal.h"

#define PAGE_SHIFT 12

struct path_row {
    const char *name;
    enum x86_exec_ctx ctx; /* who loads the frame                     */
    bool via_p2m;          /* found through a translated owner's p2m  */
    int refused;           /* the answer for a frame it may not read  */
    bool avoid_crashes;    /* avoid: the owner cannot go on without it */
    const char *xen_fn;    /* where Xen refuses it (trace text)       */
};

static const struct path_row rows[HV_PATH__COUNT] = {
    [HV_PATH_COPY_FROM_GUEST] = {"copy_from_guest", X86_CTX_HV, true, -EFAULT, false,
                                 "hvm_translate_get_page: not RAM"},
    [HV_PATH_GRANT_COPY] = {"grant_copy", X86_CTX_HV, true, HV_GNTST_BAD_PAGE, false, "get_paged_frame: bad page"},
    [HV_PATH_EMULATION] = {"emulation", X86_CTX_HV, true, 0, true, "linear_read: read as MMIO"},
    [HV_PATH_SHADOW_WALK] = {"shadow_walk", X86_CTX_HV, true, 0, true, "map_domain_gfn: walk fails, guest #PF"},
    [HV_PATH_KEXEC_LOAD] = {"kexec_load", X86_CTX_HV, false, -EFAULT, false, "kimage_load_segment"},
    [HV_PATH_GRANT_MAP] = {"grant_map", X86_CTX_DOM0_KERNEL, true, HV_GNTST_BAD_PAGE, false,
                           "map_grant_ref: bad page"},
};

const char *hv_path_name(enum hv_path p)
{
    return (unsigned)p < HV_PATH__COUNT ? rows[p].name : "unknown";
}

enum hv_path hv_path_from_name(const char *name)
{
    for (unsigned i = 0; i < HV_PATH__COUNT; i++)
        if (strcmp(name, rows[i].name) == 0)
            return (enum hv_path)i;
    return HV_PATH__COUNT;
}

const char *hv_touch_policy_name(enum hv_touch_policy p)
{
    static const char *const n[HV_TOUCH__COUNT] = {[HV_TOUCH_XEN] = "xen", [HV_TOUCH_AVOID] = "avoid"};
    return (unsigned)p < HV_TOUCH__COUNT ? n[p] : "unknown";
}

/* Xen's frame table marks the frame broken (PGC_broken). */
static bool known_broken(const struct hv *hv, uint64_t mfn)
{
    const struct page_entry *e = page_states_find(&hv->pages, mfn);
    return e && e->broken;
}

static void refuse(struct hv_touch *t, int rc, const char *why)
{
    t->touch = false;
    t->rc = rc;
    t->why = why;
}

/* hv_touch: avoid. */
static void avoid(struct hv *hv, const struct path_row *r, struct domain *d, uint64_t mfn, struct hv_touch *t)
{
    hv_printk(hv, "MCE: %s: frame %#llx of dom%u is broken, not read", r->name, (unsigned long long)mfn, d->id);
    refuse(t, r->refused, "avoided: the frame is known broken");
    if (r->avoid_crashes)
        hv_domain_crash(hv, d, "%s of broken frame %#llx", r->name, (unsigned long long)mfn);
}

void hv_touch_guest(struct hv *hv, enum hv_path path, unsigned owner, uint64_t gaddr, struct hv_touch *out)
{
    *out = (struct hv_touch){.rc = -EINVAL, .ctx = X86_CTX_HV, .why = "no such path"};
    if ((unsigned)path >= HV_PATH__COUNT)
        return;
    const struct path_row *r = &rows[path];
    struct domain *d = hv_domain(hv, owner);
    uint64_t gfn = gaddr >> PAGE_SHIFT, mfn;
    out->ctx = r->ctx;
    if (!d || d->state == DOM_CRASHED || d->state == DOM_DYING)
        return refuse(out, -ESRCH, "no such domain");
    if (r->via_p2m && d->type == DOM_TYPE_HVM && p2m_is_broken(d, gfn))
        return refuse(out, r->refused, r->xen_fn);
    if (!p2m_lookup(d, gfn, &mfn))
        return refuse(out, r->refused, "no frame at that address");
    if (hv->cfg.hv_touch == HV_TOUCH_AVOID && known_broken(hv, mfn))
        return avoid(hv, r, d, mfn, out);
    out->touch = true;
    out->rc = 0;
    out->paddr = (mfn << PAGE_SHIFT) | (gaddr & ((1u << PAGE_SHIFT) - 1));
    out->why = "loaded";
}
