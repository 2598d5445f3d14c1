/*
 * test_cpu_mca.c - unit tests of the CPU machine-check register file.
 *
 * Every expectation below comes from the Intel SDM rules restated in
 * models/cpu/cpu_mca.h (MSR existence and #GP, overwrite rules, corrected
 * error count, MCi_CTL/MCG_CTL masking, #MC/CMCI signalling, RIPV/EIPV,
 * shutdown on nested #MC or CR4.MCE=0), never from the model's output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "models/cpu/cpu_mca.h"

#define ALL_FLAGS (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P | MCG_LMCE_P)

/* Status words of the error classes (SDM 15.6.2 classification). */
#define ST_CE (MCI_STATUS_VAL | 0x0091ull)
#define ST_CE2 (MCI_STATUS_VAL | 0x0092ull)
#define ST_PCC (MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_PCC | 0x0150ull)
#define ST_SRAR (MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_S | MCI_STATUS_AR | MCACOD_DATA_LOAD)
#define ST_SRAO (MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_S | MCACOD_SCRUB)
#define ST_UCNA (MCI_STATUS_VAL | MCI_STATUS_UC | 0x0136ull)
#define ST_UC_NOSER (MCI_STATUS_VAL | MCI_STATUS_UC | 0x0005ull)

static void init_cpu(struct cpu_mca *c, unsigned nbanks, uint64_t flags)
{
    struct cpu_mca_config cfg = {.nbanks = nbanks, .mcg_cap_flags = flags};
    assert_int_equal(cpu_mca_init(c, &cfg), 0);
}

/* What an OS does at boot: enable every bank and, with CTL_P, MCG_CTL. */
static void enable_all(struct cpu_mca *c)
{
    for (unsigned i = 0; i < c->nbanks; i++)
        assert_int_equal(cpu_mca_wrmsr(c, MSR_IA32_MCx_CTL(i), ~0ull), 0);
    if (c->mcg_cap & MCG_CTL_P)
        assert_int_equal(cpu_mca_wrmsr(c, MSR_IA32_MCG_CTL, ~0ull), 0);
}

static void arm_cmci(struct cpu_mca *c, unsigned bank, unsigned threshold)
{
    assert_int_equal(cpu_mca_wrmsr(c, MSR_IA32_MCx_CTL2(bank), MCI_CTL2_CMCI_EN | threshold), 0);
}

static uint64_t rd(const struct cpu_mca *c, uint32_t msr)
{
    uint64_t v = 0xDEADull;
    assert_int_equal(cpu_mca_rdmsr(c, msr, &v), 0);
    return v;
}

static void assert_gp_read(const struct cpu_mca *c, uint32_t msr)
{
    uint64_t v = 0;
    assert_int_equal(cpu_mca_rdmsr(c, msr, &v), -1);
}

static void assert_gp_write(struct cpu_mca *c, uint32_t msr, uint64_t val)
{
    assert_int_equal(cpu_mca_wrmsr(c, msr, val), -1);
}

/* ------------------------------------------------------------------ */
/* Init                                                                */
/* ------------------------------------------------------------------ */

static void test_init_validates_config(void **state)
{
    (void)state;
    struct cpu_mca c;
    struct cpu_mca_config cfg = {.nbanks = 0};
    assert_int_equal(cpu_mca_init(&c, &cfg), -1);
    cfg.nbanks = MCA_MAX_BANKS + 1;
    assert_int_equal(cpu_mca_init(&c, &cfg), -1);
    cfg.nbanks = 1;
    assert_int_equal(cpu_mca_init(&c, &cfg), 0);
    cfg.nbanks = MCA_MAX_BANKS;
    assert_int_equal(cpu_mca_init(&c, &cfg), 0);
    cfg.mcg_cap_flags = ALL_FLAGS;
    assert_int_equal(cpu_mca_init(&c, &cfg), 0);

    /* Bits outside the header's list are not the config's to set. */
    const uint64_t bad[] = {MCG_EXT_P, MCG_EMC_P, MCG_ELOG_P, 0x5ull, 1ull << 16, 1ull << 63};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cfg.mcg_cap_flags = MCG_SER_P | bad[i];
        assert_int_equal(cpu_mca_init(&c, &cfg), -1);
    }
    cfg.mcg_cap_flags = MCG_CMCI_P;
    cfg.ctl2_max_threshold = 0x8000; /* wider than the 15-bit field */
    assert_int_equal(cpu_mca_init(&c, &cfg), -1);
}

static void test_init_power_on_state(void **state)
{
    (void)state;
    struct cpu_mca c;
    memset(&c, 0xA5, sizeof(c));
    struct cpu_mca_config cfg = {.nbanks = 9, .mcg_cap_flags = MCG_CTL_P | MCG_SER_P,
                                 .id = {CPU_VENDOR_INTEL, 6, 85}};
    assert_int_equal(cpu_mca_init(&c, &cfg), 0);
    assert_int_equal(c.mcg_cap, MCG_CTL_P | MCG_SER_P | 9);
    assert_int_equal(c.nbanks, 9);
    assert_int_equal(c.mcg_status, 0);
    assert_int_equal(c.mcg_ctl, 0);
    assert_int_equal(c.mcg_ext_ctl, 0);
    assert_true(c.cr4_mce);
    assert_int_equal(c.state, CPU_RUNNING);
    assert_null(c.shutdown_reason);
    assert_int_equal(c.ctl2_max_threshold, 0x7FFF);
    assert_int_equal(c.id.vendor, CPU_VENDOR_INTEL);
    assert_int_equal(c.id.family, 6);
    assert_int_equal(c.id.model, 85);
    for (unsigned i = 0; i < MCA_MAX_BANKS; i++) {
        assert_int_equal(c.bank[i].ctl, 0);
        assert_int_equal(c.bank[i].status, 0);
        assert_int_equal(c.bank[i].addr, 0);
        assert_int_equal(c.bank[i].misc, 0);
        assert_int_equal(c.bank[i].ctl2, 0);
    }
    cfg.ctl2_max_threshold = 0x40;
    assert_int_equal(cpu_mca_init(&c, &cfg), 0);
    assert_int_equal(c.ctl2_max_threshold, 0x40);
}

/* ------------------------------------------------------------------ */
/* Global MSRs                                                         */
/* ------------------------------------------------------------------ */

static void test_mcg_cap_read_only(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 6, MCG_CMCI_P | MCG_SER_P);
    assert_int_equal(rd(&c, MSR_IA32_MCG_CAP), MCG_CMCI_P | MCG_SER_P | 6);
    assert_gp_write(&c, MSR_IA32_MCG_CAP, MCG_CMCI_P | MCG_SER_P | 6);
    assert_gp_write(&c, MSR_IA32_MCG_CAP, 0);
    assert_int_equal(rd(&c, MSR_IA32_MCG_CAP), MCG_CMCI_P | MCG_SER_P | 6);
    assert_true(cpu_mca_msr_exists(&c, MSR_IA32_MCG_CAP));
}

static void test_mcg_status_writable_bits(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 2, 0);
    assert_int_equal(rd(&c, MSR_IA32_MCG_STATUS), 0);
    /* Every combination of RIPV, EIPV, MCIP, LMCES is accepted as written. */
    for (uint64_t v = 0; v <= 0xF; v++) {
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCG_STATUS, v), 0);
        assert_int_equal(rd(&c, MSR_IA32_MCG_STATUS), v);
    }
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCG_STATUS, MCG_STATUS_MCIP), 0);
    const uint64_t bad[] = {1ull << 4, 1ull << 31, 1ull << 63, ~0ull, MCG_STATUS_RIPV | (1ull << 8)};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_gp_write(&c, MSR_IA32_MCG_STATUS, bad[i]);
        assert_int_equal(rd(&c, MSR_IA32_MCG_STATUS), MCG_STATUS_MCIP);
    }
}

static void test_mcg_ctl_needs_ctl_p(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 4, MCG_CTL_P);
    assert_true(cpu_mca_msr_exists(&c, MSR_IA32_MCG_CTL));
    assert_int_equal(rd(&c, MSR_IA32_MCG_CTL), 0);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCG_CTL, 0x123456789ull), 0);
    assert_int_equal(rd(&c, MSR_IA32_MCG_CTL), 0x123456789ull);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCG_CTL, ~0ull), 0);
    assert_int_equal(rd(&c, MSR_IA32_MCG_CTL), ~0ull);

    init_cpu(&c, 4, MCG_SER_P | MCG_CMCI_P | MCG_LMCE_P);
    assert_false(cpu_mca_msr_exists(&c, MSR_IA32_MCG_CTL));
    assert_gp_read(&c, MSR_IA32_MCG_CTL);
    assert_gp_write(&c, MSR_IA32_MCG_CTL, ~0ull);
    assert_gp_write(&c, MSR_IA32_MCG_CTL, 0);
    assert_int_equal(c.mcg_ctl, 0);
}

static void test_mcg_ext_ctl_needs_lmce_p(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 4, MCG_LMCE_P);
    assert_true(cpu_mca_msr_exists(&c, MSR_IA32_MCG_EXT_CTL));
    assert_int_equal(rd(&c, MSR_IA32_MCG_EXT_CTL), 0);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCG_EXT_CTL, MCG_EXT_CTL_LMCE_EN), 0);
    assert_int_equal(rd(&c, MSR_IA32_MCG_EXT_CTL), MCG_EXT_CTL_LMCE_EN);
    /* Only LMCE_EN is defined; other bits #GP and change nothing. */
    assert_gp_write(&c, MSR_IA32_MCG_EXT_CTL, 2);
    assert_gp_write(&c, MSR_IA32_MCG_EXT_CTL, MCG_EXT_CTL_LMCE_EN | (1ull << 63));
    assert_gp_write(&c, MSR_IA32_MCG_EXT_CTL, ~0ull);
    assert_int_equal(rd(&c, MSR_IA32_MCG_EXT_CTL), MCG_EXT_CTL_LMCE_EN);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCG_EXT_CTL, 0), 0);
    assert_int_equal(rd(&c, MSR_IA32_MCG_EXT_CTL), 0);

    init_cpu(&c, 4, MCG_CTL_P | MCG_SER_P | MCG_CMCI_P);
    assert_false(cpu_mca_msr_exists(&c, MSR_IA32_MCG_EXT_CTL));
    assert_gp_read(&c, MSR_IA32_MCG_EXT_CTL);
    assert_gp_write(&c, MSR_IA32_MCG_EXT_CTL, MCG_EXT_CTL_LMCE_EN);
    assert_gp_write(&c, MSR_IA32_MCG_EXT_CTL, 0);
}

static void test_p5_registers(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 1, 0);
    assert_true(cpu_mca_msr_exists(&c, MSR_IA32_P5_MC_ADDR));
    assert_true(cpu_mca_msr_exists(&c, MSR_IA32_P5_MC_TYPE));
    assert_int_equal(rd(&c, MSR_IA32_P5_MC_ADDR), 0);
    assert_int_equal(rd(&c, MSR_IA32_P5_MC_TYPE), 0);
    assert_gp_write(&c, MSR_IA32_P5_MC_ADDR, 0);
    assert_gp_write(&c, MSR_IA32_P5_MC_TYPE, 1);
    /* Even with an error latched, the legacy registers stay 0. */
    enable_all(&c);
    cpu_mca_latch(&c, 0, ST_PCC | MCI_STATUS_ADDRV, 0x1000, 0);
    assert_int_equal(rd(&c, MSR_IA32_P5_MC_ADDR), 0);
    assert_int_equal(rd(&c, MSR_IA32_P5_MC_TYPE), 0);
}

static void test_non_mca_msrs_gp(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, MCA_MAX_BANKS, ALL_FLAGS);
    const uint32_t others[] = {0x2,   0x10,  0x1B,  0x178, 0x17C, 0x27F, 0x2A0, 0x3FF,
                               0x480, 0x4CF, 0x4D1, 0x800, 0xC0000080u, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        assert_false(cpu_mca_msr_exists(&c, others[i]));
        assert_gp_read(&c, others[i]);
        assert_gp_write(&c, others[i], 0);
    }
}

/* msr_exists says exactly whether rdmsr succeeds, for every config shape. */
static void test_msr_exists_matches_rdmsr(void **state)
{
    (void)state;
    const uint64_t flag_sets[] = {0, MCG_CTL_P, MCG_CMCI_P, MCG_LMCE_P, ALL_FLAGS};
    const unsigned counts[] = {1, 5, MCA_MAX_BANKS};
    for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++)
        for (size_t n = 0; n < sizeof(counts) / sizeof(counts[0]); n++) {
            struct cpu_mca c;
            init_cpu(&c, counts[n], flag_sets[f]);
            for (uint32_t msr = 0; msr < 0x600; msr++) {
                uint64_t v;
                assert_int_equal(cpu_mca_msr_exists(&c, msr), cpu_mca_rdmsr(&c, msr, &v) == 0);
            }
        }
}

/* ------------------------------------------------------------------ */
/* Bank MSRs                                                           */
/* ------------------------------------------------------------------ */

static uint64_t pattern(unsigned bank, unsigned reg)
{
    return 0x0123456789ABCDEFull ^ ((uint64_t)bank << 40) ^ ((uint64_t)reg << 8) ^ bank;
}

static void test_every_bank_ctl_addr_misc(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, MCA_MAX_BANKS, ALL_FLAGS);
    for (unsigned i = 0; i < MCA_MAX_BANKS; i++) {
        assert_true(cpu_mca_msr_exists(&c, MSR_IA32_MCx_CTL(i)));
        assert_int_equal(rd(&c, MSR_IA32_MCx_CTL(i)), 0);
        assert_int_equal(rd(&c, MSR_IA32_MCx_ADDR(i)), 0);
        assert_int_equal(rd(&c, MSR_IA32_MCx_MISC(i)), 0);
        /* Any value is accepted and read back. */
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL(i), pattern(i, 0)), 0);
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_ADDR(i), pattern(i, 2)), 0);
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_MISC(i), pattern(i, 3)), 0);
    }
    /* Read back after all writes: no bank aliases another. */
    for (unsigned i = 0; i < MCA_MAX_BANKS; i++) {
        assert_int_equal(rd(&c, MSR_IA32_MCx_CTL(i)), pattern(i, 0));
        assert_int_equal(rd(&c, MSR_IA32_MCx_ADDR(i)), pattern(i, 2));
        assert_int_equal(rd(&c, MSR_IA32_MCx_MISC(i)), pattern(i, 3));
        assert_int_equal(rd(&c, MSR_IA32_MCx_STATUS(i)), 0);
        assert_int_equal(c.bank[i].ctl, pattern(i, 0));
    }
    for (unsigned i = 0; i < MCA_MAX_BANKS; i++) {
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_ADDR(i), 0), 0);
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_MISC(i), 0), 0);
        assert_int_equal(rd(&c, MSR_IA32_MCx_ADDR(i)), 0);
        assert_int_equal(rd(&c, MSR_IA32_MCx_MISC(i)), 0);
    }
}

static void test_every_bank_status(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, MCA_MAX_BANKS, ALL_FLAGS);
    enable_all(&c);
    for (unsigned i = 0; i < MCA_MAX_BANKS; i++) {
        assert_true(cpu_mca_msr_exists(&c, MSR_IA32_MCx_STATUS(i)));
        assert_int_equal(rd(&c, MSR_IA32_MCx_STATUS(i)), 0);
        /* Software may only write zeros to MCi_STATUS. */
        assert_gp_write(&c, MSR_IA32_MCx_STATUS(i), MCI_STATUS_VAL);
        assert_gp_write(&c, MSR_IA32_MCx_STATUS(i), 1);
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_STATUS(i), 0), 0);
        cpu_mca_latch(&c, i, ST_UCNA | (uint64_t)i, 0, 0);
    }
    for (unsigned i = 0; i < MCA_MAX_BANKS; i++) {
        uint64_t s = rd(&c, MSR_IA32_MCx_STATUS(i));
        assert_true(s & MCI_STATUS_VAL);
        assert_int_equal(mci_mcacod(s), 0x0136 | i);
        assert_gp_write(&c, MSR_IA32_MCx_STATUS(i), s);
        assert_int_equal(rd(&c, MSR_IA32_MCx_STATUS(i)), s);
    }
    for (unsigned i = 0; i < MCA_MAX_BANKS; i++) {
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_STATUS(i), 0), 0);
        assert_int_equal(rd(&c, MSR_IA32_MCx_STATUS(i)), 0);
    }
}

static void test_every_bank_ctl2(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, MCA_MAX_BANKS, MCG_CMCI_P);
    for (unsigned i = 0; i < MCA_MAX_BANKS; i++) {
        assert_true(cpu_mca_msr_exists(&c, MSR_IA32_MCx_CTL2(i)));
        assert_int_equal(rd(&c, MSR_IA32_MCx_CTL2(i)), 0);
        uint64_t v = (i % 2 ? MCI_CTL2_CMCI_EN : 0) | (0x100u + i);
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(i), v), 0);
    }
    for (unsigned i = 0; i < MCA_MAX_BANKS; i++) {
        uint64_t v = (i % 2 ? MCI_CTL2_CMCI_EN : 0) | (0x100u + i);
        assert_int_equal(rd(&c, MSR_IA32_MCx_CTL2(i)), v);
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(i), 0), 0);
        assert_int_equal(rd(&c, MSR_IA32_MCx_CTL2(i)), 0);
    }
}

static void test_ctl2_reserved_bits_gp(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 3, MCG_CMCI_P);
    arm_cmci(&c, 1, 5);
    const uint64_t bad[] = {1ull << 15, 1ull << 29, 1ull << 31, 1ull << 63, ~0ull};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_gp_write(&c, MSR_IA32_MCx_CTL2(1), bad[i]);
        assert_gp_write(&c, MSR_IA32_MCx_CTL2(1), MCI_CTL2_CMCI_EN | 3 | bad[i]);
        assert_int_equal(rd(&c, MSR_IA32_MCx_CTL2(1)), MCI_CTL2_CMCI_EN | 5);
    }
}

/* Software finds the implemented maximum by writing 0x7FFF and reading back. */
static void test_ctl2_threshold_clamped(void **state)
{
    (void)state;
    struct cpu_mca c;
    struct cpu_mca_config cfg = {.nbanks = 2, .mcg_cap_flags = MCG_CMCI_P, .ctl2_max_threshold = 0x100};
    assert_int_equal(cpu_mca_init(&c, &cfg), 0);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(0), 0x7FFF), 0);
    assert_int_equal(rd(&c, MSR_IA32_MCx_CTL2(0)), 0x100);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(0), MCI_CTL2_CMCI_EN | 0x101), 0);
    assert_int_equal(rd(&c, MSR_IA32_MCx_CTL2(0)), MCI_CTL2_CMCI_EN | 0x100);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(0), MCI_CTL2_CMCI_EN | 0x50), 0);
    assert_int_equal(rd(&c, MSR_IA32_MCx_CTL2(0)), MCI_CTL2_CMCI_EN | 0x50);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(1), 0x100), 0);
    assert_int_equal(rd(&c, MSR_IA32_MCx_CTL2(1)), 0x100);

    init_cpu(&c, 1, MCG_CMCI_P); /* default maximum: the full field */
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(0), 0x7FFF), 0);
    assert_int_equal(rd(&c, MSR_IA32_MCx_CTL2(0)), 0x7FFF);
}

/* SDM 15.5.1: a bank without CMCI does not keep CMCI_EN (nor a threshold),
 * so it never signals CMCI; the other banks are unaffected. */
static void test_ctl2_bank_without_cmci(void **state)
{
    (void)state;
    struct cpu_mca c;
    struct cpu_mca_config cfg = {.nbanks = 3, .mcg_cap_flags = MCG_CMCI_P | MCG_SER_P, .no_cmci_banks = 1u << 1};
    assert_int_equal(cpu_mca_init(&c, &cfg), 0);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL(i), ~0ull), 0);
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(i), MCI_CTL2_CMCI_EN | 0x7FFF), 0);
    }
    assert_int_equal(rd(&c, MSR_IA32_MCx_CTL2(0)), MCI_CTL2_CMCI_EN | 0x7FFF);
    assert_int_equal(rd(&c, MSR_IA32_MCx_CTL2(1)), 0);
    assert_int_equal(rd(&c, MSR_IA32_MCx_CTL2(2)), MCI_CTL2_CMCI_EN | 0x7FFF);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(1), 1), 0);
    assert_int_equal(rd(&c, MSR_IA32_MCx_CTL2(1)), 0);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(0), MCI_CTL2_CMCI_EN | 1), 0);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(2), MCI_CTL2_CMCI_EN | 1), 0);
    /* a UCNA signals CMCI in a bank with CMCI, not in the one without */
    assert_false(cpu_mca_latch(&c, 1, 0xBC20000080000136ull, 0, 0).signal_cmci);
    assert_true(cpu_mca_latch(&c, 2, 0xBC20000080000136ull, 0, 0).signal_cmci);
}

static void test_ctl2_needs_cmci_p(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, MCA_MAX_BANKS, MCG_CTL_P | MCG_SER_P | MCG_LMCE_P | MCG_TES_P);
    for (unsigned i = 0; i < MCA_MAX_BANKS; i++) {
        assert_false(cpu_mca_msr_exists(&c, MSR_IA32_MCx_CTL2(i)));
        assert_gp_read(&c, MSR_IA32_MCx_CTL2(i));
        assert_gp_write(&c, MSR_IA32_MCx_CTL2(i), 0);
        assert_gp_write(&c, MSR_IA32_MCx_CTL2(i), MCI_CTL2_CMCI_EN | 1);
    }
}

static void test_banks_past_count_gp(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 4, ALL_FLAGS);
    for (unsigned i = 0; i < 4; i++)
        assert_true(cpu_mca_msr_exists(&c, MSR_IA32_MCx_CTL2(i)));
    for (unsigned i = 4; i < MCA_MAX_BANKS; i++) {
        const uint32_t msrs[] = {MSR_IA32_MCx_CTL(i), MSR_IA32_MCx_STATUS(i), MSR_IA32_MCx_ADDR(i),
                                 MSR_IA32_MCx_MISC(i), MSR_IA32_MCx_CTL2(i)};
        for (size_t k = 0; k < sizeof(msrs) / sizeof(msrs[0]); k++) {
            assert_false(cpu_mca_msr_exists(&c, msrs[k]));
            assert_gp_read(&c, msrs[k]);
            assert_gp_write(&c, msrs[k], 0);
            assert_gp_write(&c, msrs[k], ~0ull);
        }
    }
    /* The banks past the count are never touched. */
    for (unsigned i = 4; i < MCA_MAX_BANKS; i++) {
        assert_int_equal(c.bank[i].ctl, 0);
        assert_int_equal(c.bank[i].ctl2, 0);
    }
    /* Past the architectural maximum, even a 32-bank CPU #GPs. */
    init_cpu(&c, MCA_MAX_BANKS, ALL_FLAGS);
    assert_gp_read(&c, MSR_IA32_MCx_CTL(MCA_MAX_BANKS));
    assert_gp_read(&c, MSR_IA32_MCx_MISC(MCA_MAX_BANKS));
    assert_gp_read(&c, MSR_IA32_MCx_CTL2(MCA_MAX_BANKS));
}

/* ------------------------------------------------------------------ */
/* Latching: overwrite rules and the count                              */
/* ------------------------------------------------------------------ */

static void test_latch_bad_input(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 4, ALL_FLAGS);
    enable_all(&c);
    struct cpu_mca before;
    memcpy(&before, &c, sizeof(c));
    struct cpu_latch_result r = cpu_mca_latch(&c, 4, ST_PCC, 1, 2);
    assert_int_equal(r.kind, CPU_LATCH_BAD_BANK);
    assert_false(r.signal_mc);
    assert_false(r.signal_cmci);
    r = cpu_mca_latch(&c, 1000, ST_PCC, 1, 2);
    assert_int_equal(r.kind, CPU_LATCH_BAD_BANK);
    /* An error report without VAL is not an error. */
    r = cpu_mca_latch(&c, 0, ST_PCC & ~MCI_STATUS_VAL, 1, 2);
    assert_int_equal(r.kind, CPU_LATCH_BAD_BANK);
    assert_false(r.signal_mc);
    assert_false(r.signal_cmci);
    assert_memory_equal(&before, &c, sizeof(c));
}

/* An injector's write (QEMU's mce): the image as given, EN clear in an
 * enabled bank too, ADDR/MISC whatever ADDRV/MISCV say; the overwrite
 * still sets OVER and a CE does not replace a UC. */
static void test_write_raw(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 4, ALL_FLAGS);
    enable_all(&c);
    const uint64_t qemu_bystander = 0xA000000000000000ull; /* VAL|UC, EN clear */
    struct cpu_latch_result r = cpu_mca_write_raw(&c, 1, qemu_bystander, 0x1000, 0x86);
    assert_int_equal(r.kind, CPU_LATCH_LOGGED);
    assert_int_equal(rd(&c, MSR_IA32_MCx_STATUS(1)), qemu_bystander);
    assert_int_equal(rd(&c, MSR_IA32_MCx_ADDR(1)), 0x1000);
    assert_int_equal(rd(&c, MSR_IA32_MCx_MISC(1)), 0x86);
    assert_false(r.signal_mc); /* a UCNA: no S, no PCC */
    r = cpu_mca_write_raw(&c, 2, 0xA300000000000000ull, 0, 0); /* PCC|S, EN clear */
    assert_int_equal(c.bank[2].status, 0xA300000000000000ull);
    assert_true(r.signal_mc);
    /* a second UC replaces with OVER; a CE behind a UC only adds OVER */
    r = cpu_mca_write_raw(&c, 1, ST_SRAO, 0x2000, 0);
    assert_int_equal(r.kind, CPU_LATCH_REPLACED);
    assert_int_equal(c.bank[1].status, ST_SRAO | MCI_STATUS_OVER);
    assert_int_equal(c.bank[1].addr, 0x2000);
    r = cpu_mca_write_raw(&c, 1, ST_CE, 0x3000, 0);
    assert_int_equal(r.kind, CPU_LATCH_OVERFLOW);
    assert_int_equal(c.bank[1].status, ST_SRAO | MCI_STATUS_OVER);
    assert_int_equal(c.bank[1].addr, 0x2000);
    /* bad input writes nothing */
    assert_int_equal(cpu_mca_write_raw(&c, 4, ST_CE, 0, 0).kind, CPU_LATCH_BAD_BANK);
    assert_int_equal(cpu_mca_write_raw(&c, 0, ST_CE & ~MCI_STATUS_VAL, 0, 0).kind, CPU_LATCH_BAD_BANK);
    assert_int_equal(c.bank[0].status, 0);
}

static void test_latch_empty_bank(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 4, ALL_FLAGS);
    enable_all(&c);
    struct cpu_latch_result r =
        cpu_mca_latch(&c, 2, ST_CE | MCI_STATUS_ADDRV | MCI_STATUS_MISCV, 0xABC000, 0x86);
    assert_int_equal(r.kind, CPU_LATCH_LOGGED);
    /* Logged with EN, no OVER, count 1 (CMCI_P). */
    uint64_t want = ST_CE | MCI_STATUS_ADDRV | MCI_STATUS_MISCV | MCI_STATUS_EN | (1ull << MCI_STATUS_CEC_SHIFT);
    assert_int_equal(c.bank[2].status, want);
    assert_int_equal(rd(&c, MSR_IA32_MCx_STATUS(2)), want);
    assert_int_equal(rd(&c, MSR_IA32_MCx_ADDR(2)), 0xABC000);
    assert_int_equal(rd(&c, MSR_IA32_MCx_MISC(2)), 0x86);
    assert_int_equal(mci_cec(c.bank[2].status), 1);

    r = cpu_mca_latch(&c, 3, ST_SRAO | MCI_STATUS_ADDRV, 0x5000, 0);
    assert_int_equal(r.kind, CPU_LATCH_LOGGED);
    assert_int_equal(c.bank[3].status, ST_SRAO | MCI_STATUS_ADDRV | MCI_STATUS_EN);
    assert_int_equal(c.bank[3].addr, 0x5000);
    assert_int_equal(mci_cec(c.bank[3].status), 0);
}

static void test_latch_hardware_owned_bits(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 2, ALL_FLAGS);
    enable_all(&c);
    /* EN is hardware's: an enabled bank sets it whatever the report says. */
    cpu_mca_latch(&c, 0, ST_CE & ~MCI_STATUS_EN, 0, 0);
    assert_int_equal(c.bank[0].status, ST_CE | MCI_STATUS_EN | (1ull << MCI_STATUS_CEC_SHIFT));
    /* A report that already overflowed keeps OVER (mce-inject "STATUS ...
     * OVER"); a count given with a CE is kept; a UC never has one. */
    uint64_t cnt = 0x1234ull << MCI_STATUS_CEC_SHIFT;
    cpu_mca_latch(&c, 1, ST_PCC | MCI_STATUS_OVER | cnt, 0, 0);
    assert_int_equal(c.bank[1].status, ST_PCC | MCI_STATUS_EN | MCI_STATUS_OVER);
    cpu_mca_wrmsr(&c, MSR_IA32_MCx_STATUS(0), 0);
    cpu_mca_latch(&c, 0, ST_CE | cnt, 0, 0);
    assert_int_equal(c.bank[0].status, ST_CE | MCI_STATUS_EN | cnt);
}

static void test_latch_addr_misc_only_when_valid(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 2, MCG_SER_P);
    enable_all(&c);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_ADDR(0), 0x1111), 0);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_MISC(0), 0x2222), 0);
    cpu_mca_latch(&c, 0, ST_SRAO, 0x9000, 0x8C);
    assert_int_equal(c.bank[0].addr, 0);
    assert_int_equal(c.bank[0].misc, 0);
    cpu_mca_latch(&c, 1, ST_SRAO | MCI_STATUS_MISCV, 0x9000, 0x8C);
    assert_int_equal(c.bank[1].addr, 0);
    assert_int_equal(c.bank[1].misc, 0x8C);
}

static void test_latch_uc_replaces_ce(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 2, ALL_FLAGS);
    enable_all(&c);
    cpu_mca_latch(&c, 1, ST_CE | MCI_STATUS_ADDRV, 0x1000, 0);
    cpu_mca_latch(&c, 1, ST_CE | MCI_STATUS_ADDRV, 0x1000, 0);
    struct cpu_latch_result r = cpu_mca_latch(&c, 1, ST_SRAR | MCI_STATUS_ADDRV | MCI_STATUS_MISCV, 0x2000, 0x8C);
    assert_int_equal(r.kind, CPU_LATCH_REPLACED);
    assert_true(r.signal_mc);
    assert_int_equal(c.bank[1].status,
                     ST_SRAR | MCI_STATUS_ADDRV | MCI_STATUS_MISCV | MCI_STATUS_EN | MCI_STATUS_OVER);
    assert_int_equal(c.bank[1].addr, 0x2000);
    assert_int_equal(c.bank[1].misc, 0x8C);
}

static void test_latch_uc_kept(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 2, ALL_FLAGS);
    enable_all(&c);
    uint64_t first = ST_SRAO | MCI_STATUS_ADDRV;
    cpu_mca_latch(&c, 0, first, 0x3000, 0);

    struct cpu_latch_result r = cpu_mca_latch(&c, 0, ST_PCC | MCI_STATUS_ADDRV, 0x4000, 0);
    assert_int_equal(r.kind, CPU_LATCH_OVERFLOW);
    assert_int_equal(c.bank[0].status, first | MCI_STATUS_EN | MCI_STATUS_OVER);
    assert_int_equal(c.bank[0].addr, 0x3000);
    /* The lost UC still happened: hardware signals it. */
    assert_true(r.signal_mc);

    r = cpu_mca_latch(&c, 0, ST_CE | MCI_STATUS_ADDRV, 0x5000, 0);
    assert_int_equal(r.kind, CPU_LATCH_OVERFLOW);
    assert_int_equal(c.bank[0].status, first | MCI_STATUS_EN | MCI_STATUS_OVER);
    assert_int_equal(c.bank[0].addr, 0x3000);
    assert_false(r.signal_mc);
}

static void test_latch_ce_on_ce_counts(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 2, ALL_FLAGS);
    enable_all(&c);
    cpu_mca_latch(&c, 0, ST_CE | MCI_STATUS_ADDRV, 0x7000, 0);
    struct cpu_latch_result r = cpu_mca_latch(&c, 0, ST_CE2 | MCI_STATUS_ADDRV, 0x8000, 0);
    assert_int_equal(r.kind, CPU_LATCH_CE_COUNTED);
    assert_false(r.signal_mc);
    /* First kept, count 2, OVER set. */
    assert_int_equal(c.bank[0].status, ST_CE | MCI_STATUS_ADDRV | MCI_STATUS_EN | MCI_STATUS_OVER |
                                           (2ull << MCI_STATUS_CEC_SHIFT));
    assert_int_equal(c.bank[0].addr, 0x7000);
    for (unsigned n = 3; n <= 10; n++) {
        r = cpu_mca_latch(&c, 0, ST_CE2, 0, 0);
        assert_int_equal(r.kind, CPU_LATCH_CE_COUNTED);
        assert_int_equal(mci_cec(c.bank[0].status), n);
    }
    assert_int_equal(mci_mcacod(c.bank[0].status), 0x0091);
}

/* n CEs folded at once leave the bank as n latches would, and signal
 * CMCI as the last of them would; nothing folds onto an empty or UC bank. */
static void test_fold_ces_equals_latches(void **state)
{
    (void)state;
    struct cpu_mca a, b;
    init_cpu(&a, 1, ALL_FLAGS);
    init_cpu(&b, 1, ALL_FLAGS);
    enable_all(&a);
    enable_all(&b);
    assert_int_equal(cpu_mca_fold_ces(&b, 0, 5).kind, CPU_LATCH_BAD_BANK); /* empty */
    cpu_mca_wrmsr(&a, MSR_IA32_MCx_CTL2(0), MCI_CTL2_CMCI_EN | 40);
    cpu_mca_wrmsr(&b, MSR_IA32_MCx_CTL2(0), MCI_CTL2_CMCI_EN | 40);
    cpu_mca_latch(&a, 0, ST_CE | MCI_STATUS_ADDRV, 0x7000, 0);
    cpu_mca_latch(&b, 0, ST_CE | MCI_STATUS_ADDRV, 0x7000, 0);
    assert_true(cpu_mca_ces_to_cmci(&b, 0) == 39);
    struct cpu_latch_result ra = {0}, rb;
    for (unsigned i = 0; i < 30; i++)
        ra = cpu_mca_latch(&a, 0, ST_CE2, 0, 0);
    rb = cpu_mca_fold_ces(&b, 0, 30);
    assert_int_equal(rb.kind, CPU_LATCH_CE_COUNTED);
    assert_int_equal(ra.signal_cmci, rb.signal_cmci);
    assert_false(rb.signal_cmci);
    assert_true(a.bank[0].status == b.bank[0].status && a.bank[0].addr == b.bank[0].addr);
    assert_true(cpu_mca_ces_to_cmci(&b, 0) == 9);
    bool any = false; /* the 9th of the 10 makes the count equal 40 */
    for (unsigned i = 0; i < 10; i++)
        any |= cpu_mca_latch(&a, 0, ST_CE2, 0, 0).signal_cmci;
    rb = cpu_mca_fold_ces(&b, 0, 10);
    assert_true(any && rb.signal_cmci);
    assert_true(a.bank[0].status == b.bank[0].status);
    assert_true(cpu_mca_ces_to_cmci(&b, 0) == 0); /* past it: none until cleared */
    cpu_mca_latch(&b, 0, ST_PCC, 0, 0); /* a UC replaces the CE */
    assert_int_equal(cpu_mca_fold_ces(&b, 0, 3).kind, CPU_LATCH_BAD_BANK);
    assert_true(cpu_mca_ces_to_cmci(&b, 0) == 0);
}

/* cpu_mca_counts_ce says what a CE latched now would be: CE_COUNTED
 * exactly when the bank holds a valid CE and is enabled (a disabled bank
 * gives MASKED, an empty one LOGGED, a UC OVERFLOW). */
static void test_counts_ce_is_the_latch_kind(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 2, ALL_FLAGS);
    enable_all(&c);
    const uint64_t first[] = {0, ST_CE, ST_SRAO};
    for (unsigned i = 0; i < 3; i++)
        for (unsigned en = 0; en < 2; en++) {
            assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_STATUS(1), 0), 0);
            assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL(1), en ? ~0ull : 0), 0);
            if (first[i])
                (void)cpu_mca_latch(&c, 1, first[i], 0, 0);
            bool counts = cpu_mca_counts_ce(&c, 1);
            assert_int_equal(counts, i == 1 && en);
            assert_int_equal(cpu_mca_latch(&c, 1, ST_CE2, 0, 0).kind == CPU_LATCH_CE_COUNTED, counts);
        }
    assert_false(cpu_mca_counts_ce(&c, 2)); /* no such bank */
}

static void test_latch_count_saturates(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 1, MCG_CMCI_P);
    enable_all(&c);
    for (unsigned n = 1; n <= 0x7FFF; n++)
        cpu_mca_latch(&c, 0, ST_CE, 0, 0);
    assert_int_equal(mci_cec(c.bank[0].status), 0x7FFF);
    for (unsigned n = 0; n < 5; n++) {
        assert_int_equal(cpu_mca_latch(&c, 0, ST_CE, 0, 0).kind, CPU_LATCH_CE_COUNTED);
        assert_int_equal(mci_cec(c.bank[0].status), 0x7FFF);
    }
    /* Saturation must not spill into the bits above the field. */
    assert_int_equal(c.bank[0].status,
                     ST_CE | MCI_STATUS_EN | MCI_STATUS_OVER | MCI_STATUS_CEC_MASK);
}

static void test_latch_no_count_without_cmci_p(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 1, MCG_SER_P | MCG_CTL_P);
    enable_all(&c);
    cpu_mca_latch(&c, 0, ST_CE | (5ull << MCI_STATUS_CEC_SHIFT), 0, 0);
    assert_int_equal(c.bank[0].status, ST_CE | MCI_STATUS_EN);
    struct cpu_latch_result r = cpu_mca_latch(&c, 0, ST_CE, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_CE_COUNTED);
    assert_int_equal(c.bank[0].status, ST_CE | MCI_STATUS_EN | MCI_STATUS_OVER);
    assert_int_equal(mci_cec(c.bank[0].status), 0);
}

static void test_latch_after_clear_is_fresh(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 1, ALL_FLAGS);
    enable_all(&c);
    cpu_mca_latch(&c, 0, ST_PCC, 0, 0);
    cpu_mca_latch(&c, 0, ST_PCC, 0, 0);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_STATUS(0), 0), 0);
    struct cpu_latch_result r = cpu_mca_latch(&c, 0, ST_CE, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_LOGGED);
    assert_int_equal(c.bank[0].status, ST_CE | MCI_STATUS_EN | (1ull << MCI_STATUS_CEC_SHIFT));
}

/* ------------------------------------------------------------------ */
/* Masking                                                             */
/* ------------------------------------------------------------------ */

static void test_mask_bank_ctl_zero(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 3, ALL_FLAGS);
    enable_all(&c);
    arm_cmci(&c, 1, 1);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL(1), 0), 0);
    const uint64_t kinds[] = {ST_PCC, ST_SRAR, ST_SRAO, ST_UCNA, ST_CE};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_STATUS(1), 0), 0);
        struct cpu_latch_result r = cpu_mca_latch(&c, 1, kinds[i], 0, 0);
        assert_int_equal(r.kind, CPU_LATCH_MASKED);
        assert_false(r.signal_mc);
        assert_false(r.signal_cmci);
        assert_true(c.bank[1].status & MCI_STATUS_VAL);
        assert_false(c.bank[1].status & MCI_STATUS_EN);
    }
    /* Any non-zero MCi_CTL enables the bank. */
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL(1), 1), 0);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_STATUS(1), 0), 0);
    struct cpu_latch_result r = cpu_mca_latch(&c, 1, ST_PCC, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_LOGGED);
    assert_true(r.signal_mc);
    assert_true(c.bank[1].status & MCI_STATUS_EN);
}

static void test_mask_power_on(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 2, MCG_SER_P);
    /* MCi_CTL is 0 until the OS enables the bank. */
    struct cpu_latch_result r = cpu_mca_latch(&c, 0, ST_PCC, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_MASKED);
    assert_false(r.signal_mc);
    assert_int_equal(c.bank[0].status, ST_PCC);
}

static void test_mask_mcg_ctl(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 2, MCG_CTL_P | MCG_SER_P);
    for (unsigned i = 0; i < 2; i++)
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL(i), ~0ull), 0);
    /* With CTL_P, MCG_CTL must be all ones. */
    const uint64_t partial[] = {0, 1, ~0ull >> 1, ~1ull};
    for (size_t i = 0; i < sizeof(partial) / sizeof(partial[0]); i++) {
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCG_CTL, partial[i]), 0);
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_STATUS(0), 0), 0);
        struct cpu_latch_result r = cpu_mca_latch(&c, 0, ST_PCC, 0, 0);
        assert_int_equal(r.kind, CPU_LATCH_MASKED);
        assert_false(r.signal_mc);
        assert_int_equal(c.bank[0].status, ST_PCC);
    }
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCG_CTL, ~0ull), 0);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_STATUS(0), 0), 0);
    struct cpu_latch_result r = cpu_mca_latch(&c, 0, ST_PCC, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_LOGGED);
    assert_true(r.signal_mc);

    /* Without CTL_P there is no MCG_CTL gate. */
    init_cpu(&c, 1, MCG_SER_P);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL(0), ~0ull), 0);
    r = cpu_mca_latch(&c, 0, ST_PCC, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_LOGGED);
    assert_true(r.signal_mc);
}

static void test_mask_over_valid_entry(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 3, ALL_FLAGS);
    enable_all(&c);
    for (unsigned i = 0; i < 3; i++)
        arm_cmci(&c, i, 1);
    cpu_mca_latch(&c, 0, ST_CE, 0, 0);
    cpu_mca_latch(&c, 1, ST_SRAO, 0, 0);
    cpu_mca_latch(&c, 2, ST_CE, 0, 0);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL(i), 0), 0);

    /* UC over CE: replaces it, logged without EN, OVER set. */
    struct cpu_latch_result r = cpu_mca_latch(&c, 0, ST_PCC, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_MASKED);
    assert_false(r.signal_mc);
    assert_int_equal(c.bank[0].status, ST_PCC | MCI_STATUS_OVER);

    /* Anything over UC: UC kept, OVER set. */
    r = cpu_mca_latch(&c, 1, ST_PCC, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_MASKED);
    assert_false(r.signal_mc);
    assert_int_equal(c.bank[1].status, ST_SRAO | MCI_STATUS_EN | MCI_STATUS_OVER);

    /* CE over CE: first kept, counted, OVER set, no CMCI despite threshold 1. */
    r = cpu_mca_latch(&c, 2, ST_CE2, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_MASKED);
    assert_false(r.signal_cmci);
    assert_int_equal(c.bank[2].status,
                     ST_CE | MCI_STATUS_EN | MCI_STATUS_OVER | (2ull << MCI_STATUS_CEC_SHIFT));
}

/* ------------------------------------------------------------------ */
/* Signals                                                             */
/* ------------------------------------------------------------------ */

struct sig_case {
    uint64_t flags;   /* MCG_CAP flags */
    bool cmci_en;     /* MCi_CTL2.CMCI_EN */
    uint64_t status;
    bool mc, cmci;
};

static void check_signal(const struct sig_case *k)
{
    struct cpu_mca c;
    init_cpu(&c, 2, k->flags);
    enable_all(&c);
    if (k->flags & MCG_CMCI_P)
        assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(1), k->cmci_en ? MCI_CTL2_CMCI_EN | 1 : 1), 0);
    struct cpu_latch_result r = cpu_mca_latch(&c, 1, k->status, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_LOGGED);
    assert_int_equal(r.signal_mc, k->mc);
    assert_int_equal(r.signal_cmci, k->cmci);
}

static void test_signals_table(void **state)
{
    (void)state;
    const uint64_t SER_CMCI = MCG_SER_P | MCG_CMCI_P;
    const struct sig_case cases[] = {
        /* With SER_P: PCC, SRAR and SRAO raise #MC; UCNA raises CMCI. */
        {SER_CMCI, true, ST_PCC, true, false},
        {SER_CMCI, true, ST_SRAR, true, false},
        {SER_CMCI, true, ST_SRAO, true, false},
        {SER_CMCI, true, ST_UCNA, false, true},
        {SER_CMCI, false, ST_UCNA, false, false},
        {MCG_SER_P, false, ST_UCNA, false, false},
        {MCG_SER_P, false, ST_SRAO, true, false},
        {MCG_SER_P | MCG_CTL_P, false, ST_PCC, true, false},
        /* PCC with S/AR also set is still signalled. */
        {SER_CMCI, true, ST_PCC | MCI_STATUS_S | MCI_STATUS_AR, true, false},
        /* S=0, AR=1 is illegal: neither UCNA nor signalling. */
        {SER_CMCI, true, MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_AR, false, false},
        /* Without SER_P, every UC is signalled with #MC, never CMCI. */
        {MCG_CMCI_P, true, ST_UC_NOSER, true, false},
        {MCG_CMCI_P, true, ST_UCNA, true, false},
        {0, false, ST_UCNA, true, false},
        {0, false, ST_PCC, true, false},
        /* A CE never raises #MC; CMCI at threshold 1 only when armed. */
        {SER_CMCI, true, ST_CE, false, true},
        {SER_CMCI, false, ST_CE, false, false},
        {MCG_CMCI_P, true, ST_CE, false, true},
        {MCG_SER_P, false, ST_CE, false, false},
        {0, false, ST_CE, false, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_signal(&cases[i]);
}

static void test_cmci_threshold(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 3, MCG_CMCI_P | MCG_SER_P);
    enable_all(&c);
    arm_cmci(&c, 0, 3);
    /* Count 1 and 2 are below the threshold; 3 equals it and signals; 4 is
     * past it and signals nothing (SDM Vol. 3B 15.3.2.5: "when the count
     * value equals the threshold value"). */
    assert_false(cpu_mca_latch(&c, 0, ST_CE, 0, 0).signal_cmci);
    assert_false(cpu_mca_latch(&c, 0, ST_CE, 0, 0).signal_cmci);
    assert_true(cpu_mca_latch(&c, 0, ST_CE, 0, 0).signal_cmci);
    assert_false(cpu_mca_latch(&c, 0, ST_CE, 0, 0).signal_cmci);
    /* Software resets the count by clearing the bank. */
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_STATUS(0), 0), 0);
    assert_false(cpu_mca_latch(&c, 0, ST_CE, 0, 0).signal_cmci);

    /* Threshold 0 never signals. */
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(1), MCI_CTL2_CMCI_EN), 0);
    for (unsigned n = 0; n < 20; n++) {
        struct cpu_latch_result r = cpu_mca_latch(&c, 1, ST_CE, 0, 0);
        assert_false(r.signal_cmci);
        assert_false(r.signal_mc);
    }

    /* A CE lost behind a UC changes no count and raises nothing. */
    arm_cmci(&c, 2, 1);
    cpu_mca_latch(&c, 2, ST_UCNA, 0, 0);
    struct cpu_latch_result r = cpu_mca_latch(&c, 2, ST_CE, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_OVERFLOW);
    assert_false(r.signal_cmci);
    assert_false(r.signal_mc);
}

static void test_cmci_threshold_disabled_bank(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 1, MCG_CMCI_P);
    enable_all(&c);
    /* Threshold set but CMCI_EN clear: the count goes on, no interrupt. */
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCx_CTL2(0), 2), 0);
    for (unsigned n = 1; n <= 4; n++) {
        assert_false(cpu_mca_latch(&c, 0, ST_CE, 0, 0).signal_cmci);
        assert_int_equal(mci_cec(c.bank[0].status), n);
    }
    /* Armed later: the count (4) goes on to the threshold; a threshold it
     * has passed already would never be equalled. */
    arm_cmci(&c, 0, 6);
    assert_false(cpu_mca_latch(&c, 0, ST_CE, 0, 0).signal_cmci);
    assert_true(cpu_mca_latch(&c, 0, ST_CE, 0, 0).signal_cmci);
}

static void test_shutdown_cpu_logs_silently(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 2, MCG_CMCI_P | MCG_SER_P);
    enable_all(&c);
    arm_cmci(&c, 0, 1);
    c.cr4_mce = false;
    assert_int_equal(cpu_mca_deliver_mc(&c, MCG_STATUS_RIPV), CPU_MC_SHUTDOWN);
    struct cpu_latch_result r = cpu_mca_latch(&c, 1, ST_PCC, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_LOGGED);
    assert_false(r.signal_mc);
    assert_false(r.signal_cmci);
    assert_int_equal(c.bank[1].status, ST_PCC | MCI_STATUS_EN);
    r = cpu_mca_latch(&c, 0, ST_CE, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_LOGGED);
    assert_false(r.signal_cmci);
    r = cpu_mca_latch(&c, 0, ST_UCNA, 0, 0);
    assert_int_equal(r.kind, CPU_LATCH_REPLACED);
    assert_false(r.signal_cmci);
}

/* ------------------------------------------------------------------ */
/* MCG_STATUS for a raised #MC                                          */
/* ------------------------------------------------------------------ */

static void test_mcg_status_for_table(void **state)
{
    (void)state;
    const uint64_t R = MCG_STATUS_RIPV, E = MCG_STATUS_EIPV;
    const struct {
        uint64_t status;
        uint64_t consumer, bystander;
    } rows[] = {
        {ST_PCC, 0, R},
        {ST_PCC | MCI_STATUS_S | MCI_STATUS_AR, 0, R},
        {ST_UC_NOSER | MCI_STATUS_PCC, 0, R},
        {ST_SRAR, E, R},
        {ST_SRAO, R, R},
        {ST_UCNA, R, R},
        {ST_CE, R, R},
    };
    for (unsigned ctx = X86_CTX_HV; ctx < X86_CTX__COUNT; ctx++)
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
            enum x86_exec_ctx x = (enum x86_exec_ctx)ctx;
            assert_int_equal(cpu_mca_mcg_status_for(x, rows[i].status, true, false), rows[i].consumer);
            assert_int_equal(cpu_mca_mcg_status_for(x, rows[i].status, false, false), rows[i].bystander);
            assert_int_equal(cpu_mca_mcg_status_for(x, rows[i].status, true, true),
                             rows[i].consumer | MCG_STATUS_LMCES);
            assert_int_equal(cpu_mca_mcg_status_for(x, rows[i].status, false, true),
                             rows[i].bystander | MCG_STATUS_LMCES);
        }
}

static void test_mcg_status_for_idle(void **state)
{
    (void)state;
    /* HLT is restartable: only PCC loses the instruction pointer. */
    assert_int_equal(cpu_mca_mcg_status_for(X86_CTX_IDLE, ST_SRAR, true, false), MCG_STATUS_RIPV);
    assert_int_equal(cpu_mca_mcg_status_for(X86_CTX_IDLE, ST_SRAO, true, false), MCG_STATUS_RIPV);
    assert_int_equal(cpu_mca_mcg_status_for(X86_CTX_IDLE, ST_UCNA, true, false), MCG_STATUS_RIPV);
    assert_int_equal(cpu_mca_mcg_status_for(X86_CTX_IDLE, ST_SRAR, false, true),
                     MCG_STATUS_RIPV | MCG_STATUS_LMCES);
    assert_int_equal(cpu_mca_mcg_status_for(X86_CTX_IDLE, ST_PCC, true, false), 0);
    assert_int_equal(cpu_mca_mcg_status_for(X86_CTX_IDLE, ST_PCC, false, false), MCG_STATUS_RIPV);
}

static void test_mcg_status_for_never_mcip(void **state)
{
    (void)state;
    const uint64_t sts[] = {ST_PCC, ST_SRAR, ST_SRAO, ST_UCNA, ST_CE, ~0ull};
    for (unsigned ctx = 0; ctx < X86_CTX__COUNT; ctx++)
        for (size_t i = 0; i < sizeof(sts) / sizeof(sts[0]); i++)
            for (int cons = 0; cons < 2; cons++)
                for (int loc = 0; loc < 2; loc++) {
                    uint64_t v = cpu_mca_mcg_status_for((enum x86_exec_ctx)ctx, sts[i], cons, loc);
                    assert_false(v & MCG_STATUS_MCIP);
                    assert_int_equal(v & ~(MCG_STATUS_RIPV | MCG_STATUS_EIPV | MCG_STATUS_LMCES), 0);
                    assert_int_equal((v & MCG_STATUS_LMCES) != 0, loc);
                }
}

/* ------------------------------------------------------------------ */
/* Delivery                                                            */
/* ------------------------------------------------------------------ */

static void test_deliver_sets_mcip(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 1, MCG_SER_P);
    assert_int_equal(cpu_mca_deliver_mc(&c, MCG_STATUS_EIPV), CPU_MC_DELIVERED);
    assert_int_equal(rd(&c, MSR_IA32_MCG_STATUS), MCG_STATUS_EIPV | MCG_STATUS_MCIP);
    assert_int_equal(c.state, CPU_RUNNING);
    assert_null(c.shutdown_reason);
    /* The handler clears MCIP before IRET; the next #MC is then fine. */
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCG_STATUS, 0), 0);
    assert_int_equal(cpu_mca_deliver_mc(&c, MCG_STATUS_RIPV | MCG_STATUS_LMCES), CPU_MC_DELIVERED);
    assert_int_equal(rd(&c, MSR_IA32_MCG_STATUS), MCG_STATUS_RIPV | MCG_STATUS_LMCES | MCG_STATUS_MCIP);
}

static void test_deliver_nested_shutdown(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 1, MCG_SER_P);
    assert_int_equal(cpu_mca_deliver_mc(&c, MCG_STATUS_RIPV), CPU_MC_DELIVERED);
    assert_int_equal(cpu_mca_deliver_mc(&c, MCG_STATUS_RIPV), CPU_MC_SHUTDOWN);
    assert_int_equal(c.state, CPU_SHUTDOWN);
    assert_string_equal(c.shutdown_reason, "#MC while MCG_STATUS.MCIP=1 (nested machine check)");
    /* Already in shutdown: stays, first reason kept. */
    c.cr4_mce = false;
    assert_int_equal(cpu_mca_deliver_mc(&c, 0), CPU_MC_SHUTDOWN);
    assert_string_equal(c.shutdown_reason, "#MC while MCG_STATUS.MCIP=1 (nested machine check)");

    /* MCIP set by software counts too. */
    init_cpu(&c, 1, 0);
    assert_int_equal(cpu_mca_wrmsr(&c, MSR_IA32_MCG_STATUS, MCG_STATUS_MCIP), 0);
    assert_int_equal(cpu_mca_deliver_mc(&c, 0), CPU_MC_SHUTDOWN);
    assert_string_equal(c.shutdown_reason, "#MC while MCG_STATUS.MCIP=1 (nested machine check)");
}

static void test_deliver_cr4_mce_clear_shutdown(void **state)
{
    (void)state;
    struct cpu_mca c;
    init_cpu(&c, 1, MCG_SER_P);
    c.cr4_mce = false;
    assert_int_equal(cpu_mca_deliver_mc(&c, MCG_STATUS_RIPV), CPU_MC_SHUTDOWN);
    assert_int_equal(c.state, CPU_SHUTDOWN);
    assert_string_equal(c.shutdown_reason, "#MC with CR4.MCE=0");
    assert_false(c.mcg_status & MCG_STATUS_MCIP);
    assert_int_equal(cpu_mca_deliver_mc(&c, MCG_STATUS_RIPV), CPU_MC_SHUTDOWN);
    assert_string_equal(c.shutdown_reason, "#MC with CR4.MCE=0");
}

/* ------------------------------------------------------------------ */
/* LMCE                                                                */
/* ------------------------------------------------------------------ */

static void test_lmce_enabled(void **state)
{
    (void)state;
    for (int cap = 0; cap < 2; cap++)
        for (int en = 0; en < 2; en++)
            for (int on = 0; on < 2; on++) {
                struct cpu_mca c;
                init_cpu(&c, 2, MCG_SER_P | (cap ? MCG_LMCE_P : 0));
                int rc = cpu_mca_wrmsr(&c, MSR_IA32_MCG_EXT_CTL, en ? MCG_EXT_CTL_LMCE_EN : 0);
                assert_int_equal(rc, cap ? 0 : -1);
                assert_int_equal(cpu_mca_lmce_enabled(&c, on), cap && en && on);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_validates_config),
        cmocka_unit_test(test_init_power_on_state),
        cmocka_unit_test(test_mcg_cap_read_only),
        cmocka_unit_test(test_mcg_status_writable_bits),
        cmocka_unit_test(test_mcg_ctl_needs_ctl_p),
        cmocka_unit_test(test_mcg_ext_ctl_needs_lmce_p),
        cmocka_unit_test(test_p5_registers),
        cmocka_unit_test(test_non_mca_msrs_gp),
        cmocka_unit_test(test_msr_exists_matches_rdmsr),
        cmocka_unit_test(test_every_bank_ctl_addr_misc),
        cmocka_unit_test(test_every_bank_status),
        cmocka_unit_test(test_every_bank_ctl2),
        cmocka_unit_test(test_ctl2_reserved_bits_gp),
        cmocka_unit_test(test_ctl2_threshold_clamped),
        cmocka_unit_test(test_ctl2_needs_cmci_p),
        cmocka_unit_test(test_banks_past_count_gp),
        cmocka_unit_test(test_latch_bad_input),
        cmocka_unit_test(test_latch_empty_bank),
        cmocka_unit_test(test_write_raw),
        cmocka_unit_test(test_latch_hardware_owned_bits),
        cmocka_unit_test(test_latch_addr_misc_only_when_valid),
        cmocka_unit_test(test_latch_uc_replaces_ce),
        cmocka_unit_test(test_latch_uc_kept),
        cmocka_unit_test(test_latch_ce_on_ce_counts),
        cmocka_unit_test(test_latch_count_saturates),
        cmocka_unit_test(test_fold_ces_equals_latches),
        cmocka_unit_test(test_counts_ce_is_the_latch_kind),
        cmocka_unit_test(test_latch_no_count_without_cmci_p),
        cmocka_unit_test(test_latch_after_clear_is_fresh),
        cmocka_unit_test(test_mask_bank_ctl_zero),
        cmocka_unit_test(test_mask_power_on),
        cmocka_unit_test(test_mask_mcg_ctl),
        cmocka_unit_test(test_mask_over_valid_entry),
        cmocka_unit_test(test_signals_table),
        cmocka_unit_test(test_cmci_threshold),
        cmocka_unit_test(test_cmci_threshold_disabled_bank),
        cmocka_unit_test(test_shutdown_cpu_logs_silently),
        cmocka_unit_test(test_mcg_status_for_table),
        cmocka_unit_test(test_mcg_status_for_idle),
        cmocka_unit_test(test_mcg_status_for_never_mcip),
        cmocka_unit_test(test_deliver_sets_mcip),
        cmocka_unit_test(test_deliver_nested_shutdown),
        cmocka_unit_test(test_deliver_cr4_mce_clear_shutdown),
        cmocka_unit_test(test_lmce_enabled),
        cmocka_unit_test(test_ctl2_bank_without_cmci),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
