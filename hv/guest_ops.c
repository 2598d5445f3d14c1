/*
 * guest_ops.c - what guests do that the hypervisor sees: MSR exits, CR4
 * writes, registering a callback, taking a pending vMCE, touching and
 * writing memory, giving up; and the domain life cycle (crash, pause,
 * unpause, destroy) with the pages a dying domain releases. vMCE delivery
 * is vmce_deliver.c. A paused domain (migration's last round, dom0's save)
 * is injected like a running one; its vCPUs are raised when it is
 * unpaused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
 * memory freed: its offlining pages are offlined now (mark_page_free in
 * Xen's page_alloc.c), and its other pages are free (hv_page_owner). */
static void release_pages(struct hv *hv, const struct domain *d)
{
    hv_pages_released(hv, d->vcpu[0].pcpu, d->id);
}

/* The hardware domain's crash takes the machine with it: Xen's
 * domain_shutdown calls hwdom_shutdown(SHUTDOWN_crash) (common/shutdown.c),
 * which prints "Hardware Dom0 crashed: " and, without 'noreboot',
 * "rebooting machine in 5 seconds." before machine_restart(5000): nothing
 * of the domain is freed. The host stops here as reset; the 5 s the other
 * CPUs run on are not modelled. */
static void hwdom_crashed(struct hv *hv, const struct domain *d)
{
    if (hv->stopped)
        return; /* already going down (a panic first) */
    char why[48];
    snprintf(why, sizeof(why), "Hardware Dom%u crashed", d->id);
    hv_printk(hv, "%s: rebooting machine in 5 seconds.", why);
    hv_stop_quiet(hv, d->vcpu[0].pcpu, HV_STOP_RESET, why);
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
    if (d->type == DOM_TYPE_DOM0)
        hwdom_crashed(hv, d);
    else
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

/* vmce_rdmsr/vmce_wrmsr's mce_printk(MCE_VERBOSE) line, if any. */
static void verbose_msr(struct hv *hv, const struct domain *d, const struct vcpu *v, uint32_t msr, bool write,
                        uint64_t val, enum vmce_msr_result r)
{
    char line[128];
    if (hv->cfg.mce_verbose && vmce_msr_verbose_line(d, v, msr, write, val, r, line, sizeof(line)))
        xen_mce_printk_verbose(hv, "%s", line);
}

int hv_guest_rdmsr(struct hv *hv, unsigned domid, unsigned vcpu, uint32_t msr, uint64_t *val)
{
    struct domain *d;
    struct vcpu *v = guest_vcpu(hv, domid, vcpu, &d);
    *val = 0;
    if (!v)
        return -1;
    enum vmce_msr_result r = vmce_rdmsr(d, v, msr, val);
    verbose_msr(hv, d, v, msr, false, *val, r);
    return r == VMCE_MSR_OK ? 0 : hv_guest_msr_fallback(hv, d, v, msr, r, val);
}

int hv_guest_wrmsr(struct hv *hv, unsigned domid, unsigned vcpu, uint32_t msr, uint64_t val)
{
    struct domain *d;
    struct vcpu *v = guest_vcpu(hv, domid, vcpu, &d);
    if (!v)
        return -1;
    enum vmce_msr_result r = vmce_wrmsr(d, v, msr, val);
    verbose_msr(hv, d, v, msr, true, val, r);
    uint64_t dropped = 0;
    return r == VMCE_MSR_OK ? 0 : hv_guest_msr_fallback(hv, d, v, msr, r, &dropped);
}

void hv_guest_set_cr4_mce(struct hv *hv, unsigned domid, unsigned vcpu, bool on)
{
    struct domain *d;
    struct vcpu *v = guest_vcpu(hv, domid, vcpu, &d);
    if (v)
        v->cr4_mce = on;
}

/* The guest's CPU offline: the vCPU halts with interrupts off (Linux
 * play_dead) or is VCPUOP_down'd; is_initialised stays, and with it what
 * inject_vmce and fill_vmsr_data do to it; a pending #MC waits (HVM:
 * hvm_interrupt_blocked holds it while EFLAGS.IF is clear). */
int hv_guest_vcpu_down(struct hv *hv, unsigned domid, unsigned vcpu)
{
    struct domain *d;
    struct vcpu *v = guest_vcpu(hv, domid, vcpu, &d);
    if (!v)
        return -ESRCH;
    v->down = true;
    return 0;
}

unsigned hv_guest_vcpus_online(struct hv *hv, unsigned domid)
{
    const struct domain *d = hv_domain(hv, domid);
    unsigned n = 0;
    for (unsigned i = 0; d && i < d->nvcpus; i++)
        n += d->vcpu[i].up && !d->vcpu[i].down;
    return n;
}

/* The first time, the vCPU becomes initialised (HVM: INIT-SIPI from the
 * guest's BSP); then, or after being taken down, it runs again: a vMCE
 * marked pending meanwhile (mce_pending, which no reset clears) is taken
 * once the AP's bring-up enabled interrupts, after its machine-check init
 * (the runtime runs the bring-up first). Its virtual MCG_STATUS is left as
 * it was (vmce_init_vcpu runs only when the vCPU is created). */
int hv_guest_vcpu_up(struct hv *hv, unsigned domid, unsigned vcpu)
{
    struct domain *d;
    struct vcpu *v = guest_vcpu(hv, domid, vcpu, &d);
    if (!v)
        return -ESRCH;
    v->up = true;
    v->down = false;
    if (v->vmce.pending && d->state == DOM_RUNNING && hv->plat->vmce_raise)
        hv->plat->vmce_raise(hv->plat->ctx, domid, vcpu);
    return 0;
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
    if (!v || !v->vmce.pending || d->state != DOM_RUNNING || v->down)
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

int hv_guest_remove_page(struct hv *hv, unsigned domid, uint64_t gfn)
{
    struct domain *d = hv_domain(hv, domid);
    uint64_t mfn;
    if (!d || d->state == DOM_CRASHED || d->state == DOM_DYING)
        return -ESRCH;
    if (p2m_is_broken(d, gfn)) {
        /* get_gfn_query answers INVALID_MFN for p2m_ram_broken */
        xen_gdprintk(hv, DPK_REMOVE_PAGE, d->id, 0, "Domain %u page number %llx invalid", d->id, (unsigned long long)gfn);
        return -EINVAL;
    }
    if (!p2m_lookup(d, gfn, &mfn))
        return -ENOENT; /* p2m_invalid: nothing mapped there */
    if (p2m_remove(d, gfn) != 0 || hv_page_freed(hv, d->vcpu[0].pcpu, mfn) != 0)
        return -ENOMEM;
    return 0;
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
