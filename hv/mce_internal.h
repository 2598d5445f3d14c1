/*
 * mce_internal.h - helpers shared by the hv's #MC, softirq, CMCI/poll and
 * memory-error files. Not for use outside hv/.
 */
#ifndef HV_MCE_INTERNAL_H
#define HV_MCE_INTERNAL_H

#include "hv.h"
#include "severity.h"

static inline int hv_rdmsr(struct hv *hv, unsigned cpu, uint32_t msr, uint64_t *v)
{
    *v = 0;
    return hv->plat->rdmsr(hv->plat->ctx, cpu, msr, v);
}

static inline void hv_wrmsr(struct hv *hv, unsigned cpu, uint32_t msr, uint64_t v)
{
    hv->plat->wrmsr(hv->plat->ctx, cpu, msr, v);
}

static inline void hv_charge(struct hv *hv, unsigned cpu, enum hv_cost what)
{
    hv->plat->charge(hv->plat->ctx, cpu, what, 1);
}

/* One bank read out by a handler. */
struct hv_bank_read {
    unsigned bank;
    uint64_t status, addr, misc;
};

/* Read bank `bank` of cpu; false when not VAL. */
bool hv_read_bank(struct hv *hv, unsigned cpu, unsigned bank, struct hv_bank_read *out);

/* Reserve a record of class cls and fill it from a bank read; NULL and a
 * trace event when the pool is full (the drop is counted by the pool). */
struct telem_entry *hv_record_new(struct hv *hv, unsigned cpu, enum telem_class cls,
                                  const struct hv_bank_read *b, uint64_t mcg_status,
                                  const struct sev_result *sev, enum mca_rec_source src);
/* Commit a filled record and trace it. */
void hv_record_commit(struct hv *hv, unsigned cpu, struct telem_entry *e);

/* Tell dom0 there is telemetry (VIRQ_MCA). */
void hv_notify_dom0(struct hv *hv, unsigned cpu);

/* Memory-error handler for SRAO/SRAR records with a memory address:
 * offlines or marks the page, and returns the recovery result. */
enum mca_rec_result hv_memerr(struct hv *hv, unsigned cpu, struct mca_record *rec);

#endif
