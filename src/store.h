/*
** store.h -- the storage interface and its back ends.
**
** hd_store is a handle on one back end, chosen by hd_store_open from the
** path (a file path: SQLite; PostgreSQL joins in a later issue through the
** same table).  Every back end implements hd_store_ops, and the same
** conformance tests run against each (tests/unit/test_store.c).
*/
#ifndef HD_STORE_H
#define HD_STORE_H

#include "herald.h"

/* One entity of the registry (entities.c), as the store keeps it. */
typedef struct hd_entity_row {
    char id[HD_ID_LEN + 1];
    int type;
    const char *name;
    char country[3];
    uint32_t geoname;
    double lat, lon;
} hd_entity_row;

typedef int (*hd_entity_row_fn)(void *ud, const hd_entity_row *e);
typedef int (*hd_key_fn)(void *ud, const char *key, const char *entity);

/* One article's duplicate sketch (dedup.c), as the store keeps it. */
typedef struct hd_sketch_row {
    char id[HD_ID_LEN + 1];
    uint64_t exact;                /* exact-text key */
    uint32_t n_tokens, n_shingles;
    const unsigned char *minhash;  /* packed minima; valid during a callback */
    size_t minhash_len;            /* bytes */
    int64_t published;             /* the article's date, or HD_TIME_UNKNOWN */
} hd_sketch_row;

typedef int (*hd_sketch_row_fn)(void *ud, const hd_sketch_row *r);

/* One story (story.c), as the store keeps it.  `centroid` is story.c's
** own encoding; in a callback it is valid during the call only. */
typedef struct hd_story_row {
    int64_t id;             /* 1, 2, ... in order of creation */
    int64_t first, last;    /* stream times of its first and last article */
    uint32_t n;             /* articles */
    const unsigned char *centroid;
    size_t centroid_len;
} hd_story_row;

typedef int (*hd_story_row_fn)(void *ud, const hd_story_row *r);
typedef int (*hd_story_id_fn)(void *ud, int64_t story);
/* What the fetcher remembers of a URL (fetch.c): the validators for a
** conditional GET, and when it was last fetched. */
typedef struct hd_fetch_row {
    char etag[256];         /* "" when the server sent none */
    char last_modified[64]; /* "" when the server sent none */
    int64_t fetched;        /* Unix seconds */
} hd_fetch_row;

typedef struct hd_store_ops {
    const char *name;
    void (*close)(hd_store *st);
    int (*exec)(hd_store *st, const char *sql); /* begin/commit/rollback */
    int (*put)(hd_store *st, const hd_doc *d);
    int (*get)(hd_store *st, const char *key, hd_doc *d);
    int (*has)(hd_store *st, const char *id); /* 1, 0 or an error */
    int (*each)(hd_store *st, int with_text, hd_doc_fn fn, void *ud);
    int64_t (*count)(hd_store *st);
    int (*schema_version)(hd_store *st);
    /* The entity registry. */
    int (*entity_put)(hd_store *st, const hd_entity_row *e);
    int (*key_put)(hd_store *st, const char *key, const char *entity);
    int (*name_add)(hd_store *st, const char *entity, const char *name, size_t len,
                    const char *lang);
    int (*entity_each)(hd_store *st, hd_entity_row_fn fn, hd_key_fn kfn, void *ud);
    int (*entities_json)(hd_store *st, const char *id, char **out);
    int (*entity_articles)(hd_store *st, const char *entity, hd_doc_fn fn, void *ud);
    /* Links between articles (any kind; a < b).  link_put returns 1 when
    ** the link is new, 0 when it existed (its score and first updated). */
    int (*link_put)(hd_store *st, const hd_link *l);
    int (*link_each)(hd_store *st, const char *kind, hd_link_fn fn, void *ud);
    int (*links_of)(hd_store *st, const char *id, hd_link_fn fn, void *ud);
    /* Duplicate sketches and their LSH band index (dedup.c).  Candidates
    ** are the sketches whose exact key equals `exact`, then up to `max`
    ** sharing the most of the `n` band keys; an id may come twice. */
    int (*sketch_put)(hd_store *st, const hd_sketch_row *r, const uint64_t *bands, int n);
    int (*sketch_candidates)(hd_store *st, uint64_t exact, const uint64_t *bands, int n,
                             int max, hd_sketch_row_fn fn, void *ud);
    /* The anchor index (similar.c): language-independent terms (entities,
    ** places, names, numbers, dates, meanings) -> articles.  anchor_find
    ** calls `fn` for up to `max` articles with the key and returns how
    ** many it found (at most max + 1: more than max means "too common");
    ** `fn` gets the article's language as its `key` and its id. */
    int (*anchor_put)(hd_store *st, const char *article, const char *lang, const uint64_t *keys,
                      int n);
    int (*anchor_find)(hd_store *st, uint64_t key, int max, hd_key_fn fn, void *ud);
    /* Stories (story.c).  story_put inserts or replaces; story_get calls
    ** `fn` once or returns HD_ENOTFOUND; story_max is the largest id (0:
    ** none).  story_join records (or moves) an article's membership.
    ** story_keys_find calls `fn` for up to `max` stories holding `key`,
    ** newest first, and returns how many (max + 1: there are more). */
    int (*story_put)(hd_store *st, const hd_story_row *r);
    int (*story_get)(hd_store *st, int64_t id, hd_story_row_fn fn, void *ud);
    int64_t (*story_max)(hd_store *st);
    int (*story_join)(hd_store *st, const char *article, int64_t story, double score,
                      int64_t t);
    int (*story_keys_put)(hd_store *st, int64_t story, const uint64_t *keys, int n);
    int (*story_keys_find)(hd_store *st, uint64_t key, int max, hd_story_id_fn fn, void *ud);
    int (*story_clear)(hd_store *st);
    /* Reports on stories, built by the back end (JSON, caller frees). */
    int (*stories_json)(hd_store *st, const hd_story_query *q, char **out);
    /* Articles matching an FTS5 query (already quoted), or mentioning an
    ** entity one of whose spellings equals `name`: a JSON array. */
    int (*search_json)(hd_store *st, const char *match, const char *name, const char *lang,
                       int limit, int offset, char **out);
    int (*story_members)(hd_store *st, int64_t story, hd_doc_fn fn, void *ud);
    /* Entity reports (JSON, caller frees): a filtered page of entities;
    ** one entity by id or unique prefix (HD_ENOTFOUND, HD_EINVAL when the
    ** prefix is ambiguous). */
    int (*entity_list_json)(hd_store *st, const hd_entity_query *q, char **out);
    int (*entity_json)(hd_store *st, const char *id, char **out);
    /* Small named values (parameters, term statistics).  meta_get sets
    ** *out (caller frees with hd_free) or returns HD_ENOTFOUND. */
    int (*meta_get)(hd_store *st, const char *name, unsigned char **out, size_t *len);
    int (*meta_put)(hd_store *st, const char *name, const void *v, size_t len);
    /* Fetched URLs (fetch.c): fetch_get returns 1 and fills `row` when the
    ** URL was fetched before, 0 when not; fetch_put inserts or replaces. */
    int (*fetch_get)(hd_store *st, const char *url, hd_fetch_row *row);
    int (*fetch_put)(hd_store *st, const char *url, const hd_fetch_row *row);
} hd_store_ops;

/* Every back end's handle starts with this header. */
struct hd_store {
    const hd_store_ops *ops;
    char errmsg[HD_ERRMSG_MAX];
    int in_txn; /* 1 between begin and commit/rollback */
};

/* Open the SQLite back end (store_sqlite.c). */
hd_store *hd_store_sqlite_open(const char *path, hd_err *err);

/* The schema version this build writes. */
#define HD_SCHEMA_VERSION 9

#endif
