/*
 * campaign_load.c - reading a campaign file (campaign.h) with the
 * scenario loader's field tables (scenario_walk.h): unknown keys, wrong
 * types and bad values are errors at their file position; every host
 * scenario the fleet names must load (its own errors, at its positions,
 * fail the campaign before any host runs).
 */
#include "sim/scenario/campaign.h"
#include "sim/scenario/scenario_values.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/scenario/dram_config.h"
#include "sim/scenario/import.h"
#include "sim/scenario/scenario_walk.h"

#define CA(m) offsetof(struct campaign, m)
#define SH(m) offsetof(struct campaign_shape, m)
#define PL(m) offsetof(struct campaign_policy, m)

static int rd_fleet(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
static int rd_policies(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);

/* Host-years per host-run: a real number above 0 and at most 10^6, so a
 * host scenario shorter than a year (a real-rate 1000 h run is 0.114)
 * counts for what it covers. */
static int rd_years(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    const char *s = ld_scalar(l, v, f->key, "a number of host-years");
    if (!s)
        return -1;
    char *end;
    double y = strtod(s, &end);
    if (end == s || *end || !(y > 0 && y <= 1e6))
        return ld_fail(l, v, "a number above 0 and at most 1000000, e.g. 1 or 0.114 (1000 h)",
                       "'%s': '%.40s' is not a number of host-years", f->key, s);
    *(double *)ld_member(obj, f->off) = y;
    return 0;
}

/* field_rates: {table | fit | fit_file} (scenario_fit.c), a fit_file
 * relative to the campaign file. */
static int rd_fit(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct campaign_fit *cf = ld_member(obj, f->off);
    struct field rates = *f;
    rates.off = offsetof(struct campaign_fit, rates);
    if (ld_rd_fit_source(l, &rates, v, cf) < 0)
        return -1;
    cf->set = true;
    cf->loc = ld_loc(v);
    return 0;
}

static const struct field top_fields[] = {
    {.key = "name", .rd = ld_rd_ident, .off = CA(name), .max = LD_MSIZE(struct campaign, name), .flags = F_REQ},
    {.key = "description", .rd = ld_rd_text, .off = CA(description), .max = LD_MSIZE(struct campaign, description)},
    {.key = "seed", .rd = ld_rd_u64, .off = CA(seed), .max = UINT64_MAX},
    {.key = "duration", .rd = ld_rd_duration, .off = CA(duration_ps), .min = 1},
    {.key = "years_per_host", .rd = rd_years, .off = CA(years_per_host)},
    {.key = "max_wall", .rd = ld_rd_time, .off = CA(max_wall_ps), .min = 1},
    {.key = "max_memory", .rd = ld_rd_size, .off = CA(max_memory), .min = 1},
    {.key = "field_rates", .rd = rd_fit, .off = CA(fit)},
    {.key = "skip_quiet", .rd = ld_rd_bool, .off = CA(skip_quiet)},
    {.key = "fold_rounds", .rd = ld_rd_bool, .off = CA(fold_rounds)},
    {.key = "fleet", .rd = rd_fleet, .flags = F_REQ},
    {.key = "policies", .rd = rd_policies, .flags = F_REQ},
};

static const struct field shape_fields[] = {
    {.key = "scenario", .rd = ld_rd_text, .off = SH(scenario), .max = LD_MSIZE(struct campaign_shape, scenario),
     .flags = F_REQ},
    {.key = "count", .rd = ld_rd_u64, .off = SH(count), .min = 1, .max = CAMPAIGN_MAX_HOSTS, .flags = F_REQ},
    {.key = "field_rates", .rd = rd_fit, .off = SH(fit)},
};

static const struct field policy_fields[] = {
    {.key = "name", .rd = ld_rd_ident, .off = PL(name), .max = LD_MSIZE(struct campaign_policy, name),
     .flags = F_REQ},
    {.key = "storm", .rd = ld_rd_storm, .off = PL(storm)},
    {.key = "cmci_threshold", .rd = ld_rd_uint, .off = PL(cmci_threshold), .max = 0x7FFF},
    {.key = "decider", .rd = ld_rd_decider, .off = PL(decider)},
};

/* The campaign being read: ld has room for a scenario only. */
struct campaign_ld {
    struct campaign *c;
};

static int shape_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)i;
    (void)ctx;
    struct campaign_shape *sh = elem;
    struct seen sn;
    if (LD_WALK(l, item, "a fleet entry", shape_fields, sh, &sn) < 0)
        return -1;
    ld_path_beside(l, sh->scenario, sh->path, sizeof(sh->path));
    struct stat st;
    if (stat(sh->path, &st) != 0 || !S_ISREG(st.st_mode))
        return ld_fail(l, ld_seen_val(&sn, "scenario"), "the path is relative to the campaign file's folder",
                       "scenario file '%s' not found (%s)", sh->scenario, strerror(errno ? errno : ENOENT));
    return 0;
}

static int rd_fleet(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    (void)f;
    (void)obj;
    struct campaign_ld *cl = (struct campaign_ld *)(void *)l->s; /* see campaign_load */
    struct campaign_shape *arr;
    unsigned n;
    if (ld_seq_alloc(l, v, "fleet", 1, CAMPAIGN_MAX_SHAPES, sizeof(*arr), (void **)&arr, &n) < 0)
        return -1;
    int rc = ld_seq_each(l, v, arr, sizeof(*arr), cl, shape_item);
    for (unsigned i = 0; i < n; i++) {
        cl->c->shape[i] = arr[i];
        cl->c->hosts += arr[i].count;
    }
    cl->c->nshapes = n;
    free(arr);
    if (rc == 0 && cl->c->hosts > CAMPAIGN_MAX_HOSTS)
        return ld_fail(l, v, NULL, "the fleet has %llu hosts, at most %u are allowed",
                       (unsigned long long)cl->c->hosts, CAMPAIGN_MAX_HOSTS);
    return rc;
}

static int policy_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    const struct campaign_policy *all = ctx;
    struct campaign_policy *p = elem;
    struct seen sn;
    if (LD_WALK(l, item, "a policy", policy_fields, p, &sn) < 0)
        return -1;
    p->has_storm = ld_seen_val(&sn, "storm") != NULL;
    p->has_threshold = ld_seen_val(&sn, "cmci_threshold") != NULL;
    p->has_decider = ld_seen_val(&sn, "decider") != NULL;
    for (unsigned k = 0; k < i; k++)
        if (strcmp(all[k].name, p->name) == 0)
            return ld_fail(l, ld_seen_val(&sn, "name"), "each policy needs a name of its own",
                           "a second policy named '%s'", p->name);
    return 0;
}

static int rd_policies(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    (void)f;
    (void)obj;
    struct campaign_ld *cl = (struct campaign_ld *)(void *)l->s;
    struct campaign_policy *arr;
    unsigned n;
    if (ld_seq_alloc(l, v, "policies", 1, CAMPAIGN_MAX_POLICIES, sizeof(*arr), (void **)&arr, &n) < 0)
        return -1;
    int rc = ld_seq_each(l, v, arr, sizeof(*arr), arr, policy_item);
    for (unsigned i = 0; i < n; i++)
        cl->c->policy[i] = arr[i];
    cl->c->npolicies = n;
    free(arr);
    return rc;
}

static uint64_t fnv1a_more(uint64_t h, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static uint64_t fnv1a(const char *buf, size_t len)
{
    return fnv1a_more(0xcbf29ce484222325ull, buf, len);
}

/* One FIT table, tagged with whose it is, into the digest. */
static uint64_t rates_digest(uint64_t h, unsigned char tag, const struct field_rates *r)
{
    h = fnv1a_more(h, &tag, 1);
    for (unsigned m = 0; m < FAULT_MODE__COUNT; m++) {
        const double v[2] = {r->mode[m].transient, r->mode[m].permanent};
        h = fnv1a_more(h, v, sizeof(v));
    }
    return h;
}

/* A table read from a CSV file is not in the campaign file's bytes: the
 * digest goes on over the tables set (a campaign setting none keeps the
 * digest of its bytes alone). */
static uint64_t fit_digest(const struct campaign *c, uint64_t h)
{
    for (unsigned i = 0; i <= c->nshapes; i++) { /* 0: the campaign's, i: entry i - 1's */
        const struct campaign_fit *t = i ? &c->shape[i - 1].fit : &c->fit;
        if (t->set)
            h = rates_digest(h, (unsigned char)i, &t->rates);
    }
    return h;
}

/* A host scenario's own FIT tables as loaded: a `fit_file:` CSV it names
 * is not in its bytes. */
static uint64_t host_fit_digest(const struct scenario *s, uint64_t h)
{
    for (unsigned i = 0; i < s->nhosts; i++) {
        const struct scn_dram *d = &s->hosts[i].dram;
        if (d->present && d->fr_span_ps)
            h = rates_digest(h, (unsigned char)i, &d->fr_fit);
    }
    return h;
}

/* The rows come from the host scenarios as much as from the campaign file:
 * the digest goes on over each fleet entry's scenario bytes and the FIT
 * tables it loads, so partials run before and after an edit of a host
 * scenario (or of a CSV it reads) do not merge. */
static int host_digest(struct campaign *c, struct scn_error *err)
{
    struct scenario *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err->msg, sizeof(err->msg), "out of memory reading the fleet's scenarios");
        return -1;
    }
    int rc = 0;
    for (unsigned i = 0; rc == 0 && i < c->nshapes; i++) {
        size_t len;
        char *buf = scenario_read_file(c->shape[i].path, &len, err);
        struct scn_errors errs = {0};
        if (!buf || scenario_load_as(c->shape[i].path, SCN_FMT_AUTO, s, &errs) != 0) {
            if (buf && errs.n)
                *err = errs.v[0]; /* the first: the campaign reports one */
            else if (buf)
                snprintf(err->msg, sizeof(err->msg), "out of memory reading %s", c->shape[i].path);
            scn_errors_free(&errs);
            free(buf);
            rc = -1;
            break;
        }
        scn_errors_free(&errs);
        unsigned char tag = (unsigned char)(0x80u | i);
        c->digest = fnv1a_more(c->digest, &tag, 1);
        c->digest = fnv1a_more(c->digest, buf, len);
        c->digest = host_fit_digest(s, c->digest);
        scenario_free(s);
        free(buf);
    }
    free(s);
    return rc;
}

static int parse(struct ld *l, struct campaign *c, const char *buf, size_t len)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return ld_fail(l, NULL, NULL, "out of memory starting the YAML parser");
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    yaml_document_t doc;
    int rc = 0;
    if (!yaml_parser_load(&p, &doc)) {
        struct scn_loc at = {(unsigned)p.problem_mark.line + 1, (unsigned)p.problem_mark.column + 1};
        rc = ld_fail_loc(l, at, "check the indentation and the quotes", "YAML syntax: %s",
                         p.problem ? p.problem : "unknown error");
        yaml_parser_delete(&p);
        return rc;
    }
    l->doc = &doc;
    const yaml_node_t *root = yaml_document_get_root_node(&doc);
    struct seen sn;
    if (!root) {
        struct scn_loc at = {1, 1};
        rc = ld_fail_loc(l, at, "a campaign needs 'name:', 'fleet:' and 'policies:'", "the campaign file is empty");
    } else {
        rc = LD_WALK(l, root, "the campaign", top_fields, c, &sn);
        if (rc == 0 && c->duration_ps > SCV_TIME_MAX_PS && !c->skip_quiet)
            rc = ld_fail(l, ld_seen_val(&sn, "duration"),
                         "add 'skip_quiet: true' (a run past " SCV_TIME_MAX_TEXT
                         " rebases at quiet points: docs/TIME.md)",
                         "'duration' is longer than " SCV_TIME_MAX_TEXT " without skip_quiet");
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    l->doc = NULL;
    return rc;
}

int campaign_load(const char *path, struct campaign *c, struct scn_error *err)
{
    memset(c, 0, sizeof(*c));
    memset(err, 0, sizeof(*err));
    snprintf(err->file, sizeof(err->file), "%s", path);
    snprintf(c->path, sizeof(c->path), "%s", path);
    c->seed = 1;
    c->years_per_host = 1;
    size_t len;
    char *buf = scenario_read_file(path, &len, err);
    if (!buf)
        return -1;
    c->digest = fnv1a(buf, len);
    struct campaign_ld cl = {.c = c};
    /* The walkers take a scenario in struct ld; readers of the top table
     * write into the campaign (obj), the two sequence readers find the
     * campaign through l->s, which nothing else reads here. */
    struct ld l = {.buf = buf, .len = len, .s = (struct scenario *)(void *)&cl, .err = err};
    int rc = parse(&l, c, buf, len);
    free(buf);
    if (rc == 0) {
        c->digest = fit_digest(c, c->digest);
        rc = host_digest(c, err);
    }
    return rc;
}

uint64_t campaign_host_seed(uint64_t campaign_seed, uint64_t host)
{
    uint64_t z = campaign_seed + 0x9E3779B97F4A7C15ull * (host + 1u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

unsigned campaign_shape_of(const struct campaign *c, uint64_t host)
{
    for (unsigned i = 0; i < c->nshapes; i++) {
        if (host < c->shape[i].count)
            return i;
        host -= c->shape[i].count;
    }
    return c->nshapes ? c->nshapes - 1 : 0;
}

void campaign_apply(const struct campaign *c, unsigned policy, struct scenario *s)
{
    if (c->duration_ps)
        s->duration_ps = c->duration_ps;
    if (c->skip_quiet)
        s->skip_quiet = true;
    if (c->fold_rounds)
        s->fold_rounds = true;
    if (policy >= c->npolicies)
        return;
    const struct campaign_policy *p = &c->policy[policy];
    if (p->has_storm)
        s->policy.storm = p->storm;
    if (p->has_threshold)
        s->policy.cmci_threshold = p->cmci_threshold;
    if (p->has_decider)
        s->policy.decider = p->decider;
}

const struct campaign_fit *campaign_fit_of(const struct campaign *c, unsigned shape)
{
    if (shape < c->nshapes && c->shape[shape].fit.set)
        return &c->shape[shape].fit;
    return c->fit.set ? &c->fit : NULL;
}

int campaign_apply_fit(const struct campaign *c, unsigned shape, struct scenario *s, struct scn_error *err)
{
    const struct campaign_fit *t = campaign_fit_of(c, shape);
    if (!t)
        return 0;
    unsigned given = 0;
    memset(err, 0, sizeof(*err));
    snprintf(err->file, sizeof(err->file), "%s", c->path);
    err->line = t->loc.line;
    err->col = t->loc.col;
    for (unsigned h = 0; h < s->nhosts; h++) {
        struct scn_dram *d = &s->hosts[h].dram;
        if (!d->present || !d->fr_span_ps)
            continue;
        d->fr_fit = t->rates;
        given++;
        uint64_t devices;
        double e = scn_dram_expected_faults(d, &devices);
        if (e > SCN_FR_MAX_EXPECTED) {
            snprintf(err->msg, sizeof(err->msg), "with this FIT table host %u of '%s' expects %.3g faults over its "
                     "span on %llu devices, at most 1e6", h, c->shape[shape].scenario, e,
                     (unsigned long long)devices);
            snprintf(err->hint, sizeof(err->hint), "lower the table's FITs, or the scenario's scale or span");
            return -1;
        }
    }
    if (given)
        return 0;
    snprintf(err->msg, sizeof(err->msg), "the FIT table changes nothing for fleet entry %u: no host of '%s' draws "
             "field-rate faults", shape + 1, c->shape[shape].scenario);
    snprintf(err->hint, sizeof(err->hint), "give the scenario's hosts dram.field_rates: {span: TIME}, or %s",
             t == &c->fit ? "set field_rates per fleet entry instead of for the whole campaign"
                          : "remove this entry's field_rates");
    return -1;
}
