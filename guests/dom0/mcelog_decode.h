/*
 * mcelog_decode.h - turn one bank of a machine-check record into the text mcelog
 * prints, so users and tests read the output they know from real systems.
 */
#ifndef GUESTS_DOM0_MCELOG_DECODE_H
#define GUESTS_DOM0_MCELOG_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "hv/public/mca_abi.h"

/* Name of the MCA error code in mcelog's words, e.g.
 * "MEMORY CONTROLLER MS_CHANNELunspecified_ERR" for 0x00CF or
 * "Generic CACHE Level-2 Eviction Error" for 0x017A. */
void mcelog_mcacod_text(uint16_t mcacod, char *buf, size_t len);

/* Flag names of MCi_STATUS / MCG_STATUS, space separated. */
void mcelog_status_flags(uint64_t status, uint64_t mcg_cap, char *buf, size_t len);
void mcelog_mcg_flags(uint64_t mcg_status, char *buf, size_t len);

/* Write bank entry `bank` (an index into r->bank) of a record as mcelog
 * does, one line per call of emit: Linux's drivers/xen/mcelog.c turns
 * each mcinfo_bank of a fetched mc_info into one struct mce, so mcelog
 * prints one "MCE n" block per bank. Nothing for an index past nbanks. */
void mcelog_format(const struct mca_record *r, unsigned bank, uint64_t mce_index,
                   void (*emit)(void *arg, const char *line), void *arg);

#endif
