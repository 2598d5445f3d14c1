/*
 * oracle_compare.h - compare the oracle's transcript of a case with
 * mcasim's, section by section, after the normalization of oracle_norm.h,
 * and hold each difference against the case's known deviations
 * (oracle_deviation.h). A mark must still be exactly what differs: a
 * marked section that now agrees, or differs otherwise (another digest),
 * fails as surely as an unmarked difference.
 */
#ifndef SIM_ORACLE_COMPARE_H
#define SIM_ORACLE_COMPARE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/results/oracle_deviation.h"
#include "sim/results/oracle_norm.h"
#include "sim/results/text_buf.h"
#include "sim/results/transcript.h"

enum sec_verdict {
    SV_AGREE = 0,     /* the same after normalization                     */
    SV_KNOWN,         /* differs exactly as the case's mark says          */
    SV_DIFFERS,       /* differs, and no mark says so                     */
    SV_CHANGED,       /* differs, but not as the mark says (its digest)   */
    SV_GONE,          /* marked, but agrees now: the mark must go         */
    SV_NOT_COMPARED,
    SV__COUNT
};
const char *sec_verdict_name(enum sec_verdict v);

#define ORC_MAX_SECTIONS 24 /* a target's sections, and the real transcript's unknown ones */

struct sec_result {
    char key[TS_KEY_LEN];         /* the section's */
    const struct sec_spec *spec;
    enum sec_verdict verdict;
    bool differs;                 /* the normalized lines differ */
    uint32_t digest;              /* of diff, when the section differs */
    struct ts_lines diff;         /* line_diff() of real against mcasim */
    const struct deviation *mark; /* NULL when not marked */
};

struct oracle_report {
    struct sec_result sec[ORC_MAX_SECTIONS];
    unsigned n;
};

/* marks may be NULL (none). A section of the real transcript that the
 * target's sections do not name is listed as not compared. */
void oracle_compare(const struct norm_case *c, const struct transcript *real, const struct transcript *sim,
                    const struct deviations *marks, struct oracle_report *rep);
/* No section DIFFERS, CHANGED or GONE. */
bool oracle_report_ok(const struct oracle_report *rep);
/* The report as text: a line per section with its verdict, the diff of
 * every section that differs (or of every section, with all), a summary. */
void oracle_report_write(const struct oracle_report *rep, const char *real_name, bool all, struct text_buf *out);
void oracle_report_free(struct oracle_report *rep);

#endif
