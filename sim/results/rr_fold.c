/*
 * rr_fold.c - what the run record lends the round fold
 * (sim/runtime/host_fold.cpp, docs/PERFORMANCE.md "Folding repeated
 * rounds"). Only bounded results fold (rr_set_bounded: campaign
 * host-runs): there a round's record and its error end up as counts, and
 * its log lines pass through a ring of the last `keep`, so k rounds more
 * are k times a round's counts. Full results keep an entry per error and
 * record (latency.csv has a row per error): they never fold.
 */
#include "sim/results/run_result.h"

#include "arch/fold_ctr.h"

#include <stdlib.h>
#include <string.h>

size_t rr_fold_counters(struct run_result *r, struct fold_ctr *out, size_t max)
{
    struct rr_summary *m = &r->summary;
    size_t n = 0;
    /* not nevents: trace_events counts the events written (the fold
     * writes one round_fold event for its rounds'), as with skip_quiet */
    for (unsigned s = 0; s < TS__COUNT; s++)
        fold_ctr_push(out, &n, max, FOLD_CTR(r->stage_count[s]));
    fold_ctr_push(out, &n, max, FOLD_CTR(m->records));
    for (unsigned c = 0; c < MCA_REC__COUNT; c++)
        fold_ctr_push(out, &n, max, FOLD_CTR(m->records_class[c]));
    fold_ctr_push(out, &n, max, FOLD_CTR(m->records_fetched));
    fold_ctr_push(out, &n, max, FOLD_CTR(m->next_ord));
    /* errors: a round's are live until a sweep; the fold adds them to the
     * counts itself (rr_fold_add_errors), these only have to hold still
     * (rr_fold_still finds them here) */
    fold_ctr_push(out, &n, max, FOLD_CTR(m->errors));
    for (unsigned f = 0; f < FATE__COUNT; f++)
        fold_ctr_push(out, &n, max, FOLD_CTR(m->errors_fate[f]));
    for (unsigned f = 0; f < FOUND__COUNT; f++)
        fold_ctr_push(out, &n, max, FOLD_CTR(m->errors_found[f]));
    fold_ctr_push(out, &n, max, FOLD_CTR(m->next_error_id));
    for (unsigned w = 0; w < RR_LOG__COUNT; w++) {
        fold_ctr_push(out, &n, max, FOLD_CTR(m->lines[w]));
        fold_ctr_push(out, &n, max, FOLD_CTR(m->lines_seen[w]));
    }
    /* each host's records folded, as the run's (its errors, as the run's,
     * move by rr_fold_add_errors) */
    for (unsigned h = 0; h < r->nhosts; h++) {
        for (unsigned c = 0; c < MCA_REC__COUNT; c++)
            fold_ctr_push(out, &n, max, FOLD_CTR(r->hosts[h].folded_cls[c]));
        fold_ctr_push(out, &n, max, FOLD_CTR(r->hosts[h].folded_recovered));
        fold_ctr_push(out, &n, max, FOLD_CTR(r->hosts[h].folded_tainted));
    }
    return n;
}

size_t rr_fold_still(struct run_result *r, size_t *first)
{
    /* found in the list itself, so the two cannot drift apart */
    struct fold_ctr c[TS__COUNT + MCA_REC__COUNT + FATE__COUNT + FOUND__COUNT + 2 * RR_LOG__COUNT + 8];
    const size_t cap = sizeof(c) / sizeof(c[0]);
    size_t n = rr_fold_counters(r, c, cap);
    if (n > cap)
        n = cap;
    *first = 0;
    while (*first < n && c[*first].p != &r->summary.errors)
        (*first)++;
    return *first < n ? 1 + FATE__COUNT + FOUND__COUNT : 0;
}

/*
 * The first `keep` records and errors stay entries: a round's are counts
 * only once that many exist (record slots and error ids past keep).
 * Each log's ring keeps the last `keep` lines in the places lines_seen
 * gives them: a fold moves lines_seen on by k rounds' lines and leaves the
 * ring as it is, so the round that runs after it must write every place
 * of the ring again (a round of at least keep lines), and the ring must
 * be full already (past the first keep lines, which stay).
 */
bool rr_fold_ok(const struct run_result *r)
{
    const struct rr_summary *m = &r->summary;
    return m->keep && r->n_records >= m->keep && m->next_error_id >= m->keep;
}

bool rr_fold_logs_ok(const struct run_result *r, const uint64_t seen[RR_LOG__COUNT],
                     const uint64_t per_round[RR_LOG__COUNT])
{
    const struct rr_summary *m = &r->summary;
    for (unsigned w = 0; w < RR_LOG__COUNT; w++)
        if (per_round[w] && (per_round[w] < m->keep || seen[w] < 2 * (uint64_t)m->keep))
            return false;
    return true;
}

void rr_fold_add_errors(struct run_result *r, unsigned host, uint64_t k, enum rr_fate fate, enum rr_found found)
{
    struct rr_summary *m = &r->summary;
    const unsigned f = (unsigned)fate < FATE__COUNT ? (unsigned)fate : (unsigned)FATE_LOST;
    m->errors += k;
    m->errors_fate[f] += k;
    m->errors_found[(unsigned)found < FOUND__COUNT ? found : FOUND_INJECTED] += k;
    if (host < r->nhosts) {
        r->hosts[host].folded_errors += k;
        r->hosts[host].folded_fate[f] += k;
    }
}

bool rr_fold_cycle_log_ok(const struct run_result *r, enum rr_log w, uint64_t per, uint64_t dt)
{
    const struct rr_summary *m = &r->summary;
    const uint64_t seen = m->lines_seen[w];
    if (per == 0)
        return true;
    if (!m->keep)
        return false;
    if (per >= m->keep)
        return seen >= 2 * (uint64_t)m->keep; /* the cycle after the fold writes the whole ring again */
    if (seen < 2 * per)
        return false;
    for (uint64_t n = seen - per; n < seen; n++) {
        const struct rr_line *a = rr_log_line(r, w, n - per), *b = rr_log_line(r, w, n);
        if (!a || !b || a->host != b->host || b->t_ps - a->t_ps != (rtime_t)dt || strcmp(a->text, b->text) != 0)
            return false;
    }
    return true;
}

void rr_fold_cycle_log(struct run_result *r, enum rr_log w, uint64_t per, uint64_t k, uint64_t dt)
{
    struct rr_summary *m = &r->summary;
    if (per == 0 || per >= m->keep || k == 0)
        return; /* (a whole ring a cycle: the counters alone) */
    const uint64_t seen = m->lines_seen[w], keep = m->keep, end = seen + k * per;
    struct rr_line *base = calloc(per, sizeof(*base));
    if (!base)
        abort();
    for (uint64_t i = 0; i < per; i++) {
        const struct rr_line *l = rr_log_line(r, w, seen - per + i);
        base[i] = (struct rr_line){l->t_ps, l->host, strdup(l->text)};
        if (!base[i].text)
            abort();
    }
    /* line n (seen <= n < end) is base line (n - seen) % per, m cycles on;
     * only the lines that stay are written, the others counted as the
     * ring would count them */
    for (uint64_t n = seen; n < end;) {
        if (n >= 2 * keep && n + keep < end) {
            const uint64_t skip = end - keep - n;
            m->lines_seen[w] += skip;
            m->lines[w] += skip;
            n += skip;
            continue;
        }
        const uint64_t cyc = (n - seen) / per + 1;
        const struct rr_line *b = &base[(n - seen) % per];
        rr_add_line(r, w, b->t_ps + (rtime_t)(cyc * dt), b->host, b->text);
        n++;
    }
    for (uint64_t i = 0; i < per; i++)
        free(base[i].text);
    free(base);
}
