/*
 * host_fold_kinds.cpp - the round fold for rounds of several kinds in turn
 * (docs/PERFORMANCE.md, "Rounds of several kinds").
 *
 * Two wide faults whose lines the walk finds in stretches (fleet host
 * 3914: two single-bank faults on channels 2 and 0, 128 lines of each a
 * row, each row 329.59 ms) make rounds of one fault, then of the other,
 * and so on. No two consecutive rounds differ in what they count, but the
 * rounds at a stretch's edge do, and a fold of one kind (host_fold.cpp)
 * ends at each edge: 10^8 folds in a year. Here each kind of round is
 * learnt on its own, keyed by what decides its course: its lines' faults
 * and times from its first line, and the rounds before and after it (their
 * first lines' faults and times). A kind is confirmed once two rounds of
 * the same key made the same changes (same_round, as host_fold.cpp's
 * steady rounds). The fold then walks the rounds ahead, each one of a
 * confirmed kind, and where the faults' lines repeat with a period (a
 * block: 2^q lines whose lower bits hold everything that tells the faults
 * apart, every block the one before it shifted), one block's rounds are
 * walked and the others counted, each a copy in time as in lines.
 * Polls are checked against each round's busy window, a block's by its
 * offset in its block. The kinds are learnt in host_fold_learn.cpp.
 */
#include "sim/runtime/host_fold_kinds.hpp"

#include <algorithm>
#include <cstddef>

/* Walk a kinds plan's rounds one by one (at most kWalk, fold_plan_kinds)
 * until a block's worth repeats, looking back at most kPeriod blocks */
static constexpr size_t kWalk = 1u << 12, kPeriod = 64;

/* a footprint's next line after line is poisoned (a later pass's hole) */
static bool poisoned_after(const memctl &mc, const fault_footprint &f, uint64_t line)
{
    const uint64_t l = footprint_next_line(&f, line + 1);
    return l < mc.scrub.lines && memctl_poisoned(&mc, l << MEM_LINE_SHIFT);
}

/* The kinds a plan from finding ev may use (indices into fold_kinds_), and
 * one finding of each of their faults (likes): confirmed kinds of this
 * phase (storm or not, this pass, faults with lines ahead), left out those
 * whose faults the walk will not find alike. False: a usable kind whose
 * CPUs' busy time is not known yet (no plan). */
bool host_rt::fold_kinds_usable(const memctl_scrub_event &ev, std::vector<size_t> &use,
                                std::vector<memctl_scrub_event> &likes)
{
    memctl &mc = mem_->mc;
    auto add_like = [&](const memctl_scrub_event &e) {
        for (const memctl_scrub_event &l : likes)
            if (l.fault_id == e.fault_id)
                return;
        likes.push_back(e);
    };
    /* a fault the walk passes without a look (scrub_passive.h: all its
     * lines poisoned, say) makes no more rounds: its kinds are left out */
    auto passive = [&](uint64_t id) { return scrub_passive_find(&mc.scrub.passive, id) != nullptr; };
    /* a kind whose findings' outcomes are not their faults' last ones is of
     * another phase (a miscorrecting fault's lines corrected on the next
     * pass, say): its rounds are not the ones ahead */
    auto stale = [&](const memctl_scrub_event &e) {
        for (const fault_outcome &o : fold_outcomes_)
            if (o.fault_id == e.fault_id)
                return o.outcome != (unsigned)e.outcome;
        return false;
    };
    /* an answer about a fault's footprint, each fault's looked up once a
     * plan (false without a footprint) */
    auto memo = [&](std::vector<std::pair<uint64_t, bool>> &seen, uint64_t id, auto of) {
        for (const auto &m : seen)
            if (m.first == id)
                return m.second;
        fault_footprint f;
        const bool v = fault_map_footprint(&mc.faults, id, &f) && of(f);
        seen.push_back({id, v});
        return v;
    };
    /* a fault with no line left in this pass (a single-bit fault's line
     * passed): its kinds meet no round ahead, and as a like its lone line
     * would leave the lines no period (q) */
    const uint64_t from0 = ev.addr >> MEM_LINE_SHIFT;
    std::vector<std::pair<uint64_t, bool>> ahead_memo, lone_memo;
    auto gone = [&](uint64_t id) {
        return !memo(ahead_memo, id,
                     [&](const fault_footprint &f) { return footprint_next_line(&f, from0) < mc.scrub.lines; });
    };
    auto gone_ev = [&](const memctl_scrub_event &e) { return gone(e.fault_id); };
    /* a fault of one line (single-bit, single-word) ahead: its kinds are
     * left out, so the rounds stop short of its line (set_end, below), and
     * the other faults' rounds keep their period (fleet host 4112: with a
     * single-bit fault among the likes no line bit was free in all, no
     * period, 4,096 rounds walked a fold, a fold a bank fault's 64 rows) */
    auto lone = [&](uint64_t id) { return memo(lone_memo, id, [](const fault_footprint &f) { return f.free == 0; }); };
    auto lone_ev = [&](const memctl_scrub_event &e) { return lone(e.fault_id); };
    /* a nested UC fault (fold_nested) whose next line is poisoned (on a
     * later pass: holes, fold_hole) makes no more findings there: its
     * kinds are of an earlier pass */
    std::vector<std::pair<uint64_t, bool>> holed_memo;
    auto poisoned_ahead = [&](const fault_footprint &f) { return poisoned_after(mc, f, from0); };
    const bool any_nested = fold_any_nested();
    auto holed_ev = [&](const memctl_scrub_event &e) {
        auto within_another = [&](const fault_footprint &f) {
            if (!poisoned_ahead(f))
                return false;
            size_t pos = 0;
            uint64_t oid;
            const mem_fault *of;
            fault_footprint o;
            while (fault_map_iter(&mc.faults, &pos, &oid, &of))
                if (oid != e.fault_id && fault_map_footprint(&mc.faults, oid, &o) && footprint_nested(&o, &f))
                    return true;
            return false;
        };
        return any_nested && e.outcome == MEMCTL_UNCORRECTABLE && memo(holed_memo, e.fault_id, within_another);
    };
    /* any of a kind's lines' faults (a run of one fault's lines asked
     * once: a CE round's thousands of lines are one fault's) */
    auto any_fault = [](const fold_kind &kd, auto pred) { return std::any_of(kd.fault_runs.begin(), kd.fault_runs.end(), pred); };
    /* any of a kind's findings (its lead, inner CEs and miscorrections,
     * and the next round's first: rd.ev) */
    auto any_finding = [](const fold_kind &kd, auto pred) {
        return pred(kd.rd.lead) || pred(kd.rd.ev) || std::any_of(kd.rd.inner.begin(), kd.rd.inner.end(), pred) ||
               std::any_of(kd.rd.sdcs.begin(), kd.rd.sdcs.end(), pred);
    };
    /* Outside a storm, a CMCI's check of the banks moves the state a storm
     * begins by (linux-6: each bank's history, shifted by the seconds since
     * the last check; linux-2.6: the CPU's count in its window), by how much
     * depending on checks rounds before: two rounds of a kind that moved it
     * alike say nothing of a run of them (fleet host 183: such rounds
     * folded, a storm began late). Kinds that raise a CMCI are left out. */
    const bool storm = fold_bank_storms();
    const bool watched = !storm && hv_storm_watches(&hv_, bank_home(cfg_.dram.mc_cpu, cfg_.dram.mc_bank));
    for (size_t i = 0; i < fold_kinds_.size(); i++) {
        const fold_kind &kd = fold_kinds_[i];
        if (!kd.confirmed || kd.storm != (storm && !kd.rd.uc) || (watched && kd.cmci) || passive(kd.prev_fault) || passive(kd.next_fault) ||
            any_fault(kd, passive) || any_finding(kd, stale) ||
            any_finding(kd, gone_ev) || lone(kd.prev_fault) || lone(kd.next_fault) ||
            any_fault(kd, lone) || any_finding(kd, lone_ev) ||
            any_finding(kd, holed_ev))
            continue;
        if (!kd.rd.busy_known)
            return false;
        use.push_back(i);
        add_like(kd.rd.lead);
        for (const memctl_scrub_event &e : kd.rd.inner)
            add_like(e);
        for (const memctl_scrub_event &e : kd.rd.sdcs)
            add_like(e);
        add_like(kd.rd.ev);
    }
    return true;
}

/* The UC units among the kinds used (one fault's at most): each a whole
 * page's lines, its page entered as the others were, and one the hv can
 * enter as a run; or parts of them (fold_round::part, *parts), the first
 * of each page entering it so, the others none. out->uc, uc_fp, entry:
 * the fault's footprint and the page entry its units make. False: units
 * a plan cannot take. */
bool host_rt::fold_kinds_uc_units(const std::vector<size_t> &use, const std::vector<memctl_scrub_event> &likes,
                                  const fault_footprint *fp, fold_kplan *out, bool *parts) const
{
    out->uc = false;
    uint64_t uc_fault = 0;
    bool entries = false;
    const size_t nf = likes.size();
    for (size_t u : use) {
        const fold_round &x = fold_kinds_[u].rd;
        if (!x.uc)
            continue;
        if (out->uc && x.lead.fault_id != uc_fault)
            return false;
        if (!out->uc) {
            out->uc = true;
            size_t i = 0;
            while (i < nf && likes[i].fault_id != x.lead.fault_id)
                i++;
            if (i == nf)
                return false;
            out->uc_fp = fp[i];
            uc_fault = x.lead.fault_id;
        }
        *parts = *parts || x.part;
        if (x.dpages) {
            if (!entries && !hv_fold_page_runnable(&hv_, x.entry))
                return false;
            if (entries && !hv_fold_pages_alike(&hv_, out->entry, x.entry))
                return false;
            if (!entries)
                out->entry = x.entry;
            entries = true;
        }
        if (!x.part && (1ull << __builtin_popcountll(out->uc_fp.free & (kPageLines - 1))) != x.m)
            return false;
    }
    if (*parts && !entries)
        return false; /* parts in broken pages only (a later pass): not yet */
    return true;
}

uint64_t host_rt::kinds_walk::t_of(uint64_t line) const
{
    return scrubber_line_time(&mc.scrub, pass, line);
}

/* The faults' next line at or after from, and whose (none when two faults
 * share it, unless one lies within the other: then the inner one's DUE;
 * a hole passed). */
uint64_t host_rt::kinds_walk::next_any(uint64_t from, uint64_t *fault)
{
    const size_t nf = likes.size();
    for (unsigned skip = 0; skip <= kHoleSkips; skip++) {
        size_t who;
        bool tie;
        const uint64_t l = footprints_next_line_memo(fp, nf, from, nm.data(), &who, &tie);
        if (l == FAULT_NO_LINE || l >= nlines)
            return FAULT_NO_LINE;
        if (!nested.empty() && fold_hole(mc, nested, l)) {
            from = l + 1; /* a hole: no finding */
            continue;
        }
        if (tie) {
            /* two faults, one within the other: the inner one's DUE */
            size_t inner = nf, holders = 0;
            for (size_t i = 0; i < nf; i++)
                if (footprint_covers(&fp[i], l)) {
                    holders++;
                    if (inner == nf || footprint_contains(&fp[inner], &fp[i]))
                        inner = i;
                }
            bool within = holders == 2;
            for (size_t i = 0; within && i < nf; i++)
                within = i == inner || !footprint_covers(&fp[i], l) || footprint_nested(&fp[i], &fp[inner]);
            if (!within)
                return FAULT_NO_LINE;
            who = inner;
        }
        *fault = likes[who].fault_id;
        return l;
    }
    return FAULT_NO_LINE;
}

const fault_footprint *host_rt::kinds_walk::fp_of(uint64_t id) const
{
    const size_t nf = likes.size();
    for (size_t i = 0; i < nf; i++)
        if (likes[i].fault_id == id)
            return &fp[i];
    return nullptr;
}

/* A stretch of a kind's lines learnt as one fault's next lines in a
 * row, taken in one step where the line-by-line match would take it:
 * the fault's next run.n lines after l with no line of another like
 * fault or a nested one (hole or not) among them (so next_any would
 * give exactly these, each the fault's), the first at the learnt
 * offset from the lead and its rank alike the learnt one's in every
 * bit an addition of up to run.n - 1 can reach (so each line's offset
 * from the lead is the learnt one's, and its time from the lead's
 * within the picosecond `near` allows: floors of one schedule).
 * False: the line-by-line match decides, as before. *to: the last. */
bool host_rt::kinds_walk::run_matches(const fold_kind::run &run, uint64_t lead, uint64_t l, uint64_t id,
                                      uint64_t *to) const
{
    const size_t nf = likes.size();
    const fault_footprint *g = fp_of(id);
    if (!g)
        return false;
    const uint64_t first = footprint_next_line(g, l + 1), last = footprint_nth_line(g, l + 1, run.n - 1);
    if (first == FAULT_NO_LINE || last == FAULT_NO_LINE || last >= nlines || first - lead != run.d)
        return false;
    if (!footprint_runs_alike(g, footprint_count_lines(g, 0, first), run.rank, run.n))
        return false;
    for (size_t i = 0; i < nf; i++)
        if (&fp[i] != g && footprint_next_line(&fp[i], l + 1) <= last)
            return false;
    for (const fault_footprint &h : nested)
        if (footprint_next_line(&h, l + 1) <= last)
            return false;
    if (t_of(last) == UINT64_MAX)
        return false;
    *to = last;
    return true;
}

/* the round whose first line is lead (fault lf, the round before's
 * first line of fault pf, back before it; over: that round left its
 * CE in the bank for a UC lead to overwrite) as a confirmed kind */
bool host_rt::kinds_walk::match(uint64_t pf, uint64_t back, bool over, uint64_t lead, uint64_t lf,
                                fold_walk_step *s)
{
    const uint64_t tl = t_of(lead);
    for (size_t u : use) {
        const fold_kind &kd = kinds[u];
        if (kd.polled || kd.faults[0] != lf || kd.prev_fault != pf || !near(kd.back, back) ||
            kd.over != (over && kd.rd.uc))
            continue;
        if (kd.rd.uc && (footprint_next_line(&uc_fp, lead / kPageLines * kPageLines) == lead) !=
                            kd.rd.page_first)
            continue; /* a UC unit is a page's rounds whole, or its first part there */
        uint64_t l = lead, f = lf, tc = tl, cl = lead;
        bool ok = true;
        size_t ri = 0; /* the kind's next stretch (kd.runs) */
        for (size_t j = 1; ok && j < kd.faults.size();) {
            if (ri < kd.runs.size() && kd.runs[ri].j == j) {
                const fold_kind::run &run = kd.runs[ri++];
                uint64_t to = 0;
                if (run_matches(run, lead, l, kd.faults[j], &to)) {
                    if (kd.cmci_line >= j && kd.cmci_line < j + run.n) {
                        cl = kd.cmci_line + 1 == j + run.n
                                 ? to
                                 : footprint_nth_line(fp_of(kd.faults[j]), l + 1, kd.cmci_line - j);
                        tc = t_of(cl);
                    }
                    l = to;
                    j += run.n;
                    continue;
                }
            }
            l = next_any(l + 1, &f);
            ok = l != FAULT_NO_LINE && f == kd.faults[j] && near(t_of(l) - tl, kd.at[j]);
            if (ok && j == kd.cmci_line) {
                cl = l;
                tc = t_of(l);
            }
            j++;
        }
        uint64_t nx = ok ? next_any(l + 1, &f) : FAULT_NO_LINE;
        if (nx == FAULT_NO_LINE || f != kd.next_fault || !near(t_of(nx) - tl, kd.fwd))
            continue;
        *s = fold_walk_step{u, lead, tl, tc, nx, t_of(nx), f, cl};
        return true;
    }
    return false;
}

/* Rounds a walk reads from the kept period (fold_period_): round g is the
 * period's round pr0 + g, moved up pm0 and more whole periods; a line of
 * it (its first, next round's or CMCI's: f), and the round with its
 * lines' times. */
uint64_t host_rt::fold_period_line(size_t pr0, uint64_t pm0, uint64_t g, uint64_t fold_walk_step::*f) const
{
    const fold_walk_period &P = fold_period_;
    const uint64_t idx = pr0 + g;
    return P.S[idx % P.S.size()].*f + (pm0 + idx / P.S.size()) * P.D;
}

host_rt::fold_walk_step host_rt::fold_period_step(size_t pr0, uint64_t pm0, uint64_t g) const
{
    const memctl &mc = mem_->mc;
    const uint64_t pass = mc.scrub.pass_base + mc.scrub.pass;
    auto t_of = [&](uint64_t line) { return scrubber_line_time(&mc.scrub, pass, line); };
    using step = fold_walk_step;
    step s = fold_period_.S[(pr0 + g) % fold_period_.S.size()];
    s.lead = fold_period_line(pr0, pm0, g, &step::lead);
    s.next = fold_period_line(pr0, pm0, g, &step::next);
    s.cline = fold_period_line(pr0, pm0, g, &step::cline);
    s.tl = t_of(s.lead);
    s.tcmci = t_of(s.cline);
    s.tnext = t_of(s.next);
    return s;
}

/* Where the walk of fold_plan_kinds would stop if it walked the rounds
 * read from the kept period (pr0, pm0 as fold_period_line): the first
 * round leaving the period's run (leave), and the stop: the first round
 * ending at or after until, the first after a reading poll fires in a CE
 * round, kWalk or the fourth block begun, and the first round begun in a
 * block that is of the kind of, and as far into its block as, the first
 * begun in an earlier one of the run (i2, that one i1; SIZE_MAX: none). */
host_rt::fold_vwalk host_rt::fold_virtual_walk(size_t pr0, uint64_t pm0, unsigned q, uint64_t run_mask,
                                               uint64_t until, const std::vector<quiet_timer> &polls) const
{
    const fold_walk_period &P = fold_period_;
    const memctl &mc = mem_->mc;
    const uint64_t pass = mc.scrub.pass_base + mc.scrub.pass, nlines = mc.scrub.lines;
    const uint64_t in_block = q < 64 ? (1ull << q) - 1 : ~0ull;
    auto t_of = [&](uint64_t line) { return scrubber_line_time(&mc.scrub, pass, line); };
    using step = fold_walk_step;
    auto vline = [&](uint64_t g, uint64_t step::*f) { return fold_period_line(pr0, pm0, g, f); };
    auto vstep = [&](uint64_t g) { return fold_period_step(pr0, pm0, g); };
    const size_t TP = P.S.size();
    const uint64_t lim = 3 * kWalk;
    /* the first g in [0, lim] where f holds (f false, then true), or lim + 1 */
    auto first_where = [&](auto f) -> uint64_t {
        if (f(0))
            return 0;
        return fold_last_where(0, lim, [&](uint64_t g) { return !f(g); }) + 1;
    };
    auto next_of = [&](uint64_t g) { return vline(g, &step::next); };
    const uint64_t g_leave = first_where([&](uint64_t g) {
        const uint64_t nx = next_of(g);
        return nx >= nlines || ((nx ^ P.first) & P.run_mask) != 0;
    });
    const uint64_t g_until = first_where([&](uint64_t g) { return t_of(next_of(g)) >= until; });
    /* the blocks begun, in order: round 0, then the period's own */
    std::vector<uint64_t> vstarts{0};
    auto next_start = [&](uint64_t after) { /* the first round after `after` that begins a block */
        const uint64_t idx = pr0 + after + 1, base = idx / TP * TP;
        const size_t r = idx % TP;
        auto it = std::lower_bound(P.starts.begin(), P.starts.end(), r);
        return it != P.starts.end() ? base + *it - pr0 : base + TP + P.starts[0] - pr0;
    };
    uint64_t stop = std::min<uint64_t>(g_until, 3 * kWalk);
    /* walk_on: past kWalk while no more than three blocks begun */
    while (vstarts.size() < 4 && vstarts.back() < stop)
        vstarts.push_back(next_start(vstarts.back()));
    if (vstarts.size() >= 4)
        stop = std::min<uint64_t>(stop, std::max<uint64_t>(kWalk, vstarts[3] + 1));
    /* walk_end: a reading poll's firing met by a CE round (a firing is
     * met by the first round ending after it) */
    for (const quiet_timer &p : polls) {
        if (!p.reads)
            continue;
        for (uint64_t at = p.next_ps, g = 0; p.period_ps && g < stop;) {
            g = first_where([&](uint64_t x) { return t_of(next_of(x)) > at; });
            if (g >= stop)
                break;
            if (!fold_kinds_[P.S[(pr0 + g) % TP].kind].rd.uc) {
                stop = std::min<uint64_t>(stop, g + 1);
                break;
            }
            /* (the firings before this round's end, met by it) */
            const uint64_t te = t_of(next_of(g));
            at += (te - at + p.period_ps - 1) / p.period_ps * p.period_ps;
            g++;
        }
    }
    /* i2: each block begun before the stop, against the earlier ones */
    uint64_t vi1 = SIZE_MAX, vi2 = SIZE_MAX;
    std::vector<uint64_t> seen;
    for (uint64_t gb = 0; gb < stop && vi2 == SIZE_MAX; gb = next_start(gb)) {
        const step sb = vstep(gb);
        for (size_t j = seen.size(); j-- > 0;) {
            const step o = vstep(seen[j]);
            if ((sb.lead >> q) - (o.lead >> q) > kPeriod || ((o.lead ^ sb.lead) & run_mask))
                break;
            if (o.kind == sb.kind && ((o.lead ^ sb.lead) & in_block) == 0) {
                vi1 = seen[j];
                vi2 = gb;
                break;
            }
        }
        seen.push_back(gb);
    }
    if (vi2 != SIZE_MAX)
        stop = vi2;
    return {stop, g_leave, vi1, vi2};
}

/*
 * The rounds ahead from ev's (round 0, whose round before is rd), each of
 * a confirmed kind: k of them folded, the round after (k) run for real
 * and the one after that begun before until; a steady poll within a round
 * must be clear of its busy window (from its CMCI, which its last line
 * raises) and done before the next round begins, else the fold ends
 * before that round (as fold_plan_set). Rounds are walked one by one until
 * a block's worth repeats (the faults' lines in block b + 1 are block b's
 * shifted by 2^q: every bit from q up is free in every fault or fixed
 * alike in all), then whole blocks are counted.
 */
bool host_rt::fold_plan_kinds(const fold_round &rd, const memctl_scrub_event &ev,
                              const std::vector<quiet_timer> &polls, const found_poll &found, uint64_t until,
                              fold_kplan *out)
{
    memctl &mc = mem_->mc;
    std::vector<size_t> use;
    std::vector<memctl_scrub_event> likes;
    if (!fold_kinds_usable(ev, use, likes))
        return false;
    const size_t nf = likes.size();
    /* faults within the likes' lines (fold_nested): their poisoned lines
     * are holes the rounds pass (next_any), their DUEs their own */
    std::vector<fault_footprint> nested;
    for (const memctl_scrub_event &l : likes)
        for (const fault_footprint &h : fold_nested(l.fault_id))
            nested.push_back(h);
    /* one fault's rounds: host_fold.cpp's fold; unless a nested fault's
     * poisoned lines are ahead among its CEs (holes, which end that fold) */
    auto hole_ahead = [&]() {
        return likes[0].outcome == MEMCTL_CORRECTED && std::any_of(nested.begin(), nested.end(), [&](const fault_footprint &f) {
                   return poisoned_after(mc, f, ev.addr >> MEM_LINE_SHIFT);
               });
    };
    if (nf == 0 || nf > MEMCTL_FOLD_SET_MAX || (nf < 2 && !hole_ahead()))
        return false;
    fault_footprint fp[MEMCTL_FOLD_SET_MAX];
    for (size_t i = 0; i < nf; i++)
        if (!fault_map_footprint(&mc.faults, likes[i].fault_id, &fp[i]))
            return false;
    bool parts = false;
    if (!fold_kinds_uc_units(use, likes, fp, out, &parts))
        return false;
    const uint64_t pass = mc.scrub.pass_base + mc.scrub.pass, nlines = mc.scrub.lines;
    auto t_of = [&](uint64_t line) { return scrubber_line_time(&mc.scrub, pass, line); };
    /* the first line a set fold of these faults cannot take (another
     * fault's, or one with state of its own: a miscorrection's wrong data
     * ends, say): the rounds stop short of it, as they do of until */
    const uint64_t set_end = memctl_scrub_fold_set_end(&mc, likes.data(), (unsigned)nf, true);
    if (set_end < nlines)
        until = std::min(until, t_of(set_end));
    /* (the walk asks forward a line at a time: footprints_next_line_memo) */
    kinds_walk kw{mc, fold_kinds_, use, likes, fp, nested, out->uc_fp, pass, nlines,
                  std::vector<footprint_next_memo>(nf, footprint_next_memo{UINT64_MAX, 0})};
    using step = fold_walk_step;
    /* q: the lowest bit from which every fault's bits are free in all or
     * fixed alike in all; hi: the bits fixed in all */
    uint64_t mixed = 0, hi = ~0ull, all_free = ~0ull;
    std::vector<fault_footprint> all(fp, fp + nf); /* (the holes place lines too) */
    all.insert(all.end(), nested.begin(), nested.end());
    for (const fault_footprint &x : all) {
        mixed |= (x.free ^ fp[0].free) | ((x.key ^ fp[0].key) & ~x.free);
        hi &= ~x.free;
        all_free &= x.free;
    }
    /* blocks from the lowest bit free in all from there: the blocks between
     * (fixed bits alike) hold none of the lines (fleet host 3914: the bank
     * bits differ, a block is a row) */
    unsigned q = mixed ? 64u - (unsigned)__builtin_clzll(mixed) : 0u;
    if (parts && q < kPageLineShift)
        q = kPageLineShift; /* a part's kind is its place in its page's rounds: blocks of whole pages */
    while (q < 64 && !((all_free >> q) & 1))
        q++;
    const bool blocks = q < 40 && (nlines >> q) > 2;
    auto block_first = [&](uint64_t b) { /* the first line of block b, if it has one */
        uint64_t f, l = kw.next_any(b << q, &f);
        return l != FAULT_NO_LINE && l >> q == b ? l : FAULT_NO_LINE;
    };
    /* blocks sharing the fixed bits from q up (up to the lowest of them)
     * are consecutive ones with lines */
    const uint64_t hq = q < 64 ? hi & ~((1ull << q) - 1) : 0, run_mask = hq ? ~((hq & -hq) - 1) : 0;
    /* Walk the rounds one by one (at most kWalk) until the first round
     * begun in a block is of the kind of the first one begun in an earlier
     * block of the same run (at most kPeriod blocks before), its first
     * line as far into its block: from there on every round repeats that
     * period's, d blocks later (the rounds' course depends on nothing else;
     * host 429: a single-column fault's line and 128 of a single-bank
     * fault's a row, 2 lines a round: a period of two rows; host 5975: a
     * round's first line is the column fault's, after the bank fault's
     * lines in its row, a period of one round). */
    const uint64_t in_block = q < 64 ? (1ull << q) - 1 : ~0ull;
    std::vector<step> &W = fold_walk_;
    W.clear();
    std::vector<size_t> starts; /* the first round begun in each block */
    /* past kWalk, the walk goes on (to 3 kWalk) while it has begun no more
     * than three blocks: a period of two blocks, each of about kWalk / 2
     * rounds, needs a third block's first round to show (fleet host 6748:
     * a bank-wide fault's 4,096 lines a block in rounds of two and a column
     * fault's one line, so the rounds' phase in a block alternates) */
    auto walk_on = [&]() { return W.size() < kWalk || (W.size() < 3 * kWalk && starts.size() <= 3); };
    size_t i1 = SIZE_MAX, i2 = SIZE_MAX;
    uint64_t pf = rd.lead.fault_id, pt = rd.lead.time_ps, lead = ev.addr >> MEM_LINE_SHIFT, lf = ev.fault_id;
    if (lead >= nlines || t_of(lead) != ev.time_ps || pt >= ev.time_ps)
        return false;
    /* whether the round before left its CE in the bank (the first round's
     * did not: round_fold folds from no finding that overwrites one) */
    bool left = false;
    /* A storm's poll that reads the bank within a CE round ends the fold
     * there (clear, below: it would read the round's CE), that round the
     * real one at the latest: the walk stops with it, not at kWalk (fleet
     * hosts 3628, 9408 under linux-6: a nested column fault's first pass,
     * a poll a second amid its #MC rounds, 4 rounds a fold and up to 4,096
     * walked). Nothing after the real round is read (round_at(k) at most). */
    std::vector<uint64_t> reads_at; /* each reading poll's next firing */
    for (const quiet_timer &p : polls)
        if (p.reads)
            reads_at.push_back(p.next_ps);
    size_t walk_end = SIZE_MAX;
    /* The period an earlier walk found, when this walk's matches would
     * read the same (the kinds, those used, the pass; a UC kind's match
     * asks where a page begins: blocks of whole pages then, so a period,
     * a whole number of blocks, moves a line's place in its page nowhere;
     * nested faults' lines holes nowhere or everywhere, as when it was
     * found: none poisoned, or all, on a pass after their first, where
     * the holes are their footprints, which repeat as the others' do;
     * fleet xen 3628) and its lead lies in that period's
     * run, a whole number of periods and one of its rounds on: a footprint
     * is the same in every block of the run (the bits from q to the run's
     * fixed ones are free in all), so the rounds from there are its
     * rounds, D lines a period later each, their times the lines' times.
     * The first one is matched all the same, and the walk leaves the
     * period where a round would leave the run. (Fleet host 6748 under
     * xen: a bank fault's rounds of two lines and a column fault's line,
     * a period of two blocks, 6,013 rounds matched at each of 13,000
     * plans a year.) */
    fold_walk_period &P = fold_period_;
    const bool uc_kind = std::any_of(use.begin(), use.end(), [&](size_t u) { return fold_kinds_[u].rd.uc; });
    int holes = 0; /* nested faults' lines: holes nowhere (0), everywhere (1), some (-1) */
    if (!nested.empty() && memctl_poison_count(&mc) != 0)
        holes = std::all_of(nested.begin(), nested.end(),
                            [&](const fault_footprint &h) { return memctl_footprint_poisoned(&mc, &h); })
                    ? 1
                    : -1;
    const bool periodic = blocks && (!uc_kind || q >= kPageLineShift) && holes >= 0;
    size_t pr = 0;   /* the period's next round */
    uint64_t pm = 0; /* ... that many periods on */
    bool from_period = false;
    if (periodic && P.valid && P.ver == fold_kinds_ver_ && P.pass == pass && P.use == use && P.holes == holes &&
        lead >= P.first &&
        ((lead ^ P.first) & P.run_mask) == 0) {
        const uint64_t j = (lead - P.first) / P.D, o = lead - P.first - j * P.D;
        auto it = std::lower_bound(P.S.begin(), P.S.end(), o,
                                   [&](const step &x, uint64_t v) { return x.lead - P.first < v; });
        if (it != P.S.end() && it->lead - P.first == o) {
            pr = (size_t)(it - P.S.begin());
            pm = j;
            from_period = true;
        }
    }
    /* the round at lead from the period: false where it would leave the
     * run, or (the walk's first) it is not the one matched there */
    auto from_kept = [&](step *s) {
        const uint64_t sh = pm * P.D;
        *s = P.S[pr];
        s->lead += sh;
        s->next += sh;
        s->cline += sh;
        if (s->lead != lead || s->next >= nlines || ((s->next ^ P.first) & P.run_mask))
            return false;
        s->tl = W.empty() ? t_of(s->lead) : W.back().tnext; /* (the round before's next line is this lead) */
        s->tcmci = t_of(s->cline);
        s->tnext = t_of(s->next);
        step m;
        if (W.empty() && (!kw.match(pf, t_of(lead) - pt, left, lead, lf, &m) || m.kind != s->kind ||
                          m.next != s->next || m.tnext != s->tnext || m.tcmci != s->tcmci))
            return false;
        if (++pr == P.S.size()) {
            pr = 0;
            pm++;
        }
        return true;
    };
    /* The walk from the kept period, not copied (fleet xen 6748 and 3628:
     * a walk of 6,000 rounds at each of 20,000 plans a year, each round a
     * copy of the period's): round g is the period's round pr + g, moved
     * up a whole number of periods, its times its lines'. Where the walk
     * below would stop is asked of that sequence: its first round leaving
     * the period's run (there the walk goes on matching: then it runs),
     * the first ending at or after until, the first after a reading poll
     * fires in a CE round (walk_end), kWalk or the fourth block begun
     * (walk_on), and the first round begun in a block that is of the kind
     * of, and as far into its block as, the first begun in an earlier one
     * of the run (i2). Its rounds are read from the period (walked, virt). */
    const size_t pr0 = pr;
    const uint64_t pm0 = pm;
    bool virt = false;
    uint64_t nv = 0; /* the virtual walk's rounds */
    auto vline = [&](uint64_t g, uint64_t step::*f) { return fold_period_line(pr0, pm0, g, f); };
    auto vstep = [&](uint64_t g) { return fold_period_step(pr0, pm0, g); };
    if (from_period && P.q == q && !P.starts.empty() && P.starts[0] == 0) {
        const fold_vwalk v = fold_virtual_walk(pr0, pm0, q, run_mask, until, polls);
        const uint64_t stop = v.stop, g_leave = v.leave, vi1 = v.i1, vi2 = v.i2;
        /* its first round is matched as from_kept's is; none leaves the run */
        step s0 = vstep(0), m;
        if (stop > 0 && stop < g_leave && s0.lead == lead &&
            kw.match(pf, t_of(lead) - pt, false, lead, lf, &m) && m.kind == s0.kind && m.next == s0.next &&
            m.tnext == s0.tnext && m.tcmci == s0.tcmci) {
            virt = true;
            nv = stop;
            i1 = (size_t)vi1;
            i2 = (size_t)vi2;
            lead = vstep(stop).lead;
        }
    }
    while (!virt && walk_on() && W.size() < walk_end) {
        step s;
        bool got = false;
        if (from_period)
            got = from_period = from_kept(&s); /* (once not: matched from here) */
        if (!got && !kw.match(pf, t_of(lead) - pt, left, lead, lf, &s)) {
            out->unknown_first = W.empty();
            break;
        }
        if (s.tnext >= until)
            break;
        left = !fold_kinds_[s.kind].rd.uc && fold_kinds_[s.kind].rd.err.fate == FATE_OVERWRITTEN;
        if (blocks && (W.empty() || W.back().lead >> q != lead >> q)) {
            for (size_t j = starts.size(); j-- > 0 && i2 == SIZE_MAX;) {
                const step &o = W[starts[j]];
                if ((lead >> q) - (o.lead >> q) > kPeriod || ((o.lead ^ lead) & run_mask))
                    break;
                if (o.kind == s.kind && ((o.lead ^ lead) & in_block) == 0) {
                    i1 = starts[j];
                    i2 = W.size(); /* this round begins the template's next period */
                }
            }
            if (i2 != SIZE_MAX)
                break;
            starts.push_back(W.size());
        }
        W.push_back(s);
        size_t r = 0;
        for (const quiet_timer &p : polls) {
            if (!p.reads)
                continue;
            uint64_t &at = reads_at[r++];
            for (; p.period_ps && at < s.tnext; at += p.period_ps)
                if (!fold_kinds_[s.kind].rd.uc && walk_end == SIZE_MAX)
                    walk_end = W.size(); /* the fold's real round at the latest */
        }
        pf = lf;
        pt = s.tl;
        lead = s.next;
        lf = s.fnext;
    }
    /* The rounds known: R, then (with a template R[i1, i2), D lines a
     * period) nb periods each the template shifted by j D lines (j =
     * 1..nb), the round after them the template's first again; and when
     * period nb + 1 lies whole in the run, alike, its rounds too (part
     * of it may be folded: fleet host 5593, three rows a poll, the poll's
     * row the third: two whole periods and part of the third). */
    uint64_t nb = 0, first1 = 0, T = 0, D = 0;
    bool partial = false;
    /* a template of another period than the kept one's: its rounds
     * copied after all (P is about to change) */
    if (virt && i2 != SIZE_MAX && (i2 - i1 != P.S.size() || lead - vstep(i1).lead != P.D)) {
        W.clear();
        for (uint64_t g = 0; g < nv; g++)
            W.push_back(vstep(g));
        virt = false;
    }
    /* the walked rounds: round g, its kind, how many */
    auto R = [&](uint64_t g) { return virt ? vstep(g) : W[g]; };
    /* ... its first line's time, its next round's (searches read only these) */
    auto R_tl = [&](uint64_t g) { return virt ? t_of(vline(g, &step::lead)) : W[g].tl; };
    auto R_tnext = [&](uint64_t g) { return virt ? t_of(vline(g, &step::next)) : W[g].tnext; };
    /* f(g, kind) for the walked rounds g in [0, n), in order (a virtual
     * walk's kinds read along the period: no division a round) */
    auto each_kind = [&](uint64_t n, auto f) {
        if (!virt) {
            for (uint64_t g = 0; g < n; g++)
                f(g, W[g].kind);
            return;
        }
        const size_t TP = P.S.size();
        for (uint64_t g = 0, r = pr0 % TP; g < n; g++) {
            f(g, P.S[r].kind);
            if (++r == TP)
                r = 0;
        }
    };
    const uint64_t nwalk = virt ? nv : W.size();
    auto block_t = [&](uint64_t j) { return t_of(first1 + j * D); }; /* period j's first line's time */
    if (i2 != SIZE_MAX && i2 - i1 >= 1) {
        first1 = R(i1).lead;
        D = lead - first1;
        T = i2 - i1;
        if (periodic && !virt) {
            /* (a virtual walk's template is the kept period's rounds from
             * another one of them on: the kept period stays) */
            P = {true, fold_kinds_ver_, pass, first1, D, run_mask, holes, use,
                 {W.begin() + (ptrdiff_t)i1, W.begin() + (ptrdiff_t)i2}, q, {0}, 0, {}};
            for (size_t r = 1; r < P.S.size(); r++)
                if (P.S[r].lead >> q != P.S[r - 1].lead >> q)
                    P.starts.push_back(r);
            P.nk = fold_kinds_.size();
            P.cum.assign((P.S.size() + 1) * P.nk, 0);
            for (size_t r = 0; r < P.S.size(); r++) {
                std::copy_n(&P.cum[r * P.nk], P.nk, &P.cum[(r + 1) * P.nk]);
                P.cum[(r + 1) * P.nk + P.S[r].kind]++;
            }
        }
        /* where in its block the blocks' first line is: every period's
         * block has it there (the same lines) */
        const uint64_t bf1 = block_first(first1 >> q) - (first1 & ~in_block);
        uint64_t last = std::min(run_mask ? (first1 | ~run_mask) : UINT64_MAX, nlines - 1); /* the run's last line */
        /* period nb + 1 must begin (with the template's first round, its
         * second begun before until): the real round ends period nb */
        const uint64_t off1 = (T >= 2 ? R_tl(i1 + 1) : t_of(lead)) - R_tl(i1);
        uint64_t hi_n = last > first1 ? (last - first1) / D : 0;
        hi_n = hi_n ? hi_n - 1 : 0;
        auto alike = [&](uint64_t n) { /* period n + 1 begins as the template's */
            uint64_t f = first1 + (n + 1) * D;
            uint64_t bf = f < nlines ? block_first(f >> q) : FAULT_NO_LINE;
            return bf != FAULT_NO_LINE && bf - (f & ~in_block) == bf1;
        };
        auto fits = [&](uint64_t n) { return alike(n) && block_t(n + 1) + off1 < until; };
        nb = fold_last_where(0, hi_n, fits);
        partial = first1 + (nb + 2) * D - 1 <= last && alike(nb);
    }
    const size_t nr = i2 != SIZE_MAX ? i2 : nwalk;
    const uint64_t tl1 = i2 != SIZE_MAX ? R_tl(i1) : 0; /* the template's first round's time */
    /* a round g's times: walked, or the template's in its period */
    /* rounds a storm's poll reads the CE of, and the rounds after them,
     * of another kind than the walk's (found, below): the round, the
     * walk's kind, its kind; in order of rounds */
    struct swap {
        uint64_t g;
        size_t from, to;
    };
    std::vector<swap> swaps;
    auto base_at = [&](uint64_t g, step *s) {
        if (g < nr) {
            *s = R(g);
            return;
        }
        uint64_t j = (g - nr) / T + 1, r = (g - nr) % T;
        const step t = R(i1 + r);
        uint64_t base = block_t(j), d = base - tl1;
        *s = t;
        s->lead = t.lead + j * D;
        s->next = t.next + j * D;
        s->tl = t.tl + d;
        s->tcmci = t.tcmci + d;
        s->cline = t.cline + j * D;
        s->tnext = t.tnext + d;
    };
    auto round_at = [&](uint64_t g, step *s) {
        base_at(g, s);
        if (!swaps.empty() && g >= swaps.front().g && g <= swaps.back().g) {
            auto it =
                std::lower_bound(swaps.begin(), swaps.end(), g, [](const swap &w, uint64_t v) { return w.g < v; });
            if (it != swaps.end() && it->g == g)
                s->kind = it->to;
        }
    };
    /* k: round k + 1 begun before until; round k real. The rounds whose
     * start is known: up to the first of period nb + 1 (the walked ones'
     * next round's, without a period), or through that period */
    const uint64_t total = nr + (partial ? (nb + 1) * T - 1 : nb * T);
    auto begins = [&](uint64_t g) {
        if (g == 0)
            return ev.time_ps;
        step s;
        round_at(g - 1, &s);
        return s.tnext; /* round g - 1's next round's first line */
    };
    uint64_t k = fold_last_where(0, total, [&](uint64_t g) { return begins(g) < until; });
    k = k ? k - 1 : 0;
    /* a poll at `at` within round s (n: the round after it, if known):
     * clear of its CPUs' busy window (from its CMCI, which its cmci_line
     * raises, to their last return from its entries: dom0's work after it
     * runs on dom0's own) and done before the next round's CPUs are busy
     * (a CE round's from its CMCI: its lines before only latch or count in
     * the bank the poll does not read; a UC round's from its first line) */
    auto clear = [&](const quiet_timer &p, uint64_t at, const step &s, const step *n) {
        const fold_kind &kd = fold_kinds_[s.kind];
        const fold_round &kr = kd.rd;
        const fold_round *nk = n ? &fold_kinds_[n->kind].rd : nullptr;
        const uint64_t next_from = !nk ? s.tnext : nk->uc ? n->tl : n->tcmci + nk->busy_from;
        if (at + p.busy_ps + kPollMargin >= next_from || (p.reads && !kr.uc))
            return false; /* (a storm's poll would read the CE a CE round leaves in the bank) */
        if (!kr.uc)
            return at + p.busy_ps + kPollMargin < s.tcmci + kr.busy_from || at > s.tcmci + kr.busy_cpu_to + kPollMargin;
        /* a UC unit: each line a round of its own, from its finding to as
         * long after as the unit's longest round took */
        for (uint64_t a : kd.at)
            if (!(at + p.busy_ps + kPollMargin < s.tl + a || at > s.tl + a + kr.busy_to + kPollMargin))
                return false;
        return true;
    };
    /* A storm's poll that reads the bank and finds there the CE a round
     * left (found: fleet linux-6 5593, a miscorrecting fault's CE a row
     * waits there a third of a second; 5593 and hosts like it each met
     * such a poll a second, each ending a fold): where it fires after the
     * round's last line and after the round before was done, and its work
     * (dom0's too) is done before the next round's first line, away from
     * any other poll, the round is of its polled kind, and the round
     * after (a UC unit the unpolled CE would have met in the bank, OVER)
     * of its kind without it; amid the round's lines, a split of it
     * (fold_kind::split); in a UC unit's round after a line's #MC, an
     * empty poll (one its handling held back runs when the CPU returns).
     * Elsewhere that round runs, and the fold ends before it. A poll
     * that read a CE comes the polled kinds' period after the one before
     * (all alike: each such poll takes as long), one that found nothing
     * an empty round's length less long. */
    uint64_t found_P = 0, found_len = 0;
    /* the polls placed, in order: each one's round and time, whether it
     * split the round (else, found, the round is of its polled kind) */
    struct placed {
        uint64_t g, at;
        size_t kind;
        bool split, found; /* (not found: an empty poll, in a UC unit's round) */
    };
    std::vector<placed> fired;
    if (found.valid) {
        /* every such poll takes as long: its period */
        bool alike = true;
        auto period_of = [&](const fold_kind::poll_sig &ps) {
            if (found_P && (ps.period != found_P || ps.len != found_len))
                alike = false; /* polls of two lengths: no period */
            found_P = ps.period;
            found_len = ps.len;
        };
        for (size_t u : use) {
            const fold_kind &kd = fold_kinds_[u];
            if (kd.polled)
                period_of(kd.poll);
            if (kd.split.confirmed)
                period_of(kd.split.poll);
        }
        if (!alike)
            found_P = 0;
        /* two kinds whose rounds count alike: all the plan adds of a
         * round (its changes, events, CEs counted beyond its lines, its
         * error, its lines and findings) */
        auto counts_alike = [](const fold_kind &a, const fold_kind &b) {
            return a.faults.size() == b.faults.size() && a.rd.uc == b.rd.uc && a.rd.m == b.rd.m &&
                   a.rd.dpages == b.rd.dpages && a.rd.inner.size() == b.rd.inner.size() &&
                   a.rd.sdcs.size() == b.rd.sdcs.size() && a.rd.dv == b.rd.dv && a.rd.events == b.rd.events &&
                   a.rd.extra_counted == b.rd.extra_counted && a.rd.err == b.rd.err;
        };
        /* a variant's kind as the walk knows it: without the poll (a
         * polled kind), with OVER (the UC unit after an unpolled CE) */
        auto base_of = [&](const fold_kind &a) -> const fold_kind * {
            for (size_t v : use) {
                const fold_kind &b = fold_kinds_[v];
                if (!b.polled && b.over == !a.polled && same_key(a, b, false))
                    return &b;
            }
            return nullptr;
        };
        /* the confirmed kind in use that is kind u but for polled and
         * over; else one that is so to a kind whose rounds count as u's
         * do (the same round beside other neighbours: its key holds their
         * distances; what a poll changes in it is the same) */
        auto variant = [&](size_t u, bool polled) {
            const fold_kind &b = fold_kinds_[u];
            size_t like = SIZE_MAX;
            for (size_t v : use) {
                const fold_kind &a = fold_kinds_[v];
                if (a.polled != polled || a.over || a.rd.uc != b.rd.uc || a.rd.m != b.rd.m ||
                    a.rd.dpages != b.rd.dpages)
                    continue;
                if (same_key(a, b, false))
                    return v;
                const fold_kind *o = like == SIZE_MAX ? base_of(a) : nullptr;
                if (o && counts_alike(*o, b))
                    like = v;
            }
            return like;
        };
        /* no other poll from at less its length to `to` */
        auto alone = [&](uint64_t at, uint64_t to) {
            for (const quiet_timer &q : polls) {
                const uint64_t from = at > q.busy_ps + kPollMargin ? at - q.busy_ps - kPollMargin : 0;
                const uint64_t f = q.next_ps >= from || !q.period_ps
                                       ? q.next_ps
                                       : q.next_ps + (from - q.next_ps + q.period_ps - 1) / q.period_ps * q.period_ps;
                if (f < to)
                    return false;
            }
            return true;
        };
        /* empty polls in a row so far, and how many more keep the storm on */
        unsigned empties = 0, room = found.room;
        auto place = [&](uint64_t g, uint64_t at) {
            step s;
            base_at(g, &s);
            const fold_kind &kd = fold_kinds_[s.kind];
            if (kd.rd.uc) {
                /* A UC unit's round: after a line's #MC (its handler
                 * cleared the bank) the poll finds nothing, a 0 in the
                 * storming bank's history, and takes an empty round's
                 * length (fleet linux-6 9230: the poll's phase in a row
                 * crossing the UC fault's pages). Its timer fired while
                 * the home CPU handled the line waits until the CPU
                 * returns (home_idle; fleet linux-6 8528, 183, 770: a
                 * poll a second amid a bank fault's lines, 40 us apart,
                 * a quarter of them in a line's handling); unknown, the
                 * poll must come after the line's whole round. Either
                 * way it is done before the next line. */
                if (at < s.tl)
                    return false; /* (a picosecond before its first line: floors) */
                const size_t j =
                    (size_t)(std::upper_bound(kd.at.begin(), kd.at.end(), at - s.tl) - kd.at.begin()) - 1;
                const uint64_t nl = j + 1 < kd.at.size() ? s.tl + kd.at[j + 1] : s.tnext;
                const uint64_t idle = kd.rd.home_idle;
                /* the line's own time: the round's and the offset are
                 * floors of one schedule (near), the wait is from it */
                const uint64_t aj = s.tl + kd.at[j], lj = t_of(scrubber_line_at(&mc.scrub, pass, aj - 2));
                if (!found.empty_len || empties >= room || lj + 2 < aj || lj > aj + 2 || at <= lj + kPollMargin ||
                    (!idle && at <= lj + kd.rd.busy_to + kPollMargin))
                    return false;
                const uint64_t x = std::max(at, lj + idle), to = x + found.empty_len + kPollMargin;
                if (to >= nl || !alone(x, to))
                    return false;
                fired.push_back({g, x, s.kind, false, false});
                empties++;
                return true;
            }
            if (g == 0 || !found_P)
                return false; /* (the round before the fold's first: not known here) */
            step sp, sn;
            round_at(g - 1, &sp);
            base_at(g + 1, &sn); /* (g < k < total: known) */
            const fold_kind &kp = fold_kinds_[sp.kind], &kn = fold_kinds_[sn.kind];
            if (kd.rd.err.fate != FATE_OVERWRITTEN || !kn.rd.uc || !kn.over)
                return false;
            const uint64_t prev_end = kp.rd.uc ? sp.tl + kp.at.back() + kp.rd.busy_to : sp.tcmci + kp.rd.busy_to;
            if (at <= prev_end + kPollMargin)
                return false;
            if (at > s.tl + kd.at.back() + kPollMargin) {
                /* after the round's last line: of its polled kind, the next of its kind without OVER */
                const size_t v = variant(s.kind, true), w = variant(sn.kind, false);
                if (v == SIZE_MAX || w == SIZE_MAX)
                    return false;
                const uint64_t to = at + fold_kinds_[v].poll.busy_after + kPollMargin;
                if (to >= s.tnext || !alone(at, to))
                    return false;
                swaps.push_back({g, s.kind, v});
                swaps.push_back({g + 1, sn.kind, w});
                fired.push_back({g, at, v, false, true});
                empties = 0;
                room = found.room_found;
                return true;
            }
            /* amid its lines: split, two lines or more on each side, none
             * from the poll's start to its clear of the bank (a line after
             * it latches a CE of its own whatever the poll's CPU and dom0
             * still do: no CMCI in a storm), its work done before the next
             * round's first line */
            if (!kd.split.confirmed)
                return false;
            const uint64_t off = at - s.tl, to = at + kd.split.poll.busy_after + kPollMargin;
            const size_t m = kd.at.size();
            const size_t c1 = (size_t)(std::partition_point(kd.at.begin(), kd.at.end(),
                                                            [&](uint64_t a) { return a + kPollMargin < off; }) -
                                       kd.at.begin());
            if (c1 < 2 || c1 + 2 > m || kd.at[c1] <= off + kd.split.poll.dclear + kPollMargin || to >= s.tnext ||
                !alone(at, to))
                return false;
            fired.push_back({g, at, s.kind, true, true});
            empties = 0;
            room = found.room_found;
            return true;
        };
        /* each poll its interval after the one before ended: a found
         * one's length is the polled kinds', an empty one's the hv's */
        for (uint64_t at = found.next_ps; k > 0 && at < begins(k);) {
            const uint64_t g = fold_last_where(0, k - 1, [&](uint64_t x) { return begins(x) <= at; });
            if (!place(g, at)) {
                k = g; /* that round runs, with its poll */
                break;
            }
            at = fired.back().at + (fired.back().found ? found_P : found.interval + found.empty_len);
        }
    }
    /* polls: the first round one would meet runs, with it */
    for (const quiet_timer &p : polls) {
        uint64_t at = p.next_ps;
        /* walked rounds: those a firing falls in, one by one (the next one
         * looked up: the rounds' ends increase; a poll every 300 s among
         * thousands of rounds a plan, fleet xen 6748) */
        for (uint64_t g = 0; g < std::min<uint64_t>(k, nr); g++) {
            if (at >= R_tnext(g)) {
                /* the first walked round from g that ends after at */
                const uint64_t lim = std::min<uint64_t>(k, nr);
                g = fold_last_where(g, lim, [&](uint64_t x) { return x == g || R_tnext(x - 1) <= at; });
                if (g >= lim)
                    break; /* no firing in the walked rounds */
            }
            step sg, n{};
            round_at(g, &sg);
            const bool known = g + 1 < nr || nb || partial;
            if (known)
                round_at(g + 1, &n);
            for (const uint64_t te = R_tnext(g); at < te && g < k; at += p.period_ps)
                if (!clear(p, at, sg, known ? &n : nullptr))
                    k = g;
        }
        /* counted periods: each firing's period and round */
        /* (a poll fires some 300 times a plan here: fleet xen 6748) */
        /* the template's round o's first line (a virtual walk's: the
         * period's rounds from pr0 + i1 on, wrapping once, no division) */
        const size_t TPv = virt ? P.S.size() : 1;
        const uint64_t r1 = virt ? (pr0 + i1) % TPv : 0, per1 = virt ? pm0 + (pr0 + i1) / TPv : 0;
        auto tmpl_lead = [&](uint64_t o) {
            if (!virt)
                return W[i1 + o].lead;
            const uint64_t r = r1 + o;
            return r < TPv ? P.S[r].lead + per1 * P.D : P.S[r - TPv].lead + (per1 + 1) * P.D;
        };
        const uint64_t bt_end = k > nr ? block_t(nb + 1 + partial) : 0, bt1 = k > nr ? block_t(1) : 0;
        const uint64_t Tb = k > nr ? block_t(2) - bt1 : 0;
        while (k > nr && at < bt_end) {
            uint64_t j = at >= bt1 ? 1 + (at - bt1) / (Tb ? Tb : 1) : 1;
            while (j > 1 && block_t(j) > at)
                j--;
            while (j < nb + partial && block_t(j + 1) <= at)
                j++;
            uint64_t off = at - block_t(j) + tl1;
            /* the template's last round begun at or before off (off >=
             * R(i1).tl): its first line before the walk's first after off */
            const uint64_t after_off = scrubber_line_at(&mc.scrub, pass, off + 1);
            size_t r = (size_t)fold_last_where(0, T - 1, [&](uint64_t o) { return tmpl_lead(o) < after_off; });
            uint64_t g = nr + (j - 1) * T + r;
            if (g >= k)
                break;
            step s{}, n{};
            round_at(g, &s);
            round_at(g + 1, &n); /* g < k <= the rounds known */
            if (!clear(p, at, s, &n))
                k = g;
            at += p.period_ps;
        }
    }
    /* The round before the real one must not leave its CE in the bank for
     * the real one's UC to overwrite (folded, its CE is never latched):
     * then that round is the real one. False when no round is left. */
    auto no_ce_left = [&]() {
        for (; k > 0; k--) {
            step sk;
            round_at(k - 1, &sk);
            const fold_round &x = fold_kinds_[sk.kind].rd;
            if (x.uc || x.err.fate != FATE_OVERWRITTEN)
                break;
        }
        return k > 0;
    };
    if (!no_ce_left())
        return false;
    uint64_t uc_lines = 0; /* the UC fault's lines among the k rounds */
    const bool uc_any = out->uc;
    if (out->uc) {
        /* The UC fault's units among the k rounds: their pages, each one
         * the hv would enter as it entered the others (hv_fold_page_like,
         * a span at a time) and none another fold's run holds; else the
         * round with the first such page runs, and the fold ends before.
         * Parts in the page the fold begins in, whose first round came
         * before (the round just before this one, a part there: its page
         * has an entry of its own), enter none. */
        const fault_footprint &u = out->uc_fp;
        const uint64_t l0 = ev.addr >> MEM_LINE_SHIFT, from0 = footprint_next_line(&u, l0);
        uint64_t from = from0;
        if (from0 != FAULT_NO_LINE && footprint_next_line(&u, from0 / kPageLines * kPageLines) != from0) {
            if (!parts || !rd.uc || !rd.part || rd.page != from0 / kPageLines)
                return false;
            from = footprint_next_line(&u, (from0 / kPageLines + 1) * kPageLines);
        }
        for (;;) {
            step sk;
            round_at(k, &sk);
            if (from0 == FAULT_NO_LINE || from0 >= sk.lead) {
                out->uc = false; /* none among them */
                break;
            }
            uc_lines = footprint_count_lines(&u, from0, sk.lead);
            if (from == FAULT_NO_LINE || from >= sk.lead) {
                out->uc = false; /* parts of the begun page only: no page entered */
                break;
            }
            const uint64_t c = footprint_count_lines(&u, from, sk.lead);
            const uint64_t last = footprint_nth_line(&u, from, c - 1);
            const uint64_t to = last / kPageLines * kPageLines + kPageLines - 1;
            uint64_t bad = UINT64_MAX; /* the first page that may not be folded */
            for (uint64_t l = from; l != FAULT_NO_LINE && l <= last;) {
                if (!hv_fold_page_like(&hv_, l / kPageLines, out->entry)) {
                    bad = l / kPageLines;
                    break;
                }
                uint64_t span = hv_fold_like_span(&hv_, l / kPageLines);
                uint64_t nx = span < (UINT64_MAX >> kPageLineShift) ? span << kPageLineShift : UINT64_MAX;
                l = nx > l && nx <= last ? footprint_next_line(&u, nx) : FAULT_NO_LINE;
            }
            fold_pages_each(from, to, [&](size_t, const fold_pages &o) {
                bad = std::min(bad, fold_first_shared_page(u, from, to, o.fp, o.from, o.to));
                return true;
            });
            if (bad == UINT64_MAX) {
                out->uc_from = from;
                out->uc_to = to;
                break;
            }
            /* the round whose lines begin at or before the page's first */
            const uint64_t first = footprint_next_line(&u, bad << kPageLineShift);
            k = fold_last_where(0, k - 1, [&](uint64_t g) {
                step sm;
                round_at(g, &sm);
                return sm.lead <= first;
            });
            if (!no_ce_left())
                return false;
        }
    }
    /* the k rounds by kind, their lines and findings */
    out->n.assign(fold_kinds_.size(), 0);
    if (k <= nr) {
        each_kind(k, [&](uint64_t, size_t kind) { out->n[kind]++; });
    } else {
        /* the walked rounds once, the template's (R[i1, i2), i2 = nr) whole
         * times more and its first part once more: one pass over R (its
         * thousands of rounds at each of a year's plans: fleet xen 6748) */
        const uint64_t whole = (k - nr) / T, part = (k - nr) % T;
        if (virt && P.nk == fold_kinds_.size()) {
            /* (the kept period's counts: each kind's rounds among walked
             * rounds [a, b), from the rounds of it before each in the
             * period and the whole periods between) */
            const size_t TP = P.S.size();
            auto before = [&](uint64_t x, size_t kd) { /* among the period's rounds pr0 .. pr0 + x - 1, unwrapped */
                const uint64_t idx = pr0 + x;
                return idx / TP * P.cum[TP * P.nk + kd] + P.cum[idx % TP * P.nk + kd];
            };
            for (size_t kd = 0; kd < P.nk; kd++)
                out->n[kd] += (before(nr, kd) - before(0, kd)) + whole * (before(nr, kd) - before(i1, kd)) +
                              (before(i1 + part, kd) - before(i1, kd));
        } else {
            each_kind(nr, [&](uint64_t g, size_t kind) { out->n[kind] += 1 + (g >= i1 ? whole + (g < i1 + part) : 0); });
        }
    }
    for (const swap &w : swaps) {
        if (w.g >= k)
            break;
        out->n[w.from]--;
        out->n[w.to]++;
    }
    out->found_seq.clear();
    out->splits.assign(fold_kinds_.size(), 0);
    for (const placed &f : fired) {
        if (f.g >= k)
            break;
        out->found_seq.push_back({f.at, f.found});
        out->splits[f.kind] += f.split;
    }
    out->found_len = found_len;
    out->lines = out->finds = 0;
    uint64_t entered = 0, uc_found = 0;
    for (size_t i = 0; i < out->n.size(); i++) {
        const fold_round &x = fold_kinds_[i].rd;
        out->lines += out->n[i] * fold_kinds_[i].faults.size();
        /* a UC unit's lines are each a finding; a stretch of miscorrections
         * one; a split round's line after the poll one more */
        out->finds += out->n[i] * (x.uc ? x.m : 1 + x.inner.size() + x.sdcs.size()) + out->splits[i];
        entered += x.uc ? out->n[i] * x.dpages : 0;
        uc_found += x.uc ? out->n[i] * x.m : 0;
    }
    /* the UC lines the rounds find are the fault's in them, and the pages
     * they enter (a whole unit or a first part each) its pages there */
    uint64_t pages = 0;
    if (out->uc)
        (void)fold_first_shared_page(out->uc_fp, out->uc_from, out->uc_to, out->uc_fp, out->uc_from, out->uc_to,
                                     &pages);
    if ((uc_any && uc_found != uc_lines) || pages != entered)
        return false;
    out->npages = entered;
    step sk, sp;
    round_at(k, &sk);
    round_at(k - 1, &sp);
    out->k = k;
    out->real_kind = sk.kind;
    out->end = sk.tl;
    out->prev_t = sp.tl;
    out->prev_fault = fold_kinds_[sp.kind].faults[0];
    out->likes = likes;
    /* the walk must agree, dry, that the k rounds' lines are its next ones
     * (this one's taken) and nothing else's */
    uint64_t last_ps;
    return memctl_scrub_fold_set(&mc, out->end - 1, likes.data(), (unsigned)nf, true, true,
                                 &last_ps) == out->lines - 1;
}
