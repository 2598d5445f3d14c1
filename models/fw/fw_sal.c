/*
 * fw_sal.c - the firmware's per-CPU error record log (fw_sal.h): one ring
 * of `cap` records per CPU and type, oldest first. Logging into a full
 * ring is counted as lost; clearing frees the oldest record only once it
 * was read.
 */
#include "models/fw/fw_sal.h"

#include <errno.h>
#include <stdlib.h>

static const char *const type_names[FW_SAL__TYPES] = {[FW_SAL_CMC] = "CMC", [FW_SAL_CPE] = "CPE"};

const char *fw_sal_type_name(enum fw_sal_type t)
{
    return (unsigned)t < FW_SAL__TYPES ? type_names[t] : "?";
}

int fw_sal_init(struct fw_sal *f, unsigned ncpus, size_t state_info_size, size_t record_size)
{
    *f = (struct fw_sal){0};
    if (!ncpus || !record_size || record_size > state_info_size)
        return -1;
    f->ncpus = ncpus;
    f->cap = (unsigned)(state_info_size / record_size);
    f->state_info_size = state_info_size;
    f->record_size = record_size;
    f->next_id = 1;
    f->log = calloc((size_t)ncpus * FW_SAL__TYPES, sizeof(*f->log));
    if (!f->log)
        return -1;
    for (unsigned i = 0; i < ncpus * FW_SAL__TYPES; i++) {
        f->log[i].slot = calloc(f->cap, sizeof(struct fw_sal_record));
        if (!f->log[i].slot) {
            fw_sal_fini(f);
            return -1;
        }
    }
    return 0;
}

void fw_sal_fini(struct fw_sal *f)
{
    for (unsigned i = 0; f->log && i < f->ncpus * FW_SAL__TYPES; i++)
        free(f->log[i].slot);
    free(f->log);
    *f = (struct fw_sal){0};
}

size_t fw_sal_state_info_size(const struct fw_sal *f) { return f->state_info_size; }

static struct fw_sal_log *log_of(const struct fw_sal *f, unsigned cpu, enum fw_sal_type type)
{
    if (cpu >= f->ncpus || (unsigned)type >= FW_SAL__TYPES)
        return NULL;
    return &f->log[cpu * FW_SAL__TYPES + type];
}

uint64_t fw_sal_log(struct fw_sal *f, unsigned cpu, enum fw_sal_type type, uint64_t t_ps, bool has_addr,
                    uint64_t addr)
{
    struct fw_sal_log *l = log_of(f, cpu, type);
    if (!l)
        return 0;
    if (l->n == f->cap) {
        f->stats[type].lost++;
        return 0;
    }
    struct fw_sal_record *r = &l->slot[(l->head + l->n++) % f->cap];
    *r = (struct fw_sal_record){f->next_id++, cpu, type, t_ps, has_addr ? addr : 0, has_addr, false};
    f->stats[type].logged++;
    return r->id;
}

int fw_sal_get(struct fw_sal *f, unsigned cpu, enum fw_sal_type type, struct fw_sal_record *out)
{
    struct fw_sal_log *l = log_of(f, cpu, type);
    if (!l || !l->n)
        return -ENOENT;
    struct fw_sal_record *r = &l->slot[l->head];
    if (!r->read)
        f->stats[type].read++;
    r->read = true;
    *out = *r;
    return 0;
}

int fw_sal_clear(struct fw_sal *f, unsigned cpu, enum fw_sal_type type)
{
    struct fw_sal_log *l = log_of(f, cpu, type);
    if (!l || !l->n)
        return -ENOENT;
    if (!l->slot[l->head].read) {
        f->stats[type].clear_refused++;
        return -EBUSY;
    }
    l->head = (l->head + 1) % f->cap;
    l->n--;
    f->stats[type].cleared++;
    return 0;
}

unsigned fw_sal_count(const struct fw_sal *f, unsigned cpu, enum fw_sal_type type)
{
    const struct fw_sal_log *l = log_of(f, cpu, type);
    return l ? l->n : 0;
}

unsigned fw_sal_held(const struct fw_sal *f)
{
    unsigned n = 0;
    for (unsigned i = 0; f->log && i < f->ncpus * FW_SAL__TYPES; i++)
        n += f->log[i].n;
    return n;
}
