/*
 * test_scenario_load.c - the scenario loader: a scenario using every key
 * is read into the values it spells, omitted keys take their documented
 * defaults, and each kind of mistake is reported at its exact line and
 * column with a message and hint that say what is wrong. Truncated and
 * mutated files must fail cleanly (this binary also runs under Valgrind).
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

#include "arch/x86_mca.h"
#include "hv/public/mca_abi.h"
#include "sim/scenario.h"
#include "sim/scenario_values.h"

#define PS_US 1000000ull
#define PS_MS 1000000000ull

/* Every key once. Line numbers matter: the tests check positions. */
static const char full_yaml[] =
    "# A scenario with every key.\n"                                        /*  1 */
    "name: full-1.0_x\n"                                                    /*  2 */
    "description: \"every key once\"\n"                                     /*  3 */
    "seed: 0x2A\n"                                                          /*  4 */
    "duration: 10ms\n"                                                      /*  5 */
    "platform:\n"                                                           /*  6 */
    "  hosts:\n"                                                            /*  7 */
    "    - name: alpha\n"                                                   /*  8 */
    "      cpus: 8\n"                                                       /*  9 */
    "      banks: 20\n"                                                     /* 10 */
    "      mcg_cap: [ctl_p, cmci_p, tes_p, ser_p, lmce_p]\n"                /* 11 */
    "      cpu: \"intel:6:0x6A\"\n"                                         /* 12 */
    "      cost_model: icelake-sp\n"                                        /* 13 */
    "      costs: {msr_read: 150, ipi: 2000}\n"                             /* 14 */
    "      lmce: true\n"                                                    /* 15 */
    "      memory:\n"                                                       /* 16 */
    "        - {start: 0, size: 16MiB, owner: xen-image}\n"                 /* 17 */
    "        - {start: 16MiB, size: 0x1000000, owner: xen-heap}\n"          /* 18 */
    "        - {start: 0x2000000, size: 1GiB, owner: domain, domain: 1}\n"  /* 19 */
    "    - name: beta\n"                                                    /* 20 */
    "      mcg_cap: []\n"                                                   /* 21 */
    "      cpu: amd:0x17:49\n"                                              /* 22 */
    "policy:\n"                                                             /* 23 */
    "  rendezvous_timeout: 1.5us\n"                                         /* 24 */
    "  telemetry: {urgent: 4, nonurgent: 8}\n"                              /* 25 */
    "  poll: xen\n"                                                         /* 26 */
    "  cmci_threshold: 5\n"                                                 /* 27 */
    "domains:\n"                                                            /* 28 */
    "  - id: 0\n"                                                           /* 29 */
    "    type: dom0\n"                                                      /* 30 */
    "    host: alpha\n"                                                     /* 31 */
    "    mcelog: false\n"                                                   /* 32 */
    "    mcelog_start: 250ps\n"                                             /* 33 */
    "  - id: 1\n"                                                           /* 34 */
    "    name: guest\n"                                                     /* 35 */
    "    type: hvm\n"                                                       /* 36 */
    "    host: 1\n"                                                         /* 37 */
    "events:\n"                                                             /* 38 */
    "  - at: 1ms\n"                                                         /* 39 */
    "    inject:\n"                                                         /* 40 */
    "      host: alpha\n"                                                   /* 41 */
    "      cpu: 3\n"                                                        /* 42 */
    "      bank: 7\n"                                                       /* 43 */
    "      status: 0xBD000000004000CF\n"                                    /* 44 */
    "      addr: 0x1234000\n"                                               /* 45 */
    "      misc: 0x86\n"                                                    /* 46 */
    "      mcg_status: 0x5\n"                                               /* 47 */
    "      signal: mce\n"                                                   /* 48 */
    "      local: true\n"                                                   /* 49 */
    "      context: guest-user\n"                                           /* 50 */
    "      ripv: false\n"                                                   /* 51 */
    "      eipv: true\n"                                                    /* 52 */
    "  - at: 2ms\n"                                                         /* 53 */
    "    repeat: 3\n"                                                       /* 54 */
    "    every: 100us\n"                                                    /* 55 */
    "    context: {host: beta, cpu: 1, context: hypervisor}\n"              /* 56 */
    "  - at: 3ms\n"                                                         /* 57 */
    "    cr4_mce: {cpu: 0, value: false}\n"                                 /* 58 */
    "  - at: 0s\n"                                                          /* 59 */
    "    stall: {host: 1, cpu: 2, for: 5us}\n"                              /* 60 */
    "  - at: 4ms\n"                                                         /* 61 */
    "    stall: {cpu: 1}\n"                                                 /* 62 */
    "expect:\n"                                                             /* 63 */
    "  hosts:\n"                                                            /* 64 */
    "    - {host: alpha, outcome: panic, reason: \"HARDWARE ERROR\"}\n"     /* 65 */
    "    - {host: 1, outcome: running}\n"                                   /* 66 */
    "  records:\n"                                                          /* 67 */
    "    - {host: 0, cpu: 3, bank: 7, class: srar, result: recovered, source: mce, rule: srar-data}\n"
    "    - {}\n"                                                            /* 69 */
    "  telemetry: {logged: 1, delivered: 0, dropped: 2, lost: 0, undelivered: 1}\n"
    "  dom0_log:\n"                                                         /* 71 */
    "    - \"MEMORY CONTROLLER\"\n"                                         /* 72 */
    "    - not: \"panic\"\n"                                                /* 73 */
    "  console:\n"                                                          /* 74 */
    "    - \"Error is successfully recovered\"\n"                           /* 75 */
    "  latency:\n"                                                          /* 76 */
    "    - {from: mc_raised, to: handler_exit, max: 20us}\n"                /* 77 */
    "  registers:\n"                                                        /* 78 */
    "    - {host: 0, cpu: 3, msr: MC7_STATUS, value: 0, mask: 0x8000000000000000}\n"
    "    - {cpu: 0, msr: 0x17A, value: 0}\n"                                /* 80 */
    "    - {host: beta, cpu: 0, msr: MCG_CAP, value: 0x100}\n";            /* 81 */

/* The smallest valid scenario; bad cases extend it from line 5 on. */
#define BASE "name: t\nplatform:\n  hosts:\n    - cpus: 2\n"

static int load(const char *yaml, struct scenario *s, struct scn_error *e)
{
    return scenario_load_string("t.yaml", yaml, s, e);
}

static void assert_loc(struct scn_loc loc, unsigned line, unsigned col)
{
    assert_int_equal(loc.line, line);
    assert_int_equal(loc.col, col);
}

/* ---- the full scenario ------------------------------------------------- */

static int full_setup(void **state)
{
    struct scenario *s = calloc(1, sizeof(*s));
    struct scn_error e;
    if (!s)
        return -1;
    if (load(full_yaml, s, &e) != 0) {
        scn_error_print(&e, stderr);
        free(s);
        return -1;
    }
    *state = s;
    return 0;
}

static int full_teardown(void **state)
{
    scenario_free(*state);
    free(*state);
    return 0;
}

static void test_full_top(void **state)
{
    const struct scenario *s = *state;
    assert_string_equal(s->path, "t.yaml");
    assert_string_equal(s->name, "full-1.0_x");
    assert_string_equal(s->description, "every key once");
    assert_int_equal(s->seed, 42);
    assert_true(s->duration_ps == 10 * PS_MS);
}

static void test_full_hosts(void **state)
{
    const struct scenario *s = *state;
    assert_int_equal(s->nhosts, 2);
    const struct scn_host *a = &s->hosts[0], *b = &s->hosts[1];
    assert_string_equal(a->name, "alpha");
    assert_int_equal(a->ncpus, 8);
    assert_int_equal(a->nbanks, 20);
    assert_true(a->mcg_cap_flags == (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P | MCG_LMCE_P));
    assert_int_equal(a->id.vendor, CPU_VENDOR_INTEL);
    assert_int_equal(a->id.family, 6);
    assert_int_equal(a->id.model, 0x6A);
    assert_string_equal(a->cost_model, "icelake-sp");
    assert_int_equal(a->ncosts, 2);
    assert_int_equal(a->costs[0].op, COST_MSR_READ);
    assert_int_equal(a->costs[0].cycles, 150);
    assert_int_equal(a->costs[1].op, COST_IPI);
    assert_int_equal(a->costs[1].cycles, 2000);
    assert_true(a->lmce_on);
    assert_loc(a->loc, 8, 7);
    assert_string_equal(b->name, "beta");
    assert_int_equal(b->mcg_cap_flags, 0);
    assert_int_equal(b->id.vendor, CPU_VENDOR_AMD);
    assert_int_equal(b->id.family, 0x17);
    assert_int_equal(b->id.model, 49);
    assert_int_equal(b->ncpus, 4);
    assert_int_equal(b->nbanks, 10);
    assert_string_equal(b->cost_model, "skylake-sp");
    assert_false(b->lmce_on);
    assert_int_equal(b->nregions, 0);
}

static void test_full_memory(void **state)
{
    const struct scn_host *a = &((const struct scenario *)*state)->hosts[0];
    assert_int_equal(a->nregions, 3);
    assert_true(a->regions[0].start == 0 && a->regions[0].size == 16ull << 20);
    assert_int_equal(a->regions[0].owner, SCN_OWNER_XEN_IMAGE);
    assert_loc(a->regions[0].loc, 17, 11);
    assert_true(a->regions[1].start == 16ull << 20 && a->regions[1].size == 0x1000000);
    assert_int_equal(a->regions[1].owner, SCN_OWNER_XEN_HEAP);
    assert_true(a->regions[2].start == 0x2000000 && a->regions[2].size == 1ull << 30);
    assert_int_equal(a->regions[2].owner, SCN_OWNER_DOMAIN);
    assert_int_equal(a->regions[2].domid, 1);
}

static void test_full_policy_domains(void **state)
{
    const struct scenario *s = *state;
    assert_true(s->policy.rendezvous_timeout_ps == 1500000);
    assert_int_equal(s->policy.telem_urgent, 4);
    assert_int_equal(s->policy.telem_nonurgent, 8);
    assert_int_equal(s->policy.poll, SCN_POLL_XEN);
    assert_int_equal(s->policy.cmci_threshold, 5);
    assert_int_equal(s->ndomains, 2);
    const struct scn_domain *d0 = &s->domains[0], *d1 = &s->domains[1];
    assert_int_equal(d0->id, 0);
    assert_string_equal(d0->name, "dom0");
    assert_int_equal(d0->type, SCN_DOM_DOM0);
    assert_int_equal(d0->host, 0);
    assert_false(d0->mcelog);
    assert_true(d0->mcelog_start_ps == 250);
    assert_loc(d0->loc, 29, 5);
    assert_int_equal(d1->id, 1);
    assert_string_equal(d1->name, "guest");
    assert_int_equal(d1->type, SCN_DOM_HVM);
    assert_int_equal(d1->host, 1);
    assert_false(d1->mcelog);
}

static void test_full_inject(void **state)
{
    const struct scenario *s = *state;
    assert_int_equal(s->nevents, 5);
    const struct scn_event *e = &s->events[0];
    assert_int_equal(e->kind, SCN_EV_INJECT);
    assert_true(e->at_ps == PS_MS);
    assert_int_equal(e->repeat, 1);
    assert_loc(e->loc, 39, 5);
    const struct scn_inject *in = &e->u.inject;
    assert_int_equal(in->host, 0);
    assert_int_equal(in->cpu, 3);
    assert_int_equal(in->bank, 7);
    assert_true(in->status == 0xBD000000004000CFull);
    assert_true(in->addr == 0x1234000);
    assert_true(in->misc == 0x86);
    assert_true(in->has_mcg_status);
    assert_true(in->mcg_status == 5);
    assert_int_equal(in->signal, SCN_SIGNAL_MCE);
    assert_true(in->local);
    assert_int_equal(in->context, X86_CTX_GUEST_USER);
    assert_int_equal(in->ripv, 0);
    assert_int_equal(in->eipv, 1);
}

static void test_full_other_events(void **state)
{
    const struct scn_event *e = ((const struct scenario *)*state)->events;
    assert_int_equal(e[1].kind, SCN_EV_CONTEXT);
    assert_int_equal(e[1].repeat, 3);
    assert_true(e[1].every_ps == 100 * PS_US);
    assert_int_equal(e[1].u.context.host, 1);
    assert_int_equal(e[1].u.context.cpu, 1);
    assert_int_equal(e[1].u.context.ctx, X86_CTX_HV);
    assert_int_equal(e[2].kind, SCN_EV_CR4_MCE);
    assert_int_equal(e[2].u.cr4.host, 0);
    assert_false(e[2].u.cr4.on);
    assert_int_equal(e[3].kind, SCN_EV_STALL);
    assert_true(e[3].at_ps == 0);
    assert_int_equal(e[3].u.stall.host, 1);
    assert_int_equal(e[3].u.stall.cpu, 2);
    assert_true(e[3].u.stall.for_ps == 5 * PS_US);
    assert_true(e[4].u.stall.for_ps == SCN_TIME_FOREVER);
}

static void test_full_expect(void **state)
{
    const struct scn_expect *x = &((const struct scenario *)*state)->expect;
    assert_int_equal(x->nhosts, 2);
    assert_int_equal(x->hosts[0].host, 0);
    assert_int_equal(x->hosts[0].outcome, SCN_OUT_PANIC);
    assert_string_equal(x->hosts[0].reason, "HARDWARE ERROR");
    assert_int_equal(x->hosts[1].host, 1);
    assert_string_equal(x->hosts[1].reason, "");
    assert_true(x->has_records);
    assert_int_equal(x->nrecords, 2);
    const struct scn_expect_record *r = x->records;
    assert_int_equal(r[0].cls, MCA_REC_SRAR);
    assert_int_equal(r[0].result, MCA_RES_RECOVERED);
    assert_int_equal(r[0].source, MCA_SRC_MCE);
    assert_int_equal(r[0].cpu, 3);
    assert_string_equal(r[0].rule, "srar-data");
    assert_loc(r[0].loc, 68, 7);
    assert_int_equal(r[1].host, -1);
    assert_int_equal(r[1].cls, -1);
    assert_int_equal(r[1].source, -1);
    assert_true(x->telem.logged == 1 && x->telem.delivered == 0 && x->telem.dropped == 2);
    assert_true(x->telem.lost == 0 && x->telem.undelivered == 1);
}

static void test_full_expect_lists(void **state)
{
    const struct scn_expect *x = &((const struct scenario *)*state)->expect;
    assert_int_equal(x->ndom0_log, 2);
    assert_string_equal(x->dom0_log[0].text, "MEMORY CONTROLLER");
    assert_false(x->dom0_log[0].absent);
    assert_string_equal(x->dom0_log[1].text, "panic");
    assert_true(x->dom0_log[1].absent);
    assert_int_equal(x->nconsole, 1);
    assert_int_equal(x->nlatency, 1);
    assert_int_equal(x->latency[0].from, TS_MC_RAISED);
    assert_int_equal(x->latency[0].to, TS_HANDLER_EXIT);
    assert_true(x->latency[0].max_ps == 20 * PS_US);
    assert_int_equal(x->nregisters, 3);
    assert_int_equal(x->registers[0].msr, 0x41D);
    assert_int_equal(x->registers[0].msr, MSR_IA32_MCx_STATUS(7));
    assert_true(x->registers[0].mask == MCI_STATUS_VAL);
    assert_int_equal(x->registers[1].msr, MSR_IA32_MCG_STATUS);
    assert_true(x->registers[1].mask == UINT64_MAX);
    assert_int_equal(x->registers[2].host, 1);
    assert_int_equal(x->registers[2].msr, MSR_IA32_MCG_CAP);
}

/* ---- defaults and small valid forms ------------------------------------ */

static void test_defaults(void **state)
{
    (void)state;
    struct scenario s;
    struct scn_error e;
    assert_int_equal(load("name: min\nplatform:\n  hosts:\n    - {}\n", &s, &e), 0);
    assert_true(s.seed == 1);
    assert_true(s.duration_ps == 1000 * PS_MS);
    const struct scn_host *h = &s.hosts[0];
    assert_string_equal(h->name, "host0");
    assert_int_equal(h->ncpus, 4);
    assert_int_equal(h->nbanks, 10);
    assert_true(h->mcg_cap_flags == (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P));
    assert_int_equal(h->id.vendor, CPU_VENDOR_INTEL);
    assert_int_equal(h->id.family, 6);
    assert_int_equal(h->id.model, 0x55);
    assert_string_equal(h->cost_model, "skylake-sp");
    assert_false(h->lmce_on);
    assert_true(s.policy.rendezvous_timeout_ps == 0);
    assert_int_equal(s.policy.telem_urgent, 10);
    assert_int_equal(s.policy.telem_nonurgent, 20);
    assert_int_equal(s.policy.cmci_threshold, 2);
    assert_int_equal(s.ndomains, 1);
    assert_string_equal(s.domains[0].name, "dom0");
    assert_int_equal(s.domains[0].type, SCN_DOM_DOM0);
    assert_true(s.domains[0].mcelog);
    assert_true(s.domains[0].mcelog_start_ps == 0);
    assert_int_equal(s.nevents, 0);
    assert_int_equal(s.expect.nhosts, 0);
    assert_false(s.expect.has_records);
    assert_true(s.expect.telem.logged == -1 && s.expect.telem.undelivered == -1);
    scenario_free(&s);
}

static void test_small_forms(void **state)
{
    (void)state;
    struct scenario s;
    struct scn_error e;
    const char *yaml =
        BASE "policy: {rendezvous_timeout: none}\n"
             "domains: [{id: 0}, {id: 7}]\n"
             "events:\n  - {at: 1.000000000000s, inject: {cpu: 1, bank: 0, status: 0x8000000000000000}}\n"
             "expect:\n  host: {outcome: running}\n  records: []\n";
    assert_int_equal(load(yaml, &s, &e), 0);
    assert_true(s.policy.rendezvous_timeout_ps == 0);
    assert_true(s.domains[0].mcelog);
    assert_int_equal(s.domains[1].type, SCN_DOM_PV);
    assert_string_equal(s.domains[1].name, "dom7");
    assert_true(s.events[0].at_ps == 1000 * PS_MS);
    assert_int_equal(s.events[0].u.inject.context, -1);
    assert_int_equal(s.events[0].u.inject.ripv, -1);
    assert_int_equal(s.events[0].u.inject.signal, SCN_SIGNAL_AUTO);
    assert_false(s.events[0].u.inject.has_mcg_status);
    assert_int_equal(s.expect.nhosts, 1);
    assert_int_equal(s.expect.hosts[0].host, 0);
    assert_loc(s.expect.hosts[0].loc, 10, 9);
    assert_true(s.expect.has_records);
    assert_int_equal(s.expect.nrecords, 0);
    scenario_free(&s);
}

static void test_free_twice_and_zeroed(void **state)
{
    (void)state;
    struct scenario s;
    memset(&s, 0, sizeof(s));
    scenario_free(&s);
    scenario_free(NULL);
    struct scn_error e;
    assert_int_equal(load(full_yaml, &s, &e), 0);
    scenario_free(&s);
    scenario_free(&s);
}

static void test_error_print(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    struct scn_error e = {.file = "a.yaml", .line = 3, .col = 7, .msg = "bad", .hint = "fix"};
    scn_error_print(&e, f);
    e.hint[0] = '\0';
    scn_error_print(&e, f);
    fclose(f);
    assert_string_equal(buf, "a.yaml:3:7: error: bad\n  hint: fix\na.yaml:3:7: error: bad\n");
    free(buf);
}

/* The value syntax on its own (sim/scenario_values.h). */
static void test_values(void **state)
{
    (void)state;
    uint64_t x;
    assert_int_equal(scv_time("1.5us", &x), SCV_OK);
    assert_true(x == 1500000);
    assert_int_equal(scv_time("0.5 ns", &x), SCV_OK);
    assert_true(x == 500);
    assert_int_equal(scv_time("1.000000000000000000000s", &x), SCV_OK); /* trailing zeros do not overflow */
    assert_true(x == 1000000000000ull);
    assert_int_equal(scv_time("18446744073709551615ps", &x), SCV_OK);
    assert_true(x == UINT64_MAX);
    assert_int_equal(scv_time("18446744073709551616ps", &x), SCV_RANGE);
    assert_int_equal(scv_time("18446745s", &x), SCV_RANGE);
    assert_int_equal(scv_time("0.0001ns", &x), SCV_FRACTION);
    /* minutes and hours: 1 min = 60 s, 1 h = 3600 s; uint64 ps ends a little past 5124 h */
    assert_int_equal(scv_time("24h", &x), SCV_OK);
    assert_int_equal(x, 86400ull * 1000000000000ull);
    assert_int_equal(scv_time("1.5 min", &x), SCV_OK);
    assert_int_equal(x, 90ull * 1000000000000ull);
    assert_int_equal(scv_time("5124h", &x), SCV_OK);
    assert_int_equal(scv_time("5125h", &x), SCV_RANGE);
    assert_int_equal(scv_time("1m", &x), SCV_BAD_UNIT);
    assert_int_equal(scv_time("5", &x), SCV_NO_UNIT);
    assert_int_equal(scv_time("5 sec", &x), SCV_BAD_UNIT);
    assert_int_equal(scv_time(".5s", &x), SCV_SYNTAX);
    assert_int_equal(scv_uint("0xFFFFFFFFFFFFFFFF", &x), SCV_OK);
    assert_true(x == UINT64_MAX);
    assert_int_equal(scv_uint("18446744073709551616", &x), SCV_RANGE);
    assert_int_equal(scv_uint("0x", &x), SCV_SYNTAX);
    assert_int_equal(scv_uint("+1", &x), SCV_SYNTAX);
    assert_int_equal(scv_uint("010", &x), SCV_OK);
    assert_true(x == 10);
    assert_int_equal(scv_size("16MiB", &x), SCV_OK);
    assert_true(x == 16ull << 20);
    assert_int_equal(scv_size("16777216TiB", &x), SCV_RANGE);
    assert_int_equal(scv_size("1.5GiB", &x), SCV_FRACTION);
    assert_int_equal(scv_size("4kB", &x), SCV_BAD_UNIT);
    bool b;
    assert_false(scv_bool("yes", &b));
    assert_true(scv_bool("false", &b) && !b);
    assert_int_equal(scv_distance("platfrom", "platform"), 2);
    static const char *const names[] = {"cpus", "banks", NULL, "cpu"};
    assert_int_equal(scv_closest("bnks", names, 4), 1);
    assert_int_equal(scv_closest("zzzz", names, 4), -1);
    assert_int_equal(scv_lookup("cpu", names, 4), 3);
    char buf[17]; /* exactly the joined length and its NUL */
    assert_true(scv_join(buf, sizeof(buf), names, 4));
    assert_string_equal(buf, "cpus, banks, cpu");
    assert_false(scv_join(buf, 10, names, 4));
}

static void test_outcome_names(void **state)
{
    (void)state;
    assert_string_equal(scn_outcome_name(SCN_OUT_RUNNING), "running");
    assert_string_equal(scn_outcome_name(SCN_OUT_HANG), "hang");
    assert_string_equal(scn_outcome_name(SCN_OUT__COUNT), "unknown");
}

/* A file with a NUL byte: only scenario_load can be given one. */
static void test_load_file(void **state)
{
    (void)state;
    char path[] = "/tmp/test_scenario_load_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_true(write(fd, full_yaml, sizeof(full_yaml) - 1) == (ssize_t)(sizeof(full_yaml) - 1));
    struct scenario s;
    struct scn_error e;
    assert_int_equal(scenario_load(path, &s, &e), 0);
    assert_string_equal(s.path, path);
    scenario_free(&s);
    assert_true(write(fd, "x: \0\n", 5) == 5);
    assert_int_equal(scenario_load(path, &s, &e), -1);
    assert_string_equal(e.file, path);
    assert_int_equal(e.line, 82);
    assert_non_null(strstr(e.msg, "control characters"));
    close(fd);
    unlink(path);
    assert_int_equal(scenario_load("/nonexistent/x.yaml", &s, &e), -1);
    assert_int_equal(e.line, 0);
    assert_non_null(strstr(e.msg, "cannot open"));
}

/* ---- bad inputs ----------------------------------------------------------- */

struct bad {
    const char *name;
    const char *yaml;
    unsigned line, col;
    const char *msg;    /* substring of the message */
    const char *hint;   /* substring of the hint, or NULL */
};

#define INJ(x) BASE "events:\n  - at: 1ms\n    inject:\n" x
#define STATUS_OK "      status: 0x8000000000000000\n"

static const struct bad bad_cases[] = {
    {"unknown key, did you mean", BASE "      bnks: 4\n", 5, 7, "unknown key 'bnks' in host",
     "did you mean 'banks'?"},
    {"unknown top key lists keys", "name: t\nplatfrom: {}\n", 2, 1, "unknown key 'platfrom'",
     "valid keys: name, description, seed"},
    {"wrong type: sequence for integer", "name: t\nplatform:\n  hosts:\n    - cpus: [1]\n", 4, 13,
     "'cpus' must be an integer, got a sequence", NULL},
    {"wrong type: scalar for mapping", "name: t\nplatform: big\n", 2, 11, "'platform' must be a mapping",
     NULL},
    {"no value", "name: t\nplatform:\n", 2, 10, "'platform' must be a mapping, got no value", NULL},
    {"bare number time", BASE "duration: 10\n", 5, 11, "'duration': '10' has no unit", "add a unit"},
    {"bad time unit", BASE "duration: 10sec\n", 5, 11, "unknown unit", "ps, ns, us, ms, s, min, h"},
    {"time not whole ps", BASE "duration: 1.5ps\n", 5, 11, "not a whole number of ps", NULL},
    {"negative", BASE "seed: -1\n", 5, 7, "must not be negative", NULL},
    {"overflow", BASE "seed: 0x10000000000000000\n", 5, 7, "does not fit in 64 bits", NULL},
    {"trailing junk", BASE "seed: 12abc\n", 5, 7, "is not an integer", "0x"},
    {"out of range", "name: t\nplatform:\n  hosts:\n    - cpus: 300\n", 4, 13, "out of range 1..256", NULL},
    {"bad enum", BASE "expect:\n  host: {outcome: crash}\n", 6, 19, "unknown value 'crash'",
     "running, panic, reset, shutdown, hang"},
    {"cpu out of range", INJ("      cpu: 2\n      bank: 0\n" STATUS_OK), 8, 12, "host 'host0' has 2 CPUs",
     "0..1"},
    {"bank out of range", INJ("      cpu: 1\n      bank: 10\n" STATUS_OK), 9, 13, "has 10 banks", NULL},
    {"status without VAL", INJ("      cpu: 1\n      bank: 0\n      status: 0x1\n"), 10, 15, "no VAL bit",
     "bit 63"},
    {"missing required", INJ("      cpu: 1\n      bank: 0\n"), 8, 7,
     "missing required key 'status' in inject", NULL},
    {"missing name", "platform:\n  hosts:\n    - {}\n", 1, 1, "missing required key 'name'", NULL},
    {"duplicate key", BASE "seed: 1\nseed: 2\n", 6, 1, "duplicate key 'seed'", NULL},
    {"overlapping regions",
     BASE "      memory:\n        - {start: 0, size: 8KiB, owner: free}\n"
          "        - {start: 4KiB, size: 4KiB, owner: free}\n",
     7, 11, "overlaps region [0x0, 0x2000) at line 6", NULL},
    {"region not aligned", BASE "      memory:\n        - {start: 0x800, size: 4KiB, owner: free}\n", 6, 19,
     "not a multiple of 4 KiB", NULL},
    {"size bad unit", BASE "      memory:\n        - {start: 0, size: 16MB, owner: free}\n", 6, 28,
     "unknown unit", "KiB, MiB, GiB, TiB"},
    {"region domain missing",
     BASE "      memory:\n        - {start: 0, size: 4KiB, owner: domain, domain: 3}\n", 6, 11,
     "domain 3 is not in 'domains'", NULL},
    {"local without lmce_p", INJ("      cpu: 1\n      bank: 0\n" STATUS_OK "      local: true\n"), 11, 14,
     "needs lmce_p", "mcg_cap"},
    {"lmce without lmce_p", BASE "      lmce: true\n", 5, 13, "needs lmce_p", NULL},
    {"yaml syntax error", "name: t\n  bad: x\n", 2, 6, "YAML syntax error: mapping values are not allowed",
     "indentation"},
    {"invalid utf-8", "name: t\xff\n", 1, 8, "invalid leading UTF-8 octet", NULL},
    {"empty file", "", 1, 1, "empty", NULL},
    {"comments only", "# nothing\n", 1, 1, "empty", NULL},
    {"top level not a mapping", "- a\n- b\n", 1, 1, "top level must be a mapping, got a sequence", NULL},
    {"second document", BASE "---\nname: x\n", 6, 1, "second YAML document", NULL},
    {"both host and hosts", BASE "expect:\n  hosts: [{host: 0, outcome: panic}]\n  host: {outcome: panic}\n",
     7, 3, "'host' and 'hosts' cannot both be given", NULL},
    {"dom0 missing", BASE "domains:\n  - id: 1\n", 6, 3, "has no dom0", "id: 0"},
    {"id 0 not dom0", BASE "domains:\n  - {id: 0, type: pv}\n", 6, 19, "domain 0 must have type dom0", NULL},
    {"dom0 with another id", BASE "domains:\n  - {id: 0}\n  - {id: 2, type: dom0}\n", 7, 19,
     "domain 2 cannot be dom0", NULL},
    {"mcelog on a domU", BASE "domains:\n  - {id: 0}\n  - {id: 2, mcelog: true}\n", 7, 13,
     "'mcelog' is only allowed on dom0", NULL},
    {"duplicate domain id", BASE "domains:\n  - {id: 0}\n  - {id: 0}\n", 7, 10, "domain id 0 is already used",
     NULL},
    {"repeat without every", BASE "events:\n  - at: 1ms\n    repeat: 3\n    cr4_mce: {cpu: 0, value: true}\n",
     7, 13, "'repeat: 3' needs 'every'", "every"},
    {"every without repeat", BASE "events:\n  - {at: 1ms, every: 1ms, cr4_mce: {cpu: 0, value: true}}\n", 6,
     15, "'every' without 'repeat'", NULL},
    {"two actions", BASE "events:\n  - {at: 1ms, stall: {cpu: 0}, cr4_mce: {cpu: 0, value: true}}\n", 6, 32,
     "'cr4_mce' and 'stall' cannot both be given", NULL},
    {"no action", BASE "events:\n  - {at: 1ms}\n", 6, 5, "event has none of",
     "inject, context, cr4_mce, stall"},
    {"boolean yes", BASE "      lmce: yes\n", 5, 13, "must be true or false", "true or false"},
    {"unknown host name", BASE "events:\n  - {at: 0s, stall: {host: hots0, cpu: 0}}\n", 6, 28,
     "no host named 'hots0'", "did you mean 'host0'?"},
    {"host index out of range", BASE "events:\n  - {at: 0s, stall: {host: 1, cpu: 0}}\n", 6, 28,
     "host 1 does not exist", NULL},
    {"bad context", BASE "events:\n  - {at: 0s, context: {cpu: 0, context: guest}}\n", 6, 41,
     "unknown context 'guest'", "guest-user"},
    {"bad stage", BASE "expect:\n  latency: [{from: mc_raise, to: poll, max: 1us}]\n", 6, 20,
     "unknown stage 'mc_raise'", "did you mean 'mc_raised'?"},
    {"bad cost model", "name: t\nplatform:\n  hosts:\n    - cost_model: skylake\n", 4, 19, "unknown preset",
     "skylake-sp"},
    {"bad cost op", "name: t\nplatform:\n  hosts:\n    - costs: {msr_reed: 3}\n", 4, 15,
     "unknown cost operation 'msr_reed'", "did you mean 'msr_read'?"},
    {"bad mcg_cap flag", "name: t\nplatform:\n  hosts:\n    - mcg_cap: [ser_p, cmci]\n", 4, 24,
     "unknown value 'cmci'", "cmci_p"},
    {"bad cpu id", "name: t\nplatform:\n  hosts:\n    - cpu: intel-6-85\n", 4, 12,
     "is not VENDOR:FAMILY:MODEL", "intel:6:0x55"},
    {"bad vendor", "name: t\nplatform:\n  hosts:\n    - cpu: \"intl:6:85\"\n", 4, 12, "unknown vendor 'intl'",
     "did you mean 'intel'?"},
    {"msr bank out of range", BASE "expect:\n  registers: [{cpu: 0, msr: MC12_STATUS, value: 0}]\n", 6, 29,
     "names bank 12, but host 'host0' has 10 banks", NULL},
    {"unknown msr", BASE "expect:\n  registers: [{cpu: 0, msr: MCG_FOO, value: 0}]\n", 6, 29, "unknown MSR",
     "MC<i>_STATUS"},
    {"value outside mask", BASE "expect:\n  registers: [{cpu: 0, msr: MCG_CAP, value: 3, mask: 1}]\n", 6, 45,
     "has bits outside 'mask'", NULL},
    {"name with a space", "name: a b\nplatform:\n  hosts: [{}]\n", 1, 7, "contains the character ' '", NULL},
    {"name too long",
     "name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nplatform: {hosts: [{}]}\n", 1,
     7, "too long", NULL},
    {"duplicate host names", "name: t\nplatform:\n  hosts: [{name: a}, {name: a}]\n", 3, 29,
     "'a' is already used", NULL},
    {"too many hosts", "name: t\nplatform:\n  hosts: [{}, {}, {}, {}, {}, {}, {}, {}, {}]\n", 3, 10,
     "at most 8", NULL},
    {"no hosts", "name: t\nplatform:\n  hosts: []\n", 3, 10, "at least 1 entry", NULL},
    {"rendezvous 0s", BASE "policy: {rendezvous_timeout: 0s}\n", 5, 30, "greater than 0", "none"},
    {"telemetry out of range", BASE "policy: {telemetry: {urgent: 0}}\n", 5, 30, "out of range 1..4096",
     NULL},
    {"empty text pattern", BASE "expect:\n  console: [\"\"]\n", 6, 13, "empty pattern", NULL},
    {"negative expected count", BASE "expect:\n  telemetry: {lost: -1}\n", 6, 21, "must not be negative",
     NULL},
    {"key that is not a name", BASE "[a]: 1\n", 5, 1, "is not a name", NULL},
};

static void test_bad(void **state)
{
    const struct bad *b = *state;
    struct scenario s;
    struct scn_error e;
    int rc = load(b->yaml, &s, &e);
    if (rc == 0)
        scenario_free(&s);
    else if (e.line != b->line || e.col != b->col || !strstr(e.msg, b->msg) ||
             (b->hint && !strstr(e.hint, b->hint)))
        scn_error_print(&e, stderr);
    assert_int_equal(rc, -1);
    assert_string_equal(e.file, "t.yaml");
    assert_int_equal(e.line, b->line);
    assert_int_equal(e.col, b->col);
    assert_non_null(strstr(e.msg, b->msg));
    if (b->hint)
        assert_non_null(strstr(e.hint, b->hint));
    /* A failed load leaves nothing behind. */
    assert_null(s.hosts);
    assert_int_equal(s.nevents, 0);
}

/* ---- robustness ------------------------------------------------------------- */

/* Every prefix of the full scenario: loads or fails with a position, never crashes. */
static void test_truncated(void **state)
{
    (void)state;
    size_t n = strlen(full_yaml);
    char *buf = malloc(n + 1);
    assert_non_null(buf);
    unsigned ok = 0;
    for (size_t len = 0; len <= n; len++) {
        memcpy(buf, full_yaml, len);
        buf[len] = '\0';
        struct scenario s;
        struct scn_error e;
        if (load(buf, &s, &e) == 0) {
            ok++;
            scenario_free(&s);
        } else {
            assert_true(e.msg[0] != '\0');
            assert_true(e.line >= 1 && e.line <= 82);
        }
    }
    assert_true(ok > 0); /* at least the whole file */
    free(buf);
}

/* Single-byte mutations at pseudo-random places (a fixed LCG: deterministic). */
static void test_mutated(void **state)
{
    (void)state;
    static const char junk[] = {':',  '-', '{', '[', '"', '\'',   '\t', ' ',
                                '\n', '&', '*', '!', '#', '\x80', 'x',  '0'};
    size_t n = strlen(full_yaml);
    char *buf = malloc(n + 1);
    assert_non_null(buf);
    uint64_t x = 12345;
    for (unsigned k = 0; k < 3000; k++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        memcpy(buf, full_yaml, n + 1);
        buf[(x >> 33) % n] = junk[(x >> 20) % sizeof(junk)];
        struct scenario s;
        struct scn_error e;
        if (load(buf, &s, &e) == 0)
            scenario_free(&s);
        else
            assert_true(e.msg[0] != '\0');
    }
    free(buf);
}

int main(void)
{
    enum { NBAD = sizeof(bad_cases) / sizeof(bad_cases[0]) };
    const struct CMUnitTest fixed[] = {
        cmocka_unit_test_setup_teardown(test_full_top, full_setup, full_teardown),
        cmocka_unit_test_setup_teardown(test_full_hosts, full_setup, full_teardown),
        cmocka_unit_test_setup_teardown(test_full_memory, full_setup, full_teardown),
        cmocka_unit_test_setup_teardown(test_full_policy_domains, full_setup, full_teardown),
        cmocka_unit_test_setup_teardown(test_full_inject, full_setup, full_teardown),
        cmocka_unit_test_setup_teardown(test_full_other_events, full_setup, full_teardown),
        cmocka_unit_test_setup_teardown(test_full_expect, full_setup, full_teardown),
        cmocka_unit_test_setup_teardown(test_full_expect_lists, full_setup, full_teardown),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_small_forms),
        cmocka_unit_test(test_free_twice_and_zeroed),
        cmocka_unit_test(test_error_print),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_outcome_names),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_mutated),
    };
    enum { NFIXED = sizeof(fixed) / sizeof(fixed[0]) };
    struct CMUnitTest tests[NFIXED + NBAD];
    memcpy(tests, fixed, sizeof(fixed));
    /* One test per bad input, named after it; the case is the test's state. */
    for (unsigned i = 0; i < NBAD; i++)
        tests[NFIXED + i] = (struct CMUnitTest){.name = bad_cases[i].name, .test_func = test_bad,
                                                .initial_state = (void *)(uintptr_t)&bad_cases[i]};
    return _cmocka_run_group_tests("scenario_load", tests, NFIXED + NBAD, NULL, NULL);
}
