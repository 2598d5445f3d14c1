/*
 * import_xenmceinj.c - xen-mceinj command lines, one invocation a line:
 *
 *     xen-mceinj [-t TYPE] [-c CPU] [-d DOMID] [-p ADDR] [-l] [-D]
 *
 * (the program may be named with a path; --type, --cpu, --domain, --page,
 * --lmce and --dump, with "=" or a space, are read too). What each does
 * follows Xen's tools/misc/xen-mceinj.c and the hypervisor's do_mca()
 * (xen/arch/x86/cpu/mcheck/mce.c), read for this and reimplemented:
 *
 * - the type picks a row of its table (below): a bank, MCi_STATUS and
 *   MCG_STATUS, MCi_MISC 0x86; the tool interposes those MSRs on the CPU
 *   (default 0) and MCi_ADDR (default 0x180020), then raises an #MC
 *   (XEN_MC_mceinject: every CPU when mce_broadcast, as on Intel family 6
 *   from model 0xE; the target alone otherwise, as on AMD), or for type 2
 *   a CMCI (XEN_MC_inject_v2, CMCI);
 * - -l ORs LMCE into MCG_STATUS and raises the #MC on the CPU alone (Xen
 *   refuses it without LMCE support, so the platform has it), refused for
 *   the CMCI type as the tool refuses it;
 * - -d N (N not DOMID_XEN) makes the address guest-physical in domain N:
 *   Xen translates it through N's p2m (MC_MSRINJ_F_GPADDR); here domain N
 *   gets a memory region of its own, and the address the machine one;
 * - -D only prints the address: nothing is injected.
 * Stricter than the tool: a type or number it would misread is an error.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "sim/scenario/import_int.h"

#define DOMID_XEN 0x7FF2u
#define DOMID_FIRST_RESERVED 0x7FF0u
#define DEFAULT_ADDR 0x180020ull
#define GIB (1ull << 30)

/* The tool's mce_table[], by type. */
static const struct mceinj_type {
    const char *desc;
    unsigned bank;
    uint64_t status, mcg;
    bool cmci, amd;
} types[] = {
    {"MCE_SRAO_MEM (an LLC explicit-writeback SRAO)", 7, 0xBD2000008000017Aull, 0x5, false, false},
    {"MCE_SRAO_LLC (a memory patrol-scrub SRAO)", 8, 0xBD000000004000CFull, 0x5, false, false},
    {"CMCI_UCNA_LLC", 9, 0xBC20000080000136ull, 0x0, true, false},
    {"AMD L1 icache parity", 1, 0x9400000000000151ull, 0x5, false, true},
    {"MCE_SRAO_MEM (Fatal): PCC set", 7, 0xBF2000008000017Aull, 0x5, false, false},
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

struct call {
    struct scn_loc at;
    uint64_t type, cpu, domid, addr;
    bool lmce, dump;
    struct scn_loc type_at, dom_at;
};

/* "-c 3", "-c3", "--cpu 3", "--cpu=3": the option's value, or NULL. */
static const struct imp_word *value_of(const struct imp_word *w, int nw, int *k, struct imp_word *inl, size_t skip)
{
    if (w[*k].len > skip) {
        *inl = (struct imp_word){w[*k].s + skip, w[*k].len - skip, w[*k].col + (unsigned)skip};
        return inl;
    }
    return ++*k < nw ? &w[*k] : NULL;
}

struct opt {
    char s;
    const char *l;
    size_t off;     /* into struct call: a uint64_t, or a bool for a flag */
    unsigned base;  /* 10: digits only (as the tool's strtoul(.., 10)); 0: C */
    bool flag;
};

static const struct opt opts[] = {
    {'t', "type", offsetof(struct call, type), 0, false},
    {'c', "cpu", offsetof(struct call, cpu), 10, false},
    {'d', "domain", offsetof(struct call, domid), 10, false},
    {'p', "page", offsetof(struct call, addr), 0, false},
    {'l', "lmce", offsetof(struct call, lmce), 0, true},
    {'D', "dump", offsetof(struct call, dump), 0, true},
};

/* Which option w is, and how many characters name it ("-c" 2, "--cpu=" 6). */
static const struct opt *which(const struct imp_word *w, size_t *skip)
{
    for (unsigned i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
        size_t n = strlen(opts[i].l);
        if (w->len >= 2 && w->s[0] == '-' && w->s[1] == opts[i].s)
            return *skip = 2, &opts[i];
        if (w->len >= n + 2 && !strncmp(w->s, "--", 2) && !strncmp(w->s + 2, opts[i].l, n) &&
            (w->len == n + 2 || w->s[n + 2] == '='))
            return *skip = w->len == n + 2 ? n + 2 : n + 3, &opts[i];
    }
    return NULL;
}

static bool digits(const struct imp_word *v)
{
    for (size_t i = 0; i < v->len; i++)
        if (v->s[i] < '0' || v->s[i] > '9')
            return false;
    return v->len > 0;
}

static int option(struct imp *im, unsigned lineno, const struct imp_word *w, int nw, int *k, struct call *c)
{
    size_t skip;
    const struct opt *o = which(&w[*k], &skip);
    struct scn_loc at = {lineno, w[*k].col};
    if (!o)
        return imp_fail(im, at, "options: -t TYPE -c CPU -d DOMID -p ADDR -l -D",
                        imp_word_is(&w[*k], "-h") || imp_word_is(&w[*k], "--help")
                            ? "'%.*s' prints the help and injects nothing"
                            : "unknown option '%.*s'",
                        (int)w[*k].len, w[*k].s);
    if (o->flag) {
        *(bool *)((char *)c + o->off) = true;
        return 0;
    }
    struct imp_word inl;
    const struct imp_word *v = value_of(w, nw, k, &inl, skip);
    uint64_t x;
    if (!v)
        return imp_fail(im, at, NULL, "-%c needs a value", o->s);
    bool ok = o->base == 10 ? digits(v) && imp_number(v->s, v->len, &x) : imp_number(v->s, v->len, &x);
    if (!ok)
        return imp_fail(im, (struct scn_loc){lineno, v->col}, o->base == 10 ? "a decimal number" : "a number: 0x..., 0..., or decimal",
                        "-%c: '%.*s' is not a number", o->s, (int)v->len, v->s);
    *(uint64_t *)((char *)c + o->off) = x;
    if (o->s == 't')
        c->type_at = (struct scn_loc){lineno, v->col};
    if (o->s == 'd')
        c->dom_at = (struct scn_loc){lineno, v->col};
    return 0;
}

/* The machine address of guest address gaddr of domain id: the domain's
 * memory is one region of whole GiB, after those of domains named before. */
static int translate(struct imp *im, const struct call *c, uint64_t *maddr)
{
    if (c->addr >= 1ull << 46)
        return imp_fail(im, c->at, "a guest-physical address below 2^46",
                        "guest address %#llx is past what a guest's memory can reach", (unsigned long long)c->addr);
    struct imp_domain *d = NULL;
    for (unsigned i = 0; i < im->ndom; i++)
        if (im->dom[i].id == c->domid)
            d = &im->dom[i];
    uint64_t size = (c->addr / GIB + 1) * GIB;
    if (!d) {
        if (im->ndom == IMP_MAX_DOMAINS)
            return imp_fail(im, c->dom_at, NULL, "more than %d domains", IMP_MAX_DOMAINS);
        uint64_t start = im->ndom ? im->dom[im->ndom - 1].start + im->dom[im->ndom - 1].size : GIB;
        d = &im->dom[im->ndom++];
        *d = (struct imp_domain){(unsigned)c->domid, start, size};
    } else if (d->size < size) {
        return imp_fail(im, c->at, "name each domain's largest address first",
                        "guest address %#llx is past the %llu GiB given to domain %u at its first use",
                        (unsigned long long)c->addr, (unsigned long long)(d->size / GIB), d->id);
    }
    *maddr = d->start + c->addr;
    return 0;
}

static int inject(struct imp *im, const struct call *c)
{
    if (c->type >= NTYPES)
        return imp_fail(im, c->type_at.line ? c->type_at : c->at, "types 0..4 (xen-mceinj -h lists them)",
                        "type %llu: Unsupported error type", (unsigned long long)c->type);
    const struct mceinj_type *t = &types[c->type];
    if (c->lmce && t->cmci)
        return imp_fail(im, c->at, "drop -l, or pick a type raised by #MC", "No support to inject CMCI as LMCE");
    if (imp_check_index(im, c->at, "CPU", c->cpu) < 0)
        return -1;
    uint64_t addr = c->addr;
    if (c->domid != DOMID_XEN && c->domid >= DOMID_FIRST_RESERVED)
        return imp_fail(im, c->dom_at, "give a guest's domain id, or leave -d out for Xen itself",
                        "do_mca inject: incompatible flag MC_MSRINJ_F_GPADDR with domain %llu",
                        (unsigned long long)c->domid);
    if (c->domid != DOMID_XEN && translate(im, c, &addr) < 0)
        return -1;
    struct imp_inject *in = imp_add(im, c->at, imp_group(im));
    if (!in)
        return -1;
    in->cpu = (unsigned)c->cpu;
    in->bank = t->bank;
    in->status = t->status;
    in->misc = 0x86;
    in->addr = addr;
    in->has_mcg = true;
    in->mcg = t->mcg | (c->lmce ? MCG_STATUS_LMCES : 0);
    in->signal = t->cmci ? SCN_SIGNAL_CMCI : SCN_SIGNAL_MCE;
    in->no_broadcast = c->lmce;
    char where[64] = "Xen's own address";
    if (c->domid != DOMID_XEN)
        snprintf(where, sizeof(where), "dom%llu's guest address %#llx", (unsigned long long)c->domid,
                 (unsigned long long)c->addr);
    snprintf(in->note, sizeof(in->note), "type %llu %s, CPU %llu, %s%s", (unsigned long long)c->type, t->desc,
             (unsigned long long)c->cpu, where, c->lmce ? ", LMCE" : "");
    if (c->lmce) {
        im->mcg_cap |= MCG_LMCE_P;
        im->lmce = true;
    }
    return 0;
}

static int one_line(struct imp *im, const char *line, unsigned lineno, unsigned *amd, unsigned *intel)
{
    struct imp_word w[IMP_MAX_WORDS];
    int nw = imp_words(im, line, lineno, w);
    if (nw <= 0)
        return nw;
    size_t n = strlen("xen-mceinj");
    if (w[0].len < n || strncmp(w[0].s + w[0].len - n, "xen-mceinj", n))
        return imp_fail(im, (struct scn_loc){lineno, w[0].col}, "one 'xen-mceinj [options]' command a line",
                        "'%.*s' is not xen-mceinj", (int)w[0].len, w[0].s);
    struct call c = {.at = {lineno, w[0].col}, .domid = DOMID_XEN, .addr = DEFAULT_ADDR};
    for (int k = 1; k < nw; k++)
        if (option(im, lineno, w, nw, &k, &c) < 0)
            return -1;
    if (c.dump) {
        imp_note(im, "line %u: -D only prints the address; nothing is injected", lineno);
        return 0;
    }
    if (inject(im, &c) < 0)
        return -1;
    *(types[c.type].amd ? amd : intel) += 1;
    return 0;
}

int import_xen_mceinj(const char *text, struct imp *im)
{
    const char *p = text, *line;
    unsigned amd = 0, intel = 0;
    for (unsigned lineno = 1; (line = imp_next_line(&p)); lineno++)
        if (one_line(im, line, lineno, &amd, &intel) < 0)
            return -1;
    /* type 3 is the table's AMD record: a file of it alone runs on an AMD host
     * (Zen 2, no CMCI, no SER_P), where Xen raises the #MC on the target alone */
    if (amd && !intel) {
        im->cpu = "amd:0x17:0x31";
        im->mcg_cap = MCG_CTL_P;
        for (unsigned i = 0; i < im->n; i++) {
            if (im->v[i].mcg & MCG_STATUS_LMCES)
                return imp_fail(im, im->v[i].loc, "LMCE is Intel's (xen-mceinj -h: \"Intel only\")",
                                "-l on the AMD type: No LMCE support");
            im->v[i].no_broadcast = true;
        }
    } else if (amd) {
        imp_note(im, "the AMD type 3 runs here on the Intel host the other types need");
    }
    return 0;
}
