/*
 * test_ras_decode.c - the text columns of rasdaemon's mce_record for a
 * bank (guests/dom0/ras_decode.c).
 *
 * Expected values are written from rasdaemon 0.8.5's behaviour, not from
 * the decoder: mce-intel.c's decode_mcg writes "mcgstatus=%lld" and then
 * each MCG_STATUS flag; decode_mci "Uncorrected_error" or
 * "Corrected_error", "Error_enabled", "Processor_context_corrupt", the S/AR
 * state when S or AR is set and, for a corrected error on a TES_P part,
 * "Threshold based error status: STATE" (state 1, green, also fills
 * user_action); decode_mca the error code into mcastatus_msg, except a
 * memory controller's, which decode_memory_controller writes into
 * error_msg with its transaction; parse_intel_event adds "n_errors=N"
 * (MCi_STATUS bits 52:38) as mc_location when bits 15:7 of the status are
 * 1; ras-mce-handler.c copies mcastatus_msg into an empty error_msg.
 * mce_snprintf joins the phrases of a column with single spaces.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "guests/dom0/ras_decode.h"

static void srao_patrol_scrub(void **state)
{
    (void)state;
    struct ras_mce_text t;
    ras_mce_decode(0xBD000000004000CFull, 0x86, 0x5, 0x1000D0A, &t);
    assert_string_equal(t.bank_name, "");
    assert_string_equal(t.mcgstatus_msg, "mcgstatus=5 RIPV MCIP");
    assert_string_equal(t.mcistatus_msg, "Uncorrected_error Error_enabled SRAO");
    assert_string_equal(t.mcastatus_msg, "");
    assert_string_equal(t.error_msg, "MEMORY CONTROLLER MS_CHANNELunspecified_ERR Transaction: Memory scrubbing error");
    assert_string_equal(t.mc_location, "n_errors=0");
    assert_string_equal(t.user_action, "");
}

/* A corrected L2 data-read error, green, CE count 2, under CMCI. */
static void corrected_green_cache(void **state)
{
    (void)state;
    struct ras_mce_text t;
    ras_mce_decode(0x9C20008000000136ull, 0, 0, 0xC0A, &t);
    assert_string_equal(t.mcgstatus_msg, "mcgstatus=0");
    assert_string_equal(t.mcistatus_msg, "Corrected_error Error_enabled Threshold based error status: green");
    assert_string_equal(t.mcastatus_msg, "Data CACHE Level-2 Data-Read Error");
    assert_string_equal(t.error_msg, "Data CACHE Level-2 Data-Read Error");
    assert_string_equal(t.user_action,
                        "Large number of corrected cache errors. System operating, but might leadto uncorrected "
                        "errors soon");
    assert_string_equal(t.mc_location, ""); /* not a memory controller error */
}

/* Corrected filtering: the note leads mcastatus_msg; with bit 12 in the
 * low 16 bits rasdaemon's memory-controller test fails: no n_errors. */
static void filtered_memory_error(void **state)
{
    (void)state;
    struct ras_mce_text t;
    ras_mce_decode(0x9C000000000010CFull, 0, 0, 0, &t);
    assert_string_equal(t.mcastatus_msg, "corrected filtering (some unreported errors in same region)");
    assert_string_equal(t.error_msg, "MEMORY CONTROLLER MS_CHANNELunspecified_ERR Transaction: Memory scrubbing error");
    assert_string_equal(t.mc_location, "");
}

/* Words rasdaemon has where mcelog has others. */
static void rasdaemon_wording(void **state)
{
    (void)state;
    struct ras_mce_text t;
    ras_mce_decode(0xB20000000000000Eull, 0, 0x4, 0x1000D0A, &t);
    assert_string_equal(t.mcgstatus_msg, "mcgstatus=4 MCIP");
    assert_string_equal(t.mcistatus_msg, "Uncorrected_error Error_enabled Processor_context_corrupt");
    assert_string_equal(t.mcastatus_msg, "Level-2 Generic memory hierarchy error");
    ras_mce_decode(0xB800000000000290ull, 0, 0, 0, &t); /* mcelog's "Memory as cache" */
    assert_string_equal(t.mcastatus_msg, "Unknown Error 290");
    ras_mce_decode(0xB800000000000E0Bull, 0x13A180000ull, 0x5, 0, &t);
    assert_string_equal(t.mcastatus_msg, "BUS Level-3 Generic Generic IO Request-did-not-timeout Error "
                                         "IO MCA reported by root port 1:3a:03.0");
    assert_string_equal(t.error_msg, t.mcastatus_msg);
}

/* An overflowed, not-valid bank, LMCE with EIPV: every flag in order. */
static void every_flag(void **state)
{
    (void)state;
    struct ras_mce_text t;
    ras_mce_decode(0x7580000000000134ull, 0, 0xF, 0x1000D0A, &t);
    assert_string_equal(t.mcgstatus_msg, "mcgstatus=15 RIPV EIPV MCIP LMCE");
    assert_string_equal(t.mcistatus_msg, "MCE_INVALID Error_overflow Uncorrected_error Error_enabled SRAR");
    assert_string_equal(t.error_msg, "Data CACHE Level-0 Data-Read Error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(srao_patrol_scrub),
        cmocka_unit_test(corrected_green_cache),
        cmocka_unit_test(filtered_memory_error),
        cmocka_unit_test(rasdaemon_wording),
        cmocka_unit_test(every_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
