/*
 * test_memctl.c - unit tests of the memory controller
 * (models/memctl/memctl.h): what a demand read returns and what the
 * patrol scrubber reports for the fault cases of the design, with the MCA
 * records of the SDM (Vol. 3B ch. 15) and the ground-truth
 * ledger.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "models/memctl/mem_rng.h"
#include "arch/ps_rebase.h"
#include "models/memctl/memctl.h"
#include "models/memctl/fold_holes.h"

#define HOUR SCRUB_PS_PER_HOUR

static void init_mc(struct memctl *mc, enum ecc_kind ecc, unsigned ecc_devices)
{
    struct memctl_config c = memctl_config_default();
    c.ecc = ecc;
    c.geom.ecc_devices = ecc_devices;
    assert_null(memctl_config_check(&c));
    assert_int_equal(memctl_init(mc, &c), 0);
}

/* A fault of `mode` at the location of paddr. */
static struct mem_fault fault_at(const struct memctl *mc, enum fault_mode mode, uint64_t paddr, unsigned device,
                                 uint8_t dq, bool permanent)
{
    struct dram_loc l;
    assert_int_equal(addr_map_decode(&mc->map, paddr, &l), 0);
    return (struct mem_fault){.mode = mode, .permanent = permanent, .channel = l.channel, .dimm = l.dimm,
                              .rank = l.rank, .device = device, .bank = l.bank, .row = l.row,
                              .column = l.column, .dq_mask = dq};
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static void test_mca_records(void **state)
{
    (void)state;
    /* SRAR: VAL|UC|EN|MISCV|ADDRV|S|AR with the consumer's MCACOD. */
    assert_true(memctl_srar_status(MEMCTL_DATA_LOAD) == 0xBD80000000000134ull);
    assert_true(memctl_srar_status(MEMCTL_INSN_FETCH) == 0xBD80000000000150ull);
    /* Patrol-scrub SRAO: the xen-mceinj value 0xBD000000004000CF without
     * its model-specific bits, with a known channel. */
    assert_true(memctl_srao_scrub_status(1) == 0xBD000000000000C1ull);
    assert_true(memctl_srao_scrub_status(15) == 0xBD000000000000CFull);
    assert_true(memctl_srao_scrub_status(40) == 0xBD000000000000CFull);
    assert_true((memctl_srao_scrub_status(3) & MCACOD_SCRUB_MASK) == MCACOD_SCRUB);
    assert_true(memctl_ce_status(2, true) == 0x9C000000000000C2ull);
    assert_true(memctl_ce_status(0, false) == 0x9C00000000000090ull);
    assert_true(MEMCTL_MISC_LINE_PHYS == 0x86);
    assert_string_equal(memctl_outcome_name(MEMCTL_SDC), "sdc");
}

static void test_config_checks(void **state)
{
    (void)state;
    struct memctl_config c = memctl_config_default();
    assert_null(memctl_config_check(&c));
    c.ecc = ECC_KIND_CHIPKILL; /* 18-device x4: no chipkill */
    assert_non_null(memctl_config_check(&c));
    struct memctl mc;
    assert_int_equal(memctl_init(&mc, &c), -1);
    c.geom.ecc_devices = 4;
    assert_null(memctl_config_check(&c));
    c.geom.channels = 3;
    assert_non_null(memctl_config_check(&c));
}

static void test_clean_reads(void **state)
{
    (void)state;
    struct memctl mc;
    init_mc(&mc, ECC_KIND_SECDED, 2);
    struct memctl_read r;
    for (uint64_t a = 0; a < 1u << 20; a += 4096 + 64) {
        assert_int_equal(memctl_read(&mc, a, 0, &r), 0);
        assert_int_equal(r.outcome, MEMCTL_CLEAN);
        assert_true(r.line_addr == (a & ~63ull));
    }
    assert_int_equal(memctl_read(&mc, mc.map.capacity, 0, &r), -1);
    assert_int_equal(memctl_write_line(&mc, mc.map.capacity, 0), -1);
    assert_true(mc.ledger.demand_found == 0 && mc.ledger.ce == 0);
    assert_true(memctl_scrub_next_time(&mc) == UINT64_MAX);
    memctl_free(&mc);
}

/* A transient single-bit fault: the scrubber finds it when it reaches the
 * line, corrects it, writes back - and the fault is gone. */
static void test_transient_bit_scrubbed_away(void **state)
{
    (void)state;
    struct memctl mc;
    init_mc(&mc, ECC_KIND_SECDED, 2);
    uint64_t addr = mc.map.capacity / 3 & ~63ull;
    struct mem_fault f = fault_at(&mc, FAULT_SINGLE_BIT, addr, 4, 0x2, false);
    f.time_ps = HOUR;
    uint64_t id = memctl_add_fault(&mc, &f);
    assert_true(id != 0);
    struct memctl_read r;
    memctl_read(&mc, addr, HOUR - 1, &r); /* filed ahead of its arrival */
    assert_int_equal(r.outcome, MEMCTL_CLEAN);
    uint64_t when = scrubber_line_time(&mc.scrub, 0, addr / 64);
    assert_true(when > HOUR);
    assert_true(memctl_scrub_next_time(&mc) == when);
    struct memctl_scrub_event ev;
    assert_false(memctl_scrub(&mc, when - 1, &ev));
    assert_true(memctl_scrub(&mc, UINT64_MAX / 2, &ev));
    assert_true(ev.time_ps == when);
    assert_true(ev.addr == addr);
    assert_int_equal(ev.outcome, MEMCTL_CORRECTED);
    assert_int_equal(ev.truth, ECC_TRUTH_CORRECTED);
    assert_int_equal(ev.device, 4);
    assert_true(ev.status == memctl_ce_status(ev.loc.channel, true));
    assert_true(ev.misc == 0x86);
    assert_null(fault_map_get(&mc.faults, id)); /* healed */
    assert_int_equal(fault_map_count(&mc.faults), 0);
    memctl_read(&mc, addr, when + 1, &r);
    assert_int_equal(r.outcome, MEMCTL_CLEAN);
    assert_false(memctl_scrub(&mc, UINT64_MAX / 2, &ev));
    assert_true(mc.ledger.ce == 1 && mc.ledger.scrub_found == 1 && mc.ledger.demand_found == 0);
    assert_true(memctl_bank_ce(&mc, ev.loc.channel, ev.loc.dimm, ev.loc.rank, ev.loc.bank) == 1);
    memctl_free(&mc);
}

/* A permanent single-bit fault: every read is a CE again (write-back does
 * not repair the cell), and the scrubber finds it every pass. */
static void test_permanent_bit_repeats(void **state)
{
    (void)state;
    struct memctl mc;
    init_mc(&mc, ECC_KIND_SECDED, 2);
    uint64_t addr = 0x12345680ull;
    struct mem_fault f = fault_at(&mc, FAULT_SINGLE_BIT, addr, 11, 0x8, true);
    memctl_add_fault(&mc, &f);
    struct memctl_read r;
    for (unsigned i = 0; i < 5; i++) {
        assert_int_equal(memctl_read(&mc, addr + i, i * 1000, &r), 0);
        assert_int_equal(r.outcome, MEMCTL_CORRECTED);
        assert_int_equal(r.hw_status, ECC_CORRECTED);
        assert_int_equal(r.device, 11);
        assert_int_equal(r.faults, 1);
        assert_true(all_zero(r.data_error, 64));
    }
    struct dram_loc l = r.loc;
    assert_true(memctl_bank_ce(&mc, l.channel, l.dimm, l.rank, l.bank) == 5);
    assert_true(mc.ledger.ce == 5 && mc.ledger.demand_found == 5);
    struct memctl_scrub_event ev;
    for (uint64_t pass = 0; pass < 3; pass++) {
        assert_true(memctl_scrub(&mc, UINT64_MAX / 2, &ev));
        assert_int_equal(ev.outcome, MEMCTL_CORRECTED);
        assert_true(ev.time_ps == scrubber_line_time(&mc.scrub, pass, addr / 64));
    }
    assert_true(mc.ledger.ce == 8 && mc.ledger.scrub_found == 3);
    assert_int_equal(fault_map_count(&mc.faults), 1);
    memctl_free(&mc);
}

/* A single-row fault with two bad DQs: every beat of every line of the row
 * has a double error in its SECDED word. The scrubber finds each line of
 * the row (they span several 4 KiB pages), poisons it and reports SRAO;
 * a later load of one of them is SRAR. */
static void test_row_fault_poisons_many_pages(void **state)
{
    (void)state;
    struct memctl mc;
    init_mc(&mc, ECC_KIND_SECDED, 2);
    uint64_t base = 7ull << 30;
    struct mem_fault f = fault_at(&mc, FAULT_SINGLE_ROW, base, 2, 0x5, true);
    memctl_add_fault(&mc, &f);
    struct memctl_scrub_event ev;
    uint64_t n = 0, last_page = UINT64_MAX, pages = 0, prev_t = 0;
    while (memctl_scrub(&mc, 24 * HOUR - 1, &ev)) {
        assert_int_equal(ev.outcome, MEMCTL_UNCORRECTABLE);
        assert_int_equal(ev.truth, ECC_TRUTH_DUE);
        assert_true(ev.status == memctl_srao_scrub_status(ev.loc.channel));
        assert_true(ev.status == (0xBD000000000000C0ull | f.channel));
        assert_true(ev.misc == 0x86);
        assert_int_equal(ev.loc.row, f.row);
        assert_int_equal(ev.loc.bank, f.bank);
        assert_true(memctl_poisoned(&mc, ev.addr));
        assert_true(ev.time_ps >= prev_t);
        prev_t = ev.time_ps;
        if (ev.addr / 4096 != last_page) {
            pages++;
            last_page = ev.addr / 4096;
        }
        n++;
    }
    assert_true(n == mc.map.g.columns / mc.map.beats);
    assert_true(pages >= 4);
    assert_true(mc.ledger.uc == n && mc.ledger.scrub_found == n);
    /* the walk's finds of one wide fault, line after line: one run of the
     * pass, no per-line mark (poison_runs_extend) */
    assert_true(memctl_poison_count(&mc) == n);
    assert_true(mc.runs.n == 1 && poison_count(&mc.poison) == 0);
    /* Next pass: lines are already poisoned, nothing new to report. */
    assert_false(memctl_scrub(&mc, 48 * HOUR - 1, &ev));
    struct memctl_read r;
    memctl_read(&mc, base, 48 * HOUR, &r);
    assert_int_equal(r.outcome, MEMCTL_UNCORRECTABLE);
    assert_true(r.was_poisoned);
    assert_true(mc.ledger.poison_consumed == 1);
    /* A full-line write clears the poison; the permanent fault then makes
     * the next read a fresh DUE, poisoning again. */
    memctl_write_line(&mc, base, 49 * HOUR);
    assert_false(memctl_poisoned(&mc, base));
    assert_true(mc.ledger.poison_cleared == 1);
    memctl_read(&mc, base, 50 * HOUR, &r);
    assert_int_equal(r.outcome, MEMCTL_UNCORRECTABLE);
    assert_false(r.was_poisoned);
    assert_true(memctl_poisoned(&mc, base));
    assert_true(mc.ledger.demand_found == 1 && mc.ledger.uc == n + 1);
    memctl_free(&mc);
}

/* Bits i<j<k of one SECDED word whose syndrome is another column. */
static void find_miscorrecting_triple(unsigned out[3])
{
    for (unsigned i = 0; i < 64; i++)
        for (unsigned j = i + 1; j < 64; j++)
            for (unsigned k = j + 1; k < 64; k++) {
                uint8_t s = (uint8_t)(secded_column(i) ^ secded_column(j) ^ secded_column(k));
                for (unsigned c = 0; c < SECDED_BITS; c++)
                    if (secded_column(c) == s) {
                        out[0] = i, out[1] = j, out[2] = k;
                        return;
                    }
            }
    fail();
}

/* Three single-bit faults in one SECDED word that miscorrects: the read
 * looks like a CE to hardware, delivers wrong data, and is counted as SDC. */
static void test_triple_bit_miscorrection_is_sdc(void **state)
{
    (void)state;
    struct memctl mc;
    init_mc(&mc, ECC_KIND_SECDED, 2);
    uint64_t addr = 0x40000000ull; /* beat 0 of its line */
    unsigned bits[3];
    find_miscorrecting_triple(bits);
    for (unsigned b = 0; b < 3; b++) {
        /* data bit i of the word is DQ i%4 of device i/4 (ecc.h) */
        struct mem_fault f = fault_at(&mc, FAULT_SINGLE_BIT, addr, bits[b] / 4, (uint8_t)(1u << (bits[b] % 4)),
                                      true);
        assert_true(memctl_add_fault(&mc, &f) != 0);
    }
    struct memctl_read r;
    memctl_read(&mc, addr, 0, &r);
    assert_int_equal(r.outcome, MEMCTL_SDC);
    assert_int_equal(r.truth, ECC_TRUTH_MISCORRECTED);
    assert_int_equal(r.hw_status, ECC_CORRECTED);
    assert_int_equal(r.faults, 3);
    assert_false(all_zero(r.data_error, 8));  /* word 0 is wrong */
    assert_true(all_zero(r.data_error + 8, 56)); /* the others are fine */
    assert_true(mc.ledger.sdc == 1 && mc.ledger.miscorrected == 1 && mc.ledger.ce == 0);
    assert_false(memctl_poisoned(&mc, addr)); /* nothing was detected */
    memctl_free(&mc);
}

/* Four bits with a zero syndrome: hardware sees nothing at all. */
static void test_four_bit_undetected_is_sdc(void **state)
{
    (void)state;
    struct memctl mc;
    init_mc(&mc, ECC_KIND_SECDED, 2);
    unsigned q[4] = {0};
    bool found = false;
    for (unsigned a = 0; a < 64 && !found; a++)
        for (unsigned b = a + 1; b < 64 && !found; b++)
            for (unsigned c = b + 1; c < 64 && !found; c++)
                for (unsigned d = c + 1; d < 64 && !found; d++)
                    if ((secded_column(a) ^ secded_column(b) ^ secded_column(c) ^ secded_column(d)) == 0) {
                        q[0] = a, q[1] = b, q[2] = c, q[3] = d;
                        found = true;
                    }
    assert_true(found);
    uint64_t addr = 0x80000000ull;
    for (unsigned i = 0; i < 4; i++) {
        struct mem_fault f = fault_at(&mc, FAULT_SINGLE_BIT, addr, q[i] / 4, (uint8_t)(1u << (q[i] % 4)), true);
        memctl_add_fault(&mc, &f);
    }
    struct memctl_read r;
    memctl_read(&mc, addr, 0, &r);
    assert_int_equal(r.outcome, MEMCTL_SDC);
    assert_int_equal(r.truth, ECC_TRUTH_UNDETECTED);
    assert_int_equal(r.hw_status, ECC_CLEAN);
    assert_true(mc.ledger.undetected == 1 && mc.ledger.sdc == 1);
    /* The scrubber cannot see it either. */
    struct memctl_scrub_event ev;
    assert_false(memctl_scrub(&mc, 48 * HOUR, &ev));
    assert_true(mc.ledger.scrub_visits == 2);
    memctl_free(&mc);
}

/* A scrubber that miscorrects transient errors writes wrong data back: the
 * faults are gone, memory holds a valid codeword of wrong data, and the next
 * read is silent corruption until software rewrites the line. */
static void test_scrub_miscorrection_leaves_wrong_data(void **state)
{
    (void)state;
    struct memctl mc;
    init_mc(&mc, ECC_KIND_SECDED, 2);
    uint64_t addr = 0x100000ull;
    unsigned bits[3];
    find_miscorrecting_triple(bits);
    for (unsigned b = 0; b < 3; b++) {
        struct mem_fault f = fault_at(&mc, FAULT_SINGLE_BIT, addr, bits[b] / 4, (uint8_t)(1u << (bits[b] % 4)),
                                      false);
        memctl_add_fault(&mc, &f);
    }
    struct memctl_scrub_event ev;
    assert_true(memctl_scrub(&mc, 24 * HOUR, &ev));
    assert_int_equal(ev.outcome, MEMCTL_SDC);
    assert_int_equal(ev.truth, ECC_TRUTH_MISCORRECTED);
    assert_true(ev.status == memctl_ce_status(ev.loc.channel, true)); /* looks like a CE */
    assert_int_equal(fault_map_count(&mc.faults), 0);
    assert_true(mc.ledger.scrub_miscorrected == 1 && mc.ledger.sdc == 0);
    struct memctl_read r;
    memctl_read(&mc, addr, 25 * HOUR, &r);
    assert_int_equal(r.outcome, MEMCTL_SDC);
    assert_int_equal(r.truth, ECC_TRUTH_UNDETECTED);
    assert_true(mc.ledger.sdc == 1);
    memctl_write_line(&mc, addr, 26 * HOUR);
    memctl_read(&mc, addr, 27 * HOUR, &r);
    assert_int_equal(r.outcome, MEMCTL_CLEAN);
    memctl_free(&mc);
}

/* A whole x4 device failing across a bank (all four DQs): chipkill corrects
 * every read and names the device; SECDED on the same 36-device geometry
 * cannot. */
static void test_chipkill_survives_device_failure(void **state)
{
    (void)state;
    struct memctl ck, sd;
    init_mc(&ck, ECC_KIND_CHIPKILL, 4);
    init_mc(&sd, ECC_KIND_SECDED, 4);
    uint64_t base = 3ull << 30;
    struct mem_fault f = fault_at(&ck, FAULT_SINGLE_BANK, base, 21, 0xF, true);
    assert_true(memctl_add_fault(&ck, &f) != 0);
    assert_true(memctl_add_fault(&sd, &f) != 0);
    unsigned sd_bad = 0;
    for (unsigned i = 0; i < 64; i++) {
        uint64_t a = base + (uint64_t)i * 4096 * 3; /* lines of the same bank? check below */
        struct memctl_read rc, rs;
        memctl_read(&ck, a, 0, &rc);
        memctl_read(&sd, a, 0, &rs);
        if (rc.faults == 0) {
            assert_int_equal(rc.outcome, MEMCTL_CLEAN);
            continue;
        }
        assert_int_equal(rc.outcome, MEMCTL_CORRECTED);
        assert_int_equal(rc.device, 21);
        assert_true(all_zero(rc.data_error, 64));
        assert_int_not_equal(rs.outcome, MEMCTL_CORRECTED);
        assert_int_not_equal(rs.outcome, MEMCTL_CLEAN);
        sd_bad++;
    }
    assert_true(sd_bad > 0);
    assert_true(ck.ledger.ce == sd_bad && ck.ledger.uc == 0 && ck.ledger.sdc == 0);
    assert_true(sd.ledger.ce == 0 && sd.ledger.uc + sd.ledger.sdc == sd_bad);
    memctl_free(&ck);
    memctl_free(&sd);
}

/* Turning features off: no demand scrub keeps transient faults; no patrol
 * scrubber finds nothing. */
/* The online-spare rank (spare.h): refused without one, one use only;
 * a line of the replaced rank is read from the old rank until the copy
 * reaches it, then from the spare with what the copy read (a CE corrected,
 * so clean), so a fault arriving later is never seen there; other ranks
 * are untouched; the copy slows only its own channel. */
static void test_spare_rank_takes_over(void **state)
{
    (void)state;
    struct memctl mc;
    init_mc(&mc, ECC_KIND_SECDED, 2);
    uint64_t addr = 0x12345680ull;
    assert_int_equal(memctl_spare_rank(&mc, addr, 0, false), -ENODEV);
    memctl_free(&mc);

    struct memctl_config c = memctl_config_default();
    c.spare_rank = true;
    c.spare_line_ps = 1000;
    assert_int_equal(memctl_init(&mc, &c), 0);
    struct mem_fault f = fault_at(&mc, FAULT_SINGLE_BIT, addr, 11, 0x1, true);
    memctl_add_fault(&mc, &f);
    struct mem_fault g = fault_at(&mc, FAULT_SINGLE_BIT, addr, 11, 0x2, true); /* the later, second DQ */
    g.time_ps = 10ull * 1000 * 1000 * 1000 * 1000;
    memctl_add_fault(&mc, &g);
    struct memctl_read r;
    assert_int_equal(memctl_read(&mc, addr, 1000, &r), 0);
    assert_int_equal(r.outcome, MEMCTL_CORRECTED);

    const uint64_t t0 = 5000;
    assert_int_equal(memctl_spare_rank(&mc, mc.map.capacity, t0, false), -EINVAL);
    assert_int_equal(memctl_spare_rank(&mc, addr, t0, false), 0);
    assert_int_equal(memctl_spare_rank(&mc, addr, t0, true), -EBUSY);
    uint64_t k = spare_line_index(&mc.map, &r.loc);
    uint64_t copied = t0 + (k + 1) * 1000;
    assert_true(copied < spare_done_ps(&mc.spare));
    assert_true(memctl_copy_busy(&mc, addr, copied));
    assert_int_equal(memctl_read(&mc, addr, copied - 1, &r), 0);
    assert_int_equal(r.outcome, MEMCTL_CORRECTED); /* not copied yet: the old rank */
    assert_int_equal(memctl_read(&mc, addr, copied, &r), 0);
    assert_int_equal(r.outcome, MEMCTL_CLEAN);     /* the spare's good copy */
    assert_int_equal(memctl_read(&mc, addr, g.time_ps + 1, &r), 0);
    assert_int_equal(r.outcome, MEMCTL_CLEAN);     /* the old rank's UE is never read */
    assert_false(memctl_copy_busy(&mc, addr, spare_done_ps(&mc.spare)));

    /* a double-DQ fault in a rank the spare does not replace: still a UE */
    struct dram_loc other = r.loc;
    other.channel ^= 1;
    uint64_t oaddr;
    assert_int_equal(addr_map_encode(&mc.map, &other, &oaddr), 0);
    struct mem_fault h = fault_at(&mc, FAULT_SINGLE_WORD, oaddr, 11, 0x3, true);
    memctl_add_fault(&mc, &h);
    assert_int_equal(memctl_read(&mc, oaddr, spare_done_ps(&mc.spare) + 1, &r), 0);
    assert_int_equal(r.outcome, MEMCTL_UNCORRECTABLE);
    memctl_free(&mc);
}

/* The spare as a mirror: the old rank still answers (its CEs go on); once
 * the copy reached a line, an error the old rank cannot correct is served
 * from the mirror, a corrected error (failover); before that, a UE. */
static void test_mirror_fails_over(void **state)
{
    (void)state;
    struct memctl mc;
    struct memctl_config c = memctl_config_default();
    c.spare_rank = true;
    c.spare_line_ps = 1000;
    assert_int_equal(memctl_init(&mc, &c), 0);
    uint64_t addr = 0x12345680ull;
    struct mem_fault f = fault_at(&mc, FAULT_SINGLE_BIT, addr, 11, 0x1, true);
    memctl_add_fault(&mc, &f);
    struct memctl_read r;
    assert_int_equal(memctl_read(&mc, addr, 100, &r), 0);
    assert_int_equal(memctl_spare_rank(&mc, addr, 1000, true), 0);
    uint64_t copied = 1000 + (spare_line_index(&mc.map, &r.loc) + 1) * 1000;
    assert_int_equal(memctl_read(&mc, addr, copied, &r), 0);
    assert_int_equal(r.outcome, MEMCTL_CORRECTED); /* the old rank answers */
    struct mem_fault g = fault_at(&mc, FAULT_SINGLE_BIT, addr, 11, 0x2, true);
    g.time_ps = copied + 1;
    memctl_add_fault(&mc, &g);
    uint64_t ce = mc.ledger.ce;
    assert_int_equal(memctl_read(&mc, addr, copied + 2, &r), 0);
    assert_int_equal(r.outcome, MEMCTL_CORRECTED); /* failover to the mirror */
    assert_true(all_zero(r.data_error, 64));
    assert_int_equal(mc.ledger.ce, ce + 1);
    assert_int_equal(mc.ledger.uc, 0);
    memctl_free(&mc);
}

static void test_switches(void **state)
{
    (void)state;
    struct memctl_config c = memctl_config_default();
    c.no_demand_scrub = true;
    c.scrub_disabled = true;
    struct memctl mc;
    assert_int_equal(memctl_init(&mc, &c), 0);
    struct mem_fault f = fault_at(&mc, FAULT_SINGLE_BIT, 4096, 0, 1, false);
    memctl_add_fault(&mc, &f);
    struct memctl_read r;
    memctl_read(&mc, 4096, 10, &r);
    assert_int_equal(r.outcome, MEMCTL_CORRECTED);
    assert_int_equal(fault_map_count(&mc.faults), 1);
    struct memctl_scrub_event ev;
    assert_false(memctl_scrub(&mc, UINT64_MAX, &ev));
    assert_true(memctl_scrub_next_time(&mc) == UINT64_MAX);
    /* With demand scrubbing (default) the same read heals it. */
    memctl_free(&mc);
    init_mc(&mc, ECC_KIND_SECDED, 2);
    memctl_add_fault(&mc, &f);
    memctl_read(&mc, 4096, 10, &r);
    assert_int_equal(fault_map_count(&mc.faults), 0);
    memctl_read(&mc, 4096, 11, &r);
    assert_int_equal(r.outcome, MEMCTL_CLEAN);
    memctl_free(&mc);
}

/* Folding a permanent multi-bank fault's CEs gives the ledger, the
 * per-bank counters and the fault's truth that reporting them line by
 * line gives, stops before a line with state of its own (poison), and
 * says when it would next stop. */
static void init_small(struct memctl *mc)
{
    struct memctl_config c = memctl_config_default();
    c.geom = (struct mem_geometry){2, 1, 2, 4, 64, 64, 4, 2};
    c.scrub_period_ps = 1000000000ull;
    assert_null(memctl_config_check(&c));
    assert_int_equal(memctl_init(mc, &c), 0);
}

/* A multi-bank fault of init_small's channel 1, rank 1 whose one DQ the
 * decoder corrects on every line. */
static struct mem_fault ce_multi_bank(void)
{
    return (struct mem_fault){.mode = FAULT_MULTI_BANK, .permanent = true, .channel = 1, .rank = 1, .device = 6,
                              .dq_mask = 4};
}

/* a and b (init_small) count the same CEs per DRAM bank of channel 1 and
 * hold the same data in every line. */
static void assert_same_banks_and_data(const struct memctl *a, const struct memctl *b)
{
    for (unsigned r = 0; r < 2; r++)
        for (unsigned k = 0; k < 4; k++)
            assert_true(memctl_bank_ce(b, 1, 0, r, k) == memctl_bank_ce(a, 1, 0, r, k));
    for (uint64_t l = 0; l < a->map.lines; l++) {
        uint8_t da[64], db[64];
        assert_true(sdc_store_get(&a->sdc, l, da) == sdc_store_get(&b->sdc, l, db));
        assert_memory_equal(da, db, 64);
    }
}

static void test_fold_equals_line_by_line(void **state)
{
    (void)state;
    struct memctl a, b;
    init_small(&a);
    init_small(&b);
    struct mem_fault f = ce_multi_bank();
    uint64_t ida = memctl_add_fault(&a, &f), idb = memctl_add_fault(&b, &f);
    uint64_t lines = fault_map_footprint_lines(&a.faults, ida);
    assert_true(lines == 4u * 64u * 8u);
    uint64_t end = a.scrub.period_ps - 1; /* one pass */
    struct memctl_scrub_event ev;
    uint64_t n = 0;
    while (memctl_scrub(&a, end, &ev))
        n++;
    assert_true(n == lines);
    /* b: the first finding, then folds; a poisoned line stops a fold */
    uint64_t poisoned = fault_map_nth_line(&b.faults, idb, 0, 700);
    poison_mark(&b.poison, poisoned << MEM_LINE_SHIFT, 0);
    assert_true(memctl_scrub(&b, end, &ev));
    assert_int_equal(ev.outcome, MEMCTL_CORRECTED);
    assert_true(ev.fault_id == idb);
    uint64_t k10 = fault_map_nth_line(&b.faults, idb, 0, 10);
    assert_true(memctl_scrub_fold_horizon(&b, &ev, 10, NULL) == scrubber_line_time(&b.scrub, 0, k10));
    bool writes = true;
    assert_true(memctl_scrub_fold_horizon(&b, &ev, UINT64_MAX, &writes) == scrubber_line_time(&b.scrub, 0, poisoned));
    assert_false(writes); /* a right correction of right data changes nothing */
    uint64_t last, folded = memctl_scrub_fold(&b, end, &ev, &last);
    assert_true(folded == 699);
    assert_true(last == scrubber_line_time(&b.scrub, 0, fault_map_nth_line(&b.faults, idb, 0, 699)));
    assert_false(memctl_scrub(&b, end, &ev) && ev.addr == poisoned << MEM_LINE_SHIFT); /* skipped */
    assert_true(ev.fault_id == idb);
    folded += 1 + memctl_scrub_fold(&b, end, &ev, &last);
    assert_false(memctl_scrub(&b, end, &ev));
    assert_true(1 + folded == lines - 1); /* all but the poisoned line */
    poison_clear(&b.poison, poisoned << MEM_LINE_SHIFT);
    assert_true(b.ledger.ce + 1 == a.ledger.ce && b.ledger.scrub_found + 1 == a.ledger.scrub_found);
    assert_true(b.ledger.scrub_visits == a.ledger.scrub_visits);
    assert_true(b.ledger.folded == folded - 1 && a.ledger.folded == 0);
    struct dram_loc pl;
    addr_map_line_loc(&b.map, poisoned, &pl);
    for (unsigned r = 0; r < 2; r++)
        for (unsigned k = 0; k < 4; k++)
            assert_true(memctl_bank_ce(&b, 1, 0, r, k) + (r == pl.rank && k == pl.bank) ==
                        memctl_bank_ce(&a, 1, 0, r, k));
    assert_true(a.ntruth == 1 && b.ntruth == 1);
    assert_true(a.truth[0].lines == lines && a.truth[0].ce == lines && b.truth[0].ce == lines - 1);
    assert_int_equal(a.truth[0].first_by, MEMCTL_FOUND_SCRUB);
    assert_true(a.truth[0].first_ps == b.truth[0].first_ps);
    memctl_free(&a);
    memctl_free(&b);
}

/* Twins: two permanent faults of the same lines (devices 6 and 2, a DQ
 * each), every line a DUE of both. Each finding is named for the first
 * fault (the walk's next entry at a line of both), and a fold of its
 * lines moves the other's entry with its own (scrub_lead_end): the same
 * findings, visits, poison and each fault's truth as line by line. */
static void test_twins_fold_equals_line_by_line(void **state)
{
    (void)state;
    struct memctl a, b;
    init_small(&a);
    init_small(&b);
    struct mem_fault f = ce_multi_bank(), g = f;
    g.device = 2;
    g.dq_mask = 1;
    uint64_t ida = memctl_add_fault(&a, &f), idb = memctl_add_fault(&b, &f);
    assert_true(memctl_add_fault(&a, &g) > ida && memctl_add_fault(&b, &g) > idb);
    uint64_t lines = fault_map_footprint_lines(&a.faults, ida);
    uint64_t end = a.scrub.period_ps - 1; /* one pass */
    struct memctl_scrub_event ev;
    uint64_t n = 0;
    while (memctl_scrub(&a, end, &ev)) {
        assert_int_equal(ev.outcome, MEMCTL_UNCORRECTABLE);
        assert_true(ev.fault_id == ida);
        n++;
    }
    assert_true(n == lines);
    assert_true(memctl_scrub(&b, end, &ev));
    assert_true(ev.fault_id == idb && ev.outcome == MEMCTL_UNCORRECTABLE);
    assert_true(memctl_scrub_fold_count(&b, &ev) == lines - 1);
    uint64_t last, folded = memctl_scrub_fold(&b, end, &ev, &last);
    assert_true(folded == lines - 1);
    assert_false(memctl_scrub(&b, end, &ev)); /* no entry left behind */
    assert_true(b.ledger.uc == a.ledger.uc && b.ledger.scrub_found == a.ledger.scrub_found);
    assert_true(b.ledger.scrub_visits == a.ledger.scrub_visits && b.ledger.folded == lines - 1);
    assert_true(memctl_poison_count(&b) == memctl_poison_count(&a) && memctl_poison_count(&a) == lines);
    for (uint64_t l = 0; l < a.map.lines; l++)
        assert_true(memctl_poisoned(&a, l << MEM_LINE_SHIFT) == memctl_poisoned(&b, l << MEM_LINE_SHIFT));
    assert_true(a.ntruth == 2 && b.ntruth == 2);
    for (unsigned i = 0; i < 2; i++) {
        assert_true(a.truth[i].uc == lines && b.truth[i].uc == lines);
        assert_true(a.truth[i].first_by == b.truth[i].first_by && a.truth[i].first_ps == b.truth[i].first_ps);
    }
    memctl_free(&a);
    memctl_free(&b);
}

/* A transient wide fault's CEs fold too: each line written back heals, so
 * the fold heals its lines as one stretch (fault_map_heal_stretch), not a
 * time per line, stops at a line a demand write healed already, and
 * leaves the same counts, bank counts, truth and data as line by line;
 * the fault, healed everywhere by the pass's end, is gone in both. */
static void test_transient_fold_equals_line_by_line(void **state)
{
    (void)state;
    struct memctl a, b;
    init_small(&a);
    init_small(&b);
    struct mem_fault f = ce_multi_bank();
    f.permanent = false;
    uint64_t ida = memctl_add_fault(&a, &f), idb = memctl_add_fault(&b, &f);
    uint64_t lines = fault_map_footprint_lines(&a.faults, ida);
    uint64_t end = a.scrub.period_ps - 1;
    /* a demand write heals one line ahead of the walk in both */
    uint64_t w = fault_map_nth_line(&b.faults, idb, 0, 900);
    assert_int_equal(memctl_write_line(&a, w << MEM_LINE_SHIFT, 1), 0);
    assert_int_equal(memctl_write_line(&b, w << MEM_LINE_SHIFT, 1), 0);
    struct memctl_scrub_event ev;
    uint64_t n = 0;
    while (memctl_scrub(&a, end, &ev))
        n++;
    assert_true(n == lines - 1);
    assert_true(fault_map_count(&a.faults) == 0); /* healed everywhere */
    /* b: the first finding, then folds up to the healed line, then on */
    assert_true(memctl_scrub(&b, end, &ev) && ev.fault_id == idb && ev.outcome == MEMCTL_CORRECTED);
    uint64_t last, folded = memctl_scrub_fold(&b, end, &ev, &last), finds = 1;
    assert_true(folded == 899); /* lines 1..899: line 900 was written */
    assert_true(u64map_count(&b.faults.healed) == 0); /* heals kept as stretches, not a time per line */
    while (memctl_scrub(&b, end, &ev)) {
        finds++;
        folded += memctl_scrub_fold(&b, end, &ev, &last);
    }
    assert_true(finds + folded == lines - 1 && finds < 5);
    assert_true(fault_map_count(&b.faults) == 0);
    assert_true(b.ledger.ce == a.ledger.ce && b.ledger.scrub_visits == a.ledger.scrub_visits);
    assert_true(b.ledger.scrub_found == a.ledger.scrub_found && b.ledger.folded == folded);
    assert_same_banks_and_data(&a, &b);
    assert_true(a.truth[0].ce == lines - 1 && b.truth[0].ce == lines - 1);
    /* the next pass finds nothing in either */
    assert_false(memctl_scrub(&a, 2 * a.scrub.period_ps - 1, &ev));
    assert_false(memctl_scrub(&b, 2 * b.scrub.period_ps - 1, &ev));
    memctl_free(&a);
    memctl_free(&b);
}

/* Two faults' lines in turn, taken at once (memctl_scrub_fold_set: the round
 * fold of rounds that find a line of each): the same counts, per DRAM bank
 * and per fault, and the same walk after, as line by line; a dry run moves
 * nothing; a third fault's line among them stops it. */
static void test_fold_set_equals_line_by_line(void **state)
{
    (void)state;
    struct memctl a, b;
    init_small(&a);
    init_small(&b);
    struct mem_fault f1 = {.mode = FAULT_SINGLE_COLUMN, .permanent = true, .channel = 1, .rank = 0, .bank = 1,
                           .column = 8, .device = 6, .dq_mask = 4};
    struct mem_fault f2 = f1;
    f2.rank = 1;
    f2.bank = 2;
    f2.column = 16;
    uint64_t a1 = memctl_add_fault(&a, &f1), a2 = memctl_add_fault(&a, &f2);
    uint64_t b1 = memctl_add_fault(&b, &f1), b2 = memctl_add_fault(&b, &f2);
    assert_true(a1 == b1 && a2 == b2);
    uint64_t until = a.scrub.period_ps / 2; /* half a pass */
    struct memctl_scrub_event ev, likes[2] = {{0}};
    bool seen[2] = {false, false};
    uint64_t n = 0;
    while (memctl_scrub(&a, until, &ev)) {
        n++;
        unsigned i = ev.fault_id == a1 ? 0 : 1;
        if (!seen[i])
            likes[i] = ev;
        seen[i] = true;
    }
    assert_true(seen[0] && seen[1] && n > 4);
    /* b: the first finding, then the rest in one step */
    assert_true(memctl_scrub(&b, until, &ev));
    assert_true(ev.fault_id == likes[0].fault_id || ev.fault_id == likes[1].fault_id);
    uint64_t last;
    struct memctl_ledger before = b.ledger;
    uint64_t dry = memctl_scrub_fold_set(&b, until, likes, 2, false, true, &last);
    assert_true(dry == n - 1);
    assert_memory_equal(&before, &b.ledger, sizeof(before)); /* nothing moved */
    assert_true(memctl_scrub_fold_set(&b, until, likes, 2, false, false, &last) == n - 1);
    assert_false(memctl_scrub(&b, until, &ev)); /* nothing left up to until */
    assert_true(b.ledger.ce == a.ledger.ce && b.ledger.scrub_found == a.ledger.scrub_found &&
                b.ledger.scrub_visits == a.ledger.scrub_visits);
    assert_true(b.ledger.folded == n - 1 && a.ledger.folded == 0);
    for (unsigned r = 0; r < 2; r++)
        for (unsigned k = 0; k < 4; k++)
            assert_true(memctl_bank_ce(&b, 1, 0, r, k) == memctl_bank_ce(&a, 1, 0, r, k));
    assert_true(a.ntruth == 2 && b.ntruth == 2);
    for (unsigned i = 0; i < 2; i++)
        assert_true(a.truth[i].ce == b.truth[i].ce && a.truth[i].ce > 0);
    /* the walk goes on alike */
    struct memctl_scrub_event ea, eb;
    assert_true(memctl_scrub(&a, UINT64_MAX - 1, &ea) && memctl_scrub(&b, UINT64_MAX - 1, &eb));
    assert_true(ea.addr == eb.addr && ea.time_ps == eb.time_ps);
    /* a third fault with a line among the next ones: none taken */
    uint64_t until2 = until + a.scrub.period_ps / 4;
    likes[0].time_ps = likes[1].time_ps = eb.time_ps;
    assert_true(memctl_scrub_fold_set(&b, until2, likes, 2, false, true, &last) > 2);
    uint64_t l3 = fault_map_nth_line(&b.faults, b1, (eb.addr >> MEM_LINE_SHIFT) + 1, 1);
    assert_true(l3 != FAULT_NO_LINE && scrubber_line_time(&b.scrub, 0, l3) <= until2);
    struct dram_loc loc;
    addr_map_line_loc(&b.map, l3, &loc);
    struct mem_fault f3 = {.mode = FAULT_SINGLE_BIT, .permanent = true, .channel = loc.channel, .dimm = loc.dimm,
                           .rank = loc.rank, .bank = loc.bank, .row = loc.row, .column = loc.column, .device = 2,
                           .dq_mask = 1};
    (void)memctl_add_fault(&b, &f3);
    assert_true(memctl_scrub_fold_set(&b, until2, likes, 2, false, true, &last) == 0);
    memctl_free(&a);
    memctl_free(&b);
}

/* Scrub a and b up to until: a line by line, b its first finding, then
 * the rest in one memctl_scrub_fold_set (holes) over likes; the same
 * counts after. Returns how many findings a made. */
static uint64_t scrub_both(struct memctl *a, struct memctl *b, uint64_t until, const struct memctl_scrub_event *likes,
                           unsigned n, bool holes_only)
{
    struct memctl_scrub_event ev;
    uint64_t found = 0, last;
    while (memctl_scrub(a, until, &ev))
        found++;
    assert_true(found > 4);
    assert_true(memctl_scrub(b, until, &ev));
    if (holes_only) /* lines of a fault not among the likes: holes, or none */
        assert_true(memctl_scrub_fold_set(b, until, likes, n, false, true, &last) == 0);
    struct memctl_ledger before = b->ledger;
    assert_true(memctl_scrub_fold_set(b, until, likes, n, true, true, &last) == found - 1);
    assert_memory_equal(&before, &b->ledger, sizeof(before)); /* dry: nothing moved */
    assert_true(memctl_scrub_fold_set(b, until, likes, n, true, false, &last) == found - 1);
    assert_false(memctl_scrub(b, until, &ev));
    return found;
}

/* The nested tests' faults: a column fault within ce_multi_bank's lines,
 * on another device, both added to mc (*o, *i: their ids). */
static void add_nested_faults(struct memctl *mc, uint64_t *o, uint64_t *i)
{
    struct mem_fault outer = ce_multi_bank();
    struct mem_fault inner = {.mode = FAULT_SINGLE_COLUMN, .permanent = true, .channel = 1, .rank = 1, .bank = 2,
                              .column = 8, .device = 3, .dq_mask = 1};
    *o = memctl_add_fault(mc, &outer);
    *i = memctl_add_fault(mc, &inner);
    assert_true(*o != 0 && *i != 0);
}

/* a (line by line) and b (folded) of the nested tests: the same ledger,
 * poisoned lines, bank counts, data and truth, and the walk goes on
 * alike */
static void assert_nested_alike(struct memctl *a, struct memctl *b)
{
    assert_true(b->ledger.ce == a->ledger.ce && b->ledger.uc == a->ledger.uc);
    assert_true(b->ledger.scrub_found == a->ledger.scrub_found && b->ledger.scrub_visits == a->ledger.scrub_visits);
    assert_true(memctl_poison_count(b) == memctl_poison_count(a));
    assert_same_banks_and_data(a, b);
    for (unsigned k = 0; k < 2; k++)
        assert_true(a->truth[k].ce == b->truth[k].ce && a->truth[k].uc == b->truth[k].uc);
    struct memctl_scrub_event ea, eb;
    assert_true(memctl_scrub(a, UINT64_MAX - 1, &ea) && memctl_scrub(b, UINT64_MAX - 1, &eb));
    assert_true(ea.addr == eb.addr && ea.time_ps == eb.time_ps);
}

/* a and b (init_small) with the nested tests' faults, the same ids */
static void init_nested_pair(struct memctl *a, struct memctl *b, uint64_t *o, uint64_t *i)
{
    uint64_t ob, ib;
    init_small(a);
    init_small(b);
    add_nested_faults(a, o, i);
    add_nested_faults(b, &ob, &ib);
    assert_true(ob == *o && ib == *i);
}

/* A column fault within a multi-bank fault's lines, on another device
 * (fleet hosts 3628, 9408): each of its lines a DUE of both, named for
 * the column fault (check_line), then poisoned. Its DUEs and the bank
 * fault's CEs folded at once give the same counts - per DRAM bank, per
 * fault (a DUE of both: each fault's), poisoned lines - and the same walk
 * as line by line; on the next pass the poisoned lines are holes in the
 * bank fault's CEs (a visit each, no finding), folded so too. */
static void test_fold_set_nested_equals_line_by_line(void **state)
{
    (void)state;
    struct memctl a, b;
    uint64_t o, i, ob, ib;
    init_nested_pair(&a, &b, &o, &i);
    /* the likes: a's first finding of each fault */
    struct memctl t;
    init_small(&t);
    add_nested_faults(&t, &ob, &ib);
    struct memctl_scrub_event ev, likes[2] = {{0}};
    bool seen[2] = {false, false};
    while ((!seen[0] || !seen[1]) && memctl_scrub(&t, t.scrub.period_ps - 1, &ev)) {
        unsigned k = ev.fault_id == i;
        assert_true(ev.fault_id == o || ev.fault_id == i); /* a DUE of both: named for the inner one */
        assert_true(ev.outcome == (k ? MEMCTL_UNCORRECTABLE : MEMCTL_CORRECTED));
        if (!seen[k])
            likes[k] = ev;
        seen[k] = true;
    }
    assert_true(seen[0] && seen[1]);
    memctl_free(&t);
    const uint64_t half = a.scrub.period_ps / 2;
    uint64_t n = scrub_both(&a, &b, half, likes, 2, false);
    assert_true(a.ledger.uc > 0 && a.ledger.ce > 0 && a.ledger.uc + a.ledger.ce == n);
    assert_true(b.ledger.ce == a.ledger.ce && b.ledger.uc == a.ledger.uc);
    assert_true(b.ledger.scrub_found == a.ledger.scrub_found && b.ledger.scrub_visits == a.ledger.scrub_visits);
    assert_true(memctl_poison_count(&b) == memctl_poison_count(&a) && memctl_poison_count(&a) == a.ledger.uc);
    assert_same_banks_and_data(&a, &b);
    assert_true(a.ntruth == 2 && b.ntruth == 2);
    for (unsigned k = 0; k < 2; k++)
        assert_true(a.truth[k].ce == b.truth[k].ce && a.truth[k].uc == b.truth[k].uc);
    assert_true(a.truth[0].uc == a.ledger.uc && a.truth[1].uc == a.ledger.uc && a.truth[1].ce == 0);
    /* the rest of the pass line by line in both, then the next pass's
     * first half: the column's lines poisoned, holes */
    while (memctl_scrub(&a, a.scrub.period_ps - 1, &ev))
        ;
    while (memctl_scrub(&b, b.scrub.period_ps - 1, &ev))
        ;
    uint64_t uc = a.ledger.uc, visits = a.ledger.scrub_visits;
    n = scrub_both(&a, &b, a.scrub.period_ps + half, likes, 1, true);
    assert_true(a.ledger.uc == uc && a.ledger.scrub_visits - visits > n); /* holes: visits, no finding */
    assert_nested_alike(&a, &b);
    memctl_free(&a);
    memctl_free(&b);
}

/* A column fault within a multi-bank CE fault's lines, poisoned on the
 * first pass (fleet hosts 3628, 9408): on the next, its lines are holes
 * in the bank fault's CEs. While the bank holds a logged CE each CE is a
 * count, so memctl_scrub_fold_holed takes the CEs across the holes in one
 * fold (memctl_scrub_fold stops at the first hole), and its horizon is
 * the k-th CE, holes not counted: the same counts and walk as line by
 * line. */
static void test_fold_holed_equals_line_by_line(void **state)
{
    (void)state;
    struct memctl a, b;
    uint64_t o, i, ob, ib;
    init_nested_pair(&a, &b, &o, &i);
    const uint64_t period = a.scrub.period_ps, until = period + period / 2u;
    struct memctl_scrub_event ev, like;
    while (memctl_scrub(&a, period - 1u, &ev))
        ;
    while (memctl_scrub(&b, period - 1u, &ev))
        ;
    assert_true(a.ledger.uc == 64 && memctl_poison_count(&a) == 64);
    /* a: the next pass's first half line by line, each CE's time kept */
    uint64_t *times = malloc(2048 * sizeof *times), found = 0, uc = a.ledger.uc, visits = a.ledger.scrub_visits;
    while (memctl_scrub(&a, until, &ev)) {
        assert_true(ev.fault_id == o && ev.outcome == MEMCTL_CORRECTED);
        assert_true(times && found < 2048);
        times[found++] = ev.time_ps;
    }
    assert_true(found > 500 && a.ledger.uc == uc);
    const uint64_t holes = a.ledger.scrub_visits - visits - found;
    assert_true(holes > 10); /* the column's lines among them: visits, no finding */
    /* b: the first finding, then the fold's wake for the 100th CE after it
     * and for all of them (up to where its lines end: the pass's end) */
    assert_true(memctl_scrub(&b, until, &like) && like.time_ps == times[0]);
    assert_true(memctl_scrub_fold_holed_horizon(&b, &like, 100, NULL) == times[100]);
    assert_true(memctl_scrub_fold_holed_horizon(&b, &like, UINT64_MAX, NULL) == period + period);
    /* memctl_scrub_fold alone stops at the first hole */
    struct memctl *c = malloc(sizeof *c); /* (three on the stack: too deep a frame for Valgrind) */
    assert_non_null(c);
    init_small(c);
    add_nested_faults(c, &ob, &ib);
    assert_true(ob == o && ib == i);
    while (memctl_scrub(c, period - 1u, &ev))
        ;
    struct memctl_scrub_event lc;
    uint64_t last;
    assert_true(memctl_scrub(c, until, &lc));
    uint64_t plain = memctl_scrub_fold(c, until, &lc, &last);
    assert_true(plain > 0 && plain < found / 4u);
    memctl_free(c);
    free(c);
    /* up to the 100th, then the rest from the walk's next line (due) */
    assert_true(memctl_scrub_fold_holed(&b, times[100], &like, false, &last) == 100 && last == times[100]);
    assert_true(memctl_scrub_fold_holed(&b, until, &like, true, &last) == found - 101);
    assert_true(last == times[found - 1] && like.time_ps == times[101]);
    assert_false(memctl_scrub(&b, until, &ev));
    assert_nested_alike(&a, &b);
    free(times);
    memctl_free(&a);
    memctl_free(&b);
}

/* A multi-bank fault of init_small's channel 1, rank 1 whose 3-DQ flips
 * the decoder miscorrects on every line. */
static struct mem_fault miscorrecting_multi_bank(void)
{
    struct mem_fault f = {.mode = FAULT_MULTI_BANK, .permanent = true, .channel = 1, .rank = 1};
    bool found = false;
    for (unsigned d = 0; d < 72 && !found; d++)
        for (unsigned dq = 7; dq < 16 && !found; dq++) {
            struct memctl t;
            init_small(&t);
            if (d >= t.map.devices || __builtin_popcount(dq) != 3 || dq >= (1u << t.map.g.device_width)) {
                memctl_free(&t);
                continue;
            }
            f.device = d;
            f.dq_mask = (uint8_t)dq;
            uint64_t id = memctl_add_fault(&t, &f);
            struct memctl_read r;
            uint64_t line = fault_map_nth_line(&t.faults, id, 0, 0);
            assert_int_equal(memctl_read(&t, line << MEM_LINE_SHIFT, 1, &r), 0);
            found = r.outcome == MEMCTL_SDC && r.hw_status == ECC_CORRECTED;
            memctl_free(&t);
        }
    assert_true(found);
    return f;
}

/* memctl_scrub_fold_set with a miscorrecting fault beside a CE one: the
 * fault arrives a quarter into the first pass, so the next pass
 * miscorrects its lines up to where it arrived (their first visit) and
 * corrects the wrong data on the rest. memctl_scrub_fold_set_end stops a
 * fold of the first kind at that point, and folds of each kind give what
 * line-by-line scrubbing gives: ledger, truth, bank counts, stored data. */
static void test_fold_set_miscorrections(void **state)
{
    (void)state;
    struct memctl a, b;
    init_small(&a);
    init_small(&b);
    const uint64_t period = a.scrub.period_ps;
    struct mem_fault f1 = {.mode = FAULT_SINGLE_COLUMN, .permanent = true, .channel = 1, .rank = 0, .bank = 1,
                           .column = 8, .device = 6, .dq_mask = 4};
    struct mem_fault f2 = miscorrecting_multi_bank();
    f2.time_ps = period / 4u;
    uint64_t id1 = memctl_add_fault(&a, &f1), id2 = memctl_add_fault(&a, &f2);
    assert_true(memctl_add_fault(&b, &f1) == id1 && memctl_add_fault(&b, &f2) == id2);
    /* the first pass and the next one's first finding, line by line in both */
    struct memctl_scrub_event ev, ea, eb, likes[2] = {{0}};
    while (memctl_scrub(&a, period - 1u, &ev))
        if (ev.fault_id == id1 || ev.outcome == MEMCTL_SDC)
            likes[ev.fault_id == id1 ? 0 : 1] = ev;
    while (memctl_scrub(&b, period - 1u, &ev))
        ;
    assert_true(likes[0].outcome == MEMCTL_CORRECTED && likes[1].outcome == MEMCTL_SDC);
    assert_true(memctl_scrub(&a, UINT64_MAX - 1u, &ea) && memctl_scrub(&b, UINT64_MAX - 1u, &eb));
    assert_true(ea.addr == eb.addr && ea.time_ps == eb.time_ps);
    /* where the data held changes: the first line the walk reached after
     * the fault came */
    struct fault_footprint fp;
    assert_true(fault_map_footprint(&b.faults, id2, &fp));
    const uint64_t flip = footprint_next_line(&fp, scrubber_line_at(&b.scrub, 0, f2.time_ps));
    assert_true(flip != FAULT_NO_LINE && flip > eb.addr >> MEM_LINE_SHIFT);
    likes[0].time_ps = likes[1].time_ps = eb.time_ps;
    assert_true(memctl_scrub_fold_set_end(&b, likes, 2, false) == flip);
    /* a fold past it fails whole; up to it, it is line by line's */
    uint64_t last, t_flip = scrubber_line_time(&b.scrub, 1, flip);
    assert_true(memctl_scrub_fold_set(&b, t_flip, likes, 2, false, true, &last) == 0);
    assert_true(memctl_scrub_fold_set(&b, t_flip - 1u, likes, 2, false, false, &last) > 2);
    while (memctl_scrub(&a, t_flip - 1u, &ev))
        assert_true(ev.outcome == (ev.fault_id == id1 ? MEMCTL_CORRECTED : MEMCTL_SDC));
    /* then the corrections of the wrong data, to half a pass on */
    assert_true(memctl_scrub(&a, UINT64_MAX - 1u, &ea) && memctl_scrub(&b, UINT64_MAX - 1u, &eb));
    assert_true(ea.addr == eb.addr && ea.time_ps == eb.time_ps && ea.outcome == eb.outcome);
    if (ea.fault_id == id2)
        likes[1] = ea;
    else
        likes[0] = ea;
    likes[1].outcome = MEMCTL_CORRECTED;
    likes[0].time_ps = likes[1].time_ps = eb.time_ps;
    const uint64_t until = period + period / 2u;
    assert_true(memctl_scrub_fold_set_end(&b, likes, 2, false) == b.scrub.lines);
    assert_true(memctl_scrub_fold_set(&b, until, likes, 2, false, false, &last) > 2);
    while (memctl_scrub(&a, until, &ev))
        assert_true(ev.outcome == MEMCTL_CORRECTED);
    assert_false(memctl_scrub(&b, until, &ev));
    assert_true(a.ledger.ce == b.ledger.ce && a.ledger.scrub_miscorrected == b.ledger.scrub_miscorrected &&
                a.ledger.scrub_found == b.ledger.scrub_found && a.ledger.scrub_visits == b.ledger.scrub_visits);
    assert_true(b.ledger.ce > 0 && b.ledger.scrub_miscorrected > 0 && b.ledger.folded > 0 && a.ledger.folded == 0);
    for (unsigned i = 0; i < 2; i++)
        assert_true(a.truth[i].ce == b.truth[i].ce && a.truth[i].sdc == b.truth[i].sdc);
    for (unsigned r = 0; r < 2; r++)
        for (unsigned k = 0; k < 4; k++)
            assert_true(memctl_bank_ce(&b, 1, 0, r, k) == memctl_bank_ce(&a, 1, 0, r, k));
    /* memory holds the same data on every line of the fault */
    for (uint64_t l = footprint_next_line(&fp, 0); l != FAULT_NO_LINE; l = footprint_next_line(&fp, l + 1u)) {
        uint8_t da[MEM_LINE_BYTES], db[MEM_LINE_BYTES];
        assert_true(sdc_store_get(&a.sdc, l, da) == sdc_store_get(&b.sdc, l, db));
        assert_memory_equal(da, db, MEM_LINE_BYTES);
    }
    memctl_free(&a);
    memctl_free(&b);
}

/* A wide permanent fault that the decoder miscorrects, scrubbed pass after
 * pass with demand reads and software writes in between: every finding and
 * every read is what a per-line record of memory's contents gives (each
 * write-back flips the line between wrong data and right data, a write
 * makes it right), and the store keeps a few flip points, not a line each. */
static void test_miscorrecting_wide_fault_runs(void **state)
{
    (void)state;
    struct memctl mc;
    init_small(&mc);
    struct mem_fault f = miscorrecting_multi_bank();
    uint64_t id = memctl_add_fault(&mc, &f);
    uint64_t lines = fault_map_footprint_lines(&mc.faults, id);
    static bool wrong[1u << 16]; /* memory holds wrong data (per line) */
    assert_true(mc.map.lines <= sizeof(wrong));
    assert_true(lines == 2048);
    memset(wrong, 0, sizeof(wrong));
    struct mem_rng rng;
    mem_rng_init(&rng, 5, "test/memctl/runs");
    uint64_t period = mc.scrub.period_ps, step = period / 64u, reads = 0;
    struct memctl_scrub_event ev;
    /* the scrubber alone: after a pass every line holds wrong data, in
     * one run of two flip points */
    while (memctl_scrub(&mc, period - 1u, &ev))
        wrong[ev.addr >> MEM_LINE_SHIFT] = true;
    assert_true(sdc_store_lines(&mc.sdc, UINT64_MAX / 2) == lines);
    assert_true(sdc_store_count(&mc.sdc) == 0 && sdc_store_flip_points(&mc.sdc) == 2);
    for (uint64_t t = period + step; t <= 3u * period; t += step) {
        while (memctl_scrub(&mc, t, &ev)) {
            uint64_t line = ev.addr >> MEM_LINE_SHIFT;
            assert_int_equal(ev.outcome, wrong[line] ? MEMCTL_CORRECTED : MEMCTL_SDC);
            wrong[line] = !wrong[line];
        }
        for (unsigned k = 0; k < 8; k++) {
            uint64_t line = fault_map_nth_line(&mc.faults, id, 0, mem_rng_below(&rng, lines));
            if (mem_rng_below(&rng, 4) == 0) {
                assert_int_equal(memctl_write_line(&mc, line << MEM_LINE_SHIFT, t), 0);
                wrong[line] = false;
                continue;
            }
            struct memctl_read r;
            assert_int_equal(memctl_read(&mc, line << MEM_LINE_SHIFT, t, &r), 0);
            reads++;
            assert_int_equal(r.outcome, wrong[line] ? MEMCTL_CORRECTED : MEMCTL_SDC);
            assert_int_equal(r.hw_status, ECC_CORRECTED);
            wrong[line] = !wrong[line]; /* demand scrub wrote it back */
        }
    }
    uint64_t n = 0;
    for (uint64_t l = 0; l < mc.map.lines; l++)
        n += wrong[l];
    assert_true(sdc_store_lines(&mc.sdc, UINT64_MAX / 2) == n);
    assert_true(sdc_store_count(&mc.sdc) < 200);       /* software-written lines */
    /* a demand read flips one line out of the walk's order: two points */
    assert_true(sdc_store_flip_points(&mc.sdc) <= 2u * reads + 4u);
    memctl_free(&mc);
}

/* Folding a miscorrecting fault's findings (each an SDC nobody sees) gives
 * what line by line gives: ledger, bank counters, the fault's truth and
 * every line's wrong data, this pass and the next (where the lines, now
 * wrong, come out right: CEs). */
static void test_fold_miscorrections_equals_line_by_line(void **state)
{
    (void)state;
    struct memctl a, b;
    init_small(&a);
    init_small(&b);
    struct mem_fault f = miscorrecting_multi_bank();
    uint64_t ida = memctl_add_fault(&a, &f), idb = memctl_add_fault(&b, &f);
    uint64_t lines = fault_map_footprint_lines(&a.faults, ida);
    assert_true(ida == idb);
    /* a second fault on line 300 of the first: a fold stops before it,
     * and its line is written back exactly */
    uint64_t other = fault_map_nth_line(&a.faults, ida, 0, 300);
    struct mem_fault g = fault_at(&a, FAULT_SINGLE_BIT, other << MEM_LINE_SHIFT, (f.device + 1u) % 16u, 1, true);
    assert_true(memctl_add_fault(&a, &g) != 0 && memctl_add_fault(&b, &g) != 0);
    uint64_t end = a.scrub.period_ps - 1;
    struct memctl_scrub_event ev;
    uint64_t n = 0;
    while (memctl_scrub(&a, end, &ev))
        n++;
    assert_true(n == lines);
    uint64_t found = 0, folded = 0, last;
    while (memctl_scrub(&b, end, &ev)) {
        found++;
        folded += memctl_scrub_fold(&b, end, &ev, &last);
    }
    assert_true(found + folded == lines);
    assert_true(found >= 3 && found < 10 && folded > lines - 10);
    assert_true(b.ledger.folded == folded && a.ledger.folded == 0);
    assert_true(b.ledger.scrub_miscorrected == a.ledger.scrub_miscorrected && b.ledger.ce == 0);
    assert_true(b.ledger.scrub_found == a.ledger.scrub_found && b.ledger.scrub_visits == a.ledger.scrub_visits);
    for (unsigned r = 0; r < 2; r++)
        for (unsigned k = 0; k < 4; k++)
            assert_true(memctl_bank_ce(&b, 1, 0, r, k) == memctl_bank_ce(&a, 1, 0, r, k));
    assert_true(b.truth[0].sdc == a.truth[0].sdc && b.truth[1].uc + b.truth[1].ce + b.truth[1].sdc == 1);
    assert_true(b.truth[1].uc == a.truth[1].uc && b.truth[1].ce == a.truth[1].ce);
    for (unsigned pass = 0; pass < 2; pass++) {
        for (uint64_t l = 0; l < a.map.lines; l++) {
            uint8_t da[64], db[64];
            assert_true(sdc_store_get(&a.sdc, l, da) == sdc_store_get(&b.sdc, l, db));
            assert_memory_equal(da, db, 64);
        }
        /* the next pass, line by line in both */
        uint64_t next_end = end + a.scrub.period_ps;
        struct memctl_scrub_event eb;
        while (memctl_scrub(&a, next_end, &ev)) {
            assert_true(memctl_scrub(&b, next_end, &eb));
            assert_true(eb.addr == ev.addr && eb.outcome == ev.outcome && eb.time_ps == ev.time_ps);
        }
        assert_false(memctl_scrub(&b, next_end, &eb));
        end = next_end;
    }
    assert_true(b.ledger.ce == a.ledger.ce && a.ledger.ce > 0);
    memctl_free(&a);
    memctl_free(&b);
}


/* A data device whose four DQs flipped together are a SECDED codeword
 * (their check columns XOR to zero): the decoder sees nothing. */
static unsigned silent_device(void)
{
    for (unsigned d = 0; d < 16; d++)
        if ((secded_column(4 * d) ^ secded_column(4 * d + 1) ^ secded_column(4 * d + 2) ^
             secded_column(4 * d + 3)) == 0)
            return d;
    fail_msg("no x4 device of the SECDED code is silent on all four DQs");
    return 0;
}

/* Scrub in steps of a seventh of a pass until `until`; returns findings,
 * UCs among them in *uc. */
static uint64_t scrub_in_steps(struct memctl *mc, uint64_t from, uint64_t until, uint64_t *uc)
{
    struct memctl_scrub_event ev;
    uint64_t n = 0, step = mc->scrub.period_ps / 7;
    for (uint64_t t = from; t <= until; t = t + step > until && t != until ? until : t + step) {
        while (memctl_scrub(mc, t, &ev)) {
            n++;
            *uc += ev.outcome == MEMCTL_UNCORRECTABLE;
        }
        if (t == until)
            break;
    }
    return n;
}

/* Faults whose lines can never be a finding (scrub_passive.h) leave the
 * walk and are counted, not visited: a silent fault (its error a SECDED
 * codeword) and a UC fault once its lines are poisoned. Every pass still
 * counts each faulty line once (scrubber.h), findings are those of the
 * other faults, a write that unpoisons a line brings its fault back (the
 * line is a fresh UC next pass), and so does a new fault over a passive
 * one's lines (a shared line is one visit). */
static void test_passive_faults_keep_visits(void **state)
{
    (void)state;
    struct memctl mc;
    init_small(&mc);
    struct mem_fault silent = {.mode = FAULT_MULTI_BANK, .permanent = true, .channel = 1, .rank = 1,
                               .device = silent_device(), .dq_mask = 0xf};
    struct mem_fault uc = {.mode = FAULT_SINGLE_ROW, .permanent = true, .channel = 0, .rank = 1, .device = 3,
                           .bank = 2, .row = 9, .dq_mask = 3};
    struct mem_fault ce = {.mode = FAULT_SINGLE_ROW, .permanent = true, .channel = 0, .rank = 0, .device = 5,
                           .bank = 1, .row = 40, .dq_mask = 1};
    uint64_t ids = memctl_add_fault(&mc, &silent), idu = memctl_add_fault(&mc, &uc);
    uint64_t idc = memctl_add_fault(&mc, &ce);
    assert_true(ids && idu && idc);
    uint64_t ls = fault_map_footprint_lines(&mc.faults, ids), lu = fault_map_footprint_lines(&mc.faults, idu);
    uint64_t lc = fault_map_footprint_lines(&mc.faults, idc);
    assert_true(ls == 4u * 64u * 8u && lu == 8 && lc == 8);
    const uint64_t P = mc.scrub.period_ps, per_pass = ls + lu + lc;
    uint64_t ucs = 0, found = scrub_in_steps(&mc, 0, 5 * P - 1, &ucs);
    assert_true(found == lu + 5 * lc && ucs == lu);
    assert_true(mc.ledger.scrub_visits == 5 * per_pass);
    assert_true(mc.ledger.scrub_passed >= 4 * (ls + lu)); /* passes 1..4 at least */
    assert_true(mc.ledger.ce == 5 * lc && mc.ledger.uc == lu && mc.ledger.scrub_found == found);
    assert_int_equal(mc.scrub.passive.n, 2);
    /* the UC fault's lines all poisoned, the CE fault's none */
    struct fault_footprint fu, fc;
    assert_true(fault_map_footprint(&mc.faults, idu, &fu) && fault_map_footprint(&mc.faults, idc, &fc));
    assert_true(memctl_footprint_poisoned(&mc, &fu));
    assert_false(memctl_footprint_poisoned(&mc, &fc));
    /* a UC line written: its fault walks again, the line a fresh finding */
    uint64_t line = fault_map_nth_line(&mc.faults, idu, 0, 3);
    assert_int_equal(memctl_write_line(&mc, line << MEM_LINE_SHIFT, 5 * P + 1), 0);
    assert_false(memctl_footprint_poisoned(&mc, &fu)); /* (not all: one unpoisoned) */
    assert_int_equal(mc.scrub.passive.n, 1);
    ucs = 0;
    found = scrub_in_steps(&mc, 5 * P + 2, 6 * P - 1, &ucs);
    assert_true(found == 1 + lc && ucs == 1);
    assert_true(mc.ledger.scrub_visits == 6 * per_pass);
    assert_int_equal(mc.scrub.passive.n, 2); /* all poisoned again */
    assert_true(memctl_footprint_poisoned(&mc, &fu));
    /* a CE fault on one of the silent fault's lines: both walk that line */
    struct mem_fault bit = silent;
    bit.mode = FAULT_SINGLE_BIT;
    bit.device = (silent.device + 1) % 16;
    bit.dq_mask = 1;
    bit.bank = 3;
    bit.row = 17;
    bit.column = 24;
    bit.time_ps = 6 * P;
    assert_true(memctl_add_fault(&mc, &bit) != 0);
    assert_int_equal(mc.scrub.passive.n, 1);
    found = scrub_in_steps(&mc, 6 * P, 7 * P - 1, &ucs);
    assert_true(found == 1 + lc);
    assert_true(mc.ledger.scrub_visits == 7 * per_pass);
    memctl_free(&mc);
}

/* A transient UC fault leaves the walk too once all its lines are
 * poisoned (their error was reported then; a write heals what it
 * unpoisons): a write that unpoisons one of its lines brings it back
 * first, so its visits are counted up to then; the written line is healed
 * (no fresh finding), and a single-line transient is gone from then on. */
static void test_passive_transient_faults(void **state)
{
    (void)state;
    struct memctl mc;
    init_small(&mc);
    struct mem_fault row = {.mode = FAULT_SINGLE_ROW, .permanent = false, .channel = 0, .rank = 1, .device = 3,
                            .bank = 2, .row = 9, .dq_mask = 3};
    struct mem_fault word = {.mode = FAULT_SINGLE_WORD, .permanent = false, .channel = 1, .rank = 0, .device = 4,
                             .bank = 3, .row = 20, .column = 16, .dq_mask = 3};
    struct mem_fault ce = {.mode = FAULT_SINGLE_ROW, .permanent = true, .channel = 0, .rank = 0, .device = 5,
                           .bank = 1, .row = 40, .dq_mask = 1};
    uint64_t idr = memctl_add_fault(&mc, &row), idw = memctl_add_fault(&mc, &word);
    uint64_t idc = memctl_add_fault(&mc, &ce);
    assert_true(idr && idw && idc);
    const uint64_t lr = fault_map_footprint_lines(&mc.faults, idr), lw = fault_map_footprint_lines(&mc.faults, idw);
    const uint64_t lc = fault_map_footprint_lines(&mc.faults, idc);
    assert_true(lr == 8 && lw == 1 && lc == 8);
    const uint64_t P = mc.scrub.period_ps, per_pass = lr + lw + lc;
    uint64_t ucs = 0, found = scrub_in_steps(&mc, 0, 5 * P - 1, &ucs);
    assert_true(found == lr + lw + 5 * lc && ucs == lr + lw);
    assert_true(mc.ledger.scrub_visits == 5 * per_pass);
    assert_true(mc.ledger.scrub_passed >= 4 * (lr + lw));
    assert_int_equal(mc.scrub.passive.n, 2);
    /* both written at the start of pass 5, before the walk reaches them */
    uint64_t rline = fault_map_nth_line(&mc.faults, idr, 0, 3), wline = fault_map_nth_line(&mc.faults, idw, 0, 0);
    assert_true(scrubber_line_offset(&mc.scrub, rline) > 1 && scrubber_line_offset(&mc.scrub, wline) > 1);
    assert_int_equal(memctl_write_line(&mc, rline << MEM_LINE_SHIFT, 5 * P + 1), 0);
    assert_int_equal(mc.scrub.passive.n, 1);
    assert_int_equal(memctl_write_line(&mc, wline << MEM_LINE_SHIFT, 5 * P + 1), 0);
    assert_int_equal(mc.scrub.passive.n, 0);
    assert_null(fault_map_get(&mc.faults, idw)); /* healed: gone */
    ucs = 0;
    found = scrub_in_steps(&mc, 5 * P + 2, 7 * P - 1, &ucs);
    assert_true(found == 2 * lc && ucs == 0); /* the healed line is clean */
    assert_true(mc.ledger.scrub_visits == 7 * per_pass - 2 * lw);
    /* the row fault walks on: its healed line is neither poisoned nor
     * a finding, so it may be found no more but is visited */
    assert_int_equal(mc.scrub.passive.n, 0);
    assert_false(memctl_poisoned(&mc, rline << MEM_LINE_SHIFT));
    memctl_free(&mc);
}

/* Rebase while a spare copy runs: refused (its bandwidth and each line's
 * copy time are in use), nothing moves; once it ended, the copy's start
 * moves with the rest and the spare serves the line it copied. */
static void test_rebase_refused_while_copying(void **state)
{
    (void)state;
    struct memctl_config c = memctl_config_default();
    c.spare_rank = true;
    c.spare_line_ps = 1000;
    struct memctl mc;
    assert_int_equal(memctl_init(&mc, &c), 0);
    uint64_t addr = 0x12345680ull, t0 = 5000;
    struct mem_fault f = fault_at(&mc, FAULT_SINGLE_WORD, addr, 11, 0x3, true); /* a UE in the old rank */
    f.time_ps = 2 * HOUR;
    uint64_t id = memctl_add_fault(&mc, &f);
    assert_int_equal(memctl_spare_rank(&mc, addr, t0, false), 0);
    uint64_t done = spare_done_ps(&mc.spare), d = HOUR;
    assert_int_equal(memctl_rebase(&mc, d, done - 1), -EBUSY);
    assert_int_equal(memctl_rebase(&mc, d, t0), -EBUSY);
    assert_true(mc.spare.start_ps == t0 && fault_map_get(&mc.faults, id)->time_ps == 2 * HOUR);
    uint64_t now = done + 1;
    assert_int_equal(memctl_rebase(&mc, d, now), 0);
    assert_true(mc.spare.start_ps == t0 - d && fault_map_get(&mc.faults, id)->time_ps == HOUR);
    struct memctl_read r;
    assert_int_equal(memctl_read(&mc, addr, HOUR + 1, &r), 0);
    assert_int_equal(r.outcome, MEMCTL_CLEAN); /* the spare's copy, made before the fault */
    assert_false(memctl_copy_busy(&mc, addr, now));

    /* rebased until the copy began 2^62 ps before now (the most it may),
     * then no rebase for over 2^62 ps: a fault the old rank gets over
     * 2^63 ps after the line's copy is still not read */
    assert_true(memctl_remove_fault(&mc, id));
    assert_int_equal(memctl_rebase(&mc, PS_REBASE_D_MAX, now), 0);
    assert_int_equal(memctl_rebase(&mc, PS_REBASE_AGE_MAX - (now - mc.spare.start_ps), now), 0);
    assert_true(now - mc.spare.start_ps == PS_REBASE_AGE_MAX);
    assert_int_equal(memctl_can_rebase(&mc, 1, now), -ERANGE);
    uint64_t copied = mc.spare.start_ps + (spare_line_index(&mc.map, &r.loc) + 1) * c.spare_line_ps;
    f.time_ps = copied + (1ull << 63);
    memctl_add_fault(&mc, &f);
    assert_int_equal(memctl_read(&mc, addr, f.time_ps + 1000, &r), 0);
    assert_int_equal(r.outcome, MEMCTL_CLEAN);
    memctl_free(&mc);
}

/* A controller moved back at every quiet point of its scrub walk finds
 * what an unmoved one finds, at the same times less the total moved: a
 * permanent bit every pass, a transient row from its arrival until the
 * scrubber's write-backs heal it. */
static void test_rebase_keeps_findings(void **state)
{
    (void)state;
    const uint64_t poll = 16000000000000ull;
    struct memctl a, b;
    struct memctl_config c = memctl_config_default();
    c.scrub_period_ps = 3 * HOUR;
    assert_int_equal(memctl_init(&a, &c), 0);
    assert_int_equal(memctl_init(&b, &c), 0);
    struct mem_fault bit = fault_at(&a, FAULT_SINGLE_BIT, 0x12345680ull, 11, 0x8, true);
    struct mem_fault row = fault_at(&a, FAULT_SINGLE_ROW, 0x7654300ull, 4, 0x1, false);
    row.time_ps = 7 * HOUR + 5;
    memctl_add_fault(&a, &bit);
    memctl_add_fault(&b, &bit);
    memctl_add_fault(&a, &row);
    memctl_add_fault(&b, &row);
    uint64_t now = 0, sum = 0, rebases = 0;
    for (unsigned i = 0; i < 200; i++) {
        uint64_t next = memctl_scrub_next_time(&b);
        if (next == UINT64_MAX)
            break;
        uint64_t d = next > now ? (next - now - 1) / poll * poll : 0;
        if (d) {
            assert_int_equal(memctl_rebase(&b, d, now), 0);
            sum += d;
            rebases++;
            next -= d;
        }
        struct memctl_scrub_event ea, eb;
        bool fb = memctl_scrub(&b, next, &eb);
        bool fa = memctl_scrub(&a, next + sum, &ea);
        assert_true(fa == fb);
        if (fb) {
            assert_true(ea.time_ps == eb.time_ps + sum && ea.addr == eb.addr);
            assert_int_equal(ea.outcome, eb.outcome);
            assert_true(ea.status == eb.status);
        }
        now = next;
    }
    assert_true(rebases > 10 && b.ledger.ce == a.ledger.ce && b.ledger.scrub_found == a.ledger.scrub_found);
    assert_true(a.ledger.scrub_found > 3);
    memctl_free(&a);
    memctl_free(&b);
}

/* Scrubbing a miscorrecting fault pass after pass (wrong data written
 * back, then right data again: SDCs, then CEs), with demand reads between
 * scrub steps: folding after every finding, each fold up to the read's
 * time first (as the shell does before a demand access), gives what line
 * by line gives (software rewriting lines too) - every read's outcome,
 * ledger, bank counters, the
 * fault's truth, every line's data - in a few findings a pass. Both kinds
 * of fold change memory's data, which the horizon reports. */
static void fold_passes_with_reads(bool due_first)
{
    struct memctl a, b;
    init_small(&a);
    init_small(&b);
    struct mem_fault f = miscorrecting_multi_bank();
    uint64_t id = memctl_add_fault(&a, &f);
    assert_true(memctl_add_fault(&b, &f) == id);
    uint64_t lines = fault_map_footprint_lines(&a.faults, id);
    struct mem_rng rng;
    mem_rng_init(&rng, 9, "test/memctl/fold-passes");
    /* steps out of phase with the passes: reads fall on other lines each pass */
    uint64_t period = a.scrub.period_ps, step = period / 16u + 7777777u, found = 0, folded = 0, last;
    unsigned writes[MEMCTL_OUTCOME__COUNT] = {0};
    struct memctl_scrub_event ev, like = {0};
    for (uint64_t t = step; t <= 4u * period; t += step) {
        while (memctl_scrub(&a, t, &ev))
            ;
        /* due_first: fold from the walk's next line before any finding
         * (memctl_scrub_fold_due, after the reads and writes of the step
         * before), on fold_start's memo when nothing changed */
        if (due_first && like.fault_id)
            folded += memctl_scrub_fold_due(&b, t, &like, &last);
        while (memctl_scrub(&b, t, &ev)) {
            like = ev;
            found++;
            folded += memctl_scrub_fold(&b, t, &ev, &last);
            bool w = false;
            (void)memctl_scrub_fold_horizon(&b, &ev, UINT64_MAX, &w);
            writes[ev.outcome] += w;
        }
        /* a read of one of the fault's lines, and one of a line the
         * walk reaches next */
        uint64_t l0 = fault_map_nth_line(&a.faults, id, 0, mem_rng_below(&rng, lines));
        uint64_t pass, at;
        scrubber_position(&a.scrub, t, &pass, &at);
        uint64_t l1 = fault_map_next_line(&a.faults, id, at);
        for (unsigned k = 0; k < 2; k++) {
            uint64_t line = k ? l1 : l0;
            struct memctl_read ra, rb;
            if (line == FAULT_NO_LINE)
                continue;
            assert_int_equal(memctl_read(&a, line << MEM_LINE_SHIFT, t, &ra), 0);
            assert_int_equal(memctl_read(&b, line << MEM_LINE_SHIFT, t, &rb), 0);
            assert_int_equal(ra.outcome, rb.outcome);
            assert_memory_equal(ra.data_error, rb.data_error, MEM_LINE_BYTES);
        }
        /* software rewrites a line now and then: an exact entry */
        if (mem_rng_below(&rng, 2) == 0) {
            uint64_t w = fault_map_nth_line(&a.faults, id, 0, mem_rng_below(&rng, lines));
            assert_int_equal(memctl_write_line(&a, w << MEM_LINE_SHIFT, t), 0);
            assert_int_equal(memctl_write_line(&b, w << MEM_LINE_SHIFT, t), 0);
        }
    }
    assert_true(a.ledger.scrub_miscorrected > lines && a.ledger.ce > lines); /* both kinds, pass after pass */
    assert_true(found < a.ledger.scrub_found / 8u && b.ledger.folded == folded);
    assert_true(writes[MEMCTL_SDC] > 0 && writes[MEMCTL_CORRECTED] > 0);
    assert_true(a.ledger.ce == b.ledger.ce && a.ledger.sdc == b.ledger.sdc);
    assert_true(a.ledger.scrub_miscorrected == b.ledger.scrub_miscorrected);
    assert_true(a.ledger.scrub_found == b.ledger.scrub_found && a.ledger.scrub_visits == b.ledger.scrub_visits);
    assert_true(a.ledger.demand_found == b.ledger.demand_found);
    assert_true(a.truth[0].ce == b.truth[0].ce && a.truth[0].sdc == b.truth[0].sdc);
    assert_same_banks_and_data(&a, &b);
    memctl_free(&a);
    memctl_free(&b);
}

static void test_fold_passes_with_reads_equals_line_by_line(void **state)
{
    (void)state;
    fold_passes_with_reads(false);
    fold_passes_with_reads(true);
}

/* A spare rank taking over the rank of a wide miscorrecting fault: the
 * lines its copy has reached are read from the spare and not scrubbed any
 * more (scrub_line), so folding gives what line by line gives only if it
 * leaves that channel to line by line. */
static void test_fold_leaves_a_spared_channel_alone(void **state)
{
    (void)state;
    struct memctl a, b;
    struct mem_fault f = miscorrecting_multi_bank();
    struct memctl_config c = memctl_config_default();
    c.geom = (struct mem_geometry){2, 1, 2, 4, 64, 64, 4, 2};
    c.scrub_period_ps = 1000000000ull;
    c.spare_rank = true;
    c.spare_line_ps = c.scrub_period_ps / 8192u; /* a rank's copy: a quarter of a pass */
    assert_int_equal(memctl_init(&a, &c), 0);
    assert_int_equal(memctl_init(&b, &c), 0);
    uint64_t id = memctl_add_fault(&a, &f);
    assert_true(memctl_add_fault(&b, &f) == id);
    uint64_t first = fault_map_nth_line(&a.faults, id, 0, 0) << MEM_LINE_SHIFT;
    uint64_t mid = a.scrub.period_ps / 2u, end = a.scrub.period_ps - 1, last;
    struct memctl_scrub_event ev;
    for (unsigned half = 0; half < 2; half++) {
        uint64_t until = half ? end : mid;
        if (half) { /* the copy starts half way through the pass */
            assert_int_equal(memctl_spare_rank(&a, first, mid, false), 0);
            assert_int_equal(memctl_spare_rank(&b, first, mid, false), 0);
        }
        while (memctl_scrub(&a, until, &ev))
            ;
        while (memctl_scrub(&b, until, &ev))
            (void)memctl_scrub_fold(&b, until, &ev, &last);
    }
    /* the copy, four times the walk's speed, passed the fault's last
     * lines before the walk did */
    assert_true(a.ledger.scrub_found < fault_map_footprint_lines(&a.faults, id) && a.ledger.scrub_found > 0);
    assert_true(b.ledger.scrub_found == a.ledger.scrub_found);
    assert_true(b.ledger.scrub_miscorrected == a.ledger.scrub_miscorrected && b.ledger.ce == a.ledger.ce);
    for (unsigned r = 0; r < 2; r++)
        for (unsigned k = 0; k < 4; k++)
            assert_true(memctl_bank_ce(&b, 1, 0, r, k) == memctl_bank_ce(&a, 1, 0, r, k));
    memctl_free(&a);
    memctl_free(&b);
}

/* A fold asked for before the walk's next line is due folds nothing and
 * moves nothing; asked for at that line's time it folds exactly it. */
static void test_fold_waits_for_next_line(void **state)
{
    (void)state;
    struct memctl mc;
    init_small(&mc);
    struct mem_fault f = ce_multi_bank();
    uint64_t id = memctl_add_fault(&mc, &f);
    struct memctl_scrub_event ev;
    assert_true(memctl_scrub(&mc, mc.scrub.period_ps - 1, &ev));
    assert_true(ev.fault_id == id);
    uint64_t next = scrubber_line_time(&mc.scrub, 0, fault_map_nth_line(&mc.faults, id, 0, 1));
    assert_true(next > ev.time_ps);
    struct memctl_ledger before = mc.ledger;
    uint64_t visits = mc.scrub.visits, last = 0;
    assert_true(memctl_scrub_fold(&mc, next - 1, &ev, &last) == 0);
    assert_true(mc.ledger.scrub_found == before.scrub_found && mc.ledger.folded == 0);
    assert_true(mc.scrub.visits == visits);
    assert_true(memctl_scrub_next_time(&mc) == next);
    assert_true(memctl_scrub_fold(&mc, next, &ev, &last) == 1);
    assert_true(last == next);
    assert_true(mc.ledger.folded == 1 && mc.ledger.ce == before.ce + 1);
    memctl_free(&mc);
}

/* Catch-ups at a bank access (the host's scrub_due): "the first due line
 * as a finding, then a fold" (a) and "a fold from the first due line,
 * then findings for what does not fold" (b, memctl_scrub_fold_due) count
 * the same lines - ledger, DRAM bank counters, the fault's truth, memory's
 * data - while b reports only the lines a fold cannot take (the first
 * line, the line after the poisoned one, the line with two faults and the
 * one after it): every catch-up that began with a fold is one finding
 * fewer and one more line folded. */
static void test_fold_due_equals_finding_then_fold(void **state)
{
    (void)state;
    struct memctl a, b;
    init_small(&a);
    init_small(&b);
    struct mem_fault f = ce_multi_bank();
    uint64_t id = memctl_add_fault(&a, &f);
    assert_true(memctl_add_fault(&b, &f) == id);
    uint64_t lines = fault_map_footprint_lines(&a.faults, id);
    uint64_t poisoned = fault_map_nth_line(&a.faults, id, 0, 700);
    poison_mark(&a.poison, poisoned << MEM_LINE_SHIFT, 0);
    poison_mark(&b.poison, poisoned << MEM_LINE_SHIFT, 0);
    uint64_t other = fault_map_nth_line(&a.faults, id, 0, 1500);
    struct mem_fault g = fault_at(&a, FAULT_SINGLE_BIT, other << MEM_LINE_SHIFT, (f.device + 1u) % 16u, 1, true);
    assert_true(memctl_add_fault(&a, &g) != 0 && memctl_add_fault(&b, &g) != 0);
    struct memctl_scrub_event la = {0}, lb = {0}, ev;
    uint64_t period = a.scrub.period_ps, step = period / 64u + 12345u, last;
    uint64_t found_a = 0, found_b = 0, due_b = 0; /* due_b: catch-ups that began with a fold */
    for (uint64_t t = step;; t += step) {
        if (t >= period)
            t = period - 1u; /* the pass's end */
        while (memctl_scrub(&a, t, &ev)) {
            found_a++;
            la = ev;
            (void)memctl_scrub_fold(&a, t, &la, &last);
        }
        if (lb.fault_id) {
            uint64_t before = lb.time_ps, line, top;
            bool peek = scrub_peek(&b.scrub, &b.faults, &line, &top);
            uint64_t n = memctl_scrub_fold_due(&b, t, &lb, &last);
            due_b += n != 0;
            /* like's time is the first folded line's */
            assert_true(n == 0 ? lb.time_ps == before : peek && lb.time_ps == scrubber_line_time(&b.scrub, 0, line));
        }
        while (memctl_scrub(&b, t, &ev)) {
            found_b++;
            lb = ev;
            (void)memctl_scrub_fold(&b, t, &lb, &last);
        }
        if (t == period - 1u)
            break;
    }
    assert_true(found_a >= 64 / 2 && due_b > 0);
    assert_true(found_b <= 4 && found_b + due_b == found_a);
    assert_true(a.ledger.scrub_found == b.ledger.scrub_found && a.ledger.scrub_visits == b.ledger.scrub_visits);
    assert_true(a.ledger.ce == b.ledger.ce && a.ledger.uc == b.ledger.uc);
    assert_true(a.ledger.ce + a.ledger.uc == lines - 1u); /* all but the poisoned line */
    assert_true(b.ledger.folded == a.ledger.folded + due_b);
    assert_true(found_b == 4);
    assert_true(a.truth[0].ce == b.truth[0].ce && a.truth[1].ce == b.truth[1].ce);
    assert_same_banks_and_data(&a, &b);
    memctl_free(&a);
    memctl_free(&b);
    /* right after a finding, mid-pass: a like of another fault folds
     * nothing, nor does a time one ps before the next line's; at it, the
     * line folds, and like takes its time */
    struct memctl c;
    init_small(&c);
    id = memctl_add_fault(&c, &f);
    assert_true(id != 0);
    struct memctl_scrub_event lc;
    assert_true(memctl_scrub(&c, UINT64_MAX / 2, &lc) && lc.fault_id == id);
    uint64_t line, top;
    assert_true(scrub_peek(&c.scrub, &c.faults, &line, &top) && top == id);
    uint64_t next = scrubber_line_time(&c.scrub, 0, line);
    struct memctl_scrub_event wrong = lc;
    wrong.fault_id = id + 1u;
    assert_true(memctl_scrub_fold_due(&c, next, &wrong, &last) == 0);
    assert_true(memctl_scrub_fold_due(&c, next - 1u, &lc, &last) == 0);
    assert_true(c.ledger.folded == 0);
    assert_true(memctl_scrub_fold_due(&c, next, &lc, &last) == 1);
    assert_true(lc.time_ps == next && last == next && c.ledger.folded == 1);
    memctl_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mca_records),
        cmocka_unit_test(test_config_checks),
        cmocka_unit_test(test_clean_reads),
        cmocka_unit_test(test_transient_bit_scrubbed_away),
        cmocka_unit_test(test_permanent_bit_repeats),
        cmocka_unit_test(test_row_fault_poisons_many_pages),
        cmocka_unit_test(test_triple_bit_miscorrection_is_sdc),
        cmocka_unit_test(test_four_bit_undetected_is_sdc),
        cmocka_unit_test(test_scrub_miscorrection_leaves_wrong_data),
        cmocka_unit_test(test_chipkill_survives_device_failure),
        cmocka_unit_test(test_switches),
        cmocka_unit_test(test_spare_rank_takes_over),
        cmocka_unit_test(test_rebase_refused_while_copying),
        cmocka_unit_test(test_rebase_keeps_findings),
        cmocka_unit_test(test_mirror_fails_over),
        cmocka_unit_test(test_miscorrecting_wide_fault_runs),
        cmocka_unit_test(test_fold_miscorrections_equals_line_by_line),
        cmocka_unit_test(test_fold_equals_line_by_line),
        cmocka_unit_test(test_twins_fold_equals_line_by_line),
        cmocka_unit_test(test_fold_set_equals_line_by_line),
        cmocka_unit_test(test_fold_set_nested_equals_line_by_line),
        cmocka_unit_test(test_fold_holed_equals_line_by_line),
        cmocka_unit_test(test_fold_set_miscorrections),
        cmocka_unit_test(test_fold_waits_for_next_line),
        cmocka_unit_test(test_fold_passes_with_reads_equals_line_by_line),
        cmocka_unit_test(test_fold_leaves_a_spared_channel_alone),
        cmocka_unit_test(test_fold_due_equals_finding_then_fold),
        cmocka_unit_test(test_passive_faults_keep_visits),
        cmocka_unit_test(test_passive_transient_faults),
        cmocka_unit_test(test_transient_fold_equals_line_by_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
