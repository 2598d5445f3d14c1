/*
 * ff_throttle.h - CMC/CPE storm throttling of firmware-first reporting:
 * when the interrupts of a type come too fast, stop taking them and poll
 * the firmware's logs instead; when a poll finds nothing, go back to
 * interrupts.
 *
 * The thresholds are Linux's on IA-64 (arch/ia64/kernel/mca.c,
 * ia64_mca_cmc_int_handler / ia64_mca_cpe_int_handler and their pollers
 * ia64_mca_cmc_int_caller / ia64_mca_cpe_int_caller), the handler the
 * Xen/ia64 CMC/CPE design says Xen's throttling follows ("CMC and CPE
 * throttling in Xen and dynamic polling intervals", xen-ia64-devel 2007):
 * an interrupt that finds CMC_HISTORY_LENGTH (5) interrupts, itself
 * included, within one second switches the type to polling; CMCs are then
 * polled every CMC_POLL_INTERVAL (60 s), CPEs from MIN_CPE_POLL_INTERVAL
 * (2 min), halved (not below it) after a poll that found records and,
 * without a CPE interrupt, doubled up to MAX_CPE_POLL_INTERVAL (15 min)
 * after one that found none. A poll that finds nothing returns a type
 * that has an interrupt to interrupt mode. One row per type, one state
 * per host and type (Linux's are global, not per CPU).
 */
#ifndef HV_FF_THROTTLE_H
#define HV_FF_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#define FF_HISTORY_MAX 8

struct ff_throttle_row {
    const char *name;       /* "CMC", "CPE"                              */
    unsigned history;       /* interrupts within `window` that make a storm; 0: never */
    uint64_t window_ps;
    uint64_t poll_min_ps, poll_max_ps;
    bool halve_on_found;    /* CPE: dynamic interval                     */
};

/* The row of a type (enum fw_type), NULL past the last. */
const struct ff_throttle_row *ff_throttle_row(unsigned type);

struct ff_throttle {
    const struct ff_throttle_row *row;
    bool has_irq;           /* the platform signals this type at all     */
    bool polling;
    uint64_t poll_ps;       /* the current interval while polling        */
    uint64_t hist[FF_HISTORY_MAX];
    unsigned nhist, idx;
    uint64_t storms, returns, polls;
};

enum ff_verdict {
    FF_TAKE = 0,        /* handle the interrupt                                 */
    FF_TO_POLLING,      /* handle it, then mask the type and poll at poll_ps    */
    FF_POLL_AGAIN,      /* (after a poll) poll again in poll_ps                 */
    FF_TO_INTERRUPT,    /* (after a poll) unmask the type, stop polling         */
};

/* has_irq false: the type polls from boot (a platform without CPEI). */
void ff_throttle_init(struct ff_throttle *t, unsigned type, bool has_irq);
/* An interrupt of the type at now_ps (only while not polling). */
enum ff_verdict ff_throttle_interrupt(struct ff_throttle *t, uint64_t now_ps);
/* Rebase (docs/TIME.md, arch/ps_rebase.h): the interrupt history moved
 * d_ps earlier, seen at now_ps; only ages are compared with the window. */
void ff_throttle_rebase(struct ff_throttle *t, uint64_t d_ps, uint64_t now_ps);
/* A poll over every CPU ended; found: it brought new records. */
enum ff_verdict ff_throttle_poll_done(struct ff_throttle *t, bool found);

#endif
