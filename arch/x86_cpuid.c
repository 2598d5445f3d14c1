/* x86_cpuid.c - names of CPU vendors, as scenarios and reports spell them. */
#include "x86_cpuid.h"

#include <string.h>

static const char *const vendor_names[CPU_VENDOR__COUNT] = {
    [CPU_VENDOR_INTEL] = "intel",
    [CPU_VENDOR_AMD] = "amd",
    [CPU_VENDOR_HYGON] = "hygon",
    [CPU_VENDOR_CENTAUR] = "centaur",
    [CPU_VENDOR_ZHAOXIN] = "zhaoxin",
};

const char *cpu_vendor_name(enum cpu_vendor v)
{
    return (unsigned)v < CPU_VENDOR__COUNT ? vendor_names[v] : "unknown";
}

enum cpu_vendor cpu_vendor_from_name(const char *name)
{
    for (unsigned i = 0; i < CPU_VENDOR__COUNT; i++)
        if (strcmp(name, vendor_names[i]) == 0)
            return (enum cpu_vendor)i;
    return CPU_VENDOR__COUNT;
}

const char *const *cpu_vendor_names(void)
{
    return vendor_names;
}
