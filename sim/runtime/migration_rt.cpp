/*
 * migration_rt.cpp - a live migration between two hosts at run time
 * (migration_rt.hpp).
 */
#include "sim/runtime/migration_rt.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "sim/runtime/host_rt.hpp"

extern "C" {
#include "sim/runtime/page_content.h"
}

using namespace sc_core;

static uint64_t now_ps() { return sc_time_stamp().value(); }

/* Toolstack CPU work per page (docs/COSTS.md, "Migration"): assumptions
 * of the order of a foreign map, a type lookup, a loop step and a dirty
 * bitmap bit; the page copy itself is CPU memcpy at ~10 GB/s. */
static const uint64_t kMigCostPs[] = {
    150000, /* MIG_COST_MAP_PAGE  */
    20000,  /* MIG_COST_TYPE_PAGE */
    5000,   /* MIG_COST_WALK_PAGE */
    2000,   /* MIG_COST_SCAN_PAGE */
};
/* C++ has no designated array initializers: the rows are in enum order. */
static_assert(sizeof(kMigCostPs) / sizeof(kMigCostPs[0]) == MIG_COST__COUNT, "one cost per enum mig_cost");
static constexpr uint64_t kCopyPagePs = 400000;
/* The sender's socket buffer: it blocks when this much is still queued. */
static constexpr uint64_t kSocketBuffer = 4u << 20;
/* Under `foreign_srar: vmce`, how long a process that consumed poison may
 * take to be killed before its load is taken to have returned the corrupt
 * data. */
static constexpr uint64_t kKillWaitPs = 50000000000ull; /* 50 ms */

struct mig_glue {
    static migration_rt *m(void *ctx) { return static_cast<migration_rt *>(ctx); }
    static int read_page(void *ctx, unsigned, uint64_t gfn, uint64_t *token) { return m(ctx)->read_page(gfn, token); }
    static void send(void *ctx, const mig_rec *r) { m(ctx)->send(*r); }
    static long await_reply(void *ctx) { return m(ctx)->await_reply(); }
    static void charge(void *, enum mig_cost what, uint64_t n)
    {
        if ((unsigned)what < MIG_COST__COUNT && n)
            wait(sc_time::from_value(kMigCostPs[what] * n));
    }
    static void mark(void *ctx, enum mig_mark mk, unsigned iter, bool last, const uint64_t *gfns, uint64_t n)
    {
        migration_rt *mr = m(ctx);
        mig_case_mark(&mr->case_, mk, last, gfns, n);
        char detail[64];
        if (mk == MIG_MARK_PAUSED) {
            mr->rr_.migrations[mr->rr_index_].pause_ps = mr->src_.real_ps();
            snprintf(detail, sizeof(detail), "dom%u iteration %u", mr->cfg_.domain, iter);
            mr->src_.guest_trace(TS_MIG_PAUSED, 0, detail);
        }
    }
    static void src_log(void *ctx, const char *line) { m(ctx)->src_.dom0_log(line); }
    static void dst_log(void *ctx, const char *line) { m(ctx)->dst_.dom0_log(line); }
    static void write_page(void *ctx, unsigned domid, uint64_t gfn, uint64_t token)
    {
        if (guest_rt *g = m(ctx)->dst_.guest(domid))
            page_content_set(&g->content(), gfn, token);
    }
};

migration_rt::migration_rt(const scenario &s, const scn_migrate &m, host_rt &src, host_rt &dst, run_result &rr,
                           uint64_t &link_free)
    : scn_(s), cfg_(m), src_(src), dst_(dst), rr_(rr), link_free_ps_(link_free)
{
    rr_migration *r = rr_add_migration(&rr_);
    rr_index_ = rr_.n_migrations - 1;
    r->domain = m.domain;
    r->from = src.index();
    r->to = dst.index();
    r->start_ps = src.real_ps();
    r->outcome = SCN_MIGO_RUNNING;
    mig_case_init(&case_);

    mig_save_config sc{};
    sc.domid = m.domain;
    sc.max_iters = m.max_iters;
    sc.batch = m.batch;
    sc.dirty_threshold = m.dirty_threshold;
    sc.recheck_types = m.recheck_types;
    sc.abort_on_vmce = s.policy.mig_on_vmce == SCN_MIG_ABORT;
    sc.send_vmce = s.policy.mig_caps != SCN_MIG_CAPS_HOST;
    sc.cold = m.cold;
    ctl c{};
    c.abi = src.toolstack_abi(&c.scratch, &c.scratch_len);
    mig_save_ops so{};
    so.ctx = this;
    so.read_page = mig_glue::read_page;
    so.send = mig_glue::send;
    so.await_reply = mig_glue::await_reply;
    so.charge = mig_glue::charge;
    so.mark = mig_glue::mark;
    so.log = mig_glue::src_log;
    mig_save_init(&save_, &sc, &c, &so);

    mig_restore_config rc{m.domain, s.policy.mig_restore_broken == SCN_MIG_MARK_BROKEN};
    ctl d{};
    d.abi = dst.toolstack_abi(&d.scratch, &d.scratch_len);
    mig_restore_ops ro{};
    ro.ctx = this;
    ro.write_page = mig_glue::write_page;
    ro.log = mig_glue::dst_log;
    mig_restore_init(&restore_, &rc, &d, &ro);

    /* The save process runs on dom0's last vCPU (vCPU 0 is mcelog's). */
    const domain *d0 = hv_domain(&src.hyp(), 0);
    vcpu_ = d0 && d0->nvcpus ? d0->nvcpus - 1 : 0;
    char detail[64];
    snprintf(detail, sizeof(detail), "dom%u host%u -> host%u", m.domain, src.index(), dst.index());
    src.guest_trace(TS_MIG_START, 0, detail);
    mig_case_start(&case_);
    std::string base = "mig_dom" + std::to_string(m.domain) + "_" + std::to_string(rr_index_);
    sc_spawn(sc_bind(&migration_rt::save_thread, this), (base + "_save").c_str());
    sc_spawn(sc_bind(&migration_rt::receive_thread, this), (base + "_restore").c_str());
}

migration_rt::~migration_rt() { mig_case_free(&case_); }

void migration_rt::on_mce(uint64_t gfn)
{
    rr_migration &r = rr_.migrations[rr_index_];
    const char *c = mig_case_of(&case_, gfn);
    if (!r.mce_case[0] && c[0])
        snprintf(r.mce_case, sizeof(r.mce_case), "%s", c);
}

/* dom0's kernel killed a process while the save process was blocked in
 * a load of poison: the SRAR was its own (the kernel kills the process
 * that consumed, whichever vCPU ran the verdict of the broadcast). */
void migration_rt::on_process_killed(unsigned)
{
    if (consuming_ && !done_) {
        killed_ = true;
        killed_ev_.notify(SC_ZERO_TIME);
    }
}

/* Step 7's read of one page by the save process. A poisoned frame is
 * consumed: with a CPU copy that is an SRAR in dom0 user context; by DMA
 * nobody consumes it and the corrupt line goes out as data. After the SRAR
 * Xen tells only the page's owner (mc_memerr_dhandler) and returns to the
 * load, which takes the same #MC again, and again: the process never gets
 * past it, and the save stays where it is (the retries are not replayed
 * one by one). Under `foreign_srar: vmce` dom0's kernel is told and kills
 * the process (Ian Campbell on the V4 broken-page patch, case B.I). */
int migration_rt::read_page(uint64_t gfn, uint64_t *token)
{
    guest_rt *g = src_.guest(cfg_.domain);
    const domain *d = hv_domain(&src_.hyp(), cfg_.domain);
    uint64_t mfn = 0;
    if (!g || !d || !p2m_lookup(d, gfn, &mfn))
        return *token = MIG_TOKEN_UNPOPULATED, 0;
    if (cfg_.copy == SCN_MIG_COPY_CPU)
        wait(sc_time::from_value(kCopyPagePs));
    if (killed_)
        return -1;
    *token = page_content_get(&g->content(), gfn);
    if (!src_.frame_poisoned(mfn))
        return 0;
    *token = MIG_TOKEN_CORRUPT;
    if (cfg_.copy == SCN_MIG_COPY_DMA)
        return 0;
    consuming_ = true;
    src_.consume_poison(0, vcpu_, mfn << 12);
    bool told = scn_.policy.foreign_srar == FOREIGN_SRAR_VMCE;
    if (!killed_ && !src_.stopped() && told)
        wait(sc_time::from_value(kKillWaitPs), killed_ev_);
    else if (!killed_ && !src_.stopped())
        wait(killed_ev_); /* re-executing the load: until something kills it */
    consuming_ = false;
    return killed_ ? -1 : 0;
}

void migration_rt::send(const mig_rec &r)
{
    uint64_t now = now_ps();
    uint64_t bytes = mig_rec_wire_bytes(&r);
    uint64_t tx = (uint64_t)((double)bytes * 1e12 / (double)scn_.link.bytes_per_s);
    uint64_t start = link_free_ps_ > now ? link_free_ps_ : now;
    link_free_ps_ = start + tx;
    queued q{link_free_ps_ + scn_.link.latency_ps, r, {}, {}};
    if (r.type == MIG_REC_PAGE_TYPES) {
        q.types.assign(r.types, r.types + r.count);
        q.rec.types = nullptr;
    }
    if (r.type == MIG_REC_VMCE) {
        q.vmce.assign(r.vmce, r.vmce + r.count);
        q.rec.vmce = nullptr;
    }
    wire_.push_back(std::move(q));
    arrived_.notify(SC_ZERO_TIME);
    rr_migration &m = rr_.migrations[rr_index_];
    m.bytes_sent += bytes;
    /* block while more than a socket buffer is still queued */
    uint64_t buffered = (uint64_t)((double)kSocketBuffer * 1e12 / (double)scn_.link.bytes_per_s);
    if (link_free_ps_ > now + buffered)
        wait(sc_time::from_value(link_free_ps_ - now - buffered));
}

long migration_rt::await_reply()
{
    while (!replied_ && !src_.stopped() && !dst_.stopped())
        wait(reply_ev_);
    return replied_ ? reply_ : -EHOSTDOWN;
}

void migration_rt::receive_thread()
{
    for (;;) {
        while (wire_.empty()) {
            if (sender_gone_) {
                mig_restore_abandon(&restore_, "the stream ended without END (the sender died)");
                return;
            }
            wait(arrived_);
        }
        queued &q = wire_.front();
        if (q.arrive_ps > now_ps()) {
            wait(sc_time::from_value(q.arrive_ps - now_ps()));
            continue;
        }
        mig_rec r = q.rec;
        if (r.type == MIG_REC_PAGE_TYPES)
            r.types = q.types.data();
        if (r.type == MIG_REC_VMCE)
            r.vmce = q.vmce.data();
        if (dst_.stopped())
            return;
        if (r.type == MIG_REC_END && restore_.error == 0)
            arrive();
        long rc = mig_restore_record(&restore_, &r);
        bool terminal = r.type == MIG_REC_END || r.type == MIG_REC_ABORT;
        wire_.pop_front();
        if (r.type == MIG_REC_END) {
            /* the answer travels back over the link */
            wait(sc_time::from_value(scn_.link.latency_ps));
            reply_ = rc;
            replied_ = true;
            reply_ev_.notify(SC_ZERO_TIME);
        }
        if (terminal)
            return;
    }
}

void migration_rt::save_thread()
{
    enum mig_save_result r = mig_save_run(&save_);
    /* Whatever the end, nothing more comes: a receiver still waiting once
     * the records on the wire are read (no END or ABORT among them: the
     * process was killed, the guest went away, a domctl failed) abandons
     * the restore and destroys its empty domain. */
    sender_gone_ = true;
    arrived_.notify(SC_ZERO_TIME);
    if (r == MIG_SAVE_KILLED)
        mig_save_recover(&save_);
    conclude(r);
}

/* Map the toolstack's result to the outcome, and check the copy. */
void migration_rt::conclude(enum mig_save_result res)
{
    done_ = true;
    mig_case_done(&case_);
    rr_migration &m = rr_.migrations[rr_index_];
    m.end_ps = src_.real_ps();
    m.iterations = save_.stats.iterations;
    m.rechecks = save_.stats.rechecks;
    m.pages_sent = save_.stats.pages_sent;
    m.broken_sent = save_.stats.broken_sent;
    snprintf(m.reason, sizeof(m.reason), "%s", save_.reason);
    /* the outcome of each toolstack result, in enum mig_save_result order */
    static const scn_mig_outcome map[] = {
        SCN_MIGO_SUCCESS,        /* MIG_SAVE_DONE       */
        SCN_MIGO_ABORTED,        /* MIG_SAVE_ABORTED    */
        SCN_MIGO_REFUSED,        /* MIG_SAVE_REFUSED    */
        SCN_MIGO_PROCESS_KILLED, /* MIG_SAVE_KILLED     */
        SCN_MIGO_GUEST_CRASHED,  /* MIG_SAVE_GUEST_GONE */
        SCN_MIGO_ABORTED,        /* MIG_SAVE_ERROR      */
    };
    static_assert(MIG_SAVE_DONE == 0 && MIG_SAVE_ABORTED == 1 && MIG_SAVE_REFUSED == 2 && MIG_SAVE_KILLED == 3 &&
                      MIG_SAVE_GUEST_GONE == 4 && MIG_SAVE_ERROR == 5,
                  "map[] follows enum mig_save_result");
    m.outcome = map[res];
    if (res == MIG_SAVE_REFUSED && restore_.reason[0])
        snprintf(m.reason, sizeof(m.reason), "the target refused the guest: %s", restore_.reason);
    if (res == MIG_SAVE_DONE && m.pages_lost) {
        m.outcome = SCN_MIGO_DATA_LOSS;
        snprintf(m.reason, sizeof(m.reason), "%llu pages differ on the target from the source at pause (first gfn %#llx)",
                 (unsigned long long)m.pages_lost, (unsigned long long)m.first_lost_gfn);
    }
    char detail[96];
    snprintf(detail, sizeof(detail), "dom%u %s%s%s", cfg_.domain, scn_mig_outcome_name(m.outcome),
             m.mce_case[0] ? " case " : "", m.mce_case);
    src_.guest_trace(TS_MIG_END, 0, detail);
}

/* END reached the target, which is about to start the guest: compare its
 * copy with the source's pages (paused since the last iteration), and
 * hand the guest's kernel and programs over with its memory. */
void migration_rt::arrive()
{
    guest_rt *sg = src_.guest(cfg_.domain), *dg = dst_.guest(cfg_.domain);
    const domain *dd = hv_domain(&dst_.hyp(), cfg_.domain);
    const domain *sd = hv_domain(&src_.hyp(), cfg_.domain);
    if (!sg || !dg || !dd || !sd)
        return;
    struct ctx_t {
        migration_rt *self;
        const domain *sd, *dd;
    } cx{this, sd, dd};
    mig_integrity_in in{};
    in.nr_pages = sd->nr_pages;
    in.src = &sg->content();
    in.dst = &dg->content();
    in.ctx = &cx;
    in.src_poisoned = [](void *c, uint64_t gfn) {
        ctx_t *x = static_cast<ctx_t *>(c);
        uint64_t mfn;
        return p2m_lookup(x->sd, gfn, &mfn) && x->self->src_.frame_poisoned(mfn);
    };
    in.dst_broken = [](void *c, uint64_t gfn) { return p2m_is_broken(static_cast<ctx_t *>(c)->dd, gfn); };
    mig_integrity ig;
    mig_integrity_check(&in, &ig);
    rr_migration &m = rr_.migrations[rr_index_];
    m.pages_checked = ig.checked;
    m.pages_lost = ig.lost;
    m.needless_broken = ig.needless_broken;
    m.broken_on_target = ig.broken_on_target;
    m.first_lost_gfn = ig.first_lost;
    /* The HVM context records carry each vCPU's control registers and the
     * guest's MCA enables: CR4.MCE, MCi_CTL written, a PV callback. */
    domain *dw = hv_domain(&dst_.hyp(), cfg_.domain);
    for (unsigned v = 0; v < sd->nvcpus && v < dw->nvcpus; v++)
        hv_guest_set_cr4_mce(&dst_.hyp(), cfg_.domain, v, sd->vcpu[v].cr4_mce);
    if (sd->mce_callback)
        hv_guest_register_mce_callback(&dst_.hyp(), cfg_.domain);
    dw->mca_enabled = sd->mca_enabled;
    dg->adopt(*sg);
}

/* Crashes after the toolstack finished still count against the move. */
void migration_rt::finish()
{
    rr_migration &m = rr_.migrations[rr_index_];
    if (!done_)
        return;
    host_rt &where = m.outcome == SCN_MIGO_SUCCESS || m.outcome == SCN_MIGO_DATA_LOSS ? dst_ : src_;
    const domain *d = hv_domain(&where.hyp(), cfg_.domain);
    if (d && d->state == DOM_CRASHED && m.outcome != SCN_MIGO_DATA_LOSS) {
        m.outcome = SCN_MIGO_GUEST_CRASHED;
        snprintf(m.reason, sizeof(m.reason), "the guest crashed on host%u: %.150s", where.index(), d->reason);
    }
}
