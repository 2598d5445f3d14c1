/*
 * barrier.c - the rendezvous barriers of barrier.h: Xen's enter/exit pair
 * and the generation barrier of the linux order.
 *
 * Xen's pair: between an enter and its exit a CPU is counted in `val`;
 * every enter bumps `ingen` and every exit `outgen` before touching `val`,
 * and a waiter gives up when the other counter moved (a CPU got ahead of
 * it into the next phase), as mce_barrier_enter / mce_barrier_exit do.
 * "All" is num_online_cpus() (hv->nonline): a CPU taken offline is not
 * waited for; a parked one that takes the #MC all the same still counts
 * itself in `val` (Xen's handler does not ask whether it is online).
 *
 * Generation barrier invariant: between releases, count is the number of
 * CPUs waiting in the current generation. A CPU that times out leaves
 * count stale; that is harmless because a timeout always stops the host.
 */
#include "barrier.h"

#include "hv.h"

/* Spin while the condition holds; false when the host stopped. */
static bool spin_while(struct hv *hv, unsigned cpu, bool (*waiting)(const struct hv_xbarrier *, unsigned, unsigned),
                       const struct hv_xbarrier *b, unsigned arg)
{
    const struct hv_platform *p = hv->plat;
    bool was = hv->cpu[cpu].spinning; /* a #MC taken while spinning nests */
    bool ok = true;
    hv->cpu[cpu].spinning = true;
    while (waiting(b, hv->nonline, arg)) /* num_online_cpus() */ {
        if (hv->stopped) { /* mce_panic_check: halt here */
            ok = false;
            break;
        }
        p->spin_wait(p->ctx, cpu, UINT64_MAX);
    }
    hv->cpu[cpu].spinning = was;
    return ok;
}

static bool entering(const struct hv_xbarrier *b, unsigned nonline, unsigned outgen)
{
    return b->val != nonline && b->outgen == outgen;
}

static bool leaving(const struct hv_xbarrier *b, unsigned nonline, unsigned ingen)
{
    (void)nonline;
    return b->val != 0 && b->ingen == ingen;
}

bool hv_xbarrier_enter(struct hv *hv, struct hv_xbarrier *b, unsigned cpu, bool do_wait, const char *phase)
{
    if (!do_wait)
        return true;
    hv_trace(hv, HV_STAGE_RENDEZVOUS_IN, cpu, -1, 0, 0, phase);
    b->ingen++;
    unsigned gen = b->outgen;
    b->val++;
    hv->plat->shared_changed(hv->plat->ctx);
    if (!spin_while(hv, cpu, entering, b, gen))
        return false;
    hv_trace(hv, HV_STAGE_RENDEZVOUS_OUT, cpu, -1, 0, 0, phase);
    return true;
}

bool hv_xbarrier_exit(struct hv *hv, struct hv_xbarrier *b, unsigned cpu, bool do_wait, const char *phase)
{
    if (!do_wait)
        return true;
    hv_trace(hv, HV_STAGE_RENDEZVOUS_IN, cpu, -1, 0, 0, phase);
    b->outgen++;
    unsigned gen = b->ingen;
    b->val--;
    hv->plat->shared_changed(hv->plat->ctx);
    if (!spin_while(hv, cpu, leaving, b, gen))
        return false;
    hv_trace(hv, HV_STAGE_RENDEZVOUS_OUT, cpu, -1, 0, 0, phase);
    return true;
}

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
