/*
 * test_nmi.c - a PCI SERR NMI on the boot CPU (hv/nmi.c), under each nmi=
 * setting as Xen's pci_serr_error acts on opt_nmi (xen/arch/x86/traps.c):
 * "dom0" passes it to the hardware domain, "ignore" only prints, "fatal"
 * panics through fatal_trap; unset, a release build acts as "dom0" and a
 * debug build as "fatal". A stopped host takes no NMI.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arch/x86_mca.h"
#include "hv/hv.h"
#include "mock_platform.h"

struct fx {
    struct mock m; /* first: the platform's ctx is &m */
    struct hv hv;
};

static struct fx *boot(enum hv_nmi_opt opt, bool debug)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, 1, MCG_CTL_P | MCG_SER_P, 10);
    struct hv_config cfg;
    hv_config_defaults(&cfg, 1);
    cfg.nmi = opt;
    cfg.xen_debug = debug;
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    hv_cpu_boot(&f->hv, 0);
    return f;
}

static void done(struct fx *f)
{
    hv_fini(&f->hv);
    test_free(f);
}

static void serr_line_printed(const struct fx *f)
{
    assert_true(mock_console_has(&f->m, "NMI - PCI system error (SERR)"));
}

static void dom0_option_passes_it_on(void **state)
{
    (void)state;
    struct fx *f = boot(NMI_OPT_DOM0, true); /* the option wins over the build */
    assert_true(hv_nmi_pci_serr(&f->hv));
    serr_line_printed(f);
    assert_false(f->hv.stopped);
    done(f);
}

static void ignore_option_only_prints(void **state)
{
    (void)state;
    struct fx *f = boot(NMI_OPT_IGNORE, false);
    assert_false(hv_nmi_pci_serr(&f->hv));
    serr_line_printed(f);
    assert_false(f->hv.stopped);
    done(f);
}

static void fatal_option_panics_naming_the_nmi_vector(void **state)
{
    (void)state;
    struct fx *f = boot(NMI_OPT_FATAL, false);
    assert_false(hv_nmi_pci_serr(&f->hv));
    serr_line_printed(f);
    assert_true(f->hv.stopped);
    assert_int_equal(f->hv.stop_kind, HV_STOP_PANIC);
    assert_non_null(strstr(f->hv.stop_reason, "vector = 2 (nmi)"));
    done(f);
}

static void unset_option_follows_the_build(void **state)
{
    (void)state;
    struct fx *rel = boot(NMI_OPT_BUILD, false);
    assert_true(hv_nmi_pci_serr(&rel->hv));
    assert_false(rel->hv.stopped);
    done(rel);
    struct fx *dbg = boot(NMI_OPT_BUILD, true);
    assert_false(hv_nmi_pci_serr(&dbg->hv));
    assert_true(dbg->hv.stopped);
    done(dbg);
}

static void stopped_host_takes_no_nmi(void **state)
{
    (void)state;
    struct fx *f = boot(NMI_OPT_FATAL, false);
    assert_false(hv_nmi_pci_serr(&f->hv));
    unsigned lines = f->m.consoles;
    assert_false(hv_nmi_pci_serr(&f->hv)); /* a second NMI: nothing */
    assert_int_equal(f->m.consoles, lines);
    done(f);
}

static void option_names(void **state)
{
    (void)state;
    assert_string_equal(hv_nmi_opt_name(NMI_OPT_DOM0), "dom0");
    assert_string_equal(hv_nmi_opt_name(NMI_OPT_FATAL), "fatal");
    assert_string_equal(hv_nmi_opt_name(NMI_OPT_IGNORE), "ignore");
    assert_string_equal(hv_nmi_opt_name(NMI_OPT__COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dom0_option_passes_it_on),
        cmocka_unit_test(ignore_option_only_prints),
        cmocka_unit_test(fatal_option_panics_naming_the_nmi_vector),
        cmocka_unit_test(unset_option_follows_the_build),
        cmocka_unit_test(stopped_host_takes_no_nmi),
        cmocka_unit_test(option_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
