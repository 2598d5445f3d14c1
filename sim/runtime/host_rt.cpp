/*
 * host_rt.cpp - wiring of one host: hv_platform ops on top of the CPU
 * models, the guest ABI of dom0, the injector's view of the hardware, and
 * the ledger that gives every injected error its final fate.
 */
#include "sim/runtime/host_rt.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

extern "C" {
#include "arch/text_fmt.h"
#include "arch/x86_mca.h"
#include "guests/dom0/ctl.h"
#include "hv/vmce_caps.h"
#include "sim/runtime/page_content.h"
}

#include "sim/runtime/migration_rt.hpp"

using namespace sc_core;

static constexpr uint64_t kDom0Scratch = 0x100000; /* guest address of dom0's buffer */
static constexpr size_t kDom0ScratchLen = 16384;    /* mcelog's */
static constexpr size_t kToolstackSlot = 16384;     /* each toolstack process's */
static constexpr size_t kProbeSlot = 8192;          /* probe hypercalls' (host_probes.cpp) */
static constexpr size_t kFfSlot = 256;              /* dom0's firmware-first handler's (host_ff.cpp) */

static uint64_t now_ps() { return sc_time_stamp().value(); }

static bool listed(const std::vector<unsigned> &v, unsigned domid)
{
    for (unsigned d : v)
        if (d == domid)
            return true;
    return false;
}

/* The hv's named computation points, charged as CPU cost-table entries. */
/* Indexed by enum hv_cost, in its order. */
static const cpu_cost_op hv_cost_map[] = {
    COST_SEVERITY, COST_TELEM, COST_LOCK, COST_SOFTIRQ,
    COST_HYPERCALL, COST_COPY_RECORD, COST_PAGE_OP, COST_IRET, COST_IPI,
};
static_assert(sizeof(hv_cost_map) / sizeof(hv_cost_map[0]) == HV_COST__COUNT, "hv_cost_map");

static_assert((int)SCN_CE_DOMU_MIGRATE == (int)DOM0_CE_MIGRATE &&
                  (int)SCN_CE_DOMU_SAVE_RESTORE == (int)DOM0_CE_SAVE_RESTORE,
              "ce_offline.domu and dom0's on_ce_domu in one order");

struct host_glue {
    static host_rt *h(void *ctx) { return static_cast<host_rt *>(ctx); }

    /* dom0's toolstack moves a DomU: the world starts the migration. */
    static long move_domain(void *ctx, unsigned domid, unsigned to, int live)
    {
        host_rt *hr = h(ctx);
        return hr->mover_ ? hr->mover_(domid, to, live != 0) : -ENOSYS;
    }

    /* A shared bank's MSRs are one register set: every CPU reaches the
     * home CPU's copy, at its own cost. */
    static int rdmsr(void *ctx, unsigned cpu, uint32_t msr, uint64_t *val)
    {
        host_rt *hr = h(ctx);
        unsigned home = hr->msr_home(cpu, msr);
        if (home == cpu && !hr->mc_msr(cpu, msr))
            return hr->cpus_[cpu]->op_rdmsr(msr, val);
        hr->cpus_[cpu]->op_charge(COST_MSR_READ, 1);
        if (hr->mc_msr(cpu, msr)) {
            hr->mem_->scrub_due(); /* what the bank holds by now */
            hr->fold_access();
        }
        return cpu_mca_rdmsr(&hr->cpus_[home]->regs, msr, val);
    }
    static int wrmsr(void *ctx, unsigned cpu, uint32_t msr, uint64_t val)
    {
        host_rt *hr = h(ctx);
        unsigned home = hr->msr_home(cpu, msr);
        cpu_sc &c = *hr->cpus_[cpu];
        bool mc = hr->mc_msr(cpu, msr);
        if (mc) {
            c.op_charge(COST_MSR_WRITE, 1);
            hr->mem_->scrub_due();
            if (val == 0 && msr == MSR_IA32_MCx_STATUS(hr->cfg_.dram.mc_bank))
                hr->fold_cleared(); /* the round fold's storm rounds begin after it */
            else
                hr->fold_access(); /* a write that is not the clear counts what came, as a read */
        }
        for (unsigned b = 0; b < c.regs.nbanks; b++)
            if (msr == MSR_IA32_MCx_STATUS(b) && val == 0)
                ledger_cleared(&hr->ledger_, home, b);
        if (home == cpu && !mc)
            return c.op_wrmsr(msr, val);
        if (!mc)
            c.op_charge(COST_MSR_WRITE, 1);
        int rc = cpu_mca_wrmsr(&hr->cpus_[home]->regs, msr, val);
        hr->cpus_[home]->refresh_signals();
        if (mc)
            hr->mem_->rescan(); /* an emptied bank: the scrubber replans */
        return rc;
    }
    /* Time is charged to whoever runs: the CPU's own thread, or (for a
     * hypercall made by dom0's vCPU) the dom0 thread at that CPU's rates. */
    static void charge(void *ctx, unsigned cpu, enum hv_cost what, unsigned n)
    {
        cpu_sc &c = *h(ctx)->cpus_[cpu];
        cpu_cost_op op = hv_cost_map[what];
        if (c.on_own_thread())
            c.op_charge(op, n);
        else
            wait(sc_time::from_value(c.cost_ps(op, n)));
    }
    static void spin_wait(void *ctx, unsigned cpu, uint64_t deadline)
    {
        host_rt *hr = h(ctx);
        hr->cpus_[cpu]->op_spin_wait(hr->shared_changed_, deadline);
    }
    static void shared_changed(void *ctx) { h(ctx)->shared_changed_.notify(SC_ZERO_TIME); }
    static void wake_cpu(void *ctx, unsigned cpu) { h(ctx)->cpus_[cpu]->poke(); }
    static uint64_t now(void *) { return now_ps(); }
    static x86_exec_ctx context(void *ctx, unsigned cpu) { return h(ctx)->cpus_[cpu]->context; }
    static void raise_softirq(void *ctx, unsigned cpu) { h(ctx)->cpus_[cpu]->raise_softirq(); }
    static void raise_nmi(void *ctx, unsigned cpu) { h(ctx)->cpus_[cpu]->raise_nmi(); }
    static long mem_spare(void *ctx, uint64_t paddr, int mirror) { return h(ctx)->mem_spare(paddr, mirror != 0); }
    static void arm_timer(void *ctx, unsigned cpu, uint64_t at) { h(ctx)->cpus_[cpu]->arm_timer(at); }
    static void call_function(void *ctx, unsigned cpu) { h(ctx)->cpus_[cpu]->raise_call(); }
    static void send_virq(void *ctx, unsigned domid, unsigned virq)
    {
        host_rt *hr = h(ctx);
        if (domid == 0 && (virq == VIRQ_FW_CMC || virq == VIRQ_FW_CPE || virq == VIRQ_FW_GHES)) {
            hr->ff_virq(virq);
            return;
        }
        if (domid != 0 || virq != VIRQ_MCA || !hr->dom0_cfg_ || !hr->dom0_cfg_->mcelog)
            return;
        hr->virq_pending_ = true;
        hr->virq_.notify(SC_ZERO_TIME);
    }
    static int copy_from_guest(void *ctx, unsigned domid, uint64_t gaddr, void *dst, size_t len)
    {
        uint8_t *p = domid == 0 ? h(ctx)->gmem(gaddr, len) : nullptr;
        if (!p)
            return -EFAULT;
        memcpy(dst, p, len);
        return 0;
    }
    static int copy_to_guest(void *ctx, unsigned domid, uint64_t gaddr, const void *src, size_t len)
    {
        uint8_t *p = domid == 0 ? h(ctx)->gmem(gaddr, len) : nullptr;
        if (!p)
            return -EFAULT;
        memcpy(p, src, len);
        return 0;
    }
    static void trace(void *ctx, const hv_trace_event *ev) { h(ctx)->on_hv_trace(*ev); }
    static bool trace_details(void *ctx) { return h(ctx)->trace_details(); }
    static void console(void *ctx, const char *line)
    {
        host_rt *hr = h(ctx);
        rr_add_line(&hr->rr_, RR_CONSOLE, hr->real_ps(), hr->index_, line);
    }
    static void vmce_raise(void *ctx, unsigned domid, unsigned vcpu)
    {
        if (guest_rt *g = h(ctx)->guest(domid))
            g->vmce_raised(vcpu);
    }
    static void domain_changed(void *ctx, unsigned domid)
    {
        if (guest_rt *g = h(ctx)->guest(domid))
            g->changed();
    }
    static void set_cr4_mce(void *ctx, unsigned cpu, int on) { h(ctx)->set_cr4_mce(cpu, on != 0); }
    static long fw_call(void *ctx, unsigned cpu, enum fw_op op, unsigned type, fw_error_record *rec)
    {
        return h(ctx)->ff_fw_call(cpu, op, type, rec);
    }
    static void ff_arm_poll(void *ctx, unsigned type, uint64_t at) { h(ctx)->ff_arm_poll(type, at); }
    static void host_stop(void *ctx, unsigned, enum hv_stop_kind kind, const char *reason)
    {
        h(ctx)->stop(kind == HV_STOP_RESET ? SCN_OUT_RESET : SCN_OUT_PANIC, reason);
    }

    /* CPU software entry points: the hv runs on the CPU. */
    static void boot(void *ctx, unsigned cpu) { hv_cpu_boot(&h(ctx)->hv_, cpu); }
    /* the memory controller bank's home CPU's last return from any entry
     * but its timer's: when a poll timer that fired meanwhile runs (the
     * round fold's fold_round::home_idle) */
    static void home_done(void *ctx, unsigned cpu)
    {
        host_rt *hr = h(ctx);
        if (cpu == hr->bank_home(hr->cfg_.dram.mc_cpu, hr->cfg_.dram.mc_bank))
            hr->fold_home_exit_ps_ = sc_time_stamp().value();
    }
    /* a handling round's entries: when the last one returned (the round
     * fold's window of busy CPUs; dom0's work after it runs on its own) */
    static void done(void *ctx, unsigned cpu)
    {
        h(ctx)->fold_cpu_exit_ps_ = sc_time_stamp().value();
        home_done(ctx, cpu);
    }
    static void machine_check(void *ctx, unsigned cpu)
    {
        hv_machine_check(&h(ctx)->hv_, cpu);
        done(ctx, cpu);
    }
    static void cmci(void *ctx, unsigned cpu)
    {
        hv_cmci(&h(ctx)->hv_, cpu);
        done(ctx, cpu);
    }
    static void timer(void *ctx, unsigned cpu)
    {
        host_rt *hr = h(ctx);
        if (!hr->scn_.skip_quiet) {
            hv_poll_timer(&hr->hv_, cpu);
            return;
        }
        uint64_t begun = hr->hv_.cpu[cpu].rounds.begun, seen = hr->activity_;
        hv_poll_timer(&hr->hv_, cpu);
        if (hr->hv_.cpu[cpu].rounds.begun != begun)
            hr->round_seen_[cpu] = seen; /* a round began: what it can see */
        hr->skip_quiet(cpu);
        hr->ask_rebase(); /* a year-long run: the gap to what comes next */
    }
    static void softirq(void *ctx, unsigned cpu)
    {
        hv_softirq(&h(ctx)->hv_, cpu);
        done(ctx, cpu);
    }
    static void dying(void *ctx, unsigned cpu) { hv_cpu_dying(&h(ctx)->hv_, cpu); }
    static void up(void *ctx, unsigned cpu) { hv_cpu_up(&h(ctx)->hv_, cpu); }
    static void call(void *ctx, unsigned cpu)
    {
        hv_call_function(&h(ctx)->hv_, cpu);
        home_done(ctx, cpu);
    }
    static void nmi(void *ctx, unsigned cpu)
    {
        hv_nmi(&h(ctx)->hv_, cpu);
        done(ctx, cpu);
    }
    static void irq(void *ctx, unsigned cpu)
    {
        h(ctx)->ff_take_irq(cpu);
        home_done(ctx, cpu);
    }
    static void shutdown(void *ctx, unsigned cpu, const char *reason)
    {
        host_rt *hr = h(ctx);
        char why[256];
        snprintf(why, sizeof(why), "CPU %u: %s", cpu, reason);
        hr->trace((int)cpu, TS_SHUTDOWN, -1, 0, 0, reason);
        hv_halt(&hr->hv_);
        hr->stop(SCN_OUT_SHUTDOWN, why);
    }

    /* dom0's guest ABI */
    static long hypercall(void *ctx, uint64_t arg) { return hv_do_mca(&h(ctx)->hv_, 0, arg); }
    static long domctl(void *ctx, uint64_t arg) { return hv_do_domctl(&h(ctx)->hv_, 0, arg); }
    static long sal(void *ctx, uint64_t arg) { return hv_do_sal(&h(ctx)->hv_, 0, arg); }
    static void *gmem(void *ctx, uint64_t gaddr, size_t len) { return h(ctx)->gmem(gaddr, len); }
    static void log(void *ctx, const char *line)
    {
        host_rt *hr = h(ctx);
        rr_add_line(&hr->rr_, RR_DOM0_LOG, hr->real_ps(), hr->index_, line);
    }
    static void guest_charge(void *ctx, enum guest_cost, unsigned n)
    {
        host_rt *hr = h(ctx);
        wait(sc_time::from_value(hr->cpus_[0]->cost_ps(COST_DECODE, n)));
    }
    static void stage(void *ctx, enum guest_stage st, uint64_t seq)
    {
        host_rt *hr = h(ctx);
        static const trace_stage map[] = {TS_FETCH, TS_ACK, TS_DOM0_DECODED};
        if (st == GUEST_STAGE_ACKED) {
            ledger_acked(&hr->ledger_, seq, hr->real_ps());
            return; /* the hv traced the ack itself */
        }
        if (st == GUEST_STAGE_DECODED)
            hr->trace(-1, map[st], -1, 0, seq, "dom0");
    }
};

static cpu_mca_config cpu_config(const scn_host &h)
{
    cpu_mca_config c{};
    c.nbanks = h.nbanks;
    c.mcg_cap_flags = h.mcg_cap_flags;
    c.ctl2_max_threshold = h.cmci_max_threshold;
    c.no_cmci_banks = h.no_cmci_banks;
    c.id = h.id;
    return c;
}

static const scn_domain *find_dom0(const scenario &s, unsigned host)
{
    for (unsigned i = 0; i < s.ndomains; i++)
        if (s.domains[i].type == SCN_DOM_DOM0 && s.domains[i].host == host)
            return &s.domains[i];
    return nullptr;
}

static hv_owner owner_of(scn_owner o)
{
    /* Indexed by enum scn_owner, in its order. */
    static const hv_owner map[] = {
        HV_OWNER_FREE, HV_OWNER_XEN_IMAGE, HV_OWNER_XEN_HEAP, HV_OWNER_XEN_PAGETABLE, HV_OWNER_DOMAIN,
        HV_OWNER_NOT_RAM,
    };
    static_assert(sizeof(map) / sizeof(map[0]) == SCN_OWNER__COUNT, "owner map");
    return map[o];
}

/* The platform ops the hv calls: this host's glue. */
static hv_platform platform_ops(host_rt *h)
{
    hv_platform p{};
    p.ctx = h;
    p.rdmsr = host_glue::rdmsr;
    p.wrmsr = host_glue::wrmsr;
    p.charge = host_glue::charge;
    p.spin_wait = host_glue::spin_wait;
    p.shared_changed = host_glue::shared_changed;
    p.wake_cpu = host_glue::wake_cpu;
    p.now_ps = host_glue::now;
    p.context = host_glue::context;
    p.raise_softirq = host_glue::raise_softirq;
    p.raise_nmi = host_glue::raise_nmi;
    p.mem_spare = host_glue::mem_spare;
    p.arm_timer = host_glue::arm_timer;
    p.call_function = host_glue::call_function;
    p.send_virq = host_glue::send_virq;
    p.copy_from_guest = host_glue::copy_from_guest;
    p.copy_to_guest = host_glue::copy_to_guest;
    p.trace = host_glue::trace;
    p.trace_details = host_glue::trace_details;
    p.console = host_glue::console;
    p.set_cr4_mce = host_glue::set_cr4_mce;
    p.host_stop = host_glue::host_stop;
    p.vmce_raise = host_glue::vmce_raise;
    p.domain_changed = host_glue::domain_changed;
    if (h->firmware_first()) {
        p.fw_call = host_glue::fw_call;
        p.ff_arm_poll = host_glue::ff_arm_poll;
    }
    return p;
}

/* Elaboration of a host, in order: each step uses what the ones before
 * it built. */
const host_rt::wiring_step host_rt::wiring_[] = {
    &host_rt::build_costs,  /* the CPU model's cost table                  */
    &host_rt::start_hv,     /* memory regions, domains, the hv instance    */
    &host_rt::build_cpus,   /* one cpu_sc per pCPU, vectoring into the hv  */
    &host_rt::build_ledger, /* ground truth of every error latched here    */
    &host_rt::build_memory, /* memory controller, DIMM faults, scrubber    */
    &host_rt::build_dom0,   /* dom0's ABI, its mcelog daemon, toolstack    */
    &host_rt::build_firmware, /* firmware-first: dom0's CMC/CPE handler    */
    &host_rt::build_guests, /* every guest that runs here or arrives here  */
    &host_rt::build_pcie,   /* Root Port, functions, dom0's AER service    */
};

host_rt::host_rt(const scenario &s, unsigned index, run_result &rr, trace_sink &sink)
    : scn_(s), cfg_(s.hosts[index]), index_(index), rr_(rr), sink_(sink)
{
    next_token_ = ((uint64_t)index + 1) << 48; /* unique across hosts */
    for (wiring_step step : wiring_)
        (this->*step)(s);
}

/* The preset the host names, with the scenario's per-op overrides. */
void host_rt::build_costs(const scenario &)
{
    const cpu_cost_table *preset = cpu_cost_preset(cfg_.cost_model);
    costs_ = preset ? *preset : *cpu_cost_preset("generic");
    for (unsigned i = 0; i < cfg_.ncosts; i++)
        costs_.cycles[cfg_.costs[i].op] = cfg_.costs[i].cycles;
}

/* The hv's configuration from the scenario's platform and policy. */
void host_rt::start_hv(const scenario &s)
{
    ff_ = cfg_.reporting == SCN_REPORT_FIRMWARE_FIRST;
    plat_ = platform_ops(this);
    std::vector<hv_mem_region> regions;
    for (unsigned i = 0; i < cfg_.nregions; i++) {
        const scn_region &r = cfg_.regions[i];
        regions.push_back({r.start >> 12, r.size >> 12, owner_of(r.owner), r.domid, r.has_gaddr, r.gaddr >> 12});
    }
    find_migrations(s, regions);
    build_domains(s);
    hv_config hc;
    hv_config_defaults(&hc, cfg_.ncpus);
    hc.rendezvous_timeout_ps = s.policy.rendezvous_timeout_ps;
    hc.telem_urgent = s.policy.telem_urgent;
    hc.telem_nonurgent = s.policy.telem_nonurgent;
    hc.cmci_threshold = s.policy.cmci_threshold;
    hc.lmce_on = cfg_.lmce_on;
    hc.vendor = cfg_.id.vendor;
    hc.family = cfg_.id.family;
    hc.model = cfg_.id.model;
    hc.regions = regions.data();
    hc.nregions = (unsigned)regions.size();
    hc.domains = dom_cfg_.data();
    hc.ndomains = (unsigned)dom_cfg_.size();
    hc.decider = s.policy.decider;
    hc.deferral = s.policy.deferral;
    hc.broken_access = s.policy.broken_access;
    hc.restore_check = s.policy.mig_caps == SCN_MIG_CAPS_REFUSE ? RESTORE_CHECK_HOST : RESTORE_CHECK_XEN;
    hc.hv_memory = s.policy.hv_memory;
    hc.foreign_srar = s.policy.foreign_srar;
    hc.hv_touch = s.policy.hv_touch;
    hc.guest_mca_ctl = s.policy.guest_mca_ctl;
    hc.nraz_msrs = s.policy.nraz_msrs;
    for (unsigned i = 0; i < s.policy.nraz_msrs && i < HV_MAX_RAZ_MSRS; i++)
        hc.raz_msrs[i] = s.policy.raz_msrs[i];
    hv_config_set_storm(&hc, s.policy.storm);
    hc.order = s.policy.handler_order;
    hc.xen_version = s.policy.xen_version;
    hc.xen_debug = s.policy.xen_debug;
    hc.mce_off = s.policy.boot_mce_off;
    hc.mce_fb = s.policy.boot_mce_fb;
    hc.mce_verbose = s.policy.boot_mce_verbose;
    hc.nmi = s.policy.boot_nmi;
    if (ff_) {
        if (fw_sal_init(&fw_, cfg_.ncpus, cfg_.fw.state_info_size, cfg_.fw.record_size) != 0)
            SC_REPORT_FATAL("mcasim", "out of memory for the firmware's record log");
        hc.firmware_first = true;
        hc.ff_queue = fw_.cap;
    }
    if (hv_init(&hv_, &hc, &plat_) != 0)
        SC_REPORT_FATAL("mcasim", "hv_init failed");
}

void host_rt::build_cpus(const scenario &)
{
    round_seen_.assign(cfg_.ncpus, UINT64_MAX);
    mce_entries_.assign(cfg_.ncpus, 0);
    softirq_entries_.assign(cfg_.ncpus, 0);
    cpu_sw sw;
    sw.ctx = this;
    sw.boot = host_glue::boot;
    sw.machine_check = host_glue::machine_check;
    sw.cmci = host_glue::cmci;
    sw.timer = host_glue::timer;
    sw.softirq = host_glue::softirq;
    sw.nmi = host_glue::nmi;
    sw.irq = host_glue::irq;
    sw.shutdown = host_glue::shutdown;
    sw.dying = host_glue::dying;
    sw.up = host_glue::up;
    sw.call = host_glue::call;
    const cpu_mca_config cc = cpu_config(cfg_);
    for (unsigned i = 0; i < cfg_.ncpus; i++) {
        char name[64];
        snprintf(name, sizeof(name), "h%u_cpu%u", index_, i);
        cpus_.emplace_back(new cpu_sc(name, i, cc, costs_, sw, cfg_.dram.present));
    }
    ties_.reset(new cpu_ties(cfg_.ncpus));
    for (auto &c : cpus_)
        c->set_ties(ties_.get());
}

void host_rt::build_ledger(const scenario &)
{
    if (ledger_init(&ledger_, &rr_, index_, cfg_.ncpus, cfg_.shared_banks) != 0 ||
        ledger_set_core_banks(&ledger_, cfg_.core_banks, cfg_.threads_per_core) != 0)
        SC_REPORT_FATAL("mcasim", "out of memory for the ledger");
}

/* dom0's guest ABI and mcelog daemon. One toolstack process per migration
 * from or to this host (a domain migrates at most once), each with a
 * buffer of its own: concurrent migrations never share hypercall
 * arguments. */
void host_rt::build_dom0(const scenario &s)
{
    dom0_cfg_ = find_dom0(s, index_);
    toolstack_nslots_ = (unsigned)(incoming_.size() + outgoing_.size());
    dom0_mem_.assign(kDom0ScratchLen + toolstack_nslots_ * kToolstackSlot + kProbeSlot + kFfSlot, 0);
    probe_slot_ = kDom0Scratch + kDom0ScratchLen + toolstack_nslots_ * kToolstackSlot;
    ff_slot_ = probe_slot_ + kProbeSlot;
    abi_.ctx = this;
    abi_.domid = 0;
    abi_.hypercall_mca = host_glue::hypercall;
    abi_.hypercall_domctl = host_glue::domctl;
    abi_.hypercall_sal = host_glue::sal;
    abi_.gmem = host_glue::gmem;
    abi_.scratch = kDom0Scratch;
    abi_.scratch_len = kDom0ScratchLen;
    abi_.log = host_glue::log;
    abi_.charge = host_glue::guest_charge;
    abi_.stage = host_glue::stage;
    abi_.move_domain = host_glue::move_domain;
    dom0_init(&dom0_, &abi_);
    if (dom0_cfg_) {
        dom0_.on_deferred = (uint32_t)dom0_cfg_->dom0_action + MCA_DOM0_NOTIFY;
        dom0_.has_save_to = dom0_cfg_->has_save_to;
        dom0_.save_to = dom0_cfg_->save_to;
        if (dom0_cfg_->ce_offline) {
            dom0_.ce.enabled = true;
            dom0_.ce.page = {dom0_cfg_->ce_page, dom0_cfg_->ce_window_ps};
            dom0_.ce.dimm = {dom0_cfg_->ce_dimm, dom0_cfg_->ce_window_ps};
            dom0_.ce.socket = {dom0_cfg_->ce_socket, dom0_cfg_->ce_window_ps};
            dom0_.on_ce_domu = (uint32_t)dom0_cfg_->ce_domu; /* same order as enum dom0_ce_domu */
            dom0_.move_to = dom0_cfg_->ce_to;
            dom0_.on_dimm = dom0_cfg_->ce_dimm_action; /* same order as enum dom0_dimm_action */
        }
    }
}

/* Every guest's kernel and workload (dom0's included), then dom0's daemon
 * thread: the order SystemC starts their processes in. */
void host_rt::build_guests(const scenario &s)
{
    for (unsigned i = 0; i < s.ndomains; i++)
        if (s.domains[i].host == index_ || is_incoming(s.domains[i].id))
            guests_.emplace_back(new guest_rt(*this, hv_, s.domains[i], s.policy.sched_delay_ps, s.seed, index_,
                                              is_incoming(s.domains[i].id)));
    if (dom0_cfg_ && dom0_cfg_->mcelog)
        sc_spawn(sc_bind(&host_rt::dom0_thread, this), (std::string("h") + std::to_string(index_) + "_dom0").c_str());
}

/* The hv's view of this host's domains (hv/hv.h struct hv_domain_config). */
void host_rt::build_domains(const scenario &s)
{
    dom_pcpus_.clear();
    dom_cfg_.clear();
    for (unsigned i = 0; i < s.ndomains; i++) {
        const scn_domain &d = s.domains[i];
        if (d.host != index_ && !is_incoming(d.id))
            continue;
        std::vector<unsigned> p;
        for (unsigned v = 0; v < d.nvcpus; v++)
            p.push_back((d.npcpu ? d.pcpu[v] : v) % cfg_.ncpus);
        dom_pcpus_.push_back(p);
    }
    unsigned k = 0;
    for (unsigned i = 0; i < s.ndomains; i++) {
        const scn_domain &d = s.domains[i];
        if (d.host != index_ && !is_incoming(d.id))
            continue;
        hv_domain_config c{};
        c.id = d.id;
        c.type = d.type == SCN_DOM_DOM0 ? DOM_TYPE_DOM0 : d.type == SCN_DOM_PV ? DOM_TYPE_PV : DOM_TYPE_HVM;
        c.nvcpus = d.nvcpus;
        c.pcpu = dom_pcpus_[k++].data();
        vmce_policy_from_caps(&c.vmce, guest_caps(s, d));
        c.vmce.past_count = d.vmce.past_count == SCN_PAST_GP ? VMCE_PAST_GP : VMCE_PAST_ZERO;
        c.vmce.kill_on_bank0_quirk = d.vmce.kill_on_bank0_quirk;
        c.cpuid_vendor = d.cpuid.vendor;
        c.cpuid_family = d.cpuid.family;
        c.cpuid_model = d.cpuid.model;
        c.pv_mca_driver = d.pv_mca_driver;
        c.msr_relaxed = d.msr_relaxed;
        c.mca_handler = d.type == SCN_DOM_DOM0 && d.mcelog;
        c.incoming = is_incoming(d.id);
        c.paging = d.paging ? DOM_PAGING_SHADOW : DOM_PAGING_HAP;
        c.vcpus_up = d.vcpus_online;
        dom_cfg_.push_back(c);
    }
}

unsigned host_rt::msr_home(unsigned cpu, uint32_t msr) const
{
    unsigned bank;
    if (msr >= MSR_IA32_MC0_CTL && msr < MSR_IA32_MCx_CTL(MCA_MAX_BANKS))
        bank = (msr - MSR_IA32_MC0_CTL) / 4;
    else if (msr >= MSR_IA32_MC0_CTL2 && msr < MSR_IA32_MCx_CTL2(MCA_MAX_BANKS))
        bank = msr - MSR_IA32_MC0_CTL2;
    else
        return cpu;
    return bank_home(cpu, bank);
}

guest_rt *host_rt::guest(unsigned domid)
{
    for (auto &g : guests_)
        if (g->id() == domid)
            return g.get();
    return nullptr;
}

void host_rt::guest_log(const char *line)
{
    rr_add_line(&rr_, RR_GUEST_LOG, real_ps(), index_, line);
}

void host_rt::guest_trace(trace_stage st, uint64_t seq, const char *detail)
{
    trace(-1, st, -1, 0, seq, detail);
}

x86_exec_ctx host_rt::vcpu_context(unsigned domid, unsigned vcpu)
{
    const domain *d = hv_domain(&hv_, domid);
    if (!d || vcpu >= d->nvcpus)
        return X86_CTX_GUEST_KERNEL;
    return cpus_[d->vcpu[vcpu].pcpu]->context;
}

void host_rt::guest_access(unsigned domid, unsigned vcpu, uint64_t gaddr, bool fetch, bool user)
{
    const domain *d = hv_domain(&hv_, domid);
    if (stopped_ || !d || vcpu >= d->nvcpus)
        return;
    cpus_[d->vcpu[vcpu].pcpu]->context = user ? X86_CTX_GUEST_USER : X86_CTX_GUEST_KERNEL;
    hv_set_current(&hv_, d->vcpu[vcpu].pcpu, domid, vcpu);
    char detail[64];
    snprintf(detail, sizeof(detail), "dom%u vcpu%u gaddr %#llx", domid, vcpu, (unsigned long long)gaddr);
    trace((int)d->vcpu[vcpu].pcpu, TS_GUEST_ACCESS, -1, 0, 0, detail);
    uint64_t mfn;
    /* A healthy frame is read from memory, where faults live; a broken one
     * never reaches it: the hypervisor intercepts (p2m type broken). */
    if (mem_ && !p2m_is_broken(d, gaddr >> 12) && p2m_lookup(d, gaddr >> 12, &mfn)) {
        mem_read(d->vcpu[vcpu].pcpu, (mfn << 12) | (gaddr & 0xFFF), fetch, -1);
        return;
    }
    hv_guest_access(&hv_, domid, vcpu, gaddr, fetch);
}

/* A guest writes a whole line: to memory when the frame is healthy (a
 * full-line write rewrites the cells). A broken frame is not writable. */
void host_rt::guest_write(unsigned domid, unsigned vcpu, uint64_t gaddr)
{
    const domain *d = hv_domain(&hv_, domid);
    uint64_t mfn;
    if (stopped_ || !d || vcpu >= d->nvcpus || p2m_is_broken(d, gaddr >> 12))
        return;
    /* the hv sees the write (log-dirty); the page holds new contents */
    hv_set_current(&hv_, d->vcpu[vcpu].pcpu, domid, vcpu);
    if (hv_guest_write(&hv_, domid, vcpu, gaddr) == 0 && listed(outgoing_, domid))
        if (guest_rt *g = guest(domid))
            page_content_set(&g->content(), gaddr >> 12, new_token());
    if (mem_ && p2m_lookup(d, gaddr >> 12, &mfn))
        mem_write(d->vcpu[vcpu].pcpu, (mfn << 12) | (gaddr & 0xFFF));
}

host_rt::~host_rt()
{
    ledger_fini(&ledger_);
    hv_fini(&hv_);
    fw_sal_fini(&fw_);
}

uint8_t *host_rt::gmem(uint64_t gaddr, size_t len)
{
    if (gaddr < kDom0Scratch || len > dom0_mem_.size() || gaddr - kDom0Scratch > dom0_mem_.size() - len)
        return nullptr;
    return dom0_mem_.data() + (gaddr - kDom0Scratch);
}

/* dom0's vCPU0: the mcelog daemon starts, drains what is queued, then
 * sleeps until VIRQ_MCA. The upcall costs one IPI of the host's CPUs. */
void host_rt::dom0_thread()
{
    uint64_t start = dom0_cfg_->mcelog_start_ps;
    if (start > now_ps())
        wait(sc_time::from_value(start - now_ps()));
    for (;;) {
        if (stopped_)
            return;
        virq_pending_ = false;
        dom0_on_virq_mca(&dom0_);
        if (!virq_pending_)
            wait(virq_);
        if (stopped_)
            return;
        wait(sc_time::from_value(cpus_[0]->cost_ps(COST_IPI, 1)));
    }
}

rr_event host_rt::event(int cpu, trace_stage st, int bank, uint64_t status, uint64_t seq,
                        const char *detail) const
{
    rr_event e{};
    e.t_ps = real_ps();
    e.host = index_;
    e.cpu = cpu;
    e.stage = st;
    e.bank = bank;
    e.status = status;
    e.seq = seq;
    e.detail = detail; /* borrowed: the sink writes it out before returning */
    return e;
}

void host_rt::trace(int cpu, trace_stage st, int bank, uint64_t status, uint64_t seq, const char *detail)
{
    rr_event e = event(cpu, st, bank, status, seq, detail);
    trace_sink_event(&sink_, &e);
    activity_++;
    fold_last_ev_ = (uint64_t)(e.t_ps - epoch_ps_);
}

void host_rt::on_hv_trace(const hv_trace_event &ev)
{
    rr_event e = event((int)ev.cpu, trace_stage_from_hv(ev.stage), ev.bank, ev.status, ev.seq, ev.detail);
    e.rec = ev.rec;
    trace_sink_event(&sink_, &e);
    ledger_event(&ledger_, &e);
    if (ev.stage != HV_STAGE_POLL && ev.stage != HV_STAGE_POLL_SKIP)
        activity_++;
    last_hv_event_ps_ = e.t_ps;
    fold_last_ev_ = (uint64_t)(e.t_ps - epoch_ps_); /* the round fold's busy window */
    if (fold_first_hv_ == UINT64_MAX)
        fold_first_hv_ = fold_last_ev_;
    if (ev.cpu < mce_entries_.size() && ev.stage == HV_STAGE_HANDLER_ENTRY)
        mce_entries_[ev.cpu]++;
    if (ev.cpu < softirq_entries_.size() && ev.stage == HV_STAGE_SOFTIRQ_ENTRY)
        softirq_entries_[ev.cpu]++;
}

void host_rt::inject(const scn_inject &in, uint64_t at_ps)
{
    if (stopped_)
        return;
    cpu_sc &target = *cpus_[in.cpu];
    unsigned home = bank_home(in.cpu, in.bank);
    cpu_sc &holder = *cpus_[home];
    if (in.context >= 0)
        target.context = (x86_exec_ctx)in.context;
    note_current(in.cpu);
    uint64_t prior = in.bank < holder.regs.nbanks ? holder.regs.bank[in.bank].status : 0;
    cpu_latch_result lr = in.raw ? cpu_mca_write_raw(&holder.regs, in.bank, in.status, in.addr, in.misc)
                                 : cpu_mca_latch(&holder.regs, in.bank, in.status, in.addr, in.misc);
    holder.refresh_signals();
    trace((int)in.cpu, TS_ERROR_LATCHED, (int)in.bank, in.status, 0, cpu_latch_kind_name(lr.kind));
    int error = ledger_latch(&ledger_, home, in.bank, in.status, prior, lr.kind, (rr_found)found_by_, epoch_ps_ + at_ps);
    if (error >= 0)
        last_error_ = error;
    if (lr.kind != CPU_LATCH_BAD_BANK)
        note_poison(in.status, in.addr);

    bool mc = in.signal == SCN_SIGNAL_MCE || (in.signal == SCN_SIGNAL_AUTO && lr.signal_mc);
    bool cmci = in.signal == SCN_SIGNAL_CMCI || (in.signal == SCN_SIGNAL_AUTO && lr.signal_cmci);
    if (mc || cmci)
        ledger_stamp(&ledger_, error, ES_RAISED, real_ps());
    if (cmci)
        raise_cmci_for(in.cpu, in.bank, in.status);
    if (!mc)
        return;
    /* LMCE only when hardware, firmware and software all enabled it;
     * otherwise the #MC is broadcast (SDM 15.3.1.5). */
    bool local = in.local && cpu_mca_lmce_enabled(&target.regs, cfg_.lmce_on);
    uint64_t mcg = in.has_mcg_status ? in.mcg_status | (local ? MCG_STATUS_LMCES : 0)
                                     : cpu_mca_mcg_status_for(target.context, in.status, true, local);
    if (in.ripv >= 0)
        mcg = (mcg & ~MCG_STATUS_RIPV) | (in.ripv ? MCG_STATUS_RIPV : 0);
    if (in.eipv >= 0)
        mcg = (mcg & ~MCG_STATUS_EIPV) | (in.eipv ? MCG_STATUS_EIPV : 0);
    char detail[64] = "";
    if (local || in.no_broadcast)
        snprintf(detail, sizeof(detail), "%s", local ? "local" : "to this CPU alone (no broadcast)");
    else if (trace_details())
        text_fmt(detail, sizeof(detail), "broadcast to %u CPUs", ncpus());
    trace((int)in.cpu, TS_MC_RAISED, (int)in.bank, in.status, 0, detail);
    target.raise_mc(mcg, in.has_mcg_status);
    if (local || in.no_broadcast)
        return;
    for (auto &c : cpus_)
        if (c.get() != &target)
            c->raise_mc(cpu_mca_mcg_status_for(c->context, in.status, false, false));
}

/* The vCPU the hypervisor has as current on a pCPU when an error is
 * signalled there (Xen's mc_domid / mc_vcpuid, which decide whether a
 * vMCE goes to one vCPU, mc_memerr_dhandler): from the CPU's context, a
 * vCPU of dom0 or of a guest placed on that pCPU, the first in the
 * scenario's order, unless an access (guest_access, a toolstack read)
 * already named one; none when the CPU idles. */
void host_rt::note_current(unsigned cpu)
{
    x86_exec_ctx c = cpus_[cpu]->context;
    if (c == X86_CTX_IDLE) {
        hv_set_current(&hv_, cpu, DOMID_NONE, 0);
        return;
    }
    if (x86_ctx_is_hv(c))
        return; /* the hypervisor runs on behalf of whoever was current */
    bool dom0 = c == X86_CTX_DOM0_KERNEL || c == X86_CTX_DOM0_USER;
    const hv_cpu &hc = hv_.cpu[cpu];
    const domain *cur = hc.cur_domid == DOMID_NONE ? nullptr : hv_domain(&hv_, hc.cur_domid);
    if (cur && (cur->type == DOM_TYPE_DOM0) == dom0 && hc.cur_vcpu < cur->nvcpus &&
        cur->vcpu[hc.cur_vcpu].pcpu == cpu)
        return;
    for (unsigned i = 0; i < hv_.ndom; i++) {
        const domain &d = hv_.dom[i];
        if ((d.type == DOM_TYPE_DOM0) != dom0 || d.state != DOM_RUNNING)
            continue;
        for (unsigned v = 0; v < d.nvcpus; v++)
            if (d.vcpu[v].pcpu == cpu) {
                hv_set_current(&hv_, cpu, d.id, v);
                return;
            }
    }
    hv_set_current(&hv_, cpu, DOMID_NONE, 0);
}

void host_rt::raise_cmci_for(unsigned cpu, unsigned bank, uint64_t status)
{
    trace((int)cpu, TS_CMCI_RAISED, (int)bank, status, 0, nullptr);
    if (fold_cmci_ps_ == UINT64_MAX) /* the round fold's busy window begins here */
        fold_cmci_ps_ = sc_time_stamp().value();
    /* a shared bank interrupts every CPU sharing it (the package's, or
     * the core's threads); its owner logs it */
    unsigned home = bank_home(cpu, bank);
    for (unsigned c = 0; c < ncpus(); c++)
        if (bank_home(c, bank) == home)
            cpus_[c]->raise_cmci();
}

void host_rt::trace_signals(sc_trace_file *tf)
{
    for (unsigned i = 0; i < ncpus(); i++)
        cpus_[i]->trace_signals(tf, std::string(cfg_.name) + ".cpu" + std::to_string(i));
}

void host_rt::stall(unsigned cpu, uint64_t for_ps)
{
    uint64_t until = for_ps == SCN_TIME_FOREVER ? UINT64_MAX : now_ps() + for_ps;
    cpus_[cpu]->stall(until);
}

void host_rt::stop(enum scn_outcome out, const char *reason)
{
    if (stopped_)
        return;
    if (mem_ && mem_->behind())
        mem_->scrub_due(); /* write-backs the scrubber put off happened before the stop */
    stopped_ = true;
    outcome_ = out;
    snprintf(reason_, sizeof(reason_), "%s", reason);
    trace(-1, TS_HOST_STOP, -1, 0, 0, scn_outcome_name(out));
    for (auto &c : cpus_)
        c->halt();
    if (mem_)
        mem_->halt(); /* a stopped host's scrubber reports to nobody */
    shared_changed_.notify(SC_ZERO_TIME);
    virq_.notify(SC_ZERO_TIME);
    ff_virq_.notify(SC_ZERO_TIME);
}

bool host_rt::hung() const
{
    const uint64_t quiet_ps = 1000000000000ull; /* 1 s */
    if (stopped_ || real_ps() - last_hv_event_ps_ < quiet_ps)
        return false;
    for (unsigned i = 0; i < ncpus(); i++)
        if (hv_cpu_stuck_in(&hv_, i))
            return true;
    return false;
}

/* CPUs still inside the hv's MCA code at the end never got out: say where
 * each group is stuck (the #MC handler's rendezvous, the softirq's), in
 * order of the lowest CPU, and of the others which never arrived and
 * which entered that handler as often as the stuck ones and left (a CPU
 * counted into a rendezvous that released the others before it came:
 * hotplug/parked-cpu-joins-broadcast-mce). */
void host_rt::report_hang(scn_outcome &out, char *reason, size_t len) const
{
    /* A CPU of the handling still in a timed wait (its handler's charged
     * work, a spin with a timeout), or one whose #MC is pending behind a
     * stall that ends, is on its way: the run ended amid the handling,
     * which is no hang (a duration that ends 3 us into a UC round's
     * rendezvous, tests/hang_at_end.sh). Stuck is every busy CPU spinning
     * on a change no CPU will make. */
    for (unsigned i = 0; i < ncpus(); i++)
        if ((hv_cpu_busy(&hv_, i) && !cpus_[i]->spin_untimed()) || cpus_[i]->mc_arriving())
            return;
    std::vector<std::pair<const char *, std::string>> groups;
    std::vector<unsigned> others;
    uint64_t mce_round = 0, softirq_round = 0; /* the stuck CPUs' entries */
    for (unsigned i = 0; i < ncpus(); i++) {
        const char *at = hv_cpu_stuck_in(&hv_, i);
        if (!at) {
            others.push_back(i);
            continue;
        }
        if (hv_.cpu[i].in_mce)
            mce_round = std::max(mce_round, mce_entries_[i]);
        else if (hv_.cpu[i].in_softirq)
            softirq_round = std::max(softirq_round, softirq_entries_[i]);
        auto g = std::find_if(groups.begin(), groups.end(), [at](const auto &x) { return !strcmp(x.first, at); });
        std::string &cpus = (g != groups.end() ? *g : groups.emplace_back(at, std::string())).second;
        cpus += (cpus.empty() ? "" : ",") + std::to_string(i);
    }
    if (groups.empty())
        return;
    std::string stuck, absent, left;
    for (const auto &g : groups)
        stuck += "CPUs " + g.second + " stuck in " + g.first + "; ";
    for (unsigned i : others) {
        bool came = (mce_round && mce_entries_[i] >= mce_round) ||
                    (softirq_round && softirq_entries_[i] >= softirq_round);
        std::string &to = came ? left : absent;
        to += (to.empty() ? "" : ",") + std::to_string(i);
    }
    out = SCN_OUT_HANG;
    std::string tail = "CPUs " + (absent.empty() ? std::string("none") : absent) + " never arrived";
    if (!left.empty())
        tail = (absent.empty() ? std::string() : tail + "; ") + "CPUs " + left + " came and left";
    snprintf(reason, len, "%s%s", stuck.c_str(), tail.c_str());
}

/* A record the hv reserved but never committed, for the results. */
static void add_uncommitted(void *ctx, const telem_entry *e)
{
    host_rt *hr = static_cast<host_rt *>(ctx);
    rr_record *r = rr_add_record(hr->results(), &e->rec);
    r->host = hr->index();
    r->committed = false;
}

void host_rt::finish()
{
    if (mem_ && !stopped_)
        mem_->scrub_due(); /* CEs folded up to the end are in the bank's count */
    /* bounded results keep the same errors however their sweeps fell (a
     * run whose rounds were folded swept at other times) */
    ledger_settle(&ledger_);
    rr_host &h = rr_.hosts[index_];
    snprintf(h.name, sizeof(h.name), "%s", cfg_.name);
    h.outcome = outcome_;
    snprintf(h.reason, sizeof(h.reason), "%s", reason_);
    if (!stopped_)
        report_hang(h.outcome, h.reason, sizeof(h.reason));
    h.ncpus = ncpus();
    h.regs = static_cast<cpu_mca *>(calloc(ncpus(), sizeof(cpu_mca)));
    for (unsigned i = 0; i < ncpus() && h.regs; i++) {
        h.regs[i] = cpus_[i]->regs;
        for (unsigned b = 0; b < h.regs[i].nbanks; b++) /* one register set */
            if (bank_home(i, b) != i)
                h.regs[i].bank[b] = cpus_[bank_home(i, b)]->regs.bank[b];
    }
    h.cmci = static_cast<rr_cmci *>(calloc(ncpus(), sizeof(rr_cmci)));
    for (unsigned i = 0; i < ncpus() && h.cmci; i++) {
        const hv_cpu &c = hv_.cpu[i];
        h.cmci[i] = {c.storm.in_storm, c.storm.cmci_enabled, c.storm.storms, c.poll_interval_ps};
    }
    h.telem = hv_.telem.stats;
    h.errors_counted = ledger_.counted;
    h.errors_overflowed = ledger_.overflowed;
    h.undelivered = telem_count(&hv_.telem, TELEM_URGENT, TELEM_COMMITTED) +
                    telem_count(&hv_.telem, TELEM_URGENT, TELEM_PROCESSING) +
                    telem_count(&hv_.telem, TELEM_NONURGENT, TELEM_COMMITTED) +
                    telem_count(&hv_.telem, TELEM_NONURGENT, TELEM_PROCESSING);
    h.stats = hv_.stats;
    /* the pages: counted by state (entries, and the UC folds' runs), listed
     * in MFN order - bounded results list their first `keep` */
    h.pages_total = page_states_count(&hv_.pages);
    for (unsigned i = 0; i < hv_.pages.n; i++) {
        h.pages_offlined += hv_.pages.v[i].state == PAGE_OFFLINED;
        h.pages_pending += hv_.pages.v[i].state == PAGE_OFFLINE_PENDING;
    }
    for (unsigned i = 0; i < hv_.pages.nruns; i++) {
        h.pages_offlined += hv_.pages.runs[i].like.state == PAGE_OFFLINED ? hv_.pages.runs[i].count : 0;
        h.pages_pending += hv_.pages.runs[i].like.state == PAGE_OFFLINE_PENDING ? hv_.pages.runs[i].count : 0;
    }
    uint64_t listed = rr_.summary.keep && rr_.summary.keep < h.pages_total ? rr_.summary.keep : h.pages_total;
    if (listed > UINT32_MAX)
        listed = UINT32_MAX;
    h.pages = static_cast<page_entry *>(calloc(listed ? listed : 1, sizeof(page_entry)));
    if (h.pages)
        h.npages = (unsigned)page_states_copy_sorted(&hv_.pages, h.pages, listed);
    if (mem_) {
        h.has_memory = true;
        h.memory = mem_->mc.ledger;
        h.memory_faults = faults_;
        h.nfault_truth = (unsigned)mem_->mc.ntruth;
        h.fault_truth = static_cast<memctl_fault_truth *>(calloc(h.nfault_truth ? h.nfault_truth : 1,
                                                                 sizeof(memctl_fault_truth)));
        if (h.fault_truth && h.nfault_truth)
            memcpy(h.fault_truth, mem_->mc.truth, h.nfault_truth * sizeof(memctl_fault_truth));
    }
    h.ndomains = hv_.ndom;
    h.domains = static_cast<rr_domain *>(calloc(h.ndomains ? h.ndomains : 1, sizeof(rr_domain)));
    for (unsigned i = 0; h.domains && i < hv_.ndom; i++) {
        const domain &d = hv_.dom[i];
        rr_domain &o = h.domains[i];
        o.id = d.id;
        o.type = d.type;
        o.state = d.state;
        snprintf(o.reason, sizeof(o.reason), "%s", d.reason);
        o.vmce_injected = d.vmce_injected;
        o.msr_exits = d.msr_exits;
        o.nbroken = (unsigned)p2m_nbroken(&d);
        if (guest_rt *g = guest(d.id)) {
            o.processes_killed = g->kernel().stats.processes_killed;
            o.pages_retired = g->kernel().stats.pages_retired;
            o.guest_mces = g->kernel().stats.machine_checks;
        }
    }
    host_pcie_finish(&pcie_, &h);
    ff_finish(h);
    /* Records reserved but never committed (host stopped first). */
    telem_foreach_uncommitted(&hv_.telem, add_uncommitted, this);
}

/* --- migrations ------------------------------------------------------ */

bool host_rt::is_incoming(unsigned domid) const { return listed(incoming_, domid); }

/* Domains that leave this host by migration: only their page contents
 * are followed (ground truth for the integrity check), so other guests'
 * writes cost nothing extra. Domains that a migration brings here wait,
 * paused and empty, from boot (Xen's restore creates the domain paused).
 * Without memory of its own in this host's regions, one gets the
 * source's layout. */
void host_rt::find_migrations(const scenario &s, std::vector<hv_mem_region> &regions)
{
    /* (domain, target) of every migrate event, then of every DomU a dom0
     * may move on a CE trend (ce_offline.domu). */
    std::vector<std::pair<unsigned, unsigned>> moves;
    for (unsigned i = 0; i < s.nevents; i++)
        if (s.events[i].kind == SCN_EV_MIGRATE)
            moves.emplace_back(s.events[i].u.migrate.domain, s.events[i].u.migrate.to);
    for (unsigned k = 0; k < s.ndomains; k++) {
        int to = scn_ce_move_target(&s, s.domains[k].id);
        if (to >= 0)
            moves.emplace_back(s.domains[k].id, (unsigned)to);
    }
    for (const auto &mv : moves) {
        const scn_domain *d = nullptr;
        for (unsigned k = 0; k < s.ndomains; k++)
            if (s.domains[k].id == mv.first)
                d = &s.domains[k];
        if (d && d->host == index_ && !listed(outgoing_, d->id))
            outgoing_.push_back(d->id);
        if (!d || d->host == index_ || mv.second != index_ || is_incoming(d->id))
            continue;
        incoming_.push_back(d->id);
        bool has = false;
        for (const hv_mem_region &r : regions)
            has |= r.owner == HV_OWNER_DOMAIN && r.domid == d->id;
        const scn_host &src = s.hosts[d->host];
        for (unsigned k = 0; !has && k < src.nregions; k++)
            if (src.regions[k].owner == SCN_OWNER_DOMAIN && src.regions[k].domid == d->id)
                regions.push_back({src.regions[k].start >> 12, src.regions[k].size >> 12, HV_OWNER_DOMAIN, d->id,
                                   src.regions[k].has_gaddr, src.regions[k].gaddr >> 12});
    }
}

/* The MCG_CAP a domain is shown here: Xen's set for this host's vendor
 * (vmce_init_vcpu: SER_P|TES_P|CMCI_P on Intel, none on AMD) unless the
 * scenario names the feature bits, LMCE_P when asked for (the loader
 * checked the host has LMCE, as vmce_enable_mca_cap does), and the bank
 * count (`banks: host` is this host's). With MCG_CAP levelling and
 * migrations in the scenario, the pool is every host: a guest is shown
 * only what all of them can back (vMCE design RFC, xen-devel 2012). */
uint64_t host_rt::guest_caps(const scenario &s, const scn_domain &d) const
{
    unsigned banks = d.vmce.banks ? d.vmce.banks : cfg_.nbanks;
    uint64_t feat = vmce_caps_xen_default(cfg_.id.vendor) & ~(uint64_t)MCG_CAP_COUNT_MASK;
    if (d.vmce.caps_given)
        feat = (d.vmce.ser_p ? MCG_SER_P : 0) | (d.vmce.cmci_p ? MCG_CMCI_P : 0) | (d.vmce.tes_p ? MCG_TES_P : 0);
    uint64_t caps = banks | feat | (d.vmce.lmce_p ? MCG_LMCE_P : 0);
    /* Xen 4.2's g_mcg_cap: the host's MCG_CAP masked to the count, CTL_P,
     * TES_P and SER_P (b272353fe9), what vmce_init_vcpu showed and the
     * VMCE_VCPU record carried (e1dc98e3c3); the host it arrives on is
     * the newer Xen, whose restore decides */
    if (d.vmce.saved_by_4_2 && !is_incoming(d.id))
        return (cfg_.nbanks < VMCE_MAX_BANKS ? cfg_.nbanks : VMCE_MAX_BANKS) |
               (cfg_.mcg_cap_flags & (MCG_CTL_P | MCG_TES_P | MCG_SER_P));
    bool migrations = false;
    for (unsigned i = 0; i < s.nevents; i++)
        migrations |= s.events[i].kind == SCN_EV_MIGRATE;
    if (!migrations || s.policy.mig_caps != SCN_MIG_CAPS_LEVEL || d.type == SCN_DOM_DOM0)
        return caps;
    for (unsigned i = 0; i < s.nhosts; i++)
        caps = vmce_caps_level(caps, vmce_caps_host(s.hosts[i].mcg_cap_flags | s.hosts[i].nbanks,
                                                    s.hosts[i].lmce_on));
    return caps;
}

/* An uncorrectable error with an address: the data there is gone. */
void host_rt::note_poison(uint64_t status, uint64_t addr)
{
    if (!(status & MCI_STATUS_UC) || !(status & MCI_STATUS_ADDRV))
        return;
    uint64_t mfn = addr >> 12;
    poisoned_.insert(mfn);
    for (migration_rt *m : migrations_) {
        const domain *d = hv_domain(&hv_, m->domid());
        uint64_t gfn;
        if (d && p2m_reverse(d, mfn, &gfn))
            m->on_mce(gfn);
    }
}

const guest_abi *host_rt::toolstack_abi(uint64_t *scratch, size_t *len)
{
    if (toolstack_slots_ >= toolstack_nslots_) /* one per migration, counted at elaboration */
        SC_REPORT_FATAL("mcasim", "more toolstack processes than migrations on this host");
    unsigned slot = toolstack_slots_++;
    *scratch = kDom0Scratch + kDom0ScratchLen + slot * kToolstackSlot;
    *len = kToolstackSlot;
    return &abi_;
}

void host_rt::dom0_log(const char *line) { rr_add_line(&rr_, RR_DOM0_LOG, real_ps(), index_, line); }

static void dom0_log_cb(void *ctx, const char *line) { static_cast<host_rt *>(ctx)->dom0_log(line); }

void host_rt::build_pcie(const scenario &s) { host_pcie_init(&pcie_, &s, index_, &hv_, dom0_log_cb, this); }

void host_rt::pcie_error(unsigned dev, unsigned err, const uint32_t header[4])
{
    host_pcie_error(&pcie_, dev, err, header);
}

void host_rt::consume_poison(unsigned domid, unsigned vcpu, uint64_t paddr)
{
    const domain *d = hv_domain(&hv_, domid);
    if (stopped_ || !d || vcpu >= d->nvcpus)
        return;
    unsigned cpu = d->vcpu[vcpu].pcpu;
    /* The load waits for the CPU to return to dom0 (cpu_sc::busy, which
     * every spin of the hv is inside): loading while the softirq ran would
     * nest the SRAR #MC in it on this CPU alone, and its second softirq
     * would then wait for CPUs that run theirs once. */
    while (pcpu_busy(cpu) && !stopped_)
        wait(sc_time(1, SC_US));
    if (stopped_)
        return;
    cpus_[cpu]->context = domid == 0 ? X86_CTX_DOM0_USER : X86_CTX_GUEST_USER;
    hv_set_current(&hv_, cpu, domid, vcpu);
    unsigned bank = cfg_.dram.present ? cfg_.dram.core_bank : 1 % cfg_.nbanks;
    char detail[80];
    snprintf(detail, sizeof(detail), "dom%u vcpu%u loads poisoned %#llx", domid, vcpu, (unsigned long long)paddr);
    trace((int)cpu, TS_MEM_ACCESS, -1, 0, 0, detail);
    latch_and_signal(cpu, bank, memctl_srar_status(MEMCTL_DATA_LOAD), paddr & ~63ull, MEMCTL_MISC_LINE_PHYS,
                     SCN_SIGNAL_MCE, -1, FOUND_DEMAND);
}

/* Only dom0 runs toolstack processes. */
void host_rt::process_killed(unsigned domid, unsigned vcpu)
{
    if (domid != 0)
        return;
    for (migration_rt *m : migrations_)
        m->on_process_killed(vcpu);
}
