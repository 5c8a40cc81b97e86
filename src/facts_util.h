/*
** facts_util.h -- what quotes.c, quantities.c and dates.c share: UTF-8
** stepping, a small case fold, word tables matched at word starts, a
** growable arena array and civil-calendar arithmetic.
**
** Every helper looks at a bounded stretch of text around one position, so
** a caller that visits each position a bounded number of times stays
** linear.
*/
#ifndef HD_FACTS_UTIL_H
#define HD_FACTS_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "facts.h"

/* Languages with tables.  HD_FL_ANY: every table (minus HD_FX_STRICT). */
enum {
    HD_FL_EN, HD_FL_DE, HD_FL_IT, HD_FL_FR, HD_FL_ES, HD_FL_RU,
    HD_FL_PL, HD_FL_NL, HD_FL_PT, HD_FL_TR, HD_FL_AR, HD_FL_N
};
#define HD_FL_ANY (-1)

/* Index of an ISO 639-1 code ("de", "de-AT", "pt_BR"), or HD_FL_ANY. */
int hd_fx_lang(const char *lang);

/* Code point at s[i] (i < len); *next gets the following offset.  An
** invalid or truncated sequence reads as U+FFFD of one byte. */
uint32_t hd_fx_cp(const char *s, size_t len, size_t i, size_t *next);
/* Code point that ends at s[i] (0 when i == 0); *start gets its offset. */
uint32_t hd_fx_cp_before(const char *s, size_t i, size_t *start);

uint32_t hd_fx_fold(uint32_t c); /* lower case: Latin, Greek, Cyrillic */
int hd_fx_upper(uint32_t c);
int hd_fx_alnum(uint32_t c);     /* letters, digits, combining marks */
int hd_fx_space(uint32_t c);     /* white space, NBSP and the Zs spaces */
int hd_fx_digit(char c);

/* Whether a word (alphanumeric run) starts at s[i]. */
int hd_fx_word_start(const char *s, size_t len, size_t i);
/* End of the alphanumeric run at i (i itself when none). */
size_t hd_fx_word_end(const char *s, size_t len, size_t i);
/* Skip spaces (and newlines when `nl`); at most 64 bytes. */
size_t hd_fx_skip_sp(const char *s, size_t len, size_t i, int nl);

/* A word or phrase in a table: lower case UTF-8; a space matches any run
** of white space, an apostrophe ' or U+2019, a hyphen - or U+2010/11. */
typedef struct hd_fx_word {
    const char *w;
    signed char lang; /* HD_FL_* */
    signed char val;  /* meaning, per table */
    unsigned char flags;
} hd_fx_word;
#define HD_FX_CAP 1    /* must start with a capital in the text */
#define HD_FX_LOWER 2  /* must start with a lower-case letter */
#define HD_FX_STRICT 4 /* only when `lang` names its language */
#define HD_FX_QUOTE 8  /* speech cue valid only right after a quote */
#define HD_FX_NOEND 16 /* no word boundary needed after it (qu') */

/* End of `phrase` matched at s[i] (folded, with a word boundary after), or
** 0 when it does not match. */
size_t hd_fx_match(const char *s, size_t len, size_t i, const char *phrase, int noend);
/* Longest entry of `t` for `lang` matching at s[i]; its index or -1. */
int hd_fx_lookup(const hd_fx_word *t, size_t n, int lang, const char *s, size_t len,
                 size_t i, size_t *end);

/* Tables shared by dates.c and quantities.c. */
extern const hd_fx_word hd_fx_months[];   /* val: 1..12 */
extern const size_t hd_fx_n_months;
extern const hd_fx_word hd_fx_mults[];    /* val: power of ten */
extern const size_t hd_fx_n_mults;

/* Where a date (numeric, month name, bare year) begins at s[i], fill *r
** and return its end; else 0.  A date-shaped token that is no valid date
** ("2022-02-30") returns its end with r->grain 0.  Used by the quantity scanner to leave
** dates and years alone. (dates.c) */
size_t hd_fx_date_at(const char *s, size_t len, size_t i, int lang, int64_t published,
                     hd_date_ref *r);
/* Whether the word just before offset i (over spaces) is a month name. */
int hd_fx_month_before(const char *s, size_t len, size_t i, int lang);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t hd_fx_days(int64_t y, int m, int d);
void hd_fx_civil(int64_t days, int64_t *y, int *m, int *d);
int hd_fx_month_len(int64_t y, int m);

/* A growable array in an arena: doubles by copying, so at most twice the
** final size is spent. */
typedef struct hd_fx_vec {
    hd_arena *a;
    void *v;
    size_t n, cap, size, align;
} hd_fx_vec;
void *hd_fx_push(hd_fx_vec *vec); /* a zeroed new slot, or NULL */

#endif
