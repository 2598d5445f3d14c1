/*
 * aer.h - dom0's PCI Express Advanced Error Reporting, as Linux's
 * pcieport AER service does it (Linux v5.2, drivers/pci/pcie/aer.c and
 * err.c), with xen-pciback's error handlers for devices passed through to
 * a guest (drivers/xen/xen-pciback/pci_stub.c). Xen itself has no AER
 * handling: the Root Port's AER interrupt goes to dom0's kernel.
 *
 * aer_probe (aer_enable_rootport): clear the Root Port's Device Status and
 * AER status registers, turn off system errors on error messages in Root
 * Control, turn on the Root Port's interrupt for every message in Root
 * Error Command. The interrupt (aer_irq, then aer_isr_one_error): read and
 * clear Root Error Status, read Error Source Identification; correctable
 * first, then uncorrectable (fatal when Fatal Error Messages Received);
 * find the source (find_source_device: the function whose unmasked status
 * matches, every such function when Multiple is set); read its AER
 * registers (aer_get_device_error_info: a fatal error's status is read
 * only from ports, the link of an endpoint may be down), print, then
 * handle_error_source: a correctable error is cleared and logged, a
 * non-fatal one goes to pcie_do_recovery with io_normal, a fatal one with
 * io_frozen and the Root Port's link reset (aer_root_reset).
 *
 * pcie_do_recovery (aer_recovery.c) walks every function below the Root
 * Port with the drivers' callbacks and merges their votes (merge_result).
 * A function's driver is data (enum aer_drv_kind and its row), or
 * xen-pciback, whose callbacks forward each step to the owning guest's
 * pcifront or ask the toolstack to kill the guest (aer_pciback.c).
 *
 * The seam to the machine (struct aer_ops): configuration space, the
 * Secondary Bus Reset, dom0's kernel log, the xenstore write of
 * kill_domain_by_device and the pcifront ring of a guest.
 */
#ifndef GUESTS_DOM0_AER_H
#define GUESTS_DOM0_AER_H

#include <stdbool.h>
#include <stdint.h>

/* Linux's pci_ers_result_t and pci_channel_state_t (include/linux/pci.h). */
enum pci_ers {
    PCI_ERS_NONE = 1, PCI_ERS_CAN_RECOVER, PCI_ERS_NEED_RESET, PCI_ERS_DISCONNECT, PCI_ERS_RECOVERED,
    PCI_ERS_NO_AER_DRIVER, PCI_ERS__END
};
const char *pci_ers_name(enum pci_ers r); /* "can-recover", ... */
enum pci_channel { PCI_IO_NORMAL = 1, PCI_IO_FROZEN };

/* The callbacks of struct pci_error_handlers, in the order recovery calls them. */
enum aer_step { AER_STEP_DETECTED = 0, AER_STEP_MMIO, AER_STEP_SLOT_RESET, AER_STEP_RESUME, AER_STEP__COUNT };

/* What drives a function, as rows of aer_drivers.c. */
enum aer_drv_kind {
    AER_DRV_RECOVERS = 0,   /* handlers; error_detected CAN_RECOVER, mmio_enabled RECOVERED */
    AER_DRV_NEEDS_RESET,    /* error_detected NEED_RESET, slot_reset RECOVERED */
    AER_DRV_DISCONNECTS,    /* error_detected DISCONNECT: gives the device up */
    AER_DRV_NO_HANDLER,     /* a driver without error handlers */
    AER_DRV_UNBOUND,        /* no driver at all */
    AER_DRV_PCIBACK,        /* xen-pciback: the device is passed through */
    AER_DRV__COUNT
};
const char *aer_drv_name(enum aer_drv_kind k);
enum aer_drv_kind aer_drv_from_name(const char *name); /* AER_DRV__COUNT: unknown */
/* A driver's vote at a step (resume has none: PCI_ERS_NONE); absent
 * callbacks are told apart by aer_drv_has. Not for AER_DRV_PCIBACK. */
enum pci_ers aer_drv_vote(enum aer_drv_kind k, enum aer_step s);
bool aer_drv_has(enum aer_drv_kind k, enum aer_step s);

#define AER_MAX_DEVS 16

/* What happened to one function, for the run's record. */
struct aer_dev_log {
    unsigned cor, nonfatal, fatal;      /* errors dom0 found it the source of */
    unsigned calls[AER_STEP__COUNT];    /* callbacks its driver got */
    unsigned guest_calls[AER_STEP__COUNT]; /* steps pcifront got (pass-through) */
    unsigned kills;                     /* kill_domain_by_device (aerState = aerfail) */
    unsigned recovered, failed;         /* pcie_do_recovery's outcome for its errors */
};

struct aer_dev {
    unsigned rid;
    unsigned owner;              /* domid; 0: dom0 */
    enum aer_drv_kind drv;       /* dom0's driver (AER_DRV_PCIBACK when owner != 0) */
    enum aer_drv_kind guest_drv; /* pass-through: the guest's driver behind pcifront */
    bool frontend;               /* pass-through: a pcifront is connected (PV); false: HVM */
    struct aer_dev_log log;
};

struct aer_ops {
    void *ctx;
    uint32_t (*cfg_read)(void *ctx, unsigned rid, unsigned off);
    void (*cfg_write)(void *ctx, unsigned rid, unsigned off, uint32_t v);
    void (*bus_reset)(void *ctx);                  /* Secondary Bus Reset at the Root Port */
    void (*log)(void *ctx, const char *line);      /* dom0's kernel log */
    void (*aerfail)(void *ctx, unsigned domid);    /* xenstore: .../backend/pci/<domid>/0/aerState = aerfail */
};

struct aer {
    struct aer_ops ops;
    unsigned rp;                 /* the Root Port's RID */
    struct aer_dev dev[AER_MAX_DEVS];
    unsigned ndev;
    bool probed;                 /* the AER service is loaded */
    unsigned interrupts, link_resets, recovered, failed;
};

void aer_init(struct aer *a, const struct aer_ops *ops, unsigned rp_rid);
/* A function below the Root Port (owner 0: dom0's driver drv; else
 * pass-through with xen-pciback, the guest's driver guest_drv behind a
 * pcifront when frontend). Its index, or -1 when full. */
int aer_add_dev(struct aer *a, unsigned rid, unsigned owner, enum aer_drv_kind drv, enum aer_drv_kind guest_drv,
                bool frontend);
/* The AER service binds to the Root Port (aer_probe). */
void aer_probe(struct aer *a);
/* The Root Port's AER interrupt. */
void aer_irq(struct aer *a);

/* aer_recovery.c: pcie_do_recovery for an error whose source is dev. */
void aer_do_recovery(struct aer *a, struct aer_dev *src, enum pci_channel state);
/* aer_pciback.c: xen-pciback's callback `s` for a passed-through function. */
enum pci_ers aer_pciback_step(struct aer *a, struct aer_dev *d, enum aer_step s, enum pci_channel state);

/* Helpers shared by the three files. */
void aer_logf(struct aer *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *aer_bdf(unsigned rid, char buf[16]);   /* "0000:01:00.0" */

#endif
