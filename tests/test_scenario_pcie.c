/*
 * test_scenario_pcie.c - the PCIe parts of the scenario language
 * (sim/scenario/scenario_pcie.c): a host's pcie: block with its defaults,
 * the pcie_error event and expect.pcie resolved to device indices, and
 * bad input reported at its line and column with a hint. Also that the
 * loader's driver names are dom0's (guests/dom0/aer.h), in its order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/pcie_aer.h"
#include "guests/dom0/aer.h"
#include "sim/scenario/scenario.h"

#define HEAD                                                                                                \
    "name: t\n"                                                                                             \
    "platform:\n"                                                                                           \
    "  hosts:\n"                                                                                            \
    "    - cpus: 2\n"                                                                                           \
    "      pcie:\n"                                                                                         \
    "        devices:\n"                                                                                    \
    "          - {name: nic0, bdf: \"01:00.0\"}\n"                                                     \
    "          - {name: vf0, bdf: \"03:00.1\", owner: 1, guest_driver: unbound, ue_mask: [ecrc]}\n"

static void test_good(void **state)
{
    (void)state;
    struct scenario s;
    struct scn_error e;
    const char *y = HEAD "domains:\n  - {id: 0, type: dom0}\n  - {id: 1, type: pv, pcpus: [1]}\n"
                         "policy:\n  boot: {nmi: fatal}\n  pcie: {reporting: serr, aerfail: xend}\n"
                         "events:\n  - {at: 1ms, pcie_error: {device: vf0, error: poisoned-tlp, header: [1, 2, 3, 0xfee00000]}}\n"
                         "expect:\n  pcie:\n    - {device: vf0, aerfail: 2, ue_status: 0x1000}\n";
    assert_int_equal(scenario_load_string("t.yaml", y, &s, &e), 0);
    const struct scn_pcie *p = &s.hosts[0].pcie;
    assert_true(p->present);
    assert_int_equal(p->root_port, PCIE_RID(0, 0x1c, 0));
    assert_int_equal(p->ndevs, 2);
    assert_int_equal(p->devs[0].rid, PCIE_RID(1, 0, 0));
    assert_true(p->devs[0].reporting);
    assert_int_equal(p->devs[0].driver, SCN_PCIE_DRV_RECOVERS);
    assert_int_equal(p->devs[1].rid, PCIE_RID(3, 0, 1));
    assert_int_equal(p->devs[1].owner, 1);
    assert_int_equal(p->devs[1].guest_driver, SCN_PCIE_DRV_UNBOUND);
    assert_true(p->devs[1].has_ue_mask && !p->devs[1].has_ue_fatal);
    assert_int_equal(p->devs[1].ue_mask, 1u << AER_UE_ECRC);
    assert_int_equal(s.policy.boot_nmi, NMI_OPT_FATAL);
    assert_int_equal(s.policy.pcie_reporting, SCN_PCIE_SERR);
    assert_int_equal(s.policy.aerfail, SCN_AERFAIL_XEND);
    assert_int_equal(s.nevents, 1);
    assert_int_equal(s.events[0].kind, SCN_EV_PCIE_ERROR);
    assert_int_equal(s.events[0].u.pcie.dev, 1);
    assert_int_equal(s.events[0].u.pcie.header[3], 0xfee00000u);
    assert_int_equal(s.expect.npcie, 1);
    assert_int_equal(s.expect.pcie[0].dev, 1);
    assert_int_equal(s.expect.pcie[0].aerfail, 2);
    assert_int_equal(s.expect.pcie[0].ue_status, 0x1000);
    assert_int_equal(s.expect.pcie[0].fatal, -1);
    assert_false(scenario_checks_nothing(&s));
    scenario_free(&s);
}

static void expect_error(const char *yaml, unsigned line, const char *msg)
{
    struct scenario s;
    struct scn_error e;
    assert_int_equal(scenario_load_string("t.yaml", yaml, &s, &e), -1);
    if (!strstr(e.msg, msg) || e.line != line)
        fail_msg("got %u:%u '%s', expected line %u '%s'", e.line, e.col, e.msg, line, msg);
    assert_true(e.col > 0);
}

static void test_errors(void **state)
{
    (void)state;
    const char *doms = "domains:\n  - {id: 0, type: dom0}\n  - {id: 1, type: pv, pcpus: [1]}\n";
    char y[2048];
    /* the owner is not a domain */
    expect_error(HEAD, 8, "owner domain 1 is not a domain of host 0");
    snprintf(y, sizeof(y), "%s%s", HEAD, "domains:\n  - {id: 0, type: dom0}\n  - {id: 1, type: hvm, pcpus: [1], host: 0}\n"
             "events:\n  - {at: 1ms, pcie_error: {device: nic9, error: ecrc}}\n");
    expect_error(y, 13, "no PCIe device 'nic9' on host 0");
    snprintf(y, sizeof(y), "%s%s%s", HEAD, doms, "events:\n  - {at: 1ms, pcie_error: {device: nic0, error: ecrcc}}\n");
    expect_error(y, 13, "unknown PCIe error 'ecrcc'");
    expect_error("name: t\nplatform:\n  hosts:\n    - pcie:\n        devices:\n          - {name: a, bdf: \"1:2\"}\n", 6,
                 "is not a bus:device.function");
    expect_error("name: t\nplatform:\n  hosts:\n    - pcie:\n        devices:\n"
                 "          - {name: a, bdf: \"01:00.0\", guest_driver: recovers}\n",
                 6, "'guest_driver' is for a device passed through");
    expect_error("name: t\nplatform:\n  hosts:\n    - pcie:\n        devices:\n"
                 "          - {name: a, bdf: \"01:00.0\", ce_mask: [ecrc]}\n",
                 6, "'ce_mask': 'ecrc' is uncorrectable");
    expect_error("name: t\nplatform:\n  hosts:\n    - pcie:\n        devices:\n"
                 "          - {name: a, bdf: \"01:00.0\"}\n          - {name: b, bdf: \"01:00.0\"}\n",
                 7, "bdf already used by 'a'");
    snprintf(y, sizeof(y), "%s%s%s", HEAD, doms,
             "events:\n  - {at: 1ms, pcie_error: {device: nic0, error: ecrc, header: [1, 2, 3]}}\n");
    expect_error(y, 13, "'header' has 3 dwords, not 4");
    expect_error("name: t\nplatform:\n  hosts:\n    - {cpus: 2}\n"
                 "events:\n  - {at: 1ms, pcie_error: {device: a, error: ecrc}}\n",
                 6, "host 0 has no 'pcie:' block");
}

static void test_driver_names(void **state)
{
    (void)state;
    for (unsigned i = 0; i < SCN_PCIE_DRV__COUNT; i++)
        assert_string_equal(scn_pcie_drv_name(i), aer_drv_name((enum aer_drv_kind)i));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_driver_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
