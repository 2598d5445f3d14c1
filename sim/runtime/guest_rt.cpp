/*
 * guest_rt.cpp - guest vCPU threads and the guest ABI of a domain
 * (guest_rt.hpp). The ABI ops are the only way guest code reaches the hv.
 */
#include "sim/runtime/guest_rt.hpp"

#include <cstdio>

extern "C" {
#include "guests/dom0/mig_stream.h"
}

extern "C" {
#include "arch/x86_mca.h"
}

#include "sim/runtime/host_rt.hpp"

using namespace sc_core;

struct guest_glue {
    static guest_rt *g(void *ctx) { return static_cast<guest_rt *>(ctx); }

    /* Every guest MSR access of an MCA MSR exits to the hypervisor. */
    static void exit_cost(guest_rt *gr)
    {
        wait(sc_time::from_value(gr->host_.cpu_cost_ps(COST_VMEXIT) + gr->host_.cpu_cost_ps(COST_VMENTRY)));
    }
    /* The access as the guest saw it, for the results (rr_guest_msr). */
    static void note(guest_rt *gr, unsigned vcpu, bool write, uint32_t msr, uint64_t val, int rc)
    {
        rr_guest_msr *m = rr_add_guest_msr(gr->host_.results());
        *m = rr_guest_msr{gr->host_.real_ps(), gr->host_.index(), gr->cfg_.id, vcpu, write, rc != 0, msr, val};
    }
    static int rdmsr(void *ctx, unsigned vcpu, uint32_t msr, uint64_t *val)
    {
        guest_rt *gr = g(ctx);
        exit_cost(gr);
        int rc = hv_guest_rdmsr(&gr->hv_, gr->cfg_.id, vcpu, msr, val);
        note(gr, vcpu, false, msr, rc ? 0 : *val, rc);
        return rc;
    }
    static int wrmsr(void *ctx, unsigned vcpu, uint32_t msr, uint64_t val)
    {
        guest_rt *gr = g(ctx);
        exit_cost(gr);
        int rc = hv_guest_wrmsr(&gr->hv_, gr->cfg_.id, vcpu, msr, val);
        note(gr, vcpu, true, msr, val, rc);
        return rc;
    }
    static void set_cr4_mce(void *ctx, unsigned vcpu, int on)
    {
        hv_guest_set_cr4_mce(&g(ctx)->hv_, g(ctx)->cfg_.id, vcpu, on != 0);
    }
    static void register_cb(void *ctx) { hv_guest_register_mce_callback(&g(ctx)->hv_, g(ctx)->cfg_.id); }
    static void panic(void *ctx, const char *reason)
    {
        char why[200];
        snprintf(why, sizeof(why), "guest panic: %s", reason);
        hv_guest_crash(&g(ctx)->hv_, g(ctx)->cfg_.id, why);
    }
    static void log(void *ctx, const char *line)
    {
        guest_rt *gr = g(ctx);
        char text[320];
        snprintf(text, sizeof(text), "dom%u: %s", gr->cfg_.id, line);
        gr->host_.guest_log(text);
    }
    static void charge(void *ctx, enum guest_cost, unsigned n)
    {
        wait(sc_time::from_value(g(ctx)->host_.cpu_cost_ps(COST_DECODE) * n));
    }
    static void stage(void *ctx, enum guest_stage st, uint64_t arg)
    {
        guest_rt *gr = g(ctx);
        char detail[48];
        snprintf(detail, sizeof(detail), "dom%u", gr->cfg_.id);
        switch (st) {
        case GUEST_STAGE_MCE_ENTRY:
            gr->host_.guest_trace(TS_GUEST_MCE_ENTRY, 0, detail);
            break;
        case GUEST_STAGE_MCE_EXIT:
            gr->host_.guest_trace(TS_GUEST_MCE_EXIT, 0, detail);
            break;
        case GUEST_STAGE_KILLED:
            gr->host_.guest_trace(TS_PROCESS_KILLED, arg, detail);
            gr->host_.process_killed(gr->cfg_.id, gr->handling_vcpu_);
            break;
        case GUEST_STAGE_RETIRED:
            gr->host_.guest_trace(TS_PAGE_RETIRED, arg, detail);
            break;
        case GUEST_STAGE_PANIC:
            gr->host_.guest_trace(TS_GUEST_PANIC, 0, detail);
            break;
        default:
            break;
        }
    }
};

static bool running(hv &h, unsigned id)
{
    const domain *d = hv_domain(&h, id);
    return d && d->state == DOM_RUNNING;
}

/* Taken offline by the guest: it runs nothing, takes no vMCE. */
static bool down(hv &h, unsigned id, unsigned v)
{
    const domain *d = hv_domain(&h, id);
    return d && v < d->nvcpus && d->vcpu[v].down;
}

/* Crashed or destroyed: its threads end. A paused domain only waits. */
static bool gone(hv &h, unsigned id)
{
    const domain *d = hv_domain(&h, id);
    return !d || d->state == DOM_CRASHED || d->state == DOM_DYING;
}

guest_rt::guest_rt(host_rt &host, hv &hv, const scn_domain &cfg, uint64_t sched_delay_ps, uint64_t seed,
                   unsigned host_index, bool incoming)
    : host_(host), hv_(hv), cfg_(cfg), sched_delay_ps_(sched_delay_ps), incoming_(incoming)
{
    page_content_init(&content_, incoming ? MIG_TOKEN_UNPOPULATED : MIG_TOKEN_BOOT);
    name_ = "host" + std::to_string(host_index) + "/dom" + std::to_string(cfg.id);
    abi_.ctx = this;
    abi_.domid = cfg.id;
    abi_.log = guest_glue::log;
    abi_.charge = guest_glue::charge;
    abi_.stage = guest_glue::stage;
    abi_.rdmsr = guest_glue::rdmsr;
    abi_.wrmsr = guest_glue::wrmsr;
    abi_.set_cr4_mce = guest_glue::set_cr4_mce;
    abi_.register_mce_callback = guest_glue::register_cb;
    abi_.panic = guest_glue::panic;
    linux_guest_config kc{};
    kc.kind = (guest_kind)cfg.guest;
    kc.pv = cfg.type != SCN_DOM_HVM || cfg.pv_mca_driver;
    kc.vendor = cfg.cpuid.vendor;
    kc.family = cfg.cpuid.family;
    kc.model = cfg.cpuid.model;
    kc.strict_banks = cfg.strict_banks;
    /* the CPUs Linux's rendezvous waits for: num_online_cpus() */
    kc.nvcpus = cfg.vcpus_online ? cfg.vcpus_online : cfg.nvcpus;
    linux_guest_init(&kernel_, &abi_, &kc);
    pending_.assign(cfg.nvcpus, false);
    boot_.assign(cfg.nvcpus, false);
    for (unsigned v = 0; v < cfg.nvcpus; v++) {
        raised_.emplace_back(new sc_event());
        std::string name = "dom" + std::to_string(cfg.id) + "_vcpu" + std::to_string(v);
        sc_spawn(sc_bind(&guest_rt::vcpu_thread, this, v), name.c_str());
    }
    if (cfg.wl_rate_hz) {
        workload_config wc{cfg.wl_rate_hz, cfg.wl_working_set, cfg.wl_write_pct, cfg.wl_user_pct};
        workloads_.resize(cfg.nvcpus);
        for (unsigned v = 0; v < cfg.nvcpus; v++) {
            std::string path = name_ + "/vcpu" + std::to_string(v) + "/workload";
            workload_init(&workloads_[v], &wc, seed, path.c_str());
        }
        if (!incoming_)
            start_workloads();
    }
}

guest_rt::~guest_rt() { page_content_free(&content_); }

void guest_rt::start_workloads()
{
    for (unsigned v = 0; v < workloads_.size(); v++)
        if (workloads_[v].cfg.rate_hz && workloads_[v].cfg.working_set)
            sc_spawn(sc_bind(&guest_rt::workload_thread, this, v),
                     (name_ + "/vcpu" + std::to_string(v) + "/workload_thread").c_str());
}

void guest_rt::adopt(const guest_rt &src)
{
    kernel_ = src.kernel_;
    kernel_.abi = abi_;
    workloads_ = src.workloads_; /* the programs go on where they were */
    adopted_ = true;
    start_workloads();
    for (auto &e : raised_)
        e->notify(SC_ZERO_TIME);
}

/* The kernel unmaps a page it retired: its programs never touch it again. */
bool guest_rt::retired(uint64_t gfn) const
{
    for (unsigned i = 0; i < kernel_.nretired; i++)
        if (kernel_.retired[i] == gfn)
            return true;
    return false;
}

void guest_rt::workload_thread(unsigned v)
{
    workload &w = workloads_[v];
    const sc_time step = sc_time::from_value(workload_interval_ps(&w));
    for (;;) {
        wait(step);
        if (gone(hv_, cfg_.id) || host_.stopped())
            return;
        if (!running(hv_, cfg_.id))
            continue; /* paused: its programs do not run */
        const domain *d = hv_domain(&hv_, cfg_.id);
        /* a vCPU inside its machine-check handler, or on a pCPU inside the
         * hypervisor's, runs no program code */
        const vcpu &vc = d->vcpu[v];
        if (vc.down || vc.vmce.pending || (vc.vmce.mcg_status & MCG_STATUS_MCIP) || host_.pcpu_busy(vc.pcpu))
            continue;
        workload_access a;
        workload_next(&w, &a);
        if (retired(a.gaddr >> 12))
            continue;
        if (a.write)
            host_.guest_write(cfg_.id, v, a.gaddr);
        else
            host_.guest_access(cfg_.id, v, a.gaddr, false, a.user);
    }
}

void guest_rt::vmce_raised(unsigned vcpu)
{
    if (vcpu < pending_.size()) {
        pending_[vcpu] = true;
        raised_[vcpu]->notify(SC_ZERO_TIME);
    }
}

void guest_rt::vcpu_offline(unsigned vcpu)
{
    if (hv_guest_vcpu_down(&hv_, cfg_.id, vcpu) != 0)
        return;
    char detail[48];
    snprintf(detail, sizeof(detail), "dom%u vcpu%u", cfg_.id, vcpu);
    host_.guest_trace(TS_VCPU_OFFLINE, 0, detail);
    linux_guest_set_online(&kernel_, hv_guest_vcpus_online(&hv_, cfg_.id));
}

void guest_rt::vcpu_online(unsigned vcpu)
{
    if (vcpu >= boot_.size() || hv_guest_vcpu_up(&hv_, cfg_.id, vcpu) != 0)
        return;
    char detail[48];
    snprintf(detail, sizeof(detail), "dom%u vcpu%u", cfg_.id, vcpu);
    host_.guest_trace(TS_VCPU_ONLINE, 0, detail);
    linux_guest_set_online(&kernel_, hv_guest_vcpus_online(&hv_, cfg_.id));
    boot_[vcpu] = true;
    raised_[vcpu]->notify(SC_ZERO_TIME);
}

void guest_rt::changed()
{
    for (auto &e : raised_)
        e->notify(SC_ZERO_TIME);
}

void guest_rt::vcpu_thread(unsigned v)
{
    /* A migrating-in guest booted elsewhere: its kernel arrives (adopt). */
    if (!incoming_)
        linux_guest_boot(&kernel_, v);
    for (;;) {
        if (gone(hv_, cfg_.id) || host_.stopped())
            return;
        if (boot_[v]) { /* brought up: the AP's bring-up runs first */
            boot_[v] = false;
            linux_guest_boot(&kernel_, v);
            continue;
        }
        if (!pending_[v] || !running(hv_, cfg_.id) || down(hv_, cfg_.id, v) || (incoming_ && !adopted_)) {
            wait(*raised_[v]); /* a vMCE, or a change of state (unpause) */
            continue;
        }
        pending_[v] = false;
        if (sched_delay_ps_)
            wait(sc_time::from_value(sched_delay_ps_));
        if (gone(hv_, cfg_.id) || host_.stopped())
            return;
        if (!hv_guest_take_vmce(&hv_, cfg_.id, v)) {
            /* paused meanwhile: the injection waits in the vCPU */
            const domain *d = hv_domain(&hv_, cfg_.id);
            if (d && v < d->nvcpus && d->vcpu[v].vmce.pending)
                pending_[v] = true;
            continue;
        }
        /* The vCPU was interrupted in user or kernel mode, as its pCPU says. */
        x86_exec_ctx ctx = host_.vcpu_context(cfg_.id, v);
        handling_vcpu_ = v;
        linux_guest_machine_check(&kernel_, v, ctx);
    }
}
