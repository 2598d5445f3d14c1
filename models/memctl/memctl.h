/*
 * memctl.h - one memory controller: geometry, DRAM faults, ECC, poison,
 * patrol scrubber, corrected-error counters and the ground-truth ledger.
 *
 * This is the C core the SystemC shell wraps (the shell adds time and TLM;
 * nothing here waits). What it answers:
 *
 *  - a demand read of a line (memctl_read): the faults covering the line
 *    give an error mask, the line is encoded, flipped and decoded, and the
 *    decode is compared with the truth:
 *      clean          nothing happened;
 *      corrected      a CE: counted per DRAM bank; with demand scrubbing
 *                     (default on) the corrected data is written back,
 *                     which heals transient faults on the line;
 *      uncorrectable  a DUE, or the line was already poisoned: the line is
 *                     poisoned and the consumer gets an SRAR machine check
 *                     (memctl_srar_status: 0x134 data load, 0x150 fetch);
 *      sdc            the decoder miscorrected or saw nothing while the
 *                     data is wrong: silent data corruption, no #MC (a
 *                     miscorrection still looks like a CE to hardware:
 *                     hw_status says what hardware saw).
 *  - the patrol scrubber (memctl_scrub): visits the lines faults cover at
 *    the times scrubber.h gives. CE: corrected data written back (a
 *    transient fault goes away, a permanent one stays) and a CE record;
 *    DUE: the line is poisoned and an SRAO record is produced
 *    (MCACOD 0x00C0 | channel, ADDR = line, MISC = 0x86).
 *  - a full-line write (memctl_write_line) clears poison and heals
 *    transient faults.
 *  - an online-spare rank (spare.h, memctl_spare_rank): a line of the
 *    replaced rank that the copy has reached is read from the spare, with
 *    what the copy read there: right data for a clean or corrected line
 *    (faults of the old rank, those arriving later included, no longer
 *    matter), poison for one the copy found uncorrectable. As a mirror
 *    the old rank still answers, and a read it cannot correct is served
 *    from the mirror's copy: a corrected error (failover).
 *
 * Data: the model stores no data. The codes are linear, so outcomes
 * depend only on the error masks (and on sdc_store's deltas for lines that
 * a miscorrecting write-back left wrong). data_error in a read result is
 * the XOR between the data delivered and the data last written, so a shell
 * that keeps real contents can apply it.
 */
#ifndef MODELS_MEMCTL_MEMCTL_H
#define MODELS_MEMCTL_MEMCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/rtime.h"
#include "arch/x86_mca.h"
#include "models/memctl/addr_map.h"
#include "models/memctl/ecc.h"
#include "models/memctl/ecc_memo.h"
#include "models/memctl/fault_map.h"
#include "models/memctl/poison.h"
#include "models/memctl/poison_runs.h"
#include "models/memctl/scrubber.h"
#include "models/memctl/sdc_store.h"
#include "models/memctl/spare.h"

/* MCi_MISC of every memory record here: LSB 6 (cache line), physical. */
#define MEMCTL_MISC_LINE_PHYS ((uint64_t)MEM_LINE_SHIFT | (MCI_MISC_MODE_PHYS << MCI_MISC_MODE_SHIFT))
#define MEMCTL_MCACOD_READ 0x0090u  /* memory controller, MMM = 001 read  */
#define MEMCTL_MCACOD_SCRUB 0x00C0u /* memory controller, MMM = 100 scrub */

struct memctl_config {
    struct mem_geometry geom;
    enum ecc_kind ecc;
    bool scrub_disabled;      /* no patrol scrubber                        */
    uint64_t scrub_period_ps; /* 0 = SCRUB_DEFAULT_PERIOD_PS (24 h)        */
    uint64_t scrub_start_ps;
    bool no_demand_scrub;     /* do not write back data corrected on reads */
    bool spare_rank;          /* one online-spare rank (spare.h)           */
    uint64_t spare_line_ps;   /* its copy: time per line                   */
};

/* Defaults: mem_geometry_default(), SECDED, scrubbing every 24 h. */
struct memctl_config memctl_config_default(void);

enum memctl_outcome {
    MEMCTL_CLEAN = 0,
    MEMCTL_CORRECTED,
    MEMCTL_UNCORRECTABLE,
    MEMCTL_SDC,
    MEMCTL_OUTCOME__COUNT
};

enum memctl_access { MEMCTL_DATA_LOAD = 0, MEMCTL_INSN_FETCH, MEMCTL_ACCESS__COUNT };

/* Ground truth, per controller. Every error event lands in exactly one of
 * ce / uc / sdc / scrub_miscorrected, and in one of scrub_found /
 * demand_found. */
struct memctl_ledger {
    uint64_t reads, writes, scrub_visits;
    uint64_t ce;                 /* corrected, data right                      */
    uint64_t uc;                 /* detected uncorrectable (lines poisoned)    */
    uint64_t sdc;                /* consumed silently: miscorrected+undetected */
    uint64_t miscorrected, undetected; /* the two kinds of consumed SDC       */
    uint64_t scrub_miscorrected; /* scrub wrote wrong data back, unseen        */
    uint64_t scrub_found, demand_found;
    uint64_t poison_consumed;    /* reads of a line already poisoned           */
    uint64_t poison_cleared;     /* full-line writes that removed poison       */
    uint64_t folded;             /* scrub findings counted by memctl_scrub_fold */
    uint64_t scrub_passed;       /* of scrub_visits, lines passed without a look:
                                    poisoned already, or a silent fault's
                                    (scrub_passive.h); not reported */
};

/* Ground truth per fault: what became of the lines it covers. An error
 * on a line several faults cover counts for each of them. */
enum memctl_finder { MEMCTL_FOUND_NONE = 0, MEMCTL_FOUND_SCRUB, MEMCTL_FOUND_DEMAND };

struct memctl_fault_truth {
    uint64_t id;                 /* fault id (fault_map.h)                  */
    enum fault_mode mode;
    bool permanent;
    rtime_t arrival_ps;
    uint64_t lines;              /* lines its footprint covers              */
    uint64_t ce, uc, sdc;        /* error events on its lines, as the ledger */
    enum memctl_finder first_by; /* who found one of its errors first       */
    rtime_t first_ps;            /* when (valid when first_by != NONE)      */
};

struct memctl {
    struct memctl_config cfg;
    struct addr_map map;
    struct ecc_codec codec;
    struct ecc_memo memo;       /* decodes per error mask (ecc_memo.h) */
    struct fault_map faults;
    struct poison_set poison;   /* poisoned lines one by one            */
    struct poison_runs runs;    /* and as runs of a fault's lines (memctl_poison_run) */
    struct scrubber scrub;
    struct sdc_store sdc;
    struct mem_spare spare;
    uint64_t *bank_ce;  /* hardware CE count per DRAM bank (includes miscorrections) */
    struct memctl_ledger ledger;
    struct memctl_fault_truth *truth; /* in order of addition */
    size_t ntruth, cap_truth;
    struct u64map truth_of;     /* fault id -> index in truth */
    /* real time = epoch_ps + the controller's time: the sum of the rebases
     * (docs/TIME.md); the truth's times are real */
    rtime_t epoch_ps;
    /* Bumped by every change of what a fold's start depends on (faults,
     * poison, heal times, memory's data, the spare, a rebase): the key of
     * fold_memo. */
    uint64_t gen;
    /* The last fault asked whether its error decodes clean on its own
     * (memctl.c, fault_silent): ids are never reused, nor a fault's
     * error changed, so the answer holds (0: none asked). */
    uint64_t silent_id;
    bool silent;
    /* The last fault found unfit to leave the walk (memctl.c,
     * settle_passive), and gen then: not asked again until gen moves. */
    uint64_t passive_no_id, passive_no_gen;
    /* The last fold_start that found lines to fold (memctl.c): its stop
     * and write-back data hold for every later start at a line in
     * [from, stop) of the same fault and finding while gen is unchanged. */
    struct memctl_fold_memo {
        bool valid;
        uint64_t gen, id, from, stop;
        enum memctl_outcome outcome;
        int device;
        uint8_t eff[MEM_LINE_BYTES], after[MEM_LINE_BYTES];
    } fold_memo;
    /* CEs folded but not yet added to bank_ce: fault ce_run_id's lines in
     * [ce_run_from, ce_run_to) (0: none). Consecutive folds of one fault
     * grow it; memctl_bank_ce adds it. */
    uint64_t ce_run_id, ce_run_from, ce_run_to;
};

struct memctl_read {
    enum memctl_outcome outcome;
    enum ecc_truth truth;
    enum ecc_status hw_status;  /* what the decoder reported                 */
    bool was_poisoned;          /* the line was poisoned before this read    */
    uint64_t line_addr;
    struct dram_loc loc;        /* of the line's first byte                  */
    int device;                 /* device a correction came from, else -1    */
    unsigned faults;            /* faults covering the line                  */
    uint8_t data_error[MEM_LINE_BYTES]; /* delivered XOR written data          */
};

struct memctl_scrub_event {
    uint64_t time_ps;
    uint64_t addr;              /* line address                              */
    struct dram_loc loc;
    enum memctl_outcome outcome; /* CORRECTED, UNCORRECTABLE or SDC (miscorrected) */
    enum ecc_truth truth;
    int device;
    uint64_t fault_id;          /* the one fault on the line, 0 if several   */
    uint64_t folded;            /* for the caller: findings folded into it   */
    /* The MCA record the controller logs in its bank: a CE (UC=0) or an
     * SRAO; ADDR = addr, MISC = MEMCTL_MISC_LINE_PHYS. */
    uint64_t status, misc;
};

/* NULL when cfg is usable, else a static sentence saying why not. */
const char *memctl_config_check(const struct memctl_config *cfg);
int memctl_init(struct memctl *mc, const struct memctl_config *cfg);
void memctl_free(struct memctl *mc);

/* Faults: ids as fault_map.h; adding also tells the scrubber. */
uint64_t memctl_add_fault(struct memctl *mc, const struct mem_fault *f);
bool memctl_remove_fault(struct memctl *mc, uint64_t id);

/* Demand read of the line holding paddr. 0, or -1 if paddr >= capacity. */
int memctl_read(struct memctl *mc, uint64_t paddr, uint64_t now_ps, struct memctl_read *r);
/* Full-line write of the line holding paddr. 0, or -1 if out of range. */
int memctl_write_line(struct memctl *mc, uint64_t paddr, uint64_t now_ps);

/* The next scrub finding at or before until_ps (clean visits are skipped
 * internally): true and *ev, or false when none is due yet. */
bool memctl_scrub(struct memctl *mc, uint64_t until_ps, struct memctl_scrub_event *ev);
/*
 * After a finding `like` (a CE, or a miscorrection, of a single permanent
 * fault), the lines of the same fault the walk would visit next, at or
 * before until_ps, that would give the very same finding - the fault's
 * line-by-line footprint with nothing else on it, holding the same data
 * (right, or wrong by one run's delta): counted as found in one step
 * (bank CE counter, ledger ce or scrub_miscorrected, scrub_found,
 * scrub_visits, folded; the write-backs' change of memory's data as one
 * flip of the fault's run in sdc_store) instead of one finding each.
 * The caller does this only when what software could see of each is a
 * count (the MCA bank still holds an unread CE; a miscorrection shows
 * software nothing). Returns how many; 0 when the next line is not such a
 * line. *last_ps: time of the last one.
 * `like` may also be a DUE (MEMCTL_UNCORRECTABLE) of a permanent fault:
 * the next such lines are taken as scrub_line takes each (poisoned at the
 * time the walk reaches it, ledger uc, scrub_found, scrub_visits; folded
 * counts them too), for a caller that counts the rounds software would
 * have run for each (the round fold, sim/runtime/host_fold.cpp).
 */
uint64_t memctl_scrub_fold(struct memctl *mc, uint64_t until_ps, const struct memctl_scrub_event *like,
                           uint64_t *last_ps);
/*
 * Several faults' lines at once (the round fold of rounds that find lines
 * of two faults in turn, sim/runtime/host_fold.cpp): every line the walk
 * would visit next up to until_ps, when each is a line of one of the n
 * faults likes[] name (a CE finding each, a right correction - of right
 * data, or of the wrong data a miscorrection left, each line alike - or a
 * DUE each; no state of its own) and no other fault's: taken as found
 * (bank CE counters and ledger ce, a correction's write-backs as one flip
 * of the fault's run in sdc_store; a DUE's lines poisoned, as one run, and
 * ledger uc; scrub_found, scrub_visits, folded, truth) in one step.
 * A fault strictly within a like's lines (a column fault within a bank
 * fault's, fleet hosts 3628 and 9408) has lines of both: a like's when its
 * DUE is (check_line names it for the inner fault; the outer one's
 * findings are its other lines), or, with holes, its lines poisoned: the
 * walk visits them without a finding (the caller's rounds must know: the
 * kinds plan skips poisoned lines). Returns the findings (lines less
 * holes); dry: only how many (nothing moves). 0 when any is not so.
 */
#define MEMCTL_FOLD_SET_MAX 4u
uint64_t memctl_scrub_fold_set(struct memctl *mc, uint64_t until_ps, const struct memctl_scrub_event *likes,
                               unsigned n, bool holes, bool dry, uint64_t *last_ps);
/* The faults a holed set fold of the right correction `like` passes:
 * ids[0], fp[0] like's fault, then every fault strictly within its lines;
 * *m in all. False when like is no right correction, or they are more
 * than SCRUB_FOLD_SET_MAX (fold_holes.c). */
bool memctl_fold_nested(const struct memctl *mc, const struct memctl_scrub_event *like, uint64_t *ids,
                        struct fault_footprint *fp, unsigned *m);
/* The first line (of this pass, from the walk's next one on) that
 * memctl_scrub_fold_set with these likes could not take, whatever the
 * time: another fault's line, or a line of one of them with state of its
 * own (poisoned, healed, or holding other data than the lines before it:
 * a miscorrection's wrong data, or right data again; with holes, a
 * nested fault's poisoned lines are not such, its first line not
 * poisoned is). The pass's line count when none. A fold plan stops short
 * of it instead of failing its dry run there. */
uint64_t memctl_scrub_fold_set_end(struct memctl *mc, const struct memctl_scrub_event *likes, unsigned n, bool holes);
/*
 * memctl_scrub_fold from the walk's next line itself, with no finding of
 * it first: for a caller whose bank already holds a logged CE, to which
 * that line's CE (the same finding as like's) would only add a count (the single finding and the
 * fold after it count the same lines). like->time_ps becomes that line's
 * time, as its finding would have made it, when anything was folded.
 */
uint64_t memctl_scrub_fold_due(struct memctl *mc, uint64_t until_ps, struct memctl_scrub_event *like,
                               uint64_t *last_ps);
/* With the walk's next line one of fault `like`'s as memctl_scrub_fold
 * would fold: when that folding would next stop - the k-th such line
 * (k >= 1), or the first line that is something else. Otherwise the next
 * line's time (memctl_scrub_next_time). *writes (may be NULL): such a
 * fold changes what memory holds (a miscorrection, or the correction of
 * a miscorrection's wrong data), so a demand access must not come before
 * the folded lines it passed. */
uint64_t memctl_scrub_fold_horizon(struct memctl *mc, const struct memctl_scrub_event *like, uint64_t k,
                                   bool *writes);
/* How many lines memctl_scrub_fold after `like` could take from the walk's
 * next line on, given time enough (0: the next line is not such a line);
 * memctl_scrub_fold_horizon(mc, like, i) is the time of the i-th of them
 * (1 <= i <= that count). The round fold (sim/runtime/host_fold.cpp) plans
 * with them. */
uint64_t memctl_scrub_fold_count(struct memctl *mc, const struct memctl_scrub_event *like);
/* When memctl_scrub may next find something (UINT64_MAX: never, unless
 * faults are added). A wake-up time, not a promise of a finding. */
uint64_t memctl_scrub_next_time(struct memctl *mc);

/* The spare rank takes over (mirror: mirrors) the rank holding paddr: its
 * copy starts at now_ps. 0, -ENODEV (no spare rank), -EBUSY (used),
 * -EINVAL (paddr past the end of memory). */
int memctl_spare_rank(struct memctl *mc, uint64_t paddr, uint64_t now_ps, bool mirror);

/*
 * Rebase (docs/TIME.md): every time the controller holds moved d_ps
 * earlier, seen at now_ps (SystemC's time; nothing of the controller's
 * falls within the d_ps skipped): the scrub walk, fault arrivals and write
 * times, the spare's copy, poison times. 0, or the first refusal of
 * spare_can_rebase (a copy running: -EBUSY), fault_map_can_rebase and
 * scrubber_can_rebase; nothing moves unless 0. epoch_ps grows by d_ps:
 * the fault truth's times (arrival_ps, first_ps) are real times, stamped
 * epoch_ps + the controller's time, and never move.
 */
int memctl_can_rebase(const struct memctl *mc, uint64_t d_ps, uint64_t now_ps);
int memctl_rebase(struct memctl *mc, uint64_t d_ps, uint64_t now_ps);

/* An access to paddr at now_ps shares its channel with the spare's copy
 * (which then takes one line time of it). */
bool memctl_copy_busy(const struct memctl *mc, uint64_t paddr, uint64_t now_ps);

/*
 * Poison, line by line or as runs. Every query answers for a run's lines
 * exactly as for the same lines marked one by one: memctl_poisoned, the
 * read of one (was_poisoned, SRAR), the scrubber's skip, a full-line
 * write's clearing, the time, count and list.
 */
bool memctl_poisoned(const struct memctl *mc, uint64_t paddr);
/* When the line holding paddr was poisoned; false if it is not. */
bool memctl_poison_time(const struct memctl *mc, uint64_t paddr, uint64_t *when_ps);
/* Poisoned lines. */
uint64_t memctl_poison_count(const struct memctl *mc);
/* Whether every line of footprint fp is poisoned (false also where that
 * would take more than a bounded scan of its stretches: the check the
 * walk makes before it passes a fault without a look). */
bool memctl_footprint_poisoned(const struct memctl *mc, const struct fault_footprint *fp);
/* The poisoned line addresses in increasing order, at most max; how many
 * were written. */
size_t memctl_poison_list(const struct memctl *mc, uint64_t *addrs, size_t max);
/*
 * Poison, as one run, every line of fault fault_id's footprint with line
 * index in [from_line, to_line], each at the time the walk of absolute
 * pass `pass` (scrub_visit.pass) reaches it: scrubber_line_time(&mc->scrub,
 * pass, line), moved by later rebases as a per-line time is. What the
 * scrubber's DUE findings of those lines would leave in poison (for a UC
 * fold: it counts the rest - ledger, truth - and moves the walk itself;
 * this moves neither). Lines already poisoned keep their first time: a
 * per-line mark at the run's time for its line joins the run, one at
 * another time stays and the run leaves the line out. A run that
 * continues the fault's last run of the same pass (every line between
 * them poisoned per line at the walk's time) extends it: a pass's folds
 * make one run. The run keeps the footprint: removing the fault leaves its
 * lines poisoned (poison is on the data). Later passes pass a run's lines
 * in one step (memctl_scrub; memctl_scrub_next_time names the first line
 * after them). 0; -ENOENT: no such fault; -EINVAL: from_line > to_line,
 * to_line past memory, or pass before the walk's anchor
 * (mc->scrub.pass_base: rebases moved the times before it); -EEXIST: a
 * line of the range is already poisoned by another run (a fold stops
 * before poisoned lines: first_special); -ENOMEM. Nothing changes unless
 * 0. Cost: the per-line marks are looked through once.
 */
int memctl_poison_run(struct memctl *mc, uint64_t fault_id, uint64_t from_line, uint64_t to_line, uint64_t pass);
/* Hardware CE count of one DRAM bank. */
uint64_t memctl_bank_ce(const struct memctl *mc, unsigned channel, unsigned dimm, unsigned rank, unsigned bank);

/* MCi_STATUS images (SDM vol. 3B 15.9). The
 * channel goes into CCCC; channels >= 15 read as 0xF (unknown). */
uint64_t memctl_srao_scrub_status(unsigned channel);         /* VAL|UC|EN|MISCV|ADDRV|S    */
uint64_t memctl_srar_status(enum memctl_access access);      /* ...|S|AR, 0x134 / 0x150    */
uint64_t memctl_ce_status(unsigned channel, bool by_scrub);  /* VAL|EN|MISCV|ADDRV, UC=0   */

const char *memctl_outcome_name(enum memctl_outcome o);

#endif
