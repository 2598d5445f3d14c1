/*
 * guest_abi.h - what a guest model can do to reach the hypervisor.
 *
 * Guests see the machine the way a real guest kernel does: hypercalls,
 * their own memory (where hypercall arguments live), their console and
 * event-channel upcalls. They never see hv/ structs; the only hv header
 * they include is the public ABI (hv/public/mca_abi.h).
 */
#ifndef GUESTS_GUEST_ABI_H
#define GUESTS_GUEST_ABI_H

#include <stddef.h>
#include <stdint.h>

/* Points a guest reports for the trace (latency stages on the guest side). */
enum guest_stage {
    GUEST_STAGE_FETCHED = 0,
    GUEST_STAGE_ACKED,
    GUEST_STAGE_DECODED,
    GUEST_STAGE_MCE_ENTRY,   /* guest #MC handler / PV callback entered */
    GUEST_STAGE_MCE_EXIT,
    GUEST_STAGE_KILLED,      /* a process was killed                    */
    GUEST_STAGE_RETIRED,     /* a page was retired                      */
    GUEST_STAGE_PANIC,
};

/* Guest-side work charged to the vCPU's clock. */
enum guest_cost { GUEST_COST_DECODE = 0 };

struct guest_abi {
    void *ctx;
    unsigned domid;
    /* The MCA hypercall; arg is a guest address. 0 or -errno. */
    long (*hypercall_mca)(void *ctx, uint64_t arg);
    /* The domain-control hypercall (hv/public/domctl_abi.h), dom0's
     * toolstack only; arg is a guest address. 0 or -errno. */
    long (*hypercall_domctl)(void *ctx, uint64_t arg);
    /* dom0 on a firmware-first platform: a SAL call (hv/public/fw_abi.h,
     * struct sal_call), trapped by the hypervisor; arg is a guest address.
     * 0 or -errno. */
    long (*hypercall_sal)(void *ctx, uint64_t arg);
    /* The guest's own memory: a pointer to [gaddr, gaddr+len), or NULL. */
    void *(*gmem)(void *ctx, uint64_t gaddr, size_t len);
    uint64_t scratch;          /* guest address of a scratch area       */
    size_t scratch_len;
    void (*log)(void *ctx, const char *line);
    void (*charge)(void *ctx, enum guest_cost what, unsigned n);
    void (*stage)(void *ctx, enum guest_stage st, uint64_t seq);
    /* dom0's toolstack (xl migrate / xl save + restore): move DomU domid
     * off this host to host `to`, live or paused for the whole copy. 0 once
     * it started, -EBUSY when the domain is already moving or moved, other
     * -errno when it cannot move. NULL: dom0 has no toolstack. */
    long (*move_domain)(void *ctx, unsigned domid, unsigned to, int live);

    /* Guest kernels (not needed by dom0's mcelog): */
    /* MSR access on a vCPU: each is a VM exit (HVM) or a trapped
     * instruction (PV). 0, or -1 for #GP. */
    int (*rdmsr)(void *ctx, unsigned vcpu, uint32_t msr, uint64_t *val);
    int (*wrmsr)(void *ctx, unsigned vcpu, uint32_t msr, uint64_t val);
    void (*set_cr4_mce)(void *ctx, unsigned vcpu, int on);
    void (*register_mce_callback)(void *ctx);  /* PV: HYPERVISOR_set_callbacks */
    void (*panic)(void *ctx, const char *reason); /* the guest gives up   */
};

#endif
