/*
** extract.h -- the main content and metadata of an HTML page (internal).
**
** The HTML reader (read_html.c) parses a page with gumbo and hands the tree
** here.  hd_extract_tree finds the article: its text without navigation,
** advertising, comments, share bars, cookie notices and related links; its
** title; publication and modification dates; author; language; canonical
** URL and site name.  Content selection is in extract.c, metadata (meta
** tags, JSON-LD, dates in the URL and near the title) in extract_meta.c.
** See docs/internals/EXTRACT.md.
**
** Every string the extractor returns, and all its scratch memory, comes
** from the caller's arena; nothing is freed piecemeal.  Tree walks keep
** explicit stacks, JSON-LD is depth-checked before jansson parses it, and
** every string is bounded.
*/
#ifndef HD_EXTRACT_H
#define HD_EXTRACT_H

#include <gumbo.h>
#include <stdint.h>

#include "arena.h"
#include "herald.h"

#define HD_EXTRACT_FIELD_MAX 1000 /* bytes kept of author, site, language */
#define HD_EXTRACT_URL_MAX 4000   /* bytes kept of a URL */

/* What the extractor found.  Views are NUL-terminated and owned by the
** arena given to hd_extract_tree; a field not found has ptr NULL, len 0. */
typedef struct hd_extract {
    hd_str title;      /* the headline, site name removed */
    hd_str text;       /* main text: paragraphs separated by blank lines */
    hd_str author;     /* a person's name (or names) */
    hd_str lang;       /* as the page declares it ("de", "en-GB") */
    hd_str url;        /* canonical URL, absolute when a page URL was given */
    hd_str site;       /* site or publisher name */
    int64_t published; /* Unix seconds UTC, or HD_TIME_UNKNOWN */
    int64_t modified;  /* Unix seconds UTC, or HD_TIME_UNKNOWN */
    GumboNode *container; /* the element the text came from (tests, tools) */
} hd_extract;

/* The metadata pass's findings that content selection uses too. */
typedef struct hd_extract_hints {
    const char *body;   /* JSON-LD articleBody (arena), or NULL */
    size_t body_len;    /* bytes */
} hd_extract_hints;

/* Extract from the gumbo tree `out`.  `page_url` (may be NULL) is where
** the page came from: a fallback canonical URL, the base for a relative
** one, and a source of dates.  `now` (Unix seconds) bounds dates: none
** later than a day after it is taken.  The text is at most `text_max`
** bytes.  Scratch memory and results come from `a`.  Returns HD_OK (the
** text may be empty), HD_ETOOBIG when the text passes `text_max`, or
** HD_ENOMEM.  Thread-safe: no state outside the arguments. */
int hd_extract_tree(hd_arena *a, GumboOutput *out, const char *page_url, int64_t now,
                    size_t text_max, hd_extract *x);

/* The metadata half (extract_meta.c): every field of `x` except `text`,
** and hints for content selection.  Returns HD_OK or HD_ENOMEM. */
int hd_extract_meta(hd_arena *a, GumboOutput *out, const char *page_url, int64_t now,
                    hd_extract *x, hd_extract_hints *h);

/* Iterative pre-order walk.  `enter` is called on every node in document
** order and returns 1 to visit its children; `leave` (may be NULL) after
** them (or at once).  The stack comes from `a`.  HD_OK or HD_ENOMEM. */
typedef int (*hd_enter_fn)(void *ctx, GumboNode *n);
typedef void (*hd_leave_fn)(void *ctx, GumboNode *n);
int hd_extract_walk(hd_arena *a, GumboNode *root, hd_enter_fn enter, hd_leave_fn leave,
                    void *ctx);

/* The collapsed text under `n` (inline: breaks become spaces), at most
** `max` bytes, cut on a UTF-8 boundary, into `a`.  Returns a view with ptr
** NULL when out of memory. */
hd_str hd_extract_inline(hd_arena *a, GumboNode *n, size_t max);

/* The value of attribute `name` on element `n`, or NULL. */
const char *hd_extract_attr(const GumboNode *n, const char *name);

#endif
