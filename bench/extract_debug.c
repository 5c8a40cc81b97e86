/*
** extract_debug.c -- show how the extractor read a page: the best-scoring
** containers (good and bad characters), the boilerplate subtrees that held
** the most text, and the result.  A developer's tool: it includes
** src/extract.c to see its static functions.
**
**   build/bench/extract_debug PAGE.html[.gz]
*/
#include "../src/extract.c"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <zlib.h>

static char *slurp(const char *path, size_t *len) {
    gzFile z = gzopen(path, "rb");
    size_t cap = 1 << 20, n = 0;
    char *buf = z ? malloc(cap) : NULL;
    int got;
    while (buf && (got = gzread(z, buf + n, (unsigned)(cap - n))) > 0) {
        n += (size_t)got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    if (z) gzclose(z);
    *len = n;
    return buf;
}

static void path_of(const xn *v, int32_t i) {
    int32_t chain[64], n = 0;
    for (; i >= 0 && n < 64; i = v[i].parent) chain[n++] = i;
    while (n-- > 0) {
        GumboNode *g = v[chain[n]].g;
        const char *c = hd_extract_attr(g, "class"), *id = hd_extract_attr(g, "id");
        printf(" > %s%s%.40s%s%.30s", gumbo_normalized_tagname(g->v.element.tag), c ? "." : "",
               c ? c : "", id ? "#" : "", id ? id : "");
    }
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    size_t len;
    char *buf = slurp(argv[1], &len);
    if (buf == NULL) return 1;
    GumboOutput *out = gumbo_parse_with_options(&kGumboDefaultOptions, buf, len);
    hd_arena a;
    hd_arena_init(&a, 1 << 16, 0);
    flat f;
    memset(&f, 0, sizeof f);
    f.a = &a;
    f.cur = -1;
    hd_extract_walk(&a, out->document, flat_enter, flat_leave, &f);
    mark_junk(f.v, f.n);
    for (int32_t i = 0; i < f.n; i++) {
        if (f.v[i].tag == T_TEXT || !(f.v[i].flags & F_JUNK)) continue;
        if (f.v[i].parent >= 0 && (f.v[f.v[i].parent].flags & F_JUNK)) continue;
        hd_str t = hd_extract_inline(&a, f.v[i].g, 100000);
        if (t.len < 150) continue;
        printf("junk %6zu:", t.len);
        path_of(f.v, i);
        printf("\n");
    }
    sum_up(f.v, f.n);
    for (int k = 0; k < 8; k++) {
        int32_t best = -1;
        for (int32_t i = 0; i < f.n; i++) {
            xn *x = &f.v[i];
            if (x->tag == T_TEXT || (x->flags & (F_JUNK | F_DROP))) continue;
            if (best < 0 || x->good - x->bad > f.v[best].good - f.v[best].bad) best = i;
        }
        if (best < 0) break;
        printf("cand good %.0f bad %.0f:", f.v[best].good, f.v[best].bad);
        path_of(f.v, best);
        printf("\n");
        f.v[best].flags |= F_DROP;
    }
    hd_arena b;
    hd_arena_init(&b, 1 << 16, 0);
    hd_extract x;
    int rc = hd_extract_tree(&b, out, NULL, (int64_t)time(NULL), 1 << 24, &x);
    printf("rc %d\ntitle: %s\nauthor: %s\npublished: %lld\n---\n%s\n", rc, x.title.ptr,
           x.author.ptr, (long long)x.published, x.text.ptr);
    return 0;
}
