/*
 * cpu_sc.cpp - the CPU thread: idle until something is pending, then run
 * the software entry point for it; #MC first, then NMI, softirq, CMCI, a
 * call-function IPI, timer, and last a request to go offline. An offline
 * CPU takes an #MC (and the NMI its handler may raise) when parked and
 * otherwise waits to come back.
 */
#include "models/cpu/cpu_sc.hpp"

using namespace sc_core;

static sc_time ps(uint64_t v) { return sc_time::from_value(v); }

cpu_sc::cpu_sc(sc_module_name name, unsigned id, const cpu_mca_config &cfg,
               const cpu_cost_table &costs, const cpu_sw &sw, bool with_memory)
    : sc_module(name), id_(id), costs_(costs), sw_(sw)
{
    for (unsigned op = 0; op < COST__COUNT; op++)
        one_[op] = ps(cpu_cost_ps(&costs_, (cpu_cost_op)op, 1));
    idle_ |= wake_;
    idle_ |= timer_ev_;
    if (with_memory)
        mem.reset(new tlm_utils::simple_initiator_socket<cpu_sc>("mem"));
    cpu_mca_init(&regs, &cfg);
    sc_spawn_options opt;
    opt.set_stack_size(256 * 1024);
    thread_ = sc_spawn(sc_bind(&cpu_sc::run, this), "thread", &opt);
    thread_b_ = thread_;
}

void cpu_sc::prepare(tlm::tlm_generic_payload &t, uint64_t addr, bool write, unsigned char *line)
{
    t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    t.set_address(addr & ~63ull);
    t.set_data_ptr(line);
    t.set_data_length(64);
    t.set_streaming_width(64);
    t.set_byte_enable_ptr(nullptr);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

bool cpu_sc::on_own_thread() const
{
    /* the raw pointer: a process handle would be built (and reference
     * counted) on every call */
    return sc_get_current_process_b() == thread_b_;
}

bool cpu_sc::stalled() const
{
    return stalled_until_ > sc_time_stamp().value();
}

bool cpu_sc::busy() const
{
    bool timer_due = timer_armed_ && timer_at_ <= sc_time_stamp().value();
    return depth_ || mc_pending_ || nmi_pending_ ||
           (!offline_ && (softirq_pending_ || cmci_pending_ || call_pending_ || irq_pending_)) || timer_due ||
           stalled();
}

void cpu_sc::refresh_signals()
{
    if (!traced_)
        return; /* the mirrors exist only for VCD tracing */
    sig_mcip_ = (regs.mcg_status & MCG_STATUS_MCIP) != 0;
    sig_cmci_ = cmci_pending_;
    unsigned v = 0;
    for (unsigned i = 0; i < regs.nbanks; i++)
        if (regs.bank[i].status & MCI_STATUS_VAL)
            v |= 1u << i;
    sig_val_ = v;
}

void cpu_sc::trace_signals(sc_trace_file *tf, const std::string &prefix)
{
    traced_ = true;
    sc_trace(tf, sig_mcip_, prefix + ".MCIP");
    sc_trace(tf, sig_cmci_, prefix + ".CMCI");
    sc_trace(tf, sig_val_, prefix + ".bank_VAL", (int)regs.nbanks);
}

void cpu_sc::op_spend(const sc_time &t)
{
    refresh_signals();
    if (halted_)
        return;
    if (t != SC_ZERO_TIME) {
        if (ties_ && on_own_thread())
            ties_->spend(id_, t);
        else
            wait(t);
    }
    if (on_own_thread())
        take_pending();
}

int cpu_sc::op_rdmsr(uint32_t msr, uint64_t *val)
{
    op_charge(COST_MSR_READ, 1);
    return cpu_mca_rdmsr(&regs, msr, val);
}

int cpu_sc::op_wrmsr(uint32_t msr, uint64_t val)
{
    op_charge(COST_MSR_WRITE, 1);
    int rc = cpu_mca_wrmsr(&regs, msr, val);
    refresh_signals();
    return rc;
}

void cpu_sc::op_charge(enum cpu_cost_op op, unsigned n)
{
    if (n == 1 && (unsigned)op < COST__COUNT)
        op_spend(one_[op]);
    else
        op_spend(ps(cpu_cost_ps(&costs_, op, n)));
}

void cpu_sc::spin_wait_on(const sc_event_or_list &l, uint64_t deadline_ps, uint64_t now)
{
    if (deadline_ps == UINT64_MAX) {
        spin_untimed_ = true; /* only another CPU's change ends it */
        wait(l);
        spin_untimed_ = false;
    } else if (deadline_ps > now)
        wait(ps(deadline_ps - now), l);
}

void cpu_sc::op_spin_wait(sc_event &changed, uint64_t deadline_ps)
{
    if (halted_)
        return;
    uint64_t now = sc_time_stamp().value();
    /* Wake on the shared change, or on anything raised at this CPU: a
     * spinning CPU still takes exceptions. */
    if (!spin_on_) {
        spin_ |= changed;
        spin_ |= wake_;
        spin_on_ = &changed;
    }
    if (spin_on_ != &changed) /* another event than the first: a list of its own */
        spin_wait_on(changed | wake_, deadline_ps, now);
    else
        spin_wait_on(spin_, deadline_ps, now);
    /* A spinning CPU notices the change at its next PAUSE iteration. */
    op_charge(COST_SPIN_STEP, 1);
}

void cpu_sc::raise_mc(uint64_t mcg_status, bool exact)
{
    if (halted_ || regs.state == CPU_SHUTDOWN)
        return;
    if (!mc_pending_) {
        pending_mcg_ = mcg_status;
        pending_exact_ = exact;
    }
    mc_pending_ = true;
    refresh_signals();
    wake_.notify(SC_ZERO_TIME);
}

void cpu_sc::raise_nmi()
{
    if (halted_ || regs.state == CPU_SHUTDOWN)
        return;
    nmi_pending_ = true;
    wake_.notify(SC_ZERO_TIME);
}

void cpu_sc::raise_cmci()
{
    cmci_pending_ = true;
    refresh_signals();
    wake_.notify(SC_ZERO_TIME);
}

void cpu_sc::raise_call()
{
    call_pending_ = true;
    wake_.notify(SC_ZERO_TIME);
}

void cpu_sc::go_offline(bool parked)
{
    down_pending_ = true;
    park_ = parked;
    wake_.notify(SC_ZERO_TIME);
}

void cpu_sc::go_online()
{
    up_pending_ = true;
    wake_.notify(SC_ZERO_TIME);
}

/* The dying CPU's last software, then it stops (play_dead): the LAPIC is
 * cleared (no CMCI, no IPI), its timers go elsewhere; it idles. */
void cpu_sc::leave()
{
    down_pending_ = false;
    enter(sw_.dying, false);
    offline_ = true;
    parked_ = park_;
    cmci_pending_ = call_pending_ = false;
    timer_armed_ = false;
    context = X86_CTX_IDLE;
    hotplug.notify(SC_ZERO_TIME);
}

/* Offline: only an #MC (when parked), the NMI its handler raised, or the
 * way back wakes it. */
void cpu_sc::run_offline()
{
    if (mc_pending_ && parked_) {
        take_mc();
        return;
    }
    if (nmi_deliverable()) { /* raised by its own #MC handler (deferral: nmi) */
        take_nmi();
        return;
    }
    mc_pending_ = false; /* not parked: nothing takes it */
    cmci_pending_ = call_pending_ = false;
    timer_armed_ = false;
    if (up_pending_) {
        up_pending_ = false;
        enter(sw_.up, false);
        offline_ = false;
        hotplug.notify(SC_ZERO_TIME);
        return;
    }
    wait(wake_);
}

void cpu_sc::raise_irq()
{
    irq_pending_ = true;
    wake_.notify(SC_ZERO_TIME);
}

void cpu_sc::arm_timer(uint64_t at_ps)
{
    uint64_t now = sc_time_stamp().value();
    timer_armed_ = true;
    timer_at_ = at_ps;
    timer_ev_.cancel();
    timer_ev_.notify(ps(at_ps > now ? at_ps - now : 0));
}

void cpu_sc::stall(uint64_t until_ps)
{
    stalled_until_ = until_ps;
    wake_.notify(SC_ZERO_TIME);
}

void cpu_sc::halt()
{
    halted_ = true;
    wake_.notify(SC_ZERO_TIME);
}

/* Deliver a held #MC: hardware checks MCIP and CR4.MCE at delivery. */
void cpu_sc::take_mc()
{
    mc_pending_ = false;
    if (cpu_mca_deliver_mc(&regs, pending_mcg_) == CPU_MC_SHUTDOWN) {
        if (sw_.shutdown)
            sw_.shutdown(sw_.ctx, id_, regs.shutdown_reason);
        return;
    }
    if (pending_exact_)
        regs.mcg_status = pending_mcg_;
    enter(sw_.machine_check, true);
}

/* An NMI blocks further NMIs until the next IRET, its own or that of a
 * handler nested in it (SDM Vol. 3A 6.7.1). */
void cpu_sc::take_nmi()
{
    nmi_pending_ = false;
    nmi_blocked_ = true;
    enter(sw_.nmi, true);
}

/* Run one software entry point (an exception's charged from its entry);
 * depth_ is what busy() reports while it runs, nested ones included. An
 * exception handler returns by IRET, which ends NMI blocking. */
void cpu_sc::enter(void (*fn)(void *, unsigned), bool exception)
{
    depth_++;
    if (exception)
        op_charge(COST_EXC_ENTRY, 1);
    if (fn)
        fn(sw_.ctx, id_);
    if (exception)
        nmi_blocked_ = false;
    depth_--;
}

/* Exceptions are taken at any op boundary; interrupts only when idle. */
void cpu_sc::take_pending()
{
    if (mc_pending_ && !halted_ && !stalled())
        take_mc();
    else if (nmi_deliverable() && !halted_ && !stalled())
        take_nmi();
}

void cpu_sc::run()
{
    /* The boot CPU comes up first, the others after it, in order (one
     * microsecond apart), as firmware starts application processors. */
    if (id_)
        wait(ps((uint64_t)id_ * 1000000));
    enter(sw_.boot, false);
    for (;;) {
        refresh_signals();
        if (halted_ || regs.state == CPU_SHUTDOWN)
            return;
        uint64_t now = sc_time_stamp().value();
        if (offline_ && !stalled()) {
            run_offline();
            continue;
        }
        if (stalled()) {
            if (stalled_until_ == UINT64_MAX)
                wait(wake_);
            else
                wait(ps(stalled_until_ - now), wake_);
            continue;
        }
        if (mc_pending_) {
            take_mc();
        } else if (nmi_deliverable()) {
            take_nmi();
        } else if (softirq_pending_) {
            softirq_pending_ = false;
            enter(sw_.softirq, false);
        } else if (cmci_pending_) {
            cmci_pending_ = false;
            enter(sw_.cmci, true);
        } else if (call_pending_) {
            call_pending_ = false;
            enter(sw_.call, true);
        } else if (irq_pending_) {
            irq_pending_ = false;
            enter(sw_.irq, true);
        } else if (timer_armed_ && timer_at_ <= now) {
            timer_armed_ = false;
            enter(sw_.timer, false);
        } else if (down_pending_) {
            leave();
        } else {
            wait(idle_);
        }
    }
}
