/*
 * u64map.c - open-addressing hash map with backward-shift deletion.
 * See u64map.h for the why; invariants: cap is 0 or a power of two,
 * count <= cap / 2, and every stored key sits in the probe run that starts
 * at its home slot with no empty slot in between.
 */
#include "models/memctl/u64map.h"

#include <stdlib.h>

#include "models/memctl/mem_rng.h"

#define MIN_CAP 16u

void u64map_init(struct u64map *m)
{
    m->keys = NULL;
    m->vals = NULL;
    m->cap = 0;
    m->count = 0;
}

void u64map_free(struct u64map *m)
{
    free(m->keys);
    free(m->vals);
    u64map_init(m);
}

static size_t home(const struct u64map *m, uint64_t key)
{
    return (size_t)(mem_mix64(key) & (m->cap - 1));
}

static size_t slot_of(const struct u64map *m, uint64_t key)
{
    size_t i = home(m, key);
    while (m->keys[i] != U64MAP_NO_KEY && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

uint64_t *u64map_find(const struct u64map *m, uint64_t key)
{
    if (m->cap == 0 || key == U64MAP_NO_KEY)
        return NULL;
    size_t i = slot_of(m, key);
    return m->keys[i] == key ? &m->vals[i] : NULL;
}

static int grow(struct u64map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : MIN_CAP;
    uint64_t *nk = malloc(ncap * sizeof(*nk));
    uint64_t *nv = malloc(ncap * sizeof(*nv));
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    for (size_t i = 0; i < ncap; i++)
        nk[i] = U64MAP_NO_KEY;
    struct u64map old = *m;
    m->keys = nk;
    m->vals = nv;
    m->cap = ncap;
    /* Reinsert in old slot order: deterministic, as everything else. */
    for (size_t i = 0; i < old.cap; i++) {
        if (old.keys[i] == U64MAP_NO_KEY)
            continue;
        size_t j = slot_of(m, old.keys[i]);
        m->keys[j] = old.keys[i];
        m->vals[j] = old.vals[i];
    }
    free(old.keys);
    free(old.vals);
    return 0;
}

int u64map_put(struct u64map *m, uint64_t key, uint64_t val)
{
    if (key == U64MAP_NO_KEY)
        return -1;
    if ((m->count + 1) * 2 > m->cap && grow(m) != 0)
        return -1;
    size_t i = slot_of(m, key);
    if (m->keys[i] != key) {
        m->keys[i] = key;
        m->count++;
    }
    m->vals[i] = val;
    return 0;
}

/* Is slot j's home cyclically in (hole, j]? Then it may not move to hole. */
static bool stays(size_t hole, size_t h, size_t j)
{
    if (hole <= j)
        return hole < h && h <= j;
    return hole < h || h <= j;
}

bool u64map_remove(struct u64map *m, uint64_t key)
{
    if (m->cap == 0 || key == U64MAP_NO_KEY)
        return false;
    size_t hole = slot_of(m, key);
    if (m->keys[hole] != key)
        return false;
    /* Backward shift: pull later members of the run into the hole so that
     * no lookup ever stops early at an empty slot. */
    size_t j = hole;
    for (;;) {
        j = (j + 1) & (m->cap - 1);
        if (m->keys[j] == U64MAP_NO_KEY)
            break;
        if (stays(hole, home(m, m->keys[j]), j))
            continue;
        m->keys[hole] = m->keys[j];
        m->vals[hole] = m->vals[j];
        hole = j;
    }
    m->keys[hole] = U64MAP_NO_KEY;
    m->count--;
    return true;
}

bool u64map_iter(const struct u64map *m, size_t *pos, uint64_t *key, uint64_t *val)
{
    for (; *pos < m->cap; (*pos)++) {
        if (m->keys[*pos] == U64MAP_NO_KEY)
            continue;
        if (key)
            *key = m->keys[*pos];
        if (val)
            *val = m->vals[*pos];
        (*pos)++;
        return true;
    }
    return false;
}
