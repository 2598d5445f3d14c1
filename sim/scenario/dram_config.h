/* dram_config.h - a scenario's `dram:` block as a memory-controller
 * configuration (defaults: models/memctl memctl_config_default()). */
#ifndef SIM_DRAM_CONFIG_H
#define SIM_DRAM_CONFIG_H

#ifdef __cplusplus
extern "C" {
#endif

#include "models/memctl/memctl.h"
#include "sim/scenario/scenario.h"

struct memctl_config scn_dram_config(const struct scn_dram *d);

/* The draw holds every fault of its span at once (field_rates_draw): a
 * table, scale and span expecting more than this many are refused (by the
 * scenario loader, and by a campaign's table). */
#define SCN_FR_MAX_EXPECTED 1e6
/* Faults dram.field_rates expects over its span (0 when off), and the
 * host's devices (*devices; 0 for a geometry the address map refuses). */
double scn_dram_expected_faults(const struct scn_dram *d, uint64_t *devices);

#ifdef __cplusplus
}
#endif

#endif
