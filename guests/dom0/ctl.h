/*
 * ctl.h - the toolstack's domain-control calls, the way libxc wraps
 * them: each builds a struct domctl (and its arrays) in a scratch area of
 * dom0's own memory and makes the hypercall with its guest address, so
 * the hypervisor sees exactly what a real dom0 would hand it.
 */
#ifndef GUESTS_DOM0_CTL_H
#define GUESTS_DOM0_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include "guests/guest_abi.h"
#include "hv/public/domctl_abi.h"

struct ctl {
    const struct guest_abi *abi;
    uint64_t scratch;          /* guest address of the scratch area */
    size_t scratch_len;        /* at least ctl_scratch_needed() */
};

/* Scratch the calls need: one struct domctl and a batch of entries. */
size_t ctl_scratch_needed(void);

/* Each returns 0 or a negative errno (the hypercall's, or -EFAULT when
 * the scratch area is not dom0 memory). */
long ctl_pause(const struct ctl *c, unsigned domid);
long ctl_unpause(const struct ctl *c, unsigned domid);
long ctl_destroy(const struct ctl *c, unsigned domid);
long ctl_getinfo(const struct ctl *c, unsigned domid, struct domctl_info *out);
/* op ENABLE/OFF: gfns/max unused. CLEAN/PEEK: up to max gfns (at most one
 * batch) into gfns; *count gets the total dirty before the call. */
long ctl_shadow(const struct ctl *c, unsigned domid, enum domctl_shadow_op op, uint64_t *gfns,
                uint64_t max, uint64_t *count);
/* in: n gfns; out: gfn | type << DOMCTL_PFINFO_SHIFT. n <= DOMCTL_PFINFO_MAX_BATCH. */
long ctl_pfinfo(const struct ctl *c, unsigned domid, uint64_t *entries, unsigned n);
long ctl_set_broken(const struct ctl *c, unsigned domid, uint64_t gfn);
long ctl_get_vmce(const struct ctl *c, unsigned domid, unsigned vcpu, struct domctl_vmce *out);
long ctl_set_vmce(const struct ctl *c, unsigned domid, const struct domctl_vmce *in);

static inline unsigned ctl_pfinfo_type(uint64_t entry) { return (unsigned)(entry >> DOMCTL_PFINFO_SHIFT); }

#endif
