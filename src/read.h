/*
** read.h -- the input readers behind hd_read_buffer (internal).
**
** A reader turns one input buffer into articles.  It owns one hd_doc for
** the whole buffer; per article it resets the doc, fills only the reader
** fields (source, line, ext_id, url, site, lang_hint, charset, published,
** raw_title, raw_text, author, modified) and hands it to the caller's hd_doc_fn.  Problems
** that cost an article go to the hd_problem_fn and reading continues;
** problems that cost the whole buffer are reported the same way and
** returned as a negative code.  See docs/internals/READERS.md.
*/
#ifndef HD_READ_H
#define HD_READ_H

#include <stddef.h>
#include <stdint.h>

#include "herald.h"

#define HD_TITLE_MAX 1000   /* bytes kept of a title */
#define HD_HTML_DEPTH_MAX 1024 /* element nesting an HTML page may reach */
#define HD_JSON_DEPTH_MAX 64   /* array/object nesting a JSON line may reach */
#define HD_JSON_VALUES_MAX 65536 /* values one JSON line may hold */
#define HD_XML_DEPTH_MAX 128   /* element nesting a feed may reach */

typedef struct hd_reader {
    const char *source;   /* NUL-terminated; never NULL */
    hd_doc *doc;          /* reused for every article */
    hd_doc_fn fn;
    hd_problem_fn pfn;    /* may be NULL */
    void *ud;
    size_t article_max;   /* largest article, bytes */
    int count;            /* articles handed to fn */
    uint64_t skipped;     /* records read that are not articles (WARC) */
} hd_reader;

/* Report a problem through the reader's hd_problem_fn (printf-style
** message, one sentence).  Returns `code`. */
int hd_read_problem(hd_reader *r, uint32_t line, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Reset the doc for a new article and set its source and line.  Returns
** HD_OK or HD_ENOMEM. */
int hd_read_begin(hd_reader *r, uint32_t line);

/* Hand the filled doc to the callback.  Returns 0 to go on, or the
** callback's non-zero value (the reader stops and returns it).  An arena
** that failed while the doc was filled costs the article (HD_ENOMEM is
** reported) but not the buffer. */
int hd_read_emit(hd_reader *r);

/* Copy `len` bytes of `s` as a title: surrounding whitespace trimmed, at
** most HD_TITLE_MAX bytes, cut on a UTF-8 boundary. */
hd_str hd_read_title(hd_doc *d, const char *s, size_t len);

/* The readers.  Each returns 0 when the buffer was read to its end, the
** callback's non-zero value when it stopped, or a negative error for the
** whole buffer (already reported). */
int hd_read_text(hd_reader *r, const char *buf, size_t len);
int hd_read_jsonl(hd_reader *r, const char *buf, size_t len);
/* Nesting of arrays and objects in a JSON text, outside strings, counted
** up to just past `cap`: checked before jansson parses untrusted JSON
** (JSON Lines, JSON-LD) so that its recursive descent stays shallow. */
int hd_json_depth(const char *s, size_t len, int cap);
size_t hd_json_values(const char *s, size_t len, size_t cap);
int hd_read_html(hd_reader *r, const char *buf, size_t len);

/* An HTML page as fetched: `url` is where it came from (a fallback for the
** canonical URL, the base for a relative one, and a source of the date),
** `http_charset` the charset of the Content-Type header; either may be
** NULL.  Charset precedence: `http_charset`, a byte-order mark, <meta
** charset> or http-equiv, then detection.  The article (main text without
** boilerplate, title, dates, author, language, canonical URL, site) fills
** the reader fields; see docs/internals/EXTRACT.md.  hd_read_html is this
** with NULLs.  Returns as the readers above. */
int hd_read_html_page(hd_reader *r, const char *buf, size_t len, const char *url,
                      const char *http_charset);

/*---- pages inside other containers (read_page.c) ----*/

/* A reader nested in `parent`, for formats that carry pages (feed items,
** web archive records): each doc it completes is passed to `fix`, which
** may fill or overwrite fields and returns 0 to have the parent emit it or
** 1 to drop it; its problems are reported by the parent at `line` (or,
** with `quiet` set, only kept in `code` and `msg` for the caller to
** decide).  Set up with hd_read_nest; it holds nothing to free. */
typedef struct hd_nested {
    hd_reader r;
    hd_reader *parent;
    uint32_t line;
    int (*fix)(void *ud, hd_doc *d);
    void *ud;
    int quiet;
    int code;                 /* the last problem's code, or 0 */
    char msg[HD_ERRMSG_MAX];  /* and its message */
} hd_nested;

void hd_read_nest(hd_nested *n, hd_reader *parent, uint32_t line,
                  int (*fix)(void *ud, hd_doc *d), void *ud);

/* `ref` (`len` bytes, surrounding whitespace ignored) made absolute
** against `base` (RFC 3986, libxml2's xmlBuildURI); a copy of `ref` when
** `base` is NULL or empty, or the two do not combine.  NUL-terminated;
** the caller frees it with hd_free.  NULL when out of memory. */
char *hd_url_resolve(const char *base, const char *ref, size_t len);

/* The charset parameter of an HTTP Content-Type value (`ct`, `len` bytes),
** unquoted, into `out` (`cap` bytes, NUL-terminated).  Returns 1 when
** present and it fits, else 0. */
int hd_http_charset(const char *ct, size_t len, char *out, size_t cap);

/*---- feeds (read_feed.c) ----*/

/* A feed item whose article is at its link: the item carried a summary,
** not its full text.  Strings are NUL-terminated, valid during the call. */
typedef struct hd_feed_link {
    const char *url;     /* absolute */
    const char *title;   /* "" when none */
    const char *site;    /* the feed's title, or "" */
    const char *lang;    /* the item's language or the feed's, or "" */
    const char *ext_id;  /* guid or id, or "" */
    int64_t published;   /* or HD_TIME_UNKNOWN */
} hd_feed_link;

/* Called for such items instead of emitting them; non-zero stops. */
typedef int (*hd_feed_link_fn)(void *ud, const hd_feed_link *l);

/* Items with at least this much text (bytes) carry their full article. */
#define HD_FEED_FULL_TEXT 1000

/* An RSS 2.0, RSS 1.0 or Atom feed: one article per item.  Relative links
** are resolved against xml:base, else `base_url` (the feed's own URL; may
** be NULL), else the channel's link.  With `lfn` NULL every item with text
** is emitted; otherwise items with less than HD_FEED_FULL_TEXT bytes of
** text and a link go to `lfn` instead.  Returns like the readers above. */
int hd_read_feed(hd_reader *r, const char *buf, size_t len, const char *base_url,
                 hd_feed_link_fn lfn, void *lud);

/* Parse a date as feeds write them (read_date.c): RFC 822/1123/2822 ("Sat, 08 Jan 2022
** 10:00:00 GMT", numeric and named zones, two-digit years, missing weekday
** or seconds, full month and day names) or ISO 8601/RFC 3339 (with or
** without seconds, fraction and zone; a missing zone is UTC).  Returns
** HD_OK and sets *t (Unix seconds, UTC), or HD_EPARSE. */
int hd_feed_time_parse(const char *s, size_t len, int64_t *t);

/*---- web archives (read_warc.c) ----*/

/* Where a streaming reader gets its bytes: up to `cap` bytes into `buf`;
** returns the count, 0 at the end, or a negative HD_* error. */
typedef long (*hd_pull_fn)(void *ud, char *buf, size_t cap);

/* A WARC 1.0/1.1 file, plain or gzip (one member per record or one for
** all), pulled through `pull` a chunk at a time: memory stays bounded
** whatever the file's size.  HTML responses with status 200 (and HTML
** resource records) become articles; other records are counted in
** r->skipped; a corrupt or truncated record is reported and the reader
** resynchronises on the next record. */
int hd_read_warc_stream(hd_reader *r, hd_pull_fn pull, void *pud);

/* The same over a buffer in memory. */
int hd_read_warc(hd_reader *r, const char *buf, size_t len);

/* hd_read_buffer's streaming sibling, for formats read as a stream (only
** HD_FMT_WARC so far; others give HD_EUNSUPPORTED).  Returns the number of
** articles or a negative error; *skipped (may be NULL) gets the count of
** records that were not articles. */
int hd_read_stream(const char *source, hd_format fmt, hd_pull_fn pull, void *pud,
                   hd_doc_fn fn, hd_problem_fn pfn, void *ud, uint64_t *skipped);

#endif
