/*
 * cmci_storm.h - CMCI storm handling as named policies.
 *
 * A CMCI storm is a bank that reports corrected errors so often that
 * taking one interrupt per error costs more than polling. What a CPU does
 * about it is a policy (DESIGN.md "Policies"), one row per policy in a
 * table of parameters (cmci_storm.c):
 *   xen       - no storm handling (Xen's mce_intel.c). Under the xen
 *               order Xen's own CMCI handler and pollers run
 *               (mce_intel_cmci.c, mce_nonfatal.c); the row's intervals
 *               (Intel's 8 s within 2..16 s) serve the linux order's
 *               per-CPU poller, halved after a poll with errors,
 *               doubled after a clean one;
 *   linux-2.6 - per CPU: more than 15 CMCIs within 1 s is a storm; CMCI is
 *               switched off in the CPU's banks and the CPU polls every
 *               1 s; 300 consecutive clean polls end it (Linux's old
 *               cmci_storm_detect, mce/intel.c);
 *   linux-6   - per bank: a 64-bit history of checks that found a
 *               corrected error; 5 set bits is a storm; the bank's CMCI
 *               threshold is raised to 32749 and the CPU polls every 1 s;
 *               30 consecutive clean checks end it and restore the
 *               threshold (same source, "New (2024+)").
 * Outside a storm the linux-* policies poll like Linux's check_interval:
 * 300 s, halved after a poll that logged something (floor 10 ms), doubled
 * after a clean one (cap 300 s).
 *
 * The per-CPU state below hangs off struct hv_cpu, so reports can show
 * whether a CPU is in a storm, whether its CMCI is on, and each bank's
 * history and threshold.
 */
#ifndef HV_CMCI_STORM_H
#define HV_CMCI_STORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_mca.h"
#include "public/hv_policy.h"

/* enum hv_storm_policy and its names: public/hv_policy.h */

/* How a policy recognises a storm. */
enum storm_detect {
    STORM_DETECT_NONE = 0,  /* never (Xen)                                  */
    STORM_DETECT_CPU_RATE,  /* CMCIs per window on one CPU (Linux 2.6)      */
    STORM_DETECT_BANK_HISTORY, /* set bits in a bank's history (Linux 6)    */
};

/* What a storm does to the CMCI of the banks concerned. */
enum storm_cmci_action {
    STORM_CMCI_KEEP = 0,    /* nothing (no storms)                          */
    STORM_CMCI_DISABLE,     /* clear MCi_CTL2.CMCI_EN in every bank of the CPU */
    STORM_CMCI_RAISE_THRESHOLD, /* set the bank's threshold to storm_threshold */
};

/* One row per policy. Times in ps. */
struct hv_storm_params {
    const char *name;              /* as scenarios spell it            */
    uint64_t poll_initial_ps, poll_min_ps, poll_max_ps; /* outside storms */
    enum storm_detect detect;
    unsigned begin_above;          /* CPU_RATE: storm when CMCIs in the window exceed this */
    uint64_t window_ps;            /* CPU_RATE: the counting window    */
    unsigned begin_bits;           /* BANK_HISTORY: storm at this many set bits */
    uint64_t history_tick_ps;      /* BANK_HISTORY: one history bit per tick of idle time */
    unsigned end_clean;            /* consecutive clean polls/checks that end a storm */
    uint64_t storm_poll_ps;        /* poll interval during a storm     */
    enum storm_cmci_action action;
    unsigned storm_threshold;      /* RAISE_THRESHOLD: the storm's CMCI threshold */
};

/* Linux 6's per-bank storm tracking; unused by the other policies. */
struct hv_storm_bank {
    uint64_t history;   /* bit 0 = the latest check; 1 = it found a CE      */
    uint64_t last_ps;   /* when the history was last shifted                */
    uint16_t threshold; /* CMCI threshold now in MCi_CTL2 (as written)      */
    uint16_t saved_threshold; /* threshold to restore when the storm ends   */
    bool in_storm;
};

struct hv_storm_cpu {
    bool in_storm;          /* polling at the storm interval               */
    bool cmci_enabled;      /* CMCI_EN is set in this CPU's banks          */
    unsigned cmci_count;    /* linux-2.6: CMCIs in the current window      */
    uint64_t window_start_ps;
    unsigned clean_polls;   /* linux-2.6: consecutive clean storm polls    */
    unsigned storm_banks;   /* linux-6: banks of this CPU in a storm       */
    uint64_t storms;        /* storms begun on this CPU (per bank for linux-6) */
    struct hv_storm_bank bank[MCA_MAX_BANKS];
};

struct hv;
struct hv_config;

/* The row of a policy (NULL when out of range). */
const struct hv_storm_params *hv_storm_params(enum hv_storm_policy p);
/* Pick a storm policy and the normal poll intervals that go with it.
 * Call after hv_config_defaults(); override poll_* afterwards if needed. */
void hv_config_set_storm(struct hv_config *cfg, enum hv_storm_policy p);

/* Per-CPU state after the banks were enabled (hv_cpu_boot). No MSR access. */
void hv_storm_cpu_boot(struct hv *hv, unsigned cpu);
/* After a CMCI scanned the CPU's banks; ce_banks has bit i set when bank i
 * held a corrected error. True when the poll interval changed (a storm
 * began or ended) so the caller re-arms the poll timer. */
bool hv_storm_cmci(struct hv *hv, unsigned cpu, uint64_t now_ps, uint32_t ce_banks);
/* After a poll that logged `logged` records (ce_banks as above). True when
 * the storm policy set the next interval (in or leaving a storm); false
 * leaves the normal adaptation to the caller. */
bool hv_storm_poll(struct hv *hv, unsigned cpu, uint64_t now_ps, unsigned logged, uint32_t ce_banks);
/* The policy watches this CPU's CMCIs for a storm (a CMCI's check moves
 * state that decides when one begins: a bank's history, a CPU's count):
 * the round fold must not add up rounds that raise CMCIs outside a storm
 * as if each moved that state alike. */
bool hv_storm_watches(const struct hv *hv, unsigned cpu);
/* The CPU is in a storm: its polls move storm state even when they find
 * nothing (each a clean check, history_poll, rate_poll); outside one an
 * empty poll moves none. */
bool hv_storm_on(const struct hv *hv, unsigned cpu);

/* "8s", "1s", "10ms", "4687500us": the largest unit that is exact. */
void hv_fmt_interval(char *buf, size_t len, uint64_t ps);

#endif
