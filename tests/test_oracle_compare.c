/*
 * test_oracle_compare.c - what "mcasim agrees with the oracle" means, on
 * small transcripts written by hand: each normalization rule of
 * sim/results/oracle_norm.c (races sorted or masked, the reboot notice,
 * QEMU's replies, mcasim's reasons, Linux's rule folded into its panic, guest
 * addresses masked only where they are guest addresses, facts kept from
 * kernel lines), the verdicts of oracle_compare.c against deviation marks
 * (known, differing otherwise, and a mark whose deviation stopped
 * occurring), the mark file's refusals, and the diff and its digest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim/results/line_diff.h"
#include "sim/results/oracle_compare.h"
#include "sim/results/oracle_deviation.h"
#include "sim/results/oracle_norm.h"
#include "sim/results/transcript.h"

static struct transcript parse(const char *text)
{
    struct transcript t;
    char err[128];
    if (ts_parse(&t, text, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    return t;
}

/* The normalized lines of one section, joined by '\n'. */
static char *norm(const struct norm_case *c, const char *text, const char *key)
{
    struct transcript t = parse(text);
    struct ts_lines l = {0};
    oracle_normalize(c, &t, key, &l);
    struct text_buf b = {0};
    for (unsigned i = 0; i < l.n; i++)
        tb_printf(&b, "%s%s", i ? "\n" : "", l.v[i]);
    char *s = strdup(tb_text(&b));
    tb_free(&b);
    ts_lines_free(&l);
    ts_free(&t);
    return s;
}

#define ASSERT_NORM(c, text, key, want)                                                    \
    do {                                                                                   \
        char *got_ = norm(c, text, key);                                                   \
        if (strcmp(got_, want))                                                            \
            fprintf(stderr, "got:\n%s\n", got_);                                           \
        assert_string_equal(got_, want);                                                   \
        free(got_);                                                                        \
    } while (0)

static struct norm_case xen420 = {.target = ORC_XEN_420};

static void test_xen_console_rules(void **state)
{
    (void)state;
    ASSERT_NORM(&xen420,
                "h\n\n== xen console\n"
                "CPU1 enter softirq\n"
                "CPU0 enter softirq\n"
                "CPU1 handling errors\n"
                "\n"
                "uart interrupt taking more than 4ms, switched to polling\n"
                "MCE: at ffff82d040200000 and ffff82d04020000 (too short)\n"
                "CPU3 enter softirq\n"
                "CPU2 enter softirq\n"
                "Panic on CPU 1:\n"
                "Reboot in five seconds...\n",
                "xen console",
                "CPU0 enter softirq\n"
                "CPU1 enter softirq\n"
                "CPU<worker> handling errors\n"
                "MCE: at <xen-va> and ffff82d04020000 (too short)\n"
                "CPU2 enter softirq\n"
                "CPU3 enter softirq\n"
                "Panic on CPU <n>:\n"
                "<reboot notice>");
    /* The oracle's side is normalized already: the rules change nothing. */
    ASSERT_NORM(&xen420, "h\n\n== xen console\nCPU<worker> handling errors\nManual reset required ('noreboot' specified)\n",
                "xen console", "CPU<worker> handling errors\n<reboot notice>");
}

static void test_outcome_and_injection_rules(void **state)
{
    (void)state;
    ASSERT_NORM(&xen420, "h\n\n== outcome\nshutdown (CPU 0: #MC while MCG_STATUS.MCIP=1 (nested machine check))\n",
                "outcome", "reset");
    ASSERT_NORM(&xen420, "h\n\n== outcome\nhang (CPUs 0 stuck in the #MC rendezvous)\n", "outcome", "hang");
    ASSERT_NORM(&xen420, "h\n\n== outcome\npanic: HARDWARE ERROR\n", "outcome", "panic: HARDWARE ERROR");
    ASSERT_NORM(&xen420,
                "h\n\n== injections (QEMU monitor)\nmce -b 0 9 0x1 0x5 0x0 0x0\nQEMU: CPU 0: Previous MCE still in "
                "progress, raising triple fault\n",
                "injections", "mce -b 0 9 0x1 0x5 0x0 0x0");
    /* Linux's rule becomes the panic's message; only for Linux, only for
     * "Fatal machine check", and the last rule printed counts. */
    struct norm_case lx = {.target = ORC_LINUX};
    const char *lin = "h\n\n== outcome\npanic: Fatal machine check\n\n== linux kernel lines\n"
                      "mce: [Hardware Error]: Machine check: first\n"
                      "mce: [Hardware Error]: Machine check: Processor context corrupt\n";
    ASSERT_NORM(&lx, lin, "outcome", "panic: Processor context corrupt");
    ASSERT_NORM(&xen420, lin, "outcome", "panic: Fatal machine check");
    ASSERT_NORM(&lx, "h\n\n== outcome\npanic: Fatal machine check from unknown source\n\n== linux kernel lines\n"
                     "Machine check: X\n",
                "outcome", "panic: Fatal machine check from unknown source");
    ASSERT_NORM(&lx, "h\n\n== outcome\npanic: Fatal machine check\n", "outcome", "panic: Fatal machine check");
    ASSERT_NORM(&lx, "h\n\n== outcome\nrunning\n", "nonesuch", "(section missing)");
}

static void test_guest_address_mask(void **state)
{
    (void)state;
    struct norm_case c = {.target = ORC_XEN_420, .domain_pages = true, .addr = {0x60000000}, .naddr = 1};
    const char *recs = "h\n\n== dom0 /dev/mcelog records\n"
                       "CPU 0 BANK 9 STATUS 0xbd000000004000cf ADDR 0x2834e000 MISC 0x86 MCGSTATUS 0x5\n"
                       "CPU 0 BANK 9 STATUS 0xbd000000004000cf ADDR 0x60000000 MISC 0x86 MCGSTATUS 0x5\n"
                       "CPU 1 BANK 1 STATUS 0xa000000000000000 ADDR 0x0 MISC 0x0 MCGSTATUS 0x5\n";
    /* A guest address is masked, the machine address stays (that Xen or
     * mcasim kept it is a fact), an address without ADDRV is no address. */
    ASSERT_NORM(&c, recs, "dom0 /dev/mcelog records",
                "CPU 0 BANK 9 STATUS 0xbd000000004000cf ADDR <gpa> MISC 0x86 MCGSTATUS 0x5\n"
                "CPU 0 BANK 9 STATUS 0xbd000000004000cf ADDR 0x60000000 MISC 0x86 MCGSTATUS 0x5\n"
                "CPU 1 BANK 1 STATUS 0xa000000000000000 ADDR 0x0 MISC 0x0 MCGSTATUS 0x5");
    /* Without a domain's page in the case, every address is compared. */
    struct norm_case free_only = {.target = ORC_XEN_420, .addr = {0x60000000}, .naddr = 1};
    ASSERT_NORM(&free_only, recs, "dom0 /dev/mcelog records",
                "CPU 0 BANK 9 STATUS 0xbd000000004000cf ADDR 0x2834e000 MISC 0x86 MCGSTATUS 0x5\n"
                "CPU 0 BANK 9 STATUS 0xbd000000004000cf ADDR 0x60000000 MISC 0x86 MCGSTATUS 0x5\n"
                "CPU 1 BANK 1 STATUS 0xa000000000000000 ADDR 0x0 MISC 0x0 MCGSTATUS 0x5");
    ASSERT_NORM(&c, "h\n\n== vmce msr trace\nd0v0: rd MC1_ADDR 0x0\nd0v0: rd MC1_ADDR 0x60000000\nd0v0: rd MC1_MISC 0x86\n",
                "vmce msr trace", "d0v0: rd MC1_ADDR <gpa>\nd0v0: rd MC1_ADDR 0x60000000\nd0v0: rd MC1_MISC 0x86");
    /* Kernel records: the guest address masked, MISC compared (the guest
     * model reads it, as Linux's mce_read_aux does). */
    ASSERT_NORM(&c, "h\n\n== dom0 kernel records (x)\nCPU 0 BANK 1 STATUS 0xbd000000000000cf ADDR 0x0 MISC 0x86 MCGSTATUS 0x5\n",
                "dom0 kernel records", "CPU 0 BANK 1 STATUS 0xbd000000000000cf ADDR <gpa> MISC 0x86 MCGSTATUS 0x5");
}

static void test_kernel_line_facts(void **state)
{
    (void)state;
    struct norm_case c = {.target = ORC_XEN_420, .domain_pages = true, .addr = {0x60000000}, .naddr = 1};
    /* Only facts are compared; page frames of guest addresses masked as
     * the records' addresses are (0x60000 is the injected frame). */
    ASSERT_NORM(&c,
                "h\n\n== dom0 kernel lines (y)\n"
                "mce: [Hardware Error]: Machine check events logged\n"
                "Memory failure: 0x2834e: recovery action for free buddy page: Recovered\n"
                "Memory failure: 0: recovery action for poisoned page: Recovered (1)\n"
                "Memory failure: 0x60000: Killing the process that consumed it (1)\n"
                "Memory failure: 0x60000: already hardware poisoned\n"
                "Memory failure: 0x60000: Sending SIGBUS to busy:<pid> due to hardware memory corruption\n",
                "dom0 kernel lines",
                "memory_failure(<gpa>): Recovered\n"
                "memory_failure(<gpa>): Recovered\n"
                "memory_failure(0x60000): process killed\n"
                "memory_failure(0x60000): already poisoned\n"
                "memory_failure(0x60000): process killed");
    ASSERT_NORM(&c, "h\n\n== dom0 kernel lines (y)\nmce: [Hardware Error]: TSC <tsc>\n", "dom0 kernel lines",
                "(no facts)");
}

/* Sections as a Xen target's transcript has them, each given or "-". */
static char *xen_transcript(const char *console, const char *records)
{
    char *s = malloc(2048);
    snprintf(s, 2048,
             "h\ntarget: xen-4.20\n\n== injections (QEMU monitor)\nmce 0 9 0x1 0x5 0x0 0x0\n\n== outcome\nrunning\n"
             "\n== xen console\n%s\n\n== vmce msr trace (v)\n(none)\n\n== xen free heap pages (h)\nnone fewer\n"
             "\n== dom0 /dev/mcelog records (r)\n%s\n\n== dom0 kernel records (k)\n(none)\n"
             "\n== dom0 kernel lines (l)\n(none)\n",
             console, records);
    return s;
}

static struct deviations marks(const char *text)
{
    struct deviations d;
    char err[256];
    if (deviations_parse(text, "m.deviation", ORC_XEN_420, &d, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    return d;
}

static enum sec_verdict verdict_of(const struct oracle_report *r, const char *key)
{
    for (unsigned i = 0; i < r->n; i++)
        if (!strcmp(r->sec[i].key, key))
            return r->sec[i].verdict;
    fail_msg("no section %s", key);
    return SV__COUNT;
}

static uint32_t digest_of(const struct oracle_report *r, const char *key)
{
    for (unsigned i = 0; i < r->n; i++)
        if (!strcmp(r->sec[i].key, key))
            return r->sec[i].digest;
    return 0;
}

static void compare(const char *a, const char *b, const struct deviations *d, struct oracle_report *rep)
{
    struct transcript ta = parse(a), tb = parse(b);
    oracle_compare(&xen420, &ta, &tb, d, rep);
    ts_free(&ta);
    ts_free(&tb);
}

static void test_verdicts_and_marks(void **state)
{
    (void)state;
    char *real = xen_transcript("Bank 1: a000000000000000", "CPU 1 BANK 1 STATUS 0xa0");
    char *same = xen_transcript("Bank 1: a000000000000000", "CPU 1 BANK 1 STATUS 0xa0");
    char *other = xen_transcript("Bank 1: b000000000000000", "CPU 1 BANK 1 STATUS 0xa0");
    char *third = xen_transcript("Bank 1: c000000000000000", "CPU 1 BANK 1 STATUS 0xa0");
    struct oracle_report rep;

    compare(real, same, NULL, &rep);
    assert_true(oracle_report_ok(&rep));
    assert_int_equal(rep.n, 9);
    assert_int_equal(verdict_of(&rep, "header"), SV_NOT_COMPARED);
    assert_int_equal(verdict_of(&rep, "xen console"), SV_AGREE);
    oracle_report_free(&rep);

    /* An unmarked difference fails, and says its digest. */
    compare(real, other, NULL, &rep);
    assert_false(oracle_report_ok(&rep));
    assert_int_equal(verdict_of(&rep, "xen console"), SV_DIFFERS);
    assert_int_equal(verdict_of(&rep, "dom0 /dev/mcelog records"), SV_AGREE);
    uint32_t dg = digest_of(&rep, "xen console");
    struct text_buf out = {0};
    oracle_report_write(&rep, "real", false, &out);
    char want[64];
    snprintf(want, sizeof(want), "== xen console: DIFFERS [digest %08x]\n", dg);
    assert_non_null(strstr(tb_text(&out), want));
    assert_non_null(strstr(tb_text(&out), "   - Bank 1: a000000000000000\n   + Bank 1: b000000000000000\n"));
    assert_non_null(strstr(tb_text(&out), "FAIL: 7 agree, 0 known deviations, 1 differ"));
    tb_free(&out);
    oracle_report_free(&rep);

    /* Marked with that digest: a known deviation, the run is OK. */
    char text[512];
    snprintf(text, sizeof(text), "# c\n\nxen console | limit | %08x | QEMU writes the bystander without EN; mcasim sets it\n", dg);
    struct deviations d = marks(text);
    compare(real, other, &d, &rep);
    assert_true(oracle_report_ok(&rep));
    assert_int_equal(verdict_of(&rep, "xen console"), SV_KNOWN);
    oracle_report_write(&rep, "real", false, &out);
    assert_non_null(strstr(tb_text(&out), "   limit: QEMU writes the bystander without EN; mcasim sets it\n"));
    assert_non_null(strstr(tb_text(&out), "OK: 7 agree, 1 known deviations, 0 differ"));
    tb_free(&out);
    oracle_report_free(&rep);

    /* The same mark when the difference changed: fails. */
    compare(real, third, &d, &rep);
    assert_false(oracle_report_ok(&rep));
    assert_int_equal(verdict_of(&rep, "xen console"), SV_CHANGED);
    oracle_report_free(&rep);

    /* The deviation stopped occurring (mcasim was fixed): the mark fails
     * until it is removed. */
    compare(real, same, &d, &rep);
    assert_false(oracle_report_ok(&rep));
    assert_int_equal(verdict_of(&rep, "xen console"), SV_GONE);
    oracle_report_write(&rep, "real", false, &out);
    assert_non_null(strstr(tb_text(&out), "the mark (line 3) explains a difference that no longer occurs: remove it"));
    tb_free(&out);
    oracle_report_free(&rep);

    /* A section of the real transcript that the comparison does not know
     * is listed, never skipped silently. */
    char *newer = malloc(strlen(real) + 64);
    sprintf(newer, "%s\n== qemu stderr (new)\nwarning\n", real);
    compare(newer, same, NULL, &rep);
    assert_true(oracle_report_ok(&rep));
    assert_int_equal(rep.n, 10);
    assert_int_equal(verdict_of(&rep, "qemu stderr"), SV_NOT_COMPARED);
    oracle_report_write(&rep, "real", false, &out);
    assert_non_null(strstr(tb_text(&out), "== qemu stderr: not compared (a section the comparison does not know"));
    tb_free(&out);
    oracle_report_free(&rep);
    free(newer);

    deviations_free(&d);
    free(real);
    free(same);
    free(other);
    free(third);
}

static void assert_marks_refused(const char *text, const char *msg)
{
    struct deviations d;
    char err[256];
    assert_int_equal(deviations_parse(text, "m.deviation", ORC_XEN_420, &d, err, sizeof(err)), -1);
    assert_string_equal(err, msg);
    assert_int_equal(d.n, 0);
}

static void test_marks_refused(void **state)
{
    (void)state;
    const char *why = "mcasim's memerr.c prints a line Xen does not";
    char t[512];
    snprintf(t, sizeof(t), "xen console | bug | 0000abcd\n");
    assert_marks_refused(t, "m.deviation:1: expected SECTION | KIND | DIGEST | REASON");
    snprintf(t, sizeof(t), "linux kernel records | bug | 0000abcd | %s\n", why);
    assert_marks_refused(t, "m.deviation:1: not a section this target's comparison compares");
    snprintf(t, sizeof(t), "\n# x\nxen console | maybe | 0000abcd | %s\n", why);
    assert_marks_refused(t, "m.deviation:3: KIND must be bug or limit");
    snprintf(t, sizeof(t), "xen console | bug | abcd | %s\n", why);
    assert_marks_refused(t, "m.deviation:1: DIGEST must be the 8 hex digits `mcasim oracle` prints");
    snprintf(t, sizeof(t), "xen console | bug | 0000abcg | %s\n", why);
    assert_marks_refused(t, "m.deviation:1: DIGEST must be the 8 hex digits `mcasim oracle` prints");
    assert_marks_refused("xen console | bug | 0000abcd | differs\n",
                         "m.deviation:1: REASON must say which function does what, and what mcasim does instead");
    snprintf(t, sizeof(t), "xen console | bug | 0000abcd | %s\noutcome | bug | 0000abcd | %s\n"
                           "xen console | limit | 0000abce | %s\n", why, why, why);
    assert_marks_refused(t, "m.deviation:3: the section is marked twice");
    /* A reason may hold '|'. */
    struct deviations d = marks("  outcome | bug | DEADBEEF | Xen's a | b says so, mcasim does not\n");
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].digest, 0xdeadbeef);
    assert_int_equal(d.v[0].kind, DEV_BUG);
    assert_string_equal(d.v[0].reason, "Xen's a | b says so, mcasim does not");
    assert_non_null(deviations_find(&d, "outcome"));
    assert_null(deviations_find(&d, "xen console"));
    deviations_free(&d);
}

static void test_line_diff(void **state)
{
    (void)state;
    struct ts_lines a = {0}, b = {0}, d = {0};
    const char *av[] = {"x", "y", "z"}, *bv[] = {"x", "w", "z", "q"};
    for (unsigned i = 0; i < 3; i++)
        ts_lines_add(&a, av[i]);
    for (unsigned i = 0; i < 4; i++)
        ts_lines_add(&b, bv[i]);
    assert_true(line_diff(&a, &b, &d));
    const char *want[] = {"  x", "- y", "+ w", "  z", "+ q"};
    assert_int_equal(d.n, 5);
    for (unsigned i = 0; i < 5; i++)
        assert_string_equal(d.v[i], want[i]);
    uint32_t h = line_digest(&d);
    ts_lines_free(&d);
    assert_false(line_diff(&a, &a, &d));
    assert_int_equal(d.n, 3);
    assert_int_not_equal(line_digest(&d), h);
    ts_lines_free(&d);
    struct ts_lines empty = {0};
    assert_int_equal(line_digest(&empty), 2166136261u); /* FNV-1a's offset basis */
    ts_lines_free(&a);
    ts_lines_free(&b);
}

static void test_rules_table(void **state)
{
    (void)state;
    struct text_buf b = {0};
    oracle_rules_markdown(&b);
    const char *t = tb_text(&b);
    const struct sec_spec *s[16];
    unsigned n = oracle_sections(ORC_XEN_417, s, 16);
    assert_int_equal(n, 9);
    for (unsigned i = 0; i < n; i++) {
        char row[96];
        snprintf(row, sizeof(row), "| %s | ", s[i]->key);
        assert_non_null(strstr(t, row));
    }
    assert_int_equal(oracle_sections(ORC_LINUX, s, 16), 5);
    /* A '|' inside a pattern must not end its cell. */
    assert_non_null(strstr(t, "^(reset\\|hang)"));
    tb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xen_console_rules),
        cmocka_unit_test(test_outcome_and_injection_rules),
        cmocka_unit_test(test_guest_address_mask),
        cmocka_unit_test(test_kernel_line_facts),
        cmocka_unit_test(test_verdicts_and_marks),
        cmocka_unit_test(test_marks_refused),
        cmocka_unit_test(test_line_diff),
        cmocka_unit_test(test_rules_table),
    };
    return cmocka_run_group_tests_name("oracle_compare", tests, NULL, NULL);
}
