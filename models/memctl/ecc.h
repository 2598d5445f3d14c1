/*
 * ecc.h - the DRAM error-correcting codes and what their outcomes mean.
 *
 * Three layers:
 *
 *  1. SECDED Hsiao (72,64): one 64-bit data word + 8 check bits. H is 8x72
 *     with odd-weight, distinct columns: data bits 0..55 are the 56
 *     weight-3 columns in increasing numeric order, data bits 56..63 the 8
 *     rotations of 0x1F (weight 5, one per rotation, which puts exactly 5 of
 *     them on every row), check bits 64..71 the unit columns. Every row then
 *     has 21 + 5 + 1 = 27 ones (216 in all), the balance Hsiao asks for.
 *     Decode by syndrome s = H * received: 0 = clean; equal to column i =
 *     flip bit i (corrected); anything else (even weight, or one of the 56
 *     odd patterns that are no column) = detected uncorrectable (DUE).
 *
 *  2. x4 chipkill, single-symbol-correct / double-symbol-detect: a
 *     Reed-Solomon code over GF(2^8) (field polynomial x^8+x^4+x^3+x^2+1,
 *     0x11D, primitive element alpha = 2), shortened to n = 36, k = 32:
 *     generator g(x) = (x - 1)(x - alpha)(x - alpha^2)(x - alpha^3), so the
 *     minimum distance is 5. One symbol = 8 bits = 2 beats of one x4
 *     device; a codeword = 36 devices (32 data + 4 check: two channels in
 *     lockstep) x 2 beats, so any failure confined to one device is one
 *     symbol error. Decoded in SSC-DSD mode: a syndrome consistent with one
 *     symbol error at a valid position is corrected, anything else non-zero
 *     is DUE. Distance 5 means any 2 (or 3) bad symbols can never look like
 *     one, so they are always detected.
 *
 *  3. The line codec: the 576 stored bits of a 64-byte line
 *     (struct dram_line_bits) split into codewords - 8 SECDED words (one
 *     per beat, or two per beat on a 144-bit lockstep bus) or 2 chipkill
 *     words (beats 0-1 and 2-3) - with the bit-to-device mapping below.
 *
 * Data layout in a line (both codes): beat b carries data bytes
 * [b*beat_bytes, (b+1)*beat_bytes); bit i of a beat (bit i%8 of byte i/8)
 * is DQ (i % w) of data device i / w, w = device width. Codeword k of a
 * line protects data bytes [k*64/ncw, (k+1)*64/ncw).
 *  - SECDED, h = k % halves (halves = beat_bytes / 8): data bit i of the
 *    word is beat bit 64h + i; check bit j is DQ j % w of ECC device
 *    data_devices + h*(ecc_devices/halves) + j / w.
 *  - chipkill: the symbol of device d in codeword k is
 *    cell[2k][d] | cell[2k+1][d] << 4; devices 0..31 are data symbols,
 *    32..35 check symbols.
 *
 * Truth (ecc_truth): the simulator knows the original data, so it can
 * tell what the decoder could not: a "corrected" word whose data is still
 * wrong was miscorrected, a "clean" word whose data is wrong was an
 * undetected error. Both are silent data corruption.
 *
 * All codec state (GF tables, syndrome table) lives in the instance; the
 * H-matrix column list is a static const table.
 */
#ifndef MODELS_MEMCTL_ECC_H
#define MODELS_MEMCTL_ECC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/memctl/addr_map.h"

enum ecc_status {
    ECC_CLEAN = 0,  /* syndrome zero */
    ECC_CORRECTED,  /* the decoder changed one bit / symbol */
    ECC_DETECTED,   /* detected uncorrectable error (DUE) */
};

enum ecc_truth {
    ECC_TRUTH_CLEAN = 0,     /* no error, data right                       */
    ECC_TRUTH_CORRECTED,     /* decoder corrected, data right              */
    ECC_TRUTH_UNDETECTED,    /* decoder saw nothing, data wrong (SDC)      */
    ECC_TRUTH_MISCORRECTED,  /* decoder "corrected" to wrong data (SDC)    */
    ECC_TRUTH_DUE,           /* decoder reported uncorrectable             */
    ECC_TRUTH__COUNT
};

/* ---- SECDED Hsiao (72,64) ---------------------------------------------- */

#define SECDED_DATA_BITS 64u
#define SECDED_CHECK_BITS 8u
#define SECDED_BITS 72u

struct secded {
    uint64_t row_mask[SECDED_CHECK_BITS]; /* data bits covered by check bit j */
    int8_t bit_of_syndrome[256];          /* codeword bit, or -1 if no column */
};

struct secded_result {
    enum ecc_status status;
    int bit;          /* corrected codeword bit 0..71 (64+j = check j), else -1 */
    uint8_t syndrome;
};

void secded_init(struct secded *c);
/* Column of H for codeword bit 0..71 (bit r of the value = row r). */
uint8_t secded_column(unsigned bit);
uint8_t secded_encode(const struct secded *c, uint64_t data);
/* Decode and correct *data / *check in place. */
struct secded_result secded_decode(const struct secded *c, uint64_t *data, uint8_t *check);

/* ---- x4 chipkill RS(36,32) over GF(2^8) --------------------------------- */

#define CK_SYMBOLS 36u
#define CK_DATA 32u
#define CK_CHECK 4u

struct chipkill {
    uint8_t exp[510]; /* alpha^i for i in 0..509 (two periods: no modulo) */
    uint8_t log[256]; /* log[0] unused */
    uint8_t gen[CK_CHECK]; /* g(x) = x^4 + gen[3] x^3 + ... + gen[0] */
};

struct chipkill_result {
    enum ecc_status status;
    int symbol; /* corrected symbol index 0..35 (= device), else -1 */
};

void chipkill_init(struct chipkill *c);
uint8_t chipkill_mul(const struct chipkill *c, uint8_t a, uint8_t b);
/* sym[0..31] data; fills sym[32..35] with the check symbols. */
void chipkill_encode(const struct chipkill *c, uint8_t sym[CK_SYMBOLS]);
/* Decode and correct sym in place. */
struct chipkill_result chipkill_decode(const struct chipkill *c, uint8_t sym[CK_SYMBOLS]);

/* ---- line codec ------------------------------------------------------- */

enum ecc_kind { ECC_KIND_SECDED = 0, ECC_KIND_CHIPKILL, ECC_KIND__COUNT };

#define ECC_MAX_CODEWORDS 8u

struct ecc_codec {
    enum ecc_kind kind;
    unsigned width, data_devices, ecc_devices, beats, beat_bytes;
    unsigned codewords; /* per line: 8 (SECDED) or 2 (chipkill) */
    struct secded sd;
    struct chipkill ck;
};

struct ecc_line_result {
    enum ecc_status status;                   /* worst over the codewords */
    unsigned codewords;
    enum ecc_status cw_status[ECC_MAX_CODEWORDS];
    int cw_device[ECC_MAX_CODEWORDS];         /* device of the corrected bit/symbol, -1 */
};

/* NULL when kind works with the geometry of m, else why not (chipkill
 * needs x4 devices and 4 ECC devices: the 36-device lockstep word). */
const char *ecc_codec_check(enum ecc_kind kind, const struct addr_map *m);
int ecc_codec_init(struct ecc_codec *c, enum ecc_kind kind, const struct addr_map *m);

void ecc_line_encode(const struct ecc_codec *c, const uint8_t data[MEM_LINE_BYTES], struct dram_line_bits *img);
/* Decode the stored bits img into data (corrected where the code could). */
void ecc_line_decode(const struct ecc_codec *c, const struct dram_line_bits *img, uint8_t data[MEM_LINE_BYTES],
                     struct ecc_line_result *r);

/* ---- truth -------------------------------------------------------------- */

/* Classify one decode given the original data and what the decoder gave. */
enum ecc_truth ecc_truth(const void *orig, const void *got, size_t len, enum ecc_status st);
/* The same per codeword of a line, combined worst-first:
 * DUE > MISCORRECTED > UNDETECTED > CORRECTED > CLEAN (a DUE anywhere makes
 * the line uncorrectable, so nothing of it is consumed silently). */
enum ecc_truth ecc_line_truth(const struct ecc_codec *c, const uint8_t orig[MEM_LINE_BYTES],
                              const uint8_t got[MEM_LINE_BYTES], const struct ecc_line_result *r);
static inline bool ecc_truth_is_sdc(enum ecc_truth t)
{
    return t == ECC_TRUTH_UNDETECTED || t == ECC_TRUTH_MISCORRECTED;
}
const char *ecc_truth_name(enum ecc_truth t);
const char *ecc_kind_name(enum ecc_kind k);

#endif
