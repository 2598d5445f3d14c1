/*
 * scenario_expect.c - the expect: block of a scenario file: the outcome
 * of each host, the exact list of records in commit order, telemetry
 * counters, text that must (not) appear in dom0's log or on the console,
 * latency bounds between trace stages, register values at the end, the
 * final state of domains and what became of a live migration.
 *
 * Absent items mean "not checked": -1 in the int members, "" in text.
 * sim/results/expect.c evaluates what is read here against a run.
 */
#include "sim/scenario/scenario.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "hv/public/mca_names.h"
#include "sim/scenario/scenario_values.h"
#include "sim/scenario/scenario_walk.h"

#define MAX_EXPECT 10000

_Static_assert(sizeof(enum scn_outcome) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum trace_stage) == sizeof(unsigned), "enum size");

static const char *const outcome_v[SCN_OUT__COUNT] = {
    [SCN_OUT_RUNNING] = "running", [SCN_OUT_PANIC] = "panic", [SCN_OUT_RESET] = "reset",
    [SCN_OUT_SHUTDOWN] = "shutdown", [SCN_OUT_HANG] = "hang"};
static const struct names outcome_names = {outcome_v, SCN_OUT__COUNT};

static const struct names class_names = {mca_rec_class_names, MCA_REC__COUNT};
static const struct names result_names = {mca_rec_result_names, MCA_RES__COUNT};
static const struct names source_names = {mca_rec_source_names, MCA_SRC__COUNT};

const char *scn_outcome_name(enum scn_outcome o)
{
    return (unsigned)o < SCN_OUT__COUNT ? outcome_v[o] : "unknown";
}

static const char *const mig_outcome_v[SCN_MIGO__COUNT] = {
    [SCN_MIGO_NONE] = "none",
    [SCN_MIGO_RUNNING] = "running",
    [SCN_MIGO_SUCCESS] = "success",
    [SCN_MIGO_ABORTED] = "aborted",
    [SCN_MIGO_REFUSED] = "refused",
    [SCN_MIGO_PROCESS_KILLED] = "process_killed",
    [SCN_MIGO_GUEST_CRASHED] = "guest_crashed",
    [SCN_MIGO_DATA_LOSS] = "data_loss",
};
static const struct names mig_outcome_names = {mig_outcome_v, SCN_MIGO__COUNT};

const char *scn_mig_outcome_name(enum scn_mig_outcome o)
{
    return (unsigned)o < SCN_MIGO__COUNT ? mig_outcome_v[o] : "unknown";
}

enum scn_mig_outcome scn_mig_outcome_from_name(const char *name)
{
    int i = name ? scv_lookup(name, mig_outcome_v, SCN_MIGO__COUNT) : -1;
    return i < 0 ? SCN_MIGO__COUNT : (enum scn_mig_outcome)i;
}

static const char *stage_name_at(unsigned i) { return trace_stage_name((enum trace_stage)i); }

static int rd_stage(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    const char *s = ld_scalar(l, v, f->key, "a stage name");
    if (!s)
        return -1;
    enum trace_stage st = trace_stage_from_name(s);
    if (st == TS__COUNT) {
        const char *buf[TS__COUNT];
        struct names nm = ld_names_from(buf, TS__COUNT, stage_name_at);
        return ld_fail_names(l, v, s, "stages", &nm, "'%s': unknown stage '%.40s'", f->key, s);
    }
    *(unsigned *)ld_member(obj, f->off) = (unsigned)st;
    return 0;
}

/* ---- expectations -------------------------------------------------------------- */

#define XH(m) offsetof(struct scn_expect_host, m)
static const struct field xhost_fields[] = {
    {.key = "outcome", .rd = ld_rd_enum, .off = XH(outcome), .names = &outcome_names, .flags = F_REQ},
    {.key = "reason", .rd = ld_rd_text, .off = XH(reason), .max = LD_MSIZE(struct scn_expect_host, reason)},
};

static const struct field xhosts_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = XH(host), .flags = F_REQ},
    {.key = "outcome", .rd = ld_rd_enum, .off = XH(outcome), .names = &outcome_names, .flags = F_REQ},
    {.key = "reason", .rd = ld_rd_text, .off = XH(reason), .max = LD_MSIZE(struct scn_expect_host, reason)},
};

static int rd_xhost(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    (void)f;
    struct scn_expect *x = obj;
    struct seen sn;
    x->hosts = calloc(1, sizeof(*x->hosts));
    if (!x->hosts)
        return ld_fail(l, v, NULL, "out of memory");
    x->nhosts = 1;
    x->hosts[0].loc = ld_loc(v);
    return LD_WALK(l, v, "expect.host", xhost_fields, &x->hosts[0], &sn);
}

static int xhosts_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    const struct scn_expect *x = ctx;
    struct scn_expect_host *e = elem;
    struct seen sn;
    if (LD_WALK(l, item, "expect.hosts entry", xhosts_fields, e, &sn) < 0)
        return -1;
    e->loc = ld_loc(item);
    for (unsigned j = 0; j < i; j++)
        if (x->hosts[j].host == e->host)
            return ld_fail(l, ld_seen_val(&sn, "host"), "one entry per host",
                           "host %u is already expected at line %u", e->host, x->hosts[j].loc.line);
    return 0;
}

static int rd_xhosts(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 1, LD_MAX_HOSTS, sizeof(struct scn_expect_host), &arr, &x->nhosts) < 0)
        return -1;
    x->hosts = arr;
    return ld_seq_each(l, v, arr, sizeof(struct scn_expect_host), x, xhosts_item);
}

static const struct names action_names = {mca_rec_action_names, MCA_ACT__COUNT};

/* The bank-level keys, on a record (some bank matches them all) or in its
 * banks: list (each bank in order). */
#define XB(m) offsetof(struct scn_expect_bank, m)
static const struct field bank_fields[] = {
    {.key = "bank", .rd = ld_rd_bank_int, .off = XB(bank), .host_off = XB(host)},
    {.key = "class", .rd = ld_rd_enum_int, .off = XB(cls), .names = &class_names},
    {.key = "rule", .rd = ld_rd_text, .off = XB(rule), .max = MCA_RULE_LEN},
    {.key = "domain", .rd = ld_rd_ll, .off = XB(domain), .max = LD_MAX_DOMID},
    {.key = "addr", .rd = ld_rd_ll, .off = XB(addr), .max = INT64_MAX},
    {.key = "gaddr", .rd = ld_rd_ll, .off = XB(gaddr), .max = INT64_MAX},
    {.key = "action", .rd = ld_rd_enum_int, .off = XB(action), .names = &action_names},
};

static void bank_any(struct scn_expect_bank *b, int host)
{
    b->host = host;
    b->bank = b->cls = b->action = -1;
    b->domain = b->addr = b->gaddr = -1;
}

static int bank_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)i;
    const struct scn_expect_record *r = ctx;
    struct scn_expect_bank *b = elem;
    struct seen sn;
    bank_any(b, r->host);
    b->loc = ld_loc(item);
    return LD_WALK(l, item, "expected bank", bank_fields, b, &sn);
}

static int rd_banks(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect_record *r = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 0, MCA_REC_MAX_BANKS, sizeof(struct scn_expect_bank), &arr, &r->nbanks) < 0)
        return -1;
    r->banks = arr;
    r->has_banks = true;
    return ld_seq_each(l, v, arr, sizeof(struct scn_expect_bank), r, bank_item);
}

/* Record-level keys first (host before the banks that check against it),
 * then the bank-level keys, read into the record's `bank`. `class` on a
 * record is the worst class of its banks. */
#define XR(m) offsetof(struct scn_expect_record, m)
static const struct field record_fields[] = {
    {.key = "host", .rd = ld_rd_host_int, .off = XR(host)},
    {.key = "cpu", .rd = ld_rd_cpu_int, .off = XR(cpu), .host_off = XR(host)},
    {.key = "class", .rd = ld_rd_enum_int, .off = XR(cls), .names = &class_names},
    {.key = "result", .rd = ld_rd_enum_int, .off = XR(result), .names = &result_names},
    {.key = "source", .rd = ld_rd_enum_int, .off = XR(source), .names = &source_names},
    {.key = "mcg_status", .rd = ld_rd_ll, .off = XR(mcg_status), .max = INT64_MAX},
    {.key = "incomplete", .rd = ld_rd_tribool, .off = XR(incomplete)},
    {.key = "bank", .rd = ld_rd_bank_int, .off = XR(bank.bank), .host_off = XR(host)},
    {.key = "rule", .rd = ld_rd_text, .off = XR(bank.rule), .max = MCA_RULE_LEN},
    {.key = "domain", .rd = ld_rd_ll, .off = XR(bank.domain), .max = LD_MAX_DOMID},
    {.key = "addr", .rd = ld_rd_ll, .off = XR(bank.addr), .max = INT64_MAX},
    {.key = "gaddr", .rd = ld_rd_ll, .off = XR(bank.gaddr), .max = INT64_MAX},
    {.key = "action", .rd = ld_rd_enum_int, .off = XR(bank.action), .names = &action_names},
    {.key = "banks", .rd = rd_banks},
};

static int record_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)i;
    (void)ctx;
    struct scn_expect_record *r = elem;
    struct seen sn;
    r->host = r->cpu = r->cls = r->result = r->source = r->incomplete = -1;
    r->mcg_status = -1;
    bank_any(&r->bank, -1);
    r->loc = ld_loc(item);
    if (LD_WALK(l, item, "expected record", record_fields, r, &sn) < 0)
        return -1;
    static const char *const bank_keys[] = {"bank", "rule", "domain", "addr", "gaddr", "action"};
    for (unsigned k = 0; k < sizeof(bank_keys) / sizeof(bank_keys[0]); k++)
        r->has_bank_keys |= ld_seen_key(&sn, bank_keys[k]) != NULL;
    r->bank.loc = r->loc;
    return 0;
}

static int rd_records(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 0, MAX_EXPECT, sizeof(struct scn_expect_record), &arr, &x->nrecords) < 0)
        return -1;
    x->records = arr;
    x->has_records = true;
    return ld_seq_each(l, v, arr, sizeof(struct scn_expect_record), NULL, record_item);
}

#define XT(m) offsetof(struct scn_expect_telem, m)
static const struct field xtelem_fields[] = {
    {.key = "logged", .rd = ld_rd_ll, .off = XT(logged), .max = INT64_MAX},
    {.key = "delivered", .rd = ld_rd_ll, .off = XT(delivered), .max = INT64_MAX},
    {.key = "dropped", .rd = ld_rd_ll, .off = XT(dropped), .max = INT64_MAX},
    {.key = "lost", .rd = ld_rd_ll, .off = XT(lost), .max = INT64_MAX},
    {.key = "undelivered", .rd = ld_rd_ll, .off = XT(undelivered), .max = INT64_MAX},
    {.key = "dropped_urgent", .rd = ld_rd_ll, .off = XT(dropped_urgent), .max = INT64_MAX},
    {.key = "dropped_nonurgent", .rd = ld_rd_ll, .off = XT(dropped_nonurgent), .max = INT64_MAX},
};

static int rd_xtelem(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    (void)f;
    struct scn_expect *x = obj;
    struct seen sn;
    x->telem.loc = ld_loc(v);
    return LD_WALK(l, v, "expect.telemetry", xtelem_fields, &x->telem, &sn);
}

#define XF(m) offsetof(struct scn_expect_fw, m)
static const struct field xfw_fields[] = {
    {.key = "logged", .rd = ld_rd_ll, .off = XF(logged), .max = INT64_MAX},
    {.key = "lost", .rd = ld_rd_ll, .off = XF(lost), .max = INT64_MAX},
    {.key = "delivered", .rd = ld_rd_ll, .off = XF(delivered), .max = INT64_MAX},
    {.key = "pending", .rd = ld_rd_ll, .off = XF(pending), .max = INT64_MAX},
    {.key = "overflow", .rd = ld_rd_ll, .off = XF(overflow), .max = INT64_MAX},
    {.key = "storms", .rd = ld_rd_ll, .off = XF(storms), .max = INT64_MAX},
    {.key = "returns", .rd = ld_rd_ll, .off = XF(returns), .max = INT64_MAX},
    {.key = "polls", .rd = ld_rd_ll, .off = XF(polls), .max = INT64_MAX},
    {.key = "polled", .rd = ld_rd_ll, .off = XF(polled), .max = INT64_MAX},
    {.key = "masked", .rd = ld_rd_ll, .off = XF(masked), .max = INT64_MAX},
    {.key = "ipis", .rd = ld_rd_ll, .off = XF(ipis), .max = INT64_MAX},
    {.key = "refused", .rd = ld_rd_ll, .off = XF(refused), .max = INT64_MAX},
};

static int rd_xfw(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    (void)f;
    struct scn_expect *x = obj;
    struct seen sn;
    x->fw.loc = ld_loc(v);
    return LD_WALK(l, v, "expect.firmware", xfw_fields, &x->fw, &sn);
}

static const struct field not_fields[] = {
    {.key = "not", .rd = ld_rd_text, .off = offsetof(struct scn_expect_text, text),
     .max = LD_MSIZE(struct scn_expect_text, text), .flags = F_REQ},
};

/* An item of dom0_log / console: "text" must appear, {not: text} must not. */
static int text_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)i;
    const struct field *f = ctx;
    struct scn_expect_text *t = elem;
    struct seen sn;
    int rc;
    t->loc = ld_loc(item);
    if (item->type == YAML_MAPPING_NODE) {
        t->absent = true;
        rc = LD_WALK(l, item, f->key, not_fields, t, &sn);
    } else {
        rc = ld_read_text(l, &(struct field){.key = f->key, .max = sizeof(t->text)}, item, t->text);
    }
    if (rc == 0 && !t->text[0])
        return ld_fail(l, item, "give the text to look for", "'%s': an empty pattern matches anything",
                       f->key);
    return rc;
}

static int rd_texts(struct ld *l, const struct field *f, const yaml_node_t *v, struct scn_expect_text **out,
                    unsigned *n)
{
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 0, MAX_EXPECT, sizeof(struct scn_expect_text), &arr, n) < 0)
        return -1;
    *out = arr;
    return ld_seq_each(l, v, arr, sizeof(struct scn_expect_text), f, text_item);
}

static int rd_dom0_log(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    return rd_texts(l, f, v, &x->dom0_log, &x->ndom0_log);
}

static int rd_console(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    return rd_texts(l, f, v, &x->console, &x->nconsole);
}

#define XL(m) offsetof(struct scn_expect_latency, m)
static const struct field latency_fields[] = {
    {.key = "from", .rd = rd_stage, .off = XL(from), .flags = F_REQ},
    {.key = "to", .rd = rd_stage, .off = XL(to), .flags = F_REQ},
    {.key = "min", .rd = ld_rd_time, .off = XL(min_ps)},
    {.key = "max", .rd = ld_rd_time, .off = XL(max_ps)},
};

static int latency_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)i;
    (void)ctx;
    struct scn_expect_latency *e = elem;
    struct seen sn;
    e->loc = ld_loc(item);
    e->max_ps = UINT64_MAX;
    if (LD_WALK(l, item, "latency", latency_fields, e, &sn) < 0)
        return -1;
    if (!ld_seen_key(&sn, "min") && !ld_seen_key(&sn, "max"))
        return ld_fail(l, item, "add max: TIME (an upper bound), min: TIME (a lower bound), or both",
                       "a latency expectation needs a bound");
    if (e->min_ps > e->max_ps)
        return ld_fail(l, ld_seen_val(&sn, "min"), "min must not exceed max", "latency bounds are reversed");
    return 0;
}

static int rd_latency(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 0, MAX_EXPECT, sizeof(struct scn_expect_latency), &arr, &x->nlatency) < 0)
        return -1;
    x->latency = arr;
    return ld_seq_each(l, v, arr, sizeof(struct scn_expect_latency), NULL, latency_item);
}

#define XG(m) offsetof(struct scn_expect_reg, m)
static const struct field reg_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = XG(host)},
    {.key = "cpu", .rd = ld_rd_cpu, .off = XG(cpu), .host_off = XG(host), .flags = F_REQ},
    {.key = "msr", .rd = ld_rd_msr, .off = XG(msr), .host_off = XG(host), .flags = F_REQ},
    {.key = "value", .rd = ld_rd_u64, .off = XG(value), .max = UINT64_MAX, .flags = F_REQ},
    {.key = "mask", .rd = ld_rd_u64, .off = XG(mask), .max = UINT64_MAX},
};

static int reg_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)i;
    (void)ctx;
    struct scn_expect_reg *r = elem;
    struct seen sn;
    r->mask = UINT64_MAX;
    r->loc = ld_loc(item);
    if (LD_WALK(l, item, "register", reg_fields, r, &sn) < 0)
        return -1;
    if (r->value & ~r->mask)
        return ld_fail(l, ld_seen_val(&sn, "value"), "clear those bits in value, or widen mask",
                       "'value' 0x%llx has bits outside 'mask' 0x%llx", (unsigned long long)r->value,
                       (unsigned long long)r->mask);
    return 0;
}

static int rd_registers(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 0, MAX_EXPECT, sizeof(struct scn_expect_reg), &arr, &x->nregisters) < 0)
        return -1;
    x->registers = arr;
    return ld_seq_each(l, v, arr, sizeof(struct scn_expect_reg), NULL, reg_item);
}

static int rd_guest_log(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    return rd_texts(l, f, v, &x->guest_log, &x->nguest_log);
}

static const char *const domstate_v[] = {"running", "paused", "crashed", "dying"};
static const struct names domstate_names = {domstate_v, 4};

#define XD(m) offsetof(struct scn_expect_domain, m)
static const struct field xdomain_fields[] = {
    {.key = "id", .rd = ld_rd_uint, .off = XD(id), .max = 0xFFFF, .flags = F_REQ},
    {.key = "host", .rd = ld_rd_host_int, .off = XD(host)},
    {.key = "state", .rd = ld_rd_enum_int, .off = XD(state), .names = &domstate_names},
    {.key = "reason", .rd = ld_rd_text, .off = XD(reason), .max = LD_MSIZE(struct scn_expect_domain, reason)},
    {.key = "processes_killed", .rd = ld_rd_ll, .off = XD(processes_killed), .max = INT64_MAX},
    {.key = "pages_retired", .rd = ld_rd_ll, .off = XD(pages_retired), .max = INT64_MAX},
    {.key = "vmce_injected", .rd = ld_rd_ll, .off = XD(vmce_injected), .max = INT64_MAX},
    {.key = "msr_exits", .rd = ld_rd_ll, .off = XD(msr_exits), .max = INT64_MAX},
    {.key = "msr_exits_max", .rd = ld_rd_ll, .off = XD(msr_exits_max), .max = INT64_MAX},
    {.key = "msr_exits_min", .rd = ld_rd_ll, .off = XD(msr_exits_min), .max = INT64_MAX},
    {.key = "broken_gfns", .rd = ld_rd_ll, .off = XD(broken_gfns), .max = INT64_MAX},
};

/* The migrate event of a domain, or NULL. */
static const struct scn_event *migration_of(const struct scenario *s, unsigned domid)
{
    for (unsigned i = 0; i < s->nevents; i++)
        if (s->events[i].kind == SCN_EV_MIGRATE && s->events[i].u.migrate.domain == domid)
            return &s->events[i];
    return NULL;
}

/* Whether domain id runs on host h (-1: anywhere): placed there, or
 * migrated there. */
static bool domain_runs_on(const struct scenario *s, unsigned id, int h)
{
    for (unsigned j = 0; j < s->ndomains; j++)
        if (s->domains[j].id == id && (h < 0 || s->domains[j].host == (unsigned)h))
            return true;
    const struct scn_event *m = migration_of(s, id);
    return h >= 0 && ((m && m->u.migrate.to == (unsigned)h) || scn_ce_move_target(s, id) == h);
}

static int xdomain_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)i;
    (void)ctx;
    struct scn_expect_domain *e = elem;
    struct seen sn;
    e->host = e->state = -1;
    e->processes_killed = e->pages_retired = e->vmce_injected = e->msr_exits = -1;
    e->msr_exits_max = e->msr_exits_min = e->broken_gfns = -1;
    e->loc = ld_loc(item);
    if (LD_WALK(l, item, "expect.domains entry", xdomain_fields, e, &sn) < 0)
        return -1;
    if (!domain_runs_on(l->s, e->id, -1))
        return ld_fail(l, ld_seen_val(&sn, "id"), "expect only domains the scenario runs", "no domain %u",
                       e->id);
    if (!domain_runs_on(l->s, e->id, e->host))
        return ld_fail(l, ld_seen_val(&sn, "host"), "give a host the domain is placed on or migrated to",
                       "domain %u never runs on host '%s'", e->id, ld_host(l, (unsigned)e->host)->name);
    return 0;
}

static int rd_xdomains(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 1, MAX_EXPECT, sizeof(struct scn_expect_domain), &arr, &x->ndomains) < 0)
        return -1;
    x->domains = arr;
    return ld_seq_each(l, v, arr, sizeof(struct scn_expect_domain), x, xdomain_item);
}

#define XM(m) offsetof(struct scn_expect_memory, m)
static const struct field xmemory_fields[] = {
    {.key = "ce", .rd = ld_rd_ll, .off = XM(ce), .max = INT64_MAX},
    {.key = "uc", .rd = ld_rd_ll, .off = XM(uc), .max = INT64_MAX},
    {.key = "sdc", .rd = ld_rd_ll, .off = XM(sdc), .max = INT64_MAX},
    {.key = "miscorrected", .rd = ld_rd_ll, .off = XM(miscorrected), .max = INT64_MAX},
    {.key = "undetected", .rd = ld_rd_ll, .off = XM(undetected), .max = INT64_MAX},
    {.key = "scrub_found", .rd = ld_rd_ll, .off = XM(scrub_found), .max = INT64_MAX},
    {.key = "demand_found", .rd = ld_rd_ll, .off = XM(demand_found), .max = INT64_MAX},
};

static int rd_xmemory(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    struct seen sn;
    x->memory.loc = ld_loc(v);
    return LD_WALK(l, v, f->key, xmemory_fields, &x->memory, &sn);
}

#define XS(m) offsetof(struct scn_expect_stage, m)
static const struct field xstage_fields[] = {
    {.key = "stage", .rd = rd_stage, .off = XS(stage), .flags = F_REQ},
    {.key = "count", .rd = ld_rd_ll, .off = XS(count), .max = INT64_MAX},
    {.key = "min", .rd = ld_rd_ll, .off = XS(min), .max = INT64_MAX},
    {.key = "max", .rd = ld_rd_ll, .off = XS(max), .max = INT64_MAX},
};

static int xstage_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)i;
    (void)ctx;
    struct scn_expect_stage *e = elem;
    struct seen sn;
    e->count = e->min = e->max = -1;
    e->loc = ld_loc(item);
    if (LD_WALK(l, item, "expect.stages entry", xstage_fields, e, &sn) < 0)
        return -1;
    if (e->count < 0 && e->min < 0 && e->max < 0)
        return ld_fail(l, item, "add count:, min: or max:", "a stage expectation needs a count or a bound");
    return 0;
}

static int rd_xstages(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 1, MAX_EXPECT, sizeof(struct scn_expect_stage), &arr, &x->nstages) < 0)
        return -1;
    x->stages = arr;
    return ld_seq_each(l, v, arr, sizeof(struct scn_expect_stage), x, xstage_item);
}

/* ---- expect.migration -------------------------------------------------------- */

/* Where the first MCE on the migrating domain's pages hit (the V4
 * broken-page migration patch's steps; docs/SCENARIOS.md); "none": no MCE
 * hit them. */
static const char *const mce_case_v[] = {"none", "live", "before-4", "A", "B.I", "B.II", "after"};
static const struct names mce_case_names = {mce_case_v, sizeof(mce_case_v) / sizeof(mce_case_v[0])};

/* "" reads as none: the run's own spelling of "no MCE". */
static int rd_mce_case(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    char *dst = ld_member(obj, f->off);
    if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0 &&
        v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        snprintf(dst, f->max, "none");
        return 0;
    }
    int i = ld_read_name(l, f, v, &mce_case_names, "cases");
    if (i < 0)
        return -1;
    snprintf(dst, f->max, "%s", mce_case_v[i]);
    return 0;
}

#define XMG(m) offsetof(struct scn_expect_migration, m)
#define XMG_SIZE(m) LD_MSIZE(struct scn_expect_migration, m)
/* domain and outcome first: every key after them is a check that needs a
 * migration (xmigration_check). */
static const struct field xmigration_fields[] = {
    /* domain is an int (-1: the first migration); the unsigned write of
     * 0..65535 reads back the same */
    {.key = "domain", .rd = ld_rd_uint, .off = XMG(domain), .max = LD_MAX_DOMID},
    {.key = "outcome", .rd = ld_rd_enum_int, .off = XMG(outcome), .names = &mig_outcome_names},
    {.key = "reason", .rd = ld_rd_text, .off = XMG(reason), .max = XMG_SIZE(reason)},
    {.key = "pages_lost", .rd = ld_rd_ll, .off = XMG(pages_lost), .max = INT64_MAX},
    {.key = "needless_broken", .rd = ld_rd_ll, .off = XMG(needless_broken), .max = INT64_MAX},
    {.key = "broken_on_target", .rd = ld_rd_ll, .off = XMG(broken_on_target), .max = INT64_MAX},
    {.key = "rechecks_min", .rd = ld_rd_ll, .off = XMG(rechecks_min), .max = INT64_MAX},
    {.key = "iterations_min", .rd = ld_rd_ll, .off = XMG(iterations_min), .max = INT64_MAX},
    {.key = "case", .rd = rd_mce_case, .off = XMG(mce_case), .max = XMG_SIZE(mce_case)},
};

static int xmigration_check(struct ld *l, const yaml_node_t *v, const struct scn_expect_migration *e,
                            const struct seen *sn)
{
    /* A migrate event, or a dom0 that moves its DomUs on a CE trend. */
    bool any = false;
    for (unsigned i = 0; i < l->s->nevents && !any; i++)
        any = l->s->events[i].kind == SCN_EV_MIGRATE;
    for (unsigned i = 0; i < l->s->ndomains && !any; i++)
        any = scn_ce_move_target(l->s, l->s->domains[i].id) >= 0;
    if (!any)
        return ld_fail(l, v, "add an event '- {at: TIME, migrate: {domain: ID, to: HOST}}'",
                       "expect.migration without a migrate event");
    if (e->domain >= 0 && !migration_of(l->s, (unsigned)e->domain) &&
        scn_ce_move_target(l->s, (unsigned)e->domain) < 0)
        return ld_fail(l, ld_seen_val(sn, "domain"), "expect the domain a migrate event moves",
                       "no migrate event moves domain %d", e->domain);
    /* Without a migration there is nothing to check but that it did not run. */
    for (unsigned k = 2; e->outcome == SCN_MIGO_NONE && k < sn->n; k++)
        if (sn->key[k])
            return ld_fail(l, sn->key[k], "remove it, or expect an outcome other than none",
                           "'%s' cannot be checked with outcome none: no migration ran", sn->t[k].key);
    return 0;
}

static int rd_xmigration(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    (void)f;
    struct scn_expect *x = obj;
    struct scn_expect_migration *e = &x->migration;
    struct seen sn;
    *e = (struct scn_expect_migration){.present = true, .domain = -1, .outcome = -1, .pages_lost = -1,
                                       .needless_broken = -1, .broken_on_target = -1, .rechecks_min = -1,
                                       .iterations_min = -1, .loc = ld_loc(v)};
    if (LD_WALK(l, v, "expect.migration", xmigration_fields, e, &sn) < 0)
        return -1;
    return xmigration_check(l, v, e, &sn);
}

static const struct field expect_fields[] = {
    {.key = "host", .rd = rd_xhost, .flags = F_EXCL},
    {.key = "hosts", .rd = rd_xhosts, .flags = F_EXCL},
    {.key = "records", .rd = rd_records},
    {.key = "telemetry", .rd = rd_xtelem},
    {.key = "dom0_log", .rd = rd_dom0_log},
    {.key = "console", .rd = rd_console},
    {.key = "latency", .rd = rd_latency},
    {.key = "registers", .rd = rd_registers},
    {.key = "domains", .rd = rd_xdomains},
    {.key = "guest_log", .rd = rd_guest_log},
    {.key = "memory", .rd = rd_xmemory},
    {.key = "stages", .rd = rd_xstages},
    {.key = "migration", .rd = rd_xmigration},
    {.key = "msrs", .rd = ld_rd_xmsrs},
    {.key = "calls", .rd = ld_rd_xcalls},
    {.key = "pages", .rd = ld_rd_xpages},
    {.key = "pcie", .rd = ld_rd_xpcie},
    {.key = "firmware", .rd = rd_xfw},
};

int ld_rd_expect(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct seen sn;
    return LD_WALK(l, v, "expect", expect_fields, ld_member(obj, f->off), &sn);
}

