/*
 * dom0_ff.h - dom0's handler of firmware-first CMC/CPE interrupts.
 *
 * On the virtual CMC or CPE interrupt of its vCPU0 it does what Linux's
 * ia64_mca_log_sal_error_record does with the firmware's log: get the
 * record (SAL_GET_STATE_INFO, trapped by the hypervisor), write it to its
 * log, then clear it (SAL_CLEAR_STATE_INFO), so the firmware frees the
 * record only once dom0 has it. The size of a type's log
 * (SAL_GET_STATE_INFO_SIZE) is asked once, at the type's first interrupt,
 * as Linux's ia64_log_init asks it at boot. A GHES record (the APEI
 * error status block the hypervisor hands on) takes the same get / log /
 * clear; its clear acknowledges the block.
 */
#ifndef GUESTS_DOM0_DOM0_FF_H
#define GUESTS_DOM0_DOM0_FF_H

#include <stdint.h>

#include "guests/guest_abi.h"
#include "hv/public/fw_abi.h"

struct dom0_ff_stats {
    uint64_t interrupts, records, errors;
};

struct dom0_ff {
    struct guest_abi abi;
    uint64_t arg;                   /* guest address of its struct sal_call */
    uint64_t size[FW_TYPE__COUNT];  /* 0: not asked yet                     */
    struct dom0_ff_stats stats;
};

/* arg: a guest address with room for a struct sal_call, used by nothing else. */
void dom0_ff_init(struct dom0_ff *d, const struct guest_abi *abi, uint64_t arg);
/* The virtual interrupt of a type (enum fw_type): 0, or the -errno of the
 * SAL call that failed (logged). */
long dom0_ff_on_interrupt(struct dom0_ff *d, unsigned type);

#endif
