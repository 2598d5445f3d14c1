/*
 * mce_amd.c - Xen's AMD and Hygon machine-check code (mce_amd.c) for the
 * xen handler order: amd_mcheck_init, its two callback sets and the
 * quirks by family.
 *
 * amd_mcheck_init, on every CPU (mcheck_init picks it for AMD and Hygon):
 *   the quirk of the family (mcequirk_lookup_amd_quirkdata, never for
 *   Hygon): K8 (0xF) masks the GART table-walk error in bank 4, family
 *   0x10 sets the same bit in MC4_MASK;
 *   the boot CPU installs k8_callbacks for family 0xF, k10_callbacks
 *   for every other (Hygon's 0x18 too);
 *   every bank gets MCi_CTL = ~0 and MCi_STATUS = 0, bank 4 of a K8 its
 *   quirk instead. There is no boot logout: what the banks held is
 *   cleared unlogged (Intel's intel_mce_post_reset logs it first);
 *   the type show_mca_info prints: "AMD K8", "AMD Fam%xh", "Hygon Fam%xh".
 * No CMCI, no broadcast (mce_broadcast stays false: only intel_init_mca
 * sets it), no LMCE, no firstbank, no handler tables.
 *
 * The callbacks (xen_callbacks.h), which run inside mcheck_mca_logout:
 *   mc_amd_recoverable_scan: a CE is recoverable; a UC is by mc_ec2type of
 *     its MCA error code: a memory error yes, a bus or TLB error no;
 *   mc_amd_addrcheck (for mca_init_bank, banks with MISCV and ADDRV): bus
 *     and memory errors have a physical address, TLB errors a virtual one;
 *   amd_need_clearbank_scan: the #MC handler keeps UC+PCC banks (sticky,
 *     for the poller after reboot), every other bank logged is cleared.
 * mc_ec2type BUG()s on an error code without the bus (bit 11), memory
 * (bit 8) or TLB (bit 4) bit, e.g. the internal errors 0x0400-0x07FF:
 * Xen stops with "Xen BUG at mce_amd.c:100" (4.17: 112), inside the #MC
 * handler or the poller. K8's callbacks have no check_addr, and the
 * alternative call Xen makes to it is a UD2 (mca_init_bank, banks with
 * MISCV and ADDRV): "FATAL TRAP: vector = 6 (invalid opcode)".
 *
 * Not modelled: amd_f10_handler (the MC4_MISC1-3 extended entry of
 * family 0x10 and later; mcasim's records have no extended entries, its
 * CPUs no such MSRs), PPIN, vmce_amd_rdmsr / vmce_amd_wrmsr (vmce.c's).
 */
#include "arch/x86_mca.h"
#include "mce_console.h"
#include "mce_internal.h"
#include "xen_callbacks.h"

enum amd_quirk { QUIRK_NONE = 0, QUIRK_K8_GART, QUIRK_F10_GART };

/* mce_amd_quirks[]: family, then the quirk (every model and stepping). */
static const struct {
    unsigned family;
    enum amd_quirk quirk;
} quirks[] = {
    {0xF, QUIRK_K8_GART},
    {0x10, QUIRK_F10_GART},
};

#define GART_TBL_WALK (1ull << 10) /* MC4 error-reporting bit of the GART walk */

static enum amd_quirk quirk_of(unsigned family)
{
    for (unsigned i = 0; i < sizeof(quirks) / sizeof(quirks[0]); i++)
        if (quirks[i].family == family)
            return quirks[i].quirk;
    return QUIRK_NONE;
}

/* mc_ec2type's three types, and none (its BUG()). */
enum amd_ec_type { EC_NONE = 0, EC_TLB, EC_MEM, EC_BUS };

static enum amd_ec_type ec2type(uint64_t status)
{
    uint16_t code = mci_mcacod(status);
    if (code & 0x0800)
        return EC_BUS;
    if (code & 0x0100)
        return EC_MEM;
    if (code & 0x0010)
        return EC_TLB;
    return EC_NONE;
}

/* mc_ec2type with its BUG(): stops the host on an error code of no type. */
static enum amd_ec_type ec2type_or_bug(struct hv *hv, unsigned cpu, uint64_t status)
{
    enum amd_ec_type t = ec2type(status);
    if (t == EC_NONE)
        xen_bug(hv, cpu, XBUG_MC_EC2TYPE);
    return t;
}

static bool amd_recoverable_scan(struct hv *hv, unsigned cpu, uint64_t status)
{
    if (!(status & MCI_STATUS_UC))
        return true;
    return ec2type_or_bug(hv, cpu, status) == EC_MEM;
}

/* mc_amd_addrcheck, asked for MC_ADDR_PHYSICAL as mca_init_bank does. */
static bool amd_addrcheck(struct hv *hv, unsigned cpu, uint64_t status, uint64_t misc)
{
    (void)misc;
    enum amd_ec_type t = ec2type_or_bug(hv, cpu, status);
    return t == EC_BUS || t == EC_MEM;
}

static bool amd_need_clear(const struct hv *hv, enum xen_mca_source who, uint64_t status)
{
    (void)hv;
    if (who != XEN_SRC_MCE_SCAN)
        return true;
    return (status & (MCI_STATUS_UC | MCI_STATUS_PCC)) != (MCI_STATUS_UC | MCI_STATUS_PCC);
}

const struct xen_callbacks xen_amd_k8_callbacks = {
    .name = "amd-k8",
    .grade = &sev_table_xen_amd_k8,
    .need_clearbank_scan = amd_need_clear,
    .handlers = XEN_HANDLER_SET_NONE,
};

const struct xen_callbacks xen_amd_callbacks = {
    .name = "amd",
    .grade = &sev_table_xen_amd,
    .recoverable_scan = amd_recoverable_scan,
    .need_clearbank_scan = amd_need_clear,
    .check_addr = amd_addrcheck,
    .handlers = XEN_HANDLER_SET_NONE,
};

/* mcequirk_amd_apply for the K8: every error of bank 4 reported but the
 * GART table walk's, the bank cleared. */
static void k8_gart(struct hv *hv, unsigned cpu)
{
    hv_wrmsr(hv, cpu, MSR_IA32_MCx_CTL(4), ~GART_TBL_WALK);
    hv_wrmsr(hv, cpu, MSR_IA32_MCx_STATUS(4), 0);
}

/* mcequirk_amd_apply for family 0x10: mask the GART table walk in MC4_MASK,
 * with the _safe accessors (nothing happens where the MSR is missing, as on
 * mcasim's CPUs, which do not model it). */
static void f10_gart(struct hv *hv, unsigned cpu)
{
    uint64_t v;
    if (hv_rdmsr(hv, cpu, MSR_AMD64_MCx_MASK(4), &v) == 0)
        hv_wrmsr(hv, cpu, MSR_AMD64_MCx_MASK(4), v | GART_TBL_WALK);
}

enum xen_mcheck_type xen_amd_mcheck_init(struct hv *hv, unsigned cpu)
{
    const struct hv_config *cfg = &hv->cfg;
    bool hygon = cfg->vendor == CPU_VENDOR_HYGON;
    enum amd_quirk quirk = hygon ? QUIRK_NONE : quirk_of(cfg->family);

    if (cpu == 0)
        hv->x.cb = cfg->family == 0xF ? &xen_amd_k8_callbacks : &xen_amd_callbacks;
    for (unsigned i = 0; i < hv->cpu[cpu].nbanks; i++) {
        if (quirk == QUIRK_K8_GART && i == 4) {
            k8_gart(hv, cpu);
            continue;
        }
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_CTL(i), ~0ull);
        hv_wrmsr(hv, cpu, MSR_IA32_MCx_STATUS(i), 0);
    }
    if (cfg->family == 0xF)
        return XEN_MCHECK_AMD_K8;
    if (quirk == QUIRK_F10_GART)
        f10_gart(hv, cpu);
    return hygon ? XEN_MCHECK_HYGON : XEN_MCHECK_AMD_FAMXX;
}
