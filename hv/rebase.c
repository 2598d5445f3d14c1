/*
 * rebase.c - the hv's part of the epoch rebase (docs/TIME.md): the times
 * it holds that later decisions compare with now, moved D earlier while
 * the host is quiet (arch/ps_rebase.h).
 *
 * They are all past times compared as ages: each poll timer's last two
 * rounds (poll_quiet.c: a steady period is their difference, and the last
 * round's end must be now), the linux-2.6 storm window's start and the
 * linux-6 bank histories' last shift (cmci_storm.c: ticks of idle time),
 * and the firmware-first throttle's interrupt history (ff_throttle.c:
 * interrupts within its window). Records are stamped in real time
 * (epoch_ps + now: mce_record.c) and never move: they are outputs, and
 * what compares them (dom0's CE accounting) compares them with each other.
 */
#include <errno.h>

#include "arch/ps_rebase.h"
#include "ff.h"
#include "mce_internal.h"

int hv_can_rebase(const struct hv *hv, uint64_t d_ps, uint64_t now_ps)
{
    (void)now_ps;
    if (d_ps > PS_REBASE_D_MAX)
        return -ERANGE;
    if (hv->x.poll.in_round || hv_ff_pending(hv) || (hv->ff.on && hv->ff.cur >= 0))
        return -EBUSY;
    for (unsigned c = 0; c < hv->cfg.ncpus; c++) {
        const struct hv_cpu *p = &hv->cpu[c];
        if (p->in_mce || p->in_softirq || p->in_nmi || p->spinning || p->rounds.running)
            return -EBUSY; /* in the middle of something: not quiet */
    }
    return 0;
}

int hv_rebase(struct hv *hv, uint64_t d_ps, uint64_t now_ps)
{
    int rc = hv_can_rebase(hv, d_ps, now_ps);
    if (rc)
        return rc;
    for (unsigned c = 0; c < hv->cfg.ncpus; c++) {
        struct hv_cpu *p = &hv->cpu[c];
        for (unsigned i = 0; i < 2; i++) {
            p->rounds.start_ps[i] = ps_rebase(p->rounds.start_ps[i], d_ps, now_ps);
            p->rounds.end_ps[i] = ps_rebase(p->rounds.end_ps[i], d_ps, now_ps);
        }
        p->storm.window_start_ps = ps_rebase(p->storm.window_start_ps, d_ps, now_ps);
        for (unsigned b = 0; b < MCA_MAX_BANKS; b++)
            p->storm.bank[b].last_ps = ps_rebase(p->storm.bank[b].last_ps, d_ps, now_ps);
    }
    for (unsigned t = 0; t < FW_TYPE__COUNT; t++)
        ff_throttle_rebase(&hv->ff.thr[t], d_ps, now_ps);
    hv->epoch_ps += d_ps;
    return 0;
}
