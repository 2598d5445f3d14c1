/*
 * barrier.c - generation barrier for the #MC and softirq rendezvous.
 *
 * Invariant: between releases, count is the number of CPUs waiting in the
 * current generation. A CPU that times out leaves count stale; that is
 * harmless because a timeout always stops the host.
 */
#include "barrier.h"

#include "hv.h"

enum hv_barrier_result hv_barrier_wait(struct hv *hv, struct hv_barrier *b, unsigned cpu,
                                       unsigned expected, uint64_t timeout_ps)
{
    const struct hv_platform *p = hv->plat;
    unsigned gen = b->gen;

    if (++b->count >= expected) {
        b->count = 0;
        b->gen++;
        p->shared_changed(p->ctx);
        return HV_BARRIER_OK;
    }
    /* An arrival that does not release the barrier changes nothing the
     * spinners wait for (the generation), so it wakes nobody. */

    uint64_t deadline = timeout_ps ? p->now_ps(p->ctx) + timeout_ps : UINT64_MAX;
    /* Restored, not cleared: a #MC taken while spinning runs a rendezvous
     * of its own, and this spin goes on after it. */
    bool was = hv->cpu[cpu].spinning;
    enum hv_barrier_result r = HV_BARRIER_OK;
    hv->cpu[cpu].spinning = true;
    while (b->gen == gen) {
        if (hv->stopped) {
            r = HV_BARRIER_STOPPED;
            break;
        }
        if (p->now_ps(p->ctx) >= deadline) {
            r = HV_BARRIER_TIMEOUT;
            break;
        }
        p->spin_wait(p->ctx, cpu, deadline);
    }
    hv->cpu[cpu].spinning = was;
    return r;
}
