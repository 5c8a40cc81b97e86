/*
** read_html.c -- an HTML page is one article.
**
**   bytes -> charset: the HTTP header's, else the page's own (prescan of
**            the first PRESCAN_MAX bytes: BOM, <meta charset>, http-equiv)
**         -> UTF-8 (hd_enc_to_utf8) -> nesting prescan, which also cuts
**            comments and script/style content -> gumbo
**         -> hd_extract_tree (extract.c): the article and its metadata.
**
** Untrusted input meets three bounds here.  Gumbo allocates from a scratch
** arena with a hard limit (an allocation it cannot get unwinds to the
** reader with longjmp; every byte gumbo holds is in the arena, so nothing
** leaks and nothing is left half-built), and the tree is never freed node
** by node: gumbo_destroy_output recurses once per nesting level, so the
** arena is dropped whole instead.  Pages nested deeper than
** HD_HTML_DEPTH_MAX elements are refused before parsing (a cheap count of
** open tags): the tree builder checks element scope by walking the stack of
** open elements, so time grows with tags x depth.  The extractor's walks
** keep explicit stacks and never recurse.
*/
#include <gumbo.h>
#include <setjmp.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "doc.h"
#include "encoding.h"
#include "extract.h"
#include "mem.h"
#include "read.h"

#define PRESCAN_MAX 4096         /* bytes searched for a declared charset */
#define CHARSET_MAX 40           /* longest charset name kept */
#define GUMBO_ERRORS_MAX 16      /* parse errors gumbo records */
#define SCRATCH_BASE (64u << 20) /* scratch arena: base + per input byte */
#define SCRATCH_PER_BYTE 24
#define SCRATCH_CAP ((size_t)512 << 20)

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int is_ws(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* 1 when s[i..] starts with `pat` (lower case) ignoring ASCII case. */
static int at_ci(const char *s, size_t len, size_t i, const char *pat) {
    for (; *pat; pat++, i++)
        if (i >= len || lower((unsigned char)s[i]) != *pat) return 0;
    return 1;
}

/* Index just past the '>' that ends the tag whose attributes start at `i`
** (`len` when unterminated), following the tokenizer's attribute states so
** that a '>' inside a quoted value does not end the tag and a quote inside
** an unquoted value does not open one.  *self_closing is set for "/>". */
enum { T_BEFORE, T_NAME, T_AFTER_NAME, T_BEFORE_VALUE, T_DQ, T_SQ, T_UNQ, T_AFTER_VALUE };

static size_t tag_end(const char *s, size_t len, size_t i, int *self_closing) {
    int st = T_BEFORE;
    if (self_closing) *self_closing = 0;
    for (; i < len; i++) {
        int c = (unsigned char)s[i];
        switch (st) {
        case T_BEFORE:
        case T_AFTER_NAME:
        case T_AFTER_VALUE:
            if (c == '>') return i + 1;
            if (c == '/') {
                if (i + 1 < len && s[i + 1] == '>') {
                    if (self_closing) *self_closing = 1;
                    return i + 2;
                }
                st = T_BEFORE;
            } else if (is_ws(c)) {
                if (st == T_AFTER_VALUE) st = T_BEFORE;
            } else if (c == '=' && st == T_AFTER_NAME) {
                st = T_BEFORE_VALUE;
            } else {
                st = T_NAME;
            }
            break;
        case T_NAME:
            if (c == '>') return i + 1;
            if (is_ws(c)) st = T_AFTER_NAME;
            else if (c == '/') i--, st = T_BEFORE;
            else if (c == '=') st = T_BEFORE_VALUE;
            break;
        case T_BEFORE_VALUE:
            if (c == '>') return i + 1;
            if (c == '"') st = T_DQ;
            else if (c == '\'') st = T_SQ;
            else if (!is_ws(c)) st = T_UNQ;
            break;
        case T_DQ:
            if (c == '"') st = T_AFTER_VALUE;
            break;
        case T_SQ:
            if (c == '\'') st = T_AFTER_VALUE;
            break;
        case T_UNQ:
            if (c == '>') return i + 1;
            if (is_ws(c)) st = T_BEFORE;
            break;
        default:
            break;
        }
    }
    return len;
}

/*---- declared charset ----*/

/* Copy a charset name starting at s[i] into out (NUL-terminated) when it
** looks like one.  Returns 1 when kept. */
static int take_charset(const char *s, size_t len, size_t i, char *out) {
    while (i < len && (is_ws((unsigned char)s[i]) || s[i] == '"' || s[i] == '\'')) i++;
    size_t n = 0;
    while (i + n < len && n <= CHARSET_MAX) {
        int c = (unsigned char)s[i + n];
        if (!(is_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
              c == ':'))
            break;
        n++;
    }
    if (n == 0 || n > CHARSET_MAX) return 0;
    memcpy(out, s + i, n);
    out[n] = '\0';
    return 1;
}

/* Parse one attribute at s[*i] inside a tag ending before `end`: name in
** [*ns, *ns + *nn), value in [*vs, *vs + *vn).  Returns 0 at the tag end. */
static int next_attr(const char *s, size_t end, size_t *i, size_t *ns, size_t *nn, size_t *vs,
                     size_t *vn) {
    size_t p = *i;
    while (p < end && (is_ws((unsigned char)s[p]) || s[p] == '/')) p++;
    if (p >= end || s[p] == '>') return 0;
    *ns = p;
    while (p < end && !is_ws((unsigned char)s[p]) && s[p] != '/' && s[p] != '>' && s[p] != '=')
        p++;
    *nn = p - *ns;
    *vs = p;
    *vn = 0;
    while (p < end && is_ws((unsigned char)s[p])) p++;
    if (p < end && s[p] == '=') {
        p++;
        while (p < end && is_ws((unsigned char)s[p])) p++;
        if (p < end && (s[p] == '"' || s[p] == '\'')) {
            char q = s[p++];
            *vs = p;
            while (p < end && s[p] != q) p++;
            *vn = p - *vs;
            if (p < end) p++;
        } else {
            *vs = p;
            while (p < end && !is_ws((unsigned char)s[p]) && s[p] != '>') p++;
            *vn = p - *vs;
        }
    }
    if (p == *ns) p++; /* always advance */
    *i = p;
    return 1;
}

/* The charset a page declares: a byte-order mark, <meta charset=...> or
** <meta http-equiv=Content-Type content="...; charset=...">.  Fills `out`
** (CHARSET_MAX + 1 bytes) and returns 1 when found. */
static int declared_charset(const char *s, size_t len, char *out) {
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) return memcpy(out, "UTF-8", 6), 1;
    if (len >= 2 && memcmp(s, "\xFF\xFE", 2) == 0) return memcpy(out, "UTF-16LE", 9), 1;
    if (len >= 2 && memcmp(s, "\xFE\xFF", 2) == 0) return memcpy(out, "UTF-16BE", 9), 1;
    if (len > PRESCAN_MAX) len = PRESCAN_MAX;
    size_t i = 0;
    while (i < len) {
        const char *lt = memchr(s + i, '<', len - i);
        if (lt == NULL) break;
        i = (size_t)(lt - s);
        if (at_ci(s, len, i, "<!--")) {
            size_t j = i + 4;
            while (j < len && !at_ci(s, len, j, "-->")) j++;
            i = j + 3;
            continue;
        }
        if (!at_ci(s, len, i, "<meta") || i + 5 >= len ||
            !(is_ws((unsigned char)s[i + 5]) || s[i + 5] == '/')) {
            i++;
            continue;
        }
        size_t end = tag_end(s, len, i + 5, NULL), p = i + 5, ns, nn, vs, vn;
        size_t cs = 0, cn = 0;
        int have_content = 0;
        while (next_attr(s, end, &p, &ns, &nn, &vs, &vn)) {
            if (nn == 7 && at_ci(s, len, ns, "charset")) {
                if (take_charset(s, vs + vn, vs, out)) return 1;
            } else if (nn == 7 && at_ci(s, len, ns, "content")) {
                cs = vs, cn = vn, have_content = 1;
            }
        }
        if (have_content) {
            for (size_t k = cs; k + 8 <= cs + cn; k++)
                if (at_ci(s, cs + cn, k, "charset")) {
                    size_t e = k + 7;
                    while (e < cs + cn && is_ws((unsigned char)s[e])) e++;
                    if (e < cs + cn && s[e] == '=' && take_charset(s, cs + cn, e + 1, out))
                        return 1;
                }
        }
        i = end;
    }
    return 0;
}

/*---- nesting prescan ----*/

/* Elements that never hold others open: void elements, and elements whose
** end tag is implied by a sibling (<p>, <li>, <td> ...) or that cannot nest
** in themselves (<a>, <form>).  Not counted. */
static const char uncounted[] =
    "|area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr|keygen"
    "|basefont|bgsound|frame|image|p|li|dt|dd|option|optgroup|tr|td|th|thead|tbody"
    "|tfoot|rb|rt|rp|rtc|colgroup|caption|html|head|body|a|form|nobr|button|";
/* Elements whose content is text up to their end tag. */
static const char rawtext[] = "|script|style|textarea|title|xmp|iframe|noembed|noframes|";

static int in_set(const char *set, const char *name) {
    char key[24];
    size_t n = strlen(name);
    if (n + 3 > sizeof key) return 0;
    key[0] = '|';
    memcpy(key + 1, name, n);
    key[n + 1] = '|';
    key[n + 2] = '\0';
    return strstr(set, key) != NULL;
}

/* Read a tag name at s[i] into `name` (lower case, truncated to 16 bytes).
** Returns the index after it. */
static size_t read_name(const char *s, size_t len, size_t i, char name[17]) {
    size_t n = 0;
    while (i < len && !is_ws((unsigned char)s[i]) && s[i] != '/' && s[i] != '>') {
        if (n < 16) name[n++] = (char)lower((unsigned char)s[i]);
        i++;
    }
    name[n] = '\0';
    return i;
}

/* Output of the prescan: the page without what gumbo need not see. */
typedef struct slim {
    char *out;   /* the copy, or NULL to only measure */
    size_t len;  /* bytes in out */
    size_t from; /* input bytes before this index are copied or cut */
} slim;

/* Cut s[a..b) from the copy. */
static void cut(slim *o, const char *s, size_t a, size_t b) {
    if (o->out == NULL || a < o->from) return;
    memcpy(o->out + o->len, s + o->from, a - o->from);
    o->len += a - o->from;
    o->from = b;
}

/* 1 when the start tag s[a..b) is a <script> whose content we keep
** (JSON-LD, which the extractor reads). */
static int keep_script(const char *s, size_t a, size_t b) {
    for (size_t k = a; k + 7 <= b; k++)
        if (at_ci(s, b, k, "ld+json")) return 1;
    return 0;
}

/* The deepest nesting of elements the page's tags open, roughly: start
** tags minus end tags, skipping comments, raw text and elements that close
** themselves.  Stops counting once `cap` is passed.  Where it cannot follow
** the tokenizer exactly it errs towards counting more: it never skips text
** the tokenizer would read as tags.  With o->out set it also copies the
** page there without comments and without the content of <script> (but
** JSON-LD) and <style>: a third of a typical page, none of it text, and
** gumbo tokenizes it a character at a time.  The tags stay, so the tree
** keeps its shape. */
static int nesting_depth(const char *s, size_t len, int cap, slim *o) {
    int depth = 0, max = 0, foreign = 0;
    size_t i = 0;
    char name[17];
    while (i < len) {
        const char *lt = memchr(s + i, '<', len - i);
        if (lt == NULL) break;
        size_t at = (size_t)(lt - s);
        i = at + 1;
        if (i >= len) break;
        if (s[i] == '!' && at_ci(s, len, i, "!--")) {
            /* From the first '-': "<!-->" and "<!--->" end at once, as in
            ** the tokenizer; so does "--!>". */
            size_t j = i + 1;
            while (j < len && !at_ci(s, len, j, "-->") && !at_ci(s, len, j, "--!>")) j++;
            i = j < len && s[j + 2] == '!' ? j + 4 : j + 3;
            if (i > len) i = len;
            if (j < len) cut(o, s, at, i);
        } else if (s[i] == '!' || s[i] == '?') {
            const char *gt = memchr(s + i, '>', len - i);
            i = gt ? (size_t)(gt - s) + 1 : len;
        } else if (s[i] == '/' && i + 1 < len && is_alpha((unsigned char)s[i + 1])) {
            i = read_name(s, len, i + 1, name);
            i = tag_end(s, len, i, NULL);
            if (depth > 0 && !in_set(uncounted, name)) depth--;
            if (foreign > 0 && (strcmp(name, "svg") == 0 || strcmp(name, "math") == 0))
                foreign--;
        } else if (is_alpha((unsigned char)s[i])) {
            i = read_name(s, len, i, name);
            int self_closing;
            size_t attrs = i;
            i = tag_end(s, len, i, &self_closing);
            if (strcmp(name, "plaintext") == 0) break;
            if (!self_closing && (strcmp(name, "svg") == 0 || strcmp(name, "math") == 0))
                foreign++;
            /* In SVG and MathML, <style> and <script> hold markup. */
            if (foreign == 0 && in_set(rawtext, name)) {
                /* Skip to the matching end tag. */
                size_t n = strlen(name), body = i;
                while (i < len) {
                    const char *q = memchr(s + i, '<', len - i);
                    if (q == NULL) {
                        i = len;
                        break;
                    }
                    i = (size_t)(q - s) + 1;
                    if (i < len && s[i] == '/' && at_ci(s, len, i + 1, name) &&
                        (i + 1 + n == len || !is_alpha((unsigned char)s[i + 1 + n]))) {
                        if ((strcmp(name, "style") == 0 ||
                             (strcmp(name, "script") == 0 && !keep_script(s, attrs, body))))
                            cut(o, s, body, i - 1);
                        i = tag_end(s, len, i + 1 + n, NULL);
                        break;
                    }
                }
            } else if (!self_closing && !in_set(uncounted, name)) {
                if (++depth > max) max = depth;
                if (max > cap) return max;
            }
        }
    }
    if (o->out != NULL) cut(o, s, len, len);
    return max;
}

/*---- gumbo in a scratch arena ----*/

typedef struct scratch {
    hd_arena arena;
    size_t want; /* the request that failed */
    jmp_buf fail;
} scratch;

static void *scratch_alloc(void *ud, size_t n) {
    scratch *s = ud;
    void *p = hd_arena_alloc(&s->arena, n ? n : 1, _Alignof(max_align_t));
    if (p == NULL) {
        s->want = n;
        longjmp(s->fail, 1);
    }
    return p;
}

static void scratch_free(void *ud, void *p) {
    (void)ud;
    (void)p; /* the arena is dropped whole */
}

static GumboOutput *parse(scratch *s, const char *html, size_t len) {
    GumboOptions opt = kGumboDefaultOptions;
    opt.allocator = scratch_alloc;
    opt.deallocator = scratch_free;
    opt.userdata = s;
    opt.max_errors = GUMBO_ERRORS_MAX;
    if (setjmp(s->fail) != 0) return NULL;
    return gumbo_parse_with_options(&opt, html, len);
}

/*---- the reader ----*/

static hd_str dup_view(hd_doc *d, hd_str v) {
    return v.ptr ? hd_doc_strdup(d, v.ptr, v.len) : v;
}

/* Run the extractor on the tree and fill the doc's reader fields. */
static int fill(hd_reader *r, scratch *s, GumboOutput *out, const char *url) {
    hd_doc *d = r->doc;
    hd_extract x;
    int rc = hd_extract_tree(&s->arena, out, url, (int64_t)time(NULL), r->article_max, &x);
    if (rc == HD_ETOOBIG)
        return hd_read_problem(r, 0, rc, "text larger than the %zu-byte article limit",
                               r->article_max);
    if (rc != HD_OK) return hd_read_problem(r, 0, rc, "out of memory");
    if (x.text.len == 0) return hd_read_problem(r, 0, HD_EEMPTY, "no visible text in the HTML page");
    if (x.title.len > 0) d->raw_title = hd_read_title(d, x.title.ptr, x.title.len);
    d->raw_text = dup_view(d, x.text);
    d->lang_hint = dup_view(d, x.lang);
    d->url = dup_view(d, x.url);
    d->site = dup_view(d, x.site);
    d->author = dup_view(d, x.author);
    d->published = x.published;
    d->modified = x.modified;
    return HD_OK;
}

/* The charset a server declared ("utf-8", "\"ISO-8859-1\""), copied into
** `out` when it looks like one. */
static int http_charset_name(const char *cs, char *out) {
    if (cs == NULL) return 0;
    return take_charset(cs, strlen(cs), 0, out);
}

int hd_read_html_page(hd_reader *r, const char *buf, size_t len, const char *url,
                      const char *http_charset) {
    if (len > r->article_max)
        return hd_read_problem(r, 0, HD_ETOOBIG, "HTML page larger than the %zu-byte article limit",
                               r->article_max);
    if (hd_read_begin(r, 0) != HD_OK) return hd_read_problem(r, 0, HD_ENOMEM, "out of memory");
    hd_doc *d = r->doc;
    char cs[CHARSET_MAX + 1];
    const char *hint = NULL;
    if (http_charset_name(http_charset, cs) || declared_charset(buf, len, cs)) {
        d->charset = hd_doc_strdup(d, cs, strlen(cs));
        hint = cs;
    }

    scratch *s = hd_malloc(sizeof *s);
    if (s == NULL) return hd_read_problem(r, 0, HD_ENOMEM, "out of memory");
    size_t limit = len > (SCRATCH_CAP - SCRATCH_BASE) / SCRATCH_PER_BYTE
                       ? SCRATCH_CAP
                       : SCRATCH_BASE + len * SCRATCH_PER_BYTE;
    hd_arena_init(&s->arena, 1u << 16, limit);

    int rc;
    hd_str html;
    const char *enc = NULL;
    uint32_t n_invalid = 0;
    rc = hd_enc_to_utf8(&s->arena, buf, len, hint, &html, &enc, &n_invalid);
    if (rc == HD_EBINARY) {
        rc = hd_read_problem(r, 0, rc, "binary data, not an HTML page");
        goto done;
    }
    if (rc != HD_OK) {
        rc = hd_read_problem(r, 0, rc, "cannot convert the page to UTF-8: %s", hd_strerror(rc));
        goto done;
    }
    d->encoding = enc; /* the page's own encoding; normalize keeps it */
    if (n_invalid > 0)
        hd_doc_problem(d, "invalid-utf8",
                       "%u invalid byte sequence%s in the %s page replaced by U+FFFD", n_invalid,
                       n_invalid == 1 ? "" : "s", enc ? enc : "HTML");
    slim o = {hd_arena_alloc(&s->arena, html.len + 1, 1), 0, 0};
    if (o.out == NULL) {
        rc = hd_read_problem(r, 0, HD_ENOMEM, "out of memory");
        goto done;
    }
    if (nesting_depth(html.ptr, html.len, HD_HTML_DEPTH_MAX, &o) > HD_HTML_DEPTH_MAX) {
        rc = hd_read_problem(r, 0, HD_EPARSE, "HTML nested deeper than %d elements",
                             HD_HTML_DEPTH_MAX);
        goto done;
    }
    GumboOutput *out = parse(s, o.out, o.len);
    if (out == NULL) {
        /* Over the cap (a block of its own is at most `want` plus a
        ** header), or the allocator itself said no. */
        if (s->want >= limit || s->arena.used + (1u << 16) > limit - s->want)
            rc = hd_read_problem(r, 0, HD_ETOOBIG,
                                 "HTML page needs more than %zu bytes of memory to parse", limit);
        else
            rc = hd_read_problem(r, 0, HD_ENOMEM, "out of memory while parsing HTML");
        goto done;
    }
    rc = fill(r, s, out, url);
    if (rc == HD_OK) rc = hd_read_emit(r);
done:
    hd_arena_fini(&s->arena);
    hd_free(s);
    return rc;
}

int hd_read_html(hd_reader *r, const char *buf, size_t len) {
    return hd_read_html_page(r, buf, len, NULL, NULL);
}
