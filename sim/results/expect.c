/*
 * expect.c - evaluate a scenario's `expect:` block against a run.
 *
 * Each kind of expectation is one function; a failure names the
 * expectation's position in the scenario file and what was seen instead.
 */
#include "sim/results/expect.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/public/mca_names.h"

/* Committed records older than this at the end must have reached dom0. */
#define DELIVERY_GRACE_PS 10000000000ull /* 10 ms */

#define fail expect_fail

void expect_fail(struct expect_report *rep, struct scn_loc loc, const char *fmt, ...)
{
    if (rep->n == rep->cap) {
        unsigned c = rep->cap ? rep->cap * 2 : 8;
        struct expect_failure *v = realloc(rep->v, c * sizeof(*v));
        if (!v)
            abort();
        rep->v = v;
        rep->cap = c;
    }
    struct expect_failure *f = &rep->v[rep->n++];
    f->loc = loc;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
    va_end(ap);
}

void expect_report_free(struct expect_report *rep)
{
    free(rep->v);
    memset(rep, 0, sizeof(*rep));
}


static void check_hosts(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    for (unsigned i = 0; i < s->expect.nhosts; i++) {
        const struct scn_expect_host *e = &s->expect.hosts[i];
        const struct rr_host *h = &r->hosts[e->host];
        rep->checked++;
        if (h->outcome != e->outcome)
            fail(rep, e->loc, "host %s: outcome %s, expected %s (reason: %s)", h->name,
                 scn_outcome_name(h->outcome), scn_outcome_name(e->outcome),
                 h->reason[0] ? h->reason : "none");
        else if (e->reason[0] && !strstr(h->reason, e->reason))
            fail(rep, e->loc, "host %s: reason \"%s\" does not contain \"%s\"", h->name, h->reason,
                 e->reason);
    }
}

/* Does bank entry b hold what e asks? why: the first difference. */
static bool bank_matches(const struct scn_expect_bank *e, const struct mca_bank_entry *b, char *why, size_t len)
{
    if (e->bank >= 0 && (unsigned)e->bank != b->bank)
        return snprintf(why, len, "bank %u", b->bank), false;
    if (e->cls >= 0 && (unsigned)e->cls != b->cls)
        return snprintf(why, len, "bank %u class %s", b->bank, mca_rec_class_name(b->cls)), false;
    if (e->rule[0] && strcmp(e->rule, b->rule) != 0)
        return snprintf(why, len, "bank %u rule \"%s\"", b->bank, b->rule), false;
    if (e->domain >= 0 && (unsigned long long)e->domain != b->domid)
        return snprintf(why, len, "bank %u domain %u", b->bank, b->domid), false;
    if (e->addr >= 0 && (unsigned long long)e->addr != b->addr)
        return snprintf(why, len, "bank %u addr %#llx", b->bank, (unsigned long long)b->addr), false;
    if (e->gaddr >= 0 && (unsigned long long)e->gaddr != b->gaddr)
        return snprintf(why, len, "bank %u gaddr %#llx", b->bank, (unsigned long long)b->gaddr), false;
    if (e->action >= 0 && (unsigned)e->action != b->action)
        return snprintf(why, len, "bank %u action %s", b->bank, mca_rec_action_name(b->action)), false;
    return true;
}

static unsigned rec_nbanks(const struct mca_record *m)
{
    return m->nbanks < MCA_REC_MAX_BANKS ? m->nbanks : MCA_REC_MAX_BANKS;
}

/* The record's banks as "7,8" for messages. */
static void bank_list(const struct mca_record *m, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < rec_nbanks(m) && n + 8 < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%u", i ? "," : "", m->bank[i].bank);
    if (!rec_nbanks(m))
        snprintf(buf, len, "none");
}

static bool banks_match(const struct scn_expect_record *e, const struct mca_record *m, char *why, size_t len)
{
    if (e->has_bank_keys) {
        bool any = false;
        char first[160] = "no banks", w[160];
        for (unsigned i = 0; i < rec_nbanks(m) && !any; i++) {
            any = bank_matches(&e->bank, &m->bank[i], w, sizeof(w));
            if (!any && i == 0)
                snprintf(first, sizeof(first), "%s", w);
        }
        if (!any)
            return snprintf(why, len, "no bank matches (%s)", first), false;
    }
    if (!e->has_banks)
        return true;
    if (rec_nbanks(m) != e->nbanks)
        return snprintf(why, len, "%u bank(s), %u expected", rec_nbanks(m), e->nbanks), false;
    for (unsigned i = 0; i < e->nbanks; i++)
        if (!bank_matches(&e->banks[i], &m->bank[i], why, len))
            return false;
    return true;
}

static bool record_matches(const struct scn_expect_record *e, const struct rr_record *rec,
                           char *why, size_t len)
{
    const struct mca_record *m = rec->rec;
    if (e->host >= 0 && (unsigned)e->host != rec->host)
        return snprintf(why, len, "host %u", rec->host), false;
    if (e->cpu >= 0 && (unsigned)e->cpu != m->cpu)
        return snprintf(why, len, "cpu %u", m->cpu), false;
    if (e->cls >= 0 && (unsigned)e->cls != m->cls)
        return snprintf(why, len, "class %s", mca_rec_class_name((unsigned)m->cls)), false;
    if (e->result >= 0 && (unsigned)e->result != m->result)
        return snprintf(why, len, "result %s", mca_rec_result_name((unsigned)m->result)), false;
    if (e->source >= 0 && (unsigned)e->source != m->source)
        return snprintf(why, len, "source %s", mca_rec_source_name((unsigned)m->source)), false;
    if (e->mcg_status >= 0 && (unsigned long long)e->mcg_status != m->mcg_status)
        return snprintf(why, len, "mcg_status %#llx", (unsigned long long)m->mcg_status), false;
    if (e->incomplete >= 0 && e->incomplete != ((m->flags & MCA_REC_F_INCOMPLETE) != 0))
        return snprintf(why, len, "%scomplete", e->incomplete ? "" : "in"), false;
    return banks_match(e, m, why, len);
}

static void check_records(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    if (!s->expect.has_records)
        return;
    rep->checked++;
    if (r->n_records != s->expect.nrecords) {
        struct scn_loc loc = s->expect.nrecords ? s->expect.records[0].loc : (struct scn_loc){0, 0};
        fail(rep, loc, "%u record(s) produced, %u expected", r->n_records, s->expect.nrecords);
    }
    unsigned n = r->n_records < s->expect.nrecords ? r->n_records : s->expect.nrecords;
    for (unsigned i = 0; i < n; i++) {
        char why[200], banks[96];
        if (record_matches(&s->expect.records[i], &r->records[i], why, sizeof(why)))
            continue;
        bank_list(r->records[i].rec, banks, sizeof(banks));
        fail(rep, s->expect.records[i].loc, "record %u: %s (CPU %u, banks %s)", i + 1, why,
             r->records[i].rec->cpu, banks);
    }
}

/* A count that must be exactly `want` ("WHO WHAT: got, expected want");
 * want < 0 is not checked. */
static void count_check(struct expect_report *rep, struct scn_loc loc, const char *who, const char *what,
                        long long want, unsigned long long got)
{
    if (want < 0)
        return;
    rep->checked++;
    if ((unsigned long long)want != got)
        fail(rep, loc, "%s %s: %llu, expected %lld", who, what, got, want);
}

/* A bound the same way: got >= bound, or got <= bound when upper. */
static void bound_check(struct expect_report *rep, struct scn_loc loc, const char *who, const char *what,
                        long long bound, unsigned long long got, bool upper)
{
    if (bound < 0)
        return;
    rep->checked++;
    if (upper ? got > (unsigned long long)bound : got < (unsigned long long)bound)
        fail(rep, loc, "%s %s: %llu, %s than %lld", who, what, got, upper ? "more" : "fewer", bound);
}

static void check_telemetry(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    const struct scn_expect_telem *t = &s->expect.telem;
    unsigned long long logged = 0, delivered = 0, dropped = 0, undelivered = 0, lost = 0;
    for (unsigned i = 0; i < r->nhosts; i++) {
        logged += r->hosts[i].telem.committed;
        delivered += r->hosts[i].telem.acked;
        dropped += r->hosts[i].telem.dropped[TELEM_URGENT] + r->hosts[i].telem.dropped[TELEM_NONURGENT];
        undelivered += r->hosts[i].undelivered;
    }
    for (unsigned i = 0; i < r->n_errors; i++)
        lost += r->errors[i].fate == FATE_LOST;
    count_check(rep, t->loc, "telemetry", "logged", t->logged, logged);
    count_check(rep, t->loc, "telemetry", "delivered", t->delivered, delivered);
    count_check(rep, t->loc, "telemetry", "dropped", t->dropped, dropped);
    count_check(rep, t->loc, "telemetry", "undelivered", t->undelivered, undelivered);
    count_check(rep, t->loc, "telemetry", "lost", t->lost, lost);
    unsigned long long by_class[TELEM__CLASSES] = {0, 0};
    for (unsigned i = 0; i < r->nhosts; i++)
        for (unsigned c = 0; c < TELEM__CLASSES; c++)
            by_class[c] += r->hosts[i].telem.dropped[c];
    count_check(rep, t->loc, "telemetry", "dropped_urgent", t->dropped_urgent, by_class[TELEM_URGENT]);
    count_check(rep, t->loc, "telemetry", "dropped_nonurgent", t->dropped_nonurgent, by_class[TELEM_NONURGENT]);
}

static unsigned long long sum2(const uint64_t v[FW_TYPE__COUNT])
{
    unsigned long long n = 0;
    for (unsigned t = 0; t < FW_TYPE__COUNT; t++)
        n += v[t];
    return n;
}

static void check_firmware(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    const struct scn_expect_fw *e = &s->expect.fw;
    unsigned long long got[12] = {0};
    for (unsigned i = 0; i < r->nhosts; i++) {
        const struct rr_fw *f = &r->hosts[i].fw;
        const unsigned long long v[12] = {f->logged, f->lost, sum2(f->hv.cleared), f->held, sum2(f->hv.overflow),
                                          sum2(f->hv.storms), sum2(f->hv.returns), sum2(f->hv.polls),
                                          sum2(f->hv.polled), sum2(f->hv.masked), f->hv.ipis, f->hv.refused};
        for (unsigned k = 0; k < 12; k++)
            got[k] += v[k];
    }
    const struct {
        const char *what;
        long long want;
    } rows[12] = {
        {"logged", e->logged},   {"lost", e->lost},       {"delivered", e->delivered}, {"pending", e->pending},
        {"overflow", e->overflow}, {"storms", e->storms}, {"returns", e->returns},     {"polls", e->polls},
        {"polled", e->polled},   {"masked", e->masked},   {"ipis", e->ipis},           {"refused", e->refused},
    };
    for (unsigned k = 0; k < 12; k++)
        count_check(rep, e->loc, "firmware", rows[k].what, rows[k].want, got[k]);
}

/* The first line that contains text, or -1. */
static int line_containing(const struct rr_line *l, unsigned n, const char *text)
{
    for (unsigned i = 0; i < n; i++)
        if (strstr(l[i].text, text))
            return (int)i;
    return -1;
}

/* Length of the longest run of characters a and b share. */
static size_t common_run(const char *a, const char *b)
{
    size_t best = 0, na = strlen(a), nb = strlen(b);
    for (size_t i = 0; i < na && na - i > best; i++)
        for (size_t j = 0; j < nb && nb - j > best; j++) {
            size_t k = 0;
            while (a[i + k] && a[i + k] == b[j + k])
                k++;
            if (k > best)
                best = k;
        }
    return best;
}

/* The line nearest to a pattern none contains: the one sharing the
 * longest run of characters with it (the first of equals), or -1. */
static int nearest_line(const struct rr_line *l, unsigned n, const char *text)
{
    int best = -1;
    size_t best_run = 0;
    for (unsigned i = 0; i < n; i++) {
        size_t r = common_run(text, l[i].text);
        if (r > best_run) {
            best_run = r;
            best = (int)i;
        }
    }
    return best;
}

/* A failed text expectation says what was there: the line that holds a
 * forbidden text, or the line nearest to a missing one. */
/* (summarized: lines a bounded run counted and did not keep, --keep) */
static void check_texts(const struct scn_expect_text *t, unsigned n, const struct rr_line *l,
                        unsigned nl, uint64_t summarized, const char *where, struct expect_report *rep)
{
    char also[96] = "";
    if (summarized)
        snprintf(also, sizeof(also), " (and %llu lines --keep counted, not kept)", (unsigned long long)summarized);
    for (unsigned i = 0; i < n; i++) {
        rep->checked++;
        int at = line_containing(l, nl, t[i].text);
        if (t[i].absent && at >= 0) {
            fail(rep, t[i].loc, "%s contains \"%s\": line %d of %u: \"%.200s\"", where, t[i].text, at + 1, nl,
                 l[at].text);
        } else if (!t[i].absent && at < 0) {
            int near = nearest_line(l, nl, t[i].text);
            if (near >= 0)
                fail(rep, t[i].loc, "%s does not contain \"%s\"; nearest of its %u lines%s: \"%.200s\"", where,
                     t[i].text, nl, also, l[near].text);
            else
                fail(rep, t[i].loc, "%s does not contain \"%s\" (%s)%s", where, t[i].text,
                     nl ? "no line shares a character with it" : "it is empty", also);
        }
    }
}

static void check_latency(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    for (unsigned i = 0; i < s->expect.nlatency; i++) {
        const struct scn_expect_latency *e = &s->expect.latency[i];
        const struct rr_lat *l = &r->lat[i];
        rep->checked++;
        if (!l->have_from) {
            fail(rep, e->loc, "latency: stage %s never happened", trace_stage_name(e->from));
            continue;
        }
        if (!l->have_to) {
            fail(rep, e->loc, "latency: stage %s never happened after %s", trace_stage_name(e->to),
                 trace_stage_name(e->from));
            continue;
        }
        uint64_t d = (uint64_t)(l->t_to - l->t_from); /* within one stretch */
        if (d > e->max_ps)
            fail(rep, e->loc, "latency %s -> %s: %.3f us, above the bound of %.3f us",
                 trace_stage_name(e->from), trace_stage_name(e->to), (double)d / 1e6,
                 (double)e->max_ps / 1e6);
        else if (d < e->min_ps)
            fail(rep, e->loc, "latency %s -> %s: %.3f us, below the bound of %.3f us",
                 trace_stage_name(e->from), trace_stage_name(e->to), (double)d / 1e6,
                 (double)e->min_ps / 1e6);
    }
}

static void check_registers(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    for (unsigned i = 0; i < s->expect.nregisters; i++) {
        const struct scn_expect_reg *e = &s->expect.registers[i];
        const struct rr_host *h = &r->hosts[e->host];
        uint64_t v = 0;
        rep->checked++;
        if (!h->regs || e->cpu >= h->ncpus || cpu_mca_rdmsr(&h->regs[e->cpu], e->msr, &v) != 0) {
            fail(rep, e->loc, "register %#x of CPU %u cannot be read", e->msr, e->cpu);
            continue;
        }
        if ((v & e->mask) != e->value)
            fail(rep, e->loc, "MSR %#x of CPU %u is %#llx (masked %#llx), expected %#llx", e->msr,
                 e->cpu, (unsigned long long)v, (unsigned long long)(v & e->mask),
                 (unsigned long long)e->value);
    }
}

/*
 * Domain id on host h, or on any host (h < 0). After a migration the
 * domain exists on both hosts, dying on the source: the live instance is
 * the one meant, else the first found.
 */
static const struct rr_domain *find_domain(const struct run_result *r, unsigned id, int h)
{
    const struct rr_domain *first = NULL;
    for (unsigned k = 0; k < r->nhosts; k++) {
        if (h >= 0 && k != (unsigned)h)
            continue;
        for (unsigned i = 0; i < r->hosts[k].ndomains; i++) {
            const struct rr_domain *d = &r->hosts[k].domains[i];
            if (d->id != id)
                continue;
            if (d->state != DOM_DYING)
                return d;
            if (!first)
                first = d;
        }
    }
    return first;
}

static void check_domains(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    static const char *const states[] = {"running", "paused", "crashed", "dying"};
    for (unsigned i = 0; i < s->expect.ndomains; i++) {
        const struct scn_expect_domain *e = &s->expect.domains[i];
        const struct rr_domain *d = e->host < (int)r->nhosts ? find_domain(r, e->id, e->host) : NULL;
        char who[16];
        snprintf(who, sizeof(who), "dom%u", e->id);
        if (!d) {
            if (e->host >= 0)
                fail(rep, e->loc, "dom%u did not run on host %s", e->id,
                     e->host < (int)r->nhosts ? r->hosts[e->host].name : "?");
            else
                fail(rep, e->loc, "dom%u did not run", e->id);
            continue;
        }
        if (e->state >= 0) {
            rep->checked++;
            if ((unsigned)e->state != d->state)
                fail(rep, e->loc, "dom%u: %s, expected %s (reason: %s)", e->id, states[d->state % 4],
                     states[e->state % 4], d->reason[0] ? d->reason : "none");
        }
        if (e->reason[0]) {
            rep->checked++;
            if (!strstr(d->reason, e->reason))
                fail(rep, e->loc, "dom%u: reason \"%s\" does not contain \"%s\"", e->id, d->reason, e->reason);
        }
        count_check(rep, e->loc, who, "processes killed", e->processes_killed, d->processes_killed);
        count_check(rep, e->loc, who, "pages retired", e->pages_retired, d->pages_retired);
        count_check(rep, e->loc, who, "vMCEs injected", e->vmce_injected, d->vmce_injected);
        count_check(rep, e->loc, who, "MSR exits", e->msr_exits, d->msr_exits);
        bound_check(rep, e->loc, who, "MSR exits", e->msr_exits_min, d->msr_exits, false);
        bound_check(rep, e->loc, who, "MSR exits", e->msr_exits_max, d->msr_exits, true);
        count_check(rep, e->loc, who, "broken gfns", e->broken_gfns, d->nbroken);
    }
}

/* The migration of a domain, or the first when domain < 0. */
static const struct rr_migration *find_migration(const struct run_result *r, int domain)
{
    for (unsigned i = 0; i < r->n_migrations; i++)
        if (domain < 0 || r->migrations[i].domain == (unsigned)domain)
            return &r->migrations[i];
    return NULL;
}

static void check_migration(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    const struct scn_expect_migration *e = &s->expect.migration;
    if (!e->present)
        return;
    const struct rr_migration *m = find_migration(r, e->domain);
    bool ran = m && m->outcome != SCN_MIGO_NONE;
    char who[48];
    if (m)
        snprintf(who, sizeof(who), "migration of dom%u", m->domain);
    rep->checked++;
    if (e->outcome == SCN_MIGO_NONE) {
        if (ran)
            fail(rep, e->loc, "%s: %s, expected none (reason: %s)", who, scn_mig_outcome_name(m->outcome),
                 m->reason[0] ? m->reason : "none");
        return;
    }
    if (!ran) {
        char dom[24] = "";
        if (e->domain >= 0)
            snprintf(dom, sizeof(dom), " of dom%d", e->domain);
        fail(rep, e->loc, "no migration%s ran, expected %s", dom,
             e->outcome >= 0 ? scn_mig_outcome_name((enum scn_mig_outcome)e->outcome) : "one");
        return;
    }
    if (e->outcome >= 0 && (unsigned)e->outcome != m->outcome)
        fail(rep, e->loc, "%s: %s, expected %s (reason: %s)", who, scn_mig_outcome_name(m->outcome),
             scn_mig_outcome_name((enum scn_mig_outcome)e->outcome), m->reason[0] ? m->reason : "none");
    if (e->reason[0]) {
        rep->checked++;
        if (!strstr(m->reason, e->reason))
            fail(rep, e->loc, "%s: reason \"%s\" does not contain \"%s\"", who, m->reason, e->reason);
    }
    count_check(rep, e->loc, who, "pages lost", e->pages_lost, m->pages_lost);
    count_check(rep, e->loc, who, "pages needlessly broken", e->needless_broken, m->needless_broken);
    count_check(rep, e->loc, who, "pages broken on the target", e->broken_on_target, m->broken_on_target);
    bound_check(rep, e->loc, who, "type rechecks", e->rechecks_min, m->rechecks, false);
    bound_check(rep, e->loc, who, "iterations", e->iterations_min, m->iterations, false);
    if (e->mce_case[0]) {
        /* the run writes "" for no MCE, the scenario none */
        const char *got = m->mce_case[0] ? m->mce_case : "none";
        rep->checked++;
        if (strcmp(got, e->mce_case) != 0)
            fail(rep, e->loc, "%s: first MCE on its pages in case %s, expected %s", who, got, e->mce_case);
    }
}

static void check_memory(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    const struct scn_expect_memory *e = &s->expect.memory;
    struct memctl_ledger sum = {0};
    for (unsigned h = 0; h < r->nhosts; h++) {
        const struct memctl_ledger *m = &r->hosts[h].memory;
        sum.ce += m->ce;
        sum.uc += m->uc;
        sum.sdc += m->sdc;
        sum.miscorrected += m->miscorrected;
        sum.undetected += m->undetected;
        sum.scrub_found += m->scrub_found;
        sum.demand_found += m->demand_found;
    }
    const struct {
        const char *what;
        long long want;
        uint64_t got;
    } rows[] = {
        {"corrected", e->ce, sum.ce},
        {"uncorrectable", e->uc, sum.uc},
        {"silent corruption", e->sdc, sum.sdc},
        {"miscorrected", e->miscorrected, sum.miscorrected},
        {"undetected", e->undetected, sum.undetected},
        {"found by the scrubber", e->scrub_found, sum.scrub_found},
        {"found by demand reads", e->demand_found, sum.demand_found},
    };
    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        count_check(rep, e->loc, "memory", rows[i].what, rows[i].want, rows[i].got);
}

static void check_stages(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    for (unsigned i = 0; i < s->expect.nstages; i++) {
        const struct scn_expect_stage *e = &s->expect.stages[i];
        unsigned long long got = r->stage_count[e->stage];
        rep->checked++;
        if (e->count >= 0 && got != (unsigned long long)e->count)
            fail(rep, e->loc, "stage %s happened %llu times, expected %lld", trace_stage_name(e->stage), got,
                 e->count);
        else if (e->min >= 0 && got < (unsigned long long)e->min)
            fail(rep, e->loc, "stage %s happened %llu times, fewer than %lld", trace_stage_name(e->stage), got,
                 e->min);
        else if (e->max >= 0 && got > (unsigned long long)e->max)
            fail(rep, e->loc, "stage %s happened %llu times, more than %lld", trace_stage_name(e->stage), got,
                 e->max);
    }
}

static const struct scn_domain *dom0_of(const struct scenario *s, unsigned host)
{
    for (unsigned i = 0; i < s->ndomains; i++)
        if (s->domains[i].type == SCN_DOM_DOM0 && s->domains[i].host == host)
            return &s->domains[i];
    return NULL;
}

static void check_invariants(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    struct scn_loc none = {0, 0};
    for (unsigned i = 0; i < r->n_errors; i++)
        if (r->errors[i].fate == FATE_LOST)
            fail(rep, none, "invariant: error %u (CPU %u bank %u status %#llx) was cleared from its "
                 "bank without being logged or counted as dropped", r->errors[i].id, r->errors[i].cpu,
                 r->errors[i].bank, (unsigned long long)r->errors[i].status);
    for (unsigned i = 0; i < r->n_records; i++) {
        const struct rr_record *rec = &r->records[i];
        const struct scn_domain *d0 = dom0_of(s, rec->host);
        if (!rec->committed || rec->delivered || r->hosts[rec->host].outcome != SCN_OUT_RUNNING)
            continue;
        if (!d0 || !d0->mcelog || rec->rec->time_ps + DELIVERY_GRACE_PS > r->end_ps ||
            d0->mcelog_start_ps + DELIVERY_GRACE_PS > r->end_ps)
            continue;
        fail(rep, none, "invariant: record %llu (CPU %u) was committed but never reached dom0",
             (unsigned long long)rec->rec->seq, rec->rec->cpu);
    }
}

void expect_check(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    memset(rep, 0, sizeof(*rep));
    check_hosts(s, r, rep);
    check_records(s, r, rep);
    check_telemetry(s, r, rep);
    check_texts(s->expect.dom0_log, s->expect.ndom0_log, r->dom0_log, r->n_dom0_log, r->summary.lines[RR_DOM0_LOG],
                "dom0 log", rep);
    check_texts(s->expect.console, s->expect.nconsole, r->console, r->n_console, r->summary.lines[RR_CONSOLE],
                "console", rep);
    check_latency(s, r, rep);
    check_registers(s, r, rep);
    check_domains(s, r, rep);
    check_memory(s, r, rep);
    check_firmware(s, r, rep);
    check_stages(s, r, rep);
    check_migration(s, r, rep);
    expect_check_probes(s, r, rep);
    expect_check_pcie(s, r, rep);
    check_texts(s->expect.guest_log, s->expect.nguest_log, r->guest_log, r->n_guest_log,
                r->summary.lines[RR_GUEST_LOG], "guest log", rep);
    check_invariants(s, r, rep);
}
