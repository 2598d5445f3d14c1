/*
 * test_page_offline.c - page offlining on dom0's request (MCA_CMD_OFFLINE_PAGE,
 * the Xen MCA/MCE concept (Egger, 2007), case II) and its agreement with the
 * memory-error handler: both go through hv_page_offline(), so a page a
 * request took out of service and a page an error broke follow the same
 * table (Xen's offline_page). Also every argument check of the command.
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

static const struct hv_mem_region layout[] = {
    {0x000, 0x100, HV_OWNER_XEN_IMAGE, 0},
    {0x100, 0x100, HV_OWNER_XEN_PAGETABLE, 0},
    {0x200, 0x100, HV_OWNER_XEN_HEAP, 0},
    {0x10000, 0x40000, HV_OWNER_DOMAIN, 3},
};

struct fx {
    struct mock m;
    struct hv hv;
};

static struct fx *setup(void)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 1, CAP_SER, 10);
    struct hv_config cfg;
    hv_config_defaults(&cfg, 1);
    cfg.regions = layout;
    cfg.nregions = sizeof(layout) / sizeof(layout[0]);
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

/* dom0 (or `caller`) asks to offline mfn; *status gets the answer. */
static long offline(struct fx *f, unsigned caller, uint64_t mfn, uint32_t *status)
{
    struct mca_hypercall *hc = hc_at(f);
    memset(hc, 0, sizeof(*hc));
    hc->cmd = MCA_CMD_OFFLINE_PAGE;
    hc->interface_version = MCA_INTERFACE_VERSION;
    hc->u.offline.mfn = mfn;
    long rc = hv_do_mca(&f->hv, caller, HC_ADDR);
    if (status)
        *status = hc->u.offline.status;
    return rc;
}

static void request_follows_the_page_table(void **state)
{
    (void)state;
    const uint32_t xen_owner = MCA_OFFLINE_OWNER_XEN << MCA_OFFLINE_OWNER_SHIFT;
    struct {
        uint64_t mfn;
        uint32_t status;
        int tracked;        /* an entry in the page store afterwards */
        enum page_state st;
        const char *trace;  /* detail of the PAGE_OFFLINE event, NULL: none */
    } cases[] = {
        {0x90000, MCA_OFFLINE_OFFLINED, 1, PAGE_OFFLINED, "dom0 request: free offlined"},
        {0x12345, MCA_OFFLINE_PENDING | (3u << MCA_OFFLINE_OWNER_SHIFT), 1, PAGE_OFFLINE_PENDING,
         "dom0 request: domain offline-pending"},
        {0x250, MCA_OFFLINE_PENDING | xen_owner, 1, PAGE_OFFLINE_PENDING,
         "dom0 request: xen-heap offline-pending"},
        {0x050, MCA_OFFLINE_FAILED_XENPAGE, 0, PAGE_NORMAL, "dom0 request: xen-image normal"},
        {0x150, MCA_OFFLINE_FAILED_XENPAGE, 0, PAGE_NORMAL, "dom0 request: xen-pagetable normal"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fx *f = setup();
        uint32_t st = 0xdead;
        assert_int_equal(offline(f, 0, cases[i].mfn, &st), 0);
        assert_int_equal(st, cases[i].status);
        assert_false(f->m.stopped); /* a refusal is an answer, not a reset */
        const struct page_entry *pg = page_states_find(&f->hv.pages, cases[i].mfn);
        assert_int_equal(pg != NULL, cases[i].tracked);
        if (pg) {
            assert_int_equal(pg->state, cases[i].st);
            assert_false(pg->broken); /* still good data */
        }
        if (cases[i].mfn == 0x12345)
            assert_int_equal(pg->owner_domid, 3);
        assert_string_equal(f->m.last_detail[HV_STAGE_PAGE_OFFLINE], cases[i].trace);
        assert_int_equal(f->hv.stats.offline_requests, 1);
        /* asking again changes nothing */
        assert_int_equal(offline(f, 0, cases[i].mfn, &st), 0);
        assert_int_equal(st, cases[i].tracked ? MCA_OFFLINE_ALREADY : MCA_OFFLINE_FAILED_XENPAGE);
        assert_int_equal(f->m.trace_count[HV_STAGE_PAGE_OFFLINE], cases[i].tracked ? 1 : 2);
        teardown(f);
    }
}

static void request_checks_its_arguments(void **state)
{
    (void)state;
    struct fx *f = setup();
    for (unsigned dom = 1; dom < 4; dom++)
        assert_int_equal(offline(f, dom, 0x90000, NULL), -EPERM);
    assert_int_equal(offline(f, 0, MCA_OFFLINE_MFN_LIMIT, NULL), -EINVAL);
    assert_int_equal(offline(f, 0, UINT64_MAX, NULL), -EINVAL);
    uint32_t st;
    assert_int_equal(offline(f, 0, MCA_OFFLINE_MFN_LIMIT - 1, &st), 0);
    assert_int_equal(st, MCA_OFFLINE_OFFLINED);

    struct mca_hypercall *hc = hc_at(f);
    memset(hc, 0, sizeof(*hc));
    hc->cmd = MCA_CMD_OFFLINE_PAGE;
    hc->interface_version = MCA_INTERFACE_VERSION;
    hc->u.offline.mfn = 0x90001;
    hc->u.offline.pad = 1;
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), -EINVAL);
    hc->u.offline.pad = 0;
    hc->u.offline.status = MCA_OFFLINE_OFFLINED; /* out only */
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), -EINVAL);
    assert_null(page_states_find(&f->hv.pages, 0x90001));
    assert_int_equal(f->hv.stats.offline_requests, 1);
    teardown(f);
}

/* Hardware: an SRAO on mfn, taken through #MC and the softirq. */
static uint32_t srao_on(struct fx *f, uint64_t mfn)
{
    cpu_mca_latch(&f->m.cpu[0], 7, SRAO_SCRUB, mfn << 12 | 0x20, 0x86);
    assert_int_equal(cpu_mca_deliver_mc(&f->m.cpu[0], MCG_STATUS_RIPV), CPU_MC_DELIVERED);
    hv_machine_check(&f->hv, 0);
    hv_softirq(&f->hv, 0);
    const struct telem_entry *e = telem_fetch(&f->hv.telem, TELEM_URGENT);
    assert_non_null(e);
    uint32_t res = e->rec.result;
    telem_ack(&f->hv.telem, TELEM_URGENT, e->fetch_id);
    return res;
}

static void soft_offlined_page_that_breaks_stays_out_of_service(void **state)
{
    (void)state;
    struct fx *f = setup();
    uint32_t st;
    assert_int_equal(offline(f, 0, 0x90000, &st), 0);
    assert_int_equal(st, MCA_OFFLINE_OFFLINED);
    assert_int_equal(srao_on(f, 0x90000), MCA_RES_RECOVERED);
    const struct page_entry *pg = page_states_find(&f->hv.pages, 0x90000);
    assert_true(pg->broken);
    assert_int_equal(pg->state, PAGE_OFFLINED);
    assert_string_equal(f->m.last_detail[HV_STAGE_PAGE_OFFLINE], "free offlined");
    /* a second error on it: already broken */
    assert_int_equal(srao_on(f, 0x90000), MCA_RES_CONTINUE);
    assert_false(f->m.stopped);
    teardown(f);
}

static void broken_page_request_is_already(void **state)
{
    (void)state;
    struct fx *f = setup();
    assert_int_equal(srao_on(f, 0x90010), MCA_RES_RECOVERED);
    uint32_t st;
    assert_int_equal(offline(f, 0, 0x90010, &st), 0);
    assert_int_equal(st, MCA_OFFLINE_ALREADY);
    assert_non_null(strstr(f->m.console_log, "MCA: dom0 asked to offline page 0x90010 (free): already offline"));
    teardown(f);
}

static void memerr_results_unchanged_by_the_refactor(void **state)
{
    (void)state;
    struct {
        uint64_t mfn;
        uint32_t result;
        enum page_state st;
        const char *console;
    } cases[] = {
        {0x90000, MCA_RES_RECOVERED, PAGE_OFFLINED, "MCE: page 0x90000 offlined"},
        {0x250, MCA_RES_CONTINUE, PAGE_OFFLINE_PENDING, "MCE: page 0x250 (xen-heap) offline pending"},
        {0x12345, MCA_RES_RECOVERED, PAGE_OFFLINE_PENDING, "MCE: page 0x12345 owned by dom3 offline pending"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fx *f = setup();
        assert_int_equal(srao_on(f, cases[i].mfn), cases[i].result);
        assert_non_null(strstr(f->m.console_log, cases[i].console));
        const struct page_entry *pg = page_states_find(&f->hv.pages, cases[i].mfn);
        assert_non_null(pg);
        assert_true(pg->broken);
        assert_int_equal(pg->state, cases[i].st);
        teardown(f);
    }
}

/* Deterministic xorshift: same inputs every run. */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Random requests, well-formed or not: an answer or -EINVAL, never a stop. */
static void request_fuzz_never_stops_the_host(void **state)
{
    (void)state;
    struct fx *f = setup();
    uint64_t seed = 0xC0FFEE1234567ull;
    for (int i = 0; i < 5000; i++) {
        struct mca_hypercall *hc = hc_at(f);
        memset(hc, 0, sizeof(*hc));
        hc->cmd = MCA_CMD_OFFLINE_PAGE;
        hc->interface_version = MCA_INTERFACE_VERSION;
        uint64_t r = next_rand(&seed);
        hc->u.offline.mfn = (i % 3 == 0) ? r : r % 0x60000;
        hc->u.offline.status = (i % 11 == 0) ? (uint32_t)next_rand(&seed) : 0;
        hc->u.offline.pad = (i % 13 == 0) ? (uint32_t)next_rand(&seed) : 0;
        long rc = hv_do_mca(&f->hv, 0, HC_ADDR);
        assert_true(rc == 0 || rc == -EINVAL);
        if (rc == 0) {
            uint32_t st = hc->u.offline.status & MCA_OFFLINE_STATUS_MASK;
            assert_true(st >= MCA_OFFLINE_OFFLINED && st <= MCA_OFFLINE_ALREADY);
        }
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
    page_states_copy_sorted(&ps, out);
    for (unsigned i = 1; i < N; i++)
        assert_true(out[i - 1].mfn < out[i].mfn);
    free(out);
    page_states_fini(&ps);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(request_follows_the_page_table),
        cmocka_unit_test(request_checks_its_arguments),
        cmocka_unit_test(soft_offlined_page_that_breaks_stays_out_of_service),
        cmocka_unit_test(broken_page_request_is_already),
        cmocka_unit_test(memerr_results_unchanged_by_the_refactor),
        cmocka_unit_test(request_fuzz_never_stops_the_host),
        cmocka_unit_test(page_store_finds_every_page_and_sorts_for_reports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
