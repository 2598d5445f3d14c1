/*
 * expect_probes.c - check what probe events got (expect.msrs,
 * expect.calls) and the state of named host pages (expect.pages).
 *
 * msrs and calls are exact lists: the run must have answered as many
 * probe events of the kind as there are items, and item i is matched
 * against the i-th answer, in event order. Only the keys an item gives
 * are compared. A probe the run ended before answering fails.
 */
#include "sim/results/expect.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hv/public/hv_report.h"

static unsigned count_kind(const struct run_result *r, bool msr)
{
    unsigned n = 0;
    for (unsigned i = 0; i < r->n_probes; i++)
        n += (r->probes[i].kind == SCN_EV_MSR) == msr;
    return n;
}

/* The k-th probe answer that is (or is not) an MSR access. */
static const struct rr_probe *nth(const struct run_result *r, bool msr, unsigned k)
{
    for (unsigned i = 0; i < r->n_probes; i++)
        if ((r->probes[i].kind == SCN_EV_MSR) == msr && k-- == 0)
            return &r->probes[i];
    return NULL;
}

/* An exact list: as many answers of the kind as items. */
static void check_count(struct expect_report *rep, unsigned got, unsigned n, const struct scn_loc *first,
                        const char *what)
{
    rep->checked++;
    if (got != n)
        expect_fail(rep, n ? *first : (struct scn_loc){0, 0}, "%u %s, expected %u", got, what, n);
}

static void describe(const struct rr_probe *p, char *buf, size_t len)
{
    if (p->domain >= 0)
        snprintf(buf, len, "dom%d vcpu%u %s %#x", p->domain, p->cpu, p->write ? "wrmsr" : "rdmsr", p->msr);
    else
        snprintf(buf, len, "host %u cpu%u %s %#x", p->host, p->cpu, p->write ? "wrmsr" : "rdmsr", p->msr);
}

static void check_msr(const struct scn_expect_msr *e, const struct rr_probe *p, unsigned i,
                      struct expect_report *rep)
{
    char who[64];
    describe(p, who, sizeof(who));
    if (!p->done)
        expect_fail(rep, e->loc, "msr result %u (%s): not answered before the run ended", i + 1, who);
    else if ((e->host >= 0 && (unsigned)e->host != p->host) || (e->domain >= 0 && e->domain != p->domain) ||
             (e->cpu >= 0 && (unsigned)e->cpu != p->cpu) || (e->has_msr && e->msr != p->msr) ||
             (e->write >= 0 && e->write != (int)p->write))
        expect_fail(rep, e->loc, "msr result %u is %s, not the access expected", i + 1, who);
    else if (e->gp >= 0 && e->gp != (int)p->gp)
        expect_fail(rep, e->loc, "msr result %u (%s): %s, expected %s", i + 1, who, p->gp ? "#GP" : "no fault",
                    e->gp ? "#GP" : "no fault");
    else if (e->has_value && (p->gp || p->write))
        expect_fail(rep, e->loc, "msr result %u (%s): %s, expected a read of %#llx", i + 1, who,
                    p->gp ? "#GP" : "a write", (unsigned long long)e->value);
    else if (e->has_value && (p->value & e->mask) != e->value)
        expect_fail(rep, e->loc, "msr result %u (%s): read %#llx (masked %#llx), expected %#llx", i + 1, who,
                    (unsigned long long)p->value, (unsigned long long)(p->value & e->mask),
                    (unsigned long long)e->value);
}

static void check_msrs(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    const struct scn_expect *x = &s->expect;
    if (!x->has_msrs)
        return;
    unsigned got = count_kind(r, true);
    check_count(rep, got, x->nmsrs, x->nmsrs ? &x->msrs[0].loc : NULL, "MSR probe answer(s)");
    for (unsigned i = 0; i < x->nmsrs && i < got; i++)
        check_msr(&x->msrs[i], nth(r, true, i), i, rep);
}

static const char *call_name(enum scn_event_kind k)
{
    static const char *const names[SCN_EV__COUNT] = {
        [SCN_EV_HYPERCALL] = "hypercall",     [SCN_EV_BALLOON] = "balloon",        [SCN_EV_DESTROY] = "destroy",
        [SCN_EV_HV_ACCESS] = "hv_access",     [SCN_EV_CPU_OFFLINE] = "cpu_offline", [SCN_EV_CPU_ONLINE] = "cpu_online",
    };
    return k < SCN_EV__COUNT && names[k] ? names[k] : "call";
}

static void check_calls(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    const struct scn_expect *x = &s->expect;
    if (!x->has_calls)
        return;
    unsigned got = count_kind(r, false);
    check_count(rep, got, x->ncalls, x->ncalls ? &x->calls[0].loc : NULL, "call answer(s)");
    for (unsigned i = 0; i < x->ncalls && i < got; i++) {
        const struct scn_expect_call *e = &x->calls[i];
        const struct rr_probe *p = nth(r, false, i);
        if (!p->done)
            expect_fail(rep, e->loc, "call %u (%s): not answered before the run ended", i + 1, call_name(p->kind));
        else if (e->kind >= 0 && (enum scn_event_kind)e->kind != p->kind)
            expect_fail(rep, e->loc, "call %u is a %s, expected a %s", i + 1, call_name(p->kind),
                        call_name((enum scn_event_kind)e->kind));
        else if (e->has_rc && e->rc != p->rc)
            expect_fail(rep, e->loc, "call %u (%s): returned %lld, expected %lld", i + 1, call_name(p->kind), p->rc,
                        e->rc);
        else if (e->has_status && (p->status & e->mask) != e->status)
            expect_fail(rep, e->loc, "call %u (%s): status %#llx (masked %#llx), expected %#llx", i + 1,
                        call_name(p->kind), (unsigned long long)p->status, (unsigned long long)(p->status & e->mask),
                        (unsigned long long)e->status);
        else if (e->has_vendor && p->value != e->vendor)
            expect_fail(rep, e->loc, "call %u (%s): mc_vendor %llu, expected %llu", i + 1, call_name(p->kind),
                        (unsigned long long)p->value, (unsigned long long)e->vendor);
    }
}

static void check_pages(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    for (unsigned i = 0; i < s->expect.npages; i++) {
        const struct scn_expect_page *e = &s->expect.pages[i];
        const struct rr_host *h = &r->hosts[e->host];
        const struct page_entry *pg = NULL;
        rep->checked++;
        for (unsigned k = 0; h->pages && k < h->npages && !pg; k++)
            if (h->pages[k].mfn == e->mfn)
                pg = &h->pages[k];
        enum page_state st = pg ? pg->state : PAGE_NORMAL;
        bool broken = pg && pg->broken;
        if (e->state >= 0 && (enum page_state)e->state != st)
            expect_fail(rep, e->loc, "page %#llx of host %s: %s, expected %s", (unsigned long long)e->mfn, h->name,
                        page_state_name(st), page_state_name((enum page_state)e->state));
        if (e->broken >= 0 && e->broken != (int)broken)
            expect_fail(rep, e->loc, "page %#llx of host %s: %sbroken, expected %sbroken",
                        (unsigned long long)e->mfn, h->name, broken ? "" : "not ", e->broken ? "" : "not ");
    }
}

void expect_check_probes(const struct scenario *s, const struct run_result *r, struct expect_report *rep)
{
    check_msrs(s, r, rep);
    check_calls(s, r, rep);
    check_pages(s, r, rep);
}
