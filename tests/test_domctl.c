/*
 * test_domctl.c - the hypervisor side of live migration: every domctl
 * command and every refusal (-EPERM, -EFAULT, -EINVAL, -ESRCH), log-dirty
 * marking by guest writes and by frames that break (V4 broken-page migration
 * patch, xen-devel 2012), the "vMCE while in log-dirty mode" flag (vMCE
 * design RFC, 2012), vMCE save/restore with unsupported caps rejected (Xen's
 * vmce_restore_vcpu), a paused domain that takes its vMCE once unpaused,
 * incoming domains created paused, and an SRAR consumed by dom0 on a guest's
 * page (the V4 patch's case B.I).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "hv/hv.h"
#include "hv/public/domctl_abi.h"
#include "mock_platform.h"

#define CAP_HOST (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P | MCG_LMCE_P)
#define XEN_CAPS 0x1000C02ull
#define SRAO_SCRUB 0xBD000000004000CFull
#define SRAR_LOAD 0xBD80000000000134ull
#define DC_ADDR MOCK_GBASE              /* the struct domctl            */
#define BUF_ADDR (MOCK_GBASE + 0x1000)  /* arrays: dirty gfns, pfinfo   */
#define BUF_MAX ((MOCK_GLEN - 0x1000) / 8)
#define NDOM 4

struct fx {
    struct mock m; /* first: the platform's ctx is &m */
    struct hv hv;
    unsigned changed[NDOM];
    unsigned raised[NDOM][2];
};

static void on_changed(void *ctx, unsigned domid)
{
    struct fx *f = ctx;
    if (domid < NDOM)
        f->changed[domid]++;
}

static void on_raise(void *ctx, unsigned domid, unsigned vcpu)
{
    struct fx *f = ctx;
    if (domid < NDOM && vcpu < 2)
        f->raised[domid][vcpu]++;
}

/* dom1: HVM, 2 vCPUs, gfns 0..0x17FF in two ranges; dom2: PV, no
 * callback; dom3: HVM, incoming. One pCPU, so an #MC needs no partner. */
static const struct hv_mem_region regions[] = {
    {0x10000, 0x1000, HV_OWNER_DOMAIN, 1, false, 0},
    {0x20000, 0x1000, HV_OWNER_DOMAIN, 2, false, 0},
    {0x30000, 0x800, HV_OWNER_DOMAIN, 1, false, 0},
    {0x40000, 0x100, HV_OWNER_DOMAIN, 3, false, 0},
};

static struct fx *setup_lmce(bool lmce_on)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 1, CAP_HOST, 10);
    f->m.plat.domain_changed = on_changed;
    f->m.plat.vmce_raise = on_raise;
    struct vmce_policy vp = {.nbanks = 2, .err_bank = 1, .ser_p = true, .cmci_p = true, .tes_p = true};
    struct hv_domain_config doms[NDOM] = {
        {.id = 0, .type = DOM_TYPE_DOM0, .nvcpus = 1, .vmce = vp, .mca_handler = true},
        {.id = 1, .type = DOM_TYPE_HVM, .nvcpus = 2, .vmce = vp},
        {.id = 2, .type = DOM_TYPE_PV, .nvcpus = 1, .vmce = vp},
        {.id = 3, .type = DOM_TYPE_HVM, .nvcpus = 1, .vmce = vp, .incoming = true},
    };
    struct hv_config cfg;
    hv_config_defaults(&cfg, 1);
    cfg.regions = regions;
    cfg.nregions = sizeof(regions) / sizeof(regions[0]);
    cfg.domains = doms;
    cfg.ndomains = NDOM;
    cfg.lmce_on = lmce_on;
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    hv_cpu_boot(&f->hv, 0);
    hv_guest_set_cr4_mce(&f->hv, 1, 0, true);
    hv_guest_set_cr4_mce(&f->hv, 1, 1, true);
    hv_guest_set_cr4_mce(&f->hv, 3, 0, true);
    return f;
}

static struct fx *setup(void) { return setup_lmce(false); }

static void teardown(struct fx *f)
{
    hv_fini(&f->hv);
    test_free(f);
}

static struct domctl *dc_at(struct fx *f) { return (struct domctl *)f->m.gmem; }
static uint64_t *buf_at(struct fx *f) { return (uint64_t *)(f->m.gmem + 0x1000); }

/* A well-formed request for cmd on domid, in dom0's memory. */
static struct domctl *req(struct fx *f, uint32_t cmd, uint32_t domid)
{
    struct domctl *dc = dc_at(f);
    memset(dc, 0, sizeof(*dc));
    dc->cmd = cmd;
    dc->interface_version = DOMCTL_INTERFACE_VERSION;
    dc->domid = domid;
    return dc;
}

static long call(struct fx *f) { return hv_do_domctl(&f->hv, 0, DC_ADDR); }

static long simple(struct fx *f, uint32_t cmd, uint32_t domid)
{
    req(f, cmd, domid);
    return call(f);
}

static long shadow(struct fx *f, uint32_t domid, uint32_t op, uint64_t max, uint64_t *count)
{
    struct domctl *dc = req(f, DOMCTL_SHADOW_OP, domid);
    dc->u.shadow.op = op;
    dc->u.shadow.dirty = BUF_ADDR;
    dc->u.shadow.max = max;
    long rc = call(f);
    if (count)
        *count = dc_at(f)->u.shadow.count;
    return rc;
}

static struct domctl_info info(struct fx *f, uint32_t domid)
{
    struct domctl *dc = req(f, DOMCTL_GETINFO, domid);
    assert_int_equal(call(f), 0);
    return dc->u.info;
}

/* Hardware logs an error at mfn and the hv handles it (#MC + softirq);
 * returns the record dom0 would fetch, or the one left uncommitted by a
 * failed recovery (result RESET when the #MC handler itself stopped the
 * host). */
static struct mca_record mce_rec(struct fx *f, uint64_t status, uint64_t mfn, enum x86_exec_ctx ctx)
{
    bool srar = status & MCI_STATUS_AR;
    f->m.ctx[0] = ctx;
    cpu_mca_latch(&f->m.cpu[0], 7, status, mfn << 12 | 0x40, srar ? 0x8C : 0x86);
    assert_int_equal(cpu_mca_deliver_mc(&f->m.cpu[0], srar ? MCG_STATUS_EIPV : MCG_STATUS_RIPV),
                     CPU_MC_DELIVERED);
    hv_machine_check(&f->hv, 0);
    if (f->m.stopped)
        return (struct mca_record){.result = MCA_RES_RESET};
    hv_softirq(&f->hv, 0);
    const struct telem_entry *e = telem_fetch(&f->hv.telem, TELEM_URGENT);
    if (!e) { /* a failed recovery panics before the commit (mce_delayed_action) */
        for (unsigned i = 0; i < f->hv.telem.nslots; i++)
            if (f->hv.telem.slot[i].state == TELEM_UNCOMMITTED)
                e = &f->hv.telem.slot[i];
        assert_non_null(e);
        return e->rec;
    }
    struct mca_record r = e->rec;
    telem_ack(&f->hv.telem, TELEM_URGENT, e->fetch_id);
    return r;
}

static uint32_t mce_on(struct fx *f, uint64_t status, uint64_t mfn, enum x86_exec_ctx ctx)
{
    return mce_rec(f, status, mfn, ctx).result;
}

/* ---- refusals ----------------------------------------------------------- */

static void only_dom0_may_call(void **state)
{
    (void)state;
    struct fx *f = setup();
    for (uint32_t cmd = DOMCTL_PAUSE; cmd <= DOMCTL__LAST; cmd++) {
        req(f, cmd, 1);
        assert_int_equal(hv_do_domctl(&f->hv, 1, DC_ADDR), -EPERM);
        assert_int_equal(hv_do_domctl(&f->hv, 2, DC_ADDR), -EPERM);
    }
    assert_int_equal(hv_domain(&f->hv, 1)->state, DOM_RUNNING);
    assert_int_equal(f->hv.stats.hypercalls, 2 * DOMCTL__LAST);
    assert_int_equal(f->hv.stats.hypercall_errors, 2 * DOMCTL__LAST);
    teardown(f);
}

static void bad_addresses_are_efault(void **state)
{
    (void)state;
    struct fx *f = setup();
    assert_int_equal(hv_do_domctl(&f->hv, 0, 0), -EFAULT);
    assert_int_equal(hv_do_domctl(&f->hv, 0, MOCK_GBASE + MOCK_GLEN - 8), -EFAULT);
    assert_int_equal(hv_do_domctl(&f->hv, 0, UINT64_MAX - 4), -EFAULT);
    /* the last bytes of dom0's memory are still in bounds */
    req(f, DOMCTL_GETINFO, 1);
    memcpy(f->m.gmem + MOCK_GLEN - sizeof(struct domctl), dc_at(f), sizeof(struct domctl));
    assert_int_equal(hv_do_domctl(&f->hv, 0, MOCK_GBASE + MOCK_GLEN - sizeof(struct domctl)), 0);
    assert_int_equal(f->hv.stats.hypercall_errors, 3);
    teardown(f);
}

static void malformed_requests_are_einval(void **state)
{
    (void)state;
    struct fx *f = setup();
    req(f, DOMCTL_PAUSE, 1)->interface_version = DOMCTL_INTERFACE_VERSION + 1;
    assert_int_equal(call(f), -EINVAL);
    req(f, DOMCTL_PAUSE, 1)->pad = 1;
    assert_int_equal(call(f), -EINVAL);
    assert_int_equal(simple(f, 0, 1), -EINVAL);
    assert_int_equal(simple(f, DOMCTL__LAST + 1, 1), -EINVAL);
    assert_int_equal(simple(f, 0xFFFFFFFFu, 1), -EINVAL);
    assert_int_equal(hv_domain(&f->hv, 1)->state, DOM_RUNNING); /* nothing was paused */
    teardown(f);
}

static void unknown_domain_is_esrch(void **state)
{
    (void)state;
    struct fx *f = setup();
    for (uint32_t cmd = DOMCTL_PAUSE; cmd <= DOMCTL__LAST; cmd++) {
        assert_int_equal(simple(f, cmd, 7), -ESRCH);
        assert_int_equal(simple(f, cmd, DOMID_NONE), -ESRCH);
    }
    teardown(f);
}

/* Like Xen, dom0 cannot pause, destroy or reconfigure itself (-EINVAL);
 * it may read its own state. */
static void dom0_cannot_control_itself(void **state)
{
    (void)state;
    struct fx *f = setup();
    const uint32_t control[] = {DOMCTL_PAUSE, DOMCTL_UNPAUSE, DOMCTL_DESTROY, DOMCTL_SHADOW_OP,
                                DOMCTL_SET_BROKEN_PAGE_P2M, DOMCTL_SET_VMCE};
    for (size_t i = 0; i < sizeof(control) / sizeof(control[0]); i++)
        assert_int_equal(simple(f, control[i], 0), -EINVAL);
    assert_int_equal(hv_domain(&f->hv, 0)->state, DOM_RUNNING);
    struct domctl_info in = info(f, 0);
    assert_int_equal(in.state, DOM_RUNNING);
    assert_int_equal(in.nvcpus, 1);
    assert_int_equal(in.nr_pages, 0);
    teardown(f);
}

/* ---- pause, unpause, destroy ---------------------------------------------- */

static void pause_and_unpause(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d = hv_domain(&f->hv, 1);
    assert_int_equal(simple(f, DOMCTL_PAUSE, 1), 0);
    assert_int_equal(d->state, DOM_PAUSED);
    assert_int_equal(info(f, 1).state, DOM_PAUSED);
    assert_int_equal(f->changed[1], 1);
    assert_int_equal(simple(f, DOMCTL_PAUSE, 1), 0); /* already paused: nothing more */
    assert_int_equal(f->changed[1], 1);
    assert_int_equal(simple(f, DOMCTL_UNPAUSE, 1), 0);
    assert_int_equal(d->state, DOM_RUNNING);
    assert_string_equal(d->reason, "");
    assert_int_equal(f->changed[1], 2);
    assert_non_null(strstr(f->m.console_log, "Domain 1 unpaused"));
    assert_int_equal(simple(f, DOMCTL_UNPAUSE, 1), 0); /* already running */
    assert_int_equal(f->changed[1], 2);
    /* a crashed domain cannot be brought back */
    hv_guest_crash(&f->hv, 2, "test");
    assert_int_equal(simple(f, DOMCTL_UNPAUSE, 2), -EINVAL);
    assert_int_equal(hv_domain(&f->hv, 2)->state, DOM_CRASHED);
    teardown(f);
}

static void destroy_frees_pages_and_ends_log_dirty(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d = hv_domain(&f->hv, 1);
    assert_int_equal(shadow(f, 1, SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL), 0);
    assert_int_equal(hv_guest_write(&f->hv, 1, 0, 0x5000), 0);
    /* an error on a page of dom1: offline pending while dom1 owns it */
    assert_int_equal(mce_on(f, SRAO_SCRUB, 0x10042, X86_CTX_IDLE), MCA_RES_RECOVERED);
    assert_int_equal(page_states_find(&f->hv.pages, 0x10042)->state, PAGE_OFFLINE_PENDING);

    assert_int_equal(simple(f, DOMCTL_DESTROY, 1), 0);
    assert_int_equal(d->state, DOM_DYING);
    assert_string_equal(d->reason, "destroyed by dom0");
    assert_int_equal(f->changed[1], 1);
    assert_int_equal(page_states_find(&f->hv.pages, 0x10042)->state, PAGE_OFFLINED);
    assert_false(d->log_dirty);
    assert_int_equal(gfn_set_count(&d->dirty), 0);
    assert_non_null(strstr(f->m.console_log, "Domain 1 (hvm) destroyed"));
    struct domctl_info in = info(f, 1);
    assert_int_equal(in.state, DOM_DYING);
    assert_int_equal(in.flags & (DOMCTL_INFO_LOGDIRTY | DOMCTL_INFO_VMCE_IN_LOGDIRTY), 0);
    /* a dying domain can be queried, destroyed again (no-op), nothing else */
    assert_int_equal(simple(f, DOMCTL_DESTROY, 1), 0);
    assert_int_equal(f->changed[1], 1);
    assert_int_equal(simple(f, DOMCTL_PAUSE, 1), -EINVAL);
    assert_int_equal(simple(f, DOMCTL_UNPAUSE, 1), -EINVAL);
    assert_int_equal(shadow(f, 1, SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL), -EINVAL);
    req(f, DOMCTL_SET_BROKEN_PAGE_P2M, 1)->u.broken.gfn = 1;
    assert_int_equal(call(f), -EINVAL);
    assert_int_equal(simple(f, DOMCTL_GET_VMCE, 1), 0);
    assert_int_equal(d->state, DOM_DYING);
    teardown(f);
}

/* ---- log-dirty ----------------------------------------------------------- */

static void writes_are_marked_only_in_log_dirty_mode(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d = hv_domain(&f->hv, 1);
    assert_int_equal(hv_guest_write(&f->hv, 1, 0, 0x3000), 0);
    assert_int_equal(gfn_set_count(&d->dirty), 0);
    assert_int_equal(shadow(f, 1, SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL), 0);
    assert_true(d->log_dirty);
    assert_int_equal(info(f, 1).flags, DOMCTL_INFO_LOGDIRTY);
    for (int i = 0; i < 1000; i++) /* the same frames, many times */
        assert_int_equal(hv_guest_write(&f->hv, 1, (unsigned)(i % 2), 0x3000 + (uint64_t)(i % 3) * 0x1000 + 8), 0);
    assert_int_equal(hv_guest_write(&f->hv, 1, 1, 0x17FF123), 0);
    uint64_t count;
    assert_int_equal(shadow(f, 1, SHADOW_OP_PEEK, 0, &count), 0); /* max 0: only count */
    assert_int_equal(count, 4);
    assert_int_equal(buf_at(f)[0], 0); /* nothing copied */
    /* no such vCPU or domain, or a broken frame: refused, nothing marked */
    assert_int_equal(hv_guest_write(&f->hv, 1, 2, 0x9000), -1);
    assert_int_equal(hv_guest_write(&f->hv, 9, 0, 0x9000), -1);
    assert_int_equal(p2m_mark_broken(d, 0x9), 0);
    assert_int_equal(gfn_set_count(&d->dirty), 5); /* breaking dirtied it */
    assert_int_equal(hv_guest_write(&f->hv, 1, 0, 0x9000), -1);
    assert_int_equal(hv_guest_write(&f->hv, 1, 0, 0xA000), 0);
    assert_int_equal(gfn_set_count(&d->dirty), 6);
    assert_int_equal(hv_guest_write(&f->hv, 1, 0, 0x1800000), 0); /* past its RAM: not kept */
    assert_int_equal(gfn_set_count(&d->dirty), 6);
    /* OFF: leaves the mode, forgets the set, stops marking */
    assert_int_equal(shadow(f, 1, SHADOW_OP_OFF, 0, NULL), 0);
    assert_false(d->log_dirty);
    assert_int_equal(gfn_set_count(&d->dirty), 0);
    assert_int_equal(hv_guest_write(&f->hv, 1, 0, 0x4000), 0);
    assert_int_equal(gfn_set_count(&d->dirty), 0);
    assert_int_equal(info(f, 1).flags, 0);
    teardown(f);
}

static void peek_and_clean_copy_ascending(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d = hv_domain(&f->hv, 1);
    assert_int_equal(shadow(f, 1, SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL), 0);
    /* 200 frames written in a scrambled order: more than one copy chunk */
    for (uint64_t i = 0; i < 200; i++)
        assert_int_equal(hv_guest_write(&f->hv, 1, 0, (i * 37 % 200) << 12), 0);
    uint64_t count;
    uint64_t *out = buf_at(f);
    assert_int_equal(shadow(f, 1, SHADOW_OP_PEEK, UINT64_MAX, &count), 0); /* huge max: bounded by the set */
    assert_int_equal(count, 200);
    for (uint64_t i = 0; i < 200; i++)
        assert_int_equal(out[i], i);
    assert_int_equal(gfn_set_count(&d->dirty), 200); /* PEEK keeps them */

    memset(out, 0xAA, 200 * 8);
    assert_int_equal(shadow(f, 1, SHADOW_OP_CLEAN, 150, &count), 0);
    assert_int_equal(count, 200); /* the total before the call */
    for (uint64_t i = 0; i < 150; i++)
        assert_int_equal(out[i], i);
    assert_int_equal(out[150], 0xAAAAAAAAAAAAAAAAull); /* nothing past max */
    assert_int_equal(gfn_set_count(&d->dirty), 50);  /* only those copied went */
    assert_int_equal(hv_guest_write(&f->hv, 1, 0, 0x7000), 0); /* dirtied again */
    assert_int_equal(shadow(f, 1, SHADOW_OP_CLEAN, 1000, &count), 0);
    assert_int_equal(count, 51);
    assert_int_equal(out[0], 7);
    assert_int_equal(out[1], 150);
    assert_int_equal(out[50], 199);
    assert_int_equal(gfn_set_count(&d->dirty), 0);
    assert_int_equal(shadow(f, 1, SHADOW_OP_CLEAN, 1000, &count), 0);
    assert_int_equal(count, 0);
    teardown(f);
}

static void shadow_op_refusals(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d = hv_domain(&f->hv, 1);
    /* not in log-dirty mode: no dirty log to read */
    assert_int_equal(shadow(f, 1, SHADOW_OP_CLEAN, 10, NULL), -EINVAL);
    assert_int_equal(shadow(f, 1, SHADOW_OP_PEEK, 10, NULL), -EINVAL);
    assert_int_equal(shadow(f, 1, SHADOW_OP_PEEK + 1, 10, NULL), -EINVAL);
    assert_int_equal(shadow(f, 1, 0xFFFFFFFFu, 10, NULL), -EINVAL);
    struct domctl *dc = req(f, DOMCTL_SHADOW_OP, 1);
    dc->u.shadow.op = SHADOW_OP_ENABLE_LOGDIRTY;
    dc->u.shadow.pad = 1;
    assert_int_equal(call(f), -EINVAL);
    assert_false(d->log_dirty);
    assert_int_equal(shadow(f, 1, SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL), 0);
    assert_int_equal(hv_guest_write(&f->hv, 1, 0, 0x2000), 0);
    /* the buffer is not dom0's memory: -EFAULT, and the gfn stays dirty */
    dc = req(f, DOMCTL_SHADOW_OP, 1);
    dc->u.shadow.op = SHADOW_OP_CLEAN;
    dc->u.shadow.dirty = 0x10;
    dc->u.shadow.max = 1;
    assert_int_equal(call(f), -EFAULT);
    assert_int_equal(gfn_set_count(&d->dirty), 1);
    /* with max 0 no buffer is needed */
    dc = req(f, DOMCTL_SHADOW_OP, 1);
    dc->u.shadow.op = SHADOW_OP_CLEAN;
    dc->u.shadow.dirty = 0x10;
    assert_int_equal(call(f), 0);
    assert_int_equal(dc->u.shadow.count, 1);
    assert_int_equal(gfn_set_count(&d->dirty), 1);
    teardown(f);
}

/* V4 patch: an error after the sender read the frame types still shows:
 * the frame is dirty again and its type is now BROKEN. vMCE RFC: the vMCE
 * sets the "delivered during migration" flag; ENABLE clears it. */
static void error_during_migration_dirties_and_flags(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d = hv_domain(&f->hv, 1);
    assert_int_equal(mce_on(f, SRAO_SCRUB, 0x10010, X86_CTX_IDLE), MCA_RES_RECOVERED);
    assert_false(d->vmce_in_logdirty); /* not migrating: no flag */
    assert_true(hv_guest_take_vmce(&f->hv, 1, 0));
    hv_guest_wrmsr(&f->hv, 1, 0, MSR_IA32_MCG_STATUS, 0);
    hv_guest_wrmsr(&f->hv, 1, 1, MSR_IA32_MCG_STATUS, 0);
    assert_true(hv_guest_take_vmce(&f->hv, 1, 1));

    assert_int_equal(shadow(f, 1, SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL), 0);
    assert_int_equal(gfn_set_count(&d->dirty), 0);
    assert_int_equal(mce_on(f, SRAO_SCRUB, 0x30005, X86_CTX_IDLE), MCA_RES_RECOVERED);
    uint64_t count;
    assert_int_equal(shadow(f, 1, SHADOW_OP_PEEK, 10, &count), 0);
    assert_int_equal(count, 1);
    assert_int_equal(buf_at(f)[0], 0x1005); /* second range: gfn 0x1000 + 5 */
    assert_true(d->vmce_in_logdirty);
    assert_int_equal(info(f, 1).flags,
                     DOMCTL_INFO_LOGDIRTY | DOMCTL_INFO_VMCE_IN_LOGDIRTY | DOMCTL_INFO_VMCE_PENDING);
    assert_int_equal(shadow(f, 1, SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL), 0);
    assert_false(d->vmce_in_logdirty);
    assert_int_equal(gfn_set_count(&d->dirty), 0);
    assert_int_equal(info(f, 1).flags, DOMCTL_INFO_LOGDIRTY | DOMCTL_INFO_VMCE_PENDING);
    teardown(f);
}

/* ---- frame types and broken frames ---------------------------------------- */

static void pageframeinfo_types(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d = hv_domain(&f->hv, 1);
    assert_int_equal(d->nr_pages, 0x1800);
    assert_int_equal(p2m_mark_broken(d, 0x1003), 0);
    const uint64_t in[] = {0, 0x1003, 0x17FF, 0x1800, DOMCTL_PFINFO_GFN_MASK, 0x1002};
    const uint64_t want[] = {0, 0x1003 | DOMCTL_PFINFO_BROKEN << DOMCTL_PFINFO_SHIFT, 0x17FF,
                             0x1800 | DOMCTL_PFINFO_XTAB << DOMCTL_PFINFO_SHIFT,
                             DOMCTL_PFINFO_GFN_MASK | DOMCTL_PFINFO_XTAB << DOMCTL_PFINFO_SHIFT, 0x1002};
    memcpy(buf_at(f), in, sizeof(in));
    struct domctl *dc = req(f, DOMCTL_GETPAGEFRAMEINFO, 1);
    dc->u.pfinfo.array = BUF_ADDR;
    dc->u.pfinfo.num = 6;
    assert_int_equal(call(f), 0);
    assert_memory_equal(buf_at(f), want, sizeof(want));
    /* a full batch of the largest size */
    for (uint64_t i = 0; i < DOMCTL_PFINFO_MAX_BATCH; i++)
        buf_at(f)[i] = i + 0x1500; /* 0x1500..0x18FF: crosses the end */
    dc = req(f, DOMCTL_GETPAGEFRAMEINFO, 1);
    dc->u.pfinfo.array = BUF_ADDR;
    dc->u.pfinfo.num = DOMCTL_PFINFO_MAX_BATCH;
    assert_int_equal(call(f), 0);
    assert_int_equal(buf_at(f)[0], 0x1500);
    assert_int_equal(buf_at(f)[0x2FF], 0x17FF);
    assert_int_equal(buf_at(f)[0x300], 0x1800 | DOMCTL_PFINFO_XTAB << DOMCTL_PFINFO_SHIFT);
    assert_int_equal(buf_at(f)[0x3FF], 0x18FF | DOMCTL_PFINFO_XTAB << DOMCTL_PFINFO_SHIFT);
    teardown(f);
}

static void pageframeinfo_refusals(void **state)
{
    (void)state;
    struct fx *f = setup();
    const uint32_t nums[] = {0, DOMCTL_PFINFO_MAX_BATCH + 1, 0xFFFFFFFFu};
    for (size_t i = 0; i < 3; i++) {
        struct domctl *dc = req(f, DOMCTL_GETPAGEFRAMEINFO, 1);
        dc->u.pfinfo.array = BUF_ADDR;
        dc->u.pfinfo.num = nums[i];
        assert_int_equal(call(f), -EINVAL);
    }
    struct domctl *dc = req(f, DOMCTL_GETPAGEFRAMEINFO, 1);
    dc->u.pfinfo.array = BUF_ADDR;
    dc->u.pfinfo.num = 1;
    dc->u.pfinfo.pad = 1;
    assert_int_equal(call(f), -EINVAL);
    /* type bits on input: refused, and nothing written back */
    buf_at(f)[0] = 5;
    buf_at(f)[1] = 0x1800;
    buf_at(f)[2] = 6 | DOMCTL_PFINFO_NOTAB << DOMCTL_PFINFO_SHIFT | 1ull << 63;
    dc = req(f, DOMCTL_GETPAGEFRAMEINFO, 1);
    dc->u.pfinfo.array = BUF_ADDR;
    dc->u.pfinfo.num = 3;
    assert_int_equal(call(f), -EINVAL);
    assert_int_equal(buf_at(f)[1], 0x1800);
    /* an array outside dom0's memory */
    dc = req(f, DOMCTL_GETPAGEFRAMEINFO, 1);
    dc->u.pfinfo.array = MOCK_GBASE + MOCK_GLEN - 8;
    dc->u.pfinfo.num = 2;
    assert_int_equal(call(f), -EFAULT);
    teardown(f);
}

/* The receiving side marks what the sender reported broken (Xen 4.3,
 * b7a98e60d4), on the incoming domain while it is still paused. */
static void set_broken_page_on_the_receiver(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d = hv_domain(&f->hv, 3);
    struct domctl *dc = req(f, DOMCTL_SET_BROKEN_PAGE_P2M, 3);
    dc->u.broken.gfn = 0x42;
    assert_int_equal(call(f), 0);
    assert_true(p2m_is_broken(d, 0x42));
    assert_int_equal(info(f, 3).nbroken, 1);
    assert_int_equal(d->state, DOM_PAUSED);
    /* the guest then gets no data from it: a write is refused */
    assert_int_equal(hv_guest_write(&f->hv, 3, 0, 0x42000), -1);
    dc = req(f, DOMCTL_SET_BROKEN_PAGE_P2M, 3);
    dc->u.broken.gfn = 0x100; /* dom3 has 0x100 frames */
    assert_int_equal(call(f), -EINVAL);
    dc = req(f, DOMCTL_SET_BROKEN_PAGE_P2M, 3);
    dc->u.broken.gfn = UINT64_MAX;
    assert_int_equal(call(f), -EINVAL);
    assert_int_equal(p2m_nbroken(d), 1);
    /* Xen: only for an HVM guest (dom2 is PV) */
    dc = req(f, DOMCTL_SET_BROKEN_PAGE_P2M, 2);
    dc->u.broken.gfn = 0;
    assert_int_equal(call(f), -EINVAL);
    /* frame types on the receiver agree */
    buf_at(f)[0] = 0x42;
    dc = req(f, DOMCTL_GETPAGEFRAMEINFO, 3);
    dc->u.pfinfo.array = BUF_ADDR;
    dc->u.pfinfo.num = 1;
    assert_int_equal(call(f), 0);
    assert_int_equal(buf_at(f)[0], 0x42 | DOMCTL_PFINFO_BROKEN << DOMCTL_PFINFO_SHIFT);
    teardown(f);
}

/* ---- vMCE save record ---------------------------------------------------- */

static void get_vmce_reads_the_record(void **state)
{
    (void)state;
    struct fx *f = setup();
    assert_int_equal(hv_guest_wrmsr(&f->hv, 1, 1, MSR_IA32_MCx_CTL2(0), MCI_CTL2_CMCI_EN | 2), 0);
    assert_int_equal(hv_guest_wrmsr(&f->hv, 1, 1, MSR_IA32_MCx_CTL2(1), 9), 0);
    struct domctl *dc = req(f, DOMCTL_GET_VMCE, 1);
    dc->u.vmce.vcpu = 1;
    assert_int_equal(call(f), 0);
    assert_int_equal(dc->u.vmce.caps, XEN_CAPS);
    assert_int_equal(dc->u.vmce.mci_ctl2_bank0, MCI_CTL2_CMCI_EN | 2);
    assert_int_equal(dc->u.vmce.mci_ctl2_bank1, 9);
    assert_int_equal(dc->u.vmce.mcg_ext_ctl, 0);
    dc = req(f, DOMCTL_GET_VMCE, 1);
    dc->u.vmce.vcpu = 0;
    assert_int_equal(call(f), 0);
    assert_int_equal(dc->u.vmce.mci_ctl2_bank0, 0); /* per vCPU */
    dc = req(f, DOMCTL_GET_VMCE, 1);
    dc->u.vmce.vcpu = 2;
    assert_int_equal(call(f), -EINVAL);
    dc = req(f, DOMCTL_GET_VMCE, 1);
    dc->u.vmce.pad = 1;
    assert_int_equal(call(f), -EINVAL);
    teardown(f);
}

static long set_vmce(struct fx *f, uint32_t domid, uint32_t vcpu, uint64_t caps, uint64_t ctl2_0,
                     uint64_t ext_ctl)
{
    struct domctl *dc = req(f, DOMCTL_SET_VMCE, domid);
    dc->u.vmce.vcpu = vcpu;
    dc->u.vmce.caps = caps;
    dc->u.vmce.mci_ctl2_bank0 = ctl2_0;
    dc->u.vmce.mci_ctl2_bank1 = 1;
    dc->u.vmce.mcg_ext_ctl = ext_ctl;
    return call(f);
}

/* Xen's vmce_restore_vcpu: only feature bits outside INTEL_GUEST_MCG_CAP
 * | LMCE_P are refused; the count, MCG_CTL_P, CTL2 and EXT_CTL are not
 * checked. */
static void set_vmce_checks_xen_fixed_set(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d = hv_domain(&f->hv, 3);
    d->vp.past_count = VMCE_PAST_GP;
    assert_int_equal(set_vmce(f, 3, 0, XEN_CAPS | (1ull << 9), 0, 0), -EINVAL); /* MCG_EXT_P */
    assert_non_null(strstr(f->m.console_log, "HVM restore: unsupported MCA capabilities 0x1000e02 for d3v0"));
    assert_int_equal(set_vmce(f, 3, 1, XEN_CAPS, 0, 0), -EINVAL); /* no vCPU 1 */
    assert_null(strstr(f->m.console_log, "has no vcpu1")); /* a dprintk: debug builds only */
    f->hv.cfg.xen_debug = true;
    assert_int_equal(set_vmce(f, 3, 1, XEN_CAPS, 0, 0), -EINVAL);
    assert_non_null(strstr(f->m.console_log, "HVM restore: dom3 has no vcpu1"));
    struct domctl *dc = req(f, DOMCTL_SET_VMCE, 3);
    dc->u.vmce.caps = XEN_CAPS;
    dc->u.vmce.pad = 1;
    assert_int_equal(call(f), -EINVAL);
    assert_int_equal(d->mcg_cap, XEN_CAPS); /* all refused: unchanged */
    /* 32 banks on a 10-bank host, MCG_CTL_P, LMCE_P without firmware LMCE,
     * EXT_CTL bits: all taken as saved */
    assert_int_equal(set_vmce(f, 3, 0, (XEN_CAPS & ~0xFFull) | MCG_CTL_P | MCG_LMCE_P | 32, ~0ull, 2), 0);
    assert_int_equal(d->mcg_cap, (XEN_CAPS & ~0xFFull) | MCG_CTL_P | MCG_LMCE_P | 32);
    assert_int_equal(d->vp.past_count, VMCE_PAST_GP); /* kept */
    assert_int_equal(d->vcpu[0].vmce.bank[0].ctl2, ~0ull);
    assert_int_equal(d->vcpu[0].vmce.mcg_ext_ctl, 2);
    uint64_t v;
    assert_int_equal(hv_guest_rdmsr(&f->hv, 3, 0, MSR_IA32_MCG_CTL, &v), 0);
    assert_int_equal(v, ~0ull);
    assert_int_equal(hv_guest_rdmsr(&f->hv, 3, 0, MSR_IA32_MCx_CTL(31), &v), 0);
    assert_int_equal(v, ~0ull);
    assert_int_equal(set_vmce(f, 3, 0, 0, 0, 0), 0); /* no banks at all */
    /* an AMD host's set has no feature bit */
    f->hv.cfg.vendor = 1;
    assert_int_equal(set_vmce(f, 3, 0, XEN_CAPS, 0, 0), -EINVAL);
    assert_int_equal(set_vmce(f, 3, 0, MCG_CTL_P | 2, 0, 0), 0);
    teardown(f);
}

/* A record Xen 4.2 saved (e1dc98e3c3): caps only, the host's MCG_CAP
 * masked to count, CTL_P, TES_P and SER_P; the newer fields zero-extended.
 * 4.20 takes it on Intel and the guest keeps its 10 banks and MCG_CTL_P,
 * banks past the two stored reading zero; an AMD host refuses it. */
static void set_vmce_takes_a_xen_4_2_record(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d = hv_domain(&f->hv, 3);
    assert_int_equal(set_vmce(f, 3, 0, 0x100090A, 0, 0), 0);
    assert_int_equal(d->mcg_cap, 0x100090A);
    uint64_t v;
    assert_int_equal(hv_guest_rdmsr(&f->hv, 3, 0, MSR_IA32_MCG_CAP, &v), 0);
    assert_int_equal(v, 0x100090A);
    assert_int_equal(hv_guest_rdmsr(&f->hv, 3, 0, MSR_IA32_MCG_CTL, &v), 0);
    assert_int_equal(v, ~0ull);
    assert_int_equal(hv_guest_rdmsr(&f->hv, 3, 0, MSR_IA32_MCx_STATUS(9), &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(hv_guest_wrmsr(&f->hv, 3, 0, MSR_IA32_MCx_STATUS(9), 0), 0);
    f->hv.cfg.vendor = 1;
    assert_int_equal(set_vmce(f, 3, 0, 0x100090A, 0, 0), -EINVAL);
    assert_non_null(strstr(f->m.console_log, "HVM restore: unsupported MCA capabilities 0x100090a for d3v0 "
                                             "(supported: 0)"));
    teardown(f);
}

/* ---- a guest's MCi_CTL and CR4.MCE ---------------------------------------- */

/* Xen drops an MCi_CTL write and injects whatever the guest set. */
static void xen_ignores_a_guests_mci_ctl(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d1 = hv_domain(&f->hv, 1);
    uint64_t v;
    assert_int_equal(hv_guest_wrmsr(&f->hv, 1, 0, MSR_IA32_MCx_CTL(1), 0), 0);
    assert_int_equal(hv_guest_rdmsr(&f->hv, 1, 0, MSR_IA32_MCx_CTL(1), &v), 0);
    assert_int_equal(v, ~0ull);
    hv_guest_set_cr4_mce(&f->hv, 1, 0, false);
    struct mca_record r = mce_rec(f, SRAO_SCRUB, 0x10033, X86_CTX_IDLE);
    assert_int_equal(r.result, MCA_RES_RECOVERED);
    assert_int_equal(r.bank[0].action, MCA_ACT_VMCE);
    assert_true(d1->vcpu[0].vmce.pending);
    teardown(f);
}

static struct fx *setup_honour(void)
{
    struct fx *f = setup();
    f->hv.cfg.guest_mca_ctl = GUEST_MCA_CTL_HONOUR;
    hv_domain(&f->hv, 1)->honour_ctl = true; /* what hv_init sets for HVM guests */
    return f;
}

/* honour: a bank turned off gets the error with EN clear, no #MC. */
static void honour_leaves_the_error_in_a_bank_turned_off(void **state)
{
    (void)state;
    struct fx *f = setup_honour();
    struct domain *d1 = hv_domain(&f->hv, 1);
    uint64_t v;
    assert_int_equal(hv_guest_wrmsr(&f->hv, 1, 0, MSR_IA32_MCx_CTL(1), 0x0F), 0);
    assert_int_equal(hv_guest_rdmsr(&f->hv, 1, 0, MSR_IA32_MCx_CTL(1), &v), 0);
    assert_int_equal(v, 0x0F);
    /* a partial mask is on: injected */
    assert_int_equal(mce_rec(f, SRAO_SCRUB, 0x10033, X86_CTX_IDLE).bank[0].action, MCA_ACT_VMCE);
    assert_true(hv_guest_take_vmce(&f->hv, 1, 0));
    d1->vcpu[0].vmce.mcg_status = 0;
    d1->vcpu[1].vmce.mcg_status = 0;
    assert_int_equal(hv_guest_wrmsr(&f->hv, 1, 0, MSR_IA32_MCx_CTL(1), 0), 0);
    struct mca_record r = mce_rec(f, SRAO_SCRUB, 0x10034, X86_CTX_IDLE);
    assert_int_equal(r.result, MCA_RES_RECOVERED);
    assert_int_equal(r.bank[0].action, MCA_ACT_POLLED);
    assert_false(d1->vcpu[0].vmce.pending);
    assert_int_equal(d1->vcpu[0].vmce.mcg_status, 0);
    assert_int_equal(d1->vcpu[0].vmce.bank[1].status, (SRAO_SCRUB & ~MCI_STATUS_MSCOD_MASK) & ~MCI_STATUS_EN);
    assert_int_equal(d1->vcpu[0].vmce.bank[1].addr, 0x34040);
    assert_true(p2m_is_broken(d1, 0x34));
    assert_non_null(strstr(f->m.console_log, "MCE: d1v0: MCi_CTL clear: error left in bank 1, no #MC"));
    teardown(f);
}

/* honour: CR4.MCE clear is polling; an action-required error there is
 * hardware's shutdown: the domain is crashed, and the SRAR's result stays
 * RESET as for any vMCE Xen cannot deliver. */
static void honour_polling_guest(void **state)
{
    (void)state;
    struct fx *f = setup_honour();
    struct domain *d1 = hv_domain(&f->hv, 1);
    hv_guest_set_cr4_mce(&f->hv, 1, 0, false);
    struct mca_record r = mce_rec(f, SRAO_SCRUB, 0x10033, X86_CTX_IDLE);
    assert_int_equal(r.bank[0].action, MCA_ACT_POLLED);
    assert_int_equal(d1->vcpu[0].vmce.bank[1].status & MCI_STATUS_EN, MCI_STATUS_EN);
    hv_set_current(&f->hv, 0, 1, 0);
    r = mce_rec(f, SRAR_LOAD, 0x10035, X86_CTX_GUEST_USER);
    assert_int_equal(r.bank[0].action, MCA_ACT_CRASHED);
    assert_int_equal(d1->state, DOM_CRASHED);
    assert_non_null(strstr(d1->reason, "CR4.MCE clear"));
    teardown(f);
}

/* The `refuse` alternative: the caps must be backed by this host. */
static void set_vmce_host_check(void **state)
{
    (void)state;
    struct fx *f = setup_lmce(true);
    f->hv.cfg.restore_check = RESTORE_CHECK_HOST;
    struct domain *d = hv_domain(&f->hv, 3);
    /* 32 banks on this 10-bank host, or no banks: not backed */
    assert_int_equal(set_vmce(f, 3, 0, (XEN_CAPS & ~0xFFull) | 32, 0, 0), -EINVAL);
    assert_int_equal(set_vmce(f, 3, 0, XEN_CAPS & ~0xFFull, 0, 0), -EINVAL);
    assert_int_equal(set_vmce(f, 3, 0, XEN_CAPS | MCG_CTL_P, 0, 0), -EINVAL);
    assert_int_equal(d->mcg_cap, XEN_CAPS);
    assert_non_null(strstr(f->m.console_log, "unsupported MCA capabilities"));
    assert_int_equal(set_vmce(f, 3, 0, MCG_TES_P | MCG_CMCI_P | MCG_LMCE_P | 1, ~0ull, MCG_EXT_CTL_LMCE_EN), 0);
    assert_int_equal(d->mcg_cap, MCG_TES_P | MCG_CMCI_P | MCG_LMCE_P | 1);
    assert_int_equal(d->vp.nbanks, 1);
    assert_int_equal(d->vp.err_bank, 0);
    assert_true(d->vp.lmce_p && d->vp.cmci_p && !d->vp.ser_p);
    uint64_t v;
    assert_int_equal(hv_guest_rdmsr(&f->hv, 3, 0, MSR_IA32_MCG_EXT_CTL, &v), 0);
    assert_int_equal(v, MCG_EXT_CTL_LMCE_EN);
    /* the host's own bank count is the limit */
    assert_int_equal(set_vmce(f, 3, 0, (XEN_CAPS & ~0xFFull) | 10, 0, 0), 0);
    assert_int_equal(set_vmce(f, 3, 0, (XEN_CAPS & ~0xFFull) | 11, 0, 0), -EINVAL);
    teardown(f);
}

/* LMCE_P: Xen accepts it on any Intel host; the host check wants the
 * firmware's LMCE. */
static void set_vmce_lmce_without_firmware(void **state)
{
    (void)state;
    struct fx *f = setup_lmce(false);
    assert_int_equal(set_vmce(f, 3, 0, XEN_CAPS | MCG_LMCE_P, 0, 0), 0);
    assert_int_equal(hv_domain(&f->hv, 3)->mcg_cap, XEN_CAPS | MCG_LMCE_P);
    f->hv.cfg.restore_check = RESTORE_CHECK_HOST;
    assert_int_equal(set_vmce(f, 3, 0, XEN_CAPS, 0, 0), 0);
    assert_int_equal(set_vmce(f, 3, 0, XEN_CAPS | MCG_LMCE_P, 0, 0), -EINVAL);
    assert_int_equal(hv_domain(&f->hv, 3)->mcg_cap, XEN_CAPS);
    teardown(f);
}

/* ---- incoming domains, paused domains and vMCE ------------------------------ */

static void incoming_domain_starts_paused(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d = hv_domain(&f->hv, 3);
    assert_int_equal(d->state, DOM_PAUSED);
    assert_string_equal(d->reason, "waiting for an incoming migration");
    assert_int_equal(d->nr_pages, 0x100);
    assert_int_equal(hv_domain(&f->hv, 1)->state, DOM_RUNNING);
    struct domctl_info in = info(f, 3);
    assert_int_equal(in.state, DOM_PAUSED);
    assert_int_equal(in.nr_pages, 0x100);
    assert_int_equal(in.nvcpus, 1);
    assert_int_equal(simple(f, DOMCTL_UNPAUSE, 3), 0);
    assert_int_equal(d->state, DOM_RUNNING);
    assert_int_equal(f->changed[3], 1);
    teardown(f);
}

/* The last round of a migration pauses the guest; an error then stays
 * pending in its vCPUs and is taken when it runs again (on this host, or
 * after the flag made the toolstack abort). */
static void paused_domain_takes_its_vmce_after_unpause(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d = hv_domain(&f->hv, 1);
    assert_int_equal(simple(f, DOMCTL_PAUSE, 1), 0);
    assert_int_equal(mce_on(f, SRAO_SCRUB, 0x10020, X86_CTX_IDLE), MCA_RES_RECOVERED);
    assert_true(d->vcpu[0].vmce.pending && d->vcpu[1].vmce.pending);
    assert_int_equal(d->vcpu[0].vmce.bank[1].addr, 0x20040); /* guest-physical */
    assert_int_equal(f->raised[1][0] + f->raised[1][1], 0); /* not while paused */
    assert_false(hv_guest_take_vmce(&f->hv, 1, 0));
    assert_true(info(f, 1).flags & DOMCTL_INFO_VMCE_PENDING);
    assert_int_equal(d->state, DOM_PAUSED);
    assert_int_equal(simple(f, DOMCTL_UNPAUSE, 1), 0);
    assert_int_equal(f->raised[1][0], 1);
    assert_int_equal(f->raised[1][1], 1);
    assert_true(hv_guest_take_vmce(&f->hv, 1, 0));
    assert_true(hv_guest_take_vmce(&f->hv, 1, 1));
    assert_false(info(f, 1).flags & DOMCTL_INFO_VMCE_PENDING);
    teardown(f);
}

/* The checks still apply to a paused domain: a second vMCE while the
 * first is still pending (MCIP set) crashes it; crashed and dying
 * domains get nothing. */
static void paused_domain_that_cannot_take_it_is_crashed(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d = hv_domain(&f->hv, 1);
    hv_domain_pause(&f->hv, d, "test");
    mce_on(f, SRAO_SCRUB, 0x10021, X86_CTX_IDLE);
    assert_int_equal(d->state, DOM_PAUSED);
    mce_on(f, SRAO_SCRUB, 0x10022, X86_CTX_IDLE);
    assert_int_equal(d->state, DOM_CRASHED);
    assert_non_null(strstr(d->reason, "MCIP set"));
    assert_non_null(strstr(f->m.console_log, "guest has not handled previous vMCE yet!"));
    struct mca_record r = {.mcg_status = MCG_STATUS_RIPV};
    struct mca_bank_entry b = {.status = SRAO_SCRUB};
    assert_int_equal(hv_vmce_deliver(&f->hv, d, &r, &b, 0, -1), MCA_ACT_NONE);
    struct domain *d2 = hv_domain(&f->hv, 2);
    hv_domain_destroy(&f->hv, d2, "test");
    assert_int_equal(hv_vmce_deliver(&f->hv, d2, &r, &b, 0, -1), MCA_ACT_NONE);
    assert_int_equal(d2->state, DOM_DYING);
    teardown(f);
}

/* ---- an SRAR consumed by another domain ------------------------------------ */

/* dom0's toolstack reads a frame of dom1 through a foreign mapping and
 * consumes the poison (V4 patch, case B.I): dom1 is told as the owner, and
 * dom0 gets a vMCE at the machine address so that its kernel can kill the
 * toolstack process: the `foreign_srar: vmce` alternative. */
static void dom0_consuming_a_guest_frame_gets_a_vmce(void **state)
{
    (void)state;
    for (int paused = 0; paused < 2; paused++) {
        struct fx *f = setup();
        f->hv.cfg.foreign_srar = FOREIGN_SRAR_VMCE;
        struct domain *d0 = hv_domain(&f->hv, 0), *d1 = hv_domain(&f->hv, 1);
        if (paused) /* the migration's last round */
            assert_int_equal(simple(f, DOMCTL_PAUSE, 1), 0);
        hv_set_current(&f->hv, 0, 0, 0);
        assert_int_equal(mce_on(f, SRAR_LOAD, 0x10033, X86_CTX_DOM0_USER), MCA_RES_RECOVERED);
        assert_false(f->m.stopped);
        assert_true(d1->vcpu[0].vmce.pending);
        assert_int_equal(d1->vcpu[0].vmce.bank[1].addr, 0x33040);
        assert_true(d0->vcpu[0].vmce.pending);
        assert_int_equal(d0->vcpu[0].vmce.bank[1].addr, 0x10033040); /* machine address */
        /* the consumer alone gets the #MC: told it is local (LMCES) */
        assert_int_equal(d0->vcpu[0].vmce.mcg_status, MCG_STATUS_EIPV | MCG_STATUS_MCIP | MCG_STATUS_LMCES);
        assert_int_equal(f->raised[0][0], 1);
        assert_int_equal(f->raised[1][0], paused ? 0 : 1);
        assert_non_null(strstr(f->m.console_log, "MCE: dom0 vcpu0 consumed page 0x10033 of dom1"));
        assert_int_equal(d0->state, DOM_RUNNING);
        assert_int_equal(d1->state, paused ? DOM_PAUSED : DOM_RUNNING);
        teardown(f);
    }
}

/* V4 patch, case B.I, under `foreign_srar: vmce`: the frame broke after
 * the toolstack read its type, then dom0 reads it. In the thread's reading
 * dom0 cannot go on past the load and gets the vMCE, and the owner, told
 * already, is left alone (Xen's offline_page would answer AGAIN and crash
 * it: xen_tells_only_the_owner). */
static void dom0_consuming_an_already_broken_frame_gets_a_vmce(void **state)
{
    (void)state;
    struct fx *f = setup();
    f->hv.cfg.foreign_srar = FOREIGN_SRAR_VMCE;
    struct domain *d0 = hv_domain(&f->hv, 0), *d1 = hv_domain(&f->hv, 1);
    assert_int_equal(mce_on(f, SRAO_SCRUB, 0x10037, X86_CTX_IDLE), MCA_RES_RECOVERED);
    uint64_t injected = d1->vmce_injected;
    hv_set_current(&f->hv, 0, 0, 0);
    struct mca_record r = mce_rec(f, SRAR_LOAD, 0x10037, X86_CTX_DOM0_USER);
    assert_int_equal(r.result, MCA_RES_RECOVERED);
    assert_int_equal(r.nbanks, 1);
    assert_int_equal(r.bank[0].domid, 1);
    assert_true(d0->vcpu[0].vmce.pending);
    assert_int_equal(d0->vcpu[0].vmce.bank[1].addr, 0x10037040);
    assert_int_equal(d1->vmce_injected, injected);
    assert_int_equal(d1->state, DOM_RUNNING);
    /* no foreign consumer: Xen's offline_page, AGAIN */
    hv_set_current(&f->hv, 0, 1, 0);
    assert_int_equal(mce_on(f, SRAR_LOAD, 0x10037, X86_CTX_GUEST_USER), MCA_RES_CONTINUE);
    assert_int_equal(d1->state, DOM_CRASHED);
    teardown(f);
}

/* Xen: the owner hears of it (a broadcast vMCE: the #MC interrupted
 * another domain, mc_domid != owner), the consumer does not; AGAIN the
 * second time crashes the owner. */
static void xen_tells_only_the_owner(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct domain *d0 = hv_domain(&f->hv, 0), *d1 = hv_domain(&f->hv, 1);
    hv_set_current(&f->hv, 0, 0, 0);
    assert_int_equal(mce_on(f, SRAR_LOAD, 0x10033, X86_CTX_DOM0_USER), MCA_RES_RECOVERED);
    assert_true(d1->vcpu[0].vmce.pending && d1->vcpu[1].vmce.pending);
    assert_false(d0->vcpu[0].vmce.pending);
    assert_null(strstr(f->m.console_log, "consumed"));
    /* the toolstack re-executes the load */
    assert_int_equal(mce_on(f, SRAR_LOAD, 0x10033, X86_CTX_DOM0_USER), MCA_RES_CONTINUE);
    assert_int_equal(d1->state, DOM_CRASHED);
    assert_false(f->m.stopped);
    teardown(f);
}

/* A consumer that cannot be told cannot go on: the host resets, as for
 * an owner that consumed its own page and could not be told. */
static void consumer_that_cannot_be_told_resets(void **state)
{
    (void)state;
    struct fx *f = setup();
    f->hv.cfg.foreign_srar = FOREIGN_SRAR_VMCE;
    hv_set_current(&f->hv, 0, 2, 0); /* PV dom2, no machine-check callback */
    struct mca_record r = mce_rec(f, SRAR_LOAD, 0x10034, X86_CTX_GUEST_KERNEL);
    assert_int_equal(hv_domain(&f->hv, 2)->state, DOM_CRASHED);
    assert_true(hv_domain(&f->hv, 1)->vcpu[0].vmce.pending); /* the owner was told */
    assert_int_equal(r.result, MCA_RES_RESET);
    assert_int_equal(r.bank[0].domid, 1); /* the record names the owner ... */
    assert_int_equal(r.bank[0].action, MCA_ACT_VMCE);
    assert_true(f->m.stopped);   /* ... but the host could not go on */
    teardown(f);
}

/* Without a foreign consumer the old rules hold: the owner consuming its
 * own page, an SRAR in hypervisor context, no current vCPU, a consumer
 * that is not running. */
static void owner_only_cases_are_unchanged(void **state)
{
    (void)state;
    struct {
        unsigned cur_dom;
        enum x86_exec_ctx ctx;
        bool pause_dom0;
    } cases[] = {
        {1, X86_CTX_GUEST_USER, false},
        {DOMID_NONE, X86_CTX_DOM0_USER, false},
        {0, X86_CTX_DOM0_USER, true},
        {9, X86_CTX_GUEST_USER, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fx *f = setup();
        f->hv.cfg.foreign_srar = FOREIGN_SRAR_VMCE;
        struct domain *d0 = hv_domain(&f->hv, 0);
        if (cases[i].pause_dom0)
            hv_domain_pause(&f->hv, d0, "test");
        hv_set_current(&f->hv, 0, cases[i].cur_dom, 0);
        assert_int_equal(mce_on(f, SRAR_LOAD, 0x10035, cases[i].ctx), MCA_RES_RECOVERED);
        assert_true(hv_domain(&f->hv, 1)->vcpu[0].vmce.pending);
        assert_false(d0->vcpu[0].vmce.pending);
        assert_null(strstr(f->m.console_log, "consumed"));
        teardown(f);
    }
    /* an SRAR in hypervisor context panics before any of this */
    struct fx *f = setup();
    hv_set_current(&f->hv, 0, 0, 0);
    mce_on(f, SRAR_LOAD, 0x10036, X86_CTX_HV);
    assert_true(f->m.stopped);
    assert_false(hv_domain(&f->hv, 0)->vcpu[0].vmce.pending);
    teardown(f);
}

static void set_current_ignores_bad_cpus(void **state)
{
    (void)state;
    struct fx *f = setup();
    assert_int_equal(f->hv.cpu[0].cur_domid, DOMID_NONE);
    hv_set_current(&f->hv, 5, 1, 1);
    assert_int_equal(f->hv.cpu[0].cur_domid, DOMID_NONE);
    hv_set_current(&f->hv, 0, 1, 1);
    assert_int_equal(f->hv.cpu[0].cur_domid, 1);
    assert_int_equal(f->hv.cpu[0].cur_vcpu, 1);
    teardown(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(only_dom0_may_call),
        cmocka_unit_test(set_vmce_takes_a_xen_4_2_record),
        cmocka_unit_test(xen_ignores_a_guests_mci_ctl),
        cmocka_unit_test(honour_leaves_the_error_in_a_bank_turned_off),
        cmocka_unit_test(honour_polling_guest),
        cmocka_unit_test(bad_addresses_are_efault),
        cmocka_unit_test(malformed_requests_are_einval),
        cmocka_unit_test(unknown_domain_is_esrch),
        cmocka_unit_test(dom0_cannot_control_itself),
        cmocka_unit_test(pause_and_unpause),
        cmocka_unit_test(destroy_frees_pages_and_ends_log_dirty),
        cmocka_unit_test(writes_are_marked_only_in_log_dirty_mode),
        cmocka_unit_test(peek_and_clean_copy_ascending),
        cmocka_unit_test(shadow_op_refusals),
        cmocka_unit_test(error_during_migration_dirties_and_flags),
        cmocka_unit_test(pageframeinfo_types),
        cmocka_unit_test(pageframeinfo_refusals),
        cmocka_unit_test(set_broken_page_on_the_receiver),
        cmocka_unit_test(get_vmce_reads_the_record),
        cmocka_unit_test(set_vmce_checks_xen_fixed_set),
        cmocka_unit_test(set_vmce_host_check),
        cmocka_unit_test(set_vmce_lmce_without_firmware),
        cmocka_unit_test(incoming_domain_starts_paused),
        cmocka_unit_test(paused_domain_takes_its_vmce_after_unpause),
        cmocka_unit_test(paused_domain_that_cannot_take_it_is_crashed),
        cmocka_unit_test(dom0_consuming_a_guest_frame_gets_a_vmce),
        cmocka_unit_test(dom0_consuming_an_already_broken_frame_gets_a_vmce),
        cmocka_unit_test(consumer_that_cannot_be_told_resets),
        cmocka_unit_test(xen_tells_only_the_owner),
        cmocka_unit_test(owner_only_cases_are_unchanged),
        cmocka_unit_test(set_current_ignores_bad_cpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
