/*
 * host_quiet.cpp - skip_quiet: a host's empty poll rounds counted instead
 * of run, up to the next thing anything else in the simulation does
 * (docs/PERFORMANCE.md, "Quiet time").
 *
 * After a poll round ends on a CPU, when every poll timer the host has
 * armed is steady (hv_poll_steady: two empty rounds at the poller's
 * longest interval, one period apart) and nothing was traced on the host
 * since each one's last round began (other than polls: a CE latched in a
 * bank that round had read already, say), the rounds ahead are the same
 * round again until something else happens. What happens next is SystemC's
 * queue with this host's poll timers held out of it: the scrubber's next
 * finding, a fault's arrival, a scenario event, a guest's or dom0's next
 * step, a stalled CPU, another host's timers; anything pending at the
 * current time (an interrupt, a softirq, a VIRQ) means no skip. The run's
 * end bounds it too. Each timer then skips the whole rounds that end
 * before that time: the hv counts them (hv_poll_skip) and the timer is
 * re-armed that many periods later. What the rounds would have done is
 * the same as what the skip does, so a run with skip_quiet gives the same
 * results (`expect: stages:` counts the skipped checks as poll stages) and
 * the same trace less the skipped rounds' poll events (tests/
 * skip_quiet.sh checks it).
 */
#include "sim/runtime/host_rt.hpp"

using namespace sc_core;

namespace {
struct quiet_timer {
    unsigned cpu;
    uint64_t next_ps, period_ps, busy_ps;
};
}

void host_rt::skip_quiet(unsigned cpu)
{
    uint64_t now = sc_time_stamp().value();
    uint64_t period, busy, end;
    if (stopped_ || !hv_poll_steady(&hv_, cpu, &period, &busy, &end) || end != now)
        return; /* only right after a steady round */
    std::vector<quiet_timer> timers;
    for (unsigned c = 0; c < cpus_.size(); c++) {
        uint64_t at;
        if (!cpus_[c]->timer_armed(&at))
            continue;
        if (at <= now || !hv_poll_steady(&hv_, c, &period, &busy, &end) || round_seen_[c] != activity_)
            return; /* a timer that is due, whose rounds are not steady, or
                     * whose last round began before something happened */
        timers.push_back({c, at, period, busy});
    }
    if (timers.empty() || sc_pending_activity_at_current_time())
        return;
    for (const quiet_timer &t : timers)
        cpus_[t.cpu]->timer_hold();
    uint64_t ahead = sc_time_to_pending_activity().value();
    for (const quiet_timer &t : timers)
        cpus_[t.cpu]->timer_release();
    uint64_t until = scn_.duration_ps;
    if (ahead < until - now)
        until = now + ahead;
    for (const quiet_timer &t : timers) {
        if (t.next_ps + t.busy_ps >= until)
            continue; /* not even the next round ends before */
        uint64_t k = (until - 1 - t.next_ps - t.busy_ps) / t.period_ps + 1;
        uint64_t polls = hv_.stats.polls;
        hv_poll_skip(&hv_, t.cpu, k, t.period_ps);
        /* expect.stages counts the checks, run or skipped */
        rr_.stage_count[TS_POLL] += hv_.stats.polls - polls;
        cpus_[t.cpu]->arm_timer(t.next_ps + k * t.period_ps);
    }
}
