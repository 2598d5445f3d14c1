/*
 * rtime.h - real time of a run (docs/TIME.md): the host's epoch (the sum
 * of its rebases) plus SystemC's clock, in ps. A real-rate year is
 * 3.16e19 ps, beyond uint64_t's 1.84e19 (213 days), so real times are
 * 128-bit; a time within one stretch (SystemC's clock, a period, a
 * latency) stays uint64_t. rtime_str prints the decimal digits %llu would
 * print for any value below 2^64, so a run that never passes 2^64 ps
 * prints what it printed with 64-bit stamps.
 */
#ifndef ARCH_RTIME_H
#define ARCH_RTIME_H

#include <stdint.h>

typedef unsigned __int128 rtime_t;

/* 2^128 - 1 has 39 digits. */
#define RTIME_STR_LEN 40

/* t in decimal into buf (RTIME_STR_LEN bytes); returns buf. */
static inline const char *rtime_str(char buf[RTIME_STR_LEN], rtime_t t)
{
    char tmp[RTIME_STR_LEN];
    unsigned n = 0, i = 0;
    do {
        tmp[n++] = (char)('0' + (unsigned)(t % 10));
        t /= 10;
    } while (t);
    while (n)
        buf[i++] = tmp[--n];
    buf[i] = '\0';
    return buf;
}

#endif
