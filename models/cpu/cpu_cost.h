/*
 * cpu_cost.h - cycles per operation, per CPU model.
 *
 * Handler latency in mcasim is the sum of these costs along the path the
 * code takes, so they are data, not constants sprinkled in code. Presets
 * are order-of-magnitude figures for their generation (see docs/COSTS.md
 * for where each comes from); a scenario overrides any entry by name.
 */
#ifndef MODELS_CPU_CPU_COST_H
#define MODELS_CPU_CPU_COST_H

#include <stdint.h>

enum cpu_cost_op {
    COST_MSR_READ = 0,  /* rdmsr of an MCA MSR                          */
    COST_MSR_WRITE,     /* wrmsr of an MCA MSR                          */
    COST_EXC_ENTRY,     /* #MC / interrupt delivery to the first insn   */
    COST_IRET,          /* return from exception                        */
    COST_IPI,           /* send to receive of an inter-processor intr.  */
    COST_SPIN_STEP,     /* one PAUSE iteration of a spin loop           */
    COST_LOCK,          /* uncontended atomic / lock acquire            */
    COST_VMEXIT,        /* VM exit                                      */
    COST_VMENTRY,       /* VM entry                                     */
    COST_SEVERITY,      /* grading one bank against the rule table      */
    COST_TELEM,         /* reserve + fill + commit one telemetry record */
    COST_SOFTIRQ,       /* softirq dispatch                             */
    COST_HYPERCALL,     /* hypercall entry + exit                       */
    COST_COPY_RECORD,   /* copy one record to/from a guest              */
    COST_PAGE_OP,       /* one page-state / p2m update                  */
    COST_DECODE,        /* dom0 decoding one record to text             */
    COST__COUNT
};

struct cpu_cost_table {
    const char *name;   /* preset name, e.g. "skylake-sp"               */
    uint32_t mhz;       /* core clock used to turn cycles into time     */
    uint32_t cycles[COST__COUNT];
};

/* Scenario spelling of op ("msr_read", ...); NULL when op is out of range. */
const char *cpu_cost_op_name(enum cpu_cost_op op);
/* Returns COST__COUNT when unknown. */
enum cpu_cost_op cpu_cost_op_from_name(const char *name);

/* Preset by name ("generic", "nehalem-ex", "skylake-sp", "icelake-sp",
 * "sapphirerapids"); NULL when unknown. */
const struct cpu_cost_table *cpu_cost_preset(const char *name);
unsigned cpu_cost_preset_count(void);
/* NULL when i >= cpu_cost_preset_count(). */
const struct cpu_cost_table *cpu_cost_preset_at(unsigned i);

/* Picoseconds that n operations take at the table's clock:
 * n * cycles * 10^6 / mhz, exact integer arithmetic rounded down,
 * saturating at UINT64_MAX. 0 when t is NULL, op is out of range or
 * mhz is 0 (an invalid table: presets never have it). */
uint64_t cpu_cost_ps(const struct cpu_cost_table *t, enum cpu_cost_op op, uint64_t n);
/* Picoseconds of a raw cycle count at the table's clock (same rules). */
uint64_t cpu_cycles_ps(const struct cpu_cost_table *t, uint64_t cycles);

#endif
