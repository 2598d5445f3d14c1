/*
 * mce_softirq.c - deferred handling of uncorrected errors, outside the
 * #MC context (Xen's mce_softirq and mce_delayed_action, mce.c).
 *
 * After a broadcast #MC every CPU meets again; the last to arrive is the
 * worker and runs the deferred records of every CPU; under LMCE the local
 * CPU does its own. Each bank of a record is routed by a table of (class,
 * MCACOD) rows to the memory-error handler or a fixed result; the worst
 * of its banks' results is the record's (Xen's mce_action) and decides:
 * RECOVERED and CONTINUE commit it for dom0, RESET stops the host.
 */
#include "arch/x86_mca.h"
#include "mce_internal.h"
#include "public/mca_names.h"

typedef enum mca_rec_result (*deferred_fn)(struct hv *hv, unsigned cpu, struct mca_record *r,
                                          struct mca_bank_entry *b);

static enum mca_rec_result fixed_continue(struct hv *hv, unsigned cpu, struct mca_record *r,
                                          struct mca_bank_entry *b)
{
    (void)hv, (void)cpu, (void)r, (void)b;
    return MCA_RES_CONTINUE;
}

static enum mca_rec_result fixed_reset(struct hv *hv, unsigned cpu, struct mca_record *r,
                                       struct mca_bank_entry *b)
{
    (void)hv, (void)cpu, (void)r, (void)b;
    return MCA_RES_RESET;
}

struct deferred_rule {
    enum mca_rec_class cls;   /* MCA_REC_NONE: any class */
    uint16_t mcacod_mask, mcacod_val;
    deferred_fn fn;
};

/* First match wins. Xen routes SRAO scrub/L3-writeback and SRAR data
 * load/instruction fetch to the memory-error handler; other SRAR codes
 * cannot be recovered; other SRAO codes and UCNA only taint. */
static const struct deferred_rule deferred_rules[] = {
    {MCA_REC_SRAO, MCACOD_SCRUB_MASK, MCACOD_SCRUB, hv_memerr},
    {MCA_REC_SRAO, 0xFFFF, MCACOD_L3_WB, hv_memerr},
    {MCA_REC_SRAR, 0xFFFF, MCACOD_DATA_LOAD, hv_memerr},
    {MCA_REC_SRAR, 0xFFFF, MCACOD_INSN_FETCH, hv_memerr},
    {MCA_REC_SRAR, 0, 0, fixed_reset},
    {MCA_REC_FATAL, 0, 0, fixed_reset},
    {MCA_REC_NONE, 0, 0, fixed_continue},
};

static deferred_fn route(const struct mca_bank_entry *r)
{
    for (size_t i = 0; i < sizeof(deferred_rules) / sizeof(deferred_rules[0]); i++) {
        const struct deferred_rule *d = &deferred_rules[i];
        if (d->cls != MCA_REC_NONE && (uint32_t)d->cls != r->cls)
            continue;
        if ((mci_mcacod(r->status) & d->mcacod_mask) == d->mcacod_val)
            return d->fn;
    }
    return fixed_continue;
}

/* The record's result is the worst of its banks' (Xen's mce_action);
 * like it, the walk stops at the first bank that needs a reset. */
static enum mca_rec_result act_on_banks(struct hv *hv, unsigned cpu, struct mca_record *r)
{
    enum mca_rec_result worst = MCA_RES_NONE;
    for (unsigned i = 0; i < r->nbanks && worst != MCA_RES_RESET && !hv->stopped; i++) {
        struct mca_bank_entry *b = &r->bank[i];
        enum mca_rec_result res = route(b)(hv, cpu, r, b);
        hv_trace_record(hv, HV_STAGE_ACTION_DONE, cpu, r, (int)i, mca_rec_result_name(res));
        worst = hv_worst_result(worst, res);
    }
    return worst;
}

/* Returns true when a record was committed for dom0. */
static bool handle_record(struct hv *hv, unsigned cpu, struct telem_entry *e)
{
    struct mca_record *r = &e->rec;
    enum mca_rec_result res = act_on_banks(hv, cpu, r);
    r->result = (uint32_t)res;
    switch (res) {
    case MCA_RES_RESET:
        hv->stats.resets++;
        hv_record_commit(hv, cpu, e);
        /* Xen's RESET result is a panic (mce_delayed_action). */
        hv_stop(hv, cpu, HV_STOP_PANIC, "Software recovery failed for the UCR");
        return false;
    case MCA_RES_RECOVERED:
        hv->stats.recovered++;
        hv_printk(hv, "MCE: Error is successfully recovered");
        break;
    case MCA_RES_CONTINUE:
        hv->stats.tainted++;
        hv_printk(hv, "MCE: Error can't be recovered, system is tainted");
        break;
    case MCA_RES_NONE:
    case MCA_RES__COUNT: /* not a result */
        telem_dismiss(&hv->telem, e);
        return false;
    }
    hv_record_commit(hv, cpu, e);
    return true;
}

static bool drain(struct hv *hv, unsigned worker, unsigned owner)
{
    struct hv_cpu *c = &hv->cpu[owner];
    bool committed = false;
    unsigned i;
    for (i = 0; i < c->npending && !hv->stopped; i++)
        committed |= handle_record(hv, worker, c->pending[i]);
    /* Keep whatever a stop left unhandled: it is dumped, not lost. */
    unsigned left = c->npending - i;
    for (unsigned j = 0; j < left; j++)
        c->pending[j] = c->pending[i + j];
    c->npending = left;
    return committed;
}

static void softirq_run(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    unsigned n = hv->cfg.ncpus;

    hv->stats.softirqs++;
    hv_trace(hv, HV_STAGE_SOFTIRQ_ENTRY, cpu, -1, 0, 0, NULL);
    hv_charge(hv, cpu, HV_COST_SOFTIRQ);

    bool local = c->lmce;
    bool worker = local || hv->softirq_bar.count + 1 >= n;
    if (!local && hv_barrier_wait(hv, &hv->softirq_bar, cpu, n, hv->cfg.rendezvous_timeout_ps) !=
                      HV_BARRIER_OK) {
        if (!hv->stopped)
            hv_stop(hv, cpu, HV_STOP_PANIC, "Timeout: Not all CPUs entered the MCE softirq");
        return;
    }
    bool committed = false;
    if (worker) {
        for (unsigned i = local ? cpu : 0; i < (local ? cpu + 1 : n); i++)
            committed |= drain(hv, cpu, i);
    }
    if (!local && hv_barrier_wait(hv, &hv->softirq_bar, cpu, n, hv->cfg.rendezvous_timeout_ps) !=
                      HV_BARRIER_OK)
        return;
    if (hv->stopped)
        return;
    /* Corrected records committed in #MC context also wait for this VIRQ. */
    if (worker && (committed || telem_count(&hv->telem, TELEM_URGENT, TELEM_COMMITTED)))
        hv_notify_dom0(hv, cpu);
    hv_trace(hv, HV_STAGE_SOFTIRQ_DONE, cpu, -1, 0, 0, NULL);
}

void hv_softirq(struct hv *hv, unsigned cpu)
{
    if (hv->stopped)
        return;
    bool was = hv->cpu[cpu].in_softirq; /* restored: an #MC can nest a softirq */
    hv->cpu[cpu].in_softirq = true;     /* a hang report says where the CPU is */
    softirq_run(hv, cpu);
    hv->cpu[cpu].in_softirq = was;
}
