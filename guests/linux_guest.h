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
#include "arch/x86_mca.h"
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

#define LG_MAX_VCPUS 64

/* A bank the handler read: STATUS and what mce_read_aux read. */
struct lg_bank {
    uint64_t status, addr, misc;
};

/* A bank logged in the current #MC, acted on once the handler survives. */
struct lg_logged {
    uint16_t vcpu;
    int16_t rule;              /* index into the severity table */
    uint64_t addr;
};
#define LG_MAX_LOGGED 32

/* One vCPU's pass through the #MC handler (kept small: a guest lives on
 * coroutine stacks). */
struct lg_cpu {
    uint64_t mcg;              /* MCG_STATUS as mce_gather_info read it */
    uint32_t valid;            /* banks mce_no_way_out found valid       */
    uint8_t ctx;               /* error_context: kernel or user          */
    bool nwo;                  /* no_way_out: a bank graded PANIC        */
    int8_t msg;                /* that bank's row, -1 none               */
    int8_t worst;              /* the worst logged bank's row, -1 none   */
    int8_t worst_sev;
};

struct linux_guest {
    struct guest_abi abi;
    struct linux_guest_config cfg;
    uint64_t mcg_cap;          /* read once at boot, never again (Tony Luck, vMCE RFC) */
    unsigned nbanks;
    bool skip_bank0;           /* the quirk fired for the CPU model shown */
    bool panicked;
    char panic_reason[160];
    /* one broadcast machine check: the CPUs that entered the rendezvous
     * (mce_start), in arrival order; the scan waits for all of them */
    unsigned round_arrived;
    uint8_t round_order[LG_MAX_VCPUS];
    struct lg_cpu cpu[LG_MAX_VCPUS];
    struct lg_logged logged[LG_MAX_LOGGED];
    unsigned nlogged;
    /* pages already poisoned: memory_failure() on one again returns
     * -EHWPOISON and retires nothing (Linux mm/memory-failure.c) */
    uint64_t retired[64];
    unsigned nretired;
    struct linux_guest_stats stats;
};

void linux_guest_init(struct linux_guest *g, const struct guest_abi *abi, const struct linux_guest_config *c);
/* Boot on vCPU v (vCPU 0 reads MCG_CAP and sets up the banks). */
void linux_guest_boot(struct linux_guest *g, unsigned vcpu);
/* The guest took a vCPU offline or brought one up: Linux's rendezvous
 * (mce_start) waits for num_online_cpus(), now n. */
void linux_guest_set_online(struct linux_guest *g, unsigned n);
/* The machine-check entry on vCPU v, interrupting code in context ctx
 * (user or kernel). A broadcast #MC (MCG_STATUS without LMCES) waits in
 * the rendezvous until every vCPU has entered; the last one runs the bank
 * scans, the verdict and the exits of all. */
void linux_guest_machine_check(struct linux_guest *g, unsigned vcpu, enum x86_exec_ctx ctx);
/* mce_start's timeout: vCPUs entered the rendezvous and the others never
 * came. The kernel panics "Timeout: Not all CPUs entered broadcast
 * exception handler" before any bank scan. True when it did. */
bool linux_guest_rendezvous_timeout(struct linux_guest *g);

/* Whether Linux applies its bank-0 quirk on this CPU: Intel family 6 below
 * model 0x1A, AMD K7 (family 6). */
bool linux_bank0_quirk(unsigned vendor, unsigned family, unsigned model);

const char *guest_kind_name(enum guest_kind k);
enum guest_kind guest_kind_from_name(const char *name); /* GUEST_KIND__COUNT if unknown */

#endif
