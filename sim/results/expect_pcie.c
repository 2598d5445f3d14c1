/*
 * expect_pcie.c - expect.pcie: what became of a PCI Express function in
 * the run (rr_host.pcie, filled from dom0's AER service and the device
 * model). Only the keys an item gives are compared.
 */
#include "sim/results/expect.h"

#include <stdio.h>

static const char *const step_keys[4] = {"error_detected", "mmio_enabled", "slot_reset", "resume"};

static void check_count(struct expect_report *rep, const struct scn_expect_pcie *e, const char *dev,
                        const char *what, long long want, unsigned long long got)
{
    if (want >= 0 && (unsigned long long)want != got)
        expect_fail(rep, e->loc, "pcie %s: %s %llu, expected %lld", dev, what, got, want);
}

static void check_one(const struct scenario *s, const struct run_result *r, const struct scn_expect_pcie *e,
                      struct expect_report *rep)
{
    const struct rr_host *h = &r->hosts[e->host];
    const char *name = s->hosts[e->host].pcie.devs[e->dev].name;
    rep->checked++;
    if (!h->pcie || e->dev >= h->npcie) {
        expect_fail(rep, e->loc, "pcie %s: no record of the device", name);
        return;
    }
    const struct rr_pcie_dev *d = &h->pcie[e->dev];
    check_count(rep, e, name, "corrected", e->corrected, d->corrected);
    check_count(rep, e, name, "nonfatal", e->nonfatal, d->nonfatal);
    check_count(rep, e, name, "fatal", e->fatal, d->fatal);
    check_count(rep, e, name, "recovered", e->recovered, d->recovered);
    check_count(rep, e, name, "failed", e->failed, d->failed);
    check_count(rep, e, name, "resets", e->resets, d->resets);
    check_count(rep, e, name, "aerfail", e->aerfail, d->aerfail);
    for (unsigned k = 0; k < 4; k++) {
        char what[40];
        check_count(rep, e, name, step_keys[k], e->calls[k], d->calls[k]);
        snprintf(what, sizeof(what), "guest_%s", step_keys[k]);
        check_count(rep, e, name, what, e->guest_calls[k], d->guest_calls[k]);
    }
    if (e->ue_status >= 0 && (unsigned long long)e->ue_status != d->ue_status)
        expect_fail(rep, e->loc, "pcie %s: ue_status %#x, expected %#llx", name, d->ue_status,
                    (unsigned long long)e->ue_status);
    if (e->ce_status >= 0 && (unsigned long long)e->ce_status != d->ce_status)
        expect_fail(rep, e->loc, "pcie %s: ce_status %#x, expected %#llx", name, d->ce_status,
                    (unsigned long long)e->ce_status);
}

void expect_check_pcie(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    for (unsigned i = 0; i < s->expect.npcie; i++)
        check_one(s, r, &s->expect.pcie[i], rep);
}
