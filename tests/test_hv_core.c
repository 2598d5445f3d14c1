/*
 * test_hv_core.c - the hosted hv core against a mock platform: the
 * rendezvous barrier with and without timeout, the #MC handler and softirq
 * for each recovery path, CMCI and polling, the memory-error handler's page
 * fates, telemetry overflow through the hv, and validation of every
 * hypercall argument (including a fuzz pass: no input may crash the host).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "hv/hv.h"
#include "mock_platform.h"

#define CAP_SER (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P)
#define SRAO_SCRUB 0xBD000000004000CFull   /* xen-mceinj SRAO */
#define SRAR_LOAD 0xBD80000000000134ull    /* VAL|UC|EN|MISCV|ADDRV|S|AR|0x134 */
#define UCNA_LLC 0xBC20000080000136ull     /* xen-mceinj UCNA */
#define PCC_FATAL 0xBF2000008000017Aull    /* xen-mceinj fatal SRAO */
#define CE_MEM 0x9C0000000000009Full

struct fx {
    struct mock m;
    struct hv hv;
};

/* The console, so far, holds this line. */
static bool console_has(const struct fx *f, const char *line) { return mock_console_has(&f->m, line); }

static struct fx *setup_nbo(unsigned ncpus, uint64_t cap, const struct hv_mem_region *r, unsigned nr,
                            unsigned urgent, unsigned nonurgent, unsigned nbanks, enum hv_handler_order order)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, ncpus, cap, nbanks);
    struct hv_config cfg;
    hv_config_defaults(&cfg, ncpus);
    cfg.domains = &mock_dom0; /* dom0 binds VIRQ_MCA (Xen's dom0_vmce_enabled) */
    cfg.ndomains = 1;
    cfg.order = order;
    cfg.regions = r;
    cfg.nregions = nr;
    cfg.telem_urgent = urgent;
    cfg.telem_nonurgent = nonurgent;
    cfg.lmce_on = true;
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    for (unsigned i = 0; i < ncpus; i++)
        hv_cpu_boot(&f->hv, i);
    return f;
}

static struct fx *setup_nb(unsigned ncpus, uint64_t cap, const struct hv_mem_region *r, unsigned nr,
                           unsigned urgent, unsigned nonurgent, unsigned nbanks)
{
    return setup_nbo(ncpus, cap, r, nr, urgent, nonurgent, nbanks, ORDER_XEN);
}

static struct fx *setup_n(unsigned ncpus, uint64_t cap, const struct hv_mem_region *r, unsigned nr,
                          unsigned urgent, unsigned nonurgent)
{
    return setup_nb(ncpus, cap, r, nr, urgent, nonurgent, 10);
}

static struct fx *setup1(void) { return setup_n(1, CAP_SER, NULL, 0, 10, 20); }

/* One CPU under the linux handler order. */
static struct fx *setup1_linux(void)
{
    return setup_nbo(1, CAP_SER, NULL, 0, 10, 20, 10, ORDER_LINUX);
}

static void teardown(struct fx *f)
{
    hv_fini(&f->hv);
    test_free(f);
}

/* Hardware: latch an error and deliver #MC with the given MCG_STATUS. */
static void hw_mce(struct fx *f, unsigned cpu, unsigned bank, uint64_t status, uint64_t addr,
                   uint64_t misc, uint64_t mcg)
{
    struct cpu_latch_result r = cpu_mca_latch(&f->m.cpu[cpu], bank, status, addr, misc);
    assert_int_not_equal(r.kind, CPU_LATCH_BAD_BANK);
    assert_int_equal(cpu_mca_deliver_mc(&f->m.cpu[cpu], mcg), CPU_MC_DELIVERED);
}

static const struct telem_entry *committed(struct fx *f, enum telem_class cls)
{
    return telem_fetch(&f->hv.telem, cls);
}

/* ---- barrier ------------------------------------------------------------ */

static void barrier_releases_when_all_arrive(void **state)
{
    (void)state;
    struct fx *f = setup_n(2, CAP_SER, NULL, 0, 10, 20);
    struct hv_barrier b = {.count = 1, .gen = 7}; /* CPU 1 already waiting */
    assert_int_equal(hv_barrier_wait(&f->hv, &b, 0, 2, 0), HV_BARRIER_OK);
    assert_int_equal(b.gen, 8);
    assert_int_equal(b.count, 0);
    assert_int_equal(f->m.spins, 0);
    teardown(f);
}

static void barrier_times_out(void **state)
{
    (void)state;
    struct fx *f = setup_n(2, CAP_SER, NULL, 0, 10, 20);
    struct hv_barrier b = {0};
    uint64_t t0 = f->m.now, timeout = 1000000000000ull; /* 1 s */
    assert_int_equal(hv_barrier_wait(&f->hv, &b, 0, 2, timeout), HV_BARRIER_TIMEOUT);
    assert_true(f->m.now >= t0 + timeout);
    assert_true(f->m.spins > 0);
    assert_false(hv_cpu_busy(&f->hv, 0));
    teardown(f);
}

static void barrier_without_timeout_spins_until_stopped(void **state)
{
    (void)state;
    struct fx *f = setup_n(2, CAP_SER, NULL, 0, 10, 20);
    struct hv_barrier b = {0};
    f->m.stop_after_spins = 5000;
    uint64_t t0 = f->m.now;
    assert_int_equal(hv_barrier_wait(&f->hv, &b, 0, 2, 0), HV_BARRIER_STOPPED);
    assert_int_equal(f->m.spins, 5000);
    /* 5000 spins of 50 ns: far past any timeout a policy would set */
    assert_true(f->m.now - t0 >= 5000 * f->m.spin_ps);
    teardown(f);
}

/* A #MC taken while a CPU spins runs a rendezvous of its own; when it
 * returns, the outer spin goes on and the CPU is still busy. */
static void barrier_restores_an_outer_spin(void **state)
{
    (void)state;
    struct fx *f = setup_n(2, CAP_SER, NULL, 0, 10, 20);
    struct hv_barrier b = {0};
    f->hv.cpu[0].spinning = true; /* the outer spin */
    assert_int_equal(hv_barrier_wait(&f->hv, &b, 0, 2, 1000000), HV_BARRIER_TIMEOUT);
    assert_true(f->hv.cpu[0].spinning);
    assert_true(hv_cpu_busy(&f->hv, 0));
    teardown(f);
}

/* ---- #MC handler and softirq ------------------------------------------ */

/* A #MC after MCIP was cleared nests in the handler's tail (SDM 15.10.1):
 * leaving the inner one must not mark the outer one as left. */
static void nested_mce_leaves_the_outer_handler_busy(void **state)
{
    (void)state;
    struct fx *f = setup1();
    f->hv.cpu[0].in_mce = true; /* the outer handler, MCIP already cleared */
    hw_mce(f, 0, 7, SRAO_SCRUB, 0x180020, 0x86, MCG_STATUS_RIPV);
    hv_machine_check(&f->hv, 0);
    assert_false(f->m.stopped);
    assert_true(hv_cpu_busy(&f->hv, 0));
    assert_string_equal(hv_cpu_stuck_in(&f->hv, 0), "the #MC handler (rendezvous never completed)");
    teardown(f);
}

/* A softirq raised again while it ran runs once more, on this CPU alone
 * (Xen's pending bit); its rendezvous waits for CPUs that will not come,
 * and a hang report must say the softirq, not the #MC handler. */
static void lone_softirq_is_stuck_in_the_softirq(void **state)
{
    (void)state;
    struct fx *f = setup_n(2, CAP_SER, NULL, 0, 10, 20);
    f->m.stop_after_spins = 3;
    hv_softirq(&f->hv, 0);
    assert_non_null(f->m.stuck_in[0]);
    assert_string_equal(f->m.stuck_in[0], "the MCE softirq (rendezvous never completed)");
    assert_null(hv_cpu_stuck_in(&f->hv, 1)); /* never arrived */
    assert_false(f->hv.cpu[0].in_softirq);  /* left when the host stopped */
    assert_null(hv_cpu_stuck_in(&f->hv, 0));
    teardown(f);
}

/* deferral: nmi (Egger's concept points to "NMI deferral"): the handler
 * sends itself an NMI instead of raising the softirq; the NMI runs the
 * softirq's body. An NMI taken inside that NMI's handler runs nothing
 * nested, it has the work run again when the outer one is done. */
static void nmi_deferral_runs_the_softirq_body_in_the_nmi(void **state)
{
    (void)state;
    struct fx *f = setup1();
    f->hv.cfg.deferral = DEFERRAL_NMI;
    hw_mce(f, 0, 7, SRAO_SCRUB, 0x180020, 0x86, MCG_STATUS_RIPV);
    hv_machine_check(&f->hv, 0);
    assert_int_equal(f->m.softirq_raised[0], 0);
    assert_int_equal(f->m.nmi_raised[0], 1);
    assert_true(telem_has_deferred(&f->hv.telem, 0));
    hv_nmi(&f->hv, 0);
    assert_int_equal(f->hv.telem.stats.committed, 1);
    assert_int_equal(f->m.trace_count[HV_STAGE_NMI_ENTRY], 1);
    assert_int_equal(f->m.trace_count[HV_STAGE_SOFTIRQ_ENTRY], 0);
    assert_false(f->hv.cpu[0].in_nmi);

    f->hv.cpu[0].in_nmi = true; /* an NMI inside the NMI's handler */
    hv_nmi(&f->hv, 0);
    assert_true(f->hv.cpu[0].nmi_again);
    assert_int_equal(f->m.trace_count[HV_STAGE_NMI_NESTED], 1);
    assert_int_equal(f->m.trace_count[HV_STAGE_NMI_ENTRY], 1); /* nothing ran nested */
    f->hv.cpu[0].in_nmi = false;

    /* a #MC inside an #MC handler that has not returned is traced */
    f->hv.cpu[0].in_mce = true;
    hw_mce(f, 0, 7, SRAO_SCRUB, 0x180020, 0x86, MCG_STATUS_RIPV);
    hv_machine_check(&f->hv, 0);
    assert_int_equal(f->m.trace_count[HV_STAGE_MCE_NESTED], 1);
    teardown(f);
}

static void srao_free_page_is_offlined_and_recovered(void **state)
{
    (void)state;
    struct fx *f = setup1();
    unsigned booted = f->m.consoles; /* "CPU0: Intel machine check reporting enabled" */
    assert_true(console_has(f, "CPU0: Intel machine check reporting enabled"));
    hw_mce(f, 0, 7, SRAO_SCRUB, 0x180020, 0x86, MCG_STATUS_RIPV);
    hv_machine_check(&f->hv, 0);
    assert_false(f->m.stopped);
    assert_int_equal(f->m.cpu[0].mcg_status, 0);          /* MCIP cleared */
    assert_int_equal(f->m.cpu[0].bank[7].status, 0);      /* SRAO bank cleared */
    assert_int_equal(f->m.softirq_raised[0], 1);
    assert_true(telem_has_deferred(&f->hv.telem, 0));     /* deferred, not committed yet */
    assert_int_equal(f->hv.telem.stats.committed, 0);
    hv_softirq(&f->hv, 0);
    assert_int_equal(f->hv.telem.stats.committed, 1);
    assert_int_equal(f->m.virqs, 1);
    const struct telem_entry *e = committed(f, TELEM_URGENT);
    assert_non_null(e);
    assert_int_equal(e->rec.result, MCA_RES_RECOVERED);
    assert_int_equal(e->rec.cls, MCA_REC_SRAO);
    assert_int_equal(e->rec.nbanks, 1);
    assert_int_equal(e->rec.bank[0].bank, 7);
    assert_string_equal(e->rec.bank[0].rule, "SRAO: software recoverable, action optional");
    assert_int_equal(e->rec.flags, MCA_REC_F_MCE | MCA_REC_F_RECOVERABLE);
    /* a release build prints nothing for RECOVERED (mce_delayed_action's dprintk) */
    /* nor for a free page offline_page takes (page_alloc.c: no printk) */
    assert_int_equal(f->m.consoles, booted);
    const struct page_entry *pg = page_states_find(&f->hv.pages, 0x180);
    assert_non_null(pg);
    assert_int_equal(pg->state, PAGE_OFFLINED);
    assert_true(pg->broken);
    teardown(f);
}

/* PCC: mcheck_cmn_handler puts the CPU in mce_fatal_cpus and the
 * severity CPU calls mc_panic; intel_need_clearbank_scan keeps UC+PCC
 * banks for the poller after reboot; MCIP is never cleared. */
static void pcc_panics_and_keeps_bank(void **state)
{
    (void)state;
    struct fx *f = setup1();
    hw_mce(f, 0, 7, PCC_FATAL, 0x180020, 0x86, MCG_STATUS_RIPV);
    hv_machine_check(&f->hv, 0);
    assert_true(f->m.stopped);
    assert_int_equal(f->m.stop_kind, HV_STOP_PANIC);
    assert_string_equal(f->m.stop_reason, "MCE: Fatal error happened on CPUs 1");
    assert_true(console_has(f, "Fatal machine check: MCE: Fatal error happened on CPUs 1"));
    assert_true(console_has(f, "   be recovered from.  Xen will now reboot the machine."));
    assert_true(console_has(f, "CPU0: Machine Check Exception:                5")); /* the deferred record */
    assert_true(console_has(f, "Bank 7: bf2000008000017a[              86] at           180020"));
    assert_true(console_has(f, "Panic on CPU 0:"));
    assert_true(console_has(f, "HARDWARE ERROR"));
    assert_false(console_has(f, "arch/x86/cpu/mcheck/mce.c:1693: Begin dump mc_info")); /* release */
    assert_int_equal(f->m.cpu[0].bank[7].status, PCC_FATAL); /* sticky for post-reboot log */
    assert_true(f->m.cpu[0].mcg_status & MCG_STATUS_MCIP);   /* never cleared */
    assert_int_equal(f->m.softirq_raised[0], 0);
    teardown(f);
}

/* The linux order's monarch names the Linux severity rule. */
static void pcc_panics_under_the_linux_order(void **state)
{
    (void)state;
    struct fx *f = setup1_linux();
    hw_mce(f, 0, 7, PCC_FATAL, 0x180020, 0x86, MCG_STATUS_RIPV);
    hv_machine_check(&f->hv, 0);
    assert_true(f->m.stopped);
    assert_non_null(strstr(f->m.stop_reason, "Processor context corrupt"));
    teardown(f);
}

/* No valid bank on a broadcast #MC: nobody found an error, so nobody is
 * severity_cpu and nobody checks found_error: the #MC is dismissed. */
static void mce_without_valid_bank_is_dismissed_when_broadcast(void **state)
{
    (void)state;
    struct fx *f = setup1();
    assert_int_equal(cpu_mca_deliver_mc(&f->m.cpu[0], MCG_STATUS_RIPV), CPU_MC_DELIVERED);
    hv_machine_check(&f->hv, 0);
    assert_false(f->m.stopped);
    assert_int_equal(f->m.cpu[0].mcg_status, 0);
    assert_int_equal(f->m.softirq_raised[0], 1);
    teardown(f);
}

/* The same under LMCE: the CPU checks for itself and panics. */
static void lmce_without_valid_bank_panics(void **state)
{
    (void)state;
    struct fx *f = setup_n(1, CAP_SER | MCG_LMCE_P, NULL, 0, 10, 20);
    assert_int_equal(cpu_mca_deliver_mc(&f->m.cpu[0], MCG_STATUS_RIPV | MCG_STATUS_LMCES), CPU_MC_DELIVERED);
    hv_machine_check(&f->hv, 0);
    assert_true(f->m.stopped);
    assert_string_equal(f->m.stop_reason, "MCE: No CPU found valid MCE, need reset");
    assert_true(console_has(f, "Fatal machine check: MCE: No CPU found valid MCE, need reset"));
    teardown(f);
}

/* Xen's mcheck_mca_logout puts every valid bank of one CPU's logout in
 * one mc_info; mcheck_cmn_handler defers it when any bank is UC or PCC,
 * and mce_action gives it the worst result of its banks (the corrected
 * bank's default handler says CONTINUE, intel_default_mce_dhandler). */
static void corrected_and_uc_banks_share_one_deferred_record(void **state)
{
    (void)state;
    struct fx *f = setup1();
    cpu_mca_latch(&f->m.cpu[0], 2, CE_MEM, 0x1000, 0x8C);
    hw_mce(f, 0, 7, SRAO_SCRUB, 0x180020, 0x86, MCG_STATUS_RIPV);
    hv_machine_check(&f->hv, 0);
    assert_int_equal(f->hv.telem.stats.reserved, 1);  /* one record for the logout */
    assert_int_equal(f->hv.telem.stats.committed, 0); /* all of it waits for the softirq */
    assert_true(telem_has_deferred(&f->hv.telem, 0));
    const struct mca_record *r = &f->hv.telem.slot[f->hv.telem.cpu[0].pending.head].rec;
    assert_int_equal(r->nbanks, 2);
    assert_int_equal(r->bank[0].bank, 2);
    assert_int_equal(r->bank[0].cls, MCA_REC_CORRECTED);
    assert_int_equal(r->bank[1].bank, 7);
    assert_int_equal(r->bank[1].cls, MCA_REC_SRAO);
    assert_int_equal(r->cls, MCA_REC_SRAO); /* the worst */
    assert_int_equal(r->flags, MCA_REC_F_MCE | MCA_REC_F_RECOVERABLE);
    hv_softirq(&f->hv, 0);
    const struct telem_entry *e = committed(f, TELEM_URGENT);
    assert_non_null(e);
    assert_int_equal(e->rec.result, MCA_RES_CONTINUE);
    teardown(f);
}

/* A logout of corrected banks only is committed in the handler. */
static void corrected_only_record_is_committed_at_once(void **state)
{
    (void)state;
    struct fx *f = setup1();
    cpu_mca_latch(&f->m.cpu[0], 2, CE_MEM, 0x1000, 0x8C);
    cpu_mca_latch(&f->m.cpu[0], 3, CE_MEM, 0x2000, 0x8C);
    assert_int_equal(cpu_mca_deliver_mc(&f->m.cpu[0], MCG_STATUS_RIPV), CPU_MC_DELIVERED);
    hv_machine_check(&f->hv, 0);
    assert_int_equal(f->hv.telem.stats.committed, 1);
    assert_false(telem_has_deferred(&f->hv.telem, 0));
    const struct telem_entry *e = committed(f, TELEM_URGENT);
    assert_non_null(e);
    assert_int_equal(e->rec.nbanks, 2);
    assert_int_equal(e->rec.flags, MCA_REC_F_MCE | MCA_REC_F_CORRECTABLE);
    teardown(f);
}

/* Xen's mc_info holds 15 banks (mca_abi.h MCA_REC_MAX_BANKS); a logout
 * with more keeps the first 15 and flags the record incomplete
 * (MCINFO_FLAGS_UNCOMPLETE, mca_init_bank). */
static void record_full_of_banks_is_flagged_incomplete(void **state)
{
    (void)state;
    struct fx *f = setup_nb(1, CAP_SER, NULL, 0, 10, 20, 20);
    for (unsigned b = 0; b < MCA_REC_MAX_BANKS + 2; b++)
        cpu_mca_latch(&f->m.cpu[0], b, CE_MEM, 0x1000ull * (b + 1), 0x8C);
    assert_int_equal(cpu_mca_deliver_mc(&f->m.cpu[0], MCG_STATUS_RIPV), CPU_MC_DELIVERED);
    hv_machine_check(&f->hv, 0);
    const struct telem_entry *e = committed(f, TELEM_URGENT);
    assert_non_null(e);
    assert_int_equal(e->rec.nbanks, MCA_REC_MAX_BANKS);
    assert_int_equal(e->rec.nlost, 2);
    assert_true(e->rec.flags & MCA_REC_F_INCOMPLETE);
    assert_int_equal(e->rec.bank[MCA_REC_MAX_BANKS - 1].bank, MCA_REC_MAX_BANKS - 1);
    assert_int_equal(f->hv.telem.stats.incomplete, 1);
    teardown(f);
}

/* mce_urgent_action: RIPV=0 and the #MC came in hypervisor context. */
static void srar_in_hypervisor_context_panics(void **state)
{
    (void)state;
    struct fx *f = setup1();
    f->m.ctx[0] = X86_CTX_HV;
    hw_mce(f, 0, 1, SRAR_LOAD, 0x12345000, 0x8C, MCG_STATUS_EIPV);
    hv_machine_check(&f->hv, 0);
    assert_true(f->m.stopped);
    assert_string_equal(f->m.stop_reason, "MCE: Fatal error happened on CPUs 1");
    teardown(f);
}

/* An SRAR code intel_srar_dhandler does not know: the #MC handler lets it
 * through (guest context, EIPV), the softirq's handler says RESET. */
static void srar_unknown_mcacod_panics(void **state)
{
    (void)state;
    struct fx *f = setup1();
    f->m.ctx[0] = X86_CTX_GUEST_USER;
    hw_mce(f, 0, 1, (SRAR_LOAD & ~0xFFFFull) | 0x0001, 0x12345000, 0x8C, MCG_STATUS_EIPV);
    hv_machine_check(&f->hv, 0);
    assert_false(f->m.stopped);
    hv_softirq(&f->hv, 0);
    assert_true(f->m.stopped);
    assert_string_equal(f->m.stop_reason, "MCE: Software recovery failed for the UCR");
    assert_true(console_has(f, "Bank 1: bd80000000000001[              8c] at         12345000"));
    teardown(f);
}

/* The result of the first record, committed or not (a failed recovery
 * panics before the commit, as mce_delayed_action does). */
static uint32_t run_srar_on(struct fx *f, uint64_t addr, enum hv_stop_kind *kind, int *stopped)
{
    f->m.ctx[0] = X86_CTX_GUEST_USER;
    hw_mce(f, 0, 1, SRAR_LOAD, addr, 0x8C, MCG_STATUS_EIPV);
    hv_machine_check(&f->hv, 0);
    hv_softirq(&f->hv, 0);
    *kind = f->m.stop_kind;
    *stopped = f->m.stopped;
    for (unsigned i = 0; i < f->hv.telem.nslots; i++)
        if (f->hv.telem.slot[i].rec.seq == 1)
            return f->hv.telem.slot[i].rec.result;
    return 0xFFFF;
}

static void page_fates_follow_the_owner(void **state)
{
    (void)state;
    const struct hv_mem_region layout[] = {
        {0x000, 0x100, HV_OWNER_XEN_IMAGE, 0, false, 0},
        {0x100, 0x100, HV_OWNER_XEN_PAGETABLE, 0, false, 0},
        {0x200, 0x100, HV_OWNER_XEN_HEAP, 0, false, 0},
        {0x10000, 0x40000, HV_OWNER_DOMAIN, 3, false, 0},
    };
    enum hv_stop_kind kind;
    int stopped;
    /* An SRAR starts out RESET (intel_srar_dhandler) and only an offlined
     * page or a delivered vMCE makes it better (mc_memerr_dhandler). */
    struct {
        uint64_t addr;
        uint32_t result;
        int stopped;
        int tracked;
        enum page_state st;
    } cases[] = {
        {0x00050000, MCA_RES_RESET, 1, 0, PAGE_NORMAL},            /* image: -EPERM */
        {0x00150000, MCA_RES_RESET, 1, 1, PAGE_OFFLINE_PENDING},   /* page tables: anonymous */
        {0x00250000, MCA_RES_RESET, 1, 1, PAGE_OFFLINE_PENDING},   /* xen heap */
        {0x12345000, MCA_RES_RECOVERED, 0, 1, PAGE_OFFLINED},      /* dom3 does not run here: free */
        {0x90000000, MCA_RES_RECOVERED, 0, 1, PAGE_OFFLINED},      /* not described: free */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fx *f = setup_n(1, CAP_SER, layout, 4, 10, 20);
        uint32_t res = run_srar_on(f, cases[i].addr, &kind, &stopped);
        assert_int_equal(res, cases[i].result);
        assert_int_equal(stopped, cases[i].stopped);
        if (stopped) {
            assert_int_equal(kind, HV_STOP_PANIC);
            assert_string_equal(f->m.stop_reason, "MCE: Software recovery failed for the UCR");
        }
        const struct page_entry *pg = page_states_find(&f->hv.pages, cases[i].addr >> 12);
        assert_int_equal(pg != NULL, cases[i].tracked);
        if (pg) {
            assert_true(pg->broken);
            assert_int_equal(pg->state, cases[i].st);
        }
        teardown(f);
    }
}

static void srar_without_usable_address_resets(void **state)
{
    (void)state;
    struct fx *f = setup1();
    enum hv_stop_kind kind;
    int stopped;
    f->m.ctx[0] = X86_CTX_GUEST_USER;
    /* MISC mode 1 (linear): not a physical address */
    hw_mce(f, 0, 1, SRAR_LOAD, 0x12345000, 0x4C, MCG_STATUS_EIPV);
    hv_machine_check(&f->hv, 0);
    hv_softirq(&f->hv, 0);
    kind = f->m.stop_kind;
    stopped = f->m.stopped;
    assert_true(stopped);
    assert_int_equal(kind, HV_STOP_PANIC);
    teardown(f);
}

static void lmce_skips_the_rendezvous(void **state)
{
    (void)state;
    struct fx *f = setup_n(2, CAP_SER | MCG_LMCE_P, NULL, 0, 10, 20);
    assert_int_equal(f->m.cpu[1].mcg_ext_ctl, MCG_EXT_CTL_LMCE_EN); /* enabled at boot */
    f->m.ctx[1] = X86_CTX_GUEST_USER;
    hw_mce(f, 1, 1, SRAR_LOAD, 0x12345000, 0x8C, MCG_STATUS_EIPV | MCG_STATUS_LMCES);
    hv_machine_check(&f->hv, 1);
    assert_false(f->m.stopped);
    assert_int_equal(f->m.spins, 0); /* nobody waited for CPU 0 */
    assert_int_equal(f->m.trace_count[HV_STAGE_RENDEZVOUS_IN], 0);
    hv_softirq(&f->hv, 1);
    assert_int_equal(f->hv.telem.stats.committed, 1);
    teardown(f);
}

/* ---- boot (mcheck_init, intel_mcheck_init) ----------------------------- */

/* One CPU booted with a hand-made config (the CPU model and release). */
static struct fx *boot_with(struct hv_config *cfg, uint64_t cap, void (*before)(struct mock *m))
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 1, cap, 10);
    if (before)
        before(&f->m);
    assert_int_equal(hv_init(&f->hv, cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    hv_cpu_boot(&f->hv, 0);
    return f;
}

/* mce=0: mcheck_init stops at once: no bank enabled, CR4.MCE clear; an #MC
 * that still got to the handler would be unexpected_machine_check's. */
static void mce_off_boots_nothing(void **state)
{
    (void)state;
    struct hv_config cfg;
    hv_config_defaults(&cfg, 1);
    cfg.mce_off = true;
    struct fx *f = boot_with(&cfg, CAP_SER, NULL);
    assert_true(console_has(f, "MCE support disabled by bootparam"));
    assert_false(f->m.cpu[0].cr4_mce);
    assert_int_equal(f->m.cpu[0].bank[7].ctl, 0);
    assert_int_equal(f->m.timer_arms[0], 0); /* no poller */
    hv_machine_check(&f->hv, 0);
    assert_true(console_has(f, "Unexpected Machine Check Exception"));
    assert_string_equal(f->m.stop_reason, "FATAL TRAP: vec 18, #MC[0000]");
    teardown(f);
}

/* mce_firstbank: Intel family 6 below model 0x1A skips bank 0 in
 * intel_init_mce and, without CMCI, in the poller's mask. */
static void early_p6_skips_bank0(void **state)
{
    (void)state;
    struct hv_config cfg;
    hv_config_defaults(&cfg, 1);
    cfg.model = 0x17;
    struct fx *f = boot_with(&cfg, MCG_CTL_P | MCG_SER_P, NULL);
    assert_int_equal(f->m.cpu[0].bank[0].ctl, 0);
    assert_int_equal(f->m.cpu[0].bank[1].ctl, ~0ull);
    assert_int_equal(f->hv.cpu[0].owned, 0x3FEu);
    assert_true(f->hv.x.broadcast); /* model 0x17 >= 0xE */
    teardown(f);
    cfg.model = 0x1A;
    f = boot_with(&cfg, MCG_CTL_P | MCG_SER_P, NULL);
    assert_int_equal(f->m.cpu[0].bank[0].ctl, ~0ull);
    assert_int_equal(f->hv.cpu[0].owned, 0x3FFu);
    teardown(f);
}

static void latch_stale_ce(struct mock *m)
{
    cpu_mca_latch(&m->cpu[0], 2, CE_MEM, 0x1000, 0x8C);
}

/* intel_mce_post_reset: what the banks hold at boot is logged (POLLED),
 * dumped and committed, and the bank cleared; on 4.17 the logout reads no
 * bank and intel_init_mce then clears the never-initialised bank unlogged. */
static void boot_logout_of_stale_banks(void **state)
{
    (void)state;
    struct hv_config cfg;
    hv_config_defaults(&cfg, 1);
    struct fx *f = boot_with(&cfg, CAP_SER, latch_stale_ce);
    assert_int_equal(f->m.cpu[0].bank[2].status, 0);
    const struct telem_entry *e = committed(f, TELEM_NONURGENT);
    assert_non_null(e);
    assert_int_equal(e->rec.flags, MCA_REC_F_POLLED | MCA_REC_F_CORRECTABLE);
    assert_int_equal(e->rec.bank[0].bank, 2);
    assert_true(console_has(f, "POLLED occurred on CPU 0."));
    teardown(f);
    cfg.xen_version = XEN_VER_4_17;
    f = boot_with(&cfg, CAP_SER, latch_stale_ce);
    assert_int_equal(f->m.cpu[0].bank[2].status, 0);
    assert_int_equal(f->hv.telem.stats.reserved, 0);
    assert_false(console_has(f, "POLLED occurred on CPU 0."));
    teardown(f);
}

/* ---- CMCI, polling and the pool --------------------------------------- */

static void cmci_logs_ucna_and_clears_bank(void **state)
{
    (void)state;
    struct fx *f = setup1();
    cpu_mca_latch(&f->m.cpu[0], 9, UCNA_LLC, 0x180020, 0x86);
    hv_cmci(&f->hv, 0);
    assert_int_equal(f->m.cpu[0].bank[9].status, 0);
    assert_int_equal(f->m.virqs, 1);
    const struct telem_entry *e = committed(f, TELEM_NONURGENT);
    assert_non_null(e);
    assert_int_equal(e->rec.cls, MCA_REC_UCNA);
    assert_int_equal(e->rec.source, MCA_SRC_CMCI);
    teardown(f);
}

/* SDM 15.5.1 discovery: a bank whose CMCI_EN is already set belongs to
 * another CPU sharing it; this CPU neither claims nor logs it. */
static void cmci_discovery_skips_banks_owned_by_others(void **state)
{
    (void)state;
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 1, CAP_SER, 10);
    struct hv_config cfg;
    hv_config_defaults(&cfg, 1);
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.cpu[0].bank[3].ctl2 = MCI_CTL2_CMCI_EN | 1; /* claimed by a sibling */
    hv_cpu_boot(&f->hv, 0);
    assert_false(f->hv.cpu[0].owned & (1u << 3));
    assert_true(f->hv.cpu[0].owned & (1u << 4));
    assert_int_equal(f->m.cpu[0].bank[3].ctl2, MCI_CTL2_CMCI_EN | 1); /* left alone */
    assert_int_equal(f->m.cpu[0].bank[4].ctl2, MCI_CTL2_CMCI_EN | 2);
    cpu_mca_latch(&f->m.cpu[0], 3, CE_MEM, 0x1000, 0x8C);
    cpu_mca_latch(&f->m.cpu[0], 4, CE_MEM, 0x2000, 0x8C);
    hv_cmci(&f->hv, 0);
    /* no dom0 bound VIRQ_MCA: cmci_interrupt dumps the record, bank 4 only */
    assert_true(console_has(f, "CMCI occurred on CPU 0."));
    assert_non_null(strstr(f->m.console_log, "Bank 4: "));
    assert_null(strstr(f->m.console_log, "Bank 3: "));
    assert_int_equal(f->m.cpu[0].bank[4].status, 0);
    assert_true(f->m.cpu[0].bank[3].status & MCI_STATUS_VAL); /* the owner's to log */
    teardown(f);
}

/* Linux's machine_check_poll leaves an SRAO to the #MC handler; so does
 * the linux order's poller (Xen's logs and clears it: test_xen_cmci_poll). */
static void linux_poller_leaves_srao_for_the_mce_handler(void **state)
{
    (void)state;
    struct fx *f = setup1_linux();
    cpu_mca_latch(&f->m.cpu[0], 7, SRAO_SCRUB, 0x180020, 0x86);
    hv_poll_timer(&f->hv, 0);
    assert_int_equal(f->m.cpu[0].bank[7].status, SRAO_SCRUB);
    assert_int_equal(f->hv.telem.stats.reserved, 0);
    teardown(f);
}

static void full_pool_counts_drops_and_still_clears(void **state)
{
    (void)state;
    struct fx *f = setup_n(1, CAP_SER, NULL, 0, 1, 2);
    for (int i = 0; i < 3; i++) {
        cpu_mca_latch(&f->m.cpu[0], 9, UCNA_LLC, 0x180020, 0x86);
        hv_cmci(&f->hv, 0);
        assert_int_equal(f->m.cpu[0].bank[9].status, 0);
    }
    assert_int_equal(f->hv.telem.stats.committed, 2);
    assert_int_equal(f->hv.telem.stats.dropped[TELEM_NONURGENT], 1);
    assert_int_equal(f->m.trace_count[HV_STAGE_TELEM_DROP], 1);
    teardown(f);
}

static void stop_dumps_undelivered_records(void **state)
{
    (void)state;
    struct fx *f = setup1();
    cpu_mca_latch(&f->m.cpu[0], 9, UCNA_LLC, 0x180020, 0x86);
    hv_cmci(&f->hv, 0);
    unsigned before = f->m.consoles;
    hv_stop(&f->hv, 0, HV_STOP_PANIC, "test");
    assert_true(f->m.stopped);
    assert_true(f->m.consoles >= before + 3); /* the record, the count, the banner */
    hv_stop(&f->hv, 0, HV_STOP_RESET, "second");
    assert_string_equal(f->m.stop_reason, "test"); /* first reason wins */
    teardown(f);
}

/* ---- hypercalls --------------------------------------------------------- */

#define HC_ADDR MOCK_GBASE
#define REC_ADDR (MOCK_GBASE + 1024)

static struct mca_hypercall *hc_at(struct fx *f) { return (struct mca_hypercall *)f->m.gmem; }

static long call(struct fx *f, unsigned caller, uint32_t cmd, uint32_t flags, uint64_t id)
{
    struct mca_hypercall *hc = hc_at(f);
    memset(hc, 0, sizeof(*hc));
    hc->cmd = cmd;
    hc->interface_version = MCA_INTERFACE_VERSION;
    hc->u.fetch.flags = flags;
    hc->u.fetch.fetch_id = id;
    hc->u.fetch.data = REC_ADDR;
    return hv_do_mca(&f->hv, caller, HC_ADDR);
}

static void hypercall_only_dom0(void **state)
{
    (void)state;
    struct fx *f = setup1();
    for (unsigned dom = 1; dom < 5; dom++)
        assert_int_equal(call(f, dom, MCA_CMD_FETCH, MCA_FLAG_URGENT, 0), -EPERM);
    assert_int_equal(call(f, 0, MCA_CMD_FETCH, MCA_FLAG_URGENT, 0), 0);
    teardown(f);
}

/* MCA_CMD_SPARE_RANK (Egger's self-healing, the seed000 policy set only):
 * Xen has no such command; dom0 alone may ask; the platform says whether
 * the controller has a spare. */
static long fake_spare(void *ctx, uint64_t paddr, int mirror)
{
    (void)ctx;
    (void)mirror;
    return paddr == 0x20bbc0 ? 0 : -EBUSY;
}

static void spare_rank_is_seed000_and_dom0_only(void **state)
{
    (void)state;
    struct fx *f = setup1();
    assert_int_equal(call(f, 0, MCA_CMD_SPARE_RANK, 0, 0), -EINVAL); /* decider xen */
    f->hv.cfg.decider = DECIDER_SEED000;
    assert_int_equal(call(f, 1, MCA_CMD_SPARE_RANK, 0, 0), -EPERM);  /* a DomU */
    assert_int_equal(call(f, 0, MCA_CMD_SPARE_RANK, 0, 0), -ENODEV); /* no memory controller */
    f->m.plat.mem_spare = fake_spare;
    struct mca_hypercall *hc = hc_at(f);
    memset(hc, 0, sizeof(*hc));
    hc->cmd = MCA_CMD_SPARE_RANK;
    hc->interface_version = MCA_INTERFACE_VERSION;
    hc->u.spare.addr = 0x20bbc0;
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), 0);
    assert_true(console_has(f, "MCE: spare rank takes over the rank of 0x20bbc0"));
    hc->u.spare.mode = 2; /* neither spare nor mirror */
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), -EINVAL);
    assert_int_equal(f->m.trace_count[HV_STAGE_MEM_SPARE], 2);
    teardown(f);
}

static void hypercall_rejects_bad_arguments(void **state)
{
    (void)state;
    struct fx *f = setup1();
    assert_int_equal(hv_do_mca(&f->hv, 0, 0), -EFAULT);
    assert_int_equal(hv_do_mca(&f->hv, 0, MOCK_GBASE + MOCK_GLEN - 8), -EFAULT);
    assert_int_equal(hv_do_mca(&f->hv, 0, UINT64_MAX - 4), -EFAULT);
    call(f, 0, MCA_CMD_FETCH, MCA_FLAG_URGENT, 0);
    hc_at(f)->interface_version = 0x01ecc002;
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), -EACCES); /* do_mca: version mismatch */
    assert_int_equal(call(f, 0, MCA_CMD_NOTIFYDOMAIN, MCA_FLAG_URGENT, 0), -EINVAL); /* unsupported */
    for (uint32_t cmd = 4; cmd <= 6; cmd++) /* the injection commands: not modelled */
        assert_int_equal(call(f, 0, cmd, MCA_FLAG_URGENT, 0), -EINVAL);
    assert_int_equal(call(f, 0, 0xFFFFFFFF, 0, 0), -EINVAL);
    assert_int_equal(call(f, 0, MCA_CMD_FETCH, 0, 0), -EINVAL);
    assert_int_equal(call(f, 0, MCA_CMD_FETCH, MCA_FLAG_URGENT | MCA_FLAG_NONURGENT, 0), -EINVAL);
    /* other flag bits are not looked at; an ack of an unknown id is 0 */
    assert_int_equal(call(f, 0, MCA_CMD_FETCH, MCA_FLAG_URGENT | 0x100, 0), 0);
    assert_int_equal(hc_at(f)->u.fetch.flags, MCA_FLAG_NODATA);
    assert_int_equal(call(f, 0, MCA_CMD_FETCH, MCA_FLAG_URGENT | MCA_FLAG_ACK, 12345), 0);
    /* a fetch without a buffer */
    struct mca_hypercall *hc = hc_at(f);
    memset(hc, 0, sizeof(*hc));
    hc->cmd = MCA_CMD_FETCH;
    hc->interface_version = MCA_INTERFACE_VERSION;
    hc->u.fetch.flags = MCA_FLAG_URGENT;
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), -EINVAL);
    teardown(f);
}

static void fetch_then_ack_frees_only_with_matching_id(void **state)
{
    (void)state;
    struct fx *f = setup1();
    assert_int_equal(call(f, 0, MCA_CMD_FETCH, MCA_FLAG_NONURGENT, 0), 0);
    assert_int_equal(hc_at(f)->u.fetch.flags, MCA_FLAG_NODATA);
    cpu_mca_latch(&f->m.cpu[0], 9, UCNA_LLC, 0x180020, 0x86);
    hv_cmci(&f->hv, 0);
    assert_int_equal(call(f, 0, MCA_CMD_FETCH, MCA_FLAG_NONURGENT, 0), 0);
    uint64_t id = hc_at(f)->u.fetch.fetch_id;
    const struct mca_record *rec = (const struct mca_record *)(f->m.gmem + 1024);
    assert_int_equal(rec->nbanks, 1);
    assert_int_equal(rec->bank[0].status, UCNA_LLC);
    assert_int_equal(rec->bank[0].bank, 9);
    assert_int_equal(rec->flags, MCA_REC_F_CMCI | MCA_REC_F_RECOVERABLE);
    /* mctelem_ack frees nothing for another id or class, and says nothing */
    assert_int_equal(call(f, 0, MCA_CMD_FETCH, MCA_FLAG_NONURGENT | MCA_FLAG_ACK, id + 1), 0);
    assert_int_equal(call(f, 0, MCA_CMD_FETCH, MCA_FLAG_URGENT | MCA_FLAG_ACK, id), 0);
    assert_int_equal(telem_count(&f->hv.telem, TELEM_NONURGENT, TELEM_PROCESSING), 1);
    assert_int_equal(f->hv.telem.stats.acked, 0);
    /* a second fetch before the ack gives the same id */
    assert_int_equal(call(f, 0, MCA_CMD_FETCH, MCA_FLAG_NONURGENT, 0), 0);
    assert_int_equal(hc_at(f)->u.fetch.fetch_id, id);
    assert_int_equal(call(f, 0, MCA_CMD_FETCH, MCA_FLAG_NONURGENT | MCA_FLAG_ACK, id), 0);
    assert_int_equal(f->hv.telem.stats.acked, 1);
    assert_int_equal(call(f, 0, MCA_CMD_FETCH, MCA_FLAG_NONURGENT, 0), 0);
    assert_int_equal(hc_at(f)->u.fetch.flags, MCA_FLAG_NODATA);
    teardown(f);
}

static void fetch_to_bad_buffer_keeps_the_record(void **state)
{
    (void)state;
    struct fx *f = setup1();
    cpu_mca_latch(&f->m.cpu[0], 9, UCNA_LLC, 0x180020, 0x86);
    hv_cmci(&f->hv, 0);
    struct mca_hypercall *hc = hc_at(f);
    memset(hc, 0, sizeof(*hc));
    hc->cmd = MCA_CMD_FETCH;
    hc->interface_version = MCA_INTERFACE_VERSION;
    hc->u.fetch.flags = MCA_FLAG_NONURGENT;
    hc->u.fetch.data = 0xdead0000;
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), -EFAULT);
    assert_int_equal(call(f, 0, MCA_CMD_FETCH, MCA_FLAG_NONURGENT, 0), 0);
    assert_int_equal(hc_at(f)->u.fetch.flags, MCA_FLAG_OK);
    teardown(f);
}

static void physcpuinfo_counts_and_fills(void **state)
{
    (void)state;
    struct fx *f = setup_n(3, CAP_SER, NULL, 0, 10, 20);
    struct mca_hypercall *hc = hc_at(f);
    memset(hc, 0, sizeof(*hc));
    hc->cmd = MCA_CMD_PHYSCPUINFO;
    hc->interface_version = MCA_INTERFACE_VERSION;
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), 0);
    assert_int_equal(hc->u.physcpuinfo.ncpus, 3);
    hc->u.physcpuinfo.info = REC_ADDR;
    hc->u.physcpuinfo.ncpus = 8;
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), 0);
    assert_int_equal(hc->u.physcpuinfo.ncpus, 3);
    const struct mca_cpuinfo *ci = (const struct mca_cpuinfo *)(f->m.gmem + 1024);
    assert_int_equal(ci[2].cpu, 2);
    assert_int_equal(ci[2].nbanks, 10);
    assert_int_equal(ci[2].mcg_cap, CAP_SER | 10);
    assert_int_equal(ci[2].vendor, 0); /* 4.20.4: Linux's X86_VENDOR_INTEL */
    hc->u.physcpuinfo.ncpus = 0;
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), -EINVAL);
    hc->u.physcpuinfo.ncpus = 2; /* fewer than the CPUs: that many */
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), 0);
    assert_int_equal(hc->u.physcpuinfo.ncpus, 2);
    f->hv.cfg.xen_version = XEN_VER_4_17; /* Xen's own X86_VENDOR_INTEL */
    hc->u.physcpuinfo.ncpus = 1000;
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), 0);
    assert_int_equal(hc->u.physcpuinfo.ncpus, 3);
    assert_int_equal(ci[0].vendor, 1);
    hc->u.physcpuinfo.ncpus = 3;
    hc->u.physcpuinfo.info = MOCK_GBASE + MOCK_GLEN - 16;
    assert_int_equal(hv_do_mca(&f->hv, 0, HC_ADDR), -EFAULT);
    teardown(f);
}

/* Deterministic xorshift: same inputs every run. */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void hypercall_fuzz_never_crashes(void **state)
{
    (void)state;
    struct fx *f = setup1();
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 20000; i++) {
        if (i % 50 == 0) {
            cpu_mca_latch(&f->m.cpu[0], 9, UCNA_LLC, 0x180020, 0x86);
            hv_cmci(&f->hv, 0);
        }
        uint8_t *p = f->m.gmem;
        for (size_t k = 0; k < sizeof(struct mca_hypercall); k++)
            p[k] = (uint8_t)next_rand(&seed);
        struct mca_hypercall *hc = hc_at(f);
        if (i % 2) { /* keep half of them plausible, to reach deeper paths */
            hc->cmd = (uint32_t)(next_rand(&seed) % 5);
            hc->interface_version = MCA_INTERFACE_VERSION;
            hc->u.fetch.flags &= 0xF;
            if (i % 4 == 1)
                hc->u.fetch.data = MOCK_GBASE + next_rand(&seed) % (MOCK_GLEN + 4096);
        }
        uint64_t addr = (i % 7 == 0) ? next_rand(&seed) : HC_ADDR;
        long rc = hv_do_mca(&f->hv, (unsigned)(next_rand(&seed) % 3 == 0), addr);
        assert_true(rc == 0 || rc == -EPERM || rc == -EINVAL || rc == -EFAULT || rc == -EACCES);
    }
    assert_false(f->m.stopped);
    teardown(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(barrier_releases_when_all_arrive),
        cmocka_unit_test(barrier_times_out),
        cmocka_unit_test(barrier_without_timeout_spins_until_stopped),
        cmocka_unit_test(barrier_restores_an_outer_spin),
        cmocka_unit_test(nested_mce_leaves_the_outer_handler_busy),
        cmocka_unit_test(lone_softirq_is_stuck_in_the_softirq),
        cmocka_unit_test(srao_free_page_is_offlined_and_recovered),
        cmocka_unit_test(nmi_deferral_runs_the_softirq_body_in_the_nmi),
        cmocka_unit_test(spare_rank_is_seed000_and_dom0_only),
        cmocka_unit_test(pcc_panics_and_keeps_bank),
        cmocka_unit_test(pcc_panics_under_the_linux_order),
        cmocka_unit_test(mce_without_valid_bank_is_dismissed_when_broadcast),
        cmocka_unit_test(lmce_without_valid_bank_panics),
        cmocka_unit_test(mce_off_boots_nothing),
        cmocka_unit_test(early_p6_skips_bank0),
        cmocka_unit_test(boot_logout_of_stale_banks),
        cmocka_unit_test(corrected_and_uc_banks_share_one_deferred_record),
        cmocka_unit_test(corrected_only_record_is_committed_at_once),
        cmocka_unit_test(record_full_of_banks_is_flagged_incomplete),
        cmocka_unit_test(srar_in_hypervisor_context_panics),
        cmocka_unit_test(srar_unknown_mcacod_panics),
        cmocka_unit_test(page_fates_follow_the_owner),
        cmocka_unit_test(srar_without_usable_address_resets),
        cmocka_unit_test(lmce_skips_the_rendezvous),
        cmocka_unit_test(cmci_logs_ucna_and_clears_bank),
        cmocka_unit_test(cmci_discovery_skips_banks_owned_by_others),
        cmocka_unit_test(linux_poller_leaves_srao_for_the_mce_handler),
        cmocka_unit_test(full_pool_counts_drops_and_still_clears),
        cmocka_unit_test(stop_dumps_undelivered_records),
        cmocka_unit_test(hypercall_only_dom0),
        cmocka_unit_test(hypercall_rejects_bad_arguments),
        cmocka_unit_test(fetch_then_ack_frees_only_with_matching_id),
        cmocka_unit_test(fetch_to_bad_buffer_keeps_the_record),
        cmocka_unit_test(physcpuinfo_counts_and_fills),
        cmocka_unit_test(hypercall_fuzz_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
