/*
 * trace_stage.h - the names of every stage an error goes through, as they
 * appear in traces, results and latency expectations (DESIGN.md "Latency").
 *
 * Stages come from three places: the hardware models (error latched, #MC
 * or CMCI raised), the hv core (hv/public/hv_stages.h: one list expands to
 * enum hv_stage and to the TS_ members below, mapped 1:1 by trace_stage_from_hv) and the guests (dom0 fetch/ack, decoded).
 */
#ifndef SIM_TRACE_STAGE_H
#define SIM_TRACE_STAGE_H

#include "hv/public/hv_stages.h"

enum trace_stage {
    /* hardware */
    TS_ERROR_LATCHED = 0,
    TS_MC_RAISED,
    TS_CMCI_RAISED,
    TS_SHUTDOWN,
    /* hypervisor: enum hv_stage, in its order */
#define TS_FROM_HV(id, name) TS_##id,
    HV_STAGES(TS_FROM_HV)
#undef TS_FROM_HV
    /* guests */
    TS_DOM0_DECODED,
    TS_GUEST_MCE_ENTRY,
    TS_GUEST_MCE_EXIT,
    TS_PROCESS_KILLED,
    TS_PAGE_RETIRED,
    TS_GUEST_PANIC,
    TS_GUEST_ACCESS,
    TS_VCPU_OFFLINE,    /* the guest took a vCPU offline        */
    TS_VCPU_ONLINE,     /* ... brought one up                   */
    /* memory model */
    TS_DRAM_FAULT,
    TS_SCRUB_FOUND,
    TS_SDC,
    TS_MEM_ACCESS,
    TS_SPARE_DONE,      /* the spare rank's copy completed         */
    TS_HOST_STOP,
    TS_MIG_START,       /* a live migration began               */
    TS_MIG_PAUSED,      /* ... paused the guest (last iteration) */
    TS_MIG_END,         /* ... ended (detail: the outcome)        */
    TS_PROBE,           /* a probe event's answer (expect.msrs, expect.calls) */
    TS_FW_LOGGED,       /* a firmware-first platform's firmware logged an error */
    TS_ROUND_FOLD,      /* repeated handling rounds counted, not run (host_fold.cpp) */
    TS__COUNT
};

const char *trace_stage_name(enum trace_stage s);
/* TS__COUNT when unknown. */
enum trace_stage trace_stage_from_name(const char *name);
enum trace_stage trace_stage_from_hv(enum hv_stage s);


#endif
