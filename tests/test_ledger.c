/*
 * test_ledger.c - sim/results/ledger.c fed by hand: the fate of an error
 * under each latch kind of the SDM overwrite rules (Vol. 3B 15.10.4.1) and
 * through the hypervisor's stages (graded, ignored, dropped, logged, lost
 * in a clear), the stage stamps of one error from latch to dom0's ack,
 * stamps that predate the latch, banks that CPUs share, and bounded
 * results (rr_set_bounded: a long run of CMCI rounds folded into counts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86_mca.h"
#include "sim/results/ledger.h"

#define UC_SRAO 0xBD000000004000CFull
#define CE 0x9C00000000000080ull

struct fx {
    struct scenario s;
    struct run_result rr;
    struct ledger l;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    rr_init(&f->rr, &f->s, 1);
    /* 4 CPUs; bank 8 is shared by all of them (lives at CPU 0) */
    assert_int_equal(ledger_init(&f->l, &f->rr, 0, 4, 1u << 8), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    ledger_fini(&f->l);
    rr_free(&f->rr);
    free(f);
    return 0;
}

/* An hv stage on cpu/bank at t, about record rec (or none). */
static void ev(struct fx *f, uint64_t t, enum trace_stage st, int cpu, int bank, uint64_t seq,
               const char *detail, const struct mca_record *rec)
{
    struct rr_event e = {.t_ps = t, .host = 0, .cpu = cpu, .stage = st, .bank = bank,
                         .seq = seq, .detail = detail, .rec = rec};
    ledger_event(&f->l, &e);
}

static enum rr_fate fate(struct fx *f, int i) { return f->rr.errors[i].fate; }

/* A record of CPU cpu holding the given banks (status, class). */
static struct mca_record record(uint64_t seq, unsigned cpu, unsigned n, const unsigned *bank,
                                uint64_t status, unsigned cls)
{
    struct mca_record r = {.seq = seq, .cpu = cpu, .cls = cls, .nbanks = n};
    for (unsigned i = 0; i < n; i++)
        r.bank[i] = (struct mca_bank_entry){.bank = bank[i], .status = status, .cls = cls,
                                            .domid = 0xFFFF};
    return r;
}

static void test_latch_kinds(void **state)
{
    struct fx *f = *state;
    int a = ledger_latch(&f->l, 0, 1, CE, 0, CPU_LATCH_LOGGED, FOUND_INJECTED, 10);
    assert_int_equal(a, 0);
    assert_int_equal(f->rr.errors[a].id, 1);
    assert_int_equal(f->rr.errors[a].cls, -1);
    assert_int_equal(fate(f, a), FATE_IN_BANK);
    /* a CE on the logged CE is merged into its count: counted, no entry */
    int b = ledger_latch(&f->l, 0, 1, CE, CE, CPU_LATCH_CE_COUNTED, FOUND_SCRUB, 20);
    assert_int_equal(b, -1);
    assert_true(f->l.counted == 1 && f->rr.n_errors == 1);
    /* a UC replaces the CE: the CE is overwritten */
    int c = ledger_latch(&f->l, 0, 1, UC_SRAO, CE, CPU_LATCH_REPLACED, FOUND_INJECTED, 30);
    assert_int_equal(fate(f, a), FATE_OVERWRITTEN);
    assert_int_equal(fate(f, c), FATE_IN_BANK);
    /* anything over the UC is lost: counted, no entry */
    int d = ledger_latch(&f->l, 0, 1, UC_SRAO, UC_SRAO, CPU_LATCH_OVERFLOW, FOUND_INJECTED, 40);
    assert_int_equal(d, -1);
    assert_true(f->l.overflowed == 1);
    assert_int_equal(fate(f, c), FATE_IN_BANK);
    /* a bank that does not exist latched nothing */
    int e = ledger_latch(&f->l, 0, 40, UC_SRAO, 0, CPU_LATCH_BAD_BANK, FOUND_INJECTED, 50);
    assert_int_equal(fate(f, e), FATE_REJECTED);
    assert_int_equal(f->rr.n_errors, 3);
    assert_int_equal(f->rr.errors[e].times.t[ES_LATCHED], 50);
}

static void test_masked_follows_overwrite_rules(void **state)
{
    struct fx *f = *state;
    int a = ledger_latch(&f->l, 1, 2, CE, 0, CPU_LATCH_MASKED, FOUND_INJECTED, 1);
    int b = ledger_latch(&f->l, 1, 2, UC_SRAO, CE, CPU_LATCH_MASKED, FOUND_INJECTED, 2);
    int c = ledger_latch(&f->l, 1, 2, CE, UC_SRAO, CPU_LATCH_MASKED, FOUND_INJECTED, 3);
    assert_int_equal(fate(f, a), FATE_OVERWRITTEN);
    assert_int_equal(fate(f, b), FATE_IN_BANK);
    assert_int_equal(fate(f, c), FATE_OVERWRITTEN);
    /* b is the occupant: clearing the bank ungraded loses it */
    ledger_cleared(&f->l, 1, 2);
    assert_int_equal(fate(f, b), FATE_LOST);
}

/* One SRAO from latch to ack through an #MC round: every stamp, the
 * record copied at commit, delivered at ack. */
static void test_mc_round_stamps_and_record(void **state)
{
    struct fx *f = *state;
    int e = ledger_latch(&f->l, 2, 3, UC_SRAO, 0, CPU_LATCH_LOGGED, FOUND_INJECTED, 1000);
    ledger_stamp(&f->l, e, ES_RAISED, 1000);
    ev(f, 1100, TS_HANDLER_ENTRY, 2, -1, 0, NULL, NULL);
    ev(f, 1200, TS_RENDEZVOUS_IN, 2, -1, 0, "entry", NULL);
    ev(f, 1300, TS_RENDEZVOUS_OUT, 2, -1, 0, "entry", NULL);
    ev(f, 1350, TS_RENDEZVOUS_IN, 2, -1, 0, "exit", NULL); /* not the entry phase */
    ev(f, 1400, TS_BANK_LOGOUT, 2, 3, 0, NULL, NULL);
    struct mca_record rec = record(7, 2, 1, (const unsigned[]){3}, UC_SRAO, MCA_REC_SRAO);
    ev(f, 1500, TS_SEVERITY, 2, 3, 7, "rule", &rec);
    assert_int_equal(fate(f, e), FATE_PENDING);
    assert_int_equal(f->rr.errors[e].cls, MCA_REC_SRAO);
    assert_int_equal(f->rr.errors[e].seq, 7);
    ledger_cleared(&f->l, 2, 3); /* graded: clearing loses nothing */
    assert_int_equal(fate(f, e), FATE_PENDING);
    ev(f, 1600, TS_MCIP_CLEARED, 2, -1, 0, NULL, NULL);
    rec.result = MCA_RES_RECOVERED;
    ev(f, 1700, TS_TELEM_COMMIT, 2, 3, 7, NULL, &rec);
    assert_int_equal(fate(f, e), FATE_LOGGED);
    assert_int_equal(f->rr.n_records, 1);
    assert_true(f->rr.records[0].committed);
    assert_false(f->rr.records[0].delivered);
    assert_int_equal(f->rr.records[0].rec->result, MCA_RES_RECOVERED);
    ev(f, 1800, TS_VIRQ_DOM0, 0, -1, 0, NULL, NULL);
    assert_false(f->rr.records[0].fetched);
    ev(f, 1900, TS_FETCH, 0, -1, 7, NULL, NULL);
    ev(f, 1950, TS_FETCH, 0, -1, 7, NULL, NULL); /* fetched again: the first fetch counts */
    assert_true(f->rr.records[0].fetched);
    assert_int_equal(f->rr.records[0].fetched_ps, 1900);
    ledger_acked(&f->l, 7, 2000);
    assert_true(f->rr.records[0].delivered);

    const struct err_times *t = &f->rr.errors[e].times;
    static const uint64_t want[ES__COUNT] = {
        [ES_LATCHED] = 1000, [ES_RAISED] = 1000, [ES_ENTRY] = 1100,     [ES_RDV_IN] = 1200,
        [ES_RDV_OUT] = 1300, [ES_LOGOUT] = 1400, [ES_GRADED] = 1500,    [ES_MCIP] = 1600,
        [ES_COMMITTED] = 1700, [ES_VIRQ] = 1800, [ES_FETCHED] = 1900,   [ES_ACKED] = 2000,
    };
    for (unsigned s = 0; s < ES__COUNT; s++) {
        assert_true(err_has(t, (enum err_stage)s));
        assert_int_equal(t->t[s], want[s]);
    }
    uint64_t ps;
    assert_true(lat_stage_ps(t, LS_RENDEZVOUS, &ps));
    assert_int_equal(ps, 100);
    assert_true(lat_stage_ps(t, LS_END_TO_END, &ps));
    assert_int_equal(ps, 1000);
}

/* One record holds two banks of CPU 2 (Xen's mc_info of one logout):
 * each severity event names its bank, the commit logs both errors, and
 * fetch and ack stamp both. */
static void test_two_banks_one_record(void **state)
{
    struct fx *f = *state;
    int a = ledger_latch(&f->l, 2, 3, UC_SRAO, 0, CPU_LATCH_LOGGED, FOUND_INJECTED, 100);
    int b = ledger_latch(&f->l, 2, 5, CE, 0, CPU_LATCH_LOGGED, FOUND_INJECTED, 110);
    int c = ledger_latch(&f->l, 1, 3, CE, 0, CPU_LATCH_LOGGED, FOUND_INJECTED, 120); /* not read */
    ev(f, 200, TS_HANDLER_ENTRY, 2, -1, 0, NULL, NULL);
    ev(f, 210, TS_BANK_LOGOUT, 2, 3, 0, NULL, NULL);
    struct mca_record rec = record(9, 2, 2, (const unsigned[]){3, 5}, UC_SRAO, MCA_REC_SRAO);
    rec.bank[1].status = CE;
    rec.bank[1].cls = MCA_REC_CORRECTED;
    ev(f, 220, TS_SEVERITY, 2, 3, 9, "srao", &rec);
    ev(f, 230, TS_BANK_LOGOUT, 2, 5, 0, NULL, NULL);
    ev(f, 240, TS_SEVERITY, 2, 5, 9, "ce", &rec);
    assert_int_equal(f->rr.errors[a].cls, MCA_REC_SRAO);
    assert_int_equal(f->rr.errors[b].cls, MCA_REC_CORRECTED);
    assert_int_equal(f->rr.errors[a].times.t[ES_GRADED], 220);
    assert_int_equal(f->rr.errors[b].times.t[ES_GRADED], 240);
    assert_int_equal(fate(f, a), FATE_PENDING);
    assert_int_equal(fate(f, b), FATE_PENDING);
    ev(f, 300, TS_TELEM_COMMIT, 2, -1, 9, NULL, &rec);
    assert_int_equal(fate(f, a), FATE_LOGGED);
    assert_int_equal(fate(f, b), FATE_LOGGED);
    assert_int_equal(fate(f, c), FATE_IN_BANK);
    assert_int_equal(f->rr.n_records, 1);
    assert_int_equal(f->rr.records[0].rec->nbanks, 2);
    ev(f, 400, TS_VIRQ_DOM0, 0, -1, 0, NULL, NULL);
    ev(f, 500, TS_FETCH, 0, -1, 9, NULL, NULL);
    ledger_acked(&f->l, 9, 600);
    for (int e = a; e <= b; e++) {
        const struct err_times *t = &f->rr.errors[e].times;
        assert_int_equal(t->t[ES_COMMITTED], 300);
        assert_int_equal(t->t[ES_VIRQ], 400);
        assert_int_equal(t->t[ES_FETCHED], 500);
        assert_int_equal(t->t[ES_ACKED], 600);
    }
    assert_false(err_has(&f->rr.errors[c].times, ES_COMMITTED));
}

/* A poll round: no rendezvous, no MCIP; an entry before the latch is
 * not this error's entry. */
static void test_poll_round_and_stale_entry(void **state)
{
    struct fx *f = *state;
    ev(f, 500, TS_POLL, 1, -1, 0, NULL, NULL);
    int e = ledger_latch(&f->l, 1, 4, CE, 0, CPU_LATCH_LOGGED, FOUND_INJECTED, 600);
    ev(f, 700, TS_BANK_LOGOUT, 1, 4, 0, NULL, NULL);
    const struct err_times *t = &f->rr.errors[e].times;
    assert_false(err_has(t, ES_ENTRY));
    assert_true(err_has(t, ES_LOGOUT));
    ev(f, 800, TS_POLL, 1, -1, 0, NULL, NULL);
    ev(f, 900, TS_BANK_LOGOUT, 1, 4, 0, NULL, NULL);
    assert_int_equal(t->t[ES_LOGOUT], 700); /* first read out only */
    ev(f, 950, TS_MCIP_CLEARED, 1, -1, 0, NULL, NULL);
    assert_false(err_has(t, ES_MCIP));
}

static void test_ignored_and_dropped(void **state)
{
    struct fx *f = *state;
    int a = ledger_latch(&f->l, 0, 5, CE, 0, CPU_LATCH_LOGGED, FOUND_INJECTED, 1);
    ev(f, 2, TS_BANK_LOGOUT, 0, 5, 0, NULL, NULL);
    ev(f, 3, TS_SEVERITY, 0, 5, 0, "not enabled", NULL);
    assert_int_equal(fate(f, a), FATE_IGNORED);
    int b = ledger_latch(&f->l, 0, 6, UC_SRAO, 0, CPU_LATCH_LOGGED, FOUND_INJECTED, 4);
    ev(f, 5, TS_BANK_LOGOUT, 0, 6, 0, NULL, NULL);
    ev(f, 6, TS_TELEM_DROP, 0, 6, 0, "urgent", NULL);
    assert_int_equal(fate(f, b), FATE_DROPPED);
    assert_int_equal(f->rr.n_records, 0);
}

/* Bank 8 is one register set at CPU 0: CPU 3's logout of it reads the
 * error latched there, and CPU 3's round stamps it. */
static void test_shared_bank(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ledger_bank_home(&f->l, 3, 8), 0);
    assert_int_equal(ledger_bank_home(&f->l, 3, 7), 3);
    int e = ledger_latch(&f->l, 0, 8, CE, 0, CPU_LATCH_LOGGED, FOUND_INJECTED, 10);
    ev(f, 20, TS_CMCI_ENTRY, 3, -1, 0, NULL, NULL);
    ev(f, 30, TS_BANK_LOGOUT, 3, 8, 0, NULL, NULL);
    struct mca_record rec = record(1, 3, 1, (const unsigned[]){8}, CE, MCA_REC_CORRECTED);
    ev(f, 40, TS_SEVERITY, 3, 8, 1, "rule", &rec);
    ev(f, 50, TS_TELEM_COMMIT, 3, 8, 1, NULL, &rec);
    assert_int_equal(fate(f, e), FATE_LOGGED);
    assert_int_equal(f->rr.errors[e].times.t[ES_ENTRY], 20);
    assert_int_equal(f->rr.errors[e].cls, MCA_REC_CORRECTED);
    /* a software clear of bank 8 from any CPU reaches the home slot */
    int g = ledger_latch(&f->l, 0, 8, CE, 0, CPU_LATCH_LOGGED, FOUND_INJECTED, 60);
    ledger_cleared(&f->l, ledger_bank_home(&f->l, 2, 8), 8);
    assert_int_equal(fate(f, g), FATE_LOST);
}

/* Bank 2 is one register set per core of two threads (on the core's
 * first thread); a bank cannot be both the package's and a core's. */
static void test_core_banks(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ledger_set_core_banks(&f->l, 1u << 8, 2), -1);
    assert_int_equal(ledger_set_core_banks(&f->l, 1u << 2, 0), -1);
    assert_int_equal(ledger_set_core_banks(&f->l, 1u << 2, 2), 0);
    assert_int_equal(ledger_bank_home(&f->l, 3, 2), 2);
    assert_int_equal(ledger_bank_home(&f->l, 2, 2), 2);
    assert_int_equal(ledger_bank_home(&f->l, 1, 2), 0);
    assert_int_equal(ledger_bank_home(&f->l, 3, 8), 0);
    assert_int_equal(ledger_bank_home(&f->l, 3, 7), 3);
}

/* Events that are not the hypervisor's, or name no CPU, change nothing. */
static void test_foreign_events_ignored(void **state)
{
    struct fx *f = *state;
    int e = ledger_latch(&f->l, 0, 1, CE, 0, CPU_LATCH_LOGGED, FOUND_INJECTED, 1);
    ev(f, 2, TS_GUEST_ACCESS, 0, 1, 0, NULL, NULL);
    ev(f, 3, TS_BANK_LOGOUT, -1, 1, 0, NULL, NULL);
    ev(f, 4, TS_BANK_LOGOUT, 9, 1, 0, NULL, NULL);
    assert_false(err_has(&f->rr.errors[e].times, ES_LOGOUT));
    ledger_acked(&f->l, 99, 5); /* unknown record */
    assert_int_equal(fate(f, e), FATE_IN_BANK);
}

/* Bounded results: 3,000 CMCI rounds, each a CE logged, committed,
 * fetched and acked. Records past the first are folded at their ack,
 * settled errors in sweeps; the counts are those of every round, and what
 * stays live is bounded. */
static void test_bounded_rounds(void **state)
{
    struct fx *f = *state;
    rr_set_bounded(&f->rr, 1);
    unsigned max_live = 0;
    for (uint64_t seq = 1; seq <= 3000; seq++) {
        uint64_t t = seq * 1000;
        int e = ledger_latch(&f->l, 0, 1, CE, 0, CPU_LATCH_LOGGED, FOUND_SCRUB, t);
        assert_true(e >= 0);
        ev(f, t + 10, TS_CMCI_ENTRY, 0, -1, 0, NULL, NULL);
        ev(f, t + 20, TS_BANK_LOGOUT, 0, 1, 0, NULL, NULL);
        struct mca_record rec = record(seq, 0, 1, (const unsigned[]){1}, CE, MCA_REC_CORRECTED);
        ev(f, t + 30, TS_SEVERITY, 0, 1, seq, "rule", &rec);
        ledger_cleared(&f->l, 0, 1);
        ev(f, t + 40, TS_TELEM_COMMIT, 0, 1, seq, NULL, &rec);
        ev(f, t + 50, TS_VIRQ_DOM0, 0, -1, 0, NULL, NULL);
        ev(f, t + 60, TS_FETCH, 0, -1, seq, NULL, NULL);
        ledger_acked(&f->l, seq, t + 70);
        unsigned live = f->rr.n_errors - f->rr.summary.n_free_errors;
        max_live = live > max_live ? live : max_live;
    }
    assert_true(max_live <= 1025);
    assert_true(f->rr.n_records <= 2);
    assert_int_equal(f->rr.summary.records, 2999);
    assert_int_equal(f->rr.summary.records_fetched, 2999);
    rr_finish(&f->rr);
    assert_int_equal(rr_records_total(&f->rr), 3000);
    assert_int_equal(f->rr.records[0].rec->seq, 1);
    uint64_t fates[FATE__COUNT];
    rr_errors_by_fate(&f->rr, fates);
    assert_int_equal(rr_errors_total(&f->rr), 3000);
    assert_int_equal(fates[FATE_LOGGED], 3000);
    assert_true(f->rr.summary.errors >= 3000 - 1025);
    assert_int_equal(f->rr.summary.errors_found[FOUND_SCRUB], f->rr.summary.errors);
    /* the kept errors are in latch order, the first one first */
    assert_int_equal(f->rr.errors[0].id, 1);
    for (unsigned i = 1; i < f->rr.n_errors; i++)
        assert_true(f->rr.errors[i].id > f->rr.errors[i - 1].id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_latch_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_masked_follows_overwrite_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mc_round_stamps_and_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_banks_one_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poll_round_and_stale_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ignored_and_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_bank, setup, teardown),
        cmocka_unit_test_setup_teardown(test_core_banks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_events_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bounded_rounds, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
