/*
 * domain.h - guests as the hypervisor sees them: type, state, vCPUs and
 * their placement on pCPUs, the p2m (guest frame -> machine frame, with
 * broken frames), the virtual machine-check state of each vCPU, and what
 * the guest has shown the hypervisor about its ability to handle a machine
 * check (a PV callback, a PV MCA driver, MCA enabled in its MSRs).
 *
 * The p2m is arithmetic over the domain's memory ranges (gfn 0 is the
 * first machine frame of its first range), plus a sparse set of broken
 * gfns, so a guest of any size costs nothing until a frame breaks.
 *
 * Log-dirty mode (live migration): while it is on, every frame the guest
 * writes and every frame that breaks is added to a sparse dirty set, which
 * dom0's toolstack reads and clears each round (domctl.c).
 */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_mca.h"
#include "gfn_set.h"
#include "public/hv_report.h"
#include "public/mca_abi.h"

#define VMCE_MAX_BANKS 32u

/* enum dom_type, enum dom_state: public/hv_report.h */

/* What happens when a guest reads or writes an MSR of a bank past the
 * count it was shown: read as zero / ignore (Xen since 4.2), or #GP (the
 * old behaviour that rebooted guests after migration, vMCE design RFC). */
enum vmce_past_count { VMCE_PAST_ZERO = 0, VMCE_PAST_GP };

struct vmce_policy {
    unsigned nbanks;          /* 1, 2 or 32 (any 1..32 accepted)            */
    unsigned err_bank;        /* bank that carries errors: 0 with 1 bank, else 1 */
    bool ser_p, cmci_p, tes_p, lmce_p;
    bool ctl_p;               /* MCG_CTL_P: only Xen 4.2's interface showed it */
    enum vmce_past_count past_count;
    bool kill_on_bank0_quirk; /* 1 bank: hv kills a guest shown a quirky CPU */
};

struct vmce_bank {
    uint64_t status, addr, misc, ctl2;
    uint64_t ctl_cleared;     /* MCi_CTL bits the guest cleared (honour only) */
};

/* Banks whose registers hold state: Xen keeps two per vCPU
 * (GUEST_MC_BANK_NUM, asm/mce.h); the MSRs of the others read as zero. */
#define VMCE_STORED_BANKS 2u

struct vmce_vcpu {
    uint64_t mcg_status;
    uint64_t mcg_ext_ctl;
    struct vmce_bank bank[VMCE_MAX_BANKS];
    bool pending;             /* injected, not yet taken (Xen's mce_pending) */
};

struct vcpu {
    unsigned id;
    unsigned pcpu;            /* where it runs                              */
    bool up;                  /* brought up by the guest (Xen's
                               * is_initialised); a vMCE skips it otherwise */
    bool down;                /* taken offline by the guest (halted with
                               * interrupts off, or VCPUOP_down): still
                               * initialised, so a vMCE still marks it,
                               * but it never takes one (an #MC waits for
                               * EFLAGS.IF, hvm_interrupt_blocked)       */
    bool cr4_mce;             /* guest CR4.MCE (HVM: read from the VMCS)    */
    struct vmce_vcpu vmce;
};

/* How an HVM guest's memory is translated: hardware-assisted paging (EPT,
 * NPT) or shadow page tables. Xen can break a frame only in a HAP p2m
 * (unmmap_broken_page, vmce.c). */
enum dom_paging { DOM_PAGING_HAP = 0, DOM_PAGING_SHADOW };

struct p2m_range {
    uint64_t gfn, mfn, npages;
};

struct domain {
    unsigned id;
    enum dom_type type;
    enum dom_state state;
    char reason[192];         /* why it crashed / paused                    */
    unsigned nvcpus;
    struct vcpu *vcpu;
    struct vmce_policy vp;
    uint64_t mcg_cap;         /* the virtual MCG_CAP the guest sees         */
    unsigned cpuid_vendor, cpuid_family, cpuid_model; /* what the guest is shown */
    unsigned host_vendor;     /* the host's CPU vendor, 0 Intel, 1 AMD: Xen
                               * picks its vMCE MSR rules by it            */
    enum dom_paging paging;   /* HVM only                                   */
    bool mce_callback;        /* PV: registered a machine-check callback    */
    bool pv_mca_driver;       /* HVM: has a PV MCA driver                   */
    bool msr_relaxed;         /* Xen's msr_relaxed (xl; dom0=msr-relaxed)   */
    bool honour_ctl;          /* guest_mca_ctl: honour: MCi_CTL is kept     */
    bool mca_enabled;         /* HVM: enabled MCA in its MSRs (MCi_CTL)     */
    bool mca_handler;         /* dom0: bound VIRQ_MCA (an MCA event handler) */
    struct p2m_range *ranges; unsigned nranges;
    struct gfn_set broken;    /* gfns broken in the p2m (p2m_ram_broken)    */
    struct gfn_set removed;   /* gfns the guest gave back (ballooned out)   */
    uint64_t nr_pages;        /* gfns 0..nr_pages-1: the sum of the ranges  */
    bool log_dirty;           /* migration: writes and breaks are recorded  */
    struct gfn_set dirty;     /* gfns dirtied since the last CLEAN          */
    /* A vMCE was injected while in log-dirty mode: the migration may have
     * sent the frame before it broke (vMCE RFC: "set a flag indicating the
     * case 'migration is in progress while event delivered'"). */
    bool vmce_in_logdirty;
    uint64_t msr_exits;       /* vMCE MSR accesses (each is a VM exit)      */
    uint64_t vmce_injected;
};

/* The virtual MCG_CAP for a policy (Xen: SER_P|TES_P|CMCI_P|count). */
uint64_t vmce_mcg_cap(const struct vmce_policy *vp);

int domain_init(struct domain *d, unsigned id, enum dom_type type, unsigned nvcpus,
                const struct vmce_policy *vp);
void domain_fini(struct domain *d);
int domain_add_range(struct domain *d, uint64_t mfn, uint64_t npages);
/* The same at guest frame gfn, or right after the previous range with
 * DOMAIN_GFN_NEXT; nr_pages covers the highest frame (gfns in between map
 * nothing). */
#define DOMAIN_GFN_NEXT UINT64_MAX
int domain_add_range_at(struct domain *d, uint64_t gfn, uint64_t mfn, uint64_t npages);

/* Machine frame of gfn, false when unmapped (never mapped, or given back). */
bool p2m_lookup(const struct domain *d, uint64_t gfn, uint64_t *mfn);
/* Guest frame of mfn in this domain, false when not its memory. */
bool p2m_reverse(const struct domain *d, uint64_t mfn, uint64_t *gfn);
bool p2m_is_broken(const struct domain *d, uint64_t gfn);
size_t p2m_nbroken(const struct domain *d);
/* Break gfn; in log-dirty mode it is also dirtied, so the sender sees its
 * new type (V4 broken-page migration patch, xen-devel 2012: "the page will
 * be marked as dirty in the bitmap and Xen will internally mark it as
 * broken"). 0, or -1 out of memory. */
int p2m_mark_broken(struct domain *d, uint64_t gfn);

/* The guest gives gfn back (Xen's guest_remove_page): it is unmapped and
 * its frame goes back to the host. 0, or -1 when it was not mapped or out
 * of memory. */
int p2m_remove(struct domain *d, uint64_t gfn);

/* Record a write of gfn when in log-dirty mode. 0, or -1 out of memory
 * (the mark is lost, as Xen counts a failed log-dirty allocation). */
int domain_mark_dirty(struct domain *d, uint64_t gfn);
/* Start (again) from an empty dirty set with the flag clear, or stop. */
void domain_log_dirty(struct domain *d, bool on);


#endif
