/*
 * ecc_memo.c - the decode memo of ecc_memo.h: a few ways, looked up by
 * comparing the whole mask, filled round robin.
 */
#include "models/memctl/ecc_memo.h"

#include <string.h>

void ecc_memo_init(struct ecc_memo *m)
{
    memset(m, 0, sizeof(*m));
}

const uint8_t *ecc_memo_decode(const struct ecc_codec *c, struct ecc_memo *m, const struct dram_line_bits *err,
                               struct ecc_line_result *r)
{
    for (unsigned i = 0; i < ECC_MEMO_WAYS; i++) {
        struct ecc_memo_entry *e = &m->e[i];
        if (e->valid && memcmp(&e->err, err, sizeof(*err)) == 0) {
            m->hits++;
            *r = e->r;
            return e->eff;
        }
    }
    m->misses++;
    struct ecc_memo_entry *e = &m->e[m->next];
    m->next = (m->next + 1u) % ECC_MEMO_WAYS;
    e->err = *err;
    ecc_line_decode(c, err, e->eff, &e->r); /* the all-zero codeword, flipped by err */
    e->valid = true;
    *r = e->r;
    return e->eff;
}
