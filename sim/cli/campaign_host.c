/*
 * campaign_host.c - one host-run of a campaign as a row of outcomes
 * (campaign_run.h), taken from the run's record: what the fleet engineer
 * counts, never hv internals.
 */
#include <stdio.h>

#include "sim/cli/campaign_run.h"

static const char *const metric_names[CM__COUNT] = {
    [CM_GUEST_CRASHES] = "guest_crashes", [CM_HOST_PANICS] = "host_panics", [CM_SDCS] = "sdcs",
    [CM_PAGES_OFFLINED] = "pages_offlined", [CM_STORMS] = "storms", [CM_TELEM_DROPPED] = "telemetry_dropped",
    [CM_CES] = "ces", [CM_UES] = "ues", [CM_RECORDS] = "records",
};

const char *campaign_metric_name(enum campaign_metric m)
{
    return (unsigned)m < CM__COUNT ? metric_names[m] : "?";
}

/* Sum one host's outcomes into v (a campaign host has one host, but a
 * shape may have more: every host counts). */
static void host_metrics(const struct rr_host *h, uint64_t v[CM__COUNT])
{
    for (unsigned d = 0; h->domains && d < h->ndomains; d++)
        v[CM_GUEST_CRASHES] += h->domains[d].state == DOM_CRASHED;
    v[CM_HOST_PANICS] += h->outcome != SCN_OUT_RUNNING;
    if (h->has_memory) {
        v[CM_SDCS] += h->memory.sdc + h->memory.scrub_miscorrected;
        v[CM_CES] += h->memory.ce;
        v[CM_UES] += h->memory.uc;
    }
    v[CM_PAGES_OFFLINED] += h->pages_offlined;
    for (unsigned c = 0; h->cmci && c < h->ncpus; c++)
        v[CM_STORMS] += h->cmci[c].storms;
    v[CM_TELEM_DROPPED] += h->telem.dropped[TELEM_URGENT] + h->telem.dropped[TELEM_NONURGENT];
}

void campaign_row(char *buf, size_t len, const struct campaign *c, unsigned policy, uint64_t host,
                  const struct run_result *r)
{
    uint64_t v[CM__COUNT] = {0};
    for (unsigned i = 0; i < r->nhosts; i++)
        host_metrics(&r->hosts[i], v);
    v[CM_RECORDS] = rr_records_total(r);
    int n = snprintf(buf, len, "%s,%llu,%llu,done,%s", c->policy[policy].name, (unsigned long long)host,
                     (unsigned long long)campaign_host_seed(c->seed, host),
                     scn_outcome_name(r->nhosts ? r->hosts[0].outcome : SCN_OUT_RUNNING));
    for (unsigned m = 0; m < CM__COUNT && n > 0 && (size_t)n < len; m++)
        n += snprintf(buf + n, len - (size_t)n, ",%llu", (unsigned long long)v[m]);
}

void campaign_row_unfinished(char *buf, size_t len, const struct campaign *c, unsigned policy, uint64_t host,
                             const char *status)
{
    int n = snprintf(buf, len, "%s,%llu,%llu,%s,-", c->policy[policy].name, (unsigned long long)host,
                     (unsigned long long)campaign_host_seed(c->seed, host), status);
    for (unsigned m = 0; m < CM__COUNT && n > 0 && (size_t)n < len; m++)
        n += snprintf(buf + n, len - (size_t)n, ",0");
}

static const char *const class_names[MCA_REC__COUNT] = {
    [MCA_REC_NONE] = "none", [MCA_REC_CORRECTED] = "corrected", [MCA_REC_UCNA] = "ucna",
    [MCA_REC_SRAO] = "srao", [MCA_REC_SRAR] = "srar", [MCA_REC_FATAL] = "fatal",
};
static const char *const log_names[RR_LOG__COUNT] = {
    [RR_CONSOLE] = "console", [RR_DOM0_LOG] = "dom0_log", [RR_GUEST_LOG] = "guest_log",
};

void campaign_record_counts(FILE *f, const struct run_result *r)
{
    uint64_t cls[MCA_REC__COUNT], fetched = r->summary.records_fetched;
    rr_records_by_class(r, cls);
    for (unsigned i = 0; i < r->n_records; i++)
        fetched += r->records[i].fetched;
    fprintf(f, "run record: records %llu (summarized %llu), fetched %llu", (unsigned long long)rr_records_total(r),
            (unsigned long long)r->summary.records, (unsigned long long)fetched);
    for (unsigned c = 0; c < MCA_REC__COUNT; c++)
        fprintf(f, ", %s %llu", class_names[c], (unsigned long long)cls[c]);
    uint64_t fate[FATE__COUNT];
    rr_errors_by_fate(r, fate);
    fprintf(f, "; errors %llu (summarized %llu)", (unsigned long long)rr_errors_total(r),
            (unsigned long long)r->summary.errors);
    for (unsigned k = 0; k < FATE__COUNT; k++)
        fprintf(f, ", %s %llu", rr_fate_name((enum rr_fate)k), (unsigned long long)fate[k]);
    for (unsigned w = 0; w < RR_LOG__COUNT; w++)
        fprintf(f, "; %s lines %llu (summarized %llu)", log_names[w],
                (unsigned long long)rr_lines_total(r, (enum rr_log)w), (unsigned long long)r->summary.lines[w]);
    fprintf(f, "\n");
}
