/*
 * run_worker.c - one run, in a worker process: open the run's own outputs
 * (trace, Perfetto, VCD), simulate, check the expectations, write the
 * run's outputs made from its record (mcelog, console, rasdaemon), and
 * write the pieces the parent assembles into the files it opened for them
 * (run_store.c): the JSON object (with the run's point, parameters and the
 * mcasim version and commit), the summary, and its rows of each CSV.
 *
 * The summary is PASS|FAIL, the outcome, the reason, then one failure per
 * line; run_read_summary() reads it back in the parent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli/run.h"
#include "sim/results/expect.h"
#include "sim/results/json_out.h"
#include "sim/results/results_csv.h"
#include "sim/results/results_json.h"
#include "sim/runtime/simulate.h"

/* The run's JSON object, its identity added at the end: the sweep point,
 * its parameters, and the binary that made it. */
static void write_json(FILE *f, const struct job *j, const struct run_result *r, const struct expect_report *rep)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return;
    results_write_json(m, r, rep);
    fclose(m);
    if (len && text[len - 1] == '}')
        text[--len] = 0;
    fputs(text, f);
    free(text);
    run_json_identity(f, j, 1);
    fputc('}', f);
}

void run_json_identity(FILE *f, const struct job *j, int completed)
{
    int first = 0;
    json_kv_u64(f, &first, "point", j->point);
    json_kv_str(f, &first, "params", j->params);
    json_kv_bool(f, &first, "completed", completed);
    json_kv_str(f, &first, "mcasim_version", mcasim_version());
    json_kv_str(f, &first, "mcasim_commit", mcasim_commit());
}

/* The pieces the outputs read, each where the parent opened a file for it
 * (run_pieces_wanted): the summary always. */
static void write_pieces(FILE *out[W__COUNT], struct job *j, const struct run_result *r)
{
    struct expect_report rep;
    expect_check(&j->scn, r, &rep);
    if (out[W_JSON])
        write_json(out[W_JSON], j, r, &rep);
    if (out[W_LAT])
        results_csv_latency(out[W_LAT], r, j->point, j->params);
    if (out[W_PT])
        results_csv_point(out[W_PT], r, j->point, j->params, &rep);
    if (out[W_MIG])
        results_csv_migration(out[W_MIG], r, j->point, j->params);
    const struct rr_host *h0 = &r->hosts[0];
    fprintf(out[W_SUM], "%s\n%s\n%s\n", rep.n ? "FAIL" : "PASS", scn_outcome_name(h0->outcome), h0->reason);
    for (unsigned k = 0; k < rep.n; k++)
        fprintf(out[W_SUM], "%s:%u:%u: %s\n", j->scn.path, rep.v[k].loc.line, rep.v[k].loc.col, rep.v[k].msg);
    expect_report_free(&rep);
}

/* The run's streamed outputs; -1 when one cannot be opened (reported). */
static int open_streams(const struct run_opts *o, int many, const struct job *j, struct sim_outputs *so,
                        char vcd[4096])
{
    for (int i = 0; i < OUT__COUNT; i++) {
        const struct run_output *r = run_output((enum run_out)i);
        if (!o->out[i] || r->feed == FEED_PARENT || r->feed == FEED_RECORD)
            continue;
        char path[4096];
        run_output_path(o, (enum run_out)i, many, j->label, path, sizeof(path));
        if (r->feed == FEED_PATH) {
            snprintf(vcd, 4096, "%s", path);
            *(const char **)((char *)so + r->sim_field) = vcd;
            continue;
        }
        FILE *f = fopen(path, "w");
        if (!f) {
            fprintf(stderr, "mcasim run: --%s: cannot write %s\n", r->option, path);
            return -1;
        }
        *(FILE **)((char *)so + r->sim_field) = f;
    }
    return 0;
}

/* The outputs made from the run's record once it is over (FEED_RECORD):
 * mcelog's text, the console, rasdaemon's database. -1 when one failed
 * (its writer said why). */
static int write_from_record(const struct run_opts *o, int many, const struct job *j, const struct run_result *r)
{
    int bad = 0;
    for (int i = 0; i < OUT__COUNT; i++) {
        const struct run_output *out = run_output((enum run_out)i);
        if (!o->out[i] || out->feed != FEED_RECORD)
            continue;
        char path[4096];
        run_output_path(o, (enum run_out)i, many, j->label, path, sizeof(path));
        bad |= out->write(path, r) != 0;
    }
    return bad ? -1 : 0;
}

static int close_streams(const struct run_opts *o, struct sim_outputs *so)
{
    int bad = 0;
    for (int i = 0; i < OUT__COUNT; i++) {
        const struct run_output *r = run_output((enum run_out)i);
        FILE **f = (FILE **)((char *)so + r->sim_field);
        if (o->out[i] && r->feed == FEED_STREAM && *f)
            bad |= fclose(*f) != 0;
    }
    return bad ? -1 : 0;
}

int run_worker(const struct run_opts *o, int many, struct job *j, const int fds[W__COUNT])
{
    char vcd[4096];
    FILE *out[W__COUNT] = {0};
    int rc = WORKER_OK;
    for (int k = 0; k < W__COUNT; k++)
        if (fds[k] >= 0 && !(out[k] = fdopen(fds[k], "w")))
            rc = WORKER_OUTPUT;
    struct sim_outputs so = {.keep = o->keep};
    if (rc == WORKER_OK && open_streams(o, many, j, &so, vcd) != 0)
        rc = WORKER_OUTPUT;
    if (rc == WORKER_OK) {
        struct run_result r;
        j->scn.seed = o->have_seed ? o->seed : j->scn.seed; /* every random stream derives from it */
        int sim = sim_run(&j->scn, j->scn.seed, &so, &r);
        if (sim == 0)
            write_pieces(out, j, &r);
        rc = sim == 0 ? WORKER_OK : sim == SIM_ERR_OUTPUT ? WORKER_OUTPUT : WORKER_SIM_FAILED;
        if (sim == 0 && write_from_record(o, many, j, &r) != 0)
            rc = WORKER_OUTPUT;
        rr_free(&r);
    }
    if (close_streams(o, &so) != 0)
        rc = WORKER_OUTPUT;
    for (int k = 0; k < W__COUNT; k++)
        if (out[k] && fclose(out[k]) != 0)
            rc = WORKER_OUTPUT;
    return rc;
}

/* Next line of *p (which advances), or NULL at the end; keeps empty lines. */
static char *next_line(char **p)
{
    if (!*p || !**p)
        return NULL;
    char *line = *p, *nl = strchr(line, '\n');
    if (nl) {
        *nl = 0;
        *p = nl + 1;
    } else {
        *p = line + strlen(line);
    }
    return line;
}

void run_read_summary(char *text, struct job *j)
{
    struct outcome *res = &j->res;
    char *p = text, *line;
    if (!text || !(line = next_line(&p)))
        return;
    res->end = END_DONE;
    res->passed = !strcmp(line, "PASS");
    if ((line = next_line(&p)))
        snprintf(res->outcome, sizeof(res->outcome), "%s", line);
    if ((line = next_line(&p)))
        snprintf(res->reason, sizeof(res->reason), "%s", line);
    if (*p) {
        res->failures = strdup(p);
        for (char *q = res->failures; q && *q; q++)
            res->nfail += *q == '\n';
    }
}
