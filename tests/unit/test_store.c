/*
** test_store.c -- the storage conformance suite (SQLite back end today;
** PostgreSQL joins through the same tests).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "herald.h"
#include "store.h"
#include "test.h"

static const char *db_in_tmp(const char *name) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", hd_test_tmpdir(), name);
    return path;
}

/* A doc as if analysed, with id `id`. */
static hd_doc *fake_doc(const char *id, const char *title, const char *text) {
    hd_doc *d = hd_doc_new(0);
    CHECK(d != NULL);
    snprintf(d->id, sizeof d->id, "%s", id);
    d->source = hd_doc_strdup(d, "a/b.txt", 7);
    d->title = hd_doc_strdup(d, title, strlen(title));
    d->text = hd_doc_strdup(d, text, strlen(text));
    d->ext_id = hd_doc_strdup(d, "ext-1", 5);
    d->n_lang = 2;
    snprintf(d->lang[0].code, sizeof d->lang[0].code, "de");
    d->lang[0].score = 0.9f;
    snprintf(d->lang[1].code, sizeof d->lang[1].code, "nl");
    d->lang[1].score = 0.05f;
    d->lang_reliable = 1;
    d->n_words = 3;
    d->n_sentences = 1;
    d->n_chars = strlen(text);
    d->published = 1641600000;
    d->encoding = "windows-1252";
    d->n_invalid = 2;
    CHECK_OK(hd_doc_problem(d, "invalid-utf8", "%d invalid byte sequences replaced", 2));
    return d;
}

TEST(store_put_get_roundtrip) {
    hd_err err = {0};
    hd_store *st = hd_store_open(db_in_tmp("a.db"), &err);
    CHECK(st != NULL);
    CHECK_EQ_INT(hd_store_schema_version(st), HD_SCHEMA_VERSION);
    hd_doc *d = fake_doc("0123456789abcdef", "Titel", "Ein kurzer Text.");
    CHECK_OK(hd_store_begin(st));
    CHECK_EQ_INT(hd_store_put(st, d), 1);
    CHECK_EQ_INT(hd_store_put(st, d), 0); /* same id: nothing new */
    CHECK_OK(hd_store_commit(st));
    CHECK_EQ_INT(hd_store_count(st), 1);

    hd_doc *g = hd_doc_new(0);
    CHECK_OK(hd_store_get(st, "0123456789abcdef", g));
    CHECK_EQ_STR(g->id, "0123456789abcdef");
    CHECK_EQ_VIEW(g->title, "Titel");
    CHECK_EQ_VIEW(g->text, "Ein kurzer Text.");
    CHECK_EQ_VIEW(g->ext_id, "ext-1");
    CHECK_EQ_VIEW(g->source, "a/b.txt");
    CHECK_EQ_INT(g->n_lang, 2);
    CHECK_EQ_STR(g->lang[0].code, "de");
    CHECK_EQ_STR(g->lang[1].code, "nl");
    CHECK(g->lang[0].score > 0.89f && g->lang[0].score < 0.91f);
    CHECK_EQ_INT(g->published, 1641600000);
    CHECK_EQ_STR(g->encoding, "windows-1252");
    CHECK_EQ_INT(g->n_invalid, 2);
    CHECK_EQ_INT(g->n_problems, 1);
    CHECK_EQ_STR(g->problems[0].kind, "invalid-utf8");

    /* By prefix and by ext_id. */
    CHECK_OK(hd_store_get(st, "0123", g));
    CHECK_EQ_STR(g->id, "0123456789abcdef");
    CHECK_OK(hd_store_get(st, "ext-1", g));
    CHECK_EQ_STR(g->id, "0123456789abcdef");
    CHECK_EQ_INT(hd_store_get(st, "ffff", g), HD_ENOTFOUND);
    CHECK(strstr(hd_store_errmsg(st), "ffff") != NULL);
    hd_doc_free(g);
    hd_doc_free(d);
    hd_store_close(st);
}

TEST(store_ambiguous_prefix) {
    hd_store *st = hd_store_open(db_in_tmp("b.db"), NULL);
    CHECK(st != NULL);
    hd_doc *a = fake_doc("abcd000000000001", "A", "a");
    hd_doc *b = fake_doc("abcd000000000002", "B", "b");
    CHECK_EQ_INT(hd_store_put(st, a), 1);
    CHECK_EQ_INT(hd_store_put(st, b), 1);
    hd_doc *g = hd_doc_new(0);
    CHECK_EQ_INT(hd_store_get(st, "abcd", g), HD_EINVAL);
    CHECK_OK(hd_store_get(st, "abcd000000000002", g));
    CHECK_EQ_VIEW(g->title, "B");
    hd_doc_free(a);
    hd_doc_free(b);
    hd_doc_free(g);
    hd_store_close(st);
}

static int count_rows(void *ud, hd_doc *d) {
    int *n = ud;
    CHECK(d->id[0] != '\0');
    (*n)++;
    return 0;
}

TEST(store_rollback_keeps_nothing_and_reopen_keeps_commits) {
    const char *path = db_in_tmp("c.db");
    hd_store *st = hd_store_open(path, NULL);
    CHECK(st != NULL);
    hd_doc *a = fake_doc("1111000000000001", "A", "a");
    hd_doc *b = fake_doc("1111000000000002", "B", "b");
    CHECK_OK(hd_store_begin(st));
    CHECK_EQ_INT(hd_store_put(st, a), 1);
    CHECK_OK(hd_store_commit(st));
    CHECK_OK(hd_store_begin(st));
    CHECK_EQ_INT(hd_store_put(st, b), 1);
    CHECK_OK(hd_store_rollback(st));
    hd_store_close(st);

    st = hd_store_open(path, NULL);
    CHECK(st != NULL);
    int n = 0;
    CHECK_EQ_INT(hd_store_each(st, 1, count_rows, &n), 1);
    CHECK_EQ_INT(n, 1);
    /* An open transaction at close is rolled back, not committed. */
    CHECK_OK(hd_store_begin(st));
    CHECK_EQ_INT(hd_store_put(st, b), 1);
    hd_store_close(st);
    st = hd_store_open(path, NULL);
    CHECK_EQ_INT(hd_store_count(st), 1);
    hd_store_close(st);
    hd_doc_free(a);
    hd_doc_free(b);
}

TEST(store_refuses_newer_schema_and_garbage) {
    const char *path = db_in_tmp("d.db");
    hd_store *st = hd_store_open(path, NULL);
    CHECK(st != NULL);
    hd_store_close(st);
    /* Pretend a future herald wrote this file. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'PRAGMA user_version=99'", path);
    if (system(cmd) != 0) hd_test_skip("sqlite3 shell not available");
    hd_err err = {0};
    CHECK(hd_store_open(path, &err) == NULL);
    CHECK_EQ_INT(err.code, HD_EDB);
    CHECK(strstr(err.msg, "newer") != NULL);

    const char *junk = db_in_tmp("junk.db");
    FILE *f = fopen(junk, "wb");
    CHECK(f != NULL);
    fputs("this is not a database, just some text that is long enough to matter....", f);
    fclose(f);
    CHECK(hd_store_open(junk, &err) == NULL);
    CHECK(strstr(err.msg, "junk.db") != NULL);
}

static int stop_early(void *ud, hd_doc *d) {
    (void)d;
    int *n = ud;
    return ++*n == 2 ? 42 : 0;
}

TEST(store_each_stops_on_callback_value) {
    hd_store *st = hd_store_open(db_in_tmp("e.db"), NULL);
    for (int i = 0; i < 5; i++) {
        char id[17];
        snprintf(id, sizeof id, "22220000000000%02u", (unsigned)i % 100u);
        hd_doc *d = fake_doc(id, "T", "x");
        CHECK_EQ_INT(hd_store_put(st, d), 1);
        hd_doc_free(d);
    }
    int n = 0;
    CHECK_EQ_INT(hd_store_each(st, 0, stop_early, &n), 42);
    CHECK_EQ_INT(n, 2);
    hd_store_close(st);
}

/*---- stories (story.c's part of the store) ----*/

static int keep_row(void *ud, const hd_story_row *r) {
    hd_story_row *o = ud;
    *o = *r;
    o->centroid = NULL; /* valid during the call only */
    return r->centroid_len == 3 && memcmp(r->centroid, "abc", 3) == 0 ? HD_OK : HD_EINVAL;
}

static int collect_story(void *ud, int64_t story) {
    int64_t *v = ud;
    v[++v[0]] = story;
    return 0;
}

TEST(store_stories_roundtrip_index_and_meta) {
    hd_store *st = hd_store_open(db_in_tmp("s.db"), NULL);
    CHECK(st != NULL);
    CHECK_EQ_INT(st->ops->story_max(st), 0);
    CHECK_OK(hd_store_begin(st));
    for (int64_t id = 1; id <= 40; id++) {
        hd_story_row r = {id, 100 * id, 100 * id + 5, (uint32_t)id, (const unsigned char *)"abc", 3};
        CHECK_OK(st->ops->story_put(st, &r));
        uint64_t keys[2] = {7, (uint64_t)id + 1000};
        CHECK_OK(st->ops->story_keys_put(st, id, keys, 2));
        CHECK_OK(st->ops->story_keys_put(st, id, keys, 2)); /* again: no duplicates */
    }
    CHECK_OK(hd_store_commit(st));
    CHECK_EQ_INT(st->ops->story_max(st), 40);
    hd_story_row got = {0};
    CHECK_OK(st->ops->story_get(st, 17, keep_row, &got));
    CHECK_EQ_INT(got.first, 1700);
    CHECK_EQ_INT(got.n, 17);
    CHECK_EQ_INT(st->ops->story_get(st, 99, keep_row, &got), HD_ENOTFOUND);

    /* A common key: the newest `max` stories, and "there are more". */
    int64_t seen[64] = {0};
    CHECK_EQ_INT(st->ops->story_keys_find(st, 7, 32, collect_story, seen), 33);
    CHECK_EQ_INT(seen[0], 32);
    CHECK_EQ_INT(seen[1], 40);
    CHECK_EQ_INT(seen[32], 9);
    memset(seen, 0, sizeof seen);
    CHECK_EQ_INT(st->ops->story_keys_find(st, 1005, 32, collect_story, seen), 1);
    CHECK_EQ_INT(seen[1], 5);

    unsigned char *v = NULL;
    size_t len = 0;
    CHECK_EQ_INT(st->ops->meta_get(st, "nothing", &v, &len), HD_ENOTFOUND);
    CHECK_OK(st->ops->meta_put(st, "k", "value", 5));
    CHECK_OK(st->ops->meta_get(st, "k", &v, &len));
    CHECK(len == 5 && memcmp(v, "value", 5) == 0);
    hd_free(v);

    CHECK_OK(st->ops->story_clear(st));
    CHECK_EQ_INT(st->ops->story_max(st), 0);
    CHECK_EQ_INT(st->ops->story_keys_find(st, 7, 32, collect_story, seen), 0);
    hd_store_close(st);
}

/* The story list reads titles and language counts kept by triggers as
** articles join, move between and leave stories. */
TEST(store_story_list_follows_joins_and_moves) {
    hd_store *st = hd_store_open(db_in_tmp("list.db"), NULL);
    CHECK(st != NULL);
    static const char *const ids[] = {"aaaa000000000001", "aaaa000000000002", "aaaa000000000003"};
    static const char *const titles[] = {"", "Zweiter Titel", "Erster Titel"};
    CHECK_OK(hd_store_begin(st));
    for (int i = 0; i < 3; i++) {
        hd_doc *d = fake_doc(ids[i], titles[i], "Text.");
        CHECK(hd_store_put(st, d) == 1);
        hd_doc_free(d);
    }
    for (int64_t id = 1; id <= 2; id++) {
        hd_story_row r = {id, 100, 300, 1, (const unsigned char *)"abc", 3};
        CHECK_OK(st->ops->story_put(st, &r));
    }
    /* Times 100, 200, 150: the earliest article with a title is the third. */
    CHECK_OK(st->ops->story_join(st, ids[0], 1, 1.0, 100));
    CHECK_OK(st->ops->story_join(st, ids[1], 1, 0.9, 200));
    CHECK_OK(st->ops->story_join(st, ids[2], 1, 0.8, 150));
    CHECK_OK(hd_store_commit(st));
    hd_story_query q = {0};
    char *out = NULL;
    CHECK_OK(st->ops->stories_json(st, &q, &out));
    CHECK(strstr(out, "\"title\":\"Erster Titel\"") != NULL);
    CHECK(strstr(out, "\"languages\":{\"de\":3}") != NULL);
    hd_free(out);
    /* The third moves to story 2: story 1 falls back to the second. */
    CHECK_OK(st->ops->story_join(st, ids[2], 2, 0.8, 150));
    CHECK_OK(st->ops->stories_json(st, &q, &out));
    CHECK(strstr(out, "\"id\":1,") != NULL);
    CHECK(strstr(out, "\"title\":\"Zweiter Titel\",\"title_lang\":\"de\",\"lead\":null,\"languages\":{\"de\":2}") != NULL);
    CHECK(strstr(out, "\"title\":\"Erster Titel\",\"title_lang\":\"de\",\"lead\":null,\"languages\":{\"de\":1}") != NULL);
    hd_free(out);
    /* A language filter uses the same counts. */
    q.lang = "nl";
    CHECK_OK(st->ops->stories_json(st, &q, &out));
    CHECK(strcmp(out, "[]") == 0);
    hd_free(out);
    q.lang = "de";
    CHECK_OK(st->ops->stories_json(st, &q, &out));
    CHECK(strstr(out, "\"id\":2,") != NULL);
    hd_free(out);
    CHECK_OK(st->ops->story_clear(st));
    q.lang = NULL;
    CHECK_OK(st->ops->stories_json(st, &q, &out));
    CHECK(strcmp(out, "[]") == 0);
    hd_free(out);
    hd_store_close(st);
}
