/*
 * pcie_bus.h - a PCI Express hierarchy of one Root Port and the
 * functions on its secondary bus: the path an error takes from the
 * function that detects it, as an error message, to the Root Port
 * (6.2.4.1, 6.2.5), and configuration access by Requester ID as software
 * makes it. The Root Port's Secondary Bus Reset (a link reset, 6.6.1 and
 * the Bridge Control register of the Type 1 header) gives every function
 * below it a conventional reset.
 */
#ifndef MODELS_PCIE_BUS_H
#define MODELS_PCIE_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "models/pcie/pcie_fn.h"

#define PCIE_BUS_MAX_FNS 16

struct pcie_bus {
    struct pcie_fn rp;                      /* the Root Port */
    struct pcie_fn fn[PCIE_BUS_MAX_FNS];    /* functions below it */
    unsigned nfn;
    unsigned link_resets;                   /* secondary bus resets */
};

/* What one detected error did on the way up. */
struct pcie_report {
    enum pcie_msg msg;          /* the message the function sent */
    unsigned signals;           /* PCIE_SIG_* the Root Port raised */
};

void pcie_bus_init(struct pcie_bus *b, unsigned rp_rid);
/* Adds a function: its index, or -1 when full or the RID is taken. */
int pcie_bus_add(struct pcie_bus *b, unsigned rid);
/* The function with that Requester ID (the Root Port included), or NULL. */
struct pcie_fn *pcie_bus_fn(struct pcie_bus *b, unsigned rid);
/* Function `i` detects error `err`; hdr as pcie_fn_detect. */
struct pcie_report pcie_bus_detect(struct pcie_bus *b, unsigned i, unsigned err, const uint32_t hdr[4]);
/* Configuration access; a RID nobody answers reads all ones (a
 * Configuration Request to no function completes as Unsupported Request,
 * which the Root Complex returns as all ones, 2.3.2). */
uint32_t pcie_bus_cfg_read(struct pcie_bus *b, unsigned rid, unsigned off);
void pcie_bus_cfg_write(struct pcie_bus *b, unsigned rid, unsigned off, uint32_t v);
/* Secondary Bus Reset at the Root Port: a hot reset of every function below. */
void pcie_bus_link_reset(struct pcie_bus *b);

#endif
