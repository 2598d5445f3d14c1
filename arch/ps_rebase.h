/*
 * ps_rebase.h - the arithmetic of the epoch rebase (docs/TIME.md): a quiet
 * host is moved D ps back, so every absolute time a part holds becomes
 * t - D while SystemC's clock stays where it is.
 *
 * A time still in the future stays exact. A past one may fall below 0: it
 * is kept modulo 2^64 (C's unsigned arithmetic), so `now - t` is still the
 * true time elapsed since it, and the parts compare times through ps_after
 * (a signed difference) instead of `<`. Repeated rebases would let that
 * age outgrow 64 bits, so a past time older than PS_REBASE_AGE_MAX (2^62
 * ps, 53 days) is pinned at that age: every window, period and timeout the
 * simulator compares an age with is at most 1000 h (3.6e18 ps, the
 * loader's bound), below it, so pinning changes no outcome (a part whose
 * pinned times could be compared with each other says so and refuses).
 * While no rebase happens every time is below 2^62 and ps_after is `>`.
 */
#ifndef ARCH_PS_REBASE_H
#define ARCH_PS_REBASE_H

#include <stdbool.h>
#include <stdint.h>

#define PS_REBASE_AGE_MAX (1ull << 62)
/* The largest D one rebase takes (so ages stay below 2^63). */
#define PS_REBASE_D_MAX (1ull << 61)

/* a is later than b (both times of one stretch, or ages below 2^63). */
static inline bool ps_after(uint64_t a, uint64_t b)
{
    return (int64_t)(a - b) > 0;
}

/* a is at or before b, for two times a part holds (never "no limit"
 * values of 2^63 and over): as signed values, which every such time is
 * within 2^63 of 0 as. Unlike ps_after's difference it holds for a time a
 * rebase pinned at PS_REBASE_AGE_MAX before its now and a time over 2^62
 * ps after that now (the clock runs on between rebases; docs/TIME.md). */
static inline bool ps_at_or_before(uint64_t a, uint64_t b)
{
    return (int64_t)a <= (int64_t)b;
}
/* A planned time t has come by until: t at or before until. until is a
 * SystemC time (below 2^63), against which t may be a time a rebase moved
 * below 0 (a visit owed from before the move: ps_after's order), or 2^63
 * and over for no limit (plain order). UINT64_MAX as t: never. */
static inline bool ps_due(uint64_t t, uint64_t until)
{
    if (t == UINT64_MAX)
        return false;
    return until >= (1ull << 63) ? t <= until : !ps_after(t, until);
}

/* t moved d earlier, seen at now: exact, but a past time's age pinned at
 * PS_REBASE_AGE_MAX. Past or future as signed times: a time pinned at an
 * earlier rebase lies over 2^63 ps before now when the clock ran on past
 * 2^62 ps since, and must be pinned again, not kept as the future. */
static inline uint64_t ps_rebase(uint64_t t, uint64_t d, uint64_t now)
{
    uint64_t moved = t - d;
    if (!ps_at_or_before(moved, now) || now - moved <= PS_REBASE_AGE_MAX)
        return moved;
    return now - PS_REBASE_AGE_MAX;
}

/* Whether ps_rebase(t, d, now) pins t (it is not then t - d). */
static inline bool ps_rebase_pins(uint64_t t, uint64_t d, uint64_t now)
{
    return ps_rebase(t, d, now) != t - d;
}

#endif
