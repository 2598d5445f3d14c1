/*
 * hv_report.h - what a hypervisor instance reports about itself when a run
 * ends: its counters, its telemetry pool's statistics, the host pages that
 * left the normal state and its domains' types and states. The simulator's
 * results are built from these types alone; the structs that hold them
 * inside the hv (struct hv, telem_pool, page_states, domain) stay private.
 */
#ifndef HV_PUBLIC_HV_REPORT_H
#define HV_PUBLIC_HV_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "fw_abi.h"

/* The telemetry classes (Xen's urgent and non-urgent mctelem pools). */
enum telem_class { TELEM_URGENT = 0, TELEM_NONURGENT, TELEM__CLASSES };

struct telem_stats {
    uint64_t reserved;
    uint64_t committed;
    uint64_t dismissed;
    uint64_t fetched;        /* fetch calls that returned a record     */
    uint64_t acked;
    uint64_t dropped[TELEM__CLASSES];
    uint64_t incomplete;     /* records flagged INCOMPLETE (banks left out) */
};

struct hv_stats {
    uint64_t mce, cmci, polls, softirqs;
    uint64_t banks_logged;     /* valid banks read out          */
    uint64_t virqs;
    uint64_t hypercalls, hypercall_errors;
    uint64_t recovered, tainted, resets;
    uint64_t vmce_injected, vmce_failed, domains_killed;
    uint64_t cmci_storms, cmci_storms_ended; /* all CPUs (and banks)  */
    uint64_t offline_requests; /* MCA_CMD_OFFLINE_PAGE calls served     */
};

/* Firmware-first reporting (ff.c), per type (enum fw_type). */
struct hv_ff_report {
    uint64_t interrupts[FW_TYPE__COUNT]; /* CMC/CPE interrupts, GHES notifications */
    uint64_t masked[FW_TYPE__COUNT];     /* interrupts that came while polling  */
    uint64_t queued[FW_TYPE__COUNT];     /* entries made (by interrupt or poll) */
    uint64_t polled[FW_TYPE__COUNT];     /* ... of them found by a poll         */
    uint64_t overflow[FW_TYPE__COUNT];   /* interrupts whose record found no room */
    uint64_t injected[FW_TYPE__COUNT], read[FW_TYPE__COUNT], cleared[FW_TYPE__COUNT];
    uint64_t storms[FW_TYPE__COUNT], returns[FW_TYPE__COUNT], polls[FW_TYPE__COUNT];
    uint64_t ipis;            /* forwarded SAL calls and poll steps         */
    uint64_t refused;         /* clear-state-info before the record was read */
    /* GHES records the hv acted on, by CPER severity: memory errors run
     * through the native memory-error handler, fatal ones, and those
     * without a usable physical address */
    uint64_t ghes_memerr, ghes_fatal, ghes_corrected, ghes_no_addr;
};

enum page_state {
    PAGE_NORMAL = 0,
    PAGE_OFFLINE_PENDING, /* offlining: leaves service when freed */
    PAGE_OFFLINED,        /* out of the allocator                 */
};

struct page_entry {
    uint64_t mfn;
    enum page_state state;
    bool broken;
    bool freed;           /* given back to the heap: free from then on */
    unsigned owner_domid; /* of an offlining page: a domid, or 0xFFFF
                           * (DOMID_NONE) for the hypervisor's        */
};

enum dom_type { DOM_TYPE_DOM0 = 0, DOM_TYPE_PV, DOM_TYPE_HVM, DOM_TYPE__COUNT };
enum dom_state { DOM_RUNNING = 0, DOM_PAUSED, DOM_CRASHED, DOM_DYING, DOM_STATE__COUNT };

const char *page_state_name(enum page_state s);
const char *dom_type_name(enum dom_type t);
const char *dom_state_name(enum dom_state s);

#endif
