/*
 * vmce_deliver.c - telling a domain about an error in its memory with a
 * vMCE, the second half of Xen's mc_memerr_dhandler (mcaction.c) once the
 * frame is broken: which vCPU gets the error, fill_vmsr_data, inject_vmce,
 * and a crash of the domain when either fails.
 *
 * inject_vmce prints, with mce_verbosity=verbose, "MCE: inject vMCE to
 * dNvM" for each vCPU it marks, in vCPU order, before the (quiet) line of
 * a vCPU that refuses (the same in 4.17.7 and 4.20.4).
 *
 * Which vCPU: Xen broadcasts (the error in vCPU 0's bank 1, MCIP|RIPV on
 * the others) unless the #MC interrupted a vCPU of the owner itself
 * (global mc_domid/mc_vcpuid, the vCPU current on the logging pCPU) and,
 * on Intel, the host #MC was local (MCG_STATUS.LMCES) and that vCPU's
 * guest enabled LMCE in its MCG_EXT_CTL; then that vCPU alone. On AMD the
 * owner's interrupted vCPU is targeted whenever it is known, while
 * fill_vmsr_data, seeing no LMCES, still fills vCPU 0: the error lands in
 * vCPU 0's bank and the #MC in the other vCPU. The guest gets the host's
 * MCG_STATUS as logged, and nothing checks its CR4.MCE: what an HVM guest
 * that never enabled machine checks does with the #MC is its own business
 * (guests/linux_guest.c).
 *
 * Not Xen, kept as named alternatives: a one-bank interface whose
 * hypervisor kills a guest shown a CPU with the bank-0 quirk (vMCE design
 * RFC, option 3), an explicit target vCPU that gets the error itself
 * (`broken_access: srar`, the consumer of another domain's page), and a
 * guest whose MCi_CTL and CR4.MCE are honoured (`guest_mca_ctl: honour`).
 */
#include <errno.h>
#include <stdio.h>

#include "arch/x86_cpuid.h"
#include "arch/x86_mca.h"
#include "mce_internal.h"
#include "vmce.h"

/* Linux skips bank 0 on Intel family 6 below model 0x1A and on AMD K7
 * (Linux mce/core.c quirks; vMCE design RFC, 2012). */
static bool shows_bank0_quirk(const struct domain *d)
{
    if (d->cpuid_vendor == CPU_VENDOR_INTEL)
        return d->cpuid_family == 6 && d->cpuid_model < 0x1A;
    return d->cpuid_vendor == CPU_VENDOR_AMD && d->cpuid_family == 6;
}

/* mc_memerr_dhandler's choice: VMCE_BROADCAST or the interrupted vCPU. */
static int xen_target(const struct hv *hv, const struct domain *d, const struct mca_record *r)
{
    if (r->cpu >= hv->cfg.ncpus)
        return VMCE_BROADCAST;
    const struct hv_cpu *c = &hv->cpu[r->cpu];
    if (c->cur_domid != d->id || c->cur_vcpu >= d->nvcpus)
        return VMCE_BROADCAST; /* another domain, or none, was running */
    if (d->host_vendor == 0 && (!(r->mcg_status & MCG_STATUS_LMCES) ||
                                !(d->vcpu[c->cur_vcpu].vmce.mcg_ext_ctl & MCG_EXT_CTL_LMCE_EN)))
        return VMCE_BROADCAST;
    return (int)c->cur_vcpu;
}

static enum mca_rec_action fail(struct hv *hv, struct domain *d, const char *why)
{
    hv->stats.vmce_failed++;
    hv_domain_crash(hv, d, "vMCE not delivered: %s", why);
    return MCA_ACT_CRASHED;
}

static const char *inject_failure(const struct domain *d, int rc)
{
    if (rc == -ESRCH)
        return "inject_vmce failed: no vCPU brought up";
    if (d->type != DOM_TYPE_HVM && !d->mce_callback)
        return "inject_vmce failed: PV guest has no machine-check callback";
    return "inject_vmce failed: a vMCE is already pending";
}

/* A vCPU named by an alternative policy gets the error in its own bank,
 * and, being the only vCPU with a #MC, is told it is local (LMCES): a
 * Linux guest would otherwise wait in its rendezvous (mce_start) for vCPUs
 * that never come. */
static int fill_one(struct domain *d, unsigned vcpu, const struct mca_record *r, const struct vmce_error *e)
{
    return vmce_fill_vcpu(d, &d->vcpu[vcpu], r->mcg_status | MCG_STATUS_MCIP | MCG_STATUS_LMCES, e);
}

/* vcpu_fill_mc_msrs's complaint, for each vCPU the fill will find with
 * MCIP still set: on a broadcast every vCPU, else the one filled. */
static void report_busy(struct hv *hv, const struct domain *d, int target, unsigned filled)
{
    for (unsigned i = 0; i < d->nvcpus; i++)
        if ((target == VMCE_BROADCAST || i == filled) && (d->vcpu[i].vmce.mcg_status & MCG_STATUS_MCIP))
            hv_printk(hv, "MCE: d%uv%u: guest has not handled previous vMCE yet!", d->id, i);
}

/* inject_vmce's verbose line for each vCPU it marked: the target, or on a
 * broadcast every vCPU brought up before the one that refused (all of them
 * when none did). -ESRCH marked none. */
static void print_injected(struct hv *hv, const struct domain *d, int target, int rc, unsigned refused)
{
    for (unsigned i = 0; rc != -ESRCH && i < d->nvcpus; i++) {
        if (target != VMCE_BROADCAST && (unsigned)target != i)
            continue;
        if (rc == -EBUSY && i >= refused)
            break;
        if (d->vcpu[i].up)
            xen_mce_printk_verbose(hv, "MCE: inject vMCE to d%uv%u", d->id, i);
    }
}

/* Let the vCPUs holding a vMCE run; a paused domain's are raised when it
 * is unpaused. */
static void raise(struct hv *hv, const struct domain *d)
{
    for (unsigned i = 0; hv->plat->vmce_raise && d->state == DOM_RUNNING && i < d->nvcpus; i++)
        if (d->vcpu[i].vmce.pending)
            hv->plat->vmce_raise(hv->plat->ctx, d->id, i);
}

const char *hv_guest_mca_ctl_name(enum hv_guest_mca_ctl p)
{
    static const char *const n[GUEST_MCA_CTL__COUNT] = {[GUEST_MCA_CTL_INJECT] = "inject",
                                                        [GUEST_MCA_CTL_HONOUR] = "honour"};
    return (unsigned)p < GUEST_MCA_CTL__COUNT ? n[p] : "unknown";
}

/* `guest_mca_ctl: honour` (not Xen; the question of Egger's concept): an
 * HVM guest without a PV MCA driver that turned the error bank off
 * (MCi_CTL = 0: which bit covers which error is model-specific, SDM
 * 15.3.2.1, so a partial mask counts as on) or runs with CR4.MCE clear
 * (polling) gets the error in its bank and no #MC: EN is clear when the
 * bank is off, and MCG_STATUS is left alone. An action-required error on
 * a vCPU without CR4.MCE and with the bank on is what hardware turns into
 * shutdown (SDM 15.10.1): the domain is crashed. True when it decided. */
static bool honour(struct hv *hv, struct domain *d, const struct vmce_error *e, unsigned filled,
                   enum mca_rec_action *out)
{
    struct vcpu *v = &d->vcpu[filled];
    struct vmce_bank *bk = &v->vmce.bank[d->vp.err_bank];
    bool off = bk->ctl_cleared == ~0ull, polling = !v->cr4_mce;
    if (!d->honour_ctl || d->pv_mca_driver || (!off && !polling))
        return false;
    if (!off && (e->status & MCI_STATUS_AR)) {
        *out = fail(hv, d, "#MC with CR4.MCE clear: the vCPU shuts down");
        return true;
    }
    bk->status = e->status & ~MCI_STATUS_MSCOD_MASK & (off ? ~MCI_STATUS_EN : ~0ull);
    bk->addr = e->gaddr;
    bk->misc = e->misc;
    hv_printk(hv, "MCE: d%uv%u: %s: error left in bank %u, no #MC", d->id, filled,
              off ? "MCi_CTL clear" : "CR4.MCE clear", d->vp.err_bank);
    *out = MCA_ACT_POLLED;
    return true;
}

enum mca_rec_action hv_vmce_deliver(struct hv *hv, struct domain *d, const struct mca_record *r,
                                    const struct mca_bank_entry *b, uint64_t gaddr, int vcpu)
{
    if (d->state == DOM_CRASHED || d->state == DOM_DYING)
        return MCA_ACT_NONE;
    if (d->vp.nbanks == 1 && d->vp.kill_on_bank0_quirk && shows_bank0_quirk(d))
        return fail(hv, d, "1-bank vMCE and a CPU model with the bank-0 quirk (hypervisor kills the guest)");
    const struct vmce_error e = {.status = b->status, .gaddr = gaddr, .misc = b->misc};
    bool chosen = vcpu >= 0 && (unsigned)vcpu < d->nvcpus;
    int target = chosen ? vcpu : xen_target(hv, d, r);
    /* the vCPU whose bank takes the error: see the top of the file */
    unsigned filled = chosen || (target >= 0 && (r->mcg_status & MCG_STATUS_LMCES)) ? (unsigned)target : 0u;
    enum mca_rec_action decided;
    if (honour(hv, d, &e, filled, &decided))
        return decided;
    report_busy(hv, d, target, filled);
    int rc = chosen ? fill_one(d, (unsigned)vcpu, r, &e) : vmce_fill(d, target, r->mcg_status, &e);
    if (rc) {
        hv_printk(hv, "Fill vMCE# data for DOM%u failed", d->id);
        return fail(hv, d, "fill_vmsr_data failed: the previous vMCE is not handled yet (MCIP set)");
    }
    unsigned refused = 0;
    rc = vmce_inject(d, target, &refused);
    print_injected(hv, d, target, rc, refused);
    if (rc) {
        if (rc == -EBUSY)
            hv_printk(hv, "Failed to inject vMCE to d%uv%u", d->id, refused);
        hv_printk(hv, "inject vMCE to DOM%u failed", d->id);
        return fail(hv, d, inject_failure(d, rc));
    }
    hv->stats.vmce_injected++;
    char detail[64];
    snprintf(detail, sizeof(detail), "dom%u vcpu%u%s", d->id, filled,
             target == VMCE_BROADCAST ? " broadcast" : chosen ? " chosen" : " local");
    hv_trace(hv, HV_STAGE_VMCE_INJECT, d->vcpu[filled].pcpu, (int)d->vp.err_bank, b->status, r->seq, detail);
    raise(hv, d);
    return MCA_ACT_VMCE;
}
