/*
 * migration_rt.hpp - one live migration at run time: the sending
 * toolstack (guests/dom0/migrate_save.h) as a dom0 user process on the
 * source host, the receiving toolstack on the target, the link between
 * them, and the ground truth: where each machine check on the guest's
 * pages landed in the V4 broken-page migration patch's steps (xen-devel
 * 2012; mig_case.h) and, at the end, whether the target's copy of every
 * page is what the source held at pause (page_content.h).
 *
 * The link is a serial pipe: a record occupies it for bytes / bandwidth
 * and arrives a latency later; records arrive in order. The sender blocks
 * when its socket buffer is full, so it runs at the link's pace.
 */
#ifndef SIM_MIGRATION_RT_HPP
#define SIM_MIGRATION_RT_HPP

#include <deque>
#include <vector>

#include <systemc>

extern "C" {
#include "guests/dom0/migrate_restore.h"
#include "guests/dom0/migrate_save.h"
#include "sim/runtime/mig_case.h"
#include "sim/results/run_result.h"
#include "sim/scenario/scenario.h"
}

class host_rt;

class migration_rt {
public:
    /* link_free: when the link from src to dst is next free, shared by
     * every migration in that direction (they share its bandwidth). */
    migration_rt(const scenario &s, const scn_migrate &m, host_rt &src, host_rt &dst, run_result &rr,
                 uint64_t &link_free);
    ~migration_rt();
    migration_rt(const migration_rt &) = delete;
    migration_rt &operator=(const migration_rt &) = delete;

    unsigned domid() const { return cfg_.domain; }
    /* Hardware found an uncorrectable error at gfn of the migrating guest
     * on the source (ground truth: which of the V4 patch's cases it is). */
    void on_mce(uint64_t gfn);
    /* dom0's kernel on the source killed the process on vcpu. */
    void on_process_killed(unsigned vcpu);
    void finish();

private:
    friend struct mig_glue;
    struct queued {
        uint64_t arrive_ps;
        mig_rec rec;
        std::vector<uint64_t> types;
        std::vector<domctl_vmce> vmce;
    };
    void save_thread();
    void receive_thread();
    int read_page(uint64_t gfn, uint64_t *token);
    void send(const mig_rec &r);
    long await_reply();
    void conclude(enum mig_save_result r);
    void arrive();

    const scenario &scn_;
    scn_migrate cfg_;
    host_rt &src_, &dst_;
    run_result &rr_;
    unsigned rr_index_;
    mig_save save_{};
    mig_restore restore_{};
    mig_case case_{};
    unsigned vcpu_ = 0;          /* dom0 vCPU the save process runs on */
    bool killed_ = false;
    bool consuming_ = false;     /* blocked in a load of poison */
    sc_core::sc_event killed_ev_;
    /* the link */
    uint64_t &link_free_ps_;
    std::deque<queued> wire_;
    sc_core::sc_event arrived_;
    bool sender_gone_ = false;
    /* the answer to END */
    bool replied_ = false;
    long reply_ = 0;
    sc_core::sc_event reply_ev_;
    bool done_ = false;
};

#endif
