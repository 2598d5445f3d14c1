/*
 * cmci_poll.c - corrected errors: the CMCI handler and the poll timer.
 *
 * Both scan the CPU's banks on the poll path of the severity table and log
 * what is theirs to log: corrected errors and UCNA (non-urgent records,
 * bank cleared). Other uncorrected errors are left latched for the #MC
 * handler, as Linux's poller does (linux-kvm-qemu-mce.md s.2 "Polling").
 * The poll interval follows Xen's Intel policy (xen-mca-behaviour.md s.4):
 * after a round with errors it is divided by (CPUs that found errors + 1),
 * after a clean round it doubles, within [min, max]. Each CPU polls its own
 * banks, so "CPUs that found errors" is this CPU: the interval halves.
 */
#include "arch/x86_mca.h"
#include "mce_internal.h"

static unsigned scan_banks(struct hv *hv, unsigned cpu, enum mca_rec_source src)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    unsigned logged = 0;
    uint64_t mcg = 0;

    hv_rdmsr(hv, cpu, MSR_IA32_MCG_STATUS, &mcg);
    for (unsigned i = 0; i < c->nbanks && !hv->stopped; i++) {
        struct hv_bank_read b;
        if (!hv_read_bank(hv, cpu, i, &b))
            continue;
        struct sev_input in = {
            .status = b.status, .mcg_status = mcg, .mcg_cap = c->mcg_cap,
            .ctx = c->ctx, .path = SEV_PATH_POLL,
        };
        hv_charge(hv, cpu, HV_COST_SEVERITY);
        struct sev_result sev = sev_grade(&in);
        if (sev.cls != MCE_CLASS_CORRECTED && sev.cls != MCE_CLASS_UCNA)
            continue; /* not ours: an uncorrected error waits for #MC */
        struct telem_entry *e = hv_record_new(hv, cpu, TELEM_NONURGENT, &b, mcg, &sev, src);
        if (e) {
            hv_record_commit(hv, cpu, e);
            logged++;
        }
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_STATUS(i), 0);
    }
    return logged;
}

void hv_cmci(struct hv *hv, unsigned cpu)
{
    if (hv->stopped)
        return;
    hv->stats.cmci++;
    hv->cpu[cpu].ctx = hv->plat->context(hv->plat->ctx, cpu);
    hv_trace(hv, HV_STAGE_CMCI_ENTRY, cpu, -1, 0, 0, NULL);
    if (scan_banks(hv, cpu, MCA_SRC_CMCI))
        hv_notify_dom0(hv, cpu);
}

void hv_poll_timer(struct hv *hv, unsigned cpu)
{
    const struct hv_platform *p = hv->plat;
    struct hv_cpu *c = &hv->cpu[cpu];

    if (hv->stopped)
        return;
    hv->stats.polls++;
    c->ctx = p->context(p->ctx, cpu);
    hv_trace(hv, HV_STAGE_POLL, cpu, -1, 0, 0, NULL);
    unsigned n = scan_banks(hv, cpu, MCA_SRC_POLL);
    if (n) {
        c->poll_interval_ps /= 2;
        if (c->poll_interval_ps < hv->cfg.poll_min_ps)
            c->poll_interval_ps = hv->cfg.poll_min_ps;
        hv_notify_dom0(hv, cpu);
    } else {
        c->poll_interval_ps *= 2;
        if (c->poll_interval_ps > hv->cfg.poll_max_ps)
            c->poll_interval_ps = hv->cfg.poll_max_ps;
    }
    if (c->poll_interval_ps)
        p->arm_timer(p->ctx, cpu, p->now_ps(p->ctx) + c->poll_interval_ps);
}
