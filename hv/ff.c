/*
 * ff.c - firmware-first CMC/CPE reporting in the hypervisor (ff.h): the
 * per-pCPU queues, the one-at-a-time injection into dom0's vCPU0, the
 * trapped SAL calls forwarded to the owning pCPU, and the switch between
 * interrupts and polling that ff_throttle.c decides.
 */
#include "ff.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mce_internal.h"

/* Indexed by enum fw_type: the dom0 upcall, and whether the firmware
 * keeps the type per CPU (SAL's logs: GET and CLEAR run on the owning
 * pCPU) or once for the platform (GHES's block: any pCPU reads it, and
 * its entries all sit in pCPU 0's queue). */
static const struct {
    unsigned virq;
    bool per_cpu;
} types[FW_TYPE__COUNT] = {
    [FW_TYPE_CMC] = {VIRQ_FW_CMC, true},
    [FW_TYPE_CPE] = {VIRQ_FW_CPE, true},
    [FW_TYPE_GHES] = {VIRQ_FW_GHES, false},
};

#define PS_PER_S 1000000000000ull

static unsigned qindex(unsigned cpu, unsigned type) { return cpu * FW_TYPE__COUNT + type; }
static unsigned q_cpu(unsigned qi) { return qi / FW_TYPE__COUNT; }
static unsigned q_type(unsigned qi) { return qi % FW_TYPE__COUNT; }

/* A trace event about queue qi (its type and pCPU), on cpu. */
static void trace(struct hv *hv, enum hv_stage st, unsigned cpu, unsigned qi)
{
    char detail[48];
    snprintf(detail, sizeof(detail), "%s of CPU %u", ff_throttle_row(q_type(qi))->name, q_cpu(qi));
    hv_trace(hv, st, cpu, -1, 0, 0, detail);
}

int hv_ff_init(struct hv *hv)
{
    struct hv_ff *f = &hv->ff;
    *f = (struct hv_ff){.on = true, .cap = hv->cfg.ff_queue ? hv->cfg.ff_queue : 1, .cur = -1, .next_seq = 1};
    f->q = calloc((size_t)hv->cfg.ncpus * FW_TYPE__COUNT, sizeof(*f->q));
    if (!f->q)
        return -1;
    for (unsigned i = 0; i < hv->cfg.ncpus * FW_TYPE__COUNT; i++)
        if (!(f->q[i].e = calloc(f->cap, sizeof(struct ff_entry))))
            return -1;
    for (unsigned t = 0; t < FW_TYPE__COUNT; t++)
        ff_throttle_init(&f->thr[t], t, true);
    return 0;
}

void hv_ff_fini(struct hv *hv)
{
    struct hv_ff *f = &hv->ff;
    for (unsigned i = 0; f->q && i < hv->cfg.ncpus * FW_TYPE__COUNT; i++)
        free(f->q[i].e);
    free(f->q);
    f->q = NULL;
}

static long fw_call(struct hv *hv, unsigned cpu, unsigned op, unsigned type, struct fw_error_record *rec)
{
    const struct hv_platform *p = hv->plat;
    return p->fw_call ? p->fw_call(p->ctx, cpu, op, type, rec) : -ENOSYS;
}

/* Give dom0's vCPU0 the oldest queued entry, if none is out. */
static void inject_next(struct hv *hv)
{
    struct hv_ff *f = &hv->ff;
    if (f->cur >= 0)
        return;
    int best = -1;
    for (unsigned i = 0; i < hv->cfg.ncpus * FW_TYPE__COUNT; i++)
        if (f->q[i].n && (best < 0 || f->q[i].e[f->q[i].head].seq < f->q[best].e[f->q[best].head].seq))
            best = (int)i;
    if (best < 0)
        return;
    f->q[best].e[f->q[best].head].st = FF_INJECTED;
    f->cur = best;
    f->rep.injected[q_type((unsigned)best)]++;
    trace(hv, HV_STAGE_FW_INJECT, 0, (unsigned)best);
    hv->plat->send_virq(hv->plat->ctx, 0, types[q_type((unsigned)best)].virq);
}

/* Bring cpu's queue of a type level with the firmware's log: the records
 * it holds that have no entry yet. The number of new entries. */
static unsigned collect(struct hv *hv, unsigned cpu, unsigned type)
{
    struct hv_ff *f = &hv->ff;
    if (!types[type].per_cpu)
        cpu = 0;
    struct ff_queue *q = &f->q[qindex(cpu, type)];
    long held = fw_call(hv, cpu, FW_OP_COUNT, type, NULL);
    unsigned added = 0;
    while (held > 0 && q->n < (unsigned long)held && q->n < f->cap) {
        q->e[(q->head + q->n++) % f->cap] = (struct ff_entry){f->next_seq++, FF_QUEUED};
        added++;
    }
    f->rep.queued[type] += added;
    return added;
}

void hv_ff_signal(struct hv *hv, unsigned cpu, unsigned type)
{
    struct hv_ff *f = &hv->ff;
    if (!f->on || cpu >= hv->cfg.ncpus || type >= FW_TYPE__COUNT || hv->stopped)
        return;
    if (f->thr[type].polling) {
        f->rep.masked[type]++;
        return;
    }
    f->rep.interrupts[type]++;
    trace(hv, HV_STAGE_FW_SIGNAL, cpu, qindex(cpu, type));
    hv_charge(hv, cpu, HV_COST_SOFTIRQ);
    enum ff_verdict v = ff_throttle_interrupt(&f->thr[type], hv->plat->now_ps(hv->plat->ctx));
    unsigned added = collect(hv, cpu, type);
    if (added && type == FW_TYPE_GHES)
        hv_ff_ghes(hv, cpu);
    if (hv->stopped)
        return; /* a fatal GHES record panicked the host */
    if (!added && f->q[qindex(types[type].per_cpu ? cpu : 0, type)].n == f->cap) {
        f->rep.overflow[type]++;
        hv_printk(hv, "firmware-first: CPU%u %s queue full (%u records): interrupt without room, "
                  "overflow %llu", cpu, ff_throttle_row(type)->name, f->cap,
                  (unsigned long long)f->rep.overflow[type]);
    }
    if (v == FF_TO_POLLING) {
        const struct ff_throttle *t = &f->thr[type];
        f->rep.storms[type]++;
        trace(hv, HV_STAGE_FW_POLLING_BEGIN, cpu, qindex(cpu, type));
        hv_printk(hv, "firmware-first: %s storm (%u interrupts within %llu ms): switching to polling every %llu s",
                  t->row->name, t->row->history, (unsigned long long)(t->row->window_ps / 1000000000ull),
                  (unsigned long long)(t->poll_ps / PS_PER_S));
        hv->plat->ff_arm_poll(hv->plat->ctx, type, hv->plat->now_ps(hv->plat->ctx) + t->poll_ps);
    }
    inject_next(hv);
}

void hv_ff_poll(struct hv *hv, unsigned type)
{
    struct hv_ff *f = &hv->ff;
    if (!f->on || type >= FW_TYPE__COUNT || hv->stopped || !f->thr[type].polling)
        return;
    unsigned found = 0;
    for (unsigned cpu = 0; cpu < (types[type].per_cpu ? hv->cfg.ncpus : 1u); cpu++) {
        if (cpu != 0) { /* the poll moves from CPU to CPU by IPI */
            hv_charge(hv, cpu, HV_COST_IPI);
            f->rep.ipis++;
        }
        found += collect(hv, cpu, type);
    }
    f->rep.polls[type]++;
    f->rep.polled[type] += found;
    const struct ff_throttle *t = &f->thr[type];
    if (ff_throttle_poll_done(&f->thr[type], found != 0) == FF_POLL_AGAIN) {
        hv->plat->ff_arm_poll(hv->plat->ctx, type, hv->plat->now_ps(hv->plat->ctx) + t->poll_ps);
    } else {
        f->rep.returns[type]++;
        trace(hv, HV_STAGE_FW_POLLING_END, 0, qindex(0, type));
        hv_printk(hv, "firmware-first: %s poll found no records: returning to interrupt-driven handling",
                  t->row->name);
    }
    inject_next(hv);
}

/* Run a firmware call on the pCPU that owns queue qi: an IPI when that is
 * not the pCPU the trapped call came from. */
static long on_owner(struct hv *hv, unsigned qi, unsigned op, struct fw_error_record *rec)
{
    unsigned owner = types[q_type(qi)].per_cpu ? q_cpu(qi) : hv_hypercall_cpu(hv);
    if (owner != hv_hypercall_cpu(hv)) {
        hv_charge(hv, owner, HV_COST_IPI);
        hv->ff.rep.ipis++;
    }
    return fw_call(hv, owner, op, q_type(qi), rec);
}

static long sal_get(struct hv *hv, struct sal_call *c)
{
    struct hv_ff *f = &hv->ff;
    if (f->cur < 0 || q_type((unsigned)f->cur) != c->type)
        return -ENOENT;
    struct ff_queue *q = &f->q[f->cur];
    long rc = on_owner(hv, (unsigned)f->cur, FW_OP_GET, &c->rec);
    if (rc)
        return rc;
    hv_charge(hv, hv_hypercall_cpu(hv), HV_COST_COPY_RECORD);
    q->e[q->head].st = FF_TAKEN;
    f->rep.read[c->type]++;
    trace(hv, HV_STAGE_FW_GET, hv_hypercall_cpu(hv), (unsigned)f->cur);
    return 0;
}

static long sal_clear(struct hv *hv, struct sal_call *c)
{
    struct hv_ff *f = &hv->ff;
    if (f->cur < 0 || q_type((unsigned)f->cur) != c->type)
        return -ENOENT;
    struct ff_queue *q = &f->q[f->cur];
    if (q->e[q->head].st != FF_TAKEN) {
        f->rep.refused++;
        return -EBUSY;
    }
    long rc = on_owner(hv, (unsigned)f->cur, FW_OP_CLEAR, NULL);
    if (rc)
        return rc;
    q->head = (q->head + 1) % f->cap;
    q->n--;
    f->rep.cleared[c->type]++;
    trace(hv, HV_STAGE_FW_CLEAR, hv_hypercall_cpu(hv), (unsigned)f->cur);
    f->cur = -1;
    inject_next(hv);
    return 0;
}

long hv_do_sal(struct hv *hv, unsigned caller, uint64_t arg)
{
    struct sal_call c;
    long rc = hv_hypercall_enter(hv, caller, arg, &c, sizeof(c));
    if (rc)
        return hv_hypercall_exit(hv, caller, arg, &c, sizeof(c), rc);
    if (!hv->ff.on || c.type >= FW_TYPE__COUNT)
        rc = -EINVAL;
    else if (c.fn == SAL_FN_GET_STATE_INFO_SIZE) {
        long size = fw_call(hv, hv_hypercall_cpu(hv), FW_OP_SIZE, c.type, NULL); /* GHES: the block's length */
        rc = size < 0 ? size : 0;
        c.size = size < 0 ? 0 : (uint64_t)size;
    } else if (c.fn == SAL_FN_GET_STATE_INFO)
        rc = sal_get(hv, &c);
    else if (c.fn == SAL_FN_CLEAR_STATE_INFO)
        rc = sal_clear(hv, &c);
    else
        rc = -EINVAL;
    return hv_hypercall_exit(hv, caller, arg, &c, sizeof(c), rc);
}

unsigned hv_ff_pending(const struct hv *hv)
{
    unsigned n = 0;
    for (unsigned i = 0; hv->ff.q && i < hv->cfg.ncpus * FW_TYPE__COUNT; i++)
        n += hv->ff.q[i].n;
    return n;
}
