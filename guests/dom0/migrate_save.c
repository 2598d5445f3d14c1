/*
 * migrate_save.c - the sending side of a live migration (migrate_save.h).
 */
#include "migrate_save.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DOM_STATE_CRASHED = 2 }; /* struct domctl_info.state, enum dom_state order */

void mig_save_init(struct mig_save *s, const struct mig_save_config *cfg, const struct ctl *ctl,
                   const struct mig_save_ops *ops)
{
    memset(s, 0, sizeof(*s));
    s->cfg = *cfg;
    if (s->cfg.max_iters == 0)
        s->cfg.max_iters = 1;
    if (s->cfg.batch == 0 || s->cfg.batch > DOMCTL_PFINFO_MAX_BATCH)
        s->cfg.batch = DOMCTL_PFINFO_MAX_BATCH;
    s->ctl = *ctl;
    s->ops = *ops;
}

const char *mig_save_result_name(enum mig_save_result r)
{
    static const char *const n[] = {"done", "aborted", "refused", "killed", "guest gone", "error"};
    return (unsigned)r < sizeof(n) / sizeof(n[0]) ? n[r] : "unknown";
}

static void say(struct mig_save *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct mig_save *s, const char *fmt, ...)
{
    char line[224];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (s->ops.log)
        s->ops.log(s->ops.ctx, line);
}

static enum mig_save_result fail(struct mig_save *s, enum mig_save_result r, const char *why, long rc)
{
    char text[128]; /* why may be s->reason itself */
    snprintf(text, sizeof(text), "%.*s", (int)sizeof(text) - 1, why);
    if (rc)
        snprintf(s->reason, sizeof(s->reason), "%.120s (%ld)", text, rc);
    else
        snprintf(s->reason, sizeof(s->reason), "%s", text);
    say(s, "migrate dom%u: %s: %s", s->cfg.domid, mig_save_result_name(r), s->reason);
    return r;
}

static unsigned count_broken(const uint64_t *e, unsigned n)
{
    unsigned k = 0;
    for (unsigned i = 0; i < n; i++)
        k += ctl_pfinfo_type(e[i]) == DOMCTL_PFINFO_BROKEN;
    return k;
}

/* Steps 3 to 8 for one batch. */
static enum mig_save_result one_batch(struct mig_save *s, const uint64_t *gfns, unsigned n, unsigned iter,
                                      bool last, bool *new_broken)
{
    const struct mig_save_ops *o = &s->ops;
    uint64_t *types = s->types;
    o->charge(o->ctx, MIG_COST_MAP_PAGE, n); /* 3: xc_map_foreign_bulk */
    memcpy(types, gfns, n * sizeof(*gfns));
    long rc = ctl_pfinfo(&s->ctl, s->cfg.domid, types, n); /* 4 */
    if (rc)
        return fail(s, MIG_SAVE_ERROR, "querying frame types failed", rc);
    o->charge(o->ctx, MIG_COST_TYPE_PAGE, n);
    o->mark(o->ctx, MIG_MARK_TYPES, iter, last, gfns, n);
    unsigned broken_at_4 = count_broken(types, n);
    o->charge(o->ctx, MIG_COST_WALK_PAGE, n); /* 5 */
    struct mig_rec r = {.type = MIG_REC_PAGE_TYPES, .count = n, .types = types};
    o->send(o->ctx, &r); /* 6 */
    s->stats.batches++;
    for (unsigned i = 0; i < n; i++) { /* 7 */
        uint64_t gfn = types[i] & DOMCTL_PFINFO_GFN_MASK;
        unsigned t = ctl_pfinfo_type(types[i]);
        if (t == DOMCTL_PFINFO_BROKEN)
            s->stats.broken_sent++;
        if (t != DOMCTL_PFINFO_NOTAB)
            continue;
        uint64_t token;
        if (o->read_page(o->ctx, s->cfg.domid, gfn, &token) != 0) {
            char why[96];
            snprintf(why, sizeof(why), "killed reading gfn %#llx (a broken page, SIGBUS)", (unsigned long long)gfn);
            return fail(s, MIG_SAVE_KILLED, why, 0);
        }
        /* the data is taken (in the socket buffer) once read */
        o->mark(o->ctx, MIG_MARK_SENT, iter, last, &gfn, 1);
        struct mig_rec d = {.type = MIG_REC_PAGE_DATA, .gfn = gfn, .token = token};
        o->send(o->ctx, &d);
        s->stats.pages_sent++;
    }
    if (last && s->cfg.recheck_types) { /* 8: the V4 patch */
        memcpy(types, gfns, n * sizeof(*gfns));
        rc = ctl_pfinfo(&s->ctl, s->cfg.domid, types, n);
        if (rc)
            return fail(s, MIG_SAVE_ERROR, "querying frame types again failed", rc);
        o->charge(o->ctx, MIG_COST_TYPE_PAGE, n);
        if (count_broken(types, n) > broken_at_4)
            *new_broken = true;
    }
    return MIG_SAVE_DONE;
}

/* Step 2: the dirty gfns, read and cleared batch by batch. */
static long scan_dirty(struct mig_save *s, uint64_t **out, uint64_t *n)
{
    uint64_t cap = 0, total;
    *out = NULL;
    *n = 0;
    for (;;) {
        uint64_t *chunk = s->types;
        long rc = ctl_shadow(&s->ctl, s->cfg.domid, SHADOW_OP_CLEAN, chunk, DOMCTL_PFINFO_MAX_BATCH, &total);
        if (rc)
            return rc;
        uint64_t got = total < DOMCTL_PFINFO_MAX_BATCH ? total : DOMCTL_PFINFO_MAX_BATCH;
        if (got == 0)
            return 0;
        if (*n + got > cap) {
            cap = (*n + got) * 2;
            uint64_t *v = realloc(*out, cap * sizeof(*v));
            if (!v)
                return -ENOMEM;
            *out = v;
        }
        memcpy(*out + *n, chunk, got * sizeof(*chunk));
        *n += got;
        s->ops.charge(s->ops.ctx, MIG_COST_SCAN_PAGE, got);
        if (got == total)
            return 0;
    }
}

/* One iteration: every page (iteration 0) or the dirty ones, in batches. */
static enum mig_save_result iteration(struct mig_save *s, unsigned iter, bool last, uint64_t nr_pages,
                                      bool *new_broken)
{
    uint64_t *dirty = NULL, n = nr_pages;
    if (iter > 0) {
        long rc = scan_dirty(s, &dirty, &n);
        if (rc) {
            free(dirty);
            return fail(s, MIG_SAVE_ERROR, "reading the dirty bitmap failed", rc);
        }
    }
    s->ops.mark(s->ops.ctx, MIG_MARK_SCANNED, iter, last, dirty, n); /* NULL: all of 0..n-1 */
    enum mig_save_result res = MIG_SAVE_DONE;
    uint64_t *batch = s->batch;
    for (uint64_t at = 0; at < n && res == MIG_SAVE_DONE; at += s->cfg.batch) {
        unsigned k = (unsigned)(n - at < s->cfg.batch ? n - at : s->cfg.batch);
        for (unsigned i = 0; i < k; i++)
            batch[i] = dirty ? dirty[at + i] : at + i;
        res = one_batch(s, batch, k, iter, last, new_broken);
    }
    free(dirty);
    s->stats.iterations++;
    return res;
}

static enum mig_save_result resume(struct mig_save *s, enum mig_save_result r, const char *why, long rc)
{
    ctl_shadow(&s->ctl, s->cfg.domid, SHADOW_OP_OFF, NULL, 0, NULL);
    ctl_unpause(&s->ctl, s->cfg.domid);
    return fail(s, r, why, rc);
}

static enum mig_save_result send_vmce(struct mig_save *s, unsigned nvcpus)
{
    struct domctl_vmce rec[MIG_MAX_VCPUS];
    if (nvcpus > MIG_MAX_VCPUS)
        return resume(s, MIG_SAVE_ERROR, "too many vCPUs for the vMCE record", 0);
    for (unsigned v = 0; v < nvcpus; v++) {
        long rc = ctl_get_vmce(&s->ctl, s->cfg.domid, v, &rec[v]);
        if (rc)
            return resume(s, MIG_SAVE_ERROR, "reading the vMCE state failed", rc);
    }
    struct mig_rec r = {.type = MIG_REC_VMCE, .count = nvcpus, .vmce = rec};
    s->ops.send(s->ops.ctx, &r);
    return MIG_SAVE_DONE;
}

enum mig_save_result mig_save_run(struct mig_save *s)
{
    const unsigned dom = s->cfg.domid;
    struct domctl_info info;
    long rc = ctl_getinfo(&s->ctl, dom, &info);
    if (rc)
        return fail(s, MIG_SAVE_ERROR, "no such domain", rc);
    rc = ctl_shadow(&s->ctl, dom, SHADOW_OP_ENABLE_LOGDIRTY, NULL, 0, NULL);
    if (rc)
        return fail(s, MIG_SAVE_ERROR, "log-dirty mode refused", rc);
    if (s->cfg.cold)
        say(s, "migrate dom%u: %llu pages, saved paused (no live iteration)", dom,
            (unsigned long long)info.nr_pages);
    else
        say(s, "migrate dom%u: %llu pages, log-dirty on", dom, (unsigned long long)info.nr_pages);
    bool last = s->cfg.cold, paused = false;
    for (unsigned iter = 0;; iter++) {
        if ((rc = ctl_getinfo(&s->ctl, dom, &info)) != 0 || info.state >= DOM_STATE_CRASHED)
            return fail(s, MIG_SAVE_GUEST_GONE, "the guest crashed during the migration", 0);
        s->ops.mark(s->ops.ctx, MIG_MARK_ITERATION, iter, last, NULL, 0);
        if (last && !paused) { /* 1 */
            if ((rc = ctl_pause(&s->ctl, dom)) != 0)
                return resume(s, MIG_SAVE_ERROR, "pausing the guest failed", rc);
            paused = true;
            s->ops.mark(s->ops.ctx, MIG_MARK_PAUSED, iter, last, NULL, 0);
        }
        bool new_broken = false;
        enum mig_save_result r = iteration(s, iter, last, info.nr_pages, &new_broken);
        if (r == MIG_SAVE_KILLED)
            return r; /* the process is gone: nothing more runs here */
        if (r != MIG_SAVE_DONE)
            return resume(s, r, s->reason, 0);
        if (last && new_broken) {
            s->stats.rechecks++;
            s->ops.mark(s->ops.ctx, MIG_MARK_RECHECK, iter, last, NULL, 0);
            say(s, "migrate dom%u: more pages broke while sending: last iteration again", dom);
            continue;
        }
        if (last)
            break;
        uint64_t ndirty = 0;
        if ((rc = ctl_shadow(&s->ctl, dom, SHADOW_OP_PEEK, NULL, 0, &ndirty)) != 0)
            return resume(s, MIG_SAVE_ERROR, "reading the dirty count failed", rc);
        last = ndirty < s->cfg.dirty_threshold || iter + 1 >= s->cfg.max_iters;
    }
    if ((rc = ctl_getinfo(&s->ctl, dom, &info)) != 0 || info.state >= DOM_STATE_CRASHED)
        return fail(s, MIG_SAVE_GUEST_GONE, "the guest crashed during the migration", 0);
    if (s->cfg.send_vmce && send_vmce(s, info.nvcpus) != MIG_SAVE_DONE)
        return MIG_SAVE_ERROR;
    /* vMCE design RFC: the hypervisor flagged a vMCE delivered while the
     * guest was being migrated; one still pending would not survive the
     * move either (the record carries no bank contents). */
    if (s->cfg.abort_on_vmce && (info.flags & (DOMCTL_INFO_VMCE_IN_LOGDIRTY | DOMCTL_INFO_VMCE_PENDING))) {
        struct mig_rec a = {.type = MIG_REC_ABORT};
        s->ops.send(s->ops.ctx, &a);
        return resume(s, MIG_SAVE_ABORTED,
                      info.flags & DOMCTL_INFO_VMCE_IN_LOGDIRTY ? "a vMCE was delivered during the migration"
                                                                : "a vMCE is pending in the guest",
                      0);
    }
    struct mig_rec end = {.type = MIG_REC_END};
    s->ops.send(s->ops.ctx, &end);
    s->reply = s->ops.await_reply(s->ops.ctx);
    if (s->reply != 0)
        return resume(s, MIG_SAVE_REFUSED, "the target refused the guest", s->reply);
    ctl_shadow(&s->ctl, dom, SHADOW_OP_OFF, NULL, 0, NULL);
    if ((rc = ctl_destroy(&s->ctl, dom)) != 0)
        return fail(s, MIG_SAVE_ERROR, "destroying the source domain failed", rc);
    say(s, "migrate dom%u: done: %u iterations, %llu pages, %llu broken", dom, s->stats.iterations,
         (unsigned long long)s->stats.pages_sent, (unsigned long long)s->stats.broken_sent);
    return MIG_SAVE_DONE;
}

void mig_save_recover(struct mig_save *s)
{
    ctl_shadow(&s->ctl, s->cfg.domid, SHADOW_OP_OFF, NULL, 0, NULL);
    ctl_unpause(&s->ctl, s->cfg.domid);
    say(s, "migrate dom%u: the save process died; dom%u resumed on the source", s->cfg.domid, s->cfg.domid);
}
