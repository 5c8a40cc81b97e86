/*
** extract.c -- the main text of an HTML page.
**
**   gumbo tree -> flat array in document order (no invisible nodes)
**              -> boilerplate marks (tags, roles, class/id words)
**              -> text blocks scored by length, links and punctuation
**              -> the container with the most good text net of bad
**              -> cleaning inside it -> text with paragraph breaks
**
** The tree is flattened once into an array of nodes in pre-order, each
** with its parent and the index one past its last descendant.  Sums over
** subtrees are then a single backwards loop (a child always comes after its
** parent), and the output pass is a forwards loop that skips a dropped
** subtree by jumping to its end; nothing recurses.
**
** Scoring.  A block is the text an element holds directly or through
** inline elements.  A block is good when it is long or has sentence
** punctuation and little of it is link text; its non-link characters count
** as good, the rest as bad.  Each element's score is good - bad over its
** subtree, with a bonus for <article>, <main> and content-like class
** names; the best-scoring element is the container: going up the tree pays
** while the good text gained outweighs the navigation and link lists that
** come with it.  Boilerplate marked by tag, ARIA role or class/id words
** counts for nothing and is never output.  Inside the container,
** link-dense lists and divs are dropped, and so is a heading left with no
** text after it.  See docs/internals/EXTRACT.md.
*/
#include "extract.h"

#include <string.h>

#include "buf.h"

#define T_TEXT GUMBO_TAG_LAST /* flat-array tag for a text node */

enum {
    F_JUNK = 1,     /* boilerplate: never scored, never output */
    F_LINK = 2,     /* inside <a> */
    F_BLOCK = 4,    /* block-level element */
    F_DROP = 8,     /* dropped by the cleaning pass */
    F_KEYNODE = 16, /* <h1>, <main> or an articleBody: a page wrapper holds it */
    F_HASKEY = 32,  /* subtree holds a F_KEYNODE */
    F_HEADING = 64, /* h1..h6 */
    F_POSITIVE = 128, /* content-like class/id or article/main tag */
    F_NAMED = 256,    /* boilerplate by tag, ARIA role or comment-like name */
    F_SOFT = 512      /* boilerplate by other class/id words */
};

typedef struct xn {
    GumboNode *g;
    int32_t parent; /* index, -1 at the root */
    int32_t end;    /* one past the last descendant */
    int32_t block;  /* nearest block-level ancestor-or-self, -1 if none */
    uint16_t tag;   /* GumboTag, or T_TEXT */
    uint16_t flags; /* F_* */
    uint32_t chars; /* visible characters in the subtree */
    uint32_t links; /* of which inside <a> */
    uint32_t punct; /* sentence punctuation in the subtree */
    uint32_t own;   /* block elements: characters held directly */
    uint32_t own_links, own_punct;
    float good, bad; /* subtree sums of block values */
    float good0;     /* `good` before boilerplate was marked */
} xn;

typedef struct flat {
    hd_arena *a;
    xn *v;
    int32_t n, cap;
    int32_t cur; /* the element whose children are being added */
} flat;

/*---- small helpers ----*/

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int is_ws(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
static int is_alnum(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

const char *hd_extract_attr(const GumboNode *n, const char *name) {
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) return NULL;
    GumboAttribute *at = gumbo_get_attribute(&n->v.element.attributes, name);
    return at ? at->value : NULL;
}

/* 1 when `s` holds `pat` (lower case) ignoring ASCII case. */
static int has_ci(const char *s, const char *pat) {
    if (s == NULL) return 0;
    size_t m = strlen(pat);
    for (; *s; s++) {
        size_t k = 0;
        while (k < m && s[k] && lower((unsigned char)s[k]) == pat[k]) k++;
        if (k == m) return 1;
    }
    return 0;
}

/*---- the iterative walk ----*/

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

int hd_extract_walk(hd_arena *a, GumboNode *root, hd_enter_fn enter, hd_leave_fn leave,
                    void *ctx) {
    frame *st = NULL;
    size_t n = 0, cap = 0;
    GumboNode *push = root;
    for (;;) {
        if (push != NULL) {
            GumboVector *ch = children(push);
            if (enter(ctx, push) && ch != NULL && ch->length > 0) {
                if (n == cap) {
                    size_t ncap = cap ? cap * 2 : 64;
                    frame *q = hd_arena_grow(a, st, cap * sizeof *st, ncap * sizeof *st,
                                             _Alignof(frame));
                    if (q == NULL) return HD_ENOMEM;
                    st = q;
                    cap = ncap;
                }
                st[n].node = push;
                st[n].next = 0;
                n++;
            } else if (leave) {
                leave(ctx, push);
            }
            push = NULL;
        }
        if (n == 0) return HD_OK;
        frame *f = &st[n - 1];
        GumboVector *ch = children(f->node);
        if (f->next < ch->length) {
            push = ch->data[f->next++];
        } else {
            if (leave) leave(ctx, f->node);
            n--;
        }
    }
}

/*---- text output ----*/

typedef struct textout {
    hd_buf b;
    size_t max;      /* stop adding text past this many bytes */
    int full;        /* `max` reached */
    int brk;         /* pending break: 0, 1 (line) or 2 (paragraph) */
    int space;       /* pending space */
    int pre;         /* inside <pre>: newlines are breaks */
    int inline_only; /* breaks become spaces (titles) */
} textout;

static void textout_init(textout *t, size_t max, int inline_only) {
    memset(t, 0, sizeof *t);
    hd_buf_init(&t->b, 0);
    t->max = max;
    t->inline_only = inline_only;
}

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

/* Elements whose content is never visible text. */
static int invisible_tag(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS: case GUMBO_TAG_VIDEO: case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_SELECT: case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_INPUT: case GUMBO_TAG_OPTION: case GUMBO_TAG_MAP:
        return 1;
    default:
        return 0;
    }
}

/* The attributes the extractor reads, found in one pass. */
typedef struct attrs {
    const char *cls, *id, *role, *style, *itemprop, *aria_hidden;
    int hidden;
} attrs;

static void get_attrs(const GumboNode *n, attrs *at) {
    memset(at, 0, sizeof *at);
    const GumboVector *v = &n->v.element.attributes;
    for (unsigned i = 0; i < v->length; i++) {
        const GumboAttribute *a = v->data[i];
        const char *k = a->name;
        switch (k[0]) {
        case 'c': if (strcmp(k, "class") == 0) at->cls = a->value; break;
        case 'i':
            if (strcmp(k, "id") == 0) at->id = a->value;
            else if (strcmp(k, "itemprop") == 0) at->itemprop = a->value;
            break;
        case 'r': if (strcmp(k, "role") == 0) at->role = a->value; break;
        case 's': if (strcmp(k, "style") == 0) at->style = a->value; break;
        case 'h': if (strcmp(k, "hidden") == 0) at->hidden = 1; break;
        case 'a': if (strcmp(k, "aria-hidden") == 0) at->aria_hidden = a->value; break;
        default: break;
        }
    }
}

/* 1 when an element with these attributes is never shown. */
static int hidden_by(const attrs *at) {
    if (at->hidden || (at->aria_hidden != NULL && has_ci(at->aria_hidden, "true"))) return 1;
    const char *style = at->style;
    if (style == NULL) return 0;
    /* "display:none" and "visibility:hidden", spaces allowed. */
    char sq[128];
    size_t k = 0;
    for (const char *p = style; *p && k + 1 < sizeof sq; p++)
        if (!is_ws((unsigned char)*p)) sq[k++] = (char)lower((unsigned char)*p);
    sq[k] = '\0';
    return strstr(sq, "display:none") != NULL || strstr(sq, "visibility:hidden") != NULL;
}

/* 1 when the node and its subtree are never shown. */
static int invisible(GumboNode *n) {
    if (n->type == GUMBO_NODE_TEMPLATE || n->type == GUMBO_NODE_COMMENT) return 1;
    if (n->type != GUMBO_NODE_ELEMENT) return 0;
    if (invisible_tag(n->v.element.tag)) return 1;
    attrs at;
    get_attrs(n, &at);
    return hidden_by(&at);
}

/* 2: paragraph break, 1: line break, -1: a space, 0: inline. */
static int break_level(unsigned tag) {
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

static void text_mark(textout *t, unsigned tag) {
    int lv = break_level(tag);
    if (lv < 0) t->space = 1;
    else if (lv > t->brk) t->brk = lv;
}

/*---- inline text (titles, bylines) ----*/

typedef struct inl {
    textout t;
    GumboNode *root;
} inl;

static int inl_enter(void *ctx, GumboNode *n) {
    inl *c = ctx;
    if (c->t.full || (n != c->root && invisible(n))) return 0;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
        put_text(&c->t, n->v.text.text, strlen(n->v.text.text));
        return 0;
    }
    if (n->type == GUMBO_NODE_ELEMENT) text_mark(&c->t, n->v.element.tag);
    return 1;
}

static void inl_leave(void *ctx, GumboNode *n) {
    inl *c = ctx;
    if (n->type == GUMBO_NODE_ELEMENT && (n == c->root || !invisible(n)))
        text_mark(&c->t, n->v.element.tag);
}

hd_str hd_extract_inline(hd_arena *a, GumboNode *n, size_t max) {
    hd_str r = {NULL, 0};
    inl c;
    textout_init(&c.t, max + 8, 1);
    c.root = n;
    if (hd_extract_walk(a, n, inl_enter, inl_leave, &c) == HD_OK && !c.t.b.failed) {
        size_t len = c.t.b.len;
        if (len > max) {
            len = max;
            while (len > 0 && ((unsigned char)c.t.b.ptr[len] & 0xC0) == 0x80) len--;
        }
        r.ptr = hd_arena_memdup(a, c.t.b.ptr ? c.t.b.ptr : "", len);
        r.len = r.ptr ? len : 0;
    }
    hd_buf_fini(&c.t.b);
    return r;
}

/*---- boilerplate marks ----*/

/* Class/id words.  A strong word marks boilerplate whatever else the
** names say; a weak one unless a content word is there too.  Names are
** split into parts at anything not a letter or digit.  A word matches a
** part it starts ("nav" matches "nav-main" and "navbar", not "canvas"); a
** word starting with '=' only a whole class or id ("=tag" is not "tag-news"); a
** word ending in '*' anywhere ("comment*" also in "articleComments"). */
static const char *const comment_words[] = {"comment*", "disqus", "respond", "reply", NULL};
static const char *const strong_words[] = {
    "author*", "caption*", "=bio", "biography", "=toc", "table-of-contents", "share*", "sharing", "social*", "shariff", "related*", "cookie*",
    "consent*", "gdpr", "newsletter*", "subscri", "breadcrumb*", "sidebar*", "footer*",
    "advert*", "sponsor*", "promo", "popup*", "modal", "outbrain*", "taboola*", "plista",
    "recommend*", "signup", "login", "paywall", "relatedposts", "yarpp", "addtoany",
    "sociable", NULL};
static const char *const weak_words[] = {
    "follow", "widget", "banner", "masthead", "skip", "=print", "pagination", "pager", "nav",
    "menu", "dropdown", "toolbar", "rating", "authorbox", "author-bio", "about-author",
    "read-more", "readmore", "more-articles", "morelink", "teaser", "tagcloud", "tag-cloud",
    "taglist", "=tags", "=tag", "post-tags", "entry-tags", "keywords", "categories",
    "cat-links", "tag-links", "byline", "=meta", "post-meta", "entry-meta", "article-meta",
    "postmetadata", "dateline", "timestamp", "credit", "copyright", "sr-only",
    "screen-reader", "visually-hidden", "visuallyhidden", "offscreen", "search", "=ads",
    "=ad", "adsense", "adslot", "ad-slot", "werbung", "anzeige", "header", "topbar",
    "=bottom", "crumb", "gallery-nav", "prev-next", "prevnext", "nextprev", "postnav",
    "=shop", "=cart", "lightbox", NULL};
static const char *const content_words[] = {
    "article*", "content*", "entry*", "post-body", "postbody", "post-content", "story*",
    "main*", "text*", "body*", "blog-post", "single-post", "hentry", "news*", NULL};

/* 1 when a part of `names` (lower-cased class and id, parts starting at
** the offsets in `starts`) matches one of `words`. */
static int any_word(const char *names, const uint8_t *starts, int n_starts,
                    const char *const *words) {
    for (int i = 0; words[i]; i++) {
        const char *w = words[i];
        size_t m = strlen(w);
        if (w[m - 1] == '*') {
            char pat[32];
            memcpy(pat, w, m - 1);
            pat[m - 1] = '\0';
            if (strstr(names, pat)) return 1;
            continue;
        }
        int whole = w[0] == '=';
        if (whole) w++, m--;
        for (int k = 0; k < n_starts; k++) {
            const char *p = names + starts[k];
            if (p[0] == w[0] && strncmp(p, w, m) == 0 &&
                (!whole || ((p == names || p[-1] == ' ') && p[m] == ' ')))
                return 1;
        }
    }
    return 0;
}

/* -2: comments by name, -1: other boilerplate by name, 1: content-like
** name, 0: neither. */
static int name_class(const attrs *at) {
    if (at->cls == NULL && at->id == NULL) return 0;
    char names[200];
    uint8_t starts[64];
    int n_starts = 0;
    size_t k = 0;
    /* Room is kept for what follows the letters: one space per part and
    ** the terminating NUL. */
    const size_t letters_cap = sizeof names - 3;
    for (int part = 0; part < 2; part++) {
        const char *s = part ? at->id : at->cls;
        for (; s && *s && k < letters_cap; s++) {
            int c = lower((unsigned char)*s);
            if (is_alnum(c) && (k == 0 || !is_alnum((unsigned char)names[k - 1])) &&
                n_starts < 64)
                starts[n_starts++] = (uint8_t)k;
            names[k++] = (char)c;
        }
        names[k++] = ' ';
    }
    names[k] = '\0';
    if (any_word(names, starts, n_starts, comment_words)) return -2;
    int content = any_word(names, starts, n_starts, content_words);
    if (any_word(names, starts, n_starts, strong_words) ||
        (!content && any_word(names, starts, n_starts, weak_words)))
        return -1;
    return content;
}

static int junk_role(const char *role) {
    if (role == NULL) return 0;
    static const char *const roles[] = {"navigation", "banner", "contentinfo", "complementary",
                                        "search", "menu", "menubar", "dialog", "alertdialog",
                                        "toolbar", NULL};
    for (int i = 0; roles[i]; i++)
        if (has_ci(role, roles[i])) return 1;
    return 0;
}

static int junk_tag(unsigned tag) {
    return tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_ASIDE || tag == GUMBO_TAG_FOOTER ||
           tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FORM || tag == GUMBO_TAG_FIELDSET ||
           tag == GUMBO_TAG_LABEL || tag == GUMBO_TAG_MENU || tag == GUMBO_TAG_FIGCAPTION;
}

/* Flags an element earns by its tag and attributes.  A key node is what
** only the page's main part holds: the headline, the <main> element, or an
** element marked as the article body. */
static void mark_names(xn *x, const attrs *at) {
    if (x->tag == GUMBO_TAG_BODY || x->tag == GUMBO_TAG_HTML) return;
    int nc = name_class(at);
    if (nc > 0 || x->tag == GUMBO_TAG_ARTICLE || x->tag == GUMBO_TAG_MAIN) x->flags |= F_POSITIVE;
    if (nc == -2 || junk_role(at->role) || junk_tag(x->tag)) x->flags |= F_NAMED;
    else if (nc < 0) x->flags |= F_SOFT;
    if (x->tag == GUMBO_TAG_H1 || x->tag == GUMBO_TAG_MAIN ||
        (at->itemprop != NULL && has_ci(at->itemprop, "articlebody")))
        x->flags |= F_KEYNODE;
}

/*---- flattening ----*/

static int is_block(unsigned tag) {
    switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV: case GUMBO_TAG_LI: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
    case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_TD:
    case GUMBO_TAG_TH: case GUMBO_TAG_TR: case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY:
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_BODY: case GUMBO_TAG_HTML:
    case GUMBO_TAG_CAPTION:
        return 1;
    default:
        return 0;
    }
}

static int is_heading(unsigned tag) { return tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6; }

static int32_t add_node(flat *f, GumboNode *g, unsigned tag) {
    if (f->n == f->cap) {
        int32_t ncap = f->cap ? f->cap * 2 : 1024;
        if (ncap < f->cap) return -1;
        xn *q = hd_arena_grow(f->a, f->v, (size_t)f->cap * sizeof *q, (size_t)ncap * sizeof *q,
                              _Alignof(xn));
        if (q == NULL) return -1;
        f->v = q;
        f->cap = ncap;
    }
    xn *x = &f->v[f->n];
    memset(x, 0, sizeof *x);
    x->g = g;
    x->parent = f->cur;
    x->tag = (uint16_t)tag;
    const xn *p = f->cur >= 0 ? &f->v[f->cur] : NULL;
    x->flags = p ? (uint16_t)(p->flags & F_LINK) : 0;
    if (tag == GUMBO_TAG_A) x->flags |= F_LINK;
    if (tag != T_TEXT && is_block(tag)) x->flags |= F_BLOCK;
    if (is_heading(tag)) x->flags |= F_HEADING;
    x->block = (x->flags & F_BLOCK) ? f->n : (p ? p->block : -1);
    return f->n++;
}

/* Sentence punctuation: . , ; : ! ? and their CJK forms. */
static uint32_t count_text(const char *s, uint32_t *punct) {
    uint32_t chars = 0, pu = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80 || is_ws(*p)) continue;
        chars++;
        if (*p == '.' || *p == ',' || *p == ';' || *p == ':' || *p == '!' || *p == '?') pu++;
        else if (p[0] == 0xE3 && p[1] == 0x80 && (p[2] == 0x81 || p[2] == 0x82)) pu++;
        else if (p[0] == 0xEF && p[1] == 0xBC && (p[2] == 0x8C || p[2] == 0x81 || p[2] == 0x9F))
            pu++;
    }
    *punct = pu;
    return chars;
}

static int flat_enter(void *ctx, GumboNode *g) {
    flat *f = ctx;
    if (f->n < 0) return 0; /* out of memory already */
    if (g->type == GUMBO_NODE_DOCUMENT) return 1;
    if (g->type == GUMBO_NODE_TEMPLATE || g->type == GUMBO_NODE_COMMENT ||
        (g->type == GUMBO_NODE_ELEMENT && invisible_tag(g->v.element.tag)))
        return 0;
    if (g->type == GUMBO_NODE_TEXT || g->type == GUMBO_NODE_CDATA ||
        g->type == GUMBO_NODE_WHITESPACE) {
        int32_t i = add_node(f, g, T_TEXT);
        if (i < 0) return f->n = -1, 0;
        xn *x = &f->v[i];
        x->end = i + 1;
        x->chars = count_text(g->v.text.text, &x->punct);
        x->links = (x->flags & F_LINK) ? x->chars : 0;
        if (x->block >= 0) {
            xn *b = &f->v[x->block];
            b->own += x->chars;
            b->own_links += x->links;
            b->own_punct += x->punct;
        }
        return 0;
    }
    if (g->type != GUMBO_NODE_ELEMENT) return 0;
    attrs at;
    get_attrs(g, &at);
    if (hidden_by(&at)) return 0;
    int32_t i = add_node(f, g, g->v.element.tag);
    if (i < 0) return f->n = -1, 0;
    f->cur = i;
    mark_names(&f->v[i], &at);
    return 1;
}

static void flat_leave(void *ctx, GumboNode *g) {
    flat *f = ctx;
    if (f->n < 0 || f->cur < 0 || f->v[f->cur].g != g) return;
    f->v[f->cur].end = f->n;
    f->cur = f->v[f->cur].parent;
}

/*---- scoring ----*/

#define SHORT_BLOCK 30   /* characters: shorter blocks without punctuation are weak */
#define LINK_DENSE 0.5f  /* link share above which a block or list is navigation */

/* Good and bad characters of one block. */
static void block_value(const xn *b, float *good, float *bad) {
    float c = (float)b->own, l = (float)b->own_links;
    *good = *bad = 0;
    if (b->own == 0) return;
    if (l > LINK_DENSE * c) *bad = c;
    else if (b->flags & F_HEADING) return;
    else if (b->own < SHORT_BLOCK && b->own_punct == 0) *bad = 0.3f * c;
    else *good = c - l, *bad = l;
}

/* Subtree sums, children before parents; boilerplate adds nothing. */
static void sum_up(xn *v, int32_t n) {
    for (int32_t i = 0; i < n; i++) {
        xn *x = &v[i];
        if (x->tag == T_TEXT) continue;
        x->chars = x->links = x->punct = 0;
        x->good = x->bad = 0;
    }
    for (int32_t i = n - 1; i >= 0; i--) {
        xn *x = &v[i];
        if (x->flags & F_JUNK) continue;
        if (x->tag != T_TEXT && (x->flags & F_BLOCK)) {
            float g, b;
            block_value(x, &g, &b);
            x->good += g;
            x->bad += b;
        }
        if (x->parent >= 0) {
            xn *p = &v[x->parent];
            p->good += x->good;
            p->bad += x->bad;
            p->chars += x->chars;
            p->links += x->links;
            p->punct += x->punct;
        }
    }
}

#define SOFT_GUARD 0.4f /* share of the page's good text a name cannot drop */

/* Mark boilerplate subtrees.  A named element that holds a key node is a
** page wrapper with an unlucky name (a <form> around the whole page, a
** body class "has-sidebar"); one named by ordinary class words that holds
** much of the page's good text is the article in a container with a
** layout name ("sticky-sidebar-relative", "sharing-container").  Neither
** is marked.  Runs after a first sum_up, whose `good` it keeps as good0. */
static void mark_junk(xn *v, int32_t n) {
    float total = 0;
    for (int32_t i = n - 1; i >= 0; i--) {
        v[i].good0 = v[i].good;
        if (v[i].parent < 0) total += v[i].good;
        if (v[i].flags & F_KEYNODE) v[i].flags |= F_HASKEY;
        if (v[i].parent >= 0 && (v[i].flags & F_HASKEY)) v[v[i].parent].flags |= F_HASKEY;
    }
    for (int32_t i = 0; i < n; i++) {
        xn *x = &v[i];
        if (x->parent >= 0 && (v[x->parent].flags & F_JUNK)) x->flags |= F_JUNK;
        else if ((x->flags & (F_NAMED | F_SOFT)) && !(x->flags & F_HASKEY) &&
                 ((x->flags & F_NAMED) || x->good0 < SOFT_GUARD * total))
            x->flags |= F_JUNK;
    }
}

/* The container: the element with the best good - bad.  Equal scores go
** to the deeper element (pre-order meets ancestors first). */
static int32_t best_container(const xn *v, int32_t n) {
    int32_t best = -1;
    float best_score = 0;
    for (int32_t i = 0; i < n; i++) {
        const xn *x = &v[i];
        if (x->tag == T_TEXT || (x->flags & F_JUNK) || x->good <= 0) continue;
        float s = x->good - x->bad;
        if (x->flags & F_POSITIVE) s += 0.1f * x->good;
        if (best < 0 || s >= best_score) best = i, best_score = s;
    }
    return best;
}

#define TIGHTEN 0.85f /* a child keeping this share of the score is the container */

/* Descend from the best container into a child that keeps almost all of
** its score: what the child leaves out after it (an author box, a tag
** line under the article) was worth little.  Good text before the child
** is a lead or standfirst, and stops the descent. */
static int32_t tighten(const xn *v, int32_t c) {
    for (;;) {
        float want = TIGHTEN * (v[c].good - v[c].bad), before = 0;
        int32_t next = -1;
        for (int32_t i = c + 1; i < v[c].end && next < 0; i = v[i].end) {
            if (v[i].tag != T_TEXT && !(v[i].flags & F_JUNK) && v[i].good - v[i].bad >= want)
                next = i;
            else if (!(v[i].flags & F_JUNK))
                before += v[i].good;
        }
        if (next < 0 || want <= 0 || before > 0) return c;
        c = next;
    }
}

/*---- cleaning ----*/

static int list_like(unsigned tag) {
    return tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL || tag == GUMBO_TAG_DL ||
           tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_SECTION || tag == GUMBO_TAG_TABLE ||
           tag == GUMBO_TAG_P || tag == GUMBO_TAG_LI || tag == GUMBO_TAG_SPAN ||
           tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TR;
}

/* Drop link-dense lists and blocks inside the container. */
static void drop_link_lists(xn *v, int32_t c) {
    for (int32_t i = c + 1; i < v[c].end;) {
        xn *x = &v[i];
        if (x->flags & F_JUNK) {
            i = x->end;
            continue;
        }
        if (list_like(x->tag) && x->chars > 0 && (float)x->links > LINK_DENSE * (float)x->chars) {
            x->flags |= F_DROP;
            i = x->end;
            continue;
        }
        i++;
    }
}

/* 1 when node i is output (not junk, not dropped, no dropped ancestor up
** to the container). */
static int kept(const xn *v, int32_t i, int32_t c) {
    for (; i > c; i = v[i].parent)
        if (v[i].flags & (F_JUNK | F_DROP)) return 0;
    return 1;
}

/* Drop headings with no kept text after them up to the next heading or
** the container's end: the title of a list that was dropped. */
static void drop_orphan_headings(xn *v, int32_t c) {
    int32_t pending = -1; /* last kept heading with nothing after it yet */
    for (int32_t i = c + 1; i < v[c].end; i++) {
        xn *x = &v[i];
        if (x->flags & (F_JUNK | F_DROP)) {
            i = x->end - 1;
            continue;
        }
        if (x->flags & F_HEADING) {
            if (pending >= 0 && kept(v, i, c)) v[pending].flags |= F_DROP;
            if (kept(v, i, c)) pending = i;
            i = x->end - 1;
            continue;
        }
        if (x->tag == T_TEXT && x->chars > 0 && pending >= 0 && kept(v, i, c)) pending = -1;
    }
    if (pending >= 0) v[pending].flags |= F_DROP;
}

/* Titles of the sections that follow an article (related links,
** comments, the author, sharing, newsletters) in the languages of most
** news sites; matched at the start of a short block, ignoring case. */
static const char *const tail_titles[] = {
    "related", "you may also like", "you might also like", "more from", "more stories",
    "recommended", "read more", "read next", "share this", "about the author", "leave a reply",
    "leave a comment", "comments", "newsletter", "sign up", "subscribe", "follow us",
    "filed under", "most popular", "most read", "trending", "further reading", "tags:",
    "ähnliche", "verwandte", "mehr zum thema", "mehr zu diesem thema", "das könnte",
    "auch interessant", "lesen sie auch", "lies auch", "weitere artikel", "weitere beiträge",
    "neueste beiträge", "neueste artikel", "über den autor", "über die autorin",
    "schreibe einen kommentar", "kommentar verfassen", "kommentar schreiben", "kommentare",
    "hinterlasse", "beitrag teilen", "artikel teilen", "diesen artikel", "teilen sie",
    "folgen sie uns", "folge uns", "schlagworte", "schlagwörter", "themen:", "kategorien",
    "zurück zur übersicht", "weiterführende", "empfehlungen", "das thema könnte",
    "articles similaires", "à lire aussi", "lire aussi", "sur le même sujet", "partager",
    "laisser un commentaire", "commentaires", "vous aimerez", "noticias relacionadas",
    "te puede interesar", "lee también", "también te puede", "comparte", "comentarios",
    "síguenos", "siguenos", "más noticias", "articoli correlati", "leggi anche",
    "potrebbe interessarti", "condividi", "commenti", "czytaj także", "czytaj też",
    "zobacz także", "zobacz też", "podobne", "komentarze", "udostępnij", "polecane",
    "gerelateerd", "lees ook", "deel dit", "reacties", "leia também", "veja também",
    "compartilhe", "comentários", NULL};

#define TAIL_TITLE_MAX 60 /* bytes: longer blocks are text, not titles */
#define TAIL_FROM 0.4f    /* share of the container's text before a tail title */

/* ASCII and Latin-1 letters folded to lower case, in place (UTF-8). */
static void fold_latin(char *s) {
    for (unsigned char *p = (unsigned char *)s; *p; p++) {
        if (*p >= 'A' && *p <= 'Z') *p += 32;
        else if (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) p[1] += 0x20;
    }
}

static int tail_title(hd_arena *a, GumboNode *g) {
    hd_str t = hd_extract_inline(a, g, TAIL_TITLE_MAX + 8);
    if (t.ptr == NULL || t.len == 0 || t.len > TAIL_TITLE_MAX) return 0;
    fold_latin((char *)(uintptr_t)t.ptr);
    for (int i = 0; tail_titles[i]; i++)
        if (strncmp(t.ptr, tail_titles[i], strlen(tail_titles[i])) == 0) return 1;
    return 0;
}

/* Where the article ends inside the container: the first short block
** past TAIL_FROM of the text that titles a related-links, comments,
** author or sharing section.  Returns the node index or the container's
** end. */
static int32_t tail_start(hd_arena *a, const xn *v, int32_t c) {
    uint32_t total = v[c].chars, seen = 0;
    for (int32_t i = c + 1; i < v[c].end; i++) {
        const xn *x = &v[i];
        if (x->flags & (F_JUNK | F_DROP)) {
            i = x->end - 1;
            continue;
        }
        if (x->tag == T_TEXT) {
            seen += x->chars;
            continue;
        }
        if ((x->flags & F_BLOCK) && x->chars > 0 && x->chars <= TAIL_TITLE_MAX &&
            (float)seen >= TAIL_FROM * (float)total && tail_title(a, x->g))
            return i;
    }
    return v[c].end;
}

/*---- output ----*/

static int emit(hd_arena *a, xn *v, int32_t c, int32_t stop, size_t max, hd_str *text) {
    textout t;
    textout_init(&t, max, 0);
    int32_t *open = HD_ALLOC(a, int32_t, (size_t)(v[c].end - c) + 1);
    int32_t n_open = 0;
    if (open == NULL) return HD_ENOMEM;
    for (int32_t i = c; i < stop && !t.full;) {
        while (n_open > 0 && v[open[n_open - 1]].end <= i) {
            xn *o = &v[open[--n_open]];
            if (o->tag == GUMBO_TAG_PRE && t.pre > 0) t.pre--;
            text_mark(&t, o->tag);
        }
        xn *x = &v[i];
        if (i != c && (x->flags & (F_JUNK | F_DROP))) {
            i = x->end;
            continue;
        }
        if (x->tag == T_TEXT) {
            put_text(&t, x->g->v.text.text, strlen(x->g->v.text.text));
            i++;
            continue;
        }
        if (x->tag == GUMBO_TAG_PRE) t.pre++;
        text_mark(&t, x->tag);
        open[n_open++] = i;
        i++;
    }
    int rc = HD_OK;
    if (t.b.failed) rc = HD_ENOMEM;
    else if (t.full) rc = HD_ETOOBIG;
    else {
        text->ptr = hd_arena_memdup(a, t.b.ptr ? t.b.ptr : "", t.b.len);
        text->len = text->ptr ? t.b.len : 0;
        if (text->ptr == NULL) rc = HD_ENOMEM;
    }
    hd_buf_fini(&t.b);
    return rc;
}

/*---- entry point ----*/

int hd_extract_tree(hd_arena *a, GumboOutput *out, const char *page_url, int64_t now,
                    size_t text_max, hd_extract *x) {
    hd_extract_hints h;
    memset(&h, 0, sizeof h);
    int rc = hd_extract_meta(a, out, page_url, now, x, &h);
    if (rc != HD_OK) return rc;

    flat f;
    memset(&f, 0, sizeof f);
    f.a = a;
    f.cur = -1;
    rc = hd_extract_walk(a, out->document, flat_enter, flat_leave, &f);
    if (rc != HD_OK || f.n < 0) return HD_ENOMEM;
    if (f.n == 0) return HD_OK;
    sum_up(f.v, f.n);
    mark_junk(f.v, f.n);
    sum_up(f.v, f.n);
    int32_t c = best_container(f.v, f.n);
    if (c < 0) c = 0; /* no good text at all: everything that is not junk */
    else c = tighten(f.v, c);
    x->container = f.v[c].g;
    drop_link_lists(f.v, c);
    drop_orphan_headings(f.v, c);
    return emit(a, f.v, c, tail_start(a, f.v, c), text_max, &x->text);
}
