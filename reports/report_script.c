/*
 * report_script.c - the text of a report's gnuplot scripts: quoted string
 * and array literals, the values of a plot's placeholders, template
 * filling, and NAME.gp: reports/common.gp followed by reports/NAME.gp,
 * both filled.
 *
 * Strings reach a script only through rp_gp_quote_into, so a scenario name
 * cannot break one; a placeholder that a template names and the plot does
 * not set is an error, never left in the script.
 */
#include "reports/report_plot_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- gnuplot literals ---- */

void rp_gp_quote_into(struct text_buf *b, const char *text)
{
    tb_put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\')
            tb_printf(b, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            tb_put(b, " ", 1);
        else
            tb_put(b, (const char *)p, 1);
    }
    tb_put(b, "\"", 1);
}

void rep_gp_quote(char *buf, size_t len, const char *text)
{
    struct text_buf b = {0};
    rp_gp_quote_into(&b, text);
    snprintf(buf, len, "%s", tb_text(&b));
    tb_free(&b);
}

static void list_sep(struct rp_list *l)
{
    if (l->n++)
        tb_put(&l->b, ", ", 2);
    else
        tb_put(&l->b, "[", 1);
}

void rp_list_str(struct rp_list *l, const char *s)
{
    list_sep(l);
    rp_gp_quote_into(&l->b, s);
}

void rp_list_num(struct rp_list *l, double v)
{
    list_sep(l);
    tb_printf(&l->b, "%.9g", v);
}

static void list_end(struct rp_list *l)
{
    if (!l->n)
        tb_put(&l->b, "[", 1);
    tb_put(&l->b, "]", 1);
}

/* ---- templates ---- */

/* Length of NAME when p is "@NAME@...", else 0. */
static size_t placeholder_len(const char *p)
{
    size_t k = strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
    return k && p[1 + k] == '@' ? k : 0;
}

static const struct rep_subst *find_subst(const struct rep_subst *s, unsigned n, const char *key, size_t k)
{
    for (unsigned i = 0; i < n; i++)
        if (strlen(s[i].key) == k && !strncmp(s[i].key, key, k))
            return &s[i];
    return NULL;
}

char *rep_fill_template(const char *text, const char *name, const struct rep_subst *s, unsigned n,
                        struct rep_error *err)
{
    struct text_buf b = {0};
    unsigned line = 1;
    for (const char *p = text; *p;) {
        size_t run = strcspn(p, "@\n");
        tb_put(&b, p, run);
        p += run;
        if (*p == '\n') {
            tb_put(&b, p++, 1);
            line++;
            continue;
        }
        if (!*p)
            break;
        size_t k = placeholder_len(p);
        const struct rep_subst *hit = k ? find_subst(s, n, p + 1, k) : NULL;
        if (k && !hit) {
            snprintf(err->file, sizeof(err->file), "%s", name);
            err->line = line;
            snprintf(err->msg, sizeof(err->msg), "unknown placeholder @%.*s@", (int)k, p + 1);
            tb_free(&b);
            return NULL;
        }
        if (hit)
            tb_put(&b, hit->val, strlen(hit->val));
        else
            tb_put(&b, p, 1); /* a lone @ is gnuplot's, not ours */
        p += hit ? k + 2 : 1;
    }
    if (b.oom || !b.s) {
        int oom = b.oom;
        tb_free(&b);
        if (oom) {
            snprintf(err->file, sizeof(err->file), "%s", name);
            err->line = 0;
            snprintf(err->msg, sizeof(err->msg), "out of memory");
            return NULL;
        }
        return strdup("");
    }
    return b.s;
}

/* ---- a plot's placeholders ---- */

struct text_buf *rp_plot_val(struct plot *p, const char *key)
{
    if (p->nsub == RP_MAX_SUBST)
        abort(); /* a prepare function sets a fixed, small number of keys */
    p->sub[p->nsub].key = key;
    return &p->val[p->nsub++];
}

void rp_plot_set(struct plot *p, const char *key, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    tb_put(rp_plot_val(p, key), text, strlen(text));
}

/* Hand a finished list over as the value of key. */
void rp_plot_list(struct plot *p, const char *key, struct rp_list *l)
{
    list_end(l);
    *rp_plot_val(p, key) = l->b;
    memset(l, 0, sizeof(*l));
}

void rp_plot_free(struct plot *p)
{
    for (unsigned i = 0; i < p->nsub; i++)
        tb_free(&p->val[i]);
    p->nsub = 0;
}

/* ---- scripts ---- */

static char *fill_file(struct report *r, const char *name, const struct rep_subst *s, unsigned n)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", r->o->templates, name);
    char *text = tb_slurp(path);
    if (!text) {
        fprintf(stderr, "mcasim report: cannot read template %s: %s (see --templates)\n", path, strerror(errno));
        r->failed = 1;
        return NULL;
    }
    struct rep_error err;
    char *filled = rep_fill_template(text, path, s, n, &err);
    free(text);
    if (!filled) {
        rep_error_print(&err, stderr);
        r->failed = 1;
    }
    return filled;
}

/* NAME.gp = common.gp + NAME's template, filled. */
int rp_write_script(struct report *r, struct plot *p)
{
    char out[64], tpl[64], script[64];
    snprintf(out, sizeof(out), "\"%s\"", p->kind->name);
    snprintf(tpl, sizeof(tpl), "%s.gp", p->kind->name);
    snprintf(script, sizeof(script), "%s.gp", p->kind->name);
    rp_plot_set(p, "OUTPUT", "%s", out);
    rp_plot_set(p, "FORMATS", "\"png svg\"");
    for (unsigned i = 0; i < p->nsub; i++)
        p->sub[i].val = tb_text(&p->val[i]);
    char *head = fill_file(r, "common.gp", p->sub, p->nsub);
    char *body = head ? fill_file(r, tpl, p->sub, p->nsub) : NULL;
    int rc = -1;
    FILE *f = body ? rp_open_out(r, script) : NULL;
    if (f) {
        fprintf(f, "%s\n%s", head, body);
        rc = rp_close_out(r, f, script);
    }
    free(head);
    free(body);
    return rc;
}
