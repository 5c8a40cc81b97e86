/*
** dict.h -- bilingual dictionaries as a language-independent concept layer.
**
** Every covered language maps its content words to a small set of English
** "concepts"; a concept is the Snowball stem of an English word ("elect",
** "presid"), and English words map to their own concept.  Two articles in
** different languages can then be compared as bags of concept ids, word by
** word, without a translation model.  The table is compiled at build time
** from Debian's FreeDict dictionaries by tools/train_dict.c into
** herald-dict.bin; docs/internals/DICT.md describes the sources, the gloss
** cleaning and the file format.
**
** A loaded hd_dict is read-only: every function below may be called from
** any number of threads at once.
*/
#ifndef HD_DICT_H
#define HD_DICT_H

#include <stddef.h>
#include <stdint.h>

#include "herald.h"

#define HD_DICT_FILE "herald-dict.bin"
#define HD_DICT_WORD_MAX 64     /* bytes: longer tokens are never looked up */
#define HD_DICT_KEY_MAX 256     /* bytes of a folded key buffer, NUL included */
#define HD_DICT_IDS_MAX 12      /* concepts kept per headword, first senses first */

typedef struct hd_dict hd_dict;

/* Load DATADIR/herald-dict.bin (NULL datadir: hd_data_dir()).  The file is
** read with one read into one allocation and checked in full (every offset,
** length and id against the file's size), so a truncated or corrupt file
** gives NULL with HD_EMODEL in `err`, never a crash.  Other failures:
** HD_EIO (cannot open or read), HD_ENOMEM.  Free with hd_dict_free. */
hd_dict *hd_dict_load(const char *datadir, hd_err *err);
/* The same for an explicit file path. */
hd_dict *hd_dict_load_file(const char *path, hd_err *err);
void hd_dict_free(hd_dict *d);

/* The concepts of `word[0..len)` in language `lang` (ISO 639-1), the word as
** it appears in text, in any case: it is folded (NFC, case folding, French
** and Italian elision, English possessive), stemmed with the language's
** Snowball stemmer when it has one, and stripped of diacritics before the
** look-up.  Writes up to `max` concept ids to `out`, the first sense first,
** and returns how many: 0 for unknown words, function words, words longer
** than HD_DICT_WORD_MAX and languages the table does not cover.  No
** allocation; thread-safe. */
int hd_dict_concepts(const hd_dict *d, const char *lang, const char *word, size_t len,
                     uint32_t *out, int max);

/* 1 when `word` is a function word of `lang` (an English stopword, or a word
** whose first sense translates to English stopwords only: "der", "di",
** "und"), else 0. */
int hd_dict_is_stop(const hd_dict *d, const char *lang, const char *word, size_t len);

/* The English stem a concept stands for ("elect"); NULL for ids out of
** range.  Valid until hd_dict_free. */
const char *hd_dict_concept_name(const hd_dict *d, uint32_t id);
/* A readable English word for the concept, the gloss word seen most often
** with that stem ("election"); NULL for ids out of range. */
const char *hd_dict_concept_word(const hd_dict *d, uint32_t id);
/* Number of concepts; ids run from 0 to this minus one. */
uint32_t hd_dict_concept_count(const hd_dict *d);
/* How specific a concept is: ln(N / df), where df is the number of
** headwords in all languages that map to it and N the number of headwords
** with any concept.  Broad glosses ("make", "cut") weigh little, specific
** ones ("election") much; 0 for ids out of range. */
double hd_dict_concept_weight(const hd_dict *d, uint32_t id);

/* 1 when the table covers `lang` (English always), else 0. */
int hd_dict_has_lang(const hd_dict *d, const char *lang);
/* The i-th covered language code, or NULL past the end. */
const char *hd_dict_lang(const hd_dict *d, int i);

/*---------------------------------------------------------------------------
** Internals shared with tools/train_dict.c
*/

/* Fold `word[0..len)` into a look-up key as hd_dict_concepts does, stemming
** only when `stem` is nonzero.  Writes a NUL-terminated key to `out`
** (capacity `cap`).  Returns its length, 0 when the input is not a word
** (no letter, too long, invalid UTF-8, or does not fit). */
size_t hd_dict_key(const char *lang, int stem, const char *word, size_t len, char *out,
                   size_t cap);

/* The file format (native byte order; a byte-order mark rejects others).
** All sections follow the header in this order, each 4-byte aligned:
**   langs[nlang], concepts[nconcept], keys[nkey], ids[nid] (uint32), pool.
** A language's keys are sorted by (bytes, length) for binary search.
** English is a language whose keys are the concept stems themselves. */
#define HD_DICT_MAGIC "HDDICT01"
#define HD_DICT_VERSION 1u
#define HD_DICT_BOM 0x01020304u
#define HD_DICT_FILE_MAX (512u << 20)

#define HD_DICT_LANG_STEMMED 1u /* keys were stemmed: stem queries too */
#define HD_DICT_KEY_STOP 1u     /* function word: no concepts */

typedef struct hd_dict_header {
    char magic[8];
    uint32_t bom, version, size; /* size: bytes of the whole file */
    uint32_t nlang, nconcept, nkey, nid, pool;
    uint32_t nheadwords;         /* keys with a concept, all languages (N) */
    uint32_t reserved[4];
} hd_dict_header;

typedef struct hd_dict_lang_rec {
    char code[8];    /* NUL-terminated ISO 639-1 code */
    uint32_t first;  /* index of its first key */
    uint32_t count;  /* number of keys */
    uint32_t flags;  /* HD_DICT_LANG_* */
} hd_dict_lang_rec;

typedef struct hd_dict_concept_rec {
    uint32_t name;    /* pool offset of the NUL-terminated stem */
    uint32_t surface; /* pool offset of the NUL-terminated readable word */
    uint32_t df;      /* headwords mapping to it, all languages */
} hd_dict_concept_rec;

typedef struct hd_dict_key_rec {
    uint32_t key;   /* pool offset of the key bytes */
    uint32_t ids;   /* index into ids[] of the first concept */
    uint16_t len;   /* key bytes */
    uint8_t nids;   /* concepts, at most HD_DICT_IDS_MAX */
    uint8_t flags;  /* HD_DICT_KEY_* */
} hd_dict_key_rec;

#endif
