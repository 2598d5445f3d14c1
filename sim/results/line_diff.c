/*
 * line_diff.c - LCS diff and digest of line lists (line_diff.h). The LCS
 * table is (n+1) x (m+1) lengths, filled from the end so the walk goes
 * forward; ties prefer the line of a, so removals print before additions.
 */
#include "sim/results/line_diff.h"

#include <stdlib.h>
#include <string.h>

bool line_diff(const struct ts_lines *a, const struct ts_lines *b, struct ts_lines *out)
{
    size_t n = a->n, m = b->n, w = m + 1;
    unsigned *L = calloc((n + 1) * w, sizeof(*L));
    if (!L)
        abort();
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            L[i * w + j] = !strcmp(a->v[i], b->v[j])               ? L[(i + 1) * w + j + 1] + 1
                           : L[(i + 1) * w + j] >= L[i * w + j + 1] ? L[(i + 1) * w + j]
                                                                    : L[i * w + j + 1];
    bool differ = false;
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && !strcmp(a->v[i], b->v[j])) {
            ts_lines_addf(out, "  %s", a->v[i++]);
            j++;
        } else if (i < n && (j == m || L[(i + 1) * w + j] >= L[i * w + j + 1])) {
            ts_lines_addf(out, "- %s", a->v[i++]);
            differ = true;
        } else {
            ts_lines_addf(out, "+ %s", b->v[j++]);
            differ = true;
        }
    }
    free(L);
    return differ;
}

uint32_t line_digest(const struct ts_lines *l)
{
    uint32_t h = 2166136261u;
    for (unsigned i = 0; i < l->n; i++)
        for (const unsigned char *p = (const unsigned char *)l->v[i];; p++) {
            h = (h ^ (*p ? *p : '\n')) * 16777619u;
            if (!*p)
                break;
        }
    return h;
}
