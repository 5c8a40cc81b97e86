/*
** fetch.h -- fetching pages and feeds over HTTP(S) (fetch.c), and what it
** needs from the engine (engine.c).
**
** An engine owns at most one fetcher, created by the first hd_engine_fetch
** and kept until hd_engine_free: what it learns about hosts (robots.txt
** verdicts for a day, when each host may be asked next) outlives one call,
** so `herald watch` stays polite from one pass to the next.
*/
#ifndef HD_FETCH_H
#define HD_FETCH_H

#include <stdint.h>
#include <sys/socket.h>

#include "herald.h"

#define HD_FETCH_JOBS_MAX 10000   /* requests queued in one call, at most */
#define HD_CRAWL_DELAY_MAX 300.0  /* a larger Crawl-delay is taken as this */

typedef struct hd_fetcher hd_fetcher;

/* A fetcher for engine `e` (which must have a store).  NULL when out of
** memory or libcurl cannot start. */
hd_fetcher *hd_fetcher_new(hd_engine *e);
void hd_fetcher_free(hd_fetcher *f);

/* hd_engine_fetch's work (see herald.h). */
int hd_fetcher_run(hd_fetcher *f, const char *const *urls, size_t n,
                   const hd_fetch_options *o, hd_fetch_stats *st);

/* 1 when `sa` (AF_INET or AF_INET6) is a public unicast address; 0 for
** loopback, private, link-local, multicast, documentation and other
** special-purpose ranges, and for IPv6 forms that embed such an IPv4
** address (mapped, NAT64, 6to4). */
int hd_addr_public(const struct sockaddr *sa);

/*---- the engine's side (engine.c) ----*/

/* A unit of ingest is what one file is to hd_engine_ingest: articles from
** one source stored in one transaction.  hd_engine_unit_doc and
** hd_engine_unit_problem are a reader's callbacks (ud = the unit); the
** unit counts into `st`.  end commits (or rolls back, when `ok` is 0 or
** the store failed), frees the unit and returns HD_OK or the error that
** should stop the run.  begin returns NULL with *rc set when the store
** cannot begin. */
typedef struct hd_unit hd_unit;
hd_unit *hd_engine_unit_begin(hd_engine *e, hd_ingest_stats *st, int *rc);
int hd_engine_unit_doc(void *unit, hd_doc *d);
void hd_engine_unit_problem(void *unit, const char *source, uint32_t line, int code,
                            const char *msg);
int hd_engine_unit_end(hd_unit *u, int ok);

/* Report a problem with `source` through the engine's on_problem. */
void hd_engine_report(hd_engine *e, const char *source, int code, const char *msg);

#endif
