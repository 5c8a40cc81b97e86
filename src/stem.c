/*
** stem.c -- Snowball stemmers shared safely between threads.
**
** A libstemmer `struct sb_stemmer` holds the word being stemmed, so one
** object serves one thread at a time.  Opening one per call would cost an
** allocation and table set-up per word; keeping one per thread would need
** thread-exit clean-up.  Instead each language has a small pool: a call
** pops a stemmer under one mutex (created on first use), stems without the
** lock, and pushes it back.  When the pool is empty a new stemmer is made;
** when it is full a returned one is deleted, so memory stays bounded by
** POOL_MAX stemmers per language while any number of threads stem at once.
** Pooled stemmers live until the process ends (they are reachable from the
** static table, not leaked).
*/
#include <pthread.h>
#include <string.h>

#include <libstemmer.h>
#include <utf8proc.h>

#include "herald.h"
#include "stem.h"

#define POOL_MAX 8

/* ISO 639-1 code to Snowball algorithm name.  Snowball 2.2 as in Debian 12;
** Polish, Czech and the CJK languages have no algorithm. */
static const struct {
    const char *code, *algo;
} algos[] = {
    {"ar", "arabic"},     {"hy", "armenian"},  {"eu", "basque"},
    {"ca", "catalan"},    {"da", "danish"},    {"nl", "dutch"},
    {"en", "english"},    {"fi", "finnish"},   {"fr", "french"},
    {"de", "german"},     {"el", "greek"},     {"hi", "hindi"},
    {"hu", "hungarian"},  {"id", "indonesian"}, {"ga", "irish"},
    {"it", "italian"},    {"lt", "lithuanian"}, {"ne", "nepali"},
    {"no", "norwegian"},  {"nb", "norwegian"}, {"pt", "portuguese"},
    {"ro", "romanian"},   {"ru", "russian"},   {"sr", "serbian"},
    {"es", "spanish"},    {"sv", "swedish"},   {"ta", "tamil"},
    {"tr", "turkish"},    {"yi", "yiddish"},
};
#define NALGO (sizeof algos / sizeof algos[0])

static struct pool {
    struct sb_stemmer *free[POOL_MAX];
    int n;
    int broken; /* libstemmer refused the algorithm: never ask again */
} pools[NALGO];
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

static int algo_index(const char *lang) {
    if (lang == NULL) return -1;
    for (size_t i = 0; i < NALGO; i++)
        if (strcmp(algos[i].code, lang) == 0) return (int)i;
    return -1;
}

int hd_stem_has(const char *lang) {
    return algo_index(lang) >= 0;
}

/* A stemmer for algorithm `i`, from the pool or new; NULL when libstemmer
** cannot make one (out of memory, or the algorithm is missing). */
static struct sb_stemmer *take(int i) {
    struct sb_stemmer *s = NULL;
    pthread_mutex_lock(&pool_lock);
    if (pools[i].n > 0) s = pools[i].free[--pools[i].n];
    int broken = pools[i].broken;
    pthread_mutex_unlock(&pool_lock);
    if (s != NULL || broken) return s;
    s = sb_stemmer_new(algos[i].algo, "UTF_8");
    if (s == NULL) {
        pthread_mutex_lock(&pool_lock);
        pools[i].broken = 1;
        pthread_mutex_unlock(&pool_lock);
    }
    return s;
}

static void give_back(int i, struct sb_stemmer *s) {
    pthread_mutex_lock(&pool_lock);
    if (pools[i].n < POOL_MAX) {
        pools[i].free[pools[i].n++] = s;
        s = NULL;
    }
    pthread_mutex_unlock(&pool_lock);
    if (s != NULL) sb_stemmer_delete(s);
}

int hd_stem_folded(const char *lang, const char *word, size_t len, char *out,
                   size_t cap) {
    if (word == NULL || len == 0) return HD_EINVAL;
    if (len > HD_STEM_WORD_MAX) return HD_ETOOBIG;
    int i = algo_index(lang);
    struct sb_stemmer *s = i >= 0 ? take(i) : NULL;
    const char *res = word;
    size_t n = len;
    if (s != NULL) {
        const sb_symbol *r = sb_stemmer_stem(s, (const sb_symbol *)word, (int)len);
        if (r != NULL) {
            res = (const char *)r;
            n = (size_t)sb_stemmer_length(s);
        }
    }
    int rc = (int)n;
    if (n + 1 > cap) {
        rc = HD_ETOOBIG;
    } else {
        memcpy(out, res, n);
        out[n] = '\0';
    }
    if (s != NULL) give_back(i, s);
    return rc;
}

int hd_stem(const char *lang, const char *word, size_t len, char *out, size_t cap) {
    if (word == NULL || len == 0) return HD_EINVAL;
    if (len > HD_STEM_WORD_MAX) return HD_ETOOBIG;
    /* Case folding may lengthen a word (a few code points expand to three),
    ** so the code point buffer has room for that; decompose reports the
    ** size it needs when the buffer is short. */
    utf8proc_int32_t cps[HD_STEM_WORD_MAX * 3 + 1];
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)word,
                                            (utf8proc_ssize_t)len, cps,
                                            HD_STEM_WORD_MAX * 3,
                                            UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                UTF8PROC_CASEFOLD);
    if (n < 0) return n == UTF8PROC_ERROR_NOMEM ? HD_ENOMEM : HD_EINVAL;
    if (n > HD_STEM_WORD_MAX * 3) return HD_ETOOBIG;
    utf8proc_ssize_t blen = utf8proc_reencode(cps, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (blen < 0) return HD_EINVAL;
    if (blen > HD_STEM_WORD_MAX) return HD_ETOOBIG;
    return hd_stem_folded(lang, (const char *)cps, (size_t)blen, out, cap);
}
