/*
 * pcie_aer.h - PCI Express error reporting as the PCI Express Base
 * Specification, Revision 4.0, lays it out: the Device Control and Device
 * Status registers of the PCI Express Capability (7.5.3.4, 7.5.3.5), the
 * Root Control register (7.5.3.12), and the Advanced Error Reporting
 * Extended Capability (7.8.4): its registers' offsets within the
 * capability and their bits. Constants only, shared by the device model
 * (models/pcie/) and dom0's AER driver (guests/dom0/).
 *
 * Where the capabilities sit in a function's configuration space is the
 * model's choice (a real device links them in a list): the PCI Express
 * Capability at PCIE_CAP_BASE, the AER capability at AER_CAP_BASE, the
 * first extended capability slot (7.6.3: extended capabilities start at
 * 100h).
 */
#ifndef ARCH_PCIE_AER_H
#define ARCH_PCIE_AER_H

#define PCIE_CAP_BASE 0x40u
#define AER_CAP_BASE 0x100u

/* PCI Express Capability registers (offsets from PCIE_CAP_BASE). The
 * 16-bit Device Control and Device Status share one dword (Control low). */
#define PCIE_DEVCTL 0x08u           /* 7.5.3.4; Device Status at +2, 7.5.3.5 */
#define PCIE_ROOTCTL 0x1Cu          /* 7.5.3.12 (Root Ports) */

/* Device Control: error reporting enables (7.5.3.4). */
#define PCIE_DEVCTL_CERE (1u << 0)  /* Correctable Error Reporting Enable */
#define PCIE_DEVCTL_NFERE (1u << 1) /* Non-Fatal Error Reporting Enable   */
#define PCIE_DEVCTL_FERE (1u << 2)  /* Fatal Error Reporting Enable       */
#define PCIE_DEVCTL_URRE (1u << 3)  /* Unsupported Request Reporting Enable */
/* Device Status: errors detected, whether masked or not (7.5.3.5). RW1C. */
#define PCIE_DEVSTA_CED (1u << 0)   /* Correctable Error Detected */
#define PCIE_DEVSTA_NFED (1u << 1)  /* Non-Fatal Error Detected   */
#define PCIE_DEVSTA_FED (1u << 2)   /* Fatal Error Detected       */
#define PCIE_DEVSTA_URD (1u << 3)   /* Unsupported Request Detected */
/* Root Control: system error on received error messages (7.5.3.12). */
#define PCIE_ROOTCTL_SECEE (1u << 0)  /* System Error on Correctable Error Enable */
#define PCIE_ROOTCTL_SENFEE (1u << 1) /* ... on Non-Fatal Error Enable            */
#define PCIE_ROOTCTL_SEFEE (1u << 2)  /* ... on Fatal Error Enable                */

/* AER capability registers (offsets from AER_CAP_BASE, 7.8.4). */
#define AER_UE_STATUS 0x04u  /* 7.8.4.2, RW1CS */
#define AER_UE_MASK 0x08u    /* 7.8.4.3, RWS   */
#define AER_UE_SEVER 0x0Cu   /* 7.8.4.4, RWS: 1 fatal, 0 non-fatal */
#define AER_CE_STATUS 0x10u  /* 7.8.4.5, RW1CS */
#define AER_CE_MASK 0x14u    /* 7.8.4.6, RWS   */
#define AER_CAP_CTL 0x18u    /* 7.8.4.7: First Error Pointer in bits 4:0 (ROS) */
#define AER_HEADER_LOG 0x1Cu /* 7.8.4.8: four dwords, ROS */
#define AER_ROOT_CMD 0x2Cu   /* 7.8.4.9 (Root Ports) */
#define AER_ROOT_STATUS 0x30u /* 7.8.4.10 (Root Ports), RW1CS */
#define AER_ERR_SRC 0x34u    /* 7.8.4.11 (Root Ports), ROS */
#define AER_CAP_SIZE 0x38u

#define AER_FEP_MASK 0x1Fu

/* Uncorrectable error bits (7.8.4.2; the same bit in Mask and Severity). */
#define AER_UE_DLP 4u         /* Data Link Protocol Error           */
#define AER_UE_SDES 5u        /* Surprise Down Error                */
#define AER_UE_POISON 12u     /* Poisoned TLP Received              */
#define AER_UE_FCP 13u        /* Flow Control Protocol Error        */
#define AER_UE_CTO 14u        /* Completion Timeout                 */
#define AER_UE_CA 15u         /* Completer Abort                    */
#define AER_UE_UC 16u         /* Unexpected Completion              */
#define AER_UE_RO 17u         /* Receiver Overflow                  */
#define AER_UE_MALF 18u       /* Malformed TLP                      */
#define AER_UE_ECRC 19u       /* ECRC Error                         */
#define AER_UE_UR 20u         /* Unsupported Request Error          */
#define AER_UE_ACS 21u        /* ACS Violation                      */
#define AER_UE_UIE 22u        /* Uncorrectable Internal Error       */
/* Default severity: the fatal ones (7.8.4.4: DLP, SDES, FCP, RO, MALF, UIE). */
#define AER_UE_SEVER_DEFAULT                                                                        \
    ((1u << AER_UE_DLP) | (1u << AER_UE_SDES) | (1u << AER_UE_FCP) | (1u << AER_UE_RO) |           \
     (1u << AER_UE_MALF) | (1u << AER_UE_UIE))
/* Default mask: Uncorrectable Internal Error masked (7.8.4.3). */
#define AER_UE_MASK_DEFAULT (1u << AER_UE_UIE)

/* Correctable error bits (7.8.4.5). */
#define AER_CE_RXERR 0u       /* Receiver Error                     */
#define AER_CE_BADTLP 6u      /* Bad TLP                            */
#define AER_CE_BADDLLP 7u     /* Bad DLLP                           */
#define AER_CE_REPLAY_ROLL 8u /* REPLAY_NUM Rollover                */
#define AER_CE_REPLAY_TO 12u  /* Replay Timer Timeout               */
#define AER_CE_ANFE 13u       /* Advisory Non-Fatal Error           */
#define AER_CE_CIE 14u        /* Corrected Internal Error           */
#define AER_CE_HLO 15u        /* Header Log Overflow                */
/* Default mask: ANFE, CIE and HLO masked (7.8.4.6). */
#define AER_CE_MASK_DEFAULT ((1u << AER_CE_ANFE) | (1u << AER_CE_CIE) | (1u << AER_CE_HLO))

/* Root Error Command (7.8.4.9): interrupt on received error messages. */
#define AER_RCMD_COR (1u << 0)      /* Correctable Error Reporting Enable */
#define AER_RCMD_NONFATAL (1u << 1) /* Non-Fatal Error Reporting Enable   */
#define AER_RCMD_FATAL (1u << 2)    /* Fatal Error Reporting Enable       */
/* Root Error Status (7.8.4.10). */
#define AER_RSTA_COR (1u << 0)        /* ERR_COR Received                  */
#define AER_RSTA_MULTI_COR (1u << 1)  /* Multiple ERR_COR Received         */
#define AER_RSTA_UNCOR (1u << 2)      /* ERR_FATAL/NONFATAL Received       */
#define AER_RSTA_MULTI_UNCOR (1u << 3) /* Multiple ERR_FATAL/NONFATAL Received */
#define AER_RSTA_FIRST_FATAL (1u << 4) /* First Uncorrectable Fatal        */
#define AER_RSTA_NONFATAL (1u << 5)   /* Non-Fatal Error Messages Received */
#define AER_RSTA_FATAL (1u << 6)      /* Fatal Error Messages Received     */
/* Error Source Identification (7.8.4.11): ERR_COR source in 15:0, the
 * ERR_FATAL/NONFATAL source in 31:16; each a Requester ID (bus:dev.fn). */
#define AER_SRC_COR(v) ((v) & 0xFFFFu)
#define AER_SRC_UNCOR(v) ((v) >> 16)

/* A Requester ID: bus 15:8, device 7:3, function 2:0. */
#define PCIE_RID(bus, dev, fn) ((unsigned)(((bus) << 8) | ((dev) << 3) | (fn)))

#endif
