/*
 * oracle_deviation.h - known deviations of mcasim from the oracle, as a
 * case marks them: tests/oracle/<target>/<case>.deviation beside the case,
 * one line per section where mcasim differs, the reason, and the digest of
 * the difference, so that a mark holds only as long as the difference is
 * exactly the one it explains (oracle_compare.h):
 *
 *     # comments and empty lines are ignored
 *     SECTION | KIND | DIGEST | REASON
 *
 * SECTION is a compared section's key ("xen console"); KIND is `bug` (the
 * simulator should change: the reason names the function) or `limit` (a
 * deliberate limit of the model or of the oracle: the reason says why);
 * DIGEST is the 8 hex digits `mcasim oracle` prints for the difference;
 * REASON is one line: which Xen function does what, and what mcasim does
 * instead.
 */
#ifndef SIM_ORACLE_DEVIATION_H
#define SIM_ORACLE_DEVIATION_H

#include <stddef.h>
#include <stdint.h>

#include "sim/results/oracle_target.h"
#include "sim/results/transcript.h"

enum dev_kind { DEV_BUG = 0, DEV_LIMIT, DEV__COUNT };
const char *dev_kind_name(enum dev_kind k); /* "bug", "limit" */

struct deviation {
    char section[TS_KEY_LEN];
    enum dev_kind kind;
    uint32_t digest;
    char reason[2048];
    unsigned line;          /* in the file, for messages */
};

struct deviations {
    struct deviation *v;
    unsigned n;
};

/* Parse a mark file's text (name is for messages). 0, or -1 with
 * "NAME:LINE: problem" in err: a malformed line, a section twice, or a
 * section the target's comparison does not compare. */
int deviations_parse(const char *text, const char *name, enum oracle_target t, struct deviations *d, char *err,
                     size_t errlen);
void deviations_free(struct deviations *d);
const struct deviation *deviations_find(const struct deviations *d, const char *section);

#endif
