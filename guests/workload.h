/*
 * workload.h - what a guest vCPU does to its memory, deterministically: a
 * stream of line accesses at a fixed rate, uniformly over a working set,
 * with a share of writes and a share in user mode. Latent memory errors
 * are then found the way real ones are: by the accesses (or the scrubber).
 * The random stream is derived from (scenario seed, component path), so
 * adding a guest does not change another's stream.
 */
#ifndef GUESTS_WORKLOAD_H
#define GUESTS_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

struct workload_config {
    uint64_t rate_hz;          /* accesses per second */
    uint64_t working_set;      /* bytes, from guest-physical 0 */
    unsigned write_pct;        /* 0..100 */
    unsigned user_pct;         /* 0..100 */
};

struct workload {
    struct workload_config cfg;
    uint64_t state;            /* PRNG state */
    uint64_t issued;
};

struct workload_access {
    uint64_t gaddr;            /* line-aligned guest-physical address */
    bool write, user;
};

/* 0, or -1 when the config cannot produce accesses (rate or set 0). */
int workload_init(struct workload *w, const struct workload_config *c, uint64_t seed, const char *path);
/* Picoseconds between accesses (1 s / rate, at least 1). */
uint64_t workload_interval_ps(const struct workload *w);
void workload_next(struct workload *w, struct workload_access *a);

#endif
