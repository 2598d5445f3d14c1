/*
 * telemetry.h - the pool of machine-check records waiting for dom0.
 *
 * A fixed pool of slots in two classes, URGENT (records from the #MC
 * handler) and NONURGENT (CMCI and polling), sized by policy (default
 * 10 + 20, as Xen's mctelem). An urgent reservation may take a non-urgent
 * slot; a non-urgent one never takes an urgent slot. Each entry moves
 *   FREE -> UNCOMMITTED -> COMMITTED -> PROCESSING -> FREE
 * and an uncommitted entry can be dismissed back to FREE. Fetch hands out
 * the oldest committed entry of a class with its fetch id and leaves it
 * queued (PROCESSING); only an ack carrying that fetch id frees it, so a
 * record is never lost between fetch and ack. The fetch id names the slot
 * (Xen's COOKIE2ID is the entry's address): fetching again before the ack
 * gives the same entry and the same id. A reservation that finds no free
 * slot increments the class's drop counter: that is the only way a record
 * is lost, and it is always counted (Xen keeps one mctelem_drop_count;
 * the two counters add up to it).
 *
 * Deferred records (Xen's mctelem_defer / mctelem_process_deferred): an
 * uncommitted entry can wait on one of two lists of a CPU, `pending` or
 * `lmce_pending`, never both non-empty: a deferral goes to pending when
 * pending holds something; else an LMCE one to lmce_pending; else a
 * broadcast one first moves lmce_pending into pending (they are older)
 * and joins it. Processing takes one list whole and hands each entry,
 * oldest first, to a function that says commit, dismiss or stop.
 *
 * No locking: the simulator runs one CPU at a time and the hv serialises
 * logout with its logout lock.
 */
#ifndef HV_TELEMETRY_H
#define HV_TELEMETRY_H

#include <stdbool.h>
#include <stdint.h>

#include "public/hv_report.h"
#include "public/mca_abi.h"

enum telem_state { TELEM_FREE = 0, TELEM_UNCOMMITTED, TELEM_COMMITTED, TELEM_PROCESSING };

struct telem_entry {
    enum telem_state state;
    enum telem_class cls;   /* queue the record belongs to           */
    uint64_t order;         /* commit order; FIFO key                */
    uint64_t fetch_id;      /* set when fetched, 0 otherwise         */
    int next;               /* next slot on a deferred list, -1: last */
    struct mca_record rec;
};

/* A CPU's list of deferred entries, oldest (head) first; -1: empty. */
struct telem_list {
    int head, tail;
};

struct telem_cpu {
    struct telem_list pending, lmce_pending;
};

struct telem_pool {
    unsigned nurgent;        /* slots [0, nurgent) are urgent-only     */
    unsigned nslots;         /* nurgent + nnonurgent                   */
    struct telem_entry *slot;
    unsigned ncpus;
    struct telem_cpu *cpu;   /* deferred lists per CPU                 */
    uint64_t next_order;
    struct telem_stats stats;
};

/* 0, or -1 when a count is 0 or the total exceeds 65536, ncpus is 0 or
 * above 256, or no memory. */
int telem_pool_init(struct telem_pool *p, unsigned nurgent, unsigned nnonurgent, unsigned ncpus);
void telem_pool_fini(struct telem_pool *p);

/* A FREE slot for a class, now UNCOMMITTED with a zeroed record; NULL when
 * the pool is full for that class (drop counter incremented). */
struct telem_entry *telem_reserve(struct telem_pool *p, enum telem_class cls);
/* UNCOMMITTED -> COMMITTED, queued at the tail of its class. */
void telem_commit(struct telem_pool *p, struct telem_entry *e);
/* UNCOMMITTED -> FREE (the record needed no logging). */
void telem_dismiss(struct telem_pool *p, struct telem_entry *e);

/* The oldest COMMITTED or PROCESSING entry of a class, now PROCESSING with
 * its fetch id (its slot + 1); NULL when the class is empty. Fetching
 * again before an ack hands out the same entry with the same id. */
struct telem_entry *telem_fetch(struct telem_pool *p, enum telem_class cls);
/* Frees the oldest entry of cls when it was fetched and fetch_id is its id
 * (Xen's mctelem_ack frees only the head of the processing list). 0, or
 * -EINVAL when nothing was freed. */
int telem_ack(struct telem_pool *p, enum telem_class cls, uint64_t fetch_id);

/* Put an UNCOMMITTED entry on cpu's deferred lists (rules above). */
void telem_defer(struct telem_pool *p, struct telem_entry *e, unsigned cpu, bool lmce);
bool telem_has_deferred(const struct telem_pool *p, unsigned cpu);      /* pending */
bool telem_has_deferred_lmce(const struct telem_pool *p, unsigned cpu); /* lmce_pending */
/* What a deferred entry becomes after processing. */
enum telem_verdict { TELEM_DISMISS = 0, TELEM_COMMIT, TELEM_STOP };
/* Take cpu's pending list (lmce_pending when lmce) and hand its entries,
 * oldest first, to fn: COMMIT commits, DISMISS dismisses, STOP leaves that
 * entry and the rest uncommitted on no list (the host stopped). */
void telem_process_deferred(struct telem_pool *p, unsigned cpu, bool lmce,
                            enum telem_verdict (*fn)(void *arg, struct telem_entry *e), void *arg);
/* Visit cpu's deferred entries of one list, oldest first, without taking
 * them (the panic dump). */
void telem_foreach_deferred(const struct telem_pool *p, unsigned cpu, bool lmce,
                            void (*fn)(void *arg, const struct telem_entry *e), void *arg);

/* Entries of a class in a state; for reports and invariants. */
unsigned telem_count(const struct telem_pool *p, enum telem_class cls, enum telem_state st);
/* Visit every COMMITTED/PROCESSING/UNCOMMITTED entry, oldest first
 * (uncommitted last), e.g. for the panic dump. */
void telem_foreach_undelivered(const struct telem_pool *p,
                               void (*fn)(void *arg, const struct telem_entry *e), void *arg);
/* Visit every UNCOMMITTED entry (being filled, deferred, or left by a
 * stop), by record seq. */
void telem_foreach_uncommitted(const struct telem_pool *p,
                               void (*fn)(void *arg, const struct telem_entry *e), void *arg);

#endif
