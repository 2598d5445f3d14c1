/*
 * test_fetched_banks.c - the entries of dom0's /dev/mcelog over a run
 * (sim/results/fetched_banks.c): host by host, records by first fetch,
 * a record's banks in order, unfetched records left out, "MCE n" counted
 * per host from 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sim/results/fetched_banks.h"

static struct rr_record *add(struct run_result *r, unsigned host, uint64_t seq, unsigned nbanks, bool fetched,
                             uint64_t at_ps)
{
    struct rr_record *rec = rr_add_record(r, NULL);
    rec->host = host;
    rec->committed = true;
    rec->fetched = fetched;
    rec->fetched_ps = at_ps;
    rec->rec->seq = seq;
    rec->rec->nbanks = nbanks;
    return rec;
}

static void host_by_host_in_fetch_order(void **state)
{
    (void)state;
    static struct scenario s;
    struct run_result r;
    rr_init(&r, &s, 2);
    add(&r, 0, 1, 2, true, 300);  /* fetched second on host 0 */
    add(&r, 1, 2, 1, true, 50);   /* host 1's only one        */
    add(&r, 0, 3, 1, true, 100);  /* fetched first on host 0  */
    add(&r, 0, 4, 3, false, 0);   /* committed, never fetched */
    add(&r, 0, 5, 1, true, 300);  /* same time as seq 1: after it, as recorded */
    struct fetched_bank *e;
    size_t n;
    assert_int_equal(fetched_banks(&r, &e, &n), 0);
    static const struct {
        unsigned host;
        uint64_t seq;
        unsigned bank;
        uint64_t index;
    } want[] = {{0, 3, 0, 0}, {0, 1, 0, 1}, {0, 1, 1, 2}, {0, 5, 0, 3}, {1, 2, 0, 0}};
    assert_int_equal(n, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(e[i].host, want[i].host);
        assert_int_equal(e[i].rec->rec->seq, want[i].seq);
        assert_int_equal(e[i].bank, want[i].bank);
        assert_int_equal(e[i].index, want[i].index);
    }
    free(e);
    rr_free(&r);
}

static void nothing_fetched_is_empty(void **state)
{
    (void)state;
    static struct scenario s;
    struct run_result r;
    rr_init(&r, &s, 1);
    add(&r, 0, 1, 2, false, 0);
    struct fetched_bank *e = (struct fetched_bank *)&r; /* must be replaced */
    size_t n = 7;
    assert_int_equal(fetched_banks(&r, &e, &n), 0);
    assert_int_equal(n, 0);
    assert_null(e);
    rr_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(host_by_host_in_fetch_order),
        cmocka_unit_test(nothing_fetched_is_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
