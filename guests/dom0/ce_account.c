/*
 * ce_account.c - leaky buckets over the corrected memory errors dom0
 * fetches: per page, per DIMM (memory-controller channel) and per socket.
 * See ce_account.h for the bucket rule and the keys; this file keeps the
 * tables (fixed size, scanned in index order so results never depend on
 * anything but the records) and says when a bucket overflowed. It does no
 * I/O: dom0.c logs the warnings and makes the offline request.
 */
#include "ce_account.h"

#include <string.h>

#include "arch/x86_mca.h"

/* Memory-controller errors: MCACOD 0000 F000 1MMM CCCC (F, the filter
 * bit, may be set). CCCC is the channel, 0xF when unknown. */
#define MCACOD_MEMCTL_MASK 0xEF80u
#define MCACOD_MEMCTL 0x0080u
#define MCACOD_CHANNEL_MASK 0x000Fu
#define CHANNEL_UNKNOWN 0xFu
#define PAGE_SHIFT 12

void ce_account_defaults(struct ce_account_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->page = (struct ce_threshold){2, 24 * CE_PS_PER_HOUR};
    cfg->dimm = (struct ce_threshold){10, 24 * CE_PS_PER_HOUR};
    cfg->socket = (struct ce_threshold){100, 24 * CE_PS_PER_HOUR};
}

void ce_account_init(struct ce_account *a)
{
    memset(a, 0, sizeof(*a));
}

bool ce_bucket_add(struct ce_bucket *b, const struct ce_threshold *t, rtime_t now_ps)
{
    if (t->count == 0)
        return false;
    /* Drain in whole windows: a window or more since it began to fill
     * means everything in it has leaked out. Records may arrive slightly
     * out of time order (urgent class first); an earlier time drains
     * nothing. */
    if (b->level == 0 || (now_ps > b->since_ps && now_ps - b->since_ps >= t->window_ps)) {
        b->level = 0;
        b->since_ps = now_ps;
    }
    b->level++;
    if (b->level < t->count)
        return false;
    b->level = 0; /* overflowed: start counting again */
    return true;
}

uint64_t ce_dimm_key(unsigned socket, unsigned bank, unsigned channel)
{
    return (uint64_t)socket << 16 | (uint64_t)(bank & 0xFFu) << 8 | (channel & 0xFFu);
}

const struct ce_entry *ce_account_find(const struct ce_entry *table, unsigned n, uint64_t key)
{
    for (unsigned i = 0; i < n; i++)
        if (table[i].used && table[i].key == key)
            return &table[i];
    return NULL;
}

/* The entry for key, taking a free one or replacing the least recently
 * used (pages already offlined are replaced last: forgetting them would
 * only repeat a request the hypervisor answers with ALREADY). */
static struct ce_entry *entry_for(struct ce_account *a, struct ce_entry *table, unsigned n, uint64_t key)
{
    struct ce_entry *victim = NULL;
    for (unsigned i = 0; i < n; i++)
        if (table[i].used && table[i].key == key)
            return &table[i];
    for (unsigned i = 0; i < n && !victim; i++)
        if (!table[i].used)
            victim = &table[i];
    if (!victim) {
        victim = &table[0];
        for (unsigned i = 1; i < n; i++) {
            const struct ce_entry *e = &table[i];
            bool spare_first = victim->offline_requested && !e->offline_requested;
            bool older = victim->offline_requested == e->offline_requested && e->last_ps < victim->last_ps;
            if (spare_first || older)
                victim = &table[i];
        }
        a->stats.replaced++;
    }
    memset(victim, 0, sizeof(*victim));
    victim->used = true;
    victim->key = key;
    return victim;
}

static bool account(struct ce_account *a, struct ce_entry *table, unsigned n, uint64_t key,
                    const struct ce_threshold *t, rtime_t now_ps, struct ce_entry **out)
{
    struct ce_entry *e = entry_for(a, table, n, key);
    e->last_ps = now_ps;
    e->total++;
    if (out)
        *out = e;
    return ce_bucket_add(&e->b, t, now_ps);
}

static bool is_corrected_memory_error(const struct mca_bank_entry *b)
{
    unsigned mcacod = (unsigned)(b->status & MCI_STATUS_MCACOD_MASK);
    return b->cls == MCA_REC_CORRECTED && (b->status & MCI_STATUS_VAL) && !(b->status & MCI_STATUS_UC) &&
           (mcacod & MCACOD_MEMCTL_MASK) == MCACOD_MEMCTL;
}

bool ce_account_bank(struct ce_account *a, const struct ce_account_config *cfg,
                     const struct mca_record *r, unsigned bank, struct ce_verdict *v)
{
    memset(v, 0, sizeof(*v));
    if (!cfg->enabled || bank >= r->nbanks || bank >= MCA_REC_MAX_BANKS)
        return false;
    const struct mca_bank_entry *b = &r->bank[bank];
    if (!is_corrected_memory_error(b)) {
        a->stats.ignored++;
        return false;
    }
    a->stats.accounted++;
    const rtime_t now = r->time_ps;
    v->socket = cfg->cpus_per_socket ? r->cpu / cfg->cpus_per_socket : 0;
    v->bank = b->bank;
    v->channel = (unsigned)(b->status & MCACOD_CHANNEL_MASK);

    if (b->status & MCI_STATUS_ADDRV) {
        struct ce_entry *pg;
        v->page = b->addr >> PAGE_SHIFT;
        if (account(a, a->page, CE_ACCOUNT_MAX_PAGES, v->page, &cfg->page, now, &pg)) {
            a->stats.page_over++;
            if (!pg->offline_requested) {
                pg->offline_requested = true;
                v->offline_page = true;
                a->stats.offline_asked++;
            }
        }
    }
    if (v->channel != CHANNEL_UNKNOWN &&
        account(a, a->dimm, CE_ACCOUNT_MAX_DIMMS, ce_dimm_key(v->socket, v->bank, v->channel), &cfg->dimm,
                now, NULL)) {
        a->stats.dimm_over++;
        v->dimm_over = true;
    }
    if (account(a, a->socket, CE_ACCOUNT_MAX_SOCKETS, v->socket, &cfg->socket, now, NULL)) {
        a->stats.socket_over++;
        v->socket_over = true;
    }
    return true;
}
