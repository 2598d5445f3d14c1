/*
 * latency.h - where the time of one error goes (DESIGN.md "Latency").
 *
 * The simulator stamps each injected error at the points it passes
 * (err_stage); the stages users read (lat_stage) are differences of those
 * stamps, defined by a table (latency.c). Percentiles are nearest-rank.
 */
#ifndef SIM_LATENCY_H
#define SIM_LATENCY_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/rtime.h"

enum err_stage {
    ES_LATCHED = 0, /* hardware logged it in a bank                   */
    ES_RAISED,      /* #MC or CMCI raised                              */
    ES_ENTRY,       /* software entered: #MC handler, CMCI, or poll    */
    ES_RDV_IN,      /* entry rendezvous, arrival (broadcast #MC only)  */
    ES_RDV_OUT,     /* entry rendezvous, release                       */
    ES_LOGOUT,      /* its bank read out                               */
    ES_GRADED,      /* severity decided, record reserved               */
    ES_MCIP,        /* its CPU cleared MCG_STATUS.MCIP                 */
    ES_COMMITTED,   /* telemetry record committed                      */
    ES_VIRQ,        /* VIRQ_MCA sent to dom0 for it                    */
    ES_FETCHED,     /* dom0 fetched the record                         */
    ES_ACKED,       /* dom0 acked it: end of the line                  */
    ES__COUNT
};

struct err_times {
    rtime_t t[ES__COUNT]; /* real times (arch/rtime.h) */
    uint32_t have; /* bit per err_stage */
};

enum lat_stage {
    LS_SIGNAL = 0,  /* latched -> software entry                       */
    LS_RENDEZVOUS,  /* waiting for the other CPUs                      */
    LS_LOGOUT,      /* rendezvous (or entry) -> its bank read          */
    LS_GRADE,       /* bank read -> severity decided                   */
    LS_VERDICT,     /* severity -> MCIP cleared (monarch verdict)      */
    LS_DEFERRED,    /* MCIP cleared -> committed by the softirq        */
    LS_NOTIFY,      /* committed -> VIRQ to dom0                       */
    LS_DOM0,        /* VIRQ -> dom0 acked the record                   */
    LS_END_TO_END,  /* latched -> acked (or the last stage reached)    */
    LS__COUNT
};

void err_stamp(struct err_times *e, enum err_stage s, rtime_t t_ps);
bool err_has(const struct err_times *e, enum err_stage s);
const char *lat_stage_name(enum lat_stage s);
/* Duration of stage s in ps; false when the error did not go through it. */
bool lat_stage_ps(const struct err_times *e, enum lat_stage s, uint64_t *ps);

/* Nearest-rank percentile (p in 0..100) of n sorted values; 0 when n = 0. */
uint64_t lat_percentile(const uint64_t *sorted, unsigned n, unsigned p);
void lat_sort(uint64_t *v, unsigned n);

#endif
