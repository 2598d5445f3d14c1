/*
 * dom0.h - the minimal dom0 of mcasim: an mcelog-style daemon.
 *
 * On VIRQ_MCA it drains the hypervisor's telemetry, urgent class first,
 * with the fetch / decode / ack loop of Linux's drivers/xen/mcelog.c (Xen's
 * XEN_MC_fetch, XEN_MC_ACK): a record is acked only after it was copied
 * and decoded, so nothing is lost if dom0 dies in between.
 *
 * Optionally (ce.enabled) it also counts corrected memory errors the way
 * mcelog does (ce_account.h) and, when a page has had too many, asks the
 * hypervisor to offline it before an uncorrected error arrives (Xen MCA/MCE
 * concept, Egger 2007, case II; MCA_CMD_OFFLINE_PAGE), once per page.
 * When the hypervisor answers that a DomU owns the page (PENDING|OWNED,
 * offlined only once the guest frees it), dom0 may go further, as the same
 * case II proposes: have its toolstack live-migrate the DomU, or save it
 * and restore it, on another host before an uncorrected error comes
 * (on_ce_domu; Xen's own xen-hptool suspends a PV owner and exchanges the
 * page instead, and tells one without a suspend port to "try live
 * migration").
 */
#ifndef GUESTS_DOM0_DOM0_H
#define GUESTS_DOM0_DOM0_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guests/dom0/ce_account.h"
#include "guests/guest_abi.h"
#include "hv/public/mca_abi.h"

/* What dom0 does when a DIMM crosses its CE threshold: mcelog's warning,
 * or also ask for the spare rank to replace or mirror its rank. */
enum dom0_dimm_action { DOM0_DIMM_WARN = 0, DOM0_DIMM_SPARE, DOM0_DIMM_MIRROR };

/* What dom0 does about a DomU whose page crossed the CE threshold. */
enum dom0_ce_domu { DOM0_CE_OFFLINE = 0, DOM0_CE_MIGRATE, DOM0_CE_SAVE_RESTORE };

struct dom0_stats {
    uint64_t fetched, acked, decoded;
    uint64_t errors; /* hypercalls that failed */
    uint64_t decisions; /* NOTIFYDOMAIN calls made */
    uint64_t offline_requests; /* OFFLINE_PAGE calls that succeeded */
    uint64_t moves; /* DomUs the toolstack started moving off this host */
    uint64_t spares; /* SPARE_RANK calls that succeeded */
};

struct dom0 {
    struct guest_abi abi;
    /* dom0's policy when the hypervisor defers a DomU's error to it
     * (Egger's case II): enum mca_dom0_action, 0 = never asked. */
    uint32_t on_deferred;
    /* 'save': the toolstack then saves the DomU and restores it on host
     * save_to (xc_domain_save without XCFLAGS_LIVE), when has_save_to. */
    bool has_save_to;
    unsigned save_to;
    uint64_t mce_count; /* "MCE n" counter in the decoded text */
    /* CE accounting and soft offlining: configuration (dom0_init sets
     * mcelog's thresholds, disabled) and state. */
    struct ce_account_config ce;
    struct ce_account ce_state;
    uint32_t on_ce_domu;  /* enum dom0_ce_domu */
    unsigned move_to;     /* the host it moves DomUs to */
    /* A DIMM over its CE count: warn only (mcelog), or also ask the
     * hypervisor to have the spare rank take over or mirror its rank
     * (Egger's self-healing, MCA_CMD_SPARE_RANK), once. */
    uint32_t on_dimm;     /* enum dom0_dimm_action */
    bool spare_asked;
    struct dom0_stats stats;
    struct mca_record rec; /* the record being decoded (kept off the stack) */
};

void dom0_init(struct dom0 *d, const struct guest_abi *abi);
/* VIRQ_MCA upcall: fetch, decode, ack until both classes are empty. */
void dom0_on_virq_mca(struct dom0 *d);
/* The round fold (dom0_fold.c): the counters a round moves (fold_ctr.h; at
 * most max into out, returns how many there are), and whether dom0 keeps
 * no other history of the rounds (CE accounting off). */
struct fold_ctr;
size_t dom0_fold_counters(struct dom0 *d, struct fold_ctr *out, size_t max);
bool dom0_round_foldable(const struct dom0 *d);

#endif
