/*
** ner_conll.c -- CoNLL-style NER corpora, and which file serves which
** language for training and evaluation (shared by tools/train_ner.c and
** tools/ner_eval.c so that both apply the same hold-out rule).
**
** A line is "index<TAB>token<TAB>tag" (the token is the second-to-last
** field, the tag the last); a blank line ends a sentence; "-DOCSTART-" and
** "#..." lines end a sentence and are skipped.  Unknown tag types read as O.
*/
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "mem.h"
#include "ner.h"

#define CORPUS_MAX (256u << 20)

const hd_ner_dataset hd_ner_datasets[] = {
#define CONLL(l)                                                        \
    {l, {{"conll_" l "_train.conllu", HD_NER_ALL}},                     \
     {{"conll_" l "_val.conllu", HD_NER_ALL}},                          \
     {{"wikineural_" l "_dev.conllu", HD_NER_ALL}}}
#define FOLDED2(l)                                                      \
    {l,                                                                 \
     {{"bsnlp_" l "_ec.conllu", HD_NER_FOLD_TRAIN},                     \
      {"wikineural_" l "_dev.conllu", HD_NER_FOLD_TRAIN}},              \
     {{"bsnlp_" l "_ec.conllu", HD_NER_FOLD_EVAL},                      \
      {"wikineural_" l "_dev.conllu", HD_NER_FOLD_EVAL}},               \
     {{NULL, 0}}}
#define FOLDED(l)                                                       \
    {l, {{"wikineural_" l "_dev.conllu", HD_NER_FOLD_TRAIN}},           \
     {{"wikineural_" l "_dev.conllu", HD_NER_FOLD_EVAL}},               \
     {{NULL, 0}}}
    CONLL("en"), CONLL("de"), CONLL("es"), CONLL("nl"),
    FOLDED2("pl"), FOLDED2("ru"),
    FOLDED("fr"), FOLDED("it"), FOLDED("pt"),
#undef CONLL
#undef FOLDED2
#undef FOLDED
};
const size_t hd_ner_ndatasets = sizeof hd_ner_datasets / sizeof hd_ner_datasets[0];

int hd_ner_part_has(int which, size_t i) {
    switch (which) {
    case HD_NER_FOLD_TRAIN: return i % HD_NER_FOLD != HD_NER_FOLD - 1;
    case HD_NER_FOLD_EVAL: return i % HD_NER_FOLD == HD_NER_FOLD - 1;
    default: return 1;
    }
}

void hd_ner_corpus_free(hd_ner_corpus *c) {
    if (c == NULL) return;
    hd_free(c->text);
    hd_free(c->tok);
    hd_free(c->tag);
    hd_free(c->sent);
    hd_free(c->doc);
    memset(c, 0, sizeof *c);
}

static int parse_tag(const char *s, size_t n) {
    static const char *const types[HD_NER_TYPES] = {"PER", "ORG", "LOC", "MISC"};
    if (n < 3 || (s[0] != 'B' && s[0] != 'I') || s[1] != '-') return 0;
    for (int t = 0; t < HD_NER_TYPES; t++)
        if (n - 2 == strlen(types[t]) && memcmp(s + 2, types[t], n - 2) == 0)
            return s[0] == 'B' ? HD_NER_B(t + 1) : HD_NER_I(t + 1);
    return 0;
}

static char *slurp(const char *path, size_t *len, hd_err *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        hd_err_set(err, HD_EIO, "%s: cannot open", path);
        return NULL;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 1 >= cap) {
            size_t ncap = cap ? cap * 2 : 1u << 16;
            char *nb = ncap <= CORPUS_MAX ? hd_realloc(buf, ncap) : NULL;
            if (nb == NULL) {
                hd_free(buf);
                fclose(f);
                hd_err_set(err, ncap <= CORPUS_MAX ? HD_ENOMEM : HD_ETOOBIG, "%s: too big", path);
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        hd_free(buf);
        hd_err_set(err, HD_EIO, "%s: read error", path);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

int hd_ner_corpus_read(const char *path, hd_ner_corpus *c, hd_err *err) {
    memset(c, 0, sizeof *c);
    size_t len;
    if ((c->text = slurp(path, &len, err)) == NULL) return err ? err->code : HD_EIO;
    /* Upper bounds: a token per line, a sentence per line. */
    size_t lines = 1;
    for (size_t i = 0; i < len; i++) lines += c->text[i] == '\n';
    c->tok = hd_calloc(lines, sizeof *c->tok);
    c->tag = hd_calloc(lines, 1);
    c->sent = hd_calloc(lines + 1, sizeof *c->sent);
    c->doc = hd_calloc(lines + 1, sizeof *c->doc);
    if (c->tok == NULL || c->tag == NULL || c->sent == NULL || c->doc == NULL) {
        hd_ner_corpus_free(c);
        return hd_err_set(err, HD_ENOMEM, NULL);
    }
    size_t sent_begin = 0;
    int doc_pending = 0;
    for (char *p = c->text, *end = c->text + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *le = nl ? nl : end;
        char *next = nl ? nl + 1 : end;
        if (le > p && le[-1] == '\r') le--;
        if (le == p || *p == '#') {
            if (le - p >= 9 && memcmp(p, "#DOCSTART", 9) == 0) doc_pending = 1;
            if (c->ntok > sent_begin) {
                c->sent[c->nsent++] = sent_begin;
                sent_begin = c->ntok;
            }
        } else {
            /* Fields: the last is the tag, the one before it the token. */
            char *tab2 = NULL, *tab1 = NULL;
            for (char *q = p; q < le; q++)
                if (*q == '\t') tab1 = tab2, tab2 = q;
            if (tab2 != NULL) {
                char *tok = tab1 ? tab1 + 1 : p, *tag = tab2 + 1;
                size_t tl = (size_t)(tag - 1 - tok);
                int t = parse_tag(tag, (size_t)(le - tag));
                int prev = c->ntok > sent_begin ? c->tag[c->ntok - 1] : 0;
                /* Repair an I- that does not continue its type. */
                if (t && !HD_NER_IS_B(t) && (prev == 0 || HD_NER_TYPE(prev) != HD_NER_TYPE(t)))
                    t = HD_NER_B(HD_NER_TYPE(t));
                if (tl == 10 && memcmp(tok, "-DOCSTART-", 10) == 0) {
                    doc_pending = 1;
                    if (c->ntok > sent_begin) {
                        c->sent[c->nsent++] = sent_begin;
                        sent_begin = c->ntok;
                    }
                } else if (tl > 0) {
                    if (doc_pending && c->ntok == sent_begin) {
                        c->doc[c->ndoc++] = c->nsent;
                        doc_pending = 0;
                    }
                    c->tok[c->ntok] = (hd_str){tok, tl};
                    c->tag[c->ntok++] = (uint8_t)t;
                }
            }
        }
        p = next;
    }
    if (c->ntok > sent_begin) c->sent[c->nsent++] = sent_begin;
    c->sent[c->nsent] = c->ntok;
    return HD_OK;
}

int hd_ner_cyrillic_lang(const char *lang) {
    static const char *const cyr[] = {"ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn"};
    for (size_t i = 0; i < sizeof cyr / sizeof *cyr; i++)
        if (strcmp(lang, cyr[i]) == 0) return 1;
    return 0;
}

/* The CoNLL-2003 German training text is Latin-1 that was read as
** windows-1251 and lowercased: "ьber" for "über", "я" (lowercased "Я",
** byte 0xDF) for "ß".  In a token that also has ASCII letters, each
** Cyrillic small letter U+0430..U+044F (windows-1251 0xE0..0xFF) becomes the
** Latin-1 letter with the same byte, and "я" becomes "ß".  Both are two
** bytes in UTF-8, so the repair is in place. */
size_t hd_ner_corpus_repair_latin1(hd_ner_corpus *c) {
    size_t changed = 0;
    for (size_t i = 0; i < c->ntok; i++) {
        char *p = c->text + (c->tok[i].ptr - c->text);
        size_t n = c->tok[i].len;
        int ascii = 0, cyr = 0, other = 0;
        for (size_t k = 0; k < n; k++) {
            unsigned char b = (unsigned char)p[k];
            if (((b | 0x20) >= 'a' && (b | 0x20) <= 'z')) ascii = 1;
            else if (k + 1 < n && ((b == 0xD0 && (unsigned char)p[k + 1] >= 0xB0 &&
                                    (unsigned char)p[k + 1] <= 0xBF) ||
                                   (b == 0xD1 && (unsigned char)p[k + 1] >= 0x80 &&
                                    (unsigned char)p[k + 1] <= 0x8F))) {
                cyr = 1;
                k++;
            } else if (b >= 0x80)
                other = 1;
        }
        if (!ascii || !cyr || other) continue;
        for (size_t k = 0; k + 1 < n; k++) {
            unsigned char b = (unsigned char)p[k], b2 = (unsigned char)p[k + 1];
            int idx = b == 0xD0 && b2 >= 0xB0 && b2 <= 0xBF   ? b2 - 0xB0
                      : b == 0xD1 && b2 >= 0x80 && b2 <= 0x8F ? b2 - 0x80 + 16
                                                              : -1;
            if (idx < 0) continue;
            p[k] = (char)0xC3;
            p[k + 1] = (char)(idx == 31 ? 0x9F : 0xA0 + idx);
            k++;
        }
        changed++;
    }
    return changed;
}
