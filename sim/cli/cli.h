/*
 * cli.h - the subcommands of `mcasim`. Each returns the process exit code:
 * 0 success, 1 a scenario failed its expectations (or was stopped at a
 * limit), 2 bad usage, input or an output that cannot be written, 128 +
 * the signal when `run` was interrupted.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <stdbool.h>

#include "sim/scenario/import.h"
#include "sim/scenario/scenario.h"

int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_oracle(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_campaign(int argc, char **argv);
/* `campaign merge`: argv[0] is "merge". */
int cmd_campaign_merge(int argc, char **argv);

void usage_run(void);
void usage_validate(void);
void usage_decode(void);
void usage_report(void);
void usage_oracle(void);
void usage_import(void);
void usage_campaign(void);

/* The front binary (main.c built with MCASIM_FRONT, no SystemC or C++
 * runtime linked in) hands a command that simulates to the simulator
 * binary, mcasim-sim, by exec with the same argv: found beside the running
 * binary (a build) or at MCASIM_SIM_REL from its folder (an install).
 * Returns only on failure: 2 after a message. */
int exec_simulator(char **argv);

/* Load a scenario file of format fmt (SCN_FMT_AUTO: detected), printing
 * every error in it, and a warning (an error with strict) when it expects
 * nothing. 0, or -1 (*s freed). */
int load_scenario_checked(const char *path, enum scn_format fmt, int strict, struct scenario *s);
/* --from FORMAT: the format, or SCN_FMT__COUNT after a message. */
enum scn_format parse_format_option(const char *cmd, const char *arg);
/* --keep N|all (run, campaign): true and *keep (0: all), or false, for the
 * caller to refuse with KEEP_WANT. */
#define KEEP_WANT "a number of entries, 1 to 1000000, or all"
bool parse_keep_value(const char *arg, unsigned *keep);

/* Collect scenario files from paths (files, or folders searched
 * recursively for *.yaml and *.yml and the importers' *.mce, *.qemu,
 * *.xen-mceinj and *.einj), sorted. Returns count, -1 on error. */
int collect_scenarios(char **paths, int npaths, char ***out);
void free_scenarios(char **files, int n);

#endif
