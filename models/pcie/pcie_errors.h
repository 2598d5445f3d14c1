/*
 * pcie_errors.h - the errors a PCI Express function can detect, as one
 * table (PCI Express Base Specification r4.0, 6.2.7, Tables 6-3 to 6-5):
 * the name a scenario uses, whether it is correctable, its bit in the AER
 * status registers (7.8.4.2, 7.8.4.5), and whether the function logs the
 * TLP header of the failing request in the Header Log (7.8.4.8) when it
 * records the error as the first one. An uncorrectable error's severity
 * is not in the table: the function's Uncorrectable Error Severity
 * register decides it (6.2.2.2, 7.8.4.4).
 */
#ifndef MODELS_PCIE_ERRORS_H
#define MODELS_PCIE_ERRORS_H

#include <stdbool.h>

struct pcie_error_type {
    const char *name;       /* scenario spelling, e.g. "poisoned-tlp" */
    bool correctable;
    unsigned bit;           /* in the Correctable or Uncorrectable Error Status */
    bool logs_header;       /* Table 6-5: "header logged" */
    const char *title;      /* the specification's name of the error */
};

/* The table, and lookups; NULL / -1 when unknown. */
unsigned pcie_error_count(void);
const struct pcie_error_type *pcie_error_at(unsigned i);
int pcie_error_find(const char *name);
/* The error of a status bit, for printing; NULL when the bit is reserved. */
const struct pcie_error_type *pcie_error_by_bit(bool correctable, unsigned bit);

#endif
