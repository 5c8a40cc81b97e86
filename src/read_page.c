/*
** read_page.c -- HTML pages that arrive inside something else: a fetched
** response, a web archive record, a feed item.
**
** hd_read_html_page adds what the container knows to the HTML reader: the
** page's URL (the article's url when the page names no canonical link, and
** the base a relative canonical link is made absolute against) and the
** charset of the HTTP Content-Type.  The transport's charset wins over the
** page's <meta>, as in a browser; the bytes are converted to UTF-8 with it
** before the HTML reader sees them, so the reader's own charset sniffing
** finds valid UTF-8 and keeps it.
**
** hd_read_nest is the plumbing every container reader shares: a reader
** nested in another whose finished docs pass through a fix-up callback
** (item title, feed name, archive date ...) and are then emitted by the
** outer reader, and whose problems are reported at the container's line.
*/
#include <libxml/uri.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "doc.h"
#include "encoding.h"
#include "mem.h"
#include "read.h"

#define CHARSET_MAX 40
#define CONVERT_BASE (1u << 16) /* scratch arena for the conversion */
#define CONVERT_PER_BYTE 4      /* UTF-8 takes at most 3 bytes per input byte */

/*---- nested readers ----*/

static int nested_emit(void *ud, hd_doc *d) {
    hd_nested *n = ud;
    if (n->fix && n->fix(n->ud, d) != 0) return 0;
    d->line = n->line;
    return hd_read_emit(n->parent);
}

static void nested_problem(void *ud, const char *source, uint32_t line, int code,
                           const char *msg) {
    hd_nested *n = ud;
    (void)source;
    (void)line;
    n->code = code;
    if (n->quiet) snprintf(n->msg, sizeof n->msg, "%s", msg);
    else hd_read_problem(n->parent, n->line, code, "%s", msg);
}

void hd_read_nest(hd_nested *n, hd_reader *parent, uint32_t line,
                  int (*fix)(void *ud, hd_doc *d), void *ud) {
    memset(n, 0, sizeof *n);
    n->r.source = parent->source;
    n->r.doc = parent->doc;
    n->r.fn = nested_emit;
    n->r.pfn = nested_problem;
    n->r.ud = n;
    n->r.article_max = parent->article_max;
    n->parent = parent;
    n->line = line;
    n->fix = fix;
    n->ud = ud;
}

/*---- URLs and charsets ----*/

static int url_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char *hd_url_resolve(const char *base, const char *ref, size_t len) {
    while (len && url_space(*ref)) ref++, len--;
    while (len && url_space(ref[len - 1])) len--;
    char *r = hd_memdup(ref, len);
    if (r == NULL || base == NULL || *base == '\0' || strlen(r) != len) return r;
    xmlChar *abs = xmlBuildURI((const xmlChar *)r, (const xmlChar *)base);
    if (abs == NULL) return r;
    char *out = hd_strdup((const char *)abs);
    xmlFree(abs);
    if (out == NULL) return r;
    hd_free(r);
    return out;
}

static int ci_at(const char *s, size_t len, size_t i, const char *pat) {
    for (; *pat; pat++, i++) {
        if (i >= len) return 0;
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if (c != *pat) return 0;
    }
    return 1;
}

int hd_http_charset(const char *ct, size_t len, char *out, size_t cap) {
    for (size_t i = 0; i + 8 <= len; i++) {
        if (!ci_at(ct, len, i, "charset") || (i > 0 && ct[i - 1] != ';' && ct[i - 1] != ' ' &&
                                              ct[i - 1] != '\t'))
            continue;
        size_t j = i + 7;
        while (j < len && (ct[j] == ' ' || ct[j] == '\t')) j++;
        if (j >= len || ct[j] != '=') continue;
        j++;
        while (j < len && (ct[j] == ' ' || ct[j] == '\t' || ct[j] == '"' || ct[j] == '\'')) j++;
        size_t n = 0;
        while (j + n < len && ct[j + n] != '"' && ct[j + n] != '\'' && ct[j + n] != ';' &&
               ct[j + n] != ' ' && ct[j + n] != '\t')
            n++;
        if (n == 0 || n >= cap) return 0;
        memcpy(out, ct + j, n);
        out[n] = '\0';
        return 1;
    }
    return 0;
}

/*---- the page entry point ----*/

typedef struct page {
    const char *url;
    const char *charset;  /* the HTTP charset, when it was applied */
    const char *encoding; /* static name of the encoding converted from */
    uint32_t n_invalid;
} page;

static int has_scheme(hd_str u) {
    size_t i = 0;
    while (i < u.len && ((u.ptr[i] >= 'a' && u.ptr[i] <= 'z') ||
                         (u.ptr[i] >= 'A' && u.ptr[i] <= 'Z') ||
                         (i > 0 && ((u.ptr[i] >= '0' && u.ptr[i] <= '9') || u.ptr[i] == '+' ||
                                    u.ptr[i] == '-' || u.ptr[i] == '.'))))
        i++;
    return i > 0 && i < u.len && u.ptr[i] == ':';
}

static int page_fix(void *ud, hd_doc *d) {
    page *p = ud;
    if (p->url != NULL && d->url.len == 0) {
        d->url = hd_doc_strdup(d, p->url, strlen(p->url));
    } else if (p->url != NULL && !has_scheme(d->url)) {
        char *abs = hd_url_resolve(p->url, d->url.ptr, d->url.len);
        d->url = abs ? hd_doc_strdup(d, abs, strlen(abs)) : (hd_str){NULL, 0};
        if (abs == NULL) d->arena->failed = 1;
        hd_free(abs);
    }
    if (p->charset != NULL) {
        d->charset = hd_doc_strdup(d, p->charset, strlen(p->charset));
        d->encoding = p->encoding;
        if (p->n_invalid > 0)
            hd_doc_problem(d, "invalid-utf8",
                           "%u invalid byte sequence%s in the %s page replaced by U+FFFD",
                           p->n_invalid, p->n_invalid == 1 ? "" : "s", p->encoding);
    }
    return 0;
}

int hd_read_html_page(hd_reader *r, const char *buf, size_t len, const char *url,
                      const char *http_charset) {
    if (url == NULL && http_charset == NULL) return hd_read_html(r, buf, len);
    if (len > r->article_max)
        return hd_read_problem(r, 0, HD_ETOOBIG, "HTML page larger than the %zu-byte article limit",
                               r->article_max);
    page p = {url, NULL, NULL, 0};
    hd_arena scratch;
    hd_arena_init(&scratch, CONVERT_BASE, CONVERT_BASE + len * CONVERT_PER_BYTE);
    hd_str html = {buf, len};
    int rc = HD_OK;
    if (http_charset != NULL && strlen(http_charset) <= CHARSET_MAX) {
        rc = hd_enc_to_utf8(&scratch, buf, len, http_charset, &html, &p.encoding, &p.n_invalid);
        if (rc == HD_EBINARY) rc = hd_read_problem(r, 0, rc, "binary data, not an HTML page");
        else if (rc != HD_OK)
            rc = hd_read_problem(r, 0, rc, "cannot convert the page to UTF-8: %s", hd_strerror(rc));
        p.charset = http_charset;
    }
    if (rc == HD_OK) {
        hd_nested n;
        hd_read_nest(&n, r, 0, page_fix, &p);
        rc = hd_read_html(&n.r, html.ptr, html.len);
    }
    hd_arena_fini(&scratch);
    return rc;
}
