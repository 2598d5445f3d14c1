/*
 * wake_set.c - the planned wake of wake_set.h on a few timers.
 */
#include "models/memctl/wake_set.h"

void wake_set_init(struct wake_set *w)
{
    for (unsigned i = 0; i < WAKE_SET_SLOTS; i++)
        w->at[i] = WAKE_NEVER;
}

void wake_set_fired(struct wake_set *w, uint64_t now)
{
    for (unsigned i = 0; i < WAKE_SET_SLOTS; i++)
        if (w->at[i] <= now)
            w->at[i] = WAKE_NEVER;
}

struct wake_change wake_set_plan(struct wake_set *w, uint64_t plan)
{
    struct wake_change ch = {0u, -1};
    int held = -1, free_slot = -1, latest = -1;
    for (unsigned i = 0; i < WAKE_SET_SLOTS; i++) {
        if (w->at[i] < plan) { /* would wake the thread before its plan */
            ch.cancel_mask |= 1u << i;
            w->at[i] = WAKE_NEVER;
        }
        if (w->at[i] == WAKE_NEVER) {
            if (free_slot < 0)
                free_slot = (int)i;
        } else if (w->at[i] == plan) {
            held = (int)i;
        } else if (latest < 0 || w->at[i] > w->at[latest]) {
            latest = (int)i;
        }
    }
    if (plan == WAKE_NEVER || held >= 0)
        return ch;
    if (free_slot < 0) { /* every slot later than the plan: give up the latest */
        free_slot = latest;
        ch.cancel_mask |= 1u << latest;
    }
    ch.arm = free_slot;
    w->at[free_slot] = plan;
    return ch;
}

unsigned wake_set_clear(struct wake_set *w)
{
    unsigned mask = wake_set_armed(w);
    wake_set_init(w);
    return mask;
}

uint64_t wake_set_next(const struct wake_set *w)
{
    uint64_t next = WAKE_NEVER;
    for (unsigned i = 0; i < WAKE_SET_SLOTS; i++)
        if (w->at[i] < next)
            next = w->at[i];
    return next;
}

unsigned wake_set_armed(const struct wake_set *w)
{
    unsigned mask = 0;
    for (unsigned i = 0; i < WAKE_SET_SLOTS; i++)
        if (w->at[i] != WAKE_NEVER)
            mask |= 1u << i;
    return mask;
}

unsigned wake_set_shift(struct wake_set *w, uint64_t d)
{
    unsigned mask = wake_set_armed(w);
    for (unsigned i = 0; i < WAKE_SET_SLOTS; i++)
        if (mask & (1u << i))
            w->at[i] -= d;
    return mask;
}
