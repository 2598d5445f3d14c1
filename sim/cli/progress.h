/* progress.h - progress of `mcasim run` on stderr: a bar with the time
 * left on a terminal, a line every few seconds in a log, nothing with -q. */
#ifndef SIM_CLI_PROGRESS_H
#define SIM_CLI_PROGRESS_H

#include <time.h>

#define PROGRESS_PERIOD_S 5.0

enum progress_mode { PROGRESS_OFF = 0, PROGRESS_BAR, PROGRESS_LINES };

struct progress {
    enum progress_mode mode;
    int n, done, failed;
    double start, last; /* CLOCK_MONOTONIC seconds */
    double period;      /* between two lines in a log */
};

/* The mode follows quiet, whether stderr is a terminal, and $CI. */
void progress_init(struct progress *p, int quiet, int n);
/* A run finished. */
void progress_done(struct progress *p, int passed, const char *label);
/* Called now and then while runs go on: prints a line when one is due. */
void progress_tick(struct progress *p);
void progress_end(struct progress *p);

#endif
