/*
 * host_quiet.cpp - skip_quiet: the hosts' empty poll rounds counted instead
 * of run, up to the next thing anything else in the simulation does
 * (docs/PERFORMANCE.md, "Quiet time").
 *
 * After a poll round ends on a CPU, when every poll timer armed on every
 * running host is steady (hv_poll_steady: two empty rounds at the poller's
 * longest interval, one period apart) and nothing was traced on its host
 * since its last round began (other than polls: a CE latched without CMCI
 * in a bank that round had read already, say), the rounds ahead are the
 * same round again until something else happens. What happens next is
 * SystemC's queue with those poll timers held out of it: the scrubber's
 * next finding, a fault's arrival, a scenario event, a guest's or dom0's
 * next step, a stalled CPU, a migration; anything pending at the current
 * time (an interrupt, a softirq, a VIRQ) means no skip. The run's end
 * bounds it too. Each timer then skips the whole rounds that end before
 * that time: its hv counts them (hv_poll_skip) and the timer is re-armed
 * that many periods later. What the rounds would have done is the same as
 * what the skip does, so a run with skip_quiet gives the same results
 * (`expect: stages` counts the skipped checks as poll stages) and the same
 * trace less the skipped rounds' poll events (tests/skip_quiet.sh checks
 * it). The hosts are skipped together: each one's timers are the others'
 * next activity.
 *
 * With the check's knob MCASIM_REBASE_EVERY=1, a quiet point where only
 * re-plannable parts have anything pending is a rebase instead
 * (try_rebase, docs/TIME.md): SystemC's clock stays, the host moves back.
 */
#include "sim/runtime/host_rt.hpp"

#include <algorithm>
#include <cerrno>

#include "arch/ps_rebase.h"

using namespace sc_core;

/* This host's armed poll timers into out; false when one of them is not
 * steady (or due now, or its last round began before something happened). */
bool host_rt::quiet_timers(std::vector<quiet_timer> &out, uint64_t now)
{
    if (stopped_)
        return true; /* its timers do nothing (a stopped hv ignores them) */
    for (unsigned c = 0; c < cpus_.size(); c++) {
        uint64_t at, period, busy, end;
        if (!cpus_[c]->timer_armed(&at))
            continue;
        if (at <= now || !hv_poll_steady(&hv_, c, &period, &busy, &end) || round_seen_[c] != activity_)
            return false;
        out.push_back({this, c, at, period, busy});
    }
    return true;
}

/* How many of t's rounds end before until (0: not even the next). */
static uint64_t rounds_before(const quiet_timer &t, uint64_t until)
{
    if (t.next_ps + t.busy_ps >= until)
        return 0;
    return (until - 1 - t.next_ps - t.busy_ps) / t.period_ps + 1;
}

/* Skip k of t's rounds. */
void host_rt::quiet_skip(const quiet_timer &t, uint64_t k)
{
    if (k == 0)
        return;
    uint64_t polls = hv_.stats.polls;
    hv_poll_skip(&hv_, t.cpu, k, t.period_ps);
    /* expect.stages counts the checks, run or skipped */
    rr_.stage_count[TS_POLL] += hv_.stats.polls - polls;
    cpus_[t.cpu]->arm_timer(t.next_ps + k * t.period_ps);
}

bool host_rt::hold_wakes(uint64_t upto, uint64_t *latest)
{
    return mem_ && mem_->wake_hold(upto, latest);
}

void host_rt::release_wakes(uint64_t upto)
{
    if (mem_)
        mem_->wake_release(upto);
}

/* This host moved d earlier (dry: only whether it can): its hv, its
 * memory controller and scrubber thread, its armed poll timers; the epoch
 * grows by d. Firmware-first keeps times in its firmware model that
 * nothing moves yet: no rebase. */
int host_rt::host_rebase(uint64_t d, bool dry)
{
    uint64_t now = sc_time_stamp().value();
    if (stopped_) {
        if (!dry)
            epoch_ps_ += d;
        return 0;
    }
    if (ff_)
        return -EOPNOTSUPP;
    int rc = hv_can_rebase(&hv_, d, now);
    if (rc == 0 && mem_)
        rc = mem_->can_rebase(d);
    if (rc || dry)
        return rc;
    (void)hv_rebase(&hv_, d, now);
    if (mem_)
        (void)mem_->rebase(d);
    for (unsigned c = 0; c < cpus_.size(); c++) {
        uint64_t at;
        if (cpus_[c]->timer_armed(&at)) /* skipped k rounds first: at >= now + d */
            cpus_[c]->arm_timer(at - d);
    }
    /* the last findings a fold repeats: their times check the next lines */
    fold_like_.time_ps = ps_rebase(fold_like_.time_ps, d, now);
    fold_rebase(d, now); /* the round fold's snapshots hold times */
    epoch_ps_ += d;
    if (mem_ && admit_faults())
        mem_->rescan(); /* the scrubber thread plans the new faults' visits */
    return 0;
}

/*
 * The epoch rebase (docs/TIME.md): when everything pending belongs to a
 * part that can replan (the poll timers, the scrubber threads, the
 * injector, the run's end), skip k rounds of every poll timer as below,
 * then move every host and the world k periods back: the timers return
 * to where they were, everything else comes k periods earlier, the
 * epochs grow by as much, and SystemC's clock stays where it is (timers
 * of unequal periods: below). sc_pause: the run's end moved, sim_run
 * resumes with it.
 */
/* Whether SystemC has anything pending besides these poll timers, the
 * scrubber wakes (of every host, or this one's) and the world's own (the
 * parts a rebase or a round fold replans), and (ahead) in how long the
 * first of it comes. The parts are taken out of the queue and put back as
 * they were, but only those due by the first thing pending once the
 * earlier ones are out: a part due later cannot change the answer, and
 * SystemC keeps a cancelled timed notification in its queue until its
 * time comes (sc_event::cancel), where it stays for good once a rebase
 * moves the clock's future back (docs/PERFORMANCE.md, "SystemC's queue
 * of cancelled timed notifications"). Cancelled ones due first are
 * dropped as the kernel looks for the next time. */
bool host_rt::pending_besides(const std::vector<cpu_sc *> &timers, bool every_host, uint64_t *ahead) const
{
    /* A part's time does not move here, and the first thing pending only
     * comes later as parts are taken out: the parts out are those due by
     * the last answer (and the CPUs' timers not armed), each taken out in
     * the round whose answer first reached it. */
    const uint64_t now = sc_time_stamp().value();
    auto hosts = [&](auto each) {
        for (const auto &h : *hosts_)
            if (every_host || h.get() == this)
                each(h.get());
    };
    uint64_t first = 0;
    for (bool more = true, begun = false; more; begun = true) {
        const uint64_t prev = first;
        first = now + sc_time_to_pending_activity().value();
        more = false;
        for (cpu_sc *c : timers) {
            uint64_t at;
            const bool armed = c->timer_armed(&at);
            if (begun ? armed && at > prev && at <= first : !armed || at <= first) {
                c->timer_hold();
                more = true;
            }
        }
        hosts([&](host_rt *h) {
            uint64_t latest = 0;
            if (h->hold_wakes(first, &latest) && (!begun || latest > prev))
                more = true;
        });
        const uint64_t wat = world_->held_at();
        if (wat <= first && (!begun || wat > prev)) {
            world_->hold(true);
            more = true;
        }
    }
    bool other = sc_pending_activity();
    if (ahead)
        *ahead = first - now;
    if (world_->held_at() <= first)
        world_->hold(false);
    hosts([&](host_rt *h) { h->release_wakes(first); });
    for (cpu_sc *c : timers) {
        uint64_t at;
        if (!c->timer_armed(&at) || at <= first)
            c->timer_release();
    }
    return other;
}

bool host_rt::try_rebase(const std::vector<quiet_timer> &timers)
{
    if (!world_->every)
        return false;
    std::vector<cpu_sc *> held;
    for (const quiet_timer &t : timers)
        held.push_back(t.host->cpus_[t.cpu].get());
    if (pending_besides(held, true))
        return false; /* a timed wait nothing can move */
    uint64_t until = world_->next(), at;
    for (const auto &h : *hosts_)
        if (h->mem_ && h->mem_->wake_armed(&at) && at < until)
            until = at;
    uint64_t now = sc_time_stamp().value();
    bool same = true;
    std::vector<uint64_t> most(timers.size()); /* the rounds each could skip */
    for (size_t i = 0; i < timers.size(); i++) {
        if ((most[i] = rounds_before(timers[i], until)) == 0)
            return false;
        same = same && timers[i].period_ps == timers[0].period_ps;
    }
    uint64_t k = PS_REBASE_D_MAX / timers[0].period_ps, d;
    if (same) {
        k = std::min(k, *std::min_element(most.begin(), most.end()));
        d = k * timers[0].period_ps;
    } else {
        /* Periods that differ (linux-6's per-CPU pollers: a round's cost
         * differs by CPU) have no common whole number of rounds: the host
         * moves by d, no more than any timer could skip before until, and
         * each timer skips the fewest of its rounds that keep it at or
         * after now once moved (so it stands within a period of now, as
         * in the equal case: a fault is placed before its arrival can be
         * skipped). The timers keep their distances to each other and to
         * everything else. */
        d = std::min<uint64_t>(PS_REBASE_D_MAX, until - now);
        for (size_t i = 0; i < timers.size(); i++)
            d = std::min(d, timers[i].next_ps + most[i] * timers[i].period_ps - now);
    }
    auto skip_of = [&](const quiet_timer &t) -> uint64_t {
        if (same)
            return k;
        uint64_t to = now + d; /* the timer's next round at or after it */
        return to > t.next_ps ? (to - t.next_ps + t.period_ps - 1u) / t.period_ps : 0;
    };
    if (d == 0)
        return false;
    for (const auto &h : *hosts_)
        if (h->host_rebase(d, true) != 0)
            return false;
    if (world_->rebase(d, true) != 0)
        return false;
    for (const quiet_timer &t : timers)
        t.host->quiet_skip(t, skip_of(t));
    for (const auto &h : *hosts_)
        (void)h->host_rebase(d, false);
    (void)world_->rebase(d, false);
    sc_pause();
    return true;
}

/*
 * A rebase where no poll round ends (host_fold.cpp asks for it after each
 * fold): a host whose wide fault keeps it finding lines all day (fleet
 * host 4900: a round every 659 ms) is never quiet for a poll period, so
 * try_rebase never runs, while each fold moves its clock on by the rounds
 * it counted. Here every part that can replan is held (the poll timers,
 * the scrubbers, the injector); when nothing else is pending, every host
 * and the world move back by as much as the earliest of them allows
 * (less a picosecond: nothing lands at now), the timers with them. Only
 * past half SystemC's horizon, and only in runs that rebase at all: below
 * it nothing needs moving, and a rebase may change the order of events
 * at one picosecond (docs/TIME.md).
 */
void host_rt::rebase_gap()
{
    uint64_t now = sc_time_stamp().value();
    if (!world_ || !world_->every || now < SIM_SC_HORIZON_PS / 2 || sc_pending_activity_at_current_time())
        return;
    std::vector<cpu_sc *> armed;
    uint64_t until = world_->next(), at;
    for (const auto &h : *hosts_)
        for (const auto &c : h->cpus_)
            if (c->timer_armed(&at)) {
                armed.push_back(c.get());
                until = std::min(until, at);
            }
    if (pending_besides(armed, true))
        return; /* a timed wait nothing can move */
    for (const auto &h : *hosts_)
        if (h->mem_ && h->mem_->wake_armed(&at))
            until = std::min(until, at);
    /* a move of less than 10 ms is not worth a pause of the kernel */
    const uint64_t min_ps = 10000000000ull; /* 10 ms */
    if (until <= now + min_ps)
        return;
    uint64_t d = std::min<uint64_t>(PS_REBASE_D_MAX, until - now - 1);
    for (const auto &h : *hosts_)
        if (h->host_rebase(d, true) != 0)
            return;
    if (world_->rebase(d, true) != 0)
        return;
    for (const auto &h : *hosts_)
        (void)h->host_rebase(d, false);
    (void)world_->rebase(d, false);
    sc_pause();
}

void host_rt::skip_quiet(unsigned cpu)
{
    note_reached();
    uint64_t now = sc_time_stamp().value();
    uint64_t period, busy, end;
    if (stopped_ || !hv_poll_steady(&hv_, cpu, &period, &busy, &end) || end != now)
        return; /* only right after a steady round */
    std::vector<quiet_timer> timers;
    for (const auto &h : *hosts_) /* set for every host by the world (simulate.cpp) */
        if (!h->quiet_timers(timers, now))
            return;
    if (timers.empty() || sc_pending_activity_at_current_time())
        return;
    if (try_rebase(timers))
        return;
    for (const quiet_timer &t : timers)
        t.host->cpus_[t.cpu]->timer_hold();
    uint64_t ahead = sc_time_to_pending_activity().value();
    for (const quiet_timer &t : timers)
        t.host->cpus_[t.cpu]->timer_release();
    uint64_t until = world_->next(); /* the run's end (moved by rebases) */
    if (ahead < until - now)
        until = now + ahead;
    for (const quiet_timer &t : timers)
        t.host->quiet_skip(t, rounds_before(t, until));
}
