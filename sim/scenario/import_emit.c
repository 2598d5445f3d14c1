/*
 * import_emit.c - an import written as the YAML scenario it stands for
 * (struct imp, import_int.h): the platform, the domains an input named,
 * one event per injection with a comment saying which input line asked for
 * it and what its registers hold, and no expectations. Each line written
 * is paired with the input position it comes from, so that an error the
 * loader finds in the YAML is reported at the input's line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_context.h"
#include "arch/x86_mca.h"
#include "sim/scenario/import_int.h"
#include "sim/scenario/mca_symbols.h"

struct emitter {
    FILE *out;
    struct scn_loc *lines;
    unsigned n, cap;
    int oom;
};

static void line(struct emitter *e, struct scn_loc from, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void line(struct emitter *e, struct scn_loc from, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(e->out, fmt, ap);
    va_end(ap);
    fputc('\n', e->out);
    if (e->n == e->cap) {
        unsigned cap = e->cap ? e->cap * 2 : 64;
        struct scn_loc *v = realloc(e->lines, cap * sizeof(*v));
        if (!v) {
            e->oom = 1;
            return;
        }
        e->lines = v;
        e->cap = cap;
    }
    e->lines[e->n++] = from;
}

static const struct scn_loc nowhere = {0, 0};

/* The scenario's name: the input's file name without folder or extension,
 * in the characters a name may hold. */
static void name_of(const char *file, char *name, size_t len)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t k = 0;
    for (const char *c = base; *c && *c != '.' && k + 1 < len; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' ||
                  *c == '-';
        name[k++] = ok ? *c : '-';
    }
    name[k] = 0;
    if (!k)
        snprintf(name, len, "imported");
}

static const char *base_name(const char *file)
{
    const char *b = strrchr(file, '/');
    return b ? b + 1 : file;
}

/* A file name inside a double-quoted YAML string: quotes and backslashes
 * escaped, control characters as '?'. */
static void quotable(const char *s, char *out, size_t len)
{
    size_t k = 0;
    for (; *s && k + 3 < len; s++) {
        if (*s == '"' || *s == '\\')
            out[k++] = '\\';
        out[k++] = (unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s;
    }
    out[k] = 0;
}

static void emit_header(struct emitter *e, const struct imp *im)
{
    char name[SCN_NAME_LEN], base[256];
    name_of(im->file, name, sizeof(name));
    quotable(base_name(im->file), base, sizeof(base));
    const char *fmt = scn_format_name(im->format);
    line(e, nowhere, "# Imported by mcasim from %s (%s input): the scenario it stands for,", base, fmt);
    line(e, nowhere, "# on the default platform of imported files (docs/SCENARIOS.md, \"Importing\").");
    line(e, nowhere, "# Add expectations under expect: and keep it: it runs as the input does.");
    for (unsigned i = 0; i < im->nnotes; i++)
        line(e, nowhere, "# %s", im->notes[i]);
    line(e, nowhere, "name: %s", name);
    line(e, nowhere, "description: \"%s input %s, imported by mcasim\"", fmt, base);
    /* the last group happens at ngroups ms; then 1 s for what follows (10 s
     * when only the poller finds an error: Xen's first poll is 8 s after boot) */
    unsigned long long ms = (im->polled ? 10000ull : 1000ull) + im->ngroups;
    line(e, nowhere, "duration: %llums%s", ms, im->polled ? "   # past Xen's first poll, 8 s after boot" : "");
}

static void emit_platform(struct emitter *e, const struct imp *im)
{
    static const struct {
        uint64_t bit;
        const char *name;
    } caps[] = {{MCG_CTL_P, "ctl_p"}, {MCG_CMCI_P, "cmci_p"}, {MCG_TES_P, "tes_p"}, {MCG_SER_P, "ser_p"},
                {MCG_LMCE_P, "lmce_p"}};
    char list[96] = "";
    size_t k = 0;
    for (unsigned i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
        if (im->mcg_cap & caps[i].bit)
            k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%s", k ? ", " : "", caps[i].name);
    line(e, nowhere, "platform:");
    line(e, nowhere, "  hosts:");
    line(e, nowhere, "    - cpus: %u", im->cpus);
    line(e, nowhere, "      banks: %u", im->banks);
    line(e, nowhere, "      mcg_cap: [%s]", list);
    line(e, nowhere, "      cpu: \"%s\"", im->cpu);
    if (im->lmce)
        line(e, nowhere, "      lmce: true");
    if (!im->ndom)
        return;
    line(e, nowhere, "      memory:");
    for (unsigned i = 0; i < im->ndom; i++)
        line(e, nowhere, "        - {start: %#llx, size: %#llx, owner: domain, domain: %u}",
             (unsigned long long)im->dom[i].start, (unsigned long long)im->dom[i].size, im->dom[i].id);
    line(e, nowhere, "domains:");
    line(e, nowhere, "  - {id: 0}");
    for (unsigned i = 0; i < im->ndom; i++)
        if (im->dom[i].id)
            line(e, nowhere, "  - {id: %u, type: hvm}", im->dom[i].id);
}

static const char *const signal_names[] = {[SCN_SIGNAL_AUTO] = NULL, [SCN_SIGNAL_MCE] = "mce",
                                           [SCN_SIGNAL_CMCI] = "cmci", [SCN_SIGNAL_NONE] = "none"};

static void emit_inject(struct emitter *e, const struct imp *im, const struct imp_inject *in)
{
    char keys[256], sym[128];
    size_t k = (size_t)snprintf(keys, sizeof(keys), "cpu: %u, bank: %u, status: %#llx", in->cpu, in->bank,
                                (unsigned long long)in->status);
    if (in->status & MCI_STATUS_ADDRV || in->addr)
        k += (size_t)snprintf(keys + k, sizeof(keys) - k, ", addr: %#llx", (unsigned long long)in->addr);
    if (in->status & MCI_STATUS_MISCV || in->misc)
        k += (size_t)snprintf(keys + k, sizeof(keys) - k, ", misc: %#llx", (unsigned long long)in->misc);
    if (in->has_mcg)
        k += (size_t)snprintf(keys + k, sizeof(keys) - k, ", mcg_status: %#llx", (unsigned long long)in->mcg);
    if (signal_names[in->signal])
        k += (size_t)snprintf(keys + k, sizeof(keys) - k, ", signal: %s", signal_names[in->signal]);
    if (in->no_broadcast)
        k += (size_t)snprintf(keys + k, sizeof(keys) - k, ", broadcast: false");
    if (in->raw)
        k += (size_t)snprintf(keys + k, sizeof(keys) - k, ", raw: true");
    if (in->context >= 0)
        snprintf(keys + k, sizeof(keys) - k, ", context: %s", x86_ctx_name((enum x86_exec_ctx)in->context));
    char base[256];
    quotable(base_name(im->file), base, sizeof(base));
    line(e, in->loc, "  # %s:%u: %s", base, in->loc.line, in->note);
    line(e, in->loc, "  - at: %llums", (unsigned long long)in->group + 1);
    line(e, in->loc, "    inject: {%s}", keys);
    mca_symbol_text(MCA_REG_STATUS, in->status, sym, sizeof(sym));
    line(e, in->loc, "    # status %s", sym);
    if (in->has_mcg) {
        mca_symbol_text(MCA_REG_MCG_STATUS, in->mcg, sym, sizeof(sym));
        line(e, in->loc, "    # MCG_STATUS %s", sym);
    }
}

/* The injections by group, in the order they were added within one (a
 * counting sort: groups are numbered from 0). NULL when memory runs out. */
static unsigned *by_group(const struct imp *im)
{
    unsigned *start = calloc((size_t)im->ngroups + 1, sizeof(*start));
    unsigned *order = malloc(((size_t)im->n + 1) * sizeof(*order));
    if (!start || !order) {
        free(start);
        free(order);
        return NULL;
    }
    for (unsigned i = 0; i < im->n; i++)
        start[im->v[i].group + 1]++;
    for (unsigned g = 0; g < im->ngroups; g++)
        start[g + 1] += start[g];
    for (unsigned i = 0; i < im->n; i++)
        order[start[im->v[i].group]++] = i;
    free(start);
    return order;
}

int imp_emit(const struct imp *im, FILE *out, struct scn_loc **lines, unsigned *nlines)
{
    struct emitter e = {.out = out};
    emit_header(&e, im);
    emit_platform(&e, im);
    if (!im->n)
        line(&e, nowhere, "events: []   # the input injects nothing");
    else
        line(&e, nowhere, "events:");
    unsigned *order = by_group(im);
    if (!order)
        e.oom = 1;
    for (unsigned i = 0; order && i < im->n; i++)
        emit_inject(&e, im, &im->v[order[i]]);
    free(order);
    if (lines) {
        *lines = e.lines;
        *nlines = e.n;
    } else {
        free(e.lines);
    }
    return e.oom ? -1 : 0;
}
