/*
 * test_wake_set.c - unit tests of the planned wake on a few timers
 * (models/memctl/wake_set.h): the earliest armed slot is always the plan,
 * a plan a slot holds arms nothing, slots that would fire early are
 * cancelled, and a full set gives up its latest slot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "models/memctl/wake_set.h"

/* The earliest armed time, WAKE_NEVER if none. */
static uint64_t earliest(const struct wake_set *w)
{
    uint64_t m = WAKE_NEVER;
    for (unsigned i = 0; i < WAKE_SET_SLOTS; i++)
        if (w->at[i] < m)
            m = w->at[i];
    return m;
}

static unsigned armed(const struct wake_set *w)
{
    unsigned n = 0;
    for (unsigned i = 0; i < WAKE_SET_SLOTS; i++)
        n += w->at[i] != WAKE_NEVER;
    return n;
}

static void test_first_plan_arms_one(void **state)
{
    (void)state;
    struct wake_set w;
    wake_set_init(&w);
    assert_int_equal(armed(&w), 0);
    struct wake_change c = wake_set_plan(&w, 500);
    assert_int_equal(c.cancel_mask, 0);
    assert_true(c.arm >= 0 && c.arm < (int)WAKE_SET_SLOTS);
    assert_true(w.at[c.arm] == 500);
    assert_int_equal(armed(&w), 1);
}

/* The scrubber's pattern: far, far, near, nearer-after-firing, far again.
 * The far slot stays armed through the near ones and is found again. */
static void test_return_to_held_time_arms_nothing(void **state)
{
    (void)state;
    struct wake_set w;
    wake_set_init(&w);
    const uint64_t far = 24000000;
    struct wake_change c = wake_set_plan(&w, far);
    int far_slot = c.arm;
    c = wake_set_plan(&w, far); /* re-planned after an early wake: same time */
    assert_int_equal(c.arm, -1);
    assert_int_equal(c.cancel_mask, 0);
    c = wake_set_plan(&w, 100); /* a nearer plan: another slot, far kept */
    assert_true(c.arm >= 0 && c.arm != far_slot);
    assert_int_equal(c.cancel_mask, 0);
    assert_true(earliest(&w) == 100);
    wake_set_fired(&w, 100); /* it fired */
    assert_int_equal(armed(&w), 1);
    c = wake_set_plan(&w, 200);
    assert_true(c.arm >= 0);
    assert_int_equal(c.cancel_mask, 0);
    wake_set_fired(&w, 200);
    c = wake_set_plan(&w, far); /* back to the far plan: still armed */
    assert_int_equal(c.arm, -1);
    assert_int_equal(c.cancel_mask, 0);
    assert_true(w.at[far_slot] == far);
}

/* A plan later than an armed slot cancels it: the thread must not wake
 * before its plan. */
static void test_later_plan_cancels_earlier_slots(void **state)
{
    (void)state;
    struct wake_set w;
    wake_set_init(&w);
    int a = wake_set_plan(&w, 100).arm;
    int b = wake_set_plan(&w, 50).arm;
    struct wake_change c = wake_set_plan(&w, 300);
    assert_int_equal(c.cancel_mask, (1u << a) | (1u << b));
    assert_true(c.arm >= 0);
    assert_true(earliest(&w) == 300);
    assert_int_equal(armed(&w), 1);
}

static void test_never_cancels_everything_armed_before_it(void **state)
{
    (void)state;
    struct wake_set w;
    wake_set_init(&w);
    int a = wake_set_plan(&w, 100).arm;
    struct wake_change c = wake_set_plan(&w, WAKE_NEVER);
    assert_int_equal(c.arm, -1);
    assert_int_equal(c.cancel_mask, 1u << a);
    assert_int_equal(armed(&w), 0);
}

/* Every slot armed later than a new, earlier plan: the latest gives way. */
static void test_full_set_gives_up_latest(void **state)
{
    (void)state;
    struct wake_set w;
    wake_set_init(&w);
    int latest = -1;
    for (unsigned i = 0; i < WAKE_SET_SLOTS; i++) {
        uint64_t t = 1000 - 100 * i; /* each earlier than the last */
        struct wake_change c = wake_set_plan(&w, t);
        assert_int_equal(c.cancel_mask, 0);
        if (i == 0)
            latest = c.arm;
    }
    assert_int_equal(armed(&w), WAKE_SET_SLOTS);
    struct wake_change c = wake_set_plan(&w, 10);
    assert_int_equal(c.arm, latest);
    assert_int_equal(c.cancel_mask, 1u << latest);
    assert_true(w.at[latest] == 10);
    assert_true(earliest(&w) == 10);
    assert_int_equal(armed(&w), WAKE_SET_SLOTS);
}

static void test_fired_and_clear(void **state)
{
    (void)state;
    struct wake_set w;
    wake_set_init(&w);
    int a = wake_set_plan(&w, 300).arm;
    int b = wake_set_plan(&w, 200).arm;
    wake_set_fired(&w, 199);
    assert_int_equal(armed(&w), 2);
    wake_set_fired(&w, 200); /* at its time: fired */
    assert_true(w.at[b] == WAKE_NEVER);
    assert_int_equal(wake_set_clear(&w), 1u << a);
    assert_int_equal(armed(&w), 0);
    assert_int_equal(wake_set_clear(&w), 0);
}

/* The plan, the armed mask and a rebase's shift: the earliest armed time
 * is the one planned last, the mask names the armed slots, a shift moves
 * only those and keeps their order. */
static void test_next_armed_shift(void **state)
{
    (void)state;
    struct wake_set w;
    wake_set_init(&w);
    assert_true(wake_set_next(&w) == WAKE_NEVER);
    assert_int_equal(wake_set_armed(&w), 0);
    int a = wake_set_plan(&w, 900).arm;
    int b = wake_set_plan(&w, 500).arm;
    assert_true(wake_set_next(&w) == 500 && wake_set_next(&w) == earliest(&w));
    assert_int_equal(wake_set_armed(&w), (1u << a) | (1u << b));
    assert_int_equal(wake_set_shift(&w, 400), (1u << a) | (1u << b));
    assert_true(w.at[a] == 500 && w.at[b] == 100 && wake_set_next(&w) == 100);
    for (unsigned i = 0; i < WAKE_SET_SLOTS; i++)
        if (i != (unsigned)a && i != (unsigned)b)
            assert_true(w.at[i] == WAKE_NEVER); /* free slots stay free */
    wake_set_plan(&w, WAKE_NEVER);
    assert_true(wake_set_next(&w) == WAKE_NEVER);
    assert_int_equal(wake_set_shift(&w, 7), 0);
}

/* Invariant over a long pseudo-random run: after every plan, the earliest
 * armed slot is the plan (or nothing is armed for WAKE_NEVER), and no two
 * slots hold one time. */
static void test_invariant_random(void **state)
{
    (void)state;
    struct wake_set w;
    wake_set_init(&w);
    uint64_t now = 0, x = 12345;
    for (unsigned i = 0; i < 100000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(x >> 33);
        uint64_t plan = r % 7 == 0 ? WAKE_NEVER : now + 1 + (r % 5 == 0 ? 1000000 : r % 300);
        wake_set_plan(&w, plan);
        assert_true(earliest(&w) == plan);
        for (unsigned a = 0; a < WAKE_SET_SLOTS; a++)
            for (unsigned b = a + 1; b < WAKE_SET_SLOTS; b++)
                assert_true(w.at[a] == WAKE_NEVER || w.at[a] != w.at[b]);
        /* time moves to the plan, or part of the way (an early wake) */
        uint64_t to = plan == WAKE_NEVER ? now + 50 : (r & 1) ? plan : now + (plan - now) / 2;
        now = to;
        wake_set_fired(&w, now);
        for (unsigned a = 0; a < WAKE_SET_SLOTS; a++)
            assert_true(w.at[a] > now);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_plan_arms_one),
        cmocka_unit_test(test_return_to_held_time_arms_nothing),
        cmocka_unit_test(test_later_plan_cancels_earlier_slots),
        cmocka_unit_test(test_never_cancels_everything_armed_before_it),
        cmocka_unit_test(test_full_set_gives_up_latest),
        cmocka_unit_test(test_fired_and_clear),
        cmocka_unit_test(test_next_armed_shift),
        cmocka_unit_test(test_invariant_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
