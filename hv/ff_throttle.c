/*
 * ff_throttle.c - the storm rule and polling intervals of firmware-first
 * CMC/CPE reporting (ff_throttle.h), as one row per type. The history is
 * a ring of the last `history` interrupt times that did not start a
 * storm; an interrupt counts itself plus the entries within the window.
 */
#include "ff_throttle.h"

#include <stddef.h>

#include "arch/ps_rebase.h"
#include "public/fw_abi.h"

#define PS_S 1000000000000ull

/* Indexed by enum fw_type. Linux arch/ia64/kernel/mca.c: CMC_HISTORY_LENGTH
 * and CPE_HISTORY_LENGTH 5, the window HZ (one second), CMC_POLL_INTERVAL
 * 1 min, MIN_CPE_POLL_INTERVAL 2 min, MAX_CPE_POLL_INTERVAL 15 min. */
static const struct ff_throttle_row rows[FW_TYPE__COUNT] = {
    [FW_TYPE_CMC] = {"CMC", 5, PS_S, 60 * PS_S, 60 * PS_S, false},
    [FW_TYPE_CPE] = {"CPE", 5, PS_S, 120 * PS_S, 900 * PS_S, true},
    /* GHES: never throttled here (its notification is one per block write,
     * and the block takes no new error until acknowledged) */
    [FW_TYPE_GHES] = {"GHES", 0, 0, 0, 0, false},
};

const struct ff_throttle_row *ff_throttle_row(unsigned type)
{
    return type < FW_TYPE__COUNT ? &rows[type] : NULL;
}

void ff_throttle_init(struct ff_throttle *t, unsigned type, bool has_irq)
{
    *t = (struct ff_throttle){.row = ff_throttle_row(type), .has_irq = has_irq};
    t->poll_ps = t->row->poll_min_ps;
    t->polling = !has_irq;
}

static unsigned recent(const struct ff_throttle *t, uint64_t now_ps)
{
    unsigned n = 0;
    for (unsigned i = 0; i < t->nhist; i++)
        n += now_ps - t->hist[i] <= t->row->window_ps;
    return n;
}

void ff_throttle_rebase(struct ff_throttle *t, uint64_t d_ps, uint64_t now_ps)
{
    for (unsigned i = 0; i < t->nhist; i++)
        t->hist[i] = ps_rebase(t->hist[i], d_ps, now_ps);
}

enum ff_verdict ff_throttle_interrupt(struct ff_throttle *t, uint64_t now_ps)
{
    if (!t->row->history)
        return FF_TAKE;
    if (1 + recent(t, now_ps) >= t->row->history) {
        t->polling = true;
        t->poll_ps = t->row->poll_min_ps;
        t->storms++;
        return FF_TO_POLLING; /* the storm's interrupt is not kept (Linux) */
    }
    unsigned keep = t->row->history < FF_HISTORY_MAX ? t->row->history : FF_HISTORY_MAX;
    t->hist[t->idx] = now_ps;
    t->idx = (t->idx + 1) % keep;
    if (t->nhist < keep)
        t->nhist++;
    return FF_TAKE;
}

enum ff_verdict ff_throttle_poll_done(struct ff_throttle *t, bool found)
{
    t->polls++;
    if (found) {
        if (t->row->halve_on_found && t->poll_ps / 2 >= t->row->poll_min_ps)
            t->poll_ps /= 2;
        else if (t->row->halve_on_found)
            t->poll_ps = t->row->poll_min_ps;
        return FF_POLL_AGAIN;
    }
    if (!t->has_irq) {
        t->poll_ps = t->poll_ps * 2 < t->row->poll_max_ps ? t->poll_ps * 2 : t->row->poll_max_ps;
        return FF_POLL_AGAIN;
    }
    t->polling = false;
    t->poll_ps = t->row->poll_min_ps;
    t->returns++;
    return FF_TO_INTERRUPT;
}
