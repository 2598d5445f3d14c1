/* oracle_target.c - the oracle's targets as a table (oracle_target.h). */
#include "sim/results/oracle_target.h"

#include <string.h>

static const struct {
    const char *name;
    bool xen;
    enum hv_xen_version version;
} targets[ORC__COUNT] = {
    [ORC_XEN_417] = {"xen-4.17", true, XEN_VER_4_17},
    [ORC_XEN_420] = {"xen-4.20", true, XEN_VER_4_20},
    [ORC_LINUX] = {"linux", false, XEN_VER_4_20},
};

const char *oracle_target_name(enum oracle_target t)
{
    return (unsigned)t < ORC__COUNT ? targets[t].name : "unknown";
}

enum oracle_target oracle_target_from_name(const char *name)
{
    for (unsigned i = 0; i < ORC__COUNT; i++)
        if (!strcmp(name, targets[i].name))
            return (enum oracle_target)i;
    return ORC__COUNT;
}

bool oracle_target_is_xen(enum oracle_target t) { return (unsigned)t < ORC__COUNT && targets[t].xen; }

enum hv_xen_version oracle_target_xen_version(enum oracle_target t)
{
    return (unsigned)t < ORC__COUNT ? targets[t].version : XEN_VER_4_20;
}
