/*
 * import_int.h - internal to the importers: the scenario an input stands
 * for before it is written as YAML (import_emit.c), and the helpers every
 * importer shares: errors at the input's positions, numbers in C syntax,
 * words of a line.
 *
 * An importer fills struct imp: the platform its format implies, and one
 * struct imp_inject per register-level injection, each with the position
 * of what asked for it. Injections of one group (a broadcast, records an
 * injector fires together) happen at the same time; group k happens at
 * (k + 1) ms, one group per command or record, in input order.
 */
#ifndef SIM_SCENARIO_IMPORT_INT_H
#define SIM_SCENARIO_IMPORT_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/scenario/import.h"
#include "sim/scenario/scenario.h"

#define IMP_NOTE_LEN 160
#define IMP_MAX_DOMAINS 64

struct imp_inject {
    struct scn_loc loc;         /* what asked for it, in the input */
    unsigned group;
    unsigned cpu, bank;
    uint64_t status, addr, misc;
    bool has_mcg;               /* mcg_status interposed as given */
    uint64_t mcg;
    enum scn_signal signal;
    bool no_broadcast;          /* raised on this CPU alone */
    bool raw;                   /* the registers as given (an injector's write) */
    int context;                /* enum x86_exec_ctx, or -1 */
    char note[IMP_NOTE_LEN];    /* what the input said, for a comment */
};

/* A domain whose guest-physical addresses an input names (xen-mceinj -d):
 * its memory is one region at a machine address of its own. */
struct imp_domain {
    unsigned id;
    uint64_t start, size;
};

struct imp {
    enum scn_format format;
    const char *file;           /* the input's name, as given */
    struct scn_error *err;
    /* the platform */
    unsigned cpus, banks;       /* at least this many */
    bool banks_fixed;           /* the format's bank count is fixed (QEMU: 10) */
    uint64_t mcg_cap;           /* MCG_*_P bits */
    bool lmce;                  /* firmware LMCE_ON */
    const char *cpu;            /* "intel:6:0x55" */
    bool polled;                /* an error only the poller finds: run past Xen's first poll */
    struct imp_domain dom[IMP_MAX_DOMAINS];
    unsigned ndom;
    /* what happens */
    struct imp_inject *v;
    unsigned n, cap;
    unsigned ngroups;
    char notes[8][IMP_NOTE_LEN]; /* said once, at the top of the YAML */
    unsigned nnotes;
};

/* Each format's importer: parse text into im (its defaults already set by
 * imp_init); 0, or -1 after imp_fail(). */
int import_mce_inject(const char *text, struct imp *im);
int import_qemu(const char *text, struct imp *im);
int import_xen_mceinj(const char *text, struct imp *im);
int import_einj(const char *text, struct imp *im);

/* The default platform of imported files: one Intel Skylake-SP host with
 * the MCG_CAP of a recent server, at least 4 CPUs and 10 banks. */
void imp_init(struct imp *im, enum scn_format f, const char *file, struct scn_error *err);
void imp_free(struct imp *im);
/* A new injection in group g (zeroed: broadcast, signal auto, no context);
 * NULL after an error when memory runs out. */
struct imp_inject *imp_add(struct imp *im, struct scn_loc at, unsigned group);
/* Start the next group; its number. */
unsigned imp_group(struct imp *im);
void imp_note(struct imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The error of the import, at a position of the input; returns -1. */
int imp_fail(struct imp *im, struct scn_loc at, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A CPU or bank index must fit mcasim's limits (256 CPUs, 32 banks): -1
 * after an error naming what: "CPU", "bank". */
int imp_check_index(struct imp *im, struct scn_loc at, const char *what, uint64_t v);

/* A number as C writes it (0x hex, 0 octal, decimal), whole word:
 * false when it is not one or does not fit 64 bits. */
bool imp_number(const char *s, size_t len, uint64_t *v);

/* Words of a line: spans of non-blank characters, a '#' starts a comment.
 * Each word keeps its column. */
struct imp_word {
    const char *s;
    size_t len;
    unsigned col;
};
#define IMP_MAX_WORDS 32
/* The words of line (up to its '\n' or end); their count, or -1 if more
 * than IMP_MAX_WORDS (imp_fail called with line number lineno). */
int imp_words(struct imp *im, const char *line, unsigned lineno, struct imp_word *w);
/* The next line of text after *p (advances *p); NULL at the end. */
const char *imp_next_line(const char **p);
bool imp_word_is(const struct imp_word *w, const char *s);

/* Write im as YAML; for each line written, the input position it stands
 * for (0:0 for lines no input line asked for) in *lines (malloc'd). */
int imp_emit(const struct imp *im, FILE *out, struct scn_loc **lines, unsigned *nlines);

#endif
