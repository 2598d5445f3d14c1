/*
 * host_ff.cpp - firmware-first reporting on a host: the firmware's record
 * log (models/fw/fw_sal.c) behind the hv's fw_call, the CMC/CPE interrupt
 * the firmware raises after logging (a platform interrupt of the CPU
 * model, so the hv's handler runs on that pCPU), the hv's poll timers, and dom0's
 * vCPU0 taking the virtual CMC/CPE interrupts one at a time
 * (guests/dom0/dom0_ff.c). Time only: the logic is in the C parts.
 */
#include "sim/runtime/host_rt.hpp"

#include <cerrno>
#include <cstdio>

using namespace sc_core;

static_assert((int)FW_SAL_CMC == (int)FW_TYPE_CMC && (int)FW_SAL_CPE == (int)FW_TYPE_CPE, "record types");

static uint64_t now_ps() { return sc_time_stamp().value(); }

/* dom0's handler of the virtual CMC/CPE interrupts, with its own argument
 * slot in dom0's memory (mcelog's scratch is busy with VIRQ_MCA). */
void host_rt::build_firmware(const scenario &)
{
    if (!ff_)
        return;
    fw_ghes_init(&ghes_, cfg_.fw.ghes_v2 != 0);
    ff_irq_.assign(cfg_.ncpus, 0);
    dom0_ff_init(&dom0ff_, &abi_, ff_slot_);
    if (dom0_cfg_)
        sc_spawn(sc_bind(&host_rt::ff_dom0_thread, this), (std::string("h") + std::to_string(index_) + "_dom0_ff").c_str());
}

/* The firmware logs the error in the CPU's log, then interrupts that CPU
 * (the hv ignores the interrupt while it polls the type). */
void host_rt::fw_error(const scn_event &e)
{
    if (stopped_ || !ff_)
        return;
    static const char *const names[FW_TYPE__COUNT] = {"CMC", "CPE", "GHES"};
    char detail[64];
    if (e.u.fw.has_addr)
        snprintf(detail, sizeof(detail), "%s at %#llx", names[e.u.fw.type], (unsigned long long)e.u.fw.addr);
    else
        snprintf(detail, sizeof(detail), "%s", names[e.u.fw.type]);
    trace((int)e.u.fw.cpu, TS_FW_LOGGED, -1, 0, 0, detail);
    if (e.u.fw.type == FW_TYPE_GHES) {
        /* a busy block: held (v2) or lost (v1), no notification either way */
        ghes_cpu_ = e.u.fw.cpu;
        if (fw_ghes_raise(&ghes_, (cper_sev)e.u.fw.severity, e.u.fw.has_addr, e.u.fw.addr, now_ps()) == FW_GHES_NOTIFY)
            ff_raise(ghes_cpu_, FW_TYPE_GHES);
        return;
    }
    fw_sal_log(&fw_, e.u.fw.cpu, (fw_sal_type)e.u.fw.type, now_ps(), e.u.fw.has_addr, e.u.fw.addr);
    ff_raise(e.u.fw.cpu, e.u.fw.type);
}

/* The GHES block as the hv's fw_call sees it: one record for the whole
 * platform; CLEAR is OSPM's acknowledgement, after which a GHESv2
 * firmware writes what it held and notifies again. */
long host_rt::ghes_call(enum fw_op op, fw_error_record *rec)
{
    ghes_status_block b;
    switch (op) {
    case FW_OP_SIZE:
        return (long)sizeof(ghes_status_block);
    case FW_OP_COUNT:
        return fw_ghes_valid(&ghes_) ? 1 : 0;
    case FW_OP_GET:
        if (fw_ghes_read(&ghes_, &b) != 0)
            return -ENOENT;
        if (rec)
            *rec = {b.id, FW_TYPE_GHES, ghes_cpu_, b.t_ps, b.mem.physical_addr,
                    (b.mem.validation & CPER_MEM_VALID_PA) ? FW_REC_ADDRV : 0u, b.error_severity, b.block_status, 0};
        return 0;
    case FW_OP_CLEAR: {
        int rc = fw_ghes_ack(&ghes_, now_ps());
        if (rc == 1)
            ff_raise(ghes_cpu_, FW_TYPE_GHES);
        return rc < 0 ? rc : 0;
    }
    }
    return -EINVAL;
}

/* The interrupt line of the type on that pCPU: the CPU takes it when it
 * is idle and runs the hv's handler on its own thread (cpu_sc). */
void host_rt::ff_raise(unsigned cpu, unsigned type)
{
    ff_irq_[cpu] |= 1u << type;
    cpus_[cpu]->raise_irq();
}

void host_rt::ff_take_irq(unsigned cpu)
{
    while (ff_irq_[cpu] && !stopped_) {
        unsigned type = 0;
        while (!(ff_irq_[cpu] & (1u << type)))
            type++;
        ff_irq_[cpu] &= ~(1u << type);
        hv_ff_signal(&hv_, cpu, type);
    }
}

long host_rt::ff_fw_call(unsigned cpu, enum fw_op op, unsigned type, fw_error_record *rec)
{
    if (type == FW_TYPE_GHES)
        return ghes_call(op, rec);
    fw_sal_type t = (fw_sal_type)type;
    switch (op) {
    case FW_OP_SIZE:
        return (long)fw_sal_state_info_size(&fw_);
    case FW_OP_COUNT:
        return (long)fw_sal_count(&fw_, cpu, t);
    case FW_OP_GET: {
        fw_sal_record r;
        int rc = fw_sal_get(&fw_, cpu, t, &r);
        if (rc == 0 && rec)
            *rec = {r.id, type, r.cpu, r.t_ps, r.addr, r.has_addr ? FW_REC_ADDRV : 0u, 0, 0, 0};
        return rc;
    }
    case FW_OP_CLEAR:
        return fw_sal_clear(&fw_, cpu, t);
    }
    return -EINVAL;
}

/* A later arming of the type replaces an earlier one. */
void host_rt::ff_arm_poll(unsigned type, uint64_t at_ps)
{
    uint64_t gen = ++ff_poll_gen_[type];
    sc_spawn(sc_bind(&host_rt::ff_poll_at, this, type, at_ps, gen));
}

void host_rt::ff_poll_at(unsigned type, uint64_t at_ps, uint64_t gen)
{
    if (at_ps > now_ps())
        wait(sc_time::from_value(at_ps - now_ps()));
    if (!stopped_ && gen == ff_poll_gen_[type])
        hv_ff_poll(&hv_, type);
}

void host_rt::ff_virq(unsigned virq)
{
    ff_pending_ |= 1u << (virq == VIRQ_FW_CMC ? FW_TYPE_CMC : virq == VIRQ_FW_CPE ? FW_TYPE_CPE : FW_TYPE_GHES);
    ff_virq_.notify(SC_ZERO_TIME);
}

/* dom0's vCPU0: each upcall costs an IPI of the host's CPUs, then dom0
 * takes `fw_read_delay` before its handler runs (a busy or slow dom0). */
void host_rt::ff_dom0_thread()
{
    for (;;) {
        if (stopped_)
            return;
        if (!ff_pending_)
            wait(ff_virq_);
        if (stopped_ || !ff_pending_)
            continue;
        unsigned type = 0;
        while (!(ff_pending_ & (1u << type)))
            type++;
        ff_pending_ &= ~(1u << type);
        wait(sc_time::from_value(cpus_[0]->cost_ps(COST_IPI, 1) + dom0_cfg_->fw_read_delay_ps));
        if (stopped_)
            return;
        dom0_ff_on_interrupt(&dom0ff_, type);
    }
}

void host_rt::ff_finish(rr_host &h) const
{
    h.fw.on = ff_;
    if (!ff_)
        return;
    for (unsigned t = 0; t < FW_SAL__TYPES; t++) {
        h.fw.logged += fw_.stats[t].logged;
        h.fw.lost += fw_.stats[t].lost;
    }
    h.fw.logged += ghes_.stats.raised - ghes_.stats.lost;
    h.fw.lost += ghes_.stats.lost;
    h.fw.held = fw_sal_held(&fw_) + fw_ghes_outstanding(&ghes_);
    h.fw.hv = hv_.ff.rep;
}
