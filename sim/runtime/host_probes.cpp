/*
 * host_probes.cpp - the probe events of one host (host_rt.hpp): a guest
 * vCPU's or a host CPU's MSR access, the MCA hypercall made by a domain, a
 * guest giving a page back, the toolstack destroying a domain, the
 * hypervisor reading a domain's frame on one of its paths, a host CPU
 * taken offline or brought online (cpu_hotplug.c). Each takes
 * its slot in the run's probe answers when its event fires, so the
 * answers keep event order (expect.msrs, expect.calls), and is traced as
 * a `probe` stage with what it got.
 *
 * MSR probes and the two domain calls take no simulated time. A hypercall
 * runs on a thread of its own, so what the hypervisor charges it delays
 * nobody else; its arguments are laid out in a scratch area of dom0's
 * memory kept for probes, as dom0's libxc would, one call at a time.
 */
#include "sim/runtime/host_rt.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

extern "C" {
#include "arch/x86_mca.h"
}

using namespace sc_core;


void host_rt::probe_done(unsigned idx, const char *detail)
{
    rr_probe &p = rr_.probes[idx];
    p.done = true;
    trace(p.domain < 0 ? (int)p.cpu : -1, TS_PROBE, -1, 0, 0, detail);
}

void host_rt::probe_msr(const scn_msr_probe &m)
{
    unsigned idx = rr_add_probe(&rr_);
    rr_probe &p = rr_.probes[idx];
    p = rr_probe{};
    p.t_ps = real_ps();
    p.host = index_;
    p.kind = SCN_EV_MSR;
    p.domain = m.domain;
    p.cpu = m.cpu;
    p.msr = m.msr;
    p.write = m.write;
    p.value = m.write ? m.value : 0;
    int rc;
    if (m.domain >= 0) {
        rc = m.write ? hv_guest_wrmsr(&hv_, (unsigned)m.domain, m.cpu, m.msr, m.value)
                     : hv_guest_rdmsr(&hv_, (unsigned)m.domain, m.cpu, m.msr, &p.value);
    } else {
        /* the register file itself (a shared bank's lives on its home CPU) */
        cpu_sc &home = *cpus_[msr_home(m.cpu, m.msr)];
        rc = m.write ? cpu_mca_wrmsr(&home.regs, m.msr, m.value) : cpu_mca_rdmsr(&home.regs, m.msr, &p.value);
        for (unsigned b = 0; m.write && rc == 0 && b < home.regs.nbanks; b++)
            if (m.msr == MSR_IA32_MCx_STATUS(b) && m.value == 0)
                ledger_cleared(&ledger_, msr_home(m.cpu, m.msr), b);
        home.refresh_signals();
    }
    p.gp = rc != 0;
    if (p.gp)
        p.value = 0;
    char detail[96];
    snprintf(detail, sizeof(detail), "%s%d %s %#x %s %#llx", m.domain >= 0 ? "dom" : "cpu",
             m.domain >= 0 ? m.domain : (int)m.cpu, m.write ? "wrmsr" : "rdmsr", m.msr, p.gp ? "#GP" : "=",
             (unsigned long long)p.value);
    probe_done(idx, detail);
}

/* The call's slot, filled as far as the event says. */
unsigned host_rt::new_call(enum scn_event_kind kind)
{
    unsigned idx = rr_add_probe(&rr_);
    rr_.probes[idx] = rr_probe{};
    rr_.probes[idx].t_ps = real_ps();
    rr_.probes[idx].host = index_;
    rr_.probes[idx].kind = kind;
    rr_.probes[idx].domain = -1;
    return idx;
}

void host_rt::balloon(unsigned domid, uint64_t gaddr)
{
    unsigned idx = new_call(SCN_EV_BALLOON);
    rr_.probes[idx].rc = hv_guest_remove_page(&hv_, domid, gaddr >> 12);
    char detail[80];
    snprintf(detail, sizeof(detail), "dom%u gives back gfn %#llx: %lld", domid, (unsigned long long)(gaddr >> 12),
             rr_.probes[idx].rc);
    probe_done(idx, detail);
}

void host_rt::destroy(unsigned domid)
{
    unsigned idx = new_call(SCN_EV_DESTROY);
    domain *d = hv_domain(&hv_, domid);
    rr_.probes[idx].rc = d ? 0 : -ESRCH;
    if (d)
        hv_domain_destroy(&hv_, d, "destroyed by the toolstack");
    char detail[48];
    snprintf(detail, sizeof(detail), "destroy dom%u: %lld", domid, rr_.probes[idx].rc);
    probe_done(idx, detail);
}

/* The hypervisor reads a frame of `owner` on `path`, running for vCPU
 * `vcpu` of `by` (hv/hv_touch.c decides whether it may): the answer is the
 * path's return code, and status 1 when the frame was loaded. A load that
 * consumes poison raises its #MC on that vCPU's pCPU, in the context the
 * path loads in; the answer is already given then. */
void host_rt::hv_access(unsigned owner, unsigned by, unsigned vcpu, unsigned path, uint64_t gaddr)
{
    unsigned idx = new_call(SCN_EV_HV_ACCESS);
    const domain *b = hv_domain(&hv_, by);
    hv_touch t{};
    t.rc = -ESRCH;
    t.why = "the caller is gone";
    if (!stopped_ && b && vcpu < b->nvcpus && b->state != DOM_CRASHED && b->state != DOM_DYING)
        hv_touch_guest(&hv_, (hv_path)path, owner, gaddr, &t);
    rr_.probes[idx].rc = t.rc;
    rr_.probes[idx].status = t.touch;
    char detail[128];
    snprintf(detail, sizeof(detail), "%s of dom%u gaddr %#llx for dom%u: %s, %d", hv_path_name((hv_path)path), owner,
             (unsigned long long)gaddr, by, t.why, t.rc);
    probe_done(idx, detail);
    if (!t.touch)
        return;
    unsigned cpu = b->vcpu[vcpu].pcpu;
    hv_set_current(&hv_, cpu, by, vcpu);
    load_frame(cpu, t.paddr, t.ctx);
}

void host_rt::hypercall(const scn_hypercall &c)
{
    unsigned idx = new_call(SCN_EV_HYPERCALL);
    sc_spawn(sc_bind(&host_rt::hypercall_thread, this, &c, idx));
}

/* dom0's layout of the command; the out buffers follow it in the slot. */
void host_rt::hypercall_thread(const scn_hypercall *c, unsigned idx)
{
    probe_lock_.lock(); /* the slot holds one call's arguments at a time */
    uint64_t arg = probe_slot_, out = probe_slot_ + 512;
    mca_hypercall *hc = reinterpret_cast<mca_hypercall *>(gmem(arg, sizeof(mca_hypercall)));
    memset(hc, 0, sizeof(*hc));
    hc->cmd = c->cmd;
    hc->interface_version = c->version;
    switch (c->cmd) {
    case MCA_CMD_FETCH:
        hc->u.fetch = mca_fetch{c->flags, 0, c->fetch_id, c->no_buffer ? 0 : out};
        break;
    case MCA_CMD_PHYSCPUINFO:
        hc->u.physcpuinfo = mca_physcpuinfo{c->ncpus, 0, c->no_buffer ? 0 : out};
        break;
    case MCA_CMD_NOTIFYDOMAIN:
        hc->u.notifydomain = mca_notifydomain{c->domid, c->action, c->record, c->bank, 0};
        break;
    case MCA_CMD_OFFLINE_PAGE:
        hc->u.offline = mca_offline{c->mfn, c->op, 0};
        break;
    case MCA_CMD_SPARE_RANK:
        hc->u.spare.addr = c->addr;
        hc->u.spare.mode = c->mode;
        break;
    default:
        break;
    }
    long rc = hv_do_mca(&hv_, c->caller, c->bad_arg ? 0x10 : arg);
    rr_probe &p = rr_.probes[idx];
    p.rc = rc;
    p.status = c->cmd == MCA_CMD_FETCH           ? hc->u.fetch.flags
               : c->cmd == MCA_CMD_PHYSCPUINFO   ? hc->u.physcpuinfo.ncpus
               : c->cmd == MCA_CMD_OFFLINE_PAGE ? hc->u.offline.status
                                                 : 0;
    if (c->cmd == MCA_CMD_PHYSCPUINFO && !c->no_buffer && rc == 0 && hc->u.physcpuinfo.ncpus)
        p.value = reinterpret_cast<const mca_cpuinfo *>(gmem(out, sizeof(mca_cpuinfo)))->vendor;
    char detail[96];
    snprintf(detail, sizeof(detail), "dom%u mca cmd %u: %ld, status %#llx", c->caller, c->cmd, rc,
             (unsigned long long)p.status);
    probe_done(idx, detail);
    probe_lock_.unlock();
}

void host_rt::cpu_offline(unsigned cpu)
{
    unsigned idx = new_call(SCN_EV_CPU_OFFLINE);
    rr_.probes[idx].cpu = cpu;
    sc_spawn(sc_bind(&host_rt::hotplug_thread, this, cpu, false, idx));
}

void host_rt::cpu_online(unsigned cpu)
{
    unsigned idx = new_call(SCN_EV_CPU_ONLINE);
    rr_.probes[idx].cpu = cpu;
    sc_spawn(sc_bind(&host_rt::hotplug_thread, this, cpu, true, idx));
}

/* The sysctl's work on CPU 0 (continue_hypercall_on_cpu): the checks,
 * then the CPU does its part on its own thread (CPU_DYING, or the
 * bring-up), then, for an offline, CPU_DEAD. A host that stops meanwhile
 * leaves the call unanswered. */
void host_rt::hotplug_thread(unsigned cpu, bool up, unsigned idx)
{
    long rc = up ? hv_cpu_up_check(&hv_, cpu) : hv_cpu_down_check(&hv_, cpu);
    if (rc == 0 && !stopped_) {
        cpu_sc &c = *cpus_[cpu];
        if (up)
            c.go_online();
        else
            c.go_offline(hv_park_offline_cpus(&hv_));
        wait(c.hotplug);
        if (!up)
            hv_cpu_dead(&hv_, cpu);
    }
    rr_.probes[idx].rc = rc;
    char detail[48];
    snprintf(detail, sizeof(detail), "cpu %s %u: %ld", up ? "online" : "offline", cpu, rc);
    probe_done(idx, detail);
}
