/*
 * scenario_expect_probes.c - the expectations about the answers the probe
 * events got and about host pages: `expect.msrs` (one item per rdmsr,
 * wrmsr, host_rdmsr or host_wrmsr event, in event order), `expect.calls`
 * (one per hypercall, balloon or destroy event, in order) and
 * `expect.pages` (the state of named host pages at the end).
 *
 * Each item says only what it checks; an absent key matches anything.
 * Return codes are written 0 or by errno name (EINVAL, ...), or a grant
 * operation's GNTST_bad_page.
 */
#include "sim/scenario/scenario.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "hv/public/hv_touch.h"
#include "sim/scenario/scenario_values.h"
#include "sim/scenario/scenario_walk.h"

#define MAX_EXPECT 10000

static const char *const op_v[] = {"read", "write"};
static const struct names op_names = {op_v, 2};

#define XM(m) offsetof(struct scn_expect_msr, m)
static const struct field xmsr_fields[] = {
    {.key = "host", .rd = ld_rd_host_int, .off = XM(host)},
    {.key = "domain", .rd = ld_rd_uint, .off = XM(domain), .max = LD_MAX_DOMID},
    {.key = "cpu", .rd = ld_rd_uint, .off = XM(cpu), .max = 255},
    {.key = "vcpu", .rd = ld_rd_uint, .off = XM(cpu), .max = SCN_MAX_VCPUS - 1},
    {.key = "msr", .rd = ld_rd_guest_msr, .off = XM(msr)},
    {.key = "op", .rd = ld_rd_enum_int, .off = XM(write), .names = &op_names},
    {.key = "gp", .rd = ld_rd_tribool, .off = XM(gp)},
    {.key = "value", .rd = ld_rd_u64, .off = XM(value), .max = UINT64_MAX},
    {.key = "mask", .rd = ld_rd_u64, .off = XM(mask), .max = UINT64_MAX},
};

static int xmsr_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)i, (void)ctx;
    struct scn_expect_msr *m = elem;
    struct seen sn;
    *m = (struct scn_expect_msr){.host = -1, .domain = -1, .cpu = -1, .write = -1, .gp = -1, .mask = UINT64_MAX,
                                 .loc = ld_loc(item)};
    if (LD_WALK(l, item, "msr result", xmsr_fields, m, &sn) < 0)
        return -1;
    if (ld_seen_key(&sn, "cpu") && ld_seen_key(&sn, "vcpu"))
        return ld_fail(l, ld_seen_key(&sn, "vcpu"), "cpu is a host CPU's, vcpu a domain's",
                       "'cpu' and 'vcpu' cannot both be given");
    if (ld_seen_key(&sn, "vcpu") && !ld_seen_key(&sn, "domain"))
        return ld_fail(l, ld_seen_key(&sn, "vcpu"), "add 'domain: ID'", "'vcpu' needs 'domain'");
    m->has_msr = ld_seen_key(&sn, "msr") != NULL;
    m->has_value = ld_seen_key(&sn, "value") != NULL;
    if (m->has_value && (m->value & ~m->mask))
        return ld_fail(l, ld_seen_val(&sn, "value"), "clear those bits in value, or widen mask",
                       "'value' has bits outside 'mask'");
    if (m->has_value && m->gp == 1)
        return ld_fail(l, ld_seen_val(&sn, "value"), "a faulting access has no value",
                       "'value' cannot be checked with 'gp: true'");
    return 0;
}

int ld_rd_xmsrs(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 0, MAX_EXPECT, sizeof(struct scn_expect_msr), &arr, &x->nmsrs) < 0)
        return -1;
    x->msrs = arr;
    x->has_msrs = true;
    return ld_seq_each(l, v, arr, sizeof(struct scn_expect_msr), NULL, xmsr_item);
}

/* 0, or -errno by name. */
static const struct {
    const char *name;
    int err;
} errnos[] = {
    {"EPERM", EPERM},   {"ENOENT", ENOENT}, {"ESRCH", ESRCH},   {"ENOMEM", ENOMEM}, {"EACCES", EACCES},
    {"EFAULT", EFAULT}, {"EBUSY", EBUSY},   {"EEXIST", EEXIST}, {"ENODEV", ENODEV}, {"EINVAL", EINVAL},
    {"EOPNOTSUPP", EOPNOTSUPP},
    {"GNTST_bad_page", -HV_GNTST_BAD_PAGE}, /* a grant operation's status (hv_access) */
};

static int rd_rc(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    long long *rc = ld_member(obj, f->off);
    const char *s = ld_scalar(l, v, f->key, "0 or an errno name");
    if (!s)
        return -1;
    if (strcmp(s, "0") == 0)
        return *rc = 0, 0;
    for (unsigned i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
        if (strcmp(s, errnos[i].name) == 0)
            return *rc = -errnos[i].err, 0;
    const char *buf[sizeof(errnos) / sizeof(errnos[0])];
    for (unsigned i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
        buf[i] = errnos[i].name;
    struct names nm = {buf, sizeof(errnos) / sizeof(errnos[0])};
    return ld_fail_names(l, v, s, "return codes", &nm, "'%s': '%.40s' is not 0 or an errno name", f->key, s);
}

static const char *const call_v[] = {"hypercall", "balloon", "destroy", "hv_access", "cpu_offline", "cpu_online"};
static const struct names call_names = {call_v, 6};
static const enum scn_event_kind call_kinds[] = {SCN_EV_HYPERCALL, SCN_EV_BALLOON,     SCN_EV_DESTROY,
                                                 SCN_EV_HV_ACCESS, SCN_EV_CPU_OFFLINE, SCN_EV_CPU_ONLINE};

#define XC(m) offsetof(struct scn_expect_call, m)
static const struct field xcall_fields[] = {
    {.key = "call", .rd = ld_rd_enum_int, .off = XC(kind), .names = &call_names},
    {.key = "rc", .rd = rd_rc, .off = XC(rc)},
    {.key = "status", .rd = ld_rd_u64, .off = XC(status), .max = UINT64_MAX},
    {.key = "mask", .rd = ld_rd_u64, .off = XC(mask), .max = UINT64_MAX},
    {.key = "vendor", .rd = ld_rd_u64, .off = XC(vendor), .max = UINT32_MAX},
};

static int xcall_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)i, (void)ctx;
    struct scn_expect_call *c = elem;
    struct seen sn;
    *c = (struct scn_expect_call){.kind = -1, .mask = UINT64_MAX, .loc = ld_loc(item)};
    if (LD_WALK(l, item, "call result", xcall_fields, c, &sn) < 0)
        return -1;
    if (c->kind >= 0)
        c->kind = (int)call_kinds[c->kind];
    c->has_rc = ld_seen_key(&sn, "rc") != NULL;
    c->has_status = ld_seen_key(&sn, "status") != NULL;
    c->has_vendor = ld_seen_key(&sn, "vendor") != NULL;
    if (c->has_status && (c->status & ~c->mask))
        return ld_fail(l, ld_seen_val(&sn, "status"), "clear those bits in status, or widen mask",
                       "'status' has bits outside 'mask'");
    return 0;
}

int ld_rd_xcalls(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 0, MAX_EXPECT, sizeof(struct scn_expect_call), &arr, &x->ncalls) < 0)
        return -1;
    x->calls = arr;
    x->has_calls = true;
    return ld_seq_each(l, v, arr, sizeof(struct scn_expect_call), NULL, xcall_item);
}

static const char *const pstate_v[] = {"normal", "offline-pending", "offlined"};
static const struct names pstate_names = {pstate_v, 3};

#define XP(m) offsetof(struct scn_expect_page, m)
static const struct field xpage_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = XP(host)},
    {.key = "mfn", .rd = ld_rd_u64, .off = XP(mfn), .max = (1ull << 52) - 1, .flags = F_REQ},
    {.key = "state", .rd = ld_rd_enum_int, .off = XP(state), .names = &pstate_names},
    {.key = "broken", .rd = ld_rd_tribool, .off = XP(broken)},
};

static int xpage_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)i, (void)ctx;
    struct scn_expect_page *p = elem;
    struct seen sn;
    *p = (struct scn_expect_page){.state = -1, .broken = -1, .loc = ld_loc(item)};
    return LD_WALK(l, item, "page", xpage_fields, p, &sn);
}

int ld_rd_xpages(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 0, MAX_EXPECT, sizeof(struct scn_expect_page), &arr, &x->npages) < 0)
        return -1;
    x->pages = arr;
    return ld_seq_each(l, v, arr, sizeof(struct scn_expect_page), NULL, xpage_item);
}
