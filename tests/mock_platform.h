/*
 * mock_platform.h - an hv_platform for unit tests: real CPU register files
 * (models/cpu/cpu_mca.c), a clock that advances by a fixed cost per op,
 * dom0 memory as a flat buffer, and counters of everything the hv asked.
 * Spinning never blocks: it advances the clock, and after a set number of
 * spins it can stop the host, so a barrier that would wait forever returns.
 */
#ifndef TESTS_MOCK_PLATFORM_H
#define TESTS_MOCK_PLATFORM_H

#include "hv/hv.h"
#include "models/cpu/cpu_mca.h"

#define MOCK_CPUS 4
#define MOCK_GBASE 0x10000ull
#define MOCK_GLEN 65536u

struct mock {
    struct hv_platform plat;
    struct hv *hv;
    struct cpu_mca cpu[MOCK_CPUS];
    enum x86_exec_ctx ctx[MOCK_CPUS];
    uint64_t now;
    uint64_t op_ps;            /* time per MSR access / charge   */
    uint64_t spin_ps;          /* time per spin_wait call        */
    unsigned spins;
    unsigned stop_after_spins; /* 0: never                       */
    const char *stuck_in[MOCK_CPUS]; /* hv_cpu_stuck_in at the latest spin */
    unsigned softirq_raised[MOCK_CPUS];
    unsigned nmi_raised[MOCK_CPUS];
    unsigned virqs;
    unsigned consoles;
    char last_console[512];
    char console_log[8192];    /* every line, '\n'-separated, until full */
    size_t console_len;
    int stopped;
    enum hv_stop_kind stop_kind;
    char stop_reason[256];
    unsigned trace_count[HV_STAGE__COUNT];
    char last_detail[HV_STAGE__COUNT][128]; /* detail of the latest event per stage */
    int last_bank[HV_STAGE__COUNT];
    uint64_t timer_at[MOCK_CPUS];   /* last arm_timer deadline per CPU */
    unsigned timer_arms[MOCK_CPUS];
    uint8_t gmem[MOCK_GLEN];
    /* Banks the hardware threads of a core share (one register set, on
     * the core's first thread); threads per core (0 or 1: none). */
    uint32_t core_banks;
    unsigned threads;
    unsigned calls[MOCK_CPUS];      /* call_function IPIs per CPU     */
};

/* Set up n CPUs with the given MCG_CAP flags and bank count. */
void mock_init(struct mock *m, unsigned ncpus, uint64_t cap_flags, unsigned nbanks);
/* The console, so far, holds this whole line. */
bool mock_console_has(const struct mock *m, const char *line);
/* A dom0 whose mcelog binds VIRQ_MCA (Xen's dom0_vmce_enabled). */
extern const struct hv_domain_config mock_dom0;

#endif
