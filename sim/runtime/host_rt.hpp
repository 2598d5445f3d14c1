/*
 * host_rt.hpp - one simulated host: its CPUs (SystemC), its hypervisor
 * instance (hv/), dom0 (guests/), and the glue between them: the
 * hv_platform ops, the guest ABI, and the ground-truth ledger that follows
 * every injected error from latch to record.
 */
#ifndef SIM_HOST_RT_HPP
#define SIM_HOST_RT_HPP

#include <array>
#include <functional>
#include <memory>
#include <unordered_set>
#include <vector>

#include <systemc>

#include "models/cpu/cpu_sc.hpp"
#include "models/memctl/memctl_sc.hpp"
#include "sim/runtime/guest_rt.hpp"

extern "C" {
#include "guests/dom0/dom0.h"
#include "guests/dom0/dom0_ff.h"
#include "hv/hv.h"
#include "models/fw/fw_ghes.h"
#include "models/fw/fw_sal.h"
#include "models/memctl/field_rates.h"
#include "models/memctl/fold_slide.h"
#include "sim/results/ledger.h"
#include "sim/results/run_result.h"
#include "sim/scenario/scenario.h"
#include "sim/results/trace_sink.h"
#include "sim/runtime/host_pcie.h"
#include "arch/fold_ctr.h"
}

class migration_rt;
class host_rt;

/* An armed poll timer whose rounds are steady (hv_poll_steady): its next
 * round, period and a round's length (host_quiet.cpp, host_fold.cpp). */
struct quiet_timer {
    host_rt *host;
    unsigned cpu;
    uint64_t next_ps, period_ps, busy_ps;
    /* a poll that reads the memory controller's bank (the round fold):
     * it must find the bank empty; a storm's (hv_poll_storm_steady) is
     * counted by hv_poll_storm_count, each a 0 in the storm's histories */
    bool reads = false, storm = false;
};

/* How far SystemC's clock may go in one run: any time below it plus a
 * period or timeout (each at most SCV_TIME_MAX_PS, below 2^62) stays below
 * 2^64. A run longer than this (a year) reaches its end through rebases
 * (docs/TIME.md), which keep SystemC's clock low. */
constexpr uint64_t SIM_SC_HORIZON_PS = 1ull << 63;

/* A counted poll's distance from a round's busy window (the round fold):
 * the windows of alike rounds differ by a picosecond or so. */
constexpr uint64_t kPollMargin = 10000;

/* A 4 KiB page's lines: line index >> kPageLineShift is the MFN. */
constexpr unsigned kPageLineShift = 12 - MEM_LINE_SHIFT, kPageLines = 1u << kPageLineShift;

class host_rt {
public:
    host_rt(const scenario &s, unsigned index, run_result &rr, trace_sink &sink);
    ~host_rt();
    host_rt(const host_rt &) = delete;
    host_rt &operator=(const host_rt &) = delete;

    /* --- hardware events from the injector ----------------------------- */
    void inject(const scn_inject &in, uint64_t at_ps);
    void set_context(unsigned cpu, x86_exec_ctx ctx) { cpus_[cpu]->context = ctx; }
    void set_cr4_mce(unsigned cpu, bool on) { cpus_[cpu]->regs.cr4_mce = on; }
    void stall(unsigned cpu, uint64_t for_ps);

    /* Fill rr.hosts[index] once the run is over. */
    void finish();

    unsigned ncpus() const { return (unsigned)cpus_.size(); }
    void guest_access(unsigned domid, unsigned vcpu, uint64_t gaddr, bool fetch, bool user);
    void guest_write(unsigned domid, unsigned vcpu, uint64_t gaddr);

    /* --- probe events (host_probes.cpp) -------------------------------- */
    void probe_msr(const scn_msr_probe &m);
    void hypercall(const scn_hypercall &c);
    void balloon(unsigned domid, uint64_t gaddr);
    void destroy(unsigned domid);
    void hv_access(unsigned owner, unsigned by, unsigned vcpu, unsigned path, uint64_t gaddr);
    /* CPU hotplug (xen-hptool cpu-offline / cpu-online): answers in the
     * call slots, as XEN_SYSCTL_cpu_hotplug returns them. */
    void cpu_offline(unsigned cpu);
    void cpu_online(unsigned cpu);

    /* --- firmware-first reporting (host_ff.cpp) ------------------------ */
    void fw_error(const scn_event &e);
    bool firmware_first() const { return ff_; }

    /* --- memory model (host_memory.cpp) ------------------------------ */
    void dram_fault(const scn_event &e);
    void mem_read(unsigned cpu, uint64_t addr, bool fetch, int ctx);
    void mem_write(unsigned cpu, uint64_t addr);
    void load_frame(unsigned cpu, uint64_t paddr, x86_exec_ctx ctx);
    void llc_writeback(unsigned cpu, uint64_t addr, int ctx);
    /* The hv has the spare rank replace paddr's rank: 0 or -errno. */
    long mem_spare(uint64_t paddr, bool mirror);

    /* --- PCI Express (host_pcie.h) ------------------------------------- */
    void pcie_error(unsigned dev, unsigned err, const uint32_t header[4]);

    /* --- for guest_rt ----------------------------------------------- */
    uint64_t cpu_cost_ps(cpu_cost_op op) const { return ::cpu_cost_ps(&costs_, op, 1); }
    void guest_log(const char *line);
    void guest_trace(trace_stage st, uint64_t seq, const char *detail);
    bool stopped() const { return stopped_; }
    /* CPUs stuck inside the hv's MCA code (report_hang would say where)
     * with nothing traced by the hv for a second: nothing frees them, so
     * the host's outcome is final, as a stop's. (A rendezvous or a lock
     * that is only being waited for lasts microseconds.) */
    bool hung() const;
    x86_exec_ctx vcpu_context(unsigned domid, unsigned vcpu);
    guest_rt *guest(unsigned domid);
    void trace_signals(sc_core::sc_trace_file *tf);
    void process_killed(unsigned domid, unsigned vcpu);
    uint64_t new_token() { return next_token_++; }

    /* --- for migrations (migration_rt) ---------------------------------- */
    unsigned index() const { return index_; }
    run_result *results() { return &rr_; }
    hv &hyp() { return hv_; }
    /* dom0's ABI for a toolstack process, with a scratch area of its own. */
    const guest_abi *toolstack_abi(uint64_t *scratch, size_t *len);
    void dom0_log(const char *line);
    /* Ground truth: the frame holds poison (an uncorrectable error was
     * found in it). */
    bool frame_poisoned(uint64_t mfn) const;
    /* A dom0 process on vCPU vcpu loads from poisoned paddr: SRAR. */
    void consume_poison(unsigned domid, unsigned vcpu, uint64_t paddr);
    /* The pCPU runs hypervisor code or has some pending (cpu_sc::busy): no
     * guest code runs there until it returns to the guest, as Xen finishes
     * its softirqs first. */
    bool pcpu_busy(unsigned cpu) const { return cpus_[cpu]->busy(); }
    void add_migration(migration_rt *m) { migrations_.push_back(m); }
    /* Who starts a migration dom0's toolstack asks for (the world): 0, or
     * -errno (-EBUSY: the domain moves or moved already). */
    typedef std::function<long(unsigned domid, unsigned to, bool live)> mover;
    void set_mover(mover m) { mover_ = std::move(m); }
    /* Every host of the run (skip_quiet: one host's poll timers are the
     * others' next activity, so quiet time is skipped for all at once). */
    void set_hosts(const std::vector<std::unique_ptr<host_rt>> *all) { hosts_ = all; }
    /* Nothing the scenario drives directly runs in a guest's name. */
    void clear_current(unsigned cpu) { hv_set_current(&hv_, cpu, DOMID_NONE, 0); }

    /* skip_quiet: after a poll round on cpu, count the empty rounds that
     * would run before anything else happens instead of running them
     * (host_quiet.cpp). */
    void skip_quiet(unsigned cpu);
    /* The epoch rebase (docs/TIME.md, host_quiet.cpp): what the world
     * itself has pending and can replan (the injector's next occurrence,
     * the run's end), set by the world for every host. hold(true) takes
     * the injector's event out of SystemC's queue, hold(false) puts it
     * back; held_at(): when that event is due (UINT64_MAX: none); next():
     * the earliest of them; rebase(d, dry): 0 when they can move d earlier
     * (dry: check only), else -errno. */
    struct quiet_world {
        std::function<void(bool)> hold;
        std::function<uint64_t()> held_at;
        std::function<uint64_t()> next;
        std::function<int(uint64_t, bool)> rebase;
        bool every = false; /* rebase at every quiet point (a check's knob) */
        volatile uint64_t *reached_us = nullptr; /* sim_outputs::reached_us */
    };
    void set_world(const quiet_world *w) { world_ = w; }
    /* Real time: the sum of the rebases plus SystemC's time. Records and
     * outputs are stamped with it; the parts compare SystemC's. */
    rtime_t real_ps() const { return epoch_ps_ + sc_core::sc_time_stamp().value(); }
    /* The simulated time reached, for a parent that stops the run at a
     * limit (sim_outputs::reached_us): at each scrubber finding and poll
     * round, a store. */
    void note_reached() const
    {
        if (world_ && world_->reached_us)
            *world_->reached_us = (uint64_t)(real_ps() / 1000000u);
    }

private:
    friend struct host_glue;
    rr_event event(int cpu, trace_stage st, int bank, uint64_t status, uint64_t seq, const char *detail) const;
    void trace(int cpu, trace_stage st, int bank, uint64_t status, uint64_t seq, const char *detail);
    /* false: no output takes trace details (only the sink reads them), so
     * per-event details need not be formatted */
    bool trace_details() const { return trace_sink_wants_detail(&sink_); }
    void on_hv_trace(const hv_trace_event &ev);
    void stop(enum scn_outcome out, const char *reason);
    void dom0_thread();
    /* elaboration steps (wiring_), in order */
    typedef void (host_rt::*wiring_step)(const scenario &s);
    static const wiring_step wiring_[];
    void build_costs(const scenario &s);
    void start_hv(const scenario &s);
    void build_cpus(const scenario &s);
    void build_ledger(const scenario &s);
    void build_memory(const scenario &s);
    void build_dom0(const scenario &s);
    void build_guests(const scenario &s);
    void build_pcie(const scenario &s);
    void build_firmware(const scenario &s);
    void ff_raise(unsigned cpu, unsigned type);
    void ff_take_irq(unsigned cpu);
    void ff_dom0_thread();
    void ff_poll_at(unsigned type, uint64_t at_ps, uint64_t gen);
    void ff_arm_poll(unsigned type, uint64_t at_ps);
    void ff_virq(unsigned virq);
    long ff_fw_call(unsigned cpu, enum fw_op op, unsigned type, fw_error_record *rec);
    long ghes_call(enum fw_op op, fw_error_record *rec);
    void ff_finish(rr_host &h) const;
    void build_domains(const scenario &s);
    bool is_incoming(unsigned domid) const;
    void find_migrations(const scenario &s, std::vector<hv_mem_region> &regions);
    uint64_t guest_caps(const scenario &s, const scn_domain &d) const;
    void note_poison(uint64_t status, uint64_t addr);
    void note_current(unsigned cpu);
    void report_hang(scn_outcome &out, char *reason, size_t len) const;
    /* The CPU whose register file holds a bank seen from `cpu`: CPU 0 for
     * banks the host shares, the core's first thread for a core's banks,
     * else the CPU itself. */
    unsigned bank_home(unsigned cpu, unsigned bank) const
    {
        return ledger_bank_home(&ledger_, cpu, bank);
    }
    unsigned msr_home(unsigned cpu, uint32_t msr) const;
    void scrub_found(const memctl_scrub_event &ev);
    /* folding a fault's CEs into the controller bank's logged CE */
    bool mc_msr(unsigned cpu, uint32_t msr) const;
    void fold_scrub_ces(bool first_due);
    uint64_t plan_scrub_wake(uint64_t next, bool *sync);
    void raise_cmci_for(unsigned cpu, unsigned bank, uint64_t status);
    /* the last CE (right or miscorrected) the scrubber reported */
    memctl_scrub_event fold_like_{};
    bool have_like_ = false;
    void latch_and_signal(unsigned cpu, unsigned bank, uint64_t status, uint64_t addr, uint64_t misc,
                          scn_signal signal, int context, rr_found found_by);
    friend struct memory_glue;
    uint8_t *gmem(uint64_t gaddr, size_t len);
    unsigned new_call(enum scn_event_kind kind);
    void probe_done(unsigned idx, const char *detail);
    void hypercall_thread(const scn_hypercall *c, unsigned idx);
    void hotplug_thread(unsigned cpu, bool up, unsigned idx);
    uint64_t probe_slot_ = 0;              /* dom0 scratch for probe hypercalls */
    sc_core::sc_mutex probe_lock_;         /* one probe hypercall at a time in it */

    const scenario &scn_;
    const scn_host &cfg_;
    unsigned index_;
    run_result &rr_;
    trace_sink &sink_;
    std::unique_ptr<cpu_ties> ties_; /* the CPUs' ops ending together: in index order */
    std::vector<std::unique_ptr<cpu_sc>> cpus_;
    cpu_cost_table costs_{};
    hv hv_{};
    hv_platform plat_{};
    sc_core::sc_event shared_changed_;
    /* dom0 */
    dom0 dom0_{};
    guest_abi abi_{};
    const scn_domain *dom0_cfg_ = nullptr;
    std::vector<uint8_t> dom0_mem_;
    sc_core::sc_event virq_;
    bool virq_pending_ = false;
    /* end state */
    bool stopped_ = false;
    enum scn_outcome outcome_ = SCN_OUT_RUNNING;
    char reason_[256] = "";
    /* fate and stage stamps of every error latched here */
    ledger ledger_{};
    /* guests */
    std::vector<hv_domain_config> dom_cfg_;
    std::vector<std::vector<unsigned>> dom_pcpus_;
    std::vector<std::unique_ptr<guest_rt>> guests_;
    /* memory */
    std::unique_ptr<memctl_sc> mem_;
    std::unordered_set<uint64_t> poisoned_; /* mfns (lookups only) */
    /* firmware-first reporting (host_ff.cpp) */
    bool ff_ = false;
    uint64_t ff_slot_ = 0;                 /* dom0 scratch of its struct sal_call */
    fw_sal fw_{};
    fw_ghes ghes_{};
    unsigned ghes_cpu_ = 0;                /* where the GHES notification goes */
    dom0_ff dom0ff_{};
    sc_core::sc_event ff_virq_;
    unsigned ff_pending_ = 0;              /* bit per fw_type: upcall pending */
    std::vector<unsigned> ff_irq_;         /* per pCPU, bit per fw_type: interrupt raised */
    uint64_t ff_poll_gen_[FW_TYPE__COUNT] = {};
    /* migrations */
    std::vector<migration_rt *> migrations_;
    mover mover_;
    std::vector<unsigned> incoming_;       /* domids arriving by migration */
    std::vector<unsigned> outgoing_;       /* domids leaving by migration  */
    unsigned toolstack_slots_ = 0;  /* handed out, of toolstack_nslots_ */
    unsigned toolstack_nslots_ = 0;
    uint64_t next_token_ = 2;              /* 0 and 1 are reserved (mig_stream.h) */
    uint64_t faults_ = 0;
    /* field_rates' draw, placed as they come within reach (admit_faults) */
    std::vector<fr_fault> staged_faults_;
    size_t next_staged_ = 0;
    size_t admit_faults(); /* how many it placed */
    unsigned found_by_ = FOUND_INJECTED; /* of the error being latched */
    host_pcie pcie_{};
    /* skip_quiet (host_quiet.cpp): events traced other than polls, and
     * that count when each CPU's poll timer last began a round: a round
     * that began before something happened may not have seen it. */
    uint64_t activity_ = 0;
    std::vector<uint64_t> round_seen_;
    /* #MC handler and MCE softirq entries per CPU: a hang report tells the
     * CPUs that never reached a rendezvous from those that left it */
    std::vector<uint64_t> mce_entries_, softirq_entries_;
    rtime_t last_hv_event_ps_ = 0; /* real time of the hv's last trace event */
    const std::vector<std::unique_ptr<host_rt>> *hosts_ = nullptr;
    bool quiet_timers(std::vector<struct quiet_timer> &out, uint64_t now);
    void quiet_skip(const struct quiet_timer &t, uint64_t k);
    const quiet_world *world_ = nullptr;
    rtime_t epoch_ps_ = 0;
    bool try_rebase(const std::vector<struct quiet_timer> &timers);
    bool pending_besides(const std::vector<cpu_sc *> &timers, bool every_host, uint64_t *ahead = nullptr) const;
    /* The round fold (host_fold.cpp): at each finding of the scrubber's
     * thread, the counters every part lends (fold_ctrs_: `apply` ones move
     * by k rounds, the others are only compared) as they stand, with the
     * finding and the error the last round latched; once two rounds made
     * the same changes, k rounds are counted instead of run. */
    struct fold_err {
        bool valid;
        unsigned fate, found_by, latch, bank, cpu;
        int cls;
        uint64_t status;
        bool operator==(const fold_err &o) const
        {
            return valid && o.valid && fate == o.fate && found_by == o.found_by && latch == o.latch &&
                   bank == o.bank && cpu == o.cpu && cls == o.cls && status == o.status;
        }
    };
    /* the bank's accesses a storm's poll makes, remembered (host_rt.cpp) */
    static constexpr unsigned kReadsMax = 8;
    struct fold_snap {
        std::vector<uint64_t> v;
        memctl_scrub_event ev;
        fold_err err;
        /* named again for the checks: errors made, checks of the pollers,
         * trace events, each log's lines */
        uint64_t errors, polls, events;
        uint64_t lines[RR_LOG__COUNT];
        bool counts; /* rr_fold_ok: a round's record and error are counts */
        /* the round before it: its first hv event and its last event, from
         * its CMCI (UINT64_MAX: none) - when its CPUs were busy */
        uint64_t busy_from, busy_to;
        uint64_t busy_cpu_to; /* its CPUs' last return from the round's entries, from its CMCI */
        uint64_t home_idle;   /* a UC unit's: fold_round::home_idle */
        uint64_t cmci_ps; /* that round's CMCI (UINT64_MAX: none) */
        std::vector<uint64_t> mem;    /* the memory model's ledger */
        std::vector<uint64_t> timer;  /* per CPU: its poll timer's time, UINT64_MAX unarmed */
        std::vector<uint64_t> begun;  /* per CPU: poll rounds begun (hv_poll_rounds) */
        uint64_t counted;             /* CEs counted into a bank's entry (ledger) */
        uint64_t clear_ps, last_ev;   /* the last clear of the bank, the last event */
        /* the bank's reads before that clear (since the one before it):
         * nreads of them, kReadsMax + 1 when more */
        std::array<uint64_t, kReadsMax> reads;
        unsigned nreads;
        uint64_t npages;              /* the hv's page entries (hv_fold_npages) */
        bool page_broken;             /* a UC finding's page offlined and broken already */
        /* a UC finding that replaces the round's CE still in the bank:
         * that error as it will end (overwritten); else invalid */
        fold_err err_over;
        std::vector<memctl_scrub_event> inner; /* the round's CEs of other faults */
        std::vector<memctl_scrub_event> sdcs;  /* its miscorrections: a finding a stretch */
        bool sdcs_over;                        /* more than kFoldInnerMax of them */
    };
    uint64_t fold_first_hv_ = UINT64_MAX; /* SystemC times: the first hv event */
    uint64_t fold_last_ev_ = 0;           /* since the last finding, the last event */
    uint64_t fold_clear_ps_ = UINT64_MAX; /* the memory controller bank's last clear */
    uint64_t fold_cpu_exit_ps_ = UINT64_MAX; /* the last return from a handling entry (#MC, CMCI, softirq, NMI) */
    /* ... of the bank's home CPU (whose storm poll reads the bank) */
    uint64_t fold_home_exit_ps_ = UINT64_MAX;
    /* the bank's reads before that clear (since the one before it), and
     * since that clear: times, and how many (kReadsMax + 1: more) */
    std::array<uint64_t, kReadsMax> fold_reads_{}, fold_reads_next_{};
    unsigned fold_nreads_ = 0, fold_nreads_next_ = 0;
    /* An access to that bank (after its catch-up, scrub_due): the storm
     * fold's rounds key the lines counted at each (storm_amid_key). */
    void fold_access()
    {
        if (fold_nreads_next_ < kReadsMax)
            fold_reads_next_[fold_nreads_next_++] = sc_core::sc_time_stamp().value();
        else
            fold_nreads_next_ = kReadsMax + 1;
    }
    /* Its clear: the accesses since the one before are the ones before it. */
    void fold_cleared()
    {
        fold_clear_ps_ = sc_core::sc_time_stamp().value();
        fold_reads_ = fold_reads_next_;
        fold_nreads_ = fold_nreads_next_;
        fold_nreads_next_ = 0;
    }
    uint64_t fold_cmci_ps_ = UINT64_MAX;  /* the first CMCI raised since the last finding */
    /* UC rounds fold a page's at a time (a round a line, the page offlined
     * by the first): the page of the last finding, the unit's findings so
     * far, the last one's time and whether their errors settled alike */
    uint64_t fold_page_ = UINT64_MAX, fold_unit_n_ = 0, fold_find_ps_ = 0;
    uint64_t fold_unit_busy_ = 0; /* the longest of its rounds so far, finding to last event */
    uint64_t fold_unit_idle_ = 0; /* its rounds' home_idle so far (0: not alike) */
    void fold_note_idle();
    bool fold_unit_ok_ = true;
    struct fold_err fold_unit_err_ {};
    /* A UC fold's pages: those holding fault lines of fp in [from, to]
     * (the hv's page runs name them by index here; frame_poisoned asks) */
    struct fold_pages {
        fault_footprint fp;
        uint64_t from, to;
        /* earlier runs whose pages lie among fp's in [from, to]: not this
         * run's (the fold's rounds found them broken) */
        std::vector<size_t> excl;
    };
    std::vector<fold_pages> fold_pages_;
    /* fold_pages_ a block of kFoldPagesBlock runs at a time, each block's
     * least from and greatest to: the loops over the runs that may share a
     * page with lines [from, to] skip the blocks none of whose runs can
     * (fleet linux-6 5593: a plan looked at every run, a run a UC fold) */
    struct fold_pages_block {
        uint64_t from, to;
    };
    static constexpr size_t kFoldPagesBlock = 64;
    std::vector<fold_pages_block> fold_pages_blocks_;
    /* f(i, run) for each run i that may share a page with lines [from,
     * to], in order, while f returns true */
    template <class F> void fold_pages_each(uint64_t from, uint64_t to, F f) const
    {
        for (size_t b = 0; b < fold_pages_blocks_.size(); b++) {
            const fold_pages_block &k = fold_pages_blocks_[b];
            if (std::max(from, k.from) >> kPageLineShift > std::min(to, k.to) >> kPageLineShift)
                continue; /* (as fold_first_shared_page's range test, for every run of the block) */
            const size_t end = std::min(fold_pages_.size(), (b + 1) * kFoldPagesBlock);
            for (size_t i = b * kFoldPagesBlock; i < end; i++)
                if (!f(i, fold_pages_[i]))
                    return;
        }
    }
    /* the CEs counted into the bank's logged one since the round began */
    static constexpr size_t kFoldInnerMax = 64;
    std::vector<memctl_scrub_event> fold_inner_;
    /* the miscorrections found since a CE round began (a stretch each,
     * counted into the round's logged CE: part of that round) */
    std::vector<memctl_scrub_event> fold_sdcs_;
    bool fold_sdcs_over_ = false;
    /* each fault's last finding's outcome (a miscorrecting fault's lines
     * alternate between miscorrection and correction pass after pass):
     * kinds of another phase are not planned with (host_fold_kinds.cpp) */
    struct fault_outcome {
        uint64_t fault_id;
        unsigned outcome;
    };
    std::vector<fault_outcome> fold_outcomes_;
    bool fold_pages_has(uint64_t key, uint64_t mfn) const;
    uint64_t fold_pages_next(uint64_t key, uint64_t mfn) const;
    fold_err fold_last_err() const;
    fold_err fold_err_overwritten(const memctl_scrub_event &ev) const;
public:
    /* A round as the fold compares it (host_fold.cpp): the counters'
     * changes, the walk's lines, the finding and error, trace events, and
     * when its CPUs were busy (from its CMCI, raised by its last line). */
    struct fold_round {
        std::vector<uint64_t> dv, dmem;
        uint64_t m = 0, events = 0, busy_from = 0, busy_to = 0;
        /* a CE round's CPUs busy until (from its CMCI): their last return
         * from its entries; dom0's fetch, decode and ack after it run on
         * dom0's own, so a poll may fall there (busy_to: its last event) */
        uint64_t busy_cpu_to = 0;
        /* a UC unit's: its rounds' home CPU (whose storm poll reads the
         * bank) returned from their entries this long after each one's
         * finding, the same in each (0: not known, or not alike); a poll
         * timer that fires from a finding until then waits for it (the
         * CPU takes interrupts only when idle, cpu_sc::run) */
        uint64_t home_idle = 0;
        bool busy_known = false;
        /* a storm's poll a round (linux-6): the CPU whose poll timer drives
         * the rounds (-1: none, each round is a finding's), its period, when
         * its poll cleared the bank and when the round's last event came
         * (both from the poll), the counted CEs beyond the folded lines,
         * the poll's time */
        int driver = -1;
        uint64_t period = 0, dclear = 0, busy_after = 0, extra_counted = 0, poll_ps = 0;
        /* when the poll read the bank, from the poll (nreads of them; 0:
         * not known to be the poll's): lines up to the first are counted
         * into what it reads, as the lines before the poll are; a line
         * after it and before the clear is counted at the next access
         * (storm_amid_key) */
        std::array<uint64_t, kReadsMax> dreads{};
        unsigned nreads = 0;
        memctl_scrub_event ev{};
        fold_err err{};
        /* UC rounds: a unit is a page's rounds (m, one a line), the page
         * entries it made (1) */
        bool uc = false;
        uint64_t dpages = 0, entry = 0; /* entry: the page entry it made */
        /* its page, and whether that was offlined and broken before the
         * unit (another fault's, in a fold's run: its first round gives
         * it an entry of its own, as a fresh page's makes one) */
        uint64_t page = 0;
        bool broken = false;
        /* of several kinds only: a UC round that is part of its page's
         * rounds, another fault's findings between (fleet host 7542: a
         * bank fault's 8 lines a page, each between two of another fault's
         * CE lines): the first makes the page entry, the others find the
         * page broken and make none (dpages 0) */
        bool part = false, page_first = false;
        /* a round of several faults' lines in turn: the finding it began
         * with (lead) and its CEs counted into that one's, in order (ev is
         * the next round's first) */
        memctl_scrub_event lead{};
        std::vector<memctl_scrub_event> inner;
        /* miscorrected lines: another fault's among a CE round's (their
         * findings, one a stretch, the rest folded), or all of them */
        std::vector<memctl_scrub_event> sdcs;
        uint64_t sdc_lines = 0;
    };

    /* Rounds of several kinds in turn (host_fold_learn.cpp, host_fold_kinds.cpp): a kind is a
     * round seen twice alike, keyed by its lines' faults and times from
     * its first line, the round before's first line (fault, time before)
     * and the next round's (fault, time after). */
    struct fold_kind {
        fold_round rd;
        uint64_t prev_fault = 0, back = 0, next_fault = 0, fwd = 0;
        std::vector<uint64_t> faults, at; /* the round's lines, the lead's first */
        /* Stretches of its lines that were one fault's next lines in a
         * row (a CE round's thousands, folded into the bank's count): line
         * j's offset from the lead and its rank in the fault's footprint,
         * so a match takes such a stretch in one step (fold_plan_kinds) */
        struct run {
            size_t j, n;
            uint64_t d, rank;
        };
        std::vector<run> runs;
        std::vector<uint64_t> fault_runs; /* faults, each run of one fault's lines once */
        uint64_t sdc_last = 0; /* with rd.sdcs: its last stretch's finding's line, from the lead's (its shape) */
        size_t cmci_line = 0;  /* which line raises its CMCI */
        /* its first line's UC replaced a CE the round before left in the
         * bank (a storm's CE not polled in time): OVER set, that CE
         * counted overwritten; rounds alike but for it differ there */
        bool over = false;
        /* whether the memory controller's bank stormed when it was
         * learnt: a CE round's course depends on it (a CMCI at the
         * threshold, or the CE left for the storm's poll), so a kind of
         * the other phase is not one the rounds ahead repeat (fleet host
         * 183: a storm's CE rounds, confirmed without a CMCI, met again
         * after the storm ended) */
        bool storm = false;
        bool cmci = false; /* it raised a CMCI */
        /* A CE round whose CE a linux-6 storm's poll read after its last
         * line (the same round unpolled leaves it for the next round's UC
         * to overwrite): the poll is no part of its key, which is the
         * unpolled round's, and its own counters (its rounds, its storm
         * state, the polls counted) no part of rd.dv: the plan places such
         * polls on the rounds (fold_plan_kinds) and counts them
         * (fold_count_storm_poll). poll: the poll timer's period, a
         * round's length, and what the round did from its poll on: the
         * bank's clear and reads, its last event (dom0's ack). */
        bool polled = false;
        struct poll_sig {
            uint64_t period = 0, len = 0, dclear = 0, busy_after = 0;
            uint64_t at = 0; /* (the last round's poll, from its lead: no part of the signature) */
            unsigned nreads = 0;
            std::array<uint64_t, kReadsMax> dreads{};
        } poll;
        /* A CE round of this kind (unpolled, its CE left for the next
         * round's UC) that such a poll read amid its lines: its lines up
         * to the poll in one CE, logged, the rest in another, left, the
         * next line a finding (fleet linux-6 3628: a rank fault's CE a
         * row, a poll a second). What the two rounds changed more than
         * the round unsplit (dv, events, CEs counted beyond the lines), and
         * the error the poll logged; the poll as above; confirmed when two
         * splits gave the same. The counts do not depend on where the poll
         * fell while two lines or more lie on each side of it. */
        struct split_sig {
            bool have = false, confirmed = false;
            std::vector<uint64_t> dv;
            uint64_t events = 0, extra_counted = 0;
            fold_err err{};
            poll_sig poll;
        } split;
        bool confirmed = false;
        uint64_t seen = 0; /* fold_learns_ when last met: learnt, or counted in a fold */
    };
    /* A fold of such rounds: k rounds, n[i] of kind i; end: round k's
     * first line's time; lines: the walk's lines of the k rounds */
    struct fold_kplan {
        uint64_t k = 0, end = 0, lines = 0, finds = 0, prev_t = 0, prev_fault = 0;
        size_t real_kind = 0; /* round k's */
        std::vector<uint64_t> n;
        std::vector<memctl_scrub_event> likes;
        /* a UC fault's units among them: their pages, offlined as one run */
        bool uc = false;
        fault_footprint uc_fp{};
        uint64_t uc_from = 0, uc_to = 0, npages = 0, entry = 0;
        /* the plan's first round is of no confirmed kind (its walk ended
         * there, not at a poll or the run's end) */
        bool unknown_first = false;
        /* a storm's polls among the k rounds that read a round's CE
         * (fold_kind::polled, fold_kind::split) or found the bank empty
         * (after a UC unit's handling): each one's start and whether it
         * found the CE; a found one's length */
        std::vector<std::pair<uint64_t, bool>> found_seq;
        uint64_t found_len = 0;
        std::vector<uint64_t> splits; /* by kind: its rounds such a poll split (fold_kind::split) */
    };
    /* a linux-6 storm's poll timer that reads the memory controller's bank
     * and finds the CE a round left there (hv_poll_storm_found_steady):
     * its CPU, next firing and interval */
    struct found_poll {
        bool valid = false;
        unsigned cpu = 0;
        uint64_t next_ps = 0, interval = 0;
        /* an empty round's length (0: none seen); empty rounds in a row
         * that keep the storm on, from now and after a found one */
        uint64_t empty_len = 0;
        unsigned room = 0, room_found = 0;
        /* its polls so far all empty, alike: also a periodic quiet_timer
         * (a fold of one kind counts them so) */
        bool periodic = false;
    };

private:
    struct fold_lead {
        uint64_t t = 0, fault = 0;
        bool valid = false;
    };
    std::vector<fold_kind> fold_kinds_;
    /* a kinds plan's walked rounds (fold_plan_kinds): kept between plans,
     * so a walk of thousands of rounds a plan does not allocate and fault
     * in its pages anew (fleet xen 6748: 40 % of its year) */
    struct fold_walk_step {
        size_t kind;
        uint64_t lead, tl, tcmci, next, tnext, fnext; /* tcmci: its CMCI's line's time */
        uint64_t cline;                               /* its CMCI's line */
    };
    std::vector<fold_walk_step> fold_walk_;
    /* where a walk read from the kept period stops (fold_virtual_walk) */
    struct fold_vwalk {
        uint64_t stop, leave, i1, i2;
    };
    /* The lines a kinds plan walks (fold_plan_kinds; host_fold_kinds.cpp):
     * the like faults' footprints (fp, one per like), the nested faults'
     * within them (holes where poisoned), the pass's line times. */
    struct kinds_walk {
        const memctl &mc;
        const std::vector<fold_kind> &kinds;
        const std::vector<size_t> &use;
        const std::vector<memctl_scrub_event> &likes;
        const fault_footprint *fp;
        const std::vector<fault_footprint> &nested;
        const fault_footprint &uc_fp; /* the UC units' fault's (fold_kinds_uc_units) */
        uint64_t pass, nlines;
        std::vector<footprint_next_memo> nm; /* one per like */
        uint64_t t_of(uint64_t line) const;
        /* the next line at or after from of any like fault, *fault whose;
         * FAULT_NO_LINE: none, or two faults' */
        uint64_t next_any(uint64_t from, uint64_t *fault);
        /* the round at lead (fault lf; the round before's first line of
         * fault pf, back before it; over: its CE left in the bank) as one
         * of the kinds used: *s */
        bool match(uint64_t pf, uint64_t back, bool over, uint64_t lead, uint64_t lf, fold_walk_step *s);
        const fault_footprint *fp_of(uint64_t id) const;
        bool run_matches(const fold_kind::run &run, uint64_t lead, uint64_t l, uint64_t id, uint64_t *to) const;
    };
    /* The period the last kinds walk found (its rounds, D lines a period,
     * the run of blocks it lies in) and what the walk's matches depended
     * on: the kinds (fold_kinds_ver_: bumped whenever a kind is added,
     * dropped or replaced; confirming one changes nothing a match reads),
     * the kinds used, the pass, whether nested faults' lines were holes
     * (all poisoned). A later walk in that run takes its rounds
     * from it, shifted a whole number of periods (host_fold_kinds.cpp). */
    struct fold_walk_period {
        bool valid = false;
        uint64_t ver = 0, pass = 0, first = 0, D = 0, run_mask = 0;
        int holes = 0; /* nested faults' lines holes nowhere (0) or everywhere (1) */
        std::vector<size_t> use;
        std::vector<fold_walk_step> S;
        /* the blocks (2^q lines) its rounds begin: the rounds of S that
         * begin one (S[0] does), by index */
        unsigned q = 0;
        std::vector<size_t> starts;
        /* rounds of each kind among S[0, r): cum[r * nk + kind] */
        size_t nk = 0;
        std::vector<uint32_t> cum;
    };
    fold_walk_period fold_period_;
    uint64_t fold_kinds_ver_ = 0;
    /* rounds of no kind yet that may run for real, to be learnt, where a
     * fold of one fault's rounds would take them (round_fold): refilled
     * as kinds are confirmed or the faults change, so a course of kinds
     * that never repeats costs a few real rounds, not every fold */
    static constexpr unsigned kFoldLearnRuns = 16;
    unsigned fold_learn_runs_ = kFoldLearnRuns;
    uint64_t fold_kinds_faults_ = 0; /* faults_ when the kinds were learnt */
    uint64_t fold_learns_ = 0;       /* rounds fold_learn was given */
    /* the last snapshots' first lines (the last one's last; one more
     * than fold_snaps_ hold: the lead before the first, for a key) */
    static constexpr unsigned kFoldLeads = 4;
    fold_lead fold_leads_[kFoldLeads];
    static constexpr size_t kFoldKindsMax = 16;
    bool fold_learn(const fold_snap &p, const fold_snap &c, fold_round *steady);
    bool fold_bank_storms() const; /* the memory controller's bank storms (linux-*) */
    /* the footprints of faults strictly within fault id's lines (the last
     * answer kept while the faults stay the same: asked every round) */
    const std::vector<fault_footprint> &fold_nested(uint64_t id) const;
    bool fold_any_nested() const; /* some fault lies within another's lines */
    mutable uint64_t nested_id_ = 0, nested_faults_ = UINT64_MAX;
    mutable size_t nested_live_ = 0;
    mutable bool nested_any_ = false; /* some fault lies within another */
    mutable std::vector<fault_footprint> nested_;
    bool fold_learn_lines(fold_kind &k, uint64_t lead, uint64_t next, uint64_t *last);
    /* fold_learn's round, for fold_steady when both findings are alike (the
     * two then compute the same): 0 none, 1 of_, 2 none foldable */
    int learnt_state_ = 0;
    fold_round learnt_;
    bool fold_kinds_usable(const memctl_scrub_event &ev, std::vector<size_t> &use,
                           std::vector<memctl_scrub_event> &likes);
    uint64_t fold_period_line(size_t pr0, uint64_t pm0, uint64_t g, uint64_t fold_walk_step::*f) const;
    fold_walk_step fold_period_step(size_t pr0, uint64_t pm0, uint64_t g) const;
    fold_vwalk fold_virtual_walk(size_t pr0, uint64_t pm0, unsigned q, uint64_t run_mask, uint64_t until,
                                 const std::vector<quiet_timer> &polls) const;
    bool fold_kinds_uc_units(const std::vector<size_t> &use, const std::vector<memctl_scrub_event> &likes,
                             const fault_footprint *fp, fold_kplan *out, bool *parts) const;
    bool fold_plan_kinds(const fold_round &rd, const memctl_scrub_event &ev, const std::vector<quiet_timer> &polls,
                         const found_poll &found, uint64_t until, fold_kplan *plan);
    /* fold_ctrs_[i] is CPU cpu's poll timer's own (its rounds, its storm
     * state, the polls counted) */
    bool fold_poll_owned(size_t i, unsigned cpu) const;
    /* one of CPU cpu's storm polls, begun at start and len long, that
     * found a CE in the memory controller's bank or nothing, counted
     * (hv_poll_storm_counted, its trace event in the run record) */
    void fold_count_storm_poll(unsigned cpu, uint64_t start, uint64_t len, bool found);
    bool fold_last_storm_poll(const fold_round &r, unsigned x, uint64_t next, uint64_t *len) const;
    bool fold_learn_polled(const fold_snap &p, const fold_snap &c, fold_kind &k);
    /* poll-owned counters of cpu: those of a poll that found a CE from p
     * to c (fold_count_storm_poll: set, compared, put back) */
    bool fold_poll_counts_as_found(const fold_snap &p, const fold_snap &c, unsigned cpu, uint64_t start,
                                   uint64_t len, std::vector<size_t> *own);
    void fold_learn_split(const fold_snap &p0, const fold_snap &p1, const fold_snap &p2);
    fold_round fold_ref_;     /* the round the last fold repeated */
    bool have_ref_ = false;
    /* A UC fault's steady units of either sort, fresh pages' and broken
     * ones' (in another fold's run): a fold of one sort counts the other's
     * among its pages by these; learnt while faults_ was uc_refs_faults_ */
    fold_round uc_ref_[2];
    bool have_uc_ref_[2] = {false, false};
    uint64_t uc_refs_faults_ = 0;
    void fold_note_uc_ref(const fold_round &rd);
    const fold_round *fold_uc_ref(const fold_round &rd, bool broken) const;
    bool fold_shared_pages(const fault_footprint &fp, uint64_t from, uint64_t to, uint64_t broken_page, uint64_t *n,
                           std::vector<size_t> *runs) const;
    /* kinds: the next round's first finding may be another's (a kind's
     * key holds it: host_fold_kinds.cpp) */
    bool fold_round_of(const fold_snap &p, const fold_snap &c, fold_round *r, bool kinds = false) const;
    static bool fold_storm_sdcs(const fold_snap &p, const fold_snap &c);
    std::vector<fold_ctr> fold_ctrs_;
    /* those that hold times (a rebase moves them in the snapshots): a
     * few among thousands, and a year's run rebases often */
    std::vector<size_t> fold_time_ctrs_;
    fold_snap fold_snaps_[3];
    unsigned fold_have_ = 0;  /* snapshots taken since the last fold (at most 3 kept) */
    int last_error_ = -1;     /* index in rr_.errors of the last error latched */
    void fold_build();
    void fold_restart();
    void fold_add_pages(const fault_footprint &fp, uint64_t from, uint64_t to, uint64_t k, size_t entry,
                        std::vector<size_t> excl = {});
    void fold_take(fold_snap &s, const memctl_scrub_event &ev);
    /* (*with_poll: steady as the reference's with a quiet poll in it) */
    bool fold_steady(fold_round *r, bool *with_poll);
    bool fold_ref_with_poll(const fold_snap &p, const fold_snap &c, fold_round *rq) const;
    bool round_fold(const memctl_scrub_event &ev);
    bool fold_steady_lines(const fold_round &x, fold_round &y);
    /* A storm's rounds of several faults (fold_steady_lines): what a
     * round's lines were (its first line's fault, its findings, each
     * fault's runs and lines: storm_count) and, for rounds alike
     * storm_rep_'s, the counter changes (then CEs counted, events) of a
     * round of such runs, confirmed when two rounds gave the same, and
     * the range of each fault's lines over the rounds that gave them */
    struct storm_fault {
        uint64_t id, runs, lines;
    };
    struct storm_key {
        uint64_t lead = 0, finds = 0, lines = 0;
        uint64_t folds = 0;              /* runs of more than a line (storm_count) */
        std::vector<storm_fault> faults; /* by id, those with lines */
        /* the lines between the poll's first read of the bank and its
         * clear, in order: (the access that counts it, its fault), and
         * the fault of the line before them (0: none since the last clear) */
        std::vector<std::pair<unsigned, uint64_t>> amid;
        uint64_t amid_prev = 0;
        bool same_runs(const storm_key &o) const;
    };
    struct storm_entry {
        storm_key key;
        std::vector<uint64_t> lo, hi; /* each fault's lines, the least and most seen */
        uint64_t lead_ps, lead_addr;  /* the round last noted */
        bool confirmed;
        std::vector<uint64_t> dv;
    };
    static constexpr size_t kStormEntriesMax = 64;
    fold_round storm_rep_;
    bool have_storm_ = false;
    uint64_t storm_busy_ = 0; /* the longest a poll's handling took after it */
    /* the walk's line (in pass storm_fail_pass_) up to which a storm's
     * fold plan failed its dry run: plans stop short of it */
    uint64_t storm_fail_line_ = UINT64_MAX, storm_fail_pass_ = 0;
    size_t still_from_ = 0, still_to_ = 0; /* fold_ctrs_ a round must leave as they are */
    std::vector<storm_entry> storm_;
    /* rank (may be null): each fault's lines below a, made those below b */
    static storm_key storm_count(const fault_footprint *fp, const uint64_t *ids, size_t n, uint64_t a, uint64_t b,
                                 uint64_t *rank = nullptr);
    static void storm_count(const fault_footprint *fp, const uint64_t *ids, size_t n, uint64_t a, uint64_t b,
                            uint64_t *rank, storm_key *k);
    /* wc: the walk's first line after the poll's clear, if known */
    bool storm_amid_key(const fault_footprint *fp, const uint64_t *ids, size_t n, const fold_round &r,
                        uint64_t poll, uint64_t from, storm_key *k, uint64_t wc = UINT64_MAX) const;
    void storm_note(const fold_round &r);
    const storm_entry *storm_find(const storm_key &k) const;
    /* A storm plan's windows keyed by another's (models/memctl/fold_slide.h):
     * a few learnt windows (shapes alternate), the last learnt replacing
     * the oldest, each with its entry and where fp[i] is in its faults */
    struct storm_slides {
        struct learnt {
            fold_slide s;
            const storm_entry *e = nullptr;
            int at[MEMCTL_FOLD_SET_MAX]; /* -1: none of fp[i]'s lines */
        };
        std::array<learnt, 4> w;
        size_t last = 0, oldest = 0;
        storm_slides(const fault_footprint *fp, size_t n, const scrubber &walk, uint64_t tail);
        /* Whether [a, b) holds a learnt window's runs moved up (rank[i]:
         * fp[i]'s lines below a): then *sw, *finds and *e, its entry, or
         * null when its lines of a fault lie outside the entry's ranges
         * (as storm_find) */
        bool match(const fault_footprint *fp, uint64_t a, uint64_t b, const uint64_t *rank, fold_slide_window *sw,
                   const storm_entry **e, uint64_t *finds);
        void learn(const fault_footprint *fp, const uint64_t *ids, uint64_t a, uint64_t b, const uint64_t *rank_a,
                   const uint64_t *rank_b, const storm_key &key, const storm_entry *e);
    };
    std::vector<memctl_scrub_event> fold_likes(const fold_round &rd, const memctl_scrub_event &ev,
                                               fault_footprint *fp = nullptr) const;
    bool fold_plan_storm(const fold_round &rd, const memctl_scrub_event &ev, uint64_t drive_at, uint64_t until,
                         uint64_t *k, uint64_t *lines, uint64_t *finds, uint64_t *end, std::vector<uint64_t> *sum);
    bool fold_plan_set(const fold_round &rd, const memctl_scrub_event &ev, const std::vector<quiet_timer> &polls,
                       uint64_t until, uint64_t *k, uint64_t *end);
    /* after a fold, a rebase by as much as what is pending allows
     * (host_quiet.cpp), in a thread of its own started on first use */
    void rebase_gap();
    void ask_rebase();
    void fold_rebase(uint64_t d, uint64_t now);
    /* (a snapshot's time counters, timers and finding) */
    void fold_rebase_snap(std::vector<uint64_t> &v, std::vector<uint64_t> &timer, memctl_scrub_event &ev, uint64_t d,
                          uint64_t now) const;
    /* The cycle fold (host_cycles.cpp): at each cycle's anchor (a CE
     * finding with no storm on and the controller's bank empty, after
     * another fault's finding), what every part's counters, the memory's
     * ledger, the errors by fate, the pages and the timers stand at; two
     * cycles in a row that changed them alike are a cycle the fold repeats
     * k times. */
    struct cycle_snap {
        std::vector<uint64_t> v, mem, timer;
        std::array<uint64_t, FATE__COUNT> fate{};
        std::array<uint64_t, FOUND__COUNT> found{};
        std::array<uint64_t, RR_LOG__COUNT> seen{};
        uint64_t line = 0, pass = 0, faults = 0, counted = 0, events = 0, pages = 0, entries = 0;
        uint64_t errors = 0, unsettled = 0, records = 0, storms = 0;
        std::array<uint64_t, 4> bank{}; /* the controller's bank: status, addr, misc, ctl2 */
        memctl_scrub_event ev{};
    };
    struct cycle_delta {
        std::vector<uint64_t> dv, dmem;
        std::vector<int> timer; /* per CPU: 1 moved by the cycle, 0 still, -1 unarmed, 2 polled */
        std::array<uint64_t, FATE__COUNT> fate{};
        std::array<uint64_t, FOUND__COUNT> found{};
        std::array<uint64_t, RR_LOG__COUNT> seen{};
        uint64_t T = 0, L = 0, counted = 0, events = 0, pages = 0, errors = 0;
        uint64_t storms = 0; /* storms begun (hv_storm_cpu::storms, summed over the CPUs) */
        std::vector<memctl_scrub_event> likes; /* a finding of each fault the cycle found, by id */
        memctl_scrub_event ev{};
        bool operator==(const cycle_delta &o) const;
    };
    cycle_snap cyc_snaps_[2];
    unsigned cyc_have_ = 0;
    cycle_delta cyc_ref_, cyc_last_;
    bool cyc_have_ref_ = false, cyc_have_last_ = false;
    std::vector<memctl_scrub_event> cyc_likes_; /* since the last anchor */
    bool cyc_mixed_ = false;                    /* a fault found two ways since then */
    memctl_scrub_event cyc_prev_{}, cyc_cur_{}; /* the finding before this one, and this one */
    size_t cyc_fold_at_ = SIZE_MAX, cyc_activity_at_ = SIZE_MAX; /* fold_ctrs_ a fold's own line moves (fold_build) */
    /* the trace events the folds' round_fold lines stand for, summed */
    uint64_t fold_stands_for_ = 0;
    void cycle_note(const memctl_scrub_event &ev);
    bool cycle_anchor(const memctl_scrub_event &ev) const;
    void cycle_take(cycle_snap &s, const memctl_scrub_event &ev);
    bool cycle_of(const cycle_snap &p, const cycle_snap &c, cycle_delta *d) const;
    bool cycle_less_polls(const cycle_delta &d, const cycle_delta &ref, cycle_delta *q) const;
    bool cycle_fold(const memctl_scrub_event &ev);
    void cycle_rebase(uint64_t d, uint64_t now);
    sc_core::sc_event rebase_ev_;
    bool rebase_thread_ = false;
    int host_rebase(uint64_t d, bool dry);
    bool hold_wakes(uint64_t upto, uint64_t *latest);
    void release_wakes(uint64_t upto);
};

/* The largest x in [lo, hi] with ok(x), for ok true at lo and, past
 * some x, false from there on (a bisection: the fold's plans ask it of
 * rounds, pages and periods). */
template <class Ok> uint64_t fold_last_where(uint64_t lo, uint64_t hi, Ok ok)
{
    while (lo < hi) {
        const uint64_t mid = lo + (hi - lo + 1) / 2;
        if (ok(mid))
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* host_fold.cpp: two findings alike (fault, outcome, device, status); two
 * rounds that made the same changes (y gets the busy windows of both) */
bool fold_same_finding(const memctl_scrub_event &a, const memctl_scrub_event &b);
/* the memory ledger's i-th word is one the walk moves (memctl_scrub_fold) */
bool fold_mem_varies(size_t i);
bool fold_same_round(const host_rt::fold_round &x, host_rt::fold_round &y);
/* The first page holding lines of both a (its lines in [afrom, ato]) and
 * b (in [bfrom, bto]), or UINT64_MAX; *count (may be null): how many do. */
/* fp's pages as a footprint of page numbers (its line pattern less the
 * bits below a page) */
fault_footprint fold_page_footprint(const fault_footprint &fp);
uint64_t fold_first_shared_page(const fault_footprint &a, uint64_t afrom, uint64_t ato, const fault_footprint &b,
                                uint64_t bfrom, uint64_t bto, uint64_t *count = nullptr);

#endif
