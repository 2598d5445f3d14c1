/*
 * test_fw_sal.c - the firmware's per-CPU error record log
 * (models/fw/fw_sal.c): capacity from SAL_GET_STATE_INFO_SIZE and the
 * record size, oldest first, a full log counting what it could not keep,
 * and a record freed only by a clear that follows a get.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "models/fw/fw_sal.h"

static void test_sizes(void **state)
{
    (void)state;
    struct fw_sal f;
    assert_int_equal(fw_sal_init(&f, 4, 4096, 1024), 0);
    assert_int_equal(f.cap, 4);
    assert_int_equal(fw_sal_state_info_size(&f), 4096);
    fw_sal_fini(&f);
    assert_int_equal(fw_sal_init(&f, 4, 1000, 1024), -1); /* not one record */
    assert_int_equal(fw_sal_init(&f, 4, 4096, 0), -1);
    assert_int_equal(fw_sal_init(&f, 0, 4096, 1024), -1);
    assert_int_equal(fw_sal_init(&f, 1, 3000, 1024), 0);   /* 2 whole records */
    assert_int_equal(f.cap, 2);
    fw_sal_fini(&f);
}

static void test_full_log_counts_lost(void **state)
{
    (void)state;
    struct fw_sal f;
    assert_int_equal(fw_sal_init(&f, 2, 2048, 1024), 0);
    assert_int_equal(fw_sal_log(&f, 1, FW_SAL_CMC, 10, false, 0), 1);
    assert_int_equal(fw_sal_log(&f, 1, FW_SAL_CMC, 20, false, 0), 2);
    assert_int_equal(fw_sal_log(&f, 1, FW_SAL_CMC, 30, false, 0), 0);
    assert_int_equal(f.stats[FW_SAL_CMC].logged, 2);
    assert_int_equal(f.stats[FW_SAL_CMC].lost, 1);
    /* other CPUs and types have their own logs */
    assert_int_equal(fw_sal_log(&f, 0, FW_SAL_CMC, 40, false, 0), 3);
    assert_int_equal(fw_sal_log(&f, 1, FW_SAL_CPE, 50, true, 0x1000), 4);
    assert_int_equal(fw_sal_count(&f, 1, FW_SAL_CMC), 2);
    assert_int_equal(fw_sal_count(&f, 0, FW_SAL_CMC), 1);
    assert_int_equal(fw_sal_count(&f, 1, FW_SAL_CPE), 1);
    assert_int_equal(fw_sal_held(&f), 4);
    assert_int_equal(fw_sal_log(&f, 2, FW_SAL_CMC, 60, false, 0), 0); /* no such CPU */
    fw_sal_fini(&f);
}

static void test_get_then_clear_oldest_first(void **state)
{
    (void)state;
    struct fw_sal f;
    struct fw_sal_record r;
    assert_int_equal(fw_sal_init(&f, 1, 4096, 1024), 0);
    assert_int_equal(fw_sal_get(&f, 0, FW_SAL_CPE, &r), -ENOENT);
    assert_int_equal(fw_sal_clear(&f, 0, FW_SAL_CPE), -ENOENT);
    fw_sal_log(&f, 0, FW_SAL_CPE, 10, true, 0xabc0);
    fw_sal_log(&f, 0, FW_SAL_CPE, 20, false, 0);
    /* nobody read it: the firmware keeps it */
    assert_int_equal(fw_sal_clear(&f, 0, FW_SAL_CPE), -EBUSY);
    assert_int_equal(f.stats[FW_SAL_CPE].clear_refused, 1);
    assert_int_equal(fw_sal_count(&f, 0, FW_SAL_CPE), 2);
    assert_int_equal(fw_sal_get(&f, 0, FW_SAL_CPE, &r), 0);
    assert_int_equal(r.id, 1);
    assert_true(r.has_addr);
    assert_int_equal(r.addr, 0xabc0);
    assert_int_equal(r.t_ps, 10);
    /* a second get returns the same record, read once */
    assert_int_equal(fw_sal_get(&f, 0, FW_SAL_CPE, &r), 0);
    assert_int_equal(r.id, 1);
    assert_int_equal(f.stats[FW_SAL_CPE].read, 1);
    assert_int_equal(fw_sal_clear(&f, 0, FW_SAL_CPE), 0);
    assert_int_equal(fw_sal_get(&f, 0, FW_SAL_CPE, &r), 0);
    assert_int_equal(r.id, 2);
    assert_false(r.has_addr);
    assert_int_equal(fw_sal_clear(&f, 0, FW_SAL_CPE), 0);
    assert_int_equal(fw_sal_held(&f), 0);
    /* the ring wraps */
    for (unsigned i = 0; i < 10; i++) {
        assert_int_equal(fw_sal_log(&f, 0, FW_SAL_CMC, i, false, 0), 3 + i);
        assert_int_equal(fw_sal_get(&f, 0, FW_SAL_CMC, &r), 0);
        assert_int_equal(r.id, 3 + i);
        assert_int_equal(fw_sal_clear(&f, 0, FW_SAL_CMC), 0);
    }
    assert_string_equal(fw_sal_type_name(FW_SAL_CMC), "CMC");
    assert_string_equal(fw_sal_type_name(FW_SAL_CPE), "CPE");
    fw_sal_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_full_log_counts_lost),
        cmocka_unit_test(test_get_then_clear_oldest_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
