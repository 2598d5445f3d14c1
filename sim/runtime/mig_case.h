/*
 * mig_case.h - where in the steps of the V4 broken-page migration patch
 * (xen-devel, 2012) a machine check on a page of a migrating guest lands,
 * from the toolstack's marks (migrate_save.h):
 *   live      from the start of the migration through the iterations
 *             with the guest running (the page is marked dirty and sent
 *             again: harmless)
 *   before-4  last iteration, before the types of the page's batch were
 *             queried (step 4 sees it broken)
 *   A         last iteration, the page is in no batch (not dirty at 2):
 *             the target holds a good copy
 *   B.I       in a batch, after step 4, before its data went out: no good
 *             copy at either end
 *   B.II      after its data went out: the target holds a good copy
 *   after     the migration is over
 */
#ifndef SIM_MIG_CASE_H
#define SIM_MIG_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include "guests/dom0/migrate_save.h"
#include "models/memctl/u64map.h"

enum mig_case_phase { MC_PHASE_IDLE = 0, MC_PHASE_LIVE, MC_PHASE_LAST, MC_PHASE_DONE };

struct mig_case {
    enum mig_case_phase phase;
    bool scanned;              /* the last iteration's pages are known   */
    struct u64map state;       /* gfn -> 1 in a batch, 2 typed, 3 sent   */
};

void mig_case_init(struct mig_case *m);
void mig_case_free(struct mig_case *m);
void mig_case_start(struct mig_case *m);
void mig_case_mark(struct mig_case *m, enum mig_mark mark, bool last, const uint64_t *gfns, uint64_t n);
void mig_case_done(struct mig_case *m);
/* The case name for an MCE on gfn now ("" before the migration). */
const char *mig_case_of(const struct mig_case *m, uint64_t gfn);

#endif
