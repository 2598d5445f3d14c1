/*
 * cmd_decode.c - `mcasim decode`: what the hypervisor's grading table of
 * a policy (xen: Xen's intel_check_mce_type; linux: Linux's severity
 * table) makes of a register set, without running anything. Prints the
 * decoded fields, the class, the rule that fired, its source and the
 * action. The registers come from options or, without --status, from a
 * record on stdin (an mcelog text record or a QEMU mce line,
 * decode_record.c). An AMD status is read with AMD's bit names and graded
 * by decode_amd.c.
 *
 * The path: a record whose MCG_STATUS has MCIP clear was not taken by an
 * #MC handler (hardware sets MCIP inside one, SDM Vol. 3B 15.3.1.2), so it
 * is graded as the poller grades it, unless --mce says otherwise.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch/x86_context.h"
#include "arch/x86_mca.h"
#include "guests/dom0/mcelog_decode.h"
#include "hv/severity.h"
#include "models/cpu/cpu_mca.h"
#include "sim/cli/cli.h"
#include "sim/cli/decode.h"
#include "sim/results/json_out.h"

/* Default MCG_CAP: 10 banks with CTL_P, CMCI_P, TES_P and SER_P. */
#define DEFAULT_MCG_CAP (MCG_SER_P | MCG_TES_P | MCG_CMCI_P | MCG_CTL_P | 10u)

void usage_decode(void)
{
    fputs("usage: mcasim decode [--status V] [options] [< RECORD]\n"
          "\n"
          "Decode an IA32_MCi_STATUS value as the hosted hypervisor grades it: the\n"
          "fields, the class (none, corrected, ucna, srao, srar, fatal), the grading\n"
          "rule that fired, where it comes from, and the action (ignore, log,\n"
          "recover, panic).\n"
          "Without --status the registers are read from stdin: an mcelog text record\n"
          "(STATUS x MCGSTATUS y, MISC/ADDR, MCGCAP, CPUID Vendor ..., in mcelog's\n"
          "hex), the kernel's 'Machine Check Exception' panic line, or a QEMU monitor\n"
          "line 'mce [-b] cpu bank status mcgstatus addr misc'; options given too win.\n"
          "\n"
          "options:\n"
          "  --status V           IA32_MCi_STATUS (hex 0x... or decimal)\n"
          "  --mcg-status V       IA32_MCG_STATUS (default: what hardware writes for this\n"
          "                       error on the consuming CPU, with MCIP)\n"
          "  --addr V             IA32_MCi_ADDR\n"
          "  --misc V             IA32_MCi_MISC\n"
          "  --mcg-cap V          IA32_MCG_CAP (default 0x1000d0a: SER_P, TES_P, CMCI_P,\n"
          "                       CTL_P, 10 banks)\n"
          "  --cpu VENDOR:FAMILY:MODEL   e.g. intel:6:0x55, amd:0x17:0x31\n"
          "  --vendor intel|amd   read the status with that vendor's bit names and\n"
          "                       rules (AMD: Deferred, Poison, TCC...; default intel,\n"
          "                       or what --cpu or the record says)\n"
          "  --context C          user, kernel or hv (or a scenario context name:\n"
          "                       idle, hypervisor, dom0-kernel, dom0-user, guest-kernel,\n"
          "                       guest-user); default kernel\n"
          "  --mce                grade as the #MC handler does (the default, unless\n"
          "                       MCG_STATUS has MCIP clear)\n"
          "  --poll               grade as the poller / CMCI handler does (the default\n"
          "                       when MCG_STATUS has MCIP clear: no #MC handler saw it)\n"
          "  --policy P           xen (default): Xen's classification,\n"
          "                       intel_check_mce_type (MCi_STATUS and SER_P only; the #MC\n"
          "                       handler's RIPV/EIPV checks come later); linux: the\n"
          "                       Linux-style severity table of handler_order: linux\n"
          "  --json               one JSON object with class, rule, action and fields\n"
          "  -h, --help           show this help\n"
          "\n"
          "exit status: 0 decoded, 2 usage error or no record\n",
          stdout);
}

static int parse_u64(const char *opt, const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    if (s[0] == '-') {
        fprintf(stderr, "mcasim decode: %s wants a non-negative number, not '%s'\n", opt, s);
        return -1;
    }
    *v = strtoull(s, &end, 0);
    if (errno || *end || end == s) {
        fprintf(stderr, "mcasim decode: %s: '%s' is not a number (use 0x... or decimal)\n", opt, s);
        return -1;
    }
    return 0;
}

static int parse_context(const char *s, enum x86_exec_ctx *ctx)
{
    if (!strcmp(s, "user"))
        *ctx = X86_CTX_GUEST_USER;
    else if (!strcmp(s, "kernel"))
        *ctx = X86_CTX_GUEST_KERNEL;
    else if (!strcmp(s, "hv"))
        *ctx = X86_CTX_HV;
    else if ((*ctx = x86_ctx_from_name(s)) == X86_CTX__COUNT) {
        fprintf(stderr, "mcasim decode: unknown context '%s' (user, kernel, hv, idle, hypervisor, "
                        "dom0-kernel, dom0-user, guest-kernel, guest-user)\n", s);
        return -1;
    }
    return 0;
}

static int parse_vendor(const char *s, enum cpu_vendor *v)
{
    if (!strcmp(s, "intel") || !strcmp(s, "amd")) {
        *v = !strcmp(s, "amd") ? CPU_VENDOR_AMD : CPU_VENDOR_INTEL;
        return 0;
    }
    fprintf(stderr, "mcasim decode: --vendor wants intel or amd, not '%s'\n", s);
    return -1;
}

static int parse_cpu(const char *s, struct cpu_model_id *id)
{
    char vendor[16];
    unsigned fam, model;
    char *end;
    const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2 || (size_t)(c1 - s) >= sizeof(vendor))
        goto bad;
    snprintf(vendor, sizeof(vendor), "%.*s", (int)(c1 - s), s);
    fam = (unsigned)strtoul(c1 + 1, &end, 0);
    if (end != c2)
        goto bad;
    model = (unsigned)strtoul(c2 + 1, &end, 0);
    if (*end || !c2[1] || (strcmp(vendor, "intel") && strcmp(vendor, "amd")))
        goto bad;
    id->vendor = !strcmp(vendor, "amd") ? CPU_VENDOR_AMD : CPU_VENDOR_INTEL;
    id->family = fam;
    id->model = model;
    return 0;
bad:
    fprintf(stderr, "mcasim decode: --cpu wants VENDOR:FAMILY:MODEL with vendor intel or amd, "
                    "e.g. intel:6:0x55, not '%s'\n", s);
    return -1;
}

static bool amd(const struct decode_in *d) { return d->cpu.vendor == CPU_VENDOR_AMD; }

static void status_flags(const struct decode_in *d, char *buf, size_t len)
{
    if (amd(d))
        decode_amd_flags(d->status, buf, len);
    else
        mcelog_status_flags(d->status, d->mcg_cap, buf, len);
}

/* Where the rule that fired comes from (the table row's source). */
static const char *rule_source(const struct decode_in *d, const struct sev_result *r)
{
    return amd(d) ? "mcasim's AMD reading (decode_amd.c, after Xen's mce_amd.c)" : d->table->rows[r->rule_index].src;
}

static void print_text(const struct decode_in *d, const struct sev_result *r)
{
    char flags[200], mcg[64], code[128];
    status_flags(d, flags, sizeof(flags));
    mcelog_mcg_flags(d->mcg_status, mcg, sizeof(mcg));
    mcelog_mcacod_text(mci_mcacod(d->status), d->cpu_index > 0 ? (unsigned)d->cpu_index : 0u, code, sizeof(code));
    if (d->cpu_index >= 0 || d->bank >= 0)
        printf("from        %s: CPU %d bank %d\n", d->source, d->cpu_index, d->bank);
    printf("MCi_STATUS  0x%llx  %s%s\n", (unsigned long long)d->status,
           (d->status & MCI_STATUS_VAL) ? "VAL " : "(not valid) ", flags);
    printf("  MCACOD    0x%04x  %s\n", mci_mcacod(d->status), code);
    printf("  MSCOD     0x%04x\n", mci_mscod(d->status));
    if (!amd(d) && !(d->status & MCI_STATUS_UC) && (d->mcg_cap & MCG_CMCI_P))
        printf("  CE count  %u\n", mci_cec(d->status));
    printf("MCG_STATUS  0x%llx  %s\n", (unsigned long long)d->mcg_status, mcg);
    printf("MCG_CAP     0x%llx  (%llu banks%s)\n", (unsigned long long)d->mcg_cap,
           (unsigned long long)(d->mcg_cap & MCG_CAP_COUNT_MASK),
           (d->mcg_cap & MCG_SER_P) ? ", SER_P" : ", no SER_P");
    if (d->status & MCI_STATUS_ADDRV)
        printf("ADDR        0x%llx\n", (unsigned long long)d->addr);
    if (d->status & MCI_STATUS_MISCV)
        printf("MISC        0x%llx  (address LSB %llu, mode %llu%s)\n", (unsigned long long)d->misc,
               (unsigned long long)(d->misc & MCI_MISC_LSB_MASK),
               (unsigned long long)((d->misc & MCI_MISC_MODE_MASK) >> MCI_MISC_MODE_SHIFT),
               ((d->misc & MCI_MISC_MODE_MASK) >> MCI_MISC_MODE_SHIFT) == MCI_MISC_MODE_PHYS
                   ? " physical" : "");
    printf("cpu         %s family %#x model %#x\n", amd(d) ? "amd" : "intel", d->cpu.family, d->cpu.model);
    printf("context     %s (%s path%s)\n", x86_ctx_name(d->ctx), d->path == SEV_PATH_MCE ? "#MC" : "poll",
           !d->path_given && d->path == SEV_PATH_POLL ? ": MCIP clear" : "");
    printf("policy      %s\n", amd(d) ? "amd" : d->table->name);
    printf("class       %s\n", mce_class_name(r->cls));
    printf("rule        %s\n", r->rule);
    printf("source      %s\n", rule_source(d, r));
    printf("action      %s\n", mce_action_name(r->action));
}

/* Register values as "0x..." strings, 0 as "0x0". */
static void kv_hex(int *first, const char *key, uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
    json_kv_str(stdout, first, key, buf);
}

static void print_json(const struct decode_in *d, const struct sev_result *r)
{
    char flags[200], code[128];
    int first = 1;
    status_flags(d, flags, sizeof(flags));
    mcelog_mcacod_text(mci_mcacod(d->status), d->cpu_index > 0 ? (unsigned)d->cpu_index : 0u, code, sizeof(code));
    putchar('{');
    json_kv_str(stdout, &first, "class", mce_class_name(r->cls));
    json_kv_str(stdout, &first, "rule", r->rule);
    json_kv_str(stdout, &first, "action", mce_action_name(r->action));
    json_kv_str(stdout, &first, "policy", amd(d) ? "amd" : d->table->name);
    json_kv_str(stdout, &first, "source", rule_source(d, r));
    kv_hex(&first, "status", d->status);
    kv_hex(&first, "mcg_status", d->mcg_status);
    kv_hex(&first, "mcg_cap", d->mcg_cap);
    kv_hex(&first, "addr", d->addr);
    kv_hex(&first, "misc", d->misc);
    json_kv_str(stdout, &first, "flags", flags);
    kv_hex(&first, "mcacod", mci_mcacod(d->status));
    json_kv_str(stdout, &first, "mcacod_text", code);
    kv_hex(&first, "mscod", mci_mscod(d->status));
    json_kv_str(stdout, &first, "vendor", amd(d) ? "amd" : "intel");
    json_kv_str(stdout, &first, "context", x86_ctx_name(d->ctx));
    json_kv_str(stdout, &first, "path", d->path == SEV_PATH_MCE ? "mce" : "poll");
    puts("}");
}

enum { OPT_MCE = 256, OPT_VENDOR, OPT_POLICY };

/* Options into d (and the ones that only override a record into *o). */
static int parse_opts(int argc, char **argv, struct decode_in *d, struct decode_in *o, int *help)
{
    static const struct option longopts[] = {
        {"status", required_argument, 0, 's'}, {"mcg-status", required_argument, 0, 'g'},
        {"addr", required_argument, 0, 'a'},   {"misc", required_argument, 0, 'm'},
        {"mcg-cap", required_argument, 0, 'c'}, {"cpu", required_argument, 0, 'p'},
        {"vendor", required_argument, 0, OPT_VENDOR}, {"context", required_argument, 0, 'x'},
        {"poll", no_argument, 0, 'P'},          {"mce", no_argument, 0, OPT_MCE},
        {"json", no_argument, 0, 'J'},          {"help", no_argument, 0, 'h'},
        {"policy", required_argument, 0, OPT_POLICY},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        int rc = 0;
        switch (c) {
        case 's': rc = parse_u64("--status", optarg, &o->status); o->have_status = true; break;
        case 'g': rc = parse_u64("--mcg-status", optarg, &o->mcg_status); o->have_mcg = true; break;
        case 'a': rc = parse_u64("--addr", optarg, &o->addr); o->addr_given = true; break;
        case 'm': rc = parse_u64("--misc", optarg, &o->misc); o->misc_given = true; break;
        case 'c': rc = parse_u64("--mcg-cap", optarg, &o->mcg_cap); o->have_cap = true; break;
        case 'p': rc = parse_cpu(optarg, &o->cpu); o->vendor_given = o->model_given = true; break;
        case OPT_VENDOR: rc = parse_vendor(optarg, &o->cpu.vendor); o->vendor_given = true; break;
        case 'x': rc = parse_context(optarg, &d->ctx); break;
        case 'P': d->path = SEV_PATH_POLL; d->path_given = true; break;
        case OPT_MCE: d->path = SEV_PATH_MCE; d->path_given = true; break;
        case 'J': d->json = true; break;
        case OPT_POLICY:
            if (!strcmp(optarg, "xen") || !strcmp(optarg, "linux")) {
                d->table = !strcmp(optarg, "xen") ? &sev_table_xen : &sev_table_linux;
                break;
            }
            fprintf(stderr, "mcasim decode: --policy wants xen or linux, not '%s'\n", optarg);
            rc = -1;
            break;
        case 'h': *help = 1; return 0;
        default: fputs("Try 'mcasim decode --help'.\n", stderr); return -1;
        }
        if (rc)
            return -1;
    }
    if (optind < argc) {
        fprintf(stderr, "mcasim decode: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    return 0;
}

/* What the options said wins over the record. */
static void apply_options(struct decode_in *d, const struct decode_in *o)
{
    if (o->have_status)
        d->status = o->status, d->have_status = true;
    if (o->have_mcg)
        d->mcg_status = o->mcg_status, d->have_mcg = true;
    if (o->have_cap)
        d->mcg_cap = o->mcg_cap;
    if (o->addr_given)
        d->addr = o->addr;
    if (o->misc_given)
        d->misc = o->misc;
    if (o->model_given)
        d->cpu = o->cpu;
    else if (o->vendor_given)
        d->cpu.vendor = o->cpu.vendor;
}

int cmd_decode(int argc, char **argv)
{
    struct decode_in d = {.mcg_cap = DEFAULT_MCG_CAP, .ctx = X86_CTX_GUEST_KERNEL, .cpu_index = -1, .bank = -1,
                          .cpu = {CPU_VENDOR_INTEL, 6, 0x55}, .path = SEV_PATH_MCE, .source = "options",
                          .table = &sev_table_xen};
    struct decode_in o = {0};
    int help = 0;
    if (parse_opts(argc, argv, &d, &o, &help) != 0)
        return 2;
    if (help) {
        usage_decode();
        return 0;
    }
    char why[256];
    if (!o.have_status && (isatty(STDIN_FILENO) || decode_read_record(stdin, &d, why, sizeof(why)) != 0)) {
        fprintf(stderr, "mcasim decode: --status is required (%s)\nTry 'mcasim decode --help'.\n",
                isatty(STDIN_FILENO) ? "or a record on stdin" : why);
        return 2;
    }
    apply_options(&d, &o);
    if (!d.have_mcg)
        d.mcg_status = cpu_mca_mcg_status_for(d.ctx, d.status, true, false) | MCG_STATUS_MCIP;
    if (!d.path_given && !(d.mcg_status & MCG_STATUS_MCIP))
        d.path = SEV_PATH_POLL;
    struct sev_input in = {d.status, d.mcg_status, d.mcg_cap, d.ctx, d.path};
    struct sev_result r = amd(&d) ? decode_amd_grade(&d) : sev_grade_with(d.table, &in);
    if (d.json)
        print_json(&d, &r);
    else
        print_text(&d, &r);
    return 0;
}
