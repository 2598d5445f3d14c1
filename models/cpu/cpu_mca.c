/*
 * cpu_mca.c - the machine-check register file of one physical CPU.
 *
 * Implements cpu_mca.h: MSR decoding and the SDM access rules (which MSRs
 * exist for a given MCG_CAP and bank count, which writes raise #GP), the
 * logging of an error into a bank with the SDM overwrite rules and the
 * corrected-error count, the decision whether hardware signals #MC or CMCI,
 * the RIPV/EIPV that hardware reports, and the delivery rule that sends the
 * CPU into shutdown. Pure state, no time: the SystemC shell adds time.
 */
#include "models/cpu/cpu_mca.h"

#include <stddef.h>
#include <string.h>

/* MCG_CAP bits a configuration may ask for (the header's list). */
#define CAP_FLAGS_ALLOWED (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P | MCG_LMCE_P)
#define MCG_STATUS_WRITABLE (MCG_STATUS_RIPV | MCG_STATUS_EIPV | MCG_STATUS_MCIP | MCG_STATUS_LMCES)
#define CTL2_WRITABLE (MCI_CTL2_THRESHOLD_MASK | MCI_CTL2_CMCI_EN)
#define CEC_MAX 0x7FFFu

static const char REASON_NESTED[] = "#MC while MCG_STATUS.MCIP=1 (nested machine check)";
static const char REASON_NO_CR4_MCE[] = "#MC with CR4.MCE=0";

/* ------------------------------------------------------------------ */
/* MSR decoding                                                        */
/* ------------------------------------------------------------------ */

enum msr_kind {
    MK_NONE = 0, /* not an MCA MSR of this CPU: #GP */
    MK_P5,       /* P5_MC_ADDR / P5_MC_TYPE: read as 0 */
    MK_MCG_CAP,
    MK_MCG_STATUS,
    MK_MCG_CTL,
    MK_MCG_EXT_CTL,
    MK_BANK_CTL,
    MK_BANK_STATUS,
    MK_BANK_ADDR,
    MK_BANK_MISC,
    MK_BANK_CTL2,
};

struct msr_ref {
    enum msr_kind kind;
    unsigned bank;
};

static bool has_cap(const struct cpu_mca *c, uint64_t flag)
{
    return (c->mcg_cap & flag) != 0;
}

static struct msr_ref msr_none(void)
{
    return (struct msr_ref){MK_NONE, 0};
}

/* MCi_CTL/STATUS/ADDR/MISC: four consecutive MSRs per bank from 0x400. */
static struct msr_ref decode_bank_quad(const struct cpu_mca *c, uint32_t msr)
{
    static const enum msr_kind quad[4] = {MK_BANK_CTL, MK_BANK_STATUS, MK_BANK_ADDR, MK_BANK_MISC};
    unsigned off = msr - MSR_IA32_MC0_CTL;
    unsigned bank = off / 4u;
    if (bank >= c->nbanks)
        return msr_none();
    return (struct msr_ref){quad[off % 4u], bank};
}

/* MCi_CTL2 exists only with CMCI_P, one MSR per bank from 0x280. */
static struct msr_ref decode_ctl2(const struct cpu_mca *c, uint32_t msr)
{
    unsigned bank = msr - MSR_IA32_MC0_CTL2;
    if (bank >= c->nbanks || !has_cap(c, MCG_CMCI_P))
        return msr_none();
    return (struct msr_ref){MK_BANK_CTL2, bank};
}

static struct msr_ref decode_global(const struct cpu_mca *c, uint32_t msr)
{
    switch (msr) {
    case MSR_IA32_P5_MC_ADDR:
    case MSR_IA32_P5_MC_TYPE:
        return (struct msr_ref){MK_P5, 0};
    case MSR_IA32_MCG_CAP:
        return (struct msr_ref){MK_MCG_CAP, 0};
    case MSR_IA32_MCG_STATUS:
        return (struct msr_ref){MK_MCG_STATUS, 0};
    case MSR_IA32_MCG_CTL:
        return has_cap(c, MCG_CTL_P) ? (struct msr_ref){MK_MCG_CTL, 0} : msr_none();
    case MSR_IA32_MCG_EXT_CTL:
        return has_cap(c, MCG_LMCE_P) ? (struct msr_ref){MK_MCG_EXT_CTL, 0} : msr_none();
    default:
        return msr_none();
    }
}

/* Which register an MSR number names on this CPU; MK_NONE means #GP. */
static struct msr_ref msr_decode(const struct cpu_mca *c, uint32_t msr)
{
    if (msr >= MSR_IA32_MC0_CTL && msr < MSR_IA32_MCx_CTL(MCA_MAX_BANKS))
        return decode_bank_quad(c, msr);
    if (msr >= MSR_IA32_MC0_CTL2 && msr < MSR_IA32_MCx_CTL2(MCA_MAX_BANKS))
        return decode_ctl2(c, msr);
    return decode_global(c, msr);
}

/* ------------------------------------------------------------------ */
/* Init and MSR access                                                 */
/* ------------------------------------------------------------------ */

int cpu_mca_init(struct cpu_mca *c, const struct cpu_mca_config *cfg)
{
    if (!c || !cfg)
        return -1;
    if (cfg->nbanks < 1 || cfg->nbanks > MCA_MAX_BANKS)
        return -1;
    if (cfg->mcg_cap_flags & ~CAP_FLAGS_ALLOWED)
        return -1;
    if (cfg->ctl2_max_threshold > MCI_CTL2_THRESHOLD_MASK)
        return -1; /* the field is 15 bits wide */
    /* Zeroing everything also keeps banks past nbanks at 0 forever. */
    memset(c, 0, sizeof(*c));
    c->mcg_cap = cfg->mcg_cap_flags | cfg->nbanks;
    c->cr4_mce = true;
    c->ctl2_max_threshold = cfg->ctl2_max_threshold ? cfg->ctl2_max_threshold : CEC_MAX;
    c->no_cmci_banks = cfg->no_cmci_banks;
    c->id = cfg->id;
    c->state = CPU_RUNNING;
    c->shutdown_reason = NULL;
    c->nbanks = cfg->nbanks;
    return 0;
}

bool cpu_mca_msr_exists(const struct cpu_mca *c, uint32_t msr)
{
    return msr_decode(c, msr).kind != MK_NONE;
}

static uint64_t bank_read(const struct cpu_mca_bank *b, enum msr_kind k)
{
    switch (k) {
    case MK_BANK_CTL:
        return b->ctl;
    case MK_BANK_STATUS:
        return b->status;
    case MK_BANK_ADDR:
        return b->addr;
    case MK_BANK_MISC:
        return b->misc;
    default:
        return b->ctl2;
    }
}

int cpu_mca_rdmsr(const struct cpu_mca *c, uint32_t msr, uint64_t *val)
{
    struct msr_ref r = msr_decode(c, msr);
    switch (r.kind) {
    case MK_NONE:
        return -1;
    case MK_P5:
        *val = 0; /* no P5-style error is ever reported */
        return 0;
    case MK_MCG_CAP:
        *val = c->mcg_cap;
        return 0;
    case MK_MCG_STATUS:
        *val = c->mcg_status;
        return 0;
    case MK_MCG_CTL:
        *val = c->mcg_ctl;
        return 0;
    case MK_MCG_EXT_CTL:
        *val = c->mcg_ext_ctl;
        return 0;
    default:
        *val = bank_read(&c->bank[r.bank], r.kind);
        return 0;
    }
}

static int write_mcg_status(struct cpu_mca *c, uint64_t val)
{
    if (val & ~MCG_STATUS_WRITABLE)
        return -1;
    c->mcg_status = val;
    return 0;
}

static int write_ext_ctl(struct cpu_mca *c, uint64_t val)
{
    if (val & ~MCG_EXT_CTL_LMCE_EN)
        return -1;
    c->mcg_ext_ctl = val;
    return 0;
}

/* Software may only clear MCi_STATUS (write 0); anything else is #GP. */
static int write_bank_status(struct cpu_mca_bank *b, uint64_t val)
{
    if (val != 0)
        return -1;
    b->status = 0;
    return 0;
}

/* The threshold field keeps at most what this CPU implements; a bank
 * without CMCI keeps nothing (SDM 15.5.1: software finds out by writing
 * CMCI_EN and reading it back). */
static int write_ctl2(struct cpu_mca *c, unsigned bank, uint64_t val)
{
    struct cpu_mca_bank *b = &c->bank[bank];
    if (val & ~CTL2_WRITABLE)
        return -1;
    if ((c->no_cmci_banks >> bank) & 1u)
        return 0;
    uint64_t thr = val & MCI_CTL2_THRESHOLD_MASK;
    if (thr > c->ctl2_max_threshold)
        thr = c->ctl2_max_threshold;
    b->ctl2 = (val & MCI_CTL2_CMCI_EN) | thr;
    return 0;
}

static int write_bank(struct cpu_mca *c, struct msr_ref r, uint64_t val)
{
    struct cpu_mca_bank *b = &c->bank[r.bank];
    switch (r.kind) {
    case MK_BANK_CTL:
        b->ctl = val;
        return 0;
    case MK_BANK_STATUS:
        return write_bank_status(b, val);
    case MK_BANK_ADDR:
        b->addr = val;
        return 0;
    case MK_BANK_MISC:
        b->misc = val;
        return 0;
    default:
        return write_ctl2(c, r.bank, val);
    }
}

int cpu_mca_wrmsr(struct cpu_mca *c, uint32_t msr, uint64_t val)
{
    struct msr_ref r = msr_decode(c, msr);
    switch (r.kind) {
    case MK_NONE:
    case MK_P5:     /* read-only legacy registers */
    case MK_MCG_CAP: /* read-only capability register */
        return -1;
    case MK_MCG_STATUS:
        return write_mcg_status(c, val);
    case MK_MCG_CTL:
        c->mcg_ctl = val;
        return 0;
    case MK_MCG_EXT_CTL:
        return write_ext_ctl(c, val);
    default:
        return write_bank(c, r, val);
    }
}

/* ------------------------------------------------------------------ */
/* Logging an error                                                    */
/* ------------------------------------------------------------------ */

static bool st_uc(uint64_t s)
{
    return (s & MCI_STATUS_UC) != 0;
}

static bool st_valid(uint64_t s)
{
    return (s & MCI_STATUS_VAL) != 0;
}

/* UCNA: uncorrected, but neither context-corrupting nor signalling. */
static bool st_ucna(uint64_t s)
{
    return st_uc(s) && !(s & (MCI_STATUS_PCC | MCI_STATUS_S | MCI_STATUS_AR));
}

static uint64_t with_count(uint64_t s, unsigned n)
{
    return (s & ~MCI_STATUS_CEC_MASK) | ((uint64_t)n << MCI_STATUS_CEC_SHIFT);
}

/* Hardware reports an error only when both its bank and MCG_CTL allow it. */
static bool bank_enabled(const struct cpu_mca *c, unsigned bank)
{
    if (c->bank[bank].ctl == 0)
        return false;
    return !has_cap(c, MCG_CTL_P) || c->mcg_ctl == ~0ull;
}

/*
 * The status written for a new entry. EN is hardware's: set exactly when
 * MCi_CTL/MCG_CTL enable the error. OVER and the corrected-error count may
 * come with the report: scenario injections are register images, as every
 * real injector writes them (mce-inject's "STATUS ... OVER"), so a report
 * that already overflowed keeps OVER, and a given count is kept; otherwise
 * a CE starts counting at 1 (CMCI_P only). Hardware adds OVER itself when
 * it overwrites (bank_overwrite).
 */
static uint64_t entry_status(const struct cpu_mca *c, uint64_t status, bool en)
{
    uint64_t s = status & ~MCI_STATUS_EN;
    if (en)
        s |= MCI_STATUS_EN;
    if (st_uc(s) || !has_cap(c, MCG_CMCI_P))
        s &= ~MCI_STATUS_CEC_MASK;
    else if (!(s & MCI_STATUS_CEC_MASK))
        s = with_count(s, 1);
    return s;
}

/* ADDR/MISC are written only when the status says they mean something. */
static void bank_store(struct cpu_mca_bank *b, uint64_t s, uint64_t addr, uint64_t misc)
{
    b->status = s;
    b->addr = (s & MCI_STATUS_ADDRV) ? addr : 0;
    b->misc = (s & MCI_STATUS_MISCV) ? misc : 0;
}

static void count_ce(const struct cpu_mca *c, struct cpu_mca_bank *b)
{
    if (!has_cap(c, MCG_CMCI_P))
        return;
    unsigned n = mci_cec(b->status);
    if (n < CEC_MAX)
        n++;
    b->status = with_count(b->status, n);
}

/* SDM overwrite rules: a UC is never lost to a later error. */
static enum cpu_latch_kind bank_overwrite(const struct cpu_mca *c, struct cpu_mca_bank *b, uint64_t status,
                                          uint64_t addr, uint64_t misc, bool en)
{
    uint64_t s = entry_status(c, status, en);
    if (!st_valid(b->status)) {
        bank_store(b, s, addr, misc);
        return CPU_LATCH_LOGGED;
    }
    if (st_uc(b->status)) {
        b->status |= MCI_STATUS_OVER;
        return CPU_LATCH_OVERFLOW;
    }
    if (st_uc(s)) {
        bank_store(b, s | MCI_STATUS_OVER, addr, misc);
        return CPU_LATCH_REPLACED;
    }
    count_ce(c, b);
    b->status |= MCI_STATUS_OVER;
    return CPU_LATCH_CE_COUNTED;
}

static bool raises_mc(const struct cpu_mca *c, uint64_t status)
{
    if (!st_uc(status))
        return false;
    if (!has_cap(c, MCG_SER_P))
        return true; /* without SER_P every UC is fatal and signalled */
    return (status & (MCI_STATUS_PCC | MCI_STATUS_S)) != 0;
}

static bool cmci_armed(const struct cpu_mca *c, unsigned bank)
{
    return has_cap(c, MCG_CMCI_P) && (c->bank[bank].ctl2 & MCI_CTL2_CMCI_EN);
}

/* A CE signals CMCI when the bank's count becomes equal to the CTL2
 * threshold (SDM Vol. 3B 15.3.2.5, IA32_MCi_CTL2: "signaled ... when the
 * count value equals the threshold value"); CEs past it signal nothing
 * until software resets the count (clears the bank). */
static bool ce_reached_threshold(const struct cpu_mca_bank *b)
{
    unsigned thr = (unsigned)(b->ctl2 & MCI_CTL2_THRESHOLD_MASK);
    return thr != 0 && mci_cec(b->status) == thr;
}

static bool raises_cmci(const struct cpu_mca *c, unsigned bank, uint64_t status, enum cpu_latch_kind k)
{
    if (!cmci_armed(c, bank))
        return false;
    if (st_uc(status))
        return has_cap(c, MCG_SER_P) && st_ucna(status);
    /* A CE lost behind a UC changed no count and signals nothing. */
    if (k != CPU_LATCH_LOGGED && k != CPU_LATCH_CE_COUNTED)
        return false;
    return ce_reached_threshold(&c->bank[bank]);
}

static const char *const latch_kind_names[CPU_LATCH__COUNT] = {
    [CPU_LATCH_LOGGED] = "logged",         [CPU_LATCH_REPLACED] = "replaced",
    [CPU_LATCH_OVERFLOW] = "overflow",     [CPU_LATCH_CE_COUNTED] = "ce-counted",
    [CPU_LATCH_MASKED] = "masked",         [CPU_LATCH_BAD_BANK] = "bad-bank",
};

const char *cpu_latch_kind_name(enum cpu_latch_kind k)
{
    return (unsigned)k < CPU_LATCH__COUNT ? latch_kind_names[k] : "unknown";
}

struct cpu_latch_result cpu_mca_latch(struct cpu_mca *c, unsigned bank, uint64_t status, uint64_t addr,
                                      uint64_t misc)
{
    struct cpu_latch_result r = {CPU_LATCH_BAD_BANK, false, false};
    if (bank >= c->nbanks || !st_valid(status))
        return r;
    bool en = bank_enabled(c, bank);
    r.kind = bank_overwrite(c, &c->bank[bank], status, addr, misc, en);
    if (!en) {
        r.kind = CPU_LATCH_MASKED;
        return r;
    }
    /* Logging goes on in shutdown; the CPU just cannot take anything. */
    if (c->state == CPU_SHUTDOWN)
        return r;
    r.signal_mc = raises_mc(c, status);
    r.signal_cmci = raises_cmci(c, bank, status, r.kind);
    return r;
}

/* An injector's write (QEMU's `mce` monitor command, do_inject_x86_mce):
 * the image as given, EN and the count included, ADDR and MISC whatever
 * the status says; only the overwrite rules stay (a valid bank gets OVER,
 * a UC is not replaced). */
static enum cpu_latch_kind raw_overwrite(struct cpu_mca_bank *b, uint64_t status, uint64_t addr, uint64_t misc)
{
    if (st_valid(b->status) && st_uc(b->status) && !st_uc(status)) {
        b->status |= MCI_STATUS_OVER;
        return CPU_LATCH_OVERFLOW;
    }
    enum cpu_latch_kind k = st_valid(b->status) ? CPU_LATCH_REPLACED : CPU_LATCH_LOGGED;
    b->status = st_valid(b->status) ? status | MCI_STATUS_OVER : status;
    b->addr = addr;
    b->misc = misc;
    return k;
}

struct cpu_latch_result cpu_mca_write_raw(struct cpu_mca *c, unsigned bank, uint64_t status, uint64_t addr,
                                          uint64_t misc)
{
    struct cpu_latch_result r = {CPU_LATCH_BAD_BANK, false, false};
    if (bank >= c->nbanks || !st_valid(status))
        return r;
    r.kind = raw_overwrite(&c->bank[bank], status, addr, misc);
    if (c->state == CPU_SHUTDOWN)
        return r;
    r.signal_mc = raises_mc(c, status);
    r.signal_cmci = raises_cmci(c, bank, status, r.kind);
    return r;
}

bool cpu_mca_holds_ce(const struct cpu_mca *c, unsigned bank)
{
    return bank < c->nbanks && st_valid(c->bank[bank].status) && !st_uc(c->bank[bank].status);
}

bool cpu_mca_counts_ce(const struct cpu_mca *c, unsigned bank)
{
    return cpu_mca_holds_ce(c, bank) && bank_enabled(c, bank);
}

uint64_t cpu_mca_ces_to_cmci(const struct cpu_mca *c, unsigned bank)
{
    if (!cpu_mca_holds_ce(c, bank) || !cmci_armed(c, bank) || !bank_enabled(c, bank) || c->state == CPU_SHUTDOWN)
        return 0;
    unsigned thr = (unsigned)(c->bank[bank].ctl2 & MCI_CTL2_THRESHOLD_MASK);
    unsigned n = mci_cec(c->bank[bank].status);
    if (thr == 0 || n >= thr)
        return 0; /* signalled already (or never: the count is past it) */
    return thr - n;
}

struct cpu_latch_result cpu_mca_fold_ces(struct cpu_mca *c, unsigned bank, uint64_t n)
{
    struct cpu_latch_result r = {CPU_LATCH_BAD_BANK, false, false};
    if (n == 0 || !cpu_mca_holds_ce(c, bank))
        return r;
    struct cpu_mca_bank *b = &c->bank[bank];
    unsigned before = mci_cec(b->status);
    if (has_cap(c, MCG_CMCI_P)) {
        uint64_t k = before + n;
        b->status = with_count(b->status, (unsigned)(k < CEC_MAX ? k : CEC_MAX));
    }
    b->status |= MCI_STATUS_OVER;
    bool en = bank_enabled(c, bank);
    r.kind = en ? CPU_LATCH_CE_COUNTED : CPU_LATCH_MASKED;
    /* the last of the n signals when the count passed the threshold on
     * the way: one of them made it equal */
    unsigned thr = (unsigned)(b->ctl2 & MCI_CTL2_THRESHOLD_MASK);
    if (en && c->state != CPU_SHUTDOWN && cmci_armed(c, bank))
        r.signal_cmci = thr != 0 && before < thr && mci_cec(b->status) >= thr;
    return r;
}

/* ------------------------------------------------------------------ */
/* MCG_STATUS for a raised #MC                                          */
/* ------------------------------------------------------------------ */

enum err_kind { EK_PCC = 0, EK_SRAR, EK_OTHER, EK__COUNT };

/*
 * RIPV/EIPV by error kind and whether this CPU consumed the error
 * (column 0: bystander, column 1: consumer). Only the consumer of an
 * action-required error lost its place; only PCC loses the context.
 */
static const uint64_t ip_bits[EK__COUNT][2] = {
    [EK_PCC] = {MCG_STATUS_RIPV, 0},
    [EK_SRAR] = {MCG_STATUS_RIPV, MCG_STATUS_EIPV},
    [EK_OTHER] = {MCG_STATUS_RIPV, MCG_STATUS_RIPV},
};

static enum err_kind err_kind_of(uint64_t status)
{
    if (!st_uc(status))
        return EK_OTHER;
    if (status & MCI_STATUS_PCC)
        return EK_PCC;
    if ((status & (MCI_STATUS_S | MCI_STATUS_AR)) == (MCI_STATUS_S | MCI_STATUS_AR))
        return EK_SRAR;
    return EK_OTHER;
}

uint64_t cpu_mca_mcg_status_for(enum x86_exec_ctx ctx, uint64_t status, bool consumer, bool local)
{
    /* HLT consumes no data, so an idle CPU is never an SRAR consumer. */
    bool consumed = consumer && !(ctx == X86_CTX_IDLE && err_kind_of(status) == EK_SRAR);
    uint64_t v = ip_bits[err_kind_of(status)][consumed ? 1 : 0];
    if (local)
        v |= MCG_STATUS_LMCES;
    return v;
}

/* ------------------------------------------------------------------ */
/* Delivery                                                            */
/* ------------------------------------------------------------------ */

static enum cpu_mc_delivery enter_shutdown(struct cpu_mca *c, const char *reason)
{
    c->state = CPU_SHUTDOWN;
    c->shutdown_reason = reason;
    return CPU_MC_SHUTDOWN;
}

enum cpu_mc_delivery cpu_mca_deliver_mc(struct cpu_mca *c, uint64_t mcg_status)
{
    if (c->state == CPU_SHUTDOWN)
        return CPU_MC_SHUTDOWN; /* keep the first reason */
    if (c->mcg_status & MCG_STATUS_MCIP)
        return enter_shutdown(c, REASON_NESTED);
    if (!c->cr4_mce)
        return enter_shutdown(c, REASON_NO_CR4_MCE);
    c->mcg_status = mcg_status | MCG_STATUS_MCIP;
    return CPU_MC_DELIVERED;
}

bool cpu_mca_lmce_enabled(const struct cpu_mca *c, bool lmce_on)
{
    return has_cap(c, MCG_LMCE_P) && (c->mcg_ext_ctl & MCG_EXT_CTL_LMCE_EN) && lmce_on;
}
