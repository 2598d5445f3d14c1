/*
 * import.c - the formats a scenario file may be in (import.h): their
 * names, how each is recognised from the first line that says something,
 * and loading a file of any of them: an input is imported into YAML text
 * (import_emit.c) and that text loaded, an error in it reported at the
 * input line that asked for what failed.
 */
#include "sim/scenario/import.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arch/x86_mca.h"
#include "sim/scenario/import_int.h"
#include "sim/scenario/scenario_walk.h"

struct format {
    const char *name;
    const char *ext;        /* picked up in folders */
    int (*import)(const char *text, struct imp *im);
};

static const struct format formats[SCN_FMT__COUNT] = {
    [SCN_FMT_AUTO] = {"auto", NULL, NULL},
    [SCN_FMT_YAML] = {"yaml", ".yaml", NULL},
    [SCN_FMT_MCE_INJECT] = {"mce-inject", ".mce", import_mce_inject},
    [SCN_FMT_QEMU] = {"qemu", ".qemu", import_qemu},
    [SCN_FMT_XEN_MCEINJ] = {"xen-mceinj", ".xen-mceinj", import_xen_mceinj},
    [SCN_FMT_EINJ] = {"einj", ".einj", import_einj},
};

const char *scn_format_name(enum scn_format f) { return f < SCN_FMT__COUNT ? formats[f].name : "unknown"; }

enum scn_format scn_format_from_name(const char *name)
{
    for (int f = 0; f < SCN_FMT__COUNT; f++)
        if (!strcmp(name, formats[f].name))
            return (enum scn_format)f;
    return SCN_FMT__COUNT;
}

const char *scn_format_list(void) { return "auto, yaml, mce-inject, qemu, xen-mceinj, einj"; }

bool scn_format_file_name(const char *name)
{
    size_t n = strlen(name);
    if (n > 4 && !strcmp(name + n - 4, ".yml"))
        return true;
    for (int f = SCN_FMT_YAML; f < SCN_FMT__COUNT; f++) {
        size_t k = strlen(formats[f].ext);
        if (n > k && !strcmp(name + n - k, formats[f].ext))
            return true;
    }
    return false;
}

/* ---- detection ---------------------------------------------------------------- */

/* The first word of the first line that is neither blank nor a comment,
 * and the word after it. */
static void first_words(const char *text, size_t len, char *w1, char *w2, size_t wlen)
{
    w1[0] = w2[0] = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        if (p < end && *p != '\n' && *p != '#')
            break;
        while (p < end && *p != '\n')
            p++;
        p++;
    }
    char *dst[2] = {w1, w2};
    for (int k = 0; k < 2 && p < end; k++) {
        size_t n = 0;
        while (p < end && !isspace((unsigned char)*p) && n + 1 < wlen)
            dst[k][n++] = *p++;
        dst[k][n] = 0;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p < end && (*p == '\n' || *p == '#'))
            break;
    }
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && !strcmp(s + n - k, tail);
}

static bool einj_file(const char *w)
{
    static const char *const files[] = {"error_type", "error_inject", "param1", "param2", "param3", "param4",
                                        "flags", "notrigger", "vendor_flags"};
    const char *base = strrchr(w, '/');
    base = base ? base + 1 : w;
    for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        if (!strcmp(base, files[i]))
            return true;
    return false;
}

enum scn_format scn_format_detect(const char *text, size_t len)
{
    char w1[256], w2[256];
    first_words(text, len, w1, w2, sizeof(w1));
    if (!strcmp(w1, "(qemu)") || (!strcmp(w1, "mce") && (!strcmp(w2, "-b") || isdigit((unsigned char)w2[0]))))
        return SCN_FMT_QEMU;
    if (ends_with(w1, "xen-mceinj"))
        return SCN_FMT_XEN_MCEINJ;
    if (!strcmp(w1, "echo") || (!strcmp(w1, "cd") && strstr(w2, "apei/einj")) || einj_file(w1))
        return SCN_FMT_EINJ;
    if (!strcasecmp(w1, "CPU") || !strcasecmp(w1, "MCE"))
        return SCN_FMT_MCE_INJECT;
    return SCN_FMT_YAML;
}

/* ---- import and load ---------------------------------------------------------- */

/* The import as an struct imp: the format's importer, then the platform
 * sized for what it names. */
static int import_imp(const char *name, const char *text, size_t len, enum scn_format fmt, struct imp *im,
                      struct scn_error *err)
{
    memset(err, 0, sizeof(*err));
    snprintf(err->file, sizeof(err->file), "%s", name);
    if (fmt == SCN_FMT_AUTO)
        fmt = scn_format_detect(text, len);
    imp_init(im, fmt, name, err);
    if (fmt == SCN_FMT_YAML || fmt >= SCN_FMT__COUNT) {
        snprintf(err->msg, sizeof(err->msg), "this is not one of the formats mcasim imports");
        snprintf(err->hint, sizeof(err->hint), "give --from mce-inject, qemu, xen-mceinj or einj");
        return -1;
    }
    if (strlen(text) != len)
        return imp_fail(im, (struct scn_loc){0, 0}, NULL, "the file holds a NUL byte");
    if (formats[fmt].import(text, im) != 0)
        return -1;
    for (unsigned i = 0; i < im->n; i++) {
        if (im->v[i].cpu >= im->cpus)
            im->cpus = im->v[i].cpu + 1;
        if (!im->banks_fixed && im->v[i].bank >= im->banks)
            im->banks = im->v[i].bank + 1;
        /* a corrected error with no CMCI (one below Xen's threshold of 2) waits for the poller */
        im->polled |= im->v[i].signal == SCN_SIGNAL_NONE ||
                      (im->v[i].signal == SCN_SIGNAL_AUTO && !(im->v[i].status & MCI_STATUS_UC));
    }
    return 0;
}

int scn_import(const char *name, const char *text, size_t len, enum scn_format fmt, FILE *out,
               struct scn_error *err)
{
    struct imp im;
    int rc = import_imp(name, text, len, fmt, &im, err);
    if (rc == 0 && imp_emit(&im, out, NULL, NULL) != 0)
        rc = imp_fail(&im, (struct scn_loc){0, 0}, NULL, "out of memory writing the scenario");
    imp_free(&im);
    return rc;
}

int scn_import_file(const char *path, enum scn_format fmt, FILE *out, struct scn_error *err)
{
    size_t len = 0;
    memset(err, 0, sizeof(*err));
    snprintf(err->file, sizeof(err->file), "%s", path);
    char *text = scenario_read_file(path, &len, err);
    if (!text)
        return -1;
    int rc = scn_import(path, text, len, fmt, out, err);
    free(text);
    return rc;
}

/* An error the loader found in the imported YAML, moved to the input line
 * that asked for what failed; one in a line of the default platform is
 * said to be in the imported scenario. */
static void map_error(struct scn_error *e, const char *path, const struct scn_loc *lines, unsigned n)
{
    snprintf(e->file, sizeof(e->file), "%s", path);
    struct scn_loc at = e->line >= 1 && e->line <= n ? lines[e->line - 1] : (struct scn_loc){0, 0};
    e->line = at.line;
    e->col = at.col;
    if (!at.line) {
        char msg[sizeof(e->msg)];
        snprintf(msg, sizeof(msg), "in the scenario imported from it: %.*s", (int)sizeof(msg) - 40, e->msg);
        memcpy(e->msg, msg, sizeof(msg));
    }
}

static int load_imported(const char *path, const char *text, size_t len, enum scn_format fmt,
                         struct scenario *out, struct scn_errors *errs)
{
    struct imp im;
    struct scn_error err;
    char *yaml = NULL;
    size_t ylen = 0;
    struct scn_loc *lines = NULL;
    unsigned nlines = 0;
    int rc = import_imp(path, text, len, fmt, &im, &err);
    FILE *f = rc == 0 ? open_memstream(&yaml, &ylen) : NULL;
    if (rc == 0 && (!f || imp_emit(&im, f, &lines, &nlines) != 0))
        rc = imp_fail(&im, (struct scn_loc){0, 0}, NULL, "out of memory writing the scenario");
    if (f)
        fclose(f);
    imp_free(&im);
    if (rc != 0) {
        memset(out, 0, sizeof(*out));
        scn_errors_add(errs, &err);
    } else if ((rc = scenario_load_text(path, yaml, ylen, out, &err, errs)) != 0) {
        for (unsigned i = 0; i < errs->n; i++)
            map_error(&errs->v[i], path, lines, nlines);
    }
    free(yaml);
    free(lines);
    return rc;
}

int scenario_load_as(const char *path, enum scn_format fmt, struct scenario *out, struct scn_errors *errs)
{
    struct scn_error err;
    size_t len = 0;
    memset(&err, 0, sizeof(err));
    snprintf(err.file, sizeof(err.file), "%s", path);
    char *text = scenario_read_file(path, &len, &err);
    if (!text) {
        memset(out, 0, sizeof(*out));
        scn_errors_add(errs, &err);
        return -1;
    }
    if (fmt == SCN_FMT_AUTO)
        fmt = scn_format_detect(text, len);
    int rc = fmt == SCN_FMT_YAML ? scenario_load_text(path, text, len, out, &err, errs)
                                 : load_imported(path, text, len, fmt, out, errs);
    free(text);
    return rc;
}
