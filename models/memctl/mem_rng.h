/*
 * mem_rng.h - the memory model's pseudo-random streams.
 *
 * DESIGN.md asks for PRNG streams derived from (scenario seed, component
 * path), so that adding a component never shifts another component's
 * stream. A stream here is a SplitMix64 sequence (Steele, Lea and Flood,
 * "Fast splittable pseudorandom number generators", OOPSLA 2014: a Weyl
 * sequence passed through a 64-bit finaliser), started from a state that
 * mixes the seed with a 64-bit FNV-1a hash of the path string. Two paths
 * that differ in any byte give unrelated streams; the same (seed, path)
 * gives the same stream on every machine.
 *
 * Only integer arithmetic and IEEE-754 +,-,*,/ are used (no libm), so the
 * doubles drawn below are bit-identical everywhere C11 floating point is
 * IEEE-754 with contraction off (the default of -std=c11).
 *
 * Invariant: a struct mem_rng is plain state; copying it forks the stream.
 */
#ifndef MODELS_MEMCTL_MEM_RNG_H
#define MODELS_MEMCTL_MEM_RNG_H

#include <stdint.h>

struct mem_rng {
    uint64_t state;
};

/* Start the stream of component `path` (e.g. "host0/memctl0/faults") under
 * scenario seed `seed`. path may be NULL (same as ""). */
void mem_rng_init(struct mem_rng *r, uint64_t seed, const char *path);

/* Next 64 random bits. */
uint64_t mem_rng_next(struct mem_rng *r);

/* Uniform integer in [0, n); n == 0 returns 0. Unbiased (rejection). */
uint64_t mem_rng_below(struct mem_rng *r, uint64_t n);

/* Uniform double in [0, 1) with 53 random bits. */
double mem_rng_unit(struct mem_rng *r);

/* Exponential variate with mean 1 (-ln U for U in (0, 1]). */
double mem_rng_exp1(struct mem_rng *r);

/* Natural logarithm of x > 0 built from exact scaling and an atanh series;
 * exposed for the tests (accuracy ~1e-15 relative). */
double mem_ln(double x);

/* The 64-bit finaliser of SplitMix64; also a good hash of a 64-bit key. */
uint64_t mem_mix64(uint64_t x);

#endif
