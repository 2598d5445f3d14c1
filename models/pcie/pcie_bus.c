/*
 * pcie_bus.c - a Root Port and the functions below it (pcie_bus.h). The
 * functions are kept in the order they were added; a Requester ID names
 * at most one of them.
 */
#include "models/pcie/pcie_bus.h"

void pcie_bus_init(struct pcie_bus *b, unsigned rp_rid)
{
    *b = (struct pcie_bus){0};
    pcie_fn_init(&b->rp, rp_rid, true);
}

struct pcie_fn *pcie_bus_fn(struct pcie_bus *b, unsigned rid)
{
    if (b->rp.rid == rid)
        return &b->rp;
    for (unsigned i = 0; i < b->nfn; i++)
        if (b->fn[i].rid == rid)
            return &b->fn[i];
    return 0;
}

int pcie_bus_add(struct pcie_bus *b, unsigned rid)
{
    if (b->nfn >= PCIE_BUS_MAX_FNS || pcie_bus_fn(b, rid))
        return -1;
    pcie_fn_init(&b->fn[b->nfn], rid, false);
    return (int)b->nfn++;
}

struct pcie_report pcie_bus_detect(struct pcie_bus *b, unsigned i, unsigned err, const uint32_t hdr[4])
{
    struct pcie_report r = {PCIE_MSG_NONE, 0};
    if (i >= b->nfn)
        return r;
    r.msg = pcie_fn_detect(&b->fn[i], err, hdr);
    r.signals = pcie_fn_receive(&b->rp, r.msg, b->fn[i].rid);
    return r;
}

uint32_t pcie_bus_cfg_read(struct pcie_bus *b, unsigned rid, unsigned off)
{
    const struct pcie_fn *f = pcie_bus_fn(b, rid);
    return f ? pcie_fn_read(f, off & ~3u) : 0xFFFFFFFFu;
}

void pcie_bus_cfg_write(struct pcie_bus *b, unsigned rid, unsigned off, uint32_t v)
{
    struct pcie_fn *f = pcie_bus_fn(b, rid);
    if (f)
        pcie_fn_write(f, off & ~3u, v);
}

void pcie_bus_link_reset(struct pcie_bus *b)
{
    for (unsigned i = 0; i < b->nfn; i++)
        pcie_fn_hot_reset(&b->fn[i]);
    b->link_resets++;
}
