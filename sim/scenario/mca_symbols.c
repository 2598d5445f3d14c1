/*
 * mca_symbols.c - the symbolic names of status bits (mca_symbols.h): one
 * row per name, single bits first (those name a value back), groups after.
 */
#include "sim/scenario/mca_symbols.h"

#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "arch/x86_mca.h"

struct mca_sym {
    const char *name;
    uint64_t bits;
    bool single; /* one bit: used to name a value */
};

/* AMD's MCA_STATUS has Deferred (44) and Poison (43) where Intel's has the
 * corrected-error count (AMD64 APM Vol. 2, "Machine-Check Status"). */
#define AMD_STATUS_DEFERRED (1ull << 44)
#define AMD_STATUS_POISON (1ull << 43)
/* mce-inject's TES_YELLOW: threshold status bits 54:53 = 10b (SDM Table 15-6). */
#define STATUS_TES_YELLOW (1ull << 54)

static const struct mca_sym status_syms[] = {
    {"val", MCI_STATUS_VAL, true},
    {"over", MCI_STATUS_OVER, true},
    {"uc", MCI_STATUS_UC, true},
    {"en", MCI_STATUS_EN, true},
    {"miscv", MCI_STATUS_MISCV, true},
    {"addrv", MCI_STATUS_ADDRV, true},
    {"pcc", MCI_STATUS_PCC, true},
    {"s", MCI_STATUS_S, true},
    {"ar", MCI_STATUS_AR, true},
    {"tes_yellow", STATUS_TES_YELLOW, true},
    {"deferred", AMD_STATUS_DEFERRED, false},
    {"poison", AMD_STATUS_POISON, false},
    {"corrected", MCI_STATUS_VAL | MCI_STATUS_EN, false},
    {"uncorrected", MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN, false},
    {"fatal", MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_PCC, false},
    {"srao", MCI_STATUS_S, false},
    {"srar", MCI_STATUS_S | MCI_STATUS_AR, false},
    {"ucna", 0, false},
};

/* TES_P and SEAM_NR as mce-inject places them in MCG_STATUS (bits 11, 12). */
static const struct mca_sym mcg_syms[] = {
    {"ripv", MCG_STATUS_RIPV, true},
    {"eipv", MCG_STATUS_EIPV, true},
    {"mcip", MCG_STATUS_MCIP, true},
    {"lmces", MCG_STATUS_LMCES, true},
    {"tes_p", 1ull << 11, true},
    {"seam_nr", 1ull << 12, true},
};

static const struct {
    const struct mca_sym *v;
    unsigned n;
} tables[] = {
    [MCA_REG_STATUS] = {status_syms, sizeof(status_syms) / sizeof(status_syms[0])},
    [MCA_REG_MCG_STATUS] = {mcg_syms, sizeof(mcg_syms) / sizeof(mcg_syms[0])},
};

bool mca_symbol(enum mca_reg reg, const char *name, uint64_t *bits)
{
    for (unsigned i = 0; i < tables[reg].n; i++)
        if (!strcasecmp(name, tables[reg].v[i].name)) {
            *bits = tables[reg].v[i].bits;
            return true;
        }
    return false;
}

bool mca_symbol_elsewhere(enum mca_reg reg, const char *name)
{
    uint64_t bits;
    return mca_symbol(reg == MCA_REG_STATUS ? MCA_REG_MCG_STATUS : MCA_REG_STATUS, name, &bits);
}

unsigned mca_symbol_names(enum mca_reg reg, const char **buf, unsigned max)
{
    unsigned n = 0;
    for (; n < tables[reg].n && n < max; n++)
        buf[n] = tables[reg].v[n].name;
    return n;
}

void mca_symbol_text(enum mca_reg reg, uint64_t v, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = 0;
    uint64_t named = 0;
    for (unsigned i = 0; i < tables[reg].n && k < len; i++) {
        const struct mca_sym *s = &tables[reg].v[i];
        if (!s->single || !(v & s->bits))
            continue;
        if (k && k + 1 < len)
            buf[k++] = '|';
        for (const char *c = s->name; *c && k + 1 < len; c++)
            buf[k++] = (char)toupper((unsigned char)*c);
        buf[k] = 0;
        named |= s->bits;
    }
    uint64_t rest = v & ~named;
    if (reg == MCA_REG_STATUS) {
        rest &= ~(MCI_STATUS_MCACOD_MASK | MCI_STATUS_MSCOD_MASK);
        if (k < len)
            k += (size_t)snprintf(buf + k, len - k, "%sMCACOD 0x%04X", k ? ", " : "", mci_mcacod(v));
        if (mci_mscod(v) && k < len)
            k += (size_t)snprintf(buf + k, len - k, ", MSCOD 0x%04X", mci_mscod(v));
    }
    if (rest && k < len)
        snprintf(buf + k, len - k, "%sother bits %#llx", k ? ", " : "", (unsigned long long)rest);
    else if (!k)
        snprintf(buf, len, "none");
}
