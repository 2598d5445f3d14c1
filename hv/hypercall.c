/*
 * hypercall.c - the MCA hypercall (public/mca_abi.h), as Xen's do_mca
 * (cpu/mcheck/mce.c) answers it, checks in its order:
 *
 *   a caller other than dom0                 -EPERM  (xsm_do_mca, XSM_PRIV)
 *   the argument cannot be read              -EFAULT (copy_from_guest)
 *   another interface version                -EACCES
 *   FETCH with neither or both of URGENT and NONURGENT  -EINVAL (other
 *     flag bits are not looked at); FETCH|ACK frees the record with that
 *     fetch id, if it is one, and returns 0 whatever; a fetch without a
 *     buffer -EINVAL; no record: NODATA; a record that cannot be copied
 *     out: -EFAULT, FETCHFAILED, and it is handed out again next time
 *   NOTIFYDOMAIN                             -EINVAL ("do_mca notify
 *     unsupported"); only the seed000 decider gives it a meaning
 *     (dom0_decision.c)
 *   PHYSCPUINFO without a buffer: the CPU count; with one and ncpus 0
 *     -EINVAL; else min(ncpus, CPUs) entries, -EFAULT if they cannot be
 *     copied; mc_vendor numbered as the Xen release does (xen_release.c)
 *   OFFLINE_PAGE: not Xen's do_mca but its XEN_SYSCTL_page_offline_op
 *     (mca_offline_op.c)
 *   anything else, the injection commands included      -EINVAL
 *
 * The command struct is written back whatever the result once a command
 * ran (Xen copies it back on -EFAULT too), except after an ACK. The
 * injection commands (XEN_MC_msrinject, _mceinject, _inject_v2) are not
 * modelled: a scenario's `inject` event plays their part.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "mce_internal.h"

/* Xen's x86_mcerr (mce.c): the error code, and on a debug build a
 * gdprintk naming the check at the site of this release. */
static long mcerr(struct hv *hv, enum xen_dprintk site, unsigned caller, const char *what, long err)
{
    xen_gdprintk(hv, site, caller, 0, "x86_mcerr: %s, returning %ld", what, err);
    return err;
}

/* Exactly one of URGENT and NONURGENT; 0, or -EINVAL. */
static int fetch_class(uint32_t flags, enum telem_class *cls)
{
    switch (flags & (MCA_FLAG_URGENT | MCA_FLAG_NONURGENT)) {
    case MCA_FLAG_URGENT: *cls = TELEM_URGENT; return 0;
    case MCA_FLAG_NONURGENT: *cls = TELEM_NONURGENT; return 0;
    default: return -EINVAL;
    }
}

static long do_fetch(struct hv *hv, unsigned cpu, unsigned caller, struct mca_fetch *f, bool *copy)
{
    const struct hv_platform *p = hv->plat;
    enum telem_class cls;
    if (fetch_class(f->flags, &cls))
        return mcerr(hv, DPK_MCERR_CMDFLAGS, caller, "do_mca fetch: bad cmdflags", -EINVAL);
    if (f->flags & MCA_FLAG_ACK) {
        if (telem_ack(&hv->telem, cls, f->fetch_id) == 0)
            hv_trace(hv, HV_STAGE_ACK, cpu, -1, 0, 0, NULL);
        *copy = false; /* Xen writes nothing back for an ack */
        return 0;
    }
    if (f->data == 0)
        return mcerr(hv, DPK_MCERR_BUFFER, caller, "do_mca fetch: guest buffer invalid", -EINVAL);
    struct telem_entry *e = telem_fetch(&hv->telem, cls);
    if (!e) {
        f->flags = MCA_FLAG_NODATA;
        f->fetch_id = 0;
        return 0;
    }
    hv_charge(hv, cpu, HV_COST_COPY_RECORD);
    if (p->copy_to_guest(p->ctx, caller, f->data, &e->rec, sizeof(e->rec)) != 0) {
        f->flags = MCA_FLAG_FETCHFAILED;
        f->fetch_id = 0;
        return -EFAULT;
    }
    f->flags = MCA_FLAG_OK;
    f->fetch_id = e->fetch_id;
    hv_trace(hv, HV_STAGE_FETCH, cpu, -1, 0, e->rec.seq, NULL);
    return 0;
}

static long do_physcpuinfo(struct hv *hv, unsigned caller, struct mca_physcpuinfo *pi)
{
    const struct hv_platform *p = hv->plat;
    const struct xen_release *rel = xen_release_of(hv->cfg.xen_version);
    unsigned n = hv->cfg.ncpus;
    long rc = 0;
    if (pi->info != 0) {
        if (pi->ncpus == 0)
            return mcerr(hv, DPK_MCERR_NCPUS, caller, "do_mca cpuinfo: ncpus <= 0", -EINVAL);
        if (pi->ncpus < n)
            n = pi->ncpus;
        for (unsigned i = 0; i < n && rc == 0; i++) {
            struct mca_cpuinfo ci = {
                .cpu = i, .vendor = hv->cfg.vendor == 0 ? rel->physcpuinfo_intel : rel->physcpuinfo_amd,
                .family = hv->cfg.family, .model = hv->cfg.model, .nbanks = hv->cpu[i].nbanks,
                .mcg_cap = hv->cpu[i].mcg_cap,
            };
            if (p->copy_to_guest(p->ctx, caller, pi->info + (uint64_t)i * sizeof(ci), &ci, sizeof(ci)))
                rc = -EFAULT;
        }
    }
    pi->ncpus = n;
    return rc;
}

static long dispatch(struct hv *hv, unsigned cpu, unsigned caller, struct mca_hypercall *hc, bool *copy)
{
    if (hc->interface_version != MCA_INTERFACE_VERSION) {
        return mcerr(hv, DPK_MCERR_VERSION, caller, "do_mca: interface version mismatch", -EACCES);
    }
    *copy = true;
    switch (hc->cmd) {
    case MCA_CMD_FETCH:
        return do_fetch(hv, cpu, caller, &hc->u.fetch, copy);
    case MCA_CMD_PHYSCPUINFO:
        return do_physcpuinfo(hv, caller, &hc->u.physcpuinfo);
    case MCA_CMD_NOTIFYDOMAIN:
        if (hv->cfg.decider == DECIDER_XEN) {
            *copy = false;
            return mcerr(hv, DPK_MCERR_NOTIFY, caller, "do_mca notify unsupported", -EINVAL);
        }
        return hv_dom0_decision(hv, cpu, &hc->u.notifydomain);
    case MCA_CMD_OFFLINE_PAGE:
        return hv_mca_offline_op(hv, cpu, &hc->u.offline);
    case MCA_CMD_SPARE_RANK:
        if (hv->cfg.decider == DECIDER_XEN)
            break; /* Xen has no such command */
        *copy = false;
        return hv_mca_spare(hv, cpu, &hc->u.spare);
    default:
        break;
    }
    *copy = false;
    return mcerr(hv, DPK_MCERR_BADCMD, caller, "do_mca: bad command", -EINVAL);
}

long hv_do_mca(struct hv *hv, unsigned caller, uint64_t arg)
{
    const struct hv_platform *p = hv->plat;
    struct mca_hypercall hc;
    unsigned cpu = hv_hypercall_cpu(hv);
    bool copy = false;
    long rc = hv_hypercall_enter(hv, caller, arg, &hc, sizeof(hc));
    if (rc == -EPERM) /* xsm_do_mca's answer, no text of its own */
        mcerr(hv, DPK_MCERR_XSM, caller, "", rc);
    else if (rc == -EFAULT)
        mcerr(hv, DPK_MCERR_COPYIN, caller, "do_mca: failed copyin of xen_mc_t", rc);
    if (rc == 0)
        rc = dispatch(hv, cpu, caller, &hc, &copy);
    if (copy && p->copy_to_guest(p->ctx, caller, arg, &hc, sizeof(hc)) != 0)
        rc = -EFAULT;
    return hv_hypercall_exit(hv, caller, arg, NULL, 0, rc);
}
