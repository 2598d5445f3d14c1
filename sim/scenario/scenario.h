/*
 * scenario.h - a scenario file in memory: platform, policy, domains, a
 * timeline of events and the expectations checked after the run.
 *
 * scenario_load() parses YAML (libyaml) into this struct and validates
 * every key and value; any problem is reported as file:line:column with a
 * hint, and nothing runs. docs/SCENARIOS.md documents every key. All
 * times are in picoseconds (SystemC resolution), all sizes in bytes.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arch/rtime.h"
#include "arch/x86_context.h"
#include "hv/public/hv_policy.h"
#include "models/cpu/cpu_cost.h"
#include "models/cpu/cpu_mca.h"
#include "models/memctl/field_rates.h"
#include "sim/scenario/trace_stage.h"

#define SCN_NAME_LEN 64
#define SCN_TEXT_LEN 256
#define SCN_TIME_FOREVER UINT64_MAX

struct scn_loc {
    unsigned line, col; /* 1-based position in the file */
};

struct scn_cost_override {
    enum cpu_cost_op op;
    uint32_t cycles;
};

/* Who owns a range of host-physical memory (for the memory-error handler). */
enum scn_owner {
    SCN_OWNER_FREE = 0,     /* free heap: offline at once          */
    SCN_OWNER_XEN_IMAGE,    /* hypervisor text/data: critical      */
    SCN_OWNER_XEN_HEAP,     /* hypervisor heap: offline pending    */
    SCN_OWNER_XEN_PAGETABLE,/* hypervisor / p2m page tables: critical */
    SCN_OWNER_DOMAIN,       /* a domain's memory: pending, owner told */
    SCN_OWNER_NOT_RAM,      /* not conventional RAM (MMIO, reserved) */
    SCN_OWNER__COUNT
};

struct scn_region {
    uint64_t start, size;   /* bytes, 4 KiB aligned */
    enum scn_owner owner;
    unsigned domid;         /* with SCN_OWNER_DOMAIN */
    bool has_gaddr;         /* gaddr: given (else after the domain's previous region) */
    uint64_t gaddr;         /* where the region starts in the domain, bytes, 4 KiB aligned */
    struct scn_loc loc;
};

/* The memory model of a host (models/memctl): absent unless `dram:`. */
struct scn_dram {
    bool present;
    unsigned channels, dimms, ranks, banks, rows, columns, width, ecc_devices; /* 0: default */
    unsigned ecc;               /* 0 secded, 1 chipkill */
    bool scrub;                 /* patrol scrubber on */
    uint64_t scrub_period_ps;   /* full pass; default 24 h */
    unsigned scrub_signal;      /* SRAO signalled by 0 #MC, 1 CMCI */
    unsigned mc_bank, mc_cpu;   /* MCA bank of the memory controller, and the CPU it is on */
    unsigned core_bank;         /* bank a consuming CPU logs SRAR in */
    unsigned llc_bank;          /* bank of the last-level cache (SRAO 0x17A) */
    uint64_t read_latency_ps;
    rtime_t fr_span_ps;         /* field_rates: draw faults over this span (0: off); over
                                 * SCV_TIME_MAX_PS only up to the duration */
    uint64_t fr_scale;          /* acceleration of the FIT rates */
    struct field_rates fr_fit;  /* the FIT table (default: the built-in jaguar) */
    bool spare_rank;            /* one online-spare rank per controller */
    uint64_t spare_rate;        /* its copy: bytes per second (read + write of each line) */
};

/* PCI Express (models/pcie/, guests/dom0/aer.h): one Root Port per host
 * and the functions on its secondary bus. */
#define SCN_MAX_PCIE_DEVS 16
/* A function's driver (guests/dom0/aer.h enum aer_drv_kind order). */
enum scn_pcie_drv {
    SCN_PCIE_DRV_RECOVERS = 0, SCN_PCIE_DRV_NEEDS_RESET, SCN_PCIE_DRV_DISCONNECTS, SCN_PCIE_DRV_NO_HANDLER,
    SCN_PCIE_DRV_UNBOUND, SCN_PCIE_DRV__COUNT
};
const char *scn_pcie_drv_name(unsigned d);

struct scn_pcie_dev {
    char name[SCN_NAME_LEN];
    unsigned rid;               /* bus:dev.fn as a Requester ID */
    unsigned owner;             /* domid: 0 dom0, else passed through */
    unsigned driver;            /* enum scn_pcie_drv: dom0's (owner 0) */
    unsigned guest_driver;      /* enum scn_pcie_drv: the guest's (pass-through) */
    bool reporting;             /* Device Control's error reporting enables set */
    bool has_ue_mask, has_ue_fatal, has_ce_mask;
    uint32_t ue_mask, ue_fatal, ce_mask; /* replace the registers' defaults */
    struct scn_loc loc;
};

struct scn_pcie {
    bool present;
    unsigned root_port;         /* the Root Port's Requester ID */
    struct scn_pcie_dev *devs;  unsigned ndevs;
    struct scn_loc loc;
};

/* How the platform reports errors: the OS reads the MCA banks (native),
 * or the firmware reads them and keeps records the OS fetches from it
 * (firmware-first; models/fw, hv/ff.h). */
enum scn_reporting { SCN_REPORT_NATIVE = 0, SCN_REPORT_FIRMWARE_FIRST, SCN_REPORT__COUNT };

/* The firmware of a firmware-first host (`firmware:`). */
struct scn_firmware {
    uint64_t state_info_size;   /* bytes of record log per CPU and type; default 4096 */
    uint64_t record_size;       /* bytes per record; default 1024 */
    unsigned ghes_v2;           /* the GHES error source: 0 GHES (v1), 1 GHESv2 */
};

struct scn_host {
    char name[SCN_NAME_LEN];
    unsigned ncpus;             /* 1..256 */
    unsigned nbanks;            /* 1..32  */
    uint64_t mcg_cap_flags;     /* MCG_*_P bits from mcg_cap: [...] */
    struct cpu_model_id id;     /* cpu: "intel:6:0x55" */
    char cost_model[SCN_NAME_LEN]; /* preset name (cpu_cost_preset) */
    struct scn_cost_override costs[COST__COUNT];
    unsigned ncosts;
    bool lmce_on;               /* firmware enabled LMCE (FEATURE_CONTROL) */
    uint32_t shared_banks;      /* banks all CPUs of the host share (uncore) */
    uint32_t core_banks;        /* banks the threads of one core share       */
    unsigned threads_per_core;  /* hardware threads per core (1: no SMT)     */
    uint32_t no_cmci_banks;     /* banks whose MCi_CTL2 keeps no CMCI_EN */
    unsigned cmci_max_threshold; /* MCi_CTL2 threshold hardware implements, 1..0x7FFF */
    struct scn_region *regions;
    unsigned nregions;
    struct scn_dram dram;
    struct scn_pcie pcie;
    enum scn_reporting reporting;
    struct scn_firmware fw;
    struct scn_loc loc;
};

enum scn_poll_policy { SCN_POLL_XEN = 0, SCN_POLL__COUNT };


/* Migration policies (vMCE design RFC and V4 broken-page migration patch,
 * xen-devel 2012; Xen's vmce_restore_vcpu). */
enum scn_mig_on_vmce { SCN_MIG_CONTINUE = 0, SCN_MIG_ABORT };
/* The guest's MCG_CAP across a pool of hosts: saved in the stream and
 * restored when Xen's fixed set allows it (xen, vmce_restore_vcpu), the
 * least common set of the pool from boot (level), the source's caps with
 * the target refusing what it cannot back (refuse, -EINVAL), or not saved
 * at all: the target shows its own and the guest keeps what it read at
 * boot (host, Xen before e1dc98e3c3). */
enum scn_mig_caps { SCN_MIG_CAPS_XEN = 0, SCN_MIG_CAPS_LEVEL, SCN_MIG_CAPS_REFUSE, SCN_MIG_CAPS_HOST };
/* What the receiving toolstack does with a BROKEN frame type: mark the gfn
 * broken (Xen 4.3, b7a98e60d4) or leave it unpopulated (stream v2). */
enum scn_mig_restore_broken { SCN_MIG_MARK_BROKEN = 0, SCN_MIG_SKIP_BROKEN };

/* Who takes a Root Port's error messages: dom0's AER service (aer, the
 * default: Linux's native AER), or nobody in dom0 and the firmware's
 * Root Control system-error enables (serr: an NMI to Xen). What the
 * toolstack does with xen-pciback's aerState = aerfail: nothing (libxl,
 * which does not watch it) or power the guest off (xend, Xen 4.4 and
 * before). */
enum scn_pcie_reporting { SCN_PCIE_AER = 0, SCN_PCIE_SERR };
enum scn_aerfail { SCN_AERFAIL_LIBXL = 0, SCN_AERFAIL_XEND };

struct scn_policy {
    uint64_t rendezvous_timeout_ps; /* 0 = none (Xen): spin forever */
    enum hv_decider decider;        /* who handles errors in guest memory */
    enum hv_deferral deferral;      /* out of #MC context: softirq (Xen) or NMI */
    enum hv_broken_access broken_access; /* guest touching a broken frame */
    uint64_t sched_delay_ps;        /* before a vCPU runs its vMCE handler */
    enum hv_storm_policy storm;     /* CMCI storm handling */
    unsigned telem_urgent;          /* default 10 */
    unsigned telem_nonurgent;       /* default 20 */
    enum scn_poll_policy poll;
    unsigned cmci_threshold;        /* default 2; 0 disables CMCI */
    enum scn_mig_on_vmce mig_on_vmce;       /* default continue */
    enum scn_mig_caps mig_caps;             /* default xen */
    enum scn_mig_restore_broken mig_restore_broken; /* default mark */
    enum hv_memory_policy hv_memory;        /* errors in hypervisor memory */
    enum hv_foreign_srar foreign_srar;      /* a consumer of another's page */
    enum hv_touch_policy hv_touch;          /* the hypervisor reading a broken frame */
    enum hv_guest_mca_ctl guest_mca_ctl;    /* a guest's MCi_CTL and CR4.MCE */
    uint32_t raz_msrs[HV_MAX_RAZ_MSRS];     /* read as zero instead of #GP (vMCE RFC) */
    unsigned nraz_msrs;
    enum hv_handler_order handler_order;    /* default xen */
    enum hv_xen_version xen_version;        /* default 4.20 */
    bool xen_debug;                         /* default false: a release build */
    /* boot: Xen's command-line options mce=0, mce_fb, mce_verbosity */
    bool boot_mce_off, boot_mce_fb, boot_mce_verbose;
    enum hv_nmi_opt boot_nmi;               /* nmi=; default: by build */
    enum scn_pcie_reporting pcie_reporting; /* default aer */
    enum scn_aerfail aerfail;               /* default libxl */
};

/* The network between hosts: every pair of hosts is joined by one link
 * like this (a dedicated migration network). */
struct scn_link {
    uint64_t bytes_per_s;       /* default 1.25e9 (10 Gbit/s) */
    uint64_t latency_ps;        /* one way; default 50 us */
    struct scn_loc loc;
};

enum scn_domain_type { SCN_DOM_DOM0 = 0, SCN_DOM_PV, SCN_DOM_HVM, SCN_DOM__COUNT };

#define SCN_MAX_VCPUS 64

/* The guest kernel model (guests/linux_guest.h enum guest_kind order). */
enum scn_guest { SCN_GUEST_LINUX = 0, SCN_GUEST_PV_NOCALLBACK, SCN_GUEST_STRICT, SCN_GUEST_NONE, SCN_GUEST__COUNT };

/* Banks past the count: read as zero (Xen) or #GP (the old bug). */
enum scn_past_count { SCN_PAST_ZERO = 0, SCN_PAST_GP };

/* dom0's answer when the hypervisor defers a DomU's error to it. */
enum scn_dom0_action { SCN_D0_NOTIFY = 0, SCN_D0_KILL, SCN_D0_SAVE, SCN_D0_IGNORE, SCN_D0__COUNT };

/* What dom0 does when a page over its CE count belongs to a DomU (the
 * offline request answers PENDING|OWNED): leave it to the offlining (Xen's
 * way), or, Egger's case II under the seed000 decider, move the DomU off
 * this host before an uncorrected error comes: live migration, or save and
 * restore (paused for the whole copy). */
enum scn_ce_domu { SCN_CE_DOMU_OFFLINE = 0, SCN_CE_DOMU_MIGRATE, SCN_CE_DOMU_SAVE_RESTORE, SCN_CE_DOMU__COUNT };

struct scn_vmce {
    unsigned banks;             /* 1, 2 (default, Xen) or 32; 0 = the host's count ("host") */
    bool ser_p, cmci_p, tes_p, lmce_p;
    unsigned saved_by;          /* 0 "4.20", 1 "4.2" */
    bool saved_by_4_2;          /* saved_by: "4.2": Xen 4.2's interface and record */
    bool caps_given;            /* ser_p, cmci_p or tes_p written: else Xen's
                                 * set for the host's vendor */
    enum scn_past_count past_count;
    bool kill_on_bank0_quirk;
};

struct scn_domain {
    unsigned id;
    char name[SCN_NAME_LEN];
    enum scn_domain_type type;
    unsigned host;              /* index into hosts */
    bool mcelog;                /* dom0 runs the mcelog daemon (binds VIRQ_MCA) */
    uint64_t mcelog_start_ps;   /* when the daemon starts */
    unsigned nvcpus;            /* 1..SCN_MAX_VCPUS */
    unsigned pcpu[SCN_MAX_VCPUS]; unsigned npcpu; /* placement; default vCPU i on pCPU i */
    enum scn_guest guest;       /* the guest kernel model */
    struct cpu_model_id cpuid;  /* what the guest is shown; default the host's */
    bool has_cpuid;
    struct scn_vmce vmce;
    bool pv_mca_driver;         /* HVM: a PV MCA driver */
    bool msr_relaxed;           /* Xen's msr_relaxed (xl.cfg; dom0=msr-relaxed) */
    unsigned paging;            /* HVM: 0 hap, 1 shadow */
    unsigned vcpus_online;      /* vCPUs the guest brings up; 0: all */
    unsigned strict_banks;      /* strict guest: banks it expects */
    enum scn_dom0_action dom0_action;
    bool has_save_to;           /* dom0_action: save also restores the DomU on save_to */
    unsigned save_to;
    /* dom0's mcelog-style CE accounting (counts per window; 0 = off) */
    uint64_t wl_rate_hz, wl_working_set; /* workload: 0 rate = none */
    unsigned wl_write_pct, wl_user_pct;
    bool ce_offline;
    unsigned ce_page, ce_dimm, ce_socket;
    uint64_t ce_window_ps;
    enum scn_ce_domu ce_domu;   /* a DomU's page over its count */
    unsigned ce_to;             /* host it moves the DomU to (not offline) */
    unsigned ce_dimm_action;    /* a DIMM over its count: 0 warn, 1 spare, 2 mirror (ask for the spare rank) */
    uint64_t fw_read_delay_ps;  /* dom0, firmware-first: interrupt to get-state-info */
    struct scn_loc loc;
};

enum scn_signal { SCN_SIGNAL_AUTO = 0, SCN_SIGNAL_MCE, SCN_SIGNAL_CMCI, SCN_SIGNAL_NONE };

struct scn_inject {
    unsigned host, cpu, bank;
    uint64_t status, addr, misc;
    bool has_mcg_status;        /* explicit mcg_status given */
    uint64_t mcg_status;
    enum scn_signal signal;     /* auto: as hardware would */
    bool local;                 /* LMCE: only this CPU */
    bool no_broadcast;          /* broadcast: false: software raises #MC on this CPU alone */
    bool raw;                   /* raw: true: the registers as an injector writes them (cpu_mca_write_raw) */
    int context;                /* enum x86_exec_ctx, or -1: the CPU's current context */
    int ripv, eipv;             /* -1: as hardware would, else 0/1 */
};

/* How the sending toolstack reads a page: with the CPU (a poisoned line
 * is consumed: SRAR in dom0 user context), or by zero-copy DMA from the
 * NIC (no CPU consumes it: the corrupt line goes out on the wire). */
enum scn_mig_copy { SCN_MIG_COPY_CPU = 0, SCN_MIG_COPY_DMA };

/* A live migration (pre-copy, the V4 patch's steps) started by dom0's
 * toolstack on the domain's host. */
struct scn_migrate {
    unsigned domain;            /* domid, not dom0 */
    unsigned to;                /* target host index, not the domain's host */
    unsigned max_iters;         /* live iterations before the last; default 29 */
    unsigned batch;             /* pages per batch, 1..1024; default 1024 */
    uint64_t dirty_threshold;   /* pages: go to the last iteration below it; default 50 */
    bool recheck_types;         /* V4 step 8: query types again after sending */
    enum scn_mig_copy copy;     /* default cpu */
    bool cold;                  /* save/restore: paused for the whole copy */
};

enum scn_event_kind {
    SCN_EV_INJECT = 0,  /* hardware logs an error into a bank and signals it */
    SCN_EV_CONTEXT,     /* set what a CPU is executing                      */
    SCN_EV_CR4_MCE,     /* set CR4.MCE on a CPU                             */
    SCN_EV_STALL,       /* a CPU stops responding (SMM, wedged) for a while */
    SCN_EV_GUEST_ACCESS,/* a guest vCPU touches one of its frames           */
    SCN_EV_DRAM_FAULT,  /* a DRAM fault appears                             */
    SCN_EV_MEM_READ,    /* a CPU reads a line from memory                   */
    SCN_EV_MEM_WRITE,   /* a CPU writes a whole line                        */
    SCN_EV_LLC_EVICT,   /* the LLC writes a line back (explicit writeback)  */
    SCN_EV_MIGRATE,     /* dom0's toolstack live-migrates a domain          */
    SCN_EV_MSR,         /* a guest vCPU or a host CPU reads or writes an MSR */
    SCN_EV_HYPERCALL,   /* a domain makes the MCA hypercall                 */
    SCN_EV_BALLOON,     /* a guest gives a page back (decrease_reservation) */
    SCN_EV_DESTROY,     /* the toolstack destroys a domain                  */
    SCN_EV_HV_ACCESS,   /* the hypervisor reads a domain's frame on a path  */
    SCN_EV_PCIE_ERROR,  /* a PCI Express function detects an error          */
    SCN_EV_CPU_OFFLINE, /* the toolstack takes a host CPU offline           */
    SCN_EV_CPU_ONLINE,  /* ... brings it online again                       */
    SCN_EV_VCPU_OFFLINE,/* a guest takes one of its vCPUs offline           */
    SCN_EV_VCPU_ONLINE, /* ... brings one up                                */
    SCN_EV_FW_ERROR,    /* a firmware-first platform's firmware logs an error */
    SCN_EV__COUNT
};

/* An MSR access whose answer the run records (expect.msrs): by a vCPU of
 * a domain (an MSR exit to the hypervisor) or by a host CPU (directly on
 * its register file). */
struct scn_msr_probe {
    unsigned host;
    int domain;                 /* -1: a host CPU */
    unsigned cpu;               /* the host CPU, or the vCPU of the domain */
    uint32_t msr;
    bool write;
    uint64_t value;             /* written */
};

/* The MCA hypercall made by a domain, with its arguments as dom0 would
 * lay them out (public/mca_abi.h) or broken on purpose. */
struct scn_hypercall {
    unsigned host;              /* the caller's */
    unsigned caller;            /* domain id */
    uint32_t cmd, version, flags;
    uint64_t fetch_id;
    bool no_buffer;             /* fetch/physcpuinfo without an out buffer */
    bool bad_arg;               /* the argument's address is not the caller's memory */
    uint32_t ncpus;             /* physcpuinfo */
    uint64_t mfn;               /* offline_page */
    uint32_t op;                /* offline_page: 1 offline, 2 online, 3 query */
    unsigned domid;             /* notifydomain */
    uint32_t action, bank;      /* notifydomain */
    uint64_t record;            /* notifydomain */
    uint64_t addr;              /* spare_rank: a machine address in the rank */
    unsigned mode;              /* spare_rank: 0 spare, 1 mirror */
};

struct scn_event {
    uint64_t at_ps;
    enum scn_event_kind kind;
    unsigned repeat;            /* total occurrences, >= 1 */
    uint64_t every_ps;          /* spacing of repeats */
    struct scn_loc loc;
    union {
        struct scn_inject inject;
        struct { unsigned host, cpu; enum x86_exec_ctx ctx; } context;
        struct { unsigned host, cpu; bool on; } cr4;
        struct { unsigned host, cpu; uint64_t for_ps; } stall;
        struct { unsigned domain, vcpu; uint64_t gaddr; bool fetch; bool user; } access;
        struct {
            unsigned host, mode, channel, dimm, rank, device, bank, row, column, dq_mask;
            bool permanent;
        } fault;
        struct { unsigned host, cpu; uint64_t addr; bool fetch; int context; } mem;
        struct scn_migrate migrate;
        struct scn_msr_probe msr;
        struct scn_hypercall call;
        struct { unsigned host, domain; uint64_t gaddr; } balloon;
        struct { unsigned host, domain; } destroy;
        /* the frame of `domain` at gaddr, read on behalf of vCPU `vcpu` of `by` */
        struct { unsigned host, domain, by, vcpu, path; uint64_t gaddr; } hv_access;
        struct {
            unsigned host, dev, err;        /* dev: index in the host's pcie.devs; err: pcie_errors.h */
            uint32_t header[4];             /* the failing TLP's header (zeros when not given) */
        } pcie;
        struct { unsigned host, cpu; } hotplug;
        struct { unsigned host, domain, vcpu; } vcpu_hp;
        /* type: enum fw_type; severity: CPER's (GHES), 0 recoverable, 1 fatal, 2 corrected */
        struct { unsigned host, cpu, type, severity; uint64_t addr; bool has_addr; } fw;
    } u;
};

/* The outcome of a migration (enum rr_mig_outcome order). */
enum scn_mig_outcome {
    SCN_MIGO_NONE = 0,          /* no migration ran                        */
    SCN_MIGO_RUNNING,           /* still going at the end of the run       */
    SCN_MIGO_SUCCESS,           /* guest runs on the target, data intact   */
    SCN_MIGO_ABORTED,           /* aborted (vMCE mid-migration, vMCE RFC)  */
    SCN_MIGO_REFUSED,           /* target refused the vMCE caps (-EINVAL)  */
    SCN_MIGO_PROCESS_KILLED,    /* the dom0 toolstack process was killed   */
    SCN_MIGO_GUEST_CRASHED,     /* the guest crashed (either host)         */
    SCN_MIGO_DATA_LOSS,         /* completed, but pages differ on target   */
    SCN_MIGO__COUNT
};

enum scn_outcome { SCN_OUT_RUNNING = 0, SCN_OUT_PANIC, SCN_OUT_RESET, SCN_OUT_SHUTDOWN, SCN_OUT_HANG, SCN_OUT__COUNT };
const char *scn_outcome_name(enum scn_outcome o);
const char *scn_mig_outcome_name(enum scn_mig_outcome o);
/* SCN_MIGO__COUNT when the name is unknown. */
enum scn_mig_outcome scn_mig_outcome_from_name(const char *name);

struct scn_expect_host {
    unsigned host;
    enum scn_outcome outcome;
    char reason[SCN_TEXT_LEN];  /* substring of the reason; "" = any */
    struct scn_loc loc;
};

/* What one bank entry of a record must hold; -1 / "" = any. */
struct scn_expect_bank {
    int host;                   /* the record's, for the bank range check */
    int bank;
    int cls;                    /* enum mca_rec_class of the bank */
    char rule[SCN_TEXT_LEN];    /* exact rule name */
    long long domain;           /* owner of the page; 65535 = none */
    long long addr;             /* MCi_ADDR as committed (Xen: the guest's, for a page a domain owns) */
    long long gaddr;
    int action;                 /* enum mca_rec_action */
    struct scn_loc loc;
};

/* A record: one CPU's logout with its banks (hv/public/mca_abi.h). */
struct scn_expect_record {
    int host, cpu;              /* -1 = any */
    int cls;                    /* worst enum mca_rec_class of the banks, -1 = any */
    int result;                 /* enum mca_rec_result, -1 = any */
    int source;                 /* enum mca_rec_source, -1 = any */
    long long mcg_status;       /* -1 = any */
    int incomplete;             /* 0/1, -1 = any */
    /* Bank-level keys given on the record: some bank must match them all. */
    bool has_bank_keys;
    struct scn_expect_bank bank;
    /* banks: the record's banks exactly, in order. */
    bool has_banks;
    struct scn_expect_bank *banks; unsigned nbanks;
    struct scn_loc loc;
};

struct scn_expect_latency {
    enum trace_stage from, to;  /* first `to` after the first `from` */
    uint64_t min_ps, max_ps;    /* bounds; max UINT64_MAX when not given */
    struct scn_loc loc;
};

struct scn_expect_migration {
    bool present;
    int domain;                 /* -1: the first migration */
    int outcome;                /* enum scn_mig_outcome, -1 any */
    char reason[SCN_TEXT_LEN];  /* substring of the reason; "" = any */
    long long pages_lost, needless_broken, broken_on_target, rechecks_min, iterations_min; /* -1: not checked */
    char mce_case[16];          /* "", "live", "before-4", "A", "B.I", "B.II", "after" */
    struct scn_loc loc;
};

struct scn_expect_domain {
    unsigned id;
    int host;                   /* -1: the host it runs on (after a migration, the target) */
    int state;                  /* enum dom_state order: running, paused, crashed, dying; -1 any */
    char reason[SCN_TEXT_LEN];
    long long processes_killed, pages_retired, vmce_injected, msr_exits; /* -1: not checked */
    long long msr_exits_max, msr_exits_min;
    long long broken_gfns;      /* gfns broken in its p2m; -1: not checked */
    struct scn_loc loc;
};

struct scn_expect_reg {
    unsigned host, cpu;
    uint32_t msr;
    uint64_t value, mask;       /* (reg & mask) == value */
    struct scn_loc loc;
};

struct scn_expect_text {
    char text[SCN_TEXT_LEN];
    bool absent;                /* "not: text": must NOT appear */
    struct scn_loc loc;
};

/* Counts of records; -1 = not checked. */
struct scn_expect_telem {
    long long logged, delivered, dropped, lost, undelivered;
    long long dropped_urgent, dropped_nonurgent;
    struct scn_loc loc;
};

/* The answer to one MSR probe event (expect.msrs); -1 or !has: any. */
struct scn_expect_msr {
    int host, domain, cpu;      /* cpu: the host CPU or the vCPU */
    bool has_msr;
    uint32_t msr;
    int write;                  /* -1 any, 0 read, 1 write */
    int gp;                     /* -1 any, 0 no fault, 1 #GP */
    bool has_value;
    uint64_t value, mask;       /* a read's (value & mask) */
    struct scn_loc loc;
};

/* What became of one call event (hypercall, balloon, destroy,
 * cpu_offline, cpu_online), in order
 * (expect.calls). */
struct scn_expect_call {
    int kind;                   /* -1 any, else enum scn_event_kind */
    bool has_rc;
    long long rc;               /* 0 or -errno */
    bool has_status;
    uint64_t status, mask;      /* the command's out value */
    bool has_vendor;
    uint64_t vendor;            /* physcpuinfo: the first entry's mc_vendor */
    struct scn_loc loc;
};

/* A host page at the end (expect.pages). */
struct scn_expect_page {
    unsigned host;
    uint64_t mfn;
    int state;                  /* -1 any, else enum page_state */
    int broken;                 /* -1 any */
    struct scn_loc loc;
};

/* Ground truth of the memory model; -1 = not checked. */
struct scn_expect_memory {
    long long ce, uc, sdc, miscorrected, undetected, scrub_found, demand_found;
    struct scn_loc loc;
};

/* Firmware-first reporting, summed over hosts and types; -1 = not checked. */
struct scn_expect_fw {
    long long logged, lost, delivered, pending, overflow, storms, returns, polls, polled, masked, ipis, refused;
    struct scn_loc loc;
};

/* How many trace events of a stage the run must have. */
struct scn_expect_stage {
    enum trace_stage stage;
    long long count, min, max;   /* -1: not checked */
    struct scn_loc loc;
};

/* What became of a PCI Express function (expect.pcie); -1: not checked. */
struct scn_expect_pcie {
    unsigned host, dev;
    long long corrected, nonfatal, fatal;   /* errors dom0's AER service found it the source of */
    long long recovered, failed;            /* pcie_do_recovery's outcomes for its errors */
    long long resets;                       /* hot resets it saw (link resets) */
    long long calls[4];                     /* its dom0 driver's callbacks, enum aer_step order */
    long long guest_calls[4];               /* pass-through: the steps pcifront got */
    long long aerfail;                      /* xen-pciback's kill_domain_by_device */
    long long ue_status, ce_status;         /* AER status registers at the end */
    struct scn_loc loc;
};

struct scn_expect {
    struct scn_expect_host *hosts;      unsigned nhosts;
    bool has_records;                   /* records: given (exact list) */
    struct scn_expect_record *records;  unsigned nrecords;
    struct scn_expect_telem telem;
    struct scn_expect_text *dom0_log;   unsigned ndom0_log;
    struct scn_expect_text *console;    unsigned nconsole;
    struct scn_expect_latency *latency; unsigned nlatency;
    struct scn_expect_reg *registers;   unsigned nregisters;
    struct scn_expect_domain *domains;  unsigned ndomains;
    struct scn_expect_text *guest_log;  unsigned nguest_log;
    struct scn_expect_memory memory;
    struct scn_expect_stage *stages;    unsigned nstages;
    struct scn_expect_migration migration;
    bool has_msrs;                      /* msrs: given (exact list) */
    struct scn_expect_msr *msrs;        unsigned nmsrs;
    bool has_calls;                     /* calls: given (exact list) */
    struct scn_expect_call *calls;      unsigned ncalls;
    struct scn_expect_page *pages;      unsigned npages;
    struct scn_expect_pcie *pcie;       unsigned npcie;
    struct scn_expect_fw fw;
};

/* One swept parameter: the run is repeated for each value (sweep.c). */
struct scn_sweep_param {
    char key[SCN_NAME_LEN];
    struct scn_loc loc;
    unsigned nvalues;
    char (*values)[SCN_NAME_LEN];
    struct scn_loc *vlocs;
};

struct scenario {
    char path[512];
    char name[SCN_NAME_LEN];
    char description[1024];
    uint64_t seed;
    rtime_t duration_ps;        /* default 1 s; over SCV_TIME_MAX_PS only with skip_quiet */
    bool skip_quiet;            /* empty poll rounds counted, not run (docs/PERFORMANCE.md) */
    bool fold_rounds;           /* a campaign's (no scenario key): repeated handling rounds
                                 * counted, not run, where results are bounded (host_fold.cpp) */
    struct scn_host *hosts;     unsigned nhosts;
    struct scn_policy policy;
    struct scn_link link;
    struct scn_domain *domains; unsigned ndomains;
    struct scn_event *events;   unsigned nevents;
    struct scn_expect expect;
    struct scn_sweep_param *sweep; unsigned nsweep; /* cartesian product */
};

struct scn_error {
    char file[512];
    unsigned line, col;         /* 0 when not about a position */
    char msg[512];
    char hint[256];             /* may be empty */
};

/* Errors of one file, in the order of their positions. */
struct scn_errors {
    struct scn_error *v;
    unsigned n, cap;
};
int scn_errors_add(struct scn_errors *e, const struct scn_error *err); /* -1: out of memory */
void scn_errors_free(struct scn_errors *e);

/* The host a dom0's CE-trend decision (ce_offline.domu: migrate or
 * save-restore) may move DomU domid to, or -1: none may. */
int scn_ce_move_target(const struct scenario *s, unsigned domid);
/* A migrate event's defaults (xc_domain_save's constants) for domid. */
void scn_migrate_defaults(struct scn_migrate *m, unsigned domid, unsigned to);

/* 0 on success; -1 with *err filled. On failure *out is freed. */
int scenario_load(const char *path, struct scenario *out, struct scn_error *err);
/* The same, going on after an error where what follows does not depend on
 * it (the next event, the next expectation, the next key of a block): on
 * failure every error found is added to *errs (at most 100). */
int scenario_load_all(const char *path, struct scenario *out, struct scn_errors *errs);
/* The scenario expects nothing (no expect:, or an empty one): a run of it
 * can fail only on the invariants. */
bool scenario_checks_nothing(const struct scenario *s);
/* Same, from a buffer (for tests); name is used in messages. */
int scenario_load_string(const char *name, const char *yaml, struct scenario *out,
                         struct scn_error *err);
void scenario_free(struct scenario *s);
/* "file:line:col: error: msg\n  hint: ...\n" */
void scn_error_print(const struct scn_error *err, FILE *f);

#endif
