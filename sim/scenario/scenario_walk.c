/*
 * scenario_walk.c - the machinery of the scenario loader: errors with a
 * file position, scalars, the value readers that field tables name
 * (integers, times, sizes, rates, booleans, text, names, enums, references to
 * hosts, CPUs and banks), and the walk over a mapping or a sequence.
 *
 * Readers write through an offset into the object being filled, so one
 * reader serves every table; the range of a value is data in its table.
 * libyaml marks are 0-based; every position reported here is 1-based.
 */
#include "sim/scenario/scenario_walk.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario_values.h"

/* ---- errors ---------------------------------------------------------- */

bool ld_keep_going(struct ld *l)
{
    if (!l->all || l->stop)
        return false;
    if (l->recorded != l->made && l->all->n < LD_MAX_ERRORS) {
        if (scn_errors_add(l->all, l->err) != 0)
            return false;
        l->recorded = l->made;
    }
    return l->all->n < LD_MAX_ERRORS;
}

static void set_pos(struct ld *l, const yaml_node_t *at)
{
    l->err->line = at ? (unsigned)at->start_mark.line + 1 : 0;
    l->err->col = at ? (unsigned)at->start_mark.column + 1 : 0;
}

static void vset(struct ld *l, const char *hint, const char *fmt, va_list ap)
{
    l->made++;
    vsnprintf(l->err->msg, sizeof(l->err->msg), fmt, ap);
    snprintf(l->err->hint, sizeof(l->err->hint), "%s", hint ? hint : "");
}

/* Always returns -1, so readers can `return ld_fail(...)`. */
int ld_fail(struct ld *l, const yaml_node_t *at, const char *hint, const char *fmt, ...)
{
    va_list ap;
    set_pos(l, at);
    va_start(ap, fmt);
    vset(l, hint, fmt, ap);
    va_end(ap);
    return -1;
}

/* The same at a position kept in an element (for checks after parsing). */
int ld_fail_loc(struct ld *l, struct scn_loc at, const char *hint, const char *fmt, ...)
{
    va_list ap;
    l->err->line = at.line;
    l->err->col = at.col;
    va_start(ap, fmt);
    vset(l, hint, fmt, ap);
    va_end(ap);
    return -1;
}

/*
 * A name that is not one of `names`: the hint suggests the closest one and
 * lists them all; a list too long for the hint goes into the message.
 */
int ld_fail_names(struct ld *l, const yaml_node_t *at, const char *bad, const char *kind,
                  const struct names *nm, const char *fmt, ...)
{
    struct scn_error *e = l->err;
    va_list ap;
    set_pos(l, at);
    l->made++;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    char list[1024], mean[96] = "";
    scv_join(list, sizeof(list), nm->v, nm->n);
    int best = scv_closest(bad, nm->v, nm->n);
    if (best >= 0)
        snprintf(mean, sizeof(mean), "did you mean '%s'?", nm->v[best]);
    int w = snprintf(e->hint, sizeof(e->hint), "%s%s%s: %s", mean, best >= 0 ? " " : "", kind, list);
    if (w >= 0 && (size_t)w < sizeof(e->hint))
        return -1;
    size_t used = strlen(e->msg);
    snprintf(e->msg + used, sizeof(e->msg) - used, " (%s: %s)", kind, list);
    snprintf(e->hint, sizeof(e->hint), "%s", mean);
    return -1;
}

/* ---- nodes and scalars ------------------------------------------------- */

const yaml_node_t *ld_node(struct ld *l, int index)
{
    return yaml_document_get_node(l->doc, index);
}

struct scn_loc ld_loc(const yaml_node_t *n)
{
    return (struct scn_loc){(unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1};
}

const char *ld_sval(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }

void ld_path_beside(const struct ld *l, const char *name, char *out, size_t len)
{
    const char *file = l->err->file;
    const char *slash = strrchr(file, '/');
    if (name[0] == '/' || !slash)
        snprintf(out, len, "%s", name);
    else
        snprintf(out, len, "%.*s/%s", (int)(slash - file), file, name);
}

/* YAML's spellings of "nothing" in a plain scalar. */
static bool is_null(const yaml_node_t *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           scv_lookup(ld_sval(n), nulls, 5) >= 0;
}

const char *ld_kind_name(const yaml_node_t *n)
{
    if (n->type == YAML_MAPPING_NODE)
        return "a mapping";
    if (n->type == YAML_SEQUENCE_NODE)
        return "a sequence";
    return is_null(n) ? "no value" : "a scalar";
}

int ld_want_kind(struct ld *l, const yaml_node_t *v, yaml_node_type_t type, const char *key)
{
    if (v->type == type)
        return 0;
    const char *want = type == YAML_MAPPING_NODE ? "a mapping" : "a sequence";
    const char *hint = type == YAML_MAPPING_NODE ? "write the keys indented under it, or {key: value, ...}"
                                                 : "write one '- item' per line, or [a, b, ...]";
    if (v->type == YAML_SCALAR_NODE && !is_null(v))
        return ld_fail(l, v, hint, "'%s' must be %s, got '%.40s'", key, want, ld_sval(v));
    return ld_fail(l, v, hint, "'%s' must be %s, got %s", key, want, ld_kind_name(v));
}

/* The text of a scalar value, or NULL with the error set. */
const char *ld_scalar(struct ld *l, const yaml_node_t *v, const char *key, const char *want)
{
    if (v->type != YAML_SCALAR_NODE)
        return ld_fail(l, v, "write a single value here, not a list or a mapping", "'%s' must be %s, got %s",
                       key, want, ld_kind_name(v)),
               NULL;
    if (strlen(ld_sval(v)) != v->data.scalar.length)
        return ld_fail(l, v, NULL, "'%s' contains a NUL character", key), NULL;
    if (is_null(v))
        return ld_fail(l, v, "give a value after the ':'", "'%s' has no value (%s expected)", key, want),
               NULL;
    return ld_sval(v);
}

/* ---- numbers, times, sizes --------------------------------------------- */

enum vkind { VK_INT, VK_TIME, VK_SIZE, VK_RATE };

static const char *const vk_want[] = {"an integer", "a time", "a size", "a rate"};
static const char *const vk_hint[] = {
    "write a decimal number or 0x-prefixed hex",
    "a number and a unit: " SCV_TIME_UNITS " (e.g. 10ms, 1.5us)",
    "bytes, or a whole number with a unit: " SCV_SIZE_UNITS,
    "a number and a unit: " SCV_RATE_UNITS " (e.g. 10Gbit/s, 1.25GB/s), or bytes per second",
};
static const char *const vk_units[] = {"", "units: " SCV_TIME_UNITS, "units: " SCV_SIZE_UNITS,
                                       "units: " SCV_RATE_UNITS};
/* What a value must be a whole number of, and how to get there. */
static const char *const vk_whole[] = {"", "ps", "bytes", "bytes per second"};
static const char *const vk_whole_hint[] = {
    "", "use a smaller unit; times are whole picoseconds", "use a smaller unit; sizes are whole bytes",
    "rates are whole bytes per second (a bit rate a multiple of 8 bit/s)"};

static int value_error(struct ld *l, const yaml_node_t *v, const char *key, const char *s,
                       enum scv_status st, enum vkind k)
{
    switch (st) {
    case SCV_NEGATIVE:
        return ld_fail(l, v, vk_hint[k], "'%s' must not be negative (got '%.40s')", key, s);
    case SCV_RANGE:
        return ld_fail(l, v, "the largest value is 2^64-1", "'%s': '%.40s' does not fit in 64 bits", key, s);
    case SCV_TOO_LONG:
        return ld_fail(l, v, "the longest time is " SCV_TIME_MAX_TEXT " (3.6e18 ps)",
                       "'%s': '%.40s' is longer than mcasim simulates", key, s);
    case SCV_NO_UNIT:
        return ld_fail(l, v, "add a unit: " SCV_TIME_UNITS " (e.g. 10ms)", "'%s': '%.40s' has no unit", key,
                       s);
    case SCV_BAD_UNIT:
        return ld_fail(l, v, vk_units[k], "'%s': '%.40s' has an unknown unit", key, s);
    case SCV_FRACTION:
        return ld_fail(l, v, vk_whole_hint[k], "'%s': '%.40s' is not a whole number of %s", key, s,
                       vk_whole[k]);
    default:
        return ld_fail(l, v, vk_hint[k], "'%s': '%.40s' is not %s", key, s, vk_want[k]);
    }
}

static int range_error(struct ld *l, const yaml_node_t *v, const struct field *f)
{
    char hint[96];
    snprintf(hint, sizeof(hint), "'%s' takes %llu..%llu", f->key, (unsigned long long)f->min,
             (unsigned long long)f->max);
    return ld_fail(l, v, hint, "'%s' is %.40s, out of range %llu..%llu", f->key, ld_sval(v),
                   (unsigned long long)f->min, (unsigned long long)f->max);
}

int ld_read_uint(struct ld *l, const struct field *f, const yaml_node_t *v, uint64_t *out)
{
    const char *s = ld_scalar(l, v, f->key, "an integer");
    if (!s)
        return -1;
    enum scv_status st = scv_uint(s, out);
    if (st != SCV_OK)
        return value_error(l, v, f->key, s, st, VK_INT);
    if (*out < f->min || *out > f->max)
        return range_error(l, v, f);
    return 0;
}

int ld_read_time(struct ld *l, const struct field *f, const yaml_node_t *v, uint64_t *ps)
{
    const char *s = ld_scalar(l, v, f->key, "a time");
    if (!s)
        return -1;
    if (strcmp(s, "forever") == 0) {
        if (!(f->flags & F_FOREVER))
            return ld_fail(l, v, "give a time such as 10ms", "'%s' cannot be forever", f->key);
        *ps = SCN_TIME_FOREVER;
        return 0;
    }
    enum scv_status st = scv_time(s, ps);
    if (st != SCV_OK)
        return value_error(l, v, f->key, s, st, VK_TIME);
    if (*ps < f->min)
        return ld_fail(l, v,
                       (f->flags & F_FOREVER) ? "use a positive time or forever" : "use a positive time",
                       "'%s' must be greater than 0", f->key);
    return 0;
}

/* Bytes per second; f->min 1 refuses a link that moves nothing. */
int ld_read_rate(struct ld *l, const struct field *f, const yaml_node_t *v, uint64_t *out)
{
    const char *s = ld_scalar(l, v, f->key, "a rate");
    if (!s)
        return -1;
    enum scv_status st = scv_rate(s, out);
    if (st != SCV_OK)
        return value_error(l, v, f->key, s, st, VK_RATE);
    if (*out < f->min)
        return ld_fail(l, v, "give a rate above 0, e.g. 10Gbit/s", "'%s' must be greater than 0", f->key);
    return 0;
}

void *ld_member(void *obj, size_t off) { return (char *)obj + off; }

int ld_rd_uint(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    uint64_t x;
    if (ld_read_uint(l, f, v, &x) < 0)
        return -1;
    *(unsigned *)ld_member(obj, f->off) = (unsigned)x;
    return 0;
}

int ld_rd_u64(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return ld_read_uint(l, f, v, (uint64_t *)ld_member(obj, f->off));
}

int ld_rd_ll(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    uint64_t x;
    if (ld_read_uint(l, f, v, &x) < 0)
        return -1;
    *(long long *)ld_member(obj, f->off) = (long long)x;
    return 0;
}

int ld_rd_time(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return ld_read_time(l, f, v, (uint64_t *)ld_member(obj, f->off));
}

/* A run's duration: up to SCV_DURATION_MAX_PS here; whether it may be
 * longer than SCV_TIME_MAX_PS (skip_quiet) is the scenario's check. */
int ld_rd_duration(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    const char *s = ld_scalar(l, v, f->key, "a time");
    if (!s)
        return -1;
    rtime_t *ps = (rtime_t *)ld_member(obj, f->off);
    enum scv_status st = scv_duration(s, ps);
    if (st == SCV_TOO_LONG)
        return ld_fail(l, v, "the longest run is " SCV_DURATION_MAX_TEXT " (a year), with skip_quiet: true",
                       "'%s': '%.40s' is longer than mcasim simulates", f->key, s);
    if (st != SCV_OK)
        return value_error(l, v, f->key, s, st, VK_TIME);
    if (*ps < f->min)
        return ld_fail(l, v, "use a positive time", "'%s' must be greater than 0", f->key);
    return 0;
}

int ld_rd_rate(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return ld_read_rate(l, f, v, (uint64_t *)ld_member(obj, f->off));
}

int ld_read_bool(struct ld *l, const struct field *f, const yaml_node_t *v, bool *out)
{
    const char *s = ld_scalar(l, v, f->key, "true or false");
    if (!s)
        return -1;
    if (!scv_bool(s, out))
        return ld_fail(l, v, "use true or false", "'%s' must be true or false, got '%.40s'", f->key, s);
    return 0;
}

int ld_rd_bool(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return ld_read_bool(l, f, v, (bool *)ld_member(obj, f->off));
}

/* A bool into an int that is -1 while absent. */
int ld_rd_tribool(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    bool b;
    if (ld_read_bool(l, f, v, &b) < 0)
        return -1;
    *(int *)ld_member(obj, f->off) = b;
    return 0;
}

/* A size in bytes (units as scv_size) into *x; *text gets the scalar. */
static int read_size(struct ld *l, const struct field *f, const yaml_node_t *v, uint64_t *x, const char **text)
{
    const char *s = ld_scalar(l, v, f->key, "a size");
    if (!s)
        return -1;
    enum scv_status st = scv_size(s, x);
    if (st != SCV_OK)
        return value_error(l, v, f->key, s, st, VK_SIZE);
    *text = s;
    return 0;
}

/* A size in bytes, at least f->min. */
int ld_rd_size(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    uint64_t x;
    const char *s;
    if (read_size(l, f, v, &x, &s) < 0)
        return -1;
    if (x < f->min)
        return ld_fail(l, v, "give a size above 0, e.g. 2GiB", "'%s' must not be 0", f->key);
    *(uint64_t *)ld_member(obj, f->off) = x;
    return 0;
}

/* A page-aligned size; min 0 for a start address, LD_PAGE_BYTES for a length. */
int ld_rd_page(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    uint64_t x;
    const char *s;
    if (read_size(l, f, v, &x, &s) < 0)
        return -1;
    if (x < f->min)
        return ld_fail(l, v, "a region is at least 4KiB", "'%s' must not be 0", f->key);
    if (x % LD_PAGE_BYTES)
        return ld_fail(l, v, "memory is tracked in 4 KiB pages, the unit of page offlining",
                       "'%s' (%.40s) is not a multiple of 4 KiB", f->key, s);
    *(uint64_t *)ld_member(obj, f->off) = x;
    return 0;
}

int ld_read_text(struct ld *l, const struct field *f, const yaml_node_t *v, char *dst)
{
    const char *s = ld_scalar(l, v, f->key, "a string");
    if (!s)
        return -1;
    size_t n = strlen(s);
    if (n >= f->max)
        return ld_fail(l, v, NULL, "'%s' is too long (%zu characters, at most %llu)", f->key, n,
                       (unsigned long long)(f->max - 1));
    memcpy(dst, s, n + 1);
    return 0;
}

int ld_rd_text(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return ld_read_text(l, f, v, (char *)ld_member(obj, f->off));
}

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

int ld_rd_ident(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    char *dst = ld_member(obj, f->off);
    return ld_read_text(l, f, v, dst) < 0 ? -1 : check_ident(l, v, f->key, dst);
}

/* Index of a scalar among names, or -1 with the error set. */
int ld_read_name(struct ld *l, const struct field *f, const yaml_node_t *v, const struct names *nm,
                 const char *kind)
{
    const char *s = ld_scalar(l, v, f->key, "a name");
    if (!s)
        return -1;
    int i = scv_lookup(s, nm->v, nm->n);
    if (i < 0)
        return ld_fail_names(l, v, s, kind, nm, "'%s': unknown value '%.40s'", f->key, s);
    return i;
}

int ld_rd_enum(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    int i = ld_read_name(l, f, v, f->names, "valid values");
    if (i < 0)
        return -1;
    *(unsigned *)ld_member(obj, f->off) = (unsigned)i;
    return 0;
}

int ld_rd_enum_int(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    int i = ld_read_name(l, f, v, f->names, "valid values");
    if (i < 0)
        return -1;
    *(int *)ld_member(obj, f->off) = i;
    return 0;
}

/* ---- mappings and sequences ------------------------------------------------ */

static int find_key(const struct field *t, unsigned n, const char *key)
{
    for (unsigned i = 0; i < n; i++)
        if (strcmp(t[i].key, key) == 0)
            return (int)i;
    return -1;
}

static int unknown_key(struct ld *l, const yaml_node_t *k, const char *what, const struct field *t,
                       unsigned n)
{
    const char *keys[LD_MAX_KEYS] = {0};
    for (unsigned i = 0; i < n; i++)
        keys[i] = t[i].key;
    struct names nm = {keys, n};
    return ld_fail_names(l, k, ld_sval(k), "valid keys", &nm, "unknown key '%.40s' in %s", ld_sval(k), what);
}

static int collect_pair(struct ld *l, const yaml_node_pair_t *p, const char *what, struct seen *sn)
{
    const yaml_node_t *k = ld_node(l, p->key), *v = ld_node(l, p->value);
    if (!k || !v)
        return ld_fail(l, NULL, NULL, "internal error: dangling YAML node");
    if (k->type != YAML_SCALAR_NODE || strlen(ld_sval(k)) != k->data.scalar.length)
        return ld_fail(l, k, "keys are plain names such as 'cpus'", "a key in %s is not a name", what);
    int i = find_key(sn->t, sn->n, ld_sval(k));
    if (i < 0)
        return unknown_key(l, k, what, sn->t, sn->n);
    if (sn->key[i])
        return ld_fail(l, k, "remove one of them", "duplicate key '%s' in %s (first at line %u)", ld_sval(k),
                       what, (unsigned)sn->key[i]->start_mark.line + 1);
    sn->key[i] = k;
    sn->val[i] = v;
    return 0;
}

static bool later(const yaml_node_t *a, const yaml_node_t *b)
{
    return a->start_mark.index > b->start_mark.index;
}

/* F_EXCL / F_ONE: at most one of the group; F_ONE needs one. */
static int check_group(struct ld *l, const yaml_node_t *map, const char *what, const struct seen *sn,
                       unsigned flag)
{
    const char *keys[LD_MAX_KEYS] = {0};
    unsigned nkeys = 0;
    int first = -1, second = -1;
    for (unsigned i = 0; i < sn->n; i++) {
        if (!(sn->t[i].flags & flag))
            continue;
        keys[nkeys++] = sn->t[i].key;
        if (!sn->key[i])
            continue;
        if (first < 0)
            first = (int)i;
        else if (second < 0)
            second = (int)i;
    }
    char list[256];
    scv_join(list, sizeof(list), keys, nkeys);
    if (second >= 0) {
        int a = first, b = second;
        if (later(sn->key[a], sn->key[b]))
            a = second, b = first;
        char hint[300];
        snprintf(hint, sizeof(hint), "give only one of: %s", list);
        return ld_fail(l, sn->key[b], hint, "'%s' and '%s' cannot both be given in %s", sn->t[b].key,
                       sn->t[a].key, what);
    }
    if (first < 0 && nkeys && flag == F_ONE) {
        char hint[300];
        snprintf(hint, sizeof(hint), "add one of: %s", list);
        return ld_fail(l, map, hint, "%s has none of: %s", what, list);
    }
    return 0;
}

static int check_required(struct ld *l, const yaml_node_t *map, const char *what, const struct seen *sn)
{
    for (unsigned i = 0; i < sn->n; i++)
        if ((sn->t[i].flags & F_REQ) && !sn->key[i]) {
            char hint[96];
            snprintf(hint, sizeof(hint), "add '%s: ...' to %s", sn->t[i].key, what);
            return ld_fail(l, map, hint, "missing required key '%s' in %s", sn->t[i].key, what);
        }
    return 0;
}

/* Check the keys of a mapping against table t, then read them in table order. */
int ld_walk_map(struct ld *l, const yaml_node_t *map, const char *what, const struct field *t,
                unsigned n, void *obj, struct seen *sn)
{
    memset(sn, 0, sizeof(*sn));
    sn->t = t;
    sn->n = n;
    int failed = 0;
    if (n > LD_MAX_KEYS)
        return ld_fail(l, map, NULL, "internal error: table of %s too long", what);
    if (ld_want_kind(l, map, YAML_MAPPING_NODE, what) < 0)
        return -1;
    for (const yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
        if (collect_pair(l, p, what, sn) < 0) {
            if (!ld_keep_going(l))
                return -1;
            failed = 1;
        }
    if (check_required(l, map, what, sn) < 0 || check_group(l, map, what, sn, F_EXCL) < 0 ||
        check_group(l, map, what, sn, F_ONE) < 0)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        if (!sn->val[i] || t[i].rd(l, &t[i], sn->val[i], obj) == 0)
            continue;
        bool base = (t[i].flags & F_BASE) || t[i].rd == ld_rd_host || t[i].rd == ld_rd_host_int;
        if (base || !ld_keep_going(l))
            return -1;
        failed = 1;
    }
    return failed ? -1 : 0;
}

const yaml_node_t *ld_seen_key(const struct seen *sn, const char *key)
{
    int i = find_key(sn->t, sn->n, key);
    return i < 0 ? NULL : sn->key[i];
}

const yaml_node_t *ld_seen_val(const struct seen *sn, const char *key)
{
    int i = find_key(sn->t, sn->n, key);
    return i < 0 ? NULL : sn->val[i];
}

/* Allocate the zeroed array of a sequence of min..max items. The count is
 * set at once: scenario_free() then releases what a partly read array holds. */
int ld_seq_alloc(struct ld *l, const yaml_node_t *v, const char *key, unsigned min, unsigned max,
                 size_t size, void **arr, unsigned *count)
{
    *arr = NULL;
    *count = 0;
    if (ld_want_kind(l, v, YAML_SEQUENCE_NODE, key) < 0)
        return -1;
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (n < min)
        return ld_fail(l, v, NULL, "'%s' needs at least %u entr%s", key, min, min == 1 ? "y" : "ies");
    if (n > max)
        return ld_fail(l, v, NULL, "'%s' has %zu entries, at most %u are allowed", key, n, max);
    if (n == 0)
        return 0;
    *arr = calloc(n, size);
    if (!*arr)
        return ld_fail(l, v, NULL, "out of memory reading '%s'", key);
    *count = (unsigned)n;
    return 0;
}

/* Call fn on each item of the sequence v with its element of arr. */
int ld_seq_each(struct ld *l, const yaml_node_t *v, void *arr, size_t size, const void *ctx, ld_item_fn fn)
{
    unsigned i = 0;
    int failed = 0;
    for (const yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++, i++) {
        const yaml_node_t *item = ld_node(l, *it);
        if (!item)
            return ld_fail(l, v, NULL, "internal error: dangling YAML node");
        if (fn(l, item, (char *)arr + (size_t)i * size, i, ctx) < 0) {
            if (!ld_keep_going(l))
                return -1;
            failed = 1;
        }
    }
    return failed ? -1 : 0;
}

/* ---- references to hosts, CPUs, banks ---------------------------------- */

const struct scn_host *ld_host(struct ld *l, unsigned i) { return &l->s->hosts[i]; }

const struct scn_domain *ld_domain(struct ld *l, const yaml_node_t *at, unsigned id)
{
    for (unsigned i = 0; i < l->s->ndomains; i++)
        if (l->s->domains[i].id == id)
            return &l->s->domains[i];
    ld_fail(l, at, "add it under 'domains:'", "no domain %u", id);
    return NULL;
}

const struct scn_domain *ld_domain_vcpu(struct ld *l, const yaml_node_t *at, unsigned id,
                                        const yaml_node_t *vcpu_at, unsigned vcpu)
{
    const struct scn_domain *d = ld_domain(l, at, id);
    if (d && vcpu >= d->nvcpus) {
        ld_fail(l, vcpu_at, NULL, "domain %u has %u vCPU(s)", id, d->nvcpus);
        return NULL;
    }
    return d;
}

static int host_by_name(struct ld *l, const struct field *f, const yaml_node_t *v, const char *s)
{
    const char *names[LD_MAX_HOSTS];
    for (unsigned i = 0; i < l->s->nhosts; i++)
        names[i] = l->s->hosts[i].name;
    struct names nm = {names, l->s->nhosts};
    int i = scv_lookup(s, names, l->s->nhosts);
    if (i < 0)
        return ld_fail_names(l, v, s, "hosts", &nm, "'%s': no host named '%.40s'", f->key, s);
    return i;
}

/* A host by index or by name; returns the index or -1. */
static int read_host(struct ld *l, const struct field *f, const yaml_node_t *v)
{
    const char *s = ld_scalar(l, v, f->key, "a host index or name");
    if (!s)
        return -1;
    uint64_t x;
    if (scv_uint(s, &x) != SCV_OK)
        return s[0] == '-' ? value_error(l, v, f->key, s, SCV_NEGATIVE, VK_INT) : host_by_name(l, f, v, s);
    if (x >= l->s->nhosts) {
        char hint[64];
        snprintf(hint, sizeof(hint), "hosts are numbered 0..%u", l->s->nhosts - 1);
        return ld_fail(l, v, hint, "'%s': host %.40s does not exist", f->key, s);
    }
    return (int)x;
}

int ld_rd_host(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    int h = read_host(l, f, v);
    if (h < 0)
        return -1;
    *(unsigned *)ld_member(obj, f->off) = (unsigned)h;
    return 0;
}

int ld_rd_host_int(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    int h = read_host(l, f, v);
    if (h < 0)
        return -1;
    *(int *)ld_member(obj, f->off) = h;
    return 0;
}

/* The host a cpu/bank/msr refers to: f->host_off holds it (unsigned). */
unsigned ld_host_of(const struct field *f, void *obj) { return *(unsigned *)ld_member(obj, f->host_off); }

/* A CPU or bank index of host h; what = "CPU" or "bank". */
static int index_of_host(struct ld *l, const struct field *f, const yaml_node_t *v, unsigned h,
                         const char *what, uint64_t *out)
{
    const struct scn_host *host = ld_host(l, h);
    unsigned n = strcmp(what, "CPU") == 0 ? host->ncpus : host->nbanks;
    struct field f2 = *f;
    f2.min = 0;
    f2.max = UINT32_MAX;
    if (ld_read_uint(l, &f2, v, out) < 0)
        return -1;
    if (*out >= n && !l->hosts_unsure) {
        char hint[SCN_NAME_LEN + 64]; /* the host's name and the words around it */
        snprintf(hint, sizeof(hint), "%ss of host '%s' are numbered 0..%u", what, host->name, n - 1);
        return ld_fail(l, v, hint, "'%s' is %.40s, but host '%s' has %u %s%s", f->key, ld_sval(v), host->name,
                       n, what, n == 1 ? "" : "s");
    }
    return 0;
}

int ld_rd_cpu(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    uint64_t x;
    if (index_of_host(l, f, v, ld_host_of(f, obj), "CPU", &x) < 0)
        return -1;
    *(unsigned *)ld_member(obj, f->off) = (unsigned)x;
    return 0;
}

int ld_rd_bank(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    uint64_t x;
    if (index_of_host(l, f, v, ld_host_of(f, obj), "bank", &x) < 0)
        return -1;
    *(unsigned *)ld_member(obj, f->off) = (unsigned)x;
    return 0;
}

/* For "any host" (-1) patterns: the host with the most CPUs/banks bounds the index. */
static unsigned widest_host(struct ld *l, bool cpus)
{
    unsigned best = 0;
    for (unsigned i = 1; i < l->s->nhosts; i++) {
        const struct scn_host *a = ld_host(l, i), *b = ld_host(l, best);
        if (cpus ? a->ncpus > b->ncpus : a->nbanks > b->nbanks)
            best = i;
    }
    return best;
}

static int rd_index_int(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj, bool cpu)
{
    int h = *(int *)ld_member(obj, f->host_off);
    uint64_t x;
    if (index_of_host(l, f, v, h >= 0 ? (unsigned)h : widest_host(l, cpu), cpu ? "CPU" : "bank", &x) < 0)
        return -1;
    *(int *)ld_member(obj, f->off) = (int)x;
    return 0;
}

int ld_rd_cpu_int(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_index_int(l, f, v, obj, true);
}

int ld_rd_bank_int(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    return rd_index_int(l, f, v, obj, false);
}

/* Names from a function of the index (contexts, stages, cost ops, presets). */
struct names ld_names_from(const char **buf, unsigned n, const char *(*name_at)(unsigned))
{
    for (unsigned i = 0; i < n; i++)
        buf[i] = name_at(i);
    return (struct names){buf, n};
}
