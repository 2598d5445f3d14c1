/*
 * scenario_msr.c - MSRs as scenarios name them: a number, or MCG_CAP,
 * MCG_STATUS, MCG_CTL, MCG_EXT_CTL, MC<i>_CTL, MC<i>_STATUS, MC<i>_ADDR,
 * MC<i>_MISC, MC<i>_CTL2 (SDM Vol. 3B §15.3, arch/x86_mca.h), and for a
 * guest also P5_MC_ADDR and P5_MC_TYPE. A host's register (expect
 * registers, host_rdmsr/host_wrmsr) must name one of its banks; a guest's
 * (rdmsr/wrmsr) any of the 32 a vMCE interface can have, whatever its
 * count: what happens past the count is what the scenario is about.
 */
#include "sim/scenario/scenario.h"

#include <string.h>

#include "arch/x86_mca.h"
#include "sim/scenario/scenario_values.h"
#include "sim/scenario/scenario_walk.h"

static const struct {
    const char *name;
    uint32_t msr;
    bool guest_only;
} named_msrs[] = {
    {"MCG_CAP", MSR_IA32_MCG_CAP, false},
    {"MCG_STATUS", MSR_IA32_MCG_STATUS, false},
    {"MCG_CTL", MSR_IA32_MCG_CTL, false},
    {"MCG_EXT_CTL", MSR_IA32_MCG_EXT_CTL, false},
    {"P5_MC_ADDR", MSR_IA32_P5_MC_ADDR, true},
    {"P5_MC_TYPE", MSR_IA32_P5_MC_TYPE, true},
};

static const char *const bank_msr_v[] = {"CTL", "STATUS", "ADDR", "MISC", "CTL2"};

static uint32_t bank_msr(unsigned kind, unsigned bank)
{
    switch (kind) {
    case 0: return MSR_IA32_MCx_CTL(bank);
    case 1: return MSR_IA32_MCx_STATUS(bank);
    case 2: return MSR_IA32_MCx_ADDR(bank);
    case 3: return MSR_IA32_MCx_MISC(bank);
    default: return MSR_IA32_MCx_CTL2(bank);
    }
}

/* "MC<i>_<REG>": the kind (index in bank_msr_v) and bank, or -1. */
static int parse_bank_msr(const char *s, unsigned *bank)
{
    if (strncmp(s, "MC", 2) != 0 || s[2] < '0' || s[2] > '9')
        return -1;
    unsigned b = 0, digits = 0;
    for (s += 2; *s >= '0' && *s <= '9' && digits < 3; s++, digits++)
        b = b * 10 + (unsigned)(*s - '0');
    if (*s != '_')
        return -1;
    *bank = b;
    return scv_lookup(s + 1, bank_msr_v, 5);
}

#define MSR_HINT "an MSR number, or MCG_CAP, MCG_STATUS, MCG_CTL, MCG_EXT_CTL, MC<i>_CTL, MC<i>_STATUS, " \
                 "MC<i>_ADDR, MC<i>_MISC, MC<i>_CTL2"

/* host: the host whose banks bound the name, or NULL for a guest's MSR. */
static int read_msr(struct ld *l, const struct field *f, const yaml_node_t *v, uint32_t *msr,
                    const struct scn_host *host)
{
    const char *s = ld_scalar(l, v, f->key, "an MSR number or name");
    if (!s)
        return -1;
    uint64_t x;
    if ((s[0] >= '0' && s[0] <= '9') || s[0] == '-') {
        if (ld_read_uint(l, &(struct field){.key = f->key, .max = UINT32_MAX}, v, &x) < 0)
            return -1;
        *msr = (uint32_t)x;
        return 0;
    }
    for (unsigned i = 0; i < sizeof(named_msrs) / sizeof(named_msrs[0]); i++)
        if (strcmp(s, named_msrs[i].name) == 0 && (!host || !named_msrs[i].guest_only))
            return *msr = named_msrs[i].msr, 0;
    unsigned bank;
    int kind = parse_bank_msr(s, &bank);
    if (kind < 0)
        return ld_fail(l, v, host ? MSR_HINT : MSR_HINT ", P5_MC_ADDR, P5_MC_TYPE", "'%s': unknown MSR '%.40s'",
                       f->key, s);
    unsigned nbanks = host ? host->nbanks : MCA_MAX_BANKS;
    if (bank >= nbanks) {
        if (host)
            return ld_fail(l, v, "banks are numbered from 0 to the host's 'banks' - 1",
                           "'%s': %.40s names bank %u, but host '%s' has %u banks", f->key, s, bank, host->name,
                           host->nbanks);
        return ld_fail(l, v, "a vMCE interface has at most 32 banks: MC0 to MC31",
                       "'%s': %.40s names bank %u", f->key, s, bank);
    }
    *msr = bank_msr((unsigned)kind, bank);
    return 0;
}

int ld_rd_msr(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return read_msr(l, f, v, ld_member(obj, f->off), ld_host(l, ld_host_of(f, obj)));
}

int ld_rd_guest_msr(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return read_msr(l, f, v, ld_member(obj, f->off), NULL);
}
