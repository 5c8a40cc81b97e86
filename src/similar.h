/*
** similar.h -- candidates through the anchor index, translation links at
** ingest (similar.c).
*/
#ifndef HD_SIMILAR_H
#define HD_SIMILAR_H

#include "herald.h"
#include "store.h"

/* Profiles of recently seen articles (a fixed number, oldest dropped). */
typedef struct hd_simcache hd_simcache;
hd_simcache *hd_simcache_new(void);
void hd_simcache_free(hd_simcache *c);

typedef struct hd_candidate {
    char id[HD_ID_LEN + 1];
    double weight; /* sum of the shared anchors' weights */
} hd_candidate;

/* Put the anchors of `p` (a stored article) into the index. */
int hd_similar_index(hd_store *st, const hd_profile *p);

/* Up to `k` stored articles sharing the most (and rarest) anchors with `p`,
** best first, `p` itself excluded; only articles in other languages when
** `other_lang`.  Returns how many, or an error. */
int hd_similar_candidates(hd_store *st, const hd_profile *p, int other_lang, int k,
                          hd_candidate *out);

/* The profile of stored article `id` (full id), through the cache `c`
** (which owns it); NULL with *rc set on failure. */
const hd_profile *hd_similar_profile(hd_engine *e, hd_simcache *c, const char *id, int *rc);

/* Index the just-stored `d` and link it to the stored articles in other
** languages it translates or that translate it.  Returns the number of
** links written, or an error. */
int hd_similar_link_translations(hd_engine *e, hd_simcache *c, const hd_doc *d);

#endif
