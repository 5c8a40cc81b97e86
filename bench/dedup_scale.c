/*
** dedup_scale.c -- the duplicate stage measured on its own, for
** bench/dedup.sh.  Two modes:
**
**   dedup_scale pairs ARTICLES.jsonl PAIRS.tsv
**       For each pair (ext id, ext id, label) print, for shingles of 2 to 5
**       tokens, the shingle counts, the Jaccard estimates with 64, 128 and
**       256 hashes, and whether the pair shares an LSH band key under
**       several band layouts: the data behind dedup.c's parameters.
**
**   dedup_scale scale LINES.txt DB N1,N2,... PROBES
**       Fill a fresh database with synthetic articles made from the real
**       texts (one per line) by replacing 40 % of the words at random, so
**       that they are all different, up to each size N; at each size run
**       PROBES new articles (half of them copies of stored ones with 2 % of
**       the words changed)
**       through hd_dedup_run inside a transaction that is rolled back, and
**       print per-article medians: sketch time, lookup+verify time, arena
**       bytes, database bytes per article; and the same probes against a
**       full scan of every stored sketch (the peer: no index).
**       Stored articles keep only 64 bytes of text: the figures are those
**       of the duplicate stage, not of storing text.
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "dedup.h"
#include "herald.h"
#include "store.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *msg) {
    fprintf(stderr, "dedup_scale: %s\n", msg);
    exit(2);
}

static hd_doc *doc_of(const char *title, const char *text) {
    hd_doc *d = hd_doc_new(0);
    if (d == NULL) die("out of memory");
    d->raw_title = hd_doc_strdup(d, title, strlen(title));
    d->raw_text = hd_doc_strdup(d, text, strlen(text));
    d->source = hd_doc_strdup(d, "bench", 5);
    if (hd_normalize_run(d, NULL) != HD_OK) {
        hd_doc_free(d);
        return NULL;
    }
    return d;
}

/*---- pairs ----*/

typedef struct art {
    char *id, *title, *text;
} art;

static int cmp_art(const void *a, const void *b) {
    return strcmp(((const art *)a)->id, ((const art *)b)->id);
}

static int mode_pairs(const char *jsonl, const char *tsv) {
    FILE *f = fopen(jsonl, "r");
    if (f == NULL) die("cannot open the articles");
    art *arts = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    while (getline(&line, &lcap, f) > 0) {
        json_t *j = json_loads(line, 0, NULL);
        if (j == NULL) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            arts = realloc(arts, cap * sizeof *arts);
            if (arts == NULL) die("out of memory");
        }
        const char *t = json_string_value(json_object_get(j, "title"));
        arts[n].id = strdup(json_string_value(json_object_get(j, "id")));
        arts[n].title = strdup(t ? t : "");
        arts[n].text = strdup(json_string_value(json_object_get(j, "text")));
        n++;
        json_decref(j);
    }
    fclose(f);
    qsort(arts, n, sizeof *arts, cmp_art);
    f = fopen(tsv, "r");
    if (f == NULL) die("cannot open the pairs");
    static const int layouts[][2] = {{128, 32}, {128, 42}, {128, 64}, {64, 32}, {64, 21}};
    printf("label\tk\tna\tnb\tj64\tj128\tj256");
    for (size_t l = 0; l < sizeof layouts / sizeof layouts[0]; l++)
        printf("\tband%d_%d", layouts[l][0], layouts[l][1]);
    printf("\n");
    while (getline(&line, &lcap, f) > 0) {
        char *a = strtok(line, "\t\n"), *b = strtok(NULL, "\t\n"), *label = strtok(NULL, "\n");
        if (a == NULL || b == NULL || label == NULL) continue;
        for (char *p = label; *p; p++)
            if (*p == '\t') *p = ':';
        art ka = {.id = a}, kb = {.id = b};
        art *pa = bsearch(&ka, arts, n, sizeof *arts, cmp_art);
        art *pb = bsearch(&kb, arts, n, sizeof *arts, cmp_art);
        if (pa == NULL || pb == NULL) continue;
        hd_doc *da = doc_of(pa->title, pa->text), *db = doc_of(pb->title, pb->text);
        if (da == NULL || db == NULL) continue;
        for (int k = 2; k <= 5; k++) {
            static hd_sketch sa, sb, ta, tb;
            hd_str ba = hd_dedup_body(da), bb = hd_dedup_body(db);
            if (hd_sketch_build(ba.ptr, ba.len, k, 256, da->arena, &sa) != HD_OK ||
                hd_sketch_build(bb.ptr, bb.len, k, 256, db->arena, &sb) != HD_OK)
                die("sketch failed");
            printf("%s\t%d\t%u\t%u", label, k, sa.n_shingles, sb.n_shingles);
            for (int h = 64; h <= 256; h *= 2) {
                ta = sa;
                tb = sb;
                ta.n_hashes = tb.n_hashes = h;
                printf("\t%.4f", hd_sketch_jaccard(&ta, &tb));
            }
            for (size_t l = 0; l < sizeof layouts / sizeof layouts[0]; l++) {
                uint64_t ka_[128], kb_[128];
                ta = sa;
                tb = sb;
                ta.n_hashes = tb.n_hashes = layouts[l][0];
                int m = hd_sketch_bands(&ta, layouts[l][1], ka_);
                int hit = 0;
                if (m == hd_sketch_bands(&tb, layouts[l][1], kb_))
                    for (int i = 0; i < m; i++) hit |= ka_[i] == kb_[i];
                printf("\t%d", hit);
            }
            printf("\n");
        }
        hd_doc_free(da);
        hd_doc_free(db);
    }
    fclose(f);
    free(line);
    return 0;
}

/*---- scale ----*/

typedef struct corpus {
    char **line;
    size_t n;
    char **vocab; /* words of all lines */
    size_t n_vocab;
} corpus;

static uint64_t rng_state = 0x5eed;

static uint64_t rnd(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A new text: `src` with each word replaced with probability `p`. */
static char *perturb(const corpus *c, const char *src, double p) {
    size_t cap = strlen(src) * 3 + 64, len = 0;
    char *out = malloc(cap);
    const char *s = src;
    if (out == NULL) die("out of memory");
    while (*s) {
        while (*s == ' ') s++;
        const char *e = s;
        while (*e && *e != ' ') e++;
        if (e == s) break;
        const char *w = s;
        size_t wl = (size_t)(e - s);
        if ((double)(rnd() % 10000) / 10000.0 < p) {
            w = c->vocab[rnd() % c->n_vocab];
            wl = strlen(w);
        }
        if (len + wl + 2 >= cap) {
            cap = cap * 2 + wl;
            out = realloc(out, cap);
            if (out == NULL) die("out of memory");
        }
        memcpy(out + len, w, wl);
        len += wl;
        out[len++] = ' ';
        s = e;
    }
    out[len] = '\0';
    return out;
}

static void load_corpus(const char *path, corpus *c) {
    FILE *f = fopen(path, "r");
    if (f == NULL) die("cannot open the texts");
    char *line = NULL;
    size_t lcap = 0, cap = 0, vcap = 0;
    ssize_t len;
    memset(c, 0, sizeof *c);
    while ((len = getline(&line, &lcap, f)) > 0) {
        if (line[len - 1] == '\n') line[len - 1] = '\0';
        if (c->n == cap) {
            cap = cap ? cap * 2 : 1024;
            c->line = realloc(c->line, cap * sizeof *c->line);
            if (c->line == NULL) die("out of memory");
        }
        c->line[c->n++] = strdup(line);
        for (char *w = strtok(line, " "); w; w = strtok(NULL, " ")) {
            if (c->n_vocab == vcap) {
                vcap = vcap ? vcap * 2 : 65536;
                c->vocab = realloc(c->vocab, vcap * sizeof *c->vocab);
                if (c->vocab == NULL) die("out of memory");
            }
            c->vocab[c->n_vocab++] = strdup(w);
        }
    }
    free(line);
    fclose(f);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_double);
    return n ? v[n / 2] : 0.0;
}

/* Stored article `i`: a line with 40 % of its words replaced, the same
** for the same `i` (seeded by it), so probes can copy stored articles. */
static char *synthetic(const corpus *c, size_t i) {
    uint64_t keep = rng_state;
    rng_state = 0x5eed + i * 0x9E3779B97F4A7C15ull;
    char *t = perturb(c, c->line[rnd() % c->n], 0.4);
    rng_state = keep;
    return t;
}

/* Store `d` with 64 bytes of its text, and run the duplicate stage. */
static int store_one(hd_store *st, hd_doc *d) {
    hd_str keep = d->text;
    if (d->text.len > 64) d->text.len = 64;
    int rc = hd_store_put(st, d);
    d->text = keep;
    if (rc < 0) return rc;
    return rc == 1 ? hd_dedup_run(st, d) : 0;
}

typedef struct scan {
    const hd_sketch *sk;
    hd_sketch other;
    int links;
} scan;

/* The peer: compare with every stored sketch (no index). */
static int scan_all(sqlite3 *db, scan *s) {
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "SELECT exact, tokens, shingles, minhash FROM sketches", -1, &q,
                           NULL) != SQLITE_OK)
        die(sqlite3_errmsg(db));
    while (sqlite3_step(q) == SQLITE_ROW) {
        hd_sketch *o = &s->other;
        hd_sketch_unpack(sqlite3_column_blob(q, 3), (size_t)sqlite3_column_bytes(q, 3), o);
        o->exact = (uint64_t)sqlite3_column_int64(q, 0);
        o->n_tokens = (uint32_t)sqlite3_column_int64(q, 1);
        o->n_shingles = (uint32_t)sqlite3_column_int64(q, 2);
        hd_dup_verdict v;
        hd_dedup_compare(s->sk, o, &v);
        s->links += v.kind != NULL;
    }
    sqlite3_finalize(q);
    return 0;
}

static int mode_scale(const char *lines, const char *dbpath, const char *sizes, int probes) {
    corpus c;
    load_corpus(lines, &c);
    remove(dbpath);
    hd_err err;
    hd_store *st = hd_store_open(dbpath, &err);
    if (st == NULL) die(err.msg);
    sqlite3 *peer;
    if (sqlite3_open_v2(dbpath, &peer, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die("peer open");
    printf("| stored | sketch ms | lookup+verify+store ms | p90 ms | links per probe | "
           "arena KiB | index bytes/article | full scan ms (peer) | scan / index |\n");
    printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    size_t stored = 0;
    char title[32];
    double *ts = malloc((size_t)probes * sizeof *ts), *tl = malloc((size_t)probes * sizeof *tl);
    double *ta = malloc((size_t)probes * sizeof *ta), *tp = malloc((size_t)probes * sizeof *tp);
    if (ts == NULL || tl == NULL || ta == NULL || tp == NULL) die("out of memory");
    for (const char *p = sizes; *p;) {
        size_t want = strtoul(p, (char **)&p, 10);
        if (*p == ',') p++;
        if (hd_store_begin(st) != HD_OK) die(hd_store_errmsg(st));
        while (stored < want) {
            char *t = synthetic(&c, stored);
            snprintf(title, sizeof title, "a%zu", stored);
            hd_doc *d = doc_of(title, t);
            free(t);
            if (d == NULL) continue;
            if (store_one(st, d) < 0) die(hd_store_errmsg(st));
            hd_doc_free(d);
            stored++;
            if (stored % 5000 == 0) {
                if (hd_store_commit(st) != HD_OK || hd_store_begin(st) != HD_OK)
                    die(hd_store_errmsg(st));
            }
        }
        if (hd_store_commit(st) != HD_OK) die(hd_store_errmsg(st));
        sqlite3_exec(peer, "PRAGMA wal_checkpoint", NULL, NULL, NULL);
        sqlite3_stmt *q;
        double dbbytes = 0;
        if (sqlite3_prepare_v2(peer, "SELECT sum(pgsize) FROM dbstat WHERE name IN "
                               "('sketches','bands','sketches_exact','links','links_b',"
                               "'sqlite_autoindex_sketches_1')", -1, &q, NULL) == SQLITE_OK) {
            if (sqlite3_step(q) == SQLITE_ROW) dbbytes = sqlite3_column_double(q, 0);
            sqlite3_finalize(q);
        }
        /* Probes: new articles; every other one an edited copy of a stored
        ** text (same words, a few replaced) so that lookups find links. */
        if (hd_store_begin(st) != HD_OK) die(hd_store_errmsg(st));
        long links = 0;
        int scans = probes < 40 ? probes : 40;
        for (int i = 0; i < probes; i++) {
            char *t;
            if (i % 2) { /* a copy of a stored article with 2 % of its words changed */
                char *orig = synthetic(&c, rnd() % stored);
                t = perturb(&c, orig, 0.02);
                free(orig);
            } else {
                t = perturb(&c, c.line[rnd() % c.n], 0.4);
            }
            snprintf(title, sizeof title, "probe%d", i);
            hd_doc *d = doc_of(title, t);
            free(t);
            if (d == NULL) die("probe text");
            hd_sketch sk;
            hd_str body = hd_dedup_body(d);
            double t0 = now();
            hd_sketch_build(body.ptr, body.len, hd_dedup_shingle, hd_dedup_hashes, d->arena, &sk);
            double t1 = now();
            size_t before = d->arena->used;
            const char *cur = d->arena->cur;
            if (hd_store_put(st, d) < 0) die(hd_store_errmsg(st));
            double t2 = now();
            int n = hd_dedup_run(st, d);
            double t3 = now();
            if (n < 0) die(hd_store_errmsg(st));
            links += n;
            ts[i] = (t1 - t0) * 1e3;
            tl[i] = ((t3 - t2) - (t1 - t0)) * 1e3; /* the run sketches again */
            /* Arena bytes the stage took: bump distance in the same block,
            ** or the blocks it added. */
            ta[i] = (double)(d->arena->used > before ? d->arena->used - before
                                                     : (size_t)(d->arena->cur - cur)) / 1024.0;
            if (i < scans) {
                scan s = {.sk = &sk};
                double u0 = now();
                scan_all(peer, &s);
                tp[i] = (now() - u0) * 1e3;
            }
            hd_doc_free(d);
        }
        hd_store_rollback(st);
        double ms_sketch = median(ts, (size_t)probes), ms_look = median(tl, (size_t)probes);
        double p90 = tl[(size_t)probes * 9 / 10], arena = median(ta, (size_t)probes);
        double ms_scan = median(tp, (size_t)scans);
        printf("| %zu | %.3f | %.3f | %.3f | %.2f | %.1f | %.0f | %.1f | %.0f |\n", stored,
               ms_sketch, ms_look, p90, (double)links / probes, arena,
               dbbytes / (double)stored, ms_scan, ms_scan / (ms_look + ms_sketch));
        fflush(stdout);
    }
    sqlite3_close(peer);
    hd_store_close(st);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "pairs") == 0) return mode_pairs(argv[2], argv[3]);
    if (argc == 6 && strcmp(argv[1], "scale") == 0)
        return mode_scale(argv[2], argv[3], argv[4], (int)strtol(argv[5], NULL, 10));
    fprintf(stderr, "usage: dedup_scale pairs ARTICLES.jsonl PAIRS.tsv\n"
                    "       dedup_scale scale LINES.txt DB N1,N2,... PROBES\n");
    return 2;
}
