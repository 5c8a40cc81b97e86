/*
** dedup.h -- exact and near-duplicate detection of article bodies.
**
** A sketch summarises an article's body (the folded text without the
** title): an exact key over its letters and digits, the number of distinct
** word shingles, and their MinHash minima.  Two sketches compared give an
** estimated Jaccard similarity and containment, and from them a verdict:
** "duplicate", "near-duplicate" or nothing.  hd_dedup_run() does the whole
** ingest step: sketch, candidate lookup through the store's LSH band index,
** verification, links, and the new sketch stored.  See dedup.c for the
** parameters and the measurements behind them, docs/internals/DEDUP.md for
** the design.
*/
#ifndef HD_DEDUP_H
#define HD_DEDUP_H

#include <stdint.h>

#include "arena.h"
#include "herald.h"
#include "store.h"

#define HD_DEDUP_HASH_MAX 256 /* most hash functions a sketch can hold */

/* The parameters this build stores with (dedup.c says why). */
extern const int hd_dedup_shingle; /* tokens per shingle */
extern const int hd_dedup_hashes;  /* MinHash functions */
extern const int hd_dedup_bands;   /* LSH bands (hashes / bands rows each) */

typedef struct hd_sketch {
    uint64_t exact;      /* XXH3-64 of the body's folded letters and digits */
    uint32_t n_tokens;   /* words (CJK, Thai...: characters) in the body */
    uint32_t n_shingles; /* distinct shingles (see dedup.c for the cap) */
    int n_hashes;        /* minima filled in `min` */
    uint32_t min[HD_DEDUP_HASH_MAX];
} hd_sketch;

/* Sketch the UTF-8 text `text` (`len` bytes, already case- and
** accent-folded) with shingles of `k` tokens (1..8) and `h` hash functions
** (1..HD_DEDUP_HASH_MAX).  Scratch memory comes from `a` and is bounded
** (a set of at most 2^17 shingle hashes).  Returns HD_OK, HD_EINVAL for
** bad parameters, or HD_ENOMEM (`out` is then zeroed). */
int hd_sketch_build(const char *text, size_t len, int k, int h, hd_arena *a, hd_sketch *out);

/* The body of a normalised doc: d->fold after the title's line. */
hd_str hd_dedup_body(const hd_doc *d);

/* Estimated Jaccard similarity of two sketches built with the same
** parameters: the share of equal minima, in [0,1]. */
double hd_sketch_jaccard(const hd_sketch *a, const hd_sketch *b);

/* The verdict on a pair. */
typedef struct hd_dup_verdict {
    const char *kind;   /* "duplicate", "near-duplicate", or NULL (no link) */
    double score;       /* the link's score in [0,1], 0 without a link */
    double jaccard;     /* estimated |A∩B| / |A∪B| */
    double containment; /* estimated |A∩B| / min(|A|, |B|) */
} hd_dup_verdict;

/* Compare two sketches (same parameters) and decide.  Pure; thread-safe. */
void hd_dedup_compare(const hd_sketch *a, const hd_sketch *b, hd_dup_verdict *v);

/* The LSH band keys of a sketch: `bands` keys of hashes/bands rows each,
** written to `keys`.  Returns the number of keys, 0 when the sketch is too
** small to index (it can then only match exactly). */
int hd_sketch_bands(const hd_sketch *s, int bands, uint64_t *keys);

/* Pack a sketch's minima as little-endian bytes into `buf` (4 per hash) and
** back.  hd_sketch_unpack returns HD_EPARSE when the size is wrong. */
size_t hd_sketch_pack(const hd_sketch *s, unsigned char *buf);
int hd_sketch_unpack(const unsigned char *buf, size_t len, hd_sketch *s);

/* The ingest step for a doc just stored in `st` (inside the caller's
** transaction): sketch its body, fetch candidates through the band index
** and the exact key (articles stored earlier, including earlier in the
** same transaction), verify each against its stored sketch, write a link
** per duplicate, then store the doc's own sketch and band keys.  Time and
** memory per article are bounded (at most HD_DEDUP_CANDIDATES candidates
** are verified).  Returns the number of links written, or an error (the
** store's message says which). */
int hd_dedup_run(hd_store *st, hd_doc *d);

#define HD_DEDUP_CANDIDATES 64

#endif
