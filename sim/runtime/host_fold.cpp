/*
 * host_fold.cpp - the round fold: the repeated handling rounds of one wide
 * permanent fault counted instead of run (campaign key fold_rounds;
 * docs/PERFORMANCE.md, "Folding repeated rounds").
 *
 * A permanent fault over many lines is found by the patrol scrubber line
 * after line, and under Xen's policy each finding is one round: the CE
 * latched, the next line's CE counted into it, CMCI at the threshold, the
 * owner logs the bank, commits a record, dom0 fetches, decodes and acks it.
 * Under a CMCI storm (linux-6) a round is a poll's: the first line after
 * the last poll's clear latched, the poll a period later logging it with
 * the lines since. Between rounds the host is quiet, and a round leaves it
 * as it found it but for counts and for what the next round overwrites
 * (the last record, the last log lines, the last times). So, at a finding
 * of the scrubber's thread:
 *  - steady: the last round made the same changes as the one before it,
 *    or as the one the last fold repeated, to every counter the parts
 *    lend (fold_ctr.h: the hv's, dom0's, the run record's, the ledger's,
 *    this host's), latched one error with the same fate, found the same
 *    kind of line of the same fault, began no poll round or only its
 *    storm timer's, and no part keeps another history of its rounds
 *    (hv_round_foldable: not linux-2.6's CMCI count per window;
 *    dom0_round_foldable: no CE accounting; bounded results, whose logs
 *    keep a ring the next round writes whole);
 *  - k rounds: the fault's next lines, as memctl_scrub_fold would take
 *    them, last for k + 1 rounds (the round after the fold runs for real
 *    and overwrites every "last" thing), and nothing else is pending in
 *    SystemC, nor is the run's end, before that round is done (times from
 *    the walk's line schedule, not k periods: two rounds are never exactly
 *    a period apart); steady polls that cannot see the bank are counted;
 *  - then the walk takes the k rounds' lines as found (memctl_scrub_fold,
 *    the findings among them not counted as folded), every counter moves
 *    by k rounds' change, the rounds' errors go straight into the counts,
 *    one round_fold event is traced, and the finding is not latched: the
 *    scrubber's next finding is the first line of the round after.
 * The results are those of running them (tests/fold_rounds.sh compares),
 * but for who wins a race at one picosecond later on (docs/PERFORMANCE.md,
 * "The round fold"); the trace lacks the rounds' events, the round_fold
 * event in their place.
 */
#include "sim/runtime/host_rt.hpp"

#include "arch/ps_rebase.h"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstddef>

extern "C" {
#include "arch/text_fmt.h"
#include "models/memctl/fold_holes.h"
}

using namespace sc_core;

/* The first page holding lines of both a (its lines in [afrom, ato]) and
 * b (in [bfrom, bto]), or UINT64_MAX. A footprint's pages are a bit
 * pattern too (its line pattern less the bits below a page: any page
 * matching the rest holds a line of it), so the shared ones are the two
 * patterns' intersection. Ranges are whole pages of theirs (a UC fold's:
 * from its unit's first line to its last page's end). */
fault_footprint fold_page_footprint(const fault_footprint &f)
{
    return fault_footprint{f.key >> kPageLineShift, f.free >> kPageLineShift,
                           (f.lines + kPageLines - 1) >> kPageLineShift};
}

uint64_t fold_first_shared_page(const fault_footprint &a, uint64_t afrom, uint64_t ato, const fault_footprint &b,
                                uint64_t bfrom, uint64_t bto, uint64_t *count)
{
    fault_footprint pa = fold_page_footprint(a), pb = fold_page_footprint(b), both;
    const uint64_t lo = std::max(afrom, bfrom) >> kPageLineShift, hi = std::min(ato, bto) >> kPageLineShift;
    if (count)
        *count = 0;
    if (lo > hi || !footprint_intersect(&pa, &pb, &both))
        return UINT64_MAX;
    uint64_t p = footprint_next_line(&both, lo);
    if (p == FAULT_NO_LINE || p > hi)
        return UINT64_MAX;
    if (count)
        *count = footprint_count_lines(&both, p, hi + 1);
    return p;
}

/* The pages of fp's lines in [from, to] that earlier folds' runs hold:
 * how many (*n) and which runs (*runs), when each such page is broken
 * as broken_page is (hv_fold_broken_alike: a unit there is a broken
 * page's). False when they cannot be counted so: a run holding one
 * excludes pages of its own (its pattern is not its pages), or its pages
 * ended otherwise. Runs hold disjoint pages, so the counts add. */
bool host_rt::fold_shared_pages(const fault_footprint &fp, uint64_t from, uint64_t to, uint64_t broken_page,
                                uint64_t *n, std::vector<size_t> *runs) const
{
    *n = 0;
    runs->clear();
    bool ok = true;
    fold_pages_each(from, to, [&](size_t i, const fold_pages &o) {
        uint64_t count;
        uint64_t first = fold_first_shared_page(fp, from, to, o.fp, o.from, o.to, &count);
        if (first == UINT64_MAX)
            return true;
        if (!o.excl.empty() || !hv_fold_broken_alike(&hv_, broken_page, first))
            return ok = false;
        *n += count;
        runs->push_back(i);
        return true;
    });
    return ok;
}

/* A steady UC unit, kept as its sort's reference for the fault (a new
 * fault may change every round's course: the references go). */
void host_rt::fold_note_uc_ref(const fold_round &rd)
{
    if (uc_refs_faults_ != faults_) {
        have_uc_ref_[0] = have_uc_ref_[1] = false;
        uc_refs_faults_ = faults_;
    }
    if (!rd.uc || rd.driver >= 0 || !rd.inner.empty() || !rd.busy_known)
        return;
    uc_ref_[rd.broken] = rd;
    have_uc_ref_[rd.broken] = true;
}

/* The reference unit of that sort (broken pages' or fresh ones') for
 * rd's fault, when it is one a fold of rd's units may count alongside
 * them (the same fault and lines a page, no poll of its own), else null;
 * rd itself for its own sort. */
const host_rt::fold_round *host_rt::fold_uc_ref(const fold_round &rd, bool broken) const
{
    if (rd.broken == broken)
        return &rd;
    if (uc_refs_faults_ != faults_ || !have_uc_ref_[broken])
        return nullptr;
    const fold_round &x = uc_ref_[broken];
    return x.lead.fault_id == rd.lead.fault_id && x.m == rd.m && x.driver < 0 && x.busy_known ? &x : nullptr;
}

/* Every part's counters, once: their places do not move (members, and
 * per-CPU arrays sized at construction). */
void host_rt::fold_build()
{
    auto add = [&](auto list) { /* list(out, max): how many, the first max into out */
        size_t n = list(nullptr, 0), at = fold_ctrs_.size();
        fold_ctrs_.resize(at + n);
        list(fold_ctrs_.data() + at, n);
    };
    add([&](fold_ctr *o, size_t m) { return hv_fold_counters(&hv_, o, m); });
    add([&](fold_ctr *o, size_t m) { return dom0_fold_counters(&dom0_, o, m); });
    size_t rr_at = fold_ctrs_.size(), still_at;
    add([&](fold_ctr *o, size_t m) { return rr_fold_counters(&rr_, o, m); });
    still_to_ = rr_fold_still(&rr_, &still_at);
    still_from_ = rr_at + still_at;
    still_to_ += still_from_;
    add([&](fold_ctr *o, size_t m) { return ledger_fold_counters(&ledger_, o, m); });
    fold_ctrs_.push_back({&activity_, sizeof(activity_), false});
    for (uint64_t &c : mce_entries_)
        fold_ctrs_.push_back({&c, sizeof(c), false});
    for (uint64_t &c : softirq_entries_)
        fold_ctrs_.push_back({&c, sizeof(c), false});
    for (size_t i = 0; i < fold_ctrs_.size(); i++) {
        if (fold_ctrs_[i].time)
            fold_time_ctrs_.push_back(i);
        if (fold_ctrs_[i].p == &rr_.stage_count[TS_ROUND_FOLD])
            cyc_fold_at_ = i;
        if (fold_ctrs_[i].p == &activity_)
            cyc_activity_at_ = i;
    }
}

/* After a fold (of rounds or of cycles): the finding after it is the
 * first of the round fold's (the round after the fold runs, and is
 * compared with the reference before the next fold). */
void host_rt::fold_restart()
{
    fold_have_ = 0;
    fold_page_ = UINT64_MAX;
    fold_unit_n_ = 0;
    fold_unit_ok_ = true;
    fold_inner_.clear();
    fold_sdcs_.clear();
    fold_sdcs_over_ = false;
}

void host_rt::fold_take(fold_snap &s, const memctl_scrub_event &ev)
{
    s.v.resize(fold_ctrs_.size());
    for (size_t i = 0; i < fold_ctrs_.size(); i++)
        s.v[i] = fold_ctr_get(&fold_ctrs_[i]);
    /* the memory's ground truth: the walk moves it (memctl_scrub_fold) */
    const uint64_t *ml = reinterpret_cast<const uint64_t *>(&mem_->mc.ledger);
    s.mem.assign(ml, ml + sizeof(mem_->mc.ledger) / sizeof(uint64_t));
    s.timer.resize(cpus_.size());
    s.begun.resize(cpus_.size());
    for (size_t c = 0; c < cpus_.size(); c++) {
        uint64_t at;
        s.timer[c] = cpus_[c]->timer_armed(&at) ? at : UINT64_MAX;
        s.begun[c] = hv_.cpu[c].rounds.begun;
    }
    s.counted = ledger_.counted;
    s.clear_ps = fold_clear_ps_;
    s.reads = fold_reads_;
    s.nreads = fold_nreads_;
    s.last_ev = fold_last_ev_;
    s.ev = ev;
    s.err = fold_last_err();
    if (!fold_unit_ok_)
        s.err.valid = false; /* a UC unit whose rounds' errors did not settle alike */
    s.err_over = fold_err_overwritten(ev);
    s.inner = fold_inner_;
    s.sdcs = fold_sdcs_;
    s.sdcs_over = fold_sdcs_over_;
    s.npages = hv_fold_npages(&hv_);
    const uint64_t page = ev.addr >> MEM_LINE_SHIFT >> kPageLineShift;
    s.page_broken = ev.outcome == MEMCTL_UNCORRECTABLE && hv_fold_broken_alike(&hv_, page, page);
    s.errors = rr_.summary.next_error_id;
    s.counts = rr_fold_ok(&rr_);
    s.polls = hv_.stats.polls;
    s.events = rr_.nevents;
    /* the round that ends here began at the last snapshot's finding; its
     * CPUs were busy from its CMCI on (raised by the round's last line,
     * wherever the walk's schedule puts it: a round may span a row's gap);
     * a UC unit's from its first finding's #MC to its last round's end
     * (from its last finding) */
    const fold_snap *prev = fold_have_ >= 2 ? &fold_snaps_[fold_have_ - 2] : nullptr;
    s.busy_from = s.busy_to = UINT64_MAX;
    s.busy_cpu_to = UINT64_MAX;
    s.home_idle = 0;
    if (prev && prev->ev.outcome == MEMCTL_UNCORRECTABLE) {
        fold_note_idle(); /* its last round's */
        s.home_idle = fold_unit_idle_;
        if (fold_first_hv_ != UINT64_MAX && fold_first_hv_ >= prev->ev.time_ps &&
            fold_find_ps_ >= prev->ev.time_ps && fold_last_ev_ >= fold_find_ps_) {
            s.busy_from = fold_first_hv_ - prev->ev.time_ps;
            s.busy_to = std::max(fold_unit_busy_, fold_last_ev_ - fold_find_ps_); /* its longest round */
        }
    } else if (prev && fold_cmci_ps_ != UINT64_MAX && fold_first_hv_ != UINT64_MAX &&
               fold_cmci_ps_ >= prev->ev.time_ps && fold_first_hv_ >= fold_cmci_ps_) {
        s.busy_from = fold_first_hv_ - fold_cmci_ps_;
        s.busy_to = fold_last_ev_ - fold_cmci_ps_;
        /* its CPUs' last return (after its last event when no dom0 work
         * followed: the later of the two) */
        s.busy_cpu_to = fold_cpu_exit_ps_ != UINT64_MAX && fold_cpu_exit_ps_ >= fold_first_hv_
                            ? fold_cpu_exit_ps_ - fold_cmci_ps_
                            : s.busy_to;
    } else if (prev && s.err_over.valid && fold_cmci_ps_ == UINT64_MAX && fold_first_hv_ == UINT64_MAX) {
        s.busy_from = s.busy_to = s.busy_cpu_to = 0; /* a CE left in the bank, nothing raised: no CPU was busy */
    }
    s.cmci_ps = fold_cmci_ps_;
    fold_first_hv_ = fold_cmci_ps_ = fold_cpu_exit_ps_ = fold_home_exit_ps_ = UINT64_MAX;
    for (unsigned w = 0; w < RR_LOG__COUNT; w++)
        s.lines[w] = rr_.summary.lines_seen[w];
}

/* The error the last round latched and left in the memory controller's
 * bank (a CE below its threshold, or under a storm between polls), when
 * ev, a UC finding, is about to replace it there: as it will end,
 * overwritten (SDM vol. 3B 16.10.3.1: an uncorrected error overwrites a
 * corrected one, OVER set). Invalid otherwise. */
host_rt::fold_err host_rt::fold_err_overwritten(const memctl_scrub_event &ev) const
{
    const cpu_mca_bank &b = cpus_[cfg_.dram.mc_cpu]->regs.bank[cfg_.dram.mc_bank];
    if (ev.outcome != MEMCTL_UNCORRECTABLE || !(b.status & MCI_STATUS_VAL) || (b.status & MCI_STATUS_UC) ||
        last_error_ < 0 || (unsigned)last_error_ >= rr_.n_errors)
        return fold_err{};
    const rr_error &e = rr_.errors[last_error_];
    if (e.folded || e.id != rr_.summary.next_error_id || e.fate != FATE_IN_BANK || e.bank != cfg_.dram.mc_bank)
        return fold_err{};
    return {true, (unsigned)FATE_OVERWRITTEN, e.found_by, (unsigned)e.latch, e.bank, e.cpu, e.cls, e.status};
}

/* The error the last round latched, once settled (its fate final). */
host_rt::fold_err host_rt::fold_last_err() const
{
    if (last_error_ >= 0 && (unsigned)last_error_ < rr_.n_errors) {
        const rr_error &e = rr_.errors[last_error_];
        if (!e.folded && e.id == rr_.summary.next_error_id && e.fate != FATE_IN_BANK && e.fate != FATE_PENDING)
            return {true, (unsigned)e.fate, e.found_by, (unsigned)e.latch, e.bank, e.cpu, e.cls, e.status};
    }
    return fold_err{};
}

/* A rebase moved the host d earlier at now: the snapshots' times move as
 * the parts' own do (ps_rebase, as hv_rebase; the timers by d), so a
 * round compares alike across it. */
void host_rt::fold_rebase_snap(std::vector<uint64_t> &v, std::vector<uint64_t> &timer, memctl_scrub_event &ev,
                               uint64_t d, uint64_t now) const
{
    for (size_t j : fold_time_ctrs_)
        if (j < v.size())
            v[j] = ps_rebase(v[j], d, now);
    for (uint64_t &t : timer)
        if (t != UINT64_MAX)
            t = ps_rebase(t, d, now);
    ev.time_ps = ps_rebase(ev.time_ps, d, now);
}

void host_rt::fold_rebase(uint64_t d, uint64_t now)
{
    auto move = [&](uint64_t &t) {
        if (t != UINT64_MAX)
            t = ps_rebase(t, d, now);
    };
    for (unsigned i = 0; i < fold_have_; i++) {
        fold_snap &s = fold_snaps_[i];
        fold_rebase_snap(s.v, s.timer, s.ev, d, now);
        move(s.clear_ps);
        for (unsigned j = 0; j < s.nreads && j < kReadsMax; j++)
            move(s.reads[j]);
        move(s.cmci_ps);
        s.last_ev = ps_rebase(s.last_ev, d, now);
    }
    move(fold_first_hv_);
    move(fold_clear_ps_);
    move(fold_cpu_exit_ps_);
    move(fold_home_exit_ps_);
    for (unsigned j = 0; j < fold_nreads_ && j < kReadsMax; j++)
        move(fold_reads_[j]);
    for (unsigned j = 0; j < fold_nreads_next_ && j < kReadsMax; j++)
        move(fold_reads_next_[j]);
    for (fold_lead &l : fold_leads_)
        if (l.valid)
            l.t = ps_rebase(l.t, d, now);
    move(fold_cmci_ps_);
    cycle_rebase(d, now);
    fold_find_ps_ = ps_rebase(fold_find_ps_, d, now);
    fold_last_ev_ = ps_rebase(fold_last_ev_, d, now);
}

bool fold_same_finding(const memctl_scrub_event &a, const memctl_scrub_event &b)
{
    return a.fault_id && a.fault_id == b.fault_id && a.outcome == b.outcome && a.device == b.device &&
           a.status == b.status;
}

/* The memory ledger's fields the walk moves (a storm's rounds take a
 * varying number: the lines the walk passed between two polls), and the
 * rest. */
bool fold_mem_varies(size_t i)
{
    static const size_t vary[] = {
        offsetof(memctl_ledger, scrub_visits), offsetof(memctl_ledger, scrub_found),
        offsetof(memctl_ledger, folded), offsetof(memctl_ledger, ce), offsetof(memctl_ledger, uc),
        offsetof(memctl_ledger, scrub_passed), offsetof(memctl_ledger, scrub_miscorrected)};
    for (size_t v : vary)
        if (i == v / sizeof(uint64_t))
            return true;
    return false;
}

/* A storm's poll round (its polls moved) whose lines hold another fault's
 * miscorrections: each stretch's finding is one of the round's findings
 * (inner), as another fault's CE's is, and its fault one of the storm
 * plan's (fleet linux-6 9944 and 5975: a bank fault's CE a row, a
 * miscorrecting fault's 128 lines a row, a poll a second). Not for rounds
 * of kinds (fold_learn), which take miscorrections apart (rd.sdcs). */
bool host_rt::fold_storm_sdcs(const fold_snap &p, const fold_snap &c)
{
    return c.polls != p.polls && !c.sdcs.empty() && !c.sdcs_over;
}

/*
 * The round from snapshot p to snapshot c, when it is one a fold can
 * repeat: a CE finding of a fault, one settled error, m lines of the walk
 * of which one was reported and the rest folded into it, begun past the
 * thresholds of bounded results (past them, a round's record is a count)
 * with the logs' rings full and the round writing them whole; and either
 * no poll (each round a finding's: Xen's CMCI rounds), or one CPU's poll
 * timer a period on, its poll the round's (a CMCI storm's polling,
 * linux-6: the lines between two polls vary, 383 or 384).
 */
bool host_rt::fold_round_of(const fold_snap &p, const fold_snap &c, fold_round *r, bool kinds) const
{
    /* (of several kinds, the round is its first finding's kind: the next
     * one may be another fault's) */
    const memctl_scrub_event &own = kinds ? p.ev : c.ev;
    r->uc = own.outcome == MEMCTL_UNCORRECTABLE;
    /* a storm's round of several faults' lines begins with whichever comes
     * first after the clear (checked below: a storm's) */
    const bool any_lead = !c.inner.empty() && p.ev.outcome == MEMCTL_CORRECTED && p.ev.fault_id;
    /* a miscorrection is a CE to software (host_rt::scrub_found): a round
     * of a miscorrecting fault's lines is a CE round */
    const bool ce_like = own.outcome == MEMCTL_CORRECTED || own.outcome == MEMCTL_SDC;
    /* (of several kinds, a CE round whose error the next round's UC will
     * overwrite in the bank: it ends so, fleet hosts 1740, 6340) */
    const fold_err &err = kinds && !r->uc && !c.err.valid && c.err_over.valid ? c.err_over : c.err;
    if ((!fold_same_finding(p.ev, c.ev) && !any_lead && !kinds) || (!ce_like && !r->uc) || !err.valid ||
        !p.counts)
        return false;
    r->lead = p.ev;
    /* a memory-ledger field's change (off: its offsetof) */
    auto mem_delta = [&](size_t off) { return c.mem[off / sizeof(uint64_t)] - p.mem[off / sizeof(uint64_t)]; };
    /* the lines the walk looked at: not those it passed in bulk (another
     * fault's poisoned or silent lines, as many as fell between) */
    const size_t passed_at = offsetof(memctl_ledger, scrub_passed) / sizeof(uint64_t),
                 visits_at = offsetof(memctl_ledger, scrub_visits) / sizeof(uint64_t);
    r->m = mem_delta(offsetof(memctl_ledger, scrub_visits)) - mem_delta(offsetof(memctl_ledger, scrub_passed));
    if ((kinds || c.polls != p.polls) && own.fault_id && r->m > 0) {
        /* nor, in rounds of kinds or a storm's poll rounds (each round's
         * CEs one fold across them, fold_holes.h), a nested fault's
         * poisoned lines the walk met between this finding and the next
         * (holes: fold_hole) */
        const uint64_t from = (p.ev.addr >> MEM_LINE_SHIFT) + 1, to = c.ev.addr >> MEM_LINE_SHIFT;
        for (const fault_footprint &h : fold_nested(p.ev.fault_id))
            for (uint64_t l = footprint_next_line(&h, from), n = 0; l < to && n < r->m;
                 l = footprint_next_line(&h, l + 1), n++)
                r->m -= memctl_poisoned(&mem_->mc, l << MEM_LINE_SHIFT);
    }
    const uint64_t folded = mem_delta(offsetof(memctl_ledger, folded));
    /* a count of the round's lines of one outcome: the ledger at a finding
     * holds that finding's line, so from p to c it holds c's and not p's;
     * alike when both are of one kind, not when kinds differ */
    auto lines_of = [&](size_t off, enum memctl_outcome o) {
        return mem_delta(off) + (kinds ? (uint64_t)(p.ev.outcome == o) - (uint64_t)(c.ev.outcome == o) : 0);
    };
    if (r->m == 0 || mem_delta(offsetof(memctl_ledger, scrub_found)) != r->m)
        return false;
    /* Miscorrected lines in a round: all of them, a miscorrecting fault's
     * round (its lead and any inner findings, as a CE fault's); or another
     * fault's among a CE round's lines (of rounds of several kinds only):
     * their findings, one a stretch, and their lines, the rest of each
     * stretch folded */
    r->sdc_lines = lines_of(offsetof(memctl_ledger, scrub_miscorrected), MEMCTL_SDC);
    r->sdcs = c.sdcs;
    const bool own_sdc = p.ev.outcome == MEMCTL_SDC && c.sdcs.empty() && !c.sdcs_over;
    const bool storm_sdcs = !kinds && fold_storm_sdcs(p, c);
    if ((r->sdc_lines || !c.sdcs.empty() || c.sdcs_over) && !own_sdc && !storm_sdcs &&
        (!kinds || r->uc || c.sdcs_over || c.sdcs.empty() || r->sdc_lines < c.sdcs.size()))
        return false;
    if (r->uc) {
        /* a page's rounds: each line a finding, a DUE and an error, and
         * the page entry the first made (the others found it broken; in a
         * page a fold's run held, broken before, the entry is the run's
         * page's own) */
        r->dpages = c.npages - p.npages;
        r->page = p.ev.addr >> MEM_LINE_SHIFT >> kPageLineShift; /* the unit's: its first finding's */
        r->broken = p.page_broken;
        if (folded != 0 || lines_of(offsetof(memctl_ledger, uc), MEMCTL_UNCORRECTABLE) != r->m ||
            c.errors - p.errors != r->m || r->dpages > 1 || (r->dpages == 0 && !(kinds && r->broken)))
            return false; /* (a part's in a broken page makes none: fold_learn) */
        r->entry = r->dpages ? c.npages - 1 : 0;
    } else if (c.errors - p.errors != 1 || folded + 1 + c.inner.size() + c.sdcs.size() != r->m ||
               lines_of(offsetof(memctl_ledger, ce), MEMCTL_CORRECTED) != r->m - r->sdc_lines) {
        return false; /* a CE round: its findings, the other lines folded into its count */
    }
    r->inner = c.inner;
    if (storm_sdcs) {
        r->inner.insert(r->inner.end(), c.sdcs.begin(), c.sdcs.end());
        std::stable_sort(r->inner.begin(), r->inner.end(),
                         [](const memctl_scrub_event &a, const memctl_scrub_event &b) { return a.time_ps < b.time_ps; });
        r->sdcs.clear();
    }
    r->extra_counted = (c.counted - p.counted) - folded;
    r->driver = -1;
    for (size_t cpu = 0; cpu < c.timer.size(); cpu++) {
        if (c.timer[cpu] == p.timer[cpu])
            continue;
        if (r->driver >= 0 || c.timer[cpu] == UINT64_MAX || p.timer[cpu] == UINT64_MAX ||
            c.timer[cpu] < p.timer[cpu])
            return false; /* more than one timer moved, or one came or went */
        r->driver = (int)cpu;
        r->period = c.timer[cpu] - p.timer[cpu];
    }
    if ((r->driver < 0) != (c.polls == p.polls))
        return false; /* polls without a timer's period, or a period without */
    if (r->driver >= 0 && r->sdc_lines && !own_sdc && !storm_sdcs)
        return false; /* a storm's poll rounds: no other fault's miscorrections */
    if (r->driver < 0 && !fold_same_finding(p.ev, c.ev) && !kinds)
        return false;
    for (size_t cpu = 0; cpu < c.begun.size(); cpu++)
        if (c.begun[cpu] - p.begun[cpu] != ((int)cpu == r->driver ? 1u : 0u))
            return false; /* a poll round begun but its driver's, or rounds skipped (skip_quiet) */
    if (r->driver >= 0) {
        /* the round's poll: the driver's timer as p saw it, after p's
         * finding; the bank's clear after it, and before c's finding */
        uint64_t poll = p.timer[r->driver];
        if (poll <= p.ev.time_ps || c.clear_ps == UINT64_MAX || c.clear_ps < poll || c.clear_ps >= c.ev.time_ps ||
            c.last_ev < poll)
            return false;
        r->dclear = c.clear_ps - poll;
        /* the bank's reads before its clear (since the clear before it):
         * the poll's when all came after it began */
        r->nreads = 0;
        r->dreads = {};
        bool polls_reads = c.nreads >= 1 && c.nreads <= kReadsMax;
        for (unsigned j = 0; polls_reads && j < c.nreads; j++)
            polls_reads = c.reads[j] >= poll && c.reads[j] <= c.clear_ps;
        if (polls_reads) {
            r->nreads = c.nreads;
            for (unsigned j = 0; j < c.nreads; j++)
                r->dreads[j] = c.reads[j] - poll;
        }
        r->poll_ps = poll;
        r->busy_after = c.last_ev - poll;
    }
    uint64_t per_round[RR_LOG__COUNT];
    for (unsigned w = 0; w < RR_LOG__COUNT; w++)
        per_round[w] = c.lines[w] - p.lines[w];
    if (!rr_fold_logs_ok(&rr_, p.lines, per_round))
        return false;
    r->dv.resize(c.v.size());
    for (size_t i = 0; i < c.v.size(); i++)
        r->dv[i] = c.v[i] - p.v[i];
    /* the walk moves the memory's ledger (memctl_scrub_fold): only its
     * fields, nothing else of it (a demand read a round, say) */
    r->dmem.resize(c.mem.size());
    for (size_t i = 0; i < c.mem.size(); i++) {
        r->dmem[i] = r->driver >= 0 && fold_mem_varies(i) ? 0 : c.mem[i] - p.mem[i];
        if (i == visits_at && r->driver < 0)
            r->dmem[i] = r->m;
        else if (i == passed_at)
            r->dmem[i] = 0;
        if (!fold_mem_varies(i) && r->dmem[i] != 0)
            return false;
    }
    r->ev = c.ev;
    r->err = err;
    r->events = c.events - p.events;
    r->busy_known = c.busy_from != UINT64_MAX;
    r->busy_from = c.busy_from;
    r->busy_to = c.busy_to;
    r->busy_cpu_to = c.busy_cpu_to;
    r->home_idle = r->uc ? c.home_idle : 0;
    return true;
}

/* Two rounds that made the same changes; y gets the busy window of both
 * (and a storm round the later of the two ends) */
bool fold_same_round(const host_rt::fold_round &x, host_rt::fold_round &y)
{
    if (x.driver >= 0 && !x.inner.empty())
        return false; /* a storm's rounds of several faults: fold_steady_lines */
    if (!fold_same_finding(x.ev, y.ev) || !(x.err == y.err) || x.dv != y.dv || x.dmem != y.dmem ||
        x.driver != y.driver || x.extra_counted != y.extra_counted || x.uc != y.uc || x.dpages != y.dpages ||
        x.broken != y.broken)
        return false;
    if (x.driver < 0 && x.m != y.m)
        return false;
    if (x.inner.size() != y.inner.size() || (!x.inner.empty() && x.driver >= 0))
        return false;
    for (size_t i = 0; i < x.inner.size(); i++)
        if (!fold_same_finding(x.inner[i], y.inner[i]))
            return false;
    if (x.sdc_lines != y.sdc_lines || x.sdcs.size() != y.sdcs.size())
        return false;
    for (size_t i = 0; i < x.sdcs.size(); i++)
        if (!fold_same_finding(x.sdcs[i], y.sdcs[i]))
            return false;
    if (x.driver >= 0 && (x.period != y.period || x.dclear != y.dclear || x.nreads != y.nreads ||
                          x.dreads != y.dreads))
        return false;
    y.busy_known = x.busy_known && y.busy_known;
    y.busy_from = std::min(x.busy_from, y.busy_from);
    y.busy_to = std::max(x.busy_to, y.busy_to);
    y.busy_cpu_to = std::max(x.busy_cpu_to, y.busy_cpu_to);
    y.busy_after = std::max(x.busy_after, y.busy_after);
    if (x.home_idle != y.home_idle)
        y.home_idle = 0; /* (not alike: a poll's wait unknown) */
    return true;
}

/*
 * The round from p to c is the reference round (a CMCI round or a UC
 * unit, no poll of its own) with one quiet round of a poll timer in it:
 * Xen's poller, whose 16 s check met the round's CPUs busy, or fell where
 * no fold counted it (a fold ends before such a round, round_fold). The
 * check's own changes - its poll round (begun, found nothing, as many
 * checks as the timer's rounds make), the checks counted and their trace
 * events, the timer re-armed - are those of any poll, run; everything
 * else the round changed must be the reference's.
 * Then the round needs no other round to confirm it: the next fold
 * begins at c. Anything the check changed in the round itself (a CMCI
 * entry it delayed into another latency) differs from the reference and
 * is not such a round. (Fleet host 7542 under xen: a collision every
 * 16 s while the poller's phase crosses a round's busy window; xen 6024,
 * a UC unit's: every 176 s, and two more units ran before the next fold.)
 * *rq: the round less the check (a UC unit's page and entry its own, the
 * pages it made alike the reference's).
 */
bool host_rt::fold_ref_with_poll(const fold_snap &p, const fold_snap &c, fold_round *rq) const
{
    if (!have_ref_ || fold_ref_.driver >= 0 || !fold_ref_.inner.empty())
        return false;
    int x = -1;
    for (size_t cpu = 0; cpu < c.timer.size(); cpu++) {
        if (c.timer[cpu] == p.timer[cpu] && c.begun[cpu] == p.begun[cpu])
            continue;
        if (x >= 0 || c.timer[cpu] == UINT64_MAX || p.timer[cpu] == UINT64_MAX || c.timer[cpu] <= p.timer[cpu])
            return false;
        x = (int)cpu;
    }
    if (x < 0)
        return false;
    /* its one round, begun at its timer within this round and over by c
     * (c is now), found nothing */
    const hv_poll_rounds &pr = hv_.cpu[x].rounds;
    const uint64_t checks = c.polls - p.polls;
    if (c.begun[x] != p.begun[x] + 1 || pr.running || pr.found || checks != pr.checks || !checks ||
        p.timer[x] <= p.ev.time_ps || p.timer[x] > c.ev.time_ps)
        return false;
    /* c less the check: its poll round's counters and the checks counted
     * (hv and run record) as the reference moved them (its trace events
     * are the poll's own: the fold's count is the reference's) */
    const uint8_t *r0 = reinterpret_cast<const uint8_t *>(&pr), *r1 = r0 + sizeof(pr);
    auto of_poll = [&](const fold_ctr &k) {
        const uint8_t *a = static_cast<const uint8_t *>(k.p);
        return (a >= r0 && a < r1) || k.p == &hv_.stats.polls || k.p == &rr_.stage_count[TS_POLL];
    };
    fold_snap q = c;
    q.timer = p.timer;
    q.begun = p.begun;
    q.polls = p.polls;
    for (size_t i = 0; i < fold_ctrs_.size() && i < q.v.size(); i++)
        if (of_poll(fold_ctrs_[i]))
            q.v[i] = p.v[i] + fold_ref_.dv[i];
    return fold_round_of(p, q, rq) && fold_same_round(fold_ref_, *rq) &&
           (!rq->uc || hv_fold_pages_alike(&hv_, fold_ref_.entry, rq->entry));
}

/* A UC unit's round ends (the next finding): when its home CPU returned
 * from its entries, from its finding, into the unit's home_idle (the
 * first round's; 0 once another differs or none returned) */
void host_rt::fold_note_idle()
{
    const uint64_t d = fold_home_exit_ps_ != UINT64_MAX && fold_home_exit_ps_ > fold_find_ps_
                           ? fold_home_exit_ps_ - fold_find_ps_
                           : 0;
    if (fold_unit_n_ <= 1)
        fold_unit_idle_ = d;
    else if (d != fold_unit_idle_)
        fold_unit_idle_ = 0;
}

/* The last round repeats the one before it, or the reference round the
 * last fold repeated (then a round with a poll in it, or the round after
 * a fold, costs one more round, not two; a round with a quiet check in
 * it, none: fold_ref_with_poll); *r: it, the busy windows of both merged
 * (the reference's alone after such a check). */
bool host_rt::fold_steady(fold_round *r, bool *with_poll_in)
{
    const fold_snap &p = fold_snaps_[fold_have_ - 2], &c = fold_snaps_[fold_have_ - 1];
    *with_poll_in = false;
    auto with_poll = [&]() {
        fold_round rq;
        if (!fold_ref_with_poll(p, c, &rq))
            return false;
        *with_poll_in = true;
        *r = fold_ref_;
        r->lead = p.ev;
        r->ev = c.ev;
        r->page = rq.page; /* (a UC unit's page and entry: this one's) */
        r->entry = rq.entry;
        return true;
    };
    if (learnt_state_ == 1) /* fold_learn computed it */
        *r = learnt_;
    else if (learnt_state_ == 2 || !fold_round_of(p, c, r))
        return with_poll();
    fold_round before;
    /* UC units: the page entries they made alike too */
    auto alike = [&](const fold_round &x) { return !r->uc || hv_fold_pages_alike(&hv_, x.entry, r->entry); };
    if (r->driver >= 0 && !r->inner.empty()) {
        if ((have_ref_ && fold_steady_lines(fold_ref_, *r)) ||
            (fold_have_ == 3 && fold_round_of(fold_snaps_[0], p, &before) && fold_steady_lines(before, *r))) {
            fold_ref_ = *r;
            have_ref_ = true;
            return true;
        }
        return false;
    }
    if ((have_ref_ && fold_same_round(fold_ref_, *r) && alike(fold_ref_)) ||
        (fold_have_ == 3 && fold_round_of(fold_snaps_[0], p, &before) && fold_same_round(before, *r) && alike(before))) {
        fold_ref_ = *r;
        have_ref_ = true;
        return true;
    }
    /* (a round with Xen's poll in it may pass for a storm's poll round
     * of its own, fold_round_of: not the reference's) */
    return with_poll();
}

/* A storm's poll's clear, the next poll and the end of the poll's
 * handling (done_after it) as the walk's first lines after them, a poll
 * at a time (scrubber_steps: no division a poll): a line's time is before
 * a time iff the line is before the first line at or after it. */
struct poll_lines {
    scrubber_steps clear, next, done;
    void at(const scrubber &walk, uint64_t pass, uint64_t poll, uint64_t period, uint64_t dclear, uint64_t done_after)
    {
        scrubber_steps_init(&clear, &walk, pass, poll + dclear + 1, period);
        scrubber_steps_init(&next, &walk, pass, poll + period, period);
        scrubber_steps_init(&done, &walk, pass, poll + done_after + 1, period);
    }
    void step()
    {
        scrubber_steps_next(&clear);
        scrubber_steps_next(&next);
        scrubber_steps_next(&done);
    }
};

bool host_rt::round_fold(const memctl_scrub_event &ev)
{
    if (!scn_.fold_rounds || !rr_.summary.keep || !mem_ || !mem_->in_thread() || stopped_ || ff_)
        return false;
    if (fold_ctrs_.empty())
        fold_build();
    cycle_note(ev);
    if (ev.fault_id) {
        auto it = std::find_if(fold_outcomes_.begin(), fold_outcomes_.end(),
                               [&](const fault_outcome &o) { return o.fault_id == ev.fault_id; });
        if (it != fold_outcomes_.end())
            it->outcome = ev.outcome;
        else
            fold_outcomes_.push_back({ev.fault_id, (unsigned)ev.outcome}); /* a fault each: a few */
    }
    const cpu_mca_bank &logged = cpus_[cfg_.dram.mc_cpu]->regs.bank[cfg_.dram.mc_bank];
    const bool holds_ce = (logged.status & MCI_STATUS_VAL) && !(logged.status & MCI_STATUS_UC);
    if (ev.outcome == MEMCTL_SDC && fold_unit_n_ == 0 && fold_have_ > 0 && holds_ce &&
        fold_snaps_[fold_have_ - 1].ev.outcome == MEMCTL_CORRECTED) {
        /* a miscorrection counted into a CE round's logged CE (a CE to
         * software, host_rt::scrub_found): part of that round (a kind's
         * lines, host_fold_learn.cpp), not the start of another */
        if (ev.fault_id && fold_sdcs_.size() < kFoldInnerMax)
            fold_sdcs_.push_back(ev);
        else
            fold_sdcs_over_ = true;
        return false;
    }
    if (fold_unit_n_ >= 1) {
        /* A UC unit is a page's rounds: each round's error must settle as
         * the unit's first did, the fate and who found it (checked at the
         * finding after it, of any kind: the last one's too); its status
         * may differ (the first one's OVER, when it replaced a CE left in
         * the bank: the fold counts errors by fate) */
        fold_err e = fold_last_err();
        if (fold_unit_n_ == 1)
            fold_unit_err_ = e;
        else if (!e.valid || !fold_unit_err_.valid || e.fate != fold_unit_err_.fate ||
                 e.found_by != fold_unit_err_.found_by)
            fold_unit_ok_ = false;
    }
    if (ev.outcome == MEMCTL_UNCORRECTABLE) {
        /* a finding in the same page is one more of the unit's rounds, a
         * finding in another page ends the unit */
        if (ev.addr >> MEM_LINE_SHIFT >> kPageLineShift == fold_page_) {
            if (fold_last_ev_ >= fold_find_ps_) /* the unit's round before this one */
                fold_unit_busy_ = std::max(fold_unit_busy_, fold_last_ev_ - fold_find_ps_);
            fold_note_idle();
            fold_home_exit_ps_ = UINT64_MAX;
            fold_unit_n_++;
            fold_find_ps_ = ev.time_ps;
            return false;
        }
    }
    if ((ev.outcome == MEMCTL_CORRECTED || ev.outcome == MEMCTL_SDC) && ev.fault_id && fold_have_ > 0 && holds_ce &&
        fold_inner_.size() < kFoldInnerMax) {
        /* a CE counted into the bank's logged one is part of the round that
         * logged it (faults whose lines come in turn: a finding each; a
         * storm's poll round holds the lines since the last clear) */
        fold_inner_.push_back(ev);
        return false;
    }
    if (fold_have_ == 3) { /* keep the last two */
        std::swap(fold_snaps_[0], fold_snaps_[1]);
        std::swap(fold_snaps_[1], fold_snaps_[2]);
        fold_have_ = 2;
    }
    fold_take(fold_snaps_[fold_have_++], ev);
    fold_inner_.clear();
    fold_sdcs_.clear();
    fold_sdcs_over_ = false;
    std::copy(fold_leads_ + 1, fold_leads_ + kFoldLeads, fold_leads_);
    fold_leads_[kFoldLeads - 1] = {ev.time_ps, ev.fault_id, true};
    bool uc = ev.outcome == MEMCTL_UNCORRECTABLE; /* the next unit begins */
    fold_page_ = uc ? ev.addr >> MEM_LINE_SHIFT >> kPageLineShift : UINT64_MAX;
    fold_unit_n_ = uc ? 1 : 0;
    fold_unit_ok_ = true;
    fold_unit_busy_ = 0;
    fold_find_ps_ = ev.time_ps;
    if (cycle_fold(ev))
        return true; /* whole cycles from this one (host_cycles.cpp) */
    fold_round rd, krd;
    if (fold_have_ < 2)
        return false;
    /* rounds of several kinds (host_fold_learn.cpp): each round learnt */
    const bool kind_steady = fold_learn(fold_snaps_[fold_have_ - 2], fold_snaps_[fold_have_ - 1], &krd);
    if (!hv_round_foldable(&hv_) || !dom0_round_foldable(&dom0_))
        return false;
    bool poll_in = false; /* steady as the reference with a quiet poll in it */
    const bool steady = fold_steady(&rd, &poll_in);
    if (steady)
        fold_note_uc_ref(rd);
    /* The round before was a storm's poll round (its poll caught a CE the
     * round left in the bank: fleet host 5593, a poll a second among a UC
     * bank fault's rounds and a miscorrecting fault's line a row): no
     * kind's, but the rounds from this one on may be of known kinds, and
     * their plan needs of it only its first line (kinds keep what the
     * round before did to theirs: its fault, time and CE left) */
    bool kinds_only = false;
    if (!steady && kind_steady) {
        rd = krd;
    } else if (!steady) {
        fold_round pr;
        if (!fold_round_of(fold_snaps_[fold_have_ - 2], fold_snaps_[fold_have_ - 1], &pr, true) || pr.driver < 0)
            return false;
        rd = fold_round{};
        rd.lead = pr.lead;
        rd.busy_known = true;
        rd.dv.assign(fold_ctrs_.size(), 0); /* (a kinds fold adds its kinds' changes) */
        kinds_only = true;
    }
    /* This finding is a UC that will replace a CE left in the bank: a fold
     * from it would not latch it, and the CE would wait there for the
     * round after the fold (the kinds learnt it all the same, above) */
    if (fold_snaps_[fold_have_ - 1].err_over.valid)
        return false;
    if (sc_pending_activity_at_current_time())
        return false;
    memctl &mc = mem_->mc;
    const uint64_t now = sc_time_stamp().value();
    const unsigned bank = cfg_.dram.mc_bank;
    /* A storm's poll rounds over a fault with another's poisoned lines
     * among its own (holes: a column fault within a bank fault's lines,
     * fleet hosts 3628, 9408): each round's CEs are counted across them in
     * one fold (fold_holes.h), so its lines are the fault's less them. */
    memctl_holed_span hs{};
    const bool holed = steady && rd.driver >= 0 && rd.inner.empty() && !fold_nested(ev.fault_id).empty() &&
                       memctl_scrub_holed_span(&mc, &ev, &hs);
    /* The fault's lines from this one on, as a fold after this finding
     * would take them: line 0 is this one, line i its i-th after. */
    const uint64_t lines = holed ? memctl_holed_count(&hs, hs.own, hs.end) : memctl_scrub_fold_count(&mc, &ev);
    /* line i >= 1 is the footprint's (i-1)-th from the walk's next line on
     * (memctl_scrub_fold_horizon's, without its start checks a call) */
    fault_footprint ffp{};
    const uint64_t pass = mc.scrub.pass_base + mc.scrub.pass;
    const uint64_t line1 = holed ? hs.own
                           : lines && fault_map_footprint(&mc.faults, ev.fault_id, &ffp)
                               ? footprint_next_line(&ffp, (ev.addr >> MEM_LINE_SHIFT) + 1)
                               : FAULT_NO_LINE;
    const bool single_ok = steady && !(lines && line1 == FAULT_NO_LINE);
    auto nth = [&](uint64_t i) { return holed ? memctl_holed_nth(&hs, line1, i) : footprint_nth_line(&ffp, line1, i); };
    auto line_at = [&](uint64_t i) { return i ? scrubber_line_time(&mc.scrub, pass, nth(i - 1)) : ev.time_ps; };
    /* how many of lines 1, 2, ... the walk reaches by t: line_at is
     * monotone, so those below the first line of the pass after t
     * (scrubber_line_at), counted, not searched */
    const uint64_t pass_last = scrubber_line_time(&mc.scrub, pass, mc.scrub.lines - 1);
    /* (counted from line 0 of the walk, less those below line1, counted
     * once: a storm's plan asks it three times a poll) */
    auto below = [&](uint64_t to) { return holed ? memctl_holed_rank(&hs, to) : footprint_rank(&ffp, to); };
    const uint64_t below1 = line1 == FAULT_NO_LINE ? 0 : below(line1);
    /* ... of the walk's lines below `to` */
    auto reached_to = [&](uint64_t to) -> uint64_t {
        if (holed)
            to = std::min(to, hs.end);
        return line1 == FAULT_NO_LINE || to <= line1 ? 0 : below(to) - below1;
    };
    auto reached = [&](uint64_t t) -> uint64_t {
        return reached_to(t >= pass_last ? mc.scrub.lines : scrubber_line_at(&mc.scrub, pass, t + 1));
    };
    /* whether none of lines 1, 2, ... lies in the walk's [a, b): the next
     * line of the fault from a, unless it is a hole (then counted) */
    auto none_between = [&](uint64_t a, uint64_t b) {
        if (holed) {
            a = std::min(a, hs.end);
            b = std::min(b, hs.end);
        }
        a = std::max(a, line1);
        if (a >= b)
            return true;
        const uint64_t x = footprint_next_line(holed ? &hs.fp[0] : &ffp, a);
        if (x >= b)
            return true;
        return holed && memctl_holed_is_hole(&hs, x) && below(b) == below(a);
    };
    uint64_t drive_at = 0, until_cap = UINT64_MAX;
    if (rd.driver >= 0 && (!cpus_[rd.driver]->timer_armed(&drive_at) || drive_at <= now))
        return false;
    /* Poll timers whose rounds find nothing (hv_poll_steady) and cannot
     * read the bank the rounds' CEs wait in are counted with the rounds
     * (below), the storm's own timer is the rounds'; a linux-6 storm's poll
     * that reads the bank too, while it would find the bank empty (between
     * UC rounds, whose handlers clear it; not while a CE waits there) and
     * the storm stays on: its 0s in the bank's history end the storm at
     * the 30th (fleet hosts 183, 770: the UC rounds overwrite the CE the
     * poll would have read). Anything else pending bounds the fold. */
    std::vector<quiet_timer> polls;
    /* or a storm's poll that finds a round's CE in the bank each time: the
     * kinds plan places it on the rounds (fold_kind::polled), any other
     * fold ends before it */
    found_poll found;
    /* A storm's steady empty polls of the bank's home CPU are both: a
     * fold of one kind counts them (polls), the kinds plan places them
     * one by one (found: a poll amid a UC unit's lines waits for the
     * line's handling, and the polls after it come later by as much;
     * fleet linux-6 8528, 183, 770), the storm's end after the last one
     * it keeps (room) its own bound */
    uint64_t until_cap_found = UINT64_MAX;
    for (unsigned cpu = 0; cpu < cpus_.size(); cpu++) {
        uint64_t at, period, busy, end, most;
        if ((int)cpu == rd.driver || (rd.driver < 0 && !rd.busy_known))
            continue;
        if (hv_poll_timer_reads_bank(&hv_, cpu, bank)) {
            const bool armed = rd.driver < 0 && cpus_[cpu]->timer_armed(&at) && at > now;
            found_poll f;
            const bool finds = armed && !found.valid && cpu == bank_home(cfg_.dram.mc_cpu, bank) &&
                               hv_poll_storm_found_steady(&hv_, cpu, 1u << bank, &f.interval, &f.empty_len, &f.room,
                                                          &f.room_found);
            if (finds) {
                f.valid = true;
                f.cpu = cpu;
                f.next_ps = at;
            }
            if (armed && hv_poll_storm_steady(&hv_, cpu, &period, &busy, &most)) {
                polls.push_back({this, cpu, at, period, busy, true, true});
                const uint64_t cap = most < (UINT64_MAX - at) / period ? at + most * period : UINT64_MAX;
                if (finds && f.empty_len) {
                    found = f;
                    found.periodic = true;
                    until_cap_found = cap; /* (one CPU's: found is set once) */
                } else {
                    until_cap = std::min(until_cap, cap); /* its poll after the last kept */
                }
            } else if (finds) {
                found = f;
            } else if (armed && rd.uc && !hv_storm_on(&hv_, cpu) && hv_poll_steady(&hv_, cpu, &period, &busy, &end)) {
                /* outside a storm, between a UC fault's rounds, whose
                 * handlers clear the bank: an empty poll like any quiet
                 * one, placed clear of the rounds (fleet linux-6 4081,
                 * 4252: the bank owner's poll every 300 s ended each fold,
                 * and some 25 rounds ran before the next) */
                polls.push_back({this, cpu, at, period, busy, true});
            }
            continue;
        }
        if (cpus_[cpu]->timer_armed(&at) && at > now && hv_poll_steady(&hv_, cpu, &period, &busy, &end))
            polls.push_back({this, cpu, at, period, busy});
    }
    std::vector<cpu_sc *> held;
    for (const quiet_timer &t : polls)
        held.push_back(cpus_[t.cpu].get());
    if (rd.driver >= 0)
        held.push_back(cpus_[rd.driver].get());
    if (found.valid)
        held.push_back(cpus_[found.cpu].get());
    uint64_t ahead; /* this host's scrubber held, not the others' */
    (void)pending_besides(held, false, &ahead);
    uint64_t until = world_->next();
    if (ahead < until - now)
        until = now + ahead;
    until = std::min(until, until_cap);
    const uint64_t until_kinds = until;
    if (found.periodic)
        until = std::min(until, until_cap_found);
    else if (found.valid)
        until = std::min(until, found.next_ps);
    const uint64_t margin = 1000000; /* 1 us */
    /* UC units of either sort, fresh pages' and broken ones' (another
     * fold's run's pages: fleet hosts 4252, 6024), each by its reference
     * (rd one of them): the fold counts the pages of the sort it has no
     * reference for only up to the first of them */
    const fold_round *uc_fresh = nullptr, *uc_broken = nullptr;
    if (rd.uc) {
        uc_fresh = fold_uc_ref(rd, false);
        uc_broken = fold_uc_ref(rd, true);
        if (uc_fresh && uc_fresh != &rd && !hv_fold_page_runnable(&hv_, uc_fresh->entry))
            uc_fresh = nullptr;
    }
    const uint64_t uc_busy_to = std::max(uc_fresh ? uc_fresh->busy_to : 0, uc_broken ? uc_broken->busy_to : 0);
    uint64_t uc_shared = 0;       /* of the k units, those in broken pages */
    std::vector<size_t> uc_excl;  /* the runs holding those */
    /* k rounds folded, the round after them (round k) run for real; its
     * first line, the index `first`, is where the walk stops. */
    uint64_t k = 0, first = 0;
    fault_footprint uc_fp{};
    uint64_t uc_from = 0, uc_to = 0; /* a UC fold's lines: its pages' */
    uint64_t multi_end = 0; /* rounds of several faults: where the walk stops */
    uint64_t nfind = 0; /* a storm's rounds of several faults: their findings */
    std::vector<uint64_t> storm_sum; /* and their counters' changes (then CEs counted, events) */
    /* the fold of this round's kind alone, as far as it goes; stretch:
     * it ends where the fault's lines do (another's line, say), not at
     * a poll or the next event */
    bool stretch = false;
    const bool single = single_ok && [&]() -> bool {
        if (rd.driver >= 0 && !rd.inner.empty()) {
            if (!fold_plan_storm(rd, ev, drive_at, until, &k, &first, &nfind, &multi_end, &storm_sum))
                return false;
            stretch = true;
        } else if (rd.driver < 0 && !rd.inner.empty()) {
            /* (its rounds' CEs wait in the bank before their CMCI: a poll
             * that reads it bounds the fold) */
            std::vector<quiet_timer> quiet;
            uint64_t u = until;
            for (const quiet_timer &t : polls)
                if (t.reads)
                    u = std::min(u, t.next_ps);
                else
                    quiet.push_back(t);
            if (!fold_plan_set(rd, ev, quiet, u, &k, &multi_end))
                return false;
            first = k * rd.m;
            stretch = true;
        } else if (rd.driver < 0) {
            /* Each round a finding's, m lines: round r begins at line r m. The
             * round after the real one must begin before until. */
            const uint64_t m = rd.m;
            if (lines / m < 2)
                return false;
            auto begins = [&](uint64_t r) { return line_at(r * m); };
            /* the last round r <= hi that begins at or before t: of lines
             * 0..c-1 reached by then (line 0 this one), the last r m among
             * them (a search a poll cost a fifth of fleet xen host 1116's
             * year) */
            auto last_before = [&](uint64_t t, uint64_t hi) {
                const uint64_t c = ev.time_ps > t ? 0 : 1 + reached(t);
                return c ? std::min(hi, (c - 1) / m) : 0;
            };
            k = until > now ? last_before(until - 1, lines / m) : 0;
            k = k ? k - 1 : 0; /* round k + 1 begins before until */
            /* A counted poll must fall where no round's CPUs are busy (the
             * same window from every round's CMCI, which its last line raises,
             * give or take a picosecond, and kPollMargin, to its CPUs' last return
             * from the round's entries - dom0's fetch, decode and ack after it
             * run on dom0's own; in a UC unit each line is a round of its own:
             * from its finding to as long after as the unit's longest round
             * took), nor run into the next round's: a CE round's CMCI handling
             * (its lines before the last only latch or count in the bank the
             * poll does not read), a UC round's finding. The first round a
             * poll would meet is run, and the fold stops before it. */
            auto clear_of = [&](uint64_t at, uint64_t busy, uint64_t from, uint64_t to) {
                return at + busy + kPollMargin < from || at > to + kPollMargin;
            };
            for (const quiet_timer &t : polls) {
                for (uint64_t at = t.next_ps; k && at < begins(k); at += t.period_ps) {
                    uint64_t r = last_before(at, k);
                    uint64_t hi = line_at(r * m + m - 1), r1 = begins(r + 1);
                    /* the next round's CPUs busy from (a CE round's: its CMCI's) */
                    uint64_t next_from = rd.uc || (r + 2) * m - 1 > lines ? r1 : line_at((r + 2) * m - 1) + rd.busy_from;
                    bool clear = at + t.busy_ps + kPollMargin < next_from && (rd.uc || !t.reads);
                    if (!rd.uc)
                        clear = clear && clear_of(at, t.busy_ps, hi + rd.busy_from, hi + rd.busy_cpu_to);
                    for (uint64_t j = 0; rd.uc && clear && j < m; j++) {
                        uint64_t lj = line_at(r * m + j);
                        clear = clear_of(at, t.busy_ps, lj, lj + uc_busy_to);
                    }
                    if (!clear)
                        k = r; /* round r runs, with its poll */
                }
            }
            if (rd.uc) {
                /* UC units: each a page holding m of the fault's lines, the
                 * first of them its first (a page's rounds whole): a fresh
                 * page that offline_page would enter as it entered the fresh
                 * reference's, these pages going into the hv as one run
                 * (offlined ones only); or a page another fold's run holds,
                 * broken as the broken reference's page was (its rounds find
                 * it so, and enter nothing) */
                if (!fault_map_footprint(&mc.faults, ev.fault_id, &uc_fp) ||
                    (uc_fresh && !hv_fold_page_runnable(&hv_, uc_fresh->entry)))
                    return false;
                auto like = [&](uint64_t mfn) {
                    return uc_fresh ? hv_fold_page_like(&hv_, mfn, uc_fresh->entry)
                                    : hv_fold_page_owned_like(&hv_, mfn, uc_broken->page);
                };
                /* A footprint is a bit pattern (fault_map.h): each page it
                 * meets holds the same number of its lines, 2^(its free bits
                 * below the page's), so that is m for every page or none.
                 * Pages are like the unit's a span at a time (hv_fold_like_span:
                 * the owner changes at a region's edge, an entry is its
                 * page's), each span's pages counted, not walked. */
                uint64_t l = ev.addr >> MEM_LINE_SHIFT;
                uc_from = l;
                if ((1ull << __builtin_popcountll(uc_fp.free & (kPageLines - 1))) != m ||
                    footprint_next_line(&uc_fp, l / kPageLines * kPageLines) != l)
                    k = 0;
                uint64_t r = 0;
                while (r < k && l != FAULT_NO_LINE && like(l / kPageLines)) {
                    uint64_t span = hv_fold_like_span(&hv_, l / kPageLines);
                    uint64_t to = span < (UINT64_MAX >> kPageLineShift) ? span << kPageLineShift : UINT64_MAX;
                    uint64_t pages = footprint_count_lines(&uc_fp, l, to) / m;
                    if (r + pages >= k) {
                        r = k;
                        break;
                    }
                    r += pages;
                    l = to < uc_fp.lines ? footprint_next_line(&uc_fp, to) : FAULT_NO_LINE;
                }
                k = r;
                /* the last line of the n-th unit's page */
                auto unit_end = [&](uint64_t n) {
                    return footprint_nth_line(&uc_fp, uc_from, (n - 1) * m) / kPageLines * kPageLines + kPageLines -
                           1;
                };
                uc_to = k ? unit_end(k) : 0;
                uint64_t n = 0;
                if (k && uc_broken && uc_fresh && fold_shared_pages(uc_fp, uc_from, uc_to, uc_broken->page, &n, &uc_excl)) {
                    uc_shared = n; /* units of both sorts */
                } else if (k && uc_broken && !uc_fresh) {
                    /* broken pages only: the fold ends before the first fresh one */
                    auto all_broken = [&](uint64_t kk) {
                        return fold_shared_pages(uc_fp, uc_from, unit_end(kk), uc_broken->page, &n, &uc_excl) &&
                               n == kk;
                    };
                    k = uc_shared = fold_last_where(0, k, all_broken);
                    uc_to = k ? unit_end(k) : 0;
                    if (k)
                        (void)all_broken(k); /* its runs */
                } else {
                    /* another fold's pages among them (another fault's, whose
                     * run already holds them): the fold ends before the first */
                    uc_excl.clear();
                    fold_pages_each(uc_from, uc_to, [&](size_t, const fold_pages &o) {
                        if (!k)
                            return false;
                        uint64_t shared = fold_first_shared_page(uc_fp, uc_from, uc_to, o.fp, o.from, o.to);
                        if (shared == UINT64_MAX)
                            return true;
                        k = shared << kPageLineShift > uc_from
                                ? footprint_count_lines(&uc_fp, uc_from, shared << kPageLineShift) / m
                                : 0;
                        uc_to = k ? unit_end(k) : 0;
                        return true;
                    });
                }
            }
            first = k * m;
            stretch = (k + 2) * m >= lines;
        } else {
            /* A storm's rounds: round r's poll at drive_at + r P clears the
             * bank dclear later, lines up to then fold into its record, and
             * round r + 1 begins at the first line after the clear - which
             * must come before the next poll (a poll that finds nothing would
             * be a clean check). The real round k's poll must be done before
             * until. The first line after the clear: the fault's lines the
             * walk reaches by then, counted (at least the round before's
             * first, which is at or before it), and one. */
            /* The fold ends after a round whose handling (dom0's work on
             * its record) was done before the next round's first line: else
             * that round's last events come after the line, which runs
             * (as fold_plan_storm's at_end; a multi-bank fault's line comes
             * every 40.2 us, so about one poll in eight clears the bank
             * within 4.7 us of the next line) */
            uint64_t done_k = 0, done_first = 0;
            /* Polls taken in bulk: the loop below asks each poll's round
             * in turn, 86,400 a day, where a storm's fold goes on for a
             * day (fleet linux-6 4942 and some 200 hosts like it: a year
             * of such asks, about a second). Past the first, poll j's round
             * begins at the first line after its clear, line n_j + 1 (n:
             * the fault's lines the walk reaches by then, `reached`), and
             * no poll finds its period empty while no two of the fault's
             * lines in a row lie more than P - dclear - 1 apart: the
             * widest gap between a footprint's ranks ra..rb comes at the
             * highest bit where they differ (a carry past it), so the
             * polls up to the last one clear of the loop's ends (time, the
             * lines' end, such a gap) are found by a search, and the last
             * one whose handling was done before its next line looked for
             * among the last 64; else the loop asks them one by one, as
             * before. Not across holes (memctl_holed_span). */
            const uint64_t r1 = !holed && line1 != FAULT_NO_LINE ? footprint_count_lines(&ffp, 0, line1) : 0;
            const uint64_t all_ranks = 1ull << __builtin_popcountll(ffp.free);
            uint64_t bulk_from = 1; /* (where bulk failed, the loop asks a stretch first) */
            auto bulk = [&]() -> bool {
                const uint64_t P = rd.period, late = rd.busy_after + margin;
                if (holed || line1 == FAULT_NO_LINE || k < bulk_from || first == 0 || P <= rd.dclear + 1 ||
                    until <= drive_at + P + late)
                    return false;
                /* the last poll whose round may run by time: poll + P + late < until */
                const uint64_t j_hi = (until - 1 - drive_at - P - late) / P;
                const uint64_t gap_max = P - rd.dclear - 1; /* the widest gap no poll finds empty */
                auto clear_to = [&](uint64_t j2) { /* polls k..j2 none of the loop's ends */
                    const uint64_t n = reached(drive_at + j2 * P + rd.dclear);
                    if (n >= lines)
                        return false;
                    const uint64_t ra = r1 + first - 1, rb = r1 + n, d = ra ^ rb;
                    if (!d)
                        return true;
                    const uint64_t h = 1ull << (63 - __builtin_clzll(d)); /* the highest carry */
                    if (h >= all_ranks)
                        return false;
                    const uint64_t g = footprint_nth_line(&ffp, 0, h) - footprint_nth_line(&ffp, 0, h - 1);
                    const unsigned __int128 t = (unsigned __int128)g * mc.scrub.period_ps / mc.scrub.lines + 1;
                    return t <= gap_max;
                };
                bulk_from = k + 64;
                if (k + 63 > j_hi || !clear_to(k + 63))
                    return false; /* (clear_to holds for k..j2 or fails from some j2 on) */
                const uint64_t j2 = fold_last_where(k + 63, j_hi, clear_to);
                /* the last of them done before its next line */
                for (uint64_t j = j2 + 1; j-- > j2 - 63;) {
                    const uint64_t poll = drive_at + j * P, n = reached(poll + rd.dclear);
                    if (late < rd.dclear || reached(poll + late) == n) {
                        done_k = j + 1;
                        done_first = n + 1;
                        first = reached(drive_at + j2 * P + rd.dclear) + 1;
                        k = j2 + 1;
                        return true;
                    }
                }
                bulk_from = j2 + 1;
                return false;
            };
            /* Each poll's lines (poll_lines; set again where bulk moved
             * k). Line i comes after time t iff i > reached(t): no i-th
             * line looked for, which across holes is a search; and line
             * n + 1, n those reached by the clear, comes after t iff none
             * lies between (fleet linux-6 3628, 9408: a storm over a bank
             * fault with a column fault's holes, every poll asked in turn). */
            poll_lines pl;
            uint64_t pl_k = UINT64_MAX;
            for (;;) {
                if (bulk())
                    continue;
                uint64_t poll = drive_at + k * rd.period, next = poll + rd.period;
                if (next + rd.busy_after + margin >= until)
                    break;
                if (pl_k != k) {
                    pl.at(mc.scrub, pass, poll, rd.period, rd.dclear, rd.busy_after + margin);
                    pl_k = k;
                }
                const uint64_t to_clear = scrubber_steps_line(&pl.clear), n = reached_to(to_clear);
                const uint64_t nx = std::min(std::max(n, first) + 1, lines + 1);
                auto after = [&](const scrubber_steps &st) {
                    const uint64_t to = scrubber_steps_line(&st);
                    return nx == n + 1 ? none_between(to_clear, to) : nx > reached_to(to);
                };
                if (nx > lines || after(pl.next)) {
                    stretch = nx > lines;
                    break;
                }
                first = nx;
                k++;
                if (after(pl.done)) {
                    done_k = k;
                    done_first = first;
                }
                pl.step();
                pl_k = k;
            }
            if (done_k < k) {
                k = done_k;
                first = done_first;
                stretch = false;
            }
        }
        return k > 0;
    }();
    /* rounds of several kinds, when this kind's fold stopped at the end of
     * its stretch (the walk of kinds is not cheap): of the two, the one
     * that goes further */
    fold_kplan kp;
    std::vector<quiet_timer> kpolls; /* (without the storm's polls it places) */
    for (const quiet_timer &t : polls)
        if (!found.periodic || t.cpu != found.cpu)
            kpolls.push_back(t);
    /* (and after a round with a poll in it, the reference's otherwise:
     * the rounds from the next on may be of known kinds, as after a
     * storm's poll round, kinds_only; fleet xen 6748: the column fault's
     * line after a bank fault's stretch, a fold of that stretch and a
     * real round at each poll that met a round) */
    bool kinds = (kind_steady || kinds_only || poll_in) && (!single || stretch) &&
                 fold_plan_kinds(rd, ev, kpolls, found, until_kinds, &kp);
    if (kinds && single && (multi_end ? multi_end : line_at(first)) >= kp.end)
        kinds = false;
    /* This round is of no kind the plans know, while kinds of several
     * faults are: a fold of this fault's rounds alone would take it, and
     * take it again at each repeat, so it would never be learnt and the
     * kinds' walks would end there for good (fleet xen 6748: a bank fault's
     * rounds of two lines and a column fault's line a block; the rounds
     * that cross from one block to the next were folded so each time, and
     * every block cost a kinds walk of 1,915 rounds that found no period).
     * It runs for real instead (a few times: fold_learn_runs_), to be
     * learnt as a kind. */
    if (!kinds && single && kp.unknown_first && fold_learn_runs_ > 0) {
        fold_learn_runs_--;
        return false;
    }
    if (kinds) {
        k = kp.k;
        first = kp.lines;
        multi_end = kp.end;
    } else if (!single) {
        k = 0;
    }
    if (k == 0)
        return false;
    /* The walk: this line and the next first - 1 taken, the rounds'
     * findings among them (k - 1) not folded ones. */
    uint64_t last_ps = now, taken = 0, end = multi_end ? multi_end : line_at(first); /* before the walk moves */
    uint64_t folded0 = mc.ledger.folded;
    if (kinds) {
        taken = memctl_scrub_fold_set(&mc, end - 1, kp.likes.data(), (unsigned)kp.likes.size(), true, false, &last_ps);
    } else if (multi_end) {
        std::vector<memctl_scrub_event> likes = fold_likes(rd, ev);
        taken = memctl_scrub_fold_set(&mc, end - 1, likes.data(), (unsigned)likes.size(), false, false, &last_ps);
    } else if (first > 1 && holed) {
        memctl_scrub_event like = ev;
        taken = memctl_scrub_fold_holed(&mc, end - 1, &like, false, &last_ps);
    } else if (first > 1) {
        taken = memctl_scrub_fold(&mc, end - 1, &ev, &last_ps);
    }
    if (taken != first - 1)
        SC_REPORT_FATAL("host_fold", "the walk took other lines than planned");
    /* a round's findings are not folded lines: 1 + its other faults' (a UC
     * round's every line); of this line and the ones taken, k rounds' */
    const uint64_t finds = rd.uc ? rd.m : nfind ? nfind : 1 + rd.inner.size();
    mc.ledger.folded = folded0 + taken + 1 - (kinds ? kp.finds : nfind ? nfind : k * finds);
    /* a storm round of several faults' counts: each round's (storm_note) */
    const size_t nv = fold_ctrs_.size();
    /* a kinds fold's changes: each kind's rounds' (per counter, then CEs
     * counted, events), summed a kind at a time */
    std::vector<uint64_t> kmoved;
    if (kinds) {
        kmoved.assign(nv + 2, 0);
        auto add = [&](uint64_t n, const std::vector<uint64_t> &dv, uint64_t extra, uint64_t ev) {
            for (size_t i = 0; i < nv; i++)
                kmoved[i] += n * dv[i];
            kmoved[nv] += n * extra;
            kmoved[nv + 1] += n * ev;
        };
        for (size_t j = 0; j < kp.n.size(); j++) {
            const fold_kind &kd = fold_kinds_[j];
            if (kp.n[j])
                add(kp.n[j], kd.rd.dv, kd.rd.extra_counted, kd.rd.events);
            if (kp.splits[j]) /* (what a split round changed more) */
                add(kp.splits[j], kd.split.dv, kd.split.extra_counted, kd.split.events);
        }
    }
    auto moved = [&](size_t i, uint64_t each) {
        if (kinds)
            return kmoved[i];
        if (rd.uc) { /* units of either sort */
            auto of = [&](const fold_round *x) {
                return !x ? 0 : i < nv ? x->dv[i] : i == nv ? x->extra_counted : x->events;
            };
            return (k - uc_shared) * of(uc_fresh) + uc_shared * of(uc_broken);
        }
        return nfind ? storm_sum[i] : k * each;
    };
    ledger_.counted += (mc.ledger.folded - folded0) + moved(nv, rd.extra_counted);
    if (kinds && kp.uc)
        fold_add_pages(kp.uc_fp, kp.uc_from, kp.uc_to, kp.npages, kp.entry);
    else if (!kinds && rd.uc && k > uc_shared)
        fold_add_pages(uc_fp, uc_from, uc_to, k - uc_shared, uc_fresh->entry, uc_excl);
    /* the polls that fall in the folded rounds, counted as skip_quiet
     * counts empty rounds (hv_poll_count: the round_fold event says so) */
    uint64_t checks = hv_.stats.polls, npolls = 0;
    for (const quiet_timer &t : polls) {
        if (t.next_ps >= end || (kinds && found.periodic && t.cpu == found.cpu))
            continue;
        uint64_t n = (end - 1 - t.next_ps) / t.period_ps + 1;
        if (t.storm)
            hv_poll_storm_count(&hv_, t.cpu, n, t.period_ps);
        else
            hv_poll_count(&hv_, t.cpu, n, t.period_ps);
        cpus_[t.cpu]->arm_timer(t.next_ps + n * t.period_ps);
        npolls += n;
    }
    checks = hv_.stats.polls - checks; /* a check is a poll event */
    rr_.stage_count[TS_POLL] += checks;
    uint64_t empty_polls = 0; /* (a found poll's events are its round's) */
    if (kinds && !kp.found_seq.empty()) {
        uint64_t next = 0;
        for (const auto &f : kp.found_seq) {
            const uint64_t len = f.second ? kp.found_len : found.empty_len;
            fold_count_storm_poll(found.cpu, f.first, len, f.second);
            empty_polls += !f.second;
            next = f.first + len + found.interval;
        }
        cpus_[found.cpu]->arm_timer(next);
        npolls += kp.found_seq.size();
    }
    if (rd.driver >= 0)
        cpus_[rd.driver]->arm_timer(drive_at + k * rd.period); /* the rounds' own polls */
    for (size_t i = 0; i < nv; i++)
        fold_ctr_set(&fold_ctrs_[i], fold_ctr_get(&fold_ctrs_[i]) + moved(i, rd.dv[i]));
    const uint64_t events = moved(nv + 1, rd.events) + empty_polls;
    if (kinds) {
        for (size_t j = 0; j < kp.n.size(); j++) {
            const fold_round &x = fold_kinds_[j].rd;
            if (kp.n[j]) {
                rr_fold_add_errors(&rr_, index_, x.uc ? kp.n[j] * x.m : kp.n[j], (rr_fate)x.err.fate,
                                   (rr_found)x.err.found_by);
                fold_kinds_[j].seen = fold_learns_; /* met in the fold: kept */
            }
            if (kp.splits[j]) { /* the error each split's poll logged */
                const fold_err &e = fold_kinds_[j].split.err;
                rr_fold_add_errors(&rr_, index_, kp.splits[j], (rr_fate)e.fate, (rr_found)e.found_by);
            }
        }
    } else if (rd.uc) {
        if (k > uc_shared)
            rr_fold_add_errors(&rr_, index_, (k - uc_shared) * rd.m, (rr_fate)uc_fresh->err.fate,
                               (rr_found)uc_fresh->err.found_by);
        if (uc_shared)
            rr_fold_add_errors(&rr_, index_, uc_shared * rd.m, (rr_fate)uc_broken->err.fate,
                               (rr_found)uc_broken->err.found_by);
    } else {
        rr_fold_add_errors(&rr_, index_, k, (rr_fate)rd.err.fate, (rr_found)rd.err.found_by);
    }
    /* the round before the real one: a kinds fold knows it (its first line
     * starts the key of the round after) */
    if (kinds) { /* the round after is of a known kind: its repeat may fold alone */
        fold_ref_ = fold_kinds_[kp.real_kind].rd;
        have_ref_ = true;
    }
    for (fold_lead &l : fold_leads_)
        l.valid = false;
    fold_lead &last = fold_leads_[kFoldLeads - 1];
    last = {kinds ? kp.prev_t : 0, kinds ? kp.prev_fault : 0, kinds};
    if (!kinds && rd.driver < 0 && rd.inner.empty() && k) /* round r began at line r m: the last one's */
        last = {line_at((k - 1) * rd.m), ev.fault_id, true};
    fold_restart();
    char detail[160] = "";
    if (trace_details())
    {
        if (kinds)
            text_fmt(detail, sizeof(detail),
                     "%" PRIu64 " rounds of %zu kinds folded (%" PRIu64 " lines from %#" PRIx64 ", %" PRIu64
                     " pages offlined, %" PRIu64 " polls, %" PRIu64 " events)",
                     k, (size_t)std::count_if(kp.n.begin(), kp.n.end(), [](uint64_t x) { return x != 0; }), first,
                     ev.addr, kp.uc ? kp.npages : 0, npolls, events + checks);
        else if (rd.uc && uc_shared)
            text_fmt(detail, sizeof(detail),
                     "%" PRIu64 " rounds of fault %" PRIu64 " folded (%" PRIu64 " lines from %#" PRIx64
                     ", one a round, %" PRIu64 " pages offlined, %" PRIu64 " found broken, %" PRIu64
                     " polls, %" PRIu64 " events)",
                     k * rd.m, ev.fault_id, first, ev.addr, k - uc_shared, uc_shared, npolls, events + checks);
        else if (rd.uc)
            text_fmt(detail, sizeof(detail),
                     "%" PRIu64 " rounds of fault %" PRIu64 " folded (%" PRIu64 " lines from %#" PRIx64
                     ", one a round, %" PRIu64 " pages offlined, %" PRIu64 " polls, %" PRIu64 " events)",
                     k * rd.m, ev.fault_id, first, ev.addr, k, npolls, events + checks);
        else
            text_fmt(detail, sizeof(detail),
                     "%" PRIu64 " rounds of fault %" PRIu64 " folded (%" PRIu64 " lines from %#" PRIx64 ", %" PRIu64
                     " per round, %" PRIu64 " polls, %" PRIu64 " events)",
                     k, ev.fault_id, first, ev.addr, rd.driver < 0 ? rd.m : 0, npolls, events + checks);
    }
    fold_stands_for_ += events + checks;
    trace((int)cfg_.dram.mc_cpu, TS_ROUND_FOLD, (int)cfg_.dram.mc_bank, ev.status, 0, detail);
    ask_rebase(); /* the clock moved on by the rounds counted */
    return true;
}

/* A UC fold's pages (those holding fp's lines in [from, to], k of them,
 * each entered as entry was), offlined and poisoned as the rounds would
 * have: one run of the hv's, named by its index here. */
void host_rt::fold_add_pages(const fault_footprint &fp, uint64_t from, uint64_t to, uint64_t k, size_t entry,
                             std::vector<size_t> excl)
{
    if (fold_pages_.empty()) {
        page_set_ops ops{this, [](void *c, uint64_t key, uint64_t mfn) {
                             return static_cast<host_rt *>(c)->fold_pages_has(key, mfn);
                         },
                         [](void *c, uint64_t key, uint64_t mfn) {
                             return static_cast<host_rt *>(c)->fold_pages_next(key, mfn);
                         }};
        hv_fold_page_sets(&hv_, &ops);
    }
    if (fold_pages_.size() % kFoldPagesBlock == 0)
        fold_pages_blocks_.push_back({from, to});
    fold_pages_blocks_.back().from = std::min(fold_pages_blocks_.back().from, from);
    fold_pages_blocks_.back().to = std::max(fold_pages_blocks_.back().to, to);
    fold_pages_.push_back({fp, from, to, std::move(excl)});
    if (hv_fold_add_page_run(&hv_, fold_pages_.size() - 1, from / kPageLines, to / kPageLines, k, entry) != 0)
        SC_REPORT_FATAL("host_fold", "out of memory for the folded pages");
}

/* Past half SystemC's horizon in a run that rebases, a rebase as soon as
 * the scrubber sleeps (rebase_gap, in a thread of the host's started on
 * first use): after a fold, whose rounds moved the clock on, and at each
 * of the scrubber's sleeps, which a wide fault's rounds or a storm's days
 * fill without a quiet poll period. */
void host_rt::ask_rebase()
{
    /* The drawn faults come within reach as SystemC's clock moves, not only
     * at rebases: a host busy all day (a fault found every row, folded a
     * pass at a time) is never quiet and does not rebase before half the
     * horizon (53 days), and a fault due before then was placed after its
     * arrival, its lines up to then never found (fleet host 770: 4 days
     * late, then a burst of 4,096 UCs found at once, 511 pages' lost in
     * the bank). */
    if (mem_ && admit_faults())
        mem_->rescan();
    if (!world_ || !world_->every || sc_time_stamp().value() < SIM_SC_HORIZON_PS / 2)
        return;
    if (!rebase_thread_) {
        rebase_thread_ = true;
        sc_spawn([this]() {
            for (;;) {
                wait(rebase_ev_);
                /* A poll round that just ended was steady, but this thread,
                 * asked by the round's own checks (a Xen round's, CPU by
                 * CPU), was runnable when the round's end looked
                 * (skip_quiet: nothing else may be pending now): its empty
                 * rounds are skipped from here. Else a host-year's quiet
                 * polls past day 53 of SystemC time ran one by one, each
                 * followed by a 16 s rebase (fleet host 5593: 1.7 million
                 * of them). */
                if (scn_.skip_quiet)
                    for (unsigned c = 0; c < cpus_.size(); c++)
                        skip_quiet(c);
                rebase_gap();
            }
        });
    }
    rebase_ev_.notify(SC_ZERO_TIME);
}

/* The pages a UC fold offlined: those holding a line of its fault's
 * footprint in [from, to] (a page is 64 lines). */
bool host_rt::fold_pages_has(uint64_t key, uint64_t mfn) const
{
    if (key >= fold_pages_.size())
        return false;
    const fold_pages &f = fold_pages_[key];
    const uint64_t lo = std::max(mfn << kPageLineShift, f.from);
    const uint64_t hi = std::min(((mfn + 1) << kPageLineShift) - 1, f.to);
    if (lo > hi)
        return false;
    uint64_t l = footprint_next_line(&f.fp, lo);
    if (l == FAULT_NO_LINE || l > hi)
        return false;
    for (size_t x : f.excl)
        if (fold_pages_has(x, mfn))
            return false;
    return true;
}

uint64_t host_rt::fold_pages_next(uint64_t key, uint64_t mfn) const
{
    if (key >= fold_pages_.size())
        return UINT64_MAX;
    const fold_pages &f = fold_pages_[key];
    for (uint64_t at = std::max(mfn << kPageLineShift, f.from);;) {
        uint64_t l = footprint_next_line(&f.fp, at);
        if (l == FAULT_NO_LINE || l > f.to)
            return UINT64_MAX;
        const uint64_t p = l >> kPageLineShift;
        if (std::none_of(f.excl.begin(), f.excl.end(), [&](size_t x) { return fold_pages_has(x, p); }))
            return p;
        at = (p + 1) << kPageLineShift; /* an earlier run's page */
    }
}

/* A frame some UC error named (note_poison), or one of a UC fold's pages
 * (each of its rounds would have named it). */
bool host_rt::frame_poisoned(uint64_t mfn) const
{
    if (poisoned_.count(mfn))
        return true;
    bool has = false;
    fold_pages_each(mfn << kPageLineShift, ((mfn + 1) << kPageLineShift) - 1, [&](size_t i, const fold_pages &) {
        return !(has = fold_pages_has(i, mfn));
    });
    return has;
}

/*
 * Rounds of several findings (fleet host 4900: two single-column faults, a
 * line of each a row; 4902: a single-column fault whose second line a
 * round is a finding too, 330 ms on): a round begins at the lead's line
 * (ev's fault) and its next lines, in the walk's order among the rounds'
 * faults, are its other findings' faults in order (rd.inner); the line
 * after them is the next round's lead. It is folded when its lines are
 * so, the round after the real one (k) begins before until, and a steady
 * poll that falls within it is clear of its busy window (from its CMCI,
 * which its last line raises). *end: the time of round k's first line,
 * below which the walk takes every line (memctl_scrub_fold_set must
 * agree, dry, that they are the rounds' and nothing else's).
 */
bool host_rt::fold_plan_set(const fold_round &rd, const memctl_scrub_event &ev, const std::vector<quiet_timer> &polls,
                            uint64_t until, uint64_t *kp, uint64_t *end)
{
    memctl &mc = mem_->mc;
    fault_footprint fp[MEMCTL_FOLD_SET_MAX];
    std::vector<memctl_scrub_event> likes = fold_likes(rd, ev, fp);
    if (likes.empty() || rd.m != 1 + rd.inner.size())
        return false;
    const uint64_t pass = mc.scrub.pass_base + mc.scrub.pass, margin = 1000000;
    auto t_of = [&](uint64_t line) { return scrubber_line_time(&mc.scrub, pass, line); };
    /* the rounds' faults' next line at or after `from`, in the walk's order */
    auto next_any = [&](uint64_t from, uint64_t *fault) {
        uint64_t l = FAULT_NO_LINE;
        for (size_t i = 0; i < likes.size(); i++) {
            uint64_t x = footprint_next_line(&fp[i], from);
            if (x < l) {
                l = x;
                *fault = likes[i].fault_id;
            }
        }
        return l;
    };
    /* the walk must take the first round's lines as planned (a fault
     * memctl_scrub_fold_set does not take - a transient CE's, lines with
     * state of their own - fails here, not after planning every round) */
    uint64_t last_ps, lead = ev.addr >> MEM_LINE_SHIFT, f0 = 0, l0 = lead;
    for (size_t j = 0; j <= rd.inner.size() && l0 != FAULT_NO_LINE; j++)
        l0 = next_any(l0 + 1, &f0);
    if (l0 == FAULT_NO_LINE || l0 >= mc.scrub.lines ||
        memctl_scrub_fold_set(&mc, t_of(l0) - 1, likes.data(), (unsigned)likes.size(), false, true, &last_ps) !=
            rd.m - 1)
        return false;
    std::vector<uint64_t> at;
    for (const quiet_timer &t : polls)
        at.push_back(t.next_ps);
    uint64_t k = 0, before = lead; /* before: round r - 1's lead */
    for (uint64_t r = 0;; r++) {
        /* round r: its lines after the lead's are the inner findings'
         * faults' in order; the next line is the next round's lead */
        uint64_t l = lead, f = 0;
        bool ok = true;
        for (size_t j = 0; ok && j < rd.inner.size(); j++) {
            l = next_any(l + 1, &f);
            ok = l != FAULT_NO_LINE && l < mc.scrub.lines && f == rd.inner[j].fault_id;
        }
        uint64_t next = ok ? next_any(l + 1, &f) : FAULT_NO_LINE;
        if (!ok || next == FAULT_NO_LINE || next >= mc.scrub.lines || t_of(next) > until - 1 ||
            f != ev.fault_id) {
            k = r ? r - 1 : 0; /* round r + 1 begins before until */
            lead = before;
            break;
        }
        /* polls within it: clear of its busy window (from its CMCI, which
         * its last line raises) */
        const uint64_t cmci = t_of(l), t_next = t_of(next);
        for (size_t p = 0; ok && p < polls.size(); p++)
            for (; ok && at[p] < t_next; at[p] += polls[p].period_ps)
                ok = (at[p] + polls[p].busy_ps + margin < cmci + rd.busy_from ||
                      at[p] > cmci + rd.busy_to + margin) &&
                     at[p] + polls[p].busy_ps + margin < t_next;
        if (!ok) {
            k = r; /* round r runs, with its poll */
            break;
        }
        before = lead;
        lead = next;
    }
    if (k == 0)
        return false;
    *end = t_of(lead); /* round k's first line */
    if (memctl_scrub_fold_set(&mc, *end - 1, likes.data(), (unsigned)likes.size(), false, true, &last_ps) !=
        k * rd.m - 1)
        return false;
    *kp = k;
    return true;
}

/* The kinds of finding a round made: (fault, status, device), each once. */
static std::vector<std::array<uint64_t, 3>> kinds_of(const host_rt::fold_round &x)
{
    std::vector<std::array<uint64_t, 3>> k;
    auto add = [&](const memctl_scrub_event &e) {
        std::array<uint64_t, 3> v{e.fault_id, e.status, (uint64_t)(int64_t)e.device};
        if (std::find(k.begin(), k.end(), v) == k.end())
            k.push_back(v);
    };
    add(x.lead);
    for (const memctl_scrub_event &e : x.inner)
        add(e);
    std::sort(k.begin(), k.end());
    return k;
}

/* Two storm rounds of several faults polled alike: the same driver,
 * period and clear, the same kinds found, the memory moved alike and the
 * error settled alike. */
static bool storm_alike(const host_rt::fold_round &x, const host_rt::fold_round &y)
{
    if (x.driver < 0 || x.driver != y.driver || x.period != y.period || x.dclear != y.dclear ||
        x.nreads != y.nreads || x.dreads != y.dreads || x.inner.empty() || y.inner.empty() || x.dmem != y.dmem ||
        kinds_of(x) != kinds_of(y))
        return false;
    const auto &a = x.err, &b = y.err;
    return a.valid && b.valid && a.fate == b.fate && a.found_by == b.found_by && a.latch == b.latch &&
           a.bank == b.bank && a.cpu == b.cpu && a.cls == b.cls;
}

/*
 * The walk's lines in [a, b) of the faults ids[0..n) (footprints fp): the
 * first one's fault, the runs (a run: one fault's lines in a row, the
 * walk's order; its first line a finding, the rest folded into that one's
 * count: fold_scrub_ces), each fault's runs and lines, and the runs of
 * more than a line: their later lines are folded at the next wake (the
 * next run's finding, or the poll's read of the bank), an event each (a
 * line between the poll's first read and its clear is counted apart, at
 * the access after it: storm_amid_key keys the round by such lines). A
 * line of two faults is no run's (the walk takes none such in a fold: checked dry).
 */
host_rt::storm_key host_rt::storm_count(const fault_footprint *fp, const uint64_t *ids, size_t n, uint64_t a,
                                        uint64_t b, uint64_t *rank)
{
    storm_key k;
    storm_count(fp, ids, n, a, b, rank, &k);
    return k;
}

/* (into *kp, its vectors' room kept: a plan keys a window a poll) */
void host_rt::storm_count(const fault_footprint *fp, const uint64_t *ids, size_t n, uint64_t a, uint64_t b,
                          uint64_t *rank, storm_key *kp)
{
    storm_key &k = *kp;
    k.lead = k.finds = k.lines = k.folds = 0;
    k.faults.clear();
    k.amid.clear();
    k.amid_prev = 0;
    uint64_t runs[MEMCTL_FOLD_SET_MAX] = {0};
    /* each fault's first line at or after l (kept so: a fault's lines
     * looked up where its run ends, not at every run of another's) */
    uint64_t nxt[MEMCTL_FOLD_SET_MAX];
    uint64_t l = FAULT_NO_LINE;
    for (size_t i = 0; i < n; i++) {
        nxt[i] = footprint_next_line(&fp[i], a);
        l = std::min(l, nxt[i]);
    }
    while (l < b) {
        size_t own = 0;
        while (nxt[own] != l)
            own++; /* (the first fault the line is of) */
        if (k.finds++ == 0)
            k.lead = ids[own];
        runs[own]++;
        uint64_t e = FAULT_NO_LINE;
        for (size_t i = 0; i < n; i++) {
            if (i == own)
                continue;
            if (nxt[i] == l)
                nxt[i] = footprint_next_line(&fp[i], l + 1); /* the line is own's */
            e = std::min(e, nxt[i]);
        }
        const uint64_t nx = footprint_next_line(&fp[own], l + 1);
        k.folds += nx < std::min(e, b); /* more of own's lines in a row: a run */
        nxt[own] = nx >= e ? nx : footprint_next_line(&fp[own], e);
        l = e;
    }
    /* each fault's lines in [a, b): its lines below b less those below a */
    k.faults.reserve(n);
    for (size_t i = 0; i < n; i++) {
        const uint64_t below_a = rank ? rank[i] : footprint_count_lines(&fp[i], 0, a);
        const uint64_t below_b = footprint_count_lines(&fp[i], 0, b);
        if (rank)
            rank[i] = below_b;
        const uint64_t c = b > a ? below_b - below_a : 0;
        k.lines += c;
        if (c)
            k.faults.push_back({ids[i], runs[i], c});
    }
    std::sort(k.faults.begin(), k.faults.end(),
              [](const storm_fault &x, const storm_fault &y) { return x.id < y.id; });
}

/*
 * The lines of the faults between the poll and its clear of the bank
 * (round r's poll at `poll`; the round's lines from `from`), into k: a
 * line up to the poll's first read is counted into what it reads, as a
 * line before the poll is (it is none of these); a later one is counted
 * at the next access (a read, or the clear, which wipes its count) or is
 * a finding of its own at its time (a run's first line: its fault is not
 * the line before's), each a change of the round's own. So such lines
 * key the round: each line's access and fault, and the fault of the line
 * before the first (fleet host 6748 under linux-6: a bank fault's line
 * between the read and the clear every 29 polls, a fold ended at each).
 * False when the round is none a fold takes: a line there while the
 * poll's reads are not known, more than kAmidMax of them, or a line of
 * two faults.
 */
bool host_rt::storm_amid_key(const fault_footprint *fp, const uint64_t *ids, size_t n, const fold_round &r,
                             uint64_t poll, uint64_t from, storm_key *k, uint64_t wc) const
{
    const memctl &mc = mem_->mc;
    const uint64_t pass = mc.scrub.pass_base + mc.scrub.pass;
    const unsigned nr = r.nreads;
    const uint64_t first = nr ? poll + r.dreads[0] : poll, clear = poll + r.dclear;
    const uint64_t wp = scrubber_line_at(&mc.scrub, pass, first + 1);
    if (wc == UINT64_MAX)
        wc = scrubber_line_at(&mc.scrub, pass, clear + 1);
    k->amid.clear();
    k->amid_prev = 0;
    static constexpr size_t kAmidMax = 8;
    for (uint64_t w = wp; w < wc;) {
        size_t who;
        bool tie;
        const uint64_t l = footprints_next_line(fp, n, w, &who, &tie);
        if (l == FAULT_NO_LINE || l >= wc)
            break;
        if (nr == 0 || tie || k->amid.size() == kAmidMax)
            return false;
        const uint64_t t = scrubber_line_time(&mc.scrub, pass, l);
        unsigned at = 1; /* the access that counts it: the first read at or after it, else the clear (nr) */
        while (at < nr && poll + r.dreads[at] < t)
            at++;
        k->amid.push_back({at, ids[who]});
        w = l + 1;
    }
    if (k->amid.empty())
        return true;
    /* the line before the first: the last of any fault's from `from` on */
    uint64_t last = FAULT_NO_LINE;
    for (size_t i = 0; i < n; i++) {
        const uint64_t c = wp > from ? footprint_count_lines(&fp[i], from, wp) : 0;
        const uint64_t l = c ? footprint_nth_line(&fp[i], from, c - 1) : FAULT_NO_LINE;
        if (l != FAULT_NO_LINE && (last == FAULT_NO_LINE || l > last)) {
            last = l;
            k->amid_prev = ids[i];
        }
    }
    return true;
}

bool host_rt::storm_key::same_runs(const storm_key &o) const
{
    if (lead != o.lead || finds != o.finds || folds != o.folds || faults.size() != o.faults.size() ||
        amid != o.amid || amid_prev != o.amid_prev)
        return false;
    for (size_t i = 0; i < faults.size(); i++)
        if (faults[i].id != o.faults[i].id || faults[i].runs != o.faults[i].runs)
            return false;
    return true;
}

/*
 * The round's counter changes, as the entry for its runs: confirmed when
 * another round of those gave the same, its faults' lines then widening
 * the entry's ranges; other changes replace the entry's, unconfirmed (the
 * lines did matter). A round its lines, counted so, do not give is not
 * noted: the walk made other findings of them than storm_count says.
 */
void host_rt::storm_note(const fold_round &r)
{
    std::vector<std::array<uint64_t, 3>> kinds = kinds_of(r);
    std::vector<uint64_t> ids;
    for (const auto &x : kinds)
        if (std::find(ids.begin(), ids.end(), x[0]) == ids.end())
            ids.push_back(x[0]);
    if (ids.size() > MEMCTL_FOLD_SET_MAX)
        return;
    fault_footprint fp[MEMCTL_FOLD_SET_MAX];
    for (size_t i = 0; i < ids.size(); i++)
        if (!fault_map_footprint(&mem_->mc.faults, ids[i], &fp[i]))
            return;
    /* a round whose first line came before the poll before it was
     * handled, or whose poll's handling was not done by the next round's
     * first line, holds part of another round's (a fold counts such a
     * pair as two rounds that did not overlap, and ends at neither) */
    if (r.lead.time_ps <= r.poll_ps - r.period + storm_busy_ || r.ev.time_ps <= r.poll_ps + storm_busy_)
        return;
    const memctl &mc = mem_->mc;
    const uint64_t pass = mc.scrub.pass_base + mc.scrub.pass;
    const uint64_t la = r.lead.addr >> MEM_LINE_SHIFT, lb = r.ev.addr >> MEM_LINE_SHIFT;
    if (la >= lb || la >= mc.scrub.lines || lb >= mc.scrub.lines ||
        scrubber_line_time(&mc.scrub, pass, la) != r.lead.time_ps ||
        scrubber_line_time(&mc.scrub, pass, lb) != r.ev.time_ps)
        return; /* not this pass's lines (a round across a pass's end) */
    storm_key key = storm_count(fp, ids.data(), ids.size(), la, lb);
    if (!storm_amid_key(fp, ids.data(), ids.size(), r, r.poll_ps, la, &key))
        return;
    if (key.lines != r.m || key.finds != 1 + r.inner.size() || key.lead != r.lead.fault_id)
        return;
    for (size_t i = still_from_; i < still_to_ && i < r.dv.size(); i++)
        if (r.dv[i])
            return; /* a sweep of the live errors among the round's */
    std::vector<uint64_t> dv(r.dv), lines;
    dv.push_back(r.extra_counted);
    dv.push_back(r.events);
    for (const storm_fault &f : key.faults)
        lines.push_back(f.lines);
    for (storm_entry &e : storm_) {
        if (!e.key.same_runs(key))
            continue;
        if (e.lead_ps == r.lead.time_ps && e.lead_addr == r.lead.addr)
            return; /* this round, noted already */
        if (e.dv == dv) {
            e.confirmed = true;
            for (size_t i = 0; i < lines.size(); i++) {
                e.lo[i] = std::min(e.lo[i], lines[i]);
                e.hi[i] = std::max(e.hi[i], lines[i]);
            }
        } else {
            e.dv = std::move(dv);
            e.lo = e.hi = lines;
            e.confirmed = false;
        }
        e.lead_ps = r.lead.time_ps;
        e.lead_addr = r.lead.addr;
        return;
    }
    if (storm_.size() < kStormEntriesMax) /* rounds of that many shapes: the rest run */
        storm_.push_back({std::move(key), lines, lines, r.lead.time_ps, r.lead.addr, false, std::move(dv)});
}

/* The confirmed entry for k's runs whose ranges hold k's lines: a count
 * of lines only decides something past a threshold, so a change the
 * rounds at both ends of a range gave is every round's between. */
const host_rt::storm_entry *host_rt::storm_find(const storm_key &k) const
{
    for (const storm_entry &e : storm_) {
        if (!e.key.same_runs(k))
            continue;
        if (!e.confirmed)
            return nullptr;
        for (size_t i = 0; i < k.faults.size(); i++)
            if (k.faults[i].lines < e.lo[i] || k.faults[i].lines > e.hi[i])
                return nullptr;
        return &e;
    }
    return nullptr;
}

/*
 * A storm's poll rounds that find lines of several faults in turn (fleet
 * hosts 4900 and 1555 under linux-6): a round's counters follow what its
 * lines were - the fault of its first, its runs of each fault, the runs
 * of more than a line (storm_count: a finding each, a fold each) - and
 * not linearly in anything (a bank's storm history shifts a bit in a
 * poll, the live errors are swept now and then), so they are learnt per
 * such shape: two rounds x, y are alike when they found the same kinds
 * and polled alike, and each round's changes are noted under its shape
 * (storm_note); a fold takes confirmed ones alone (two rounds gave the
 * same). True when some are. (Before, the counters were taken as a line
 * in the findings through two rounds, which any two rounds fit: linux-6
 * host 1555's rounds of 387 lines in 6 runs were counted as 387 findings
 * each, its records wrapped below zero.)
 */
bool host_rt::fold_steady_lines(const fold_round &x, fold_round &y)
{
    if (!storm_alike(x, y))
        return false;
    if (!have_storm_ || !storm_alike(storm_rep_, y)) {
        storm_.clear();
        storm_rep_ = y;
        have_storm_ = true;
        storm_busy_ = 0;
    }
    storm_busy_ = std::max({storm_busy_, x.busy_after, y.busy_after});
    storm_note(x);
    storm_note(y);
    y.busy_after = std::max(x.busy_after, y.busy_after);
    return std::any_of(storm_.begin(), storm_.end(), [](const storm_entry &e) { return e.confirmed; });
}

/* The finding each of a round's faults made (the first of each): the likes
 * memctl_scrub_fold_set checks every line of that fault against; with fp,
 * their footprints too (none: more faults than it takes, or one gone). */
std::vector<memctl_scrub_event> host_rt::fold_likes(const fold_round &rd, const memctl_scrub_event &ev,
                                                    fault_footprint *fp) const
{
    std::vector<memctl_scrub_event> likes{ev};
    auto add = [&](const memctl_scrub_event &e) {
        for (const memctl_scrub_event &l : likes)
            if (l.fault_id == e.fault_id)
                return;
        likes.push_back(e);
    };
    add(rd.lead);
    for (const memctl_scrub_event &e : rd.inner)
        add(e);
    if (!fp)
        return likes;
    if (likes.size() > MEMCTL_FOLD_SET_MAX)
        return {};
    for (size_t i = 0; i < likes.size(); i++)
        if (!fault_map_footprint(&mem_->mc.faults, likes[i].fault_id, &fp[i]))
            return {};
    return likes;
}

host_rt::storm_slides::storm_slides(const fault_footprint *fp, size_t n, const scrubber &walk, uint64_t tail)
{
    for (learnt &x : w)
        fold_slide_init(&x.s, fp, n, walk.lines, tail);
}

bool host_rt::storm_slides::match(const fault_footprint *fp, uint64_t a, uint64_t b, const uint64_t *rank,
                                  fold_slide_window *sw, const storm_entry **e, uint64_t *finds)
{
    for (size_t j = 0; j < w.size(); j++) {
        const learnt &x = w[(last + j) % w.size()];
        if (!x.e || !fold_slide_match(&x.s, fp, a, b, rank, sw))
            continue;
        last = (last + j) % w.size();
        *e = x.e;
        *finds = x.e->key.finds;
        for (size_t i = 0; i < x.s.n; i++)
            if (x.at[i] >= 0 && (sw->count[i] < x.e->lo[(size_t)x.at[i]] || sw->count[i] > x.e->hi[(size_t)x.at[i]]))
                *e = nullptr;
        return true;
    }
    return false;
}

void host_rt::storm_slides::learn(const fault_footprint *fp, const uint64_t *ids, uint64_t a, uint64_t b,
                                  const uint64_t *rank_a, const uint64_t *rank_b, const storm_key &key,
                                  const storm_entry *e)
{
    learnt &x = w[oldest];
    fold_slide_learn(&x.s, fp, a, b, rank_a, rank_b);
    x.e = x.s.have ? e : nullptr;
    for (size_t i = 0; i < x.s.n; i++) {
        x.at[i] = -1;
        for (size_t j = 0; j < key.faults.size(); j++)
            if (key.faults[j].id == ids[i])
                x.at[i] = (int)j;
    }
    last = oldest;
    oldest = (oldest + 1) % w.size();
}

/*
 * A storm's poll rounds of several faults' lines (fold_steady_lines): round
 * r is every line of theirs from the first after the clear of poll r - 1
 * (round 0: ev's) to the clear of poll r (at drive_at + r P + dclear), its
 * findings its runs (storm_count; the round's first line is a finding:
 * the bank was clear). The next round's first line must come before the
 * next poll (else that poll finds nothing), each round's lines must be a
 * confirmed entry's (its counters are known for those alone: *sum adds
 * them up), and the real round k's poll must be done before until.
 * *lines, *finds: the folded rounds'; *end: past round k - 1's clear,
 * below which the walk takes every line (checked dry).
 */
bool host_rt::fold_plan_storm(const fold_round &rd, const memctl_scrub_event &ev, uint64_t drive_at, uint64_t until,
                              uint64_t *kp, uint64_t *linesp, uint64_t *findsp, uint64_t *end,
                              std::vector<uint64_t> *sum)
{
    memctl &mc = mem_->mc;
    fault_footprint fp[MEMCTL_FOLD_SET_MAX];
    std::vector<memctl_scrub_event> likes = fold_likes(rd, ev, fp);
    if (likes.empty())
        return false;
    const uint64_t pass = mc.scrub.pass_base + mc.scrub.pass, margin = 1000000;
    const uint64_t line0 = ev.addr >> MEM_LINE_SHIFT;
    const size_t nf = likes.size();
    /* the walk's first line after t */
    auto upto = [&](uint64_t t) { return scrubber_line_at(&mc.scrub, pass, t + 1); };
    uint64_t ids[MEMCTL_FOLD_SET_MAX];
    for (size_t i = 0; i < nf; i++)
        ids[i] = likes[i].fault_id;
    auto next_line = [&](uint64_t w) { return footprints_next_line(fp, nf, w, nullptr, nullptr); };
    /* the rounds planned: how many, their lines and findings, how many
     * of each entry's */
    struct plan {
        uint64_t k = 0, lines = 0, finds = 0;
        std::vector<uint64_t> times;
    };
    plan cur, fallback;
    cur.times.assign(storm_.size(), 0);
    /* at_end (below): cur as it was after round at_end.k - 1, the entries
     * of the rounds since in `since` (a plan of a million rounds copied
     * no counts a round) */
    plan at_end;
    std::vector<size_t> since;
    auto at_end_plan = [&] {
        plan p = cur;
        p.k = at_end.k;
        p.lines = at_end.lines;
        p.finds = at_end.finds;
        for (size_t j : since)
            p.times[j]--;
        return p;
    };
    uint64_t from = line0, last_ps;
    uint64_t rank[MEMCTL_FOLD_SET_MAX]; /* each fault's lines below from */
    for (size_t i = 0; i < nf; i++)
        rank[i] = footprint_count_lines(&fp[i], 0, from);
    const uint64_t busy = std::max(rd.busy_after, storm_busy_);
    bool overlap_seen = false; /* a round began while the poll before was handled */
    if (storm_fail_line_ != FAULT_NO_LINE && (storm_fail_pass_ != pass || line0 >= storm_fail_line_))
        storm_fail_line_ = FAULT_NO_LINE; /* the walk is past it */
    /* the rounds' lines stop short of the first one a set fold cannot take
     * (another fault's: fleet host 4112's single-bit fault under linux-6,
     * whose plans failed their dry run there round after round) */
    const uint64_t stop_line =
        std::min(storm_fail_line_, memctl_scrub_fold_set_end(&mc, likes.data(), (unsigned)nf, false));
    storm_key key; /* (reused: its vectors' room kept) */
    /* a window whose lines are a keyed one's runs moved up is keyed as
     * that one was, with its own lines of each fault; it has none between
     * the poll's first read and its clear (the tail) */
    storm_slides slides(fp, nf, mc.scrub, scrubber_lines_within(&mc.scrub, rd.dclear - (rd.nreads ? rd.dreads[0] : 0)));
    fold_slide_window sw;
    poll_lines pl;
    pl.at(mc.scrub, pass, drive_at, rd.period, rd.dclear, busy);
    for (;;) {
        uint64_t poll = drive_at + cur.k * rd.period, next = poll + rd.period;
        if (next + rd.busy_after + margin >= until)
            break;
        uint64_t w = scrubber_steps_line(&pl.clear);
        if (w >= mc.scrub.lines || w <= from || w > stop_line)
            break;
        const storm_entry *e;
        uint64_t f, nlines = 0, nfinds;
        if (slides.match(fp, from, w, rank, &sw, &e, &nfinds)) {
            for (size_t i = 0; i < nf; i++) {
                rank[i] += sw.count[i];
                nlines += sw.count[i];
            }
            f = sw.next;
        } else {
            uint64_t rank0[MEMCTL_FOLD_SET_MAX];
            std::copy(rank, rank + nf, rank0);
            storm_count(fp, ids, nf, from, w, rank, &key);
            if (!storm_amid_key(fp, ids, nf, rd, poll, from, &key, w)) /* (w: upto the clear) */
                break;
            f = next_line(w);
            /* the fold begins after the last poll was handled */
            if (cur.k == 0 && scrubber_line_time(&mc.scrub, pass, next_line(from)) <= poll - rd.period + busy)
                break;
            e = key.lines ? storm_find(key) : nullptr;
            nlines = key.lines;
            nfinds = key.finds;
            if (e && key.amid.empty())
                slides.learn(fp, ids, from, w, rank0, rank, key, e);
        }
        if (!e || e->dv.size() != fold_ctrs_.size() + 2 || f >= mc.scrub.lines || f >= scrubber_steps_line(&pl.next))
            break;
        cur.times[(size_t)(e - storm_.data())]++;
        since.push_back((size_t)(e - storm_.data()));
        cur.lines += nlines;
        cur.finds += nfinds;
        cur.k++;
        from = w;
        /* A round whose first line comes while the poll before is still
         * being handled (its dom0 work, say) holds the rest of that
         * handling, the round before lacks it: the same events, in
         * another order, so amid the fold each counts as a round of its
         * shape that began after (storm_note learns only those); the fold
         * ends after a round whose handling was done first (at_end), or
         * falls back to the last such before the first overlap. */
        if (f >= scrubber_steps_line(&pl.done)) {
            at_end.k = cur.k;
            at_end.lines = cur.lines;
            at_end.finds = cur.finds;
            since.clear();
        } else if (!overlap_seen) {
            overlap_seen = true;
            fallback = at_end_plan();
        }
        pl.step();
    }
    auto dry = [&](const plan &p) {
        *end = drive_at + (p.k - 1) * rd.period + rd.dclear + 1;
        return memctl_scrub_fold_set(&mc, *end - 1, likes.data(), (unsigned)likes.size(), false, true, &last_ps) ==
               p.lines - 1;
    };
    if (at_end.k == 0)
        return false;
    cur = at_end_plan();
    if (!overlap_seen)
        fallback.k = cur.k; /* (no overlap: the same plan) */
    if (!dry(cur)) {
        /* something the walk cannot take lies ahead (another fault's
         * line, say): plans reaching this far fail until the walk is past
         * it, so they stop short of it; this one falls back */
        storm_fail_line_ = upto(*end - 1);
        storm_fail_pass_ = pass;
        if (fallback.k == 0 || fallback.k == cur.k || !dry(fallback))
            return false;
        cur = std::move(fallback);
    }
    sum->assign(fold_ctrs_.size() + 2, 0);
    for (size_t j = 0; j < storm_.size(); j++)
        for (size_t i = 0; cur.times[j] && i < sum->size(); i++)
            (*sum)[i] += cur.times[j] * storm_[j].dv[i];
    *kp = cur.k;
    *linesp = cur.lines;
    *findsp = cur.finds;
    return true;
}
