/*
 * oracle_compare.c - the section-by-section comparison and its report
 * (oracle_compare.h). The verdict of a section is a function of two facts,
 * whether the normalized lines differ and how the case marks the section:
 *
 *   differs  mark              verdict
 *   no       none              agree
 *   no       any               gone (the mark must be removed)
 *   yes      none              differs
 *   yes      same digest       known
 *   yes      another digest    changed (re-check the reason, update the mark)
 */
#include "sim/results/oracle_compare.h"

#include <stdio.h>
#include <string.h>

#include "sim/results/line_diff.h"

static const char *const verdict_names[SV__COUNT] = {
    [SV_AGREE] = "agree",
    [SV_KNOWN] = "known deviation",
    [SV_DIFFERS] = "DIFFERS",
    [SV_CHANGED] = "DIFFERS from its mark",
    [SV_GONE] = "AGREES, but marked as a deviation",
    [SV_NOT_COMPARED] = "not compared",
};

const char *sec_verdict_name(enum sec_verdict v)
{
    return (unsigned)v < SV__COUNT ? verdict_names[v] : "unknown";
}

static enum sec_verdict verdict(bool differs, const struct deviation *mark, uint32_t digest)
{
    if (!differs)
        return mark ? SV_GONE : SV_AGREE;
    if (!mark)
        return SV_DIFFERS;
    return mark->digest == digest ? SV_KNOWN : SV_CHANGED;
}

static bool known_key(const struct sec_spec *const *specs, unsigned n, const char *key)
{
    for (unsigned i = 0; i < n; i++)
        if (!strcmp(specs[i]->key, key))
            return true;
    return false;
}

void oracle_compare(const struct norm_case *c, const struct transcript *real, const struct transcript *sim,
                    const struct deviations *marks, struct oracle_report *rep)
{
    memset(rep, 0, sizeof(*rep));
    const struct sec_spec *specs[ORC_MAX_SECTIONS];
    rep->n = oracle_sections(c->target, specs, ORC_MAX_SECTIONS);
    for (unsigned i = 0; i < rep->n; i++)
        snprintf(rep->sec[i].key, sizeof(rep->sec[i].key), "%s", specs[i]->key);
    for (unsigned k = 0; k < real->nsec && rep->n < ORC_MAX_SECTIONS; k++)
        if (!known_key(specs, rep->n, real->sec[k].key)) {
            snprintf(rep->sec[rep->n].key, sizeof(rep->sec[rep->n].key), "%s", real->sec[k].key);
            specs[rep->n++] = oracle_unknown_section();
        }
    for (unsigned i = 0; i < rep->n; i++) {
        struct sec_result *s = &rep->sec[i];
        s->spec = specs[i];
        s->mark = marks ? deviations_find(marks, s->key) : NULL;
        if (s->spec->mode == SEC_NOT_COMPARED) {
            s->verdict = SV_NOT_COMPARED;
            continue;
        }
        struct ts_lines a = {0}, b = {0};
        oracle_normalize(c, real, s->key, &a);
        oracle_normalize(c, sim, s->key, &b);
        s->differs = line_diff(&a, &b, &s->diff);
        s->digest = s->differs ? line_digest(&s->diff) : 0;
        s->verdict = verdict(s->differs, s->mark, s->digest);
        ts_lines_free(&a);
        ts_lines_free(&b);
    }
}

bool oracle_report_ok(const struct oracle_report *rep)
{
    for (unsigned i = 0; i < rep->n; i++)
        if (rep->sec[i].verdict == SV_DIFFERS || rep->sec[i].verdict == SV_CHANGED ||
            rep->sec[i].verdict == SV_GONE)
            return false;
    return true;
}

static void write_section(const struct sec_result *s, bool all, struct text_buf *out)
{
    tb_printf(out, "== %s: %s", s->key, sec_verdict_name(s->verdict));
    if (s->verdict == SV_NOT_COMPARED || s->spec->mode == SEC_FACTS)
        tb_printf(out, " (%s)", s->spec->note);
    if (s->differs)
        tb_printf(out, " [digest %08x]", s->digest);
    tb_printf(out, "\n");
    if (s->mark && s->verdict == SV_KNOWN)
        tb_printf(out, "   %s: %s\n", dev_kind_name(s->mark->kind), s->mark->reason);
    if (s->mark && s->verdict == SV_CHANGED)
        tb_printf(out, "   the mark (line %u) says digest %08x: re-check its reason, then update it\n",
                  s->mark->line, s->mark->digest);
    if (s->mark && s->verdict == SV_GONE)
        tb_printf(out, "   the mark (line %u) explains a difference that no longer occurs: remove it\n",
                  s->mark->line);
    if (s->verdict == SV_NOT_COMPARED || (!s->differs && !all))
        return;
    for (unsigned i = 0; i < s->diff.n; i++)
        tb_printf(out, "   %s\n", s->diff.v[i]);
}

void oracle_report_write(const struct oracle_report *rep, const char *real_name, bool all, struct text_buf *out)
{
    unsigned count[SV__COUNT] = {0};
    tb_printf(out, "comparing %s (-) with mcasim (+), after normalization (mcasim oracle --rules)\n", real_name);
    for (unsigned i = 0; i < rep->n; i++) {
        write_section(&rep->sec[i], all, out);
        count[rep->sec[i].verdict]++;
    }
    tb_printf(out, "%s: %u agree, %u known deviations, %u differ, %u differ from their mark, "
                   "%u marked but agree, %u not compared\n",
              oracle_report_ok(rep) ? "OK" : "FAIL", count[SV_AGREE], count[SV_KNOWN], count[SV_DIFFERS],
              count[SV_CHANGED], count[SV_GONE], count[SV_NOT_COMPARED]);
}

void oracle_report_free(struct oracle_report *rep)
{
    for (unsigned i = 0; i < rep->n; i++)
        ts_lines_free(&rep->sec[i].diff);
    memset(rep, 0, sizeof(*rep));
}
