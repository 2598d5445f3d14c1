/*
 * scenario_status.c - the value of `status:` and `mcg_status:` in an
 * inject event: a number, or a list of what makes one, ORed:
 *
 *     status: [val, uc, en, s, ar, mcacod: 0x134]
 *     mcg_status: [ripv, mcip]
 *
 * Items are symbols of mca_symbols.c (any case: `VAL`, `uncorrected`,
 * `srar`), numbers, and for a status `mcacod: N` and `mscod: N` (16 bits
 * each, placed at 15:0 and 31:16). A symbol of the other register is
 * refused with a hint saying where it belongs.
 */
#include <stdio.h>

#include "arch/x86_mca.h"
#include "sim/scenario/mca_symbols.h"
#include "sim/scenario/scenario_values.h"
#include "sim/scenario/scenario_walk.h"

static const char *const reg_names[] = {[MCA_REG_STATUS] = "MCi_STATUS", [MCA_REG_MCG_STATUS] = "MCG_STATUS"};

static int symbol_item(struct ld *l, const struct field *f, const yaml_node_t *v, enum mca_reg reg,
                       uint64_t *bits)
{
    const char *s = ld_scalar(l, v, f->key, "a bit name or a number");
    if (!s)
        return -1;
    if (scv_uint(s, bits) == SCV_OK || mca_symbol(reg, s, bits))
        return 0;
    if (mca_symbol_elsewhere(reg, s))
        return ld_fail(l, v, reg == MCA_REG_STATUS ? "give it in 'mcg_status'" : "give it in 'status'",
                       "'%s': '%.40s' is not a bit of %s", f->key, s, reg_names[reg]);
    const char *buf[32];
    struct names nm = {buf, mca_symbol_names(reg, buf, 32)};
    return ld_fail_names(l, v, s, "bit names", &nm, "'%s': unknown bit name '%.40s'", f->key, s);
}

struct code {
    uint64_t mcacod, mscod;
};
#define CO(m) offsetof(struct code, m)
static const struct field code_fields[] = {
    {.key = "mcacod", .rd = ld_rd_u64, .off = CO(mcacod), .max = 0xFFFF},
    {.key = "mscod", .rd = ld_rd_u64, .off = CO(mscod), .max = 0xFFFF},
};

static int item(struct ld *l, const struct field *f, const yaml_node_t *v, enum mca_reg reg, uint64_t *bits)
{
    if (v->type != YAML_MAPPING_NODE)
        return symbol_item(l, f, v, reg, bits);
    if (reg != MCA_REG_STATUS)
        return ld_fail(l, v, "MCG_STATUS has no error codes: give bit names or a number", "'%s': a mapping is not a "
                       "bit of MCG_STATUS", f->key);
    struct code c = {0};
    struct seen sn;
    if (LD_WALK(l, v, "a status item", code_fields, &c, &sn) < 0)
        return -1;
    *bits = c.mcacod | c.mscod << MCI_STATUS_MSCOD_SHIFT;
    return 0;
}

int ld_read_status(struct ld *l, const struct field *f, const yaml_node_t *v, enum mca_reg reg, uint64_t *out)
{
    if (v->type != YAML_SEQUENCE_NODE)
        return ld_read_uint(l, f, v, out);
    *out = 0;
    for (const yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *n = ld_node(l, *it);
        uint64_t bits;
        if (!n)
            return ld_fail(l, v, NULL, "internal error: dangling YAML node");
        if (item(l, f, n, reg, &bits) < 0)
            return -1;
        *out |= bits;
    }
    return 0;
}
