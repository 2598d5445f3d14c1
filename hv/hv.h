/*
 * hv.h - one instance of the hosted hypervisor MCA core.
 *
 * struct hv holds everything a Xen-style hypervisor keeps about machine
 * checks on one host: per-CPU handler state, the rendezvous barriers, the
 * logout lock, the telemetry pool, page states and the stop state. There
 * are no globals: a simulation with two hosts has two struct hv.
 *
 * Entry points are called on the CPU they name, from that CPU's simulated
 * thread, exactly where hardware would vector: hv_machine_check() for #MC
 * (vector 18), hv_cmci() for the CMCI interrupt, hv_poll_timer() when the
 * poll timer fires, hv_softirq() when the CPU leaves the handler,
 * hv_do_mca() for the MCA hypercall and hv_do_domctl() for dom0's
 * domain-control hypercall (migration).
 */
#ifndef HV_HV_H
#define HV_HV_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_cpuid.h"
#include "barrier.h"
#include "cmci_storm.h"
#include "decide.h"
#include "domain.h"
#include "ff.h"
#include "hv_platform.h"
#include "page_state.h"
#include "spinlock.h"
#include "telemetry.h"
#include "public/hv_report.h"
#include "public/hv_touch.h"

enum hv_owner {
    HV_OWNER_FREE = 0,      /* free heap page                          */
    HV_OWNER_XEN_IMAGE,     /* hypervisor text/data: is_xen_fixed_mfn  */
    HV_OWNER_XEN_HEAP,      /* hypervisor heap (PGC_xen_heap)          */
    HV_OWNER_XEN_PAGETABLE, /* hypervisor/P2M page tables: in use,
                             * owned by nobody (anonymous)             */
    HV_OWNER_DOMAIN,        /* owned by a domain                       */
    HV_OWNER_NOT_RAM,       /* not conventional RAM (MMIO, reserved)   */
    HV_OWNER__COUNT
};

struct hv_mem_region {
    uint64_t start_mfn, npages;
    enum hv_owner owner;
    unsigned domid;
    bool has_gfn;    /* the domain's frames start at gfn (else after its previous region) */
    uint64_t gfn;
};

/* A domain as the host configuration describes it. */
struct hv_domain_config {
    unsigned id;
    enum dom_type type;
    unsigned nvcpus;
    const unsigned *pcpu;      /* placement of each vCPU (nvcpus entries)  */
    struct vmce_policy vmce;
    unsigned cpuid_vendor, cpuid_family, cpuid_model; /* shown to the guest */
    bool pv_mca_driver;        /* HVM with a PV MCA driver                 */
    bool msr_relaxed;          /* Xen's msr_relaxed: xl.cfg, or dom0=msr-relaxed */
    bool mca_handler;          /* dom0: its mcelog binds VIRQ_MCA          */
    bool incoming;             /* created paused, to receive a migration   */
    enum dom_paging paging;    /* HVM: HAP (default) or shadow             */
    unsigned vcpus_up;         /* vCPUs the guest brings up (the first n);
                                * 0: all of them                          */
};

/* enum hv_broken_access: public/hv_policy.h */

struct hv_config {
    unsigned ncpus;                 /* 1..256 */
    uint64_t rendezvous_timeout_ps; /* 0: wait forever (Xen)       */
    unsigned telem_urgent, telem_nonurgent;
    unsigned cmci_threshold;        /* 0 disables CMCI             */
    uint64_t poll_initial_ps, poll_min_ps, poll_max_ps;
    bool lmce_on;                   /* firmware opted in to LMCE   */
    /* CPUID (arch/x86_cpuid.h): Xen picks its vendor code, quirks and
     * poller from them (mcheck_init, mce_is_broadcast, mce_firstbank) */
    enum cpu_vendor vendor;
    unsigned family, model;
    const struct hv_mem_region *regions; /* copied by hv_init      */
    unsigned nregions;
    const struct hv_domain_config *domains; /* dom0 must be one     */
    unsigned ndomains;
    enum hv_decider decider;
    enum hv_deferral deferral;      /* out of #MC context: softirq (Xen) or NMI */
    enum hv_broken_access broken_access;
    enum hv_storm_policy storm;     /* CMCI storm handling; set with
                                     * hv_config_set_storm (cmci_storm.h) */
    enum hv_restore_check restore_check; /* a restored vMCE record's caps */
    enum hv_memory_policy hv_memory;     /* errors in hypervisor memory  */
    enum hv_foreign_srar foreign_srar;   /* a consumer of another domain's page */
    enum hv_touch_policy hv_touch;       /* the hypervisor reading a broken frame */
    enum hv_guest_mca_ctl guest_mca_ctl; /* a guest's MCi_CTL and CR4.MCE */
    /* The vMCE design RFC's list of MSRs a guest reads as zero and writes
     * in vain where it would get #GP (not Xen: guest_msr.c). */
    uint32_t raz_msrs[HV_MAX_RAZ_MSRS];
    unsigned nraz_msrs;
    enum hv_handler_order order;    /* ORDER_XEN: Xen's flow and grading */
    enum hv_xen_version xen_version;
    bool xen_debug;                 /* a debug build: dprintk() prints   */
    /* Xen's boot options (command line): mce=0, mce_fb,
     * mce_verbosity=verbose. */
    bool mce_off, mce_fb, mce_verbose;
    enum hv_nmi_opt nmi;            /* nmi= (traps.c opt_nmi)          */
    /* Firmware-first CMC/CPE reporting (ff.h): the firmware holds the
     * records; ff_queue entries per pCPU and type (the firmware's log
     * capacity: SAL_GET_STATE_INFO_SIZE / record size). */
    bool firmware_first;
    unsigned ff_queue;
};

/* Defaults: Xen 4.20, the xen order, a release build, Xen's cmci-threshold
 * (2) and telemetry pool (10 + 20), an Intel Skylake-SP; the poll numbers
 * of the xen storm row (the linux order's poller; the xen order's come
 * from mce_nonfatal.c by vendor). */
void hv_config_defaults(struct hv_config *cfg, unsigned ncpus);

/* The rounds of one poll timer (poll_quiet.c): the xen order's poller
 * keeps them on CPU 0 (its timer drives every CPU's check), the Linux-style
 * poller on each CPU. What skip_quiet needs to replace empty rounds by
 * their count: when the last rounds began and ended, whether each found
 * nothing at the poller's longest interval, how many checks one made. */
struct hv_poll_rounds {
    uint64_t start_ps[2];   /* [0]: the last round's start, [1]: the one before */
    uint64_t end_ps[2];     /* their ends (the next timer armed)              */
    uint64_t len2;          /* the length of the round before those two       */
    unsigned quiet;         /* consecutive rounds that found nothing at the maximum interval */
    unsigned empty;         /* consecutive rounds that found nothing, at any interval */
    unsigned checks;        /* checks (hv_stats.polls) the last round made    */
    unsigned round_checks;  /* ... the running one, so far                    */
    uint64_t begun;         /* rounds begun (a caller tells which call began one) */
    bool running;           /* between the round's start and its end          */
    bool at_max;            /* the running round began at the maximum interval */
    bool found;             /* the running round found a valid bank           */
    /* the shortest round that found nothing, and how many were that long
     * (up to 2): a round a handler delayed runs longer, never shorter,
     * so two alike at the least are an idle CPU's round */
    uint64_t empty_len;
    unsigned empty_alike;
};

struct hv_cpu {
    unsigned nbanks;
    uint64_t mcg_cap;
    bool in_mce;        /* between #MC entry and IRET              */
    bool in_softirq;    /* inside the MCE softirq                  */
    bool in_nmi;        /* inside the deferral NMI's handler        */
    bool nmi_again;     /* an NMI nested in it: run the work again  */
    bool spinning;      /* waiting in a rendezvous or on a lock    */
    bool lmce;          /* the #MC being handled is local          */
    bool fatal;         /* found an error it cannot survive (linux) */
    bool found;         /* found at least one valid bank (linux)   */
    const char *fatal_rule;
    enum x86_exec_ctx ctx;
    uint32_t clear_banks; /* Xen's mce_clear_banks of this logout   */
    uint64_t poll_interval_ps;
    /* Banks the CMCI handler and poller of the linux order and of the
     * Linux storm policies (cmci_poll.c) scan: the ones this CPU took in
     * the CMCI discovery, and those without CMCI. */
    uint32_t owned;
    /* Xen's per-CPU masks (xen order): mce_banks_owned (banks whose CMCI
     * this CPU took in cmci_discover: the first CPU to set CMCI_EN in a
     * shared bank owns it, SDM 15.5.1), no_cmci_banks (banks that cannot
     * signal CMCI), poll_bankmask (what intel-nonfatal's poller reads,
     * set_poll_bankmask). */
    uint32_t cmci_owned, no_cmci, poll_mask;
    struct hv_storm_cpu storm; /* CMCI storm state (cmci_storm.h)    */
    /* The guest vCPU running on this pCPU (hv_set_current), DOMID_NONE
     * when none: who consumed an SRAR raised in guest context. */
    unsigned cur_domid, cur_vcpu;
    /* CPU hotplug (cpu_hotplug.c): out of Xen's cpu_online_map (a parked
     * CPU still takes #MC); was through mcheck_init once (the initcalls
     * ran); on_each_cpu work waiting for this CPU's call-function IPI. */
    bool offline;
    bool was_up;
    bool call_discover;
    struct hv_poll_rounds rounds; /* the poll timer this CPU drives */
};

/* Xen's enum mcheck_type: what a vendor's init made of the CPUs, as
 * show_mca_info prints it. */
enum xen_mcheck_type {
    XEN_MCHECK_UNSET = 0, XEN_MCHECK_NONE, XEN_MCHECK_AMD_FAMXX, XEN_MCHECK_AMD_K8,
    XEN_MCHECK_INTEL, XEN_MCHECK_HYGON,
};

/* The poller's statics (intel-nonfatal.c, amd_nonfatal.c): one timer on
 * CPU 0 whose function runs the check on every CPU (on_each_cpu), then
 * adjusts the period by how many CPUs found errors. */
struct hv_xen_poll {
    bool initcall;              /* every CPU is up: CPU 0 runs the initcall */
    const struct xen_poller *p; /* NULL: init_nonfatal_mce_checker started none */
    uint64_t period_ps;         /* `period`                                     */
    unsigned adjust;            /* CPUs that found errors this round (+ AMD's counter) */
    uint64_t dumpcount;         /* checks with errors while dom0 had no VIRQ_MCA */
    bool in_round;              /* the CPUs are checking                        */
    unsigned done;              /* CPUs done with this round's check            */
    unsigned ncalled;           /* CPUs on_each_cpu called (the online ones)    */
    bool hw_threshold;          /* amd_nonfatal: MC4_MISC's error counter in use */
};

struct xen_callbacks;

/* Xen's machine-check state (statics of mce.c and mce_intel.c), per host:
 * what boot decided and what the #MC handler and softirq share. */
struct hv_xen {
    /* mcheck_init: the vendor's callbacks (xen_callbacks.h); NULL while
     * mce_callbacks.handler is unexpected_machine_check (mce=0, no banks,
     * a CPU no vendor code takes) */
    const struct xen_callbacks *cb;
    enum xen_mcheck_type shown; /* show_mca_info's g_type              */
    bool poll_bankmask;         /* the boot CPU's poll_bankmask exists  */
    unsigned booted;            /* CPUs through mcheck_init: the last
                                 * one runs the initcalls (the poller)  */
    struct hv_xen_poll poll;
    /* intel_init_mca / mcheck_init, from the boot CPU */
    bool broadcast;           /* mce_broadcast (mce_is_broadcast)       */
    bool lmce_support;        /* LMCE enabled (intel_enable_lmce)       */
    bool ser_support;
    bool cmci_support;
    unsigned firstbank;       /* mce_firstbank: 1 on early P6           */
    uint32_t allbanks;        /* mca_allbanks (empty on 4.17)           */
    unsigned allbanks_num;    /* the bank count it was made for         */
    /* mcheck_cmn_handler */
    struct hv_xbarrier trap_bar;
    int severity_cpu;         /* last CPU that found an error, -1       */
    bool found_error;
    uint64_t fatal_cpus[4];   /* mce_fatal_cpus                         */
    /* mce_softirq */
    struct hv_xbarrier inside_bar, severity_bar;
    int sirq_severity_cpu;
    unsigned mcinfo_dumped;   /* mc_panic_dump's count, kept across panics */
};

/* struct hv_stats: public/hv_report.h */
struct hv {
    const struct hv_platform *plat;
    struct hv_config cfg;
    struct hv_mem_region *regions;
    struct hv_cpu *cpu;
    struct telem_pool telem;
    struct hv_barrier mce_bar;     /* #MC handler rendezvous          */
    struct hv_barrier softirq_bar; /* softirq rendezvous              */
    struct hv_spinlock logout_lock;   /* one CPU reads banks at a time */
    struct hv_spinlock discover_lock; /* one CPU runs CMCI discovery   */
    unsigned nonline;              /* num_online_cpus(): what the
                                    * rendezvous and on_each_cpu count */
    unsigned arrivals;             /* CPUs entered this #MC round (linux) */
    int monarch;                   /* first CPU in, -1 before (linux) */
    struct hv_xen x;               /* the xen handler order's state   */
    struct page_states pages;
    /* hv_fold_like_span's last answer: the first page after q whose
     * answer may differ, with pages' first n entries seen (a fold's walk
     * asks forward, and entries are only added) */
    struct {
        uint64_t q, end;
        unsigned n;
        bool valid;
    } like_span;
    struct domain *dom;
    unsigned ndom;
    bool stopped;
    enum hv_stop_kind stop_kind;
    char stop_reason[256];
    uint64_t next_rec_id;          /* record ids, from 1            */
    struct hv_stats stats;
    struct hv_ff ff;               /* firmware-first reporting (off: native) */
    /* real time = epoch_ps + the platform's time: the sum of the rebases
     * (rebase.c); records are stamped in real time */
    rtime_t epoch_ps;
};

int hv_init(struct hv *hv, const struct hv_config *cfg, const struct hv_platform *plat);
void hv_fini(struct hv *hv);

/* Per-CPU bring-up: read MCG_CAP, enable every bank (MCi_CTL = ~0,
 * MCG_CTL = ~0 when present), clear stale banks, set CMCI thresholds,
 * arm the poll timer. */
void hv_cpu_boot(struct hv *hv, unsigned cpu);

/* CPU hotplug (cpu_hotplug.c), Xen's cpu_down / cpu_up as the sysctl
 * XEN_SYSCTL_cpu_hotplug runs them. hv_cpu_down_check / hv_cpu_up_check:
 * their refusals (-EINVAL: CPU 0 or no such CPU; -EEXIST: already
 * offline / online), 0 when the operation goes ahead. Then, for an
 * offline: hv_cpu_dying on the dying CPU (CPU_DYING, __cpu_disable),
 * hv_cpu_dead on CPU 0, which ran the sysctl (CPU_DEAD: the CPUs are sent
 * their call-function IPI, platform call_function, and each runs
 * hv_call_function); for an online: hv_cpu_up on the CPU coming up
 * (CPU_UP_PREPARE, mcheck_init, into the online map). */
int hv_cpu_down_check(const struct hv *hv, unsigned cpu);
int hv_cpu_up_check(const struct hv *hv, unsigned cpu);
void hv_cpu_dying(struct hv *hv, unsigned cpu);
void hv_cpu_dead(struct hv *hv, unsigned cpu);
void hv_cpu_up(struct hv *hv, unsigned cpu);
void hv_call_function(struct hv *hv, unsigned cpu);
/* park_offline_cpus: an offline CPU stays parked with CR4.MCE set and
 * takes #MC (Intel and every vendor but AMD and Hygon, unless mce=0). */
bool hv_park_offline_cpus(const struct hv *hv);
static inline bool hv_cpu_online(const struct hv *hv, unsigned cpu)
{
    return cpu < hv->cfg.ncpus && !hv->cpu[cpu].offline;
}

void hv_machine_check(struct hv *hv, unsigned cpu);
void hv_softirq(struct hv *hv, unsigned cpu);
/* The NMI the #MC handler sent itself under `deferral: nmi`. */
void hv_nmi(struct hv *hv, unsigned cpu);
void hv_cmci(struct hv *hv, unsigned cpu);
void hv_poll_timer(struct hv *hv, unsigned cpu);

/* skip_quiet (poll_quiet.c): a poll timer whose rounds are steady finds
 * nothing, costs the same and keeps its interval, round after round, while
 * nothing else happens. hv_poll_steady: true when the timer cpu drives
 * (the xen order: CPU 0's; the Linux-style poller: each CPU's) ended two
 * such rounds in a row, one period apart in both start and end; *period_ps
 * gets that period (the interval plus the round's own cost), *busy_ps the
 * last round's length, *end_ps its end. hv_poll_skip: the hv as if k more
 * such rounds had run (the polls counted, the rounds' times moved on by k
 * periods), with one poll_skip trace event; the caller re-arms the timer
 * k periods later. */
bool hv_poll_steady(const struct hv *hv, unsigned cpu, uint64_t *period_ps, uint64_t *busy_ps,
                    uint64_t *end_ps);
void hv_poll_skip(struct hv *hv, unsigned cpu, uint64_t k, uint64_t period_ps);
/* hv_poll_skip without its trace event (the round fold says it in its own). */
void hv_poll_count(struct hv *hv, unsigned cpu, uint64_t k, uint64_t period_ps);
/* A linux-6 storm's poll timer whose last two rounds found nothing and
 * took as long: the same round again, a period (interval plus that
 * length) after the one before when the CPU is idle at its timer, while the banks
 * it reads stay empty, but for the 0 each shifts into the storming banks'
 * histories. *max_polls: how many more such rounds keep every storm on
 * (30 clean checks in a row end one). hv_poll_storm_count: k of them
 * counted (k <= *max_polls), the histories shifted, the caller re-arms
 * the timer k periods later. */
bool hv_poll_storm_steady(const struct hv *hv, unsigned cpu, uint64_t *period_ps, uint64_t *busy_ps,
                          uint64_t *max_polls);
void hv_poll_storm_count(struct hv *hv, unsigned cpu, uint64_t k, uint64_t period_ps);
/* A linux-6 storm's poll timer on cpu whose rounds each find a corrected
 * error in the banks of ce_banks (bit i: bank i) and in no other bank,
 * as when a CE waits in a storming bank at every poll (fleet linux-6
 * 5593: a miscorrecting fault's CE a row, read by the storm's poll a
 * second), or, now and then, find every bank empty.
 * hv_poll_storm_found_steady: the CPU polls at the storm's interval
 * (*interval_ps) and its storming banks are all among ce_banks, so rounds
 * that find the CE keep every storm on (each shifts a 1 into the bank's
 * history); *empty_len: how long a round that finds nothing takes on an
 * idle CPU (the shortest such round, seen twice; 0: not yet known);
 * *room: how many such rounds in a row from now keep every storm on,
 * *room_found: after a round that found the CE. hv_poll_storm_counted:
 * one such round counted, begun at start_ps and len_ps long, with one
 * check (hv_poll_timer's), found or not: the rounds' times, the checks,
 * the histories; what it logged is the caller's to count. */
bool hv_poll_storm_found_steady(const struct hv *hv, unsigned cpu, uint32_t ce_banks, uint64_t *interval_ps,
                                uint64_t *empty_len, unsigned *room, unsigned *room_found);
void hv_poll_storm_counted(struct hv *hv, unsigned cpu, uint64_t start_ps, uint64_t len_ps, bool found,
                           uint32_t ce_banks);

/* The round fold (round_fold.c, sim/runtime/host_fold.cpp): the counters a
 * handling round moves (fold_ctr.h; at most max into out, returns how many
 * there are: the statistics, record ids, telemetry order, each CPU's poll
 * rounds and storm state), and whether this hv's rounds keep no other
 * history (not linux-2.6's CMCI count per window, not firmware-first, not
 * stopped). */
struct fold_ctr;
size_t hv_fold_counters(struct hv *hv, struct fold_ctr *out, size_t max);
bool hv_round_foldable(const struct hv *hv);
/* A UC round's page (round_fold.c): the page entries are kept in the order
 * made, and a round that offlines a fresh page adds one. How many there
 * are; whether entries a and b ended alike (state, broken, freed, owner);
 * whether entry `like` is one a run may repeat (offlined: nothing changes
 * it when its owner goes); whether offline_page for mfn would make a fresh
 * entry as it made entry `like` (no entry of its own yet, in range, an
 * owner of the same kind: pages of runs are not asked, the platform
 * knows its own sets' pages, sim/runtime/host_fold.cpp); and a
 * run of `count` such pages in [lo, hi], the platform's set `key`, each
 * as entry `like` (0, or -ENOMEM/-EINVAL). hv_fold_page_sets: the
 * platform's answers for its sets (page_state.h). */
size_t hv_fold_npages(const struct hv *hv);
bool hv_fold_pages_alike(const struct hv *hv, size_t a, size_t b);
bool hv_fold_page_runnable(const struct hv *hv, size_t like);
bool hv_fold_page_like(struct hv *hv, uint64_t mfn, size_t like);
/* hv_fold_page_like for a page like like_mfn (no entry of its own, in
 * range, an owner of like_mfn's kind); whether pages a and b are both
 * offlined broken ones (an entry of their own or a run's) that ended
 * alike: a UC round in either finds its page broken, as in the other
 * (a fold's rounds in another fold's pages, sim/runtime/host_fold.cpp). */
bool hv_fold_page_owned_like(struct hv *hv, uint64_t mfn, uint64_t like_mfn);
bool hv_fold_broken_alike(const struct hv *hv, uint64_t a, uint64_t b);
/* The first page after mfn whose answer to hv_fold_page_like may differ
 * from mfn's (a memory region's edge, a page's own entry, the offline
 * range's end): every page between answers as mfn does. */
uint64_t hv_fold_like_span(struct hv *hv, uint64_t mfn);
struct page_set_ops;
void hv_fold_page_sets(struct hv *hv, const struct page_set_ops *ops);
int hv_fold_add_page_run(struct hv *hv, uint64_t key, uint64_t lo, uint64_t hi, uint64_t count, size_t like);
/* Whether a poll round may read `bank` (true when in doubt): a fold counts
 * the polls that fall within its rounds only when they cannot see the
 * bank a round's CE waits in. */
bool hv_poll_reads_bank(const struct hv *hv, unsigned bank);
/* The same for the poll timer of `cpu` alone: the linux order's poller of
 * a CPU scans the banks that CPU owns. */
bool hv_poll_timer_reads_bank(const struct hv *hv, unsigned cpu, unsigned bank);

/* Rebase (rebase.c, docs/TIME.md): the past times the hv compares with a
 * later now (poll rounds, storm windows and histories, the firmware-first
 * throttle's history) moved d_ps earlier, seen at now_ps. 0; -EBUSY
 * (nothing moves) while anything is in progress (an #MC, a softirq, an
 * NMI, a rendezvous, a poll round, firmware-first entries); -ERANGE when
 * d_ps is over PS_REBASE_D_MAX. epoch_ps grows by d_ps. */
int hv_can_rebase(const struct hv *hv, uint64_t d_ps, uint64_t now_ps);
int hv_rebase(struct hv *hv, uint64_t d_ps, uint64_t now_ps);

/* The MCA hypercall from domain `caller`; arg is a guest address of a
 * struct mca_hypercall. 0 or a negative errno. */
long hv_do_mca(struct hv *hv, unsigned caller, uint64_t arg);
/* The domain-control hypercall from domain `caller` (only dom0); arg is a
 * guest address of a struct domctl (public/domctl_abi.h). 0 or a negative
 * errno. */
long hv_do_domctl(struct hv *hv, unsigned caller, uint64_t arg);

/* The simulator is about to run vCPU `vcpu` of `domid` on `pcpu`
 * (DOMID_NONE: the pCPU runs no guest). */
void hv_set_current(struct hv *hv, unsigned pcpu, unsigned domid, unsigned vcpu);

/* Stop the host (panic / reset): console lines, final telemetry dump,
 * platform host_stop. Idempotent: the first reason wins. The linux
 * order's; the xen order panics with Xen's texts (mce_console.h). */
void hv_stop(struct hv *hv, unsigned cpu, enum hv_stop_kind kind, const char *reason);
/* Stop the host with `reason`, printing nothing (the caller printed). */
void hv_stop_quiet(struct hv *hv, unsigned cpu, enum hv_stop_kind kind, const char *reason);
/* The machine stopped for a reason the hv did not see (CPU shutdown). */
void hv_halt(struct hv *hv);

/* A PCI SERR NMI on the boot CPU (nmi.c: Xen's pci_serr_error under
 * nmi=): true when the NMI was passed on to dom0 (nmi_hwdom_report);
 * under "fatal" the host panics. */
bool hv_nmi_pci_serr(struct hv *hv);

/* Console line with printf formatting. */
void hv_printk(struct hv *hv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hv_trace(struct hv *hv, enum hv_stage st, unsigned cpu, int bank, uint64_t status,
              uint64_t seq, const char *detail);
/* Whether a detail formatted for hv_trace goes anywhere (hv_platform's
 * trace_details); a detail nothing but a trace file reads may be left
 * empty when not. */
bool hv_trace_details(const struct hv *hv);
/* A stage about record r (its seq), which the event carries for whoever
 * keeps the ground truth; about its bank entry `bank` (an index into
 * r->bank), or the whole record when bank is -1. */
void hv_trace_record(struct hv *hv, enum hv_stage st, unsigned cpu, const struct mca_record *r,
                     int bank, const char *detail);

/* True while cpu is inside the #MC handler or spinning in a rendezvous. */
bool hv_cpu_busy(const struct hv *hv, unsigned cpu);
/* Where a busy CPU is, for a hang report ("the #MC handler (...)", "the
 * MCE softirq (...)", "a spin lock"); NULL when it is not busy. */
const char *hv_cpu_stuck_in(const struct hv *hv, unsigned cpu);

/* Domains. */
struct domain *hv_domain(struct hv *hv, unsigned domid);
void hv_domain_crash(struct hv *hv, struct domain *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void hv_domain_pause(struct hv *hv, struct domain *d, const char *why);
/* PAUSED -> RUNNING; vCPUs holding a vMCE are raised again. 0 (also when
 * already running), or -EINVAL for a crashed or dying domain. */
int hv_domain_unpause(struct hv *hv, struct domain *d);
/* The domain goes away (DOM_DYING): its memory is freed, so its
 * offline-pending broken pages are offlined, and log-dirty mode ends.
 * Nothing happens to a domain already dying. */
void hv_domain_destroy(struct hv *hv, struct domain *d, const char *why);

/* What guests do that the hypervisor sees (guest_ops.c). MSR accesses
 * return 0 or -1 for #GP. */
int hv_guest_rdmsr(struct hv *hv, unsigned domid, unsigned vcpu, uint32_t msr, uint64_t *val);
int hv_guest_wrmsr(struct hv *hv, unsigned domid, unsigned vcpu, uint32_t msr, uint64_t val);
void hv_guest_set_cr4_mce(struct hv *hv, unsigned domid, unsigned vcpu, bool on);
void hv_guest_register_mce_callback(struct hv *hv, unsigned domid);
/* Guest CPU hotplug (guest_ops.c): the guest takes a vCPU offline
 * (VCPUOP_down) or brings it up (initialised the first time). 0, or
 * -ESRCH for no such domain or vCPU. */
int hv_guest_vcpu_down(struct hv *hv, unsigned domid, unsigned vcpu);
int hv_guest_vcpu_up(struct hv *hv, unsigned domid, unsigned vcpu);
/* The domain's vCPUs the guest has up and not taken down: its
 * num_online_cpus(); 0 for an unknown domain. */
unsigned hv_guest_vcpus_online(struct hv *hv, unsigned domid);
/* The vCPU takes its pending vMCE; false when none is pending (or the
 * vCPU is down). */
bool hv_guest_take_vmce(struct hv *hv, unsigned domid, unsigned vcpu);
/* The guest gave up (panic, triple fault): the domain is crashed. */
void hv_guest_crash(struct hv *hv, unsigned domid, const char *reason);
/* A guest load (or fetch) of guest-physical gaddr: 0 fine, 1 a vMCE was
 * injected for a broken frame, -1 the domain was crashed. */
int hv_guest_access(struct hv *hv, unsigned domid, unsigned vcpu, uint64_t gaddr, bool fetch);
/* The hypervisor is about to read domain `owner`'s frame at guest-physical
 * gaddr on `path` (hv_touch.c). touch: whether it loads the frame, and if
 * so, at paddr in context ctx (the hypervisor's, or the backend kernel's
 * for a grant mapping); rc: what the path answers (0, -EFAULT, -ESRCH,
 * HV_GNTST_BAD_PAGE). */
struct hv_touch {
    bool touch;
    int rc;
    enum x86_exec_ctx ctx;
    uint64_t paddr;
    const char *why; /* a static text for the trace */
};
void hv_touch_guest(struct hv *hv, enum hv_path path, unsigned owner, uint64_t gaddr, struct hv_touch *out);
/* The guest gives gfn back (XENMEM_decrease_reservation: Xen's
 * guest_remove_page): 0, the frame is freed and an offlining one offlined;
 * -EINVAL for a gfn broken in its p2m (get_gfn_query finds no frame);
 * -ENOENT for a gfn that maps nothing; -ESRCH for a domain that is gone. */
int hv_guest_remove_page(struct hv *hv, unsigned domid, uint64_t gfn);
/* A guest store to guest-physical gaddr: dirties the frame (if it is one
 * of the domain's) in log-dirty mode. 0, or -1 when the domain or vCPU
 * does not exist or the frame is broken (a broken frame is not writable). */
int hv_guest_write(struct hv *hv, unsigned domid, unsigned vcpu, uint64_t gaddr);

/* Deliver a vMCE for bank b of record r to domain d (vmce_deliver.c) and
 * return what became of the domain: MCA_ACT_VMCE, or MCA_ACT_CRASHED when
 * fill_vmsr_data or inject_vmce failed. vcpu: -1 for Xen's choice (a
 * broadcast with the error in vCPU 0, or the interrupted vCPU alone under
 * LMCE), or a vCPU an alternative policy names, which gets the error
 * itself. A paused domain is injected too and takes the vMCE when
 * unpaused; a crashed or dying one gets nothing (MCA_ACT_NONE). */
enum mca_rec_action hv_vmce_deliver(struct hv *hv, struct domain *d, const struct mca_record *r,
                                    const struct mca_bank_entry *b, uint64_t gaddr, int vcpu);

#endif
