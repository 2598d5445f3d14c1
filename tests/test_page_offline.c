/*
 * test_page_offline.c - Xen's offline_page, online_page and
 * query_page_offline (common/page_alloc.c) through dom0's
 * MCA_CMD_OFFLINE_PAGE (the semantics of XEN_SYSCTL_page_offline_op), page
 * kind by page kind with status words and return codes read off Xen's
 * source; the memory-error handler's use of offline_page
 * (mc_memerr_dhandler: result per page kind, AGAIN); a page freed by its
 * owner; every argument check; and the page store underneath.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "hv/hv.h"
#include "mock_platform.h"

#define CAP_SER (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P)
#define SRAO_SCRUB 0xBD000000004000CFull
#define HC_ADDR MOCK_GBASE
#define OWNER(d) ((uint32_t)(d) << MCA_PG_OWNER_SHIFT)

static const struct hv_mem_region layout[] = {
    {0x000, 0x100, HV_OWNER_XEN_IMAGE, 0, false, 0},
    {0x100, 0x100, HV_OWNER_XEN_PAGETABLE, 0, false, 0},
    {0x200, 0x100, HV_OWNER_XEN_HEAP, 0, false, 0},
    {0x300, 0x10, HV_OWNER_NOT_RAM, 0, false, 0},
    {0x10000, 0x40000, HV_OWNER_DOMAIN, 3, false, 0},
};

struct fx {
    struct mock m;
    struct hv hv;
};

static struct fx *setup(void)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 1, CAP_SER, 10);
    static const unsigned pcpu[1] = {0};
    struct hv_domain_config doms[2] = {
        {.id = 0, .type = DOM_TYPE_DOM0, .nvcpus = 1, .pcpu = pcpu,
         .vmce = {.nbanks = 2, .err_bank = 1, .ser_p = true, .cmci_p = true, .tes_p = true}},
        {.id = 3, .type = DOM_TYPE_HVM, .nvcpus = 1, .pcpu = pcpu,
         .vmce = {.nbanks = 2, .err_bank = 1, .ser_p = true, .cmci_p = true, .tes_p = true}},
    };
    struct hv_config cfg;
    hv_config_defaults(&cfg, 1);
    cfg.regions = layout;
    cfg.nregions = sizeof(layout) / sizeof(layout[0]);
    cfg.domains = doms;
    cfg.ndomains = 2;
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    hv_cpu_boot(&f->hv, 0);
    return f;
}

static void teardown(struct fx *f)
{
    hv_fini(&f->hv);
    test_free(f);
}

static struct mca_hypercall *hc_at(struct fx *f) { return (struct mca_hypercall *)f->m.gmem; }

/* `caller` asks for op on mfn; *status gets the answer. */
static long page_op(struct fx *f, unsigned caller, uint32_t op, uint64_t mfn, uint32_t *status)
{
    struct mca_hypercall *hc = hc_at(f);
    memset(hc, 0, sizeof(*hc));
    hc->cmd = MCA_CMD_OFFLINE_PAGE;
    hc->interface_version = MCA_INTERFACE_VERSION;
    hc->u.offline.mfn = mfn;
    hc->u.offline.op = op;
    hc->u.offline.status = 0xdeadbeef; /* out only */
    long rc = hv_do_mca(&f->hv, caller, HC_ADDR);
    if (status)
        *status = hc->u.offline.status;
    return rc;
}

static long offline(struct fx *f, uint64_t mfn, uint32_t *status)
{
    return page_op(f, 0, MCA_OFFLINE_OP_OFFLINE, mfn, status);
}

/* offline_page(mfn, 0, &status), each kind of page, asked twice. */
static void offline_request_per_page_kind(void **state)
{
    (void)state;
    const struct {
        uint64_t mfn;
        long rc;
        uint32_t status;
        int tracked;          /* an entry in the page store afterwards */
        enum page_state st;
    } cases[] = {
        {0x90000, 0, MCA_PG_OFFLINED, 1, PAGE_OFFLINED},
        {0x12345, 0, MCA_PG_OWNED | MCA_PG_PENDING | OWNER(3), 1, PAGE_OFFLINE_PENDING},
        {0x250, 0, MCA_PG_XENPAGE | MCA_PG_PENDING | OWNER(MCA_PG_OWNER_XEN), 1, PAGE_OFFLINE_PENDING},
        {0x050, -EPERM, MCA_PG_XENPAGE | MCA_PG_FAILED | OWNER(MCA_PG_OWNER_XEN), 0, PAGE_NORMAL},
        /* anonymous: refused, but offlining all the same */
        {0x150, 0, MCA_PG_ANONYMOUS | MCA_PG_FAILED | OWNER(MCA_PG_OWNER_INVALID), 1, PAGE_OFFLINE_PENDING},
        {0x305, -EINVAL, MCA_PG_FAILED | MCA_PG_NOT_CONV_RAM, 0, PAGE_NORMAL},
        {MCA_OFFLINE_MFN_LIMIT, -EINVAL, MCA_PG_UNTOUCHED, 0, PAGE_NORMAL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fx *f = setup();
        for (int again = 0; again < 2; again++) {
            uint32_t st = 0;
            assert_int_equal(offline(f, cases[i].mfn, &st), cases[i].rc);
            assert_int_equal(st, cases[i].status);
        }
        assert_false(f->m.stopped); /* a refusal is an answer, not a reset */
        const struct page_entry *pg = page_states_find(&f->hv.pages, cases[i].mfn);
        assert_int_equal(pg != NULL, cases[i].tracked);
        if (pg) {
            assert_int_equal(pg->state, cases[i].st);
            assert_false(pg->broken); /* still good data */
        }
        assert_int_equal(f->m.trace_count[HV_STAGE_PAGE_OFFLINE], cases[i].tracked);
        assert_int_equal(hv_domain(&f->hv, 3)->state, DOM_RUNNING);
        teardown(f);
    }
}

static void arguments_and_callers(void **state)
{
    (void)state;
    struct fx *f = setup();
    uint32_t st = 0;
    for (unsigned dom = 1; dom < 4; dom++)
        assert_int_equal(page_op(f, dom, MCA_OFFLINE_OP_OFFLINE, 0x90000, NULL), -EPERM);
    assert_int_equal(offline(f, UINT64_MAX, &st), -EINVAL);
    assert_int_equal(offline(f, MCA_OFFLINE_MFN_LIMIT - 1, &st), 0);
    assert_int_equal(st, MCA_PG_OFFLINED);
    for (uint32_t op = 0; op < 8; op += 4) { /* 0 and 4: the sysctl's default case */
        assert_int_equal(page_op(f, 0, op, 0x90001, &st), -EINVAL);
        assert_int_equal(st, MCA_PG_UNTOUCHED);
    }
    assert_null(page_states_find(&f->hv.pages, 0x90001));
    struct mca_hypercall *hc = hc_at(f);
    hc->interface_version = MCA_INTERFACE_VERSION + 1;
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), -EACCES);
    assert_int_equal(hv_do_mca(&f->hv, 0, 0xdead0000), -EFAULT);
    teardown(f);
}

/* online_page and query_page_offline. */
static void online_and_query(void **state)
{
    (void)state;
    struct fx *f = setup();
    uint32_t st;
    assert_int_equal(page_op(f, 0, MCA_OFFLINE_OP_QUERY, 0x90000, &st), 0);
    assert_int_equal(st, 0); /* nothing, not even STATUS_ONLINE */
    assert_int_equal(offline(f, 0x90000, &st), 0);
    assert_int_equal(page_op(f, 0, MCA_OFFLINE_OP_QUERY, 0x90000, &st), 0);
    assert_int_equal(st, MCA_PG_STATUS_OFFLINED);
    assert_int_equal(offline(f, 0x12345, &st), 0);
    assert_int_equal(page_op(f, 0, MCA_OFFLINE_OP_QUERY, 0x12345, &st), 0);
    assert_int_equal(st, MCA_PG_STATUS_OFFLINE_PENDING);
    /* online: offlined and offlining pages come back */
    assert_int_equal(page_op(f, 0, MCA_OFFLINE_OP_ONLINE, 0x90000, &st), 0);
    assert_int_equal(st, MCA_PG_ONLINED);
    assert_int_equal(page_op(f, 0, MCA_OFFLINE_OP_ONLINE, 0x12345, &st), 0);
    assert_int_equal(st, MCA_PG_ONLINED);
    assert_int_equal(page_states_find(&f->hv.pages, 0x12345)->state, PAGE_NORMAL);
    assert_int_equal(page_op(f, 0, MCA_OFFLINE_OP_ONLINE, 0x90002, &st), 0);
    assert_int_equal(st, 0); /* never offline: nothing to do */
    assert_int_equal(page_op(f, 0, MCA_OFFLINE_OP_QUERY, 0x305, &st), -EINVAL);
    assert_int_equal(st, MCA_PG_UNTOUCHED);
    assert_int_equal(page_op(f, 0, MCA_OFFLINE_OP_ONLINE, MCA_OFFLINE_MFN_LIMIT, &st), -EINVAL);
    teardown(f);
}

/* Hardware: an SRAO on mfn with MCi_MISC misc, through #MC and the softirq. */
static uint32_t srao_misc(struct fx *f, uint64_t mfn, uint64_t misc)
{
    cpu_mca_latch(&f->m.cpu[0], 7, SRAO_SCRUB, mfn << 12 | 0x20, misc);
    assert_int_equal(cpu_mca_deliver_mc(&f->m.cpu[0], MCG_STATUS_RIPV), CPU_MC_DELIVERED);
    hv_machine_check(&f->hv, 0);
    hv_softirq(&f->hv, 0);
    const struct telem_entry *e = telem_fetch(&f->hv.telem, TELEM_URGENT);
    assert_non_null(e);
    uint32_t res = e->rec.result;
    telem_ack(&f->hv.telem, TELEM_URGENT, e->fetch_id);
    return res;
}

/* LSB 6, physical: a line's address, as scrubbers report. */
static uint32_t srao_on(struct fx *f, uint64_t mfn) { return srao_misc(f, mfn, 0x86); }

/* intel_checkaddr looks at ADDRV, MISCV and the address mode only: an
 * address whose LSB says it is good to 1 GiB is still offlined (Linux's
 * mce_usable_address would refuse it); a non-physical mode is not. */
static void checkaddr_ignores_the_lsb(void **state)
{
    (void)state;
    struct fx *f = setup();
    assert_int_equal(srao_misc(f, 0x90000, 0x80 | 30), MCA_RES_RECOVERED);
    assert_int_equal(page_states_find(&f->hv.pages, 0x90000)->state, PAGE_OFFLINED);
    assert_int_equal(srao_misc(f, 0x90001, 0x40 | 12), MCA_RES_CONTINUE); /* mode 1: linear */
    assert_null(page_states_find(&f->hv.pages, 0x90001));
    teardown(f);
}

/* mc_memerr_dhandler for an SRAO (result CONTINUE until it does better). */
static void memerr_result_per_page_kind(void **state)
{
    (void)state;
    const struct {
        uint64_t mfn;
        uint32_t result;
        int tracked;
        enum page_state st;
    } cases[] = {
        {0x90000, MCA_RES_RECOVERED, 1, PAGE_OFFLINED},
        {0x12345, MCA_RES_RECOVERED, 1, PAGE_OFFLINE_PENDING}, /* HAP guest: vMCE */
        {0x250, MCA_RES_CONTINUE, 1, PAGE_OFFLINE_PENDING},
        {0x050, MCA_RES_CONTINUE, 0, PAGE_NORMAL}, /* -EPERM: unchanged */
        {0x150, MCA_RES_CONTINUE, 1, PAGE_OFFLINE_PENDING},
        {0x305, MCA_RES_CONTINUE, 0, PAGE_NORMAL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fx *f = setup();
        assert_int_equal(srao_on(f, cases[i].mfn), cases[i].result);
        const struct page_entry *pg = page_states_find(&f->hv.pages, cases[i].mfn);
        assert_int_equal(pg != NULL, cases[i].tracked);
        if (pg) {
            assert_true(pg->broken);
            assert_int_equal(pg->state, cases[i].st);
        }
        assert_false(f->m.stopped);
        teardown(f);
    }
}

/* offline_page on a broken page its owner still has: AGAIN, the owner is
 * crashed, CONTINUE; then the crashed domain's page is offlined. */
static void broken_owned_page_again(void **state)
{
    (void)state;
    struct fx *f = setup();
    assert_int_equal(srao_on(f, 0x12345), MCA_RES_RECOVERED);
    assert_non_null(strstr(f->m.console_log, "MCE: This error page is ownded by DOM 3"));
    struct domain *d3 = hv_domain(&f->hv, 3);
    d3->vcpu[0].vmce.mcg_status = 0; /* the guest handled the first */
    d3->vcpu[0].vmce.pending = false;
    assert_int_equal(srao_on(f, 0x12345), MCA_RES_CONTINUE);
    assert_int_equal(d3->state, DOM_CRASHED);
    assert_non_null(strstr(d3->reason, "hit again"));
    assert_int_equal(page_states_find(&f->hv.pages, 0x12345)->state, PAGE_OFFLINED);
    /* and now it is a free, broken page */
    assert_int_equal(srao_on(f, 0x12345), MCA_RES_RECOVERED);
    teardown(f);
}

/* A soft request on a broken page of a live owner crashes it too. */
static void request_on_broken_owned_page_crashes_owner(void **state)
{
    (void)state;
    struct fx *f = setup();
    assert_int_equal(srao_on(f, 0x12346), MCA_RES_RECOVERED);
    uint32_t st;
    assert_int_equal(offline(f, 0x12346, &st), 0);
    assert_int_equal(st, MCA_PG_AGAIN);
    assert_int_equal(hv_domain(&f->hv, 3)->state, DOM_CRASHED);
    teardown(f);
}

static void soft_offlined_page_that_breaks_stays_out_of_service(void **state)
{
    (void)state;
    struct fx *f = setup();
    uint32_t st;
    assert_int_equal(offline(f, 0x90000, &st), 0);
    assert_int_equal(st, MCA_PG_OFFLINED);
    assert_int_equal(srao_on(f, 0x90000), MCA_RES_RECOVERED);
    const struct page_entry *pg = page_states_find(&f->hv.pages, 0x90000);
    assert_true(pg->broken);
    assert_int_equal(pg->state, PAGE_OFFLINED);
    /* a broken free page is offlined again: OFFLINED|BROKEN, RECOVERED */
    assert_int_equal(srao_on(f, 0x90000), MCA_RES_RECOVERED);
    assert_int_equal(offline(f, 0x90000, &st), 0);
    assert_int_equal(st, MCA_PG_OFFLINED); /* a request: no BROKEN bit */
    assert_false(f->m.stopped);
    teardown(f);
}

/* A page given back: an offlining one is offlined, a healthy one is free
 * from then on (an error there is a free page's). A broken gfn cannot be
 * given back (-EINVAL); an unmapped one is -ENOENT. */
static void pages_given_back(void **state)
{
    (void)state;
    struct fx *f = setup();
    uint32_t st;
    assert_int_equal(offline(f, 0x10010, &st), 0); /* dom3 gfn 0x10 */
    assert_int_equal(st & MCA_PG_PENDING, MCA_PG_PENDING);
    assert_int_equal(hv_guest_remove_page(&f->hv, 3, 0x10), 0);
    assert_int_equal(page_states_find(&f->hv.pages, 0x10010)->state, PAGE_OFFLINED);
    assert_int_equal(hv_guest_remove_page(&f->hv, 3, 0x10), -ENOENT);
    assert_int_equal(hv_guest_remove_page(&f->hv, 3, 0x20), 0);
    assert_int_equal(srao_on(f, 0x10020), MCA_RES_RECOVERED);
    assert_int_equal(page_states_find(&f->hv.pages, 0x10020)->state, PAGE_OFFLINED);
    assert_int_equal(srao_on(f, 0x10030), MCA_RES_RECOVERED); /* broken in dom3's p2m */
    assert_int_equal(hv_guest_remove_page(&f->hv, 3, 0x30), -EINVAL);
    assert_null(strstr(f->m.console_log, "page number 30 invalid")); /* gdprintk: debug builds */
    f->hv.cfg.xen_debug = true;
    assert_int_equal(hv_guest_remove_page(&f->hv, 3, 0x30), -EINVAL);
    assert_non_null(strstr(f->m.console_log, "common/memory.c:373:d3v0 Domain 3 page number 30 invalid"));
    assert_int_equal(hv_guest_remove_page(&f->hv, 9, 0x30), -ESRCH);
    teardown(f);
}

/* Deterministic xorshift: same inputs every run. */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Random requests, well-formed or not: an answer or an error code, never
 * a stop. */
static void request_fuzz_never_stops_the_host(void **state)
{
    (void)state;
    struct fx *f = setup();
    uint64_t seed = 0xC0FFEE1234567ull;
    for (int i = 0; i < 5000; i++) {
        uint64_t r = next_rand(&seed);
        uint64_t mfn = (i % 3 == 0) ? r : r % 0x60000;
        uint32_t op = (i % 7 == 0) ? (uint32_t)next_rand(&seed) : 1 + (uint32_t)(r % 3);
        uint32_t st = 0;
        long rc = page_op(f, 0, op, mfn, &st);
        assert_true(rc == 0 || rc == -EINVAL || rc == -EPERM);
        assert_true(st != 0xdeadbeef);
    }
    assert_false(f->m.stopped);
    teardown(f);
}

/* The store behind every case above: scattered MFNs in, each found again
 * (however far the index grew), nothing invented, reports ascending. */
static void page_store_finds_every_page_and_sorts_for_reports(void **state)
{
    (void)state;
    struct page_states ps;
    page_states_init(&ps);
    assert_null(page_states_find(&ps, 0));
    enum { N = 5000 };
    for (uint64_t i = 0; i < N; i++) {
        struct page_entry *pg = page_states_get(&ps, (i * 2654435761u) % 1000003u);
        assert_non_null(pg);
        pg->owner_domid = (unsigned)i;
    }
    assert_int_equal(ps.n, N);
    assert_ptr_equal(page_states_get(&ps, 2654435761u % 1000003u), &ps.v[1]); /* no duplicate */
    assert_int_equal(ps.n, N);
    for (uint64_t i = 0; i < N; i++)
        assert_int_equal(page_states_find(&ps, (i * 2654435761u) % 1000003u)->owner_domid, i);
    assert_null(page_states_find(&ps, 1000003u));
    struct page_entry *out = calloc(N, sizeof(*out));
    assert_non_null(out);
    page_states_copy_sorted(&ps, out, UINT64_MAX);
    for (unsigned i = 1; i < N; i++)
        assert_true(out[i - 1].mfn < out[i].mfn);
    free(out);
    page_states_fini(&ps);
}

/* Page runs (the round fold's UC pages): a set the platform names. Here a
 * run's pages are the multiples of its key (3 or 5) in [lo, hi]. */
static bool mult_has(void *ctx, uint64_t key, uint64_t mfn)
{
    (void)ctx;
    return mfn % key == 0;
}

static uint64_t mult_next(void *ctx, uint64_t key, uint64_t mfn)
{
    (void)ctx;
    return (mfn + key - 1) / key * key;
}

static void page_runs_answer_as_entries_would(void **state)
{
    (void)state;
    struct page_states ps, ref;
    page_states_init(&ps);
    page_states_init(&ref);
    struct page_set_ops ops = {NULL, mult_has, mult_next};
    page_states_set_ops(&ps, &ops);
    struct page_entry like = {.mfn = 0, .state = PAGE_OFFLINED, .broken = true, .owner_domid = 0xFFFF};
    /* runs added out of order: 5s in [200, 300], 3s in [30, 90] */
    assert_int_equal(page_states_add_run(&ps, 5, 200, 300, 21, &like), 0);
    assert_int_equal(page_states_add_run(&ps, 3, 30, 90, 21, &like), 0);
    struct page_entry *e = page_states_get(&ps, 7); /* an entry of its own */
    e->state = PAGE_OFFLINE_PENDING;
    e->owner_domid = 3;
    for (uint64_t m = 0; m < 400; m++) { /* the same pages as entries one by one */
        bool in = (m >= 30 && m <= 90 && m % 3 == 0) || (m >= 200 && m <= 300 && m % 5 == 0);
        if (in) {
            struct page_entry *r = page_states_get(&ref, m);
            *r = like;
            r->mfn = m;
        }
    }
    struct page_entry *r7 = page_states_get(&ref, 7);
    *r7 = *e;
    assert_int_equal(page_states_count(&ps), page_states_count(&ref));
    assert_int_equal(page_states_count(&ps), 43);
    for (uint64_t m = 0; m < 400; m++) {
        const struct page_entry *a = page_states_find(&ps, m), *b = page_states_find(&ref, m);
        assert_int_equal(a != NULL, b != NULL);
        if (a) {
            assert_int_equal(a->state, b->state);
            assert_int_equal(a->broken, b->broken);
            assert_int_equal(a->owner_domid, b->owner_domid);
        }
    }
    /* a run's page given an entry of its own: counted once, changed alone */
    struct page_entry *g = page_states_get(&ps, 60);
    assert_int_equal(g->mfn, 60);
    assert_int_equal(g->state, PAGE_OFFLINED);
    g->freed = true;
    page_states_get(&ref, 60)->freed = true;
    assert_int_equal(page_states_count(&ps), 43);
    assert_true(page_states_find(&ps, 63) && !page_states_find(&ps, 63)->freed);
    /* reports: every page, or the first few, in MFN order, as the entries */
    struct page_entry all[64], want[64], few[5];
    assert_int_equal(page_states_copy_sorted(&ps, all, UINT64_MAX), 43);
    assert_int_equal(page_states_copy_sorted(&ref, want, UINT64_MAX), 43);
    for (unsigned i = 0; i < 43; i++) {
        assert_int_equal(all[i].mfn, want[i].mfn);
        assert_int_equal(all[i].state, want[i].state);
        assert_int_equal(all[i].freed, want[i].freed);
    }
    assert_int_equal(page_states_copy_sorted(&ps, few, 5), 5);
    for (unsigned i = 0; i < 5; i++)
        assert_int_equal(few[i].mfn, want[i].mfn); /* 7, 30, 33, 36, 39 */
    page_states_fini(&ps);
    page_states_fini(&ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(offline_request_per_page_kind),
        cmocka_unit_test(arguments_and_callers),
        cmocka_unit_test(online_and_query),
        cmocka_unit_test(memerr_result_per_page_kind),
        cmocka_unit_test(checkaddr_ignores_the_lsb),
        cmocka_unit_test(broken_owned_page_again),
        cmocka_unit_test(request_on_broken_owned_page_crashes_owner),
        cmocka_unit_test(soft_offlined_page_that_breaks_stays_out_of_service),
        cmocka_unit_test(pages_given_back),
        cmocka_unit_test(request_fuzz_never_stops_the_host),
        cmocka_unit_test(page_store_finds_every_page_and_sorts_for_reports),
        cmocka_unit_test(page_runs_answer_as_entries_would),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
