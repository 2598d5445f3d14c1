/*
 * fit_csv.c - FIT values and the CSV form of a user FIT table
 * (fit_csv.h). Rows are read field by field in place; nothing is
 * allocated.
 */
#include "sim/scenario/fit_csv.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "models/memctl/fault_map.h"
#include "sim/scenario/scenario_values.h"

static const char *const value_hint = "a FIT: faults per 10^9 device-hours, a decimal number such as 14.2";

const char *fit_value_parse(const char *text, size_t len, double *out, const char **hint)
{
    *hint = value_hint;
    if (len == 0)
        return "is empty";
    if (text[0] == '-') {
        *hint = "a FIT is 0 or more (0: the mode never happens)";
        return "is negative";
    }
    char buf[64];
    if (len >= sizeof(buf))
        return "is not a number";
    bool digit = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-')
            return "is not a number";
    }
    if (!digit || !((text[0] >= '0' && text[0] <= '9') || text[0] == '.' || text[0] == '+'))
        return "is not a number";
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *end;
    double v = strtod(buf, &end);
    if (*end != '\0')
        return "is not a number";
    if (!isfinite(v) || v > FIT_MAX) {
        *hint = "at most 1e9 FIT (one fault per device-hour); field_rates.scale accelerates a table";
        return "is too large";
    }
    *out = v;
    return NULL;
}

/* One field of a row: [start, end) trimmed, its 1-based column. */
struct cell {
    const char *p;
    size_t n;
    unsigned col;
};

__attribute__((format(printf, 5, 6)))
static int fail(struct fit_csv_error *e, unsigned line, unsigned col, const char *hint, const char *fmt, ...)
{
    va_list ap;
    e->line = line;
    e->col = col;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    snprintf(e->hint, sizeof(e->hint), "%s", hint ? hint : "");
    return -1;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Split [p, p + n) at commas into at most max cells; the count, or max + 1
 * when there are more. Surrounding blanks and one pair of quotes go. */
static unsigned split(const char *p, size_t n, struct cell *c, unsigned max)
{
    unsigned k = 0;
    size_t i = 0;
    for (;;) {
        size_t s = i;
        while (i < n && p[i] != ',')
            i++;
        if (k == max)
            return max + 1;
        size_t a = s, b = i;
        while (a < b && blank(p[a]))
            a++;
        while (b > a && blank(p[b - 1]))
            b--;
        if (b - a >= 2 && p[a] == '"' && p[b - 1] == '"') {
            a++;
            b--;
        }
        c[k++] = (struct cell){p + a, b - a, (unsigned)a + 1};
        if (i == n)
            return k;
        i++;
    }
}

static bool cell_is(const struct cell *c, const char *word)
{
    return c->n == strlen(word) && strncasecmp(c->p, word, c->n) == 0;
}

static const char *mode_name_at(unsigned i)
{
    return fault_mode_name((enum fault_mode)i);
}

static int bad_mode(const struct cell *c, unsigned line, struct fit_csv_error *e)
{
    const char *names[FAULT_MODE__COUNT];
    for (unsigned m = 0; m < FAULT_MODE__COUNT; m++)
        names[m] = mode_name_at(m);
    char word[64], list[256], hint[320];
    snprintf(word, sizeof(word), "%.*s", (int)(c->n < 40 ? c->n : 40), c->p);
    scv_join(list, sizeof(list), names, FAULT_MODE__COUNT);
    int best = scv_closest(word, names, FAULT_MODE__COUNT);
    snprintf(hint, sizeof(hint), "%s%s%sfault modes: %s", best >= 0 ? "did you mean '" : "",
             best >= 0 ? names[best] : "", best >= 0 ? "'? " : "", list);
    if (c->n == 0)
        return fail(e, line, c->col, hint, "the mode is empty");
    return fail(e, line, c->col, hint, "unknown fault mode '%s'", word);
}

static int row(const struct cell *c, unsigned line, struct field_rates *r, unsigned *seen_at,
               struct fit_csv_error *e)
{
    char word[32];
    snprintf(word, sizeof(word), "%.*s", (int)(c[0].n < 31 ? c[0].n : 31), c[0].p);
    int m = c[0].n < 31 && strlen(word) == c[0].n ? fault_mode_from_name(word) : -1;
    if (m < 0)
        return bad_mode(&c[0], line, e);
    if (seen_at[m])
        return fail(e, line, c[0].col, "give each mode one row", "fault mode '%s' is already given on line %u",
                    word, seen_at[m]);
    seen_at[m] = line;
    double v[2];
    static const char *const what[2] = {"transient", "permanent"};
    for (unsigned k = 0; k < 2; k++) {
        const char *hint;
        const char *why = fit_value_parse(c[1 + k].p, c[1 + k].n, &v[k], &hint);
        if (why)
            return fail(e, line, c[1 + k].col, hint, "%s FIT '%.*s' of %s %s", what[k],
                        (int)(c[1 + k].n < 40 ? c[1 + k].n : 40), c[1 + k].p, word, why);
    }
    r->mode[m] = (struct fit_pair){v[0], v[1]};
    return 0;
}

int fit_csv_parse(const char *buf, size_t len, struct field_rates *out, struct fit_csv_error *e)
{
    struct field_rates r;
    memset(&r, 0, sizeof(r));
    memset(e, 0, sizeof(*e));
    unsigned seen_at[FAULT_MODE__COUNT] = {0};
    unsigned line = 0, rows = 0;
    bool first = true;
    const char *format = "rows of mode,transient,permanent (e.g. single-bit,14.2,18.6)";
    for (size_t i = 0; i < len;) {
        line++;
        size_t s = i;
        while (i < len && buf[i] != '\n')
            i++;
        size_t n = i - s;
        if (i < len)
            i++;
        if (n && buf[s + n - 1] == '\r')
            n--;
        size_t a = 0;
        while (a < n && blank(buf[s + a]))
            a++;
        if (a == n || buf[s + a] == '#')
            continue;
        struct cell c[3];
        unsigned k = split(buf + s, n, c, 3);
        bool header = first && k >= 1 && cell_is(&c[0], "mode");
        first = false;
        if (header) {
            if (k != 3 || !cell_is(&c[1], "transient") || !cell_is(&c[2], "permanent"))
                return fail(e, line, 1, "the header, when there is one, is mode,transient,permanent",
                            "the header names other columns");
            continue;
        }
        if (k != 3)
            return fail(e, line, k > 3 ? c[2].col + (unsigned)c[2].n : 1, format, "the row has %s, 3 expected",
                        k > 3 ? "more than 3 fields" : k == 2 ? "2 fields" : "1 field");
        if (row(c, line, &r, seen_at, e) < 0)
            return -1;
        rows++;
    }
    if (!rows)
        return fail(e, line ? line : 1, 1, format, "the file has no FIT row");
    *out = r;
    return 0;
}
