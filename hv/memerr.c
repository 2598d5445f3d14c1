/*
 * memerr.c - the memory-error handler: what happens to the page an SRAO or
 * SRAR record points at. Page fates follow seed 001's table and Xen's
 * offline_page (xen-mca-behaviour.md s.6):
 *   free page            -> offlined at once              -> RECOVERED
 *   domain-owned page    -> offline pending, owner told    -> RECOVERED
 *   hypervisor heap      -> offline pending                -> CONTINUE
 *   hypervisor image or page tables (P2M, IOMMU, shadow)   -> RESET
 *   page already broken  -> nothing more to do             -> CONTINUE
 *   no usable address    -> SRAR cannot be located: RESET; SRAO: CONTINUE
 * The owner comes from the host memory layout; RAM not described by any
 * region is free heap.
 */
#include <stdio.h>

#include "arch/x86_mca.h"
#include "mce_internal.h"

#define PAGE_SHIFT 12

/* SDM 15.3.2.4 / Xen mc_check_addr: the address is a physical one at a
 * granularity no coarser than a page. */
static bool usable_address(const struct mca_record *r)
{
    if (!(r->status & MCI_STATUS_ADDRV) || !(r->status & MCI_STATUS_MISCV))
        return false;
    unsigned mode = (unsigned)((r->misc & MCI_MISC_MODE_MASK) >> MCI_MISC_MODE_SHIFT);
    unsigned lsb = (unsigned)(r->misc & MCI_MISC_LSB_MASK);
    return mode == MCI_MISC_MODE_PHYS && lsb <= PAGE_SHIFT;
}

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

/* The page belongs to a guest: break its frame in the p2m and let the
 * decision table (decide.c) say who handles it. */
static void domain_error(struct hv *hv, struct mca_record *r, unsigned domid, uint64_t mfn)
{
    struct domain *d = hv_domain(hv, domid);
    uint64_t gfn;
    r->domid = domid;
    r->action = MCA_ACT_PENDING;
    if (!d || !p2m_reverse(d, mfn, &gfn))
        return; /* memory of a domain the host does not run */
    p2m_mark_broken(d, gfn);
    r->gaddr = (gfn << PAGE_SHIFT) | (r->addr & ((1u << PAGE_SHIFT) - 1));
    const struct domain *d0 = hv_domain(hv, 0);
    struct dt_input in = {
        .decider = hv->cfg.decider, .type = d->type, .callback = d->mce_callback,
        .pv_driver = d->pv_mca_driver, .mca_enabled = d->mca_enabled,
        .dom0_handler = d0 && d0->mca_handler && d0->state == DOM_RUNNING,
    };
    struct dt_result dt = decide_domain_error(&in);
    hv_printk(hv, "MCE: dom%u gfn %#llx broken: %s", domid, (unsigned long long)gfn, dt.branch);
    switch (dt.action) {
    case DT_VMCE:
        r->action = (uint32_t)hv_vmce_deliver(hv, d, r, r->gaddr, -1);
        break;
    case DT_DEFER:
        r->action = MCA_ACT_DEFERRED;
        break;
    case DT_KILL:
        hv_domain_crash(hv, d, "killed by the hypervisor: %s", dt.branch);
        r->action = MCA_ACT_KILLED;
        break;
    }
}

enum mca_rec_result hv_memerr(struct hv *hv, unsigned cpu, struct mca_record *r)
{
    if (!usable_address(r)) {
        hv_printk(hv, "MCE: no usable physical address in bank %u", r->bank);
        return r->cls == MCA_REC_SRAR ? MCA_RES_RESET : MCA_RES_CONTINUE;
    }
    uint64_t mfn = r->addr >> PAGE_SHIFT;
    const struct hv_mem_region *m = owner_of(hv, mfn);
    enum hv_owner owner = m ? m->owner : HV_OWNER_FREE;
    struct page_entry *pg = page_states_get(&hv->pages, mfn);

    hv_charge(hv, cpu, HV_COST_PAGE_OP);
    if (!pg)
        return MCA_RES_CONTINUE;
    if (pg->broken) {
        hv_printk(hv, "MCE: page %#llx already broken", (unsigned long long)mfn);
        return MCA_RES_CONTINUE;
    }
    pg->broken = true;

    char detail[96];
    enum mca_rec_result res;
    switch (owner) {
    case HV_OWNER_XEN_IMAGE:
    case HV_OWNER_XEN_PAGETABLE:
        hv_printk(hv, "MCE: page %#llx is critical (%s), cannot offline",
                  (unsigned long long)mfn, owner_names[owner]);
        res = MCA_RES_RESET;
        break;
    case HV_OWNER_XEN_HEAP:
        pg->state = PAGE_OFFLINE_PENDING;
        r->action = MCA_ACT_PENDING;
        hv_printk(hv, "MCE: page %#llx (xen-heap) offline pending", (unsigned long long)mfn);
        res = MCA_RES_CONTINUE;
        break;
    case HV_OWNER_DOMAIN:
        pg->state = PAGE_OFFLINE_PENDING;
        pg->owner_domid = m->domid;
        hv_printk(hv, "MCE: page %#llx owned by dom%u offline pending", (unsigned long long)mfn,
                  m->domid);
        domain_error(hv, r, m->domid, mfn);
        /* An SRAR consumer that could not be told cannot continue: Xen
         * crashes the domain and then panics (xen-mca-behaviour.md s.5). */
        res = r->cls == MCA_REC_SRAR && r->action == MCA_ACT_CRASHED ? MCA_RES_RESET : MCA_RES_RECOVERED;
        break;
    case HV_OWNER_FREE:
    default:
        pg->state = PAGE_OFFLINED;
        r->action = MCA_ACT_OFFLINED;
        hv_printk(hv, "MCE: page %#llx offlined", (unsigned long long)mfn);
        res = MCA_RES_RECOVERED;
        break;
    }
    snprintf(detail, sizeof(detail), "%s %s", owner_names[owner], page_state_name(pg->state));
    hv_trace(hv, HV_STAGE_PAGE_OFFLINE, cpu, (int)r->bank, r->status, r->seq, detail);
    return res;
}
