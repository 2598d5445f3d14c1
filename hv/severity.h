/*
 * severity.h - grading one bank's error: tables of rules, first match wins.
 *
 * Each rule is a row of masks and values over MCi_STATUS, MCG_STATUS,
 * MCG_CAP.SER_P, the execution context and whether grading happens inside
 * the #MC handler or in the poller/CMCI path. The row that fires gives the
 * class, the action and the message the user sees, and names its source.
 * Two tables, one per handler order (public/hv_policy.h):
 *  - xen (xen_grade.c): Xen's own classification, intel_check_mce_type
 *    (mce_intel.c), which looks at MCi_STATUS and SER_P only;
 *  - linux (severity.c): the order and cases of Linux's mce/severity.c
 *    with the SDM's classification (Vol. 3B 15.6, 15.9), context and
 *    MCG_STATUS included.
 */
#ifndef HV_SEVERITY_H
#define HV_SEVERITY_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_context.h"

enum mce_class {
    MCE_CLASS_NONE = 0,
    MCE_CLASS_CORRECTED,
    MCE_CLASS_UCNA,
    MCE_CLASS_SRAO,
    MCE_CLASS_SRAR,
    MCE_CLASS_FATAL,
    MCE_CLASS__COUNT
};

enum mce_action {
    MCE_ACT_IGNORE = 0, /* nothing to log (invalid / not enabled)     */
    MCE_ACT_LOG,        /* log it; no recovery needed or possible     */
    MCE_ACT_RECOVER,    /* hand to the recovery (memory-error) handler */
    MCE_ACT_PANIC,      /* the host cannot continue                    */
    MCE_ACT__COUNT
};

/* Which path grades: inside the #MC handler, or the poller / CMCI. */
enum sev_path { SEV_PATH_MCE = 0, SEV_PATH_POLL };

/* Tri-state condition on one property of the input. */
enum sev_tri { SEV_ANY = 0, SEV_YES, SEV_NO };

/* Context sets for a rule, as bits of (1u << enum x86_exec_ctx). */
#define SEV_CTX_ANY 0u
#define SEV_CTX_HV ((1u << X86_CTX_HV) | (1u << X86_CTX_IDLE))

struct sev_rule {
    const char *name;       /* message shown when it fires              */
    const char *src;        /* where the row comes from (function, file) */
    uint64_t status_mask, status_val;   /* (status & mask) == val       */
    uint64_t mcg_mask, mcg_val;         /* (mcg_status & mask) == val   */
    uint16_t mcacod_mask, mcacod_val;   /* (MCACOD & mask) == val       */
    enum sev_tri ser;       /* MCG_CAP.SER_P required set / clear       */
    enum sev_tri in_handler;/* SEV_YES: only in the #MC handler         */
    unsigned ctx_set;       /* SEV_CTX_ANY or a set of contexts         */
    enum mce_class cls;
    enum mce_action action;
};

struct sev_input {
    uint64_t status;
    uint64_t mcg_status;
    uint64_t mcg_cap;
    enum x86_exec_ctx ctx;
    enum sev_path path;
};

struct sev_result {
    enum mce_class cls;
    enum mce_action action;
    unsigned rule_index;    /* index into the table                    */
    const char *rule;       /* == sev_rule_at(rule_index)->name        */
};

/* A table of rules (first match wins) and its name. */
struct sev_table {
    const char *name;       /* the handler order's name: "xen", "linux" */
    const struct sev_rule *rows;
    unsigned n;
};

extern const struct sev_table sev_table_linux; /* severity.c */
extern const struct sev_table sev_table_xen;   /* xen_grade.c */
extern const struct sev_table sev_table_xen_amd;    /* xen_grade.c: labels only */
extern const struct sev_table sev_table_xen_amd_k8; /* xen_grade.c: labels only */

/* Does a tri-state condition hold for a property? (SEV_ANY always.) */
bool sev_tri_holds(enum sev_tri want, bool have);

/* The table of a handler order (hv_policy.h's enum, as an int). */
const struct sev_table *sev_table_of(int handler_order);

/* Grade one error with a table. Always returns a result: both tables are
 * total. */
struct sev_result sev_grade_with(const struct sev_table *t, const struct sev_input *in);
/* The linux table's grade. */
struct sev_result sev_grade(const struct sev_input *in);

unsigned sev_rule_count(void);                 /* linux table */
const struct sev_rule *sev_rule_at(unsigned i); /* linux table */

const char *mce_class_name(enum mce_class c);     /* "none" ... "fatal" */
const char *mce_action_name(enum mce_action a);   /* "ignore" ... "panic" */

#endif
