/*
 * bench_hooks.cpp - cheap counters of SystemC scheduling work for the
 * benchmark driver, without touching the simulator's sources.
 *
 * Every suspension of a simulated thread (a pCPU, dom0's vCPU, the
 * injector) is a call of one of the five sc_core::wait() overloads the
 * simulator uses, and each returns exactly once, when the scheduler
 * activates the thread again. The bench executable is linked with
 * `-Wl,--wrap=<mangled wait>` (bench/CMakeLists.txt), so the simulator's
 * calls land here first: one increment, then the real wait(). The count
 * is per process and per overload; the driver reads it in the forked child
 * after sim_run(). Waits on an or-list of events are the pCPUs' spin waits
 * (cpu_sc::op_spin_wait is their only user), which shows how much of the
 * work is CPUs re-checking a lock or barrier. sc_delta_count() (delta
 * cycles of the kernel) comes for free.
 */
#include <cstdint>

#include <systemc>

using sc_core::sc_event;
using sc_core::sc_event_or_list;
using sc_core::sc_simcontext;
using sc_core::sc_time;

/* by overload: time, event, or-list, time+event, time+or-list */
static uint64_t g_waits[5];

extern "C" {

uint64_t bench_wait_count(void) { return g_waits[0] + g_waits[1] + g_waits[2] + g_waits[3] + g_waits[4]; }
uint64_t bench_spin_wait_count(void) { return g_waits[2] + g_waits[4]; }
uint64_t bench_delta_count(void) { return (uint64_t)sc_core::sc_delta_count(); }

/* wait(const sc_time&, sc_simcontext*) */
void __real__ZN7sc_core4waitERKNS_7sc_timeEPNS_13sc_simcontextE(const sc_time &, sc_simcontext *);
void __wrap__ZN7sc_core4waitERKNS_7sc_timeEPNS_13sc_simcontextE(const sc_time &t, sc_simcontext *c)
{
    g_waits[0]++;
    __real__ZN7sc_core4waitERKNS_7sc_timeEPNS_13sc_simcontextE(t, c);
}

/* wait(const sc_event&, sc_simcontext*) */
void __real__ZN7sc_core4waitERKNS_8sc_eventEPNS_13sc_simcontextE(const sc_event &, sc_simcontext *);
void __wrap__ZN7sc_core4waitERKNS_8sc_eventEPNS_13sc_simcontextE(const sc_event &e, sc_simcontext *c)
{
    g_waits[1]++;
    __real__ZN7sc_core4waitERKNS_8sc_eventEPNS_13sc_simcontextE(e, c);
}

/* wait(const sc_event_or_list&, sc_simcontext*) */
void __real__ZN7sc_core4waitERKNS_16sc_event_or_listEPNS_13sc_simcontextE(const sc_event_or_list &,
                                                                         sc_simcontext *);
void __wrap__ZN7sc_core4waitERKNS_16sc_event_or_listEPNS_13sc_simcontextE(const sc_event_or_list &e,
                                                                         sc_simcontext *c)
{
    g_waits[2]++;
    __real__ZN7sc_core4waitERKNS_16sc_event_or_listEPNS_13sc_simcontextE(e, c);
}

/* wait(const sc_time&, const sc_event&, sc_simcontext*) */
void __real__ZN7sc_core4waitERKNS_7sc_timeERKNS_8sc_eventEPNS_13sc_simcontextE(const sc_time &,
                                                                              const sc_event &,
                                                                              sc_simcontext *);
void __wrap__ZN7sc_core4waitERKNS_7sc_timeERKNS_8sc_eventEPNS_13sc_simcontextE(const sc_time &t,
                                                                              const sc_event &e,
                                                                              sc_simcontext *c)
{
    g_waits[3]++;
    __real__ZN7sc_core4waitERKNS_7sc_timeERKNS_8sc_eventEPNS_13sc_simcontextE(t, e, c);
}

/* wait(const sc_time&, const sc_event_or_list&, sc_simcontext*) */
void __real__ZN7sc_core4waitERKNS_7sc_timeERKNS_16sc_event_or_listEPNS_13sc_simcontextE(
    const sc_time &, const sc_event_or_list &, sc_simcontext *);
void __wrap__ZN7sc_core4waitERKNS_7sc_timeERKNS_16sc_event_or_listEPNS_13sc_simcontextE(
    const sc_time &t, const sc_event_or_list &e, sc_simcontext *c)
{
    g_waits[4]++;
    __real__ZN7sc_core4waitERKNS_7sc_timeERKNS_16sc_event_or_listEPNS_13sc_simcontextE(t, e, c);
}

} // extern "C"
