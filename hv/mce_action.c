/*
 * mce_action.c - the error-handler tables of Xen's Intel machine-check
 * code and mce_action, which walks a record through one of them.
 *
 * A handler owns a bank by its class (Xen's owned_error checks test
 * intel_check_mce_type, which is the class the xen grading table gives;
 * under the linux order the bank's class comes from the linux table, the
 * same rows route it), first match wins:
 *   softirq (intel_mce_dhandlers):
 *     SRAO (intel_srao_check)  scrub 0xC0-0xCF or L3 writeback 0x17A ->
 *                              memory-error handler, else CONTINUE
 *     SRAR (intel_srar_check)  data load 0x134 or instruction fetch
 *                              0x150 -> memory-error handler, else RESET
 *     any  (default)           fatal -> RESET, else CONTINUE
 *   #MC handler (intel_mce_uhandlers):
 *     any  (default)           fatal -> RESET, else CONTINUE
 * MCACOD is compared on all 16 bits (INTEL_MCCOD_MASK). The memory-error
 * handler is memerr.c (Xen's mc_memerr_dhandler, mcaction.c). The AMD
 * code installs no tables (xen_callbacks.h): every bank is NOERROR.
 */
#include "mce_action.h"

#include "arch/x86_mca.h"
#include "mce_console.h"
#include "mce_internal.h"
#include "public/mca_names.h"
#include "xen_callbacks.h"

typedef enum mca_rec_result (*recovery_fn)(struct hv *hv, unsigned cpu, struct mca_record *r,
                                           struct mca_bank_entry *b);

struct xen_handler {
    enum mca_rec_class owns;  /* MCA_REC_NONE: any class (default check) */
    recovery_fn recover;
    const char *src;
};

/* intel_memerr_dhandler: say so, then the memory-error handler. */
static enum mca_rec_result memerr(struct hv *hv, unsigned cpu, struct mca_record *r, struct mca_bank_entry *b)
{
    xen_mce_printk_verbose(hv, "MCE: Enter UCR recovery action");
    return hv_memerr(hv, cpu, r, b);
}

static bool is_mem_srao(uint16_t code)
{
    return (code & MCACOD_SCRUB_MASK) == MCACOD_SCRUB || code == MCACOD_L3_WB;
}

static enum mca_rec_result srao(struct hv *hv, unsigned cpu, struct mca_record *r, struct mca_bank_entry *b)
{
    return is_mem_srao(mci_mcacod(b->status)) ? memerr(hv, cpu, r, b) : MCA_RES_CONTINUE;
}

static enum mca_rec_result srar(struct hv *hv, unsigned cpu, struct mca_record *r, struct mca_bank_entry *b)
{
    uint16_t code = mci_mcacod(b->status);
    return code == MCACOD_DATA_LOAD || code == MCACOD_INSN_FETCH ? memerr(hv, cpu, r, b) : MCA_RES_RESET;
}

static enum mca_rec_result by_fatality(struct hv *hv, unsigned cpu, struct mca_record *r,
                                       struct mca_bank_entry *b)
{
    (void)hv, (void)cpu, (void)r;
    return b->cls == MCA_REC_FATAL ? MCA_RES_RESET : MCA_RES_CONTINUE;
}

static const struct xen_handler dhandlers[] = {
    {MCA_REC_SRAO, srao, "intel_srao_check / intel_srao_dhandler"},
    {MCA_REC_SRAR, srar, "intel_srar_check / intel_srar_dhandler"},
    {MCA_REC_NONE, by_fatality, "intel_default_check / intel_default_mce_dhandler"},
};

static const struct xen_handler uhandlers[] = {
    {MCA_REC_NONE, by_fatality, "intel_default_check / intel_default_mce_uhandler"},
};

/* The tables each vendor's init installs (xen_callbacks.h): Intel's two,
 * or none at all (AMD and Hygon: mce_dhandler_num and mce_uhandler_num
 * stay 0, so no bank finds a handler and the result is NOERROR). */
static const struct {
    const struct xen_handler *v;
    unsigned n;
} tables[XEN_HANDLER_SET__COUNT][2] = {
    [XEN_HANDLER_SET_INTEL] = {
        [XEN_UHANDLERS] = {uhandlers, sizeof(uhandlers) / sizeof(uhandlers[0])},
        [XEN_DHANDLERS] = {dhandlers, sizeof(dhandlers) / sizeof(dhandlers[0])},
    },
    [XEN_HANDLER_SET_NONE] = {{NULL, 0}, {NULL, 0}},
};

/* The linux order installs no callbacks: it routes by the Intel tables. */
static enum xen_handler_set handler_set(const struct hv *hv)
{
    return hv->x.cb ? hv->x.cb->handlers : XEN_HANDLER_SET_INTEL;
}

enum mca_rec_result xen_mce_action(struct hv *hv, unsigned cpu, struct mca_record *r, enum xen_handlers which)
{
    enum mca_rec_result bank_result = MCA_RES_NONE, worst = MCA_RES_NONE;
    const struct xen_handler *table = tables[handler_set(hv)][which].v;
    unsigned n = tables[handler_set(hv)][which].n;
    for (unsigned i = 0; i < r->nbanks && i < MCA_REC_MAX_BANKS && bank_result != MCA_RES_RESET; i++) {
        struct mca_bank_entry *b = &r->bank[i];
        bank_result = MCA_RES_NONE;
        for (unsigned h = 0; h < n; h++) {
            const struct xen_handler *x = &table[h];
            if (x->owns != MCA_REC_NONE && (uint32_t)x->owns != b->cls)
                continue;
            bank_result = x->recover(hv, cpu, r, b);
            worst = hv_worst_result(worst, bank_result);
            break;
        }
        if (which == XEN_DHANDLERS)
            hv_trace_record(hv, HV_STAGE_ACTION_DONE, cpu, r, (int)i, mca_rec_result_name(bank_result));
        if (hv->stopped)
            break;
    }
    return worst;
}

enum telem_verdict xen_mce_delayed_action(struct hv *hv, unsigned cpu, struct telem_entry *e)
{
    struct mca_record *r = &e->rec;
    enum mca_rec_result res = xen_mce_action(hv, cpu, r, XEN_DHANDLERS);
    r->result = (uint32_t)res;
    if (hv->stopped)
        return TELEM_STOP;
    switch (res) {
    case MCA_RES_RESET:
        hv->stats.resets++;
        xen_dprintk(hv, DPK_DELAYED_FAILED, "MCE delayed action failed");
        xen_mcinfo_dump(hv, r);
        xen_panic(hv, cpu, "MCE: Software recovery failed for the UCR",
                  "MCE: Software recovery failed for the UCR");
        return TELEM_STOP;
    case MCA_RES_RECOVERED:
        hv->stats.recovered++;
        xen_dprintk(hv, DPK_RECOVERED, "MCE: Error is successfully recovered");
        return TELEM_COMMIT;
    case MCA_RES_CONTINUE:
        hv->stats.tainted++;
        xen_dprintk(hv, DPK_TAINTED, "MCE: Error can't be recovered, system is tainted");
        xen_mcinfo_dump(hv, r);
        return TELEM_COMMIT;
    default:
        return TELEM_DISMISS;
    }
}
