/*
 * import_qemu.c - QEMU human monitor (HMP) `mce` commands, one a line:
 *
 *     [(qemu)] mce [-b] cpu bank status mcgstatus addr misc
 *
 * as QEMU's hmp-commands.hx documents it ("inject a MCE on the given CPU
 * [and broadcast to other CPUs with -b option]"; numbers as the monitor
 * reads them, C syntax; mcasim takes numbers, not monitor expressions).
 *
 * What QEMU does with it (target/i386, as the reference notes describe
 * it): the guest CPU has 10 banks (MCE_BANKS_DEF) and MCG_CAP CTL_P|SER_P
 * (MCE_CAP_DEF), so a bank past 9 and a status without VAL are refused as
 * QEMU refuses them. Every write is raw (the image as given: the -b
 * bystanders' VAL|UC keeps EN clear). An uncorrected status is written to the bank with
 * MCG_STATUS exactly as given and an #MC raised on that CPU alone; with -b
 * every other CPU also gets VAL|UC in bank 1 and MCG_STATUS MCIP|RIPV and
 * its own #MC, at the same moment. A corrected status is only written to
 * the bank: the guest's poller finds it. The guest QEMU runs is the
 * hypervisor mcasim models (QEMU's -cpu Skylake-Server: Intel family 6
 * model 0x55, which supports -b).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "sim/scenario/import_int.h"

#define QEMU_BANKS 10u

static const char *const arg_names[] = {"cpu", "bank", "status", "mcgstatus", "addr", "misc"};

/* Injections of -b lines: the other CPUs are added once the CPU count is known. */
struct bcasts {
    unsigned *v, n;
};

static int one_mce(struct imp *im, const struct imp_word *w, int nw, unsigned lineno, struct bcasts *b)
{
    uint64_t a[6];
    int k = 1;
    bool bcast = k < nw && imp_word_is(&w[k], "-b");
    k += bcast;
    struct scn_loc at = {lineno, w[0].col};
    if (nw - k != 6)
        return imp_fail(im, nw - k > 6 ? (struct scn_loc){lineno, w[k + 6].col} : at,
                        "mce [-b] cpu bank status mcgstatus addr misc",
                        "'mce' takes 6 numbers, this line has %d", nw - k);
    for (int i = 0; i < 6; i++)
        if (!imp_number(w[k + i].s, w[k + i].len, &a[i]))
            return imp_fail(im, (struct scn_loc){lineno, w[k + i].col}, "a number: 0x..., 0..., or decimal",
                            "%s: '%.*s' is not a number", arg_names[i], (int)w[k + i].len, w[k + i].s);
    struct scn_loc bank_at = {lineno, w[k + 1].col}, status_at = {lineno, w[k + 2].col};
    if (imp_check_index(im, (struct scn_loc){lineno, w[k].col}, "CPU", a[0]) < 0)
        return -1;
    if (a[1] >= QEMU_BANKS)
        return imp_fail(im, bank_at, "QEMU's guest CPUs have 10 banks (MCE_BANKS_DEF)",
                        "bank %llu: QEMU refuses it (Invalid MCE bank number)", (unsigned long long)a[1]);
    if (!(a[2] & MCI_STATUS_VAL))
        return imp_fail(im, status_at, "set bit 63 (VAL)", "status %#llx has no VAL: QEMU refuses it (Invalid MCE status code)",
                        (unsigned long long)a[2]);
    unsigned g = imp_group(im);
    struct imp_inject *in = imp_add(im, at, g);
    if (!in)
        return -1;
    bool uc = (a[2] & MCI_STATUS_UC) != 0;
    in->cpu = (unsigned)a[0];
    in->bank = (unsigned)a[1];
    in->status = a[2];
    in->addr = a[4];
    in->misc = a[5];
    in->signal = uc ? SCN_SIGNAL_MCE : SCN_SIGNAL_NONE;
    in->has_mcg = uc;
    in->mcg = a[3];
    in->no_broadcast = uc;
    in->raw = true; /* do_inject_x86_mce writes the image as given */
    snprintf(in->note, sizeof(in->note), "mce %s%llu %llu: %s", bcast ? "-b " : "", (unsigned long long)a[0],
             (unsigned long long)a[1],
             uc ? (bcast ? "#MC here, VAL|UC in bank 1 and #MC on every other CPU" : "#MC on this CPU alone")
                : "corrected: written to the bank, the poller finds it");
    if (bcast && uc)
        b->v[b->n++] = im->n - 1;
    return 0;
}

/* -b: every other CPU gets VAL|UC in bank 1 and MCIP|RIPV, in the same group. */
static int add_broadcasts(struct imp *im, const struct bcasts *b)
{
    for (unsigned i = 0; i < im->n; i++)
        if (im->v[i].cpu >= im->cpus)
            im->cpus = im->v[i].cpu + 1;
    for (unsigned k = 0; k < b->n; k++) {
        struct imp_inject src = im->v[b->v[k]];
        for (unsigned c = 0; c < im->cpus; c++) {
            if (c == src.cpu)
                continue;
            struct imp_inject *o = imp_add(im, src.loc, src.group);
            if (!o)
                return -1;
            o->cpu = c;
            o->bank = 1;
            o->status = MCI_STATUS_VAL | MCI_STATUS_UC;
            o->has_mcg = true;
            o->mcg = MCG_STATUS_MCIP | MCG_STATUS_RIPV;
            o->signal = SCN_SIGNAL_MCE;
            o->no_broadcast = true;
            o->raw = true; /* VAL|UC: EN stays clear */
            snprintf(o->note, sizeof(o->note), "the broadcast of -b to CPU %u", c);
        }
    }
    return 0;
}

static int one_line(struct imp *im, const char *line, unsigned lineno, struct bcasts *b)
{
    struct imp_word w[IMP_MAX_WORDS];
    int nw = imp_words(im, line, lineno, w);
    if (nw < 0)
        return -1;
    struct imp_word *cmd = w;
    if (nw && imp_word_is(w, "(qemu)"))
        cmd++, nw--;
    if (!nw)
        return 0;
    if (!imp_word_is(cmd, "mce"))
        return imp_fail(im, (struct scn_loc){lineno, cmd->col}, "mcasim imports QEMU's 'mce' monitor command",
                        "'%.*s' is not the mce command", (int)cmd->len, cmd->s);
    return one_mce(im, cmd, nw, lineno, b);
}

int import_qemu(const char *text, struct imp *im)
{
    im->banks = QEMU_BANKS;
    im->banks_fixed = true;
    im->mcg_cap = MCG_CTL_P | MCG_SER_P;
    size_t lines = 1;
    for (const char *c = text; *c; c++)
        lines += *c == '\n';
    struct bcasts b = {calloc(lines, sizeof(unsigned)), 0};
    int rc = b.v ? 0 : imp_fail(im, (struct scn_loc){0, 0}, NULL, "out of memory");
    const char *p = text, *line;
    for (unsigned lineno = 1; rc == 0 && (line = imp_next_line(&p)); lineno++)
        rc = one_line(im, line, lineno, &b);
    if (rc == 0)
        rc = add_broadcasts(im, &b);
    free(b.v);
    return rc;
}
