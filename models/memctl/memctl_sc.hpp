/*
 * memctl_sc.hpp - SystemC shell of a memory controller.
 *
 * Owns time and the TLM-2.0 target socket; the logic is the C core
 * (memctl.h). Demand reads and writes arrive by blocking transport (loosely
 * timed): the controller decodes the line through its ECC and attaches the
 * outcome to the payload in a memctl_ext extension, so the initiator learns
 * what hardware would report (and the simulator the truth). A thread runs
 * the patrol scrubber and hands each finding to a callback; the shell knows
 * nothing about MCA banks or the hypervisor.
 */
#ifndef MODELS_MEMCTL_MEMCTL_SC_HPP
#define MODELS_MEMCTL_MEMCTL_SC_HPP

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>

extern "C" {
#include "models/memctl/memctl.h"
#include "models/memctl/wake_set.h"
}

/* The ECC outcome of one transaction. */
struct memctl_ext : tlm::tlm_extension<memctl_ext> {
    struct memctl_read read{};
    enum memctl_access access = MEMCTL_DATA_LOAD;
    tlm::tlm_extension_base *clone() const override { return new memctl_ext(*this); }
    void copy_from(const tlm::tlm_extension_base &e) override { *this = static_cast<const memctl_ext &>(e); }
};

struct memctl_sc_hooks {
    void *ctx = nullptr;
    void (*scrub_found)(void *ctx, const memctl_scrub_event &ev) = nullptr;
    /* The scrubber plans to wake at `next` (ps): the owner may push it
     * later when nothing it could observe happens before (folding).
     * *sync: the findings so put off change what memory holds, so a
     * demand access must first have them reported up to its time. */
    uint64_t (*plan_wake)(void *ctx, uint64_t next, bool *sync) = nullptr;
    /* Before the findings due by now are reported: the owner may take
     * the first ones as counts (folding into a logged CE) instead. */
    void (*fold_due)(void *ctx) = nullptr;
};

class memctl_sc : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(memctl_sc);
    /* cfg must pass memctl_config_check(); read_latency_ps per line read. */
    memctl_sc(sc_core::sc_module_name name, const memctl_config &cfg, uint64_t read_latency_ps,
              const memctl_sc_hooks &hooks);
    ~memctl_sc() override;

    /* one initiator per CPU */
    tlm_utils::multi_passthrough_target_socket<memctl_sc> socket;
    memctl mc{};

    /* A fault arrives now (or at f.time_ps if later). */
    uint64_t add_fault(const mem_fault &f) { return memctl_add_fault(&mc, &f); }
    /* The spare rank takes over (mirrors) the rank of paddr now: 0 or -errno. */
    int spare_rank(uint64_t paddr, bool mirror)
    {
        return memctl_spare_rank(&mc, paddr, sc_core::sc_time_stamp().value(), mirror);
    }
    /* The scrubber may have new work earlier than it planned. */
    void rescan() { scrub_wake_.notify(sc_core::SC_ZERO_TIME); }
    /* Report every finding due by now, from whichever thread asks (before
     * software touches the bank the findings go to), then replan. */
    void scrub_due();
    /* The scrubber thread's timed wake-up (false: none, or waiting only for
     * a rescan), its event taken out of SystemC's queue and put back
     * (host_quiet.cpp asks the kernel what else is pending), and the epoch
     * rebase (docs/TIME.md): the wake-up moved d_ps earlier with the
     * controller's times; the memctl_rebase refusal (-EBUSY, -ERANGE), or
     * 0. A halted controller has nothing to move. */
    bool wake_armed(uint64_t *at_ps) const
    {
        *at_ps = wake_set_next(&wakes_);
        return waiting_ && *at_ps != WAKE_NEVER && !halted_;
    }
    /* The armed wake slots due at or before t taken out of the queue
     * (cancelling one twice is harmless): whether any, and the latest one's
     * time; and put back. */
    bool wake_hold(uint64_t t, uint64_t *latest);
    void wake_release(uint64_t t);
    int can_rebase(uint64_t d_ps) const;
    int rebase(uint64_t d_ps);
    /* The findings being reported come from the scrubber's own thread at
     * its wake (not from a catch-up before a bank or memory access, which
     * runs in the accessing CPU's thread): the round fold acts only there. */
    bool in_thread() const { return in_thread_; }
    /* The scrubber sleeps past findings that change memory's data. */
    bool behind() const { return sync_; }
    /* The host stopped: nothing is scrubbed or reported any more. */
    void halt()
    {
        halted_ = true;
        scrub_wake_.notify(sc_core::SC_ZERO_TIME);
    }

private:
    void b_transport(int id, tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    void scrub_thread();

    uint64_t read_latency_ps_;
    memctl_sc_hooks hooks_;
    void plan_wake(uint64_t at, uint64_t now);
    void cancel_timers(unsigned mask);
    unsigned wake_due_by(uint64_t t, uint64_t *latest) const;
    void notify_timers(unsigned mask, uint64_t now);

    sc_core::sc_event scrub_wake_;
    sc_core::sc_event timer_[WAKE_SET_SLOTS]; /* the planned wake (wake_set.h) */
    sc_core::sc_event_or_list wake_any_;      /* scrub_wake_ or any timer */
    wake_set wakes_{};
    bool waiting_ = false; /* the thread sleeps until its plan or a rescan */
    bool halted_ = false;
    bool in_due_ = false; /* scrub_due is running (findings may ask again) */
    bool in_thread_ = false; /* ... or the thread's own report (in_thread) */
    bool sync_ = false;   /* plan_wake's *sync for the current sleep */
};

#endif
