/*
 * vmce_msr.c - what a guest reads and writes in the machine-check MSRs of
 * one of its vCPUs, answered as Xen answers: vmce_rdmsr / vmce_wrmsr and
 * bank_mce_rdmsr / bank_mce_wrmsr (cpu/mcheck/vmce.c), vmce_intel_rdmsr /
 * vmce_intel_wrmsr (mce_intel.c) and vmce_amd_rdmsr / vmce_amd_wrmsr
 * (mce_amd.c), behind the MSR ranges guest_rdmsr / guest_wrmsr hand to
 * them (arch/x86/msr.c). Checked against the 4.17.7 and 4.20.4 trees,
 * where these functions behave the same.
 *
 * Each MSR belongs to one class (a global register, a bank register, a
 * bank's CTL2, a P5 alias), and each class is one row of a table: when the
 * MSR counts as one of this vCPU's (Xen's mce_bank_msr: a bank below
 * MCG_CAP.Count; CTL2 and the P5 aliases only on an Intel host), and its
 * read and write rules. An MSR of the machine-check ranges that does not
 * count reads as zero and drops writes, because Xen's vmce_rdmsr then
 * answers "not handled" and guest_rdmsr carries on without a fault; the
 * named alternative `past_count: gp` (the behaviour before the fix, vMCE
 * design RFC) raises #GP there for banks past the count instead.
 *
 * Xen stores two banks per vCPU (GUEST_MC_BANK_NUM); the STATUS, ADDR,
 * MISC and CTL2 of a higher bank inside the count read as zero. Every
 * access that reaches this file is one MSR exit of the domain.
 *
 * With mce_verbosity=verbose those functions print the accesses they
 * handle (the same texts in 4.17.7 and 4.20.4): a second table, `verbose`,
 * says per class which reads and writes print and how; the caller, which
 * has the console, prints the line (hv/guest_ops.c).
 */
#include "vmce.h"

#include <stddef.h>
#include <stdio.h>

enum msr_class {
    MC_NONE = 0, MC_CAP, MC_STATUS, MC_CTL, MC_EXT_CTL,
    MC_BANK_CTL, MC_BANK_STATUS, MC_BANK_ADDR, MC_BANK_MISC, MC_BANK_CTL2,
    MC_P5_ADDR, MC_P5_TYPE, MC__COUNT
};

/* off: the register in struct vmce_bank, for the rules of bank registers. */
typedef enum vmce_msr_result (*msr_read_fn)(struct domain *d, struct vcpu *v, unsigned bank, size_t off,
                                            uint64_t *val);
typedef enum vmce_msr_result (*msr_write_fn)(struct domain *d, struct vcpu *v, unsigned bank, size_t off,
                                             uint64_t val);

/* When does an MSR of the class count as this vCPU's (mce_bank_msr)? */
enum msr_scope {
    SCOPE_ALWAYS = 0, /* MCG_*: vmce_rdmsr handles them itself            */
    SCOPE_BANK,       /* MCi_CTL..MISC: bank < MCG_CAP.Count               */
    SCOPE_INTEL_BANK, /* MCi_CTL2: Intel host and bank < MCG_CAP.Count     */
    SCOPE_INTEL,      /* P5_MC_ADDR/TYPE: Intel host (ce59e472b5)          */
};

static bool intel_host(const struct domain *d) { return d->host_vendor == 0; }
static unsigned count(const struct domain *d) { return (unsigned)(d->mcg_cap & MCG_CAP_COUNT_MASK); }
static struct vmce_bank *stored(struct vcpu *v, unsigned bank)
{
    return bank < VMCE_STORED_BANKS ? &v->vmce.bank[bank] : NULL;
}

static enum vmce_msr_result rd_cap(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t *val)
{
    (void)v, (void)b, (void)off;
    *val = d->mcg_cap;
    return VMCE_MSR_OK;
}

static enum vmce_msr_result rd_status(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t *val)
{
    (void)d, (void)b, (void)off;
    *val = v->vmce.mcg_status;
    return VMCE_MSR_OK;
}

/* Guests are shown MCG_CTL_P only if a restored record carried it. */
static enum vmce_msr_result rd_ctl(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t *val)
{
    (void)v, (void)b, (void)off;
    *val = (d->mcg_cap & MCG_CTL_P) ? ~0ull : 0;
    return VMCE_MSR_OK;
}

static enum vmce_msr_result rd_ext_ctl(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t *val)
{
    (void)b, (void)off;
    if (!(d->mcg_cap & MCG_LMCE_P))
        return VMCE_MSR_GP;
    *val = v->vmce.mcg_ext_ctl;
    return VMCE_MSR_OK;
}

/* Xen: every error type enabled, always; under `guest_mca_ctl: honour`
 * what the guest wrote. */
static enum vmce_msr_result rd_bank_ctl(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t *val)
{
    (void)off;
    *val = d->honour_ctl ? ~v->vmce.bank[b].ctl_cleared : ~0ull;
    return VMCE_MSR_OK;
}

/* STATUS, ADDR, MISC: what the bank holds, zero past the stored banks. */
static enum vmce_msr_result rd_bank_reg(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t *val)
{
    (void)d;
    const struct vmce_bank *s = stored(v, b);
    *val = s ? *(const uint64_t *)((const char *)s + off) : 0;
    return VMCE_MSR_OK;
}

/* vmce_intel_rdmsr: zero when the guest is not shown an Intel CPU. */
static enum vmce_msr_result rd_bank_ctl2(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t *val)
{
    if (d->cpuid_vendor != 0) {
        *val = 0;
        return VMCE_MSR_OK;
    }
    return rd_bank_reg(d, v, b, off, val);
}

/* P5_MC_ADDR/TYPE: bank 1's ADDR/STATUS, bank 1 being where errors go
 * (bank 0 is kept empty for the bank-0 quirk). */
static enum vmce_msr_result rd_p5(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t *val)
{
    (void)b;
    return rd_bank_reg(d, v, 1, off, val);
}

static enum vmce_msr_result wr_ignore(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t val)
{
    (void)d, (void)v, (void)b, (void)off, (void)val;
    return VMCE_MSR_OK;
}

static enum vmce_msr_result wr_gp(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t val)
{
    (void)d, (void)v, (void)b, (void)off, (void)val;
    return VMCE_MSR_GP;
}

/* Any value, MCIP included: the guest's handler clears it this way. */
static enum vmce_msr_result wr_status(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t val)
{
    (void)d, (void)b, (void)off;
    v->vmce.mcg_status = val;
    return VMCE_MSR_OK;
}

static enum vmce_msr_result wr_ext_ctl(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t val)
{
    (void)b, (void)off;
    if (!(d->mcg_cap & MCG_LMCE_P) || (val & ~(uint64_t)MCG_EXT_CTL_LMCE_EN))
        return VMCE_MSR_GP;
    v->vmce.mcg_ext_ctl = val;
    return VMCE_MSR_OK;
}

/* Xen drops the write (bank_mce_wrmsr); `guest_mca_ctl: honour` keeps it.
 * The guest turning a bank on is what the seed000 decider reads as "MCA
 * enabled via MSR". */
static enum vmce_msr_result wr_bank_ctl(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t val)
{
    (void)off;
    d->mca_enabled = true;
    if (d->honour_ctl)
        v->vmce.bank[b].ctl_cleared = ~val;
    return VMCE_MSR_OK;
}

/* STATUS, ADDR, MISC: only 0 (a clear) is accepted, in any bank. */
static enum vmce_msr_result wr_bank_reg(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t val)
{
    (void)d;
    if (val != 0)
        return VMCE_MSR_GP;
    struct vmce_bank *s = stored(v, b);
    if (s)
        *(uint64_t *)((char *)s + off) = 0;
    return VMCE_MSR_OK;
}

/* vmce_intel_wrmsr keeps the whole value, whatever MCG_CAP.CMCI_P says. */
static enum vmce_msr_result wr_bank_ctl2(struct domain *d, struct vcpu *v, unsigned b, size_t off, uint64_t val)
{
    (void)d;
    struct vmce_bank *s = stored(v, b);
    if (s)
        *(uint64_t *)((char *)s + off) = val;
    return VMCE_MSR_OK;
}

#define REG(m) offsetof(struct vmce_bank, m)
static const struct {
    enum msr_scope scope;
    msr_read_fn rd;
    msr_write_fn wr; /* P5: not in guest_wrmsr's MCA ranges, the write #GPs */
    size_t off;
} rules[MC__COUNT] = {
    [MC_CAP] = {SCOPE_ALWAYS, rd_cap, wr_ignore, 0},
    [MC_STATUS] = {SCOPE_ALWAYS, rd_status, wr_status, 0},
    [MC_CTL] = {SCOPE_ALWAYS, rd_ctl, wr_ignore, 0},
    [MC_EXT_CTL] = {SCOPE_ALWAYS, rd_ext_ctl, wr_ext_ctl, 0},
    [MC_BANK_CTL] = {SCOPE_BANK, rd_bank_ctl, wr_bank_ctl, 0},
    [MC_BANK_STATUS] = {SCOPE_BANK, rd_bank_reg, wr_bank_reg, REG(status)},
    [MC_BANK_ADDR] = {SCOPE_BANK, rd_bank_reg, wr_bank_reg, REG(addr)},
    [MC_BANK_MISC] = {SCOPE_BANK, rd_bank_reg, wr_bank_reg, REG(misc)},
    [MC_BANK_CTL2] = {SCOPE_INTEL_BANK, rd_bank_ctl2, wr_bank_ctl2, REG(ctl2)},
    [MC_P5_ADDR] = {SCOPE_INTEL, rd_p5, wr_gp, REG(addr)},
    [MC_P5_TYPE] = {SCOPE_INTEL, rd_p5, wr_gp, REG(status)},
};

/* The class of an MSR of the machine-check ranges, and its bank. */
static enum msr_class classify(uint32_t msr, unsigned *bank)
{
    *bank = 0;
    switch (msr) {
    case MSR_IA32_MCG_CAP: return MC_CAP;
    case MSR_IA32_MCG_STATUS: return MC_STATUS;
    case MSR_IA32_MCG_CTL: return MC_CTL;
    case MSR_IA32_MCG_EXT_CTL: return MC_EXT_CTL;
    case MSR_IA32_P5_MC_ADDR: return MC_P5_ADDR;
    case MSR_IA32_P5_MC_TYPE: return MC_P5_TYPE;
    default: break;
    }
    if (msr >= MSR_IA32_MC0_CTL && msr < MSR_IA32_MCx_CTL(VMCE_MAX_BANKS)) {
        static const enum msr_class reg[4] = {MC_BANK_CTL, MC_BANK_STATUS, MC_BANK_ADDR, MC_BANK_MISC};
        *bank = (msr - MSR_IA32_MC0_CTL) / 4;
        return reg[(msr - MSR_IA32_MC0_CTL) % 4];
    }
    if (msr >= MSR_IA32_MC0_CTL2 && msr < MSR_IA32_MCx_CTL2(VMCE_MAX_BANKS)) {
        *bank = msr - MSR_IA32_MC0_CTL2;
        return MC_BANK_CTL2;
    }
    return MC_NONE;
}

/* Whether the MSR is one of this vCPU's (Xen's mce_bank_msr). */
static bool in_scope(const struct domain *d, enum msr_scope sc, unsigned bank)
{
    switch (sc) {
    case SCOPE_ALWAYS: return true;
    case SCOPE_BANK: return bank < count(d);
    case SCOPE_INTEL_BANK: return intel_host(d) && bank < count(d);
    case SCOPE_INTEL: return intel_host(d);
    }
    return false;
}

/* An MSR of the ranges that is not this vCPU's: zero and dropped writes,
 * or #GP for a bank past the count under past_count: gp. */
static enum vmce_msr_result out_of_scope(const struct domain *d, enum msr_scope sc, unsigned bank)
{
    bool past = (sc == SCOPE_BANK || sc == SCOPE_INTEL_BANK) && bank >= count(d);
    return past && d->vp.past_count == VMCE_PAST_GP ? VMCE_MSR_GP : VMCE_MSR_OK;
}

enum vmce_msr_result vmce_rdmsr(struct domain *d, struct vcpu *v, uint32_t msr, uint64_t *val)
{
    unsigned bank;
    enum msr_class c = classify(msr, &bank);
    *val = 0;
    if (c == MC_NONE)
        return VMCE_MSR_NOT_MINE;
    d->msr_exits++;
    if (!in_scope(d, rules[c].scope, bank))
        return out_of_scope(d, rules[c].scope, bank);
    enum vmce_msr_result r = rules[c].rd(d, v, bank, rules[c].off, val);
    if (r != VMCE_MSR_OK)
        *val = 0;
    return r;
}

enum vmce_msr_result vmce_wrmsr(struct domain *d, struct vcpu *v, uint32_t msr, uint64_t val)
{
    unsigned bank;
    enum msr_class c = classify(msr, &bank);
    if (c == MC_NONE)
        return VMCE_MSR_NOT_MINE;
    d->msr_exits++;
    if (c == MC_P5_ADDR || c == MC_P5_TYPE)
        return rules[c].wr(d, v, bank, rules[c].off, val); /* read-only aliases, any host */
    if (!in_scope(d, rules[c].scope, bank))
        return out_of_scope(d, rules[c].scope, bank);
    return rules[c].wr(d, v, bank, rules[c].off, val);
}

/* When Xen prints an access of a class. */
enum vcond {
    V_NEVER = 0,
    V_ALWAYS,
    V_NONZERO,        /* vmce_rdmsr: MCG_STATUS only when not zero         */
    V_STORED_NONZERO, /* bank_mce_rdmsr: banks 0/1 (stored) and not zero   */
    V_STORED,         /* vmce_intel_*: CTL2 of banks 0/1                   */
};

static const struct {
    const char *name; /* printf format of the register's name, %u the bank */
    enum vcond rd, wr;
    bool wr_bare;     /* the write's value printed without 0x (%PRIx64)   */
    bool anonymous;   /* "MCE: rd ..." without the vCPU (vmce_intel_*)     */
} verbose[MC__COUNT] = {
    [MC_CAP] = {"MCG_CAP", V_ALWAYS, V_ALWAYS, false, false}, /* the write: "MCG_CAP is r/o" */
    [MC_STATUS] = {"MCG_STATUS", V_NONZERO, V_ALWAYS, true, false},
    [MC_CTL] = {"MCG_CTL", V_ALWAYS, V_NEVER, false, false},
    [MC_EXT_CTL] = {"MCG_EXT_CTL", V_ALWAYS, V_ALWAYS, true, false}, /* ", not supported" on #GP */
    [MC_BANK_CTL] = {"MC%u_CTL", V_ALWAYS, V_NEVER, false, false},
    [MC_BANK_STATUS] = {"MC%u_STATUS", V_STORED_NONZERO, V_ALWAYS, false, false},
    [MC_BANK_ADDR] = {"MC%u_ADDR", V_STORED_NONZERO, V_ALWAYS, false, false},
    [MC_BANK_MISC] = {"MC%u_MISC", V_STORED_NONZERO, V_ALWAYS, false, false},
    [MC_BANK_CTL2] = {"MC%u_CTL2", V_STORED, V_STORED, false, true},
    /* P5_MC_ADDR/TYPE: vmce_intel_rdmsr answers them silently */
};

static bool prints(enum vcond c, unsigned bank, uint64_t val)
{
    switch (c) {
    case V_NEVER: return false;
    case V_ALWAYS: return true;
    case V_NONZERO: return val != 0;
    case V_STORED_NONZERO: return bank < VMCE_STORED_BANKS && val != 0;
    case V_STORED: return bank < VMCE_STORED_BANKS;
    }
    return false;
}

bool vmce_msr_verbose_line(const struct domain *d, const struct vcpu *v, uint32_t msr, bool write,
                           uint64_t val, enum vmce_msr_result r, char *buf, size_t len)
{
    unsigned bank;
    enum msr_class c = classify(msr, &bank);
    if (c == MC_NONE || !in_scope(d, rules[c].scope, bank) || !prints(write ? verbose[c].wr : verbose[c].rd, bank, val))
        return false; /* not handled by vmce_*msr, or silent */
    if (c == MC_BANK_CTL2 && !write && d->cpuid_vendor != 0)
        return false; /* vmce_intel_rdmsr: a guest not shown Intel reads 0, silently */
    char who[32] = "";
    if (!verbose[c].anonymous)
        snprintf(who, sizeof(who), "d%uv%u: ", d->id, v->id);
    char name[24];
    snprintf(name, sizeof(name), verbose[c].name, bank);
    unsigned long long x = (unsigned long long)val;
    if (c == MC_CAP && write)
        snprintf(buf, len, "MCE: %sMCG_CAP is r/o", who);
    else if (c == MC_EXT_CTL && r != VMCE_MSR_OK)
        snprintf(buf, len, write ? "MCE: %swr %s %llx, not supported" : "MCE: %srd %s, not supported", who, name, x);
    else if (write)
        snprintf(buf, len, verbose[c].wr_bare ? "MCE: %swr %s %llx" : "MCE: %swr %s %#llx", who, name, x);
    else
        snprintf(buf, len, "MCE: %srd %s %#llx", who, name, x);
    return true;
}
