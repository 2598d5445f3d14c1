/*
 * cpu_mca.h - the machine-check register file of one physical CPU.
 *
 * Holds IA32_MCG_* and IA32_MCi_* with the semantics of the Intel SDM
 * Vol. 3B ch. 15: MSR access rules (#GP where the SDM raises it), the
 * overwrite rules applied when hardware logs an error into a bank that is
 * already valid, the corrected-error count, MCi_CTL / MCG_CTL masking, and
 * the delivery rule of #MC (shutdown when MCIP is already set or CR4.MCE is
 * clear). No time here: the SystemC shell (cpu_sc.hpp) adds time.
 *
 * Invariant: bank[i] for i >= nbanks is never touched; MSRs of such banks
 * raise #GP as on hardware.
 */
#ifndef MODELS_CPU_CPU_MCA_H
#define MODELS_CPU_CPU_MCA_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_context.h"
#include "arch/x86_cpuid.h"
#include "arch/x86_mca.h"

/* enum cpu_vendor and struct cpu_model_id: arch/x86_cpuid.h */

struct cpu_mca_config {
    unsigned nbanks;        /* 1..MCA_MAX_BANKS                              */
    uint64_t mcg_cap_flags; /* MCG_CTL_P|MCG_CMCI_P|MCG_TES_P|MCG_SER_P|MCG_LMCE_P */
    unsigned ctl2_max_threshold; /* CE threshold hardware accepts; 0 = 0x7FFF */
    uint32_t no_cmci_banks;      /* bit i: bank i cannot signal CMCI          */
    struct cpu_model_id id;
};

struct cpu_mca_bank {
    uint64_t ctl, status, addr, misc, ctl2;
};

enum cpu_run_state { CPU_RUNNING = 0, CPU_SHUTDOWN };

struct cpu_mca {
    uint64_t mcg_cap;
    uint64_t mcg_status;
    uint64_t mcg_ctl;
    uint64_t mcg_ext_ctl;
    bool cr4_mce;             /* CR4.MCE, set by the OS at boot              */
    unsigned ctl2_max_threshold;
    /* Banks without CMCI (SDM 15.5.1): their MCi_CTL2 reads 0 and keeps
     * nothing written to it, so the discovery's write of CMCI_EN does not
     * stick; only polling finds their corrected errors. */
    uint32_t no_cmci_banks;
    struct cpu_model_id id;
    enum cpu_run_state state;
    const char *shutdown_reason; /* static string, NULL while running        */
    unsigned nbanks;
    struct cpu_mca_bank bank[MCA_MAX_BANKS];
};

/* Power-on state: banks empty, MCi_CTL and MCG_CTL 0 (the OS enables them),
 * CR4.MCE set, MCG_CAP = flags | nbanks. Returns -1 on a bad config.
 * A bad config is: nbanks outside 1..MCA_MAX_BANKS, a flag outside the list
 * in struct cpu_mca_config, or ctl2_max_threshold above 0x7FFF (the
 * threshold field is 15 bits wide). */
int cpu_mca_init(struct cpu_mca *c, const struct cpu_mca_config *cfg);

/* MSR access as software sees it. Return 0, or -1 for #GP. */
int cpu_mca_rdmsr(const struct cpu_mca *c, uint32_t msr, uint64_t *val);
int cpu_mca_wrmsr(struct cpu_mca *c, uint32_t msr, uint64_t val);
/* True when msr is one of the MCA MSRs this CPU implements, i.e. when
 * rdmsr does not #GP. P5_MC_ADDR/P5_MC_TYPE exist (they read 0) although
 * writing them #GPs. */
bool cpu_mca_msr_exists(const struct cpu_mca *c, uint32_t msr);

/* What happened when hardware tried to log an error into a bank. */
enum cpu_latch_kind {
    CPU_LATCH_LOGGED = 0,      /* bank was empty: the error is in the bank       */
    CPU_LATCH_REPLACED,        /* a UC replaced a logged CE; OVER set            */
    CPU_LATCH_OVERFLOW,        /* a valid entry was kept, OVER set; new one lost */
    CPU_LATCH_CE_COUNTED,      /* a CE on a logged CE: count++, OVER set         */
    CPU_LATCH_MASKED,          /* MCi_CTL/MCG_CTL disabled: logged with EN=0     */
    CPU_LATCH_BAD_BANK,        /* bank index out of range: nothing happened      */
    CPU_LATCH__COUNT
};

/* "logged", "replaced", ... as traces and results spell them. */
const char *cpu_latch_kind_name(enum cpu_latch_kind k);

struct cpu_latch_result {
    enum cpu_latch_kind kind;
    bool signal_mc;   /* hardware raises #MC for this error                   */
    bool signal_cmci; /* hardware raises CMCI (threshold reached, or UCNA)    */
};

/*
 * Hardware logs an error (status must have VAL set; ADDRV/MISCV say whether
 * addr/misc are meaningful). Applies the overwrite rules:
 *  - empty bank: logged; a CE starts its count at 1;
 *  - UC over a valid CE: the UC replaces it, OVER set;
 *  - anything over a valid UC: the UC is kept, OVER set;
 *  - CE over a valid CE: the first is kept, count incremented (saturating at
 *    0x7FFF), OVER set.
 * EN is set when MCi_CTL != 0 and (no MCG_CTL_P or MCG_CTL is all ones);
 * otherwise the error is logged with EN=0 and nothing is signalled.
 * #MC is signalled for UC errors with PCC=1 or S=1 (and for every UC
 * without SER_P); CMCI for UCNA (UC, S=0) and for a CE whose count reached
 * the MCi_CTL2 threshold, both only with CMCI_P and MCi_CTL2.CMCI_EN.
 *
 * Further details of this model:
 *  - status without VAL is bad input, like a bank >= nbanks: kind
 *    CPU_LATCH_BAD_BANK, nothing stored, nothing signalled.
 *  - EN, OVER and the count (bits 52:38) are hardware's: whatever the
 *    caller put there is replaced. The count is kept only with CMCI_P and
 *    only for CEs (a UC entry, or any entry without CMCI_P, has count 0).
 *  - a stored entry writes MCi_ADDR/MCi_MISC from addr/misc when ADDRV/MISCV
 *    is set, and 0 otherwise.
 *  - when the error is masked (EN=0) the kind is always CPU_LATCH_MASKED,
 *    even if the bank was valid; the bank then follows the overwrite rules
 *    above (so MASKED does not say whether the new error was stored; compare
 *    the bank before and after).
 *  - the signals follow the new error, not what the bank kept: a UC lost to
 *    an earlier UC (OVERFLOW) still raises #MC. A CE lost behind a UC
 *    changes no count and raises nothing.
 *  - with SER_P, UC with S=0 and AR=1 (illegal per SDM) raises nothing.
 *  - the CMCI test is count == threshold with threshold != 0 (SDM Vol. 3B
 *    15.3.2.5): CEs past the threshold signal nothing until software
 *    resets the count by clearing the bank.
 *  - a CPU in CPU_SHUTDOWN still logs but signals nothing.
 */
struct cpu_latch_result cpu_mca_latch(struct cpu_mca *c, unsigned bank,
                                      uint64_t status, uint64_t addr, uint64_t misc);

/*
 * What an injector writes, not what hardware logs (QEMU's `mce` monitor
 * command, do_inject_x86_mce in target/i386/helper.c): MCi_STATUS exactly
 * as given, EN and the count included (EN may be clear in an enabled
 * bank, which no hardware logs), MCi_ADDR and MCi_MISC as given whatever
 * ADDRV/MISCV say, MCi_CTL not looked at. What stays is the overwrite: a
 * valid bank takes the new image with OVER set (CPU_LATCH_REPLACED),
 * except that a CE does not replace a UC (the UC gets OVER,
 * CPU_LATCH_OVERFLOW). The signals are cpu_mca_latch's for the given
 * status. Bad bank or no VAL: CPU_LATCH_BAD_BANK, nothing written.
 */
struct cpu_latch_result cpu_mca_write_raw(struct cpu_mca *c, unsigned bank,
                                          uint64_t status, uint64_t addr, uint64_t misc);

/*
 * n more CEs arrive in a bank that holds a logged CE: what n calls of
 * cpu_mca_latch with CEs would do to it, at once - the count grows by n
 * (saturating), OVER is set, and the result says whether one of them
 * signalled CMCI (the count reached the threshold on the way). Nothing happens, and the result
 * is CPU_LATCH_BAD_BANK, when the bank holds no valid CE or n is 0.
 */
struct cpu_latch_result cpu_mca_fold_ces(struct cpu_mca *c, unsigned bank, uint64_t n);
/* How many more CEs in this bank until one signals CMCI (1: the next
 * does), or 0 when none would (CMCI not armed, no CE in the bank, or the
 * count already past the threshold). */
uint64_t cpu_mca_ces_to_cmci(const struct cpu_mca *c, unsigned bank);
/* Whether the bank holds a valid corrected error now. */
bool cpu_mca_holds_ce(const struct cpu_mca *c, unsigned bank);
/* Whether a CE latched in this bank now would only be counted
 * (CPU_LATCH_CE_COUNTED: it holds a valid CE and is enabled). */
bool cpu_mca_counts_ce(const struct cpu_mca *c, unsigned bank);

/*
 * The MCG_STATUS hardware writes when it raises #MC for an error with the
 * given MCi_STATUS on a CPU running ctx. consumer says whether this CPU
 * executed the instruction that consumed the error (false for the other
 * CPUs of a broadcast). SDM: SRAR on the consumer has EIPV=1, RIPV=0; PCC
 * errors have RIPV=EIPV=0; every other case (SRAO, non-consumers, idle)
 * has RIPV=1, EIPV=0. local adds LMCES. MCIP is added by delivery.
 *
 * "PCC errors" means the consumer of a PCC error; a bystander CPU of a
 * broadcast PCC error was not hit and gets RIPV=1, EIPV=0. ctx matters only
 * for X86_CTX_IDLE: HLT consumes no data and is restartable, so an idle CPU
 * is never the SRAR consumer (RIPV=1, EIPV=0); PCC still gives RIPV=EIPV=0.
 * Other contexts matter through severity grading, not here.
 */
uint64_t cpu_mca_mcg_status_for(enum x86_exec_ctx ctx, uint64_t status, bool consumer, bool local);

enum cpu_mc_delivery { CPU_MC_DELIVERED = 0, CPU_MC_SHUTDOWN };

/*
 * Raise #MC: if MCG_STATUS.MCIP is set or CR4.MCE is clear, the CPU enters
 * shutdown (state, shutdown_reason set; SDM 15.10.1) and CPU_MC_SHUTDOWN is
 * returned. Otherwise MCG_STATUS = mcg_status | MCIP.
 * MCIP is checked before CR4.MCE. A CPU already in shutdown stays there and
 * keeps its first shutdown_reason. The reasons are the static strings
 * "#MC while MCG_STATUS.MCIP=1 (nested machine check)" and
 * "#MC with CR4.MCE=0".
 */
enum cpu_mc_delivery cpu_mca_deliver_mc(struct cpu_mca *c, uint64_t mcg_status);

/* Local MCE is delivered only when LMCE_P, software enabled it
 * (MCG_EXT_CTL.LMCE_EN) and the platform opted in (lmce_on). */
bool cpu_mca_lmce_enabled(const struct cpu_mca *c, bool lmce_on);

#endif
