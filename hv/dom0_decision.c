/*
 * dom0_decision.c - MCA_CMD_NOTIFYDOMAIN under the seed000 decider: dom0's
 * answer when the hypervisor deferred a DomU's memory error to it (Egger's
 * "Xen MCA/MCE concept", xen-devel 2007, case II): notify the DomU with a
 * vMCE, kill it, pause it for a save, or leave it. Xen has the command
 * number (XEN_MC_notifydomain) but answers it -EINVAL, "do_mca notify
 * unsupported" (hypercall.c), so only that alternative policy gets here.
 * A malformed request is -EINVAL, an unknown domain -ESRCH.
 */
#include <errno.h>
#include <stdio.h>

#include "arch/x86_mca.h"
#include "mce_internal.h"

/* The bank the decision is about, from the record still in the pool, or a
 * scrub error standing in when dom0 acked it first. */
static void find_bank(struct hv *hv, const struct mca_notifydomain *n, struct mca_record *r,
                      struct mca_bank_entry *b)
{
    const struct telem_entry *e = NULL;
    for (unsigned i = 0; i < hv->telem.nslots && !e; i++)
        if (hv->telem.slot[i].state != TELEM_FREE && hv->telem.slot[i].rec.seq == n->record)
            e = &hv->telem.slot[i];
    *r = (struct mca_record){0};
    *b = (struct mca_bank_entry){0};
    if (e)
        *r = e->rec;
    if (e && n->bank < r->nbanks)
        *b = r->bank[n->bank];
    else
        b->status = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_S | MCACOD_SCRUB;
}

long hv_dom0_decision(struct hv *hv, unsigned cpu, const struct mca_notifydomain *n)
{
    struct domain *d = hv_domain(hv, n->domid);
    if (n->domid == 0 || n->action < MCA_DOM0_NOTIFY || n->action > MCA_DOM0_IGNORE || n->pad ||
        n->bank >= MCA_REC_MAX_BANKS)
        return -EINVAL;
    if (!d)
        return -ESRCH;
    static const char *const names[] = {"", "notify", "kill", "save", "ignore"};
    char detail[48];
    snprintf(detail, sizeof(detail), "dom%u %s", n->domid, names[n->action]);
    hv_trace(hv, HV_STAGE_DOM0_DECISION, cpu, -1, 0, n->record, detail);
    switch (n->action) {
    case MCA_DOM0_KILL:
        hv_domain_crash(hv, d, "killed by dom0 after a machine check (record %llu)",
                        (unsigned long long)n->record);
        break;
    case MCA_DOM0_SAVE:
        hv_domain_pause(hv, d, "saved by dom0 after a machine check");
        break;
    case MCA_DOM0_NOTIFY: {
        struct mca_record r;
        struct mca_bank_entry b;
        find_bank(hv, n, &r, &b);
        hv_vmce_deliver(hv, d, &r, &b, b.gaddr, -1);
        break;
    }
    default:
        break;
    }
    return 0;
}
