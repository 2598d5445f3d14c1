/*
 * ras_decode.h - the text columns rasdaemon stores in its mce_record table
 * for one bank of an Intel machine check (ras_decode.c).
 */
#ifndef GUESTS_DOM0_RAS_DECODE_H
#define GUESTS_DOM0_RAS_DECODE_H

#include <stdint.h>

/* One bank's parsed columns, as rasdaemon's mce_event holds them: "" for
 * a column it leaves empty (it stores empty strings, never NULL). */
struct ras_mce_text {
    char bank_name[64];
    char error_msg[256];
    char mcgstatus_msg[96];
    char mcistatus_msg[192];
    char mcastatus_msg[256];
    char user_action[160];
    char mc_location[48];
};

/* Fill t from the registers, as rasdaemon's Intel parser does. */
void ras_mce_decode(uint64_t status, uint64_t misc, uint64_t mcg_status, uint64_t mcg_cap,
                    struct ras_mce_text *t);

#endif
