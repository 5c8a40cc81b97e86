/*
** story.h -- online clustering of the article stream into stories
** (story.c).
*/
#ifndef HD_STORY_H
#define HD_STORY_H

#include "herald.h"
#include "store.h"

typedef struct hd_stories hd_stories;

/* The clustering state of a store: its parameters (kept in the store),
** its term counts, a cache of story summaries, and the model read from
** `datadir` (NULL: hd_data_dir()).  NULL with `err` set on failure. */
hd_stories *hd_stories_open(hd_store *st, const char *datadir, hd_err *err);
void hd_stories_free(hd_stories *s);

const hd_story_params *hd_stories_params(const hd_stories *s);

/* Put the stored article whose profile is `p` and whose stream time is `t`
** (Unix seconds) into a story: the most similar open story when it is
** similar enough, else a new one.  Sets *story.  Returns HD_OK or an
** error (the store's message in hd_store_errmsg). */
int hd_stories_add(hd_stories *s, const hd_profile *p, int64_t t, int64_t *story);

/* hd_stories_add with the choice made by the caller: `force` 0 starts a
** new story, a story id joins that story, -1 lets the stories choose.
** For benchmarks that replay a gold grouping. */
int hd_stories_add_as(hd_stories *s, const hd_profile *p, int64_t t, int64_t force,
                      int64_t *story);

/* Called with the features of every (article, open candidate story) pair
** considered (benchmarks fit the model on them); NULL: none. */
typedef void (*hd_story_trace_fn)(void *ud, const char *article, int64_t story,
                                  const double *f, int n);
void hd_stories_trace(hd_stories *s, hd_story_trace_fn fn, void *ud);

/* Write the term counts and parameters to the store (inside the caller's
** transaction, if any). */
int hd_stories_save(hd_stories *s);

/* Forget every story and term count and take parameters `p` (NULL: keep
** the current ones), ready to group the stream again from its start. */
int hd_stories_reset(hd_stories *s, const hd_story_params *p);

/* The stream time of an analysed or stored article: when it was
** published, else when it was stored. */
int64_t hd_story_time(const hd_doc *d);

#endif
