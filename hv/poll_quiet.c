/*
 * poll_quiet.c - a poll timer's empty rounds, counted instead of run
 * (the scenario key skip_quiet, docs/PERFORMANCE.md "Quiet time").
 *
 * Xen's poller (mce_nonfatal.c: mce_work_fn's round on CPU 0 and, by
 * on_each_cpu, on every online CPU) and the Linux-style one (cmci_poll.c:
 * machine_check_poll per CPU) run forever, finding nothing almost always:
 * a host-year at Xen's 16 s is two million rounds. Once two rounds in a
 * row found nothing at the poller's longest interval, the next ones are
 * the same round again while nothing else happens: the same banks read
 * empty, the same cost, the same interval (a clean round doubles it and
 * clamps it to the maximum). The pollers report each round's start,
 * checks and end here (hv_pq_*), and the simulator, the only part that
 * knows when anything else happens next, asks whether the rounds are
 * steady and has k of them counted instead of run (hv_poll_skip).
 *
 * "Steady" also asks that the last two rounds lasted the same, so the
 * period (the interval plus the round's own cost: 16 s + 1.133 us on a
 * 4-CPU host; each round arms the next one its interval after its end)
 * is the one every later round keeps while its timer finds the CPU idle.
 * (Not the distance of the last two starts: that also holds the delay of
 * a last round whose timer fired while the CPU was in a handler.)
 */
#include <stdio.h>

#include "cmci_storm.h"
#include "mce_internal.h"

static uint64_t now(const struct hv *hv)
{
    return hv->plat->now_ps(hv->plat->ctx);
}

void hv_pq_note_empty(struct hv_poll_rounds *r, uint64_t len, uint64_t n)
{
    if (!n)
        return;
    if (!r->empty_len || len < r->empty_len) {
        r->empty_len = len;
        r->empty_alike = n >= 2 ? 2 : 1;
    } else if (len == r->empty_len) {
        r->empty_alike = r->empty_alike + n >= 2 ? 2 : 1;
    }
}

static void pq_begin_at(struct hv_poll_rounds *r, uint64_t t, bool at_max)
{
    r->len2 = r->end_ps[1] - r->start_ps[1]; /* the round [1] was: a third back once this one ends */
    r->start_ps[1] = r->start_ps[0];
    r->start_ps[0] = t;
    r->running = true;
    r->at_max = at_max;
    r->found = false;
    r->round_checks = 0;
    r->begun++;
}

static void pq_end_at(struct hv_poll_rounds *r, uint64_t t, bool at_max)
{
    if (!r->running)
        return;
    r->end_ps[1] = r->end_ps[0];
    r->end_ps[0] = t;
    r->running = false;
    r->checks = r->round_checks;
    r->quiet = !r->found && r->at_max && at_max ? r->quiet + 1 : 0;
    r->empty = !r->found ? r->empty + 1 : 0;
    if (!r->found)
        hv_pq_note_empty(r, r->end_ps[0] - r->start_ps[0], 1);
}

void hv_pq_begin(struct hv *hv, unsigned cpu, bool at_max)
{
    pq_begin_at(&hv->cpu[cpu].rounds, now(hv), at_max);
}

void hv_pq_check(struct hv *hv, unsigned cpu, bool found)
{
    struct hv_poll_rounds *r = &hv->cpu[cpu].rounds;
    r->round_checks++;
    r->found |= found;
}

void hv_pq_found(struct hv *hv, unsigned cpu)
{
    hv->cpu[cpu].rounds.found = true;
}

void hv_pq_end(struct hv *hv, unsigned cpu, bool at_max)
{
    pq_end_at(&hv->cpu[cpu].rounds, now(hv), at_max);
}

void hv_pq_round(struct hv_poll_rounds *r, uint64_t start_ps, uint64_t end_ps, bool found)
{
    pq_begin_at(r, start_ps, false);
    r->round_checks++;
    r->found = found;
    pq_end_at(r, end_ps, false);
}

bool hv_pq_alike(const struct hv *hv, unsigned cpu, uint64_t *period_ps, uint64_t *busy_ps)
{
    if (hv->stopped || cpu >= hv->cfg.ncpus)
        return false;
    const struct hv_poll_rounds *r = &hv->cpu[cpu].rounds;
    /* each round arms the next one its interval after its end: a round
     * whose timer finds the CPU idle begins interval + length after the
     * one before. (The last two starts' distance also holds any delay the
     * last round had: a CPU still in a handler when its timer fired.) */
    const uint64_t busy = r->end_ps[0] - r->start_ps[0], interval = hv->cpu[cpu].poll_interval_ps;
    if (r->running || !interval || r->end_ps[1] - r->start_ps[1] != busy)
        return false; /* the last two rounds differ: not steady yet */
    *period_ps = interval + busy;
    *busy_ps = busy;
    return true;
}

/*
 * A quiet round whose CPUs were busy in a handler when its checks came
 * (Xen's on_each_cpu reaching a CPU amid a CMCI round's entries) ends
 * later than the rounds it repeats. Of the last three rounds, all quiet
 * at the maximum interval, two alike and the third longer (the last or
 * the one before): the two say how long a round takes on idle CPUs, and
 * the next rounds repeat them, not the late one (it only moved the timer
 * it armed, its interval after its end). Rounds never run shorter for a
 * handler, so a shorter odd one is no delay. (Fleet host 7542 under xen:
 * a miscorrecting fault's CMCI every 80 us while a pass crosses it; a
 * 16 s poll amid one was delayed up to 2.5 us, and the two polls after
 * it were not steady: three folds a collision instead of one.)
 */
bool hv_poll_steady(const struct hv *hv, unsigned cpu, uint64_t *period_ps, uint64_t *busy_ps,
                    uint64_t *end_ps)
{
    if (hv->stopped || cpu >= hv->cfg.ncpus)
        return false;
    const struct hv_poll_rounds *r = &hv->cpu[cpu].rounds;
    if (hv_pq_alike(hv, cpu, period_ps, busy_ps)) {
        if (r->quiet < 2)
            return false;
    } else {
        const uint64_t l0 = r->end_ps[0] - r->start_ps[0], l1 = r->end_ps[1] - r->start_ps[1], l2 = r->len2;
        const uint64_t interval = hv->cpu[cpu].poll_interval_ps;
        uint64_t idle;
        if (r->running || !interval || r->quiet < 3)
            return false;
        if (l1 == l2 && l0 > l1)
            idle = l1; /* the last round was delayed */
        else if (l0 == l2 && l1 > l0)
            idle = l0; /* the one before */
        else
            return false;
        *period_ps = interval + idle;
        *busy_ps = idle;
    }
    *end_ps = r->end_ps[0];
    return true;
}

/* k more quiet rounds, each period_ps (the interval and a round's length
 * on idle CPUs, hv_poll_steady) after the one before; the first its
 * interval after the last round's end, however long that one took. */
void hv_poll_count(struct hv *hv, unsigned cpu, uint64_t k, uint64_t period_ps)
{
    struct hv_poll_rounds *r = &hv->cpu[cpu].rounds;
    hv->stats.polls += k * r->checks;
    const uint64_t last = r->end_ps[0] - r->start_ps[0], before = r->end_ps[1] - r->start_ps[1];
    const uint64_t interval = hv->cpu[cpu].poll_interval_ps, len = period_ps - interval;
    if (!k)
        return;
    hv_pq_note_empty(r, len, k); /* (each found nothing) */
    if (last == before) { /* the last two alike: the rounds after are theirs */
        for (unsigned i = 0; i < 2; i++) {
            r->start_ps[i] += k * period_ps;
            r->end_ps[i] += k * period_ps;
        }
        r->len2 = before;
        return;
    }
    /* the last round or the one before was delayed (hv_poll_steady):
     * the rounds after them are not its length */
    const uint64_t first = r->end_ps[0] + interval;
    if (k == 1) {
        r->len2 = before;
        r->start_ps[1] = r->start_ps[0];
        r->end_ps[1] = r->end_ps[0];
    } else {
        r->len2 = k == 2 ? last : len;
        r->start_ps[1] = first + (k - 2) * period_ps;
        r->end_ps[1] = r->start_ps[1] + len;
    }
    r->start_ps[0] = first + (k - 1) * period_ps;
    r->end_ps[0] = r->start_ps[0] + len;
}

void hv_poll_skip(struct hv *hv, unsigned cpu, uint64_t k, uint64_t period_ps)
{
    struct hv_poll_rounds *r = &hv->cpu[cpu].rounds;
    char iv[24], span[24], detail[128];
    if (!k)
        return;
    hv_poll_count(hv, cpu, k, period_ps);
    hv_fmt_interval(iv, sizeof(iv), period_ps);
    hv_fmt_interval(span, sizeof(span), k * period_ps);
    snprintf(detail, sizeof(detail), "%llu rounds of %s skipped (%llu checks): %s",
             (unsigned long long)k, iv, (unsigned long long)(k * r->checks), span);
    hv_trace(hv, HV_STAGE_POLL_SKIP, cpu, -1, 0, 0, detail);
}
