/*
 * severity.c - the grading evaluator (first match wins) and the linux
 * handler order's table of rules.
 *
 * Each row tests MCi_STATUS bits, MCG_STATUS bits, the MCACOD field,
 * MCG_CAP.SER_P, the execution context and whether the #MC handler or the
 * poller/CMCI path is grading; the first row whose every condition holds
 * gives the class, the action and the message. The rows follow the SDM's
 * classification of uncorrected errors (Vol. 3B 15.6, 15.9), the order of
 * Linux's severity table (mce/severity.c) and the outcomes Xen gives each
 * case (mcheck_cmn_handler and the mce_intel.c handlers: phase (a)
 * fatality, no SER -> fatal, unknown SRAR -> reset, other SRAO ->
 * continue).
 *
 * Invariants:
 *  - the table is total: with VAL=1 and PCC=0 past row 3, UC=0 ends at
 *    "Corrected error"; UC=1 without SER ends at row 9; with SER every
 *    (S, AR) pair has a final row (12, 13, 17, 19). test_severity proves it
 *    by enumeration, so no catch-all row is needed (it would be dead);
 *  - row order is stable: traces and records carry the row's message;
 *  - no state: the table is const and grading is a pure function.
 */
#include "severity.h"

#include <stddef.h>

#include "arch/x86_mca.h"
#include "public/hv_policy.h"
#include "public/mca_names.h"
#include "sev_rows.h"

#define LINUX .src = "Linux mce/severity.c severities[]"
#define XEN(fn) .src = "Xen " fn

/* Every MCACOD bit: the row wants this exact code. */
#define EXACT 0xFFFFu

static const struct sev_rule sev_rules[] = {
    /* Not an error, or one the bank's control disabled: nothing to log. */
    { .name = "Invalid", LINUX,
      STATUS(VAL, 0), GIVES(NONE, IGNORE) },
    { .name = "Not enabled", LINUX,
      EXCP, STATUS(EN, 0), GIVES(NONE, IGNORE) },

    /* The interrupted context cannot be trusted or resumed. */
    { .name = "Processor context corrupt", LINUX,
      STATUS(PCC, PCC), GIVES(FATAL, PANIC) },
    { .name = "MCIP not set in MCA handler", LINUX,
      EXCP, MCG(MCG_STATUS_MCIP, 0), GIVES(FATAL, PANIC) },
    { .name = "Neither restart nor error IP", LINUX,
      EXCP, MCG(MCG_STATUS_RIPV | MCG_STATUS_EIPV, 0), GIVES(FATAL, PANIC) },
    /* Xen phase (a): the hypervisor itself cannot be killed like a task. */
    { .name = "No restart IP in hypervisor context", XEN("mce.c mce_urgent_action"),
      EXCP, MCG(MCG_STATUS_RIPV, 0), CTX(SEV_CTX_HV), GIVES(FATAL, PANIC) },

    { .name = "Corrected error", LINUX,
      STATUS(UC, 0), GIVES(CORRECTED, LOG) },

    /* Without SER_P nothing uncorrected is recoverable. */
    { .name = "Overflowed uncorrected", LINUX,
      NOSER, STATUS(UC | OVER, UC | OVER), GIVES(FATAL, PANIC) },
    { .name = "Uncorrected error without SER_P", LINUX,
      NOSER, STATUS(UC, UC), GIVES(FATAL, PANIC) },

    /* SRAO the memory-error handler can act on, whatever S and OVER say. */
    { .name = "Action optional: memory scrubbing error", LINUX,
      SER, STATUS(UC | AR, UC), MCACOD(MCACOD_SCRUB_MASK, MCACOD_SCRUB),
      GIVES(SRAO, RECOVER) },
    { .name = "Action optional: last level cache writeback error", LINUX,
      SER, STATUS(UC | AR, UC), MCACOD(EXACT, MCACOD_L3_WB),
      GIVES(SRAO, RECOVER) },

    /* S=0: not signalled by #MC. */
    { .name = "Uncorrected no action required", LINUX,
      SER, STATUS(UC | S | AR, UC), GIVES(UCNA, LOG) },
    { .name = "Illegal combination (UCNA with AR=1)", LINUX,
      SER, STATUS(UC | S | AR, UC | AR), GIVES(FATAL, PANIC) },

    /* S=1, AR=1: the thread consumed poison and cannot go on as is. */
    { .name = "Action required with lost events", LINUX,
      SER, STATUS(UC | S | AR | OVER, UC | S | AR | OVER), GIVES(FATAL, PANIC) },
    { .name = "Action required: data load error", LINUX,
      SER, STATUS(UC | S | AR | OVER, UC | S | AR),
      MCACOD(EXACT, MCACOD_DATA_LOAD), GIVES(SRAR, RECOVER) },
    { .name = "Action required: instruction fetch error", LINUX,
      SER, STATUS(UC | S | AR | OVER, UC | S | AR),
      MCACOD(EXACT, MCACOD_INSN_FETCH), GIVES(SRAR, RECOVER) },
    /* Xen resets on an SRAR it has no handler for. */
    { .name = "Action required: unknown MCACOD", XEN("mce_intel.c intel_srar_dhandler"),
      SER, STATUS(UC | S | AR | OVER, UC | S | AR), GIVES(SRAR, PANIC) },

    /* S=1, AR=0 with a code we cannot act on: log, the system goes on. */
    { .name = "Action optional with lost events", LINUX,
      SER, STATUS(UC | S | AR | OVER, UC | S | OVER), GIVES(SRAO, LOG) },
    { .name = "Action optional: unknown MCACOD", LINUX,
      SER, STATUS(UC | S | AR, UC | S), GIVES(SRAO, LOG) },
};

#define SEV_NRULES (sizeof(sev_rules) / sizeof(sev_rules[0]))

bool sev_tri_holds(enum sev_tri want, bool have)
{
    return want == SEV_ANY || (want == SEV_YES) == have;
}

static bool ctx_holds(unsigned set, enum x86_exec_ctx ctx)
{
    if (set == SEV_CTX_ANY)
        return true;
    /* An out-of-range context is in no set (and must not be shifted). */
    return (unsigned)ctx < X86_CTX__COUNT && (set & (1u << ctx)) != 0;
}

static bool rule_holds(const struct sev_rule *r, const struct sev_input *in)
{
    return (in->status & r->status_mask) == r->status_val &&
           (in->mcg_status & r->mcg_mask) == r->mcg_val &&
           (mci_mcacod(in->status) & r->mcacod_mask) == r->mcacod_val &&
           sev_tri_holds(r->ser, (in->mcg_cap & MCG_SER_P) != 0) &&
           sev_tri_holds(r->in_handler, in->path == SEV_PATH_MCE) &&
           ctx_holds(r->ctx_set, in->ctx);
}

struct sev_result sev_grade_with(const struct sev_table *t, const struct sev_input *in)
{
    for (unsigned i = 0; i < t->n; i++) {
        const struct sev_rule *r = &t->rows[i];
        if (rule_holds(r, in))
            return (struct sev_result){ r->cls, r->action, i, r->name };
    }
    /* Unreachable (the tables are total, see the top of the file and
     * xen_grade.c); should a future edit open a gap, fail safe rather than
     * call it harmless. */
    return (struct sev_result){ MCE_CLASS_FATAL, MCE_ACT_PANIC, t->n, "No matching rule" };
}

const struct sev_table sev_table_linux = {"linux", sev_rules, (unsigned)SEV_NRULES};

const struct sev_table *sev_table_of(int handler_order)
{
    return handler_order == ORDER_LINUX ? &sev_table_linux : &sev_table_xen;
}

struct sev_result sev_grade(const struct sev_input *in)
{
    return sev_grade_with(&sev_table_linux, in);
}

unsigned sev_rule_count(void)
{
    return (unsigned)SEV_NRULES;
}

/* NULL past the end of the table. */
const struct sev_rule *sev_rule_at(unsigned i)
{
    return i < SEV_NRULES ? &sev_rules[i] : NULL;
}

/* A bank entry's class is the grade's class (hv_record_add_bank copies it). */
_Static_assert((int)MCE_CLASS__COUNT == (int)MCA_REC__COUNT && MCE_CLASS_FATAL == (int)MCA_REC_FATAL &&
                   MCE_CLASS_SRAR == (int)MCA_REC_SRAR && MCE_CLASS_UCNA == (int)MCA_REC_UCNA,
               "enum mce_class and enum mca_rec_class share order");

static const char *const action_names[MCE_ACT__COUNT] = {
    [MCE_ACT_IGNORE] = "ignore", [MCE_ACT_LOG] = "log",
    [MCE_ACT_RECOVER] = "recover", [MCE_ACT_PANIC] = "panic",
};

const char *mce_class_name(enum mce_class c)
{
    return mca_rec_class_name((unsigned)c);
}

const char *mce_action_name(enum mce_action a)
{
    return (unsigned)a < MCE_ACT__COUNT ? action_names[a] : "unknown";
}
