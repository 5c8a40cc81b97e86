/*
** train_dict.c -- compile Debian's FreeDict dictionaries into herald's
** concept table, DATADIR/herald-dict.bin (format in src/dict.h).
**
**   train_dict SHARED DATADIR [DICTD_DIR]
**
** For every language in `langs` below it reads, when installed,
**   freedict-XXX-eng   (forward: headword -> English glosses), and
**   freedict-eng-XXX   (inverted: English headword -> words of XXX),
**   freedict-deu-XXX, XXX-deu, pol-XXX, XXX-pol   (pivots, see below),
** from DICTD_DIR (default /usr/share/dictd; files *.index + *.dict.dz, the
** dictzip body read as plain gzip), and the Snowball stopword list of the
** language from Debian's liblingua-stopwords-perl when it has one.
**
** Every English gloss becomes concepts, one per content word, where a
** concept is the word's Snowball English stem.  Cleaning, in order:
** drop lines that are labels ("see:", "Note:", "Synonyms:"), cross
** references and, for a line starting with a parenthesis, the line unless
** a single word follows the parenthesis ("(female) duck" stays; Polish
** explanatory notes go); drop numbering ("1. "), and text in (), [], <>,
** {}; split on commas and semicolons; in each piece drop English stopwords
** ("to", "a", "the", ...); a piece with one or two content words gives
** those words ("to go (somewhere)" -> go; "eel smokery" -> eel, smokeri),
** a longer one is a paraphrase and is dropped, and one with none is a
** function-word sense.  A headword whose first sense is a function-word
** sense is a function word ("der" -> the), as is every word of the
** language's stopword list; function words get no concepts.
**
** Headwords are keyed by hd_dict_key (folded, stemmed, diacritics
** stripped), so look-ups find inflected forms.  Multiword headwords are
** kept only when they have a single non-stopword ("sich erinnern").  A key
** keeps at most HD_DICT_IDS_MAX concepts, forward senses before inverted
** ones, each in dictionary order.  Missing packages are reported on stderr
** and skipped; the build goes on with what is installed.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>
#include <xxhash.h>
#include <zlib.h>

#include "dict.h"
#include "stem.h"

#define DICTD_DIR "/usr/share/dictd"
#define STOPWORDS_DIR "/usr/share/perl5/Lingua/StopWords"
#define DICT_BODY_MAX (1u << 30) /* bytes of one decompressed dictionary */
#define PIECE_WORDS_MAX 8
#define GLOSS_CONTENT_MAX 2      /* content words of a gloss that is kept */

/* ISO 639-3 as FreeDict names it, ISO 639-1 as herald does, and the
** Snowball stopword list (Lingua::StopWords module name) if there is one. */
static const struct {
    const char *iso3, *iso1, *stop;
} langs[] = {
    {"afr", "af", NULL}, {"ara", "ar", NULL}, {"bul", "bg", NULL}, {"ces", "cs", NULL},
    {"cym", "cy", NULL}, {"dan", "da", "DA"}, {"deu", "de", "DE"}, {"ell", "el", NULL},
    {"epo", "eo", NULL}, {"fin", "fi", "FI"}, {"fra", "fr", "FR"}, {"gle", "ga", NULL},
    {"hin", "hi", NULL}, {"hrv", "hr", NULL}, {"hun", "hu", "HU"}, {"ind", "id", "ID"},
    {"isl", "is", NULL}, {"ita", "it", "IT"}, {"jpn", "ja", NULL}, {"kur", "ku", NULL},
    {"lat", "la", NULL}, {"lit", "lt", NULL}, {"nld", "nl", "NL"}, {"nor", "no", "NO"},
    {"pol", "pl", NULL}, {"por", "pt", "PT"}, {"rus", "ru", "RU"}, {"slk", "sk", NULL},
    {"slv", "sl", NULL}, {"spa", "es", "ES"}, {"srp", "sr", NULL}, {"swe", "sv", "SV"},
    {"swh", "sw", NULL}, {"tur", "tr", NULL},
};
#define NLANGS (sizeof langs / sizeof langs[0])

/*---- small helpers ----------------------------------------------------------*/

static void die(const char *what) {
    fprintf(stderr, "train_dict: %s\n", what);
    exit(1);
}

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) die("out of memory");
    return q;
}

#define GROW(arr, n, cap)                                                   \
    do {                                                                    \
        if ((n) == (cap)) {                                                 \
            (cap) = (cap) ? (cap) * 2 : 1024;                               \
            (arr) = xrealloc((arr), (cap) * sizeof *(arr));                 \
        }                                                                   \
    } while (0)

/* Interned strings: open addressing on XXH3, ids in insertion order. */
typedef struct strtab {
    char *pool;
    size_t pool_len, pool_cap;
    uint32_t *off, *len;
    uint32_t n, cap;
    uint32_t *slot; /* id + 1, 0 = empty */
    size_t nslot;
} strtab;

static uint32_t st_find(strtab *t, const char *s, size_t len, int add) {
    if (t->nslot == 0 || (size_t)t->n * 2 >= t->nslot) {
        size_t ns = t->nslot ? t->nslot * 2 : 4096;
        uint32_t *slot = calloc(ns, sizeof *slot);
        if (slot == NULL) die("out of memory");
        for (uint32_t id = 0; id < t->n; id++) {
            size_t h = XXH3_64bits(t->pool + t->off[id], t->len[id]) & (ns - 1);
            while (slot[h]) h = (h + 1) & (ns - 1);
            slot[h] = id + 1;
        }
        free(t->slot);
        t->slot = slot;
        t->nslot = ns;
    }
    size_t h = XXH3_64bits(s, len) & (t->nslot - 1);
    while (t->slot[h]) {
        uint32_t id = t->slot[h] - 1;
        if (t->len[id] == len && memcmp(t->pool + t->off[id], s, len) == 0) return id;
        h = (h + 1) & (t->nslot - 1);
    }
    if (!add) return UINT32_MAX;
    while (t->pool_len + len + 1 > t->pool_cap) {
        t->pool_cap = t->pool_cap ? t->pool_cap * 2 : 1 << 20;
        t->pool = xrealloc(t->pool, t->pool_cap);
    }
    memcpy(t->pool + t->pool_len, s, len);
    t->pool[t->pool_len + len] = '\0';
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->off = xrealloc(t->off, t->cap * sizeof *t->off);
        t->len = xrealloc(t->len, t->cap * sizeof *t->len);
    }
    t->off[t->n] = (uint32_t)t->pool_len;
    t->len[t->n] = (uint32_t)len;
    t->pool_len += len + 1;
    t->slot[h] = t->n + 1;
    return t->n++;
}

static const char *st_str(const strtab *t, uint32_t id) {
    return t->pool + t->off[id];
}

/*---- the collected mappings ---------------------------------------------*/

enum { REC_CONCEPT, REC_STOP_LIST, REC_STOP_SENSE };

typedef struct rec {
    uint32_t key;     /* id in `keys` ("lang\1key") */
    uint32_t concept; /* id in `concepts` (REC_CONCEPT) */
    uint32_t rank;    /* order of appearance; inverted entries after forward */
    uint32_t kind;
} rec;

static strtab keys, concepts, surfaces, stops;
static uint32_t *key_lang; /* language index per key id (NLANGS = English) */
static uint32_t key_lang_cap;
static rec *recs;
static size_t nrec, rec_cap;
static uint32_t rank_fwd, rank_inv = 1u << 30, rank_piv = 1u << 31;
static uint32_t *surf_count, surf_count_cap; /* per "stem\1surface" id */

static uint32_t key_id(size_t li, const char *key, size_t klen) {
    char buf[8 + HD_DICT_KEY_MAX];
    const char *code = li < NLANGS ? langs[li].iso1 : "en";
    size_t cl = strlen(code);
    memcpy(buf, code, cl);
    buf[cl] = '\1';
    memcpy(buf + cl + 1, key, klen);
    uint32_t id = st_find(&keys, buf, cl + 1 + klen, 1);
    while (id >= key_lang_cap) {
        key_lang_cap = key_lang_cap ? key_lang_cap * 2 : 1024;
        key_lang = xrealloc(key_lang, key_lang_cap * sizeof *key_lang);
    }
    key_lang[id] = (uint32_t)li;
    return id;
}

static void add_rec(uint32_t key, uint32_t concept, uint32_t rank, uint32_t kind) {
    GROW(recs, nrec, rec_cap);
    recs[nrec++] = (rec){key, concept, rank, kind};
}

static int is_stop(size_t li, const char *folded, size_t len) {
    char buf[8 + HD_DICT_KEY_MAX];
    const char *code = li < NLANGS ? langs[li].iso1 : "en";
    size_t cl = strlen(code);
    if (len > HD_DICT_KEY_MAX) return 0;
    memcpy(buf, code, cl);
    buf[cl] = '\1';
    memcpy(buf + cl + 1, folded, len);
    return st_find(&stops, buf, cl + 1 + len, 0) != UINT32_MAX;
}

/*---- reading files ----------------------------------------------------------*/

static char *read_gz(const char *path, size_t *len) {
    gzFile f = gzopen(path, "rb");
    if (f == NULL) return NULL;
    size_t n = 0, cap = 1 << 20;
    char *buf = xrealloc(NULL, cap);
    for (;;) {
        if (n == cap) {
            if (cap >= DICT_BODY_MAX) break;
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        int r = gzread(f, buf + n, (unsigned)(cap - n));
        if (r <= 0) break;
        n += (size_t)r;
    }
    gzclose(f);
    *len = n;
    return buf;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t n = 0, cap = 1 << 16;
    char *buf = xrealloc(NULL, cap + 1);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap + 1);
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* A dictd index number: base64 digits, most significant first. */
static int b64num(const char *s, const char *end, uint64_t *out) {
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint64_t v = 0;
    if (s == end) return 0;
    for (; s < end; s++) {
        const char *p = memchr(digits, *s, 64);
        if (p == NULL || v >> 50) return 0;
        v = v * 64 + (uint64_t)(p - digits);
    }
    *out = v;
    return 1;
}

typedef struct span {
    uint64_t off, len;
} span;

static int span_cmp(const void *a, const void *b) {
    const span *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* The distinct entries of an index file (dictd's own "00..." entries
** excluded), sorted by offset. */
static span *read_index(const char *path, size_t *count) {
    size_t len;
    char *idx = read_file(path, &len);
    if (idx == NULL) return NULL;
    span *v = NULL;
    size_t n = 0, cap = 0;
    for (char *line = idx; line < idx + len;) {
        char *eol = memchr(line, '\n', (size_t)(idx + len - line));
        if (eol == NULL) eol = idx + len;
        char *t1 = memchr(line, '\t', (size_t)(eol - line));
        char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(eol - t1 - 1)) : NULL;
        span s;
        if (t2 && !(line[0] == '0' && line[1] == '0') && b64num(t1 + 1, t2, &s.off) &&
            b64num(t2 + 1, eol, &s.len)) {
            GROW(v, n, cap);
            v[n++] = s;
        }
        line = eol + 1;
    }
    free(idx);
    if (n == 0) {
        *count = 0;
        return v;
    }
    qsort(v, n, sizeof *v, span_cmp);
    size_t m = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i].off != v[m - 1].off) v[m++] = v[i];
    *count = m;
    return v;
}

/*---- gloss cleaning -------------------------------------------------------*/

/* Copy `s[0..n)` to `out` without bracketed text ((), [], <>, {}) and, for
** a headword line, without /phonetic/ spans.  Returns the length. */
static size_t strip_brackets(const char *s, size_t n, int headword, char *out) {
    size_t o = 0;
    int depth = 0, ipa = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (headword && c == '/' && depth == 0) {
            ipa = !ipa;
            continue;
        }
        if (ipa) continue;
        if (c == '(' || c == '[' || c == '<' || c == '{') {
            depth++;
            continue;
        }
        if ((c == ')' || c == ']' || c == '>' || c == '}') && depth > 0) {
            depth--;
            continue;
        }
        if (depth == 0) out[o++] = c;
    }
    out[o] = '\0';
    return o;
}

typedef struct word {
    const char *p;
    size_t len;
} word;

/* Split `s[0..n)` into words (letters, marks, digits, inner apostrophes);
** returns the count, or PIECE_WORDS_MAX + 1 when there are more. */
static int split_words(const char *s, size_t n, word *w) {
    int nw = 0;
    size_t i = 0;
    while (i < n) {
        size_t start = i, end = i;
        int inword = 0;
        while (i < n) {
            utf8proc_int32_t c;
            utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                  (utf8proc_ssize_t)(n - i), &c);
            if (k <= 0) {
                i++;
                break;
            }
            utf8proc_category_t cat = utf8proc_category(c);
            int wordch = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ND) ||
                         (inword && (c == '\'' || c == 0x2019));
            if (!wordch) {
                if (!inword) {
                    i += (size_t)k;
                    start = i;
                    continue;
                }
                break;
            }
            inword = 1;
            i += (size_t)k;
            end = i;
        }
        if (end > start) {
            if (nw == PIECE_WORDS_MAX) return PIECE_WORDS_MAX + 1;
            w[nw].p = s + start;
            w[nw].len = end - start;
            nw++;
        }
    }
    return nw;
}

static int has_letter(const char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0) return 0;
        utf8proc_category_t cat = utf8proc_category(c);
        if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) return 1;
        i += (size_t)k;
    }
    return 0;
}

/* The concepts of one English phrase, appended to `ids` (no duplicates).
** Returns the number of content words, or -1 for a paraphrase (too many). */
static int phrase_concepts(const char *s, size_t n, uint32_t *ids, int *nids) {
    word w[PIECE_WORDS_MAX];
    int nw = split_words(s, n, w);
    if (nw > PIECE_WORDS_MAX) return -1;
    uint32_t cand[PIECE_WORDS_MAX];
    int nc = 0;
    for (int i = 0; i < nw; i++) {
        if (!has_letter(w[i].p, w[i].len)) continue;
        char folded[HD_DICT_KEY_MAX], stem[HD_DICT_KEY_MAX];
        size_t fl = hd_dict_key("en", 0, w[i].p, w[i].len, folded, sizeof folded);
        if (fl == 0 || is_stop(NLANGS, folded, fl)) continue;
        size_t sl = hd_dict_key("en", 1, w[i].p, w[i].len, stem, sizeof stem);
        if (sl == 0) continue;
        cand[nc++] = st_find(&concepts, stem, sl, 1);
        /* Count the surface form for the concept's readable name. */
        char pair[2 * HD_DICT_KEY_MAX + 1];
        memcpy(pair, stem, sl);
        pair[sl] = '\1';
        memcpy(pair + sl + 1, folded, fl);
        uint32_t sid = st_find(&surfaces, pair, sl + 1 + fl, 1);
        while (sid >= surf_count_cap) {
            uint32_t old = surf_count_cap;
            surf_count_cap = surf_count_cap ? surf_count_cap * 2 : 1024;
            surf_count = xrealloc(surf_count, surf_count_cap * sizeof *surf_count);
            memset(surf_count + old, 0, (surf_count_cap - old) * sizeof *surf_count);
        }
        surf_count[sid]++;
    }
    if (nc > GLOSS_CONTENT_MAX) return -1;
    for (int i = 0; i < nc; i++) {
        int dup = 0;
        for (int j = 0; j < *nids; j++) dup |= ids[j] == cand[i];
        if (!dup && *nids < 64) ids[(*nids)++] = cand[i];
    }
    return nc;
}

/* The key of a word or short phrase of language `li`: the phrase's one
** non-stopword (at most three words in all).  0 when there is none. */
static size_t phrase_key(size_t li, const char *s, size_t n, char *key, size_t cap) {
    word w[PIECE_WORDS_MAX];
    int nw = split_words(s, n, w);
    if (nw == 0 || nw > 3) return 0;
    int content = -1;
    for (int i = 0; i < nw; i++) {
        char folded[HD_DICT_KEY_MAX];
        size_t fl = hd_dict_key(langs[li].iso1, 0, w[i].p, w[i].len, folded, sizeof folded);
        if (fl == 0) return 0;
        if (nw > 1 && is_stop(li, folded, fl)) continue;
        if (content >= 0) return 0;
        content = i;
    }
    if (content < 0) return 0;
    return hd_dict_key(langs[li].iso1, hd_stem_has(langs[li].iso1), w[content].p,
                       w[content].len, key, cap);
}

/* Is the (trimmed) line a label line such as "see: {...}" or "Note: ..."? */
static int is_label_line(const char *s, size_t n) {
    for (size_t i = 0; i < n && i < 16; i++) {
        char c = s[i];
        if (c == ':') return i > 0;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ' ')) return 0;
    }
    return 0;
}

/* Visit the gloss pieces of an entry body (the lines after the headword
** line), calling `fn` on each piece after cleaning. */
typedef void (*piece_fn)(const char *s, size_t n, int first, void *ud);

static void each_piece(const char *body, size_t n, piece_fn fn, void *ud) {
    int first = 1;
    char *buf = xrealloc(NULL, n + 1);
    for (const char *line = body; line < body + n;) {
        const char *eol = memchr(line, '\n', (size_t)(body + n - line));
        if (eol == NULL) eol = body + n;
        const char *s = line, *e = eol;
        line = eol + 1;
        while (s < e && (*s == ' ' || *s == '\t')) s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
        if (s == e || is_label_line(s, (size_t)(e - s))) continue;
        const char *d = s; /* numbering: "1. " */
        while (d < e && *d >= '0' && *d <= '9') d++;
        if (d > s && d < e && *d == '.') s = d + 1;
        int paren = s < e && *s == '(';
        size_t len = strip_brackets(s, (size_t)(e - s), 0, buf);
        if (paren) {
            word w[PIECE_WORDS_MAX];
            if (split_words(buf, len, w) != 1) continue; /* an explanatory note */
        }
        for (size_t i = 0; i < len;) {
            size_t j = i;
            while (j < len && buf[j] != ',' && buf[j] != ';') j++;
            fn(buf + i, j - i, first, ud);
            first = 0;
            i = j + 1;
        }
    }
    free(buf);
}

/*---- forward dictionaries: XXX-eng ------------------------------------------*/

typedef struct fwd_ctx {
    uint32_t ids[64];
    int nids;
    int first_is_stop;
} fwd_ctx;

static void fwd_piece(const char *s, size_t n, int first, void *ud) {
    fwd_ctx *c = ud;
    word w[PIECE_WORDS_MAX];
    if (split_words(s, n, w) == 0) return;
    int nc = phrase_concepts(s, n, c->ids, &c->nids);
    if (first && nc == 0) c->first_is_stop = 1;
}

static void forward_entry(size_t li, const char *e, size_t n) {
    const char *eol = memchr(e, '\n', n);
    size_t hl = eol ? (size_t)(eol - e) : n;
    fwd_ctx c = {.nids = 0};
    each_piece(e + hl, n - hl, fwd_piece, &c);
    char *head = xrealloc(NULL, hl + 1);
    size_t len = strip_brackets(e, hl, 1, head);
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && head[j] != ',') j++;
        char key[HD_DICT_KEY_MAX];
        size_t kl = phrase_key(li, head + i, j - i, key, sizeof key);
        if (kl > 0) {
            uint32_t k = key_id(li, key, kl);
            word w[PIECE_WORDS_MAX];
            if (c.first_is_stop && split_words(head + i, j - i, w) == 1)
                add_rec(k, 0, rank_fwd++, REC_STOP_SENSE);
            for (int m = 0; m < c.nids; m++) add_rec(k, c.ids[m], rank_fwd++, REC_CONCEPT);
        }
        i = j + 1;
    }
    free(head);
}

/*---- inverted dictionaries: eng-XXX -----------------------------------------*/

typedef struct inv_ctx {
    size_t li;
    const uint32_t *ids;
    int nids;
} inv_ctx;

static void inv_piece(const char *s, size_t n, int first, void *ud) {
    (void)first;
    inv_ctx *c = ud;
    char key[HD_DICT_KEY_MAX];
    size_t kl = phrase_key(c->li, s, n, key, sizeof key);
    if (kl == 0) return;
    uint32_t k = key_id(c->li, key, kl);
    for (int m = 0; m < c->nids; m++) add_rec(k, c->ids[m], rank_inv++, REC_CONCEPT);
}

static void inverse_entry(size_t li, const char *e, size_t n) {
    const char *eol = memchr(e, '\n', n);
    size_t hl = eol ? (size_t)(eol - e) : n;
    char *head = xrealloc(NULL, hl + 1);
    size_t len = strip_brackets(e, hl, 1, head);
    uint32_t ids[64];
    int nids = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && head[j] != ',') j++;
        phrase_concepts(head + i, j - i, ids, &nids);
        i = j + 1;
    }
    free(head);
    if (nids == 0) return;
    inv_ctx c = {li, ids, nids};
    each_piece(e + hl, n - hl, inv_piece, &c);
}

/* Read one dictionary; 1 if it was there. */
static int read_dict(const char *dir, const char *name, size_t li, int inverse) {
    char path[4096];
    snprintf(path, sizeof path, "%s/freedict-%s.index", dir, name);
    size_t ne;
    span *ent = read_index(path, &ne);
    if (ent == NULL) return 0;
    snprintf(path, sizeof path, "%s/freedict-%s.dict.dz", dir, name);
    size_t blen;
    char *body = read_gz(path, &blen);
    if (body == NULL) {
        free(ent);
        return 0;
    }
    size_t used = 0;
    for (size_t i = 0; i < ne; i++) {
        if (ent[i].off > blen || ent[i].len > blen - ent[i].off) continue;
        if (inverse) inverse_entry(li, body + ent[i].off, ent[i].len);
        else forward_entry(li, body + ent[i].off, ent[i].len);
        used++;
    }
    fprintf(stderr, "train_dict: %-8s %7zu entries\n", name, used);
    free(ent);
    free(body);
    return 1;
}

/*---- pivot dictionaries: deu-XXX and XXX-deu ------------------------------*/

/* German and Polish have FreeDict's largest English dictionaries, and
** several languages have larger German or Polish dictionaries than English
** ones (Italian: 3,400 English entries; Spanish 4,500; Russian 1,700).  A
** word of such a language inherits the first PIVOT_SENSES concepts of each
** pivot-language word it translates, ranked after every direct mapping.
** Pivot words are looked up in the direct mappings only, never in other
** pivoted ones, so errors do not compound over two hops. */
#define PIVOT_SENSES 3
#define PIVOT_KEYS 16

static size_t *direct_first; /* per key id: first rec (recs sorted) */
static uint32_t direct_nkeys;

static int cmp_recs(const void *a, const void *b);

static void index_direct(void) {
    qsort(recs, nrec, sizeof *recs, cmp_recs);
    direct_nkeys = keys.n;
    direct_first = xrealloc(NULL, (keys.n + 1) * sizeof *direct_first);
    for (size_t i = 0, r = 0; i <= keys.n; i++) {
        while (r < nrec && recs[r].key < i) r++;
        direct_first[i] = r;
    }
}

/* Append the first senses of German key `k` to `ids`. */
static void german_senses(uint32_t k, uint32_t *ids, int *nids) {
    if (k >= direct_nkeys) return;
    size_t r0 = direct_first[k], r1 = direct_first[k + 1];
    if (r0 == r1 || recs[r0].kind != REC_CONCEPT) return; /* unknown or function word */
    for (size_t r = r0, taken = 0; r < r1 && taken < PIVOT_SENSES; r++) {
        int dup = 0;
        for (int j = 0; j < *nids; j++) dup |= ids[j] == recs[r].concept;
        if (dup) continue;
        taken++;
        if (*nids < HD_DICT_IDS_MAX) ids[(*nids)++] = recs[r].concept;
    }
}

typedef struct keylist {
    size_t li;
    uint32_t k[PIVOT_KEYS];
    int n;
} keylist;

static void keylist_add(keylist *l, const char *s, size_t n, int add) {
    char key[HD_DICT_KEY_MAX];
    size_t kl = phrase_key(l->li, s, n, key, sizeof key);
    if (kl == 0 || l->n == PIVOT_KEYS) return;
    if (add) {
        l->k[l->n++] = key_id(l->li, key, kl);
        return;
    }
    char buf[8 + HD_DICT_KEY_MAX];
    size_t cl = strlen(langs[l->li].iso1);
    memcpy(buf, langs[l->li].iso1, cl);
    buf[cl] = '\1';
    memcpy(buf + cl + 1, key, kl);
    uint32_t id = st_find(&keys, buf, cl + 1 + kl, 0);
    if (id != UINT32_MAX) l->k[l->n++] = id;
}

typedef struct pivot_ctx {
    keylist *body;
    int add;
} pivot_ctx;

static void pivot_piece(const char *s, size_t n, int first, void *ud) {
    (void)first;
    pivot_ctx *c = ud;
    keylist_add(c->body, s, n, c->add);
}

/* One entry of a pivot (`de`) <-> `x` dictionary; `x_is_head` when the
** headword is the `x` side. */
static void pivot_entry(size_t de, size_t x, int x_is_head, const char *e, size_t n) {
    const char *eol = memchr(e, '\n', n);
    size_t hl = eol ? (size_t)(eol - e) : n;
    keylist head = {x_is_head ? x : de, {0}, 0}, body = {x_is_head ? de : x, {0}, 0};
    pivot_ctx c = {&body, !x_is_head};
    each_piece(e + hl, n - hl, pivot_piece, &c);
    char *h = xrealloc(NULL, hl + 1);
    size_t len = strip_brackets(e, hl, 1, h);
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && h[j] != ',') j++;
        keylist_add(&head, h + i, j - i, x_is_head);
        i = j + 1;
    }
    free(h);
    keylist *g = x_is_head ? &body : &head, *xs = x_is_head ? &head : &body;
    uint32_t ids[HD_DICT_IDS_MAX];
    int nids = 0;
    for (int i = 0; i < g->n; i++) german_senses(g->k[i], ids, &nids);
    for (int i = 0; i < xs->n; i++)
        for (int m = 0; m < nids; m++) add_rec(xs->k[i], ids[m], rank_piv++, REC_CONCEPT);
}

static int read_pivot(const char *dir, size_t de, size_t x, int x_is_head) {
    char name[16], path[4096];
    if (x_is_head) snprintf(name, sizeof name, "%s-%s", langs[x].iso3, langs[de].iso3);
    else snprintf(name, sizeof name, "%s-%s", langs[de].iso3, langs[x].iso3);
    snprintf(path, sizeof path, "%s/freedict-%s.index", dir, name);
    size_t ne;
    span *ent = read_index(path, &ne);
    if (ent == NULL) return 0;
    snprintf(path, sizeof path, "%s/freedict-%s.dict.dz", dir, name);
    size_t blen;
    char *body = read_gz(path, &blen);
    if (body == NULL) {
        free(ent);
        return 0;
    }
    size_t used = 0;
    for (size_t i = 0; i < ne; i++) {
        if (ent[i].off > blen || ent[i].len > blen - ent[i].off) continue;
        pivot_entry(de, x, x_is_head, body + ent[i].off, ent[i].len);
        used++;
    }
    fprintf(stderr, "train_dict: %-8s %7zu entries (pivot)\n", name, used);
    free(ent);
    free(body);
    return 1;
}

/* Snowball's stopwords for language `li` (NLANGS: English) from the Perl
** module's qw( ... ) list: each becomes a stop key and, for the English
** glosses, a word to drop. */
static int read_stopwords(size_t li, const char *module) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.pm", STOPWORDS_DIR, module);
    size_t len;
    char *src = read_file(path, &len);
    if (src == NULL) return 0;
    const char *p = strstr(src, "sub _stopwords");
    p = p ? strstr(p, "qw(") : NULL;
    const char *end = p ? strchr(p, ')') : NULL;
    const char *code = li < NLANGS ? langs[li].iso1 : "en";
    int n = 0;
    for (p = p ? p + 3 : NULL; p && p < end;) {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\t')) p++;
        const char *s = p;
        while (p < end && *p != ' ' && *p != '\n' && *p != '\t') p++;
        if (p == s) break;
        char folded[HD_DICT_KEY_MAX], key[HD_DICT_KEY_MAX], buf[8 + HD_DICT_KEY_MAX];
        size_t fl = hd_dict_key(code, 0, s, (size_t)(p - s), folded, sizeof folded);
        size_t kl = hd_dict_key(code, hd_stem_has(code), s, (size_t)(p - s), key, sizeof key);
        if (fl == 0 || kl == 0) continue;
        size_t cl = strlen(code);
        memcpy(buf, code, cl);
        buf[cl] = '\1';
        memcpy(buf + cl + 1, folded, fl);
        st_find(&stops, buf, cl + 1 + fl, 1);
        add_rec(key_id(li, key, kl), 0, 0, REC_STOP_LIST);
        n++;
    }
    free(src);
    return n > 0;
}

/*---- output ------------------------------------------------------------------*/

static const strtab *sort_tab;

/* Keys are "ll\1bytes" with two-letter codes, so comparing the whole
** strings groups them by language and sorts each language's keys by
** (bytes, length), the order hd_dict's binary search expects. */
static int cmp_key_ids(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    size_t lx = sort_tab->len[x], ly = sort_tab->len[y];
    int c = memcmp(st_str(sort_tab, x), st_str(sort_tab, y), lx < ly ? lx : ly);
    return c ? c : (lx < ly ? -1 : lx > ly);
}

static int cmp_names(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return strcmp(st_str(sort_tab, x), st_str(sort_tab, y));
}

static int cmp_recs(const void *a, const void *b) {
    const rec *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    if (x->kind != y->kind) return x->kind > y->kind ? -1 : 1; /* stops first */
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

typedef struct out {
    char *b;
    size_t n, cap;
} out;

static void put(out *o, const void *p, size_t n) {
    while (o->n + n > o->cap) {
        o->cap = o->cap ? o->cap * 2 : 1 << 20;
        o->b = xrealloc(o->b, o->cap);
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static uint32_t pool_add(out *pool, const char *s, size_t n) {
    uint32_t off = (uint32_t)pool->n;
    put(pool, s, n);
    put(pool, "", 1);
    return off;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: train_dict SHARED DATADIR [DICTD_DIR]\n");
        return 2;
    }
    const char *dir = argc > 3 ? argv[3] : DICTD_DIR;
    if (!read_stopwords(NLANGS, "EN"))
        fprintf(stderr, "train_dict: no English stopwords (liblingua-stopwords-perl); "
                        "glosses keep function words\n");

    char missing[2048] = "";
    for (size_t li = 0; li < NLANGS; li++) {
        if (langs[li].stop) read_stopwords(li, langs[li].stop);
        char name[16];
        snprintf(name, sizeof name, "%s-eng", langs[li].iso3);
        int f = read_dict(dir, name, li, 0);
        snprintf(name, sizeof name, "eng-%s", langs[li].iso3);
        int v = read_dict(dir, name, li, 1);
        if (!f && !v && strlen(missing) + 40 < sizeof missing) {
            strcat(missing, " ");
            strcat(missing, langs[li].iso3);
        }
    }
    static const char *const pivots[] = {"deu", "pol"};
    index_direct();
    for (size_t p = 0; p < sizeof pivots / sizeof pivots[0]; p++) {
        size_t pv = 0;
        while (pv < NLANGS && strcmp(langs[pv].iso3, pivots[p]) != 0) pv++;
        for (size_t li = 0; li < NLANGS; li++) {
            if (li == pv || strcmp(langs[li].iso3, pivots[0]) == 0) continue;
            read_pivot(dir, pv, li, 1);
            read_pivot(dir, pv, li, 0);
        }
    }
    free(direct_first);

    if (missing[0])
        fprintf(stderr, "train_dict: not installed (dict-freedict-XXX-eng/eng-XXX):%s\n",
                missing);

    /* English: every concept is its own key. */
    for (uint32_t c = 0; c < concepts.n; c++)
        add_rec(key_id(NLANGS, st_str(&concepts, c), concepts.len[c]), c, 0, REC_CONCEPT);

    /* Concept ids in name order. */
    uint32_t nconc = concepts.n;
    uint32_t *order = xrealloc(NULL, nconc * sizeof *order);
    uint32_t *newid = xrealloc(NULL, nconc * sizeof *newid);
    for (uint32_t i = 0; i < nconc; i++) order[i] = i;
    sort_tab = &concepts;
    qsort(order, nconc, sizeof *order, cmp_names);
    for (uint32_t i = 0; i < nconc; i++) newid[order[i]] = i;

    /* Readable word per concept: its most frequent surface form. */
    uint32_t *best = calloc(nconc + 1, sizeof *best), *best_n = calloc(nconc + 1, sizeof *best_n);
    if (best == NULL || best_n == NULL) die("out of memory");
    for (uint32_t s = 0; s < surfaces.n; s++) {
        const char *p = st_str(&surfaces, s);
        const char *sep = strchr(p, '\1');
        uint32_t c = st_find(&concepts, p, (size_t)(sep - p), 0);
        if (c != UINT32_MAX && surf_count[s] > best_n[c]) {
            best_n[c] = surf_count[s];
            best[c] = s;
        }
    }

    /* Group the records by key. */
    qsort(recs, nrec, sizeof *recs, cmp_recs);
    size_t *first_rec = xrealloc(NULL, (keys.n + 1) * sizeof *first_rec);
    for (size_t i = 0, r = 0; i <= keys.n; i++) {
        while (r < nrec && recs[r].key < i) r++;
        first_rec[i] = r;
    }
    uint32_t *korder = xrealloc(NULL, keys.n * sizeof *korder);
    for (uint32_t i = 0; i < keys.n; i++) korder[i] = i;
    sort_tab = &keys;
    qsort(korder, keys.n, sizeof *korder, cmp_key_ids);

    out pool = {0}, keyrecs = {0}, ids = {0};
    uint32_t *df = calloc(nconc + 1, sizeof *df);
    if (df == NULL) die("out of memory");
    hd_dict_lang_rec lrec[NLANGS + 1];
    memset(lrec, 0, sizeof lrec);
    uint32_t nlang = 0, nkey = 0, nid = 0, nhead = 0;
    size_t ki = 0;
    /* Languages come out in the keys' sort order (by code). */
    for (; ki < keys.n;) {
        uint32_t li = key_lang[korder[ki]];
        hd_dict_lang_rec *L = &lrec[nlang];
        snprintf(L->code, sizeof L->code, "%s", li < NLANGS ? langs[li].iso1 : "en");
        L->first = nkey;
        L->flags = hd_stem_has(L->code) ? HD_DICT_LANG_STEMMED : 0;
        nlang++;
        for (; ki < keys.n && key_lang[korder[ki]] == li; ki++) {
            uint32_t k = korder[ki];
            size_t r0 = first_rec[k], r1 = first_rec[k + 1];
            if (r0 == r1) continue;
            const char *s = st_str(&keys, k);
            const char *kb = strchr(s, '\1') + 1;
            size_t kl = keys.len[k] - (size_t)(kb - s);
            hd_dict_key_rec kr = {0};
            if (recs[r0].kind != REC_CONCEPT) {
                kr.flags = HD_DICT_KEY_STOP;
            } else {
                uint32_t kept[HD_DICT_IDS_MAX];
                kr.ids = nid;
                for (size_t r = r0; r < r1 && kr.nids < HD_DICT_IDS_MAX; r++) {
                    uint32_t c = newid[recs[r].concept];
                    int dup = 0;
                    for (uint32_t j = 0; j < kr.nids; j++) dup |= kept[j] == c;
                    if (dup) continue;
                    kept[kr.nids++] = c;
                    put(&ids, &c, sizeof c);
                    nid++;
                    df[c]++;
                }
                nhead++;
            }
            kr.key = pool_add(&pool, kb, kl);
            kr.len = (uint16_t)kl;
            put(&keyrecs, &kr, sizeof kr);
            nkey++;
        }
        L->count = nkey - L->first;
    }

    out conc = {0};
    for (uint32_t i = 0; i < nconc; i++) {
        uint32_t c = order[i];
        hd_dict_concept_rec cr;
        cr.name = pool_add(&pool, st_str(&concepts, c), concepts.len[c]);
        const char *sp = best_n[c] ? strchr(st_str(&surfaces, best[c]), '\1') + 1
                                   : st_str(&concepts, c);
        cr.surface = pool_add(&pool, sp, strlen(sp));
        cr.df = df[i] ? df[i] : 1;
        put(&conc, &cr, sizeof cr);
    }
    while (pool.n % 4) put(&pool, "", 1);

    hd_dict_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, HD_DICT_MAGIC, 8);
    h.bom = HD_DICT_BOM;
    h.version = HD_DICT_VERSION;
    h.nlang = nlang;
    h.nconcept = nconc;
    h.nkey = nkey;
    h.nid = nid;
    h.pool = (uint32_t)pool.n;
    h.nheadwords = nhead;
    uint64_t size = sizeof h + nlang * sizeof(hd_dict_lang_rec) + conc.n + keyrecs.n + ids.n +
                    pool.n;
    if (size > HD_DICT_FILE_MAX) {
        fprintf(stderr, "train_dict: table too large (%llu bytes)\n", (unsigned long long)size);
        return 1;
    }
    h.size = (uint32_t)size;

    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", argv[2], HD_DICT_FILE);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        perror(tmp);
        return 1;
    }
    fwrite(&h, sizeof h, 1, f);
    fwrite(lrec, sizeof(hd_dict_lang_rec), nlang, f);
    fwrite(conc.b, 1, conc.n, f);
    fwrite(keyrecs.b, 1, keyrecs.n, f);
    if (ids.n) fwrite(ids.b, 1, ids.n, f);
    fwrite(pool.b, 1, pool.n, f);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        perror(path);
        return 1;
    }
    fprintf(stderr, "train_dict: %s: %u languages, %u concepts, %u keys (%u with concepts), "
                    "%.1f MB\n",
            path, nlang, nconc, nkey, nhead, (double)size / (1 << 20));
    for (uint32_t i = 0; i < nlang; i++) {
        uint32_t nk = 0;
        for (uint32_t j = lrec[i].first; j < lrec[i].first + lrec[i].count; j++) {
            const hd_dict_key_rec *k = (const hd_dict_key_rec *)(void *)(keyrecs.b + j * sizeof *k);
            nk += k->nids > 0;
        }
        fprintf(stderr, "train_dict:   %-3s %8u headwords%s\n", lrec[i].code, nk,
                lrec[i].flags & HD_DICT_LANG_STEMMED ? " (stemmed)" : "");
    }
    (void)argv[1]; /* SHARED: the sources are Debian packages, not ../shared */
    free(order), free(newid), free(best), free(best_n), free(first_rec), free(korder), free(df);
    free(pool.b), free(keyrecs.b), free(ids.b), free(conc.b);
    return 0;
}
