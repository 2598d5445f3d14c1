/*
 * mce_console.c - the console texts of the xen handler order (see
 * mce_console.h), one Xen printk per console line. Xen prints a multi-line
 * printk as several lines; "\n" at the start of one is an empty line here.
 * Which lines a build prints: mce_printk(MCE_VERBOSE) with
 * mce_verbosity=verbose only; dprintk in debug builds only (NDEBUG
 * unset), prefixed with the file and line of the release's tree; every
 * printk level the #MC code uses (ERR, WARNING, INFO, none) passes the
 * default loglvl of both builds.
 */
#include "mce_console.h"

#include <stdarg.h>
#include <stdio.h>

#include "arch/x86_mca.h"

static void vline(struct hv *hv, const char *prefix, const char *fmt, va_list ap)
{
    char line[512];
    vsnprintf(line, sizeof(line), fmt, ap);
    hv_printk(hv, "%s%s", prefix, line);
}

void xen_mce_printk_verbose(struct hv *hv, const char *fmt, ...)
{
    if (!hv->cfg.mce_verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    vline(hv, "", fmt, ap);
    va_end(ap);
}

void xen_mce_printk_quiet(struct hv *hv, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vline(hv, "", fmt, ap);
    va_end(ap);
}

void xen_dprintk(struct hv *hv, enum xen_dprintk site, const char *fmt, ...)
{
    if (!hv->cfg.xen_debug || (unsigned)site >= DPK__COUNT)
        return;
    const struct xen_dprintk_site *at = &xen_release_of(hv->cfg.xen_version)->dprintk[site];
    char prefix[96];
    snprintf(prefix, sizeof(prefix), "%s:%u: ", at->file, at->line);
    va_list ap;
    va_start(ap, fmt);
    vline(hv, prefix, fmt, ap);
    va_end(ap);
}

void xen_gdprintk(struct hv *hv, enum xen_dprintk site, unsigned domid, unsigned vcpu, const char *fmt, ...)
{
    if (!hv->cfg.xen_debug || (unsigned)site >= DPK__COUNT)
        return;
    const struct xen_dprintk_site *at = &xen_release_of(hv->cfg.xen_version)->dprintk[site];
    char prefix[112];
    snprintf(prefix, sizeof(prefix), "%s:%u:d%uv%u ", at->file, at->line, domid, vcpu);
    va_list ap;
    va_start(ap, fmt);
    vline(hv, prefix, fmt, ap);
    va_end(ap);
}

/* The core id Xen prints is the CPU's (x86_mc_get_cpu_info); mcasim's
 * CPUs are one thread per core, so it is the CPU number. */
void xen_mcinfo_dump(struct hv *hv, const struct mca_record *r)
{
    if (r->flags & MCA_REC_F_MCE)
        hv_printk(hv, "CPU%u: Machine Check Exception: %16llx", r->cpu, (unsigned long long)r->mcg_status);
    else if (r->flags & MCA_REC_F_CMCI)
        hv_printk(hv, "CMCI occurred on CPU %u.", r->cpu);
    else if (r->flags & MCA_REC_F_POLLED)
        hv_printk(hv, "POLLED occurred on CPU %u.", r->cpu);
    for (unsigned i = 0; i < r->nbanks && i < MCA_REC_MAX_BANKS; i++) {
        const struct mca_bank_entry *b = &r->bank[i];
        char misc[24] = "", addr[24] = "";
        if (b->status & MCI_STATUS_MISCV)
            snprintf(misc, sizeof(misc), "[%16llx]", (unsigned long long)b->misc);
        if (b->status & MCI_STATUS_ADDRV)
            snprintf(addr, sizeof(addr), " at %16llx", (unsigned long long)b->addr);
        hv_printk(hv, "Bank %u: %16llx%s%s", b->bank, (unsigned long long)b->status, misc, addr);
    }
}

void xen_panic(struct hv *hv, unsigned cpu, const char *msg, const char *reason)
{
    if (hv->stopped)
        return;
    hv_printk(hv, "%s", "");
    hv_printk(hv, "****************************************");
    hv_printk(hv, "Panic on CPU %u:", cpu);
    hv_printk(hv, "%s", msg);
    hv_printk(hv, "****************************************");
    hv_printk(hv, "%s", "");
    hv_printk(hv, "Reboot in five seconds...");
    hv_stop_quiet(hv, cpu, HV_STOP_PANIC, reason);
}

static void dump_deferred(void *arg, const struct telem_entry *e)
{
    struct hv *hv = arg;
    xen_mcinfo_dump(hv, &e->rec);
    hv->x.mcinfo_dumped++;
}

void xen_mc_panic(struct hv *hv, unsigned cpu, const char *s)
{
    if (hv->stopped)
        return;
    hv_printk(hv, "Fatal machine check: %s", s);
    hv_printk(hv, "%s", "");
    hv_printk(hv, "****************************************");
    hv_printk(hv, "%s", "");
    hv_printk(hv, "   The processor has reported a hardware error which cannot");
    hv_printk(hv, "   be recovered from.  Xen will now reboot the machine.");
    /* mc_panic_dump: Xen dismisses each record after dumping it; they stay
     * deferred here, so the results can list them (the host is stopped,
     * nothing else can tell the difference). */
    xen_dprintk(hv, DPK_DUMP_BEGIN, "Begin dump mc_info");
    for (unsigned c = 0; c < hv->cfg.ncpus; c++)
        telem_foreach_deferred(&hv->telem, c, telem_has_deferred_lmce(&hv->telem, c), dump_deferred, hv);
    xen_dprintk(hv, DPK_DUMP_END, "End dump mc_info, %x mcinfo dumped", hv->x.mcinfo_dumped);
    xen_panic(hv, cpu, "HARDWARE ERROR", s);
}

void xen_bug(struct hv *hv, unsigned cpu, enum xen_bug site)
{
    if (hv->stopped || (unsigned)site >= XBUG__COUNT)
        return;
    const struct xen_dprintk_site *at = &xen_release_of(hv->cfg.xen_version)->bug[site];
    char msg[128];
    snprintf(msg, sizeof(msg), "Xen BUG at %s:%u", at->file, at->line);
    hv_printk(hv, "%s", msg);
    xen_panic(hv, cpu, msg, msg);
}

void xen_invalid_op(struct hv *hv, unsigned cpu)
{
    xen_panic(hv, cpu, "FATAL TRAP: vector = 6 (invalid opcode)", "FATAL TRAP: vector = 6 (invalid opcode)");
}
