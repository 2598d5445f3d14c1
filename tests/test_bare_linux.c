/*
 * test_bare_linux.c - the oracle's linux target in mcasim
 * (sim/runtime/bare_linux.c): the Linux guest model owns a machine of CPU
 * models. Boot enables every CPU's banks (Linux's per-CPU init), a
 * broadcast reaches every CPU's handler, a case's exact MCG_STATUS is what
 * the handler reads (MCIP clear included), the verdicts land in the run
 * record (panic, records via the MSR accesses, log lines), and what the
 * machine cannot run is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86_mca.h"
#include "sim/results/kernel_records.h"
#include "sim/runtime/bare_linux.h"
#include "sim/scenario/scenario.h"

#define MACHINE                                   \
    "name: b\n"                                   \
    "duration: 10s\n"                             \
    "platform:\n"                                 \
    "  hosts:\n"                                  \
    "    - cpus: 2\n"                             \
    "      banks: 10\n"                           \
    "      mcg_cap: [ctl_p, ser_p]\n"             \
    "      cpu: \"intel:6:0x55\"\n"               \
    "events:\n"
#define BYSTANDER "  - {at: 1s, inject: {cpu: 1, bank: 1, status: 0xA000000000000000, mcg_status: 0x5, signal: none}}\n"

struct run {
    struct scenario s;
    struct run_result r;
};

static struct run *run(const char *events)
{
    struct run *x = calloc(1, sizeof(*x));
    assert_non_null(x);
    char yaml[2048], err[256];
    snprintf(yaml, sizeof(yaml), MACHINE "%s", events);
    struct scn_error e;
    if (scenario_load_string("b.yaml", yaml, &x->s, &e) != 0)
        scn_error_print(&e, stderr);
    assert_int_equal(x->s.nhosts, 1);
    if (bare_linux_run(&x->s, &x->r, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    return x;
}

static void done(struct run *x)
{
    rr_free(&x->r);
    scenario_free(&x->s);
    free(x);
}

static bool logged(const struct run *x, const char *text)
{
    for (unsigned i = 0; i < x->r.n_guest_log; i++)
        if (strstr(x->r.guest_log[i].text, text))
            return true;
    return false;
}

static void test_srao_broadcast_is_recovered(void **state)
{
    (void)state;
    struct run *x = run(BYSTANDER "  - {at: 1s, inject: {cpu: 0, bank: 9, status: 0xBD000000004000CF, mcg_status: 0x5, "
                                  "addr: 0x30000000, misc: 0x86, signal: mce}}\n");
    assert_int_equal(x->r.hosts[0].outcome, SCN_OUT_RUNNING);
    assert_true(logged(x, "dom0: Memory failure: 0x30000: recovery action for poisoned page: Recovered"));
    /* Both CPUs ran the handler; only CPU 0 logged: CPU 1's bystander
     * (EN set by the CPU model, MCi_CTL enabled at boot on every CPU) has
     * no S, which __mc_scan_banks leaves to the poller on a SER CPU. */
    struct ts_lines recs = {0};
    assert_int_equal(kernel_records(&x->r, 0, 0, &recs), 1);
    assert_string_equal(recs.v[0], "CPU 0 BANK 9 STATUS 0xbd000000004000cf ADDR 0x30000000 MISC 0x86 MCGSTATUS 0x5");
    ts_lines_free(&recs);
    /* Every access is stamped with its event's time, after boot's at 0. */
    assert_true(x->r.n_guest_msrs > 0);
    assert_int_equal(x->r.guest_msrs[0].t_ps, 0);
    assert_int_equal(x->r.guest_msrs[x->r.n_guest_msrs - 1].t_ps, 1000000000000ull);
    done(x);
}

/* broadcast: false: the #MC reaches CPU 0 alone, and Linux's rendezvous
 * times out before any bank is read (mce_start). */
static void test_no_broadcast_times_out(void **state)
{
    (void)state;
    struct run *x = run("  - {at: 1s, inject: {cpu: 0, bank: 9, status: 0xBD000000004000CF, mcg_status: 0x5, "
                        "addr: 0x30000000, misc: 0x86, signal: mce, broadcast: false}}\n");
    assert_int_equal(x->r.hosts[0].outcome, SCN_OUT_PANIC);
    assert_string_equal(x->r.hosts[0].reason, "kernel panic: Timeout: Not all CPUs entered broadcast exception handler");
    assert_false(logged(x, "Memory failure"));
    struct ts_lines recs = {0};
    assert_int_equal(kernel_records(&x->r, 0, 0, &recs), 0);
    ts_lines_free(&recs);
    done(x);
}

static void test_pcc_panics(void **state)
{
    (void)state;
    struct run *x = run(BYSTANDER "  - {at: 1s, inject: {cpu: 0, bank: 1, status: 0xBF20000000000000, mcg_status: 0x5, "
                                  "signal: mce}}\n"
                                  "  - {at: 2s, inject: {cpu: 0, bank: 2, status: 0xBF20000000000000, mcg_status: 0x5, "
                                  "signal: mce}}\n");
    assert_int_equal(x->r.hosts[0].outcome, SCN_OUT_PANIC);
    assert_string_equal(x->r.hosts[0].reason, "kernel panic: Processor context corrupt");
    assert_true(logged(x, "dom0: Kernel panic - not syncing: Processor context corrupt"));
    /* Nothing runs after the panic: the event at 2 s is never handled. */
    assert_true(x->r.n_guest_msrs > 0);
    for (unsigned i = 0; i < x->r.n_guest_msrs; i++)
        assert_true(x->r.guest_msrs[i].t_ps < 2000000000000ull);
    done(x);
}

static void test_exact_mcg_status_without_mcip(void **state)
{
    (void)state;
    struct run *x = run(BYSTANDER "  - {at: 1s, inject: {cpu: 0, bank: 9, status: 0xBD000000004000CF, mcg_status: 0x1, "
                                  "addr: 0x30000000, misc: 0x86, signal: mce}}\n");
    assert_int_equal(x->r.hosts[0].outcome, SCN_OUT_PANIC);
    assert_string_equal(x->r.hosts[0].reason, "kernel panic: MCIP not set in MCA handler");
    done(x);
}

static void test_second_mc_while_mcip_shuts_down(void **state)
{
    (void)state;
    /* Two #MCs at one time on one CPU: the second finds MCIP set (SDM
     * 15.10.1); the handler never runs. At two times it would have run
     * between them, in zero time. */
    struct run *x = run("  - {at: 1s, inject: {cpu: 0, bank: 9, status: 0xBD000000004000CF, mcg_status: 0x5, "
                        "addr: 0x30000000, misc: 0x86, signal: mce}}\n"
                        "  - {at: 1s, inject: {cpu: 0, bank: 8, status: 0xBD000000004000CF, mcg_status: 0x5, "
                        "addr: 0x30001000, misc: 0x86, signal: mce}}\n");
    assert_int_equal(x->r.hosts[0].outcome, SCN_OUT_SHUTDOWN);
    assert_non_null(strstr(x->r.hosts[0].reason, "CPU 0: #MC while MCG_STATUS.MCIP=1"));
    assert_false(logged(x, "Memory failure"));
    done(x);
    x = run("  - {at: 1s, inject: {cpu: 0, bank: 9, status: 0xBD000000004000CF, mcg_status: 0x5, "
            "addr: 0x30000000, misc: 0x86, signal: mce}}\n"
            "  - {at: 1000000001ns, inject: {cpu: 0, bank: 8, status: 0xBD000000004000CF, mcg_status: 0x5, "
            "addr: 0x30001000, misc: 0x86, signal: mce}}\n");
    assert_int_equal(x->r.hosts[0].outcome, SCN_OUT_RUNNING);
    assert_true(logged(x, "Memory failure: 0x30001"));
    done(x);
}

static void test_refuses_what_it_cannot_run(void **state)
{
    (void)state;
    struct scenario s;
    struct run_result r;
    struct scn_error e;
    char err[256];
    assert_int_equal(scenario_load_string("b.yaml", MACHINE "  - {at: 1s, stall: {cpu: 0, for: 1ms}}\n", &s, &e), 0);
    assert_int_equal(bare_linux_run(&s, &r, err, sizeof(err)), -1);
    assert_string_equal(err, "line 10: the linux target runs inject and context events only");
    scenario_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_srao_broadcast_is_recovered),
        cmocka_unit_test(test_no_broadcast_times_out),
        cmocka_unit_test(test_pcc_panics),
        cmocka_unit_test(test_exact_mcg_status_without_mcip),
        cmocka_unit_test(test_second_mc_while_mcip_shuts_down),
        cmocka_unit_test(test_refuses_what_it_cannot_run),
    };
    return cmocka_run_group_tests_name("bare_linux", tests, NULL, NULL);
}
