/*
 * cpu_ties.cpp - ties between a host's CPUs broken by index (cpu_ties.hpp).
 *
 * The CPUs whose ops end at a time are counted in a small open-addressed
 * table keyed by that time (linear probing, deletion by backward shift):
 * an op costs a lookup, not a scan of every CPU (a 256-CPU broadcast
 * round has thousands of ops).
 */
#include "models/cpu/cpu_ties.hpp"

using namespace sc_core;

cpu_ties::cpu_ties(unsigned ncpus) : cpu_(new slot[ncpus ? ncpus : 1]), n_(ncpus)
{
    unsigned cap = 4;
    while (cap < 2 * n_)
        cap *= 2;
    table_.assign(cap, group{});
}

cpu_ties::group &cpu_ties::find(uint64_t end)
{
    size_t mask = table_.size() - 1, i = (size_t)((end * 0x9E3779B97F4A7C15ull) >> 32) & mask;
    while (table_[i].count && table_[i].end != end)
        i = (i + 1) & mask;
    if (!table_[i].count)
        table_[i] = group{end, 0, 0};
    return table_[i];
}

void cpu_ties::erase(group &g)
{
    size_t mask = table_.size() - 1, i = (size_t)(&g - table_.data());
    g.count = 0;
    for (size_t j = (i + 1) & mask; table_[j].count; j = (j + 1) & mask) {
        size_t home = (size_t)((table_[j].end * 0x9E3779B97F4A7C15ull) >> 32) & mask;
        /* move j back to the hole at i when its home is not in (i, j] */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            table_[i] = table_[j];
            table_[j].count = 0;
            i = j;
        }
    }
}

void cpu_ties::spend(unsigned cpu, const sc_time &d)
{
    const uint64_t end = sc_time_stamp().value() + d.value();
    cpu_[cpu].end = end;
    find(end).count++;
    wait(d);
    group &g = find(end);
    if (g.count == 1) {
        erase(g);
        cpu_[cpu].end = UINT64_MAX;
        return;
    }
    if (++g.arrived == g.count) {
        /* The last of them: all go in the next delta cycle, lowest index
         * first. SystemC triggers a delta cycle's notified events last
         * notified first, so they are notified highest index first. */
        erase(g);
        for (unsigned c = n_; c-- > 0;)
            if (cpu_[c].end == end) {
                cpu_[c].end = UINT64_MAX;
                cpu_[c].go.notify(SC_ZERO_TIME);
            }
    }
    wait(cpu_[cpu].go);
}
