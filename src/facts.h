/*
** facts.h -- quotes, quantities and dates: pure functions over an
** article's text.
**
** Each function scans `text` (`len` bytes of UTF-8, normally hd_doc.text)
** once, left to right, in time linear in `len`, without recursion and
** without regular expressions.  Results are allocated in `a` and sorted by
** `start`; every offset is a byte offset into `text`.  Each returns the
** number of results (>= 0; *out may then be NULL when it is 0) or a
** negative HD_ error (HD_ENOMEM, HD_EINVAL for NULL arguments).
**
** `lang` is an ISO 639-1 code ("de", "pt-BR" is read as "pt"); NULL or an
** unknown code applies the tables of every language herald knows (en, de,
** it, fr, es, ru, pl, nl, pt, tr, ar) except the few words that mean
** something else elsewhere (French "hier", German "so" as a speech cue).
** See docs/internals/FACTS.md.
*/
#ifndef HD_FACTS_H
#define HD_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "herald.h"

typedef struct hd_name_span { uint32_t start, end; } hd_name_span; /* a person mention found by NER, may be empty */
/* hd_quote, hd_quantity, hd_date_ref and HD_GRAIN_* are public (herald.h);
** a quote's `speaker` here indexes the `people` array passed in. */
int hd_quotes_find(const char *text, size_t len, const char *lang, const hd_name_span *people, size_t n_people, hd_arena *a, hd_quote **out);

int hd_quantities_find(const char *text, size_t len, const char *lang, hd_arena *a, hd_quantity **out);

/* `published` anchors relative dates ("am Donnerstag", "last week", "ieri", "yesterday"); HD_TIME_UNKNOWN leaves them unresolved (t unknown) but still reported. */
int hd_dates_find(const char *text, size_t len, const char *lang, int64_t published, hd_arena *a, hd_date_ref **out);

#endif
