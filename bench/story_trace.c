/*
** story_trace.c -- replay a stored stream through the story stage and
** print what it sees, for bench/stories_fit.py and bench/stories.sh.
**
**   story_trace DB GOLD.tsv oracle|free
**
** GOLD.tsv: "ext_id<TAB>label" lines.  Every stored article (in ingest
** order) is profiled again and placed; in `oracle` mode it goes where its
** gold label says (the story of the first article with that label, or a
** new one), in `free` mode where the model says.  Output, one line each:
**
**   C <ext_id> <story> <f1> ... <fn>   a candidate story and its features
**   A <ext_id> <story>                 where the article went
**
** Everything is rolled back at the end: the database is left as it was.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "dict.h"
#include "herald.h"
#include "store.h"
#include "story.h"

typedef struct gold {
    char ext[96];
    char label[64];
    int64_t story; /* oracle: the story of this label, 0 before its first */
} gold;

typedef struct run {
    hd_stories *s;
    hd_dict *dict;
    gold *g;
    size_t n;
    int oracle;
    const char *ext; /* the article being placed */
} run;

static int cmp_gold(const void *a, const void *b) {
    return strcmp(((const gold *)a)->ext, ((const gold *)b)->ext);
}

static gold *find(run *r, const char *ext) {
    gold key;
    snprintf(key.ext, sizeof key.ext, "%.95s", ext);
    return bsearch(&key, r->g, r->n, sizeof *r->g, cmp_gold);
}

static void on_trace(void *ud, const char *article, int64_t story, const double *f, int n) {
    run *r = ud;
    (void)article;
    printf("C\t%s\t%lld", r->ext, (long long)story);
    for (int i = 0; i < n; i++) printf("\t%.5g", f[i]);
    putchar('\n');
}

static int on_article(void *ud, hd_doc *d) {
    run *r = ud;
    char ext[96];
    if (d->ext_id.len) snprintf(ext, sizeof ext, "%.*s", (int)d->ext_id.len, d->ext_id.ptr);
    else snprintf(ext, sizeof ext, "%s", d->id); /* no ext id: the article id */
    gold *g = find(r, ext);
    if (g == NULL) return 0;
    r->ext = g->ext;
    hd_err err = {0};
    if (hd_segment_run(d, &err) != HD_OK) return 0;
    hd_profile *p = hd_profile_build(d, r->dict, &err);
    if (p == NULL) return err.code;
    int64_t force = -1;
    gold *first = NULL;
    if (r->oracle) { /* the story of the label, if any article had it yet */
        for (size_t i = 0; i < r->n && first == NULL; i++)
            if (strcmp(r->g[i].label, g->label) == 0 && r->g[i].story) first = &r->g[i];
        force = first ? first->story : 0;
    }
    int64_t story;
    int rc = hd_stories_add_as(r->s, p, hd_story_time(d), force, &story);
    hd_profile_free(p);
    if (rc != HD_OK) return rc;
    g->story = story;
    printf("A\t%s\t%lld\n", ext, (long long)story);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: story_trace DB GOLD.tsv oracle|free\n");
        return 2;
    }
    run r = {0};
    r.oracle = strcmp(argv[3], "oracle") == 0;
    FILE *f = fopen(argv[2], "r");
    if (f == NULL) {
        perror(argv[2]);
        return 2;
    }
    size_t cap = 0;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (tab == NULL) continue;
        *tab = 0;
        tab[strcspn(tab + 1, "\r\n") + 1] = 0;
        if (r.n == cap) {
            cap = cap ? cap * 2 : 1024;
            r.g = realloc(r.g, cap * sizeof *r.g);
            if (r.g == NULL) return 2;
        }
        memset(&r.g[r.n], 0, sizeof r.g[0]);
        snprintf(r.g[r.n].ext, sizeof r.g[0].ext, "%.95s", line);
        snprintf(r.g[r.n].label, sizeof r.g[0].label, "%.63s", tab + 1);
        r.n++;
    }
    fclose(f);
    qsort(r.g, r.n, sizeof *r.g, cmp_gold);
    hd_err err = {0};
    hd_store *st = hd_store_open(argv[1], &err);
    if (st == NULL) {
        fprintf(stderr, "story_trace: %s\n", err.msg);
        return 2;
    }
    r.dict = hd_dict_load(NULL, NULL);
    hd_store_begin(st);
    r.s = hd_stories_open(st, NULL, &err);
    int rc = r.s ? hd_stories_reset(r.s, NULL) : err.code;
    if (rc == HD_OK) {
        hd_stories_trace(r.s, on_trace, &r);
        rc = hd_store_each(st, 1, on_article, &r);
    }
    hd_store_rollback(st);
    hd_stories_free(r.s);
    hd_dict_free(r.dict);
    hd_store_close(st);
    free(r.g);
    if (rc < 0) fprintf(stderr, "story_trace: %s\n", hd_strerror(rc));
    return rc < 0;
}
