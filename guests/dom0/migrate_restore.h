/*
 * migrate_restore.h - the receiving toolstack of a live migration.
 *
 * The domain waits on the target, paused and empty, while the stream
 * arrives record by record: frame types (a BROKEN gfn is marked broken in
 * the p2m, so the guest takes a machine check there instead of reading
 * what is not its data: Xen 4.3 b7a98e60d4; or left unpopulated, as
 * migration stream v2 does), page data, the
 * vMCE record (unsupported caps: -EINVAL, the restore fails), then END
 * (unpause: the guest runs here) or ABORT / a dead stream (destroy).
 */
#ifndef GUESTS_DOM0_MIGRATE_RESTORE_H
#define GUESTS_DOM0_MIGRATE_RESTORE_H

#include <stdbool.h>
#include <stdint.h>

#include "guests/dom0/ctl.h"
#include "guests/dom0/mig_stream.h"

struct mig_restore_config {
    unsigned domid;
    bool mark_broken;          /* false: stream v2, BROKEN left unpopulated */
};

struct mig_restore_ops {
    void *ctx;
    /* Populate gfn with the page's contents (a content token). */
    void (*write_page)(void *ctx, unsigned domid, uint64_t gfn, uint64_t token);
    void (*log)(void *ctx, const char *line);
};

enum mig_restore_state { MIG_RESTORE_RECEIVING = 0, MIG_RESTORE_RUNNING, MIG_RESTORE_FAILED };

struct mig_restore {
    struct mig_restore_config cfg;
    struct ctl ctl;
    struct mig_restore_ops ops;
    enum mig_restore_state state;
    long error;                /* first failure: answer to END        */
    uint64_t pages, broken_marked, broken_skipped;
    char reason[160];
};

void mig_restore_init(struct mig_restore *r, const struct mig_restore_config *cfg, const struct ctl *ctl,
                      const struct mig_restore_ops *ops);
/* Apply one record. For END, the return value is the answer sent back to
 * the sender (0: the guest runs here); otherwise 0 or the first error. */
long mig_restore_record(struct mig_restore *r, const struct mig_rec *rec);
/* The stream died without END (the sender was killed): discard. */
void mig_restore_abandon(struct mig_restore *r, const char *why);

#endif
