/*
 * scenario_domains.c - the `domains:` block of a scenario file: each
 * domain's id, type and host, its vCPUs and their pCPUs, its guest model,
 * CPUID and vMCE, a workload, and the settings of dom0's mcelog daemon
 * (corrected-error offlining, the action on an error); and the lone dom0
 * that stands in when the file has no `domains:`.
 *
 * Domains are read after the platform, so hosts are checked as they are
 * named. Ids are unique but for dom0, of which each host may have one.
 */
#include "sim/scenario/scenario.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "sim/scenario/scenario_values.h"
#include "sim/scenario/scenario_walk.h"

#define MAX_DOMAINS 1024

/* Enum members are written as unsigned by ld_rd_enum. */
_Static_assert(sizeof(enum scn_domain_type) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_guest) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_past_count) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_dom0_action) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_ce_domu) == sizeof(unsigned), "enum size");

static const char *const domtype_v[SCN_DOM__COUNT] = {
    [SCN_DOM_DOM0] = "dom0", [SCN_DOM_PV] = "pv", [SCN_DOM_HVM] = "hvm"};
static const struct names domtype_names = {domtype_v, SCN_DOM__COUNT};

static const char *const guest_v[SCN_GUEST__COUNT] = {"linux", "pv-no-callback", "strict", "none"};
static const struct names guest_names = {guest_v, SCN_GUEST__COUNT};
static const char *const past_v[] = {"zero", "gp"};
static const struct names past_names = {past_v, 2};
static const char *const d0act_v[SCN_D0__COUNT] = {"notify", "kill", "save", "ignore"};
static const struct names d0act_names = {d0act_v, SCN_D0__COUNT};
static const char *const domu_v[SCN_CE_DOMU__COUNT] = {"offline", "migrate", "save-restore"};
static const struct names domu_names = {domu_v, SCN_CE_DOMU__COUNT};
static const char *const dimm_action_v[] = {"warn", "spare", "mirror"};
static const struct names dimm_action_names = {dimm_action_v, 3};
static const char *const paging_v[] = {"hap", "shadow"};
static const struct names paging_names = {paging_v, 2};

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

/* Which Xen's vMCE interface the guest ran under until its save: the
 * current one, or 4.2's (e1dc98e3c3 and b272353fe9, before the 4.3
 * redesign 975b5bdf27). */
static const char *const saved_by_v[] = {"4.20", "4.2"};
static const struct names saved_by_names = {saved_by_v, 2};

#define VO(m) offsetof(struct scn_vmce, m)
static const struct field vmce_fields[] = {
    {.key = "banks", .rd = rd_vmce_banks, .off = VO(banks), .min = 1, .max = MCA_MAX_BANKS},
    {.key = "ser_p", .rd = ld_rd_bool, .off = VO(ser_p)},
    {.key = "cmci_p", .rd = ld_rd_bool, .off = VO(cmci_p)},
    {.key = "tes_p", .rd = ld_rd_bool, .off = VO(tes_p)},
    {.key = "lmce_p", .rd = ld_rd_bool, .off = VO(lmce_p)},
    {.key = "past_count", .rd = ld_rd_enum, .off = VO(past_count), .names = &past_names},
    {.key = "kill_on_bank0_quirk", .rd = ld_rd_bool, .off = VO(kill_on_bank0_quirk)},
    {.key = "saved_by", .rd = ld_rd_enum, .off = VO(saved_by), .names = &saved_by_names},
};

/* lmce_p is Xen's HVM_PARAM_MCA_CAP = XEN_HVM_MCA_CAP_LMCE, which only an
 * HVM guest has and which vmce_enable_mca_cap refuses (-EINVAL, and the
 * toolstack then fails to create the domain) unless its host supports
 * LMCE: MCG_LMCE_P and firmware's LMCE_ON. */
static int check_lmce(struct ld *l, const struct scn_domain *d, const yaml_node_t *at)
{
    const struct scn_host *h = ld_host(l, d->host);
    if (!d->vmce.lmce_p)
        return 0;
    if (d->type != SCN_DOM_HVM)
        return ld_fail(l, at, "LMCE_P comes from HVM_PARAM_MCA_CAP, an HVM parameter",
                       "'lmce_p: true' needs an hvm domain");
    if (h && (!(h->mcg_cap_flags & MCG_LMCE_P) || !h->lmce_on))
        return ld_fail(l, at, "give the host lmce_p in mcg_cap and 'lmce: true'",
                       "host '%s' has no LMCE: Xen's vmce_enable_mca_cap refuses LMCE_P (-EINVAL)", h->name);
    return 0;
}

static int rd_vmce(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct seen sn;
    struct scn_domain *d = obj;
    if (LD_WALK(l, v, f->key, vmce_fields, &d->vmce, &sn) < 0)
        return -1;
    d->vmce.caps_given = ld_seen_key(&sn, "ser_p") || ld_seen_key(&sn, "cmci_p") || ld_seen_key(&sn, "tes_p");
    d->vmce.saved_by_4_2 = d->vmce.saved_by == 1;
    static const char *const fixed[] = {"banks", "ser_p", "cmci_p", "tes_p", "lmce_p"};
    for (unsigned i = 0; d->vmce.saved_by_4_2 && i < sizeof(fixed) / sizeof(fixed[0]); i++)
        if (ld_seen_key(&sn, fixed[i]))
            return ld_fail(l, ld_seen_key(&sn, fixed[i]), "Xen 4.2 showed the host's count and features: drop it",
                           "'%s' cannot be given with 'saved_by: \"4.2\"'", fixed[i]);
    return 0;
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
    {.key = "domu", .rd = ld_rd_enum, .off = CO(ce_domu), .names = &domu_names},
    {.key = "dimm_action", .rd = ld_rd_enum, .off = CO(ce_dimm_action), .names = &dimm_action_names},
    {.key = "to", .rd = ld_rd_host, .off = CO(ce_to)},
};

/* mcelog's defaults (andikleen/mcelog): page 2, DIMM 10,
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
    if (LD_WALK(l, v, f->key, ce_fields, d, &sn) < 0)
        return -1;
    /* Moving a DomU needs somewhere to go; offlining does not. */
    bool moves = d->ce_domu != SCN_CE_DOMU_OFFLINE;
    if (moves && !ld_seen_key(&sn, "to"))
        return ld_fail(l, ld_seen_val(&sn, "domu"), "add 'to: HOST', the host that receives the DomU",
                       "ce_offline.domu: %s needs 'to'", domu_v[d->ce_domu]);
    if (!moves && ld_seen_key(&sn, "to"))
        return ld_fail(l, ld_seen_key(&sn, "to"), "remove it, or give 'domu: migrate' or 'domu: save-restore'",
                       "ce_offline.to: nothing moves with domu: offline");
    return 0;
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
    {.key = "cpuid", .rd = ld_rd_cpu_id, .off = DO(cpuid)},
    {.key = "vmce", .rd = rd_vmce, .off = DO(vmce)},
    {.key = "pv_mca_driver", .rd = ld_rd_bool, .off = DO(pv_mca_driver)},
    {.key = "msr_relaxed", .rd = ld_rd_bool, .off = DO(msr_relaxed)},
    {.key = "paging", .rd = ld_rd_enum, .off = DO(paging), .names = &paging_names},
    {.key = "vcpus_online", .rd = ld_rd_uint, .off = DO(vcpus_online), .min = 1, .max = SCN_MAX_VCPUS},
    {.key = "strict_banks", .rd = ld_rd_uint, .off = DO(strict_banks), .min = 1, .max = MCA_MAX_BANKS},
    {.key = "dom0_action", .rd = ld_rd_enum, .off = DO(dom0_action), .names = &d0act_names},
    {.key = "save_to", .rd = ld_rd_host, .off = DO(save_to)},
    {.key = "ce_offline", .rd = rd_ce_offline},
    {.key = "workload", .rd = rd_workload},
    {.key = "fw_read_delay", .rd = ld_rd_time, .off = DO(fw_read_delay_ps)},
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
    static const char *const dom0_only[] = {"mcelog", "mcelog_start", "dom0_action", "save_to", "ce_offline",
                                            "fw_read_delay"};
    for (unsigned k = 0; k < 6 && d->type != SCN_DOM_DOM0; k++)
        if (ld_seen_key(sn, dom0_only[k]))
            return ld_fail(l, ld_seen_key(sn, dom0_only[k]), "the mcelog daemon and the firmware-first handler run in dom0 only",
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
    d->has_save_to = ld_seen_key(&sn, "save_to") != NULL;
    if (d->has_save_to && d->dom0_action != SCN_D0_SAVE)
        return ld_fail(l, ld_seen_key(&sn, "save_to"), "add 'dom0_action: save', or remove 'save_to'",
                       "'save_to' is where dom0's 'save' answer restores the DomU");
    if (check_lmce(l, d, ld_seen_val(&sn, "vmce")) < 0)
        return -1;
    if (ld_seen_key(&sn, "paging") && d->type != SCN_DOM_HVM)
        return ld_fail(l, ld_seen_val(&sn, "paging"), "paging modes are an HVM guest's; PV guests have none",
                       "'paging' is only allowed on an hvm domain");
    if (d->vcpus_online > d->nvcpus)
        return ld_fail(l, ld_seen_val(&sn, "vcpus_online"), NULL, "vcpus_online is %u, but the domain has %u vCPU(s)",
                       d->vcpus_online, d->nvcpus);
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

int ld_rd_domains(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
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
int ld_default_domains(struct ld *l)
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
