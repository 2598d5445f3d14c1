/*
 * scenario_policy.c - the `policy:` block of a scenario file: the
 * hypervisor's recovery policies (rendezvous timeout, telemetry pool
 * sizes, polling, CMCI threshold and storm handling, who decides for a
 * DomU error, access to a broken page, scheduling delay). Its `migration:`
 * key is read in scenario_migration.c.
 *
 * The defaults are set with the rest of the scenario's, in scenario_load.c.
 */
#include "sim/scenario/scenario.h"

#include <stddef.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "sim/scenario/scenario_walk.h"

/* Enum members are written as unsigned by ld_rd_enum. */
_Static_assert(sizeof(enum scn_poll_policy) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_decider) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum scn_broken_access) == sizeof(unsigned), "enum size");

static const char *const poll_v[SCN_POLL__COUNT] = {[SCN_POLL_XEN] = "xen"};
static const struct names poll_names = {poll_v, SCN_POLL__COUNT};
static const char *const storm_v[] = {"xen", "linux-2.6", "linux-6"};
static const struct names storm_names = {storm_v, 3};
static const char *const decider_v[SCN_DECIDER__COUNT] = {"xen", "seed000"};
static const struct names decider_names = {decider_v, SCN_DECIDER__COUNT};
static const char *const broken_v[SCN_BROKEN__COUNT] = {"crash", "srar"};
static const struct names broken_names = {broken_v, SCN_BROKEN__COUNT};

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

int ld_rd_policy(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct seen sn;
    return LD_WALK(l, v, "policy", policy_fields, ld_member(obj, f->off), &sn);
}
