/*
 * proc_rss.h - the resident memory of a worker process, for the memory
 * limits of `mcasim run --max-memory` and `mcasim campaign --max-memory`.
 */
#ifndef SIM_CLI_PROC_RSS_H
#define SIM_CLI_PROC_RSS_H

#include <sys/types.h>

/* Resident bytes of pid (the second field of /proc/PID/statm, in pages);
 * 0 when unknown (no /proc, or the process is gone). */
unsigned long long proc_rss_bytes(pid_t pid);

#endif
