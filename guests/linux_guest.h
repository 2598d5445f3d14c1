/*
 * linux_guest.h - a Linux-like guest kernel's machine-check handling, as
 * far as a hypervisor can observe it: it reads MCG_CAP once at boot,
 * applies the bank-0 quirk by the CPU model it is shown, enables its
 * banks and CR4.MCE, and on a machine check scans its banks, grades each
 * error with guest-side rules, kills the process or retires the page, or
 * panics. The same model serves HVM guests (#MC, vector 18) and PV guests
 * (their registered callback). Sources: Linux mce/severity.c and core.c;
 * the vMCE design RFC (xen-devel, 2012).
 */
#ifndef GUESTS_LINUX_GUEST_H
#define GUESTS_LINUX_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_context.h"
#include "guests/guest_abi.h"

enum guest_kind {
    GUEST_LINUX = 0,     /* Linux-like handler                          */
    GUEST_PV_NOCALLBACK, /* PV kernel that never registered a callback  */
    GUEST_STRICT,        /* probes every MSR it expects; #GP is fatal   */
    GUEST_NONE,          /* no MCA support: never enables MCA           */
    GUEST_KIND__COUNT
};

struct linux_guest_config {
    enum guest_kind kind;
    bool pv;                   /* PV kernel: callback instead of #MC     */
    unsigned vendor, family, model; /* CPUID the guest is shown           */
    unsigned strict_banks;     /* strict guest: banks it expects to read */
    unsigned nvcpus;
};

struct linux_guest_stats {
    unsigned machine_checks, processes_killed, pages_retired, logged;
};

struct linux_guest {
    struct guest_abi abi;
    struct linux_guest_config cfg;
    uint64_t mcg_cap;          /* read once at boot, never again (Tony Luck, vMCE RFC) */
    unsigned nbanks;
    bool skip_bank0;           /* the quirk fired for the CPU model shown */
    bool panicked;
    char panic_reason[160];
    /* one machine check across the vCPUs it was broadcast to: the verdict
     * waits for all of them, as Linux's monarch waits for every CPU */
    unsigned round_arrived;
    bool round_found;
    int round_worst;           /* index into the rule table, -1 none */
    /* pages already poisoned: memory_failure() on one again returns
     * -EHWPOISON and retires nothing (Linux mm/memory-failure.c) */
    uint64_t retired[64];
    unsigned nretired;
    struct linux_guest_stats stats;
};

void linux_guest_init(struct linux_guest *g, const struct guest_abi *abi, const struct linux_guest_config *c);
/* Boot on vCPU v (vCPU 0 reads MCG_CAP and sets up the banks). */
void linux_guest_boot(struct linux_guest *g, unsigned vcpu);
/* The machine-check entry on vCPU v, interrupting code in context ctx
 * (user or kernel). */
void linux_guest_machine_check(struct linux_guest *g, unsigned vcpu, enum x86_exec_ctx ctx);

/* Whether Linux applies its bank-0 quirk on this CPU: Intel family 6 below
 * model 0x1A, AMD K7 (family 6). */
bool linux_bank0_quirk(unsigned vendor, unsigned family, unsigned model);

const char *guest_kind_name(enum guest_kind k);
enum guest_kind guest_kind_from_name(const char *name); /* GUEST_KIND__COUNT if unknown */

#endif
