/*
 * ras_decode.c - what rasdaemon writes into the text columns of its
 * mce_record table for a bank of an Intel machine check.
 *
 * The words are rasdaemon 0.8.5's (mchehab/rasdaemon: mce-intel.c
 * parse_intel_event, decode_mcg, decode_mci, decode_mca,
 * decode_memory_controller; ras-mce-handler.c, which copies the MCA text
 * into error_msg when nothing else filled it), reimplemented from that
 * behaviour, not copied. Each column is a list of phrases joined by single
 * spaces, as its mce_snprintf appends them. The error code is split by
 * mcelog_decode.c, once for mcelog's words and these; rasdaemon words a
 * few kinds differently from mcelog ("Generic memory hierarchy error",
 * "BUS ... Error", no "Memory as cache" branch) and puts a memory
 * controller's text in error_msg, not mcastatus_msg. Its yellow-bit advice
 * goes to user_action for the "green" state, spelled "leadto": both as
 * rasdaemon has them. Model-specific decoding (Sandy Bridge and later
 * servers) is not reimplemented, as in mcelog_decode.c.
 */
#include "ras_decode.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "guests/dom0/mcelog_decode.h"

/* Append a phrase to a column, space separated. */
static void add(char *col, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add(char *col, size_t len, const char *fmt, ...)
{
    size_t n = strlen(col);
    if (n + 2 >= len)
        return;
    if (n)
        col[n++] = ' ', col[n] = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(col + n, len - n, fmt, ap);
    va_end(ap);
}
#define ADD(col, ...) add(col, sizeof(col), __VA_ARGS__)

static void mcg_msg(struct ras_mce_text *t, uint64_t mcg)
{
    static const struct {
        uint64_t bit;
        const char *name;
    } bits[] = {{MCG_STATUS_RIPV, "RIPV"}, {MCG_STATUS_EIPV, "EIPV"}, {MCG_STATUS_MCIP, "MCIP"},
                {MCG_STATUS_LMCES, "LMCE"}};
    ADD(t->mcgstatus_msg, "mcgstatus=%lld", (long long)mcg);
    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
        if (mcg & bits[i].bit)
            ADD(t->mcgstatus_msg, "%s", bits[i].name);
}

static void mci_msg(struct ras_mce_text *t, uint64_t s, uint64_t cap)
{
    static const char *const ar_states[4] = {"UCNA", "AR", "SRAO", "SRAR"};
    static const char *const tracking[4] = {NULL, "green", "yellow", "res3"};
    if (!(s & MCI_STATUS_VAL))
        ADD(t->mcistatus_msg, "MCE_INVALID");
    if (s & MCI_STATUS_OVER)
        ADD(t->mcistatus_msg, "Error_overflow");
    ADD(t->mcistatus_msg, "%s", (s & MCI_STATUS_UC) ? "Uncorrected_error" : "Corrected_error");
    if (s & MCI_STATUS_EN)
        ADD(t->mcistatus_msg, "Error_enabled");
    if (s & MCI_STATUS_PCC)
        ADD(t->mcistatus_msg, "Processor_context_corrupt");
    if (s & (MCI_STATUS_S | MCI_STATUS_AR))
        ADD(t->mcistatus_msg, "%s", ar_states[(s >> 55) & 3]);
    unsigned track = (unsigned)((s >> MCI_STATUS_TES_SHIFT) & 3);
    if ((s & MCI_STATUS_UC) || !(cap == 0 || (cap & MCG_TES_P)) || !track)
        return;
    if (track == 1)
        ADD(t->user_action, "Large number of corrected cache errors. System operating, but might leadto "
                            "uncorrected errors soon");
    ADD(t->mcistatus_msg, "Threshold based error status: %s", tracking[track]);
}

static void mca_msg(struct ras_mce_text *t, uint64_t s, uint64_t misc)
{
    struct mca_code c;
    char io[96];
    mca_code_split(mci_mcacod(s), &c);
    if (c.filtered)
        ADD(t->mcastatus_msg, "corrected filtering (some unreported errors in same region)");
    switch (c.kind) {
    case MCK_SIMPLE: ADD(t->mcastatus_msg, "%s", c.simple); break;
    case MCK_GENERIC_CACHE: ADD(t->mcastatus_msg, "%s Generic memory hierarchy error", c.ll); break;
    case MCK_TLB: ADD(t->mcastatus_msg, "%s TLB %s Error", c.tt, c.ll); break;
    case MCK_CACHE: ADD(t->mcastatus_msg, "%s CACHE %s %s Error", c.tt, c.ll, c.rrrr); break;
    case MCK_INTERNAL:
        if (c.code == 0x0400)
            ADD(t->mcastatus_msg, "Internal Timer error");
        else
            ADD(t->mcastatus_msg, "Internal unclassified error: %x", c.code);
        break;
    case MCK_BUS:
        ADD(t->mcastatus_msg, "BUS %s %s %s %s %s Error", c.ll, c.pp, c.rrrr, c.ii, c.t);
        if (mca_io_root_port(s, misc, io, sizeof(io)))
            ADD(t->mcastatus_msg, "%s", io);
        break;
    case MCK_MEMCTL:
        ADD(t->error_msg, "MEMORY CONTROLLER %s_CHANNEL%s_ERR", c.mmm, c.channel);
        ADD(t->error_msg, "Transaction: %s", c.mmm_desc);
        break;
    case MCK_MEM_AS_CACHE: /* rasdaemon has no branch for it */
    case MCK_UNKNOWN: ADD(t->mcastatus_msg, "Unknown Error %x", c.code); break;
    }
}

void ras_mce_decode(uint64_t status, uint64_t misc, uint64_t mcg_status, uint64_t mcg_cap,
                    struct ras_mce_text *t)
{
    memset(t, 0, sizeof(*t));
    mcg_msg(t, mcg_status);
    mci_msg(t, status, mcg_cap);
    mca_msg(t, status, misc);
    /* the whole low 16 bits, filtering bit included, as rasdaemon tests them */
    if ((mci_mcacod(status) >> 7) == 1)
        ADD(t->mc_location, "n_errors=%u", mci_cec(status));
    if (!t->error_msg[0])
        snprintf(t->error_msg, sizeof(t->error_msg), "%s", t->mcastatus_msg);
}
