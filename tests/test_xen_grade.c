/*
 * test_xen_grade.c - Xen's classification as mcasim's tables
 * (hv/xen_grade.c): sev_table_xen, xen_recoverable_scan and
 * xen_need_clearbank_scan against the xen-mceinj register images, then
 * an enumeration of every combination of the MCi_STATUS bits Xen looks at
 * (VAL, OVER, UC, EN, PCC, S, AR) with and without SER_P, where each table
 * must agree with the branch-by-branch reading of its mce_intel.c function
 * written out below (intel_check_mce_type, intel_recoverable_scan,
 * intel_need_clearbank_scan). The table and the if-chain were written
 * separately: a row out of order, or a wrong mask, shows here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "arch/x86_mca.h"
#include "hv/severity.h"
#include "hv/sev_rows.h"
#include "hv/xen_grade.h"

#include <string.h>

#define CAP_SER (MCG_SER_P | 10u)

static struct sev_result xen_grade(uint64_t status, bool ser)
{
    struct sev_input in = {.status = status, .mcg_cap = ser ? CAP_SER : 10u};
    return sev_grade_with(&sev_table_xen, &in);
}

/* intel_check_mce_type, branch by branch. */
static enum mce_class check_mce_type(uint64_t st, bool ser)
{
    if (!(st & VAL))
        return MCE_CLASS_NONE;
    if (st & PCC)
        return MCE_CLASS_FATAL;
    if (!(st & UC))
        return MCE_CLASS_CORRECTED;
    if (!ser)
        return MCE_CLASS_FATAL;
    if (st & S) {
        if (st & AR)
            return (st & OVER) ? MCE_CLASS_FATAL : MCE_CLASS_SRAR;
        return MCE_CLASS_SRAO;
    }
    return MCE_CLASS_UCNA;
}

/* intel_recoverable_scan, branch by branch. */
static bool recoverable_scan(uint64_t st, bool ser)
{
    if (!(st & UC))
        return true;
    if (ser && !(st & EN) && !(st & OVER))
        return true;
    if (ser && !(st & OVER) && !(st & PCC) && (st & S) && (st & AR) && (st & EN))
        return true;
    if (ser && !(st & PCC) && (st & S) && !(st & AR) && (st & EN))
        return true;
    if (ser && !(st & OVER) && (st & EN) && !(st & PCC) && !(st & S) && !(st & AR))
        return true;
    return false;
}

/* intel_need_clearbank_scan, branch by branch. */
static bool need_clearbank_scan(enum xen_mca_source who, uint64_t st, bool ser)
{
    if (who == XEN_SRC_CMCI) {
        if (!(st & UC))
            return true;
        if (ser && !(st & OVER) && !(st & EN))
            return true;
        if (ser && !(st & OVER) && !(st & PCC) && !(st & S) && !(st & AR))
            return true;
        return false;
    }
    if (who == XEN_SRC_MCE_SCAN) {
        if (!ser)
            return false;
        if ((st & UC) && (st & PCC))
            return false;
        if (!(st & OVER) && (st & UC) && !(st & EN))
            return true;
        if ((st & UC) && (st & S) && (st & AR) && !(st & OVER))
            return true;
        if (!(st & AR) && (st & S) && (st & UC))
            return true;
        return false;
    }
    return true;
}

/* The seven bits of one enumeration step. */
static uint64_t status_of(unsigned bits)
{
    static const uint64_t bit[] = {VAL, OVER, UC, EN, PCC, S, AR};
    uint64_t st = 0x0134; /* an MCACOD: Xen's checks ignore it */
    for (unsigned i = 0; i < 7; i++)
        if (bits & (1u << i))
            st |= bit[i];
    return st;
}

static void test_table_agrees_with_intel_check_mce_type(void **state)
{
    (void)state;
    for (unsigned ser = 0; ser < 2; ser++)
        for (unsigned bits = 0; bits < 128; bits++) {
            uint64_t st = status_of(bits);
            struct sev_result r = xen_grade(st, ser);
            assert_true(r.rule_index < sev_table_xen.n); /* total: a row fired */
            assert_int_equal(r.cls, check_mce_type(st, ser));
            assert_string_equal(r.rule, sev_table_xen.rows[r.rule_index].name);
        }
}

static void test_recoverable_scan_agrees(void **state)
{
    (void)state;
    for (unsigned ser = 0; ser < 2; ser++)
        for (unsigned bits = 0; bits < 128; bits++) {
            uint64_t st = status_of(bits);
            assert_int_equal(xen_recoverable_scan(st, ser), recoverable_scan(st, ser));
        }
}

static void test_need_clearbank_scan_agrees(void **state)
{
    (void)state;
    for (unsigned who = 0; who < XEN_SRC__COUNT; who++)
        for (unsigned ser = 0; ser < 2; ser++)
            for (unsigned bits = 0; bits < 128; bits++) {
                uint64_t st = status_of(bits);
                assert_int_equal(xen_need_clearbank_scan((enum xen_mca_source)who, st, ser),
                                 need_clearbank_scan((enum xen_mca_source)who, st, ser));
            }
}

/* xen-mceinj's images (tools/misc/xen-mceinj.c) and what each table says. */
static void test_mceinj_images(void **state)
{
    (void)state;
    static const struct {
        uint64_t status;
        enum mce_class cls;
        const char *rule;
        bool recoverable, clear_mce, clear_cmci;
    } cases[] = {
        /* type 1 "SRAO_LLC": SRAO patrol scrub */
        {0xBD000000004000CFull, MCE_CLASS_SRAO, "SRAO: software recoverable, action optional", true, true, false},
        /* type 0 "SRAO_MEM": SRAO L3 writeback */
        {0xBD2000008000017Aull, MCE_CLASS_SRAO, "SRAO: software recoverable, action optional", true, true, false},
        /* type 2 "CMCI_UCNA_LLC" */
        {0xBC20000080000136ull, MCE_CLASS_UCNA, "UCNA: uncorrected, no action required", true, false, true},
        /* type 4 fatal SRAO: PCC */
        {0xBF2000008000017Aull, MCE_CLASS_FATAL, "Fatal: processor context corrupt", false, false, false},
        /* QEMU's SRAR data load */
        {0xBD80000000000134ull, MCE_CLASS_SRAR, "SRAR: software recoverable, action required", true, true, false},
        /* the same with OVER */
        {0xFD80000000000134ull, MCE_CLASS_FATAL, "Fatal: action required with overflow", false, false, false},
        /* a corrected memory read */
        {0x9C0000000000009Full, MCE_CLASS_CORRECTED, "Corrected error", true, false, true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sev_result r = xen_grade(cases[i].status, true);
        assert_int_equal(r.cls, cases[i].cls);
        assert_string_equal(r.rule, cases[i].rule);
        assert_int_equal(xen_recoverable_scan(cases[i].status, true), cases[i].recoverable);
        assert_int_equal(xen_need_clearbank_scan(XEN_SRC_MCE_SCAN, cases[i].status, true), cases[i].clear_mce);
        assert_int_equal(xen_need_clearbank_scan(XEN_SRC_CMCI, cases[i].status, true), cases[i].clear_cmci);
        assert_true(xen_need_clearbank_scan(XEN_SRC_POLLER, cases[i].status, true));
        assert_true(xen_need_clearbank_scan(XEN_SRC_RESET, cases[i].status, true));
    }
}

/* Without SER_P every uncorrected error is fatal and unrecoverable, and
 * the #MC handler clears nothing. */
static void test_without_ser(void **state)
{
    (void)state;
    uint64_t uc = 0xBC00000000000134ull;
    assert_int_equal(xen_grade(uc, false).cls, MCE_CLASS_FATAL);
    assert_string_equal(xen_grade(uc, false).rule, "Fatal: uncorrected error without SER_P");
    assert_false(xen_recoverable_scan(uc, false));
    assert_false(xen_need_clearbank_scan(XEN_SRC_MCE_SCAN, uc, false));
    assert_false(xen_need_clearbank_scan(XEN_SRC_MCE_SCAN, 0x9C0000000000009Full, false));
}

/* Each row names the branch of intel_check_mce_type it restates. */
static void test_rows_name_their_source(void **state)
{
    (void)state;
    assert_string_equal(sev_table_xen.name, "xen");
    assert_ptr_equal(sev_table_of(0), &sev_table_xen);
    assert_ptr_equal(sev_table_of(1), &sev_table_linux);
    for (unsigned i = 0; i < sev_table_xen.n; i++)
        assert_non_null(strstr(sev_table_xen.rows[i].src, "intel_check_mce_type"));
    for (unsigned i = 0; i < sev_table_linux.n; i++)
        assert_non_null(sev_table_linux.rows[i].src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_agrees_with_intel_check_mce_type),
        cmocka_unit_test(test_recoverable_scan_agrees),
        cmocka_unit_test(test_need_clearbank_scan_agrees),
        cmocka_unit_test(test_mceinj_images),
        cmocka_unit_test(test_without_ser),
        cmocka_unit_test(test_rows_name_their_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
