/*
** test_engine.c -- the whole ingest pipeline through the library: folders,
** problems, idempotence, and allocation failures at every step.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "herald.h"
#include "mem.h"
#include "test.h"

static void write_file(const char *dir, const char *name, const char *body, size_t len) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(body, 1, len, f) == len);
    fclose(f);
}

typedef struct seen {
    int problems;
    char last[512];
} seen;

static void on_problem(void *ud, const char *source, uint32_t line, int code, const char *msg) {
    seen *s = ud;
    (void)code;
    s->problems++;
    snprintf(s->last, sizeof s->last, "%s:%u: %s", source, line, msg);
}

static hd_engine *engine_for(const char *db, seen *s) {
    hd_engine_config cfg = {0};
    cfg.db_path = db;
    cfg.on_problem = on_problem;
    cfg.ud = s;
    hd_err err = {0};
    hd_engine *e = hd_engine_new(&cfg, &err);
    if (e == NULL && err.code == HD_EMODEL) hd_test_skip(err.msg);
    CHECK(e != NULL);
    return e;
}

TEST(engine_ingest_folder_is_idempotent) {
    const char *tmp = hd_test_tmpdir();
    char dir[512], db[512];
    snprintf(dir, sizeof dir, "%s/in", tmp);
    snprintf(db, sizeof db, "%s/e.db", tmp);
    CHECK(mkdir(dir, 0700) == 0);
    const char *a = "Neue Regeln\n\nDie Regierung in Berlin hat am Montag neue Regeln beschlossen.\n";
    const char *b = "{\"id\":\"x1\",\"text\":\"The council met on Tuesday to discuss the budget.\"}\n"
                    "not json\n";
    write_file(dir, "a.txt", a, strlen(a));
    write_file(dir, "b.jsonl", b, strlen(b));
    write_file(dir, ".hidden.txt", a, strlen(a));
    seen s = {0};
    hd_engine *e = engine_for(db, &s);
    hd_ingest_stats st = {0};
    CHECK_OK(hd_engine_ingest(e, dir, &st));
    CHECK_EQ_INT(st.files, 2);
    CHECK_EQ_INT(st.stored, 2);
    CHECK_EQ_INT(st.failed, 1);
    CHECK_EQ_INT(s.problems, 1);
    CHECK(strstr(s.last, "b.jsonl:2:") != NULL);
    hd_ingest_stats again = {0};
    CHECK_OK(hd_engine_ingest(e, dir, &again));
    CHECK_EQ_INT(again.stored, 0);
    CHECK_EQ_INT(again.existing, 2);
    CHECK_EQ_INT(hd_store_count(hd_engine_store(e)), 2);

    hd_doc *d = hd_doc_new(0);
    CHECK_OK(hd_store_get(hd_engine_store(e), "x1", d));
    CHECK_EQ_STR(d->lang[0].code, "en");
    CHECK(d->n_words >= 8);
    hd_doc_free(d);
    hd_engine_free(e);
}

TEST(engine_missing_path_is_reported_not_fatal) {
    char db[512];
    snprintf(db, sizeof db, "%s/m.db", hd_test_tmpdir());
    seen s = {0};
    hd_engine *e = engine_for(db, &s);
    hd_ingest_stats st = {0};
    CHECK_OK(hd_engine_ingest(e, "/nonexistent/herald/path", &st));
    CHECK_EQ_INT(st.failed, 1);
    CHECK(strstr(s.last, "/nonexistent/herald/path") != NULL);
    hd_engine_free(e);
}

/* Fail every allocation of one article's analysis in turn: each run must
** return an error or succeed, never crash or leak (ASan checks leaks), and
** the next article must analyse normally. */
TEST(engine_analyse_survives_every_allocation_failure) {
    seen s = {0};
    hd_engine_config cfg = {0};
    cfg.on_problem = on_problem;
    cfg.ud = &s;
    hd_err err = {0};
    hd_engine *e = hd_engine_new(&cfg, &err);
    if (e == NULL) hd_test_skip(err.msg);
    const char *text = "Kassym-Jomart Tokajew bat Russland um Hilfe. Die OVKS schickte Truppen.";
    hd_doc *d = hd_doc_new(0);
    d->raw_text = hd_doc_strdup(d, text, strlen(text));
    hd_mem_fail_after(-1);
    CHECK_OK(hd_engine_analyse(e, d, &err));
    /* Count the library's allocations for one article. */
    hd_doc_reset(d);
    d->raw_text = hd_doc_strdup(d, text, strlen(text));
    hd_mem_fail_after(-1);
    CHECK_OK(hd_engine_analyse(e, d, &err));
    long count = hd_mem_fail_after(-1);
    CHECK(count > 0);
    for (long k = 0; k < count; k++) {
        hd_doc_reset(d);
        d->raw_text = hd_doc_strdup(d, text, strlen(text));
        hd_mem_fail_after(k);
        int rc = hd_engine_analyse(e, d, &err);
        hd_mem_fail_after(-1);
        CHECK(rc == HD_OK || rc == HD_ENOMEM);
    }
    hd_doc_reset(d);
    d->raw_text = hd_doc_strdup(d, text, strlen(text));
    CHECK_OK(hd_engine_analyse(e, d, &err));
    CHECK_EQ_STR(d->lang[0].code, "de");
    hd_doc_free(d);
    hd_engine_free(e);
}
