/*
 * ctl.c - domctl wrappers over dom0's scratch memory (ctl.h).
 */
#include "ctl.h"

#include <errno.h>
#include <string.h>

#define ARRAY_OFF 64u /* the entries follow the struct, cache-line aligned */

_Static_assert(sizeof(struct domctl) <= ARRAY_OFF, "struct domctl outgrew its slot");

size_t ctl_scratch_needed(void) { return ARRAY_OFF + 8u * DOMCTL_PFINFO_MAX_BATCH; }

static struct domctl *slot(const struct ctl *c)
{
    if (c->scratch_len < ctl_scratch_needed())
        return NULL;
    return c->abi->gmem(c->abi->ctx, c->scratch, ctl_scratch_needed());
}

static uint64_t *array(struct domctl *dc) { return (uint64_t *)((char *)dc + ARRAY_OFF); }

static void prepare(struct domctl *dc, uint32_t cmd, unsigned domid)
{
    memset(dc, 0, sizeof(*dc));
    dc->cmd = cmd;
    dc->interface_version = DOMCTL_INTERFACE_VERSION;
    dc->domid = domid;
}

static long call(const struct ctl *c) { return c->abi->hypercall_domctl(c->abi->ctx, c->scratch); }

static long simple(const struct ctl *c, uint32_t cmd, unsigned domid)
{
    struct domctl *dc = slot(c);
    if (!dc)
        return -EFAULT;
    prepare(dc, cmd, domid);
    return call(c);
}

long ctl_pause(const struct ctl *c, unsigned domid) { return simple(c, DOMCTL_PAUSE, domid); }
long ctl_unpause(const struct ctl *c, unsigned domid) { return simple(c, DOMCTL_UNPAUSE, domid); }
long ctl_destroy(const struct ctl *c, unsigned domid) { return simple(c, DOMCTL_DESTROY, domid); }

long ctl_getinfo(const struct ctl *c, unsigned domid, struct domctl_info *out)
{
    struct domctl *dc = slot(c);
    if (!dc)
        return -EFAULT;
    prepare(dc, DOMCTL_GETINFO, domid);
    long rc = call(c);
    if (rc == 0)
        *out = dc->u.info;
    return rc;
}

long ctl_shadow(const struct ctl *c, unsigned domid, enum domctl_shadow_op op, uint64_t *gfns, uint64_t max,
                uint64_t *count)
{
    struct domctl *dc = slot(c);
    if (!dc)
        return -EFAULT;
    if (max > DOMCTL_PFINFO_MAX_BATCH)
        max = DOMCTL_PFINFO_MAX_BATCH;
    prepare(dc, DOMCTL_SHADOW_OP, domid);
    dc->u.shadow.op = op;
    dc->u.shadow.dirty = gfns && max ? c->scratch + ARRAY_OFF : 0;
    dc->u.shadow.max = gfns ? max : 0;
    long rc = call(c);
    if (rc != 0)
        return rc;
    if (count)
        *count = dc->u.shadow.count;
    if (gfns && max) {
        uint64_t n = dc->u.shadow.count < max ? dc->u.shadow.count : max;
        memcpy(gfns, array(dc), n * sizeof(*gfns));
    }
    return 0;
}

long ctl_pfinfo(const struct ctl *c, unsigned domid, uint64_t *entries, unsigned n)
{
    struct domctl *dc = slot(c);
    if (!dc)
        return -EFAULT;
    if (n == 0 || n > DOMCTL_PFINFO_MAX_BATCH)
        return -EINVAL;
    prepare(dc, DOMCTL_GETPAGEFRAMEINFO, domid);
    dc->u.pfinfo.array = c->scratch + ARRAY_OFF;
    dc->u.pfinfo.num = n;
    memcpy(array(dc), entries, n * sizeof(*entries));
    long rc = call(c);
    if (rc == 0)
        memcpy(entries, array(dc), n * sizeof(*entries));
    return rc;
}

long ctl_set_broken(const struct ctl *c, unsigned domid, uint64_t gfn)
{
    struct domctl *dc = slot(c);
    if (!dc)
        return -EFAULT;
    prepare(dc, DOMCTL_SET_BROKEN_PAGE_P2M, domid);
    dc->u.broken.gfn = gfn;
    return call(c);
}

long ctl_get_vmce(const struct ctl *c, unsigned domid, unsigned vcpu, struct domctl_vmce *out)
{
    struct domctl *dc = slot(c);
    if (!dc)
        return -EFAULT;
    prepare(dc, DOMCTL_GET_VMCE, domid);
    dc->u.vmce.vcpu = vcpu;
    long rc = call(c);
    if (rc == 0)
        *out = dc->u.vmce;
    return rc;
}

long ctl_set_vmce(const struct ctl *c, unsigned domid, const struct domctl_vmce *in)
{
    struct domctl *dc = slot(c);
    if (!dc)
        return -EFAULT;
    prepare(dc, DOMCTL_SET_VMCE, domid);
    dc->u.vmce = *in;
    dc->u.vmce.pad = 0;
    return call(c);
}
