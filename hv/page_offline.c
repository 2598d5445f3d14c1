/*
 * page_offline.c - taking a host page out of service: the page-state rules
 * in one place, for both callers.
 *
 * Two things take pages offline: the memory-error handler (memerr.c), when
 * an uncorrected error hit the page (the page is then also broken), and
 * dom0's MCA_CMD_OFFLINE_PAGE request, when its CE accounting expects one
 * (Egger's MCA concept, case II; the page is still good, so it is not
 * broken). What happens to the page depends only on its owner and its
 * current state, following the RAS Enabling Update's table (Xen Summit
 * 2009) and Xen's offline_page (common/page_alloc.c):
 *   free page                  -> offlined at once          OFFLINED
 *   owned by a domain          -> offline pending, owner    PENDING
 *                                 given back in the status
 *   hypervisor heap            -> offline pending           PENDING
 *   hypervisor image or page   -> refused: Xen cannot run   FAILED_XENPAGE
 *   tables (P2M, IOMMU, ...)      without it
 *   already out of service     -> unchanged                 ALREADY
 *     (a request: offlined, pending or broken; an error: broken)
 * A page a request already took out of service that then breaks stays in
 * its state and becomes broken: that is how a soft offline protects a page
 * before its uncorrected error.
 *
 * What a result means for the error being handled (RECOVERED, CONTINUE,
 * RESET, a vMCE for the owner) is the memory-error handler's business; a
 * refused request is an answer, never a reason to reset. The owner comes
 * from the host memory layout; RAM not described by any region is free
 * heap. Entries are created only for pages whose state changes, so a
 * refused or repeated request costs no memory.
 */
#include <stdio.h>

#include "mce_internal.h"

static const struct hv_mem_region *owner_of(const struct hv *hv, uint64_t mfn)
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
    [HV_OWNER_DOMAIN] = "domain",
};

const char *hv_owner_name(enum hv_owner o)
{
    return (unsigned)o < HV_OWNER__COUNT ? owner_names[o] : "unknown";
}

/* Where each owner's page goes, and what the caller is told. The
 * hypervisor cannot give up its image or page tables at all. */
static const struct {
    enum page_state target;  /* PAGE_NORMAL: refused, stays in use */
    uint32_t status;
} owner_rules[HV_OWNER__COUNT] = {
    [HV_OWNER_FREE] = {PAGE_OFFLINED, MCA_OFFLINE_OFFLINED},
    [HV_OWNER_XEN_IMAGE] = {PAGE_NORMAL, MCA_OFFLINE_FAILED_XENPAGE},
    [HV_OWNER_XEN_HEAP] = {PAGE_OFFLINE_PENDING, MCA_OFFLINE_PENDING},
    [HV_OWNER_XEN_PAGETABLE] = {PAGE_NORMAL, MCA_OFFLINE_FAILED_XENPAGE},
    [HV_OWNER_DOMAIN] = {PAGE_OFFLINE_PENDING, MCA_OFFLINE_PENDING},
};

/* The status of a page already out of service: it stays where it is. */
static uint32_t status_of_state(enum page_state st, uint32_t fallback)
{
    switch (st) {
    case PAGE_OFFLINED: return MCA_OFFLINE_OFFLINED;
    case PAGE_OFFLINE_PENDING: return MCA_OFFLINE_PENDING;
    case PAGE_NORMAL: break;
    }
    return fallback;
}

int hv_page_offline(struct hv *hv, unsigned cpu, uint64_t mfn, enum hv_offline_why why,
                    struct hv_offline_result *out)
{
    const struct hv_mem_region *m = owner_of(hv, mfn);
    bool broken = why == HV_OFFLINE_MEMERR;

    *out = (struct hv_offline_result){
        .mfn = mfn, .owner = m ? m->owner : HV_OWNER_FREE, .domid = DOMID_NONE, .why = why,
    };
    if ((unsigned)out->owner >= HV_OWNER__COUNT)
        out->owner = HV_OWNER_FREE;
    if (out->owner == HV_OWNER_DOMAIN)
        out->domid = m->domid;
    hv_charge(hv, cpu, HV_COST_PAGE_OP);

    const struct page_entry *seen = page_states_find(&hv->pages, mfn);
    if (seen && (seen->broken || (!broken && seen->state != PAGE_NORMAL))) {
        out->status = MCA_OFFLINE_ALREADY;
        out->state = seen->state;
        return 0;
    }
    const enum page_state target = owner_rules[out->owner].target;
    out->status = owner_rules[out->owner].status;
    out->state = seen ? seen->state : PAGE_NORMAL;
    if (!broken && target == PAGE_NORMAL)
        return 0; /* a refused request leaves no trace in the page store */

    struct page_entry *pg = page_states_get(&hv->pages, mfn);
    if (!pg)
        return -1;
    pg->broken = pg->broken || broken;
    if (pg->state == PAGE_NORMAL) {
        pg->state = target;
        if (out->owner == HV_OWNER_DOMAIN)
            pg->owner_domid = out->domid;
    } else {
        out->status = status_of_state(pg->state, out->status);
    }
    out->state = pg->state;
    return 0;
}

uint32_t hv_offline_abi_status(const struct hv_offline_result *o)
{
    uint32_t owner = 0;
    if (o->status == MCA_OFFLINE_PENDING)
        owner = o->owner == HV_OWNER_DOMAIN ? o->domid : MCA_OFFLINE_OWNER_XEN;
    return o->status | (owner << MCA_OFFLINE_OWNER_SHIFT);
}

void hv_page_offline_trace(struct hv *hv, unsigned cpu, const struct hv_offline_result *o, int bank,
                           uint64_t status, uint64_t seq)
{
    char detail[96];
    snprintf(detail, sizeof(detail), "%s%s %s", o->why == HV_OFFLINE_REQUEST ? "dom0 request: " : "",
             hv_owner_name(o->owner), page_state_name(o->state));
    hv_trace(hv, HV_STAGE_PAGE_OFFLINE, cpu, bank, status, seq, detail);
}
