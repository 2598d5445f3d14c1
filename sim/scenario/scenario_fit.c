/*
 * scenario_fit.c - the FIT table of a field-rate draw, read from a
 * scenario's dram.field_rates or a campaign's field_rates (docs/
 * SCENARIOS.md, docs/CAMPAIGNS.md): a built-in table by name (`table:`),
 * a table written in the file (`fit:`, per fault mode
 * {transient, permanent}) or a CSV file (`fit_file:`, fit_csv.h) named
 * relative to the file being read. Every reader fills a struct
 * field_rates (models/memctl/field_rates.h) at f->off; a mode a user
 * table leaves out has 0 FIT.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "models/memctl/field_rates.h"
#include "sim/scenario/fit_csv.h"
#include "sim/scenario/scenario_walk.h"

#define FP(m) offsetof(struct fit_pair, m)
#define FM(m) offsetof(struct field_rates, mode[m])

static int rd_fit_value(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    const char *s = ld_scalar(l, v, f->key, "a FIT");
    if (!s)
        return -1;
    const char *hint;
    const char *why = fit_value_parse(s, strlen(s), (double *)ld_member(obj, f->off), &hint);
    if (why)
        return ld_fail(l, v, hint, "'%s': FIT '%.40s' %s", f->key, s, why);
    return 0;
}

static const struct field pair_fields[] = {
    {.key = "transient", .rd = rd_fit_value, .off = FP(transient)},
    {.key = "permanent", .rd = rd_fit_value, .off = FP(permanent)},
};

static int rd_fit_pair(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    char what[48];
    struct seen sn;
    snprintf(what, sizeof(what), "fit.%s", f->key);
    return LD_WALK(l, v, what, pair_fields, ld_member(obj, f->off), &sn);
}

/* The keys are fault_mode_name()'s (test_scenario_fit checks it). */
static const struct field mode_fields[] = {
    {.key = "single-bit", .rd = rd_fit_pair, .off = FM(FAULT_SINGLE_BIT)},
    {.key = "single-word", .rd = rd_fit_pair, .off = FM(FAULT_SINGLE_WORD)},
    {.key = "single-column", .rd = rd_fit_pair, .off = FM(FAULT_SINGLE_COLUMN)},
    {.key = "single-row", .rd = rd_fit_pair, .off = FM(FAULT_SINGLE_ROW)},
    {.key = "single-bank", .rd = rd_fit_pair, .off = FM(FAULT_SINGLE_BANK)},
    {.key = "multi-bank", .rd = rd_fit_pair, .off = FM(FAULT_MULTI_BANK)},
    {.key = "multi-rank", .rd = rd_fit_pair, .off = FM(FAULT_MULTI_RANK)},
};
_Static_assert(sizeof(mode_fields) / sizeof(mode_fields[0]) == FAULT_MODE__COUNT, "a key per fault mode");

int ld_rd_fit(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct field_rates r;
    struct seen sn;
    memset(&r, 0, sizeof(r));
    if (LD_WALK(l, v, f->key, mode_fields, &r, &sn) < 0)
        return -1;
    unsigned given = 0;
    for (unsigned m = 0; m < FAULT_MODE__COUNT; m++)
        given += sn.key[m] != NULL;
    if (!given)
        return ld_fail(l, v, "write single-bit: {transient: FIT, permanent: FIT}, ...; modes left out have 0 FIT",
                       "'%s' names no fault mode", f->key);
    *(struct field_rates *)ld_member(obj, f->off) = r;
    return 0;
}

int ld_rd_fit_table(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    const char *buf[8];
    unsigned n = field_rates_builtin_count();
    struct names nm = ld_names_from(buf, n < 8 ? n : 8, field_rates_builtin_name);
    int i = ld_read_name(l, f, v, &nm, "built-in tables");
    if (i < 0)
        return -1;
    *(struct field_rates *)ld_member(obj, f->off) = *field_rates_builtin((unsigned)i);
    return 0;
}

int ld_rd_fit_file(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    char name[512], path[1024];
    struct field text = *f;
    text.max = sizeof(name);
    if (ld_read_text(l, &text, v, name) < 0)
        return -1;
    if (!name[0])
        return ld_fail(l, v, "the name of a CSV file, relative to this file's folder", "'%s' is empty", f->key);
    ld_path_beside(l, name, path, sizeof(path));
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return ld_fail(l, v, "name a CSV file, relative to the folder of the file that names it",
                       "'%s': %s is not a regular file", f->key, path);
    struct scn_error rerr;
    memset(&rerr, 0, sizeof(rerr));
    size_t len;
    char *buf = scenario_read_file(path, &len, &rerr);
    if (!buf)
        return ld_fail(l, v, "the path is relative to the folder of the file that names it", "'%s': %s: %s",
                       f->key, path, rerr.msg);
    struct fit_csv_error e;
    struct field_rates r;
    int rc = fit_csv_parse(buf, len, &r, &e);
    free(buf);
    if (rc != 0)
        return ld_fail(l, v, e.hint, "'%s': %s:%u:%u: %s", f->key, path, e.line, e.col, e.msg);
    *(struct field_rates *)ld_member(obj, f->off) = r;
    return 0;
}

static const struct field source_fields[] = {
    {.key = "table", .rd = ld_rd_fit_table, .flags = F_ONE},
    {.key = "fit", .rd = ld_rd_fit, .flags = F_ONE},
    {.key = "fit_file", .rd = ld_rd_fit_file, .flags = F_ONE},
};

int ld_rd_fit_source(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct seen sn;
    return LD_WALK(l, v, f->key, source_fields, ld_member(obj, f->off), &sn);
}
