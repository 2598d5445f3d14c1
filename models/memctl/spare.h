/*
 * spare.h - an online-spare rank: one rank per controller held back from
 * the address map, which takes over a failing rank when the hypervisor
 * asks (the "online-spare RAM" Egger's "Xen MCA/MCE concept", 2007, wants
 * under the hypervisor's control only; AMD K8 rev F has it).
 *
 * The controller copies the failing rank to the spare line by line, in the
 * rank's own order (row, then bank, then the column group), at line_ps per
 * line (a read and a write of the channel's bandwidth). A line already
 * copied is read from the spare from then on, so faults of the old rank no
 * longer reach it; what the copy read is what the spare holds: a line the
 * copy found uncorrectable arrives poisoned. Lines not yet copied are read
 * from the old rank. There is one spare: once it took over a rank, it is
 * used for good.
 *
 * As a mirror (mirror = true) the same copy runs, but the old rank keeps
 * serving reads; a line the copy reached has a second copy, so a read the
 * old rank cannot correct is answered from the mirror (what the copy read
 * there) and is a corrected error to hardware: a failover.
 *
 * Times compare as arch/ps_rebase.h says (a rebase may move start_ps
 * below 0). Pure state and arithmetic: nothing here waits or reads DRAM.
 */
#ifndef MODELS_MEMCTL_SPARE_H
#define MODELS_MEMCTL_SPARE_H

#include <stdbool.h>
#include <stdint.h>

#include "models/memctl/addr_map.h"

struct mem_spare {
    bool present;           /* the controller has a spare rank            */
    bool used;              /* it took over a rank (copying or done)      */
    bool mirror;            /* it mirrors the rank instead of replacing it */
    unsigned channel, dimm, rank; /* the rank it replaces                 */
    uint64_t start_ps;      /* copy started                               */
    uint64_t line_ps;       /* per line copied                            */
    uint64_t nlines;        /* lines in a rank                            */
};

void spare_init(struct mem_spare *s, bool present);
/* Start replacing the rank of loc at now_ps. 0, -ENODEV without a spare
 * rank, -EBUSY when the spare already replaced a rank (this one too). */
int spare_begin(struct mem_spare *s, const struct addr_map *m, const struct dram_loc *loc, uint64_t now_ps,
                uint64_t line_ps, bool mirror);
/* When the copy is (or will be) complete; 0 when the spare is unused. */
uint64_t spare_done_ps(const struct mem_spare *s);
/* Position of loc's line in its rank's copy order. */
uint64_t spare_line_index(const struct addr_map *m, const struct dram_loc *loc);
/* loc's line is in the replaced rank and copied by now_ps: true, with
 * when it was copied. */
bool spare_serves(const struct mem_spare *s, const struct addr_map *m, const struct dram_loc *loc, uint64_t now_ps,
                  uint64_t *copied_ps);
/* The copy is running on this channel at now_ps (it takes bandwidth). */
bool spare_copying(const struct mem_spare *s, unsigned channel, uint64_t now_ps);
/* Rebase (docs/TIME.md): the copy's start moved d_ps earlier, seen at
 * now_ps. 0; -EBUSY while the copy runs (its bandwidth and the times
 * lines are copied are in use); -ERANGE when it
 * began more than PS_REBASE_AGE_MAX ago (each line's copy time must stay
 * exact) or d_ps is over PS_REBASE_D_MAX. Nothing moves unless 0. */
int spare_can_rebase(const struct mem_spare *s, uint64_t d_ps, uint64_t now_ps);
int spare_rebase(struct mem_spare *s, uint64_t d_ps, uint64_t now_ps);

#endif
