/*
** store_sqlite_story.c -- the SQLite back end's part of the stories
** (story.c): story rows, memberships, the story index, named values, and
** the story list built in SQL.
**
** The story index (story_keys) holds one row per anchor and story; it is
** read newest story first, so a common anchor costs at most `max` rows
** however long the stream has run, and old stories fall out of reach on
** their own.
*/
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "store_sqlite.h"

enum { S_PUT, S_GET, S_MAX, S_JOIN, S_KEY_PUT, S_KEY_FIND, S_META_GET, S_META_PUT, S_MEMBERS, S__N };

_Static_assert(S__N <= SQ_STORY_N, "sq too small");

int hd_sq_story_prepare(sqlite_store *s) {
    char members[600];
    snprintf(members, sizeof members,
             "SELECT " COLS " FROM articles JOIN story_articles m ON m.article = articles.id "
             "WHERE m.story = ?1 ORDER BY m.t, articles.seq", "text", "facts");
    const char *sql[S__N] = {
        [S_PUT] = "INSERT OR REPLACE INTO stories (id, first, last, n, centroid) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)",
        [S_GET] = "SELECT first, last, n, centroid FROM stories WHERE id = ?1",
        [S_MAX] = "SELECT coalesce(max(id), 0) FROM stories",
        /* An upsert, not a replace: moving an article fires the update
        ** trigger that keeps story_langs right. */
        [S_JOIN] = "INSERT INTO story_articles (article, story, score, t) VALUES (?1, ?2, ?3, ?4)"
                   " ON CONFLICT (article) DO UPDATE SET story = excluded.story,"
                   " score = excluded.score, t = excluded.t",
        [S_KEY_PUT] = "INSERT OR IGNORE INTO story_keys (key, story) VALUES (?1, ?2)",
        [S_KEY_FIND] = "SELECT story FROM story_keys WHERE key = ?1 ORDER BY story DESC LIMIT ?2",
        [S_META_GET] = "SELECT value FROM meta WHERE name = ?1",
        [S_META_PUT] = "INSERT OR REPLACE INTO meta (name, value) VALUES (?1, ?2)",
        [S_MEMBERS] = members,
    };
    for (int i = 0; i < S__N; i++)
        if (sqlite3_prepare_v3(s->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->sq[i], NULL) !=
            SQLITE_OK)
            return hd_sq_error(s, "preparing the story statements");
    return HD_OK;
}

void hd_sq_story_close(sqlite_store *s) {
    for (int i = 0; i < S__N; i++) sqlite3_finalize(s->sq[i]);
}

int hd_sq_story_put(hd_store *st, const hd_story_row *r) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->sq[S_PUT];
    sqlite3_bind_int64(q, 1, r->id);
    sqlite3_bind_int64(q, 2, r->first);
    sqlite3_bind_int64(q, 3, r->last);
    sqlite3_bind_int64(q, 4, r->n);
    sqlite3_bind_blob(q, 5, r->centroid ? (const void *)r->centroid : "", (int)r->centroid_len,
                      SQLITE_STATIC);
    return hd_sq_step_done(s, q, "storing a story");
}

int hd_sq_story_get(hd_store *st, int64_t id, hd_story_row_fn fn, void *ud) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->sq[S_GET];
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q), r;
    if (rc == SQLITE_ROW) {
        hd_story_row row = {
            .id = id,
            .first = sqlite3_column_int64(q, 0),
            .last = sqlite3_column_int64(q, 1),
            .n = (uint32_t)sqlite3_column_int64(q, 2),
            .centroid = sqlite3_column_blob(q, 3),
            .centroid_len = (size_t)sqlite3_column_bytes(q, 3),
        };
        r = fn(ud, &row);
    } else {
        r = rc == SQLITE_DONE ? HD_ENOTFOUND : hd_sq_error(s, "reading a story");
    }
    sqlite3_reset(q);
    return r;
}

int64_t hd_sq_story_max(hd_store *st) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->sq[S_MAX];
    int64_t v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0)
                                              : hd_sq_error(s, "counting stories");
    sqlite3_reset(q);
    return v;
}

int hd_sq_story_join(hd_store *st, const char *article, int64_t story, double score, int64_t t) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->sq[S_JOIN];
    sqlite3_bind_text(q, 1, article, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, story);
    sqlite3_bind_double(q, 3, score);
    sqlite3_bind_int64(q, 4, t);
    return hd_sq_step_done(s, q, "storing an article's story");
}

int hd_sq_story_keys_put(hd_store *st, int64_t story, const uint64_t *keys, int n) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->sq[S_KEY_PUT];
    for (int i = 0; i < n; i++) {
        sqlite3_bind_int64(q, 1, (sqlite3_int64)keys[i]);
        sqlite3_bind_int64(q, 2, story);
        int rc = hd_sq_step_done(s, q, "storing the story index");
        if (rc != HD_OK) return rc;
    }
    return HD_OK;
}

int hd_sq_story_keys_find(hd_store *st, uint64_t key, int max, hd_story_id_fn fn, void *ud) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->sq[S_KEY_FIND];
    sqlite3_bind_int64(q, 1, (sqlite3_int64)key);
    sqlite3_bind_int(q, 2, max + 1);
    int n = 0, rc, stop = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (++n > max || stop) continue;
        stop = fn(ud, sqlite3_column_int64(q, 0));
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) return hd_sq_error(s, "reading the story index");
    return n;
}

int hd_sq_story_clear(hd_store *st) {
    sqlite_store *s = (sqlite_store *)st;
    if (sqlite3_exec(s->db,
                     /* story_langs first: its delete trigger then has nothing to do. */
                     "DELETE FROM story_langs; DELETE FROM story_keys; DELETE FROM story_articles;"
                     " DELETE FROM stories;",
                     NULL, NULL, NULL) != SQLITE_OK)
        return hd_sq_error(s, "clearing the stories");
    return HD_OK;
}

int hd_sq_meta_get(hd_store *st, const char *name, unsigned char **out, size_t *len) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->sq[S_META_GET];
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q), r = HD_OK;
    if (rc == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(q, 0);
        const void *v = sqlite3_column_blob(q, 0);
        *out = hd_malloc(n ? n : 1);
        if (*out == NULL) r = HD_ENOMEM;
        else if (n) memcpy(*out, v, n);
        *len = n;
    } else {
        r = rc == SQLITE_DONE ? HD_ENOTFOUND : hd_sq_error(s, "reading a named value");
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return r;
}

int hd_sq_meta_put(hd_store *st, const char *name, const void *v, size_t len) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->sq[S_META_PUT];
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(q, 2, len ? v : "", (int)len, SQLITE_STATIC);
    return hd_sq_step_done(s, q, "storing a named value");
}

int hd_sq_story_members(hd_store *st, int64_t story, hd_doc_fn fn, void *ud) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->sq[S_MEMBERS];
    sqlite3_bind_int64(q, 1, story);
    hd_doc *d = hd_doc_new(0);
    int rc = SQLITE_DONE, r = 0, n = 0;
    while (d && r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if ((r = hd_sq_row_to_doc(q, d)) != HD_OK) break;
        r = fn(ud, d);
        n++;
    }
    sqlite3_reset(q);
    hd_doc_free(d);
    if (d == NULL) return HD_ENOMEM;
    if (r != 0) return r;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return hd_sq_error(s, "reading a story's articles");
    return n;
}

/*---- the story list ----*/

/* The entities a filter names: an id prefix, or any spelling seen. */
#define ENTITY_MATCH(param, type_cond)                                                 \
    "(SELECT e.id FROM entities e WHERE (length(" param ") >= 4 AND e.id LIKE " param \
    " || '%') OR e.name = " param " COLLATE NOCASE" type_cond                          \
    " UNION SELECT v.entity FROM entity_names v JOIN entities e ON e.id = v.entity"     \
    " WHERE v.name = " param " COLLATE NOCASE" type_cond ")"


int hd_sq_stories_json(hd_store *st, const hd_story_query *q, char **out) {
    sqlite_store *s = (sqlite_store *)st;
    char sql[6144];
    int len = snprintf(sql, sizeof sql, "%s",
                       "WITH sel AS (SELECT s.id, s.n, s.first, s.last FROM stories s WHERE 1");
#define ADD(str) len += snprintf(sql + len, sizeof sql - (size_t)len, "%s", str)
    if (q->lang) ADD(" AND EXISTS (SELECT 1 FROM story_langs l WHERE l.story = s.id AND l.lang = :lang)");
    /* Filters on members run once, from the matching articles to their
    ** stories, not once per story over all its members. */
    if (q->entity)
        ADD(" AND s.id IN (SELECT m.story FROM mentions x JOIN story_articles m ON m.article = x.article"
            " WHERE x.entity IN " ENTITY_MATCH(":entity", "") ")");
    if (q->place)
        ADD(" AND s.id IN (SELECT m.story FROM mentions x JOIN story_articles m ON m.article = x.article"
            " WHERE x.entity IN " ENTITY_MATCH(":place", " AND e.type = 3") ")");
    if (q->since) ADD(" AND s.last >= :since");
    if (q->until) ADD(" AND s.first <= :until");
    if (q->text)
        ADD(" AND s.id IN (SELECT m.story FROM articles_fts f JOIN articles a ON a.seq = f.rowid"
            " JOIN story_articles m ON m.article = a.id"
            " WHERE articles_fts MATCH :text)");   /* quoted by hd_engine_stories_json */
    ADD(q->latest ? " ORDER BY s.last DESC, s.id DESC" : " ORDER BY s.n DESC, s.last DESC, s.id");
    ADD(" LIMIT :limit OFFSET :offset) SELECT json_group_array(json(j)) FROM (SELECT json_object("
        "'id', sel.id, 'articles', sel.n, 'first', " SQ_ISO_TIME("sel.first") ", 'last', " SQ_ISO_TIME("sel.last") ","
        /* Titles and languages from story_langs: a few rows per story. */
        "'title', (SELECT l.title FROM story_langs l WHERE l.story = sel.id"
        "  ORDER BY l.lang = :tl AND l.title <> '' DESC, l.title = '', l.t, l.lang LIMIT 1),"
        "'title_lang', (SELECT l.lang FROM story_langs l WHERE l.story = sel.id"
        "  ORDER BY l.lang = :tl AND l.title <> '' DESC, l.title = '', l.t, l.lang LIMIT 1),"
        /* A story without any title (a stream of headlines as text) is
        ** shown by the start of its earliest article. */
        "'lead', (SELECT substr(a.text, 1, 160) FROM story_articles m JOIN articles a"
        "  ON a.id = m.article WHERE m.story = sel.id AND NOT EXISTS (SELECT 1 FROM story_langs l"
        "  WHERE l.story = sel.id AND l.title <> '') ORDER BY m.t LIMIT 1),"
        "'languages', (SELECT json_group_object(lang, n) FROM (SELECT l.lang, l.n"
        "  FROM story_langs l WHERE l.story = sel.id ORDER BY l.n DESC, l.lang)),"
        "'entities', (SELECT json_group_array(name) FROM (SELECT e.name, count(*) AS c"
        "  FROM story_articles m JOIN mentions x ON x.article = m.article"
        "  JOIN entities e ON e.id = x.entity WHERE m.story = sel.id"
        "  GROUP BY e.id ORDER BY c DESC, e.name LIMIT 5))) AS j FROM sel");
    ADD(q->latest ? " ORDER BY sel.last DESC, sel.id DESC)"
                  : " ORDER BY sel.n DESC, sel.last DESC, sel.id)");
#undef ADD
    if ((size_t)len >= sizeof sql) return HD_EINVAL;
    sqlite3_stmt *st2;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st2, NULL) != SQLITE_OK)
        return hd_sq_error(s, "listing stories");
#define BIND_TEXT(name, v) \
    if (sqlite3_bind_parameter_index(st2, name)) sqlite3_bind_text(st2, sqlite3_bind_parameter_index(st2, name), v, -1, SQLITE_STATIC)
    BIND_TEXT(":lang", q->lang);
    BIND_TEXT(":entity", q->entity);
    BIND_TEXT(":place", q->place);
    BIND_TEXT(":text", q->text);
    BIND_TEXT(":tl", q->title_lang ? q->title_lang : "");
#undef BIND_TEXT
    int i;
    if ((i = sqlite3_bind_parameter_index(st2, ":since"))) sqlite3_bind_int64(st2, i, q->since);
    if ((i = sqlite3_bind_parameter_index(st2, ":until"))) sqlite3_bind_int64(st2, i, q->until);
    sqlite3_bind_int(st2, sqlite3_bind_parameter_index(st2, ":limit"), q->limit > 0 ? q->limit : 50);
    sqlite3_bind_int(st2, sqlite3_bind_parameter_index(st2, ":offset"), q->offset > 0 ? q->offset : 0);
    int rc = sqlite3_step(st2), r = HD_OK;
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st2, 0);
        *out = hd_strdup(t ? t : "[]");
        if (*out == NULL) r = HD_ENOMEM;
    } else {
        r = hd_sq_error(s, "listing stories");
    }
    sqlite3_finalize(st2);
    return r;
}

/* Full-text search (articles_fts, stemmed since schema 8): FTS5 matches
** ranked by bm25, then the articles that mention an entity one of whose
** spellings equals `name`, which the text itself may spell otherwise.
** The index reads the text with a language marker in front (fts_stem.h),
** so a snippet from the start of the text begins with it: cut off. */
int hd_sq_search_json(hd_store *st, const char *match, const char *name, const char *lang,
                      int limit, int offset, char **out) {
    sqlite_store *s = (sqlite_store *)st;
    static const char sql[] =
        "WITH hits AS ("
        " SELECT a.seq AS seq, bm25(articles_fts) AS r,"
        "  snippet(articles_fts, 1, '', '', '...', 16) AS snip0"
        " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
        " WHERE articles_fts MATCH :m AND (:lang IS NULL OR a.lang = :lang)"
        " UNION ALL"
        " SELECT a.seq, 1e300, substr(a.text, 1, 160) FROM articles a"
        " WHERE (:lang IS NULL OR a.lang = :lang) AND a.id IN (SELECT x.article FROM mentions x"
        "  WHERE x.entity IN (SELECT v.entity FROM entity_names v WHERE v.name = :name COLLATE NOCASE"
        "   UNION SELECT e.id FROM entities e WHERE e.name = :name COLLATE NOCASE))"
        "), best AS (SELECT seq, min(r) AS r, CASE WHEN substr(snip0, 1, 1) = char(31)"
        "  THEN substr(snip0, instr(substr(snip0, 2), char(31)) + 2) ELSE snip0 END AS snip"
        " FROM hits GROUP BY seq"
        " ORDER BY r, seq LIMIT :limit OFFSET :offset)"
        " SELECT json_group_array(json(j)) FROM (SELECT json_object("
        "  'id', a.id, 'title', a.title, 'lang', a.lang, 'source', a.source,"
        "  'story', (SELECT m.story FROM story_articles m WHERE m.article = a.id),"
        "  'published', CASE WHEN a.published IS NULL THEN NULL ELSE " SQ_ISO_TIME("a.published") " END,"
        "  'snippet', best.snip) AS j"
        " FROM best JOIN articles a ON a.seq = best.seq ORDER BY best.r, best.seq)";
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return hd_sq_error(s, "searching articles");
    sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, ":m"), match, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, ":name"), name, -1, SQLITE_STATIC);
    if (lang) sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, ":lang"), lang, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, ":limit"), limit > 0 ? limit : 20);
    sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, ":offset"), offset > 0 ? offset : 0);
    int rc = sqlite3_step(q), r = HD_OK;
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(q, 0);
        *out = hd_strdup(t ? t : "[]");
        if (*out == NULL) r = HD_ENOMEM;
    } else {
        r = hd_sq_error(s, "searching articles");
    }
    sqlite3_finalize(q);
    return r;
}
