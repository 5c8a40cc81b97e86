/*
** doc.h -- internal helpers on hd_doc (the public struct is in herald.h).
*/
#ifndef HD_DOC_H
#define HD_DOC_H

#include "arena.h"
#include "herald.h"

/* The doc and its arena in one allocation. */
typedef struct hd_doc_box {
    hd_doc doc;
    hd_arena arena;
} hd_doc_box;

/* Format a Unix time as "YYYY-MM-DDTHH:MM:SSZ" into `out` (>= 21 bytes). */
void hd_time_format(int64_t t, char *out, size_t cap);

/* Parse an ISO 8601 / RFC 3339 date or date-time ("2022-01-08",
** "2022-01-08T10:00:00+01:00", "2022-01-08 10:00"), or an integer Unix
** time.  Returns HD_OK and sets *t (UTC), or HD_EPARSE. */
int hd_time_parse(const char *s, size_t len, int64_t *t);

/* The article's facts as a JSON object with arrays "entities", "quotes",
** "quantities" and "dates" (doc_facts.c); a new reference, NULL when out of
** memory.  The caller json_decref()s it. */
struct json_t;
struct json_t *hd_doc_facts_json(const hd_doc *d);

/* Render a JSON value compactly (4 significant digits for reals) into a
** NUL-terminated string the caller frees with hd_free.  HD_OK or HD_ENOMEM. */
int hd_json_dump(const struct json_t *v, char **out, size_t *len);

/* Restore facts from that JSON into `d` (text already loaded): spans are
** checked against the text.  Returns HD_OK, HD_EPARSE or HD_ENOMEM. */
int hd_doc_facts_load(hd_doc *d, const char *json, size_t len);

#endif
