/*
** test_dict.c -- the concept layer (dict.c) and the stemmer helper (stem.c):
** words of different languages meet on shared concepts, inflected forms
** find their headword, unknown and function words give nothing, and a
** damaged table file is refused with an error.
** Needs build/data/herald-dict.bin (HERALD_DATA); skips when it is absent
** (no FreeDict package installed).
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "herald.h"
#include "stem.h"
#include "test.h"

static hd_dict *load_or_skip(void) {
    hd_err err = {0};
    hd_dict *d = hd_dict_load(NULL, &err);
    if (d == NULL) {
        if (err.code == HD_EMODEL && strstr(err.msg, "No such file")) hd_test_skip(err.msg);
        hd_test_fail(__FILE__, __LINE__, "hd_dict_load: %s", err.msg);
    }
    return d;
}

static int concepts(const hd_dict *d, const char *lang, const char *w, uint32_t *out) {
    return hd_dict_concepts(d, lang, w, strlen(w), out, HD_DICT_IDS_MAX);
}

/* A concept shared by the two words, or UINT32_MAX. */
static uint32_t shared(const hd_dict *d, const char *la, const char *wa, const char *lb,
                       const char *wb) {
    uint32_t a[HD_DICT_IDS_MAX], b[HD_DICT_IDS_MAX];
    int na = concepts(d, la, wa, a), nb = concepts(d, lb, wb, b);
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (a[i] == b[j]) return a[i];
    return UINT32_MAX;
}

TEST(dict_elections_meet_across_languages) {
    hd_dict *d = load_or_skip();
    uint32_t de_it = shared(d, "de", "Wahlen", "it", "elezioni");
    uint32_t de_en = shared(d, "de", "Wahlen", "en", "elections");
    CHECK(de_it != UINT32_MAX);
    CHECK_EQ_INT(de_it, de_en);
    CHECK_EQ_STR(hd_dict_concept_name(d, de_en), "elect");
    CHECK(strncmp(hd_dict_concept_word(d, de_en), "elect", 5) == 0);
    /* English singular and plural are one concept. */
    uint32_t sg[HD_DICT_IDS_MAX], pl[HD_DICT_IDS_MAX];
    CHECK_EQ_INT(concepts(d, "en", "election", sg), 1);
    CHECK_EQ_INT(concepts(d, "en", "ELECTIONS", pl), 1);
    CHECK_EQ_INT(sg[0], pl[0]);
    hd_dict_free(d);
}

TEST(dict_president_meets_across_languages) {
    hd_dict *d = load_or_skip();
    uint32_t c = shared(d, "de", "Präsident", "it", "presidente");
    CHECK(c != UINT32_MAX);
    CHECK_EQ_INT(shared(d, "it", "presidente", "en", "president"), c);
    CHECK_EQ_INT(shared(d, "fr", "président", "es", "presidente"), c);
    CHECK(hd_dict_concept_weight(d, c) > 0);
    hd_dict_free(d);
}

TEST(dict_inflected_forms_find_their_headword) {
    hd_dict *d = load_or_skip();
    uint32_t c = shared(d, "de", "Präsident", "en", "president");
    CHECK(c != UINT32_MAX);
    /* German weak-noun and plural endings, Italian plural, any case. */
    CHECK_EQ_INT(shared(d, "de", "Präsidenten", "en", "president"), c);
    CHECK_EQ_INT(shared(d, "de", "PRÄSIDENTEN", "en", "president"), c);
    CHECK_EQ_INT(shared(d, "it", "presidenti", "en", "president"), c);
    /* Italian elision: l'elezione is elezione. */
    CHECK(shared(d, "it", "l'elezione", "en", "election") != UINT32_MAX);
    CHECK(shared(d, "it", "l\xe2\x80\x99" "elezione", "en", "election") != UINT32_MAX);
    hd_dict_free(d);
}

TEST(dict_unknown_and_function_words_give_nothing) {
    hd_dict *d = load_or_skip();
    uint32_t out[HD_DICT_IDS_MAX];
    CHECK_EQ_INT(concepts(d, "de", "Xqzzyvbrrk", out), 0);
    CHECK_EQ_INT(concepts(d, "en", "qwxzzt", out), 0);
    CHECK_EQ_INT(concepts(d, "zz", "Wahlen", out), 0);     /* not covered */
    CHECK_EQ_INT(concepts(d, "de", "1234", out), 0);       /* no letters */
    CHECK_EQ_INT(hd_dict_concepts(d, "de", "", 0, out, 4), 0);
    char long_word[200];
    memset(long_word, 'a', sizeof long_word);
    CHECK_EQ_INT(hd_dict_concepts(d, "en", long_word, sizeof long_word, out, 4), 0);
    /* Function words: listed stopwords and first senses that are. */
    CHECK_EQ_INT(concepts(d, "de", "der", out), 0);
    CHECK(hd_dict_is_stop(d, "de", "der", 3));
    CHECK(hd_dict_is_stop(d, "en", "the", 3));
    CHECK(hd_dict_is_stop(d, "it", "della", 5));
    CHECK(!hd_dict_is_stop(d, "de", "Wahlen", 6));
    /* `max` bounds the output. */
    CHECK(concepts(d, "de", "Wahl", out) >= 1);
    CHECK_EQ_INT(hd_dict_concepts(d, "de", "Wahl", 4, out, 1), 1);
    CHECK_EQ_INT(hd_dict_concepts(d, "de", "Wahl", 4, out, 0), 0);
    CHECK(hd_dict_has_lang(d, "en"));
    CHECK(hd_dict_has_lang(d, "de"));
    CHECK(!hd_dict_has_lang(d, "zz"));
    CHECK(hd_dict_concept_name(d, hd_dict_concept_count(d)) == NULL);
    hd_dict_free(d);
}

/* Write `len` bytes of `src` to a file in the test's directory, with the
** 32-bit word at byte `at` replaced by `val` unless `at` is negative. */
static const char *damaged(const char *src, size_t len, long at, uint32_t val) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/dict.bin", hd_test_tmpdir());
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK_EQ_INT(fwrite(src, 1, len, f), len);
    if (at >= 0) {
        CHECK(fseek(f, at, SEEK_SET) == 0);
        CHECK_EQ_INT(fwrite(&val, 4, 1, f), 1);
    }
    CHECK(fclose(f) == 0);
    return path;
}

static void refused(const char *path, const char *why) {
    hd_err err = {0};
    hd_dict *d = hd_dict_load_file(path, &err);
    if (d != NULL) hd_test_fail(__FILE__, __LINE__, "accepted a file with %s", why);
    CHECK_EQ_INT(err.code, HD_EMODEL);
    CHECK(err.msg[0] != '\0');
}

TEST(dict_damaged_files_are_refused) {
    hd_dict *d = load_or_skip();
    hd_dict_free(d);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", hd_data_dir(), HD_DICT_FILE);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    CHECK(fseek(f, 0, SEEK_END) == 0);
    size_t len = (size_t)ftell(f);
    rewind(f);
    char *buf = malloc(len);
    CHECK(buf != NULL);
    CHECK_EQ_INT(fread(buf, 1, len, f), len);
    fclose(f);

    hd_err err = {0};
    d = hd_dict_load_file(damaged(buf, len, -1, 0), &err);
    CHECK(d != NULL); /* an intact copy loads */
    hd_dict_free(d);

    refused(damaged(buf, len / 2, -1, 0), "half its bytes");
    refused(damaged(buf, 10, -1, 0), "ten bytes");
    refused(damaged(buf, len, 0, 0x41414141), "a bad magic");
    refused(damaged(buf, len, offsetof(hd_dict_header, nkey), 0x7fffffff), "a huge key count");
    refused(damaged(buf, len, offsetof(hd_dict_header, nconcept), 3), "too few concepts");
    /* The first language's key range, then the first key's pool offset. */
    size_t lang0 = sizeof(hd_dict_header);
    refused(damaged(buf, len, (long)(lang0 + offsetof(hd_dict_lang_rec, count)), 0xfffffff0u),
            "a key range past the end");
    const hd_dict_header *h = (const hd_dict_header *)(const void *)buf;
    size_t key0 = lang0 + h->nlang * sizeof(hd_dict_lang_rec) +
                  h->nconcept * sizeof(hd_dict_concept_rec);
    refused(damaged(buf, len, (long)(key0 + offsetof(hd_dict_key_rec, key)), h->pool),
            "a key outside the pool");
    size_t ids0 = key0 + h->nkey * sizeof(hd_dict_key_rec);
    refused(damaged(buf, len, (long)ids0, h->nconcept), "a concept id out of range");
    free(buf);

    d = hd_dict_load_file("/nonexistent/herald-dict.bin", &err);
    CHECK(d == NULL);
    CHECK(err.code != HD_OK);
}

TEST(stem_folds_and_stems) {
    char out[64];
    CHECK_EQ_INT(hd_stem("en", "Elections", 9, out, sizeof out), 5);
    CHECK_EQ_STR(out, "elect");
    CHECK(hd_stem("de", "Wahlen", 6, out, sizeof out) > 0);
    CHECK_EQ_STR(out, "wahl");
    CHECK(hd_stem("it", "ELEZIONI", 8, out, sizeof out) > 0);
    CHECK_EQ_STR(out, "elezion");
    /* Polish has no Snowball algorithm: folded, not stemmed. */
    CHECK(!hd_stem_has("pl"));
    CHECK(hd_stem("pl", "Wybory", 6, out, sizeof out) > 0);
    CHECK_EQ_STR(out, "wybory");
    CHECK_EQ_INT(hd_stem("en", "elections", 9, out, 3), HD_ETOOBIG);
    CHECK_EQ_INT(hd_stem("en", "", 0, out, sizeof out), HD_EINVAL);
    CHECK_EQ_INT(hd_stem("en", "\xff\xfe", 2, out, sizeof out), HD_EINVAL);
}

/* Threads stem the same words at once; every result equals the one
** computed alone. */
static const char *const stem_words[] = {"Wahlen", "Präsidenten", "Regierungen", "Abkommen",
                                         "Verhandlungen", "Soldaten"};
static char stem_expect[6][64];

static void *stem_worker(void *arg) {
    (void)arg;
    for (int round = 0; round < 2000; round++) {
        int i = round % 6;
        char out[64];
        if (hd_stem("de", stem_words[i], strlen(stem_words[i]), out, sizeof out) <= 0 ||
            strcmp(out, stem_expect[i]) != 0)
            return (void *)1;
    }
    return NULL;
}

TEST(stem_is_thread_safe) {
    for (int i = 0; i < 6; i++)
        CHECK(hd_stem("de", stem_words[i], strlen(stem_words[i]), stem_expect[i], 64) > 0);
    pthread_t t[4];
    for (int i = 0; i < 4; i++) CHECK(pthread_create(&t[i], NULL, stem_worker, NULL) == 0);
    for (int i = 0; i < 4; i++) {
        void *r;
        CHECK(pthread_join(t[i], &r) == 0);
        CHECK(r == NULL);
    }
}
