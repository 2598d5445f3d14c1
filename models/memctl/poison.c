/*
 * poison.c - sparse poisoned-line set (see poison.h). Keys are line
 * indices (address >> 6), so any byte address of a line names it.
 */
#include "models/memctl/poison.h"

#include <stdlib.h>
#include <string.h>

#include "models/memctl/addr_map.h"

void poison_init(struct poison_set *p)
{
    u64map_init(&p->lines);
    p->order = NULL;
    p->n = p->cap = 0;
}

void poison_free(struct poison_set *p)
{
    u64map_free(&p->lines);
    free(p->order);
    p->order = NULL;
    p->n = p->cap = 0;
}

int poison_mark(struct poison_set *p, uint64_t paddr, uint64_t now_ps)
{
    uint64_t line = paddr >> MEM_LINE_SHIFT;
    if (u64map_find(&p->lines, line))
        return 0;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        uint64_t *o = realloc(p->order, cap * sizeof(*o));
        if (!o)
            return -1;
        p->order = o;
        p->cap = cap;
    }
    if (u64map_put(&p->lines, line, now_ps) != 0)
        return -1;
    size_t at = p->n && p->order[p->n - 1] < line ? p->n : u64_lower_bound(p->order, p->n, line);
    memmove(&p->order[at + 1], &p->order[at], (p->n - at) * sizeof(*p->order));
    p->order[at] = line;
    p->n++;
    return 0;
}

bool poison_clear(struct poison_set *p, uint64_t paddr)
{
    uint64_t line = paddr >> MEM_LINE_SHIFT;
    if (!u64map_remove(&p->lines, line))
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
    return u64map_find(&p->lines, paddr >> MEM_LINE_SHIFT) != NULL;
}

bool poison_time(const struct poison_set *p, uint64_t paddr, uint64_t *when_ps)
{
    uint64_t *v = u64map_find(&p->lines, paddr >> MEM_LINE_SHIFT);
    if (v && when_ps)
        *when_ps = *v;
    return v != NULL;
}

size_t poison_list(const struct poison_set *p, uint64_t *addrs, size_t max)
{
    size_t k = p->n < max ? p->n : max;
    for (size_t i = 0; i < k; i++)
        addrs[i] = p->order[i] << MEM_LINE_SHIFT;
    return k;
}
