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
typedef struct hd_quote {
    uint32_t start, end;     /* the quoted words, without the quotation marks */
    int direct;              /* 1: direct speech in quotation marks; 0: reported ("said that ...", "erklärte, dass ...", "ha detto che ...") */
    int32_t speaker;         /* index into the `people` array passed in, or -1 */
    uint32_t sp_start, sp_end; /* speaker span in text when found without NER (capitalised name after/before the cue), else 0,0 */
    uint32_t cue_start, cue_end; /* the speech verb, if found */
} hd_quote;
int hd_quotes_find(const char *text, size_t len, const char *lang, const hd_name_span *people, size_t n_people, hd_arena *a, hd_quote **out);

typedef struct hd_quantity {
    uint32_t start, end;     /* the whole expression, "2,500 peacekeepers", "7.000 Kilometer", "2.500 soldati" */
    double value;            /* 2500, 7000; "3 million" -> 3e6; "drei" optional */
    uint32_t unit_start, unit_end; /* what it counts: the noun (or unit) after the number, or the % sign */
} hd_quantity;
int hd_quantities_find(const char *text, size_t len, const char *lang, hd_arena *a, hd_quantity **out);

enum { HD_GRAIN_DAY = 1, HD_GRAIN_WEEK, HD_GRAIN_MONTH, HD_GRAIN_YEAR };
typedef struct hd_date_ref {
    uint32_t start, end;
    int64_t t;               /* start of the period, Unix seconds UTC; HD_TIME_UNKNOWN if it cannot be resolved */
    int grain;
} hd_date_ref;
/* `published` anchors relative dates ("am Donnerstag", "last week", "ieri", "yesterday"); HD_TIME_UNKNOWN leaves them unresolved (t unknown) but still reported. */
int hd_dates_find(const char *text, size_t len, const char *lang, int64_t published, hd_arena *a, hd_date_ref **out);

#endif
