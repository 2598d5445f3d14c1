/*
 * oracle_norm.c - the comparison's two tables (oracle_norm.h): the sections
 * and the rules, applied in table order to both sides alike. Patterns are
 * POSIX extended regular expressions; a replacement may use \0 to \9.
 *
 * Rule kinds:
 *   DROP      a matching line is not compared
 *   REWRITE   every match is replaced
 *   SORT_RUN  a run of consecutive matching lines is sorted
 *   KEEP      (facts sections) a matching line becomes the replacement and
 *             is a fact; lines no KEEP rule matched are not compared
 *   GPA       \2 is an address (\1 what precedes it): a guest-physical one
 *             is masked (see gpa_value)
 *   FOLD_RULE Linux's severity rule line is folded into its panic outcome
 */
#include "sim/results/oracle_norm.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_mca.h"

enum rule_kind { R_DROP, R_REWRITE, R_SORT_RUN, R_KEEP, R_GPA, R_FOLD_RULE };

static const char *const kind_names[] = {"drop", "rewrite", "sort run", "keep (a fact)", "mask guest address",
                                         "fold the rule into the outcome"};

struct norm_rule {
    const char *section;   /* a section key, or "kernel lines" / "kernel records" for dom0's and linux's */
    unsigned targets;
    enum rule_kind kind;
    const char *pattern;
    const char *replace;
    unsigned shift;        /* GPA: 12 when the number is a page frame */
    const char *why;
};

static const struct sec_spec sections[] = {
    {"header", ORC_ALL, SEC_NOT_COMPARED,
     "who made each transcript: the packages and QEMU the oracle ran, the simulator and its settings"},
    {"injections", ORC_ALL, SEC_COMPARED, "the QEMU commands the case's inject events stand for"},
    {"outcome", ORC_ALL, SEC_COMPARED, "running, panic and its message, reset, hang"},
    {"xen console", ORC_XEN, SEC_COMPARED, "Xen's lines from the first injection on, in order"},
    {"vmce msr trace", ORC_XEN, SEC_COMPARED, "each vCPU's vMCE MSR accesses as Xen prints them"},
    {"xen free heap pages", ORC_XEN, SEC_COMPARED, "free pages lost per zone (offlined free pages)"},
    {"dom0 /dev/mcelog records", ORC_XEN, SEC_COMPARED, "every bank of every telemetry record dom0 read"},
    {"dom0 kernel records", ORC_XEN, SEC_COMPARED, "what dom0's kernel logged of its vMCEs"},
    {"dom0 kernel lines", ORC_XEN, SEC_FACTS,
     "facts only, memory_failure() results and processes killed: the other lines are Linux's own texts, "
     "which mcasim's guest model (guests/linux_guest.c) does not print"},
    {"linux kernel records", ORC_T(ORC_LINUX), SEC_COMPARED, "what the kernel logged"},
    {"linux kernel lines", ORC_T(ORC_LINUX), SEC_FACTS,
     "facts only, memory_failure() results and processes killed (the severity rule is in the outcome): "
     "the other lines are Linux's own texts, which mcasim's guest model does not print"},
};

#define KLINES "kernel lines"
#define KRECS "kernel records"
#define PFN "(0x[0-9a-f]+|0)"

static const struct norm_rule rules[] = {
    {"injections", ORC_ALL, R_DROP, "^QEMU: ", NULL, 0,
     "QEMU's replies to the monitor: its own triple fault when a #MC finds MCIP set; the effect is the outcome"},
    {"outcome", ORC_ALL, R_REWRITE, "^shutdown \\(.*\\)$", "reset", 0,
     "QEMU runs with -no-reboot: a CPU shutdown (triple fault) ends QEMU, which the oracle calls reset"},
    {"outcome", ORC_ALL, R_REWRITE, "^(reset|hang) \\(.*\\)$", "\\1", 0,
     "mcasim says why in parentheses; the oracle sees no reason"},
    {"outcome", ORC_T(ORC_LINUX), R_FOLD_RULE, "^panic: Fatal machine check$", NULL, 0,
     "Linux prints the severity rule that decided (\"Machine check: RULE\") and panics \"Fatal machine "
     "check\"; the guest model panics with the rule as its message: both read \"panic: RULE\""},
    {"xen console", ORC_XEN, R_DROP, "^$", NULL, 0,
     "empty lines: the oracle cannot see them (a bare \"(XEN)\" on the serial console)"},
    {"xen console", ORC_XEN, R_DROP, "^uart interrupt taking more than", NULL, 0,
     "Xen's ns16550 driver falls back to polling at random under TCG"},
    {"xen console", ORC_XEN, R_REWRITE, "ffff8[0-9a-f]{11}", "<xen-va>", 0,
     "Xen virtual addresses depend on the build and the boot"},
    {"xen console", ORC_XEN, R_SORT_RUN, "^CPU[0-9]+ enter softirq$", NULL, 0,
     "each CPU prints it as it arrives in mce_softirq(): a race"},
    {"xen console", ORC_XEN, R_REWRITE, "^CPU[0-9]+ handling errors$", "CPU<worker> handling errors", 0,
     "mce_softirq()'s worker is chosen by arrival order: a race"},
    {"xen console", ORC_XEN, R_REWRITE, "^Panic on CPU [0-9]+:$", "Panic on CPU <n>:", 0,
     "the CPU that panics is the last to find an error in the #MC rendezvous (the severity CPU): a race"},
    {"xen console", ORC_XEN, R_REWRITE,
     "^(Reboot in five seconds\\.\\.\\.|Manual reset required \\('noreboot' specified\\))$", "<reboot notice>", 0,
     "panic()'s last line says only whether Xen was booted with noreboot: the oracle does (QEMU would "
     "reset and lose the console), mcasim has no such boot option"},
    {"vmce msr trace", ORC_XEN, R_GPA, "(MC[0-9]+_ADDR )(0x[0-9a-f]+)", NULL, 0,
     "the guest-physical address Xen gives a domain depends on the domain's memory layout (dom0's, under "
     "PV, is Debian's kernel's; mcasim numbers a domain's regions from gfn 0). In a case that gives a page "
     "to a domain, an address that is none of the case's injected (machine) addresses is masked, where the "
     "line's STATUS has ADDRV or the line has no STATUS: that an address stayed the machine address is "
     "still compared"},
    {"dom0 /dev/mcelog records", ORC_XEN, R_GPA, "(ADDR )(0x[0-9a-f]+)", NULL, 0, "as above"},
    {KRECS, ORC_ALL, R_GPA, "(ADDR )(0x[0-9a-f]+)", NULL, 0, "as above"},
    {KLINES, ORC_ALL, R_KEEP, "^Memory failure: " PFN ": recovery action for [^:]*: ([A-Za-z]+)( \\([0-9]+\\))?$",
     "memory_failure(\\1): \\2", 0,
     "memory_failure()'s result for a page (the page kind Linux names is its own: not compared)"},
    {KLINES, ORC_ALL, R_KEEP, "^Memory failure: " PFN ": (Killing|Sending SIGBUS to) .*$",
     "memory_failure(\\1): process killed", 0, "a process killed for the page"},
    {KLINES, ORC_ALL, R_KEEP, "^Memory failure: " PFN ": already hardware poisoned$",
     "memory_failure(\\1): already poisoned", 0, "the page was poisoned before"},
    {KLINES, ORC_ALL, R_GPA, "(memory_failure\\()" PFN, NULL, 12, "as the records' addresses, as page frames"},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

unsigned oracle_sections(enum oracle_target t, const struct sec_spec **out, unsigned max)
{
    unsigned n = 0;
    for (unsigned i = 0; i < NELEM(sections); i++)
        if ((sections[i].targets & ORC_T(t)) && n < max)
            out[n++] = &sections[i];
    return n;
}

const struct sec_spec *oracle_unknown_section(void)
{
    static const struct sec_spec unknown = {
        "", ORC_ALL, SEC_NOT_COMPARED,
        "a section the comparison does not know (from a newer oracle?): add it to sim/results/oracle_norm.c"};
    return &unknown;
}

void norm_case_init(struct norm_case *c, const struct scenario *s, enum oracle_target t)
{
    memset(c, 0, sizeof(*c));
    c->target = t;
    for (unsigned h = 0; h < s->nhosts; h++)
        for (unsigned i = 0; i < s->hosts[h].nregions; i++)
            c->domain_pages |= s->hosts[h].regions[i].owner == SCN_OWNER_DOMAIN;
    for (unsigned i = 0; i < s->nevents && c->naddr < NORM_MAX_ADDRS; i++)
        if (s->events[i].kind == SCN_EV_INJECT && s->events[i].u.inject.addr)
            c->addr[c->naddr++] = s->events[i].u.inject.addr;
}

/* Does rule r apply to section key of target t? "kernel lines" and
 * "kernel records" stand for dom0's and linux's. */
static bool applies(const struct norm_rule *r, enum oracle_target t, const char *key)
{
    if (!(r->targets & ORC_T(t)))
        return false;
    if (!strcmp(r->section, key))
        return true;
    const char *sp = strchr(key, ' ');
    return sp && (!strncmp(key, "dom0 ", 5) || !strncmp(key, "linux ", 6)) && !strcmp(r->section, sp + 1);
}

static void compile(regex_t *re, const char *pattern)
{
    if (regcomp(re, pattern, REG_EXTENDED) != 0)
        abort(); /* the table is ours: a bad pattern is a bug the unit tests catch */
}

/* repl with \0..\9 from the match m of src, appended to out. */
static void expand(struct text_buf *out, const char *repl, const char *src, const regmatch_t *m)
{
    for (const char *p = repl; *p; p++) {
        if (p[0] == '\\' && p[1] >= '0' && p[1] <= '9') {
            const regmatch_t *g = &m[p[1] - '0'];
            if (g->rm_so >= 0)
                tb_put(out, src + g->rm_so, (size_t)(g->rm_eo - g->rm_so));
            p++;
        } else {
            tb_put(out, p, 1);
        }
    }
}

/* Is the address field of this line meaningful? A line that carries its
 * own STATUS says so with ADDRV; a line without one (an MCi_ADDR read, a
 * page frame) always is. */
static bool addr_valid(const char *line)
{
    const char *st = strstr(line, "STATUS 0x");
    return !st || (strtoull(st + 7, NULL, 16) & MCI_STATUS_ADDRV);
}

/* A guest-physical address: not the machine address of any injection. */
static bool gpa_value(const struct norm_case *c, const char *num, unsigned shift)
{
    uint64_t v = strtoull(num, NULL, 16);
    for (unsigned i = 0; i < c->naddr; i++)
        if (v == c->addr[i] >> shift)
            return false;
    return true;
}

/* Rewrite one line by r (REWRITE, KEEP, GPA); *fact is set by KEEP.
 * Returns the new text (malloc'd) or NULL when nothing matched. */
static char *rewrite(const struct norm_case *c, const struct norm_rule *r, regex_t *re, const char *line)
{
    regmatch_t m[10];
    const char *p = line;
    struct text_buf out = {0};
    bool any = false;
    int flags = 0;
    while (*p && regexec(re, p, 10, m, flags) == 0) {
        tb_put(&out, p, (size_t)m[0].rm_so);
        if (r->kind == R_KEEP) {
            expand(&out, r->replace, p, m);
        } else if (r->kind == R_GPA) {
            bool mask = c->domain_pages && addr_valid(line);
            char num[32];
            snprintf(num, sizeof(num), "%.*s", (int)(m[2].rm_eo - m[2].rm_so), p + m[2].rm_so);
            tb_put(&out, p + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
            tb_printf(&out, "%s", mask && gpa_value(c, num, r->shift) ? "<gpa>" : num);
        } else {
            expand(&out, r->replace, p, m);
        }
        any = true;
        p += m[0].rm_eo > 0 ? m[0].rm_eo : 1;
        flags = REG_NOTBOL;
        if (r->kind == R_KEEP)
            break;
    }
    if (!any) {
        tb_free(&out);
        return NULL;
    }
    if (r->kind != R_KEEP)
        tb_printf(&out, "%s", p);
    char *s = strdup(tb_text(&out));
    tb_free(&out);
    if (!s)
        abort();
    return s;
}

static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Linux's rule for a "Fatal machine check" panic: the last
 * "Machine check: RULE" line of the kernel's lines. */
static const char *linux_rule(const struct transcript *t)
{
    const char *rule = NULL;
    for (unsigned s = 0; s < t->nsec; s++) {
        if (strcmp(t->sec[s].key, "linux kernel lines"))
            continue;
        for (unsigned i = 0; i < t->sec[s].lines.n; i++) {
            const char *at = strstr(t->sec[s].lines.v[i], "Machine check: ");
            if (at)
                rule = at + strlen("Machine check: ");
        }
    }
    return rule;
}

/* One rule over all lines: v and fact are parallel arrays of n. */
static void apply(const struct norm_case *c, const struct transcript *t, const struct norm_rule *r, char **v,
                  bool *fact, unsigned *n)
{
    regex_t re;
    compile(&re, r->pattern);
    unsigned k = 0;
    for (unsigned i = 0; i < *n; i++) {
        bool match = regexec(&re, v[i], 0, NULL, 0) == 0;
        if (r->kind == R_DROP && match) {
            free(v[i]);
            continue;
        }
        if (r->kind == R_FOLD_RULE && match && linux_rule(t)) {
            char buf[512];
            snprintf(buf, sizeof(buf), "panic: %s", linux_rule(t));
            free(v[i]);
            v[i] = strdup(buf);
        } else if ((r->kind == R_REWRITE || r->kind == R_KEEP || r->kind == R_GPA) && match &&
                   (r->kind != R_KEEP || !fact[i])) {
            char *s = rewrite(c, r, &re, v[i]);
            free(v[i]);
            v[i] = s;
            fact[i] |= r->kind == R_KEEP;
        }
        if (!v[i])
            abort();
        v[k] = v[i];
        fact[k++] = fact[i];
    }
    *n = k;
    for (unsigned i = 0; r->kind == R_SORT_RUN && i < k;) {
        unsigned j = i;
        while (j < k && regexec(&re, v[j], 0, NULL, 0) == 0)
            j++;
        qsort(v + i, j - i, sizeof(*v), by_text);
        i = j > i ? j : i + 1;
    }
    regfree(&re);
}

void oracle_normalize(const struct norm_case *c, const struct transcript *t, const char *key,
                      struct ts_lines *out)
{
    const struct ts_section *s = ts_find(t, key);
    if (!s) {
        ts_lines_add(out, "(section missing)");
        return;
    }
    enum sec_mode mode = SEC_COMPARED;
    for (unsigned i = 0; i < NELEM(sections); i++)
        if (!strcmp(sections[i].key, key))
            mode = sections[i].mode;
    unsigned n = s->lines.n;
    char **v = calloc(n ? n : 1, sizeof(*v));
    bool *fact = calloc(n ? n : 1, sizeof(*fact));
    if (!v || !fact)
        abort();
    for (unsigned i = 0; i < n; i++)
        if (!(v[i] = strdup(s->lines.v[i])))
            abort();
    for (unsigned i = 0; i < NELEM(rules); i++)
        if (applies(&rules[i], c->target, key))
            apply(c, t, &rules[i], v, fact, &n);
    unsigned kept = 0;
    for (unsigned i = 0; i < n; i++) {
        if (mode != SEC_FACTS || fact[i])
            ts_lines_add(out, v[i]), kept++;
        free(v[i]);
    }
    if (mode == SEC_FACTS && !kept)
        ts_lines_add(out, "(no facts)");
    free(v);
    free(fact);
}

/* A table cell: '|' would end it. */
static void cell(struct text_buf *out, const char *s)
{
    for (; s && *s; s++)
        tb_printf(out, *s == '|' ? "\\|" : "%c", *s);
}

void oracle_rules_markdown(struct text_buf *out)
{
    static const char *const modes[] = {"compared", "facts", "not compared"};
    tb_printf(out, "| section | targets | compared | what |\n|---|---|---|---|\n");
    for (unsigned i = 0; i < NELEM(sections); i++) {
        const struct sec_spec *s = &sections[i];
        tb_printf(out, "| %s | %s | %s | ", s->key,
                  s->targets == ORC_ALL ? "all" : s->targets == ORC_XEN ? "xen-4.17, xen-4.20" : "linux",
                  modes[s->mode]);
        cell(out, s->note);
        tb_printf(out, " |\n");
    }
    tb_printf(out, "\n| section | targets | rule | pattern | becomes | why |\n|---|---|---|---|---|---|\n");
    for (unsigned i = 0; i < NELEM(rules); i++) {
        const struct norm_rule *r = &rules[i];
        const char *sec = !strcmp(r->section, KLINES) || !strcmp(r->section, KRECS) ? "dom0/linux " : "";
        tb_printf(out, "| %s%s | %s | %s | `", sec, r->section,
                  r->targets == ORC_ALL ? "all" : r->targets == ORC_XEN ? "xen-4.17, xen-4.20" : "linux",
                  kind_names[r->kind]);
        cell(out, r->pattern);
        tb_printf(out, "` | ");
        if (r->replace) {
            tb_printf(out, "`");
            cell(out, r->replace);
            tb_printf(out, "`");
        } else if (r->kind == R_GPA) {
            tb_printf(out, "`\\1<gpa>`");
        }
        tb_printf(out, " | ");
        cell(out, r->why);
        tb_printf(out, " |\n");
    }
}
