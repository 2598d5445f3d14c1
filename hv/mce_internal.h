/*
 * mce_internal.h - helpers shared by the hv's #MC, softirq, CMCI/poll and
 * memory-error files. Not for use outside hv/.
 */
#ifndef HV_MCE_INTERNAL_H
#define HV_MCE_INTERNAL_H

#include "hv.h"
#include "severity.h"
#include "mce_console.h"
#include "xen_release.h"

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

/* Reserve the record of one CPU's logout (Xen: mctelem_reserve when
 * mcheck_mca_logout meets the first valid bank), global part filled in;
 * NULL when the pool is full for cls (the pool counts the drop). */
struct telem_entry *hv_record_reserve(struct hv *hv, unsigned cpu, enum telem_class cls,
                                      uint64_t mcg_status, enum mca_rec_source src);
/* Add a graded bank to a reserved record (Xen: mca_init_bank) and trace
 * SEVERITY about it. The record's worst class and summary flags follow.
 * NULL when the record is full: it is flagged INCOMPLETE, the bank is
 * counted in nlost and traced as dropped. */
struct mca_bank_entry *hv_record_add_bank(struct hv *hv, unsigned cpu, struct telem_entry *e,
                                          const struct hv_bank_read *b, const struct sev_result *sev);
/* A bank whose logout has no record (pool full): traced as dropped. */
void hv_record_drop_bank(struct hv *hv, unsigned cpu, enum telem_class cls, const struct hv_bank_read *b);
/* True when a bank of the record is uncorrected (UC) or corrupt (PCC). */
bool hv_record_has_uc(const struct mca_record *r);
/* Commit a filled record and trace it. */
void hv_record_commit(struct hv *hv, unsigned cpu, struct telem_entry *e);

/* The worse of two results (x86_mca.h's order: NOERROR < RECOVERED <
 * CONTINUE < RESET, which enum mca_rec_result keeps). */
static inline enum mca_rec_result hv_worst_result(enum mca_rec_result a, enum mca_rec_result b)
{
    return a > b ? a : b;
}

/* Tell dom0 there is telemetry (VIRQ_MCA). */
void hv_notify_dom0(struct hv *hv, unsigned cpu);

/* The flows of the handler orders (mce_handler.c picks one). */
void hv_xen_machine_check(struct hv *hv, unsigned cpu);   /* mce_xen.c   */
void hv_xen_softirq(struct hv *hv, unsigned cpu);
void hv_linux_machine_check(struct hv *hv, unsigned cpu); /* mce_linux.c */
void hv_linux_softirq(struct hv *hv, unsigned cpu);
/* Xen's per-CPU bring-up (mce_boot.c). */
void hv_xen_cpu_boot(struct hv *hv, unsigned cpu);
/* intel_mcheck_init (mce_intel.c), with the CPU's MCG_CAP. */
enum xen_mcheck_type xen_intel_mcheck_init(struct hv *hv, unsigned cpu, uint64_t cap);
/* amd_mcheck_init (mce_amd.c). */
enum xen_mcheck_type xen_amd_mcheck_init(struct hv *hv, unsigned cpu);
/* intel_init_cmci (mce_intel_cmci.c): CMCI discovery on this CPU. */
void xen_intel_init_cmci(struct hv *hv, unsigned cpu);
/* CPU hotplug's CMCI work (mce_intel_cmci.c): clear_cmci on the dying
 * CPU, __cpu_mcheck_distribute_cmci on each online CPU after it died. */
void xen_clear_cmci(struct hv *hv, unsigned cpu);
void xen_cmci_distribute(struct hv *hv, unsigned cpu);
/* cmci_interrupt (mce_intel_cmci.c). */
void xen_cmci_interrupt(struct hv *hv, unsigned cpu);
/* init_nonfatal_mce_checker (mce_nonfatal.c), once every CPU is up;
 * cpu is the last one up (the rest runs on CPU 0). */
void xen_init_nonfatal_mce_checker(struct hv *hv, unsigned cpu);
/* The poller's timer or its on_each_cpu call on cpu (mce_nonfatal.c). */
void xen_poll_timer(struct hv *hv, unsigned cpu);

/* A poll timer's round, for skip_quiet (poll_quiet.c): on the CPU that
 * drives the timer, its start (at the poller's longest interval or not),
 * each check (found: a valid bank, or anything else that changes the
 * next round), and its end (the next interval the longest again). */
void hv_pq_begin(struct hv *hv, unsigned cpu, bool at_max);
/* n rounds len long found nothing: the shortest such (hv_poll_rounds) */
void hv_pq_note_empty(struct hv_poll_rounds *r, uint64_t len, uint64_t n);
void hv_pq_check(struct hv *hv, unsigned cpu, bool found);
void hv_pq_found(struct hv *hv, unsigned cpu);
void hv_pq_end(struct hv *hv, unsigned cpu, bool at_max);
/* A whole round, begun at start_ps and ended at end_ps, of one check that
 * found or not, not at the longest interval (a round counted, not run:
 * hv_poll_storm_counted) */
void hv_pq_round(struct hv_poll_rounds *r, uint64_t start_ps, uint64_t end_ps, bool found);
/* The last two rounds took as long, none running: the next ones come a
 * period (interval plus that length) apart while their timer finds the
 * CPU idle (hv_poll_steady, hv_poll_storm_steady). */
bool hv_pq_alike(const struct hv *hv, unsigned cpu, uint64_t *period_ps, uint64_t *busy_ps);

/* Do Xen's CMCI handler and poller run (xen order, no Linux storm
 * policy)? Otherwise cmci_poll.c's scan and per-CPU timers do. */
static inline bool hv_xen_cmci_poll(const struct hv *hv)
{
    return hv->cfg.order == ORDER_XEN && hv->cfg.storm == STORM_XEN;
}

/* dom0_vmce_enabled (vmce.h): dom0 bound VIRQ_MCA (its mcelog runs). */
bool xen_dom0_vmce_enabled(struct hv *hv);
/* A record nobody will see (mctelem_dismiss), traced for the ground
 * truth as telemetry_dismissed. */
void hv_record_dismiss(struct hv *hv, unsigned cpu, struct telem_entry *e);

/* End of the #MC handler: defer the rest by softirq or self-NMI
 * (mce_defer.c, policy.deferral). */
void hv_mce_defer(struct hv *hv, unsigned cpu);

/* MCA_CMD_OFFLINE_PAGE (mca_offline_op.c), and the seed000 decider's
 * MCA_CMD_NOTIFYDOMAIN (dom0_decision.c). */
long hv_mca_offline_op(struct hv *hv, unsigned cpu, struct mca_offline *o);
long hv_dom0_decision(struct hv *hv, unsigned cpu, const struct mca_notifydomain *n);
/* MCA_CMD_SPARE_RANK under the seed000 policy set (mem_heal.c). */
long hv_mca_spare(struct hv *hv, unsigned cpu, const struct mca_spare *s);

/* Pages (page_offline.c): Xen's offline_page, online_page and
 * query_page_offline for one frame, with their return values (0, -EPERM,
 * -EINVAL; -ENOMEM when the page store cannot grow) and the PG_OFFLINE_*
 * status word (public/mca_abi.h MCA_PG_*), left untouched where Xen
 * leaves it (a frame beyond the last page). broken: an uncorrected error
 * hit the page. Offlining a page broken before crashes its owner. */
int hv_offline_page(struct hv *hv, unsigned cpu, uint64_t mfn, bool broken, uint32_t *status);
int hv_online_page(struct hv *hv, unsigned cpu, uint64_t mfn, uint32_t *status);
int hv_query_page_offline(struct hv *hv, uint64_t mfn, uint32_t *status);
/* Who owns mfn as offline_page finds it: the memory map, except that a
 * gone domain's pages and pages given back are free. domid for a domain. */
struct hv_page_owner {
    enum hv_owner kind;
    unsigned domid;
};
struct hv_page_owner hv_page_owner(struct hv *hv, uint64_t mfn);
/* Its owner freed mfn (mark_page_free): offlining -> offlined; 0 or
 * -ENOMEM. */
int hv_page_freed(struct hv *hv, unsigned cpu, uint64_t mfn);
/* A domain went away: each of its offlining pages is freed, so offlined. */
void hv_pages_released(struct hv *hv, unsigned cpu, unsigned domid);
const char *hv_owner_name(enum hv_owner o);

/* Hypercall plumbing (hypercall_entry.c). The pCPU a dom0 hypercall is
 * charged to; enter counts and charges the call, refuses any caller but
 * dom0 (-EPERM) and copies len bytes at arg into buf (-EFAULT); exit
 * copies buf back when rc is 0 and len is not (-EFAULT), counts a failure,
 * returns rc. */
unsigned hv_hypercall_cpu(const struct hv *hv);
long hv_hypercall_enter(struct hv *hv, unsigned caller, uint64_t arg, void *buf, size_t len);
long hv_hypercall_exit(struct hv *hv, unsigned caller, uint64_t arg, const void *buf, size_t len,
                       long rc);

/* Memory-error handler for an SRAO/SRAR bank of a record with a memory
 * address: offlines or marks the page, and returns the bank's result. */
enum mca_rec_result hv_memerr(struct hv *hv, unsigned cpu, struct mca_record *rec,
                              struct mca_bank_entry *b);

/* A guest MSR access vmce_rdmsr / vmce_wrmsr did not answer with OK
 * (vmce_result: enum vmce_msr_result): 0 when it reads as zero (*val) or
 * the write is dropped (msr_relaxed, raz_msrs), -1 for #GP (guest_msr.c). */
int hv_guest_msr_fallback(struct hv *hv, struct domain *d, struct vcpu *v, uint32_t msr, int vmce_result,
                          uint64_t *val);

/* Trace stage st on cpu with the detail "interval <period_ps>" (formatted
 * only when a trace file takes details; cmci_storm.c, beside
 * hv_fmt_interval). */
void hv_trace_interval(struct hv *hv, enum hv_stage st, unsigned cpu, uint64_t period_ps);

#endif
