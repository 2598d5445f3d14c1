/*
 * cmd_campaign_merge.c - `mcasim campaign merge` and the help of `mcasim
 * campaign`: the parts of the command that don't simulate, so the front
 * binary runs them without the simulator (main.c; the rest of the command
 * is cmd_campaign.c).
 */
#include <stdio.h>
#include <string.h>

#include "sim/cli/campaign_run.h"
#include "sim/cli/cli.h"

void usage_campaign(void)
{
    puts("usage: mcasim campaign FILE [options]\n"
         "       mcasim campaign merge -o DIR PARTIAL...\n"
         "\n"
         "Run a fleet reliability campaign (docs/CAMPAIGNS.md): every host of the\n"
         "fleet (a scenario file run as one host-year, `count` times) under every\n"
         "policy of the file, one worker process per host-run. Host h runs with\n"
         "the seed derived from the campaign seed and h alone, under every policy,\n"
         "so policies meet the same faults and any host re-runs bit for bit.\n"
         "Writes into DIR: hosts.csv (one row per policy and host), summary.csv\n"
         "and summary.json (per policy and outcome: total, rate per host-year and\n"
         "per 1,000 hosts with 95% Poisson intervals, FIT per host), rates.dat and\n"
         "rates.gp (gnuplot: rates with error bars, CEs per host over hosts).\n"
         "\n"
         "options:\n"
         "  -o, --out PATH    the results folder (default: NAME.campaign); with\n"
         "                    --shard, the partial result file to write\n"
         "  -j, --jobs N      host-runs in parallel (default: number of CPUs)\n"
         "  --shard K/N       run only the jobs j with j mod N = K-1 (job j = policy\n"
         "                    j / hosts, host j mod hosts) and write a partial result\n"
         "  --host H          run host H alone in this process and print its row\n"
         "  --policy NAME     with --host: the policy (default: the first)\n"
         "  --trace FILE      with --host: write its JSON-lines trace\n"
         "  --results FILE    with --host: write its results.json (the run record,\n"
         "                    as mcasim run writes it; bounded by --keep)\n"
         "  --keep N|all      what a host-run keeps of its run record: its first N\n"
         "                    records and the first and last N lines of each log,\n"
         "                    the rest counted, not kept (default 16: memory stays\n"
         "                    bounded however long a run); all keeps every entry;\n"
         "                    with --host, the counts go to stderr\n"
         "  --max-wall TIME   stop a host-run after TIME of wall-clock time (e.g.\n"
         "                    30s); its row says limit (default: the file's\n"
         "                    max_wall, else no limit); with --host, stderr\n"
         "                    says how much of its simulated time it reached\n"
         "  --max-memory SIZE stop a host-run whose resident memory passes SIZE\n"
         "                    (e.g. 2GiB); its row says limit (default: the\n"
         "                    file's max_memory, else no limit; --host: as\n"
         "                    --max-wall)\n"
         "  --skip-quiet      every host-run counts its empty poll rounds instead of\n"
         "                    running them (the scenario key skip_quiet; same\n"
         "                    results, faster: docs/PERFORMANCE.md); default: the\n"
         "                    file's skip_quiet\n"
         "  --fold-rounds     every host-run counts the repeated handling rounds of a\n"
         "                    wide permanent fault instead of running them (the\n"
         "                    same counts; its trace shows one round_fold event\n"
         "                    per folded stretch: docs/PERFORMANCE.md); bounded\n"
         "                    host-runs only (not with --keep all); default: the\n"
         "                    file's fold_rounds\n"
         "  --timings FILE    write what each host-run of this run cost: a CSV row\n"
         "                    per host-run (policy,host,status,wall_s,user_s,sys_s,\n"
         "                    max_rss_kib, from wait4; sim_reached_s, for one not\n"
         "                    done: the simulated seconds it reached), to find\n"
         "                    the slow hosts; not part of the results (it differs\n"
         "                    run to run)\n"
         "  -q, --quiet       no progress (a bar with the time left on a terminal,\n"
         "                    else a line every 5 s on stderr)\n"
         "  -h, --help        show this help\n"
         "\n"
         "merge: combine the partial results of every shard K/N (K = 1..N, any\n"
         "order, any N) into DIR; the bytes are those of a run without shards.\n"
         "\n"
         "exit status: 0 every host-run finished, 1 some stopped at the limit or\n"
         "failed (their rows say so), 2 usage, campaign file or output error");
}

/* argv[0] is "merge". */
int cmd_campaign_merge(int argc, char **argv)
{
    const char *out = NULL;
    int first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if ((!strcmp(argv[first], "-o") || !strcmp(argv[first], "--out")) && first + 1 < argc) {
            out = argv[++first];
        } else if (!strcmp(argv[first], "-h") || !strcmp(argv[first], "--help")) {
            usage_campaign();
            return 0;
        } else {
            fprintf(stderr, "mcasim campaign merge: unknown option '%s' (`mcasim help campaign`)\n", argv[first]);
            return 2;
        }
    }
    if (!out || first >= argc) {
        fprintf(stderr, "mcasim campaign merge: -o DIR and at least one partial result expected\n");
        return 2;
    }
    return campaign_merge(argv + first, argc - first, out);
}
