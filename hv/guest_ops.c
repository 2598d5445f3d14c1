/*
 * guest_ops.c - what guests do that the hypervisor sees, and vMCE delivery.
 *
 * Guests reach the hv only through these calls (MSR exits, CR4 writes,
 * registering a callback, touching memory, giving up). Delivery checks what
 * the guest showed it can take before injecting (Xen's inject_vmce and
 * fill_vmsr_data): an HVM guest with CR4.MCE clear would triple fault, a
 * PV guest without a callback cannot be told, a vCPU still in its previous
 * vMCE handler would nest. Each failure crashes the domain with the reason
 * logged, which the vMCE design RFC (xen-devel, 2012) accepts "provided the
 * event is properly logged". A paused domain (migration's last round,
 * dom0's save) is injected like a running one; its vCPUs are raised when
 * it is unpaused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arch/x86_cpuid.h"
#include "arch/x86_mca.h"
#include "mce_internal.h"
#include "vmce.h"

const char *hv_broken_access_name(enum hv_broken_access b)
{
    static const char *const n[BROKEN_ACCESS__COUNT] = {
        [BROKEN_ACCESS_CRASH] = "crash", [BROKEN_ACCESS_SRAR] = "srar",
    };
    return (unsigned)b < BROKEN_ACCESS__COUNT ? n[b] : "unknown";
}

struct domain *hv_domain(struct hv *hv, unsigned domid)
{
    for (unsigned i = 0; i < hv->ndom; i++)
        if (hv->dom[i].id == domid)
            return &hv->dom[i];
    return NULL;
}

static void changed(struct hv *hv, const struct domain *d)
{
    if (hv->plat->domain_changed)
        hv->plat->domain_changed(hv->plat->ctx, d->id);
}

/* A crashed domain is destroyed (xl's default on_crash=destroy) and its
 * memory freed: its offline-pending pages are offlined now (RAS Enabling
 * Update, Xen Summit 2009: "off line the page when it is freed";
 * Xen's page_alloc.c). */
static void release_pages(struct hv *hv, const struct domain *d)
{
    for (unsigned i = 0; i < hv->pages.n; i++) {
        struct page_entry *p = &hv->pages.v[i];
        if (p->state != PAGE_OFFLINE_PENDING || p->owner_domid != d->id || !p->broken)
            continue;
        p->state = PAGE_OFFLINED;
        hv_printk(hv, "MCE: page %#llx offlined (dom%u released it)", (unsigned long long)p->mfn, d->id);
        hv_trace(hv, HV_STAGE_PAGE_OFFLINE, d->vcpu[0].pcpu, -1, 0, 0, "freed by its owner: offlined");
    }
}

void hv_domain_crash(struct hv *hv, struct domain *d, const char *fmt, ...)
{
    if (d->state == DOM_CRASHED || d->state == DOM_DYING)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->reason, sizeof(d->reason), fmt, ap);
    va_end(ap);
    d->state = DOM_CRASHED;
    hv->stats.domains_killed++;
    hv_printk(hv, "Domain %u (%s) crashed: %s", d->id, dom_type_name(d->type), d->reason);
    hv_trace(hv, HV_STAGE_DOMAIN_CRASH, d->vcpu[0].pcpu, -1, 0, 0, d->reason);
    changed(hv, d);
    release_pages(hv, d);
}

void hv_domain_pause(struct hv *hv, struct domain *d, const char *why)
{
    if (d->state != DOM_RUNNING)
        return;
    d->state = DOM_PAUSED;
    snprintf(d->reason, sizeof(d->reason), "%s", why);
    hv_printk(hv, "Domain %u paused: %s", d->id, why);
    changed(hv, d);
}

/* Let vCPUs holding a vMCE run their handler (the platform raises only
 * running domains' vCPUs). */
static void raise_pending(struct hv *hv, const struct domain *d)
{
    for (unsigned i = 0; hv->plat->vmce_raise && i < d->nvcpus; i++)
        if (d->vcpu[i].vmce.pending)
            hv->plat->vmce_raise(hv->plat->ctx, d->id, i);
}

int hv_domain_unpause(struct hv *hv, struct domain *d)
{
    if (d->state == DOM_CRASHED || d->state == DOM_DYING)
        return -EINVAL;
    if (d->state != DOM_PAUSED)
        return 0;
    d->state = DOM_RUNNING;
    d->reason[0] = '\0';
    hv_printk(hv, "Domain %u unpaused", d->id);
    changed(hv, d);
    raise_pending(hv, d);
    return 0;
}

void hv_domain_destroy(struct hv *hv, struct domain *d, const char *why)
{
    if (d->state == DOM_DYING)
        return;
    d->state = DOM_DYING;
    snprintf(d->reason, sizeof(d->reason), "%s", why);
    hv_printk(hv, "Domain %u (%s) destroyed: %s", d->id, dom_type_name(d->type), why);
    domain_log_dirty(d, false);
    changed(hv, d);
    release_pages(hv, d);
}

static struct vcpu *guest_vcpu(struct hv *hv, unsigned domid, unsigned vcpu, struct domain **out)
{
    struct domain *d = hv_domain(hv, domid);
    *out = d;
    return d && vcpu < d->nvcpus ? &d->vcpu[vcpu] : NULL;
}

int hv_guest_rdmsr(struct hv *hv, unsigned domid, unsigned vcpu, uint32_t msr, uint64_t *val)
{
    struct domain *d;
    struct vcpu *v = guest_vcpu(hv, domid, vcpu, &d);
    *val = 0;
    if (!v)
        return -1;
    /* Only MCA MSRs are modelled: anything else is not backed here. */
    return vmce_rdmsr(d, v, msr, val) == VMCE_MSR_OK ? 0 : -1;
}

int hv_guest_wrmsr(struct hv *hv, unsigned domid, unsigned vcpu, uint32_t msr, uint64_t val)
{
    struct domain *d;
    struct vcpu *v = guest_vcpu(hv, domid, vcpu, &d);
    if (!v)
        return -1;
    return vmce_wrmsr(d, v, msr, val) == VMCE_MSR_OK ? 0 : -1;
}

void hv_guest_set_cr4_mce(struct hv *hv, unsigned domid, unsigned vcpu, bool on)
{
    struct domain *d;
    struct vcpu *v = guest_vcpu(hv, domid, vcpu, &d);
    if (v)
        v->cr4_mce = on;
}

void hv_guest_register_mce_callback(struct hv *hv, unsigned domid)
{
    struct domain *d = hv_domain(hv, domid);
    if (d && (d->type != DOM_TYPE_HVM || d->pv_mca_driver))
        d->mce_callback = true;
}

bool hv_guest_take_vmce(struct hv *hv, unsigned domid, unsigned vcpu)
{
    struct domain *d;
    struct vcpu *v = guest_vcpu(hv, domid, vcpu, &d);
    if (!v || !v->vmce.pending || d->state != DOM_RUNNING)
        return false;
    v->vmce.pending = false;
    return true;
}

void hv_guest_crash(struct hv *hv, unsigned domid, const char *reason)
{
    struct domain *d = hv_domain(hv, domid);
    if (d)
        hv_domain_crash(hv, d, "%s", reason);
}

/* Linux skips bank 0 on Intel family 6 below model 0x1A and on AMD K7
 * (Linux mce/core.c quirks; vMCE design RFC, 2012). */
static bool shows_bank0_quirk(const struct domain *d)
{
    if (d->cpuid_vendor == CPU_VENDOR_INTEL)
        return d->cpuid_family == 6 && d->cpuid_model < 0x1A;
    return d->cpuid_vendor == CPU_VENDOR_AMD && d->cpuid_family == 6;
}

/* Xen gives the error to vCPU 0 on a broadcast, to the local vCPU (the
 * one on the CPU that saw it) for LMCE (Xen's mc_memerr_dhandler). */
static unsigned target_vcpu(const struct domain *d, unsigned pcpu, bool local)
{
    for (unsigned i = 0; local && i < d->nvcpus; i++)
        if (d->vcpu[i].pcpu == pcpu)
            return i;
    return 0;
}

static enum mca_rec_action fail(struct hv *hv, struct domain *d, const char *why)
{
    hv->stats.vmce_failed++;
    hv_domain_crash(hv, d, "vMCE not delivered: %s", why);
    return MCA_ACT_CRASHED;
}

enum mca_rec_action hv_vmce_deliver(struct hv *hv, struct domain *d, const struct mca_record *r,
                                    const struct mca_bank_entry *b, uint64_t gaddr, int vcpu)
{
    if (d->state == DOM_CRASHED || d->state == DOM_DYING)
        return MCA_ACT_NONE;
    bool local = (r->mcg_status & MCG_STATUS_LMCES) && d->vp.lmce_p;
    unsigned t = vcpu >= 0 && (unsigned)vcpu < d->nvcpus ? (unsigned)vcpu : target_vcpu(d, r->cpu, local);
    if (d->vp.nbanks == 1 && d->vp.kill_on_bank0_quirk && shows_bank0_quirk(d))
        return fail(hv, d, "1-bank vMCE and a CPU model with the bank-0 quirk (hypervisor kills the guest)");
    if (d->type == DOM_TYPE_HVM && !d->pv_mca_driver && !d->vcpu[t].cr4_mce)
        return fail(hv, d, "guest CR4.MCE=0: #MC would triple-fault the vCPU");
    if (d->type != DOM_TYPE_HVM && !d->mce_callback)
        return fail(hv, d, "PV guest has no machine-check callback");
    struct vmce_error e = {
        .status = b->status,
        .gaddr = gaddr,
        .misc = b->misc,
        .mcg_status = (r->mcg_status & (MCG_STATUS_RIPV | MCG_STATUS_EIPV)) | (local ? MCG_STATUS_LMCES : 0),
    };
    enum vmce_inject_result res = vmce_inject(d, t, !local, &e);
    if (res != VMCE_INJECTED)
        return fail(hv, d, vmce_inject_result_name(res));
    hv->stats.vmce_injected++;
    char detail[64];
    snprintf(detail, sizeof(detail), "dom%u vcpu%u%s", d->id, t, local ? " local" : " broadcast");
    hv_trace(hv, HV_STAGE_VMCE_INJECT, d->vcpu[t].pcpu, (int)d->vp.err_bank, b->status, r->seq, detail);
    /* a paused domain's vCPUs are raised when it is unpaused */
    for (unsigned i = 0; hv->plat->vmce_raise && d->state == DOM_RUNNING && i < d->nvcpus; i++)
        if (i == t || !local)
            hv->plat->vmce_raise(hv->plat->ctx, d->id, i);
    return MCA_ACT_VMCE;
}

int hv_guest_access(struct hv *hv, unsigned domid, unsigned vcpu, uint64_t gaddr, bool fetch)
{
    struct domain *d;
    struct vcpu *v = guest_vcpu(hv, domid, vcpu, &d);
    uint64_t gfn = gaddr >> 12, mfn;
    if (!v || d->state != DOM_RUNNING || !p2m_is_broken(d, gfn))
        return 0;
    if (hv->cfg.broken_access == BROKEN_ACCESS_CRASH || !p2m_lookup(d, gfn, &mfn)) {
        hv_domain_crash(hv, d, "touched broken gfn %#llx", (unsigned long long)gfn);
        return -1;
    }
    /* SRAR as hardware would report a consumed poisoned line (0x134 load,
     * 0x150 fetch), at the page's machine address, LSB 12, physical. */
    struct mca_record r = {0};
    struct mca_bank_entry b = {0};
    r.cpu = v->pcpu;
    r.mcg_status = MCG_STATUS_EIPV;
    b.status = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_MISCV | MCI_STATUS_ADDRV |
               MCI_STATUS_S | MCI_STATUS_AR | (fetch ? MCACOD_INSN_FETCH : MCACOD_DATA_LOAD);
    b.addr = mfn << 12;
    b.misc = 0x8C;
    /* the vCPU that touched the frame is the one that cannot go on */
    return hv_vmce_deliver(hv, d, &r, &b, gaddr, (int)vcpu) == MCA_ACT_VMCE ? 1 : -1;
}

int hv_guest_write(struct hv *hv, unsigned domid, unsigned vcpu, uint64_t gaddr)
{
    struct domain *d;
    struct vcpu *v = guest_vcpu(hv, domid, vcpu, &d);
    uint64_t gfn = gaddr >> 12;
    if (!v || p2m_is_broken(d, gfn))
        return -1;
    if (gfn < d->nr_pages) /* not RAM: nothing to migrate, nothing to keep */
        domain_mark_dirty(d, gfn);
    return 0;
}
