/*
 * trace_stage.h - the names of every stage an error goes through, as they
 * appear in traces, results and latency expectations (DESIGN.md "Latency").
 *
 * Stages come from three places: the hardware models (error latched, #MC
 * or CMCI raised), the hv core (hv_platform.h enum hv_stage, mapped 1:1 by
 * trace_stage_from_hv) and the guests (dom0 fetch/ack, decoded).
 */
#ifndef SIM_TRACE_STAGE_H
#define SIM_TRACE_STAGE_H

#include "hv/hv_platform.h"

enum trace_stage {
    /* hardware */
    TS_ERROR_LATCHED = 0,
    TS_MC_RAISED,
    TS_CMCI_RAISED,
    TS_SHUTDOWN,
    /* hypervisor: same order as enum hv_stage */
    TS_HV_FIRST,
    TS_HANDLER_ENTRY = TS_HV_FIRST,
    TS_RENDEZVOUS_IN,
    TS_RENDEZVOUS_OUT,
    TS_BANK_LOGOUT,
    TS_SEVERITY,
    TS_TELEM_COMMIT,
    TS_TELEM_DROP,
    TS_ACTION_DONE,
    TS_MCIP_CLEARED,
    TS_HANDLER_EXIT,
    TS_SOFTIRQ_ENTRY,
    TS_SOFTIRQ_DONE,
    TS_VIRQ_DOM0,
    TS_CMCI_ENTRY,
    TS_POLL,
    TS_FETCH,
    TS_ACK,
    TS_PAGE_OFFLINE,
    TS_VMCE_INJECT,
    TS_DOMAIN_CRASH,
    TS_DOM0_DECISION,
    TS_STORM_BEGIN,
    TS_STORM_END,
    /* guests */
    TS_DOM0_DECODED,
    TS_GUEST_MCE_ENTRY,
    TS_GUEST_MCE_EXIT,
    TS_PROCESS_KILLED,
    TS_PAGE_RETIRED,
    TS_GUEST_PANIC,
    TS_GUEST_ACCESS,
    /* memory model */
    TS_DRAM_FAULT,
    TS_SCRUB_FOUND,
    TS_SDC,
    TS_MEM_ACCESS,
    TS_HOST_STOP,
    TS_MIG_START,       /* a live migration began               */
    TS_MIG_PAUSED,      /* ... paused the guest (last iteration) */
    TS_MIG_END,         /* ... ended (detail: the outcome)        */
    TS__COUNT
};

const char *trace_stage_name(enum trace_stage s);
/* TS__COUNT when unknown. */
enum trace_stage trace_stage_from_name(const char *name);
enum trace_stage trace_stage_from_hv(enum hv_stage s);

#ifndef __cplusplus
_Static_assert(TS_STORM_END - TS_HV_FIRST == HV_STAGE_STORM_END && HV_STAGE_STORM_END + 1 == HV_STAGE__COUNT,
               "trace stages must mirror enum hv_stage");
#endif

#endif
