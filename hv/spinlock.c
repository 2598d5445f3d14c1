/*
 * spinlock.c - ticket spin locks on the platform's spin_wait (spinlock.h).
 * Invariant: serving <= next; the lock is free when serving == next.
 */
#include "spinlock.h"

#include <string.h>

#include "mce_internal.h"

void hv_spin_init(struct hv_spinlock *l)
{
    memset(l, 0, sizeof(*l));
    l->holder = -1;
}

void hv_spin_lock(struct hv *hv, struct hv_spinlock *l, unsigned cpu)
{
    const struct hv_platform *p = hv->plat;
    unsigned ticket = l->next++;
    l->cpu_of[ticket % HV_LOCK_MAX_WAITERS] = cpu;
    bool was = hv->cpu[cpu].spinning; /* a #MC may come while spinning */
    hv->cpu[cpu].spinning = true;
    while (l->serving != ticket && !hv->stopped)
        p->spin_wait(p->ctx, cpu, UINT64_MAX);
    hv->cpu[cpu].spinning = was;
    l->holder = (int)cpu;
    hv_charge(hv, cpu, HV_COST_LOCK);
}

void hv_spin_unlock(struct hv *hv, struct hv_spinlock *l)
{
    const struct hv_platform *p = hv->plat;
    l->holder = -1;
    l->serving++;
    if (l->serving == l->next)
        return; /* nobody waits */
    unsigned next = l->cpu_of[l->serving % HV_LOCK_MAX_WAITERS];
    if (p->wake_cpu)
        p->wake_cpu(p->ctx, next);
    else
        p->shared_changed(p->ctx);
}
