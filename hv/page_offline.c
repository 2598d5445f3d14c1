/*
 * page_offline.c - taking host pages out of service and back, as Xen's
 * common/page_alloc.c does: offline_page, online_page, query_page_offline,
 * and what freeing a page does to one being offlined (free_heap_pages ->
 * mark_page_free). The memory-error handler (memerr.c) offlines a page an
 * uncorrected error broke; dom0 offlines, onlines and queries pages with
 * MCA_CMD_OFFLINE_PAGE, Xen's XEN_SYSCTL_page_offline_op (hypercall.c).
 * The same in the 4.17.7 and 4.20.4 trees.
 *
 * A page is normal, offlining (Xen's PGC_state_offlining: out of service
 * once its owner frees it; PAGE_OFFLINE_PENDING here) or offlined, and
 * broken (PGC_broken) or not. offline_page, for a page of each kind:
 *   beyond the last frame          -EINVAL   (status untouched)
 *   the hypervisor's image         -EPERM    FAILED|XENPAGE, owner DOMID_XEN
 *   not conventional RAM           -EINVAL   FAILED|NOT_CONV_RAM
 *   broken before, owned           0         AGAIN, and the owner is crashed
 *   free                           0         OFFLINED (now, taken out of the heap)
 *   owned by a domain              0         PENDING|OWNED, owner its domid
 *   the hypervisor's heap          0         PENDING|XENPAGE, owner DOMID_XEN
 *   in use, nobody's (page tables) 0         FAILED|ANONYMOUS, owner DOMID_INVALID
 * with BROKEN added when the call is for an error; every page that is
 * neither offlined nor offlining before becomes offlining (or offlined
 * when free), the anonymous one too, so it leaves service when freed.
 *
 * Who owns a page comes from the host's memory map (hv_mem_region); a
 * domain's page is free once the domain is gone (crashed or destroyed:
 * xl's default on_crash=destroy frees its memory) or the guest gave it
 * back (ballooned out). Entries exist only for pages whose state changed,
 * so a query or a refused request costs no memory.
 */
#include <errno.h>
#include <stdio.h>

#include "mce_internal.h"

static const struct hv_mem_region *region_of(const struct hv *hv, uint64_t mfn)
{
    for (unsigned i = 0; i < hv->cfg.nregions; i++) {
        const struct hv_mem_region *m = &hv->regions[i];
        if (mfn >= m->start_mfn && mfn - m->start_mfn < m->npages)
            return m;
    }
    return NULL;
}

static const char *const owner_names[HV_OWNER__COUNT] = {
    [HV_OWNER_FREE] = "free", [HV_OWNER_XEN_IMAGE] = "xen-image",
    [HV_OWNER_XEN_HEAP] = "xen-heap", [HV_OWNER_XEN_PAGETABLE] = "xen-pagetable",
    [HV_OWNER_DOMAIN] = "domain", [HV_OWNER_NOT_RAM] = "not-ram",
};

const char *hv_owner_name(enum hv_owner o)
{
    return (unsigned)o < HV_OWNER__COUNT ? owner_names[o] : "unknown";
}

struct hv_page_owner hv_page_owner(struct hv *hv, uint64_t mfn)
{
    const struct hv_mem_region *m = region_of(hv, mfn);
    struct hv_page_owner o = {m ? m->owner : HV_OWNER_FREE, DOMID_NONE};
    if ((unsigned)o.kind >= HV_OWNER__COUNT)
        o.kind = HV_OWNER_FREE;
    const struct page_entry *e = page_states_find(&hv->pages, mfn);
    if (e && e->freed)
        return (struct hv_page_owner){HV_OWNER_FREE, DOMID_NONE};
    if (o.kind == HV_OWNER_DOMAIN) {
        const struct domain *d = hv_domain(hv, m->domid);
        if (!d || d->state == DOM_CRASHED || d->state == DOM_DYING)
            return (struct hv_page_owner){HV_OWNER_FREE, DOMID_NONE};
        o.domid = m->domid;
    }
    return o;
}

static void trace_state(struct hv *hv, unsigned cpu, uint64_t mfn, const char *why, const struct page_entry *pg)
{
    char detail[96];
    snprintf(detail, sizeof(detail), "mfn %#llx %s: %s%s", (unsigned long long)mfn, why,
             page_state_name(pg->state), pg->broken ? ", broken" : "");
    hv_trace(hv, HV_STAGE_PAGE_OFFLINE, cpu, -1, 0, 0, detail);
}

/* Xen's mark_page_offline: free -> offlined, in use -> offlining, the
 * others stay; broken sticks. */
static void mark_offline(struct page_entry *pg, bool free, bool broken)
{
    if (pg->state == PAGE_NORMAL)
        pg->state = free ? PAGE_OFFLINED : PAGE_OFFLINE_PENDING;
    pg->broken = pg->broken || broken;
}

/* What offline_page tells about a page left in use, by its owner. */
static uint32_t pending_status(const struct hv_page_owner *o)
{
    switch (o->kind) {
    case HV_OWNER_DOMAIN:
        return MCA_PG_OWNED | MCA_PG_PENDING | ((uint32_t)o->domid << MCA_PG_OWNER_SHIFT);
    case HV_OWNER_XEN_HEAP:
        return MCA_PG_XENPAGE | MCA_PG_PENDING | (MCA_PG_OWNER_XEN << MCA_PG_OWNER_SHIFT);
    default: /* nobody owns it and it is not the heap's: page tables */
        return MCA_PG_ANONYMOUS | MCA_PG_FAILED | (MCA_PG_OWNER_INVALID << MCA_PG_OWNER_SHIFT);
    }
}

int hv_offline_page(struct hv *hv, unsigned cpu, uint64_t mfn, bool broken, uint32_t *status)
{
    hv_charge(hv, cpu, HV_COST_PAGE_OP);
    if (mfn >= MCA_OFFLINE_MFN_LIMIT) {
        xen_dprintk(hv, DPK_OFFLINE_RANGE, "try to offline out of range page %05llx", (unsigned long long)mfn);
        return -EINVAL; /* *status untouched */
    }
    struct hv_page_owner o = hv_page_owner(hv, mfn);
    if (o.kind == HV_OWNER_XEN_IMAGE) {
        *status = MCA_PG_XENPAGE | MCA_PG_FAILED | (MCA_PG_OWNER_XEN << MCA_PG_OWNER_SHIFT);
        return -EPERM;
    }
    if (o.kind == HV_OWNER_NOT_RAM) {
        *status = MCA_PG_FAILED | MCA_PG_NOT_CONV_RAM;
        return -EINVAL;
    }
    const struct page_entry *seen = page_states_find(&hv->pages, mfn);
    if (seen && seen->broken && o.kind == HV_OWNER_DOMAIN) {
        /* the owner was told before and touched it again: stop it */
        *status = MCA_PG_AGAIN;
        hv_domain_crash(hv, hv_domain(hv, o.domid), "offline_page: its broken page %#llx was hit again",
                        (unsigned long long)mfn);
        return 0;
    }
    struct page_entry *pg = page_states_get(&hv->pages, mfn);
    if (!pg)
        return -ENOMEM;
    enum page_state before = pg->state;
    bool was_broken = pg->broken;
    mark_offline(pg, o.kind == HV_OWNER_FREE, broken);
    if (pg->state == PAGE_OFFLINE_PENDING && before != PAGE_OFFLINE_PENDING)
        pg->owner_domid = o.domid; /* DOMID_NONE for the hypervisor's pages */
    if (pg->state != before || pg->broken != was_broken)
        trace_state(hv, cpu, mfn, broken ? "offline_page (error)" : "offline_page (request)", pg);
    if (pg->state == PAGE_OFFLINED)
        *status = MCA_PG_OFFLINED | (broken ? MCA_PG_BROKEN : 0);
    else
        *status = pending_status(&o) | (broken ? MCA_PG_BROKEN : 0);
    return 0;
}

int hv_online_page(struct hv *hv, unsigned cpu, uint64_t mfn, uint32_t *status)
{
    hv_charge(hv, cpu, HV_COST_PAGE_OP);
    if (mfn >= MCA_OFFLINE_MFN_LIMIT) {
        xen_dprintk(hv, DPK_ONLINE_RANGE, "call expand_pages() first");
        return -EINVAL; /* *status untouched */
    }
    *status = 0;
    const struct page_entry *seen = page_states_find(&hv->pages, mfn);
    if (!seen || seen->state == PAGE_NORMAL)
        return 0;
    if (seen->broken) {
        *status = MCA_PG_FAILED | MCA_PG_BROKEN;
        return -EINVAL;
    }
    struct page_entry *pg = page_states_get(&hv->pages, mfn); /* its own, were it a run's */
    if (!pg)
        return -ENOMEM;
    /* an offlined page goes back to the heap; an offlining one stays with
     * its owner, back in service */
    pg->freed = pg->freed || pg->state == PAGE_OFFLINED;
    pg->state = PAGE_NORMAL;
    *status = MCA_PG_ONLINED;
    trace_state(hv, cpu, mfn, "online_page", pg);
    return 0;
}

int hv_query_page_offline(struct hv *hv, uint64_t mfn, uint32_t *status)
{
    if (mfn >= MCA_OFFLINE_MFN_LIMIT || hv_page_owner(hv, mfn).kind == HV_OWNER_NOT_RAM) {
        xen_dprintk(hv, DPK_QUERY_RANGE, "call expand_pages() first");
        return -EINVAL; /* *status untouched */
    }
    const struct page_entry *pg = page_states_find(&hv->pages, mfn);
    *status = 0;
    if (pg && pg->state == PAGE_OFFLINE_PENDING)
        *status |= MCA_PG_STATUS_OFFLINE_PENDING;
    if (pg && pg->broken)
        *status |= MCA_PG_STATUS_BROKEN;
    if (pg && pg->state == PAGE_OFFLINED)
        *status |= MCA_PG_STATUS_OFFLINED;
    return 0;
}

/* mark_page_free: an offlining page is offlined when freed; any other
 * page is free from now on. */
static void freed(struct hv *hv, unsigned cpu, struct page_entry *pg)
{
    if (pg->state == PAGE_OFFLINE_PENDING) {
        pg->state = PAGE_OFFLINED;
        trace_state(hv, cpu, pg->mfn, "freed by its owner", pg);
    }
    pg->freed = true;
}

int hv_page_freed(struct hv *hv, unsigned cpu, uint64_t mfn)
{
    struct page_entry *pg = page_states_get(&hv->pages, mfn);
    if (!pg)
        return -ENOMEM;
    freed(hv, cpu, pg);
    return 0;
}

void hv_pages_released(struct hv *hv, unsigned cpu, unsigned domid)
{
    for (unsigned i = 0; i < hv->pages.n; i++) {
        struct page_entry *p = &hv->pages.v[i];
        if (p->state == PAGE_OFFLINE_PENDING && p->owner_domid == domid)
            freed(hv, cpu, p);
    }
}
