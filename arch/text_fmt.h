/*
 * text_fmt.h - snprintf for the hot paths that format every record's log
 * lines (dom0's mcelog text): the same bytes as the C library's
 * vsnprintf, without its stream machinery, for the conversions those
 * paths use: %s %c %% and d/u/x/X with an optional 0 flag, width and the
 * l/ll/z length modifiers. A format with anything else (precision, '-',
 * '+', '#', floats, ...) is handed to vsnprintf whole, so every format
 * prints what printf would.
 */
#ifndef ARCH_TEXT_FMT_H
#define ARCH_TEXT_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* As vsnprintf: writes at most len bytes (NUL included) and returns the
 * length the whole text has. */
int text_vfmt(char *buf, size_t len, const char *fmt, va_list ap);
int text_fmt(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
