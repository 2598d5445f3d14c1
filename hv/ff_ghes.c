/*
 * ff_ghes.c - what the hypervisor does with an APEI GHES error status
 * block when its notification comes (hv/ff.h): read the CPER record and
 * act by its Error Severity, as Linux's ghes_do_proc does for an OS
 * (drivers/acpi/apei/ghes.c): fatal panics ("Fatal hardware error!",
 * __ghes_panic); a recoverable memory error section with a valid physical
 * address is handled as a native memory error, by Xen's
 * mc_memerr_dhandler path (memerr.c: offline the page; for a page a domain
 * owns, break the frame and send the owner a vMCE), where Linux would
 * memory_failure() the frame (ghes_handle_memory_failure); a corrected one
 * is only logged (Linux acts on it only when the section says the
 * threshold was exceeded, which is not modelled). The block stays valid
 * until dom0 has the record (its CLEAR acknowledges it).
 */
#include <errno.h>

#include "arch/x86_mca.h"
#include "mce_internal.h"

/* The bank a native SRAO memory error would have logged: xen-mceinj's SRAO
 * (VAL|UC|EN|MISCV|ADDRV|S, MCACOD 0xCF: memory scrubbing, channel
 * unspecified) with MISC 0x86 (address mode physical, LSB 6), the fields
 * mc_memerr_dhandler's intel_checkaddr looks at. */
#define GHES_SRAO_STATUS 0xBD000000004000CFull
#define GHES_SRAO_MISC 0x86ull

static const char *const sev_name[] = {"recoverable", "fatal", "corrected", "none"};

static void memory_error(struct hv *hv, unsigned cpu, const struct fw_error_record *r)
{
    struct mca_record rec = {0};
    rec.time_ps = hv->plat->now_ps(hv->plat->ctx);
    rec.cpu = cpu;
    rec.flags = MCA_REC_F_RECOVERABLE;
    rec.mcg_status = MCG_STATUS_RIPV | MCG_STATUS_MCIP; /* what an SRAO #MC would have had */
    rec.source = MCA_SRC_POLL;
    rec.cls = MCA_REC_SRAO;
    rec.context = X86_CTX_IDLE;
    rec.nbanks = 1;
    struct mca_bank_entry *b = &rec.bank[0];
    b->cls = MCA_REC_SRAO;
    b->status = GHES_SRAO_STATUS;
    b->addr = r->addr;
    b->misc = GHES_SRAO_MISC;
    b->domid = DOMID_NONE;
    enum mca_rec_result res = hv_memerr(hv, cpu, &rec, b);
    static const char *const res_name[MCA_RES__COUNT] = {"none", "recovered", "continue", "reset"};
    hv_printk(hv, "GHES: memory error at %#llx (recoverable): %s", (unsigned long long)r->addr, res_name[res]);
    hv->ff.rep.ghes_memerr++;
    if (res == MCA_RES_RESET)
        hv_stop_quiet(hv, cpu, HV_STOP_RESET, "GHES memory error in critical memory");
}

void hv_ff_ghes(struct hv *hv, unsigned cpu)
{
    const struct hv_platform *p = hv->plat;
    struct fw_error_record r = {0};
    if (p->fw_call(p->ctx, cpu, FW_OP_GET, FW_TYPE_GHES, &r) != 0)
        return;
    hv_printk(hv, "GHES: error status block: block status %#x, severity %s%s", r.block_status,
              r.severity < 4 ? sev_name[r.severity] : "?", (r.flags & FW_REC_ADDRV) ? "" : ", no physical address");
    if (r.severity == 1) {
        hv->ff.rep.ghes_fatal++;
        hv_printk(hv, "GHES: Fatal hardware error!");
        hv_stop_quiet(hv, cpu, HV_STOP_PANIC, "GHES: fatal hardware error");
        return;
    }
    if (r.severity == 2 || r.severity == 3) {
        hv->ff.rep.ghes_corrected++;
        return;
    }
    if (!(r.flags & FW_REC_ADDRV)) {
        hv->ff.rep.ghes_no_addr++;
        return;
    }
    memory_error(hv, cpu, &r);
}
