/*
 * test_transcript.c - the oracle transcript in memory (sim/results/transcript.c)
 * and mcasim's run rendered into it (transcript_render.c, kernel_records.c,
 * qemu_commands.c), on run records built by hand: every section's source
 * and rule (the first injection as the start, the vMCE MSR lines moved to
 * their own section per vCPU, Xen's page_to_zone, only acked records, the
 * kernel's records from its log lines), the outcomes, and the parser's
 * round trip and refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86_mca.h"
#include "sim/results/kernel_records.h"
#include "sim/results/qemu_commands.h"
#include "sim/results/run_result.h"
#include "sim/results/transcript.h"
#include "sim/results/transcript_render.h"
#include "sim/scenario/scenario.h"

#define S (1000000000000ull) /* one second in ps */

static const char *const roundtrip_text =
    "# a transcript\n"
    "target: xen-4.20\n"
    "case: c.yaml\n"
    "\n"
    "== injections (QEMU monitor)\n"
    "mce -b 0 9 0xbd000000004000cf 0x5 0x30000000 0x86\n"
    "\n"
    "== outcome\n"
    "running\n"
    "\n"
    "== vmce msr trace (per vCPU, in order)\n"
    "first\n"
    "\n"
    "last, after an empty line that is content\n";

static void test_parse_write_roundtrip(void **state)
{
    (void)state;
    struct transcript t;
    char err[128];
    assert_int_equal(ts_parse(&t, roundtrip_text, err, sizeof(err)), 0);
    assert_int_equal(t.nsec, 3);
    assert_string_equal(ts_header(&t, "target"), "xen-4.20");
    assert_null(ts_header(&t, "qemu"));
    assert_string_equal(t.sec[2].key, "vmce msr trace");
    const struct ts_section *s = ts_find(&t, "vmce msr trace");
    assert_non_null(s);
    assert_int_equal(s->lines.n, 3);
    assert_string_equal(s->lines.v[1], "");
    assert_null(ts_find(&t, "xen console"));
    struct text_buf b = {0};
    ts_write(&t, &b);
    assert_string_equal(tb_text(&b), roundtrip_text);
    tb_free(&b);
    ts_free(&t);
}

static void assert_parse_fails(const char *text, const char *msg)
{
    struct transcript t;
    char err[128];
    assert_int_equal(ts_parse(&t, text, err, sizeof(err)), -1);
    assert_string_equal(err, msg);
    assert_int_equal(t.nsec, 0);
}

static void test_parse_refuses(void **state)
{
    (void)state;
    assert_parse_fails("just text\n", "line 1: no '== ' section heading: not a transcript");
    assert_parse_fails("target: x\n== outcome\nrunning\n", "line 2: a heading without an empty line before it");
    assert_parse_fails("t\n\n== outcome\nrunning\n\n== outcome (again)\nhang\n", "line 6: a section heading given twice");
}

/* A case as the oracle's: 2 CPUs, QEMU's broadcast at 1 s (the bystander
 * first), a dom0 page and a free page. */
static const char *const case_yaml =
    "name: c\n"
    "duration: 10s\n"
    "platform:\n"
    "  hosts:\n"
    "    - cpus: 2\n"
    "      banks: 10\n"
    "      mcg_cap: [ctl_p, ser_p]\n"
    "      memory:\n"
    "        - {start: 0x60000000, size: 4KiB, owner: domain, domain: 0}\n"
    "domains:\n"
    "  - {id: 0, type: dom0, vcpus: 2}\n"
    "events:\n"
    "  - at: 1s\n"
    "    inject: {cpu: 1, bank: 1, status: 0xA000000000000000, mcg_status: 0x5, signal: none}\n"
    "  - at: 1s\n"
    "    inject: {cpu: 0, bank: 9, status: 0xBD000000004000CF, mcg_status: 0x5, addr: 0x60000000, misc: 0x86, signal: mce}\n"
    "  - at: 5s\n"
    "    inject: {cpu: 0, bank: 9, status: 0x9C0000000000009F, addr: 0x30000000, misc: 0x86}\n";

struct fixture {
    struct scenario s;
    struct run_result r;
    struct transcript t;
};

static struct fixture *setup(const char *yaml)
{
    struct fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    struct scn_error e;
    if (scenario_load_string("c.yaml", yaml, &f->s, &e) != 0)
        scn_error_print(&e, stderr);
    assert_int_equal(f->s.nhosts, 1);
    rr_init(&f->r, &f->s, 1);
    return f;
}

static void teardown(struct fixture *f)
{
    ts_free(&f->t);
    rr_free(&f->r);
    scenario_free(&f->s);
    free(f);
}

static void line(struct fixture *f, enum rr_log which, uint64_t t, const char *text)
{
    rr_add_line(&f->r, which, t, 0, text);
}

static struct rr_record *record(struct fixture *f, uint64_t t, unsigned cpu, uint64_t mcg, bool delivered)
{
    struct rr_record *r = rr_add_record(&f->r, NULL);
    r->delivered = delivered;
    r->committed = true;
    r->rec->time_ps = t;
    r->rec->cpu = cpu;
    r->rec->mcg_status = mcg;
    r->rec->mcg_cap = 0x100010a;
    return r;
}

static void bank(struct rr_record *r, unsigned b, uint64_t status, uint64_t addr, uint64_t misc)
{
    struct mca_bank_entry *e = &r->rec->bank[r->rec->nbanks++];
    e->bank = b;
    e->status = status;
    e->addr = addr;
    e->misc = misc;
}

static void pages(struct fixture *f, unsigned n, const struct page_entry *p)
{
    f->r.hosts[0].pages = calloc(n, sizeof(*p));
    assert_non_null(f->r.hosts[0].pages);
    memcpy(f->r.hosts[0].pages, p, n * sizeof(*p));
    f->r.hosts[0].npages = n;
}

static void assert_lines(const struct transcript *t, const char *key, const char *const *want, unsigned n)
{
    const struct ts_section *s = ts_find(t, key);
    assert_non_null(s);
    for (unsigned i = 0; i < s->lines.n && i < n; i++)
        if (strcmp(s->lines.v[i], want[i]))
            fprintf(stderr, "%s line %u: got '%s'\n", key, i, s->lines.v[i]);
    for (unsigned i = 0; i < s->lines.n && i < n; i++)
        assert_string_equal(s->lines.v[i], want[i]);
    assert_int_equal(s->lines.n, n);
}

#define LINES(t, key, ...)                                                           \
    do {                                                                             \
        static const char *const w_[] = {__VA_ARGS__};                               \
        assert_lines(t, key, w_, sizeof(w_) / sizeof(w_[0]));                         \
    } while (0)

static void test_render_xen_run(void **state)
{
    (void)state;
    struct fixture *f = setup(case_yaml);
    /* Boot lines before the first injection are not the case's. */
    line(f, RR_CONSOLE, 0, "CPU0: Intel machine check reporting enabled");
    line(f, RR_CONSOLE, 1 * S + 10, "CPU1 enter softirq");
    line(f, RR_CONSOLE, 1 * S + 11, "MCE: d0v1: rd MCG_STATUS 0x5");
    line(f, RR_CONSOLE, 1 * S + 12, "MCE: d0v0: rd MCG_STATUS 0x5");
    line(f, RR_CONSOLE, 1 * S + 13, "MCE: d0v1: wr MCG_STATUS 0");
    line(f, RR_CONSOLE, 1 * S + 14, "MCE: d0v10: rd MCG_CAP 0x1000c02");
    line(f, RR_CONSOLE, 1 * S + 15, "MCE: dom0 broken page"); /* not an MSR line */
    line(f, RR_GUEST_LOG, 1 * S + 20, "dom0: Memory failure: 0: recovery action for poisoned page: Recovered (1)");
    line(f, RR_GUEST_LOG, 1 * S + 21, "dom1: not dom0's");
    /* Only acked records after the injection; one line per bank. */
    struct rr_record *r = record(f, 1 * S + 5, 0, 0x5, true);
    bank(r, 9, 0xbd000000004000cfull, 0x60000000, 0x86);
    bank(r, 1, 0xb000000000000000ull, 0, 0);
    record(f, 1 * S + 6, 1, 0x5, false);       /* never acked */
    bank(record(f, 0, 1, 0x0, true), 3, 0x9c00000000000001ull, 0, 0); /* a boot record */
    /* Offlined pages count per zone; pending ones lose no free page. */
    const struct page_entry p[] = {{.mfn = 0x30000, .state = PAGE_OFFLINED, .broken = true},
                                   {.mfn = 0x30001, .state = PAGE_OFFLINED, .broken = true},
                                   {.mfn = 0x60000, .state = PAGE_OFFLINE_PENDING, .broken = true},
                                   {.mfn = 0x100000, .state = PAGE_OFFLINED, .broken = true}};
    pages(f, 4, p);
    transcript_render(&f->r, ORC_XEN_420, "unit test", &f->t);
    assert_string_equal(ts_header(&f->t, "target"), "xen-4.20");
    assert_string_equal(ts_header(&f->t, "simulator"), "unit test");
    LINES(&f->t, "injections", "mce -b 0 9 0xbd000000004000cf 0x5 0x60000000 0x86",
          "mce 0 9 0x9c0000000000009f 0x0 0x30000000 0x86");
    LINES(&f->t, "outcome", "running");
    LINES(&f->t, "xen console", "CPU1 enter softirq", "MCE: dom0 broken page");
    LINES(&f->t, "vmce msr trace", "d0v0: rd MCG_STATUS 0x5", "d0v1: rd MCG_STATUS 0x5", "d0v1: wr MCG_STATUS 0",
          "d0v10: rd MCG_CAP 0x1000c02");
    LINES(&f->t, "xen free heap pages", "node 0 zone 18: -2", "node 0 zone 21: -1");
    LINES(&f->t, "dom0 /dev/mcelog records",
          "CPU 0 BANK 9 STATUS 0xbd000000004000cf ADDR 0x60000000 MISC 0x86 MCGSTATUS 0x5 MCGCAP 0x100010a",
          "CPU 0 BANK 1 STATUS 0xb000000000000000 ADDR 0x0 MISC 0x0 MCGSTATUS 0x5 MCGCAP 0x100010a");
    LINES(&f->t, "dom0 kernel records", "(none)");
    LINES(&f->t, "dom0 kernel lines", "Memory failure: 0: recovery action for poisoned page: Recovered (1)");
    teardown(f);
}

static void test_render_empty_xen_run(void **state)
{
    (void)state;
    struct fixture *f = setup(case_yaml);
    transcript_render(&f->r, ORC_XEN_417, "unit test", &f->t);
    LINES(&f->t, "xen console", "(nothing)");
    LINES(&f->t, "vmce msr trace", "(none)");
    LINES(&f->t, "xen free heap pages", "none fewer");
    LINES(&f->t, "dom0 /dev/mcelog records", "(none)");
    LINES(&f->t, "dom0 kernel lines", "(none)");
    teardown(f);
}

static void test_render_outcomes(void **state)
{
    (void)state;
    struct fixture *f = setup(case_yaml);
    /* Xen's panic: the lines after "Panic on CPU n:" up to the stars;
     * one before the injection is not the case's. */
    line(f, RR_CONSOLE, 0, "Panic on CPU 0:");
    line(f, RR_CONSOLE, 0, "boot trouble");
    line(f, RR_CONSOLE, 0, "****************************************");
    line(f, RR_CONSOLE, 2 * S, "Panic on CPU 1:");
    line(f, RR_CONSOLE, 2 * S, "HARDWARE ERROR");
    line(f, RR_CONSOLE, 2 * S, "  second line");
    line(f, RR_CONSOLE, 2 * S, "****************************************");
    f->r.hosts[0].outcome = SCN_OUT_PANIC;
    snprintf(f->r.hosts[0].reason, sizeof(f->r.hosts[0].reason), "MCE: Fatal error happened on CPUs 1");
    transcript_render(&f->r, ORC_XEN_420, "unit test", &f->t);
    LINES(&f->t, "outcome", "panic: HARDWARE ERROR second line");
    LINES(&f->t, "xen free heap pages", "(no second dump: Xen did not answer the debug key)");
    ts_free(&f->t);
    teardown(f);

    f = setup(case_yaml); /* dom0's kernel panics, the host runs on */
    line(f, RR_GUEST_LOG, 2 * S, "dom0: Kernel panic - not syncing: Fatal machine check");
    transcript_render(&f->r, ORC_XEN_420, "unit test", &f->t);
    LINES(&f->t, "outcome", "panic: dom0: Fatal machine check");
    ts_free(&f->t);
    transcript_render(&f->r, ORC_LINUX, "unit test", &f->t); /* the bare kernel's */
    LINES(&f->t, "outcome", "panic: Fatal machine check");
    assert_null(ts_find(&f->t, "xen console"));
    assert_non_null(ts_find(&f->t, "linux kernel records"));
    teardown(f);

    f = setup(case_yaml);
    f->r.hosts[0].outcome = SCN_OUT_SHUTDOWN;
    snprintf(f->r.hosts[0].reason, sizeof(f->r.hosts[0].reason), "CPU 0: #MC while MCG_STATUS.MCIP=1");
    transcript_render(&f->r, ORC_XEN_420, "unit test", &f->t);
    LINES(&f->t, "outcome", "shutdown (CPU 0: #MC while MCG_STATUS.MCIP=1)");
    teardown(f);
}

static void test_kernel_records_from_log(void **state)
{
    (void)state;
    struct fixture *f = setup(case_yaml);
    uint64_t t = 2 * S;
    /* The guest model's record lines (guests/linux_guest.c log_record), of
     * domain 0 from the start on; other lines, domains and times are not
     * records. */
    line(f, RR_GUEST_LOG, t,
         "dom0: mce: [Hardware Error]: CPU 0: Machine Check Exception: 5 Bank 1: bd000000000000cf ADDR 2834e000 "
         "MISC 86");
    line(f, RR_GUEST_LOG, t, "dom0: mce: [Hardware Error]: bank 1 status 0xbd000000000000cf");
    line(f, RR_GUEST_LOG, t,
         "dom1: mce: [Hardware Error]: CPU 0: Machine Check Exception: 5 Bank 1: bd000000000000cf ADDR 1000 MISC 0");
    line(f, RR_GUEST_LOG, 1,
         "dom0: mce: [Hardware Error]: CPU 1: Machine Check Exception: 5 Bank 2: bd000000000000cf ADDR 1000 MISC 0");
    line(f, RR_GUEST_LOG, t,
         "dom0: mce: [Hardware Error]: CPU 1: Machine Check Exception: 1 Bank 1: be00000000000000 ADDR 0 MISC 0");
    struct ts_lines out = {0};
    assert_int_equal(kernel_records(&f->r, 0, 1 * S, &out), 2);
    assert_string_equal(out.v[0], "CPU 0 BANK 1 STATUS 0xbd000000000000cf ADDR 0x2834e000 MISC 0x86 MCGSTATUS 0x5");
    assert_string_equal(out.v[1], "CPU 1 BANK 1 STATUS 0xbe00000000000000 ADDR 0x0 MISC 0x0 MCGSTATUS 0x1");
    ts_lines_free(&out);
    assert_int_equal(kernel_records(&f->r, 1, 1 * S, &out), 1);
    ts_lines_free(&out);
    teardown(f);
}

static void test_qemu_commands(void **state)
{
    (void)state;
    /* Two targets at one time cannot be one mce command; an event other
     * than inject is none; no event at all sends nothing. */
    struct fixture *f = setup("name: c\nplatform: {hosts: [{cpus: 2, banks: 10}]}\n"
                              "events:\n"
                              "  - {at: 2s, inject: {cpu: 0, bank: 1, status: 0xBE00000000000000, mcg_status: 0x5}}\n"
                              "  - {at: 2s, inject: {cpu: 1, bank: 1, status: 0xBE00000000000000, mcg_status: 0x5}}\n"
                              "  - {at: 1s, context: {cpu: 0, context: idle}}\n");
    struct ts_lines out = {0};
    assert_int_equal(qemu_commands(&f->s, &out), 2);
    assert_string_equal(out.v[0], "(events at 1000000000000 ps: not only inject events: no QEMU command)");
    assert_string_equal(out.v[1], "(events at 2000000000000 ps: 2 targets and 0 bystanders: not one QEMU mce command)");
    assert_int_equal(qemu_first_inject_ps(&f->s), 2 * S);
    ts_lines_free(&out);
    teardown(f);
    f = setup("name: c\nplatform: {hosts: [{cpus: 2, banks: 10}]}\n");
    assert_int_equal(qemu_commands(&f->s, &out), 0);
    assert_string_equal(out.v[0], "(none sent)");
    assert_true(qemu_first_inject_ps(&f->s) == SCN_TIME_FOREVER);
    ts_lines_free(&out);
    teardown(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_write_roundtrip),
        cmocka_unit_test(test_parse_refuses),
        cmocka_unit_test(test_render_xen_run),
        cmocka_unit_test(test_render_empty_xen_run),
        cmocka_unit_test(test_render_outcomes),
        cmocka_unit_test(test_kernel_records_from_log),
        cmocka_unit_test(test_qemu_commands),
    };
    return cmocka_run_group_tests_name("transcript", tests, NULL, NULL);
}
