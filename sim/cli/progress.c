/*
 * progress.c - how far `mcasim run` is, on stderr. On a terminal (and
 * not in CI): a bar redrawn as runs finish, with the time left estimated
 * from the mean time per run so far. Otherwise (a CI log, a pipe): one
 * line every PROGRESS_PERIOD_S seconds ($MCASIM_PROGRESS_SECONDS, for
 * tests), so a long job shows it is alive without flooding the log. Wall-clock time appears only here, never in
 * results.
 */
#include "sim/cli/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void progress_init(struct progress *p, int quiet, int n)
{
    const char *period = getenv("MCASIM_PROGRESS_SECONDS");
    *p = (struct progress){.n = n, .start = now_s(), .period = period ? atof(period) : 0};
    if (!(p->period > 0))
        p->period = PROGRESS_PERIOD_S;
    p->last = p->start;
    if (quiet || n <= 0)
        p->mode = PROGRESS_OFF;
    else if (isatty(STDERR_FILENO) && !getenv("CI"))
        p->mode = PROGRESS_BAR;
    else
        p->mode = PROGRESS_LINES;
}

/* "1h02m", "3m05s", "42s" */
static void fmt_secs(char *buf, size_t len, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, len, "%lds", t);
}

static void time_left(const struct progress *p, double now, char *buf, size_t len)
{
    if (!p->done) {
        snprintf(buf, len, "?");
        return;
    }
    fmt_secs(buf, len, (now - p->start) / p->done * (p->n - p->done));
}

static void draw_bar(const struct progress *p, double now, const char *label)
{
    enum { WIDTH = 30 };
    char bar[WIDTH + 1], left[32];
    int fill = p->done * WIDTH / p->n;
    for (int k = 0; k < WIDTH; k++)
        bar[k] = k < fill ? '#' : '.';
    bar[WIDTH] = 0;
    time_left(p, now, left, sizeof(left));
    fprintf(stderr, "\r\033[K[%s] %d/%d, %d failed, %s left  %.40s", bar, p->done, p->n, p->failed, left,
            label ? label : "");
}

static void print_line(struct progress *p, double now)
{
    char took[32], left[32];
    fmt_secs(took, sizeof(took), now - p->start);
    time_left(p, now, left, sizeof(left));
    fprintf(stderr, "mcasim: %d of %d runs done, %d failed, %s elapsed, about %s left\n", p->done, p->n,
            p->failed, took, left);
    p->last = now;
}

void progress_done(struct progress *p, int passed, const char *label)
{
    p->done++;
    p->failed += !passed;
    if (p->mode == PROGRESS_BAR)
        draw_bar(p, now_s(), label);
}

void progress_tick(struct progress *p)
{
    double now = now_s();
    if (p->mode == PROGRESS_LINES && now - p->last >= p->period && p->done < p->n)
        print_line(p, now);
}

void progress_end(struct progress *p)
{
    if (p->mode == PROGRESS_BAR)
        fputs("\r\033[K", stderr);
}
