/*
 * memerr.c - what an SRAO or SRAR bank that points at memory does: Xen's
 * mc_memerr_dhandler (cpu/mcheck/mcaction.c, the same in 4.17.7 and
 * 4.20.4), which intel_srao_dhandler and intel_srar_dhandler (mce_intel.c)
 * call with the result already set: CONTINUE for an SRAO, RESET for an
 * SRAR. The handler improves it only where it succeeds:
 *
 *   no physical address (intel_checkaddr: ADDRV, MISCV, MISC mode
 *     physical; the address LSB is not looked at)         unchanged
 *   offline_page fails (Xen image -EPERM, not RAM -EINVAL) unchanged
 *   OFFLINED (a free page)                                 RECOVERED
 *   AGAIN (broken before and owned: owner crashed)         CONTINUE
 *   PENDING, owned by a domain:
 *     unmmap_broken_page fails (a PV DomU, a shadow-paging
 *     HVM guest, a frame already broken): domain crashed  unchanged
 *     fill_vmsr_data or inject_vmce fails: crashed        unchanged
 *     vMCE delivered (vmce_deliver.c)                      RECOVERED
 *   PENDING, Xen heap; FAILED|ANONYMOUS (page tables)      unchanged
 *
 * So an SRAO that cannot be handled only taints (CONTINUE) and an SRAR
 * resets. unmmap_broken_page trusts dom0 and leaves its p2m alone; it
 * breaks the frame (p2m_ram_broken) only in a HAP guest's p2m. Console
 * lines are Xen's: mce_printk at MCE_QUIET (printed by default), printk,
 * and dprintk on a debug build only (xen_release.h).
 *
 * Named alternatives: `decider: seed000` (decide.c) replaces the vMCE step
 * with the tree of Egger's concept, breaking the frame in any domain's p2m
 * first; `hv_memory: reset` resets the host for an error in hypervisor
 * memory of any kind, as the RAS Enabling Update (Xen Summit 2009) lists
 * Xen's image, heap and page tables as critical; `foreign_srar: vmce` also
 * sends a vMCE to a domain that consumed an SRAR in another domain's page
 * (dom0's toolstack reading a guest frame, case B.I of the V4 broken-page
 * migration patch, xen-devel 2012), and resets the host when it cannot.
 */
#include <errno.h>
#include <stdio.h>

#include "arch/x86_mca.h"
#include "mce_internal.h"

#define PAGE_SHIFT 12

const char *hv_memory_policy_name(enum hv_memory_policy p)
{
    static const char *const n[HV_MEMORY__COUNT] = {[HV_MEMORY_XEN] = "xen", [HV_MEMORY_RESET] = "reset"};
    return (unsigned)p < HV_MEMORY__COUNT ? n[p] : "unknown";
}

const char *hv_foreign_srar_name(enum hv_foreign_srar p)
{
    static const char *const n[FOREIGN_SRAR__COUNT] = {[FOREIGN_SRAR_XEN] = "xen", [FOREIGN_SRAR_VMCE] = "vmce"};
    return (unsigned)p < FOREIGN_SRAR__COUNT ? n[p] : "unknown";
}

/* intel_checkaddr for MC_ADDR_PHYSICAL. */
static bool physical_address(const struct mca_bank_entry *b)
{
    unsigned mode = (unsigned)((b->misc & MCI_MISC_MODE_MASK) >> MCI_MISC_MODE_SHIFT);
    return (b->status & MCI_STATUS_ADDRV) && (b->status & MCI_STATUS_MISCV) && mode == MCI_MISC_MODE_PHYS;
}

/* Xen's unmmap_broken_page: 0, or why the frame cannot be taken from the
 * guest. */
static int unmap_broken(struct domain *d, uint64_t gfn)
{
    if (d->type == DOM_TYPE_DOM0)
        return 0; /* its MCE handler is trusted to keep away */
    if (d->type != DOM_TYPE_HVM || d->paging != DOM_PAGING_HAP)
        return -EOPNOTSUPP;
    if (p2m_is_broken(d, gfn))
        return -1; /* not a type p2m_change_type_one may change */
    return p2m_mark_broken(d, gfn) == 0 ? 0 : -1;
}

/* The seed000 alternative: Egger's tree decides (decide.c). */
static enum mca_rec_result seed000(struct hv *hv, const struct mca_record *rec, struct mca_bank_entry *b,
                                   struct domain *d, uint64_t gfn, enum mca_rec_result res)
{
    p2m_mark_broken(d, gfn);
    const struct domain *d0 = hv_domain(hv, 0);
    struct dt_input in = {
        .decider = hv->cfg.decider, .type = d->type, .callback = d->mce_callback,
        .pv_driver = d->pv_mca_driver, .mca_enabled = d->mca_enabled,
        .dom0_handler = d0 && d0->mca_handler && d0->state == DOM_RUNNING,
    };
    struct dt_result dt = decide_domain_error(&in);
    hv_printk(hv, "MCE: dom%u gfn %#llx broken: %s", d->id, (unsigned long long)gfn, dt.branch);
    switch (dt.action) {
    case DT_VMCE:
        b->action = (uint32_t)hv_vmce_deliver(hv, d, rec, b, b->gaddr, -1);
        break;
    case DT_DEFER:
        b->action = MCA_ACT_DEFERRED;
        break;
    case DT_KILL:
        hv_domain_crash(hv, d, "killed by the hypervisor: %s", dt.branch);
        b->action = MCA_ACT_KILLED;
        break;
    }
    return b->action == MCA_ACT_CRASHED ? res : MCA_RES_RECOVERED;
}

/* An owned page: take the frame from the guest, then tell it. */
static enum mca_rec_result owned(struct hv *hv, const struct mca_record *rec, struct mca_bank_entry *b,
                                 unsigned domid, uint64_t mfn, enum mca_rec_result res)
{
    struct domain *d = hv_domain(hv, domid);
    uint64_t gfn;
    b->domid = domid;
    b->action = MCA_ACT_PENDING;
    /* Xen's words, its spelling */
    hv_printk(hv, "MCE: This error page is ownded by DOM %u", domid);
    if (!d || !p2m_reverse(d, mfn, &gfn))
        return res; /* not a frame of a domain this host runs */
    b->gaddr = (gfn << PAGE_SHIFT) | (b->addr & ((1u << PAGE_SHIFT) - 1));
    if (hv->cfg.decider != DECIDER_XEN)
        return seed000(hv, rec, b, d, gfn, res);
    if (unmap_broken(d, gfn) != 0) {
        hv_printk(hv, "Unmap broken memory %05llx for DOM%u failed", (unsigned long long)mfn, domid);
        hv->stats.vmce_failed++;
        hv_domain_crash(hv, d, "unmmap_broken_page failed: %s", d->type == DOM_TYPE_HVM ? "not a HAP p2m" : "a PV guest");
        b->action = MCA_ACT_CRASHED;
        return res;
    }
    /* Xen rewrites the telemetry bank's mc_addr with the owner's guest
     * address before fill_vmsr_data: the record committed for dom0 then
     * carries it too (mc_memerr_dhandler; not on the unmap failure above) */
    b->addr = b->gaddr;
    b->action = (uint32_t)hv_vmce_deliver(hv, d, rec, b, b->gaddr, -1);
    return b->action == MCA_ACT_VMCE || b->action == MCA_ACT_POLLED ? MCA_RES_RECOVERED : res;
}

/* foreign_srar: vmce. The running domain that consumed an SRAR on a page
 * `owner` owns, or NULL. */
static struct domain *foreign_consumer(struct hv *hv, const struct mca_record *r,
                                       const struct mca_bank_entry *b, unsigned owner)
{
    if (hv->cfg.foreign_srar != FOREIGN_SRAR_VMCE || b->cls != MCA_REC_SRAR || r->context >= X86_CTX__COUNT ||
        x86_ctx_is_hv((enum x86_exec_ctx)r->context) || r->cpu >= hv->cfg.ncpus)
        return NULL;
    const struct hv_cpu *c = &hv->cpu[r->cpu];
    struct domain *d = c->cur_domid == owner ? NULL : hv_domain(hv, c->cur_domid);
    return d && d->state == DOM_RUNNING ? d : NULL;
}

/* maddr: the machine address (the owner's vMCE may have rewritten b->addr). */
static enum mca_rec_result tell_consumer(struct hv *hv, struct domain *c, const struct mca_record *r,
                                         struct mca_bank_entry *b, unsigned owner, uint64_t maddr)
{
    unsigned vcpu = hv->cpu[r->cpu].cur_vcpu;
    hv_printk(hv, "MCE: dom%u vcpu%u consumed page %#llx of dom%u", c->id, vcpu,
              (unsigned long long)(maddr >> PAGE_SHIFT), owner);
    b->domid = owner;
    enum mca_rec_action a = hv_vmce_deliver(hv, c, r, b, maddr, (int)vcpu);
    return a == MCA_ACT_CRASHED ? MCA_RES_RESET : MCA_RES_RECOVERED;
}

/* hv_memory: reset. */
static bool critical(const struct hv *hv, enum hv_owner o)
{
    return hv->cfg.hv_memory == HV_MEMORY_RESET &&
           (o == HV_OWNER_XEN_IMAGE || o == HV_OWNER_XEN_HEAP || o == HV_OWNER_XEN_PAGETABLE);
}

enum mca_rec_result hv_memerr(struct hv *hv, unsigned cpu, struct mca_record *rec,
                              struct mca_bank_entry *b)
{
    enum mca_rec_result res = b->cls == MCA_REC_SRAR ? MCA_RES_RESET : MCA_RES_CONTINUE;
    if (!physical_address(b)) {
        xen_dprintk(hv, DPK_MEMERR_NO_ADDR, "No physical address provided for memory error");
        return res;
    }
    uint64_t maddr = b->addr, mfn = maddr >> PAGE_SHIFT;
    struct hv_page_owner who = hv_page_owner(hv, mfn);
    if (critical(hv, who.kind)) {
        hv_printk(hv, "MCE: page %#llx is critical (%s): reset", (unsigned long long)mfn, hv_owner_name(who.kind));
        return MCA_RES_RESET;
    }
    if (who.kind == HV_OWNER_DOMAIN) {
        /* foreign_srar: vmce, a page broken before: the V4 thread's
         * reading tells the consumer and leaves the owner alone */
        const struct page_entry *e = page_states_find(&hv->pages, mfn);
        struct domain *c = e && e->broken ? foreign_consumer(hv, rec, b, who.domid) : NULL;
        if (c)
            return tell_consumer(hv, c, rec, b, who.domid, maddr);
    }
    uint32_t st = 0;
    if (hv_offline_page(hv, cpu, mfn, true, &st) != 0) {
        xen_dprintk(hv, DPK_MEMERR_OFFLINE, "Failed to offline page %05llx for MCE error", (unsigned long long)mfn);
        return res;
    }
    if (st & MCA_PG_OFFLINED) {
        b->action = MCA_ACT_OFFLINED;
        return MCA_RES_RECOVERED;
    }
    if (st & MCA_PG_AGAIN) {
        b->domid = who.domid;
        b->action = MCA_ACT_CRASHED;
        return MCA_RES_CONTINUE;
    }
    if ((st & MCA_PG_PENDING) && (st & MCA_PG_OWNED)) {
        unsigned owner = st >> MCA_PG_OWNER_SHIFT;
        res = owned(hv, rec, b, owner, mfn, res);
        struct domain *c = foreign_consumer(hv, rec, b, owner);
        return c ? tell_consumer(hv, c, rec, b, owner, maddr) : res;
    }
    if (st & MCA_PG_PENDING)
        b->action = MCA_ACT_PENDING; /* the hypervisor's heap */
    return res;
}
