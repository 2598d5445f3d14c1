/*
 * timeline.c - occurrences of events, made lazily in the order a run
 * applies them (timeline.h): a min-heap of (time, event index) with one
 * slot per event that still has occurrences at or before `until`.
 */
#include "sim/scenario/timeline.h"

#include <errno.h>
#include <stdlib.h>

#include "arch/ps_rebase.h"

#include "sim/scenario/scenario_values.h"

struct tl_slot {
    uint64_t at_ps;
    unsigned index, k;
};

static unsigned repeats(const struct scn_event *e) { return e->repeat ? e->repeat : 1; }

uint64_t scn_event_time(const struct scn_event *e, unsigned k) { return e->at_ps + (uint64_t)k * e->every_ps; }

/* Earlier first; at equal times the event earlier in the file. */
static bool before(const struct tl_slot *a, const struct tl_slot *b)
{
    return a->at_ps != b->at_ps ? a->at_ps < b->at_ps : a->index < b->index;
}

static void swap(struct tl_slot *a, struct tl_slot *b)
{
    struct tl_slot x = *a;
    *a = *b;
    *b = x;
}

static void sift_up(struct tl_slot *h, unsigned i)
{
    while (i && before(&h[i], &h[(i - 1) / 2])) {
        swap(&h[i], &h[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
}

static void sift_down(struct tl_slot *h, unsigned n, unsigned i)
{
    for (;;) {
        unsigned l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && before(&h[l], &h[m]))
            m = l;
        if (r < n && before(&h[r], &h[m]))
            m = r;
        if (m == i)
            return;
        swap(&h[i], &h[m]);
        i = m;
    }
}

int scn_timeline_init(struct scn_timeline *t, const struct scenario *s, uint64_t until_ps)
{
    *t = (struct scn_timeline){.s = s, .until_ps = until_ps};
    if (!s->nevents)
        return 0;
    t->heap = malloc((size_t)s->nevents * sizeof(*t->heap));
    if (!t->heap)
        return -1;
    for (unsigned i = 0; i < s->nevents; i++)
        if (s->events[i].at_ps <= until_ps) {
            t->heap[t->n] = (struct tl_slot){s->events[i].at_ps, i, 0};
            sift_up(t->heap, t->n++);
        }
    return 0;
}

bool scn_timeline_next(struct scn_timeline *t, struct scn_occurrence *o)
{
    if (!t->n)
        return false;
    struct tl_slot *top = &t->heap[0];
    const struct scn_event *e = &t->s->events[top->index];
    *o = (struct scn_occurrence){e, top->index, top->k, top->at_ps};
    if (top->k + 1 < repeats(e) && scn_event_time(e, top->k + 1) - t->shift_ps <= t->until_ps) {
        top->k++;
        top->at_ps = scn_event_time(e, top->k) - t->shift_ps;
    } else {
        *top = t->heap[--t->n];
    }
    sift_down(t->heap, t->n, 0);
    return true;
}

int scn_timeline_rebase(struct scn_timeline *t, uint64_t d_ps, uint64_t now_ps)
{
    if (d_ps > PS_REBASE_D_MAX)
        return -ERANGE;
    for (unsigned i = 0; i < t->n; i++)
        if (t->heap[i].at_ps < now_ps + d_ps)
            return -EBUSY; /* due within the time skipped */
    for (unsigned i = 0; i < t->n; i++)
        t->heap[i].at_ps -= d_ps; /* every slot alike: the heap order holds */
    /* once nothing is pending no occurrence is made again: the shift
     * stops growing (it stays below the last event's time) */
    if (t->n)
        t->shift_ps += d_ps;
    if (t->until_ps != UINT64_MAX)
        t->until_ps = t->until_ps > d_ps ? t->until_ps - d_ps : 0;
    return 0;
}

void scn_timeline_free(struct scn_timeline *t)
{
    free(t->heap);
    *t = (struct scn_timeline){0};
}

unsigned scn_event_occurrences(const struct scn_event *e, uint64_t until_ps)
{
    if (e->at_ps > until_ps)
        return 0;
    uint64_t fit = e->every_ps ? (until_ps - e->at_ps) / e->every_ps + 1 : 1;
    return fit < repeats(e) ? (unsigned)fit : repeats(e);
}

unsigned long long scn_occurrences(const struct scenario *s, uint64_t until_ps)
{
    unsigned long long n = 0;
    for (unsigned i = 0; i < s->nevents; i++)
        n += scn_event_occurrences(&s->events[i], until_ps);
    return n;
}

bool scn_event_fits(const struct scn_event *e, uint64_t at_ps)
{
    uint64_t gaps = repeats(e) - 1;
    return at_ps <= SCV_TIME_MAX_PS && (!gaps || e->every_ps <= (SCV_TIME_MAX_PS - at_ps) / gaps);
}
