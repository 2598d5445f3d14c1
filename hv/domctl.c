/*
 * domctl.c - the domain-control hypercall dom0's toolstack uses to migrate
 * a guest (public/domctl_abi.h): pause, unpause, destroy, log-dirty mode,
 * frame types, broken frames on the receiving side, the vMCE save record,
 * and the domain's state.
 *
 * Checks follow the MCA hypercall's: only dom0 (-EPERM), every guest
 * pointer through copy_from/to_guest (-EFAULT), anything malformed
 * -EINVAL, a domain that does not exist -ESRCH. Like Xen, dom0 cannot
 * pause, destroy or reconfigure itself (-EINVAL), and a dying domain can
 * only be queried. Nothing a caller passes sizes an allocation beyond a
 * fixed bound: dirty gfns go out in chunks through a small buffer, and a
 * frame-type batch is at most DOMCTL_PFINFO_MAX_BATCH entries.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "mce_internal.h"
#include "public/domctl_abi.h"
#include "vmce.h"
#include "vmce_caps.h"

#define DIRTY_CHUNK 64u /* gfns per copy to the guest: 512 bytes of stack */

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* ENABLE restarts tracking from nothing; OFF ends it. CLEAN and PEEK copy
 * out the smallest min(count, max) dirty gfns; CLEAN then forgets just
 * those, so a small buffer drains the set over several calls. */
static long do_shadow(struct hv *hv, unsigned caller, struct domain *d, struct domctl_shadow *sh)
{
    const struct hv_platform *p = hv->plat;
    if (sh->pad)
        return -EINVAL;
    switch (sh->op) {
    case SHADOW_OP_OFF:
    case SHADOW_OP_ENABLE_LOGDIRTY:
        domain_log_dirty(d, sh->op == SHADOW_OP_ENABLE_LOGDIRTY);
        sh->count = 0;
        return 0;
    case SHADOW_OP_CLEAN:
    case SHADOW_OP_PEEK:
        break;
    default:
        return -EINVAL;
    }
    if (!d->log_dirty)
        return -EINVAL; /* Xen: no dirty log outside log-dirty mode */
    uint64_t total = gfn_set_count(&d->dirty), want = min_u64(total, sh->max);
    uint64_t buf[DIRTY_CHUNK];
    for (uint64_t off = 0; off < want;) {
        long n = gfn_set_copy(&d->dirty, off, buf, min_u64(DIRTY_CHUNK, want - off));
        if (n <= 0)
            return -ENOMEM;
        hv_charge(hv, hv_hypercall_cpu(hv), HV_COST_COPY_RECORD);
        if (p->copy_to_guest(p->ctx, caller, sh->dirty + off * sizeof(buf[0]), buf,
                             (size_t)n * sizeof(buf[0])) != 0)
            return -EFAULT; /* nothing is forgotten */
        off += (uint64_t)n;
    }
    if (sh->op == SHADOW_OP_CLEAN && gfn_set_remove_first(&d->dirty, want) != 0)
        return -ENOMEM;
    sh->count = total;
    return 0;
}

/* Xen's XEN_DOMCTL_PFINFO_* (public/domctl.h) for one gfn. */
static uint64_t frame_type(const struct domain *d, uint64_t gfn)
{
    if (gfn >= d->nr_pages)
        return DOMCTL_PFINFO_XTAB;
    return p2m_is_broken(d, gfn) ? DOMCTL_PFINFO_BROKEN : DOMCTL_PFINFO_NOTAB;
}

/* The whole batch is checked before anything is written back. */
static long do_pfinfo(struct hv *hv, unsigned caller, struct domain *d, struct domctl_pfinfo *pf)
{
    const struct hv_platform *p = hv->plat;
    if (pf->pad || pf->num == 0 || pf->num > DOMCTL_PFINFO_MAX_BATCH)
        return -EINVAL;
    size_t len = pf->num * sizeof(uint64_t);
    uint64_t *a = malloc(len); /* at most 8 KiB: off the vCPU's stack */
    if (!a)
        return -ENOMEM;
    long rc = p->copy_from_guest(p->ctx, caller, pf->array, a, len) != 0 ? -EFAULT : 0;
    for (uint32_t i = 0; rc == 0 && i < pf->num; i++)
        if (a[i] & ~DOMCTL_PFINFO_GFN_MASK)
            rc = -EINVAL;
    for (uint32_t i = 0; rc == 0 && i < pf->num; i++)
        a[i] |= frame_type(d, a[i]) << DOMCTL_PFINFO_SHIFT;
    if (rc == 0 && p->copy_to_guest(p->ctx, caller, pf->array, a, len) != 0)
        rc = -EFAULT;
    free(a);
    return rc;
}

/* The receiving side of a migration marks a frame the sender reported
 * broken (Xen 4.3's XEN_DOMCTL_set_broken_page_p2m, b7a98e60d4): only in
 * an HVM guest, and only a gfn that maps RAM (-EINVAL otherwise). */
static long do_set_broken(struct hv *hv, struct domain *d, const struct domctl_broken *b)
{
    uint64_t mfn;
    if (d->type != DOM_TYPE_HVM || b->gfn >= d->nr_pages || !p2m_lookup(d, b->gfn, &mfn))
        return -EINVAL;
    if (p2m_mark_broken(d, b->gfn) != 0)
        return -ENOMEM;
    hv_printk(hv, "Domain %u gfn %#llx marked broken by dom0", d->id, (unsigned long long)b->gfn);
    return 0;
}

static long do_get_vmce(struct domain *d, struct domctl_vmce *v)
{
    if (v->pad || v->vcpu >= d->nvcpus)
        return -EINVAL;
    struct vmce_save s;
    vmce_save_vcpu(d, &d->vcpu[v->vcpu], &s);
    v->caps = s.caps;
    v->mci_ctl2_bank0 = s.ctl2[0];
    v->mci_ctl2_bank1 = s.ctl2[1];
    v->mcg_ext_ctl = s.ext_ctl;
    return 0;
}

/* Xen's vmce_load_vcpu_ctxt / vmce_restore_vcpu: a record whose caps
 * carry a feature outside Xen's fixed set for this host's vendor is
 * -EINVAL, with Xen's log line. Under the named alternative
 * `restore_check: host` the set is what this host can back, bank count
 * included (vmce_caps.h). */
static long do_set_vmce(struct hv *hv, struct domain *d, const struct domctl_vmce *v)
{
    if (v->pad || v->vcpu >= d->nvcpus) {
        xen_dprintk(hv, DPK_VMCE_NO_VCPU, "HVM restore: dom%u has no vcpu%u", d->id, v->vcpu);
        return -EINVAL;
    }
    const struct vmce_save s = {
        .caps = v->caps, .ctl2 = {v->mci_ctl2_bank0, v->mci_ctl2_bank1}, .ext_ctl = v->mcg_ext_ctl,
    };
    bool host = hv->cfg.restore_check == RESTORE_CHECK_HOST;
    uint64_t allowed = host ? vmce_caps_host(hv->cpu[0].mcg_cap, hv->cfg.lmce_on)
                            : vmce_caps_xen_allowed(hv->cfg.vendor);
    if ((host && vmce_caps_check(v->caps, allowed) != 0) ||
        vmce_load_vcpu(d, &d->vcpu[v->vcpu], &s, allowed) != 0) {
        hv_printk(hv, "%s restore: unsupported MCA capabilities %#llx for d%uv%u (supported: %#llx)",
                  d->type == DOM_TYPE_HVM ? "HVM" : "PV", (unsigned long long)v->caps, d->id, v->vcpu,
                  (unsigned long long)(allowed & ~MCG_CAP_COUNT_MASK));
        return -EINVAL;
    }
    return 0;
}

static long do_getinfo(const struct domain *d, struct domctl_info *info)
{
    uint32_t flags = 0;
    if (d->log_dirty)
        flags |= DOMCTL_INFO_LOGDIRTY;
    if (d->vmce_in_logdirty)
        flags |= DOMCTL_INFO_VMCE_IN_LOGDIRTY;
    for (unsigned i = 0; i < d->nvcpus; i++)
        if (d->vcpu[i].vmce.pending)
            flags |= DOMCTL_INFO_VMCE_PENDING;
    *info = (struct domctl_info){
        .state = (uint32_t)d->state, .flags = flags, .nr_pages = d->nr_pages,
        .nvcpus = d->nvcpus, .nbroken = (uint32_t)p2m_nbroken(d),
    };
    return 0;
}

/* Which domains a command may name: `query` commands any existing domain
 * (dom0 and dying ones included); the others only a live domain other
 * than the caller. */
static bool is_query(uint32_t cmd)
{
    return cmd == DOMCTL_GETINFO || cmd == DOMCTL_GET_VMCE || cmd == DOMCTL_GETPAGEFRAMEINFO;
}

static long dispatch(struct hv *hv, unsigned caller, struct domctl *dc)
{
    if (dc->interface_version != DOMCTL_INTERFACE_VERSION || dc->pad || dc->cmd == 0 ||
        dc->cmd > DOMCTL__LAST)
        return -EINVAL;
    struct domain *d = hv_domain(hv, dc->domid);
    if (!d)
        return -ESRCH;
    if (!is_query(dc->cmd) && dc->domid == caller)
        return -EINVAL; /* Xen: a domain cannot pause or destroy itself */
    if (!is_query(dc->cmd) && dc->cmd != DOMCTL_DESTROY && d->state == DOM_DYING)
        return -EINVAL;
    switch (dc->cmd) {
    case DOMCTL_PAUSE:
        hv_domain_pause(hv, d, "paused by dom0");
        return 0;
    case DOMCTL_UNPAUSE:
        return hv_domain_unpause(hv, d);
    case DOMCTL_DESTROY:
        hv_domain_destroy(hv, d, "destroyed by dom0");
        return 0;
    case DOMCTL_SHADOW_OP:
        return do_shadow(hv, caller, d, &dc->u.shadow);
    case DOMCTL_GETPAGEFRAMEINFO:
        return do_pfinfo(hv, caller, d, &dc->u.pfinfo);
    case DOMCTL_SET_BROKEN_PAGE_P2M:
        return do_set_broken(hv, d, &dc->u.broken);
    case DOMCTL_GET_VMCE:
        return do_get_vmce(d, &dc->u.vmce);
    case DOMCTL_SET_VMCE:
        return do_set_vmce(hv, d, &dc->u.vmce);
    case DOMCTL_GETINFO:
        return do_getinfo(d, &dc->u.info);
    }
    return -EINVAL;
}

long hv_do_domctl(struct hv *hv, unsigned caller, uint64_t arg)
{
    struct domctl dc;
    long rc = hv_hypercall_enter(hv, caller, arg, &dc, sizeof(dc));
    if (rc == 0)
        rc = dispatch(hv, caller, &dc);
    return hv_hypercall_exit(hv, caller, arg, &dc, sizeof(dc), rc);
}
