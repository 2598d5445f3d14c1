/*
 * host_fold_learn.cpp - the kinds of rounds the kinds fold plans with
 * (host_fold_kinds.cpp has the whole design): each round from one scrubber
 * finding to the next into its kind, keyed by its lines' faults and times
 * and the rounds before and after it, confirmed when two rounds of a key
 * made the same changes; a storm's poll within a round learnt as a polled
 * kind or a split one; the faults that lie within another's lines.
 */
#include "sim/runtime/host_fold_kinds.hpp"

#include <algorithm>
#include <cstddef>

extern "C" {
#include "arch/ps_rebase.h"
}

/* The longest round of lines listed one by one (a kind with another
 * fault's miscorrections among its lines: two rows of a bank fault's) */
static constexpr size_t kKindLinesMax = 4096;

/* A storm's poll in a round (fold_kind::polled, fold_kind::split): its
 * timer's period, a round's length, its clear of the bank and reads from
 * its start, its last event (dom0's ack); at: where it fell, for show */
static host_rt::fold_kind::poll_sig poll_sig_of(const host_rt::fold_round &r, uint64_t len, uint64_t at)
{
    host_rt::fold_kind::poll_sig ps;
    ps.period = r.period;
    ps.len = len;
    ps.dclear = r.dclear;
    ps.busy_after = r.busy_after;
    ps.nreads = r.nreads;
    ps.dreads = r.dreads;
    ps.at = at;
    return ps;
}

/* two such polls alike: all but where they fell and their last events */
static bool same_poll(const host_rt::fold_kind::poll_sig &a, const host_rt::fold_kind::poll_sig &b)
{
    return a.period == b.period && a.len == b.len && a.dclear == b.dclear && a.nreads == b.nreads &&
           a.dreads == b.dreads;
}

bool host_rt::fold_bank_storms() const
{
    const unsigned bank = cfg_.dram.mc_bank, home = bank_home(cfg_.dram.mc_cpu, bank);
    return home < hv_.cfg.ncpus && bank < MCA_MAX_BANKS && hv_.cpu[home].storm.bank[bank].in_storm;
}

/* A fault strictly within another's lines (fleet hosts 3628, 9408: a
 * column fault within a rank or bank fault's): each of its lines a DUE of
 * both, named for it (memctl.c, nested_inner), then poisoned, the walk
 * passing it without a finding. */
bool host_rt::fold_any_nested() const
{
    const memctl &mc = mem_->mc;
    const size_t live = fault_map_count(&mc.faults);
    if (faults_ != nested_faults_ || live != nested_live_) {
        /* the faults changed: is any within another at all (rare)? */
        nested_faults_ = faults_;
        nested_live_ = live;
        nested_id_ = 0;
        nested_.clear();
        std::vector<fault_footprint> all;
        size_t pos = 0;
        uint64_t oid;
        const mem_fault *f;
        fault_footprint h;
        while (fault_map_iter(&mc.faults, &pos, &oid, &f))
            if (fault_map_footprint(&mc.faults, oid, &h))
                all.push_back(h);
        nested_any_ = false;
        for (size_t i = 0; i < all.size() && !nested_any_; i++)
            for (size_t j = 0; j < all.size() && !nested_any_; j++)
                nested_any_ = i != j && footprint_nested(&all[i], &all[j]);
    }
    return nested_any_;
}

const std::vector<fault_footprint> &host_rt::fold_nested(uint64_t id) const
{
    const memctl &mc = mem_->mc;
    if (!fold_any_nested() || id == nested_id_)
        return nested_; /* (empty when none) */
    nested_id_ = id;
    nested_.clear();
    fault_footprint outer, h;
    if (!fault_map_footprint(&mc.faults, id, &outer))
        return nested_;
    size_t pos = 0;
    uint64_t oid;
    const mem_fault *f;
    while (fault_map_iter(&mc.faults, &pos, &oid, &f))
        if (oid != id && fault_map_footprint(&mc.faults, oid, &h) && footprint_nested(&outer, &h))
            nested_.push_back(h);
    return nested_;
}

/*
 * The round from p to c into the kinds: its key, then the kind of that
 * key confirmed when it made the same changes as this one, else replaced
 * by it. True when the round is of a confirmed kind (steady).
 */
bool host_rt::fold_learn(const fold_snap &p, const fold_snap &c, fold_round *steady)
{
    if (fold_kinds_faults_ != faults_) { /* a new fault: every kind's course may change */
        fold_kinds_.clear();
        fold_kinds_ver_++;
        fold_kinds_faults_ = faults_;
        fold_learn_runs_ = kFoldLearnRuns;
    }
    const fold_lead &before = fold_leads_[kFoldLeads - 3];
    fold_kind k;
    learnt_state_ = 0;
    k.seen = ++fold_learns_;
    if (fold_have_ == 3 && &p == &fold_snaps_[1])
        fold_learn_split(fold_snaps_[0], p, c);
    if (!before.valid)
        return false;
    const bool of = fold_round_of(p, c, &k.rd, true);
    if (fold_same_finding(p.ev, c.ev)) { /* as fold_round_of without kinds (no part of a page's rounds) */
        /* (a storm's round with another fault's miscorrections: none of
         * kinds, but fold_round_of without kinds may take it) */
        learnt_state_ = of && !(k.rd.uc && k.rd.dpages == 0) ? 1 : !of && fold_storm_sdcs(p, c) ? 0 : 2;
        if (of)
            learnt_ = k.rd;
    }
    if (!of || (k.rd.driver >= 0 && !fold_learn_polled(p, c, k)) || !k.rd.busy_known)
        return false;
    const memctl &mc = mem_->mc;
    const uint64_t lead = p.ev.addr >> MEM_LINE_SHIFT, next = c.ev.addr >> MEM_LINE_SHIFT;
    const uint64_t off0 = scrubber_line_offset(&mc.scrub, lead);
    uint64_t last = lead;
    k.faults.push_back(p.ev.fault_id);
    k.at.push_back(0);
    if (k.rd.sdc_lines) {
        if (!fold_learn_lines(k, lead, next, &last))
            return false;
        /* its CMCI's line: the one whose count reached the threshold, a
         * miscorrection's as a CE's (host_rt::scrub_found); lines after it
         * are counted until the handler clears the bank */
        if (c.cmci_ps == UINT64_MAX && (k.rd.err.fate == FATE_OVERWRITTEN || k.polled)) {
            /* none: the next round's UC overwrites its error first (as a
             * CE round's, fold_round_of), or a storm's poll reads it, its
             * last line ends it */
            k.cmci_line = k.faults.size() - 1;
        } else {
            const auto cl = std::find(k.at.begin(), k.at.end(), c.cmci_ps - p.ev.time_ps);
            if (c.cmci_ps == UINT64_MAX || ps_after(p.ev.time_ps, c.cmci_ps) || cl == k.at.end())
                return false;
            k.cmci_line = (size_t)(cl - k.at.begin());
        }
    } else if (!k.rd.inner.empty()) {
        /* its other lines are its findings (none folded into the bank's
         * count by the controller, whose fault the plan could not tell) */
        if (k.rd.uc || k.rd.m != 1 + k.rd.inner.size())
            return false;
        for (const memctl_scrub_event &e : k.rd.inner) {
            uint64_t l = e.addr >> MEM_LINE_SHIFT;
            if (l <= last || e.time_ps < p.ev.time_ps)
                return false;
            k.faults.push_back(e.fault_id);
            k.at.push_back(e.time_ps - p.ev.time_ps);
            last = l;
        }
    } else {
        /* its other lines are the lead fault's next ones: a CE round's
         * folded into the bank's count (host_rt::fold_scrub_ces: a line of
         * another fault would have been a finding); a UC unit's the rest
         * of its page, from the page's first, each a #MC round of its own */
        fault_footprint fp;
        const uint64_t page = lead / kPageLines;
        if (!fault_map_footprint(&mc.faults, p.ev.fault_id, &fp))
            return false;
        k.rd.page_first = k.rd.uc && footprint_next_line(&fp, page * kPageLines) == lead;
        if (k.rd.uc && !k.rd.page_first && k.rd.dpages)
            return false; /* a page's entry is its first round's */
        const std::vector<fault_footprint> nested =
            k.rd.m > 1 ? fold_nested(p.ev.fault_id) : std::vector<fault_footprint>{};
        /* a row's thousands of lines: each the next submask, and a nested
         * fault's line looked up where one comes (nest_at: the first at
         * or after nest_from), not at every line */
        uint64_t nest_from = 1, nest_at = 0;
        auto is_hole = [&](uint64_t l) {
            if (nested.empty())
                return false;
            if (l < nest_from || l > nest_at) {
                nest_from = l;
                nest_at = FAULT_NO_LINE;
                for (const fault_footprint &h : nested)
                    nest_at = std::min(nest_at, footprint_next_line(&h, l));
            }
            return l == nest_at && fold_hole(mc, nested, l);
        };
        k.faults.reserve(k.rd.m);
        k.at.reserve(k.rd.m);
        for (uint64_t j = 1; j < k.rd.m; j++) {
            last = footprint_line_after(&fp, last);
            bool hole = false;
            for (unsigned skip = 0; last != FAULT_NO_LINE && last < next && is_hole(last); skip++) {
                last = skip < kHoleSkips ? footprint_line_after(&fp, last) : FAULT_NO_LINE; /* no finding */
                hole = true;
            }
            if (last == FAULT_NO_LINE || last >= next || (k.rd.uc && last / kPageLines != page))
                return false;
            if (j == 1 || hole) /* a stretch of the fault's lines in a row begins */
                k.runs.push_back({(size_t)j, 0, last - lead, footprint_count_lines(&fp, 0, last)});
            k.runs.back().n++;
            k.faults.push_back(p.ev.fault_id);
            k.at.push_back(scrubber_line_offset(&mc.scrub, last) - off0);
        }
        /* (short ones are matched line by line) */
        k.runs.erase(std::remove_if(k.runs.begin(), k.runs.end(), [](const fold_kind::run &r) { return r.n < 16; }),
                     k.runs.end());
        if (k.rd.uc) {
            /* the page's rounds not whole: another fault's finding comes
             * before the page's next line (the round ends there, next) */
            uint64_t after = footprint_next_line(&fp, last + 1);
            k.rd.part = !k.rd.page_first || (after != FAULT_NO_LINE && after / kPageLines == page);
            if (k.rd.dpages == 0 && !k.rd.part)
                return false; /* a whole page's rounds, its entry made before */
        }
    }
    if (next <= last || c.ev.time_ps <= p.ev.time_ps || p.ev.time_ps <= before.t)
        return false; /* a pass's end within: not a kind the plan walks */
    if (!k.rd.sdc_lines)
        k.cmci_line = k.faults.size() - 1; /* else found above */
    if (k.polled && k.poll.at <= k.at.back() + kPollMargin)
        return false; /* the poll came amid the round's lines: they would log another CE after it */
    for (size_t j = 0; j < k.faults.size(); j++)
        if (j == 0 || k.faults[j] != k.faults[j - 1])
            k.fault_runs.push_back(k.faults[j]);
    k.prev_fault = before.fault;
    k.over = p.err_over.valid;
    k.storm = !k.rd.uc && fold_bank_storms(); /* (a UC round's course is the same either way) */
    k.cmci = c.cmci_ps != UINT64_MAX;
    k.back = p.ev.time_ps - before.t;
    k.next_fault = c.ev.fault_id;
    k.fwd = c.ev.time_ps - p.ev.time_ps;
    for (fold_kind &o : fold_kinds_) {
        if (!same_key(o, k))
            continue;
        fold_round seen = o.rd;
        if (fold_same_round(seen, k.rd) &&
            (!k.rd.uc || !k.rd.dpages || hv_fold_pages_alike(&hv_, seen.entry, k.rd.entry)) &&
            (!k.polled || same_poll(o.poll, k.poll))) {
            /* k.rd: both busy windows (and the later of the polls' ends) */
            k.poll.busy_after = std::max(o.poll.busy_after, k.poll.busy_after);
            o.poll = k.poll;
            o.rd = k.rd;
            if (!o.confirmed)
                fold_learn_runs_ = kFoldLearnRuns;
            o.confirmed = true;
            o.seen = k.seen;
            *steady = o.rd;
            return true;
        }
        o = k; /* the kind changed course: this round is its reference now */
        fold_kinds_ver_++;
        return false;
    }
    if (fold_kinds_.size() >= kFoldKindsMax) {
        /* full: the kind met longest ago makes room. (An unconfirmed one
         * first, as before, let confirmed kinds of a past phase fill the
         * table, and a new kind was dropped before its second round could
         * confirm it: fleet xen 9767, a bank fault's end-of-row round beside
         * another bank fault's eleven kinds of an earlier pass, no period,
         * folds of 61 rounds.) */
        fold_kinds_.erase(std::min_element(fold_kinds_.begin(), fold_kinds_.end(),
                                           [](const fold_kind &a, const fold_kind &b) { return a.seen < b.seen; }));
    }
    fold_kinds_.push_back(std::move(k));
    fold_kinds_ver_++; /* (and any kind erased for room: indices moved) */
    return false;
}

bool host_rt::fold_poll_owned(size_t i, unsigned cpu) const
{
    const uint8_t *a = static_cast<const uint8_t *>(fold_ctrs_[i].p);
    const uint8_t *r = reinterpret_cast<const uint8_t *>(&hv_.cpu[cpu].rounds);
    const uint8_t *s = reinterpret_cast<const uint8_t *>(&hv_.cpu[cpu].storm);
    return (a >= r && a < r + sizeof(hv_.cpu[cpu].rounds)) || (a >= s && a < s + sizeof(hv_.cpu[cpu].storm)) ||
           fold_ctrs_[i].p == &hv_.stats.polls || fold_ctrs_[i].p == &rr_.stage_count[TS_POLL];
}

void host_rt::fold_count_storm_poll(unsigned cpu, uint64_t start, uint64_t len, bool found)
{
    hv_poll_storm_counted(&hv_, cpu, start, len, found, 1u << cfg_.dram.mc_bank);
    rr_.stage_count[TS_POLL]++; /* its poll event */
}

bool host_rt::fold_poll_counts_as_found(const fold_snap &p, const fold_snap &c, unsigned cpu, uint64_t start,
                                        uint64_t len, std::vector<size_t> *own)
{
    own->clear();
    for (size_t i = 0; i < fold_ctrs_.size(); i++)
        if (fold_poll_owned(i, cpu))
            own->push_back(i);
    for (size_t i : *own)
        fold_ctr_set(&fold_ctrs_[i], p.v[i]);
    fold_count_storm_poll(cpu, start, len, true);
    bool same = true;
    for (size_t i : *own) {
        same = same && fold_ctr_get(&fold_ctrs_[i]) == c.v[i];
        fold_ctr_set(&fold_ctrs_[i], c.v[i]);
    }
    return same;
}

/* The storm poll the bank's home CPU x just ran as round r's (its driver):
 * one of a storm whose polls find the CE or nothing
 * (hv_poll_storm_found_steady), begun at its timer, its work (dom0's too)
 * done before `next`; *len: how long it ran */
bool host_rt::fold_last_storm_poll(const fold_round &r, unsigned x, uint64_t next, uint64_t *len) const
{
    uint64_t interval, empty_len;
    unsigned room, room_found;
    if (!hv_poll_storm_found_steady(&hv_, x, 1u << cfg_.dram.mc_bank, &interval, &empty_len, &room, &room_found))
        return false;
    const hv_poll_rounds &pr = hv_.cpu[x].rounds;
    *len = pr.end_ps[0] - pr.start_ps[0];
    return pr.start_ps[0] == r.poll_ps && r.period == interval + *len &&
           r.poll_ps + r.busy_after + kPollMargin < next;
}

/*
 * The rounds from p0 to p1 and p1 to p2 as one round of a confirmed kind
 * K (a CE round whose CE the next round's UC overwrites) that a storm's
 * poll split (fold_kind::split): the poll read p0's CE amid K's lines,
 * none of them within its work and two or more on each side; p1's
 * finding is K's next line after it, whose CE p2's UC overwrote. Learnt
 * into K: the counters' changes of the two less K's (the poll's own
 * counters none: they must be one found poll's, fold_count_storm_poll),
 * events, CEs counted beyond the lines, the poll's error and signature.
 */
void host_rt::fold_learn_split(const fold_snap &p0, const fold_snap &p1, const fold_snap &p2)
{
    const unsigned bank = cfg_.dram.mc_bank, x = bank_home(cfg_.dram.mc_cpu, bank);
    const fold_lead &before = fold_leads_[kFoldLeads - 4];
    fold_round r1, r2;
    if (!before.valid || !fold_round_of(p0, p1, &r1, true) || !fold_round_of(p1, p2, &r2, true) ||
        r1.driver != (int)x || r1.uc || !r1.inner.empty() || !r1.sdcs.empty() || !r1.err.valid ||
        r1.err.fate == FATE_OVERWRITTEN || r1.err.fate == FATE_IN_BANK || r2.driver >= 0 || r2.uc ||
        !r2.inner.empty() || !r2.sdcs.empty() || p2.ev.outcome != MEMCTL_UNCORRECTABLE || p1.cmci_ps != UINT64_MAX ||
        p2.cmci_ps != UINT64_MAX)
        return;
    fold_kind *kd = nullptr;
    for (fold_kind &o : fold_kinds_)
        if (o.confirmed && !o.polled && !o.rd.uc && o.rd.err.fate == FATE_OVERWRITTEN && o.rd.inner.empty() &&
            o.rd.sdcs.empty() && o.faults[0] == p0.ev.fault_id && fold_same_finding(o.rd.lead, p0.ev) &&
            fold_same_finding(o.rd.ev, p2.ev) && o.prev_fault == before.fault &&
            near(o.back, p0.ev.time_ps - before.t) && o.next_fault == p2.ev.fault_id &&
            near(o.fwd, p2.ev.time_ps - p0.ev.time_ps)) {
            kd = &o;
            break;
        }
    if (!kd)
        return;
    /* the poll amid K's lines: c1 of them before it, the next (p1's) after its work */
    uint64_t len;
    if (!fold_last_storm_poll(r1, x, p2.ev.time_ps, &len))
        return;
    const uint64_t poll = r1.poll_ps, off = poll - p0.ev.time_ps;
    const size_t m = kd->at.size();
    const size_t c1 = (size_t)(std::partition_point(kd->at.begin(), kd->at.end(),
                                                    [&](uint64_t a) { return a + kPollMargin < off; }) -
                               kd->at.begin());
    if (c1 < 2 || c1 + 2 > m || !near(kd->at[c1], p1.ev.time_ps - p0.ev.time_ps) ||
        kd->at[c1] <= off + r1.busy_after + kPollMargin)
        return;
    uint64_t per_round[RR_LOG__COUNT];
    for (unsigned w = 0; w < RR_LOG__COUNT; w++)
        per_round[w] = p2.lines[w] - p0.lines[w];
    std::vector<size_t> own;
    if (!rr_fold_logs_ok(&rr_, p0.lines, per_round) ||
        !fold_poll_counts_as_found(p0, p2, x, poll, len, &own))
        return;
    fold_kind::split_sig sp;
    sp.have = true;
    sp.dv.resize(p2.v.size());
    for (size_t i = 0; i < p2.v.size(); i++)
        sp.dv[i] = p2.v[i] - p0.v[i] - kd->rd.dv[i];
    for (size_t i : own)
        sp.dv[i] = 0;
    sp.events = (p2.events - p0.events) - kd->rd.events;
    sp.extra_counted = r1.extra_counted + r2.extra_counted - kd->rd.extra_counted;
    sp.err = r1.err;
    sp.poll = poll_sig_of(r1, len, off);
    fold_kind::split_sig &o = kd->split;
    if (o.have && o.dv == sp.dv && o.events == sp.events && o.extra_counted == sp.extra_counted && o.err == sp.err &&
        same_poll(o.poll, sp.poll)) {
        o.confirmed = true;
        o.poll.busy_after = std::max(o.poll.busy_after, sp.poll.busy_after);
        return;
    }
    kd->split = std::move(sp); /* (a split of another course: its reference now) */
}

/*
 * The CE round from p to c (k.rd, of fold_round_of: the storm's poll its
 * driver), which ends at a UC finding (unpolled, its CE would have been
 * that UC's to overwrite; rounds that end at the first line after the
 * poll are the storm's own, fold_plan_storm), as a polled kind
 * (fold_kind::polled): its CE, the only error in
 * the banks the poll read (the memory controller's, its CPU's storming
 * ones all among them), logged by that poll, which began at its timer and
 * whose work, dom0's too, was done before c's finding. The poll's own
 * counters must be exactly what fold_count_storm_poll makes of p's for
 * one such poll (set, compared, put back), and leave rd.dv; the round's
 * CPUs are busy with nothing else (a storm raised no CMCI).
 */
bool host_rt::fold_learn_polled(const fold_snap &p, const fold_snap &c, fold_kind &k)
{
    fold_round &r = k.rd;
    const unsigned x = (unsigned)r.driver;
    uint64_t len;
    if (r.uc || !r.inner.empty() || !r.sdcs.empty() || x != bank_home(cfg_.dram.mc_cpu, cfg_.dram.mc_bank) ||
        !r.err.valid || r.err.fate == FATE_OVERWRITTEN || r.err.fate == FATE_IN_BANK || c.cmci_ps != UINT64_MAX ||
        c.ev.outcome != MEMCTL_UNCORRECTABLE || !fold_last_storm_poll(r, x, c.ev.time_ps, &len))
        return false;
    const uint64_t poll = r.poll_ps;
    std::vector<size_t> own;
    if (!fold_poll_counts_as_found(p, c, x, poll, len, &own))
        return false;
    k.polled = true;
    k.poll = poll_sig_of(r, len, poll - p.ev.time_ps);
    for (size_t i : own)
        r.dv[i] = 0;
    r.driver = -1;
    r.period = r.dclear = r.busy_after = r.poll_ps = 0;
    r.nreads = 0;
    r.dreads = {};
    r.busy_known = true;
    r.busy_from = r.busy_to = r.busy_cpu_to = 0;
    return true;
}

/*
 * A round with miscorrected lines among its lines (fleet host 5975: a
 * single-column fault's line a row, CMCI at two, and a three-DQ bank
 * fault's 128 lines a row, miscorrected on every other pass): each of its
 * lines from the lead's to the next round's, in walk order, into k. The
 * lead's and inner findings' faults' lines are its findings (lead, then
 * inner, in order: CEs or miscorrections, a fault's all alike) and lines
 * folded into the bank's count; a stretch of another fault's
 * miscorrections within a CE round is one finding (rd.sdcs, in order:
 * each the stretch's first line) and the rest folded. False when the
 * round's counts do not say so.
 */
bool host_rt::fold_learn_lines(fold_kind &k, uint64_t lead, uint64_t next, uint64_t *last)
{
    const memctl &mc = mem_->mc;
    const fold_round &r = k.rd;
    std::vector<uint64_t> ids{r.lead.fault_id};
    auto add = [&](uint64_t id) {
        if (std::find(ids.begin(), ids.end(), id) == ids.end())
            ids.push_back(id);
    };
    for (const memctl_scrub_event &e : r.inner)
        add(e.fault_id);
    const size_t nce = ids.size();
    /* of the lead's and inner findings' faults, which miscorrect (a fault
     * found both ways changes its data within the round: none) */
    bool sdc_of[MEMCTL_FOLD_SET_MAX] = {false};
    bool ce_of[MEMCTL_FOLD_SET_MAX] = {false};
    if (nce > MEMCTL_FOLD_SET_MAX)
        return false;
    auto outcome = [&](const memctl_scrub_event &e) {
        const size_t i = (size_t)(std::find(ids.begin(), ids.end(), e.fault_id) - ids.begin());
        (e.outcome == MEMCTL_SDC ? sdc_of : ce_of)[i] = true;
    };
    outcome(r.lead);
    for (const memctl_scrub_event &e : r.inner)
        outcome(e);
    for (size_t i = 0; i < nce; i++)
        if (sdc_of[i] && ce_of[i])
            return false;
    for (const memctl_scrub_event &e : r.sdcs) {
        if (std::find(ids.begin(), ids.begin() + (ptrdiff_t)nce, e.fault_id) != ids.begin() + (ptrdiff_t)nce)
            return false; /* a fault both corrected and miscorrected: its data changes within */
        add(e.fault_id);
    }
    if (ids.size() > MEMCTL_FOLD_SET_MAX)
        return false;
    fault_footprint fp[MEMCTL_FOLD_SET_MAX];
    for (size_t i = 0; i < ids.size(); i++)
        if (!fault_map_footprint(&mc.faults, ids[i], &fp[i]))
            return false;
    const uint64_t off0 = scrubber_line_offset(&mc.scrub, lead);
    size_t in = 0, sd = 0;
    uint64_t ce_lines = !sdc_of[0], sdc_lines = sdc_of[0];
    bool in_stretch = false;
    for (uint64_t from = lead + 1;;) {
        size_t who;
        bool tie;
        const uint64_t x = footprints_next_line(fp, ids.size(), from, &who, &tie);
        if (x == FAULT_NO_LINE || x >= next)
            break;
        if (tie || k.faults.size() >= kKindLinesMax)
            return false; /* a line of two faults; or too long to list */
        const bool stretch = who >= nce, sdc = stretch || sdc_of[who];
        if (stretch && !in_stretch) { /* a stretch begins: its finding */
            if (sd == r.sdcs.size() || r.sdcs[sd].addr >> MEM_LINE_SHIFT != x)
                return false;
            k.sdc_last = x - lead;
            sd++;
        } else if (!stretch && in < r.inner.size() && r.inner[in].addr >> MEM_LINE_SHIFT == x) {
            in++;
        }
        sdc_lines += sdc;
        ce_lines += !sdc;
        in_stretch = stretch;
        k.faults.push_back(ids[who]);
        k.at.push_back(scrubber_line_offset(&mc.scrub, x) - off0);
        *last = x;
        from = x + 1;
    }
    return in == r.inner.size() && sd == r.sdcs.size() && sdc_lines == r.sdc_lines && ce_lines + sdc_lines == r.m;
}

