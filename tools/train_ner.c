/*
** train_ner.c -- train the named-entity models at build time.
**
**   train_ner SHARED DATADIR [LANG,LANG,...]
**
** Reads SHARED/data/ner (see hd_ner_datasets in src/ner_conll.c for which
** file trains which language and the hold-out rule), trains one averaged
** perceptron per language plus "xx", a multilingual fallback trained on a
** slice of every language's training part, and writes DATADIR/ner-<lang>.bin.
** Deterministic: sentence order is shuffled by a fixed-seed generator.
** Models are trained two at a time (one thread each).
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "mem.h"
#include "ner.h"

#define EPOCHS_DEFAULT 12
#define BITS_DEFAULT 20
#define PRUNE_DEFAULT 0.0f
#define XX_PER_LANG 2500 /* sentences of each language in the "xx" mix */
#define THREADS 2
#define FILES_MAX 32

static const char *shared_dir, *data_dir;
static int EPOCHS = EPOCHS_DEFAULT;
static unsigned BITS = BITS_DEFAULT;
static float PRUNE = PRUNE_DEFAULT;
static int NO_GAZ;

/* Corpora are read once and shared read-only between threads. */
static struct {
    const char *name;
    hd_ner_corpus c;
} files[FILES_MAX];
static size_t nfiles;

static hd_ner_corpus *corpus(const char *name) {
    for (size_t i = 0; i < nfiles; i++)
        if (strcmp(files[i].name, name) == 0) return &files[i].c;
    return NULL;
}

static int load_corpus(const char *name, const char *lang) {
    if (corpus(name) != NULL) return 0;
    if (nfiles == FILES_MAX) return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/data/ner/%s", shared_dir, name);
    hd_err err = {0};
    if (hd_ner_corpus_read(path, &files[nfiles].c, &err) != HD_OK) {
        fprintf(stderr, "train_ner: %s\n", err.msg);
        return -1;
    }
    if (!hd_ner_cyrillic_lang(lang)) {
        size_t k = hd_ner_corpus_repair_latin1(&files[nfiles].c);
        if (k) printf("  %s: %zu tokens repaired (Latin-1 read as windows-1251)\n", name, k);
    }
    files[nfiles++].name = name;
    return 0;
}

/* A training window: tokens [off, off+n) of a corpus. */
typedef struct win {
    const hd_ner_corpus *c;
    size_t off, n;
    int sent_start;
    int fold; /* 0 or 1, for the jackknifed gazetteer */
} win;

typedef struct job {
    const char *lang;
    const hd_ner_dataset *ds; /* NULL for "xx" */
    double seconds;
    size_t ntok, nwin, ngaz;
    int rc;
} job;

static uint64_t rng_next(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

typedef struct winlist {
    win *v;
    size_t n, cap;
} winlist;

static int add_sentence(winlist *wl, const hd_ner_corpus *c, size_t s, int fold) {
    size_t b = c->sent[s], e = c->sent[s + 1];
    for (size_t off = b; off < e; off += HD_NER_WINDOW) {
        if (wl->n == wl->cap) {
            size_t cap = wl->cap ? wl->cap * 2 : 4096;
            win *v = realloc(wl->v, cap * sizeof *v);
            if (v == NULL) return -1;
            wl->v = v;
            wl->cap = cap;
        }
        size_t n = e - off < HD_NER_WINDOW ? e - off : HD_NER_WINDOW;
        wl->v[wl->n++] = (win){c, off, n, off == b, fold};
    }
    return 0;
}

/* Training sentences of one dataset; `every` > 1 keeps only a spread-out
** subset of at most `cap` sentences (for the xx mix). */
static int collect(winlist *wl, const hd_ner_dataset *ds, size_t cap) {
    size_t total = 0;
    for (int p = 0; p < 3 && ds->train[p].file; p++) {
        const hd_ner_corpus *c = corpus(ds->train[p].file);
        for (size_t s = 0; s < c->nsent; s++) total += hd_ner_part_has(ds->train[p].which, s);
    }
    size_t step = cap && total > cap ? (total + cap - 1) / cap : 1, k = 0;
    for (int p = 0; p < 3 && ds->train[p].file; p++) {
        const hd_ner_corpus *c = corpus(ds->train[p].file);
        for (size_t s = 0; s < c->nsent; s++) {
            if (!hd_ner_part_has(ds->train[p].which, s)) continue;
            if (k++ % step) continue;
            if (add_sentence(wl, c, s, (int)(k % 2)) != 0) return -1;
        }
    }
    return 0;
}

/* The gazetteer of the windows not in fold `skip` (-1: all windows): every
** word seen inside an entity of type T in at least 30% of its occurrences
** gets bit T-1.  Sorted by key, as the model file wants. */
typedef struct gazbuf {
    uint64_t *hash;
    uint8_t *mask;
    hd_ner_gaz g;
} gazbuf;

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int gaz_build(const winlist *wl, int skip, gazbuf *out) {
    size_t ntok = 0, cap = 16;
    for (size_t i = 0; i < wl->n; i++) ntok += wl->v[i].n;
    while (cap < 2 * ntok) cap *= 2;
    uint64_t *key = calloc(cap, sizeof *key);
    uint32_t(*cnt)[HD_NER_TYPES + 1] = calloc(cap, sizeof *cnt);
    uint8_t *used = calloc(cap, 1);
    memset(out, 0, sizeof *out);
    if (key == NULL || cnt == NULL || used == NULL) goto fail;
    for (size_t i = 0; i < wl->n; i++) {
        const win *w = &wl->v[i];
        if (w->fold == skip) continue;
        for (size_t j = 0; j < w->n; j++) {
            uint64_t k = hd_ner_word_key(w->c->tok[w->off + j]);
            size_t s = (size_t)(k & (cap - 1));
            while (used[s] && key[s] != k) s = (s + 1) & (cap - 1);
            used[s] = 1;
            key[s] = k;
            cnt[s][0]++;
            int type = HD_NER_TYPE(w->c->tag[w->off + j]);
            if (type) cnt[s][type]++;
        }
    }
    size_t n = 0;
    for (size_t s = 0; s < cap; s++) {
        uint8_t m = 0;
        for (int t = 1; t <= HD_NER_TYPES; t++)
            if (used[s] && cnt[s][t] && (uint64_t)cnt[s][t] * 10 >= (uint64_t)cnt[s][0] * 3)
                m |= (uint8_t)(1u << (t - 1));
        /* Compact in place (n <= s): key[n], used[n] become (hash, mask). */
        if (m) {
            key[n] = key[s];
            used[n] = m;
            n++;
        }
    }
    /* key[0..n) / used[0..n) are (hash, mask) pairs; sort them together. */
    uint64_t *pair = malloc((n ? n : 1) * 2 * sizeof *pair);
    out->hash = malloc((n ? n : 1) * sizeof *out->hash);
    out->mask = malloc(n ? n : 1);
    if (pair == NULL || out->hash == NULL || out->mask == NULL) {
        free(pair);
        goto fail;
    }
    for (size_t i = 0; i < n; i++) pair[2 * i] = key[i], pair[2 * i + 1] = used[i];
    qsort(pair, n, 2 * sizeof *pair, cmp_u64);
    for (size_t i = 0; i < n; i++) {
        out->hash[i] = pair[2 * i];
        out->mask[i] = (uint8_t)pair[2 * i + 1];
    }
    free(pair);
    out->g = (hd_ner_gaz){out->hash, out->mask, n};
    free(key);
    free(cnt);
    free(used);
    return 0;
fail:
    free(key);
    free(cnt);
    free(used);
    free(out->hash);
    free(out->mask);
    memset(out, 0, sizeof *out);
    return -1;
}

static void train(job *jb) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    winlist wl = {0};
    jb->rc = -1;
    if (jb->ds) {
        if (collect(&wl, jb->ds, 0) != 0) goto out;
    } else {
        for (size_t d = 0; d < hd_ner_ndatasets; d++)
            if (collect(&wl, &hd_ner_datasets[d], XX_PER_LANG) != 0) goto out;
    }
    /* Features once, up front. */
    size_t ntok = 0;
    for (size_t i = 0; i < wl.n; i++) ntok += wl.v[i].n;
    uint32_t *rows = malloc(ntok * HD_NER_NFEAT * sizeof *rows);
    size_t *at = malloc(wl.n * sizeof *at);
    size_t *order = malloc(wl.n * sizeof *order);
    hd_ner_trainer *tr = hd_ner_trainer_new(BITS);
    /* Jackknife: a window's gazetteer features come from the other half of
    ** the data, so that they are as reliable in training as on new text;
    ** the model keeps the gazetteer of all the training data. */
    gazbuf gall, gfold[2];
    int gok = gaz_build(&wl, -1, &gall) == 0;
    gok &= gaz_build(&wl, 0, &gfold[0]) == 0; /* for fold 0: built without fold 0 */
    gok &= gaz_build(&wl, 1, &gfold[1]) == 0;
    if (rows == NULL || at == NULL || order == NULL || tr == NULL || !gok) goto done;
    for (size_t i = 0, o = 0; i < wl.n; i++) {
        const win *w = &wl.v[i];
        hd_ner_featurize(w->c->tok + w->off, w->n, w->sent_start, BITS,
                         NO_GAZ ? NULL : &gfold[w->fold].g, rows + o * HD_NER_NFEAT);
        at[i] = o;
        o += w->n;
        order[i] = i;
    }
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (int ep = 0; ep < EPOCHS; ep++) {
        for (size_t i = wl.n; i > 1; i--) {
            size_t j = (size_t)(rng_next(&seed) % i);
            size_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        size_t wrong = 0;
        for (size_t i = 0; i < wl.n; i++) {
            const win *w = &wl.v[order[i]];
            wrong += hd_ner_trainer_step(tr, rows + at[order[i]] * HD_NER_NFEAT,
                                         w->c->tag + w->off, w->n);
        }
        (void)wrong;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/ner-%s.bin", data_dir, jb->lang);
    hd_err err = {0};
    hd_ner_trainer_prune(tr, PRUNE);
    if (hd_ner_trainer_save(tr, jb->lang, NO_GAZ ? NULL : &gall.g, path, &err) != HD_OK)
        fprintf(stderr, "train_ner: %s\n", err.msg);
    else
        jb->rc = 0;
    jb->ntok = ntok;
    jb->nwin = wl.n;
    jb->ngaz = gall.g.n;
done:
    free(gall.hash);
    free(gall.mask);
    for (int f = 0; f < 2; f++) {
        free(gfold[f].hash);
        free(gfold[f].mask);
    }
    hd_ner_trainer_free(tr);
    free(rows);
    free(at);
    free(order);
out:
    free(wl.v);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    jb->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static job jobs[FILES_MAX];
static size_t njobs, next_job;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&mu);
        size_t j = next_job++;
        pthread_mutex_unlock(&mu);
        if (j >= njobs) return NULL;
        train(&jobs[j]);
    }
}

static int wanted(const char *list, const char *lang) {
    if (list == NULL) return 1;
    size_t n = strlen(lang);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && memcmp(p, lang, n) == 0) return 1;
        p += l + (e != NULL);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: train_ner SHARED DATADIR [LANG,...]\n");
        return 2;
    }
    shared_dir = argv[1];
    data_dir = argv[2];
    const char *only = argc > 3 ? argv[3] : NULL;
    /* Tuning knobs for experiments; the build uses the defaults. */
    const char *env = getenv("HD_NER_EPOCHS");
    long v = env ? strtol(env, NULL, 10) : 0;
    if (v > 0 && v <= 100) EPOCHS = (int)v;
    NO_GAZ = getenv("HD_NER_NO_GAZ") != NULL;
    env = getenv("HD_NER_PRUNE");
    if (env) PRUNE = strtof(env, NULL);
    env = getenv("HD_NER_BITS");
    v = env ? strtol(env, NULL, 10) : 0;
    if (v >= HD_NER_BITS_MIN && v <= HD_NER_BITS_MAX) BITS = (unsigned)v;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* Every file any training part names (xx uses them all). */
    for (size_t d = 0; d < hd_ner_ndatasets; d++)
        for (int p = 0; p < 3 && hd_ner_datasets[d].train[p].file; p++)
            if (load_corpus(hd_ner_datasets[d].train[p].file, hd_ner_datasets[d].lang) != 0)
                return 1;
    /* Largest first, so that two threads finish close together. */
    if (wanted(only, "xx")) jobs[njobs++] = (job){"xx", NULL, 0, 0, 0, 0, 0};
    for (size_t d = 0; d < hd_ner_ndatasets; d++)
        if (wanted(only, hd_ner_datasets[d].lang))
            jobs[njobs++] = (job){hd_ner_datasets[d].lang, &hd_ner_datasets[d], 0, 0, 0, 0, 0};
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&th[i], NULL, worker, NULL);
    for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
    int rc = 0;
    for (size_t j = 0; j < njobs; j++) {
        printf("  ner-%s.bin: %zu tokens, %zu windows, %zu gazetteer words, %d epochs, %.1f s\n",
               jobs[j].lang, jobs[j].ntok, jobs[j].nwin, jobs[j].ngaz, EPOCHS, jobs[j].seconds);
        rc |= jobs[j].rc;
    }
    for (size_t i = 0; i < nfiles; i++) hd_ner_corpus_free(&files[i].c);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("  train_ner: %.1f s\n",
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return rc ? 1 : 0;
}
