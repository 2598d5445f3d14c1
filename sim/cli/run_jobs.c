/*
 * run_jobs.c - the runs a command line stands for: every scenario file
 * loaded (all of them, so that every malformed file is reported before
 * anything runs), each sweep expanded into one job per point, with the
 * label and the JUnit class name each run is known by.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli/cli.h"
#include "sim/cli/run.h"
#include "sim/scenario/sweep.h"

/* JUnit's classname: the scenario's folder, its names joined by dots,
 * relative to the current folder when it lies below it
 * ("scenarios/basic/x.yaml" -> "scenarios.basic"; "." and ".." left out);
 * "." for a file here. */
static void classname_of(const char *path, char *out, size_t len)
{
    char cwd[4096], dir[4096];
    const char *p = path;
    if (p[0] == '/' && getcwd(cwd, sizeof(cwd))) {
        size_t n = strlen(cwd);
        if (!strncmp(p, cwd, n) && p[n] == '/')
            p += n + 1;
    }
    snprintf(dir, sizeof(dir), "%s", p);
    char *slash = strrchr(dir, '/');
    size_t k = 0;
    out[0] = 0;
    if (slash) {
        *slash = 0;
        char *save = NULL;
        for (char *part = strtok_r(dir, "/", &save); part && k < len; part = strtok_r(NULL, "/", &save))
            if (strcmp(part, ".") && strcmp(part, ".."))
                k += (size_t)snprintf(out + k, len - k, "%s%s", k ? "." : "", part);
    }
    if (!out[0])
        snprintf(out, len, ".");
}

static struct job *push_job(struct job **jobs, int *n, int *cap)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        struct job *nj = realloc(*jobs, (size_t)*cap * sizeof(*nj));
        if (!nj)
            abort();
        *jobs = nj;
    }
    struct job *j = &(*jobs)[(*n)++];
    memset(j, 0, sizeof(*j));
    return j;
}

/* The jobs of one loaded file (*probe is taken by the first); -1 when a
 * sweep point fails (reported). */
static int expand(const char *file, struct scenario *probe, struct job **jobs, int *n, int *cap)
{
    unsigned long long np = sweep_npoints(probe);
    for (unsigned long long p = 0; p < np; p++) {
        struct job *j = push_job(jobs, n, cap);
        struct scn_error err;
        if (np == 1) {
            j->scn = *probe;
            memset(probe, 0, sizeof(*probe));
        } else if (scenario_load(file, &j->scn, &err) != 0 ||
                   sweep_apply_point(&j->scn, p, j->params, sizeof(j->params), &err) != 0) {
            scn_error_print(&err, stderr);
            scenario_free(&j->scn);
            (*n)--;
            return -1;
        }
        j->point = (unsigned)p;
        if (np == 1)
            snprintf(j->label, sizeof(j->label), "%s", j->scn.name);
        else
            snprintf(j->label, sizeof(j->label), "%s@%llu", j->scn.name, p);
        classname_of(file, j->classname, sizeof(j->classname));
    }
    return 0;
}

int run_build_jobs(char **files, int nfiles, const struct run_opts *o, struct job **out, int *njobs)
{
    struct job *jobs = NULL;
    int n = 0, cap = 0, bad = 0;
    for (int f = 0; f < nfiles; f++) {
        struct scenario probe;
        if (load_scenario_checked(files[f], o->from, o->strict, &probe) != 0) {
            bad++;
            continue;
        }
        bad += expand(files[f], &probe, &jobs, &n, &cap) != 0;
        scenario_free(&probe);
    }
    *out = jobs;
    *njobs = n;
    return bad;
}

void run_free_jobs(struct job *jobs, int n)
{
    for (int i = 0; i < n; i++) {
        scenario_free(&jobs[i].scn);
        free(jobs[i].res.failures);
    }
    free(jobs);
}
