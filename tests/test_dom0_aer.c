/*
 * test_dom0_aer.c - dom0's AER service (guests/dom0/aer*.c) on the PCIe
 * model (models/pcie/): Linux v5.2's aer_isr_one_error and
 * handle_error_source (a correctable error logged and cleared), its
 * pcie_do_recovery (callbacks in order, merge_result, NO_AER_DRIVER,
 * the fatal path's link reset replacing the votes), and xen-pciback's
 * handlers (pci_stub.c: forwarding to pcifront, killing a guest whose
 * driver does not answer, an HVM owner killed at once).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arch/pcie_aer.h"
#include "guests/dom0/aer.h"
#include "models/pcie/pcie_bus.h"
#include "models/pcie/pcie_errors.h"

#define RP PCIE_RID(0, 0x1c, 0)
#define DEV PCIE_RID(1, 0, 0)
#define DEV2 PCIE_RID(1, 0, 1)

struct rig {
    struct pcie_bus bus;
    struct aer aer;
    char log[64][256];
    unsigned nlog;
    unsigned killed[4];
    unsigned nkilled;
};

static uint32_t rig_read(void *c, unsigned rid, unsigned off) { return pcie_bus_cfg_read(&((struct rig *)c)->bus, rid, off); }
static void rig_write(void *c, unsigned rid, unsigned off, uint32_t v) { pcie_bus_cfg_write(&((struct rig *)c)->bus, rid, off, v); }
static void rig_reset(void *c) { pcie_bus_link_reset(&((struct rig *)c)->bus); }
static void rig_log(void *c, const char *line)
{
    struct rig *r = c;
    if (r->nlog < 64)
        snprintf(r->log[r->nlog++], 256, "%s", line);
}
static void rig_aerfail(void *c, unsigned domid)
{
    struct rig *r = c;
    if (r->nkilled < 4)
        r->killed[r->nkilled++] = domid;
}

static bool logged(const struct rig *r, const char *text)
{
    for (unsigned i = 0; i < r->nlog; i++)
        if (strstr(r->log[i], text))
            return true;
    return false;
}

/* Two functions below the Root Port, reporting enabled in Device Control
 * (by firmware or their drivers), the AER service probed. */
static struct rig *rig_new(unsigned owner, enum aer_drv_kind drv, enum aer_drv_kind guest_drv, bool frontend)
{
    struct rig *r = test_calloc(1, sizeof(*r));
    pcie_bus_init(&r->bus, RP);
    pcie_bus_add(&r->bus, DEV);
    pcie_bus_add(&r->bus, DEV2);
    for (unsigned i = 0; i < 2; i++)
        r->bus.fn[i].devctl = PCIE_DEVCTL_CERE | PCIE_DEVCTL_NFERE | PCIE_DEVCTL_FERE | PCIE_DEVCTL_URRE;
    struct aer_ops ops = {r, rig_read, rig_write, rig_reset, rig_log, rig_aerfail};
    aer_init(&r->aer, &ops, RP);
    aer_add_dev(&r->aer, DEV, owner, drv, guest_drv, frontend);
    aer_add_dev(&r->aer, DEV2, 0, AER_DRV_RECOVERS, AER_DRV_RECOVERS, false);
    aer_probe(&r->aer);
    return r;
}

/* The error happens in function 0; the Root Port interrupts dom0 if it
 * raised its interrupt. */
static void inject(struct rig *r, const char *name)
{
    int e = pcie_error_find(name);
    assert_true(e >= 0);
    struct pcie_report rep = pcie_bus_detect(&r->bus, 0, (unsigned)e, NULL);
    if (rep.signals & PCIE_SIG_IRQ)
        aer_irq(&r->aer);
}

static void test_probe(void **state)
{
    (void)state;
    struct rig *r = rig_new(0, AER_DRV_RECOVERS, AER_DRV_RECOVERS, false);
    assert_int_equal(r->bus.rp.root_cmd, AER_RCMD_COR | AER_RCMD_NONFATAL | AER_RCMD_FATAL);
    assert_int_equal(r->bus.rp.rootctl, 0);
    assert_true(logged(r, "pcieport 0000:00:1c.0: AER: enabled"));
    test_free(r);
}

static void test_correctable_logged(void **state)
{
    (void)state;
    struct rig *r = rig_new(0, AER_DRV_RECOVERS, AER_DRV_RECOVERS, false);
    inject(r, "bad-tlp");
    assert_true(logged(r, "AER: Corrected error received: 0000:01:00.0"));
    assert_true(logged(r, "severity=Corrected, type=Data Link Layer, (Receiver ID)"));
    assert_true(logged(r, "[ 6] BadTLP"));
    assert_int_equal(r->aer.dev[0].log.cor, 1);
    assert_int_equal(r->bus.fn[0].ce_status, 0);    /* cleared by handle_error_source */
    assert_int_equal(r->bus.fn[0].devsta, 0);
    assert_int_equal(r->bus.rp.root_status, 0);     /* cleared by aer_irq */
    assert_int_equal(r->aer.dev[0].log.calls[AER_STEP_DETECTED], 0); /* no recovery */
    test_free(r);
}

static void test_nonfatal_recovers(void **state)
{
    (void)state;
    struct rig *r = rig_new(0, AER_DRV_RECOVERS, AER_DRV_RECOVERS, false);
    inject(r, "completion-timeout");
    assert_true(logged(r, "Uncorrected (Non-Fatal) error received: 0000:01:00.0"));
    assert_true(logged(r, "[14] CmpltTO                (First)"));
    for (unsigned i = 0; i < 2; i++) { /* every function below the port */
        assert_int_equal(r->aer.dev[i].log.calls[AER_STEP_DETECTED], 1);
        assert_int_equal(r->aer.dev[i].log.calls[AER_STEP_MMIO], 1);
        assert_int_equal(r->aer.dev[i].log.calls[AER_STEP_SLOT_RESET], 0);
        assert_int_equal(r->aer.dev[i].log.calls[AER_STEP_RESUME], 1);
    }
    assert_int_equal(r->aer.dev[0].log.recovered, 1);
    assert_int_equal(r->aer.link_resets, 0);
    assert_true(logged(r, "AER: Device recovery successful"));
    /* v5.2 clears the port's status, not the function's */
    assert_int_equal(r->bus.fn[0].ue_status, 1u << AER_UE_CTO);
    test_free(r);
}

static void test_nonfatal_needs_reset(void **state)
{
    (void)state;
    struct rig *r = rig_new(0, AER_DRV_NEEDS_RESET, AER_DRV_RECOVERS, false);
    inject(r, "poisoned-tlp");
    assert_int_equal(r->aer.dev[1].log.calls[AER_STEP_MMIO], 0);
    assert_int_equal(r->aer.dev[0].log.calls[AER_STEP_SLOT_RESET], 1);
    assert_int_equal(r->aer.dev[0].log.recovered, 1);
    test_free(r);
}

static void test_no_handler_fails(void **state)
{
    (void)state;
    struct rig *r = rig_new(0, AER_DRV_NO_HANDLER, AER_DRV_RECOVERS, false);
    inject(r, "completer-abort");
    assert_true(logged(r, "Can't recover (no error_detected callback)"));
    assert_true(logged(r, "AER: Device recovery failed"));
    assert_int_equal(r->aer.dev[0].log.failed, 1);
    assert_int_equal(r->aer.dev[1].log.calls[AER_STEP_MMIO], 0);
    test_free(r);
}

/* io_frozen: the link reset's RECOVERED replaces the votes (v5.2), so
 * even a function without handlers is "recovered". */
static void test_fatal_link_reset(void **state)
{
    (void)state;
    struct rig *r = rig_new(0, AER_DRV_NO_HANDLER, AER_DRV_RECOVERS, false);
    inject(r, "surprise-down");
    assert_true(logged(r, "Uncorrected (Fatal) error received: 0000:01:00.0"));
    assert_true(logged(r, "type=Inaccessible"));
    assert_int_equal(r->bus.link_resets, 1);
    assert_int_equal(r->aer.link_resets, 1);
    assert_true(logged(r, "Root Port link has been reset"));
    assert_int_equal(r->aer.dev[0].log.recovered, 1);
    /* pci_bus_reset restored Device Control; the sticky status stays */
    assert_int_equal(r->bus.fn[0].devctl & PCIE_DEVCTL_FERE, PCIE_DEVCTL_FERE);
    assert_int_equal(r->bus.fn[0].ue_status, 1u << AER_UE_SDES);
    assert_int_equal(r->bus.rp.root_cmd, AER_RCMD_COR | AER_RCMD_NONFATAL | AER_RCMD_FATAL);
    test_free(r);
}

static void test_masked_silent(void **state)
{
    (void)state;
    struct rig *r = rig_new(0, AER_DRV_RECOVERS, AER_DRV_RECOVERS, false);
    unsigned n = r->nlog;
    inject(r, "uncorrectable-internal"); /* masked by default */
    assert_int_equal(r->nlog, n);
    assert_int_equal(r->aer.interrupts, 0);
    test_free(r);
}

static void test_pciback_forwards(void **state)
{
    (void)state;
    struct rig *r = rig_new(3, AER_DRV_RECOVERS, AER_DRV_RECOVERS, true);
    assert_int_equal(r->aer.dev[0].drv, AER_DRV_PCIBACK);
    inject(r, "poisoned-tlp");
    assert_int_equal(r->aer.dev[0].log.guest_calls[AER_STEP_DETECTED], 1);
    assert_int_equal(r->aer.dev[0].log.guest_calls[AER_STEP_MMIO], 1);
    assert_int_equal(r->aer.dev[0].log.guest_calls[AER_STEP_RESUME], 1);
    assert_int_equal(r->nkilled, 0);
    assert_int_equal(r->aer.dev[0].log.recovered, 1);
    test_free(r);
}

static void test_pciback_guest_no_driver(void **state)
{
    (void)state;
    struct rig *r = rig_new(3, AER_DRV_RECOVERS, AER_DRV_UNBOUND, true);
    inject(r, "poisoned-tlp");
    /* error_detected and mmio_enabled get NONE from pcifront: killed at each */
    assert_int_equal(r->nkilled, 2);
    assert_int_equal(r->killed[0], 3);
    assert_false(logged(r, "No AER")); /* dev_dbg in pci_stub.c: not printed */
    assert_true(logged(r, "aerState = aerfail"));
    assert_int_equal(r->aer.dev[0].log.recovered, 1); /* NONE abstains in merge_result */
    test_free(r);
}

static void test_pciback_hvm(void **state)
{
    (void)state;
    struct rig *r = rig_new(5, AER_DRV_RECOVERS, AER_DRV_RECOVERS, false);
    inject(r, "malformed-tlp"); /* fatal */
    assert_true(logged(r, "owned by HVM, kill it"));
    assert_int_equal(r->aer.dev[0].log.guest_calls[AER_STEP_DETECTED], 0);
    assert_int_equal(r->aer.dev[0].log.kills, 2); /* error_detected and resume */
    assert_int_equal(r->aer.link_resets, 1);
    test_free(r);
}

/* Two ERR_COR before dom0 looked: Multiple ERR_COR Received, the source
 * ID is the first's, and find_source_device takes every function with an
 * unmasked correctable error. */
static void test_multiple_correctable(void **state)
{
    (void)state;
    struct rig *r = rig_new(0, AER_DRV_RECOVERS, AER_DRV_RECOVERS, false);
    pcie_bus_detect(&r->bus, 0, (unsigned)pcie_error_find("bad-tlp"), NULL);
    pcie_bus_detect(&r->bus, 1, (unsigned)pcie_error_find("receiver-error"), NULL);
    aer_irq(&r->aer); /* one interrupt for both */
    assert_true(logged(r, "AER: Multiple Corrected error received: 0000:01:00.0"));
    assert_int_equal(r->aer.dev[0].log.cor, 1);
    assert_int_equal(r->aer.dev[1].log.cor, 1);
    assert_int_equal(r->bus.fn[0].ce_status, 0);
    assert_int_equal(r->bus.fn[1].ce_status, 0);
    assert_true(logged(r, "type=Physical Layer, (Receiver ID)"));
    test_free(r);
}

/* A source ID on bus 0 is not trusted: the status registers decide. */
static void test_bus0_source_id(void **state)
{
    (void)state;
    struct rig *r = rig_new(0, AER_DRV_RECOVERS, AER_DRV_RECOVERS, false);
    pcie_bus_detect(&r->bus, 1, (unsigned)pcie_error_find("replay-timeout"), NULL);
    r->bus.rp.err_src = 0; /* the port lost the ID */
    aer_irq(&r->aer);
    assert_int_equal(r->aer.dev[0].log.cor, 0);
    assert_int_equal(r->aer.dev[1].log.cor, 1);
    assert_true(logged(r, "(Transmitter ID)"));
    test_free(r);
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(aer_drv_from_name("needs-reset"), AER_DRV_NEEDS_RESET);
    assert_int_equal(aer_drv_from_name("bogus"), AER_DRV__COUNT);
    assert_string_equal(aer_drv_name(AER_DRV_PCIBACK), "pciback");
    assert_string_equal(pci_ers_name(PCI_ERS_NO_AER_DRIVER), "no-aer-driver");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_correctable_logged),
        cmocka_unit_test(test_nonfatal_recovers),
        cmocka_unit_test(test_nonfatal_needs_reset),
        cmocka_unit_test(test_no_handler_fails),
        cmocka_unit_test(test_fatal_link_reset),
        cmocka_unit_test(test_masked_silent),
        cmocka_unit_test(test_pciback_forwards),
        cmocka_unit_test(test_pciback_guest_no_driver),
        cmocka_unit_test(test_pciback_hvm),
        cmocka_unit_test(test_multiple_correctable),
        cmocka_unit_test(test_bus0_source_id),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
