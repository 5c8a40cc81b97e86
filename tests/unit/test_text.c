/*
** test_text.c -- encoding detection and conversion, normalisation (NFC,
** controls, fold, id), and segmentation into words and sentences.
*/
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "encoding.h"
#include "herald.h"
#include "mem.h"
#include "test.h"

/* A doc whose raw fields hold the given bytes. */
static hd_doc *doc_raw(const char *title, const char *text, size_t text_len) {
    hd_doc *d = hd_doc_new(0);
    CHECK(d != NULL);
    d->source = hd_doc_strdup(d, "t.txt", 5);
    if (title) d->raw_title = hd_doc_strdup(d, title, strlen(title));
    d->raw_text = hd_doc_strdup(d, text, text_len);
    return d;
}

static hd_doc *normalized(const char *title, const char *text) {
    hd_doc *d = doc_raw(title, text, strlen(text));
    hd_err err = {0};
    CHECK_OK(hd_normalize_run(d, &err));
    return d;
}

/* Whether view `v` contains the NUL-terminated `w`. */
static int has(hd_str v, const char *w) {
    size_t n = strlen(w);
    for (size_t i = 0; n <= v.len && i <= v.len - n; i++)
        if (memcmp(v.ptr + i, w, n) == 0) return 1;
    return 0;
}

static int view_eq(hd_str v, const char *s) {
    return v.len == strlen(s) && memcmp(v.ptr, s, v.len) == 0;
}

TEST(enc_valid_utf8_rejects_overlong_surrogate_and_truncation) {
    CHECK(hd_enc_valid_utf8("plain ascii text, long enough for 8-byte steps", 46));
    static const char ok[] = "Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC \xF0\x9F\x98\x80";
    CHECK(hd_enc_valid_utf8(ok, sizeof ok - 1));
    CHECK(!hd_enc_valid_utf8("\xC0\xAF", 2));         /* overlong '/' */
    CHECK(!hd_enc_valid_utf8("\xED\xA0\x80", 3));     /* surrogate */
    CHECK(!hd_enc_valid_utf8("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
    CHECK(!hd_enc_valid_utf8("abc\xE2\x82", 5));      /* truncated */
}

TEST(enc_detects_cp1251_and_latin1) {
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_str out;
    const char *enc;
    uint32_t bad;
    /* "Правительство России объявило о новых мерах" in cp1251. */
    const char ru[] = "\xcf\xf0\xe0\xe2\xe8\xf2\xe5\xeb\xfc\xf1\xf2\xe2\xee \xd0\xee\xf1\xf1\xe8"
                      "\xe8 \xee\xe1\xfa\xff\xe2\xe8\xeb\xee \xee \xed\xee\xe2\xfb\xf5 \xec\xe5"
                      "\xf0\xe0\xf5 \xef\xee\xe4\xe4\xe5\xf0\xe6\xea\xe8 \xfd\xea\xee\xed\xee"
                      "\xec\xe8\xea\xe8.";
    CHECK_OK(hd_enc_to_utf8(&a, ru, sizeof ru - 1, NULL, &out, &enc, &bad));
    CHECK_EQ_STR(enc, "windows-1251");
    CHECK(has(out, "Правительство России"));
    CHECK_EQ_INT(bad, 0);
    /* A declared charset wins over detection. */
    const char de[] = "Die Stra\xdf" "e f\xfchrt \xfc" "ber die Br\xfc" "cke.";
    CHECK_OK(hd_enc_to_utf8(&a, de, sizeof de - 1, "ISO-8859-1", &out, &enc, &bad));
    CHECK_EQ_STR(enc, "windows-1252");
    CHECK(view_eq(out, "Die Straße führt über die Brücke."));
    hd_arena_fini(&a);
}

TEST(enc_boms_binary_and_damaged_utf8) {
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_str out;
    const char *enc;
    uint32_t bad;
    CHECK_OK(hd_enc_to_utf8(&a, "\xEF\xBB\xBFhi", 5, NULL, &out, &enc, &bad));
    CHECK(view_eq(out, "hi"));
    CHECK_OK(hd_enc_to_utf8(&a, "\xFF\xFEh\0i\0", 6, NULL, &out, &enc, &bad));
    CHECK_EQ_STR(enc, "UTF-16LE");
    CHECK(view_eq(out, "hi"));
    CHECK_EQ_INT(hd_enc_to_utf8(&a, "ab\0\0cd\x01\x02", 8, NULL, &out, &enc, &bad), HD_EBINARY);
    /* Mostly UTF-8 with one stray byte: UTF-8 with one replacement. */
    const char dmg[] = "Gr\xC3\xBC\xC3\x9F" "e aus M\xC3\xBC" "nchen, K\xC3\xB6ln und \xFF Z\xC3\xBCrich";
    CHECK_OK(hd_enc_to_utf8(&a, dmg, sizeof dmg - 1, NULL, &out, &enc, &bad));
    CHECK_EQ_STR(enc, "UTF-8");
    CHECK_EQ_INT(bad, 1);
    CHECK(has(out, "\xEF\xBF\xBD Z"));
    CHECK(hd_enc_valid_utf8(out.ptr, out.len));
    hd_arena_fini(&a);
}

TEST(enc_repairs_double_encoded_utf8_only_when_consistent) {
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_str in = {"GrÃ¼ÃŸe aus MÃ¼nchen und KÃ¶ln", 0}, out;
    in.len = strlen(in.ptr);
    CHECK_EQ_INT(hd_enc_fix_mojibake(&a, in, &out), 1);
    CHECK(view_eq(out, "Grüße aus München und Köln"));
    /* "à" whose no-break space became a plain space. */
    hd_str fr = {"Ã  GenÃ¨ve, lâ€™OTAN", 0};
    fr.len = strlen(fr.ptr);
    CHECK_EQ_INT(hd_enc_fix_mojibake(&a, fr, &out), 1);
    CHECK(view_eq(out, "à Genève, l’OTAN"));
    /* Real text that merely contains Ã is left alone. */
    hd_str real = {"Ã and Â are letters; ÃO PAULO in caps", 0};
    real.len = strlen(real.ptr);
    CHECK_EQ_INT(hd_enc_fix_mojibake(&a, real, &out), 0);
    /* Broken only in part (a scraped headline over a clean body; Latin-1's
    ** C1 controls as well as cp1252's letters): repaired where broken. */
    hd_str part = {"Horoz d\xC3\x83\xC2\xB6v\xC3\x83\xC2\xBC\xC3\x85\xC2\x9F\xC3\x83\xC2\xBC "
                   "yapt\xC3\x84\xC2\xB1ran\nHoroz dövüşü yaptıran, für Müller", 0};
    part.len = strlen(part.ptr);
    CHECK_EQ_INT(hd_enc_fix_mojibake(&a, part, &out), 1);
    CHECK(view_eq(out, "Horoz dövüşü yaptıran\nHoroz dövüşü yaptıran, für Müller"));
    hd_arena_fini(&a);
}

TEST(normalize_nfc_controls_title_and_id) {
    /* "e" + combining acute must compose to U+00E9; controls go; CRLF. */
    hd_doc *d = normalized("  Caf\x65\xCC\x81  news \xC2\xA0 today ",
                           "Le caf\x65\xCC\x81 est ouvert.\r\nIl fait\x07 beau.\r\n");
    CHECK(view_eq(d->title, "Café news today"));
    CHECK(view_eq(d->text, "Le café est ouvert.\nIl fait beau."));
    CHECK_EQ_STR(d->encoding, "UTF-8");
    CHECK_EQ_INT((int)strlen(d->id), HD_ID_LEN);
    /* Same content in another normalisation form: same id. */
    hd_doc *e = normalized("Café news today", "Le café est ouvert.\nIl fait beau.");
    CHECK_EQ_STR(d->id, e->id);
    hd_doc *f = normalized("Café news today", "Le café est fermé.\nIl fait beau.");
    CHECK(strcmp(d->id, f->id) != 0);
    hd_doc_free(d);
    hd_doc_free(e);
    hd_doc_free(f);
}

TEST(normalize_fold_strips_latin_accents_but_not_indic_vowels) {
    hd_doc *d = normalized("Über Straßen", "TOKAJEW in Ελλάδα. हिंदी");
    CHECK(has(d->fold, "uber strassen\ntokajew in ελλαδα"));
    /* Devanagari vowel signs stay. */
    CHECK(has(d->fold, "हिंदी"));
    hd_doc_free(d);
}

TEST(normalize_reports_binary_empty_and_invalid) {
    hd_err err = {0};
    hd_doc *d = doc_raw(NULL, "\x7f" "ELF\x02\x01\x01\0\0\0\0", 11);
    CHECK_EQ_INT(hd_normalize_run(d, &err), HD_EBINARY);
    CHECK(strstr(err.msg, "binary") != NULL);
    hd_doc_free(d);
    d = doc_raw("Title", " \n\t \n", 5);
    CHECK_EQ_INT(hd_normalize_run(d, &err), HD_EEMPTY);
    hd_doc_free(d);
    const char bad[] = "Ein Text \xC3\xBC" "ber Berlin und \xC3 M\xC3\xBCnchen, \xC3\xA4 \xC3\xB6 \xC3\x9F!";
    d = doc_raw(NULL, bad, sizeof bad - 1);
    CHECK_OK(hd_normalize_run(d, &err));
    CHECK_EQ_INT(d->n_invalid, 1);
    CHECK_EQ_INT((int)d->n_problems, 1);
    CHECK_EQ_STR(d->problems[0].kind, "invalid-utf8");
    hd_doc_free(d);
}

TEST(normalize_large_text_across_chunks) {
    /* Long enough to cross many chunk boundaries; the combining marks sit
    ** at every possible offset. */
    size_t n = 200000;
    char *buf = hd_malloc(n + 1);
    CHECK(buf != NULL);
    size_t i = 0;
    while (i + 4 <= n) {
        memcpy(buf + i, "e\xCC\x81 ", 4);
        i += 4;
    }
    buf[i] = '\0';
    hd_doc *d = doc_raw(NULL, buf, i);
    hd_err err = {0};
    CHECK_OK(hd_normalize_run(d, &err));
    CHECK_EQ_INT((int)d->text.len, (int)((i / 4) * 3 - 1));
    CHECK(!has(d->text, "e\xCC\x81"));
    hd_free(buf);
    hd_doc_free(d);
}

TEST(normalize_survives_allocation_failures) {
    const char *text = "Die Regierung in Berlin hat am Montag neue Regeln beschlossen.";
    for (int n = 0; n < 200; n++) {
        hd_doc *d = hd_doc_new(0);
        if (d == NULL) continue;
        d->raw_text = hd_doc_strdup(d, text, strlen(text));
        hd_mem_fail_after(n);
        hd_err err = {0};
        int rc = hd_normalize_run(d, &err);
        int more = hd_mem_fail_after(-1);
        CHECK(rc == HD_OK || rc == HD_ENOMEM);
        hd_doc_free(d);
        if (rc == HD_OK && more >= 0) break;
    }
}

static int span_is(const hd_doc *d, const hd_span *s, const char *w) {
    return s->end - s->start == strlen(w) && memcmp(d->text.ptr + s->start, w, strlen(w)) == 0;
}

TEST(segment_words_and_sentences_latin) {
    hd_doc *d = normalized(NULL, "Die Regierung tagt. Sie beschloss 12 neue Regeln!\nEnde");
    hd_err err = {0};
    CHECK_OK(hd_segment_run(d, &err));
    CHECK_EQ_INT((int)d->n_words, 9);
    CHECK(span_is(d, &d->words[0], "Die"));
    CHECK(span_is(d, &d->words[5], "12"));
    CHECK_EQ_INT((int)d->n_sentences, 3);
    CHECK(span_is(d, &d->sentences[0], "Die Regierung tagt."));
    CHECK(span_is(d, &d->sentences[2], "Ende"));
    CHECK_EQ_INT((int)d->n_chars, 54);
    hd_doc_free(d);
}

TEST(segment_cjk_and_thai_use_dictionaries) {
    hd_doc *d = normalized(NULL, "我们在北京开会。会议很成功。");
    hd_err err = {0};
    CHECK_OK(hd_segment_run(d, &err));
    CHECK(d->n_words >= 4);      /* not one run of ideographs */
    CHECK(d->n_words < 12);      /* and not one word per character */
    CHECK_EQ_INT((int)d->n_sentences, 2);
    hd_doc_free(d);
    d = normalized(NULL, "ประเทศไทยมีประชากรมาก");
    CHECK_OK(hd_segment_run(d, &err));
    CHECK(d->n_words >= 3);
    CHECK_EQ_INT((int)d->n_sentences, 1);
    hd_doc_free(d);
}

TEST(segment_requires_normalize) {
    hd_doc *d = hd_doc_new(0);
    hd_err err = {0};
    CHECK_EQ_INT(hd_segment_run(d, &err), HD_EINVAL);
    hd_doc_free(d);
}
