/*
 * x86_mca.h - architectural machine-check constants (Intel SDM Vol. 3B,
 * chapters 15-16), shared by the hardware models, the hosted hypervisor and
 * the guest models. Facts only: MSR numbers and bit positions. Each value was
 * checked against the SDM's tables and Linux's arch/x86/include/asm/mce.h.
 *
 * This folder holds nothing but such constants, so that models/, hv/ and
 * guests/ can share them without depending on each other.
 */
#ifndef ARCH_X86_MCA_H
#define ARCH_X86_MCA_H

#include <stdint.h>

/* MSR numbers. */
#define MSR_IA32_P5_MC_ADDR 0x0u
#define MSR_IA32_P5_MC_TYPE 0x1u
#define MSR_IA32_MCG_CAP 0x179u
#define MSR_IA32_MCG_STATUS 0x17Au
#define MSR_IA32_MCG_CTL 0x17Bu
#define MSR_IA32_MCG_EXT_CTL 0x4D0u
#define MSR_IA32_MC0_CTL 0x400u
#define MSR_IA32_MC0_CTL2 0x280u
#define MCA_MAX_BANKS 32u
#define MSR_IA32_MCx_CTL(i) (MSR_IA32_MC0_CTL + 4u * (i))
#define MSR_IA32_MCx_STATUS(i) (MSR_IA32_MC0_CTL + 4u * (i) + 1u)
#define MSR_IA32_MCx_ADDR(i) (MSR_IA32_MC0_CTL + 4u * (i) + 2u)
#define MSR_IA32_MCx_MISC(i) (MSR_IA32_MC0_CTL + 4u * (i) + 3u)
#define MSR_IA32_MCx_CTL2(i) (MSR_IA32_MC0_CTL2 + (i))

/* IA32_MCG_CAP */
#define MCG_CAP_COUNT_MASK 0xFFull
#define MCG_CTL_P (1ull << 8)
#define MCG_EXT_P (1ull << 9)
#define MCG_CMCI_P (1ull << 10)
#define MCG_TES_P (1ull << 11)
#define MCG_SER_P (1ull << 24)
#define MCG_EMC_P (1ull << 25)
#define MCG_ELOG_P (1ull << 26)
#define MCG_LMCE_P (1ull << 27)

/* IA32_MCG_STATUS */
#define MCG_STATUS_RIPV (1ull << 0)
#define MCG_STATUS_EIPV (1ull << 1)
#define MCG_STATUS_MCIP (1ull << 2)
#define MCG_STATUS_LMCES (1ull << 3)

/* IA32_MCG_EXT_CTL */
#define MCG_EXT_CTL_LMCE_EN (1ull << 0)

/* IA32_MCi_STATUS */
#define MCI_STATUS_VAL (1ull << 63)
#define MCI_STATUS_OVER (1ull << 62)
#define MCI_STATUS_UC (1ull << 61)
#define MCI_STATUS_EN (1ull << 60)
#define MCI_STATUS_MISCV (1ull << 59)
#define MCI_STATUS_ADDRV (1ull << 58)
#define MCI_STATUS_PCC (1ull << 57)
#define MCI_STATUS_S (1ull << 56)
#define MCI_STATUS_AR (1ull << 55)
#define MCI_STATUS_TES_SHIFT 53
#define MCI_STATUS_TES_MASK (3ull << 53)
#define MCI_STATUS_FWST (1ull << 37) /* firmware updated the error (SER_P parts; mcelog's FWST) */
#define MCI_STATUS_CEC_SHIFT 38
#define MCI_STATUS_CEC_MASK (0x7FFFull << 38) /* bits 52:38 */
#define MCI_STATUS_MSCOD_SHIFT 16
#define MCI_STATUS_MSCOD_MASK (0xFFFFull << 16)
#define MCI_STATUS_MCACOD_MASK 0xFFFFull

/* MCACODs that recovery depends on (SDM table 15-20). */
#define MCACOD_SCRUB 0x00C0u      /* memory patrol scrub, low nibble = channel */
#define MCACOD_SCRUB_MASK 0xFFF0u
#define MCACOD_L3_WB 0x017Au      /* LLC explicit writeback */
#define MCACOD_DATA_LOAD 0x0134u  /* data load (DCU) */
#define MCACOD_INSN_FETCH 0x0150u /* instruction fetch (IFU) */
#define MCACOD_FILTER (1u << 12)

/* IA32_MCi_MISC with SER_P */
#define MCI_MISC_LSB_MASK 0x3Full
#define MCI_MISC_MODE_SHIFT 6
#define MCI_MISC_MODE_MASK (7ull << 6)
#define MCI_MISC_MODE_PHYS 2ull

/* IA32_MCi_CTL2 */
#define MCI_CTL2_THRESHOLD_MASK 0x7FFFull
#define MCI_CTL2_CMCI_EN (1ull << 30)

/* AMD (AMD64 APM vol. 2 ch. 9, the family 0Fh/10h BKDGs): the MCi_MISC
 * of a bank with an error-threshold counter (MC4_MISC, the northbridge's,
 * on K8 and family 10h) and the per-bank error mask MSRs of family 10h. */
#define AMD_MISC_VALID (1ull << 63)        /* the register is implemented   */
#define AMD_MISC_CNTP (1ull << 62)         /* an error counter is present   */
#define AMD_MISC_LOCKED (1ull << 61)       /* locked by the BIOS            */
#define AMD_MISC_CNTEN (1ull << 51)        /* the counter counts            */
#define AMD_MISC_INTTYPE_MASK (3ull << 49) /* interrupt on overflow: none = 0 */
#define AMD_MISC_ERRCNT_SHIFT 32
#define AMD_MISC_ERRCNT_MASK (0xFFFull << 32)
#define MSR_AMD64_MC0_MASK 0xC0010044u
#define MSR_AMD64_MCx_MASK(i) (MSR_AMD64_MC0_MASK + (i))

/* Exception vector of #MC. */
#define X86_VECTOR_MC 18u

static inline uint16_t mci_mcacod(uint64_t status) { return (uint16_t)(status & MCI_STATUS_MCACOD_MASK); }
static inline uint16_t mci_mscod(uint64_t status) { return (uint16_t)((status & MCI_STATUS_MSCOD_MASK) >> MCI_STATUS_MSCOD_SHIFT); }
static inline unsigned mci_cec(uint64_t status) { return (unsigned)((status & MCI_STATUS_CEC_MASK) >> MCI_STATUS_CEC_SHIFT); }

#endif
