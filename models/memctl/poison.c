/*
 * poison.c - sparse poisoned-line set (see poison.h). Keys are line
 * indices (address >> 6), so any byte address of a line names it.
 */
#include "models/memctl/poison.h"

#include <stdlib.h>
#include <string.h>

#include "arch/ps_rebase.h"
#include "models/memctl/addr_map.h"

void poison_init(struct poison_set *p)
{
    u64map_init(&p->lines);
    u64map_init(&p->pinned);
    p->order = NULL;
    p->n = p->cap = 0;
    p->base = p->oldest = p->pin_time = 0;
}

void poison_free(struct poison_set *p)
{
    u64map_free(&p->lines);
    u64map_free(&p->pinned);
    free(p->order);
    p->order = NULL;
    p->n = p->cap = 0;
}

static bool has_line(const struct poison_set *p, uint64_t line)
{
    return u64map_find(&p->lines, line) || (u64map_count(&p->pinned) && u64map_find(&p->pinned, line));
}

int poison_mark(struct poison_set *p, uint64_t paddr, uint64_t now_ps)
{
    uint64_t line = paddr >> MEM_LINE_SHIFT;
    if (has_line(p, line))
        return 0;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        uint64_t *o = realloc(p->order, cap * sizeof(*o));
        if (!o)
            return -1;
        p->order = o;
        p->cap = cap;
    }
    if (u64map_put(&p->lines, line, now_ps + p->base) != 0)
        return -1;
    /* as signed times (ps_at_or_before): a pinned one may be over 2^63 ps
     * before now, where a difference would wrap */
    if (u64map_count(&p->lines) == 1 || !ps_at_or_before(p->oldest, now_ps))
        p->oldest = now_ps;
    size_t at = p->n && p->order[p->n - 1] < line ? p->n : u64_lower_bound(p->order, p->n, line);
    memmove(&p->order[at + 1], &p->order[at], (p->n - at) * sizeof(*p->order));
    p->order[at] = line;
    p->n++;
    return 0;
}

bool poison_clear(struct poison_set *p, uint64_t paddr)
{
    uint64_t line = paddr >> MEM_LINE_SHIFT;
    if (!u64map_remove(&p->lines, line) && !(u64map_count(&p->pinned) && u64map_remove(&p->pinned, line)))
        return false;
    size_t at = u64_lower_bound(p->order, p->n, line);
    if (at < p->n && p->order[at] == line) {
        memmove(&p->order[at], &p->order[at + 1], (p->n - at - 1) * sizeof(*p->order));
        p->n--;
    }
    return true;
}

uint64_t poison_next_line(const struct poison_set *p, uint64_t from)
{
    size_t at = u64_lower_bound(p->order, p->n, from);
    return at < p->n ? p->order[at] : UINT64_MAX;
}

bool poison_test(const struct poison_set *p, uint64_t paddr)
{
    return has_line(p, paddr >> MEM_LINE_SHIFT);
}

bool poison_time(const struct poison_set *p, uint64_t paddr, uint64_t *when_ps)
{
    uint64_t line = paddr >> MEM_LINE_SHIFT;
    const uint64_t *v = u64map_find(&p->lines, line);
    if (v) {
        if (when_ps)
            *when_ps = *v - p->base;
        return true;
    }
    if (!u64map_count(&p->pinned) || !u64map_find(&p->pinned, line))
        return false;
    if (when_ps)
        *when_ps = p->pin_time;
    return true;
}

void poison_rebase(struct poison_set *p, uint64_t d_ps, uint64_t now_ps)
{
    /* the pinned marks share one time: pinned again, or moved, alike */
    if (u64map_count(&p->pinned))
        p->pin_time = ps_rebase(p->pin_time, d_ps, now_ps);
    if (u64map_count(&p->lines) == 0)
        return;
    /* The times keep their (signed) order as they all move by d, and
     * ps_rebase pins none later than an unpinned one: the oldest tells. */
    if (!ps_rebase_pins(p->oldest, d_ps, now_ps)) {
        p->base += d_ps;
        p->oldest -= d_ps;
        return;
    }
    /* Some are pinned: every time rewritten, the pinned ones moved to the
     * pinned marks when their time is the one those have (it always is:
     * ps_rebase pins a pinned time again), else kept at it */
    const uint64_t pin = now_ps - PS_REBASE_AGE_MAX;
    const bool join = !u64map_count(&p->pinned) || p->pin_time == pin;
    bool first = true;
    for (size_t i = 0; i < p->n; i++) {
        uint64_t *t = u64map_find(&p->lines, p->order[i]);
        if (!t)
            continue; /* a pinned one */
        uint64_t was = *t - p->base;
        *t = ps_rebase(was, d_ps, now_ps);
        if (join && *t != was - d_ps && u64map_put(&p->pinned, p->order[i], 0) == 0) {
            (void)u64map_remove(&p->lines, p->order[i]);
            p->pin_time = pin;
            continue;
        }
        if (first || !ps_at_or_before(p->oldest, *t))
            p->oldest = *t;
        first = false;
    }
    p->base = 0;
}

size_t poison_list(const struct poison_set *p, uint64_t *addrs, size_t max)
{
    size_t k = p->n < max ? p->n : max;
    for (size_t i = 0; i < k; i++)
        addrs[i] = p->order[i] << MEM_LINE_SHIFT;
    return k;
}
