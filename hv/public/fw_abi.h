/*
 * fw_abi.h - firmware-first error reporting as dom0 sees it: the two
 * upcalls that stand for the CMC and CPE interrupts injected into its
 * vCPU0, the SAL-style calls it makes (trapped by the hypervisor and run
 * on the pCPU whose firmware log holds the record) and the record they
 * return. The shape is the Xen/ia64 CMC/CPE design (xen-ia64-devel, 2007:
 * every CMC/CPE goes to dom0 vCPU0 one at a time; SAL_GET_STATE_INFO and
 * SAL_CLEAR_STATE_INFO are trapped and sent by IPI to the owning pCPU;
 * the firmware's record is cleared only when dom0 clears it).
 *
 * Guest pointers are guest-physical addresses; the hypervisor copies the
 * struct sal_call in and back out (-EFAULT on a bad address).
 */
#ifndef HV_PUBLIC_FW_ABI_H
#define HV_PUBLIC_FW_ABI_H

#include <stdint.h>

/* The virtual CMC and CPE interrupts of dom0's vCPU0 (beside VIRQ_MCA),
 * and the one for an APEI GHES record the hypervisor hands on. */
#define VIRQ_FW_CMC 17u
#define VIRQ_FW_CPE 18u
#define VIRQ_FW_GHES 19u

/* Record types: SAL_INFO_TYPE_CMC and SAL_INFO_TYPE_CPE (a log per CPU),
 * and the x86 successor, an APEI Generic Hardware Error Source's error
 * status block holding a CPER record (one block for the platform; dom0
 * gets it through the same one-at-a-time calls, GET reading the block and
 * CLEAR acknowledging it). */
enum fw_type { FW_TYPE_CMC = 0, FW_TYPE_CPE, FW_TYPE_GHES, FW_TYPE__COUNT };

enum sal_fn {
    SAL_FN_GET_STATE_INFO_SIZE = 1, /* bytes of record log a CPU has for the type */
    SAL_FN_GET_STATE_INFO,          /* the record of the current injection       */
    SAL_FN_CLEAR_STATE_INFO,        /* free it in firmware (only once read)      */
};

/* A firmware error record as dom0 receives it. */
struct fw_error_record {
    uint64_t id;        /* the firmware's record id                 */
    uint32_t type;      /* enum fw_type                             */
    uint32_t cpu;       /* the pCPU whose firmware log held it      */
    uint64_t t_ps;      /* when the firmware logged it              */
    uint64_t addr;      /* physical address when FW_REC_ADDRV       */
    uint32_t flags;
    uint32_t severity;  /* GHES: the CPER Error Severity (0 recoverable, 1 fatal, 2 corrected) */
    uint32_t block_status; /* GHES: Block Status as read (ACPI 18.3.2.7.1) */
    uint32_t pad;
};
#define FW_REC_ADDRV 0x1u

/* The argument of the SAL call (in: fn, type; out: the rest). */
struct sal_call {
    uint32_t fn, type;
    uint64_t size;                  /* GET_STATE_INFO_SIZE                    */
    struct fw_error_record rec;     /* GET_STATE_INFO                         */
};

#endif
