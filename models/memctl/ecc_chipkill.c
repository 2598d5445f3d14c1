/*
 * ecc_chipkill.c - the x4 chipkill code of ecc.h: Reed-Solomon RS(36,32)
 * over GF(2^8), decoded in single-symbol-correct / double-symbol-detect
 * mode. Built from the textbook definition of RS codes (e.g. Lin &
 * Costello, "Error Control Coding", ch. 7), not from any implementation.
 *
 * Positions: the codeword polynomial is c(x) = sum c_p x^p, p = 0..35.
 * Check symbols sit at p = 0..3, data symbol d at p = 4 + d; the external
 * symbol index (= device) is d for data and 32 + p for checks.
 * Encoding is systematic: c(x) = x^4 d(x) + (x^4 d(x) mod g(x)).
 * Syndromes S_j = c(alpha^j), j = 0..3. One error of value e at position p
 * gives S_j = e * alpha^(j p): S_0 = e and each S_{j+1} / S_j = alpha^p.
 */
#include "models/memctl/ecc.h"

#define GF_POLY 0x11Du /* x^8 + x^4 + x^3 + x^2 + 1, primitive */

void chipkill_init(struct chipkill *c)
{
    unsigned x = 1;
    for (unsigned i = 0; i < 255; i++) {
        c->exp[i] = (uint8_t)x;
        c->exp[i + 255] = (uint8_t)x;
        c->log[x] = (uint8_t)i;
        x <<= 1;
        if (x & 0x100u)
            x ^= GF_POLY;
    }
    c->log[0] = 0; /* never used: 0 has no logarithm */
    /* g(x) = prod_{j=0..3} (x + alpha^j), built one factor at a time;
     * g[] holds coefficients of x^0..x^4 (leading 1). */
    uint8_t g[CK_CHECK + 1] = {1, 0, 0, 0, 0};
    for (unsigned j = 0; j < CK_CHECK; j++) {
        uint8_t root = c->exp[j];
        for (unsigned k = j + 1; k > 0; k--)
            g[k] = (uint8_t)(g[k - 1] ^ chipkill_mul(c, g[k], root));
        g[0] = chipkill_mul(c, g[0], root);
    }
    for (unsigned k = 0; k < CK_CHECK; k++)
        c->gen[k] = g[k];
}

uint8_t chipkill_mul(const struct chipkill *c, uint8_t a, uint8_t b)
{
    if (a == 0 || b == 0)
        return 0;
    return c->exp[c->log[a] + c->log[b]];
}

/* Symbol at polynomial position p. */
static uint8_t at(const uint8_t sym[CK_SYMBOLS], unsigned p)
{
    return p < CK_CHECK ? sym[CK_DATA + p] : sym[p - CK_CHECK];
}

static int symbol_of_position(unsigned p)
{
    return p < CK_CHECK ? (int)(CK_DATA + p) : (int)(p - CK_CHECK);
}

void chipkill_encode(const struct chipkill *c, uint8_t sym[CK_SYMBOLS])
{
    /* Division by g(x) with a 4-stage shift register, highest term first. */
    uint8_t r[CK_CHECK] = {0, 0, 0, 0};
    for (unsigned p = CK_SYMBOLS; p-- > CK_CHECK;) {
        uint8_t fb = (uint8_t)(sym[p - CK_CHECK] ^ r[CK_CHECK - 1]);
        for (unsigned k = CK_CHECK - 1; k > 0; k--)
            r[k] = (uint8_t)(r[k - 1] ^ chipkill_mul(c, fb, c->gen[k]));
        r[0] = chipkill_mul(c, fb, c->gen[0]);
    }
    for (unsigned k = 0; k < CK_CHECK; k++)
        sym[CK_DATA + k] = r[k];
}

static void syndromes(const struct chipkill *c, const uint8_t sym[CK_SYMBOLS], uint8_t s[CK_CHECK])
{
    for (unsigned j = 0; j < CK_CHECK; j++) {
        /* Horner: c(alpha^j) from the highest position down. */
        uint8_t acc = 0;
        uint8_t aj = c->exp[j];
        for (unsigned p = CK_SYMBOLS; p-- > 0;)
            acc = (uint8_t)(chipkill_mul(c, acc, aj) ^ at(sym, p));
        s[j] = acc;
    }
}

/* Position p < 36 of a single-symbol error explaining s, or -1. */
static int single_error_position(const struct chipkill *c, const uint8_t s[CK_CHECK])
{
    for (unsigned j = 0; j < CK_CHECK; j++)
        if (s[j] == 0)
            return -1; /* a single error makes every syndrome non-zero */
    unsigned p = (c->log[s[1]] + 255u - c->log[s[0]]) % 255u;
    if (p >= CK_SYMBOLS)
        return -1; /* would be outside the shortened code */
    uint8_t ap = c->exp[p];
    for (unsigned j = 1; j + 1 < CK_CHECK; j++)
        if (chipkill_mul(c, s[j], ap) != s[j + 1])
            return -1;
    return (int)p;
}

struct chipkill_result chipkill_decode(const struct chipkill *c, uint8_t sym[CK_SYMBOLS])
{
    struct chipkill_result res = {ECC_CLEAN, -1};
    uint8_t s[CK_CHECK];
    syndromes(c, sym, s);
    if ((s[0] | s[1] | s[2] | s[3]) == 0)
        return res;
    int p = single_error_position(c, s);
    if (p < 0) {
        res.status = ECC_DETECTED;
        return res;
    }
    res.symbol = symbol_of_position((unsigned)p);
    sym[res.symbol] ^= s[0]; /* S_0 is the error value itself */
    res.status = ECC_CORRECTED;
    return res;
}
