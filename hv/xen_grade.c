/*
 * xen_grade.c - Xen's classification of one bank as tables, first match
 * wins, each row naming the branch of mce_intel.c it restates:
 *  - sev_table_xen: intel_check_mce_type, the class Xen's handlers
 *    (intel_srao_check, intel_srar_check, the default ones) go by;
 *  - recoverable: intel_recoverable_scan, whether an uncorrected error
 *    still lets the host run (mcheck_mca_logout ANDs it over the banks);
 *  - clear: intel_need_clearbank_scan, which banks a logout clears, by who
 *    logs them.
 * Xen looks at MCi_STATUS and ser_support (MCG_CAP.SER_P) only: not at
 * MCi_STATUS.EN for the class, not at MCG_STATUS or the context (those
 * are mce_urgent_action's, mce_xen.c).
 *
 * Beside them, two label tables for AMD (sev_table_xen_amd,
 * sev_table_xen_amd_k8): Xen's AMD code has no classification; the rows
 * say what its callbacks do with a bank (mce_amd.c).
 *
 * Invariants: every table is total. sev_table_xen: past VAL=1, PCC=0 and
 * UC=1 (rows 1-3), SER=0 ends at row 4 and SER=1 at row 5, 6, 7 or 8 by S
 * and AR; the other two end with a catch-all row, as their functions end
 * with a default answer. test_severity proves the first by enumeration.
 */
#include "xen_grade.h"

#include <stddef.h>

#include "arch/x86_mca.h"
#include "sev_rows.h"

#define SRC(branch) .src = "Xen mce_intel.c intel_check_mce_type: " branch

static const struct sev_rule xen_rules[] = {
    { .name = "Invalid", SRC("VAL=0 -> invalid"),
      STATUS(VAL, 0), GIVES(NONE, IGNORE) },
    { .name = "Fatal: processor context corrupt", SRC("PCC=1 -> fatal"),
      STATUS(PCC, PCC), GIVES(FATAL, PANIC) },
    { .name = "Corrected error", SRC("UC=0 -> corrected"),
      STATUS(UC, 0), GIVES(CORRECTED, LOG) },
    { .name = "Fatal: uncorrected error without SER_P", SRC("!ser_support -> fatal"),
      NOSER, GIVES(FATAL, PANIC) },
    { .name = "Fatal: action required with overflow", SRC("S=1 AR=1 OVER=1 -> fatal"),
      SER, STATUS(S | AR | OVER, S | AR | OVER), GIVES(FATAL, PANIC) },
    { .name = "SRAR: software recoverable, action required", SRC("S=1 AR=1 -> ucr_srar"),
      SER, STATUS(S | AR, S | AR), GIVES(SRAR, RECOVER) },
    { .name = "SRAO: software recoverable, action optional", SRC("S=1 AR=0 -> ucr_srao"),
      SER, STATUS(S | AR, S), GIVES(SRAO, RECOVER) },
    { .name = "UCNA: uncorrected, no action required", SRC("S=0 -> ucr_ucna"),
      SER, STATUS(S, 0), GIVES(UCNA, LOG) },
};

const struct sev_table sev_table_xen = {"xen", xen_rules, sizeof(xen_rules) / sizeof(xen_rules[0])};

/* AMD's code classifies nothing: these rows only name, for the results,
 * what Xen's AMD callbacks (mce_amd.c) and mcheck_cmn_handler make of a
 * bank. PCC or an unrecoverable UC makes the CPU fatal; a recoverable UC
 * is deferred and, no handler owning it, dismissed by the softirq.
 * mc_amd_recoverable_scan goes by mc_ec2type: MCACOD bit 11 a bus error,
 * else bit 8 a memory error, else bit 4 a TLB error, else BUG(). */
#define AMD(branch) .src = "Xen mce_amd.c mc_amd_recoverable_scan: " branch
#define PCC_FATAL \
    { .name = "Fatal: processor context corrupt", .src = "Xen mce.c mcheck_cmn_handler: PCC -> fatal CPU", \
      STATUS(PCC, PCC), GIVES(FATAL, PANIC) }

static const struct sev_rule amd_rules[] = {
    { .name = "Invalid", AMD("VAL=0 -> not logged"), STATUS(VAL, 0), GIVES(NONE, IGNORE) },
    PCC_FATAL,
    { .name = "Corrected error", AMD("UC=0 -> recoverable"), STATUS(UC, 0), GIVES(CORRECTED, LOG) },
    { .name = "Fatal: uncorrected bus error", AMD("bus error -> not recoverable"),
      MCACOD(0x800, 0x800), GIVES(FATAL, PANIC) },
    { .name = "Uncorrected memory error: recoverable, no AMD handler", AMD("memory error -> recoverable"),
      MCACOD(0x900, 0x100), GIVES(UCNA, LOG) },
    { .name = "Fatal: uncorrected TLB error", AMD("TLB error -> not recoverable"),
      MCACOD(0x910, 0x010), GIVES(FATAL, PANIC) },
    { .name = "Xen BUG: error code of no type", .src = "Xen mce_amd.c mc_ec2type: BUG()",
      GIVES(FATAL, PANIC) },
};

/* K8 (family 0xF) installs no recoverable_scan: every UC is fatal. */
static const struct sev_rule amd_k8_rules[] = {
    { .name = "Invalid", .src = "Xen mce.c mcheck_mca_logout: VAL=0 -> not logged", STATUS(VAL, 0),
      GIVES(NONE, IGNORE) },
    PCC_FATAL,
    { .name = "Corrected error", .src = "Xen mce.c mcheck_mca_logout: UC=0 -> no uc",
      STATUS(UC, 0), GIVES(CORRECTED, LOG) },
    { .name = "Fatal: uncorrected, no recoverable_scan (K8)",
      .src = "Xen mce.c mcheck_mca_logout: k8_callbacks have no recoverable_scan -> not recoverable",
      GIVES(FATAL, PANIC) },
};

const struct sev_table sev_table_xen_amd = {"xen-amd", amd_rules, sizeof(amd_rules) / sizeof(amd_rules[0])};
const struct sev_table sev_table_xen_amd_k8 = {"xen-amd-k8", amd_k8_rules,
                                               sizeof(amd_k8_rules) / sizeof(amd_k8_rules[0])};

/* A row of a yes/no table over MCi_STATUS and SER_P. */
struct status_row {
    enum sev_tri ser;
    uint64_t mask, val;
    bool answer;
};

static bool first_match(const struct status_row *t, size_t n, uint64_t status, bool ser)
{
    for (size_t i = 0; i < n; i++)
        if (sev_tri_holds(t[i].ser, ser) && (status & t[i].mask) == t[i].val)
            return t[i].answer;
    return false; /* unreachable: each table ends with a catch-all */
}

#define N(t) (sizeof(t) / sizeof(t[0]))

/* intel_recoverable_scan, row by row. */
static const struct status_row recoverable[] = {
    {SEV_ANY, UC, 0, true},                                           /* corrected         */
    {SEV_YES, EN | OVER, 0, true},                                    /* spurious          */
    {SEV_YES, OVER | PCC | S | AR | EN, S | AR | EN, true},           /* SRAR              */
    {SEV_YES, PCC | S | AR | EN, S | EN, true},                       /* SRAO              */
    {SEV_YES, OVER | EN | PCC | S | AR, EN, true},                    /* UCNA              */
    {SEV_ANY, 0, 0, false},
};

bool xen_recoverable_scan(uint64_t status, bool ser)
{
    return first_match(recoverable, N(recoverable), status, ser);
}

/* intel_need_clearbank_scan for the CMCI handler. */
static const struct status_row clear_cmci[] = {
    {SEV_ANY, UC, 0, true},                                           /* corrected         */
    {SEV_YES, OVER | EN, 0, true},                                    /* spurious          */
    {SEV_YES, OVER | PCC | S | AR, 0, true},                          /* UCNA, OVER=0      */
    {SEV_ANY, 0, 0, false},                                           /* log only          */
};

/* intel_need_clearbank_scan for the #MC handler: a fatal bank stays for
 * the poller after reboot, and so does anything else not listed. */
static const struct status_row clear_mce[] = {
    {SEV_NO, 0, 0, false},                                            /* no SER: keep all  */
    {SEV_ANY, UC | PCC, UC | PCC, false},                             /* fatal: sticky     */
    {SEV_ANY, OVER | UC | EN, UC, true},                              /* spurious          */
    {SEV_ANY, UC | S | AR | OVER, UC | S | AR, true},                 /* SRAR, OVER=0      */
    {SEV_ANY, AR | S | UC, S | UC, true},                             /* SRAO              */
    {SEV_ANY, 0, 0, false},
};

bool xen_need_clearbank_scan(enum xen_mca_source who, uint64_t status, bool ser)
{
    switch (who) {
    case XEN_SRC_CMCI:
        return first_match(clear_cmci, N(clear_cmci), status, ser);
    case XEN_SRC_MCE_SCAN:
        return first_match(clear_mce, N(clear_mce), status, ser);
    default: /* the poller and the boot logout clear what they log */
        return true;
    }
}
