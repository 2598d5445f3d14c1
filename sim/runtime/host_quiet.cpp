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
 */
#include "sim/runtime/host_rt.hpp"

using namespace sc_core;

struct quiet_timer {
    host_rt *host;
    unsigned cpu;
    uint64_t next_ps, period_ps, busy_ps;
};

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

/* Skip t's rounds that end before until. */
void host_rt::quiet_skip(const quiet_timer &t, uint64_t until)
{
    if (t.next_ps + t.busy_ps >= until)
        return; /* not even the next round ends before */
    uint64_t k = (until - 1 - t.next_ps - t.busy_ps) / t.period_ps + 1;
    uint64_t polls = hv_.stats.polls;
    hv_poll_skip(&hv_, t.cpu, k, t.period_ps);
    /* expect.stages counts the checks, run or skipped */
    rr_.stage_count[TS_POLL] += hv_.stats.polls - polls;
    cpus_[t.cpu]->arm_timer(t.next_ps + k * t.period_ps);
}

void host_rt::skip_quiet(unsigned cpu)
{
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
    for (const quiet_timer &t : timers)
        t.host->cpus_[t.cpu]->timer_hold();
    uint64_t ahead = sc_time_to_pending_activity().value();
    for (const quiet_timer &t : timers)
        t.host->cpus_[t.cpu]->timer_release();
    uint64_t until = scn_.duration_ps;
    if (ahead < until - now)
        until = now + ahead;
    for (const quiet_timer &t : timers)
        t.host->quiet_skip(t, until);
}
