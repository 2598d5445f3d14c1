/*
 * report_axes.c - numbers and axes that the plot kinds share: nanoseconds
 * to microseconds, when an axis is logarithmic (its values span two
 * decades or more), round tic steps, and the tic label of a run.
 */
#include "reports/report_plot_int.h"

#include <math.h>
#include <string.h>

#define LOG_RATIO 100.0    /* max / min positive >= this: log axis */

/* ---- numbers and axes ---- */

double rp_us(double ns)
{
    return ns / 1000.0;
}

/* Smallest value > 0 of ascending values, 0 when none. */
double rp_min_positive(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] > 0)
            return v[i];
    return 0;
}

int rp_wants_log(double min_pos, double max)
{
    return min_pos > 0 && max / min_pos >= LOG_RATIO;
}

double rp_decade_below(double v)
{
    return pow(10.0, floor(log10(v)));
}

/* 1, 2, 2.5 or 5 times a power of ten, at least raw. */
double rp_nice_step(double raw)
{
    static const double steps[] = {1, 2, 2.5, 5, 10};
    double e = rp_decade_below(raw);
    for (unsigned i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (raw <= steps[i] * e * (1 + 1e-9))
            return steps[i] * e;
    return 10 * e;
}

/* Whether params already say cpus=N, as a sweep over cpus does. */
static int params_say_cpus(const char *params, uint32_t cpus)
{
    char want[24];
    size_t k = (size_t)snprintf(want, sizeof(want), "cpus=%u", cpus);
    for (const char *p = params; *p;) {
        size_t len = strcspn(p, ";");
        if (len == k && !strncmp(p, want, k))
            return 1;
        p += len + (p[len] == ';');
    }
    return 0;
}

/* "scenario [params] (N cpus)": one run of the results. */
void rp_run_label(const struct report *r, uint32_t scenario, uint32_t params, uint32_t cpus, char *buf,
                      size_t len)
{
    const char *pr = rep_str(r->d, params);
    char host[32] = "";
    if (!params_say_cpus(pr, cpus))
        snprintf(host, sizeof(host), " (%u cpu%s)", cpus, cpus == 1 ? "" : "s");
    snprintf(buf, len, "%s%s%s%s%s", rep_str(r->d, scenario), *pr ? " [" : "", pr, *pr ? "]" : "", host);
}
