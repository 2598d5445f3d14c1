/*
 * barrier.h - rendezvous of the CPUs of one host in the #MC handler and
 * the MCE softirq, in two shapes.
 *
 * Xen's (barrier.c: mce_barrier_enter / mce_barrier_exit), for the xen
 * handler order: `val` counts the CPUs between enter and exit; enter adds
 * one and waits until every online CPU of the host has entered, exit takes one
 * away and waits until all have left. `ingen` / `outgen` count enters and
 * exits, so a CPU still waiting in enter when the first ones already
 * exit (or one waiting in exit when another re-enters) stops waiting.
 * There is no timeout: a CPU that never arrives keeps the others spinning
 * until the host stops (mce_panic_check halts them). With `do_wait` false
 * (no broadcast #MC, or LMCE) both return at once, touching nothing.
 *
 * A generation barrier, for the linux handler order: each arrival bumps
 * `count`; the last of `expected` arrivals resets it and advances `gen`,
 * releasing the spinners. A timeout (Linux monarch_timeout) bounds the
 * wait; 0 waits forever.
 *
 * Waiting is a spin on shared state (platform spin_wait), so arrival order
 * and release times are those of real CPUs spinning with PAUSE.
 */
#ifndef HV_BARRIER_H
#define HV_BARRIER_H

#include <stdbool.h>
#include <stdint.h>

struct hv;

/* Xen's struct mce_softirq_barrier. */
struct hv_xbarrier {
    unsigned val, ingen, outgen;
};

/* false when the host stopped while this CPU waited (it halts there). */
bool hv_xbarrier_enter(struct hv *hv, struct hv_xbarrier *b, unsigned cpu, bool do_wait, const char *phase);
bool hv_xbarrier_exit(struct hv *hv, struct hv_xbarrier *b, unsigned cpu, bool do_wait, const char *phase);

struct hv_barrier {
    unsigned count;
    unsigned gen;
};

enum hv_barrier_result { HV_BARRIER_OK = 0, HV_BARRIER_TIMEOUT, HV_BARRIER_STOPPED };

/* Arrive and wait for `expected` CPUs (counting this one). */
enum hv_barrier_result hv_barrier_wait(struct hv *hv, struct hv_barrier *b, unsigned cpu,
                                       unsigned expected, uint64_t timeout_ps);

#endif
