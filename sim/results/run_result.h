/*
 * run_result.h - everything one simulation run produced, as plain C data:
 * the trace, the records, the console and dom0 logs, the ground truth of
 * every injected error, and each host's final state. Expectations
 * (expect.c) and every output format (results_json.c, trace_out.c) read
 * only this, after the SystemC kernel has finished.
 */
#ifndef SIM_RUN_RESULT_H
#define SIM_RUN_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/rtime.h"
#include "hv/public/hv_report.h"
#include "hv/public/mca_abi.h"
#include "models/cpu/cpu_mca.h"
#include "models/memctl/memctl.h"
#include "sim/results/latency.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/trace_stage.h"

struct rr_event {
    rtime_t t_ps;
    unsigned host;
    int cpu;             /* -1: not about a CPU (dom0 vCPU, injector) */
    enum trace_stage stage;
    int bank;
    uint64_t status;
    uint64_t seq;        /* record id, 0 when none */
    const char *detail;  /* NULL or text valid during trace_sink_event() */
    const struct mca_record *rec; /* NULL, or the record of an hv stage (ledger.h) */
};

/* What finally became of an injected error: the simulator knows. */
enum rr_fate {
    FATE_IN_BANK = 0,  /* still latched at the end (never read, or kept)   */
    FATE_LOGGED,       /* a telemetry record was committed for it           */
    FATE_PENDING,      /* read and reserved, never committed (host stopped) */
    FATE_DROPPED,      /* read, telemetry pool full: counted drop           */
    FATE_OVERWRITTEN,  /* lost in the bank; OVER tells software             */
    FATE_COUNTED,      /* merged into a logged CE's count                   */
    FATE_IGNORED,      /* graded invalid / not enabled: nothing to log      */
    FATE_REJECTED,     /* hardware did not latch it (bad bank)              */
    FATE_LOST,         /* read out and silently gone: a bug                 */
    FATE_DISMISSED,    /* read and recorded, the record dismissed: dom0
                        * never sees it (Xen's mctelem_dismiss)            */
    FATE__COUNT
};
const char *rr_fate_name(enum rr_fate f);

/* Who found an error: a scenario injection, or the memory model's patrol
 * scrubber, a demand read, or an LLC writeback. */
enum rr_found { FOUND_INJECTED = 0, FOUND_SCRUB, FOUND_DEMAND, FOUND_LLC, FOUND__COUNT };
const char *rr_found_name(enum rr_found f); /* "injected", "scrub", ... */

struct rr_error {
    unsigned id;         /* from 1, in the order the run latched them */
    bool folded;         /* bounded results: slot free, counted in rr_summary */
    rtime_t at_ps;
    unsigned host, cpu, bank;
    uint64_t status;
    enum cpu_latch_kind latch;
    enum rr_fate fate;
    uint64_t seq;        /* record id when one was reserved */
    int cls;             /* enum mca_rec_class once graded, -1 before */
    unsigned found_by;   /* enum rr_found */
    struct err_times times;
};

struct rr_record {
    unsigned host;
    bool folded;         /* bounded results: slot free, counted in rr_summary */
    uint64_t ord;        /* the order the run added it (bounded results) */
    bool delivered;      /* acked by dom0 */
    bool committed;      /* false: reserved but never committed */
    bool fetched;        /* dom0 fetched it (its mcelog has it)  */
    rtime_t fetched_ps;  /* when dom0 first fetched it           */
    /* The record as committed. Only bank[0, nbanks) exists: the results
     * keep it in the run's arena with room for rec_cap bank entries (its
     * own nbanks; every entry in bounded results, whose slots are reused).
     * Never copy *rec whole. */
    struct mca_record *rec;
    unsigned rec_cap;
};

struct rr_line {
    rtime_t t_ps;
    unsigned host;
    char *text;
};

/* One MCA MSR access of a guest kernel's vCPU (a VM exit, or a trapped
 * instruction of a PV kernel), as the guest saw it: the value it read or
 * wrote and whether the access #GP'd. What a guest's kernel logged is
 * derived from these (transcript_render.c). */
struct rr_guest_msr {
    rtime_t t_ps;
    unsigned host, domid, vcpu;
    bool write;
    bool gp;             /* the access raised #GP */
    uint32_t msr;
    uint64_t value;
};

struct rr_domain {
    unsigned id;
    unsigned type;              /* enum dom_type */
    unsigned state;             /* enum dom_state */
    char reason[192];
    unsigned processes_killed, pages_retired, guest_mces;
    uint64_t vmce_injected, msr_exits;
    unsigned nbroken;           /* broken gfns in its p2m */
};

/* A PCI Express function at the end of the run (expect.pcie): what dom0's
 * AER service and its drivers did with its errors, and its AER status. */
struct rr_pcie_dev {
    unsigned rid, owner;
    unsigned corrected, nonfatal, fatal, recovered, failed, resets, aerfail;
    unsigned calls[4], guest_calls[4];  /* enum aer_step order */
    uint32_t ue_status, ce_status;
};

/* CMCI and polling state of a CPU at the end (storm policies). */
struct rr_cmci {
    bool in_storm, cmci_enabled;
    uint64_t storms, poll_interval_ps;
};

/* Firmware-first reporting on a host (error_reporting: firmware-first):
 * the firmware's log (ground truth) and what the hv did with it. */
struct rr_fw {
    bool on;
    uint64_t logged, lost;       /* records the firmware stored / could not */
    uint64_t held;               /* still in the firmware's log at the end  */
    struct hv_ff_report hv;
};

struct rr_host {
    char name[SCN_NAME_LEN];
    enum scn_outcome outcome;
    char reason[256];
    unsigned ncpus;
    struct cpu_mca *regs;       /* final register files */
    struct rr_cmci *cmci;       /* per CPU */
    struct telem_stats telem;
    unsigned undelivered;       /* committed, not acked at the end */
    struct hv_stats stats;
    struct page_entry *pages;   unsigned npages;
    /* every page with a state (npages of them listed: bounded results
     * list the first `keep` by MFN), and how many are offlined, pending */
    uint64_t pages_total, pages_offlined, pages_pending;
    struct rr_domain *domains;  unsigned ndomains;
    bool has_memory;
    uint64_t memory_faults;      /* DRAM faults placed (events and field rates) */
    struct memctl_ledger memory; /* ground truth of the memory model */
    struct rr_pcie_dev *pcie;   unsigned npcie; /* scn_host.pcie.devs order */
    unsigned pcie_interrupts, pcie_link_resets, pcie_serr;
    struct rr_fw fw;
    /* Errors hardware folded into an entry already in a bank, kept as
     * counts, not as struct rr_error: CEs counted on a logged CE
     * (FATE_COUNTED) and errors lost behind a UC (FATE_OVERWRITTEN, latch
     * "overflow"). No software ever reads one of them on its own. */
    uint64_t errors_counted, errors_overflowed;
    struct memctl_fault_truth *fault_truth; unsigned nfault_truth; /* per DRAM fault */
    /* Bounded results (rr_set_bounded): this host's errors and records
     * folded into counts (rr_summary holds the run's), so that its
     * summary in results.json counts every one */
    uint64_t folded_errors, folded_fate[FATE__COUNT];
    uint64_t folded_cls[MCA_REC__COUNT], folded_recovered, folded_tainted;
};

/* One live migration, as the simulator saw it (ground truth included). */
struct rr_migration {
    unsigned domain, from, to;
    rtime_t start_ps, pause_ps, end_ps;    /* 0: not reached */
    enum scn_mig_outcome outcome;
    char reason[192];
    unsigned iterations;         /* live iterations done, the last one included */
    unsigned rechecks;           /* V4 step 8 loops taken                        */
    uint64_t pages_sent, broken_sent, bytes_sent;
    /* integrity at the end (success or data loss only) */
    uint64_t pages_checked, pages_lost, needless_broken, broken_on_target;
    uint64_t first_lost_gfn;     /* valid when pages_lost */
    char mce_case[16];           /* where the first MCE on its pages hit: "" none */
};

/* The answer a probe event got (expect.msrs, expect.calls), in event
 * order. */
struct rr_probe {
    rtime_t t_ps;
    unsigned host;
    enum scn_event_kind kind;   /* SCN_EV_MSR, _HYPERCALL, _BALLOON, _DESTROY */
    bool done;                  /* answered before the run ended */
    /* MSR probes */
    int domain;                 /* -1: a host CPU */
    unsigned cpu;               /* the host CPU or the vCPU */
    uint32_t msr;
    bool write, gp;
    uint64_t value;             /* read, or written; for physcpuinfo: the
                                 * first entry's mc_vendor */
    /* calls */
    long long rc;
    uint64_t status;            /* the command's out value */
};

#define RR_ARRAY(T, name) T *name; unsigned n_##name, cap_##name

/* Bump allocation in 1 MiB chunks, freed together: the records and (unless
 * bounded) the log lines of a run, without a malloc per entry. */
struct rr_arena {
    char **chunk; unsigned n, cap;
    size_t used, size;   /* of the last chunk */
    uint64_t bytes;      /* handed out in all */
};

/* State of one latency expectation: first `from`, then first `to`. */
struct rr_lat {
    bool have_from, have_to;
    rtime_t t_from, t_to;
};

enum rr_log { RR_CONSOLE = 0, RR_DOM0_LOG, RR_GUEST_LOG, RR_LOG__COUNT };

/* Bounded results (rr_set_bounded): a run whose record keeps counts
 * instead of every entry, so its memory does not grow with its length
 * (campaign host-runs, which only tabulate outcomes). Records acked by
 * dom0 past the first `keep` are folded into counts; each log keeps its
 * first and last `keep` lines. Nothing is dropped silently: every folded
 * record and summarized line is counted here. */
struct rr_summary {
    unsigned keep;                         /* 0: keep everything (default) */
    uint64_t records;                      /* records folded into counts   */
    uint64_t records_class[MCA_REC__COUNT];/* of them, by the record's cls */
    uint64_t records_fetched;              /* of them, fetched by dom0     */
    uint64_t errors;                       /* errors folded into counts    */
    uint64_t errors_fate[FATE__COUNT];     /* of them, by fate             */
    uint64_t errors_found[FOUND__COUNT];   /* of them, by who found them   */
    unsigned *free_errors; unsigned n_free_errors, cap_free_errors;
    unsigned next_error_id;
    uint64_t lines[RR_LOG__COUNT];         /* per enum rr_log: summarized  */
    uint64_t lines_seen[RR_LOG__COUNT];    /* per enum rr_log: every line  */
    unsigned *free_records; unsigned n_free, cap_free; /* folded slots    */
    uint64_t next_ord;
};

struct run_result {
    const struct scenario *scn;
    uint64_t seed;
    rtime_t end_ps;
    struct rr_host *hosts;  unsigned nhosts;
    uint64_t nevents;       /* trace events (streamed, not kept) */
    uint64_t stage_count[TS__COUNT];
    struct rr_lat *lat;     /* one per scn->expect.latency */
    RR_ARRAY(struct rr_error, errors);
    RR_ARRAY(struct rr_record, records);
    RR_ARRAY(struct rr_line, console);
    RR_ARRAY(struct rr_line, dom0_log);
    RR_ARRAY(struct rr_line, guest_log);
    RR_ARRAY(struct rr_guest_msr, guest_msrs);
    RR_ARRAY(struct rr_migration, migrations);
    RR_ARRAY(struct rr_probe, probes);
    struct rr_summary summary;
    struct rr_arena arena;  /* records' bodies; log texts unless bounded */
};

void rr_init(struct run_result *r, const struct scenario *s, unsigned nhosts);
void rr_free(struct run_result *r);
struct rr_error *rr_add_error(struct run_result *r);
/* A record slot holding a copy of rec's header and banks (rec NULL: a
 * zeroed record with room for every bank entry). */
struct rr_record *rr_add_record(struct run_result *r, const struct mca_record *rec);
struct rr_migration *rr_add_migration(struct run_result *r);
struct rr_guest_msr *rr_add_guest_msr(struct run_result *r);
/* A probe's slot, taken when its event fires (so results keep event
 * order); its index, which stays valid as the array grows. */
unsigned rr_add_probe(struct run_result *r);
void rr_add_line(struct run_result *r, enum rr_log which, rtime_t t_ps, unsigned host, const char *text);
/* Line n (from 0, in the order added) of log `which` as the run keeps it
 * before rr_finish, or NULL when it is not kept (bounded results: past
 * the first keep and not among the last keep) or not yet added. */
const struct rr_line *rr_log_line(const struct run_result *r, enum rr_log which, uint64_t n);

/* Bounded results: keep counts, the first `keep` records and the first and
 * last `keep` lines of each log (0: keep everything, the default). Call
 * right after rr_init. */
void rr_set_bounded(struct run_result *r, unsigned keep);
/* Record `i` (an index of records) is settled (dom0 acked it): in bounded
 * mode past the first `keep`, fold it into r->summary and free its slot
 * (its index is then invalid). true when folded. */
bool rr_fold_record(struct run_result *r, unsigned i);
/* Error `i` is settled (its record acked, nothing refers to it): in
 * bounded mode past the first `keep`, fold it into r->summary and free its
 * slot. true when folded. */
bool rr_fold_error(struct run_result *r, unsigned i);
/* The run ended: put the kept records and lines back in the order the
 * run added them (bounded mode; nothing to do otherwise). */
void rr_finish(struct run_result *r);
/* Every record of the run, kept or folded, and per class (the record's
 * cls: an array of MCA_REC__COUNT). */
uint64_t rr_records_total(const struct run_result *r);
void rr_records_by_class(const struct run_result *r, uint64_t out[MCA_REC__COUNT]);
/* Every error of the run, kept or folded, and per fate (FATE__COUNT). */
uint64_t rr_errors_total(const struct run_result *r);
void rr_errors_by_fate(const struct run_result *r, uint64_t out[FATE__COUNT]);
/* Every line of a log, kept or summarized. */
uint64_t rr_lines_total(const struct run_result *r, enum rr_log which);

/* The round fold (rr_fold.c, bounded results only): the counters a round
 * moves (fold_ctr.h; at most max into out, returns how many there are);
 * whether the first keep records and errors exist (rounds that begin now
 * make counts: the fold asks it of the first round it compares); whether
 * rounds that begin with seen[w] lines in log w and write per_round[w]
 * each can be folded (the ring of the last keep lines is full and the
 * round after the fold writes all of it again); k more settled errors of one fate and finder,
 * straight into the counts (the run's and host's). */
struct fold_ctr;
size_t rr_fold_counters(struct run_result *r, struct fold_ctr *out, size_t max);
bool rr_fold_ok(const struct run_result *r);
bool rr_fold_logs_ok(const struct run_result *r, const uint64_t seen[RR_LOG__COUNT],
                     const uint64_t per_round[RR_LOG__COUNT]);
void rr_fold_add_errors(struct run_result *r, unsigned host, uint64_t k, enum rr_fate fate, enum rr_found found);
/* The cycle fold (sim/runtime/host_cycles.cpp): k cycles more of log w,
 * which writes per lines a cycle, each cycle's lines the cycle before's
 * dt later. _ok: whether that can be folded - no lines, or a whole ring
 * a cycle with the ring full (the real cycle after the fold writes it all
 * again, the counters move by k cycles), or fewer, whose last two cycles'
 * lines are stored and alike (the same host and text, dt apart).
 * rr_fold_cycle_log: such lines (fewer than keep a cycle) added, the
 * first keep and the ring's written as rr_add_line would, the others
 * counted (lines_seen, lines); nothing for a whole ring a cycle. */
bool rr_fold_cycle_log_ok(const struct run_result *r, enum rr_log w, uint64_t per, uint64_t dt);
void rr_fold_cycle_log(struct run_result *r, enum rr_log w, uint64_t per, uint64_t k, uint64_t dt);
/* Of rr_fold_counters' list, the ones a round must leave as they are (the
 * error counts, which a sweep of the live errors moves): how many, the
 * first's index in *first. */
size_t rr_fold_still(struct run_result *r, size_t *first);

#endif
