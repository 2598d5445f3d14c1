/*
 * ff.h - the hypervisor's side of firmware-first CMC/CPE reporting.
 *
 * The firmware holds the error records (a log per pCPU and type). The hv
 * learns of one by the CMC/CPE interrupt on that pCPU (hv_ff_signal) or by
 * polling every pCPU's log while the type is throttled (hv_ff_poll,
 * ff_throttle.h), and keeps a queue of pending entries per pCPU and type
 * whose capacity is the firmware's (SAL_GET_STATE_INFO_SIZE / record
 * size), each entry standing for the firmware record at the same place in
 * that pCPU's log. An interrupt whose record found no room is counted in
 * `overflow`, never dropped silently.
 *
 * Entries go to dom0's vCPU0 one at a time, oldest first over all pCPUs
 * (the Xen/ia64 CMC/CPE design, xen-ia64-devel 2007, steps 2-9): QUEUED ->
 * INJECTED (the virtual CMC/CPE interrupt) -> TAKEN (dom0's trapped
 * get-state-info ran on the owning pCPU, by IPI when that is not the
 * caller's) -> gone (dom0's trapped clear-state-info cleared the firmware
 * record on the owning pCPU); only then is the next one injected. A clear
 * before dom0 has the record is refused (-EBUSY) and clears nothing.
 *
 * APEI GHES (the x86 successor, ACPI 6.x 18.3.2.7-8) takes the same path
 * as a third type whose record is the platform's one error status block:
 * its notification makes one entry (in pCPU 0's queue), the hv reads the
 * block at once and acts on its memory error section (ff_ghes.c), and
 * dom0's CLEAR is the block's acknowledgement (Block Status cleared, Read
 * Ack on GHESv2), given only after dom0 has the CPER record.
 */
#ifndef HV_FF_H
#define HV_FF_H

#include <stdbool.h>
#include <stdint.h>

#include "ff_throttle.h"
#include "public/fw_abi.h"
#include "public/hv_report.h"

enum ff_entry_state { FF_QUEUED = 0, FF_INJECTED, FF_TAKEN };

struct ff_entry {
    uint64_t seq;               /* arrival order over the host, from 1 */
    enum ff_entry_state st;
};

/* The pending entries of one pCPU and type, oldest at head. */
struct ff_queue {
    struct ff_entry *e;
    unsigned head, n;
};

struct hv_ff {
    bool on;
    unsigned cap;               /* entries per pCPU and type            */
    struct ff_queue *q;         /* ncpus * FW_TYPE__COUNT                */
    int cur;                    /* queue of the injected entry, -1 none  */
    uint64_t next_seq;
    struct ff_throttle thr[FW_TYPE__COUNT];
    struct hv_ff_report rep;
};

struct hv;

/* Called by hv_init when cfg.firmware_first: 0 or -1 (out of memory). */
int hv_ff_init(struct hv *hv);
void hv_ff_fini(struct hv *hv);

/* The firmware raised the CMC/CPE interrupt (type) on cpu. Ignored while
 * the type is masked for polling (the record waits in firmware). */
void hv_ff_signal(struct hv *hv, unsigned cpu, unsigned type);
/* The poll timer of a type fired (platform ff_arm_poll). */
void hv_ff_poll(struct hv *hv, unsigned type);
/* dom0's trapped SAL call; arg is a guest address of a struct sal_call.
 * 0 or -errno: -EPERM (not dom0), -EFAULT, -EINVAL (unknown fn or type),
 * -ENOENT (nothing of that type injected), -EBUSY (clear before get). */
long hv_do_sal(struct hv *hv, unsigned caller, uint64_t arg);
/* Entries still queued (at the end of a run). */
unsigned hv_ff_pending(const struct hv *hv);
/* ff_ghes.c: a GHES notification on cpu brought a new error status block:
 * read it and act on its CPER record as on a native error. */
void hv_ff_ghes(struct hv *hv, unsigned cpu);

#endif
