/*
 * nmi.c - what Xen does with a PCI system error: the chipset raises an
 * NMI on the boot CPU with bit 7 of port 0x61 set, and Xen's do_nmi calls
 * pci_serr_error (xen/arch/x86/traps.c), which clears and disables the
 * SERR line and acts on the nmi= option (opt_nmi): "dom0" sets
 * _XEN_NMIREASON_pci_serr for the hardware domain and raises an NMI on
 * its vCPU 0 (nmi_hwdom_report, PV dom0 only), then prints "NMI - PCI
 * system error (SERR)" from the NMI continuation; "ignore" only prints;
 * "fatal" prints and calls fatal_trap, whose panic names the NMI vector.
 * The default is "dom0" in a release build and "fatal" in a debug one.
 * This is the only PCI error handling in Xen: AER belongs to dom0.
 */
#include "hv/hv.h"
#include "hv/mce_console.h"

static const char *const nmi_names[NMI_OPT__COUNT] = {
    [NMI_OPT_BUILD] = "default",
    [NMI_OPT_DOM0] = "dom0",
    [NMI_OPT_FATAL] = "fatal",
    [NMI_OPT_IGNORE] = "ignore",
};

const char *hv_nmi_opt_name(enum hv_nmi_opt o) { return (unsigned)o < NMI_OPT__COUNT ? nmi_names[o] : "?"; }

static enum hv_nmi_opt effective(const struct hv *hv)
{
    if (hv->cfg.nmi != NMI_OPT_BUILD)
        return hv->cfg.nmi;
    return hv->cfg.xen_debug ? NMI_OPT_FATAL : NMI_OPT_DOM0;
}

bool hv_nmi_pci_serr(struct hv *hv)
{
    if (hv->stopped)
        return false;
    enum hv_nmi_opt o = effective(hv);
    hv_printk(hv, "%s", "");
    hv_printk(hv, "NMI - PCI system error (SERR)");
    if (o == NMI_OPT_FATAL) {
        xen_panic(hv, 0, "FATAL TRAP: vector = 2 (nmi)", "FATAL TRAP: vector = 2 (nmi)");
        return false;
    }
    return o == NMI_OPT_DOM0;
}
