/*
** test_langid.c -- language identification: the combined detector, the
** own model's file validation, hd_langid_run on a doc, names.
** Needs the models in HERALD_DATA (build/data); skips when they are absent.
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "herald.h"
#include "langid.h"
#include "mem.h"
#include "test.h"

static hd_langid *load_or_skip(void) {
    hd_err err = {0};
    hd_langid *li = hd_langid_load(NULL, &err);
    if (li == NULL) {
        if (err.code == HD_EMODEL) hd_test_skip(err.msg);
        hd_test_fail(__FILE__, __LINE__, "hd_langid_load: %s", err.msg);
    }
    return li;
}

static const char *top(const hd_langid *li, const char *text) {
    static hd_lang_score out[HD_LANG_TOP];
    int n = hd_langid_detect(li, text, strlen(text), out, HD_LANG_TOP, NULL);
    return n > 0 ? out[0].code : "und";
}

TEST(langid_sentences) {
    hd_langid *li = load_or_skip();
    CHECK_EQ_STR(top(li, "Der Stadtrat hat gestern Abend nach langer Debatte "
                         "den neuen Haushalt beschlossen."), "de");
    CHECK_EQ_STR(top(li, "Вчера вечером городской совет после долгих споров "
                         "утвердил новый бюджет."), "ru");
    CHECK_EQ_STR(top(li, "Il consiglio comunale ha approvato ieri sera il "
                         "nuovo bilancio dopo un lungo dibattito."), "it");
    CHECK_EQ_STR(top(li, "市議会は昨夜、長い議論の末に新しい予算を可決しました。"),
                 "ja");
    CHECK_EQ_STR(top(li, "สภาเมืองอนุมัติงบประมาณใหม่เมื่อคืนนี้หลังจากการอภิปรายที่ยาวนาน"),
                 "th");
    /* Zulu: fastText has no Zulu label; the own model must carry it. */
    CHECK_EQ_STR(top(li, "Abantu abaningi bahlangane edolobheni namhlanje "
                         "ukuzobukela umdlalo webhola lezinyawo."), "zu");
    CHECK_EQ_STR(top(li, "The city council approved the new budget last night "
                         "after a long debate."), "en");
    hd_langid_free(li);
}

TEST(langid_two_words) {
    hd_langid *li = load_or_skip();
    CHECK_EQ_STR(top(li, "vielen Dank"), "de");
    CHECK_EQ_STR(top(li, "muchas gracias"), "es");
    CHECK_EQ_STR(top(li, "спасибо большое"), "ru");
    CHECK_EQ_STR(top(li, "dzień dobry"), "pl");
    CHECK_EQ_STR(top(li, "bonne nuit"), "fr");
    hd_langid_free(li);
}

TEST(langid_undetermined) {
    hd_langid *li = load_or_skip();
    hd_lang_score out[HD_LANG_TOP];
    int reliable = 7;
    CHECK_EQ_INT(hd_langid_detect(li, "12345 !!!", 9, out, HD_LANG_TOP, &reliable), 0);
    CHECK_EQ_INT(reliable, 0);
    CHECK_EQ_INT(hd_langid_detect(li, "", 0, out, HD_LANG_TOP, &reliable), 0);
    CHECK_EQ_INT(hd_langid_detect(li, NULL, 0, out, HD_LANG_TOP, NULL), 0);
    CHECK_EQ_INT(hd_langid_detect(li, " \n\t-- 3.14 %% ()", 15, out, 3, NULL), 0);
    CHECK_EQ_STR(top(li, "12345 !!!"), "und");
    hd_langid_free(li);
}

TEST(langid_k_bounds_and_scores) {
    hd_langid *li = load_or_skip();
    const char *t = "Dobar dan, kako ste danas? Vrijeme je lijepo.";
    hd_lang_score out[8];
    memset(out, 0x5a, sizeof out);
    CHECK_EQ_INT(hd_langid_detect(li, t, strlen(t), out, 0, NULL), 0);
    CHECK_EQ_INT(hd_langid_detect(li, t, strlen(t), out, -1, NULL), HD_EINVAL);
    CHECK_EQ_INT(hd_langid_detect(NULL, t, strlen(t), out, 3, NULL), HD_EINVAL);
    CHECK_EQ_INT(hd_langid_detect(li, t, strlen(t), NULL, 3, NULL), HD_EINVAL);
    CHECK_EQ_INT(hd_langid_detect(li, t, strlen(t), out, 1, NULL), 1);
    /* out[1] untouched when k == 1 */
    CHECK_EQ_INT((unsigned char)out[1].code[0], 0x5a);
    int n = hd_langid_detect(li, t, strlen(t), out, 8, NULL);
    CHECK(n >= 2 && n <= 8);
    double sum = 0;
    for (int i = 0; i < n; i++) {
        CHECK(out[i].score >= 0.0f && out[i].score <= 1.0f);
        CHECK(strlen(out[i].code) >= 2 && strlen(out[i].code) < 8);
        if (i) CHECK(out[i].score <= out[i - 1].score);
        for (int j = 0; j < i; j++) CHECK(strcmp(out[i].code, out[j].code) != 0);
        sum += out[i].score;
    }
    CHECK(sum <= 1.0 + 1e-6);
    /* A clear sentence is reliable with a high score. */
    int reliable = 0;
    const char *de = "Die Bundesregierung hat heute neue Maßnahmen gegen die "
                     "steigenden Energiepreise angekündigt.";
    n = hd_langid_detect(li, de, strlen(de), out, 3, &reliable);
    CHECK(n >= 1);
    CHECK_EQ_STR(out[0].code, "de");
    CHECK(out[0].score > 0.9f);
    CHECK_EQ_INT(reliable, 1);
    hd_langid_free(li);
}

TEST(langid_script_rules) {
    hd_langid *li = load_or_skip();
    CHECK_EQ_STR(top(li, "Η κυβέρνηση ανακοίνωσε νέα μέτρα"), "el");
    CHECK_EQ_STR(top(li, "הממשלה הודיעה היום על צעדים חדשים"), "he");
    CHECK_EQ_STR(top(li, "정부는 오늘 새로운 조치를 발표했다"), "ko");
    CHECK_EQ_STR(top(li, "მთავრობამ ახალი ზომები გამოაცხადა"), "ka");
    CHECK_EQ_STR(top(li, "政府今天宣布了新的措施。"), "zh");
    /* Cyrillic restricts the candidates to Cyrillic languages. */
    CHECK_EQ_STR(top(li, "Уряд сьогодні оголосив про нові заходи підтримки."), "uk");
    hd_langid_free(li);
}

TEST(langid_bad_bytes_and_long_input) {
    hd_langid *li = load_or_skip();
    hd_lang_score out[3];
    const char bad[] = "\xff\xfe\xc3\x28 Das ist \xe2\x82 ein Satz \xf0\x9f";
    int n = hd_langid_detect(li, bad, sizeof bad - 1, out, 3, NULL);
    CHECK(n >= 0);
    /* A long text: only a bounded prefix is read, the answer stands. */
    size_t len = 4u << 20;
    char *big = malloc(len);
    CHECK(big != NULL);
    const char *s = "Le gouvernement a annoncé aujourd'hui de nouvelles mesures. ";
    size_t sl = strlen(s);
    for (size_t i = 0; i < len; i++) big[i] = s[i % sl];
    n = hd_langid_detect(li, big, len, out, 3, NULL);
    CHECK(n >= 1);
    CHECK_EQ_STR(out[0].code, "fr");
    free(big);
    hd_langid_free(li);
}

TEST(langid_names_and_codes) {
    CHECK_EQ_STR(hd_lang_name("de"), "German");
    CHECK_EQ_STR(hd_lang_name("zu"), "Zulu");
    CHECK_EQ_STR(hd_lang_name("yue"), "Cantonese");
    CHECK(hd_lang_name("xx") == NULL);
    CHECK(hd_lang_name("") == NULL);
    CHECK(hd_lang_name(NULL) == NULL);
    hd_langid *li = load_or_skip();
    int n = hd_langid_count(li);
    CHECK(n >= 176 + 8); /* fastText's 176 plus the 8 only herald knows */
    CHECK(hd_langid_code(li, -1) == NULL);
    CHECK(hd_langid_code(li, n) == NULL);
    int named = 0, has_zu = 0, has_de = 0;
    for (int i = 0; i < n; i++) {
        const char *c = hd_langid_code(li, i);
        CHECK(c != NULL && strlen(c) >= 2);
        for (int j = 0; j < i; j++) CHECK(strcmp(c, hd_langid_code(li, j)) != 0);
        named += hd_lang_name(c) != NULL;
        has_zu |= strcmp(c, "zu") == 0;
        has_de |= strcmp(c, "de") == 0;
    }
    CHECK(has_zu && has_de);
    CHECK(named >= 120);
    /* Every language of the own model has an English name. */
    for (int i = 0; i < 75; i++) CHECK(hd_lang_name(hd_langid_code(li, i)) != NULL);
    CHECK_EQ_INT(hd_langid_count(NULL), 0);
    hd_langid_free(li);
    hd_langid_free(NULL);
}

/*---- model files ----*/

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void write_file(const char *dir, const char *name, const void *p, size_t n) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(p, 1, n, f) == n);
    CHECK(fclose(f) == 0);
}

/* Load from `dir` and expect HD_EMODEL with the file named. */
static void expect_emodel(const char *dir, const char *file) {
    hd_err err = {0};
    hd_langid *li = hd_langid_load(dir, &err);
    CHECK(li == NULL);
    CHECK_EQ_INT(err.code, HD_EMODEL);
    CHECK(strstr(err.msg, file) != NULL);
}

TEST(langid_bad_model_files) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", hd_data_dir(), HD_LM_FILE);
    size_t len = 0;
    char *good = read_all(path, &len);
    if (good == NULL) hd_test_skip("herald-langid.bin missing (run make)");
    const char *dir = hd_test_tmpdir();
    char ft[1024];
    snprintf(ft, sizeof ft, "%s/%s", hd_data_dir(), HD_FT_FILE);
    char ftlink[1024];
    snprintf(ftlink, sizeof ftlink, "%s/%s", dir, HD_FT_FILE);
    CHECK(symlink(ft, ftlink) == 0);

    expect_emodel(dir, HD_LM_FILE); /* missing */
    write_file(dir, HD_LM_FILE, "garbage", 7);
    expect_emodel(dir, HD_LM_FILE); /* too short */
    write_file(dir, HD_LM_FILE, good, len / 2);
    expect_emodel(dir, HD_LM_FILE); /* truncated */
    write_file(dir, HD_LM_FILE, good, len - 1);
    expect_emodel(dir, HD_LM_FILE); /* one byte short */
    good[len / 2] ^= 0x40;
    write_file(dir, HD_LM_FILE, good, len);
    expect_emodel(dir, HD_LM_FILE); /* flipped byte: checksum */
    good[len / 2] ^= 0x40;
    good[12] = (char)0xff; /* nlang out of range */
    write_file(dir, HD_LM_FILE, good, len);
    expect_emodel(dir, HD_LM_FILE);
    good[12] = 75;
    good[0] = 'X'; /* magic */
    write_file(dir, HD_LM_FILE, good, len);
    expect_emodel(dir, HD_LM_FILE);
    good[0] = 'H';
    write_file(dir, HD_LM_FILE, good, len); /* restored: loads */
    hd_err err = {0};
    hd_langid *li = hd_langid_load(dir, &err);
    if (li == NULL && strstr(err.msg, HD_FT_FILE)) hd_test_skip(err.msg);
    CHECK(li != NULL);
    hd_langid_free(li);

    /* A bad fastText model next to a good own model. */
    CHECK(unlink(ftlink) == 0);
    write_file(dir, HD_FT_FILE, "not a fasttext model at all", 27);
    expect_emodel(dir, HD_FT_FILE);
    write_file(dir, HD_FT_FILE, "", 0);
    expect_emodel(dir, HD_FT_FILE);
    /* A truncated fastText model: libfasttext itself does not notice. */
    size_t flen = 0;
    char *fdata = read_all(ft, &flen);
    CHECK(fdata != NULL && flen > 1000);
    size_t cuts[] = {8, 100, flen / 2, flen - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        write_file(dir, HD_FT_FILE, fdata, cuts[i]);
        expect_emodel(dir, HD_FT_FILE);
    }
    free(fdata);
    expect_emodel("/nonexistent/herald-data", HD_LM_FILE);
    free(good);
}

/*---- docs ----*/

TEST(langid_run_doc) {
    hd_langid *li = load_or_skip();
    hd_doc *d = hd_doc_new(0);
    CHECK(d != NULL);
    const char *title = "Neue Regeln für Mieter";
    const char *text = "Ab dem kommenden Jahr gelten in vielen Städten neue "
                       "Regeln für Mieterinnen und Mieter. Die Mietpreisbremse "
                       "wird verlängert.";
    d->title = hd_doc_strdup(d, title, strlen(title));
    d->text = hd_doc_strdup(d, text, strlen(text));
    CHECK_OK(hd_langid_run(li, d));
    CHECK(d->n_lang >= 1 && d->n_lang <= HD_LANG_TOP);
    CHECK_EQ_STR(d->lang[0].code, "de");
    CHECK_EQ_INT(d->lang_reliable, 1);

    /* Nothing to go on: no candidates. */
    hd_doc_reset(d);
    d->title = hd_doc_strdup(d, "2024", 4);
    d->text = hd_doc_strdup(d, "", 0);
    CHECK_OK(hd_langid_run(li, d));
    CHECK_EQ_INT(d->n_lang, 0);
    CHECK_EQ_INT(d->lang_reliable, 0);
    CHECK_EQ_INT(hd_langid_run(NULL, d), HD_EINVAL);
    CHECK_EQ_INT(hd_langid_run(li, NULL), HD_EINVAL);
    hd_doc_free(d);
    hd_langid_free(li);
}

static float score_of(const hd_doc *d, const char *code) {
    for (int i = 0; i < d->n_lang; i++)
        if (strcmp(d->lang[i].code, code) == 0) return d->lang[i].score;
    return 0.0f;
}

TEST(langid_hint_is_a_weak_prior) {
    hd_langid *li = load_or_skip();
    hd_doc *d = hd_doc_new(0);
    const char *text = "Vlada je danas predstavila novi zakon o radu.";
    d->text = hd_doc_strdup(d, text, strlen(text));
    CHECK_OK(hd_langid_run(li, d));
    const char *second = d->n_lang > 1 ? d->lang[1].code : NULL;
    CHECK(second != NULL);
    char code[8];
    snprintf(code, sizeof code, "%s", second);
    float before = score_of(d, code);
    char hint[16];
    snprintf(hint, sizeof hint, "%s-XX", code); /* a tag, case as found */
    d->lang_hint = hd_doc_strdup(d, hint, strlen(hint));
    CHECK_OK(hd_langid_run(li, d));
    CHECK(score_of(d, code) > before);
    /* Weak: a clear text in another language is not overruled. */
    const char *en = "The government presented a new labour law today, "
                     "and unions said they would study it carefully.";
    d->text = hd_doc_strdup(d, en, strlen(en));
    d->lang_hint = hd_doc_strdup(d, "de", 2);
    CHECK_OK(hd_langid_run(li, d));
    CHECK_EQ_STR(d->lang[0].code, "en");
    hd_doc_free(d);
    hd_langid_free(li);
}

/*---- threads ----*/

static const char *const thread_texts[] = {
    "Die Bundesregierung hat heute neue Maßnahmen angekündigt.",
    "El gobierno anunció hoy nuevas medidas económicas.",
    "Правительство сегодня объявило о новых мерах.",
    "Hallituksen mukaan uudet toimet tulevat voimaan ensi vuonna.",
};

typedef struct job {
    const hd_langid *li;
    char got[4][8];
    int bad;
} job;

static void *worker(void *arg) {
    job *j = arg;
    for (int round = 0; round < 50; round++)
        for (int i = 0; i < 4; i++) {
            hd_lang_score out[3];
            int n = hd_langid_detect(j->li, thread_texts[i], strlen(thread_texts[i]),
                                     out, 3, NULL);
            if (n < 1) j->bad++;
            else if (round == 0) memcpy(j->got[i], out[0].code, 8);
            else if (strcmp(j->got[i], out[0].code) != 0) j->bad++;
        }
    return NULL;
}

TEST(langid_threads_share_one_model) {
    hd_langid *li = load_or_skip();
    pthread_t t[4];
    job jobs[4];
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < 4; i++) {
        jobs[i].li = li;
        CHECK(pthread_create(&t[i], NULL, worker, &jobs[i]) == 0);
    }
    for (int i = 0; i < 4; i++) CHECK(pthread_join(t[i], NULL) == 0);
    static const char *const want[] = {"de", "es", "ru", "fi"};
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_INT(jobs[i].bad, 0);
        for (int x = 0; x < 4; x++) CHECK_EQ_STR(jobs[i].got[x], want[x]);
    }
    hd_langid_free(li);
}

/*---- the own model's pieces, without any data files ----*/

TEST(langid_lm_prepare_and_features) {
    uint32_t cp[64], f1[256], f2[256];
    /* Letters lowercased, other runs one space, padded. */
    size_t n = hd_lm_prepare("Ab, 12 CD!", 10, cp, 64);
    CHECK_EQ_INT(n, 7); /* " ab cd " */
    CHECK_EQ_INT(cp[0], ' ');
    CHECK_EQ_INT(cp[1], 'a');
    CHECK_EQ_INT(cp[3], ' ');
    CHECK_EQ_INT(cp[4], 'c');
    CHECK_EQ_INT(cp[6], ' ');
    CHECK_EQ_INT(hd_lm_prepare("123 !!", 6, cp, 64), 0);
    /* Non-ASCII: Cyrillic capitals lowercase too; bad bytes are boundaries. */
    n = hd_lm_prepare("\xd0\x94\xff\xd0\xb0", 5, cp, 64); /* "Д", bad, "а" */
    CHECK_EQ_INT(n, 5);
    CHECK_EQ_INT(cp[1], 0x0434);
    CHECK_EQ_INT(cp[2], ' ');
    CHECK_EQ_INT(cp[3], 0x0430);
    /* Capacity is respected and the result stays padded. */
    n = hd_lm_prepare("abcdefghijklmnop", 16, cp, 6);
    CHECK(n <= 6);
    CHECK_EQ_INT(cp[n - 1], ' ');

    /* " ab ": " a", " ab", " ab ", "a", "ab", "ab ", "b", "b " */
    n = hd_lm_prepare("ab", 2, cp, 64);
    CHECK_EQ_INT(hd_lm_features(cp, n, 5, 12, f1, 256), 8);
    size_t n2 = hd_lm_prepare("AB", 2, cp, 64);
    CHECK_EQ_INT(hd_lm_features(cp, n2, 5, 12, f2, 256), 8);
    CHECK(memcmp(f1, f2, 8 * sizeof f1[0]) == 0);
    for (int i = 0; i < 8; i++) CHECK(f1[i] < (1u << 12));
    /* Grams never span words: "ab cd" has 8 + 8 features. */
    n = hd_lm_prepare("ab cd", 5, cp, 64);
    CHECK_EQ_INT(hd_lm_features(cp, n, 5, 12, f1, 256), 16);
    CHECK_EQ_INT(hd_lm_features(cp, n, 5, 12, f1, 5), 5); /* capacity */
    /* Unigrams, plus the two words as wholes (too long for one gram). */
    CHECK_EQ_INT(hd_lm_features(cp, n, 1, 12, f1, 256), 6);
    /* A long word adds one whole-word feature: " abcd " -> 1 + 4+5+4+3+2. */
    n = hd_lm_prepare("abcd", 4, cp, 64);
    CHECK_EQ_INT(hd_lm_features(cp, n, 5, 12, f1, 256), 19);
}

TEST(langid_lm_file_roundtrip) {
    const char *dir = hd_test_tmpdir();
    char path[1024];
    snprintf(path, sizeof path, "%s/tiny.bin", dir);
    const char codes[2][8] = {"aa", "bbb"};
    size_t qn = 2u << 10;
    uint8_t *q = malloc(qn);
    CHECK(q != NULL);
    for (size_t i = 0; i < qn; i++) q[i] = (uint8_t)(i * 7 + 3);
    CHECK_OK(hd_lm_save(path, 2, codes, 10, 3, q, NULL));
    hd_lm lm;
    hd_err err = {0};
    CHECK_OK(hd_lm_load(path, &lm, &err));
    CHECK_EQ_INT(lm.nlang, 2);
    CHECK_EQ_INT(lm.log2b, 10);
    CHECK_EQ_INT(lm.max_order, 3);
    CHECK_EQ_STR(lm.codes[1], "bbb");
    CHECK(memcmp(lm.q, q, qn) == 0);
    uint32_t f[2] = {0, 1023}, cost[2];
    hd_lm_cost(&lm, f, 2, cost);
    CHECK_EQ_INT(cost[0], q[0] + q[2046]);
    CHECK_EQ_INT(cost[1], q[1] + q[2047]);
    hd_lm_free(&lm);
    hd_lm_free(&lm); /* freeing twice is harmless */

    /* A bad code is refused even with a correct checksum. */
    const char bad[2][8] = {"aa", "B1"};
    CHECK_OK(hd_lm_save(path, 2, bad, 10, 3, q, NULL));
    CHECK_EQ_INT(hd_lm_load(path, &lm, &err), HD_EMODEL);
    CHECK(strstr(err.msg, "code") != NULL);
    /* Header values out of range. */
    CHECK_OK(hd_lm_save(path, 2, codes, 10, 9, q, NULL));
    CHECK_EQ_INT(hd_lm_load(path, &lm, &err), HD_EMODEL);
    CHECK_EQ_INT(hd_lm_save("/nonexistent/dir/x.bin", 2, codes, 10, 3, q, &err),
                 HD_EIO);
    free(q);
}

TEST(langid_out_of_memory) {
    hd_langid *li = load_or_skip();
    hd_langid_free(li);
    /* Fail each allocation of load in turn: NULL and HD_ENOMEM, no leak. */
    int loaded = 0;
    for (long n = 0; n < 20 && !loaded; n++) {
        hd_err err = {0};
        hd_mem_fail_after(n);
        li = hd_langid_load(NULL, &err);
        hd_mem_fail_after(-1);
        if (li == NULL) {
            CHECK_EQ_INT(err.code, HD_ENOMEM);
        } else {
            loaded = 1;
        }
    }
    CHECK(loaded);
    const char *t = "Das ist ein ganz normaler deutscher Satz.";
    hd_lang_score out[3];
    hd_mem_fail_after(0);
    CHECK_EQ_INT(hd_langid_detect(li, t, strlen(t), out, 3, NULL), HD_ENOMEM);
    hd_mem_fail_after(-1);
    CHECK(hd_langid_detect(li, t, strlen(t), out, 3, NULL) >= 1);
    CHECK_EQ_STR(out[0].code, "de");
    hd_doc *d = hd_doc_new(0);
    d->text = hd_doc_strdup(d, t, strlen(t));
    hd_mem_fail_after(0);
    CHECK_EQ_INT(hd_langid_run(li, d), HD_ENOMEM);
    hd_mem_fail_after(-1);
    CHECK_EQ_INT(d->n_lang, 0);
    hd_doc_free(d);
    hd_langid_free(li);
}
