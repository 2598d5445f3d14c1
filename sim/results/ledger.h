/*
 * ledger.h - the ground truth of one host's errors: what finally became of
 * every error its banks latched (enum rr_fate), and when it passed each
 * stage of handling (struct err_times, latency.h).
 *
 * The ledger is fed, never asks: the hardware side reports each latch
 * (with what the bank held before, so the SDM overwrite rules decide who
 * is lost) and each software clear of MCi_STATUS; every trace event of the
 * host passes through ledger_event(); dom0's ack arrives by ledger_acked().
 * It reads nothing of the hypervisor's private state: the severity and
 * commit events carry the record they are about (rr_event.rec); a
 * severity event is about one bank of it (seq + bank), a commit about all.
 *
 * State per bank slot (home CPU x bank; a bank the CPUs share lives at CPU
 * 0): the error latched there now (occupant) and the one software last
 * read out of it (read). Per CPU: the entry and entry-rendezvous times of
 * the current handling round, and the errors that wait for that CPU to
 * clear MCIP. Per host: committed errors that wait for the VIRQ to dom0.
 * (record id, bank) pairs map to their error and record ids to their
 * rr_record through hash maps
 * used for lookups only, so nothing depends on their iteration order.
 *
 * Invariant: an error's fate leaves FATE_IN_BANK at most through the rows
 * of ledger_latch (overwritten, counted, rejected) or the events that
 * grade, drop, commit or lose it; a bank cleared under an ungraded error
 * marks it FATE_LOST, the bug the invariant checker reports.
 */
#ifndef SIM_RESULTS_LEDGER_H
#define SIM_RESULTS_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "models/cpu/cpu_mca.h"
#include "models/memctl/u64map.h"
#include "sim/results/run_result.h"

struct ledger_round {
    bool in_mc;                   /* the round is an #MC (MCIP to clear)    */
    bool have_entry, have_rdv_in, have_rdv_out;
    rtime_t entry, rdv_in, rdv_out;
    unsigned *await_mcip;         /* errors logged out in this #MC          */
    unsigned n_await, cap_await;
};

struct ledger {
    struct run_result *rr;
    unsigned host, ncpus;
    uint32_t shared_banks;        /* bit b: bank b is one register set       */
    uint32_t core_banks;          /* bit b: one register set per core        */
    unsigned threads_per_core;    /* 0 or 1: no core sharing                 */
    int *occupant, *read;         /* per slot: error index, -1 for none      */
    struct u64map record_of;      /* record id -> index in rr->records       */
    /* The same for ids below LEDGER_DENSE_IDS when the results keep every
     * record (ids count up from 1 per host: a dense index, no hashing):
     * index + 1, 0 for none. Bounded results fold records, so they keep
     * the hash map, which shrinks with them. */
    uint32_t *rec_at;
    size_t cap_rec_at;
    /* Likewise for error_of: per record id, the first bank entered and its
     * value (bank + 1, 0 for none); a record's other banks stay in the
     * map. */
    struct ledger_first_bank { uint64_t val; uint32_t bank1; } *err_at;
    size_t cap_err_at;
    struct u64map error_of;       /* record id -> index in rr->errors        */
    struct ledger_round *round;   /* per CPU                                 */
    unsigned *await_virq;         /* committed, waiting for VIRQ_MCA         */
    unsigned n_virq, cap_virq;
    uint64_t counted, overflowed; /* latches folded into a bank's entry        */
    unsigned next_sweep;          /* bounded results: live errors at which to
                                   * fold the settled ones (ledger_latch)      */
    unsigned char *named;         /* scratch of the sweep: per error slot      */
    unsigned cap_named;
};

#define LEDGER_DENSE_IDS (1u << 26)

/* 0, or -1 out of memory. */
int ledger_init(struct ledger *l, struct run_result *rr, unsigned host, unsigned ncpus,
                uint32_t shared_banks);
void ledger_fini(struct ledger *l);
/* Banks the threads of each core share (one register set on the core's
 * first thread); -1 when a bank is also the package's or no thread count. */
int ledger_set_core_banks(struct ledger *l, uint32_t core_banks, unsigned threads_per_core);

/* The CPU whose register file holds bank `bank` seen from `cpu`: CPU 0
 * for a package's bank, the core's first thread for a core's. */
unsigned ledger_bank_home(const struct ledger *l, unsigned cpu, unsigned bank);

/* Hardware latched (or, CPU_LATCH_BAD_BANK, refused) an error in `bank`
 * of home CPU `cpu`; `prior` is the MCi_STATUS it held before. Returns the
 * new error's index in rr->errors. A CE counted on a logged CE and an
 * error lost behind a UC get no entry (software can only ever see the
 * entry they were folded into): they are counted (counted, overflowed)
 * and -1 is returned. */
int ledger_latch(struct ledger *l, unsigned cpu, unsigned bank, uint64_t status, uint64_t prior,
                 enum cpu_latch_kind kind, enum rr_found found_by, rtime_t at_ps);
/* Stamp error `error` (an index; -1 is ignored) at stage st. */
void ledger_stamp(struct ledger *l, int error, enum err_stage st, rtime_t at_ps);
/* Software wrote 0 to MCi_STATUS of `bank` of home CPU `cpu`. */
void ledger_cleared(struct ledger *l, unsigned cpu, unsigned bank);
/* A trace event of this host (hv stages act on the ledger; others pass). */
void ledger_event(struct ledger *l, const struct rr_event *ev);
/* dom0 acked record `seq`. */
void ledger_acked(struct ledger *l, uint64_t seq, rtime_t at_ps);

/* Bounded results: fold every settled error nothing names now, whatever
 * the live count (the run's end: what is kept then does not depend on
 * when sweeps happened to run, so a run whose rounds were folded keeps
 * what one that ran them keeps). */
void ledger_settle(struct ledger *l);
/* The round fold (fold_ctr.h): the latches lost behind a UC (the CEs
 * counted into an entry follow the walk's folded lines instead). */
struct fold_ctr;
size_t ledger_fold_counters(struct ledger *l, struct fold_ctr *out, size_t max);

#endif
