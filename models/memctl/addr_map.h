/*
 * addr_map.h - DRAM geometry of one host's memory and the map between
 * physical addresses and DRAM locations.
 *
 * Geometry. A rank is a set of devices (chips) that answer one command
 * together. Each device has device_width DQ pins (x4 or x8); per beat of a
 * burst every device delivers device_width bits. A rank has
 * data_devices = 8 * ecc_devices data devices, so check bits are always
 * 1/8 of data bits (72/64):
 *
 *   width  ecc_devices  devices  data bits/beat  beats/line  arrangement
 *   x4     2            18       64              8           one 72-bit channel
 *   x4     4            36       128             4           two channels in lockstep (144 bits)
 *   x8     1            9        64              8           one 72-bit channel
 *   x8     2            18       128             4           two channels in lockstep
 *
 * A lockstep pair is presented as one logical channel (x4 chipkill spreads
 * a 144-bit word over 36 x4 devices, often two channels in lockstep). A
 * 64-byte cache line is one burst of beats_per_line beats; the beat number
 * is the low part of the device column address, so a line covers
 * beats_per_line consecutive columns of one row.
 * Every line therefore holds 576 stored bits: 512 data + 64 check.
 *
 * Address map. All counts are powers of two, so a physical address is a
 * concatenation of bit fields. From the least significant bit:
 *
 *   field     bits                        meaning
 *   lane      log2(bytes per beat) (3|4)  byte within the beat
 *   beat      log2(beats_per_line) (3|2)  column bits below the burst = beat
 *   channel   log2(channels)              cache lines interleave across channels first
 *   colgroup  log2(columns / beats)       rest of the column: lines of one open row
 *   bank      log2(banks_per_rank)
 *   rank      log2(ranks_per_dimm)
 *   dimm      log2(dimms_per_channel)
 *   row       log2(rows)                  most significant
 *
 * lane + beat are always the 6 bits of the byte offset in the line.
 * Consecutive lines go to consecutive channels; within a channel, lines
 * of the same row (same bank) are adjacent, which keeps an open page
 * useful for sequential traffic. Example, default geometry (2 channels,
 * 2 DIMMs, 2 ranks, 16 banks, 65536 rows, 1024 columns, x4, 2 ECC devices,
 * 64 GiB): lane 2:0, beat 5:3, channel 6, colgroup 13:7, bank 17:14,
 * rank 18, dimm 19, row 35:20.
 *
 * The "line index" is the address shifted right by 6; its fields are the
 * same list without lane and beat.
 */
#ifndef MODELS_MEMCTL_ADDR_MAP_H
#define MODELS_MEMCTL_ADDR_MAP_H

#include <stdbool.h>
#include <stdint.h>

#define MEM_LINE_BYTES 64u
#define MEM_LINE_SHIFT 6u
#define MEM_MAX_BEATS 8u
#define MEM_MAX_DEVICES 36u
#define MEM_MAX_ADDR_BITS 52u /* x86 MAXPHYADDR upper bound */

struct mem_geometry {
    unsigned channels;          /* logical channels, 1..8               */
    unsigned dimms_per_channel; /* 1..8                                 */
    unsigned ranks_per_dimm;    /* 1..8                                 */
    unsigned banks_per_rank;    /* 1..64 (DDR4: 4 groups x 4 banks)     */
    unsigned rows;              /* per bank, 2..2^20                    */
    unsigned columns;           /* per row, beats_per_line..2^14        */
    unsigned device_width;      /* DQ bits per device: 4 or 8           */
    unsigned ecc_devices;       /* x4: 2 or 4; x8: 1 or 2 (table above) */
};

/* The geometry used when a scenario says nothing (64 GiB, see above). */
struct mem_geometry mem_geometry_default(void);

enum addr_field {
    AF_LANE = 0,
    AF_BEAT,
    AF_CHANNEL,
    AF_COLGROUP,
    AF_BANK,
    AF_RANK,
    AF_DIMM,
    AF_ROW,
    AF__COUNT
};

struct addr_bits {
    unsigned shift; /* in the physical address */
    unsigned bits;
};

struct addr_map {
    struct mem_geometry g;
    unsigned data_devices;   /* 8 * ecc_devices                     */
    unsigned devices;        /* data + ecc devices per rank         */
    unsigned beats;          /* beats per line (8 or 4)             */
    unsigned beat_bytes;     /* data bytes per beat (8 or 16)       */
    struct addr_bits f[AF__COUNT];
    unsigned addr_bits;      /* log2(capacity)                      */
    uint64_t capacity;       /* bytes                               */
    uint64_t lines;          /* capacity / 64                       */
};

/* A DRAM location. column is the device column address (the beat of a
 * byte is column % beats); byte is the byte lane within the beat. */
struct dram_loc {
    unsigned channel, dimm, rank, bank, row, column, byte;
};

/*
 * The stored bits of one line as the devices hold them: cell[beat][device]
 * has device_width meaningful low bits (DQ0 = bit 0). Devices
 * 0..data_devices-1 carry data, the rest check bits. Used for encoded
 * lines and for error masks (a set bit = that stored bit is flipped).
 */
struct dram_line_bits {
    uint8_t cell[MEM_MAX_BEATS][MEM_MAX_DEVICES];
};

/* NULL when g is usable, else a static sentence saying what is wrong. */
const char *addr_map_check(const struct mem_geometry *g);

/* 0, or -1 when addr_map_check() complains. */
int addr_map_init(struct addr_map *m, const struct mem_geometry *g);

/* Physical address -> location. -1 when paddr >= capacity. */
int addr_map_decode(const struct addr_map *m, uint64_t paddr, struct dram_loc *loc);

/* Location -> physical address. -1 when a field is out of range. */
int addr_map_encode(const struct addr_map *m, const struct dram_loc *loc, uint64_t *paddr);

/* Location of the first byte of line `line` (a line index < lines). */
void addr_map_line_loc(const struct addr_map *m, uint64_t line, struct dram_loc *loc);

/* Line index of the line holding loc (column and byte may be anywhere in
 * the line). loc must be in range. */
uint64_t addr_map_line_of(const struct addr_map *m, const struct dram_loc *loc);

/* Field `f` (AF_CHANNEL..AF_ROW) of a line index. */
unsigned addr_map_line_field(const struct addr_map *m, uint64_t line, enum addr_field f);

/* Bit position of field f in a line index (shift - MEM_LINE_SHIFT). */
static inline unsigned addr_map_line_shift(const struct addr_map *m, enum addr_field f)
{
    return m->f[f].shift - MEM_LINE_SHIFT;
}

/* The bits of field f in a line index. */
static inline uint64_t addr_map_line_mask(const struct addr_map *m, enum addr_field f)
{
    return (((uint64_t)1 << m->f[f].bits) - 1u) << addr_map_line_shift(m, f);
}

/* Devices in the whole host: channels * dimms * ranks * devices. */
uint64_t addr_map_total_devices(const struct addr_map *m);

#endif
