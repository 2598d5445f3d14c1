/*
 * host_cycles.cpp - the cycle fold: whole cycles of rounds counted instead
 * of run (campaign key fold_rounds; docs/PERFORMANCE.md, "Storm cycles
 * counted whole").
 *
 * A CE fault beside a UC fault can make the host's year a cycle repeated
 * thousands of times: under linux-6, a row's CEs raise CMCIs until a
 * storm begins (mce_track_storm's history, 5 of 64), the UC rounds that
 * follow overwrite the CE the storm's polls would read, 30 clean polls
 * end the storm, and the next row's CEs begin the next cycle (fleet host
 * 183: 2,850 cycles of 30.3 s). The round fold (host_fold.cpp) folds
 * within each cycle, but the storm's begin and end, and the rounds around
 * them, run for real every time. So, at each cycle's anchor - a CE finding
 * after another fault's, with no CPU in a storm and the controller's bank
 * empty (the cycle's first CE) - the counters every part lends the round
 * fold, the memory's ledger, the errors by fate and finder, the pages
 * offlined and the timers are read:
 *  - steady: the last cycle held a storm's begin and end (the round
 *    fold crosses neither; cycles without one it folds further itself)
 *    and changed them as the one before it did, or as the one the last
 *    cycle fold repeated (a timer either moved by the cycle or not at
 *    all), the same length in time and in the walk's lines, and no live
 *    error left in the bank or pending; or it was that reference cycle
 *    with other CPUs' quiet polls in it (cycle_less_polls);
 *  - k cycles: every fault with lines there repeats with the cycle's
 *    length (the line-index bits from the length's lowest set bit up are
 *    free in its footprint), the walk's times do too, its lines are all
 *    lines of the faults the cycle found, each as it found them (the dry
 *    run of memctl_scrub_fold_set), the UC faults' pages are fresh and
 *    alike the pages the cycle offlined, and nothing else is pending -
 *    a timer that did not move with the cycles, the run's end, another
 *    fault's arrival - before the real cycle after them begins;
 *  - then the walk takes their lines (memctl_scrub_fold_set), the
 *    counters, the ledger, the errors and the cycle's own timers move by
 *    k cycles, each UC fault's pages go into the hv as one run, a log of
 *    fewer lines a cycle than its ring keeps gets its lines moved on
 *    (rr_fold_cycle_log), and one round_fold event is traced for the
 *    cycles' events.
 * The anchor's finding is not latched: the next finding is the anchor of
 * the cycle after them, which runs for real. tests/fold_rounds.sh compares
 * the results, and the traces, with an unfolded run (window storm-cycles).
 */
#include "sim/runtime/host_rt.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstddef>

extern "C" {
#include "arch/text_fmt.h"
}

using namespace sc_core;

bool host_rt::cycle_delta::operator==(const cycle_delta &o) const
{
    if (dv != o.dv || dmem != o.dmem || timer != o.timer || fate != o.fate || found != o.found || seen != o.seen ||
        T != o.T || L != o.L || counted != o.counted || events != o.events || pages != o.pages ||
        errors != o.errors || likes.size() != o.likes.size() ||
        !fold_same_finding(ev, o.ev))
        return false;
    for (size_t i = 0; i < likes.size(); i++)
        if (!fold_same_finding(likes[i], o.likes[i]))
            return false;
    return true;
}

/* Every finding the round fold is shown: the kind of each fault's lines
 * in the cycle so far (a fault found two ways does not fold). */
void host_rt::cycle_note(const memctl_scrub_event &ev)
{
    cyc_prev_ = cyc_cur_;
    cyc_cur_ = ev;
    if (!ev.fault_id) {
        cyc_mixed_ = true;
        return;
    }
    for (const memctl_scrub_event &l : cyc_likes_)
        if (l.fault_id == ev.fault_id) {
            if (!fold_same_finding(l, ev))
                cyc_mixed_ = true;
            return;
        }
    cyc_likes_.push_back(ev);
}

bool host_rt::cycle_anchor(const memctl_scrub_event &ev) const
{
    if (ev.outcome != MEMCTL_CORRECTED || !ev.fault_id || !cyc_prev_.fault_id ||
        (cyc_prev_.fault_id == ev.fault_id && cyc_prev_.outcome == ev.outcome))
        return false;
    const cpu_mca_bank &b = cpus_[bank_home(cfg_.dram.mc_cpu, cfg_.dram.mc_bank)]->regs.bank[cfg_.dram.mc_bank];
    if (b.status & MCI_STATUS_VAL)
        return false;
    for (unsigned c = 0; c < cpus_.size(); c++)
        if (hv_.cpu[c].storm.in_storm)
            return false;
    return true;
}

void host_rt::cycle_take(cycle_snap &s, const memctl_scrub_event &ev)
{
    const memctl &mc = mem_->mc;
    s.v.resize(fold_ctrs_.size());
    for (size_t i = 0; i < fold_ctrs_.size(); i++)
        s.v[i] = fold_ctr_get(&fold_ctrs_[i]);
    const uint64_t *ml = reinterpret_cast<const uint64_t *>(&mc.ledger);
    s.mem.assign(ml, ml + sizeof(mc.ledger) / sizeof(uint64_t));
    s.timer.resize(cpus_.size());
    for (size_t c = 0; c < cpus_.size(); c++) {
        uint64_t at;
        s.timer[c] = cpus_[c]->timer_armed(&at) ? at : UINT64_MAX;
    }
    /* errors: those counted and the live ones (a sweep moves them from one
     * to the other when it falls: every 1,024 or so, not every cycle) */
    const rr_summary &m = rr_.summary;
    s.errors = m.errors;
    for (unsigned f = 0; f < FATE__COUNT; f++)
        s.fate[f] = m.errors_fate[f];
    for (unsigned f = 0; f < FOUND__COUNT; f++)
        s.found[f] = m.errors_found[f];
    s.unsettled = 0;
    for (unsigned i = m.keep; i < rr_.n_errors; i++) {
        const rr_error &e = rr_.errors[i];
        if (e.folded || e.host != index_)
            continue;
        s.errors++;
        s.fate[(unsigned)e.fate < FATE__COUNT ? e.fate : FATE_LOST]++;
        s.found[e.found_by < FOUND__COUNT ? e.found_by : (unsigned)FOUND_INJECTED]++;
        s.unsettled += e.fate == FATE_IN_BANK || e.fate == FATE_PENDING;
    }
    s.records = rr_.n_records - m.n_free;
    for (unsigned w = 0; w < RR_LOG__COUNT; w++)
        s.seen[w] = m.lines_seen[w];
    s.line = ev.addr >> MEM_LINE_SHIFT;
    s.pass = mc.scrub.pass_base + mc.scrub.pass;
    s.faults = faults_;
    s.counted = ledger_.counted;
    /* the events an unfolded run would have traced: those written, less
     * the folds' own lines, and what they stand for */
    s.events = rr_.nevents - rr_.stage_count[TS_ROUND_FOLD] + fold_stands_for_;
    s.pages = page_states_count(&hv_.pages);
    s.entries = hv_fold_npages(&hv_);
    s.storms = 0;
    for (unsigned c = 0; c < cpus_.size(); c++)
        s.storms += hv_.cpu[c].storm.storms;
    const cpu_mca_bank &b = cpus_[bank_home(cfg_.dram.mc_cpu, cfg_.dram.mc_bank)]->regs.bank[cfg_.dram.mc_bank];
    s.bank = {b.status, b.addr, b.misc, b.ctl2};
    s.ev = ev;
}

/* The cycle from anchor p to anchor c, when it is one the fold can
 * repeat: the same finding begins both, in one pass of the walk, with no
 * fault added, the bank left as it was, no live error unsettled at either
 * end beyond the same number, and each timer moved by the cycle or not
 * at all. */
bool host_rt::cycle_of(const cycle_snap &p, const cycle_snap &c, cycle_delta *d) const
{
    if (p.faults != c.faults || p.pass != c.pass || c.line <= p.line || c.ev.time_ps <= p.ev.time_ps ||
        !fold_same_finding(p.ev, c.ev) || p.bank != c.bank || p.unsettled != c.unsettled || p.records != c.records ||
        cyc_mixed_ || p.v.size() != c.v.size())
        return false;
    d->T = c.ev.time_ps - p.ev.time_ps;
    d->L = c.line - p.line;
    d->timer.assign(c.timer.size(), 0);
    for (size_t cpu = 0; cpu < c.timer.size(); cpu++) {
        if (p.timer[cpu] == UINT64_MAX || c.timer[cpu] == UINT64_MAX)
            d->timer[cpu] = p.timer[cpu] == c.timer[cpu] ? -1 : 2;
        else
            d->timer[cpu] = c.timer[cpu] == p.timer[cpu] ? 0 : c.timer[cpu] - p.timer[cpu] == d->T ? 1 : 2;
        /* (2: a poll of its own in the cycle, cycle_less_polls) */
        if (d->timer[cpu] == 2 &&
            (p.timer[cpu] == UINT64_MAX || c.timer[cpu] == UINT64_MAX || c.timer[cpu] < p.timer[cpu] ||
             p.timer[cpu] <= p.ev.time_ps || p.timer[cpu] > c.ev.time_ps))
            return false;
    }
    d->dv.resize(c.v.size());
    for (size_t i = 0; i < c.v.size(); i++) {
        /* the error counts move by the sweeps: their totals are compared
         * (fate, found); the folds' own lines and the activity they add
         * differ with where the round folds fell */
        const bool skip = (i >= still_from_ && i < still_to_) || i == cyc_fold_at_ || i == cyc_activity_at_;
        d->dv[i] = skip ? 0 : c.v[i] - p.v[i];
    }
    d->dmem.resize(c.mem.size());
    for (size_t i = 0; i < c.mem.size(); i++) {
        d->dmem[i] = c.mem[i] - p.mem[i];
        if (d->dmem[i] && !fold_mem_varies(i))
            return false; /* the memory's ledger moved otherwise than by the walk (a demand read) */
    }
    for (unsigned f = 0; f < FATE__COUNT; f++)
        d->fate[f] = c.fate[f] - p.fate[f];
    for (unsigned f = 0; f < FOUND__COUNT; f++)
        d->found[f] = c.found[f] - p.found[f];
    if (d->fate[FATE_IN_BANK] || d->fate[FATE_PENDING])
        return false;
    for (unsigned w = 0; w < RR_LOG__COUNT; w++)
        d->seen[w] = c.seen[w] - p.seen[w];
    d->errors = c.errors - p.errors;
    d->counted = c.counted - p.counted;
    d->events = c.events - p.events;
    d->pages = c.pages - p.pages;
    d->storms = c.storms - p.storms;
    d->likes = cyc_likes_;
    std::sort(d->likes.begin(), d->likes.end(),
              [](const memctl_scrub_event &a, const memctl_scrub_event &b) { return a.fault_id < b.fault_id; });
    d->ev = c.ev;
    return true;
}

/*
 * The cycle d is the reference cycle with quiet polls in it: CPUs whose
 * timers stood still through the reference cycle polled once each in this
 * one, found nothing, and left everything else as the reference did (fleet
 * linux-6 183: the other CPUs' polls every 300 s, one cycle in ten). Such
 * a cycle needs no other to confirm it: the fold begins at its end. Their
 * poll rounds' counters, the checks and their trace events are the
 * polls' own (fold_poll_owned); *q: d less them, the reference's.
 */
bool host_rt::cycle_less_polls(const cycle_delta &d, const cycle_delta &ref, cycle_delta *q) const
{
    if (d.timer.size() != ref.timer.size() || d.dv.size() != ref.dv.size())
        return false;
    *q = d;
    bool any = false;
    for (size_t x = 0; x < d.timer.size(); x++) {
        if (d.timer[x] != 2)
            continue;
        const hv_poll_rounds &pr = hv_.cpu[x].rounds;
        if (ref.timer[x] != 0 || pr.running || pr.found)
            return false;
        any = true;
        q->timer[x] = 0;
        for (size_t i = 0; i < d.dv.size(); i++) {
            if (!fold_poll_owned(i, (unsigned)x))
                continue;
            if (fold_ctrs_[i].p == &pr.begun && d.dv[i] - ref.dv[i] > 1)
                return false; /* a round of its own, or none (skip_quiet counted its checks) */
            q->dv[i] = ref.dv[i];
        }
    }
    if (!any)
        return false;
    /* the checks' trace events, and nothing more */
    uint64_t polls = 0;
    for (size_t i = 0; i < d.dv.size(); i++)
        if (fold_ctrs_[i].p == &rr_.stage_count[TS_POLL] || fold_ctrs_[i].p == &rr_.stage_count[TS_POLL_SKIP])
            polls += d.dv[i] - ref.dv[i];
    q->events = d.events - polls;
    return *q == ref;
}

/* A rebase moved the host d earlier at now: the anchors' times with it. */
void host_rt::cycle_rebase(uint64_t d, uint64_t now)
{
    for (unsigned i = 0; i < cyc_have_; i++) {
        cycle_snap &s = cyc_snaps_[i];
        fold_rebase_snap(s.v, s.timer, s.ev, d, now);
    }
}

bool host_rt::cycle_fold(const memctl_scrub_event &ev)
{
    if (!cycle_anchor(ev)) {
        return false;
    }
    if (cyc_have_ == 2) {
        std::swap(cyc_snaps_[0], cyc_snaps_[1]);
        cyc_have_ = 1;
    }
    cycle_take(cyc_snaps_[cyc_have_++], ev);
    cycle_delta d;
    const bool whole = cyc_have_ == 2 && cycle_of(cyc_snaps_[0], cyc_snaps_[1], &d);
    cyc_likes_.clear();
    cyc_mixed_ = false;
    cyc_likes_.push_back(ev); /* (the next cycle's first) */
    if (!whole) {
        cyc_have_last_ = false;
        return false;
    }
    cycle_delta q;
    const bool polled = std::find(d.timer.begin(), d.timer.end(), 2) != d.timer.end();
    /* Only cycles that hold a storm's begin and end: the round fold
     * crosses neither, while it folds a cycle of rounds alone further
     * than whole cycles go, counting the polls among them (fleet xen
     * 1552: a row's CE and UC rounds, 16 events a row, Xen's poller every
     * 16 s; cycles of a row would fold 48 at a time, its rounds 131,070) */
    if (d.storms == 0) {
        cyc_have_last_ = false;
        return false;
    }
    bool steady = !polled && ((cyc_have_ref_ && d == cyc_ref_) || (cyc_have_last_ && d == cyc_last_));
    if (polled && cyc_have_ref_ && cycle_less_polls(d, cyc_ref_, &q)) {
        d = q; /* the reference, its polls taken out */
        steady = true;
    }
    cyc_last_ = d;
    cyc_have_last_ = !polled || steady;
    if (!steady || sc_pending_activity_at_current_time())
        return false;
    cyc_ref_ = d;
    cyc_have_ref_ = true;
    for (unsigned w = 0; w < RR_LOG__COUNT; w++)
        if (!rr_fold_cycle_log_ok(&rr_, (rr_log)w, d.seen[w], d.T))
            return false;
    if (!rr_fold_ok(&rr_) || !hv_round_foldable(&hv_) || !dom0_round_foldable(&dom0_) ||
        d.likes.size() > MEMCTL_FOLD_SET_MAX)
        return false;
    /* no guest on this host: a guest's own state (its vMCE handling, its
     * logs) is none of the counters compared */
    for (unsigned i = 0; i < scn_.ndomains; i++)
        if (scn_.domains[i].type != SCN_DOM_DOM0 && scn_.domains[i].host == index_)
            return false;
    memctl &mc = mem_->mc;
    const uint64_t now = sc_time_stamp().value(), line = ev.addr >> MEM_LINE_SHIFT;
    const uint64_t pass = mc.scrub.pass_base + mc.scrub.pass;
    if (now != ev.time_ps)
        return false;
    /* k cycles end before anything the cycles do not hold - the timers
     * that did not move with them, whatever else is pending - which the
     * real cycle after them meets; and a whole cycle before the world's
     * next event (the run's end: the cycle after them writes every "last"
     * thing again, the rings of the logs) */
    std::vector<cpu_sc *> held;
    for (auto &c : cpus_)
        held.push_back(c.get());
    uint64_t ahead;
    (void)pending_besides(held, false, &ahead);
    uint64_t until = now + ahead;
    for (size_t c = 0; c < cpus_.size(); c++)
        if (d.timer[c] == 0)
            until = std::min(until, cyc_snaps_[1].timer[c]);
    uint64_t k = until > now ? (until - now - 1) / d.T : 0;
    const uint64_t world = world_->next(), k_world = world > now ? (world - now) / d.T : 0;
    k = std::min(k, k_world ? k_world - 1 : 0);
    /* in this pass, the anchor of the cycle after them a line of it */
    k = std::min(k, (mc.scrub.lines - 1 - line) / d.L);
    /* the walk's times repeat with the cycle (whole picoseconds: a
     * cycle's lines times the pass's period a whole number of passes'
     * lines) */
    if ((unsigned __int128)d.L * mc.scrub.period_ps % mc.scrub.lines != 0 ||
        scrubber_line_time(&mc.scrub, pass, line) != now ||
        scrubber_line_time(&mc.scrub, pass, line + d.L) != now + d.T)
        return false;
    /* every fault with lines from the cycle before the last on repeats
     * with the cycle: the line-index bits from L's lowest set bit up to
     * the walk's are free in its footprint */
    const unsigned low = (unsigned)__builtin_ctzll(d.L);
    const unsigned top = 64 - (unsigned)__builtin_clzll(mc.scrub.lines - 1);
    const uint64_t hi_bits = (top >= 64 ? ~0ull : (1ull << top) - 1) & ~((1ull << low) - 1);
    const uint64_t from = cyc_snaps_[0].line;
    {
        size_t pos = 0;
        uint64_t id;
        const mem_fault *f;
        while (k && fault_map_iter(&mc.faults, &pos, &id, &f)) {
            fault_footprint fp;
            if (!fault_map_footprint(&mc.faults, id, &fp))
                return false;
            const uint64_t first = footprint_next_line(&fp, from);
            if (first == FAULT_NO_LINE || first >= line + k * d.L || (~fp.free & hi_bits) == 0)
                continue;
            /* not periodic: none of its lines in the cycles compared, and
             * the cycles folded end before its first */
            k = first < line ? 0 : std::min(k, (first - line) / d.L);
        }
    }
    /* the lines the cycles would take, each a line of a fault the cycle
     * found, as it found it - as of now: the faults present at a line are
     * those that arrived by then, and a rebase since the finding moved
     * their arrivals, not its time */
    for (memctl_scrub_event &l : d.likes)
        l.time_ps = now;
    const uint64_t set_end = memctl_scrub_fold_set_end(&mc, d.likes.data(), (unsigned)d.likes.size(), false);
    k = std::min(k, set_end > line ? (set_end - line) / d.L : 0);
    /* UC faults' pages: fresh, alike the cycle's, one fault's each */
    struct uc_run {
        fault_footprint fp;
        uint64_t pages;
    };
    std::vector<uc_run> ucs;
    const size_t entry = hv_fold_npages(&hv_) - 1;
    for (const memctl_scrub_event &l : d.likes)
        if (l.outcome == MEMCTL_UNCORRECTABLE) {
            uc_run u{};
            if (!fault_map_footprint(&mc.faults, l.fault_id, &u.fp))
                return false;
            ucs.push_back(u);
        }
    auto pages_ok = [&](uint64_t kk) -> bool {
        if (ucs.empty())
            return d.pages == 0;
        if (hv_fold_npages(&hv_) == cyc_snaps_[0].entries || !hv_fold_page_runnable(&hv_, entry))
            return false;
        const uint64_t a = line, b = line + kk * d.L - 1; /* the cycles' lines */
        uint64_t sum = 0;
        for (size_t i = 0; i < ucs.size(); i++) {
            uc_run &u = ucs[i];
            const uint64_t f1 = footprint_next_line(&u.fp, a);
            if (f1 == FAULT_NO_LINE || f1 > b) {
                u.pages = 0;
                continue;
            }
            /* no page of the cycles also holds a line before them or
             * after them */
            const uint64_t pa = f1 / kPageLines * kPageLines, pb = b / kPageLines * kPageLines;
            if (pa < a && footprint_count_lines(&u.fp, pa, a) != 0)
                return false;
            const uint64_t after = footprint_next_line(&u.fp, b + 1);
            if (after != FAULT_NO_LINE && after < pb + kPageLines && footprint_next_line(&u.fp, std::max(pb, a)) <= b)
                return false;
            const fault_footprint pg = fold_page_footprint(u.fp);
            u.pages = footprint_count_lines(&pg, a >> kPageLineShift, (b >> kPageLineShift) + 1);
            sum += u.pages;
            /* each page fresh and owned as the entry's (a span at a time) */
            for (uint64_t l2 = f1; l2 != FAULT_NO_LINE && l2 <= b;) {
                const uint64_t mfn = l2 / kPageLines;
                if (!hv_fold_page_like(&hv_, mfn, entry))
                    return false;
                const uint64_t span = hv_fold_like_span(&hv_, mfn);
                const uint64_t to = span < (UINT64_MAX >> kPageLineShift) ? span << kPageLineShift : UINT64_MAX;
                l2 = to <= b ? footprint_next_line(&u.fp, to) : FAULT_NO_LINE;
            }
            /* nor held by another fold's run, nor by another UC fault's */
            bool shared = false;
            fold_pages_each(a, b, [&](size_t, const fold_pages &o) {
                if (fold_first_shared_page(u.fp, a, b, o.fp, o.from, o.to) != UINT64_MAX)
                    shared = true;
                return !shared;
            });
            for (size_t j = 0; j < i && !shared; j++)
                shared = fold_first_shared_page(u.fp, a, b, ucs[j].fp, a, b) != UINT64_MAX;
            if (shared)
                return false;
        }
        return sum == kk * d.pages;
    };
    if (k == 0 || !pages_ok(k))
        return false;
    /* the entries the last cycle made alike the one each run takes after */
    for (size_t i = cyc_snaps_[0].entries; i < hv_fold_npages(&hv_); i++)
        if (!hv_fold_pages_alike(&hv_, i, entry))
            return false;
    const uint64_t end_ps = now + k * d.T; /* the anchor after them */
    uint64_t last_ps = now;
    const size_t found_at = offsetof(memctl_ledger, scrub_found) / sizeof(uint64_t);
    const uint64_t want = k * d.dmem[found_at] - 1;
    if (memctl_scrub_fold_set(&mc, end_ps - 1, d.likes.data(), (unsigned)d.likes.size(), false, true, &last_ps) !=
        want)
        return false;
    /* the walk: the cycles' lines but this one (found), then the ledger as
     * k cycles leave it (less the anchor's own line, counted already) */
    const std::vector<uint64_t> mem0 = cyc_snaps_[1].mem;
    if (memctl_scrub_fold_set(&mc, end_ps - 1, d.likes.data(), (unsigned)d.likes.size(), false, false, &last_ps) !=
        want)
        SC_REPORT_FATAL("host_cycles", "the walk took other lines than planned");
    uint64_t *ml = reinterpret_cast<uint64_t *>(&mc.ledger);
    const size_t folded_at = offsetof(memctl_ledger, folded) / sizeof(uint64_t);
    for (size_t i = 0; i < mem0.size(); i++) {
        const uint64_t expect = mem0[i] + k * d.dmem[i];
        if (i == folded_at)
            ml[i] = expect;
        else if (ml[i] + (i == found_at || i == offsetof(memctl_ledger, scrub_visits) / sizeof(uint64_t) ||
                          i == offsetof(memctl_ledger, ce) / sizeof(uint64_t)) !=
                 expect)
            SC_REPORT_FATAL("host_cycles", "the walk's ledger moved otherwise than k cycles'");
    }
    ledger_.counted += k * d.counted;
    /* a log of fewer lines a cycle than its ring keeps: its lines, moved
     * on (rr_fold_cycle_log), not its counters */
    rr_summary &m = rr_.summary;
    const std::array<uint64_t, RR_LOG__COUNT> seen0 = cyc_snaps_[1].seen;
    std::array<uint64_t, RR_LOG__COUNT> lines0;
    for (unsigned w = 0; w < RR_LOG__COUNT; w++)
        lines0[w] = m.lines[w];
    for (size_t i = 0; i < fold_ctrs_.size(); i++) {
        if (i == cyc_activity_at_)
            fold_ctr_set(&fold_ctrs_[i], fold_ctr_get(&fold_ctrs_[i]) + k * (cyc_snaps_[1].v[i] - cyc_snaps_[0].v[i]));
        else
            fold_ctr_set(&fold_ctrs_[i], fold_ctr_get(&fold_ctrs_[i]) + k * d.dv[i]);
    }
    for (unsigned w = 0; w < RR_LOG__COUNT; w++)
        if (d.seen[w] && d.seen[w] < m.keep) {
            m.lines_seen[w] = seen0[w];
            m.lines[w] = lines0[w];
            rr_fold_cycle_log(&rr_, (rr_log)w, d.seen[w], k, d.T);
        }
    m.errors += k * d.errors;
    rr_host &me = rr_.hosts[index_];
    me.folded_errors += k * d.errors;
    for (unsigned f = 0; f < FATE__COUNT; f++) {
        m.errors_fate[f] += k * d.fate[f];
        me.folded_fate[f] += k * d.fate[f];
    }
    for (unsigned f = 0; f < FOUND__COUNT; f++)
        m.errors_found[f] += k * d.found[f];
    uint64_t npages = 0;
    for (const uc_run &u : ucs)
        if (u.pages) {
            fold_add_pages(u.fp, line, line + k * d.L - 1, u.pages, entry);
            npages += u.pages;
        }
    for (size_t c = 0; c < cpus_.size(); c++)
        if (d.timer[c] == 1)
            cpus_[c]->arm_timer(cyc_snaps_[1].timer[c] + k * d.T);
    const uint64_t events = k * d.events;
    fold_stands_for_ += events;
    /* the round fold's state: the anchor after the cycles is its first
     * finding (as after a fold of its own) */
    fold_restart();
    for (fold_lead &l : fold_leads_)
        l.valid = false;
    cyc_have_ = 0;
    cyc_have_last_ = false;
    cyc_cur_ = cyc_prev_; /* the finding before the next anchor, as before this one */
    char detail[160] = "";
    if (trace_details())
        text_fmt(detail, sizeof(detail),
                 "%" PRIu64 " cycles folded (%" PRIu64 " lines from %#" PRIx64 ", %" PRIu64 " each, %" PRIu64
                 " pages offlined, %" PRIu64 " events)",
                 k, k * d.L, ev.addr, d.L, npages, events);
    trace((int)cfg_.dram.mc_cpu, TS_ROUND_FOLD, (int)cfg_.dram.mc_bank, ev.status, 0, detail);
    ask_rebase();
    return true;
}
