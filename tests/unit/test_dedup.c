/*
** test_dedup.c -- sketches, duplicate decisions and the links they write,
** on the seed articles and copies of them edited the way sites edit wire
** copy (a new headline, a footer, a cut).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "herald.h"
#include "store.h"
#include "test.h"

static char *slurp_seed(const char *name) {
    char rel[256];
    snprintf(rel, sizeof rel, "corpus/seeds/%s", name);
    FILE *f = fopen(hd_test_shared(rel), "rb");
    if (f == NULL) hd_test_skip("seed articles not found (set SHARED)");
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *s = malloc(n + 1);
    CHECK(s != NULL);
    memcpy(s, buf, n + 1);
    return s;
}

/* A normalised doc with this title and text. */
static hd_doc *doc_of(const char *title, const char *text) {
    hd_doc *d = hd_doc_new(0);
    CHECK(d != NULL);
    d->raw_title = hd_doc_strdup(d, title, strlen(title));
    d->raw_text = hd_doc_strdup(d, text, strlen(text));
    d->source = hd_doc_strdup(d, "test", 4);
    CHECK_OK(hd_normalize_run(d, NULL));
    return d;
}

static void sketch_of(hd_doc *d, hd_sketch *s) {
    hd_str body = hd_dedup_body(d);
    CHECK_OK(hd_sketch_build(body.ptr, body.len, hd_dedup_shingle, hd_dedup_hashes, d->arena, s));
}

static void verdict(const char *ta, const char *a, const char *tb, const char *b,
                    hd_dup_verdict *v) {
    hd_doc *da = doc_of(ta, a), *db = doc_of(tb, b);
    static hd_sketch sa, sb;
    sketch_of(da, &sa);
    sketch_of(db, &sb);
    hd_dedup_compare(&sa, &sb, v);
    hd_dup_verdict w;
    hd_dedup_compare(&sb, &sa, &w); /* symmetric */
    CHECK(v->kind == w.kind && v->score == w.score);
    hd_doc_free(da);
    hd_doc_free(db);
}

static const char footer[] =
    "\n\nCopyright 2022 Example Media Group. All rights reserved. This material "
    "may not be published, broadcast, rewritten or redistributed.";

TEST(dedup_new_headline_and_footer_is_duplicate) {
    char *t = slurp_seed("002_a97b60a4f45f6530.txt");
    size_t n = strlen(t);
    char *copy = malloc(n + sizeof footer);
    CHECK(copy != NULL);
    memcpy(copy, t, n);
    memcpy(copy + n, footer, sizeof footer);
    hd_dup_verdict v;
    verdict("Putin in Kasachstan", t, "Was Moskau in Kasachstan will", copy, &v);
    CHECK_EQ_STR(v.kind, "duplicate");
    CHECK(v.score >= 0.85 && v.score < 1.0);
    CHECK(v.containment > 0.95);
    free(copy);
    free(t);
}

TEST(dedup_same_words_other_spacing_case_punctuation_is_exact) {
    char *t = slurp_seed("004_37a9f0fd4c7ad207.txt");
    char *u = strdup(t);
    CHECK(u != NULL);
    /* Upper case, and every comma, full stop and newline made a space. */
    for (char *p = u; *p; p++) {
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
        else if (*p == ',' || *p == '.' || *p == '\n') *p = ' ';
    }
    hd_dup_verdict v;
    verdict("One title", t, "Another title", u, &v);
    CHECK_EQ_STR(v.kind, "duplicate");
    CHECK(v.score == 1.0);
    free(u);
    free(t);
}

TEST(dedup_cut_to_sixty_percent_is_near_duplicate) {
    char *t = slurp_seed("003_33082b2dbb3316dc.txt");
    size_t n = strlen(t), cut = n * 6 / 10;
    while (cut > 0 && t[cut] != '\n') cut--; /* at a paragraph's end */
    CHECK(cut > n / 2);
    char *c = strndup(t, cut);
    CHECK(c != NULL);
    hd_dup_verdict v;
    verdict("Kazakhstan", t, "Kazakhstan (short version)", c, &v);
    CHECK_EQ_STR(v.kind, "near-duplicate");
    CHECK(v.containment >= 0.8);
    CHECK(v.jaccard > 0.4 && v.jaccard < 0.85);
    CHECK(v.score == v.containment);
    free(c);
    free(t);
}

TEST(dedup_other_articles_on_the_same_story_are_not_linked) {
    static const char *const seeds[] = {
        "000_7aee1d6ab33e6622.txt", "001_cd4bee4d1aaa0821.txt", "002_a97b60a4f45f6530.txt",
        "003_33082b2dbb3316dc.txt", "004_37a9f0fd4c7ad207.txt"};
    char *t[5];
    for (int i = 0; i < 5; i++) t[i] = slurp_seed(seeds[i]);
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++) {
            hd_dup_verdict v;
            verdict("a", t[i], "b", t[j], &v);
            if (v.kind != NULL)
                hd_test_fail(__FILE__, __LINE__, "seeds %d and %d linked as %s (J %.2f)", i, j,
                             v.kind, v.jaccard);
            CHECK(v.jaccard < 0.1);
        }
    for (int i = 0; i < 5; i++) free(t[i]);
}

TEST(dedup_short_texts_are_never_linked) {
    hd_dup_verdict v;
    verdict("Storm", "Heavy rain expected tonight.", "Weather", "Heavy rain expected tonight.", &v);
    CHECK(v.kind == NULL);
    /* Twenty identical words: still too little to call one a copy. */
    const char *twenty = "The central bank raised its key interest rate by a quarter point on "
                         "Thursday, the third increase this year, citing stubborn inflation.";
    verdict("Rates", twenty, "Bank decision", twenty, &v);
    CHECK(v.kind == NULL);
}

TEST(dedup_sketch_properties) {
    hd_doc *d = doc_of("T", "Ein Satz, noch ein Satz; und ein dritter Satz mit Zahlen 42 und 7.");
    hd_sketch a, b, c;
    sketch_of(d, &a);
    sketch_of(d, &b);
    CHECK(memcmp(&a, &b, sizeof a) == 0); /* deterministic */
    CHECK_EQ_INT(a.n_tokens, 14);
    CHECK_EQ_INT(a.n_shingles, 12);
    CHECK_EQ_INT(a.n_hashes, hd_dedup_hashes);
    unsigned char buf[HD_DEDUP_HASH_MAX * 4];
    size_t len = hd_sketch_pack(&a, buf);
    CHECK_EQ_INT(len, (size_t)hd_dedup_hashes * 4);
    memset(&c, 0, sizeof c);
    CHECK_OK(hd_sketch_unpack(buf, len, &c));
    CHECK(memcmp(c.min, a.min, len) == 0);
    CHECK_EQ_INT(hd_sketch_unpack(buf, 3, &c), HD_EPARSE);
    CHECK(hd_sketch_jaccard(&a, &b) == 1.0);
    /* Too few shingles to band. */
    uint64_t keys[HD_DEDUP_HASH_MAX];
    CHECK_EQ_INT(hd_sketch_bands(&a, hd_dedup_bands, keys), 0);
    hd_doc_free(d);

    hd_arena ar;
    hd_arena_init(&ar, 4096, 0);
    /* A repeated shingle counts once. */
    const char *rep = "ein satz noch ein satz noch ein satz";
    CHECK_OK(hd_sketch_build(rep, strlen(rep), 3, 16, &ar, &a));
    CHECK_EQ_INT(a.n_tokens, 8);
    CHECK_EQ_INT(a.n_shingles, 3);
    /* Han and kana are one token per character; punctuation is none. */
    const char *zh = "哈萨克斯坦，总统。";
    CHECK_OK(hd_sketch_build(zh, strlen(zh), 3, 16, &ar, &a));
    CHECK_EQ_INT(a.n_tokens, 7);
    CHECK_OK(hd_sketch_build(" ,.;! ", 6, 3, 16, &ar, &a));
    CHECK_EQ_INT(a.n_tokens, 0);
    CHECK_EQ_INT(a.n_shingles, 0);
    CHECK_EQ_INT(hd_sketch_build("x", 1, 0, 16, &ar, &a), HD_EINVAL);
    CHECK_EQ_INT(hd_sketch_build("x", 1, 3, HD_DEDUP_HASH_MAX + 1, &ar, &a), HD_EINVAL);
    hd_arena_fini(&ar);
}

/*---- through the store ----*/

typedef struct got {
    int n;
    hd_link last;
    char kind[32];
} got;

static int collect(void *ud, const hd_link *l) {
    got *g = ud;
    g->n++;
    g->last = *l;
    snprintf(g->kind, sizeof g->kind, "%s", l->kind);
    g->last.kind = g->kind;
    return 0;
}

TEST(dedup_run_writes_one_link_with_the_first_article) {
    char path[512];
    snprintf(path, sizeof path, "%s/d.db", hd_test_tmpdir());
    hd_store *st = hd_store_open(path, NULL);
    CHECK(st != NULL);
    char *t = slurp_seed("002_a97b60a4f45f6530.txt");
    size_t n = strlen(t);
    char *copy = malloc(n + sizeof footer);
    CHECK(copy != NULL);
    memcpy(copy, t, n);
    memcpy(copy + n, footer, sizeof footer);
    hd_doc *a = doc_of("Original headline", t), *b = doc_of("Syndicated headline", copy);
    a->published = 1641700000;
    b->published = 1641600000; /* the copy's date is earlier */

    CHECK_OK(hd_store_begin(st));
    CHECK_EQ_INT(hd_store_put(st, a), 1);
    CHECK_EQ_INT(hd_dedup_run(st, a), 0);
    CHECK_EQ_INT(hd_store_put(st, b), 1);
    CHECK_EQ_INT(hd_dedup_run(st, b), 1); /* found within the transaction */
    CHECK_OK(hd_store_commit(st));

    got g = {0};
    CHECK_EQ_INT(hd_store_link_each(st, NULL, collect, &g), 1);
    CHECK_EQ_STR(g.last.kind, "duplicate");
    CHECK(strcmp(g.last.a, g.last.b) < 0);
    CHECK_EQ_STR(g.last.first, b->id);
    CHECK(g.last.score >= 0.85 && g.last.score <= 1.0);
    memset(&g, 0, sizeof g);
    CHECK_EQ_INT(hd_store_link_each(st, "translation", collect, &g), 0);
    CHECK_EQ_INT(hd_store_links_of(st, a->id, collect, &g), 1);
    CHECK_EQ_INT(hd_store_links_of(st, b->id, collect, &g), 1);

    /* Running again links nothing twice. */
    CHECK_EQ_INT(hd_dedup_run(st, b), 1);
    memset(&g, 0, sizeof g);
    CHECK_EQ_INT(hd_store_link_each(st, NULL, collect, &g), 1);

    /* Links of other kinds share the table; ids are stored sorted. */
    hd_link l = {.kind = "translation", .score = 0.7};
    snprintf(l.a, sizeof l.a, "%s", b->id);
    snprintf(l.b, sizeof l.b, "%s", a->id);
    CHECK_EQ_INT(hd_store_link_put(st, &l), 1);
    l.score = 0.8;
    CHECK_EQ_INT(hd_store_link_put(st, &l), 0);
    memset(&g, 0, sizeof g);
    CHECK_EQ_INT(hd_store_link_each(st, "translation", collect, &g), 1);
    CHECK(g.last.score == 0.8);
    CHECK(strcmp(g.last.a, g.last.b) < 0);
    CHECK_EQ_STR(g.last.first, "");
    CHECK_EQ_INT(hd_store_links_of(st, a->id, collect, &g), 2);
    l.score = 1.5;
    CHECK_EQ_INT(hd_store_link_put(st, &l), HD_EINVAL);
    l.score = 0.5;
    snprintf(l.b, sizeof l.b, "%s", b->id);
    CHECK_EQ_INT(hd_store_link_put(st, &l), HD_EINVAL); /* a == b */
    snprintf(l.b, sizeof l.b, "xyz");
    CHECK_EQ_INT(hd_store_link_put(st, &l), HD_EINVAL);

    hd_store_close(st);
    hd_doc_free(a);
    hd_doc_free(b);
    free(copy);
    free(t);
}
