/*
 * host_memory.cpp - a host's memory model wired to its CPUs: faults placed
 * by events or drawn from field rates, demand reads over TLM from the CPU
 * that consumes the line, and the patrol scrubber's findings, each turned
 * into what hardware logs and signals (docs/MEMORY.md):
 *   corrected (scrub or read)  -> CE in the memory controller's bank, CMCI
 *                                 at the threshold;
 *   uncorrectable, scrub       -> SRAO 0xC0|channel in that bank, #MC
 *                                 (or CMCI, by configuration);
 *   uncorrectable, consumed    -> SRAR 0x134 / 0x150 in the consuming CPU's
 *                                 bank, #MC with EIPV;
 *   miscorrected (scrub or read) -> a CE, as corrected: the decoder cannot
 *                                 tell; only the truth knows the data is
 *                                 wrong;
 *   undetected                 -> nothing at all: only the truth knows.
 */
#include <cerrno>
#include <cstdio>

extern "C" {
#include "arch/text_fmt.h"
#include "arch/x86_mca.h"
}

#include "sim/scenario/dram_config.h"
#include "sim/scenario/scenario_values.h"
#include "sim/runtime/host_rt.hpp"

#include "arch/ps_rebase.h"

extern "C" {
#include "models/memctl/field_rates.h"
#include "models/memctl/fold_holes.h"
#include "models/memctl/mem_rng.h"
}

using namespace sc_core;

static uint64_t now_ps() { return sc_time_stamp().value(); }

struct memory_glue {
    static void scrub_found(void *ctx, const memctl_scrub_event &ev)
    {
        static_cast<host_rt *>(ctx)->scrub_found(ev);
    }
    static uint64_t plan_wake(void *ctx, uint64_t next, bool *sync)
    {
        return static_cast<host_rt *>(ctx)->plan_scrub_wake(next, sync);
    }
    static void fold_due(void *ctx) { static_cast<host_rt *>(ctx)->fold_scrub_ces(true); }
};

void host_rt::build_memory(const scenario &)
{
    const scn_dram &d = cfg_.dram;
    if (!d.present)
        return;
    memctl_sc_hooks hooks;
    hooks.ctx = this;
    hooks.scrub_found = memory_glue::scrub_found;
    hooks.plan_wake = memory_glue::plan_wake;
    hooks.fold_due = memory_glue::fold_due;
    std::string name = "h" + std::to_string(index_) + "_memctl";
    mem_.reset(new memctl_sc(name.c_str(), scn_dram_config(&d), d.read_latency_ps, hooks));
    for (auto &c : cpus_)
        c->mem->bind(mem_->socket);
    if (d.fr_span_ps) {
        field_rates rates = d.fr_fit;
        field_rates_scale(&rates, (double)d.fr_scale);
        mem_rng rng;
        char path[64];
        snprintf(path, sizeof(path), "host%u/memctl/field_rates", index_);
        mem_rng_init(&rng, scn_.seed, path);
        fr_fault *faults = nullptr;
        size_t n = 0;
        if (field_rates_draw_real(&mem_->mc.map, &rates, 0, d.fr_span_ps, &rng, &faults, &n) == 0)
            staged_faults_.assign(faults, faults + n);
        free(faults);
        admit_faults();
    }
}

/* The drawn faults (in time order) whose arrival is within 1000 h of now
 * go to the memory model; a year's later ones wait for the rebases that
 * bring them within a stretch's reach (host_rebase). Each rebase moves at
 * most PS_REBASE_D_MAX (2^61 ps, below 1000 h), so a fault is placed
 * before the time it arrives is skipped. */
size_t host_rt::admit_faults()
{
    uint64_t now = sc_core::sc_time_stamp().value();
    size_t first = next_staged_;
    for (; next_staged_ < staged_faults_.size(); next_staged_++) {
        const fr_fault &s = staged_faults_[next_staged_];
        if (s.at_ps - epoch_ps_ > (rtime_t)now + SCV_TIME_MAX_PS)
            break;
        mem_fault f = s.f;
        f.time_ps = (uint64_t)(s.at_ps - epoch_ps_);
        faults_ += mem_->add_fault(f) != 0;
    }
    return next_staged_ - first;
}

/* Hardware logs an error in a bank and signals it; the ledger follows it. */
void host_rt::latch_and_signal(unsigned cpu, unsigned bank, uint64_t status, uint64_t addr, uint64_t misc,
                               scn_signal signal, int context, rr_found found_by)
{
    scn_inject in{};
    in.host = index_;
    in.cpu = cpu;
    in.bank = bank;
    in.status = status;
    in.addr = addr;
    in.misc = misc;
    in.signal = signal;
    in.context = context;
    in.ripv = in.eipv = -1;
    found_by_ = found_by;
    inject(in, now_ps());
    found_by_ = FOUND_INJECTED;
}

void host_rt::scrub_found(const memctl_scrub_event &ev)
{
    note_reached();
    if (stopped_ || round_fold(ev))
        return;
    static const char *const what[] = {"clean", "corrected", "uncorrectable", "miscorrected"};
    char detail[96] = "";
    if (trace_details())
        text_fmt(detail, sizeof(detail), "%s ch%u rank%u bank%u row%u col%u", what[ev.outcome % 4],
                 ev.loc.channel, ev.loc.rank, ev.loc.bank, ev.loc.row, ev.loc.column);
    trace((int)cfg_.dram.mc_cpu, TS_SCRUB_FOUND, (int)cfg_.dram.mc_bank, ev.status, 0, detail);
    if (ev.outcome == MEMCTL_SDC)
        trace(-1, TS_SDC, -1, 0, 0, "scrub wrote back miscorrected data");
    /* A miscorrection is a correction to the decoder: the controller logs
     * it as a CE (ev.status, memctl_scrub), as it does for a demand read's
     * (mem_read). Only the ground truth knows the data is wrong. */
    scn_signal sig = SCN_SIGNAL_AUTO;
    if (ev.outcome == MEMCTL_UNCORRECTABLE)
        sig = cfg_.dram.scrub_signal ? SCN_SIGNAL_CMCI : SCN_SIGNAL_MCE;
    latch_and_signal(cfg_.dram.mc_cpu, cfg_.dram.mc_bank, ev.status, ev.addr, ev.misc, sig, -1, FOUND_SCRUB);
    have_like_ = ev.outcome != MEMCTL_UNCORRECTABLE && ev.fault_id != 0;
    if (have_like_) {
        fold_like_ = ev;
        fold_scrub_ces(false);
    }
}

/*
 * Folding (docs/MEMORY.md, "A fault over many lines"): while the
 * controller's bank holds a logged CE, every further CE of the same fault
 * only adds to its count - hardware keeps the first entry, software can
 * read nothing of the others. The lines of one permanent fault that the
 * walk reaches next (with nothing else on them) are then taken in one
 * step, up to now: the bank's count grows by their number, the CMCI test
 * runs once (a pending CMCI is one bit, so a second raise before it is
 * taken changes nothing), and the ledger keeps a count, not an entry each.
 * What decides when software sees the bank again is kept exact: before
 * any access of the bank's MSRs the scrubber reports what is due by then
 * (host_glue rdmsr/wrmsr), and the scrubber wakes at the line that would
 * raise a CMCI nobody has pending yet.
 */
bool host_rt::mc_msr(unsigned cpu, uint32_t msr) const
{
    if (!mem_ || stopped_)
        return false;
    unsigned b = cfg_.dram.mc_bank;
    bool ours = msr == MSR_IA32_MCx_CTL(b) || msr == MSR_IA32_MCx_STATUS(b) || msr == MSR_IA32_MCx_ADDR(b) ||
                msr == MSR_IA32_MCx_MISC(b) || msr == MSR_IA32_MCx_CTL2(b);
    return ours && bank_home(cpu, b) == bank_home(cfg_.dram.mc_cpu, b);
}

/*
 * first_due: a catch-up (the scrubber's wake, or scrub_due before a bank
 * access) whose first due line is a CE like fold_like_ while the bank
 * holds a logged CE (any). Line by line that line is one finding, latched as a
 * count (CPU_LATCH_CE_COUNTED: the bank keeps its entry, the count and
 * OVER grow, CMCI when the count reaches the threshold; SDM vol. 3B
 * 15.3.2.2, 15.3.2.5), and the fold after it counts the rest. Folding it
 * with them gives the bank the same count and OVER, the same single CMCI
 * test (cpu_mca_fold_ces), the ledger the same count; only the finding's
 * two trace events are not written. The latch's note_current is kept: the
 * hv's current vCPU of that CPU is set as the finding would set it. A
 * disabled bank (MASKED: the ledger keeps an entry) goes line by line.
 * Otherwise: the fold after a finding (scrub_found).
 */
void host_rt::fold_scrub_ces(bool first_due)
{
    unsigned cpu = cfg_.dram.mc_cpu, bank = cfg_.dram.mc_bank;
    cpu_sc &holder = *cpus_[bank_home(cpu, bank)];
    bool takes = first_due ? cpu_mca_counts_ce(&holder.regs, bank) : cpu_mca_holds_ce(&holder.regs, bank);
    if (!have_like_ || stopped_ || !takes)
        return;
    uint64_t last_ps;
    /* a fault's lines with another's poisoned ones among them: one fold
     * across those holes, as one across none (fold_holes.h) */
    uint64_t n = !fold_nested(fold_like_.fault_id).empty()
                     ? memctl_scrub_fold_holed(&mem_->mc, now_ps(), &fold_like_, first_due, &last_ps)
                 : first_due ? memctl_scrub_fold_due(&mem_->mc, now_ps(), &fold_like_, &last_ps)
                             : memctl_scrub_fold(&mem_->mc, now_ps(), &fold_like_, &last_ps);
    if (n == 0)
        return;
    if (first_due)
        note_current(cpu);
    cpu_latch_result lr = cpu_mca_fold_ces(&holder.regs, bank, n);
    holder.refresh_signals();
    ledger_.counted += n;
    char detail[96] = "";
    if (fold_like_.outcome == MEMCTL_SDC) {
        if (trace_details())
            text_fmt(detail, sizeof(detail), "scrub wrote back miscorrected data x%llu (folded)", (unsigned long long)n);
        trace(-1, TS_SDC, -1, 0, 0, detail);
    }
    if (trace_details())
        text_fmt(detail, sizeof(detail), "%s x%llu (folded)", cpu_latch_kind_name(lr.kind), (unsigned long long)n);
    trace((int)cpu, TS_ERROR_LATCHED, (int)bank, fold_like_.status, 0, detail);
    if (lr.signal_cmci)
        raise_cmci_for(cpu, bank, fold_like_.status);
}

uint64_t host_rt::plan_scrub_wake(uint64_t next, bool *sync)
{
    ask_rebase(); /* once the scrubber sleeps (a year-long run) */
    unsigned cpu = cfg_.dram.mc_cpu, bank = cfg_.dram.mc_bank;
    const cpu_sc &holder = *cpus_[bank_home(cpu, bank)];
    if (stopped_)
        return next;
    if (!have_like_ || !cpu_mca_holds_ce(&holder.regs, bank) ||
        fault_map_footprint_lines(&mem_->mc.faults, fold_like_.fault_id) <= 1)
        return next; /* a fault of one line: one wake a pass costs nothing */
    uint64_t k = cpu_mca_ces_to_cmci(&holder.regs, bank);
    if (k == 1 && cpus_[cpu]->cmci_pending())
        k = 0; /* raised and not yet taken: another raise is the same bit */
    if (!fold_nested(fold_like_.fault_id).empty())
        return memctl_scrub_fold_holed_horizon(&mem_->mc, &fold_like_, k ? k : UINT64_MAX, sync);
    return memctl_scrub_fold_horizon(&mem_->mc, &fold_like_, k ? k : UINT64_MAX, sync);
}

void host_rt::dram_fault(const scn_event &e)
{
    if (!mem_)
        return;
    mem_fault f{};
    f.mode = (fault_mode)e.u.fault.mode;
    f.permanent = e.u.fault.permanent;
    f.channel = e.u.fault.channel;
    f.dimm = e.u.fault.dimm;
    f.rank = e.u.fault.rank;
    f.device = e.u.fault.device;
    f.bank = e.u.fault.bank;
    f.row = e.u.fault.row;
    f.column = e.u.fault.column;
    f.dq_mask = (uint8_t)e.u.fault.dq_mask;
    f.time_ps = now_ps();
    uint64_t id = mem_->add_fault(f);
    faults_ += id != 0;
    char detail[96];
    snprintf(detail, sizeof(detail), "%s %s ch%u rank%u dev%u%s", fault_mode_name(f.mode),
             f.permanent ? "permanent" : "transient", f.channel, f.rank, f.device, id ? "" : " (rejected)");
    trace(-1, TS_DRAM_FAULT, -1, 0, 0, detail);
    mem_->rescan();
}

void host_rt::mem_read(unsigned cpu, uint64_t addr, bool fetch, int ctx)
{
    if (!mem_ || stopped_ || cpu >= ncpus())
        return;
    cpu_sc &c = *cpus_[cpu];
    if (ctx >= 0)
        c.context = (x86_exec_ctx)ctx;
    memctl_ext ext;
    ext.access = fetch ? MEMCTL_INSN_FETCH : MEMCTL_DATA_LOAD;
    if (c.mem_access(addr, false, &ext) != tlm::TLM_OK_RESPONSE)
        return;
    const struct memctl_read &r = ext.read;
    char detail[64];
    snprintf(detail, sizeof(detail), "%s %s", fetch ? "fetch" : "load", memctl_outcome_name(r.outcome));
    trace((int)cpu, TS_MEM_ACCESS, -1, 0, 0, detail);
    switch (r.outcome) {
    case MEMCTL_CORRECTED:
        latch_and_signal(cfg_.dram.mc_cpu, cfg_.dram.mc_bank, memctl_ce_status(r.loc.channel, false),
                         r.line_addr, MEMCTL_MISC_LINE_PHYS, SCN_SIGNAL_AUTO, -1, FOUND_DEMAND);
        break;
    case MEMCTL_UNCORRECTABLE:
        /* the consumer logs it: SRAR, and the #MC goes to everyone */
        latch_and_signal(cpu, cfg_.dram.core_bank, memctl_srar_status(ext.access), r.line_addr,
                         MEMCTL_MISC_LINE_PHYS, SCN_SIGNAL_MCE, -1, FOUND_DEMAND);
        break;
    case MEMCTL_SDC:
        trace((int)cpu, TS_SDC, -1, 0, 0, fetch ? "fetched wrong instructions" : "loaded wrong data");
        /* A miscorrection looks like a correction to hardware: it logs a CE. */
        if (r.hw_status == ECC_CORRECTED)
            latch_and_signal(cfg_.dram.mc_cpu, cfg_.dram.mc_bank, memctl_ce_status(r.loc.channel, false),
                             r.line_addr, MEMCTL_MISC_LINE_PHYS, SCN_SIGNAL_AUTO, -1, FOUND_DEMAND);
        break;
    default:
        break;
    }
}

/* A load of one line by `cpu` in context ctx that software, not a
 * workload, makes (the hypervisor reading a guest's frame, hv_access): the
 * memory model's read when there is one; else a frame an earlier error
 * left poisoned is consumed (SRAR 0x134 in the core bank), and any other
 * reads fine. */
void host_rt::load_frame(unsigned cpu, uint64_t paddr, x86_exec_ctx ctx)
{
    if (stopped_ || cpu >= ncpus())
        return;
    if (mem_) {
        mem_read(cpu, paddr, false, (int)ctx);
        return;
    }
    cpus_[cpu]->context = ctx;
    if (!frame_poisoned(paddr >> 12))
        return;
    char detail[64];
    snprintf(detail, sizeof(detail), "%s loads poisoned %#llx", x86_ctx_name(ctx), (unsigned long long)paddr);
    trace((int)cpu, TS_MEM_ACCESS, -1, 0, 0, detail);
    latch_and_signal(cpu, 1 % cfg_.nbanks, memctl_srar_status(MEMCTL_DATA_LOAD), paddr & ~63ull,
                     MEMCTL_MISC_LINE_PHYS, SCN_SIGNAL_MCE, -1, FOUND_DEMAND);
}

void host_rt::mem_write(unsigned cpu, uint64_t addr)
{
    if (!mem_ || stopped_ || cpu >= ncpus())
        return;
    memctl_ext ext;
    cpus_[cpu]->mem_access(addr, true, &ext);
}

/* The last-level cache writes a line back to memory. The line came in by
 * a fill nobody consumed yet (modelled as a read at this time): a fill that
 * is uncorrectable, or of a poisoned line, leaves the cached copy poisoned,
 * and writing it back explicitly is how the LLC reports it: SRAO 0x17A
 * (cache hierarchy, eviction, generic, L2) in the LLC's bank, by #MC, the
 * error Xen's tools/misc/xen-mceinj.c calls MCE_SRAO_LLC. A clean
 * line is simply written (a full-line write clears memory's poison). */
void host_rt::llc_writeback(unsigned cpu, uint64_t addr, int ctx)
{
    if (!mem_ || stopped_ || cpu >= ncpus())
        return;
    cpu_sc &c = *cpus_[cpu];
    if (ctx >= 0)
        c.context = (x86_exec_ctx)ctx;
    uint64_t line = addr & ~63ull;
    memctl_ext fill;
    bool poisoned = c.mem_access(line, false, &fill) == tlm::TLM_OK_RESPONSE &&
                    (fill.read.outcome == MEMCTL_UNCORRECTABLE || fill.read.was_poisoned);
    char detail[64];
    snprintf(detail, sizeof(detail), "llc writeback %s", poisoned ? "of a poisoned line" : "clean");
    trace((int)cpu, TS_MEM_ACCESS, -1, 0, 0, detail);
    if (!poisoned) {
        mem_write(cpu, line);
        return;
    }
    const uint64_t srao_llc = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_MISCV |
                              MCI_STATUS_ADDRV | MCI_STATUS_S | MCACOD_L3_WB;
    latch_and_signal(cpu, cfg_.dram.llc_bank, srao_llc, line, MEMCTL_MISC_LINE_PHYS, SCN_SIGNAL_MCE, -1, FOUND_LLC);
}

/* The spare rank's copy runs in the controller; the trace marks its end. */
long host_rt::mem_spare(uint64_t paddr, bool mirror)
{
    if (!mem_)
        return -ENODEV;
    int rc = mem_->spare_rank(paddr, mirror);
    if (rc != 0)
        return rc;
    uint64_t done = spare_done_ps(&mem_->mc.spare);
    sc_spawn([this, done, paddr, mirror]() {
        uint64_t now = now_ps();
        if (done > now)
            wait(sc_time::from_value(done - now));
        char detail[64];
        snprintf(detail, sizeof(detail), "rank of %#llx %s", (unsigned long long)paddr,
                 mirror ? "mirrored" : "on the spare");
        trace(-1, TS_SPARE_DONE, -1, 0, 0, detail);
    });
    return 0;
}
