/*
** story_scale.c -- the story stage alone on a long synthetic stream, for
** bench/stories.sh.
**
**   story_scale SOURCE.db DB N1,N2,...
**
** The profiles of the real articles stored in SOURCE.db are built once;
** the stream is made of copies of them: copy i of base b belongs to event
** i / (3 * bases), so each event is reported about three times, and 60 % of
** a copy's terms are renamed per event (the next event with the same
** actors shares only the rest), 10 % per copy.  Articles arrive four
** seconds apart (21,600 a day), so with the default 7-day window about
** 150,000 articles are in reach at once.  Every copy goes through
** hd_stories_add into the fresh database DB, committed every 1,000 like
** ingest.  At each size N it prints the articles per second over the last
** block of 10,000 (by the wall clock, and by the process's CPU time, which
** other work on a shared machine disturbs less), the database bytes per
** article, the process's resident memory, and the stories so far.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "dict.h"
#include "herald.h"
#include "store.h"
#include "story.h"

#define BLOCK 10000

static double clock_s(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double now(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

typedef struct bases {
    hd_profile **p;
    size_t n, cap;
    hd_dict *dict;
} bases;

static int on_article(void *ud, hd_doc *d) {
    bases *b = ud;
    hd_err err = {0};
    if (hd_segment_run(d, &err) != HD_OK) return 0;
    hd_profile *p = hd_profile_build(d, b->dict, &err);
    if (p == NULL) return 0;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 1024;
        b->p = realloc(b->p, b->cap * sizeof *b->p);
        if (b->p == NULL) return HD_ENOMEM;
    }
    b->p[b->n++] = p;
    return 0;
}

static long long file_bytes(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: story_scale SOURCE.db DB N1,N2,...\n");
        return 2;
    }
    hd_err err = {0};
    hd_store *src = hd_store_open(argv[1], &err);
    if (src == NULL) {
        fprintf(stderr, "story_scale: %s\n", err.msg);
        return 2;
    }
    bases b = {0};
    b.dict = hd_dict_load(NULL, NULL);
    hd_store_each(src, 1, on_article, &b);
    hd_store_close(src);
    if (b.n == 0) {
        fprintf(stderr, "story_scale: no articles in %s\n", argv[1]);
        return 2;
    }
    long sizes[16];
    int ns = 0;
    for (char *s = argv[3]; *s && ns < 16;) {
        sizes[ns++] = strtol(s, &s, 10);
        if (*s == ',') s++;
    }
    unlink(argv[2]);
    hd_store *st = hd_store_open(argv[2], &err);
    hd_stories *s = st ? hd_stories_open(st, NULL, &err) : NULL;
    if (s == NULL) {
        fprintf(stderr, "story_scale: %s\n", err.msg);
        return 2;
    }
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", argv[2]);
    printf("bases %zu\n%9s %12s %12s %12s %10s %9s\n", b.n, "articles", "articles/s",
           "per CPU s", "db bytes/art", "rss MiB", "stories");
    double t0 = now(), c0 = cpu();
    long next = 0;
    hd_store_begin(st);
    for (long i = 0; next < ns; i++) {
        size_t base = (size_t)i % b.n;
        uint64_t event = (uint64_t)(i / (3 * (long)b.n)) * 1000003u + base;
        char id[HD_ID_LEN + 1];
        snprintf(id, sizeof id, "%016lx", (unsigned long)i);
        hd_profile *p = hd_profile_perturb(b.p[base], id, event + 1, 0.6, (uint64_t)i + 7, 0.1);
        int64_t story;
        int rc = p ? hd_stories_add(s, p, 1600000000 + 4 * (int64_t)i, &story) : HD_ENOMEM;
        hd_profile_free(p);
        if (rc != HD_OK) {
            fprintf(stderr, "story_scale: article %ld: %s (%s)\n", i, hd_strerror(rc),
                    hd_store_errmsg(st));
            return 1;
        }
        if ((i + 1) % 1000 == 0) {
            hd_stories_save(s); /* as ingest does, every 1,000 articles */
            hd_store_commit(st);
            hd_store_begin(st);
        }
        if ((i + 1) % BLOCK == 0) {
            double t = now(), c = cpu();
            if (i + 1 == sizes[next]) {
                hd_store_commit(st);
                long long bytes = file_bytes(argv[2]) + file_bytes(wal);
                printf("%9ld %12.0f %12.0f %12.0f %10.1f %9lld\n", i + 1, BLOCK / (t - t0),
                       BLOCK / (c - c0), (double)bytes / (double)(i + 1), rss_kib() / 1024.0,
                       (long long)st->ops->story_max(st));
                fflush(stdout);
                next++;
                hd_store_begin(st);
                t = now();
                c = cpu();
            }
            t0 = t;
            c0 = c;
        }
    }
    hd_store_commit(st);
    hd_stories_free(s);
    hd_store_close(st);
    for (size_t i = 0; i < b.n; i++) hd_profile_free(b.p[i]);
    free(b.p);
    hd_dict_free(b.dict);
    return 0;
}
