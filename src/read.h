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

typedef struct hd_reader {
    const char *source;   /* NUL-terminated; never NULL */
    hd_doc *doc;          /* reused for every article */
    hd_doc_fn fn;
    hd_problem_fn pfn;    /* may be NULL */
    void *ud;
    size_t article_max;   /* largest article, bytes */
    int count;            /* articles handed to fn */
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

#endif
