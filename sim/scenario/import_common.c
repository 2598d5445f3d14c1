/*
 * import_common.c - what every importer shares (import_int.h): the
 * default platform of imported files, the list of injections and groups,
 * errors at the input's positions, C numbers and the words of a line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "sim/scenario/import_int.h"

void imp_init(struct imp *im, enum scn_format f, const char *file, struct scn_error *err)
{
    *im = (struct imp){.format = f, .file = file, .err = err, .cpus = 4, .banks = 10,
                       .mcg_cap = MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P, .cpu = "intel:6:0x55"};
}

void imp_free(struct imp *im)
{
    free(im->v);
    im->v = NULL;
    im->n = im->cap = 0;
}

unsigned imp_group(struct imp *im) { return im->ngroups++; }

struct imp_inject *imp_add(struct imp *im, struct scn_loc at, unsigned group)
{
    if (im->n == im->cap) {
        unsigned cap = im->cap ? im->cap * 2 : 16;
        struct imp_inject *v = realloc(im->v, cap * sizeof(*v));
        if (!v) {
            imp_fail(im, at, NULL, "out of memory");
            return NULL;
        }
        im->v = v;
        im->cap = cap;
    }
    struct imp_inject *in = &im->v[im->n++];
    *in = (struct imp_inject){.loc = at, .group = group, .signal = SCN_SIGNAL_AUTO, .context = -1};
    return in;
}

void imp_note(struct imp *im, const char *fmt, ...)
{
    if (im->nnotes == sizeof(im->notes) / sizeof(im->notes[0]))
        return;
    va_list ap;
    char *note = im->notes[im->nnotes++];
    va_start(ap, fmt);
    vsnprintf(note, IMP_NOTE_LEN, fmt, ap);
    va_end(ap);
    for (char *c = note; *c; c++) /* it becomes a YAML comment: one line */
        if ((unsigned char)*c < 0x20)
            *c = '?';
}

int imp_fail(struct imp *im, struct scn_loc at, const char *hint, const char *fmt, ...)
{
    struct scn_error *e = im->err;
    va_list ap;
    e->line = at.line;
    e->col = at.col;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    snprintf(e->hint, sizeof(e->hint), "%s", hint ? hint : "");
    return -1;
}

int imp_check_index(struct imp *im, struct scn_loc at, const char *what, uint64_t v)
{
    bool cpu = !strcmp(what, "CPU");
    uint64_t max = cpu ? 256 : MCA_MAX_BANKS;
    if (v < max)
        return 0;
    return imp_fail(im, at, cpu ? "mcasim models hosts of up to 256 CPUs" : "mcasim models up to 32 banks per CPU",
                    "%s %llu is beyond what mcasim models (%s 0..%llu)", what, (unsigned long long)v,
                    cpu ? "CPUs" : "banks", (unsigned long long)(max - 1));
}

static int digit(char c, unsigned base)
{
    unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                 : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                        : 99;
    return d < base ? (int)d : -1;
}

bool imp_number(const char *s, size_t len, uint64_t *v)
{
    unsigned base = 10;
    size_t i = 0;
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, i = 2;
    else if (len > 1 && s[0] == '0')
        base = 8, i = 1;
    if (i >= len)
        return false;
    uint64_t x = 0;
    for (; i < len; i++) {
        int d = digit(s[i], base);
        if (d < 0 || x > (UINT64_MAX - (unsigned)d) / base)
            return false;
        x = x * base + (unsigned)d;
    }
    *v = x;
    return true;
}

const char *imp_next_line(const char **p)
{
    if (!*p || !**p)
        return NULL;
    const char *line = *p, *nl = strchr(line, '\n');
    *p = nl ? nl + 1 : line + strlen(line);
    return line;
}

int imp_words(struct imp *im, const char *line, unsigned lineno, struct imp_word *w)
{
    int n = 0;
    const char *p = line;
    while (*p && *p != '\n' && *p != '#') {
        if (*p == ' ' || *p == '\t' || *p == '\r') {
            p++;
            continue;
        }
        if (n == IMP_MAX_WORDS)
            return imp_fail(im, (struct scn_loc){lineno, (unsigned)(p - line) + 1}, "put one command on a line",
                            "more than %d words on a line", IMP_MAX_WORDS);
        const char *start = p;
        while (*p && *p != '\n' && *p != ' ' && *p != '\t' && *p != '\r' && *p != '#')
            p++;
        w[n++] = (struct imp_word){start, (size_t)(p - start), (unsigned)(start - line) + 1};
    }
    return n;
}

bool imp_word_is(const struct imp_word *w, const char *s) { return strlen(s) == w->len && !strncmp(w->s, s, w->len); }
