/*
 * test_migrate.c - the migration toolstack (guests/dom0/migrate_*.c)
 * against two real hypervisor instances (source and target, each on a
 * mock platform), with the races of the V4 broken-page migration patch
 * (xen-devel, 2012) played at exact steps, and the
 * ground-truth helpers (sim/runtime/page_content.c, sim/runtime/mig_case.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86_mca.h"
#include "guests/dom0/migrate_restore.h"
#include "guests/dom0/migrate_save.h"
#include "hv/hv.h"
#include "hv/vmce.h"
#include "mock_platform.h"
#include "sim/runtime/mig_case.h"
#include "sim/runtime/page_content.h"

#define CAP_SER (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P)
#define NPAGES 64u
#define DOMU 1u
#define BATCH 16u

static const struct hv_mem_region layout[] = {
    {0x10000, NPAGES, HV_OWNER_DOMAIN, DOMU, false, 0},
};

/* One host: its hv, the toolstack's view of dom0 (ABI over mock memory). */
struct host {
    struct mock m;
    struct hv hv;
    struct guest_abi abi;
    struct ctl ctl;
};

/* When in the run to break a page, and what happens when it is read. */
struct race {
    enum mig_mark at;      /* break gfn right after this mark ...   */
    bool at_last;          /* ... of the last iteration             */
    unsigned after_n;      /* ... the n-th time it is seen (0 = first) */
    uint64_t gfn;          /* ... this page, or with of_batch ...    */
    bool of_batch;         /* ... the first page the mark names      */
    bool armed, fired;
    uint64_t broke;        /* the page it broke                      */
};

struct fx {
    struct host src, dst;
    struct page_content csrc, cdst;
    bool poisoned[NPAGES];
    bool dma;              /* reads of poison return corrupt data   */
    struct race race;
    unsigned marks_seen;
    unsigned live_writes;  /* pages the guest writes per live iteration */
    uint64_t next_token;
    struct mig_save save;
    struct mig_restore restore;
    long end_answer;
    bool paused;           /* step 1 seen                           */
    unsigned sent_running; /* pages read while the guest ran         */
};

static long domctl(void *ctx, uint64_t arg)
{
    struct host *h = ctx;
    return hv_do_domctl(&h->hv, 0, arg);
}

static void *gmem(void *ctx, uint64_t gaddr, size_t len)
{
    struct host *h = ctx;
    if (gaddr < MOCK_GBASE || gaddr - MOCK_GBASE + len > MOCK_GLEN)
        return NULL;
    return h->m.gmem + (gaddr - MOCK_GBASE);
}

static void host_init(struct host *h, uint64_t cap_flags, bool incoming, const struct vmce_policy *vp)
{
    mock_init(&h->m, 2, cap_flags, 10);
    static const unsigned pcpu[2] = {0, 1};
    struct hv_domain_config doms[2] = {
        {.id = 0, .type = DOM_TYPE_DOM0, .nvcpus = 2, .pcpu = pcpu, .vmce = *vp},
        {.id = DOMU, .type = DOM_TYPE_HVM, .nvcpus = 2, .pcpu = pcpu, .vmce = *vp, .incoming = incoming},
    };
    struct hv_config cfg;
    hv_config_defaults(&cfg, 2);
    cfg.regions = layout;
    cfg.nregions = 1;
    cfg.domains = doms;
    cfg.ndomains = 2;
    assert_int_equal(hv_init(&h->hv, &cfg, &h->m.plat), 0);
    h->m.hv = &h->hv;
    hv_cpu_boot(&h->hv, 0);
    hv_cpu_boot(&h->hv, 1);
    memset(&h->abi, 0, sizeof(h->abi));
    h->abi.ctx = h;
    h->abi.hypercall_domctl = domctl;
    h->abi.gmem = gmem;
    h->ctl = (struct ctl){&h->abi, MOCK_GBASE, MOCK_GLEN};
}

/* --- save ops: an instant link straight into the restore side --------- */

static int read_page(void *ctx, unsigned domid, uint64_t gfn, uint64_t *token)
{
    struct fx *f = ctx;
    assert_int_equal(domid, DOMU);
    assert_true(gfn < NPAGES);
    if (f->poisoned[gfn]) {
        if (!f->dma)
            return -1; /* SRAR in dom0 user context: the process is killed */
        *token = MIG_TOKEN_CORRUPT;
        return 0;
    }
    *token = page_content_get(&f->csrc, gfn);
    return 0;
}

static void write_page(void *ctx, unsigned domid, uint64_t gfn, uint64_t token)
{
    struct fx *f = ctx;
    assert_int_equal(domid, DOMU);
    page_content_set(&f->cdst, gfn, token);
}

static void send(void *ctx, const struct mig_rec *r)
{
    struct fx *f = ctx;
    long rc = mig_restore_record(&f->restore, r);
    if (r->type == MIG_REC_END)
        f->end_answer = rc;
}

static long await_reply(void *ctx) { return ((struct fx *)ctx)->end_answer; }

static void charge(void *ctx, enum mig_cost what, uint64_t n)
{
    (void)ctx;
    (void)what;
    (void)n;
}

/* The hv handles an uncorrectable error in the guest's page: broken in
 * the p2m (and dirty, in log-dirty mode); the data is gone. */
static void break_page(struct fx *f, uint64_t gfn)
{
    struct domain *d = hv_domain(&f->src.hv, DOMU);
    assert_int_equal(p2m_mark_broken(d, gfn), 0);
    f->poisoned[gfn] = true;
}

static void mark(void *ctx, enum mig_mark m, unsigned iter, bool last, const uint64_t *gfns, uint64_t n)
{
    struct fx *f = ctx;
    (void)n;
    f->paused |= m == MIG_MARK_PAUSED;
    f->sent_running += m == MIG_MARK_SENT && !f->paused;
    /* the guest runs during a live iteration and dirties pages */
    if (m == MIG_MARK_SCANNED && !last)
        for (unsigned i = 0; i < f->live_writes; i++) {
            uint64_t gfn = (iter * 7 + i) % NPAGES;
            assert_int_equal(hv_guest_write(&f->src.hv, DOMU, 0, gfn << 12), 0);
            page_content_set(&f->csrc, gfn, f->next_token++);
        }
    struct race *r = &f->race;
    if (r->armed && !r->fired && m == r->at && last == r->at_last) {
        if (f->marks_seen++ == r->after_n) {
            r->broke = r->of_batch ? gfns[0] : r->gfn;
            break_page(f, r->broke);
            r->fired = true;
        }
    }
}

static struct fx *setup_with(uint64_t dst_caps, bool mark_broken, const struct mig_save_config *over)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    struct vmce_policy vp = {.nbanks = 2, .err_bank = 1, .ser_p = true, .cmci_p = true, .tes_p = true};
    host_init(&f->src, CAP_SER, false, &vp);
    host_init(&f->dst, dst_caps, true, &vp);
    page_content_init(&f->csrc, MIG_TOKEN_BOOT);
    page_content_init(&f->cdst, MIG_TOKEN_UNPOPULATED);
    f->next_token = 100;
    f->live_writes = 8;
    struct mig_save_config sc = {.domid = DOMU, .max_iters = 4, .batch = BATCH, .dirty_threshold = 4,
                                 .send_vmce = true};
    if (over)
        sc = *over;
    struct mig_save_ops so = {.ctx = f, .read_page = read_page, .send = send, .await_reply = await_reply,
                              .charge = charge, .mark = mark};
    mig_save_init(&f->save, &sc, &f->src.ctl, &so);
    struct mig_restore_config rc = {.domid = DOMU, .mark_broken = mark_broken};
    struct mig_restore_ops ro = {.ctx = f, .write_page = write_page};
    mig_restore_init(&f->restore, &rc, &f->dst.ctl, &ro);
    return f;
}

static struct fx *setup(void) { return setup_with(CAP_SER, true, NULL); }

static void teardown(struct fx *f)
{
    hv_fini(&f->src.hv);
    hv_fini(&f->dst.hv);
    page_content_free(&f->csrc);
    page_content_free(&f->cdst);
    test_free(f);
}

static bool dst_broken(void *ctx, uint64_t gfn)
{
    return p2m_is_broken(hv_domain(&((struct fx *)ctx)->dst.hv, DOMU), gfn);
}
static bool src_poisoned(void *ctx, uint64_t gfn) { return ((struct fx *)ctx)->poisoned[gfn]; }

static struct mig_integrity integrity(struct fx *f)
{
    struct mig_integrity_in in = {NPAGES, &f->csrc, &f->cdst, f, src_poisoned, dst_broken};
    struct mig_integrity out;
    mig_integrity_check(&in, &out);
    return out;
}

static enum dom_state state(struct host *h) { return hv_domain(&h->hv, DOMU)->state; }

/* ---------------------------------------------------------------------- */

static void clean_migration_copies_every_page(void **st)
{
    (void)st;
    struct fx *f = setup();
    assert_int_equal(state(&f->dst), DOM_PAUSED); /* waits for the stream */
    assert_int_equal(mig_save_run(&f->save), MIG_SAVE_DONE);
    assert_int_equal(state(&f->src), DOM_DYING);
    assert_int_equal(state(&f->dst), DOM_RUNNING);
    assert_int_equal(f->restore.state, MIG_RESTORE_RUNNING);
    /* iteration 0 sent all 64; the live writes were sent again after it */
    assert_true(f->save.stats.iterations >= 2);
    assert_true(f->save.stats.pages_sent > NPAGES);
    struct mig_integrity ig = integrity(f);
    assert_int_equal(ig.checked, NPAGES);
    assert_int_equal(ig.lost, 0);
    assert_int_equal(ig.broken_on_target, 0);
    /* the vMCE record went over: the target shows the same MCG_CAP */
    assert_int_equal(hv_domain(&f->dst.hv, DOMU)->mcg_cap, hv_domain(&f->src.hv, DOMU)->mcg_cap);
    teardown(f);
}

/* Save and restore (Egger's case II, "save/restore DomU"): no live
 * iteration; the guest is paused before the first page is read and every
 * page goes once. */
static void cold_save_pauses_first_and_sends_each_page_once(void **st)
{
    (void)st;
    struct mig_save_config sc = {.domid = DOMU, .max_iters = 4, .batch = BATCH, .dirty_threshold = 4,
                                 .send_vmce = true, .cold = true};
    struct fx *f = setup_with(CAP_SER, true, &sc);
    assert_int_equal(mig_save_run(&f->save), MIG_SAVE_DONE);
    assert_true(f->paused);
    assert_int_equal(f->sent_running, 0);
    assert_int_equal(f->save.stats.iterations, 1);
    assert_int_equal(f->save.stats.pages_sent, NPAGES);
    assert_int_equal(state(&f->src), DOM_DYING);
    assert_int_equal(state(&f->dst), DOM_RUNNING);
    assert_int_equal(integrity(f).lost, 0);
    teardown(f);
}

static void broken_before_pause_is_broken_on_target(void **st)
{
    (void)st;
    struct fx *f = setup();
    f->race = (struct race){.at = MIG_MARK_TYPES, .at_last = false, .after_n = 0, .gfn = 40, .armed = true};
    assert_int_equal(mig_save_run(&f->save), MIG_SAVE_DONE);
    /* marked dirty when it broke: sent as BROKEN next time, never read */
    assert_true(dst_broken(f, 40));
    assert_true(f->save.stats.broken_sent >= 1);
    struct mig_integrity ig = integrity(f);
    assert_int_equal(ig.lost, 0);
    assert_int_equal(ig.broken_on_target, 1);
    assert_int_equal(ig.needless_broken, 0);
    teardown(f);
}

/* Case B.I: the page is in the last batch, breaks after step 4; the CPU
 * copy consumes the poison and the save process dies. */
static void case_b1_cpu_copy_kills_the_process(void **st)
{
    (void)st;
    struct fx *f = setup();
    f->race = (struct race){.at = MIG_MARK_TYPES, .at_last = true, .of_batch = true, .armed = true};
    assert_int_equal(mig_save_run(&f->save), MIG_SAVE_KILLED);
    assert_true(f->race.fired);
    assert_int_equal(state(&f->src), DOM_PAUSED);
    mig_save_recover(&f->save);
    assert_int_equal(state(&f->src), DOM_RUNNING); /* the guest goes on here */
    mig_restore_abandon(&f->restore, "stream died");
    assert_int_equal(state(&f->dst), DOM_DYING);
    teardown(f);
}

/* B.I by DMA, without step 8: the corrupt page reaches the target as
 * data and is not marked broken: data loss. */
static void case_b1_dma_without_recheck_loses_data(void **st)
{
    (void)st;
    struct fx *f = setup();
    f->dma = true;
    f->race = (struct race){.at = MIG_MARK_TYPES, .at_last = true, .of_batch = true, .armed = true};
    assert_int_equal(mig_save_run(&f->save), MIG_SAVE_DONE);
    assert_true(f->race.fired);
    assert_int_equal(f->save.stats.rechecks, 0);
    struct mig_integrity ig = integrity(f);
    assert_int_equal(ig.lost, 1);
    assert_int_equal(ig.first_lost, f->race.broke);
    assert_false(dst_broken(f, f->race.broke));
    teardown(f);
}

/* The same race with the V4 patch's step 8: one more last iteration
 * sends the page as BROKEN, the target marks it: nothing lost. */
static void case_b1_dma_with_recheck_marks_broken(void **st)
{
    (void)st;
    struct mig_save_config sc = {.domid = DOMU, .max_iters = 4, .batch = BATCH, .dirty_threshold = 4,
                                 .send_vmce = true, .recheck_types = true};
    struct fx *f = setup_with(CAP_SER, true, &sc);
    f->dma = true;
    f->race = (struct race){.at = MIG_MARK_TYPES, .at_last = true, .of_batch = true, .armed = true};
    assert_int_equal(mig_save_run(&f->save), MIG_SAVE_DONE);
    assert_int_equal(f->save.stats.rechecks, 1);
    assert_true(dst_broken(f, f->race.broke));
    struct mig_integrity ig = integrity(f);
    assert_int_equal(ig.lost, 0);
    assert_int_equal(ig.broken_on_target, 1);
    teardown(f);
}

/* Case B.II: broken after its data went out: the target has a good copy. */
static void case_b2_target_has_good_copy(void **st)
{
    (void)st;
    struct fx *f = setup();
    f->race = (struct race){.at = MIG_MARK_SENT, .at_last = true, .of_batch = true, .armed = true};
    assert_int_equal(mig_save_run(&f->save), MIG_SAVE_DONE);
    assert_true(f->race.fired);
    struct mig_integrity ig = integrity(f);
    assert_int_equal(ig.lost, 0);
    assert_false(dst_broken(f, f->race.broke));
    teardown(f);
}

/* Stream v2 leaves BROKEN unpopulated: the guest's page is simply gone. */
static void restore_skip_broken_leaves_a_hole(void **st)
{
    (void)st;
    struct fx *f = setup_with(CAP_SER, false, NULL);
    f->race = (struct race){.at = MIG_MARK_TYPES, .at_last = false, .gfn = 40, .armed = true};
    assert_int_equal(mig_save_run(&f->save), MIG_SAVE_DONE);
    assert_false(dst_broken(f, 40));
    assert_true(f->restore.broken_skipped >= 1);
    struct mig_integrity ig = integrity(f);
    assert_int_equal(ig.lost, 1);
    assert_int_equal(ig.first_lost, 40);
    teardown(f);
}

/* vMCE design RFC: a vMCE delivered mid-migration aborts at the handshake. */
static void vmce_mid_migration_aborts(void **st)
{
    (void)st;
    struct mig_save_config sc = {.domid = DOMU, .max_iters = 4, .batch = BATCH, .dirty_threshold = 4,
                                 .send_vmce = true, .abort_on_vmce = true};
    struct fx *f = setup_with(CAP_SER, true, &sc);
    struct vmce_error e = {.status = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_S | 0xC0,
                           .gaddr = 5 << 12};
    struct domain *du = hv_domain(&f->src.hv, DOMU);
    assert_int_equal(vmce_fill(du, VMCE_BROADCAST, MCG_STATUS_RIPV | MCG_STATUS_MCIP, &e), 0);
    assert_int_equal(vmce_inject(du, VMCE_BROADCAST, NULL), 0);
    /* not taken yet (the vCPU has not run): pending at the handshake */
    assert_int_equal(mig_save_run(&f->save), MIG_SAVE_ABORTED);
    assert_non_null(strstr(f->save.reason, "pending"));
    assert_int_equal(state(&f->src), DOM_RUNNING);
    assert_int_equal(state(&f->dst), DOM_DYING);
    teardown(f);
}

/* The same with the continue policy: the move completes, and the pending
 * vMCE does not come along (VMCE_VCPU carries no bank contents). */
static void vmce_mid_migration_continue_loses_it(void **st)
{
    (void)st;
    struct fx *f = setup();
    struct vmce_error e = {.status = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_S | 0xC0,
                           .gaddr = 5 << 12};
    struct domain *du = hv_domain(&f->src.hv, DOMU);
    assert_int_equal(vmce_fill(du, VMCE_BROADCAST, MCG_STATUS_RIPV | MCG_STATUS_MCIP, &e), 0);
    assert_int_equal(vmce_inject(du, VMCE_BROADCAST, NULL), 0);
    assert_int_equal(mig_save_run(&f->save), MIG_SAVE_DONE);
    const struct domain *d = hv_domain(&f->dst.hv, DOMU);
    assert_false(d->vcpu[0].vmce.pending);
    assert_int_equal(d->vcpu[0].vmce.bank[1].status, 0);
    teardown(f);
}

/* Xen's vMCE is emulated: a target without SER_P still accepts the
 * guest's SER_P (vmce_restore_vcpu checks Xen's fixed set, not the
 * host), and the move completes. */
static void target_without_ser_p_accepts_under_xen(void **st)
{
    (void)st;
    struct fx *f = setup_with(MCG_CTL_P | MCG_CMCI_P | MCG_TES_P, true, NULL);
    assert_int_equal(mig_save_run(&f->save), MIG_SAVE_DONE);
    assert_int_equal(state(&f->dst), DOM_RUNNING);
    assert_int_equal(hv_domain(&f->dst.hv, DOMU)->mcg_cap, 0x1000C02);
    teardown(f);
}

/* An AMD target's fixed set has no SER_P: -EINVAL, refused, and the
 * guest resumes on the source. */
static void amd_target_refuses_intel_caps(void **st)
{
    (void)st;
    struct fx *f = setup();
    f->dst.hv.cfg.vendor = 1;
    assert_int_equal(mig_save_run(&f->save), MIG_SAVE_REFUSED);
    assert_int_equal(f->save.reply, -EINVAL);
    assert_int_equal(state(&f->src), DOM_RUNNING);
    assert_int_equal(state(&f->dst), DOM_DYING);
    teardown(f);
}

/* The `refuse` alternative: a target without SER_P cannot back the
 * guest's caps: -EINVAL, refused, and the guest resumes on the source. */
static void target_without_ser_p_refuses(void **st)
{
    (void)st;
    struct fx *f = setup_with(MCG_CTL_P | MCG_CMCI_P | MCG_TES_P, true, NULL);
    f->dst.hv.cfg.restore_check = RESTORE_CHECK_HOST;
    assert_int_equal(mig_save_run(&f->save), MIG_SAVE_REFUSED);
    assert_int_equal(f->save.reply, -EINVAL);
    assert_int_equal(state(&f->src), DOM_RUNNING);
    assert_int_equal(state(&f->dst), DOM_DYING);
    teardown(f);
}

/* --- ground-truth helpers ---------------------------------------------- */

static void case_classification_follows_the_steps(void **st)
{
    (void)st;
    struct mig_case m;
    mig_case_init(&m);
    assert_string_equal(mig_case_of(&m, 3), "");
    mig_case_mark(&m, MIG_MARK_ITERATION, false, NULL, 0);
    assert_string_equal(mig_case_of(&m, 3), "live");
    mig_case_mark(&m, MIG_MARK_ITERATION, true, NULL, 0);
    assert_string_equal(mig_case_of(&m, 3), "before-4");
    const uint64_t batch[] = {3, 4};
    mig_case_mark(&m, MIG_MARK_SCANNED, true, batch, 2);
    assert_string_equal(mig_case_of(&m, 9), "A");
    assert_string_equal(mig_case_of(&m, 3), "before-4");
    mig_case_mark(&m, MIG_MARK_TYPES, true, batch, 2);
    assert_string_equal(mig_case_of(&m, 3), "B.I");
    mig_case_mark(&m, MIG_MARK_SENT, true, batch, 1);
    assert_string_equal(mig_case_of(&m, 3), "B.II");
    assert_string_equal(mig_case_of(&m, 4), "B.I");
    mig_case_done(&m);
    assert_string_equal(mig_case_of(&m, 4), "after");
    mig_case_free(&m);
}

static void page_content_keeps_only_differences(void **st)
{
    (void)st;
    struct page_content pc;
    page_content_init(&pc, MIG_TOKEN_BOOT);
    assert_int_equal(page_content_get(&pc, 1ull << 40), MIG_TOKEN_BOOT); /* a TiB away costs nothing */
    assert_int_equal(page_content_set(&pc, 7, 42), 0);
    assert_int_equal(page_content_get(&pc, 7), 42);
    assert_int_equal(pc.tok.count, 1);
    assert_int_equal(page_content_set(&pc, 7, MIG_TOKEN_BOOT), 0);
    assert_int_equal(pc.tok.count, 0);
    page_content_free(&pc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_migration_copies_every_page),
        cmocka_unit_test(cold_save_pauses_first_and_sends_each_page_once),
        cmocka_unit_test(broken_before_pause_is_broken_on_target),
        cmocka_unit_test(case_b1_cpu_copy_kills_the_process),
        cmocka_unit_test(case_b1_dma_without_recheck_loses_data),
        cmocka_unit_test(case_b1_dma_with_recheck_marks_broken),
        cmocka_unit_test(case_b2_target_has_good_copy),
        cmocka_unit_test(restore_skip_broken_leaves_a_hole),
        cmocka_unit_test(vmce_mid_migration_aborts),
        cmocka_unit_test(vmce_mid_migration_continue_loses_it),
        cmocka_unit_test(target_without_ser_p_accepts_under_xen),
        cmocka_unit_test(amd_target_refuses_intel_caps),
        cmocka_unit_test(target_without_ser_p_refuses),
        cmocka_unit_test(case_classification_follows_the_steps),
        cmocka_unit_test(page_content_keeps_only_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
