/*
 * qemu_commands.c - a case's inject events as QEMU `mce` commands
 * (qemu_commands.h; the same rules as oracle/scenario.py's _command).
 * Events sharing a time are grouped after a sort by (time, file order).
 */
#include "sim/results/qemu_commands.h"

#include <stdio.h>
#include <stdlib.h>

#include "arch/x86_mca.h"

#define BYSTANDER_STATUS (MCI_STATUS_VAL | MCI_STATUS_UC)
#define BYSTANDER_MCG 0x5u

static bool is_bystander(const struct scn_inject *in)
{
    return in->bank == 1 && in->status == BYSTANDER_STATUS && in->has_mcg_status &&
           in->mcg_status == BYSTANDER_MCG && in->addr == 0 && in->misc == 0 && in->signal == SCN_SIGNAL_NONE;
}

/* The command of the events ev[0..n) (one time), or a line saying why
 * there is none. */
static void one_time(const struct scenario *s, const struct scn_event *const *ev, unsigned n,
                     struct ts_lines *out)
{
    const struct scn_inject *target = NULL;
    unsigned ntargets = 0, nbystanders = 0;
    for (unsigned i = 0; i < n; i++) {
        if (ev[i]->kind != SCN_EV_INJECT) {
            ts_lines_addf(out, "(events at %llu ps: not only inject events: no QEMU command)",
                          (unsigned long long)ev[i]->at_ps);
            return;
        }
        if (is_bystander(&ev[i]->u.inject))
            nbystanders++;
        else
            target = &ev[i]->u.inject, ntargets++;
    }
    unsigned ncpus = s->nhosts ? s->hosts[0].ncpus : 0;
    if (ntargets != 1 || (nbystanders && nbystanders + 1 != ncpus)) {
        ts_lines_addf(out, "(events at %llu ps: %u targets and %u bystanders: not one QEMU mce command)",
                      (unsigned long long)ev[0]->at_ps, ntargets, nbystanders);
        return;
    }
    ts_lines_addf(out, "mce %s%u %u 0x%llx 0x%llx 0x%llx 0x%llx", nbystanders ? "-b " : "", target->cpu,
                  target->bank, (unsigned long long)target->status,
                  (unsigned long long)(target->has_mcg_status ? target->mcg_status : 0),
                  (unsigned long long)target->addr, (unsigned long long)target->misc);
}

/* Time order, file order within one time (as the simulator applies them). */
static int by_time(const void *a, const void *b)
{
    const struct scn_event *x = *(const struct scn_event *const *)a, *y = *(const struct scn_event *const *)b;
    if (x->at_ps != y->at_ps)
        return x->at_ps < y->at_ps ? -1 : 1;
    return x < y ? -1 : x > y;
}

const struct scn_event **case_events_in_order(const struct scenario *s)
{
    const struct scn_event **ev = calloc(s->nevents ? s->nevents : 1, sizeof(*ev));
    if (!ev)
        abort();
    for (unsigned i = 0; i < s->nevents; i++)
        ev[i] = &s->events[i];
    qsort(ev, s->nevents, sizeof(*ev), by_time);
    return ev;
}

unsigned qemu_commands(const struct scenario *s, struct ts_lines *out)
{
    const struct scn_event **ev = case_events_in_order(s);
    unsigned n = 0;
    for (unsigned i = 0; i < s->nevents;) {
        unsigned j = i + 1;
        while (j < s->nevents && ev[j]->at_ps == ev[i]->at_ps)
            j++;
        one_time(s, ev + i, j - i, out);
        n++;
        i = j;
    }
    free(ev);
    if (!n)
        ts_lines_add(out, "(none sent)");
    return n;
}

uint64_t qemu_first_inject_ps(const struct scenario *s)
{
    uint64_t first = SCN_TIME_FOREVER;
    for (unsigned i = 0; i < s->nevents; i++)
        if (s->events[i].kind == SCN_EV_INJECT && s->events[i].at_ps < first)
            first = s->events[i].at_ps;
    return first;
}
