/*
 * import_einj.c - settings of ACPI EINJ through Linux's debugfs interface
 * (Documentation/firmware-guide/acpi/apei/einj.rst), as a shell script
 * writes them, or as "file value" lines:
 *
 *     cd /sys/kernel/debug/apei/einj       # ignored
 *     echo 0x12345000 > param1             # or: param1 0x12345000
 *     echo $((-1 << 12)) > param2
 *     echo 0x8 > error_type
 *     echo 1 > error_inject                # inject with what is set
 *
 * The files are error_type, param1..param4, flags, notrigger,
 * vendor_flags and error_inject; a path before the file name is ignored.
 * Values are C numbers, or $((-1 << N)) as the document writes a mask.
 * Settings stay until changed, as the debugfs files do; each write to
 * error_inject is one injection.
 *
 * What the platform raises for each type is a row of einj_types[] below:
 * mcasim's reading, documented in docs/SCENARIOS.md ("Importing"), of what
 * an Intel server reports once the trigger action touches the error:
 * memory errors in the memory controller's bank 7 of socket 0 (the
 * document's own example shows a corrected read, 0x8c00004000010090, in
 * bank 7), processor errors in the data cache unit's bank 1 of the CPU
 * whose APIC id param3 gives (flags bit 0), else CPU 0. Memory errors
 * report param1 as the address when flags is 0 or has bit 1, with MISC's
 * address LSB the lowest bit param2's mask keeps (0 means all ones; at
 * least 6, a cache line). With notrigger 1 nothing touches the error, so
 * nothing is raised. PCI Express, platform and vendor types are not
 * machine checks of the CPU and are refused.
 */
#include <stdio.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "sim/scenario/import_int.h"

#define MEM_BANK 7u
#define CPU_BANK 1u

static const struct einj_type {
    uint64_t type;
    const char *name;
    bool memory;
    uint64_t status;  /* with ADDRV and MISCV for memory: dropped without an address */
} einj_types[] = {
    {0x1, "Processor Correctable", false, 0x9000000000000134ull},        /* VAL|EN, L0 data read */
    {0x2, "Processor Uncorrectable non-fatal", false, 0xB000000000000134ull}, /* + UC, S=0: UCNA */
    {0x4, "Processor Uncorrectable fatal", false, 0xB200000000000134ull},     /* + PCC */
    {0x8, "Memory Correctable", true, 0x8C00004000010090ull},            /* einj.rst's example record */
    {0x10, "Memory Uncorrectable non-fatal", true, 0xBD000000004000CFull}, /* SRAO, patrol scrub */
    {0x20, "Memory Uncorrectable fatal", true, 0xBE0000000000009Full},   /* VAL|UC|EN|MISCV|ADDRV|PCC */
};

static const struct {
    uint64_t mask;
    const char *name;
} not_mca[] = {
    {0x1C0, "PCI Express errors (AER, not MCA banks)"},
    {0xE00, "platform errors (not MCA banks of a CPU)"},
    {1ull << 31, "vendor-defined errors"},
};

enum setting { S_TYPE = 0, S_P1, S_P2, S_P3, S_P4, S_FLAGS, S_NOTRIGGER, S_VENDOR_FLAGS, S_INJECT, S__COUNT };
static const char *const files[S__COUNT] = {"error_type", "param1", "param2", "param3", "param4",
                                            "flags", "notrigger", "vendor_flags", "error_inject"};

struct einj {
    uint64_t v[S__COUNT];
    bool set[S__COUNT];
};

static int file_of(const struct imp_word *w)
{
    const char *base = w->s;
    for (size_t i = 0; i < w->len; i++)
        if (w->s[i] == '/')
            base = w->s + i + 1;
    size_t n = w->len - (size_t)(base - w->s);
    for (int f = 0; f < S__COUNT; f++)
        if (strlen(files[f]) == n && !strncmp(base, files[f], n))
            return f;
    return -1;
}

/* A value: a C number, or $((-1 << N)) (its spaces already joined). */
static bool value(const struct imp_word *w, uint64_t *v)
{
    unsigned shift;
    char tail;
    if (w->len > 4 && !strncmp(w->s, "$((", 3)) {
        char buf[64];
        snprintf(buf, sizeof(buf), "%.*s", (int)w->len, w->s);
        if (sscanf(buf, "$((-1 << %u))%c", &shift, &tail) != 1 || shift >= 64)
            return false;
        *v = ~0ull << shift;
        return true;
    }
    return imp_number(w->s, w->len, v);
}

/* $((-1 << 12)) is three words of the line: make it one again (the words
 * lie in the line's text, so the span from the first to the last is it). */
static int join_arith(struct imp_word *w, int nw)
{
    for (int i = 0; i < nw; i++) {
        if (w[i].len < 3 || strncmp(w[i].s, "$((", 3))
            continue;
        int j = i;
        while (j < nw && (w[j].len < 2 || strncmp(w[j].s + w[j].len - 2, "))", 2)))
            j++;
        if (j == nw)
            return nw;
        w[i].len = (size_t)(w[j].s + w[j].len - w[i].s);
        memmove(&w[i + 1], &w[j + 1], (size_t)(nw - j - 1) * sizeof(*w));
        nw -= j - i;
    }
    return nw;
}

/* The lowest address bit a mask keeps, at least a cache line's 6. */
static unsigned lsb_of(uint64_t mask)
{
    unsigned b = 0;
    if (!mask)
        return 6;
    while (!(mask >> b & 1))
        b++;
    return b < 6 ? 6 : b;
}

static int inject(struct imp *im, const struct einj *e, struct scn_loc at)
{
    if (!e->set[S_TYPE])
        return imp_fail(im, at, "write error_type first, e.g. echo 0x8 > error_type", "error_inject with no error_type set");
    uint64_t type = e->v[S_TYPE];
    for (unsigned i = 0; i < sizeof(not_mca) / sizeof(not_mca[0]); i++)
        if (type & not_mca[i].mask)
            return imp_fail(im, at, "mcasim models processor (0x1, 0x2, 0x4) and memory (0x8, 0x10, 0x20) errors",
                            "EINJ error type %#llx: %s are not modelled", (unsigned long long)type, not_mca[i].name);
    const struct einj_type *t = NULL;
    for (unsigned i = 0; i < sizeof(einj_types) / sizeof(einj_types[0]); i++)
        if (einj_types[i].type == type)
            t = &einj_types[i];
    if (!t)
        return imp_fail(im, at, "one type: 0x1, 0x2, 0x4, 0x8, 0x10 or 0x20", "EINJ error type %#llx is not one type",
                        (unsigned long long)type);
    if (e->v[S_NOTRIGGER]) {
        imp_note(im, "line %u: %s with notrigger 1: nothing touches it, nothing is raised", at.line, t->name);
        return 0;
    }
    uint64_t flags = e->v[S_FLAGS];
    bool apic = flags & 1, addr = t->memory && (flags == 0 || (flags & 2));
    uint64_t cpu = !t->memory && apic ? e->v[S_P3] : 0;
    if (imp_check_index(im, at, "CPU", cpu) < 0)
        return -1;
    struct imp_inject *in = imp_add(im, at, imp_group(im));
    if (!in)
        return -1;
    in->cpu = (unsigned)cpu;
    in->bank = t->memory ? MEM_BANK : CPU_BANK;
    in->status = addr || !t->memory ? t->status : t->status & ~(MCI_STATUS_ADDRV | MCI_STATUS_MISCV);
    in->addr = addr ? e->v[S_P1] : 0;
    in->misc = addr ? (MCI_MISC_MODE_PHYS << MCI_MISC_MODE_SHIFT) | lsb_of(e->v[S_P2]) : 0;
    snprintf(in->note, sizeof(in->note), "EINJ %#llx %s%s", (unsigned long long)type, t->name,
             addr ? " at param1" : "");
    return 0;
}

/* echo V > FILE | FILE V | cd DIR | cat FILE */
static int one_line(struct imp *im, struct einj *e, const char *line, unsigned lineno)
{
    struct imp_word w[IMP_MAX_WORDS];
    int nw = imp_words(im, line, lineno, w);
    if (nw <= 0)
        return nw;
    nw = join_arith(w, nw);
    struct scn_loc at = {lineno, w[0].col};
    if (imp_word_is(&w[0], "cd") || imp_word_is(&w[0], "cat"))
        return 0;
    const struct imp_word *val, *file;
    if (imp_word_is(&w[0], "echo") && nw == 4 && imp_word_is(&w[2], ">"))
        val = &w[1], file = &w[3];
    else if (nw == 2 && file_of(&w[0]) >= 0)
        val = &w[1], file = &w[0];
    else
        return imp_fail(im, at, "echo VALUE > FILE, or FILE VALUE (files: error_type, param1..4, flags, notrigger, "
                                "error_inject)",
                        "not an EINJ setting");
    int f = file_of(file);
    uint64_t v;
    if (f < 0)
        return imp_fail(im, (struct scn_loc){lineno, file->col}, "files: error_type, param1..param4, flags, notrigger, "
                                                                  "vendor_flags, error_inject",
                        "'%.*s' is not a file of apei/einj", (int)file->len, file->s);
    if (!value(val, &v))
        return imp_fail(im, (struct scn_loc){lineno, val->col}, "a number (0x..., 0..., decimal) or $((-1 << N))",
                        "'%.*s' is not a value", (int)val->len, val->s);
    if (f == S_INJECT)
        return inject(im, e, at);
    e->v[f] = v;
    e->set[f] = true;
    return 0;
}

int import_einj(const char *text, struct imp *im)
{
    struct einj e = {0};
    const char *p = text, *line;
    for (unsigned lineno = 1; (line = imp_next_line(&p)); lineno++)
        if (one_line(im, &e, line, lineno) < 0)
            return -1;
    return 0;
}
