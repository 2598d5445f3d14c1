/*
 * scenario_load.c - read a YAML scenario file into struct scenario: the
 * schema of the top level, platform, policy, domains and events (the
 * expect: block is in scenario_expect.c, sweep: in scenario_sweep.c, the
 * keys about migration in scenario_migration.c), checks that span several
 * keys, and the file and document handling around them.
 *
 * Each kind of mapping is a table of fields (scenario_walk.h): key,
 * reader, member, range. Tables are read in their own order, so hosts
 * exist before events and domains refer to them. The first problem stops
 * the load with file:line:column and a hint. Every array lives in the
 * scenario as soon as it is allocated, so scenario_free() releases
 * whatever a failed load left behind.
 */
#include "sim/scenario.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "arch/x86_mca.h"
#include "sim/dram_config.h"
#include "sim/scenario_values.h"
#include "sim/scenario_walk.h"

#define MAX_FILE_BYTES (16u << 20)
#define MAX_REGIONS 1024
#define MAX_DOMAINS 1024
#define MAX_EVENTS 100000
#define MAX_REPEAT 1000000

/* Enum members are written as unsigned by ld_rd_enum. */
_Static_assert(sizeof(enum scn_owner) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_domain_type) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_signal) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_poll_policy) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum x86_exec_ctx) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_guest) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_past_count) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_dom0_action) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_decider) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_broken_access) == sizeof(unsigned), "enum size");

/* ---- names ------------------------------------------------------------------ */

static const char *const owner_v[SCN_OWNER__COUNT] = {
    [SCN_OWNER_FREE] = "free",
    [SCN_OWNER_XEN_IMAGE] = "xen-image",
    [SCN_OWNER_XEN_HEAP] = "xen-heap",
    [SCN_OWNER_XEN_PAGETABLE] = "xen-pagetable",
    [SCN_OWNER_DOMAIN] = "domain",
};
static const struct names owner_names = {owner_v, SCN_OWNER__COUNT};

static const char *const poll_v[SCN_POLL__COUNT] = {[SCN_POLL_XEN] = "xen"};
static const struct names poll_names = {poll_v, SCN_POLL__COUNT};

static const char *const domtype_v[SCN_DOM__COUNT] = {
    [SCN_DOM_DOM0] = "dom0", [SCN_DOM_PV] = "pv", [SCN_DOM_HVM] = "hvm"};
static const struct names domtype_names = {domtype_v, SCN_DOM__COUNT};

static const char *const storm_v[] = {"xen", "linux-2.6", "linux-6"};
static const struct names storm_names = {storm_v, 3};

static const char *const guest_v[SCN_GUEST__COUNT] = {"linux", "pv-no-callback", "strict", "none"};
static const struct names guest_names = {guest_v, SCN_GUEST__COUNT};
static const char *const past_v[] = {"zero", "gp"};
static const struct names past_names = {past_v, 2};
static const char *const d0act_v[SCN_D0__COUNT] = {"notify", "kill", "save", "ignore"};
static const struct names d0act_names = {d0act_v, SCN_D0__COUNT};
static const char *const decider_v[SCN_DECIDER__COUNT] = {"xen", "seed000"};
static const struct names decider_names = {decider_v, SCN_DECIDER__COUNT};
static const char *const broken_v[SCN_BROKEN__COUNT] = {"crash", "srar"};
static const struct names broken_names = {broken_v, SCN_BROKEN__COUNT};
static const char *const access_v[] = {"load", "fetch"};
static const struct names access_names = {access_v, 2};
static const char *const mode_v[] = {"kernel", "user"};
static const struct names mode_names = {mode_v, 2};

static const char *const signal_v[] = {[SCN_SIGNAL_AUTO] = "auto", [SCN_SIGNAL_MCE] = "mce",
                                       [SCN_SIGNAL_CMCI] = "cmci", [SCN_SIGNAL_NONE] = "none"};
static const struct names signal_names = {signal_v, 4};

static const char *ctx_name_at(unsigned i) { return x86_ctx_name((enum x86_exec_ctx)i); }
static const char *op_name_at(unsigned i) { return cpu_cost_op_name((enum cpu_cost_op)i); }
static const char *preset_name_at(unsigned i)
{
    const struct cpu_cost_table *t = cpu_cost_preset_at(i);
    return t ? t->name : NULL;
}

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

/* ---- top level and platform ------------------------------------------------ */

/* Names that appear in file names, reports and host references. */
static int check_ident(struct ld *l, const yaml_node_t *v, const char *key, const char *s)
{
    const char *hint = "use letters, digits, '.', '_' and '-'";
    if (!*s)
        return ld_fail(l, v, hint, "'%s' must not be empty", key);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
            *p == '_' || *p == '-')
            continue;
        if (*p >= 0x20 && *p < 0x7F)
            return ld_fail(l, v, hint, "'%s' contains the character '%c', which is not allowed", key, *p);
        return ld_fail(l, v, hint, "'%s' contains the byte 0x%02x, which is not allowed", key, *p);
    }
    return 0;
}

static int rd_ident(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    char *dst = ld_member(obj, f->off);
    return ld_read_text(l, f, v, dst) < 0 ? -1 : check_ident(l, v, f->key, dst);
}

/* A host name must not read as an index, or references would be ambiguous. */
static int rd_host_name(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    if (rd_ident(l, f, v, obj) < 0)
        return -1;
    uint64_t x;
    if (scv_uint(ld_sval(v), &x) == SCV_OK)
        return ld_fail(l, v, "hosts are referred to by index or name; start the name with a letter",
                       "host name '%.40s' looks like an index", ld_sval(v));
    return 0;
}

static const char *const capflag_v[] = {"ctl_p", "cmci_p", "tes_p", "ser_p", "lmce_p"};
static const uint64_t capflag_bit[] = {MCG_CTL_P, MCG_CMCI_P, MCG_TES_P, MCG_SER_P, MCG_LMCE_P};
static const struct names capflag_names = {capflag_v, 5};

static int rd_mcg_cap(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_host *h = obj;
    if (ld_want_kind(l, v, YAML_SEQUENCE_NODE, f->key) < 0)
        return -1;
    h->mcg_cap_flags = 0;
    for (const yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *item = ld_node(l, *it);
        if (!item)
            return ld_fail(l, v, NULL, "internal error: dangling YAML node");
        int i = ld_read_name(l, f, item, &capflag_names, "flags");
        if (i < 0)
            return -1;
        if (h->mcg_cap_flags & capflag_bit[i])
            return ld_fail(l, item, "list each flag once", "'mcg_cap' lists '%s' twice", capflag_v[i]);
        h->mcg_cap_flags |= capflag_bit[i];
    }
    return 0;
}

/* Banks every CPU of the host shares, as the memory controller's and the
 * LLC's banks are shared by the cores of a package (SDM 15.5.1). */
static int rd_shared_banks(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_host *h = obj;
    if (ld_want_kind(l, v, YAML_SEQUENCE_NODE, f->key) < 0)
        return -1;
    for (const yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *item = ld_node(l, *it);
        uint64_t x;
        const char *t = item && item->type == YAML_SCALAR_NODE ? ld_sval(item) : NULL;
        if (!t || scv_uint(t, &x) != SCV_OK)
            return ld_fail(l, item ? item : v, "bank indices, e.g. [7, 8]", "shared_banks: not a bank index");
        if (x >= h->nbanks)
            return ld_fail(l, item, NULL, "shared_banks: bank %llu does not exist (the host has %u banks)",
                           (unsigned long long)x, h->nbanks);
        h->shared_banks |= 1u << x;
    }
    return 0;
}

static const char *const vendor_v[CPU_VENDOR__COUNT] = {[CPU_VENDOR_INTEL] = "intel",
                                                        [CPU_VENDOR_AMD] = "amd"};
static const struct names vendor_names = {vendor_v, CPU_VENDOR__COUNT};

#define CPU_ID_HINT "VENDOR:FAMILY:MODEL as CPUID leaf 1 reports them, e.g. intel:6:0x55 (Skylake-SP)"

/* One number of "intel:6:0x55"; max from CPUID's encoding of family/model. */
static int cpu_id_number(struct ld *l, const yaml_node_t *v, const char *part, const char *what,
                         unsigned max, unsigned *out)
{
    uint64_t x;
    if (scv_uint(part, &x) != SCV_OK || x > max)
        return ld_fail(l, v, CPU_ID_HINT, "'cpu': %s '%.20s' is not a number 0..0x%x", what, part, max);
    *out = (unsigned)x;
    return 0;
}

static int rd_cpu_id(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct cpu_model_id *id = ld_member(obj, f->off);
    const char *s = ld_scalar(l, v, f->key, "VENDOR:FAMILY:MODEL");
    if (!s)
        return -1;
    char buf[64];
    char *fam = NULL, *model = NULL;
    if (strlen(s) < sizeof(buf)) {
        memcpy(buf, s, strlen(s) + 1);
        fam = strchr(buf, ':');
        model = fam ? strchr(fam + 1, ':') : NULL;
    }
    if (!model || strchr(model + 1, ':'))
        return ld_fail(l, v, CPU_ID_HINT, "'cpu': '%.40s' is not VENDOR:FAMILY:MODEL", s);
    *fam++ = '\0';
    *model++ = '\0';
    int vi = scv_lookup(buf, vendor_v, CPU_VENDOR__COUNT);
    if (vi < 0)
        return ld_fail_names(l, v, buf, "vendors", &vendor_names, "'cpu': unknown vendor '%.20s'", buf);
    id->vendor = (enum cpu_vendor)vi;
    /* Family: 4 bits, plus 8 of extended family when it is 0xF; model: 8 bits with extended model. */
    if (cpu_id_number(l, v, fam, "family", 0xF + 0xFF, &id->family) < 0)
        return -1;
    return cpu_id_number(l, v, model, "model", 0xFF, &id->model);
}

static int rd_cost_model(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_host *h = obj;
    const char *s = ld_scalar(l, v, f->key, "a cost preset name");
    if (!s)
        return -1;
    if (!cpu_cost_preset(s) || strlen(s) >= sizeof(h->cost_model)) {
        const char *buf[32];
        unsigned n = cpu_cost_preset_count();
        struct names nm = ld_names_from(buf, n < 32 ? n : 32, preset_name_at);
        return ld_fail_names(l, v, s, "presets", &nm, "'cost_model': unknown preset '%.40s'", s);
    }
    memcpy(h->cost_model, s, strlen(s) + 1);
    return 0;
}

static int cost_pair(struct ld *l, struct scn_host *h, const yaml_node_t *k, const yaml_node_t *v)
{
    if (k->type != YAML_SCALAR_NODE)
        return ld_fail(l, k, "keys of 'costs' are operation names", "a key in costs is not a name");
    enum cpu_cost_op op = cpu_cost_op_from_name(ld_sval(k));
    if (op == COST__COUNT) {
        const char *buf[COST__COUNT];
        struct names nm = ld_names_from(buf, COST__COUNT, op_name_at);
        return ld_fail_names(l, k, ld_sval(k), "operations", &nm, "unknown cost operation '%.40s'",
                             ld_sval(k));
    }
    for (unsigned j = 0; j < h->ncosts; j++)
        if (h->costs[j].op == op)
            return ld_fail(l, k, "remove one of them", "duplicate key '%s' in costs", ld_sval(k));
    struct field cf = {.key = ld_sval(k), .max = UINT32_MAX};
    uint64_t cycles;
    if (ld_read_uint(l, &cf, v, &cycles) < 0)
        return -1;
    h->costs[h->ncosts++] = (struct scn_cost_override){op, (uint32_t)cycles};
    return 0;
}

static int rd_costs(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_host *h = obj;
    if (ld_want_kind(l, v, YAML_MAPPING_NODE, f->key) < 0)
        return -1;
    for (const yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = ld_node(l, p->key), *val = ld_node(l, p->value);
        if (!k || !val)
            return ld_fail(l, v, NULL, "internal error: dangling YAML node");
        if (cost_pair(l, h, k, val) < 0)
            return -1;
    }
    return 0;
}

#define RG(m) offsetof(struct scn_region, m)
static const struct field region_fields[] = {
    {.key = "start", .rd = ld_rd_page, .off = RG(start), .flags = F_REQ},
    {.key = "size", .rd = ld_rd_page, .off = RG(size), .min = LD_PAGE_BYTES, .flags = F_REQ},
    {.key = "owner", .rd = ld_rd_enum, .off = RG(owner), .names = &owner_names, .flags = F_REQ},
    {.key = "domain", .rd = ld_rd_uint, .off = RG(domid), .max = LD_MAX_DOMID},
};

static int region_check(struct ld *l, const yaml_node_t *item, const struct scn_host *h, unsigned i,
                        const struct seen *sn)
{
    const struct scn_region *r = &h->regions[i];
    const yaml_node_t *dk = ld_seen_key(sn, "domain");
    if (r->owner == SCN_OWNER_DOMAIN && !dk)
        return ld_fail(l, item, "add 'domain: <id>', the domain that owns it",
                       "a region with owner: domain needs 'domain'");
    if (r->owner != SCN_OWNER_DOMAIN && dk)
        return ld_fail(l, dk, "remove 'domain', or set owner: domain",
                       "'domain' is only allowed with owner: domain");
    if (r->start > UINT64_MAX - r->size)
        return ld_fail(l, item, NULL, "region 0x%llx + 0x%llx ends beyond the 64-bit address space",
                       (unsigned long long)r->start, (unsigned long long)r->size);
    for (unsigned j = 0; j < i; j++) {
        const struct scn_region *o = &h->regions[j];
        if (r->start < o->start + o->size && o->start < r->start + r->size)
            return ld_fail(l, item, "a byte of memory has one owner: split or move the regions",
                           "region [0x%llx, 0x%llx) overlaps region [0x%llx, 0x%llx) at line %u",
                           (unsigned long long)r->start, (unsigned long long)(r->start + r->size),
                           (unsigned long long)o->start, (unsigned long long)(o->start + o->size),
                           o->loc.line);
    }
    return 0;
}

static int region_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    struct seen sn;
    struct scn_region *r = elem;
    if (LD_WALK(l, item, "memory region", region_fields, r, &sn) < 0)
        return -1;
    r->loc = ld_loc(item);
    return region_check(l, item, ctx, i, &sn);
}

static int rd_memory(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_host *h = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 0, MAX_REGIONS, sizeof(struct scn_region), &arr, &h->nregions) < 0)
        return -1;
    h->regions = arr;
    return ld_seq_each(l, v, arr, sizeof(struct scn_region), h, region_item);
}

static const char *const ecc_v[] = {"secded", "chipkill"};
static const struct names ecc_names = {ecc_v, 2};
static const char *const srao_signal_v[] = {"mce", "cmci"};
static const struct names srao_signal_names = {srao_signal_v, 2};

#define DR(m) offsetof(struct scn_dram, m)
static const struct field geometry_fields[] = {
    {.key = "channels", .rd = ld_rd_uint, .off = DR(channels), .min = 1, .max = 8},
    {.key = "dimms", .rd = ld_rd_uint, .off = DR(dimms), .min = 1, .max = 8},
    {.key = "ranks", .rd = ld_rd_uint, .off = DR(ranks), .min = 1, .max = 8},
    {.key = "banks", .rd = ld_rd_uint, .off = DR(banks), .min = 1, .max = 64},
    {.key = "rows", .rd = ld_rd_uint, .off = DR(rows), .min = 2, .max = 1u << 20},
    {.key = "columns", .rd = ld_rd_uint, .off = DR(columns), .min = 1, .max = 1u << 14},
    {.key = "width", .rd = ld_rd_uint, .off = DR(width), .min = 4, .max = 8},
    {.key = "ecc_devices", .rd = ld_rd_uint, .off = DR(ecc_devices), .min = 1, .max = 4},
};

static int rd_geometry(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct seen sn;
    return LD_WALK(l, v, f->key, geometry_fields, obj, &sn);
}

static int rd_scrub_period(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_dram *d = obj;
    if (v->type == YAML_SCALAR_NODE && strcmp(ld_sval(v), "none") == 0) {
        d->scrub = false;
        return 0;
    }
    return ld_rd_time(l, f, v, obj);
}

#define FR(m) offsetof(struct scn_dram, m)
static const struct field field_rates_fields[] = {
    {.key = "span", .rd = ld_rd_time, .off = FR(fr_span_ps), .min = 1, .flags = F_REQ},
    {.key = "scale", .rd = ld_rd_u64, .off = FR(fr_scale), .min = 1, .max = 1000000000000ull},
};

static int rd_field_rates(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct seen sn;
    struct scn_dram *d = obj;
    d->fr_scale = 1;
    return LD_WALK(l, v, f->key, field_rates_fields, obj, &sn);
}

static const struct field dram_fields[] = {
    {.key = "geometry", .rd = rd_geometry},
    {.key = "ecc", .rd = ld_rd_enum, .off = DR(ecc), .names = &ecc_names},
    {.key = "scrub_period", .rd = rd_scrub_period, .off = DR(scrub_period_ps), .min = 1},
    {.key = "scrub_signal", .rd = ld_rd_enum, .off = DR(scrub_signal), .names = &srao_signal_names},
    {.key = "mc_bank", .rd = ld_rd_uint, .off = DR(mc_bank), .max = MCA_MAX_BANKS - 1},
    {.key = "mc_cpu", .rd = ld_rd_uint, .off = DR(mc_cpu), .max = 255},
    {.key = "core_bank", .rd = ld_rd_uint, .off = DR(core_bank), .max = MCA_MAX_BANKS - 1},
    {.key = "llc_bank", .rd = ld_rd_uint, .off = DR(llc_bank), .max = MCA_MAX_BANKS - 1},
    {.key = "read_latency", .rd = ld_rd_time, .off = DR(read_latency_ps)},
    {.key = "field_rates", .rd = rd_field_rates},
};

/* `dram:` turns the memory model on for the host (docs/MEMORY.md). */
static int rd_dram(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_host *h = obj;
    struct scn_dram *d = &h->dram;
    struct seen sn;
    *d = (struct scn_dram){.present = true, .scrub = true, .scrub_period_ps = 24ull * 3600 * 1000000000000ull,
                           .mc_bank = 7, .core_bank = 1, .llc_bank = 8, .read_latency_ps = 60000};
    if (LD_WALK(l, v, f->key, dram_fields, d, &sn) < 0)
        return -1;
    if (d->mc_bank >= h->nbanks || d->core_bank >= h->nbanks || d->llc_bank >= h->nbanks)
        return ld_fail(l, v, "mc_bank, core_bank and llc_bank must be below the host's banks",
                       "dram: bank %u, %u or %u does not exist (the host has %u banks)", d->mc_bank, d->core_bank,
                       d->llc_bank, h->nbanks);
    if (d->mc_cpu >= h->ncpus)
        return ld_fail(l, v, NULL, "dram: mc_cpu %u does not exist (the host has %u CPUs)", d->mc_cpu, h->ncpus);
    struct memctl_config mc = scn_dram_config(d);
    const char *why = memctl_config_check(&mc);
    if (why)
        return ld_fail(l, v, "see docs/MEMORY.md for valid geometries", "dram: %s", why);
    return 0;
}

#define HO(m) offsetof(struct scn_host, m)
static const struct field host_fields[] = {
    {.key = "name", .rd = rd_host_name, .off = HO(name), .max = LD_MSIZE(struct scn_host, name)},
    {.key = "cpus", .rd = ld_rd_uint, .off = HO(ncpus), .min = 1, .max = 256},
    {.key = "banks", .rd = ld_rd_uint, .off = HO(nbanks), .min = 1, .max = MCA_MAX_BANKS},
    {.key = "mcg_cap", .rd = rd_mcg_cap},
    {.key = "cpu", .rd = rd_cpu_id, .off = HO(id)},
    {.key = "cost_model", .rd = rd_cost_model},
    {.key = "costs", .rd = rd_costs},
    {.key = "lmce", .rd = ld_rd_bool, .off = HO(lmce_on)},
    {.key = "shared_banks", .rd = rd_shared_banks}, /* after banks */
    {.key = "memory", .rd = rd_memory},
    {.key = "dram", .rd = rd_dram}, /* after cpus and banks: checked against them */
};

static void host_defaults(struct scn_host *h, unsigned i)
{
    snprintf(h->name, sizeof(h->name), "host%u", i);
    h->ncpus = 4;
    h->nbanks = 10;
    h->mcg_cap_flags = MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P;
    h->id = (struct cpu_model_id){CPU_VENDOR_INTEL, 6, 0x55};
    snprintf(h->cost_model, sizeof(h->cost_model), "skylake-sp");
}

static int host_check(struct ld *l, const yaml_node_t *item, unsigned i, const struct seen *sn)
{
    const struct scn_host *h = ld_host(l, i);
    /* Firmware can set FEATURE_CONTROL.LMCE_ON only on parts with MCG_CAP.LMCE_P (SDM 15.3.1.5). */
    if (h->lmce_on && !(h->mcg_cap_flags & MCG_LMCE_P))
        return ld_fail(l, ld_seen_val(sn, "lmce"), "add lmce_p to mcg_cap, or set lmce: false",
                       "'lmce: true' needs lmce_p in mcg_cap");
    for (unsigned j = 0; j < i; j++)
        if (strcmp(ld_host(l, j)->name, h->name) == 0) {
            const yaml_node_t *at = ld_seen_val(sn, "name");
            return ld_fail(l, at ? at : item, "give each host its own name",
                           "host name '%s' is already used (line %u)", h->name, ld_host(l, j)->loc.line);
        }
    return 0;
}

static int host_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)ctx;
    struct seen sn;
    struct scn_host *h = elem;
    host_defaults(h, i);
    if (LD_WALK(l, item, "host", host_fields, h, &sn) < 0)
        return -1;
    h->loc = ld_loc(item);
    return host_check(l, item, i, &sn);
}

static int rd_hosts(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scenario *s = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 1, LD_MAX_HOSTS, sizeof(struct scn_host), &arr, &s->nhosts) < 0)
        return -1;
    s->hosts = arr;
    return ld_seq_each(l, v, arr, sizeof(struct scn_host), NULL, host_item);
}

static const struct field platform_fields[] = {
    {.key = "hosts", .rd = rd_hosts, .flags = F_REQ},
};

static int rd_platform(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    (void)f;
    struct seen sn;
    return LD_WALK(l, v, "platform", platform_fields, obj, &sn);
}

/* ---- policy ------------------------------------------------------------------ */

static int rd_rendezvous(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    uint64_t *ps = ld_member(obj, f->off);
    if (v->type == YAML_SCALAR_NODE && strcmp(ld_sval(v), "none") == 0) {
        *ps = 0;
        return 0;
    }
    if (ld_read_time(l, f, v, ps) < 0)
        return -1;
    if (*ps == 0)
        return ld_fail(l, v, "write none to wait without a timeout (Xen's behaviour)",
                       "'%s' must be greater than 0", f->key);
    return 0;
}

#define PO(m) offsetof(struct scn_policy, m)
static const struct field ptelem_fields[] = {
    {.key = "urgent", .rd = ld_rd_uint, .off = PO(telem_urgent), .min = 1, .max = 4096},
    {.key = "nonurgent", .rd = ld_rd_uint, .off = PO(telem_nonurgent), .min = 1, .max = 4096},
};

static int rd_ptelem(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    (void)f;
    struct seen sn;
    return LD_WALK(l, v, "policy.telemetry", ptelem_fields, obj, &sn);
}

static const struct field policy_fields[] = {
    {.key = "rendezvous_timeout", .rd = rd_rendezvous, .off = PO(rendezvous_timeout_ps)},
    {.key = "telemetry", .rd = rd_ptelem},
    {.key = "poll", .rd = ld_rd_enum, .off = PO(poll), .names = &poll_names},
    {.key = "cmci_threshold", .rd = ld_rd_uint, .off = PO(cmci_threshold), .max = MCI_CTL2_THRESHOLD_MASK},
    {.key = "decider", .rd = ld_rd_enum, .off = PO(decider), .names = &decider_names},
    {.key = "broken_access", .rd = ld_rd_enum, .off = PO(broken_access), .names = &broken_names},
    {.key = "sched_delay", .rd = ld_rd_time, .off = PO(sched_delay_ps)},
    {.key = "storm", .rd = ld_rd_enum, .off = PO(storm), .names = &storm_names},
    {.key = "migration", .rd = ld_rd_pmigration},
};

static int rd_policy(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct seen sn;
    return LD_WALK(l, v, "policy", policy_fields, ld_member(obj, f->off), &sn);
}

/* ---- domains ----------------------------------------------------------------- */

/* A bank count, or `host`: as many as the host has, stored as 0 and
 * resolved by the runtime, so it follows a sweep of banks and a migration
 * to a host with another count. */
static int rd_vmce_banks(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    unsigned *banks = ld_member(obj, f->off);
    const char *s = ld_scalar(l, v, f->key, "a bank count or host");
    if (!s)
        return -1;
    uint64_t x = 0;
    if (strcmp(s, "host") != 0 && (scv_uint(s, &x) != SCV_OK || x < f->min || x > f->max)) {
        char hint[96];
        snprintf(hint, sizeof(hint), "a count %llu..%llu, or host for the host's own count",
                 (unsigned long long)f->min, (unsigned long long)f->max);
        return ld_fail(l, v, hint, "'%s' must be %llu..%llu or host, got '%.40s'", f->key,
                       (unsigned long long)f->min, (unsigned long long)f->max, s);
    }
    *banks = (unsigned)x;
    return 0;
}

#define VO(m) offsetof(struct scn_vmce, m)
static const struct field vmce_fields[] = {
    {.key = "banks", .rd = rd_vmce_banks, .off = VO(banks), .min = 1, .max = MCA_MAX_BANKS},
    {.key = "ser_p", .rd = ld_rd_bool, .off = VO(ser_p)},
    {.key = "cmci_p", .rd = ld_rd_bool, .off = VO(cmci_p)},
    {.key = "tes_p", .rd = ld_rd_bool, .off = VO(tes_p)},
    {.key = "lmce_p", .rd = ld_rd_bool, .off = VO(lmce_p)},
    {.key = "past_count", .rd = ld_rd_enum, .off = VO(past_count), .names = &past_names},
    {.key = "kill_on_bank0_quirk", .rd = ld_rd_bool, .off = VO(kill_on_bank0_quirk)},
};

static int rd_vmce(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct seen sn;
    return LD_WALK(l, v, f->key, vmce_fields, ld_member(obj, f->off), &sn);
}

/* vCPU placement: one pCPU index per vCPU, checked against the host. */
static int rd_pcpus(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_domain *d = obj;
    if (ld_want_kind(l, v, YAML_SEQUENCE_NODE, f->key) < 0)
        return -1;
    const struct scn_host *h = ld_host(l, d->host);
    for (const yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *item = ld_node(l, *it);
        uint64_t x;
        const char *txt = item && item->type == YAML_SCALAR_NODE ? ld_sval(item) : NULL;
        if (!txt || scv_uint(txt, &x) != SCV_OK)
            return ld_fail(l, item ? item : v, "pCPU indices, e.g. [2, 3]", "pcpus: not an index");
        if (h && x >= h->ncpus)
            return ld_fail(l, item, NULL, "pcpus: CPU %llu does not exist (the host has %u)",
                           (unsigned long long)x, h->ncpus);
        if (d->npcpu == SCN_MAX_VCPUS)
            return ld_fail(l, item, NULL, "pcpus: at most %u entries", SCN_MAX_VCPUS);
        d->pcpu[d->npcpu++] = (unsigned)x;
    }
    return 0;
}

#define CO(m) offsetof(struct scn_domain, m)
static const struct field ce_fields[] = {
    {.key = "page", .rd = ld_rd_uint, .off = CO(ce_page), .max = 1000000},
    {.key = "dimm", .rd = ld_rd_uint, .off = CO(ce_dimm), .max = 1000000},
    {.key = "socket", .rd = ld_rd_uint, .off = CO(ce_socket), .max = 1000000},
    {.key = "window", .rd = ld_rd_time, .off = CO(ce_window_ps), .min = 1},
};

/* mcelog's defaults (linux-kvm-qemu-mce.md s.7): page 2, DIMM 10,
 * socket 100 corrected errors per 24 h. */
static int rd_ce_offline(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_domain *d = obj;
    struct seen sn;
    d->ce_offline = true;
    d->ce_page = 2;
    d->ce_dimm = 10;
    d->ce_socket = 100;
    d->ce_window_ps = 24ull * 3600 * 1000000000000ull;
    return LD_WALK(l, v, f->key, ce_fields, d, &sn);
}

static const struct field workload_fields[] = {
    {.key = "rate", .rd = ld_rd_u64, .off = CO(wl_rate_hz), .min = 1, .max = 1000000000, .flags = F_REQ},
    {.key = "working_set", .rd = ld_rd_page, .off = CO(wl_working_set), .min = 4096, .flags = F_REQ},
    {.key = "writes", .rd = ld_rd_uint, .off = CO(wl_write_pct), .max = 100},
    {.key = "user", .rd = ld_rd_uint, .off = CO(wl_user_pct), .max = 100},
};

static int rd_workload(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_domain *d = obj;
    struct seen sn;
    d->wl_user_pct = 100;
    return LD_WALK(l, v, f->key, workload_fields, d, &sn);
}

#define DO(m) offsetof(struct scn_domain, m)
static const struct field domain_fields[] = {
    {.key = "id", .rd = ld_rd_uint, .off = DO(id), .max = LD_MAX_DOMID, .flags = F_REQ},
    {.key = "name", .rd = ld_rd_text, .off = DO(name), .max = LD_MSIZE(struct scn_domain, name)},
    {.key = "type", .rd = ld_rd_enum, .off = DO(type), .names = &domtype_names},
    {.key = "host", .rd = ld_rd_host, .off = DO(host)},
    {.key = "mcelog", .rd = ld_rd_bool, .off = DO(mcelog)},
    {.key = "mcelog_start", .rd = ld_rd_time, .off = DO(mcelog_start_ps)},
    {.key = "vcpus", .rd = ld_rd_uint, .off = DO(nvcpus), .min = 1, .max = SCN_MAX_VCPUS},
    {.key = "pcpus", .rd = rd_pcpus},
    {.key = "guest", .rd = ld_rd_enum, .off = DO(guest), .names = &guest_names},
    {.key = "cpuid", .rd = rd_cpu_id, .off = DO(cpuid)},
    {.key = "vmce", .rd = rd_vmce, .off = DO(vmce)},
    {.key = "pv_mca_driver", .rd = ld_rd_bool, .off = DO(pv_mca_driver)},
    {.key = "strict_banks", .rd = ld_rd_uint, .off = DO(strict_banks), .min = 1, .max = MCA_MAX_BANKS},
    {.key = "dom0_action", .rd = ld_rd_enum, .off = DO(dom0_action), .names = &d0act_names},
    {.key = "ce_offline", .rd = rd_ce_offline},
    {.key = "workload", .rd = rd_workload},
};

/* Xen's vMCE (2 banks, SER_P|TES_P|CMCI_P), one vCPU, a Linux kernel. */
static void domain_defaults(struct scn_domain *d)
{
    d->nvcpus = 1;
    d->strict_banks = 10;
    d->guest = SCN_GUEST_LINUX;
    d->vmce = (struct scn_vmce){.banks = 2, .ser_p = true, .cmci_p = true, .tes_p = true};
}

static int domain_type_check(struct ld *l, struct scn_domain *d, const struct seen *sn)
{
    const yaml_node_t *tv = ld_seen_val(sn, "type");
    if (!tv)
        d->type = d->id == 0 ? SCN_DOM_DOM0 : SCN_DOM_PV;
    if (d->id == 0 && d->type != SCN_DOM_DOM0)
        return ld_fail(l, tv, "domain 0 is the control domain: type dom0", "domain 0 must have type dom0");
    if (d->id != 0 && d->type == SCN_DOM_DOM0)
        return ld_fail(l, tv, "only domain 0 is dom0; use pv or hvm", "domain %u cannot be dom0", d->id);
    static const char *const dom0_only[] = {"mcelog", "mcelog_start", "dom0_action", "ce_offline"};
    for (unsigned k = 0; k < 4 && d->type != SCN_DOM_DOM0; k++)
        if (ld_seen_key(sn, dom0_only[k]))
            return ld_fail(l, ld_seen_key(sn, dom0_only[k]), "the mcelog daemon runs in dom0 only",
                           "'%s' is only allowed on dom0", dom0_only[k]);
    if (d->type == SCN_DOM_DOM0 && !ld_seen_key(sn, "mcelog"))
        d->mcelog = true;
    return 0;
}

static int domain_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    const struct scenario *s = ctx;
    struct scn_domain *d = elem;
    struct seen sn;
    domain_defaults(d);
    if (LD_WALK(l, item, "domain", domain_fields, d, &sn) < 0)
        return -1;
    d->loc = ld_loc(item);
    d->has_cpuid = ld_seen_key(&sn, "cpuid") != NULL;
    if (!d->has_cpuid && ld_host(l, d->host))
        d->cpuid = ld_host(l, d->host)->id;
    if (d->npcpu && d->npcpu != d->nvcpus)
        return ld_fail(l, ld_seen_val(&sn, "pcpus"), "give one pCPU per vCPU",
                       "pcpus has %u entries for %u vCPUs", d->npcpu, d->nvcpus);
    if (domain_type_check(l, d, &sn) < 0)
        return -1;
    if (!ld_seen_key(&sn, "name"))
        snprintf(d->name, sizeof(d->name), "dom%u", d->id);
    /* Ids are unique but for dom0: every host has its own (a migration
     * needs a toolstack at both ends). */
    for (unsigned j = 0; j < i; j++) {
        const struct scn_domain *o = &s->domains[j];
        if (o->id != d->id || (d->id == 0 && o->host != d->host))
            continue;
        if (d->id == 0)
            return ld_fail(l, ld_seen_val(&sn, "id"), "one dom0 per host: give this one another 'host'",
                           "host '%s' already has a dom0 (line %u)", ld_host(l, d->host)->name, o->loc.line);
        return ld_fail(l, ld_seen_val(&sn, "id"), "domain ids are unique; only dom0 (id 0) has one per host",
                       "domain id %u is already used (line %u)", d->id, o->loc.line);
    }
    return 0;
}

static int rd_domains(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scenario *s = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 1, MAX_DOMAINS, sizeof(struct scn_domain), &arr, &s->ndomains) < 0)
        return -1;
    s->domains = arr;
    if (ld_seq_each(l, v, arr, sizeof(struct scn_domain), s, domain_item) < 0)
        return -1;
    for (unsigned i = 0; i < s->ndomains; i++)
        if (s->domains[i].id == 0)
            return 0;
    return ld_fail(l, v, "add '- {id: 0, type: dom0}'", "'domains' has no dom0 (id: 0)");
}

/* Without `domains:`, dom0 alone runs mcelog from the start on host 0. */
static int default_domains(struct ld *l)
{
    struct scenario *s = l->s;
    s->domains = calloc(1, sizeof(*s->domains));
    if (!s->domains)
        return ld_fail(l, NULL, NULL, "out of memory");
    s->ndomains = 1;
    s->domains[0] = (struct scn_domain){.id = 0, .type = SCN_DOM_DOM0, .host = 0, .mcelog = true};
    domain_defaults(&s->domains[0]);
    if (s->nhosts)
        s->domains[0].cpuid = s->hosts[0].id;
    snprintf(s->domains[0].name, sizeof(s->domains[0].name), "dom0");
    return 0;
}

/* ---- events ------------------------------------------------------------------ */

static int rd_status(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    uint64_t *st = ld_member(obj, f->off);
    if (ld_read_uint(l, f, v, st) < 0)
        return -1;
    if (!(*st & MCI_STATUS_VAL))
        return ld_fail(l, v,
                       "hardware only logs valid errors: set bit 63 (VAL), e.g. 0x8000000000000000 | ...",
                       "'status' %.40s has no VAL bit (bit 63)", ld_sval(v));
    return 0;
}

static int rd_mcg_status(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    ev->u.inject.has_mcg_status = true;
    return ld_rd_u64(l, f, v, obj);
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
    const struct scenario *s = l->s;
    const struct scn_domain *d = NULL;
    for (unsigned i = 0; i < s->ndomains; i++)
        if (s->domains[i].id == a.domain)
            d = &s->domains[i];
    if (!d)
        return ld_fail(l, ld_seen_val(&sn, "domain"), "add it under 'domains:'", "no domain %u", a.domain);
    if (a.vcpu >= d->nvcpus)
        return ld_fail(l, ld_seen_val(&sn, "vcpu"), NULL, "domain %u has %u vCPU(s)", a.domain, d->nvcpus);
    ev->u.access.domain = a.domain;
    ev->u.access.vcpu = a.vcpu;
    ev->u.access.gaddr = a.gaddr;
    ev->u.access.fetch = a.kind == 1;
    ev->u.access.user = a.mode == 1;
    return 0;
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
    if (ev->repeat > 1 && ev->every_ps > (UINT64_MAX - 1 - ev->at_ps) / (ev->repeat - 1))
        return ld_fail(l, ld_seen_val(sn, "every"), NULL, "the last repeat would be beyond 2^64 ps");
    return 0;
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

static int rd_events(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scenario *s = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 0, MAX_EVENTS, sizeof(struct scn_event), &arr, &s->nevents) < 0)
        return -1;
    s->events = arr;
    return ld_seq_each(l, v, arr, sizeof(struct scn_event), NULL, event_item);
}

/* ---- the scenario ---------------------------------------------------------------- */

#define SC(m) offsetof(struct scenario, m)
/* Table order is reading order: hosts exist before anything refers to them. */
static const struct field top_fields[] = {
    {.key = "name", .rd = rd_ident, .off = SC(name), .max = LD_MSIZE(struct scenario, name), .flags = F_REQ},
    {.key = "description", .rd = ld_rd_text, .off = SC(description),
     .max = LD_MSIZE(struct scenario, description)},
    {.key = "seed", .rd = ld_rd_u64, .off = SC(seed), .max = UINT64_MAX},
    {.key = "duration", .rd = ld_rd_time, .off = SC(duration_ps), .min = 1},
    {.key = "platform", .rd = rd_platform, .flags = F_REQ},
    {.key = "policy", .rd = rd_policy, .off = SC(policy)},
    {.key = "link", .rd = ld_rd_link, .off = SC(link)},
    {.key = "domains", .rd = rd_domains},
    {.key = "events", .rd = rd_events},
    {.key = "expect", .rd = ld_rd_expect, .off = SC(expect)},
    {.key = "sweep", .rd = ld_rd_sweep}, /* last: its values are checked against the rest */
};

static void scenario_defaults(struct scenario *s)
{
    s->seed = 1;
    s->duration_ps = 1000000000000ull; /* 1 s */
    s->policy = (struct scn_policy){.rendezvous_timeout_ps = 0, .telem_urgent = 10, .telem_nonurgent = 20,
                                    .poll = SCN_POLL_XEN, .cmci_threshold = 2,
                                    .mig_on_vmce = SCN_MIG_CONTINUE, .mig_caps = SCN_MIG_CAPS_LEVEL,
                                    .mig_restore_broken = SCN_MIG_MARK_BROKEN};
    /* A dedicated 10 Gbit/s migration network, 50 us one way. */
    s->link = (struct scn_link){.bytes_per_s = 1250000000ull, .latency_ps = 50000000ull};
    s->expect.telem = (struct scn_expect_telem){-1, -1, -1, -1, -1, {0, 0}};
    s->expect.memory = (struct scn_expect_memory){-1, -1, -1, -1, -1, -1, -1, {0, 0}};
}

/* Regions name their owner by id; domains are read after the platform. */
static int check_region_owners(struct ld *l)
{
    const struct scenario *s = l->s;
    for (unsigned h = 0; h < s->nhosts; h++)
        for (unsigned i = 0; i < s->hosts[h].nregions; i++) {
            const struct scn_region *r = &s->hosts[h].regions[i];
            bool found = r->owner != SCN_OWNER_DOMAIN;
            for (unsigned d = 0; !found && d < s->ndomains; d++)
                found = s->domains[d].id == r->domid;
            if (!found)
                return ld_fail_loc(l, r->loc, "add the domain under 'domains:', or fix the id",
                                   "region owner domain %u is not in 'domains'", r->domid);
        }
    return 0;
}

static int load_root(struct ld *l, const yaml_node_t *root)
{
    struct seen sn;
    scenario_defaults(l->s);
    if (root->type != YAML_MAPPING_NODE)
        return ld_fail(l, root, "a scenario is a mapping of keys: name:, platform:, events:, expect: ...",
                       "the top level must be a mapping, got %s", ld_kind_name(root));
    if (LD_WALK(l, root, "the scenario", top_fields, l->s, &sn) < 0)
        return -1;
    if (!l->s->domains && default_domains(l) < 0)
        return -1;
    return check_region_owners(l);
}

/* ---- loading ----------------------------------------------------------------- */

static void line_col_of_offset(const char *buf, size_t len, size_t off, unsigned *line, unsigned *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (buf[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static int syntax_error(struct ld *l, const yaml_parser_t *p)
{
    struct scn_error *e = l->err;
    if (p->error == YAML_MEMORY_ERROR)
        return ld_fail(l, NULL, NULL, "out of memory while parsing YAML");
    if (p->error == YAML_READER_ERROR) {
        line_col_of_offset(l->buf, l->len, p->problem_offset, &e->line, &e->col);
    } else {
        e->line = (unsigned)p->problem_mark.line + 1;
        e->col = (unsigned)p->problem_mark.column + 1;
    }
    const char *problem = p->problem ? p->problem : "unknown problem";
    if (p->context)
        snprintf(e->msg, sizeof(e->msg), "YAML syntax error: %s (%s at line %u, column %u)", problem,
                 p->context, (unsigned)p->context_mark.line + 1, (unsigned)p->context_mark.column + 1);
    else
        snprintf(e->msg, sizeof(e->msg), "YAML syntax error: %s", problem);
    snprintf(e->hint, sizeof(e->hint), "check the indentation, the ':' after each key and the quoting here");
    return -1;
}

/* A file holds one document: anything after it is an error. */
static int check_no_second_document(struct ld *l, yaml_parser_t *p)
{
    yaml_document_t doc2;
    if (!yaml_parser_load(p, &doc2))
        return syntax_error(l, p);
    const yaml_node_t *root = yaml_document_get_root_node(&doc2);
    int rc = 0;
    if (root)
        rc = ld_fail(l, root, "put the whole scenario in one document (one '---' at most)",
                     "a second YAML document follows the scenario");
    yaml_document_delete(&doc2);
    return rc;
}

static int load_document(struct ld *l, yaml_parser_t *p)
{
    yaml_document_t doc;
    if (!yaml_parser_load(p, &doc))
        return syntax_error(l, p);
    l->doc = &doc;
    const yaml_node_t *root = yaml_document_get_root_node(&doc);
    int rc;
    if (!root) {
        l->err->line = l->err->col = 1;
        snprintf(l->err->msg, sizeof(l->err->msg), "the scenario file is empty");
        snprintf(l->err->hint, sizeof(l->err->hint), "a scenario needs at least 'name:' and 'platform:'");
        rc = -1;
    } else {
        rc = check_no_second_document(l, p);
        if (rc == 0)
            rc = load_root(l, root);
    }
    yaml_document_delete(&doc);
    l->doc = NULL;
    return rc;
}

static int load_buffer(const char *file, const char *buf, size_t len, struct scenario *out,
                       struct scn_error *err)
{
    memset(out, 0, sizeof(*out));
    memset(err, 0, sizeof(*err));
    snprintf(err->file, sizeof(err->file), "%s", file ? file : "<string>");
    snprintf(out->path, sizeof(out->path), "%s", file ? file : "<string>");
    struct ld l = {.buf = buf, .len = len, .s = out, .err = err};
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return ld_fail(&l, NULL, NULL, "out of memory starting the YAML parser");
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    int rc = load_document(&l, &p);
    yaml_parser_delete(&p);
    if (rc < 0)
        scenario_free(out);
    return rc;
}

int scenario_load_string(const char *name, const char *yaml, struct scenario *out, struct scn_error *err)
{
    return load_buffer(name, yaml ? yaml : "", yaml ? strlen(yaml) : 0, out, err);
}

/* Read f to its end into a growing buffer: 0, or 1 out of memory, 2 read error, 3 too large. */
static int read_all(FILE *f, char **buf, size_t *len)
{
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            if (cap > MAX_FILE_BYTES)
                return 3;
            char *nb = realloc(*buf, (cap ? cap * 2 : 4096) + 1);
            if (!nb)
                return 1;
            *buf = nb;
            cap = cap ? cap * 2 : 4096;
        }
        size_t got = fread(*buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    *len = n;
    return ferror(f) ? 2 : n > MAX_FILE_BYTES ? 3 : 0;
}

/* The whole file, NUL-terminated, or NULL with the error set. */
static char *read_file(const char *path, size_t *len, struct scn_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err->msg, sizeof(err->msg), "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t n = 0;
    int bad = read_all(f, &buf, &n);
    const char *why = bad == 1 ? "out of memory" : bad == 2 ? strerror(errno) : "larger than 16 MiB";
    fclose(f);
    if (bad) {
        snprintf(err->msg, sizeof(err->msg), "cannot read: %s", why);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

int scenario_load(const char *path, struct scenario *out, struct scn_error *err)
{
    memset(out, 0, sizeof(*out));
    memset(err, 0, sizeof(*err));
    snprintf(err->file, sizeof(err->file), "%s", path ? path : "");
    size_t len = 0;
    char *buf = path ? read_file(path, &len, err) : NULL;
    if (!buf) {
        if (!path)
            snprintf(err->msg, sizeof(err->msg), "no scenario file given");
        return -1;
    }
    int rc = load_buffer(path, buf, len, out, err);
    free(buf);
    return rc;
}

void scenario_free(struct scenario *s)
{
    if (!s)
        return;
    for (unsigned i = 0; s->hosts && i < s->nhosts; i++)
        free(s->hosts[i].regions);
    free(s->hosts);
    free(s->domains);
    free(s->events);
    free(s->expect.hosts);
    free(s->expect.records);
    free(s->expect.dom0_log);
    free(s->expect.console);
    free(s->expect.latency);
    free(s->expect.registers);
    free(s->expect.domains);
    free(s->expect.guest_log);
    free(s->expect.stages);
    for (unsigned i = 0; s->sweep && i < s->nsweep; i++) {
        free(s->sweep[i].values);
        free(s->sweep[i].vlocs);
    }
    free(s->sweep);
    memset(s, 0, sizeof(*s));
}

void scn_error_print(const struct scn_error *err, FILE *f)
{
    if (err->line)
        fprintf(f, "%s:%u:%u: error: %s\n", err->file, err->line, err->col, err->msg);
    else
        fprintf(f, "%s: error: %s\n", err->file, err->msg);
    if (err->hint[0])
        fprintf(f, "  hint: %s\n", err->hint);
}
