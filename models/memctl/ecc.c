/*
 * ecc.c - the line codec of ecc.h (which stored bit of which device belongs
 * to which codeword) and the ground-truth classification of a decode.
 * The codes themselves are in ecc_secded.c and ecc_chipkill.c.
 */
#include "models/memctl/ecc.h"

#include <string.h>

static const char *const truth_names[ECC_TRUTH__COUNT] = {
    [ECC_TRUTH_CLEAN] = "clean",
    [ECC_TRUTH_CORRECTED] = "corrected",
    [ECC_TRUTH_UNDETECTED] = "undetected",
    [ECC_TRUTH_MISCORRECTED] = "miscorrected",
    [ECC_TRUTH_DUE] = "uncorrectable",
};

static const char *const kind_names[ECC_KIND__COUNT] = {
    [ECC_KIND_SECDED] = "secded",
    [ECC_KIND_CHIPKILL] = "chipkill",
};

const char *ecc_truth_name(enum ecc_truth t)
{
    return (unsigned)t < ECC_TRUTH__COUNT ? truth_names[t] : "?";
}

const char *ecc_kind_name(enum ecc_kind k)
{
    return (unsigned)k < ECC_KIND__COUNT ? kind_names[k] : "?";
}

const char *ecc_codec_check(enum ecc_kind kind, const struct addr_map *m)
{
    if ((unsigned)kind >= ECC_KIND__COUNT)
        return "unknown ECC kind";
    if (kind == ECC_KIND_CHIPKILL && !(m->g.device_width == 4 && m->g.ecc_devices == 4))
        return "chipkill needs x4 devices with 4 ECC devices (36 devices, two channels in lockstep)";
    return NULL;
}

int ecc_codec_init(struct ecc_codec *c, enum ecc_kind kind, const struct addr_map *m)
{
    if (ecc_codec_check(kind, m))
        return -1;
    memset(c, 0, sizeof(*c));
    c->kind = kind;
    c->width = m->g.device_width;
    c->data_devices = m->data_devices;
    c->ecc_devices = m->g.ecc_devices;
    c->beats = m->beats;
    c->beat_bytes = m->beat_bytes;
    c->codewords = kind == ECC_KIND_CHIPKILL ? m->beats / 2u : m->beats * (m->beat_bytes / 8u);
    secded_init(&c->sd);
    chipkill_init(&c->ck);
    return 0;
}

/* ---- data bits <-> data cells ------------------------------------------ */

/* Bit i of a beat is DQ i % w of data device i / w (ecc.h). w divides 8,
 * so a device's bits never straddle a byte. */
static void put_data(const struct ecc_codec *c, const uint8_t data[MEM_LINE_BYTES], struct dram_line_bits *img)
{
    unsigned per_byte = 8u / c->width;
    uint8_t mask = (uint8_t)((1u << c->width) - 1u);
    for (unsigned b = 0; b < c->beats; b++)
        for (unsigned d = 0; d < c->data_devices; d++) {
            uint8_t byte = data[b * c->beat_bytes + d / per_byte];
            img->cell[b][d] = (uint8_t)((byte >> ((d % per_byte) * c->width)) & mask);
        }
}

static void get_data(const struct ecc_codec *c, const struct dram_line_bits *img, uint8_t data[MEM_LINE_BYTES])
{
    unsigned per_byte = 8u / c->width;
    memset(data, 0, MEM_LINE_BYTES);
    for (unsigned b = 0; b < c->beats; b++)
        for (unsigned d = 0; d < c->data_devices; d++)
            data[b * c->beat_bytes + d / per_byte] |= (uint8_t)(img->cell[b][d] << ((d % per_byte) * c->width));
}

/* ---- SECDED words --------------------------------------------------------- */

/* Where SECDED word k lives: beat, first data device, first check device. */
struct sd_place {
    unsigned beat, dev0, chk0;
};

static struct sd_place sd_place(const struct ecc_codec *c, unsigned k)
{
    unsigned halves = c->beat_bytes / 8u;
    unsigned h = k % halves;
    return (struct sd_place){k / halves, h * (64u / c->width), c->data_devices + h * (c->ecc_devices / halves)};
}

/* Gather n bits starting at device dev0 of one beat into an integer. */
static uint64_t gather(const struct ecc_codec *c, const struct dram_line_bits *img, unsigned beat, unsigned dev0,
                       unsigned nbits)
{
    uint64_t v = 0;
    for (unsigned i = 0; i * c->width < nbits; i++)
        v |= (uint64_t)img->cell[beat][dev0 + i] << (i * c->width);
    return v;
}

static void scatter(const struct ecc_codec *c, struct dram_line_bits *img, unsigned beat, unsigned dev0,
                    unsigned nbits, uint64_t v)
{
    uint64_t mask = (1ull << c->width) - 1u;
    for (unsigned i = 0; i * c->width < nbits; i++)
        img->cell[beat][dev0 + i] = (uint8_t)((v >> (i * c->width)) & mask);
}

static void sd_encode(const struct ecc_codec *c, struct dram_line_bits *img)
{
    for (unsigned k = 0; k < c->codewords; k++) {
        struct sd_place p = sd_place(c, k);
        uint64_t data = gather(c, img, p.beat, p.dev0, SECDED_DATA_BITS);
        scatter(c, img, p.beat, p.chk0, SECDED_CHECK_BITS, secded_encode(&c->sd, data));
    }
}

static void sd_decode(const struct ecc_codec *c, struct dram_line_bits *img, struct ecc_line_result *r)
{
    for (unsigned k = 0; k < c->codewords; k++) {
        struct sd_place p = sd_place(c, k);
        uint64_t data = gather(c, img, p.beat, p.dev0, SECDED_DATA_BITS);
        uint8_t check = (uint8_t)gather(c, img, p.beat, p.chk0, SECDED_CHECK_BITS);
        struct secded_result s = secded_decode(&c->sd, &data, &check);
        scatter(c, img, p.beat, p.dev0, SECDED_DATA_BITS, data);
        r->cw_status[k] = s.status;
        if (s.bit >= 0)
            r->cw_device[k] = s.bit < (int)SECDED_DATA_BITS
                                  ? (int)(p.dev0 + (unsigned)s.bit / c->width)
                                  : (int)(p.chk0 + ((unsigned)s.bit - SECDED_DATA_BITS) / c->width);
    }
}

/* ---- chipkill words ---------------------------------------------------------- */

/* One symbol = the two beats of one x4 device, so a device failure is one
 * symbol error (ecc.h). */
static void ck_gather(const struct dram_line_bits *img, unsigned k, uint8_t sym[CK_SYMBOLS])
{
    for (unsigned d = 0; d < CK_SYMBOLS; d++)
        sym[d] = (uint8_t)(img->cell[2 * k][d] | (img->cell[2 * k + 1][d] << 4));
}

static void ck_scatter(struct dram_line_bits *img, unsigned k, const uint8_t sym[CK_SYMBOLS])
{
    for (unsigned d = 0; d < CK_SYMBOLS; d++) {
        img->cell[2 * k][d] = (uint8_t)(sym[d] & 0xFu);
        img->cell[2 * k + 1][d] = (uint8_t)(sym[d] >> 4);
    }
}

static void ck_encode(const struct ecc_codec *c, struct dram_line_bits *img)
{
    uint8_t sym[CK_SYMBOLS];
    for (unsigned k = 0; k < c->codewords; k++) {
        ck_gather(img, k, sym);
        chipkill_encode(&c->ck, sym);
        ck_scatter(img, k, sym);
    }
}

static void ck_decode(const struct ecc_codec *c, struct dram_line_bits *img, struct ecc_line_result *r)
{
    uint8_t sym[CK_SYMBOLS];
    for (unsigned k = 0; k < c->codewords; k++) {
        ck_gather(img, k, sym);
        struct chipkill_result s = chipkill_decode(&c->ck, sym);
        ck_scatter(img, k, sym);
        r->cw_status[k] = s.status;
        r->cw_device[k] = s.symbol;
    }
}

/* ---- line codec ------------------------------------------------------------ */

void ecc_line_encode(const struct ecc_codec *c, const uint8_t data[MEM_LINE_BYTES], struct dram_line_bits *img)
{
    memset(img, 0, sizeof(*img));
    put_data(c, data, img);
    if (c->kind == ECC_KIND_CHIPKILL)
        ck_encode(c, img);
    else
        sd_encode(c, img);
}

void ecc_line_decode(const struct ecc_codec *c, const struct dram_line_bits *img, uint8_t data[MEM_LINE_BYTES],
                     struct ecc_line_result *r)
{
    struct dram_line_bits work = *img;
    memset(r, 0, sizeof(*r));
    r->codewords = c->codewords;
    for (unsigned k = 0; k < ECC_MAX_CODEWORDS; k++)
        r->cw_device[k] = -1;
    if (c->kind == ECC_KIND_CHIPKILL)
        ck_decode(c, &work, r);
    else
        sd_decode(c, &work, r);
    get_data(c, &work, data);
    r->status = ECC_CLEAN;
    for (unsigned k = 0; k < c->codewords; k++)
        if (r->cw_status[k] > r->status)
            r->status = r->cw_status[k];
}

/* ---- truth ---------------------------------------------------------------- */

/* [decoder status][data right?]: what really happened. */
static const enum ecc_truth truth_table[3][2] = {
    [ECC_CLEAN] = {ECC_TRUTH_UNDETECTED, ECC_TRUTH_CLEAN},
    [ECC_CORRECTED] = {ECC_TRUTH_MISCORRECTED, ECC_TRUTH_CORRECTED},
    [ECC_DETECTED] = {ECC_TRUTH_DUE, ECC_TRUTH_DUE},
};

enum ecc_truth ecc_truth(const void *orig, const void *got, size_t len, enum ecc_status st)
{
    bool right = memcmp(orig, got, len) == 0;
    return truth_table[st][right ? 1 : 0];
}

enum ecc_truth ecc_line_truth(const struct ecc_codec *c, const uint8_t orig[MEM_LINE_BYTES],
                              const uint8_t got[MEM_LINE_BYTES], const struct ecc_line_result *r)
{
    /* enum ecc_truth is ordered by severity, so the line is the maximum. */
    size_t span = MEM_LINE_BYTES / c->codewords;
    enum ecc_truth worst = ECC_TRUTH_CLEAN;
    for (unsigned k = 0; k < c->codewords; k++) {
        enum ecc_truth t = ecc_truth(orig + k * span, got + k * span, span, r->cw_status[k]);
        if (t > worst)
            worst = t;
    }
    return worst;
}
