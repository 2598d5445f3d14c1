/*
 * main.c - `mcasim`: run, validate and decode machine-check scenarios.
 */
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli.h"
#include "sim/cli/run.h"

static void usage(FILE *f)
{
    fputs("usage: mcasim <command> [options]\n"
          "\n"
          "mcasim simulates the x86 machine-check (MCA) stack of a Xen-style hypervisor:\n"
          "SystemC models of CPUs and MCA banks feed a hosted hypervisor MCA core, a dom0\n"
          "mcelog daemon decodes what it logs, and YAML scenarios check the outcome.\n"
          "\n"
          "commands:\n"
          "  run FILE|DIR...     run scenarios and check their expectations\n"
          "  validate FILE...    check scenario files without running them\n"
          "  import FILE...      the YAML scenario of an mce-inject, QEMU mce, xen-mceinj\n"
          "                      or EINJ input (run and validate read those too)\n"
          "  decode --status V   decode an MCi_STATUS value: fields, class, rule, action\n"
          "  report RESULTS...   latency plots and tables from `run --results` folders\n"
          "  oracle CASE         compare mcasim with real Xen or Linux run under QEMU\n"
          "  help [COMMAND]      show help for a command\n"
          "\n"
          "options:\n"
          "  -h, --help          show this help\n"
          "  --version           print the version\n"
          "\n"
          "Run `mcasim help COMMAND` for the options of a command.\n"
          "Scenario format: docs/SCENARIOS.md. Exit status: 0 ok, 1 a scenario failed,\n"
          "2 usage, input or output error, 130/143 interrupted (SIGINT/SIGTERM).\n",
          f);
}

static int help(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "run"))
        usage_run();
    else if (!strcmp(argv[1], "validate"))
        usage_validate();
    else if (!strcmp(argv[1], "decode"))
        usage_decode();
    else if (!strcmp(argv[1], "report"))
        usage_report();
    else if (!strcmp(argv[1], "oracle"))
        usage_oracle();
    else if (!strcmp(argv[1], "import"))
        usage_import();
    else {
        fprintf(stderr, "mcasim: no such command: %s\n", argv[1]);
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
        return usage(stdout), 0;
    if (!strcmp(cmd, "--version"))
        return printf("mcasim %s (commit %s)\n", mcasim_version(), mcasim_commit()), 0;
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "validate"))
        return cmd_validate(argc - 1, argv + 1);
    if (!strcmp(cmd, "decode"))
        return cmd_decode(argc - 1, argv + 1);
    if (!strcmp(cmd, "report"))
        return cmd_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "oracle"))
        return cmd_oracle(argc - 1, argv + 1);
    if (!strcmp(cmd, "import"))
        return cmd_import(argc - 1, argv + 1);
    if (!strcmp(cmd, "help"))
        return help(argc - 1, argv + 1);
    fprintf(stderr, "mcasim: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
