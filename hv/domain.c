/*
 * domain.c - domain life cycle and the p2m: arithmetic over the domain's
 * memory ranges, with two hash sets on top, the gfns broken in the p2m
 * and the gfns the guest gave back (a given-back gfn maps nothing).
 */
#include "domain.h"

#include <stdlib.h>
#include <string.h>

static const char *const type_names[DOM_TYPE__COUNT] = {"dom0", "pv", "hvm"};
static const char *const state_names[DOM_STATE__COUNT] = {"running", "paused", "crashed", "dying"};

const char *dom_type_name(enum dom_type t)
{
    return (unsigned)t < DOM_TYPE__COUNT ? type_names[t] : "unknown";
}

const char *dom_state_name(enum dom_state s)
{
    return (unsigned)s < DOM_STATE__COUNT ? state_names[s] : "unknown";
}

uint64_t vmce_mcg_cap(const struct vmce_policy *vp)
{
    uint64_t cap = vp->nbanks & MCG_CAP_COUNT_MASK;
    if (vp->ser_p)
        cap |= MCG_SER_P;
    if (vp->tes_p)
        cap |= MCG_TES_P;
    if (vp->cmci_p)
        cap |= MCG_CMCI_P;
    if (vp->lmce_p)
        cap |= MCG_LMCE_P;
    if (vp->ctl_p)
        cap |= MCG_CTL_P;
    return cap;
}

int domain_init(struct domain *d, unsigned id, enum dom_type type, unsigned nvcpus,
                const struct vmce_policy *vp)
{
    memset(d, 0, sizeof(*d));
    if (nvcpus == 0 || nvcpus > 256 || !vp || vp->nbanks == 0 || vp->nbanks > VMCE_MAX_BANKS ||
        vp->err_bank >= vp->nbanks)
        return -1;
    d->vcpu = calloc(nvcpus, sizeof(*d->vcpu));
    if (!d->vcpu)
        return -1;
    d->id = id;
    d->type = type;
    d->nvcpus = nvcpus;
    d->vp = *vp;
    d->mcg_cap = vmce_mcg_cap(vp);
    for (unsigned i = 0; i < nvcpus; i++) {
        d->vcpu[i].id = i;
        d->vcpu[i].up = true;
    }
    return 0;
}

void domain_fini(struct domain *d)
{
    free(d->vcpu);
    free(d->ranges);
    gfn_set_free(&d->broken);
    gfn_set_free(&d->removed);
    gfn_set_free(&d->dirty);
    memset(d, 0, sizeof(*d));
}

int domain_add_range(struct domain *d, uint64_t mfn, uint64_t npages)
{
    return domain_add_range_at(d, DOMAIN_GFN_NEXT, mfn, npages);
}

int domain_add_range_at(struct domain *d, uint64_t gfn, uint64_t mfn, uint64_t npages)
{
    struct p2m_range *r = realloc(d->ranges, (d->nranges + 1) * sizeof(*r));
    if (!r)
        return -1;
    if (gfn == DOMAIN_GFN_NEXT)
        gfn = d->nranges ? r[d->nranges - 1].gfn + r[d->nranges - 1].npages : 0;
    r[d->nranges++] = (struct p2m_range){gfn, mfn, npages};
    d->ranges = r;
    if (gfn + npages > d->nr_pages)
        d->nr_pages = gfn + npages;
    return 0;
}

bool p2m_lookup(const struct domain *d, uint64_t gfn, uint64_t *mfn)
{
    if (gfn_set_has(&d->removed, gfn))
        return false;
    for (unsigned i = 0; i < d->nranges; i++)
        if (gfn >= d->ranges[i].gfn && gfn - d->ranges[i].gfn < d->ranges[i].npages) {
            *mfn = d->ranges[i].mfn + (gfn - d->ranges[i].gfn);
            return true;
        }
    return false;
}

bool p2m_reverse(const struct domain *d, uint64_t mfn, uint64_t *gfn)
{
    for (unsigned i = 0; i < d->nranges; i++)
        if (mfn >= d->ranges[i].mfn && mfn - d->ranges[i].mfn < d->ranges[i].npages) {
            *gfn = d->ranges[i].gfn + (mfn - d->ranges[i].mfn);
            return !gfn_set_has(&d->removed, *gfn);
        }
    return false;
}

bool p2m_is_broken(const struct domain *d, uint64_t gfn)
{
    return gfn_set_has(&d->broken, gfn);
}

size_t p2m_nbroken(const struct domain *d)
{
    return gfn_set_count(&d->broken);
}

int p2m_mark_broken(struct domain *d, uint64_t gfn)
{
    if (gfn_set_add(&d->broken, gfn) != 0)
        return -1;
    return domain_mark_dirty(d, gfn);
}

int p2m_remove(struct domain *d, uint64_t gfn)
{
    uint64_t mfn;
    if (!p2m_lookup(d, gfn, &mfn))
        return -1;
    return gfn_set_add(&d->removed, gfn);
}

int domain_mark_dirty(struct domain *d, uint64_t gfn)
{
    return d->log_dirty ? gfn_set_add(&d->dirty, gfn) : 0;
}

void domain_log_dirty(struct domain *d, bool on)
{
    d->log_dirty = on;
    d->vmce_in_logdirty = false;
    if (on)
        gfn_set_clear(&d->dirty);
    else
        gfn_set_free(&d->dirty); /* out of migration a domain costs nothing */
}
