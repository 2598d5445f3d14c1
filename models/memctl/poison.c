/*
 * poison.c - sparse poisoned-line set (see poison.h). Keys are line
 * indices (address >> 6), so any byte address of a line names it.
 */
#include "models/memctl/poison.h"

#include <stdlib.h>

#include "models/memctl/addr_map.h"

void poison_init(struct poison_set *p)
{
    u64map_init(&p->lines);
}

void poison_free(struct poison_set *p)
{
    u64map_free(&p->lines);
}

int poison_mark(struct poison_set *p, uint64_t paddr, uint64_t now_ps)
{
    uint64_t line = paddr >> MEM_LINE_SHIFT;
    if (u64map_find(&p->lines, line))
        return 0;
    return u64map_put(&p->lines, line, now_ps);
}

bool poison_clear(struct poison_set *p, uint64_t paddr)
{
    return u64map_remove(&p->lines, paddr >> MEM_LINE_SHIFT);
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

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

size_t poison_list(const struct poison_set *p, uint64_t *addrs, size_t max)
{
    /* Take the smallest `max` in order: collect all, sort, cut. */
    size_t total = poison_count(p);
    if (total == 0 || max == 0)
        return 0;
    uint64_t *all = malloc(total * sizeof(*all));
    if (!all)
        return 0;
    size_t pos = 0, n = 0;
    uint64_t line;
    while (u64map_iter(&p->lines, &pos, &line, NULL))
        all[n++] = line << MEM_LINE_SHIFT;
    qsort(all, n, sizeof(*all), cmp_u64);
    size_t k = n < max ? n : max;
    for (size_t i = 0; i < k; i++)
        addrs[i] = all[i];
    free(all);
    return k;
}
