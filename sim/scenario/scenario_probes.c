/*
 * scenario_probes.c - the events whose answers a scenario checks, one by
 * one, in `expect.msrs` and `expect.calls`: a guest vCPU's MSR read or
 * write (rdmsr, wrmsr), a host CPU's (host_rdmsr, host_wrmsr), the MCA
 * hypercall made by a domain (hypercall), a guest giving a page back
 * (balloon), the toolstack destroying a domain (destroy) and the
 * hypervisor reading a domain's frame on one of its paths (hv_access).
 *
 * A domain is named by id and must be listed under `domains`; its host is
 * the one it is placed on. Hypercall arguments are dom0's layout of
 * public/mca_abi.h, with knobs to break them on purpose.
 */
#include "sim/scenario/scenario.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "hv/public/hv_touch.h"
#include "hv/public/mca_abi.h"
#include "sim/scenario/scenario_values.h"
#include "sim/scenario/scenario_walk.h"

/* The domain named at `at` (its host in *host), or NULL with the error set. */
static const struct scn_domain *domain_at(struct ld *l, const yaml_node_t *at, unsigned id, unsigned *host)
{
    const struct scn_domain *d = ld_domain(l, at, id);
    if (d)
        *host = d->host;
    return d;
}

struct gmsr_text {
    unsigned domain, vcpu, host;
    uint32_t msr;
    uint64_t value;
};
#define GM(m) offsetof(struct gmsr_text, m)
static const struct field guest_msr_fields[] = {
    {.key = "domain", .rd = ld_rd_uint, .off = GM(domain), .max = LD_MAX_DOMID, .flags = F_REQ},
    {.key = "vcpu", .rd = ld_rd_uint, .off = GM(vcpu), .max = SCN_MAX_VCPUS - 1},
    {.key = "msr", .rd = ld_rd_guest_msr, .off = GM(msr), .flags = F_REQ},
    {.key = "value", .rd = ld_rd_u64, .off = GM(value), .max = UINT64_MAX},
    {.key = "host", .rd = ld_rd_host, .off = GM(host)},
};

static int check_value(struct ld *l, const struct field *f, const yaml_node_t *v, const struct seen *sn,
                       bool write)
{
    if (write != (ld_seen_key(sn, "value") != NULL))
        return ld_fail(l, write ? v : ld_seen_key(sn, "value"),
                       write ? "add 'value: N'" : "expect the value read in expect.msrs",
                       write ? "'%s' needs the value written" : "'%s' takes no value", f->key);
    return 0;
}

static int rd_guest_msr(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj, bool write)
{
    struct scn_event *ev = obj;
    struct gmsr_text t = {0};
    struct seen sn;
    ev->kind = SCN_EV_MSR;
    if (LD_WALK(l, v, f->key, guest_msr_fields, &t, &sn) < 0 || check_value(l, f, v, &sn, write) < 0)
        return -1;
    struct scn_msr_probe *p = &ev->u.msr;
    *p = (struct scn_msr_probe){.domain = (int)t.domain, .cpu = t.vcpu, .msr = t.msr, .write = write,
                                .value = t.value};
    const struct scn_domain *d = domain_at(l, ld_seen_val(&sn, "domain"), t.domain, &p->host);
    if (!d)
        return -1;
    if (t.vcpu >= d->nvcpus)
        return ld_fail(l, ld_seen_val(&sn, "vcpu"), NULL, "domain %u has %u vCPU(s)", t.domain, d->nvcpus);
    if (ld_seen_key(&sn, "host")) /* the host it migrated to: its hypervisor answers there */
        p->host = t.host;
    return 0;
}

int ld_ev_rdmsr(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_guest_msr(l, f, v, obj, false);
}

int ld_ev_wrmsr(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_guest_msr(l, f, v, obj, true);
}

#define MP(m) offsetof(struct scn_msr_probe, m)
static const struct field host_msr_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = MP(host)},
    {.key = "cpu", .rd = ld_rd_cpu, .off = MP(cpu), .host_off = MP(host), .flags = F_REQ},
    {.key = "msr", .rd = ld_rd_msr, .off = MP(msr), .host_off = MP(host), .flags = F_REQ},
    {.key = "value", .rd = ld_rd_u64, .off = MP(value), .max = UINT64_MAX},
};

static int rd_host_msr(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj, bool write)
{
    struct scn_event *ev = obj;
    struct seen sn;
    ev->kind = SCN_EV_MSR;
    ev->u.msr = (struct scn_msr_probe){.domain = -1, .write = write};
    if (LD_WALK(l, v, f->key, host_msr_fields, &ev->u.msr, &sn) < 0)
        return -1;
    return check_value(l, f, v, &sn, write);
}

int ld_ev_host_rdmsr(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_host_msr(l, f, v, obj, false);
}

int ld_ev_host_wrmsr(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_host_msr(l, f, v, obj, true);
}

/* A command by name (public/mca_abi.h and Xen's XEN_MC_* numbers) or number. */
static const char *const cmd_v[] = {"", "fetch", "notifydomain", "physcpuinfo", "msrinject", "mceinject",
                                    "inject_v2", "offline_page", "spare_rank"};
static const char *const spare_mode_v[] = {"spare", "mirror"};
static const struct names spare_mode_names = {spare_mode_v, 2};

static int rd_cmd(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    uint32_t *cmd = ld_member(obj, f->off);
    const char *s = ld_scalar(l, v, f->key, "a command name or number");
    if (!s)
        return -1;
    int i = scv_lookup(s, cmd_v, sizeof(cmd_v) / sizeof(cmd_v[0]));
    if (i > 0)
        return *cmd = (uint32_t)i, 0;
    uint64_t x;
    if (scv_uint(s, &x) == SCV_OK && x <= UINT32_MAX)
        return *cmd = (uint32_t)x, 0;
    struct names nm = {cmd_v + 1, sizeof(cmd_v) / sizeof(cmd_v[0]) - 1};
    return ld_fail_names(l, v, s, "commands", &nm, "'%s': unknown command '%.40s'", f->key, s);
}

/* flags: a list of urgent, nonurgent, ack, or a number. */
static int rd_flags(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    static const char *const flag_v[] = {"urgent", "nonurgent", "ack"};
    static const uint32_t bits[] = {MCA_FLAG_URGENT, MCA_FLAG_NONURGENT, MCA_FLAG_ACK};
    uint32_t *flags = ld_member(obj, f->off);
    if (v->type == YAML_SCALAR_NODE) {
        uint64_t x;
        if (ld_read_uint(l, &(struct field){.key = f->key, .max = UINT32_MAX}, v, &x) < 0)
            return -1;
        return *flags = (uint32_t)x, 0;
    }
    if (ld_want_kind(l, v, YAML_SEQUENCE_NODE, f->key) < 0)
        return -1;
    *flags = 0;
    for (const yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *item = ld_node(l, *it);
        const char *s = item ? ld_scalar(l, item, f->key, "a flag name") : NULL;
        if (!s)
            return -1;
        int k = scv_lookup(s, flag_v, 3);
        if (k < 0) {
            struct names nm = {flag_v, 3};
            return ld_fail_names(l, item, s, "flags", &nm, "'%s': unknown flag '%.40s'", f->key, s);
        }
        *flags |= bits[k];
    }
    return 0;
}

static const char *const op_v[] = {"", "offline", "online", "query"};
static const char *const action_v[] = {"", "notify", "kill", "save", "ignore"};

static int rd_named_u32(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj,
                        const char *const *names, unsigned n)
{
    uint32_t *out = ld_member(obj, f->off);
    const char *s = ld_scalar(l, v, f->key, "a name or number");
    if (!s)
        return -1;
    int i = scv_lookup(s, names, n);
    uint64_t x;
    if (i > 0)
        return *out = (uint32_t)i, 0;
    if (scv_uint(s, &x) == SCV_OK && x <= UINT32_MAX)
        return *out = (uint32_t)x, 0;
    struct names nm = {names + 1, n - 1};
    return ld_fail_names(l, v, s, "names", &nm, "'%s': unknown '%.40s'", f->key, s);
}

static int rd_op(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_named_u32(l, f, v, obj, op_v, 4);
}

static int rd_action(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_named_u32(l, f, v, obj, action_v, 5);
}

#define HC(m) offsetof(struct scn_hypercall, m)
static const struct field call_fields[] = {
    {.key = "caller", .rd = ld_rd_uint, .off = HC(caller), .max = LD_MAX_DOMID},
    {.key = "cmd", .rd = rd_cmd, .off = HC(cmd), .flags = F_REQ},
    {.key = "version", .rd = ld_rd_uint, .off = HC(version), .max = UINT32_MAX},
    {.key = "flags", .rd = rd_flags, .off = HC(flags)},
    {.key = "fetch_id", .rd = ld_rd_u64, .off = HC(fetch_id), .max = UINT64_MAX},
    {.key = "no_buffer", .rd = ld_rd_bool, .off = HC(no_buffer)},
    {.key = "bad_arg", .rd = ld_rd_bool, .off = HC(bad_arg)},
    {.key = "ncpus", .rd = ld_rd_uint, .off = HC(ncpus), .max = UINT32_MAX},
    {.key = "mfn", .rd = ld_rd_u64, .off = HC(mfn), .max = UINT64_MAX},
    {.key = "op", .rd = rd_op, .off = HC(op)},
    {.key = "domid", .rd = ld_rd_uint, .off = HC(domid), .max = UINT32_MAX},
    {.key = "action", .rd = rd_action, .off = HC(action)},
    {.key = "bank", .rd = ld_rd_uint, .off = HC(bank), .max = UINT32_MAX},
    {.key = "record", .rd = ld_rd_u64, .off = HC(record), .max = UINT64_MAX},
    {.key = "addr", .rd = ld_rd_u64, .off = HC(addr), .max = UINT64_MAX},
    {.key = "mode", .rd = ld_rd_enum, .off = HC(mode), .names = &spare_mode_names},
};

int ld_ev_hypercall(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    struct scn_hypercall *c = &ev->u.call;
    struct seen sn;
    ev->kind = SCN_EV_HYPERCALL;
    *c = (struct scn_hypercall){.version = MCA_INTERFACE_VERSION, .ncpus = 256, .op = MCA_OFFLINE_OP_OFFLINE};
    if (LD_WALK(l, v, f->key, call_fields, c, &sn) < 0)
        return -1;
    const yaml_node_t *at = ld_seen_val(&sn, "caller");
    return domain_at(l, at ? at : v, c->caller, &c->host) ? 0 : -1;
}

struct balloon_text {
    unsigned domain;
    uint64_t gaddr;
};
#define BT(m) offsetof(struct balloon_text, m)
static const struct field balloon_fields[] = {
    {.key = "domain", .rd = ld_rd_uint, .off = BT(domain), .max = LD_MAX_DOMID, .flags = F_REQ},
    {.key = "gaddr", .rd = ld_rd_u64, .off = BT(gaddr), .max = UINT64_MAX, .flags = F_REQ},
};

int ld_ev_balloon(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    struct balloon_text b = {0};
    struct seen sn;
    ev->kind = SCN_EV_BALLOON;
    if (LD_WALK(l, v, f->key, balloon_fields, &b, &sn) < 0)
        return -1;
    ev->u.balloon.domain = b.domain;
    ev->u.balloon.gaddr = b.gaddr;
    return domain_at(l, ld_seen_val(&sn, "domain"), b.domain, &ev->u.balloon.host) ? 0 : -1;
}

static const struct field destroy_fields[] = {
    {.key = "domain", .rd = ld_rd_uint, .off = 0, .max = LD_MAX_DOMID, .flags = F_REQ},
};

int ld_ev_destroy(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    unsigned domid = 0;
    struct seen sn;
    ev->kind = SCN_EV_DESTROY;
    if (LD_WALK(l, v, f->key, destroy_fields, &domid, &sn) < 0)
        return -1;
    if (domid == 0)
        return ld_fail(l, ld_seen_val(&sn, "domain"), "dom0 runs the toolstack; destroy a guest",
                       "dom0 cannot be destroyed");
    ev->u.destroy.domain = domid;
    return domain_at(l, ld_seen_val(&sn, "domain"), domid, &ev->u.destroy.host) ? 0 : -1;
}


/* hv_access: the hypervisor reads a domain's frame on one of its paths
 * (hv/hv_touch.c). `by` is the domain whose vCPU Xen runs for: the owner
 * itself for its hypercalls, emulation and page-table walks, dom0 for a
 * grant copy or mapping (the backend) and for kexec_load. */
struct hv_access_text {
    unsigned domain, by, vcpu, path;
    uint64_t gaddr;
};

static const char *path_at(unsigned i) { return hv_path_name((enum hv_path)i); }

static int rd_path(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    const char *buf[HV_PATH__COUNT];
    struct names nm = ld_names_from(buf, HV_PATH__COUNT, path_at);
    struct field named = *f;
    named.names = &nm;
    return ld_rd_enum(l, &named, v, obj);
}

#define HA(m) offsetof(struct hv_access_text, m)
static const struct field hv_access_fields[] = {
    {.key = "domain", .rd = ld_rd_uint, .off = HA(domain), .max = LD_MAX_DOMID, .flags = F_REQ},
    {.key = "gaddr", .rd = ld_rd_u64, .off = HA(gaddr), .max = UINT64_MAX, .flags = F_REQ},
    {.key = "path", .rd = rd_path, .off = HA(path), .flags = F_REQ},
    {.key = "by", .rd = ld_rd_uint, .off = HA(by), .max = LD_MAX_DOMID},
    {.key = "vcpu", .rd = ld_rd_uint, .off = HA(vcpu), .max = SCN_MAX_VCPUS - 1},
};

static bool backend_path(unsigned path)
{
    return path == HV_PATH_GRANT_COPY || path == HV_PATH_GRANT_MAP || path == HV_PATH_KEXEC_LOAD;
}

static int hv_access_check(struct ld *l, const struct seen *sn, const struct hv_access_text *t,
                           const struct scn_domain *d)
{
    if (t->path == HV_PATH_KEXEC_LOAD && t->domain != 0)
        return ld_fail(l, ld_seen_val(sn, "domain"), "kexec_load copies dom0's buffers: use 'domain: 0'",
                       "kexec_load reads dom0's memory, not domain %u's", t->domain);
    if (t->path == HV_PATH_GRANT_MAP && t->by != 0)
        return ld_fail(l, ld_seen_val(sn, "by"), "dom0 is the backend mcasim models: use 'by: 0'",
                       "grant_map by domain %u", t->by);
    const yaml_node_t *at = ld_seen_val(sn, "by");
    const struct scn_domain *b = ld_domain(l, at ? at : ld_seen_val(sn, "domain"), t->by);
    if (!b)
        return -1;
    if (b->host != d->host)
        return ld_fail(l, at ? at : ld_seen_val(sn, "domain"), "both domains must run on one host",
                       "domain %u is on another host than domain %u", t->by, t->domain);
    if (t->vcpu >= b->nvcpus)
        return ld_fail(l, ld_seen_val(sn, "vcpu"), NULL, "domain %u has %u vCPU(s)", t->by, b->nvcpus);
    return 0;
}

int ld_ev_hv_access(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    struct hv_access_text t = {0};
    struct seen sn;
    ev->kind = SCN_EV_HV_ACCESS;
    if (LD_WALK(l, v, f->key, hv_access_fields, &t, &sn) < 0)
        return -1;
    if (!ld_seen_key(&sn, "by"))
        t.by = backend_path(t.path) ? 0 : t.domain;
    unsigned host;
    const struct scn_domain *d = domain_at(l, ld_seen_val(&sn, "domain"), t.domain, &host);
    if (!d || hv_access_check(l, &sn, &t, d) < 0)
        return -1;
    ev->u.hv_access.host = host;
    ev->u.hv_access.domain = t.domain;
    ev->u.hv_access.by = t.by;
    ev->u.hv_access.vcpu = t.vcpu;
    ev->u.hv_access.path = t.path;
    ev->u.hv_access.gaddr = t.gaddr;
    return 0;
}
