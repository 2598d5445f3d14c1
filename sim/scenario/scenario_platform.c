/*
 * scenario_platform.c - the `platform:` block of a scenario file: its
 * hosts, each with its CPUs and banks, MCG_CAP flags and the banks its
 * CPUs share, the CPU model and its cost table, the owners of its memory
 * regions and the optional `dram:` memory model.
 *
 * The top level reads the platform before anything else, so domains and
 * events can refer to hosts by index or name. A domain's `cpuid:` is
 * written like a host's `cpu:`, so ld_rd_cpu_id serves both.
 */
#include "sim/scenario/scenario.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "sim/scenario/dram_config.h"
#include "sim/scenario/scenario_values.h"
#include "sim/scenario/scenario_walk.h"

#define MAX_REGIONS 1024

/* Enum members are written as unsigned by ld_rd_enum. */
_Static_assert(sizeof(enum scn_owner) == sizeof(unsigned), "enum size");

static const char *const owner_v[SCN_OWNER__COUNT] = {
    [SCN_OWNER_FREE] = "free",
    [SCN_OWNER_XEN_IMAGE] = "xen-image",
    [SCN_OWNER_XEN_HEAP] = "xen-heap",
    [SCN_OWNER_XEN_PAGETABLE] = "xen-pagetable",
    [SCN_OWNER_NOT_RAM] = "not-ram",
    [SCN_OWNER_DOMAIN] = "domain",
};
static const struct names owner_names = {owner_v, SCN_OWNER__COUNT};

static const char *op_name_at(unsigned i) { return cpu_cost_op_name((enum cpu_cost_op)i); }
static const char *preset_name_at(unsigned i)
{
    const struct cpu_cost_table *t = cpu_cost_preset_at(i);
    return t ? t->name : NULL;
}

/* A host name must not read as an index, or references would be ambiguous. */
static int rd_host_name(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    if (ld_rd_ident(l, f, v, obj) < 0)
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

/* A list of bank indices of the host, as a mask at f->off: shared_banks
 * (banks every CPU of the host shares, as the memory controller's and the
 * LLC's are shared by the cores of a package, SDM 15.5.1), core_banks
 * (banks the hardware threads of one core share) and
 * no_cmci_banks (banks that cannot signal CMCI: their MCi_CTL2 keeps no
 * CMCI_EN, SDM 15.5.1). */
static int rd_bank_list(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_host *h = obj;
    uint32_t *mask = ld_member(obj, f->off);
    if (ld_want_kind(l, v, YAML_SEQUENCE_NODE, f->key) < 0)
        return -1;
    for (const yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *item = ld_node(l, *it);
        uint64_t x;
        const char *t = item && item->type == YAML_SCALAR_NODE ? ld_sval(item) : NULL;
        if (!t || scv_uint(t, &x) != SCV_OK)
            return ld_fail(l, item ? item : v, "bank indices, e.g. [7, 8]", "%s: not a bank index", f->key);
        if (x >= h->nbanks)
            return ld_fail(l, item, NULL, "%s: bank %llu does not exist (the host has %u banks)", f->key,
                           (unsigned long long)x, h->nbanks);
        *mask |= 1u << x;
    }
    return 0;
}


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

int ld_rd_cpu_id(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
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
    /* the vendor spellings are arch/x86_cpuid.c's, one table for everyone */
    const struct names vendors = {cpu_vendor_names(), CPU_VENDOR__COUNT};
    int vi = scv_lookup(buf, vendors.v, vendors.n);
    if (vi < 0)
        return ld_fail_names(l, v, buf, "vendors", &vendors, "'cpu': unknown vendor '%.20s'", buf);
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
    {.key = "gaddr", .rd = ld_rd_page, .off = RG(gaddr)},
};

/* Where region k of a domain starts in the domain, in pages: its gaddr, or
 * right after the same domain's previous region of the host (from 0). */
static uint64_t region_gfn(const struct scn_host *h, unsigned k)
{
    const struct scn_region *r = &h->regions[k];
    if (r->has_gaddr)
        return r->gaddr >> 12;
    for (unsigned j = k; j-- > 0;) {
        const struct scn_region *o = &h->regions[j];
        if (o->owner == SCN_OWNER_DOMAIN && o->domid == r->domid)
            return region_gfn(h, j) + (o->size >> 12);
    }
    return 0;
}

/* A domain's guest frames have one region each. */
static int gfn_check(struct ld *l, const yaml_node_t *item, const struct scn_host *h, unsigned i)
{
    const struct scn_region *r = &h->regions[i];
    uint64_t g = region_gfn(h, i), n = r->size >> 12;
    if (g > UINT64_MAX / 4096 - n)
        return ld_fail(l, item, NULL, "gaddr 0x%llx + 0x%llx ends beyond the 64-bit address space",
                       (unsigned long long)(g << 12), (unsigned long long)r->size);
    for (unsigned j = 0; j < i; j++) {
        const struct scn_region *o = &h->regions[j];
        uint64_t og = region_gfn(h, j), on = o->size >> 12;
        if (o->owner == SCN_OWNER_DOMAIN && o->domid == r->domid && g < og + on && og < g + n)
            return ld_fail(l, item, "give the region a 'gaddr' past the domain's other regions",
                           "domain %u's guest addresses [0x%llx, 0x%llx) overlap those of its region at line %u",
                           r->domid, (unsigned long long)(g << 12), (unsigned long long)((g + n) << 12),
                           o->loc.line);
    }
    return 0;
}

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
    const yaml_node_t *gk = ld_seen_key(sn, "gaddr");
    if (r->owner != SCN_OWNER_DOMAIN && gk)
        return ld_fail(l, gk, "remove 'gaddr', or set owner: domain",
                       "'gaddr' is only allowed with owner: domain");
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
    return r->owner == SCN_OWNER_DOMAIN ? gfn_check(l, item, h, i) : 0;
}

static int region_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    struct seen sn;
    struct scn_region *r = elem;
    if (LD_WALK(l, item, "memory region", region_fields, r, &sn) < 0)
        return -1;
    r->loc = ld_loc(item);
    r->has_gaddr = ld_seen_key(&sn, "gaddr") != NULL;
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
    {.key = "span", .rd = ld_rd_duration, .off = FR(fr_span_ps), .min = 1, .flags = F_REQ},
    {.key = "scale", .rd = ld_rd_u64, .off = FR(fr_scale), .min = 1, .max = 1000000000000ull},
    {.key = "table", .rd = ld_rd_fit_table, .off = FR(fr_fit), .flags = F_EXCL},
    {.key = "fit", .rd = ld_rd_fit, .off = FR(fr_fit), .flags = F_EXCL},
    {.key = "fit_file", .rd = ld_rd_fit_file, .off = FR(fr_fit), .flags = F_EXCL},
};

static int rd_field_rates(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct seen sn;
    struct scn_dram *d = obj;
    d->fr_scale = 1;
    d->fr_fit = field_rates_jaguar();
    if (LD_WALK(l, v, f->key, field_rates_fields, obj, &sn) < 0)
        return -1;
    /* `duration` is read before the platform: a year's span is the run's */
    if (d->fr_span_ps > SCV_TIME_MAX_PS && d->fr_span_ps > l->s->duration_ps)
        return ld_fail(l, ld_seen_val(&sn, "span"), "make it at most " SCV_TIME_MAX_TEXT " or the run's duration",
                       "field_rates.span is longer than " SCV_TIME_MAX_TEXT " and than the duration");
    return 0;
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
    {.key = "spare_rank", .rd = ld_rd_bool, .off = DR(spare_rank)},
    {.key = "spare_copy_rate", .rd = ld_rd_rate, .off = DR(spare_rate), .min = 1},
};

static int fr_check_count(struct ld *l, const yaml_node_t *at, const struct scn_dram *d)
{
    uint64_t devices;
    double e = scn_dram_expected_faults(d, &devices);
    if (e > SCN_FR_MAX_EXPECTED)
        return ld_fail(l, at, "lower scale, span or the table's FITs",
                       "dram.field_rates: %.3g faults expected over the span on %llu devices, at most 1e6", e,
                       (unsigned long long)devices);
    return 0;
}

/* `dram:` turns the memory model on for the host (docs/MEMORY.md). */
static int rd_dram(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_host *h = obj;
    struct scn_dram *d = &h->dram;
    struct seen sn;
    *d = (struct scn_dram){.present = true, .scrub = true, .scrub_period_ps = 24ull * 3600 * 1000000000000ull,
                           .mc_bank = 7, .core_bank = 1, .llc_bank = 8, .read_latency_ps = 60000,
                           .spare_rate = 1000000000ull};
    if (LD_WALK(l, v, f->key, dram_fields, d, &sn) < 0)
        return -1;
    if (ld_seen_key(&sn, "spare_copy_rate") && !d->spare_rank)
        return ld_fail(l, ld_seen_key(&sn, "spare_copy_rate"), "add 'spare_rank: true', or remove it",
                       "dram: spare_copy_rate without a spare rank");
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
    return d->fr_span_ps ? fr_check_count(l, ld_seen_val(&sn, "field_rates"), d) : 0;
}

static const char *const reporting_v[SCN_REPORT__COUNT] = {
    [SCN_REPORT_NATIVE] = "native",
    [SCN_REPORT_FIRMWARE_FIRST] = "firmware-first",
};
static const struct names reporting_names = {reporting_v, SCN_REPORT__COUNT};

static const char *const ghes_v[] = {"v1", "v2"};
static const struct names ghes_names = {ghes_v, 2};

#define FWF(m) offsetof(struct scn_firmware, m)
static const struct field firmware_fields[] = {
    {.key = "ghes", .rd = ld_rd_enum, .off = FWF(ghes_v2), .names = &ghes_names},
    {.key = "state_info_size", .rd = ld_rd_u64, .off = FWF(state_info_size), .min = 1, .max = 1u << 20},
    {.key = "record_size", .rd = ld_rd_u64, .off = FWF(record_size), .min = 1, .max = 1u << 20},
};

/* `firmware:` of a firmware-first host: its record log per CPU and type
 * holds state_info_size / record_size records (SAL_GET_STATE_INFO_SIZE). */
static int rd_firmware(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_host *h = obj;
    struct seen sn;
    if (LD_WALK(l, v, f->key, firmware_fields, &h->fw, &sn) < 0)
        return -1;
    if (h->fw.record_size > h->fw.state_info_size)
        return ld_fail(l, v, "state_info_size is the whole log of one CPU and type; make it a multiple of record_size",
                       "firmware: record_size %llu is larger than state_info_size %llu",
                       (unsigned long long)h->fw.record_size, (unsigned long long)h->fw.state_info_size);
    if (h->fw.state_info_size / h->fw.record_size > 1024)
        return ld_fail(l, v, "at most 1024 records per CPU and type",
                       "firmware: the log holds %llu records per CPU and type",
                       (unsigned long long)(h->fw.state_info_size / h->fw.record_size));
    return 0;
}

/* A host's CPU or bank count: when it is wrong, indices into the host are
 * no longer checked, so that one mistake is not reported again at every
 * event that names a CPU. */
static int rd_count(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    int rc = ld_rd_uint(l, f, v, obj);
    if (rc < 0)
        l->hosts_unsure = true;
    return rc;
}

#define HO(m) offsetof(struct scn_host, m)
static const struct field host_fields[] = {
    {.key = "name", .rd = rd_host_name, .off = HO(name), .max = LD_MSIZE(struct scn_host, name)},
    {.key = "cpus", .rd = rd_count, .off = HO(ncpus), .min = 1, .max = 256},
    {.key = "banks", .rd = rd_count, .off = HO(nbanks), .min = 1, .max = MCA_MAX_BANKS},
    {.key = "mcg_cap", .rd = rd_mcg_cap},
    {.key = "cpu", .rd = ld_rd_cpu_id, .off = HO(id)},
    {.key = "cost_model", .rd = rd_cost_model},
    {.key = "costs", .rd = rd_costs},
    {.key = "lmce", .rd = ld_rd_bool, .off = HO(lmce_on)},
    {.key = "shared_banks", .rd = rd_bank_list, .off = HO(shared_banks)}, /* after banks */
    {.key = "no_cmci_banks", .rd = rd_bank_list, .off = HO(no_cmci_banks)}, /* after banks */
    {.key = "threads_per_core", .rd = ld_rd_uint, .off = HO(threads_per_core), .min = 1, .max = 8},
    {.key = "core_banks", .rd = rd_bank_list, .off = HO(core_banks)}, /* after banks */
    {.key = "cmci_max_threshold", .rd = ld_rd_uint, .off = HO(cmci_max_threshold), .min = 1,
     .max = MCI_CTL2_THRESHOLD_MASK},
    {.key = "memory", .rd = rd_memory},
    {.key = "dram", .rd = rd_dram}, /* after cpus and banks: checked against them */
    {.key = "pcie", .rd = ld_rd_pcie},
    {.key = "error_reporting", .rd = ld_rd_enum, .off = HO(reporting), .names = &reporting_names},
    {.key = "firmware", .rd = rd_firmware},
};

static void host_defaults(struct scn_host *h, unsigned i)
{
    snprintf(h->name, sizeof(h->name), "host%u", i);
    h->ncpus = 4;
    h->nbanks = 10;
    h->mcg_cap_flags = MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P;
    h->cmci_max_threshold = MCI_CTL2_THRESHOLD_MASK;
    h->threads_per_core = 1;
    h->id = (struct cpu_model_id){CPU_VENDOR_INTEL, 6, 0x55};
    snprintf(h->cost_model, sizeof(h->cost_model), "skylake-sp");
    h->fw = (struct scn_firmware){4096, 1024, 0};
}

static int host_check(struct ld *l, const yaml_node_t *item, unsigned i, const struct seen *sn)
{
    const struct scn_host *h = ld_host(l, i);
    /* Firmware can set FEATURE_CONTROL.LMCE_ON only on parts with MCG_CAP.LMCE_P (SDM 15.3.1.5). */
    if (h->lmce_on && !(h->mcg_cap_flags & MCG_LMCE_P))
        return ld_fail(l, ld_seen_val(sn, "lmce"), "add lmce_p to mcg_cap, or set lmce: false",
                       "'lmce: true' needs lmce_p in mcg_cap");
    const yaml_node_t *cb = ld_seen_val(sn, "core_banks"), *tp = ld_seen_val(sn, "threads_per_core");
    if (cb && h->core_banks && h->threads_per_core < 2)
        return ld_fail(l, cb, "set threads_per_core: 2 (two hardware threads per core)",
                       "'core_banks' needs cores of more than one thread");
    if (cb && (h->core_banks & h->shared_banks))
        return ld_fail(l, cb, "a bank is either the package's (shared_banks) or a core's (core_banks)",
                       "'core_banks' and 'shared_banks' name the same bank");
    if (tp && h->ncpus % h->threads_per_core)
        return ld_fail(l, tp, "give the host a multiple of threads_per_core CPUs",
                       "%u CPUs are not whole cores of %u threads", h->ncpus, h->threads_per_core);
    if (ld_seen_key(sn, "firmware") && h->reporting != SCN_REPORT_FIRMWARE_FIRST)
        return ld_fail(l, ld_seen_key(sn, "firmware"), "add 'error_reporting: firmware-first', or remove 'firmware'",
                       "'firmware' describes the record log of a firmware-first host");
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
    /* AMD's and Hygon's MCG_CAP has MCG_CTL_P and the bank count only: no
     * CMCI, TES, SER or LMCE (AMD APM vol. 2, 9.3.1). Intel's flags are
     * the default for the other vendors. */
    if (!ld_seen_key(&sn, "mcg_cap") && (h->id.vendor == CPU_VENDOR_AMD || h->id.vendor == CPU_VENDOR_HYGON))
        h->mcg_cap_flags = MCG_CTL_P;
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

/* Everything else refers to hosts: without any, the load stops. */
int ld_rd_platform(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    (void)f;
    struct seen sn;
    int rc = LD_WALK(l, v, "platform", platform_fields, obj, &sn);
    if (rc < 0 && !l->s->nhosts)
        l->stop = true;
    return rc;
}
