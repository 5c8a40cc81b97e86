/*
** compare.h -- what the library's own modules use of compare.c beyond the
** public API in herald.h.
*/
#ifndef HD_COMPARE_H
#define HD_COMPARE_H

#include "dict.h"
#include "herald.h"

/* A profile whose concept vector comes from `dict` (may be NULL: no
** concepts; that is what hd_profile_new does). */
hd_profile *hd_profile_build(const hd_doc *d, const hd_dict *dict, hd_err *err);

/* The profile's anchors: its language-independent terms worth indexing
** (entities, places, names, numbers, days, meanings) and its most frequent
** words, at most `max`.  Returns how many were written to `out`. */
int hd_profile_anchors(const hd_profile *p, uint64_t *out, int max);

/* The article's publication time, or HD_TIME_UNKNOWN. */
int64_t hd_profile_published(const hd_profile *p);

/* The kinds of term vectors in a profile (see compare.c). */
enum {
    HD_PV_WORD, HD_PV_GRAM, HD_PV_NAME, HD_PV_ENT, HD_PV_PLACE, HD_PV_COUNTRY, HD_PV_NUM,
    HD_PV_DAY, HD_PV_MONTH, HD_PV_YEAR, HD_PV_CONCEPT, HD_PV_N
};

/* One term of a vector: a 64-bit key (hashed with its kind) and a weight. */
typedef struct hd_term {
    uint64_t key;
    float w;
} hd_term;

/* Vector `kind` (HD_PV_*) of `p`: *n terms sorted by key, owned by `p`. */
const hd_term *hd_profile_vec(const hd_profile *p, int kind, uint32_t *n);

/* For benchmarks that scale a stream up from real articles: a copy of `p`
** with id `id` whose terms are renamed, each kind alike: a share `share`
** of them by `event` (copies with one event share the new names) and a
** share `noise` by `salt` (names no other copy has).  No text, sentences
** or labels.  NULL when out of memory. */
hd_profile *hd_profile_perturb(const hd_profile *p, const char *id, uint64_t event, double share,
                               uint64_t salt, double noise);

/* Translation links need at least this score (bench/similarity.sh). */
#define HD_TRANSLATION_MIN 0.25

#endif
