/*
 * scenario_migration.c - the keys of a scenario file about live migration
 * under machine checks (issue #5): the `link:` between hosts,
 * `policy.migration:` and the `migrate:` event, with the checks that tie
 * a migration to the domains and hosts it moves between.
 *
 * The runtime follows the legacy xc_domain_save's pre-copy sequence, as the
 * V4 broken-page migration patch (xen-devel, 2012) lays it out; the
 * defaults here are that code's constants. A migration needs a toolstack
 * at both ends, so both hosts need a dom0.
 */
#include "sim/scenario/scenario.h"

#include <stddef.h>
#include <stdio.h>

#include "sim/scenario/scenario_walk.h"

#define DEF_MAX_ITERS 29        /* xc_domain_save DEF_MAX_ITERS            */
#define MAX_ITERS 1000
#define MAX_BATCH_SIZE 1024     /* xc_domain_save MAX_BATCH_SIZE           */
#define DEF_DIRTY_THRESHOLD 50  /* "sent_this_iter + skip_this_iter < 50"  */

/* Enum members are written as unsigned by ld_rd_enum. */
_Static_assert(sizeof(enum scn_mig_on_vmce) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_mig_caps) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_mig_restore_broken) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_mig_copy) == sizeof(unsigned), "enum size");

#define NAMES(v) {v, sizeof(v) / sizeof(v[0])}

static const char *const on_vmce_v[] = {[SCN_MIG_CONTINUE] = "continue", [SCN_MIG_ABORT] = "abort"};
static const struct names on_vmce_names = NAMES(on_vmce_v);
static const char *const caps_v[] = {[SCN_MIG_CAPS_XEN] = "xen", [SCN_MIG_CAPS_LEVEL] = "level",
                                     [SCN_MIG_CAPS_REFUSE] = "refuse",
                                     [SCN_MIG_CAPS_HOST] = "host"};
static const struct names caps_names = NAMES(caps_v);
static const char *const restore_v[] = {[SCN_MIG_MARK_BROKEN] = "mark", [SCN_MIG_SKIP_BROKEN] = "skip"};
static const struct names restore_names = NAMES(restore_v);
static const char *const copy_v[] = {[SCN_MIG_COPY_CPU] = "cpu", [SCN_MIG_COPY_DMA] = "dma"};
static const struct names copy_names = NAMES(copy_v);

/* ---- link -------------------------------------------------------------------- */

#define LK(m) offsetof(struct scn_link, m)
static const struct field link_fields[] = {
    {.key = "bandwidth", .rd = ld_rd_rate, .off = LK(bytes_per_s), .min = 1},
    {.key = "latency", .rd = ld_rd_time, .off = LK(latency_ps)},
};

int ld_rd_link(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_link *k = ld_member(obj, f->off);
    struct seen sn;
    k->loc = ld_loc(v);
    return LD_WALK(l, v, f->key, link_fields, k, &sn);
}

/* ---- policy.migration ------------------------------------------------------ */

#define PM(m) offsetof(struct scn_policy, m)
static const struct field pmigration_fields[] = {
    {.key = "on_vmce", .rd = ld_rd_enum, .off = PM(mig_on_vmce), .names = &on_vmce_names},
    {.key = "mcg_cap", .rd = ld_rd_enum, .off = PM(mig_caps), .names = &caps_names},
    {.key = "restore_broken", .rd = ld_rd_enum, .off = PM(mig_restore_broken), .names = &restore_names},
};

int ld_rd_pmigration(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    (void)f;
    struct seen sn;
    return LD_WALK(l, v, "policy.migration", pmigration_fields, obj, &sn);
}

/* ---- the migrate event --------------------------------------------------------- */

#define MG(m) offsetof(struct scn_event, u.migrate.m)
static const struct field migrate_fields[] = {
    {.key = "domain", .rd = ld_rd_uint, .off = MG(domain), .max = LD_MAX_DOMID, .flags = F_REQ},
    {.key = "to", .rd = ld_rd_host, .off = MG(to), .flags = F_REQ},
    {.key = "max_iters", .rd = ld_rd_uint, .off = MG(max_iters), .min = 1, .max = MAX_ITERS},
    {.key = "batch", .rd = ld_rd_uint, .off = MG(batch), .min = 1, .max = MAX_BATCH_SIZE},
    {.key = "dirty_threshold", .rd = ld_rd_u64, .off = MG(dirty_threshold), .max = UINT64_MAX},
    {.key = "recheck_types", .rd = ld_rd_bool, .off = MG(recheck_types)},
    {.key = "copy", .rd = ld_rd_enum, .off = MG(copy), .names = &copy_names},
};

static const struct scn_domain *domain_by_id(const struct scenario *s, unsigned id)
{
    for (unsigned i = 0; i < s->ndomains; i++)
        if (s->domains[i].id == id)
            return &s->domains[i];
    return NULL;
}

static bool has_dom0(const struct scenario *s, unsigned host)
{
    for (unsigned i = 0; i < s->ndomains; i++)
        if (s->domains[i].type == SCN_DOM_DOM0 && s->domains[i].host == host)
            return true;
    return false;
}

/* Each end runs a toolstack in its dom0: the sender reads the pages, the
 * receiver builds the domain. */
static int need_dom0(struct ld *l, const yaml_node_t *at, unsigned host, const char *role, unsigned domid)
{
    if (has_dom0(l->s, host))
        return 0;
    char hint[SCN_NAME_LEN + 96];
    const char *name = ld_host(l, host)->name;
    snprintf(hint, sizeof(hint), "add '- {id: 0, host: %s}' under 'domains:'; each host has its own dom0",
             name);
    return ld_fail(l, at, hint, "host '%s' has no dom0 to %s domain %u", name, role, domid);
}

/* A domain, its host and the target: the cross-key rules of a migration. */
static int migrate_check(struct ld *l, const struct scn_event *ev, const struct seen *sn)
{
    const struct scn_migrate *m = &ev->u.migrate;
    const yaml_node_t *dv = ld_seen_val(sn, "domain"), *tv = ld_seen_val(sn, "to");
    if (m->domain == 0)
        return ld_fail(l, dv, "migrate a pv or hvm domain; dom0 runs the toolstack that migrates it",
                       "dom0 cannot be migrated");
    const struct scn_domain *d = domain_by_id(l->s, m->domain);
    if (!d)
        return ld_fail(l, dv, "add it under 'domains:'", "no domain %u", m->domain);
    if (m->to == d->host)
        return ld_fail(l, tv, "give another host as 'to'", "'to': domain %u already runs on host '%s'",
                       m->domain, ld_host(l, d->host)->name);
    if (need_dom0(l, dv, d->host, "send", m->domain) < 0 ||
        need_dom0(l, tv, m->to, "receive", m->domain) < 0)
        return -1;
    /* One migration per domain: its host is then known for every event. */
    for (const struct scn_event *e = l->s->events; e < ev; e++)
        if (e->kind == SCN_EV_MIGRATE && e->u.migrate.domain == m->domain)
            return ld_fail(l, dv, "give each domain one migration",
                           "domain %u is already migrated by the event at line %u", m->domain, e->loc.line);
    return 0;
}

int ld_rd_migrate(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    struct seen sn;
    ev->kind = SCN_EV_MIGRATE;
    scn_migrate_defaults(&ev->u.migrate, 0, 0);
    if (LD_WALK(l, v, f->key, migrate_fields, ev, &sn) < 0)
        return -1;
    return migrate_check(l, ev, &sn);
}

/* ---- migrations dom0 decides on (Egger's case II) ------------------------- */

void scn_migrate_defaults(struct scn_migrate *m, unsigned domid, unsigned to)
{
    *m = (struct scn_migrate){.domain = domid, .to = to, .max_iters = DEF_MAX_ITERS, .batch = MAX_BATCH_SIZE,
                              .dirty_threshold = DEF_DIRTY_THRESHOLD, .copy = SCN_MIG_COPY_CPU};
}

/* A dom0 whose CE accounting moves DomUs off its host moves every DomU
 * placed there (it learns the owner only from the offline answer). */
int scn_ce_move_target(const struct scenario *s, unsigned domid)
{
    const struct scn_domain *d = domain_by_id(s, domid);
    if (!d || d->type == SCN_DOM_DOM0)
        return -1;
    for (unsigned i = 0; i < s->ndomains; i++) {
        const struct scn_domain *z = &s->domains[i];
        if (z->type == SCN_DOM_DOM0 && z->host == d->host && z->ce_offline && z->ce_domu != SCN_CE_DOMU_OFFLINE)
            return (int)z->ce_to;
        if (z->type == SCN_DOM_DOM0 && z->host == d->host && z->has_save_to)
            return (int)z->save_to;
    }
    return -1;
}

/* Where dom0 moves a DomU (key names it): another host, with a dom0. */
static int check_move_target(struct ld *l, const struct scn_domain *z, unsigned to, const char *key)
{
    char hint[SCN_NAME_LEN + 96];
    if (to == z->host) {
        snprintf(hint, sizeof(hint), "give %s another host", key);
        return ld_fail_loc(l, z->loc, hint, "%s is dom0's own host '%s'", key, ld_host(l, z->host)->name);
    }
    if (has_dom0(l->s, to))
        return 0;
    snprintf(hint, sizeof(hint), "add '- {id: 0, host: %s}' under 'domains:'", ld_host(l, to)->name);
    return ld_fail_loc(l, z->loc, hint, "host '%s' has no dom0 to receive the DomUs %s moves", ld_host(l, to)->name,
                       key);
}

/* ce_offline.domu other than offline, and dimm_action: spare: Egger's
 * case II and self-healing, which Xen does not have (its xen-hptool
 * exchanges the page of a suspended PV guest; no spare-rank command), so
 * only under the seed000 decider; a move's target needs a dom0. */
int ld_check_dom0_seed000(struct ld *l)
{
    const struct scenario *s = l->s;
    for (unsigned i = 0; i < s->ndomains; i++) {
        const struct scn_domain *z = &s->domains[i];
        if (z->type == SCN_DOM_DOM0 && z->ce_offline && z->ce_dimm_action && s->policy.decider != DECIDER_SEED000)
            return ld_fail_loc(l, z->loc, "add 'decider: seed000' under 'policy:' (Xen has no spare-rank command)",
                               "ce_offline.dimm_action: dom0 asking for hardware self-healing is "
                               "Egger's concept, a seed000 decision");
        if (z->type == SCN_DOM_DOM0 && z->has_save_to) {
            /* dom0_action is only asked under seed000 (NOTIFYDOMAIN is
             * -EINVAL in Xen); the restore needs another host's dom0 */
            if (s->policy.decider != DECIDER_SEED000)
                return ld_fail_loc(l, z->loc, "add 'decider: seed000' under 'policy:' (Xen's dom0 is never asked)",
                                   "save_to: dom0's answer to a deferred error is Egger's case II, a seed000 "
                                   "decision");
            if (check_move_target(l, z, z->save_to, "save_to") < 0)
                return -1;
        }
        if (z->type != SCN_DOM_DOM0 || !z->ce_offline || z->ce_domu == SCN_CE_DOMU_OFFLINE)
            continue;
        if (s->policy.decider != DECIDER_SEED000)
            return ld_fail_loc(l, z->loc, "add 'decider: seed000' under 'policy:' (Xen's dom0 only offlines)",
                               "ce_offline.domu: moving a DomU on a CE trend is Egger's case II, "
                               "a seed000 decision");
        if (check_move_target(l, z, z->ce_to, "ce_offline.to") < 0)
            return -1;
    }
    return 0;
}
