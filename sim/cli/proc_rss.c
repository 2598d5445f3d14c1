/*
 * proc_rss.c - resident memory of a process from /proc/PID/statm (proc(5):
 * size, resident, ... in pages).
 */
#include "sim/cli/proc_rss.h"

#include <stdio.h>
#include <unistd.h>

unsigned long long proc_rss_bytes(pid_t pid)
{
    char path[64];
    unsigned long long size = 0, resident = 0;
    snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    if (fscanf(f, "%llu %llu", &size, &resident) != 2)
        resident = 0;
    fclose(f);
    return resident * (unsigned long long)sysconf(_SC_PAGESIZE);
}
