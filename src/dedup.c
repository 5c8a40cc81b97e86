/*
** dedup.c -- exact and near-duplicate detection at ingest.
**
** Stage "fingerprint" of the pipeline.  Reads d->fold (the case- and
** accent-folded title and text) and d->id, d->published; writes nothing
** into the doc, only rows in the store: the doc's sketch, its LSH band
** keys, and one link per duplicate found.
**
** The body is the fold after the title's line: a changed headline does not
** change the sketch.  It is cut into tokens: runs of letters, marks and
** digits, and single characters in scripts written without spaces (Han,
** kana, Thai, Lao, Khmer, Myanmar), so punctuation, spacing and case never
** matter.  From the tokens come
**   - the exact key: XXH3-64 over the tokens' bytes, nothing between them;
**   - shingles: every run of SHINGLE consecutive tokens, hashed to 64 bits,
**     counted once each (exactly, up to SET_MAX distinct shingles);
**   - MinHash: for each of HASHES functions h_i(x) = (a_i x + b_i) >> 32
**     over the shingle hashes, the minimum.  The share of equal minima of
**     two sketches estimates their Jaccard similarity J = |A∩B|/|A∪B|; with
**     the two shingle counts it gives |A∩B| = J (|A| + |B|) / (1 + J) and
**     the containment C = |A∩B| / min(|A|, |B|).
**   - LSH: the minima in BANDS bands of HASHES/BANDS rows, each band hashed
**     to a key; articles sharing a key are candidates.  A pair with Jaccard
**     J shares at least one key with probability 1 - (1 - J^r)^b.
**
** Parameters, chosen on bench/dedup.sh's labelled pairs (real articles and
** realistic edits of them; `dedup_scale pairs`, figures in
** docs/internals/DEDUP.md):
**   SHINGLE 3: light rewrites (5-10 % of the words changed) keep a median
**     J of 0.61 with 3-token shingles, 0.53 with 4 and 0.48 with 5, while
**     two write-ups of one event (SemEval pairs rated the same story) stay
**     at a median of 0.01 (95th percentile 0.14); 2-token shingles raise
**     that to 0.03 (0.20) and unrelated pairs to a maximum of 0.08.
**   HASHES 128: the standard error of an estimated J is sqrt(J(1-J)/128),
**     0.035 at the duplicate line; 512 bytes stored per article.
**   BANDS 42 of 3 rows: every labelled copy but 2 % of the cuts and 0.3 %
**     of the extensions shares a band key with its original; 32 bands of 4
**     rows lose 6 % of the cuts and 3 % of the rewrites; 64 of 2 rows find
**     1.7 % more cuts for five times as many same-story candidates to
**     verify and 50 % more index rows.  (126 of the 128 minima are banded.)
**
** Decision (hd_dedup_compare), for bodies of at least MIN_TOKENS tokens:
**   duplicate       equal exact keys (score 1), or J >= DUP_JACCARD (score
**                   J): the same text but for a footer, a byline, a word,
**                   the order of its paragraphs;
**   near-duplicate  J >= NEAR_JACCARD, or C >= NEAR_CONTAIN when the
**                   shorter text has at least NEAR_RATIO of the longer's
**                   shingles (a cut or extended version, a rewrite):
**                   score C.  Below that ratio the containment estimated
**                   from MinHash is too noisy to trust.
** Short bodies (a headline and a line) carry too little evidence: below
** MIN_TOKENS nothing is linked, however similar.
**
** Bounded work: one sketch (HASHES minima) per article, a hash set of at
** most SET_MAX entries while sketching, two indexed queries for candidates,
** at most HD_DEDUP_CANDIDATES verified.  Nothing is kept between articles.
*/
#include "dedup.h"

#include <string.h>

#include <utf8proc.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>

#include "err.h"
#include "mem.h"

const int hd_dedup_shingle = 3;
const int hd_dedup_hashes = 128;
const int hd_dedup_bands = 42;

#define SET_MAX (1u << 17)   /* distinct shingles counted exactly */
#define MIN_TOKENS 25        /* shorter bodies are never linked */
#define MIN_BAND_SHINGLES 20 /* smaller sketches are not banded */
#define DUP_JACCARD 0.8
#define NEAR_JACCARD 0.4
#define NEAR_CONTAIN 0.8
#define NEAR_RATIO 0.3       /* size ratio for a containment decision */

/*---- tokens ----*/

/* Scripts written without spaces: each character is a token. */
static int unspaced(utf8proc_int32_t c) {
    return (c >= 0x0E00 && c <= 0x0EFF) ||   /* Thai, Lao */
           (c >= 0x1000 && c <= 0x109F) ||   /* Myanmar */
           (c >= 0x1780 && c <= 0x17FF) ||   /* Khmer */
           (c >= 0x3040 && c <= 0x30FF) ||   /* Hiragana, Katakana */
           (c >= 0x3400 && c <= 0x4DBF) ||   /* CJK extension A */
           (c >= 0x4E00 && c <= 0x9FFF) ||   /* CJK unified */
           (c >= 0xF900 && c <= 0xFAFF) ||   /* CJK compatibility */
           (c >= 0x20000 && c <= 0x3134F);   /* CJK extensions B.. */
}

static int wordish(utf8proc_int32_t c) {
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

/*---- the distinct-shingle set ----*/

typedef struct hset {
    uint64_t *slot; /* 0 = empty */
    uint32_t mask;
    uint32_t n;     /* entries */
} hset;

/* 1 when `h` is new (or the set is full: counted, not remembered), 0 when
** seen before. */
static int hset_add(hset *s, uint64_t h) {
    if (h == 0) h = 1;
    if (s->n >= (s->mask + 1) / 2) return 1;
    for (uint32_t i = (uint32_t)h & s->mask;; i = (i + 1) & s->mask) {
        if (s->slot[i] == h) return 0;
        if (s->slot[i] == 0) {
            s->slot[i] = h;
            s->n++;
            return 1;
        }
    }
}

/*---- sketching ----*/

static uint64_t splitmix(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

typedef struct sketcher {
    hd_sketch *out;
    int k, h;
    uint64_t ring[8];  /* the last k token hashes */
    uint32_t filled;   /* tokens seen, saturating at k */
    hset set;
    uint64_t mul[HD_DEDUP_HASH_MAX], add[HD_DEDUP_HASH_MAX];
    XXH3_state_t *exact; /* on the caller's stack: it wants 64-byte alignment */
} sketcher;

static void shingle(sketcher *s, int n) {
    /* The window's token hashes, oldest first. */
    uint64_t x = 0x2545F4914F6CDD1Dull;
    uint32_t t = s->out->n_tokens;
    for (int j = n; j > 0; j--) {
        x = (x ^ s->ring[(t - (uint32_t)j) % (uint32_t)s->k]) * 0x100000001B3ull;
        x ^= x >> 29;
    }
    x = splitmix(&x);
    if (!hset_add(&s->set, x)) return;
    s->out->n_shingles++;
    uint32_t *m = s->out->min;
    for (int i = 0; i < s->h; i++) {
        uint32_t v = (uint32_t)((s->mul[i] * x + s->add[i]) >> 32);
        if (v < m[i]) m[i] = v;
    }
}

static void token(sketcher *s, const char *p, size_t len) {
    XXH3_64bits_update(s->exact, p, len);
    s->ring[s->out->n_tokens % (uint32_t)s->k] = XXH3_64bits(p, len);
    s->out->n_tokens++;
    if (s->filled < (uint32_t)s->k) s->filled++;
    if (s->filled == (uint32_t)s->k) shingle(s, s->k);
}

int hd_sketch_build(const char *text, size_t len, int k, int h, hd_arena *a, hd_sketch *out) {
    memset(out, 0, sizeof *out);
    if (k < 1 || k > 8 || h < 1 || h > HD_DEDUP_HASH_MAX || (text == NULL && len)) return HD_EINVAL;
    sketcher *s = HD_ALLOC(a, sketcher, 1);
    if (s == NULL) return HD_ENOMEM;
    memset(s, 0, sizeof *s);
    s->out = out;
    s->k = k;
    s->h = h;
    uint32_t cap = 64;
    while (cap < SET_MAX && cap < len + 2) cap *= 2;
    s->set.slot = HD_ALLOC(a, uint64_t, cap);
    if (s->set.slot == NULL) return HD_ENOMEM;
    memset(s->set.slot, 0, cap * sizeof *s->set.slot);
    s->set.mask = cap - 1;
    uint64_t seed = 0x6865726164646564ull; /* fixed: sketches are stored */
    for (int i = 0; i < h; i++) {
        s->mul[i] = splitmix(&seed) | 1;
        s->add[i] = splitmix(&seed);
        out->min[i] = UINT32_MAX;
    }
    out->n_hashes = h;
    XXH3_state_t exact;
    s->exact = &exact;
    XXH3_64bits_reset(&exact);

    size_t i = 0, start = 0;
    int in_word = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                              (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0) { /* not UTF-8 (the fold always is): skip the byte */
            n = 1;
            c = ' ';
        }
        int w = wordish(c), u = w && unspaced(c);
        if (in_word && (!w || u)) {
            token(s, text + start, i - start);
            in_word = 0;
        }
        if (u) token(s, text + i, (size_t)n);
        else if (w && !in_word) {
            start = i;
            in_word = 1;
        }
        i += (size_t)n;
    }
    if (in_word) token(s, text + start, len - start);
    /* A body shorter than one shingle is one shingle of what there is. */
    if (out->n_tokens > 0 && out->n_tokens < (uint32_t)k) shingle(s, (int)out->n_tokens);
    out->exact = XXH3_64bits_digest(&exact);
    return HD_OK;
}

hd_str hd_dedup_body(const hd_doc *d) {
    if (d->fold.ptr == NULL) return (hd_str){"", 0};
    const char *nl = memchr(d->fold.ptr, '\n', d->fold.len);
    if (nl == NULL) return d->fold;
    size_t off = (size_t)(nl + 1 - d->fold.ptr);
    return (hd_str){nl + 1, d->fold.len - off};
}

double hd_sketch_jaccard(const hd_sketch *a, const hd_sketch *b) {
    int n = a->n_hashes < b->n_hashes ? a->n_hashes : b->n_hashes, eq = 0;
    if (n <= 0) return 0.0;
    for (int i = 0; i < n; i++) eq += a->min[i] == b->min[i];
    return (double)eq / n;
}

/*---- decision ----*/

void hd_dedup_compare(const hd_sketch *a, const hd_sketch *b, hd_dup_verdict *v) {
    memset(v, 0, sizeof *v);
    uint32_t ta = a->n_tokens < b->n_tokens ? a->n_tokens : b->n_tokens;
    if (a->n_shingles == 0 || b->n_shingles == 0 || ta < MIN_TOKENS) return;
    if (a->exact == b->exact) {
        v->kind = "duplicate";
        v->score = v->jaccard = v->containment = 1.0;
        return;
    }
    double j = hd_sketch_jaccard(a, b);
    double na = a->n_shingles, nb = b->n_shingles;
    double lo = na < nb ? na : nb, hi = na < nb ? nb : na;
    double c = j * (na + nb) / (1.0 + j) / lo;
    if (c > 1.0) c = 1.0;
    v->jaccard = j;
    v->containment = c;
    if (j >= DUP_JACCARD) {
        v->kind = "duplicate";
        v->score = j;
    } else if (j >= NEAR_JACCARD || (c >= NEAR_CONTAIN && lo >= NEAR_RATIO * hi)) {
        v->kind = "near-duplicate";
        v->score = c;
    }
}

/*---- bands and storage ----*/

static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

int hd_sketch_bands(const hd_sketch *s, int bands, uint64_t *keys) {
    if (bands <= 0 || s->n_shingles < MIN_BAND_SHINGLES) return 0;
    int rows = s->n_hashes / bands;
    if (rows < 1 || rows > 16) return 0;
    for (int b = 0; b < bands; b++) {
        unsigned char buf[16 * 4];
        for (int r = 0; r < rows; r++) put32(buf + 4 * r, s->min[b * rows + r]);
        /* 32 bits: a collision only costs one extra candidate to verify. */
        keys[b] = XXH3_64bits_withSeed(buf, (size_t)rows * 4, (uint64_t)b) & 0xFFFFFFFFu;
    }
    return bands;
}

size_t hd_sketch_pack(const hd_sketch *s, unsigned char *buf) {
    for (int i = 0; i < s->n_hashes; i++) put32(buf + 4 * i, s->min[i]);
    return (size_t)s->n_hashes * 4;
}

int hd_sketch_unpack(const unsigned char *buf, size_t len, hd_sketch *s) {
    if (len % 4 || len / 4 > HD_DEDUP_HASH_MAX || len == 0) return HD_EPARSE;
    s->n_hashes = (int)(len / 4);
    for (int i = 0; i < s->n_hashes; i++) {
        const unsigned char *p = buf + 4 * i;
        s->min[i] = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                    (uint32_t)p[3] << 24;
    }
    return HD_OK;
}

/*---- the ingest step ----*/

typedef struct lookup {
    hd_store *st;
    const hd_doc *d;
    const hd_sketch *sk;
    hd_sketch other;
    char seen[2 * HD_DEDUP_CANDIDATES][HD_ID_LEN + 1];
    int n_seen;
    int links;
} lookup;

static int on_candidate(void *ud, const hd_sketch_row *r) {
    lookup *lk = ud;
    if (strcmp(r->id, lk->d->id) == 0) return 0;
    for (int i = 0; i < lk->n_seen; i++)
        if (strcmp(lk->seen[i], r->id) == 0) return 0;
    if (lk->n_seen == 2 * HD_DEDUP_CANDIDATES) return 0;
    memcpy(lk->seen[lk->n_seen++], r->id, HD_ID_LEN + 1);
    hd_sketch *o = &lk->other;
    if (hd_sketch_unpack(r->minhash, r->minhash_len, o) != HD_OK) return 0; /* foreign */
    o->exact = r->exact;
    o->n_tokens = r->n_tokens;
    o->n_shingles = r->n_shingles;
    hd_dup_verdict v;
    hd_dedup_compare(lk->sk, o, &v);
    if (v.kind == NULL) return 0;
    hd_link l;
    memset(&l, 0, sizeof l);
    memcpy(l.a, lk->d->id, sizeof l.a);
    memcpy(l.b, r->id, sizeof l.b);
    l.kind = v.kind;
    l.score = v.score;
    int64_t pa = lk->d->published, pb = r->published;
    if (pa != HD_TIME_UNKNOWN && pb != HD_TIME_UNKNOWN && pa != pb)
        memcpy(l.first, pa < pb ? l.a : l.b, sizeof l.first);
    int rc = hd_store_link_put(lk->st, &l);
    if (rc < 0) return rc;
    lk->links++;
    return 0;
}

int hd_dedup_run(hd_store *st, hd_doc *d) {
    hd_str body = hd_dedup_body(d);
    lookup *lk = HD_ALLOC(d->arena, lookup, 1);
    hd_sketch *sk = HD_ALLOC(d->arena, hd_sketch, 1);
    if (lk == NULL || sk == NULL) return HD_ENOMEM;
    int rc = hd_sketch_build(body.ptr, body.len, hd_dedup_shingle, hd_dedup_hashes, d->arena, sk);
    if (rc != HD_OK) return rc;
    if (sk->n_tokens == 0) return 0;
    uint64_t keys[HD_DEDUP_HASH_MAX];
    int nk = hd_sketch_bands(sk, hd_dedup_bands, keys);

    memset(lk, 0, offsetof(lookup, other));
    lk->st = st;
    lk->d = d;
    lk->sk = sk;
    lk->n_seen = 0;
    lk->links = 0;
    rc = st->ops->sketch_candidates(st, sk->exact, keys, nk, HD_DEDUP_CANDIDATES, on_candidate, lk);
    if (rc < 0) return rc;

    unsigned char packed[HD_DEDUP_HASH_MAX * 4];
    hd_sketch_row row;
    memcpy(row.id, d->id, sizeof row.id);
    row.exact = sk->exact;
    row.n_tokens = sk->n_tokens;
    row.n_shingles = sk->n_shingles;
    row.minhash = packed;
    row.minhash_len = hd_sketch_pack(sk, packed);
    row.published = d->published;
    rc = st->ops->sketch_put(st, &row, keys, nk);
    return rc < 0 ? rc : lk->links;
}
