/*
 * fw_ghes.h - an APEI Generic Hardware Error Source of a firmware-first
 * platform: its Generic Error Status Block holding one CPER record with a
 * memory error section, and the block's acknowledgement.
 *
 * ACPI 6.x 18.3.2.7 (Generic Hardware Error Source) and 18.3.2.8
 * (GHESv2): the firmware writes the error status block in firmware-reserved
 * memory and signals the notification (SCI, NMI, ...); OSPM reads it and
 * acknowledges it by clearing Block Status and, on GHESv2, by writing the
 * Read Ack register ((value & preserve) | write). Block Status (18.3.2.7.1,
 * "Generic Error Status Block"): bit 0 Uncorrectable Error Valid, bit 1
 * Correctable Error Valid, bit 2 Multiple Uncorrectable Errors, bit 3
 * Multiple Correctable Errors, bits 13:4 Error Data Entry Count.
 *
 * A second error while the block is still valid (not yet acknowledged):
 *   GHES (v1): the block cannot take it; the firmware only sets the
 *     Multiple ... Errors bit of its class; the error's data is lost
 *     (counted in `lost`), and no new notification is raised;
 *   GHESv2: the firmware waits for the Read Ack before it writes a new
 *     record (the reason GHESv2 exists: Linux 42aa560446, "acpi: apei:
 *     read ack upon ghes record consumption"), so the error is held (up to
 *     FW_GHES_HOLD of them, beyond that lost) and written, and notified,
 *     when the block is acknowledged.
 */
#ifndef MODELS_FW_FW_GHES_H
#define MODELS_FW_FW_GHES_H

#include <stdbool.h>
#include <stdint.h>

#define GHES_BS_UE (1u << 0)
#define GHES_BS_CE (1u << 1)
#define GHES_BS_MULTI_UE (1u << 2)
#define GHES_BS_MULTI_CE (1u << 3)
#define GHES_BS_COUNT_SHIFT 4
#define GHES_BS_COUNT_MASK (0x3FFu << GHES_BS_COUNT_SHIFT)

/* Error Severity of the block and of a Generic Error Data Entry (ACPI
 * 18.3.2.7.1): 0 recoverable, 1 fatal, 2 corrected, 3 none. */
enum cper_sev { CPER_SEV_RECOVERABLE = 0, CPER_SEV_FATAL, CPER_SEV_CORRECTED, CPER_SEV_NONE };

/* The Memory Error Section of the CPER record (UEFI spec appendix N,
 * "Memory Error Section"): what is modelled of it. */
#define CPER_MEM_VALID_PA (1ull << 1)   /* Validation Bits: Physical Address Valid */
struct cper_mem_section {
    uint64_t validation;
    uint64_t physical_addr;
};

struct ghes_status_block {
    uint32_t block_status;
    uint32_t error_severity;
    struct cper_mem_section mem;    /* the one Generic Error Data Entry */
    uint64_t id;                    /* the error's number, from 1 (not ACPI's) */
    uint64_t t_ps;                  /* when the firmware wrote it          */
};

#define FW_GHES_HOLD 16

struct fw_ghes_stats {
    uint64_t raised, written, held, lost, acked, notified;
};

struct fw_ghes {
    bool v2;
    struct ghes_status_block blk;
    uint64_t read_ack;              /* the Read Ack register (v2)          */
    bool awaiting_ack;              /* v2: written, Read Ack not yet written */
    struct ghes_status_block hold[FW_GHES_HOLD];
    unsigned hold_head, nhold;
    uint64_t next_id;
    struct fw_ghes_stats stats;
};

enum fw_ghes_raised {
    FW_GHES_NOTIFY = 0, /* written: the caller raises the notification */
    FW_GHES_HELD,       /* v2: waits for the Read Ack                   */
    FW_GHES_LOST,       /* v1 block busy (Multiple bit set), or v2 hold full */
};

void fw_ghes_init(struct fw_ghes *g, bool v2);
/* The firmware found an error (a memory error at pa when has_pa). */
enum fw_ghes_raised fw_ghes_raise(struct fw_ghes *g, enum cper_sev sev, bool has_pa, uint64_t pa, uint64_t t_ps);
/* OSPM reads the block: 0, or -ENOENT when Block Status is 0. */
int fw_ghes_read(const struct fw_ghes *g, struct ghes_status_block *out);
/* OSPM acknowledges: clears Block Status, writes Read Ack (v2). 1 when
 * the firmware then wrote a held error (the caller notifies again), 0
 * when not, -ENOENT when there was nothing to acknowledge. */
int fw_ghes_ack(struct fw_ghes *g, uint64_t t_ps);
/* The block holds an unacknowledged error. */
bool fw_ghes_valid(const struct fw_ghes *g);
/* Errors still in firmware: the block's and the held ones. */
unsigned fw_ghes_outstanding(const struct fw_ghes *g);

#endif
