/*
 * trace_sink.c - stream trace events to their outputs.
 *
 * JSON lines: one object per event, fields omitted when empty. Perfetto:
 * the Chrome trace-event JSON format (ui.perfetto.dev and chrome://tracing
 * read it), one process per host and one track per pCPU plus a dom0 vCPU
 * track; handler, rendezvous and softirq are slices (B/E pairs), every
 * other stage an instant. Times are written from integer picoseconds, so
 * the bytes are deterministic.
 */
#include "sim/results/trace_sink.h"

#include <stdlib.h>
#include <string.h>

#include "sim/results/json_out.h"

#define TRACKS_PER_HOST 258u /* platform, 256 pCPUs, dom0 */
#define TRACK_PLATFORM 0u
#define TRACK_DOM0 257u

enum slice_kind { SL_INSTANT = 0, SL_BEGIN, SL_END };

struct slice_rule {
    enum slice_kind kind;
    const char *name; /* NULL: the stage name */
};

/* How each stage shows in Perfetto. */
static struct slice_rule slice_of(enum trace_stage st)
{
    switch (st) {
    case TS_HANDLER_ENTRY: return (struct slice_rule){SL_BEGIN, "#MC handler"};
    case TS_HANDLER_EXIT: return (struct slice_rule){SL_END, NULL};
    case TS_RENDEZVOUS_IN: return (struct slice_rule){SL_BEGIN, "rendezvous"};
    case TS_RENDEZVOUS_OUT: return (struct slice_rule){SL_END, NULL};
    case TS_SOFTIRQ_ENTRY: return (struct slice_rule){SL_BEGIN, "MCE softirq"};
    case TS_SOFTIRQ_DONE: return (struct slice_rule){SL_END, NULL};
    default: return (struct slice_rule){SL_INSTANT, NULL};
    }
}

static unsigned track_of(const struct rr_event *ev)
{
    if (ev->stage == TS_FETCH || ev->stage == TS_ACK || ev->stage == TS_DOM0_DECODED)
        return TRACK_DOM0;
    if (ev->cpu < 0)
        return TRACK_PLATFORM;
    return (unsigned)ev->cpu + 1;
}

static void write_ts(FILE *f, rtime_t ps)
{
    char us[RTIME_STR_LEN];
    fprintf(f, "%s.%06u", rtime_str(us, ps / 1000000), (unsigned)(ps % 1000000));
}

static void perf_sep(struct trace_sink *t)
{
    fputs(t->perf_count++ ? ",\n" : "\n", t->perfetto);
}

static void perf_meta(struct trace_sink *t, unsigned pid, int tid, const char *what, const char *name)
{
    perf_sep(t);
    FILE *f = t->perfetto;
    fprintf(f, "{\"name\":\"%s\",\"ph\":\"M\",\"pid\":%u", what, pid);
    if (tid >= 0)
        fprintf(f, ",\"tid\":%d", tid);
    fputs(",\"args\":{\"name\":", f);
    json_str(f, name);
    fputs("}}", f);
}

static void perf_header(struct trace_sink *t)
{
    fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", t->perfetto);
    for (unsigned h = 0; h < t->scn->nhosts; h++) {
        const struct scn_host *host = &t->scn->hosts[h];
        char name[96];
        perf_meta(t, h + 1, -1, "process_name", host->name);
        perf_meta(t, h + 1, TRACK_PLATFORM, "thread_name", "hardware / platform");
        for (unsigned c = 0; c < host->ncpus; c++) {
            snprintf(name, sizeof(name), "pCPU %u", c);
            perf_meta(t, h + 1, (int)c + 1, "thread_name", name);
        }
        perf_meta(t, h + 1, TRACK_DOM0, "thread_name", "dom0 vCPU0 (mcelog)");
    }
}

static void perf_event(struct trace_sink *t, unsigned host, unsigned track, char ph, const char *name,
                       rtime_t ps, const struct rr_event *ev)
{
    FILE *f = t->perfetto;
    perf_sep(t);
    fputs("{\"name\":", f);
    json_str(f, name);
    fprintf(f, ",\"ph\":\"%c\",\"ts\":", ph);
    write_ts(f, ps);
    fprintf(f, ",\"pid\":%u,\"tid\":%u", host + 1, track);
    if (ph == 'i')
        fputs(",\"s\":\"t\"", f);
    if (ev && (ev->bank >= 0 || ev->status || ev->seq || (ev->detail && ev->detail[0]))) {
        int first = 1;
        fputs(",\"args\":{", f);
        if (ev->bank >= 0)
            json_kv_i64(f, &first, "bank", ev->bank);
        if (ev->status)
            json_kv_hex(f, &first, "status", ev->status);
        if (ev->seq)
            json_kv_u64(f, &first, "record", ev->seq);
        if (ev->detail && ev->detail[0])
            json_kv_str(f, &first, "detail", ev->detail);
        fputc('}', f);
    }
    fputc('}', f);
}

static unsigned *depth_at(struct trace_sink *t, unsigned host, unsigned track)
{
    return &t->depth[host * TRACKS_PER_HOST + track];
}

/* A stopped host runs nothing more: end its open slices there. */
static void close_host(struct trace_sink *t, unsigned host, rtime_t ps)
{
    for (unsigned k = 0; k < TRACKS_PER_HOST; k++)
        for (unsigned *d = depth_at(t, host, k); *d; (*d)--)
            perf_event(t, host, k, 'E', "", ps, NULL);
}

static void perfetto_event(struct trace_sink *t, const struct rr_event *ev)
{
    if (ev->host >= t->scn->nhosts)
        return;
    unsigned track = track_of(ev);
    unsigned *d = depth_at(t, ev->host, track);
    struct slice_rule r = slice_of(ev->stage);
    const char *name = r.name ? r.name : trace_stage_name(ev->stage);
    switch (r.kind) {
    case SL_BEGIN:
        perf_event(t, ev->host, track, 'B', name, ev->t_ps, ev);
        (*d)++;
        break;
    case SL_END:
        if (*d) {
            perf_event(t, ev->host, track, 'E', "", ev->t_ps, NULL);
            (*d)--;
        }
        break;
    case SL_INSTANT:
        perf_event(t, ev->host, track, 'i', name, ev->t_ps, ev);
        break;
    }
    if (ev->stage == TS_HOST_STOP)
        close_host(t, ev->host, ev->t_ps);
}

static void jsonl_event(FILE *f, const struct rr_event *e)
{
    int first = 1;
    fputc('{', f);
    json_kv_rtime(f, &first, "t_ps", e->t_ps);
    json_kv_u64(f, &first, "host", e->host);
    if (e->cpu >= 0)
        json_kv_i64(f, &first, "cpu", e->cpu);
    json_kv_str(f, &first, "stage", trace_stage_name(e->stage));
    if (e->bank >= 0)
        json_kv_i64(f, &first, "bank", e->bank);
    if (e->status)
        json_kv_hex(f, &first, "status", e->status);
    if (e->seq)
        json_kv_u64(f, &first, "record", e->seq);
    if (e->detail && e->detail[0])
        json_kv_str(f, &first, "detail", e->detail);
    fputs("}\n", f);
}

/* "the first `to` after the first `from`" for each latency expectation */
static void latency_event(struct trace_sink *t, const struct rr_event *ev)
{
    for (unsigned i = 0; i < t->scn->expect.nlatency; i++) {
        const struct scn_expect_latency *e = &t->scn->expect.latency[i];
        struct rr_lat *l = &t->rr->lat[i];
        if (!l->have_from && ev->stage == e->from) {
            l->have_from = true;
            l->t_from = ev->t_ps;
        } else if (l->have_from && !l->have_to && ev->stage == e->to) {
            l->have_to = true;
            l->t_to = ev->t_ps;
        }
    }
}

void trace_sink_init(struct trace_sink *t, const struct scenario *s, struct run_result *rr,
                     FILE *jsonl, FILE *perfetto)
{
    memset(t, 0, sizeof(*t));
    t->scn = s;
    t->rr = rr;
    t->jsonl = jsonl;
    t->perfetto = perfetto;
    if (perfetto) {
        t->nslots = s->nhosts * TRACKS_PER_HOST;
        t->depth = calloc(t->nslots, sizeof(*t->depth));
        if (!t->depth)
            abort();
        perf_header(t);
    }
}

void trace_sink_event(struct trace_sink *t, const struct rr_event *ev)
{
    t->rr->nevents++;
    if ((unsigned)ev->stage < TS__COUNT)
        t->rr->stage_count[ev->stage]++;
    if (t->jsonl)
        jsonl_event(t->jsonl, ev);
    if (t->perfetto)
        perfetto_event(t, ev);
    latency_event(t, ev);
}

bool trace_sink_wants_detail(const struct trace_sink *t) { return t->jsonl || t->perfetto; }

void trace_sink_finish(struct trace_sink *t, rtime_t end_ps)
{
    if (!t->perfetto)
        return;
    for (unsigned h = 0; h < t->scn->nhosts; h++)
        close_host(t, h, end_ps);
    fputs("\n]}\n", t->perfetto);
}

void trace_sink_free(struct trace_sink *t)
{
    free(t->depth);
    t->depth = NULL;
}
