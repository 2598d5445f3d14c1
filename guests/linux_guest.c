/*
 * linux_guest.c - the guest kernel's machine-check path (linux_guest.h).
 *
 * Guest-side grading is a table of rules, first match wins, in the spirit
 * of Linux's severity table but only the rows a guest meets: a guest sees
 * what the hypervisor injected (SRAO/SRAR in one bank, or an MCIP|RIPV
 * broadcast with no bank), so the rows are few. Each MSR access goes
 * through the ABI and is an exit the hypervisor counts.
 */
#include "linux_guest.h"

#include <stdio.h>
#include <string.h>

#include "arch/x86_cpuid.h"
#include "arch/x86_mca.h"

enum gact { G_IGNORE = 0, G_LOG, G_RETIRE, G_KILL, G_PANIC };

struct grule {
    const char *name;
    uint64_t mask, val;       /* on MCi_STATUS                     */
    uint16_t code_mask, code; /* on MCACOD                         */
    int user;                 /* -1 any, 1 user context, 0 kernel   */
    enum gact act;
};

#define ST(x) MCI_STATUS_##x
static const struct grule grules[] = {
    {"Invalid", ST(VAL), 0, 0, 0, -1, G_IGNORE},
    {"Processor context corrupt", ST(PCC), ST(PCC), 0, 0, -1, G_PANIC},
    {"Corrected error", ST(UC), 0, 0, 0, -1, G_LOG},
    {"AR: data load error in a user process", ST(UC) | ST(S) | ST(AR) | ST(OVER),
     ST(UC) | ST(S) | ST(AR), 0xFFFF, MCACOD_DATA_LOAD, 1, G_KILL},
    {"AR: instruction fetch error in a user process", ST(UC) | ST(S) | ST(AR) | ST(OVER),
     ST(UC) | ST(S) | ST(AR), 0xFFFF, MCACOD_INSN_FETCH, 1, G_KILL},
    {"Action required in kernel", ST(UC) | ST(S) | ST(AR), ST(UC) | ST(S) | ST(AR), 0, 0, -1, G_PANIC},
    {"Action optional: memory scrubbing error", ST(UC) | ST(AR), ST(UC), MCACOD_SCRUB_MASK, MCACOD_SCRUB,
     -1, G_RETIRE},
    {"Action optional: last level cache writeback error", ST(UC) | ST(AR), ST(UC), 0xFFFF, MCACOD_L3_WB,
     -1, G_RETIRE},
    {"Uncorrected no action required", ST(UC) | ST(S) | ST(AR), ST(UC), 0, 0, -1, G_LOG},
    {"Uncorrected", ST(UC), ST(UC), 0, 0, -1, G_PANIC},
};
#undef ST

static const struct grule *grade(uint64_t status, bool user)
{
    for (size_t i = 0; i < sizeof(grules) / sizeof(grules[0]); i++) {
        const struct grule *r = &grules[i];
        if ((status & r->mask) == r->val && (mci_mcacod(status) & r->code_mask) == r->code &&
            (r->user < 0 || r->user == (int)user))
            return r;
    }
    return &grules[sizeof(grules) / sizeof(grules[0]) - 1];
}

bool linux_bank0_quirk(unsigned vendor, unsigned family, unsigned model)
{
    if (vendor == CPU_VENDOR_INTEL)
        return family == 6 && model < 0x1A;
    return vendor == CPU_VENDOR_AMD && family == 6; /* AMD K7 */
}

static const char *const kind_names[GUEST_KIND__COUNT] = {"linux", "pv-no-callback", "strict", "none"};

const char *guest_kind_name(enum guest_kind k)
{
    return (unsigned)k < GUEST_KIND__COUNT ? kind_names[k] : "unknown";
}

enum guest_kind guest_kind_from_name(const char *name)
{
    for (unsigned i = 0; i < GUEST_KIND__COUNT; i++)
        if (strcmp(name, kind_names[i]) == 0)
            return (enum guest_kind)i;
    return GUEST_KIND__COUNT;
}

void linux_guest_init(struct linux_guest *g, const struct guest_abi *abi, const struct linux_guest_config *c)
{
    memset(g, 0, sizeof(*g));
    g->abi = *abi;
    g->cfg = *c;
    g->round_worst = -1;
}

static void glog(struct linux_guest *g, const char *fmt, uint64_t a, uint64_t b)
{
    char line[160];
    snprintf(line, sizeof(line), fmt, (unsigned long long)a, (unsigned long long)b);
    g->abi.log(g->abi.ctx, line);
}

static void panic(struct linux_guest *g, const char *why)
{
    if (g->panicked)
        return;
    g->panicked = true;
    snprintf(g->panic_reason, sizeof(g->panic_reason), "%s", why);
    char line[200];
    snprintf(line, sizeof(line), "Kernel panic - not syncing: %s", why);
    g->abi.log(g->abi.ctx, line);
    g->abi.stage(g->abi.ctx, GUEST_STAGE_PANIC, 0);
    g->abi.panic(g->abi.ctx, why);
}

/* A guest that expects MSRs a host once had: any #GP is a crash (the
 * Windows blue screens and reboots reported against Xen, ce59e472b5). */
static void strict_probe(struct linux_guest *g)
{
    uint64_t v;
    uint32_t msrs[2 + 4 * MCA_MAX_BANKS];
    unsigned n = 0;
    msrs[n++] = MSR_IA32_P5_MC_ADDR;
    msrs[n++] = MSR_IA32_P5_MC_TYPE;
    for (unsigned b = 0; b < g->cfg.strict_banks && b < MCA_MAX_BANKS; b++) {
        msrs[n++] = MSR_IA32_MCx_CTL(b);
        msrs[n++] = MSR_IA32_MCx_STATUS(b);
    }
    for (unsigned i = 0; i < n; i++)
        if (g->abi.rdmsr(g->abi.ctx, 0, msrs[i], &v) != 0) {
            char why[96];
            snprintf(why, sizeof(why), "unexpected #GP reading MSR %#x (blue screen)", msrs[i]);
            panic(g, why);
            return;
        }
}

/* Linux's intel_init_lmce (mce/intel.c): with MCG_CAP.LMCE_P (and the
 * FEATURE_CONTROL bits Xen sets for such a guest) each CPU turns on
 * MCG_EXT_CTL.LMCE_EN in its own bring-up. Here vCPU 0's boot, which has
 * read MCG_CAP, does it for every vCPU: the same state, and a guest
 * without LMCE_P makes no extra exits. */
static void enable_lmce(struct linux_guest *g)
{
    if (g->cfg.vendor != 0 || !(g->mcg_cap & MCG_LMCE_P))
        return;
    for (unsigned v = 0; v < (g->cfg.nvcpus ? g->cfg.nvcpus : 1); v++) {
        uint64_t ext = 0;
        if (g->abi.rdmsr(g->abi.ctx, v, MSR_IA32_MCG_EXT_CTL, &ext) == 0)
            g->abi.wrmsr(g->abi.ctx, v, MSR_IA32_MCG_EXT_CTL, ext | MCG_EXT_CTL_LMCE_EN);
    }
}

void linux_guest_boot(struct linux_guest *g, unsigned vcpu)
{
    if (g->cfg.kind == GUEST_NONE || g->cfg.kind == GUEST_PV_NOCALLBACK) {
        /* No MCA: CR4.MCE stays clear (HVM); a PV kernel without a callback
         * simply never registers one. */
        return;
    }
    g->abi.set_cr4_mce(g->abi.ctx, vcpu, 1);
    if (vcpu != 0)
        return;
    if (g->abi.rdmsr(g->abi.ctx, 0, MSR_IA32_MCG_CAP, &g->mcg_cap) != 0) {
        panic(g, "#GP reading MCG_CAP");
        return;
    }
    enable_lmce(g);
    g->nbanks = (unsigned)(g->mcg_cap & MCG_CAP_COUNT_MASK);
    g->skip_bank0 = linux_bank0_quirk(g->cfg.vendor, g->cfg.family, g->cfg.model);
    if (g->skip_bank0)
        glog(g, "mce: bank 0 quirk: bank 0 not initialised (family %llu model %#llx)", g->cfg.family,
             g->cfg.model);
    for (unsigned b = g->skip_bank0 ? 1 : 0; b < g->nbanks; b++)
        g->abi.wrmsr(g->abi.ctx, 0, MSR_IA32_MCx_CTL(b), ~0ull);
    if (g->cfg.pv)
        g->abi.register_mce_callback(g->abi.ctx);
    if (g->cfg.kind == GUEST_STRICT)
        strict_probe(g);
}


/* Remember a retired page; true when it was already retired. The list is
 * bounded: past it, repeats are counted again rather than remembered. */
static bool already_retired(struct linux_guest *g, uint64_t gfn)
{
    for (unsigned i = 0; i < g->nretired; i++)
        if (g->retired[i] == gfn)
            return true;
    if (g->nretired < sizeof(g->retired) / sizeof(g->retired[0]))
        g->retired[g->nretired++] = gfn;
    return false;
}

/* An MSR read inside the #MC handler. Linux reads bank MSRs there through
 * a fixup that does not return: a #GP means the machine broke the
 * architecture it advertised, and the kernel panics ("MSR access error:
 * RDMSR from ...", then "MCA architectural violation!"; Linux
 * arch/x86/kernel/cpu/mce/core.c, since 2020). This is how a guest that
 * read its bank count at boot dies on a host that backs fewer banks. */
static bool mce_rdmsr(struct linux_guest *g, unsigned vcpu, uint32_t msr, uint64_t *val)
{
    if (g->abi.rdmsr(g->abi.ctx, vcpu, msr, val) == 0)
        return true;
    glog(g, "MSR access error: RDMSR from %#llx in the machine-check handler (vCPU %llu)", msr, vcpu);
    panic(g, "MCA architectural violation!");
    return false;
}

static void handle_bank(struct linux_guest *g, unsigned vcpu, unsigned b, bool user)
{
    uint64_t status = 0, addr = 0;
    if (!mce_rdmsr(g, vcpu, MSR_IA32_MCx_STATUS(b), &status) || !(status & MCI_STATUS_VAL))
        return;
    if ((status & MCI_STATUS_ADDRV) && !mce_rdmsr(g, vcpu, MSR_IA32_MCx_ADDR(b), &addr))
        return;
    g->round_found = true;
    const struct grule *r = grade(status, user);
    glog(g, "mce: [Hardware Error]: bank %llu status %#llx", b, status);
    switch (r->act) {
    case G_KILL:
        glog(g, "Memory failure: %#llx: Killing the process that consumed it (%llu)", addr >> 12,
             g->stats.processes_killed + 1);
        g->stats.processes_killed++;
        g->abi.stage(g->abi.ctx, GUEST_STAGE_KILLED, addr >> 12);
        /* fall through - the page is retired as well */
    case G_RETIRE:
        if (already_retired(g, addr >> 12)) {
            glog(g, "Memory failure: %#llx: already hardware poisoned", addr >> 12, 0);
            break;
        }
        glog(g, "Memory failure: %#llx: recovery action for poisoned page: Recovered (%llu)", addr >> 12,
             g->stats.pages_retired + 1);
        g->stats.pages_retired++;
        g->abi.stage(g->abi.ctx, GUEST_STAGE_RETIRED, addr >> 12);
        break;
    case G_LOG:
        g->stats.logged++;
        break;
    case G_PANIC:
    case G_IGNORE:
        break;
    }
    if (g->round_worst < 0 || r->act > grules[g->round_worst].act)
        g->round_worst = (int)(r - grules);
    g->abi.wrmsr(g->abi.ctx, vcpu, MSR_IA32_MCx_STATUS(b), 0);
}

/* The verdict once every vCPU of the round has scanned its banks. */
static void verdict(struct linux_guest *g)
{
    if (g->round_worst >= 0 && grules[g->round_worst].act == G_PANIC)
        panic(g, grules[g->round_worst].name);
    else if (!g->round_found)
        /* bank 0 skipped by the quirk, or nothing anywhere: spurious */
        panic(g, "Machine check from unknown source");
    g->round_arrived = 0;
    g->round_found = false;
    g->round_worst = -1;
}

void linux_guest_machine_check(struct linux_guest *g, unsigned vcpu, enum x86_exec_ctx ctx)
{
    if (g->panicked)
        return;
    if (g->cfg.kind == GUEST_NONE) {
        /* MCA never set up: Linux's do_machine_check only logs the vector
         * (unexpected_machine_check, mce/core.c) and returns, touching no
         * MSR, so MCIP stays set in the vCPU's MCG_STATUS. */
        g->stats.machine_checks++;
        glog(g, "CPU#%llu: Unexpected int18 (Machine Check)", vcpu, 0);
        return;
    }
    g->stats.machine_checks++;
    g->abi.stage(g->abi.ctx, GUEST_STAGE_MCE_ENTRY, vcpu);
    uint64_t mcg = 0;
    g->abi.rdmsr(g->abi.ctx, vcpu, MSR_IA32_MCG_STATUS, &mcg);
    if (!(mcg & MCG_STATUS_MCIP)) {
        panic(g, "MCIP not set in MCA handler");
        return;
    }
    if (g->round_arrived == 0) {
        g->round_found = false;
        g->round_worst = -1;
    }
    for (unsigned b = g->skip_bank0 ? 1 : 0; b < g->nbanks && !g->panicked; b++)
        handle_bank(g, vcpu, b, x86_ctx_is_user(ctx));
    if (g->panicked)
        return;
    unsigned expected = (mcg & MCG_STATUS_LMCES) ? 1 : (g->cfg.nvcpus ? g->cfg.nvcpus : 1);
    if (++g->round_arrived >= expected)
        verdict(g);
    if (g->panicked)
        return;
    g->abi.wrmsr(g->abi.ctx, vcpu, MSR_IA32_MCG_STATUS, 0);
    g->abi.stage(g->abi.ctx, GUEST_STAGE_MCE_EXIT, vcpu);
}
