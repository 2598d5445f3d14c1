/*
 * sqlite_dl.c - SQLite's functions found with dlopen()/dlsym() when a
 * rasdaemon database is written (sqlite_dl.h says why not linked).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli/sqlite_dl.h"

/* Each function: its name in the library, its place in struct sqlite_dl. */
static const struct {
    const char *name;
    size_t off;
} syms[] = {
    {"sqlite3_open_v2", offsetof(struct sqlite_dl, open_v2)},
    {"sqlite3_close", offsetof(struct sqlite_dl, close)},
    {"sqlite3_errmsg", offsetof(struct sqlite_dl, errmsg)},
    {"sqlite3_errstr", offsetof(struct sqlite_dl, errstr)},
    {"sqlite3_exec", offsetof(struct sqlite_dl, exec)},
    {"sqlite3_prepare_v2", offsetof(struct sqlite_dl, prepare_v2)},
    {"sqlite3_finalize", offsetof(struct sqlite_dl, finalize)},
    {"sqlite3_step", offsetof(struct sqlite_dl, step)},
    {"sqlite3_reset", offsetof(struct sqlite_dl, reset)},
    {"sqlite3_clear_bindings", offsetof(struct sqlite_dl, clear_bindings)},
    {"sqlite3_bind_text", offsetof(struct sqlite_dl, bind_text)},
    {"sqlite3_bind_int", offsetof(struct sqlite_dl, bind_int)},
    {"sqlite3_bind_int64", offsetof(struct sqlite_dl, bind_int64)},
    {"sqlite3_bind_null", offsetof(struct sqlite_dl, bind_null)},
    {"sqlite3_last_insert_rowid", offsetof(struct sqlite_dl, last_insert_rowid)},
};

int sqlite_dl_open(struct sqlite_dl *s, const char *soname, char *why, size_t n)
{
    memset(s, 0, sizeof(*s));
    s->handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!s->handle) {
        const char *e = dlerror();
        snprintf(why, n, "%s", e ? e : soname);
        return -1;
    }
    for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
        dlerror();
        void *f = dlsym(s->handle, syms[i].name);
        if (!f) {
            const char *e = dlerror();
            snprintf(why, n, "%s: %s", soname, e ? e : syms[i].name);
            sqlite_dl_close(s);
            return -1;
        }
        /* POSIX: a function's address read back from dlsym's void * */
        memcpy((char *)s + syms[i].off, &f, sizeof(f));
    }
    return 0;
}

void sqlite_dl_close(struct sqlite_dl *s)
{
    if (s->handle)
        dlclose(s->handle);
    memset(s, 0, sizeof(*s));
}
