/*
 * test_pcie_aer.c - unit tests of the PCI Express error model
 * (models/pcie/): the error table against the AER register layout, the
 * reset values of the AER registers (PCIe r4.0 7.8.4.3, 7.8.4.4, 7.8.4.6),
 * the signalling sequence of Figure 6-2 (6.2.5: Device Status always,
 * masked errors logged but not signalled, severity from the Severity
 * register, message only with Device Control's enable), the First Error
 * Pointer and Header Log (7.8.4.7, 7.8.4.8), the Root Port's Root Error
 * Status, Error Source Identification and its interrupt and system error
 * enables (7.8.4.9-11, 7.5.3.12), RW1C writes, and which registers a
 * link reset leaves alone (sticky AER registers).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "arch/pcie_aer.h"
#include "models/pcie/pcie_bus.h"
#include "models/pcie/pcie_errors.h"
#include "models/pcie/pcie_fn.h"

#define RP PCIE_RID(0, 0x1c, 0)
#define DEV PCIE_RID(1, 0, 0)
#define DEV2 PCIE_RID(1, 0, 1)
#define A(off) (AER_CAP_BASE + (off))
#define DEVCTL (PCIE_CAP_BASE + PCIE_DEVCTL)

static unsigned err(const char *name)
{
    int i = pcie_error_find(name);
    assert_true(i >= 0);
    return (unsigned)i;
}

/* Linux's aer_enable_rootport and pci_enable_pcie_error_reporting, as
 * the device model sees them: every enable on. */
static void bus_enabled(struct pcie_bus *b)
{
    pcie_bus_init(b, RP);
    assert_int_equal(pcie_bus_add(b, DEV), 0);
    assert_int_equal(pcie_bus_add(b, DEV2), 1);
    assert_int_equal(pcie_bus_add(b, DEV), -1); /* one function per RID */
    pcie_bus_cfg_write(b, DEV, DEVCTL, PCIE_DEVCTL_CERE | PCIE_DEVCTL_NFERE | PCIE_DEVCTL_FERE | PCIE_DEVCTL_URRE);
    pcie_bus_cfg_write(b, DEV2, DEVCTL, PCIE_DEVCTL_CERE | PCIE_DEVCTL_NFERE | PCIE_DEVCTL_FERE);
    pcie_bus_cfg_write(b, RP, A(AER_ROOT_CMD), AER_RCMD_COR | AER_RCMD_NONFATAL | AER_RCMD_FATAL);
}

static void test_table(void **state)
{
    (void)state;
    unsigned nc = 0, nu = 0;
    for (unsigned i = 0; i < pcie_error_count(); i++) {
        const struct pcie_error_type *e = pcie_error_at(i);
        assert_true(e->bit < 32);
        assert_ptr_equal(pcie_error_by_bit(e->correctable, e->bit), e); /* one row per bit */
        assert_int_equal(pcie_error_find(e->name), (int)i);
        nc += e->correctable;
        nu += !e->correctable;
        /* only Transaction Layer errors log a header (Table 6-5) */
        if (e->logs_header)
            assert_false(e->correctable);
    }
    assert_int_equal(nc, 8);
    assert_int_equal(nu, 13);
    assert_null(pcie_error_at(pcie_error_count()));
    assert_int_equal(pcie_error_find("no-such-error"), -1);
    assert_null(pcie_error_by_bit(true, 31));
}

static void test_reset_values(void **state)
{
    (void)state;
    struct pcie_fn f;
    pcie_fn_init(&f, DEV, false);
    assert_int_equal(pcie_fn_read(&f, A(AER_UE_MASK)), 0x00400000u);  /* 7.8.4.3 */
    assert_int_equal(pcie_fn_read(&f, A(AER_UE_SEVER)), 0x00462030u); /* 7.8.4.4 */
    assert_int_equal(pcie_fn_read(&f, A(AER_CE_MASK)), 0x0000E000u);  /* 7.8.4.6 */
    assert_int_equal(pcie_fn_read(&f, A(AER_UE_STATUS)), 0);
    assert_int_equal(pcie_fn_read(&f, DEVCTL), 0);
    /* Root Port registers exist only in Root Ports */
    pcie_fn_write(&f, A(AER_ROOT_CMD), 7);
    assert_int_equal(pcie_fn_read(&f, A(AER_ROOT_CMD)), 0);
    assert_int_equal(pcie_fn_receive(&f, PCIE_MSG_FATAL, DEV2), 0);
}

/* Figure 6-2: nothing is reported until software enables it, but the
 * error is logged. */
static void test_disabled_reporting(void **state)
{
    (void)state;
    struct pcie_bus b;
    pcie_bus_init(&b, RP);
    pcie_bus_add(&b, DEV);
    struct pcie_report r = pcie_bus_detect(&b, 0, err("poisoned-tlp"), NULL);
    assert_int_equal(r.msg, PCIE_MSG_NONE);
    assert_int_equal(r.signals, 0);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, A(AER_UE_STATUS)), 1u << AER_UE_POISON);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, DEVCTL) >> 16, PCIE_DEVSTA_NFED);
    assert_int_equal(pcie_bus_cfg_read(&b, RP, A(AER_ROOT_STATUS)), 0);
}

static void test_correctable(void **state)
{
    (void)state;
    struct pcie_bus b;
    bus_enabled(&b);
    struct pcie_report r = pcie_bus_detect(&b, 0, err("bad-tlp"), NULL);
    assert_int_equal(r.msg, PCIE_MSG_COR);
    assert_int_equal(r.signals, PCIE_SIG_IRQ);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, A(AER_CE_STATUS)), 1u << AER_CE_BADTLP);
    assert_int_equal(pcie_bus_cfg_read(&b, RP, A(AER_ROOT_STATUS)), AER_RSTA_COR);
    assert_int_equal(AER_SRC_COR(pcie_bus_cfg_read(&b, RP, A(AER_ERR_SRC))), DEV);
    /* a second ERR_COR before software cleared the first: Multiple, source kept */
    r = pcie_bus_detect(&b, 1, err("receiver-error"), NULL);
    assert_int_equal(r.msg, PCIE_MSG_COR);
    assert_int_equal(pcie_bus_cfg_read(&b, RP, A(AER_ROOT_STATUS)), AER_RSTA_COR | AER_RSTA_MULTI_COR);
    assert_int_equal(AER_SRC_COR(pcie_bus_cfg_read(&b, RP, A(AER_ERR_SRC))), DEV);
    /* RW1C */
    pcie_bus_cfg_write(&b, RP, A(AER_ROOT_STATUS), AER_RSTA_COR | AER_RSTA_MULTI_COR);
    assert_int_equal(pcie_bus_cfg_read(&b, RP, A(AER_ROOT_STATUS)), 0);
    pcie_bus_cfg_write(&b, DEV, A(AER_CE_STATUS), 1u << AER_CE_BADTLP);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, A(AER_CE_STATUS)), 0);
    /* Device Status is RW1C in the dword's upper half */
    pcie_bus_cfg_write(&b, DEV, DEVCTL, 0xF | ((uint32_t)PCIE_DEVSTA_CED << 16));
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, DEVCTL), 0xF);
}

/* 7.8.4.6: the masked ANFE by default; an unmasked one then masked by software. */
static void test_masked(void **state)
{
    (void)state;
    struct pcie_bus b;
    bus_enabled(&b);
    struct pcie_report r = pcie_bus_detect(&b, 0, err("advisory-non-fatal"), NULL);
    assert_int_equal(r.msg, PCIE_MSG_NONE);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, A(AER_CE_STATUS)), 1u << AER_CE_ANFE);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, DEVCTL) >> 16, PCIE_DEVSTA_CED);
    /* 7.8.4.3: a masked uncorrectable error: status set, no First Error
     * Pointer, no header, no message */
    pcie_bus_cfg_write(&b, DEV, A(AER_UE_MASK), 1u << AER_UE_CTO);
    uint32_t hdr[4] = {1, 2, 3, 4};
    r = pcie_bus_detect(&b, 0, err("completion-timeout"), hdr);
    assert_int_equal(r.msg, PCIE_MSG_NONE);
    assert_int_equal(r.signals, 0);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, A(AER_UE_STATUS)), 1u << AER_UE_CTO);
    assert_false(pcie_fn_fep_valid(&b.fn[0]));
    assert_int_equal(pcie_bus_cfg_read(&b, RP, A(AER_ROOT_STATUS)), 0);
}

static void test_nonfatal_and_header(void **state)
{
    (void)state;
    struct pcie_bus b;
    bus_enabled(&b);
    uint32_t hdr[4] = {0x4a000001u, 0x0100000fu, 0xfee00000u, 0};
    struct pcie_report r = pcie_bus_detect(&b, 0, err("poisoned-tlp"), hdr);
    assert_int_equal(r.msg, PCIE_MSG_NONFATAL);
    assert_int_equal(r.signals, PCIE_SIG_IRQ);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, A(AER_CAP_CTL)) & AER_FEP_MASK, AER_UE_POISON);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(pcie_bus_cfg_read(&b, DEV, A(AER_HEADER_LOG) + 4 * i), hdr[i]);
    assert_int_equal(pcie_bus_cfg_read(&b, RP, A(AER_ROOT_STATUS)), AER_RSTA_UNCOR | AER_RSTA_NONFATAL);
    assert_int_equal(AER_SRC_UNCOR(pcie_bus_cfg_read(&b, RP, A(AER_ERR_SRC))), DEV);
    /* a second error keeps the first's pointer and header (7.8.4.7) */
    uint32_t other[4] = {9, 9, 9, 9};
    r = pcie_bus_detect(&b, 0, err("unexpected-completion"), other);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, A(AER_CAP_CTL)) & AER_FEP_MASK, AER_UE_POISON);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, A(AER_HEADER_LOG)), hdr[0]);
    assert_true(pcie_bus_cfg_read(&b, RP, A(AER_ROOT_STATUS)) & AER_RSTA_MULTI_UNCOR);
    /* clearing the first error's status frees the pointer for the next */
    pcie_bus_cfg_write(&b, DEV, A(AER_UE_STATUS), 1u << AER_UE_POISON);
    assert_false(pcie_fn_fep_valid(&b.fn[0]));
    pcie_bus_detect(&b, 0, err("completer-abort"), other);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, A(AER_CAP_CTL)) & AER_FEP_MASK, AER_UE_CA);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, A(AER_HEADER_LOG)), 9);
}

/* Severity from the register: malformed TLP is fatal by default, and
 * non-fatal once software says so. */
static void test_fatal_and_severity(void **state)
{
    (void)state;
    struct pcie_bus b;
    bus_enabled(&b);
    struct pcie_report r = pcie_bus_detect(&b, 1, err("malformed-tlp"), NULL);
    assert_int_equal(r.msg, PCIE_MSG_FATAL);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV2, DEVCTL) >> 16, PCIE_DEVSTA_FED);
    assert_int_equal(pcie_bus_cfg_read(&b, RP, A(AER_ROOT_STATUS)),
                     AER_RSTA_UNCOR | AER_RSTA_FIRST_FATAL | AER_RSTA_FATAL);
    assert_int_equal(AER_SRC_UNCOR(pcie_bus_cfg_read(&b, RP, A(AER_ERR_SRC))), DEV2);
    /* a non-fatal one after it: Multiple; First Uncorrectable Fatal stays */
    pcie_bus_cfg_write(&b, DEV, A(AER_UE_SEVER), AER_UE_SEVER_DEFAULT & ~(1u << AER_UE_MALF));
    r = pcie_bus_detect(&b, 0, err("malformed-tlp"), NULL);
    assert_int_equal(r.msg, PCIE_MSG_NONFATAL);
    assert_int_equal(pcie_bus_cfg_read(&b, RP, A(AER_ROOT_STATUS)),
                     AER_RSTA_UNCOR | AER_RSTA_MULTI_UNCOR | AER_RSTA_FIRST_FATAL | AER_RSTA_FATAL |
                         AER_RSTA_NONFATAL);
    assert_int_equal(AER_SRC_UNCOR(pcie_bus_cfg_read(&b, RP, A(AER_ERR_SRC))), DEV2);
}

/* Unsupported Request needs URRE as well (6.2.5). */
static void test_unsupported_request(void **state)
{
    (void)state;
    struct pcie_bus b;
    bus_enabled(&b);
    assert_int_equal(pcie_bus_detect(&b, 0, err("unsupported-request"), NULL).msg, PCIE_MSG_NONFATAL);
    assert_int_equal(pcie_bus_detect(&b, 1, err("unsupported-request"), NULL).msg, PCIE_MSG_NONE);
    assert_true((pcie_bus_cfg_read(&b, DEV2, DEVCTL) >> 16) & PCIE_DEVSTA_URD);
}

/* Root Error Command gates the interrupt, Root Control the system error. */
static void test_root_enables(void **state)
{
    (void)state;
    struct pcie_bus b;
    bus_enabled(&b);
    pcie_bus_cfg_write(&b, RP, A(AER_ROOT_CMD), AER_RCMD_COR);
    pcie_bus_cfg_write(&b, RP, PCIE_CAP_BASE + PCIE_ROOTCTL, PCIE_ROOTCTL_SEFEE);
    struct pcie_report r = pcie_bus_detect(&b, 0, err("surprise-down"), NULL);
    assert_int_equal(r.msg, PCIE_MSG_FATAL);
    assert_int_equal(r.signals, PCIE_SIG_SERR);
    r = pcie_bus_detect(&b, 0, err("ecrc"), NULL);
    assert_int_equal(r.msg, PCIE_MSG_NONFATAL);
    assert_int_equal(r.signals, 0); /* recorded, nobody told */
    assert_true(pcie_bus_cfg_read(&b, RP, A(AER_ROOT_STATUS)) & AER_RSTA_NONFATAL);
    r = pcie_bus_detect(&b, 0, err("replay-timeout"), NULL);
    assert_int_equal(r.signals, PCIE_SIG_IRQ);
}

/* A link reset: non-sticky registers to defaults, AER logs kept. */
static void test_link_reset(void **state)
{
    (void)state;
    struct pcie_bus b;
    bus_enabled(&b);
    pcie_bus_detect(&b, 0, err("data-link-protocol"), NULL);
    pcie_bus_link_reset(&b);
    assert_int_equal(b.link_resets, 1);
    assert_int_equal(b.fn[0].hot_resets, 1);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, DEVCTL), 0);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, A(AER_UE_STATUS)), 1u << AER_UE_DLP);
    assert_int_equal(pcie_bus_cfg_read(&b, DEV, A(AER_CAP_CTL)) & AER_FEP_MASK, AER_UE_DLP);
    /* the Root Port itself is not below its own link */
    assert_int_equal(b.rp.hot_resets, 0);
    /* no function at that RID: all ones */
    assert_int_equal(pcie_bus_cfg_read(&b, PCIE_RID(2, 0, 0), A(AER_UE_STATUS)), 0xFFFFFFFFu);
    assert_string_equal(pcie_msg_name(PCIE_MSG_FATAL), "ERR_FATAL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_reset_values),
        cmocka_unit_test(test_disabled_reporting),
        cmocka_unit_test(test_correctable),
        cmocka_unit_test(test_masked),
        cmocka_unit_test(test_nonfatal_and_header),
        cmocka_unit_test(test_fatal_and_severity),
        cmocka_unit_test(test_unsupported_request),
        cmocka_unit_test(test_root_enables),
        cmocka_unit_test(test_link_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
