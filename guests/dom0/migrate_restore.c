/*
 * migrate_restore.c - the receiving side of a live migration
 * (migrate_restore.h).
 */
#include "migrate_restore.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void mig_restore_init(struct mig_restore *r, const struct mig_restore_config *cfg, const struct ctl *ctl,
                      const struct mig_restore_ops *ops)
{
    memset(r, 0, sizeof(*r));
    r->cfg = *cfg;
    r->ctl = *ctl;
    r->ops = *ops;
}

static void say(struct mig_restore *r, const char *what)
{
    char line[224];
    snprintf(line, sizeof(line), "restore dom%u: %s", r->cfg.domid, what);
    if (r->ops.log)
        r->ops.log(r->ops.ctx, line);
}

static void failed(struct mig_restore *r, long err, const char *why)
{
    if (r->error == 0) {
        r->error = err;
        snprintf(r->reason, sizeof(r->reason), "%s (%ld)", why, err);
    }
}

static void discard(struct mig_restore *r, const char *why)
{
    if (r->state != MIG_RESTORE_RECEIVING)
        return;
    ctl_destroy(&r->ctl, r->cfg.domid);
    r->state = MIG_RESTORE_FAILED;
    char text[128]; /* why may be r->reason itself */
    snprintf(text, sizeof(text), "%s", why);
    if (!r->reason[0])
        snprintf(r->reason, sizeof(r->reason), "%s", text);
    say(r, text);
}

static void page_types(struct mig_restore *r, const struct mig_rec *rec)
{
    for (unsigned i = 0; i < rec->count; i++) {
        if (ctl_pfinfo_type(rec->types[i]) != DOMCTL_PFINFO_BROKEN)
            continue;
        if (!r->cfg.mark_broken) {
            r->broken_skipped++;
            continue;
        }
        long rc = ctl_set_broken(&r->ctl, r->cfg.domid, rec->types[i] & DOMCTL_PFINFO_GFN_MASK);
        if (rc)
            failed(r, rc, "marking a broken page failed");
        else
            r->broken_marked++;
    }
}

long mig_restore_record(struct mig_restore *r, const struct mig_rec *rec)
{
    if (r->state != MIG_RESTORE_RECEIVING)
        return -EINVAL;
    switch (rec->type) {
    case MIG_REC_PAGE_TYPES:
        page_types(r, rec);
        break;
    case MIG_REC_PAGE_DATA:
        r->ops.write_page(r->ops.ctx, r->cfg.domid, rec->gfn, rec->token);
        r->pages++;
        break;
    case MIG_REC_VMCE:
        for (unsigned v = 0; v < rec->count; v++) {
            long rc = ctl_set_vmce(&r->ctl, r->cfg.domid, &rec->vmce[v]);
            if (rc)
                failed(r, rc, "the vMCE record has capabilities this host cannot back");
        }
        break;
    case MIG_REC_END: {
        long rc = r->error ? r->error : ctl_unpause(&r->ctl, r->cfg.domid);
        if (rc) {
            failed(r, rc, "starting the guest failed");
            discard(r, r->reason);
            return rc;
        }
        r->state = MIG_RESTORE_RUNNING;
        say(r, "the guest runs here");
        return 0;
    }
    case MIG_REC_ABORT:
        discard(r, "the sender aborted the migration");
        return -ECANCELED;
    }
    return r->error;
}

void mig_restore_abandon(struct mig_restore *r, const char *why) { discard(r, why); }
