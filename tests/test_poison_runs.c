/*
 * test_poison_runs.c - poisoned lines kept as runs (models/memctl/
 * poison_runs.h, memctl_poison_run): a controller whose scrub pass over a
 * UC fault is taken as rounds of one finding and a run of folded lines
 * answers every poison query as one whose scrubber found every line one
 * by one; rebases keep the runs' times as they keep per-line times; later
 * passes pass a run in one step and wake once, not per line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "arch/ps_rebase.h"
#include "models/memctl/memctl.h"

#define HOUR SCRUB_PS_PER_HOUR
#define DAY (24 * HOUR)
#define FOLD_K 37u /* lines folded after each finding */

/* 4 banks of 64 rows x 64 columns, x4 SECDED: 2,048 lines, a bank 512. */
static void init_rows(struct memctl *mc, unsigned rows)
{
    struct memctl_config c = memctl_config_default();
    c.geom = (struct mem_geometry){.channels = 1, .dimms_per_channel = 1, .ranks_per_dimm = 1,
                                   .banks_per_rank = 4, .rows = rows, .columns = 64, .device_width = 4,
                                   .ecc_devices = 2};
    c.scrub_period_ps = DAY;
    assert_null(memctl_config_check(&c));
    assert_int_equal(memctl_init(mc, &c), 0);
}

static void init_small(struct memctl *mc) { init_rows(mc, 64); }

/* A permanent fault on two DQs of device 3: a double error in every word
 * SECDED reads there, so every line of it is a DUE. */
static uint64_t add_uc(struct memctl *mc, enum fault_mode mode)
{
    struct mem_fault f = {.mode = mode, .permanent = true, .device = 3, .bank = 2, .row = 9, .column = 16,
                          .dq_mask = 0x3};
    uint64_t id = memctl_add_fault(mc, &f);
    assert_true(id != 0);
    return id;
}

/* The scrubber's pass up to until, line by line: every finding a DUE. */
static uint64_t scrub_all(struct memctl *mc, uint64_t until)
{
    struct memctl_scrub_event ev;
    uint64_t n = 0;
    while (memctl_scrub(mc, until, &ev)) {
        assert_int_equal(ev.outcome, MEMCTL_UNCORRECTABLE);
        n++;
    }
    return n;
}

/* The same pass as a UC fold would take it: a finding (poisoned per line),
 * then the fault's next FOLD_K lines skipped by the walk and poisoned as
 * a run of the pass; repeated. Returns the findings plus the folded. */
static uint64_t scrub_rounds(struct memctl *mc, uint64_t id, uint64_t until)
{
    struct memctl_scrub_event ev;
    struct fault_footprint fp;
    assert_true(fault_map_footprint(&mc->faults, id, &fp));
    uint64_t n = 0;
    while (memctl_scrub(mc, until, &ev)) {
        n++;
        uint64_t line, top, last, last_ps;
        if (!scrub_peek(&mc->scrub, &mc->faults, &line, &top) || top != id)
            continue;
        uint64_t pass = mc->scrub.pass_base + mc->scrub.pass;
        uint64_t k = scrub_fold(&mc->scrub, &mc->faults, id, until, footprint_nth_line(&fp, line, FOLD_K), &last,
                                &last_ps);
        if (k == 0)
            continue;
        assert_int_equal(memctl_poison_run(mc, id, line, last, pass), 0);
        mc->ledger.scrub_visits += k; /* and what the fold counts besides */
        mc->ledger.scrub_found += k;
        mc->ledger.uc += k;
        n += k;
    }
    return n;
}

/* Every poison query of a and b alike, over every line. */
static void assert_same_poison(const struct memctl *a, const struct memctl *b)
{
    uint64_t lines = a->map.lines, poisoned = 0;
    for (uint64_t l = 0; l < lines; l++) {
        uint64_t ta = 1, tb = 2;
        bool pa = memctl_poisoned(a, l << MEM_LINE_SHIFT), pb = memctl_poisoned(b, l << MEM_LINE_SHIFT);
        assert_int_equal(pa, pb);
        assert_int_equal(memctl_poison_time(a, l << MEM_LINE_SHIFT, &ta), pa);
        assert_int_equal(memctl_poison_time(b, l << MEM_LINE_SHIFT, &tb), pb);
        if (pa)
            assert_true(ta == tb);
        poisoned += pa;
    }
    assert_true(memctl_poison_count(a) == poisoned && memctl_poison_count(b) == poisoned);
    static uint64_t la[4096], lb[4096];
    size_t na = memctl_poison_list(a, la, lines), nb = memctl_poison_list(b, lb, lines);
    assert_true(na == poisoned && nb == poisoned);
    assert_memory_equal(la, lb, na * sizeof(*la));
    /* a short list is the smallest lines */
    assert_int_equal(memctl_poison_list(b, lb, 5), poisoned < 5 ? poisoned : 5);
    assert_memory_equal(la, lb, (poisoned < 5 ? poisoned : 5) * sizeof(*la));
}

static void assert_same_read(struct memctl *a, struct memctl *b, uint64_t line, uint64_t now)
{
    struct memctl_read ra, rb;
    assert_int_equal(memctl_read(a, line << MEM_LINE_SHIFT, now, &ra), 0);
    assert_int_equal(memctl_read(b, line << MEM_LINE_SHIFT, now, &rb), 0);
    assert_int_equal(ra.outcome, rb.outcome);
    assert_int_equal(ra.was_poisoned, rb.was_poisoned);
    assert_int_equal(ra.truth, rb.truth);
    assert_int_equal(ra.hw_status, rb.hw_status);
    assert_int_equal(ra.faults, rb.faults);
    assert_true(a->ledger.poison_consumed == b->ledger.poison_consumed);
    assert_true(a->ledger.demand_found == b->ledger.demand_found && a->ledger.uc == b->ledger.uc);
}

/* A pass's findings of a and b alike (time, line, outcome) and the visits
 * they took. */
static void assert_same_pass(struct memctl *a, struct memctl *b, uint64_t until)
{
    uint64_t va = a->ledger.scrub_visits, vb = b->ledger.scrub_visits;
    struct memctl_scrub_event ea, eb;
    for (;;) {
        bool fa = memctl_scrub(a, until, &ea), fb = memctl_scrub(b, until, &eb);
        assert_int_equal(fa, fb);
        if (!fa)
            break;
        assert_true(ea.time_ps == eb.time_ps && ea.addr == eb.addr && ea.status == eb.status);
        assert_int_equal(ea.outcome, eb.outcome);
    }
    assert_true(a->ledger.scrub_visits - va == b->ledger.scrub_visits - vb);
    assert_true(a->ledger.scrub_visits > va);
}

/* Pass 0 line by line (a) and as rounds of a finding and a run (b), for a
 * single-bank, single-row and single-column fault: every query alike,
 * before and after reads, writes and later passes. */
static void check_mode(enum fault_mode mode)
{
    struct memctl a, b;
    init_small(&a);
    init_small(&b);
    uint64_t ida = add_uc(&a, mode), idb = add_uc(&b, mode);
    uint64_t lines = fault_map_footprint_lines(&a.faults, ida);
    assert_true(scrub_all(&a, DAY - 1) == lines);
    assert_true(scrub_rounds(&b, idb, DAY - 1) == lines);
    /* a: each finding joins the pass's run (poison_runs_extend); b: its
     * findings too, and the folds' runs merged with it: one run each */
    assert_true(memctl_poison_count(&a) == lines && a.runs.n == 1 && poison_count(&a.poison) == 0);
    assert_true(b.runs.n == 1 && poison_count(&b.poison) == 0);
    assert_true(a.ledger.scrub_visits == b.ledger.scrub_visits);
    assert_same_poison(&a, &b);
    /* times are the walk's */
    uint64_t l5 = fault_map_nth_line(&b.faults, idb, 0, 5), t;
    assert_true(memctl_poison_time(&b, l5 << MEM_LINE_SHIFT, &t) && t == scrubber_line_time(&b.scrub, 0, l5));

    /* reads: a run line, a per-line one, a clean one */
    uint64_t first = fault_map_nth_line(&a.faults, ida, 0, 0), mid = fault_map_nth_line(&a.faults, ida, 0, lines / 2);
    assert_same_read(&a, &b, first, DAY + 1);
    assert_same_read(&a, &b, mid, DAY + 2);
    assert_same_read(&a, &b, 3, DAY + 3);
    assert_true(b.ledger.poison_consumed == 2);

    /* writes clear (mid: a run line); one is read again (a fresh DUE,
     * poisoned per line), the other waits for the next pass */
    uint64_t other = fault_map_nth_line(&a.faults, ida, 0, lines - 2);
    for (struct memctl *mc = &a; mc; mc = mc == &a ? &b : NULL) {
        memctl_write_line(mc, mid << MEM_LINE_SHIFT, DAY + 4);
        memctl_write_line(mc, other << MEM_LINE_SHIFT, DAY + 4);
        memctl_write_line(mc, 5 << MEM_LINE_SHIFT, DAY + 4); /* clean: nothing cleared */
    }
    assert_true(a.ledger.poison_cleared == 2 && b.ledger.poison_cleared == 2);
    assert_false(memctl_poisoned(&b, mid << MEM_LINE_SHIFT));
    assert_same_poison(&a, &b);
    assert_same_read(&a, &b, mid, DAY + 5);
    assert_true(memctl_poisoned(&b, mid << MEM_LINE_SHIFT));
    assert_true(memctl_poison_time(&b, mid << MEM_LINE_SHIFT, &t) && t == DAY + 5);
    assert_same_poison(&a, &b);

    /* pass 1: only `other` is found again, in both */
    assert_same_pass(&a, &b, 2 * DAY - 1);
    assert_true(memctl_poisoned(&b, other << MEM_LINE_SHIFT));
    assert_true(memctl_poison_time(&b, other << MEM_LINE_SHIFT, &t) && t == scrubber_line_time(&b.scrub, 1, other));
    assert_same_poison(&a, &b);
    assert_same_pass(&a, &b, 3 * DAY - 1);
    assert_same_poison(&a, &b);

    /* the fault goes: its lines stay poisoned (poison is on the data) */
    assert_true(memctl_remove_fault(&a, ida) && memctl_remove_fault(&b, idb));
    assert_same_poison(&a, &b);
    assert_same_read(&a, &b, first + 0, 3 * DAY + 1);
    assert_true(memctl_poison_count(&b) == lines);
    memctl_free(&a);
    memctl_free(&b);
}

/* The walk's finds join a run only where nothing lies between: a line
 * poisoned before by a demand read (another time) is passed, and the
 * fault's lines after it are marks of their own; a fault of one line
 * gets a mark, not a run. Every line's time is still the one it was
 * poisoned at. */
static void test_scrub_finds_join_runs(void **state)
{
    (void)state;
    struct memctl mc;
    init_small(&mc);
    uint64_t id = add_uc(&mc, FAULT_SINGLE_ROW);
    struct mem_fault bit = {.mode = FAULT_SINGLE_WORD, .permanent = true, .device = 5, .bank = 0, .row = 3,
                            .column = 8, .dq_mask = 0x3};
    assert_true(memctl_add_fault(&mc, &bit) != 0);
    assert_true(fault_map_footprint_lines(&mc.faults, 2) == 1);
    uint64_t lines = fault_map_footprint_lines(&mc.faults, id);
    assert_true(lines >= 8);
    uint64_t mid = fault_map_nth_line(&mc.faults, id, 0, lines / 2);
    struct memctl_read r;
    assert_int_equal(memctl_read(&mc, mid << MEM_LINE_SHIFT, 5, &r), 0);
    assert_int_equal(r.outcome, MEMCTL_UNCORRECTABLE);
    assert_true(scrub_all(&mc, DAY - 1) == lines - 1 + 1); /* the row's others and the bit's line */
    assert_true(memctl_poison_count(&mc) == lines + 1);
    /* the run: the row's lines before mid; marks: mid, the lines after it, the bit's */
    assert_int_equal(mc.runs.n, 1);
    assert_true(mc.runs.run[0].fault_id == id && mc.runs.run[0].to < mid);
    assert_true(poison_count(&mc.poison) == 1 + (lines - lines / 2 - 1) + 1);
    for (uint64_t i = 0; i < lines; i++) {
        uint64_t l = fault_map_nth_line(&mc.faults, id, 0, i), t = 0;
        assert_true(memctl_poison_time(&mc, l << MEM_LINE_SHIFT, &t));
        assert_true(t == (l == mid ? 5 : scrubber_line_time(&mc.scrub, 0, l)));
    }
    memctl_free(&mc);
}

/* A line cleared by a write and found again, pass after pass, begins a
 * run of its own each pass until the fault has POISON_RUNS_BEGUN_MAX of
 * them; then it is a mark again. Its time is each pass's. */
static void test_refound_line_runs_bounded(void **state)
{
    (void)state;
    struct memctl mc;
    init_small(&mc);
    uint64_t id = add_uc(&mc, FAULT_SINGLE_ROW);
    uint64_t lines = fault_map_footprint_lines(&mc.faults, id), first = fault_map_nth_line(&mc.faults, id, 0, 0);
    assert_true(scrub_all(&mc, DAY - 1) == lines);
    assert_int_equal(mc.runs.n, 1);
    for (uint64_t pass = 1; pass <= POISON_RUNS_BEGUN_MAX + 2; pass++) {
        memctl_write_line(&mc, first << MEM_LINE_SHIFT, pass * DAY - HOUR);
        assert_false(memctl_poisoned(&mc, first << MEM_LINE_SHIFT));
        assert_true(scrub_all(&mc, (pass + 1) * DAY - 1) == 1);
        uint64_t t = 0;
        assert_true(memctl_poison_time(&mc, first << MEM_LINE_SHIFT, &t) &&
                    t == scrubber_line_time(&mc.scrub, pass, first));
        assert_true(memctl_poison_count(&mc) == lines);
        size_t want = pass < POISON_RUNS_BEGUN_MAX ? pass + 1 : POISON_RUNS_BEGUN_MAX;
        assert_int_equal(mc.runs.n, want);
        assert_int_equal(poison_count(&mc.poison), pass < POISON_RUNS_BEGUN_MAX ? 0 : 1);
    }
    memctl_free(&mc);
}

static void test_bank_run_as_lines(void **state)
{
    (void)state;
    check_mode(FAULT_SINGLE_BANK);
}

static void test_row_run_as_lines(void **state)
{
    (void)state;
    check_mode(FAULT_SINGLE_ROW);
}

static void test_column_run_as_lines(void **state)
{
    (void)state;
    check_mode(FAULT_SINGLE_COLUMN);
}

/* A run line cleared, read again (poisoned per line), cleared, found by
 * the next pass; a run of that pass over it takes the per-line mark in
 * (same time); one over a line another run holds is refused. */
static void test_cleared_then_repoisoned(void **state)
{
    (void)state;
    struct memctl b;
    init_small(&b);
    uint64_t id = add_uc(&b, FAULT_SINGLE_BANK);
    uint64_t lines = fault_map_footprint_lines(&b.faults, id);
    uint64_t l0 = fault_map_nth_line(&b.faults, id, 0, 0), lN = fault_map_nth_line(&b.faults, id, 0, lines - 1);
    uint64_t x = fault_map_nth_line(&b.faults, id, 0, 100), t;
    /* the walk's pass 0 by hand: a run over the whole bank */
    assert_int_equal(memctl_poison_run(&b, id, l0, lN, 0), 0);
    assert_true(memctl_poison_count(&b) == lines && b.runs.n == 1);
    assert_int_equal(memctl_poison_run(&b, id, x, x, 0), -EEXIST);
    assert_int_equal(memctl_poison_run(&b, id + 7, x, x, 0), -ENOENT);
    assert_int_equal(memctl_poison_run(&b, id, x + 1, x, 0), -EINVAL);
    memctl_write_line(&b, x << MEM_LINE_SHIFT, HOUR);
    assert_false(memctl_poisoned(&b, x << MEM_LINE_SHIFT));
    assert_true(memctl_poison_count(&b) == lines - 1 && b.ledger.poison_cleared == 1);
    struct memctl_read r;
    memctl_read(&b, x << MEM_LINE_SHIFT, 2 * HOUR, &r);
    assert_int_equal(r.outcome, MEMCTL_UNCORRECTABLE);
    assert_false(r.was_poisoned);
    assert_true(memctl_poison_time(&b, x << MEM_LINE_SHIFT, &t) && t == 2 * HOUR);
    assert_true(memctl_poison_count(&b) == lines);
    memctl_read(&b, x << MEM_LINE_SHIFT, 3 * HOUR, &r);
    assert_true(r.was_poisoned && b.ledger.poison_consumed == 1);
    memctl_write_line(&b, x << MEM_LINE_SHIFT, 4 * HOUR);
    assert_true(b.ledger.poison_cleared == 2 && memctl_poison_count(&b) == lines - 1);
    /* pass 0's walk: nothing found but x, which the run does not hold */
    struct memctl_scrub_event ev;
    assert_true(memctl_scrub(&b, DAY - 1, &ev));
    assert_true(ev.addr == x << MEM_LINE_SHIFT && ev.time_ps == scrubber_line_time(&b.scrub, 0, x));
    assert_false(memctl_scrub(&b, DAY - 1, &ev));
    assert_true(b.ledger.scrub_visits == lines);
    assert_true(memctl_poison_count(&b) == lines && poison_count(&b.poison) == 1);
    /* a run of pass 0 over x: the per-line mark has its time, so it joins */
    assert_int_equal(memctl_poison_run(&b, id, x, x, 0), 0);
    assert_true(poison_count(&b.poison) == 0 && memctl_poison_count(&b) == lines && b.runs.n == 2);
    assert_true(memctl_poison_time(&b, x << MEM_LINE_SHIFT, &t) && t == scrubber_line_time(&b.scrub, 0, x));
    /* pass 1: the bank's lines are the first run's, x the second's, the
     * first's again: one stretch, passed at one wake (the pass's end) */
    uint64_t v0 = b.ledger.scrub_visits;
    assert_true(memctl_scrub_next_time(&b) == DAY);
    assert_false(memctl_scrub(&b, DAY, &ev));
    assert_true(memctl_scrub_next_time(&b) == 2 * DAY);
    assert_false(memctl_scrub(&b, 2 * DAY - 1, &ev));
    assert_true(b.ledger.scrub_visits - v0 == lines);
    memctl_free(&b);
}

/* A per-line mark at another time than the run's inside its range stays
 * per line: the run leaves it out, its time stands. */
static void test_earlier_mark_kept(void **state)
{
    (void)state;
    struct memctl b;
    init_small(&b);
    uint64_t id = add_uc(&b, FAULT_SINGLE_ROW);
    uint64_t lines = fault_map_footprint_lines(&b.faults, id);
    uint64_t l0 = fault_map_nth_line(&b.faults, id, 0, 0), lN = fault_map_nth_line(&b.faults, id, 0, lines - 1);
    uint64_t x = fault_map_nth_line(&b.faults, id, 0, 3), t;
    struct memctl_read r;
    memctl_read(&b, x << MEM_LINE_SHIFT, 7, &r); /* demand finds it at 7 ps */
    assert_int_equal(memctl_poison_run(&b, id, l0, lN, 0), 0);
    assert_true(memctl_poison_count(&b) == lines && b.runs.run[0].nout == 1);
    assert_true(memctl_poison_time(&b, x << MEM_LINE_SHIFT, &t) && t == 7);
    memctl_write_line(&b, x << MEM_LINE_SHIFT, 8);
    assert_false(memctl_poisoned(&b, x << MEM_LINE_SHIFT));
    assert_true(memctl_poison_count(&b) == lines - 1 && b.ledger.poison_cleared == 1);
    memctl_free(&b);

    /* a mark at another time between two runs of a pass: they do not
     * join, the mark stays */
    init_small(&b);
    id = add_uc(&b, FAULT_SINGLE_BANK);
    uint64_t l[21];
    for (unsigned i = 0; i < 21; i++)
        l[i] = fault_map_nth_line(&b.faults, id, 0, i);
    assert_int_equal(memctl_poison_run(&b, id, l[0], l[9], 0), 0);
    uint64_t t10 = scrubber_line_time(&b.scrub, 0, l[10]);
    assert_int_equal(poison_mark(&b.poison, l[10] << MEM_LINE_SHIFT, t10), 0); /* as the walk would */
    memctl_read(&b, l[11] << MEM_LINE_SHIFT, 7, &r);
    assert_int_equal(memctl_poison_run(&b, id, l[12], l[20], 0), 0);
    assert_true(b.runs.n == 2 && memctl_poison_count(&b) == 21 && poison_count(&b.poison) == 2);
    assert_true(memctl_poison_time(&b, l[10] << MEM_LINE_SHIFT, &t) && t == t10);
    assert_true(memctl_poison_time(&b, l[11] << MEM_LINE_SHIFT, &t) && t == 7);
    memctl_free(&b);
    /* with the walk's time it joins them */
    init_small(&b);
    id = add_uc(&b, FAULT_SINGLE_BANK);
    assert_int_equal(memctl_poison_run(&b, id, l[0], l[9], 0), 0);
    assert_int_equal(poison_mark(&b.poison, l[10] << MEM_LINE_SHIFT, scrubber_line_time(&b.scrub, 0, l[10])), 0);
    assert_int_equal(memctl_poison_run(&b, id, l[11], l[20], 0), 0);
    assert_true(b.runs.n == 1 && poison_count(&b.poison) == 0 && memctl_poison_count(&b) == 21);
    memctl_free(&b);
}

/* Rebases move a run's times as memctl_rebase moves per-line times
 * (ps_rebase each, pinned past PS_REBASE_AGE_MAX): expected[] applies
 * that rule line by line; some rebase pins part of the run and not the
 * rest. */
static void test_rebase_keeps_times(void **state)
{
    (void)state;
    struct memctl b;
    init_small(&b);
    uint64_t id = add_uc(&b, FAULT_SINGLE_COLUMN);
    uint64_t lines = fault_map_footprint_lines(&b.faults, id);
    static uint64_t line[64], orig[64], expected[64];
    assert_true(lines == 64);
    for (uint64_t i = 0; i < lines; i++) {
        line[i] = fault_map_nth_line(&b.faults, id, 0, i);
        orig[i] = expected[i] = scrubber_line_time(&b.scrub, 0, line[i]);
    }
    assert_true(expected[lines - 1] - expected[0] > DAY / 2); /* a column spans most of the pass */
    assert_int_equal(memctl_poison_run(&b, id, line[0], line[lines - 1], 0), 0);
    uint64_t now = 0, sum = 0;
    bool ever = false, mixed = false, all = false;
    unsigned rebases = 0;
    for (unsigned k = 1; k <= 400 && !all; k++) {
        now += 6 * HOUR;
        struct memctl_scrub_event ev;
        assert_false(memctl_scrub(&b, now, &ev));
        uint64_t next = memctl_scrub_next_time(&b), d = 5 * HOUR;
        if (next - now <= d)
            d = next - now - 1; /* nothing of the controller's in the time skipped */
        if (d == 0)
            continue;
        assert_int_equal(memctl_rebase(&b, d, now), 0);
        rebases++;
        sum += d;
        unsigned pinned = 0;
        for (uint64_t i = 0; i < lines; i++) {
            pinned += ps_rebase_pins(expected[i], d, now) || expected[i] != orig[i] - (sum - d);
            expected[i] = ps_rebase(expected[i], d, now);
            uint64_t t;
            assert_true(memctl_poison_time(&b, line[i] << MEM_LINE_SHIFT, &t));
            assert_true(t == expected[i]);
            if (!ever && pinned == 0)
                assert_true(t == orig[i] - sum); /* moved with the walk, by the formula */
        }
        ever |= pinned > 0;
        mixed |= pinned > 0 && pinned < lines;
        all |= pinned == lines;
    }
    assert_true(rebases > 50 && mixed && all && b.runs.run[0].all_pinned);
    memctl_free(&b);
}

/* A later pass over a run wakes the scrubber once: memctl_scrub_next_time
 * names the first line after the stretch (the next pass's start when the
 * run holds all the fault's lines: the fault then leaves the walk,
 * scrub_passive.h), and the lines are passed in one step, counted as
 * visits; a cleared line in the middle is one stop. */
static void test_next_time_skips_run(void **state)
{
    (void)state;
    struct memctl a, b;
    init_small(&a);
    init_small(&b);
    uint64_t ida = add_uc(&a, FAULT_SINGLE_BANK), idb = add_uc(&b, FAULT_SINGLE_BANK);
    uint64_t lines = fault_map_footprint_lines(&b.faults, idb);
    assert_true(scrub_all(&a, DAY - 1) == lines);
    (void)ida;
    /* b: pass 0 folded whole, one run */
    uint64_t line, top, last, last_ps;
    assert_true(scrub_peek(&b.scrub, &b.faults, &line, &top) && top == idb);
    assert_true(scrub_fold(&b.scrub, &b.faults, idb, DAY - 1, UINT64_MAX, &last, &last_ps) == lines);
    assert_int_equal(memctl_poison_run(&b, idb, line, last, 0), 0);
    b.ledger.scrub_visits += lines;
    uint64_t x = fault_map_nth_line(&b.faults, idb, 0, 300);
    /* wakes over pass 1 */
    unsigned wakes_a = 0, wakes_b = 0;
    struct memctl_scrub_event ev;
    for (uint64_t t = memctl_scrub_next_time(&a); t < 2 * DAY; t = memctl_scrub_next_time(&a), wakes_a++)
        assert_false(memctl_scrub(&a, t, &ev));
    uint64_t v0 = b.ledger.scrub_visits;
    for (uint64_t t = memctl_scrub_next_time(&b); t < 2 * DAY; t = memctl_scrub_next_time(&b), wakes_b++)
        assert_false(memctl_scrub(&b, t, &ev));
    /* the pass's start: a fault whose every line is poisoned, one by one
     * (a) or as a run (b), leaves the walk (scrub_passive.h) */
    assert_true(wakes_a == 1);
    assert_true(wakes_b == 1);
    /* the stretch's visits count when the walk passes it: by pass 1's end */
    assert_false(memctl_scrub(&b, 2 * DAY - 1, &ev));
    assert_false(memctl_scrub(&a, 2 * DAY - 1, &ev));
    assert_true(b.ledger.scrub_visits - v0 == lines && a.ledger.scrub_visits == b.ledger.scrub_visits);
    /* the walk is at pass 1's end; next is pass 2's start */
    assert_true(memctl_scrub_next_time(&b) == 2 * DAY);
    /* a cleared line in the middle of the run: one wake there */
    memctl_write_line(&b, x << MEM_LINE_SHIFT, 2 * DAY);
    memctl_write_line(&a, x << MEM_LINE_SHIFT, 2 * DAY);
    assert_false(memctl_scrub(&b, 2 * DAY, &ev));
    uint64_t tx = scrubber_line_time(&b.scrub, 2, x);
    assert_true(memctl_scrub_next_time(&b) == tx);
    assert_true(memctl_scrub(&b, tx, &ev) && ev.addr == x << MEM_LINE_SHIFT && ev.time_ps == tx);
    assert_true(memctl_scrub(&a, tx, &ev) && ev.addr == x << MEM_LINE_SHIFT && ev.time_ps == tx);
    assert_true(memctl_scrub_next_time(&b) == 3 * DAY);
    assert_false(memctl_scrub(&b, 3 * DAY - 1, &ev));
    assert_false(memctl_scrub(&a, 3 * DAY - 1, &ev));
    assert_true(a.ledger.scrub_visits == b.ledger.scrub_visits);
    assert_same_poison(&a, &b);
    memctl_free(&a);
    memctl_free(&b);
}

/* A CE fold (first_special) stops before a run line, as before a per-line
 * mark: a CE row fault under a removed UC fault's run of a few lines. */
static void test_ce_fold_stops_at_run(void **state)
{
    (void)state;
    struct memctl a, b;
    init_small(&a);
    init_small(&b);
    struct memctl *mcs[2] = {&a, &b};
    uint64_t folded[2];
    for (unsigned i = 0; i < 2; i++) {
        struct memctl *mc = mcs[i];
        uint64_t uc = add_uc(mc, FAULT_SINGLE_BANK);
        /* row 9's lines are the bank's 72..79: the run takes 75..77 */
        uint64_t from = fault_map_nth_line(&mc->faults, uc, 0, 75), to = fault_map_nth_line(&mc->faults, uc, 0, 77);
        if (i == 0)
            for (uint64_t l = from; l <= to; l = fault_map_next_line(&mc->faults, uc, l + 1))
                assert_int_equal(poison_mark(&mc->poison, l << MEM_LINE_SHIFT, scrubber_line_time(&mc->scrub, 0, l)), 0);
        else
            assert_int_equal(memctl_poison_run(mc, uc, from, to, 0), 0);
        assert_true(memctl_remove_fault(mc, uc));
        struct mem_fault ce = {.mode = FAULT_SINGLE_ROW, .permanent = true, .device = 5, .bank = 2, .row = 9,
                               .dq_mask = 0x1};
        assert_true(memctl_add_fault(mc, &ce) != 0);
        struct memctl_scrub_event ev;
        assert_true(memctl_scrub(mc, DAY - 1, &ev));
        assert_int_equal(ev.outcome, MEMCTL_CORRECTED);
        uint64_t last;
        folded[i] = memctl_scrub_fold(mc, DAY - 1, &ev, &last);
    }
    assert_true(folded[0] == 2 && folded[1] == 2); /* lines 1 and 2 of the row */
    assert_same_poison(&a, &b);
    memctl_free(&a);
    memctl_free(&b);
}

/* A CE fold still finds its stop with more than 4,096 lines marked one by
 * one elsewhere (fleet host 770: a wide UC fault's real rounds' marks;
 * first_special takes the marks in line order): the fold
 * stops before the row's marked line, as with few marks. */
static void test_ce_fold_past_many_marks(void **state)
{
    (void)state;
    struct memctl mc;
    init_rows(&mc, 1024);
    struct mem_fault ce = {.mode = FAULT_SINGLE_ROW, .permanent = true, .device = 5, .bank = 2, .row = 9,
                           .dq_mask = 0x1};
    uint64_t id = memctl_add_fault(&mc, &ce);
    assert_true(id != 0);
    /* the row's line 3 marked; and 4,100 lines of bank 0 (line index: 3
     * column-group bits, 2 bank bits, then the row) */
    uint64_t l3 = fault_map_nth_line(&mc.faults, id, 0, 3);
    assert_int_equal(poison_mark(&mc.poison, l3 << MEM_LINE_SHIFT, scrubber_line_time(&mc.scrub, 0, l3)), 0);
    for (uint64_t i = 0; i < 4100; i++) {
        uint64_t l = (i / 8) << 5 | (i % 8);
        assert_int_equal(poison_mark(&mc.poison, l << MEM_LINE_SHIFT, scrubber_line_time(&mc.scrub, 0, l)), 0);
    }
    struct memctl_scrub_event ev;
    assert_true(memctl_scrub(&mc, DAY - 1, &ev));
    assert_int_equal(ev.outcome, MEMCTL_CORRECTED);
    assert_true(ev.addr >> MEM_LINE_SHIFT == fault_map_nth_line(&mc.faults, id, 0, 0));
    uint64_t last;
    assert_true(memctl_scrub_fold(&mc, DAY - 1, &ev, &last) == 2); /* lines 1 and 2 of the row */
    memctl_free(&mc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scrub_finds_join_runs),
        cmocka_unit_test(test_refound_line_runs_bounded),
        cmocka_unit_test(test_bank_run_as_lines),
        cmocka_unit_test(test_row_run_as_lines),
        cmocka_unit_test(test_column_run_as_lines),
        cmocka_unit_test(test_cleared_then_repoisoned),
        cmocka_unit_test(test_earlier_mark_kept),
        cmocka_unit_test(test_rebase_keeps_times),
        cmocka_unit_test(test_next_time_skips_run),
        cmocka_unit_test(test_ce_fold_stops_at_run),
        cmocka_unit_test(test_ce_fold_past_many_marks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
