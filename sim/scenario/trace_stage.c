/* trace_stage.c - stage names as they appear in traces and expectations. */
#include "sim/scenario/trace_stage.h"

#include <string.h>

static const char *const stage_names[TS__COUNT] = {
    [TS_ERROR_LATCHED] = "error_latched",
    [TS_MC_RAISED] = "mc_raised",
    [TS_CMCI_RAISED] = "cmci_raised",
    [TS_SHUTDOWN] = "shutdown",
#define TS_NAME_FROM_HV(id, name) [TS_##id] = name,
    HV_STAGES(TS_NAME_FROM_HV)
#undef TS_NAME_FROM_HV
    [TS_DOM0_DECODED] = "dom0_decoded",
    [TS_GUEST_MCE_ENTRY] = "guest_handler_entry",
    [TS_GUEST_MCE_EXIT] = "guest_handler_exit",
    [TS_PROCESS_KILLED] = "process_killed",
    [TS_PAGE_RETIRED] = "page_retired",
    [TS_GUEST_PANIC] = "guest_panic",
    [TS_GUEST_ACCESS] = "guest_access",
    [TS_VCPU_OFFLINE] = "vcpu_offline",
    [TS_VCPU_ONLINE] = "vcpu_online",
    [TS_DRAM_FAULT] = "dram_fault",
    [TS_SCRUB_FOUND] = "scrub_found",
    [TS_SDC] = "silent_corruption",
    [TS_MEM_ACCESS] = "mem_access",
    [TS_SPARE_DONE] = "spare_done",
    [TS_HOST_STOP] = "host_stop",
    [TS_MIG_START] = "migration_start",
    [TS_MIG_PAUSED] = "migration_paused",
    [TS_MIG_END] = "migration_end",
    [TS_PROBE] = "probe",
    [TS_FW_LOGGED] = "firmware_logged",
    [TS_ROUND_FOLD] = "round_fold",
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
    return (enum trace_stage)(TS_HANDLER_ENTRY + (unsigned)s);
}
