/*
 * test_sqlite_dl.c - SQLite found at run time (sim/cli/sqlite_dl.c): the
 * library loads and every function works on an in-memory database; a
 * library that is not there, or is not SQLite, gives a reason naming it
 * and leaves nothing held.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sim/cli/sqlite_dl.h"

static void loads_and_writes(void **state)
{
    (void)state;
    struct sqlite_dl q;
    char why[512] = "";
    assert_int_equal(sqlite_dl_open(&q, SQLITE_DL_SONAME, why, sizeof(why)), 0);
    assert_non_null(q.handle);
    sqlite3 *db = NULL;
    assert_int_equal(q.open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
    assert_int_equal(q.exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, i INTEGER, b INTEGER, n INTEGER)",
                            NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(q.prepare_v2(db, "INSERT INTO t (s, i, b, n) VALUES (?, ?, ?, ?)", -1, &st, NULL), SQLITE_OK);
    for (int row = 1; row <= 2; row++) {
        assert_int_equal(q.bind_text(st, 1, "x", -1, SQLITE_STATIC), SQLITE_OK);
        assert_int_equal(q.bind_int(st, 2, -row), SQLITE_OK);
        assert_int_equal(q.bind_int64(st, 3, INT64_MIN), SQLITE_OK);
        assert_int_equal(q.bind_null(st, 4), SQLITE_OK);
        assert_int_equal(q.step(st), SQLITE_DONE);
        assert_int_equal(q.reset(st), SQLITE_OK);
        assert_int_equal(q.clear_bindings(st), SQLITE_OK);
        assert_int_equal(q.last_insert_rowid(db), row);
    }
    assert_int_equal(q.finalize(st), SQLITE_OK);
    /* an error's words, from the database and from a code */
    assert_int_not_equal(q.exec(db, "SELECT * FROM none", NULL, NULL, NULL), SQLITE_OK);
    assert_non_null(strstr(q.errmsg(db), "none"));
    assert_string_equal(q.errstr(SQLITE_OK), "not an error");
    assert_int_equal(q.close(db), SQLITE_OK);
    sqlite_dl_close(&q);
    assert_null(q.handle);
    assert_null(q.open_v2);
}

static void missing_library(void **state)
{
    (void)state;
    struct sqlite_dl q;
    char why[512] = "";
    assert_int_equal(sqlite_dl_open(&q, "libmcasim-no-such-library.so.0", why, sizeof(why)), -1);
    assert_null(q.handle);
    assert_null(q.open_v2);
    assert_non_null(strstr(why, "libmcasim-no-such-library.so.0"));
}

static void not_sqlite(void **state)
{
    (void)state;
    struct sqlite_dl q;
    char why[512] = "";
    /* libc loads, and has none of SQLite's functions: the first is named */
    assert_int_equal(sqlite_dl_open(&q, "libc.so.6", why, sizeof(why)), -1);
    assert_null(q.handle);
    assert_null(q.close);
    assert_non_null(strstr(why, "sqlite3_open_v2"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_and_writes),
        cmocka_unit_test(missing_library),
        cmocka_unit_test(not_sqlite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
