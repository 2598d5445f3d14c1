/*
 * campaign.h - a fleet reliability campaign file (docs/CAMPAIGNS.md): a
 * fleet of hosts, each host a scenario file (its shape: CPUs, DRAM, FIT
 * rates, workload) run as one host-year, repeated `count` times with one
 * seed per host; the recovery policies to compare, each run over the whole
 * fleet; the outcomes tabulated per policy.
 *
 * Jobs: job j = policy j / hosts, host j % hosts. Host h of the fleet is
 * the h-th of the shapes' counts in file order. Its seed depends on the
 * campaign seed and h only (campaign_host_seed), never on the policy or
 * the shard, so every policy meets the same faults and any host can be
 * re-run alone, bit for bit.
 */
#ifndef SIM_SCENARIO_CAMPAIGN_H
#define SIM_SCENARIO_CAMPAIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/public/hv_policy.h"
#include "sim/scenario/scenario.h"

#define CAMPAIGN_MAX_SHAPES 16u
#define CAMPAIGN_MAX_POLICIES 16u
#define CAMPAIGN_MAX_HOSTS 10000000u

/* A FIT table the campaign file sets (`field_rates:`, docs/CAMPAIGNS.md):
 * it replaces the table of every host of a scenario that draws field-rate
 * faults (dram.field_rates); span and scale stay the scenario's. */
struct campaign_fit {
    bool set;
    struct field_rates rates;
    struct scn_loc loc;         /* of the field_rates value, for errors */
};

struct campaign_shape {
    char scenario[512];         /* as written, relative to the campaign file */
    char path[1024];            /* resolved */
    uint64_t count;
    struct campaign_fit fit;    /* this entry's table (else the campaign's) */
};

/* What a policy changes in every host's scenario (unset: the scenario's). */
struct campaign_policy {
    char name[SCN_NAME_LEN];
    bool has_storm, has_threshold, has_decider;
    enum hv_storm_policy storm;
    unsigned cmci_threshold;
    enum hv_decider decider;
};

struct campaign {
    char path[512];
    char name[SCN_NAME_LEN];
    char description[1024];
    uint64_t seed;
    rtime_t duration_ps;        /* 0: each scenario's own duration; over
                                 * 1000 h (a cut of a year's fleet) only
                                 * with skip_quiet */
    double years_per_host;      /* host-years one run of a host stands for (default 1; > 0) */
    uint64_t max_wall_ps;       /* per host run; 0: no limit */
    uint64_t max_memory;        /* resident bytes per host run; 0: no limit */
    bool skip_quiet;            /* every host-run with skip_quiet (docs/PERFORMANCE.md) */
    bool fold_rounds;           /* every host-run folds repeated rounds (docs/PERFORMANCE.md) */
    struct campaign_shape shape[CAMPAIGN_MAX_SHAPES];
    unsigned nshapes;
    struct campaign_policy policy[CAMPAIGN_MAX_POLICIES];
    unsigned npolicies;
    struct campaign_fit fit;    /* every entry's table, unless it has its own */
    uint64_t hosts;             /* sum of the counts */
    uint64_t digest;            /* FNV-1a of the file's bytes (then of the FIT tables
                                   it sets, if any): partials name it */
};

/* 0, or -1 with *err filled (file:line:col, message, hint). */
int campaign_load(const char *path, struct campaign *c, struct scn_error *err);

/* The seed of host h: SplitMix64 of the campaign seed and h. */
uint64_t campaign_host_seed(uint64_t campaign_seed, uint64_t host);
/* The shape host h has. */
unsigned campaign_shape_of(const struct campaign *c, uint64_t host);
/* Apply policy p to a host's scenario (and the campaign's duration). */
void campaign_apply(const struct campaign *c, unsigned policy, struct scenario *s);
/* The FIT table of fleet entry `shape`: its own, else the campaign's, else
 * NULL (each host scenario keeps its own). */
const struct campaign_fit *campaign_fit_of(const struct campaign *c, unsigned shape);
/* Give that table to every host of s (the entry's scenario, loaded) that
 * draws field-rate faults. 0; -1 with *err (at the table in the campaign
 * file) when none of its hosts does: the table would change nothing. */
int campaign_apply_fit(const struct campaign *c, unsigned shape, struct scenario *s, struct scn_error *err);

#endif
