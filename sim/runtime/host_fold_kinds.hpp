/*
 * host_fold_kinds.hpp - what learning the kinds of rounds
 * (host_fold_learn.cpp) and planning a fold of them (host_fold_kinds.cpp)
 * both read: when two line times are one span, the holes a round may pass,
 * a nested fault's hole, two kinds' keys alike.
 */
#ifndef SIM_RUNTIME_HOST_FOLD_KINDS_HPP
#define SIM_RUNTIME_HOST_FOLD_KINDS_HPP

#include "sim/runtime/host_rt.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

/* Two times from one line schedule (floors of a line's exact time) that
 * stand for the same span differ by at most a picosecond. */
static inline bool near(uint64_t a, uint64_t b)
{
    return a == b || a + 1 == b || b + 1 == a;
}

/* Holes in a row (a nested fault's poisoned lines, fold_hole) a round's
 * lines may pass: past them, no kind */
static constexpr unsigned kHoleSkips = 16;

/* A line of a nested fault's that is poisoned: a visit without a finding
 * (a hole in the rounds of the fault it lies in). */
static inline bool fold_hole(const memctl &mc, const std::vector<fault_footprint> &nested, uint64_t line)
{
    auto holds = [&](const fault_footprint &h) { return footprint_covers(&h, line); };
    return std::any_of(nested.begin(), nested.end(), holds) && memctl_poisoned(&mc, line << MEM_LINE_SHIFT);
}

/* flags: also whether a UC overwrote a CE (over) and a storm's poll read
 * the round's CE (polled) alike */
static inline bool same_key(const host_rt::fold_kind &a, const host_rt::fold_kind &b, bool flags = true)
{
    if (flags && (a.over != b.over || a.polled != b.polled))
        return false;
    if (a.prev_fault != b.prev_fault || a.next_fault != b.next_fault || !near(a.back, b.back) ||
        !near(a.fwd, b.fwd) || a.faults != b.faults || a.at.size() != b.at.size() ||
        !fold_same_finding(a.rd.lead, b.rd.lead) || !fold_same_finding(a.rd.ev, b.rd.ev) ||
        a.rd.inner.size() != b.rd.inner.size() || a.rd.sdcs.size() != b.rd.sdcs.size() ||
        a.sdc_last != b.sdc_last || a.cmci_line != b.cmci_line || a.rd.part != b.rd.part ||
        a.rd.page_first != b.rd.page_first || a.storm != b.storm)
        return false;
    for (size_t i = 0; i < a.rd.sdcs.size(); i++)
        if (!fold_same_finding(a.rd.sdcs[i], b.rd.sdcs[i]))
            return false;
    for (size_t i = 0; i < a.at.size(); i++)
        if (!near(a.at[i], b.at[i]))
            return false;
    for (size_t i = 0; i < a.rd.inner.size(); i++)
        if (!fold_same_finding(a.rd.inner[i], b.rd.inner[i]))
            return false;
    return true;
}

#endif
