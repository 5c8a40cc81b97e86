/*
** fuzz_api.c -- the library calls `herald serve` makes with what a request
** carries: search words, story filters, entity filters and ids, against a
** small database built on the first call.  Byte 0 picks the call and its
** options; the rest, cut at NUL bytes, gives up to four strings.  Whatever
** the bytes, a call succeeds with valid JSON or fails with "not found" or
** "invalid": never a database error, which is what a string reaching SQL
** as syntax would give.
*/
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "herald.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static hd_engine *engine;

static void cleanup(void) {
    char path[96];
    hd_engine_free(engine);
    engine = NULL;
    static const char *const files[] = {"fuzz.db", "fuzz.db-wal", "fuzz.db-shm"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static const char articles[] =
    "{\"id\":\"a1\",\"lang\":\"de\",\"title\":\"Tokajew bittet Putin um Hilfe\",\"text\":\"Der "
    "kasachische Präsident Kassym-Jomart Tokajew hat Russland um Hilfe gebeten. Putin schickte "
    "Fallschirmjäger nach Almaty, sagte der Kreml am Donnerstag.\"}\n"
    "{\"id\":\"a2\",\"lang\":\"en\",\"title\":\"Tokayev asks Putin for help\",\"text\":\"Kazakh "
    "President Kassym-Jomart Tokayev asked Russia for help. Putin sent paratroopers to Almaty, "
    "the Kremlin said on Thursday.\"}\n"
    "{\"id\":\"a3\",\"lang\":\"it\",\"text\":\"Il presidente kazako Tokayev ha chiesto aiuto "
    "alla Russia; Putin ha inviato paracadutisti ad Almaty, ha detto il Cremlino giovedì.\"}\n";

static hd_engine *open_engine(void) {
    if (engine) return engine;
    snprintf(dir, sizeof dir, "%s", "/tmp/herald-fuzz-api-XXXXXX");
    if (mkdtemp(dir) == NULL) abort();
    char path[96];
    snprintf(path, sizeof path, "%s/fuzz.db", dir);
    hd_engine_config cfg = {0};
    cfg.db_path = path;
    hd_err err = {0};
    engine = hd_engine_new(&cfg, &err);
    if (engine == NULL) {
        fprintf(stderr, "fuzz_api: %s\n", err.msg);
        abort();
    }
    atexit(cleanup);
    hd_ingest_stats st = {0};
    if (hd_engine_ingest_buffer(engine, "fuzz.jsonl", HD_FMT_JSONL, articles, sizeof articles - 1,
                                &st) != HD_OK ||
        st.stored != 3)
        abort();
    return engine;
}

/* The call's answer must be JSON, or an expected refusal. */
static void check(int rc, char *out, const hd_err *err) {
    if (rc == HD_OK) {
        json_error_t je;
        json_t *v = json_loads(out, 0, &je);
        if (v == NULL) __builtin_trap();
        json_decref(v);
        hd_free(out);
        return;
    }
    if (rc != HD_EINVAL && rc != HD_ENOTFOUND) {
        fprintf(stderr, "fuzz_api: %s\n", err->msg);
        __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 4096) return 0;
    hd_engine *e = open_engine();
    /* Up to four NUL-terminated strings from the bytes after the first. */
    char *copy = malloc(size + 1);
    if (copy == NULL) return 0;
    memcpy(copy, data + 1, size - 1);
    copy[size - 1] = '\0';
    const char *s[4] = {"", "", "", ""};
    size_t at = 0;
    for (int i = 0; i < 4 && at < size; i++) {
        s[i] = copy + at;
        at += strlen(copy + at) + 1;
    }
    const char *opt = (data[0] & 0x10) ? s[1] : NULL;
    char *out = NULL;
    hd_err err = {0};
    int rc;
    switch (data[0] % 4) {
    case 0:
        rc = hd_engine_search_json(e, s[0], opt, 1 + data[0] % 7, data[0] % 3, &out, &err);
        break;
    case 1: {
        hd_story_query q = {0};
        q.text = *s[0] ? s[0] : NULL;
        q.entity = *s[1] ? s[1] : NULL;
        q.place = *s[2] ? s[2] : NULL;
        q.lang = (data[0] & 0x20) ? s[3] : NULL;
        q.title_lang = (data[0] & 0x40) ? s[3] : NULL;
        q.latest = data[0] >> 7;
        rc = hd_engine_stories_json(e, &q, &out, &err);
        break;
    }
    case 2: {
        hd_entity_query q = {0};
        q.text = *s[0] ? s[0] : NULL;
        q.type = (data[0] & 0x20) ? s[1] : NULL;
        q.lang = (data[0] & 0x40) ? s[2] : NULL;
        q.limit = data[0] >> 5;
        rc = hd_engine_entities_json(e, &q, &out, &err);
        break;
    }
    default:
        rc = hd_engine_entity_json(e, s[0], &out, &err);
        break;
    }
    check(rc, out, &err);
    free(copy);
    return 0;
}
