/*
 * test_import.c - the importers of sim/scenario/import*.c: each format is
 * told from its content; each input becomes the scenario it stands for
 * (checked through the YAML it writes, loaded back: platform, events,
 * registers, how each is signalled); each kind of mistake is reported at
 * the input's own line and column with a hint; and the symbolic names of
 * status bits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "arch/x86_context.h"
#include "arch/x86_mca.h"
#include "sim/scenario/import.h"
#include "sim/scenario/mca_symbols.h"

/* Import text as fmt (AUTO: detected) and load the YAML it writes. */
static void import_load(const char *name, const char *text, enum scn_format fmt, struct scenario *s)
{
    char *yaml = NULL;
    size_t len = 0;
    struct scn_error err;
    FILE *f = open_memstream(&yaml, &len);
    assert_non_null(f);
    int rc = scn_import(name, text, strlen(text), fmt, f, &err);
    fclose(f);
    if (rc != 0)
        scn_error_print(&err, stderr);
    assert_int_equal(rc, 0);
    rc = scenario_load_string(name, yaml, s, &err);
    if (rc != 0) {
        scn_error_print(&err, stderr);
        fputs(yaml, stderr);
    }
    assert_int_equal(rc, 0);
    free(yaml);
}

/* Import must fail at line:col with msg (and hint) in the error. */
static void import_fails(const char *text, enum scn_format fmt, unsigned line, unsigned col, const char *msg,
                         const char *hint)
{
    struct scn_error err;
    FILE *f = fopen("/dev/null", "w");
    assert_non_null(f);
    int rc = scn_import("in.txt", text, strlen(text), fmt, f, &err);
    fclose(f);
    if (rc == 0 || err.line != line || err.col != col || !strstr(err.msg, msg) || (hint && !strstr(err.hint, hint))) {
        fprintf(stderr, "input: %s\n", text);
        scn_error_print(&err, stderr);
    }
    assert_int_equal(rc, -1);
    assert_string_equal(err.file, "in.txt");
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    assert_non_null(strstr(err.msg, msg));
    if (hint)
        assert_non_null(strstr(err.hint, hint));
}

static const struct scn_inject *inj(const struct scenario *s, unsigned i)
{
    assert_true(i < s->nevents);
    assert_int_equal(s->events[i].kind, SCN_EV_INJECT);
    return &s->events[i].u.inject;
}

/* ---- detection ----------------------------------------------------------------- */

static void test_detect(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum scn_format f;
    } cases[] = {
        {"name: x\nplatform: {}\n", SCN_FMT_YAML},
        {"# comment\n\nCPU 0 BANK 1\nSTATUS CORRECTED\n", SCN_FMT_MCE_INJECT},
        {"mce 1 2 3 4 5 6\n", SCN_FMT_QEMU},
        {"(qemu) mce -b 0 1 2 3 4 5\n", SCN_FMT_QEMU},
        {"  /usr/sbin/xen-mceinj -t 1\n", SCN_FMT_XEN_MCEINJ},
        {"cd /sys/kernel/debug/apei/einj\n", SCN_FMT_EINJ},
        {"echo 0x8 > error_type\n", SCN_FMT_EINJ},
        {"param1 0x1000\n", SCN_FMT_EINJ},
        {"mce: yaml key\n", SCN_FMT_YAML},
        {"", SCN_FMT_YAML},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(scn_format_detect(cases[i].text, strlen(cases[i].text)), cases[i].f);
    assert_int_equal(scn_format_from_name("xen-mceinj"), SCN_FMT_XEN_MCEINJ);
    assert_int_equal(scn_format_from_name("XEN"), SCN_FMT__COUNT);
    assert_true(scn_format_file_name("a.einj") && scn_format_file_name("b.yml") && !scn_format_file_name("c.txt"));
}

/* ---- mce-inject ------------------------------------------------------------------ */

static void test_mce_inject(void **state)
{
    (void)state;
    struct scenario s;
    import_load("dir/srao.test.mce",
                "# terms on one line or many, any case\n"
                "CPU 2 BANK 7 STATUS uncorrected srao 0xCF mcgstatus RIPV mcip\n"
                "ADDR 0x1000 MISC 0x86 RIP 0x73:<0x1234>{main} TSC 99 PROCESSOR 0:0x50654\n",
                SCN_FMT_AUTO, &s);
    assert_string_equal(s.name, "srao");
    assert_int_equal(s.hosts[0].ncpus, 4);
    assert_int_equal(s.hosts[0].nbanks, 10);
    assert_true(s.hosts[0].mcg_cap_flags == (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P));
    assert_int_equal(s.nevents, 1);
    const struct scn_inject *i = inj(&s, 0);
    assert_int_equal(i->cpu, 2);
    assert_int_equal(i->bank, 7);
    assert_true(i->status == (MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_S | MCI_STATUS_ADDRV |
                              MCI_STATUS_MISCV | 0xCF));
    assert_true(i->addr == 0x1000 && i->misc == 0x86);
    assert_true(i->has_mcg_status && i->mcg_status == (MCG_STATUS_RIPV | MCG_STATUS_MCIP));
    assert_int_equal(i->signal, SCN_SIGNAL_MCE);
    assert_false(i->no_broadcast);
    assert_int_equal(i->context, X86_CTX_GUEST_USER);
    assert_true(s.events[0].at_ps == 1000000000ull);
    scenario_free(&s);
}

static void test_mce_inject_defaults(void **state)
{
    (void)state;
    struct scenario s;
    /* not UC: the poller; STATUS after ADDR sets the whole value (ADDRV lost, as in the tool);
     * no MCGSTATUS: 0; kernel context without RIP */
    import_load("x.mce",
                "CPU 1 BANK 3\nADDR 0x2000\nSTATUS CORRECTED\n"
                "CPU 0 1\nSTATUS 0xb100000000000000\nRIP 0x10:0x1\nEXCP\nNOBROADCAST\n"
                "MCE\nSTATUS CORRECTED\n",
                SCN_FMT_MCE_INJECT, &s);
    assert_int_equal(s.nevents, 3);
    assert_true(inj(&s, 2)->cpu == 0 && inj(&s, 2)->bank == 0);
    const struct scn_inject *a = inj(&s, 0), *b = inj(&s, 1);
    assert_true(a->status == (MCI_STATUS_VAL | MCI_STATUS_EN));
    assert_int_equal(a->signal, SCN_SIGNAL_NONE);
    assert_false(a->has_mcg_status);
    assert_true(s.duration_ps >= 9000000000000ull); /* past the first poll at 8 s */
    assert_int_equal(b->cpu, 0);
    assert_int_equal(b->bank, 1);
    assert_int_equal(b->signal, SCN_SIGNAL_MCE);
    assert_true(b->has_mcg_status && b->mcg_status == 0);
    assert_true(b->no_broadcast);
    assert_int_equal(b->context, X86_CTX_HV);
    assert_true(s.events[1].at_ps == 2000000000ull);
    scenario_free(&s);
}

/* HOLD: the held record fires with the next, at the same time, on its CPU
 * alone; one on the firing CPU is replaced; a record without VAL injects
 * nothing; the kernel's panic line is a record start. */
static void test_mce_inject_hold(void **state)
{
    (void)state;
    struct scenario s;
    import_load("h.mce",
                "CPU 1 BANK 1 STATUS CORRECTED EXCP MCGSTATUS RIPV MCIP HOLD\n"
                "CPU 0 BANK 4 STATUS CORRECTED HOLD\n"
                "CPU 0 BANK 2 STATUS UNCORRECTED SRAO MCGSTATUS RIPV MCIP\n"
                "CPU 3 BANK 0 STATUS CORRECTED HOLD\n"
                "CPU 2 BANK 0\n"
                "CPU 1: Machine Check Exception: 5 Bank 6: 0xbd000000000000c0\nTSC 1\n",
                SCN_FMT_AUTO, &s);
    assert_int_equal(s.nevents, 4);
    assert_int_equal(inj(&s, 0)->cpu, 1);
    assert_true(inj(&s, 0)->no_broadcast && inj(&s, 0)->signal == SCN_SIGNAL_MCE);
    assert_int_equal(inj(&s, 1)->cpu, 0);
    assert_int_equal(inj(&s, 1)->bank, 2);
    assert_true(s.events[0].at_ps == s.events[1].at_ps);
    assert_int_equal(inj(&s, 2)->cpu, 3); /* fired by "CPU 2 BANK 0", which injects nothing */
    assert_true(s.events[2].at_ps == 2000000000ull);
    assert_int_equal(inj(&s, 3)->cpu, 1);
    assert_int_equal(inj(&s, 3)->bank, 6);
    assert_true(inj(&s, 3)->mcg_status == 5 && inj(&s, 3)->status == 0xbd000000000000c0ull);
    scenario_free(&s);
}

static void test_mce_inject_errors(void **state)
{
    (void)state;
    import_fails("CPU 0 BANK 1\nSTATUS uncorrected EIPV\n", SCN_FMT_AUTO, 2, 20, "EIPV is not a bit of MCi_STATUS",
                 "after MCGSTATUS");
    import_fails("CPU 0 BANK 1\nSTATUS CORRECTED\nFROB 1\n", SCN_FMT_AUTO, 3, 1, "unknown word 'FROB'", "STATUS");
    import_fails("CPU 0 BANK 1\nSTATUS 0x8g\n", SCN_FMT_AUTO, 2, 8, "'0x8g' is not a number", NULL);
    import_fails("CPU 300 BANK 1 STATUS CORRECTED\n", SCN_FMT_AUTO, 1, 1, "CPU 300 is beyond what mcasim models",
                 "256 CPUs");
    import_fails("CPU 0 BANK 40 STATUS CORRECTED\n", SCN_FMT_AUTO, 1, 1, "bank 40", "32 banks");
    import_fails("CPU 0 BANK 1 STATUS CORRECTED $\n", SCN_FMT_AUTO, 1, 31, "unrecognized character '$'", NULL);
    import_fails("CPU 0\nCPU 1 BANK 1 STATUS CORRECTED\n", SCN_FMT_AUTO, 2, 1, "line 1 has no terms", NULL);
    import_fails("BANK 1\n", SCN_FMT_MCE_INJECT, 1, 1, "expected CPU or MCE", "CPU n [bank]");
    import_fails("CPU 0 BANK 1 STATUS CORRECTED RIP 0x10:\n", SCN_FMT_AUTO, 2, 1, "expected '<'", NULL);
}

/* ---- QEMU ------------------------------------------------------------------------ */

static void test_qemu(void **state)
{
    (void)state;
    struct scenario s;
    import_load("q.qemu", "# comment\n(qemu) mce -b 2 9 0xbd000000000000c0 0x5 0x1000 0x8c\nmce 0 3 0x9000000000000000 0 0 0\n",
                SCN_FMT_AUTO, &s);
    assert_int_equal(s.hosts[0].nbanks, 10);
    assert_true(s.hosts[0].mcg_cap_flags == (MCG_CTL_P | MCG_SER_P));
    assert_int_equal(s.nevents, 5); /* the #MC on CPU 2, the broadcast to CPUs 0, 1, 3, the CE */
    const struct scn_inject *t = inj(&s, 0);
    assert_int_equal(t->cpu, 2);
    assert_true(t->no_broadcast && t->signal == SCN_SIGNAL_MCE && t->mcg_status == 5 && t->raw);
    static const unsigned others[] = {0, 1, 3};
    for (unsigned k = 0; k < 3; k++) {
        const struct scn_inject *o = inj(&s, 1 + k);
        assert_int_equal(o->cpu, others[k]);
        assert_int_equal(o->bank, 1);
        assert_true(o->status == (MCI_STATUS_VAL | MCI_STATUS_UC));
        assert_true(o->mcg_status == (MCG_STATUS_MCIP | MCG_STATUS_RIPV) && o->no_broadcast && o->raw);
        assert_true(s.events[1 + k].at_ps == s.events[0].at_ps);
    }
    assert_int_equal(inj(&s, 4)->signal, SCN_SIGNAL_NONE);
    scenario_free(&s);
}

static void test_qemu_errors(void **state)
{
    (void)state;
    import_fails("mce 0 10 0x9000000000000000 0 0 0\n", SCN_FMT_QEMU, 1, 7, "Invalid MCE bank number", "10 banks");
    import_fails("mce 0 1 0x1000000000000000 0 0 0\n", SCN_FMT_QEMU, 1, 9, "Invalid MCE status code", "VAL");
    import_fails("mce 0 1 0x8000000000000000 0 0\n", SCN_FMT_QEMU, 1, 1, "takes 6 numbers, this line has 5", NULL);
    import_fails("mce 0 1 0x8000000000000000 0 0 1+1\n", SCN_FMT_QEMU, 1, 32, "misc: '1+1' is not a number", NULL);
    import_fails("mce 0 1 0x8000000000000000 0 0 0\ninfo registers\n", SCN_FMT_QEMU, 2, 1, "'info' is not the mce command",
                 "'mce' monitor command");
}

/* ---- xen-mceinj --------------------------------------------------------------------- */

static void test_xen_mceinj(void **state)
{
    (void)state;
    struct scenario s;
    import_load("x.xen-mceinj",
                "xen-mceinj\n"                                  /* type 0, CPU 0, Xen's address */
                "xen-mceinj -t 2 -c3\n"                         /* CMCI */
                "./xen-mceinj --type=1 --cpu 1 -l\n"            /* LMCE */
                "xen-mceinj -t 1 -d 2 -p 0x3000\n"              /* dom2's guest address */
                "xen-mceinj -D -t 4\n",                         /* dump: nothing */
                SCN_FMT_AUTO, &s);
    assert_int_equal(s.nevents, 4);
    const struct scn_inject *a = inj(&s, 0), *b = inj(&s, 1), *c = inj(&s, 2), *d = inj(&s, 3);
    assert_true(a->bank == 7 && a->status == 0xBD2000008000017Aull && a->mcg_status == 5 && a->addr == 0x180020);
    assert_true(a->misc == 0x86 && a->signal == SCN_SIGNAL_MCE && !a->no_broadcast);
    assert_true(b->cpu == 3 && b->bank == 9 && b->signal == SCN_SIGNAL_CMCI && b->mcg_status == 0);
    assert_true(c->cpu == 1 && c->bank == 8 && c->mcg_status == (5 | MCG_STATUS_LMCES) && c->no_broadcast);
    assert_true(s.hosts[0].lmce_on && (s.hosts[0].mcg_cap_flags & MCG_LMCE_P));
    /* dom2's memory is 1 GiB at 1 GiB: the machine address is 1 GiB + 0x3000 */
    assert_true(d->addr == (1ull << 30) + 0x3000);
    assert_int_equal(s.hosts[0].nregions, 1);
    assert_true(s.hosts[0].regions[0].start == 1ull << 30 && s.hosts[0].regions[0].domid == 2);
    assert_int_equal(s.ndomains, 2);
    assert_int_equal(s.domains[1].id, 2);
    scenario_free(&s);
    /* a file of the AMD type alone runs on an AMD host, the #MC on the target alone */
    import_load("amd.xen-mceinj", "xen-mceinj -t 3 -c 1\n", SCN_FMT_AUTO, &s);
    assert_int_equal(s.hosts[0].id.vendor, CPU_VENDOR_AMD);
    assert_true(s.hosts[0].mcg_cap_flags == MCG_CTL_P);
    assert_true(inj(&s, 0)->no_broadcast && inj(&s, 0)->status == 0x9400000000000151ull);
    scenario_free(&s);
}

static void test_xen_mceinj_errors(void **state)
{
    (void)state;
    import_fails("xen-mceinj -t 5\n", SCN_FMT_XEN_MCEINJ, 1, 15, "Unsupported error type", "0..4");
    import_fails("xen-mceinj -t 2 -l\n", SCN_FMT_XEN_MCEINJ, 1, 1, "No support to inject CMCI as LMCE", NULL);
    import_fails("xen-mceinj -c 0x1\n", SCN_FMT_XEN_MCEINJ, 1, 15, "-c: '0x1' is not a number", "decimal");
    import_fails("xen-mceinj -x\n", SCN_FMT_XEN_MCEINJ, 1, 12, "unknown option '-x'", "-t TYPE");
    import_fails("xen-mceinj -h\n", SCN_FMT_XEN_MCEINJ, 1, 12, "prints the help and injects nothing", NULL);
    import_fails("xen-mceinj -c\n", SCN_FMT_XEN_MCEINJ, 1, 12, "-c needs a value", NULL);
    import_fails("mceinj -t 1\n", SCN_FMT_XEN_MCEINJ, 1, 1, "'mceinj' is not xen-mceinj", NULL);
    import_fails("xen-mceinj -t 1 -d 32760\n", SCN_FMT_XEN_MCEINJ, 1, 20, "incompatible flag MC_MSRINJ_F_GPADDR", NULL);
    import_fails("xen-mceinj -t 3 -l\n", SCN_FMT_XEN_MCEINJ, 1, 1, "No LMCE support", "Intel only");
}

/* ---- EINJ ------------------------------------------------------------------------------ */

static void test_einj(void **state)
{
    (void)state;
    struct scenario s;
    import_load("e.einj",
                "cd /sys/kernel/debug/apei/einj\n"
                "echo 0x12345000 > param1\n"
                "echo $((-1 << 12)) > /sys/kernel/debug/apei/einj/param2\n"
                "echo 0x8 > error_type\n"
                "echo 1 > error_inject\n"
                "error_type 0x10\n"
                "flags 0x1\n"                       /* memory address not valid: no ADDRV */
                "error_inject 1\n"
                "echo 0x2 > error_type\n"
                "param3 3\n"                        /* APIC id, flags bit 0 */
                "echo 1 > error_inject\n"
                "notrigger 1\n"
                "echo 1 > error_inject\n",          /* nothing */
                SCN_FMT_AUTO, &s);
    assert_int_equal(s.nevents, 3);
    const struct scn_inject *ce = inj(&s, 0), *uc = inj(&s, 1), *p = inj(&s, 2);
    assert_true(ce->bank == 7 && ce->status == 0x8C00004000010090ull && ce->addr == 0x12345000);
    assert_true(ce->misc == 0x8C); /* physical mode, LSB 12 from the page mask */
    assert_true(uc->status == (0xBD000000004000CFull & ~(MCI_STATUS_ADDRV | MCI_STATUS_MISCV)) && uc->addr == 0);
    assert_true(p->cpu == 3 && p->bank == 1 && p->status == 0xB000000000000134ull);
    scenario_free(&s);
}

static void test_einj_errors(void **state)
{
    (void)state;
    import_fails("echo 1 > error_inject\n", SCN_FMT_EINJ, 1, 1, "error_inject with no error_type set", "error_type");
    import_fails("echo 0x40 > error_type\necho 1 > error_inject\n", SCN_FMT_EINJ, 2, 1, "PCI Express", "memory (0x8");
    import_fails("echo 0x18 > error_type\necho 1 > error_inject\n", SCN_FMT_EINJ, 2, 1, "is not one type", NULL);
    import_fails("echo 0x8 > error_kind\n", SCN_FMT_EINJ, 1, 12, "'error_kind' is not a file of apei/einj", "param1");
    import_fails("echo zz > param1\n", SCN_FMT_EINJ, 1, 6, "'zz' is not a value", "$((-1 << N))");
    import_fails("rm -rf /\n", SCN_FMT_EINJ, 1, 1, "not an EINJ setting", "echo VALUE > FILE");
}

/* ---- formats forced and refused ------------------------------------------------ */

static void test_format_forced(void **state)
{
    (void)state;
    char path[] = "/tmp/test_import_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char text[] = "name: x\nplatform: {hosts: [{cpus: 2}]}\n";
    assert_true(write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1));
    close(fd);
    struct scn_error err;
    FILE *f = fopen("/dev/null", "w");
    assert_int_equal(scn_import_file(path, SCN_FMT_AUTO, f, &err), -1);
    fclose(f);
    assert_non_null(strstr(err.msg, "not one of the formats mcasim imports"));
    assert_non_null(strstr(err.hint, "--from"));
    struct scenario s;
    struct scn_errors errs = {0};
    assert_int_equal(scenario_load_as(path, SCN_FMT_QEMU, &s, &errs), -1);
    assert_int_equal(errs.n, 1);
    assert_int_equal(errs.v[0].line, 1);
    assert_non_null(strstr(errs.v[0].msg, "'name:' is not the mce command"));
    scn_errors_free(&errs);
    assert_int_equal(scenario_load_as(path, SCN_FMT_AUTO, &s, &errs), 0);
    assert_string_equal(s.name, "x");
    scenario_free(&s);
    unlink(path);
}

/* ---- symbols ----------------------------------------------------------------------- */

static void test_symbols(void **state)
{
    (void)state;
    uint64_t v;
    assert_true(mca_symbol(MCA_REG_STATUS, "UNCORRECTED", &v) && v == (MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN));
    assert_true(mca_symbol(MCA_REG_STATUS, "fatal", &v) && (v & MCI_STATUS_PCC));
    assert_true(mca_symbol(MCA_REG_STATUS, "Srar", &v) && v == (MCI_STATUS_S | MCI_STATUS_AR));
    assert_true(mca_symbol(MCA_REG_STATUS, "ucna", &v) && v == 0);
    assert_true(mca_symbol(MCA_REG_STATUS, "miscv", &v) && v == MCI_STATUS_MISCV);
    assert_false(mca_symbol(MCA_REG_STATUS, "eipv", &v));
    assert_true(mca_symbol_elsewhere(MCA_REG_STATUS, "eipv"));
    assert_true(mca_symbol(MCA_REG_MCG_STATUS, "LMCES", &v) && v == MCG_STATUS_LMCES);
    assert_true(mca_symbol(MCA_REG_MCG_STATUS, "seam_nr", &v) && v == 1ull << 12);
    char buf[128];
    mca_symbol_text(MCA_REG_STATUS, 0xBD80000000000134ull, buf, sizeof(buf));
    assert_string_equal(buf, "VAL|UC|EN|MISCV|ADDRV|S|AR, MCACOD 0x0134");
    mca_symbol_text(MCA_REG_STATUS, 0x8C00004000010090ull, buf, sizeof(buf));
    assert_string_equal(buf, "VAL|MISCV|ADDRV, MCACOD 0x0090, MSCOD 0x0001, other bits 0x4000000000");
    mca_symbol_text(MCA_REG_MCG_STATUS, 0, buf, sizeof(buf));
    assert_string_equal(buf, "none");
    mca_symbol_text(MCA_REG_MCG_STATUS, 0x7, buf, sizeof(buf));
    assert_string_equal(buf, "RIPV|EIPV|MCIP");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),          cmocka_unit_test(test_mce_inject),
        cmocka_unit_test(test_mce_inject_defaults), cmocka_unit_test(test_mce_inject_hold),
        cmocka_unit_test(test_mce_inject_errors), cmocka_unit_test(test_qemu),
        cmocka_unit_test(test_qemu_errors),     cmocka_unit_test(test_xen_mceinj),
        cmocka_unit_test(test_xen_mceinj_errors), cmocka_unit_test(test_einj),
        cmocka_unit_test(test_einj_errors),     cmocka_unit_test(test_format_forced),
        cmocka_unit_test(test_symbols),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
