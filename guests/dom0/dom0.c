/*
 * dom0.c - the mcelog-style daemon of dom0.
 *
 * Runs the fetch -> decode -> ack loop over the MCA hypercall for the
 * urgent class, then the non-urgent one, until the hypervisor says NODATA.
 * The hypercall argument and the record buffer live in dom0's own scratch
 * memory, as they would in a real kernel. A record is one CPU's logout
 * with its banks; each bank is decoded as its own mcelog entry (as Linux's
 * drivers/xen/mcelog.c does) and dom0's decisions are taken bank by bank. With CE accounting on, each
 * fetched corrected record also goes through the leaky buckets
 * (ce_account.c) before it is acked; a page whose bucket overflows is
 * handed to the hypervisor with MCA_CMD_OFFLINE_PAGE.
 */
#include "dom0.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arch/text_fmt.h"
#include "arch/x86_context.h"
#include "arch/x86_mca.h"
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
    ce_account_defaults(&d->ce);
    ce_account_init(&d->ce_state);
}

static void log_line(void *arg, const char *line)
{
    struct dom0 *d = arg;
    d->abi.log(d->abi.ctx, line);
}

/* What mcasim's dom0 adds to its log after mcelog's entry for a bank
 * (none of it is mcelog's): the corrected-error count of a CMCI part, the
 * context the error was signalled in, and what the hypervisor did about
 * the domain that owns the page. */
static void log_notes(struct dom0 *d, const struct mca_record *r, unsigned bank)
{
    static const char *const actions[MCA_ACT__COUNT] = {"none", "offlined", "offline pending", "vMCE delivered",
                                                        "dom0 decides", "killed", "crashed",
                                                        "left for the guest's poller"};
    const struct mca_bank_entry *b = &r->bank[bank];
    char line[160];
    if (!(b->status & MCI_STATUS_UC) && (r->mcg_cap & MCG_CMCI_P)) {
        text_fmt(line, sizeof(line), "Corrected error count %u", mci_cec(b->status));
        d->abi.log(d->abi.ctx, line);
    }
    text_fmt(line, sizeof(line), "CONTEXT %s", x86_ctx_name((enum x86_exec_ctx)r->context));
    d->abi.log(d->abi.ctx, line);
    if (b->domid < DOMID_NONE && b->action < MCA_ACT__COUNT) {
        snprintf(line, sizeof(line), "DOMAIN %u GADDR %#llx ACTION %s", b->domid, (unsigned long long)b->gaddr,
                 actions[b->action]);
        d->abi.log(d->abi.ctx, line);
    }
}

/* Case II's "save/restore DomU" after the hypervisor paused it for dom0:
 * the toolstack saves it (not live: it is paused already) and restores it
 * on another host, its broken page carried as broken. */
static void save_restore(struct dom0 *d, unsigned domid)
{
    char line[128];
    long rc = d->abi.move_domain ? d->abi.move_domain(d->abi.ctx, domid, d->save_to, 0) : -ENOSYS;
    snprintf(line, sizeof(line), "mcelog: saving dom%u and restoring it on host %u: %s", domid, d->save_to,
             rc == 0 ? "started" : rc == -EBUSY ? "already moving" : "refused");
    d->abi.log(d->abi.ctx, line);
    if (rc == 0)
        d->stats.moves++;
    else if (rc != -EBUSY)
        d->stats.errors++;
}

/* Xen MCA/MCE concept (Egger, 2007), case II: the hypervisor left a DomU's
 * error to dom0, which answers with its configured action before acking. */
static void decide(struct dom0 *d, struct scratch *s, uint64_t hc_addr, const struct mca_record *rec,
                   unsigned bank)
{
    const struct mca_bank_entry *b = &rec->bank[bank];
    static const char *const names[] = {"", "notify", "kill", "save", "ignore"};
    char line[128];
    memset(&s->hc, 0, sizeof(s->hc));
    s->hc.cmd = MCA_CMD_NOTIFYDOMAIN;
    s->hc.interface_version = MCA_INTERFACE_VERSION;
    s->hc.u.notifydomain.domid = b->domid;
    s->hc.u.notifydomain.action = d->on_deferred;
    s->hc.u.notifydomain.record = rec->seq;
    s->hc.u.notifydomain.bank = bank;
    long rc = d->abi.hypercall_mca(d->abi.ctx, hc_addr);
    snprintf(line, sizeof(line), "mcelog: dom%u hit by a machine check: dom0 decides '%s' (%s)", b->domid,
             d->on_deferred < 5 ? names[d->on_deferred] : "?", rc == 0 ? "done" : "refused");
    d->abi.log(d->abi.ctx, line);
    if (rc == 0)
        d->stats.decisions++;
    else
        d->stats.errors++;
    if (rc == 0 && d->on_deferred == MCA_DOM0_SAVE && d->has_save_to)
        save_restore(d, b->domid);
}

/* What the hypervisor answered to an offline request (the PG_OFFLINE_*
 * word of Xen's page offline operation), as mcelog-ish text. */
static void offline_result_text(long rc, uint32_t status, char *buf, size_t len)
{
    unsigned owner = status >> MCA_PG_OWNER_SHIFT;
    const char *what = "status";
    if (status & MCA_PG_OFFLINED)
        what = "offlined";
    else if (status & MCA_PG_AGAIN)
        what = "broken again (owner crashed)";
    else if ((status & MCA_PG_PENDING) && (status & MCA_PG_XENPAGE))
        what = "pending (hypervisor heap)";
    else if (status & MCA_PG_PENDING) {
        snprintf(buf, len, "pending (owned by dom%u)", owner);
        return;
    } else if (status & MCA_PG_XENPAGE)
        what = "refused (hypervisor page)";
    else if (status & MCA_PG_ANONYMOUS)
        what = "refused (in use, owner unknown)";
    else if (status & MCA_PG_NOT_CONV_RAM)
        what = "refused (not RAM)";
    if (rc != 0)
        snprintf(buf, len, "%s, failed (%ld)", what, rc);
    else if (what[0] == 's')
        snprintf(buf, len, "status %#x", status);
    else
        snprintf(buf, len, "%s", what);
}

/* Egger's case II, further: the page is a DomU's, so it leaves service
 * only when the guest frees it; move the guest off this host's memory
 * before the uncorrected error the trend announces. */
static void move_owner(struct dom0 *d, unsigned domid, uint64_t mfn)
{
    static const char *const how[] = {"", "live-migrating", "saving"};
    static const char *const verb[] = {"", "to", "and restoring it on"};
    char line[192];
    bool live = d->on_ce_domu == DOM0_CE_MIGRATE;
    long rc = d->abi.move_domain ? d->abi.move_domain(d->abi.ctx, domid, d->move_to, live) : -ENOSYS;
    char res[32];
    if (rc == 0)
        snprintf(res, sizeof(res), "started");
    else if (rc == -EBUSY)
        snprintf(res, sizeof(res), "already moving");
    else
        snprintf(res, sizeof(res), "refused (%ld)", rc);
    snprintf(line, sizeof(line),
             "mcelog: dom%u owns page 0x%llx: %s dom%u %s host %u before an uncorrected error: %s", domid, (unsigned long long)mfn, how[d->on_ce_domu], domid, verb[d->on_ce_domu], d->move_to, res);
    d->abi.log(d->abi.ctx, line);
    if (rc == 0)
        d->stats.moves++;
    else if (rc != -EBUSY)
        d->stats.errors++;
}

/* Egger's case II: enough CEs on this page that an uncorrected error is
 * likely; ask the hypervisor to stop using it. */
static void request_offline(struct dom0 *d, struct scratch *s, uint64_t hc_addr, uint64_t mfn)
{
    char line[160], res[48];
    memset(&s->hc, 0, sizeof(s->hc));
    s->hc.cmd = MCA_CMD_OFFLINE_PAGE;
    s->hc.interface_version = MCA_INTERFACE_VERSION;
    s->hc.u.offline.mfn = mfn;
    s->hc.u.offline.op = MCA_OFFLINE_OP_OFFLINE;
    long rc = d->abi.hypercall_mca(d->abi.ctx, hc_addr);
    offline_result_text(rc, s->hc.u.offline.status, res, sizeof(res));
    snprintf(line, sizeof(line), "mcelog: page 0x%llx exceeded CE threshold, soft-offline requested: %s",
             (unsigned long long)mfn, res);
    d->abi.log(d->abi.ctx, line);
    if (rc == 0)
        d->stats.offline_requests++;
    else
        d->stats.errors++;
    unsigned owner = s->hc.u.offline.status >> MCA_PG_OWNER_SHIFT;
    bool domu_page = rc == 0 && (s->hc.u.offline.status & MCA_PG_PENDING) &&
                     (s->hc.u.offline.status & MCA_PG_OWNED) && owner != 0;
    if (domu_page && (d->on_ce_domu == DOM0_CE_MIGRATE || d->on_ce_domu == DOM0_CE_SAVE_RESTORE))
        move_owner(d, owner, mfn);
}

/* Egger's self-healing: a DIMM trending to failure is the hypervisor's to
 * heal with the hardware (the spare rank), asked once by dom0. */
static void request_spare(struct dom0 *d, struct scratch *s, uint64_t hc_addr, const struct mca_bank_entry *b)
{
    char line[160];
    if (!(b->status & MCI_STATUS_ADDRV)) {
        d->abi.log(d->abi.ctx, "mcelog: no address in the record: cannot ask for the spare rank");
        return;
    }
    d->spare_asked = true;
    memset(&s->hc, 0, sizeof(s->hc));
    s->hc.cmd = MCA_CMD_SPARE_RANK;
    s->hc.interface_version = MCA_INTERFACE_VERSION;
    s->hc.u.spare.addr = b->addr;
    s->hc.u.spare.mode = d->on_dimm == DOM0_DIMM_MIRROR ? MCA_SPARE_MODE_MIRROR : MCA_SPARE_MODE_SPARE;
    long rc = d->abi.hypercall_mca(d->abi.ctx, hc_addr);
    snprintf(line, sizeof(line), "mcelog: asked the hypervisor to %s the rank of 0x%llx with the spare: %s (%ld)",
             d->on_dimm == DOM0_DIMM_MIRROR ? "mirror" : "replace", (unsigned long long)b->addr,
             rc == 0 ? "started" : "refused", rc);
    d->abi.log(d->abi.ctx, line);
    if (rc == 0)
        d->stats.spares++;
    else
        d->stats.errors++;
}

/* "10 in 24h" (or in seconds when the window is not whole hours). */
static void threshold_text(const struct ce_threshold *t, char *buf, size_t len)
{
    if (t->window_ps % CE_PS_PER_HOUR == 0)
        snprintf(buf, len, "%u in %lluh", t->count, (unsigned long long)(t->window_ps / CE_PS_PER_HOUR));
    else
        snprintf(buf, len, "%u in %llus", t->count, (unsigned long long)(t->window_ps / 1000000000000ull));
}

/* mcelog's accounting of one corrected record: warnings for a DIMM or a
 * socket over its threshold, an offline request for a page. */
static void account_ce(struct dom0 *d, struct scratch *s, uint64_t hc_addr, const struct mca_record *rec,
                       unsigned bank)
{
    struct ce_verdict v;
    char line[160], thr[32];
    if (!ce_account_bank(&d->ce_state, &d->ce, rec, bank, &v))
        return;
    if (v.dimm_over) {
        threshold_text(&d->ce.dimm, thr, sizeof(thr));
        snprintf(line, sizeof(line),
                 "mcelog: corrected memory errors on socket %u bank %u channel %u exceeded threshold (%s)",
                 v.socket, v.bank, v.channel, thr);
        d->abi.log(d->abi.ctx, line);
        if (d->on_dimm != DOM0_DIMM_WARN && !d->spare_asked)
            request_spare(d, s, hc_addr, &rec->bank[bank]);
    }
    if (v.socket_over) {
        threshold_text(&d->ce.socket, thr, sizeof(thr));
        snprintf(line, sizeof(line), "mcelog: corrected memory errors on socket %u exceeded threshold (%s)",
                 v.socket, thr);
        d->abi.log(d->abi.ctx, line);
    }
    if (v.offline_page)
        request_offline(d, s, hc_addr, v.page);
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
    /* the scratch area is reused by the calls below: work on a copy */
    struct mca_record *rec = &d->rec;
    *rec = s->rec;
    a->stage(a->ctx, GUEST_STAGE_FETCHED, rec->seq);

    unsigned nbanks = rec->nbanks < MCA_REC_MAX_BANKS ? rec->nbanks : MCA_REC_MAX_BANKS;
    for (unsigned i = 0; i < nbanks; i++) {
        a->charge(a->ctx, GUEST_COST_DECODE, 1);
        mcelog_format(rec, i, d->mce_count++, log_line, d);
        log_notes(d, rec, i);
        d->stats.decoded++;
    }
    a->stage(a->ctx, GUEST_STAGE_DECODED, rec->seq);

    /* dom0's decisions, bank by bank */
    for (unsigned i = 0; i < nbanks; i++) {
        const struct mca_bank_entry *b = &rec->bank[i];
        if (b->action == MCA_ACT_DEFERRED && b->domid != DOMID_NONE && d->on_deferred)
            decide(d, s, hc_addr, rec, i);
        if (d->ce.enabled && b->cls == MCA_REC_CORRECTED)
            account_ce(d, s, hc_addr, rec, i);
    }

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
    a->stage(a->ctx, GUEST_STAGE_ACKED, rec->seq);
    return true;
}

void dom0_on_virq_mca(struct dom0 *d)
{
    while (fetch_one(d, MCA_FLAG_URGENT))
        ;
    while (fetch_one(d, MCA_FLAG_NONURGENT))
        ;
}
