/*
 * fw_ghes.c - one Generic Hardware Error Source's error status block
 * (fw_ghes.h): write when free, Multiple bit (v1) or hold (v2) when busy,
 * acknowledgement by OSPM.
 */
#include "models/fw/fw_ghes.h"

#include <errno.h>
#include <string.h>

/* The Read Ack register as GHESv2 describes it: OSPM writes
 * (read & Read Ack Preserve) | Read Ack Write. */
#define READ_ACK_PRESERVE 0xFFFFFFFFFFFFFFFEull
#define READ_ACK_WRITE 0x1ull

void fw_ghes_init(struct fw_ghes *g, bool v2)
{
    memset(g, 0, sizeof(*g));
    g->v2 = v2;
    g->next_id = 1;
}

static uint32_t valid_bit(enum cper_sev sev) { return sev == CPER_SEV_CORRECTED ? GHES_BS_CE : GHES_BS_UE; }
static uint32_t multi_bit(enum cper_sev sev)
{
    return sev == CPER_SEV_CORRECTED ? GHES_BS_MULTI_CE : GHES_BS_MULTI_UE;
}

static struct ghes_status_block make(struct fw_ghes *g, enum cper_sev sev, bool has_pa, uint64_t pa, uint64_t t_ps)
{
    struct ghes_status_block b = {0};
    b.block_status = valid_bit(sev) | (1u << GHES_BS_COUNT_SHIFT);
    b.error_severity = (uint32_t)sev;
    b.mem.validation = has_pa ? CPER_MEM_VALID_PA : 0;
    b.mem.physical_addr = has_pa ? pa : 0;
    b.id = g->next_id++;
    b.t_ps = t_ps;
    return b;
}

bool fw_ghes_valid(const struct fw_ghes *g) { return g->blk.block_status != 0; }

static bool busy(const struct fw_ghes *g) { return fw_ghes_valid(g) || (g->v2 && g->awaiting_ack); }

enum fw_ghes_raised fw_ghes_raise(struct fw_ghes *g, enum cper_sev sev, bool has_pa, uint64_t pa, uint64_t t_ps)
{
    g->stats.raised++;
    if (!busy(g)) {
        g->blk = make(g, sev, has_pa, pa, t_ps);
        g->awaiting_ack = g->v2;
        g->stats.written++;
        g->stats.notified++;
        return FW_GHES_NOTIFY;
    }
    if (g->v2 && g->nhold < FW_GHES_HOLD) {
        g->hold[(g->hold_head + g->nhold++) % FW_GHES_HOLD] = make(g, sev, has_pa, pa, t_ps);
        g->stats.held++;
        return FW_GHES_HELD;
    }
    g->blk.block_status |= multi_bit(sev); /* v1: only that there was another */
    g->stats.lost++;
    return FW_GHES_LOST;
}

int fw_ghes_read(const struct fw_ghes *g, struct ghes_status_block *out)
{
    if (!fw_ghes_valid(g))
        return -ENOENT;
    *out = g->blk;
    return 0;
}

int fw_ghes_ack(struct fw_ghes *g, uint64_t t_ps)
{
    if (!fw_ghes_valid(g))
        return -ENOENT;
    g->blk.block_status = 0;
    g->stats.acked++;
    if (!g->v2)
        return 0;
    g->read_ack = (g->read_ack & READ_ACK_PRESERVE) | READ_ACK_WRITE;
    g->awaiting_ack = false;
    if (!g->nhold)
        return 0;
    (void)t_ps;
    g->blk = g->hold[g->hold_head]; /* t_ps: when the error came */
    g->hold_head = (g->hold_head + 1) % FW_GHES_HOLD;
    g->nhold--;
    g->awaiting_ack = true;
    g->stats.written++;
    g->stats.notified++;
    return 1;
}

unsigned fw_ghes_outstanding(const struct fw_ghes *g) { return (fw_ghes_valid(g) ? 1u : 0u) + g->nhold; }
