/*
 * main.c - `mcasim`: the table of subcommands (run, validate, import, decode,
 * report, oracle, campaign), --help built from it, and dispatch.
 *
 * Built twice (sim/cli/CMakeLists.txt): as mcasim-sim, the simulator, with
 * every command; and with MCASIM_FRONT as mcasim, the binary users run,
 * which links neither SystemC nor the C++ runtime and execs mcasim-sim for
 * the commands that simulate (a NULL run below). So --version, help,
 * validate, import, decode, report and campaign merge start in about a
 * millisecond instead of paying libsystemc's static initialisation and the
 * C++ libraries' relocations (docs/PERFORMANCE.md, "Start-up").
 */
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli.h"
#include "sim/cli/run.h"

/* The subcommands, in the order --help lists them: name, its line(s) in
 * --help, what runs it and what prints its help. */
#ifdef MCASIM_FRONT
#define SIMULATES(f) NULL
#else
#define SIMULATES(f) f
#endif

struct command {
    const char *name;
    const char *synopsis;
    int (*run)(int argc, char **argv);   /* NULL: exec the simulator */
    void (*usage)(void);                 /* NULL: exec the simulator */
};

static const struct command commands[] = {
    {"run", "  run FILE|DIR...     run scenarios and check their expectations\n", SIMULATES(cmd_run), SIMULATES(usage_run)},
    {"validate", "  validate FILE...    check scenario files without running them\n", cmd_validate,
     usage_validate},
    {"import",
     "  import FILE...      the YAML scenario of an mce-inject, QEMU mce, xen-mceinj\n"
     "                      or EINJ input (run and validate read those too)\n",
     cmd_import, usage_import},
    {"decode", "  decode --status V   decode an MCi_STATUS value: fields, class, rule, action\n", cmd_decode,
     usage_decode},
    {"campaign", "  campaign FILE       a fleet reliability campaign: rates per policy, sharded\n", SIMULATES(cmd_campaign),
     usage_campaign},
    {"report", "  report RESULTS...   latency plots and tables from `run --results` folders\n", cmd_report,
     usage_report},
    {"oracle", "  oracle CASE         compare mcasim with real Xen or Linux run under QEMU\n", SIMULATES(cmd_oracle),
     SIMULATES(usage_oracle)},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Subcommands of a command that simulates which don't simulate
 * themselves: the front runs them. */
static const struct subcommand {
    const char *command, *name;
    int (*run)(int argc, char **argv);
} subcommands[] = {
    {"campaign", "merge", cmd_campaign_merge},
};
#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

/* argv[0] is the command: a subcommand of it in argv[1], or NULL. */
static const struct subcommand *find_subcommand(int argc, char **argv)
{
    for (size_t i = 0; argc > 1 && i < NSUBCOMMANDS; i++)
        if (!strcmp(subcommands[i].command, argv[0]) && !strcmp(subcommands[i].name, argv[1]))
            return &subcommands[i];
    return NULL;
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

static void usage(FILE *f)
{
    fputs("usage: mcasim <command> [options]\n"
          "\n"
          "mcasim simulates the x86 machine-check (MCA) stack of a Xen-style hypervisor:\n"
          "SystemC models of CPUs and MCA banks feed a hosted hypervisor MCA core, a dom0\n"
          "mcelog daemon decodes what it logs, and YAML scenarios check the outcome.\n"
          "\n"
          "commands:\n",
          f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fputs(commands[i].synopsis, f);
    fputs("  help [COMMAND]      show help for a command\n"
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

/* argv: the whole command line, for exec_simulator(). */
static int help(int argc, char **argv, char **full)
{
    if (argc < 2) {
        usage(stdout);
        return 0;
    }
    const struct command *c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "mcasim: no such command: %s\n", argv[1]);
        return 2;
    }
    if (!c->usage)
        return exec_simulator(full);
    c->usage();
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
    if (!strcmp(cmd, "help"))
        return help(argc - 1, argv + 1, argv);
    const struct subcommand *sub = find_subcommand(argc - 1, argv + 1);
    if (sub)
        return sub->run(argc - 2, argv + 2);
    const struct command *c = find_command(cmd);
    if (c && c->run)
        return c->run(argc - 1, argv + 1);
    if (c)
        return exec_simulator(argv);
    fprintf(stderr, "mcasim: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
