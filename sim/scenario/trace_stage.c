/* trace_stage.c - stage names as they appear in traces and expectations. */
#include "sim/scenario/trace_stage.h"

#include <string.h>

static const char *const stage_names[TS__COUNT] = {
    [TS_ERROR_LATCHED] = "error_latched",
    [TS_MC_RAISED] = "mc_raised",
    [TS_CMCI_RAISED] = "cmci_raised",
    [TS_SHUTDOWN] = "shutdown",
    [TS_HANDLER_ENTRY] = "handler_entry",
    [TS_RENDEZVOUS_IN] = "rendezvous_in",
    [TS_RENDEZVOUS_OUT] = "rendezvous_out",
    [TS_BANK_LOGOUT] = "bank_logout",
    [TS_SEVERITY] = "severity_decided",
    [TS_TELEM_COMMIT] = "telemetry_committed",
    [TS_TELEM_DROP] = "telemetry_dropped",
    [TS_ACTION_DONE] = "action_done",
    [TS_MCIP_CLEARED] = "mcip_cleared",
    [TS_HANDLER_EXIT] = "handler_exit",
    [TS_SOFTIRQ_ENTRY] = "softirq_entry",
    [TS_SOFTIRQ_DONE] = "softirq_done",
    [TS_VIRQ_DOM0] = "virq_dom0",
    [TS_CMCI_ENTRY] = "cmci_entry",
    [TS_POLL] = "poll",
    [TS_FETCH] = "dom0_fetch",
    [TS_ACK] = "dom0_ack",
    [TS_PAGE_OFFLINE] = "page_offline",
    [TS_VMCE_INJECT] = "vmce_injected",
    [TS_DOMAIN_CRASH] = "domain_crashed",
    [TS_DOM0_DECISION] = "dom0_decision",
    [TS_STORM_BEGIN] = "cmci_storm_begin",
    [TS_STORM_END] = "cmci_storm_end",
    [TS_DOM0_DECODED] = "dom0_decoded",
    [TS_GUEST_MCE_ENTRY] = "guest_handler_entry",
    [TS_GUEST_MCE_EXIT] = "guest_handler_exit",
    [TS_PROCESS_KILLED] = "process_killed",
    [TS_PAGE_RETIRED] = "page_retired",
    [TS_GUEST_PANIC] = "guest_panic",
    [TS_GUEST_ACCESS] = "guest_access",
    [TS_DRAM_FAULT] = "dram_fault",
    [TS_SCRUB_FOUND] = "scrub_found",
    [TS_SDC] = "silent_corruption",
    [TS_MEM_ACCESS] = "mem_access",
    [TS_HOST_STOP] = "host_stop",
    [TS_MIG_START] = "migration_start",
    [TS_MIG_PAUSED] = "migration_paused",
    [TS_MIG_END] = "migration_end",
};

const char *trace_stage_name(enum trace_stage s)
{
    return (unsigned)s < TS__COUNT ? stage_names[s] : "unknown";
}

enum trace_stage trace_stage_from_name(const char *name)
{
    for (unsigned i = 0; i < TS__COUNT; i++)
        if (stage_names[i] && strcmp(name, stage_names[i]) == 0)
            return (enum trace_stage)i;
    return TS__COUNT;
}

enum trace_stage trace_stage_from_hv(enum hv_stage s)
{
    return (enum trace_stage)(TS_HV_FIRST + (unsigned)s);
}
