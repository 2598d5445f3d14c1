/*
 * telemetry.h - the pool of machine-check records waiting for dom0.
 *
 * A fixed pool of slots in two classes, URGENT (records from the #MC
 * handler) and NONURGENT (CMCI and polling), sized by policy (default
 * 10 + 20, as Xen's mctelem). An urgent reservation may take a non-urgent
 * slot; a non-urgent one never takes an urgent slot. Each entry moves
 *   FREE -> UNCOMMITTED -> COMMITTED -> PROCESSING -> FREE
 * and an uncommitted entry can be dismissed back to FREE. Fetch hands out
 * the oldest committed entry of a class with a fetch id and leaves it
 * queued (PROCESSING); only an ack carrying that fetch id frees it, so a
 * record is never lost between fetch and ack. A reservation that finds no
 * free slot increments the class's drop counter: that is the only way a
 * record is lost, and it is always counted.
 *
 * No locking: the simulator runs one CPU at a time and the hv serialises
 * logout with its logout lock.
 */
#ifndef HV_TELEMETRY_H
#define HV_TELEMETRY_H

#include <stdint.h>

#include "public/hv_report.h"
#include "public/mca_abi.h"

enum telem_state { TELEM_FREE = 0, TELEM_UNCOMMITTED, TELEM_COMMITTED, TELEM_PROCESSING };

struct telem_entry {
    enum telem_state state;
    enum telem_class cls;   /* queue the record belongs to           */
    uint64_t order;         /* commit order; FIFO key                */
    uint64_t fetch_id;      /* set when fetched, 0 otherwise         */
    struct mca_record rec;
};

struct telem_pool {
    unsigned nurgent;        /* slots [0, nurgent) are urgent-only     */
    unsigned nslots;         /* nurgent + nnonurgent                   */
    struct telem_entry *slot;
    uint64_t next_order;
    uint64_t next_fetch_id;
    struct telem_stats stats;
};

/* 0, or -1 when a count is 0 or the total exceeds 65536, or no memory. */
int telem_pool_init(struct telem_pool *p, unsigned nurgent, unsigned nnonurgent);
void telem_pool_fini(struct telem_pool *p);

/* A FREE slot for a class, now UNCOMMITTED with a zeroed record; NULL when
 * the pool is full for that class (drop counter incremented). */
struct telem_entry *telem_reserve(struct telem_pool *p, enum telem_class cls);
/* UNCOMMITTED -> COMMITTED, queued at the tail of its class. */
void telem_commit(struct telem_pool *p, struct telem_entry *e);
/* UNCOMMITTED -> FREE (the record needed no logging). */
void telem_dismiss(struct telem_pool *p, struct telem_entry *e);

/* The oldest COMMITTED or PROCESSING entry of a class, now PROCESSING with
 * a fresh fetch id; NULL when the class is empty. Fetching again before an
 * ack hands out the same entry with a new fetch id. */
struct telem_entry *telem_fetch(struct telem_pool *p, enum telem_class cls);
/* Frees the entry of cls whose current fetch id is fetch_id. 0, or
 * -EINVAL when no entry of that class carries that id. */
int telem_ack(struct telem_pool *p, enum telem_class cls, uint64_t fetch_id);

/* Entries of a class in a state; for reports and invariants. */
unsigned telem_count(const struct telem_pool *p, enum telem_class cls, enum telem_state st);
/* Visit every COMMITTED/PROCESSING/UNCOMMITTED entry, oldest first
 * (uncommitted last), e.g. for the panic dump. */
void telem_foreach_undelivered(const struct telem_pool *p,
                               void (*fn)(void *arg, const struct telem_entry *e), void *arg);

#endif
