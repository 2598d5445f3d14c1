/*
 * test_severity.c - the severity table (hv/severity.c).
 *
 * One test per rule with a register image taken from a public injector
 * where one exists (Xen's xen-mceinj types, andikleen/mce-test soft-inj
 * cases, QEMU's SRAR image), then the #MC/poll path distinction, contexts,
 * a platform without SER_P, and an enumeration that proves the table total
 * and first-match: for every combination of the bits the rows test, the
 * row that fires holds for the input and no earlier row does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arch/x86_mca.h"
#include "hv/public/mca_abi.h"
#include "hv/severity.h"

/* mce-inject's composite STATUS symbols (andikleen/mce-inject). */
#define ST_CORRECTED (MCI_STATUS_VAL | MCI_STATUS_EN)
#define ST_UNCORRECTED (MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN)
#define ST_FATAL (ST_UNCORRECTED | MCI_STATUS_PCC)
#define ST_SRAR (MCI_STATUS_S | MCI_STATUS_AR)

#define CAP_SER (MCG_SER_P | MCG_CMCI_P | MCG_CTL_P | 10u) /* a SER part, 10 banks */
#define CAP_NOSER (MCG_CTL_P | 6u)

#define MCG_RIPV MCG_STATUS_RIPV
#define MCG_EIPV MCG_STATUS_EIPV
#define MCG_MCIP MCG_STATUS_MCIP

/* QEMU's SRAR image for a guest data load (target/i386, kvm_mce_inject). */
#define SRAR_DATA_LOAD (ST_UNCORRECTED | MCI_STATUS_MISCV | MCI_STATUS_ADDRV | ST_SRAR | MCACOD_DATA_LOAD)

static struct sev_result grade(uint64_t status, uint64_t mcg, uint64_t cap,
                               enum x86_exec_ctx ctx, enum sev_path path)
{
    struct sev_input in = { .status = status, .mcg_status = mcg, .mcg_cap = cap,
                            .ctx = ctx, .path = path };
    return sev_grade(&in);
}

/* The row's message, class and action, and the result's self-consistency. */
static void expect(struct sev_result r, const char *rule, enum mce_class cls, enum mce_action act)
{
    assert_string_equal(r.rule, rule);
    assert_int_equal(r.cls, cls);
    assert_int_equal(r.action, act);
    const struct sev_rule *row = sev_rule_at(r.rule_index);
    assert_non_null(row);
    assert_ptr_equal(row->name, r.rule);
}

/* ---- the table's shape ---- */

static const char *const expected_rows[] = {
    "Invalid",
    "Not enabled",
    "Processor context corrupt",
    "MCIP not set in MCA handler",
    "Neither restart nor error IP",
    "No restart IP in hypervisor context",
    "Corrected error",
    "Overflowed uncorrected",
    "Uncorrected error without SER_P",
    "Action optional: memory scrubbing error",
    "Action optional: last level cache writeback error",
    "Uncorrected no action required",
    "Illegal combination (UCNA with AR=1)",
    "Action required with lost events",
    "Action required: data load error",
    "Action required: instruction fetch error",
    "Action required: unknown MCACOD",
    "Action optional with lost events",
    "Action optional: unknown MCACOD",
};
#define NEXPECTED (sizeof(expected_rows) / sizeof(expected_rows[0]))

static void test_table_order_is_stable(void **state)
{
    (void)state;
    assert_int_equal(sev_rule_count(), NEXPECTED);
    for (unsigned i = 0; i < NEXPECTED; i++) {
        assert_non_null(sev_rule_at(i));
        assert_string_equal(sev_rule_at(i)->name, expected_rows[i]);
        /* The message goes into a fixed-size record field. */
        assert_true(strlen(sev_rule_at(i)->name) < MCA_RULE_LEN);
    }
    assert_null(sev_rule_at(sev_rule_count()));
    assert_null(sev_rule_at(1000));
}

static void test_names(void **state)
{
    (void)state;
    static const char *const cls[] = { "none", "corrected", "ucna", "srao", "srar", "fatal" };
    static const char *const act[] = { "ignore", "log", "recover", "panic" };
    for (unsigned i = 0; i < MCE_CLASS__COUNT; i++)
        assert_string_equal(mce_class_name((enum mce_class)i), cls[i]);
    for (unsigned i = 0; i < MCE_ACT__COUNT; i++)
        assert_string_equal(mce_action_name((enum mce_action)i), act[i]);
    assert_string_equal(mce_class_name(MCE_CLASS__COUNT), "unknown");
    assert_string_equal(mce_action_name(MCE_ACT__COUNT), "unknown");
}

/* ---- one test per rule ---- */

static void test_rule_invalid(void **state)
{
    (void)state;
    expect(grade(0, MCG_MCIP | MCG_RIPV, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Invalid", MCE_CLASS_NONE, MCE_ACT_IGNORE);
    /* A stale image without VAL is invalid even if it says PCC, on both paths. */
    expect(grade(ST_FATAL & ~MCI_STATUS_VAL, 0, CAP_SER, X86_CTX_HV, SEV_PATH_MCE),
           "Invalid", MCE_CLASS_NONE, MCE_ACT_IGNORE);
    expect(grade(ST_FATAL & ~MCI_STATUS_VAL, 0, CAP_NOSER, X86_CTX_HV, SEV_PATH_POLL),
           "Invalid", MCE_CLASS_NONE, MCE_ACT_IGNORE);
}

static void test_rule_not_enabled(void **state)
{
    (void)state;
    /* mce-test panic/fatal_no_en: UC VAL PCC S with EN=0. */
    uint64_t st = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_PCC | MCI_STATUS_S;
    expect(grade(st, MCG_MCIP, CAP_SER, X86_CTX_HV, SEV_PATH_MCE),
           "Not enabled", MCE_CLASS_NONE, MCE_ACT_IGNORE);
}

static void test_rule_pcc(void **state)
{
    (void)state;
    /* mce-test panic/fatal: FATAL S, MCG MCIP, CS 0 (ring 0). */
    expect(grade(ST_FATAL | MCI_STATUS_S, MCG_MCIP, CAP_SER, X86_CTX_HV, SEV_PATH_MCE),
           "Processor context corrupt", MCE_CLASS_FATAL, MCE_ACT_PANIC);
    /* xen-mceinj type 4 "fatal SRAO": 0xBF2000008000017A, MCG_STATUS 0x5. */
    expect(grade(0xBF2000008000017Aull, 0x5, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Processor context corrupt", MCE_CLASS_FATAL, MCE_ACT_PANIC);
    /* PCC is not an EXCP row: the poller sees it too (and so skips it). */
    expect(grade(ST_FATAL, 0, CAP_SER, X86_CTX_IDLE, SEV_PATH_POLL),
           "Processor context corrupt", MCE_CLASS_FATAL, MCE_ACT_PANIC);
}

static void test_rule_no_mcip(void **state)
{
    (void)state;
    /* mce-test panic_npcc/uc_no_mcip: UNCORRECTED S, no MCG bits. */
    expect(grade(ST_UNCORRECTED | MCI_STATUS_S, 0, CAP_SER, X86_CTX_DOM0_KERNEL, SEV_PATH_MCE),
           "MCIP not set in MCA handler", MCE_CLASS_FATAL, MCE_ACT_PANIC);
}

static void test_rule_no_ripv_no_eipv(void **state)
{
    (void)state;
    /* mce-test panic_npcc/uc_no_eripv: UNCORRECTED S, MCG MCIP. */
    expect(grade(ST_UNCORRECTED | MCI_STATUS_S, MCG_MCIP, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Neither restart nor error IP", MCE_CLASS_FATAL, MCE_ACT_PANIC);
}

static void test_rule_no_ripv_in_hypervisor(void **state)
{
    (void)state;
    /* mce-test panic_npcc/uncorrected: UNCORRECTED S, ADDR, MCG EIPV MCIP,
     * CS 0x10. Linux's "in kernel" is our hypervisor context. */
    uint64_t st = ST_UNCORRECTED | MCI_STATUS_S | MCI_STATUS_ADDRV;
    expect(grade(st, MCG_EIPV | MCG_MCIP, CAP_SER, X86_CTX_HV, SEV_PATH_MCE),
           "No restart IP in hypervisor context", MCE_CLASS_FATAL, MCE_ACT_PANIC);
    expect(grade(st, MCG_EIPV | MCG_MCIP, CAP_SER, X86_CTX_IDLE, SEV_PATH_MCE),
           "No restart IP in hypervisor context", MCE_CLASS_FATAL, MCE_ACT_PANIC);
}

static void test_rule_corrected(void **state)
{
    (void)state;
    /* A memory-controller read CE (MCACOD 1MMMCCCC: read, channel 15). */
    uint64_t st = ST_CORRECTED | MCI_STATUS_MISCV | MCI_STATUS_ADDRV | 0x009Fu;
    expect(grade(st, 0, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_POLL),
           "Corrected error", MCE_CLASS_CORRECTED, MCE_ACT_LOG);
    expect(grade(st, 0, CAP_NOSER, X86_CTX_HV, SEV_PATH_POLL),
           "Corrected error", MCE_CLASS_CORRECTED, MCE_ACT_LOG);
    /* mce-test test/corrected, seen by the #MC handler of a broadcast. */
    expect(grade(ST_CORRECTED, MCG_MCIP | MCG_RIPV, CAP_SER, X86_CTX_DOM0_USER, SEV_PATH_MCE),
           "Corrected error", MCE_CLASS_CORRECTED, MCE_ACT_LOG);
    /* A corrected error with a scrub code is still just corrected. */
    expect(grade(ST_CORRECTED | 0x00C3u, 0, CAP_SER, X86_CTX_IDLE, SEV_PATH_POLL),
           "Corrected error", MCE_CLASS_CORRECTED, MCE_ACT_LOG);
}

static void test_rule_overflowed_uncorrected(void **state)
{
    (void)state;
    /* mce-test panic_noser/uc_over: UNCORRECTED OVER, RIPV EIPV MCIP, CS 0x10, SER off. */
    expect(grade(ST_UNCORRECTED | MCI_STATUS_OVER, MCG_RIPV | MCG_EIPV | MCG_MCIP, CAP_NOSER,
                 X86_CTX_DOM0_KERNEL, SEV_PATH_MCE),
           "Overflowed uncorrected", MCE_CLASS_FATAL, MCE_ACT_PANIC);
}

static void test_rule_uc_without_ser(void **state)
{
    (void)state;
    /* The patrol-scrub image is recoverable only with SER_P (Xen: no SER -> fatal). */
    expect(grade(0xBD000000004000CFull, 0x5, CAP_NOSER, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Uncorrected error without SER_P", MCE_CLASS_FATAL, MCE_ACT_PANIC);
    /* mce-test poll_noser/uc_poll: the poller grades it fatal and leaves it. */
    expect(grade(ST_UNCORRECTED, 0, CAP_NOSER, X86_CTX_GUEST_USER, SEV_PATH_POLL),
           "Uncorrected error without SER_P", MCE_CLASS_FATAL, MCE_ACT_PANIC);
}

static void test_rule_srao_scrub(void **state)
{
    (void)state;
    /* xen-mceinj type 1: bank 8, 0xBD000000004000CF, MCG_STATUS 0x5 (RIPV|MCIP). */
    expect(grade(0xBD000000004000CFull, 0x5, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Action optional: memory scrubbing error", MCE_CLASS_SRAO, MCE_ACT_RECOVER);
    /* Hitting the hypervisor with RIPV=1 is fine. */
    expect(grade(0xBD000000004000CFull, 0x5, CAP_SER, X86_CTX_HV, SEV_PATH_MCE),
           "Action optional: memory scrubbing error", MCE_CLASS_SRAO, MCE_ACT_RECOVER);
    /* mce-test recoverable_ucr/srao_mem_scrub: SRAO 0xc0, ADDR, MISC, RIPV MCIP, user. */
    uint64_t st = ST_UNCORRECTED | MCI_STATUS_S | MCI_STATUS_ADDRV | MCI_STATUS_MISCV | 0x00C0u;
    expect(grade(st, MCG_RIPV | MCG_MCIP, CAP_SER, X86_CTX_DOM0_USER, SEV_PATH_MCE),
           "Action optional: memory scrubbing error", MCE_CLASS_SRAO, MCE_ACT_RECOVER);
    /* S and OVER do not matter for a scrub error. */
    expect(grade(st | MCI_STATUS_OVER, MCG_RIPV | MCG_MCIP, CAP_SER, X86_CTX_DOM0_USER, SEV_PATH_MCE),
           "Action optional: memory scrubbing error", MCE_CLASS_SRAO, MCE_ACT_RECOVER);
    expect(grade(st & ~MCI_STATUS_S, 0, CAP_SER, X86_CTX_DOM0_USER, SEV_PATH_POLL),
           "Action optional: memory scrubbing error", MCE_CLASS_SRAO, MCE_ACT_RECOVER);
    /* Every channel nibble; the next code up is not a scrub. */
    for (unsigned ch = 0; ch < 16; ch++)
        expect(grade((st & ~0xFFFFull) | 0x00C0u | ch, 0x5, CAP_SER, X86_CTX_GUEST_KERNEL, SEV_PATH_MCE),
               "Action optional: memory scrubbing error", MCE_CLASS_SRAO, MCE_ACT_RECOVER);
    expect(grade((st & ~0xFFFFull) | 0x00D0u, 0x5, CAP_SER, X86_CTX_GUEST_KERNEL, SEV_PATH_MCE),
           "Action optional: unknown MCACOD", MCE_CLASS_SRAO, MCE_ACT_LOG);
}

static void test_rule_srao_llc_writeback(void **state)
{
    (void)state;
    /* xen-mceinj type 0: bank 7, 0xBD2000008000017A, MCG_STATUS 0x5. */
    expect(grade(0xBD2000008000017Aull, 0x5, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Action optional: last level cache writeback error", MCE_CLASS_SRAO, MCE_ACT_RECOVER);
    expect(grade(0xBD2000008000017Aull | MCI_STATUS_OVER, 0x5, CAP_SER, X86_CTX_IDLE, SEV_PATH_MCE),
           "Action optional: last level cache writeback error", MCE_CLASS_SRAO, MCE_ACT_RECOVER);
    /* Like the scrub row, S is not tested: found by the poller with S=0 it
     * is still a writeback error the memory handler can act on. */
    expect(grade(0xBD2000008000017Aull & ~MCI_STATUS_S, 0, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_POLL),
           "Action optional: last level cache writeback error", MCE_CLASS_SRAO, MCE_ACT_RECOVER);
    /* With AR=1 it is an SRAR we have no handler for. */
    expect(grade(0xBD2000008000017Aull | MCI_STATUS_AR, MCG_EIPV | MCG_MCIP, CAP_SER, X86_CTX_GUEST_USER,
                 SEV_PATH_MCE),
           "Action required: unknown MCACOD", MCE_CLASS_SRAR, MCE_ACT_PANIC);
}

static void test_rule_ucna(void **state)
{
    (void)state;
    /* xen-mceinj type 2 (CMCI_UCNA_LLC): 0xBC20000080000136, MCG_STATUS 0, via CMCI. */
    expect(grade(0xBC20000080000136ull, 0, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_POLL),
           "Uncorrected no action required", MCE_CLASS_UCNA, MCE_ACT_LOG);
    /* Found by the #MC handler of another error (MCIP set), it is still UCNA. */
    expect(grade(0xBC20000080000136ull, MCG_RIPV | MCG_MCIP, CAP_SER, X86_CTX_HV, SEV_PATH_MCE),
           "Uncorrected no action required", MCE_CLASS_UCNA, MCE_ACT_LOG);
    /* OVER does not change a UCNA. */
    expect(grade(0xBC20000080000136ull | MCI_STATUS_OVER, 0, CAP_SER, X86_CTX_HV, SEV_PATH_POLL),
           "Uncorrected no action required", MCE_CLASS_UCNA, MCE_ACT_LOG);
}

static void test_rule_ucna_with_ar(void **state)
{
    (void)state;
    /* mce-test panic_ucr/s0_ar1: UNCORRECTED AR, RIPV EIPV MCIP. */
    expect(grade(ST_UNCORRECTED | MCI_STATUS_AR, MCG_RIPV | MCG_EIPV | MCG_MCIP, CAP_SER,
                 X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Illegal combination (UCNA with AR=1)", MCE_CLASS_FATAL, MCE_ACT_PANIC);
}

static void test_rule_srar_lost_events(void **state)
{
    (void)state;
    /* mce-test panic_ucr/srar_over: UNCORRECTED SRAR OVER, EIPV MCIP, CS 0x73 (user). */
    uint64_t st = ST_UNCORRECTED | ST_SRAR | MCI_STATUS_OVER;
    expect(grade(st, MCG_EIPV | MCG_MCIP, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Action required with lost events", MCE_CLASS_FATAL, MCE_ACT_PANIC);
    /* A recoverable code does not rescue an overflowed SRAR. */
    expect(grade(SRAR_DATA_LOAD | MCI_STATUS_OVER, MCG_EIPV | MCG_MCIP, CAP_SER,
                 X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Action required with lost events", MCE_CLASS_FATAL, MCE_ACT_PANIC);
}

static void test_rule_srar_data_load(void **state)
{
    (void)state;
    /* QEMU's guest SRAR: VAL|UC|EN|MISCV|ADDRV|S|AR|0x134, MCG MCIP|EIPV, guest user. */
    expect(grade(SRAR_DATA_LOAD, MCG_MCIP | MCG_EIPV, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Action required: data load error", MCE_CLASS_SRAR, MCE_ACT_RECOVER);
    /* mce-test recoverable_ucr/srar_usr_dcu: RIPV EIPV MCIP, user. */
    expect(grade(SRAR_DATA_LOAD, MCG_RIPV | MCG_EIPV | MCG_MCIP, CAP_SER, X86_CTX_DOM0_USER, SEV_PATH_MCE),
           "Action required: data load error", MCE_CLASS_SRAR, MCE_ACT_RECOVER);
}

static void test_rule_srar_insn_fetch(void **state)
{
    (void)state;
    uint64_t st = (SRAR_DATA_LOAD & ~MCI_STATUS_MCACOD_MASK) | MCACOD_INSN_FETCH;
    expect(grade(st, MCG_MCIP | MCG_EIPV, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Action required: instruction fetch error", MCE_CLASS_SRAR, MCE_ACT_RECOVER);
    expect(grade(st, MCG_MCIP | MCG_EIPV, CAP_SER, X86_CTX_GUEST_KERNEL, SEV_PATH_MCE),
           "Action required: instruction fetch error", MCE_CLASS_SRAR, MCE_ACT_RECOVER);
}

static void test_rule_srar_unknown(void **state)
{
    (void)state;
    /* mce-test panic_ucr/srar_unkown: UNCORRECTED SRAR, ADDR only, EIPV MCIP, user. */
    uint64_t st = ST_UNCORRECTED | ST_SRAR | MCI_STATUS_ADDRV;
    expect(grade(st, MCG_EIPV | MCG_MCIP, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Action required: unknown MCACOD", MCE_CLASS_SRAR, MCE_ACT_PANIC);
    /* A UCNA-looking code (0x136) with S=AR=1 is an SRAR we cannot handle. */
    expect(grade((SRAR_DATA_LOAD & ~0xFFFFull) | 0x0136u, MCG_EIPV | MCG_MCIP, CAP_SER,
                 X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Action required: unknown MCACOD", MCE_CLASS_SRAR, MCE_ACT_PANIC);
    /* The filter bit makes it a different code. */
    expect(grade(SRAR_DATA_LOAD | MCACOD_FILTER, MCG_EIPV | MCG_MCIP, CAP_SER,
                 X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Action required: unknown MCACOD", MCE_CLASS_SRAR, MCE_ACT_PANIC);
}

static void test_rule_srao_lost_events(void **state)
{
    (void)state;
    /* An SRAO with an L2 data-read code (0x136) that overflowed. */
    uint64_t st = ST_UNCORRECTED | MCI_STATUS_S | MCI_STATUS_OVER | MCI_STATUS_ADDRV | 0x0136u;
    expect(grade(st, MCG_RIPV | MCG_MCIP, CAP_SER, X86_CTX_GUEST_KERNEL, SEV_PATH_MCE),
           "Action optional with lost events", MCE_CLASS_SRAO, MCE_ACT_LOG);
}

static void test_rule_srao_unknown(void **state)
{
    (void)state;
    /* The xen-mceinj UCNA image with S set: an SRAO with no handler (Xen: CONTINUE). */
    expect(grade(0xBC20000080000136ull | MCI_STATUS_S, 0x5, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Action optional: unknown MCACOD", MCE_CLASS_SRAO, MCE_ACT_LOG);
    /* A broadcast victim's image (QEMU/mce-inject: bank 1 VAL|UC + S). */
    expect(grade(MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_S, MCG_MCIP | MCG_RIPV,
                 CAP_SER, X86_CTX_HV, SEV_PATH_MCE),
           "Action optional: unknown MCACOD", MCE_CLASS_SRAO, MCE_ACT_LOG);
}

/* ---- paths, contexts, platforms ---- */

static void test_poll_path_skips_excp_rows(void **state)
{
    (void)state;
    /* EN=0 uncorrected, S=0: "Not enabled" in the handler, UCNA for the poller. */
    uint64_t st = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_ADDRV | 0x0136u;
    expect(grade(st, MCG_RIPV | MCG_MCIP, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Not enabled", MCE_CLASS_NONE, MCE_ACT_IGNORE);
    expect(grade(st, 0, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_POLL),
           "Uncorrected no action required", MCE_CLASS_UCNA, MCE_ACT_LOG);
    /* MCIP, RIPV and EIPV mean nothing outside the handler. */
    expect(grade(0xBC20000080000136ull, 0, CAP_SER, X86_CTX_HV, SEV_PATH_MCE),
           "MCIP not set in MCA handler", MCE_CLASS_FATAL, MCE_ACT_PANIC);
    expect(grade(0xBC20000080000136ull, 0, CAP_SER, X86_CTX_HV, SEV_PATH_POLL),
           "Uncorrected no action required", MCE_CLASS_UCNA, MCE_ACT_LOG);
    expect(grade(ST_UNCORRECTED | MCI_STATUS_S, MCG_MCIP, CAP_SER, X86_CTX_HV, SEV_PATH_POLL),
           "Action optional: unknown MCACOD", MCE_CLASS_SRAO, MCE_ACT_LOG);
    /* An SRAR seen by the poller in hypervisor context is not rule 6. */
    expect(grade(SRAR_DATA_LOAD, 0, CAP_SER, X86_CTX_HV, SEV_PATH_POLL),
           "Action required: data load error", MCE_CLASS_SRAR, MCE_ACT_RECOVER);
    /* mce-test poll_ucr/fatal_poll: the poller grades PCC fatal, never logs it. */
    struct sev_result r = grade(ST_FATAL, 0, CAP_SER, X86_CTX_GUEST_USER, SEV_PATH_POLL);
    assert_true(r.cls != MCE_CLASS_CORRECTED && r.cls != MCE_CLASS_UCNA);
}

static void test_srar_context(void **state)
{
    (void)state;
    static const struct {
        enum x86_exec_ctx ctx;
        const char *rule;
    } cases[] = {
        { X86_CTX_HV, "No restart IP in hypervisor context" },
        { X86_CTX_IDLE, "No restart IP in hypervisor context" },
        { X86_CTX_DOM0_KERNEL, "Action required: data load error" },
        { X86_CTX_DOM0_USER, "Action required: data load error" },
        { X86_CTX_GUEST_KERNEL, "Action required: data load error" },
        { X86_CTX_GUEST_USER, "Action required: data load error" },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sev_result r = grade(SRAR_DATA_LOAD, MCG_MCIP | MCG_EIPV, CAP_SER, cases[i].ctx, SEV_PATH_MCE);
        assert_string_equal(r.rule, cases[i].rule);
    }
    /* With RIPV=1 the hypervisor can resume: the SRAR goes to recovery. */
    expect(grade(SRAR_DATA_LOAD, MCG_MCIP | MCG_EIPV | MCG_RIPV, CAP_SER, X86_CTX_HV, SEV_PATH_MCE),
           "Action required: data load error", MCE_CLASS_SRAR, MCE_ACT_RECOVER);
    /* An out-of-range context is in no context set and does not crash. */
    expect(grade(SRAR_DATA_LOAD, MCG_MCIP | MCG_EIPV, CAP_SER, X86_CTX__COUNT, SEV_PATH_MCE),
           "Action required: data load error", MCE_CLASS_SRAR, MCE_ACT_RECOVER);
    expect(grade(SRAR_DATA_LOAD, MCG_MCIP | MCG_EIPV, CAP_SER, (enum x86_exec_ctx)77, SEV_PATH_MCE),
           "Action required: data load error", MCE_CLASS_SRAR, MCE_ACT_RECOVER);
}

static void test_no_ser_platform(void **state)
{
    (void)state;
    /* Every SER-graded image is fatal without SER_P, on both paths; CEs stay CEs. */
    static const uint64_t uc_images[] = {
        0xBD000000004000CFull, 0xBD2000008000017Aull, 0xBC20000080000136ull, SRAR_DATA_LOAD,
    };
    for (unsigned i = 0; i < sizeof(uc_images) / sizeof(uc_images[0]); i++) {
        for (int path = SEV_PATH_MCE; path <= SEV_PATH_POLL; path++) {
            struct sev_result r = grade(uc_images[i], MCG_RIPV | MCG_EIPV | MCG_MCIP, CAP_NOSER,
                                        X86_CTX_GUEST_USER, (enum sev_path)path);
            expect(r, "Uncorrected error without SER_P", MCE_CLASS_FATAL, MCE_ACT_PANIC);
        }
    }
    /* SER_P is bit 24 of MCG_CAP and nothing else. */
    expect(grade(0xBD000000004000CFull, 0x5, ~MCG_SER_P, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Uncorrected error without SER_P", MCE_CLASS_FATAL, MCE_ACT_PANIC);
    expect(grade(0xBD000000004000CFull, 0x5, MCG_SER_P, X86_CTX_GUEST_USER, SEV_PATH_MCE),
           "Action optional: memory scrubbing error", MCE_CLASS_SRAO, MCE_ACT_RECOVER);
}

/* ---- totality and first match ---- */

/* The semantics of one row, restated from severity.h without the code under test. */
static int row_holds(const struct sev_rule *r, const struct sev_input *in)
{
    if ((in->status & r->status_mask) != r->status_val)
        return 0;
    if ((in->mcg_status & r->mcg_mask) != r->mcg_val)
        return 0;
    if ((uint16_t)(in->status & 0xFFFFu & r->mcacod_mask) != r->mcacod_val)
        return 0;
    int ser = (in->mcg_cap >> 24) & 1;
    if ((r->ser == SEV_YES && !ser) || (r->ser == SEV_NO && ser))
        return 0;
    int excp = in->path == SEV_PATH_MCE;
    if ((r->in_handler == SEV_YES && !excp) || (r->in_handler == SEV_NO && excp))
        return 0;
    if (r->ctx_set != SEV_CTX_ANY &&
        !((unsigned)in->ctx < X86_CTX__COUNT && (r->ctx_set >> in->ctx) & 1u))
        return 0;
    return 1;
}

/* The bits the enumeration varies. */
static const uint64_t enum_status_bits[] = {
    MCI_STATUS_VAL, MCI_STATUS_OVER, MCI_STATUS_UC, MCI_STATUS_EN,
    MCI_STATUS_PCC, MCI_STATUS_S, MCI_STATUS_AR,
};
static const uint64_t enum_mcg_bits[] = { MCG_STATUS_RIPV, MCG_STATUS_EIPV, MCG_STATUS_MCIP };
/* One MCACOD from each class the rows tell apart, plus neighbours. */
static const uint16_t enum_mcacods[] = {
    0x0000, 0x00C0, 0x00C7, 0x00CF, 0x00D0, 0x10C0, 0x017A, 0x117A, 0x0134, 0x0150, 0x0136, 0xFFFF,
};

static void test_rows_test_only_enumerated_inputs(void **state)
{
    (void)state;
    /* This is what makes the enumeration below a proof: no row looks at a
     * bit it does not vary, and every MCACOD condition is one whose
     * classes enum_mcacods covers. */
    uint64_t st_bits = 0, mcg_bits = 0;
    for (unsigned i = 0; i < sizeof(enum_status_bits) / sizeof(enum_status_bits[0]); i++)
        st_bits |= enum_status_bits[i];
    for (unsigned i = 0; i < sizeof(enum_mcg_bits) / sizeof(enum_mcg_bits[0]); i++)
        mcg_bits |= enum_mcg_bits[i];
    for (unsigned i = 0; i < sev_rule_count(); i++) {
        const struct sev_rule *r = sev_rule_at(i);
        assert_int_equal(r->status_mask & ~st_bits, 0);
        assert_int_equal(r->status_val & ~r->status_mask, 0);
        assert_int_equal(r->mcg_mask & ~mcg_bits, 0);
        assert_int_equal(r->mcg_val & ~r->mcg_mask, 0);
        assert_int_equal(r->mcacod_val & ~r->mcacod_mask, 0);
        assert_true(r->mcacod_mask == 0 || r->mcacod_mask == 0xFFFF || r->mcacod_mask == 0xFFF0);
        assert_true(r->ctx_set == SEV_CTX_ANY || r->ctx_set == SEV_CTX_HV);
        assert_true(r->in_handler != SEV_NO); /* no poll-only rows */
        assert_true(r->cls < MCE_CLASS__COUNT && r->action < MCE_ACT__COUNT);
    }
}

static void check_first_match(const struct sev_input *in, unsigned *hits)
{
    struct sev_result r = sev_grade(in);
    assert_true(r.rule_index < sev_rule_count());
    const struct sev_rule *row = sev_rule_at(r.rule_index);
    assert_true(row_holds(row, in));
    for (unsigned j = 0; j < r.rule_index; j++)
        assert_false(row_holds(sev_rule_at(j), in));
    assert_ptr_equal(r.rule, row->name);
    assert_int_equal(r.cls, row->cls);
    assert_int_equal(r.action, row->action);
    if (hits)
        hits[r.rule_index]++;
}

static void test_table_is_total_and_first_match(void **state)
{
    (void)state;
    unsigned hits[64] = { 0 };
    unsigned long n = 0;
    assert_true(sev_rule_count() <= 64);
    for (unsigned sb = 0; sb < (1u << 7); sb++) {
        uint64_t st = 0;
        for (unsigned k = 0; k < 7; k++)
            if (sb & (1u << k))
                st |= enum_status_bits[k];
        for (unsigned mb = 0; mb < (1u << 3); mb++) {
            uint64_t mcg = 0;
            for (unsigned k = 0; k < 3; k++)
                if (mb & (1u << k))
                    mcg |= enum_mcg_bits[k];
            for (unsigned c = 0; c < sizeof(enum_mcacods) / sizeof(enum_mcacods[0]); c++)
                for (int ser = 0; ser < 2; ser++)
                    for (unsigned ctx = 0; ctx <= X86_CTX__COUNT; ctx++) /* one past: out of range */
                        for (int path = SEV_PATH_MCE; path <= SEV_PATH_POLL; path++) {
                            struct sev_input in = {
                                .status = st | enum_mcacods[c],
                                .mcg_status = mcg,
                                .mcg_cap = ser ? CAP_SER : CAP_NOSER,
                                .ctx = (enum x86_exec_ctx)ctx,
                                .path = (enum sev_path)path,
                            };
                            check_first_match(&in, hits);
                            n++;
                        }
        }
    }
    assert_int_equal(n, 128ul * 8 * 12 * 2 * (X86_CTX__COUNT + 1) * 2);
    /* No dead rows: each one is the first match for some input. */
    for (unsigned i = 0; i < sev_rule_count(); i++) {
        if (hits[i] == 0)
            fail_msg("row %u \"%s\" is never reached", i, sev_rule_at(i)->name);
    }
}

static void test_every_mcacod_is_graded(void **state)
{
    (void)state;
    /* All 65536 codes under each uncorrected SER combination of OVER, S, AR. */
    for (unsigned cod = 0; cod <= 0xFFFF; cod++)
        for (unsigned b = 0; b < 8; b++) {
            uint64_t st = ST_UNCORRECTED | cod;
            st |= (b & 1) ? MCI_STATUS_OVER : 0;
            st |= (b & 2) ? MCI_STATUS_S : 0;
            st |= (b & 4) ? MCI_STATUS_AR : 0;
            struct sev_input in = { .status = st, .mcg_status = MCG_MCIP | MCG_EIPV,
                                    .mcg_cap = CAP_SER, .ctx = X86_CTX_GUEST_USER,
                                    .path = SEV_PATH_MCE };
            check_first_match(&in, NULL);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_order_is_stable),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_rule_invalid),
        cmocka_unit_test(test_rule_not_enabled),
        cmocka_unit_test(test_rule_pcc),
        cmocka_unit_test(test_rule_no_mcip),
        cmocka_unit_test(test_rule_no_ripv_no_eipv),
        cmocka_unit_test(test_rule_no_ripv_in_hypervisor),
        cmocka_unit_test(test_rule_corrected),
        cmocka_unit_test(test_rule_overflowed_uncorrected),
        cmocka_unit_test(test_rule_uc_without_ser),
        cmocka_unit_test(test_rule_srao_scrub),
        cmocka_unit_test(test_rule_srao_llc_writeback),
        cmocka_unit_test(test_rule_ucna),
        cmocka_unit_test(test_rule_ucna_with_ar),
        cmocka_unit_test(test_rule_srar_lost_events),
        cmocka_unit_test(test_rule_srar_data_load),
        cmocka_unit_test(test_rule_srar_insn_fetch),
        cmocka_unit_test(test_rule_srar_unknown),
        cmocka_unit_test(test_rule_srao_lost_events),
        cmocka_unit_test(test_rule_srao_unknown),
        cmocka_unit_test(test_poll_path_skips_excp_rows),
        cmocka_unit_test(test_srar_context),
        cmocka_unit_test(test_no_ser_platform),
        cmocka_unit_test(test_rows_test_only_enumerated_inputs),
        cmocka_unit_test(test_table_is_total_and_first_match),
        cmocka_unit_test(test_every_mcacod_is_graded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
