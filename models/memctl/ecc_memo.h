/*
 * ecc_memo.h - what the line decoder makes of an error mask, remembered.
 *
 * The codes are linear (ecc.h): decoding encode(d) XOR e gives status and
 * corrected positions that depend on e alone (the syndromes do), and data
 * d XOR eff(e), where eff(e) is what decoding e on its own (the all-zero
 * line, whose codeword is all zero) delivers. So a read needs one decode
 * per distinct error mask, not one per line: the many lines of one wide
 * fault share a mask (fault_map.h: a fault flips the same DQs in every
 * beat it covers). The memo keeps the last few masks and their decodes.
 */
#ifndef MODELS_MEMCTL_ECC_MEMO_H
#define MODELS_MEMCTL_ECC_MEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "models/memctl/ecc.h"

#define ECC_MEMO_WAYS 4u

struct ecc_memo_entry {
    bool valid;
    struct dram_line_bits err;
    struct ecc_line_result r;
    uint8_t eff[MEM_LINE_BYTES]; /* delivered XOR stored data */
};

struct ecc_memo {
    struct ecc_memo_entry e[ECC_MEMO_WAYS];
    unsigned next;          /* way the next miss replaces (round robin) */
    uint64_t hits, misses;
};

void ecc_memo_init(struct ecc_memo *m);
/* The decode of any line whose stored bits are flipped by err: *r and
 * eff (valid until the next call). */
const uint8_t *ecc_memo_decode(const struct ecc_codec *c, struct ecc_memo *m, const struct dram_line_bits *err,
                               struct ecc_line_result *r);

#endif
