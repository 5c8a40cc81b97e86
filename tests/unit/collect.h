/*
** collect.h -- what a reader produced, copied out of its doc, for the
** feed and web archive tests (test_feed.c, test_warc.c).  Header-only:
** each test file has its own copy of these static functions.
*/
#ifndef HD_TEST_COLLECT_H
#define HD_TEST_COLLECT_H

#include <stdio.h>
#include <string.h>

#include "herald.h"

#define COLLECT_MAX 8

typedef struct art {
    char title[1100], text[8192], url[512], site[128], lang[32], ext_id[128], charset[32];
    size_t text_len;
    uint32_t line;
    int64_t published;
} art;

typedef struct collect {
    int n, n_problems;
    art a[COLLECT_MAX];
    struct {
        uint32_t line;
        int code;
        char msg[HD_ERRMSG_MAX];
    } p[COLLECT_MAX];
} collect;

static void collect_copy(char *dst, size_t cap, hd_str s) {
    size_t n = s.ptr ? s.len : 0;
    if (n >= cap) n = cap - 1;
    if (n) memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}

static int collect_doc(void *ud, hd_doc *d) {
    collect *c = ud;
    if (c->n < COLLECT_MAX) {
        art *a = &c->a[c->n];
        collect_copy(a->title, sizeof a->title, d->raw_title);
        collect_copy(a->text, sizeof a->text, d->raw_text);
        collect_copy(a->url, sizeof a->url, d->url);
        collect_copy(a->site, sizeof a->site, d->site);
        collect_copy(a->lang, sizeof a->lang, d->lang_hint);
        collect_copy(a->ext_id, sizeof a->ext_id, d->ext_id);
        collect_copy(a->charset, sizeof a->charset, d->charset);
        a->text_len = d->raw_text.len;
        a->line = d->line;
        a->published = d->published;
    }
    c->n++;
    return 0;
}

static void collect_problem(void *ud, const char *source, uint32_t line, int code,
                            const char *msg) {
    collect *c = ud;
    (void)source;
    if (c->n_problems < COLLECT_MAX) {
        c->p[c->n_problems].line = line;
        c->p[c->n_problems].code = code;
        snprintf(c->p[c->n_problems].msg, sizeof c->p[0].msg, "%s", msg);
    }
    c->n_problems++;
}

/* Read `len` bytes of `buf` as format `fmt`; returns hd_read_buffer's value. */
static int collect_read(collect *c, hd_format fmt, const char *buf, size_t len) {
    memset(c, 0, sizeof *c);
    return hd_read_buffer("in", fmt, buf, len, collect_doc, collect_problem, c);
}

/* 1 when some problem's message contains `part`. */
static int collect_said(const collect *c, const char *part) {
    for (int i = 0; i < c->n_problems && i < COLLECT_MAX; i++)
        if (strstr(c->p[i].msg, part) != NULL) return 1;
    return 0;
}

#endif
