/*
** test_fetch.c -- the parts of fetching that need no network: what the
** store remembers of fetched URLs (schema 5).
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "herald.h"
#include "store.h"
#include "test.h"

static const char *db_path(const char *name) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", hd_test_tmpdir(), name);
    return path;
}

TEST(fetch_rows_in_the_store) {
    hd_err err = {0};
    hd_store *st = hd_store_open(db_path("f.db"), &err);
    CHECK(st != NULL);
    hd_fetch_row row, got;
    memset(&row, 0, sizeof row);
    CHECK_EQ_INT(st->ops->fetch_get(st, "http://a.example/", &got), 0);
    snprintf(row.etag, sizeof row.etag, "\"v1\"");
    row.fetched = 1641636000;
    CHECK_OK(st->ops->fetch_put(st, "http://a.example/", &row));
    memset(&got, 0, sizeof got);
    CHECK_EQ_INT(st->ops->fetch_get(st, "http://a.example/", &got), 1);
    CHECK_EQ_STR(got.etag, "\"v1\"");
    CHECK_EQ_STR(got.last_modified, "");
    CHECK_EQ_INT(got.fetched, 1641636000);
    /* Replaced, not added. */
    row.etag[0] = '\0';
    snprintf(row.last_modified, sizeof row.last_modified, "Sat, 08 Jan 2022 10:00:00 GMT");
    row.fetched++;
    CHECK_OK(st->ops->fetch_put(st, "http://a.example/", &row));
    CHECK_EQ_INT(st->ops->fetch_get(st, "http://a.example/", &got), 1);
    CHECK_EQ_STR(got.etag, "");
    CHECK_EQ_STR(got.last_modified, "Sat, 08 Jan 2022 10:00:00 GMT");
    CHECK_EQ_INT(got.fetched, 1641636001);
    hd_store_close(st);
}

TEST(fetch_schema_4_is_migrated) {
    const char *path = db_path("v4.db");
    hd_err err = {0};
    hd_store *st = hd_store_open(path, &err);
    CHECK(st != NULL);
    hd_store_close(st);
    /* Make it a version 4 database: no table of fetched URLs. */
    sqlite3 *db;
    CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_exec(db, "DROP TABLE fetched; PRAGMA user_version = 4", NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    st = hd_store_open(path, &err);
    CHECK(st != NULL);
    CHECK_EQ_INT(hd_store_schema_version(st), 5);
    hd_fetch_row row = {.fetched = 7};
    CHECK_OK(st->ops->fetch_put(st, "http://b.example/", &row));
    CHECK_EQ_INT(st->ops->fetch_get(st, "http://b.example/", &row), 1);
    hd_store_close(st);
}
