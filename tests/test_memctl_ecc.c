/*
 * test_memctl_ecc.c - unit tests of the ECC codes (models/memctl/ecc.h).
 *
 * The facts asserted are those of Hsiao (1970) and of coding theory,
 * checked by enumeration: Hsiao (72,64) corrects every
 * single-bit error, detects every double, gives odd syndromes for every
 * triple and miscorrects about 56% of them, and misses some 4-bit errors;
 * RS(36,32) chipkill corrects every single-device error and detects every
 * two-device error, including the whole-x4-device failure SECDED cannot
 * handle.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "models/memctl/ecc.h"
#include "models/memctl/ecc_memo.h"
#include "models/memctl/mem_rng.h"

/* Measured by the enumeration below for the layout of ecc.h; the reference
 * measured 33,588 for its (different) row-balanced layout. */
#define HSIAO_TRIPLE_MISCORRECTED 33568u
#define HSIAO_QUAD_UNDETECTED 8392u

static unsigned weight8(unsigned v)
{
    unsigned n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* ---- SECDED ------------------------------------------------------------- */

static void test_hsiao_matrix_shape(void **state)
{
    (void)state;
    unsigned by_weight[9] = {0};
    unsigned row_ones[8] = {0};
    bool seen[256] = {false};
    for (unsigned i = 0; i < SECDED_BITS; i++) {
        uint8_t c = secded_column(i);
        assert_true(weight8(c) % 2 == 1);
        assert_false(seen[c]);
        seen[c] = true;
        by_weight[weight8(c)]++;
        for (unsigned r = 0; r < 8; r++)
            row_ones[r] += (c >> r) & 1u;
    }
    assert_int_equal(by_weight[1], 8);
    assert_int_equal(by_weight[3], 56); /* all C(8,3) of them */
    assert_int_equal(by_weight[5], 8);
    for (unsigned r = 0; r < 8; r++)
        assert_int_equal(row_ones[r], 27);
    for (unsigned j = 0; j < 8; j++)
        assert_int_equal(secded_column(64 + j), 1u << j);
}

static void test_secded_clean_and_single(void **state)
{
    (void)state;
    struct secded c;
    secded_init(&c);
    struct mem_rng r;
    mem_rng_init(&r, 1, "test/ecc/secded");
    for (unsigned n = 0; n < 16; n++) {
        uint64_t data = mem_rng_next(&r);
        uint8_t check = secded_encode(&c, data);
        uint64_t d = data;
        uint8_t k = check;
        assert_int_equal(secded_decode(&c, &d, &k).status, ECC_CLEAN);
        for (unsigned bit = 0; bit < SECDED_BITS; bit++) {
            d = data;
            k = check;
            if (bit < 64)
                d ^= 1ull << bit;
            else
                k ^= (uint8_t)(1u << (bit - 64));
            struct secded_result res = secded_decode(&c, &d, &k);
            assert_int_equal(res.status, ECC_CORRECTED);
            assert_int_equal(res.bit, (int)bit);
            assert_true(d == data);
            assert_int_equal(k, check);
        }
    }
}

/* Flip codeword bits list[0..n) of (data, check). */
static void flip(uint64_t *d, uint8_t *k, const unsigned *list, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (list[i] < 64)
            *d ^= 1ull << list[i];
        else
            *k ^= (uint8_t)(1u << (list[i] - 64));
    }
}

static void test_secded_every_double_detected(void **state)
{
    (void)state;
    struct secded c;
    secded_init(&c);
    const uint64_t data = 0x0123456789ABCDEFull;
    const uint8_t check = secded_encode(&c, data);
    unsigned n = 0;
    for (unsigned i = 0; i < SECDED_BITS; i++)
        for (unsigned j = i + 1; j < SECDED_BITS; j++) {
            uint64_t d = data;
            uint8_t k = check;
            unsigned list[2] = {i, j};
            flip(&d, &k, list, 2);
            struct secded_result res = secded_decode(&c, &d, &k);
            assert_int_equal(res.status, ECC_DETECTED);
            assert_true(weight8(res.syndrome) % 2 == 0);
            n++;
        }
    assert_int_equal(n, 2556);
}

static void test_secded_triples(void **state)
{
    (void)state;
    struct secded c;
    secded_init(&c);
    const uint64_t data = 0xFEDCBA9876543210ull;
    const uint8_t check = secded_encode(&c, data);
    unsigned total = 0, miscorrected = 0, detected = 0;
    for (unsigned i = 0; i < SECDED_BITS; i++)
        for (unsigned j = i + 1; j < SECDED_BITS; j++)
            for (unsigned l = j + 1; l < SECDED_BITS; l++) {
                uint64_t d = data;
                uint8_t k = check;
                unsigned list[3] = {i, j, l};
                flip(&d, &k, list, 3);
                struct secded_result res = secded_decode(&c, &d, &k);
                assert_true(weight8(res.syndrome) % 2 == 1); /* always odd */
                enum ecc_truth t = ecc_truth(&data, &d, sizeof(d), res.status);
                if (t == ECC_TRUTH_MISCORRECTED)
                    miscorrected++;
                else if (t == ECC_TRUTH_DUE)
                    detected++;
                else
                    fail_msg("triple error neither detected nor miscorrected");
                total++;
            }
    assert_int_equal(total, 59640);
    assert_int_equal(miscorrected + detected, total);
    print_message("hsiao (72,64): %u of %u triple-bit errors miscorrected (%.2f%%)\n", miscorrected, total,
                  100.0 * miscorrected / total);
    assert_int_equal(miscorrected, HSIAO_TRIPLE_MISCORRECTED);
    assert_true(miscorrected * 100u >= total * 50u && miscorrected * 100u <= total * 60u);
}

static void test_secded_some_quads_undetected(void **state)
{
    (void)state;
    /* Exhaustive over C(72,4) = 1,028,790 patterns by syndrome alone (the
     * syndrome of a pattern is the XOR of its columns), then a sample
     * through the decoder to show what "undetected" means. */
    uint8_t col[SECDED_BITS];
    for (unsigned i = 0; i < SECDED_BITS; i++)
        col[i] = secded_column(i);
    unsigned total = 0, zero = 0;
    unsigned first[4] = {0};
    for (unsigned a = 0; a < SECDED_BITS; a++)
        for (unsigned b = a + 1; b < SECDED_BITS; b++)
            for (unsigned cc = b + 1; cc < SECDED_BITS; cc++) {
                uint8_t s3 = (uint8_t)(col[a] ^ col[b] ^ col[cc]);
                for (unsigned d = cc + 1; d < SECDED_BITS; d++) {
                    total++;
                    if ((s3 ^ col[d]) == 0 && zero++ == 0) {
                        first[0] = a, first[1] = b, first[2] = cc, first[3] = d;
                    }
                }
            }
    assert_int_equal(total, 1028790);
    print_message("hsiao (72,64): %u of %u 4-bit errors undetected (%.3f%%)\n", zero, total, 100.0 * zero / total);
    assert_int_equal(zero, HSIAO_QUAD_UNDETECTED);
    assert_true(zero > 0);
    struct secded c;
    secded_init(&c);
    const uint64_t data = 0x1111222233334444ull;
    uint64_t d = data;
    uint8_t k = secded_encode(&c, data);
    flip(&d, &k, first, 4);
    struct secded_result res = secded_decode(&c, &d, &k);
    assert_int_equal(res.status, ECC_CLEAN);
    assert_int_equal(ecc_truth(&data, &d, sizeof(d), res.status), ECC_TRUTH_UNDETECTED);
}

/* ---- chipkill ------------------------------------------------------------ */

static void test_gf256(void **state)
{
    (void)state;
    struct chipkill c;
    chipkill_init(&c);
    /* alpha = 2 generates all 255 non-zero elements. */
    bool seen[256] = {false};
    for (unsigned i = 0; i < 255; i++) {
        assert_false(seen[c.exp[i]]);
        seen[c.exp[i]] = true;
    }
    assert_int_equal(c.exp[255], 1);
    /* Multiplication agrees with shift-and-add modulo 0x11D. */
    for (unsigned a = 0; a < 256; a += 7)
        for (unsigned b = 0; b < 256; b += 3) {
            unsigned p = 0, x = a;
            for (unsigned bit = 0; bit < 8; bit++) {
                if (b & (1u << bit))
                    p ^= x;
                x <<= 1;
                if (x & 0x100u)
                    x ^= 0x11Du;
            }
            assert_int_equal(chipkill_mul(&c, (uint8_t)a, (uint8_t)b), p);
        }
    /* The generator's roots are alpha^0..alpha^3. */
    for (unsigned j = 0; j < 4; j++) {
        uint8_t x = c.exp[j], acc = 1; /* leading coefficient */
        for (int k = 3; k >= 0; k--)
            acc = (uint8_t)(chipkill_mul(&c, acc, x) ^ c.gen[k]);
        assert_int_equal(acc, 0);
    }
}

static void random_codeword(const struct chipkill *c, struct mem_rng *r, uint8_t sym[CK_SYMBOLS])
{
    for (unsigned i = 0; i < CK_DATA; i++)
        sym[i] = (uint8_t)mem_rng_next(r);
    chipkill_encode(c, sym);
}

static void test_chipkill_every_single_symbol_corrected(void **state)
{
    (void)state;
    struct chipkill c;
    chipkill_init(&c);
    struct mem_rng r;
    mem_rng_init(&r, 2, "test/ecc/chipkill/single");
    for (unsigned w = 0; w < 3; w++) {
        uint8_t good[CK_SYMBOLS], sym[CK_SYMBOLS];
        random_codeword(&c, &r, good);
        memcpy(sym, good, sizeof(sym));
        assert_int_equal(chipkill_decode(&c, sym).status, ECC_CLEAN);
        /* Every device, every one of the 255 error values. */
        for (unsigned dev = 0; dev < CK_SYMBOLS; dev++)
            for (unsigned e = 1; e < 256; e++) {
                memcpy(sym, good, sizeof(sym));
                sym[dev] ^= (uint8_t)e;
                struct chipkill_result res = chipkill_decode(&c, sym);
                assert_int_equal(res.status, ECC_CORRECTED);
                assert_int_equal(res.symbol, (int)dev);
                assert_memory_equal(sym, good, sizeof(sym));
            }
    }
}

static void test_chipkill_two_and_three_devices_detected(void **state)
{
    (void)state;
    struct chipkill c;
    chipkill_init(&c);
    struct mem_rng r;
    mem_rng_init(&r, 3, "test/ecc/chipkill/double");
    uint8_t good[CK_SYMBOLS], sym[CK_SYMBOLS];
    random_codeword(&c, &r, good);
    unsigned n = 0;
    /* Every pair of devices, 12 random non-zero error pairs each. */
    for (unsigned a = 0; a < CK_SYMBOLS; a++)
        for (unsigned b = a + 1; b < CK_SYMBOLS; b++)
            for (unsigned s = 0; s < 12; s++) {
                memcpy(sym, good, sizeof(sym));
                sym[a] ^= (uint8_t)(1u + mem_rng_below(&r, 255));
                sym[b] ^= (uint8_t)(1u + mem_rng_below(&r, 255));
                assert_int_equal(chipkill_decode(&c, sym).status, ECC_DETECTED);
                n++;
            }
    assert_int_equal(n, 630 * 12);
    /* Distance 5 also detects three bad devices (sampled). */
    for (unsigned s = 0; s < 3000; s++) {
        unsigned a = (unsigned)mem_rng_below(&r, CK_SYMBOLS);
        unsigned b = (a + 1u + (unsigned)mem_rng_below(&r, CK_SYMBOLS - 1)) % CK_SYMBOLS;
        unsigned d;
        do {
            d = (unsigned)mem_rng_below(&r, CK_SYMBOLS);
        } while (d == a || d == b);
        memcpy(sym, good, sizeof(sym));
        sym[a] ^= (uint8_t)(1u + mem_rng_below(&r, 255));
        sym[b] ^= (uint8_t)(1u + mem_rng_below(&r, 255));
        sym[d] ^= (uint8_t)(1u + mem_rng_below(&r, 255));
        assert_int_equal(chipkill_decode(&c, sym).status, ECC_DETECTED);
    }
}

/* ---- line codec --------------------------------------------------------------- */

static struct addr_map map_of(unsigned width, unsigned ecc)
{
    struct mem_geometry g = {2, 1, 1, 8, 1024, 64, width, ecc};
    struct addr_map m;
    assert_int_equal(addr_map_init(&m, &g), 0);
    return m;
}

static void random_line(struct mem_rng *r, uint8_t data[64])
{
    for (unsigned i = 0; i < 64; i++)
        data[i] = (uint8_t)mem_rng_next(r);
}

static void test_codec_geometries(void **state)
{
    (void)state;
    struct addr_map m2 = map_of(4, 2);
    struct addr_map m8 = map_of(8, 1);
    struct addr_map m4 = map_of(4, 4);
    struct ecc_codec c;
    assert_int_equal(ecc_codec_init(&c, ECC_KIND_CHIPKILL, &m2), -1);
    assert_int_equal(ecc_codec_init(&c, ECC_KIND_CHIPKILL, &m8), -1);
    assert_non_null(ecc_codec_check(ECC_KIND_CHIPKILL, &m2));
    assert_int_equal(ecc_codec_init(&c, ECC_KIND_CHIPKILL, &m4), 0);
    assert_int_equal(c.codewords, 2);
    assert_int_equal(ecc_codec_init(&c, ECC_KIND_SECDED, &m4), 0);
    assert_int_equal(c.codewords, 8);
    assert_int_equal(ecc_codec_init(&c, ECC_KIND_SECDED, &m2), 0);
    assert_int_equal(c.codewords, 8);
    assert_int_equal(ecc_codec_init(&c, (enum ecc_kind)7, &m2), -1);
}

/* Every configuration round-trips and corrects every single stored bit,
 * naming the device that held it. */
static void test_codec_single_bits(void **state)
{
    (void)state;
    const unsigned arr[][3] = {{4, 2, ECC_KIND_SECDED}, {4, 4, ECC_KIND_SECDED}, {8, 1, ECC_KIND_SECDED},
                               {8, 2, ECC_KIND_SECDED}, {4, 4, ECC_KIND_CHIPKILL}};
    struct mem_rng r;
    mem_rng_init(&r, 4, "test/ecc/codec");
    for (size_t i = 0; i < sizeof(arr) / sizeof(arr[0]); i++) {
        struct addr_map m = map_of(arr[i][0], arr[i][1]);
        struct ecc_codec c;
        assert_int_equal(ecc_codec_init(&c, (enum ecc_kind)arr[i][2], &m), 0);
        uint8_t data[64], got[64];
        random_line(&r, data);
        struct dram_line_bits img;
        struct ecc_line_result res;
        ecc_line_encode(&c, data, &img);
        ecc_line_decode(&c, &img, got, &res);
        assert_int_equal(res.status, ECC_CLEAN);
        assert_memory_equal(got, data, 64);
        for (unsigned b = 0; b < m.beats; b++)
            for (unsigned d = 0; d < m.devices; d++)
                for (unsigned q = 0; q < m.g.device_width; q++) {
                    struct dram_line_bits bad = img;
                    bad.cell[b][d] ^= (uint8_t)(1u << q);
                    ecc_line_decode(&c, &bad, got, &res);
                    assert_int_equal(res.status, ECC_CORRECTED);
                    assert_memory_equal(got, data, 64);
                    int dev = -1;
                    for (unsigned k = 0; k < res.codewords; k++)
                        if (res.cw_status[k] == ECC_CORRECTED)
                            dev = res.cw_device[k];
                    assert_int_equal(dev, (int)d);
                    assert_int_equal(ecc_line_truth(&c, data, got, &res), ECC_TRUTH_CORRECTED);
                }
    }
}

/* The data bits of beat b / device d are where ecc.h says: bit i of a beat
 * is DQ i % w of device i / w. */
static void test_codec_data_layout(void **state)
{
    (void)state;
    struct addr_map m = map_of(4, 2);
    struct ecc_codec c;
    ecc_codec_init(&c, ECC_KIND_SECDED, &m);
    uint8_t data[64] = {0};
    data[3 * 8 + 2] = 0x40; /* beat 3, byte 2, bit 6 = beat bit 22 */
    struct dram_line_bits img;
    ecc_line_encode(&c, data, &img);
    for (unsigned d = 0; d < 16; d++)
        assert_int_equal(img.cell[3][d], d == 5 ? 0x4 : 0); /* device 5, DQ 2 */
    for (unsigned b = 0; b < 8; b++)
        if (b != 3)
            for (unsigned d = 0; d < 18; d++)
                assert_int_equal(img.cell[b][d], 0);
}

/*
 * A whole x4 device failing: every pattern of up to 4 bad DQs in every beat
 * of one device. Chipkill corrects all of them, for every device; SECDED
 * (same 36-device geometry, two words per beat) corrects the single-DQ
 * patterns only, and never delivers right data for the others.
 */
static void test_whole_device_chipkill_vs_secded(void **state)
{
    (void)state;
    struct addr_map m = map_of(4, 4);
    struct ecc_codec ck, sd;
    assert_int_equal(ecc_codec_init(&ck, ECC_KIND_CHIPKILL, &m), 0);
    assert_int_equal(ecc_codec_init(&sd, ECC_KIND_SECDED, &m), 0);
    struct mem_rng r;
    mem_rng_init(&r, 5, "test/ecc/device");
    uint8_t data[64], got[64];
    random_line(&r, data);
    struct dram_line_bits ick, isd;
    ecc_line_encode(&ck, data, &ick);
    ecc_line_encode(&sd, data, &isd);
    unsigned sd_not_corrected = 0, sd_due = 0, sd_sdc = 0;
    for (unsigned dev = 0; dev < m.devices; dev++)
        for (unsigned mask = 1; mask < 16; mask++) {
            struct dram_line_bits a = ick, b = isd;
            for (unsigned beat = 0; beat < m.beats; beat++) {
                a.cell[beat][dev] ^= (uint8_t)mask;
                b.cell[beat][dev] ^= (uint8_t)mask;
            }
            struct ecc_line_result res;
            ecc_line_decode(&ck, &a, got, &res);
            assert_int_equal(ecc_line_truth(&ck, data, got, &res), ECC_TRUTH_CORRECTED);
            for (unsigned k = 0; k < res.codewords; k++)
                assert_int_equal(res.cw_device[k], (int)dev);
            ecc_line_decode(&sd, &b, got, &res);
            enum ecc_truth t = ecc_line_truth(&sd, data, got, &res);
            if (weight8(mask) == 1) {
                assert_int_equal(t, ECC_TRUTH_CORRECTED);
                continue;
            }
            assert_int_not_equal(t, ECC_TRUTH_CORRECTED);
            assert_int_not_equal(t, ECC_TRUTH_CLEAN);
            sd_not_corrected++;
            sd_due += t == ECC_TRUTH_DUE;
            sd_sdc += ecc_truth_is_sdc(t);
        }
    assert_int_equal(sd_not_corrected, 36 * 11);
    assert_int_equal(sd_due + sd_sdc, sd_not_corrected);
    /* All four DQs of one device, any single beat: the classic case. */
    struct dram_line_bits b = isd;
    b.cell[0][9] ^= 0xF;
    struct ecc_line_result res;
    ecc_line_decode(&sd, &b, got, &res);
    assert_int_not_equal(ecc_line_truth(&sd, data, got, &res), ECC_TRUTH_CORRECTED);
    struct dram_line_bits a = ick;
    a.cell[0][9] ^= 0xF;
    ecc_line_decode(&ck, &a, got, &res);
    assert_int_equal(ecc_line_truth(&ck, data, got, &res), ECC_TRUTH_CORRECTED);
}

static void test_truth_table(void **state)
{
    (void)state;
    const uint8_t a[4] = {1, 2, 3, 4}, b[4] = {1, 2, 3, 5};
    assert_int_equal(ecc_truth(a, a, 4, ECC_CLEAN), ECC_TRUTH_CLEAN);
    assert_int_equal(ecc_truth(a, b, 4, ECC_CLEAN), ECC_TRUTH_UNDETECTED);
    assert_int_equal(ecc_truth(a, a, 4, ECC_CORRECTED), ECC_TRUTH_CORRECTED);
    assert_int_equal(ecc_truth(a, b, 4, ECC_CORRECTED), ECC_TRUTH_MISCORRECTED);
    assert_int_equal(ecc_truth(a, a, 4, ECC_DETECTED), ECC_TRUTH_DUE);
    assert_int_equal(ecc_truth(a, b, 4, ECC_DETECTED), ECC_TRUTH_DUE);
    assert_true(ecc_truth_is_sdc(ECC_TRUTH_UNDETECTED));
    assert_true(ecc_truth_is_sdc(ECC_TRUTH_MISCORRECTED));
    assert_false(ecc_truth_is_sdc(ECC_TRUTH_DUE));
    assert_false(ecc_truth_is_sdc(ECC_TRUTH_CORRECTED));
    assert_string_equal(ecc_truth_name(ECC_TRUTH_MISCORRECTED), "miscorrected");
    assert_string_equal(ecc_kind_name(ECC_KIND_CHIPKILL), "chipkill");
}

/* A DUE in one word outranks a miscorrection in another: the line is
 * reported uncorrectable, so nothing of it is consumed silently. */
static void test_line_truth_worst_first(void **state)
{
    (void)state;
    struct addr_map m = map_of(4, 2);
    struct ecc_codec c;
    ecc_codec_init(&c, ECC_KIND_SECDED, &m);
    uint8_t orig[64] = {0}, got[64] = {0};
    struct ecc_line_result r = {.codewords = 8};
    got[9] = 1; /* word 1 wrong */
    r.cw_status[1] = ECC_CORRECTED;
    assert_int_equal(ecc_line_truth(&c, orig, got, &r), ECC_TRUTH_MISCORRECTED);
    r.cw_status[5] = ECC_DETECTED;
    assert_int_equal(ecc_line_truth(&c, orig, got, &r), ECC_TRUTH_DUE);
    r.cw_status[1] = ECC_CLEAN;
    r.cw_status[5] = ECC_CLEAN;
    assert_int_equal(ecc_line_truth(&c, orig, got, &r), ECC_TRUTH_UNDETECTED);
}

/* The memo's shortcut (ecc_memo.h) against the full trip: for random data
 * and random error masks of 1 to 3 devices (and repeats, so the memo hits),
 * encoding the data, flipping the mask and decoding gives the memo's status
 * and devices, and data XOR the memo's eff. */
static void test_memo_matches_full_decode(void **state)
{
    (void)state;
    const unsigned arr[][3] = {{4, 2, ECC_KIND_SECDED}, {4, 4, ECC_KIND_SECDED}, {8, 1, ECC_KIND_SECDED},
                               {8, 2, ECC_KIND_SECDED}, {4, 4, ECC_KIND_CHIPKILL}};
    struct mem_rng r;
    mem_rng_init(&r, 9, "test/ecc/memo");
    for (size_t i = 0; i < sizeof(arr) / sizeof(arr[0]); i++) {
        struct addr_map m = map_of(arr[i][0], arr[i][1]);
        struct ecc_codec c;
        assert_int_equal(ecc_codec_init(&c, (enum ecc_kind)arr[i][2], &m), 0);
        struct ecc_memo memo;
        ecc_memo_init(&memo);
        struct dram_line_bits masks[6];
        for (unsigned k = 0; k < 6; k++) {
            memset(&masks[k], 0, sizeof(masks[k]));
            unsigned ndev = 1u + (unsigned)mem_rng_below(&r, 3);
            for (unsigned j = 0; j < ndev; j++) {
                unsigned d = (unsigned)mem_rng_below(&r, m.devices);
                uint8_t dq = (uint8_t)(1u + mem_rng_below(&r, (1u << m.g.device_width) - 1u));
                bool one_beat = mem_rng_below(&r, 2) == 0;
                unsigned b0 = (unsigned)mem_rng_below(&r, m.beats);
                for (unsigned b = 0; b < m.beats; b++)
                    if (!one_beat || b == b0)
                        masks[k].cell[b][d] ^= dq;
            }
        }
        for (unsigned t = 0; t < 300; t++) {
            const struct dram_line_bits *err = &masks[mem_rng_below(&r, 6)];
            uint8_t data[64], got[64];
            random_line(&r, data);
            struct dram_line_bits img;
            struct ecc_line_result full, fast;
            ecc_line_encode(&c, data, &img);
            for (unsigned b = 0; b < m.beats; b++)
                for (unsigned d = 0; d < m.devices; d++)
                    img.cell[b][d] ^= err->cell[b][d];
            ecc_line_decode(&c, &img, got, &full);
            const uint8_t *eff = ecc_memo_decode(&c, &memo, err, &fast);
            assert_int_equal(fast.status, full.status);
            assert_int_equal(fast.codewords, full.codewords);
            for (unsigned k = 0; k < full.codewords; k++) {
                assert_int_equal(fast.cw_status[k], full.cw_status[k]);
                assert_int_equal(fast.cw_device[k], full.cw_device[k]);
            }
            for (unsigned b = 0; b < 64; b++)
                assert_int_equal(got[b], data[b] ^ eff[b]);
        }
        assert_true(memo.hits > 0);
        assert_true(memo.misses >= 6 && memo.misses < 300);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hsiao_matrix_shape),
        cmocka_unit_test(test_secded_clean_and_single),
        cmocka_unit_test(test_secded_every_double_detected),
        cmocka_unit_test(test_secded_triples),
        cmocka_unit_test(test_secded_some_quads_undetected),
        cmocka_unit_test(test_gf256),
        cmocka_unit_test(test_chipkill_every_single_symbol_corrected),
        cmocka_unit_test(test_chipkill_two_and_three_devices_detected),
        cmocka_unit_test(test_codec_geometries),
        cmocka_unit_test(test_codec_single_bits),
        cmocka_unit_test(test_codec_data_layout),
        cmocka_unit_test(test_whole_device_chipkill_vs_secded),
        cmocka_unit_test(test_truth_table),
        cmocka_unit_test(test_line_truth_worst_first),
        cmocka_unit_test(test_memo_matches_full_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
