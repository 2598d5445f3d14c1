/*
 * workload.c - the access stream of workload.h. The generator is
 * splitmix64 (a 64-bit counter through a fixed mixing function), seeded by
 * an FNV-1a hash of the component path mixed with the scenario seed:
 * small, fast, and the same on every machine.
 */
#include "workload.h"

#include <string.h>

static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001B3ull;
    }
    return h;
}

int workload_init(struct workload *w, const struct workload_config *c, uint64_t seed, const char *path)
{
    memset(w, 0, sizeof(*w));
    if (!c->rate_hz || c->working_set < 64 || c->write_pct > 100 || c->user_pct > 100)
        return -1;
    w->cfg = *c;
    w->state = seed ^ fnv1a(path);
    return 0;
}

uint64_t workload_interval_ps(const struct workload *w)
{
    uint64_t i = 1000000000000ull / w->cfg.rate_hz;
    return i ? i : 1;
}

void workload_next(struct workload *w, struct workload_access *a)
{
    uint64_t lines = w->cfg.working_set / 64;
    a->gaddr = (mix(&w->state) % lines) * 64;
    a->write = mix(&w->state) % 100 < w->cfg.write_pct;
    a->user = mix(&w->state) % 100 < w->cfg.user_pct;
    w->issued++;
}
