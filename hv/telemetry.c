/*
 * telemetry.c - the pool of machine-check records waiting for dom0
 * (behaviour of Xen's mctelem.c; the header is the spec).
 *
 * Data structure: one calloc'd array of slots. Slots [0, nurgent) are the
 * urgent region, [nurgent, nslots) the non-urgent one. A reservation takes
 * the lowest-indexed FREE slot its class may use: urgent searches the whole
 * array (its own region first, by index order), non-urgent only its own
 * region. There are no lists: FIFO order is the commit counter `order`,
 * and a fetch scans for the smallest one.
 *
 * Deferred lists are singly linked through `next` (slot indices), with a
 * head and a tail per list and CPU, so nothing is allocated per entry.
 *
 * Invariants:
 *  - a FREE slot is all zero except `cls`, which names its region, and
 *    `next` (-1), so telem_count(cls, TELEM_FREE) counts free slots by
 *    region and the counts over (class, state) add up to nslots;
 *  - `order` is non-zero exactly for COMMITTED and PROCESSING entries and
 *    is unique; `fetch_id` is non-zero exactly for PROCESSING entries and
 *    is the slot index + 1;
 *  - a class has at most one PROCESSING entry (a fetch always takes the
 *    oldest, and later commits are younger);
 *  - only UNCOMMITTED entries are on deferred lists; an entry is on at
 *    most one; of a CPU's two lists at most one is non-empty;
 *  - a record leaves the pool only by dismiss or by ack; a failed
 *    reservation changes nothing but its class's drop counter.
 */
#include "telemetry.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The header's limit on nurgent + nnonurgent. */
#define TELEM_MAX_SLOTS 65536u

static enum telem_class region_of(const struct telem_pool *p, unsigned i)
{
    return i < p->nurgent ? TELEM_URGENT : TELEM_NONURGENT;
}

static void slot_reset(struct telem_pool *p, unsigned i)
{
    memset(&p->slot[i], 0, sizeof(p->slot[i]));
    p->slot[i].state = TELEM_FREE;
    p->slot[i].cls = region_of(p, i);
    p->slot[i].next = -1;
}

/* Index of e in this pool, or nslots when e is not one of its slots
 * (compared as integers: e may point anywhere). */
static unsigned slot_index(const struct telem_pool *p, const struct telem_entry *e)
{
    if (!e || !p->slot)
        return p->nslots;
    uintptr_t off = (uintptr_t)e - (uintptr_t)p->slot;
    if ((uintptr_t)e < (uintptr_t)p->slot || off % sizeof(*e) != 0 ||
        off / sizeof(*e) >= p->nslots)
        return p->nslots;
    return (unsigned)(off / sizeof(*e));
}

static int valid_class(enum telem_class cls)
{
    return (unsigned)cls < TELEM__CLASSES;
}

static const struct telem_list empty_list = {-1, -1};

int telem_pool_init(struct telem_pool *p, unsigned nurgent, unsigned nnonurgent, unsigned ncpus)
{
    memset(p, 0, sizeof(*p));
    if (nurgent == 0 || nnonurgent == 0 || ncpus == 0 || ncpus > 256 ||
        (unsigned long long)nurgent + nnonurgent > TELEM_MAX_SLOTS)
        return -1;
    p->slot = calloc((size_t)nurgent + nnonurgent, sizeof(*p->slot));
    p->cpu = calloc(ncpus, sizeof(*p->cpu));
    if (!p->slot || !p->cpu) {
        telem_pool_fini(p);
        return -1;
    }
    p->nurgent = nurgent;
    p->nslots = nurgent + nnonurgent;
    p->ncpus = ncpus;
    for (unsigned i = 0; i < p->nslots; i++)
        slot_reset(p, i);
    for (unsigned c = 0; c < ncpus; c++)
        p->cpu[c].pending = p->cpu[c].lmce_pending = empty_list;
    /* 0 means "not committed", so the counter starts at 1. */
    p->next_order = 1;
    return 0;
}

void telem_pool_fini(struct telem_pool *p)
{
    free(p->slot);
    free(p->cpu);
    memset(p, 0, sizeof(*p));
}

struct telem_entry *telem_reserve(struct telem_pool *p, enum telem_class cls)
{
    if (!valid_class(cls))
        return NULL;
    /* Urgent may spill into the non-urgent region, never the reverse. */
    unsigned first = cls == TELEM_URGENT ? 0 : p->nurgent;
    for (unsigned i = first; i < p->nslots; i++) {
        struct telem_entry *e = &p->slot[i];
        if (e->state != TELEM_FREE)
            continue;
        memset(e, 0, sizeof(*e));
        e->state = TELEM_UNCOMMITTED;
        e->cls = cls;
        e->next = -1;
        p->stats.reserved++;
        return e;
    }
    p->stats.dropped[cls]++;
    return NULL;
}

void telem_commit(struct telem_pool *p, struct telem_entry *e)
{
    unsigned i = slot_index(p, e);
    /* A foreign pointer or a second commit must not requeue anything. */
    if (i == p->nslots || e->state != TELEM_UNCOMMITTED)
        return;
    e->state = TELEM_COMMITTED;
    e->order = p->next_order++;
    p->stats.committed++;
}

void telem_dismiss(struct telem_pool *p, struct telem_entry *e)
{
    unsigned i = slot_index(p, e);
    /* Only an uncommitted record may vanish without being delivered. */
    if (i == p->nslots || e->state != TELEM_UNCOMMITTED)
        return;
    slot_reset(p, i);
    p->stats.dismissed++;
}

static int is_queued(const struct telem_entry *e)
{
    return e->state == TELEM_COMMITTED || e->state == TELEM_PROCESSING;
}

static bool is_queued_entry(const struct telem_entry *e) { return is_queued(e) != 0; }

/* The oldest queued (COMMITTED or PROCESSING) entry of cls, or NULL. */
static struct telem_entry *oldest_queued(struct telem_pool *p, enum telem_class cls)
{
    struct telem_entry *oldest = NULL;
    for (unsigned i = 0; i < p->nslots; i++) {
        struct telem_entry *e = &p->slot[i];
        if (e->cls == cls && is_queued(e) && (!oldest || e->order < oldest->order))
            oldest = e;
    }
    return oldest;
}

struct telem_entry *telem_fetch(struct telem_pool *p, enum telem_class cls)
{
    if (!valid_class(cls))
        return NULL;
    struct telem_entry *oldest = oldest_queued(p, cls);
    if (!oldest)
        return NULL;
    /* A refetch (dom0 lost the reply) hands out the same entry and id. */
    oldest->state = TELEM_PROCESSING;
    oldest->fetch_id = (uint64_t)slot_index(p, oldest) + 1;
    p->stats.fetched++;
    return oldest;
}

int telem_ack(struct telem_pool *p, enum telem_class cls, uint64_t fetch_id)
{
    if (!valid_class(cls) || fetch_id == 0)
        return -EINVAL;
    struct telem_entry *head = oldest_queued(p, cls);
    if (!head || head->state != TELEM_PROCESSING || head->fetch_id != fetch_id)
        return -EINVAL;
    slot_reset(p, slot_index(p, head));
    p->stats.acked++;
    return 0;
}

/* ---- deferred lists ---- */

static void list_append(struct telem_pool *p, struct telem_list *l, int i)
{
    p->slot[i].next = -1;
    if (l->tail < 0)
        l->head = i;
    else
        p->slot[l->tail].next = i;
    l->tail = i;
}

/* Append all of src to dst, src becomes empty. */
static void list_splice(struct telem_pool *p, struct telem_list *dst, struct telem_list *src)
{
    if (src->head < 0)
        return;
    if (dst->tail < 0)
        dst->head = src->head;
    else
        p->slot[dst->tail].next = src->head;
    dst->tail = src->tail;
    *src = empty_list;
}

void telem_defer(struct telem_pool *p, struct telem_entry *e, unsigned cpu, bool lmce)
{
    unsigned i = slot_index(p, e);
    if (i == p->nslots || e->state != TELEM_UNCOMMITTED || cpu >= p->ncpus)
        return;
    struct telem_cpu *c = &p->cpu[cpu];
    if (c->pending.head >= 0)
        list_append(p, &c->pending, (int)i);
    else if (lmce)
        list_append(p, &c->lmce_pending, (int)i);
    else {
        /* LMCE records waiting here are older than this broadcast one. */
        list_splice(p, &c->pending, &c->lmce_pending);
        list_append(p, &c->pending, (int)i);
    }
}

bool telem_has_deferred(const struct telem_pool *p, unsigned cpu)
{
    return cpu < p->ncpus && p->cpu[cpu].pending.head >= 0;
}

bool telem_has_deferred_lmce(const struct telem_pool *p, unsigned cpu)
{
    return cpu < p->ncpus && p->cpu[cpu].lmce_pending.head >= 0;
}

void telem_process_deferred(struct telem_pool *p, unsigned cpu, bool lmce,
                            enum telem_verdict (*fn)(void *arg, struct telem_entry *e), void *arg)
{
    if (cpu >= p->ncpus || !fn)
        return;
    struct telem_list *l = lmce ? &p->cpu[cpu].lmce_pending : &p->cpu[cpu].pending;
    int i = l->head;
    *l = empty_list; /* taken whole: a deferral from now on starts a new list */
    while (i >= 0) {
        struct telem_entry *e = &p->slot[i];
        int next = e->next;
        e->next = -1;
        enum telem_verdict v = fn(arg, e);
        if (v == TELEM_STOP) {
            for (int j = next; j >= 0; j = next) { /* the rest: on no list */
                next = p->slot[j].next;
                p->slot[j].next = -1;
            }
            return;
        }
        if (v == TELEM_COMMIT)
            telem_commit(p, e);
        else
            telem_dismiss(p, e);
        i = next;
    }
}

void telem_foreach_deferred(const struct telem_pool *p, unsigned cpu, bool lmce,
                            void (*fn)(void *arg, const struct telem_entry *e), void *arg)
{
    if (cpu >= p->ncpus || !fn)
        return;
    const struct telem_list *l = lmce ? &p->cpu[cpu].lmce_pending : &p->cpu[cpu].pending;
    for (int i = l->head; i >= 0; i = p->slot[i].next)
        fn(arg, &p->slot[i]);
}

unsigned telem_count(const struct telem_pool *p, enum telem_class cls, enum telem_state st)
{
    unsigned n = 0;
    for (unsigned i = 0; i < p->nslots; i++)
        n += p->slot[i].cls == cls && p->slot[i].state == st;
    return n;
}

static bool is_uncommitted(const struct telem_entry *e) { return e->state == TELEM_UNCOMMITTED; }
static uint64_t order_of(const struct telem_entry *e) { return e->order; }
static uint64_t seq_of(const struct telem_entry *e) { return e->rec.seq; }

/* Visit the entries `keep` takes by increasing `key` (unique among them):
 * "smallest key above the last one" walks them without sorting or
 * allocating (this runs on the panic path). */
static void walk_by(const struct telem_pool *p, bool (*keep)(const struct telem_entry *),
                    uint64_t (*key)(const struct telem_entry *),
                    void (*fn)(void *arg, const struct telem_entry *e), void *arg)
{
    uint64_t last = 0;
    for (;;) {
        const struct telem_entry *next = NULL;
        for (unsigned i = 0; i < p->nslots; i++) {
            const struct telem_entry *e = &p->slot[i];
            if (keep(e) && key(e) > last && (!next || key(e) < key(next)))
                next = e;
        }
        if (!next)
            break;
        last = key(next);
        fn(arg, next);
    }
}

void telem_foreach_undelivered(const struct telem_pool *p,
                               void (*fn)(void *arg, const struct telem_entry *e), void *arg)
{
    if (!fn)
        return;
    /* Queued entries by commit order, both classes interleaved, then the
     * records still being filled in or deferred, which have no order yet. */
    walk_by(p, is_queued_entry, order_of, fn, arg);
    walk_by(p, is_uncommitted, seq_of, fn, arg);
}

void telem_foreach_uncommitted(const struct telem_pool *p,
                               void (*fn)(void *arg, const struct telem_entry *e), void *arg)
{
    if (fn)
        walk_by(p, is_uncommitted, seq_of, fn, arg);
}
