/* results_json.c - write a run's results and verdict as one JSON object. */
#include "sim/results/results_json.h"

#include "arch/x86_context.h"
#include "hv/public/mca_names.h"
#include "sim/results/json_out.h"
#include "sim/results/results_csv.h"

#include <stdlib.h>


static void write_summary(FILE *f, const struct run_result *r, unsigned host);

/* The host's PCIe functions (only with a pcie: block, so other runs'
 * results stay as they were). */
static void write_pcie(FILE *f, int *first, const struct rr_host *h)
{
    static const char *const steps[4] = {"error_detected", "mmio_enabled", "slot_reset", "resume"};
    if (!h->npcie)
        return;
    json_key(f, first, "pcie");
    fputc('[', f);
    for (unsigned i = 0; i < h->npcie; i++) {
        const struct rr_pcie_dev *d = &h->pcie[i];
        int k = 1;
        fputs(i ? ",{" : "{", f);
        json_kv_hex(f, &k, "rid", d->rid);
        json_kv_u64(f, &k, "owner", d->owner);
        json_kv_u64(f, &k, "corrected", d->corrected);
        json_kv_u64(f, &k, "nonfatal", d->nonfatal);
        json_kv_u64(f, &k, "fatal", d->fatal);
        json_kv_u64(f, &k, "recovered", d->recovered);
        json_kv_u64(f, &k, "failed", d->failed);
        json_kv_u64(f, &k, "resets", d->resets);
        json_kv_u64(f, &k, "aerfail", d->aerfail);
        for (unsigned s = 0; s < 4; s++)
            json_kv_u64(f, &k, steps[s], d->calls[s]);
        json_kv_hex(f, &k, "ue_status", d->ue_status);
        json_kv_hex(f, &k, "ce_status", d->ce_status);
        fputc('}', f);
    }
    fputc(']', f);
}

/* Firmware-first reporting (error_reporting: firmware-first): the
 * firmware's counts, then the hv's per record type. */
static void write_firmware(FILE *f, int *first, const struct rr_fw *w)
{
    static const char *const type_key[FW_TYPE__COUNT] = {[FW_TYPE_CMC] = "cmc", [FW_TYPE_CPE] = "cpe",
                                                        [FW_TYPE_GHES] = "ghes"};
    json_key(f, first, "firmware");
    int k = 1;
    fputc('{', f);
    json_kv_u64(f, &k, "logged", w->logged);
    json_kv_u64(f, &k, "lost", w->lost);
    json_kv_u64(f, &k, "pending", w->held);
    json_kv_u64(f, &k, "ipis", w->hv.ipis);
    json_kv_u64(f, &k, "refused", w->hv.refused);
    for (unsigned t = 0; t < FW_TYPE__COUNT; t++) {
        json_key(f, &k, type_key[t]);
        int j = 1;
        fputc('{', f);
        json_kv_u64(f, &j, "interrupts", w->hv.interrupts[t]);
        json_kv_u64(f, &j, "masked", w->hv.masked[t]);
        json_kv_u64(f, &j, "queued", w->hv.queued[t]);
        json_kv_u64(f, &j, "polled", w->hv.polled[t]);
        json_kv_u64(f, &j, "overflow", w->hv.overflow[t]);
        json_kv_u64(f, &j, "injected", w->hv.injected[t]);
        json_kv_u64(f, &j, "read", w->hv.read[t]);
        json_kv_u64(f, &j, "delivered", w->hv.cleared[t]);
        json_kv_u64(f, &j, "storms", w->hv.storms[t]);
        json_kv_u64(f, &j, "returns", w->hv.returns[t]);
        json_kv_u64(f, &j, "polls", w->hv.polls[t]);
        fputc('}', f);
    }
    json_kv_u64(f, &k, "ghes_memory_errors", w->hv.ghes_memerr);
    json_kv_u64(f, &k, "ghes_fatal", w->hv.ghes_fatal);
    json_kv_u64(f, &k, "ghes_corrected", w->hv.ghes_corrected);
    json_kv_u64(f, &k, "ghes_no_address", w->hv.ghes_no_addr);
    fputc('}', f);
}

static void write_fault_truth(FILE *f, int *first, const struct rr_host *h);

static void write_host(FILE *f, const struct run_result *r, unsigned host)
{
    const struct rr_host *h = &r->hosts[host];
    int first = 1;
    fputc('{', f);
    json_kv_str(f, &first, "name", h->name);
    json_kv_str(f, &first, "outcome", scn_outcome_name(h->outcome));
    json_kv_str(f, &first, "reason", h->reason);
    json_key(f, &first, "summary");
    write_summary(f, r, host);
    json_key(f, &first, "telemetry");
    int t = 1;
    fputc('{', f);
    json_kv_u64(f, &t, "reserved", h->telem.reserved);
    json_kv_u64(f, &t, "committed", h->telem.committed);
    json_kv_u64(f, &t, "dismissed", h->telem.dismissed);
    json_kv_u64(f, &t, "fetched", h->telem.fetched);
    json_kv_u64(f, &t, "acked", h->telem.acked);
    json_kv_u64(f, &t, "dropped_urgent", h->telem.dropped[TELEM_URGENT]);
    json_kv_u64(f, &t, "dropped_nonurgent", h->telem.dropped[TELEM_NONURGENT]);
    json_kv_u64(f, &t, "undelivered", h->undelivered);
    fputc('}', f);
    json_key(f, &first, "hv");
    t = 1;
    fputc('{', f);
    json_kv_u64(f, &t, "machine_checks", h->stats.mce);
    json_kv_u64(f, &t, "cmcis", h->stats.cmci);
    json_kv_u64(f, &t, "polls", h->stats.polls);
    json_kv_u64(f, &t, "softirqs", h->stats.softirqs);
    json_kv_u64(f, &t, "banks_logged", h->stats.banks_logged);
    json_kv_u64(f, &t, "virqs", h->stats.virqs);
    json_kv_u64(f, &t, "hypercalls", h->stats.hypercalls);
    json_kv_u64(f, &t, "hypercall_errors", h->stats.hypercall_errors);
    json_kv_u64(f, &t, "recovered", h->stats.recovered);
    json_kv_u64(f, &t, "tainted", h->stats.tainted);
    json_kv_u64(f, &t, "resets", h->stats.resets);
    fputc('}', f);
    if (h->has_memory) {
        const struct memctl_ledger *m = &h->memory;
        json_key(f, &first, "memory");
        int k = 1;
        fputc('{', f);
        json_kv_u64(f, &k, "faults", h->memory_faults);
        json_kv_u64(f, &k, "reads", m->reads);
        json_kv_u64(f, &k, "writes", m->writes);
        json_kv_u64(f, &k, "scrub_visits", m->scrub_visits);
        json_kv_u64(f, &k, "corrected", m->ce);
        json_kv_u64(f, &k, "uncorrectable", m->uc);
        json_kv_u64(f, &k, "silent_corruption", m->sdc);
        json_kv_u64(f, &k, "miscorrected", m->miscorrected);
        json_kv_u64(f, &k, "undetected", m->undetected);
        json_kv_u64(f, &k, "scrub_miscorrected", m->scrub_miscorrected);
        json_kv_u64(f, &k, "scrub_found", m->scrub_found);
        json_kv_u64(f, &k, "demand_found", m->demand_found);
        json_kv_u64(f, &k, "poison_consumed", m->poison_consumed);
        json_kv_u64(f, &k, "folded", m->folded);
        write_fault_truth(f, &k, h);
        fputc('}', f);
    }
    if (h->fw.on)
        write_firmware(f, &first, &h->fw);
    json_key(f, &first, "cmci");
    fputc('[', f);
    for (unsigned i = 0; h->cmci && i < h->ncpus; i++) {
        int k = 1;
        fputs(i ? ",{" : "{", f);
        json_kv_u64(f, &k, "cpu", i);
        json_kv_bool(f, &k, "in_storm", h->cmci[i].in_storm);
        json_kv_bool(f, &k, "cmci_enabled", h->cmci[i].cmci_enabled);
        json_kv_u64(f, &k, "storms", h->cmci[i].storms);
        json_kv_u64(f, &k, "poll_interval_ps", h->cmci[i].poll_interval_ps);
        fputc('}', f);
    }
    fputc(']', f);
    json_key(f, &first, "domains");
    fputc('[', f);
    for (unsigned i = 0; i < h->ndomains; i++) {
        const struct rr_domain *d = &h->domains[i];
        int k = 1;
        fputs(i ? ",{" : "{", f);
        json_kv_u64(f, &k, "id", d->id);
        json_kv_str(f, &k, "type", dom_type_name((enum dom_type)d->type));
        json_kv_str(f, &k, "state", dom_state_name((enum dom_state)d->state));
        json_kv_str(f, &k, "reason", d->reason);
        json_kv_u64(f, &k, "vmce_injected", d->vmce_injected);
        json_kv_u64(f, &k, "guest_machine_checks", d->guest_mces);
        json_kv_u64(f, &k, "msr_exits", d->msr_exits);
        json_kv_u64(f, &k, "processes_killed", d->processes_killed);
        json_kv_u64(f, &k, "pages_retired", d->pages_retired);
        json_kv_u64(f, &k, "broken_frames", d->nbroken);
        fputc('}', f);
    }
    fputc(']', f);
    json_key(f, &first, "pages");
    fputc('[', f);
    for (unsigned i = 0; i < h->npages; i++) {
        int p = 1;
        fputs(i ? ",{" : "{", f);
        json_kv_hex(f, &p, "mfn", h->pages[i].mfn);
        json_kv_str(f, &p, "state", page_state_name(h->pages[i].state));
        json_kv_bool(f, &p, "broken", h->pages[i].broken);
        fputc('}', f);
    }
    fputc(']', f);
    if (h->pages_total > h->npages) /* bounded results: the rest counted */
        json_kv_u64(f, &first, "pages_unlisted", h->pages_total - h->npages);
    write_pcie(f, &first, h);
    fputc('}', f);
}

static void write_bank(FILE *f, const struct mca_bank_entry *b)
{
    int first = 1;
    fputc('{', f);
    json_kv_u64(f, &first, "bank", b->bank);
    json_kv_hex(f, &first, "status", b->status);
    json_kv_hex(f, &first, "addr", b->addr);
    json_kv_hex(f, &first, "misc", b->misc);
    json_kv_str(f, &first, "class", mca_rec_class_name(b->cls));
    json_kv_str(f, &first, "rule", b->rule);
    if (b->domid != DOMID_NONE) {
        json_kv_u64(f, &first, "domain", b->domid);
        json_kv_hex(f, &first, "gaddr", b->gaddr);
        json_kv_str(f, &first, "action", mca_rec_action_name(b->action));
    }
    fputc('}', f);
}

static void write_record(FILE *f, const struct rr_record *rr)
{
    const struct mca_record *r = rr->rec;
    int first = 1;
    fputc('{', f);
    json_kv_u64(f, &first, "host", rr->host);
    json_kv_u64(f, &first, "id", r->seq);
    json_kv_rtime(f, &first, "time_ps", r->time_ps);
    json_kv_u64(f, &first, "cpu", r->cpu);
    json_kv_hex(f, &first, "flags", r->flags);
    json_kv_hex(f, &first, "mcg_status", r->mcg_status);
    json_kv_str(f, &first, "class", mca_rec_class_name(r->cls));
    json_kv_str(f, &first, "result", mca_rec_result_name(r->result));
    json_kv_str(f, &first, "source", mca_rec_source_name(r->source));
    json_kv_str(f, &first, "context", x86_ctx_name((enum x86_exec_ctx)r->context));
    json_kv_bool(f, &first, "incomplete", (r->flags & MCA_REC_F_INCOMPLETE) != 0);
    if (r->nlost)
        json_kv_u64(f, &first, "banks_lost", r->nlost);
    json_key(f, &first, "banks");
    fputc('[', f);
    for (unsigned i = 0; i < r->nbanks && i < MCA_REC_MAX_BANKS; i++) {
        if (i)
            fputc(',', f);
        write_bank(f, &r->bank[i]);
    }
    fputc(']', f);
    json_kv_bool(f, &first, "committed", rr->committed);
    json_kv_bool(f, &first, "delivered", rr->delivered);
    fputc('}', f);
}

static void write_error(FILE *f, const struct rr_error *e)
{
    int first = 1;
    fputc('{', f);
    json_kv_u64(f, &first, "id", e->id);
    json_kv_rtime(f, &first, "at_ps", e->at_ps);
    json_kv_u64(f, &first, "host", e->host);
    json_kv_u64(f, &first, "cpu", e->cpu);
    json_kv_u64(f, &first, "bank", e->bank);
    json_kv_hex(f, &first, "status", e->status);
    json_kv_str(f, &first, "latch", cpu_latch_kind_name(e->latch));
    json_kv_str(f, &first, "fate", rr_fate_name(e->fate));
    json_kv_str(f, &first, "found_by", rr_found_name((enum rr_found)e->found_by));
    if (e->seq)
        json_kv_u64(f, &first, "record", e->seq);
    json_key(f, &first, "latency_ns");
    int l = 1;
    fputc('{', f);
    for (unsigned s = 0; s < LS__COUNT; s++) {
        uint64_t ps;
        char ns[32];
        if (!lat_stage_ps(&e->times, (enum lat_stage)s, &ps))
            continue;
        results_ns(ns, sizeof(ns), ps);
        json_key(f, &l, lat_stage_name((enum lat_stage)s));
        fputs(ns, f);
    }
    fputs("}}", f);
}

/* A time in ns as a JSON number, null when not reached. */
static void write_opt_ns(FILE *f, int *first, const char *key, const char *ns)
{
    json_key(f, first, key);
    fputs(*ns ? ns : "null", f);
}

static void write_migration(FILE *f, const struct rr_migration *m)
{
    struct results_mig_times t;
    results_mig_times(m, &t);
    int first = 1;
    fputc('{', f);
    json_kv_u64(f, &first, "domain", m->domain);
    json_kv_u64(f, &first, "from", m->from);
    json_kv_u64(f, &first, "to", m->to);
    json_kv_str(f, &first, "outcome", scn_mig_outcome_name(m->outcome));
    json_kv_str(f, &first, "reason", m->reason);
    json_kv_str(f, &first, "case", m->mce_case);
    write_opt_ns(f, &first, "start_ns", t.start);
    write_opt_ns(f, &first, "pause_ns", t.pause);
    write_opt_ns(f, &first, "end_ns", t.end);
    write_opt_ns(f, &first, "downtime_ns", t.downtime);
    json_kv_u64(f, &first, "iterations", m->iterations);
    json_kv_u64(f, &first, "rechecks", m->rechecks);
    json_kv_u64(f, &first, "pages_sent", m->pages_sent);
    json_kv_u64(f, &first, "broken_sent", m->broken_sent);
    json_kv_u64(f, &first, "bytes_sent", m->bytes_sent);
    json_kv_u64(f, &first, "pages_checked", m->pages_checked);
    json_kv_u64(f, &first, "pages_lost", m->pages_lost);
    json_kv_u64(f, &first, "needless_broken", m->needless_broken);
    json_kv_u64(f, &first, "broken_on_target", m->broken_on_target);
    if (m->pages_lost) /* meaningless otherwise */
        json_kv_hex(f, &first, "first_lost_gfn", m->first_lost_gfn);
    fputc('}', f);
}

static const char *const finder_names[] = {
    [MEMCTL_FOUND_NONE] = "none", [MEMCTL_FOUND_SCRUB] = "scrub", [MEMCTL_FOUND_DEMAND] = "demand"};

/* Per DRAM fault: lines it covers, what became of them, who found it. */
static void write_fault_truth(FILE *f, int *first, const struct rr_host *h)
{
    json_key(f, first, "fault_truth");
    fputc('[', f);
    for (unsigned i = 0; h->fault_truth && i < h->nfault_truth; i++) {
        const struct memctl_fault_truth *t = &h->fault_truth[i];
        int k = 1;
        fputs(i ? ",{" : "{", f);
        json_kv_u64(f, &k, "id", t->id);
        json_kv_str(f, &k, "mode", fault_mode_name(t->mode));
        json_kv_bool(f, &k, "permanent", t->permanent);
        json_kv_rtime(f, &k, "arrival_ps", t->arrival_ps);
        json_kv_u64(f, &k, "lines", t->lines);
        json_kv_u64(f, &k, "ce", t->ce);
        json_kv_u64(f, &k, "uc", t->uc);
        json_kv_u64(f, &k, "sdc", t->sdc);
        json_kv_str(f, &k, "found_first_by", t->first_by <= MEMCTL_FOUND_DEMAND ? finder_names[t->first_by] : "?");
        if (t->first_by != MEMCTL_FOUND_NONE)
            json_kv_rtime(f, &k, "found_first_ps", t->first_ps);
        fputc('}', f);
    }
    fputc(']', f);
}

/* p50/p90/p99/max of each stage over the run's errors (nearest rank). */
static void write_latency_summary(FILE *f, const struct run_result *r)
{
    uint64_t *v = calloc(r->n_errors ? r->n_errors : 1, sizeof(*v));
    int first = 1;
    fputc('{', f);
    for (unsigned s = 0; v && s < LS__COUNT; s++) {
        unsigned n = 0;
        for (unsigned i = 0; i < r->n_errors; i++)
            if (lat_stage_ps(&r->errors[i].times, (enum lat_stage)s, &v[n]))
                n++;
        if (!n)
            continue;
        lat_sort(v, n);
        static const unsigned pct[] = {50, 90, 99};
        static const char *const names[] = {"p50", "p90", "p99"};
        json_key(f, &first, lat_stage_name((enum lat_stage)s));
        int k = 1;
        char ns[32];
        fputc('{', f);
        json_kv_u64(f, &k, "n", n);
        for (unsigned j = 0; j < 3; j++) {
            results_ns(ns, sizeof(ns), lat_percentile(v, n, pct[j]));
            json_key(f, &k, names[j]);
            fputs(ns, f);
        }
        results_ns(ns, sizeof(ns), v[n - 1]);
        json_key(f, &k, "max");
        fputs(ns, f);
        fputc('}', f);
    }
    fputc('}', f);
    free(v);
}

/* Ground truth per host: what was injected, detected, logged, recovered,
 * dropped or lost (DESIGN.md "Outcomes are ground truth"). */
static void write_summary(FILE *f, const struct run_result *r, unsigned host)
{
    unsigned long long injected = 0, fates[FATE__COUNT] = {0}, cls[MCA_REC__COUNT] = {0};
    unsigned long long recovered = 0, tainted = 0, offlined = 0, pending = 0;
    for (unsigned i = 0; i < r->n_errors; i++)
        if (r->errors[i].host == host) {
            injected++;
            fates[r->errors[i].fate]++;
        }
    /* errors folded into a bank's entry, kept as counts (run_result.h) */
    injected += r->hosts[host].errors_counted + r->hosts[host].errors_overflowed;
    fates[FATE_COUNTED] += r->hosts[host].errors_counted;
    fates[FATE_OVERWRITTEN] += r->hosts[host].errors_overflowed;
    for (unsigned i = 0; i < r->n_records; i++) {
        const struct mca_record *m = r->records[i].rec;
        if (r->records[i].host != host)
            continue;
        if (m->cls < MCA_REC__COUNT)
            cls[m->cls]++;
        recovered += m->result == MCA_RES_RECOVERED;
        tainted += m->result == MCA_RES_CONTINUE;
    }
    const struct rr_host *h = &r->hosts[host];
    /* and those bounded results folded into counts */
    injected += h->folded_errors;
    for (unsigned k = 0; k < FATE__COUNT; k++)
        fates[k] += h->folded_fate[k];
    for (unsigned c = 0; c < MCA_REC__COUNT; c++)
        cls[c] += h->folded_cls[c];
    recovered += h->folded_recovered;
    tainted += h->folded_tainted;
    offlined += h->pages_offlined;
    pending += h->pages_pending;
    int first = 1;
    fputc('{', f);
    json_kv_u64(f, &first, "injected", injected);
    json_key(f, &first, "records_by_class");
    int d = 1;
    fputc('{', f);
    for (unsigned c = MCA_REC_CORRECTED; c < MCA_REC__COUNT; c++)
        json_kv_u64(f, &d, mca_rec_class_name(c), cls[c]);
    fputc('}', f);
    json_key(f, &first, "fates");
    d = 1;
    fputc('{', f);
    for (unsigned k = 0; k < FATE__COUNT; k++)
        json_kv_u64(f, &d, rr_fate_name((enum rr_fate)k), fates[k]);
    fputc('}', f);
    json_kv_u64(f, &first, "recovered", recovered);
    json_kv_u64(f, &first, "tainted", tainted);
    json_kv_u64(f, &first, "pages_offlined", offlined);
    json_kv_u64(f, &first, "pages_pending", pending);
    fputc('}', f);
}

typedef void (*item_fn)(FILE *f, const struct run_result *r, unsigned i);

static void write_host_at(FILE *f, const struct run_result *r, unsigned i) { write_host(f, r, i); }
static void write_record_at(FILE *f, const struct run_result *r, unsigned i) { write_record(f, &r->records[i]); }
static void write_error_at(FILE *f, const struct run_result *r, unsigned i) { write_error(f, &r->errors[i]); }
static void write_migration_at(FILE *f, const struct run_result *r, unsigned i)
{
    write_migration(f, &r->migrations[i]);
}

static void write_array(FILE *f, int *first, const char *key, const struct run_result *r, unsigned n,
                        item_fn fn)
{
    json_key(f, first, key);
    fputc('[', f);
    for (unsigned i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        fn(f, r, i);
    }
    fputc(']', f);
}

void results_write_json(FILE *f, const struct run_result *r, const struct expect_report *rep)
{
    int first = 1;
    fputc('{', f);
    json_kv_str(f, &first, "scenario", r->scn->name);
    json_kv_str(f, &first, "file", r->scn->path);
    json_kv_u64(f, &first, "seed", r->seed);
    json_kv_bool(f, &first, "passed", rep->n == 0);
    json_kv_u64(f, &first, "expectations", rep->checked);
    json_kv_rtime(f, &first, "end_ps", r->end_ps);
    json_kv_u64(f, &first, "trace_events", r->nevents);
    json_key(f, &first, "latency_ns");
    write_latency_summary(f, r);
    write_array(f, &first, "hosts", r, r->nhosts, write_host_at);
    write_array(f, &first, "records", r, r->n_records, write_record_at);
    write_array(f, &first, "errors", r, r->n_errors, write_error_at);
    write_array(f, &first, "migrations", r, r->n_migrations, write_migration_at);
    json_key(f, &first, "failures");
    fputc('[', f);
    for (unsigned i = 0; i < rep->n; i++) {
        int k = 1;
        fputs(i ? ",{" : "{", f);
        json_kv_u64(f, &k, "line", rep->v[i].loc.line);
        json_kv_u64(f, &k, "col", rep->v[i].loc.col);
        json_kv_str(f, &k, "message", rep->v[i].msg);
        fputc('}', f);
    }
    fputs("]}", f);
}
