/*
 * scenario_load.c - read a YAML scenario file into struct scenario: the
 * top level of the schema, the checks that span several of its blocks,
 * and the file and document handling around them. Each block is read in
 * a file of its own: platform: in scenario_platform.c, policy: in
 * scenario_policy.c, domains: in scenario_domains.c, events: in
 * scenario_events.c, expect: in scenario_expect.c, sweep: in
 * scenario_sweep.c, and the keys about migration in scenario_migration.c.
 *
 * Each kind of mapping is a table of fields (scenario_walk.h): key,
 * reader, member, range. Tables are read in their own order, so hosts
 * exist before events and domains refer to them. A problem is reported
 * with file:line:column and a hint; scenario_load() stops at the first,
 * scenario_load_all() goes on where what follows does not depend on it
 * (ld_keep_going) and reports every one. Before the document is built,
 * its nesting depth is checked on the parser's events. Every array lives
 * in the scenario as soon as it is allocated, so scenario_free() releases
 * whatever a failed load left behind.
 */
#include "sim/scenario/scenario.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "sim/scenario/scenario_values.h"
#include "sim/scenario/scenario_walk.h"

#define MAX_FILE_BYTES (16u << 20)
/* Mappings and sequences inside each other: a scenario needs six or so. */
#define MAX_DEPTH 64

/* ---- the scenario ---------------------------------------------------------------- */

#define SC(m) offsetof(struct scenario, m)
/* Table order is reading order: hosts exist before anything refers to them. */
static const struct field top_fields[] = {
    {.key = "name", .rd = ld_rd_ident, .off = SC(name), .max = LD_MSIZE(struct scenario, name),
     .flags = F_REQ},
    {.key = "description", .rd = ld_rd_text, .off = SC(description),
     .max = LD_MSIZE(struct scenario, description)},
    {.key = "seed", .rd = ld_rd_u64, .off = SC(seed), .max = UINT64_MAX},
    {.key = "duration", .rd = ld_rd_duration, .off = SC(duration_ps), .min = 1},
    {.key = "skip_quiet", .rd = ld_rd_bool, .off = SC(skip_quiet)},
    {.key = "platform", .rd = ld_rd_platform, .flags = F_REQ},
    {.key = "policy", .rd = ld_rd_policy, .off = SC(policy)},
    {.key = "link", .rd = ld_rd_link, .off = SC(link)},
    {.key = "domains", .rd = ld_rd_domains, .flags = F_BASE},
    {.key = "events", .rd = ld_rd_events},
    {.key = "expect", .rd = ld_rd_expect, .off = SC(expect)},
    {.key = "sweep", .rd = ld_rd_sweep}, /* last: its values are checked against the rest */
};

static void scenario_defaults(struct scenario *s)
{
    s->seed = 1;
    s->duration_ps = 1000000000000ull; /* 1 s */
    s->policy = (struct scn_policy){.rendezvous_timeout_ps = 0, .telem_urgent = 10, .telem_nonurgent = 20,
                                    .poll = SCN_POLL_XEN, .cmci_threshold = 2,
                                    .mig_on_vmce = SCN_MIG_CONTINUE, .mig_caps = SCN_MIG_CAPS_XEN,
                                    .mig_restore_broken = SCN_MIG_MARK_BROKEN};
    /* A dedicated 10 Gbit/s migration network, 50 us one way. */
    s->link = (struct scn_link){.bytes_per_s = 1250000000ull, .latency_ps = 50000000ull};
    s->expect.telem = (struct scn_expect_telem){-1, -1, -1, -1, -1, -1, -1, {0, 0}};
    s->expect.memory = (struct scn_expect_memory){-1, -1, -1, -1, -1, -1, -1, {0, 0}};
    s->expect.fw = (struct scn_expect_fw){-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, {0, 0}};
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
    if (l->s->duration_ps > SCV_TIME_MAX_PS && !l->s->skip_quiet)
        return ld_fail(l, ld_seen_val(&sn, "duration"),
                       "add 'skip_quiet: true' (a run past " SCV_TIME_MAX_TEXT " rebases at quiet points: docs/TIME.md), "
                       "or make it at most " SCV_TIME_MAX_TEXT,
                       "'duration' is longer than " SCV_TIME_MAX_TEXT " without skip_quiet");
    if (!l->s->domains && ld_default_domains(l) < 0)
        return -1;
    if (check_region_owners(l) < 0)
        return -1;
    if (ld_check_pcie_owners(l))
        return -1;
    return ld_check_dom0_seed000(l);
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

/*
 * libyaml builds a document in time quadratic in its nesting depth (100,000
 * '[' take close to a minute), so the depth is checked first, on the
 * parser's events, stopping at the first level too many. Syntax errors are
 * left to the load, which reports them with their position.
 */
static int check_depth(struct ld *l)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return ld_fail(l, NULL, NULL, "out of memory starting the YAML parser");
    yaml_parser_set_input_string(&p, (const unsigned char *)l->buf, l->len);
    int depth = 0, rc = 0;
    for (bool done = false; !done && rc == 0;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev))
            break;
        if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
            struct scn_loc at = {(unsigned)ev.start_mark.line + 1, (unsigned)ev.start_mark.column + 1};
            if (++depth > MAX_DEPTH)
                rc = ld_fail_loc(l, at, "a scenario nests a handful of levels; check for a runaway '[' or '{'",
                                 "mappings and sequences nested more than %d deep", MAX_DEPTH);
        } else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
            depth--;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return rc;
}

static int by_position(const void *a, const void *b)
{
    const struct scn_error *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* With every error collected: the one in *err is the last, keep it too;
 * sort them by position and report the first in *err. */
static void gather_errors(struct ld *l)
{
    if (!l->all)
        return;
    if (l->recorded != l->made || !l->all->n)
        scn_errors_add(l->all, l->err);
    if (l->all->n) {
        qsort(l->all->v, l->all->n, sizeof(*l->all->v), by_position);
        *l->err = l->all->v[0];
    }
}

static int load_buffer(const char *file, const char *buf, size_t len, struct scenario *out,
                       struct scn_error *err, struct scn_errors *all)
{
    memset(out, 0, sizeof(*out));
    memset(err, 0, sizeof(*err));
    snprintf(err->file, sizeof(err->file), "%s", file ? file : "<string>");
    snprintf(out->path, sizeof(out->path), "%s", file ? file : "<string>");
    struct ld l = {.buf = buf, .len = len, .s = out, .err = err, .all = all};
    int rc = check_depth(&l);
    yaml_parser_t p;
    if (rc == 0 && !yaml_parser_initialize(&p))
        rc = ld_fail(&l, NULL, NULL, "out of memory starting the YAML parser");
    else if (rc == 0) {
        yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
        rc = load_document(&l, &p);
        yaml_parser_delete(&p);
    }
    if (rc < 0) {
        gather_errors(&l);
        scenario_free(out);
    }
    return rc;
}

int scenario_load_text(const char *name, const char *buf, size_t len, struct scenario *out, struct scn_error *err,
                       struct scn_errors *all)
{
    return load_buffer(name, buf, len, out, err, all);
}

int scenario_load_string(const char *name, const char *yaml, struct scenario *out, struct scn_error *err)
{
    return load_buffer(name, yaml ? yaml : "", yaml ? strlen(yaml) : 0, out, err, NULL);
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
char *scenario_read_file(const char *path, size_t *len, struct scn_error *err)
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

static int load_file(const char *path, struct scenario *out, struct scn_error *err, struct scn_errors *all)
{
    memset(out, 0, sizeof(*out));
    memset(err, 0, sizeof(*err));
    snprintf(err->file, sizeof(err->file), "%s", path ? path : "");
    size_t len = 0;
    char *buf = path ? scenario_read_file(path, &len, err) : NULL;
    if (!buf) {
        if (!path)
            snprintf(err->msg, sizeof(err->msg), "no scenario file given");
        if (all)
            scn_errors_add(all, err);
        return -1;
    }
    int rc = load_buffer(path, buf, len, out, err, all);
    free(buf);
    return rc;
}

int scenario_load(const char *path, struct scenario *out, struct scn_error *err)
{
    return load_file(path, out, err, NULL);
}

int scenario_load_all(const char *path, struct scenario *out, struct scn_errors *errs)
{
    struct scn_error first;
    return load_file(path, out, &first, errs);
}

int scn_errors_add(struct scn_errors *e, const struct scn_error *err)
{
    if (e->n == e->cap) {
        unsigned cap = e->cap ? e->cap * 2 : 8;
        struct scn_error *v = realloc(e->v, cap * sizeof(*v));
        if (!v)
            return -1;
        e->v = v;
        e->cap = cap;
    }
    e->v[e->n++] = *err;
    return 0;
}

void scn_errors_free(struct scn_errors *e)
{
    free(e->v);
    memset(e, 0, sizeof(*e));
}

bool scenario_checks_nothing(const struct scenario *s)
{
    const struct scn_expect *x = &s->expect;
    const struct scn_expect_telem *t = &x->telem;
    const struct scn_expect_memory *m = &x->memory;
    const struct scn_expect_fw *w = &x->fw;
    const long long counts[] = {t->logged, t->delivered, t->dropped, t->lost, t->undelivered,
                                m->ce, m->uc, m->sdc, m->miscorrected, m->undetected, m->scrub_found,
                                m->demand_found, w->logged, w->lost, w->delivered, w->pending, w->overflow,
                                w->storms, w->returns, w->polls, w->polled, w->masked, w->ipis, w->refused};
    for (unsigned i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
        if (counts[i] >= 0)
            return false;
    return !x->nhosts && !x->has_records && !x->ndom0_log && !x->nconsole && !x->nlatency && !x->nregisters &&
           !x->ndomains && !x->nguest_log && !x->nstages && !x->migration.present && !x->npcie;
}

void scenario_free(struct scenario *s)
{
    if (!s)
        return;
    for (unsigned i = 0; s->hosts && i < s->nhosts; i++) {
        free(s->hosts[i].regions);
        free(s->hosts[i].pcie.devs);
    }
    free(s->hosts);
    free(s->domains);
    free(s->events);
    free(s->expect.hosts);
    for (unsigned i = 0; s->expect.records && i < s->expect.nrecords; i++)
        free(s->expect.records[i].banks);
    free(s->expect.records);
    free(s->expect.dom0_log);
    free(s->expect.console);
    free(s->expect.latency);
    free(s->expect.registers);
    free(s->expect.domains);
    free(s->expect.guest_log);
    free(s->expect.stages);
    free(s->expect.msrs);
    free(s->expect.calls);
    free(s->expect.pages);
    free(s->expect.pcie);
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
