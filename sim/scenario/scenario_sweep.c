/*
 * scenario_sweep.c - the `sweep:` block of a scenario file: parameter
 * names, each with a list of values or a range {from, to, step} that is
 * expanded here into the same list.
 *
 * Values are kept as text, what the setters of sweep.c parse, and each is
 * checked now by a dry run of its setter against the rest of the
 * scenario, so a bad one is reported with its position before anything
 * runs. A range's values are written back in the syntax of a list
 * (sweep_range_value), so outputs read as if the list had been given.
 */
#include "sim/scenario/scenario.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario_walk.h"
#include "sim/scenario/sweep.h"

#define MAX_SWEEP_PARAMS 16
#define MAX_SWEEP_VALUES 10000

static int alloc_values(struct ld *l, struct scn_sweep_param *sp, const yaml_node_t *v, size_t n)
{
    sp->values = calloc(n, sizeof(*sp->values));
    sp->vlocs = calloc(n, sizeof(*sp->vlocs));
    if (!sp->values || !sp->vlocs)
        return ld_fail(l, v, NULL, "out of memory");
    return 0;
}

/* Check one value by a dry run of its setter, then keep it; `at` is where
 * an error points, `loc` what the value keeps for errors at run time,
 * `where` ends the message (a range says which of its values failed). */
static int add_value(struct ld *l, struct scn_sweep_param *sp, const yaml_node_t *at, struct scn_loc loc,
                     const char *text, const char *where)
{
    if (strlen(text) >= sizeof(sp->values[0]))
        return ld_fail(l, at, NULL, "sweep %s: value too long", sp->key);
    char msg[256], hint[256];
    if (sweep_apply(l->s, sp->key, text, true, msg, sizeof(msg), hint, sizeof(hint)) < 0)
        return ld_fail(l, at, hint[0] ? hint : NULL, "sweep %s: %s%s", sp->key, msg, where);
    snprintf(sp->values[sp->nvalues], sizeof(sp->values[0]), "%s", text);
    sp->vlocs[sp->nvalues++] = loc;
    return 0;
}

static int sweep_list(struct ld *l, struct scn_sweep_param *sp, const yaml_node_t *v)
{
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (n == 0 || n > MAX_SWEEP_VALUES)
        return ld_fail(l, v, NULL, "sweep %s: give 1 to %u values", sp->key, MAX_SWEEP_VALUES);
    if (alloc_values(l, sp, v, n) < 0)
        return -1;
    for (const yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *item = ld_node(l, *it);
        if (!item || item->type != YAML_SCALAR_NODE)
            return ld_fail(l, item ? item : v, NULL, "sweep %s: each value must be a plain value", sp->key);
        if (add_value(l, sp, item, ld_loc(item), ld_sval(item), "") < 0)
            return -1;
    }
    return 0;
}

/* ---- ranges ------------------------------------------------------------------- */

struct range {
    uint64_t from, to, step;
};

/* The readers take 0 for step, so both kinds refuse it with one message. */
#define RA(m) offsetof(struct range, m)
static const struct field int_range_fields[] = {
    {.key = "from", .rd = ld_rd_u64, .off = RA(from), .max = UINT64_MAX, .flags = F_REQ},
    {.key = "to", .rd = ld_rd_u64, .off = RA(to), .max = UINT64_MAX, .flags = F_REQ},
    {.key = "step", .rd = ld_rd_u64, .off = RA(step), .max = UINT64_MAX, .flags = F_REQ},
};
static const struct field time_range_fields[] = {
    {.key = "from", .rd = ld_rd_time, .off = RA(from), .flags = F_REQ},
    {.key = "to", .rd = ld_rd_time, .off = RA(to), .flags = F_REQ},
    {.key = "step", .rd = ld_rd_time, .off = RA(step), .flags = F_REQ},
};

static int read_range(struct ld *l, struct scn_sweep_param *sp, const yaml_node_t *v, enum sweep_kind k,
                      struct range *r, struct seen *sn)
{
    char what[SCN_NAME_LEN + 16];
    snprintf(what, sizeof(what), "sweep %s", sp->key);
    if (ld_walk_map(l, v, what, k == SWEEP_TIME ? time_range_fields : int_range_fields, 3, r, sn) < 0)
        return -1;
    if (r->step == 0)
        return ld_fail(l, ld_seen_val(sn, "step"), "a range counts up from 'from': give a step above 0",
                       "sweep %s: 'step' must be greater than 0", sp->key);
    if (r->to < r->from)
        return ld_fail(l, ld_seen_val(sn, "to"), "give the smaller end as 'from'",
                       "sweep %s: 'to' is below 'from'", sp->key);
    unsigned long long n = sweep_range_count(r->from, r->to, r->step);
    if (n > MAX_SWEEP_VALUES)
        return ld_fail(l, ld_seen_val(sn, "step"), "use a larger step or a shorter range",
                       "sweep %s: the range has %llu values, at most %u", sp->key, n, MAX_SWEEP_VALUES);
    return 0;
}

/* {from, to, step}: from, from+step, ... up to `to`. A value its setter
 * refuses is reported at `from` when it is the first, else at `to` (the
 * checks are bounds, so the ends are where a range goes wrong). */
static int sweep_range(struct ld *l, struct scn_sweep_param *sp, const yaml_node_t *v)
{
    enum sweep_kind k = sweep_param_kind(sp->key);
    if (k == SWEEP_TEXT)
        return ld_fail(l, v, "give a list of values, e.g. [a, b]", "sweep %s: a range needs numbers or times",
                       sp->key);
    struct range r;
    struct seen sn;
    if (read_range(l, sp, v, k, &r, &sn) < 0)
        return -1;
    unsigned n = (unsigned)sweep_range_count(r.from, r.to, r.step);
    if (alloc_values(l, sp, v, n) < 0)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        char text[SCN_NAME_LEN], where[48];
        sweep_range_value(k, r.from, r.step, i, text, sizeof(text));
        snprintf(where, sizeof(where), " (value %u of the range)", i + 1);
        if (add_value(l, sp, ld_seen_val(&sn, i ? "to" : "from"), ld_loc(v), text, where) < 0)
            return -1;
    }
    return 0;
}

/* ---- the block -------------------------------------------------------------------- */

static int sweep_values(struct ld *l, struct scn_sweep_param *sp, const yaml_node_t *v)
{
    if (v->type == YAML_SEQUENCE_NODE)
        return sweep_list(l, sp, v);
    if (v->type == YAML_MAPPING_NODE)
        return sweep_range(l, sp, v);
    return ld_fail(l, v, "give a list, e.g. [1, 8, 64], or a range, e.g. {from: 1, to: 64, step: 1}",
                   "sweep %s: values must be a list or a range", sp->key);
}

static int sweep_key(struct ld *l, struct scenario *s, const yaml_node_t *k)
{
    const char *names[16];
    unsigned nn = sweep_param_names(names, 16);
    if (k->type != YAML_SCALAR_NODE)
        return ld_fail(l, k, NULL, "a key in sweep is not a name");
    const char *key = ld_sval(k);
    if (!sweep_param_known(key)) {
        struct names nm = {names, nn};
        return ld_fail_names(l, k, key, "sweep parameters", &nm, "'%s' cannot be swept", key);
    }
    for (unsigned i = 0; i < s->nsweep; i++)
        if (strcmp(s->sweep[i].key, key) == 0)
            return ld_fail(l, k, "remove one of them", "duplicate key '%s' in sweep", key);
    if (strlen(key) >= sizeof(s->sweep[0].key))
        return ld_fail(l, k, NULL, "sweep parameter name too long");
    struct scn_sweep_param *sp = &s->sweep[s->nsweep++];
    snprintf(sp->key, sizeof(sp->key), "%s", key);
    sp->loc = ld_loc(k);
    return 0;
}

int ld_rd_sweep(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scenario *s = l->s;
    (void)obj;
    if (ld_want_kind(l, v, YAML_MAPPING_NODE, f->key) < 0)
        return -1;
    size_t n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
    if (n == 0 || n > MAX_SWEEP_PARAMS)
        return ld_fail(l, v, "e.g. sweep: {cpus: [1, 8, 64]}", "sweep: give 1 to %u parameters",
                       MAX_SWEEP_PARAMS);
    s->sweep = calloc(n, sizeof(*s->sweep));
    if (!s->sweep)
        return ld_fail(l, v, NULL, "out of memory");
    for (const yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = ld_node(l, p->key), *val = ld_node(l, p->value);
        if (!k || !val)
            return ld_fail(l, v, NULL, "internal error: dangling YAML node");
        if (sweep_key(l, s, k) < 0 || sweep_values(l, &s->sweep[s->nsweep - 1], val) < 0)
            return -1;
    }
    if (sweep_npoints(s) > SWEEP_MAX_POINTS)
        return ld_fail(l, v, "split it into several scenarios", "sweep has %llu points, more than %llu",
                       sweep_npoints(s), SWEEP_MAX_POINTS);
    return 0;
}
