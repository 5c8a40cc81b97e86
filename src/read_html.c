/*
** read_html.c -- an HTML page is one article.
**
**   bytes -> declared charset (own prescan of the first PRESCAN_MAX bytes)
**         -> UTF-8 (hd_enc_to_utf8) -> nesting prescan -> gumbo
**         -> metadata walk over the whole tree, text walk over <body>.
**
** Untrusted input meets three bounds here.  Gumbo allocates from a scratch
** arena with a hard limit (an allocation it cannot get unwinds to the
** reader with longjmp; every byte gumbo holds is in the arena, so nothing
** leaks and nothing is left half-built), and the tree is never freed node
** by node: gumbo_destroy_output recurses once per nesting level, so the
** arena is dropped whole instead.  Pages nested deeper than
** HD_HTML_DEPTH_MAX elements are refused before parsing (a cheap count of
** open tags): the tree builder checks element scope by walking the stack of
** open elements, so time grows with tags x depth.  Our own walks keep an
** explicit stack and never recurse.
*/
#include <gumbo.h>
#include <setjmp.h>
#include <stddef.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "doc.h"
#include "encoding.h"
#include "mem.h"
#include "read.h"

#define PRESCAN_MAX 4096         /* bytes searched for a declared charset */
#define CHARSET_MAX 40           /* longest charset name kept */
#define GUMBO_ERRORS_MAX 16      /* parse errors gumbo records */
#define SCRATCH_BASE (64u << 20) /* scratch arena: base + per input byte */
#define SCRATCH_PER_BYTE 24
#define SCRATCH_CAP ((size_t)512 << 20)
#define META_TEXT_MAX (4 * HD_TITLE_MAX) /* bytes gathered for a title */

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
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) return strcpy(out, "UTF-8"), 1;
    if (len >= 2 && memcmp(s, "\xFF\xFE", 2) == 0) return strcpy(out, "UTF-16LE"), 1;
    if (len >= 2 && memcmp(s, "\xFE\xFF", 2) == 0) return strcpy(out, "UTF-16BE"), 1;
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

/* The deepest nesting of elements the page's tags open, roughly: start
** tags minus end tags, skipping comments, raw text and elements that close
** themselves.  Stops counting once `cap` is passed.  Where it cannot follow
** the tokenizer exactly it errs towards counting more: it never skips text
** the tokenizer would read as tags. */
static int nesting_depth(const char *s, size_t len, int cap) {
    int depth = 0, max = 0, foreign = 0;
    size_t i = 0;
    char name[17];
    while (i < len) {
        const char *lt = memchr(s + i, '<', len - i);
        if (lt == NULL) break;
        i = (size_t)(lt - s) + 1;
        if (i >= len) break;
        if (s[i] == '!' && at_ci(s, len, i, "!--")) {
            /* From the first '-': "<!-->" and "<!--->" end at once, as in
            ** the tokenizer; so does "--!>". */
            size_t j = i + 1;
            while (j < len && !at_ci(s, len, j, "-->") && !at_ci(s, len, j, "--!>")) j++;
            i = j < len && s[j + 2] == '!' ? j + 4 : j + 3;
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
            i = tag_end(s, len, i, &self_closing);
            if (strcmp(name, "plaintext") == 0) break;
            if (!self_closing && (strcmp(name, "svg") == 0 || strcmp(name, "math") == 0))
                foreign++;
            /* In SVG and MathML, <style> and <script> hold markup. */
            if (foreign == 0 && in_set(rawtext, name)) {
                /* Skip to the matching end tag. */
                size_t n = strlen(name);
                while (i < len) {
                    const char *q = memchr(s + i, '<', len - i);
                    if (q == NULL) {
                        i = len;
                        break;
                    }
                    i = (size_t)(q - s) + 1;
                    if (i < len && s[i] == '/' && at_ci(s, len, i + 1, name) &&
                        (i + 1 + n == len || !is_alpha((unsigned char)s[i + 1 + n]))) {
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

/*---- iterative tree walk ----*/

/* enter: called on every node in document order; returns 1 to visit its
** children.  leave: called after the children (or at once). */
typedef int (*enter_fn)(void *ctx, GumboNode *n);
typedef void (*leave_fn)(void *ctx, GumboNode *n);

typedef struct frame {
    GumboNode *node;
    unsigned next;
} frame;

static GumboVector *children(GumboNode *n) {
    switch (n->type) {
    case GUMBO_NODE_DOCUMENT: return &n->v.document.children;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE: return &n->v.element.children;
    default: return NULL;
    }
}

static int walk(GumboNode *root, enter_fn enter, leave_fn leave, void *ctx) {
    frame *st = NULL;
    size_t n = 0, cap = 0;
    GumboNode *push = root;
    int rc = HD_OK;
    for (;;) {
        if (push != NULL) {
            GumboVector *ch = children(push);
            if (enter(ctx, push) && ch != NULL && ch->length > 0) {
                if (n == cap) {
                    size_t ncap = cap ? cap * 2 : 64;
                    frame *q = hd_realloc(st, ncap * sizeof *q);
                    if (q == NULL) {
                        rc = HD_ENOMEM;
                        break;
                    }
                    st = q;
                    cap = ncap;
                }
                st[n].node = push;
                st[n].next = 0;
                n++;
            } else {
                leave(ctx, push);
            }
            push = NULL;
        }
        if (n == 0) break;
        frame *f = &st[n - 1];
        GumboVector *ch = children(f->node);
        if (f->next < ch->length) {
            push = ch->data[f->next++];
        } else {
            leave(ctx, f->node);
            n--;
        }
    }
    hd_free(st);
    return rc;
}

/*---- text gathering ----*/

typedef struct textout {
    hd_buf b;
    size_t max;      /* stop adding text past this many bytes */
    int full;        /* `max` reached */
    int brk;         /* pending break: 0, 1 (line) or 2 (paragraph) */
    int space;       /* pending space */
    int pre;         /* inside <pre>: newlines are breaks */
    int inline_only; /* breaks become spaces (titles) */
    GumboNode *root; /* the walk's root: read even when of a skipped kind */
} textout;

static void put_text(textout *t, const char *s, size_t n) {
    size_t i = 0;
    while (i < n && !t->full) {
        int c = (unsigned char)s[i];
        if (is_ws(c)) {
            if (t->pre && c == '\n' && t->brk < 1) t->brk = 1;
            else t->space = 1;
            i++;
            continue;
        }
        if (t->b.len > 0) {
            if (t->brk && !t->inline_only) hd_buf_add(&t->b, "\n\n", (size_t)t->brk);
            else if (t->brk || t->space) hd_buf_addc(&t->b, ' ');
        }
        t->brk = t->space = 0;
        size_t j = i;
        while (j < n && !is_ws((unsigned char)s[j])) j++;
        if (t->b.len + (j - i) > t->max) {
            t->full = 1;
            break;
        }
        hd_buf_add(&t->b, s + i, j - i);
        i = j;
    }
}

static int skipped(GumboNode *n) {
    if (n->type == GUMBO_NODE_TEMPLATE || n->type == GUMBO_NODE_COMMENT) return 1;
    if (n->type != GUMBO_NODE_ELEMENT) return 0;
    switch (n->v.element.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_SELECT:
        return 1;
    default:
        return gumbo_get_attribute(&n->v.element.attributes, "hidden") != NULL;
    }
}

/* 2: paragraph break, 1: line break, -1: a space, 0: inline. */
static int break_level(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_SECTION:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_MAIN: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_FIGURE: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_HR:
    case GUMBO_TAG_FORM: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_DETAILS: case GUMBO_TAG_CENTER:
        return 2;
    case GUMBO_TAG_BR: case GUMBO_TAG_DIV: case GUMBO_TAG_LI: case GUMBO_TAG_DT:
    case GUMBO_TAG_DD: case GUMBO_TAG_TR: case GUMBO_TAG_CAPTION: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_LEGEND: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_BODY: case GUMBO_TAG_HTML:
    case GUMBO_TAG_OPTION:
        return 1;
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_IMG:
        return -1;
    default:
        return 0;
    }
}

static void text_mark(textout *t, GumboNode *n) {
    if (n->type != GUMBO_NODE_ELEMENT) return;
    int lv = break_level(n->v.element.tag);
    if (lv < 0) t->space = 1;
    else if (lv > t->brk) t->brk = lv;
}

static int text_enter(void *ctx, GumboNode *n) {
    textout *t = ctx;
    if (t->full || (n != t->root && skipped(n))) return 0;
    switch (n->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
    case GUMBO_NODE_CDATA:
        put_text(t, n->v.text.text, strlen(n->v.text.text));
        return 0;
    case GUMBO_NODE_ELEMENT:
        if (n->v.element.tag == GUMBO_TAG_PRE) t->pre++;
        text_mark(t, n);
        return 1;
    default:
        return 1;
    }
}

static void text_leave(void *ctx, GumboNode *n) {
    textout *t = ctx;
    if ((n != t->root && skipped(n)) || n->type != GUMBO_NODE_ELEMENT) return;
    if (n->v.element.tag == GUMBO_TAG_PRE && t->pre > 0) t->pre--;
    text_mark(t, n);
}

static void textout_init(textout *t, size_t max, int inline_only) {
    memset(t, 0, sizeof *t);
    hd_buf_init(&t->b, 0);
    t->max = max;
    t->inline_only = inline_only;
}

/* The collapsed text under `n` (titles, headings) into t. */
static int gather_inline(GumboNode *n, textout *t) {
    textout_init(t, META_TEXT_MAX, 1);
    t->root = n;
    int rc = walk(n, text_enter, text_leave, t);
    if (rc == HD_OK && t->b.failed) rc = HD_ENOMEM;
    return rc;
}

/*---- metadata ----*/

typedef struct meta {
    GumboNode *title, *h1;
    const char *lang, *canonical, *og_url, *og_title, *site;
    const char *pub[3]; /* article:published_time, meta date, <time> */
} meta;

static const char *attr(GumboNode *n, const char *name) {
    GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : NULL;
}

static int eq_ci(const char *a, const char *b) {
    if (a == NULL) return 0;
    for (; *a && *b; a++, b++)
        if (lower((unsigned char)*a) != lower((unsigned char)*b)) return 0;
    return *a == *b;
}

/* 1 when the space-separated token list `list` holds `tok`. */
static int has_token(const char *list, const char *tok) {
    size_t m = strlen(tok);
    while (list && *list) {
        while (is_ws((unsigned char)*list)) list++;
        size_t n = 0;
        while (list[n] && !is_ws((unsigned char)list[n])) n++;
        if (n == m) {
            size_t k = 0;
            while (k < m && lower((unsigned char)list[k]) == tok[k]) k++;
            if (k == m) return 1;
        }
        list += n;
    }
    return 0;
}

static void set_once(const char **slot, const char *v) {
    if (*slot == NULL && v != NULL && *v) *slot = v;
}

static int meta_enter(void *ctx, GumboNode *n) {
    meta *m = ctx;
    if (n->type == GUMBO_NODE_DOCUMENT) return 1;
    if (n->type != GUMBO_NODE_ELEMENT) return 0;
    switch (n->v.element.tag) {
    case GUMBO_TAG_HTML:
        set_once(&m->lang, attr(n, "lang"));
        set_once(&m->lang, attr(n, "xml:lang"));
        return 1;
    case GUMBO_TAG_TITLE:
        if (m->title == NULL) m->title = n;
        return 0;
    case GUMBO_TAG_H1:
        if (m->h1 == NULL) m->h1 = n;
        return 0;
    case GUMBO_TAG_LINK:
        if (has_token(attr(n, "rel"), "canonical")) set_once(&m->canonical, attr(n, "href"));
        return 0;
    case GUMBO_TAG_TIME:
        set_once(&m->pub[2], attr(n, "datetime"));
        return 1;
    case GUMBO_TAG_META: {
        const char *prop = attr(n, "property"), *name = attr(n, "name");
        const char *content = attr(n, "content");
        if (prop == NULL) prop = name;
        if (eq_ci(prop, "og:url")) set_once(&m->og_url, content);
        else if (eq_ci(prop, "og:title")) set_once(&m->og_title, content);
        else if (eq_ci(prop, "og:site_name")) set_once(&m->site, content);
        else if (eq_ci(prop, "article:published_time")) set_once(&m->pub[0], content);
        if (eq_ci(name, "date") || eq_ci(name, "pubdate") || eq_ci(name, "dc.date") ||
            eq_ci(name, "dcterms.date") || eq_ci(attr(n, "itemprop"), "datePublished"))
            set_once(&m->pub[1], content);
        return 0;
    }
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
        return 0;
    default:
        return 1;
    }
}

static void meta_leave(void *ctx, GumboNode *n) {
    (void)ctx;
    (void)n;
}

static hd_str dup_attr(hd_doc *d, const char *v) {
    size_t len = strlen(v);
    while (len && is_ws((unsigned char)*v)) v++, len--;
    while (len && is_ws((unsigned char)v[len - 1])) len--;
    if (len > HD_TITLE_MAX * 4) len = 0; /* not a plausible URL, site or language */
    return hd_doc_strdup(d, v, len);
}

/*---- the reader ----*/

static int fill(hd_reader *r, GumboOutput *out, size_t max_text) {
    hd_doc *d = r->doc;
    meta m;
    memset(&m, 0, sizeof m);
    if (walk(out->document, meta_enter, meta_leave, &m) != HD_OK)
        return hd_read_problem(r, 0, HD_ENOMEM, "out of memory");

    textout t;
    int rc = HD_OK;
    if (m.title != NULL && (rc = gather_inline(m.title, &t)) == HD_OK && t.b.len > 0)
        d->raw_title = hd_read_title(d, t.b.ptr, t.b.len);
    if (m.title != NULL) hd_buf_fini(&t.b);
    if (d->raw_title.len == 0 && m.og_title != NULL)
        d->raw_title = hd_read_title(d, m.og_title, strlen(m.og_title));
    if (rc == HD_OK && d->raw_title.len == 0 && m.h1 != NULL) {
        if ((rc = gather_inline(m.h1, &t)) == HD_OK && t.b.len > 0)
            d->raw_title = hd_read_title(d, t.b.ptr, t.b.len);
        hd_buf_fini(&t.b);
    }
    if (rc != HD_OK) return hd_read_problem(r, 0, HD_ENOMEM, "out of memory");
    if (m.lang) d->lang_hint = dup_attr(d, m.lang);
    if (m.canonical) d->url = dup_attr(d, m.canonical);
    else if (m.og_url) d->url = dup_attr(d, m.og_url);
    if (m.site) d->site = dup_attr(d, m.site);
    for (int i = 0; i < 3; i++) {
        int64_t when;
        if (m.pub[i] && hd_time_parse(m.pub[i], strlen(m.pub[i]), &when) == HD_OK) {
            d->published = when;
            break;
        }
    }

    /* Visible text of <body> (or of the whole page without one). */
    GumboNode *body = out->root ? out->root : out->document;
    GumboVector *ch = children(body);
    for (unsigned i = 0; ch && i < ch->length; i++) {
        GumboNode *c = ch->data[i];
        if (c->type == GUMBO_NODE_ELEMENT && c->v.element.tag == GUMBO_TAG_BODY) body = c;
    }
    textout_init(&t, max_text, 0);
    rc = walk(body, text_enter, text_leave, &t);
    if (rc == HD_OK && t.b.failed) rc = HD_ENOMEM;
    if (rc == HD_OK && t.full)
        rc = hd_read_problem(r, 0, HD_ETOOBIG, "text larger than the %zu-byte article limit",
                             max_text);
    else if (rc == HD_OK && t.b.len == 0)
        rc = hd_read_problem(r, 0, HD_EEMPTY, "no visible text in the HTML page");
    else if (rc != HD_OK)
        rc = hd_read_problem(r, 0, rc, "out of memory");
    else
        d->raw_text = hd_doc_strdup(d, t.b.ptr, t.b.len);
    hd_buf_fini(&t.b);
    return rc;
}

int hd_read_html(hd_reader *r, const char *buf, size_t len) {
    if (len > r->article_max)
        return hd_read_problem(r, 0, HD_ETOOBIG, "HTML page larger than the %zu-byte article limit",
                               r->article_max);
    if (hd_read_begin(r, 0) != HD_OK) return hd_read_problem(r, 0, HD_ENOMEM, "out of memory");
    hd_doc *d = r->doc;
    char cs[CHARSET_MAX + 1];
    const char *hint = NULL;
    if (declared_charset(buf, len, cs)) {
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
    if (nesting_depth(html.ptr, html.len, HD_HTML_DEPTH_MAX) > HD_HTML_DEPTH_MAX) {
        rc = hd_read_problem(r, 0, HD_EPARSE, "HTML nested deeper than %d elements",
                             HD_HTML_DEPTH_MAX);
        goto done;
    }
    GumboOutput *out = parse(s, html.ptr, html.len);
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
    rc = fill(r, out, r->article_max);
    if (rc == HD_OK) rc = hd_read_emit(r);
done:
    hd_arena_fini(&s->arena);
    hd_free(s);
    return rc;
}
