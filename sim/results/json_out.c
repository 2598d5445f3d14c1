/* json_out.c - JSON string escaping and key/value helpers. */
#include "sim/results/json_out.h"

void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

void json_hex(FILE *f, uint64_t v)
{
    fprintf(f, "\"0x%llx\"", (unsigned long long)v); /* %#llx prints a bare 0 */
}

void json_key(FILE *f, int *first, const char *key)
{
    if (!*first)
        fputc(',', f);
    *first = 0;
    json_str(f, key);
    fputc(':', f);
}

void json_kv_str(FILE *f, int *first, const char *key, const char *val)
{
    json_key(f, first, key);
    json_str(f, val);
}

void json_kv_hex(FILE *f, int *first, const char *key, uint64_t v)
{
    json_key(f, first, key);
    json_hex(f, v);
}

void json_kv_u64(FILE *f, int *first, const char *key, uint64_t v)
{
    json_key(f, first, key);
    fprintf(f, "%llu", (unsigned long long)v);
}

void json_kv_rtime(FILE *f, int *first, const char *key, rtime_t v)
{
    char buf[RTIME_STR_LEN];
    json_key(f, first, key);
    fputs(rtime_str(buf, v), f);
}

void json_kv_i64(FILE *f, int *first, const char *key, long long v)
{
    json_key(f, first, key);
    fprintf(f, "%lld", v);
}

void json_kv_bool(FILE *f, int *first, const char *key, int v)
{
    json_key(f, first, key);
    fputs(v ? "true" : "false", f);
}
