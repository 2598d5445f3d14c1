/*
 * mem_rng.c - SplitMix64 streams keyed by (seed, component path), and the
 * few distributions the fault generator needs, without libm so results do
 * not depend on the host's math library (see mem_rng.h).
 */
#include "models/memctl/mem_rng.h"

#include <stddef.h>

#define GOLDEN_GAMMA 0x9E3779B97F4A7C15ull /* odd Weyl increment of SplitMix64 */
#define FNV_OFFSET 0xCBF29CE484222325ull
#define FNV_PRIME 0x100000001B3ull
#define LN2 0.693147180559945309417232121458

uint64_t mem_mix64(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = FNV_OFFSET;
    for (; s && *s; s++) {
        h ^= (uint8_t)*s;
        h *= FNV_PRIME;
    }
    return h;
}

void mem_rng_init(struct mem_rng *r, uint64_t seed, const char *path)
{
    /* Mixing twice keeps (seed, path) and (seed', path') with
     * seed ^ hash == seed' ^ hash' from colliding in practice. */
    r->state = mem_mix64(mem_mix64(seed) ^ fnv1a(path));
}

uint64_t mem_rng_next(struct mem_rng *r)
{
    r->state += GOLDEN_GAMMA;
    return mem_mix64(r->state);
}

uint64_t mem_rng_below(struct mem_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    /* Reject the top partial block so every residue is equally likely. */
    uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
    uint64_t x;
    do {
        x = mem_rng_next(r);
    } while (x >= limit);
    return x % n;
}

double mem_rng_unit(struct mem_rng *r)
{
    return (double)(mem_rng_next(r) >> 11) * (1.0 / 9007199254740992.0); /* 2^-53 */
}

double mem_ln(double x)
{
    if (!(x > 0.0))
        return -1.0e308; /* callers never pass this; a finite sentinel */
    /* x = m * 2^e with m in [1/sqrt2, sqrt2): scaling by 2 is exact. */
    int e = 0;
    while (x >= 1.4142135623730951) {
        x *= 0.5;
        e++;
    }
    while (x < 0.7071067811865476) {
        x *= 2.0;
        e--;
    }
    /* ln m = 2 atanh(z), z = (m-1)/(m+1), |z| < 0.172: 12 terms reach
     * z^25/25 < 1e-20, below double precision. */
    double z = (x - 1.0) / (x + 1.0);
    double z2 = z * z;
    double term = z;
    double sum = 0.0;
    for (int k = 1; k <= 25; k += 2) {
        sum += term / (double)k;
        term *= z2;
    }
    return 2.0 * sum + (double)e * LN2;
}

double mem_rng_exp1(struct mem_rng *r)
{
    /* 1 - U lies in (0, 1], so the logarithm is finite. */
    return -mem_ln(1.0 - mem_rng_unit(r));
}
