/*
 * host_pcie.h - a host's PCI Express hierarchy in a run: the Root Port
 * and functions of models/pcie/ built from the scenario's `pcie:` block,
 * dom0's AER service (guests/dom0/aer.h) bound to it, and what the
 * platform does with the Root Port's signals: the AER interrupt goes to
 * dom0's kernel, a system error becomes an NMI to Xen
 * (hv_nmi_pci_serr). The toolstack's answer to xen-pciback's aerState =
 * aerfail is policy.pcie.aerfail. Errors are handled when they occur;
 * no time passes (the AER path is not part of the latency model).
 */
#ifndef SIM_RUNTIME_HOST_PCIE_H
#define SIM_RUNTIME_HOST_PCIE_H

#include "guests/dom0/aer.h"
#include "hv/hv.h"
#include "models/pcie/pcie_bus.h"
#include "sim/results/run_result.h"
#include "sim/scenario/scenario.h"

struct host_pcie {
    const struct scenario *scn;
    const struct scn_host *cfg;
    struct hv *hv;
    void (*log)(void *ctx, const char *line); /* dom0's log */
    void *log_ctx;
    struct pcie_bus bus;
    struct aer aer;
    unsigned serr;               /* system errors the Root Port raised */
};

/* Builds the hierarchy (nothing when the host has no `pcie:`) and, under
 * policy.pcie.reporting aer, probes dom0's AER service; under serr the
 * firmware's Root Control enables system errors on non-fatal and fatal
 * messages and dom0 leaves the Root Port alone. */
void host_pcie_init(struct host_pcie *p, const struct scenario *s, unsigned host, struct hv *hv,
                    void (*log)(void *ctx, const char *line), void *log_ctx);
/* Function `dev` detects error `err` in a TLP with this header
 * (pcie_error: event). */
void host_pcie_error(struct host_pcie *p, unsigned dev, unsigned err, const uint32_t header[4]);
/* The functions' outcome into the host's record. */
void host_pcie_finish(const struct host_pcie *p, struct rr_host *h);

#endif
