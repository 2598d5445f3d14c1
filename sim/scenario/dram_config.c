/* dram_config.c - scenario memory keys to a memctl configuration: a key
 * left out (0) keeps the model's default. */
#include "sim/scenario/dram_config.h"

#include "models/memctl/field_rates.h"

struct memctl_config scn_dram_config(const struct scn_dram *d)
{
    struct memctl_config c = memctl_config_default();
    struct mem_geometry *g = &c.geom;
    const struct {
        unsigned from;
        unsigned *to;
    } keys[] = {
        {d->channels, &g->channels}, {d->dimms, &g->dimms_per_channel}, {d->ranks, &g->ranks_per_dimm},
        {d->banks, &g->banks_per_rank}, {d->rows, &g->rows}, {d->columns, &g->columns},
        {d->width, &g->device_width}, {d->ecc_devices, &g->ecc_devices},
    };
    for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (keys[i].from)
            *keys[i].to = keys[i].from;
    c.ecc = d->ecc ? ECC_KIND_CHIPKILL : ECC_KIND_SECDED;
    c.scrub_disabled = !d->scrub;
    c.scrub_period_ps = d->scrub_period_ps;
    c.spare_rank = d->spare_rank;
    /* a line is read from the old rank and written to the spare: 128 bytes */
    if (d->spare_rate)
        c.spare_line_ps = 128000000000000ull / d->spare_rate;
    return c;
}

double scn_dram_expected_faults(const struct scn_dram *d, uint64_t *devices)
{
    struct memctl_config c = scn_dram_config(d);
    struct addr_map map;
    *devices = 0;
    if (!d->fr_span_ps || addr_map_init(&map, &c.geom) != 0)
        return 0.0;
    struct field_rates r = d->fr_fit;
    field_rates_scale(&r, (double)d->fr_scale);
    *devices = addr_map_total_devices(&map);
    return field_rates_expected(&map, &r, d->fr_span_ps);
}
