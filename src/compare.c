/*
** compare.c -- how similar two articles are, and in which respect.
**
** An article's profile is a set of sparse vectors, one per kind of term,
** each a sorted array of (64-bit key, weight):
**
**   word     content words, case- and accent-folded, cut to a stem
**   gram     character 4-grams of the folded words (morphology, names)
**   name     names by latin key (names.h), so Токаев meets Tokayev: every
**            word the tagger marks, and capitalised words not opening a
**            sentence; the key is cut to five letters to absorb endings
**   entity   canonical entity ids of people, organisations and the rest
**   place    canonical entity ids of places
**   country  ISO 3166 countries of the places
**   number   the values of quantities (2,500 and 2.500 are one key)
**   day, month, year    the dates the text refers to, at three grains
**   concept  language-independent word meanings, where a dictionary for
**            the language is loaded (dict.c); empty otherwise
**
** plus style statistics (sentence length, quotation and digit density,
** exclamations and questions, paragraphs).
**
** Two profiles give a feature vector: cosines (weighted by inverse
** document frequency when a background collection is given) and Jaccard
** overlaps per kind, differences of style; each feature appears twice,
** once for pairs in one language and once for pairs across languages,
** because cross-lingual scores sit on a much lower scale.  The seven
** ratings are linear functions of the features whose weights are fitted
** on rated pairs (bench/similarity_fit.py writes data/compare.model) and
** clamped to SemEval's 1..4 scale.  The evidence -- shared entities,
** places, dates, numbers, and the best-aligned sentence pairs -- comes
** from the same vectors.
**
** Bounds: a profile keeps at most PROF_TERMS_MAX terms per kind and
** SENT_MAX sentences; work per comparison is linear in the profiles' sizes
** except for sentence alignment, which is bounded by SENT_MAX^2 merges of
** short key lists.
*/
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <xxhash.h>

#include "arena.h"
#include "compare.h"
#include "dict.h"
#include "err.h"
#include "facts_util.h"
#include "mem.h"
#include "names.h"
#include "stem.h"


enum { S_CHARS, S_WORDS_PER_SENT, S_QUOTES, S_DIGITS, S_PUNCT, S_PARAS, S_WORDLEN, S_N };

#define PROF_TERMS_MAX 20000
#define SENT_MAX 256
#define SENT_KEYS_MAX 64
#define STEM_CPS 6
#define NAME_KEY_BYTES 5

typedef hd_term term;

typedef struct vec {
    term *t;
    uint32_t n;
} vec;

typedef struct label {
    uint64_t key;
    const char *s;
} label;

typedef struct sent {
    uint32_t start, end;
    uint32_t k0, nk; /* keys in p->skeys[k0 .. k0+nk), sorted, unique */
} sent;

struct hd_profile {
    hd_arena arena;
    char id[HD_ID_LEN + 1];
    char lang[16];
    int64_t published;
    vec v[HD_PV_N];
    label *labels; /* entity, place, number and date keys -> display text */
    uint32_t n_labels;
    sent *sents;
    uint32_t n_sents;
    uint64_t *skeys;
    char *text;
    size_t text_len;
    double style[S_N];
};

/*---- building ----*/

typedef struct keybuf {
    uint64_t *k;
    size_t n, cap;
    int failed;
} keybuf;

static void kb_push(keybuf *b, uint64_t key) {
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        uint64_t *k = hd_realloc(b->k, cap * sizeof *k);
        if (k == NULL) {
            b->failed = 1;
            return;
        }
        b->k = k;
        b->cap = cap;
    }
    b->k[b->n++] = key;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sort the keys, count repeats, and store (key, 1 + ln count) in `v`. */
static int kb_to_vec(hd_arena *a, keybuf *b, vec *v) {
    v->t = NULL;
    v->n = 0;
    if (b->failed) return HD_ENOMEM;
    if (b->n == 0) return HD_OK;
    qsort(b->k, b->n, sizeof *b->k, cmp_u64);
    size_t uniq = 1;
    for (size_t i = 1; i < b->n; i++) uniq += b->k[i] != b->k[i - 1];
    if (uniq > PROF_TERMS_MAX) uniq = PROF_TERMS_MAX;
    v->t = HD_ALLOC(a, term, uniq);
    if (v->t == NULL) return HD_ENOMEM;
    size_t i = 0;
    while (i < b->n && v->n < uniq) {
        size_t j = i;
        while (j < b->n && b->k[j] == b->k[i]) j++;
        v->t[v->n].key = b->k[i];
        v->t[v->n].w = (float)(1.0 + log((double)(j - i)));
        v->n++;
        i = j;
    }
    b->n = 0;
    return HD_OK;
}

static uint64_t hkey(int kind, const void *s, size_t len) {
    return XXH3_64bits_withSeed(s, len, (uint64_t)kind + 1);
}

static int add_label(hd_profile *p, uint64_t key, const char *s, size_t len, size_t *cap) {
    if (p->n_labels == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        label *l = hd_arena_grow(&p->arena, p->labels, *cap * sizeof *l, nc * sizeof *l,
                                 _Alignof(label));
        if (l == NULL) return HD_ENOMEM;
        p->labels = l;
        *cap = nc;
    }
    char *c = hd_arena_memdup(&p->arena, s, len);
    if (c == NULL) return HD_ENOMEM;
    p->labels[p->n_labels].key = key;
    p->labels[p->n_labels].s = c;
    p->n_labels++;
    return HD_OK;
}

/* Fold one word into `out` (at most `cap` bytes, whole code points);
** returns its length in code points and sets *letters when it has one. */
static size_t fold_word(const char *s, size_t len, char *out, size_t cap, size_t *olen,
                        int *letters, int *cjk) {
    size_t i = 0, o = 0, cps = 0;
    *letters = 0;
    *cjk = 0;
    while (i < len) {
        size_t next;
        uint32_t c = hd_fx_fold(hd_fx_cp(s, len, i, &next));
        i = next;
        if (u_isalpha((UChar32)c)) *letters = 1;
        if (c >= 0x2E80 && c <= 0x9FFF) *cjk = 1;
        uint8_t tmp[4];
        size_t n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (n == 1) tmp[0] = (uint8_t)c;
        else if (n == 2) tmp[0] = (uint8_t)(0xC0 | c >> 6), tmp[1] = (uint8_t)(0x80 | (c & 0x3F));
        else if (n == 3)
            tmp[0] = (uint8_t)(0xE0 | c >> 12), tmp[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F)),
            tmp[2] = (uint8_t)(0x80 | (c & 0x3F));
        else
            tmp[0] = (uint8_t)(0xF0 | c >> 18), tmp[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F)),
            tmp[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F)), tmp[3] = (uint8_t)(0x80 | (c & 0x3F));
        if (o + n > cap) break;
        memcpy(out + o, tmp, n);
        o += n;
        cps++;
    }
    *olen = o;
    return cps;
}

/* Byte length of the first `n` code points of s. */
static size_t prefix_cps(const char *s, size_t len, size_t n) {
    size_t i = 0;
    while (i < len && n) {
        size_t next;
        hd_fx_cp(s, len, i, &next);
        i = next;
        n--;
    }
    return i;
}

static void add_grams(keybuf *kb, const char *w, size_t len) {
    /* Code point offsets of " w ", at most 48 code points. */
    size_t off[52];
    size_t n = 0, i = 0;
    char buf[200];
    size_t bl = 0;
    buf[bl++] = ' ';
    while (i < len && n < 48 && bl + 4 < sizeof buf - 1) {
        size_t next;
        hd_fx_cp(w, len, i, &next);
        memcpy(buf + bl, w + i, next - i);
        bl += next - i;
        i = next;
        n++;
    }
    buf[bl++] = ' ';
    /* Offsets of every code point in buf. */
    size_t m = 0;
    for (size_t j = 0; j < bl && m < sizeof off / sizeof off[0] - 1;) {
        off[m++] = j;
        size_t next;
        hd_fx_cp(buf, bl, j, &next);
        j = next;
    }
    off[m] = bl;
    for (size_t j = 0; j + 4 <= m; j++)
        kb_push(kb, hkey(HD_PV_GRAM, buf + off[j], off[j + 4] - off[j]));
    if (m < 4) kb_push(kb, hkey(HD_PV_GRAM, buf, bl));
}

static int in_mention(const hd_doc *d, size_t *mi, uint32_t start, uint32_t end) {
    while (*mi < d->n_mentions && d->mentions[*mi].span.end <= start) (*mi)++;
    return *mi < d->n_mentions && d->mentions[*mi].span.start < end &&
           d->mentions[*mi].span.end >= end;
}

/* The key of a content word: its Snowball stem where the language has a
** stemmer, else its first STEM_CPS code points; CJK words whole. */
static uint64_t word_key(const char *lang, int stem, const char *f, size_t flen, int cjk) {
    if (cjk) return hkey(HD_PV_WORD, f, flen);
    if (stem) {
        char st[HD_STEM_WORD_MAX + 1];
        int n = hd_stem_folded(lang, f, flen, st, sizeof st);
        if (n > 0) return hkey(HD_PV_WORD, st, (size_t)n);
    }
    return hkey(HD_PV_WORD, f, prefix_cps(f, flen, STEM_CPS));
}

#define CONCEPTS_PER_WORD 2

static int build_words(hd_profile *p, const hd_doc *d, const hd_dict *dict, keybuf *kw,
                       keybuf *kg, keybuf *kn, keybuf *kc, hd_arena *tmp,
                       uint32_t *word_sent, uint64_t *wkey) {
    int stem = hd_stem_has(p->lang);
    int dl = dict && hd_dict_has_lang(dict, p->lang);
    const char *t = d->text.ptr;
    size_t si = 0, mi = 0;
    size_t letters_total = 0, words = 0;
    for (size_t i = 0; i < d->n_words; i++) {
        const hd_span *w = &d->words[i];
        while (si < d->n_sentences && d->sentences[si].end <= w->start) si++;
        word_sent[i] = (uint32_t)si;
        wkey[i] = 0;
        char f[128];
        size_t flen;
        int letters, cjk;
        size_t cps = fold_word(t + w->start, w->end - w->start, f, sizeof f, &flen, &letters,
                               &cjk);
        if (!letters) {
            if (cps >= 2) wkey[i] = hkey(HD_PV_NUM, f, flen); /* numbers align sentences */
            continue;
        }
        words++;
        letters_total += cps;
        /* One dictionary look-up per word: its meanings, or whether it is a
        ** function word when it has none. */
        uint32_t ids[CONCEPTS_PER_WORD];
        int nc = dl ? hd_dict_concepts(dict, p->lang, t + w->start, w->end - w->start, ids,
                                       CONCEPTS_PER_WORD)
                    : 0;
        int stop = dl && nc == 0 && hd_dict_is_stop(dict, p->lang, t + w->start, w->end - w->start);
        for (int k = 0; k < nc; k++) kb_push(kc, hkey(HD_PV_CONCEPT, &ids[k], sizeof ids[k]));
        if (!stop && (cps >= 3 || (cjk && cps >= 2))) {
            uint64_t wk = word_key(p->lang, stem, f, flen, cjk);
            kb_push(kw, wk);
            wkey[i] = wk;
        }
        /* Across languages, a sentence meets its translation by meaning. */
        if (nc > 0) wkey[i] = hkey(HD_PV_CONCEPT, &ids[0], sizeof ids[0]);
        if (!cjk) add_grams(kg, f, flen);
        /* Names: tagged, or capitalised and not opening the sentence. */
        int opens = si < d->n_sentences && w->start <= d->sentences[si].start + 3;
        size_t nx;
        uint32_t c0 = hd_fx_cp(t, d->text.len, w->start, &nx);
        int tagged = in_mention(d, &mi, w->start, w->end);
        if (tagged || (hd_fx_upper(c0) && !opens && cps >= 3)) {
            hd_str key;
            if (hd_name_latin(tmp, t + w->start, w->end - w->start, &key) == HD_OK &&
                key.len >= 3) {
                size_t kl = key.len < NAME_KEY_BYTES ? key.len : NAME_KEY_BYTES;
                kb_push(kn, hkey(HD_PV_NAME, key.ptr, kl));
            }
        }
    }
    p->style[S_WORDLEN] = words ? (double)letters_total / (double)words : 0;
    p->style[S_WORDS_PER_SENT] = d->n_sentences ? (double)words / (double)d->n_sentences : 0;
    return HD_OK;
}

/* Keys of one sentence for alignment: its words' meanings (or stems) and
** numbers, as build_words found them. */
static int build_sentences(hd_profile *p, const hd_doc *d, const uint32_t *word_sent,
                           const uint64_t *wkey) {
    size_t ns = d->n_sentences < SENT_MAX ? d->n_sentences : SENT_MAX;
    p->sents = ns ? HD_ALLOC(&p->arena, sent, ns) : NULL;
    p->skeys = ns ? HD_ALLOC(&p->arena, uint64_t, ns * SENT_KEYS_MAX) : NULL;
    if (ns && (p->sents == NULL || p->skeys == NULL)) return HD_ENOMEM;
    p->n_sents = (uint32_t)ns;
    for (size_t s = 0; s < ns; s++) {
        p->sents[s].start = d->sentences[s].start;
        p->sents[s].end = d->sentences[s].end;
        p->sents[s].k0 = (uint32_t)(s * SENT_KEYS_MAX);
        p->sents[s].nk = 0;
    }
    for (size_t i = 0; i < d->n_words; i++) {
        uint32_t s = word_sent[i];
        if (s >= ns) break;
        sent *se = &p->sents[s];
        if (se->nk < SENT_KEYS_MAX && wkey[i]) p->skeys[se->k0 + se->nk++] = wkey[i];
    }
    for (size_t s = 0; s < ns; s++) {
        sent *se = &p->sents[s];
        uint64_t *k = p->skeys + se->k0;
        qsort(k, se->nk, sizeof *k, cmp_u64);
        uint32_t u = 0;
        for (uint32_t j = 0; j < se->nk; j++)
            if (u == 0 || k[j] != k[u - 1]) k[u++] = k[j];
        se->nk = u;
    }
    return HD_OK;
}

static void number_key(double v, char *buf, size_t cap) {
    snprintf(buf, cap, "%.3g", v);
}

hd_profile *hd_profile_new(const hd_doc *d, hd_err *err) {
    return hd_profile_build(d, NULL, err);
}

hd_profile *hd_profile_build(const hd_doc *d, const hd_dict *dict, hd_err *err) {
    if (d == NULL || d->text.ptr == NULL) {
        hd_err_set(err, HD_EINVAL, "profile: the article is not analysed");
        return NULL;
    }
    hd_profile *p = hd_calloc(1, sizeof *p);
    if (p == NULL) {
        hd_err_set(err, HD_ENOMEM, NULL);
        return NULL;
    }
    hd_arena_init(&p->arena, 16384, 0);
    hd_arena tmp;
    hd_arena_init(&tmp, 16384, 0);
    keybuf kb[HD_PV_N];
    memset(kb, 0, sizeof kb);
    uint32_t *word_sent = d->n_words ? hd_malloc(d->n_words * sizeof *word_sent) : NULL;
    uint64_t *wkey = d->n_words ? hd_malloc(d->n_words * sizeof *wkey) : NULL;
    size_t label_cap = 0;
    int rc = HD_OK;
    if (d->n_words && (word_sent == NULL || wkey == NULL)) {
        rc = HD_ENOMEM;
        goto done;
    }
    memcpy(p->id, d->id, sizeof p->id);
    p->published = d->published;
    snprintf(p->lang, sizeof p->lang, "%s", d->n_lang ? d->lang[0].code : "und");
    p->text = hd_arena_memdup(&p->arena, d->text.ptr, d->text.len);
    p->text_len = d->text.len;
    if (p->text == NULL) {
        rc = HD_ENOMEM;
        goto done;
    }

    rc = build_words(p, d, dict, &kb[HD_PV_WORD], &kb[HD_PV_GRAM], &kb[HD_PV_NAME], &kb[HD_PV_CONCEPT], &tmp,
                     word_sent, wkey);
    if (rc == HD_OK) rc = build_sentences(p, d, word_sent, wkey);

    for (size_t i = 0; rc == HD_OK && i < d->n_mentions; i++) {
        const hd_mention *m = &d->mentions[i];
        if (!m->entity[0]) continue;
        int kind = m->type == HD_ENT_LOC ? HD_PV_PLACE : HD_PV_ENT;
        uint64_t key = hkey(kind, m->entity, strlen(m->entity));
        kb_push(&kb[kind], key);
        hd_str nm = m->name.ptr ? m->name
                                : (hd_str){d->text.ptr + m->span.start, m->span.end - m->span.start};
        rc = add_label(p, key, nm.ptr, nm.len, &label_cap);
        if (rc == HD_OK && m->country[0]) {
            uint64_t ck = hkey(HD_PV_COUNTRY, m->country, 2);
            kb_push(&kb[HD_PV_COUNTRY], ck);
            rc = add_label(p, ck, m->country, 2, &label_cap);
        }
    }
    for (size_t i = 0; rc == HD_OK && i < d->n_quantities; i++) {
        const hd_quantity *q = &d->quantities[i];
        if (!(q->value == q->value) || (q->value == floor(q->value) && fabs(q->value) <= 10))
            continue;
        char nb[32];
        number_key(q->value, nb, sizeof nb);
        uint64_t key = hkey(HD_PV_NUM, nb, strlen(nb));
        kb_push(&kb[HD_PV_NUM], key);
        rc = add_label(p, key, d->text.ptr + q->start, q->end - q->start, &label_cap);
    }
    for (size_t i = 0; rc == HD_OK && i < d->n_dates; i++) {
        const hd_date_ref *r = &d->dates[i];
        if (r->t == HD_TIME_UNKNOWN) continue;
        int64_t y;
        int mo, dd;
        int64_t days = r->t >= 0 ? r->t / 86400 : -((-r->t + 86399) / 86400);
        hd_fx_civil(days, &y, &mo, &dd);
        char b[40];
        int n;
        const char *lab = d->text.ptr + r->start;
        size_t ll = r->end - r->start;
        if (r->grain == HD_GRAIN_DAY) {
            n = snprintf(b, sizeof b, "%lld-%02d-%02d", (long long)y, mo, dd);
            uint64_t key = hkey(HD_PV_DAY, b, (size_t)n);
            kb_push(&kb[HD_PV_DAY], key);
            rc = add_label(p, key, lab, ll, &label_cap);
        }
        if (rc == HD_OK && r->grain != HD_GRAIN_YEAR) {
            n = snprintf(b, sizeof b, "%lld-%02d", (long long)y, mo);
            uint64_t key = hkey(HD_PV_MONTH, b, (size_t)n);
            kb_push(&kb[HD_PV_MONTH], key);
            if (r->grain != HD_GRAIN_DAY) rc = add_label(p, key, lab, ll, &label_cap);
        }
        if (rc == HD_OK) {
            n = snprintf(b, sizeof b, "%lld", (long long)y);
            uint64_t key = hkey(HD_PV_YEAR, b, (size_t)n);
            kb_push(&kb[HD_PV_YEAR], key);
            if (r->grain == HD_GRAIN_YEAR) rc = add_label(p, key, lab, ll, &label_cap);
        }
    }
    for (int k = 0; rc == HD_OK && k < HD_PV_N; k++) rc = kb_to_vec(&p->arena, &kb[k], &p->v[k]);

    /* Style. */
    if (rc == HD_OK) {
        size_t digits = 0, punct = 0, paras = 1;
        for (size_t i = 0; i < d->text.len; i++) {
            char c = d->text.ptr[i];
            digits += c >= '0' && c <= '9';
            punct += c == '!' || c == '?';
            paras += c == '\n';
        }
        double ns = d->n_sentences ? (double)d->n_sentences : 1.0;
        p->style[S_CHARS] = log1p((double)d->n_chars);
        p->style[S_QUOTES] = (double)d->n_quotes / ns;
        p->style[S_DIGITS] = d->text.len ? (double)digits / (double)d->text.len : 0;
        p->style[S_PUNCT] = (double)punct / ns;
        p->style[S_PARAS] = (double)paras / ns;
    }
    if (rc == HD_OK && p->arena.failed) rc = HD_ENOMEM;
done:
    for (int k = 0; k < HD_PV_N; k++) hd_free(kb[k].k);
    hd_free(word_sent);
    hd_free(wkey);
    hd_arena_fini(&tmp);
    if (rc != HD_OK) {
        hd_err_set(err, rc, "profile of %s: %s", d->id, hd_strerror(rc));
        hd_profile_free(p);
        return NULL;
    }
    return p;
}

void hd_profile_free(hd_profile *p) {
    if (p == NULL) return;
    hd_arena_fini(&p->arena);
    hd_free(p);
}

const char *hd_profile_id(const hd_profile *p) { return p->id; }
const char *hd_profile_lang(const hd_profile *p) { return p->lang; }
int64_t hd_profile_published(const hd_profile *p) { return p->published; }
hd_str hd_profile_text(const hd_profile *p) { return (hd_str){p->text, p->text_len}; }

const hd_term *hd_profile_vec(const hd_profile *p, int kind, uint32_t *n) {
    if (kind < 0 || kind >= HD_PV_N) {
        *n = 0;
        return NULL;
    }
    *n = p->v[kind].n;
    return p->v[kind].t;
}

/*---- synthetic streams (benchmarks) ----*/

static uint64_t mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

hd_profile *hd_profile_perturb(const hd_profile *p, const char *id, uint64_t event, double share,
                               uint64_t salt, double noise) {
    hd_profile *q = hd_calloc(1, sizeof *q);
    if (q == NULL) return NULL;
    hd_arena_init(&q->arena, 4096, 0);
    snprintf(q->id, sizeof q->id, "%s", id);
    memcpy(q->lang, p->lang, sizeof q->lang);
    q->published = p->published;
    memcpy(q->style, p->style, sizeof q->style);
    for (int k = 0; k < HD_PV_N; k++) {
        uint32_t n = p->v[k].n;
        term *t = n ? hd_arena_alloc(&q->arena, n * sizeof *t, _Alignof(term)) : NULL;
        if (n && t == NULL) {
            hd_profile_free(q);
            return NULL;
        }
        for (uint32_t i = 0; i < n; i++) {
            uint64_t key = p->v[k].t[i].key, h = mix64(key ^ mix64(event));
            if ((double)(h >> 11) / 9007199254740992.0 < share) key = mix64(key + event);
            h = mix64(key ^ mix64(salt));
            if ((double)(h >> 11) / 9007199254740992.0 < noise) key = mix64(key + salt);
            t[i].key = key ? key : 1;
            t[i].w = p->v[k].t[i].w;
        }
        qsort(t, n, sizeof *t, cmp_u64); /* the key leads the struct */
        q->v[k].t = t;
        q->v[k].n = n;
    }
    return q;
}

/*---- anchors ----*/

typedef struct ranked {
    uint64_t key;
    float w;
} ranked;

static int cmp_ranked(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    if (x->w != y->w) return x->w > y->w ? -1 : 1;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* Up to `max` terms of vector `v`, most frequent first. */
static int top_terms(const vec *v, uint64_t *out, int max) {
    if (max <= 0 || v->n == 0) return 0;
    if (v->n <= (uint32_t)max) {
        for (uint32_t i = 0; i < v->n; i++) out[i] = v->t[i].key;
        return (int)v->n;
    }
    ranked *r = hd_malloc(v->n * sizeof *r);
    if (r == NULL) return 0;
    for (uint32_t i = 0; i < v->n; i++) r[i].key = v->t[i].key, r[i].w = v->t[i].w;
    qsort(r, v->n, sizeof *r, cmp_ranked);
    for (int i = 0; i < max; i++) out[i] = r[i].key;
    hd_free(r);
    return max;
}

int hd_profile_anchors(const hd_profile *p, uint64_t *out, int max) {
    static const struct {
        int kind, share; /* share of max, in 96ths */
    } plan[] = {
        {HD_PV_ENT, 16}, {HD_PV_PLACE, 8}, {HD_PV_NAME, 16}, {HD_PV_NUM, 8}, {HD_PV_DAY, 4}, {HD_PV_CONCEPT, 28},
        {HD_PV_WORD, 16},
    };
    int n = 0;
    for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++) {
        int want = max * plan[i].share / 96;
        if (want > max - n) want = max - n;
        n += top_terms(&p->v[plan[i].kind], out + n, want);
    }
    return n;
}

/*---- background: document frequencies ----*/

struct hd_background {
    uint64_t *keys; /* 0 = empty slot (a zero hash is remapped to 1) */
    uint32_t *df;
    size_t cap, used;
    uint32_t docs;
};

hd_background *hd_background_new(void) {
    hd_background *bg = hd_calloc(1, sizeof *bg);
    if (bg == NULL) return NULL;
    bg->cap = 1u << 14;
    bg->keys = hd_calloc(bg->cap, sizeof *bg->keys);
    bg->df = hd_calloc(bg->cap, sizeof *bg->df);
    if (bg->keys == NULL || bg->df == NULL) {
        hd_background_free(bg);
        return NULL;
    }
    return bg;
}

void hd_background_free(hd_background *bg) {
    if (bg == NULL) return;
    hd_free(bg->keys);
    hd_free(bg->df);
    hd_free(bg);
}

static size_t bg_slot(const hd_background *bg, uint64_t key) {
    size_t mask = bg->cap - 1, i = (size_t)(key * 0x9E3779B97F4A7C15ull >> 20) & mask;
    while (bg->keys[i] && bg->keys[i] != key) i = (i + 1) & mask;
    return i;
}

static int bg_grow(hd_background *bg) {
    hd_background n = {0};
    n.cap = bg->cap * 2;
    n.keys = hd_calloc(n.cap, sizeof *n.keys);
    n.df = hd_calloc(n.cap, sizeof *n.df);
    if (n.keys == NULL || n.df == NULL) {
        hd_free(n.keys);
        hd_free(n.df);
        return HD_ENOMEM;
    }
    for (size_t i = 0; i < bg->cap; i++)
        if (bg->keys[i]) {
            size_t j = bg_slot(&n, bg->keys[i]);
            n.keys[j] = bg->keys[i];
            n.df[j] = bg->df[i];
        }
    hd_free(bg->keys);
    hd_free(bg->df);
    bg->keys = n.keys;
    bg->df = n.df;
    bg->cap = n.cap;
    return HD_OK;
}

int hd_background_add(hd_background *bg, const hd_profile *p) {
    for (int k = 0; k < HD_PV_N; k++)
        for (uint32_t i = 0; i < p->v[k].n; i++) {
            if ((bg->used + 1) * 4 > bg->cap * 3 && bg_grow(bg) != HD_OK) return HD_ENOMEM;
            uint64_t key = p->v[k].t[i].key ? p->v[k].t[i].key : 1;
            size_t j = bg_slot(bg, key);
            if (!bg->keys[j]) {
                bg->keys[j] = key;
                bg->used++;
            }
            bg->df[j]++;
        }
    bg->docs++;
    return HD_OK;
}

static double idf(const hd_background *bg, uint64_t key) {
    if (bg == NULL || bg->docs == 0) return 1.0;
    if (key == 0) key = 1;
    size_t j = bg_slot(bg, key);
    double df = bg->keys[j] ? bg->df[j] : 0;
    return log((bg->docs + 1.0) / (df + 0.5));
}

/*---- the model ----*/

#define MODEL_MAX_LINE 8192

struct hd_compare_model {
    int n;                            /* features named in the file */
    int map[HD_FEAT_MAX];             /* file column -> feature index */
    double w[HD_DIM_COUNT][HD_FEAT_MAX + 1]; /* intercept, then weights */
    int have[HD_DIM_COUNT];
};

static const char *const dim_names[HD_DIM_COUNT] = {
    "Geography", "Entities", "Time", "Narrative", "Overall", "Style", "Tone"
};

const char *hd_dim_name(int dim) {
    return dim >= 0 && dim < HD_DIM_COUNT ? dim_names[dim] : "?";
}

/* Base features; each appears twice in the vector (one language, two). */
enum {
    F_WORDS, F_GRAMS, F_NAMES, F_ENTS, F_PLACES, F_COUNTRIES, F_NUMS, F_DAYS, F_MONTHS,
    F_YEARS, F_CONCEPTS, F_ALIGN, F_LEN, F_SENTLEN, F_QUOTES, F_DIGITS, F_PUNCT, F_PARAS,
    F_WORDLEN, F_HAVE_PLACES, F_HAVE_DATES, F_HAVE_ENTS, F_BASE_N
};
static const char *const base_names[F_BASE_N] = {
    "words", "grams", "names", "entities", "places", "countries", "numbers", "days",
    "months", "years", "concepts", "aligned", "length_ratio", "sentlen_diff", "quotes_diff",
    "digits_diff", "punct_diff", "paras_diff", "wordlen_diff", "have_places", "have_dates",
    "have_entities"
};
#define N_FEAT (1 + 2 * F_BASE_N)

int hd_compare_n_features(void) { return N_FEAT; }

const char *hd_compare_feature_name(int i) {
    static char names[N_FEAT][40];
    if (i < 0 || i >= N_FEAT) return "?";
    if (i == 0) return "same_lang";
    if (!names[i][0]) {
        int b = (i - 1) % F_BASE_N, cross = (i - 1) / F_BASE_N;
        snprintf(names[i], sizeof names[i], "%s_%s", base_names[b], cross ? "cross" : "mono");
    }
    return names[i];
}

static int feature_index(const char *name) {
    for (int i = 0; i < N_FEAT; i++)
        if (strcmp(hd_compare_feature_name(i), name) == 0) return i;
    return -1;
}

hd_compare_model *hd_compare_model_load(const char *datadir, hd_err *err) {
    char path[4096];
    if (datadir == NULL) datadir = hd_data_dir();
    snprintf(path, sizeof path, "%s/compare.model", datadir);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        hd_err_set(err, HD_EIO, "%s: cannot open the similarity model", path);
        return NULL;
    }
    hd_compare_model *m = hd_calloc(1, sizeof *m);
    char *line = hd_malloc(MODEL_MAX_LINE);
    int rc = m && line ? HD_OK : HD_ENOMEM, lineno = 0;
    if (rc != HD_OK) hd_err_set(err, rc, NULL);
    for (int i = 0; i < HD_FEAT_MAX; i++)
        if (m) m->map[i] = -1;
    while (rc == HD_OK && fgets(line, MODEL_MAX_LINE, f)) {
        lineno++;
        char *save = NULL, *tok = strtok_r(line, " \t\r\n", &save);
        if (tok == NULL || tok[0] == '#') continue;
        if (strcmp(tok, "features") == 0) {
            m->n = 0;
            while ((tok = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
                int fi = feature_index(tok);
                if (fi < 0 || m->n == HD_FEAT_MAX) {
                    rc = hd_err_set(err, HD_EMODEL, "%s:%d: unknown feature '%s'", path, lineno,
                                    tok);
                    break;
                }
                m->map[m->n++] = fi;
            }
            continue;
        }
        int dim = -1;
        for (int k = 0; k < HD_DIM_COUNT; k++)
            if (strcmp(tok, dim_names[k]) == 0) dim = k;
        if (dim < 0) {
            rc = hd_err_set(err, HD_EMODEL, "%s:%d: unknown dimension '%s'", path, lineno, tok);
            break;
        }
        int got = 0;
        while ((tok = strtok_r(NULL, " \t\r\n", &save)) != NULL && got <= m->n) {
            char *end;
            m->w[dim][got++] = strtod(tok, &end);
            if (*end) {
                rc = hd_err_set(err, HD_EMODEL, "%s:%d: bad number '%s'", path, lineno, tok);
                break;
            }
        }
        if (rc == HD_OK && got != m->n + 1)
            rc = hd_err_set(err, HD_EMODEL, "%s:%d: %s has %d weights, want %d", path, lineno,
                            dim_names[dim], got, m->n + 1);
        m->have[dim] = 1;
    }
    fclose(f);
    hd_free(line);
    if (rc == HD_OK && !m->have[HD_DIM_OVERALL])
        rc = hd_err_set(err, HD_EMODEL, "%s: no Overall weights", path);
    if (rc != HD_OK) {
        hd_free(m);
        return NULL;
    }
    return m;
}

void hd_compare_model_free(hd_compare_model *m) { hd_free(m); }

/*---- comparing ----*/

static double cosine(const hd_background *bg, const vec *a, const vec *b) {
    if (a->n == 0 || b->n == 0) return 0;
    double na = 0, nb = 0, dot = 0;
    uint32_t i = 0, j = 0;
    for (uint32_t k = 0; k < a->n; k++) {
        double x = a->t[k].w * idf(bg, a->t[k].key);
        na += x * x;
    }
    for (uint32_t k = 0; k < b->n; k++) {
        double x = b->t[k].w * idf(bg, b->t[k].key);
        nb += x * x;
    }
    while (i < a->n && j < b->n) {
        if (a->t[i].key < b->t[j].key) i++;
        else if (a->t[i].key > b->t[j].key) j++;
        else {
            double w = idf(bg, a->t[i].key);
            dot += a->t[i].w * b->t[j].w * w * w;
            i++, j++;
        }
    }
    return na > 0 && nb > 0 ? dot / sqrt(na * nb) : 0;
}

static double jaccard(const vec *a, const vec *b) {
    if (a->n == 0 || b->n == 0) return 0;
    uint32_t i = 0, j = 0, both = 0;
    while (i < a->n && j < b->n) {
        if (a->t[i].key < b->t[j].key) i++;
        else if (a->t[i].key > b->t[j].key) j++;
        else both++, i++, j++;
    }
    return (double)both / (double)(a->n + b->n - both);
}

static const char *label_of(const hd_profile *p, uint64_t key) {
    for (uint32_t i = 0; i < p->n_labels; i++)
        if (p->labels[i].key == key) return p->labels[i].s;
    return NULL;
}

static void add_ev(hd_comparison *c, int kind, const char *lab, double score) {
    if (c->n_ev == HD_EVIDENCE_MAX || lab == NULL) return;
    for (int i = 0; i < c->n_ev; i++)
        if (c->ev[i].kind == kind && strcmp(c->ev[i].label, lab) == 0) return;
    hd_evidence *e = &c->ev[c->n_ev++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->label = lab;
    e->score = score;
}

/* Shared terms of one kind, rarest first, as evidence. */
static void shared_ev(hd_comparison *c, const hd_background *bg, const hd_profile *a,
                      const hd_profile *b, int vk, int kind, int max) {
    const vec *x = &a->v[vk], *y = &b->v[vk];
    uint64_t best[8];
    double bw[8];
    int n = 0;
    uint32_t i = 0, j = 0;
    while (i < x->n && j < y->n) {
        if (x->t[i].key < y->t[j].key) i++;
        else if (x->t[i].key > y->t[j].key) j++;
        else {
            double w = idf(bg, x->t[i].key) * x->t[i].w;
            int at = n < max ? n++ : max;
            if (at == max && w <= bw[max - 1]) {
                i++, j++;
                continue;
            }
            if (at == max) at = max - 1;
            while (at > 0 && bw[at - 1] < w) {
                best[at] = best[at - 1];
                bw[at] = bw[at - 1];
                at--;
            }
            best[at] = x->t[i].key;
            bw[at] = w;
            i++, j++;
        }
    }
    for (int k = 0; k < n; k++) add_ev(c, kind, label_of(a, best[k]), bw[k]);
}

/* Best-matching sentence pairs by idf-weighted overlap of their keys.
** Returns the mean best match over a's sentences (a narrative feature). */
static double align(hd_comparison *c, const hd_background *bg, const hd_profile *a,
                    const hd_profile *b, int max_ev) {
    if (a->n_sents == 0 || b->n_sents == 0) return 0;
    double total = 0;
    struct {
        uint32_t sa, sb;
        double s;
    } top[3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
    for (uint32_t i = 0; i < a->n_sents; i++) {
        const sent *x = &a->sents[i];
        if (x->nk == 0) continue;
        double nx = 0;
        for (uint32_t k = 0; k < x->nk; k++) nx += idf(bg, a->skeys[x->k0 + k]);
        double best = 0;
        uint32_t bj = 0;
        for (uint32_t j = 0; j < b->n_sents; j++) {
            const sent *y = &b->sents[j];
            if (y->nk == 0) continue;
            double ny = 0, both = 0;
            uint32_t p = 0, q = 0;
            for (uint32_t k = 0; k < y->nk; k++) ny += idf(bg, b->skeys[y->k0 + k]);
            while (p < x->nk && q < y->nk) {
                uint64_t u = a->skeys[x->k0 + p], v = b->skeys[y->k0 + q];
                if (u < v) p++;
                else if (u > v) q++;
                else both += idf(bg, u), p++, q++;
            }
            double s = both > 0 ? both / sqrt(nx * ny) : 0;
            if (s > best) best = s, bj = j;
        }
        total += best;
        for (int t = 0; t < 3; t++)
            if (best > top[t].s) {
                for (int u = 2; u > t; u--) top[u] = top[u - 1];
                top[t].sa = i, top[t].sb = bj, top[t].s = best;
                break;
            }
    }
    for (int t = 0; t < max_ev && t < 3 && c->n_ev < HD_EVIDENCE_MAX; t++) {
        if (top[t].s < 0.3) break;
        hd_evidence *e = &c->ev[c->n_ev++];
        memset(e, 0, sizeof *e);
        e->kind = HD_EV_PASSAGE;
        e->label = "";
        e->a_start = a->sents[top[t].sa].start;
        e->a_end = a->sents[top[t].sa].end;
        e->b_start = b->sents[top[t].sb].start;
        e->b_end = b->sents[top[t].sb].end;
        e->score = top[t].s;
    }
    return total / a->n_sents;
}

static double reldiff(double x, double y) {
    double m = fabs(x) > fabs(y) ? fabs(x) : fabs(y);
    return m > 0 ? fabs(x - y) / m : 0;
}

int hd_compare(const hd_compare_model *m, const hd_background *bg, const hd_profile *a,
               const hd_profile *b, hd_comparison *out) {
    memset(out, 0, sizeof *out);
    double f[F_BASE_N];
    int same = strcmp(a->lang, b->lang) == 0;
    f[F_WORDS] = cosine(bg, &a->v[HD_PV_WORD], &b->v[HD_PV_WORD]);
    f[F_GRAMS] = cosine(bg, &a->v[HD_PV_GRAM], &b->v[HD_PV_GRAM]);
    f[F_NAMES] = cosine(bg, &a->v[HD_PV_NAME], &b->v[HD_PV_NAME]);
    f[F_ENTS] = cosine(bg, &a->v[HD_PV_ENT], &b->v[HD_PV_ENT]);
    f[F_PLACES] = cosine(bg, &a->v[HD_PV_PLACE], &b->v[HD_PV_PLACE]);
    f[F_COUNTRIES] = jaccard(&a->v[HD_PV_COUNTRY], &b->v[HD_PV_COUNTRY]);
    f[F_NUMS] = jaccard(&a->v[HD_PV_NUM], &b->v[HD_PV_NUM]);
    f[F_DAYS] = jaccard(&a->v[HD_PV_DAY], &b->v[HD_PV_DAY]);
    f[F_MONTHS] = jaccard(&a->v[HD_PV_MONTH], &b->v[HD_PV_MONTH]);
    f[F_YEARS] = jaccard(&a->v[HD_PV_YEAR], &b->v[HD_PV_YEAR]);
    f[F_CONCEPTS] = cosine(bg, &a->v[HD_PV_CONCEPT], &b->v[HD_PV_CONCEPT]);

    /* Evidence first (alignment adds passages after the shared terms). */
    shared_ev(out, bg, a, b, HD_PV_ENT, HD_EV_ENTITY, 4);
    shared_ev(out, bg, a, b, HD_PV_PLACE, HD_EV_PLACE, 3);
    shared_ev(out, bg, a, b, HD_PV_DAY, HD_EV_DATE, 1);
    shared_ev(out, bg, a, b, HD_PV_MONTH, HD_EV_DATE, 1);
    shared_ev(out, bg, a, b, HD_PV_NUM, HD_EV_NUMBER, 2);
    double al = align(out, bg, a, b, 2), bl = align(out, bg, b, a, 0);
    f[F_ALIGN] = (al + bl) / 2;

    double la = a->style[S_CHARS], lb = b->style[S_CHARS];
    f[F_LEN] = exp(-fabs(la - lb));
    f[F_SENTLEN] = reldiff(a->style[S_WORDS_PER_SENT], b->style[S_WORDS_PER_SENT]);
    f[F_QUOTES] = fabs(a->style[S_QUOTES] - b->style[S_QUOTES]);
    f[F_DIGITS] = fabs(a->style[S_DIGITS] - b->style[S_DIGITS]) * 10;
    f[F_PUNCT] = fabs(a->style[S_PUNCT] - b->style[S_PUNCT]);
    f[F_PARAS] = fabs(a->style[S_PARAS] - b->style[S_PARAS]);
    f[F_WORDLEN] = reldiff(a->style[S_WORDLEN], b->style[S_WORDLEN]);
    f[F_HAVE_PLACES] = a->v[HD_PV_PLACE].n && b->v[HD_PV_PLACE].n;
    f[F_HAVE_DATES] = a->v[HD_PV_YEAR].n && b->v[HD_PV_YEAR].n;
    f[F_HAVE_ENTS] = a->v[HD_PV_ENT].n && b->v[HD_PV_ENT].n;

    /* Translation: the same names, numbers and meanings in another
    ** language, at a length and sentence count that match. */
    if (!same) {
        double sr = a->n_sents && b->n_sents
                        ? (double)(a->n_sents < b->n_sents ? a->n_sents : b->n_sents) /
                              (double)(a->n_sents > b->n_sents ? a->n_sents : b->n_sents)
                        : 0;
        /* Unweighted cosines: the score must not depend on a collection. */
        double names = cosine(NULL, &a->v[HD_PV_NAME], &b->v[HD_PV_NAME]);
        double concepts = cosine(NULL, &a->v[HD_PV_CONCEPT], &b->v[HD_PV_CONCEPT]);
        double ents = cosine(NULL, &a->v[HD_PV_ENT], &b->v[HD_PV_ENT]);
        double ev = 0.35 * names + 0.2 * concepts + 0.15 * f[F_NUMS] + 0.15 * f[F_ALIGN] +
                    0.15 * ents;
        out->translation = ev * sr * f[F_LEN];
        if (out->translation > 1) out->translation = 1;
    }

    /* Overlaps enter the ratings as square roots: small overlaps already
    ** tell much (measured: Pearson r of Overall +0.008 in cross-validation). */
    for (int i = F_WORDS; i <= F_ALIGN; i++) f[i] = sqrt(f[i] > 0 ? f[i] : 0);

    out->n_feat = N_FEAT;
    out->feat[0] = same;
    for (int i = 0; i < F_BASE_N; i++) {
        out->feat[1 + i] = same ? f[i] : 0;
        out->feat[1 + F_BASE_N + i] = same ? 0 : f[i];
    }

    if (m)
        for (int d = 0; d < HD_DIM_COUNT; d++) {
            if (!m->have[d]) continue;
            double y = m->w[d][0];
            for (int k = 0; k < m->n; k++) y += m->w[d][1 + k] * out->feat[m->map[k]];
            out->dim[d] = y < 1 ? 1 : y > 4 ? 4 : y;
        }
    return HD_OK;
}
