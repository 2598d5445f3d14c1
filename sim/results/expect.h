/*
 * expect.h - check a run against its scenario's expectations, plus the
 * invariants every run must satisfy whatever the scenario says: no
 * injected error silently lost, and no committed record left undelivered
 * on a running host whose dom0 runs mcelog.
 */
#ifndef SIM_EXPECT_H
#define SIM_EXPECT_H

#include "sim/results/run_result.h"
#include "sim/scenario/scenario.h"

struct expect_failure {
    struct scn_loc loc; /* of the expectation; 0:0 for invariants */
    char msg[512];
};

struct expect_report {
    struct expect_failure *v;
    unsigned n, cap;
    unsigned checked;   /* expectations evaluated */
};

void expect_check(const struct scenario *s, const struct run_result *r, struct expect_report *rep);
/* Add a failure at the expectation's position (the checks' own use). */
void expect_fail(struct expect_report *rep, struct scn_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* expect.msrs, expect.calls, expect.pages (expect_probes.c). */
void expect_check_probes(const struct scenario *s, const struct run_result *r, struct expect_report *rep);
/* expect_pcie.c: expect.pcie against the hosts' PCIe functions. */
void expect_check_pcie(const struct scenario *s, const struct run_result *r, struct expect_report *rep);
void expect_report_free(struct expect_report *rep);

#endif
