/*
 * scrub_passive.c - the passive faults of scrub_passive.h: a short list
 * (a host has a few faults), searched linearly.
 */
#include "models/memctl/scrub_passive.h"

#include <stdlib.h>

void scrub_passive_init(struct scrub_passive *p)
{
    p->e = NULL;
    p->n = p->cap = 0;
    p->passed = 0;
}

void scrub_passive_free(struct scrub_passive *p)
{
    free(p->e);
    scrub_passive_init(p);
}

const struct scrub_passive_entry *scrub_passive_find(const struct scrub_passive *p, uint64_t id)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->e[i].id == id)
            return &p->e[i];
    return NULL;
}

int scrub_passive_add(struct scrub_passive *p, uint64_t id, uint64_t pass, uint64_t line)
{
    if (p->n == p->cap) {
        size_t ncap = p->cap ? p->cap * 2 : 4;
        struct scrub_passive_entry *e = realloc(p->e, ncap * sizeof(*e));
        if (!e)
            return -1;
        p->e = e;
        p->cap = ncap;
    }
    p->e[p->n++] = (struct scrub_passive_entry){id, pass, line};
    return 0;
}

/* Entries keep their order (the list's order is the order counted in,
 * which only the totals see, but an order that never depends on a
 * removal's position is simpler to reason about). */
static void remove_at(struct scrub_passive *p, size_t i)
{
    for (size_t j = i + 1; j < p->n; j++)
        p->e[j - 1] = p->e[j];
    p->n--;
}

bool scrub_passive_take(struct scrub_passive *p, uint64_t id, struct scrub_passive_entry *out)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->e[i].id == id) {
            *out = p->e[i];
            remove_at(p, i);
            return true;
        }
    return false;
}

uint64_t scrub_passive_between(const struct fault_footprint *fp, uint64_t lines, uint64_t pa, uint64_t la,
                               uint64_t pb, uint64_t lb)
{
    if (pb < pa || (pb == pa && lb <= la))
        return 0;
    if (pb == pa)
        return footprint_count_lines(fp, la, lb);
    /* the rest of pass pa, the whole passes between, pass pb up to lb */
    return footprint_count_lines(fp, la, lines) + (pb - pa - 1u) * footprint_count_lines(fp, 0, lines) +
           footprint_count_lines(fp, 0, lb);
}

uint64_t scrub_passive_count_to(struct scrub_passive *p, const struct fault_map *fm, uint64_t lines, uint64_t pass,
                                uint64_t line)
{
    uint64_t total = 0;
    for (size_t i = 0; i < p->n;) {
        struct scrub_passive_entry *e = &p->e[i];
        struct fault_footprint fp;
        if (!fault_map_footprint(fm, e->id, &fp)) {
            remove_at(p, i); /* removed from the map: nothing more to count */
            continue;
        }
        if (pass > e->pass || (pass == e->pass && line > e->line)) {
            total += scrub_passive_between(&fp, lines, e->pass, e->line, pass, line);
            e->pass = pass;
            e->line = line;
        }
        i++;
    }
    p->passed += total;
    return total;
}
