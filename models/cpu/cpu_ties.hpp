/*
 * cpu_ties.hpp - a host's CPUs whose ops end at one picosecond go on in
 * the order of their index, whatever SystemC's timed queue would pick.
 *
 * SystemC wakes the processes whose timed waits end at one time in its
 * timed queue's order, a binary heap's: it depends on everything that was
 * ever queued. Broadcast #MC rounds have every CPU charge the same costs
 * from the same time, so their ops end together, and the order decides
 * who takes a lock first (the monarch, the logging CPU), and so records
 * and latencies. Anything that changes the queue's history (a rebase, the
 * round fold holding and re-arming timers, one event more elsewhere)
 * would change that order. So an op that ends at a time another CPU's op
 * of the host also ends waits for all of them to arrive (they arrive in
 * the same delta cycle: SystemC triggers every timed event of a time
 * together) and they go on in the next delta in the order of their index.
 * An op that ends alone goes on at once, as before.
 */
#ifndef MODELS_CPU_CPU_TIES_HPP
#define MODELS_CPU_CPU_TIES_HPP

#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>

class cpu_ties {
public:
    explicit cpu_ties(unsigned ncpus);
    /* From CPU cpu's own thread: spend d (more than zero), then go on in
     * index order with the CPUs of this host whose ops end then too. */
    void spend(unsigned cpu, const sc_core::sc_time &d);

private:
    struct slot {
        uint64_t end = UINT64_MAX; /* when its op ends (UINT64_MAX: none) */
        sc_core::sc_event go;
    };
    /* the CPUs whose ops end at `end`, and how many of them arrived */
    struct group {
        uint64_t end = 0;
        unsigned count = 0, arrived = 0;
    };
    group &find(uint64_t end); /* the group of end, made empty if none */
    void erase(group &g);
    std::unique_ptr<slot[]> cpu_;
    unsigned n_;
    std::vector<group> table_;
};

#endif
