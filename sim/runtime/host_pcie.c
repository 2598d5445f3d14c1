/*
 * host_pcie.c - a host's PCIe hierarchy and dom0's AER service, wired
 * (host_pcie.h).
 */
#include "sim/runtime/host_pcie.h"

#include <stdio.h>
#include <stdlib.h>

#include "arch/pcie_aer.h"

static uint32_t cfg_read(void *ctx, unsigned rid, unsigned off)
{
    return pcie_bus_cfg_read(&((struct host_pcie *)ctx)->bus, rid, off);
}

static void cfg_write(void *ctx, unsigned rid, unsigned off, uint32_t v)
{
    pcie_bus_cfg_write(&((struct host_pcie *)ctx)->bus, rid, off, v);
}

static void bus_reset(void *ctx) { pcie_bus_link_reset(&((struct host_pcie *)ctx)->bus); }

static void log_line(void *ctx, const char *line)
{
    struct host_pcie *p = ctx;
    p->log(p->log_ctx, line);
}

/* The toolstack reads aerState (or does not). xend's watch
 * (_handleAerStateWatch in tools/python/xen/xend/server/pciif.py, Xen
 * 4.4) powers the guest off; libxl has no watch on it. */
static void aerfail(void *ctx, unsigned domid)
{
    struct host_pcie *p = ctx;
    if (p->scn->policy.aerfail != SCN_AERFAIL_XEND)
        return;
    struct domain *d = hv_domain(p->hv, domid);
    if (!d)
        return;
    p->log(p->log_ctx, "xend: shutdown domain because of aer handle error");
    hv_domain_destroy(p->hv, d, "xend: shutdown domain because of aer handle error (aerState aerfail)");
}

static const struct scn_domain *domain_of(const struct scenario *s, unsigned domid)
{
    for (unsigned i = 0; i < s->ndomains; i++)
        if (s->domains[i].id == domid)
            return &s->domains[i];
    return NULL;
}

static void add_function(struct host_pcie *p, const struct scn_pcie_dev *d)
{
    int i = pcie_bus_add(&p->bus, d->rid);
    if (i < 0)
        return;
    struct pcie_fn *f = &p->bus.fn[i];
    if (d->reporting)
        f->devctl = PCIE_DEVCTL_CERE | PCIE_DEVCTL_NFERE | PCIE_DEVCTL_FERE | PCIE_DEVCTL_URRE;
    if (d->has_ue_mask)
        f->ue_mask = d->ue_mask;
    if (d->has_ue_fatal)
        f->ue_sever = d->ue_fatal;
    if (d->has_ce_mask)
        f->ce_mask = d->ce_mask;
    const struct scn_domain *owner = domain_of(p->scn, d->owner);
    bool frontend = owner && owner->type == SCN_DOM_PV;
    aer_add_dev(&p->aer, d->rid, d->owner, (enum aer_drv_kind)d->driver, (enum aer_drv_kind)d->guest_driver, frontend);
}

void host_pcie_init(struct host_pcie *p, const struct scenario *s, unsigned host, struct hv *hv,
                    void (*log)(void *ctx, const char *line), void *log_ctx)
{
    *p = (struct host_pcie){.scn = s, .cfg = &s->hosts[host], .hv = hv, .log = log, .log_ctx = log_ctx};
    const struct scn_pcie *c = &p->cfg->pcie;
    if (!c->present)
        return;
    pcie_bus_init(&p->bus, c->root_port);
    struct aer_ops ops = {p, cfg_read, cfg_write, bus_reset, log_line, aerfail};
    aer_init(&p->aer, &ops, c->root_port);
    for (unsigned i = 0; i < c->ndevs; i++)
        add_function(p, &c->devs[i]);
    if (s->policy.pcie_reporting == SCN_PCIE_AER)
        aer_probe(&p->aer);
    else
        p->bus.rp.rootctl = PCIE_ROOTCTL_SENFEE | PCIE_ROOTCTL_SEFEE;
}

/* Linux's pci_serr_error (arch/x86/kernel/nmi.c) in a PV dom0 that got
 * the NMI with Xen's pci_serr reason: printed, and on (no
 * panic_on_unrecovered_nmi). */
static void dom0_nmi(struct host_pcie *p)
{
    p->log(p->log_ctx, "NMI: PCI system error (SERR) for reason 80 on CPU 0.");
    p->log(p->log_ctx, "Dazed and confused, but trying to continue");
}

void host_pcie_error(struct host_pcie *p, unsigned dev, unsigned err, const uint32_t header[4])
{
    if (!p->cfg->pcie.present || p->hv->stopped)
        return;
    struct pcie_report r = pcie_bus_detect(&p->bus, dev, err, header);
    if (r.signals & PCIE_SIG_IRQ)
        aer_irq(&p->aer);
    if (r.signals & PCIE_SIG_SERR) {
        p->serr++;
        if (hv_nmi_pci_serr(p->hv))
            dom0_nmi(p);
    }
}

void host_pcie_finish(const struct host_pcie *p, struct rr_host *h)
{
    if (!p->cfg->pcie.present)
        return;
    h->npcie = p->aer.ndev;
    h->pcie = calloc(h->npcie ? h->npcie : 1, sizeof(*h->pcie));
    for (unsigned i = 0; h->pcie && i < p->aer.ndev; i++) {
        const struct aer_dev *a = &p->aer.dev[i];
        const struct pcie_fn *f = &p->bus.fn[i];
        struct rr_pcie_dev *o = &h->pcie[i];
        *o = (struct rr_pcie_dev){.rid = a->rid, .owner = a->owner, .corrected = a->log.cor,
                                  .nonfatal = a->log.nonfatal, .fatal = a->log.fatal,
                                  .recovered = a->log.recovered, .failed = a->log.failed,
                                  .resets = f->hot_resets, .aerfail = a->log.kills,
                                  .ue_status = f->ue_status, .ce_status = f->ce_status};
        for (unsigned s = 0; s < AER_STEP__COUNT; s++) {
            o->calls[s] = a->log.calls[s];
            o->guest_calls[s] = a->log.guest_calls[s];
        }
    }
    h->pcie_interrupts = p->aer.interrupts;
    h->pcie_link_resets = p->bus.link_resets;
    h->pcie_serr = p->serr;
}
