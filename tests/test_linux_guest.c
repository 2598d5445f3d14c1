/*
 * test_linux_guest.c - the guest kernel model against a fake vCPU: what it
 * reads and writes at boot, how it grades what a vMCE puts in its banks
 * (kill, retire, log, panic), the broadcast verdict that waits for every
 * vCPU, and the #GP answers (a strict guest's boot probe, and a bank MSR
 * that faults inside the #MC handler, Linux's "MCA architectural
 * violation"). Expected values: SDM Vol. 3B s.15.3, Linux's mce/severity.c
 * and core.c, Xen's vmce.c and commits e1dc98e3c3, ce59e472b5.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86_mca.h"
#include "guests/linux_guest.h"

#define NMSR 0x500u

/* One virtual CPU's MSR file as the hypervisor would present it. */
struct fake {
    uint64_t msr[NMSR];
    uint32_t gp_from;          /* bank MSRs at or past this one #GP */
    bool gp_p5;                /* P5_MC_ADDR/TYPE #GP               */
    unsigned reads, writes, cr4_on, callbacks, panics;
    uint32_t read_log[256];
    char last_log[200];
    char logs[1024];           /* every line, one after another */
    char panic_reason[160];
    unsigned stages[GUEST_STAGE_PANIC + 1];
};

static bool faults(const struct fake *f, uint32_t msr)
{
    if (msr <= MSR_IA32_P5_MC_TYPE)
        return f->gp_p5;
    return msr >= NMSR || (msr >= MSR_IA32_MC0_CTL && msr >= f->gp_from);
}

static int f_rdmsr(void *ctx, unsigned vcpu, uint32_t msr, uint64_t *val)
{
    struct fake *f = ctx;
    (void)vcpu;
    if (f->reads < 256)
        f->read_log[f->reads] = msr;
    f->reads++;
    if (faults(f, msr))
        return -1;
    *val = f->msr[msr];
    return 0;
}

static int f_wrmsr(void *ctx, unsigned vcpu, uint32_t msr, uint64_t val)
{
    struct fake *f = ctx;
    (void)vcpu;
    f->writes++;
    if (faults(f, msr))
        return -1;
    f->msr[msr] = val;
    return 0;
}

static void f_cr4(void *ctx, unsigned vcpu, int on)
{
    (void)vcpu;
    ((struct fake *)ctx)->cr4_on += on != 0;
}

static void f_callback(void *ctx) { ((struct fake *)ctx)->callbacks++; }

static void f_panic(void *ctx, const char *why)
{
    struct fake *f = ctx;
    f->panics++;
    snprintf(f->panic_reason, sizeof(f->panic_reason), "%s", why);
}

static void f_log(void *ctx, const char *line)
{
    struct fake *f = ctx;
    snprintf(f->last_log, sizeof(f->last_log), "%s", line);
    size_t n = strlen(f->logs);
    snprintf(f->logs + n, sizeof(f->logs) - n, "%s\n", line);
}

static void f_stage(void *ctx, enum guest_stage st, uint64_t seq)
{
    (void)seq;
    ((struct fake *)ctx)->stages[st]++;
}

static void mk(struct linux_guest *g, struct fake *f, enum guest_kind kind, unsigned nbanks, unsigned nvcpus)
{
    memset(f, 0, sizeof(*f));
    f->msr[MSR_IA32_MCG_CAP] = nbanks | MCG_SER_P;
    f->gp_from = MSR_IA32_MCx_CTL(nbanks);
    struct guest_abi abi = {.ctx = f, .domid = 1, .log = f_log, .stage = f_stage, .rdmsr = f_rdmsr,
                            .wrmsr = f_wrmsr, .set_cr4_mce = f_cr4, .register_mce_callback = f_callback,
                            .panic = f_panic};
    struct linux_guest_config c = {.kind = kind, .family = 6, .model = 0x55, .strict_banks = nbanks,
                                   .nvcpus = nvcpus};
    linux_guest_init(g, &abi, &c);
}

/* What the hypervisor puts in bank b for a vMCE: MCIP, and RIPV (an
 * SRAO's, or a bystander's) unless the error is an SRAR (EIPV, the
 * consumer lost its place). */
static void vmce(struct fake *f, unsigned b, uint64_t status, uint64_t addr)
{
    bool ar = (status & MCI_STATUS_AR) != 0;
    f->msr[MSR_IA32_MCG_STATUS] = MCG_STATUS_MCIP | (ar ? MCG_STATUS_EIPV : MCG_STATUS_RIPV);
    f->msr[MSR_IA32_MCx_STATUS(b)] = status;
    f->msr[MSR_IA32_MCx_ADDR(b)] = addr;
}

/* A guest booted on vCPU 0 with nbanks banks. */
static void booted(struct linux_guest *g, struct fake *f, enum guest_kind kind, unsigned nbanks, unsigned nvcpus)
{
    mk(g, f, kind, nbanks, nvcpus);
    linux_guest_boot(g, 0);
}

#define SRAO (MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_ADDRV | MCI_STATUS_MISCV | MCI_STATUS_S | 0xC0)
#define SRAR (MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_ADDRV | MCI_STATUS_MISCV | MCI_STATUS_S | \
              MCI_STATUS_AR | MCACOD_DATA_LOAD)
#define UCNA (MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_ADDRV | MCI_STATUS_MISCV | 0x136)

/* An SRAO vMCE in bank 1 taken on vCPU v, the one that ends the round. */
static void srao_is_recovered(struct linux_guest *g, struct fake *f, unsigned v)
{
    vmce(f, 1, SRAO, 0x3000);
    linux_guest_machine_check(g, v, X86_CTX_GUEST_KERNEL);
    assert_false(g->panicked);
    assert_int_equal(g->stats.pages_retired, 1);
}

static void boot_reads_cap_once_and_enables_banks(void **state)
{
    (void)state;
    struct linux_guest g;
    struct fake f;
    booted(&g, &f, GUEST_LINUX, 2, 2);
    linux_guest_boot(&g, 1);
    assert_int_equal(f.cr4_on, 2);
    assert_int_equal(g.nbanks, 2);
    assert_int_equal(f.reads, 1);                       /* MCG_CAP, on vCPU 0 only */
    assert_int_equal(f.read_log[0], MSR_IA32_MCG_CAP);
    assert_int_equal(f.msr[MSR_IA32_MCx_CTL(0)], ~0ull);
    assert_int_equal(f.msr[MSR_IA32_MCx_CTL(1)], ~0ull);
    assert_int_equal(f.callbacks, 0);                   /* HVM: #MC, no callback */
    assert_false(g.panicked);
}

static void bank0_quirk_by_cpu_shown(void **state)
{
    (void)state;
    /* Intel family 6 below model 0x1A, and AMD K7: bank 0 left alone */
    assert_true(linux_bank0_quirk(0, 6, 0x19));
    assert_false(linux_bank0_quirk(0, 6, 0x1A));
    assert_false(linux_bank0_quirk(0, 0xF, 0x4));
    assert_true(linux_bank0_quirk(1, 6, 0));
    assert_false(linux_bank0_quirk(1, 0x10, 0));
    struct linux_guest g;
    struct fake f;
    mk(&g, &f, GUEST_LINUX, 1, 1);
    g.cfg.model = 0x17;
    linux_guest_boot(&g, 0);
    assert_true(g.skip_bank0);
    assert_int_equal(f.msr[MSR_IA32_MCx_CTL(0)], 0);
    /* With one bank and the quirk, an error in bank 0 is never seen. */
    vmce(&f, 0, SRAO, 0x5000);
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_KERNEL);
    assert_true(g.panicked);
    assert_string_equal(f.panic_reason, "Fatal machine check from unknown source");
}

static void srao_retires_once(void **state)
{
    (void)state;
    struct linux_guest g;
    struct fake f;
    booted(&g, &f, GUEST_LINUX, 2, 1);
    vmce(&f, 1, SRAO, 0x7000);
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_KERNEL);
    assert_false(g.panicked);
    assert_int_equal(g.stats.pages_retired, 1);
    assert_int_equal(f.msr[MSR_IA32_MCx_STATUS(1)], 0); /* cleared */
    assert_int_equal(f.msr[MSR_IA32_MCG_STATUS], 0);    /* MCIP cleared on exit */
    vmce(&f, 1, SRAO, 0x7000);
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_USER);
    assert_int_equal(g.stats.pages_retired, 1);         /* -EHWPOISON: nothing new */
    assert_non_null(strstr(f.last_log, "already hardware poisoned"));
    assert_int_equal(f.stages[GUEST_STAGE_MCE_EXIT], 2);
}

static void srar_kills_in_user_panics_in_kernel(void **state)
{
    (void)state;
    struct linux_guest g;
    struct fake f;
    booted(&g, &f, GUEST_LINUX, 2, 1);
    vmce(&f, 1, SRAR, 0x9000);
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_USER);
    assert_false(g.panicked);
    assert_int_equal(g.stats.processes_killed, 1);
    assert_int_equal(g.stats.pages_retired, 1);
    vmce(&f, 1, SRAR, 0xA000);
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_KERNEL);
    assert_true(g.panicked);
    assert_string_equal(f.panic_reason, "In kernel and no restart IP"); /* severity.c, before the AR rows */
    /* A dead kernel takes no more machine checks. */
    unsigned reads = f.reads;
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_KERNEL);
    assert_int_equal(f.reads, reads);
}

static void mcip_clear_panics(void **state)
{
    (void)state;
    struct linux_guest g;
    struct fake f;
    booted(&g, &f, GUEST_LINUX, 2, 1);
    vmce(&f, 1, SRAO, 0x7000);
    f.msr[MSR_IA32_MCG_STATUS] = MCG_STATUS_RIPV;
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_KERNEL);
    assert_string_equal(f.panic_reason, "MCIP not set in MCA handler");
    /* graded per bank: the bank is logged (mce_panic prints it), not cleared */
    assert_non_null(strstr(f.logs, "Machine Check Exception: 1 Bank 1:"));
    assert_int_equal(f.msr[MSR_IA32_MCx_STATUS(1)], SRAO);
}

/* Linux 6.1's reads, in order (do_machine_check): the vMCE MSR lines Xen
 * prints come from these. */
static void handler_reads_as_linux(void **state)
{
    (void)state;
    struct linux_guest g;
    struct fake f;
    booted(&g, &f, GUEST_LINUX, 2, 1);
    unsigned from = f.reads;
    vmce(&f, 1, SRAO, 0x7000);
    f.msr[MSR_IA32_MCx_MISC(1)] = 0x86;
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_KERNEL);
    static const uint32_t want[] = {
        MSR_IA32_MCG_STATUS,    /* quirk_skylake_repmov (model 0x55) */
        MSR_IA32_MCG_CAP,       /* mce_setup */
        MSR_IA32_MCG_STATUS,    /* mce_gather_info */
        MSR_IA32_MCx_STATUS(0), /* mce_no_way_out */
        MSR_IA32_MCx_STATUS(1),
        MSR_IA32_MCx_STATUS(1), /* __mc_scan_banks */
        MSR_IA32_MCx_MISC(1),   /* mce_read_aux */
        MSR_IA32_MCx_ADDR(1),
    };
    assert_int_equal(f.reads - from, sizeof(want) / sizeof(want[0]));
    for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        assert_int_equal(f.read_log[from + i], want[i]);
    assert_non_null(strstr(f.logs, "CPU 0: Machine Check Exception: 5 Bank 1: bd000000000000c0 ADDR 7000 MISC 86"));
}

/* A UCNA signalled by #MC: skipped by the scan (no S on a SER CPU), so no
 * CPU found anything and the monarch panics (mce_reign); a bank with EN
 * clear is "Not enabled": cleared, not logged. */
static void ucna_and_not_enabled_are_not_the_mces(void **state)
{
    (void)state;
    struct linux_guest g;
    struct fake f;
    booted(&g, &f, GUEST_LINUX, 2, 1);
    vmce(&f, 1, UCNA, 0x7000);
    f.msr[MSR_IA32_MCx_STATUS(0)] = SRAO & ~MCI_STATUS_EN;
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_KERNEL);
    assert_string_equal(f.panic_reason, "Fatal machine check from unknown source");
    assert_null(strstr(f.logs, "Machine Check Exception"));
    assert_int_equal(f.msr[MSR_IA32_MCx_STATUS(1)], UCNA); /* left for the poller */
    assert_int_equal(g.stats.pages_retired, 0);
    /* EN clear with PCC: still "Not enabled" (before "Processor context corrupt") */
    booted(&g, &f, GUEST_LINUX, 2, 1);
    f.msr[MSR_IA32_MCG_STATUS] = MCG_STATUS_MCIP | MCG_STATUS_RIPV;
    f.msr[MSR_IA32_MCx_STATUS(1)] = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_PCC | MCI_STATUS_S;
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_KERNEL);
    assert_string_equal(f.panic_reason, "Fatal machine check from unknown source");
    assert_int_equal(f.msr[MSR_IA32_MCx_STATUS(1)], 0); /* cleared, not logged */
}

/* The rendezvous: a vCPU that never comes times it out (mce_start), before
 * any bank scan; a local #MC (LMCES) does not wait and, with nothing
 * found, does not panic. */
static void rendezvous_timeout_and_local(void **state)
{
    (void)state;
    struct linux_guest g;
    struct fake f;
    booted(&g, &f, GUEST_LINUX, 2, 2);
    assert_false(linux_guest_rendezvous_timeout(&g)); /* nobody waiting */
    vmce(&f, 1, SRAO, 0x7000);
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_KERNEL);
    assert_false(g.panicked);
    assert_true(linux_guest_rendezvous_timeout(&g));
    assert_string_equal(f.panic_reason, "Timeout: Not all CPUs entered broadcast exception handler");
    assert_int_equal(g.stats.pages_retired, 0);
    assert_null(strstr(f.logs, "Machine Check Exception"));
    booted(&g, &f, GUEST_LINUX, 2, 2);
    f.msr[MSR_IA32_MCG_STATUS] = MCG_STATUS_MCIP | MCG_STATUS_RIPV | MCG_STATUS_LMCES;
    linux_guest_machine_check(&g, 1, X86_CTX_GUEST_KERNEL);
    assert_false(g.panicked);
    assert_int_equal(f.stages[GUEST_STAGE_MCE_EXIT], 1);
}

/* A broadcast vMCE: the verdict waits for every vCPU, and the error found
 * by one of them is enough for the round. */
static void broadcast_round_waits_for_every_vcpu(void **state)
{
    (void)state;
    struct linux_guest g;
    struct fake f;
    booted(&g, &f, GUEST_LINUX, 2, 2);
    f.msr[MSR_IA32_MCG_STATUS] = MCG_STATUS_MCIP | MCG_STATUS_RIPV;
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_KERNEL); /* bystander: nothing */
    assert_false(g.panicked);
    f.msr[MSR_IA32_MCG_STATUS] = MCG_STATUS_MCIP | MCG_STATUS_RIPV;
    linux_guest_machine_check(&g, 1, X86_CTX_GUEST_KERNEL);
    assert_true(g.panicked);                                /* nobody found anything */
    assert_string_equal(f.panic_reason, "Fatal machine check from unknown source");

    booted(&g, &f, GUEST_LINUX, 2, 2);
    f.msr[MSR_IA32_MCG_STATUS] = MCG_STATUS_MCIP | MCG_STATUS_RIPV;
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_KERNEL);
    srao_is_recovered(&g, &f, 1);
}

/* Booted where MCG_CAP said 10 banks, running where only 6 are backed and
 * the rest #GP (Xen before 4.2, or past_count: gp): the first handler scan
 * past bank 5 faults and the kernel panics (fixed in Xen by e1dc98e3c3). */
static void gp_in_handler_is_an_architectural_violation(void **state)
{
    (void)state;
    struct linux_guest g;
    struct fake f;
    booted(&g, &f, GUEST_LINUX, 10, 1);
    assert_int_equal(g.nbanks, 10);
    f.gp_from = MSR_IA32_MCx_CTL(6); /* the move */
    vmce(&f, 1, SRAO, 0x7000);
    linux_guest_machine_check(&g, 0, X86_CTX_GUEST_KERNEL);
    assert_true(g.panicked);
    assert_string_equal(f.panic_reason, "MCA architectural violation!");
    assert_int_equal(f.read_log[f.reads - 1], MSR_IA32_MCx_STATUS(6)); /* stopped at the fault */
    assert_int_equal(f.stages[GUEST_STAGE_MCE_EXIT], 0);
    /* Reading as zero instead (Xen since 4.2): the same scan recovers. */
    booted(&g, &f, GUEST_LINUX, 10, 1);
    srao_is_recovered(&g, &f, 0);
}

static void strict_guest_dies_on_probe_gp(void **state)
{
    (void)state;
    struct linux_guest g;
    struct fake f;
    mk(&g, &f, GUEST_STRICT, 2, 1);
    g.cfg.strict_banks = 4;
    linux_guest_boot(&g, 0);
    assert_true(g.panicked);
    assert_non_null(strstr(f.panic_reason, "MSR 0x408"));   /* MC2_CTL */
    mk(&g, &f, GUEST_STRICT, 2, 1);
    f.gp_p5 = true;                                       /* Windows' P5_MC_ADDR read */
    linux_guest_boot(&g, 0);
    assert_non_null(strstr(f.panic_reason, "MSR 0"));
    booted(&g, &f, GUEST_STRICT, 4, 1);
    assert_false(g.panicked);
}

static void no_mca_kernels_leave_cr4_clear(void **state)
{
    (void)state;
    struct linux_guest g;
    struct fake f;
    booted(&g, &f, GUEST_NONE, 2, 1);
    assert_int_equal(f.cr4_on, 0);
    assert_int_equal(f.reads, 0);
    mk(&g, &f, GUEST_LINUX, 2, 1);
    g.cfg.pv = true;
    linux_guest_boot(&g, 0);
    assert_int_equal(f.callbacks, 1);
    for (unsigned k = 0; k < GUEST_KIND__COUNT; k++)
        assert_int_equal(guest_kind_from_name(guest_kind_name((enum guest_kind)k)), k);
    assert_int_equal(guest_kind_from_name("windows"), GUEST_KIND__COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(boot_reads_cap_once_and_enables_banks),
        cmocka_unit_test(bank0_quirk_by_cpu_shown),
        cmocka_unit_test(srao_retires_once),
        cmocka_unit_test(srar_kills_in_user_panics_in_kernel),
        cmocka_unit_test(mcip_clear_panics),
        cmocka_unit_test(handler_reads_as_linux),
        cmocka_unit_test(ucna_and_not_enabled_are_not_the_mces),
        cmocka_unit_test(rendezvous_timeout_and_local),
        cmocka_unit_test(broadcast_round_waits_for_every_vcpu),
        cmocka_unit_test(gp_in_handler_is_an_architectural_violation),
        cmocka_unit_test(strict_guest_dies_on_probe_gp),
        cmocka_unit_test(no_mca_kernels_leave_cr4_clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
