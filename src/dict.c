/*
** dict.c -- the concept table: load herald-dict.bin, fold words into keys,
** look keys up.
**
** The file is compiled by tools/train_dict.c (format in dict.h).  Loading is
** one read into one allocation followed by one pass that checks every
** offset, length, id and the sort order of every language's keys, so that
** look-ups afterwards need no bounds checks and a damaged file is an error,
** not a crash.  A look-up folds the word into a key on the stack (see
** hd_dict_key) and binary-searches the language's sorted key records:
** O(log n) comparisons, no allocation, no shared mutable state (the
** stemmer pool in stem.c is the one lock touched).
*/
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>

#include "dict.h"
#include "err.h"
#include "mem.h"
#include "stem.h"

struct hd_dict {
    const hd_dict_header *h;
    const hd_dict_lang_rec *langs;
    const hd_dict_concept_rec *concepts;
    const hd_dict_key_rec *keys;
    const uint32_t *ids;
    const char *pool;
    void *mem; /* the one allocation holding the whole file */
};

/*---- folding ------------------------------------------------------------*/

static int is_apostrophe(utf8proc_int32_t c) {
    return c == '\'' || c == 0x2019 || c == 0x02BC;
}

/* Languages whose articles and prepositions elide onto the next word with
** an apostrophe: l'elezione, dell'Unione, qu'il. */
static int elides(const char *lang) {
    return strcmp(lang, "fr") == 0 || strcmp(lang, "it") == 0 || strcmp(lang, "ca") == 0;
}

/* Drop an elided prefix or an English possessive from code points
** `c[0..*n)`, in place. */
static void trim_clitics(const char *lang, utf8proc_int32_t *c, utf8proc_ssize_t *n) {
    if (elides(lang)) {
        for (utf8proc_ssize_t i = 1; i < *n - 2 && i <= 4; i++) {
            if (is_apostrophe(c[i])) {
                memmove(c, c + i + 1, (size_t)(*n - i - 1) * sizeof *c);
                *n -= i + 1;
                break;
            }
        }
    } else if (strcmp(lang, "en") == 0) {
        if (*n > 2 && c[*n - 1] == 's' && is_apostrophe(c[*n - 2])) *n -= 2;
        else if (*n > 1 && is_apostrophe(c[*n - 1])) *n -= 1;
    }
}

/* Strip combining marks from the NUL-terminated `s` into `out`; 0 when it
** does not fit. */
static size_t strip_marks(const char *s, size_t len, char *out, size_t cap) {
    utf8proc_int32_t cps[HD_DICT_KEY_MAX];
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                                            cps, HD_DICT_KEY_MAX - 1,
                                            UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                UTF8PROC_STRIPMARK);
    if (n < 0 || n >= HD_DICT_KEY_MAX) return 0;
    utf8proc_ssize_t blen =
        utf8proc_reencode(cps, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK);
    if (blen <= 0 || (size_t)blen + 1 > cap) return 0;
    memcpy(out, cps, (size_t)blen);
    out[blen] = '\0';
    return (size_t)blen;
}

size_t hd_dict_key(const char *lang, int stem, const char *word, size_t len, char *out,
                   size_t cap) {
    if (lang == NULL || word == NULL || len == 0 || len > HD_DICT_WORD_MAX || cap == 0)
        return 0;
    utf8proc_int32_t cps[HD_DICT_WORD_MAX * 3 + 1];
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)word,
                                            (utf8proc_ssize_t)len, cps, HD_DICT_WORD_MAX * 3,
                                            UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                UTF8PROC_CASEFOLD);
    if (n <= 0 || n > HD_DICT_WORD_MAX * 3) return 0;
    trim_clitics(lang, cps, &n);
    int letters = 0, marks_or_ascii_only = 1;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        utf8proc_category_t cat = utf8proc_category(cps[i]);
        if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) letters++;
        if (is_apostrophe(cps[i])) cps[i] = '\'';
        if (cps[i] >= 0x80) marks_or_ascii_only = 0;
    }
    if (letters == 0) return 0;
    utf8proc_ssize_t blen =
        utf8proc_reencode(cps, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (blen <= 0 || blen >= HD_DICT_KEY_MAX) return 0;
    char folded[HD_DICT_KEY_MAX], stemmed[HD_DICT_KEY_MAX];
    memcpy(folded, cps, (size_t)blen);
    folded[blen] = '\0';
    const char *k = folded;
    size_t klen = (size_t)blen;
    if (stem && hd_stem_has(lang)) {
        int r = hd_stem_folded(lang, folded, klen, stemmed, sizeof stemmed);
        if (r > 0) {
            k = stemmed;
            klen = (size_t)r;
        }
    }
    if (marks_or_ascii_only) { /* ASCII has no marks to strip */
        if (klen + 1 > cap) return 0;
        memcpy(out, k, klen + 1);
        return klen;
    }
    return strip_marks(k, klen, out, cap);
}

/*---- loading --------------------------------------------------------------*/

static hd_dict *fail(hd_dict *d, hd_err *err, int code, const char *path, const char *what) {
    hd_err_set(err, code, "%s: %s", path, what);
    hd_dict_free(d);
    return NULL;
}

static int key_cmp(const char *a, size_t alen, const char *b, size_t blen) {
    size_t m = alen < blen ? alen : blen;
    int c = memcmp(a, b, m);
    if (c != 0) return c;
    return alen < blen ? -1 : alen > blen;
}

/* Check every record of `d` against the sizes in its header; NULL when all
** is well, else what is wrong. */
static const char *validate(hd_dict *d, size_t size) {
    const hd_dict_header *h = d->h;
    if (memcmp(h->magic, HD_DICT_MAGIC, 8) != 0) return "not a herald dictionary (bad magic)";
    if (h->bom != HD_DICT_BOM) return "written on a machine of another byte order";
    if (h->version != HD_DICT_VERSION) return "unsupported format version";
    if (h->size != size) return "truncated or extended (size differs from the header)";
    if (h->nlang == 0 || h->nlang > 256) return "bad language count";
    /* Section sizes in 64 bits: no overflow whatever the header says. */
    uint64_t off = sizeof *h;
    uint64_t end_langs = off + (uint64_t)h->nlang * sizeof(hd_dict_lang_rec);
    uint64_t end_conc = end_langs + (uint64_t)h->nconcept * sizeof(hd_dict_concept_rec);
    uint64_t end_keys = end_conc + (uint64_t)h->nkey * sizeof(hd_dict_key_rec);
    uint64_t end_ids = end_keys + (uint64_t)h->nid * sizeof(uint32_t);
    uint64_t end_pool = end_ids + h->pool;
    if (end_pool != size) return "section sizes do not add up to the file size";
    const char *base = (const char *)d->mem;
    d->langs = (const hd_dict_lang_rec *)(base + off);
    d->concepts = (const hd_dict_concept_rec *)(base + end_langs);
    d->keys = (const hd_dict_key_rec *)(base + end_conc);
    d->ids = (const uint32_t *)(base + end_keys);
    d->pool = base + end_ids;
    if (h->pool == 0 || d->pool[h->pool - 1] != '\0') return "string pool not terminated";

    for (uint32_t i = 0; i < h->nlang; i++) {
        const hd_dict_lang_rec *l = &d->langs[i];
        if (memchr(l->code, '\0', sizeof l->code) == NULL) return "language code not terminated";
        if ((uint64_t)l->first + l->count > h->nkey) return "language key range out of bounds";
    }
    for (uint32_t i = 0; i < h->nconcept; i++) {
        const hd_dict_concept_rec *c = &d->concepts[i];
        if (c->name >= h->pool || c->surface >= h->pool) return "concept name out of bounds";
        if (c->df == 0) return "concept without headwords";
    }
    for (uint32_t i = 0; i < h->nkey; i++) {
        const hd_dict_key_rec *k = &d->keys[i];
        if (k->len == 0 || (uint64_t)k->key + k->len > h->pool) return "key out of bounds";
        if (k->nids > HD_DICT_IDS_MAX || (uint64_t)k->ids + k->nids > h->nid)
            return "key's concept list out of bounds";
    }
    for (uint32_t i = 0; i < h->nid; i++)
        if (d->ids[i] >= h->nconcept) return "concept id out of range";
    for (uint32_t i = 0; i < h->nlang; i++) {
        const hd_dict_lang_rec *l = &d->langs[i];
        for (uint32_t j = 1; j < l->count; j++) {
            const hd_dict_key_rec *a = &d->keys[l->first + j - 1], *b = a + 1;
            if (key_cmp(d->pool + a->key, a->len, d->pool + b->key, b->len) >= 0)
                return "keys not sorted";
        }
    }
    return NULL;
}

hd_dict *hd_dict_load_file(const char *path, hd_err *err) {
    hd_err_clear(err);
    if (path == NULL) {
        hd_err_set(err, HD_EINVAL, "no dictionary path");
        return NULL;
    }
    hd_dict *d = hd_calloc(1, sizeof *d);
    if (d == NULL) {
        hd_err_set(err, HD_ENOMEM, NULL);
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(d, err, errno == ENOENT ? HD_EMODEL : HD_EIO, path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail(d, err, HD_EIO, path, "not a regular file");
    }
    size_t size = (size_t)st.st_size;
    if (size < sizeof(hd_dict_header) || (uint64_t)st.st_size > HD_DICT_FILE_MAX) {
        close(fd);
        return fail(d, err, HD_EMODEL, path, "file too small or too large to be a dictionary");
    }
    d->mem = hd_malloc(size);
    if (d->mem == NULL) {
        close(fd);
        return fail(d, err, HD_ENOMEM, path, "out of memory");
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, (char *)d->mem + got, size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    if (got != size) return fail(d, err, HD_EIO, path, "short read");
    d->h = (const hd_dict_header *)d->mem;
    const char *why = validate(d, size);
    if (why != NULL) return fail(d, err, HD_EMODEL, path, why);
    return d;
}

hd_dict *hd_dict_load(const char *datadir, hd_err *err) {
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", datadir ? datadir : hd_data_dir(),
                     HD_DICT_FILE);
    if (n < 0 || (size_t)n >= sizeof path) {
        hd_err_set(err, HD_EINVAL, "data directory path too long");
        return NULL;
    }
    return hd_dict_load_file(path, err);
}

void hd_dict_free(hd_dict *d) {
    if (d == NULL) return;
    hd_free(d->mem);
    hd_free(d);
}

/*---- look-ups -------------------------------------------------------------*/

static const hd_dict_lang_rec *find_lang(const hd_dict *d, const char *lang) {
    if (d == NULL || lang == NULL) return NULL;
    for (uint32_t i = 0; i < d->h->nlang; i++)
        if (strcmp(d->langs[i].code, lang) == 0) return &d->langs[i];
    return NULL;
}

/* The key record for `word`, or NULL. */
static const hd_dict_key_rec *find(const hd_dict *d, const char *lang, const char *word,
                                   size_t len) {
    const hd_dict_lang_rec *l = find_lang(d, lang);
    if (l == NULL || word == NULL) return NULL;
    char key[HD_DICT_KEY_MAX];
    size_t klen = hd_dict_key(l->code, (l->flags & HD_DICT_LANG_STEMMED) != 0, word, len,
                              key, sizeof key);
    if (klen == 0) return NULL;
    size_t lo = l->first, hi = (size_t)l->first + l->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const hd_dict_key_rec *k = &d->keys[mid];
        int c = key_cmp(d->pool + k->key, k->len, key, klen);
        if (c == 0) return k;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

int hd_dict_concepts(const hd_dict *d, const char *lang, const char *word, size_t len,
                     uint32_t *out, int max) {
    const hd_dict_key_rec *k = find(d, lang, word, len);
    if (k == NULL || (k->flags & HD_DICT_KEY_STOP) || out == NULL || max <= 0) return 0;
    int n = k->nids < max ? k->nids : max;
    memcpy(out, d->ids + k->ids, (size_t)n * sizeof *out);
    return n;
}

int hd_dict_is_stop(const hd_dict *d, const char *lang, const char *word, size_t len) {
    const hd_dict_key_rec *k = find(d, lang, word, len);
    return k != NULL && (k->flags & HD_DICT_KEY_STOP) != 0;
}

const char *hd_dict_concept_name(const hd_dict *d, uint32_t id) {
    if (d == NULL || id >= d->h->nconcept) return NULL;
    return d->pool + d->concepts[id].name;
}

const char *hd_dict_concept_word(const hd_dict *d, uint32_t id) {
    if (d == NULL || id >= d->h->nconcept) return NULL;
    return d->pool + d->concepts[id].surface;
}

uint32_t hd_dict_concept_count(const hd_dict *d) {
    return d ? d->h->nconcept : 0;
}

double hd_dict_concept_weight(const hd_dict *d, uint32_t id) {
    if (d == NULL || id >= d->h->nconcept) return 0;
    double n = d->h->nheadwords, df = d->concepts[id].df;
    return df >= n ? 0 : log(n / df);
}

int hd_dict_has_lang(const hd_dict *d, const char *lang) {
    return find_lang(d, lang) != NULL;
}

const char *hd_dict_lang(const hd_dict *d, int i) {
    if (d == NULL || i < 0 || (uint32_t)i >= d->h->nlang) return NULL;
    return d->langs[i].code;
}
