/*
 * run_out_text.c - the text files `mcasim run` writes from a run's record
 * once it is over, in the formats people already read:
 *
 * --mcelog: dom0's mcelog log. Every entry of dom0's /dev/mcelog
 *   (sim/results/fetched_banks.c: a bank of a record dom0 fetched, in
 *   fetch order) as mcelog prints it, by the formatter dom0's own log uses
 *   (guests/dom0/mcelog_decode.c).
 * --console: the hypervisor's console. Each console line as Xen's printk
 *   puts it on the serial line: "(XEN) " and the text
 *   (xen/drivers/char/console.c). Xen prints no timestamp under its
 *   default console_timestamps=none (docs/misc/xen-command-line.pandoc),
 *   and mcasim models no other setting, so there is none here.
 *
 * A run of several hosts has a console and a dom0 per host: each host's
 * part opens with a line "# host N NAME" (N from 0); a one-host run has
 * no such line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guests/dom0/mcelog_decode.h"
#include "sim/cli/run.h"
#include "sim/results/fetched_banks.h"
#include "sim/results/run_result.h"

static FILE *open_out(const char *option, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "mcasim run: --%s %s: cannot write: %s\n", option, path, strerror(errno));
    return f;
}

static int close_out(const char *option, const char *path, FILE *f)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "mcasim run: --%s %s: cannot write: %s\n", option, path, strerror(errno));
        return -1;
    }
    return 0;
}

static void host_header(FILE *f, const struct run_result *r, unsigned host)
{
    if (r->nhosts > 1)
        fprintf(f, "# host %u %s\n", host, r->hosts[host].name);
}

static void put_line(void *arg, const char *line)
{
    fprintf((FILE *)arg, "%s\n", line);
}

int run_write_mcelog(const char *path, const struct run_result *r)
{
    struct fetched_bank *e;
    size_t n;
    if (fetched_banks(r, &e, &n) != 0) {
        fprintf(stderr, "mcasim run: --mcelog %s: out of memory\n", path);
        return -1;
    }
    FILE *f = open_out("mcelog", path);
    if (!f) {
        free(e);
        return -1;
    }
    size_t k = 0;
    for (unsigned h = 0; h < r->nhosts; h++) {
        host_header(f, r, h);
        for (; k < n && e[k].host == h; k++)
            mcelog_format(e[k].rec->rec, e[k].bank, e[k].index, put_line, f);
    }
    free(e);
    return close_out("mcelog", path, f);
}

/* One printk's text, a "(XEN) " before each of its lines. */
static void console_text(FILE *f, const char *text)
{
    for (const char *p = text;;) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        fprintf(f, "(XEN) %.*s\n", len, p);
        if (!nl)
            break;
        p = nl + 1;
    }
}

int run_write_console(const char *path, const struct run_result *r)
{
    FILE *f = open_out("console", path);
    if (!f)
        return -1;
    for (unsigned h = 0; h < r->nhosts; h++) {
        host_header(f, r, h);
        for (unsigned i = 0; i < r->n_console; i++)
            if (r->console[i].host == h)
                console_text(f, r->console[i].text);
    }
    return close_out("console", path, f);
}
