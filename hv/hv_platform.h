/*
 * hv_platform.h - everything the hosted hypervisor needs from the machine.
 *
 * The hv core never touches hardware state directly: it calls these ops,
 * which the simulator (sim/runtime/host_rt.cpp) implements on top of the SystemC
 * models and a mock implements in the unit tests. Ops that cost time on
 * real hardware (MSR access, spinning, charged computation) advance the
 * calling CPU's simulated clock before they return, so the C code of the
 * handler runs "on" the CPU as it would on hardware.
 */
#ifndef HV_HV_PLATFORM_H
#define HV_HV_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_context.h"
#include "public/hv_stages.h"
#include "public/fw_abi.h"
#include "public/mca_abi.h"

/* Named points where the hv charges computation time. */
enum hv_cost {
    HV_COST_SEVERITY = 0, /* grade one bank                     */
    HV_COST_TELEM,        /* reserve/fill/commit one record     */
    HV_COST_LOCK,         /* take an uncontended lock           */
    HV_COST_SOFTIRQ,      /* softirq dispatch                   */
    HV_COST_HYPERCALL,    /* hypercall entry/exit               */
    HV_COST_COPY_RECORD,  /* copy one record to a guest         */
    HV_COST_PAGE_OP,      /* page state / p2m update            */
    HV_COST_IRET,         /* return from the #MC handler        */
    HV_COST_IPI,          /* an IPI's delivery, on the receiver */
    HV_COST__COUNT
};

/* Stages recorded in the trace (DESIGN.md "Latency"): public/hv_stages.h. */

struct hv_trace_event {
    enum hv_stage stage;
    unsigned cpu;
    int bank;            /* -1 when not about one bank            */
    uint64_t status;     /* MCi_STATUS when about one bank        */
    uint64_t seq;        /* telemetry record seq, 0 when none     */
    const char *detail;  /* short text or NULL; valid during the call */
    /* The record the event is about: set for SEVERITY with a seq and for
     * TELEM_COMMIT, NULL otherwise; valid during the call. */
    const struct mca_record *rec;
};

enum hv_stop_kind { HV_STOP_PANIC = 1, HV_STOP_RESET };

/* What the hv asks of the firmware of a firmware-first platform (fw_call). */
enum fw_op {
    FW_OP_SIZE = 0, /* SAL_GET_STATE_INFO_SIZE: bytes of log per CPU     */
    FW_OP_COUNT,    /* records the CPU's log holds for the type          */
    FW_OP_GET,      /* SAL_GET_STATE_INFO: the oldest record into *rec   */
    FW_OP_CLEAR,    /* SAL_CLEAR_STATE_INFO: free the oldest record      */
};

struct hv_platform {
    void *ctx;
    /* MSR access on `cpu` (always the calling CPU). 0, or -1 for #GP. */
    int (*rdmsr)(void *ctx, unsigned cpu, uint32_t msr, uint64_t *val);
    int (*wrmsr)(void *ctx, unsigned cpu, uint32_t msr, uint64_t val);
    /* Charge n units of a named computation to cpu's clock. */
    void (*charge)(void *ctx, unsigned cpu, enum hv_cost what, unsigned n);
    /* Spin (PAUSE loop) until shared state changes or now >= deadline_ps
     * (UINT64_MAX: no deadline). Equivalent to a cpu_relax() loop that
     * re-reads the shared variable each step; see docs/ARCHITECTURE.md. */
    void (*spin_wait)(void *ctx, unsigned cpu, uint64_t deadline_ps);
    /* The hv wrote state other CPUs may be spinning on. */
    void (*shared_changed)(void *ctx);
    /* Wake one spinning CPU (its turn came); NULL: shared_changed is used. */
    void (*wake_cpu)(void *ctx, unsigned cpu);
    uint64_t (*now_ps)(void *ctx);
    /* What cpu was executing when the current #MC/CMCI was signalled. */
    enum x86_exec_ctx (*context)(void *ctx, unsigned cpu);
    /* Run hv_softirq() on cpu once it leaves the exception handler. */
    void (*raise_softirq)(void *ctx, unsigned cpu);
    /* Send cpu a call-function IPI (on_each_cpu): it runs
     * hv_call_function() once it takes interrupts. NULL: never used
     * (nothing calls it unless a CPU goes offline). */
    void (*call_function)(void *ctx, unsigned cpu);
    /* Send cpu an NMI (a self-IPI with NMI delivery): hv_nmi() runs at its
     * next instruction boundary, inside whatever handler runs there, unless
     * an NMI handler runs and no IRET since released the blocking (SDM
     * Vol. 3A 6.7.1). NULL: the platform has none (deferral: nmi then
     * falls back to the softirq). */
    void (*raise_nmi)(void *ctx, unsigned cpu);
    /* Arm cpu's poll timer to call hv_poll_timer() at at_ps. */
    void (*arm_timer)(void *ctx, unsigned cpu, uint64_t at_ps);
    /* Deliver a VIRQ to a domain (no-op if the domain did not bind it). */
    void (*send_virq)(void *ctx, unsigned domid, unsigned virq);
    /* Guest memory, bounds-checked: 0 or -EFAULT. */
    int (*copy_from_guest)(void *ctx, unsigned domid, uint64_t gaddr, void *dst, size_t len);
    int (*copy_to_guest)(void *ctx, unsigned domid, uint64_t gaddr, const void *src, size_t len);
    void (*trace)(void *ctx, const struct hv_trace_event *ev);
    /* Optional: false when no output takes an event's detail text, so the
     * hv skips formatting the ones only a trace file shows (NULL: always
     * format). */
    bool (*trace_details)(void *ctx);
    void (*console)(void *ctx, const char *line);
    /* A vMCE is pending for a guest vCPU: let it run its handler. Only for
     * running domains; a paused domain's vCPUs are raised when unpaused. */
    void (*vmce_raise)(void *ctx, unsigned domid, unsigned vcpu);
    /* A domain changed state: crashed, paused or destroyed (stop running
     * its vCPUs), or unpaused (run them again). */
    void (*domain_changed)(void *ctx, unsigned domid);
    /* Set or clear CR4.MCE of `cpu` (Xen's set_in_cr4 in mcheck_init).
     * NULL: CR4.MCE is left as the machine has it. */
    void (*set_cr4_mce)(void *ctx, unsigned cpu, int on);
    /* The memory controller's online-spare rank starts replacing (mirror:
     * mirroring) the rank holding paddr: 0, or -ENODEV (no controller or
     * no spare rank), -EBUSY (spare in use), -EINVAL (paddr out of range).
     * NULL: none. */
    long (*mem_spare)(void *ctx, uint64_t paddr, int mirror);
    /* The host stops (panic or reset). Returns; the hv then unwinds. */
    void (*host_stop)(void *ctx, unsigned cpu, enum hv_stop_kind kind, const char *reason);
    /* Firmware-first platforms only (ff.c; NULL otherwise). A firmware
     * call on `cpu` for a record type (enum fw_type): SIZE and COUNT
     * return their number, GET and CLEAR 0; -errno on failure. */
    long (*fw_call)(void *ctx, unsigned cpu, enum fw_op op, unsigned type, struct fw_error_record *rec);
    /* Call hv_ff_poll(type) at at_ps (an earlier arming of the type is
     * dropped). */
    void (*ff_arm_poll)(void *ctx, unsigned type, uint64_t at_ps);
};

#endif
