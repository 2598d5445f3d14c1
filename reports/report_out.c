/*
 * report_out.c - the files of a report's output folder: their paths, and
 * opening and closing them so that any failure is said once, on stderr,
 * and marks the report failed (exit 2) instead of leaving a short file.
 */
#include "reports/report_plot_int.h"

#include <errno.h>
#include <string.h>

void rp_out_path(const struct report *r, const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", r->o->out, name);
}

FILE *rp_open_out(struct report *r, const char *name)
{
    char path[4096];
    rp_out_path(r, name, path, sizeof(path));
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "mcasim report: cannot write %s: %s\n", path, strerror(errno));
        r->failed = 1;
    }
    return f;
}

int rp_close_out(struct report *r, FILE *f, const char *name)
{
    if (ferror(f) | fclose(f)) {
        fprintf(stderr, "mcasim report: error writing %s/%s\n", r->o->out, name);
        r->failed = 1;
        return -1;
    }
    return 0;
}
