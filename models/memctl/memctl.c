/*
 * memctl.c - the memory controller of memctl.h: reads a line through the
 * fault map and the ECC codec, decides the outcome from the ground truth,
 * keeps poison, write-back effects, counters and the ledger, and turns the
 * scrubber's walk into findings with MCA records.
 *
 * Invariant: every line's content as memory holds it is
 *   written(line) XOR sdc_store delta(line)
 * encoded, plus the fault map's error mask when read; written(line), what
 * software last wrote, is never needed (check_line). The ledger counts
 * each error event once (memctl.h).
 */
#include "models/memctl/memctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/bits.h"
#include "arch/ps_rebase.h"


static const char *const outcome_names[MEMCTL_OUTCOME__COUNT] = {
    [MEMCTL_CLEAN] = "clean",
    [MEMCTL_CORRECTED] = "corrected",
    [MEMCTL_UNCORRECTABLE] = "uncorrectable",
    [MEMCTL_SDC] = "sdc",
};

/* What the consumer gets for each truth. */
static const enum memctl_outcome outcome_of_truth[ECC_TRUTH__COUNT] = {
    [ECC_TRUTH_CLEAN] = MEMCTL_CLEAN,
    [ECC_TRUTH_CORRECTED] = MEMCTL_CORRECTED,
    [ECC_TRUTH_UNDETECTED] = MEMCTL_SDC,
    [ECC_TRUTH_MISCORRECTED] = MEMCTL_SDC,
    [ECC_TRUTH_DUE] = MEMCTL_UNCORRECTABLE,
};

/* SRAR MCACOD per access (SDM Vol. 3B ch. 15). */
static const uint16_t srar_mcacod[MEMCTL_ACCESS__COUNT] = {
    [MEMCTL_DATA_LOAD] = MCACOD_DATA_LOAD,
    [MEMCTL_INSN_FETCH] = MCACOD_INSN_FETCH,
};

const char *memctl_outcome_name(enum memctl_outcome o)
{
    return (unsigned)o < MEMCTL_OUTCOME__COUNT ? outcome_names[o] : "?";
}

/* ---- MCA records ------------------------------------------------------------ */

static uint64_t cccc(unsigned channel)
{
    return channel < 15u ? channel : 0xFu;
}

uint64_t memctl_srao_scrub_status(unsigned channel)
{
    return MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_MISCV | MCI_STATUS_ADDRV | MCI_STATUS_S |
           MEMCTL_MCACOD_SCRUB | cccc(channel);
}

uint64_t memctl_srar_status(enum memctl_access access)
{
    uint16_t code = (unsigned)access < MEMCTL_ACCESS__COUNT ? srar_mcacod[access] : MCACOD_DATA_LOAD;
    return MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_MISCV | MCI_STATUS_ADDRV | MCI_STATUS_S |
           MCI_STATUS_AR | code;
}

uint64_t memctl_ce_status(unsigned channel, bool by_scrub)
{
    return MCI_STATUS_VAL | MCI_STATUS_EN | MCI_STATUS_MISCV | MCI_STATUS_ADDRV |
           (by_scrub ? MEMCTL_MCACOD_SCRUB : MEMCTL_MCACOD_READ) | cccc(channel);
}

/* ---- life cycle ----------------------------------------------------------- */

struct memctl_config memctl_config_default(void)
{
    return (struct memctl_config){
        .geom = mem_geometry_default(),
        .ecc = ECC_KIND_SECDED,
        .scrub_period_ps = SCRUB_DEFAULT_PERIOD_PS,
    };
}

const char *memctl_config_check(const struct memctl_config *cfg)
{
    const char *why = addr_map_check(&cfg->geom);
    if (why)
        return why;
    struct addr_map m;
    addr_map_init(&m, &cfg->geom);
    return ecc_codec_check(cfg->ecc, &m);
}

static size_t dram_banks(const struct mem_geometry *g)
{
    return (size_t)g->channels * g->dimms_per_channel * g->ranks_per_dimm * g->banks_per_rank;
}

int memctl_init(struct memctl *mc, const struct memctl_config *cfg)
{
    if (!mc || !cfg || memctl_config_check(cfg))
        return -1;
    memset(mc, 0, sizeof(*mc));
    mc->cfg = *cfg;
    addr_map_init(&mc->map, &cfg->geom);
    ecc_codec_init(&mc->codec, cfg->ecc, &mc->map);
    mc->bank_ce = calloc(dram_banks(&cfg->geom), sizeof(*mc->bank_ce));
    if (!mc->bank_ce)
        return -1;
    fault_map_init(&mc->faults, &mc->map);
    poison_init(&mc->poison);
    poison_runs_init(&mc->runs);
    sdc_store_init(&mc->sdc);
    ecc_memo_init(&mc->memo);
    spare_init(&mc->spare, cfg->spare_rank);
    u64map_init(&mc->truth_of);
    struct scrubber_config sc = {cfg->scrub_period_ps, cfg->scrub_start_ps};
    scrubber_init(&mc->scrub, &mc->map, &sc);
    return 0;
}

void memctl_free(struct memctl *mc)
{
    scrubber_free(&mc->scrub);
    sdc_store_free(&mc->sdc);
    poison_free(&mc->poison);
    poison_runs_free(&mc->runs);
    fault_map_free(&mc->faults);
    free(mc->truth);
    mc->truth = NULL;
    mc->ntruth = mc->cap_truth = 0;
    u64map_free(&mc->truth_of);
    free(mc->bank_ce);
    mc->bank_ce = NULL;
}

/* A new fault's truth entry; out of memory, the fault just has none. */
static void truth_add(struct memctl *mc, uint64_t id, const struct mem_fault *f)
{
    if (mc->ntruth == mc->cap_truth) {
        size_t ncap = mc->cap_truth ? mc->cap_truth * 2 : 16;
        struct memctl_fault_truth *n = realloc(mc->truth, ncap * sizeof(*n));
        if (!n)
            return;
        mc->truth = n;
        mc->cap_truth = ncap;
    }
    if (u64map_put(&mc->truth_of, id, mc->ntruth) != 0)
        return;
    mc->truth[mc->ntruth++] = (struct memctl_fault_truth){
        .id = id, .mode = f->mode, .permanent = f->permanent, .arrival_ps = mc->epoch_ps + f->time_ps,
        .lines = fault_map_footprint_lines(&mc->faults, id),
    };
}

/* n error events of truth t on the lines of the faults in hits. */
static void truth_note(struct memctl *mc, const struct fault_hits *hits, enum ecc_truth t, uint64_t n,
                       enum memctl_finder by, uint64_t at_ps)
{
    for (unsigned i = 0; i < hits->n && i < FAULT_HITS_MAX; i++) {
        const uint64_t *k = u64map_find(&mc->truth_of, hits->id[i]);
        if (!k)
            continue;
        struct memctl_fault_truth *ft = &mc->truth[*k];
        if (t == ECC_TRUTH_CORRECTED)
            ft->ce += n;
        else if (t == ECC_TRUTH_DUE)
            ft->uc += n;
        else if (t == ECC_TRUTH_MISCORRECTED || t == ECC_TRUTH_UNDETECTED)
            ft->sdc += n;
        /* found: reported to software; a miscorrection is, as a CE */
        if (ft->first_by == MEMCTL_FOUND_NONE && t != ECC_TRUTH_CLEAN && t != ECC_TRUTH_UNDETECTED) {
            ft->first_by = by;
            ft->first_ps = mc->epoch_ps + at_ps;
        }
    }
}

/* Lines the walk passed in bulk: visits, and passed. */
static void note_passed(struct memctl *mc, uint64_t n)
{
    mc->ledger.scrub_visits += n;
    mc->ledger.scrub_passed += n;
}

/* Passive faults whose lines meet a's go back into the walk: a line two
 * faults cover is one visit, and shows both faults' doing (a new fault);
 * a fault with an unpoisoned line may be found again (a write). See
 * scrub_passive.h. */
static void unpass_meeting(struct memctl *mc, const struct fault_footprint *a)
{
    struct fault_footprint b, o;
    for (size_t i = 0; i < mc->scrub.passive.n;) {
        uint64_t pid = mc->scrub.passive.e[i].id;
        if (fault_map_footprint(&mc->faults, pid, &b) && footprint_intersect(a, &b, &o))
            note_passed(mc, scrubber_unpass(&mc->scrub, &mc->faults, pid)); /* the list shrank at i */
        else
            i++;
    }
}

uint64_t memctl_add_fault(struct memctl *mc, const struct mem_fault *f)
{
    mc->gen++;
    uint64_t id = fault_map_add(&mc->faults, f);
    if (id) {
        scrubber_fault_added(&mc->scrub, &mc->faults, id);
        struct fault_footprint fp;
        if (mc->scrub.passive.n && fault_map_footprint(&mc->faults, id, &fp))
            unpass_meeting(mc, &fp);
        truth_add(mc, id, f);
    }
    return id;
}

static void flush_ce_run(struct memctl *mc);

bool memctl_remove_fault(struct memctl *mc, uint64_t id)
{
    mc->gen++;
    flush_ce_run(mc); /* its footprint is needed to count it */
    return fault_map_remove(&mc->faults, id); /* the scrubber drops it lazily */
}

/* Poisoned, one by one or in a run (never both: poison_runs.h). */
static bool poisoned(const struct memctl *mc, uint64_t line)
{
    return poison_test(&mc->poison, line << MEM_LINE_SHIFT) || poison_runs_test(&mc->runs, line);
}

bool memctl_poisoned(const struct memctl *mc, uint64_t paddr)
{
    return poisoned(mc, paddr >> MEM_LINE_SHIFT);
}

bool memctl_poison_time(const struct memctl *mc, uint64_t paddr, uint64_t *when_ps)
{
    return poison_time(&mc->poison, paddr, when_ps) ||
           poison_runs_time(&mc->runs, &mc->scrub, paddr >> MEM_LINE_SHIFT, when_ps);
}

uint64_t memctl_poison_count(const struct memctl *mc)
{
    return poison_count(&mc->poison) + poison_runs_count(&mc->runs);
}

size_t memctl_poison_list(const struct memctl *mc, uint64_t *addrs, size_t max)
{
    if (mc->runs.n == 0)
        return poison_list(&mc->poison, addrs, max);
    /* the smallest max of each, both in order, merged (no line in both) */
    uint64_t *lines = malloc(2u * (max ? max : 1u) * sizeof(*lines));
    if (!lines)
        return 0;
    uint64_t *runs = lines + max;
    size_t na = poison_list(&mc->poison, lines, max), nb = poison_runs_list(&mc->runs, runs, max);
    size_t i = 0, j = 0, k = 0;
    for (; k < max && (i < na || j < nb); k++) {
        uint64_t b = j < nb ? runs[j] << MEM_LINE_SHIFT : UINT64_MAX;
        addrs[k] = i < na && lines[i] < b ? lines[i++] : (j++, b);
    }
    free(lines);
    return k;
}

int memctl_poison_run(struct memctl *mc, uint64_t fault_id, uint64_t from_line, uint64_t to_line, uint64_t pass)
{
    struct fault_footprint fp;
    if (!fault_map_footprint(&mc->faults, fault_id, &fp))
        return -ENOENT;
    if (from_line > to_line || to_line >= mc->map.lines || pass < mc->scrub.pass_base ||
        scrubber_line_time(&mc->scrub, pass, to_line) == UINT64_MAX)
        return -EINVAL;
    int rc = poison_runs_add(&mc->runs, &mc->poison, &mc->scrub, fault_id, &fp, from_line, to_line, pass,
                             scrubber_line_time(&mc->scrub, pass, 0));
    if (rc == 0)
        mc->gen++;
    return rc;
}

static size_t bank_index(const struct mem_geometry *g, const struct dram_loc *l)
{
    return (((size_t)l->channel * g->dimms_per_channel + l->dimm) * g->ranks_per_dimm + l->rank) *
               g->banks_per_rank +
           l->bank;
}

uint64_t memctl_bank_ce(const struct memctl *mc, unsigned channel, unsigned dimm, unsigned rank, unsigned bank)
{
    const struct mem_geometry *g = &mc->map.g;
    if (channel >= g->channels || dimm >= g->dimms_per_channel || rank >= g->ranks_per_dimm ||
        bank >= g->banks_per_rank)
        return 0;
    struct dram_loc l = {.channel = channel, .dimm = dimm, .rank = rank, .bank = bank};
    uint64_t n = mc->bank_ce[bank_index(g, &l)];
    const struct mem_fault *f = mc->ce_run_id ? fault_map_get(&mc->faults, mc->ce_run_id) : NULL;
    struct fault_footprint fp;
    if (f && f->channel == channel && f->dimm == dimm && fault_map_footprint(&mc->faults, mc->ce_run_id, &fp)) {
        const struct addr_map *m = &mc->map;
        unsigned rs = addr_map_line_shift(m, AF_RANK), bs = addr_map_line_shift(m, AF_BANK);
        uint64_t rmask = addr_map_line_mask(m, AF_RANK), bmask = addr_map_line_mask(m, AF_BANK);
        n += footprint_count_lines_where(&fp, mc->ce_run_from, mc->ce_run_to, rmask | bmask,
                                         ((uint64_t)rank << rs) | ((uint64_t)bank << bs));
    }
    return n;
}

/* ---- reading a line through ECC ------------------------------------------- */

/* One trip through the decoder, as hardware would make it. */
struct line_check {
    enum ecc_truth truth;
    enum ecc_status hw;
    int device;
    unsigned faults;
    uint64_t fault_id;                  /* the one fault, when faults == 1 */
    struct fault_hits hits;             /* the faults on the line          */
    uint8_t derr[MEM_LINE_BYTES];       /* delivered XOR written data      */
    uint8_t eff[MEM_LINE_BYTES];        /* what the decode added to memory's data */
    bool as_decoded;                    /* derr = memory's delta XOR eff   */
};

static const uint8_t zero_line[MEM_LINE_BYTES];

/*
 * A DUE of twins - permanent faults whose footprints are the same lines -
 * is named for the first of them (0 when the line's faults are not such):
 * every line of one is a line of all, each a DUE alike, and the walk
 * moves their entries as one (scrub_lead_end), so a fold takes their
 * lines as a fault's (fold_start; fleet host 7668: two single-bank faults
 * in one bank, devices 3 and 8, four million DUEs in a day's last hours).
 * The heap orders a line's entries by id: the first is the walk's next.
 */
static uint64_t twins_first(const struct memctl *mc, const struct fault_hits *hits)
{
    struct fault_footprint a, b;
    if (hits->n > FAULT_HITS_MAX || !fault_map_footprint(&mc->faults, hits->id[0], &a))
        return 0;
    uint64_t first = hits->id[0];
    for (unsigned i = 0; i < hits->n; i++) {
        const struct mem_fault *f = fault_map_get(&mc->faults, hits->id[i]);
        if (!f || !f->permanent || !fault_map_footprint(&mc->faults, hits->id[i], &b) || b.key != a.key ||
            b.free != a.free || b.lines != a.lines)
            return 0;
        if (hits->id[i] < first)
            first = hits->id[i];
    }
    return first;
}

/*
 * A DUE of two faults, one strictly within the other's lines (fleet hosts
 * 3628, 9408: a column fault within a rank or bank fault, two devices a
 * line), is named for the inner one (0 when the line's faults are not
 * such): each of its lines is such a DUE, so its findings are its lines
 * (a fold takes them so, memctl_scrub_fold_set) and its poisoned lines
 * make a run (poison_runs_extend).
 */
static uint64_t nested_inner(const struct memctl *mc, const struct fault_hits *hits)
{
    struct fault_footprint a, b;
    if (hits->n != 2 || !fault_map_footprint(&mc->faults, hits->id[0], &a) ||
        !fault_map_footprint(&mc->faults, hits->id[1], &b))
        return 0;
    return footprint_nested(&a, &b) ? hits->id[1] : footprint_nested(&b, &a) ? hits->id[0] : 0;
}

/*
 * Memory holds written XOR delta (sdc_store), encoded, and the faults flip
 * err on the way out. The codes are linear, so the decoder delivers
 * written XOR delta XOR eff(err) with a status that depends on err alone
 * (ecc_memo.h): what software wrote never matters, only derr does.
 */
static void check_line(struct memctl *mc, uint64_t line, uint64_t now_ps, struct line_check *c)
{
    struct dram_line_bits err;
    c->faults = fault_map_line_errors(&mc->faults, line, now_ps, &err, &c->hits);
    c->fault_id = c->faults == 1 ? c->hits.id[0] : 0;
    struct ecc_line_result r;
    const uint8_t *eff = zero_line;
    if (c->faults == 0) {
        memset(&r, 0, sizeof(r)); /* nothing flipped: syndromes zero */
        r.codewords = mc->codec.codewords;
        for (unsigned k = 0; k < ECC_MAX_CODEWORDS; k++)
            r.cw_device[k] = -1;
    } else {
        eff = ecc_memo_decode(&mc->codec, &mc->memo, &err, &r);
    }
    uint8_t delta[MEM_LINE_BYTES];
    (void)sdc_store_get(&mc->sdc, line, delta);
    memcpy(c->eff, eff, MEM_LINE_BYTES);
    c->as_decoded = true;
    for (unsigned i = 0; i < MEM_LINE_BYTES; i++)
        c->derr[i] = (uint8_t)(eff[i] ^ delta[i]);
    c->hw = r.status;
    c->truth = ecc_line_truth(&mc->codec, zero_line, c->derr, &r);
    c->device = -1;
    for (unsigned k = 0; k < r.codewords && c->device < 0; k++)
        c->device = r.cw_device[k];
    if (c->faults > 1 && c->hw == ECC_DETECTED) {
        c->fault_id = twins_first(mc, &c->hits);
        if (!c->fault_id)
            c->fault_id = nested_inner(mc, &c->hits);
    }
}

/* The controller writes the data it decoded back: memory then holds it
 * (wrong data stays wrong, silently) and transient faults are healed.
 * Memory's delta grows by eff: on a line with one fault and no exact
 * entry that is a flip of the fault's run (sdc_store.h), which keeps a
 * wide fault's wrong lines a few flip points, not an entry each. */
static void write_back(struct memctl *mc, uint64_t line, const struct line_check *c, uint64_t now_ps)
{
    mc->gen++;
    struct fault_footprint fp;
    if (c->as_decoded && c->faults == 1 && !sdc_store_exact(&mc->sdc, line) &&
        fault_map_footprint(&mc->faults, c->fault_id, &fp)) {
        if (sdc_store_flip(&mc->sdc, c->fault_id, &fp, line, line, c->eff) != 0)
            (void)sdc_store_set(&mc->sdc, line, c->derr); /* out of memory: the wrong data may be forgotten */
    } else {
        (void)sdc_store_set(&mc->sdc, line, c->derr); /* out of memory: the wrong data is forgotten */
    }
    fault_map_line_written(&mc->faults, line, now_ps);
}

static void count_hw_ce(struct memctl *mc, uint64_t line)
{
    struct dram_loc l;
    addr_map_line_loc(&mc->map, line, &l);
    mc->bank_ce[bank_index(&mc->map.g, &l)]++;
}

/* Ledger entries shared by demand reads and scrubbing. */
static void ledger_truth(struct memctl_ledger *lg, enum ecc_truth t)
{
    switch (t) {
    case ECC_TRUTH_CORRECTED:
        lg->ce++;
        break;
    case ECC_TRUTH_DUE:
        lg->uc++;
        break;
    case ECC_TRUTH_MISCORRECTED:
        lg->sdc++;
        lg->miscorrected++;
        break;
    case ECC_TRUTH_UNDETECTED:
        lg->sdc++;
        lg->undetected++;
        break;
    default:
        break;
    }
}

/* The copy to the spare corrected the line: the spare holds it right. */
static void spare_holds_good_copy(struct line_check *c)
{
    c->truth = ECC_TRUTH_CLEAN;
    c->hw = ECC_CLEAN;
    c->device = -1;
    c->as_decoded = false;
    memset(c->derr, 0, sizeof(c->derr));
}

/* The old rank cannot correct the line: the mirror's copy (what the copy
 * read at copied_ps) answers, if it was right; hardware sees a CE. */
static void mirror_failover(struct memctl *mc, uint64_t line, uint64_t copied_ps, struct line_check *c)
{
    struct line_check m;
    check_line(mc, line, copied_ps, &m);
    if (m.truth != ECC_TRUTH_CLEAN && m.truth != ECC_TRUTH_CORRECTED)
        return;
    c->truth = ECC_TRUTH_CORRECTED;
    c->hw = ECC_CORRECTED;
    c->device = -1;
    c->as_decoded = false;
    memset(c->derr, 0, sizeof(c->derr));
}

int memctl_spare_rank(struct memctl *mc, uint64_t paddr, uint64_t now_ps, bool mirror)
{
    if (paddr >= mc->map.capacity)
        return -EINVAL;
    struct dram_loc loc;
    addr_map_line_loc(&mc->map, paddr >> MEM_LINE_SHIFT, &loc);
    mc->gen++;
    return spare_begin(&mc->spare, &mc->map, &loc, now_ps, mc->cfg.spare_line_ps, mirror);
}

bool memctl_copy_busy(const struct memctl *mc, uint64_t paddr, uint64_t now_ps)
{
    if (paddr >= mc->map.capacity)
        return false;
    struct dram_loc loc;
    addr_map_line_loc(&mc->map, paddr >> MEM_LINE_SHIFT, &loc);
    return spare_copying(&mc->spare, loc.channel, now_ps);
}

int memctl_read(struct memctl *mc, uint64_t paddr, uint64_t now_ps, struct memctl_read *r)
{
    if (paddr >= mc->map.capacity)
        return -1;
    uint64_t line = paddr >> MEM_LINE_SHIFT;
    memset(r, 0, sizeof(*r));
    r->line_addr = line << MEM_LINE_SHIFT;
    addr_map_line_loc(&mc->map, line, &r->loc);
    r->device = -1;
    mc->ledger.reads++;
    if (poisoned(mc, line)) {
        /* The poison mark answers before any decode. */
        r->was_poisoned = true;
        r->outcome = MEMCTL_UNCORRECTABLE;
        r->truth = ECC_TRUTH_DUE;
        r->hw_status = ECC_DETECTED;
        struct dram_line_bits err;
        r->faults = fault_map_line_errors(&mc->faults, line, now_ps, &err, NULL);
        mc->ledger.poison_consumed++;
        return 0;
    }
    uint64_t copied = 0;
    bool spared = spare_serves(&mc->spare, &mc->map, &r->loc, now_ps, &copied);
    bool mirrored = spared && mc->spare.mirror;
    struct line_check c;
    check_line(mc, line, spared && !mirrored ? copied : now_ps, &c);
    if (spared && !mirrored && c.truth == ECC_TRUTH_CORRECTED)
        spare_holds_good_copy(&c);
    if (mirrored && c.hw == ECC_DETECTED)
        mirror_failover(mc, line, copied, &c);
    r->truth = c.truth;
    r->hw_status = c.hw;
    r->outcome = outcome_of_truth[c.truth];
    r->device = c.device;
    r->faults = c.faults;
    for (unsigned i = 0; i < MEM_LINE_BYTES; i++)
        r->data_error[i] = c.derr[i];
    if (r->outcome == MEMCTL_CLEAN)
        return 0;
    mc->ledger.demand_found++;
    ledger_truth(&mc->ledger, c.truth);
    truth_note(mc, &c.hits, c.truth, 1, MEMCTL_FOUND_DEMAND, now_ps);
    if (c.hw == ECC_CORRECTED) {
        count_hw_ce(mc, line);
        if (!mc->cfg.no_demand_scrub)
            write_back(mc, line, &c, now_ps);
    }
    if (c.hw == ECC_DETECTED) {
        mc->gen++;
        (void)poison_mark(&mc->poison, paddr, now_ps);
    }
    return 0;
}

int memctl_write_line(struct memctl *mc, uint64_t paddr, uint64_t now_ps)
{
    if (paddr >= mc->map.capacity)
        return -1;
    uint64_t line = paddr >> MEM_LINE_SHIFT;
    mc->gen++;
    mc->ledger.writes++;
    bool was = poison_clear(&mc->poison, paddr);
    if (poison_runs_clear(&mc->runs, line) || was) {
        mc->ledger.poison_cleared++;
        const struct fault_footprint one = {.key = line, .free = 0, .lines = mc->map.lines};
        unpass_meeting(mc, &one); /* its fault's lines are no longer all poisoned */
    }
    sdc_store_clear(&mc->sdc, line);
    fault_map_line_written(&mc->faults, line, now_ps);
    return 0;
}

/* ---- patrol scrub ------------------------------------------------------------ */

/* Turn a visited line into a finding; false when there is nothing to report
 * (clean, or an error the decoder cannot see). */
static bool scrub_line(struct memctl *mc, const struct scrub_visit *v, struct memctl_scrub_event *ev)
{
    if (poisoned(mc, v->line))
        return false; /* already reported when it was poisoned */
    struct dram_loc loc;
    addr_map_line_loc(&mc->map, v->line, &loc);
    if (spare_serves(&mc->spare, &mc->map, &loc, v->time_ps, NULL))
        return false; /* the spare holds it now; the old rank is not scrubbed */
    struct line_check c;
    check_line(mc, v->line, v->time_ps, &c);
    if (c.hw == ECC_CLEAN)
        return false;
    memset(ev, 0, sizeof(*ev));
    ev->time_ps = v->time_ps;
    ev->addr = v->addr;
    addr_map_line_loc(&mc->map, v->line, &ev->loc);
    ev->truth = c.truth;
    ev->device = c.device;
    ev->fault_id = c.fault_id;
    ev->folded = 0;
    ev->misc = MEMCTL_MISC_LINE_PHYS;
    mc->ledger.scrub_found++;
    truth_note(mc, &c.hits, c.hw == ECC_DETECTED ? ECC_TRUTH_DUE : c.truth, 1, MEMCTL_FOUND_SCRUB, v->time_ps);
    if (c.hw == ECC_DETECTED) {
        mc->gen++;
        /* a wide fault's poisoned lines a run a pass (poison_runs_extend) */
        struct fault_footprint fp;
        if (!c.fault_id || !fault_map_footprint(&mc->faults, c.fault_id, &fp) || fp.free == 0 ||
            poison_runs_extend(&mc->runs, &mc->poison, &mc->scrub, c.fault_id, &fp, v->line, v->pass,
                               scrubber_line_time(&mc->scrub, v->pass, 0), v->time_ps) != 0)
            (void)poison_mark(&mc->poison, v->addr, v->time_ps);
        mc->ledger.uc++;
        ev->outcome = MEMCTL_UNCORRECTABLE;
        ev->status = memctl_srao_scrub_status(ev->loc.channel);
        return true;
    }
    /* Corrected (rightly or not): written back and logged as a CE. */
    count_hw_ce(mc, v->line);
    write_back(mc, v->line, &c, v->time_ps);
    ev->status = memctl_ce_status(ev->loc.channel, true);
    if (c.truth == ECC_TRUTH_CORRECTED) {
        mc->ledger.ce++;
        ev->outcome = MEMCTL_CORRECTED;
    } else {
        mc->ledger.scrub_miscorrected++;
        ev->outcome = MEMCTL_SDC;
    }
    return true;
}

/* Fault id's error on its own decodes clean (a 4-bit device error that is
 * a SECDED codeword, say): its lines give the decoder nothing to see, so
 * a line only it covers can never be a finding (scrub_line). */
static bool fault_silent(struct memctl *mc, uint64_t id)
{
    struct dram_line_bits err;
    struct ecc_line_result r;
    if (id == mc->silent_id)
        return mc->silent;
    if (!fault_map_fault_errors(&mc->faults, id, &err))
        return false;
    (void)ecc_memo_decode(&mc->codec, &mc->memo, &err, &r);
    mc->silent_id = id;
    mc->silent = r.status == ECC_CLEAN;
    return mc->silent;
}

/* The walk's next line and its fault (false: none), and where the
 * fault's stretch of lines that scrub_line would pass without a finding,
 * whatever they hold, ends: *stop, its next line that is not one
 * (FAULT_NO_LINE for none), or *line itself when the next line is not
 * one. Such lines: a poison run's (poison_runs.h), or a silent fault's.
 * Lines another fault also covers end the stretch where the walk reaches
 * them (scrub_others_first). */
static bool walk_next(struct memctl *mc, uint64_t *line, uint64_t *id, uint64_t *stop)
{
    struct fault_footprint fp;
    if (!scrub_peek(&mc->scrub, &mc->faults, line, id))
        return false;
    *stop = *line;
    if (fault_silent(mc, *id))
        *stop = FAULT_NO_LINE;
    else if (mc->runs.n && fault_map_footprint(&mc->faults, *id, &fp))
        *stop = poison_runs_stretch_end(&mc->runs, &fp, *line);
    return true;
}

/* Pass the walk's next lines, due by until_ps, of its stretch (walk_next)
 * in one step: only the visits count. */
static bool pass_stretch(struct memctl *mc, uint64_t until_ps, uint64_t line, uint64_t id, uint64_t stop)
{
    uint64_t last, last_ps;
    if (stop == line)
        return false;
    uint64_t n = scrub_fold(&mc->scrub, &mc->faults, id, until_ps, stop, &last, &last_ps);
    note_passed(mc, n);
    return n > 0;
}

/* Every line of fault fp is poisoned (looked for among at most
 * PASSIVE_SCAN_MAX lines poisoned one by one, not in a run). */
#define PASSIVE_SCAN_MAX 1024u

static bool all_poisoned(const struct memctl *mc, const struct fault_footprint *fp)
{
    uint64_t line = footprint_next_line(fp, 0);
    for (unsigned k = 0; line != FAULT_NO_LINE; k++) {
        uint64_t end = mc->runs.n ? poison_runs_stretch_end(&mc->runs, fp, line) : line;
        if (end == FAULT_NO_LINE)
            return true;
        if (k == PASSIVE_SCAN_MAX || !poisoned(mc, end))
            return false;
        line = end + 1 < fp->lines ? footprint_next_line(fp, end + 1) : FAULT_NO_LINE;
    }
    return true;
}

bool memctl_footprint_poisoned(const struct memctl *mc, const struct fault_footprint *fp)
{
    return all_poisoned(mc, fp);
}

/* Fault id can leave the walk (scrub_passive.h): none of its lines can
 * be a finding (silent, or all poisoned: a write that unpoisons one
 * brings it back), and no other fault meets its lines (a new one brings
 * it back: unpass_meeting). A transient fault only when all poisoned: a
 * write heals or removes one, and its lines' visits must be counted up
 * to then - the write unpoisons the line first (memctl_write_line), which
 * brings it back into the walk. A silent transient stays: a write to its
 * line may remove it with nothing to bring it back first. */
static bool passive_ok(struct memctl *mc, uint64_t id)
{
    const struct mem_fault *f = fault_map_get(&mc->faults, id);
    struct fault_footprint fp, other, o;
    if (!f || !fault_map_footprint(&mc->faults, id, &fp) ||
        (!(f->permanent && fault_silent(mc, id)) && !all_poisoned(mc, &fp)))
        return false;
    size_t pos = 0;
    uint64_t oid;
    const struct mem_fault *of;
    while (fault_map_iter(&mc->faults, &pos, &oid, &of))
        if (oid != id && fault_map_footprint(&mc->faults, oid, &other) && footprint_intersect(&fp, &other, &o))
            return false;
    return true;
}

/* The walk's next line (walk_next) is a passive-to-be fault's: take it
 * out of the walk (true). Looked at where the walk meets a line it would
 * pass anyway (a stretch of them, or a line poisoned on its own), and not
 * again for the same fault until something changes (gen). */
static bool settle_passive(struct memctl *mc, uint64_t line, uint64_t id, uint64_t stop)
{
    if ((stop == line && !poison_test(&mc->poison, line << MEM_LINE_SHIFT)) ||
        (id == mc->passive_no_id && mc->gen == mc->passive_no_gen))
        return false;
    if (!passive_ok(mc, id) || scrubber_pass_top(&mc->scrub, &mc->faults) != 0) {
        mc->passive_no_id = id;
        mc->passive_no_gen = mc->gen;
        return false;
    }
    return true;
}

bool memctl_scrub(struct memctl *mc, uint64_t until_ps, struct memctl_scrub_event *ev)
{
    if (mc->cfg.scrub_disabled)
        return false;
    struct scrub_visit v;
    for (;;) {
        uint64_t line, id, stop;
        if (walk_next(mc, &line, &id, &stop) &&
            (settle_passive(mc, line, id, stop) || pass_stretch(mc, until_ps, line, id, stop)))
            continue;
        if (!scrub_step(&mc->scrub, &mc->faults, until_ps, &v)) {
            note_passed(mc, scrubber_count_passive(&mc->scrub, &mc->faults, until_ps));
            return false;
        }
        mc->ledger.scrub_visits++;
        if (scrub_line(mc, &v, ev))
            return true;
    }
}

/* The first line >= from of fault id's footprint that has state of its own
 * (poisoned, or a heal time), or whose data differs from from's (memory's
 * delta, sdc_store.h: from holds right data, and a line holds wrong data;
 * from holds wrong data, and a run's flip point or an exact entry comes),
 * or UINT64_MAX. Poisoned lines are taken in line order (poison_next_line)
 * up to FOLD_SCAN_MAX of other faults' before one of this fault's, where
 * the answer stops as if special (a fold ends there, the next goes on;
 * fleet host 770: a wide UC fault's real rounds poison their lines one by
 * one, past 4,096 of them a scan of every mark gave up and no fold started
 * again). Heal times are looked through while they are few; with many,
 * *many is set. Runs cost nothing per line. */
#define FOLD_SCAN_MAX 4096u

static bool in_any(const struct fault_footprint *fp, unsigned n, uint64_t line)
{
    for (unsigned i = 0; i < n; i++)
        if (footprint_covers(&fp[i], line))
            return true;
    return false;
}

/* skip[0..nskip): footprints of faults nested in id's whose poisoned lines
 * a fold passes (memctl_scrub_fold_set's holes): not special. */
static uint64_t first_special(const struct memctl *mc, uint64_t id, uint64_t from, bool *many,
                              const struct fault_footprint *skip, unsigned nskip)
{
    uint64_t first = UINT64_MAX;
    unsigned others = 0;
    for (uint64_t l = poison_next_line(&mc->poison, from); l != UINT64_MAX; l = poison_next_line(&mc->poison, l + 1))
        if ((fault_map_covers(&mc->faults, id, l) && !in_any(skip, nskip, l)) || ++others >= FOLD_SCAN_MAX) {
            first = l;
            break;
        }
    *many = u64map_count(&mc->faults.healed) > FOLD_SCAN_MAX;
    if (*many)
        return first;
    size_t pos = 0;
    uint64_t line, v;
    while (u64map_iter(&mc->faults.healed, &pos, &line, &v)) /* the exact entries: below */
        if (line >= from && line < first && fault_map_covers(&mc->faults, id, line))
            first = line;
    struct fault_footprint fp;
    uint8_t d[MEM_LINE_BYTES];
    if (!fault_map_footprint(&mc->faults, id, &fp))
        return first;
    uint64_t in_run = poison_runs_first_except(&mc->runs, &fp, from, skip, nskip);
    if (in_run < first)
        first = in_run;
    uint64_t healed = fault_map_heal_next(&mc->faults, id, from); /* a transient's healed stretch */
    if (healed < first)
        first = healed;
    uint64_t other;
    if (!sdc_store_get(&mc->sdc, from, d)) {
        other = sdc_store_first(&mc->sdc, &fp, from); /* lines holding wrong data */
    } else {
        other = sdc_store_next_flip(&mc->sdc, &fp, from);
        uint64_t exact = sdc_store_first_exact(&mc->sdc, &fp, from);
        if (exact < other)
            other = exact;
    }
    return other < first ? other : first;
}

/* Count the CEs of fault id's lines in [from, to) in their DRAM banks:
 * per rank and bank the footprint reaches, in one count when the free rank
 * and bank bits are at most FOLD_FIELD_BITS (else a count per bank). */
#define FOLD_FIELD_BITS 8u

static void add_fold_ce_signed(struct memctl *mc, const struct mem_fault *f, uint64_t id, uint64_t from, uint64_t to,
                               bool sub);

static void add_fold_ce(struct memctl *mc, const struct mem_fault *f, uint64_t id, uint64_t from, uint64_t to)
{
    add_fold_ce_signed(mc, f, id, from, to, false);
}

/* sub: taken off instead (the lines of a fault nested in a folded one's,
 * which are not its CEs, memctl_scrub_fold_set); a counter may so go
 * below what a pending run of the outer fault adds back (modulo 2^64). */
static void add_fold_ce_signed(struct memctl *mc, const struct mem_fault *f, uint64_t id, uint64_t from, uint64_t to,
                               bool sub)
{
    const uint64_t sign = sub ? UINT64_MAX : 1u;
    const struct addr_map *m = &mc->map;
    const struct mem_geometry *g = &m->g;
    struct fault_footprint fp;
    if (!fault_map_footprint(&mc->faults, id, &fp))
        return;
    unsigned rs = addr_map_line_shift(m, AF_RANK), bs = addr_map_line_shift(m, AF_BANK);
    uint64_t rmask = addr_map_line_mask(m, AF_RANK), bmask = addr_map_line_mask(m, AF_BANK);
    /* Only the ranks and banks the footprint can reach (a pinned field has
     * one value). */
    bool rank_free = (fp.free & rmask) != 0, bank_free = (fp.free & bmask) != 0;
    unsigned r0 = rank_free ? 0 : (unsigned)((fp.key & rmask) >> rs);
    unsigned b0 = bank_free ? 0 : (unsigned)((fp.key & bmask) >> bs);
    unsigned r1 = rank_free ? g->ranks_per_dimm : r0 + 1u, b1 = bank_free ? g->banks_per_rank : b0 + 1u;
    if (!rank_free && !bank_free) {
        struct dram_loc l = {.channel = f->channel, .dimm = f->dimm, .rank = r0, .bank = b0};
        mc->bank_ce[bank_index(g, &l)] += sign * footprint_count_lines(&fp, from, to);
        return;
    }
    uint64_t cnt[1u << FOLD_FIELD_BITS];
    if (footprint_count_by_field(&fp, from, to, rmask | bmask, FOLD_FIELD_BITS, cnt)) {
        unsigned groups = 1u << bits_popcount64(fp.free & (rmask | bmask));
        for (unsigned t = 0; t < groups; t++) {
            if (!cnt[t])
                continue;
            uint64_t v = footprint_field_value(&fp, rmask | bmask, t);
            struct dram_loc l = {.channel = f->channel, .dimm = f->dimm, .rank = (unsigned)((v & rmask) >> rs),
                                 .bank = (unsigned)((v & bmask) >> bs)};
            mc->bank_ce[bank_index(g, &l)] += sign * cnt[t];
        }
        return;
    }
    for (unsigned r = r0; r < r1; r++)
        for (unsigned b = b0; b < b1; b++) {
            uint64_t val = ((uint64_t)r << rs) | ((uint64_t)b << bs);
            uint64_t k = footprint_count_lines_where(&fp, from, to, rmask | bmask, val);
            struct dram_loc l = {.channel = f->channel, .dimm = f->dimm, .rank = r, .bank = b};
            mc->bank_ce[bank_index(g, &l)] += sign * k;
        }
}

/* The pending run of folded CEs into bank_ce. */
static void flush_ce_run(struct memctl *mc)
{
    const struct mem_fault *f = mc->ce_run_id ? fault_map_get(&mc->faults, mc->ce_run_id) : NULL;
    if (f)
        add_fold_ce(mc, f, mc->ce_run_id, mc->ce_run_from, mc->ce_run_to);
    mc->ce_run_id = 0;
}

/* The CEs of a fold of fault id's lines in [from, to): the bank counters
 * add up over a pass, so consecutive folds of one fault with none of its
 * lines between them (a single finding of one would be) make one run,
 * counted per DRAM bank when another run starts (or the fault goes):
 * once a pass instead of once a fold. */
static void count_fold_ce(struct memctl *mc, uint64_t id, const struct fault_footprint *fp, uint64_t from,
                          uint64_t to)
{
    if (mc->ce_run_id == id && from >= mc->ce_run_to && footprint_next_line(fp, mc->ce_run_to) >= from) {
        mc->ce_run_to = to;
        return;
    }
    flush_ce_run(mc);
    mc->ce_run_id = id;
    mc->ce_run_from = from;
    mc->ce_run_to = to;
}

/*
 * fold_start's answer for the walk's next line `line` is the one it gave
 * at memo.from when nothing it reads changed since (gen), the finding is
 * the same (fault, outcome, device) and line lies in [from, stop):
 * - stop: no line of [from, line) has state of its own or other data
 *   (else stop would be at or below it), so the first such line at or
 *   after line is the one after from, and so is the first exact entry;
 * - the line check: a line's error bits are its faults' masks (apply(),
 *   not the line's place), its data the delta, and line holds from's
 *   delta (no flip before stop). Its faults are like's alone unless
 *   another fault arrived by like's time covers it; such a fault has a
 *   heap entry at or below line (it joined the pass where the walk stood
 *   at its arrival, before line), so the memo is not used when another
 *   entry waits at line (scrub_others_first).
 */
static bool memo_holds(const struct memctl *mc, const struct memctl_scrub_event *like, uint64_t id, uint64_t line)
{
    const struct memctl_fold_memo *mm = &mc->fold_memo;
    return mm->valid && mm->gen == mc->gen && mm->id == id && mm->outcome == like->outcome &&
           mm->device == like->device && mm->from <= line && line < mm->stop &&
           scrub_others_first(&mc->scrub) > line;
}

/* What a fold after `like` starts from: the fault's id (0 when there is
 * nothing to fold), the walk's next line, *stop (the fault's first line
 * with state of its own), *eff (what each write-back adds to memory's
 * data: zero after a right correction of right data) and *after (the
 * delta each folded line holds then). */
static uint64_t fold_start(struct memctl *mc, const struct memctl_scrub_event *like, uint64_t *line,
                           uint64_t *stop, uint8_t eff[MEM_LINE_BYTES], uint8_t after[MEM_LINE_BYTES],
                           struct fault_hits *group)
{
    if (mc->cfg.scrub_disabled || !like->fault_id ||
        (like->outcome != MEMCTL_CORRECTED && like->outcome != MEMCTL_SDC && like->outcome != MEMCTL_UNCORRECTABLE))
        return 0;
    const struct mem_fault *f = fault_map_get(&mc->faults, like->fault_id);
    uint64_t top;
    /* a transient fault's lines stay as they are until written: the
     * scrubber writes no DUE back, so its UC lines fold as a permanent's;
     * a correction written back heals the line, so its CE lines fold as
     * a permanent's up to a line healed already (first_special), and the
     * fold heals them (memctl_scrub_fold) */
    if (!f || !scrub_peek(&mc->scrub, &mc->faults, line, &top) || top != like->fault_id)
        return 0;
    *group = (struct fault_hits){.n = 1, .id = {top}}; /* the line's faults */
    if (mc->spare.used && mc->spare.channel == f->channel)
        return 0; /* lines the spare's copy reaches are not scrubbed (scrub_line): line by line there */
    if (memo_holds(mc, like, top, *line)) {
        const struct memctl_fold_memo *mm = &mc->fold_memo;
        *stop = mm->stop;
        memcpy(eff, mm->eff, MEM_LINE_BYTES);
        memcpy(after, mm->after, MEM_LINE_BYTES);
        return top;
    }
    bool many;
    *stop = first_special(mc, top, *line, &many, NULL, 0);
    if (many)
        return 0;
    /* The next line must give like's finding (it does when it is like's
     * kind of line: one permanent fault, the same data - right, or wrong
     * by the same delta; like's own line may have been another kind), and
     * every line up to *stop then gives the same. A write-back's run flip
     * must reach every folded line: none with an exact entry. */
    struct fault_footprint fp;
    struct line_check c;
    if (*line >= *stop || !fault_map_footprint(&mc->faults, top, &fp))
        return 0;
    check_line(mc, *line, like->time_ps, &c);
    /* a DUE's truth is the detection; a correction's, right or wrong */
    bool due = like->outcome == MEMCTL_UNCORRECTABLE;
    enum ecc_truth want = like->outcome == MEMCTL_SDC ? ECC_TRUTH_MISCORRECTED : ECC_TRUTH_CORRECTED;
    /* one fault's line, or a DUE of twins (check_line names it for the
     * first, the walk's next entry) */
    if ((c.faults != 1 && !due) || c.fault_id != top || c.hw != (due ? ECC_DETECTED : ECC_CORRECTED) ||
        (!due && c.truth != want) || c.device != like->device)
        return 0;
    *group = c.hits;
    /* a DUE is not written back (scrub_line poisons it): memory's data
     * stays as it is */
    memcpy(eff, due ? zero_line : c.eff, MEM_LINE_BYTES);
    memcpy(after, c.derr, MEM_LINE_BYTES); /* memory's delta XOR eff */
    if (memcmp(eff, zero_line, MEM_LINE_BYTES) != 0) {
        uint64_t exact = sdc_store_first_exact(&mc->sdc, &fp, *line);
        if (exact < *stop)
            *stop = exact;
    }
    struct memctl_fold_memo *mm = &mc->fold_memo;
    *mm = (struct memctl_fold_memo){.valid = true, .gen = mc->gen, .id = top, .from = *line, .stop = *stop,
                                    .outcome = like->outcome, .device = like->device};
    memcpy(mm->eff, eff, MEM_LINE_BYTES);
    memcpy(mm->after, after, MEM_LINE_BYTES);
    return top;
}

uint64_t memctl_scrub_fold_horizon(struct memctl *mc, const struct memctl_scrub_event *like, uint64_t k,
                                   bool *writes)
{
    uint64_t line, stop;
    uint8_t eff[MEM_LINE_BYTES], after[MEM_LINE_BYTES];
    struct fault_hits group;
    uint64_t id = fold_start(mc, like, &line, &stop, eff, after, &group);
    if (writes)
        *writes = id && memcmp(eff, zero_line, MEM_LINE_BYTES) != 0;
    if (!id)
        return memctl_scrub_next_time(mc);
    return scrub_fold_horizon(&mc->scrub, &mc->faults, id, stop, k);
}

uint64_t memctl_scrub_fold_count(struct memctl *mc, const struct memctl_scrub_event *like)
{
    uint64_t line, stop;
    uint8_t eff[MEM_LINE_BYTES], after[MEM_LINE_BYTES];
    struct fault_hits group;
    uint64_t id = fold_start(mc, like, &line, &stop, eff, after, &group);
    return id ? scrub_fold_count(&mc->scrub, &mc->faults, id, stop) : 0;
}

uint64_t memctl_scrub_fold(struct memctl *mc, uint64_t until_ps, const struct memctl_scrub_event *like,
                           uint64_t *last_ps)
{
    uint64_t line, stop, next_id;
    uint8_t eff[MEM_LINE_BYTES], after[MEM_LINE_BYTES];
    /* Nothing due yet (scrub_fold would fold nothing): the common case
     * right after a finding, so the fold's checks wait until a line is. */
    if (mc->cfg.scrub_disabled || !scrub_peek(&mc->scrub, &mc->faults, &line, &next_id) ||
        !ps_due(scrubber_line_time(&mc->scrub, mc->scrub.pass_base + mc->scrub.pass, line), until_ps))
        return 0;
    struct fault_hits group;
    uint64_t top = fold_start(mc, like, &line, &stop, eff, after, &group);
    if (!top)
        return 0;
    struct fault_footprint fp;
    if (!fault_map_footprint(&mc->faults, top, &fp))
        return 0;
    uint64_t last, pass = mc->scrub.pass_base + mc->scrub.pass;
    uint64_t n = scrub_fold(&mc->scrub, &mc->faults, top, until_ps, stop, &last, last_ps);
    if (n == 0)
        return 0;
    if (like->outcome == MEMCTL_UNCORRECTABLE) {
        /* What scrub_line does for each DUE: poisoned when the walk
         * reached it, reported (a round of its own: the caller, the round
         * fold, counts the rounds), never written back. */
        mc->gen++;
        if (memctl_poison_run(mc, top, line, last, pass) != 0) /* out of memory, say: line by line */
            for (uint64_t l = line; l <= last && l != FAULT_NO_LINE; l = footprint_next_line(&fp, l + 1u))
                (void)poison_mark(&mc->poison, l << MEM_LINE_SHIFT, scrubber_line_time(&mc->scrub, pass, l));
        mc->ledger.scrub_visits += n;
        mc->ledger.scrub_found += n;
        mc->ledger.folded += n;
        mc->ledger.uc += n;
        truth_note(mc, &group, ECC_TRUTH_DUE, n, MEMCTL_FOUND_SCRUB, *last_ps); /* each of its faults' (twins) */
        return n;
    }
    /* What scrub_line does for each of them: a CE counted in its DRAM
     * bank (a miscorrection is a CE to hardware) and the decoded data
     * written back: memory's data moves by eff - nothing after a right
     * correction of right data (a permanent fault stays), wrong data
     * after a miscorrection, right data again after a correction of the
     * wrong data an earlier miscorrection left. */
    count_fold_ce(mc, top, &fp, line, last + 1u);
    const struct mem_fault *f = fault_map_get(&mc->faults, top);
    if (f && !f->permanent)
        flush_ce_run(mc); /* the heal below may remove the fault its count needs: no run pending */
    mc->ledger.scrub_visits += n;
    mc->ledger.scrub_found += n;
    mc->ledger.folded += n;
    struct fault_hits one = {.n = 1, .id = {top}};
    if (memcmp(eff, zero_line, MEM_LINE_BYTES) != 0)
        mc->gen++; /* memory's data moves */
    if (sdc_store_flip(&mc->sdc, top, &fp, line, last, eff) != 0)
        for (uint64_t l = line; l <= last && l != FAULT_NO_LINE; l = footprint_next_line(&fp, l + 1u))
            (void)sdc_store_set(&mc->sdc, l, after); /* out of memory: as line by line */
    if (like->outcome == MEMCTL_SDC) {
        mc->ledger.scrub_miscorrected += n;
        truth_note(mc, &one, ECC_TRUTH_MISCORRECTED, n, MEMCTL_FOUND_SCRUB, *last_ps);
    } else {
        mc->ledger.ce += n;
        truth_note(mc, &one, ECC_TRUTH_CORRECTED, n, MEMCTL_FOUND_SCRUB, *last_ps);
    }
    if (f && !f->permanent) { /* written back: a transient fault's lines healed */
        mc->gen++;
        (void)fault_map_heal_stretch(&mc->faults, top, line, last, n);
    }
    return n;
}

/*
 * A set fold's faults: the likes' (ids[0..n), fp), then with holes the
 * faults strictly within a corrected like's lines (fleet hosts 3628, 9408:
 * a column fault in a rank or bank fault's lines), whose lines, once
 * poisoned, the walk visits without a finding (scrub_line). *m: how many
 * in all; false when they are more than SCRUB_FOLD_SET_MAX.
 */
static bool fold_set_faults(const struct memctl *mc, const struct memctl_scrub_event *likes, unsigned n, bool holes,
                            uint64_t *ids, struct fault_footprint *fp, unsigned *m)
{
    *m = n;
    for (unsigned i = 0; i < n; i++)
        if (!fault_map_footprint(&mc->faults, ids[i], &fp[i]))
            return false;
    if (!holes)
        return true;
    size_t pos = 0;
    uint64_t id;
    const struct mem_fault *f;
    while (fault_map_iter(&mc->faults, &pos, &id, &f)) {
        struct fault_footprint h;
        bool listed = false, within = false;
        for (unsigned i = 0; i < *m && !listed; i++)
            listed = ids[i] == id;
        if (listed || !fault_map_footprint(&mc->faults, id, &h))
            continue;
        for (unsigned i = 0; i < n && !within; i++)
            within = likes[i].outcome == MEMCTL_CORRECTED && footprint_nested(&fp[i], &h);
        if (!within)
            continue;
        if (*m == SCRUB_FOLD_SET_MAX)
            return false;
        ids[*m] = id;
        fp[(*m)++] = h;
    }
    return true;
}

bool memctl_fold_nested(const struct memctl *mc, const struct memctl_scrub_event *like, uint64_t *ids,
                        struct fault_footprint *fp, unsigned *m)
{
    ids[0] = like->fault_id;
    return like->outcome == MEMCTL_CORRECTED && fold_set_faults(mc, like, 1, true, ids, fp, m);
}

/* Fault i of the set lies strictly within fault j's lines. */
static bool set_within(const struct fault_footprint *fp, unsigned i, unsigned j)
{
    return i != j && footprint_nested(&fp[j], &fp[i]);
}

/* The footprints of the set's faults within fault i's: *k of them. */
static void set_nested(const struct fault_footprint *fp, unsigned m, unsigned i, struct fault_footprint *out,
                       unsigned *k)
{
    *k = 0;
    for (unsigned j = 0; j < m; j++)
        if (set_within(fp, j, i))
            out[(*k)++] = fp[j];
}

/*
 * Where a set fold must stop within fault i's lines, its entry at from:
 * for a hole - a fault nested in a like's, no like's or a DUE like's,
 * whose lines from there are poisoned as runs (*hole) - its first line
 * not poisoned; for another nested fault that is no like's, from (its
 * finding); for a like, from when faults nest in a like that is no
 * correction, else its first line with state of its own (first_special,
 * its nested faults' poisoned lines passed).
 */
static uint64_t set_stop(const struct memctl *mc, const struct memctl_scrub_event *likes, unsigned n,
                         const uint64_t *ids, const struct fault_footprint *fp, unsigned m, unsigned i, uint64_t from,
                         bool *hole)
{
    bool nest = false;
    for (unsigned j = 0; j < m && !nest; j++)
        nest = set_within(fp, i, j);
    const uint64_t poisoned_to = mc->runs.n ? poison_runs_stretch_end(&mc->runs, &fp[i], from) : from;
    *hole = nest && (i >= n || likes[i].outcome == MEMCTL_UNCORRECTABLE) && poisoned_to != from;
    if (*hole)
        return poisoned_to;
    if (i >= n)
        return from;
    struct fault_footprint in[SCRUB_FOLD_SET_MAX];
    unsigned nin;
    set_nested(fp, m, i, in, &nin);
    if (nin && likes[i].outcome != MEMCTL_CORRECTED)
        return from;
    bool many;
    const uint64_t special = first_special(mc, ids[i], from, &many, in, nin);
    return many ? from : special;
}

uint64_t memctl_scrub_fold_set(struct memctl *mc, uint64_t until_ps, const struct memctl_scrub_event *likes,
                               unsigned n, bool holes, bool dry, uint64_t *last_ps)
{
    if (mc->cfg.scrub_disabled || n == 0 || n > MEMCTL_FOLD_SET_MAX)
        return 0;
    uint64_t ids[SCRUB_FOLD_SET_MAX], from[SCRUB_FOLD_SET_MAX], count[SCRUB_FOLD_SET_MAX];
    struct fault_footprint fp[SCRUB_FOLD_SET_MAX];
    for (unsigned i = 0; i < n; i++) {
        const struct mem_fault *f = fault_map_get(&mc->faults, likes[i].fault_id);
        /* (with holes, a transient's DUEs too: not written back, they stay
         * as a permanent's until a write heals one, first_special) */
        if (!f || (!f->permanent && !(holes && likes[i].outcome == MEMCTL_UNCORRECTABLE)) ||
            (likes[i].outcome != MEMCTL_CORRECTED && likes[i].outcome != MEMCTL_UNCORRECTABLE &&
             likes[i].outcome != MEMCTL_SDC) ||
            (mc->spare.used && mc->spare.channel == f->channel))
            return 0;
        for (unsigned j = 0; j < i; j++)
            if (ids[j] == likes[i].fault_id)
                return 0;
        ids[i] = likes[i].fault_id;
    }
    unsigned m;
    if (!fold_set_faults(mc, likes, n, holes, ids, fp, &m))
        return 0;
    uint64_t visits = scrub_fold_set(&mc->scrub, &mc->faults, ids, m, until_ps, true, from, count, last_ps);
    if (visits == 0)
        return 0;
    /* each fault's lines give its like's finding: a right correction (of
     * right data, nothing written changes; or of the wrong data an earlier
     * miscorrection left, each line written back alike: eff), a
     * miscorrection (each line written back wrong alike), or a DUE
     * (nothing written back), nothing of their own on them; but lines of
     * a fault nested in a like's are that fault's: a DUE of both (named
     * for it, check_line), or poisoned, a visit only (a hole: a nested
     * fault's lines all so, or none) */
    uint8_t eff[MEMCTL_FOLD_SET_MAX][MEM_LINE_BYTES], after[MEMCTL_FOLD_SET_MAX][MEM_LINE_BYTES];
    uint64_t own[SCRUB_FOLD_SET_MAX] = {0}, last[SCRUB_FOLD_SET_MAX] = {0}, finds = 0;
    bool hole[SCRUB_FOLD_SET_MAX] = {false}, nested[SCRUB_FOLD_SET_MAX] = {false};
    for (unsigned i = 0; i < m; i++) {
        if (!count[i])
            continue;
        last[i] = footprint_nth_line(&fp[i], from[i], count[i] - 1u);
        own[i] = count[i];
        for (unsigned j = 0; j < m; j++) {
            if (!set_within(fp, j, i))
                continue;
            for (unsigned k = 0; k < m; k++)
                if (set_within(fp, k, j))
                    return 0; /* nested twice: not this */
            own[i] -= count[j];
            nested[j] = true;
        }
    }
    for (unsigned i = 0; i < m; i++) {
        if (!count[i])
            continue;
        if (set_stop(mc, likes, n, ids, fp, m, i, from[i], &hole[i]) <= last[i])
            return 0;
        if (hole[i])
            continue;
        finds += own[i];
        if (!own[i])
            continue;
        /* a line of its own (not a nested fault's) to check */
        struct fault_footprint in[SCRUB_FOLD_SET_MAX];
        unsigned nin;
        set_nested(fp, m, i, in, &nin);
        uint64_t l = from[i];
        for (unsigned tries = 0; l != FAULT_NO_LINE && in_any(in, nin, l); tries++)
            l = tries < 64 && l < last[i] ? footprint_next_line(&fp[i], l + 1u) : FAULT_NO_LINE;
        if (l == FAULT_NO_LINE)
            return 0;
        struct line_check c;
        check_line(mc, l, likes[i].time_ps, &c);
        bool due = likes[i].outcome == MEMCTL_UNCORRECTABLE;
        enum ecc_truth want = likes[i].outcome == MEMCTL_SDC ? ECC_TRUTH_MISCORRECTED : ECC_TRUTH_CORRECTED;
        if (c.fault_id != ids[i] || (c.faults != 1 && !(due && nested[i])) || c.device != likes[i].device ||
            (due ? c.hw != ECC_DETECTED : c.hw != ECC_CORRECTED || c.truth != want))
            return 0;
        /* as fold_start: every line up to first_special holds the same
         * delta, so decodes and is written back as from[i] is; a run flip
         * must reach each, none with an exact entry, and none of a nested
         * fault's (no data moves where faults nest) */
        memcpy(eff[i], due ? zero_line : c.eff, MEM_LINE_BYTES);
        memcpy(after[i], c.derr, MEM_LINE_BYTES);
        if (memcmp(eff[i], zero_line, MEM_LINE_BYTES) != 0 &&
            (nin || sdc_store_first_exact(&mc->sdc, &fp[i], from[i]) <= last[i]))
            return 0;
    }
    if (dry || finds == 0)
        return finds;
    const uint64_t pass = mc->scrub.pass_base + mc->scrub.pass;
    if (scrub_fold_set(&mc->scrub, &mc->faults, ids, m, until_ps, false, from, count, last_ps) != visits)
        return 0;
    for (unsigned i = 0; i < n; i++) {
        if (!count[i] || hole[i])
            continue;
        if (likes[i].outcome == MEMCTL_UNCORRECTABLE) {
            /* as memctl_scrub_fold's DUEs: poisoned as the walk reached
             * them; a nested fault's, a DUE of the faults it lies in too */
            struct fault_hits group = {.n = 1, .id = {ids[i]}};
            for (unsigned j = 0; j < m && group.n < FAULT_HITS_MAX; j++)
                if (set_within(fp, i, j))
                    group.id[group.n++] = ids[j];
            mc->gen++;
            if (memctl_poison_run(mc, ids[i], from[i], last[i], pass) != 0)
                for (uint64_t l = from[i]; l <= last[i] && l != FAULT_NO_LINE; l = footprint_next_line(&fp[i], l + 1u))
                    (void)poison_mark(&mc->poison, l << MEM_LINE_SHIFT, scrubber_line_time(&mc->scrub, pass, l));
            mc->ledger.uc += count[i];
            truth_note(mc, &group, ECC_TRUTH_DUE, count[i], MEMCTL_FOUND_SCRUB, *last_ps);
            continue;
        }
        struct fault_hits one = {.n = 1, .id = {ids[i]}};
        count_fold_ce(mc, ids[i], &fp[i], from[i], last[i] + 1u);
        const struct mem_fault *fi = fault_map_get(&mc->faults, ids[i]);
        for (unsigned j = 0; j < m; j++) /* the nested faults' lines are no CEs of its */
            if (count[j] && set_within(fp, j, i))
                add_fold_ce_signed(mc, fi, ids[j], from[j], last[j] + 1u, true);
        if (memcmp(eff[i], zero_line, MEM_LINE_BYTES) != 0) { /* memory's data moves, as memctl_scrub_fold's */
            mc->gen++;
            if (sdc_store_flip(&mc->sdc, ids[i], &fp[i], from[i], last[i], eff[i]) != 0)
                for (uint64_t l = from[i]; l <= last[i] && l != FAULT_NO_LINE; l = footprint_next_line(&fp[i], l + 1u))
                    (void)sdc_store_set(&mc->sdc, l, after[i]);
        }
        if (likes[i].outcome == MEMCTL_SDC) {
            mc->ledger.scrub_miscorrected += own[i];
            truth_note(mc, &one, ECC_TRUTH_MISCORRECTED, own[i], MEMCTL_FOUND_SCRUB, *last_ps);
        } else {
            mc->ledger.ce += own[i];
            truth_note(mc, &one, ECC_TRUTH_CORRECTED, own[i], MEMCTL_FOUND_SCRUB, *last_ps);
        }
    }
    mc->ledger.scrub_visits += visits;
    mc->ledger.scrub_found += finds;
    mc->ledger.folded += finds;
    return finds;
}

uint64_t memctl_scrub_fold_set_end(struct memctl *mc, const struct memctl_scrub_event *likes, unsigned n, bool holes)
{
    uint64_t ids[SCRUB_FOLD_SET_MAX], from[SCRUB_FOLD_SET_MAX];
    struct fault_footprint fp[SCRUB_FOLD_SET_MAX];
    unsigned m;
    if (mc->cfg.scrub_disabled || n == 0 || n > MEMCTL_FOLD_SET_MAX)
        return 0;
    for (unsigned i = 0; i < n; i++)
        ids[i] = likes[i].fault_id;
    if (!fold_set_faults(mc, likes, n, holes, ids, fp, &m))
        return 0;
    uint64_t end = scrub_fold_set_end(&mc->scrub, &mc->faults, ids, m, from);
    for (unsigned i = 0; i < m; i++) {
        bool hole;
        if (from[i] == FAULT_NO_LINE || from[i] >= end)
            continue;
        const uint64_t stop = set_stop(mc, likes, n, ids, fp, m, i, from[i], &hole);
        if (stop < end)
            end = stop;
    }
    return end;
}

uint64_t memctl_scrub_fold_due(struct memctl *mc, uint64_t until_ps, struct memctl_scrub_event *like,
                               uint64_t *last_ps)
{
    uint64_t line, id;
    if (mc->cfg.scrub_disabled || !scrub_peek(&mc->scrub, &mc->faults, &line, &id) || id != like->fault_id)
        return 0;
    /* The finding of that line would have become the next `like`: its
     * time is the one the fold's line check uses (memctl_scrub_fold). */
    struct memctl_scrub_event at = *like;
    at.time_ps = scrubber_line_time(&mc->scrub, mc->scrub.pass_base + mc->scrub.pass, line);
    if (!ps_due(at.time_ps, until_ps)) /* an owed visit may lie below 0: rebase */
        return 0;
    uint64_t n = memctl_scrub_fold(mc, until_ps, &at, last_ps);
    if (n)
        like->time_ps = at.time_ps;
    return n;
}

uint64_t memctl_scrub_next_time(struct memctl *mc)
{
    if (mc->cfg.scrub_disabled)
        return UINT64_MAX;
    uint64_t line, id, stop;
    bool any;
    while ((any = walk_next(mc, &line, &id, &stop)) && settle_passive(mc, line, id, stop))
        ;
    if (!any || stop == line)
        return scrubber_next_time(&mc->scrub, &mc->faults);
    /* past the stretch (memctl_scrub passes it in one step): the first
     * line that is not one of it - the fault's next, another fault's, or
     * the next pass (the end of this one) */
    uint64_t end = scrub_lead_end(&mc->scrub, &mc->faults);
    if (stop < end)
        end = stop;
    return scrubber_line_time(&mc->scrub, mc->scrub.pass_base + mc->scrub.pass, end);
}

int memctl_can_rebase(const struct memctl *mc, uint64_t d_ps, uint64_t now_ps)
{
    int rc = spare_can_rebase(&mc->spare, d_ps, now_ps);
    if (rc == 0)
        rc = fault_map_can_rebase(&mc->faults, d_ps, now_ps);
    if (rc == 0)
        rc = scrubber_can_rebase(&mc->scrub, &mc->faults, d_ps, now_ps);
    return rc;
}

int memctl_rebase(struct memctl *mc, uint64_t d_ps, uint64_t now_ps)
{
    int rc = memctl_can_rebase(mc, d_ps, now_ps);
    if (rc)
        return rc;
    mc->gen++;
    /* the walk anchors with the fault map as it was (its count decides) */
    (void)scrubber_rebase(&mc->scrub, &mc->faults, d_ps, now_ps);
    (void)fault_map_rebase(&mc->faults, d_ps, now_ps);
    (void)spare_rebase(&mc->spare, d_ps, now_ps);
    mc->epoch_ps += d_ps;
    poison_rebase(&mc->poison, d_ps, now_ps);
    poison_runs_rebase(&mc->runs, &mc->scrub, d_ps, now_ps);
    return 0;
}
