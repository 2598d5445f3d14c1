/*
 * mce_record.c - the telemetry record of one CPU's logout, as Xen's
 * mcheck_mca_logout (mce.c) builds its struct mc_info: the record is
 * reserved when the first valid bank is met (mctelem_reserve), holds the
 * global part (MCG_STATUS, the source flag, the CPU) and one entry per
 * valid bank after it (mca_init_bank), and ends with a summary flag over
 * all the banks seen: PCC anywhere -> UNCORRECTABLE, else UC anywhere ->
 * RECOVERABLE, else CORRECTABLE. A bank that finds the record full is not
 * kept; the record is flagged INCOMPLETE (Xen's MCINFO_FLAGS_UNCOMPLETE)
 * and the bank counted in nlost.
 *
 * The record's class is the worst class of its banks; its result is set
 * later, by whoever acts on it (mce_action.c), as the worst of its banks'.
 * Every bank added or dropped is traced, so the ground truth can follow
 * each error into its record (SEVERITY: seq + bank) or out of the pool.
 */
#include <stdio.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "mce_internal.h"

bool hv_read_bank(struct hv *hv, unsigned cpu, unsigned bank, struct hv_bank_read *out)
{
    memset(out, 0, sizeof(*out));
    out->bank = bank;
    hv_rdmsr(hv, cpu, MSR_IA32_MCx_STATUS(bank), &out->status);
    if (!(out->status & MCI_STATUS_VAL))
        return false;
    if (out->status & MCI_STATUS_ADDRV)
        hv_rdmsr(hv, cpu, MSR_IA32_MCx_ADDR(bank), &out->addr);
    if (out->status & MCI_STATUS_MISCV)
        hv_rdmsr(hv, cpu, MSR_IA32_MCx_MISC(bank), &out->misc);
    hv_trace(hv, HV_STAGE_BANK_LOGOUT, cpu, (int)bank, out->status, 0, NULL);
    return true;
}

static const char *class_name(enum telem_class cls)
{
    return cls == TELEM_URGENT ? "urgent" : "nonurgent";
}

/* The source bit of mcinfo_global.mc_flags (mcheck_mca_logout's switch
 * on its caller). */
static uint32_t source_flag(enum mca_rec_source src)
{
    static const uint32_t flag[MCA_SRC__COUNT] = {
        [MCA_SRC_MCE] = MCA_REC_F_MCE, [MCA_SRC_CMCI] = MCA_REC_F_CMCI,
        [MCA_SRC_POLL] = MCA_REC_F_POLLED,
    };
    return (unsigned)src < MCA_SRC__COUNT ? flag[src] : 0;
}

struct telem_entry *hv_record_reserve(struct hv *hv, unsigned cpu, enum telem_class cls,
                                      uint64_t mcg_status, enum mca_rec_source src)
{
    hv_charge(hv, cpu, HV_COST_TELEM);
    struct telem_entry *e = telem_reserve(&hv->telem, cls);
    if (!e)
        return NULL;
    struct mca_record *r = &e->rec;
    r->seq = hv->next_rec_id++;
    r->time_ps = hv->epoch_ps + hv->plat->now_ps(hv->plat->ctx); /* real time (rebase.c) */
    r->cpu = cpu;
    r->flags = source_flag(src);
    r->mcg_cap = hv->cpu[cpu].mcg_cap;
    r->mcg_status = mcg_status;
    r->source = (uint32_t)src;
    r->cls = MCA_REC_NONE;
    r->result = MCA_RES_NONE;
    r->context = (uint32_t)hv->cpu[cpu].ctx;
    return e;
}

#define SUMMARY_FLAGS (MCA_REC_F_CORRECTABLE | MCA_REC_F_RECOVERABLE | MCA_REC_F_UNCORRECTABLE)

/* The summary after one more bank: the worst so far wins, in the order
 * CORRECTABLE < RECOVERABLE < UNCORRECTABLE (mcheck_mca_logout). */
static void summary_add(struct mca_record *r, uint64_t status)
{
    static const uint32_t order[] = {MCA_REC_F_CORRECTABLE, MCA_REC_F_RECOVERABLE,
                                     MCA_REC_F_UNCORRECTABLE};
    unsigned have = 0, now = (status & MCI_STATUS_PCC) ? 2 : (status & MCI_STATUS_UC) ? 1 : 0;
    for (unsigned i = 0; i < 3; i++)
        if (r->flags & order[i])
            have = i;
    r->flags = (r->flags & ~SUMMARY_FLAGS) | order[now > have ? now : have];
}

struct mca_bank_entry *hv_record_add_bank(struct hv *hv, unsigned cpu, struct telem_entry *e,
                                          const struct hv_bank_read *b, const struct sev_result *sev)
{
    struct mca_record *r = &e->rec;
    summary_add(r, b->status);
    if (r->nbanks == MCA_REC_MAX_BANKS) {
        r->flags |= MCA_REC_F_INCOMPLETE;
        r->nlost++;
        hv->telem.stats.incomplete += r->nlost == 1;
        hv_trace(hv, HV_STAGE_TELEM_DROP, cpu, (int)b->bank, b->status, 0, "record full");
        return NULL;
    }
    struct mca_bank_entry *m = &r->bank[r->nbanks++];
    m->bank = b->bank;
    m->cls = (uint32_t)sev->cls; /* enum mce_class and mca_rec_class share order */
    m->status = b->status;
    m->addr = b->addr;
    m->misc = b->misc;
    m->domid = DOMID_NONE;
    m->action = MCA_ACT_NONE;
    snprintf(m->rule, sizeof(m->rule), "%s", sev->rule);
    if (m->cls > r->cls)
        r->cls = m->cls;
    hv_trace_record(hv, HV_STAGE_SEVERITY, cpu, r, (int)(r->nbanks - 1), sev->rule);
    return m;
}

void hv_record_drop_bank(struct hv *hv, unsigned cpu, enum telem_class cls, const struct hv_bank_read *b)
{
    hv_trace(hv, HV_STAGE_TELEM_DROP, cpu, (int)b->bank, b->status, 0, class_name(cls));
}

bool hv_record_has_uc(const struct mca_record *r)
{
    return (r->flags & (MCA_REC_F_RECOVERABLE | MCA_REC_F_UNCORRECTABLE)) != 0;
}

void hv_record_dismiss(struct hv *hv, unsigned cpu, struct telem_entry *e)
{
    hv_trace_record(hv, HV_STAGE_TELEM_DISMISS, cpu, &e->rec, -1, NULL);
    telem_dismiss(&hv->telem, e);
}

void hv_record_commit(struct hv *hv, unsigned cpu, struct telem_entry *e)
{
    telem_commit(&hv->telem, e);
    hv_trace_record(hv, HV_STAGE_TELEM_COMMIT, cpu, &e->rec, -1, NULL);
}
