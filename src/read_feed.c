/*
** read_feed.c -- RSS 2.0, RSS 1.0 (RDF) and Atom feeds: one article per
** item (RSS <item>, Atom <entry>).
**
**   bytes -> libxml2's push parser with our own SAX2 handlers -> per item:
**   title, link, guid/id, date, language, content -> the item's HTML
**   through the HTML reader (hd_read_html_page) -> one article.
**
** Untrusted XML meets these bounds.  No tree is built: the SAX handlers
** keep only the fields of the current item, each capped (text at the
** article limit, titles, links and dates at a few KiB).  Entities are never
** expanded: the parser is given no entity table (getEntity answers nothing,
** declarations are not recorded for us), so a billion-laughs document costs
** a few undeclared-entity errors, not memory; only the five predefined
** entities and character references are decoded.  No network (NONET), no
** DTD loading, no XInclude, no XML_PARSE_HUGE, so libxml2's own limits on
** names, text nodes and depth stay on.  Our handlers stop the parser at
** HD_XML_DEPTH_MAX open elements.  libxml2's recover mode lets a sloppy
** feed (an undeclared &nbsp;, an unclosed tag, Latin-1 without a
** declaration) give what it holds; the first error is reported, naming the
** line, and items read before a truncation are kept.
**
** Which text: content:encoded, else Atom <content>, else <description> /
** <summary>.  RSS text is HTML; Atom's type="text" is escaped and type=
** "xhtml" re-serialised, so every item goes through the same HTML
** extraction.  Which link: RSS <link>, Atom <link rel=alternate>, a
** permalink <guid>, rdf:about; made absolute against xml:base, the feed's
** URL, or the channel's link.  When a caller wants links to fetch (`lfn`),
** items with less than HD_FEED_FULL_TEXT bytes of text go there instead.
*/
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "doc.h"
#include "mem.h"
#include "read.h"

#define SHORT_MAX 8192              /* links, ids */
#define TINY_MAX 256                /* dates, languages */
#define TITLE_GATHER (4 * HD_TITLE_MAX)
#define CHUNK (64u << 10)           /* bytes handed to the push parser at once */

enum { NS_RSS, NS_ATOM, NS_CONTENT, NS_DC, NS_DCTERMS, NS_RDF, NS_XML, NS_OTHER };
/* What a field gathers: kept as is (links, dates; HTML markup), or text
** that is escaped to stay text inside HTML (Atom type="text"), or XHTML
** whose elements are re-serialised. */
enum { T_RAW, T_HTML, T_TEXT, T_XHTML };
enum {
    F_TITLE, F_LINK, F_GUID, F_ABOUT, F_DATE, F_UPDATED, F_CONTENT, F_SUMMARY, F_LANG,
    F_FEED_TITLE, F_FEED_LINK, F_FEED_LANG, F_N
};
#define F_ITEM_N F_FEED_TITLE /* fields below this one belong to an item */

typedef struct field {
    hd_buf b;
    size_t max;
    int over;  /* more text came than `max` */
    int type;  /* T_* of what is gathered */
    int trunc; /* 1: cut at `max` quietly (titles); 0: `over` drops it */
    int full;  /* cut: nothing more is added */
} field;

typedef struct level {
    char *base, *lang; /* xml:base (absolute) and xml:lang in scope */
    unsigned char own_base, own_lang;
} level;

typedef struct feed {
    hd_reader *r;
    xmlParserCtxtPtr ctxt;
    const char *base_url;
    hd_feed_link_fn lfn;
    void *lud;
    int root, atom_default; /* root element seen; a <feed> without namespace */
    int depth, chan_depth, item_depth;
    int halted;      /* stop parsing: too deep, not a feed, or a callback said so */
    int too_deep, not_feed, stop, oom;
    char root_name[64];
    uint32_t item_line;
    int cur, cur_depth;   /* the field gathering text, or -1 */
    int permalink;        /* the item's guid is a permalink */
    int n_items;
    int n_errors;
    int err_code, err_line;
    char err_msg[200];
    level lv[HD_XML_DEPTH_MAX + 2];
    field f[F_N];
} feed;

/*---- fields ----*/

static void field_init(field *fd, size_t max, int trunc) {
    memset(fd, 0, sizeof *fd);
    hd_buf_init(&fd->b, 0);
    fd->max = max;
    fd->trunc = trunc;
}

static void field_clear(field *fd) {
    hd_buf_reset(&fd->b);
    fd->over = fd->full = 0;
    fd->type = T_HTML;
}

static const char *field_str(const field *fd) { return fd->b.ptr && !fd->over ? fd->b.ptr : ""; }
static size_t field_len(const field *fd) { return fd->b.ptr && !fd->over ? fd->b.len : 0; }

static void field_add(field *fd, const char *s, size_t n) {
    if (fd->over || fd->full) return;
    if (fd->b.len + n > fd->max) {
        if (!fd->trunc) {
            fd->over = 1;
            return;
        }
        n = fd->max - fd->b.len;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--; /* a whole character */
        fd->full = 1;
    }
    hd_buf_add(&fd->b, s, n);
}

/* Text that must stay text inside HTML (Atom type="text", xhtml text). */
static void field_add_escaped(field *fd, const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '&' && s[j] != '<' && s[j] != '>' && s[j] != '\n') j++;
        field_add(fd, s + i, j - i);
        if (j == n) break;
        field_add(fd, s[j] == '&' ? "&amp;" : s[j] == '<' ? "&lt;" : s[j] == '>' ? "&gt;" : "<br>",
                  s[j] == '&' ? 5 : 4);
        i = j + 1;
    }
}

/*---- names ----*/

static int ns_class(const feed *f, const xmlChar *uri) {
    const char *u = (const char *)uri;
    if (u == NULL || *u == '\0') return f->atom_default ? NS_ATOM : NS_RSS;
    if (strcmp(u, "http://purl.org/rss/1.0/") == 0 ||
        strcmp(u, "http://my.netscape.com/rdf/simple/0.9/") == 0 ||
        strcmp(u, "http://backend.userland.com/rss2") == 0)
        return NS_RSS;
    if (strcmp(u, "http://www.w3.org/2005/Atom") == 0 || strcmp(u, "http://purl.org/atom/ns#") == 0)
        return NS_ATOM;
    if (strcmp(u, "http://purl.org/rss/1.0/modules/content/") == 0) return NS_CONTENT;
    if (strcmp(u, "http://purl.org/dc/elements/1.1/") == 0) return NS_DC;
    if (strcmp(u, "http://purl.org/dc/terms/") == 0) return NS_DCTERMS;
    if (strcmp(u, "http://www.w3.org/1999/02/22-rdf-syntax-ns#") == 0) return NS_RDF;
    if (strcmp(u, "http://www.w3.org/XML/1998/namespace") == 0) return NS_XML;
    return NS_OTHER;
}

static int is(const xmlChar *local, const char *name) {
    return strcmp((const char *)local, name) == 0;
}

/* An attribute's value from SAX2's array (localname, prefix, URI, value,
** end): a heap copy (hd_free), or NULL when absent or out of memory. */
static char *attr(const feed *f, int nattr, const xmlChar **a, int ns, const char *name) {
    for (int i = 0; i < nattr; i++, a += 5)
        if (is(a[0], name) && (ns < 0 || ns_class(f, a[2]) == ns ||
                               (ns == NS_RSS && a[2] == NULL)))
            return hd_memdup(a[3], (size_t)(a[4] - a[3]));
    return NULL;
}

/*---- links ----*/

/* The base in scope: xml:base (made absolute when it was read), else the
** feed's URL, else the channel's link when it is absolute. */
static const char *base_of(feed *f) {
    if (f->lv[f->depth].base) return f->lv[f->depth].base;
    if (f->base_url) return f->base_url;
    const char *cl = field_str(&f->f[F_FEED_LINK]);
    return strstr(cl, "://") ? cl : NULL;
}

/* Set `fd` to `ref` made absolute against the base in scope. */
static void set_link(feed *f, field *fd, const char *ref, size_t n) {
    char *abs = hd_url_resolve(base_of(f), ref, n);
    field_clear(fd);
    if (abs) field_add(fd, abs, strlen(abs));
    else fd->over = 1;
    hd_free(abs);
}

/*---- titles ----*/

/* Collapse runs of whitespace in s[0..n) to one space, in place. */
static size_t collapse(char *s, size_t n) {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int ws = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
        if (ws && (o == 0 || s[o - 1] == ' ')) continue;
        s[o++] = ws ? ' ' : s[i];
    }
    while (o > 0 && s[o - 1] == ' ') o--;
    return o;
}

/* Titles are plain text, but feeds put markup and entities in them (Atom
** type="html", and many RSS feeds escape twice): tags are dropped and
** character references decoded, in place (never longer than the input). */
static size_t title_text(char *s, size_t n) {
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c == '<' && i + 1 < n &&
            (s[i + 1] == '/' || s[i + 1] == '!' || ((s[i + 1] | 32) >= 'a' && (s[i + 1] | 32) <= 'z'))) {
            const char *gt = memchr(s + i, '>', n - i);
            if (gt != NULL) {
                i = (size_t)(gt - s) + 1;
                s[o++] = ' ';
                continue;
            }
        }
        if (c == '&') {
            const char *semi = memchr(s + i, ';', n - i < 12 ? n - i : 12);
            if (semi != NULL) {
                char name[12];
                size_t k = (size_t)(semi - s) - i - 1;
                memcpy(name, s + i + 1, k);
                name[k] = '\0';
                unsigned long cp = 0;
                if (name[0] == '#') {
                    char *end;
                    cp = name[1] == 'x' || name[1] == 'X' ? strtoul(name + 2, &end, 16)
                                                          : strtoul(name + 1, &end, 10);
                    if (*end != '\0') cp = 0;
                } else {
                    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
                    if (e != NULL) cp = e->value;
                }
                if (cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
                    int len = xmlCopyCharMultiByte((xmlChar *)s + o, (int)cp);
                    if (len > 0) {
                        o += (size_t)len;
                        i = (size_t)(semi - s) + 1;
                        continue;
                    }
                }
            }
        }
        s[o++] = c;
        i++;
    }
    return collapse(s, o);
}

/*---- items ----*/

static void item_begin(feed *f, int nattr, const xmlChar **attrs) {
    for (int i = 0; i < F_ITEM_N; i++) field_clear(&f->f[i]);
    f->item_depth = f->depth;
    f->item_line = (uint32_t)xmlSAX2GetLineNumber(f->ctxt);
    f->permalink = 1;
    char *about = attr(f, nattr, attrs, NS_RDF, "about"); /* RSS 1.0 */
    if (about != NULL) set_link(f, &f->f[F_ABOUT], about, strlen(about));
    hd_free(about);
}

/* The link of the current item: <link>, a permalink guid, rdf:about. */
static const field *item_link(const feed *f) {
    const field *l = &f->f[F_LINK];
    if (field_len(l)) return l;
    const field *g = &f->f[F_GUID];
    if (f->permalink && (strncmp(field_str(g), "http://", 7) == 0 ||
                         strncmp(field_str(g), "https://", 8) == 0))
        return g;
    return field_len(&f->f[F_ABOUT]) ? &f->f[F_ABOUT] : NULL;
}

static const char *item_lang(const feed *f) {
    if (field_len(&f->f[F_LANG])) return field_str(&f->f[F_LANG]);
    if (f->lv[f->item_depth].lang) return f->lv[f->item_depth].lang;
    return field_str(&f->f[F_FEED_LANG]);
}

static int64_t item_date(const feed *f) {
    int64_t t;
    for (int i = F_DATE; i <= F_UPDATED; i++)
        if (field_len(&f->f[i]) &&
            hd_feed_time_parse(field_str(&f->f[i]), field_len(&f->f[i]), &t) == HD_OK)
            return t;
    return HD_TIME_UNKNOWN;
}

static int divert(feed *f) {
    const field *l = item_link(f);
    hd_feed_link fl = {field_str(l), field_str(&f->f[F_TITLE]), field_str(&f->f[F_FEED_TITLE]),
                       item_lang(f), field_str(&f->f[F_GUID]), item_date(f)};
    if (fl.ext_id[0] == '\0') fl.ext_id = field_str(&f->f[F_ABOUT]);
    f->stop = f->lfn(f->lud, &fl);
    return 1;
}

static hd_str dup_field(hd_doc *d, const field *fd) {
    return hd_doc_strdup(d, field_str(fd), field_len(fd));
}

/* The HTML reader finished the item's text: the item's own fields win. */
static int item_fix(void *ud, hd_doc *d) {
    feed *f = ud;
    const field *l = item_link(f);
    if (field_len(&f->f[F_TITLE]))
        d->raw_title = hd_read_title(d, field_str(&f->f[F_TITLE]), field_len(&f->f[F_TITLE]));
    if (l != NULL) d->url = dup_field(d, l);
    d->site = dup_field(d, &f->f[F_FEED_TITLE]);
    const char *lang = item_lang(f);
    d->lang_hint = hd_doc_strdup(d, lang, strlen(lang));
    d->ext_id = dup_field(d, field_len(&f->f[F_GUID]) ? &f->f[F_GUID] : &f->f[F_ABOUT]);
    d->published = item_date(f);
    if (f->lfn != NULL && l != NULL && d->raw_text.len < HD_FEED_FULL_TEXT) return divert(f);
    return 0;
}

static void item_read(feed *f) {
    hd_reader *r = f->r;
    field *text = field_len(&f->f[F_CONTENT]) ? &f->f[F_CONTENT] : &f->f[F_SUMMARY];
    if (f->f[F_CONTENT].over || (text == &f->f[F_SUMMARY] && text->over)) {
        hd_read_problem(r, f->item_line, HD_ETOOBIG,
                        "feed item text larger than the %zu-byte article limit", r->article_max);
        return;
    }
    const field *l = item_link(f);
    if (field_len(text) == 0) {
        if (f->lfn != NULL && l != NULL) divert(f);
        else
            hd_read_problem(r, f->item_line, HD_EEMPTY, "feed item \"%.80s\" has no text%s",
                            field_str(&f->f[F_TITLE]),
                            l ? "; its article is at its link" : "");
        return;
    }
    hd_nested n;
    hd_read_nest(&n, r, f->item_line, item_fix, f);
    n.quiet = 1;
    int rc = hd_read_html_page(&n.r, field_str(text), field_len(text), l ? field_str(l) : NULL,
                               NULL);
    if (rc > 0) f->stop = rc;
    else if (rc < 0 && f->lfn != NULL && l != NULL && rc == HD_EEMPTY) divert(f);
    else if (rc < 0) hd_read_problem(r, f->item_line, n.code, "feed item: %s", n.msg);
}

static void item_end(feed *f) {
    f->n_items++;
    item_read(f);
    f->item_depth = 0;
}

/*---- SAX handlers ----*/

static void halt(feed *f) {
    f->halted = 1;
    xmlStopParser(f->ctxt);
}

static void push_level(feed *f, int nattr, const xmlChar **attrs) {
    level *up = &f->lv[f->depth - 1], *lv = &f->lv[f->depth];
    memset(lv, 0, sizeof *lv);
    lv->base = up->base;
    lv->lang = up->lang;
    const xmlChar **a = attrs;
    for (int i = 0; i < nattr; i++, a += 5) {
        if (ns_class(f, a[2]) != NS_XML) continue;
        size_t n = (size_t)(a[4] - a[3]);
        /* A repeated attribute (recover mode lets it through) replaces. */
        if (is(a[0], "base")) {
            char *b = hd_url_resolve(lv->base ? lv->base : f->base_url, (const char *)a[3], n);
            if (b == NULL) continue;
            if (lv->own_base) hd_free(lv->base);
            lv->base = b, lv->own_base = 1;
        } else if (is(a[0], "lang") && n < TINY_MAX) {
            char *l = hd_memdup(a[3], n);
            if (l == NULL) continue;
            if (lv->own_lang) hd_free(lv->lang);
            lv->lang = l, lv->own_lang = 1;
        }
    }
}

static void pop_level(feed *f) {
    level *lv = &f->lv[f->depth];
    if (lv->own_base) hd_free(lv->base);
    if (lv->own_lang) hd_free(lv->lang);
    memset(lv, 0, sizeof *lv);
}

static void check_root(feed *f, const xmlChar *local, const xmlChar *uri) {
    f->root = 1;
    snprintf(f->root_name, sizeof f->root_name, "%s", (const char *)local);
    if (is(local, "feed") && (uri == NULL || ns_class(f, uri) == NS_ATOM)) {
        f->atom_default = uri == NULL;
        f->chan_depth = 1;
    } else if (!(is(local, "rss") && uri == NULL) &&
               !(is(local, "RDF") && ns_class(f, uri) == NS_RDF)) {
        f->not_feed = 1;
        halt(f);
    }
}

/* Type of Atom text: type="text" (default), "html", "xhtml" or a MIME type. */
static int atom_type(const feed *f, int nattr, const xmlChar **attrs, int *skip) {
    char *t = attr(f, nattr, attrs, -1, "type");
    int type = T_TEXT;
    *skip = 0;
    if (t == NULL || strcmp(t, "text") == 0 || strcmp(t, "text/plain") == 0) type = T_TEXT;
    else if (strcmp(t, "xhtml") == 0 || strcmp(t, "application/xhtml+xml") == 0) type = T_XHTML;
    else if (strcmp(t, "html") == 0 || strcmp(t, "text/html") == 0) type = T_HTML;
    else *skip = 1; /* a media type we do not read */
    hd_free(t);
    char *src = attr(f, nattr, attrs, -1, "src");
    if (src != NULL) *skip = 1; /* out-of-line content */
    hd_free(src);
    return type;
}

static void start_field(feed *f, int which, int type) {
    if (which < 0 || field_len(&f->f[which]) || f->f[which].over) return;
    f->cur = which;
    f->cur_depth = f->depth;
    f->f[which].type = type;
}

static void atom_link(feed *f, int which, int nattr, const xmlChar **attrs) {
    char *rel = attr(f, nattr, attrs, -1, "rel");
    char *href = attr(f, nattr, attrs, -1, "href");
    if (href != NULL && (rel == NULL || strcmp(rel, "alternate") == 0) &&
        field_len(&f->f[which]) == 0)
        set_link(f, &f->f[which], href, strlen(href));
    hd_free(rel);
    hd_free(href);
}

/* An element that is a direct child of an item. */
static void item_child(feed *f, int ns, const xmlChar *local, int nattr, const xmlChar **attrs) {
    int skip;
    if (ns == NS_RSS || ns == NS_ATOM) {
        if (is(local, "title"))
            start_field(f, F_TITLE, ns == NS_ATOM ? atom_type(f, nattr, attrs, &skip) : T_HTML);
        else if (is(local, "link") && ns == NS_ATOM) atom_link(f, F_LINK, nattr, attrs);
        else if (is(local, "link")) start_field(f, F_LINK, T_RAW);
        else if (is(local, "guid") || (is(local, "id") && ns == NS_ATOM)) {
            char *pl = attr(f, nattr, attrs, -1, "isPermaLink");
            f->permalink = ns == NS_ATOM || pl == NULL || strcmp(pl, "false") != 0;
            hd_free(pl);
            start_field(f, F_GUID, T_RAW);
        } else if (is(local, "pubDate") || is(local, "published") || is(local, "issued"))
            start_field(f, F_DATE, T_RAW);
        else if (is(local, "updated") || is(local, "modified")) start_field(f, F_UPDATED, T_RAW);
        else if (is(local, "description")) start_field(f, F_SUMMARY, T_HTML);
        else if (is(local, "summary") || is(local, "content")) {
            int type = atom_type(f, nattr, attrs, &skip);
            if (!skip) start_field(f, is(local, "content") ? F_CONTENT : F_SUMMARY, type);
        }
    } else if (ns == NS_CONTENT && is(local, "encoded")) {
        start_field(f, F_CONTENT, T_HTML);
    } else if (ns == NS_DC || ns == NS_DCTERMS) {
        if (is(local, "date") || is(local, "issued") || is(local, "created"))
            start_field(f, F_DATE, T_RAW);
        else if (is(local, "modified")) start_field(f, F_UPDATED, T_RAW);
        else if (is(local, "language")) start_field(f, F_LANG, T_RAW);
    }
}

/* An element that is a direct child of the channel or Atom feed. */
static void channel_child(feed *f, int ns, const xmlChar *local, int nattr, const xmlChar **attrs) {
    int skip;
    if ((ns == NS_RSS || ns == NS_ATOM) && is(local, "title"))
        start_field(f, F_FEED_TITLE, ns == NS_ATOM ? atom_type(f, nattr, attrs, &skip) : T_HTML);
    else if (ns == NS_ATOM && is(local, "link")) atom_link(f, F_FEED_LINK, nattr, attrs);
    else if (ns == NS_RSS && is(local, "link")) start_field(f, F_FEED_LINK, T_RAW);
    else if ((ns == NS_RSS && is(local, "language")) || (ns == NS_DC && is(local, "language")))
        start_field(f, F_FEED_LANG, T_RAW);
}

static void on_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **nss, int nattr, int ndefault,
                     const xmlChar **attrs) {
    feed *f = ud;
    (void)prefix, (void)nns, (void)nss, (void)ndefault;
    if (f->halted) return;
    if (++f->depth > HD_XML_DEPTH_MAX) {
        f->too_deep = 1;
        halt(f);
        return;
    }
    push_level(f, nattr, attrs);
    if (!f->root) {
        check_root(f, local, uri);
        return;
    }
    if (f->cur >= 0) {
        /* Markup inside an element that gathers text: kept for xhtml. */
        if (f->f[f->cur].type == T_XHTML && f->depth > f->cur_depth + 1) {
            field_add(&f->f[f->cur], "<", 1);
            field_add(&f->f[f->cur], (const char *)local, strlen((const char *)local));
            field_add(&f->f[f->cur], ">", 1);
        }
        return;
    }
    int ns = ns_class(f, uri);
    if (f->item_depth == 0) {
        if ((ns == NS_RSS && is(local, "item")) || (ns == NS_ATOM && is(local, "entry")))
            item_begin(f, nattr, attrs);
        else if (ns == NS_RSS && is(local, "channel") && f->chan_depth == 0)
            f->chan_depth = f->depth;
        else if (f->chan_depth > 0 && f->depth == f->chan_depth + 1)
            channel_child(f, ns, local, nattr, attrs);
    } else if (f->depth == f->item_depth + 1) {
        item_child(f, ns, local, nattr, attrs);
    }
}

static void finish_field(feed *f) {
    field *fd = &f->f[f->cur];
    if ((f->cur == F_LINK || f->cur == F_FEED_LINK) && field_len(fd)) {
        char *ref = hd_strdup(field_str(fd));
        if (ref != NULL) set_link(f, fd, ref, strlen(ref));
        hd_free(ref);
    } else if ((f->cur == F_TITLE || f->cur == F_FEED_TITLE) && fd->b.ptr != NULL) {
        fd->b.len = title_text(fd->b.ptr, fd->b.len);
        fd->b.ptr[fd->b.len] = '\0';
    }
    f->cur = -1;
}

static void on_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri) {
    feed *f = ud;
    (void)prefix, (void)uri;
    if (f->halted) return;
    if (f->cur >= 0 && f->depth == f->cur_depth) {
        finish_field(f);
    } else if (f->cur >= 0 && f->f[f->cur].type == T_XHTML && f->depth > f->cur_depth + 1) {
        field_add(&f->f[f->cur], "</", 2);
        field_add(&f->f[f->cur], (const char *)local, strlen((const char *)local));
        field_add(&f->f[f->cur], ">", 1);
    }
    if (f->item_depth > 0 && f->depth == f->item_depth) {
        item_end(f);
        if (f->stop) halt(f);
    }
    pop_level(f);
    f->depth--;
}

static void on_text(void *ud, const xmlChar *s, int n) {
    feed *f = ud;
    if (f->halted || f->cur < 0 || n <= 0) return;
    field *fd = &f->f[f->cur];
    if (fd->type == T_RAW || fd->type == T_HTML) field_add(fd, (const char *)s, (size_t)n);
    else field_add_escaped(fd, (const char *)s, (size_t)n);
}

static xmlEntityPtr on_entity(void *ud, const xmlChar *name) {
    (void)ud;
    (void)name;
    return NULL; /* never expand: see the top of the file */
}

static void on_error(void *ud, xmlErrorPtr e) {
    feed *f = ud;
    if (e == NULL || e->level < XML_ERR_ERROR) return;
    if (f->n_errors++ > 0) return;
    f->err_code = e->code;
    f->err_line = e->line;
    snprintf(f->err_msg, sizeof f->err_msg, "%s", e->message ? e->message : "error");
    for (char *c = f->err_msg; *c; c++)
        if (*c == '\n') *c = ' ';
    size_t n = strlen(f->err_msg);
    while (n > 0 && (f->err_msg[n - 1] == '\n' || f->err_msg[n - 1] == ' ')) f->err_msg[--n] = '\0';
}

/*---- the reader ----*/

static void feed_init(feed *f, hd_reader *r, const char *base_url, hd_feed_link_fn lfn,
                      void *lud) {
    memset(f, 0, sizeof *f);
    f->r = r;
    f->base_url = base_url && *base_url ? base_url : NULL;
    f->lfn = lfn;
    f->lud = lud;
    f->cur = -1;
    for (int i = 0; i < F_N; i++) {
        int text = i == F_CONTENT || i == F_SUMMARY;
        int title = i == F_TITLE || i == F_FEED_TITLE;
        int tiny = i == F_DATE || i == F_UPDATED || i == F_LANG || i == F_FEED_LANG;
        field_init(&f->f[i], text ? r->article_max : title ? TITLE_GATHER : tiny ? TINY_MAX : SHORT_MAX,
                   title);
    }
}

static void feed_fini(feed *f) {
    while (f->depth > 0) {
        if (f->depth <= HD_XML_DEPTH_MAX) pop_level(f);
        f->depth--;
    }
    for (int i = 0; i < F_N; i++) hd_buf_fini(&f->f[i].b);
}

static void parse(feed *f, const char *buf, size_t len) {
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    sax.getEntity = on_entity;
    sax.serror = on_error;
    size_t first = len < 4 ? len : 4;
    f->ctxt = xmlCreatePushParserCtxt(&sax, f, buf, (int)first, f->r->source);
    if (f->ctxt == NULL) {
        f->oom = 1;
        return;
    }
    xmlCtxtUseOptions(f->ctxt, XML_PARSE_NONET | XML_PARSE_NOENT | XML_PARSE_RECOVER |
                                   XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    /* Errors raised without the parser's context (character conversion,
    ** I/O) go to libxml2's global handler, which prints: point it at ours
    ** for the parse (it is per thread). */
    xmlStructuredErrorFunc old = xmlStructuredError;
    void *old_ud = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(f, on_error);
    for (size_t pos = first; !f->halted;) {
        size_t n = len - pos < CHUNK ? len - pos : CHUNK;
        int last = pos + n == len;
        xmlParseChunk(f->ctxt, buf + pos, (int)n, last);
        pos += n;
        if (last) break;
    }
    if (f->ctxt->myDoc != NULL) xmlFreeDoc(f->ctxt->myDoc); /* entity declarations */
    xmlFreeParserCtxt(f->ctxt);
    f->ctxt = NULL;
    xmlSetStructuredErrorFunc(old_ud, old);
}

/* The problem that ends the feed, if any; returns the code to give back. */
static int report(feed *f) {
    hd_reader *r = f->r;
    if (f->oom) return hd_read_problem(r, 0, HD_ENOMEM, "out of memory");
    if (f->not_feed)
        return hd_read_problem(r, 0, HD_EPARSE,
                               "not a feed: the root element is <%s>, not <rss>, <feed> or "
                               "<rdf:RDF>", f->root_name);
    if (f->too_deep)
        return hd_read_problem(r, 0, HD_EPARSE, "XML nested deeper than %d elements",
                               HD_XML_DEPTH_MAX);
    if (f->n_errors > 0 && !f->root)
        return hd_read_problem(r, (uint32_t)f->err_line, HD_EPARSE, "not XML: %s", f->err_msg);
    if (f->err_code == XML_ERR_DOCUMENT_END && f->depth > 0) /* the push parser's word */
        snprintf(f->err_msg, sizeof f->err_msg, "the document ends inside an element (truncated)");
    if (f->n_errors > 0) {
        int rc = hd_read_problem(r, (uint32_t)f->err_line, HD_EPARSE,
                                 "malformed XML: %s (%d item%s read)", f->err_msg, f->n_items,
                                 f->n_items == 1 ? "" : "s");
        return f->n_items > 0 ? 0 : rc;
    }
    if (f->n_items == 0) return hd_read_problem(r, 0, HD_EEMPTY, "feed has no items");
    return 0;
}

int hd_read_feed(hd_reader *r, const char *buf, size_t len, const char *base_url,
                 hd_feed_link_fn lfn, void *lud) {
    size_t i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')) i++;
    if (i == len) return hd_read_problem(r, 0, HD_EEMPTY, "empty file");
    feed *f = hd_malloc(sizeof *f);
    if (f == NULL) return hd_read_problem(r, 0, HD_ENOMEM, "out of memory");
    feed_init(f, r, base_url, lfn, lud);
    xmlInitParser();
    parse(f, buf, len);
    int rc = f->stop ? f->stop : report(f);
    feed_fini(f);
    hd_free(f);
    return rc;
}
