/*
 * mce_logout.c - Xen's bank logout (mcheck_mca_logout, mce.c) with the
 * callbacks of the vendor's init (xen_callbacks.h: Intel's
 * intel_recoverable_scan, intel_need_clearbank_scan, intel_checkaddr, or
 * AMD's):
 *
 *   read MCG_STATUS; for each bank of the mask whose MCi_STATUS is valid:
 *     decide whether to clear it (by who logs it),
 *     at the first one reserve the record (urgent for #MC, else
 *       non-urgent) and fill its global part, reading MCG_STATUS again,
 *     note UC and PCC; once a UC is seen, AND recoverable_scan in (no
 *       such callback: not recoverable from the start),
 *     add the bank to the record (mca_init_bank: STATUS again, MISC when
 *       MISCV, ADDR when ADDRV, check_addr with both), graded by the
 *       vendor's table for its rule,
 *     clear it now, or for the #MC handler mark it in *clear.
 *
 * A full pool gives no record: the banks are still read, judged and
 * cleared as above, and each is traced as dropped. The record's flags get
 * the source and the CORRECTABLE / RECOVERABLE / UNCORRECTABLE summary
 * (mce_record.c). MSR reads and writes go through the platform, so each
 * costs what it costs on the CPU, in Xen's order. A callback that BUG()s
 * (AMD's mc_ec2type) stops the host: the walk ends there.
 */
#include "mce_logout.h"

#include <string.h>

#include "arch/x86_mca.h"
#include "mce_console.h"
#include "mce_internal.h"
#include "xen_callbacks.h"

/* Who logs: telemetry class and record source (mcheck_mca_logout's switch). */
static const struct {
    enum telem_class cls;
    enum mca_rec_source src;
    enum sev_path path;
} who_is[XEN_SRC__COUNT] = {
    [XEN_SRC_POLLER] = {TELEM_NONURGENT, MCA_SRC_POLL, SEV_PATH_POLL},
    [XEN_SRC_CMCI] = {TELEM_NONURGENT, MCA_SRC_CMCI, SEV_PATH_POLL},
    [XEN_SRC_RESET] = {TELEM_NONURGENT, MCA_SRC_POLL, SEV_PATH_POLL},
    [XEN_SRC_MCE_SCAN] = {TELEM_URGENT, MCA_SRC_MCE, SEV_PATH_MCE},
};

void xen_mcabank_clear(struct hv *hv, unsigned cpu, unsigned bank)
{
    uint64_t status;
    hv_rdmsr(hv, cpu, MSR_IA32_MCx_STATUS(bank), &status);
    if (status & MCI_STATUS_ADDRV)
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_ADDR(bank), 0);
    if (status & MCI_STATUS_MISCV)
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_MISC(bank), 0);
    hv_wrmsr(hv, cpu, MSR_IA32_MCx_STATUS(bank), 0);
}

/* The callbacks of the vendor's init; Intel's before any init ran. */
static const struct xen_callbacks *callbacks(const struct hv *hv)
{
    return hv->x.cb ? hv->x.cb : &xen_intel_callbacks;
}

/* mca_init_bank: read the bank again into the record, graded; with MISCV
 * and ADDRV, ask check_addr whether the address is physical (the answer
 * names the page's owner in Xen, which mcasim leaves to the memory-error
 * handler; the call itself can BUG on AMD, or be the UD2 of K8's missing
 * callback). */
static void init_bank(struct hv *hv, unsigned cpu, enum xen_mca_source who, struct telem_entry *e,
                      unsigned bank, uint64_t mcg)
{
    const struct xen_callbacks *cb = callbacks(hv);
    struct hv_bank_read b = {.bank = bank};
    hv_rdmsr(hv, cpu, MSR_IA32_MCx_STATUS(bank), &b.status);
    if (b.status & MCI_STATUS_MISCV)
        hv_rdmsr(hv, cpu, MSR_IA32_MCx_MISC(bank), &b.misc);
    if (b.status & MCI_STATUS_ADDRV)
        hv_rdmsr(hv, cpu, MSR_IA32_MCx_ADDR(bank), &b.addr);
    const struct hv_cpu *c = &hv->cpu[cpu];
    struct sev_input in = {
        .status = b.status, .mcg_status = mcg, .mcg_cap = c->mcg_cap, .ctx = c->ctx,
        .path = who_is[who].path,
    };
    struct sev_result sev = sev_grade_with(cb->grade, &in);
    hv_record_add_bank(hv, cpu, e, &b, &sev);
    if ((b.status & MCI_STATUS_MISCV) && (b.status & MCI_STATUS_ADDRV)) {
        if (cb->check_addr)
            cb->check_addr(hv, cpu, b.status, b.misc);
        else
            xen_invalid_op(hv, cpu);
    }
}

void xen_mca_logout(struct hv *hv, unsigned cpu, enum xen_mca_source who, uint32_t mask,
                    struct xen_logout *out, uint32_t *clear)
{
    const struct xen_callbacks *cb = callbacks(hv);
    uint64_t gstatus;
    memset(out, 0, sizeof(*out));
    out->recoverable = cb->recoverable_scan != NULL; /* none installed: nothing is */
    hv_rdmsr(hv, cpu, MSR_IA32_MCG_STATUS, &gstatus);
    for (unsigned i = 0; i < hv->cpu[cpu].nbanks && !hv->stopped; i++) {
        uint64_t status;
        if (!((mask >> i) & 1u))
            continue;
        hv_rdmsr(hv, cpu, MSR_IA32_MCx_STATUS(i), &status);
        if (!(status & MCI_STATUS_VAL))
            continue;
        hv_trace(hv, HV_STAGE_BANK_LOGOUT, cpu, (int)i, status, 0, NULL);
        hv->stats.banks_logged++;
        hv_charge(hv, cpu, HV_COST_SEVERITY);
        bool need_clear = !cb->need_clearbank_scan || cb->need_clearbank_scan(hv, who, status);
        if (out->errcnt++ == 0) {
            uint64_t mcg; /* mca_init_global reads it again */
            hv_rdmsr(hv, cpu, MSR_IA32_MCG_STATUS, &mcg);
            out->e = hv_record_reserve(hv, cpu, who_is[who].cls, mcg, who_is[who].src);
        }
        out->uc |= (status & MCI_STATUS_UC) != 0;
        out->pcc |= (status & MCI_STATUS_PCC) != 0;
        if (out->recoverable && out->uc)
            out->recoverable = cb->recoverable_scan(hv, cpu, status);
        if (hv->stopped)
            break; /* recoverable_scan BUG()ed (mce_amd.c): Xen panics there */
        if (out->e)
            init_bank(hv, cpu, who, out->e, i, gstatus);
        else
            hv_record_drop_bank(hv, cpu, who_is[who].cls, &(struct hv_bank_read){.bank = i, .status = status});
        if (hv->stopped)
            break; /* check_addr BUG()ed or hit its UD2 */
        if (need_clear && who != XEN_SRC_MCE_SCAN)
            xen_mcabank_clear(hv, cpu, i);
        else if (need_clear && clear)
            *clear |= 1u << i;
    }
    out->ripv = (gstatus & MCG_STATUS_RIPV) != 0;
    out->eipv = (gstatus & MCG_STATUS_EIPV) != 0;
    out->lmce = (gstatus & MCG_STATUS_LMCES) != 0;
}
