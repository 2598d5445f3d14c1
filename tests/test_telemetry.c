/*
 * test_telemetry.c - the telemetry pool (hv/telemetry.c).
 *
 * Checks the behaviour hv/telemetry.h specifies after Xen's mctelem
 * (Xen's mctelem.c): state transitions, FIFO
 * order by commit, fetch ids and acks, the urgent / non-urgent slot rule,
 * counted drops that change nothing else, dismiss, counts, the panic-dump
 * walk, init limits and the default 10 + 20 pool.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hv/telemetry.h"

/* Per-test fixture: the default pool, freed by teardown. */
static int setup_default(void **state)
{
    struct telem_pool *p = calloc(1, sizeof(*p));
    if (!p || telem_pool_init(p, 10, 20, 4) != 0) {
        free(p);
        return -1;
    }
    *state = p;
    return 0;
}

static int setup_small(void **state)
{
    struct telem_pool *p = calloc(1, sizeof(*p));
    if (!p || telem_pool_init(p, 2, 3, 4) != 0) {
        free(p);
        return -1;
    }
    *state = p;
    return 0;
}

static int teardown(void **state)
{
    struct telem_pool *p = *state;
    telem_pool_fini(p);
    free(p);
    return 0;
}

static unsigned idx(const struct telem_pool *p, const struct telem_entry *e)
{
    return (unsigned)(e - p->slot);
}

/* Reserve and commit a record tagged with seq. */
static struct telem_entry *put(struct telem_pool *p, enum telem_class cls, uint64_t seq)
{
    struct telem_entry *e = telem_reserve(p, cls);
    assert_non_null(e);
    e->rec.seq = seq;
    telem_commit(p, e);
    return e;
}

/* Fetch and ack the head of cls; returns its seq, or 0 when empty. */
static uint64_t take(struct telem_pool *p, enum telem_class cls)
{
    struct telem_entry *e = telem_fetch(p, cls);
    if (!e)
        return 0;
    uint64_t seq = e->rec.seq;
    assert_int_equal(telem_ack(p, cls, e->fetch_id), 0);
    return seq;
}

static unsigned total(const struct telem_pool *p)
{
    unsigned n = 0;
    for (int c = 0; c < TELEM__CLASSES; c++)
        for (int s = TELEM_FREE; s <= TELEM_PROCESSING; s++)
            n += telem_count(p, (enum telem_class)c, (enum telem_state)s);
    return n;
}

/* ---- init ---- */

static void test_init_limits(void **state)
{
    (void)state;
    struct telem_pool p;
    memset(&p, 0xA5, sizeof(p));
    assert_int_equal(telem_pool_init(&p, 0, 20, 4), -1);
    telem_pool_fini(&p); /* a failed init leaves a pool fini accepts */
    assert_int_equal(telem_pool_init(&p, 10, 0, 4), -1);
    telem_pool_fini(&p);
    assert_int_equal(telem_pool_init(&p, 65536, 1, 4), -1);
    assert_int_equal(telem_pool_init(&p, 1, 65536, 4), -1);
    assert_int_equal(telem_pool_init(&p, 0xFFFFFFFFu, 2, 4), -1); /* would wrap in unsigned */
    assert_int_equal(telem_pool_init(&p, 65535, 1, 4), 0);
    assert_int_equal(p.nslots, 65536);
    assert_int_equal(p.nurgent, 65535);
    telem_pool_fini(&p);
    assert_null(p.slot);
    telem_pool_fini(&p); /* twice is harmless */
    assert_int_equal(telem_pool_init(&p, 1, 1, 4), 0);
    assert_int_equal(p.nslots, 2);
    telem_pool_fini(&p);
    assert_int_equal(telem_pool_init(&p, 1, 1, 0), -1);   /* no CPU */
    assert_int_equal(telem_pool_init(&p, 1, 1, 257), -1); /* more than a host has */
    assert_int_equal(telem_pool_init(&p, 1, 1, 256), 0);
    telem_pool_fini(&p);
}

static void test_init_state(void **state)
{
    struct telem_pool *p = *state;
    assert_int_equal(p->nurgent, 10);
    assert_int_equal(p->nslots, 30);
    assert_int_equal(telem_count(p, TELEM_URGENT, TELEM_FREE), 10);
    assert_int_equal(telem_count(p, TELEM_NONURGENT, TELEM_FREE), 20);
    assert_int_equal(total(p), 30);
    struct telem_stats zero;
    memset(&zero, 0, sizeof(zero));
    assert_memory_equal(&p->stats, &zero, sizeof(zero));
    assert_null(telem_fetch(p, TELEM_URGENT));
    assert_null(telem_fetch(p, TELEM_NONURGENT));
    assert_int_equal(p->stats.fetched, 0);
}

/* ---- states ---- */

static void test_state_transitions(void **state)
{
    struct telem_pool *p = *state;
    struct telem_entry *e = telem_reserve(p, TELEM_URGENT);
    assert_non_null(e);
    assert_int_equal(idx(p, e), 0);
    assert_int_equal(e->state, TELEM_UNCOMMITTED);
    assert_int_equal(e->cls, TELEM_URGENT);
    assert_int_equal(e->fetch_id, 0);
    assert_int_equal(p->stats.reserved, 1);

    e->rec.seq = 7;
    telem_commit(p, e);
    assert_int_equal(e->state, TELEM_COMMITTED);
    assert_true(e->order != 0);
    assert_int_equal(p->stats.committed, 1);

    struct telem_entry *f = telem_fetch(p, TELEM_URGENT);
    assert_ptr_equal(f, e);
    assert_int_equal(e->state, TELEM_PROCESSING);
    assert_int_equal(e->fetch_id, 1); /* slot 0: Xen's id names the entry */
    assert_int_equal(p->stats.fetched, 1);

    assert_int_equal(telem_ack(p, TELEM_URGENT, 1), 0);
    assert_int_equal(e->state, TELEM_FREE);
    assert_int_equal(p->stats.acked, 1);
    assert_int_equal(telem_count(p, TELEM_URGENT, TELEM_FREE), 10);
    assert_null(telem_fetch(p, TELEM_URGENT));
}

static void test_reserve_zeroes_record(void **state)
{
    struct telem_pool *p = *state;
    struct telem_entry *e = telem_reserve(p, TELEM_NONURGENT);
    memset(&e->rec, 0xFF, sizeof(e->rec));
    telem_commit(p, e);
    assert_int_equal(take(p, TELEM_NONURGENT), UINT64_MAX);
    struct telem_entry *again = telem_reserve(p, TELEM_NONURGENT);
    assert_ptr_equal(again, e); /* the lowest free slot is reused */
    struct mca_record zero;
    memset(&zero, 0, sizeof(zero));
    assert_memory_equal(&again->rec, &zero, sizeof(zero));
    assert_int_equal(again->order, 0);
    assert_int_equal(again->fetch_id, 0);
}

static void test_commit_dismiss_misuse_ignored(void **state)
{
    struct telem_pool *p = *state;
    struct telem_entry *e = put(p, TELEM_URGENT, 1);
    uint64_t order = e->order;

    telem_commit(p, e);                  /* second commit */
    assert_int_equal(e->order, order);
    assert_int_equal(p->stats.committed, 1);
    telem_dismiss(p, e);                 /* dismiss a committed record */
    assert_int_equal(e->state, TELEM_COMMITTED);
    assert_int_equal(p->stats.dismissed, 0);

    struct telem_entry *f = telem_fetch(p, TELEM_URGENT);
    telem_commit(p, f);                  /* commit while processing */
    telem_dismiss(p, f);
    assert_int_equal(f->state, TELEM_PROCESSING);
    assert_int_equal(f->order, order);

    assert_int_equal(telem_ack(p, TELEM_URGENT, f->fetch_id), 0);
    telem_commit(p, e);                  /* commit a free slot */
    telem_dismiss(p, e);
    assert_int_equal(e->state, TELEM_FREE);

    telem_commit(p, NULL);               /* not an entry of this pool */
    telem_dismiss(p, NULL);
    struct telem_entry stray;
    memset(&stray, 0, sizeof(stray));
    stray.state = TELEM_UNCOMMITTED;
    telem_commit(p, &stray);
    telem_dismiss(p, &stray);
    assert_int_equal(stray.state, TELEM_UNCOMMITTED);
    /* A pointer into the array that is not on a slot boundary. */
    struct telem_entry *odd = (struct telem_entry *)((char *)&p->slot[3] + 1);
    telem_commit(p, odd);

    assert_int_equal(p->stats.committed, 1);
    assert_int_equal(p->stats.dismissed, 0);
    assert_int_equal(telem_count(p, TELEM_URGENT, TELEM_FREE), 10);
    assert_int_equal(telem_count(p, TELEM_NONURGENT, TELEM_FREE), 20);
}

static void test_dismiss(void **state)
{
    struct telem_pool *p = *state;
    struct telem_entry *a = telem_reserve(p, TELEM_URGENT);
    struct telem_entry *b = telem_reserve(p, TELEM_URGENT);
    a->rec.seq = 1;
    b->rec.seq = 2;
    telem_dismiss(p, a);
    assert_int_equal(a->state, TELEM_FREE);
    assert_int_equal(a->cls, TELEM_URGENT);
    assert_int_equal(a->rec.seq, 0);
    assert_int_equal(p->stats.dismissed, 1);
    assert_int_equal(telem_count(p, TELEM_URGENT, TELEM_UNCOMMITTED), 1);
    telem_commit(p, b);
    assert_int_equal(take(p, TELEM_URGENT), 2); /* the dismissed record is never delivered */
    assert_int_equal(take(p, TELEM_URGENT), 0);
    assert_ptr_equal(telem_reserve(p, TELEM_URGENT), a); /* its slot is free again */

    /* A dismissed spill-over slot goes back to the non-urgent region. */
    for (unsigned i = 0; i < 9; i++)
        assert_non_null(telem_reserve(p, TELEM_URGENT));
    struct telem_entry *spill = telem_reserve(p, TELEM_URGENT);
    assert_int_equal(idx(p, spill), 10);
    assert_int_equal(telem_count(p, TELEM_NONURGENT, TELEM_FREE), 19);
    telem_dismiss(p, spill);
    assert_int_equal(spill->cls, TELEM_NONURGENT);
    assert_int_equal(telem_count(p, TELEM_NONURGENT, TELEM_FREE), 20);
    assert_ptr_equal(telem_reserve(p, TELEM_NONURGENT), spill);
}

/* ---- order ---- */

static void test_fifo_across_interleaved_commits(void **state)
{
    struct telem_pool *p = *state;
    struct telem_entry *a = telem_reserve(p, TELEM_NONURGENT);
    struct telem_entry *b = telem_reserve(p, TELEM_NONURGENT);
    struct telem_entry *c = telem_reserve(p, TELEM_NONURGENT);
    a->rec.seq = 1;
    b->rec.seq = 2;
    c->rec.seq = 3;
    /* Commit order, not reservation order or slot index, is the queue. */
    telem_commit(p, c);
    telem_commit(p, a);
    put(p, TELEM_URGENT, 100);
    telem_commit(p, b);
    assert_int_equal(take(p, TELEM_NONURGENT), 3);
    /* Slot of c is free and lowest now; a record committed there is youngest. */
    struct telem_entry *d = put(p, TELEM_NONURGENT, 4);
    assert_ptr_equal(d, c);
    put(p, TELEM_URGENT, 101);
    assert_int_equal(take(p, TELEM_NONURGENT), 1);
    assert_int_equal(take(p, TELEM_NONURGENT), 2);
    assert_int_equal(take(p, TELEM_NONURGENT), 4);
    assert_int_equal(take(p, TELEM_NONURGENT), 0);
    /* Classes are separate queues. */
    assert_int_equal(take(p, TELEM_URGENT), 100);
    assert_int_equal(take(p, TELEM_URGENT), 101);
    assert_int_equal(take(p, TELEM_URGENT), 0);
}

static void test_urgent_spill_keeps_urgent_queue(void **state)
{
    struct telem_pool *p = *state;
    /* Urgent records in non-urgent slots belong to the urgent queue. */
    for (uint64_t s = 1; s <= 12; s++)
        put(p, TELEM_URGENT, s);
    put(p, TELEM_NONURGENT, 500);
    assert_int_equal(telem_count(p, TELEM_URGENT, TELEM_COMMITTED), 12);
    assert_int_equal(telem_count(p, TELEM_NONURGENT, TELEM_COMMITTED), 1);
    assert_int_equal(take(p, TELEM_NONURGENT), 500);
    assert_int_equal(take(p, TELEM_NONURGENT), 0);
    for (uint64_t s = 1; s <= 12; s++)
        assert_int_equal(take(p, TELEM_URGENT), s);
    assert_int_equal(total(p), 30);
}

/* ---- fetch ids ---- */

static void test_ack_wrong_id_keeps_record(void **state)
{
    struct telem_pool *p = *state;
    put(p, TELEM_NONURGENT, 9);
    struct telem_entry *e = telem_fetch(p, TELEM_NONURGENT);
    assert_int_equal(e->fetch_id, 11); /* slot 10 */
    assert_int_equal(telem_ack(p, TELEM_NONURGENT, 12), -EINVAL);
    assert_int_equal(telem_ack(p, TELEM_NONURGENT, 0), -EINVAL);
    assert_int_equal(telem_ack(p, TELEM_URGENT, 11), -EINVAL);   /* right id, wrong class */
    assert_int_equal(telem_ack(p, (enum telem_class)7, 11), -EINVAL);
    assert_int_equal(e->state, TELEM_PROCESSING);
    assert_int_equal(e->rec.seq, 9);
    assert_int_equal(telem_count(p, TELEM_NONURGENT, TELEM_PROCESSING), 1);
    assert_int_equal(p->stats.acked, 0);
    assert_int_equal(telem_ack(p, TELEM_NONURGENT, 11), 0);
    assert_int_equal(telem_ack(p, TELEM_NONURGENT, 11), -EINVAL); /* already acked */
    assert_int_equal(p->stats.acked, 1);
}

/* Xen's mctelem_consume_oldest_begin hands out the head of the processing
 * list and COOKIE2ID its address: a refetch is the same entry, same id. */
static void test_refetch_gives_same_id(void **state)
{
    struct telem_pool *p = *state;
    put(p, TELEM_URGENT, 1);
    struct telem_entry *e = telem_fetch(p, TELEM_URGENT);
    uint64_t first = e->fetch_id;
    /* A newer record does not overtake the one being processed. */
    put(p, TELEM_URGENT, 2);
    struct telem_entry *again = telem_fetch(p, TELEM_URGENT);
    assert_ptr_equal(again, e);
    assert_int_equal(again->fetch_id, first);
    assert_int_equal(p->stats.fetched, 2);
    /* only the head can be acked (mctelem_ack): not the younger one */
    assert_int_equal(telem_ack(p, TELEM_URGENT, 2), -EINVAL);
    assert_int_equal(telem_ack(p, TELEM_URGENT, first), 0);
    assert_int_equal(take(p, TELEM_URGENT), 2);
}

/* An entry committed but not fetched is not the processing head yet: an
 * ack naming its slot frees nothing. */
static void test_ack_before_fetch_frees_nothing(void **state)
{
    struct telem_pool *p = *state;
    struct telem_entry *e = put(p, TELEM_URGENT, 5);
    assert_int_equal(telem_ack(p, TELEM_URGENT, (uint64_t)idx(p, e) + 1), -EINVAL);
    assert_int_equal(e->state, TELEM_COMMITTED);
    assert_int_equal(take(p, TELEM_URGENT), 5);
}

/* ---- slot classes and drops ---- */

static void test_default_pool_nonurgent_overflow(void **state)
{
    struct telem_pool *p = *state;
    for (unsigned i = 0; i < 20; i++) {
        struct telem_entry *e = telem_reserve(p, TELEM_NONURGENT);
        assert_non_null(e);
        assert_int_equal(idx(p, e), 10 + i);
    }
    assert_null(telem_reserve(p, TELEM_NONURGENT));
    assert_int_equal(p->stats.dropped[TELEM_NONURGENT], 1);
    assert_int_equal(p->stats.dropped[TELEM_URGENT], 0);
    assert_int_equal(p->stats.reserved, 20);
    /* The urgent region is untouched and still serves urgent records. */
    assert_int_equal(telem_count(p, TELEM_URGENT, TELEM_FREE), 10);
    for (unsigned i = 0; i < 10; i++)
        assert_int_equal(idx(p, telem_reserve(p, TELEM_URGENT)), i);
    assert_null(telem_reserve(p, TELEM_URGENT));
    assert_int_equal(p->stats.dropped[TELEM_URGENT], 1);
    assert_int_equal(p->stats.dropped[TELEM_NONURGENT], 1);
}

static void test_urgent_uses_nonurgent_slots(void **state)
{
    struct telem_pool *p = *state; /* 2 urgent + 3 non-urgent */
    unsigned got[5];
    for (unsigned i = 0; i < 5; i++) {
        struct telem_entry *e = telem_reserve(p, TELEM_URGENT);
        assert_non_null(e);
        got[i] = idx(p, e);
        assert_int_equal(e->cls, TELEM_URGENT);
    }
    for (unsigned i = 0; i < 5; i++)
        assert_int_equal(got[i], i); /* urgent slots first, then non-urgent */
    assert_int_equal(telem_count(p, TELEM_URGENT, TELEM_UNCOMMITTED), 5);
    assert_null(telem_reserve(p, TELEM_NONURGENT));
    assert_int_equal(p->stats.dropped[TELEM_NONURGENT], 1);
    assert_null(telem_reserve(p, TELEM_URGENT));
    assert_int_equal(p->stats.dropped[TELEM_URGENT], 1);
}

static void test_nonurgent_never_takes_urgent_slots(void **state)
{
    struct telem_pool *p = *state; /* 2 urgent + 3 non-urgent */
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(idx(p, telem_reserve(p, TELEM_NONURGENT)), 2 + i);
    assert_null(telem_reserve(p, TELEM_NONURGENT));
    assert_int_equal(telem_count(p, TELEM_URGENT, TELEM_FREE), 2);
    assert_int_equal(p->stats.dropped[TELEM_NONURGENT], 1);
    assert_int_equal(p->stats.dropped[TELEM_URGENT], 0);
}

static void test_overflow_changes_only_drop_counter(void **state)
{
    struct telem_pool *p = *state; /* 2 urgent + 3 non-urgent */
    /* A mixed, busy pool: processing, committed, uncommitted records. */
    put(p, TELEM_URGENT, 1);
    put(p, TELEM_URGENT, 2);
    put(p, TELEM_NONURGENT, 3);
    telem_fetch(p, TELEM_URGENT);
    telem_reserve(p, TELEM_NONURGENT);
    telem_reserve(p, TELEM_URGENT);

    for (int cls = 0; cls < TELEM__CLASSES; cls++) {
        struct telem_entry before[5];
        struct telem_pool pbefore = *p;
        memcpy(before, p->slot, sizeof(before));

        assert_null(telem_reserve(p, (enum telem_class)cls));

        assert_memory_equal(before, p->slot, sizeof(before));
        assert_int_equal(p->stats.dropped[cls], pbefore.stats.dropped[cls] + 1);
        pbefore.stats.dropped[cls]++;
        assert_memory_equal(&pbefore, p, sizeof(pbefore));
    }
    /* A bad class is refused without counting anything. */
    struct telem_pool pbefore = *p;
    assert_null(telem_reserve(p, (enum telem_class)5));
    assert_null(telem_fetch(p, (enum telem_class)5));
    assert_memory_equal(&pbefore, p, sizeof(pbefore));
}

/* ---- counts and walk ---- */

static void test_counts(void **state)
{
    struct telem_pool *p = *state;
    put(p, TELEM_URGENT, 1);
    put(p, TELEM_URGENT, 2);
    telem_reserve(p, TELEM_URGENT);
    put(p, TELEM_NONURGENT, 3);
    telem_reserve(p, TELEM_NONURGENT);
    telem_reserve(p, TELEM_NONURGENT);
    telem_fetch(p, TELEM_URGENT);
    assert_int_equal(telem_count(p, TELEM_URGENT, TELEM_PROCESSING), 1);
    assert_int_equal(telem_count(p, TELEM_URGENT, TELEM_COMMITTED), 1);
    assert_int_equal(telem_count(p, TELEM_URGENT, TELEM_UNCOMMITTED), 1);
    assert_int_equal(telem_count(p, TELEM_URGENT, TELEM_FREE), 7);
    assert_int_equal(telem_count(p, TELEM_NONURGENT, TELEM_PROCESSING), 0);
    assert_int_equal(telem_count(p, TELEM_NONURGENT, TELEM_COMMITTED), 1);
    assert_int_equal(telem_count(p, TELEM_NONURGENT, TELEM_UNCOMMITTED), 2);
    assert_int_equal(telem_count(p, TELEM_NONURGENT, TELEM_FREE), 17);
    assert_int_equal(total(p), 30);
    assert_int_equal(p->stats.reserved, 6);
    assert_int_equal(p->stats.committed, 3);
}

struct walk {
    unsigned n;
    uint64_t seq[32];
    enum telem_state st[32];
};

static void record_visit(void *arg, const struct telem_entry *e)
{
    struct walk *w = arg;
    assert_true(w->n < 32);
    w->seq[w->n] = e->rec.seq;
    w->st[w->n] = e->state;
    w->n++;
}

static void test_foreach_undelivered_order(void **state)
{
    struct telem_pool *p = *state;
    struct walk w;
    memset(&w, 0, sizeof(w));
    telem_foreach_undelivered(p, record_visit, &w);
    assert_int_equal(w.n, 0);

    /* Slots: u0..u2 urgent; n10..n12 non-urgent. */
    struct telem_entry *u0 = telem_reserve(p, TELEM_URGENT);
    struct telem_entry *u1 = telem_reserve(p, TELEM_URGENT);
    struct telem_entry *u2 = telem_reserve(p, TELEM_URGENT);
    struct telem_entry *n10 = telem_reserve(p, TELEM_NONURGENT);
    struct telem_entry *n11 = telem_reserve(p, TELEM_NONURGENT);
    struct telem_entry *n12 = telem_reserve(p, TELEM_NONURGENT);
    u0->rec.seq = 50;  /* stays uncommitted */
    u1->rec.seq = 12;
    u2->rec.seq = 13;
    n10->rec.seq = 51; /* stays uncommitted */
    n11->rec.seq = 11;
    n12->rec.seq = 14;
    telem_commit(p, n11);
    telem_commit(p, u1);
    telem_commit(p, u2);
    telem_commit(p, n12);
    telem_fetch(p, TELEM_URGENT); /* u1 processing: still undelivered */
    put(p, TELEM_NONURGENT, 15);
    struct telem_entry *gone = put(p, TELEM_URGENT, 99);
    telem_fetch(p, TELEM_URGENT); /* u1 again */
    (void)gone;

    telem_foreach_undelivered(p, record_visit, &w);
    static const uint64_t want[] = { 11, 12, 13, 14, 15, 99, 50, 51 };
    assert_int_equal(w.n, sizeof(want) / sizeof(want[0]));
    for (unsigned i = 0; i < w.n; i++)
        assert_int_equal(w.seq[i], want[i]);
    assert_int_equal(w.st[1], TELEM_PROCESSING);
    assert_int_equal(w.st[6], TELEM_UNCOMMITTED);
    assert_int_equal(w.st[7], TELEM_UNCOMMITTED);

    /* Acked and dismissed records are gone from the walk. */
    assert_int_equal(telem_ack(p, TELEM_URGENT, u1->fetch_id), 0);
    telem_dismiss(p, u0);
    memset(&w, 0, sizeof(w));
    telem_foreach_undelivered(p, record_visit, &w);
    static const uint64_t want2[] = { 11, 13, 14, 15, 99, 51 };
    assert_int_equal(w.n, sizeof(want2) / sizeof(want2[0]));
    for (unsigned i = 0; i < w.n; i++)
        assert_int_equal(w.seq[i], want2[i]);

    telem_foreach_undelivered(p, NULL, NULL); /* no visitor: nothing happens */
}

/* ---- deferred lists (mctelem_defer, mctelem_process_deferred) ---- */

struct seen_list {
    unsigned n;
    uint64_t seq[16];
    enum telem_verdict say[16]; /* what to answer for the i-th entry */
};

static enum telem_verdict verdict_of(void *arg, struct telem_entry *e)
{
    struct seen_list *w = arg;
    assert_int_equal(e->state, TELEM_UNCOMMITTED);
    w->seq[w->n] = e->rec.seq;
    return w->say[w->n++];
}

static struct telem_entry *deferred(struct telem_pool *p, uint64_t seq, unsigned cpu, bool lmce)
{
    struct telem_entry *e = telem_reserve(p, TELEM_URGENT);
    assert_non_null(e);
    e->rec.seq = seq;
    telem_defer(p, e, cpu, lmce);
    return e;
}

static void test_defer_lists(void **state)
{
    struct telem_pool *p = *state;
    /* LMCE records wait on the LMCE list while pending is empty */
    deferred(p, 1, 2, true);
    deferred(p, 2, 2, true);
    assert_true(telem_has_deferred_lmce(p, 2));
    assert_false(telem_has_deferred(p, 2));
    /* a broadcast one takes them along into pending, after them */
    deferred(p, 3, 2, false);
    assert_false(telem_has_deferred_lmce(p, 2));
    assert_true(telem_has_deferred(p, 2));
    /* once pending holds something, LMCE records join it too */
    deferred(p, 4, 2, true);
    assert_false(telem_has_deferred_lmce(p, 2));
    assert_false(telem_has_deferred(p, 1)); /* per CPU */
    struct seen_list w = {0};
    for (unsigned i = 0; i < 16; i++)
        w.say[i] = TELEM_COMMIT;
    telem_process_deferred(p, 2, true, verdict_of, &w); /* the empty list */
    assert_int_equal(w.n, 0);
    telem_process_deferred(p, 2, false, verdict_of, &w);
    assert_int_equal(w.n, 4);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(w.seq[i], i + 1); /* oldest first */
    assert_false(telem_has_deferred(p, 2));
    assert_int_equal(telem_count(p, TELEM_URGENT, TELEM_COMMITTED), 4);
}

static void test_process_deferred_verdicts(void **state)
{
    struct telem_pool *p = *state;
    struct telem_entry *a = deferred(p, 1, 0, false);
    struct telem_entry *b = deferred(p, 2, 0, false);
    struct telem_entry *c = deferred(p, 3, 0, false);
    struct telem_entry *d = deferred(p, 4, 0, false);
    struct seen_list w = {.say = {TELEM_COMMIT, TELEM_DISMISS, TELEM_STOP, TELEM_COMMIT}};
    telem_process_deferred(p, 0, false, verdict_of, &w);
    assert_int_equal(w.n, 3); /* stopped at the third */
    assert_int_equal(a->state, TELEM_COMMITTED);
    assert_int_equal(b->state, TELEM_FREE);
    assert_int_equal(c->state, TELEM_UNCOMMITTED); /* left on no list */
    assert_int_equal(d->state, TELEM_UNCOMMITTED);
    assert_false(telem_has_deferred(p, 0));
    /* both are still walked as uncommitted, by seq */
    struct walk u;
    memset(&u, 0, sizeof(u));
    telem_foreach_uncommitted(p, record_visit, &u);
    assert_int_equal(u.n, 2);
    assert_int_equal(u.seq[0], 3);
    assert_int_equal(u.seq[1], 4);
    /* the panic dump walks a list without taking it */
    struct telem_entry *e = deferred(p, 9, 1, true);
    memset(&u, 0, sizeof(u));
    telem_foreach_deferred(p, 1, true, record_visit, &u);
    assert_int_equal(u.n, 1);
    assert_int_equal(u.seq[0], 9);
    assert_true(telem_has_deferred_lmce(p, 1));
    assert_int_equal(e->state, TELEM_UNCOMMITTED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_limits),
        cmocka_unit_test_setup_teardown(test_init_state, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_state_transitions, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_reserve_zeroes_record, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_commit_dismiss_misuse_ignored, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_dismiss, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_across_interleaved_commits, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_urgent_spill_keeps_urgent_queue, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_ack_wrong_id_keeps_record, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_refetch_gives_same_id, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_ack_before_fetch_frees_nothing, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_defer_lists, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_process_deferred_verdicts, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_default_pool_nonurgent_overflow, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_urgent_uses_nonurgent_slots, setup_small, teardown),
        cmocka_unit_test_setup_teardown(test_nonurgent_never_takes_urgent_slots, setup_small, teardown),
        cmocka_unit_test_setup_teardown(test_overflow_changes_only_drop_counter, setup_small, teardown),
        cmocka_unit_test_setup_teardown(test_counts, setup_default, teardown),
        cmocka_unit_test_setup_teardown(test_foreach_undelivered_order, setup_default, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
