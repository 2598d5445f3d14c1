/*
 * vmce.c - virtual MCA MSRs and vMCE injection (see vmce.h for the rules
 * and their sources). Every access counts as one MSR exit of the domain:
 * that is the cost a 32-bank interface imposes on each vMCE (Tony Luck in
 * the vMCE design RFC, xen-devel 2012: "If you tell the guest there are 32
 * banks it will read all of them").
 */
#include "vmce.h"

#include <errno.h>
#include <string.h>

#include "vmce_caps.h"

#define MSR_BANK_LAST (MSR_IA32_MC0_CTL + 4u * VMCE_MAX_BANKS - 1u)
#define MSR_CTL2_LAST (MSR_IA32_MC0_CTL2 + VMCE_MAX_BANKS - 1u)

enum bank_reg { REG_CTL = 0, REG_STATUS, REG_ADDR, REG_MISC, REG_CTL2 };

/* Decode a bank MSR: true with bank index and register. */
static bool bank_msr(uint32_t msr, unsigned *bank, enum bank_reg *reg)
{
    if (msr >= MSR_IA32_MC0_CTL && msr <= MSR_BANK_LAST) {
        *bank = (msr - MSR_IA32_MC0_CTL) / 4;
        *reg = (enum bank_reg)((msr - MSR_IA32_MC0_CTL) % 4);
        return true;
    }
    if (msr >= MSR_IA32_MC0_CTL2 && msr <= MSR_CTL2_LAST) {
        *bank = msr - MSR_IA32_MC0_CTL2;
        *reg = REG_CTL2;
        return true;
    }
    return false;
}

static uint64_t *bank_field(struct vmce_bank *b, enum bank_reg reg)
{
    switch (reg) {
    case REG_STATUS: return &b->status;
    case REG_ADDR: return &b->addr;
    case REG_MISC: return &b->misc;
    case REG_CTL2: return &b->ctl2;
    case REG_CTL: break;
    }
    return NULL;
}

static enum vmce_msr_result read_bank(struct domain *d, struct vcpu *v, unsigned bank,
                                      enum bank_reg reg, uint64_t *val)
{
    if (bank >= d->vp.nbanks) {
        *val = 0;
        return d->vp.past_count == VMCE_PAST_GP ? VMCE_MSR_GP : VMCE_MSR_OK;
    }
    if (reg == REG_CTL) {
        *val = ~0ull;
        return VMCE_MSR_OK;
    }
    if (reg == REG_CTL2 && !d->vp.cmci_p) {
        *val = 0;
        return VMCE_MSR_GP;
    }
    *val = *bank_field(&v->vmce.bank[bank], reg);
    return VMCE_MSR_OK;
}

static enum vmce_msr_result write_bank(struct domain *d, struct vcpu *v, unsigned bank,
                                       enum bank_reg reg, uint64_t val)
{
    if (bank >= d->vp.nbanks)
        return d->vp.past_count == VMCE_PAST_GP ? VMCE_MSR_GP : VMCE_MSR_OK;
    switch (reg) {
    case REG_CTL:
        d->mca_enabled = true; /* the guest turned reporting on */
        return VMCE_MSR_OK;
    case REG_CTL2:
        if (!d->vp.cmci_p)
            return VMCE_MSR_GP;
        v->vmce.bank[bank].ctl2 = val & VMCE_CTL2_BITS;
        return VMCE_MSR_OK;
    default:
        if (val != 0)
            return VMCE_MSR_GP;
        *bank_field(&v->vmce.bank[bank], reg) = 0;
        return VMCE_MSR_OK;
    }
}

enum vmce_msr_result vmce_rdmsr(struct domain *d, struct vcpu *v, uint32_t msr, uint64_t *val)
{
    unsigned bank;
    enum bank_reg reg;
    *val = 0;
    if (bank_msr(msr, &bank, &reg)) {
        d->msr_exits++;
        return read_bank(d, v, bank, reg, val);
    }
    switch (msr) {
    case MSR_IA32_MCG_CAP: *val = d->mcg_cap; break;
    case MSR_IA32_MCG_STATUS: *val = v->vmce.mcg_status; break;
    case MSR_IA32_MCG_CTL: *val = 0; break; /* no MCG_CTL_P: reads as zero */
    case MSR_IA32_MCG_EXT_CTL:
        if (!d->vp.lmce_p) {
            d->msr_exits++;
            return VMCE_MSR_GP;
        }
        *val = v->vmce.mcg_ext_ctl;
        break;
    case MSR_IA32_P5_MC_ADDR:
        *val = d->vp.nbanks > 1 ? v->vmce.bank[1].addr : 0;
        break;
    case MSR_IA32_P5_MC_TYPE:
        *val = d->vp.nbanks > 1 ? v->vmce.bank[1].status : 0;
        break;
    default:
        return VMCE_MSR_NOT_MINE;
    }
    d->msr_exits++;
    return VMCE_MSR_OK;
}

enum vmce_msr_result vmce_wrmsr(struct domain *d, struct vcpu *v, uint32_t msr, uint64_t val)
{
    unsigned bank;
    enum bank_reg reg;
    if (bank_msr(msr, &bank, &reg)) {
        d->msr_exits++;
        return write_bank(d, v, bank, reg, val);
    }
    switch (msr) {
    case MSR_IA32_MCG_CAP:
    case MSR_IA32_MCG_CTL:
        break; /* ignored */
    case MSR_IA32_MCG_STATUS:
        v->vmce.mcg_status = val;
        break;
    case MSR_IA32_MCG_EXT_CTL:
        if (!d->vp.lmce_p || (val & ~VMCE_EXT_CTL_BITS)) {
            d->msr_exits++;
            return VMCE_MSR_GP;
        }
        v->vmce.mcg_ext_ctl = val;
        break;
    case MSR_IA32_P5_MC_ADDR:
    case MSR_IA32_P5_MC_TYPE:
        break; /* legacy, read-only mirror: writes dropped */
    default:
        return VMCE_MSR_NOT_MINE;
    }
    d->msr_exits++;
    return VMCE_MSR_OK;
}

static enum vmce_inject_result can_take(const struct vcpu *v)
{
    if (v->vmce.mcg_status & MCG_STATUS_MCIP)
        return VMCE_FAIL_MCIP;
    if (v->vmce.pending)
        return VMCE_FAIL_PENDING;
    return VMCE_INJECTED;
}

enum vmce_inject_result vmce_inject(struct domain *d, unsigned target, bool broadcast,
                                    const struct vmce_error *e)
{
    if (target >= d->nvcpus)
        return VMCE_FAIL_BAD_VCPU;
    for (unsigned i = 0; i < d->nvcpus; i++) {
        if (i != target && !broadcast)
            continue;
        enum vmce_inject_result r = can_take(&d->vcpu[i]);
        if (r != VMCE_INJECTED)
            return r;
    }
    struct vcpu *v = &d->vcpu[target];
    struct vmce_bank *b = &v->vmce.bank[d->vp.err_bank];
    /* MSCOD is the host's model-specific code: meaningless to a guest. */
    b->status = e->status & ~MCI_STATUS_MSCOD_MASK;
    b->addr = e->gaddr;
    b->misc = e->misc;
    v->vmce.mcg_status = e->mcg_status | MCG_STATUS_MCIP;
    v->vmce.pending = true;
    for (unsigned i = 0; broadcast && i < d->nvcpus; i++) {
        if (i == target)
            continue;
        d->vcpu[i].vmce.mcg_status = MCG_STATUS_MCIP | MCG_STATUS_RIPV;
        d->vcpu[i].vmce.pending = true;
    }
    d->vmce_injected++;
    if (d->log_dirty)
        d->vmce_in_logdirty = true; /* vMCE RFC: the toolstack may abort */
    return VMCE_INJECTED;
}

void vmce_save_vcpu(const struct domain *d, const struct vcpu *v, struct vmce_save *s)
{
    s->caps = d->mcg_cap;
    s->ctl2[0] = v->vmce.bank[0].ctl2;
    s->ctl2[1] = v->vmce.bank[1].ctl2;
    s->ext_ctl = v->vmce.mcg_ext_ctl;
}

int vmce_load_vcpu(struct domain *d, struct vcpu *v, const struct vmce_save *s, uint64_t supported)
{
    if (vmce_caps_check(s->caps, supported) != 0)
        return -EINVAL;
    /* what a guest wrmsr of MCG_EXT_CTL would #GP on */
    if ((s->ext_ctl && !(s->caps & MCG_LMCE_P)) || (s->ext_ctl & ~VMCE_EXT_CTL_BITS))
        return -EINVAL;
    d->mcg_cap = s->caps;
    vmce_policy_from_caps(&d->vp, s->caps);
    v->vmce.bank[0].ctl2 = s->ctl2[0] & VMCE_CTL2_BITS;
    v->vmce.bank[1].ctl2 = s->ctl2[1] & VMCE_CTL2_BITS;
    v->vmce.mcg_ext_ctl = s->ext_ctl;
    return 0;
}

const char *vmce_inject_result_name(enum vmce_inject_result r)
{
    static const char *const names[] = {
        "injected", "previous vMCE still in progress (MCIP set)", "a vMCE is already pending",
        "no such vCPU",
    };
    return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "unknown";
}
