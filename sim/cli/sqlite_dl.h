/*
 * sqlite_dl.h - SQLite, loaded when a run writes a rasdaemon database
 * (--rasdaemon) and not before: linked, libsqlite3 cost every start of
 * mcasim-sim about 0.3 ms (mapping it, its relocations), a run of one
 * small scenario's 4 % (docs/PERFORMANCE.md, "Start-up").
 */
#ifndef MCASIM_SIM_CLI_SQLITE_DL_H
#define MCASIM_SIM_CLI_SQLITE_DL_H

#include <stddef.h>

#include <sqlite3.h>

/* The library's SONAME on every distribution since SQLite 3.0 (Debian's
 * package libsqlite3-0). */
#define SQLITE_DL_SONAME "libsqlite3.so.0"

/* The functions run_out_rasdb.c calls, with SQLite's own types. */
struct sqlite_dl {
    void *handle;
    __typeof__(sqlite3_open_v2) *open_v2;
    __typeof__(sqlite3_close) *close;
    __typeof__(sqlite3_errmsg) *errmsg;
    __typeof__(sqlite3_errstr) *errstr;
    __typeof__(sqlite3_exec) *exec;
    __typeof__(sqlite3_prepare_v2) *prepare_v2;
    __typeof__(sqlite3_finalize) *finalize;
    __typeof__(sqlite3_step) *step;
    __typeof__(sqlite3_reset) *reset;
    __typeof__(sqlite3_clear_bindings) *clear_bindings;
    __typeof__(sqlite3_bind_text) *bind_text;
    __typeof__(sqlite3_bind_int) *bind_int;
    __typeof__(sqlite3_bind_int64) *bind_int64;
    __typeof__(sqlite3_bind_null) *bind_null;
    __typeof__(sqlite3_last_insert_rowid) *last_insert_rowid;
};

/* Load soname (SQLITE_DL_SONAME; tests name others) and find every
 * function: 0, or -1 with why (dlerror's words) and nothing held. */
int sqlite_dl_open(struct sqlite_dl *s, const char *soname, char *why, size_t n);
void sqlite_dl_close(struct sqlite_dl *s);

#endif
