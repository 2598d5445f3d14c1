/*
 * ledger.c - fates and stage stamps of a host's errors (ledger.h).
 *
 * Fates follow the SDM's overwrite rules at latch time (Vol. 3B 15.10.4.1:
 * a UC replaces a logged CE, anything else over a valid entry is lost and
 * sets OVER) and the hypervisor's trace afterwards: a graded bank gives
 * its error a place in a record (seq + bank) or ignores it, a full pool
 * drops it, a commit logs every error of the record, a dismissal leaves
 * its pending errors dismissed. Stamps: per-CPU
 * stages (entry, entry rendezvous, MCIP cleared) reach the errors that CPU
 * logged out in that round; per-record stages (commit, fetch, ack) reach
 * the errors of all the record's banks, per-bank ones (graded) that bank's.
 */
#include "sim/results/ledger.h"

#include "arch/fold_ctr.h"

#include <stdlib.h>
#include <string.h>

#include "arch/x86_mca.h"

/* Append to a growable unsigned array; aborts on OOM like run_result.c. */
static void push(unsigned **v, unsigned *n, unsigned *cap, unsigned x)
{
    if (*n == *cap) {
        unsigned c = *cap ? *cap * 2 : 16;
        unsigned *nv = realloc(*v, (size_t)c * sizeof(**v));
        if (!nv)
            abort();
        *v = nv;
        *cap = c;
    }
    (*v)[(*n)++] = x;
}

int ledger_init(struct ledger *l, struct run_result *rr, unsigned host, unsigned ncpus,
                uint32_t shared_banks)
{
    memset(l, 0, sizeof(*l));
    l->rr = rr;
    l->host = host;
    l->ncpus = ncpus;
    l->shared_banks = shared_banks;
    size_t slots = (size_t)ncpus * MCA_MAX_BANKS;
    l->occupant = malloc(slots * sizeof(int));
    l->read = malloc(slots * sizeof(int));
    l->round = calloc(ncpus ? ncpus : 1, sizeof(*l->round));
    if (!l->occupant || !l->read || !l->round) {
        ledger_fini(l);
        return -1;
    }
    for (size_t i = 0; i < slots; i++)
        l->occupant[i] = l->read[i] = -1;
    u64map_init(&l->record_of);
    u64map_init(&l->error_of);
    return 0;
}

void ledger_fini(struct ledger *l)
{
    for (unsigned c = 0; l->round && c < l->ncpus; c++)
        free(l->round[c].await_mcip);
    free(l->round);
    free(l->occupant);
    free(l->read);
    free(l->await_virq);
    free(l->named);
    free(l->rec_at);
    free(l->err_at);
    u64map_free(&l->record_of);
    u64map_free(&l->error_of);
    memset(l, 0, sizeof(*l));
}

int ledger_set_core_banks(struct ledger *l, uint32_t core_banks, unsigned threads_per_core)
{
    if (threads_per_core == 0 || (core_banks & l->shared_banks))
        return -1;
    l->core_banks = core_banks;
    l->threads_per_core = threads_per_core;
    return 0;
}

unsigned ledger_bank_home(const struct ledger *l, unsigned cpu, unsigned bank)
{
    if (bank >= 32)
        return cpu;
    if ((l->shared_banks >> bank) & 1u)
        return 0;
    if (l->threads_per_core > 1 && ((l->core_banks >> bank) & 1u))
        return cpu - cpu % l->threads_per_core;
    return cpu;
}

static int *slot(int *table, unsigned cpu, unsigned bank)
{
    return &table[(size_t)cpu * MCA_MAX_BANKS + bank];
}

static struct rr_error *err(struct ledger *l, int i) { return &l->rr->errors[i]; }

void ledger_stamp(struct ledger *l, int error, enum err_stage st, rtime_t at_ps)
{
    if (error >= 0)
        err_stamp(&err(l, error)->times, st, at_ps);
}

/* The key of bank `bank` of record `seq` in error_of (banks are < 64). */
static uint64_t bank_key(uint64_t seq, unsigned bank)
{
    return (seq << 6) | (bank & 63u);
}

/* The error in bank `bank` of record `seq`, or -1. The map holds the
 * error's index and, above bit 32, its id: under bounded results a slot
 * is reused once its error is folded, and an entry naming a folded error
 * (one error read into two records) must not find the slot's new one. */
/* Record ids the ledger indexes densely (rec_at, err_at): every record
 * kept, an id below the limit. */
static bool dense(const struct ledger *l, uint64_t seq)
{
    return !l->rr->summary.keep && seq < LEDGER_DENSE_IDS;
}

static int error_of(const struct ledger *l, uint64_t seq, unsigned bank)
{
    const uint64_t *v = NULL;
    if (dense(l, seq) && seq < l->cap_err_at && l->err_at[seq].bank1 == bank + 1)
        v = &l->err_at[seq].val;
    else
        v = u64map_find(&l->error_of, bank_key(seq, bank));
    if (!v)
        return -1;
    const struct rr_error *e = &l->rr->errors[(uint32_t)*v];
    return e->id == (unsigned)(*v >> 32) && !e->folded ? (int)(uint32_t)*v : -1;
}

/* Where the results hold committed record `seq`: its index, or -1. */
static long record_index(const struct ledger *l, uint64_t seq)
{
    if (dense(l, seq))
        return seq < l->cap_rec_at ? (long)l->rec_at[seq] - 1 : -1;
    const uint64_t *v = u64map_find(&l->record_of, seq);
    return v ? (long)*v : -1;
}

/* Grow the zero-filled array *v (*cap entries of size) to hold index
 * seq; aborts on OOM like the results' arrays. */
static void cover(void **v, size_t *cap, size_t size, uint64_t seq)
{
    if (seq < *cap)
        return;
    size_t c = *cap ? *cap : 1024;
    while (c <= seq)
        c *= 2;
    char *n = realloc(*v, c * size);
    if (!n)
        abort();
    memset(n + *cap * size, 0, (c - *cap) * size);
    *v = n;
    *cap = c;
}

static void record_index_put(struct ledger *l, uint64_t seq, unsigned idx)
{
    if (!dense(l, seq)) {
        u64map_put(&l->record_of, seq, idx);
        return;
    }
    cover((void **)&l->rec_at, &l->cap_rec_at, sizeof(*l->rec_at), seq);
    l->rec_at[seq] = idx + 1;
}

/* Enter bank `bank` of record `seq` for error_of(): the record's first
 * bank in err_at (dense ids), any other in the map. */
static void error_of_put(struct ledger *l, uint64_t seq, unsigned bank, uint64_t val)
{
    if (dense(l, seq))
        cover((void **)&l->err_at, &l->cap_err_at, sizeof(*l->err_at), seq);
    struct ledger_first_bank *f = dense(l, seq) ? &l->err_at[seq] : NULL;
    if (f && (!f->bank1 || f->bank1 == bank + 1)) {
        f->bank1 = bank + 1;
        f->val = val;
        return;
    }
    u64map_put(&l->error_of, bank_key(seq, bank), val);
}

/* The committed record `seq` as the results hold it, or NULL. */
static const struct mca_record *record_of(const struct ledger *l, uint64_t seq)
{
    long i = record_index(l, seq);
    return i >= 0 ? l->rr->records[i].rec : NULL;
}

/* dom0 fetched record `seq`: the first fetch is when its mcelog got it. */
static void mark_fetched(struct ledger *l, uint64_t seq, rtime_t now)
{
    long i = record_index(l, seq);
    struct rr_record *r = i >= 0 ? &l->rr->records[i] : NULL;
    if (r && !r->fetched) {
        r->fetched = true;
        r->fetched_ps = now;
    }
}

/* The class the record gives bank `bank`, or -1 when it holds no such bank. */
static int bank_class(const struct mca_record *r, unsigned bank)
{
    for (unsigned i = 0; r && i < r->nbanks && i < MCA_REC_MAX_BANKS; i++)
        if (r->bank[i].bank == bank)
            return (int)r->bank[i].cls;
    return -1;
}

/* Stamp every error of record r at stage st. */
static void stamp_banks(struct ledger *l, const struct mca_record *r, enum err_stage st, rtime_t at_ps)
{
    for (unsigned i = 0; r && i < r->nbanks && i < MCA_REC_MAX_BANKS; i++)
        ledger_stamp(l, error_of(l, r->seq, r->bank[i].bank), st, at_ps);
}

/* Mark in l->named every error of this host the ledger still names (a
 * bank slot's occupant or last read, a round waiting for MCIP, the VIRQ
 * list): such an error can still change. */
static void mark_named(struct ledger *l)
{
    unsigned n = l->rr->n_errors;
    if (n > l->cap_named) {
        unsigned char *nv = realloc(l->named, n);
        if (!nv)
            abort();
        l->named = nv;
        l->cap_named = n;
    }
    memset(l->named, 0, n);
    size_t slots = (size_t)l->ncpus * MCA_MAX_BANKS;
    for (size_t i = 0; i < slots; i++) {
        if (l->occupant[i] >= 0)
            l->named[l->occupant[i]] = 1;
        if (l->read[i] >= 0)
            l->named[l->read[i]] = 1;
    }
    for (unsigned i = 0; i < l->n_virq; i++)
        l->named[l->await_virq[i]] = 1;
    for (unsigned c = 0; c < l->ncpus; c++)
        for (unsigned i = 0; i < l->round[c].n_await; i++)
            l->named[l->round[c].await_mcip[i]] = 1;
}

/* Bounded results: fold every error of this host whose fate is final
 * (neither in the bank nor pending) and that nothing names, once the
 * live errors have doubled since the last sweep (amortized O(1) a
 * latch; what stays live is what a bank or a round still holds). */
static void sweep_settled(struct ledger *l)
{
    struct run_result *rr = l->rr;
    unsigned live = rr->n_errors - rr->summary.n_free_errors;
    if (!rr->summary.keep || live < l->next_sweep)
        return;
    mark_named(l);
    for (unsigned i = rr->summary.keep; i < rr->n_errors; i++) {
        const struct rr_error *e = &rr->errors[i];
        if (!e->folded && e->host == l->host && !l->named[i] && e->fate != FATE_IN_BANK &&
            e->fate != FATE_PENDING)
            rr_fold_error(rr, i);
    }
    live = rr->n_errors - rr->summary.n_free_errors;
    l->next_sweep = live < 512 ? 1024 : 2 * live;
}

void ledger_settle(struct ledger *l)
{
    l->next_sweep = 0; /* now, whatever the live count */
    sweep_settled(l);
}

size_t ledger_fold_counters(struct ledger *l, struct fold_ctr *out, size_t max)
{
    size_t n = 0; /* not counted: it follows the walk's folded lines */
    fold_ctr_push(out, &n, max, FOLD_CTR(l->overflowed));
    return n;
}

int ledger_latch(struct ledger *l, unsigned cpu, unsigned bank, uint64_t status, uint64_t prior,
                 enum cpu_latch_kind kind, enum rr_found found_by, rtime_t at_ps)
{
    if (kind == CPU_LATCH_CE_COUNTED) {
        l->counted++;
        return -1;
    }
    if (kind == CPU_LATCH_OVERFLOW) {
        l->overflowed++;
        return -1;
    }
    sweep_settled(l);
    struct rr_error *e = rr_add_error(l->rr);
    int id = (int)(e - l->rr->errors);
    e->at_ps = at_ps;
    e->host = l->host;
    e->cpu = cpu;
    e->bank = bank;
    e->status = status;
    e->latch = kind;
    e->cls = -1;
    e->found_by = found_by;
    err_stamp(&e->times, ES_LATCHED, at_ps);
    if (kind == CPU_LATCH_BAD_BANK) {
        e->fate = FATE_REJECTED;
        return id;
    }
    int *occ = slot(l->occupant, cpu, bank);
    switch (kind) {
    case CPU_LATCH_REPLACED:
        if (*occ >= 0)
            err(l, *occ)->fate = FATE_OVERWRITTEN;
        *occ = id;
        break;
    case CPU_LATCH_MASKED:
        /* Masked errors follow the overwrite rules too: a UC replaces a
         * logged CE; anything else over a valid entry is lost. */
        if (!(prior & MCI_STATUS_VAL)) {
            *occ = id;
        } else if (!(prior & MCI_STATUS_UC) && (status & MCI_STATUS_UC)) {
            if (*occ >= 0)
                err(l, *occ)->fate = FATE_OVERWRITTEN;
            *occ = id;
        } else {
            e->fate = FATE_OVERWRITTEN;
        }
        break;
    default:
        *occ = id;
        break;
    }
    return id;
}

/* Software cleared a bank: whatever it held is gone. If nobody graded it,
 * it was lost without a trace - the invariant checker's job to flag. */
void ledger_cleared(struct ledger *l, unsigned cpu, unsigned bank)
{
    int *occ = slot(l->occupant, cpu, bank);
    if (*occ >= 0 && err(l, *occ)->fate == FATE_IN_BANK)
        err(l, *occ)->fate = FATE_LOST;
    *occ = -1;
}

/* A committed record: copied into the results as it stands now. */
static void record_committed(struct ledger *l, const struct mca_record *rec)
{
    struct rr_record *r = rr_add_record(l->rr, rec);
    r->host = l->host;
    r->committed = true;
    record_index_put(l, rec->seq, (unsigned)(r - l->rr->records));
}

/* What the event does to fates: read out, graded, dropped, logged. */
static void fate_event(struct ledger *l, const struct rr_event *ev, unsigned cpu, unsigned bank)
{
    int *rd = slot(l->read, cpu, bank);
    int e;
    switch (ev->stage) {
    case TS_BANK_LOGOUT:
        *rd = *slot(l->occupant, cpu, bank);
        break;
    case TS_SEVERITY:
        if (*rd < 0)
            break;
        err(l, *rd)->fate = ev->seq ? FATE_PENDING : FATE_IGNORED;
        err(l, *rd)->seq = ev->seq;
        if (!ev->seq)
            break;
        if (ev->rec)
            err(l, *rd)->cls = bank_class(ev->rec, bank);
        error_of_put(l, ev->seq, bank, (uint64_t)*rd | (uint64_t)err(l, *rd)->id << 32);
        break;
    case TS_TELEM_DROP:
        if (*rd >= 0)
            err(l, *rd)->fate = FATE_DROPPED;
        break;
    case TS_TELEM_DISMISS:
        for (unsigned i = 0; ev->rec && i < ev->rec->nbanks && i < MCA_REC_MAX_BANKS; i++)
            if ((e = error_of(l, ev->seq, ev->rec->bank[i].bank)) >= 0 && err(l, e)->fate == FATE_PENDING)
                err(l, e)->fate = FATE_DISMISSED;
        break;
    case TS_TELEM_COMMIT:
        if (!ev->rec)
            break;
        record_committed(l, ev->rec);
        for (unsigned i = 0; i < ev->rec->nbanks && i < MCA_REC_MAX_BANKS; i++)
            if ((e = error_of(l, ev->seq, ev->rec->bank[i].bank)) >= 0)
                err(l, e)->fate = FATE_LOGGED;
        break;
    default:
        break;
    }
}

/* Stamps an error logged out now with its CPU's entry and entry
 * rendezvous, when they happened after it was latched. */
static void stamp_round(struct ledger *l, struct ledger_round *r, int e, rtime_t now)
{
    struct err_times *t = &err(l, e)->times;
    if (r->have_entry && r->entry >= t->t[ES_LATCHED])
        err_stamp(t, ES_ENTRY, r->entry);
    if (r->have_rdv_in && r->rdv_in >= t->t[ES_LATCHED])
        err_stamp(t, ES_RDV_IN, r->rdv_in);
    if (r->have_rdv_out && r->rdv_out >= t->t[ES_LATCHED])
        err_stamp(t, ES_RDV_OUT, r->rdv_out);
    err_stamp(t, ES_LOGOUT, now);
    if (r->in_mc)
        push(&r->await_mcip, &r->n_await, &r->cap_await, (unsigned)e);
}

/* What the event does to stage stamps (latency.h). */
static void latency_event(struct ledger *l, const struct rr_event *ev, unsigned cpu, unsigned bank)
{
    struct ledger_round *r = &l->round[ev->cpu];
    rtime_t now = ev->t_ps;
    bool entry_phase = ev->detail && strcmp(ev->detail, "entry") == 0;
    int e;
    switch (ev->stage) {
    case TS_HANDLER_ENTRY:
    case TS_CMCI_ENTRY:
    case TS_POLL:
        r->in_mc = ev->stage == TS_HANDLER_ENTRY;
        r->have_entry = true;
        r->have_rdv_in = r->have_rdv_out = false;
        r->entry = now;
        break;
    case TS_RENDEZVOUS_IN:
        if (entry_phase) {
            r->have_rdv_in = true;
            r->rdv_in = now;
        }
        break;
    case TS_RENDEZVOUS_OUT:
        if (entry_phase) {
            r->have_rdv_out = true;
            r->rdv_out = now;
        }
        break;
    case TS_BANK_LOGOUT:
        e = *slot(l->occupant, cpu, bank);
        if (e >= 0 && !err_has(&err(l, e)->times, ES_LOGOUT))
            stamp_round(l, r, e, now);
        break;
    case TS_SEVERITY:
        if (ev->seq)
            ledger_stamp(l, error_of(l, ev->seq, bank), ES_GRADED, now);
        break;
    case TS_MCIP_CLEARED:
        for (unsigned i = 0; i < r->n_await; i++)
            ledger_stamp(l, (int)r->await_mcip[i], ES_MCIP, now);
        r->n_await = 0;
        r->in_mc = false;
        break;
    case TS_TELEM_COMMIT:
        for (unsigned i = 0; ev->rec && i < ev->rec->nbanks && i < MCA_REC_MAX_BANKS; i++)
            if ((e = error_of(l, ev->seq, ev->rec->bank[i].bank)) >= 0) {
                ledger_stamp(l, e, ES_COMMITTED, now);
                push(&l->await_virq, &l->n_virq, &l->cap_virq, (unsigned)e);
            }
        break;
    case TS_VIRQ_DOM0:
        for (unsigned i = 0; i < l->n_virq; i++)
            ledger_stamp(l, (int)l->await_virq[i], ES_VIRQ, now);
        l->n_virq = 0;
        break;
    case TS_FETCH:
        stamp_banks(l, record_of(l, ev->seq), ES_FETCHED, now);
        mark_fetched(l, ev->seq, now);
        break;
    default:
        break;
    }
}

void ledger_event(struct ledger *l, const struct rr_event *ev)
{
    /* Only the hypervisor's stages, which always name a CPU. */
    if (ev->stage < TS_HANDLER_ENTRY || ev->stage > TS_STORM_END || ev->cpu < 0 ||
        (unsigned)ev->cpu >= l->ncpus)
        return;
    unsigned bank = ev->bank < 0 ? 0 : (unsigned)ev->bank;
    unsigned cpu = ledger_bank_home(l, (unsigned)ev->cpu, bank);
    fate_event(l, ev, cpu, bank);
    latency_event(l, ev, cpu, bank);
}

void ledger_acked(struct ledger *l, uint64_t seq, rtime_t at_ps)
{
    long r = record_index(l, seq);
    if (r >= 0)
        l->rr->records[r].delivered = true;
    stamp_banks(l, record_of(l, seq), ES_ACKED, at_ps);
    /* Acked is a record's last stage: bounded results fold it. */
    if (r >= 0 && l->rr->summary.keep) {
        unsigned i = (unsigned)r;
        const struct mca_record *rec = l->rr->records[i].rec;
        for (unsigned b = 0; b < rec->nbanks && b < MCA_REC_MAX_BANKS; b++)
            u64map_remove(&l->error_of, bank_key(seq, rec->bank[b].bank));
        if (rr_fold_record(l->rr, i))
            u64map_remove(&l->record_of, seq);
    }
}
