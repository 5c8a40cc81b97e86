/*
** similar.c -- the nearest stored articles in any language, and the
** translation links made at ingest.
**
** Every stored article puts its anchors (compare.c: entities, places,
** names by latin key, numbers, days, dictionary meanings, frequent words)
** into the store's anchor index.  Candidates for an article are the
** articles sharing its anchors, each shared anchor weighing
** ln(1 + DF_MAX / df): an anchor found in more than DF_MAX articles is too
** common to say anything and is skipped, which also bounds the work per
** article whatever the size of the database (at most ANCHORS_MAX index
** lookups of at most DF_MAX rows).  The best candidates are then compared
** in full (hd_compare).
**
** At ingest, a new article is compared with its best TRANSLATION_CANDIDATES
** candidates in other languages and linked as a translation when the
** translation score reaches HD_TRANSLATION_MIN.  Profiles of recent
** articles are kept in a small cache, since a story's articles tend to
** arrive together.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "err.h"
#include "mem.h"
#include "similar.h"
#include "store.h"

#define ANCHORS_MAX 96
#define DF_MAX 256
#define TRANSLATION_CANDIDATES 4
#define CACHE_SIZE 64
#define TRANSLATION_WEIGHT_MIN 4.0 /* about two rare anchors in common */

struct hd_simcache {
    char id[CACHE_SIZE][HD_ID_LEN + 1];
    hd_profile *p[CACHE_SIZE];
    int next;
};

hd_simcache *hd_simcache_new(void) { return hd_calloc(1, sizeof(hd_simcache)); }

void hd_simcache_free(hd_simcache *c) {
    if (c == NULL) return;
    for (int i = 0; i < CACHE_SIZE; i++) hd_profile_free(c->p[i]);
    hd_free(c);
}

/* The cached profile of `id`, or NULL. */
static const hd_profile *cache_get(const hd_simcache *c, const char *id) {
    for (int i = 0; i < CACHE_SIZE; i++)
        if (c->p[i] && strcmp(c->id[i], id) == 0) return c->p[i];
    return NULL;
}

/* Keep `p` (the cache owns it from now on). */
static const hd_profile *cache_put(hd_simcache *c, hd_profile *p) {
    int i = c->next;
    c->next = (c->next + 1) % CACHE_SIZE;
    hd_profile_free(c->p[i]);
    c->p[i] = p;
    memcpy(c->id[i], hd_profile_id(p), HD_ID_LEN + 1);
    return p;
}

/*---- candidates ----*/

typedef struct hit {
    char id[HD_ID_LEN + 1];
    char lang[16];
    double w;
} hit;

typedef struct gather {
    hit *h;
    size_t n, cap;
    double w;
    const char *self;
    const char *not_lang; /* skip articles in this language (NULL: none) */
    int failed;
} gather;

static int on_anchor(void *ud, const char *lang, const char *article) {
    gather *g = ud;
    if (strcmp(article, g->self) == 0 || strlen(article) != HD_ID_LEN) return 0;
    if (g->not_lang && strcmp(lang, g->not_lang) == 0) return 0;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 256;
        hit *h = hd_realloc(g->h, cap * sizeof *h);
        if (h == NULL) {
            g->failed = 1;
            return 1;
        }
        g->h = h;
        g->cap = cap;
    }
    memcpy(g->h[g->n].id, article, HD_ID_LEN + 1);
    snprintf(g->h[g->n].lang, sizeof g->h[g->n].lang, "%s", lang);
    g->h[g->n].w = g->w;
    g->n++;
    return 0;
}

static int cmp_id(const void *a, const void *b) {
    return strcmp(((const hit *)a)->id, ((const hit *)b)->id);
}

static int cmp_w(const void *a, const void *b) {
    double x = ((const hit *)a)->w, y = ((const hit *)b)->w;
    if (x != y) return x > y ? -1 : 1;
    return cmp_id(a, b);
}

int hd_similar_candidates(hd_store *st, const hd_profile *p, int other_lang, int k,
                          hd_candidate *out) {
    if (st == NULL || st->ops->anchor_find == NULL) return 0;
    uint64_t keys[ANCHORS_MAX];
    int nk = hd_profile_anchors(p, keys, ANCHORS_MAX);
    gather g = {0};
    g.self = hd_profile_id(p);
    g.not_lang = other_lang ? hd_profile_lang(p) : NULL;
    for (int i = 0; i < nk; i++) {
        size_t before = g.n;
        g.w = 0;
        int df = st->ops->anchor_find(st, keys[i], DF_MAX, on_anchor, &g);
        if (df < 0) {
            hd_free(g.h);
            return df;
        }
        if (g.failed) break;
        if (df > DF_MAX) { /* too common: forget what it brought */
            g.n = before;
            continue;
        }
        double w = log(1.0 + (double)DF_MAX / (df > 0 ? df : 1));
        for (size_t j = before; j < g.n; j++) g.h[j].w = w;
    }
    if (g.failed) {
        hd_free(g.h);
        return HD_ENOMEM;
    }
    /* Sum per article, then the best k. */
    size_t m = 0;
    if (g.n) {
        qsort(g.h, g.n, sizeof *g.h, cmp_id);
        for (size_t i = 0; i < g.n; i++) {
            if (m && strcmp(g.h[m - 1].id, g.h[i].id) == 0) g.h[m - 1].w += g.h[i].w;
            else g.h[m++] = g.h[i];
        }
        qsort(g.h, m, sizeof *g.h, cmp_w);
    }
    int n = (int)(m < (size_t)k ? m : (size_t)k);
    for (int i = 0; i < n; i++) {
        memcpy(out[i].id, g.h[i].id, HD_ID_LEN + 1);
        out[i].weight = g.h[i].w;
    }
    hd_free(g.h);
    return n;
}

int hd_similar_index(hd_store *st, const hd_profile *p) {
    if (st == NULL || st->ops->anchor_put == NULL) return HD_OK;
    uint64_t keys[ANCHORS_MAX];
    int nk = hd_profile_anchors(p, keys, ANCHORS_MAX);
    return st->ops->anchor_put(st, hd_profile_id(p), hd_profile_lang(p), keys, nk);
}

/* The profile of a stored article, from the cache or the store. */
const hd_profile *hd_similar_profile(hd_engine *e, hd_simcache *c, const char *id, int *rc) {
    const hd_profile *cp = cache_get(c, id);
    if (cp) return cp;
    hd_store *st = hd_engine_store(e);
    hd_doc *d = hd_doc_new(0);
    hd_err err = {0};
    *rc = d ? hd_store_get(st, id, d) : HD_ENOMEM;
    if (*rc == HD_OK) *rc = hd_segment_run(d, &err);
    hd_profile *p = *rc == HD_OK ? hd_engine_profile(e, d, &err) : NULL;
    if (*rc == HD_OK && p == NULL) *rc = err.code ? err.code : HD_ENOMEM;
    hd_doc_free(d);
    return p ? cache_put(c, p) : NULL;
}

int hd_similar_link_translations(hd_engine *e, hd_simcache *c, const hd_doc *d) {
    hd_store *st = hd_engine_store(e);
    hd_err err = {0};
    hd_profile *p = hd_engine_profile(e, d, &err);
    if (p == NULL) return err.code ? err.code : HD_ENOMEM;
    int rc = hd_similar_index(st, p);
    hd_candidate cand[TRANSLATION_CANDIDATES];
    int n = rc == HD_OK ? hd_similar_candidates(st, p, 1, TRANSLATION_CANDIDATES, cand) : rc;
    if (n < 0) {
        hd_profile_free(p);
        return n;
    }
    const hd_profile *mine = cache_put(c, p);
    int tried = 0, links = 0;
    for (int i = 0; i < n && tried < TRANSLATION_CANDIDATES; i++) {
        if (cand[i].weight < TRANSLATION_WEIGHT_MIN) break; /* best first */
        int prc = HD_OK;
        const hd_profile *q = hd_similar_profile(e, c, cand[i].id, &prc);
        if (q == NULL) {
            if (prc == HD_ENOTFOUND) continue;
            return prc;
        }
        if (strcmp(hd_profile_lang(q), hd_profile_lang(mine)) == 0) continue;
        tried++;
        hd_comparison cmp;
        hd_compare(NULL, NULL, q, mine, &cmp);
        if (cmp.translation < HD_TRANSLATION_MIN) continue;
        hd_link l;
        memset(&l, 0, sizeof l);
        memcpy(l.a, hd_profile_id(q), HD_ID_LEN + 1);
        memcpy(l.b, hd_profile_id(mine), HD_ID_LEN + 1);
        l.kind = "translation";
        l.score = cmp.translation > 1 ? 1 : cmp.translation;
        /* The one published first is the original, where dates tell. */
        int64_t tq = hd_profile_published(q), tm = hd_profile_published(mine);
        if (tq != HD_TIME_UNKNOWN && tm != HD_TIME_UNKNOWN && tq != tm)
            memcpy(l.first, tq < tm ? l.a : l.b, HD_ID_LEN + 1);
        rc = hd_store_link_put(st, &l);
        if (rc < 0) return rc;
        links++;
    }
    return links;
}

/*---- herald similar ----*/

#define SIMILAR_CANDIDATES 50

static int cmp_hit(const void *a, const void *b) {
    const hd_similar_hit *x = a, *y = b;
    if (x->overall != y->overall) return x->overall < y->overall ? -1 : 1;
    return strcmp(x->id, y->id);
}

int hd_engine_similar(hd_engine *e, const char *key, int k, hd_similar_hit *out, hd_err *err) {
    hd_store *st = hd_engine_store(e);
    if (st == NULL) return hd_err_set(err, HD_EINVAL, "similar: no database");
    hd_doc *d = hd_doc_new(0);
    if (d == NULL) return hd_err_set(err, HD_ENOMEM, NULL);
    int rc = hd_store_get(st, key, d);
    if (rc != HD_OK) {
        hd_doc_free(d);
        return hd_err_set(err, rc, "'%s': %s", key,
                          rc == HD_ENOTFOUND ? "no such stored article" : hd_strerror(rc));
    }
    char id[HD_ID_LEN + 1];
    memcpy(id, d->id, sizeof id);
    hd_doc_free(d);

    hd_compare_model *m = hd_compare_model_load(NULL, err);
    hd_simcache *c = hd_simcache_new();
    hd_background *bg = hd_background_new();
    hd_candidate cand[SIMILAR_CANDIDATES];
    int n = 0, got = 0;
    const hd_profile *self = NULL;
    if (m == NULL) {
        rc = err->code;
        goto done;
    }
    if (c == NULL || bg == NULL) {
        rc = hd_err_set(err, HD_ENOMEM, NULL);
        goto done;
    }
    self = hd_similar_profile(e, c, id, &rc);
    if (self == NULL) {
        hd_err_set(err, rc, "'%s': %s", id, hd_strerror(rc));
        goto done;
    }
    n = hd_similar_candidates(st, self, 0, SIMILAR_CANDIDATES, cand);
    if (n < 0) {
        rc = hd_err_set(err, n, "similar: %s", n == HD_EDB ? hd_store_errmsg(st) : hd_strerror(n));
        goto done;
    }
    /* The candidates and the article are the background collection. */
    const hd_profile *ps[SIMILAR_CANDIDATES];
    hd_background_add(bg, self);
    for (int i = 0; i < n; i++) {
        int prc = HD_OK;
        ps[i] = hd_similar_profile(e, c, cand[i].id, &prc);
        if (ps[i]) hd_background_add(bg, ps[i]);
    }
    hd_similar_hit *all = hd_malloc((size_t)(n ? n : 1) * sizeof *all);
    if (all == NULL) {
        rc = hd_err_set(err, HD_ENOMEM, NULL);
        goto done;
    }
    int m_ok = 0;
    for (int i = 0; i < n; i++) {
        if (ps[i] == NULL) continue;
        hd_comparison cmp;
        hd_compare(m, bg, self, ps[i], &cmp);
        hd_similar_hit *h = &all[m_ok++];
        memset(h, 0, sizeof *h);
        memcpy(h->id, hd_profile_id(ps[i]), HD_ID_LEN + 1);
        snprintf(h->lang, sizeof h->lang, "%s", hd_profile_lang(ps[i]));
        h->overall = cmp.dim[HD_DIM_OVERALL];
        h->translation = cmp.translation;
    }
    qsort(all, (size_t)m_ok, sizeof *all, cmp_hit);
    got = m_ok < k ? m_ok : k;
    memcpy(out, all, (size_t)got * sizeof *out);
    hd_free(all);
    rc = HD_OK;
done:
    hd_background_free(bg);
    hd_simcache_free(c);
    hd_compare_model_free(m);
    return rc == HD_OK ? got : rc;
}
