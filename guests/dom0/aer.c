/*
 * aer.c - the AER service on the Root Port in dom0's kernel (aer.h):
 * probe, the interrupt, finding the source, reading and printing its
 * registers and handling each error by severity (Linux v5.2
 * drivers/pci/pcie/aer.c: aer_enable_rootport, aer_irq, aer_isr_one_error,
 * find_source_device, aer_get_device_error_info, aer_print_error,
 * handle_error_source). The log lines take the shape of Linux's
 * (pci_info/pci_err prefixes, aer_print_port_info, aer_print_error), with
 * the specification's error names.
 */
#include "guests/dom0/aer.h"

#include <stdarg.h>
#include <stdio.h>

#include "arch/pcie_aer.h"

enum sev { SEV_COR = 0, SEV_NONFATAL, SEV_FATAL };
static const char *const sev_names[] = {"Corrected", "Uncorrected (Non-Fatal)", "Uncorrected (Fatal)"};

struct err_info {
    unsigned id;            /* source RID from Error Source Identification */
    enum sev sev;
    bool multi;
    uint32_t status, mask;
    unsigned first;         /* First Error Pointer */
    bool tlp_valid;
    uint32_t tlp[4];
    unsigned ndev;
    struct aer_dev *dev[AER_MAX_DEVS];
};

void aer_logf(struct aer *a, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (a->ops.log)
        a->ops.log(a->ops.ctx, line);
}

const char *aer_bdf(unsigned rid, char buf[16])
{
    snprintf(buf, 16, "0000:%02x:%02x.%u", (rid >> 8) & 0xFFu, (rid >> 3) & 0x1Fu, rid & 7u);
    return buf;
}

static uint32_t rd(struct aer *a, unsigned rid, unsigned off) { return a->ops.cfg_read(a->ops.ctx, rid, off); }
static void wr(struct aer *a, unsigned rid, unsigned off, uint32_t v) { a->ops.cfg_write(a->ops.ctx, rid, off, v); }

void aer_init(struct aer *a, const struct aer_ops *ops, unsigned rp_rid)
{
    *a = (struct aer){.ops = *ops, .rp = rp_rid};
}

int aer_add_dev(struct aer *a, unsigned rid, unsigned owner, enum aer_drv_kind drv, enum aer_drv_kind guest_drv,
                bool frontend)
{
    if (a->ndev >= AER_MAX_DEVS)
        return -1;
    a->dev[a->ndev] = (struct aer_dev){.rid = rid, .owner = owner, .drv = owner ? AER_DRV_PCIBACK : drv,
                                       .guest_drv = guest_drv, .frontend = frontend};
    return (int)a->ndev++;
}

/* Read and write back (RW1C) a status register. */
static void clear_status(struct aer *a, unsigned rid, unsigned off) { wr(a, rid, off, rd(a, rid, off)); }

void aer_probe(struct aer *a)
{
    char b[16];
    unsigned devctl = PCIE_CAP_BASE + PCIE_DEVCTL, rootctl = PCIE_CAP_BASE + PCIE_ROOTCTL;
    wr(a, a->rp, devctl, rd(a, a->rp, devctl)); /* Device Status, RW1C in the upper half */
    wr(a, a->rp, rootctl, rd(a, a->rp, rootctl) & ~(uint32_t)(PCIE_ROOTCTL_SECEE | PCIE_ROOTCTL_SENFEE |
                                                               PCIE_ROOTCTL_SEFEE));
    clear_status(a, a->rp, AER_CAP_BASE + AER_ROOT_STATUS);
    clear_status(a, a->rp, AER_CAP_BASE + AER_CE_STATUS);
    clear_status(a, a->rp, AER_CAP_BASE + AER_UE_STATUS);
    /* set_downstream_devices_error_reporting: ports only */
    wr(a, a->rp, devctl, (rd(a, a->rp, devctl) & 0xFFFFu) | PCIE_DEVCTL_CERE | PCIE_DEVCTL_NFERE | PCIE_DEVCTL_FERE |
                              PCIE_DEVCTL_URRE);
    wr(a, a->rp, AER_CAP_BASE + AER_ROOT_CMD,
       rd(a, a->rp, AER_CAP_BASE + AER_ROOT_CMD) | AER_RCMD_COR | AER_RCMD_NONFATAL | AER_RCMD_FATAL);
    a->probed = true;
    aer_logf(a, "pcieport %s: AER: enabled", aer_bdf(a->rp, b));
}

/* is_error_source: a source ID on a bus other than 0 that names the
 * function is it; without Multiple, another ID rules it out. Otherwise
 * (bus 0, which some ports report when they lose the ID, or Multiple)
 * a function with error reporting enabled in Device Control and an
 * unmasked error of the kind in its status is a source. (Linux also
 * skips functions no driver enabled; every function here is enabled.) */
static bool is_source(struct aer *a, const struct aer_dev *d, const struct err_info *e)
{
    if ((e->id >> 8) != 0) {
        if (d->rid == e->id)
            return true;
        if (!e->multi)
            return false;
    }
    uint32_t flags = PCIE_DEVCTL_CERE | PCIE_DEVCTL_NFERE | PCIE_DEVCTL_FERE | PCIE_DEVCTL_URRE;
    if (!(rd(a, d->rid, PCIE_CAP_BASE + PCIE_DEVCTL) & flags))
        return false;
    unsigned st = e->sev == SEV_COR ? AER_CE_STATUS : AER_UE_STATUS, mk = e->sev == SEV_COR ? AER_CE_MASK : AER_UE_MASK;
    return (rd(a, d->rid, AER_CAP_BASE + st) & ~rd(a, d->rid, AER_CAP_BASE + mk)) != 0;
}

static bool find_source(struct aer *a, struct err_info *e)
{
    char b[16];
    e->ndev = 0;
    for (unsigned i = 0; i < a->ndev; i++)
        if (is_source(a, &a->dev[i], e)) {
            e->dev[e->ndev++] = &a->dev[i];
            if (!e->multi)
                break;
        }
    if (!e->ndev)
        aer_logf(a, "pcieport %s: AER: can't find device of ID%04x", aer_bdf(a->rp, b), e->id);
    return e->ndev != 0;
}

/* aer_get_device_error_info: 0 when there is nothing unmasked to report. */
static bool get_info(struct aer *a, const struct aer_dev *d, struct err_info *e)
{
    e->status = 0;
    e->tlp_valid = false;
    unsigned base = AER_CAP_BASE;
    if (e->sev == SEV_COR) {
        e->status = rd(a, d->rid, base + AER_CE_STATUS);
        e->mask = rd(a, d->rid, base + AER_CE_MASK);
        return (e->status & ~e->mask) != 0;
    }
    if (e->sev == SEV_FATAL)    /* an endpoint: its link may be down, nothing read */
        return true;
    e->status = rd(a, d->rid, base + AER_UE_STATUS);
    e->mask = rd(a, d->rid, base + AER_UE_MASK);
    if (!(e->status & ~e->mask))
        return false;
    e->first = rd(a, d->rid, base + AER_CAP_CTL) & AER_FEP_MASK;
    if (e->status & ((1u << AER_UE_POISON) | (1u << AER_UE_ECRC) | (1u << AER_UE_UR) | (1u << AER_UE_CA) |
                     (1u << AER_UE_UC) | (1u << AER_UE_MALF))) {
        e->tlp_valid = true;
        for (unsigned i = 0; i < 4; i++)
            e->tlp[i] = rd(a, d->rid, base + AER_HEADER_LOG + 4 * i);
    }
    return true;
}

/* The short names Linux's aer_print_error prints for each status bit
 * (aer_correctable_error_string, aer_uncorrectable_error_string); NULL
 * for reserved bits. */
static const char *const cor_names[32] = {
    [0] = "RxErr", [6] = "BadTLP", [7] = "BadDLLP", [8] = "Rollover", [12] = "Timeout",
    [13] = "NonFatalErr", [14] = "CorrIntErr", [15] = "HeaderOF",
};
static const char *const uncor_names[32] = {
    [4] = "DLP", [5] = "SDES", [12] = "TLP", [13] = "FCP", [14] = "CmpltTO", [15] = "CmpltAbrt",
    [16] = "UnxCmplt", [17] = "RxOF", [18] = "MalfTLP", [19] = "ECRC", [20] = "UnsupReq",
    [21] = "ACSViol", [22] = "UncorrIntErr",
};

static const char *bit_name(bool cor, unsigned bit)
{
    const char *n = (cor ? cor_names : uncor_names)[bit & 31u];
    return n ? n : "Unknown Error Bit";
}

/* The layer aer_print_error's type= names (AER_GET_LAYER_ERROR, from the
 * whole status register). */
static const char *layer_of(const struct err_info *e)
{
    uint32_t s = e->status;
    if (e->sev == SEV_COR)
        return (s & 1u) ? "Physical Layer" : (s & 0x11C0u) ? "Data Link Layer" : "Transaction Layer";
    return (s & 0x30u) ? "Data Link Layer" : "Transaction Layer";
}

/* The agent aer_print_error names (AER_GET_AGENT): Completer for a
 * Completer Abort, Requester for a Completion Timeout or Unsupported
 * Request, Transmitter for a replay rollover or timeout, else Receiver. */
static const char *agent_of(const struct err_info *e)
{
    uint32_t s = e->status;
    if (e->sev == SEV_COR)
        return (s & ((1u << AER_CE_REPLAY_ROLL) | (1u << AER_CE_REPLAY_TO))) ? "Transmitter ID" : "Receiver ID";
    if (s & (1u << AER_UE_CA))
        return "Completer ID";
    return (s & ((1u << AER_UE_CTO) | (1u << AER_UE_UR))) ? "Requester ID" : "Receiver ID";
}

static void print_error(struct aer *a, const struct aer_dev *d, const struct err_info *e)
{
    char b[16];
    const char *who = d->drv == AER_DRV_PCIBACK ? "pciback" : "pci";
    aer_bdf(d->rid, b);
    if (!e->status) {
        aer_logf(a, "%s %s: AER: PCIe Bus Error: severity=%s, type=Inaccessible, (Unregistered Agent ID)", who, b,
                 sev_names[e->sev]);
        return;
    }
    aer_logf(a, "%s %s: AER: PCIe Bus Error: severity=%s, type=%s, (%s)", who, b, sev_names[e->sev], layer_of(e),
             agent_of(e));
    aer_logf(a, "%s %s: AER:   error status/mask=%08x/%08x", who, b, e->status, e->mask);
    for (unsigned bit = 0; bit < 32; bit++) {
        if (!((e->status & ~e->mask) >> bit & 1u))
            continue;
        aer_logf(a, "%s %s: AER:    [%2u] %-22s%s", who, b, bit, bit_name(e->sev == SEV_COR, bit),
                 e->sev != SEV_COR && bit == e->first ? " (First)" : "");
    }
    if (e->tlp_valid)
        aer_logf(a, "%s %s: AER:   TLP Header: %08x %08x %08x %08x", who, b, e->tlp[0], e->tlp[1], e->tlp[2],
                 e->tlp[3]);
}

static void handle_source(struct aer *a, struct aer_dev *d, const struct err_info *e)
{
    if (e->sev == SEV_COR) {
        wr(a, d->rid, AER_CAP_BASE + AER_CE_STATUS, e->status);
        /* pci_aer_clear_device_status: Device Status error bits */
        wr(a, d->rid, PCIE_CAP_BASE + PCIE_DEVCTL, rd(a, d->rid, PCIE_CAP_BASE + PCIE_DEVCTL));
        return;
    }
    aer_do_recovery(a, d, e->sev == SEV_FATAL ? PCI_IO_FROZEN : PCI_IO_NORMAL);
}

/* aer_process_err_devices: report all, then handle all. */
static void process_devices(struct aer *a, struct err_info *e)
{
    for (unsigned i = 0; i < e->ndev; i++) {
        unsigned *count = e->sev == SEV_COR ? &e->dev[i]->log.cor
                          : e->sev == SEV_FATAL ? &e->dev[i]->log.fatal : &e->dev[i]->log.nonfatal;
        if (get_info(a, e->dev[i], e)) {
            (*count)++;
            print_error(a, e->dev[i], e);
        }
    }
    for (unsigned i = 0; i < e->ndev; i++)
        if (get_info(a, e->dev[i], e))
            handle_source(a, e->dev[i], e);
}

static void one_kind(struct aer *a, struct err_info *e)
{
    char b[16], s[16];
    aer_logf(a, "pcieport %s: AER: %s%s error received: %s", aer_bdf(a->rp, b), e->multi ? "Multiple " : "",
             sev_names[e->sev], aer_bdf(e->id, s));
    if (find_source(a, e))
        process_devices(a, e);
}

void aer_irq(struct aer *a)
{
    if (!a->probed)
        return;
    uint32_t st = rd(a, a->rp, AER_CAP_BASE + AER_ROOT_STATUS);
    if (!(st & (AER_RSTA_COR | AER_RSTA_UNCOR)))
        return;
    uint32_t src = rd(a, a->rp, AER_CAP_BASE + AER_ERR_SRC);
    wr(a, a->rp, AER_CAP_BASE + AER_ROOT_STATUS, st);
    a->interrupts++;
    struct err_info e;
    if (st & AER_RSTA_COR) {
        e = (struct err_info){.id = AER_SRC_COR(src), .sev = SEV_COR, .multi = (st & AER_RSTA_MULTI_COR) != 0};
        one_kind(a, &e);
    }
    if (st & AER_RSTA_UNCOR) {
        e = (struct err_info){.id = AER_SRC_UNCOR(src), .sev = (st & AER_RSTA_FATAL) ? SEV_FATAL : SEV_NONFATAL,
                              .multi = (st & AER_RSTA_MULTI_UNCOR) != 0};
        one_kind(a, &e);
    }
}
