/*
** herald.h -- the public interface of libherald, a multilingual news
** intelligence engine.
**
** This header is the contract: whatever it does not declare is not API.
** The command-line tool (cli/herald.c) uses nothing else.
**
** Conventions that hold for every function below:
**  - Errors are negative codes from the HD_ERRNO_MAP table (HD_OK is 0);
**    hd_strerror() and hd_errname() turn them into text.  Functions that
**    count return a non-negative count on success.
**  - Functions that can fail in more than one way take an optional
**    `hd_err *` for a human-readable message; NULL means "don't care".
**  - The library never prints, never exits and never aborts on bad input.
**  - Strings cross the interface as views (hd_str), not NUL-terminated,
**    unless a parameter says `const char *`.  A view's owner is stated.
**  - Per-article memory lives in the article's arena (see hd_doc) and is
**    valid until hd_doc_reset() or hd_doc_free() on that article.
*/
#ifndef HERALD_H
#define HERALD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define HD_API __attribute__((visibility("default")))
#else
#define HD_API
#endif

#define HD_VERSION "0.1.0"
#define HD_VERSION_NUMBER 100
/* Where herald's README lives: named in the User-Agent of every request,
** so that site operators can find out what is fetching their pages. */
#ifndef HD_PROJECT_URL
#define HD_PROJECT_URL "https://herald.invalid/README.md"
#endif

/* The library's version string; equal to HD_VERSION for a matching build. */
HD_API const char *hd_version(void);

/*---------------------------------------------------------------------------
** Errors
*/

/* X-macro: name, value, message.  The one place error codes are defined. */
#define HD_ERRNO_MAP(X)                                                    \
    X(OK, 0, "success")                                                    \
    X(ENOMEM, -1, "out of memory")                                         \
    X(EINVAL, -2, "invalid argument")                                      \
    X(ETOOBIG, -3, "input exceeds the size limit")                         \
    X(EUTF8, -4, "invalid UTF-8")                                          \
    X(EPARSE, -5, "malformed input")                                       \
    X(EIO, -6, "input/output error")                                       \
    X(EDB, -7, "database error")                                           \
    X(ENOTFOUND, -8, "not found")                                          \
    X(EBUSY, -9, "resource busy")                                          \
    X(EAGAIN, -10, "incomplete input")                                     \
    X(EEMPTY, -11, "no text")                                              \
    X(EBINARY, -12, "binary data, not text")                               \
    X(EENCODING, -13, "unknown or unsupported character encoding")         \
    X(EMODEL, -14, "model file missing or invalid")                        \
    X(EUNSUPPORTED, -15, "unsupported input type")

enum {
#define HD_ERR_ENUM_(name, value, msg) HD_##name = value,
    HD_ERRNO_MAP(HD_ERR_ENUM_)
#undef HD_ERR_ENUM_
};

/* Static message for an error code ("unknown error" for unknown codes). */
HD_API const char *hd_strerror(int code);
/* Static symbolic name, e.g. "HD_ENOMEM"; "HD_UNKNOWN" for unknown codes. */
HD_API const char *hd_errname(int code);

#define HD_ERRMSG_MAX 512

/* Caller-provided error detail.  `code` repeats the returned code; `msg` is
** a NUL-terminated sentence naming the input and the problem. */
typedef struct hd_err {
    int code;
    char msg[HD_ERRMSG_MAX];
} hd_err;

/*---------------------------------------------------------------------------
** Memory
*/

/* Replace the allocator used by the whole library (arenas included).  Pass
** NULLs to restore malloc/realloc/free.  Not thread-safe: call before any
** other function.  `realloc_fn` must behave like realloc(3). */
HD_API void hd_set_allocator(void *(*malloc_fn)(size_t),
                             void *(*realloc_fn)(void *, size_t),
                             void (*free_fn)(void *));

/* Free memory that a library function returned as owned by the caller. */
HD_API void hd_free(void *p);

/* A string view.  Never NUL-terminated by contract (many are, in practice,
** but do not rely on it).  The owner is documented where a view is handed
** out. */
typedef struct hd_str {
    const char *ptr;
    size_t len;
} hd_str;

/*---------------------------------------------------------------------------
** Articles
*/


#define HD_LANG_TOP 3            /* language candidates kept per article */
#define HD_ID_LEN 16             /* hex digits in an article id */
#define HD_TIME_UNKNOWN INT64_MIN
#define HD_DOC_PROBLEMS_MAX 32     /* problems kept per article */
#define HD_DOC_LIMIT_DEFAULT (64u << 20) /* arena cap per article, bytes */

typedef struct hd_arena hd_arena;

/* One language candidate.  `code` is ISO 639-1 where one exists, else
** ISO 639-3, NUL-terminated; "und" when undetermined. */
typedef struct hd_lang_score {
    char code[8];
    float score; /* 0..1, candidates of one result sum to at most 1 */
} hd_lang_score;

/* A span of bytes in hd_doc.text: [start, end). */
typedef struct hd_span {
    uint32_t start;
    uint32_t end;
} hd_span;

/* A problem found while reading an article.  `kind` is a short tag (e.g.
** "invalid-utf8", "encoding"); both strings are owned by the arena. */
typedef struct hd_problem {
    const char *kind;
    hd_str detail;
} hd_problem;

/*---------------------------------------------------------------------------
** Facts: entities, quotes, quantities and dates (filled by hd_facts_run)
*/

enum { HD_ENT_PER = 1, HD_ENT_ORG, HD_ENT_LOC, HD_ENT_MISC };

/* "PER", "ORG", "LOC", "MISC", or "?" for anything else. */
HD_API const char *hd_ent_type_name(int type);

/* One mention of a named entity in d->text. */
typedef struct hd_mention {
    hd_span span;               /* bytes of d->text */
    int type;                   /* HD_ENT_* */
    float score;                /* tagger confidence, 0..1 */
    char entity[HD_ID_LEN + 1]; /* the canonical entity's id, "" before linking */
    hd_str name;                /* the entity's preferred name */
    char country[3];            /* places: ISO 3166-1 alpha-2, else "" */
    uint32_t geoname;           /* cities: GeoNames id, else 0 */
    double lat, lon;            /* cities: coordinates, else NAN */
} hd_mention;

/* A quotation: direct speech in quotation marks or reported speech. */
typedef struct hd_quote {
    uint32_t start, end;         /* the quoted words, without the marks */
    int direct;                  /* 1 direct, 0 reported ("said that ...") */
    int32_t speaker;             /* index into d->mentions, or -1 */
    uint32_t sp_start, sp_end;   /* the speaker's words when no mention
                                 ** covers them, else 0, 0 */
    uint32_t cue_start, cue_end; /* the speech verb, if found */
} hd_quote;

/* A number and what it counts: "2,500 peacekeepers", "7.000 Kilometer". */
typedef struct hd_quantity {
    uint32_t start, end;           /* the whole expression */
    double value;                  /* 2500; "1,5 Millionen" -> 1.5e6 */
    uint32_t unit_start, unit_end; /* the counted noun or unit, or the % */
} hd_quantity;

enum { HD_GRAIN_DAY = 1, HD_GRAIN_WEEK, HD_GRAIN_MONTH, HD_GRAIN_YEAR };

/* A date or period the text refers to, resolved against d->published. */
typedef struct hd_date_ref {
    uint32_t start, end;
    int64_t t;  /* start of the period, Unix seconds UTC, or HD_TIME_UNKNOWN */
    int grain;  /* HD_GRAIN_* */
} hd_date_ref;

/* One article and everything the pipeline learns about it.  Every view
** and array is owned by `arena` unless stated otherwise, and is valid until
** hd_doc_reset() or hd_doc_free().  Stages fill their fields in order:
** reader, normalize, segment, langid, then the store assigns nothing new.
** A doc is not thread-safe; one thread owns it at a time. */
typedef struct hd_doc {
    hd_arena *arena; /* owned by the doc */

    /* Reader: where it came from and what it said of itself. */
    hd_str source;        /* file path, URL, or "-" for stdin */
    uint32_t line;        /* 1-based line in a JSON Lines file, else 0 */
    hd_str ext_id;        /* the input's own id (JSON Lines `id`) */
    hd_str url;           /* URL if known */
    hd_str site;          /* source / outlet name if known */
    hd_str lang_hint;     /* language the input claims (`lang`, <html lang>) */
    hd_str charset;       /* charset the container declared, if any */
    int64_t published;    /* Unix seconds UTC, or HD_TIME_UNKNOWN */
    hd_str raw_title;     /* title bytes as read, any encoding */
    hd_str raw_text;      /* text bytes as read, any encoding */
    hd_str author;        /* HTML: the byline's person (UTF-8), if found */
    int64_t modified;     /* HTML: last modification, Unix seconds UTC, or
                          ** HD_TIME_UNKNOWN */

    /* Normalize: valid UTF-8 in NFC. */
    hd_str title;
    hd_str text;
    hd_str fold;          /* case- and accent-folded title+"\n"+text */
    const char *encoding; /* source encoding detected (static or arena) */
    uint32_t n_invalid;   /* invalid byte sequences replaced by U+FFFD */
    char id[HD_ID_LEN + 1]; /* content hash of title and text, hex */

    /* Segment: offsets into `text`. */
    size_t n_chars;       /* code points in text */
    hd_span *words;
    size_t n_words;
    hd_span *sentences;
    size_t n_sentences;

    /* Langid. */
    hd_lang_score lang[HD_LANG_TOP];
    int n_lang;           /* candidates filled, 0..HD_LANG_TOP */
    int lang_reliable;    /* 1 when the first candidate is trustworthy */

    /* Facts (hd_facts_run); offsets into `text`. */
    hd_mention *mentions;
    size_t n_mentions;
    hd_quote *quotes;
    size_t n_quotes;
    hd_quantity *quantities;
    size_t n_quantities;
    hd_date_ref *dates;
    size_t n_dates;
    int facts_done;       /* 1 once hd_facts_run (or the store) filled them */

    /* Problems seen by any stage (not fatal to the article). */
    hd_problem *problems;
    size_t n_problems;

    /* Store. */
    int64_t ingested;     /* Unix seconds UTC when first stored */
    int64_t story;        /* the story it belongs to; 0: none (yet) */
} hd_doc;

/* Allocate an empty doc whose arena refuses to grow past `limit` bytes
** (0: HD_DOC_LIMIT_DEFAULT).  Returns NULL when out of memory. */
HD_API hd_doc *hd_doc_new(size_t limit);
/* Drop everything the doc holds, keeping one arena block for reuse. */
HD_API void hd_doc_reset(hd_doc *d);
/* Free the doc and its arena.  NULL is a no-op. */
HD_API void hd_doc_free(hd_doc *d);

/* Copy `len` bytes into the doc's arena and return the view (NUL-terminated
** for convenience).  On failure returns a view with ptr NULL. */
HD_API hd_str hd_doc_strdup(hd_doc *d, const char *s, size_t len);

/* Record a problem (formatted like printf) on the doc.  Returns HD_OK or
** HD_ENOMEM. */
HD_API int hd_doc_problem(hd_doc *d, const char *kind, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Render the doc as one JSON object (no trailing newline) with the fields of
** the output contract: id, ext_id, source, url, title, lang, lang_score,
** lang_reliable, langs, chars, words, sentences, published, encoding,
** invalid_bytes, problems; and `text` when `with_text` is non-zero.  On
** success *out is a NUL-terminated string the caller frees with hd_free. */
HD_API int hd_doc_json(const hd_doc *d, int with_text, char **out,
                       size_t *len);

/* The doc's mentions as a JSON array of objects (start, end, text, type,
** score, entity, name; country, geoname, lat, lon for places).  On success
** *out is NUL-terminated; the caller frees it with hd_free. */
HD_API int hd_doc_entities_json(const hd_doc *d, char **out, size_t *len);

/*---------------------------------------------------------------------------
** Stages that run on one article
*/

/* Normalize d->raw_title and d->raw_text into d->title and d->text: detect
** the encoding (BOM, UTF-8 validity, statistical detection for legacy
** encodings such as Latin-1 and cp1251), convert to UTF-8, replace invalid
** sequences with U+FFFD (counted in d->n_invalid), normalise to NFC, strip
** control characters other than tab and newline, and compute d->fold and
** d->id.  Returns HD_OK; HD_EBINARY when the bytes are not text; HD_EEMPTY
** when no text remains; HD_ENOMEM.  Thread-safe. */
HD_API int hd_normalize_run(hd_doc *d, hd_err *err);

/* Segment d->text into words and sentences in every script (dictionary
** based for CJK and Thai) and count its code points.  Requires normalize.
** Returns HD_OK, HD_EINVAL before normalize, or HD_ENOMEM.  Thread-safe. */
HD_API int hd_segment_run(hd_doc *d, hd_err *err);

/* Language identification. */
typedef struct hd_langid hd_langid;

/* Load the language models from `datadir` (NULL: hd_data_dir()).  Returns
** NULL with `err` filled when a model is missing or invalid.  The loaded
** object is read-only: one may be shared by many threads. */
HD_API hd_langid *hd_langid_load(const char *datadir, hd_err *err);
HD_API void hd_langid_free(hd_langid *li);

/* Identify the language of `text` (UTF-8, `len` bytes).  Fills up to `k`
** candidates in `out` in descending score order and returns how many were
** filled (0 means undetermined), or a negative error.  `*reliable` (may be
** NULL) is set to 1 when the first candidate is trustworthy.  Thread-safe. */
HD_API int hd_langid_detect(const hd_langid *li, const char *text,
                            size_t len, hd_lang_score *out, int k,
                            int *reliable);

/* Run langid on a normalized doc: title and text, with d->lang_hint as a
** weak prior.  Fills d->lang, d->n_lang, d->lang_reliable. */
HD_API int hd_langid_run(const hd_langid *li, hd_doc *d);

/* Number of languages the loaded models can name, and the i-th code. */
HD_API int hd_langid_count(const hd_langid *li);
HD_API const char *hd_langid_code(const hd_langid *li, int i);

/* English name of an ISO 639-1/639-3 code ("German"), or NULL. */
HD_API const char *hd_lang_name(const char *code);

/* Directory of herald's data files: $HERALD_DATA, else the directory the
** build was configured with.  Static string. */
HD_API const char *hd_data_dir(void);

/*---------------------------------------------------------------------------
** Reading input
*/

/* Input formats a reader understands. */
typedef enum hd_format {
    HD_FMT_AUTO = 0,
    HD_FMT_TEXT,
    HD_FMT_HTML,
    HD_FMT_JSONL,
    HD_FMT_FEED,  /* RSS 2.0, RSS 1.0 (RDF), Atom: one article per item */
    HD_FMT_WARC   /* web archive (.warc, .warc.gz): one per HTML response */
} hd_format;

#define HD_FILE_MAX_DEFAULT (256u << 20) /* largest input file, bytes */
#define HD_ARTICLE_MAX_DEFAULT (16u << 20) /* largest single article */

/* Called once per article a reader produced.  The doc belongs to the reader
** and is reset after the callback returns; copy out what must survive.  A
** non-zero return stops the reader, which then returns that value. */
typedef int (*hd_doc_fn)(void *ud, hd_doc *d);

/* Called once per input problem that cost an article or a file: `source`
** names the input, `line` is 1-based or 0, `code` the error and `msg` one
** sentence.  Strings are valid during the call only. */
typedef void (*hd_problem_fn)(void *ud, const char *source, uint32_t line,
                              int code, const char *msg);

/* Guess the format of a file from its name and first bytes (see
** docs/internals/READERS.md): by extension, else by sniffing `head`. */
HD_API hd_format hd_format_guess(const char *name, const char *head,
                                 size_t len);

/* Read articles from a memory buffer that came from `source` (used in
** messages and stored as the article's source).  Returns the number of
** articles handed to `fn`, or a negative error for the whole buffer (also
** reported through `pfn`).  Per-article problems are reported through `pfn`
** and do not stop the buffer. */
HD_API int hd_read_buffer(const char *source, hd_format fmt, const char *buf,
                          size_t len, hd_doc_fn fn, hd_problem_fn pfn,
                          void *ud);

/*---------------------------------------------------------------------------
** The store
*/

typedef struct hd_store hd_store;

/* Open (creating and migrating as needed) the database at `path`.  Returns
** NULL with `err` filled on failure.  One store is used by one thread at a
** time. */
HD_API hd_store *hd_store_open(const char *path, hd_err *err);
HD_API void hd_store_close(hd_store *st);
/* The last error message from this store (static or store-owned). */
HD_API const char *hd_store_errmsg(const hd_store *st);
/* The schema version of the open database. */
HD_API int hd_store_schema_version(hd_store *st);

/* Group writes: everything between begin and commit lands together or not
** at all. */
HD_API int hd_store_begin(hd_store *st);
/* A read transaction: the reads between it and commit (or rollback) see
** one snapshot of the store, and take no write lock, so that a writer
** elsewhere neither waits for them nor is waited for. */
HD_API int hd_store_begin_read(hd_store *st);
HD_API int hd_store_commit(hd_store *st);
HD_API int hd_store_rollback(hd_store *st);

/* Store a fully analysed doc.  Returns 1 when stored, 0 when an article
** with the same id already exists (nothing is changed), or an error. */
HD_API int hd_store_put(hd_store *st, const hd_doc *d);

/* Load the article whose id (or a unique prefix of at least 4 hex digits,
** or whose ext_id) matches `key` into `d` (reset first).  Returns HD_OK,
** HD_ENOTFOUND, HD_EINVAL for an ambiguous prefix, or HD_EDB. */
HD_API int hd_store_get(hd_store *st, const char *key, hd_doc *d);

/* Call `fn` for every stored article in ingest order (text not loaded when
** `with_text` is 0).  Returns the count, or the callback's non-zero value,
** or an error. */
HD_API int hd_store_each(hd_store *st, int with_text, hd_doc_fn fn,
                         void *ud);

/* Number of stored articles, or a negative error. */
HD_API int64_t hd_store_count(hd_store *st);
/* The highest story id in use (0: none), or a negative error. */
HD_API int64_t hd_store_story_max(hd_store *st);

/* The entity registry as a JSON array, most-mentioned first: every entity
** (`id` NULL) or those whose id starts with `id`; each with id, type, name,
** country, geoname, lat, lon, articles, mentions and variants (name, lang,
** n).  *out is NUL-terminated; the caller frees it with hd_free. */
HD_API int hd_store_entities_json(hd_store *st, const char *id, char **out);

/* Which entities to list.  Every filter is optional (NULL / 0). */
typedef struct hd_entity_query {
    const char *text;  /* a name or spelling starting with this (any case) */
    const char *type;  /* PER, ORG, LOC or MISC */
    const char *lang;  /* with a spelling seen in this language */
    int limit;         /* 0: 50 */
    int offset;
} hd_entity_query;

/* Call `fn` for every stored article that mentions entity `entity`, in
** ingest order.  Returns the count, the callback's value, or an error. */
HD_API int hd_store_entity_articles(hd_store *st, const char *entity, hd_doc_fn fn,
                                    void *ud);

/*---------------------------------------------------------------------------
** Links between articles: duplicates, near-duplicates, translations
*/

/* A link between two stored articles.  Kinds in use: "duplicate" (the same
** text, or nearly all of it), "near-duplicate" (a cut, extended or lightly
** rewritten version), "translation".  `score` is in [0,1]; `first` is the
** id of the article published first when both dates are known and differ,
** else "". */
typedef struct hd_link {
    char a[HD_ID_LEN + 1];     /* the smaller id (hd_store_link_put sorts) */
    char b[HD_ID_LEN + 1];
    const char *kind;          /* NUL-terminated; in callbacks, valid during
                               ** the call only */
    double score;
    char first[HD_ID_LEN + 1]; /* "" when unknown */
} hd_link;

/* Called once per link; a non-zero return stops the listing. */
typedef int (*hd_link_fn)(void *ud, const hd_link *l);

/* Store a link (a and b in either order; they are stored sorted).  One
** link per (a, b, kind): storing it again updates its score and first.
** Returns 1 when new, 0 when it existed, HD_EINVAL (ids not HD_ID_LEN
** hex digits, equal ids, no kind, score outside [0,1]) or HD_EDB. */
HD_API int hd_store_link_put(hd_store *st, const hd_link *l);

/* Call `fn` for every link, ordered by a, b, kind; only those of `kind`
** unless it is NULL.  Returns the count, the callback's value, or an
** error. */
HD_API int hd_store_link_each(hd_store *st, const char *kind, hd_link_fn fn, void *ud);

/* Call `fn` for every link of article `id` (a full id), ordered by kind,
** then the other article.  Returns the count, the callback's value, or an
** error. */
HD_API int hd_store_links_of(hd_store *st, const char *id, hd_link_fn fn, void *ud);

/*---------------------------------------------------------------------------
** The engine: the whole ingest pipeline
*/

typedef struct hd_engine hd_engine;

typedef struct hd_ingest_stats {
    uint64_t files;      /* files read */
    uint64_t articles;   /* articles analysed */
    uint64_t stored;     /* articles newly stored */
    uint64_t existing;   /* articles already in the store */
    uint64_t failed;     /* inputs (files or articles) that failed */
    uint64_t bytes;      /* input bytes read */
    uint64_t skipped;    /* records that are not articles (web archive
                         ** requests, metadata, non-HTML responses) */
} hd_ingest_stats;

typedef struct hd_engine_config {
    const char *db_path;   /* SQLite file; NULL: no store (analysis only) */
    const char *data_dir;  /* NULL: hd_data_dir() */
    size_t file_max;       /* 0: HD_FILE_MAX_DEFAULT */
    size_t article_max;    /* 0: HD_ARTICLE_MAX_DEFAULT */
    hd_problem_fn on_problem; /* may be NULL */
    hd_doc_fn on_doc;      /* called after each article is analysed */
    void *ud;              /* passed to both callbacks */
} hd_engine_config;

/* Create an engine: loads the models and opens the store. */
HD_API hd_engine *hd_engine_new(const hd_engine_config *cfg, hd_err *err);
HD_API void hd_engine_free(hd_engine *e);
/* The engine's store (NULL without db_path); owned by the engine. */
HD_API hd_store *hd_engine_store(hd_engine *e);
/* The engine's language models; owned by the engine. */
HD_API const hd_langid *hd_engine_langid(hd_engine *e);

/* Ingest a file, a folder (recursively) or "-" (stdin).  Problems are
** reported through the config's on_problem and counted in stats->failed;
** the rest of the input is still processed.  Each file is committed as one
** transaction, so an interrupted run leaves whole files stored and a rerun
** completes the work without duplicates.  Returns HD_OK, or an error that
** stopped the run (e.g. HD_EDB). */
HD_API int hd_engine_ingest(hd_engine *e, const char *path,
                            hd_ingest_stats *stats);

/* Forget what the engine keeps in memory of its store between articles
** (story summaries and term counts, recent profiles), so that the next
** ingest starts from what is stored, including what other writers stored
** meanwhile.  A long-lived engine that shares its database with other
** writers calls this before each batch. */
HD_API void hd_engine_forget(hd_engine *e);

/* Ingest the bytes of one input that came from `source` (a name for
** messages and the articles' source) as one transaction, like one file of
** hd_engine_ingest: `fmt` says how to read them (HD_FMT_AUTO: guess from
** the name and the bytes).  The engine's on_doc and on_problem callbacks
** are called as for files. */
HD_API int hd_engine_ingest_buffer(hd_engine *e, const char *source, hd_format fmt,
                                   const char *buf, size_t len, hd_ingest_stats *stats);

/*---- Fetching pages and feeds over HTTP(S) (fetch.c) -------------------*/

/* Options for hd_engine_fetch.  Zero (or NULL) means the default given. */
typedef struct hd_fetch_options {
    int allow_private;       /* 1: loopback, private, link-local and
                             ** multicast addresses may be fetched; 0: refused */
    const char *user_agent;  /* NULL: "herald/VERSION (+HD_PROJECT_URL)";
                             ** also the robots.txt product token's source */
    int parallel;            /* transfers at once, all hosts: 8 */
    double host_delay;       /* seconds between requests to one host: 1.0
                             ** (a larger robots.txt Crawl-delay wins) */
    double connect_timeout;  /* seconds: 10 */
    double timeout;          /* seconds for a whole transfer: 60 */
    long low_speed;          /* bytes/s: a transfer slower than this for */
    double low_speed_time;   /* this many seconds is cut off: 100, 10 */
    size_t max_bytes;        /* largest body after decoding: 16 MiB */
    int max_redirects;       /* 5; a redirect loop fails at once */
    int retries;             /* after 5xx, 429 or a network error: 3; -1 none */
    double retry_delay;      /* first backoff, doubled per retry: 1.0 s */
    double retry_max;        /* longest wait (Retry-After included) before
                             ** giving up on a URL: 300 s */
} hd_fetch_options;

/* What one hd_engine_fetch call did. */
typedef struct hd_fetch_stats {
    uint64_t requests;       /* HTTP requests sent, robots.txt included */
    uint64_t pages;          /* pages received and read */
    uint64_t feeds;          /* feeds received and read */
    uint64_t not_modified;   /* conditional GETs answered 304 */
    uint64_t known;          /* feed items whose link was fetched before */
    uint64_t robots_denied;  /* URLs robots.txt does not allow us */
    uint64_t retries;        /* requests repeated after a failure */
    uint64_t failed;         /* URLs given up on (each reported) */
    hd_ingest_stats ingest;  /* the articles the pages and feeds gave */
} hd_fetch_stats;

/* Fetch `n` http(s) URLs (pages or feeds) and ingest what they hold through
** the same pipeline as files: a page is one article; a feed gives one
** article per item, and the link of an item without its full text is
** fetched too (once: links fetched before are skipped).  Politeness:
** robots.txt (cached per host for a day), one request at a time per host
** with options->host_delay between them, `parallel` transfers in all,
** conditional GET with the ETag and Last-Modified remembered in the store,
** retries with exponential backoff honouring Retry-After.  Bounds: size
** cap after decoding, redirects, timeouts, a low-speed cut-off, and no
** private addresses unless allowed.  Problems are reported through the
** engine's on_problem (source = the URL) and counted in stats->failed; the
** other URLs go on.  Returns HD_OK, HD_EINVAL (no store, bad options) or
** an error that stopped the run (HD_EDB, HD_ENOMEM). */
HD_API int hd_engine_fetch(hd_engine *e, const char *const *urls, size_t n,
                           const hd_fetch_options *options,
                           hd_fetch_stats *stats);

/* Analyse one doc whose reader fields are set: normalize, segment, langid,
** then facts (hd_engine_facts). */
HD_API int hd_engine_analyse(hd_engine *e, hd_doc *d, hd_err *err);

/* Facts of an analysed doc: named entities (tagger, gazetteer), each linked
** to one canonical entity across articles, languages and scripts (the
** registry lives in the engine's store and learns new spellings); quotes
** and their speakers; quantities; dates resolved against d->published.
** `lang` forces the language (NULL: d->lang).  Fills d->mentions, quotes,
** quantities, dates and sets d->facts_done. */
HD_API int hd_engine_facts(hd_engine *e, hd_doc *d, const char *lang, hd_err *err);

/*---- Similarity: profiles and comparison (compare.c) -----------------*/

/* SemEval-2022 Task 8's seven dimensions, each rated from 1 (very
** similar) to 4 (very dissimilar). */
enum {
    HD_DIM_GEOGRAPHY, HD_DIM_ENTITIES, HD_DIM_TIME, HD_DIM_NARRATIVE,
    HD_DIM_OVERALL, HD_DIM_STYLE, HD_DIM_TONE, HD_DIM_COUNT
};
HD_API const char *hd_dim_name(int dim);

/* What an article is compared on, language-independent where it can be:
** its entities, places, countries, numbers and dates, names by latin key,
** content words and character n-grams, and style statistics.  Built from
** an analysed doc (facts done); owns copies of everything it needs. */
typedef struct hd_profile hd_profile;
HD_API hd_profile *hd_profile_new(const hd_doc *d, hd_err *err);
HD_API void hd_profile_free(hd_profile *p);
HD_API const char *hd_profile_id(const hd_profile *p);
HD_API const char *hd_profile_lang(const hd_profile *p);

/* Background document frequencies: terms common in the collection weigh
** less.  Built from the profiles of a collection. */
typedef struct hd_background hd_background;
HD_API hd_background *hd_background_new(void);
HD_API int hd_background_add(hd_background *bg, const hd_profile *p);
HD_API void hd_background_free(hd_background *bg);

/* The rating model: per dimension, a linear function of the features
** (data/compare.model, fitted by bench/similarity_fit.py). */
typedef struct hd_compare_model hd_compare_model;
HD_API hd_compare_model *hd_compare_model_load(const char *datadir, hd_err *err);
HD_API void hd_compare_model_free(hd_compare_model *m);

#define HD_FEAT_MAX 64
#define HD_EVIDENCE_MAX 12

/* One piece of shared evidence: an entity, place, date, number, or a pair
** of aligned sentences (a_start..a_end in a's text, b_start..b_end in b's). */
typedef struct hd_evidence {
    int kind;          /* HD_EV_* */
    const char *label; /* display text (owned by a profile) */
    uint32_t a_start, a_end, b_start, b_end;
    double score;
} hd_evidence;
enum { HD_EV_ENTITY = 1, HD_EV_PLACE, HD_EV_DATE, HD_EV_NUMBER, HD_EV_PASSAGE };

typedef struct hd_comparison {
    double dim[HD_DIM_COUNT];  /* 1 (very similar) .. 4 (very dissimilar) */
    double feat[HD_FEAT_MAX];  /* the features the ratings come from */
    int n_feat;
    hd_evidence ev[HD_EVIDENCE_MAX];
    int n_ev;
    double translation;        /* 0..1: how much b looks like a translation of a */
} hd_comparison;

/* Compare two profiles.  `bg` may be NULL (all terms weigh alike), `m`
** may be NULL (features only; dim[] set to 0).  Evidence labels point into
** the profiles and live as long as they do. */
HD_API int hd_compare(const hd_compare_model *m, const hd_background *bg,
                      const hd_profile *a, const hd_profile *b, hd_comparison *out);
HD_API int hd_compare_n_features(void);
HD_API const char *hd_compare_feature_name(int i);
/* Text of a profile (for evidence passages). */
HD_API hd_str hd_profile_text(const hd_profile *p);
/* The profile of an analysed doc with the engine's dictionaries: word
** meanings across languages join the comparison. */
HD_API hd_profile *hd_engine_profile(hd_engine *e, const hd_doc *d, hd_err *err);

/* One of the nearest stored articles. */
typedef struct hd_similar_hit {
    char id[HD_ID_LEN + 1];
    char lang[16];
    double overall;     /* SemEval Overall, 1 (very similar) .. 4 */
    double translation; /* 0..1 */
} hd_similar_hit;

/* The (at most) k stored articles nearest to stored article `key` (id,
** unique prefix or ext_id), in any language, most similar first: found
** through the anchor index (shared entities, places, names, numbers,
** dates, meanings), rated by hd_compare.  Returns how many were written
** to `out`, or an error with `err` set. */
HD_API int hd_engine_similar(hd_engine *e, const char *key, int k, hd_similar_hit *out,
                             hd_err *err);

/*---- Stories: the stream grouped by event, across languages (story.c) ----*/

/* How articles are grouped.  An article joins the most similar open story
** when their similarity reaches `threshold`, else it starts a story; a
** story closes to articles more than `window_days` away from its first
** and last article, and similarity fades on the way there. */
typedef struct hd_story_params {
    double threshold;   /* 0..1 */
    double window_days; /* > 0 */
} hd_story_params;

/* The defaults (bench/stories.sh measures them). */
HD_API void hd_story_params_default(hd_story_params *p);

/* Which stories to list.  Every filter is optional (NULL / 0). */
typedef struct hd_story_query {
    const char *lang;    /* stories with an article in this language */
    const char *entity;  /* ... mentioning this entity: id prefix or any spelling */
    const char *place;   /* ... this place: id prefix or any spelling */
    const char *text;    /* ... with an article whose title or text has all its words (search index) */
    int64_t since, until; /* ... seen in this period (0: open) */
    const char *title_lang; /* titles in this language where one exists */
    int latest;          /* 1: latest first; 0: largest first */
    int limit;           /* 0: 50 */
    int offset;
} hd_story_query;

/* The stories as a JSON array of objects: id, title, title_lang, lead
** (when no article has a title: the start of the earliest one's text),
** articles, languages ({code: count}), first, last, entities (top names).
** *out is NUL-terminated; the caller frees it with hd_free. */
/* Full-text search over all articles (titles and texts, every language):
** a JSON array of {id, title, lang, source, story, published, snippet},
** best bm25 first, then articles mentioning an entity one of whose
** recorded spellings equals the query.  Punctuation in `query` is dropped
** (at most 16 words, 200 bytes); a query with no word is HD_EINVAL. */
HD_API int hd_engine_search_json(hd_engine *e, const char *query, const char *lang, int limit,
                                 int offset, char **out, hd_err *err);
HD_API int hd_engine_stories_json(hd_engine *e, const hd_story_query *q, char **out,
                                  hd_err *err);

/* One story as a JSON object: what hd_engine_stories_json gives, plus its
** articles (time order), entities, places, quotes, links (duplicates and
** translations between its articles) and timeline (articles per day).
** `lang` picks the title's language where one exists (NULL: any). */
HD_API int hd_engine_story_json(hd_engine *e, int64_t id, const char *lang, char **out,
                                hd_err *err);

/* A page of entities, most articles first, as a JSON array of {id, type,
** name, country, lat, lon, articles, languages (codes of its spellings),
** variants (how many spellings)}.  *out: NUL-terminated, hd_free it. */
HD_API int hd_engine_entities_json(hd_engine *e, const hd_entity_query *q, char **out,
                                   hd_err *err);

/* One entity (id or a unique prefix of at least 4 characters) as a JSON
** object: id, type, name, country, geoname, lat, lon, articles, mentions,
** languages ({code: [{name, n}]}: its spellings by language, most used
** first), stories (up to 50, by how many of their articles name it:
** id, title, articles, naming, first, last) and recent (the latest 50
** articles naming it).  HD_ENOTFOUND when there is no such entity,
** HD_EINVAL when the prefix names several. */
HD_API int hd_engine_entity_json(hd_engine *e, const char *id, char **out, hd_err *err);

/* Group every stored article again, in ingest order, with `p` (NULL: the
** parameters in force), which are kept for later ingests.  The articles are
** not read again; their stored analysis is.  Returns the number of stories
** or an error. */
HD_API int64_t hd_engine_recluster(hd_engine *e, const hd_story_params *p, hd_err *err);

/* The parameters stories are built with in the engine's store. */
HD_API int hd_engine_story_params(hd_engine *e, hd_story_params *p, hd_err *err);

#ifdef __cplusplus
}
#endif
#endif /* HERALD_H */
