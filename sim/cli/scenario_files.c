/* scenario_files.c - find scenario files under the paths given on the
 * command line, in a stable (sorted) order. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/cli/cli.h"

struct list {
    char **v;
    int n, cap;
};

static int push(struct list *l, const char *s)
{
    if (l->n == l->cap) {
        int c = l->cap ? l->cap * 2 : 32;
        char **v = realloc(l->v, (size_t)c * sizeof(*v));
        if (!v)
            return -1;
        l->v = v;
        l->cap = c;
    }
    l->v[l->n] = strdup(s);
    return l->v[l->n++] ? 0 : -1;
}


static int walk(const char *dir, struct list *l)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "mcasim: cannot open %s\n", dir);
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            rc = walk(path, l);
        else if (scn_format_file_name(e->d_name))
            rc = push(l, path);
    }
    closedir(d);
    return rc;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int collect_scenarios(char **paths, int npaths, char ***out)
{
    struct list l = {0};
    for (int i = 0; i < npaths; i++) {
        struct stat st;
        char p[4096];
        snprintf(p, sizeof(p), "%s", paths[i]);
        size_t n = strlen(p);
        while (n > 1 && p[n - 1] == '/')
            p[--n] = 0;
        if (stat(p, &st) != 0) {
            fprintf(stderr, "mcasim: %s: no such file or folder\n", p);
            free_scenarios(l.v, l.n);
            return -1;
        }
        int rc = S_ISDIR(st.st_mode) ? walk(p, &l) : push(&l, p);
        if (rc) {
            free_scenarios(l.v, l.n);
            return -1;
        }
    }
    qsort(l.v, (size_t)l.n, sizeof(*l.v), cmp);
    *out = l.v;
    return l.n;
}

void free_scenarios(char **files, int n)
{
    for (int i = 0; i < n; i++)
        free(files[i]);
    free(files);
}
