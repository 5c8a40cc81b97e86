/*
** fts_stem.c -- the "herald" FTS5 tokenizer (see fts_stem.h).
**
** It wraps SQLite's own unicode61 tokenizer rather than splitting words
** itself, so word boundaries and the folding of case and diacritics stay
** exactly those of the index before stemming (schema 7), and only the
** emitted tokens change.  Stemming a folded word is slightly coarser than
** stemming the original (Snowball's German already drops umlauts, but
** Italian and French suffix rules mention accented vowels), and it is what
** keeps index and query consistent: both sides see the same folded word.
**
** Documents store one token per word, the stem only: an exact form still
** matches because the query side expands every word to its stems in all
** Snowball languages, the article's own among them.  Colocating the
** unstemmed form would roughly double the index for no extra match.
*/
#include <stdint.h>
#include <string.h>

#include "herald.h"
#include "fts_stem.h"
#include "stem.h"

/* The ISO 639-1 codes stem.c knows; hd_stem_has() is the authority, this
** list only enumerates candidates for query expansion. */
static const char *const query_langs[] = {
    "ar", "hy", "eu", "ca", "da", "nl", "en", "fi", "fr", "de",
    "el", "hi", "hu", "id", "ga", "it", "lt", "ne", "no", "pt",
    "ro", "ru", "sr", "es", "sv", "ta", "tr", "yi",
};
#define N_QUERY_LANGS (sizeof query_langs / sizeof query_langs[0])

typedef struct stem_tokenizer {
    fts5_tokenizer inner_api; /* unicode61's methods */
    Fts5Tokenizer *inner;
} stem_tokenizer;

/* One xTokenize call: where tokens go and how they are stemmed. */
typedef struct stem_call {
    void *ctx;
    int (*x_token)(void *, int, const char *, int, int, int);
    int query;            /* FTS5_TOKENIZE_QUERY without PREFIX */
    int off;              /* bytes of marker skipped: added to offsets */
    char lang[HD_FTS_LANG_MAX + 1]; /* "" when the text has no marker */
} stem_call;

/* Length of a leading language marker of `text`, copying its code to
** `lang`; 0 (and lang "") when there is none. */
static int parse_marker(const char *text, int n, char *lang) {
    lang[0] = '\0';
    if (n < 2 || text[0] != HD_FTS_MARK) return 0;
    for (int i = 1; i < n && i <= HD_FTS_LANG_MAX + 1; i++) {
        if (text[i] != HD_FTS_MARK) continue;
        memcpy(lang, text + 1, (size_t)(i - 1));
        lang[i - 1] = '\0';
        return i + 1;
    }
    return 0;
}

/* Stem `tok` in `lang` into `out`; the token itself when there is no
** stemmer, the word is too long, or the stem would be empty. */
static int stem_into(const char *lang, const char *tok, int n, char *out, size_t cap,
                     const char **res) {
    *res = tok;
    if (n <= 0 || !hd_stem_has(lang)) return n;
    int len = hd_stem_folded(lang, tok, (size_t)n, out, cap);
    if (len <= 0) return n;
    *res = out;
    return len;
}

/* A query word without language: the folded word, then each distinct
** stem, all colocated. */
static int emit_synonyms(stem_call *c, const char *tok, int n, int start, int end) {
    char seen[N_QUERY_LANGS][HD_STEM_WORD_MAX + 1];
    int n_seen = 0;
    int rc = c->x_token(c->ctx, 0, tok, n, start, end);
    for (size_t i = 0; rc == SQLITE_OK && i < N_QUERY_LANGS; i++) {
        char buf[HD_STEM_WORD_MAX + 1];
        const char *s;
        int len = stem_into(query_langs[i], tok, n, buf, sizeof buf, &s);
        if (s == tok) continue; /* no stemmer, or the word itself */
        int dup = len == n && memcmp(s, tok, (size_t)n) == 0;
        for (int j = 0; !dup && j < n_seen; j++)
            dup = strcmp(seen[j], s) == 0;
        if (dup) continue;
        memcpy(seen[n_seen++], s, (size_t)len + 1);
        rc = c->x_token(c->ctx, FTS5_TOKEN_COLOCATED, s, len, start, end);
    }
    return rc;
}

static int on_token(void *p, int tflags, const char *tok, int n, int start, int end) {
    stem_call *c = p;
    start += c->off;
    end += c->off;
    if (c->query && c->lang[0] == '\0') return emit_synonyms(c, tok, n, start, end);
    char buf[HD_STEM_WORD_MAX + 1];
    const char *s;
    int len = stem_into(c->lang, tok, n, buf, sizeof buf, &s);
    return c->x_token(c->ctx, tflags, s, len, start, end);
}

static int stem_create(void *api_p, const char **args, int n_args, Fts5Tokenizer **out) {
    fts5_api *api = api_p;
    static const char *const fold[] = {"remove_diacritics", "2"};
    void *ud = NULL;
    fts5_tokenizer inner_api;
    *out = NULL;
    int rc = api->xFindTokenizer(api, "unicode61", &ud, &inner_api);
    if (rc != SQLITE_OK) return rc;
    stem_tokenizer *t = sqlite3_malloc(sizeof *t);
    if (t == NULL) return SQLITE_NOMEM;
    t->inner_api = inner_api;
    /* FTS5 declares the arguments `const char **`; unicode61 only reads. */
    rc = inner_api.xCreate(ud, n_args ? args : (const char **)(uintptr_t)fold,
                           n_args ? n_args : 2, &t->inner);
    if (rc != SQLITE_OK) {
        sqlite3_free(t);
        return rc;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void stem_delete(Fts5Tokenizer *p) {
    stem_tokenizer *t = (stem_tokenizer *)p;
    if (t == NULL) return;
    t->inner_api.xDelete(t->inner);
    sqlite3_free(t);
}

static int stem_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                         int (*x_token)(void *, int, const char *, int, int, int)) {
    stem_tokenizer *t = (stem_tokenizer *)p;
    stem_call c = {.ctx = ctx, .x_token = x_token};
    c.query = (flags & FTS5_TOKENIZE_QUERY) && !(flags & FTS5_TOKENIZE_PREFIX);
    if (text == NULL || n <= 0) return SQLITE_OK; /* no words */
    c.off = parse_marker(text, n, c.lang);
    /* A prefix query ("word*") is a beginning, not a word: unstemmed. */
    if (flags & FTS5_TOKENIZE_PREFIX) c.lang[0] = '\0';
    return t->inner_api.xTokenize(t->inner, &c, flags, text + c.off, n - c.off, on_token);
}

/* The FTS5 API of `db`, or NULL when SQLite was built without FTS5. */
static fts5_api *fts5_of(sqlite3 *db) {
    fts5_api *api = NULL;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &q, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_pointer(q, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(q);
    sqlite3_finalize(q);
    return api;
}

int hd_fts_stem_register(sqlite3 *db) {
    fts5_api *api = fts5_of(db);
    if (api == NULL || api->iVersion < 2) return HD_EDB;
    void *ud;
    fts5_tokenizer have;
    if (api->xFindTokenizer(api, "herald", &ud, &have) == SQLITE_OK) return HD_OK;
    fts5_tokenizer tok = {stem_create, stem_delete, stem_tokenize};
    int rc = api->xCreateTokenizer(api, "herald", api, &tok, NULL);
    if (rc == SQLITE_OK) return HD_OK;
    return rc == SQLITE_NOMEM ? HD_ENOMEM : HD_EDB;
}

static int auto_entry(sqlite3 *db, char **err, const sqlite3_api_routines *thunk) {
    (void)err;
    (void)thunk;
    /* A connection of a SQLite without FTS5 has no herald index to serve:
    ** not an error for opening it. */
    int rc = hd_fts_stem_register(db);
    return rc == HD_ENOMEM ? SQLITE_NOMEM : SQLITE_OK;
}

int hd_fts_stem_auto(void) {
    /* sqlite3_auto_extension ignores an entry point already registered, so
    ** calling it on every store open is the "once". */
    int rc = sqlite3_auto_extension((void (*)(void))auto_entry);
    return rc == SQLITE_OK ? HD_OK : HD_ENOMEM;
}
