/*
 * addr_map.c - geometry checks and the bit-field address map of
 * addr_map.h. The field order is one table (field_order); both directions
 * walk it, so encode and decode cannot disagree about the layout.
 */
#include "models/memctl/addr_map.h"

#include <stddef.h>
#include <string.h>

/* Least significant first: the layout documented in addr_map.h. */
static const enum addr_field field_order[AF__COUNT] = {
    AF_LANE, AF_BEAT, AF_CHANNEL, AF_COLGROUP, AF_BANK, AF_RANK, AF_DIMM, AF_ROW,
};

enum geom_count { GC_CHANNELS = 0, GC_DIMMS, GC_RANKS, GC_BANKS, GC_ROWS, GC_COLUMNS, GC__COUNT };

struct count_rule {
    unsigned min, max;
    const char *msg;
};

/* Limits keep every count small enough for the MCA channel nibble (CCCC,
 * 15 = unknown, so at most 8 real channels) and sane for a DDR3-DDR5 part. */
static const struct count_rule count_rules[GC__COUNT] = {
    [GC_CHANNELS] = {1, 8, "channels must be a power of two from 1 to 8"},
    [GC_DIMMS] = {1, 8, "dimms_per_channel must be a power of two from 1 to 8"},
    [GC_RANKS] = {1, 8, "ranks_per_dimm must be a power of two from 1 to 8"},
    [GC_BANKS] = {1, 64, "banks_per_rank must be a power of two from 1 to 64"},
    [GC_ROWS] = {2, 1u << 20, "rows must be a power of two from 2 to 2^20"},
    [GC_COLUMNS] = {4, 1u << 14, "columns must be a power of two from 4 to 2^14"},
};

/* The arrangements of the table in addr_map.h. */
struct bus_rule {
    unsigned width, ecc_devices, beats;
};
static const struct bus_rule bus_rules[] = {
    {4, 2, 8},
    {4, 4, 4},
    {8, 1, 8},
    {8, 2, 4},
};

static bool is_pow2(unsigned v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

static unsigned log2u(unsigned v)
{
    unsigned n = 0;
    while (v > 1) {
        v >>= 1;
        n++;
    }
    return n;
}

static const struct bus_rule *bus_of(const struct mem_geometry *g)
{
    for (size_t i = 0; i < sizeof(bus_rules) / sizeof(bus_rules[0]); i++)
        if (bus_rules[i].width == g->device_width && bus_rules[i].ecc_devices == g->ecc_devices)
            return &bus_rules[i];
    return NULL;
}

struct mem_geometry mem_geometry_default(void)
{
    return (struct mem_geometry){
        .channels = 2,
        .dimms_per_channel = 2,
        .ranks_per_dimm = 2,
        .banks_per_rank = 16,
        .rows = 65536,
        .columns = 1024,
        .device_width = 4,
        .ecc_devices = 2,
    };
}

static unsigned total_bits(const struct mem_geometry *g)
{
    /* Byte offset in the line plus every field of the line index. */
    const struct bus_rule *b = bus_of(g);
    return MEM_LINE_SHIFT + log2u(g->channels) + log2u(g->columns / b->beats) + log2u(g->banks_per_rank) +
           log2u(g->ranks_per_dimm) + log2u(g->dimms_per_channel) + log2u(g->rows);
}

const char *addr_map_check(const struct mem_geometry *g)
{
    if (!g)
        return "no geometry";
    const unsigned count[GC__COUNT] = {
        [GC_CHANNELS] = g->channels, [GC_DIMMS] = g->dimms_per_channel, [GC_RANKS] = g->ranks_per_dimm,
        [GC_BANKS] = g->banks_per_rank, [GC_ROWS] = g->rows, [GC_COLUMNS] = g->columns,
    };
    for (unsigned i = 0; i < GC__COUNT; i++)
        if (!is_pow2(count[i]) || count[i] < count_rules[i].min || count[i] > count_rules[i].max)
            return count_rules[i].msg;
    const struct bus_rule *b = bus_of(g);
    if (!b)
        return "device_width/ecc_devices must be x4 with 2 or 4 ECC devices, or x8 with 1 or 2";
    if (g->columns < b->beats)
        return "columns must be at least the beats of one burst";
    if (total_bits(g) > MEM_MAX_ADDR_BITS)
        return "capacity exceeds 2^52 bytes (x86 MAXPHYADDR)";
    return NULL;
}

static unsigned field_bits(const struct mem_geometry *g, const struct bus_rule *b, enum addr_field f)
{
    unsigned beat_bytes = MEM_LINE_BYTES / b->beats;
    switch (f) {
    case AF_LANE:
        return log2u(beat_bytes);
    case AF_BEAT:
        return log2u(b->beats);
    case AF_CHANNEL:
        return log2u(g->channels);
    case AF_COLGROUP:
        return log2u(g->columns / b->beats);
    case AF_BANK:
        return log2u(g->banks_per_rank);
    case AF_RANK:
        return log2u(g->ranks_per_dimm);
    case AF_DIMM:
        return log2u(g->dimms_per_channel);
    default:
        return log2u(g->rows);
    }
}

int addr_map_init(struct addr_map *m, const struct mem_geometry *g)
{
    if (addr_map_check(g))
        return -1;
    const struct bus_rule *b = bus_of(g);
    memset(m, 0, sizeof(*m));
    m->g = *g;
    m->data_devices = 8u * g->ecc_devices;
    m->devices = m->data_devices + g->ecc_devices;
    m->beats = b->beats;
    m->beat_bytes = MEM_LINE_BYTES / b->beats;
    unsigned shift = 0;
    for (unsigned i = 0; i < AF__COUNT; i++) {
        enum addr_field f = field_order[i];
        m->f[f].shift = shift;
        m->f[f].bits = field_bits(g, b, f);
        shift += m->f[f].bits;
    }
    m->addr_bits = shift;
    m->capacity = 1ull << shift;
    m->lines = m->capacity >> MEM_LINE_SHIFT;
    return 0;
}

static unsigned get_field(const struct addr_map *m, uint64_t paddr, enum addr_field f)
{
    return (unsigned)((paddr >> m->f[f].shift) & ((1ull << m->f[f].bits) - 1));
}

static uint64_t put_field(const struct addr_map *m, enum addr_field f, unsigned v)
{
    return (uint64_t)v << m->f[f].shift;
}

int addr_map_decode(const struct addr_map *m, uint64_t paddr, struct dram_loc *loc)
{
    if (paddr >= m->capacity)
        return -1;
    unsigned colgroup = get_field(m, paddr, AF_COLGROUP);
    loc->byte = get_field(m, paddr, AF_LANE);
    loc->column = colgroup * m->beats + get_field(m, paddr, AF_BEAT);
    loc->channel = get_field(m, paddr, AF_CHANNEL);
    loc->bank = get_field(m, paddr, AF_BANK);
    loc->rank = get_field(m, paddr, AF_RANK);
    loc->dimm = get_field(m, paddr, AF_DIMM);
    loc->row = get_field(m, paddr, AF_ROW);
    return 0;
}

static bool loc_in_range(const struct addr_map *m, const struct dram_loc *l)
{
    const struct mem_geometry *g = &m->g;
    return l->channel < g->channels && l->dimm < g->dimms_per_channel && l->rank < g->ranks_per_dimm &&
           l->bank < g->banks_per_rank && l->row < g->rows && l->column < g->columns && l->byte < m->beat_bytes;
}

int addr_map_encode(const struct addr_map *m, const struct dram_loc *l, uint64_t *paddr)
{
    if (!loc_in_range(m, l))
        return -1;
    *paddr = put_field(m, AF_LANE, l->byte) | put_field(m, AF_BEAT, l->column % m->beats) |
             put_field(m, AF_CHANNEL, l->channel) | put_field(m, AF_COLGROUP, l->column / m->beats) |
             put_field(m, AF_BANK, l->bank) | put_field(m, AF_RANK, l->rank) | put_field(m, AF_DIMM, l->dimm) |
             put_field(m, AF_ROW, l->row);
    return 0;
}

void addr_map_line_loc(const struct addr_map *m, uint64_t line, struct dram_loc *loc)
{
    addr_map_decode(m, line << MEM_LINE_SHIFT, loc);
}

uint64_t addr_map_line_of(const struct addr_map *m, const struct dram_loc *loc)
{
    struct dram_loc l = *loc;
    l.byte = 0;
    l.column -= l.column % m->beats;
    uint64_t paddr = 0;
    addr_map_encode(m, &l, &paddr);
    return paddr >> MEM_LINE_SHIFT;
}

unsigned addr_map_line_field(const struct addr_map *m, uint64_t line, enum addr_field f)
{
    return get_field(m, line << MEM_LINE_SHIFT, f);
}

uint64_t addr_map_total_devices(const struct addr_map *m)
{
    const struct mem_geometry *g = &m->g;
    return (uint64_t)g->channels * g->dimms_per_channel * g->ranks_per_dimm * m->devices;
}
