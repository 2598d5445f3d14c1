/*
 * spinlock.h - the hv's spin locks (logout, CMCI discovery) as ticket
 * locks: CPUs get the lock in the order they asked, and a release wakes
 * only the CPU whose turn it is. A spinning CPU that is not next would
 * only re-read the lock and spin on, so not waking it is the same
 * behaviour without the simulated wake-ups (O(CPUs) instead of O(CPUs^2)
 * per contended round, docs/PERFORMANCE.md).
 */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#define HV_LOCK_MAX_WAITERS 256u

struct hv;

struct hv_spinlock {
    unsigned next;      /* next ticket to hand out       */
    unsigned serving;   /* ticket that holds the lock    */
    int holder;         /* CPU holding it, -1 when free  */
    unsigned cpu_of[HV_LOCK_MAX_WAITERS]; /* ticket % N -> CPU */
};

void hv_spin_init(struct hv_spinlock *l);
/* Spin until cpu holds the lock (or the host stops). */
void hv_spin_lock(struct hv *hv, struct hv_spinlock *l, unsigned cpu);
void hv_spin_unlock(struct hv *hv, struct hv_spinlock *l);

#endif
