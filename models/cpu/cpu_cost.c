/*
 * cpu_cost.c - cycle-cost presets per CPU generation and their conversion
 * to simulated time.
 *
 * Implements cpu_cost.h: the op names used by scenarios, a read-only table
 * of presets (figures and their sources: docs/COSTS.md), and the exact
 * integer conversion cycles -> picoseconds. The conversion multiplies
 * before it divides, in 128 bits built from 32-bit limbs, so it neither
 * overflows for large counts nor depends on the host's floating point.
 */
#include "models/cpu/cpu_cost.h"

#include <stddef.h>
#include <string.h>

#define PS_PER_US 1000000u /* cycles * 1e6 / MHz = picoseconds */

static const char *const op_names[COST__COUNT] = {
    [COST_MSR_READ] = "msr_read",   [COST_MSR_WRITE] = "msr_write",     [COST_EXC_ENTRY] = "exc_entry",
    [COST_IRET] = "iret",           [COST_IPI] = "ipi",                 [COST_SPIN_STEP] = "spin_step",
    [COST_LOCK] = "lock",           [COST_VMEXIT] = "vmexit",           [COST_VMENTRY] = "vmentry",
    [COST_SEVERITY] = "severity",   [COST_TELEM] = "telem",             [COST_SOFTIRQ] = "softirq",
    [COST_HYPERCALL] = "hypercall", [COST_COPY_RECORD] = "copy_record", [COST_PAGE_OP] = "page_op",
    [COST_DECODE] = "decode",
};

/*
 * Software costs (severity .. decode) are the same on every preset: they
 * stand for code paths of the hosted hypervisor and dom0, not for the
 * hardware, and only their order of magnitude is claimed.
 */
#define SOFTWARE_COSTS                                                                              \
    [COST_SEVERITY] = 200, [COST_TELEM] = 400, [COST_SOFTIRQ] = 500, [COST_HYPERCALL] = 300,        \
    [COST_COPY_RECORD] = 300, [COST_PAGE_OP] = 1000, [COST_DECODE] = 5000

static const struct cpu_cost_table presets[] = {
    {"generic", 2000,
     {[COST_MSR_READ] = 150, [COST_MSR_WRITE] = 200, [COST_EXC_ENTRY] = 200, [COST_IRET] = 80,
      [COST_IPI] = 2000, [COST_SPIN_STEP] = 140, [COST_LOCK] = 30, [COST_VMEXIT] = 800,
      [COST_VMENTRY] = 600, SOFTWARE_COSTS}},
    {"nehalem-ex", 2266,
     {[COST_MSR_READ] = 200, [COST_MSR_WRITE] = 280, [COST_EXC_ENTRY] = 250, [COST_IRET] = 100,
      [COST_IPI] = 3000, [COST_SPIN_STEP] = 10, [COST_LOCK] = 45, [COST_VMEXIT] = 1200,
      [COST_VMENTRY] = 800, SOFTWARE_COSTS}},
    {"skylake-sp", 2100,
     {[COST_MSR_READ] = 180, [COST_MSR_WRITE] = 250, [COST_EXC_ENTRY] = 200, [COST_IRET] = 70,
      [COST_IPI] = 2200, [COST_SPIN_STEP] = 140, [COST_LOCK] = 25, [COST_VMEXIT] = 700,
      [COST_VMENTRY] = 500, SOFTWARE_COSTS}},
    {"icelake-sp", 2300,
     {[COST_MSR_READ] = 170, [COST_MSR_WRITE] = 240, [COST_EXC_ENTRY] = 190, [COST_IRET] = 70,
      [COST_IPI] = 2300, [COST_SPIN_STEP] = 140, [COST_LOCK] = 25, [COST_VMEXIT] = 650,
      [COST_VMENTRY] = 480, SOFTWARE_COSTS}},
    {"sapphirerapids", 2000,
     {[COST_MSR_READ] = 160, [COST_MSR_WRITE] = 230, [COST_EXC_ENTRY] = 180, [COST_IRET] = 60,
      [COST_IPI] = 2000, [COST_SPIN_STEP] = 140, [COST_LOCK] = 25, [COST_VMEXIT] = 600,
      [COST_VMENTRY] = 450, SOFTWARE_COSTS}},
};

#define NPRESETS (sizeof(presets) / sizeof(presets[0]))

const char *cpu_cost_op_name(enum cpu_cost_op op)
{
    if ((unsigned)op >= COST__COUNT)
        return NULL;
    return op_names[op];
}

enum cpu_cost_op cpu_cost_op_from_name(const char *name)
{
    if (!name)
        return COST__COUNT;
    for (unsigned i = 0; i < COST__COUNT; i++)
        if (strcmp(op_names[i], name) == 0)
            return (enum cpu_cost_op)i;
    return COST__COUNT;
}

const struct cpu_cost_table *cpu_cost_preset(const char *name)
{
    if (!name)
        return NULL;
    for (unsigned i = 0; i < NPRESETS; i++)
        if (strcmp(presets[i].name, name) == 0)
            return &presets[i];
    return NULL;
}

unsigned cpu_cost_preset_count(void)
{
    return (unsigned)NPRESETS;
}

const struct cpu_cost_table *cpu_cost_preset_at(unsigned i)
{
    return i < NPRESETS ? &presets[i] : NULL;
}

/* ------------------------------------------------------------------ */
/* Exact a * b * c / d with 32-bit limbs (least significant first).     */
/* ------------------------------------------------------------------ */

#define NLIMBS 4 /* 128 bits: 64-bit count * 32-bit cycles * 20-bit 1e6 */

struct u128 {
    uint32_t limb[NLIMBS];
};

static struct u128 u128_from(uint64_t v)
{
    struct u128 x = {{(uint32_t)v, (uint32_t)(v >> 32), 0, 0}};
    return x;
}

/* Multiplying a value below 2^96 by a 32-bit factor cannot overflow 128. */
static struct u128 u128_mul32(struct u128 x, uint32_t f)
{
    uint64_t carry = 0;
    for (unsigned i = 0; i < NLIMBS; i++) {
        uint64_t p = (uint64_t)x.limb[i] * f + carry;
        x.limb[i] = (uint32_t)p;
        carry = p >> 32;
    }
    return x;
}

/* Schoolbook division by a 32-bit divisor, rounding down. */
static struct u128 u128_div32(struct u128 x, uint32_t d)
{
    uint64_t rem = 0;
    for (unsigned i = NLIMBS; i-- > 0;) {
        uint64_t cur = (rem << 32) | x.limb[i];
        x.limb[i] = (uint32_t)(cur / d);
        rem = cur % d;
    }
    return x;
}

/* Values past 2^64 ps (about 213 simulated days) saturate. */
static uint64_t u128_to_u64_sat(struct u128 x)
{
    if (x.limb[2] || x.limb[3])
        return UINT64_MAX;
    return ((uint64_t)x.limb[1] << 32) | x.limb[0];
}

/* count * factor * 1e6 / mhz; a table without a clock costs nothing. */
static uint64_t scaled_ps(const struct cpu_cost_table *t, uint64_t count, uint32_t factor)
{
    if (!t || t->mhz == 0)
        return 0;
    /* Common case: the product fits in 64 bits, one division does. Same
     * result as the 128-bit path (exact product, truncating division). */
    if (count <= UINT64_MAX / ((uint64_t)factor * PS_PER_US + 1))
        return count * factor * PS_PER_US / t->mhz;
    struct u128 x = u128_mul32(u128_from(count), factor);
    x = u128_mul32(x, PS_PER_US);
    return u128_to_u64_sat(u128_div32(x, t->mhz));
}

uint64_t cpu_cost_ps(const struct cpu_cost_table *t, enum cpu_cost_op op, uint64_t n)
{
    if (!t || (unsigned)op >= COST__COUNT)
        return 0;
    return scaled_ps(t, n, t->cycles[op]);
}

uint64_t cpu_cycles_ps(const struct cpu_cost_table *t, uint64_t cycles)
{
    return scaled_ps(t, cycles, 1);
}
