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
 * Invariants:
 *  - a FREE slot is all zero except `cls`, which names its region, so
 *    telem_count(cls, TELEM_FREE) counts free slots by region and the
 *    counts over (class, state) add up to nslots;
 *  - `order` is non-zero exactly for COMMITTED and PROCESSING entries and
 *    is unique; `fetch_id` is non-zero exactly for PROCESSING entries;
 *  - fetch ids start at 1 and are never reused, so a stale id cannot ack;
 *  - a class has at most one PROCESSING entry (a fetch always takes the
 *    oldest, and later commits are younger);
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

int telem_pool_init(struct telem_pool *p, unsigned nurgent, unsigned nnonurgent)
{
    memset(p, 0, sizeof(*p));
    if (nurgent == 0 || nnonurgent == 0 ||
        (unsigned long long)nurgent + nnonurgent > TELEM_MAX_SLOTS)
        return -1;
    p->slot = calloc((size_t)nurgent + nnonurgent, sizeof(*p->slot));
    if (!p->slot)
        return -1;
    p->nurgent = nurgent;
    p->nslots = nurgent + nnonurgent;
    for (unsigned i = 0; i < p->nslots; i++)
        slot_reset(p, i);
    /* 0 means "not committed" / "not fetched", so both counters start at 1. */
    p->next_order = 1;
    p->next_fetch_id = 1;
    return 0;
}

void telem_pool_fini(struct telem_pool *p)
{
    free(p->slot);
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

struct telem_entry *telem_fetch(struct telem_pool *p, enum telem_class cls)
{
    struct telem_entry *oldest = NULL;
    if (!valid_class(cls))
        return NULL;
    for (unsigned i = 0; i < p->nslots; i++) {
        struct telem_entry *e = &p->slot[i];
        if (e->cls == cls && is_queued(e) && (!oldest || e->order < oldest->order))
            oldest = e;
    }
    if (!oldest)
        return NULL;
    /* A refetch (dom0 lost the reply) invalidates the previous id. */
    oldest->state = TELEM_PROCESSING;
    oldest->fetch_id = p->next_fetch_id++;
    p->stats.fetched++;
    return oldest;
}

int telem_ack(struct telem_pool *p, enum telem_class cls, uint64_t fetch_id)
{
    if (!valid_class(cls) || fetch_id == 0)
        return -EINVAL;
    for (unsigned i = 0; i < p->nslots; i++) {
        struct telem_entry *e = &p->slot[i];
        if (e->cls == cls && e->state == TELEM_PROCESSING && e->fetch_id == fetch_id) {
            slot_reset(p, i);
            p->stats.acked++;
            return 0;
        }
    }
    return -EINVAL;
}

unsigned telem_count(const struct telem_pool *p, enum telem_class cls, enum telem_state st)
{
    unsigned n = 0;
    for (unsigned i = 0; i < p->nslots; i++)
        n += p->slot[i].cls == cls && p->slot[i].state == st;
    return n;
}

void telem_foreach_undelivered(const struct telem_pool *p,
                               void (*fn)(void *arg, const struct telem_entry *e), void *arg)
{
    if (!fn)
        return;
    /* Queued entries by commit order, both classes interleaved. Orders are
     * unique, so "smallest order above the last one" walks them without
     * sorting or allocating (this runs on the panic path). */
    uint64_t last = 0;
    for (;;) {
        const struct telem_entry *next = NULL;
        for (unsigned i = 0; i < p->nslots; i++) {
            const struct telem_entry *e = &p->slot[i];
            if (is_queued(e) && e->order > last && (!next || e->order < next->order))
                next = e;
        }
        if (!next)
            break;
        last = next->order;
        fn(arg, next);
    }
    /* Then records still being filled in, which have no order yet. */
    for (unsigned i = 0; i < p->nslots; i++)
        if (p->slot[i].state == TELEM_UNCOMMITTED)
            fn(arg, &p->slot[i]);
}
