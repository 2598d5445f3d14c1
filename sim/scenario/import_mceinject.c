/*
 * import_mceinject.c - input files of Linux's mce-inject (andikleen/
 * mce-inject: its man page mce-inject.8, its grammar mce.y and scanner
 * mce.lex, as documented there; reimplemented, not copied).
 *
 * A file holds records. A record starts with `CPU n [bank]`, `MCE`, or
 * the kernel's panic line `CPU n: Machine Check Exception: mcg Bank b:
 * status`, and has terms: STATUS and MCGSTATUS take numbers and bit names
 * ORed together (mca_symbols.c), BANK, ADDR, MISC, RIP [cs:]ip, TSC, TIME,
 * SOCKETID, APICID, MCGCAP and PROCESSOR v:id take numbers, and
 * NOBROADCAST, IRQBROADCAST, NMIBROADCAST, HOLD, IN_IRQ, IN_PROC, POLL and
 * EXCP are flags. Keywords are case-insensitive, numbers are C's, `#`
 * starts a comment. As in the tool, STATUS sets the whole value while ADDR
 * and MISC add ADDRV and MISCV, so their order matters.
 *
 * What the kernel does with a record (mce-inject.c and the kernel's
 * inject.c, as the reference notes describe them): a record is raised as
 * an exception when it is uncorrected, else given to the poller; EXCP and
 * POLL choose. Exceptions are broadcast: the other CPUs take an #MC with
 * no valid bank, unless NOBROADCAST. The MCG_STATUS the handler reads is
 * the record's (0 when not given, hence "MCIP not set in MCA handler").
 * RIP's code segment gives the context: CPL 3 is a user process (here a
 * guest's), anything else the kernel (here the hypervisor). HOLD keeps a
 * record until the next one fires, then both go at once; a held record on
 * the firing record's CPU is replaced by it, and one still held at the end
 * never fires. TSC, TIME, SOCKETID, APICID, MCGCAP and PROCESSOR are
 * ignored by the kernel; IRQ/NMI broadcast and IN_IRQ/IN_PROC only choose
 * how the injector reaches the CPUs.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arch/x86_context.h"
#include "arch/x86_mca.h"
#include "sim/scenario/import_int.h"
#include "sim/scenario/mca_symbols.h"

/* ---- tokens ------------------------------------------------------------------ */

enum tok { T_END = 0, T_NUM, T_WORD, T_PUNCT };

struct lexer {
    struct imp *im;
    const char *p;
    unsigned line, col;
    /* the current token */
    enum tok t;
    const char *s;
    size_t len;
    uint64_t num;
    struct scn_loc at;
};

static void advance(struct lexer *x, size_t n)
{
    for (; n && *x->p; n--, x->p++) {
        if (*x->p == '\n') {
            x->line++;
            x->col = 1;
        } else {
            x->col++;
        }
    }
}

/* The next token; -1 after an error. */
static int next(struct lexer *x)
{
    for (;;) {
        while (*x->p == ' ' || *x->p == '\t' || *x->p == '\r' || *x->p == '\n')
            advance(x, 1);
        if (*x->p != '#')
            break;
        while (*x->p && *x->p != '\n')
            advance(x, 1);
    }
    x->at = (struct scn_loc){x->line, x->col};
    x->s = x->p;
    size_t n = 0;
    if (!*x->p) {
        x->t = T_END;
        return 0;
    }
    if (isdigit((unsigned char)*x->p)) {
        while (isalnum((unsigned char)x->p[n]))
            n++;
        x->t = T_NUM;
        if (!imp_number(x->p, n, &x->num))
            return imp_fail(x->im, x->at, "numbers are C's: 0x1f, 017, 31", "'%.*s' is not a number", (int)n, x->p);
    } else if (isalpha((unsigned char)*x->p) || *x->p == '_') {
        while (isalnum((unsigned char)x->p[n]) || x->p[n] == '_')
            n++;
        x->t = T_WORD;
    } else if (strchr(":{}<>", *x->p)) {
        n = 1;
        x->t = T_PUNCT;
    } else {
        return imp_fail(x->im, x->at, "mce-inject reads keywords, numbers and : { } < >",
                        "unrecognized character '%c'", *x->p);
    }
    x->len = n;
    advance(x, n);
    return 0;
}

static bool is_word(const struct lexer *x, const char *w)
{
    return x->t == T_WORD && strlen(w) == x->len && !strncasecmp(x->s, w, x->len);
}

static bool is_punct(const struct lexer *x, char c) { return x->t == T_PUNCT && *x->s == c; }

/* The current token must be a number; take it and move on. */
static int take_num(struct lexer *x, const char *after, uint64_t *v)
{
    if (x->t != T_NUM)
        return imp_fail(x->im, x->at, NULL, "%s needs a number, got '%.*s'", after, x->t ? (int)x->len : 3,
                        x->t ? x->s : "end");
    *v = x->num;
    return next(x);
}

static int take_punct(struct lexer *x, char c, const char *where)
{
    if (!is_punct(x, c))
        return imp_fail(x->im, x->at, NULL, "expected '%c' in %s", c, where);
    return next(x);
}

/* ---- records ----------------------------------------------------------------- */

struct record {
    struct scn_loc loc;
    uint64_t cpu, bank, status, mcg, addr, misc, cs;
    int raise;          /* -1 by the status, 0 POLL, 1 EXCP */
    bool nobroadcast, hold;
};

/* A list of numbers and bit names of reg, ORed; ends at the first word
 * that is not a bit of reg (the next term). */
static int bit_list(struct lexer *x, enum mca_reg reg, const char *what, uint64_t *v)
{
    *v = 0;
    for (;;) {
        uint64_t bits;
        char word[32];
        if (x->t == T_NUM) {
            *v |= x->num;
        } else if (x->t == T_WORD && x->len < sizeof(word)) {
            snprintf(word, sizeof(word), "%.*s", (int)x->len, x->s);
            if (!mca_symbol(reg, word, &bits)) {
                if (mca_symbol_elsewhere(reg, word))
                    return imp_fail(x->im, x->at, reg == MCA_REG_STATUS ? "write it after MCGSTATUS" : "write it after STATUS",
                                    "%s is not a bit of %s", word, what);
                return 0;
            }
            *v |= bits;
        } else {
            return 0;
        }
        if (next(x) < 0)
            return -1;
    }
}

/* RIP ip | RIP cs:ip | RIP cs:<ip>{symbol} */
static int rip(struct lexer *x, struct record *r)
{
    uint64_t a, b;
    if (take_num(x, "RIP", &a) < 0)
        return -1;
    if (!is_punct(x, ':'))
        return r->cs = 0, 0;
    if (next(x) < 0)
        return -1;
    r->cs = a;
    if (x->t == T_NUM)
        return take_num(x, "RIP cs:", &b);
    if (take_punct(x, '<', "RIP cs:<ip>{symbol}") < 0 || take_num(x, "RIP cs:<", &b) < 0 ||
        take_punct(x, '>', "RIP cs:<ip>{symbol}") < 0 || take_punct(x, '{', "RIP cs:<ip>{symbol}") < 0)
        return -1;
    if (x->t != T_WORD)
        return imp_fail(x->im, x->at, NULL, "RIP cs:<ip>{symbol} needs a symbol name");
    return next(x) < 0 ? -1 : take_punct(x, '}', "RIP cs:<ip>{symbol}");
}

struct numterm {
    const char *word;
    size_t off;     /* into struct record; (size_t)-1: read and ignored */
    uint64_t sets;  /* status bits the term adds */
};

/* One term; 1 when the word is none (the record ends). */
static int term(struct lexer *x, struct record *r)
{
    static const struct numterm nums[] = {
        {"BANK", offsetof(struct record, bank), 0},
        {"ADDR", offsetof(struct record, addr), MCI_STATUS_ADDRV},
        {"MISC", offsetof(struct record, misc), MCI_STATUS_MISCV},
        {"TSC", (size_t)-1, 0},
        {"TIME", (size_t)-1, 0},
        {"SOCKETID", (size_t)-1, 0},
        {"APICID", (size_t)-1, 0},
        {"MCGCAP", (size_t)-1, 0},
    };
    static const char *const flags[] = {"IRQBROADCAST", "NMIBROADCAST", "IN_IRQ", "IN_PROC"};
    uint64_t v, w;
    for (unsigned i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
        if (is_word(x, nums[i].word)) {
            if (next(x) < 0 || take_num(x, nums[i].word, &v) < 0)
                return -1;
            if (nums[i].off != (size_t)-1)
                *(uint64_t *)((char *)r + nums[i].off) = v;
            r->status |= nums[i].sets;
            return 0;
        }
    for (unsigned i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        if (is_word(x, flags[i]))
            return next(x);
    if (is_word(x, "STATUS"))
        return next(x) < 0 ? -1 : bit_list(x, MCA_REG_STATUS, "MCi_STATUS", &r->status);
    if (is_word(x, "MCGSTATUS"))
        return next(x) < 0 ? -1 : bit_list(x, MCA_REG_MCG_STATUS, "MCG_STATUS", &r->mcg);
    if (is_word(x, "RIP"))
        return next(x) < 0 ? -1 : rip(x, r);
    if (is_word(x, "PROCESSOR"))
        return next(x) < 0 || take_num(x, "PROCESSOR", &v) < 0 || take_punct(x, ':', "PROCESSOR vendor:cpuid") < 0
                   ? -1
                   : take_num(x, "PROCESSOR vendor:", &w);
    if (is_word(x, "NOBROADCAST"))
        return r->nobroadcast = true, next(x);
    if (is_word(x, "HOLD"))
        return r->hold = true, next(x);
    if (is_word(x, "POLL") || is_word(x, "EXCP"))
        return r->raise = is_word(x, "EXCP"), next(x);
    return 1;
}

/* CPU n [bank] | MCE | CPU n: MACHINE CHECK EXCEPTION: mcg BANK b: status */
static int start(struct lexer *x, struct record *r)
{
    *r = (struct record){.loc = x->at, .raise = -1};
    if (is_word(x, "MCE"))
        return next(x);
    if (!is_word(x, "CPU"))
        return imp_fail(x->im, x->at, "each record starts with 'CPU n [bank]' or 'MCE'",
                        "expected CPU or MCE to start a record, got '%.*s'", (int)x->len, x->s);
    if (next(x) < 0 || take_num(x, "CPU", &r->cpu) < 0)
        return -1;
    if (x->t == T_NUM)
        return take_num(x, "CPU n", &r->bank);
    if (!is_punct(x, ':'))
        return 0;
    static const char *const panic[] = {"MACHINE", "CHECK", "EXCEPTION"};
    if (next(x) < 0)
        return -1;
    for (unsigned i = 0; i < 3; i++) {
        if (!is_word(x, panic[i]))
            return imp_fail(x->im, x->at, NULL, "expected '%s' in 'CPU n: Machine Check Exception: ...'", panic[i]);
        if (next(x) < 0)
            return -1;
    }
    if (take_punct(x, ':', "the panic line") < 0 || take_num(x, "Exception:", &r->mcg) < 0)
        return -1;
    if (!is_word(x, "BANK"))
        return imp_fail(x->im, x->at, NULL, "expected 'Bank' in 'CPU n: Machine Check Exception: mcg Bank b: status'");
    if (next(x) < 0 || take_num(x, "Bank", &r->bank) < 0 || take_punct(x, ':', "the panic line") < 0)
        return -1;
    return take_num(x, "Bank b:", &r->status);
}

/* ---- what a record becomes --------------------------------------------------- */

static int check(struct imp *im, const struct record *r)
{
    return imp_check_index(im, r->loc, "CPU", r->cpu) < 0 || imp_check_index(im, r->loc, "bank", r->bank) < 0 ? -1 : 0;
}

static bool exception(const struct record *r) { return r->raise >= 0 ? r->raise : (r->status & MCI_STATUS_UC) != 0; }

/* A record without VAL (mce-test ends HOLD sequences with "CPU 1 BANK 0",
 * STATUS 0, to fire them) logs nothing: the kernel grades the bank
 * invalid. It is said in a note, not injected. */
static int inject(struct imp *im, const struct record *r, unsigned group, bool alone, const char *why)
{
    if (!(r->status & MCI_STATUS_VAL)) {
        imp_note(im, "line %u: CPU %llu BANK %llu has no VAL in STATUS: the kernel ignores the bank, nothing is "
                     "injected%s", r->loc.line, (unsigned long long)r->cpu, (unsigned long long)r->bank, why);
        return 0;
    }
    struct imp_inject *in = imp_add(im, r->loc, group);
    if (!in)
        return -1;
    *in = (struct imp_inject){.loc = r->loc, .group = group, .cpu = (unsigned)r->cpu, .bank = (unsigned)r->bank,
                              .status = r->status, .addr = r->addr, .misc = r->misc, .context = -1};
    if (exception(r)) {
        in->signal = SCN_SIGNAL_MCE;
        in->has_mcg = true;
        in->mcg = r->mcg;
        in->no_broadcast = alone || r->nobroadcast;
        in->context = (r->cs & 3) == 3 ? X86_CTX_GUEST_USER : X86_CTX_HV;
    } else {
        in->signal = SCN_SIGNAL_NONE;
    }
    snprintf(in->note, sizeof(in->note), "CPU %llu BANK %llu, %s%s%s", (unsigned long long)r->cpu,
             (unsigned long long)r->bank, exception(r) ? "raised as #MC" : "given to the poller",
             exception(r) && in->no_broadcast ? " on this CPU alone" : exception(r) ? ", broadcast" : "", why);
    return 0;
}

/* A record fires: the records held for other CPUs go with it. */
static int fire(struct imp *im, const struct record *r, struct record *held, bool *is_held)
{
    unsigned g = imp_group(im);
    for (unsigned c = 0; c < 256; c++)
        if (is_held[c] && c != r->cpu && inject(im, &held[c], g, true, " (held, fired with the next record)") < 0)
            return -1;
    memset(is_held, 0, 256 * sizeof(*is_held));
    return inject(im, r, g, false, "");
}

/* One record: its start, its terms up to the next record, then it fires
 * or is held. 1 at the end of the input. */
static int record(struct lexer *x, struct record *held, bool *is_held)
{
    struct record r;
    if (start(x, &r) < 0)
        return -1;
    int rc = 0, terms = 0;
    while (x->t != T_END && (rc = term(x, &r)) == 0)
        terms++;
    if (rc < 0)
        return -1;
    if (!terms)
        return imp_fail(x->im, x->at, "give STATUS, BANK, ADDR, ... after the record's start",
                        "the record that starts at line %u has no terms", r.loc.line);
    if (rc == 1 && !is_word(x, "CPU") && !is_word(x, "MCE"))
        return imp_fail(x->im, x->at, "terms: STATUS MCGSTATUS BANK ADDR MISC RIP TSC TIME PROCESSOR NOBROADCAST "
                                      "HOLD IN_IRQ IN_PROC POLL EXCP ...",
                        "unknown word '%.*s'", (int)x->len, x->s);
    if (check(x->im, &r) < 0)
        return -1;
    if (!r.hold)
        return fire(x->im, &r, held, is_held);
    held[r.cpu] = r;
    is_held[r.cpu] = true;
    return 0;
}

int import_mce_inject(const char *text, struct imp *im)
{
    struct record *held = calloc(256, sizeof(*held)); /* by CPU; off the stack */
    bool is_held[256] = {false};
    struct lexer x = {.im = im, .p = text, .line = 1, .col = 1};
    int rc = held ? next(&x) : imp_fail(im, (struct scn_loc){0, 0}, NULL, "out of memory");
    while (rc == 0 && x.t != T_END)
        rc = record(&x, held, is_held);
    for (unsigned c = 0; rc == 0 && c < 256; c++)
        if (is_held[c])
            imp_note(im, "line %u: the record held for CPU %u never fires (no record follows it)", held[c].loc.line, c);
    free(held);
    return rc;
}
