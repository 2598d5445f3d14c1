/*
 * barrier.h - rendezvous of the CPUs of one host in the #MC handler.
 *
 * A generation barrier: each arrival bumps `count`; the last of `expected`
 * arrivals resets it and advances `gen`, releasing the spinners. Waiting is
 * a spin on the shared generation (platform spin_wait), so arrival order
 * and release times are those of real CPUs spinning with PAUSE.
 * A timeout (Linux monarch_timeout) bounds the wait; 0 waits forever, as
 * Xen's barriers do (mce_barrier_enter, barrier.c).
 */
#ifndef HV_BARRIER_H
#define HV_BARRIER_H

#include <stdint.h>

struct hv;

struct hv_barrier {
    unsigned count;
    unsigned gen;
};

enum hv_barrier_result { HV_BARRIER_OK = 0, HV_BARRIER_TIMEOUT, HV_BARRIER_STOPPED };

/* Arrive and wait for `expected` CPUs (counting this one). */
enum hv_barrier_result hv_barrier_wait(struct hv *hv, struct hv_barrier *b, unsigned cpu,
                                       unsigned expected, uint64_t timeout_ps);

#endif
