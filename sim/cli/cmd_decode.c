/*
 * cmd_decode.c - `mcasim decode`: what the hypervisor's grading table of
 * a policy (xen: Xen's intel_check_mce_type; linux: Linux's severity
 * table) makes of a register set, without running anything. Prints the
 * decoded fields, the class, the rule that fired, its source and the
 * action.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_context.h"
#include "arch/x86_mca.h"
#include "guests/dom0/mcelog_decode.h"
#include "hv/severity.h"
#include "models/cpu/cpu_mca.h"
#include "sim/cli/cli.h"
#include "sim/results/json_out.h"

/* Default MCG_CAP: 10 banks with CTL_P, CMCI_P, TES_P and SER_P. */
#define DEFAULT_MCG_CAP (MCG_SER_P | MCG_TES_P | MCG_CMCI_P | MCG_CTL_P | 10u)

void usage_decode(void)
{
    fputs("usage: mcasim decode --status V [options]\n"
          "\n"
          "Decode an IA32_MCi_STATUS value as the hosted hypervisor grades it: the\n"
          "fields, the class (none, corrected, ucna, srao, srar, fatal), the grading\n"
          "rule that fired, where it comes from, and the action (ignore, log,\n"
          "recover, panic).\n"
          "\n"
          "options:\n"
          "  --status V           IA32_MCi_STATUS (required; hex 0x... or decimal)\n"
          "  --mcg-status V       IA32_MCG_STATUS (default: what hardware writes for this\n"
          "                       error on the consuming CPU, with MCIP)\n"
          "  --addr V             IA32_MCi_ADDR\n"
          "  --misc V             IA32_MCi_MISC\n"
          "  --mcg-cap V          IA32_MCG_CAP (default 0x1000d0a: SER_P, TES_P, CMCI_P,\n"
          "                       CTL_P, 10 banks)\n"
          "  --cpu VENDOR:FAMILY:MODEL   e.g. intel:6:0x55 (shown; quirks use it)\n"
          "  --context C          user, kernel or hv (or a scenario context name:\n"
          "                       idle, hypervisor, dom0-kernel, dom0-user, guest-kernel,\n"
          "                       guest-user); default kernel\n"
          "  --poll               grade as the poller / CMCI handler, not the #MC handler\n"
          "  --policy P           xen (default): Xen's classification,\n"
          "                       intel_check_mce_type (MCi_STATUS and SER_P only; the #MC\n"
          "                       handler's RIPV/EIPV checks come later); linux: the\n"
          "                       Linux-style severity table of handler_order: linux\n"
          "  --json               one JSON object with class, rule, action and fields\n"
          "  -h, --help           show this help\n",
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
    if (*end || !c2[1])
        goto bad;
    if (!strcmp(vendor, "intel"))
        id->vendor = CPU_VENDOR_INTEL;
    else if (!strcmp(vendor, "amd"))
        id->vendor = CPU_VENDOR_AMD;
    else
        goto bad;
    id->family = fam;
    id->model = model;
    return 0;
bad:
    fprintf(stderr, "mcasim decode: --cpu wants VENDOR:FAMILY:MODEL with vendor intel or amd, "
                    "e.g. intel:6:0x55, not '%s'\n", s);
    return -1;
}

struct decode_in {
    uint64_t status, mcg_status, addr, misc, mcg_cap;
    int have_mcg;
    struct cpu_model_id cpu;
    enum x86_exec_ctx ctx;
    enum sev_path path;
    const struct sev_table *table;
    int json;
};

static void print_text(const struct decode_in *d, const struct sev_result *r)
{
    char flags[160], mcg[64], code[128];
    mcelog_status_flags(d->status, d->mcg_cap, flags, sizeof(flags));
    mcelog_mcg_flags(d->mcg_status, mcg, sizeof(mcg));
    mcelog_mcacod_text(mci_mcacod(d->status), code, sizeof(code));
    printf("MCi_STATUS  %#018llx  %s%s\n", (unsigned long long)d->status,
           (d->status & MCI_STATUS_VAL) ? "VAL " : "(not valid) ", flags);
    printf("  MCACOD    %#06x  %s\n", mci_mcacod(d->status), code);
    printf("  MSCOD     %#06x\n", mci_mscod(d->status));
    if (!(d->status & MCI_STATUS_UC) && (d->mcg_cap & MCG_CMCI_P))
        printf("  CE count  %u\n", mci_cec(d->status));
    printf("MCG_STATUS  %#llx  %s\n", (unsigned long long)d->mcg_status, mcg);
    printf("MCG_CAP     %#llx  (%llu banks%s)\n", (unsigned long long)d->mcg_cap,
           (unsigned long long)(d->mcg_cap & MCG_CAP_COUNT_MASK),
           (d->mcg_cap & MCG_SER_P) ? ", SER_P" : ", no SER_P");
    if (d->status & MCI_STATUS_ADDRV)
        printf("ADDR        %#llx\n", (unsigned long long)d->addr);
    if (d->status & MCI_STATUS_MISCV)
        printf("MISC        %#llx  (address LSB %llu, mode %llu%s)\n", (unsigned long long)d->misc,
               (unsigned long long)(d->misc & MCI_MISC_LSB_MASK),
               (unsigned long long)((d->misc & MCI_MISC_MODE_MASK) >> MCI_MISC_MODE_SHIFT),
               ((d->misc & MCI_MISC_MODE_MASK) >> MCI_MISC_MODE_SHIFT) == MCI_MISC_MODE_PHYS
                   ? " physical" : "");
    printf("cpu         %s family %#x model %#x\n", d->cpu.vendor == CPU_VENDOR_AMD ? "amd" : "intel",
           d->cpu.family, d->cpu.model);
    printf("context     %s (%s path)\n", x86_ctx_name(d->ctx), d->path == SEV_PATH_MCE ? "#MC" : "poll");
    printf("policy      %s\n", d->table->name);
    printf("class       %s\n", mce_class_name(r->cls));
    printf("rule        %s\n", r->rule);
    printf("source      %s\n", d->table->rows[r->rule_index].src);
    printf("action      %s\n", mce_action_name(r->action));
}

static void print_json(const struct decode_in *d, const struct sev_result *r)
{
    char flags[160], code[128];
    int first = 1;
    mcelog_status_flags(d->status, d->mcg_cap, flags, sizeof(flags));
    mcelog_mcacod_text(mci_mcacod(d->status), code, sizeof(code));
    putchar('{');
    json_kv_str(stdout, &first, "class", mce_class_name(r->cls));
    json_kv_str(stdout, &first, "rule", r->rule);
    json_kv_str(stdout, &first, "action", mce_action_name(r->action));
    json_kv_str(stdout, &first, "policy", d->table->name);
    json_kv_str(stdout, &first, "source", d->table->rows[r->rule_index].src);
    json_kv_hex(stdout, &first, "status", d->status);
    json_kv_hex(stdout, &first, "mcg_status", d->mcg_status);
    json_kv_hex(stdout, &first, "mcg_cap", d->mcg_cap);
    json_kv_hex(stdout, &first, "addr", d->addr);
    json_kv_hex(stdout, &first, "misc", d->misc);
    json_kv_str(stdout, &first, "flags", flags);
    json_kv_hex(stdout, &first, "mcacod", mci_mcacod(d->status));
    json_kv_str(stdout, &first, "mcacod_text", code);
    json_kv_hex(stdout, &first, "mscod", mci_mscod(d->status));
    json_kv_str(stdout, &first, "context", x86_ctx_name(d->ctx));
    json_kv_str(stdout, &first, "path", d->path == SEV_PATH_MCE ? "mce" : "poll");
    puts("}");
}

int cmd_decode(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"status", required_argument, 0, 's'}, {"mcg-status", required_argument, 0, 'g'},
        {"addr", required_argument, 0, 'a'},   {"misc", required_argument, 0, 'm'},
        {"mcg-cap", required_argument, 0, 'c'}, {"cpu", required_argument, 0, 'p'},
        {"context", required_argument, 0, 'x'}, {"poll", no_argument, 0, 'P'},
        {"json", no_argument, 0, 'J'},         {"help", no_argument, 0, 'h'},
        {"policy", required_argument, 0, 'o'},
        {0, 0, 0, 0},
    };
    struct decode_in d = {.mcg_cap = DEFAULT_MCG_CAP, .ctx = X86_CTX_GUEST_KERNEL,
                          .cpu = {CPU_VENDOR_INTEL, 6, 0x55}, .path = SEV_PATH_MCE,
                          .table = &sev_table_xen};
    int have_status = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        int rc = 0;
        switch (c) {
        case 's': rc = parse_u64("--status", optarg, &d.status); have_status = 1; break;
        case 'g': rc = parse_u64("--mcg-status", optarg, &d.mcg_status); d.have_mcg = 1; break;
        case 'a': rc = parse_u64("--addr", optarg, &d.addr); break;
        case 'm': rc = parse_u64("--misc", optarg, &d.misc); break;
        case 'c': rc = parse_u64("--mcg-cap", optarg, &d.mcg_cap); break;
        case 'p': rc = parse_cpu(optarg, &d.cpu); break;
        case 'x': rc = parse_context(optarg, &d.ctx); break;
        case 'P': d.path = SEV_PATH_POLL; break;
        case 'J': d.json = 1; break;
        case 'o':
            if (!strcmp(optarg, "xen") || !strcmp(optarg, "linux")) {
                d.table = !strcmp(optarg, "xen") ? &sev_table_xen : &sev_table_linux;
                break;
            }
            fprintf(stderr, "mcasim decode: --policy wants xen or linux, not '%s'\n", optarg);
            rc = -1;
            break;
        case 'h': usage_decode(); return 0;
        default: fputs("Try 'mcasim decode --help'.\n", stderr); return 2;
        }
        if (rc)
            return 2;
    }
    if (optind < argc) {
        fprintf(stderr, "mcasim decode: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!have_status) {
        fputs("mcasim decode: --status is required\nTry 'mcasim decode --help'.\n", stderr);
        return 2;
    }
    if (!d.have_mcg)
        d.mcg_status = cpu_mca_mcg_status_for(d.ctx, d.status, true, false) | MCG_STATUS_MCIP;
    struct sev_input in = {d.status, d.mcg_status, d.mcg_cap, d.ctx, d.path};
    struct sev_result r = sev_grade_with(d.table, &in);
    if (d.json)
        print_json(&d, &r);
    else
        print_text(&d, &r);
    return 0;
}
