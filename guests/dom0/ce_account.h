/*
 * ce_account.h - dom0's corrected-error accounting, as mcelog does it.
 *
 * mcelog counts corrected memory errors in leaky buckets and acts when one
 * fills (andikleen/mcelog): per page (2 CEs in 24 h -> soft offline the
 * page; the LK10 paper's 10 in 24 h is the alternative), per DIMM (10 in
 * 24 h) and per socket (100 in 24 h) -> a warning. This is case II of the
 * Xen MCA/MCE concept (Egger, 2007): "Dom0 got enough CEs so that UEs are
 * very likely", so dom0 asks the hypervisor to take the page out of
 * service first (MCA_CMD_OFFLINE_PAGE, done by dom0.c; this file only
 * counts).
 *
 * A bucket holds the CEs seen since it started filling. It drains in
 * whole windows, as mcelog's do: a CE that arrives a full window or more
 * after the bucket started filling finds it empty, and the bucket starts
 * filling again at that CE (as does the first CE into an empty bucket).
 * It overflows when it holds `count` CEs, i.e. on the count-th CE within
 * one window ("2 per 24 h": the second CE on a page within 24 h), and an
 * overflow empties it. Time is the record's time_ps, never the host's
 * clock.
 *
 * Keys come from each corrected bank of a record: the page from ADDR (needs ADDRV),
 * the DIMM from the memory-controller MCACOD (0000 F000 1MMM CCCC: the
 * channel CCCC stands for the DIMM, 0xF is "unspecified" and skips the
 * DIMM bucket) together with the bank (one memory controller per bank)
 * and the socket (record CPU / cpus_per_socket). Only corrected errors
 * reported by a memory controller are accounted. Buckets live in fixed
 * tables inside the instance (no allocation); when a table is full the
 * least recently used entry is replaced, as mcelog replaces its counters,
 * sparing pages already offlined when it can.
 */
#ifndef GUESTS_DOM0_CE_ACCOUNT_H
#define GUESTS_DOM0_CE_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/public/mca_abi.h"

#define CE_PS_PER_HOUR 3600000000000000ull

/* count CEs within window_ps fill a bucket; count 0 turns the bucket off. */
struct ce_threshold {
    uint32_t count;
    uint64_t window_ps;
};

struct ce_account_config {
    bool enabled;               /* false: dom0 counts nothing (the default) */
    struct ce_threshold page;   /* -> ask the hypervisor to offline the page */
    struct ce_threshold dimm;   /* -> warning                               */
    struct ce_threshold socket; /* -> warning                               */
    unsigned cpus_per_socket;   /* 0: the whole host is one socket          */
};

struct ce_bucket {
    uint32_t level;    /* CEs since since_ps                               */
    rtime_t since_ps;  /* when it started filling                          */
};

struct ce_entry {
    bool used;
    bool offline_requested; /* pages: asked once, never again               */
    uint64_t key;
    rtime_t last_ps;        /* latest CE, for replacement                   */
    uint64_t total;         /* CEs ever counted under this key              */
    struct ce_bucket b;
};

#define CE_ACCOUNT_MAX_PAGES 256u
#define CE_ACCOUNT_MAX_DIMMS 64u
#define CE_ACCOUNT_MAX_SOCKETS 8u

struct ce_account_stats {
    uint64_t accounted;   /* corrected memory errors counted             */
    uint64_t ignored;     /* records that were not                      */
    uint64_t page_over, dimm_over, socket_over; /* bucket overflows      */
    uint64_t offline_asked; /* pages handed to dom0 to offline          */
    uint64_t replaced;    /* entries evicted from a full table           */
};

struct ce_account {
    struct ce_entry page[CE_ACCOUNT_MAX_PAGES];
    struct ce_entry dimm[CE_ACCOUNT_MAX_DIMMS];
    struct ce_entry socket[CE_ACCOUNT_MAX_SOCKETS];
    struct ce_account_stats stats;
};

/* What one record caused. */
struct ce_verdict {
    bool offline_page;   /* the page's bucket overflowed for the first time */
    uint64_t page;       /* host frame number (ADDR >> 12)                  */
    bool dimm_over;
    unsigned bank, channel;
    bool socket_over;
    unsigned socket;
};

/* mcelog's defaults: page 2/24 h, DIMM 10/24 h, socket 100/24 h; disabled. */
void ce_account_defaults(struct ce_account_config *cfg);
void ce_account_init(struct ce_account *a);

/* Add one CE to a bucket at now_ps; true when it overflows. */
bool ce_bucket_add(struct ce_bucket *b, const struct ce_threshold *t, rtime_t now_ps);

/* Account bank entry `bank` (an index into r->bank) of a record fetched
 * by dom0. False (and *v cleared) when the accounting is disabled, the
 * index is past the record's banks, or the bank is not a corrected memory
 * error. */
bool ce_account_bank(struct ce_account *a, const struct ce_account_config *cfg,
                     const struct mca_record *r, unsigned bank, struct ce_verdict *v);

/* The key of the DIMM bucket of (socket, bank, channel), for reports. */
uint64_t ce_dimm_key(unsigned socket, unsigned bank, unsigned channel);
/* The entry of a key in one of the tables, NULL when not tracked. */
const struct ce_entry *ce_account_find(const struct ce_entry *table, unsigned n, uint64_t key);

#endif
