/*
 * cmci_poll.c - where the CMCI interrupt and the poll timer enter the hv.
 *
 * Under the xen order with Xen's storm policy (none), Xen's own code runs:
 * cmci_interrupt (mce_intel_cmci.c) and the poller of the host's vendor
 * (mce_nonfatal.c). Otherwise, under the linux order or a Linux storm
 * policy (linux-2.6, linux-6), the Linux-style scan below runs, as Linux's
 * machine_check_poll (mce/core.c) does.
 *
 * The Linux-style scan: the CMCI handler and each CPU's poll timer scan
 * the banks this CPU owns or polls (mce_boot.c), graded on the poll path
 * of the handler order's table, and log what is theirs to log: corrected
 * errors and UCNA (one non-urgent record per scan holding every such
 * bank, banks cleared). Other uncorrected errors are left latched for the
 * #MC handler. The poll interval: after a scan with errors it halves,
 * after a clean one it doubles, within [min, max] of the storm policy's
 * row (Linux: 300 s, floor 10 ms).
 *
 * CMCI storms are the storm policy's business (cmci_storm.c): after every
 * CMCI and poll it is told which banks held corrected errors, and while a
 * storm lasts it sets the poll interval instead of the rule above. Each
 * CMCI and poll trace event carries the current interval ("interval 8s"),
 * so a trace shows the polling rate over time.
 */
#include <stdio.h>

#include "arch/text_fmt.h"
#include "arch/x86_mca.h"
#include "mce_internal.h"

/* Log this CPU's CE and UCNA banks in one non-urgent record (Xen's
 * mcheck_mca_logout for MCA_CMCI_HANDLER / MCA_POLLER reserves one entry
 * per call); *ce_banks gets bit i for each bank i that held a corrected
 * error (what storm detection counts). Returns the banks logged. */
static unsigned scan_banks(struct hv *hv, unsigned cpu, enum mca_rec_source src, uint32_t *ce_banks)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    struct telem_entry *e = NULL;
    bool reserved = false;
    unsigned logged = 0;
    uint64_t mcg = 0;

    hv_rdmsr(hv, cpu, MSR_IA32_MCG_STATUS, &mcg);
    for (unsigned i = 0; i < c->nbanks && !hv->stopped; i++) {
        struct hv_bank_read b;
        if (!((c->owned >> i) & 1u))
            continue; /* another CPU owns this shared bank */
        if (!hv_read_bank(hv, cpu, i, &b))
            continue;
        struct sev_input in = {
            .status = b.status, .mcg_status = mcg, .mcg_cap = c->mcg_cap,
            .ctx = c->ctx, .path = SEV_PATH_POLL,
        };
        hv_charge(hv, cpu, HV_COST_SEVERITY);
        struct sev_result sev = sev_grade_with(sev_table_of(hv->cfg.order), &in);
        if (sev.cls != MCE_CLASS_CORRECTED && sev.cls != MCE_CLASS_UCNA)
            continue; /* not ours: an uncorrected error waits for #MC */
        if (sev.cls == MCE_CLASS_CORRECTED)
            *ce_banks |= 1u << i;
        if (!reserved) {
            reserved = true;
            e = hv_record_reserve(hv, cpu, TELEM_NONURGENT, mcg, src);
        }
        if (e)
            hv_record_add_bank(hv, cpu, e, &b, &sev);
        else
            hv_record_drop_bank(hv, cpu, TELEM_NONURGENT, &b);
        logged += e != NULL;
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_STATUS(i), 0);
    }
    if (e)
        hv_record_commit(hv, cpu, e);
    return logged;
}

static void arm_poll(struct hv *hv, unsigned cpu)
{
    const struct hv_platform *p = hv->plat;
    if (hv->cpu[cpu].poll_interval_ps)
        p->arm_timer(p->ctx, cpu, p->now_ps(p->ctx) + hv->cpu[cpu].poll_interval_ps);
}

void hv_cmci(struct hv *hv, unsigned cpu)
{
    const struct hv_platform *p = hv->plat;
    uint32_t ce = 0;

    if (hv->stopped)
        return;
    if (hv_xen_cmci_poll(hv)) {
        hv->cpu[cpu].ctx = p->context(p->ctx, cpu);
        xen_cmci_interrupt(hv, cpu);
        return;
    }
    uint64_t now = p->now_ps(p->ctx);
    hv->stats.cmci++;
    hv->cpu[cpu].ctx = p->context(p->ctx, cpu);
    hv_trace_interval(hv, HV_STAGE_CMCI_ENTRY, cpu, hv->cpu[cpu].poll_interval_ps);
    if (scan_banks(hv, cpu, MCA_SRC_CMCI, &ce))
        hv_notify_dom0(hv, cpu);
    /* a storm that began or ended changed the poll interval */
    if (hv_storm_cmci(hv, cpu, now, ce))
        arm_poll(hv, cpu);
}

void hv_poll_timer(struct hv *hv, unsigned cpu)
{
    const struct hv_platform *p = hv->plat;
    struct hv_cpu *c = &hv->cpu[cpu];
    uint32_t ce = 0;

    if (hv->stopped)
        return;
    if (hv_xen_cmci_poll(hv)) {
        c->ctx = p->context(p->ctx, cpu);
        xen_poll_timer(hv, cpu);
        return;
    }
    uint64_t now = p->now_ps(p->ctx);
    hv_pq_begin(hv, cpu, c->poll_interval_ps == hv->cfg.poll_max_ps && !c->storm.in_storm);
    hv->stats.polls++;
    c->ctx = p->context(p->ctx, cpu);
    hv_trace_interval(hv, HV_STAGE_POLL, cpu, hv->cpu[cpu].poll_interval_ps);
    unsigned n = scan_banks(hv, cpu, MCA_SRC_POLL, &ce);
    hv_pq_check(hv, cpu, n || ce);
    if (n)
        hv_notify_dom0(hv, cpu);
    if (!hv_storm_poll(hv, cpu, now, n, ce)) {
        if (n) {
            c->poll_interval_ps /= 2;
            if (c->poll_interval_ps < hv->cfg.poll_min_ps)
                c->poll_interval_ps = hv->cfg.poll_min_ps;
        } else {
            c->poll_interval_ps *= 2;
            if (c->poll_interval_ps > hv->cfg.poll_max_ps)
                c->poll_interval_ps = hv->cfg.poll_max_ps;
        }
    }
    arm_poll(hv, cpu);
    hv_pq_end(hv, cpu, c->poll_interval_ps == hv->cfg.poll_max_ps && !c->storm.in_storm);
}
