/*
 * mce_linux.c - the linux handler order (policy handler_order: linux):
 * the #MC handler and MCE softirq mcasim had before it followed Xen,
 * kept as the alternative to compare with. Grading is the linux table
 * (severity.c).
 *
 * #MC handler, a Linux-style monarch (do_machine_check, mce/core.c) with
 * an optional rendezvous timeout (monarch_timeout):
 *   0. an offline CPU with RIPV clears MCG_STATUS and returns
 *      (mce_check_crashing_cpu): only online CPUs meet;
 *   1. entry rendezvous of every CPU of the host (skipped for LMCE); the
 *      first CPU in is the monarch;
 *   2. bank logout, one CPU at a time under the logout lock: each valid
 *      bank is graded and added to the CPU's one record (mce_record.c); a
 *      record with an uncorrected bank is deferred to the softirq, one of
 *      corrected errors only is committed at once; banks are cleared
 *      except fatal ones, which stay for the post-reboot log;
 *   3. rendezvous; the monarch panics if any CPU found a fatal error or no
 *      CPU found any valid bank;
 *   4. rendezvous; each CPU clears MCG_STATUS (MCIP) and raises the
 *      softirq. A #MC that arrives before step 4 finds MCIP set and shuts
 *      the CPU down (hardware); one after it is handled normally.
 *
 * Softirq: every CPU meets again; the last to arrive is the worker and
 * runs the deferred records of every CPU (under LMCE the local CPU does
 * its own). Each record goes through the softirq's handler table
 * (mce_action.c) and its result decides: RECOVERED and CONTINUE commit it
 * for dom0, RESET commits it and stops the host; one VIRQ when anything
 * was committed.
 */
#include <stdio.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "mce_action.h"
#include "mce_internal.h"
#include "public/mca_names.h"


/* One logout in progress: the CPU's record, reserved at the first bank
 * worth logging (Xen's mcheck_mca_logout reserves at the first valid one). */
struct logout_state {
    uint64_t mcg;
    struct telem_entry *e;
    bool reserved;          /* a reservation was tried (it may have failed) */
};

/* Grade and log one valid bank inside the #MC handler. */
static void logout_bank(struct hv *hv, unsigned cpu, struct logout_state *ls, const struct hv_bank_read *b)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    struct sev_input in = {
        .status = b->status, .mcg_status = ls->mcg, .mcg_cap = c->mcg_cap,
        .ctx = c->ctx, .path = SEV_PATH_MCE,
    };
    hv_charge(hv, cpu, HV_COST_SEVERITY);
    struct sev_result sev = sev_grade_with(&sev_table_linux, &in);

    hv->stats.banks_logged++;
    if (sev.action == MCE_ACT_IGNORE) {
        hv_trace(hv, HV_STAGE_SEVERITY, cpu, (int)b->bank, b->status, 0, sev.rule);
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_STATUS(b->bank), 0);
        return;
    }
    /* Only a bank worth grading explains the #MC; invalid or disabled
     * ones do not (Linux: "Machine check from unknown source"). */
    c->found = true;
    if (sev.action == MCE_ACT_PANIC && !c->fatal) {
        c->fatal = true;
        c->fatal_rule = sev.rule;
    }
    if (!ls->reserved) {
        ls->reserved = true;
        ls->e = hv_record_reserve(hv, cpu, TELEM_URGENT, ls->mcg, MCA_SRC_MCE);
    }
    if (ls->e)
        hv_record_add_bank(hv, cpu, ls->e, b, &sev);
    else
        hv_record_drop_bank(hv, cpu, TELEM_URGENT, b);
    /* Fatal banks stay latched so they can be logged after reset. */
    if (sev.action != MCE_ACT_PANIC)
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_STATUS(b->bank), 0);
}

static void logout_lock(struct hv *hv, unsigned cpu)
{
    hv_spin_lock(hv, &hv->logout_lock, cpu);
}

static void logout_unlock(struct hv *hv)
{
    hv_spin_unlock(hv, &hv->logout_lock);
}

static void logout(struct hv *hv, unsigned cpu, uint64_t mcg)
{
    logout_lock(hv, cpu);
    if (hv->stopped) {
        logout_unlock(hv);
        return;
    }
    struct logout_state ls = {.mcg = mcg};
    for (unsigned i = 0; i < hv->cpu[cpu].nbanks; i++) {
        struct hv_bank_read b;
        if (hv_read_bank(hv, cpu, i, &b))
            logout_bank(hv, cpu, &ls, &b);
    }
    /* One record per logout: uncorrected errors make the whole record
     * wait for the softirq (mcheck_cmn_handler defers it), corrected ones
     * alone are committed at once. */
    if (ls.e && hv_record_has_uc(&ls.e->rec))
        telem_defer(&hv->telem, ls.e, cpu, hv->cpu[cpu].lmce); /* handled (or dumped at panic) later */
    else if (ls.e)
        hv_record_commit(hv, cpu, ls.e);
    logout_unlock(hv);
}

/* Rendezvous of all CPUs; false when the host stopped meanwhile. */
static bool rendezvous(struct hv *hv, unsigned cpu, const char *phase)
{
    hv_trace(hv, HV_STAGE_RENDEZVOUS_IN, cpu, -1, 0, 0, phase);
    enum hv_barrier_result r = hv_barrier_wait(hv, &hv->mce_bar, cpu, hv->nonline,
                                               hv->cfg.rendezvous_timeout_ps);
    if (r == HV_BARRIER_TIMEOUT) {
        char why[160];
        snprintf(why, sizeof(why), "Timeout: Not all CPUs entered broadcast exception handler (%s)",
                 phase);
        hv_stop(hv, cpu, HV_STOP_PANIC, why);
    }
    if (r != HV_BARRIER_OK)
        return false;
    hv_trace(hv, HV_STAGE_RENDEZVOUS_OUT, cpu, -1, 0, 0, phase);
    return true;
}

/* The monarch's verdict over every CPU of the round (or this CPU alone
 * for LMCE): panic on any fatal error, and on a #MC nobody can explain. */
static void decide(struct hv *hv, unsigned cpu, bool local)
{
    unsigned first = local ? cpu : 0, last = local ? cpu : hv->cfg.ncpus - 1;
    char cpus[256] = "";
    const char *rule = NULL;
    bool found = false;
    size_t len = 0;

    for (unsigned i = first; i <= last; i++) {
        const struct hv_cpu *c = &hv->cpu[i];
        found |= c->found;
        if (!c->fatal)
            continue;
        if (!rule)
            rule = c->fatal_rule;
        if (len < sizeof(cpus) - 8)
            len += (size_t)snprintf(cpus + len, sizeof(cpus) - len, "%s%u", len ? "," : "", i);
    }
    char why[sizeof(cpus) + 128];
    if (rule) {
        snprintf(why, sizeof(why), "Fatal error happened on CPUs %s: %s", cpus, rule);
        hv_stop(hv, cpu, HV_STOP_PANIC, why);
    } else if (!found) {
        hv_stop(hv, cpu, HV_STOP_PANIC, "No CPU found valid MCE, need reset");
    }
}

static void round_begin(struct hv *hv, unsigned cpu, bool local)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    c->fatal = false;
    c->found = false;
    c->fatal_rule = NULL;
    if (!local && hv->arrivals++ == 0)
        hv->monarch = (int)cpu;
}

/* mce_check_crashing_cpu: an offline CPU (parked, taking a broadcast #MC)
 * with RIPV clears MCG_STATUS and leaves, avoiding the rendezvous (which
 * counts online CPUs only). True when it left. */
static bool offline_cpu_leaves(struct hv *hv, unsigned cpu)
{
    uint64_t mcg = 0;
    if (hv_cpu_online(hv, cpu))
        return false;
    hv_rdmsr(hv, cpu, MSR_IA32_MCG_STATUS, &mcg);
    if (!(mcg & MCG_STATUS_RIPV))
        return false;
    hv_wrmsr(hv, cpu, MSR_IA32_MCG_STATUS, 0);
    hv_trace(hv, HV_STAGE_MCIP_CLEARED, cpu, -1, 0, 0, "offline CPU");
    hv_charge(hv, cpu, HV_COST_IRET);
    hv_trace(hv, HV_STAGE_HANDLER_EXIT, cpu, -1, 0, 0, NULL);
    return true;
}

void hv_linux_machine_check(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    uint64_t mcg = 0;

    if (offline_cpu_leaves(hv, cpu))
        return;

    /* in_mce: set and restored by hv_machine_check around every flow */
    hv_rdmsr(hv, cpu, MSR_IA32_MCG_STATUS, &mcg);
    c->lmce = (mcg & MCG_STATUS_LMCES) != 0;
    round_begin(hv, cpu, c->lmce);

    if (!c->lmce && !rendezvous(hv, cpu, "entry"))
        goto out;
    logout(hv, cpu, mcg);
    if (hv->stopped || (!c->lmce && !rendezvous(hv, cpu, "logout")))
        goto out;
    if (c->lmce || hv->monarch == (int)cpu) {
        hv->arrivals = 0;
        decide(hv, cpu, c->lmce);
    }
    if (hv->stopped || (!c->lmce && !rendezvous(hv, cpu, "verdict")))
        goto out;

    hv_wrmsr(hv, cpu, MSR_IA32_MCG_STATUS, 0);
    hv_trace(hv, HV_STAGE_MCIP_CLEARED, cpu, -1, 0, 0, NULL);
    hv_mce_defer(hv, cpu);
    hv_charge(hv, cpu, HV_COST_IRET);
    hv_trace(hv, HV_STAGE_HANDLER_EXIT, cpu, -1, 0, 0, NULL);
out:
    return;
}

/* Returns true when a record was committed for dom0. */
static bool handle_record(struct hv *hv, unsigned cpu, struct telem_entry *e)
{
    struct mca_record *r = &e->rec;
    enum mca_rec_result res = xen_mce_action(hv, cpu, r, XEN_DHANDLERS);
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

struct drain_ctx {
    struct hv *hv;
    unsigned worker;
    bool committed;
};

/* handle_record commits what it keeps (traced); a stop leaves the rest
 * uncommitted: dumped, not lost. */
static enum telem_verdict drain_one(void *arg, struct telem_entry *e)
{
    struct drain_ctx *d = arg;
    if (d->hv->stopped)
        return TELEM_STOP;
    d->committed |= handle_record(d->hv, d->worker, e);
    return d->hv->stopped ? TELEM_STOP : e->state == TELEM_COMMITTED ? TELEM_COMMIT : TELEM_DISMISS;
}

static bool drain(struct hv *hv, unsigned worker, unsigned owner)
{
    struct drain_ctx d = {.hv = hv, .worker = worker};
    telem_process_deferred(&hv->telem, owner, false, drain_one, &d);
    telem_process_deferred(&hv->telem, owner, true, drain_one, &d);
    return d.committed;
}

static void softirq_run(struct hv *hv, unsigned cpu)
{
    struct hv_cpu *c = &hv->cpu[cpu];
    unsigned n = hv->nonline; /* num_online_cpus() */

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

void hv_linux_softirq(struct hv *hv, unsigned cpu)
{
    softirq_run(hv, cpu);
}
