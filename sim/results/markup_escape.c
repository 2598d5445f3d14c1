/*
 * markup_escape.c - text for XML and HTML output (JUnit results, the report
 * index), valid whatever bytes it is given: the four characters that can
 * end an element or an attribute value become entities; control
 * characters XML 1.0 forbids even as references (all below 0x20 but tab,
 * newline and carriage return, and DEL) and bytes that are not UTF-8 are
 * written as the visible text \xNN, so nothing is lost and nothing breaks
 * a parser.
 */
#include "sim/results/markup_escape.h"

#include <stdbool.h>

/* Bytes of the UTF-8 sequence at s (1..4), or 0 when it is not one:
 * overlong forms, surrogates and code points past U+10FFFF are refused. */
static unsigned utf8_len(const unsigned char *s)
{
    static const struct {
        unsigned char lead_lo, lead_hi, next_lo, next_hi;
        unsigned len;
    } forms[] = {
        {0xC2, 0xDF, 0x80, 0xBF, 2}, {0xE0, 0xE0, 0xA0, 0xBF, 3}, {0xE1, 0xEC, 0x80, 0xBF, 3},
        {0xED, 0xED, 0x80, 0x9F, 3}, {0xEE, 0xEF, 0x80, 0xBF, 3}, {0xF0, 0xF0, 0x90, 0xBF, 4},
        {0xF1, 0xF3, 0x80, 0xBF, 4}, {0xF4, 0xF4, 0x80, 0x8F, 4},
    };
    for (unsigned i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        if (s[0] < forms[i].lead_lo || s[0] > forms[i].lead_hi)
            continue;
        if (s[1] < forms[i].next_lo || s[1] > forms[i].next_hi)
            return 0;
        for (unsigned k = 2; k < forms[i].len; k++)
            if (s[k] < 0x80 || s[k] > 0xBF)
                return 0;
        return forms[i].len;
    }
    return 0;
}

static bool forbidden(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F; }

void markup_escape(FILE *f, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (s && *s) {
        unsigned n = *s >= 0x80 ? utf8_len(s) : 1;
        if (n > 1) {
            fwrite(s, 1, n, f);
            s += n;
            continue;
        }
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if (n == 0 || forbidden(*s))
                fprintf(f, "\\x%02X", *s);
            else
                fputc(*s, f);
        }
        s++;
    }
}
