/*
 * test_hv_touch.c - the hypervisor reading a domain's frame itself
 * (hv/hv_touch.c): every path, by owner type and frame state, under Xen's
 * rules and under `hv_touch: avoid` (the RAS Enabling Update's "avoid
 * high-possibility access"); and the #MC a consumed frame raises while
 * Xen runs, which Xen (no exception-table fixup for #MC) cannot survive.
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
#include "mock_platform.h"

#define SRAO_SCRUB 0xBD000000004000CFull
#define SRAR_LOAD 0xBD80000000000134ull

struct fx {
    struct mock m; /* first: the platform's ctx is &m */
    struct hv hv;
};

/* dom0 (PV, 0x100..), dom1 HVM HAP (0x200..), dom2 PV (0x300..), dom3
 * HVM shadow (0x400..): 16 frames each, gfn 0 at the region's start. */
static const struct hv_mem_region regions[] = {
    {0x100, 16, HV_OWNER_DOMAIN, 0, false, 0},
    {0x200, 16, HV_OWNER_DOMAIN, 1, false, 0},
    {0x300, 16, HV_OWNER_DOMAIN, 2, false, 0},
    {0x400, 16, HV_OWNER_DOMAIN, 3, false, 0},
};

static struct fx *setup_policy(enum hv_touch_policy p)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 1, MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P, 10);
    struct vmce_policy vp = {.nbanks = 2, .err_bank = 1, .ser_p = true, .cmci_p = true, .tes_p = true};
    struct hv_domain_config doms[] = {
        {.id = 0, .type = DOM_TYPE_DOM0, .nvcpus = 1, .vmce = vp, .mca_handler = true},
        {.id = 1, .type = DOM_TYPE_HVM, .nvcpus = 1, .vmce = vp},
        {.id = 2, .type = DOM_TYPE_PV, .nvcpus = 1, .vmce = vp},
        {.id = 3, .type = DOM_TYPE_HVM, .nvcpus = 1, .vmce = vp, .paging = DOM_PAGING_SHADOW},
    };
    struct hv_config cfg;
    hv_config_defaults(&cfg, 1);
    cfg.regions = regions;
    cfg.nregions = sizeof(regions) / sizeof(regions[0]);
    cfg.domains = doms;
    cfg.ndomains = sizeof(doms) / sizeof(doms[0]);
    cfg.hv_touch = p;
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    hv_cpu_boot(&f->hv, 0);
    for (unsigned d = 0; d < 4; d++)
        hv_guest_set_cr4_mce(&f->hv, d, 0, true);
    return f;
}

static struct fx *setup(void) { return setup_policy(HV_TOUCH_XEN); }

static void teardown(struct fx *f)
{
    hv_fini(&f->hv);
    test_free(f);
}

/* Hardware logs an error at mfn on CPU 0 in context ctx; the hv handles
 * it (#MC, then the softirq unless the handler stopped the host). */
static void mce(struct fx *f, uint64_t status, uint64_t mfn, enum x86_exec_ctx ctx)
{
    bool srar = status & MCI_STATUS_AR;
    f->m.ctx[0] = ctx;
    cpu_mca_latch(&f->m.cpu[0], srar ? 1 : 7, status, mfn << 12 | 0x40, srar ? 0x8C : 0x86);
    assert_int_equal(cpu_mca_deliver_mc(&f->m.cpu[0], srar ? MCG_STATUS_EIPV : MCG_STATUS_RIPV),
                     CPU_MC_DELIVERED);
    hv_machine_check(&f->hv, 0);
    if (!f->m.stopped)
        hv_softirq(&f->hv, 0);
}

static struct hv_touch touch(struct fx *f, enum hv_path p, unsigned owner, uint64_t gaddr)
{
    struct hv_touch t;
    hv_touch_guest(&f->hv, p, owner, gaddr, &t);
    return t;
}

/* ---- names ------------------------------------------------------------------ */

static void path_names_round_trip(void **state)
{
    (void)state;
    for (unsigned i = 0; i < HV_PATH__COUNT; i++)
        assert_int_equal(hv_path_from_name(hv_path_name((enum hv_path)i)), i);
    assert_int_equal(hv_path_from_name("memcpy"), HV_PATH__COUNT);
    assert_string_equal(hv_path_name(HV_PATH__COUNT), "unknown");
    assert_string_equal(hv_touch_policy_name(HV_TOUCH_XEN), "xen");
    assert_string_equal(hv_touch_policy_name(HV_TOUCH_AVOID), "avoid");
    assert_string_equal(hv_touch_policy_name(HV_TOUCH__COUNT), "unknown");
}

/* ---- a healthy frame ---------------------------------------------------------- */

/* Every path reads a healthy frame, at its machine address; only the
 * backend of a grant mapping reads it in its own kernel. */
static void healthy_frames_are_read_in_the_paths_context(void **state)
{
    (void)state;
    struct fx *f = setup();
    for (unsigned p = 0; p < HV_PATH__COUNT; p++) {
        unsigned owner = p == HV_PATH_KEXEC_LOAD ? 0 : 1;
        struct hv_touch t = touch(f, (enum hv_path)p, owner, 0x3123);
        assert_true(t.touch);
        assert_int_equal(t.rc, 0);
        assert_int_equal(t.paddr, (owner ? 0x203000u : 0x103000u) | 0x123);
        assert_int_equal(t.ctx, p == HV_PATH_GRANT_MAP ? X86_CTX_DOM0_KERNEL : X86_CTX_HV);
    }
    teardown(f);
}

static void nothing_mapped_or_no_domain_is_refused(void **state)
{
    (void)state;
    struct fx *f = setup();
    struct hv_touch t = touch(f, HV_PATH_COPY_FROM_GUEST, 1, 0x20000); /* past its 16 frames */
    assert_false(t.touch);
    assert_int_equal(t.rc, -EFAULT);
    t = touch(f, HV_PATH_GRANT_COPY, 1, 0x20000);
    assert_int_equal(t.rc, HV_GNTST_BAD_PAGE);
    t = touch(f, HV_PATH_COPY_FROM_GUEST, 9, 0);
    assert_false(t.touch);
    assert_int_equal(t.rc, -ESRCH);
    t = touch(f, HV_PATH__COUNT, 1, 0);
    assert_false(t.touch);
    assert_int_equal(t.rc, -EINVAL);
    teardown(f);
}

/* ---- a frame Xen took from a HAP guest ---------------------------------------- */

/* After an SRAO, dom1's gfn 5 is p2m_ram_broken: each path that finds
 * the frame through the p2m refuses it (hvm_translate_get_page,
 * get_paged_frame, linear_read's MMIO, map_domain_gfn), without touching
 * memory, and nobody is crashed. */
static void p2m_broken_frame_is_refused_on_every_p2m_path(void **state)
{
    (void)state;
    static const int rc[HV_PATH__COUNT] = {
        [HV_PATH_COPY_FROM_GUEST] = -EFAULT, [HV_PATH_GRANT_COPY] = HV_GNTST_BAD_PAGE,
        [HV_PATH_EMULATION] = 0, [HV_PATH_SHADOW_WALK] = 0, [HV_PATH_GRANT_MAP] = HV_GNTST_BAD_PAGE,
    };
    struct fx *f = setup();
    mce(f, SRAO_SCRUB, 0x205, X86_CTX_IDLE);
    assert_true(p2m_is_broken(hv_domain(&f->hv, 1), 5));
    for (unsigned p = 0; p < HV_PATH__COUNT; p++) {
        if (p == HV_PATH_KEXEC_LOAD)
            continue;
        struct hv_touch t = touch(f, (enum hv_path)p, 1, 0x5000);
        assert_false(t.touch);
        assert_int_equal(t.rc, rc[p]);
    }
    assert_int_equal(hv_domain(&f->hv, 1)->state, DOM_RUNNING);
    assert_false(f->m.stopped);
    teardown(f);
}

/* dom0's frame is broken too after an SRAO, but unmmap_broken_page
 * leaves dom0's tables alone: Xen reads it on every path. */
static void xen_reads_a_broken_dom0_frame(void **state)
{
    (void)state;
    struct fx *f = setup();
    mce(f, SRAO_SCRUB, 0x105, X86_CTX_IDLE);
    const struct page_entry *e = page_states_find(&f->hv.pages, 0x105);
    assert_non_null(e);
    assert_true(e->broken);
    for (unsigned p = 0; p < HV_PATH__COUNT; p++) {
        struct hv_touch t = touch(f, (enum hv_path)p, 0, 0x5000);
        assert_true(t.touch);
        assert_int_equal(t.paddr, 0x105000);
    }
    teardown(f);
}

/* ---- hv_touch: avoid ------------------------------------------------------------ */

/* The RAS Enabling Update's proposal: a frame the frame table knows
 * broken is refused on every path, with the path's answer; emulation and
 * the shadow walk cannot go on without it, and crash the owner. */
static void avoid_refuses_a_known_broken_frame(void **state)
{
    (void)state;
    static const int rc[HV_PATH__COUNT] = {
        [HV_PATH_COPY_FROM_GUEST] = -EFAULT, [HV_PATH_GRANT_COPY] = HV_GNTST_BAD_PAGE,
        [HV_PATH_KEXEC_LOAD] = -EFAULT, [HV_PATH_GRANT_MAP] = HV_GNTST_BAD_PAGE,
    };
    static const enum hv_path kept[] = {HV_PATH_COPY_FROM_GUEST, HV_PATH_GRANT_COPY, HV_PATH_KEXEC_LOAD,
                                        HV_PATH_GRANT_MAP};
    struct fx *f = setup_policy(HV_TOUCH_AVOID);
    mce(f, SRAO_SCRUB, 0x105, X86_CTX_IDLE);
    for (unsigned i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
        struct hv_touch t = touch(f, kept[i], 0, 0x5000);
        assert_false(t.touch);
        assert_int_equal(t.rc, rc[kept[i]]);
    }
    assert_non_null(strstr(f->m.console_log, "MCE: kexec_load: frame 0x105 of dom0 is broken, not read"));
    assert_int_equal(hv_domain(&f->hv, 0)->state, DOM_RUNNING);
    /* a healthy frame of dom0 is still read */
    assert_true(touch(f, HV_PATH_KEXEC_LOAD, 0, 0x6000).touch);
    teardown(f);
}

static void avoid_crashes_the_owner_where_the_path_needs_the_frame(void **state)
{
    (void)state;
    for (int path = 0; path < 2; path++) {
        struct fx *f = setup_policy(HV_TOUCH_AVOID);
        mce(f, SRAO_SCRUB, 0x105, X86_CTX_IDLE);
        struct hv_touch t = touch(f, path ? HV_PATH_SHADOW_WALK : HV_PATH_EMULATION, 0, 0x5000);
        assert_false(t.touch);
        assert_int_equal(t.rc, 0);
        assert_int_equal(hv_domain(&f->hv, 0)->state, DOM_CRASHED);
        teardown(f);
    }
}

/* Without a known error there is nothing to avoid: the latent poison is
 * read under either policy. */
static void avoid_reads_a_frame_nobody_knows_broken(void **state)
{
    (void)state;
    struct fx *f = setup_policy(HV_TOUCH_AVOID);
    assert_true(touch(f, HV_PATH_COPY_FROM_GUEST, 2, 0x5000).touch);
    teardown(f);
}

/* ---- what the load does ------------------------------------------------------- */

/* The frame Xen loaded held poison: an SRAR with RIPV=0 while the CPU
 * runs Xen. mce_urgent_action: not guest mode, fatal; mc_panic. The
 * owner's page is never offlined (mc_memerr_dhandler does not run). */
static void a_consumed_frame_in_xen_panics_the_host(void **state)
{
    (void)state;
    for (int policy = 0; policy < HV_TOUCH__COUNT; policy++) {
        struct fx *f = setup_policy((enum hv_touch_policy)policy);
        struct hv_touch t = touch(f, HV_PATH_COPY_FROM_GUEST, 2, 0x5000);
        assert_true(t.touch);
        hv_set_current(&f->hv, 0, 2, 0);
        mce(f, SRAR_LOAD, t.paddr >> 12, t.ctx);
        assert_true(f->m.stopped);
        assert_non_null(strstr(f->m.stop_reason, "MCE: Fatal error happened on CPUs"));
        const struct page_entry *e = page_states_find(&f->hv.pages, 0x305);
        assert_true(!e || !e->broken);
        assert_int_equal(hv_domain(&f->hv, 2)->state, DOM_RUNNING);
        teardown(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(path_names_round_trip),
        cmocka_unit_test(healthy_frames_are_read_in_the_paths_context),
        cmocka_unit_test(nothing_mapped_or_no_domain_is_refused),
        cmocka_unit_test(p2m_broken_frame_is_refused_on_every_p2m_path),
        cmocka_unit_test(xen_reads_a_broken_dom0_frame),
        cmocka_unit_test(avoid_refuses_a_known_broken_frame),
        cmocka_unit_test(avoid_crashes_the_owner_where_the_path_needs_the_frame),
        cmocka_unit_test(avoid_reads_a_frame_nobody_knows_broken),
        cmocka_unit_test(a_consumed_frame_in_xen_panics_the_host),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
