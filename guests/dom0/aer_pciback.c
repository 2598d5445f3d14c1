/*
 * aer_pciback.c - xen-pciback's error handlers (Linux
 * drivers/xen/xen-pciback/pci_stub.c: xen_pcibk_error_detected,
 * xen_pcibk_mmio_enabled, xen_pcibk_slot_reset, xen_pcibk_error_resume,
 * common_process, kill_domain_by_device) for a function dom0 gave to a
 * guest. Each step:
 *   - no pcifront connected (the shared page is missing: an HVM guest,
 *     whose pci backend libxl creates all the same,
 *     libxl__device_pci_add_xenstore): "device is not connected or owned
 *     by HVM, kill it";
 *   - otherwise the step goes to the guest's pcifront
 *     (pcifront_common_process in drivers/pci/xen-pcifront.c), which calls
 *     the guest driver's callback, or answers NONE when the guest's
 *     device has no driver or no error handlers; pcifront always
 *     advertises an AER handler (alloc_pdev sets _XEN_PCIB_AERHANDLER), so
 *     the "no aer driver" branches of pciback are not taken;
 *   - a NONE or DISCONNECT answer to error_detected, mmio_enabled or
 *     slot_reset kills the guest.
 * Killing is a xenstore write (aerState = "aerfail" under dom0's pci
 * backend node of the guest), which dom0's log notes (mcasim's line:
 * the kernel prints nothing there); what follows is the toolstack's business
 * (struct aer_ops.aerfail, policy.pcie.aerfail). Without an answer from
 * the guest a step returns the value it started with: CAN_RECOVER for
 * error_detected, RECOVERED for the others.
 */
#include "guests/dom0/aer.h"

static void kill_domain(struct aer *a, struct aer_dev *d)
{
    d->log.kills++;
    aer_logf(a, "xenstore: /local/domain/0/backend/pci/%u/0/aerState = aerfail", d->owner);
    if (a->ops.aerfail)
        a->ops.aerfail(a->ops.ctx, d->owner);
}

/* pcifront in the guest: its driver's callback, or NONE. */
static enum pci_ers frontend(struct aer_dev *d, enum aer_step s)
{
    d->log.guest_calls[s]++;
    return aer_drv_has(d->guest_drv, s) ? aer_drv_vote(d->guest_drv, s) : PCI_ERS_NONE;
}

enum pci_ers aer_pciback_step(struct aer *a, struct aer_dev *d, enum aer_step s, enum pci_channel state)
{
    (void)state;
    char b[16];
    enum pci_ers start = s == AER_STEP_DETECTED ? PCI_ERS_CAN_RECOVER : PCI_ERS_RECOVERED;
    if (!d->frontend) {
        aer_logf(a, "pciback %s: pciback device is not connected or owned by HVM, kill it", aer_bdf(d->rid, b));
        kill_domain(a, d);
        return start;
    }
    enum pci_ers r = frontend(d, s);
    if (s == AER_STEP_RESUME)
        return start;
    if (r == PCI_ERS_NONE || r == PCI_ERS_DISCONNECT)
        kill_domain(a, d); /* pciback says why only in dev_dbg ("No AER ... service or disconnected!") */
    return r;
}
