/*
 * scenario_events.c - the `events:` timeline of a scenario file: each
 * event's time and repeats and its one action (an error injected into a
 * bank, a change of a CPU's context or CR4.MCE, a stall, a guest's memory
 * access, a DRAM fault, a memory read, fetch, write or LLC writeback, a
 * host CPU taken offline or brought online, a guest's vCPU taken offline
 * or brought up; the
 * migrate event is read in scenario_migration.c, the events whose answers
 * expect.msrs and expect.calls check, hv_access included, in
 * scenario_probes.c).
 *
 * Events are read after the platform and the domains, so the hosts, CPUs,
 * banks and domains they name are checked as they are read.
 */
#include "sim/scenario/scenario.h"

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_mca.h"
#include "hv/public/fw_abi.h"
#include "sim/scenario/scenario_values.h"
#include "sim/scenario/scenario_walk.h"
#include "sim/scenario/timeline.h"

#define MAX_EVENTS 100000
#define MAX_REPEAT 1000000

/* Enum members are written as unsigned by ld_rd_enum and rd_ctx. */
_Static_assert(sizeof(enum scn_signal) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum x86_exec_ctx) == sizeof(unsigned), "enum size");

static const char *const access_v[] = {"load", "fetch"};
static const struct names access_names = {access_v, 2};
static const char *const mode_v[] = {"kernel", "user"};
static const struct names mode_names = {mode_v, 2};

static const char *const signal_v[] = {[SCN_SIGNAL_AUTO] = "auto", [SCN_SIGNAL_MCE] = "mce",
                                       [SCN_SIGNAL_CMCI] = "cmci", [SCN_SIGNAL_NONE] = "none"};
static const struct names signal_names = {signal_v, 4};

static const char *ctx_name_at(unsigned i) { return x86_ctx_name((enum x86_exec_ctx)i); }

static int read_ctx(struct ld *l, const struct field *f, const yaml_node_t *v)
{
    const char *s = ld_scalar(l, v, f->key, "a context name");
    if (!s)
        return -1;
    enum x86_exec_ctx c = x86_ctx_from_name(s);
    if (c != X86_CTX__COUNT)
        return (int)c;
    const char *buf[X86_CTX__COUNT];
    struct names nm = ld_names_from(buf, X86_CTX__COUNT, ctx_name_at);
    return ld_fail_names(l, v, s, "contexts", &nm, "'%s': unknown context '%.40s'", f->key, s);
}

static int rd_ctx(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    int i = read_ctx(l, f, v);
    if (i < 0)
        return -1;
    *(unsigned *)ld_member(obj, f->off) = (unsigned)i;
    return 0;
}

/* A context into an int that is -1 ("the CPU's current context") while absent. */
static int rd_ctx_int(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    int i = read_ctx(l, f, v);
    if (i < 0)
        return -1;
    *(int *)ld_member(obj, f->off) = i;
    return 0;
}

static int rd_status(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    uint64_t *st = ld_member(obj, f->off);
    if (ld_read_status(l, f, v, MCA_REG_STATUS, st) < 0)
        return -1;
    if (!(*st & MCI_STATUS_VAL))
        return ld_fail(l, v, "hardware only logs valid errors: set bit 63 (VAL), e.g. 0x8000000000000000 | ..., "
                       "or [val, ...]",
                       "'status' %#llx has no VAL bit (bit 63)", (unsigned long long)*st);
    return 0;
}

static int rd_mcg_status(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    ev->u.inject.has_mcg_status = true;
    return ld_read_status(l, f, v, MCA_REG_MCG_STATUS, ld_member(obj, f->off));
}

/* broadcast: false is stored as no_broadcast, so a zeroed inject broadcasts. */
static int rd_broadcast(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    bool b;
    if (ld_read_bool(l, f, v, &b) < 0)
        return -1;
    *(bool *)ld_member(obj, f->off) = !b;
    return 0;
}

static int rd_local(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    bool *local = ld_member(obj, f->off);
    if (ld_read_bool(l, f, v, local) < 0)
        return -1;
    const struct scn_host *h = ld_host(l, ld_host_of(f, obj));
    /* SDM 15.3.1.5: only a part with MCG_CAP.LMCE_P can signal an #MC to one CPU. */
    if (*local && !(h->mcg_cap_flags & MCG_LMCE_P))
        return ld_fail(l, v, "add lmce_p to the host's mcg_cap",
                       "'local: true' needs lmce_p in the mcg_cap of host '%s'", h->name);
    return 0;
}

#define EV(m) offsetof(struct scn_event, u.m)
static const struct field inject_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = EV(inject.host)},
    {.key = "cpu", .rd = ld_rd_cpu, .off = EV(inject.cpu), .host_off = EV(inject.host), .flags = F_REQ},
    {.key = "bank", .rd = ld_rd_bank, .off = EV(inject.bank), .host_off = EV(inject.host), .flags = F_REQ},
    {.key = "status", .rd = rd_status, .off = EV(inject.status), .max = UINT64_MAX, .flags = F_REQ},
    {.key = "addr", .rd = ld_rd_u64, .off = EV(inject.addr), .max = UINT64_MAX},
    {.key = "misc", .rd = ld_rd_u64, .off = EV(inject.misc), .max = UINT64_MAX},
    {.key = "mcg_status", .rd = rd_mcg_status, .off = EV(inject.mcg_status), .max = UINT64_MAX},
    {.key = "signal", .rd = ld_rd_enum, .off = EV(inject.signal), .names = &signal_names},
    {.key = "local", .rd = rd_local, .off = EV(inject.local), .host_off = EV(inject.host)},
    {.key = "broadcast", .rd = rd_broadcast, .off = EV(inject.no_broadcast)},
    {.key = "raw", .rd = ld_rd_bool, .off = EV(inject.raw)},
    {.key = "context", .rd = rd_ctx_int, .off = EV(inject.context)},
    {.key = "ripv", .rd = ld_rd_tribool, .off = EV(inject.ripv)},
    {.key = "eipv", .rd = ld_rd_tribool, .off = EV(inject.eipv)},
};

static const struct field context_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = EV(context.host)},
    {.key = "cpu", .rd = ld_rd_cpu, .off = EV(context.cpu), .host_off = EV(context.host), .flags = F_REQ},
    {.key = "context", .rd = rd_ctx, .off = EV(context.ctx), .flags = F_REQ},
};

static const struct field cr4_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = EV(cr4.host)},
    {.key = "cpu", .rd = ld_rd_cpu, .off = EV(cr4.cpu), .host_off = EV(cr4.host), .flags = F_REQ},
    {.key = "value", .rd = ld_rd_bool, .off = EV(cr4.on), .flags = F_REQ},
};

static const struct field stall_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = EV(stall.host)},
    {.key = "cpu", .rd = ld_rd_cpu, .off = EV(stall.cpu), .host_off = EV(stall.host), .flags = F_REQ},
    {.key = "for", .rd = ld_rd_time, .off = EV(stall.for_ps), .min = 1, .flags = F_FOREVER},
};

static const struct field hotplug_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = EV(hotplug.host)},
    {.key = "cpu", .rd = ld_rd_cpu, .off = EV(hotplug.cpu), .host_off = EV(hotplug.host), .flags = F_REQ},
};

static int rd_inject(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    struct seen sn;
    ev->kind = SCN_EV_INJECT;
    ev->u.inject = (struct scn_inject){.signal = SCN_SIGNAL_AUTO, .context = -1, .ripv = -1, .eipv = -1};
    return LD_WALK(l, v, f->key, inject_fields, ev, &sn);
}

static int rd_context(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    struct seen sn;
    ev->kind = SCN_EV_CONTEXT;
    return LD_WALK(l, v, f->key, context_fields, ev, &sn);
}

static int rd_cr4(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    struct seen sn;
    ev->kind = SCN_EV_CR4_MCE;
    return LD_WALK(l, v, f->key, cr4_fields, ev, &sn);
}

static int rd_stall(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    struct seen sn;
    ev->kind = SCN_EV_STALL;
    ev->u.stall.for_ps = SCN_TIME_FOREVER;
    return LD_WALK(l, v, f->key, stall_fields, ev, &sn);
}

/* cpu_offline / cpu_online: any CPU of the host; CPU 0 is Xen's to
 * refuse (-EINVAL), at run time. */
static int rd_hotplug(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj, enum scn_event_kind k)
{
    struct scn_event *ev = obj;
    struct seen sn;
    ev->kind = k;
    return LD_WALK(l, v, f->key, hotplug_fields, ev, &sn);
}

static int rd_cpu_offline(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_hotplug(l, f, v, obj, SCN_EV_CPU_OFFLINE);
}

static int rd_cpu_online(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_hotplug(l, f, v, obj, SCN_EV_CPU_ONLINE);
}

static const char *const fw_type_v[FW_TYPE__COUNT] = {[FW_TYPE_CMC] = "cmc", [FW_TYPE_CPE] = "cpe",
                                                       [FW_TYPE_GHES] = "ghes"};
static const struct names fw_type_names = {fw_type_v, FW_TYPE__COUNT};
/* CPER Error Severity order: 0 recoverable, 1 fatal, 2 corrected. */
static const char *const cper_sev_v[] = {"recoverable", "fatal", "corrected"};
static const struct names cper_sev_names = {cper_sev_v, 3};

static const struct field fw_error_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = EV(fw.host)},
    {.key = "cpu", .rd = ld_rd_cpu, .off = EV(fw.cpu), .host_off = EV(fw.host), .flags = F_REQ},
    {.key = "type", .rd = ld_rd_enum, .off = EV(fw.type), .names = &fw_type_names, .flags = F_REQ},
    {.key = "addr", .rd = ld_rd_u64, .off = EV(fw.addr), .max = UINT64_MAX},
    {.key = "severity", .rd = ld_rd_enum, .off = EV(fw.severity), .names = &cper_sev_names},
};

/* The firmware of a firmware-first host logs a CMC (the CPU's corrected
 * machine check) or a CPE (a corrected platform error) in that CPU's log
 * and signals it, or writes a GHES error status block (a memory error of
 * a CPER severity) and notifies that CPU. */
static int rd_fw_error(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    struct seen sn;
    ev->kind = SCN_EV_FW_ERROR;
    if (LD_WALK(l, v, f->key, fw_error_fields, ev, &sn) < 0)
        return -1;
    ev->u.fw.has_addr = ld_seen_key(&sn, "addr") != NULL;
    if (ld_seen_key(&sn, "severity") && ev->u.fw.type != FW_TYPE_GHES)
        return ld_fail(l, ld_seen_key(&sn, "severity"), "CMC and CPE records are corrected errors; remove 'severity'",
                       "'severity' is a GHES record's (type: ghes)");
    const struct scn_host *h = ld_host(l, ev->u.fw.host);
    if (h && h->reporting != SCN_REPORT_FIRMWARE_FIRST)
        return ld_fail(l, v, "set 'error_reporting: firmware-first' on the host",
                       "firmware_error: host '%s' reports errors natively", h->name);
    return 0;
}

struct access_text {
    unsigned domain, vcpu, kind, mode;
    uint64_t gaddr;
};
#define AO(m) offsetof(struct access_text, m)
static const struct field access_fields[] = {
    {.key = "domain", .rd = ld_rd_uint, .off = AO(domain), .max = LD_MAX_DOMID, .flags = F_REQ},
    {.key = "vcpu", .rd = ld_rd_uint, .off = AO(vcpu), .max = SCN_MAX_VCPUS - 1},
    {.key = "gaddr", .rd = ld_rd_u64, .off = AO(gaddr), .max = UINT64_MAX, .flags = F_REQ},
    {.key = "kind", .rd = ld_rd_enum, .off = AO(kind), .names = &access_names},
    {.key = "mode", .rd = ld_rd_enum, .off = AO(mode), .names = &mode_names},
};

/* A guest touching its memory: the domain and vCPU must exist. */
static int rd_access(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    struct access_text a = {.mode = 1};
    struct seen sn;
    ev->kind = SCN_EV_GUEST_ACCESS;
    if (LD_WALK(l, v, f->key, access_fields, &a, &sn) < 0)
        return -1;
    if (!ld_domain_vcpu(l, ld_seen_val(&sn, "domain"), a.domain, ld_seen_val(&sn, "vcpu"), a.vcpu))
        return -1;
    ev->u.access.domain = a.domain;
    ev->u.access.vcpu = a.vcpu;
    ev->u.access.gaddr = a.gaddr;
    ev->u.access.fetch = a.kind == 1;
    ev->u.access.user = a.mode == 1;
    return 0;
}

struct vcpu_text {
    unsigned domain, vcpu;
};
#define VO(m) offsetof(struct vcpu_text, m)
static const struct field vcpu_hp_fields[] = {
    {.key = "domain", .rd = ld_rd_uint, .off = VO(domain), .max = LD_MAX_DOMID, .flags = F_REQ},
    {.key = "vcpu", .rd = ld_rd_uint, .off = VO(vcpu), .max = SCN_MAX_VCPUS - 1, .flags = F_REQ},
};

/* vcpu_offline / vcpu_online: the domain and vCPU must exist. */
static int rd_vcpu_hp(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj, enum scn_event_kind k)
{
    struct scn_event *ev = obj;
    struct vcpu_text a = {0};
    struct seen sn;
    ev->kind = k;
    if (LD_WALK(l, v, f->key, vcpu_hp_fields, &a, &sn) < 0)
        return -1;
    const struct scn_domain *d =
        ld_domain_vcpu(l, ld_seen_val(&sn, "domain"), a.domain, ld_seen_val(&sn, "vcpu"), a.vcpu);
    if (!d)
        return -1;
    ev->u.vcpu_hp.host = d->host;
    ev->u.vcpu_hp.domain = a.domain;
    ev->u.vcpu_hp.vcpu = a.vcpu;
    return 0;
}

static int rd_vcpu_offline(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_vcpu_hp(l, f, v, obj, SCN_EV_VCPU_OFFLINE);
}

static int rd_vcpu_online(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_vcpu_hp(l, f, v, obj, SCN_EV_VCPU_ONLINE);
}

static const char *const fmode_v[] = {"single-bit", "single-word", "single-column", "single-row",
                                      "single-bank", "multi-bank", "multi-rank"};
static const struct names fmode_names = {fmode_v, 7};

#define FT(m) offsetof(struct scn_event, u.fault.m)
static const struct field fault_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = FT(host)},
    {.key = "mode", .rd = ld_rd_enum, .off = FT(mode), .names = &fmode_names, .flags = F_REQ},
    {.key = "channel", .rd = ld_rd_uint, .off = FT(channel), .max = 7},
    {.key = "dimm", .rd = ld_rd_uint, .off = FT(dimm), .max = 7},
    {.key = "rank", .rd = ld_rd_uint, .off = FT(rank), .max = 7},
    {.key = "device", .rd = ld_rd_uint, .off = FT(device), .max = 71},
    {.key = "bank", .rd = ld_rd_uint, .off = FT(bank), .max = 63},
    {.key = "row", .rd = ld_rd_uint, .off = FT(row), .max = (1u << 20) - 1},
    {.key = "column", .rd = ld_rd_uint, .off = FT(column), .max = (1u << 14) - 1},
    {.key = "dq_mask", .rd = ld_rd_uint, .off = FT(dq_mask), .min = 1, .max = 0xFF},
    {.key = "permanent", .rd = ld_rd_bool, .off = FT(permanent)},
};

static int rd_fault(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    struct seen sn;
    ev->kind = SCN_EV_DRAM_FAULT;
    ev->u.fault.dq_mask = 1;
    ev->u.fault.permanent = true;
    if (LD_WALK(l, v, f->key, fault_fields, ev, &sn) < 0)
        return -1;
    const struct scn_host *h = ld_host(l, ev->u.fault.host);
    if (h && !h->dram.present)
        return ld_fail(l, v, "add 'dram:' to the host to model its memory", "dram_fault on a host without a memory model");
    return 0;
}

#define MR(m) offsetof(struct scn_event, u.mem.m)
static const struct field memread_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = MR(host)},
    {.key = "cpu", .rd = ld_rd_cpu, .off = MR(cpu), .host_off = MR(host), .flags = F_REQ},
    {.key = "addr", .rd = ld_rd_u64, .off = MR(addr), .max = UINT64_MAX, .flags = F_REQ},
    {.key = "context", .rd = rd_ctx_int, .off = MR(context)},
};

static int rd_mem(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj, enum scn_event_kind kind)
{
    struct scn_event *ev = obj;
    struct seen sn;
    ev->kind = kind;
    ev->u.mem.context = -1;
    if (LD_WALK(l, v, f->key, memread_fields, ev, &sn) < 0)
        return -1;
    const struct scn_host *h = ld_host(l, ev->u.mem.host);
    if (h && !h->dram.present)
        return ld_fail(l, v, "add 'dram:' to the host to model its memory", "%s on a host without a memory model",
                       f->key);
    return 0;
}

static int rd_mem_read(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_mem(l, f, v, obj, SCN_EV_MEM_READ);
}

static int rd_mem_fetch(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    int rc = rd_mem(l, f, v, obj, SCN_EV_MEM_READ);
    ev->u.mem.fetch = true;
    return rc;
}

static int rd_mem_write(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_mem(l, f, v, obj, SCN_EV_MEM_WRITE);
}

static int rd_llc_evict(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_mem(l, f, v, obj, SCN_EV_LLC_EVICT);
}

#define EO(m) offsetof(struct scn_event, m)
static const struct field event_fields[] = {
    {.key = "at", .rd = ld_rd_time, .off = EO(at_ps), .flags = F_REQ},
    {.key = "repeat", .rd = ld_rd_uint, .off = EO(repeat), .min = 1, .max = MAX_REPEAT},
    {.key = "every", .rd = ld_rd_time, .off = EO(every_ps), .min = 1},
    {.key = "inject", .rd = rd_inject, .flags = F_ONE},
    {.key = "context", .rd = rd_context, .flags = F_ONE},
    {.key = "cr4_mce", .rd = rd_cr4, .flags = F_ONE},
    {.key = "stall", .rd = rd_stall, .flags = F_ONE},
    {.key = "guest_access", .rd = rd_access, .flags = F_ONE},
    {.key = "dram_fault", .rd = rd_fault, .flags = F_ONE},
    {.key = "mem_read", .rd = rd_mem_read, .flags = F_ONE},
    {.key = "mem_fetch", .rd = rd_mem_fetch, .flags = F_ONE},
    {.key = "mem_write", .rd = rd_mem_write, .flags = F_ONE},
    {.key = "llc_writeback", .rd = rd_llc_evict, .flags = F_ONE},
    {.key = "migrate", .rd = ld_rd_migrate, .flags = F_ONE},
    {.key = "rdmsr", .rd = ld_ev_rdmsr, .flags = F_ONE},
    {.key = "wrmsr", .rd = ld_ev_wrmsr, .flags = F_ONE},
    {.key = "host_rdmsr", .rd = ld_ev_host_rdmsr, .flags = F_ONE},
    {.key = "host_wrmsr", .rd = ld_ev_host_wrmsr, .flags = F_ONE},
    {.key = "hypercall", .rd = ld_ev_hypercall, .flags = F_ONE},
    {.key = "balloon", .rd = ld_ev_balloon, .flags = F_ONE},
    {.key = "destroy", .rd = ld_ev_destroy, .flags = F_ONE},
    {.key = "hv_access", .rd = ld_ev_hv_access, .flags = F_ONE},
    {.key = "pcie_error", .rd = ld_ev_pcie_error, .flags = F_ONE},
    {.key = "cpu_offline", .rd = rd_cpu_offline, .flags = F_ONE},
    {.key = "cpu_online", .rd = rd_cpu_online, .flags = F_ONE},
    {.key = "vcpu_offline", .rd = rd_vcpu_offline, .flags = F_ONE},
    {.key = "vcpu_online", .rd = rd_vcpu_online, .flags = F_ONE},
    {.key = "firmware_error", .rd = rd_fw_error, .flags = F_ONE},
};

static int event_check(struct ld *l, const struct scn_event *ev, const struct seen *sn)
{
    static const char *const repeats[] = {"repeat", "every"};
    for (unsigned k = 0; k < 2 && ev->kind == SCN_EV_MIGRATE; k++)
        if (ld_seen_key(sn, repeats[k]))
            return ld_fail(l, ld_seen_key(sn, repeats[k]),
                           "a domain migrates once: give one migrate event per migration",
                           "'%s' is not allowed on a migrate event", repeats[k]);
    const yaml_node_t *every = ld_seen_key(sn, "every");
    if (ev->repeat > 1 && !every)
        return ld_fail(l, ld_seen_val(sn, "repeat"), "add 'every: <time>', the spacing of the repeats",
                       "'repeat: %u' needs 'every'", ev->repeat);
    if (ev->repeat == 1 && every)
        return ld_fail(l, every, "add 'repeat: <count>' greater than 1, or remove 'every'",
                       "'every' without 'repeat' greater than 1");
    if (!scn_event_fits(ev, ev->at_ps))
        return ld_fail(l, ld_seen_val(sn, "every"), "the longest time is " SCV_TIME_MAX_TEXT,
                       "the last repeat would be later than mcasim simulates");
    return 0;
}

/* The occurrences of all events up to the duration are bounded: the run
 * makes them one at a time, but each may leave a record behind. The error
 * points at the event that goes past the bound. */
static int check_occurrences(struct ld *l, const struct scenario *s)
{
    unsigned long long total = scn_occurrences(s, scn_events_until(s)), sum = 0;
    unsigned i = 0;
    if (total <= SCN_MAX_OCCURRENCES)
        return 0;
    while ((sum += scn_event_occurrences(&s->events[i], scn_events_until(s))) <= SCN_MAX_OCCURRENCES)
        i++;
    return ld_fail_loc(l, s->events[i].loc, "use fewer repeats, a larger 'every' or a shorter 'duration'",
                       "the events occur %llu times within 'duration', more than the %llu a run may have", total,
                       SCN_MAX_OCCURRENCES);
}

static int event_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)i;
    (void)ctx;
    struct scn_event *ev = elem;
    struct seen sn;
    ev->repeat = 1;
    if (LD_WALK(l, item, "event", event_fields, ev, &sn) < 0)
        return -1;
    ev->loc = ld_loc(item);
    return event_check(l, ev, &sn);
}

int ld_rd_events(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scenario *s = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 0, MAX_EVENTS, sizeof(struct scn_event), &arr, &s->nevents) < 0)
        return -1;
    s->events = arr;
    if (ld_seq_each(l, v, arr, sizeof(struct scn_event), NULL, event_item) < 0)
        return -1;
    return check_occurrences(l, s);
}
