/*
 * dom0.c - the mcelog-style daemon of dom0.
 *
 * Runs the fetch -> decode -> ack loop over the MCA hypercall for the
 * urgent class, then the non-urgent one, until the hypervisor says NODATA.
 * The hypercall argument and the record buffer live in dom0's own scratch
 * memory, as they would in a real kernel.
 */
#include "dom0.h"

#include <stdio.h>
#include <string.h>

#include "guests/dom0/mcelog_decode.h"
#include "hv/public/mca_abi.h"

struct scratch {
    struct mca_hypercall hc;
    struct mca_record rec;
};

void dom0_init(struct dom0 *d, const struct guest_abi *abi)
{
    memset(d, 0, sizeof(*d));
    d->abi = *abi;
}

static void log_line(void *arg, const char *line)
{
    struct dom0 *d = arg;
    d->abi.log(d->abi.ctx, line);
}

/* Seed 000 case II: the hypervisor left a DomU's error to dom0, which
 * answers with its configured action before acking the record. */
static void decide(struct dom0 *d, struct scratch *s, uint64_t hc_addr, const struct mca_record *rec)
{
    static const char *const names[] = {"", "notify", "kill", "save", "ignore"};
    char line[128];
    memset(&s->hc, 0, sizeof(s->hc));
    s->hc.cmd = MCA_CMD_NOTIFYDOMAIN;
    s->hc.interface_version = MCA_INTERFACE_VERSION;
    s->hc.u.notifydomain.domid = rec->domid;
    s->hc.u.notifydomain.action = d->on_deferred;
    s->hc.u.notifydomain.record = rec->seq;
    long rc = d->abi.hypercall_mca(d->abi.ctx, hc_addr);
    snprintf(line, sizeof(line), "mcelog: dom%u hit by a machine check: dom0 decides '%s' (%s)", rec->domid,
             d->on_deferred < 5 ? names[d->on_deferred] : "?", rc == 0 ? "done" : "refused");
    d->abi.log(d->abi.ctx, line);
    if (rc == 0)
        d->stats.decisions++;
    else
        d->stats.errors++;
}

/* One fetch/ack round trip; false when the class is empty or on error. */
static bool fetch_one(struct dom0 *d, uint32_t cls_flag)
{
    const struct guest_abi *a = &d->abi;
    uint64_t hc_addr = a->scratch;
    uint64_t rec_addr = a->scratch + offsetof(struct scratch, rec);
    struct scratch *s = a->gmem(a->ctx, a->scratch, sizeof(struct scratch));
    if (!s)
        return false;

    memset(&s->hc, 0, sizeof(s->hc));
    s->hc.cmd = MCA_CMD_FETCH;
    s->hc.interface_version = MCA_INTERFACE_VERSION;
    s->hc.u.fetch.flags = cls_flag;
    s->hc.u.fetch.data = rec_addr;
    long rc = a->hypercall_mca(a->ctx, hc_addr);
    if (rc != 0) {
        d->stats.errors++;
        char line[96];
        snprintf(line, sizeof(line), "mcelog: fetch failed: %ld", rc);
        a->log(a->ctx, line);
        return false;
    }
    if (s->hc.u.fetch.flags & (MCA_FLAG_NODATA | MCA_FLAG_FETCHFAILED))
        return false;
    d->stats.fetched++;
    uint64_t fetch_id = s->hc.u.fetch.fetch_id;
    struct mca_record rec = s->rec;
    a->stage(a->ctx, GUEST_STAGE_FETCHED, rec.seq);

    a->charge(a->ctx, GUEST_COST_DECODE, 1);
    mcelog_format(&rec, d->mce_count++, log_line, d);
    d->stats.decoded++;
    a->stage(a->ctx, GUEST_STAGE_DECODED, rec.seq);

    if (rec.action == MCA_ACT_DEFERRED && rec.domid != 0xFFFF && d->on_deferred)
        decide(d, s, hc_addr, &rec);

    memset(&s->hc, 0, sizeof(s->hc));
    s->hc.cmd = MCA_CMD_FETCH;
    s->hc.interface_version = MCA_INTERFACE_VERSION;
    s->hc.u.fetch.flags = cls_flag | MCA_FLAG_ACK;
    s->hc.u.fetch.fetch_id = fetch_id;
    rc = a->hypercall_mca(a->ctx, hc_addr);
    if (rc != 0) {
        d->stats.errors++;
        return false;
    }
    d->stats.acked++;
    a->stage(a->ctx, GUEST_STAGE_ACKED, rec.seq);
    return true;
}

void dom0_on_virq_mca(struct dom0 *d)
{
    while (fetch_one(d, MCA_FLAG_URGENT))
        ;
    while (fetch_one(d, MCA_FLAG_NONURGENT))
        ;
}
