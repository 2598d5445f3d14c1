/*
 * text_fmt.c - printf-identical formatting of the few conversions the hot
 * paths use (text_fmt.h), in one pass; at the first conversion that is
 * not one of them the whole format goes to vsnprintf instead. Output past
 * len is counted, not written, as vsnprintf does.
 */
#include "arch/text_fmt.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct spec {
    bool zero;
    unsigned width;
    unsigned lmod; /* 0 int, 1 long, 2 long long, 3 size_t */
    char conv;
};

/* Parse the conversion after '%' at *p; false when it is not ours. */
static bool parse(const char **p, struct spec *s)
{
    const char *q = *p;
    memset(s, 0, sizeof(*s));
    if (*q == '0') {
        s->zero = true;
        q++;
    }
    while (*q >= '0' && *q <= '9')
        s->width = s->width * 10 + (unsigned)(*q++ - '0');
    if (s->width > 64)
        return false;
    if (*q == 'l') {
        s->lmod = 1;
        if (*++q == 'l') {
            s->lmod = 2;
            q++;
        }
    } else if (*q == 'z') {
        s->lmod = 3;
        q++;
    }
    s->conv = *q;
    switch (*q) {
    case 'd': case 'u': case 'x': case 'X':
        break;
    case 's': case 'c':
        if (s->zero || s->lmod)
            return false;
        break;
    case '%':
        if (s->zero || s->lmod || s->width)
            return false;
        break;
    default:
        return false;
    }
    *p = q + 1;
    return true;
}

struct sink {
    char *buf;
    size_t len, n; /* room (NUL included), bytes of text so far */
};

static void put(struct sink *k, const char *s, size_t m)
{
    if (k->n < k->len) {
        size_t room = k->len - 1 - k->n;
        memcpy(k->buf + k->n, s, m < room ? m : room);
    }
    k->n += m;
}

static void pad(struct sink *k, char c, size_t m)
{
    char *buf = k->buf;
    size_t n = k->n, room = k->len ? k->len - 1 : 0;
    for (; m; m--, n++)
        if (n < room)
            buf[n] = c;
    k->n = n;
}

static void number(struct sink *k, const struct spec *s, va_list *ap)
{
    bool sign = s->conv == 'd';
    uint64_t v;
    bool neg = false;
    if (sign) {
        long long x = s->lmod == 2 ? va_arg(*ap, long long)
                      : s->lmod == 1 ? va_arg(*ap, long)
                      : s->lmod == 3 ? (long long)va_arg(*ap, size_t)
                                     : va_arg(*ap, int);
        neg = x < 0;
        v = neg ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    } else {
        v = s->lmod == 2 ? va_arg(*ap, unsigned long long)
            : s->lmod == 1 ? va_arg(*ap, unsigned long)
            : s->lmod == 3 ? va_arg(*ap, size_t)
                           : va_arg(*ap, unsigned);
    }
    char tmp[24], *e = tmp + sizeof(tmp), *d = e;
    const char *digits = s->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned base = s->conv == 'x' || s->conv == 'X' ? 16 : 10;
    do {
        *--d = digits[v % base];
        v /= base;
    } while (v);
    size_t m = (size_t)(e - d) + neg;
    size_t fill = s->width > m ? s->width - m : 0;
    if (!s->zero)
        pad(k, ' ', fill);
    if (neg)
        put(k, "-", 1);
    if (s->zero)
        pad(k, '0', fill);
    put(k, d, (size_t)(e - d));
}

/* Text between conversions, a byte at a time: the hot formats are short. */
static const char *literal(struct sink *k, const char *f)
{
    /* locals: a store through the char buffer could alias k->n */
    char *buf = k->buf;
    size_t n = k->n, room = k->len ? k->len - 1 : 0;
    for (; *f && *f != '%'; f++, n++)
        if (n < room)
            buf[n] = *f;
    k->n = n;
    return f;
}

int text_vfmt(char *buf, size_t len, const char *fmt, va_list ap)
{
    struct sink k = {buf, len, 0};
    va_list a;
    va_copy(a, ap);
    for (const char *f = literal(&k, fmt); *f; f = literal(&k, f)) {
        f++;
        struct spec s;
        if (!parse(&f, &s)) { /* not ours: the C library, from the start */
            va_end(a);
            return vsnprintf(buf, len, fmt, ap);
        }
        if (s.conv == '%') {
            put(&k, "%", 1);
        } else if (s.conv == 'c') {
            char c = (char)va_arg(a, int);
            pad(&k, ' ', s.width > 1 ? s.width - 1 : 0);
            put(&k, &c, 1);
        } else if (s.conv == 's') {
            const char *str = va_arg(a, const char *);
            if (!str)
                str = "(null)";
            size_t m = strlen(str);
            pad(&k, ' ', s.width > m ? s.width - m : 0);
            put(&k, str, m);
        } else {
            number(&k, &s, &a);
        }
    }
    va_end(a);
    if (len)
        buf[k.n < len ? k.n : len - 1] = 0;
    return (int)k.n;
}

int text_fmt(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = text_vfmt(buf, len, fmt, ap);
    va_end(ap);
    return n;
}
