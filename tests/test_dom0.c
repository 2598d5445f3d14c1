/*
 * test_dom0.c - dom0's mcelog daemon: decoding of MCA error codes into the
 * strings mcelog prints (those the Xen and Linux test suites expect), and
 * the fetch/decode/ack loop against a fake hypervisor that checks the
 * protocol: every fetched record is acked with its own fetch id, urgent
 * records first, and nothing is acked that was not fetched.
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
    mcelog_mcacod_text(code, buf, sizeof(buf));
    assert_string_equal(buf, want);
}

/* Expected strings: xen-mca-behaviour.md s.7 (mce-test) and
 * linux-kvm-qemu-mce.md s.4 (srar_usr_dcu decode). */
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
    decode(0x000E, "Generic CACHE Level-2 Error");
    decode(0x10CF, "MEMORY CONTROLLER MS_CHANNELunspecified_ERR"); /* F bit ignored */
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
    struct mca_record q[2][4];
    unsigned n[2], head[2];
    uint64_t out_id[2]; /* fetch id handed out, 0 when none */
    uint64_t next_id;
    unsigned acks, bad_acks, fetches;
    unsigned order[8], norder;
    char last_log[256];
    unsigned logs;
};

#define BASE 0x1000ull

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
    if (!hc || hc->interface_version != MCA_INTERFACE_VERSION || hc->cmd != MCA_CMD_FETCH)
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
}

static void fake_charge(void *ctx, enum guest_cost w, unsigned n) { (void)ctx, (void)w, (void)n; }
static void fake_stage(void *ctx, enum guest_stage s, uint64_t seq) { (void)ctx, (void)s, (void)seq; }

static void fetch_loop_acks_every_record_urgent_first(void **state)
{
    (void)state;
    static struct fake f;
    memset(&f, 0, sizeof(f));
    f.q[1][0] = (struct mca_record){.seq = 1, .status = 0xBC20000080000136ull, .bank = 9};
    f.q[0][0] = (struct mca_record){.seq = 2, .status = 0xBD000000004000CFull, .bank = 7};
    f.q[0][1] = (struct mca_record){.seq = 3, .status = 0xBD2000008000017Aull, .bank = 8};
    f.n[0] = 2;
    f.n[1] = 1;
    struct guest_abi abi = {
        .ctx = &f, .domid = 0, .hypercall_mca = fake_hypercall, .gmem = fake_gmem,
        .scratch = BASE, .scratch_len = sizeof(f.mem), .log = fake_log,
        .charge = fake_charge, .stage = fake_stage,
    };
    struct dom0 d;
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
    struct dom0 d;
    dom0_init(&d, &abi);
    dom0_on_virq_mca(&d);
    assert_int_equal(d.stats.fetched, 0);
    assert_int_equal(f.fetches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mcacod_texts_match_mcelog),
        cmocka_unit_test(status_flags_name_ser_classes),
        cmocka_unit_test(fetch_loop_acks_every_record_urgent_first),
        cmocka_unit_test(fetch_error_is_counted_not_fatal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
