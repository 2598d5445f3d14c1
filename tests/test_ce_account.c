/*
 * test_ce_account.c - dom0's mcelog-style CE accounting: the leaky bucket
 * (fills to its count within a window, drains in whole windows, empties on
 * overflow), the page / DIMM / socket keys taken from records, the
 * once-per-page offline verdict, what is not accounted, and replacement in
 * a full table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "guests/dom0/ce_account.h"

#define H CE_PS_PER_HOUR
/* VAL|EN|MISCV|ADDRV, memory controller read on channel 2 (MCACOD 0x92) */
#define CE_CH2 0x9C00000000000092ull
/* the same, channel unspecified (0x9F) */
#define CE_CHF 0x9C0000000000009Full
/* a corrected cache error: not a memory-controller code */
#define CE_CACHE 0x9C00000000000136ull

/* A record of one corrected bank, as a CMCI logout makes it. */
static struct mca_record ce(uint64_t status, uint64_t addr, uint64_t t, unsigned cpu, unsigned bank)
{
    struct mca_record r = {
        .time_ps = t, .cpu = cpu, .cls = MCA_REC_CORRECTED, .source = MCA_SRC_CMCI, .nbanks = 1,
    };
    r.bank[0] = (struct mca_bank_entry){
        .bank = bank, .cls = MCA_REC_CORRECTED, .status = status, .addr = addr, .domid = DOMID_NONE,
    };
    return r;
}

/* Account bank 0 of r. */
static bool ce_account_record(struct ce_account *a, const struct ce_account_config *c,
                              const struct mca_record *r, struct ce_verdict *v)
{
    return ce_account_bank(a, c, r, 0, v);
}

static struct ce_account_config enabled_defaults(void)
{
    struct ce_account_config c;
    ce_account_defaults(&c);
    c.enabled = true;
    return c;
}

static void defaults_are_mcelog_thresholds_and_disabled(void **state)
{
    (void)state;
    struct ce_account_config c;
    ce_account_defaults(&c);
    assert_false(c.enabled);
    assert_int_equal(c.page.count, 2);
    assert_int_equal(c.page.window_ps, 24 * H);
    assert_int_equal(c.dimm.count, 10);
    assert_int_equal(c.dimm.window_ps, 24 * H);
    assert_int_equal(c.socket.count, 100);
    assert_int_equal(c.socket.window_ps, 24 * H);

    static struct ce_account a;
    ce_account_init(&a);
    struct ce_verdict v;
    struct mca_record r = ce(CE_CH2, 0x1000, 0, 0, 8);
    for (int i = 0; i < 5; i++)
        assert_false(ce_account_record(&a, &c, &r, &v));
    assert_false(v.offline_page);
    assert_int_equal(a.stats.accounted, 0); /* disabled: nothing counted */
}

static void bucket_overflows_on_the_count_th_ce_in_a_window(void **state)
{
    (void)state;
    const struct ce_threshold t = {3, 10 * H};
    struct ce_bucket b = {0};
    assert_false(ce_bucket_add(&b, &t, 1 * H));
    assert_false(ce_bucket_add(&b, &t, 5 * H));
    assert_true(ce_bucket_add(&b, &t, 11 * H - 1)); /* 3 within [1 h, 11 h) */
    assert_int_equal(b.level, 0);                    /* emptied */
    /* it fills again from the next CE */
    assert_false(ce_bucket_add(&b, &t, 12 * H));
    assert_false(ce_bucket_add(&b, &t, 13 * H));
    assert_true(ce_bucket_add(&b, &t, 14 * H));
}

static void bucket_leaks_after_a_full_window(void **state)
{
    (void)state;
    const struct ce_threshold t = {3, 10 * H};
    struct ce_bucket b = {0};
    assert_false(ce_bucket_add(&b, &t, 0));
    assert_false(ce_bucket_add(&b, &t, 9 * H));
    assert_int_equal(b.level, 2);
    /* exactly one window after it began to fill: drained, this is the first */
    assert_false(ce_bucket_add(&b, &t, 10 * H));
    assert_int_equal(b.level, 1);
    assert_int_equal(b.since_ps, 10 * H);
    assert_false(ce_bucket_add(&b, &t, 19 * H));
    assert_true(ce_bucket_add(&b, &t, 20 * H - 1));
    /* a slow trickle never overflows: one CE per window */
    struct ce_bucket slow = {0};
    for (uint64_t i = 0; i < 100; i++)
        assert_false(ce_bucket_add(&slow, &t, i * 5 * H + (i % 2)));
    /* an earlier time (records out of order) drains nothing */
    struct ce_bucket o = {0};
    assert_false(ce_bucket_add(&o, &t, 50 * H));
    assert_false(ce_bucket_add(&o, &t, 1 * H));
    assert_true(ce_bucket_add(&o, &t, 55 * H));
    /* count 0: the bucket is off */
    const struct ce_threshold off = {0, 10 * H};
    struct ce_bucket z = {0};
    for (int i = 0; i < 10; i++)
        assert_false(ce_bucket_add(&z, &off, 0));
}

static void page_threshold_asks_to_offline_once(void **state)
{
    (void)state;
    static struct ce_account a;
    ce_account_init(&a);
    struct ce_account_config c = enabled_defaults();
    struct ce_verdict v;
    struct mca_record r = ce(CE_CHF, 0x12345678, 1 * H, 0, 8);
    assert_true(ce_account_record(&a, &c, &r, &v));
    assert_false(v.offline_page);
    assert_int_equal(v.page, 0x12345);
    r.time_ps = 23 * H;
    r.bank[0].addr = 0x12345FF8; /* same page, other line */
    assert_true(ce_account_record(&a, &c, &r, &v));
    assert_true(v.offline_page); /* 2 CEs within 24 h */
    assert_int_equal(v.page, 0x12345);
    assert_int_equal(a.stats.offline_asked, 1);
    /* the page keeps failing: counted, never asked again */
    for (int i = 0; i < 10; i++) {
        r.time_ps = (24 + (uint64_t)i) * H;
        assert_true(ce_account_record(&a, &c, &r, &v));
        assert_false(v.offline_page);
    }
    assert_int_equal(a.stats.offline_asked, 1);
    assert_int_equal(a.stats.page_over, 6);
    const struct ce_entry *e = ce_account_find(a.page, CE_ACCOUNT_MAX_PAGES, 0x12345);
    assert_non_null(e);
    assert_int_equal(e->total, 12);
    assert_true(e->offline_requested);
}

static void page_ces_a_day_apart_are_not_enough(void **state)
{
    (void)state;
    static struct ce_account a;
    ce_account_init(&a);
    struct ce_account_config c = enabled_defaults();
    struct ce_verdict v;
    for (uint64_t d = 0; d < 30; d++) {
        struct mca_record r = ce(CE_CHF, 0x7000, d * 24 * H, 0, 8);
        assert_true(ce_account_record(&a, &c, &r, &v));
        assert_false(v.offline_page);
    }
    /* the LK10 paper's threshold: 10 in 24 h */
    c.page = (struct ce_threshold){10, 24 * H};
    ce_account_init(&a);
    for (unsigned i = 0; i < 10; i++) {
        struct mca_record r = ce(CE_CHF, 0x7000, i * H, 0, 8);
        assert_true(ce_account_record(&a, &c, &r, &v));
        assert_int_equal(v.offline_page, i == 9);
    }
}

static void dimm_and_socket_buckets(void **state)
{
    (void)state;
    static struct ce_account a;
    ce_account_init(&a);
    struct ce_account_config c = enabled_defaults();
    c.page.count = 0; /* only DIMM and socket here */
    c.cpus_per_socket = 4;
    struct ce_verdict v;
    /* ten CEs on different pages of channel 2, bank 8, socket 1 (CPU 5) */
    for (unsigned i = 0; i < 10; i++) {
        struct mca_record r = ce(CE_CH2, (uint64_t)i << 12, i * H, 5, 8);
        assert_true(ce_account_record(&a, &c, &r, &v));
        assert_int_equal(v.dimm_over, i == 9);
        assert_false(v.offline_page);
        assert_int_equal(v.socket, 1);
        assert_int_equal(v.channel, 2);
    }
    assert_non_null(ce_account_find(a.dimm, CE_ACCOUNT_MAX_DIMMS, ce_dimm_key(1, 8, 2)));
    /* channel unspecified: socket only */
    for (unsigned i = 0; i < 89; i++) {
        struct mca_record r = ce(CE_CHF, 0x1000, 10 * H, 6, 8);
        assert_true(ce_account_record(&a, &c, &r, &v));
        assert_false(v.dimm_over);
        assert_false(v.socket_over);
    }
    struct mca_record r = ce(CE_CHF, 0x1000, 10 * H, 7, 8);
    assert_true(ce_account_record(&a, &c, &r, &v)); /* the 100th on socket 1 */
    assert_true(v.socket_over);
    assert_int_equal(a.stats.socket_over, 1);
    assert_int_equal(a.stats.dimm_over, 1);
    /* another socket has its own bucket */
    r.cpu = 0;
    assert_true(ce_account_record(&a, &c, &r, &v));
    assert_false(v.socket_over);
    assert_int_equal(v.socket, 0);
}

static void only_corrected_memory_errors_count(void **state)
{
    (void)state;
    static struct ce_account a;
    ce_account_init(&a);
    struct ce_account_config c = enabled_defaults();
    struct ce_verdict v;
    struct mca_record cache = ce(CE_CACHE, 0x5000, 0, 0, 2);
    struct mca_record ucna = ce(CE_CH2 | (1ull << 61), 0x5000, 0, 0, 8);
    ucna.cls = MCA_REC_UCNA;
    struct mca_record noaddr = ce(CE_CH2 & ~(1ull << 58), 0x5000, 0, 0, 8);
    for (int i = 0; i < 5; i++) {
        assert_false(ce_account_record(&a, &c, &cache, &v));
        assert_false(ce_account_record(&a, &c, &ucna, &v));
        assert_true(ce_account_record(&a, &c, &noaddr, &v)); /* DIMM and socket, no page */
        assert_false(v.offline_page);
    }
    assert_int_equal(a.stats.ignored, 10);
    assert_int_equal(a.stats.accounted, 5);
    assert_null(ce_account_find(a.page, CE_ACCOUNT_MAX_PAGES, 0x5));
    /* the filter bit (12) does not hide a memory-controller code */
    struct mca_record filtered = ce(CE_CH2 | 0x1000, 0x5000, 0, 0, 8);
    assert_true(ce_account_record(&a, &c, &filtered, &v));
}

static void full_page_table_replaces_the_oldest(void **state)
{
    (void)state;
    static struct ce_account a;
    ce_account_init(&a);
    struct ce_account_config c = enabled_defaults();
    struct ce_verdict v;
    /* page 0 offlined early, then the table filled with others */
    struct mca_record r = ce(CE_CHF, 0, 0, 0, 8);
    assert_true(ce_account_record(&a, &c, &r, &v));
    assert_true(ce_account_record(&a, &c, &r, &v));
    assert_true(v.offline_page);
    for (uint64_t p = 1; p < CE_ACCOUNT_MAX_PAGES; p++) {
        r = ce(CE_CHF, p << 12, p * 1000, 0, 8);
        assert_true(ce_account_record(&a, &c, &r, &v));
    }
    assert_int_equal(a.stats.replaced, 0);
    r = ce(CE_CHF, (uint64_t)CE_ACCOUNT_MAX_PAGES << 12, 1 * H, 0, 8);
    assert_true(ce_account_record(&a, &c, &r, &v));
    assert_int_equal(a.stats.replaced, 1);
    /* page 1 (oldest not offlined) went; page 0 (offlined) stayed */
    assert_null(ce_account_find(a.page, CE_ACCOUNT_MAX_PAGES, 1));
    assert_non_null(ce_account_find(a.page, CE_ACCOUNT_MAX_PAGES, 0));
    assert_non_null(ce_account_find(a.page, CE_ACCOUNT_MAX_PAGES, CE_ACCOUNT_MAX_PAGES));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_mcelog_thresholds_and_disabled),
        cmocka_unit_test(bucket_overflows_on_the_count_th_ce_in_a_window),
        cmocka_unit_test(bucket_leaks_after_a_full_window),
        cmocka_unit_test(page_threshold_asks_to_offline_once),
        cmocka_unit_test(page_ces_a_day_apart_are_not_enough),
        cmocka_unit_test(dimm_and_socket_buckets),
        cmocka_unit_test(only_corrected_memory_errors_count),
        cmocka_unit_test(full_page_table_replaces_the_oldest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
