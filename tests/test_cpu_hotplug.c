/*
 * test_cpu_hotplug.c - a host CPU taken offline and brought back, as Xen's
 * cpu_down / cpu_up run the machine-check notifiers (cpu_hotplug.c,
 * mce_intel.c cpu_callback), against the mock platform: the sysctl's
 * refusals, clear_cmci on the dying CPU, the rediscovery by every online
 * CPU that hands a shared bank to another owner (SDM 15.5.2), the poller's
 * on_each_cpu over online CPUs only, and a CPU coming up that logs out
 * what its banks latched while it was away and takes its banks again;
 * and a guest's vCPU taken down and brought up (guest_ops.c).
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

#define CAP_CMCI (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P)
#define CE_MEM 0x9C0000000000009Full
#define EN_THR2 (MCI_CTL2_CMCI_EN | 2u) /* what cmci_discover leaves, cmci-threshold 2 */

struct fx {
    struct mock m;
    struct hv hv;
};

/* Four Intel CPUs with CMCI, two threads per core sharing bank 7 when
 * `core7`, booted in order, the poller started (dom0 bound VIRQ_MCA). */
static struct fx *boot(bool core7)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 4, CAP_CMCI, 10);
    f->m.op_ps = 0;
    if (core7) {
        f->m.threads = 2;
        f->m.core_banks = 1u << 7;
    }
    struct hv_config cfg;
    hv_config_defaults(&cfg, 4);
    cfg.domains = &mock_dom0;
    cfg.ndomains = 1;
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    for (unsigned i = 0; i < 4; i++)
        hv_cpu_boot(&f->hv, i);
    hv_poll_timer(&f->hv, 0); /* the initcall, handed to CPU 0 */
    return f;
}

static void teardown(struct fx *f)
{
    hv_fini(&f->hv);
    test_free(f);
}

static uint64_t ctl2(struct fx *f, unsigned cpu, unsigned bank)
{
    uint64_t v = 0;
    f->m.plat.rdmsr(f->m.plat.ctx, cpu, MSR_IA32_MCx_CTL2(bank), &v);
    return v;
}

/* cpu_down: -EINVAL for CPU 0 and beyond the last, -EEXIST when offline;
 * cpu_up: -EINVAL beyond the last, -EEXIST when online. */
static void sysctl_refusals(void **state)
{
    (void)state;
    struct fx *f = boot(false);
    assert_int_equal(hv_cpu_down_check(&f->hv, 0), -EINVAL);
    assert_int_equal(hv_cpu_down_check(&f->hv, 4), -EINVAL);
    assert_int_equal(hv_cpu_down_check(&f->hv, 2), 0);
    assert_int_equal(hv_cpu_up_check(&f->hv, 2), -EEXIST);
    assert_int_equal(hv_cpu_up_check(&f->hv, 4), -EINVAL);
    hv_cpu_dying(&f->hv, 2);
    assert_int_equal(hv_cpu_down_check(&f->hv, 2), -EEXIST);
    assert_int_equal(hv_cpu_up_check(&f->hv, 2), 0);
    assert_false(hv_cpu_online(&f->hv, 2));
    assert_int_equal(f->hv.nonline, 3);
    teardown(f);
}

/* clear_cmci: every bank the dying CPU owned loses CMCI_EN and its
 * threshold, and is no longer its own; it leaves the online map. */
static void dying_cpu_clears_its_cmci(void **state)
{
    (void)state;
    struct fx *f = boot(false);
    assert_int_equal(f->hv.cpu[2].cmci_owned, 0x3FF);
    assert_int_equal(ctl2(f, 2, 4), EN_THR2);
    hv_cpu_dying(&f->hv, 2);
    for (unsigned b = 0; b < 10; b++)
        assert_int_equal(ctl2(f, 2, b), 0);
    assert_int_equal(f->hv.cpu[2].cmci_owned, 0);
    assert_int_equal(ctl2(f, 1, 4), EN_THR2); /* the others keep theirs */
    assert_int_equal(f->m.trace_count[HV_STAGE_CPU_OFFLINE], 1);
    assert_string_equal(f->m.last_detail[HV_STAGE_CPU_OFFLINE], "parked");
    teardown(f);
}

/* CPU_DEAD: an IPI to every online CPU (not the dead one); each runs
 * cmci_discover, and the dead CPU's sibling takes the bank they share. */
static void shared_bank_gets_a_new_owner(void **state)
{
    (void)state;
    struct fx *f = boot(true);
    /* CPU 2 came up before its sibling: it owns the core's bank 7 */
    assert_true(f->hv.cpu[2].cmci_owned & (1u << 7));
    assert_false(f->hv.cpu[3].cmci_owned & (1u << 7));
    hv_cpu_dying(&f->hv, 2);
    assert_int_equal(ctl2(f, 3, 7), 0); /* the shared set: nobody's now */
    hv_cpu_dead(&f->hv, 2);
    assert_int_equal(f->m.calls[0], 1);
    assert_int_equal(f->m.calls[1], 1);
    assert_int_equal(f->m.calls[2], 0);
    assert_int_equal(f->m.calls[3], 1);
    for (unsigned c = 0; c < 4; c++)
        hv_call_function(&f->hv, c);
    assert_true(f->hv.cpu[3].cmci_owned & (1u << 7));
    assert_false(f->hv.cpu[2].cmci_owned & (1u << 7));
    assert_int_equal(ctl2(f, 3, 7), EN_THR2);
    /* an IPI taken twice does the work once */
    hv_call_function(&f->hv, 3);
    assert_int_equal(f->hv.cpu[3].cmci_owned, 0x3FF);
    teardown(f);
}

/* Without CMCI there is nothing to hand on: no IPI at all. */
static void no_cmci_no_redistribution(void **state)
{
    (void)state;
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 4, MCG_CTL_P | MCG_TES_P | MCG_SER_P, 10);
    struct hv_config cfg;
    hv_config_defaults(&cfg, 4);
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    for (unsigned i = 0; i < 4; i++)
        hv_cpu_boot(&f->hv, i);
    hv_cpu_dying(&f->hv, 1);
    hv_cpu_dead(&f->hv, 1);
    for (unsigned c = 0; c < 4; c++)
        assert_int_equal(f->m.calls[c], 0);
    teardown(f);
}

/* intel-nonfatal's on_each_cpu calls the online CPUs; the round ends when
 * they are done. */
static void poller_skips_offline_cpu(void **state)
{
    (void)state;
    struct fx *f = boot(false);
    hv_cpu_dying(&f->hv, 2);
    unsigned arms2 = f->m.timer_arms[2], arms0 = f->m.timer_arms[0];
    hv_poll_timer(&f->hv, 0); /* the timer: CPU 0 checks, calls 1 and 3 */
    assert_int_equal(f->m.timer_arms[2], arms2);
    assert_int_equal(f->m.trace_count[HV_STAGE_POLL], 1);
    hv_poll_timer(&f->hv, 2); /* a stale timer on the offline CPU */
    assert_int_equal(f->m.trace_count[HV_STAGE_POLL], 1);
    hv_poll_timer(&f->hv, 1);
    hv_poll_timer(&f->hv, 3);
    assert_int_equal(f->m.trace_count[HV_STAGE_POLL], 3);
    assert_int_equal(f->m.timer_arms[0], arms0 + 1); /* on_each_cpu returned */
    hv_poll_timer(&f->hv, 0);                         /* the round ends */
    assert_false(f->hv.x.poll.in_round);
    teardown(f);
}

/* cpu_up: mcheck_init's boot logout reports the CE its bank latched while
 * offline (dumped and committed), the discovery takes its banks again. */
static void cpu_up_logs_out_and_rediscovers(void **state)
{
    (void)state;
    struct fx *f = boot(false);
    hv_cpu_dying(&f->hv, 2);
    cpu_mca_latch(&f->m.cpu[2], 1, CE_MEM, 0x1000, 0x86);
    unsigned before = telem_count(&f->hv.telem, TELEM_NONURGENT, TELEM_COMMITTED) +
                      telem_count(&f->hv.telem, TELEM_URGENT, TELEM_COMMITTED);
    hv_cpu_up(&f->hv, 2);
    unsigned after = telem_count(&f->hv.telem, TELEM_NONURGENT, TELEM_COMMITTED) +
                     telem_count(&f->hv.telem, TELEM_URGENT, TELEM_COMMITTED);
    assert_int_equal(after, before + 1);
    assert_true(hv_cpu_online(&f->hv, 2));
    assert_int_equal(f->hv.nonline, 4);
    assert_int_equal(f->hv.cpu[2].cmci_owned, 0x3FF);
    assert_int_equal(ctl2(f, 2, 1), EN_THR2);
    assert_int_equal(f->m.trace_count[HV_STAGE_CPU_ONLINE], 1);
    assert_int_equal(f->hv.x.booted, 4); /* the initcalls do not run again */
    teardown(f);
}

/* Guest CPU hotplug: a vCPU taken down keeps its pending vMCE and does not
 * take it; brought up, it is initialised and takes it. */
static void guest_vcpu_down_and_up(void **state)
{
    (void)state;
    static const unsigned pc[2] = {1, 2};
    struct hv_domain_config doms[2] = {mock_dom0, {
        .id = 1, .type = DOM_TYPE_HVM, .nvcpus = 2, .pcpu = pc,
        .vmce = {.nbanks = 2, .err_bank = 1, .ser_p = true, .cmci_p = true, .tes_p = true}, .vcpus_up = 1,
    }};
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 4, CAP_CMCI, 10);
    struct hv_config cfg;
    hv_config_defaults(&cfg, 4);
    cfg.domains = doms;
    cfg.ndomains = 2;
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    struct domain *d = hv_domain(&f->hv, 1);
    assert_false(d->vcpu[1].up);
    assert_int_equal(hv_guest_vcpu_down(&f->hv, 1, 2), -ESRCH);
    assert_int_equal(hv_guest_vcpu_up(&f->hv, 7, 0), -ESRCH);
    assert_int_equal(hv_guest_vcpu_up(&f->hv, 1, 1), 0);
    assert_true(d->vcpu[1].up);
    assert_int_equal(hv_guest_vcpu_down(&f->hv, 1, 1), 0);
    assert_true(d->vcpu[1].up && d->vcpu[1].down);
    d->vcpu[1].vmce.pending = true;
    assert_false(hv_guest_take_vmce(&f->hv, 1, 1)); /* down: waits */
    assert_int_equal(hv_guest_vcpu_up(&f->hv, 1, 1), 0);
    assert_false(d->vcpu[1].down);
    assert_true(hv_guest_take_vmce(&f->hv, 1, 1));
    teardown(f);
}

/* park_offline_cpus = opt_mce for every vendor but AMD and Hygon. */
static void parking_by_vendor(void **state)
{
    (void)state;
    struct hv hv;
    memset(&hv, 0, sizeof(hv));
    hv_config_defaults(&hv.cfg, 4);
    assert_true(hv_park_offline_cpus(&hv));
    hv.cfg.mce_off = true;
    assert_false(hv_park_offline_cpus(&hv));
    hv.cfg.mce_off = false;
    hv.cfg.vendor = CPU_VENDOR_AMD;
    assert_false(hv_park_offline_cpus(&hv));
    hv.cfg.vendor = CPU_VENDOR_HYGON;
    assert_false(hv_park_offline_cpus(&hv));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sysctl_refusals),
        cmocka_unit_test(dying_cpu_clears_its_cmci),
        cmocka_unit_test(shared_bank_gets_a_new_owner),
        cmocka_unit_test(no_cmci_no_redistribution),
        cmocka_unit_test(poller_skips_offline_cpu),
        cmocka_unit_test(cpu_up_logs_out_and_rediscovers),
        cmocka_unit_test(guest_vcpu_down_and_up),
        cmocka_unit_test(parking_by_vendor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
