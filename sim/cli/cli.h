/*
 * cli.h - the subcommands of `mcasim`. Each returns the process exit code:
 * 0 success, 1 a scenario failed its expectations, 2 bad usage or input.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include "sim/scenario/scenario.h"

int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_report(int argc, char **argv);

void usage_run(void);
void usage_validate(void);
void usage_decode(void);
void usage_report(void);

/* Load a scenario file, printing every error in it, and a warning (an
 * error with strict) when it expects nothing. 0, or -1 (*s freed). */
int load_scenario_checked(const char *path, int strict, struct scenario *s);

/* Collect scenario files from paths (files, or folders searched
 * recursively for *.yaml / *.yml), sorted. Returns count, -1 on error. */
int collect_scenarios(char **paths, int npaths, char ***out);
void free_scenarios(char **files, int n);

#endif
