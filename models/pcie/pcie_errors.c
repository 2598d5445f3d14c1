/*
 * pcie_errors.c - the table of PCI Express errors (pcie_errors.h). One
 * row per error the AER status registers have a bit for; rows name the
 * specification's Table 6-3 (Physical and Data Link Layer errors),
 * Table 6-4 and Table 6-5 (Transaction Layer errors) of r4.0.
 */
#include "models/pcie/pcie_errors.h"

#include <string.h>

#include "arch/pcie_aer.h"

static const struct pcie_error_type errors[] = {
    /* correctable: Physical and Data Link Layer (Table 6-3) */
    {"receiver-error", true, AER_CE_RXERR, false, "Receiver Error"},
    {"bad-tlp", true, AER_CE_BADTLP, false, "Bad TLP"},
    {"bad-dllp", true, AER_CE_BADDLLP, false, "Bad DLLP"},
    {"replay-rollover", true, AER_CE_REPLAY_ROLL, false, "REPLAY_NUM Rollover"},
    {"replay-timeout", true, AER_CE_REPLAY_TO, false, "Replay Timer Timeout"},
    {"advisory-non-fatal", true, AER_CE_ANFE, false, "Advisory Non-Fatal Error"},
    {"corrected-internal", true, AER_CE_CIE, false, "Corrected Internal Error"},
    {"header-log-overflow", true, AER_CE_HLO, false, "Header Log Overflow"},
    /* uncorrectable: Data Link Layer (Table 6-3) */
    {"data-link-protocol", false, AER_UE_DLP, false, "Data Link Protocol Error"},
    {"surprise-down", false, AER_UE_SDES, false, "Surprise Down Error"},
    /* uncorrectable: Transaction Layer (Table 6-5) */
    {"poisoned-tlp", false, AER_UE_POISON, true, "Poisoned TLP Received"},
    {"flow-control-protocol", false, AER_UE_FCP, false, "Flow Control Protocol Error"},
    {"completion-timeout", false, AER_UE_CTO, false, "Completion Timeout"},
    {"completer-abort", false, AER_UE_CA, true, "Completer Abort"},
    {"unexpected-completion", false, AER_UE_UC, true, "Unexpected Completion"},
    {"receiver-overflow", false, AER_UE_RO, false, "Receiver Overflow"},
    {"malformed-tlp", false, AER_UE_MALF, true, "Malformed TLP"},
    {"ecrc", false, AER_UE_ECRC, true, "ECRC Check Failed"},
    {"unsupported-request", false, AER_UE_UR, true, "Unsupported Request"},
    {"acs-violation", false, AER_UE_ACS, true, "ACS Violation"},
    {"uncorrectable-internal", false, AER_UE_UIE, false, "Uncorrectable Internal Error"},
};

#define NERRORS (sizeof(errors) / sizeof(errors[0]))

unsigned pcie_error_count(void) { return (unsigned)NERRORS; }

const struct pcie_error_type *pcie_error_at(unsigned i) { return i < NERRORS ? &errors[i] : NULL; }

int pcie_error_find(const char *name)
{
    for (unsigned i = 0; i < NERRORS; i++)
        if (strcmp(errors[i].name, name) == 0)
            return (int)i;
    return -1;
}

const struct pcie_error_type *pcie_error_by_bit(bool correctable, unsigned bit)
{
    for (unsigned i = 0; i < NERRORS; i++)
        if (errors[i].correctable == correctable && errors[i].bit == bit)
            return &errors[i];
    return NULL;
}
