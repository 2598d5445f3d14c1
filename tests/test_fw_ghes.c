/*
 * test_fw_ghes.c - one APEI Generic Hardware Error Source's error status
 * block (models/fw/fw_ghes.c): Block Status as ACPI 6.x 18.3.2.7.1 lays it
 * out, the second error while the block is unacknowledged (GHES: Multiple
 * bit, lost; GHESv2: held until the Read Ack), and the acknowledgement.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "models/fw/fw_ghes.h"

static void test_block_status_layout(void **state)
{
    (void)state;
    struct fw_ghes g;
    struct ghes_status_block b;
    fw_ghes_init(&g, false);
    assert_false(fw_ghes_valid(&g));
    assert_int_equal(fw_ghes_read(&g, &b), -ENOENT);
    assert_int_equal(fw_ghes_ack(&g, 0), -ENOENT);
    assert_int_equal(fw_ghes_raise(&g, CPER_SEV_RECOVERABLE, true, 0x228280, 5), FW_GHES_NOTIFY);
    assert_int_equal(fw_ghes_read(&g, &b), 0);
    assert_int_equal(b.block_status, GHES_BS_UE | (1u << GHES_BS_COUNT_SHIFT)); /* 0x11 */
    assert_int_equal(b.error_severity, CPER_SEV_RECOVERABLE);
    assert_int_equal(b.mem.validation, CPER_MEM_VALID_PA);
    assert_int_equal(b.mem.physical_addr, 0x228280);
    assert_int_equal(b.t_ps, 5);
    assert_int_equal(fw_ghes_ack(&g, 10), 0);
    assert_false(fw_ghes_valid(&g));
    /* corrected: Correctable Error Valid; no address: PA not valid */
    assert_int_equal(fw_ghes_raise(&g, CPER_SEV_CORRECTED, false, 0, 20), FW_GHES_NOTIFY);
    assert_int_equal(fw_ghes_read(&g, &b), 0);
    assert_int_equal(b.block_status, GHES_BS_CE | (1u << GHES_BS_COUNT_SHIFT));
    assert_int_equal(b.mem.validation, 0);
    assert_int_equal(b.id, 2);
}

static void test_v1_second_error_lost(void **state)
{
    (void)state;
    struct fw_ghes g;
    struct ghes_status_block b;
    fw_ghes_init(&g, false);
    fw_ghes_raise(&g, CPER_SEV_RECOVERABLE, true, 0x1000, 1);
    assert_int_equal(fw_ghes_raise(&g, CPER_SEV_RECOVERABLE, true, 0x2000, 2), FW_GHES_LOST);
    assert_int_equal(fw_ghes_raise(&g, CPER_SEV_CORRECTED, true, 0x3000, 3), FW_GHES_LOST);
    assert_int_equal(fw_ghes_read(&g, &b), 0);
    assert_int_equal(b.mem.physical_addr, 0x1000); /* the first one's data */
    assert_int_equal(b.block_status, GHES_BS_UE | GHES_BS_MULTI_UE | GHES_BS_MULTI_CE | (1u << GHES_BS_COUNT_SHIFT));
    assert_int_equal(g.stats.lost, 2);
    assert_int_equal(fw_ghes_ack(&g, 4), 0); /* nothing held: no new notification */
    assert_int_equal(fw_ghes_outstanding(&g), 0);
    assert_int_equal(g.read_ack, 0);          /* v1 has no Read Ack */
    assert_int_equal(fw_ghes_raise(&g, CPER_SEV_RECOVERABLE, true, 0x4000, 5), FW_GHES_NOTIFY);
}

static void test_v2_held_until_read_ack(void **state)
{
    (void)state;
    struct fw_ghes g;
    struct ghes_status_block b;
    fw_ghes_init(&g, true);
    fw_ghes_raise(&g, CPER_SEV_RECOVERABLE, true, 0x1000, 1);
    assert_int_equal(fw_ghes_raise(&g, CPER_SEV_RECOVERABLE, true, 0x2000, 2), FW_GHES_HELD);
    assert_int_equal(fw_ghes_outstanding(&g), 2);
    assert_int_equal(fw_ghes_read(&g, &b), 0);
    assert_int_equal(b.block_status, GHES_BS_UE | (1u << GHES_BS_COUNT_SHIFT)); /* no Multiple bit */
    assert_int_equal(fw_ghes_ack(&g, 3), 1);   /* the held one is written: notify */
    assert_int_equal(g.read_ack & 1, 1);
    assert_int_equal(fw_ghes_read(&g, &b), 0);
    assert_int_equal(b.mem.physical_addr, 0x2000);
    assert_int_equal(b.t_ps, 2);
    assert_int_equal(fw_ghes_ack(&g, 4), 0);
    assert_int_equal(g.stats.written, 2);
    assert_int_equal(g.stats.notified, 2);
    assert_int_equal(g.stats.lost, 0);
    /* the hold is bounded; past it, lost (and counted) */
    fw_ghes_raise(&g, CPER_SEV_RECOVERABLE, true, 0x1000, 5);
    for (unsigned i = 0; i < FW_GHES_HOLD; i++)
        assert_int_equal(fw_ghes_raise(&g, CPER_SEV_RECOVERABLE, true, 0x1000, 6), FW_GHES_HELD);
    assert_int_equal(fw_ghes_raise(&g, CPER_SEV_RECOVERABLE, true, 0x1000, 7), FW_GHES_LOST);
    assert_int_equal(g.stats.lost, 1);
    assert_int_equal(fw_ghes_outstanding(&g), 1 + FW_GHES_HOLD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_status_layout),
        cmocka_unit_test(test_v1_second_error_lost),
        cmocka_unit_test(test_v2_held_until_read_ack),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
