/*
 * decode_record.c - the register set of one error as a tool printed it,
 * read from stdin by `mcasim decode`:
 *
 * - an mcelog text record (andikleen/mcelog's dump: "CPU 0 BANK 8",
 *   "MISC 86 ADDR 180020", "STATUS bd000000004000cf MCGSTATUS 5", "MCGCAP
 *   1000c14 APICID 0 SOCKETID 0", "CPUID Vendor Intel Family 6 Model 46
 *   Step 5"; its raw dump's "PROCESSOR 0:206e6", vendor 0 Intel, 2 AMD),
 *   numbers in hex with or without 0x, other lines ignored;
 * - the kernel's panic line "CPU 0: Machine Check Exception: 5 Bank 2:
 *   bd000000000000c0" (MCG_STATUS and MCi_STATUS in hex);
 * - a QEMU monitor line "[(qemu)] mce [-b] cpu bank status mcgstatus addr
 *   misc", numbers in C syntax.
 * The first line that is one of these decides which.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/cli/decode.h"

#define MAX_WORDS 24

static int split(char *line, char **w)
{
    int n = 0;
    for (char *save = NULL, *t = strtok_r(line, " \t\r\n:", &save); t && n < MAX_WORDS;
         t = strtok_r(NULL, " \t\r\n:", &save))
        w[n++] = t;
    return n;
}

static bool number(const char *s, int base, uint64_t *v)
{
    char *end;
    if (!*s || *s == '-')
        return false;
    *v = strtoull(s, &end, base);
    return !*end;
}

/* mce [-b] cpu bank status mcgstatus addr misc */
static int qemu_line(char **w, int n, struct decode_in *d, char *why, size_t len)
{
    int k = 1 + (n > 1 && !strcmp(w[1], "-b"));
    uint64_t a[6];
    if (n - k != 6) {
        snprintf(why, len, "a QEMU mce line has 6 numbers: mce [-b] cpu bank status mcgstatus addr misc");
        return -1;
    }
    for (int i = 0; i < 6; i++)
        if (!number(w[k + i], 0, &a[i])) {
            snprintf(why, len, "QEMU mce line: '%s' is not a number", w[k + i]);
            return -1;
        }
    d->cpu_index = (int)a[0];
    d->bank = (int)a[1];
    d->status = a[2];
    d->mcg_status = a[3];
    d->addr = a[4];
    d->misc = a[5];
    d->have_status = d->have_mcg = true;
    d->source = "QEMU mce line";
    return 0;
}

/* "KEY value" pairs of an mcelog line, hex values. */
static void mcelog_pairs(char **w, int n, struct decode_in *d)
{
    static const struct {
        const char *key;
        size_t off;
        size_t have;
    } keys[] = {
        {"STATUS", offsetof(struct decode_in, status), offsetof(struct decode_in, have_status)},
        {"MCGSTATUS", offsetof(struct decode_in, mcg_status), offsetof(struct decode_in, have_mcg)},
        {"MCGCAP", offsetof(struct decode_in, mcg_cap), offsetof(struct decode_in, have_cap)},
        {"ADDR", offsetof(struct decode_in, addr), 0},
        {"MISC", offsetof(struct decode_in, misc), 0},
    };
    uint64_t v;
    for (int i = 0; i + 1 < n; i++) {
        for (unsigned k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
            if (!strcmp(w[i], keys[k].key) && number(w[i + 1], 16, &v)) {
                *(uint64_t *)((char *)d + keys[k].off) = v;
                if (keys[k].have)
                    *(bool *)((char *)d + keys[k].have) = true;
            }
        if (!strcmp(w[i], "CPU") && number(w[i + 1], 10, &v))
            d->cpu_index = (int)v;
        /* the kernel's panic line: CPU 0: Machine Check Exception: 5 Bank 2: bd00... */
        if (!strcmp(w[i], "Exception") && number(w[i + 1], 16, &v))
            d->mcg_status = v, d->have_mcg = true;
        if (!strcmp(w[i], "Bank") && number(w[i + 1], 10, &v) && i + 2 < n && number(w[i + 2], 16, &d->status))
            d->bank = (int)v, d->have_status = true;
        if (!strcmp(w[i], "BANK") && number(w[i + 1], 10, &v))
            d->bank = (int)v;
    }
}

/* "CPUID Vendor AMD Family 23 Model 49 ..." and "PROCESSOR 2:830f10". */
static void mcelog_cpu(char **w, int n, struct decode_in *d)
{
    uint64_t v;
    for (int i = 0; i + 1 < n; i++) {
        if (!strcmp(w[i], "Vendor")) {
            d->cpu.vendor = !strcasecmp(w[i + 1], "AMD") || !strcasecmp(w[i + 1], "Hygon") ? CPU_VENDOR_AMD
                                                                                             : CPU_VENDOR_INTEL;
            d->vendor_given = true;
        }
        if (!strcmp(w[i], "Family") && number(w[i + 1], 10, &v))
            d->cpu.family = (unsigned)v;
        if (!strcmp(w[i], "Model") && number(w[i + 1], 10, &v))
            d->cpu.model = (unsigned)v;
        if (!strcmp(w[i], "PROCESSOR") && number(w[i + 1], 10, &v)) {
            d->cpu.vendor = v == 2 ? CPU_VENDOR_AMD : CPU_VENDOR_INTEL; /* Linux's X86_VENDOR_AMD is 2 */
            d->vendor_given = true;
        }
    }
}

int decode_read_record(FILE *f, struct decode_in *d, char *why, size_t len)
{
    char line[1024];
    bool mcelog = false;
    while (fgets(line, sizeof(line), f)) {
        char *w[MAX_WORDS];
        int n = split(line, w);
        int first = n && !strcmp(w[0], "(qemu)");
        if (!mcelog && n > first && !strcmp(w[first], "mce") && n > first + 1 &&
            (isdigit((unsigned char)w[first + 1][0]) || !strcmp(w[first + 1], "-b")))
            return qemu_line(w + first, n - first, d, why, len);
        mcelog_pairs(w, n, d);
        mcelog_cpu(w, n, d);
        mcelog |= d->have_status;
    }
    if (!d->have_status) {
        snprintf(why, len, "no record on stdin: give --status, or an mcelog record (STATUS x MCGSTATUS y ...) or "
                           "a QEMU 'mce cpu bank status mcgstatus addr misc' line");
        return -1;
    }
    d->source = "mcelog record";
    return 0;
}
