/*
 * mcelog_decode.c - a bank of a machine-check record in mcelog's text.
 *
 * The text is what mcelog v176 (andikleen/mcelog, April 2021) prints for a
 * record Linux's drivers/xen/mcelog.c hands it in dom0: mcelog.c's
 * dump_mce (the CPU, MISC/ADDR, TIME, STATUS and MCGCAP lines) around
 * p4.c's decode_intel_mc (MCG status, MCi status, the MCA: decode of the
 * error code) and nehalem.c's decode_memory_controller. Reimplemented
 * from that format and the mcelog(8) man page, not copied.
 *
 * Why v176: it is the last release that names cache levels by the SDM's
 * LL field as it stands, the spelling Xen's mce-test (removed by
 * 79ca512a1f) greps: "Generic CACHE Level-2 Eviction Error" (0x017A),
 * "Data CACHE Level-2 Data-Read Error" (0x0136). v177 and later print
 * cache levels one higher (Level-3 there) and v206 and later drop the
 * UCNA/SRAO/SRAR line when PCC is set.
 *
 * What the Xen path leaves out, so this does too: convert_log never sets
 * the record's cpuid, tsc (except CMCI records: Xen's mc_tsc), ip or time,
 * so mcelog prints no "CPUID Vendor" line, no RIP line and stamps TIME
 * itself; mcasim's records carry no TSC, so no "TSC" either. TIME here is
 * the simulated logout time (mcelog_format). Model-specific lines that
 * mcelog adds for CPUs it knows by model (Nehalem's, Sandy Bridge's ...)
 * are not printed: the decoding is the architectural one.
 */
#include "mcelog_decode.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arch/text_fmt.h"
#include "arch/x86_mca.h"

static const char *const simple_names[7] = {
    "No Error", "Unclassified", "Microcode ROM parity error", "External error",
    "FRC error", "Internal parity error", "SMM Handler Code Access Violation",
};
static const char *const tt_names[4] = {"Instruction", "Data", "Generic", "Unknown"};
static const char *const ll_names[4] = {"Level-0", "Level-1", "Level-2", "Level-3"};
static const char *const rrrr_names[16] = {
    "Generic", "Read", "Write", "Data-Read", "Data-Write", "Instruction-Fetch", "Prefetch",
    "Eviction", "Snoop", "UNKNOWN", "UNKNOWN", "UNKNOWN", "UNKNOWN", "UNKNOWN", "UNKNOWN", "UNKNOWN",
};
/* "Responed" is mcelog's (and rasdaemon's) spelling. */
static const char *const pp_names[4] = {"Local-CPU-originated-request", "Responed-to-request",
                                        "Observed-error-as-third-party", "Generic"};
static const char *const t_names[2] = {"Request-did-not-timeout", "Request-timed-out"};
static const char *const ii_names[4] = {"Memory-access", "Reserved", "IO", "Other-transaction"};
static const char *const mmm_names[8] = {"GEN", "RD", "WR", "AC", "MS", "RES5", "RES6", "RES7"};
static const char *const mmm_descs[8] = {
    "Generic undefined request", "Memory read error", "Memory write error", "Address/Command error",
    "Memory scrubbing error", "Reserved 5", "Reserved 6", "Reserved 7",
};

/* First match wins, after the simple codes (0..6). */
static const struct {
    uint16_t mask, value;
    enum mca_code_kind kind;
} kinds[] = {
    {0xFFFC, 0x000C, MCK_GENERIC_CACHE},
    {0xFFF0, 0x0010, MCK_TLB},
    {0xFF00, 0x0100, MCK_CACHE},
    {0xFF80, 0x0280, MCK_MEM_AS_CACHE},
    {0xFC00, 0x0400, MCK_INTERNAL},
    {0xF800, 0x0800, MCK_BUS},
    {0xFF80, 0x0080, MCK_MEMCTL},
};

void mca_code_split(uint16_t mcacod, struct mca_code *c)
{
    memset(c, 0, sizeof(*c));
    c->filtered = (mcacod & MCACOD_FILTER) != 0;
    uint16_t m = c->code = mcacod & (uint16_t)~MCACOD_FILTER;
    c->kind = MCK_UNKNOWN;
    if (m < 7) {
        c->kind = MCK_SIMPLE;
        c->simple = simple_names[m];
    }
    for (size_t i = 0; c->kind == MCK_UNKNOWN && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if ((m & kinds[i].mask) == kinds[i].value)
            c->kind = kinds[i].kind;
    c->ll = ll_names[m & 3];
    c->tt = tt_names[(m >> 2) & 3];
    c->ii = ii_names[(m >> 2) & 3];
    c->rrrr = rrrr_names[(m >> 4) & 15];
    c->t = t_names[(m >> 8) & 1];
    c->pp = pp_names[(m >> 9) & 3];
    c->mmm = mmm_names[(m >> 4) & 7];
    c->mmm_desc = mmm_descs[(m >> 4) & 7];
    if ((m & 0xF) == 0xF)
        text_fmt(c->channel, sizeof(c->channel), "unspecified");
    else
        text_fmt(c->channel, sizeof(c->channel), "%u", m & 0xFu);
}

bool mca_io_root_port(uint64_t status, uint64_t misc, char *buf, size_t len)
{
    if (!(status & MCI_STATUS_MISCV) || (status & 0xEFFF) != 0x0E0B)
        return false;
    text_fmt(buf, len, "IO MCA reported by root port %x:%02x:%02x.%x", (unsigned)((misc >> 32) & 0xFF),
             (unsigned)((misc >> 24) & 0xFF), (unsigned)((misc >> 19) & 0x1F), (unsigned)((misc >> 16) & 7));
    return true;
}

void mcelog_mcacod_text(uint16_t mcacod, unsigned cpu, char *buf, size_t len)
{
    struct mca_code c;
    mca_code_split(mcacod, &c);
    switch (c.kind) {
    case MCK_SIMPLE: text_fmt(buf, len, "%s", c.simple); break;
    case MCK_GENERIC_CACHE: text_fmt(buf, len, "%s Generic cache hierarchy error", c.ll); break;
    case MCK_TLB: text_fmt(buf, len, "%s TLB %s Error", c.tt, c.ll); break;
    case MCK_CACHE: text_fmt(buf, len, "%s CACHE %s %s Error", c.tt, c.ll, c.rrrr); break;
    case MCK_MEM_AS_CACHE:
        text_fmt(buf, len, "Memory as cache: MEMORY CONTROLLER %s_CHANNEL%s_ERR", c.mmm, c.channel);
        break;
    case MCK_INTERNAL:
        if (c.code == 0x0400)
            text_fmt(buf, len, "Internal Timer error");
        else
            text_fmt(buf, len, "Internal unclassified error: %x", c.code);
        break;
    case MCK_BUS:
        text_fmt(buf, len, "BUS error: %u %u %s %s %s %s %s", mcelog_socketid(cpu), cpu, c.ll, c.pp, c.rrrr,
                 c.ii, c.t);
        break;
    case MCK_MEMCTL: text_fmt(buf, len, "MEMORY CONTROLLER %s_CHANNEL%s_ERR", c.mmm, c.channel); break;
    case MCK_UNKNOWN: text_fmt(buf, len, "Unknown Error %x", c.code); break;
    }
}

static void append(char *buf, size_t len, const char *word)
{
    size_t n = strlen(buf);
    if (n + strlen(word) + 2 < len)
        text_fmt(buf + n, len - n, "%s%s", n ? " " : "", word);
}

void mcelog_mcg_flags(uint64_t mcg, char *buf, size_t len)
{
    buf[0] = 0;
    if (mcg & MCG_STATUS_RIPV) append(buf, len, "RIPV");
    if (mcg & MCG_STATUS_EIPV) append(buf, len, "EIPV");
    if (mcg & MCG_STATUS_MCIP) append(buf, len, "MCIP");
    if (mcg & MCG_STATUS_LMCES) append(buf, len, "LMCE");
}

/* mcelog's name of the S and AR bits (p4.c arstate). */
static const char *const ar_states[4] = {"UCNA", "AR", "SRAO", "SRAR"};

/* SRAO / SRAR / UCNA from S and AR, only meaningful with SER_P and UC. */
static const char *ser_kind(uint64_t s)
{
    if (!(s & MCI_STATUS_UC))
        return NULL;
    if (s & MCI_STATUS_S)
        return (s & MCI_STATUS_AR) ? "SRAR" : "SRAO";
    return (s & MCI_STATUS_AR) ? "Illegal UCNA with AR" : "UCNA";
}

void mcelog_status_flags(uint64_t s, uint64_t mcg_cap, char *buf, size_t len)
{
    buf[0] = 0;
    append(buf, len, (s & MCI_STATUS_UC) ? "UC" : "CE");
    if (s & MCI_STATUS_OVER) append(buf, len, "OVER");
    if (s & MCI_STATUS_EN) append(buf, len, "EN");
    if (s & MCI_STATUS_MISCV) append(buf, len, "MISCV");
    if (s & MCI_STATUS_ADDRV) append(buf, len, "ADDRV");
    if (s & MCI_STATUS_PCC) append(buf, len, "PCC");
    if ((mcg_cap & MCG_SER_P) && ser_kind(s)) append(buf, len, ser_kind(s));
}

void mcelog_ctime(uint64_t seconds, char *buf, size_t len)
{
    static const char *const days[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)seconds;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        text_fmt(buf, len, "?");
        return;
    }
    text_fmt(buf, len, "%s %s %2d %02d:%02d:%02d %d", days[tm.tm_wday % 7], months[tm.tm_mon % 12], tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
}

/* A line built in pieces, as mcelog's Wprintf calls build it. */
struct line {
    char buf[256];
    size_t n;
};

static void put(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct line *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = text_vfmt(l->buf + l->n, sizeof(l->buf) - l->n, fmt, ap);
    va_end(ap);
    if (k > 0)
        l->n = l->n + (size_t)k < sizeof(l->buf) ? l->n + (size_t)k : sizeof(l->buf) - 1;
}

struct out {
    void (*emit)(void *arg, const char *line);
    void *arg;
};

static void end_line(const struct out *o, struct line *l)
{
    o->emit(o->arg, l->buf);
    l->n = 0;
    l->buf[0] = 0;
}

static void emitf(const struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emitf(const struct out *o, const char *fmt, ...)
{
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    text_vfmt(text, sizeof(text), fmt, ap);
    va_end(ap);
    o->emit(o->arg, text);
}

/* MCi_STATUS bits, one line each when set (p4.c decode_mci). */
static const struct {
    uint64_t bit;
    const char *text;
} status_lines[] = {
    {MCI_STATUS_OVER, "Error overflow"},
    {MCI_STATUS_UC, "Uncorrected error"},
    {MCI_STATUS_EN, "Error enabled"},
    {MCI_STATUS_MISCV, "MCi_MISC register valid"},
    {MCI_STATUS_ADDRV, "MCi_ADDR register valid"},
    {MCI_STATUS_PCC, "Processor context corrupt"},
};

/* The threshold-based ("yellow") status of a corrected error, TES_P. */
static void tracking_lines(const struct out *o, uint64_t s, uint64_t cap)
{
    if (s & MCI_STATUS_UC || !(cap == 0 || (cap & MCG_TES_P)))
        return;
    static const char *const states[4] = {NULL, "green", "yellow", "res3"};
    const char *st = states[(s >> MCI_STATUS_TES_SHIFT) & 3];
    if (!st)
        return;
    emitf(o, "Threshold based error status: %s", st);
    if (!strcmp(st, "yellow")) {
        o->emit(o->arg, "Large number of corrected cache errors. System operating, but might lead");
        o->emit(o->arg, "to uncorrected errors soon");
    }
}

static void mci_lines(const struct out *o, uint64_t s, uint64_t cap)
{
    o->emit(o->arg, "MCi status:");
    if (!(s & MCI_STATUS_VAL))
        o->emit(o->arg, "Machine check not valid");
    for (size_t i = 0; i < sizeof(status_lines) / sizeof(status_lines[0]); i++) {
        if (status_lines[i].bit == MCI_STATUS_UC && !(s & MCI_STATUS_UC))
            o->emit(o->arg, "Corrected error");
        else if (s & status_lines[i].bit)
            o->emit(o->arg, status_lines[i].text);
    }
    if (s & (MCI_STATUS_S | MCI_STATUS_AR))
        o->emit(o->arg, ar_states[(s >> 55) & 3]);
    if ((cap & MCG_SER_P) && (s & MCI_STATUS_FWST))
        o->emit(o->arg, "Firmware may have updated this error");
    tracking_lines(o, s, cap);
}

static void mca_lines(const struct out *o, uint64_t s, uint64_t misc, unsigned cpu)
{
    struct mca_code c;
    char text[160];
    mca_code_split(mci_mcacod(s), &c);
    mcelog_mcacod_text(mci_mcacod(s), cpu, text, sizeof(text));
    if (c.filtered) {
        o->emit(o->arg, "MCA: corrected filtering (some unreported errors in same region)");
        o->emit(o->arg, text);
    } else {
        emitf(o, "MCA: %s", text);
    }
    if (c.kind == MCK_MEMCTL || c.kind == MCK_MEM_AS_CACHE)
        emitf(o, "Transaction: %s", c.mmm_desc);
    if (c.kind == MCK_BUS && mca_io_root_port(s, misc, text, sizeof(text)))
        o->emit(o->arg, text);
}

void mcelog_format(const struct mca_record *r, unsigned bank, uint64_t idx,
                   void (*emit)(void *arg, const char *line), void *arg)
{
    if (bank >= r->nbanks || bank >= MCA_REC_MAX_BANKS)
        return;
    const struct out o = {emit, arg};
    const struct mca_bank_entry *b = &r->bank[bank];
    uint64_t s = b->status;
    struct line l = {.n = 0};
    char date[40];

    o.emit(o.arg, "Hardware event. This is not a software error.");
    emitf(&o, "MCE %llu", (unsigned long long)idx);
    emitf(&o, "CPU %u BANK %u ", r->cpu, b->bank);
    if (s & MCI_STATUS_MISCV)
        put(&l, "MISC %llx ", (unsigned long long)b->misc);
    if (s & MCI_STATUS_ADDRV)
        put(&l, "ADDR %llx ", (unsigned long long)b->addr);
    if (l.n)
        end_line(&o, &l);
    uint64_t secs = (uint64_t)(r->time_ps / 1000000000000ull); /* below 2^64 s */
    mcelog_ctime(secs, date, sizeof(date));
    emitf(&o, "TIME %llu %s", (unsigned long long)secs, date);

    put(&l, "MCG status:");
    static const struct {
        uint64_t bit;
        const char *name;
    } mcg_bits[] = {{MCG_STATUS_RIPV, "RIPV "}, {MCG_STATUS_EIPV, "EIPV "}, {MCG_STATUS_MCIP, "MCIP "},
                    {MCG_STATUS_LMCES, "LMCE "}};
    for (size_t i = 0; i < sizeof(mcg_bits) / sizeof(mcg_bits[0]); i++)
        if (r->mcg_status & mcg_bits[i].bit)
            put(&l, "%s", mcg_bits[i].name);
    end_line(&o, &l);
    mci_lines(&o, s, r->mcg_cap);
    mca_lines(&o, s, b->misc, r->cpu);

    emitf(&o, "STATUS %llx MCGSTATUS %llx", (unsigned long long)s, (unsigned long long)r->mcg_status);
    if (r->mcg_cap)
        put(&l, "MCGCAP %llx ", (unsigned long long)r->mcg_cap);
    put(&l, "APICID %x SOCKETID %x ", mcelog_apicid(r->cpu), mcelog_socketid(r->cpu));
    end_line(&o, &l);
}
