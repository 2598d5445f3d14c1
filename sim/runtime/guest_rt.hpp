/*
 * guest_rt.hpp - one guest domain at run time: its kernel model
 * (guests/linux_guest.h), one SystemC thread per vCPU, and the guest ABI
 * that turns the kernel's MSR accesses, CR4 writes and panics into calls
 * on the hypervisor, each MSR access costing a VM exit and entry.
 *
 * A vCPU thread boots the kernel at time 0 and then sleeps until the
 * hypervisor raises a vMCE for it; after the scheduling delay (vMCE design
 * RFC, 2012: the target vCPU may not run for a while) it runs the kernel's
 * machine-check handler, if the domain still runs.
 */
#ifndef SIM_GUEST_RT_HPP
#define SIM_GUEST_RT_HPP

#include <memory>
#include <string>
#include <vector>

#include <systemc>

extern "C" {
#include "guests/linux_guest.h"
#include "guests/workload.h"
#include "hv/hv.h"
#include "sim/runtime/page_content.h"
#include "sim/scenario/scenario.h"
}

class host_rt;

class guest_rt {
public:
    /* incoming: the domain arrives by migration; its kernel and programs
     * are adopted from the source when the stream ends (adopt). */
    guest_rt(host_rt &host, hv &hv, const scn_domain &cfg, uint64_t sched_delay_ps, uint64_t seed,
             unsigned host_index, bool incoming);
    ~guest_rt();
    guest_rt(const guest_rt &) = delete;
    guest_rt &operator=(const guest_rt &) = delete;

    unsigned id() const { return cfg_.id; }
    void vmce_raised(unsigned vcpu);
    /* The guest takes a vCPU offline / brings it up (xl vcpu-set: the
     * kernel's CPU hotplug); online runs the AP's bring-up on it. */
    void vcpu_offline(unsigned vcpu);
    void vcpu_online(unsigned vcpu);
    void changed(); /* the domain crashed or paused */
    const linux_guest &kernel() const { return kernel_; }
    page_content &content() { return content_; }
    /* Take over a migrated guest's kernel state and its programs (both
     * live in its memory, which the stream just copied). */
    void adopt(const guest_rt &src);

private:
    friend struct guest_glue;
    void vcpu_thread(unsigned v);
    void workload_thread(unsigned v);
    bool retired(uint64_t gfn) const;

    host_rt &host_;
    hv &hv_;
    const scn_domain &cfg_;
    uint64_t sched_delay_ps_;
    linux_guest kernel_{};
    guest_abi abi_{};
    std::vector<std::unique_ptr<sc_core::sc_event>> raised_;
    std::vector<bool> pending_;
    std::vector<bool> boot_;      /* brought up: run the AP's bring-up */
    std::vector<workload> workloads_;
    page_content content_{};
    bool incoming_ = false;
    bool adopted_ = false;
    unsigned handling_vcpu_ = 0;   /* vCPU in its machine-check handler */
    std::string name_;
    void start_workloads();
};

#endif
