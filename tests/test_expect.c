/*
 * test_expect.c - sim/results/expect.c against run results built by hand: the
 * checks of expect.migration (outcome, reason, exact counts, lower
 * bounds, the MCE case, a missing migration, outcome none) and which
 * instance of a domain expect.domains means once a migration has left it
 * on two hosts, and record patterns (record-level keys, bank-level keys
 * matched by some bank, banks: matched exactly). Each failure names the
 * expectation's position.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
/* cmocka's mock-parameter macro of the same name would hide ours. */
#undef expect_check

#include "sim/results/expect.h"
#include "sim/results/run_result.h"
#include "sim/scenario/scenario.h"

/* Two hosts with a dom0 each; dom3 and dom4 migrate from a to b. The
 * expect: block starts at line 8, its first key's value on line 9. */
#define HEAD                                                                  \
    "name: t\n"                                                               \
    "platform:\n"                                                             \
    "  hosts: [{name: a}, {name: b}]\n"                                       \
    "domains: [{id: 0}, {id: 0, host: b}, {id: 3, type: hvm}, {id: 4}]\n"     \
    "events:\n"                                                               \
    "  - {at: 1ms, migrate: {domain: 3, to: b}}\n"                            \
    "  - {at: 1ms, migrate: {domain: 4, to: b}}\n"                            \
    "expect:\n"

struct fixture {
    struct scenario s;
    struct run_result r;
    struct expect_report rep;
};

static struct fixture *setup(const char *expect)
{
    struct fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    char yaml[2048];
    snprintf(yaml, sizeof(yaml), "%s%s", HEAD, expect);
    struct scn_error e;
    if (scenario_load_string("t.yaml", yaml, &f->s, &e) != 0)
        scn_error_print(&e, stderr);
    assert_int_equal(f->s.nhosts, 2);
    rr_init(&f->r, &f->s, 2);
    snprintf(f->r.hosts[0].name, sizeof(f->r.hosts[0].name), "a");
    snprintf(f->r.hosts[1].name, sizeof(f->r.hosts[1].name), "b");
    return f;
}

static void teardown(struct fixture *f)
{
    expect_report_free(&f->rep);
    rr_free(&f->r);
    scenario_free(&f->s);
    free(f);
}

/* dom3 after a migration: dying on the source, running on the target. */
static void add_migrated_domain(struct run_result *r)
{
    for (unsigned h = 0; h < 2; h++) {
        r->hosts[h].domains = calloc(1, sizeof(struct rr_domain));
        assert_non_null(r->hosts[h].domains);
        r->hosts[h].ndomains = 1;
        r->hosts[h].domains[0].id = 3;
    }
    r->hosts[0].domains[0].state = DOM_DYING;
    snprintf(r->hosts[0].domains[0].reason, sizeof(r->hosts[0].domains[0].reason), "migrated to b");
    r->hosts[1].domains[0].state = DOM_RUNNING;
    r->hosts[1].domains[0].pages_retired = 1;
}

static struct rr_migration *add_migration(struct run_result *r, unsigned domain, enum scn_mig_outcome o)
{
    struct rr_migration *m = rr_add_migration(r);
    m->domain = domain;
    m->from = 0;
    m->to = 1;
    m->outcome = o;
    return m;
}

static void check(struct fixture *f) { expect_check(&f->s, &f->r, &f->rep); }

static void assert_failure(const struct fixture *f, unsigned i, const char *msg, unsigned line, unsigned col)
{
    assert_true(i < f->rep.n);
    if (strcmp(f->rep.v[i].msg, msg) != 0)
        fprintf(stderr, "got: %s\n", f->rep.v[i].msg);
    assert_string_equal(f->rep.v[i].msg, msg);
    assert_int_equal(f->rep.v[i].loc.line, line);
    assert_int_equal(f->rep.v[i].loc.col, col);
}

#define FULL                                                                               \
    "  migration: {domain: 3, outcome: data_loss, reason: lost, pages_lost: 1, needless_broken: 0,\n" \
    "              broken_on_target: 2, rechecks_min: 1, iterations_min: 3, case: B.I}\n"

/* What FULL checks: reason, lost, needless, broken on target, rechecks,
 * iterations, case. */
static void fill(struct rr_migration *m, const char *reason, uint64_t lost, uint64_t needless, uint64_t broken,
                 unsigned rechecks, unsigned iterations, const char *mce_case)
{
    snprintf(m->reason, sizeof(m->reason), "%s", reason);
    m->pages_lost = lost;
    m->needless_broken = needless;
    m->broken_on_target = broken;
    m->rechecks = rechecks;
    m->iterations = iterations;
    snprintf(m->mce_case, sizeof(m->mce_case), "%s", mce_case);
}

static void test_migration_pass(void **state)
{
    (void)state;
    struct fixture *f = setup(FULL);
    add_migration(&f->r, 4, SCN_MIGO_SUCCESS); /* not the one expected */
    fill(add_migration(&f->r, 3, SCN_MIGO_DATA_LOSS), "1 page lost (gfn 0x12)", 1, 0, 2, 2, 3, "B.I");
    check(f);
    assert_int_equal(f->rep.n, 0);
    assert_int_equal(f->rep.checked, 8); /* ran, reason, 3 counts, 2 bounds, case */
    teardown(f);
}

static void test_migration_mismatches(void **state)
{
    (void)state;
    struct fixture *f = setup(FULL);
    fill(add_migration(&f->r, 3, SCN_MIGO_ABORTED), "vMCE during migration", 2, 1, 0, 0, 1, "B.II");
    check(f);
    static const char *const want[] = {
        "migration of dom3: aborted, expected data_loss (reason: vMCE during migration)",
        "migration of dom3: reason \"vMCE during migration\" does not contain \"lost\"",
        "migration of dom3 pages lost: 2, expected 1",
        "migration of dom3 pages needlessly broken: 1, expected 0",
        "migration of dom3 pages broken on the target: 0, expected 2",
        "migration of dom3 type rechecks: 0, fewer than 1",
        "migration of dom3 iterations: 1, fewer than 3",
        "migration of dom3: first MCE on its pages in case B.II, expected B.I",
    };
    assert_int_equal(f->rep.n, sizeof(want) / sizeof(want[0]));
    for (unsigned i = 0; i < f->rep.n; i++)
        assert_failure(f, i, want[i], 9, 14); /* all at the expect.migration mapping */
    teardown(f);
}

/* No entry for the domain (or none at all) when one is expected. */
static void test_migration_missing(void **state)
{
    (void)state;
    struct fixture *f = setup("  migration: {domain: 3, outcome: success}\n");
    add_migration(&f->r, 4, SCN_MIGO_SUCCESS);
    check(f);
    assert_int_equal(f->rep.n, 1);
    assert_failure(f, 0, "no migration of dom3 ran, expected success", 9, 14);
    teardown(f);
    f = setup("  migration: {pages_lost: 0}\n");
    check(f);
    assert_failure(f, 0, "no migration ran, expected one", 9, 14);
    teardown(f);
}

/* Without domain: the first migration. none: no migration ran. */
static void test_migration_first_and_none(void **state)
{
    (void)state;
    struct fixture *f = setup("  migration: {outcome: refused, case: none}\n");
    add_migration(&f->r, 4, SCN_MIGO_REFUSED);
    add_migration(&f->r, 3, SCN_MIGO_SUCCESS);
    check(f);
    assert_int_equal(f->rep.n, 0); /* dom4's; its mce_case "" is none */
    assert_int_equal(f->rep.checked, 2);
    teardown(f);
    f = setup("  migration: {domain: 3, outcome: none}\n");
    add_migration(&f->r, 4, SCN_MIGO_SUCCESS);
    add_migration(&f->r, 3, SCN_MIGO_NONE); /* an entry that never started counts as none */
    check(f);
    assert_int_equal(f->rep.n, 0);
    teardown(f);
    f = setup("  migration: {outcome: none}\n");
    snprintf(add_migration(&f->r, 4, SCN_MIGO_ABORTED)->reason, 192, "vMCE");
    check(f);
    assert_int_equal(f->rep.n, 1);
    assert_failure(f, 0, "migration of dom4: aborted, expected none (reason: vMCE)", 9, 14);
    teardown(f);
}

/* Without host: the instance that is not dying; with host: that host's. */
static void test_domain_instances(void **state)
{
    (void)state;
    struct fixture *f = setup("  domains:\n"
                              "    - {id: 3, state: running, pages_retired: 1}\n"  /* 10 */
                              "    - {id: 3, host: a, state: dying, reason: migrated}\n"
                              "    - {id: 3, host: b, state: running}\n"
                              "    - {id: 3, host: a, state: running}\n"          /* 13 */
                              "    - {id: 0, host: b}\n");                        /* 14 */
    add_migrated_domain(&f->r);
    check(f);
    assert_int_equal(f->rep.n, 2);
    assert_failure(f, 0, "dom3: dying, expected running (reason: migrated to b)", 13, 7);
    assert_failure(f, 1, "dom0 did not run on host b", 14, 7);
    teardown(f);
    /* all dying: the first found */
    f = setup("  domains: [{id: 3, state: running}]\n");
    add_migrated_domain(&f->r);
    f->r.hosts[1].domains[0].state = DOM_DYING;
    snprintf(f->r.hosts[1].domains[0].reason, sizeof(f->r.hosts[1].domains[0].reason), "crashed on b");
    check(f);
    assert_failure(f, 0, "dom3: dying, expected running (reason: migrated to b)", 9, 13);
    teardown(f);
}

/* A committed record of CPU 1 on host a: bank 2 corrected, bank 7 SRAO
 * (rule "r7", page of dom3 at gfn 5). */
static void add_two_bank_record(struct run_result *r)
{
    struct rr_record *x = rr_add_record(r, NULL);
    x->committed = true;
    x->rec->seq = 1;
    x->rec->cpu = 1;
    x->rec->cls = MCA_REC_SRAO;
    x->rec->result = MCA_RES_CONTINUE;
    x->rec->mcg_status = 0x5;
    x->rec->nbanks = 2;
    x->rec->bank[0] = (struct mca_bank_entry){.bank = 2, .cls = MCA_REC_CORRECTED, .domid = 0xFFFF};
    x->rec->bank[1] = (struct mca_bank_entry){.bank = 7, .cls = MCA_REC_SRAO, .domid = 3, .addr = 0x5000,
                                             .gaddr = 0x5000, .action = MCA_ACT_VMCE};
    snprintf(x->rec->bank[1].rule, sizeof(x->rec->bank[1].rule), "r7");
}

/* Record-level keys against the record, bank-level keys against any of
 * its banks, banks: against all of them in order. */
static void test_record_banks_pass(void **state)
{
    (void)state;
    struct fixture *f = setup("  records:\n"
                              "    - {cpu: 1, class: srao, result: continue, mcg_status: 0x5, bank: 7, rule: r7,\n"
                              "       domain: 3, addr: 0x5000, gaddr: 0x5000, action: vmce, incomplete: false}\n");
    add_two_bank_record(&f->r);
    check(f);
    assert_int_equal(f->rep.n, 0);
    teardown(f);
    f = setup("  records: [{banks: [{bank: 2, class: corrected, domain: 65535}, {bank: 7, rule: r7}]}]\n");
    add_two_bank_record(&f->r);
    check(f);
    assert_int_equal(f->rep.n, 0);
    teardown(f);
}

static void test_record_banks_mismatch(void **state)
{
    (void)state;
    static const struct {
        const char *expect, *msg;
    } cases[] = {
        /* class on a record is the worst of its banks, not any bank's */
        {"  records: [{class: corrected}]\n", "record 1: class srao (CPU 1, banks 2,7)"},
        /* bank-level keys must hold together in one bank */
        {"  records: [{bank: 2, rule: r7}]\n",
         "record 1: no bank matches (bank 2 rule \"\") (CPU 1, banks 2,7)"},
        /* banks: is exact, in order */
        {"  records: [{banks: [{bank: 2}]}]\n", "record 1: 2 bank(s), 1 expected (CPU 1, banks 2,7)"},
        {"  records: [{banks: [{bank: 7}, {bank: 2}]}]\n", "record 1: bank 2 (CPU 1, banks 2,7)"},
        {"  records: [{incomplete: true}]\n", "record 1: complete (CPU 1, banks 2,7)"},
        /* addr: the bank's MCi_ADDR as committed */
        {"  records: [{addr: 0x7000}]\n", "record 1: no bank matches (bank 2 addr 0) (CPU 1, banks 2,7)"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fixture *f = setup(cases[i].expect);
        add_two_bank_record(&f->r);
        check(f);
        assert_int_equal(f->rep.n, 1);
        assert_failure(f, 0, cases[i].msg, 9, 13);
        teardown(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migration_pass),
        cmocka_unit_test(test_migration_mismatches),
        cmocka_unit_test(test_migration_missing),
        cmocka_unit_test(test_migration_first_and_none),
        cmocka_unit_test(test_domain_instances),
        cmocka_unit_test(test_record_banks_pass),
        cmocka_unit_test(test_record_banks_mismatch),
    };
    return cmocka_run_group_tests_name("expect", tests, NULL, NULL);
}
