/*
 * import.h - scenario files in the formats of the injectors RAS engineers
 * already use, besides YAML: Linux's mce-inject input, QEMU's monitor
 * `mce` command, Xen's xen-mceinj command lines and the settings of ACPI
 * EINJ (debugfs apei/einj). Each importer (import_*.c) turns its input
 * into the YAML scenario it stands for, on the default platform of its
 * format (docs/SCENARIOS.md, "Importing"); that text is what runs, and what
 * `mcasim import` prints, so a file and its import give the same results.
 *
 * An error in an input is reported at its own file, line and column, with
 * a hint, like an error in YAML.
 */
#ifndef SIM_SCENARIO_IMPORT_H
#define SIM_SCENARIO_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "sim/scenario/scenario.h"

enum scn_format {
    SCN_FMT_AUTO = 0,     /* detect from the content */
    SCN_FMT_YAML,
    SCN_FMT_MCE_INJECT,   /* Linux mce-inject: "CPU 0 BANK 1 / STATUS ..." */
    SCN_FMT_QEMU,         /* QEMU HMP: "mce [-b] cpu bank status mcgstatus addr misc" */
    SCN_FMT_XEN_MCEINJ,   /* Xen: "xen-mceinj -t 1 -c 2 ..." */
    SCN_FMT_EINJ,         /* ACPI EINJ: "echo 0x8 > error_type" ... */
    SCN_FMT__COUNT
};

/* "yaml", "mce-inject", "qemu", "xen-mceinj", "einj"; "auto" for AUTO. */
const char *scn_format_name(enum scn_format f);
/* SCN_FMT__COUNT when the name is none of them. */
enum scn_format scn_format_from_name(const char *name);
/* The names, comma separated, for help and hints. */
const char *scn_format_list(void);
/* The format of a file's content (never AUTO; YAML when nothing else fits). */
enum scn_format scn_format_detect(const char *text, size_t len);
/* Folder walks pick up these file names besides *.yaml and *.yml:
 * *.mce (mce-inject), *.qemu, *.xen-mceinj, *.einj. */
bool scn_format_file_name(const char *name);

/* The YAML scenario an input stands for, written to out. fmt is never
 * YAML here (AUTO detects). name is the input's file name, for the
 * scenario's name and its description, and for errors. 0, or -1 with *err
 * set (the input's line and column). */
int scn_import(const char *name, const char *text, size_t len, enum scn_format fmt, FILE *out,
               struct scn_error *err);

/* The same for a file (at most 16 MiB, like a YAML scenario). */
int scn_import_file(const char *path, enum scn_format fmt, FILE *out, struct scn_error *err);

/* Load a scenario file of any format (fmt AUTO: detected). As
 * scenario_load_all(): every error is added to *errs. */
int scenario_load_as(const char *path, enum scn_format fmt, struct scenario *out, struct scn_errors *errs);

#endif
