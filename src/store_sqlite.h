/*
** store_sqlite.h -- what the SQLite back end's files share (internal to
** store_sqlite.c and store_sqlite_story.c).
*/
#ifndef HD_STORE_SQLITE_H
#define HD_STORE_SQLITE_H

#include <sqlite3.h>

#include "store.h"

enum {
    Q_PUT, Q_GET_ID, Q_GET_PREFIX, Q_GET_EXT, Q_EACH, Q_EACH_TEXT, Q_COUNT,
    Q_HAS, Q_MENTION, Q_ENT_PUT, Q_KEY_PUT, Q_NAME_ADD, Q_ENT_EACH, Q_KEY_EACH, Q_FETCH_GET,
    Q_FETCH_PUT, Q__N
};

#define COLS                                                                  \
    "id, ext_id, source, line, url, site, title, %s, lang, lang_score, "      \
    "lang_reliable, langs, chars, words, sentences, published, ingested, "    \
    "encoding, invalid_bytes, problems, %s, "                               \
    "(SELECT sa.story FROM story_articles sa WHERE sa.article = id)"

#define SQ_STORY_N 12 /* statements of store_sqlite_story.c */

/* SQL for a Unix time as ISO 8601 UTC, and for an entity type code as its
** name (PER, ORG, LOC, MISC), shared by the report queries. */
#define SQ_ISO_TIME(x) "strftime('%Y-%m-%dT%H:%M:%SZ', " x ", 'unixepoch')"
#define SQ_TYPE_NAME(col)                                                               \
    "CASE " col " WHEN 1 THEN 'PER' WHEN 2 THEN 'ORG' WHEN 3 THEN 'LOC' WHEN 4 THEN 'MISC'" \
    " ELSE '?' END"

typedef struct sqlite_store {
    hd_store base;
    sqlite3 *db;
    sqlite3_stmt *q[Q__N];
    sqlite3_stmt *lq[9];   /* links and sketches, see links_prepare */
    sqlite3_stmt *band_q;  /* candidates by band keys, for band_n keys */
    sqlite3_stmt *anchor_ins, *anchor_sel;
    sqlite3_stmt *sq[SQ_STORY_N]; /* stories */
    int band_n;
} sqlite_store;

/* Record SQLite's message for `what` in the store; HD_EDB or HD_ENOMEM. */
int hd_sq_error(sqlite_store *s, const char *what);
/* Step a statement that returns no row, then reset it and its bindings. */
int hd_sq_step_done(sqlite_store *s, sqlite3_stmt *q, const char *what);
/* Turn the current row of a COLS query into `d`. */
int hd_sq_row_to_doc(sqlite3_stmt *q, hd_doc *d);

/* Stories (store_sqlite_story.c). */
int hd_sq_story_prepare(sqlite_store *s);
void hd_sq_story_close(sqlite_store *s);
int hd_sq_story_put(hd_store *st, const hd_story_row *r);
int hd_sq_story_get(hd_store *st, int64_t id, hd_story_row_fn fn, void *ud);
int64_t hd_sq_story_max(hd_store *st);
int hd_sq_story_join(hd_store *st, const char *article, int64_t story, double score, int64_t t);
int hd_sq_story_keys_put(hd_store *st, int64_t story, const uint64_t *keys, int n);
int hd_sq_story_keys_find(hd_store *st, uint64_t key, int max, hd_story_id_fn fn, void *ud);
int hd_sq_story_clear(hd_store *st);
int hd_sq_stories_json(hd_store *st, const hd_story_query *q, char **out);
int hd_sq_search_json(hd_store *st, const char *match, const char *name, const char *lang,
                      int limit, int offset, char **out);
int hd_sq_story_members(hd_store *st, int64_t story, hd_doc_fn fn, void *ud);
/* Entity reports (store_sqlite_entity.c). */
int hd_sq_entity_list_json(hd_store *st, const hd_entity_query *q, char **out);
int hd_sq_entity_json(hd_store *st, const char *id, char **out);
int hd_sq_meta_get(hd_store *st, const char *name, unsigned char **out, size_t *len);
int hd_sq_meta_put(hd_store *st, const char *name, const void *v, size_t len);

#endif
