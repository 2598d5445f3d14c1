/*
 * mcelog_decode.h - one bank of a machine-check record as the text mcelog
 * prints for it, so users and tests read the output they know from real
 * systems, and the parts of an MCA error code by the names mcelog and
 * rasdaemon give them (ras_decode.h words them rasdaemon's way).
 */
#ifndef GUESTS_DOM0_MCELOG_DECODE_H
#define GUESTS_DOM0_MCELOG_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/public/mca_abi.h"

/* The kinds of MCA error code (SDM Vol. 3B 15.9.2), in the order mcelog
 * tests them. */
enum mca_code_kind {
    MCK_SIMPLE = 0,    /* codes 0..6 of the SDM's simple-code table        */
    MCK_GENERIC_CACHE, /* 0000 0000 0000 11LL                              */
    MCK_TLB,           /* 0000 0000 0001 TTLL                              */
    MCK_CACHE,         /* 0000 0001 RRRR TTLL                              */
    MCK_MEM_AS_CACHE,  /* 0000 0010 1MMM CCCC (mcelog only)                */
    MCK_INTERNAL,      /* 0000 01xx xxxx xxxx (0x0400: internal timer)     */
    MCK_BUS,           /* 0000 1PPT RRRR IILL                              */
    MCK_MEMCTL,        /* 0000 0000 1MMM CCCC                              */
    MCK_UNKNOWN,
};

/* An MCA error code split into its fields, each as a name. */
struct mca_code {
    enum mca_code_kind kind;
    bool filtered;           /* bit 12: corrected filtering               */
    uint16_t code;           /* MCACOD without bit 12                     */
    const char *simple;      /* MCK_SIMPLE                                */
    const char *tt, *ll, *rrrr, *pp, *ii, *t;
    const char *mmm, *mmm_desc; /* memory controller: "MS", "Memory scrubbing error" */
    char channel[12];        /* memory controller: "unspecified" or the number */
};
void mca_code_split(uint16_t mcacod, struct mca_code *c);

/* An I/O MCA (bus error 0x0E0B, filtering bit aside, with MISCV): MISC
 * names the PCIe root port that reported it, "IO MCA reported by root
 * port SEG:BUS:DEV.FN" in mcelog's and rasdaemon's words (MISC bits 39:32,
 * 31:24, 23:19, 18:16; Intel's enhanced MCA logging paper). */
bool mca_io_root_port(uint64_t status, uint64_t misc, char *buf, size_t len);

/* mcasim's hosts are one package of single-thread cores whose APIC IDs
 * are their CPU numbers (QEMU's numbering for -smp N): what Xen logs as
 * mc_apicid and mc_chipid and Linux passes on as APICID and SOCKETID. */
static inline unsigned mcelog_apicid(unsigned cpu) { return cpu; }
static inline unsigned mcelog_socketid(unsigned cpu) { return (void)cpu, 0u; }

/* The error code's text on mcelog's "MCA:" line, e.g. "MEMORY CONTROLLER
 * MS_CHANNELunspecified_ERR" for 0x00CF, "Generic CACHE Level-2 Eviction
 * Error" for 0x017A; a bus error names the socket and CPU (`cpu`). The
 * lines mcelog adds ("corrected filtering ...", "Transaction: ...") are
 * mcelog_format's. */
void mcelog_mcacod_text(uint16_t mcacod, unsigned cpu, char *buf, size_t len);

/* Flag names of MCi_STATUS / MCG_STATUS, space separated (mcasim decode). */
void mcelog_status_flags(uint64_t status, uint64_t mcg_cap, char *buf, size_t len);
void mcelog_mcg_flags(uint64_t mcg_status, char *buf, size_t len);

/* "Thu Jan  1 00:00:01 1970": ctime()'s format, in UTC, for `seconds`
 * after the Unix epoch, without ctime's newline. */
void mcelog_ctime(uint64_t seconds, char *buf, size_t len);

/* Write bank entry `bank` (an index into r->bank) of a record as mcelog
 * prints it, one line per call of emit (no newline; the spaces mcelog
 * leaves at the end of some lines are kept). `mce_index` is the N of
 * "MCE N". Linux's drivers/xen/mcelog.c turns each mcinfo_bank of a
 * fetched mc_info into one struct mce, so mcelog prints one entry per
 * bank. TIME is the record's logout time in whole seconds, the run
 * starting at the Unix epoch. Nothing for an index past nbanks. */
void mcelog_format(const struct mca_record *r, unsigned bank, uint64_t mce_index,
                   void (*emit)(void *arg, const char *line), void *arg);

#endif
