/*
 * sev_rows.h - column helpers for the grading tables (severity.c,
 * xen_grade.c), so that each row reads as one line of conditions. Only
 * for files that define rows; the short bit names are not for headers.
 */
#ifndef HV_SEV_ROWS_H
#define HV_SEV_ROWS_H

#include "arch/x86_mca.h"
#include "severity.h"

#define STATUS(mask, val) .status_mask = (mask), .status_val = (val)
#define MCG(mask, val) .mcg_mask = (mask), .mcg_val = (val)
#define MCACOD(mask, val) .mcacod_mask = (mask), .mcacod_val = (val)
#define SER .ser = SEV_YES
#define NOSER .ser = SEV_NO
#define EXCP .in_handler = SEV_YES
#define CTX(set) .ctx_set = (set)
#define GIVES(c, a) .cls = MCE_CLASS_##c, .action = MCE_ACT_##a

/* Short names for the status bits the rows test. */
#define VAL MCI_STATUS_VAL
#define OVER MCI_STATUS_OVER
#define UC MCI_STATUS_UC
#define EN MCI_STATUS_EN
#define PCC MCI_STATUS_PCC
#define S MCI_STATUS_S
#define AR MCI_STATUS_AR

#endif
