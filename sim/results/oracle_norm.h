/*
 * oracle_norm.h - what "mcasim agrees with the oracle" means: which
 * transcript sections are compared, and the one table of rules that
 * rewrites both sides' lines alike before they are compared (which lines
 * are dropped, which fields masked and why). The oracle already applied
 * its own normalization (oracle/transcript.py) to its side; those rules are
 * in the table too, so applying them again is harmless and mcasim's side
 * gets the same treatment.
 *
 * `mcasim oracle --rules` prints both tables; oracle/README.md ("Comparing
 * with mcasim") holds the same text.
 */
#ifndef SIM_ORACLE_NORM_H
#define SIM_ORACLE_NORM_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/results/oracle_target.h"
#include "sim/results/text_buf.h"
#include "sim/results/transcript.h"
#include "sim/scenario/scenario.h"

#define ORC_T(t) (1u << (t))
#define ORC_XEN (ORC_T(ORC_XEN_417) | ORC_T(ORC_XEN_420))
#define ORC_ALL (ORC_XEN | ORC_T(ORC_LINUX))

enum sec_mode {
    SEC_COMPARED,     /* every line, after the rules                      */
    SEC_FACTS,        /* only the lines a KEEP rule made (the facts)      */
    SEC_NOT_COMPARED, /* shown, never compared; the row says why          */
};

struct sec_spec {
    const char *key;      /* section key (transcript.h) */
    unsigned targets;     /* ORC_T bits */
    enum sec_mode mode;
    const char *note;     /* what is compared, or why not */
};

/* The sections of a target's transcript, in transcript order. */
unsigned oracle_sections(enum oracle_target t, const struct sec_spec **out, unsigned max);
/* What a transcript section none of the rows names is: not compared. */
const struct sec_spec *oracle_unknown_section(void);

/* What the rules need to know about the case. */
#define NORM_MAX_ADDRS 16
struct norm_case {
    enum oracle_target target;
    bool domain_pages;               /* a memory region belongs to a domain */
    uint64_t addr[NORM_MAX_ADDRS];   /* the addresses the case injects       */
    unsigned naddr;
};
void norm_case_init(struct norm_case *c, const struct scenario *s, enum oracle_target t);

/* The lines of section `key` of t, normalized (appended to *out). A
 * section t lacks gives "(section missing)". */
void oracle_normalize(const struct norm_case *c, const struct transcript *t, const char *key,
                      struct ts_lines *out);

/* Both tables as Markdown. */
void oracle_rules_markdown(struct text_buf *out);

#endif
