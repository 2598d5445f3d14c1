/*
 * test_ff.c - firmware-first CMC/CPE reporting in the hv (hv/ff.c) against
 * the mock platform with the real firmware log (models/fw/fw_sal.c), and
 * the storm rule (hv/ff_throttle.c) at its edges.
 *
 * dom0's SAL calls are made the way dom0 makes them: a struct sal_call in
 * its memory, hv_do_sal with its guest address.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "hv/hv.h"
#include "models/fw/fw_ghes.h"
#include "models/fw/fw_sal.h"
#include "mock_platform.h"

#define MS 1000000000ull
#define S 1000000000000ull

struct fx {
    struct mock m;      /* first: the mock's callbacks cast ctx to it */
    struct hv hv;
    struct fw_sal fw;
    struct fw_ghes ghes;
    bool renotify;      /* the GHES firmware wrote a held error on the ack */
    unsigned virq[FW_TYPE__COUNT]; /* virtual interrupts injected into dom0, by type */
    unsigned last_virq;
    uint64_t poll_at[FW_TYPE__COUNT];
    unsigned poll_arms[FW_TYPE__COUNT];
};

static long f_ghes_call(struct fx *f, enum fw_op op, struct fw_error_record *rec)
{
    struct ghes_status_block b;
    int rc;
    switch (op) {
    case FW_OP_SIZE: return (long)sizeof(b);
    case FW_OP_COUNT: return fw_ghes_valid(&f->ghes);
    case FW_OP_GET:
        if ((rc = fw_ghes_read(&f->ghes, &b)) != 0)
            return rc;
        *rec = (struct fw_error_record){b.id, FW_TYPE_GHES, 0, b.t_ps, b.mem.physical_addr,
                                        (b.mem.validation & CPER_MEM_VALID_PA) ? FW_REC_ADDRV : 0,
                                        b.error_severity, b.block_status, 0};
        return 0;
    case FW_OP_CLEAR:
        rc = fw_ghes_ack(&f->ghes, f->m.now);
        f->renotify = rc == 1;
        return rc < 0 ? rc : 0;
    }
    return -EINVAL;
}

static long f_fw_call(void *ctx, unsigned cpu, enum fw_op op, unsigned type, struct fw_error_record *rec)
{
    struct fx *f = ctx;
    struct fw_sal_record r;
    int rc;
    if (type == FW_TYPE_GHES)
        return f_ghes_call(f, op, rec);
    switch (op) {
    case FW_OP_SIZE: return (long)fw_sal_state_info_size(&f->fw);
    case FW_OP_COUNT: return fw_sal_count(&f->fw, cpu, (enum fw_sal_type)type);
    case FW_OP_GET:
        if ((rc = fw_sal_get(&f->fw, cpu, (enum fw_sal_type)type, &r)) != 0)
            return rc;
        *rec = (struct fw_error_record){r.id, type, r.cpu, r.t_ps, r.addr, r.has_addr ? FW_REC_ADDRV : 0, 0, 0, 0};
        return 0;
    case FW_OP_CLEAR: return fw_sal_clear(&f->fw, cpu, (enum fw_sal_type)type);
    }
    return -EINVAL;
}

static void f_arm_poll(void *ctx, unsigned type, uint64_t at)
{
    struct fx *f = ctx;
    f->poll_at[type] = at;
    f->poll_arms[type]++;
}

static void f_send_virq(void *ctx, unsigned domid, unsigned virq)
{
    struct fx *f = ctx;
    assert_int_equal(domid, 0);
    if (virq >= VIRQ_FW_CMC && virq <= VIRQ_FW_GHES) {
        f->virq[virq - VIRQ_FW_CMC]++;
        f->last_virq = virq;
    }
}

static struct fx *setup(unsigned ncpus, size_t size, size_t rec)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    mock_init(&f->m, ncpus, MCG_CTL_P | MCG_CMCI_P | MCG_TES_P | MCG_SER_P, 10);
    f->m.op_ps = 0; /* only the test moves the clock */
    f->m.plat.fw_call = f_fw_call;
    f->m.plat.ff_arm_poll = f_arm_poll;
    f->m.plat.send_virq = f_send_virq;
    assert_int_equal(fw_sal_init(&f->fw, ncpus, size, rec), 0);
    fw_ghes_init(&f->ghes, false);
    struct hv_config cfg;
    hv_config_defaults(&cfg, ncpus);
    cfg.firmware_first = true;
    cfg.ff_queue = f->fw.cap;
    assert_int_equal(hv_init(&f->hv, &cfg, &f->m.plat), 0);
    f->m.hv = &f->hv;
    return f;
}

static void teardown(struct fx *f)
{
    hv_fini(&f->hv);
    fw_sal_fini(&f->fw);
    test_free(f);
}

/* The firmware logs an error on cpu and interrupts it. */
static void fw_error(struct fx *f, unsigned cpu, unsigned type)
{
    fw_sal_log(&f->fw, cpu, (enum fw_sal_type)type, f->m.now, false, 0);
    hv_ff_signal(&f->hv, cpu, type);
}

static long sal(struct fx *f, unsigned caller, uint32_t fn, unsigned type, struct fw_error_record *rec)
{
    struct sal_call c = {.fn = fn, .type = type};
    memcpy(f->m.gmem, &c, sizeof(c));
    long rc = hv_do_sal(&f->hv, caller, MOCK_GBASE);
    memcpy(&c, f->m.gmem, sizeof(c));
    if (rec)
        *rec = c.rec;
    return rc;
}

static void test_one_cmc_by_ipi(void **state)
{
    (void)state;
    struct fx *f = setup(4, 4096, 1024);
    struct fw_error_record r;
    fw_error(f, 2, FW_TYPE_CMC);
    assert_int_equal(f->virq[FW_TYPE_CMC], 1);
    assert_int_equal(f->hv.ff.rep.queued[FW_TYPE_CMC], 1);
    assert_int_equal(sal(f, 0, SAL_FN_GET_STATE_INFO, FW_TYPE_CPE, &r), -ENOENT); /* a CMC is out */
    assert_int_equal(sal(f, 0, SAL_FN_GET_STATE_INFO, FW_TYPE_CMC, &r), 0);
    assert_int_equal(r.cpu, 2);
    assert_int_equal(r.id, 1);
    assert_int_equal(f->hv.ff.rep.ipis, 1); /* dom0's vCPU0 is on pCPU 0 */
    assert_int_equal(fw_sal_count(&f->fw, 2, FW_SAL_CMC), 1); /* read, not yet cleared */
    assert_int_equal(sal(f, 0, SAL_FN_CLEAR_STATE_INFO, FW_TYPE_CMC, NULL), 0);
    assert_int_equal(f->hv.ff.rep.ipis, 2);
    assert_int_equal(fw_sal_count(&f->fw, 2, FW_SAL_CMC), 0);
    assert_int_equal(f->hv.ff.rep.cleared[FW_TYPE_CMC], 1);
    assert_int_equal(hv_ff_pending(&f->hv), 0);
    assert_int_equal(sal(f, 0, SAL_FN_CLEAR_STATE_INFO, FW_TYPE_CMC, NULL), -ENOENT);
    teardown(f);
}

static void test_own_cpu_needs_no_ipi(void **state)
{
    (void)state;
    struct fx *f = setup(4, 4096, 1024);
    struct fw_error_record r;
    fw_error(f, 0, FW_TYPE_CPE);
    assert_int_equal(f->virq[FW_TYPE_CPE], 1);
    assert_int_equal(sal(f, 0, SAL_FN_GET_STATE_INFO, FW_TYPE_CPE, &r), 0);
    assert_int_equal(sal(f, 0, SAL_FN_CLEAR_STATE_INFO, FW_TYPE_CPE, NULL), 0);
    assert_int_equal(f->hv.ff.rep.ipis, 0);
    teardown(f);
}

static void test_one_at_a_time_oldest_first(void **state)
{
    (void)state;
    struct fx *f = setup(4, 4096, 1024);
    struct fw_error_record r;
    fw_error(f, 3, FW_TYPE_CMC);
    f->m.now += 1000;
    fw_error(f, 1, FW_TYPE_CPE);
    fw_error(f, 1, FW_TYPE_CMC);
    assert_int_equal(f->virq[0] + f->virq[1], 1); /* only the first is out */
    assert_int_equal(sal(f, 0, SAL_FN_GET_STATE_INFO, FW_TYPE_CMC, &r), 0);
    assert_int_equal(r.cpu, 3);
    assert_int_equal(f->virq[0] + f->virq[1], 1); /* read is not enough */
    assert_int_equal(sal(f, 0, SAL_FN_CLEAR_STATE_INFO, FW_TYPE_CMC, NULL), 0);
    assert_int_equal(f->last_virq, VIRQ_FW_CPE);   /* then the next oldest */
    assert_int_equal(sal(f, 0, SAL_FN_GET_STATE_INFO, FW_TYPE_CPE, &r), 0);
    assert_int_equal(r.cpu, 1);
    assert_int_equal(sal(f, 0, SAL_FN_CLEAR_STATE_INFO, FW_TYPE_CPE, NULL), 0);
    assert_int_equal(f->last_virq, VIRQ_FW_CMC);
    assert_int_equal(f->virq[0] + f->virq[1], 3);
    teardown(f);
}

static void test_clear_before_get_refused(void **state)
{
    (void)state;
    struct fx *f = setup(2, 4096, 1024);
    fw_error(f, 1, FW_TYPE_CMC);
    assert_int_equal(sal(f, 0, SAL_FN_CLEAR_STATE_INFO, FW_TYPE_CMC, NULL), -EBUSY);
    assert_int_equal(f->hv.ff.rep.refused, 1);
    assert_int_equal(fw_sal_count(&f->fw, 1, FW_SAL_CMC), 1); /* the firmware still has it */
    assert_int_equal(sal(f, 1, SAL_FN_GET_STATE_INFO, FW_TYPE_CMC, NULL), -EPERM); /* dom0 only */
    assert_int_equal(sal(f, 0, 99, FW_TYPE_CMC, NULL), -EINVAL);
    struct sal_call c = {.fn = SAL_FN_GET_STATE_INFO_SIZE, .type = FW_TYPE_CMC};
    memcpy(f->m.gmem, &c, sizeof(c));
    assert_int_equal(hv_do_sal(&f->hv, 0, MOCK_GBASE), 0);
    memcpy(&c, f->m.gmem, sizeof(c));
    assert_int_equal(c.size, 4096);
    assert_int_equal(hv_do_sal(&f->hv, 0, 0x10), -EFAULT);
    teardown(f);
}

static void test_burst_overflow_counted(void **state)
{
    (void)state;
    struct fx *f = setup(2, 2048, 1024); /* 2 records per CPU and type */
    for (unsigned i = 0; i < 4; i++)
        fw_error(f, 1, FW_TYPE_CMC);
    assert_int_equal(f->fw.stats[FW_SAL_CMC].lost, 2);
    assert_int_equal(f->hv.ff.rep.overflow[FW_TYPE_CMC], 2);
    assert_int_equal(hv_ff_pending(&f->hv), 2);
    assert_true(mock_console_has(&f->m, "firmware-first: CPU1 CMC queue full (2 records): interrupt without room, "
                                        "overflow 2"));
    teardown(f);
}

static void test_throttle_rule_edges(void **state)
{
    (void)state;
    struct ff_throttle t;
    ff_throttle_init(&t, FW_TYPE_CMC, true);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(ff_throttle_interrupt(&t, i * 250 * MS), FF_TAKE);
    /* the fifth within one second of the other four */
    assert_int_equal(ff_throttle_interrupt(&t, 1000 * MS), FF_TO_POLLING);
    assert_true(t.polling);
    assert_int_equal(t.poll_ps, 60 * S);
    assert_int_equal(ff_throttle_poll_done(&t, true), FF_POLL_AGAIN);
    assert_int_equal(t.poll_ps, 60 * S); /* CMC: fixed interval */
    assert_int_equal(ff_throttle_poll_done(&t, false), FF_TO_INTERRUPT);
    assert_false(t.polling);
    assert_int_equal(t.storms, 1);
    assert_int_equal(t.returns, 1);

    /* 1 ps more than a second apart: never a storm */
    ff_throttle_init(&t, FW_TYPE_CMC, true);
    for (unsigned i = 0; i < 20; i++)
        assert_int_equal(ff_throttle_interrupt(&t, i * (S / 4 + 1)), FF_TAKE);

    /* CPE: 2 min, halved after a poll that found records, never below 2 min */
    ff_throttle_init(&t, FW_TYPE_CPE, true);
    for (unsigned i = 0; i < 4; i++)
        ff_throttle_interrupt(&t, i);
    assert_int_equal(ff_throttle_interrupt(&t, 4), FF_TO_POLLING);
    assert_int_equal(t.poll_ps, 120 * S);
    assert_int_equal(ff_throttle_poll_done(&t, true), FF_POLL_AGAIN);
    assert_int_equal(t.poll_ps, 120 * S);

    /* a platform without a CPE interrupt polls from boot, doubling to 15 min */
    ff_throttle_init(&t, FW_TYPE_CPE, false);
    assert_true(t.polling);
    uint64_t want[] = {240 * S, 480 * S, 900 * S, 900 * S};
    for (unsigned i = 0; i < 4; i++) {
        assert_int_equal(ff_throttle_poll_done(&t, false), FF_POLL_AGAIN);
        assert_int_equal(t.poll_ps, want[i]);
    }
    assert_int_equal(ff_throttle_poll_done(&t, true), FF_POLL_AGAIN);
    assert_int_equal(t.poll_ps, 450 * S);
    assert_null(ff_throttle_row(FW_TYPE__COUNT));
}

static void test_storm_polls_and_returns(void **state)
{
    (void)state;
    struct fx *f = setup(2, 8192, 1024);
    struct fw_error_record r;
    for (unsigned i = 0; i < 5; i++) {
        f->m.now = i * 100 * MS;
        fw_error(f, 1, FW_TYPE_CMC);
    }
    assert_int_equal(f->hv.ff.rep.storms[FW_TYPE_CMC], 1);
    assert_int_equal(f->poll_arms[FW_TYPE_CMC], 1);
    assert_int_equal(f->poll_at[FW_TYPE_CMC], 400 * MS + 60 * S);
    assert_true(mock_console_has(&f->m, "firmware-first: CMC storm (5 interrupts within 1000 ms): "
                                        "switching to polling every 60 s"));
    f->m.now = 500 * MS;
    fw_error(f, 0, FW_TYPE_CMC); /* masked: stays in the firmware's log */
    assert_int_equal(f->hv.ff.rep.masked[FW_TYPE_CMC], 1);
    assert_int_equal(hv_ff_pending(&f->hv), 5);
    f->m.now = f->poll_at[FW_TYPE_CMC];
    hv_ff_poll(&f->hv, FW_TYPE_CMC);
    assert_int_equal(f->hv.ff.rep.polled[FW_TYPE_CMC], 1);
    assert_int_equal(hv_ff_pending(&f->hv), 6);
    assert_int_equal(f->poll_arms[FW_TYPE_CMC], 2);
    /* dom0 drains all six */
    for (unsigned i = 0; i < 6; i++) {
        assert_int_equal(sal(f, 0, SAL_FN_GET_STATE_INFO, FW_TYPE_CMC, &r), 0);
        assert_int_equal(sal(f, 0, SAL_FN_CLEAR_STATE_INFO, FW_TYPE_CMC, NULL), 0);
    }
    assert_int_equal(r.cpu, 0); /* the polled one came last */
    f->m.now = f->poll_at[FW_TYPE_CMC];
    hv_ff_poll(&f->hv, FW_TYPE_CMC);
    assert_int_equal(f->hv.ff.rep.returns[FW_TYPE_CMC], 1);
    assert_int_equal(f->poll_arms[FW_TYPE_CMC], 2);
    assert_true(mock_console_has(&f->m, "firmware-first: CMC poll found no records: returning to interrupt-driven "
                                        "handling"));
    fw_error(f, 1, FW_TYPE_CMC);
    assert_int_equal(f->hv.ff.rep.interrupts[FW_TYPE_CMC], 6);
    teardown(f);
}

/* While polling, records of masked interrupts wait in the firmware's log;
 * what does not fit there is lost and counted by the firmware, not by the
 * hv (whose interrupt never came). */
static void test_masked_overflow_counted_by_firmware(void **state)
{
    (void)state;
    struct fx *f = setup(2, 2048, 1024); /* 2 records per CPU and type */
    struct fw_error_record r;
    for (unsigned i = 0; i < 5; i++) { /* five interrupts within 1 s, CPUs 0 and 1 in turn */
        f->m.now = i * 100 * MS;
        fw_error(f, i % 2, FW_TYPE_CMC);
        if (i < 4) { /* dom0 keeps up */
            assert_int_equal(sal(f, 0, SAL_FN_GET_STATE_INFO, FW_TYPE_CMC, &r), 0);
            assert_int_equal(sal(f, 0, SAL_FN_CLEAR_STATE_INFO, FW_TYPE_CMC, NULL), 0);
        }
    }
    assert_true(f->hv.ff.thr[FW_TYPE_CMC].polling);
    for (unsigned i = 0; i < 4; i++)
        fw_error(f, 1, FW_TYPE_CMC); /* masked; CPU 1 had none left, holds 2 */
    assert_int_equal(f->hv.ff.rep.masked[FW_TYPE_CMC], 4);
    assert_int_equal(f->fw.stats[FW_SAL_CMC].lost, 2);
    assert_int_equal(f->hv.ff.rep.overflow[FW_TYPE_CMC], 0);
    f->m.now = f->poll_at[FW_TYPE_CMC];
    hv_ff_poll(&f->hv, FW_TYPE_CMC);
    assert_int_equal(f->hv.ff.rep.polled[FW_TYPE_CMC], 2);
    teardown(f);
}

/* The GHES firmware writes its block and notifies cpu, as the runtime does. */
static void ghes_error(struct fx *f, unsigned cpu, enum cper_sev sev, uint64_t pa)
{
    if (fw_ghes_raise(&f->ghes, sev, true, pa, f->m.now) == FW_GHES_NOTIFY)
        hv_ff_signal(&f->hv, cpu, FW_TYPE_GHES);
}

static enum page_state page(struct fx *f, uint64_t mfn)
{
    const struct page_entry *e = page_states_find(&f->hv.pages, mfn);
    return e ? e->state : PAGE_NORMAL;
}

static void test_ghes_memory_error_then_ack(void **state)
{
    (void)state;
    struct fx *f = setup(2, 4096, 1024);
    struct fw_error_record r;
    ghes_error(f, 1, CPER_SEV_RECOVERABLE, 0x180020);
    /* handled at the notification, as a native SRAO in a free page */
    assert_int_equal(page(f, 0x180), PAGE_OFFLINED);
    assert_int_equal(f->hv.ff.rep.ghes_memerr, 1);
    assert_true(mock_console_has(&f->m, "GHES: memory error at 0x180020 (recoverable): recovered"));
    assert_int_equal(f->virq[FW_TYPE_GHES], 1);
    assert_int_equal(sal(f, 0, SAL_FN_GET_STATE_INFO, FW_TYPE_GHES, &r), 0);
    assert_int_equal(r.block_status, 0x11);
    assert_int_equal(r.severity, 0);
    assert_int_equal(r.addr, 0x180020);
    assert_true(fw_ghes_valid(&f->ghes)); /* not acknowledged before dom0 clears */
    assert_int_equal(sal(f, 0, SAL_FN_CLEAR_STATE_INFO, FW_TYPE_GHES, NULL), 0);
    assert_false(fw_ghes_valid(&f->ghes));
    assert_int_equal(f->hv.ff.rep.ipis, 0); /* the block is any CPU's to read */
    assert_int_equal(hv_ff_pending(&f->hv), 0);
    teardown(f);
}

static void test_ghes_v2_second_error_after_ack(void **state)
{
    (void)state;
    struct fx *f = setup(2, 4096, 1024);
    struct fw_error_record r;
    fw_ghes_init(&f->ghes, true);
    ghes_error(f, 0, CPER_SEV_RECOVERABLE, 0x180020);
    ghes_error(f, 0, CPER_SEV_RECOVERABLE, 0x190040); /* held: no notification */
    assert_int_equal(page(f, 0x190), PAGE_NORMAL);
    assert_int_equal(f->hv.ff.rep.interrupts[FW_TYPE_GHES], 1);
    assert_int_equal(sal(f, 0, SAL_FN_GET_STATE_INFO, FW_TYPE_GHES, &r), 0);
    assert_int_equal(sal(f, 0, SAL_FN_CLEAR_STATE_INFO, FW_TYPE_GHES, NULL), 0);
    assert_true(f->renotify);
    hv_ff_signal(&f->hv, 0, FW_TYPE_GHES);
    assert_int_equal(page(f, 0x190), PAGE_OFFLINED);
    assert_int_equal(f->virq[FW_TYPE_GHES], 2);
    assert_int_equal(sal(f, 0, SAL_FN_GET_STATE_INFO, FW_TYPE_GHES, &r), 0);
    assert_int_equal(r.addr, 0x190040);
    assert_int_equal(sal(f, 0, SAL_FN_CLEAR_STATE_INFO, FW_TYPE_GHES, NULL), 0);
    assert_int_equal(f->ghes.stats.lost, 0);
    teardown(f);
}

static void test_ghes_severities(void **state)
{
    (void)state;
    struct fx *f = setup(2, 4096, 1024);
    struct fw_error_record r;
    ghes_error(f, 0, CPER_SEV_CORRECTED, 0x180020);
    assert_int_equal(f->hv.ff.rep.ghes_corrected, 1);
    assert_int_equal(page(f, 0x180), PAGE_NORMAL); /* logged only */
    assert_int_equal(sal(f, 0, SAL_FN_GET_STATE_INFO, FW_TYPE_GHES, &r), 0);
    assert_int_equal(r.block_status, 0x12);
    assert_int_equal(sal(f, 0, SAL_FN_CLEAR_STATE_INFO, FW_TYPE_GHES, NULL), 0);
    ghes_error(f, 1, CPER_SEV_FATAL, 0x180020);
    assert_int_equal(f->hv.ff.rep.ghes_fatal, 1);
    assert_true(f->m.stopped);
    assert_int_equal(f->m.stop_kind, HV_STOP_PANIC);
    assert_true(mock_console_has(&f->m, "GHES: Fatal hardware error!"));
    teardown(f);
}

/* Moved back by d after four CMC interrupts 250 ms apart, the throttle
 * sees their real ages: a fifth 1 s after the first (real) is a storm, one
 * 1 s + 1 ps after is not; a year of rebases pins them out of any window. */
static void test_throttle_rebase(void **state)
{
    (void)state;
    struct ff_throttle t;
    const uint64_t d = 100 * MS;
    for (unsigned late = 0; late < 2; late++) {
        ff_throttle_init(&t, FW_TYPE_CMC, true);
        for (unsigned i = 0; i < 4; i++)
            assert_int_equal(ff_throttle_interrupt(&t, 5 * S + i * 250 * MS), FF_TAKE);
        ff_throttle_rebase(&t, d, 5 * S + 750 * MS);
        assert_int_equal(ff_throttle_interrupt(&t, 6 * S + late - d), late ? FF_TAKE : FF_TO_POLLING);
    }
    ff_throttle_init(&t, FW_TYPE_CMC, true);
    for (unsigned i = 0; i < 4; i++)
        ff_throttle_interrupt(&t, 5 * S + i * MS);
    for (unsigned i = 0; i < 16; i++)
        ff_throttle_rebase(&t, 1ull << 61, 5 * S + 3 * MS);
    assert_int_equal(ff_throttle_interrupt(&t, 5 * S + 4 * MS), FF_TAKE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_cmc_by_ipi),
        cmocka_unit_test(test_own_cpu_needs_no_ipi),
        cmocka_unit_test(test_one_at_a_time_oldest_first),
        cmocka_unit_test(test_clear_before_get_refused),
        cmocka_unit_test(test_burst_overflow_counted),
        cmocka_unit_test(test_throttle_rule_edges),
        cmocka_unit_test(test_throttle_rebase),
        cmocka_unit_test(test_storm_polls_and_returns),
        cmocka_unit_test(test_masked_overflow_counted_by_firmware),
        cmocka_unit_test(test_ghes_memory_error_then_ack),
        cmocka_unit_test(test_ghes_v2_second_error_after_ack),
        cmocka_unit_test(test_ghes_severities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
