/*
 * decode.h - the parts of `mcasim decode` (cmd_decode.c): the register set
 * it decodes, read from options or from a record on stdin
 * (decode_record.c), and AMD's reading of a status (decode_amd.c).
 */
#ifndef SIM_CLI_DECODE_H
#define SIM_CLI_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arch/x86_context.h"
#include "hv/severity.h"
#include "models/cpu/cpu_mca.h"

struct decode_in {
    uint64_t status, mcg_status, addr, misc, mcg_cap;
    bool have_status, have_mcg, have_cap, addr_given, misc_given, model_given;
    int cpu_index, bank;        /* from a record: -1 when not said */
    struct cpu_model_id cpu;
    bool vendor_given;          /* --vendor, --cpu or the record named it */
    enum x86_exec_ctx ctx;
    enum sev_path path;
    bool path_given;            /* --mce or --poll */
    bool json;
    const struct sev_table *table; /* --policy: xen (default) or linux */
    const char *source;         /* "options", "mcelog record", "QEMU mce line" */
};

/* Read one record from f: an mcelog text record (its "CPU n BANK n",
 * "MISC/ADDR", "STATUS x MCGSTATUS y", "MCGCAP", "CPUID Vendor ..." or
 * "PROCESSOR v:id" lines; hex as mcelog prints it) or a QEMU monitor
 * "mce [-b] cpu bank status mcgstatus addr misc" line. Fills what it
 * finds into d. 0, or -1 with a message in why. */
int decode_read_record(FILE *f, struct decode_in *d, char *why, size_t len);

/* AMD: the status bits by AMD's names, and the grade (rules of
 * decode_amd.c, after Xen's mce_amd.c and the AMD64 APM). */
void decode_amd_flags(uint64_t status, char *buf, size_t len);
struct sev_result decode_amd_grade(const struct decode_in *d);

#endif
