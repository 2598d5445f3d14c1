/*
 * aer_drivers.c - what the drivers of dom0's (and a guest's) functions
 * answer to PCI error recovery, as rows: which callbacks of struct
 * pci_error_handlers the driver has (Documentation/PCI/pci-error-recovery
 * in Linux) and its vote at each. A scenario names the row. xen-pciback
 * is not a row: its answers depend on the guest (aer_pciback.c).
 */
#include "guests/dom0/aer.h"

#include <string.h>

struct drv_row {
    const char *name;
    bool has[AER_STEP__COUNT];
    enum pci_ers vote[AER_STEP__COUNT];
};

#define ALL {true, true, true, true}
static const struct drv_row rows[AER_DRV__COUNT] = {
    [AER_DRV_RECOVERS] = {"recovers", ALL,
                          {PCI_ERS_CAN_RECOVER, PCI_ERS_RECOVERED, PCI_ERS_RECOVERED, PCI_ERS_NONE}},
    [AER_DRV_NEEDS_RESET] = {"needs-reset", ALL,
                             {PCI_ERS_NEED_RESET, PCI_ERS_RECOVERED, PCI_ERS_RECOVERED, PCI_ERS_NONE}},
    [AER_DRV_DISCONNECTS] = {"disconnects", ALL,
                             {PCI_ERS_DISCONNECT, PCI_ERS_DISCONNECT, PCI_ERS_DISCONNECT, PCI_ERS_NONE}},
    [AER_DRV_NO_HANDLER] = {"no-handler", {false, false, false, false}, {0}},
    [AER_DRV_UNBOUND] = {"unbound", {false, false, false, false}, {0}},
    [AER_DRV_PCIBACK] = {"pciback", ALL, {0}},
};

static const char *const ers_names[PCI_ERS__END] = {
    [PCI_ERS_NONE] = "none",
    [PCI_ERS_CAN_RECOVER] = "can-recover",
    [PCI_ERS_NEED_RESET] = "need-reset",
    [PCI_ERS_DISCONNECT] = "disconnect",
    [PCI_ERS_RECOVERED] = "recovered",
    [PCI_ERS_NO_AER_DRIVER] = "no-aer-driver",
};

const char *pci_ers_name(enum pci_ers r)
{
    return r >= PCI_ERS_NONE && r < PCI_ERS__END ? ers_names[r] : "?";
}

const char *aer_drv_name(enum aer_drv_kind k) { return (unsigned)k < AER_DRV__COUNT ? rows[k].name : "?"; }

enum aer_drv_kind aer_drv_from_name(const char *name)
{
    for (unsigned i = 0; i < AER_DRV__COUNT; i++)
        if (strcmp(rows[i].name, name) == 0)
            return (enum aer_drv_kind)i;
    return AER_DRV__COUNT;
}

bool aer_drv_has(enum aer_drv_kind k, enum aer_step s)
{
    return (unsigned)k < AER_DRV__COUNT && (unsigned)s < AER_STEP__COUNT && rows[k].has[s];
}

enum pci_ers aer_drv_vote(enum aer_drv_kind k, enum aer_step s)
{
    return aer_drv_has(k, s) ? rows[k].vote[s] : PCI_ERS_NONE;
}
