/*
 * scenario_walk.h - internal to the scenario loader: reading libyaml
 * document nodes through tables of fields.
 *
 * Each kind of mapping in a scenario has a table of struct field: the key,
 * the reader that parses its value, the member the reader writes (as an
 * offset into the object being filled) and the allowed range.
 * ld_walk_map() first collects the keys of a mapping, refusing unknown
 * and duplicate ones, then runs the readers in table order, not file
 * order, so a reader may rely on keys listed before it in its table (host
 * before cpu) wherever the file put them.
 *
 * Every function that fails fills the struct scn_error of the load (file
 * position of the offending node, message, hint) and returns -1.
 */
#ifndef SIM_SCENARIO_WALK_H
#define SIM_SCENARIO_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "sim/scenario/mca_symbols.h"
#include "sim/scenario/scenario.h"

#define LD_MAX_KEYS 32 /* the longest table: an event's (at, repeat, every, its actions) */
#define LD_MAX_HOSTS 8
#define LD_MAX_DOMID 65535
#define LD_PAGE_BYTES 4096u
#define LD_MSIZE(T, m) sizeof(((T *)0)->m)

/* Loader state for one file; lives on the stack of scenario_load*. */
struct ld {
    const char *buf;            /* the whole input, for reader-error offsets */
    size_t len;
    yaml_document_t *doc;
    struct scenario *s;         /* hosts are filled before anything refers to them */
    struct scn_error *err;      /* the error being reported */
    struct scn_errors *all;     /* NULL: stop at the first error; else keep going */
    unsigned made, recorded;    /* errors set in *err, and how many of them are in all */
    bool stop;                  /* an error after which nothing can be checked */
    bool hosts_unsure;          /* a host had an error: its CPU and bank counts may be wrong */
};

/* At most this many errors are collected from one file. */
#define LD_MAX_ERRORS 100

/* After a failure, whether the load goes on: only when collecting every
 * error, the error is then kept in l->all. Walkers ask it where what
 * follows does not depend on what failed: the next item of a sequence,
 * the next key of a mapping. */
bool ld_keep_going(struct ld *l);

struct field;
typedef int (*ld_reader)(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);

struct names {
    const char *const *v;
    unsigned n;
};

enum {
    F_REQ = 1,      /* must be present                                  */
    F_EXCL = 2,     /* at most one of the F_EXCL keys of a table         */
    F_ONE = 4,      /* exactly one of the F_ONE keys of a table          */
    F_FOREVER = 8,  /* a time that may be "forever"                      */
    F_BASE = 16,    /* later keys depend on it: when it fails, the rest
                       of the mapping is not read (host references are
                       F_BASE whatever their flags)                      */
};

struct field {
    const char *key;
    ld_reader rd;
    size_t off;                 /* member the reader writes              */
    uint64_t min, max;          /* range; for text, max = buffer size    */
    size_t host_off;            /* host member, for cpu/bank/msr checks  */
    const struct names *names;  /* for enums                             */
    unsigned flags;
};

/* Keys and values of one mapping, indexed like its field table. */
struct seen {
    const struct field *t;
    unsigned n;
    const yaml_node_t *key[LD_MAX_KEYS], *val[LD_MAX_KEYS];
};

/* Errors; all return -1. */
__attribute__((format(printf, 4, 5)))
int ld_fail(struct ld *l, const yaml_node_t *at, const char *hint, const char *fmt, ...);
__attribute__((format(printf, 4, 5)))
int ld_fail_loc(struct ld *l, struct scn_loc at, const char *hint, const char *fmt, ...);
/* `bad` is not one of nm: suggest the closest, list them under `kind`. */
__attribute__((format(printf, 6, 7)))
int ld_fail_names(struct ld *l, const yaml_node_t *at, const char *bad, const char *kind,
                  const struct names *nm, const char *fmt, ...);

/* Nodes. */
const yaml_node_t *ld_node(struct ld *l, int index);
struct scn_loc ld_loc(const yaml_node_t *n);
const char *ld_sval(const yaml_node_t *n);
const char *ld_kind_name(const yaml_node_t *n);
int ld_want_kind(struct ld *l, const yaml_node_t *v, yaml_node_type_t type, const char *key);
/* The text of a scalar, or NULL with the error set; want: "an integer"... */
const char *ld_scalar(struct ld *l, const yaml_node_t *v, const char *key, const char *want);
/* A file named in the file being read: an absolute name as it is, a
 * relative one from that file's folder (a campaign's fleet scenarios, a
 * fit_file: CSV). */
void ld_path_beside(const struct ld *l, const char *name, char *out, size_t len);
void *ld_member(void *obj, size_t off);
struct names ld_names_from(const char **buf, unsigned n, const char *(*name_at)(unsigned));

/* Values, range-checked against f->min / f->max. */
int ld_read_uint(struct ld *l, const struct field *f, const yaml_node_t *v, uint64_t *out);
int ld_read_time(struct ld *l, const struct field *f, const yaml_node_t *v, uint64_t *ps);
int ld_read_rate(struct ld *l, const struct field *f, const yaml_node_t *v, uint64_t *bytes_per_s);
int ld_read_bool(struct ld *l, const struct field *f, const yaml_node_t *v, bool *out);
int ld_read_text(struct ld *l, const struct field *f, const yaml_node_t *v, char *dst);
/* Index of the scalar in nm, or -1. */
int ld_read_name(struct ld *l, const struct field *f, const yaml_node_t *v, const struct names *nm,
                 const char *kind);

/* Readers for field tables; the comment says what the member is. */
int ld_rd_uint(struct ld *, const struct field *, const yaml_node_t *, void *);     /* unsigned          */
int ld_rd_u64(struct ld *, const struct field *, const yaml_node_t *, void *);      /* uint64_t          */
int ld_rd_ll(struct ld *, const struct field *, const yaml_node_t *, void *);       /* long long         */
int ld_rd_time(struct ld *, const struct field *, const yaml_node_t *, void *);     /* uint64_t ps       */
int ld_rd_duration(struct ld *, const struct field *, const yaml_node_t *, void *); /* rtime_t ps        */
int ld_rd_rate(struct ld *, const struct field *, const yaml_node_t *, void *);     /* uint64_t B/s      */
int ld_rd_bool(struct ld *, const struct field *, const yaml_node_t *, void *);     /* bool              */
int ld_rd_tribool(struct ld *, const struct field *, const yaml_node_t *, void *);  /* int 0/1           */
int ld_rd_page(struct ld *, const struct field *, const yaml_node_t *, void *);     /* uint64_t, 4K      */
int ld_rd_size(struct ld *, const struct field *, const yaml_node_t *, void *);     /* uint64_t bytes    */
int ld_rd_text(struct ld *, const struct field *, const yaml_node_t *, void *);     /* char[max]         */
int ld_rd_ident(struct ld *, const struct field *, const yaml_node_t *, void *);    /* char[max], a name */
int ld_rd_enum(struct ld *, const struct field *, const yaml_node_t *, void *);     /* enum, f->names    */
int ld_rd_enum_int(struct ld *, const struct field *, const yaml_node_t *, void *); /* int, f->names     */
int ld_rd_host(struct ld *, const struct field *, const yaml_node_t *, void *);     /* unsigned index    */
int ld_rd_host_int(struct ld *, const struct field *, const yaml_node_t *, void *); /* int index         */
/* CPU / bank of the host at f->host_off (unsigned; for _int, int with -1 = any host). */
int ld_rd_cpu(struct ld *, const struct field *, const yaml_node_t *, void *);
int ld_rd_bank(struct ld *, const struct field *, const yaml_node_t *, void *);
int ld_rd_cpu_int(struct ld *, const struct field *, const yaml_node_t *, void *);
int ld_rd_bank_int(struct ld *, const struct field *, const yaml_node_t *, void *);
/* scenario_msr.c: an MSR by number or name (uint32_t); a host's bank names
 * are checked against the host at f->host_off, a guest's against 32. */
int ld_rd_msr(struct ld *, const struct field *, const yaml_node_t *, void *);
int ld_rd_guest_msr(struct ld *, const struct field *, const yaml_node_t *, void *);

const struct scn_host *ld_host(struct ld *l, unsigned i);
/* The (first) domain with this id, or NULL with the error at `at` set; with
 * vcpu_at, also that vCPU `vcpu` is one of its vCPUs (error at vcpu_at). */
const struct scn_domain *ld_domain(struct ld *l, const yaml_node_t *at, unsigned id);
const struct scn_domain *ld_domain_vcpu(struct ld *l, const yaml_node_t *at, unsigned id,
                                        const yaml_node_t *vcpu_at, unsigned vcpu);
unsigned ld_host_of(const struct field *f, void *obj);

/* Mappings and sequences. */
int ld_walk_map(struct ld *l, const yaml_node_t *map, const char *what, const struct field *t, unsigned n,
                void *obj, struct seen *sn);
#define LD_WALK(l, map, what, table, obj, sn) \
    ld_walk_map(l, map, what, table, (unsigned)(sizeof(table) / sizeof(table[0])), obj, sn)
const yaml_node_t *ld_seen_key(const struct seen *sn, const char *key);
const yaml_node_t *ld_seen_val(const struct seen *sn, const char *key);

/* The zeroed array of a sequence of min..max items (NULL when empty). */
int ld_seq_alloc(struct ld *l, const yaml_node_t *v, const char *key, unsigned min, unsigned max, size_t size,
                 void **arr, unsigned *count);
typedef int (*ld_item_fn)(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx);
int ld_seq_each(struct ld *l, const yaml_node_t *v, void *arr, size_t size, const void *ctx, ld_item_fn fn);

/* scenario_load.c, for import.c: a file's text (at most 16 MiB, NUL
 * terminated, or NULL with *err set), and the load of YAML text. */
char *scenario_read_file(const char *path, size_t *len, struct scn_error *err);
int scenario_load_text(const char *name, const char *buf, size_t len, struct scenario *out, struct scn_error *err,
                       struct scn_errors *all);

/* scenario_status.c: a status value, a number or a list of bit names,
 * numbers and (for MCi_STATUS) mcacod:/mscod: (reg is an enum mca_reg). */
int ld_read_status(struct ld *l, const struct field *f, const yaml_node_t *v, enum mca_reg reg, uint64_t *out);

/* Blocks read in files of their own. */
/* scenario_platform.c: platform: (struct scenario), and a host's cpu: or a
 * domain's cpuid: (struct cpu_model_id). */
int ld_rd_platform(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_rd_cpu_id(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_rd_policy(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);  /* scenario_policy.c */
/* scenario_policy.c: policy.storm (enum hv_storm_policy), policy.decider (enum hv_decider). */
int ld_rd_storm(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_rd_decider(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
/* scenario_domains.c: domains: (struct scenario), or without it dom0 alone on host 0. */
int ld_rd_domains(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_default_domains(struct ld *l);
int ld_rd_events(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);  /* scenario_events.c */
int ld_rd_expect(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);  /* scenario_expect.c */
int ld_rd_sweep(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);   /* scenario_sweep.c  */
/* scenario_migration.c: link: (struct scn_link), policy.migration: (struct
 * scn_policy), the migrate: event (struct scn_event). */
int ld_rd_link(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_rd_pmigration(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_rd_migrate(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
/* After every block: what dom0's CE accounting asks for under seed000
 * (ce_offline.domu moves, dimm_action spare or mirror). */
int ld_check_dom0_seed000(struct ld *l);
/* scenario_probes.c: the events checked in expect.msrs and expect.calls
 * (struct scn_event). */
int ld_ev_rdmsr(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_ev_wrmsr(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_ev_host_rdmsr(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_ev_host_wrmsr(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_ev_hypercall(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_ev_balloon(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_ev_destroy(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_ev_hv_access(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
/* scenario_expect_probes.c: expect.msrs, expect.calls, expect.pages
 * (struct scn_expect). */
int ld_rd_xmsrs(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_rd_xcalls(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_rd_xpages(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);

/* scenario_fit.c: a FIT table (struct field_rates): a built-in one by name
 * (table:), one written per fault mode (fit:), one in a CSV file named
 * relative to the file being read (fit_file:), or a mapping holding
 * exactly one of those three keys (a campaign's field_rates). */
int ld_rd_fit_table(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_rd_fit(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_rd_fit_file(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_rd_fit_source(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);

/* scenario_pcie.c: a host's pcie: (struct scn_host), the pcie_error:
 * event (struct scn_event), expect.pcie (struct scn_expect), and the
 * owners of the devices once domains are read. */
int ld_rd_pcie(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_ev_pcie_error(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_rd_xpcie(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj);
int ld_check_pcie_owners(struct ld *l);

#endif
