/*
** read.c -- format guessing and the dispatch to the input readers.
*/
#include "read.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "doc.h"
#include "mem.h"

/*---- guessing ----*/

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int ext_is(const char *ext, size_t n, const char *want) {
    size_t m = strlen(want);
    if (n != m) return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)ext[i]) != want[i]) return 0;
    return 1;
}

/* 1 when `pat` (lower case) occurs in s[0..len) ignoring ASCII case. */
static int has_ci(const char *s, size_t len, const char *pat) {
    size_t m = strlen(pat);
    if (m > len) return 0;
    for (size_t i = 0; i + m <= len; i++) {
        size_t j = 0;
        while (j < m && lower((unsigned char)s[i + j]) == pat[j]) j++;
        if (j == m) return 1;
    }
    return 0;
}

#define SNIFF_MAX 1024

hd_format hd_format_guess(const char *name, const char *head, size_t len) {
    if (name != NULL) {
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        const char *dot = strrchr(base, '.');
        if (dot != NULL && dot != base) {
            const char *ext = dot + 1;
            size_t n = strlen(ext);
            if (ext_is(ext, n, "txt") || ext_is(ext, n, "text") || ext_is(ext, n, "md"))
                return HD_FMT_TEXT;
            if (ext_is(ext, n, "html") || ext_is(ext, n, "htm") || ext_is(ext, n, "xhtml"))
                return HD_FMT_HTML;
            if (ext_is(ext, n, "jsonl") || ext_is(ext, n, "ndjson")) return HD_FMT_JSONL;
        }
    }
    if (head == NULL) return HD_FMT_TEXT;
    if (len > SNIFF_MAX) len = SNIFF_MAX;
    size_t i = 0;
    if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' ||
                       head[i] == '\n' || head[i] == '\f'))
        i++;
    if (i == len) return HD_FMT_TEXT;
    if (head[i] == '{') return HD_FMT_JSONL;
    if (head[i] == '<') {
        const char *s = head + i;
        size_t n = len - i;
        if (has_ci(s, n, "<!doctype html") || has_ci(s, n, "<html") ||
            has_ci(s, n, "<head") || has_ci(s, n, "<body") || has_ci(s, n, "<title") ||
            has_ci(s, n, "<meta"))
            return HD_FMT_HTML;
    }
    return HD_FMT_TEXT;
}

/*---- helpers for the readers ----*/

int hd_read_problem(hd_reader *r, uint32_t line, int code, const char *fmt, ...) {
    if (r->pfn == NULL) return code;
    char msg[HD_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->pfn(r->ud, r->source, line, code, msg);
    return code;
}

int hd_read_begin(hd_reader *r, uint32_t line) {
    hd_doc *d = r->doc;
    hd_doc_reset(d);
    d->source = hd_doc_strdup(d, r->source, strlen(r->source));
    d->line = line;
    d->published = HD_TIME_UNKNOWN;
    d->modified = HD_TIME_UNKNOWN;
    d->ingested = HD_TIME_UNKNOWN;
    return d->source.ptr ? HD_OK : HD_ENOMEM;
}

int hd_read_emit(hd_reader *r) {
    hd_doc *d = r->doc;
    if (d->arena->failed) {
        hd_read_problem(r, d->line, HD_ENOMEM, "out of memory while reading the article");
        return 0;
    }
    d->ingested = HD_TIME_UNKNOWN;
    r->count++;
    return r->fn(r->ud, d);
}

static int is_space(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

hd_str hd_read_title(hd_doc *d, const char *s, size_t len) {
    while (len && is_space((unsigned char)*s)) s++, len--;
    while (len && is_space((unsigned char)s[len - 1])) len--;
    if (len > HD_TITLE_MAX) {
        len = HD_TITLE_MAX;
        /* Back off over UTF-8 continuation bytes to a character start. */
        size_t k = len;
        while (k > 0 && k > len - 4 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
        if (((unsigned char)s[k] & 0xC0) != 0x80) len = k;
        while (len && is_space((unsigned char)s[len - 1])) len--;
    }
    return hd_doc_strdup(d, s, len);
}

/*---- dispatch ----*/

int hd_read_buffer(const char *source, hd_format fmt, const char *buf, size_t len,
                   hd_doc_fn fn, hd_problem_fn pfn, void *ud) {
    hd_reader r;
    memset(&r, 0, sizeof r);
    r.source = source ? source : "-";
    r.fn = fn;
    r.pfn = pfn;
    r.ud = ud;
    r.article_max = HD_ARTICLE_MAX_DEFAULT;
    if (fn == NULL || (buf == NULL && len > 0))
        return hd_read_problem(&r, 0, HD_EINVAL, "invalid arguments to the reader");
    if (buf == NULL) buf = "";
    if (fmt == HD_FMT_AUTO) fmt = hd_format_guess(source, buf, len);
    r.doc = hd_doc_new(0);
    if (r.doc == NULL) return hd_read_problem(&r, 0, HD_ENOMEM, "out of memory");
    int rc;
    switch (fmt) {
    case HD_FMT_TEXT: rc = hd_read_text(&r, buf, len); break;
    case HD_FMT_JSONL: rc = hd_read_jsonl(&r, buf, len); break;
    case HD_FMT_HTML: rc = hd_read_html(&r, buf, len); break;
    case HD_FMT_AUTO:
    default:
        rc = hd_read_problem(&r, 0, HD_EUNSUPPORTED, "unknown input format %d", (int)fmt);
        break;
    }
    hd_doc_free(r.doc);
    return rc != 0 ? rc : r.count;
}
