/*
 * host_fold.cpp - the round fold: the repeated handling rounds of one wide
 * permanent fault counted instead of run (campaign key fold_rounds;
 * docs/PERFORMANCE.md, "Folding repeated rounds").
 *
 * A permanent fault over many lines is found by the patrol scrubber line
 * after line, and under Xen's policy each finding is one round: the CE
 * latched, the next line's CE counted into it, CMCI at the threshold, the
 * owner logs the bank, commits a record, dom0 fetches, decodes and acks it.
 * Between two findings the host is quiet, and the round leaves it as it
 * found it but for counts and for what the next round overwrites (the
 * last record, the last log lines, the last times). So, at a finding of
 * the scrubber's thread:
 *  - steady: the two rounds before made the same changes to every counter
 *    the parts lend (fold_ctr.h: the hv's, dom0's, the run record's, the
 *    ledger's, this host's), latched one error each with the same fate,
 *    found the same kind of line of the same fault, polled nothing, and
 *    no part keeps another history of its rounds (hv_round_foldable:
 *    no storm detection; dom0_round_foldable: no CE accounting; bounded
 *    results, whose logs keep a ring the next round writes whole);
 *  - k rounds: the fault's next lines, as memctl_scrub_fold would take
 *    them, last for k + 1 rounds (the round after the fold runs for real
 *    and overwrites every "last" thing), and nothing else is pending in
 *    SystemC, nor is the run's end, before the round after that would begin
 *    (times from the walk's line schedule, not k periods: two rounds are
 *    never exactly a period apart);
 *  - then the walk takes the k rounds' lines as found (memctl_scrub_fold,
 *    the findings among them not counted as folded), every counter moves
 *    by k rounds' change, the rounds' errors go straight into the counts,
 *    one round_fold event is traced, and the finding is not latched: the
 *    scrubber's next finding is the first line of the round after.
 * The results are those of running them (tests/fold_rounds.sh compares);
 * the trace lacks the rounds' events, the round_fold event in their place.
 */
#include "sim/runtime/host_rt.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstddef>

extern "C" {
#include "arch/text_fmt.h"
}

using namespace sc_core;

/* Every part's counters, once: their places do not move (members, and
 * per-CPU vectors sized at construction). */
void host_rt::fold_build()
{
    fold_ctr buf[512];
    auto add = [&](size_t n, bool apply) {
        if (n > sizeof(buf) / sizeof(buf[0]))
            SC_REPORT_FATAL("host_fold", "more fold counters than room");
        fold_ctrs_.insert(fold_ctrs_.end(), buf, buf + n);
        fold_apply_.insert(fold_apply_.end(), n, apply);
    };
    add(hv_fold_counters(&hv_, buf, 512), true);
    add(dom0_fold_counters(&dom0_, buf, 512), true);
    add(rr_fold_counters(&rr_, buf, 512), true);
    add(ledger_fold_counters(&ledger_, buf, 512), true);
    buf[0] = {&activity_, sizeof(activity_)};
    add(1, true);
    for (uint64_t &c : mce_entries_) {
        buf[0] = {&c, sizeof(c)};
        add(1, true);
    }
    for (uint64_t &c : softirq_entries_) {
        buf[0] = {&c, sizeof(c)};
        add(1, true);
    }
    /* the memory's ground truth: memctl_scrub_fold moves it; compared only */
    uint64_t *ml = reinterpret_cast<uint64_t *>(&mem_->mc.ledger);
    for (size_t i = 0; i < sizeof(mem_->mc.ledger) / sizeof(uint64_t); i++)
        buf[i] = {&ml[i], sizeof(uint64_t)};
    add(sizeof(mem_->mc.ledger) / sizeof(uint64_t), false);
}

void host_rt::fold_take(fold_snap &s, const memctl_scrub_event &ev)
{
    s.v.resize(fold_ctrs_.size());
    for (size_t i = 0; i < fold_ctrs_.size(); i++)
        s.v[i] = fold_ctr_get(&fold_ctrs_[i]);
    s.ev = ev;
    s.err = fold_err{};
    if (last_error_ >= 0 && (unsigned)last_error_ < rr_.n_errors) {
        const rr_error &e = rr_.errors[last_error_];
        if (!e.folded && e.id == rr_.summary.next_error_id && e.fate != FATE_IN_BANK && e.fate != FATE_PENDING)
            s.err = {true, (unsigned)e.fate, e.found_by, (unsigned)e.latch, e.bank, e.cpu, e.cls, e.status};
    }
    s.errors = rr_.summary.next_error_id;
    s.counts = rr_fold_ok(&rr_);
    s.polls = hv_.stats.polls;
    s.visits = mem_->mc.ledger.scrub_visits;
    s.found = mem_->mc.ledger.scrub_found;
    s.folded = mem_->mc.ledger.folded;
    s.events = rr_.nevents;
    /* the round that ends here began at the last snapshot's finding */
    const fold_snap *prev = fold_have_ >= 2 ? &fold_snaps_[fold_have_ - 2] : nullptr;
    s.busy_from = s.busy_to = UINT64_MAX;
    if (prev && fold_first_hv_ != UINT64_MAX && fold_first_hv_ >= prev->ev.time_ps) {
        s.busy_from = fold_first_hv_ - prev->ev.time_ps;
        s.busy_to = fold_last_ev_ - prev->ev.time_ps;
    }
    fold_first_hv_ = UINT64_MAX;
    for (unsigned w = 0; w < RR_LOG__COUNT; w++)
        s.lines[w] = rr_.summary.lines_seen[w];
}

static bool same_finding(const memctl_scrub_event &a, const memctl_scrub_event &b)
{
    return a.fault_id && a.fault_id == b.fault_id && a.outcome == b.outcome && a.device == b.device &&
           a.status == b.status;
}

/* The round from snapshot p to snapshot c, when it is one a fold can
 * repeat: a CE finding of a fault, one settled error, no poll, m lines of
 * the walk of which one was reported and the rest folded into it, begun
 * past the thresholds of bounded results (past them, a round's record is
 * a count) with the logs' rings full, and the round after it writing
 * them whole. */
bool host_rt::fold_round_of(const fold_snap &p, const fold_snap &c, fold_round *r) const
{
    if (!same_finding(p.ev, c.ev) || c.ev.outcome != MEMCTL_CORRECTED || !c.err.valid)
        return false;
    if (c.errors - p.errors != 1 || c.polls != p.polls || !p.counts)
        return false;
    r->m = c.visits - p.visits;
    if (r->m == 0 || c.found - p.found != r->m || c.folded - p.folded != r->m - 1)
        return false;
    uint64_t per_round[RR_LOG__COUNT];
    for (unsigned w = 0; w < RR_LOG__COUNT; w++)
        per_round[w] = c.lines[w] - p.lines[w];
    if (!rr_fold_logs_ok(&rr_, p.lines, per_round))
        return false;
    r->dv.resize(c.v.size());
    for (size_t i = 0; i < c.v.size(); i++)
        r->dv[i] = c.v[i] - p.v[i];
    r->ev = c.ev;
    r->err = c.err;
    r->events = c.events - p.events;
    r->busy_known = c.busy_from != UINT64_MAX;
    r->busy_from = c.busy_from;
    r->busy_to = c.busy_to;
    return true;
}

/* Two rounds that made the same changes; the busy window of either */
static bool same_round(const host_rt::fold_round &x, host_rt::fold_round &y)
{
    if (!same_finding(x.ev, y.ev) || !(x.err == y.err) || x.m != y.m || x.dv != y.dv)
        return false;
    y.busy_known = x.busy_known && y.busy_known;
    y.busy_from = std::min(x.busy_from, y.busy_from);
    y.busy_to = std::max(x.busy_to, y.busy_to);
    return true;
}

/* The last round repeats the one before it, or the reference round the
 * last fold repeated (then a round with a poll in it, or the round after
 * a fold, costs one more round, not two); *r: it, the busy windows of
 * both merged. */
bool host_rt::fold_steady(fold_round *r)
{
    const fold_snap &p = fold_snaps_[fold_have_ - 2], &c = fold_snaps_[fold_have_ - 1];
    if (!fold_round_of(p, c, r))
        return false;
    fold_round before;
    if ((have_ref_ && same_round(fold_ref_, *r)) ||
        (fold_have_ == 3 && fold_round_of(fold_snaps_[0], p, &before) && same_round(before, *r))) {
        fold_ref_ = *r;
        have_ref_ = true;
        return true;
    }
    return false;
}

bool host_rt::round_fold(const memctl_scrub_event &ev)
{
    if (!scn_.fold_rounds || !rr_.summary.keep || !mem_ || !mem_->in_thread() || stopped_ || ff_)
        return false;
    if (fold_ctrs_.empty())
        fold_build();
    if (fold_have_ == 3) { /* keep the last two */
        std::swap(fold_snaps_[0], fold_snaps_[1]);
        std::swap(fold_snaps_[1], fold_snaps_[2]);
        fold_have_ = 2;
    }
    fold_take(fold_snaps_[fold_have_++], ev);
    fold_round rd;
    if (fold_have_ < 2 || !hv_round_foldable(&hv_) || !dom0_round_foldable(&dom0_) || !fold_steady(&rd))
        return false;
    const uint64_t m = rd.m;
    if (sc_pending_activity_at_current_time())
        return false;
    /* The fault's lines after this one, as a fold after this finding would
     * take them: k rounds folded and the one after run need m (k + 1). */
    memctl &mc = mem_->mc;
    uint64_t lines = memctl_scrub_fold_count(&mc, &ev);
    if (lines / m < 2)
        return false;
    uint64_t now = sc_time_stamp().value();
    /* Poll timers whose rounds find nothing (hv_poll_steady) and cannot
     * read the bank the rounds' CEs wait in are counted with the rounds
     * (below); anything else pending bounds the fold. */
    std::vector<quiet_timer> polls;
    bool cross = rd.busy_known && !hv_poll_reads_bank(&hv_, cfg_.dram.mc_bank);
    for (unsigned cpu = 0; cross && cpu < cpus_.size(); cpu++) {
        uint64_t at, period, busy, end;
        if (cpus_[cpu]->timer_armed(&at) && at > now && hv_poll_steady(&hv_, cpu, &period, &busy, &end))
            polls.push_back({this, cpu, at, period, busy});
    }
    for (const quiet_timer &t : polls)
        cpus_[t.cpu]->timer_hold();
    hold_wakes(true);
    world_->hold(true);
    uint64_t ahead = sc_time_to_pending_activity().value();
    world_->hold(false);
    hold_wakes(false);
    for (const quiet_timer &t : polls)
        cpus_[t.cpu]->timer_release();
    uint64_t until = world_->next();
    if (ahead < until - now)
        until = now + ahead;
    /* the round after the real one must begin before until */
    auto begins = [&](uint64_t r) { return memctl_scrub_fold_horizon(&mc, &ev, r * m, nullptr); };
    uint64_t hi_rounds = lines / m - 1; /* rounds that could be folded */
    auto last_before = [&](uint64_t t, uint64_t hi) { /* the last round r <= hi that begins at or before t */
        uint64_t lo = 0;
        while (lo < hi) {
            uint64_t mid = lo + (hi - lo + 1) / 2;
            if (begins(mid) <= t)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo;
    };
    uint64_t k = until > now ? last_before(until - 1, hi_rounds + 1) : 0;
    k = k ? k - 1 : 0; /* round k + 1 begins before until */
    /* A counted poll must fall where no round's CPUs are busy (the same
     * window in every round, give or take the line schedule's picosecond,
     * and a margin), nor run into the next round's finding: the first
     * round a poll would meet is run, and the fold stops before it. */
    const uint64_t margin = 1000000; /* 1 us */
    const uint64_t busy_from = rd.busy_from, busy_to = rd.busy_to;
    for (const quiet_timer &t : polls) {
        for (uint64_t at = t.next_ps; k && at < begins(k); at += t.period_ps) {
            uint64_t r = last_before(at, k);
            uint64_t r0 = begins(r), r1 = begins(r + 1);
            bool clear = (at + t.busy_ps + margin < r0 + busy_from || at > r0 + busy_to + margin) &&
                         at + t.busy_ps + margin < r1;
            if (!clear)
                k = r; /* round r runs, with its poll */
        }
    }
    if (k == 0)
        return false;
    /* The walk: this line and the next m k - 1 taken, the round findings
     * among them (every m-th) not folded ones. */
    uint64_t last_ps = now, taken = 0, end = begins(k); /* before the walk moves */
    if (m * k > 1)
        taken = memctl_scrub_fold(&mc, end - 1, &ev, &last_ps);
    if (taken != m * k - 1)
        SC_REPORT_FATAL("host_fold", "the walk took other lines than planned");
    mc.ledger.folded -= k - 1;
    /* the polls that fall in the folded rounds, counted as skip_quiet
     * counts empty rounds (hv_poll_count: the round_fold event says so) */
    uint64_t checks = hv_.stats.polls, npolls = 0;
    for (const quiet_timer &t : polls) {
        if (t.next_ps >= end)
            continue;
        uint64_t n = (end - 1 - t.next_ps) / t.period_ps + 1;
        hv_poll_count(&hv_, t.cpu, n, t.period_ps);
        cpus_[t.cpu]->arm_timer(t.next_ps + n * t.period_ps);
        npolls += n;
    }
    checks = hv_.stats.polls - checks; /* a check is a poll event */
    rr_.stage_count[TS_POLL] += checks;
    for (size_t i = 0; i < fold_ctrs_.size(); i++)
        if (fold_apply_[i])
            fold_ctr_set(&fold_ctrs_[i], fold_ctr_get(&fold_ctrs_[i]) + k * rd.dv[i]);
    rr_fold_add_errors(&rr_, k, (rr_fate)rd.err.fate, (rr_found)rd.err.found_by);
    rounds_folded_ += k;
    fold_have_ = 0; /* the round after runs, and is compared with rd before the next fold */
    char detail[160] = "";
    if (trace_details())
        text_fmt(detail, sizeof(detail),
                 "%" PRIu64 " rounds of fault %" PRIu64 " folded (%" PRIu64 " lines from %#" PRIx64 ", %" PRIu64
                 " per round, %" PRIu64 " polls, %" PRIu64 " events)",
                 k, ev.fault_id, m * k, ev.addr, m, npolls, k * rd.events + checks);
    trace((int)cfg_.dram.mc_cpu, TS_ROUND_FOLD, (int)cfg_.dram.mc_bank, ev.status, 0, detail);
    /* The clock moved on by the rounds counted: once the scrubber sleeps
     * until the round after, move it back (a year-long run). */
    if (world_->every && now >= SIM_SC_HORIZON_PS / 2) {
        if (!rebase_thread_) {
            rebase_thread_ = true;
            sc_spawn([this]() {
                for (;;) {
                    wait(rebase_ev_);
                    rebase_gap();
                }
            });
        }
        rebase_ev_.notify(SC_ZERO_TIME);
    }
    return true;
}
