/*
 * pcie_fn.c - a PCI Express function's error logging, signalling and
 * configuration registers (pcie_fn.h). Invariant: the First Error Pointer
 * and Header Log describe the first unmasked uncorrectable error whose
 * status bit is still set; once software clears that bit the next
 * unmasked error takes them again (7.8.4.7).
 */
#include "models/pcie/pcie_fn.h"

#include <string.h>

#include "arch/pcie_aer.h"
#include "models/pcie/pcie_errors.h"

static const char *const msg_names[PCIE_MSG__COUNT] = {
    [PCIE_MSG_NONE] = "none",
    [PCIE_MSG_COR] = "ERR_COR",
    [PCIE_MSG_NONFATAL] = "ERR_NONFATAL",
    [PCIE_MSG_FATAL] = "ERR_FATAL",
};

const char *pcie_msg_name(enum pcie_msg m) { return (unsigned)m < PCIE_MSG__COUNT ? msg_names[m] : "?"; }

void pcie_fn_init(struct pcie_fn *f, unsigned rid, bool root_port)
{
    *f = (struct pcie_fn){.rid = rid, .root_port = root_port, .ue_mask = AER_UE_MASK_DEFAULT,
                          .ue_sever = AER_UE_SEVER_DEFAULT, .ce_mask = AER_CE_MASK_DEFAULT};
}

bool pcie_fn_fep_valid(const struct pcie_fn *f)
{
    unsigned fep = f->cap_ctl & AER_FEP_MASK;
    return (f->ue_status & ~f->ue_mask & (1u << fep)) != 0;
}

static enum pcie_msg detect_correctable(struct pcie_fn *f, unsigned bit)
{
    f->devsta |= PCIE_DEVSTA_CED;
    f->ce_status |= 1u << bit;
    if (f->ce_mask & (1u << bit))
        return PCIE_MSG_NONE;
    return (f->devctl & PCIE_DEVCTL_CERE) ? PCIE_MSG_COR : PCIE_MSG_NONE;
}

/* Figure 6-2, uncorrectable branch. An Unsupported Request also sets
 * Unsupported Request Detected and is reported only with URRE (6.2.5). */
static enum pcie_msg detect_uncorrectable(struct pcie_fn *f, const struct pcie_error_type *e, const uint32_t hdr[4])
{
    uint32_t b = 1u << e->bit;
    bool fatal = (f->ue_sever & b) != 0;
    f->devsta |= fatal ? PCIE_DEVSTA_FED : PCIE_DEVSTA_NFED;
    if (e->bit == AER_UE_UR)
        f->devsta |= PCIE_DEVSTA_URD;
    if (f->ue_mask & b) {
        f->ue_status |= b;
        return PCIE_MSG_NONE;
    }
    if (!pcie_fn_fep_valid(f)) {
        f->cap_ctl = (f->cap_ctl & ~AER_FEP_MASK) | e->bit;
        if (e->logs_header && hdr)
            memcpy(f->hdr, hdr, sizeof(f->hdr));
        else
            memset(f->hdr, 0, sizeof(f->hdr));
    }
    f->ue_status |= b;
    if (e->bit == AER_UE_UR && !(f->devctl & PCIE_DEVCTL_URRE))
        return PCIE_MSG_NONE;
    if (fatal)
        return (f->devctl & PCIE_DEVCTL_FERE) ? PCIE_MSG_FATAL : PCIE_MSG_NONE;
    return (f->devctl & PCIE_DEVCTL_NFERE) ? PCIE_MSG_NONFATAL : PCIE_MSG_NONE;
}

enum pcie_msg pcie_fn_detect(struct pcie_fn *f, unsigned err, const uint32_t hdr[4])
{
    const struct pcie_error_type *e = pcie_error_at(err);
    if (!e)
        return PCIE_MSG_NONE;
    return e->correctable ? detect_correctable(f, e->bit) : detect_uncorrectable(f, e, hdr);
}

/* 7.8.4.10: the first message of a kind is recorded with its source; a
 * later one while the Received bit is still set only sets Multiple. */
static unsigned receive_cor(struct pcie_fn *rp, unsigned src)
{
    if (rp->root_status & AER_RSTA_COR) {
        rp->root_status |= AER_RSTA_MULTI_COR;
    } else {
        rp->root_status |= AER_RSTA_COR;
        rp->err_src = (rp->err_src & 0xFFFF0000u) | (src & 0xFFFFu);
    }
    return ((rp->root_cmd & AER_RCMD_COR) ? PCIE_SIG_IRQ : 0) |
           ((rp->rootctl & PCIE_ROOTCTL_SECEE) ? PCIE_SIG_SERR : 0);
}

static unsigned receive_uncor(struct pcie_fn *rp, bool fatal, unsigned src)
{
    if (rp->root_status & AER_RSTA_UNCOR) {
        rp->root_status |= AER_RSTA_MULTI_UNCOR;
    } else {
        rp->root_status |= AER_RSTA_UNCOR | (fatal ? AER_RSTA_FIRST_FATAL : 0);
        rp->err_src = (rp->err_src & 0xFFFFu) | ((src & 0xFFFFu) << 16);
    }
    rp->root_status |= fatal ? AER_RSTA_FATAL : AER_RSTA_NONFATAL;
    uint32_t en = fatal ? AER_RCMD_FATAL : AER_RCMD_NONFATAL;
    uint16_t se = fatal ? PCIE_ROOTCTL_SEFEE : PCIE_ROOTCTL_SENFEE;
    return ((rp->root_cmd & en) ? PCIE_SIG_IRQ : 0) | ((rp->rootctl & se) ? PCIE_SIG_SERR : 0);
}

unsigned pcie_fn_receive(struct pcie_fn *rp, enum pcie_msg m, unsigned src)
{
    if (!rp->root_port)
        return 0;
    switch (m) {
    case PCIE_MSG_COR:
        return receive_cor(rp, src);
    case PCIE_MSG_NONFATAL:
    case PCIE_MSG_FATAL:
        return receive_uncor(rp, m == PCIE_MSG_FATAL, src);
    default:
        return 0;
    }
}

#define RSTA_BITS 0x7Fu
#define ERR_BITS 0xFu

uint32_t pcie_fn_read(const struct pcie_fn *f, unsigned off)
{
    if (off >= AER_CAP_BASE + AER_HEADER_LOG && off < AER_CAP_BASE + AER_HEADER_LOG + 16)
        return f->hdr[(off - AER_CAP_BASE - AER_HEADER_LOG) / 4];
    switch (off) {
    case PCIE_CAP_BASE + PCIE_DEVCTL: return f->devctl | ((uint32_t)f->devsta << 16);
    case PCIE_CAP_BASE + PCIE_ROOTCTL: return f->root_port ? f->rootctl : 0;
    case AER_CAP_BASE + AER_UE_STATUS: return f->ue_status;
    case AER_CAP_BASE + AER_UE_MASK: return f->ue_mask;
    case AER_CAP_BASE + AER_UE_SEVER: return f->ue_sever;
    case AER_CAP_BASE + AER_CE_STATUS: return f->ce_status;
    case AER_CAP_BASE + AER_CE_MASK: return f->ce_mask;
    case AER_CAP_BASE + AER_CAP_CTL: return f->cap_ctl;
    case AER_CAP_BASE + AER_ROOT_CMD: return f->root_port ? f->root_cmd : 0;
    case AER_CAP_BASE + AER_ROOT_STATUS: return f->root_port ? f->root_status : 0;
    case AER_CAP_BASE + AER_ERR_SRC: return f->root_port ? f->err_src : 0;
    default: return 0;
    }
}

void pcie_fn_write(struct pcie_fn *f, unsigned off, uint32_t v)
{
    switch (off) {
    case PCIE_CAP_BASE + PCIE_DEVCTL:
        f->devctl = (uint16_t)(v & ERR_BITS);
        f->devsta &= (uint16_t)~((v >> 16) & ERR_BITS);
        break;
    case PCIE_CAP_BASE + PCIE_ROOTCTL:
        if (f->root_port)
            f->rootctl = (uint16_t)(v & 0x7u);
        break;
    case AER_CAP_BASE + AER_UE_STATUS: f->ue_status &= ~v; break;
    case AER_CAP_BASE + AER_UE_MASK: f->ue_mask = v; break;
    case AER_CAP_BASE + AER_UE_SEVER: f->ue_sever = v; break;
    case AER_CAP_BASE + AER_CE_STATUS: f->ce_status &= ~v; break;
    case AER_CAP_BASE + AER_CE_MASK: f->ce_mask = v; break;
    case AER_CAP_BASE + AER_ROOT_CMD:
        if (f->root_port)
            f->root_cmd = v & 0x7u;
        break;
    case AER_CAP_BASE + AER_ROOT_STATUS:
        if (f->root_port)
            f->root_status &= ~(v & RSTA_BITS);
        break;
    default: break;
    }
}

void pcie_fn_hot_reset(struct pcie_fn *f)
{
    f->devctl = 0;
    f->devsta = 0;
    f->rootctl = 0;
    f->root_cmd = 0;
    f->hot_resets++;
}
