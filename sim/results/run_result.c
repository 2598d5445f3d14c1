/* run_result.c - growable arrays of a run's results. */
#include "sim/results/run_result.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char *const fate_names[FATE__COUNT] = {
    [FATE_IN_BANK] = "in-bank", [FATE_LOGGED] = "logged", [FATE_PENDING] = "pending",
    [FATE_DROPPED] = "dropped", [FATE_OVERWRITTEN] = "overwritten", [FATE_COUNTED] = "counted",
    [FATE_IGNORED] = "ignored", [FATE_REJECTED] = "rejected", [FATE_LOST] = "lost",
    [FATE_DISMISSED] = "dismissed",
};

static const char *const found_names[FOUND__COUNT] = {
    [FOUND_INJECTED] = "injected", [FOUND_SCRUB] = "scrub", [FOUND_DEMAND] = "demand",
    [FOUND_LLC] = "llc-writeback",
};

const char *rr_found_name(enum rr_found f)
{
    return (unsigned)f < FOUND__COUNT ? found_names[f] : "unknown";
}

const char *rr_fate_name(enum rr_fate f)
{
    return (unsigned)f < FATE__COUNT ? fate_names[f] : "unknown";
}

/* Grow an array by one zeroed element; aborts on OOM (a simulator that
 * cannot record its results must not pretend it ran). */
static void *grow(void **v, unsigned *n, unsigned *cap, size_t size)
{
    if (*n == *cap) {
        unsigned c = *cap ? *cap * 2 : 64;
        void *nv = realloc(*v, (size_t)c * size);
        if (!nv)
            abort();
        *v = nv;
        *cap = c;
    }
    void *e = (char *)*v + (size_t)(*n)++ * size;
    memset(e, 0, size);
    return e;
}

#define ARENA_CHUNK ((size_t)1 << 20)

/* n bytes (8-aligned) from the arena; aborts on OOM like grow(). */
static void *arena_alloc(struct rr_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (!a->n || a->size - a->used < n) {
        size_t sz = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        if (a->n == a->cap) {
            unsigned c = a->cap ? a->cap * 2 : 16;
            char **v = realloc(a->chunk, (size_t)c * sizeof(*v));
            if (!v)
                abort();
            a->chunk = v;
            a->cap = c;
        }
        if (!(a->chunk[a->n] = malloc(sz)))
            abort();
        a->n++;
        a->used = 0;
        a->size = sz;
    }
    void *p = a->chunk[a->n - 1] + a->used;
    a->used += n;
    a->bytes += n;
    return p;
}

static void arena_free(struct rr_arena *a)
{
    for (unsigned i = 0; i < a->n; i++)
        free(a->chunk[i]);
    free(a->chunk);
    memset(a, 0, sizeof(*a));
}

#define GROW(r, name) grow((void **)&(r)->name, &(r)->n_##name, &(r)->cap_##name, sizeof(*(r)->name))

void rr_init(struct run_result *r, const struct scenario *s, unsigned nhosts)
{
    memset(r, 0, sizeof(*r));
    r->scn = s;
    r->nhosts = nhosts;
    r->hosts = calloc(nhosts ? nhosts : 1, sizeof(*r->hosts));
    r->lat = calloc(s->expect.nlatency ? s->expect.nlatency : 1, sizeof(*r->lat));
    if (!r->hosts || !r->lat)
        abort();
}

/* Texts are the arena's, except in bounded results (ring slots are
 * rewritten, so each text is its own allocation). */
static void free_lines(struct rr_line *l, unsigned n, bool own_texts)
{
    for (unsigned i = 0; own_texts && i < n; i++)
        free(l[i].text);
    free(l);
}

void rr_free(struct run_result *r)
{
    for (unsigned i = 0; i < r->nhosts; i++) {
        free(r->hosts[i].regs);
        free(r->hosts[i].cmci);
        free(r->hosts[i].pages);
        free(r->hosts[i].fault_truth);
        free(r->hosts[i].domains);
        free(r->hosts[i].pcie);
    }
    free(r->hosts);
    free(r->lat);
    free(r->errors);
    free(r->records);
    free(r->migrations);
    free(r->guest_msrs);
    free(r->probes);
    bool own = r->summary.keep != 0;
    free_lines(r->console, r->n_console, own);
    free_lines(r->dom0_log, r->n_dom0_log, own);
    free_lines(r->guest_log, r->n_guest_log, own);
    arena_free(&r->arena);
    free(r->summary.free_records);
    free(r->summary.free_errors);
    memset(r, 0, sizeof(*r));
}

struct rr_error *rr_add_error(struct run_result *r)
{
    struct rr_summary *m = &r->summary;
    struct rr_error *e;
    if (m->n_free_errors) {
        e = &r->errors[m->free_errors[--m->n_free_errors]];
        memset(e, 0, sizeof(*e));
    } else {
        e = GROW(r, errors);
    }
    e->id = ++m->next_error_id;
    return e;
}
struct rr_record *rr_add_record(struct run_result *r, const struct mca_record *rec)
{
    struct rr_summary *m = &r->summary;
    struct rr_record *e;
    struct mca_record *body = NULL;
    unsigned cap = 0;
    if (m->n_free) {
        e = &r->records[m->free_records[--m->n_free]];
        body = e->rec; /* a bounded slot's body has room for every bank */
        cap = e->rec_cap;
        memset(e, 0, sizeof(*e));
    } else {
        e = GROW(r, records);
    }
    unsigned nb = rec ? (rec->nbanks < MCA_REC_MAX_BANKS ? rec->nbanks : MCA_REC_MAX_BANKS) : MCA_REC_MAX_BANKS;
    if (!body || cap < nb) {
        cap = m->keep || !rec ? MCA_REC_MAX_BANKS : nb;
        body = arena_alloc(&r->arena, offsetof(struct mca_record, bank) + cap * sizeof(struct mca_bank_entry));
    }
    size_t used = offsetof(struct mca_record, bank) + nb * sizeof(struct mca_bank_entry);
    if (rec)
        memcpy(body, rec, used);
    else
        memset(body, 0, used);
    e->rec = body;
    e->rec_cap = cap;
    e->ord = m->next_ord++;
    return e;
}
struct rr_migration *rr_add_migration(struct run_result *r) { return GROW(r, migrations); }
struct rr_guest_msr *rr_add_guest_msr(struct run_result *r) { return GROW(r, guest_msrs); }
unsigned rr_add_probe(struct run_result *r) { return (unsigned)((struct rr_probe *)GROW(r, probes) - r->probes); }

/* The entries of log `which`. */
static struct rr_line *log_array(const struct run_result *r, enum rr_log which)
{
    return which == RR_DOM0_LOG ? r->dom0_log : which == RR_GUEST_LOG ? r->guest_log : r->console;
}

/* Bounded results: where line n of a log stands (the first keep, then the
 * ring of the last keep, filled in order: line n < 2 keep at index n). */
static uint64_t ring_slot(uint64_t keep, uint64_t n) { return n < 2 * keep ? n : keep + (n - keep) % keep; }

const struct rr_line *rr_log_line(const struct run_result *r, enum rr_log which, uint64_t n)
{
    const uint64_t seen = r->summary.lines_seen[which], keep = r->summary.keep;
    if (n >= seen || (keep && n >= keep && n + keep < seen))
        return NULL;
    return &log_array(r, which)[keep ? ring_slot(keep, n) : n];
}

void rr_add_line(struct run_result *r, enum rr_log which, rtime_t t_ps, unsigned host, const char *text)
{
    struct rr_summary *m = &r->summary;
    uint64_t seen = m->lines_seen[which]++;
    struct rr_line *l;
    if (m->keep && seen >= 2 * (uint64_t)m->keep) {
        /* Past the first keep and a full ring of the last keep: the oldest
         * of the ring gives way, counted. */
        l = &log_array(r, which)[ring_slot(m->keep, seen)];
        free(l->text);
        m->lines[which]++;
    } else {
        l = which == RR_DOM0_LOG    ? GROW(r, dom0_log)
            : which == RR_GUEST_LOG ? GROW(r, guest_log)
                                    : GROW(r, console);
    }
    l->t_ps = t_ps;
    l->host = host;
    if (m->keep) {
        l->text = strdup(text);
        if (!l->text)
            abort();
    } else {
        size_t len = strlen(text) + 1;
        l->text = memcpy(arena_alloc(&r->arena, len), text, len);
    }
}

void rr_set_bounded(struct run_result *r, unsigned keep) { r->summary.keep = keep; }

bool rr_fold_record(struct run_result *r, unsigned i)
{
    struct rr_summary *m = &r->summary;
    if (!m->keep || i < m->keep || i >= r->n_records || r->records[i].folded)
        return false;
    struct rr_record *e = &r->records[i];
    m->records++;
    m->records_class[e->rec->cls < MCA_REC__COUNT ? e->rec->cls : MCA_REC_NONE]++;
    m->records_fetched += e->fetched;
    if (e->host < r->nhosts) {
        struct rr_host *h = &r->hosts[e->host];
        h->folded_cls[e->rec->cls < MCA_REC__COUNT ? e->rec->cls : MCA_REC_NONE]++;
        h->folded_recovered += e->rec->result == MCA_RES_RECOVERED;
        h->folded_tainted += e->rec->result == MCA_RES_CONTINUE;
    }
    e->folded = true;
    *(unsigned *)grow((void **)&m->free_records, &m->n_free, &m->cap_free, sizeof(unsigned)) = i;
    return true;
}

bool rr_fold_error(struct run_result *r, unsigned i)
{
    struct rr_summary *m = &r->summary;
    if (!m->keep || i < m->keep || i >= r->n_errors || r->errors[i].folded)
        return false;
    struct rr_error *e = &r->errors[i];
    const unsigned f = (unsigned)e->fate < FATE__COUNT ? (unsigned)e->fate : (unsigned)FATE_LOST;
    m->errors++;
    m->errors_fate[f]++;
    m->errors_found[e->found_by < FOUND__COUNT ? e->found_by : FOUND_INJECTED]++;
    if (e->host < r->nhosts) {
        r->hosts[e->host].folded_errors++;
        r->hosts[e->host].folded_fate[f]++;
    }
    e->folded = true;
    *(unsigned *)grow((void **)&m->free_errors, &m->n_free_errors, &m->cap_free_errors, sizeof(unsigned)) = i;
    return true;
}

static int by_ord(const void *a, const void *b)
{
    const struct rr_record *x = a, *y = b;
    return (x->ord > y->ord) - (x->ord < y->ord);
}

static int by_id(const void *a, const void *b)
{
    const struct rr_error *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Turn the ring of the last keep lines so the oldest comes first. */
static void unwind_ring(struct rr_line *v, unsigned keep, uint64_t seen)
{
    if (seen <= 2 * (uint64_t)keep)
        return;
    unsigned shift = (unsigned)((seen - keep) % keep); /* the oldest line's place */
    if (!shift)
        return;
    struct rr_line *ring = v + keep, *tmp = malloc((size_t)shift * sizeof(*tmp));
    if (!tmp)
        abort();
    memcpy(tmp, ring, (size_t)shift * sizeof(*tmp));
    memmove(ring, ring + shift, (size_t)(keep - shift) * sizeof(*ring));
    memcpy(ring + keep - shift, tmp, (size_t)shift * sizeof(*tmp));
    free(tmp);
}

void rr_finish(struct run_result *r)
{
    struct rr_summary *m = &r->summary;
    if (!m->keep)
        return;
    unsigned n = 0;
    for (unsigned i = 0; i < r->n_records; i++)
        if (!r->records[i].folded)
            r->records[n++] = r->records[i];
    r->n_records = n;
    if (n)
        qsort(r->records, n, sizeof(*r->records), by_ord);
    m->n_free = 0;
    n = 0;
    for (unsigned i = 0; i < r->n_errors; i++)
        if (!r->errors[i].folded)
            r->errors[n++] = r->errors[i];
    r->n_errors = n;
    if (n)
        qsort(r->errors, n, sizeof(*r->errors), by_id);
    m->n_free_errors = 0;
    for (unsigned w = 0; w < RR_LOG__COUNT; w++)
        unwind_ring(log_array(r, (enum rr_log)w), m->keep, m->lines_seen[w]);
}

uint64_t rr_records_total(const struct run_result *r) { return r->n_records + r->summary.records; }

void rr_records_by_class(const struct run_result *r, uint64_t out[MCA_REC__COUNT])
{
    for (unsigned c = 0; c < MCA_REC__COUNT; c++)
        out[c] = r->summary.records_class[c];
    for (unsigned i = 0; i < r->n_records; i++)
        if (!r->records[i].folded)
            out[r->records[i].rec->cls < MCA_REC__COUNT ? r->records[i].rec->cls : MCA_REC_NONE]++;
}

uint64_t rr_errors_total(const struct run_result *r)
{
    uint64_t n = r->summary.errors;
    for (unsigned i = 0; i < r->n_errors; i++)
        n += !r->errors[i].folded;
    return n;
}

void rr_errors_by_fate(const struct run_result *r, uint64_t out[FATE__COUNT])
{
    for (unsigned f = 0; f < FATE__COUNT; f++)
        out[f] = r->summary.errors_fate[f];
    for (unsigned i = 0; i < r->n_errors; i++)
        if (!r->errors[i].folded)
            out[(unsigned)r->errors[i].fate < FATE__COUNT ? r->errors[i].fate : FATE_LOST]++;
}

uint64_t rr_lines_total(const struct run_result *r, enum rr_log which)
{
    return r->summary.lines_seen[which];
}
