/*
 * ecc_secded.c - Hsiao (72,64) single-error-correct, double-error-detect
 * code (M. Y. Hsiao, "A class of optimal minimum odd-weight-column SEC-DED
 * codes", IBM J. R&D 14(4), 1970), with the column choice documented in
 * ecc.h. The H matrix is the table below; everything else (row masks for
 * encoding, the syndrome -> bit table) is derived from it in secded_init.
 */
#include "models/memctl/ecc.h"

#include <string.h>

/*
 * Columns of H for data bits 0..63: the 56 weight-3 bytes in increasing
 * order, then 0x1F rotated left by 0..7 (weight 5). Check bit j is the unit
 * column 1 << j. test_memctl_ecc checks odd weight, distinctness and the
 * 27 ones per row.
 */
static const uint8_t data_columns[SECDED_DATA_BITS] = {
    0x07, 0x0B, 0x0D, 0x0E, 0x13, 0x15, 0x16, 0x19, 0x1A, 0x1C, 0x23, 0x25, 0x26, 0x29, 0x2A, 0x2C,
    0x31, 0x32, 0x34, 0x38, 0x43, 0x45, 0x46, 0x49, 0x4A, 0x4C, 0x51, 0x52, 0x54, 0x58, 0x61, 0x62,
    0x64, 0x68, 0x70, 0x83, 0x85, 0x86, 0x89, 0x8A, 0x8C, 0x91, 0x92, 0x94, 0x98, 0xA1, 0xA2, 0xA4,
    0xA8, 0xB0, 0xC1, 0xC2, 0xC4, 0xC8, 0xD0, 0xE0, 0x1F, 0x3E, 0x7C, 0xF8, 0xF1, 0xE3, 0xC7, 0x8F,
};

uint8_t secded_column(unsigned bit)
{
    if (bit < SECDED_DATA_BITS)
        return data_columns[bit];
    if (bit < SECDED_BITS)
        return (uint8_t)(1u << (bit - SECDED_DATA_BITS));
    return 0;
}

static unsigned parity64(uint64_t x)
{
    x ^= x >> 32;
    x ^= x >> 16;
    x ^= x >> 8;
    x ^= x >> 4;
    x ^= x >> 2;
    x ^= x >> 1;
    return (unsigned)(x & 1u);
}

void secded_init(struct secded *c)
{
    memset(c->row_mask, 0, sizeof(c->row_mask));
    memset(c->bit_of_syndrome, -1, sizeof(c->bit_of_syndrome));
    for (unsigned i = 0; i < SECDED_DATA_BITS; i++)
        for (unsigned r = 0; r < SECDED_CHECK_BITS; r++)
            if (data_columns[i] & (1u << r))
                c->row_mask[r] |= 1ull << i;
    for (unsigned i = 0; i < SECDED_BITS; i++)
        c->bit_of_syndrome[secded_column(i)] = (int8_t)i;
}

uint8_t secded_encode(const struct secded *c, uint64_t data)
{
    /* Check bit r makes row r of H * codeword even. */
    uint8_t check = 0;
    for (unsigned r = 0; r < SECDED_CHECK_BITS; r++)
        check |= (uint8_t)(parity64(data & c->row_mask[r]) << r);
    return check;
}

struct secded_result secded_decode(const struct secded *c, uint64_t *data, uint8_t *check)
{
    struct secded_result res = {ECC_CLEAN, -1, 0};
    res.syndrome = (uint8_t)(secded_encode(c, *data) ^ *check);
    if (res.syndrome == 0)
        return res;
    int bit = c->bit_of_syndrome[res.syndrome];
    if (bit < 0) {
        /* Even weight (two bits) or an odd pattern that is no column. */
        res.status = ECC_DETECTED;
        return res;
    }
    if (bit < (int)SECDED_DATA_BITS)
        *data ^= 1ull << bit;
    else
        *check ^= (uint8_t)(1u << (bit - (int)SECDED_DATA_BITS));
    res.status = ECC_CORRECTED;
    res.bit = bit;
    return res;
}
