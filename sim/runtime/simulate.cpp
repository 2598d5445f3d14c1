/*
 * simulate.cpp - elaborate the platform of a scenario, play its timeline
 * and run the SystemC kernel for the scenario's duration.
 *
 * The injector is one SC_THREAD that walks the events in time order (file
 * order for equal times, so a scenario reads top to bottom); repeats are
 * made one at a time as they come (sim/scenario/timeline.h), never past
 * the duration. Nothing here depends on wall-clock time or on pointer
 * values, so the same scenario and seed give the same trace.
 */
#include "sim/runtime/simulate.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "sim/runtime/host_rt.hpp"
#include "sim/runtime/migration_rt.hpp"
#include "sim/results/vcd_date.h"
#include "sim/scenario/timeline.h"

using namespace sc_core;

namespace {

class world {
public:
    world(const scenario &s, run_result &rr, trace_sink &sink, bool rebase_every)
        : scn_(s), rr_(rr), end_ps_(s.duration_ps)
    {
        /* a run past 1000 h (a year: beyond SystemC's 2^64 ps) rebases at
         * every quiet point; the loader allows it only with skip_quiet */
        quiet_.every = rebase_every || s.duration_ps > SCV_TIME_MAX_PS;
        quiet_.hold = [this](bool hold) { hold_injector(hold); };
        quiet_.held_at = [this]() { return inj_waiting_ ? pending_.at_ps : UINT64_MAX; };
        quiet_.next = [this]() {
            uint64_t end = end_before_horizon();
            return inj_waiting_ && pending_.at_ps < end ? pending_.at_ps : end;
        };
        quiet_.rebase = [this](uint64_t d, bool dry) { return rebase(d, dry); };
        for (unsigned i = 0; i < s.nhosts; i++)
            hosts_.emplace_back(new host_rt(s, i, rr, sink));
        for (auto &h : hosts_) {
            h->set_mover([this](unsigned domid, unsigned to, bool live) { return move(domid, to, live); });
            h->set_hosts(&hosts_);
            h->set_world(&quiet_);
        }
        if (scn_timeline_init(&timeline_, &s, scn_events_until(&s)) != 0)
            throw std::bad_alloc();
        sc_spawn(sc_bind(&world::injector, this), "injector");
    }

    ~world() { scn_timeline_free(&timeline_); }

    void set_reached(volatile uint64_t *us) { quiet_.reached_us = us; }

    void trace_signals(sc_trace_file *tf)
    {
        for (auto &h : hosts_)
            h->trace_signals(tf);
    }

    /* The run's end on SystemC's clock (moved by rebases; a year's is
     * beyond 2^64 ps until rebases bring it closer). */
    rtime_t end_ps() const { return end_ps_; }
    /* The end, or SIM_SC_HORIZON_PS when it is later: how far one sc_start
     * may go. */
    uint64_t end_before_horizon() const
    {
        return end_ps_ < SIM_SC_HORIZON_PS ? (uint64_t)end_ps_ : SIM_SC_HORIZON_PS;
    }
    rtime_t epoch_ps() const { return epoch_ps_; }
    /* Some host still runs: a stopped or hung one changes nothing its
     * outcome says any more. */
    bool any_running() const
    {
        for (const auto &h : hosts_)
            if (!h->stopped() && !h->hung())
                return true;
        return false;
    }
    uint64_t rebases() const { return rebases_; }
    /* True once after a rebase paused the kernel (sim_run resumes it). */
    bool take_pause()
    {
        bool p = paused_;
        paused_ = false;
        return p;
    }

    void finish()
    {
        for (auto &h : hosts_)
            h->finish();
        for (auto &m : migrations_)
            m->finish();
    }

private:
    /* It waits on an event rather than for a time, so that a rebase can
     * move its next occurrence (rebase below). */
    void injector()
    {
        while (scn_timeline_next(&timeline_, &pending_)) {
            uint64_t now = sc_time_stamp().value();
            if (pending_.at_ps > now) {
                inj_waiting_ = true;
                inj_ev_.notify(sc_time::from_value(pending_.at_ps - now));
                wait(inj_ev_);
                inj_waiting_ = false;
            }
            if (quiet_.reached_us) /* how far the run got, for a limit (sim_outputs) */
                *quiet_.reached_us = (uint64_t)((epoch_ps_ + sc_time_stamp().value()) / 1000000u);
            apply(*pending_.ev, pending_.at_ps);
        }
    }

    void hold_injector(bool hold)
    {
        if (hold)
            inj_ev_.cancel();
        else if (inj_waiting_)
            inj_ev_.notify(sc_time::from_value(pending_.at_ps - sc_time_stamp().value()));
    }

    /* The world's part of a rebase (host_quiet.cpp): the injector's next
     * occurrence, the timeline's later ones and the run's end moved d
     * earlier. -EBUSY when one of them is due within the d skipped. */
    int rebase(uint64_t d, bool dry)
    {
        uint64_t now = sc_time_stamp().value();
        if ((inj_waiting_ && pending_.at_ps < now + d) || end_ps_ <= now + d)
            return -EBUSY;
        if (dry)
            return 0;
        if (scn_timeline_rebase(&timeline_, d, now) != 0)
            return -EBUSY; /* not when the pending occurrence is later */
        if (inj_waiting_) {
            pending_.at_ps -= d;
            inj_ev_.cancel();
            inj_ev_.notify(sc_time::from_value(pending_.at_ps - now));
        }
        end_ps_ -= d;
        rebases_++;
        epoch_ps_ += d;
        paused_ = true;
        return 0;
    }

    void apply(const scn_event &e, uint64_t at)
    {
        switch (e.kind) {
        case SCN_EV_INJECT:
            hosts_[e.u.inject.host]->clear_current(e.u.inject.cpu);
            hosts_[e.u.inject.host]->inject(e.u.inject, at);
            break;
        case SCN_EV_CONTEXT:
            hosts_[e.u.context.host]->set_context(e.u.context.cpu, e.u.context.ctx);
            break;
        case SCN_EV_CR4_MCE:
            hosts_[e.u.cr4.host]->set_cr4_mce(e.u.cr4.cpu, e.u.cr4.on);
            break;
        case SCN_EV_STALL:
            hosts_[e.u.stall.host]->stall(e.u.stall.cpu, e.u.stall.for_ps);
            break;
        case SCN_EV_GUEST_ACCESS:
            for (unsigned d = 0; d < scn_.ndomains; d++)
                if (scn_.domains[d].id == e.u.access.domain)
                    hosts_[scn_.domains[d].host]->guest_access(e.u.access.domain, e.u.access.vcpu,
                                                               e.u.access.gaddr, e.u.access.fetch,
                                                               e.u.access.user);
            break;
        case SCN_EV_DRAM_FAULT:
            hosts_[e.u.fault.host]->dram_fault(e);
            break;
        case SCN_EV_MIGRATE:
            migrate(e.u.migrate);
            break;
        case SCN_EV_MEM_READ:
            hosts_[e.u.mem.host]->clear_current(e.u.mem.cpu);
            hosts_[e.u.mem.host]->mem_read(e.u.mem.cpu, e.u.mem.addr, e.u.mem.fetch, e.u.mem.context);
            break;
        case SCN_EV_MEM_WRITE:
            hosts_[e.u.mem.host]->mem_write(e.u.mem.cpu, e.u.mem.addr);
            break;
        case SCN_EV_LLC_EVICT:
            hosts_[e.u.mem.host]->clear_current(e.u.mem.cpu);
            hosts_[e.u.mem.host]->llc_writeback(e.u.mem.cpu, e.u.mem.addr, e.u.mem.context);
            break;
        case SCN_EV_MSR:
            hosts_[e.u.msr.host]->probe_msr(e.u.msr);
            break;
        case SCN_EV_HYPERCALL:
            hosts_[e.u.call.host]->hypercall(e.u.call);
            break;
        case SCN_EV_BALLOON:
            hosts_[e.u.balloon.host]->balloon(e.u.balloon.domain, e.u.balloon.gaddr);
            break;
        case SCN_EV_DESTROY:
            hosts_[e.u.destroy.host]->destroy(e.u.destroy.domain);
            break;
        case SCN_EV_HV_ACCESS:
            hosts_[e.u.hv_access.host]->hv_access(e.u.hv_access.domain, e.u.hv_access.by, e.u.hv_access.vcpu,
                                                  e.u.hv_access.path, e.u.hv_access.gaddr);
            break;
        case SCN_EV_PCIE_ERROR:
            hosts_[e.u.pcie.host]->pcie_error(e.u.pcie.dev, e.u.pcie.err, e.u.pcie.header);
            break;
        case SCN_EV_CPU_OFFLINE:
            hosts_[e.u.hotplug.host]->cpu_offline(e.u.hotplug.cpu);
            break;
        case SCN_EV_CPU_ONLINE:
            hosts_[e.u.hotplug.host]->cpu_online(e.u.hotplug.cpu);
            break;
        case SCN_EV_VCPU_OFFLINE:
        case SCN_EV_VCPU_ONLINE:
            if (guest_rt *g = hosts_[e.u.vcpu_hp.host]->guest(e.u.vcpu_hp.domain)) {
                if (e.kind == SCN_EV_VCPU_OFFLINE)
                    g->vcpu_offline(e.u.vcpu_hp.vcpu);
                else
                    g->vcpu_online(e.u.vcpu_hp.vcpu);
            }
            break;
        case SCN_EV_FW_ERROR:
            hosts_[e.u.fw.host]->fw_error(e);
            break;
        case SCN_EV__COUNT:
            break;
        }
    }

    /* dom0's toolstack on the domain's host starts a live migration. A
     * domain migrates once per run; a second request is logged and
     * ignored (the loader rejects it in a file). */
    void migrate(const scn_migrate &m)
    {
        if (start(m) != 0) {
            const scn_domain *d = domain(m.domain);
            char line[96];
            snprintf(line, sizeof(line), "migrate dom%u: refused (not a domain that can move now)", m.domain);
            rr_add_line(&rr_, RR_DOM0_LOG, epoch_ps_ + sc_time_stamp().value(), d ? d->host : 0, line);
        }
    }

    /* dom0 decided to move a DomU (Egger's case II): a migration with
     * xc_domain_save's defaults, live or cold (save and restore). */
    long move(unsigned domid, unsigned to, bool live)
    {
        scn_migrate m;
        scn_migrate_defaults(&m, domid, to);
        m.cold = !live;
        return start(m);
    }

    const scn_domain *domain(unsigned id) const
    {
        for (unsigned i = 0; i < scn_.ndomains; i++)
            if (scn_.domains[i].id == id)
                return &scn_.domains[i];
        return nullptr;
    }

    /* 0, -EBUSY when the domain moves or moved already, -EINVAL when it
     * cannot move there. */
    long start(const scn_migrate &m)
    {
        const scn_domain *d = domain(m.domain);
        for (auto &x : migrations_)
            if (x->domid() == m.domain)
                return -EBUSY;
        if (!d || d->host >= hosts_.size() || m.to >= hosts_.size() || d->host == m.to)
            return -EINVAL;
        host_rt &src = *hosts_[d->host], &dst = *hosts_[m.to];
        migrations_.emplace_back(new migration_rt(scn_, m, src, dst, rr_, link_free_[{d->host, m.to}]));
        src.add_migration(migrations_.back().get());
        return 0;
    }

    const scenario &scn_;
    run_result &rr_;
    std::vector<std::unique_ptr<host_rt>> hosts_;
    std::vector<std::unique_ptr<migration_rt>> migrations_;
    /* per direction of each host pair: when its link is next free (map
     * nodes stay put, so migrations can hold a reference) */
    std::map<std::pair<unsigned, unsigned>, uint64_t> link_free_;
    scn_timeline timeline_;
    scn_occurrence pending_{};  /* the injector's next occurrence */
    sc_event inj_ev_;
    bool inj_waiting_ = false;
    uint64_t rebases_ = 0;
    rtime_t end_ps_, epoch_ps_ = 0;
    bool paused_ = false;
    host_rt::quiet_world quiet_;
};

} // namespace

/* SystemC wants an sc_main; mcasim has its own main and elaborates
 * directly, so this is never called. */
int sc_main(int, char *[])
{
    fprintf(stderr, "mcasim: sc_main is not used\n");
    return 2;
}

/* SystemC names a VCD STEM.vcd: ask for FILE's stem when FILE ends in .vcd,
 * else for FILE.partial, renamed to FILE once written. */
static std::string vcd_stem(const std::string &file)
{
    const std::string ext = ".vcd";
    if (file.size() > ext.size() && file.compare(file.size() - ext.size(), ext.size(), ext) == 0)
        return file.substr(0, file.size() - ext.size());
    return file + ".partial";
}

/* After the run: close, make the $date stable, give the file its name. */
static int vcd_finish(sc_trace_file *vcd, const char *file)
{
    sc_close_vcd_trace_file(vcd);
    std::string written = vcd_stem(file) + ".vcd";
    if (vcd_date_clear(written.c_str()) != 0) {
        fprintf(stderr, "mcasim: %s: cannot rewrite the VCD's $date (SystemC did not write the file whole)\n", file);
        return SIM_ERR_OUTPUT;
    }
    if (written != file && rename(written.c_str(), file) != 0) {
        fprintf(stderr, "mcasim: cannot write %s: %s\n", file, strerror(errno));
        return SIM_ERR_OUTPUT;
    }
    return 0;
}

extern "C" int sim_run(const struct scenario *s, uint64_t seed, const struct sim_outputs *o,
                       struct run_result *out)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    rr_init(out, s, s->nhosts);
    rr_set_bounded(out, o ? o->keep : 0);
    out->seed = seed;
    trace_sink sink;
    trace_sink_init(&sink, s, out, o ? o->trace : nullptr, o ? o->perfetto : nullptr);
    int rc = 0;
    try {
        sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
        sc_report_handler::set_actions(SC_WARNING, SC_DO_NOTHING);
        /* a check's knob (docs/TIME.md): rebase at every quiet point */
        const char *knob = getenv("MCASIM_REBASE_EVERY");
        bool every = knob && strcmp(knob, "1") == 0;
        auto w = std::make_unique<world>(*s, *out, sink, every);
        w->set_reached(o ? o->reached_us : nullptr);
        sc_trace_file *vcd = nullptr;
        if (o && o->vcd) {
            try {
                vcd = sc_create_vcd_trace_file(vcd_stem(o->vcd).c_str());
            } catch (const std::exception &ex) {
                fprintf(stderr, "mcasim: cannot write %s: %s\n", o->vcd, ex.what());
                rc = SIM_ERR_OUTPUT;
            }
        }
        if (vcd) {
            vcd->set_time_unit(1, SC_PS);
            w->trace_signals(vcd);
        }
        if (rc == 0) {
            sc_start(sc_time::from_value(w->end_before_horizon()));
            while (w->take_pause()) /* a rebase moved the end */
                sc_start(sc_time::from_value(w->end_before_horizon() - sc_time_stamp().value()));
            /* No rebase brought the end within SystemC's reach while a host
             * still ran (a stopped or hung host never rebases, and needs
             * none: its outcome is final, and it is the run's). */
            if (w->end_ps() > sc_time_stamp().value() && w->any_running()) {
                fprintf(stderr, "mcasim: %s: the run stopped at SystemC's horizon (%llu ps) before its end: "
                                "nothing let it rebase (docs/TIME.md); its results would cover part of "
                                "the run only, so it failed\n",
                        s->name, (unsigned long long)sc_time_stamp().value());
                rc = SIM_ERR_RUN; /* a truncated run must not pass for a whole one */
            }
            if (vcd) {
                int vr = vcd_finish(vcd, o->vcd);
                rc = rc ? rc : vr;
            }
            out->end_ps = w->epoch_ps() + sc_time_stamp().value();
            if (every) /* what the knob did, for the check (tests/rebase.sh) */
            {
                char moved[RTIME_STR_LEN];
                fprintf(stderr, "mcasim: %llu rebases, %s ps moved, SystemC's clock at %llu ps\n",
                        (unsigned long long)w->rebases(), rtime_str(moved, w->epoch_ps()),
                        (unsigned long long)sc_time_stamp().value());
            }
            w->finish();
        }
    } catch (const std::exception &ex) {
        fprintf(stderr, "mcasim: simulation failed: %s\n", ex.what());
        rc = SIM_ERR_RUN;
    }
    trace_sink_finish(&sink, out->end_ps);
    trace_sink_free(&sink);
    rr_finish(out);
    return rc;
}
