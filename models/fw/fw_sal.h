/*
 * fw_sal.h - the platform firmware's error record log of a firmware-first
 * platform: the SAL_GET_STATE_INFO / SAL_CLEAR_STATE_INFO model.
 *
 * Under firmware-first reporting (ACPI 6.x 18.3.2.1-2: FIRMWARE_FIRST in
 * the HEST; on IA-64 the SAL error record interface) the firmware, not the
 * OS, reads the error out of the hardware and keeps a record of it. The
 * OS learns of it by interrupt (CMC, CPE) or by polling, reads the oldest
 * record of a type on a CPU with get-state-info and frees it with
 * clear-state-info.
 *
 * struct fw_sal keeps, per CPU and per record type, a FIFO of records in
 * a log area of `state_info_size` bytes holding records of `record_size`
 * bytes: capacity = state_info_size / record_size (the SAL_GET_STATE_INFO_SIZE
 * analogue). Invariants: a record is freed only by clear-state-info, and
 * only after get-state-info returned it (the OS has it); a record that
 * finds the log full is not stored and is counted in `lost`, never
 * dropped silently.
 */
#ifndef MODELS_FW_FW_SAL_H
#define MODELS_FW_FW_SAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Record types of the SAL log (SAL_INFO_TYPE_CMC, SAL_INFO_TYPE_CPE). */
enum fw_sal_type { FW_SAL_CMC = 0, FW_SAL_CPE, FW_SAL__TYPES };
const char *fw_sal_type_name(enum fw_sal_type t);

struct fw_sal_record {
    uint64_t id;            /* from 1, in logging order over the platform */
    unsigned cpu;
    enum fw_sal_type type;
    uint64_t t_ps;          /* when the firmware logged it */
    uint64_t addr;          /* physical address, when has_addr */
    bool has_addr;
    bool read;              /* get-state-info returned it */
};

struct fw_sal_stats {
    uint64_t logged, lost, read, cleared;
    uint64_t clear_refused; /* clear-state-info of a record nobody read */
};

struct fw_sal_log {
    struct fw_sal_record *slot;
    unsigned head, n;
};

struct fw_sal {
    unsigned ncpus, cap;
    size_t state_info_size, record_size;
    struct fw_sal_log *log;     /* ncpus * FW_SAL__TYPES */
    uint64_t next_id;
    struct fw_sal_stats stats[FW_SAL__TYPES];
};

/* 0, or -1 (bad sizes: record_size 0 or larger than state_info_size, no
 * CPUs; out of memory). */
int fw_sal_init(struct fw_sal *f, unsigned ncpus, size_t state_info_size, size_t record_size);
void fw_sal_fini(struct fw_sal *f);

/* SAL_GET_STATE_INFO_SIZE: the bytes of log one CPU has for a type. */
size_t fw_sal_state_info_size(const struct fw_sal *f);

/* The firmware logs an error: the record's id (> 0), or 0 when the CPU's
 * log of that type is full (counted in stats.lost). */
uint64_t fw_sal_log(struct fw_sal *f, unsigned cpu, enum fw_sal_type type, uint64_t t_ps, bool has_addr,
                    uint64_t addr);
/* SAL_GET_STATE_INFO on `cpu`: the oldest record of the type into *out,
 * marked read. 0, or -ENOENT when there is none. */
int fw_sal_get(struct fw_sal *f, unsigned cpu, enum fw_sal_type type, struct fw_sal_record *out);
/* SAL_CLEAR_STATE_INFO on `cpu`: frees the oldest record of the type.
 * 0; -ENOENT when there is none; -EBUSY when it was never read (nothing
 * freed). */
int fw_sal_clear(struct fw_sal *f, unsigned cpu, enum fw_sal_type type);
/* Records the CPU's log holds for the type. */
unsigned fw_sal_count(const struct fw_sal *f, unsigned cpu, enum fw_sal_type type);
/* Records held over every CPU and type (what is left at the end). */
unsigned fw_sal_held(const struct fw_sal *f);

#endif
