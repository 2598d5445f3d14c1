/*
 * transcript.c - parse and write oracle transcripts (transcript.h). An
 * empty line directly before a heading separates sections and is not
 * stored; any other line, empty or not, belongs to the header or to the
 * section above it.
 */
#include "sim/results/transcript.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADING "== "

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        abort(); /* a comparison that cannot hold its text must not pretend */
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

static void lines_push(struct ts_lines *l, char *owned)
{
    if (l->n == l->cap) {
        unsigned c = l->cap ? l->cap * 2 : 16;
        char **v = realloc(l->v, c * sizeof(*v));
        if (!v)
            abort();
        l->v = v;
        l->cap = c;
    }
    l->v[l->n++] = owned;
}

void ts_lines_add(struct ts_lines *l, const char *text)
{
    lines_push(l, dup_n(text, strlen(text)));
}

void ts_lines_addf(struct ts_lines *l, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    ts_lines_add(l, buf);
}

void ts_lines_free(struct ts_lines *l)
{
    for (unsigned i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

void ts_init(struct transcript *t) { memset(t, 0, sizeof(*t)); }

void ts_free(struct transcript *t)
{
    ts_lines_free(&t->header);
    for (unsigned i = 0; i < t->nsec; i++) {
        free(t->sec[i].title);
        ts_lines_free(&t->sec[i].lines);
    }
    free(t->sec);
    memset(t, 0, sizeof(*t));
}

struct ts_section *ts_add_section(struct transcript *t, const char *title)
{
    if (t->nsec == t->cap) {
        unsigned c = t->cap ? t->cap * 2 : 8;
        struct ts_section *v = realloc(t->sec, c * sizeof(*v));
        if (!v)
            abort();
        t->sec = v;
        t->cap = c;
    }
    struct ts_section *s = &t->sec[t->nsec++];
    memset(s, 0, sizeof(*s));
    s->title = dup_n(title, strlen(title));
    const char *paren = strstr(title, " (");
    size_t k = paren ? (size_t)(paren - title) : strlen(title);
    if (k >= sizeof(s->key))
        k = sizeof(s->key) - 1;
    memcpy(s->key, title, k);
    s->key[k] = 0;
    return s;
}

const struct ts_section *ts_find(const struct transcript *t, const char *key)
{
    for (unsigned i = 0; i < t->nsec; i++)
        if (!strcmp(t->sec[i].key, key))
            return &t->sec[i];
    return NULL;
}

const char *ts_header(const struct transcript *t, const char *name)
{
    size_t k = strlen(name);
    for (unsigned i = 0; i < t->header.n; i++) {
        const char *l = t->header.v[i];
        if (!strncmp(l, name, k) && l[k] == ':' && l[k + 1] == ' ')
            return l + k + 2;
    }
    return NULL;
}

static int fail(struct transcript *t, char *err, size_t len, unsigned line, const char *what)
{
    snprintf(err, len, "line %u: %s", line, what);
    ts_free(t);
    return -1;
}

int ts_parse(struct transcript *t, const char *text, char *err, size_t errlen)
{
    ts_init(t);
    struct ts_lines *cur = &t->header;
    unsigned lineno = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        if (n >= strlen(HEADING) && !strncmp(p, HEADING, strlen(HEADING))) {
            /* the separator: the empty line just read belongs to no one */
            if (cur->n == 0 || cur->v[cur->n - 1][0] != 0)
                return fail(t, err, errlen, lineno, "a heading without an empty line before it");
            free(cur->v[--cur->n]);
            char *title = dup_n(p + strlen(HEADING), n - strlen(HEADING));
            struct ts_section *s = ts_add_section(t, title);
            free(title);
            for (unsigned i = 0; i + 1 < t->nsec; i++)
                if (!strcmp(t->sec[i].key, s->key))
                    return fail(t, err, errlen, lineno, "a section heading given twice");
            cur = &s->lines;
        } else {
            lines_push(cur, dup_n(p, n));
        }
        p += n + (nl ? 1 : 0);
    }
    if (t->nsec == 0)
        return fail(t, err, errlen, lineno, "no '== ' section heading: not a transcript");
    return 0;
}

void ts_write(const struct transcript *t, struct text_buf *out)
{
    for (unsigned i = 0; i < t->header.n; i++)
        tb_printf(out, "%s\n", t->header.v[i]);
    for (unsigned s = 0; s < t->nsec; s++) {
        tb_printf(out, "\n" HEADING "%s\n", t->sec[s].title);
        for (unsigned i = 0; i < t->sec[s].lines.n; i++)
            tb_printf(out, "%s\n", t->sec[s].lines.v[i]);
    }
}
