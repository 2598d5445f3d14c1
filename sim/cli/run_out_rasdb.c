/*
 * run_out_rasdb.c - `mcasim run --rasdaemon FILE`: an SQLite database
 * with rasdaemon's mce_record table, a row per entry of dom0's mcelog
 * (sim/results/fetched_banks.c), so the queries of ras-mc-ctl --errors and
 * --summary, and one's own, run on a simulated machine's errors.
 *
 * The table is the one rasdaemon 0.8.5 creates (ras-record.c,
 * mce_record_fields: "CREATE TABLE IF NOT EXISTS mce_record (id INTEGER
 * PRIMARY KEY, timestamp TEXT, mcgcap INTEGER, ...)", columns in its
 * order, ppin and microcode included) and its values are bound as
 * ras_store_mce_record binds them: mcgcap, mcgstatus, cpu, cpuid, apicid,
 * socketid, cs, bank, cpuvendor and microcode as 32-bit integers, status,
 * addr, misc, ip, tsc, walltime and ppin as 64-bit ones (a status with bit
 * 63 set reads back negative, as in rasdaemon's own database), every text
 * column a string, "" when empty. The text columns are rasdaemon's Intel
 * parser's (guests/dom0/ras_decode.c). timestamp is the logout time in
 * rasdaemon's "%Y-%m-%d %H:%M:%S %z", the run starting at the Unix epoch,
 * in UTC; walltime the same in seconds; cpuid CPUID.1:EAX of the host's
 * CPU model (stepping 0); cpuvendor Linux's number (Intel 0, AMD 2, ...);
 * apicid and socketid as in mcelog_decode.h; ip, tsc, cs, ppin and
 * microcode 0: mcasim has none.
 *
 * What is not rasdaemon's: in a real Xen dom0 these records reach
 * /dev/mcelog only (Linux's drivers/xen/mcelog.c), not the mce_record
 * trace event rasdaemon listens to, so this is the database rasdaemon
 * would keep if it saw them, as on a Linux host. The file has no other
 * rasdaemon table (mc_event, aer_event, ...); it has mcasim's own
 * mcasim_entry (id as in mce_record, host, host_name, record, record_bank,
 * time_ps, fetched_ps), which tells the hosts of a run apart. SQLite's
 * integers are signed 64-bit: a time past 2^63 ps (106 days; a year-long
 * run's) is NULL there, never a wrapped value (walltime has its second).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guests/dom0/mcelog_decode.h"
#include "guests/dom0/ras_decode.h"
#include "sim/cli/run.h"
#include "sim/cli/sqlite_dl.h"
#include "sim/results/fetched_banks.h"
#include "sim/results/run_result.h"

/* One mce_record row before it is bound. */
struct ras_row {
    char timestamp[80];
    int64_t mcgcap, mcgstatus, status, addr, misc, ip, tsc, walltime, ppin;
    int64_t cpu, cpuid, apicid, socketid, cs, bank, cpuvendor, microcode;
    struct ras_mce_text text;
};

/* How rasdaemon binds a column: KEY is left to SQLite (the rowid). */
enum col_kind { COL_KEY, COL_TEXT, COL_INT32, COL_INT64 };

#define R(f) offsetof(struct ras_row, f)
#define T(f) (offsetof(struct ras_row, text) + offsetof(struct ras_mce_text, f))
static const struct column {
    const char *name, *type;
    enum col_kind kind;
    size_t off;
} columns[] = {
    {"id", "INTEGER PRIMARY KEY", COL_KEY, 0},
    {"timestamp", "TEXT", COL_TEXT, R(timestamp)},
    {"mcgcap", "INTEGER", COL_INT32, R(mcgcap)},
    {"mcgstatus", "INTEGER", COL_INT32, R(mcgstatus)},
    {"status", "INTEGER", COL_INT64, R(status)},
    {"addr", "INTEGER", COL_INT64, R(addr)},
    {"misc", "INTEGER", COL_INT64, R(misc)},
    {"ip", "INTEGER", COL_INT64, R(ip)},
    {"tsc", "INTEGER", COL_INT64, R(tsc)},
    {"walltime", "INTEGER", COL_INT64, R(walltime)},
    {"ppin", "INTEGER", COL_INT64, R(ppin)},
    {"cpu", "INTEGER", COL_INT32, R(cpu)},
    {"cpuid", "INTEGER", COL_INT32, R(cpuid)},
    {"apicid", "INTEGER", COL_INT32, R(apicid)},
    {"socketid", "INTEGER", COL_INT32, R(socketid)},
    {"cs", "INTEGER", COL_INT32, R(cs)},
    {"bank", "INTEGER", COL_INT32, R(bank)},
    {"cpuvendor", "INTEGER", COL_INT32, R(cpuvendor)},
    {"microcode", "INTEGER", COL_INT32, R(microcode)},
    {"bank_name", "TEXT", COL_TEXT, T(bank_name)},
    {"error_msg", "TEXT", COL_TEXT, T(error_msg)},
    {"mcgstatus_msg", "TEXT", COL_TEXT, T(mcgstatus_msg)},
    {"mcistatus_msg", "TEXT", COL_TEXT, T(mcistatus_msg)},
    {"mcastatus_msg", "TEXT", COL_TEXT, T(mcastatus_msg)},
    {"user_action", "TEXT", COL_TEXT, T(user_action)},
    {"mc_location", "TEXT", COL_TEXT, T(mc_location)},
};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

static const char mcasim_table[] =
    "CREATE TABLE IF NOT EXISTS mcasim_entry (id INTEGER PRIMARY KEY, host INTEGER, host_name TEXT, "
    "record INTEGER, record_bank INTEGER, time_ps INTEGER, fetched_ps INTEGER)";
static const char mcasim_insert[] = "INSERT INTO mcasim_entry VALUES (?, ?, ?, ?, ?, ?, ?)";

/* "CREATE TABLE IF NOT EXISTS mce_record (...)" and its INSERT, from the
 * column table. */
static void table_sql(char *create, size_t clen, char *insert, size_t ilen)
{
    size_t c = (size_t)snprintf(create, clen, "CREATE TABLE IF NOT EXISTS mce_record (");
    size_t i = (size_t)snprintf(insert, ilen, "INSERT INTO mce_record (");
    for (size_t k = 0; k < NCOLS; k++) {
        c += (size_t)snprintf(create + c, clen - c, "%s%s %s", k ? ", " : "", columns[k].name, columns[k].type);
        if (columns[k].kind != COL_KEY)
            i += (size_t)snprintf(insert + i, ilen - i, "%s%s", k > 1 ? ", " : "", columns[k].name);
    }
    snprintf(create + c, clen - c, ")");
    i += (size_t)snprintf(insert + i, ilen - i, ") VALUES (");
    for (size_t k = 1; k < NCOLS; k++)
        i += (size_t)snprintf(insert + i, ilen - i, "%s?", k > 1 ? ", " : "");
    snprintf(insert + i, ilen - i, ")");
}

/* CPUID.1:EAX for a family and model, stepping 0 (SDM Vol. 2A, CPUID:
 * family above 0xF in the extended family, the model's high nibble in the
 * extended model for families 6 and 0xF and up). */
static uint32_t cpuid_eax1(const struct cpu_model_id *id)
{
    uint32_t fam = id->family, eax = (fam < 0xF ? fam : 0xFu) << 8;
    if (fam >= 0xF)
        eax |= (fam - 0xF) << 20;
    eax |= (id->model & 0xFu) << 4;
    if (fam == 6 || fam >= 0xF)
        eax |= ((id->model >> 4) & 0xFu) << 16;
    return eax;
}

/* Linux's X86_VENDOR_* numbers (arch/x86/include/asm/processor.h), which
 * its mce records carry. */
static const int64_t linux_vendor[CPU_VENDOR__COUNT] = {
    [CPU_VENDOR_INTEL] = 0, [CPU_VENDOR_AMD] = 2, [CPU_VENDOR_HYGON] = 9, [CPU_VENDOR_CENTAUR] = 5,
    [CPU_VENDOR_ZHAOXIN] = 10,
};

static void fill_row(const struct run_result *r, const struct fetched_bank *e, struct ras_row *row)
{
    const struct mca_record *rec = e->rec->rec;
    const struct mca_bank_entry *b = &rec->bank[e->bank];
    const struct rr_host *h = &r->hosts[e->host];
    memset(row, 0, sizeof(*row));
    uint64_t secs = (uint64_t)(rec->time_ps / 1000000000000ull); /* below 2^64 s */
    time_t t = (time_t)secs;
    struct tm tm;
    if (gmtime_r(&t, &tm))
        snprintf(row->timestamp, sizeof(row->timestamp), "%04d-%02d-%02d %02d:%02d:%02d +0000", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    row->walltime = (int64_t)secs;
    row->mcgcap = (int64_t)rec->mcg_cap;
    row->mcgstatus = (int64_t)rec->mcg_status;
    row->status = (int64_t)b->status;
    row->addr = (int64_t)b->addr;
    row->misc = (int64_t)b->misc;
    row->cpu = rec->cpu;
    row->apicid = mcelog_apicid(rec->cpu);
    row->socketid = mcelog_socketid(rec->cpu);
    row->bank = b->bank;
    if (h->regs && rec->cpu < h->ncpus) {
        const struct cpu_model_id *id = &h->regs[rec->cpu].id;
        row->cpuid = cpuid_eax1(id);
        row->cpuvendor = (unsigned)id->vendor < CPU_VENDOR__COUNT ? linux_vendor[id->vendor] : 0;
    }
    ras_mce_decode(b->status, b->misc, rec->mcg_status, rec->mcg_cap, &row->text);
}

static int bind_row(const struct sqlite_dl *q, sqlite3_stmt *st, const struct ras_row *row)
{
    int rc = SQLITE_OK, n = 0;
    for (size_t k = 0; k < NCOLS && rc == SQLITE_OK; k++) {
        const char *p = (const char *)row + columns[k].off;
        int64_t v = columns[k].kind == COL_INT32 || columns[k].kind == COL_INT64 ? *(const int64_t *)p : 0;
        switch (columns[k].kind) {
        case COL_KEY: break;
        case COL_TEXT: rc = q->bind_text(st, ++n, p, -1, SQLITE_STATIC); break;
        case COL_INT32: rc = q->bind_int(st, ++n, (int)(uint32_t)v); break;
        case COL_INT64: rc = q->bind_int64(st, ++n, v); break;
        }
    }
    return rc;
}

/* Step a bound statement once and reset it for the next row. */
static int step(const struct sqlite_dl *q, sqlite3_stmt *st)
{
    int rc = q->step(st);
    q->reset(st);
    q->clear_bindings(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* A time in ps as SQLite can hold it: NULL past INT64_MAX. */
static void bind_ps(const struct sqlite_dl *q, sqlite3_stmt *st, int col, rtime_t ps)
{
    if (ps <= (rtime_t)INT64_MAX)
        q->bind_int64(st, col, (sqlite3_int64)ps);
    else
        q->bind_null(st, col);
}

static int insert_entry(const struct sqlite_dl *q, sqlite3 *db, sqlite3_stmt *rec_st, sqlite3_stmt *own_st,
                        const struct run_result *r, const struct fetched_bank *e)
{
    struct ras_row row;
    fill_row(r, e, &row);
    int rc = bind_row(q, rec_st, &row);
    if (rc == SQLITE_OK)
        rc = step(q, rec_st);
    if (rc != SQLITE_OK)
        return rc;
    q->bind_int64(own_st, 1, q->last_insert_rowid(db));
    q->bind_int(own_st, 2, (int)e->host);
    q->bind_text(own_st, 3, r->hosts[e->host].name, -1, SQLITE_STATIC);
    q->bind_int64(own_st, 4, (sqlite3_int64)e->rec->rec->seq);
    q->bind_int(own_st, 5, (int)e->bank);
    bind_ps(q, own_st, 6, e->rec->rec->time_ps);
    bind_ps(q, own_st, 7, e->rec->fetched_ps);
    return step(q, own_st);
}

static int fill_db(const struct sqlite_dl *q, sqlite3 *db, const struct run_result *r, const struct fetched_bank *e,
                   size_t n)
{
    char create[1024], insert[1024];
    table_sql(create, sizeof(create), insert, sizeof(insert));
    sqlite3_stmt *rec_st = NULL, *own_st = NULL;
    int rc = q->exec(db, "BEGIN", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = q->exec(db, create, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = q->exec(db, mcasim_table, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = q->prepare_v2(db, insert, -1, &rec_st, NULL);
    if (rc == SQLITE_OK)
        rc = q->prepare_v2(db, mcasim_insert, -1, &own_st, NULL);
    for (size_t i = 0; i < n && rc == SQLITE_OK; i++)
        rc = insert_entry(q, db, rec_st, own_st, r, &e[i]);
    q->finalize(rec_st);
    q->finalize(own_st);
    if (rc == SQLITE_OK)
        rc = q->exec(db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

/* SQLite loaded into *q: 0, or -1 after the message, the same before the
 * runs (run_rasdaemon_ready) and in a worker. */
static int load_sqlite(struct sqlite_dl *q)
{
    char why[512];
    if (sqlite_dl_open(q, SQLITE_DL_SONAME, why, sizeof(why)) == 0)
        return 0;
    fprintf(stderr,
            "mcasim run: --rasdaemon needs SQLite, which did not load: %s\n"
            "  hint: install the library (Debian: apt-get install libsqlite3-0)\n",
            why);
    return -1;
}

int run_rasdaemon_ready(void)
{
    struct sqlite_dl q;
    if (load_sqlite(&q) != 0)
        return -1;
    sqlite_dl_close(&q);
    return 0;
}

int run_write_rasdaemon(const char *path, const struct run_result *r)
{
    struct sqlite_dl q;
    if (load_sqlite(&q) != 0)
        return -1;
    struct fetched_bank *e;
    size_t n;
    if (fetched_banks(r, &e, &n) != 0) {
        fprintf(stderr, "mcasim run: --rasdaemon %s: out of memory\n", path);
        sqlite_dl_close(&q);
        return -1;
    }
    sqlite3 *db = NULL;
    int rc = SQLITE_ERROR;
    /* a new database, whatever the file held */
    if (unlink(path) != 0 && errno != ENOENT) {
        fprintf(stderr, "mcasim run: --rasdaemon %s: cannot write: %s\n", path, strerror(errno));
        goto out;
    }
    rc = q.open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK)
        rc = fill_db(&q, db, r, e, n);
    if (rc != SQLITE_OK)
        fprintf(stderr, "mcasim run: --rasdaemon %s: cannot write: %s\n", path,
                db ? q.errmsg(db) : q.errstr(rc));
    if (q.close(db) != SQLITE_OK && rc == SQLITE_OK) {
        fprintf(stderr, "mcasim run: --rasdaemon %s: cannot close the database\n", path);
        rc = SQLITE_ERROR;
    }
    if (rc != SQLITE_OK)
        unlink(path);
out:
    free(e);
    sqlite_dl_close(&q);
    return rc == SQLITE_OK ? 0 : -1;
}
