/*
 * test_dom0.c - dom0's mcelog daemon: decoding of MCA error codes into the
 * strings mcelog prints (those the Xen and Linux test suites expect), and
 * the fetch/decode/ack loop against a fake hypervisor that checks the
 * protocol: every fetched record is acked with its own fetch id, urgent
 * records first, and nothing is acked that was not fetched. With CE
 * accounting on, the fake also answers MCA_CMD_OFFLINE_PAGE and the test
 * checks dom0 asks once per page, before the ack, and logs the answer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "guests/dom0/dom0.h"
#include "guests/dom0/mcelog_decode.h"
#include "hv/public/mca_abi.h"

static void decode(uint16_t code, const char *want)
{
    char buf[128];
    mcelog_mcacod_text(code, 3, buf, sizeof(buf));
    assert_string_equal(buf, want);
}

/* Expected strings: Xen's tools/tests/mce-test (removed by 79ca512a1f) and
 * andikleen/mce-test (srar_usr_dcu decode). */
static void mcacod_texts_match_mcelog(void **state)
{
    (void)state;
    decode(0x00CF, "MEMORY CONTROLLER MS_CHANNELunspecified_ERR");
    decode(0x017A, "Generic CACHE Level-2 Eviction Error");
    decode(0x0136, "Data CACHE Level-2 Data-Read Error");
    decode(0x0134, "Data CACHE Level-0 Data-Read Error");
    decode(0x0150, "Instruction CACHE Level-0 Instruction-Fetch Error");
    decode(0x009F, "MEMORY CONTROLLER RD_CHANNELunspecified_ERR");
    decode(0x00C2, "MEMORY CONTROLLER MS_CHANNEL2_ERR");
    decode(0x0000, "No Error");
    decode(0x0005, "Internal parity error");
    decode(0x0400, "Internal Timer error");
    decode(0x0014, "Data TLB Level-0 Error");
    decode(0x10CF, "MEMORY CONTROLLER MS_CHANNELunspecified_ERR"); /* F bit ignored */
}

/* The other kinds, as mcelog v176's p4.c decode_mca words them: the
 * generic cache hierarchy, bus errors (socket and CPU first, then LL, PP,
 * RRRR, II and T; "Responed" is mcelog's spelling), memory as cache,
 * internal errors and codes that fit no layout. */
static void mcacod_texts_of_every_kind(void **state)
{
    (void)state;
    decode(0x000E, "Level-2 Generic cache hierarchy error");
    decode(0x0E0B, "BUS error: 0 3 Level-3 Generic Generic IO Request-did-not-timeout");
    decode(0x0D2A, "BUS error: 0 3 Level-2 Observed-error-as-third-party Write IO Request-timed-out");
    decode(0x0A00, "BUS error: 0 3 Level-0 Responed-to-request Generic Memory-access Request-did-not-timeout");
    decode(0x0290, "Memory as cache: MEMORY CONTROLLER RD_CHANNEL0_ERR");
    decode(0x0401, "Internal unclassified error: 401");
    decode(0x0007, "Unknown Error 7");
    decode(0x0196, "Data CACHE Level-2 UNKNOWN Error"); /* RRRR 9 is not named */
    decode(0x001F, "Unknown TLB Level-3 Error");
}

static void status_flags_name_ser_classes(void **state)
{
    (void)state;
    char buf[160];
    const uint64_t ser = 1ull << 24;
    mcelog_status_flags(0xBD000000004000CFull, ser, buf, sizeof(buf));
    assert_string_equal(buf, "UC EN MISCV ADDRV SRAO");
    mcelog_status_flags(0xBD80000000000134ull, ser, buf, sizeof(buf));
    assert_string_equal(buf, "UC EN MISCV ADDRV SRAR");
    mcelog_status_flags(0xBC20000080000136ull, ser, buf, sizeof(buf));
    assert_string_equal(buf, "UC EN MISCV ADDRV UCNA");
    mcelog_status_flags(0xBD80000000000134ull, 0, buf, sizeof(buf));
    assert_string_equal(buf, "UC EN MISCV ADDRV"); /* no S/AR meaning without SER_P */
    mcelog_mcg_flags(0x5, buf, sizeof(buf));
    assert_string_equal(buf, "RIPV MCIP");
}

/* A fake hypervisor: two urgent and one non-urgent record queued. */
struct fake {
    uint8_t mem[8192];
    struct mca_record q[2][8];
    unsigned n[2], head[2];
    uint64_t out_id[2]; /* fetch id handed out, 0 when none */
    uint64_t next_id;
    unsigned acks, bad_acks, fetches;
    unsigned order[8], norder;
    char last_log[256];
    unsigned logs;
    char last_mcelog[256];      /* latest "mcelog:" line           */
    uint64_t offline_mfn[8];    /* OFFLINE_PAGE requests received  */
    unsigned noffline;
    unsigned acks_at_offline;   /* acks done when the request came */
    uint32_t offline_answer;    /* status the fake hypervisor returns */
    long offline_rc;            /* and the return it gives with it */
    unsigned nspare;            /* SPARE_RANK requests received    */
    uint64_t spare_addr;
};

#define BASE 0x1000ull

/* A record of one bank. */
static struct mca_record rec1(uint64_t seq, uint64_t status, uint64_t addr, uint64_t t, uint32_t cls,
                              uint32_t bank)
{
    struct mca_record r = {.seq = seq, .time_ps = t, .cls = cls, .nbanks = 1};
    r.bank[0] = (struct mca_bank_entry){
        .bank = bank, .cls = cls, .status = status, .addr = addr, .domid = DOMID_NONE,
    };
    return r;
}

static void *fake_gmem(void *ctx, uint64_t gaddr, size_t len)
{
    struct fake *f = ctx;
    if (gaddr < BASE || gaddr - BASE + len > sizeof(f->mem))
        return NULL;
    return f->mem + (gaddr - BASE);
}

static long fake_hypercall(void *ctx, uint64_t arg)
{
    struct fake *f = ctx;
    struct mca_hypercall *hc = fake_gmem(f, arg, sizeof(*hc));
    if (!hc || hc->interface_version != MCA_INTERFACE_VERSION)
        return -EINVAL;
    if (hc->cmd == MCA_CMD_OFFLINE_PAGE) {
        if (hc->u.offline.op != MCA_OFFLINE_OP_OFFLINE || f->noffline == 8)
            return -EINVAL;
        f->acks_at_offline = f->acks;
        f->offline_mfn[f->noffline++] = hc->u.offline.mfn;
        hc->u.offline.status = f->offline_answer;
        return f->offline_rc;
    }
    if (hc->cmd == MCA_CMD_SPARE_RANK) {
        f->nspare++;
        f->spare_addr = hc->u.spare.addr;
        return 0;
    }
    if (hc->cmd != MCA_CMD_FETCH)
        return -EINVAL;
    uint32_t fl = hc->u.fetch.flags;
    int c = (fl & MCA_FLAG_URGENT) ? 0 : 1;
    if (fl & MCA_FLAG_ACK) {
        if (!f->out_id[c] || hc->u.fetch.fetch_id != f->out_id[c]) {
            f->bad_acks++;
            return -EINVAL;
        }
        f->out_id[c] = 0;
        f->head[c]++;
        f->acks++;
        return 0;
    }
    f->fetches++;
    if (f->head[c] == f->n[c]) {
        hc->u.fetch.flags = MCA_FLAG_NODATA;
        return 0;
    }
    struct mca_record *dst = fake_gmem(f, hc->u.fetch.data, sizeof(*dst));
    if (!dst)
        return -EFAULT;
    *dst = f->q[c][f->head[c]];
    f->out_id[c] = ++f->next_id;
    hc->u.fetch.fetch_id = f->out_id[c];
    hc->u.fetch.flags = MCA_FLAG_OK;
    f->order[f->norder++] = (unsigned)dst->seq;
    return 0;
}

static void fake_log(void *ctx, const char *line)
{
    struct fake *f = ctx;
    f->logs++;
    if (strncmp(line, "MCA:", 4) == 0)
        snprintf(f->last_log, sizeof(f->last_log), "%s", line);
    if (strncmp(line, "mcelog:", 7) == 0)
        snprintf(f->last_mcelog, sizeof(f->last_mcelog), "%s", line);
}

static void fake_charge(void *ctx, enum guest_cost w, unsigned n) { (void)ctx, (void)w, (void)n; }
static void fake_stage(void *ctx, enum guest_stage s, uint64_t seq) { (void)ctx, (void)s, (void)seq; }

static void fetch_loop_acks_every_record_urgent_first(void **state)
{
    (void)state;
    static struct fake f;
    memset(&f, 0, sizeof(f));
    f.q[1][0] = rec1(1, 0xBC20000080000136ull, 0, 0, MCA_REC_NONE, 9);
    f.q[0][0] = rec1(2, 0xBD000000004000CFull, 0, 0, MCA_REC_NONE, 7);
    f.q[0][1] = rec1(3, 0xBD2000008000017Aull, 0, 0, MCA_REC_NONE, 8);
    f.n[0] = 2;
    f.n[1] = 1;
    struct guest_abi abi = {
        .ctx = &f, .domid = 0, .hypercall_mca = fake_hypercall, .gmem = fake_gmem,
        .scratch = BASE, .scratch_len = sizeof(f.mem), .log = fake_log,
        .charge = fake_charge, .stage = fake_stage,
    };
    static struct dom0 d; /* ~16 KB: off the stack */
    dom0_init(&d, &abi);
    dom0_on_virq_mca(&d);
    assert_int_equal(f.acks, 3);
    assert_int_equal(f.bad_acks, 0);
    assert_int_equal(d.stats.fetched, 3);
    assert_int_equal(d.stats.acked, 3);
    assert_int_equal(d.stats.errors, 0);
    assert_int_equal(f.norder, 3);
    assert_int_equal(f.order[0], 2); /* urgent first, oldest first */
    assert_int_equal(f.order[1], 3);
    assert_int_equal(f.order[2], 1);
    assert_string_equal(f.last_log, "MCA: Data CACHE Level-2 Data-Read Error");
    /* A second VIRQ with nothing queued fetches, finds NODATA, acks nothing. */
    dom0_on_virq_mca(&d);
    assert_int_equal(f.acks, 3);
}

static void fetch_error_is_counted_not_fatal(void **state)
{
    (void)state;
    static struct fake f;
    memset(&f, 0, sizeof(f));
    struct guest_abi abi = {
        .ctx = &f, .hypercall_mca = fake_hypercall, .gmem = fake_gmem,
        .scratch = 0x99999999, /* outside dom0's memory */
        .scratch_len = 64, .log = fake_log, .charge = fake_charge, .stage = fake_stage,
    };
    static struct dom0 d; /* ~16 KB: off the stack */
    dom0_init(&d, &abi);
    dom0_on_virq_mca(&d);
    assert_int_equal(d.stats.fetched, 0);
    assert_int_equal(f.fetches, 0);
}

/* Xen MCA/MCE concept (Egger, 2007), case II: four CEs on one page (two
 * within 24 h overflow mcelog's page bucket, twice), one CE elsewhere. */
static void ce_accounting_asks_to_offline_a_page_once(void **state)
{
    (void)state;
    static struct fake f;
    memset(&f, 0, sizeof(f));
    const uint64_t h = CE_PS_PER_HOUR;
    const uint64_t ce = 0x9C0000000000009Full; /* corrected, memory controller */
    f.q[1][0] = rec1(1, ce, 0x12345040, 1 * h, MCA_REC_CORRECTED, 8);
    f.q[1][1] = rec1(2, ce, 0x777000, 2 * h, MCA_REC_CORRECTED, 8);
    f.q[1][2] = rec1(3, ce, 0x12345080, 3 * h, MCA_REC_CORRECTED, 8);
    f.q[1][3] = rec1(4, ce, 0x123450C0, 4 * h, MCA_REC_CORRECTED, 8);
    f.q[1][4] = f.q[1][3]; /* overflows the page bucket again: not asked twice */
    f.q[1][4].seq = 5;
    f.q[1][4].time_ps = 5 * h;
    f.n[1] = 5;
    f.offline_answer = MCA_PG_OWNED | MCA_PG_PENDING | (3u << MCA_PG_OWNER_SHIFT);
    struct guest_abi abi = {
        .ctx = &f, .domid = 0, .hypercall_mca = fake_hypercall, .gmem = fake_gmem,
        .scratch = BASE, .scratch_len = sizeof(f.mem), .log = fake_log,
        .charge = fake_charge, .stage = fake_stage,
    };
    static struct dom0 d;
    dom0_init(&d, &abi);
    assert_false(d.ce.enabled); /* off unless a scenario turns it on */
    d.ce.enabled = true;
    dom0_on_virq_mca(&d);
    assert_int_equal(f.acks, 5);
    assert_int_equal(f.bad_acks, 0);
    assert_int_equal(f.noffline, 1);
    assert_int_equal(d.ce_state.stats.page_over, 2);
    assert_int_equal(f.offline_mfn[0], 0x12345);
    assert_int_equal(f.acks_at_offline, 2); /* asked before record 3 was acked */
    assert_int_equal(d.stats.offline_requests, 1);
    assert_int_equal(d.stats.errors, 0);
    assert_string_equal(f.last_mcelog,
                        "mcelog: page 0x12345 exceeded CE threshold, soft-offline requested: "
                        "pending (owned by dom3)");

    /* disabled (the default): the same records ask nothing */
    memset(&f, 0, sizeof(f));
    f.q[1][0] = rec1(1, ce, 0x12345040, 1 * h, MCA_REC_CORRECTED, 8);
    f.q[1][1] = f.q[1][0];
    f.q[1][1].seq = 2;
    f.n[1] = 2;
    dom0_init(&d, &abi);
    dom0_on_virq_mca(&d);
    assert_int_equal(f.acks, 2);
    assert_int_equal(f.noffline, 0);
}

static void offline_answers_are_logged(void **state)
{
    (void)state;
    static struct fake f;
    static struct dom0 d;
    const uint64_t ce = 0x9C0000000000009Full;
    const uint32_t xen = MCA_PG_OWNER_XEN << MCA_PG_OWNER_SHIFT;
    const struct {
        uint32_t answer;
        long rc;
        const char *text;
    } cases[] = {
        {MCA_PG_OFFLINED, 0, "offlined"},
        {MCA_PG_XENPAGE | MCA_PG_PENDING | xen, 0, "pending (hypervisor heap)"},
        {MCA_PG_OWNED | MCA_PG_PENDING | (3u << MCA_PG_OWNER_SHIFT), 0, "pending (owned by dom3)"},
        {MCA_PG_XENPAGE | MCA_PG_FAILED | xen, -EPERM, "refused (hypervisor page), failed (-1)"},
        {MCA_PG_ANONYMOUS | MCA_PG_FAILED | (MCA_PG_OWNER_INVALID << MCA_PG_OWNER_SHIFT), 0,
         "refused (in use, owner unknown)"},
        {MCA_PG_AGAIN, 0, "broken again (owner crashed)"},
        {MCA_PG_FAILED | MCA_PG_NOT_CONV_RAM, -EINVAL, "refused (not RAM), failed (-22)"},
        {0x4000, 0, "status 0x4000"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memset(&f, 0, sizeof(f));
        f.q[1][0] = rec1(1, ce, 0x5000, 0, MCA_REC_CORRECTED, 8);
        f.q[1][1] = f.q[1][0];
        f.q[1][1].seq = 2;
        f.n[1] = 2;
        f.offline_answer = cases[i].answer;
        f.offline_rc = cases[i].rc;
        struct guest_abi abi = {
            .ctx = &f, .domid = 0, .hypercall_mca = fake_hypercall, .gmem = fake_gmem,
            .scratch = BASE, .scratch_len = sizeof(f.mem), .log = fake_log,
            .charge = fake_charge, .stage = fake_stage,
        };
        dom0_init(&d, &abi);
        d.ce.enabled = true;
        dom0_on_virq_mca(&d);
        char want[160];
        snprintf(want, sizeof(want), "mcelog: page 0x5 exceeded CE threshold, soft-offline requested: %s",
                 cases[i].text);
        assert_string_equal(f.last_mcelog, want);
        assert_int_equal(f.acks, 2);
    }
}

/* dom0's ABI over the fake hypervisor. */
static struct guest_abi fake_abi(struct fake *f)
{
    return (struct guest_abi){
        .ctx = f, .domid = 0, .hypercall_mca = fake_hypercall, .gmem = fake_gmem,
        .scratch = BASE, .scratch_len = sizeof(f->mem), .log = fake_log,
        .charge = fake_charge, .stage = fake_stage,
    };
}

/* Egger's case II, further: the page over its CE count is a DomU's
 * (PENDING|OWNED), so dom0's toolstack moves the owner off this host; a
 * free or dom0 page moves nothing, and a second ask finds it moving. */
struct mover {
    unsigned calls, domid, to;
    int live;
    long rc;
};
static struct mover mv;
static long fake_move(void *ctx, unsigned domid, unsigned to, int live)
{
    (void)ctx;
    mv.calls++;
    mv.domid = domid;
    mv.to = to;
    mv.live = live;
    return mv.rc;
}

static void run_two_ces(struct fake *f, struct dom0 *d, uint32_t answer, uint32_t how, long move_rc)
{
    const uint64_t ce = 0x9C0000000000009Full;
    memset(f, 0, sizeof(*f));
    memset(&mv, 0, sizeof(mv));
    mv.rc = move_rc;
    f->q[1][0] = rec1(1, ce, 0x5000, 0, MCA_REC_CORRECTED, 8);
    f->q[1][1] = f->q[1][0];
    f->q[1][1].seq = 2;
    f->n[1] = 2;
    f->offline_answer = answer;
    struct guest_abi abi = fake_abi(f);
    abi.move_domain = fake_move;
    dom0_init(d, &abi);
    d->ce.enabled = true;
    d->on_ce_domu = how;
    d->move_to = 1;
    dom0_on_virq_mca(d);
}

static void ce_trend_on_domu_page_moves_the_owner(void **state)
{
    (void)state;
    static struct fake f;
    static struct dom0 d;
    const uint32_t owned3 = MCA_PG_OWNED | MCA_PG_PENDING | (3u << MCA_PG_OWNER_SHIFT);

    run_two_ces(&f, &d, owned3, DOM0_CE_MIGRATE, 0);
    assert_int_equal(mv.calls, 1);
    assert_int_equal(mv.domid, 3);
    assert_int_equal(mv.to, 1);
    assert_true(mv.live);
    assert_int_equal(d.stats.moves, 1);
    assert_int_equal(f.acks, 2);
    assert_string_equal(f.last_mcelog, "mcelog: dom3 owns page 0x5: live-migrating dom3 to host 1 "
                                       "before an uncorrected error: started");

    run_two_ces(&f, &d, owned3, DOM0_CE_SAVE_RESTORE, 0);
    assert_int_equal(mv.calls, 1);
    assert_false(mv.live);
    assert_string_equal(f.last_mcelog, "mcelog: dom3 owns page 0x5: saving dom3 and restoring it on host 1 "
                                       "before an uncorrected error: started");

    run_two_ces(&f, &d, owned3, DOM0_CE_MIGRATE, -EBUSY); /* moving already: not an error */
    assert_int_equal(d.stats.moves, 0);
    assert_int_equal(d.stats.errors, 0);

    run_two_ces(&f, &d, owned3, DOM0_CE_OFFLINE, 0); /* Xen's way: offline only */
    assert_int_equal(mv.calls, 0);
    run_two_ces(&f, &d, MCA_PG_OFFLINED, DOM0_CE_MIGRATE, 0); /* a free page: nobody to move */
    assert_int_equal(mv.calls, 0);
    run_two_ces(&f, &d, MCA_PG_OWNED | MCA_PG_PENDING, DOM0_CE_MIGRATE, 0); /* dom0's own page */
    assert_int_equal(mv.calls, 0);
}

/* Egger's self-healing: a DIMM over its CE count has dom0 ask the
 * hypervisor, once, for the spare rank to take over (with the address of
 * the CE that crossed it); only when configured. */
static void dimm_trend_asks_for_the_spare_rank_once(void **state)
{
    (void)state;
    static struct fake f;
    static struct dom0 d;
    const uint64_t ce_ch1 = 0x9C00000000000091ull; /* corrected, memory controller read, channel 1 */
    for (int spare = 0; spare < 2; spare++) {
        memset(&f, 0, sizeof(f));
        for (unsigned i = 0; i < 4; i++)
            f.q[1][i] = rec1(i + 1, ce_ch1, 0x20bbc0 + 0x1000ull * i, i, MCA_REC_CORRECTED, 7);
        f.n[1] = 4;
        struct guest_abi abi = fake_abi(&f);
        dom0_init(&d, &abi);
        d.ce.enabled = true;
        d.ce.dimm.count = 2;
        d.on_dimm = spare ? DOM0_DIMM_SPARE : DOM0_DIMM_WARN;
        dom0_on_virq_mca(&d);
        assert_int_equal(d.ce_state.stats.dimm_over, 2);
        assert_int_equal(f.nspare, spare ? 1 : 0);
        assert_int_equal(d.stats.spares, spare ? 1 : 0);
        if (spare) {
            assert_int_equal(f.spare_addr, 0x20cbc0); /* the second CE's */
            assert_string_equal(f.last_mcelog, "mcelog: corrected memory errors on socket 0 bank 7 channel 1 "
                                               "exceeded threshold (2 in 24h)"); /* the 4th: no second ask */
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mcacod_texts_match_mcelog),
        cmocka_unit_test(mcacod_texts_of_every_kind),
        cmocka_unit_test(status_flags_name_ser_classes),
        cmocka_unit_test(fetch_loop_acks_every_record_urgent_first),
        cmocka_unit_test(fetch_error_is_counted_not_fatal),
        cmocka_unit_test(ce_accounting_asks_to_offline_a_page_once),
        cmocka_unit_test(offline_answers_are_logged),
        cmocka_unit_test(ce_trend_on_domu_page_moves_the_owner),
        cmocka_unit_test(dimm_trend_asks_for_the_spare_rank_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
