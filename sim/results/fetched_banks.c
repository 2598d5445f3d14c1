/*
 * fetched_banks.c - the entries of dom0's /dev/mcelog over a run.
 *
 * Linux's drivers/xen/mcelog.c (convert_log) turns every bank of each
 * record dom0 fetches from Xen into one entry of /dev/mcelog, in fetch
 * order, before it acks the record; mcelog reads them in that order. The
 * list is host by host (each host has its own dom0), each host's records
 * by their first fetch (rr_record.fetched_ps, ties by the order the run
 * recorded them), each record's banks in its order. A record the hv
 * committed but dom0 never fetched is not in it, nor one reserved but
 * never committed.
 */
#include "sim/results/fetched_banks.h"

#include <stdlib.h>

/* A fetched record: its host, its first fetch, its place in the run. */
struct fetched {
    unsigned host;
    rtime_t at_ps;
    unsigned idx;
};

static int by_host_then_fetch(const void *a, const void *b)
{
    const struct fetched *x = a, *y = b;
    if (x->host != y->host)
        return x->host < y->host ? -1 : 1;
    if (x->at_ps != y->at_ps)
        return x->at_ps < y->at_ps ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static unsigned banks_of(const struct rr_record *r)
{
    return r->rec->nbanks < MCA_REC_MAX_BANKS ? r->rec->nbanks : MCA_REC_MAX_BANKS;
}

int fetched_banks(const struct run_result *r, struct fetched_bank **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t nrec = 0, nbanks = 0;
    struct fetched *f = malloc((r->n_records ? r->n_records : 1) * sizeof(*f));
    if (!f)
        return -1;
    for (unsigned i = 0; i < r->n_records; i++)
        if (r->records[i].fetched) {
            f[nrec++] = (struct fetched){r->records[i].host, r->records[i].fetched_ps, i};
            nbanks += banks_of(&r->records[i]);
        }
    qsort(f, nrec, sizeof(*f), by_host_then_fetch);
    struct fetched_bank *e = nbanks ? malloc(nbanks * sizeof(*e)) : NULL;
    if (nbanks && !e) {
        free(f);
        return -1;
    }
    uint64_t index = 0;
    for (size_t i = 0; i < nrec; i++) {
        const struct rr_record *rec = &r->records[f[i].idx];
        if (i && f[i].host != f[i - 1].host)
            index = 0;
        for (unsigned b = 0; b < banks_of(rec); b++)
            e[(*n)++] = (struct fetched_bank){rec->host, rec, b, index++};
    }
    free(f);
    *out = e;
    return 0;
}
