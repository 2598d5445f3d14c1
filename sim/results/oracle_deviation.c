/*
 * oracle_deviation.c - read a case's deviation marks (oracle_deviation.h).
 * A line is split at its first three '|'; the reason may hold more.
 */
#include "sim/results/oracle_deviation.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/results/oracle_norm.h"

static const char *const kind_names[DEV__COUNT] = {"bug", "limit"};

const char *dev_kind_name(enum dev_kind k) { return (unsigned)k < DEV__COUNT ? kind_names[k] : "unknown"; }

/* The field [p, end) without surrounding blanks, into buf. */
static void field(const char *p, const char *end, char *buf, size_t len)
{
    while (p < end && isspace((unsigned char)*p))
        p++;
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    snprintf(buf, len, "%.*s", (int)(end - p), p);
}

static bool compared_section(enum oracle_target t, const char *key)
{
    const struct sec_spec *s[16];
    unsigned n = oracle_sections(t, s, 16);
    for (unsigned i = 0; i < n; i++)
        if (!strcmp(s[i]->key, key))
            return s[i]->mode != SEC_NOT_COMPARED;
    return false;
}

/* One non-comment line into *dv; NULL, or what is wrong with it. */
static const char *parse_line(const char *p, const char *end, enum oracle_target t, struct deviation *dv)
{
    const char *bar[3];
    const char *q = p;
    for (int k = 0; k < 3; k++) {
        bar[k] = memchr(q, '|', (size_t)(end - q));
        if (!bar[k])
            return "expected SECTION | KIND | DIGEST | REASON";
        q = bar[k] + 1;
    }
    char kind[32], digest[32];
    field(p, bar[0], dv->section, sizeof(dv->section));
    field(bar[0] + 1, bar[1], kind, sizeof(kind));
    field(bar[1] + 1, bar[2], digest, sizeof(digest));
    field(bar[2] + 1, end, dv->reason, sizeof(dv->reason));
    if (!compared_section(t, dv->section))
        return "not a section this target's comparison compares";
    dv->kind = DEV__COUNT;
    for (unsigned k = 0; k < DEV__COUNT; k++)
        if (!strcmp(kind, kind_names[k]))
            dv->kind = (enum dev_kind)k;
    if (dv->kind == DEV__COUNT)
        return "KIND must be bug or limit";
    char *e;
    dv->digest = (uint32_t)strtoul(digest, &e, 16);
    if (strlen(digest) != 8 || *e)
        return "DIGEST must be the 8 hex digits `mcasim oracle` prints";
    if (strlen(dv->reason) < 20)
        return "REASON must say which function does what, and what mcasim does instead";
    return NULL;
}

int deviations_parse(const char *text, const char *name, enum oracle_target t, struct deviations *d, char *err,
                     size_t errlen)
{
    memset(d, 0, sizeof(*d));
    unsigned lineno = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        const char *end = nl ? nl : p + strlen(p);
        const char *s = p;
        lineno++;
        while (s < end && isspace((unsigned char)*s))
            s++;
        if (s < end && *s != '#') {
            struct deviation dv = {.line = lineno};
            const char *why = parse_line(s, end, t, &dv);
            if (!why && deviations_find(d, dv.section))
                why = "the section is marked twice";
            if (why) {
                snprintf(err, errlen, "%s:%u: %s", name, lineno, why);
                deviations_free(d);
                return -1;
            }
            struct deviation *v = realloc(d->v, (d->n + 1) * sizeof(*v));
            if (!v)
                abort();
            d->v = v;
            d->v[d->n++] = dv;
        }
        p = nl ? nl + 1 : end;
    }
    return 0;
}

void deviations_free(struct deviations *d)
{
    free(d->v);
    memset(d, 0, sizeof(*d));
}

const struct deviation *deviations_find(const struct deviations *d, const char *section)
{
    for (unsigned i = 0; i < d->n; i++)
        if (!strcmp(d->v[i].section, section))
            return &d->v[i];
    return NULL;
}
