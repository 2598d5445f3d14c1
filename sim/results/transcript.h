/*
 * transcript.h - an oracle transcript in memory (oracle/README.md,
 * "Transcript"): header lines, then sections, each a "== TITLE" heading
 * and its lines. The oracle writes one of these for what real Xen or Linux
 * did under QEMU; transcript_render.c writes one for what mcasim did, and
 * oracle_compare.c compares the two section by section.
 *
 * A section's key is its title up to " (": "xen console", "vmce msr
 * trace", "dom0 /dev/mcelog records". Parsing and writing are inverse:
 * ts_write(ts_parse(text)) is text again, byte for byte, for any text in
 * the format (lines end with '\n'; one empty line before each heading).
 */
#ifndef SIM_TRANSCRIPT_H
#define SIM_TRANSCRIPT_H

#include <stddef.h>

#include "sim/results/text_buf.h"

#define TS_KEY_LEN 64

/* A growable list of lines, each malloc'd. */
struct ts_lines {
    char **v;
    unsigned n, cap;
};

struct ts_section {
    char *title;              /* the heading after "== " */
    char key[TS_KEY_LEN];     /* the title up to " (" */
    struct ts_lines lines;
};

struct transcript {
    struct ts_lines header;   /* the lines before the first heading */
    struct ts_section *sec;
    unsigned nsec, cap;
};

void ts_lines_add(struct ts_lines *l, const char *text);
void ts_lines_addf(struct ts_lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ts_lines_free(struct ts_lines *l);

void ts_init(struct transcript *t);
void ts_free(struct transcript *t);

/* Parse text into *t (ts_init'ed by the call). 0, or -1 with a message in
 * err naming the line (text without a heading, a heading twice, a section
 * without the empty line before it). *t is freed on failure. */
int ts_parse(struct transcript *t, const char *text, char *err, size_t errlen);

/* A new section at the end; its key is computed from the title. */
struct ts_section *ts_add_section(struct transcript *t, const char *title);
/* The section with this key, or NULL. */
const struct ts_section *ts_find(const struct transcript *t, const char *key);
/* The value of a header line "NAME: VALUE", or NULL. */
const char *ts_header(const struct transcript *t, const char *name);

/* The text: header lines, then for each section an empty line, the
 * heading and its lines. */
void ts_write(const struct transcript *t, struct text_buf *out);

#endif
