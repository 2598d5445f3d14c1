/*
 * memctl_sc.cpp - blocking transport into the C core, and the scrubber
 * thread: sleep until the scrubber's next finding could be due (or the
 * owner's later plan, when the findings in between are only counts, or
 * write-backs that a demand access first has reported), report every
 * finding up to now, repeat. A halted controller (its host stopped)
 * scrubs nothing more. The planned wake is kept on a few timers
 * (wake_set.h): re-planning to a time a timer holds leaves nothing in
 * SystemC's timed queue; timers rather than wait(t, e), so that a rebase
 * can move them.
 */
#include "models/memctl/memctl_sc.hpp"

#include <cerrno>

#include "arch/ps_rebase.h"

using namespace sc_core;

memctl_sc::memctl_sc(sc_module_name name, const memctl_config &cfg, uint64_t read_latency_ps,
                     const memctl_sc_hooks &hooks)
    : sc_module(name), socket("socket"), read_latency_ps_(read_latency_ps), hooks_(hooks)
{
    if (memctl_init(&mc, &cfg) != 0)
        SC_REPORT_FATAL("memctl", "bad memory configuration");
    socket.register_b_transport(this, &memctl_sc::b_transport);
    wake_set_init(&wakes_);
    wake_any_ |= scrub_wake_;
    for (auto &t : timer_)
        wake_any_ |= t;
    if (!cfg.scrub_disabled)
        SC_THREAD(scrub_thread);
}

memctl_sc::~memctl_sc()
{
    memctl_free(&mc);
}

void memctl_sc::b_transport(int, tlm::tlm_generic_payload &trans, sc_time &delay)
{
    /* The scrubber, woken at each of its findings, would have written its
     * lines back by now: the access sees memory as they left it. */
    if (sync_)
        scrub_due();
    uint64_t now = (sc_time_stamp() + delay).value();
    memctl_ext *ext = nullptr;
    trans.get_extension(ext);
    if (trans.is_write()) {
        memctl_write_line(&mc, trans.get_address(), now);
    } else {
        struct memctl_read r{};
        if (memctl_read(&mc, trans.get_address(), now, &r) != 0) {
            trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (ext)
            ext->read = r;
    }
    /* while the spare's copy runs on this channel it takes a line time */
    uint64_t lat = read_latency_ps_ * (memctl_copy_busy(&mc, trans.get_address(), now) ? 2 : 1);
    delay += sc_time::from_value(lat);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void memctl_sc::scrub_due()
{
    if (halted_ || in_due_ || mc.cfg.scrub_disabled)
        return;
    in_due_ = true;
    uint64_t now = sc_time_stamp().value();
    memctl_scrub_event ev;
    if (hooks_.fold_due)
        hooks_.fold_due(hooks_.ctx);
    while (!halted_ && memctl_scrub(&mc, now, &ev))
        if (hooks_.scrub_found)
            hooks_.scrub_found(hooks_.ctx, ev);
    in_due_ = false;
    scrub_wake_.notify(SC_ZERO_TIME); /* the thread replans */
}

void memctl_sc::scrub_thread()
{
    while (!halted_) {
        uint64_t now = sc_time_stamp().value();
        memctl_scrub_event ev;
        in_due_ = true;
        if (hooks_.fold_due)
            hooks_.fold_due(hooks_.ctx);
        in_thread_ = true;
        while (!halted_ && memctl_scrub(&mc, now, &ev))
            if (hooks_.scrub_found)
                hooks_.scrub_found(hooks_.ctx, ev);
        in_thread_ = false;
        in_due_ = false;
        uint64_t next = memctl_scrub_next_time(&mc);
        sync_ = false;
        if (next != UINT64_MAX && hooks_.plan_wake)
            next = hooks_.plan_wake(hooks_.ctx, next, &sync_);
        if (halted_)
            break;
        /* at least 1 ns: "next" is a wake-up time, not a promise */
        plan_wake(next == UINT64_MAX ? WAKE_NEVER : ps_after(next, now + 1000) ? next : now + 1000, now);
        waiting_ = true;
        wait(wake_any_);
        waiting_ = false;
        wake_set_fired(&wakes_, sc_time_stamp().value());
    }
    cancel_timers(wake_set_clear(&wakes_));
}

void memctl_sc::cancel_timers(unsigned mask)
{
    for (unsigned i = 0; i < WAKE_SET_SLOTS; i++)
        if (mask & (1u << i))
            timer_[i].cancel();
}

void memctl_sc::plan_wake(uint64_t at, uint64_t now)
{
    wake_change ch = wake_set_plan(&wakes_, at);
    cancel_timers(ch.cancel_mask);
    if (ch.arm >= 0)
        notify_timers(1u << ch.arm, now);
}

void memctl_sc::notify_timers(unsigned mask, uint64_t now)
{
    for (unsigned i = 0; i < WAKE_SET_SLOTS; i++)
        if (mask & (1u << i))
            timer_[i].notify(sc_time::from_value(wakes_.at[i] - now));
}

/* host_quiet.cpp takes the armed timers due by a time out of SystemC's
 * queue to see what else is pending, then puts them back as they were. */
unsigned memctl_sc::wake_due_by(uint64_t t, uint64_t *latest) const
{
    unsigned mask = 0, armed = wake_set_armed(&wakes_);
    for (unsigned i = 0; i < WAKE_SET_SLOTS; i++)
        if ((armed & (1u << i)) && wakes_.at[i] <= t) {
            if (!mask || wakes_.at[i] > *latest)
                *latest = wakes_.at[i];
            mask |= 1u << i;
        }
    return mask;
}

bool memctl_sc::wake_hold(uint64_t t, uint64_t *latest)
{
    unsigned mask = wake_due_by(t, latest);
    cancel_timers(mask);
    return mask != 0;
}

void memctl_sc::wake_release(uint64_t t)
{
    uint64_t latest;
    if (!halted_)
        notify_timers(wake_due_by(t, &latest), sc_time_stamp().value());
}

int memctl_sc::can_rebase(uint64_t d_ps) const
{
    uint64_t now = sc_time_stamp().value();
    if (halted_)
        return 0;
    uint64_t plan;
    if (in_due_ || (wake_armed(&plan) && plan < now + d_ps))
        return -EBUSY; /* scrubbing now, or due within the time skipped */
    return memctl_can_rebase(&mc, d_ps, now);
}

int memctl_sc::rebase(uint64_t d_ps)
{
    uint64_t now = sc_time_stamp().value();
    int rc = can_rebase(d_ps);
    if (rc || halted_)
        return rc;
    rc = memctl_rebase(&mc, d_ps, now);
    if (rc != 0)
        return rc;
    /* every slot is at or after the plan, so none moves before now */
    unsigned moved = wake_set_shift(&wakes_, d_ps);
    cancel_timers(moved);
    notify_timers(moved, now);
    return rc;
}
