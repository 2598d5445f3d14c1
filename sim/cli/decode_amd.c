/*
 * decode_amd.c - an AMD MCA_STATUS as AMD defines it (AMD64 Architecture
 * Programmer's Manual Vol. 2, "Machine-Check Status"; Linux's and
 * mcelog's AMD decoders read the same bits): bits 63..57 as Intel's, then
 * ErrCoreIdVal (56), TCC (55, task context corrupt), SyndV (53), CECC
 * (46), UECC (45), Deferred (44) and Poison (43) where Intel has S, AR,
 * the threshold status and the corrected-error count; ErrorCodeExt is
 * bits 21:16.
 *
 * The grade is a table, first match wins, after what Xen does on AMD
 * (xen/arch/x86/cpu/mcheck/mce_amd.c mc_amd_recoverable_scan and mce.c):
 * a corrected error is logged; an uncorrected one is recoverable when its
 * error code is a memory-hierarchy error (the page is offlined), and
 * fatal otherwise (bus, TLB, internal); PCC and an overflowed uncorrected
 * error are fatal; a deferred error (AMD's uncorrected error not yet
 * consumed) is logged like a UCNA.
 */
#include <stdio.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "sim/cli/decode.h"

#define AMD_ERRCOREIDVAL (1ull << 56)
#define AMD_TCC (1ull << 55)
#define AMD_SYNDV (1ull << 53)
#define AMD_CECC (1ull << 46)
#define AMD_UECC (1ull << 45)
#define AMD_DEFERRED (1ull << 44)
#define AMD_POISON (1ull << 43)

static const struct {
    uint64_t bit;
    const char *name;
} amd_bits[] = {
    {MCI_STATUS_OVER, "OVER"},       {MCI_STATUS_EN, "EN"},         {MCI_STATUS_MISCV, "MISCV"},
    {MCI_STATUS_ADDRV, "ADDRV"},     {MCI_STATUS_PCC, "PCC"},       {AMD_ERRCOREIDVAL, "ErrCoreIdVal"},
    {AMD_TCC, "TCC"},                {AMD_SYNDV, "SyndV"},          {AMD_CECC, "CECC"},
    {AMD_UECC, "UECC"},              {AMD_DEFERRED, "Deferred"},    {AMD_POISON, "Poison"},
};

void decode_amd_flags(uint64_t s, char *buf, size_t len)
{
    size_t k = (size_t)snprintf(buf, len, "%s", (s & MCI_STATUS_UC) ? "UC" : "CE");
    for (unsigned i = 0; i < sizeof(amd_bits) / sizeof(amd_bits[0]) && k < len; i++)
        if (s & amd_bits[i].bit)
            k += (size_t)snprintf(buf + k, len - k, " %s", amd_bits[i].name);
    if (k < len)
        snprintf(buf + k, len - k, " ErrorCodeExt 0x%x", (unsigned)((s >> 16) & 0x3F));
}

/* A memory-hierarchy error code: 0000 0001 RRRR TTLL (the encoding Xen's
 * mc_ec2type calls MC_EC_MEM_TYPE). */
static bool memory_error(uint64_t s) { return (mci_mcacod(s) & 0xFF00) == 0x0100; }

struct amd_rule {
    const char *name;
    uint64_t mask, val;
    int memory;               /* -1 any, 0 not a memory error, 1 a memory error */
    enum mce_class cls;
    enum mce_action action;
};

static const struct amd_rule amd_rules[] = {
    {"Invalid", MCI_STATUS_VAL, 0, -1, MCE_CLASS_NONE, MCE_ACT_IGNORE},
    {"Processor context corrupt", MCI_STATUS_PCC, MCI_STATUS_PCC, -1, MCE_CLASS_FATAL, MCE_ACT_PANIC},
    {"Deferred error (AMD): uncorrected, not yet consumed", MCI_STATUS_UC | AMD_DEFERRED, AMD_DEFERRED, -1,
     MCE_CLASS_UCNA, MCE_ACT_LOG},
    {"Corrected error", MCI_STATUS_UC, 0, -1, MCE_CLASS_CORRECTED, MCE_ACT_LOG},
    {"Overflowed uncorrected", MCI_STATUS_OVER, MCI_STATUS_OVER, -1, MCE_CLASS_FATAL, MCE_ACT_PANIC},
    {"Uncorrected memory error (AMD): recoverable, the page is offlined", 0, 0, 1, MCE_CLASS_SRAO,
     MCE_ACT_RECOVER},
    {"Uncorrected error Xen cannot recover on AMD (not a memory error)", 0, 0, 0, MCE_CLASS_FATAL, MCE_ACT_PANIC},
};

struct sev_result decode_amd_grade(const struct decode_in *d)
{
    unsigned n = sizeof(amd_rules) / sizeof(amd_rules[0]);
    for (unsigned i = 0; i < n; i++) {
        const struct amd_rule *r = &amd_rules[i];
        if ((d->status & r->mask) != r->val || (r->memory >= 0 && r->memory != memory_error(d->status)))
            continue;
        return (struct sev_result){r->cls, r->action, i, r->name};
    }
    return (struct sev_result){MCE_CLASS_FATAL, MCE_ACT_PANIC, n, "No match"}; /* not reached: the table is total */
}
