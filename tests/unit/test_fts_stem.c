/*
** test_fts_stem.c -- the "herald" FTS5 tokenizer, called directly: stems
** of a marked text, no token for the marker, offsets into the whole
** value, synonyms for an unmarked query word.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fts_stem.h"
#include "herald.h"
#include "test.h"

/* The tokens of one xTokenize call, "token@start-end", a "+" in front of
** a colocated one, separated by spaces. */
typedef struct tokens {
    char buf[2048];
    size_t len;
    int n;
} tokens;

static int collect(void *p, int tflags, const char *tok, int n, int start, int end) {
    tokens *t = p;
    int w = snprintf(t->buf + t->len, sizeof t->buf - t->len, "%s%s%.*s@%d-%d",
                     t->n ? " " : "", (tflags & FTS5_TOKEN_COLOCATED) ? "+" : "", n, tok,
                     start, end);
    if (w < 0 || (size_t)w >= sizeof t->buf - t->len) return SQLITE_ERROR;
    t->len += (size_t)w;
    t->n++;
    return SQLITE_OK;
}

/* Tokenize `text` with the herald tokenizer of a fresh in-memory database. */
static void tokenize(int flags, const char *text, tokens *out) {
    sqlite3 *db;
    CHECK_EQ_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    CHECK_OK(hd_fts_stem_register(db));
    fts5_api *api = NULL;
    sqlite3_stmt *q;
    CHECK_EQ_INT(sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_pointer(q, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(q);
    sqlite3_finalize(q);
    CHECK(api != NULL);
    void *ud;
    fts5_tokenizer x;
    CHECK_EQ_INT(api->xFindTokenizer(api, "herald", &ud, &x), SQLITE_OK);
    Fts5Tokenizer *tok;
    CHECK_EQ_INT(x.xCreate(ud, NULL, 0, &tok), SQLITE_OK);
    memset(out, 0, sizeof *out);
    CHECK_EQ_INT(x.xTokenize(tok, out, flags, text, (int)strlen(text), collect), SQLITE_OK);
    x.xDelete(tok);
    sqlite3_close(db);
}

TEST(fts_stem_document_is_stemmed_in_its_language) {
    tokens t;
    /* Marker: bytes 0-3, never a token; offsets count it. */
    tokenize(FTS5_TOKENIZE_DOCUMENT, "\x1f" "de" "\x1f" "Die Wahlen", &t);
    CHECK_EQ_STR(t.buf, "die@4-7 wahl@8-14");
    tokenize(FTS5_TOKENIZE_DOCUMENT, "\x1f" "de" "\x1f" "Wahl", &t);
    CHECK_EQ_STR(t.buf, "wahl@4-8");
    tokenize(FTS5_TOKENIZE_DOCUMENT, "\x1f" "en" "\x1f" "Elections, election", &t);
    CHECK_EQ_STR(t.buf, "elect@4-13 elect@15-23");
    /* Italian plural and singular meet. */
    tokens sg;
    tokenize(FTS5_TOKENIZE_DOCUMENT, "\x1f" "it" "\x1f" "elezioni", &t);
    tokenize(FTS5_TOKENIZE_DOCUMENT, "\x1f" "it" "\x1f" "elezione", &sg);
    CHECK_EQ_STR(t.buf, sg.buf);
    CHECK(strncmp(t.buf, "elezion@", 8) == 0);
    /* Aux (snippet) tokenizes exactly like the document. */
    tokenize(FTS5_TOKENIZE_AUX, "\x1f" "de" "\x1f" "Die Wahlen", &t);
    CHECK_EQ_STR(t.buf, "die@4-7 wahl@8-14");
}

TEST(fts_stem_folds_before_stemming) {
    tokens a, b;
    tokenize(FTS5_TOKENIZE_DOCUMENT, "\x1f" "de" "\x1f" "Fallschirmjäger Möglichkeiten", &a);
    tokenize(FTS5_TOKENIZE_DOCUMENT, "\x1f" "de" "\x1f" "FALLSCHIRMJAGER Moglichkeit", &b);
    /* Same tokens; offsets differ by the two umlauts' extra bytes. */
    CHECK_EQ_STR(a.buf, "fallschirmjag@4-20 moglich@21-35");
    CHECK_EQ_STR(b.buf, "fallschirmjag@4-19 moglich@20-31");
}

TEST(fts_stem_without_snowball_or_marker_indexes_folded_words) {
    tokens t;
    tokenize(FTS5_TOKENIZE_DOCUMENT, "Die Wahlen", &t);
    CHECK_EQ_STR(t.buf, "die@0-3 wahlen@4-10");
    tokenize(FTS5_TOKENIZE_DOCUMENT, "\x1f" "pl" "\x1f" "Wybory", &t);
    CHECK_EQ_STR(t.buf, "wybory@4-10");
    tokenize(FTS5_TOKENIZE_DOCUMENT, "\x1f" "und" "\x1f" "Wahlen", &t);
    CHECK_EQ_STR(t.buf, "wahlen@5-11");
    /* A marked empty title: no token. */
    tokenize(FTS5_TOKENIZE_DOCUMENT, "\x1f" "de" "\x1f", &t);
    CHECK_EQ_STR(t.buf, "");
    /* Not a marker (no closing \x1f within a code's length): all text. */
    tokenize(FTS5_TOKENIZE_DOCUMENT, "\x1f" "de Wahlen", &t);
    CHECK_EQ_STR(t.buf, "de@1-3 wahlen@4-10");
}

TEST(fts_stem_query_word_has_stems_of_all_languages) {
    tokens t;
    tokenize(FTS5_TOKENIZE_QUERY, "Wahlen", &t);
    /* The folded word first, then distinct stems, all at one position. */
    CHECK(strncmp(t.buf, "wahlen@0-6 +", 12) == 0);
    CHECK(strstr(t.buf, "+wahl@0-6") != NULL);
    CHECK(strstr(t.buf, "+wahlen@") == NULL);
    int wahl = 0;
    for (const char *p = t.buf; (p = strstr(p, "+wahl@")) != NULL; p++) wahl++;
    CHECK_EQ_INT(wahl, 1);
    tokenize(FTS5_TOKENIZE_QUERY, "elections", &t);
    CHECK(strstr(t.buf, "+elect@0-9") != NULL);
    /* A marked query is stemmed in its language only. */
    tokenize(FTS5_TOKENIZE_QUERY, "\x1f" "de" "\x1f" "Wahlen", &t);
    CHECK_EQ_STR(t.buf, "wahl@4-10");
    tokenize(FTS5_TOKENIZE_QUERY, "\x1f" "pl" "\x1f" "Wybory", &t);
    CHECK_EQ_STR(t.buf, "wybory@4-10");
    /* A prefix is a beginning, not a word: unstemmed. */
    tokenize(FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX, "Wahlen", &t);
    CHECK_EQ_STR(t.buf, "wahlen@0-6");
}

/* Index, query and snippet together, on a table like the store's. */
TEST(fts_stem_table_matches_other_forms) {
    sqlite3 *db;
    CHECK_EQ_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    CHECK_OK(hd_fts_stem_register(db));
    CHECK_EQ_INT(sqlite3_exec(db,
                              "CREATE VIRTUAL TABLE f USING fts5(t, tokenize='herald');"
                              "INSERT INTO f(rowid, t) VALUES (1, char(31) || 'de' || char(31) ||"
                              " 'Die Wahl in Genf'), (2, char(31) || 'it' || char(31) ||"
                              " 'La elezione'), (3, char(31) || 'en' || char(31) ||"
                              " 'The election'), (4, 'Wahlen ohne Sprache');",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    static const struct { const char *match; const char *rows; } cases[] = {
        {"\"wahlen\"", "1 4"},   {"\"Wahl\"", "1"},          {"\"elezioni\"", "2"},
        {"\"elections\"", "3"},  {"\"wahlen\" \"genf\"", "1"}, {"\"wahlen\" \"rom\"", ""},
        {"\"\x1f" "it" "\x1f" "wahlen\"", "4"}, /* not German 1 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sqlite3_stmt *q;
        CHECK_EQ_INT(sqlite3_prepare_v2(db, "SELECT rowid FROM f WHERE f MATCH ?1 ORDER BY rowid",
                                        -1, &q, NULL),
                     SQLITE_OK);
        sqlite3_bind_text(q, 1, cases[i].match, -1, SQLITE_STATIC);
        char got[64] = "";
        while (sqlite3_step(q) == SQLITE_ROW)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%d", got[0] ? " " : "",
                     sqlite3_column_int(q, 0));
        sqlite3_finalize(q);
        CHECK_EQ_STR(got, cases[i].rows);
    }
    sqlite3_close(db);
}
