/*
** robots.h -- robots.txt (RFC 9309): which paths of a host a crawler may
** fetch, and how long it should wait between requests.
**
** A parsed robots.txt keeps only what applies to one crawler: the rules of
** the groups naming its product token (case-insensitive), else those of
** the "*" groups, else none.  Matching is by the longest pattern ('*'
** matches any run of characters, a final '$' anchors at the end); Allow
** wins a tie; /robots.txt itself is always allowed.  Input is untrusted
** and bounded: at most HD_ROBOTS_MAX bytes are read, patterns longer than
** HD_ROBOTS_PATTERN_MAX and rules past HD_ROBOTS_RULES_MAX are dropped.
*/
#ifndef HD_ROBOTS_H
#define HD_ROBOTS_H

#include <stddef.h>

#define HD_ROBOTS_MAX (500u << 10)      /* bytes of robots.txt read (RFC 9309) */
#define HD_ROBOTS_PATTERN_MAX 2048      /* bytes of one Allow/Disallow value */
#define HD_ROBOTS_RULES_MAX 4096        /* rules kept */

typedef struct hd_robots hd_robots;

/* Parse `len` bytes of robots.txt for the crawler whose product token is
** `agent` (e.g. "herald").  NULL when out of memory.  Free with
** hd_robots_free. */
hd_robots *hd_robots_parse(const char *txt, size_t len, const char *agent);

/* A verdict for a whole host: everything allowed (no robots.txt, a 4xx
** answer) or nothing (robots.txt unreachable, a 5xx answer).  NULL when
** out of memory. */
hd_robots *hd_robots_all(int allow);

void hd_robots_free(hd_robots *rb);

/* 1 when `path` (a URL's path and query, starting with '/') may be
** fetched, else 0. */
int hd_robots_allowed(const hd_robots *rb, const char *path);

/* The Crawl-delay of the group that applies, in seconds; 0 when none. */
double hd_robots_delay(const hd_robots *rb);

/* Number of rules kept (for tests). */
size_t hd_robots_count(const hd_robots *rb);

#endif
