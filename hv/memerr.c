/*
 * memerr.c - the memory-error handler: what an SRAO or SRAR bank of a
 * record that points at a page means for the error. The page itself goes through the
 * page-state rules of page_offline.c (the RAS Enabling Update's table, Xen
 * Summit 2009, and Xen's offline_page); this file turns the page's result into the
 * recovery result of the error, as Xen's mc_memerr_dhandler does:
 *   OFFLINED (free page)           -> RECOVERED
 *   PENDING, owned by a domain     -> the owner is told (vMCE decision)
 *                                     -> RECOVERED
 *   PENDING, hypervisor heap       -> CONTINUE
 *   FAILED_XENPAGE (image, tables) -> RESET
 *   ALREADY (page already broken)  -> CONTINUE
 *   no usable address              -> SRAR cannot be located: RESET; SRAO: CONTINUE
 * An SRAR raised while one domain ran, on a page another domain owns (dom0's
 * toolstack reading a guest frame through a foreign mapping during a
 * migration, case B.I of the V4 broken-page migration patch, xen-devel
 * 2012), is also the consumer's: after the owner is told, the consumer gets
 * a vMCE at the machine address (dom0 is PV and sees machine addresses) so
 * that its kernel can kill the process; a consumer that cannot be told
 * cannot go on, and the host resets.
 */
#include <stdio.h>

#include "arch/x86_mca.h"
#include "mce_internal.h"

#define PAGE_SHIFT 12

/* SDM 15.3.2.4 / Xen mc_check_addr: the address is a physical one at a
 * granularity no coarser than a page. */
static bool usable_address(const struct mca_bank_entry *r)
{
    if (!(r->status & MCI_STATUS_ADDRV) || !(r->status & MCI_STATUS_MISCV))
        return false;
    unsigned mode = (unsigned)((r->misc & MCI_MISC_MODE_MASK) >> MCI_MISC_MODE_SHIFT);
    unsigned lsb = (unsigned)(r->misc & MCI_MISC_LSB_MASK);
    return mode == MCI_MISC_MODE_PHYS && lsb <= PAGE_SHIFT;
}

/* The page belongs to a guest: break its frame in the p2m and let the
 * decision table (decide.c) say who handles it. */
static void domain_error(struct hv *hv, const struct mca_record *rec, struct mca_bank_entry *r,
                         unsigned domid, uint64_t mfn)
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
        r->action = (uint32_t)hv_vmce_deliver(hv, d, rec, r, r->gaddr, -1);
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

/* The running domain that consumed an SRAR on another domain's page, or
 * NULL: the error was raised in guest context on a pCPU whose current
 * vCPU belongs to a running domain other than the owner. */
static struct domain *foreign_consumer(struct hv *hv, const struct mca_record *r,
                                       const struct mca_bank_entry *b, unsigned owner)
{
    if (b->cls != MCA_REC_SRAR || r->context >= X86_CTX__COUNT ||
        x86_ctx_is_hv((enum x86_exec_ctx)r->context) || r->cpu >= hv->cfg.ncpus)
        return NULL;
    const struct hv_cpu *c = &hv->cpu[r->cpu];
    struct domain *d = c->cur_domid == owner ? NULL : hv_domain(hv, c->cur_domid);
    return d && d->state == DOM_RUNNING ? d : NULL;
}

static enum mca_rec_result tell_consumer(struct hv *hv, struct domain *c, const struct mca_record *r,
                                         const struct mca_bank_entry *b)
{
    unsigned vcpu = hv->cpu[r->cpu].cur_vcpu;
    hv_printk(hv, "MCE: dom%u vcpu%u consumed page %#llx of dom%u", c->id, vcpu,
              (unsigned long long)(b->addr >> PAGE_SHIFT), b->domid);
    enum mca_rec_action a = hv_vmce_deliver(hv, c, r, b, b->addr, (int)vcpu);
    return a == MCA_ACT_CRASHED ? MCA_RES_RESET : MCA_RES_RECOVERED;
}

enum mca_rec_result hv_memerr(struct hv *hv, unsigned cpu, struct mca_record *rec,
                              struct mca_bank_entry *r)
{
    if (!usable_address(r)) {
        hv_printk(hv, "MCE: no usable physical address in bank %u", r->bank);
        return r->cls == MCA_REC_SRAR ? MCA_RES_RESET : MCA_RES_CONTINUE;
    }
    uint64_t mfn = r->addr >> PAGE_SHIFT;
    struct hv_offline_result o;
    if (hv_page_offline(hv, cpu, mfn, HV_OFFLINE_MEMERR, &o) != 0)
        return MCA_RES_CONTINUE; /* the page store is out of memory */

    enum mca_rec_result res;
    switch (o.status) {
    case MCA_OFFLINE_ALREADY: {
        hv_printk(hv, "MCE: page %#llx already broken", (unsigned long long)mfn);
        /* Broken before, consumed now by another domain (case B.I of seed
         * 004: broken after the toolstack queried its type): the consumer
         * still cannot go on past the load. */
        struct domain *consumer =
            o.owner == HV_OWNER_DOMAIN ? foreign_consumer(hv, rec, r, o.domid) : NULL;
        if (!consumer)
            return MCA_RES_CONTINUE;
        r->domid = o.domid;
        return tell_consumer(hv, consumer, rec, r);
    }
    case MCA_OFFLINE_FAILED_XENPAGE:
        hv_printk(hv, "MCE: page %#llx is critical (%s), cannot offline",
                  (unsigned long long)mfn, hv_owner_name(o.owner));
        res = MCA_RES_RESET;
        break;
    case MCA_OFFLINE_PENDING:
        if (o.owner == HV_OWNER_DOMAIN) {
            hv_printk(hv, "MCE: page %#llx owned by dom%u offline pending", (unsigned long long)mfn,
                      o.domid);
            domain_error(hv, rec, r, o.domid, mfn);
            struct domain *consumer = foreign_consumer(hv, rec, r, o.domid);
            /* An SRAR consumer that could not be told cannot continue: Xen
             * crashes the domain; the SRAR stays RESET (mce_intel.c). */
            if (consumer)
                res = tell_consumer(hv, consumer, rec, r);
            else
                res = r->cls == MCA_REC_SRAR && r->action == MCA_ACT_CRASHED ? MCA_RES_RESET
                                                                             : MCA_RES_RECOVERED;
        } else {
            r->action = MCA_ACT_PENDING;
            hv_printk(hv, "MCE: page %#llx (%s) offline pending", (unsigned long long)mfn,
                      hv_owner_name(o.owner));
            res = MCA_RES_CONTINUE;
        }
        break;
    case MCA_OFFLINE_OFFLINED:
    default:
        r->action = MCA_ACT_OFFLINED;
        hv_printk(hv, "MCE: page %#llx offlined", (unsigned long long)mfn);
        res = MCA_RES_RECOVERED;
        break;
    }
    hv_page_offline_trace(hv, cpu, &o, (int)r->bank, r->status, rec->seq);
    return res;
}
