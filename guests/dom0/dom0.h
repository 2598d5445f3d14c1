/*
 * dom0.h - the minimal dom0 of mcasim: an mcelog-style daemon.
 *
 * On VIRQ_MCA it drains the hypervisor's telemetry, urgent class first,
 * with the fetch / decode / ack loop of Linux's drivers/xen/mcelog.c
 * (xen-mca-behaviour.md s.3): a record is acked only after it was copied
 * and decoded, so nothing is lost if dom0 dies in between.
 */
#ifndef GUESTS_DOM0_DOM0_H
#define GUESTS_DOM0_DOM0_H

#include <stdbool.h>
#include <stdint.h>

#include "guests/guest_abi.h"

struct dom0_stats {
    uint64_t fetched, acked, decoded;
    uint64_t errors; /* hypercalls that failed */
    uint64_t decisions; /* NOTIFYDOMAIN calls made */
};

struct dom0 {
    struct guest_abi abi;
    /* dom0's policy when the hypervisor defers a DomU's error to it
     * (seed 000 case II): enum mca_dom0_action, 0 = never asked. */
    uint32_t on_deferred;
    uint64_t mce_count; /* "MCE n" counter in the decoded text */
    struct dom0_stats stats;
};

void dom0_init(struct dom0 *d, const struct guest_abi *abi);
/* VIRQ_MCA upcall: fetch, decode, ack until both classes are empty. */
void dom0_on_virq_mca(struct dom0 *d);

#endif
