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

#ifdef __cplusplus
}
#endif

#endif
