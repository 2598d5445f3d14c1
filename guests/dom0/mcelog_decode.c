/*
 * mcelog_decode.c - decode a machine-check record into mcelog's text.
 *
 * MCA error codes are decoded from the compound-code layout of SDM Vol. 3B
 * table 15-9/15-10, spelled the way mcelog and Xen's tools/tests/mce-test
 * (removed by 79ca512a1f) expect: "MEMORY CONTROLLER
 * MS_CHANNELunspecified_ERR", "Generic CACHE Level-2 Eviction Error",
 * "Data CACHE Level-2 Data-Read Error".
 */
#include "mcelog_decode.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arch/x86_context.h"
#include "arch/x86_mca.h"

static const char *const tt_names[4] = {"Instruction", "Data", "Generic", "Reserved"};
static const char *const ll_names[4] = {"Level-0", "Level-1", "Level-2", "Generic"};
static const char *const rrrr_names[16] = {
    "Generic", "Read", "Write", "Data-Read", "Data-Write", "Instruction-Fetch", "Prefetch",
    "Eviction", "Snoop", "Reserved-9", "Reserved-10", "Reserved-11", "Reserved-12",
    "Reserved-13", "Reserved-14", "Reserved-15",
};
static const char *const mmm_names[8] = {"GEN", "RD", "WR", "AC", "MS", "RES5", "RES6", "RES7"};
static const char *const mmm_transactions[8] = {
    "Generic undefined request", "Memory read error", "Memory write error",
    "Address/Command error", "Memory scrubbing error", "Reserved", "Reserved", "Reserved",
};
static const char *const pp_names[4] = {"Local-CPU-originated", "Responding", "Observing", "Generic"};
static const char *const ii_names[4] = {"Memory-access", "Reserved", "IO", "Other-transaction"};

/* Simple (non-compound) codes, SDM table 15-8. */
struct simple_code {
    uint16_t code;
    const char *text;
};
static const struct simple_code simple_codes[] = {
    {0x0000, "No Error"},
    {0x0001, "Unclassified"},
    {0x0002, "Microcode ROM parity error"},
    {0x0003, "External error"},
    {0x0004, "FRC error"},
    {0x0005, "Internal parity error"},
    {0x0006, "SMM Handler Code Access Violation"},
    {0x0400, "Internal Timer error"},
};

void mcelog_mcacod_text(uint16_t c, char *buf, size_t len)
{
    uint16_t code = c & (uint16_t)~MCACOD_FILTER;
    for (size_t i = 0; i < sizeof(simple_codes) / sizeof(simple_codes[0]); i++)
        if (simple_codes[i].code == code) {
            snprintf(buf, len, "%s", simple_codes[i].text);
            return;
        }
    if (code & 0x0800) { /* 000F 1PPT RRRR IILL: bus and interconnect */
        snprintf(buf, len, "BUS %s %s %s %s %s Error", ll_names[code & 3],
                 pp_names[(code >> 9) & 3], rrrr_names[(code >> 4) & 0xF],
                 ii_names[(code >> 2) & 3], (code >> 8) & 1 ? "Timeout" : "No-Timeout");
    } else if (code & 0x0100) { /* 000F 0001 RRRR TTLL: cache hierarchy */
        snprintf(buf, len, "%s CACHE %s %s Error", tt_names[(code >> 2) & 3], ll_names[code & 3],
                 rrrr_names[(code >> 4) & 0xF]);
    } else if (code & 0x0080) { /* 000F 0000 1MMM CCCC: memory controller */
        unsigned ch = code & 0xF;
        char chan[16];
        if (ch == 0xF)
            snprintf(chan, sizeof(chan), "unspecified");
        else
            snprintf(chan, sizeof(chan), "%u", ch);
        snprintf(buf, len, "MEMORY CONTROLLER %s_CHANNEL%s_ERR", mmm_names[(code >> 4) & 7], chan);
    } else if (code & 0x0010) { /* 000F 0000 0001 TTLL: TLB */
        snprintf(buf, len, "%s TLB %s Error", tt_names[(code >> 2) & 3], ll_names[code & 3]);
    } else if ((code & 0xFFFC) == 0x000C) { /* 000F 0000 0000 11LL: generic cache */
        snprintf(buf, len, "Generic CACHE %s Error", ll_names[code & 3]);
    } else if ((code & 0xFC00) == 0x0400) {
        snprintf(buf, len, "Internal unclassified error");
    } else {
        snprintf(buf, len, "Unknown MCA error code %#x", code);
    }
}

static void append(char *buf, size_t len, const char *word)
{
    size_t n = strlen(buf);
    if (n + strlen(word) + 2 < len)
        snprintf(buf + n, len - n, "%s%s", n ? " " : "", word);
}

void mcelog_mcg_flags(uint64_t mcg, char *buf, size_t len)
{
    buf[0] = 0;
    if (mcg & MCG_STATUS_RIPV) append(buf, len, "RIPV");
    if (mcg & MCG_STATUS_EIPV) append(buf, len, "EIPV");
    if (mcg & MCG_STATUS_MCIP) append(buf, len, "MCIP");
    if (mcg & MCG_STATUS_LMCES) append(buf, len, "LMCE");
}

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

static void emitf(void (*emit)(void *, const char *), void *arg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void emitf(void (*emit)(void *, const char *), void *arg, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    emit(arg, line);
}

void mcelog_format(const struct mca_record *r, unsigned bank, uint64_t idx,
                   void (*emit)(void *arg, const char *line), void *arg)
{
    if (bank >= r->nbanks || bank >= MCA_REC_MAX_BANKS)
        return;
    const struct mca_bank_entry *b = &r->bank[bank];
    uint64_t s = b->status;
    char buf[160];

    emit(arg, "Hardware event. This is not a software error.");
    emitf(emit, arg, "MCE %llu", (unsigned long long)idx);
    emitf(emit, arg, "CPU %u BANK %u", r->cpu, b->bank);
    if ((s & MCI_STATUS_MISCV) || (s & MCI_STATUS_ADDRV))
        emitf(emit, arg, "MISC %#llx ADDR %#llx", (unsigned long long)b->misc,
              (unsigned long long)b->addr);
    emitf(emit, arg, "TIME %llu ps", (unsigned long long)r->time_ps);
    mcelog_mcg_flags(r->mcg_status, buf, sizeof(buf));
    emitf(emit, arg, "MCG status:%s", buf);
    emit(arg, "MCi status:");
    if (s & MCI_STATUS_OVER) emit(arg, "Error overflow");
    emit(arg, (s & MCI_STATUS_UC) ? "Uncorrected error" : "Corrected error");
    if (s & MCI_STATUS_EN) emit(arg, "Error enabled");
    if (s & MCI_STATUS_MISCV) emit(arg, "MCi_MISC register valid");
    if (s & MCI_STATUS_ADDRV) emit(arg, "MCi_ADDR register valid");
    if (s & MCI_STATUS_PCC) emit(arg, "Processor context corrupt");
    if ((r->mcg_cap & MCG_SER_P) && ser_kind(s)) emit(arg, ser_kind(s));
    if (!(s & MCI_STATUS_UC) && (r->mcg_cap & MCG_CMCI_P))
        emitf(emit, arg, "Corrected error count %u", mci_cec(s));
    mcelog_mcacod_text(mci_mcacod(s), buf, sizeof(buf));
    emitf(emit, arg, "MCA: %s", buf);
    uint16_t code = mci_mcacod(s) & (uint16_t)~MCACOD_FILTER;
    if ((code & 0xFF80) == 0x0080)
        emitf(emit, arg, "Transaction: %s", mmm_transactions[(code >> 4) & 7]);
    emitf(emit, arg, "STATUS %llx MCGSTATUS %llx", (unsigned long long)s,
          (unsigned long long)r->mcg_status);
    emitf(emit, arg, "MCGCAP %llx CONTEXT %s", (unsigned long long)r->mcg_cap,
          x86_ctx_name((enum x86_exec_ctx)r->context));
    static const char *const actions[] = {"none", "offlined", "offline pending", "vMCE delivered",
                                          "dom0 decides", "killed", "crashed"};
    if (b->domid != 0xFFFF && b->domid <= 0xFFFF && b->action < 7)
        emitf(emit, arg, "DOMAIN %u GADDR %#llx ACTION %s", b->domid, (unsigned long long)b->gaddr,
              actions[b->action]);
}
