/*
 * test_scenario_load.c - the scenario loader: a scenario using every key
 * is read into the values it spells, omitted keys take their documented
 * defaults, and each kind of mistake is reported at its exact line and
 * column with a message and hint that say what is wrong. Sweep ranges
 * expand into exact values. Truncated and mutated files must fail
 * cleanly (this binary also runs under Valgrind).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "arch/x86_mca.h"
#include "hv/public/fw_abi.h"
#include "hv/public/mca_abi.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_values.h"
#include "sim/scenario/sweep.h"

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
    "  handler_order: linux\n"                                              /* 24 */
    "  xen_version: \"4.17\"\n"                                           /* 25 */
    "  xen_debug: true\n"                                                   /* 26 */
    "  boot: {mce: on, mce_fb: off, mce_verbosity: verbose}\n"              /* 27 */
    "  rendezvous_timeout: 1.5us\n"                                         /* 28 */
    "  telemetry: {urgent: 4, nonurgent: 8}\n"                              /* 29 */
    "  poll: xen\n"                                                         /* 30 */
    "  cmci_threshold: 5\n"                                                 /* 31 */
    "domains:\n"                                                            /* 32 */
    "  - id: 0\n"                                                           /* 33 */
    "    type: dom0\n"                                                      /* 34 */
    "    host: alpha\n"                                                     /* 35 */
    "    mcelog: false\n"                                                   /* 36 */
    "    mcelog_start: 250ps\n"                                             /* 37 */
    "  - id: 1\n"                                                           /* 38 */
    "    name: guest\n"                                                     /* 39 */
    "    type: hvm\n"                                                       /* 40 */
    "    host: 1\n"                                                         /* 41 */
    "events:\n"                                                             /* 42 */
    "  - at: 1ms\n"                                                         /* 43 */
    "    inject:\n"                                                         /* 44 */
    "      host: alpha\n"                                                   /* 45 */
    "      cpu: 3\n"                                                        /* 46 */
    "      bank: 7\n"                                                       /* 47 */
    "      status: 0xBD000000004000CF\n"                                    /* 48 */
    "      addr: 0x1234000\n"                                               /* 49 */
    "      misc: 0x86\n"                                                    /* 50 */
    "      mcg_status: 0x5\n"                                               /* 51 */
    "      signal: mce\n"                                                   /* 52 */
    "      local: true\n"                                                   /* 53 */
    "      context: guest-user\n"                                           /* 54 */
    "      ripv: false\n"                                                   /* 55 */
    "      eipv: true\n"                                                    /* 56 */
    "  - at: 2ms\n"                                                         /* 57 */
    "    repeat: 3\n"                                                       /* 58 */
    "    every: 100us\n"                                                    /* 59 */
    "    context: {host: beta, cpu: 1, context: hypervisor}\n"              /* 60 */
    "  - at: 3ms\n"                                                         /* 61 */
    "    cr4_mce: {cpu: 0, value: false}\n"                                 /* 62 */
    "  - at: 0s\n"                                                          /* 63 */
    "    stall: {host: 1, cpu: 2, for: 5us}\n"                              /* 64 */
    "  - at: 4ms\n"                                                         /* 65 */
    "    stall: {cpu: 1}\n"                                                 /* 66 */
    "expect:\n"                                                             /* 67 */
    "  hosts:\n"                                                            /* 68 */
    "    - {host: alpha, outcome: panic, reason: \"HARDWARE ERROR\"}\n"     /* 69 */
    "    - {host: 1, outcome: running}\n"                                   /* 70 */
    "  records:\n"                                                          /* 71 */
    "    - {host: 0, cpu: 3, bank: 7, class: srar, result: recovered, source: mce, rule: srar-data}\n"
    "    - {}\n"                                                            /* 73 */
    "  telemetry: {logged: 1, delivered: 0, dropped: 2, lost: 0, undelivered: 1}\n"
    "  dom0_log:\n"                                                         /* 75 */
    "    - \"MEMORY CONTROLLER\"\n"                                         /* 76 */
    "    - not: \"panic\"\n"                                                /* 77 */
    "  console:\n"                                                          /* 78 */
    "    - \"Error is successfully recovered\"\n"                           /* 79 */
    "  latency:\n"                                                          /* 80 */
    "    - {from: mc_raised, to: handler_exit, max: 20us}\n"                /* 81 */
    "  registers:\n"                                                        /* 82 */
    "    - {host: 0, cpu: 3, msr: MC7_STATUS, value: 0, mask: 0x8000000000000000}\n"
    "    - {cpu: 0, msr: 0x17A, value: 0}\n"                                /* 84 */
    "    - {host: beta, cpu: 0, msr: MCG_CAP, value: 0x100}\n";            /* 81 */

/* Live migration (issue #5): every migration key once, and sweep ranges. */
static const char mig_yaml[] =
    "name: mig\n"                                                           /*  1 */
    "duration: 2s\n"                                                        /*  2 */
    "platform:\n"                                                           /*  3 */
    "  hosts:\n"                                                            /*  4 */
    "    - {name: src, banks: 12}\n"                                        /*  5 */
    "    - {name: dst, banks: 20}\n"                                        /*  6 */
    "link:\n"                                                               /*  7 */
    "  bandwidth: 100Mbit/s\n"                                              /*  8 */
    "  latency: 200us\n"                                                    /*  9 */
    "policy:\n"                                                             /* 10 */
    "  migration: {on_vmce: abort, mcg_cap: refuse, restore_broken: skip}\n"/* 11 */
    "domains:\n"                                                            /* 12 */
    "  - {id: 0, host: src}\n"                                              /* 13 */
    "  - {id: 0, host: dst, mcelog: false}\n"                               /* 14 */
    "  - id: 5\n"                                                           /* 15 */
    "    type: hvm\n"                                                       /* 16 */
    "    host: src\n"                                                       /* 17 */
    "    vmce: {banks: host}\n"                                             /* 18 */
    "events:\n"                                                             /* 19 */
    "  - at: 1ms\n"                                                         /* 20 */
    "    migrate:\n"                                                        /* 21 */
    "      domain: 5\n"                                                     /* 22 */
    "      to: dst\n"                                                       /* 23 */
    "      max_iters: 5\n"                                                  /* 24 */
    "      batch: 64\n"                                                     /* 25 */
    "      dirty_threshold: 0\n"                                            /* 26 */
    "      recheck_types: true\n"                                           /* 27 */
    "      copy: dma\n"                                                     /* 28 */
    "  - at: 1.5ms\n"                                                       /* 29 */
    "    inject: {host: src, cpu: 1, bank: 7, status: 0xBD80000000000134, addr: 0x1000}\n"
    "expect:\n"                                                             /* 31 */
    "  domains:\n"                                                          /* 32 */
    "    - {id: 5, host: dst, state: running}\n"                            /* 33 */
    "    - {id: 5, host: 0, state: dying, reason: migrat}\n"                /* 34 */
    "    - {id: 0, host: dst}\n"                                            /* 35 */
    "  migration:\n"                                                        /* 36 */
    "    domain: 5\n"                                                       /* 37 */
    "    outcome: data_loss\n"                                              /* 38 */
    "    reason: lost\n"                                                    /* 39 */
    "    pages_lost: 1\n"                                                   /* 40 */
    "    needless_broken: 0\n"                                              /* 41 */
    "    broken_on_target: 2\n"                                             /* 42 */
    "    rechecks_min: 1\n"                                                 /* 43 */
    "    iterations_min: 3\n"                                               /* 44 */
    "    case: B.I\n"                                                       /* 45 */
    "sweep:\n"                                                              /* 46 */
    "  events.1.at: {from: 1ms, to: 2ms, step: 250us}\n"                    /* 47 */
    "  events.0.at: {from: 0s, to: 3s, step: 1.5s}\n"                       /* 48 */
    "  cpus: {from: 2, to: 8, step: 3}\n";                                  /* 49 */

/* Two hosts, a dom0 on each, an HVM guest on host a; migration cases
 * extend it from line 5 on. */
#define TWO "name: t\nplatform:\n  hosts: [{name: a}, {name: b}]\n"
#define TWO_DOMS TWO "domains: [{id: 0}, {id: 0, host: b}, {id: 3, type: hvm}]\n"
/* The migrate mapping's keys start at line 7, column 15. */
#define MIG(x) TWO_DOMS "events:\n  - at: 1ms\n    migrate: {" x "}\n"
/* A valid migration on line 6; expect: is line 7, its first key line 8. */
#define MIG_OK TWO_DOMS "events:\n  - {at: 1ms, migrate: {domain: 3, to: b}}\nexpect:\n"

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

static int load_setup(void **state, const char *yaml)
{
    struct scenario *s = calloc(1, sizeof(*s));
    struct scn_error e;
    if (!s)
        return -1;
    if (load(yaml, s, &e) != 0) {
        scn_error_print(&e, stderr);
        free(s);
        return -1;
    }
    *state = s;
    return 0;
}

static int full_setup(void **state) { return load_setup(state, full_yaml); }

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
    assert_int_equal(s->policy.handler_order, ORDER_LINUX);
    assert_int_equal(s->policy.xen_version, XEN_VER_4_17);
    assert_true(s->policy.xen_debug);
    assert_false(s->policy.boot_mce_off);
    assert_false(s->policy.boot_mce_fb);
    assert_true(s->policy.boot_mce_verbose);
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
    assert_loc(d0->loc, 33, 5);
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
    assert_loc(e->loc, 43, 5);
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
    assert_true(r[0].has_bank_keys); /* bank and rule: some bank must match them */
    assert_int_equal(r[0].bank.bank, 7);
    assert_string_equal(r[0].bank.rule, "srar-data");
    assert_int_equal(r[0].bank.cls, -1); /* class is the record's worst */
    assert_false(r[0].has_banks);
    assert_loc(r[0].loc, 72, 7);
    assert_int_equal(r[1].host, -1);
    assert_int_equal(r[1].cls, -1);
    assert_int_equal(r[1].source, -1);
    assert_false(r[1].has_bank_keys);
    assert_true(r[1].mcg_status == -1 && r[1].incomplete == -1);
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

/* ---- migration and sweep ranges ------------------------------------------ */

static int mig_setup(void **state) { return load_setup(state, mig_yaml); }

static void test_mig_link_policy_domains(void **state)
{
    const struct scenario *s = *state;
    assert_int_equal(s->link.bytes_per_s, 12500000);
    assert_int_equal(s->link.latency_ps, 200 * PS_US);
    assert_loc(s->link.loc, 8, 3);
    assert_int_equal(s->policy.mig_on_vmce, SCN_MIG_ABORT);
    assert_int_equal(s->policy.mig_caps, SCN_MIG_CAPS_REFUSE);
    assert_int_equal(s->policy.mig_restore_broken, SCN_MIG_SKIP_BROKEN);
    assert_int_equal(s->ndomains, 3);
    assert_int_equal(s->domains[0].id, 0);
    assert_int_equal(s->domains[0].host, 0);
    assert_int_equal(s->domains[1].id, 0); /* each host has its own dom0 */
    assert_int_equal(s->domains[1].host, 1);
    assert_int_equal(s->domains[1].type, SCN_DOM_DOM0);
    assert_int_equal(s->domains[2].type, SCN_DOM_HVM);
    assert_int_equal(s->domains[2].vmce.banks, 0); /* host */
    assert_true(s->domains[2].vmce.ser_p);
}

static void test_mig_event(void **state)
{
    const struct scenario *s = *state;
    assert_int_equal(s->nevents, 2);
    const struct scn_event *e = &s->events[0];
    assert_int_equal(e->kind, SCN_EV_MIGRATE);
    assert_int_equal(e->at_ps, PS_MS);
    assert_int_equal(e->repeat, 1);
    assert_loc(e->loc, 20, 5);
    const struct scn_migrate *m = &e->u.migrate;
    assert_int_equal(m->domain, 5);
    assert_int_equal(m->to, 1);
    assert_int_equal(m->max_iters, 5);
    assert_int_equal(m->batch, 64);
    assert_int_equal(m->dirty_threshold, 0);
    assert_true(m->recheck_types);
    assert_int_equal(m->copy, SCN_MIG_COPY_DMA);
    assert_int_equal(s->events[1].kind, SCN_EV_INJECT);
}

static void test_mig_expect(void **state)
{
    const struct scn_expect *x = &((const struct scenario *)*state)->expect;
    assert_int_equal(x->ndomains, 3);
    assert_int_equal(x->domains[0].host, 1);
    assert_int_equal(x->domains[0].state, 0);
    assert_int_equal(x->domains[1].host, 0);
    assert_int_equal(x->domains[1].state, 3);
    assert_string_equal(x->domains[1].reason, "migrat");
    assert_int_equal(x->domains[2].id, 0);
    assert_int_equal(x->domains[2].host, 1);
    const struct scn_expect_migration *m = &x->migration;
    assert_true(m->present);
    assert_loc(m->loc, 37, 5);
    assert_int_equal(m->domain, 5);
    assert_int_equal(m->outcome, SCN_MIGO_DATA_LOSS);
    assert_string_equal(m->reason, "lost");
    assert_int_equal(m->pages_lost, 1);
    assert_int_equal(m->needless_broken, 0);
    assert_int_equal(m->broken_on_target, 2);
    assert_int_equal(m->rechecks_min, 1);
    assert_int_equal(m->iterations_min, 3);
    assert_string_equal(m->mce_case, "B.I");
}

static void assert_values(const struct scn_sweep_param *sp, const char *key, const char *const *want,
                          unsigned n)
{
    assert_string_equal(sp->key, key);
    assert_int_equal(sp->nvalues, n);
    for (unsigned i = 0; i < n; i++)
        assert_string_equal(sp->values[i], want[i]);
}

/* Ranges expand into the text a list would hold: times in the largest
 * unit that divides from and step. */
static void test_mig_sweep_ranges(void **state)
{
    const struct scenario *s = *state;
    static const char *const at1[] = {"1000us", "1250us", "1500us", "1750us", "2000us"};
    static const char *const at0[] = {"0ms", "1500ms", "3000ms"};
    static const char *const cpus[] = {"2", "5", "8"};
    assert_int_equal(s->nsweep, 3);
    assert_values(&s->sweep[0], "events.1.at", at1, 5);
    assert_values(&s->sweep[1], "events.0.at", at0, 3);
    assert_values(&s->sweep[2], "cpus", cpus, 3);
    assert_loc(s->sweep[0].vlocs[4], 47, 16); /* the range */
    assert_int_equal(sweep_npoints(s), 45);
}

/* events.<i>.at moves a migrate event and an inject event alike. */
static void test_mig_sweep_point(void **state)
{
    struct scenario *s = *state;
    char params[256];
    struct scn_error e;
    /* last parameter fastest: 1250us (1), 1500ms (1), 8 (2) */
    assert_int_equal(sweep_apply_point(s, (1 * 3 + 1) * 3 + 2, params, sizeof(params), &e), 0);
    assert_string_equal(params, "events.1.at=1250us;events.0.at=1500ms;cpus=8");
    assert_int_equal(s->events[0].kind, SCN_EV_MIGRATE);
    assert_int_equal(s->events[0].at_ps, 1500 * PS_MS);
    assert_int_equal(s->events[1].at_ps, 1250 * PS_US);
    assert_int_equal(s->hosts[0].ncpus, 8);
    assert_int_equal(s->hosts[1].ncpus, 8);
}

static void test_sweep_range_kinds(void **state)
{
    (void)state;
    struct scenario s;
    struct scn_error e;
    const char *yaml = BASE "policy: {handler_order: linux}\n"
                            "sweep:\n"
                            "  duration: {from: 1min, to: 3min, step: 1min}\n"
                            "  rendezvous_timeout: {from: 1h, to: 2h, step: 30min}\n"
                            "  seed: {from: 0x10, to: 0x11, step: 1}\n"
                            "  telemetry.urgent: {from: 4, to: 4, step: 10}\n";
    if (load(yaml, &s, &e) != 0)
        scn_error_print(&e, stderr);
    static const char *const dur[] = {"1min", "2min", "3min"};
    static const char *const rdv[] = {"60min", "90min", "120min"};
    static const char *const seed[] = {"16", "17"};
    static const char *const urg[] = {"4"};
    assert_values(&s.sweep[0], "duration", dur, 3);
    assert_values(&s.sweep[1], "rendezvous_timeout", rdv, 3);
    assert_values(&s.sweep[2], "seed", seed, 2);
    assert_values(&s.sweep[3], "telemetry.urgent", urg, 1);
    scenario_free(&s);
    /* The pure parts: counts that would overflow saturate; values are exact. */
    char buf[SCN_NAME_LEN];
    assert_true(sweep_range_count(0, UINT64_MAX, 1) == ULLONG_MAX);
    assert_int_equal(sweep_range_count(1, 8, 3), 3);
    sweep_range_value(SWEEP_INT, 2, 3, 2, buf, sizeof(buf));
    assert_string_equal(buf, "8");
    sweep_range_value(SWEEP_TIME, 1, 2, 1, buf, sizeof(buf));
    assert_string_equal(buf, "3ps");
    assert_int_equal(sweep_param_kind("events.0.at"), SWEEP_TIME);
    assert_int_equal(sweep_param_kind("cost.msr_read"), SWEEP_INT);
    assert_int_equal(sweep_param_kind("cost_model"), SWEEP_TEXT);
}

/* Defaults: link, policy.migration, the migrate event, expect.migration. */
static void test_mig_defaults(void **state)
{
    (void)state;
    struct scenario s;
    struct scn_error e;
    /* a migration to host 1 names no CPU 1: sweeping one CPU is fine */
    assert_int_equal(load(MIG_OK "  migration: {}\nsweep: {cpus: [1]}\n", &s, &e), 0);
    assert_int_equal(s.link.bytes_per_s, 1250000000ull);
    assert_int_equal(s.link.latency_ps, 50 * PS_US);
    assert_int_equal(s.policy.mig_on_vmce, SCN_MIG_CONTINUE);
    assert_int_equal(s.policy.mig_caps, SCN_MIG_CAPS_XEN);
    assert_int_equal(s.policy.mig_restore_broken, SCN_MIG_MARK_BROKEN);
    assert_int_equal(s.domains[2].vmce.banks, 2);
    const struct scn_migrate *m = &s.events[0].u.migrate;
    assert_int_equal(m->domain, 3);
    assert_int_equal(m->to, 1);
    assert_int_equal(m->max_iters, 29);
    assert_int_equal(m->batch, 1024);
    assert_int_equal(m->dirty_threshold, 50);
    assert_false(m->recheck_types);
    assert_int_equal(m->copy, SCN_MIG_COPY_CPU);
    const struct scn_expect_migration *x = &s.expect.migration;
    assert_true(x->present);
    assert_int_equal(x->domain, -1);
    assert_int_equal(x->outcome, -1);
    assert_string_equal(x->reason, "");
    assert_true(x->pages_lost == -1 && x->needless_broken == -1 && x->broken_on_target == -1);
    assert_true(x->rechecks_min == -1 && x->iterations_min == -1);
    assert_string_equal(x->mce_case, "");
    scenario_free(&s);
    /* "" is the run's spelling of no MCE: it reads as none; outcome none alone */
    assert_int_equal(load(MIG_OK "  migration: {case: \"\"}\n", &s, &e), 0);
    assert_string_equal(s.expect.migration.mce_case, "none");
    scenario_free(&s);
    assert_int_equal(load(MIG_OK "  migration: {domain: 3, outcome: none}\n", &s, &e), 0);
    assert_int_equal(s.expect.migration.outcome, SCN_MIGO_NONE);
    scenario_free(&s);
    /* without the keys */
    assert_int_equal(load(BASE, &s, &e), 0);
    assert_false(s.expect.migration.present);
    assert_int_equal(s.expect.ndomains, 0);
    scenario_free(&s);
    assert_int_equal(load(BASE "domains: [{id: 0}, {id: 1}]\nexpect:\n  domains: [{id: 1}]\n", &s, &e), 0);
    assert_int_equal(s.expect.domains[0].host, -1);
    scenario_free(&s);
}

static void test_rates(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        enum scv_status st;
        uint64_t bytes;
    } cases[] = {
        {"10Gbit/s", SCV_OK, 1250000000ull},  {"100Mbit/s", SCV_OK, 12500000},
        {"1.25GB/s", SCV_OK, 1250000000ull},  {"500MB/s", SCV_OK, 500000000},
        {"1e9", SCV_OK, 1000000000},          {"1.5e3 kB/s", SCV_OK, 1500000},
        {"8bit/s", SCV_OK, 1},                {"1e-3kB/s", SCV_OK, 1},
        {"2E+1B/s", SCV_OK, 20},              {"1Tbit/s", SCV_OK, 125000000000ull},
        {"0", SCV_OK, 0},                     {"1bit/s", SCV_FRACTION, 0},
        {"1.5B/s", SCV_FRACTION, 0},          {"10Gbps", SCV_BAD_UNIT, 0},
        {"10 KB/s", SCV_BAD_UNIT, 0},         {"e9", SCV_SYNTAX, 0},
        {"1e", SCV_SYNTAX, 0},                {"1e1000", SCV_RANGE, 0},
        {"20000000000GB/s", SCV_RANGE, 0},    {"-1", SCV_NEGATIVE, 0},
        {"", SCV_EMPTY, 0},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t x = 0;
        enum scv_status st = scv_rate(cases[i].in, &x);
        if (st != cases[i].st || (st == SCV_OK && x != cases[i].bytes))
            fprintf(stderr, "rate '%s': status %d, %llu\n", cases[i].in, st, (unsigned long long)x);
        assert_int_equal(st, cases[i].st);
        if (st == SCV_OK)
            assert_int_equal(x, cases[i].bytes);
    }
    uint64_t u;
    assert_string_equal(scv_time_unit_of(0, 3600ull * 1000000000000ull, &u), "h");
    assert_int_equal(u, 3600ull * 1000000000000ull);
    assert_string_equal(scv_time_unit_of(PS_MS, 250 * PS_US, &u), "us");
    assert_string_equal(scv_time_unit_of(0, 1500 * PS_MS, &u), "ms");
    assert_string_equal(scv_time_unit_of(60000 * PS_MS, 120000 * PS_MS, &u), "min");
    assert_string_equal(scv_time_unit_of(1, 0, &u), "ps");
    assert_int_equal(u, 1);
}

static void test_mig_outcome_names(void **state)
{
    (void)state;
    static const char *const names[] = {"none", "running", "success", "aborted", "refused",
                                        "process_killed", "guest_crashed", "data_loss"};
    assert_int_equal(sizeof(names) / sizeof(names[0]), SCN_MIGO__COUNT);
    for (unsigned i = 0; i < SCN_MIGO__COUNT; i++) {
        assert_string_equal(scn_mig_outcome_name((enum scn_mig_outcome)i), names[i]);
        assert_int_equal(scn_mig_outcome_from_name(names[i]), i);
    }
    assert_string_equal(scn_mig_outcome_name(SCN_MIGO__COUNT), "unknown");
    assert_int_equal(scn_mig_outcome_from_name("succes"), SCN_MIGO__COUNT);
    assert_int_equal(scn_mig_outcome_from_name(NULL), SCN_MIGO__COUNT);
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
    assert_true(s.link.bytes_per_s == 1250000000ull && s.link.latency_ps == 50 * PS_US);
    assert_int_equal(s.policy.mig_on_vmce, SCN_MIG_CONTINUE);
    assert_false(s.expect.migration.present);
    scenario_free(&s);
}

/* A record's banks: list, matched exactly and in order. */
static void test_record_banks(void **state)
{
    (void)state;
    struct scenario s;
    struct scn_error e;
    const char *yaml =
        BASE "expect:\n  records:\n"
             "    - {cpu: 1, class: srao, mcg_status: 0x5, incomplete: false, banks: [\n"
             "        {bank: 2, class: corrected},\n"
             "        {bank: 7, rule: r, domain: 3, gaddr: 0x1000, action: vmce}]}\n";
    assert_int_equal(load(yaml, &s, &e), 0);
    const struct scn_expect_record *r = &s.expect.records[0];
    assert_int_equal(r->cpu, 1);
    assert_int_equal(r->cls, MCA_REC_SRAO);
    assert_true(r->mcg_status == 5);
    assert_int_equal(r->incomplete, 0);
    assert_false(r->has_bank_keys);
    assert_true(r->has_banks);
    assert_int_equal(r->nbanks, 2);
    assert_int_equal(r->banks[0].bank, 2);
    assert_int_equal(r->banks[0].cls, MCA_REC_CORRECTED);
    assert_true(r->banks[0].domain == -1 && r->banks[0].gaddr == -1 && r->banks[0].action == -1);
    assert_int_equal(r->banks[1].bank, 7);
    assert_string_equal(r->banks[1].rule, "r");
    assert_true(r->banks[1].domain == 3 && r->banks[1].gaddr == 0x1000);
    assert_int_equal(r->banks[1].action, MCA_ACT_VMCE);
    assert_loc(r->banks[1].loc, 9, 9);
    scenario_free(&s);
    /* a bank past the host's is refused inside banks: too */
    assert_int_equal(load(BASE "expect:\n  records: [{banks: [{bank: 10}]}]\n", &s, &e), -1);
    assert_non_null(strstr(e.msg, "bank"));
    assert_int_equal(load(BASE "expect:\n  records: [{banks: [{rule: x, cpu: 0}]}]\n", &s, &e), -1);
    assert_non_null(strstr(e.msg, "unknown key 'cpu'"));
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

/* Vendors, AMD's MCG_CAP default and the CMCI keys of a host. */
static void test_vendors_and_cmci_keys(void **state)
{
    (void)state;
    struct scenario s;
    struct scn_error e;
    const char *yaml = "name: t\nplatform:\n  hosts:\n"
                       "    - {name: a, cpu: \"hygon:0x18:0\"}\n"
                       "    - {name: b, cpu: \"amd:0x19:1\", mcg_cap: [ctl_p, ser_p]}\n"
                       "    - {name: c, cpu: \"zhaoxin:7:0x3b\", no_cmci_banks: [0, 3], cmci_max_threshold: 0x40}\n";
    assert_int_equal(load(yaml, &s, &e), 0);
    assert_int_equal(s.hosts[0].id.vendor, CPU_VENDOR_HYGON);
    assert_true(s.hosts[0].mcg_cap_flags == MCG_CTL_P); /* AMD-style default */
    assert_int_equal(s.hosts[0].cmci_max_threshold, 0x7FFF);
    assert_int_equal(s.hosts[0].no_cmci_banks, 0);
    assert_int_equal(s.hosts[1].id.vendor, CPU_VENDOR_AMD);
    assert_true(s.hosts[1].mcg_cap_flags == (MCG_CTL_P | MCG_SER_P)); /* given: kept */
    assert_int_equal(s.hosts[2].id.vendor, CPU_VENDOR_ZHAOXIN);
    assert_true(s.hosts[2].mcg_cap_flags == (MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P));
    assert_int_equal(s.hosts[2].no_cmci_banks, 0x9);
    assert_int_equal(s.hosts[2].cmci_max_threshold, 0x40);
    scenario_free(&s);
}

static void test_firmware_first_keys(void **state)
{
    (void)state;
    struct scenario s;
    struct scn_error e;
    const char *yaml = "name: t\nplatform:\n  hosts:\n"
                       "    - {name: a}\n"
                       "    - {name: b, cpus: 2, error_reporting: firmware-first,\n"
                       "       firmware: {state_info_size: 2048, record_size: 512, ghes: v2}}\n"
                       "domains: [{id: 0, fw_read_delay: 3ms}, {id: 0, host: b}]\n"
                       "events:\n"
                       "  - {at: 1ms, firmware_error: {host: b, cpu: 1, type: cpe, addr: 0x1000}}\n"
                       "  - {at: 2ms, firmware_error: {host: b, cpu: 0, type: ghes, severity: corrected}}\n"
                       "expect:\n  firmware: {logged: 2, lost: 0, masked: 0}\n";
    assert_int_equal(load(yaml, &s, &e), 0);
    assert_int_equal(s.hosts[0].reporting, SCN_REPORT_NATIVE);
    assert_int_equal(s.hosts[0].fw.state_info_size, 4096); /* defaults */
    assert_int_equal(s.hosts[0].fw.record_size, 1024);
    assert_int_equal(s.hosts[1].reporting, SCN_REPORT_FIRMWARE_FIRST);
    assert_int_equal(s.hosts[1].fw.state_info_size, 2048);
    assert_int_equal(s.hosts[1].fw.record_size, 512);
    assert_int_equal(s.hosts[1].fw.ghes_v2, 1);
    assert_int_equal(s.domains[0].fw_read_delay_ps, 3000000000ull);
    assert_int_equal(s.events[0].kind, SCN_EV_FW_ERROR);
    assert_int_equal(s.events[0].u.fw.host, 1);
    assert_int_equal(s.events[0].u.fw.cpu, 1);
    assert_int_equal(s.events[0].u.fw.type, FW_TYPE_CPE);
    assert_true(s.events[0].u.fw.has_addr);
    assert_int_equal(s.events[0].u.fw.addr, 0x1000);
    assert_int_equal(s.events[1].u.fw.type, FW_TYPE_GHES);
    assert_int_equal(s.events[1].u.fw.severity, 2);
    assert_false(s.events[1].u.fw.has_addr);
    assert_int_equal(s.expect.fw.logged, 2);
    assert_int_equal(s.expect.fw.lost, 0);
    assert_int_equal(s.expect.fw.masked, 0);
    assert_int_equal(s.expect.fw.delivered, -1);
    assert_false(scenario_checks_nothing(&s));
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

/* A run's duration: a year (8766 h = 31,557,600 s, beyond 2^64 ps) with
 * skip_quiet, 1000 h without. */
static void test_duration_year(void **state)
{
    (void)state;
    const rtime_t year = (rtime_t)31557600u * 1000000000000ull;
    rtime_t t;
    assert_int_equal(scv_duration("8766h", &t), SCV_OK);
    assert_true(t == year && t > (rtime_t)UINT64_MAX);
    assert_int_equal(scv_duration("31557600s", &t), SCV_OK); /* its mantissa times 10^12 passes 2^64 */
    assert_true(t == year);
    assert_int_equal(scv_duration("525960 min", &t), SCV_OK);
    assert_true(t == year);
    assert_int_equal(scv_duration("8766.000001h", &t), SCV_TOO_LONG); /* 3.6 ms past it */
    assert_int_equal(scv_duration("1000h", &t), SCV_OK);
    assert_true(t == SCV_TIME_MAX_PS);
    assert_int_equal(scv_duration("1.5us", &t), SCV_OK);
    assert_true(t == 1500000);
    /* a mantissa beyond 64 bits is too long however it is written */
    assert_int_equal(scv_duration("31557600000000000000ps", &t), SCV_TOO_LONG);

    struct scenario s;
    struct scn_error e;
    assert_int_equal(load(BASE "duration: 8766h\nskip_quiet: true\n", &s, &e), 0);
    assert_true(s.duration_ps == year && s.skip_quiet);
    scenario_free(&s);
    assert_int_equal(load(BASE "skip_quiet: true\nduration: 1001h\n", &s, &e), 0);
    assert_true(s.duration_ps == (rtime_t)1001u * 3600u * 1000000000000ull);
    scenario_free(&s);
    assert_int_equal(load(BASE "duration: 1000h\n", &s, &e), 0); /* the bound of before, alone */
    assert_true(s.duration_ps == SCV_TIME_MAX_PS);
    scenario_free(&s);
    /* field_rates.span may be the year */
    assert_int_equal(load(BASE "      dram:\n        field_rates: {span: 8766h}\nduration: 8766h\nskip_quiet: true\n", &s,
                          &e),
                     0);
    assert_true(s.hosts[0].dram.fr_span_ps == year);
    scenario_free(&s);
}

/* The value syntax on its own (sim/scenario/scenario_values.h). */
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
    /* the longest time is 1000 h; beyond it, and beyond 64 bits, a time is too long */
    assert_int_equal(scv_time("3600000000000000000ps", &x), SCV_OK);
    assert_true(x == SCV_TIME_MAX_PS);
    assert_int_equal(scv_time("3600000000000000001ps", &x), SCV_TOO_LONG);
    assert_int_equal(scv_time("18446744073709551614ps", &x), SCV_TOO_LONG);
    assert_int_equal(scv_time("18446744073709551616ps", &x), SCV_TOO_LONG);
    assert_int_equal(scv_time("18446745s", &x), SCV_TOO_LONG);
    assert_int_equal(scv_time("0.0001ns", &x), SCV_FRACTION);
    /* minutes and hours: 1 min = 60 s, 1 h = 3600 s; times end at 1000 h */
    assert_int_equal(scv_time("24h", &x), SCV_OK);
    assert_int_equal(x, 86400ull * 1000000000000ull);
    assert_int_equal(scv_time("1.5 min", &x), SCV_OK);
    assert_int_equal(x, 90ull * 1000000000000ull);
    assert_int_equal(scv_time("1000h", &x), SCV_OK);
    assert_int_equal(scv_time("60000min", &x), SCV_OK);
    assert_int_equal(scv_time("1000.000001h", &x), SCV_TOO_LONG);
    assert_int_equal(scv_time("5124h", &x), SCV_TOO_LONG);
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
    assert_int_equal(e.line, 86);
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
#define FF BASE "      error_reporting: firmware-first\n"
#define STATUS_OK "      status: 0x8000000000000000\n"
#define HVA(x) BASE "domains: [{id: 0}, {id: 1, type: hvm}]\nevents:\n  - {at: 1ms, hv_access: " x "}\n"

/* dram.field_rates of host 0 on line 6; its keys start at column 23. */
#define FRATES(x) BASE "      dram:\n        field_rates: {span: 1s, " x "}\n"

#define FRSPAN(span, rest) BASE "      dram:\n        field_rates: {span: " span "}\n" rest

static const struct bad bad_cases[] = {
    /* dram.field_rates: a span past 1000 h only up to a year's duration */
    {"span past 1000h, a short run", FRSPAN("1001h", ""), 6, 29,
     "field_rates.span is longer than 1000h and than the duration", "at most 1000h or the run's duration"},
    {"span past the year's duration", FRSPAN("8766h", "duration: 8000h\nskip_quiet: true\n"), 6, 29,
     "field_rates.span is longer than 1000h and than the duration", NULL},
    {"span past a year", FRSPAN("8767h", "duration: 8766h\nskip_quiet: true\n"), 6, 29,
     "'span': '8767h' is longer than mcasim simulates", "8766h"},
    /* dram.field_rates: the FIT table */
    {"fit unknown mode", FRATES("fit: {single-bitt: {permanent: 1}}"), 6, 39, "unknown key 'single-bitt' in fit",
     "did you mean 'single-bit'?"},
    {"fit negative", FRATES("fit: {single-bit: {permanent: -1}}"), 6, 63, "FIT '-1' is negative", "0 or more"},
    {"fit not a number", FRATES("fit: {single-row: {transient: lots}}"), 6, 63, "FIT 'lots' is not a number",
     "14.2"},
    {"fit too large", FRATES("fit: {multi-rank: {transient: 2e9}}"), 6, 63, "FIT '2e9' is too large",
     "field_rates.scale"},
    {"fit infinite", FRATES("fit: {multi-rank: {transient: .inf}}"), 6, 63, "is not a number", NULL},
    {"fit pair key", FRATES("fit: {single-bit: {permanant: 1}}"), 6, 52, "unknown key 'permanant' in fit.single-bit",
     "did you mean 'permanent'?"},
    {"fit pair not a mapping", FRATES("fit: {single-bit: 3}"), 6, 51, "'fit.single-bit' must be a mapping", NULL},
    {"fit empty", FRATES("fit: {}"), 6, 38, "'fit' names no fault mode", "modes left out have 0 FIT"},
    {"fit twice", FRATES("fit: {single-bit: {permanent: 1}, single-bit: {transient: 1}}"), 6, 67,
     "duplicate key 'single-bit' in fit", NULL},
    {"table unknown", FRATES("table: jaguars"), 6, 40, "'table': unknown value 'jaguars'", "did you mean 'jaguar'?"},
    {"table and fit", FRATES("table: jaguar, fit: {single-bit: {permanent: 1}}"), 6, 48, "'fit'", "table"},
    {"fit_file missing", FRATES("fit_file: no-such-table.csv"), 6, 43, "no-such-table.csv: cannot open",
     "relative to the folder"},
    {"fit_file a folder", FRATES("fit_file: /"), 6, 43, "is not a regular file", NULL},
    {"too many faults", FRATES("scale: 1000000000000, fit: {single-bit: {permanent: 1e9}}"), 6, 22,
     "faults expected over the span on", "lower scale"},
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
    {"gaddr without a domain", BASE "      memory:\n        - {start: 0, size: 4KiB, owner: free, gaddr: 0}\n", 6, 47,
     "'gaddr' is only allowed with owner: domain", "remove 'gaddr'"},
    {"guest addresses overlap",
     BASE "      memory:\n        - {start: 0, size: 8KiB, owner: domain, domain: 0}\n"
          "        - {start: 64KiB, size: 4KiB, owner: domain, domain: 0, gaddr: 4KiB}\n",
     7, 11, "domain 0's guest addresses [0x1000, 0x2000) overlap those of its region at line 6", "gaddr"},
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
    {"duplicate domain id", BASE "domains:\n  - {id: 0}\n  - {id: 2}\n  - {id: 2}\n", 8, 10,
     "domain id 2 is already used (line 7)", "only dom0"},
    {"two dom0 on a host", BASE "domains:\n  - {id: 0}\n  - {id: 0}\n", 7, 10,
     "host 'host0' already has a dom0 (line 6)", "one dom0 per host"},
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
    {"core_banks without SMT", BASE "      core_banks: [2]\n", 5, 19, "'core_banks' needs cores of more than one thread",
     "threads_per_core: 2"},
    {"core and shared bank", BASE "      threads_per_core: 2\n      shared_banks: [2]\n      core_banks: [2]\n", 7, 19,
     "'core_banks' and 'shared_banks' name the same bank", "either the package's"},
    {"cpus not whole cores", BASE "      threads_per_core: 3\n", 5, 25, "2 CPUs are not whole cores of 3 threads",
     "multiple of threads_per_core"},
    {"vcpu_offline of a missing domain", BASE "events:\n  - {at: 0s, vcpu_offline: {domain: 3, vcpu: 0}}\n", 6, 37,
     "no domain 3", "add it under 'domains:'"},
    {"cpu_offline beyond the host", BASE "events:\n  - {at: 0s, cpu_offline: {cpu: 2}}\n", 6, 33,
     "'cpu' is 2, but host 'host0' has 2 CPUs", "numbered 0..1"},
    {"cpu_online without cpu", BASE "events:\n  - {at: 0s, cpu_online: {host: 0}}\n", 6, 26,
     "missing required key 'cpu' in cpu_online", "add 'cpu: ...'"},
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
    {"vendor list", "name: t\nplatform:\n  hosts:\n    - cpu: \"via:6:15\"\n", 4, 12, "unknown vendor 'via'",
     "intel, amd, hygon, centaur, zhaoxin"},
    {"no_cmci_banks past the banks", "name: t\nplatform:\n  hosts:\n    - {banks: 4, no_cmci_banks: [1, 4]}\n", 4,
     37, "no_cmci_banks: bank 4 does not exist (the host has 4 banks)", NULL},
    {"cmci_max_threshold 0", "name: t\nplatform:\n  hosts:\n    - cmci_max_threshold: 0\n", 4, 27,
     "out of range 1..32767", NULL},
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
    {"timeout under the xen order", BASE "policy: {rendezvous_timeout: 1s}\n", 5, 30,
     "Xen's barriers have no timeout", "handler_order: linux"},
    {"bad handler order", BASE "policy: {handler_order: linus}\n", 5, 25, "unknown value 'linus'",
     "did you mean 'linux'?"},
    {"bad xen version", BASE "policy: {xen_version: \"4.19\"}\n", 5, 23, "unknown value '4.19'", "4.20"},
    {"bad boot option value", BASE "policy: {boot: {mce: 0}}\n", 5, 22, "unknown value '0'", "off"},
    {"unknown boot option", BASE "policy: {boot: {mce_verbose: on}}\n", 5, 17, "unknown key 'mce_verbose'",
     "mce_verbosity"},
    {"telemetry out of range", BASE "policy: {telemetry: {urgent: 0}}\n", 5, 30, "out of range 1..4096",
     NULL},
    {"empty text pattern", BASE "expect:\n  console: [\"\"]\n", 6, 13, "empty pattern", NULL},
    {"negative expected count", BASE "expect:\n  telemetry: {lost: -1}\n", 6, 21, "must not be negative",
     NULL},
    {"key that is not a name", BASE "[a]: 1\n", 5, 1, "is not a name", NULL},
    /* link: */
    {"bandwidth unit", BASE "link: {bandwidth: 10Gbps}\n", 5, 19, "'bandwidth': '10Gbps' has an unknown unit",
     "Gbit/s"},
    {"bandwidth 0", BASE "link: {bandwidth: 0}\n", 5, 19, "'bandwidth' must be greater than 0", "10Gbit/s"},
    {"bandwidth not whole bytes", BASE "link: {bandwidth: 1bit/s}\n", 5, 19,
     "is not a whole number of bytes per second", "multiple of 8"},
    {"bandwidth not a number", BASE "link: {bandwidth: fast}\n", 5, 19, "'fast' is not a rate", "10Gbit/s"},
    {"latency without unit", BASE "link: {latency: 50}\n", 5, 17, "'latency': '50' has no unit", NULL},
    {"link unknown key", BASE "link: {bandwith: 1GB/s}\n", 5, 8, "unknown key 'bandwith' in link",
     "did you mean 'bandwidth'?"},
    {"link not a mapping", BASE "link: 10Gbit/s\n", 5, 7, "'link' must be a mapping", NULL},
    /* policy.migration: */
    {"on_vmce value", BASE "policy:\n  migration: {on_vmce: stop}\n", 6, 24, "unknown value 'stop'",
     "continue, abort"},
    {"mcg_cap value", BASE "policy:\n  migration: {mcg_cap: levels}\n", 6, 24, "unknown value 'levels'",
     "did you mean 'level'?"},
    {"restore_broken value", BASE "policy:\n  migration: {restore_broken: drop}\n", 6, 31,
     "unknown value 'drop'", "mark, skip"},
    {"policy.migration key", BASE "policy:\n  migration: {on_vmc: abort}\n", 6, 15,
     "unknown key 'on_vmc' in policy.migration", "did you mean 'on_vmce'?"},
    /* vmce.banks: host */
    {"vmce banks word", BASE "domains:\n  - {id: 0, vmce: {banks: hosts}}\n", 6, 27,
     "'banks' must be 1..32 or host, got 'hosts'", "or host"},
    {"vmce banks 0", BASE "domains:\n  - {id: 0, vmce: {banks: 0}}\n", 6, 27, "'banks' must be 1..32 or host",
     NULL},
    {"vmce banks 33", BASE "domains:\n  - {id: 0, vmce: {banks: 33}}\n", 6, 27, "got '33'", NULL},
    /* ce_offline.domu: dom0 moves a DomU on a CE trend (Egger's case II) */
    {"ce domu without to", TWO
     "policy: {decider: seed000}\n"
     "domains: [{id: 0, ce_offline: {domu: migrate}}, {id: 0, host: b}, {id: 3, type: hvm}]\n",
     5, 38, "ce_offline.domu: migrate needs 'to'", "to: HOST"},
    {"ce to without domu", TWO
     "policy: {decider: seed000}\n"
     "domains: [{id: 0, ce_offline: {to: b}}, {id: 0, host: b}, {id: 3, type: hvm}]\n",
     5, 32, "nothing moves with domu: offline", NULL},
    {"ce move without seed000", TWO
     "domains: [{id: 0, ce_offline: {domu: migrate, to: b}}, {id: 0, host: b}, {id: 3, type: hvm}]\n",
     4, 11, "a seed000 decision", "decider: seed000"},
    {"ce move to own host", TWO
     "policy: {decider: seed000}\n"
     "domains: [{id: 0, ce_offline: {domu: migrate, to: a}}, {id: 0, host: b}, {id: 3, type: hvm}]\n",
     5, 11, "is dom0's own host 'a'", "another host"},
    {"ce move target without dom0", TWO
     "policy: {decider: seed000}\n"
     "domains: [{id: 0, ce_offline: {domu: save-restore, to: b}}, {id: 3, type: hvm}]\n",
     5, 11, "host 'b' has no dom0 to receive",
     "{id: 0, host: b}"},
    {"spare without seed000", BASE
     "domains: [{id: 0, ce_offline: {dimm_action: spare}}]\n",
     5, 11, "a seed000 decision", "decider: seed000"},
    {"spare rate without spare rank", BASE
     "      dram: {spare_copy_rate: 1GB/s}\n",
     5, 14, "spare_copy_rate without a spare rank",
     "spare_rank: true"},
    /* the migrate event */
    {"migrate without domain", MIG("to: b"), 7, 14, "missing required key 'domain' in migrate", NULL},
    {"migrate without to", MIG("domain: 3"), 7, 14, "missing required key 'to' in migrate", NULL},
    {"migrate dom0", MIG("domain: 0, to: b"), 7, 23, "dom0 cannot be migrated", "pv or hvm"},
    {"migrate unknown domain", MIG("domain: 9, to: b"), 7, 23, "no domain 9", "domains:"},
    {"migrate to its own host", MIG("domain: 3, to: a"), 7, 30, "'to': domain 3 already runs on host 'a'",
     "another host"},
    {"migrate to unknown host", MIG("domain: 3, to: c"), 7, 30, "no host named 'c'", NULL},
    {"migrate to host index", MIG("domain: 3, to: 2"), 7, 30, "host 2 does not exist", "0..1"},
    {"migrate target without dom0", TWO "domains: [{id: 0}, {id: 3}]\nevents:\n  - at: 1ms\n"
                                    "    migrate: {domain: 3, to: b}\n",
     7, 30, "host 'b' has no dom0 to receive domain 3", "{id: 0, host: b}"},
    {"migrate source without dom0", TWO "domains: [{id: 0, host: b}, {id: 3}]\nevents:\n  - at: 1ms\n"
                                    "    migrate: {domain: 3, to: b}\n",
     7, 23, "host 'a' has no dom0 to send domain 3", "{id: 0, host: a}"},
    {"max_iters 0", MIG("domain: 3, to: b, max_iters: 0"), 7, 44, "out of range 1..1000", NULL},
    {"batch too big", MIG("domain: 3, to: b, batch: 2048"), 7, 40, "out of range 1..1024", NULL},
    {"copy value", MIG("domain: 3, to: b, copy: gpu"), 7, 39, "unknown value 'gpu'", "cpu, dma"},
    {"recheck_types yes", MIG("domain: 3, to: b, recheck_types: yes"), 7, 48, "must be true or false", NULL},
    {"dirty_threshold negative", MIG("domain: 3, to: b, dirty_threshold: -1"), 7, 50, "must not be negative",
     NULL},
    {"migrate unknown key", MIG("domain: 3, to: b, max_iter: 3"), 7, 33, "unknown key 'max_iter' in migrate",
     "did you mean 'max_iters'?"},
    {"migrate repeat", TWO_DOMS "events:\n  - at: 1ms\n    repeat: 2\n    every: 1ms\n"
                       "    migrate: {domain: 3, to: b}\n",
     7, 5, "'repeat' is not allowed on a migrate event", "one migrate event per migration"},
    {"migrate every", TWO_DOMS "events:\n  - {at: 1ms, every: 1ms, migrate: {domain: 3, to: b}}\n", 6, 15,
     "'every' is not allowed on a migrate event", NULL},
    {"migrate twice", TWO_DOMS "events:\n  - {at: 1ms, migrate: {domain: 3, to: b}}\n"
                      "  - {at: 2ms, migrate: {domain: 3, to: b}}\n",
     7, 33, "domain 3 is already migrated by the event at line 6", "one migration"},
    {"migrate and inject",
     TWO_DOMS "events:\n  - {at: 1ms, migrate: {domain: 3, to: b}, inject: {cpu: 0}}\n", 6, 44,
     "'inject' and 'migrate' cannot both be given", NULL},
    /* expect.migration */
    {"expect.migration without migrate", TWO_DOMS "expect:\n  migration: {outcome: success}\n", 6, 14,
     "expect.migration without a migrate event", "migrate: {domain: ID, to: HOST}"},
    {"expect.migration outcome", MIG_OK "  migration: {outcome: succes}\n", 8, 24, "unknown value 'succes'",
     "did you mean 'success'?"},
    {"expect.migration case", MIG_OK "  migration: {case: B.III}\n", 8, 21, "unknown value 'B.III'",
     "did you mean 'B.II'?"},
    {"expect.migration domain", MIG_OK "  migration: {domain: 0}\n", 8, 23, "no migrate event moves domain 0",
     NULL},
    {"expect.migration none and counts", MIG_OK "  migration: {outcome: none, pages_lost: 0}\n", 8, 30,
     "'pages_lost' cannot be checked with outcome none", "remove it"},
    {"expect.migration negative", MIG_OK "  migration: {pages_lost: -1}\n", 8, 27, "must not be negative",
     NULL},
    {"expect.migration key", MIG_OK "  migration: {rechecks_mn: 1}\n", 8, 15,
     "unknown key 'rechecks_mn' in expect.migration", "did you mean 'rechecks_min'?"},
    /* expect.domains host */
    {"expect domain on another host", TWO_DOMS "expect:\n  domains: [{id: 3, host: b}]\n", 6, 27,
     "domain 3 never runs on host 'b'", "migrated to"},
    {"expect domain unknown host", TWO_DOMS "expect:\n  domains: [{id: 3, host: c}]\n", 6, 27,
     "no host named 'c'", NULL},
    /* sweep ranges */
    {"range step 0", BASE "sweep:\n  cpus: {from: 1, to: 2, step: 0}\n", 6, 32,
     "sweep cpus: 'step' must be greater than 0", NULL},
    {"range time step 0", BASE "sweep:\n  duration: {from: 1ms, to: 2ms, step: 0s}\n", 6, 40,
     "sweep duration: 'step' must be greater than 0", NULL},
    {"range reversed", BASE "sweep:\n  cpus: {from: 2, to: 1, step: 1}\n", 6, 23,
     "sweep cpus: 'to' is below 'from'", NULL},
    {"range too long", BASE "sweep:\n  seed: {from: 0, to: 10000, step: 1}\n", 6, 36,
     "sweep seed: the range has 10001 values, at most 10000", "larger step"},
    {"range missing step", BASE "sweep:\n  cpus: {from: 1, to: 2}\n", 6, 9,
     "missing required key 'step' in sweep cpus", NULL},
    {"range unknown key", BASE "sweep:\n  cpus: {from: 1, to: 2, stp: 1}\n", 6, 26,
     "unknown key 'stp' in sweep cpus", "did you mean 'step'?"},
    {"range time without unit", BASE "sweep:\n  duration: {from: 1, to: 2s, step: 1s}\n", 6, 20,
     "'from': '1' has no unit", NULL},
    {"range of names", BASE "sweep:\n  cost_model: {from: 1, to: 2, step: 1}\n", 6, 15,
     "sweep cost_model: a range needs numbers or times", "list"},
    {"range value refused at to", BASE "sweep:\n  cpus: {from: 1, to: 400, step: 100}\n", 6, 23,
     "sweep cpus: '301' is not a valid value here (value 4 of the range)", "1 to 256"},
    {"range value refused at from",
     BASE "events:\n  - {at: 0s, stall: {cpu: 1}}\nsweep:\n  cpus: {from: 1, to: 2, step: 1}\n", 8, 16,
     "sweep cpus: cpus 1 is too few", NULL},
    {"range event index", BASE "sweep:\n  events.3.at: {from: 0s, to: 1ms, step: 1ms}\n", 6, 23,
     "no event '3.at' to move", NULL},
    {"sweep timeout under the xen order", BASE "sweep:\n  rendezvous_timeout: [none, 1s]\n", 6, 30,
     "Xen's barriers have no timeout", "handler_order: linux"},
    {"sweep scalar", BASE "sweep:\n  cpus: 4\n", 6, 9, "sweep cpus: values must be a list or a range",
     "{from: 1, to: 64, step: 1}"},
    /* symbolic status values */
    {"status bit name", INJ("      cpu: 0\n      bank: 1\n      status: [val, ucc]\n"), 10, 21,
     "'status': unknown bit name 'ucc'", "did you mean 'uc'?"},
    {"mcg bit in status", INJ("      cpu: 0\n      bank: 1\n      status: [val, eipv]\n"), 10, 21,
     "'status': 'eipv' is not a bit of MCi_STATUS", "give it in 'mcg_status'"},
    {"mcacod too wide", INJ("      cpu: 0\n      bank: 1\n      status: [val, mcacod: 0x10000]\n"), 10, 29,
     "'mcacod' is 0x10000, out of range 0..65535", NULL},
    {"status list without val", INJ("      cpu: 0\n      bank: 1\n      status: [uc, en]\n"), 10, 15,
     "'status' 0x3000000000000000 has no VAL bit", "[val, ...]"},
    {"code in mcg_status", INJ("      cpu: 0\n      bank: 1\n      status: [val]\n      mcg_status: [mcacod: 1]\n"), 11,
     20, "a mapping is not a bit of MCG_STATUS", NULL},
    /* hv_access: the path, who reads, whose memory */
    {"hv_access unknown path", HVA("{domain: 1, gaddr: 0, path: memcpy}"), 7, 54, "unknown", "copy_from_guest"},
    {"hv_access kexec_load of a guest", HVA("{domain: 1, gaddr: 0, path: kexec_load}"), 7, 35,
     "kexec_load reads dom0's memory, not domain 1's", "domain: 0"},
    {"hv_access grant_map by a guest", HVA("{domain: 1, gaddr: 0, path: grant_map, by: 1}"), 7, 69,
     "grant_map by domain 1", "by: 0"},
    {"hv_access by an unknown domain", HVA("{domain: 1, gaddr: 0, path: grant_copy, by: 7}"), 7, 70,
     "no domain 7", "domains:"},
    {"hv_access vcpu past the caller's", HVA("{domain: 1, gaddr: 0, path: emulation, vcpu: 1}"), 7, 71,
     "domain 1 has 1 vCPU(s)", NULL},
    {"hv_access without path", HVA("{domain: 1, gaddr: 0}"), 7, 26, "'path'", NULL},
    {"expect.calls unknown rc", BASE "expect:\n  calls: [{call: hv_access, rc: GNTST_eagain}]\n", 6, 33,
     "'GNTST_eagain' is not 0 or an errno name", "GNTST_bad_page"},
    {"raz_msrs twice", BASE "policy:\n  raz_msrs: [MCG_EXT_CTL, 0x4D0]\n", 6, 27, "MSR 0x4d0 is listed twice",
     "once"},
    {"raz_msrs unknown name", BASE "policy:\n  raz_msrs: [MCG_FOO]\n", 6, 14, "unknown MSR 'MCG_FOO'", NULL},
    {"raz_msrs not a list", BASE "policy:\n  raz_msrs: 0x4D0\n", 6, 13, "raz_msrs", NULL},
    {"raz_msrs too many",
     BASE "policy:\n  raz_msrs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]\n", 6, 69,
     "'raz_msrs' lists more than 16 MSRs", NULL},
    {"msr_relaxed not a boolean", BASE "domains: [{id: 0, msr_relaxed: 1}]\n", 5, 32, "msr_relaxed", "true"},
    {"save_to without save", BASE "domains: [{id: 0, save_to: 0}]\n", 5, 19,
     "'save_to' is where dom0's 'save' answer restores the DomU", "dom0_action: save"},
    {"save_to on a DomU", BASE "domains: [{id: 0}, {id: 1, save_to: 0}]\n", 5, 28, "'save_to' is only allowed on dom0",
     NULL},
    {"saved_by with banks", BASE "domains: [{id: 0}, {id: 1, type: hvm, vmce: {saved_by: \"4.2\", banks: 2}}]\n", 5,
     63, "'banks' cannot be given with 'saved_by: \"4.2\"'", "host's count"},
    {"saved_by unknown release", BASE "domains: [{id: 0}, {id: 1, type: hvm, vmce: {saved_by: \"4.1\"}}]\n", 5,
     56, "unknown value '4.1'", "4.20, 4.2"},
    {"guest_mca_ctl unknown", BASE "policy:\n  guest_mca_ctl: poll\n", 6, 18, "unknown value 'poll'", "inject, honour"},
    {"hv_touch unknown", BASE "policy:\n  hv_touch: skip\n", 6, 13, "unknown value 'skip'", "xen, avoid"},
    /* firmware-first reporting */
    {"firmware on a native host", BASE "      firmware: {record_size: 512}\n", 5, 7,
     "'firmware' describes the record log of a firmware-first host", "error_reporting: firmware-first"},
    {"firmware record larger than the log", FF "      firmware: {state_info_size: 1024, record_size: 2048}\n", 6, 17,
     "record_size 2048 is larger than state_info_size 1024", "multiple of record_size"},
    {"firmware log too long", FF "      firmware: {state_info_size: 4096, record_size: 1}\n", 6, 17,
     "the log holds 4096 records per CPU and type", "at most 1024"},
    {"firmware ghes version", FF "      firmware: {ghes: v3}\n", 6, 24, "unknown value 'v3'", NULL},
    {"error_reporting misspelt", BASE "      error_reporting: firmware-frist\n", 5, 24,
     "unknown value 'firmware-frist'", "did you mean 'firmware-first'?"},
    {"firmware_error on a native host", BASE "events:\n  - {at: 1ms, firmware_error: {cpu: 1, type: cmc}}\n", 6, 31,
     "firmware_error: host 'host0' reports errors natively", "error_reporting: firmware-first"},
    {"firmware_error without type", FF "events:\n  - {at: 1ms, firmware_error: {cpu: 1}}\n", 7, 31,
     "missing required key 'type'", NULL},
    {"firmware_error cpu out of range", FF "events:\n  - {at: 1ms, firmware_error: {cpu: 2, type: cpe}}\n", 7, 37,
     "'cpu' is 2, but host 'host0' has 2 CPUs", NULL},
    {"severity on a CMC", FF "events:\n  - {at: 1ms, firmware_error: {cpu: 1, type: cmc, severity: fatal}}\n", 7, 51,
     "'severity' is a GHES record's", "remove 'severity'"},
    {"fw_read_delay on a DomU", BASE "domains: [{id: 0}, {id: 1, type: hvm, fw_read_delay: 1ms}]\n", 5, 39,
     "'fw_read_delay' is only allowed on dom0", NULL},
    /* bounded whatever the input: times, occurrences, nesting */
    {"duration near 2^64 ps", BASE "duration: 18446744073709551614ps\n", 5, 11,
     "'duration' is longer than 1000h without skip_quiet", "skip_quiet: true"},
    {"duration past 1000h without skip_quiet", BASE "duration: 1000.001h\nskip_quiet: false\n", 5, 11,
     "'duration' is longer than 1000h without skip_quiet", "or make it at most 1000h"},
    {"duration past a year", BASE "duration: 8766.5h\nskip_quiet: true\n", 5, 11,
     "'duration': '8766.5h' is longer than mcasim simulates", "8766h (a year), with skip_quiet: true"},
    {"duration a year in seconds past it", BASE "skip_quiet: true\nduration: 31557601s\n", 6, 11,
     "'duration': '31557601s' is longer than mcasim simulates", "8766h"},
    {"stall beyond 1000h", BASE "events:\n  - {at: 0s, stall: {cpu: 0, for: 1001h}}\n", 6, 35,
     "'for': '1001h' is longer than mcasim simulates", NULL},
    {"last repeat beyond 1000h",
     BASE "events:\n  - {at: 1h, repeat: 1001, every: 1h, cr4_mce: {cpu: 0, value: true}}\n", 6, 35,
     "the last repeat would be later than mcasim simulates", "1000h"},
    {"too many occurrences",
     BASE "events:\n  - {at: 0s, repeat: 600000, every: 1ns, cr4_mce: {cpu: 0, value: true}}\n"
          "  - {at: 0s, repeat: 400000, every: 1ns, cr4_mce: {cpu: 0, value: true}}\n"
          "  - {at: 0s, repeat: 2, every: 1ns, cr4_mce: {cpu: 0, value: true}}\n", 8, 5,
     "the events occur 1000002 times within 'duration', more than the 1000000", "fewer repeats"},
    {"sweep duration to too many occurrences",
     BASE "duration: 1ms\nevents:\n  - {at: 0s, repeat: 1000000, every: 1us, cr4_mce: {cpu: 0, value: true}}\n"
          "  - {at: 0s, repeat: 1000000, every: 1us, cr4_mce: {cpu: 0, value: true}}\nsweep:\n  duration: [1ms, 2s]\n",
     10, 19, "with duration 2s the events occur more than 1000000 times", "shorter"},
    {"sweep event past 1000h",
     BASE "events:\n  - {at: 0s, repeat: 10, every: 1h, cr4_mce: {cpu: 0, value: true}}\n"
          "sweep:\n  events.0.at: [1s, 995h]\n", 8, 21, "at 995h the event's last repeat would be later", NULL},
    {"nesting too deep", BASE "description: " "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
     5, 77, "mappings and sequences nested more than 64 deep", "runaway"},
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

/* ---- every error of a file ---------------------------------------------------- */

static const char multi_yaml[] =
    "name: multi\n"                                                 /*  1 */
    "duration: 10\n"                                                /*  2 */
    "platform:\n"                                                   /*  3 */
    "  hosts:\n"                                                    /*  4 */
    "    - cpus: 2\n"                                               /*  5 */
    "      bnks: 4\n"                                               /*  6 */
    "events:\n"                                                     /*  7 */
    "  - at: 1ms\n"                                                 /*  8 */
    "    inject: {cpu: 5, bank: 1, status: 0x9000000000000000}\n"  /*  9 */
    "  - at: 2ms\n"                                                 /* 10 */
    "    inject: {cpu: 0, bank: 1, status: 0x1}\n"                  /* 11 */
    "  - at: 3xs\n"                                                 /* 12 */
    "    cr4_mce: {cpu: 0, value: maybe}\n"                         /* 13 */
    "expect:\n"                                                     /* 14 */
    "  host: {outcome: exploded}\n";                                /* 15 */

static void test_every_error(void **state)
{
    (void)state;
    char path[] = "/tmp/test_scenario_multi_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_true(write(fd, multi_yaml, sizeof(multi_yaml) - 1) == (ssize_t)(sizeof(multi_yaml) - 1));
    close(fd);
    struct scenario s;
    struct scn_errors errs = {0};
    assert_int_equal(scenario_load_all(path, &s, &errs), -1);
    static const unsigned want[][2] = {{2, 11}, {6, 7}, {9, 19}, {11, 39}, {12, 9}, {13, 30}, {15, 19}};
    assert_int_equal(errs.n, 7);
    for (unsigned i = 0; i < 7; i++) {
        assert_int_equal(errs.v[i].line, want[i][0]);
        assert_int_equal(errs.v[i].col, want[i][1]);
        assert_string_equal(errs.v[i].file, path);
    }
    assert_non_null(strstr(errs.v[2].msg, "'cpu' is 5, but host 'host0' has 2 CPUs"));
    assert_null(s.hosts);
    scn_errors_free(&errs);
    /* stopping at the first error is what scenario_load still does */
    struct scn_error e;
    assert_int_equal(scenario_load(path, &s, &e), -1);
    assert_int_equal(e.line, 2);
    unlink(path);
}

/* A wrong CPU count is reported once, not again at every event using it. */
static void test_no_cascade(void **state)
{
    (void)state;
    char path[] = "/tmp/test_scenario_cascade_XXXXXX";
    static const char yaml[] = BASE "      banks: 99\nevents:\n  - {at: 0s, inject: {cpu: 0, bank: 12, status: 0x9000000000000000}}\n";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_true(write(fd, yaml, sizeof(yaml) - 1) == (ssize_t)(sizeof(yaml) - 1));
    close(fd);
    struct scenario s;
    struct scn_errors errs = {0};
    assert_int_equal(scenario_load_all(path, &s, &errs), -1);
    assert_int_equal(errs.n, 1);
    assert_int_equal(errs.v[0].line, 5);
    scn_errors_free(&errs);
    unlink(path);
}

/* status: and mcg_status: as lists of bit names, numbers and codes. */
static void test_symbolic_status(void **state)
{
    (void)state;
    struct scenario s;
    struct scn_error e;
    assert_int_equal(load(BASE "events:\n  - at: 1ms\n    inject: {cpu: 1, bank: 2, broadcast: false,\n"
                               "      status: [val, UC, En, s, ar, miscv, addrv, mcacod: 0x134, mscod: 0x10, 0x40000000000],\n"
                               "      mcg_status: [ripv, EIPV, mcip]}\n"
                               "  - {at: 2ms, inject: {cpu: 0, bank: 1, status: [uncorrected, srao, mcacod: 0xC0]}}\n",
                          &s, &e),
                     0);
    const struct scn_inject *a = &s.events[0].u.inject, *b = &s.events[1].u.inject;
    assert_true(a->status == (MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_S | MCI_STATUS_AR |
                              MCI_STATUS_MISCV | MCI_STATUS_ADDRV | 0x100134ull | 0x40000000000ull));
    assert_true(a->has_mcg_status && a->mcg_status == (MCG_STATUS_RIPV | MCG_STATUS_EIPV | MCG_STATUS_MCIP));
    assert_true(a->no_broadcast);
    assert_true(b->status == 0xB1000000000000C0ull);
    assert_false(b->no_broadcast);
    scenario_free(&s);
}

static void test_checks_nothing(void **state)
{
    (void)state;
    struct scenario s;
    struct scn_error e;
    assert_int_equal(load(BASE, &s, &e), 0);
    assert_true(scenario_checks_nothing(&s));
    scenario_free(&s);
    assert_int_equal(load(BASE "expect: {}\n", &s, &e), 0);
    assert_true(scenario_checks_nothing(&s));
    scenario_free(&s);
    static const char *const some[] = {"expect: {telemetry: {lost: 0}}\n", "expect: {records: []}\n",
                                       "expect: {memory: {demand_found: 0}}\n", "expect: {console: [x]}\n"};
    for (unsigned i = 0; i < 4; i++) {
        char yaml[256];
        snprintf(yaml, sizeof(yaml), "%s%s", BASE, some[i]);
        assert_int_equal(load(yaml, &s, &e), 0);
        assert_false(scenario_checks_nothing(&s));
        scenario_free(&s);
    }
}

/* ---- robustness ------------------------------------------------------------- */

/* Every prefix of a scenario of `lines` lines: loads or fails with a
 * position, never crashes. */
static void truncations(const char *yaml, unsigned lines)
{
    size_t n = strlen(yaml);
    char *buf = malloc(n + 1);
    assert_non_null(buf);
    unsigned ok = 0;
    for (size_t len = 0; len <= n; len++) {
        memcpy(buf, yaml, len);
        buf[len] = '\0';
        struct scenario s;
        struct scn_error e;
        if (load(buf, &s, &e) == 0) {
            ok++;
            scenario_free(&s);
        } else {
            assert_true(e.msg[0] != '\0');
            assert_true(e.line >= 1 && e.line <= lines + 1);
        }
    }
    assert_true(ok > 0); /* at least the whole file */
    free(buf);
}

static void test_truncated(void **state)
{
    (void)state;
    truncations(full_yaml, 85);
    truncations(mig_yaml, 49);
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
        cmocka_unit_test(test_duration_year),
        cmocka_unit_test(test_small_forms),
        cmocka_unit_test(test_vendors_and_cmci_keys),
        cmocka_unit_test(test_firmware_first_keys),
        cmocka_unit_test(test_free_twice_and_zeroed),
        cmocka_unit_test(test_error_print),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_outcome_names),
        cmocka_unit_test_setup_teardown(test_mig_link_policy_domains, mig_setup, full_teardown),
        cmocka_unit_test_setup_teardown(test_mig_event, mig_setup, full_teardown),
        cmocka_unit_test_setup_teardown(test_mig_expect, mig_setup, full_teardown),
        cmocka_unit_test_setup_teardown(test_mig_sweep_ranges, mig_setup, full_teardown),
        cmocka_unit_test_setup_teardown(test_mig_sweep_point, mig_setup, full_teardown),
        cmocka_unit_test(test_sweep_range_kinds),
        cmocka_unit_test(test_mig_defaults),
        cmocka_unit_test(test_rates),
        cmocka_unit_test(test_mig_outcome_names),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_record_banks),
        cmocka_unit_test(test_every_error),
        cmocka_unit_test(test_no_cascade),
        cmocka_unit_test(test_checks_nothing),
        cmocka_unit_test(test_symbolic_status),
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
