/*
 * hv_stages.h - the stages of error handling the hypervisor reports through
 * hv_platform.trace, with the names traces and expectations give them.
 * One list: enum hv_stage (hv_platform.h) and the simulator's trace stages
 * (sim/scenario/trace_stage.h) are both expanded from it.
 */
#ifndef HV_PUBLIC_HV_STAGES_H
#define HV_PUBLIC_HV_STAGES_H

/* X(ID, "name"), in trace order. */
#define HV_STAGES(X)                                                          \
    X(HANDLER_ENTRY, "handler_entry")                                         \
    X(RENDEZVOUS_IN, "rendezvous_in")                                         \
    X(RENDEZVOUS_OUT, "rendezvous_out")                                       \
    X(BANK_LOGOUT, "bank_logout")                                             \
    X(SEVERITY, "severity_decided")                                           \
    X(TELEM_COMMIT, "telemetry_committed")                                    \
    X(TELEM_DROP, "telemetry_dropped")                                        \
    /* a record nobody will see: Xen's mctelem_dismiss */                     \
    X(TELEM_DISMISS, "telemetry_dismissed")                                   \
    X(ACTION_DONE, "action_done")                                             \
    X(MCIP_CLEARED, "mcip_cleared")                                           \
    X(HANDLER_EXIT, "handler_exit")                                           \
    X(SOFTIRQ_ENTRY, "softirq_entry")                                         \
    X(SOFTIRQ_DONE, "softirq_done")                                           \
    X(VIRQ_DOM0, "virq_dom0")                                                 \
    X(CMCI_ENTRY, "cmci_entry")                                               \
    X(POLL, "poll")                                                           \
    X(FETCH, "dom0_fetch")                                                    \
    X(ACK, "dom0_ack")                                                        \
    X(PAGE_OFFLINE, "page_offline")                                           \
    X(VMCE_INJECT, "vmce_injected")                                           \
    X(DOMAIN_CRASH, "domain_crashed")                                         \
    X(DOM0_DECISION, "dom0_decision")                                         \
    /* a CPU (linux-2.6) or bank (linux-6) entered a CMCI storm, left it */   \
    X(STORM_BEGIN, "cmci_storm_begin")                                        \
    X(STORM_END, "cmci_storm_end")                                            \
    /* a host CPU left cpu_online_map (cpu_down), joined it (cpu_up) */        \
    X(CPU_OFFLINE, "cpu_offline")                                             \
    X(CPU_ONLINE, "cpu_online")                                               \
    /* deferral: nmi: the NMI's handler runs mce_softirq's body; an NMI */    \
    /* taken inside it; a #MC inside an #MC handler that has not returned */  \
    X(NMI_ENTRY, "nmi_entry")                                                 \
    X(NMI_NESTED, "nmi_nested")                                               \
    X(MCE_NESTED, "mce_nested")                                               \
    /* dom0 had the spare rank take over a failing rank (mem_heal.c) */      \
    X(MEM_SPARE, "mem_spare")                                               \
    /* firmware-first (ff.c): an interrupt or GHES notification taken, an */  \
    /* entry injected into dom0, dom0's get and clear done, a type's      */  \
    /* switch to polling and back                                          */  \
    X(FW_SIGNAL, "fw_signal")                                                 \
    X(FW_INJECT, "fw_inject")                                                 \
    X(FW_GET, "fw_get")                                                       \
    X(FW_CLEAR, "fw_clear")                                                   \
    X(FW_POLLING_BEGIN, "fw_polling_begin")                                   \
    X(FW_POLLING_END, "fw_polling_end")                                       \
    /* skip_quiet: empty poll rounds counted, not run (poll_quiet.c) */      \
    X(POLL_SKIP, "poll_skip")

enum hv_stage {
#define HV_STAGE_ENUM(id, name) HV_STAGE_##id,
    HV_STAGES(HV_STAGE_ENUM)
#undef HV_STAGE_ENUM
    HV_STAGE__COUNT
};

#endif
