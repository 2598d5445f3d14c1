/*
 * hypercall.c - the MCA hypercall dom0 uses to collect telemetry.
 *
 * Commands (public/mca_abi.h): FETCH hands out the oldest record of the
 * urgent or non-urgent class with a fetch id; FETCH|ACK with that id frees
 * it; PHYSCPUINFO describes the physical CPUs; NOTIFYDOMAIN carries dom0's
 * decision about a DomU's error and OFFLINE_PAGE its request to take a
 * page with too many corrected errors out of service (Xen MCA/MCE concept,
 * Egger 2007, case II; the page-state rules of page_offline.c). Every
 * argument comes from guest memory through copy_from_guest, and every field
 * is checked before use: only dom0 may call (-EPERM), a bad address is
 * -EFAULT, anything else malformed is -EINVAL. A failed copy of a fetched
 * record leaves it queued, so it is fetched again rather than lost.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "mce_internal.h"

#define PHYSCPUINFO_MAX 256u

static int fetch_class(uint32_t flags, enum telem_class *cls)
{
    uint32_t which = flags & (MCA_FLAG_URGENT | MCA_FLAG_NONURGENT);
    if (flags & ~(MCA_FLAG_URGENT | MCA_FLAG_NONURGENT | MCA_FLAG_ACK))
        return -EINVAL;
    if (which == MCA_FLAG_URGENT)
        *cls = TELEM_URGENT;
    else if (which == MCA_FLAG_NONURGENT)
        *cls = TELEM_NONURGENT;
    else
        return -EINVAL;
    return 0;
}

static long do_fetch(struct hv *hv, unsigned cpu, unsigned caller, struct mca_fetch *f)
{
    const struct hv_platform *p = hv->plat;
    enum telem_class cls;
    if (fetch_class(f->flags, &cls))
        return -EINVAL;

    if (f->flags & MCA_FLAG_ACK) {
        if (telem_ack(&hv->telem, cls, f->fetch_id) != 0)
            return -EINVAL;
        hv_trace(hv, HV_STAGE_ACK, cpu, -1, 0, 0, NULL);
        f->flags = MCA_FLAG_OK;
        return 0;
    }
    struct telem_entry *e = telem_fetch(&hv->telem, cls);
    if (!e) {
        f->flags = MCA_FLAG_NODATA;
        f->fetch_id = 0;
        return 0;
    }
    hv_charge(hv, cpu, HV_COST_COPY_RECORD);
    if (p->copy_to_guest(p->ctx, caller, f->data, &e->rec, sizeof(e->rec)) != 0)
        return -EFAULT;
    f->flags = MCA_FLAG_OK;
    f->fetch_id = e->fetch_id;
    hv_trace(hv, HV_STAGE_FETCH, cpu, -1, 0, e->rec.seq, NULL);
    return 0;
}

/* Egger's case II: dom0 tells the hypervisor what to do with a DomU. */
static long do_notifydomain(struct hv *hv, unsigned cpu, const struct mca_notifydomain *n)
{
    struct domain *d = hv_domain(hv, n->domid);
    if (n->domid == 0 || n->action < MCA_DOM0_NOTIFY || n->action > MCA_DOM0_IGNORE || n->pad ||
        n->bank >= MCA_REC_MAX_BANKS)
        return -EINVAL;
    if (!d)
        return -ESRCH;
    static const char *const names[] = {"", "notify", "kill", "save", "ignore"};
    char detail[48];
    snprintf(detail, sizeof(detail), "dom%u %s", n->domid, names[n->action]);
    hv_trace(hv, HV_STAGE_DOM0_DECISION, cpu, -1, 0, n->record, detail);
    switch (n->action) {
    case MCA_DOM0_KILL:
        hv_domain_crash(hv, d, "killed by dom0 after a machine check (record %llu)",
                        (unsigned long long)n->record);
        break;
    case MCA_DOM0_SAVE:
        hv_domain_pause(hv, d, "saved by dom0 after a machine check");
        break;
    case MCA_DOM0_NOTIFY: {
        const struct telem_entry *e = NULL;
        for (unsigned i = 0; i < hv->telem.nslots && !e; i++)
            if (hv->telem.slot[i].state != TELEM_FREE && hv->telem.slot[i].rec.seq == n->record)
                e = &hv->telem.slot[i];
        struct mca_record r = {0};
        struct mca_bank_entry b = {0};
        if (e)
            r = e->rec;
        if (e && n->bank < r.nbanks)
            b = r.bank[n->bank];
        else
            b.status = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_S | MCACOD_SCRUB;
        hv_vmce_deliver(hv, d, &r, &b, b.gaddr, -1);
        break;
    }
    default:
        break;
    }
    return 0;
}

/* Egger's case II: dom0 expects an uncorrected error on this page and
 * asks that it be offlined first. A refusal (hypervisor page) or a page
 * already gone is an answer in status, not an error. */
static long do_offline(struct hv *hv, unsigned cpu, struct mca_offline *o)
{
    struct hv_offline_result res;
    if (o->mfn >= MCA_OFFLINE_MFN_LIMIT || o->status != 0 || o->pad != 0)
        return -EINVAL;
    if (hv_page_offline(hv, cpu, o->mfn, HV_OFFLINE_REQUEST, &res) != 0)
        return -ENOMEM;
    o->status = hv_offline_abi_status(&res);
    hv->stats.offline_requests++;
    static const char *const text[] = {
        [MCA_OFFLINE_OFFLINED] = "offlined", [MCA_OFFLINE_PENDING] = "offline pending",
        [MCA_OFFLINE_FAILED_XENPAGE] = "refused (hypervisor page)",
        [MCA_OFFLINE_ALREADY] = "already offline",
    };
    char owner[24];
    if (res.owner == HV_OWNER_DOMAIN)
        snprintf(owner, sizeof(owner), "dom%u", res.domid);
    else
        snprintf(owner, sizeof(owner), "%s", hv_owner_name(res.owner));
    hv_printk(hv, "MCA: dom0 asked to offline page %#llx (%s): %s", (unsigned long long)o->mfn, owner,
              text[res.status]);
    if (res.status != MCA_OFFLINE_ALREADY)
        hv_page_offline_trace(hv, cpu, &res, -1, 0, 0);
    return 0;
}

static long do_physcpuinfo(struct hv *hv, unsigned caller, struct mca_physcpuinfo *pi)
{
    const struct hv_platform *p = hv->plat;
    unsigned n = hv->cfg.ncpus;
    if (pi->info == 0) {
        pi->ncpus = n;
        return 0;
    }
    if (pi->ncpus == 0 || pi->ncpus > PHYSCPUINFO_MAX)
        return -EINVAL;
    if (pi->ncpus < n)
        n = pi->ncpus;
    for (unsigned i = 0; i < n; i++) {
        struct mca_cpuinfo ci = {
            .cpu = i, .vendor = hv->cfg.vendor, .family = hv->cfg.family,
            .model = hv->cfg.model, .nbanks = hv->cpu[i].nbanks, .mcg_cap = hv->cpu[i].mcg_cap,
        };
        if (p->copy_to_guest(p->ctx, caller, pi->info + (uint64_t)i * sizeof(ci), &ci, sizeof(ci)))
            return -EFAULT;
    }
    pi->ncpus = n;
    return 0;
}

long hv_do_mca(struct hv *hv, unsigned caller, uint64_t arg)
{
    struct mca_hypercall hc;
    unsigned cpu = hv_hypercall_cpu(hv);
    long rc = hv_hypercall_enter(hv, caller, arg, &hc, sizeof(hc));
    if (rc)
        goto out;
    if (hc.interface_version != MCA_INTERFACE_VERSION) {
        rc = -EINVAL;
        goto out;
    }
    switch (hc.cmd) {
    case MCA_CMD_FETCH:
        rc = do_fetch(hv, cpu, caller, &hc.u.fetch);
        break;
    case MCA_CMD_PHYSCPUINFO:
        rc = do_physcpuinfo(hv, caller, &hc.u.physcpuinfo);
        break;
    case MCA_CMD_NOTIFYDOMAIN:
        rc = do_notifydomain(hv, cpu, &hc.u.notifydomain);
        break;
    case MCA_CMD_OFFLINE_PAGE:
        rc = do_offline(hv, cpu, &hc.u.offline);
        break;
    default:
        rc = -EINVAL;
        break;
    }
out:
    return hv_hypercall_exit(hv, caller, arg, &hc, sizeof(hc), rc);
}
