/* Growable text (see text_buf.h). Out of memory is a sticky flag rather
 * than an abort so a writer can report it once, at the end. */
#include "sim/results/text_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tb_put(struct text_buf *b, const char *s, size_t k)
{
    if (b->oom)
        return;
    if (b->n + k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + k + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, k);
    b->n += k;
    b->s[b->n] = 0;
}

void tb_printf(struct text_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (k < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)k < sizeof(small)) {
        tb_put(b, small, (size_t)k);
        return;
    }
    char *big = malloc((size_t)k + 1);
    if (!big) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)k + 1, fmt, ap);
    va_end(ap);
    tb_put(b, big, (size_t)k);
    free(big);
}

const char *tb_text(const struct text_buf *b)
{
    return b->s ? b->s : "";
}

void tb_free(struct text_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof(*b));
}

char *tb_slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    struct text_buf b = {0};
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
        tb_put(&b, chunk, k);
    int bad = ferror(f) || b.oom;
    fclose(f);
    if (bad) {
        tb_free(&b);
        return NULL;
    }
    return b.s ? b.s : strdup("");
}
