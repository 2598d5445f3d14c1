/*
 * sim_exec.c - exec_simulator() (cli.h): the front binary, mcasim, hands a
 * command that simulates to mcasim-sim with the same argv. The simulator
 * is looked for beside the running binary (build/sim/ of a build), then at
 * MCASIM_SIM_REL from its folder (bin/ -> libexec/mcasim/ of an install,
 * so a moved install prefix keeps working). No path of the build tree is
 * compiled in.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli/cli.h"

#ifndef MCASIM_SIM_REL
#define MCASIM_SIM_REL "../libexec/mcasim/mcasim-sim"
#endif

int exec_simulator(char **argv)
{
    static const char *const where[] = {"mcasim-sim", MCASIM_SIM_REL};
    char dir[2048], path[4096];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
    if (n <= 0) {
        fprintf(stderr, "mcasim: cannot find the simulator: /proc/self/exe: %s\n", strerror(errno));
        return 2;
    }
    dir[n] = 0;
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    int err = ENOENT;
    for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, where[i]);
        execv(path, argv);
        if (errno != ENOENT)
            err = errno;
    }
    fprintf(stderr, "mcasim: cannot run the simulator %s/mcasim-sim or %s/%s: %s\n", dir, dir, MCASIM_SIM_REL,
            strerror(err));
    return 2;
}
