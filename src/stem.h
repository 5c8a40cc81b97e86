/*
** stem.h -- Snowball stemming (libstemmer) behind ISO 639-1 codes.
**
** The dictionary layer (dict.c) stems headwords and queries with it, and
** full-text search can stem index terms and query terms the same way.
**
** Thread safety: libstemmer's stemmer objects keep state between calls and
** must not be shared.  stem.c keeps a small pool of stemmers per language;
** a call takes one out under a mutex, stems without the lock, and puts it
** back.  Any number of threads may call these functions at once.
*/
#ifndef HD_STEM_H
#define HD_STEM_H

#include <stddef.h>

#define HD_STEM_WORD_MAX 128 /* bytes of the longest word stemmed */

/* Nonzero when Snowball has an algorithm for `lang` (ISO 639-1, e.g. "de";
** "nb" counts as Norwegian). */
int hd_stem_has(const char *lang);

/* Fold `word[0..len)` (NFC, Unicode case folding) and stem it with the
** algorithm for `lang`.  Writes the NUL-terminated result to `out` (capacity
** `cap` bytes, NUL included).  A language without a Snowball algorithm
** gives the folded word unstemmed.  Returns the result's length in bytes
** (excluding the NUL), HD_EINVAL for empty input or invalid UTF-8,
** HD_ETOOBIG when the word exceeds HD_STEM_WORD_MAX or `cap`, HD_ENOMEM.
** `out` is unchanged on failure.  Thread-safe. */
int hd_stem(const char *lang, const char *word, size_t len, char *out, size_t cap);

/* As hd_stem, for a word that is already folded (no case folding or
** normalisation is done).  For callers that fold once and stem often. */
int hd_stem_folded(const char *lang, const char *word, size_t len, char *out,
                   size_t cap);

#endif
