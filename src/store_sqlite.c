/*
** store_sqlite.c -- the embedded SQLite back end of hd_store.
**
** One file, WAL journal, foreign keys on.  The schema is versioned with
** PRAGMA user_version: `migrations[i]` takes a database from version i to
** i+1, each in its own transaction, so a database written by an older
** build is carried forward without losing data, and one written by a newer
** build is refused rather than damaged.
**
** Articles are keyed by their content id (hd_doc.id); storing an id that
** exists changes nothing, which makes re-ingesting idempotent.  Every
** statement is prepared once per connection and bound with parameters.
*/
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "doc.h"
#include "err.h"
#include "fts_stem.h"
#include "mem.h"
#include "store.h"
#include "store_sqlite.h"

/* Count story `st`'s articles in the language of article `art` again and
** pick its title (the earliest titled article, else the earliest), for the
** story_langs triggers of version 9. */
#define STORY_LANG_RECOUNT(st, art)                                                          \
    "  DELETE FROM story_langs WHERE story = " st                                             \
    "   AND lang = (SELECT lang FROM articles WHERE id = " art ");"                          \
    "  INSERT INTO story_langs (story, lang, n, title, t)"                                    \
    "   SELECT " st ", a.lang, count(*), '', 0 FROM story_articles m"                        \
    "   JOIN articles a ON a.id = m.article"                                                  \
    "   WHERE m.story = " st " AND a.lang = (SELECT lang FROM articles WHERE id = " art ")"  \
    "   GROUP BY a.lang;"                                                                     \
    "  UPDATE story_langs SET (title, t) = (SELECT a.title, m.t FROM story_articles m"        \
    "   JOIN articles a ON a.id = m.article WHERE m.story = story_langs.story"                \
    "   AND a.lang = story_langs.lang ORDER BY a.title = '', m.t, a.seq LIMIT 1)"             \
    "   WHERE story = " st " AND lang = (SELECT lang FROM articles WHERE id = " art ");"

static const char *const migrations[] = {
    /* 0 -> 1: articles. */
    "CREATE TABLE articles ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  id TEXT NOT NULL UNIQUE,"
    "  ext_id TEXT,"
    "  source TEXT NOT NULL,"
    "  line INTEGER NOT NULL DEFAULT 0,"
    "  url TEXT,"
    "  site TEXT,"
    "  title TEXT NOT NULL,"
    "  text TEXT NOT NULL,"
    "  lang TEXT NOT NULL,"
    "  lang_score REAL NOT NULL,"
    "  lang_reliable INTEGER NOT NULL,"
    "  langs TEXT NOT NULL,"          /* JSON [{"lang":..,"score":..}] */
    "  chars INTEGER NOT NULL,"
    "  words INTEGER NOT NULL,"
    "  sentences INTEGER NOT NULL,"
    "  published INTEGER,"            /* Unix seconds UTC */
    "  ingested INTEGER NOT NULL,"
    "  encoding TEXT NOT NULL,"
    "  invalid_bytes INTEGER NOT NULL,"
    "  problems TEXT NOT NULL"        /* JSON [{"kind":..,"detail":..}] */
    ");"
    "CREATE INDEX articles_ext_id ON articles(ext_id);"
    "CREATE INDEX articles_lang ON articles(lang);",
    /* 1 -> 2: facts and the entity registry. */
    "ALTER TABLE articles ADD COLUMN facts TEXT;"   /* JSON, see doc_facts.c */
    "CREATE TABLE entities ("
    "  id TEXT PRIMARY KEY,"
    "  type INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  country TEXT,"
    "  geoname INTEGER,"
    "  lat REAL,"
    "  lon REAL"
    ");"
    "CREATE TABLE entity_keys ("                     /* name keys -> entity */
    "  key TEXT PRIMARY KEY,"
    "  entity TEXT NOT NULL"
    ");"
    "CREATE TABLE entity_names ("                    /* spellings seen */
    "  entity TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  lang TEXT NOT NULL,"
    "  n INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (entity, name, lang)"
    ");"
    "CREATE TABLE mentions ("                        /* entity -> articles */
    "  article TEXT NOT NULL,"
    "  entity TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY (article, entity)"
    ");"
    "CREATE INDEX mentions_entity ON mentions(entity);",
    /* 2 -> 3: links between articles; duplicate sketches and their LSH
    ** band index (dedup.c).  Bands refer to sketches by rowid to stay
    ** small: one row per band and article. */
    "CREATE TABLE links ("
    "  a TEXT NOT NULL,"
    "  b TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  score REAL NOT NULL,"
    "  first TEXT,"                                  /* NULL: unknown */
    "  PRIMARY KEY (a, b, kind),"
    "  CHECK (a < b)"
    ") WITHOUT ROWID;"
    "CREATE INDEX links_b ON links(b);"
    "CREATE TABLE sketches ("
    "  id TEXT NOT NULL UNIQUE,"                     /* the article */
    "  exact INTEGER NOT NULL,"
    "  tokens INTEGER NOT NULL,"
    "  shingles INTEGER NOT NULL,"
    "  minhash BLOB NOT NULL"
    ");"
    "CREATE INDEX sketches_exact ON sketches(exact);"
    "CREATE TABLE bands ("
    "  key INTEGER NOT NULL,"
    "  sketch INTEGER NOT NULL,"                     /* sketches.rowid */
    "  PRIMARY KEY (key, sketch)"
    ") WITHOUT ROWID;",
    /* 3 -> 4: the anchor index for similar and translated articles
    ** (similar.c): one row per language-independent term and article. */
    "CREATE TABLE anchors ("
    "  key INTEGER NOT NULL,"
    "  article TEXT NOT NULL,"
    "  lang TEXT NOT NULL,"                          /* the article's */
    "  PRIMARY KEY (key, article)"
    ") WITHOUT ROWID;",
    /* 4 -> 5: stories (story.c): each story's running summary, which
    ** story each article joined, the story index (anchors -> stories),
    ** and named values (the clustering's parameters and term counts). */
    "CREATE TABLE stories ("
    "  id INTEGER PRIMARY KEY,"
    "  first INTEGER NOT NULL,"
    "  last INTEGER NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  centroid BLOB NOT NULL"
    ");"
    "CREATE TABLE story_articles ("
    "  article TEXT PRIMARY KEY,"
    "  story INTEGER NOT NULL,"
    "  score REAL NOT NULL,"                         /* similarity on joining */
    "  t INTEGER NOT NULL"                           /* its stream time */
    ");"
    "CREATE INDEX story_articles_story ON story_articles(story, t);"
    "CREATE TABLE story_keys ("
    "  key INTEGER NOT NULL,"
    "  story INTEGER NOT NULL,"
    "  PRIMARY KEY (key, story)"
    ") WITHOUT ROWID;"
    "CREATE TABLE meta ("
    "  name TEXT PRIMARY KEY,"
    "  value BLOB"
    ");",
    /* 5 -> 6: URLs fetched over HTTP, with the validators of a
    ** conditional GET (fetch.c). */
    "CREATE TABLE fetched ("
    "  url TEXT PRIMARY KEY,"
    "  etag TEXT,"
    "  last_modified TEXT,"
    "  fetched INTEGER NOT NULL"                     /* Unix seconds */
    ") WITHOUT ROWID;",
    /* 6 -> 7: full-text search over titles and texts, all languages.
    ** External content (rowid = articles.seq), kept in step by triggers.
    ** unicode61 with remove_diacritics 2 splits and folds every script;
    ** SQLite has no Snowball stemmer, so words match by exact form (until
    ** schema 8, below).
    ** Entity spellings are not indexed: a query equal to a recorded
    ** spelling (entity_names) is expanded through mentions at query time,
    ** so new spellings reach old articles at once. */
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles',"
    "  content_rowid='seq', tokenize='unicode61 remove_diacritics 2');"
    "INSERT INTO articles_fts(rowid, title, text) SELECT seq, title, text FROM articles;"
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN"
    "  INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);"
    " END;"
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)"
    "  VALUES ('delete', old.seq, old.title, old.text);"
    " END;"
    "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)"
    "  VALUES ('delete', old.seq, old.title, old.text);"
    "  INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);"
    " END;",
    /* 7 -> 8: the search index stems words with Snowball in the article's
    ** language (the "herald" tokenizer, fts_stem.c).  The tokenizer learns
    ** the language from a marker before each value, \x1f lang \x1f, which
    ** the view adds, so the text is still stored once (in articles) and
    ** snippet() re-reads it marked as it was indexed.  IF EXISTS: a test or
    ** tool may have faked an older version by dropping only some objects. */
    "DROP TRIGGER IF EXISTS articles_fts_ai;"
    "DROP TRIGGER IF EXISTS articles_fts_ad;"
    "DROP TRIGGER IF EXISTS articles_fts_au;"
    "DROP TABLE IF EXISTS articles_fts;"
    "DROP VIEW IF EXISTS articles_fts_src;"
    "CREATE VIEW articles_fts_src AS SELECT seq,"
    "  char(31) || lang || char(31) || title AS title,"
    "  char(31) || lang || char(31) || text AS text FROM articles;"
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles_fts_src',"
    "  content_rowid='seq', tokenize='herald remove_diacritics 2');"
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');"
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN"
    "  INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq,"
    "   char(31) || new.lang || char(31) || new.title,"
    "   char(31) || new.lang || char(31) || new.text);"
    " END;"
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq,"
    "   char(31) || old.lang || char(31) || old.title,"
    "   char(31) || old.lang || char(31) || old.text);"
    " END;"
    "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text, lang ON articles BEGIN"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq,"
    "   char(31) || old.lang || char(31) || old.title,"
    "   char(31) || old.lang || char(31) || old.text);"
    "  INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq,"
    "   char(31) || new.lang || char(31) || new.title,"
    "   char(31) || new.lang || char(31) || new.text);"
    " END;",
    /* 8 -> 9: what the story list shows, kept per story and language by
    ** triggers on story_articles (the list no longer reads every member):
    ** how many articles, and the title of the earliest one with a title
    ** (else the earliest) with its time.  A join adds one; a move or a
    ** removal recounts that story's language.  Indexes for the two orders
    ** of the list.  Written to run again over a half-made version 9. */
    "CREATE TABLE IF NOT EXISTS story_langs ("
    "  story INTEGER NOT NULL,"
    "  lang TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  title TEXT NOT NULL,"
    "  t INTEGER NOT NULL,"
    "  PRIMARY KEY (story, lang)"
    ") WITHOUT ROWID;"
    "DELETE FROM story_langs;"
    "INSERT INTO story_langs (story, lang, n, title, t)"
    "  SELECT m.story, a.lang, count(*), '', 0 FROM story_articles m"
    "  JOIN articles a ON a.id = m.article GROUP BY m.story, a.lang;"
    "UPDATE story_langs SET (title, t) = (SELECT a.title, m.t FROM story_articles m"
    "  JOIN articles a ON a.id = m.article WHERE m.story = story_langs.story"
    "  AND a.lang = story_langs.lang ORDER BY a.title = '', m.t, a.seq LIMIT 1);"
    "CREATE TRIGGER IF NOT EXISTS story_langs_ai AFTER INSERT ON story_articles BEGIN"
    "  INSERT INTO story_langs (story, lang, n, title, t)"
    "   SELECT new.story, a.lang, 1, a.title, new.t FROM articles a WHERE a.id = new.article"
    "   ON CONFLICT (story, lang) DO UPDATE SET n = n + 1,"
    "    title = CASE WHEN (excluded.title <> '') > (title <> '') OR ((excluded.title <> '')"
    "     = (title <> '') AND excluded.t < t) THEN excluded.title ELSE title END,"
    "    t = CASE WHEN (excluded.title <> '') > (title <> '') OR ((excluded.title <> '')"
    "     = (title <> '') AND excluded.t < t) THEN excluded.t ELSE t END;"
    " END;"
    "CREATE TRIGGER IF NOT EXISTS story_langs_ad AFTER DELETE ON story_articles"
    " WHEN EXISTS (SELECT 1 FROM story_langs WHERE story = old.story) BEGIN"
    STORY_LANG_RECOUNT("old.story", "old.article")
    " END;"
    "CREATE TRIGGER IF NOT EXISTS story_langs_au AFTER UPDATE OF story ON story_articles BEGIN"
    STORY_LANG_RECOUNT("old.story", "old.article")
    STORY_LANG_RECOUNT("new.story", "new.article")
    " END;"
    "CREATE INDEX IF NOT EXISTS stories_size ON stories(n DESC, last DESC, id);"
    "CREATE INDEX IF NOT EXISTS stories_last ON stories(last DESC, id DESC);",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))



int hd_sq_error(sqlite_store *s, const char *what) {
    snprintf(s->base.errmsg, sizeof s->base.errmsg, "%s: %s", what,
             sqlite3_errmsg(s->db));
    return sqlite3_errcode(s->db) == SQLITE_NOMEM ? HD_ENOMEM : HD_EDB;
}

static int exec_sql(hd_store *st, const char *sql) {
    sqlite_store *s = (sqlite_store *)st;
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return hd_sq_error(s, sql);
    return HD_OK;
}

static int user_version(sqlite_store *s) {
    sqlite3_stmt *q;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return v;
}

static int migrate(sqlite_store *s) {
    int v = user_version(s);
    if (v < 0) return hd_sq_error(s, "reading the schema version");
    if (v > N_MIGRATIONS) {
        snprintf(s->base.errmsg, sizeof s->base.errmsg,
                 "database schema version %d is newer than this herald (%d)",
                 v, N_MIGRATIONS);
        return HD_EDB;
    }
    for (; v < N_MIGRATIONS; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (exec_sql(&s->base, "BEGIN IMMEDIATE") != HD_OK) return HD_EDB;
        if (exec_sql(&s->base, migrations[v]) != HD_OK ||
            exec_sql(&s->base, pragma) != HD_OK) {
            char keep[HD_ERRMSG_MAX];
            memcpy(keep, s->base.errmsg, sizeof keep);
            exec_sql(&s->base, "ROLLBACK");
            memcpy(s->base.errmsg, keep, sizeof keep);
            return HD_EDB;
        }
        if (exec_sql(&s->base, "COMMIT") != HD_OK) return HD_EDB;
    }
    return HD_OK;
}

static int links_prepare(sqlite_store *s);
static int anchors_prepare(sqlite_store *s);

static int prepare_all(sqlite_store *s) {
    char each[512], each_text[512];
    snprintf(each, sizeof each, "SELECT " COLS " FROM articles ORDER BY seq", "''", "NULL");
    snprintf(each_text, sizeof each_text, "SELECT " COLS " FROM articles ORDER BY seq", "text", "facts");
    char get_id[512], get_prefix[512], get_ext[512];
    snprintf(get_id, sizeof get_id, "SELECT " COLS " FROM articles WHERE id = ?1", "text", "facts");
    snprintf(get_prefix, sizeof get_prefix,
             "SELECT " COLS " FROM articles WHERE id >= ?1 AND id < ?1 || 'g' "
             "ORDER BY seq LIMIT 2", "text", "facts");
    snprintf(get_ext, sizeof get_ext,
             "SELECT " COLS " FROM articles WHERE ext_id = ?1 ORDER BY seq LIMIT 2", "text", "facts");
    const char *sql[Q__N] = {
        [Q_PUT] = "INSERT OR IGNORE INTO articles (id, ext_id, source, line, url, "
                  "site, title, text, lang, lang_score, lang_reliable, langs, chars, "
                  "words, sentences, published, ingested, encoding, invalid_bytes, "
                  "problems, facts) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,"
                  "?15,?16,?17,?18,?19,?20,?21)",
        [Q_HAS] = "SELECT 1 FROM articles WHERE id = ?1",
        [Q_MENTION] = "INSERT OR IGNORE INTO mentions (article, entity, n) VALUES (?1, ?2, ?3)",
        [Q_ENT_PUT] = "INSERT OR IGNORE INTO entities (id, type, name, country, geoname, lat, lon) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        [Q_KEY_PUT] = "INSERT OR IGNORE INTO entity_keys (key, entity) VALUES (?1, ?2)",
        [Q_NAME_ADD] = "INSERT INTO entity_names (entity, name, lang, n) VALUES (?1, ?2, ?3, 1) "
                       "ON CONFLICT (entity, name, lang) DO UPDATE SET n = n + 1",
        [Q_ENT_EACH] = "SELECT id, type, name, country, geoname, lat, lon FROM entities",
        [Q_KEY_EACH] = "SELECT key, entity FROM entity_keys",
        [Q_GET_ID] = get_id,
        [Q_GET_PREFIX] = get_prefix,
        [Q_GET_EXT] = get_ext,
        [Q_EACH] = each,
        [Q_EACH_TEXT] = each_text,
        [Q_COUNT] = "SELECT count(*) FROM articles",
        [Q_FETCH_GET] = "SELECT etag, last_modified, fetched FROM fetched WHERE url = ?1",
        [Q_FETCH_PUT] = "INSERT INTO fetched (url, etag, last_modified, fetched) "
                        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (url) DO UPDATE SET "
                        "etag = excluded.etag, last_modified = excluded.last_modified, "
                        "fetched = excluded.fetched",
    };
    for (int i = 0; i < Q__N; i++)
        if (sqlite3_prepare_v3(s->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->q[i],
                               NULL) != SQLITE_OK)
            return hd_sq_error(s, "preparing a statement");
    int rc = links_prepare(s);
    if (rc == HD_OK) rc = anchors_prepare(s);
    return rc == HD_OK ? hd_sq_story_prepare(s) : rc;
}

static void links_close(sqlite_store *s);

static void sqlite_close(hd_store *st) {
    sqlite_store *s = (sqlite_store *)st;
    for (int i = 0; i < Q__N; i++) sqlite3_finalize(s->q[i]);
    links_close(s);
    hd_sq_story_close(s);
    sqlite3_close(s->db);
    hd_free(s);
}

/*---- writing ----*/

static void bind_str(sqlite3_stmt *q, int i, hd_str v) {
    if (v.ptr == NULL || v.len == 0) sqlite3_bind_null(q, i);
    else sqlite3_bind_text(q, i, v.ptr, (int)v.len, SQLITE_STATIC);
}

static char *langs_json(const hd_doc *d) {
    json_t *a = json_array();
    for (int i = 0; i < d->n_lang; i++) {
        json_t *c = json_object();
        json_object_set_new(c, "lang", json_string(d->lang[i].code));
        json_object_set_new(c, "score", json_real(d->lang[i].score));
        json_array_append_new(a, c);
    }
    char *s = json_dumps(a, JSON_COMPACT | JSON_REAL_PRECISION(5));
    json_decref(a);
    return s;
}

static char *problems_json(const hd_doc *d) {
    json_t *a = json_array();
    for (size_t i = 0; i < d->n_problems; i++) {
        json_t *p = json_object();
        json_object_set_new(p, "kind", json_string(d->problems[i].kind));
        json_object_set_new(p, "detail", json_stringn(d->problems[i].detail.ptr,
                                                      d->problems[i].detail.len));
        json_array_append_new(a, p);
    }
    char *s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return s;
}

static int sqlite_put(hd_store *st, const hd_doc *d) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->q[Q_PUT];
    char *langs = langs_json(d), *probs = problems_json(d);
    if (langs == NULL || probs == NULL) {
        free(langs);
        free(probs);
        return HD_ENOMEM;
    }
    hd_str title = d->title.ptr ? d->title : (hd_str){"", 0};
    sqlite3_bind_text(q, 1, d->id, -1, SQLITE_STATIC);
    bind_str(q, 2, d->ext_id);
    sqlite3_bind_text(q, 3, d->source.ptr ? d->source.ptr : "", (int)d->source.len,
                      SQLITE_STATIC);
    sqlite3_bind_int64(q, 4, d->line);
    bind_str(q, 5, d->url);
    bind_str(q, 6, d->site);
    sqlite3_bind_text(q, 7, title.ptr, (int)title.len, SQLITE_STATIC);
    sqlite3_bind_text(q, 8, d->text.ptr, (int)d->text.len, SQLITE_STATIC);
    sqlite3_bind_text(q, 9, d->n_lang ? d->lang[0].code : "und", -1, SQLITE_STATIC);
    sqlite3_bind_double(q, 10, d->n_lang ? d->lang[0].score : 0.0);
    sqlite3_bind_int(q, 11, d->lang_reliable);
    sqlite3_bind_text(q, 12, langs, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 13, (sqlite3_int64)d->n_chars);
    sqlite3_bind_int64(q, 14, (sqlite3_int64)d->n_words);
    sqlite3_bind_int64(q, 15, (sqlite3_int64)d->n_sentences);
    if (d->published == HD_TIME_UNKNOWN) sqlite3_bind_null(q, 16);
    else sqlite3_bind_int64(q, 16, d->published);
    sqlite3_bind_int64(q, 17, d->ingested != HD_TIME_UNKNOWN ? d->ingested : (int64_t)time(NULL));
    sqlite3_bind_text(q, 18, d->encoding ? d->encoding : "UTF-8", -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 19, d->n_invalid);
    sqlite3_bind_text(q, 20, probs, -1, SQLITE_STATIC);
    char *facts = NULL;
    if (d->facts_done) {
        json_t *f = hd_doc_facts_json(d);
        facts = f ? json_dumps(f, JSON_COMPACT | JSON_REAL_PRECISION(7)) : NULL;
        json_decref(f);
        if (facts == NULL) {
            free(langs);
            free(probs);
            sqlite3_reset(q);
            sqlite3_clear_bindings(q);
            return HD_ENOMEM;
        }
        sqlite3_bind_text(q, 21, facts, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(q, 21);
    }
    int rc = sqlite3_step(q);
    int changed = sqlite3_changes(s->db);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    free(langs);
    free(probs);
    free(facts);
    if (rc != SQLITE_DONE) return hd_sq_error(s, "storing an article");
    if (changed == 0) return 0;
    /* The entity -> article index, one row per entity with its count. */
    for (size_t i = 0; i < d->n_mentions; i++) {
        const hd_mention *m = &d->mentions[i];
        if (m->entity[0] == '\0') continue;
        int seen = 0, n = 0;
        for (size_t j = 0; j < d->n_mentions; j++)
            if (strcmp(d->mentions[j].entity, m->entity) == 0) {
                if (j < i) seen = 1;
                n++;
            }
        if (seen) continue;
        sqlite3_stmt *mq = s->q[Q_MENTION];
        sqlite3_bind_text(mq, 1, d->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(mq, 2, m->entity, -1, SQLITE_STATIC);
        sqlite3_bind_int(mq, 3, n);
        rc = sqlite3_step(mq);
        sqlite3_reset(mq);
        if (rc != SQLITE_DONE) return hd_sq_error(s, "storing mentions");
    }
    return 1;
}

/*---- reading ----*/

static hd_str col_str(hd_doc *d, sqlite3_stmt *q, int i) {
    const unsigned char *t = sqlite3_column_text(q, i);
    if (t == NULL) return (hd_str){NULL, 0};
    return hd_doc_strdup(d, (const char *)t, (size_t)sqlite3_column_bytes(q, i));
}

int hd_sq_row_to_doc(sqlite3_stmt *q, hd_doc *d) {
    hd_doc_reset(d);
    const char *id = (const char *)sqlite3_column_text(q, 0);
    snprintf(d->id, sizeof d->id, "%s", id ? id : "");
    d->ext_id = col_str(d, q, 1);
    d->source = col_str(d, q, 2);
    d->line = (uint32_t)sqlite3_column_int64(q, 3);
    d->url = col_str(d, q, 4);
    d->site = col_str(d, q, 5);
    d->title = col_str(d, q, 6);
    d->text = col_str(d, q, 7);
    d->lang_reliable = sqlite3_column_int(q, 10);
    json_t *langs = json_loads((const char *)sqlite3_column_text(q, 11), 0, NULL);
    size_t i;
    json_t *v;
    json_array_foreach(langs, i, v) {
        if (d->n_lang >= HD_LANG_TOP) break;
        const char *code = json_string_value(json_object_get(v, "lang"));
        if (code == NULL) continue;
        snprintf(d->lang[d->n_lang].code, sizeof d->lang[0].code, "%s", code);
        d->lang[d->n_lang].score = (float)json_number_value(json_object_get(v, "score"));
        d->n_lang++;
    }
    json_decref(langs);
    d->n_chars = (size_t)sqlite3_column_int64(q, 12);
    d->n_words = (size_t)sqlite3_column_int64(q, 13);
    d->n_sentences = (size_t)sqlite3_column_int64(q, 14);
    d->published = sqlite3_column_type(q, 15) == SQLITE_NULL ? HD_TIME_UNKNOWN
                                                             : sqlite3_column_int64(q, 15);
    d->ingested = sqlite3_column_int64(q, 16);
    const char *enc = (const char *)sqlite3_column_text(q, 17);
    d->encoding = hd_doc_strdup(d, enc ? enc : "UTF-8", enc ? strlen(enc) : 5).ptr;
    d->n_invalid = (uint32_t)sqlite3_column_int64(q, 18);
    json_t *probs = json_loads((const char *)sqlite3_column_text(q, 19), 0, NULL);
    json_array_foreach(probs, i, v) {
        const char *kind = json_string_value(json_object_get(v, "kind"));
        const char *detail = json_string_value(json_object_get(v, "detail"));
        hd_doc_problem(d, kind ? kind : "other", "%s", detail ? detail : "");
    }
    json_decref(probs);
    const char *facts = (const char *)sqlite3_column_text(q, 20);
    if (facts != NULL) {
        int rc = hd_doc_facts_load(d, facts, (size_t)sqlite3_column_bytes(q, 20));
        if (rc == HD_ENOMEM) return rc;
        if (rc != HD_OK) hd_doc_problem(d, "store", "stored facts are unreadable");
    }
    d->story = sqlite3_column_int64(q, 21);
    return d->arena->failed ? HD_ENOMEM : HD_OK;
}

/* Run `q` (bound with `key`) expecting one row; HD_EINVAL when two. */
static int get_one(sqlite_store *s, sqlite3_stmt *q, const char *key, hd_doc *d) {
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        int r = hd_sq_row_to_doc(q, d);
        if (r == HD_OK && sqlite3_step(q) == SQLITE_ROW) {
            snprintf(s->base.errmsg, sizeof s->base.errmsg,
                     "'%s' matches more than one article", key);
            r = HD_EINVAL;
        }
        sqlite3_reset(q);
        return r;
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) return hd_sq_error(s, "looking up an article");
    return HD_ENOTFOUND;
}

static int is_hex(const char *s) {
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))) return 0;
    return 1;
}

static int sqlite_get(hd_store *st, const char *key, hd_doc *d) {
    sqlite_store *s = (sqlite_store *)st;
    size_t n = strlen(key);
    int rc = HD_ENOTFOUND;
    if (n == HD_ID_LEN && is_hex(key)) rc = get_one(s, s->q[Q_GET_ID], key, d);
    else if (n >= 4 && n < HD_ID_LEN && is_hex(key)) rc = get_one(s, s->q[Q_GET_PREFIX], key, d);
    if (rc == HD_ENOTFOUND) rc = get_one(s, s->q[Q_GET_EXT], key, d);
    if (rc == HD_ENOTFOUND)
        snprintf(s->base.errmsg, sizeof s->base.errmsg, "no article '%s'", key);
    return rc;
}

static int sqlite_each(hd_store *st, int with_text, hd_doc_fn fn, void *ud) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->q[with_text ? Q_EACH_TEXT : Q_EACH];
    hd_doc *d = hd_doc_new(0);
    if (d == NULL) return HD_ENOMEM;
    int count = 0, rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int r = hd_sq_row_to_doc(q, d);
        if (r == HD_OK) r = fn(ud, d);
        if (r != 0) {
            sqlite3_reset(q);
            hd_doc_free(d);
            return r;
        }
        count++;
    }
    sqlite3_reset(q);
    hd_doc_free(d);
    if (rc != SQLITE_DONE) return hd_sq_error(s, "listing articles");
    return count;
}

static int64_t sqlite_count(hd_store *st) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->q[Q_COUNT];
    int64_t n = -1;
    if (sqlite3_step(q) == SQLITE_ROW) n = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    return n < 0 ? hd_sq_error(s, "counting articles") : n;
}

static int sqlite_schema_version(hd_store *st) { return user_version((sqlite_store *)st); }

static int sqlite_has(hd_store *st, const char *id) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->q[Q_HAS];
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_ROW) return 1;
    return rc == SQLITE_DONE ? 0 : hd_sq_error(s, "looking up an article");
}

/*---- the entity registry ----*/

int hd_sq_step_done(sqlite_store *s, sqlite3_stmt *q, const char *what) {
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? HD_OK : hd_sq_error(s, what);
}

/*---- fetched URLs ----*/

static void column_copy(sqlite3_stmt *q, int i, char *dst, size_t cap) {
    const unsigned char *v = sqlite3_column_text(q, i);
    snprintf(dst, cap, "%s", v ? (const char *)v : "");
}

static int sqlite_fetch_get(hd_store *st, const char *url, hd_fetch_row *row) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->q[Q_FETCH_GET];
    sqlite3_bind_text(q, 1, url, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        column_copy(q, 0, row->etag, sizeof row->etag);
        column_copy(q, 1, row->last_modified, sizeof row->last_modified);
        row->fetched = sqlite3_column_int64(q, 2);
    }
    sqlite3_reset(q);
    if (rc == SQLITE_ROW) return 1;
    return rc == SQLITE_DONE ? 0 : hd_sq_error(s, "looking up a fetched URL");
}

static void bind_opt(sqlite3_stmt *q, int i, const char *v) {
    if (v[0]) sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(q, i);
}

static int sqlite_fetch_put(hd_store *st, const char *url, const hd_fetch_row *row) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->q[Q_FETCH_PUT];
    sqlite3_bind_text(q, 1, url, -1, SQLITE_STATIC);
    bind_opt(q, 2, row->etag);
    bind_opt(q, 3, row->last_modified);
    sqlite3_bind_int64(q, 4, row->fetched);
    return hd_sq_step_done(s, q, "remembering a fetched URL");
}

static int sqlite_entity_put(hd_store *st, const hd_entity_row *e) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->q[Q_ENT_PUT];
    sqlite3_bind_text(q, 1, e->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, e->type);
    sqlite3_bind_text(q, 3, e->name, -1, SQLITE_STATIC);
    if (e->country[0]) sqlite3_bind_text(q, 4, e->country, -1, SQLITE_STATIC);
    if (e->geoname) {
        sqlite3_bind_int64(q, 5, e->geoname);
        sqlite3_bind_double(q, 6, e->lat);
        sqlite3_bind_double(q, 7, e->lon);
    }
    return hd_sq_step_done(s, q, "storing an entity");
}

static int sqlite_key_put(hd_store *st, const char *key, const char *entity) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->q[Q_KEY_PUT];
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, entity, -1, SQLITE_STATIC);
    return hd_sq_step_done(s, q, "storing an entity key");
}

static int sqlite_name_add(hd_store *st, const char *entity, const char *name, size_t len,
                           const char *lang) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->q[Q_NAME_ADD];
    sqlite3_bind_text(q, 1, entity, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, name, (int)len, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, lang, -1, SQLITE_STATIC);
    return hd_sq_step_done(s, q, "storing an entity name");
}

static int sqlite_entity_each(hd_store *st, hd_entity_row_fn fn, hd_key_fn kfn, void *ud) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->q[Q_ENT_EACH];
    int rc, r = HD_OK;
    while (r == HD_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        hd_entity_row e;
        memset(&e, 0, sizeof e);
        snprintf(e.id, sizeof e.id, "%s", (const char *)sqlite3_column_text(q, 0));
        e.type = sqlite3_column_int(q, 1);
        e.name = (const char *)sqlite3_column_text(q, 2);
        if (e.name == NULL) e.name = "";
        const char *cc = (const char *)sqlite3_column_text(q, 3);
        snprintf(e.country, sizeof e.country, "%s", cc ? cc : "");
        e.geoname = (uint32_t)sqlite3_column_int64(q, 4);
        e.lat = sqlite3_column_double(q, 5);
        e.lon = sqlite3_column_double(q, 6);
        r = fn(ud, &e);
    }
    sqlite3_reset(q);
    if (r != HD_OK) return r;
    q = s->q[Q_KEY_EACH];
    while (r == HD_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
        r = kfn(ud, (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1));
    sqlite3_reset(q);
    return r;
}

static int sqlite_entities_json(hd_store *st, const char *id, char **out) {
    sqlite_store *s = (sqlite_store *)st;
    /* Built with SQLite's JSON functions: one statement, no row loops. */
    static const char all[] =
        "SELECT json_group_array(json(x)) FROM (SELECT json_object("
        " 'id', e.id, 'type', " SQ_TYPE_NAME("e.type") ","
        " 'name', e.name, 'country', e.country,"
        " 'geoname', e.geoname, 'lat', e.lat, 'lon', e.lon,"
        " 'articles', (SELECT count(*) FROM mentions m WHERE m.entity = e.id),"
        " 'mentions', (SELECT coalesce(sum(n), 0) FROM mentions m WHERE m.entity = e.id),"
        " 'variants', (SELECT json_group_array(json_object('name', v.name, 'lang', v.lang, 'n', v.n))"
        "              FROM entity_names v WHERE v.entity = e.id)) AS x,"
        " (SELECT count(*) FROM mentions m WHERE m.entity = e.id) AS c"
        " FROM entities e WHERE ?1 IS NULL OR e.id = ?1 OR e.id LIKE ?1 || '%'"
        " ORDER BY c DESC, e.name)";
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, all, -1, &q, NULL) != SQLITE_OK)
        return hd_sq_error(s, "listing entities");
    if (id) sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    int r = HD_OK;
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(q, 0);
        *out = hd_strdup(t ? t : "[]");
        if (*out == NULL) r = HD_ENOMEM;
    } else {
        r = hd_sq_error(s, "listing entities");
    }
    sqlite3_finalize(q);
    return r;
}

static int sqlite_entity_articles(hd_store *st, const char *entity, hd_doc_fn fn, void *ud) {
    sqlite_store *s = (sqlite_store *)st;
    char sql[600];
    snprintf(sql, sizeof sql,
             "SELECT " COLS " FROM articles a JOIN mentions m ON m.article = a.id "
             "WHERE m.entity = ?1 ORDER BY a.seq", "text", "facts");
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return hd_sq_error(s, "listing an entity's articles");
    sqlite3_bind_text(q, 1, entity, -1, SQLITE_STATIC);
    hd_doc *d = hd_doc_new(0);
    int rc, r = 0, n = 0;
    while (d && r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if ((r = hd_sq_row_to_doc(q, d)) != HD_OK) break;
        r = fn(ud, d);
        n++;
    }
    sqlite3_finalize(q);
    hd_doc_free(d);
    if (d == NULL) return HD_ENOMEM;
    return r != 0 ? r : n;
}

/*---- links and duplicate sketches ----*/

enum { L_INS, L_UPD, L_EACH, L_OF, L_SK_PUT, L_BAND_PUT, L_SK_EXACT, L__N };

static int links_prepare(sqlite_store *s) {
    static const char *const sql[L__N] = {
        [L_INS] = "INSERT OR IGNORE INTO links (a, b, kind, score, first) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)",
        [L_UPD] = "UPDATE links SET score = ?4, first = ?5 "
                  "WHERE a = ?1 AND b = ?2 AND kind = ?3",
        [L_EACH] = "SELECT a, b, kind, score, first FROM links "
                   "WHERE ?1 IS NULL OR kind = ?1 ORDER BY a, b, kind",
        [L_OF] = "SELECT a, b, kind, score, first, b FROM links WHERE a = ?1 "
                 "UNION ALL SELECT a, b, kind, score, first, a FROM links WHERE b = ?1 "
                 "ORDER BY 3, 6",
        [L_SK_PUT] = "INSERT OR IGNORE INTO sketches (id, exact, tokens, shingles, minhash) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)",
        [L_BAND_PUT] = "INSERT OR IGNORE INTO bands (key, sketch) VALUES (?1, ?2)",
        [L_SK_EXACT] = "SELECT s.id, s.exact, s.tokens, s.shingles, s.minhash, a.published "
                       "FROM sketches s JOIN articles a ON a.id = s.id "
                       "WHERE s.exact = ?1 LIMIT ?2",
    };
    _Static_assert(L__N <= (int)(sizeof ((sqlite_store *)0)->lq / sizeof(sqlite3_stmt *)),
                   "lq too small");
    for (int i = 0; i < L__N; i++)
        if (sqlite3_prepare_v3(s->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->lq[i],
                               NULL) != SQLITE_OK)
            return hd_sq_error(s, "preparing a statement");
    return HD_OK;
}

static void links_close(sqlite_store *s) {
    for (int i = 0; i < L__N; i++) sqlite3_finalize(s->lq[i]);
    sqlite3_finalize(s->band_q);
    sqlite3_finalize(s->anchor_ins);
    sqlite3_finalize(s->anchor_sel);
}

static void bind_link(sqlite3_stmt *q, const hd_link *l) {
    sqlite3_bind_text(q, 1, l->a, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, l->b, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, l->kind, -1, SQLITE_STATIC);
    sqlite3_bind_double(q, 4, l->score);
    if (l->first[0]) sqlite3_bind_text(q, 5, l->first, -1, SQLITE_STATIC);
    else sqlite3_bind_null(q, 5);
}

static int sqlite_link_put(hd_store *st, const hd_link *l) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->lq[L_INS];
    bind_link(q, l);
    int rc = hd_sq_step_done(s, q, "storing a link");
    if (rc != HD_OK) return rc;
    if (sqlite3_changes(s->db) > 0) return 1;
    q = s->lq[L_UPD];
    bind_link(q, l);
    rc = hd_sq_step_done(s, q, "updating a link");
    return rc != HD_OK ? rc : 0;
}

static void copy_id(char *dst, const unsigned char *src) {
    snprintf(dst, HD_ID_LEN + 1, "%s", src ? (const char *)src : "");
}

/* Run a bound link query, handing each row to `fn`. */
static int link_rows(sqlite_store *s, sqlite3_stmt *q, hd_link_fn fn, void *ud) {
    int rc, r = 0, n = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        hd_link l;
        copy_id(l.a, sqlite3_column_text(q, 0));
        copy_id(l.b, sqlite3_column_text(q, 1));
        l.kind = (const char *)sqlite3_column_text(q, 2);
        if (l.kind == NULL) l.kind = "";
        l.score = sqlite3_column_double(q, 3);
        copy_id(l.first, sqlite3_column_text(q, 4));
        n++;
        if ((r = fn(ud, &l)) != 0) break;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (r != 0) return r;
    if (rc != SQLITE_DONE) return hd_sq_error(s, "listing links");
    return n;
}

static int sqlite_link_each(hd_store *st, const char *kind, hd_link_fn fn, void *ud) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->lq[L_EACH];
    if (kind) sqlite3_bind_text(q, 1, kind, -1, SQLITE_STATIC);
    return link_rows(s, q, fn, ud);
}

static int sqlite_links_of(hd_store *st, const char *id, hd_link_fn fn, void *ud) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->lq[L_OF];
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    return link_rows(s, q, fn, ud);
}

static int sqlite_sketch_put(hd_store *st, const hd_sketch_row *r, const uint64_t *bands,
                             int n) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->lq[L_SK_PUT];
    sqlite3_bind_text(q, 1, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)r->exact);
    sqlite3_bind_int64(q, 3, r->n_tokens);
    sqlite3_bind_int64(q, 4, r->n_shingles);
    sqlite3_bind_blob(q, 5, r->minhash, (int)r->minhash_len, SQLITE_STATIC);
    int rc = hd_sq_step_done(s, q, "storing a sketch");
    if (rc != HD_OK || sqlite3_changes(s->db) == 0) return rc;
    sqlite3_int64 row = sqlite3_last_insert_rowid(s->db);
    q = s->lq[L_BAND_PUT];
    for (int i = 0; i < n && rc == HD_OK; i++) {
        sqlite3_bind_int64(q, 1, (sqlite3_int64)bands[i]);
        sqlite3_bind_int64(q, 2, row);
        rc = hd_sq_step_done(s, q, "storing band keys");
    }
    return rc;
}

/* Hand each row of a bound candidate query to `fn`. */
static int sketch_rows(sqlite_store *s, sqlite3_stmt *q, hd_sketch_row_fn fn, void *ud) {
    int rc, r = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        hd_sketch_row row;
        copy_id(row.id, sqlite3_column_text(q, 0));
        row.exact = (uint64_t)sqlite3_column_int64(q, 1);
        row.n_tokens = (uint32_t)sqlite3_column_int64(q, 2);
        row.n_shingles = (uint32_t)sqlite3_column_int64(q, 3);
        row.minhash = sqlite3_column_blob(q, 4);
        row.minhash_len = (size_t)sqlite3_column_bytes(q, 4);
        row.published = sqlite3_column_type(q, 5) == SQLITE_NULL ? HD_TIME_UNKNOWN
                                                                 : sqlite3_column_int64(q, 5);
        if ((r = fn(ud, &row)) != 0) break;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (r != 0) return r;
    return rc == SQLITE_DONE ? HD_OK : hd_sq_error(s, "looking up duplicate candidates");
}

/* The band query has one parameter per key; it is prepared for the number
** of keys the caller uses (always the same in one build) and kept. */
static int band_query(sqlite_store *s, int n) {
    if (s->band_q != NULL && s->band_n == n) return HD_OK;
    if (n > 128) return HD_EINVAL;
    sqlite3_finalize(s->band_q);
    s->band_q = NULL;
    char sql[2048];
    int len = snprintf(sql, sizeof sql, "%s",
                       "SELECT s.id, s.exact, s.tokens, s.shingles, s.minhash, a.published FROM "
                       "(SELECT sketch, count(*) AS c FROM bands WHERE key IN (");
    for (int i = 0; i < n; i++)
        len += snprintf(sql + len, sizeof sql - (size_t)len, i ? ",?%d" : "?%d", i + 2);
    snprintf(sql + len, sizeof sql - (size_t)len, "%s",
             ") GROUP BY sketch ORDER BY c DESC LIMIT ?1) h "
             "JOIN sketches s ON s.rowid = h.sketch "
             "JOIN articles a ON a.id = s.id ORDER BY h.c DESC");
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->band_q, NULL) !=
        SQLITE_OK)
        return hd_sq_error(s, "preparing the band query");
    s->band_n = n;
    return HD_OK;
}

static int sqlite_sketch_candidates(hd_store *st, uint64_t exact, const uint64_t *bands,
                                    int n, int max, hd_sketch_row_fn fn, void *ud) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->lq[L_SK_EXACT];
    sqlite3_bind_int64(q, 1, (sqlite3_int64)exact);
    sqlite3_bind_int(q, 2, max);
    int rc = sketch_rows(s, q, fn, ud);
    if (rc != HD_OK || n <= 0) return rc;
    if ((rc = band_query(s, n)) != HD_OK) return rc;
    q = s->band_q;
    sqlite3_bind_int(q, 1, max);
    for (int i = 0; i < n; i++) sqlite3_bind_int64(q, i + 2, (sqlite3_int64)bands[i]);
    return sketch_rows(s, q, fn, ud);
}

/*---- the anchor index ----*/

static int anchors_prepare(sqlite_store *s) {
    if (sqlite3_prepare_v3(s->db, "INSERT OR IGNORE INTO anchors (key, article, lang) VALUES (?1, ?2, ?3)",
                           -1, SQLITE_PREPARE_PERSISTENT, &s->anchor_ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(s->db, "SELECT article, lang FROM anchors WHERE key = ?1 LIMIT ?2", -1,
                           SQLITE_PREPARE_PERSISTENT, &s->anchor_sel, NULL) != SQLITE_OK)
        return hd_sq_error(s, "preparing the anchor statements");
    return HD_OK;
}

static int sqlite_anchor_put(hd_store *st, const char *article, const char *lang,
                             const uint64_t *keys, int n) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->anchor_ins;
    for (int i = 0; i < n; i++) {
        sqlite3_bind_int64(q, 1, (sqlite3_int64)keys[i]);
        sqlite3_bind_text(q, 2, article, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, lang, -1, SQLITE_STATIC);
        int rc = hd_sq_step_done(s, q, "storing an anchor");
        if (rc != HD_OK) return rc;
    }
    return HD_OK;
}

static int sqlite_anchor_find(hd_store *st, uint64_t key, int max, hd_key_fn fn, void *ud) {
    sqlite_store *s = (sqlite_store *)st;
    sqlite3_stmt *q = s->anchor_sel;
    sqlite3_bind_int64(q, 1, (sqlite3_int64)key);
    sqlite3_bind_int(q, 2, max + 1);
    int n = 0, rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (++n > max) continue;
        const char *id = (const char *)sqlite3_column_text(q, 0);
        const char *lang = (const char *)sqlite3_column_text(q, 1);
        if (id && fn(ud, lang ? lang : "", id) != 0) break;
    }
    int err = rc != SQLITE_ROW && rc != SQLITE_DONE;
    sqlite3_reset(q);
    return err ? hd_sq_error(s, "reading the anchor index") : n;
}

static const hd_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .exec = exec_sql,
    .put = sqlite_put,
    .get = sqlite_get,
    .each = sqlite_each,
    .count = sqlite_count,
    .schema_version = sqlite_schema_version,
    .has = sqlite_has,
    .entity_put = sqlite_entity_put,
    .key_put = sqlite_key_put,
    .name_add = sqlite_name_add,
    .entity_each = sqlite_entity_each,
    .entities_json = sqlite_entities_json,
    .entity_articles = sqlite_entity_articles,
    .link_put = sqlite_link_put,
    .link_each = sqlite_link_each,
    .links_of = sqlite_links_of,
    .sketch_put = sqlite_sketch_put,
    .sketch_candidates = sqlite_sketch_candidates,
    .anchor_put = sqlite_anchor_put,
    .anchor_find = sqlite_anchor_find,
    .story_put = hd_sq_story_put,
    .story_get = hd_sq_story_get,
    .story_max = hd_sq_story_max,
    .story_join = hd_sq_story_join,
    .story_keys_put = hd_sq_story_keys_put,
    .story_keys_find = hd_sq_story_keys_find,
    .story_clear = hd_sq_story_clear,
    .stories_json = hd_sq_stories_json,
    .search_json = hd_sq_search_json,
    .entity_list_json = hd_sq_entity_list_json,
    .entity_json = hd_sq_entity_json,
    .story_members = hd_sq_story_members,
    .meta_get = hd_sq_meta_get,
    .meta_put = hd_sq_meta_put,
    .fetch_get = sqlite_fetch_get,
    .fetch_put = sqlite_fetch_put,
};

hd_store *hd_store_sqlite_open(const char *path, hd_err *err) {
    sqlite_store *s = hd_calloc(1, sizeof *s);
    if (s == NULL) {
        hd_err_set(err, HD_ENOMEM, "out of memory opening %s", path);
        return NULL;
    }
    s->base.ops = &sqlite_ops;
    /* Before opening: the connection (and any other this process opens on
    ** the file) gets the search index's tokenizer. */
    if (hd_fts_stem_auto() != HD_OK) {
        hd_err_set(err, HD_ENOMEM, "out of memory opening %s", path);
        hd_free(s);
        return NULL;
    }
    int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        hd_err_set(err, HD_EDB, "cannot open database %s: %s", path,
                   s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sqlite3_close(s->db);
        hd_free(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, 10000);
    /* Normally a no-op (the auto extension did it); a must for the index. */
    rc = hd_fts_stem_register(s->db);
    if (rc != HD_OK) {
        hd_err_set(err, rc, "database %s: cannot register the search tokenizer (%s)", path,
                   rc == HD_ENOMEM ? "out of memory" : "SQLite without FTS5");
        sqlite3_close(s->db);
        hd_free(s);
        return NULL;
    }
    /* WAL with synchronous=NORMAL: a crash of herald never corrupts the
    ** file and never loses a committed transaction. */
    if (exec_sql(&s->base, "PRAGMA journal_mode=WAL") != HD_OK ||
        exec_sql(&s->base, "PRAGMA synchronous=NORMAL") != HD_OK ||
        exec_sql(&s->base, "PRAGMA foreign_keys=ON") != HD_OK || migrate(s) != HD_OK ||
        prepare_all(s) != HD_OK) {
        hd_err_set(err, HD_EDB, "database %s: %s", path, s->base.errmsg);
        sqlite_close(&s->base);
        return NULL;
    }
    return &s->base;
}
