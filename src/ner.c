/*
** ner.c -- named-entity tagging: hashed features, an averaged perceptron,
** Viterbi decoding under BIO constraints, model files, and tagging of raw
** text through ICU word and sentence break.
**
** Features are fixed templates (HD_NER_NFEAT per token) over the token and
** its neighbours: lowercased words, word shapes, affixes, case and
** character-class flags, a gazetteer learned from the training data, and a
** few conjunctions.  Each template's value is hashed to one row of a 2^bits
** table; a row holds one weight per tag, so a token's emission scores are
** the sum of HD_NER_NFEAT rows.  Collisions are accepted (the perceptron
** learns around them).  On raw text, names found in the article are then
** propagated to later mentions (a second pass).  docs/internals/NER.md has
** the design and the measurements.
**
** Bounds: a token contributes at most HD_NER_TOKEN_MAX bytes to features;
** sentences are decoded in windows of HD_NER_WINDOW tokens; scratch memory
** (windows, name table) is fixed per call; work is linear in the input.
*/
#include "ner.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <pthread.h>
#include <xxhash.h>

#include "arena.h"
#include "err.h"
#include "mem.h"
#include "segment.h"

/*---------------------------------------------------------------------------
** Features
*/

typedef struct tokinfo {
    uint64_t lower, raw, shape, sshape, flags;
    uint64_t pre[4], suf[5];
    int allcap;
} tokinfo;

static uint64_t mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    return x;
}

static uint64_t comb(uint64_t a, uint64_t b) {
    return mix64(a * 0x9E3779B97F4A7C15ull + b + 0x632BE59BD9B4E019ull);
}

enum { F_INITCAP = 1, F_ALLCAP = 2, F_DIGIT = 4, F_ALLDIGIT = 8, F_HYPHEN = 16,
       F_PUNCT = 32, F_DOT = 64, F_SENTINIT = 128, F_LONG = 256, F_MIXED = 512 };

/* Boundary pseudo-tokens (before the first token, after the last). */
static tokinfo bound_tok[2];
static pthread_once_t bound_once = PTHREAD_ONCE_INIT;

static void init_bounds(void) {
    for (int k = 0; k < 2; k++) {
        uint64_t h = XXH3_64bits(k ? "</s>" : "<s>", k ? 4 : 3);
        tokinfo *t = &bound_tok[k];
        t->lower = t->raw = t->shape = t->sshape = t->flags = h;
        for (int j = 0; j < 4; j++) t->pre[j] = comb(h, (uint64_t)j);
        for (int j = 0; j < 5; j++) t->suf[j] = comb(h, (uint64_t)j + 8);
    }
}

static void token_info(hd_str tok, int sent_init, tokinfo *ti) {
    char low[HD_NER_TOKEN_MAX + 8], shape[HD_NER_TOKEN_MAX], sshape[HD_NER_TOKEN_MAX];
    uint8_t cend[HD_NER_TOKEN_MAX + 1]; /* end offset in `low` of each char */
    size_t nl = 0, ns = 0, nss = 0, nch = 0;
    int32_t len = tok.len > HD_NER_TOKEN_MAX ? HD_NER_TOKEN_MAX : (int32_t)tok.len;
    const uint8_t *s = (const uint8_t *)tok.ptr;
    int upper = 0, lower = 0, letters = 0, digits = 0, other = 0, first_up = -1;
    unsigned flags = 0;
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        char cls;
        if (c < 0) {
            cls = '?';
            c = 0xFFFD;
            other++;
        } else if (u_isupper(c) || u_istitle(c)) {
            cls = 'X';
            upper++;
            letters++;
        } else if (u_islower(c)) {
            cls = 'x';
            lower++;
            letters++;
        } else if (u_isdigit(c)) {
            cls = 'd';
            digits++;
        } else if (u_isalpha(c)) {
            cls = 'a';
            letters++;
        } else {
            cls = c < 0x80 ? (char)c : 'p';
            other++;
            if (c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2013) flags |= F_HYPHEN;
            if (c == '.') flags |= F_DOT;
        }
        if (first_up < 0) first_up = cls == 'X';
        UChar32 lc = u_tolower(c);
        if (nl + U8_LENGTH(lc) <= HD_NER_TOKEN_MAX + 4) {
            U8_APPEND_UNSAFE((uint8_t *)low, nl, lc);
            cend[nch++] = (uint8_t)nl;
        }
        if (ns < sizeof shape) shape[ns++] = cls;
        if (nss == 0 || sshape[nss - 1] != cls) sshape[nss++] = cls;
    }
    if (first_up > 0) flags |= F_INITCAP;
    if (letters && upper == letters && letters > 1) flags |= F_ALLCAP;
    if (upper && lower && !(flags & F_INITCAP)) flags |= F_MIXED;
    if (digits) flags |= F_DIGIT;
    if (digits && !letters && !other) flags |= F_ALLDIGIT;
    if (!letters && !digits) flags |= F_PUNCT;
    if (sent_init) flags |= F_SENTINIT;
    if (tok.len > 12) flags |= F_LONG;

    ti->lower = XXH3_64bits(low, nl);
    ti->raw = tok.len <= HD_NER_TOKEN_MAX ? XXH3_64bits(tok.ptr, tok.len)
                                         : comb(XXH3_64bits(tok.ptr, HD_NER_TOKEN_MAX), 1);
    ti->shape = XXH3_64bits(shape, ns);
    ti->sshape = XXH3_64bits(sshape, nss);
    ti->flags = mix64(flags + 1);
    /* Affixes of k+1 characters (the whole word when shorter). */
    for (size_t k = 0; k < 4; k++) ti->pre[k] = XXH3_64bits(low, nch > k ? cend[k] : nl);
    for (size_t k = 0; k < 5; k++) {
        size_t sb = nch > k + 1 ? cend[nch - k - 2] : 0;
        ti->suf[k] = XXH3_64bits(low + sb, nl - sb);
    }
    ti->allcap = (flags & F_ALLCAP) != 0;
}

uint64_t hd_ner_word_key(hd_str tok) {
    tokinfo ti;
    token_info(tok, 0, &ti);
    return ti.lower;
}

/* Gazetteer mask of a word (0 when absent): binary search. */
static uint64_t gaz_mask(const hd_ner_gaz *g, uint64_t key) {
    if (g == NULL) return 0;
    size_t lo = 0, hi = g->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->hash[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    return lo < g->n && g->hash[lo] == key ? g->mask[lo] : 0;
}

void hd_ner_featurize(const hd_str *tokens, size_t n, int sent_start, unsigned bits,
                      const hd_ner_gaz *gaz, uint32_t *rows) {
    tokinfo info[HD_NER_WINDOW];
    pthread_once(&bound_once, init_bounds);
    if (n > HD_NER_WINDOW) n = HD_NER_WINDOW;
    uint64_t gm[HD_NER_WINDOW + 2]; /* gazetteer masks, with a boundary each side */
    gm[0] = gm[n + 1] = 0x10;
    for (size_t i = 0; i < n; i++) {
        token_info(tokens[i], sent_start && i == 0, &info[i]);
        gm[i + 1] = gaz_mask(gaz, info[i].lower);
    }
    /* Headlines in capitals: most words of the window are all-caps. */
    size_t caps = 0;
    for (size_t i = 0; i < n; i++) caps += (size_t)info[i].allcap;
    uint64_t capsent = n >= 3 && caps * 2 > n ? 0x5A5A : 0xA5A5;
    unsigned shift = 64 - bits;
    for (size_t i = 0; i < n; i++) {
        const tokinfo *w0 = &info[i];
        const tokinfo *p1 = i >= 1 ? &info[i - 1] : &bound_tok[0];
        const tokinfo *p2 = i >= 2 ? &info[i - 2] : &bound_tok[0];
        const tokinfo *n1 = i + 1 < n ? &info[i + 1] : &bound_tok[1];
        const tokinfo *n2 = i + 2 < n ? &info[i + 2] : &bound_tok[1];
        uint64_t f[HD_NER_NFEAT];
        f[0] = 0;
        f[1] = w0->lower;
        f[2] = w0->raw;
        f[3] = p1->lower;
        f[4] = n1->lower;
        f[5] = p2->lower;
        f[6] = n2->lower;
        f[7] = w0->shape;
        f[8] = w0->sshape;
        f[9] = p1->sshape;
        f[10] = n1->sshape;
        for (int k = 0; k < 4; k++) {
            f[11 + k] = w0->pre[k];
            f[15 + k] = w0->suf[k];
        }
        f[19] = w0->flags;
        f[20] = comb(p1->flags, w0->flags);
        f[21] = comb(p1->lower, w0->lower);
        f[22] = comb(w0->lower, n1->lower);
        f[23] = comb(comb(p1->sshape, w0->sshape), n1->sshape);
        f[24] = comb(p1->lower, w0->sshape);
        f[25] = comb(w0->sshape, n1->lower);
        f[26] = p1->suf[2];
        f[27] = n1->suf[2];
        f[28] = w0->suf[4];
        f[29] = comb(p1->lower, n1->lower);
        f[30] = comb(p2->lower, p1->lower);
        f[31] = comb(n1->lower, n2->lower);
        f[32] = comb(capsent, w0->sshape);
        f[33] = comb(capsent, w0->lower);
        f[34] = comb(w0->lower, sent_start && i == 0);
        f[35] = comb(w0->flags, n1->flags);
        f[36] = comb(0x6A7, gm[i + 1]);
        f[37] = comb(comb(0x6A8, gm[i]), gm[i + 1]);
        f[38] = comb(comb(0x6A9, gm[i + 1]), gm[i + 2]);
        uint32_t *r = rows + i * HD_NER_NFEAT;
        for (unsigned k = 0; k < HD_NER_NFEAT; k++)
            r[k] = (uint32_t)(comb(f[k], (uint64_t)k + 1) >> shift);
    }
}

/*---------------------------------------------------------------------------
** Decoding
*/

static int allowed(int prev, int cur) { /* prev == HD_NER_TAGS: start */
    if (cur == 0 || HD_NER_IS_B(cur)) return 1;
    return prev != HD_NER_TAGS && prev != 0 && HD_NER_TYPE(prev) == HD_NER_TYPE(cur);
}

void hd_ner_viterbi(const float *emit, const float *trans, size_t n, uint8_t *back,
                    uint8_t *out) {
    float cur[HD_NER_TAGS], nxt[HD_NER_TAGS];
    if (n == 0) return;
    for (int t = 0; t < HD_NER_TAGS; t++)
        cur[t] = allowed(HD_NER_TAGS, t) ? emit[t] + trans[HD_NER_TAGS * HD_NER_TAGS + t]
                                         : -INFINITY;
    for (size_t i = 1; i < n; i++) {
        for (int t = 0; t < HD_NER_TAGS; t++) {
            float best = -INFINITY;
            int arg = 0;
            for (int p = 0; p < HD_NER_TAGS; p++) {
                if (!allowed(p, t) || cur[p] == -INFINITY) continue;
                float v = cur[p] + trans[p * HD_NER_TAGS + t];
                if (v > best) best = v, arg = p;
            }
            nxt[t] = best + emit[i * HD_NER_TAGS + t];
            back[i * HD_NER_TAGS + t] = (uint8_t)arg;
        }
        memcpy(cur, nxt, sizeof cur);
    }
    int best = 0;
    for (int t = 1; t < HD_NER_TAGS; t++)
        if (cur[t] > cur[best]) best = t;
    for (size_t i = n; i-- > 0;) {
        out[i] = (uint8_t)best;
        if (i) best = back[i * HD_NER_TAGS + best];
    }
}

size_t hd_ner_entities(const int *tags, size_t n, hd_ner_ent *out) {
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        int t = tags[i];
        if (t <= 0 || t >= HD_NER_TAGS) {
            i++;
            continue;
        }
        int type = HD_NER_TYPE(t);
        size_t j = i + 1;
        while (j < n && tags[j] == HD_NER_I(type)) j++;
        out[k].start = (uint32_t)i;
        out[k].end = (uint32_t)j;
        out[k].type = type;
        k++;
        i = j;
    }
    return k;
}

/*---------------------------------------------------------------------------
** Models
*/

#define NER_MAGIC "HDNER\x1a\r\n"
#define NER_VERSION 2u
#define NTRANS ((HD_NER_TAGS + 1) * HD_NER_TAGS)
#define HEADER_SIZE (8 + 4 * 4 + 8 + 4 + 4 * NTRANS + 4)
#define ROW_SIZE (4 + 2 * HD_NER_TAGS)
#define MODEL_FILE_MAX (256u << 20)
#define MODELS_MAX 64

typedef struct model {
    char lang[8];
    unsigned bits;
    float scale;
    float trans[NTRANS];
    /* The nonzero rows only, found through an open-addressing table: slot
    ** s holds row index + 1 (0: empty) in key[s] and the row's position
    ** in w in at[s].  At most half the slots are used. */
    unsigned sbits;
    uint32_t *key, *at;
    int16_t *w; /* nrows rows of HD_NER_TAGS */
    hd_ner_gaz gaz;
    uint64_t *gaz_hash;
    uint8_t *gaz_mask;
} model;

static uint32_t slot_of(uint32_t row, unsigned sbits) {
    return (uint32_t)(row * 2654435761u) >> (32 - sbits);
}

/* The weights of `row`, or NULL when the row is all zero. */
static const int16_t *model_row(const model *m, uint32_t row) {
    uint32_t mask = (1u << m->sbits) - 1;
    for (uint32_t s = slot_of(row, m->sbits);; s = (s + 1) & mask) {
        if (m->key[s] == row + 1) return m->w + (size_t)m->at[s] * HD_NER_TAGS;
        if (m->key[s] == 0) return NULL;
    }
}

struct hd_ner {
    model *v;
    size_t n;
};

static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void putf(uint8_t *p, float f) {
    uint32_t v;
    memcpy(&v, &f, 4);
    put32(p, v);
}
static float getf(const uint8_t *p) {
    uint32_t v = get32(p);
    float f;
    memcpy(&f, &v, 4);
    return f;
}
static void put64(uint8_t *p, uint64_t v) {
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}
static uint64_t get64(const uint8_t *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }

static int valid_lang(const char *s, size_t cap) {
    size_t n = 0;
    while (n < cap && s[n] >= 'a' && s[n] <= 'z') n++;
    if (n < 2 || n > 3) return 0;
    for (size_t i = n; i < cap; i++)
        if (s[i]) return 0;
    return 1;
}

/* Parse and validate one model file's bytes. */
static int model_parse(const uint8_t *p, size_t size, model *m, const char *path, hd_err *err) {
    if (size < HEADER_SIZE + 8 || memcmp(p, NER_MAGIC, 8) != 0)
        return hd_err_set(err, HD_EMODEL, "%s: not a herald NER model", path);
    if (XXH3_64bits(p, size - 8) != get64(p + size - 8))
        return hd_err_set(err, HD_EMODEL, "%s: checksum mismatch", path);
    uint32_t version = get32(p + 8), bits = get32(p + 12), ntags = get32(p + 16),
             nfeat = get32(p + 20);
    if (version != NER_VERSION || ntags != HD_NER_TAGS || nfeat != HD_NER_NFEAT ||
        bits < HD_NER_BITS_MIN || bits > HD_NER_BITS_MAX)
        return hd_err_set(err, HD_EMODEL, "%s: unsupported model version or shape", path);
    memcpy(m->lang, p + 24, 8);
    if (!valid_lang(m->lang, 8)) return hd_err_set(err, HD_EMODEL, "%s: bad language", path);
    m->lang[7] = 0;
    m->bits = bits;
    m->scale = getf(p + 32);
    if (!isfinite(m->scale) || m->scale <= 0)
        return hd_err_set(err, HD_EMODEL, "%s: bad weight scale", path);
    for (size_t i = 0; i < NTRANS; i++) {
        m->trans[i] = getf(p + 36 + 4 * i);
        if (!isfinite(m->trans[i])) return hd_err_set(err, HD_EMODEL, "%s: bad transition", path);
    }
    /* Rows, then the gazetteer: count, sorted hashes, masks. */
    uint32_t nrows = get32(p + HEADER_SIZE - 4);
    size_t body = size - HEADER_SIZE - 8;
    if (nrows > (1u << bits) || body / ROW_SIZE < nrows || body - (size_t)nrows * ROW_SIZE < 4)
        return hd_err_set(err, HD_EMODEL, "%s: truncated or oversized", path);
    const uint8_t *g = p + HEADER_SIZE + (size_t)nrows * ROW_SIZE;
    uint32_t ngaz = get32(g);
    if ((body - (size_t)nrows * ROW_SIZE - 4) / 9 != ngaz ||
        (body - (size_t)nrows * ROW_SIZE - 4) % 9 != 0)
        return hd_err_set(err, HD_EMODEL, "%s: truncated or oversized", path);
    m->gaz_hash = hd_calloc(ngaz ? ngaz : 1, sizeof *m->gaz_hash);
    m->gaz_mask = hd_calloc(ngaz ? ngaz : 1, 1);
    if (m->gaz_hash == NULL || m->gaz_mask == NULL) return hd_err_set(err, HD_ENOMEM, NULL);
    for (uint32_t i = 0; i < ngaz; i++) {
        m->gaz_hash[i] = get64(g + 4 + 8 * (size_t)i);
        m->gaz_mask[i] = g[4 + 8 * (size_t)ngaz + i];
        if ((i && m->gaz_hash[i] <= m->gaz_hash[i - 1]) || m->gaz_mask[i] == 0 ||
            m->gaz_mask[i] > 15)
            return hd_err_set(err, HD_EMODEL, "%s: bad gazetteer", path);
    }
    m->gaz = (hd_ner_gaz){m->gaz_hash, m->gaz_mask, ngaz};
    m->sbits = 4;
    while ((1u << m->sbits) < 2 * (size_t)nrows) m->sbits++;
    m->key = hd_calloc((size_t)1 << m->sbits, sizeof *m->key);
    m->at = hd_calloc((size_t)1 << m->sbits, sizeof *m->at);
    m->w = hd_calloc(nrows ? nrows : 1, HD_NER_TAGS * sizeof *m->w);
    if (m->key == NULL || m->at == NULL || m->w == NULL) return hd_err_set(err, HD_ENOMEM, NULL);
    const uint8_t *r = p + HEADER_SIZE;
    uint32_t prev = 0, mask = (1u << m->sbits) - 1;
    for (uint32_t i = 0; i < nrows; i++, r += ROW_SIZE) {
        uint32_t idx = get32(r);
        if (idx >= (1u << bits) || (i > 0 && idx <= prev))
            return hd_err_set(err, HD_EMODEL, "%s: bad row index", path);
        prev = idx;
        uint32_t s = slot_of(idx, m->sbits);
        while (m->key[s]) s = (s + 1) & mask;
        m->key[s] = idx + 1;
        m->at[s] = i;
        for (int t = 0; t < HD_NER_TAGS; t++)
            m->w[(size_t)i * HD_NER_TAGS + t] =
                (int16_t)(uint16_t)(r[4 + 2 * t] | r[5 + 2 * t] << 8);
    }
    return HD_OK;
}

static void model_fini(model *m) {
    hd_free(m->gaz_hash);
    hd_free(m->gaz_mask);
    m->gaz_hash = NULL;
    m->gaz_mask = NULL;
    hd_free(m->key);
    hd_free(m->at);
    hd_free(m->w);
    m->key = m->at = NULL;
    m->w = NULL;
}

static int model_read(const char *path, model *m, hd_err *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return hd_err_set(err, HD_EMODEL, "%s: cannot open", path);
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = HD_OK;
    for (;;) {
        if (n == cap) {
            if (cap >= MODEL_FILE_MAX) {
                rc = hd_err_set(err, HD_EMODEL, "%s: too large", path);
                break;
            }
            size_t ncap = cap ? cap * 2 : 1u << 20;
            uint8_t *nb = hd_realloc(buf, ncap);
            if (nb == NULL) {
                rc = hd_err_set(err, HD_ENOMEM, NULL);
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) rc = hd_err_set(err, HD_EMODEL, "%s: read error", path);
            break;
        }
    }
    fclose(f);
    if (rc == HD_OK) rc = model_parse(buf, n, m, path, err);
    hd_free(buf);
    if (rc != HD_OK) model_fini(m);
    return rc;
}

void hd_ner_free(hd_ner *m) {
    if (m == NULL) return;
    for (size_t i = 0; i < m->n; i++) model_fini(&m->v[i]);
    hd_free(m->v);
    hd_free(m);
}

static int name_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

hd_ner *hd_ner_load(const char *datadir, hd_err *err) {
    if (datadir == NULL) datadir = hd_data_dir();
    DIR *dir = opendir(datadir);
    if (dir == NULL) {
        hd_err_set(err, HD_EMODEL, "ner: cannot open data directory %s", datadir);
        return NULL;
    }
    /* Collect names first, sorted, so that loading order is stable. */
    char *names[MODELS_MAX];
    size_t nn = 0;
    int rc = HD_OK;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 10 || l > 11 || strncmp(e->d_name, "ner-", 4) != 0 ||
            strcmp(e->d_name + l - 4, ".bin") != 0)
            continue;
        if (nn == MODELS_MAX) break;
        if ((names[nn] = hd_strdup(e->d_name)) == NULL) {
            rc = HD_ENOMEM;
            break;
        }
        nn++;
    }
    closedir(dir);
    hd_ner *m = NULL;
    if (rc == HD_OK && nn == 0) {
        hd_err_set(err, HD_EMODEL, "ner: no ner-*.bin model in %s", datadir);
        goto done;
    }
    qsort(names, nn, sizeof *names, name_cmp);
    m = hd_calloc(1, sizeof *m);
    if (m == NULL || rc != HD_OK || (m->v = hd_calloc(nn, sizeof *m->v)) == NULL) {
        hd_err_set(err, HD_ENOMEM, NULL);
        goto fail;
    }
    for (size_t i = 0; i < nn; i++) {
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", datadir, names[i]) >= sizeof path) {
            hd_err_set(err, HD_EMODEL, "ner: data directory path too long");
            goto fail;
        }
        if (model_read(path, &m->v[m->n], err) != HD_OK) goto fail;
        m->n++;
    }
    goto done;
fail:
    hd_ner_free(m);
    m = NULL;
done:
    for (size_t i = 0; i < nn; i++) hd_free(names[i]);
    return m;
}

hd_ner *hd_ner_from_buffer(const void *buf, size_t len, hd_err *err) {
    hd_ner *m = hd_calloc(1, sizeof *m);
    if (m == NULL || (m->v = hd_calloc(1, sizeof *m->v)) == NULL) {
        hd_free(m);
        hd_err_set(err, HD_ENOMEM, NULL);
        return NULL;
    }
    if (buf == NULL || model_parse(buf, len, &m->v[0], "ner model", err) != HD_OK) {
        if (buf == NULL) hd_err_set(err, HD_EMODEL, "ner: no model");
        model_fini(&m->v[0]);
        hd_ner_free(m);
        return NULL;
    }
    m->n = 1;
    return m;
}

static const model *find_model(const hd_ner *m, const char *lang) {
    if (lang != NULL)
        for (size_t i = 0; i < m->n; i++)
            if (strcmp(m->v[i].lang, lang) == 0) return &m->v[i];
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].lang, "xx") == 0) return &m->v[i];
    return NULL;
}

int hd_ner_has_lang(const hd_ner *m, const char *lang) {
    if (m == NULL || lang == NULL) return 0;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].lang, lang) == 0) return 1;
    return 0;
}

/*---------------------------------------------------------------------------
** Tagging
*/

#define NER_TEMP 20.0f /* score units per nat, for confidences */

typedef struct scratch {
    uint32_t rows[HD_NER_WINDOW * HD_NER_NFEAT];
    float emit[HD_NER_WINDOW * HD_NER_TAGS];
    uint8_t back[HD_NER_WINDOW * HD_NER_TAGS];
    uint8_t tags[HD_NER_WINDOW];
    float conf[HD_NER_WINDOW];
    float alpha[HD_NER_WINDOW * HD_NER_TAGS], beta[HD_NER_WINDOW * HD_NER_TAGS];
    hd_str tok[HD_NER_WINDOW];
    uint32_t start[HD_NER_WINDOW];
} scratch;

/* Decode one window into sc->tags, and a per-token confidence. */
static void marginals(const model *md, scratch *sc, size_t n);

static void decode(const model *md, scratch *sc, size_t n, int sent_start, int want_conf) {
    hd_ner_featurize(sc->tok, n, sent_start, md->bits, &md->gaz, sc->rows);
    /* The weights live in tables far larger than the caches, behind a hash
    ** probe: a three-stage pipeline asks for token i+2's hash slots, probes
    ** token i+1's and asks for its weight rows, and sums token i's. */
    const int16_t *cur[HD_NER_NFEAT], *next[HD_NER_NFEAT] = {0};
    for (int k = 0; k < HD_NER_NFEAT; k++) {
        cur[k] = n ? model_row(md, sc->rows[k]) : NULL;
#if defined(__GNUC__)
        if (n > 1) __builtin_prefetch(&md->key[slot_of(sc->rows[HD_NER_NFEAT + k], md->sbits)]);
#endif
    }
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n) {
            const uint32_t *r1 = sc->rows + (i + 1) * HD_NER_NFEAT;
            for (int k = 0; k < HD_NER_NFEAT; k++) {
                next[k] = model_row(md, r1[k]);
#if defined(__GNUC__)
                if (next[k]) __builtin_prefetch(next[k]);
                if (i + 2 < n) __builtin_prefetch(&md->key[slot_of(r1[HD_NER_NFEAT + k], md->sbits)]);
#endif
            }
        }
        int32_t acc[HD_NER_TAGS] = {0};
        for (int k = 0; k < HD_NER_NFEAT; k++) {
            const int16_t *w = cur[k];
            if (w == NULL) continue;
            for (int t = 0; t < HD_NER_TAGS; t++) acc[t] += w[t];
        }
        for (int t = 0; t < HD_NER_TAGS; t++)
            sc->emit[i * HD_NER_TAGS + t] = (float)acc[t] * md->scale;
        memcpy(cur, next, sizeof cur);
    }
    hd_ner_viterbi(sc->emit, md->trans, n, sc->back, sc->tags);
    if (want_conf) marginals(md, sc, n);
}

/* Confidence of each chosen tag: its marginal probability under the
** linear-chain model with scores divided by NER_TEMP and the BIO
** constraints, by forward-backward in probability space, each position
** rescaled to sum to 1 (so nothing under- or overflows, and a token costs
** 9 expf instead of 162). */
static void marginals(const model *md, scratch *sc, size_t n) {
    float tr[(HD_NER_TAGS + 1) * HD_NER_TAGS];
    const float inv = 1.0f / NER_TEMP;
    for (int p = 0; p <= HD_NER_TAGS; p++)
        for (int t = 0; t < HD_NER_TAGS; t++)
            tr[p * HD_NER_TAGS + t] = allowed(p, t) ? expf(md->trans[p * HD_NER_TAGS + t] * inv) : 0;
    float *al = sc->alpha, *be = sc->beta, *ex = sc->emit; /* emit becomes exp(emit) */
    for (size_t i = 0; i < n; i++) {
        float *e = ex + i * HD_NER_TAGS, mx = e[0];
        for (int t = 1; t < HD_NER_TAGS; t++)
            if (e[t] > mx) mx = e[t];
        for (int t = 0; t < HD_NER_TAGS; t++) e[t] = expf((e[t] - mx) * inv);
    }
    for (size_t i = 0; i < n; i++) {
        float *a = al + i * HD_NER_TAGS, sum = 0;
        for (int t = 0; t < HD_NER_TAGS; t++) {
            float v = 0;
            if (i == 0)
                v = tr[HD_NER_TAGS * HD_NER_TAGS + t];
            else
                for (int p = 0; p < HD_NER_TAGS; p++) v += a[p - HD_NER_TAGS] * tr[p * HD_NER_TAGS + t];
            a[t] = v * ex[i * HD_NER_TAGS + t];
            sum += a[t];
        }
        for (int t = 0; t < HD_NER_TAGS; t++) a[t] = sum > 0 ? a[t] / sum : 1.0f / HD_NER_TAGS;
    }
    for (int t = 0; t < HD_NER_TAGS; t++) be[(n - 1) * HD_NER_TAGS + t] = 1;
    for (size_t i = n - 1; i-- > 0;) {
        float *b = be + i * HD_NER_TAGS, sum = 0;
        const float *nb = b + HD_NER_TAGS, *ne = ex + (i + 1) * HD_NER_TAGS;
        for (int t = 0; t < HD_NER_TAGS; t++) {
            float v = 0;
            for (int q = 0; q < HD_NER_TAGS; q++) v += tr[t * HD_NER_TAGS + q] * ne[q] * nb[q];
            b[t] = v;
            sum += v;
        }
        for (int t = 0; t < HD_NER_TAGS; t++) b[t] = sum > 0 ? b[t] / sum : 1.0f / HD_NER_TAGS;
    }
    for (size_t i = 0; i < n; i++) {
        float z = 0;
        for (int t = 0; t < HD_NER_TAGS; t++) z += al[i * HD_NER_TAGS + t] * be[i * HD_NER_TAGS + t];
        int c = sc->tags[i];
        float p = z > 0 ? al[i * HD_NER_TAGS + c] * be[i * HD_NER_TAGS + c] / z : 0;
        sc->conf[i] = isfinite(p) ? (p > 1 ? 1 : p) : 0;
    }
}

int hd_ner_tag_tokens(const hd_ner *m, const char *lang, const hd_str *tokens, size_t n,
                      int *tags_out) {
    return hd_ner_tag_tokens_conf(m, lang, tokens, n, tags_out, NULL);
}

int hd_ner_tag_tokens_conf(const hd_ner *m, const char *lang, const hd_str *tokens, size_t n,
                           int *tags_out, float *conf_out) {
    if (m == NULL || (n && (tokens == NULL || tags_out == NULL))) return HD_EINVAL;
    const model *md = find_model(m, lang);
    if (md == NULL) return HD_EMODEL;
    if (n == 0) return HD_OK;
    scratch *sc = hd_malloc(sizeof *sc);
    if (sc == NULL) return HD_ENOMEM;
    for (size_t off = 0; off < n; off += HD_NER_WINDOW) {
        size_t w = n - off < HD_NER_WINDOW ? n - off : HD_NER_WINDOW;
        memcpy(sc->tok, tokens + off, w * sizeof *tokens);
        decode(md, sc, w, off == 0, conf_out != NULL);
        for (size_t i = 0; i < w; i++) {
            tags_out[off + i] = sc->tags[i];
            if (conf_out) conf_out[off + i] = sc->conf[i];
        }
    }
    hd_free(sc);
    return HD_OK;
}

typedef struct out_spans {
    hd_arena *a;
    hd_ner_span *v;
    size_t n, cap;
} out_spans;

static int push_span(out_spans *o, uint32_t s, uint32_t e, int type, float score) {
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 16;
        hd_ner_span *v = o->v ? hd_arena_grow(o->a, o->v, o->cap * sizeof *v, cap * sizeof *v,
                                              _Alignof(hd_ner_span))
                              : HD_ALLOC(o->a, hd_ner_span, cap);
        if (v == NULL) return HD_ENOMEM;
        o->v = v;
        o->cap = cap;
    }
    o->v[o->n++] = (hd_ner_span){s, e, type, score};
    return HD_OK;
}

/*---------------------------------------------------------------------------
** Document-level propagation.  Articles name a person in full once and by
** surname afterwards ("Reinhard Emde ... Emde said"); a sentence-level
** tagger misses many of the later mentions.  After tagging the whole text,
** the last word of every multi-word PER entity, and every one-word entity,
** becomes a name of that type; a capitalised word outside any entity that
** is such a name (exactly, case included) becomes an entity too.  A word
** seen with two types is not propagated.  The table is bounded
** (NAMES_MAX names; later ones are ignored).
*/

#define NAMES_MAX 4096
#define NAMES_SLOTS (2 * NAMES_MAX)
#define NAME_AMBIGUOUS 0xFF

typedef struct names {
    uint64_t key[NAMES_SLOTS];
    uint8_t type[NAMES_SLOTS]; /* 0: empty */
    float score[NAMES_SLOTS];
    size_t n;
} names;

static size_t names_find(const names *t, uint64_t key) {
    size_t s = (size_t)(key & (NAMES_SLOTS - 1));
    while (t->type[s] && t->key[s] != key) s = (s + 1) & (NAMES_SLOTS - 1);
    return s;
}

static void names_add(names *t, hd_str w, int type, float score) {
    uint64_t key = XXH3_64bits(w.ptr, w.len);
    size_t s = names_find(t, key);
    if (t->type[s] == 0) {
        if (t->n == NAMES_MAX) return;
        t->n++;
        t->key[s] = key;
        t->type[s] = (uint8_t)type;
        t->score[s] = score;
    } else if (t->type[s] != type) {
        t->type[s] = NAME_AMBIGUOUS;
    } else if (score > t->score[s]) {
        t->score[s] = score;
    }
}

/* A word that may carry a propagated name: two bytes or more, starting
** with an uppercase letter. */
static int name_like(hd_str w) {
    if (w.len < 2 || w.len > HD_NER_TOKEN_MAX) return 0;
    int32_t i = 0;
    UChar32 c;
    U8_NEXT((const uint8_t *)w.ptr, i, (int32_t)w.len, c);
    return c >= 0 && (u_isupper(c) || u_istitle(c));
}

/* The type a word takes from the table (0: none), and the score. */
static int names_get(const names *t, hd_str w, float *score) {
    if (t->n == 0 || !name_like(w)) return 0;
    size_t s = names_find(t, XXH3_64bits(w.ptr, w.len));
    if (t->type[s] == 0 || t->type[s] == NAME_AMBIGUOUS) return 0;
    *score = t->score[s] * 0.9f;
    return t->type[s];
}

/* Names from the entity tokens[i..j) of `type`. */
static void names_learn(names *t, const hd_str *tok, size_t i, size_t j, int type, float score) {
    if (j - i == 1)
        names_add(t, tok[i], type, score);
    else if (type == HD_ENT_PER)
        names_add(t, tok[j - 1], type, score);
}

static void propagate_tokens(names *t, const hd_str *tok, const size_t *sent, size_t nsent,
                             int *tags) {
    t->n = 0;
    memset(t->type, 0, sizeof t->type);
    for (size_t s = 0; s < nsent; s++)
        for (size_t i = sent[s]; i < sent[s + 1];) {
            int type = HD_NER_TYPE(tags[i]);
            if (type == 0 || tags[i] >= HD_NER_TAGS) {
                i++;
                continue;
            }
            size_t j = i + 1;
            while (j < sent[s + 1] && tags[j] == HD_NER_I(type)) j++;
            names_learn(t, tok, i, j, type, 1);
            i = j;
        }
    for (size_t i = sent[0]; i < sent[nsent]; i++) {
        float sc;
        int type = tags[i] == 0 ? names_get(t, tok[i], &sc) : 0;
        if (type) tags[i] = HD_NER_B(type);
    }
}

int hd_ner_tag_doc_tokens(const hd_ner *m, const char *lang, const hd_str *tokens,
                          const size_t *sent, size_t nsent, int *tags_out) {
    if (m == NULL || (nsent && (sent == NULL || tokens == NULL || tags_out == NULL)))
        return HD_EINVAL;
    if (nsent == 0) return find_model(m, lang) ? HD_OK : HD_EMODEL;
    for (size_t s = 0; s < nsent; s++)
        if (sent[s + 1] < sent[s]) return HD_EINVAL;
    for (size_t s = 0; s < nsent; s++) {
        int rc = hd_ner_tag_tokens(m, lang, tokens + sent[s], sent[s + 1] - sent[s],
                                   tags_out + sent[s]);
        if (rc != HD_OK) return rc;
    }
    names *t = hd_malloc(sizeof *t);
    if (t == NULL) return HD_ENOMEM;
    propagate_tokens(t, tokens, sent, nsent, tags_out);
    hd_free(t);
    return HD_OK;
}

/* Decode the buffered window and append its entities. */
static int flush(const model *md, scratch *sc, size_t n, int sent_start, out_spans *o,
                 names *nm) {
    if (n == 0) return HD_OK;
    decode(md, sc, n, sent_start, 1);
    for (size_t i = 0; i < n;) {
        int t = sc->tags[i];
        if (t == 0) {
            i++;
            continue;
        }
        int type = HD_NER_TYPE(t);
        size_t j = i + 1;
        float conf = sc->conf[i];
        while (j < n && sc->tags[j] == HD_NER_I(type)) conf += sc->conf[j++];
        uint32_t end = sc->start[j - 1] + (uint32_t)sc->tok[j - 1].len;
        if (push_span(o, sc->start[i], end, type, conf / (float)(j - i)) != HD_OK)
            return HD_ENOMEM;
        names_learn(nm, sc->tok, i, j, type, conf / (float)(j - i));
        i = j;
    }
    return HD_OK;
}

static int all_space(const char *s, int32_t len) {
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT((const uint8_t *)s, i, len, c);
        if (c < 0 || !u_isUWhiteSpace(c)) return 0;
    }
    return 1;
}

/* "U.S", "N.Y", "e.g": single ASCII letters joined by dots. */
static int is_initials(hd_str t) {
    if (t.len < 3 || t.len > 16) return 0;
    for (size_t i = 0; i < t.len; i++) {
        unsigned char c = (unsigned char)t.ptr[i];
        int letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        if (i % 2 == 0 ? !letter : c != '.') return 0;
    }
    return t.len % 2 == 1;
}

/* Where to split a word token the way the training corpora do, or 0:
** before an English possessive ("Pierre's" -> "Pierre" "'s") and after a
** lowercase elided article or preposition ("dell'Italia" -> "dell'"
** "Italia", "l'Aquila", "jusqu'à"). */
static int32_t split_point(const char *p, int32_t len) {
    static const char rsq[] = "\xE2\x80\x99"; /* U+2019 */
    if (len >= 3 && (p[len - 1] == 's' || p[len - 1] == 'S')) {
        if (p[len - 2] == '\'') return len - 2;
        if (len >= 5 && memcmp(p + len - 4, rsq, 3) == 0) return len - 4;
    }
    int32_t i = 0;
    while (i < len && i < 7 && p[i] >= 'a' && p[i] <= 'z') i++;
    if (i == 0) return 0;
    int32_t alen = i < len && p[i] == '\'' ? 1 : i + 3 <= len && memcmp(p + i, rsq, 3) == 0 ? 3 : 0;
    return alen && i + alen < len ? i + alen : 0;
}

/* Tokens as the training corpora cut them, from ICU word segments:
** whitespace dropped; words joined by hyphens kept whole ("Main-Kinzig-
** Kreis", "Jean-Pierre"); initials keep their final dot ("U.S."); then
** split_point().  Both passes of hd_ner_tag use it, so they agree. */
typedef struct seg {
    int32_t s, e;
    int word; /* ICU says letters or digits */
} seg;

typedef struct toker {
    UBreakIterator *wb;
    const char *text;
    int32_t start;  /* where the next ICU segment begins */
    seg look[2];    /* segments read ahead */
    int nlook;
    int32_t pend_s, pend_e; /* second half of a split token */
} toker;

static void toker_init(toker *t, UBreakIterator *wb, const char *text) {
    t->wb = wb;
    t->text = text;
    t->start = ubrk_first(wb);
    t->nlook = 0;
    t->pend_s = t->pend_e = -1;
}

/* The k-th segment ahead (k < 2); 0 at the end of the text. */
static int toker_peek(toker *t, int k, seg *out) {
    while (t->nlook <= k) {
        int32_t end = ubrk_next(t->wb);
        if (end == UBRK_DONE) return 0;
        t->look[t->nlook++] = (seg){t->start, end, ubrk_getRuleStatus(t->wb) >= UBRK_WORD_NONE_LIMIT};
        t->start = end;
    }
    *out = t->look[k];
    return 1;
}

/* Consume k (1 or 2) segments read ahead. */
static void toker_drop(toker *t, int k) {
    if (k >= t->nlook) {
        t->nlook = 0;
        return;
    }
    t->look[0] = t->look[1]; /* k == 1, two were ahead */
    t->nlook = 1;
}

static int is_hyphen(const char *p, int32_t len) {
    return (len == 1 && p[0] == '-') ||
           (len == 3 && (memcmp(p, "\xE2\x80\x90", 3) == 0 || memcmp(p, "\xE2\x80\x91", 3) == 0));
}

static int toker_next(toker *t, int32_t *s, int32_t *e) {
    if (t->pend_s >= 0) {
        *s = t->pend_s;
        *e = t->pend_e;
        t->pend_s = t->pend_e = -1;
        return 1;
    }
    seg a, h, b;
    do {
        if (!toker_peek(t, 0, &a)) return 0;
        toker_drop(t, 1);
    } while (all_space(t->text + a.s, a.e - a.s));
    int32_t ts = a.s, te = a.e;
    if (a.word) {
        /* word (hyphen word)*: segments are contiguous, so no space. */
        while (te - ts < HD_NER_TOKEN_MAX * 4 && toker_peek(t, 0, &h) &&
               is_hyphen(t->text + h.s, h.e - h.s) && toker_peek(t, 1, &b) && b.word) {
            te = b.e;
            toker_drop(t, 2);
        }
        if (toker_peek(t, 0, &h) && h.e - h.s == 1 && t->text[h.s] == '.' &&
            is_initials((hd_str){t->text + ts, (size_t)(te - ts)})) {
            te = h.e;
            toker_drop(t, 1);
        }
    }
    int32_t cut = split_point(t->text + ts, te - ts);
    if (cut > 0) {
        t->pend_s = ts + cut;
        t->pend_e = te;
        te = ts + cut;
    }
    *s = ts;
    *e = te;
    return 1;
}

/* Second pass over the text: capitalised words outside the spans found
** that are known names become spans; then both lists are merged in order. */
static int propagate_text(UBreakIterator *wb, const char *text, const names *nm,
                          out_spans *o) {
    out_spans x = {o->a, NULL, 0, 0};
    size_t k = 0;
    toker tk;
    toker_init(&tk, wb, text);
    int32_t ps, pe;
    while (toker_next(&tk, &ps, &pe)) {
        while (k < o->n && o->v[k].end <= (uint32_t)ps) k++;
        if (k < o->n && o->v[k].start < (uint32_t)pe) continue; /* inside a span */
        float score;
        int type = names_get(nm, (hd_str){text + ps, (size_t)(pe - ps)}, &score);
        if (type && push_span(&x, (uint32_t)ps, (uint32_t)pe, type, score) != HD_OK)
            return HD_ENOMEM;
    }
    if (x.n == 0) return HD_OK;
    hd_ner_span *v = HD_ALLOC(o->a, hd_ner_span, o->n + x.n);
    if (v == NULL) return HD_ENOMEM;
    size_t i = 0, j = 0, w = 0;
    while (i < o->n || j < x.n)
        v[w++] = j == x.n || (i < o->n && o->v[i].start < x.v[j].start) ? o->v[i++] : x.v[j++];
    o->v = v;
    o->n = w;
    return HD_OK;
}

int hd_ner_tag(const hd_ner *m, const char *lang, const char *text, size_t len, hd_arena *a,
               hd_ner_span **out) {
    if (m == NULL || a == NULL || out == NULL || (text == NULL && len)) return HD_EINVAL;
    *out = NULL;
    if (len > INT32_MAX) return HD_ETOOBIG;
    const model *md = find_model(m, lang);
    if (md == NULL) return HD_EMODEL;
    if (len == 0) return 0;
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, text, (int64_t)len, &st);
    UBreakIterator *wb = NULL, *sb = NULL;
    int rc = U_FAILURE(st) ? HD_ENOMEM : hd_breakers_open(ut, &wb, &sb);
    scratch *sc = hd_malloc(sizeof *sc);
    names *nm = hd_malloc(sizeof *nm);
    out_spans o = {a, NULL, 0, 0};
    if (rc == HD_OK && (sc == NULL || nm == NULL)) rc = HD_ENOMEM;
    if (rc != HD_OK) {
        goto done;
    }
    nm->n = 0;
    memset(nm->type, 0, sizeof nm->type);
    ubrk_first(sb);
    int32_t sent_end = ubrk_next(sb);
    size_t n = 0;
    int sent_start = 1;
    toker tk;
    toker_init(&tk, wb, text);
    int32_t s, end;
    while (toker_next(&tk, &s, &end)) {
        /* A token at or past the sentence end starts the next sentence. */
        if (sent_end != UBRK_DONE && s >= sent_end) {
            if ((rc = flush(md, sc, n, sent_start, &o, nm)) != HD_OK) goto done;
            n = 0;
            sent_start = 1;
            while (sent_end != UBRK_DONE && s >= sent_end) sent_end = ubrk_next(sb);
        }
        if (n == HD_NER_WINDOW) {
            if ((rc = flush(md, sc, n, sent_start, &o, nm)) != HD_OK) goto done;
            n = 0;
            sent_start = 0;
        }
        sc->tok[n].ptr = text + s;
        sc->tok[n].len = (size_t)(end - s);
        sc->start[n] = (uint32_t)s;
        n++;
    }
    if ((rc = flush(md, sc, n, sent_start, &o, nm)) != HD_OK) goto done;
    if (nm->n) rc = propagate_text(wb, text, nm, &o);
done:
    hd_free(sc);
    hd_free(nm);
    ubrk_close(wb);
    ubrk_close(sb);
    utext_close(ut);
    if (rc != HD_OK) return rc;
    *out = o.v;
    return (int)(o.n > INT32_MAX ? INT32_MAX : o.n);
}

/*---------------------------------------------------------------------------
** Training: averaged perceptron with lazy averaging (the average is
** w - u/c, where u accumulates every update times the step it was made at).
*/

struct hd_ner_trainer {
    unsigned bits;
    float *w, *u;
    float tw[NTRANS], tu[NTRANS];
    double c;
    float prune;
    float emit[HD_NER_WINDOW * HD_NER_TAGS];
    uint8_t back[HD_NER_WINDOW * HD_NER_TAGS];
    uint8_t pred[HD_NER_WINDOW];
};

hd_ner_trainer *hd_ner_trainer_new(unsigned bits) {
    if (bits < HD_NER_BITS_MIN || bits > HD_NER_BITS_MAX) return NULL;
    hd_ner_trainer *t = hd_calloc(1, sizeof *t);
    if (t == NULL) return NULL;
    t->bits = bits;
    t->w = hd_calloc((size_t)1 << bits, HD_NER_TAGS * sizeof(float));
    t->u = hd_calloc((size_t)1 << bits, HD_NER_TAGS * sizeof(float));
    t->c = 1;
    if (t->w == NULL || t->u == NULL) {
        hd_ner_trainer_free(t);
        return NULL;
    }
    return t;
}

void hd_ner_trainer_free(hd_ner_trainer *t) {
    if (t == NULL) return;
    hd_free(t->w);
    hd_free(t->u);
    hd_free(t);
}

static void upd_row(hd_ner_trainer *t, const uint32_t *r, int tag, float d) {
    float cu = (float)t->c * d;
    for (int k = 0; k < HD_NER_NFEAT; k++) {
        size_t at = (size_t)r[k] * HD_NER_TAGS + (size_t)tag;
        t->w[at] += d;
        t->u[at] += cu;
    }
}

size_t hd_ner_trainer_step(hd_ner_trainer *t, const uint32_t *rows, const uint8_t *gold,
                           size_t n) {
    if (n > HD_NER_WINDOW) n = HD_NER_WINDOW;
    for (size_t i = 0; i < n; i++) {
        float *e = t->emit + i * HD_NER_TAGS;
        memset(e, 0, HD_NER_TAGS * sizeof *e);
        const uint32_t *r = rows + i * HD_NER_NFEAT;
        for (int k = 0; k < HD_NER_NFEAT; k++) {
            const float *w = t->w + (size_t)r[k] * HD_NER_TAGS;
            for (int g = 0; g < HD_NER_TAGS; g++) e[g] += w[g];
        }
    }
    hd_ner_viterbi(t->emit, t->tw, n, t->back, t->pred);
    size_t wrong = 0;
    float cu = (float)t->c;
    for (size_t i = 0; i < n; i++) {
        int g = gold[i], p = t->pred[i];
        int gp = i ? gold[i - 1] : HD_NER_TAGS, pp = i ? t->pred[i - 1] : HD_NER_TAGS;
        if (g != p) {
            wrong++;
            upd_row(t, rows + i * HD_NER_NFEAT, g, 1);
            upd_row(t, rows + i * HD_NER_NFEAT, p, -1);
        }
        if (g != p || gp != pp) {
            t->tw[gp * HD_NER_TAGS + g] += 1;
            t->tu[gp * HD_NER_TAGS + g] += cu;
            t->tw[pp * HD_NER_TAGS + p] -= 1;
            t->tu[pp * HD_NER_TAGS + p] -= cu;
        }
    }
    t->c += 1;
    return wrong;
}

static int row_kept(const hd_ner_trainer *t, size_t r, float inv, float prune) {
    for (int g = 0; g < HD_NER_TAGS; g++)
        if (fabsf(t->w[r * HD_NER_TAGS + g] - t->u[r * HD_NER_TAGS + g] * inv) >= prune) return 1;
    return 0;
}

void hd_ner_trainer_prune(hd_ner_trainer *t, float below) { t->prune = below; }

int hd_ner_trainer_encode(const hd_ner_trainer *t, const char *lang, const hd_ner_gaz *gaz,
                          uint8_t **out, size_t *out_len, hd_err *err) {
    char lg[8] = {0};
    if (t == NULL || lang == NULL || strlen(lang) >= sizeof lg || out == NULL || out_len == NULL)
        return hd_err_set(err, HD_EINVAL, NULL);
    size_t ngaz = gaz ? gaz->n : 0;
    for (size_t i = 0; i < ngaz; i++)
        if ((i && gaz->hash[i] <= gaz->hash[i - 1]) || gaz->mask[i] == 0 || gaz->mask[i] > 15)
            return hd_err_set(err, HD_EINVAL, "ner: gazetteer not sorted or bad mask");
    memcpy(lg, lang, strlen(lang));
    if (!valid_lang(lg, 8)) return hd_err_set(err, HD_EINVAL, "ner: bad language %s", lang);
    size_t nw = ((size_t)1 << t->bits) * HD_NER_TAGS;
    float inv = (float)(1.0 / t->c), maxabs = 0;
    for (size_t i = 0; i < nw; i++) {
        float v = fabsf(t->w[i] - t->u[i] * inv);
        if (v > maxabs) maxabs = v;
    }
    float scale = maxabs > 0 ? maxabs / 32767.0f : 1.0f;
    /* Rows whose weights are all below `prune` are dropped (rare features
    ** whose average stayed tiny); everything else is quantised. */
    float prune = t->prune > scale ? t->prune : scale / 2;
    size_t nrows = 0;
    for (size_t r = 0; r < ((size_t)1 << t->bits); r++)
        nrows += row_kept(t, r, inv, prune);
    size_t size = HEADER_SIZE + nrows * ROW_SIZE + 4 + 9 * ngaz + 8;
    uint8_t *buf = hd_malloc(size);
    if (buf == NULL) return hd_err_set(err, HD_ENOMEM, NULL);
    memcpy(buf, NER_MAGIC, 8);
    put32(buf + 8, NER_VERSION);
    put32(buf + 12, t->bits);
    put32(buf + 16, HD_NER_TAGS);
    put32(buf + 20, HD_NER_NFEAT);
    memcpy(buf + 24, lg, 8);
    putf(buf + 32, scale);
    for (size_t i = 0; i < NTRANS; i++) putf(buf + 36 + 4 * i, t->tw[i] - t->tu[i] * inv);
    put32(buf + HEADER_SIZE - 4, (uint32_t)nrows);
    uint8_t *p = buf + HEADER_SIZE;
    for (size_t r = 0; r < ((size_t)1 << t->bits); r++) {
        if (!row_kept(t, r, inv, prune)) continue;
        int16_t q[HD_NER_TAGS];
        for (int g = 0; g < HD_NER_TAGS; g++) {
            long v = lrintf((t->w[r * HD_NER_TAGS + g] - t->u[r * HD_NER_TAGS + g] * inv) / scale);
            q[g] = (int16_t)(v > 32767 ? 32767 : v < -32767 ? -32767 : v);
        }
        put32(p, (uint32_t)r);
        for (int g = 0; g < HD_NER_TAGS; g++) {
            p[4 + 2 * g] = (uint8_t)((uint16_t)q[g] & 0xFF);
            p[5 + 2 * g] = (uint8_t)((uint16_t)q[g] >> 8);
        }
        p += ROW_SIZE;
    }
    put32(p, (uint32_t)ngaz);
    for (size_t i = 0; i < ngaz; i++) {
        put64(p + 4 + 8 * i, gaz->hash[i]);
        p[4 + 8 * ngaz + i] = gaz->mask[i];
    }
    p += 4 + 9 * ngaz;
    put64(p, XXH3_64bits(buf, size - 8));
    *out = buf;
    *out_len = size;
    return HD_OK;
}

int hd_ner_trainer_save(const hd_ner_trainer *t, const char *lang, const hd_ner_gaz *gaz,
                        const char *path, hd_err *err) {
    uint8_t *buf;
    size_t size;
    if (path == NULL) return hd_err_set(err, HD_EINVAL, NULL);
    int rc = hd_ner_trainer_encode(t, lang, gaz, &buf, &size, err);
    if (rc != HD_OK) return rc;
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(buf, 1, size, f) != size) rc = HD_EIO;
    if (f != NULL && fclose(f) != 0) rc = HD_EIO;
    hd_free(buf);
    if (rc != HD_OK) return hd_err_set(err, rc, "ner: cannot write %s", path);
    return HD_OK;
}
