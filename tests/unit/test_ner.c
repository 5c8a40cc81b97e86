/*
** test_ner.c -- named-entity tagging: decoding rules, the model file
** format (written by the trainer, checked by the loader), and the trained
** models on sentences written for these tests (skipped when `make` has not
** trained the models).
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "herald.h"
#include "mem.h"
#include "ner.h"
#include "test.h"

static hd_ner *models(void) {
    hd_err err = {0};
    hd_ner *m = hd_ner_load(NULL, &err);
    if (m == NULL) {
        CHECK_EQ_INT(err.code, HD_EMODEL);
        hd_test_skip(err.msg);
    }
    return m;
}

static void print_spans(const char *text, const hd_ner_span *sp, int n) {
    for (int i = 0; i < n; i++)
        fprintf(stderr, "  [%u,%u) %d %.*s\n", sp[i].start, sp[i].end, sp[i].type,
                (int)(sp[i].end - sp[i].start), text + sp[i].start);
}

/* Whether `spans` holds an entity of `type` covering exactly the first
** occurrence of `what` in `text`. */
static int has_span(const char *text, const hd_ner_span *spans, int n, const char *what,
                    int type) {
    const char *at = strstr(text, what);
    CHECK(at != NULL);
    uint32_t s = (uint32_t)(at - text), e = s + (uint32_t)strlen(what);
    for (int i = 0; i < n; i++)
        if (spans[i].start == s && spans[i].end == e && spans[i].type == type) return 1;
    fprintf(stderr, "  no %d span for \"%s\" in \"%s\"; found:\n", type, what, text);
    print_spans(text, spans, n);
    return 0;
}

/* Spans are inside the text, non-empty, sorted and disjoint. */
static void check_spans(const hd_ner_span *sp, int n, size_t len) {
    for (int i = 0; i < n; i++) {
        CHECK(sp[i].start < sp[i].end);
        CHECK(sp[i].end <= len);
        CHECK(sp[i].type >= HD_ENT_PER && sp[i].type <= HD_ENT_MISC);
        CHECK(sp[i].score >= 0 && sp[i].score <= 1);
        if (i) CHECK(sp[i - 1].end <= sp[i].start);
    }
}

TEST(ner_viterbi_respects_bio) {
    /* Emissions prefer I-PER everywhere; I-PER may not start a sentence
    ** and may only follow B-PER or I-PER. */
    float emit[3 * HD_NER_TAGS] = {0}, trans[(HD_NER_TAGS + 1) * HD_NER_TAGS] = {0};
    for (int i = 0; i < 3; i++) {
        emit[i * HD_NER_TAGS + HD_NER_I(HD_ENT_PER)] = 5;
        emit[i * HD_NER_TAGS + HD_NER_B(HD_ENT_LOC)] = 1;
    }
    emit[0 * HD_NER_TAGS + HD_NER_B(HD_ENT_PER)] = 2;
    uint8_t back[3 * HD_NER_TAGS], out[3];
    hd_ner_viterbi(emit, trans, 3, back, out);
    CHECK_EQ_INT(out[0], HD_NER_B(HD_ENT_PER));
    CHECK_EQ_INT(out[1], HD_NER_I(HD_ENT_PER));
    CHECK_EQ_INT(out[2], HD_NER_I(HD_ENT_PER));
    /* Without the B-PER option the first token cannot be I-PER. */
    emit[0 * HD_NER_TAGS + HD_NER_B(HD_ENT_PER)] = -9;
    hd_ner_viterbi(emit, trans, 3, back, out);
    CHECK(out[0] != HD_NER_I(HD_ENT_PER));
}

TEST(ner_entities_from_tags) {
    /* O B-PER I-PER I-LOC B-ORG B-ORG I-ORG O I-MISC */
    int tags[] = {0, 1, 2, 6, 3, 3, 4, 0, 8};
    hd_ner_ent e[9];
    size_t n = hd_ner_entities(tags, 9, e);
    CHECK_EQ_INT(n, 5);
    CHECK(e[0].start == 1 && e[0].end == 3 && e[0].type == HD_ENT_PER);
    CHECK(e[1].start == 3 && e[1].end == 4 && e[1].type == HD_ENT_LOC); /* stray I- */
    CHECK(e[2].start == 4 && e[2].end == 5 && e[2].type == HD_ENT_ORG);
    CHECK(e[3].start == 5 && e[3].end == 7 && e[3].type == HD_ENT_ORG);
    CHECK(e[4].start == 8 && e[4].end == 9 && e[4].type == HD_ENT_MISC);
}

TEST(ner_features_bounded_and_deterministic) {
    hd_str t[3] = {{"Paris", 5}, {"", 0}, {"x", 1}};
    static char big[10000];
    memset(big, 'A', sizeof big);
    t[1].ptr = big;
    t[1].len = sizeof big;
    uint32_t r1[3 * HD_NER_NFEAT], r2[3 * HD_NER_NFEAT];
    hd_ner_featurize(t, 3, 1, 12, NULL, r1);
    hd_ner_featurize(t, 3, 1, 12, NULL, r2);
    CHECK(memcmp(r1, r2, sizeof r1) == 0);
    for (size_t i = 0; i < 3 * HD_NER_NFEAT; i++) CHECK(r1[i] < (1u << 12));
    /* The word key ignores case, like the lowercased-word feature. */
    CHECK(hd_ner_word_key((hd_str){"PARIS", 5}) == hd_ner_word_key((hd_str){"paris", 5}));
    CHECK(hd_ner_word_key((hd_str){"Paris", 5}) != hd_ner_word_key((hd_str){"Pari", 4}));
    /* Case matters to some features but not to the lowercased word. */
    hd_str u[1] = {{"paris", 5}}, v[1] = {{"Paris", 5}};
    hd_ner_featurize(u, 1, 0, 20, NULL, r1);
    hd_ner_featurize(v, 1, 0, 20, NULL, r2);
    CHECK(r1[1] == r2[1]);
    CHECK(r1[2] != r2[2]);
}

TEST(ner_load_missing_is_emodel) {
    hd_err err = {0};
    CHECK(hd_ner_load(hd_test_tmpdir(), &err) == NULL);
    CHECK_EQ_INT(err.code, HD_EMODEL);
    CHECK(hd_ner_load("/nonexistent/herald-ner", &err) == NULL);
    CHECK_EQ_INT(err.code, HD_EMODEL);
}

static void write_file(const char *path, const void *p, size_t n) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(p, 1, n, f) == n);
    CHECK(fclose(f) == 0);
}

static char *read_file(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    char *buf = malloc(1 << 20);
    CHECK(buf != NULL);
    *n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

TEST(ner_trained_model_roundtrip_and_corruption) {
    /* A toy model: "Zorblax" is a person, "Quuxville" a place. */
    hd_ner_trainer *tr = hd_ner_trainer_new(12);
    CHECK(tr != NULL);
    hd_str s1[4] = {{"Zorblax", 7}, {"visited", 7}, {"Quuxville", 9}, {".", 1}};
    uint8_t g1[4] = {HD_NER_B(HD_ENT_PER), 0, HD_NER_B(HD_ENT_LOC), 0};
    uint32_t rows[4 * HD_NER_NFEAT];
    hd_ner_featurize(s1, 4, 1, 12, NULL, rows);
    size_t wrong = 0;
    for (int ep = 0; ep < 5; ep++) wrong = hd_ner_trainer_step(tr, rows, g1, 4);
    CHECK_EQ_INT(wrong, 0);
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s", hd_test_tmpdir());
    snprintf(path, sizeof path, "%s/ner-zz.bin", dir);
    uint64_t gh[1] = {hd_ner_word_key(s1[0])};
    uint8_t gm[1] = {1u << (HD_ENT_PER - 1)};
    hd_ner_gaz gaz = {gh, gm, 1};
    CHECK_OK(hd_ner_trainer_save(tr, "zz", &gaz, path, NULL));
    /* An unsorted gazetteer or a bad mask is refused. */
    uint64_t gh2[2] = {5, 3};
    uint8_t gm2[2] = {1, 1};
    hd_ner_gaz bad = {gh2, gm2, 2};
    CHECK_EQ_INT(hd_ner_trainer_save(tr, "zz", &bad, path, NULL), HD_EINVAL);
    gm[0] = 0;
    CHECK_EQ_INT(hd_ner_trainer_save(tr, "zz", &gaz, path, NULL), HD_EINVAL);
    gm[0] = 1u << (HD_ENT_PER - 1);
    hd_ner_trainer_free(tr);

    hd_err err = {0};
    hd_ner *m = hd_ner_load(dir, &err);
    CHECK(m != NULL);
    CHECK(hd_ner_has_lang(m, "zz"));
    CHECK(!hd_ner_has_lang(m, "en"));
    int tags[4];
    CHECK_OK(hd_ner_tag_tokens(m, "zz", s1, 4, tags));
    CHECK_EQ_INT(tags[0], HD_NER_B(HD_ENT_PER));
    CHECK_EQ_INT(tags[2], HD_NER_B(HD_ENT_LOC));
    /* No "xx" model: another language has no fallback. */
    CHECK_EQ_INT(hd_ner_tag_tokens(m, "en", s1, 4, tags), HD_EMODEL);
    hd_ner_free(m);

    size_t n;
    char *good = read_file(path, &n);
    CHECK(n > 100);
    /* A flipped byte anywhere fails the checksum or the header checks. */
    size_t where[] = {0, 12, 40, n / 2, n - 1};
    for (size_t i = 0; i < sizeof where / sizeof *where; i++) {
        good[where[i]] ^= 0x20;
        write_file(path, good, n);
        err.code = 0;
        CHECK(hd_ner_load(dir, &err) == NULL);
        CHECK_EQ_INT(err.code, HD_EMODEL);
        good[where[i]] ^= 0x20;
    }
    /* Truncated, empty. */
    write_file(path, good, n - 30);
    CHECK(hd_ner_load(dir, &err) == NULL);
    CHECK_EQ_INT(err.code, HD_EMODEL);
    write_file(path, good, 0);
    CHECK(hd_ner_load(dir, &err) == NULL);
    CHECK_EQ_INT(err.code, HD_EMODEL);
    /* The same bytes from memory; every truncation is refused. */
    m = hd_ner_from_buffer(good, n, &err);
    CHECK(m != NULL);
    CHECK(hd_ner_has_lang(m, "zz"));
    hd_ner_free(m);
    for (size_t cut = 0; cut < n; cut += 97) {
        err.code = 0;
        CHECK(hd_ner_from_buffer(good, cut, &err) == NULL);
        CHECK_EQ_INT(err.code, HD_EMODEL);
    }
    CHECK(hd_ner_from_buffer(NULL, 10, &err) == NULL);
    /* Intact again: loads. */
    write_file(path, good, n);
    m = hd_ner_load(dir, &err);
    CHECK(m != NULL);
    hd_ner_free(m);
    free(good);
}

TEST(ner_bad_args) {
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_ner_span *sp = NULL;
    hd_str t = {"x", 1};
    int tags[1];
    CHECK_EQ_INT(hd_ner_tag(NULL, "en", "x", 1, &a, &sp), HD_EINVAL);
    CHECK_EQ_INT(hd_ner_tag_tokens(NULL, "en", &t, 1, tags), HD_EINVAL);
    hd_ner_free(NULL);
    CHECK(!hd_ner_has_lang(NULL, "en"));
    CHECK(hd_ner_trainer_new(3) == NULL);
    CHECK(hd_ner_trainer_new(40) == NULL);
    hd_arena_fini(&a);

    hd_ner *m = models();
    hd_arena_init(&a, 4096, 0);
    CHECK_EQ_INT(hd_ner_tag(m, "en", "x", 1, NULL, &sp), HD_EINVAL);
    CHECK_EQ_INT(hd_ner_tag(m, "en", "x", 1, &a, NULL), HD_EINVAL);
    CHECK_EQ_INT(hd_ner_tag(m, "en", NULL, 5, &a, &sp), HD_EINVAL);
    CHECK_EQ_INT(hd_ner_tag_tokens(m, "en", NULL, 1, tags), HD_EINVAL);
    CHECK_EQ_INT(hd_ner_tag_tokens(m, "en", &t, 1, NULL), HD_EINVAL);
    CHECK_EQ_INT(hd_ner_tag(m, "en", "", 0, &a, &sp), 0);
    CHECK_EQ_INT(hd_ner_tag(m, "en", NULL, 0, &a, &sp), 0);
    CHECK_OK(hd_ner_tag_tokens(m, "en", NULL, 0, NULL));
    hd_arena_fini(&a);
    hd_ner_free(m);
}

/* Tag `text` and print what was found when a check is about to fail. */
static int tag(const hd_ner *m, const char *lang, const char *text, hd_arena *a,
               hd_ner_span **sp) {
    int n = hd_ner_tag(m, lang, text, strlen(text), a, sp);
    CHECK(n >= 0);
    check_spans(*sp, n, strlen(text));
    return n;
}

TEST(ner_english_people_and_place) {
    hd_ner *m = models();
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_ner_span *sp;
    const char *text = "Angela Merkel met Emmanuel Macron in Paris on Monday.";
    int n = tag(m, "en", text, &a, &sp);
    CHECK_EQ_INT(n, 3);
    CHECK(sp[0].start == 0 && sp[0].end == 13 && sp[0].type == HD_ENT_PER);
    CHECK(sp[1].start == 18 && sp[1].end == 33 && sp[1].type == HD_ENT_PER);
    CHECK(sp[2].start == 37 && sp[2].end == 42 && sp[2].type == HD_ENT_LOC);
    /* Two sentences: offsets stay byte offsets into the whole text. */
    text = "Shares fell sharply.  The European Commission fined Google in Brussels.";
    n = tag(m, "en", text, &a, &sp);
    CHECK(has_span(text, sp, n, "European Commission", HD_ENT_ORG));
    CHECK(has_span(text, sp, n, "Brussels", HD_ENT_LOC));
    /* Tokens as the corpora cut them: "U.S." whole, possessive "'s" and
    ** elided articles apart. */
    text = "The U.S. and Germany signed a deal with Microsoft's chief in New York.";
    n = tag(m, "en", text, &a, &sp);
    CHECK(has_span(text, sp, n, "U.S.", HD_ENT_LOC));
    CHECK(has_span(text, sp, n, "Microsoft", HD_ENT_ORG));
    CHECK(has_span(text, sp, n, "New York", HD_ENT_LOC));
    /* Agrees with tagging the same tokens directly. */
    hd_str toks[] = {{"Angela", 6}, {"Merkel", 6}, {"met", 3}, {"Emmanuel", 8}, {"Macron", 6},
                     {"in", 2}, {"Paris", 5}, {"on", 2}, {"Monday", 6}, {".", 1}};
    int tags[10];
    CHECK_OK(hd_ner_tag_tokens(m, "en", toks, 10, tags));
    CHECK_EQ_INT(tags[0], HD_NER_B(HD_ENT_PER));
    CHECK_EQ_INT(tags[1], HD_NER_I(HD_ENT_PER));
    CHECK_EQ_INT(tags[6], HD_NER_B(HD_ENT_LOC));
    CHECK_EQ_INT(tags[8], 0);
    hd_arena_fini(&a);
    hd_ner_free(m);
}

TEST(ner_german_italian_russian) {
    hd_ner *m = models();
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_ner_span *sp;
    const char *de = "Bundeskanzler Olaf Scholz sprach am Dienstag in Berlin mit Vertretern "
                     "der Deutschen Bank.";
    int n = tag(m, "de", de, &a, &sp);
    CHECK(has_span(de, sp, n, "Olaf Scholz", HD_ENT_PER));
    CHECK(has_span(de, sp, n, "Berlin", HD_ENT_LOC));
    /* Hyphenated words stay whole, as in the training data. */
    const char *deh = "Im benachbarten Main-Kinzig-Kreis sprach der Landrat Karl Eyerkaufer.";
    n = tag(m, "de", deh, &a, &sp);
    CHECK(has_span(deh, sp, n, "Main-Kinzig-Kreis", HD_ENT_LOC));
    CHECK(has_span(deh, sp, n, "Karl Eyerkaufer", HD_ENT_PER));
    /* A surname alone is missed in its own sentence but found after the
    ** article named the person in full (document-level propagation). */
    const char *de1 = "Emde betonte, er wolle nicht aufgeben.";
    n = tag(m, "de", de1, &a, &sp);
    CHECK_EQ_INT(n, 0);
    const char *de2 = "Der B\xc3\xbcrgermeister Reinhard Emde sprach am Montag in Kelkheim. "
                      "Emde betonte, er wolle nicht aufgeben.";
    n = tag(m, "de", de2, &a, &sp);
    CHECK(has_span(de2, sp, n, "Reinhard Emde", HD_ENT_PER));
    CHECK(n >= 3);
    CHECK(sp[n - 1].start == (uint32_t)(strstr(de2, ". Emde") + 2 - de2));
    CHECK(sp[n - 1].end == sp[n - 1].start + 4 && sp[n - 1].type == HD_ENT_PER);
    hd_str dt[] = {{"Der", 3}, {"Reinhard", 8}, {"Emde", 4}, {"sprach", 6}, {".", 1},
                   {"Emde", 4}, {"betonte", 7}, {"das", 3}, {".", 1}};
    size_t sent[] = {0, 5, 9};
    int dtags[9];
    CHECK_OK(hd_ner_tag_tokens(m, "de", dt + 5, 4, dtags));
    CHECK_EQ_INT(dtags[0], 0);
    CHECK_OK(hd_ner_tag_doc_tokens(m, "de", dt, sent, 2, dtags));
    CHECK_EQ_INT(dtags[1], HD_NER_B(HD_ENT_PER));
    CHECK_EQ_INT(dtags[2], HD_NER_I(HD_ENT_PER));
    CHECK_EQ_INT(dtags[5], HD_NER_B(HD_ENT_PER));
    size_t bad[] = {0, 5, 3};
    CHECK_EQ_INT(hd_ner_tag_doc_tokens(m, "de", dt, bad, 2, dtags), HD_EINVAL);
    CHECK_EQ_INT(hd_ner_tag_doc_tokens(m, "de", NULL, sent, 2, dtags), HD_EINVAL);
    CHECK_OK(hd_ner_tag_doc_tokens(m, "de", NULL, NULL, 0, NULL));
    const char *it = "Il presidente Sergio Mattarella ha ricevuto ieri a Roma il sindaco di "
                     "Milano.";
    n = tag(m, "it", it, &a, &sp);
    CHECK(has_span(it, sp, n, "Sergio Mattarella", HD_ENT_PER));
    CHECK(has_span(it, sp, n, "Roma", HD_ENT_LOC));
    CHECK(has_span(it, sp, n, "Milano", HD_ENT_LOC));
    it = "Il sindaco dell'Aquila ha incontrato i dirigenti della Fiat a Torino.";
    n = tag(m, "it", it, &a, &sp);
    CHECK(has_span(it, sp, n, "Aquila", HD_ENT_LOC));
    CHECK(has_span(it, sp, n, "Torino", HD_ENT_LOC));
    const char *ru = "Президент Владимир Путин провёл переговоры в Москве.";
    n = tag(m, "ru", ru, &a, &sp);
    CHECK(has_span(ru, sp, n, "Владимир Путин", HD_ENT_PER));
    CHECK(has_span(ru, sp, n, "Москве", HD_ENT_LOC));
    /* A language without its own model falls back to "xx" when present. */
    if (hd_ner_has_lang(m, "xx")) {
        const char *sv = "Angela Merkel besökte Paris.";
        n = tag(m, "sv", sv, &a, &sp);
        CHECK(has_span(sv, sp, n, "Angela Merkel", HD_ENT_PER));
    }
    hd_arena_fini(&a);
    hd_ner_free(m);
}

TEST(ner_huge_inputs_are_linear_and_bounded) {
    hd_ner *m = models();
    size_t len = 1 << 20;
    char *text = malloc(len + 1);
    CHECK(text != NULL);
    hd_arena a;
    hd_arena_init(&a, 1 << 16, 64u << 20);
    hd_ner_span *sp;
    /* One 1 MB word. */
    memset(text, 'a', len);
    text[len] = 0;
    int n = hd_ner_tag(m, "en", text, len, &a, &sp);
    CHECK(n >= 0 && n <= 1);
    check_spans(sp, n, len);
    hd_arena_reset(&a);
    /* One word repeated, no sentence break: 170k tokens in windows. */
    for (size_t i = 0; i < len; i++) text[i] = "Paris "[i % 6];
    n = hd_ner_tag(m, "en", text, len, &a, &sp);
    CHECK(n >= 0);
    check_spans(sp, n, len);
    hd_arena_reset(&a);
    /* One hyphenated word without end: joins stop at a bounded length. */
    for (size_t i = 0; i < len; i++) text[i] = "Ab-"[i % 3];
    n = hd_ner_tag(m, "en", text, len, &a, &sp);
    CHECK(n >= 0);
    check_spans(sp, n, len);
    hd_arena_reset(&a);
    /* Punctuation only. */
    memset(text, '.', len);
    n = hd_ner_tag(m, "en", text, len, &a, &sp);
    CHECK(n >= 0);
    check_spans(sp, n, len);
    hd_arena_fini(&a);
    free(text);
    hd_ner_free(m);
}

TEST(ner_out_of_memory_fails_cleanly) {
    hd_ner *m = models();
    const char *text = "Angela Merkel met Emmanuel Macron in Paris on Monday.";
    for (long k = 0; k < 8; k++) {
        hd_arena a;
        hd_arena_init(&a, 64, 0);
        hd_ner_span *sp;
        hd_mem_fail_after(k);
        int n = hd_ner_tag(m, "en", text, strlen(text), &a, &sp);
        hd_mem_fail_after(-1);
        CHECK(n == 3 || n == HD_ENOMEM);
        hd_arena_fini(&a);
    }
    hd_ner_free(m);
}

typedef struct thr_arg {
    const hd_ner *m;
    int n;
    hd_ner_span sp[8];
} thr_arg;

static void *tag_thread(void *p) {
    thr_arg *t = p;
    const char *text = "Angela Merkel met Emmanuel Macron in Paris on Monday.";
    for (int r = 0; r < 50; r++) {
        hd_arena a;
        hd_arena_init(&a, 4096, 0);
        hd_ner_span *sp;
        t->n = hd_ner_tag(t->m, "en", text, strlen(text), &a, &sp);
        if (t->n > 0 && t->n <= 8) memcpy(t->sp, sp, (size_t)t->n * sizeof *sp);
        hd_arena_fini(&a);
    }
    return NULL;
}

TEST(ner_threads_agree) {
    hd_ner *m = models();
    thr_arg t[2] = {{m, 0, {{0}}}, {m, 0, {{0}}}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++) CHECK(pthread_create(&th[i], NULL, tag_thread, &t[i]) == 0);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    CHECK_EQ_INT(t[0].n, 3);
    CHECK_EQ_INT(t[1].n, 3);
    CHECK(memcmp(t[0].sp, t[1].sp, sizeof t[0].sp) == 0);
    hd_ner_free(m);
}

TEST(ner_conll_reader_and_repair) {
    char path[600];
    snprintf(path, sizeof path, "%s/t.conllu", hd_test_tmpdir());
    static const char data[] = "0\t-DOCSTART-\tO\n\n"
                               "0\tAngela\tB-PER\n1\tMerkel\tI-PER\n2\tin\tO\n3\tBonn\tI-LOC\r\n\n\n"
                               "#DOCSTART\n"
                               "1\t\xd1\x8c" "ber\tO\n2\tK\xd1\x86ln\tB-LOC\n3\tx\tB-EVT\n"
                               "4\t\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0\tB-LOC\n";
    write_file(path, data, sizeof data - 1);
    hd_ner_corpus c;
    CHECK_OK(hd_ner_corpus_read(path, &c, NULL));
    CHECK_EQ_INT(c.nsent, 2);
    CHECK_EQ_INT(c.ntok, 8);
    CHECK_EQ_INT(c.sent[1], 4);
    CHECK_EQ_INT(c.ndoc, 2); /* -DOCSTART- and #DOCSTART */
    CHECK_EQ_INT(c.doc[0], 0);
    CHECK_EQ_INT(c.doc[1], 1);
    CHECK_EQ_VIEW(c.tok[3], "Bonn");
    CHECK_EQ_INT(c.tag[0], HD_NER_B(HD_ENT_PER));
    CHECK_EQ_INT(c.tag[1], HD_NER_I(HD_ENT_PER));
    CHECK_EQ_INT(c.tag[3], HD_NER_B(HD_ENT_LOC)); /* stray I- repaired */
    CHECK_EQ_INT(c.tag[6], 0);                    /* unknown type */
    /* "ьber" -> "über", "Kцln" -> "Köln"; all-Cyrillic
    ** "Москва" untouched. */
    CHECK_EQ_INT(hd_ner_corpus_repair_latin1(&c), 2);
    CHECK_EQ_VIEW(c.tok[4], "\xc3\xbc" "ber");
    CHECK_EQ_VIEW(c.tok[5], "K\xc3\xb6ln");
    CHECK_EQ_VIEW(c.tok[7], "Москва");
    hd_ner_corpus_free(&c);
    CHECK(hd_ner_corpus_read("/nonexistent/x.conllu", &c, NULL) != HD_OK);
    CHECK(hd_ner_cyrillic_lang("ru"));
    CHECK(!hd_ner_cyrillic_lang("de"));
}
