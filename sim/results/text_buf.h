/* A growable text buffer and whole-file reading, for the writers that build
 * text before it goes out (report scripts, benchmark scenarios, CLI). */
#ifndef MCASIM_SIM_TEXT_BUF_H
#define MCASIM_SIM_TEXT_BUF_H

#include <stddef.h>

/* Zero-initialise to start; s is NUL-terminated once anything was added. */
struct text_buf {
    char *s;
    size_t n, cap;
    int oom; /* an append failed: the text is incomplete and stays so */
};

void tb_put(struct text_buf *b, const char *s, size_t k);
void tb_printf(struct text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *tb_text(const struct text_buf *b); /* "" when empty */
void tb_free(struct text_buf *b);

/* The whole file as a malloc'd NUL-terminated string; NULL when it cannot
 * be read or memory runs out. */
char *tb_slurp(const char *path);

#endif
