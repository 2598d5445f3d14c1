/*
 * pcie_fn.h - one PCI Express function's error logging and signalling
 * (PCI Express Base Specification r4.0, 6.2), with the registers software
 * sees in its configuration space (arch/pcie_aer.h): Device Control and
 * Device Status, the AER capability, and for a Root Port the Root
 * Control, Root Error Command, Root Error Status and Error Source
 * Identification registers.
 *
 * A function that detects an error follows Figure 6-2 of 6.2.5: it notes
 * the error in Device Status whether masked or not; sets the error's bit
 * in its Correctable or Uncorrectable Error Status; a masked error stops
 * there (7.8.4.3, 7.8.4.6); an unmasked uncorrectable one takes the First
 * Error Pointer and the Header Log when no unmasked error is recorded yet
 * (7.8.4.7, 7.8.4.8); then the error message goes upstream if Device
 * Control enables it (ERR_COR, ERR_NONFATAL or ERR_FATAL by the Severity
 * register, 6.2.2.2). A Root Port that receives a message records it in
 * Root Error Status and Error Source Identification (6.2.4.1, 7.8.4.10,
 * 7.8.4.11) and raises its AER interrupt when Root Error Command enables
 * it (7.8.4.9), a system error when Root Control does (6.2.6, 7.5.3.12).
 *
 * Not modelled: Advisory Non-Fatal handling of uncorrectable errors
 * (6.2.3.2.4), Header Log Overflow, multiple header recording, TLP Prefix
 * Log, the Command register's SERR# Enable, ECRC generation and checking
 * controls.
 */
#ifndef MODELS_PCIE_FN_H
#define MODELS_PCIE_FN_H

#include <stdbool.h>
#include <stdint.h>

/* An error message on the link (6.2.3.2), in order of severity. */
enum pcie_msg { PCIE_MSG_NONE = 0, PCIE_MSG_COR, PCIE_MSG_NONFATAL, PCIE_MSG_FATAL, PCIE_MSG__COUNT };
const char *pcie_msg_name(enum pcie_msg m); /* "none", "ERR_COR", ... */

/* What a Root Port does on receiving a message. */
enum { PCIE_SIG_IRQ = 1u, PCIE_SIG_SERR = 2u };

struct pcie_fn {
    unsigned rid;               /* Requester ID, PCIE_RID() */
    bool root_port;
    uint16_t devctl, devsta;    /* error bits only (3:0) */
    uint16_t rootctl;           /* Root Ports */
    uint32_t ue_status, ue_mask, ue_sever;
    uint32_t ce_status, ce_mask;
    uint32_t cap_ctl;           /* First Error Pointer in 4:0 */
    uint32_t hdr[4];            /* Header Log */
    uint32_t root_cmd, root_status, err_src; /* Root Ports */
    unsigned hot_resets;        /* conventional resets seen (link resets) */
};

/* Registers at their reset values (the defaults of 7.8.4.3, 7.8.4.4,
 * 7.8.4.6; Device Control 0: no error is reported until software
 * enables it). */
void pcie_fn_init(struct pcie_fn *f, unsigned rid, bool root_port);

/* The function detects error `err` (an index of pcie_errors.h's table);
 * hdr is the TLP header of the request, logged for errors that log one
 * (NULL: zeros). Returns the message it sends upstream. */
enum pcie_msg pcie_fn_detect(struct pcie_fn *f, unsigned err, const uint32_t hdr[4]);

/* A Root Port receives `m` from Requester `src`: PCIE_SIG_* bits. */
unsigned pcie_fn_receive(struct pcie_fn *rp, enum pcie_msg m, unsigned src);

/* Configuration dword at offset off (dword aligned); unimplemented
 * registers read 0 and ignore writes. Status bits are write-1-to-clear. */
uint32_t pcie_fn_read(const struct pcie_fn *f, unsigned off);
void pcie_fn_write(struct pcie_fn *f, unsigned off, uint32_t v);

/* A conventional (hot) reset, as a secondary bus reset gives the
 * functions below a port: non-sticky registers return to their defaults
 * (Device Control, Device Status, Root Control and Root Error Command);
 * the AER status, mask, severity, log and source registers are sticky
 * (RW1CS, RWS, ROS: 7.8.4) and keep their values. */
void pcie_fn_hot_reset(struct pcie_fn *f);

/* Whether an unmasked uncorrectable error is recorded (the bit the First
 * Error Pointer names is set). */
bool pcie_fn_fep_valid(const struct pcie_fn *f);

#endif
