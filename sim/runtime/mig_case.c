/*
 * mig_case.c - classify a machine check against the migration's progress
 * (mig_case.h).
 */
#include "sim/runtime/mig_case.h"

enum { ST_BATCH = 1, ST_TYPED, ST_SENT };

void mig_case_init(struct mig_case *m)
{
    m->phase = MC_PHASE_IDLE;
    m->scanned = false;
    u64map_init(&m->state);
}

void mig_case_free(struct mig_case *m) { u64map_free(&m->state); }

/* From the migrate event on, the domain is the toolstack's: an MCE before
 * the first batch is met by the first iteration, which sends every page. */
void mig_case_start(struct mig_case *m)
{
    if (m->phase == MC_PHASE_IDLE)
        m->phase = MC_PHASE_LIVE;
}

static void set_all(struct mig_case *m, const uint64_t *gfns, uint64_t n, uint64_t st)
{
    for (uint64_t i = 0; i < n; i++)
        u64map_put(&m->state, gfns ? gfns[i] : i, st);
}

void mig_case_mark(struct mig_case *m, enum mig_mark mark, bool last, const uint64_t *gfns, uint64_t n)
{
    switch (mark) {
    case MIG_MARK_ITERATION:
        m->phase = last ? MC_PHASE_LAST : MC_PHASE_LIVE;
        m->scanned = false;
        if (last) { /* a new last iteration (or a step-8 repeat) starts over */
            u64map_free(&m->state);
            u64map_init(&m->state);
        }
        break;
    case MIG_MARK_SCANNED:
        if (last) {
            set_all(m, gfns, n, ST_BATCH);
            m->scanned = true;
        }
        break;
    case MIG_MARK_TYPES:
        if (last)
            set_all(m, gfns, n, ST_TYPED);
        break;
    case MIG_MARK_SENT:
        if (last)
            set_all(m, gfns, n, ST_SENT);
        break;
    case MIG_MARK_PAUSED:
    case MIG_MARK_RECHECK:
        break;
    }
}

void mig_case_done(struct mig_case *m) { m->phase = MC_PHASE_DONE; }

const char *mig_case_of(const struct mig_case *m, uint64_t gfn)
{
    switch (m->phase) {
    case MC_PHASE_IDLE: return "";
    case MC_PHASE_LIVE: return "live";
    case MC_PHASE_DONE: return "after";
    case MC_PHASE_LAST: break;
    }
    if (!m->scanned)
        return "before-4";
    const uint64_t *st = u64map_find(&m->state, gfn);
    if (!st)
        return "A";
    return *st == ST_BATCH ? "before-4" : *st == ST_TYPED ? "B.I" : "B.II";
}
