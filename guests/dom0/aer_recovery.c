/*
 * aer_recovery.c - pcie_do_recovery of Linux v5.2 (drivers/pci/pcie/err.c)
 * for an uncorrectable error below dom0's Root Port: every function on
 * the Root Port's secondary bus gets error_detected (io_normal for a
 * non-fatal error, io_frozen for a fatal one) and the votes are merged
 * (merge_result: NO_AER_DRIVER wins and sticks, NONE abstains,
 * CAN_RECOVER and RECOVERED take the new vote, DISCONNECT yields only to
 * NEED_RESET). A fatal error then resets the link (aer_root_reset), whose
 * RECOVERED replaces the merged votes. CAN_RECOVER goes on to
 * mmio_enabled, NEED_RESET to slot_reset; anything but RECOVERED then is
 * "Device recovery failed" and the functions stay as they are (no panic:
 * err.c leaves a TODO there). On success every function gets resume, and
 * the Root Port's own Device Status and uncorrectable status are cleared
 * (pci_aer_clear_device_status, pci_cleanup_aer_uncorrect_error_status on
 * the port, not on the function that failed: in v5.2 its driver clears
 * that in its slot_reset, if it does).
 */
#include "guests/dom0/aer.h"

#include "arch/pcie_aer.h"

static enum pci_ers merge(enum pci_ers orig, enum pci_ers vote)
{
    if (vote == PCI_ERS_NO_AER_DRIVER)
        return PCI_ERS_NO_AER_DRIVER;
    if (vote == PCI_ERS_NONE)
        return orig;
    if (orig == PCI_ERS_CAN_RECOVER || orig == PCI_ERS_RECOVERED)
        return vote;
    if (orig == PCI_ERS_DISCONNECT && vote == PCI_ERS_NEED_RESET)
        return PCI_ERS_NEED_RESET;
    return orig;
}

/* One callback of one function's driver; has == false: no callback. */
static enum pci_ers call(struct aer *a, struct aer_dev *d, enum aer_step s, enum pci_channel state, bool *has)
{
    if (d->drv == AER_DRV_PCIBACK) {
        *has = true;
        d->log.calls[s]++;
        return aer_pciback_step(a, d, s, state);
    }
    *has = aer_drv_has(d->drv, s);
    if (!*has)
        return PCI_ERS_NONE;
    d->log.calls[s]++;
    return aer_drv_vote(d->drv, s);
}

/* report_error_detected: an endpoint without the callback votes NO_AER_DRIVER. */
static enum pci_ers walk_detected(struct aer *a, enum pci_channel state, enum pci_ers status)
{
    char b[16];
    for (unsigned i = 0; i < a->ndev; i++) {
        bool has;
        enum pci_ers v = call(a, &a->dev[i], AER_STEP_DETECTED, state, &has);
        if (!has) {
            v = PCI_ERS_NO_AER_DRIVER;
            aer_logf(a, "pci %s: AER: Can't recover (no error_detected callback)", aer_bdf(a->dev[i].rid, b));
        }
        status = merge(status, v);
    }
    return status;
}

static enum pci_ers walk(struct aer *a, enum aer_step s, enum pci_ers status)
{
    for (unsigned i = 0; i < a->ndev; i++) {
        bool has;
        enum pci_ers v = call(a, &a->dev[i], s, PCI_IO_NORMAL, &has);
        if (has && s != AER_STEP_RESUME)
            status = merge(status, v);
    }
    return status;
}

/* aer_root_reset: Root Port interrupts off, Secondary Bus Reset (with
 * pci_bus_reset's save and restore of the functions' configuration, here
 * their Device Control), Root Error Status cleared, interrupts on. */
static enum pci_ers root_reset(struct aer *a)
{
    char b[16];
    unsigned cmd = AER_CAP_BASE + AER_ROOT_CMD, devctl = PCIE_CAP_BASE + PCIE_DEVCTL;
    uint32_t saved[AER_MAX_DEVS];
    uint32_t rc = a->ops.cfg_read(a->ops.ctx, a->rp, cmd);
    a->ops.cfg_write(a->ops.ctx, a->rp, cmd, rc & ~(uint32_t)(AER_RCMD_COR | AER_RCMD_NONFATAL | AER_RCMD_FATAL));
    for (unsigned i = 0; i < a->ndev; i++)
        saved[i] = a->ops.cfg_read(a->ops.ctx, a->dev[i].rid, devctl) & 0xFFFFu;
    a->ops.bus_reset(a->ops.ctx);
    for (unsigned i = 0; i < a->ndev; i++)
        a->ops.cfg_write(a->ops.ctx, a->dev[i].rid, devctl, saved[i]);
    a->link_resets++;
    aer_logf(a, "pcieport %s: AER: Root Port link has been reset", aer_bdf(a->rp, b));
    unsigned st = AER_CAP_BASE + AER_ROOT_STATUS;
    a->ops.cfg_write(a->ops.ctx, a->rp, st, a->ops.cfg_read(a->ops.ctx, a->rp, st));
    a->ops.cfg_write(a->ops.ctx, a->rp, cmd,
                     a->ops.cfg_read(a->ops.ctx, a->rp, cmd) | AER_RCMD_COR | AER_RCMD_NONFATAL | AER_RCMD_FATAL);
    return PCI_ERS_RECOVERED;
}

/* pci_cleanup_aer_uncorrect_error_status on the port: the non-fatal bits
 * after io_normal, the fatal ones after io_frozen. */
static void clear_port(struct aer *a, enum pci_channel state)
{
    unsigned devctl = PCIE_CAP_BASE + PCIE_DEVCTL;
    a->ops.cfg_write(a->ops.ctx, a->rp, devctl, a->ops.cfg_read(a->ops.ctx, a->rp, devctl));
    uint32_t sev = a->ops.cfg_read(a->ops.ctx, a->rp, AER_CAP_BASE + AER_UE_SEVER);
    uint32_t st = a->ops.cfg_read(a->ops.ctx, a->rp, AER_CAP_BASE + AER_UE_STATUS);
    st &= state == PCI_IO_NORMAL ? ~sev : sev;
    if (st)
        a->ops.cfg_write(a->ops.ctx, a->rp, AER_CAP_BASE + AER_UE_STATUS, st);
}

void aer_do_recovery(struct aer *a, struct aer_dev *src, enum pci_channel state)
{
    char b[16];
    enum pci_ers status = walk_detected(a, state, PCI_ERS_CAN_RECOVER);
    if (state == PCI_IO_FROZEN)
        status = root_reset(a);
    if (status == PCI_ERS_CAN_RECOVER)
        status = walk(a, AER_STEP_MMIO, PCI_ERS_RECOVERED);
    if (status == PCI_ERS_NEED_RESET)
        status = walk(a, AER_STEP_SLOT_RESET, PCI_ERS_RECOVERED);
    if (status != PCI_ERS_RECOVERED) {
        src->log.failed++;
        a->failed++;
        aer_logf(a, "pcieport %s: AER: Device recovery failed", aer_bdf(a->rp, b));
        return;
    }
    walk(a, AER_STEP_RESUME, status);
    clear_port(a, state);
    src->log.recovered++;
    a->recovered++;
    aer_logf(a, "pcieport %s: AER: Device recovery successful", aer_bdf(a->rp, b));
}
