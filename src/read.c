/*
** read.c -- format guessing and the dispatch to the input readers.
*/
#include "read.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

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

static hd_format guess_by_name(const char *name) {
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    if (dot == NULL || dot == base) return HD_FMT_AUTO;
    const char *ext = dot + 1;
    size_t n = strlen(ext);
    if (ext_is(ext, n, "txt") || ext_is(ext, n, "text") || ext_is(ext, n, "md"))
        return HD_FMT_TEXT;
    if (ext_is(ext, n, "html") || ext_is(ext, n, "htm") || ext_is(ext, n, "xhtml"))
        return HD_FMT_HTML;
    if (ext_is(ext, n, "jsonl") || ext_is(ext, n, "ndjson")) return HD_FMT_JSONL;
    if (ext_is(ext, n, "rss") || ext_is(ext, n, "atom") || ext_is(ext, n, "rdf") ||
        ext_is(ext, n, "xml"))
        return HD_FMT_FEED;
    if (ext_is(ext, n, "warc")) return HD_FMT_WARC;
    if (ext_is(ext, n, "gz") && dot - base > 5 && ext_is(dot - 5, 5, ".warc"))
        return HD_FMT_WARC;
    return HD_FMT_AUTO;
}

/* 1 when `head` is gzip data that inflates to a WARC record header. */
static int gzip_warc(const char *head, size_t len) {
    if (len < 10 || (unsigned char)head[0] != 0x1f || (unsigned char)head[1] != 0x8b) return 0;
    char out[8];
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK) return 0;
    z.next_in = (Bytef *)(uintptr_t)head;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = sizeof out;
    int rc = inflate(&z, Z_SYNC_FLUSH);
    size_t got = sizeof out - z.avail_out;
    inflateEnd(&z);
    return (rc == Z_OK || rc == Z_STREAM_END) && got >= 7 && memcmp(out, "WARC/1.", 7) == 0;
}

/* Index of the root element's name in s[i..len), past the XML declaration,
** processing instructions, comments and a doctype; `len` when not seen. */
static size_t xml_root(const char *s, size_t len, size_t i) {
    while (i + 1 < len && s[i] == '<') {
        const char *end = NULL;
        if (s[i + 1] == '?') end = "?>";
        else if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) end = "-->";
        else if (s[i + 1] == '!') end = ">";
        else return i + 1;
        size_t m = strlen(end), j = i + 2;
        while (j + m <= len && memcmp(s + j, end, m) != 0) j++;
        if (j + m > len) return len;
        i = j + m;
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
    }
    return len;
}

/* 1 when the root element is a feed's: rss, feed or (any prefix:)RDF. */
static int is_feed_root(const char *s, size_t len) {
    size_t n = 0;
    while (n < len && s[n] != ' ' && s[n] != '>' && s[n] != '\t' && s[n] != '\r' &&
           s[n] != '\n' && s[n] != '/')
        n++;
    const char *colon = memchr(s, ':', n);
    if (colon != NULL) {
        n -= (size_t)(colon + 1 - s);
        s = colon + 1;
        return n == 3 && memcmp(s, "RDF", 3) == 0; /* rdf:RDF; atom:feed is rare */
    }
    return (n == 3 && memcmp(s, "rss", 3) == 0) || (n == 4 && memcmp(s, "feed", 4) == 0) ||
           (n == 3 && memcmp(s, "RDF", 3) == 0);
}

hd_format hd_format_guess(const char *name, const char *head, size_t len) {
    hd_format by_name = name != NULL ? guess_by_name(name) : HD_FMT_AUTO;
    if (by_name != HD_FMT_AUTO) return by_name;
    if (head == NULL) return HD_FMT_TEXT;
    if (len > SNIFF_MAX) len = SNIFF_MAX;
    if (len >= 7 && memcmp(head, "WARC/1.", 7) == 0) return HD_FMT_WARC;
    if (gzip_warc(head, len)) return HD_FMT_WARC;
    size_t i = 0;
    if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' ||
                       head[i] == '\n' || head[i] == '\f'))
        i++;
    if (i == len) return HD_FMT_TEXT;
    if (head[i] == '{') return HD_FMT_JSONL;
    if (head[i] == '<') {
        size_t root = xml_root(head, len, i);
        if (root < len && is_feed_root(head + root, len - root)) return HD_FMT_FEED;
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

static void reader_init(hd_reader *r, const char *source, hd_doc_fn fn, hd_problem_fn pfn,
                        void *ud) {
    memset(r, 0, sizeof *r);
    r->source = source ? source : "-";
    r->fn = fn;
    r->pfn = pfn;
    r->ud = ud;
    r->article_max = HD_ARTICLE_MAX_DEFAULT;
}

int hd_read_stream(const char *source, hd_format fmt, hd_pull_fn pull, void *pud,
                   hd_doc_fn fn, hd_problem_fn pfn, void *ud, uint64_t *skipped) {
    hd_reader r;
    reader_init(&r, source, fn, pfn, ud);
    if (fn == NULL || pull == NULL)
        return hd_read_problem(&r, 0, HD_EINVAL, "invalid arguments to the reader");
    if (fmt != HD_FMT_WARC)
        return hd_read_problem(&r, 0, HD_EUNSUPPORTED, "format %d is not read as a stream",
                               (int)fmt);
    r.doc = hd_doc_new(0);
    if (r.doc == NULL) return hd_read_problem(&r, 0, HD_ENOMEM, "out of memory");
    int rc = hd_read_warc_stream(&r, pull, pud);
    hd_doc_free(r.doc);
    if (skipped) *skipped = r.skipped;
    return rc != 0 ? rc : r.count;
}

int hd_read_buffer(const char *source, hd_format fmt, const char *buf, size_t len,
                   hd_doc_fn fn, hd_problem_fn pfn, void *ud) {
    hd_reader r;
    reader_init(&r, source, fn, pfn, ud);
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
    case HD_FMT_FEED: rc = hd_read_feed(&r, buf, len, NULL, NULL, NULL); break;
    case HD_FMT_WARC: rc = hd_read_warc(&r, buf, len); break;
    case HD_FMT_AUTO:
    default:
        rc = hd_read_problem(&r, 0, HD_EUNSUPPORTED, "unknown input format %d", (int)fmt);
        break;
    }
    hd_doc_free(r.doc);
    return rc != 0 ? rc : r.count;
}
