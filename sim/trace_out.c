/* trace_out.c - write a run's events as JSON lines. */
#include "sim/trace_out.h"

#include "sim/json_out.h"

void trace_write_jsonl(FILE *f, const struct run_result *r)
{
    for (unsigned i = 0; i < r->n_events; i++) {
        const struct rr_event *e = &r->events[i];
        int first = 1;
        fputc('{', f);
        json_kv_u64(f, &first, "t_ps", e->t_ps);
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
        if (e->detail[0])
            json_kv_str(f, &first, "detail", e->detail);
        fputs("}\n", f);
    }
}
