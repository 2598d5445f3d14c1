/*
 * scenario_policy.c - the `policy:` block of a scenario file: the
 * hypervisor's recovery policies (handler order and Xen release, debug
 * build, boot options, rendezvous timeout, telemetry pool sizes, polling,
 * CMCI threshold and storm handling, who decides for a DomU error, access
 * to a broken page, scheduling delay, errors in the hypervisor's memory, a
 * consumer of another domain's page). Its `migration:` key is read in
 * scenario_migration.c.
 *
 * The defaults are set with the rest of the scenario's, in scenario_load.c.
 */
#include "sim/scenario/scenario.h"

#include <stddef.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "sim/scenario/scenario_walk.h"

#define PO(m) offsetof(struct scn_policy, m)

/* Enum members are written as unsigned by ld_rd_enum. */
_Static_assert(sizeof(enum scn_poll_policy) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum hv_decider) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum hv_deferral) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum hv_broken_access) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum hv_storm_policy) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum hv_handler_order) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum hv_xen_version) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum hv_memory_policy) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum hv_foreign_srar) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum hv_touch_policy) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum hv_guest_mca_ctl) == sizeof(unsigned), "enum size");

static const char *const poll_v[SCN_POLL__COUNT] = {[SCN_POLL_XEN] = "xen"};
static const struct names poll_names = {poll_v, SCN_POLL__COUNT};

/* The hv's policies, by the names it gives them (hv/public/hv_policy.h). */
static const char *storm_at(unsigned i) { return hv_storm_policy_name((enum hv_storm_policy)i); }
static const char *decider_at(unsigned i) { return hv_decider_name((enum hv_decider)i); }
static const char *deferral_at(unsigned i) { return hv_deferral_name((enum hv_deferral)i); }
static const char *broken_at(unsigned i) { return hv_broken_access_name((enum hv_broken_access)i); }
static const char *order_at(unsigned i) { return hv_handler_order_name((enum hv_handler_order)i); }
static const char *version_at(unsigned i) { return hv_xen_version_name((enum hv_xen_version)i); }
static const char *memory_at(unsigned i) { return hv_memory_policy_name((enum hv_memory_policy)i); }
static const char *foreign_at(unsigned i) { return hv_foreign_srar_name((enum hv_foreign_srar)i); }
static const char *touch_at(unsigned i) { return hv_touch_policy_name((enum hv_touch_policy)i); }
static const char *mca_ctl_at(unsigned i) { return hv_guest_mca_ctl_name((enum hv_guest_mca_ctl)i); }

static int rd_hv_enum(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj,
                      const char *(*name_at)(unsigned), unsigned n)
{
    const char *buf[8];
    struct names nm = ld_names_from(buf, n < 8 ? n : 8, name_at);
    struct field named = *f;
    named.names = &nm;
    return ld_rd_enum(l, &named, v, obj);
}

static int rd_storm(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_hv_enum(l, f, v, obj, storm_at, STORM__COUNT);
}

static int rd_deferral(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_hv_enum(l, f, v, obj, deferral_at, DEFERRAL__COUNT);
}

static int rd_decider(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_hv_enum(l, f, v, obj, decider_at, DECIDER__COUNT);
}

int ld_rd_storm(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_storm(l, f, v, obj);
}

int ld_rd_decider(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_decider(l, f, v, obj);
}

static int rd_broken(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_hv_enum(l, f, v, obj, broken_at, BROKEN_ACCESS__COUNT);
}

static int rd_order(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_hv_enum(l, f, v, obj, order_at, ORDER__COUNT);
}

static int rd_version(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_hv_enum(l, f, v, obj, version_at, XEN_VER__COUNT);
}

static int rd_memory(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_hv_enum(l, f, v, obj, memory_at, HV_MEMORY__COUNT);
}

static int rd_foreign(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_hv_enum(l, f, v, obj, foreign_at, FOREIGN_SRAR__COUNT);
}

/* raz_msrs: a list of guest MSRs (names or numbers), each once. */
static int rd_raz_msrs(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_policy *p = obj;
    if (ld_want_kind(l, v, YAML_SEQUENCE_NODE, f->key) < 0)
        return -1;
    p->nraz_msrs = 0;
    for (const yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *item = ld_node(l, *it);
        if (p->nraz_msrs == HV_MAX_RAZ_MSRS)
            return ld_fail(l, item ? item : v, NULL, "'%s' lists more than %u MSRs", f->key, HV_MAX_RAZ_MSRS);
        uint32_t msr;
        struct field one = {.key = f->key, .off = 0};
        if (!item || ld_rd_guest_msr(l, &one, item, &msr) < 0)
            return item ? -1 : ld_fail(l, v, NULL, "'%s': an empty item", f->key);
        for (unsigned i = 0; i < p->nraz_msrs; i++)
            if (p->raz_msrs[i] == msr)
                return ld_fail(l, item, "list each MSR once", "'%s': MSR %#x is listed twice", f->key, msr);
        p->raz_msrs[p->nraz_msrs++] = msr;
    }
    return 0;
}

static int rd_mca_ctl(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_hv_enum(l, f, v, obj, mca_ctl_at, GUEST_MCA_CTL__COUNT);
}

static int rd_touch(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_hv_enum(l, f, v, obj, touch_at, HV_TOUCH__COUNT);
}

/* After handler_order (table order): a timeout needs the linux order. */
static int rd_rendezvous(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    uint64_t *ps = ld_member(obj, f->off);
    const struct scn_policy *pol = obj;
    if (v->type == YAML_SCALAR_NODE && strcmp(ld_sval(v), "none") == 0) {
        *ps = 0;
        return 0;
    }
    if (ld_read_time(l, f, v, ps) < 0)
        return -1;
    if (*ps == 0)
        return ld_fail(l, v, "write none to wait without a timeout (Xen's behaviour)",
                       "'%s' must be greater than 0", f->key);
    if (pol->handler_order != ORDER_LINUX)
        return ld_fail(l, v, "add handler_order: linux, or write none",
                       "'%s': Xen's barriers have no timeout (mce_barrier_enter); a timeout needs "
                       "handler_order: linux", f->key);
    return 0;
}

/* Xen's boot options take its boolean spellings on and off. */
static const char *const onoff_v[] = {"off", "on"};
static const struct names onoff_names = {onoff_v, 2};
static const char *const verbosity_v[] = {"quiet", "verbose"};
static const struct names verbosity_names = {verbosity_v, 2};

static int rd_onoff(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj, bool invert)
{
    int i = ld_read_name(l, f, v, f->names, "valid values");
    if (i < 0)
        return -1;
    *(bool *)ld_member(obj, f->off) = invert ? i == 0 : i == 1;
    return 0;
}

static int rd_mce(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_onoff(l, f, v, obj, true); /* stored as "mce off" */
}

static int rd_flag(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_onoff(l, f, v, obj, false);
}

/* nmi=: hv_policy.h's names; "default" is the build's. */
static const char *nmi_name_at(unsigned i) { return hv_nmi_opt_name((enum hv_nmi_opt)i); }

static int rd_nmi(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    const char *buf[NMI_OPT__COUNT];
    struct names nm = ld_names_from(buf, NMI_OPT__COUNT, nmi_name_at);
    int i = ld_read_name(l, f, v, &nm, "valid values");
    if (i < 0)
        return -1;
    *(enum hv_nmi_opt *)ld_member(obj, f->off) = (enum hv_nmi_opt)i;
    return 0;
}

static const struct field pboot_fields[] = {
    {.key = "mce", .rd = rd_mce, .off = PO(boot_mce_off), .names = &onoff_names},
    {.key = "mce_fb", .rd = rd_flag, .off = PO(boot_mce_fb), .names = &onoff_names},
    {.key = "mce_verbosity", .rd = rd_flag, .off = PO(boot_mce_verbose), .names = &verbosity_names},
    {.key = "nmi", .rd = rd_nmi, .off = PO(boot_nmi)},
};

static int rd_pboot(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    (void)f;
    struct seen sn;
    return LD_WALK(l, v, "policy.boot", pboot_fields, obj, &sn);
}

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

_Static_assert(sizeof(enum scn_pcie_reporting) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_aerfail) == sizeof(unsigned), "enum size");
static const char *const reporting_v[] = {[SCN_PCIE_AER] = "aer", [SCN_PCIE_SERR] = "serr"};
static const struct names reporting_names = {reporting_v, 2};
static const char *const aerfail_v[] = {[SCN_AERFAIL_LIBXL] = "libxl", [SCN_AERFAIL_XEND] = "xend"};
static const struct names aerfail_names = {aerfail_v, 2};

static const struct field ppcie_fields[] = {
    {.key = "reporting", .rd = ld_rd_enum, .off = PO(pcie_reporting), .names = &reporting_names},
    {.key = "aerfail", .rd = ld_rd_enum, .off = PO(aerfail), .names = &aerfail_names},
};

static int rd_ppcie(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    (void)f;
    struct seen sn;
    return LD_WALK(l, v, "policy.pcie", ppcie_fields, obj, &sn);
}

static const struct field policy_fields[] = {
    {.key = "handler_order", .rd = rd_order, .off = PO(handler_order)},
    {.key = "xen_version", .rd = rd_version, .off = PO(xen_version)},
    {.key = "xen_debug", .rd = ld_rd_bool, .off = PO(xen_debug)},
    {.key = "boot", .rd = rd_pboot},
    {.key = "rendezvous_timeout", .rd = rd_rendezvous, .off = PO(rendezvous_timeout_ps)},
    {.key = "telemetry", .rd = rd_ptelem},
    {.key = "poll", .rd = ld_rd_enum, .off = PO(poll), .names = &poll_names},
    /* Xen's cmci-threshold is an unsigned int; a bank's maximum clamps it */
    {.key = "cmci_threshold", .rd = ld_rd_uint, .off = PO(cmci_threshold), .max = 0xFFFFFFFFu},
    {.key = "decider", .rd = rd_decider, .off = PO(decider)},
    {.key = "deferral", .rd = rd_deferral, .off = PO(deferral)},
    {.key = "broken_access", .rd = rd_broken, .off = PO(broken_access)},
    {.key = "sched_delay", .rd = ld_rd_time, .off = PO(sched_delay_ps)},
    {.key = "storm", .rd = rd_storm, .off = PO(storm)},
    {.key = "migration", .rd = ld_rd_pmigration},
    {.key = "hv_memory", .rd = rd_memory, .off = PO(hv_memory)},
    {.key = "foreign_srar", .rd = rd_foreign, .off = PO(foreign_srar)},
    {.key = "hv_touch", .rd = rd_touch, .off = PO(hv_touch)},
    {.key = "raz_msrs", .rd = rd_raz_msrs},
    {.key = "guest_mca_ctl", .rd = rd_mca_ctl, .off = PO(guest_mca_ctl)},
    {.key = "pcie", .rd = rd_ppcie},
};

int ld_rd_policy(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct seen sn;
    return LD_WALK(l, v, "policy", policy_fields, ld_member(obj, f->off), &sn);
}
