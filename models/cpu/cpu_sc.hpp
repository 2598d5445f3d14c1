/*
 * cpu_sc.hpp - SystemC shell of one physical CPU.
 *
 * Owns the CPU's thread and time; the register file is the C core
 * (cpu_mca.h) and the cycle costs come from cpu_cost.h. Software "runs on"
 * the CPU through struct cpu_sw: the thread calls its entry points (boot,
 * #MC, CMCI, timer, softirq) and the software calls back into op_*() to
 * access MSRs and spend cycles. Exceptions (and NMIs) are taken at op
 * boundaries, as hardware takes them at instruction boundaries: a #MC
 * raised while the CPU runs software is delivered when the current op
 * completes.
 */
#ifndef MODELS_CPU_CPU_SC_HPP
#define MODELS_CPU_CPU_SC_HPP

#include <memory>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/cpu/cpu_ties.hpp"

extern "C" {
#include "models/cpu/cpu_cost.h"
#include "models/cpu/cpu_mca.h"
}

/* What runs on the CPU. All callbacks run in the CPU's own thread. */
struct cpu_sw {
    void *ctx = nullptr;
    void (*boot)(void *ctx, unsigned cpu) = nullptr;
    void (*machine_check)(void *ctx, unsigned cpu) = nullptr;
    void (*cmci)(void *ctx, unsigned cpu) = nullptr;
    void (*timer)(void *ctx, unsigned cpu) = nullptr;
    void (*softirq)(void *ctx, unsigned cpu) = nullptr;
    void (*nmi)(void *ctx, unsigned cpu) = nullptr;
    /* A platform interrupt (a firmware-first platform's CMC/CPE interrupt
     * or GHES notification), taken like CMCI when the CPU is idle. */
    void (*irq)(void *ctx, unsigned cpu) = nullptr;
    void (*shutdown)(void *ctx, unsigned cpu, const char *reason) = nullptr;
    /* CPU hotplug: the CPU leaves (its last software before it stops),
     * comes back (its bring-up), takes a call-function IPI. */
    void (*dying)(void *ctx, unsigned cpu) = nullptr;
    void (*up)(void *ctx, unsigned cpu) = nullptr;
    void (*call)(void *ctx, unsigned cpu) = nullptr;
};

class cpu_sc : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(cpu_sc);
    cpu_sc(sc_core::sc_module_name name, unsigned id, const cpu_mca_config &cfg,
           const cpu_cost_table &costs, const cpu_sw &sw, bool with_memory = false);

    /* To the memory controller, when the host models memory. */
    std::unique_ptr<tlm_utils::simple_initiator_socket<cpu_sc>> mem;
    /* A line access through `mem` (blocking, loosely timed): the delay is
     * spent by the calling thread. ext (may be NULL) carries the outcome
     * (the memory controller's extension type). */
    template <class Ext>
    tlm::tlm_response_status mem_access(uint64_t addr, bool write, Ext *ext)
    {
        if (!mem)
            return tlm::TLM_ADDRESS_ERROR_RESPONSE;
        unsigned char line[64] = {0};
        tlm::tlm_generic_payload trans;
        prepare(trans, addr, write, line);
        if (ext)
            trans.set_extension(ext);
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        (*mem)->b_transport(trans, delay);
        if (ext)
            trans.clear_extension(ext);
        if (delay != sc_core::SC_ZERO_TIME)
            sc_core::wait(delay);
        return trans.get_response_status();
    }

    unsigned id() const { return id_; }
    /* The host's CPUs' ties (cpu_ties.hpp): ops ending together go on in
     * index order; without, in SystemC's order. */
    void set_ties(cpu_ties *t) { ties_ = t; }
    cpu_mca regs{};                 /* the register file (C core)          */
    enum x86_exec_ctx context = X86_CTX_IDLE;

    /* --- software side: called from this CPU's thread ------------------ */
    int op_rdmsr(uint32_t msr, uint64_t *val);
    int op_wrmsr(uint32_t msr, uint64_t val);
    void op_charge(enum cpu_cost_op op, unsigned n);
    void op_spend(const sc_core::sc_time &t);
    void op_spin_wait(sc_core::sc_event &changed, uint64_t deadline_ps);
    bool on_own_thread() const;

    /* --- hardware / platform side -------------------------------------- */
    /* Hold a #MC for the CPU with the MCG_STATUS hardware would write.
     * exact: software injection (mce-inject, xen-mceinj interpose the MSR),
     * so the handler reads mcg_status as given, MCIP or not. */
    void raise_mc(uint64_t mcg_status, bool exact = false);
    void raise_cmci();
    void raise_irq();
    bool cmci_pending() const { return cmci_pending_; }
    void raise_softirq() { softirq_pending_ = true; }
    /* An NMI (a self-IPI): taken at the next op boundary, like an
     * exception, unless NMIs are blocked: from an NMI's delivery to the
     * next IRET of any handler (SDM Vol. 3A 6.7.1). */
    void raise_nmi();
    void arm_timer(uint64_t at_ps);
    /* The armed poll timer (false: none), and its event taken out of
     * SystemC's queue and put back, for a caller that asks the kernel when
     * anything else happens next (skip_quiet, sim/runtime/host_quiet.cpp). */
    bool timer_armed(uint64_t *at_ps) const
    {
        *at_ps = timer_at_;
        return timer_armed_;
    }
    void timer_hold() { timer_ev_.cancel(); }
    void timer_release()
    {
        if (timer_armed_)
            arm_timer(timer_at_);
    }
    void stall(uint64_t until_ps); /* SCN_TIME_FOREVER-like: UINT64_MAX */
    void halt();                   /* host stopped: run nothing more   */
    void poke() { wake_.notify(sc_core::SC_ZERO_TIME); } /* wake a spinning CPU */
    /* An IPI that makes the CPU run sw.call when it takes interrupts. */
    void raise_call();
    /* CPU hotplug. go_offline: once the CPU has done what is pending (an
     * exception, softirqs, interrupts, a due timer) it runs sw.dying and
     * stops: its interrupts are masked (CMCI, IPIs and timers are lost,
     * a raised softirq waits), and an #MC is taken only when `parked`
     * (Xen's parked CPU keeps CR4.MCE and its IDT); otherwise it is
     * dropped. go_online: the CPU runs sw.up and runs again. `hotplug`
     * fires when either is done. */
    void go_offline(bool parked);
    void go_online();
    bool offline() const { return offline_; }
    sc_core::sc_event hotplug;
    bool halted() const { return halted_; }
    bool stalled() const;
    /* True while the CPU runs software of its own or has some pending that
     * runs before it can return to a guest (#MC, softirq, CMCI, a platform
     * interrupt, a due poll timer), or is stalled: a guest vCPU placed on it executes nothing
     * meanwhile, as Xen runs pending softirqs before resuming a guest. */
    bool busy() const;
    /* Spinning on another CPU's change with no deadline of its own (a
     * rendezvous or lock with no timeout): with every busy CPU so, nothing
     * the CPUs wait for will come - a hang, where a CPU in a timed wait
     * (charged work, a spin with a timeout) is still on its way. */
    bool spin_untimed() const { return spin_untimed_; }
    /* An #MC is pending here and the CPU will take it: not halted, shut
     * down or offline, and any stall it is in ends (a finite SMI). */
    bool mc_arriving() const
    {
        return mc_pending_ && !halted_ && regs.state != CPU_SHUTDOWN && !offline_ &&
               (!stalled() || stalled_until_ != UINT64_MAX);
    }
    uint64_t cost_ps(enum cpu_cost_op op, uint64_t n) const { return cpu_cost_ps(&costs_, op, n); }
    /* Add this CPU's MCA signals to a VCD: MCIP, the VAL bit of every
     * bank, and the CMCI line (high from raise until taken). */
    void trace_signals(sc_core::sc_trace_file *tf, const std::string &prefix);
    /* Update the traced mirrors after register state changed. */
    void refresh_signals();

private:
    static void prepare(tlm::tlm_generic_payload &t, uint64_t addr, bool write, unsigned char *line);
    void run();
    void spin_wait_on(const sc_core::sc_event_or_list &l, uint64_t deadline_ps, uint64_t now);
    void take_pending();
    void take_mc();
    void run_offline();
    void leave();
    void take_nmi();
    bool nmi_deliverable() const { return nmi_pending_ && !nmi_blocked_; }
    void enter(void (*fn)(void *, unsigned), bool exception);

    unsigned id_;
    cpu_ties *ties_ = nullptr;
    cpu_cost_table costs_;
    /* each op's time for one unit, as cpu_cost_ps gives it: most charges
     * are of one (an MSR access, a lock, a spin step) */
    sc_core::sc_time one_[COST__COUNT];
    cpu_sw sw_;
    sc_core::sc_event wake_;
    /* The poll timer as an event of its own: an idle wait with a timeout
     * would leave a cancelled timeout in SystemC's queue at every wake-up. */
    sc_core::sc_event timer_ev_;
    /* The or-lists the thread waits on, built once: `a | b` allocates a
     * list (and its vector) at every wait. idle_: wake_ | timer_ev_;
     * spin_: changed | wake_ for the first `changed` spun on (the
     * host's one shared event). */
    sc_core::sc_event_or_list idle_;
    sc_core::sc_event_or_list spin_;
    const sc_core::sc_event *spin_on_ = nullptr;
    sc_core::sc_process_handle thread_;
    /* thread_'s process, to tell cheaply whether the caller is this CPU's
     * thread (on_own_thread runs after every op) */
    sc_core::sc_process_b *thread_b_ = nullptr;
    bool mc_pending_ = false;
    uint64_t pending_mcg_ = 0;
    bool pending_exact_ = false;
    bool cmci_pending_ = false;
    bool irq_pending_ = false;
    bool softirq_pending_ = false;
    bool nmi_pending_ = false;
    bool nmi_blocked_ = false;    bool timer_armed_ = false;
    uint64_t timer_at_ = 0;
    uint64_t stalled_until_ = 0;
    bool halted_ = false;
    bool call_pending_ = false;
    bool down_pending_ = false, up_pending_ = false;
    bool offline_ = false, parked_ = false, park_ = false;
    unsigned depth_ = 0; /* nesting of software entry points (all kinds) */
    bool spin_untimed_ = false;
    /* mirrors of register state, for VCD tracing only */
    bool sig_mcip_ = false;
    bool sig_cmci_ = false;
    unsigned sig_val_ = 0;
    bool traced_ = false;
};

#endif
