/*
** read_page.c -- HTML pages that arrive inside something else: a fetched
** response, a web archive record, a feed item.
**
** The page itself goes through hd_read_html_page (read_html.c), which
** takes the URL and the HTTP charset the container knows.
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
