/*
 * test_mcelog_format.c - one bank of a record as mcelog prints it
 * (guests/dom0/mcelog_decode.c), whole entries compared line for line.
 *
 * Each expected text is written from mcelog v176's format, not from the
 * formatter: mcelog.c's process() prints the disclaimer and "MCE n", then
 * dump_mce prints "CPU n BANK m " (mcelog leaves the space), "MISC %llx "
 * and "ADDR %llx " on one line when MISCV / ADDRV are set, "TIME %llu" and
 * ctime(); p4.c's decode_intel_mc prints "MCG status:" with a "RIPV ",
 * "EIPV ", "MCIP ", "LMCE " for each bit set, decode_mci "MCi status:",
 * a line per status bit, the S/AR state when S or AR is set (even with
 * PCC, until v206), "Firmware may have updated this error" (SER_P and
 * FWST), the threshold-based status of a corrected error (TES_P, or
 * MCG_CAP 0), then "MCA: " and decode_mca's text (nehalem.c's
 * decode_memory_controller adds "Transaction: ..."); dump_mce ends with
 * "STATUS %llx MCGSTATUS %llx" and "MCGCAP %llx APICID %x SOCKETID %x "
 * (MCGCAP only when not 0). A Xen record has no cpuid, tsc or ip
 * (Linux's drivers/xen/mcelog.c convert_log), so no CPUID, TSC or RIP
 * line. The mce-test strings ("MEMORY CONTROLLER MS_CHANNELunspecified_ERR",
 * "Generic CACHE Level-2 Eviction Error") appear on the MCA: line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "guests/dom0/mcelog_decode.h"

struct text {
    char buf[4096];
    size_t n;
    unsigned lines;
};

static void collect(void *arg, const char *line)
{
    struct text *t = arg;
    int k = snprintf(t->buf + t->n, sizeof(t->buf) - t->n, "%s\n", line);
    assert_true(k > 0 && (size_t)k < sizeof(t->buf) - t->n);
    t->n += (size_t)k;
    t->lines++;
}

static struct mca_record one_bank(unsigned cpu, unsigned bank, uint64_t status, uint64_t addr, uint64_t misc,
                                  uint64_t mcg_status, uint64_t mcg_cap, uint64_t time_ps)
{
    struct mca_record r;
    memset(&r, 0, sizeof(r));
    r.seq = 1;
    r.cpu = cpu;
    r.time_ps = time_ps;
    r.mcg_status = mcg_status;
    r.mcg_cap = mcg_cap;
    r.nbanks = 1;
    r.bank[0].bank = bank;
    r.bank[0].status = status;
    r.bank[0].addr = addr;
    r.bank[0].misc = misc;
    return r;
}

static void expect_entry(const struct mca_record *r, uint64_t idx, const char *want)
{
    struct text t = {.n = 0};
    mcelog_format(r, 0, idx, collect, &t);
    assert_string_equal(t.buf, want);
}

/* xen-mceinj's patrol-scrub SRAO on a SER_P | TES_P | CMCI_P | CTL_P part
 * with 10 banks (MCG_CAP 0x1000d0a), logged out 1.5 s into the run. */
static void srao_patrol_scrub(void **state)
{
    (void)state;
    struct mca_record r = one_bank(0, 7, 0xBD000000004000CFull, 0x180020, 0x86, 0x5, 0x1000D0A, 1500000000000ull);
    expect_entry(&r, 0,
                 "Hardware event. This is not a software error.\n"
                 "MCE 0\n"
                 "CPU 0 BANK 7 \n"
                 "MISC 86 ADDR 180020 \n"
                 "TIME 1 Thu Jan  1 00:00:01 1970\n"
                 "MCG status:RIPV MCIP \n"
                 "MCi status:\n"
                 "Uncorrected error\n"
                 "Error enabled\n"
                 "MCi_MISC register valid\n"
                 "MCi_ADDR register valid\n"
                 "SRAO\n"
                 "MCA: MEMORY CONTROLLER MS_CHANNELunspecified_ERR\n"
                 "Transaction: Memory scrubbing error\n"
                 "STATUS bd000000004000cf MCGSTATUS 5\n"
                 "MCGCAP 1000d0a APICID 0 SOCKETID 0 \n");
}

/* A corrected error under CMCI: no MISC/ADDR line, MCG_STATUS 0, the
 * "yellow" threshold status (bits 54:53 = 2) and corrected filtering
 * (MCACOD bit 12), which puts the code's text on a line of its own. */
static void corrected_yellow_filtered(void **state)
{
    (void)state;
    struct mca_record r = one_bank(2, 1, 0x9040000000001136ull, 0, 0, 0, 0xC0A, 0);
    expect_entry(&r, 5,
                 "Hardware event. This is not a software error.\n"
                 "MCE 5\n"
                 "CPU 2 BANK 1 \n"
                 "TIME 0 Thu Jan  1 00:00:00 1970\n"
                 "MCG status:\n"
                 "MCi status:\n"
                 "Corrected error\n"
                 "Error enabled\n"
                 "Threshold based error status: yellow\n"
                 "Large number of corrected cache errors. System operating, but might lead\n"
                 "to uncorrected errors soon\n"
                 "MCA: corrected filtering (some unreported errors in same region)\n"
                 "Data CACHE Level-2 Data-Read Error\n"
                 "STATUS 9040000000001136 MCGSTATUS 0\n"
                 "MCGCAP c0a APICID 2 SOCKETID 0 \n");
}

/* xen-mceinj's fatal LLC writeback (PCC, S) with firmware-updated status,
 * overflow and only MCIP: v176 prints both "Processor context corrupt"
 * and the S/AR state; the TES bits of an uncorrected error mean nothing. */
static void fatal_pcc_fwst_overflow(void **state)
{
    (void)state;
    struct mca_record r =
        one_bank(3, 8, 0xFF2000208000017Aull, 0x2000, 0x86, 0x4, 0x1000D0A, 3723000000000000ull);
    expect_entry(&r, 12,
                 "Hardware event. This is not a software error.\n"
                 "MCE 12\n"
                 "CPU 3 BANK 8 \n"
                 "MISC 86 ADDR 2000 \n"
                 "TIME 3723 Thu Jan  1 01:02:03 1970\n"
                 "MCG status:MCIP \n"
                 "MCi status:\n"
                 "Error overflow\n"
                 "Uncorrected error\n"
                 "Error enabled\n"
                 "MCi_MISC register valid\n"
                 "MCi_ADDR register valid\n"
                 "Processor context corrupt\n"
                 "SRAO\n"
                 "Firmware may have updated this error\n"
                 "MCA: Generic CACHE Level-2 Eviction Error\n"
                 "STATUS ff2000208000017a MCGSTATUS 4\n"
                 "MCGCAP 1000d0a APICID 3 SOCKETID 0 \n");
}

/* MCG_CAP 0 (no MCGCAP field; the threshold status is decoded, as for a
 * TES_P part), an LMCE SRAR seen with EIPV, ADDRV without MISCV. */
static void srar_lmce_no_mcg_cap(void **state)
{
    (void)state;
    struct mca_record r = one_bank(1, 0, 0xB580000000000134ull, 0x7000, 0, 0xA, 0, 0);
    expect_entry(&r, 1,
                 "Hardware event. This is not a software error.\n"
                 "MCE 1\n"
                 "CPU 1 BANK 0 \n"
                 "ADDR 7000 \n"
                 "TIME 0 Thu Jan  1 00:00:00 1970\n"
                 "MCG status:EIPV LMCE \n"
                 "MCi status:\n"
                 "Uncorrected error\n"
                 "Error enabled\n"
                 "MCi_ADDR register valid\n"
                 "SRAR\n"
                 "MCA: Data CACHE Level-0 Data-Read Error\n"
                 "STATUS b580000000000134 MCGSTATUS a\n"
                 "APICID 1 SOCKETID 0 \n");
}

/* A corrected memory read error with MCG_CAP 0: the green status. */
static void corrected_green_memory_read(void **state)
{
    (void)state;
    struct mca_record r = one_bank(0, 8, 0x9C2000000000009Full, 0x1234000, 0x8C, 0, 0, 0);
    expect_entry(&r, 0,
                 "Hardware event. This is not a software error.\n"
                 "MCE 0\n"
                 "CPU 0 BANK 8 \n"
                 "MISC 8c ADDR 1234000 \n"
                 "TIME 0 Thu Jan  1 00:00:00 1970\n"
                 "MCG status:\n"
                 "MCi status:\n"
                 "Corrected error\n"
                 "Error enabled\n"
                 "MCi_MISC register valid\n"
                 "MCi_ADDR register valid\n"
                 "Threshold based error status: green\n"
                 "MCA: MEMORY CONTROLLER RD_CHANNELunspecified_ERR\n"
                 "Transaction: Memory read error\n"
                 "STATUS 9c2000000000009f MCGSTATUS 0\n"
                 "APICID 0 SOCKETID 0 \n");
}

/* An I/O MCA (bus error 0x0E0B with MISCV): p4.c names the root port
 * from MISC after the BUS line; bus errors name socket and CPU. */
static void io_mca_root_port(void **state)
{
    (void)state;
    struct mca_record r = one_bank(2, 4, 0xB800000000000E0Bull, 0, 0x13A180000ull, 0x5, 0x1000D0A, 0);
    expect_entry(&r, 3,
                 "Hardware event. This is not a software error.\n"
                 "MCE 3\n"
                 "CPU 2 BANK 4 \n"
                 "MISC 13a180000 \n"
                 "TIME 0 Thu Jan  1 00:00:00 1970\n"
                 "MCG status:RIPV MCIP \n"
                 "MCi status:\n"
                 "Uncorrected error\n"
                 "Error enabled\n"
                 "MCi_MISC register valid\n"
                 "MCA: BUS error: 0 2 Level-3 Generic Generic IO Request-did-not-timeout\n"
                 "IO MCA reported by root port 1:3a:03.0\n"
                 "STATUS b800000000000e0b MCGSTATUS 5\n"
                 "MCGCAP 1000d0a APICID 2 SOCKETID 0 \n");
}

/* Only valid banks are entries: an index past nbanks prints nothing. */
static void no_entry_past_the_banks(void **state)
{
    (void)state;
    struct mca_record r = one_bank(0, 7, 0xBD000000004000CFull, 0x180020, 0x86, 0x5, 0x1000D0A, 0);
    struct text t = {.n = 0};
    mcelog_format(&r, 1, 0, collect, &t);
    assert_int_equal(t.lines, 0);
}

/* ctime()'s layout: day of month padded to two with a space. */
static void ctime_layout(void **state)
{
    (void)state;
    char buf[40];
    mcelog_ctime(0, buf, sizeof(buf));
    assert_string_equal(buf, "Thu Jan  1 00:00:00 1970");
    mcelog_ctime(86400ull * 40 + 59, buf, sizeof(buf));
    assert_string_equal(buf, "Tue Feb 10 00:00:59 1970");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(srao_patrol_scrub),
        cmocka_unit_test(corrected_yellow_filtered),
        cmocka_unit_test(fatal_pcc_fwst_overflow),
        cmocka_unit_test(srar_lmce_no_mcg_cap),
        cmocka_unit_test(corrected_green_memory_read),
        cmocka_unit_test(io_mca_root_port),
        cmocka_unit_test(no_entry_past_the_banks),
        cmocka_unit_test(ctime_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
