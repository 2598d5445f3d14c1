/*
 * xen_grade.h - how Xen's Intel machine-check code judges one bank, beside
 * the grading table sev_table_xen (severity.h): whether the error lets the
 * system go on (intel_recoverable_scan) and whether the bank is cleared
 * after it is logged (intel_need_clearbank_scan), both in mce_intel.c and
 * both functions of MCi_STATUS, SER_P and who logs the bank.
 */
#ifndef HV_XEN_GRADE_H
#define HV_XEN_GRADE_H

#include <stdbool.h>
#include <stdint.h>

/* Who logs a bank (Xen's enum mca_source, mce.h). */
enum xen_mca_source { XEN_SRC_POLLER = 0, XEN_SRC_CMCI, XEN_SRC_RESET, XEN_SRC_MCE_SCAN, XEN_SRC__COUNT };

/* intel_recoverable_scan: may the system go on after this error? */
bool xen_recoverable_scan(uint64_t status, bool ser);
/* intel_need_clearbank_scan: clear the bank after logging it? */
bool xen_need_clearbank_scan(enum xen_mca_source who, uint64_t status, bool ser);

#endif
