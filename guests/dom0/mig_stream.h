/*
 * mig_stream.h - the records of a live-migration stream between the
 * sending and the receiving toolstack, in the order the V4 broken-page
 * migration patch (xen-devel, 2012) lays out a batch: the frame types of
 * the batch, then the data of its normal pages; after the last iteration
 * the vMCE save record of each vCPU (Xen's VMCE_VCPU), then END (or ABORT,
 * vMCE design RFC, 2012: "at the last shakehand stage ... checking the
 * flag and if yes, abort migration").
 *
 * Page data is a content token standing for the page's 4 KiB: the
 * simulator's ground truth compares tokens, not bytes. wire_bytes() is what
 * the record costs on the link.
 */
#ifndef GUESTS_DOM0_MIG_STREAM_H
#define GUESTS_DOM0_MIG_STREAM_H

#include <stdint.h>

#include "hv/public/domctl_abi.h"

#define MIG_PAGE_SIZE 4096u
#define MIG_MAX_VCPUS 64u

/* Content tokens with a meaning of their own (any other value is one
 * version of the page written by the guest). */
#define MIG_TOKEN_UNPOPULATED 0ull  /* never received on this host        */
#define MIG_TOKEN_BOOT 1ull         /* the contents the guest booted with */
#define MIG_TOKEN_CORRUPT (~0ull)   /* a poisoned line went out as data   */

enum mig_rec_type {
    MIG_REC_PAGE_TYPES = 1, /* a batch: gfn | type << DOMCTL_PFINFO_SHIFT     */
    MIG_REC_PAGE_DATA,      /* one normal page                                */
    MIG_REC_VMCE,           /* the vMCE record of every vCPU                   */
    MIG_REC_END,            /* the guest may start on the target               */
    MIG_REC_ABORT,          /* the sender gave up: discard the domain          */
};

struct mig_rec {
    enum mig_rec_type type;
    unsigned count;                 /* PAGE_TYPES entries / VMCE vCPUs */
    const uint64_t *types;          /* PAGE_TYPES, count entries (borrowed) */
    uint64_t gfn, token;            /* PAGE_DATA */
    const struct domctl_vmce *vmce; /* VMCE, count entries (borrowed) */
};

/* Bytes on the wire: an 8-byte header per record, 8 per type entry, the
 * page itself plus its gfn, 40 per vMCE record. */
static inline uint64_t mig_rec_wire_bytes(const struct mig_rec *r)
{
    switch (r->type) {
    case MIG_REC_PAGE_TYPES: return 8 + 8ull * r->count;
    case MIG_REC_PAGE_DATA: return 8 + 8 + MIG_PAGE_SIZE;
    case MIG_REC_VMCE: return 8 + 40ull * r->count;
    default: return 8;
    }
}

#endif
