/*
 * migrate_save.h - the sending toolstack of a pre-copy live migration, as
 * the V4 broken-page migration patch (xen-devel, 2012) lays it out.
 *
 * Log-dirty mode on; iteration 0 sends every page with the guest running;
 * each later iteration sends what the guest dirtied meanwhile, until few
 * pages are dirty (dirty_threshold) or max_iters live iterations are done.
 * Then the last iteration, with the guest paused. Every iteration goes
 * batch by batch through the V4 patch's steps:
 *   1 pause (last iteration only)   2 scan the dirty bitmap
 *   3 map the batch                 4 query the frame types (BROKEN too)
 *   5 walk the batch                6 send the types
 *   7 send the normal pages, never touching a broken one
 *   8 (option recheck_types, the V4 patch, last iteration only) query the
 *     types again; more broken than at 4 means an MCE came in meanwhile:
 *     do the last iteration again, so the target marks them broken.
 * After the last iteration the vMCE record of each vCPU goes out (unless
 * MCG_CAP is not saved: the old behaviour), then the handshake: with
 * abort_on_vmce, a vMCE delivered during the migration (or still pending)
 * aborts it and the guest goes on at the source (vMCE design RFC, 2012);
 * otherwise END, and the target's answer decides whether the source is
 * destroyed or the guest resumed.
 *
 * A cold move (save and restore, xc_domain_save without XCFLAGS_LIVE)
 * pauses the guest first and sends every page in that one, last, iteration.
 *
 * The run blocks in its ops (they advance simulated time), so an MCE can
 * land between any two steps. A page read that consumes poison kills the
 * process (SIGBUS): the run returns MIG_SAVE_KILLED at once, and whoever
 * started it (xl's parent, mig_save_recover) resumes the guest.
 */
#ifndef GUESTS_DOM0_MIGRATE_SAVE_H
#define GUESTS_DOM0_MIGRATE_SAVE_H

#include <stdbool.h>
#include <stdint.h>

#include "guests/dom0/ctl.h"
#include "guests/dom0/mig_stream.h"

struct mig_save_config {
    unsigned domid;
    unsigned max_iters;        /* live iterations, >= 1                       */
    unsigned batch;            /* 1..DOMCTL_PFINFO_MAX_BATCH                   */
    uint64_t dirty_threshold;  /* pages                                       */
    bool recheck_types;        /* step 8                                      */
    bool abort_on_vmce;        /* vMCE design RFC                             */
    bool send_vmce;            /* save MCG_CAP and the vMCE state (e1dc98e3c3) */
    bool cold;                 /* xl save + restore: no live iteration, the
                                * guest paused before the first page        */
};

/* Toolstack CPU work, charged by the caller's cost table. */
enum mig_cost { MIG_COST_MAP_PAGE = 0, MIG_COST_TYPE_PAGE, MIG_COST_WALK_PAGE, MIG_COST_SCAN_PAGE, MIG_COST__COUNT };

/* Points the ground truth follows (which step an MCE lands in). */
enum mig_mark {
    MIG_MARK_ITERATION = 0, /* n: iteration number, gfns NULL           */
    MIG_MARK_PAUSED,        /* step 1 done                               */
    MIG_MARK_SCANNED,       /* step 2: the pages of this iteration       */
    MIG_MARK_TYPES,         /* step 4 done for a batch                   */
    MIG_MARK_SENT,          /* step 7: one page's data was read to go out */
    MIG_MARK_RECHECK,       /* step 8 found new broken pages             */
};

struct mig_save_ops {
    void *ctx;
    /* Read one page through the foreign mapping: 0 with its content
     * token, or -1 when the process was killed reading it. */
    int (*read_page)(void *ctx, unsigned domid, uint64_t gfn, uint64_t *token);
    /* Write a record to the stream: returns when the link took it. */
    void (*send)(void *ctx, const struct mig_rec *r);
    /* The receiver's answer to END: 0, or a negative errno. */
    long (*await_reply)(void *ctx);
    void (*charge)(void *ctx, enum mig_cost what, uint64_t n);
    void (*mark)(void *ctx, enum mig_mark m, unsigned iteration, bool last, const uint64_t *gfns, uint64_t n);
    void (*log)(void *ctx, const char *line);
};

enum mig_save_result {
    MIG_SAVE_DONE = 0,   /* the guest runs on the target, source destroyed */
    MIG_SAVE_ABORTED,    /* vMCE during the migration: guest resumed here  */
    MIG_SAVE_REFUSED,    /* the target refused (e.g. vMCE caps): resumed   */
    MIG_SAVE_KILLED,     /* the process died (SIGBUS): see mig_save_recover */
    MIG_SAVE_GUEST_GONE, /* the guest crashed or went away meanwhile        */
    MIG_SAVE_ERROR,      /* a domctl failed                                 */
};

struct mig_save_stats {
    unsigned iterations, rechecks;
    uint64_t pages_sent, broken_sent, batches;
};

struct mig_save {
    struct mig_save_config cfg;
    struct ctl ctl;
    struct mig_save_ops ops;
    struct mig_save_stats stats;
    long reply;                 /* the target's answer to END */
    /* one batch and its types: kept here, not on the stack (16 KiB) */
    uint64_t batch[DOMCTL_PFINFO_MAX_BATCH], types[DOMCTL_PFINFO_MAX_BATCH];
    char reason[160];           /* why it did not end with DONE */
};

void mig_save_init(struct mig_save *s, const struct mig_save_config *cfg, const struct ctl *ctl,
                   const struct mig_save_ops *ops);
enum mig_save_result mig_save_run(struct mig_save *s);
/* After MIG_SAVE_KILLED: the parent resumes the guest on the source and
 * leaves log-dirty mode (libxl resumes a domain whose save failed). */
void mig_save_recover(struct mig_save *s);
const char *mig_save_result_name(enum mig_save_result r);

#endif
