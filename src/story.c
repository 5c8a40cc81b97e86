/*
** story.c -- online clustering of the article stream into stories.
**
** Articles arrive one at a time, in ingest order, and each is placed at
** once: it joins the most similar open story, or starts a new one.
**
**   article profile (compare.c)
**     -> anchors (entities, places, names, numbers, days, meanings, words)
**     -> story index: the newest POSTINGS_MAX stories holding each anchor
**     -> the CANDIDATES_MAX stories sharing the most (and rarest) anchors
**     -> similarity to each story's summary, faded by the time gap
**     -> join the best if it reaches the threshold, else a new story
**
** A story's summary (its "centroid") is the sum of its articles' term
** vectors, each article's vector of a kind scaled to unit length first and
** the sum cut to the KEEP heaviest terms of each kind, plus its article
** count per language and its first and last times.  Similarity is a
** weighted mean of cosines per kind, terms weighted by inverse document
** frequency; the weights depend on whether the story already speaks the
** article's language (words count there; across languages, meanings,
** entities and names carry the match), mixed by the share of the story's
** articles in that language.  A kind the article has but the story lacks
** counts as no match.
**
** Time: an article's stream time is its publication time, else its
** ingest time.  A story more than window_days away (before its first or
** after its last article) is closed to it; closer, the similarity fades
** linearly to half at the window's edge.  So the next summit with the
** same leaders becomes a story of its own.
**
** Document frequencies come from a count-min sketch (two rows of 2^20
** saturating 16-bit counters, conservative update) over every article
** seen, kept in the store's named values.  The whole state lives in the
** store and changes only in stream order, so the same articles in the
** same order give the same stories however they were split into runs; the
** cache of summaries is write-through and changes nothing but speed.
**
** Bounds per article: ANCHORS_MAX index lookups of at most POSTINGS_MAX
** rows, CANDIDATES_MAX summaries of at most sum(KEEP) terms -- the same on
** the first day as after a million articles.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "err.h"
#include "mem.h"
#include "story.h"

#define ANCHORS_MAX 96
#define POSTINGS_MAX 32
#define CANDIDATES_MAX 16
#define CACHE_N 4096       /* summaries kept in memory, direct-mapped by id */
#define LANGS_MAX 8
#define SK_BITS 20
#define SK_W (1u << SK_BITS)

#define THRESHOLD_DEFAULT 0.40
#define WINDOW_DEFAULT 7.0 /* days */

/* The kinds a summary keeps and how many terms of each. */
static const struct skind {
    int pv;
    int keep;
} KINDS[] = {
    {HD_PV_WORD, 160}, {HD_PV_CONCEPT, 160}, {HD_PV_ENT, 48}, {HD_PV_NAME, 48},
    {HD_PV_PLACE, 24}, {HD_PV_COUNTRY, 8},   {HD_PV_NUM, 24}, {HD_PV_DAY, 12},
    {HD_PV_MONTH, 8},  {HD_PV_YEAR, 6},
};
#define K_N ((int)(sizeof KINDS / sizeof KINDS[0]))

/* The features of an (article, story) pair: per kind, the cosine and the
** containment (the share of the article's weight the story holds too),
** each weighted by the share of the story's articles in the article's
** language and by the rest; then that share, the time gap as a share of
** the window, and the story's size. */
enum { F_MONO = 0, F_CROSS = K_N, F_CMONO = 2 * K_N, F_CCROSS = 3 * K_N, F_SHARE = 4 * K_N,
       F_GAP, F_SIZE, F_N };

/* The probability that the article belongs to the story is the logistic
** function of b + w . features, read from data/story.model (fitted by
** bench/stories_fit.py on the decisions traced over the ECB+, Google News
** and SemEval streams). */
static const char *const KIND_NAMES[] = {"word", "concept", "ent",   "name",  "place",
                                         "country", "num",  "day",   "month", "year"};
_Static_assert(sizeof KIND_NAMES / sizeof KIND_NAMES[0] == K_N, "a name per kind");

typedef struct model {
    double b, w[F_N];
} model;

typedef struct centroid {
    int64_t id, first, last;
    uint32_t n;
    hd_term *v[K_N];
    uint32_t nv[K_N];
    struct {
        char code[8];
        uint32_t n;
    } lang[LANGS_MAX];
    int n_lang;
} centroid;

struct hd_stories {
    hd_store *st;
    hd_story_params prm;
    uint32_t docs;      /* articles counted in the sketch */
    uint16_t *sk;       /* 2 x SK_W counters */
    int64_t max_id;
    centroid *cache[CACHE_N];
    model m;
    hd_story_trace_fn trace;
    void *trace_ud;
};

void hd_stories_trace(hd_stories *s, hd_story_trace_fn fn, void *ud) {
    s->trace = fn;
    s->trace_ud = ud;
}

/*---- parameters ----*/

void hd_story_params_default(hd_story_params *p) {
    p->threshold = THRESHOLD_DEFAULT;
    p->window_days = WINDOW_DEFAULT;
}

static int params_valid(const hd_story_params *p) {
    return p->threshold >= 0 && p->threshold <= 1 && p->window_days > 0 &&
           p->window_days <= 3650;
}

const hd_story_params *hd_stories_params(const hd_stories *s) { return &s->prm; }

int64_t hd_story_time(const hd_doc *d) {
    return d->published != HD_TIME_UNKNOWN ? d->published : d->ingested;
}

/*---- little-endian encoding ----*/

typedef struct wbuf {
    unsigned char *p;
    size_t n, cap;
    int failed;
} wbuf;

static void put_bytes(wbuf *b, const void *v, size_t n) {
    if (b->failed) return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->n + n) cap *= 2;
        unsigned char *p = hd_realloc(b->p, cap);
        if (p == NULL) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, v, n);
    b->n += n;
}

static void put_u(wbuf *b, uint64_t v, int bytes) {
    unsigned char t[8];
    for (int i = 0; i < bytes; i++) t[i] = (unsigned char)(v >> (8 * i));
    put_bytes(b, t, (size_t)bytes);
}

static void put_f32(wbuf *b, float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    put_u(b, u, 4);
}

typedef struct rbuf {
    const unsigned char *p;
    size_t n, at;
    int bad;
} rbuf;

static uint64_t get_u(rbuf *r, int bytes) {
    if (r->bad || r->at + (size_t)bytes > r->n) {
        r->bad = 1;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v |= (uint64_t)r->p[r->at + (size_t)i] << (8 * i);
    r->at += (size_t)bytes;
    return v;
}

static float get_f32(rbuf *r) {
    uint32_t u = (uint32_t)get_u(r, 4);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/*---- document frequencies: a count-min sketch ----*/

static void sk_slots(uint64_t key, uint32_t *a, uint32_t *b) {
    *a = (uint32_t)(key & (SK_W - 1));
    *b = SK_W + (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - SK_BITS));
}

static uint32_t df_of(const hd_stories *s, uint64_t key) {
    uint32_t a, b;
    sk_slots(key, &a, &b);
    return s->sk[a] < s->sk[b] ? s->sk[a] : s->sk[b];
}

/* Conservative update: raise only the counters at the minimum. */
static void df_add(hd_stories *s, uint64_t key) {
    uint32_t a, b;
    sk_slots(key, &a, &b);
    uint16_t m = s->sk[a] < s->sk[b] ? s->sk[a] : s->sk[b];
    if (m == UINT16_MAX) return;
    if (s->sk[a] == m) s->sk[a]++;
    if (s->sk[b] == m) s->sk[b]++;
}

static double idf(const hd_stories *s, uint64_t key) {
    return log((s->docs + 1.0) / (df_of(s, key) + 1.0)) + 1.0;
}

static int df_load(hd_stories *s) {
    unsigned char *v = NULL;
    size_t n = 0;
    int rc = s->st->ops->meta_get(s->st, "story.df", &v, &n);
    if (rc == HD_ENOTFOUND) return HD_OK;
    if (rc != HD_OK) return rc;
    rbuf r = {v, n, 0, 0};
    if (n == 4 + 4 * (size_t)SK_W) {
        s->docs = (uint32_t)get_u(&r, 4);
        for (uint32_t i = 0; i < 2 * SK_W; i++) s->sk[i] = (uint16_t)get_u(&r, 2);
    }
    hd_free(v);
    return HD_OK; /* counts of another size are dropped: they only weigh terms */
}

/*---- summaries ----*/

static void centroid_free(centroid *c) {
    if (c == NULL) return;
    for (int k = 0; k < K_N; k++) hd_free(c->v[k]);
    hd_free(c);
}

static void encode(const centroid *c, wbuf *b) {
    put_u(b, 1, 1); /* format version */
    put_u(b, (uint64_t)c->n_lang, 1);
    for (int i = 0; i < c->n_lang; i++) {
        put_bytes(b, c->lang[i].code, 8);
        put_u(b, c->lang[i].n, 4);
    }
    put_u(b, K_N, 1);
    for (int k = 0; k < K_N; k++) {
        put_u(b, c->nv[k], 2);
        for (uint32_t i = 0; i < c->nv[k]; i++) {
            put_u(b, c->v[k][i].key, 8);
            put_f32(b, c->v[k][i].w);
        }
    }
}

static int decode_row(void *ud, const hd_story_row *row) {
    centroid **out = ud;
    centroid *c = hd_calloc(1, sizeof *c);
    if (c == NULL) return HD_ENOMEM;
    c->id = row->id;
    c->first = row->first;
    c->last = row->last;
    c->n = row->n;
    rbuf r = {row->centroid, row->centroid_len, 0, 0};
    int ok = get_u(&r, 1) == 1;
    c->n_lang = (int)get_u(&r, 1);
    if (c->n_lang > LANGS_MAX) ok = 0;
    for (int i = 0; ok && i < c->n_lang; i++) {
        for (int j = 0; j < 8; j++) c->lang[i].code[j] = (char)get_u(&r, 1);
        c->lang[i].code[7] = 0;
        c->lang[i].n = (uint32_t)get_u(&r, 4);
    }
    if (get_u(&r, 1) != K_N) ok = 0;
    for (int k = 0; ok && k < K_N; k++) {
        uint32_t n = (uint32_t)get_u(&r, 2);
        if (n > (uint32_t)KINDS[k].keep || r.bad) {
            ok = 0;
            break;
        }
        c->v[k] = n ? hd_malloc(n * sizeof *c->v[k]) : NULL;
        if (n && c->v[k] == NULL) {
            centroid_free(c);
            return HD_ENOMEM;
        }
        for (uint32_t i = 0; i < n; i++) {
            c->v[k][i].key = get_u(&r, 8);
            c->v[k][i].w = get_f32(&r);
        }
        c->nv[k] = n;
    }
    if (!ok || r.bad) { /* an unreadable summary: the story goes on from empty */
        for (int k = 0; k < K_N; k++) {
            hd_free(c->v[k]);
            c->v[k] = NULL;
            c->nv[k] = 0;
        }
        c->n_lang = 0;
    }
    *out = c;
    return HD_OK;
}

/* The summary of story `id`, from the cache or the store; NULL with *rc
** set when it cannot be had. */
static centroid *centroid_get(hd_stories *s, int64_t id, int *rc) {
    centroid **slot = &s->cache[(uint64_t)id % CACHE_N], *hit = *slot;
    if (hit && hit->id == id) return hit;
    centroid *c = NULL;
    *rc = s->st->ops->story_get(s->st, id, decode_row, &c);
    if (*rc != HD_OK) return NULL;
    centroid_free(*slot);
    *slot = c;
    return c;
}

static int centroid_put(hd_stories *s, const centroid *c) {
    wbuf b = {0};
    encode(c, &b);
    if (b.failed) {
        hd_free(b.p);
        return HD_ENOMEM;
    }
    hd_story_row row = {c->id, c->first, c->last, c->n, b.p, b.n};
    int rc = s->st->ops->story_put(s->st, &row);
    hd_free(b.p);
    return rc;
}

static int cmp_key(const void *a, const void *b) {
    uint64_t x = ((const hd_term *)a)->key, y = ((const hd_term *)b)->key;
    return x < y ? -1 : x > y;
}

static int cmp_weight(const void *a, const void *b) {
    const hd_term *x = a, *y = b;
    if (x->w != y->w) return x->w > y->w ? -1 : 1;
    return cmp_key(a, b);
}

/* Add vector (t, n), scaled to unit length, to kind k of `c`, keeping the
** heaviest KINDS[k].keep terms. */
static int centroid_add(centroid *c, int k, const hd_term *t, uint32_t n) {
    if (n == 0) return HD_OK;
    double norm = 0;
    for (uint32_t i = 0; i < n; i++) norm += (double)t[i].w * t[i].w;
    norm = sqrt(norm);
    if (norm <= 0) return HD_OK;
    hd_term *m = hd_malloc((c->nv[k] + n) * sizeof *m);
    if (m == NULL) return HD_ENOMEM;
    uint32_t i = 0, j = 0, o = 0;
    while (i < c->nv[k] || j < n) {
        if (j == n || (i < c->nv[k] && c->v[k][i].key < t[j].key)) m[o++] = c->v[k][i++];
        else if (i == c->nv[k] || t[j].key < c->v[k][i].key) {
            m[o].key = t[j].key;
            m[o++].w = (float)(t[j++].w / norm);
        } else {
            m[o].key = t[j].key;
            m[o++].w = c->v[k][i++].w + (float)(t[j++].w / norm);
        }
    }
    if (o > (uint32_t)KINDS[k].keep) {
        qsort(m, o, sizeof *m, cmp_weight);
        o = (uint32_t)KINDS[k].keep;
        qsort(m, o, sizeof *m, cmp_key);
    }
    hd_free(c->v[k]);
    c->v[k] = m;
    c->nv[k] = o;
    return HD_OK;
}

static void centroid_lang(centroid *c, const char *lang) {
    for (int i = 0; i < c->n_lang; i++)
        if (strcmp(c->lang[i].code, lang) == 0) {
            c->lang[i].n++;
            return;
        }
    if (c->n_lang == LANGS_MAX) return; /* the rarest languages go uncounted */
    snprintf(c->lang[c->n_lang].code, sizeof c->lang[0].code, "%s", lang);
    c->lang[c->n_lang++].n = 1;
}

static uint32_t lang_count(const centroid *c, const char *lang) {
    for (int i = 0; i < c->n_lang; i++)
        if (strcmp(c->lang[i].code, lang) == 0) return c->lang[i].n;
    return 0;
}

/*---- similarity ----*/

/* The article's side, computed once: idf-weighted terms and norms. */
typedef struct side {
    const hd_term *t[K_N];
    uint32_t n[K_N];
    double *idf[K_N];
    double norm[K_N];
} side;

static int side_init(hd_stories *s, const hd_profile *p, side *a) {
    memset(a, 0, sizeof *a);
    for (int k = 0; k < K_N; k++) {
        a->t[k] = hd_profile_vec(p, KINDS[k].pv, &a->n[k]);
        if (a->n[k] == 0) continue;
        a->idf[k] = hd_malloc(a->n[k] * sizeof(double));
        if (a->idf[k] == NULL) return HD_ENOMEM;
        double sum = 0;
        for (uint32_t i = 0; i < a->n[k]; i++) {
            double w = idf(s, a->t[k][i].key);
            a->idf[k][i] = w;
            sum += (a->t[k][i].w * w) * (a->t[k][i].w * w);
        }
        a->norm[k] = sqrt(sum);
    }
    return HD_OK;
}

static void side_fini(side *a) {
    for (int k = 0; k < K_N; k++) hd_free(a->idf[k]);
}

/* The idf-weighted cosine of kind k; *contain gets the share of the
** article's squared weight on terms the story has. */
static double cosine(const hd_stories *s, const side *a, int k, const centroid *c,
                     double *contain) {
    const hd_term *x = a->t[k], *y = c->v[k];
    uint32_t nx = a->n[k], ny = c->nv[k], i = 0, j = 0;
    *contain = 0;
    if (nx == 0 || ny == 0 || a->norm[k] <= 0) return 0;
    double dot = 0, ny2 = 0, held = 0;
    for (uint32_t q = 0; q < ny; q++) {
        double w = y[q].w * idf(s, y[q].key);
        ny2 += w * w;
    }
    while (i < nx && j < ny) {
        if (x[i].key < y[j].key) i++;
        else if (y[j].key < x[i].key) j++;
        else {
            double w = a->idf[k][i];
            dot += x[i].w * w * y[j].w * w;
            held += (x[i].w * w) * (x[i].w * w);
            i++, j++;
        }
    }
    *contain = held / (a->norm[k] * a->norm[k]);
    return ny2 > 0 ? dot / (a->norm[k] * sqrt(ny2)) : 0;
}

static void features(const hd_stories *s, const side *a, const char *lang, const centroid *c,
                     double gap, double *f) {
    double share = c->n ? (double)lang_count(c, lang) / c->n : 0;
    if (share > 1) share = 1;
    for (int k = 0; k < K_N; k++) {
        double ct, cs = cosine(s, a, k, c, &ct);
        f[F_MONO + k] = share * cs;
        f[F_CROSS + k] = (1 - share) * cs;
        f[F_CMONO + k] = share * ct;
        f[F_CCROSS + k] = (1 - share) * ct;
    }
    f[F_SHARE] = share;
    f[F_GAP] = gap / s->prm.window_days;
    f[F_SIZE] = log(1.0 + c->n);
}

static double probability(const model *m, const double *f) {
    double z = m->b;
    for (int i = 0; i < F_N; i++) z += m->w[i] * f[i];
    return 1 / (1 + exp(-z));
}

/* The index of feature `name` ("mono.word", "share", ...), or -1. */
static int feature_index(const char *name) {
    static const char *const extra[] = {"share", "gap", "size"};
    for (int k = 0; k < K_N; k++) {
        char b[32];
        snprintf(b, sizeof b, "mono.%s", KIND_NAMES[k]);
        if (strcmp(b, name) == 0) return F_MONO + k;
        snprintf(b, sizeof b, "cross.%s", KIND_NAMES[k]);
        if (strcmp(b, name) == 0) return F_CROSS + k;
        snprintf(b, sizeof b, "mono.in.%s", KIND_NAMES[k]);
        if (strcmp(b, name) == 0) return F_CMONO + k;
        snprintf(b, sizeof b, "cross.in.%s", KIND_NAMES[k]);
        if (strcmp(b, name) == 0) return F_CCROSS + k;
    }
    for (int i = 0; i < 3; i++)
        if (strcmp(extra[i], name) == 0) return F_SHARE + i;
    return -1;
}

/* Read "name value" lines ('#' comments); "bias" is the intercept.  Every
** feature must be given once. */
static int model_load(model *m, const char *datadir, hd_err *err) {
    char path[4096];
    snprintf(path, sizeof path, "%s/story.model", datadir ? datadir : hd_data_dir());
    FILE *f = fopen(path, "r");
    if (f == NULL) return hd_err_set(err, HD_EMODEL, "%s: cannot open the story model", path);
    char line[256], name[64];
    int seen[F_N + 1] = {0}, lineno = 0, rc = HD_OK;
    while (rc == HD_OK && fgets(line, sizeof line, f)) {
        lineno++;
        double v;
        if (line[0] == '#' || line[strspn(line, " \t\r\n")] == 0) continue;
        int i = -2;
        if (sscanf(line, "%63s %lf", name, &v) == 2)
            i = strcmp(name, "bias") == 0 ? F_N : feature_index(name);
        if (i < 0 || seen[i]++ || !isfinite(v)) {
            rc = hd_err_set(err, HD_EMODEL, "%s:%d: not a feature and weight, or given twice",
                            path, lineno);
            break;
        }
        if (i == F_N) m->b = v;
        else m->w[i] = v;
    }
    fclose(f);
    for (int i = 0; rc == HD_OK && i <= F_N; i++)
        if (!seen[i]) rc = hd_err_set(err, HD_EMODEL, "%s: a feature has no weight", path);
    return rc;
}

/* Days between `t` and the story's span; 0 inside it. */
static double gap_days(const centroid *c, int64_t t) {
    int64_t g = t < c->first ? c->first - t : t > c->last ? t - c->last : 0;
    return (double)g / 86400.0;
}

/*---- candidates ----*/

typedef struct cand {
    int64_t id;
    double w;
} cand;

typedef struct gather {
    cand *c;
    size_t n, cap;
    double w;
    int failed;
} gather;

static int on_story(void *ud, int64_t id) {
    gather *g = ud;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 256;
        cand *c = hd_realloc(g->c, cap * sizeof *c);
        if (c == NULL) {
            g->failed = 1;
            return 1;
        }
        g->c = c;
        g->cap = cap;
    }
    g->c[g->n].id = id;
    g->c[g->n++].w = g->w;
    return 0;
}

static int cmp_cand_id(const void *a, const void *b) {
    int64_t x = ((const cand *)a)->id, y = ((const cand *)b)->id;
    return x < y ? -1 : x > y;
}

static int cmp_cand_w(const void *a, const void *b) {
    const cand *x = a, *y = b;
    if (x->w != y->w) return x->w > y->w ? -1 : 1;
    return x->id > y->id ? -1 : x->id < y->id; /* newer first */
}

/* The stories sharing the most (and rarest) anchors, best first. */
static int candidates(hd_stories *s, const uint64_t *keys, int nk, cand *out, int max) {
    gather g = {0};
    for (int i = 0; i < nk && !g.failed; i++) {
        g.w = idf(s, keys[i]);
        int rc = s->st->ops->story_keys_find(s->st, keys[i], POSTINGS_MAX, on_story, &g);
        if (rc < 0) {
            hd_free(g.c);
            return rc;
        }
    }
    if (g.failed) {
        hd_free(g.c);
        return HD_ENOMEM;
    }
    size_t m = 0;
    if (g.n) {
        qsort(g.c, g.n, sizeof *g.c, cmp_cand_id);
        for (size_t i = 0; i < g.n; i++) {
            if (m && g.c[m - 1].id == g.c[i].id) g.c[m - 1].w += g.c[i].w;
            else g.c[m++] = g.c[i];
        }
        qsort(g.c, m, sizeof *g.c, cmp_cand_w);
    }
    int n = (int)(m < (size_t)max ? m : (size_t)max);
    if (n) memcpy(out, g.c, (size_t)n * sizeof *out);
    hd_free(g.c);
    return n;
}

/*---- the stream ----*/

static int params_load(hd_stories *s) {
    unsigned char *v = NULL;
    size_t n = 0;
    hd_story_params_default(&s->prm);
    int rc = s->st->ops->meta_get(s->st, "story.params", &v, &n);
    if (rc == HD_ENOTFOUND) return HD_OK;
    if (rc != HD_OK) return rc;
    char text[128];
    snprintf(text, sizeof text, "%.*s", (int)(n < sizeof text ? n : sizeof text - 1), (char *)v);
    hd_free(v);
    hd_story_params p;
    if (sscanf(text, "threshold=%lf window_days=%lf", &p.threshold, &p.window_days) == 2 &&
        params_valid(&p))
        s->prm = p;
    return HD_OK;
}

hd_stories *hd_stories_open(hd_store *st, const char *datadir, hd_err *err) {
    if (st == NULL || st->ops->story_put == NULL) {
        hd_err_set(err, HD_EINVAL, "stories: this store keeps no stories");
        return NULL;
    }
    hd_stories *s = hd_calloc(1, sizeof *s);
    if (s == NULL || (s->sk = hd_calloc(2 * SK_W, sizeof *s->sk)) == NULL) {
        hd_stories_free(s);
        hd_err_set(err, HD_ENOMEM, NULL);
        return NULL;
    }
    s->st = st;
    if (model_load(&s->m, datadir, err) != HD_OK) {
        hd_stories_free(s);
        return NULL;
    }
    int rc = params_load(s);
    if (rc == HD_OK) rc = df_load(s);
    if (rc == HD_OK && (s->max_id = st->ops->story_max(st)) < 0) rc = (int)s->max_id;
    if (rc != HD_OK) {
        hd_err_set(err, rc, "stories: %s", rc == HD_EDB ? hd_store_errmsg(st) : hd_strerror(rc));
        hd_stories_free(s);
        return NULL;
    }
    return s;
}

void hd_stories_free(hd_stories *s) {
    if (s == NULL) return;
    for (int i = 0; i < CACHE_N; i++) centroid_free(s->cache[i]);
    hd_free(s->sk);
    hd_free(s);
}

int hd_stories_save(hd_stories *s) {
    char text[128];
    int n = snprintf(text, sizeof text, "threshold=%.6f window_days=%.6f", s->prm.threshold,
                     s->prm.window_days);
    int rc = s->st->ops->meta_put(s->st, "story.params", text, (size_t)n);
    if (rc != HD_OK) return rc;
    wbuf b = {0};
    put_u(&b, s->docs, 4);
    for (uint32_t i = 0; i < 2 * SK_W; i++) put_u(&b, s->sk[i], 2);
    rc = b.failed ? HD_ENOMEM : s->st->ops->meta_put(s->st, "story.df", b.p, b.n);
    hd_free(b.p);
    return rc;
}

int hd_stories_reset(hd_stories *s, const hd_story_params *p) {
    if (p != NULL) {
        if (!params_valid(p)) return HD_EINVAL;
        s->prm = *p;
    }
    int rc = s->st->ops->story_clear(s->st);
    if (rc != HD_OK) return rc;
    for (int i = 0; i < CACHE_N; i++) {
        centroid_free(s->cache[i]);
        s->cache[i] = NULL;
    }
    memset(s->sk, 0, 2 * SK_W * sizeof *s->sk);
    s->docs = 0;
    s->max_id = 0;
    return hd_stories_save(s);
}

/* Count the article's terms in the sketch. */
static void count_terms(hd_stories *s, const hd_profile *p) {
    for (int k = 0; k < K_N; k++) {
        uint32_t n;
        const hd_term *t = hd_profile_vec(p, KINDS[k].pv, &n);
        for (uint32_t i = 0; i < n; i++) df_add(s, t[i].key);
    }
    s->docs++;
}

/* The best open story for the article, or 0; its similarity in *best. */
static int best_story(hd_stories *s, const hd_profile *p, const side *a, int64_t t,
                      const uint64_t *keys, int nk, int64_t *id, double *best) {
    cand c[CANDIDATES_MAX];
    int n = candidates(s, keys, nk, c, CANDIDATES_MAX);
    if (n < 0) return n;
    *id = 0;
    *best = -1;
    for (int i = 0; i < n; i++) {
        int rc = HD_OK;
        centroid *sc = centroid_get(s, c[i].id, &rc);
        if (sc == NULL) {
            if (rc == HD_ENOTFOUND) continue; /* a stale index entry */
            return rc;
        }
        double g = gap_days(sc, t);
        if (g > s->prm.window_days) continue;
        double f[F_N];
        features(s, a, hd_profile_lang(p), sc, g, f);
        double sim = probability(&s->m, f);
        if (s->trace) s->trace(s->trace_ud, hd_profile_id(p), sc->id, f, F_N);
        if (sim > *best || (sim == *best && sc->id < *id)) {
            *best = sim;
            *id = sc->id;
        }
    }
    return HD_OK;
}

int hd_stories_add(hd_stories *s, const hd_profile *p, int64_t t, int64_t *story) {
    return hd_stories_add_as(s, p, t, -1, story);
}

int hd_stories_add_as(hd_stories *s, const hd_profile *p, int64_t t, int64_t force,
                      int64_t *story) {
    count_terms(s, p);
    uint64_t keys[ANCHORS_MAX];
    int nk = hd_profile_anchors(p, keys, ANCHORS_MAX);
    side a;
    int rc = side_init(s, p, &a);
    int64_t id = 0;
    double best = 0;
    if (rc == HD_OK) rc = best_story(s, p, &a, t, keys, nk, &id, &best);
    side_fini(&a);
    if (rc != HD_OK) return rc;

    centroid *c;
    if (force >= 0) id = force, best = force ? 1 : 0;
    if (id != 0 && (best >= s->prm.threshold || force > 0)) {
        c = centroid_get(s, id, &rc);
        if (c == NULL) return rc;
        if (t < c->first) c->first = t;
        if (t > c->last) c->last = t;
    } else {
        c = hd_calloc(1, sizeof *c);
        if (c == NULL) return HD_ENOMEM;
        c->id = ++s->max_id;
        c->first = c->last = t;
        centroid **slot = &s->cache[(uint64_t)c->id % CACHE_N];
        centroid_free(*slot);
        *slot = c;
        best = 1;
    }
    c->n++;
    centroid_lang(c, hd_profile_lang(p));
    for (int k = 0; k < K_N && rc == HD_OK; k++) {
        uint32_t n;
        const hd_term *v = hd_profile_vec(p, KINDS[k].pv, &n);
        rc = centroid_add(c, k, v, n);
    }
    if (rc == HD_OK) rc = centroid_put(s, c);
    if (rc == HD_OK) rc = s->st->ops->story_join(s->st, hd_profile_id(p), c->id, best, t);
    if (rc == HD_OK) rc = s->st->ops->story_keys_put(s->st, c->id, keys, nk);
    if (rc != HD_OK) { /* the cached summary may be ahead of the store */
        centroid **slot = &s->cache[(uint64_t)c->id % CACHE_N];
        centroid_free(*slot);
        *slot = NULL;
        return rc;
    }
    *story = c->id;
    return HD_OK;
}
