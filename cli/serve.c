/*
** serve.c -- herald serve: the HTTP API and the web page.
**
** libmicrohttpd parses HTTP and runs a small pool of worker threads; each
** worker lazily opens its own engine (an hd_store is used by one thread at
** a time; SQLite's WAL lets the readers run side by side) and frees it when
** the thread ends.  Uses only include/herald.h, jansson and microhttpd.
**
** Untrusted input is bounded at the edge: microhttpd refuses requests whose
** line and headers exceed the per-connection memory limit, the handler
** refuses long URLs and long or unknown query parameters with a 400 JSON
** error, and every value is validated before it reaches the library.  The
** web page is a fixed list of files read into memory at start-up, so no
** request path ever reaches the file system.
**
** The server is read-only unless a token is configured (--token-file or
** HERALD_TOKEN): then POST /api/articles with "Authorization: Bearer
** TOKEN" ingests the body (JSON, JSON Lines, HTML, text or a feed) through
** one writer engine, one request at a time.  The token is checked before
** the body is read, the body is capped, and the comparison takes the same
** time whatever the bytes.
*/
#define _XOPEN_SOURCE 700 /* strptime */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "herald.h"
#include "serve_guard.h"

#define URL_MAX 2048            /* bytes of a request path */
#define PARAM_MAX 200           /* bytes of one query value */
#define CONN_MEMORY (32u << 10) /* request line + headers per connection */
#define CONN_TIMEOUT 15         /* seconds of idleness before closing */
#define CONN_LIMIT 512
#define CONN_PER_IP 128        /* so that one slow or greedy client cannot take them all */
#define CONN_RESERVE 64        /* slots kept for new clients (serve_guard.c) */
#define SIMILAR_MAX 50
#define BODY_MAX (16u << 20)    /* bytes of a POST body */
#define BODY_INFLIGHT_MAX (48u << 20) /* bytes of all POST bodies held at once */
#define TOKEN_MIN 16            /* bytes of the shortest token accepted */
#define TOKEN_MAX 256
#define POST_ITEMS_MAX 10000    /* articles in one JSON array */
#define PROBLEMS_MAX 100        /* problems listed in an ingest answer */

/*---- configuration and per-thread engines ----*/

typedef struct web_file {
    const char *path; /* request path */
    const char *name; /* file in the static folder */
    const char *type;
    char *body;       /* malloc'ed; NULL when the file is missing */
    size_t len;
} web_file;

static web_file web_files[] = {
    {"/", "index.html", "text/html; charset=utf-8", NULL, 0},
    {"/index.html", "index.html", "text/html; charset=utf-8", NULL, 0},
    {"/app.js", "app.js", "text/javascript; charset=utf-8", NULL, 0},
    {"/style.css", "style.css", "text/css; charset=utf-8", NULL, 0},
    {"/map.js", "map.js", "text/javascript; charset=utf-8", NULL, 0},
    {"/world.svg", "world.svg", "image/svg+xml", NULL, 0},
};
#define N_WEB_FILES (sizeof web_files / sizeof web_files[0])

static const char *g_db;     /* database path */
static char g_token[TOKEN_MAX + 1]; /* empty: read-only */
static const char *g_cors;   /* an origin allowed to call the API; NULL: none */
static pthread_key_t g_key;  /* the worker's hd_engine */
static hd_compare_model *g_model; /* read-only after load; may be NULL */

static void engine_dtor(void *p) { hd_engine_free(p); }

/* This thread's engine, opened on first use; NULL (logged) on failure. */
static hd_engine *thread_engine(void) {
    hd_engine *e = pthread_getspecific(g_key);
    if (e) return e;
    hd_engine_config cfg = {0};
    cfg.db_path = g_db;
    hd_err err = {0};
    e = hd_engine_new(&cfg, &err);
    if (e == NULL) {
        fprintf(stderr, "herald: serve: %s\n", err.msg[0] ? err.msg : hd_strerror(err.code));
        return NULL;
    }
    if (pthread_setspecific(g_key, e) != 0) {
        hd_engine_free(e);
        return NULL;
    }
    return e;
}

/*---- responses ----*/

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status, const char *type,
                                const char *body, size_t len, enum MHD_ResponseMemoryMode mode) {
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, mode);
    if (r == NULL) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (strncmp(type, "text/html", 9) == 0)
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, "Allow", g_token[0] ? "GET, HEAD, POST" : "GET, HEAD");
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"herald\"");
    if (g_cors) {
        MHD_add_response_header(r, "Access-Control-Allow-Origin", g_cors);
        MHD_add_response_header(r, "Vary", "Origin");
        MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
        MHD_add_response_header(r, "Access-Control-Allow-Headers", "Authorization, Content-Type");
    }
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE) MHD_add_response_header(r, "Retry-After", "5");
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    guard_sending(c);
    return ok;
}

/* Send `body` (malloc'ed or hd_free'd JSON, NUL-terminated), then free it. */
static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, char *body) {
    if (body == NULL) return MHD_NO;
    enum MHD_Result ok = send_buf(c, status, "application/json", body, strlen(body),
                                  MHD_RESPMEM_MUST_COPY);
    hd_free(body);
    return ok;
}

/* A jansson value as the response; takes the reference. */
static enum MHD_Result send_jansson(struct MHD_Connection *c, unsigned status, json_t *v) {
    char *s = v ? json_dumps(v, JSON_COMPACT) : NULL;
    json_decref(v);
    if (s == NULL) return MHD_NO;
    enum MHD_Result ok =
        send_buf(c, status, "application/json", s, strlen(s), MHD_RESPMEM_MUST_COPY);
    free(s);
    return ok;
}

/* {"error": "..."} with `status`. */
__attribute__((format(printf, 3, 4))) static enum MHD_Result
send_error(struct MHD_Connection *c, unsigned status, const char *fmt, ...) {
    char msg[HD_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *o = json_pack("{s:s}", "error", msg);
    if (o == NULL) /* not UTF-8: say so without echoing it */
        o = json_pack("{s:s}", "error", "malformed request");
    return send_jansson(c, status, o);
}

/* The HTTP status of a library error. */
static unsigned status_of(int rc) {
    return rc == HD_ENOTFOUND ? MHD_HTTP_NOT_FOUND
           : rc == HD_EINVAL  ? MHD_HTTP_BAD_REQUEST
                              : MHD_HTTP_INTERNAL_SERVER_ERROR;
}

static enum MHD_Result send_lib_error(struct MHD_Connection *c, int rc, const hd_err *err) {
    return send_error(c, status_of(rc), "%s", err && err->msg[0] ? err->msg : hd_strerror(rc));
}

/*---- query parameters ----*/

/* The names a route accepts, NULL-terminated; checked by check_params. */
typedef struct params {
    const char *const *allowed;
    char bad[64]; /* the first unknown or oversized parameter */
    int too_long;
} params;

static enum MHD_Result check_one(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value) {
    (void)kind;
    params *p = cls;
    int known = 0;
    for (const char *const *a = p->allowed; *a; a++)
        if (strcmp(*a, key) == 0) known = 1;
    if (!known || (value && strlen(value) > PARAM_MAX)) {
        /* The name goes back in the message: printable ASCII only. */
        size_t n = 0;
        for (const char *k = key; *k && n < 40; k++)
            p->bad[n++] = *k >= 0x20 && *k < 0x7f ? *k : '?';
        p->bad[n] = 0;
        p->too_long = known;
        return MHD_NO;
    }
    return MHD_YES;
}

/* Refuse unknown or oversized query parameters: 0 if all are fine, else an
** error response has been queued and *res holds its result. */
static int check_params(struct MHD_Connection *c, const char *const *allowed,
                        enum MHD_Result *res) {
    params p = {allowed, "", 0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, check_one, &p);
    if (p.bad[0] == 0) return 0;
    if (p.too_long)
        *res = send_error(c, MHD_HTTP_BAD_REQUEST, "parameter '%s' is longer than %d bytes",
                          p.bad, PARAM_MAX);
    else *res = send_error(c, MHD_HTTP_BAD_REQUEST, "unknown parameter '%s'", p.bad);
    return 1;
}

static const char *arg(struct MHD_Connection *c, const char *name) {
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

/* A language code: 2 to 8 of [a-z-]. */
static int valid_lang(const char *s) {
    size_t n = strlen(s);
    if (n < 2 || n > 8) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || *s == '-')) return 0;
    return 1;
}

/* An article key (id, id prefix or ext_id): 1 to 128 of [A-Za-z0-9_.:-]. */
static int valid_key(const char *s) {
    size_t n = strlen(s);
    if (n < 1 || n > 128) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.' || *s == ':'))
            return 0;
    return 1;
}

/* A decimal integer in [lo, hi] into *out; 0 when `s` is not one. */
static int parse_int(const char *s, long long lo, long long hi, long long *out) {
    if (s == NULL || *s == 0 || strlen(s) > 18) return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno || v < lo || v > hi) return 0;
    *out = v;
    return 1;
}

/* YYYY-MM-DD as Unix seconds (UTC), the day's last second when `end`. */
static int parse_day(const char *s, int end, int64_t *out) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (strlen(s) != 10) return 0;
    const char *rest = strptime(s, "%Y-%m-%d", &tm);
    if (rest == NULL || *rest) return 0;
    *out = (int64_t)timegm(&tm) + (end ? 86399 : 0);
    return 1;
}

/*---- routes ----*/

static enum MHD_Result api_stories(struct MHD_Connection *c, hd_engine *e) {
    static const char *const allowed[] = {"lang",  "entity", "place",  "q",          "since",
                                          "until", "latest", "limit",  "offset",     "title_lang",
                                          NULL};
    enum MHD_Result res;
    if (check_params(c, allowed, &res)) return res;
    hd_story_query q = {0};
    const char *v;
    long long n;
    if ((v = arg(c, "lang")) && !valid_lang(v))
        return send_error(c, MHD_HTTP_BAD_REQUEST, "lang must be a language code such as 'en'");
    q.lang = v;
    if ((v = arg(c, "title_lang")) && !valid_lang(v))
        return send_error(c, MHD_HTTP_BAD_REQUEST, "title_lang must be a language code");
    q.title_lang = v ? v : q.lang;
    q.entity = arg(c, "entity");
    q.place = arg(c, "place");
    q.text = arg(c, "q");
    if ((v = arg(c, "since")) && !parse_day(v, 0, &q.since))
        return send_error(c, MHD_HTTP_BAD_REQUEST, "since must be a day, YYYY-MM-DD");
    if ((v = arg(c, "until")) && !parse_day(v, 1, &q.until))
        return send_error(c, MHD_HTTP_BAD_REQUEST, "until must be a day, YYYY-MM-DD");
    if ((v = arg(c, "latest"))) {
        if (!parse_int(v, 0, 1, &n)) return send_error(c, MHD_HTTP_BAD_REQUEST, "latest must be 0 or 1");
        q.latest = (int)n;
    }
    if ((v = arg(c, "limit"))) {
        if (!parse_int(v, 1, 500, &n))
            return send_error(c, MHD_HTTP_BAD_REQUEST, "limit must be 1 to 500");
        q.limit = (int)n;
    }
    if ((v = arg(c, "offset"))) {
        if (!parse_int(v, 0, 1000000, &n))
            return send_error(c, MHD_HTTP_BAD_REQUEST, "offset must be 0 to 1000000");
        q.offset = (int)n;
    }
    char *out = NULL;
    hd_err err = {0};
    int rc = hd_engine_stories_json(e, &q, &out, &err);
    if (rc != HD_OK) return send_lib_error(c, rc, &err);
    return send_json(c, MHD_HTTP_OK, out);
}

/* /api/search?q=&lang=&limit=&offset=: full-text search over articles. */
static enum MHD_Result api_search(struct MHD_Connection *c, hd_engine *e) {
    static const char *const allowed[] = {"q", "lang", "limit", "offset", NULL};
    enum MHD_Result res;
    if (check_params(c, allowed, &res)) return res;
    const char *v, *q = arg(c, "q"), *lang = arg(c, "lang");
    long long n;
    int limit = 20, offset = 0;
    if (q == NULL) return send_error(c, MHD_HTTP_BAD_REQUEST, "q is required");
    if (lang && !valid_lang(lang))
        return send_error(c, MHD_HTTP_BAD_REQUEST, "lang must be a language code such as 'en'");
    if ((v = arg(c, "limit"))) {
        if (!parse_int(v, 1, 500, &n))
            return send_error(c, MHD_HTTP_BAD_REQUEST, "limit must be 1 to 500");
        limit = (int)n;
    }
    if ((v = arg(c, "offset"))) {
        if (!parse_int(v, 0, 1000000, &n))
            return send_error(c, MHD_HTTP_BAD_REQUEST, "offset must be 0 to 1000000");
        offset = (int)n;
    }
    char *out = NULL;
    hd_err err = {0};
    int rc = hd_engine_search_json(e, q, lang, limit, offset, &out, &err);
    if (rc != HD_OK) return send_lib_error(c, rc, &err);
    return send_json(c, MHD_HTTP_OK, out);
}

static enum MHD_Result api_story(struct MHD_Connection *c, hd_engine *e, const char *id) {
    static const char *const allowed[] = {"lang", NULL};
    enum MHD_Result res;
    if (check_params(c, allowed, &res)) return res;
    long long n;
    if (!parse_int(id, 1, 0x7fffffffLL, &n))
        return send_error(c, MHD_HTTP_BAD_REQUEST, "a story id is a positive integer");
    const char *lang = arg(c, "lang");
    if (lang && !valid_lang(lang))
        return send_error(c, MHD_HTTP_BAD_REQUEST, "lang must be a language code such as 'en'");
    char *out = NULL;
    hd_err err = {0};
    int rc = hd_engine_story_json(e, (int64_t)n, lang, &out, &err);
    if (rc != HD_OK) return send_lib_error(c, rc, &err);
    return send_json(c, MHD_HTTP_OK, out);
}

static int add_link(void *ud, const hd_link *l) {
    json_t *o = json_pack("{s:s,s:s,s:s,s:f}", "a", l->a, "b", l->b, "kind", l->kind ? l->kind : "",
                          "score", l->score);
    if (o && l->first[0]) json_object_set_new(o, "first", json_string(l->first));
    return o && json_array_append_new(ud, o) == 0 ? 0 : HD_ENOMEM;
}

/* A stored article with text, its links and its entity mentions. */
static enum MHD_Result api_article(struct MHD_Connection *c, hd_engine *e, const char *key) {
    static const char *const allowed[] = {NULL};
    enum MHD_Result res;
    if (check_params(c, allowed, &res)) return res;
    if (!valid_key(key)) return send_error(c, MHD_HTTP_BAD_REQUEST, "malformed article id");
    hd_store *st = hd_engine_store(e);
    hd_doc *d = hd_doc_new(0);
    if (d == NULL) return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    int rc = hd_store_get(st, key, d);
    if (rc != HD_OK) {
        hd_doc_free(d);
        if (rc == HD_ENOTFOUND) return send_error(c, MHD_HTTP_NOT_FOUND, "no article '%s'", key);
        if (rc == HD_EINVAL)
            return send_error(c, MHD_HTTP_BAD_REQUEST, "article id '%s' is ambiguous", key);
        return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "%s", hd_store_errmsg(st));
    }
    char *doc = NULL, *ents = NULL;
    size_t len;
    json_t *links = json_array();
    rc = hd_doc_json(d, 1, &doc, &len);
    if (rc == HD_OK) rc = hd_doc_entities_json(d, &ents, &len);
    if (rc == HD_OK && links) rc = hd_store_links_of(st, d->id, add_link, links);
    json_t *o = NULL;
    if (rc >= 0 && links) {
        o = json_loads(doc, 0, NULL);
        json_t *ej = json_loads(ents, 0, NULL);
        if (o && ej) {
            json_object_set_new(o, "entities", ej);
            json_object_set(o, "links", links);
        } else {
            json_decref(ej);
            json_decref(o);
            o = NULL;
        }
    }
    hd_free(doc);
    hd_free(ents);
    hd_doc_free(d);
    json_decref(links);
    if (o == NULL) return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "%s", hd_strerror(rc < 0 ? rc : HD_ENOMEM));
    return send_jansson(c, MHD_HTTP_OK, o);
}

static enum MHD_Result api_similar(struct MHD_Connection *c, hd_engine *e, const char *key) {
    static const char *const allowed[] = {"k", NULL};
    enum MHD_Result res;
    if (check_params(c, allowed, &res)) return res;
    if (!valid_key(key)) return send_error(c, MHD_HTTP_BAD_REQUEST, "malformed article id");
    long long k = 10;
    const char *v = arg(c, "k");
    if (v && !parse_int(v, 1, SIMILAR_MAX, &k))
        return send_error(c, MHD_HTTP_BAD_REQUEST, "k must be 1 to %d", SIMILAR_MAX);
    hd_similar_hit hits[SIMILAR_MAX];
    hd_err err = {0};
    int n = hd_engine_similar(e, key, (int)k, hits, &err);
    if (n < 0) return send_lib_error(c, n, &err);
    /* With each hit's title, so that a list of them can be read. */
    json_t *a = json_array();
    hd_doc *d = hd_doc_new(0);
    for (int i = 0; a && i < n; i++) {
        json_t *o = json_pack("{s:s,s:s,s:f,s:f}", "id", hits[i].id, "lang", hits[i].lang,
                              "overall", hits[i].overall, "translation", hits[i].translation);
        if (o && d && hd_store_get(hd_engine_store(e), hits[i].id, d) == HD_OK)
            json_object_set_new(o, "title", json_stringn(d->title.ptr ? d->title.ptr : "",
                                                         d->title.len));
        json_array_append_new(a, o);
    }
    hd_doc_free(d);
    return send_jansson(c, MHD_HTTP_OK, a);
}

/* The profile of stored article `key`; NULL with *rc set on failure. */
static hd_profile *stored_profile(hd_engine *e, const char *key, int *rc, hd_err *err) {
    hd_doc *d = hd_doc_new(0);
    *rc = d ? hd_store_get(hd_engine_store(e), key, d) : HD_ENOMEM;
    if (*rc == HD_OK) *rc = hd_segment_run(d, err);
    hd_profile *p = *rc == HD_OK ? hd_engine_profile(e, d, err) : NULL;
    if (*rc == HD_OK && p == NULL) *rc = err->code ? err->code : HD_ENOMEM;
    hd_doc_free(d);
    return p;
}

/* Bytes [start, end) of `text` as a JSON string, at most PASSAGE_MAX
** bytes, cut back to a character boundary; null when out of range. */
#define PASSAGE_MAX 600
static json_t *passage(hd_str text, uint32_t start, uint32_t end) {
    if (text.ptr == NULL || start >= end || end > text.len) return json_null();
    size_t n = end - start;
    if (n > PASSAGE_MAX) {
        n = PASSAGE_MAX;
        while (n > 0 && ((unsigned char)text.ptr[start + n] & 0xC0) == 0x80) n--;
    }
    json_t *v = json_stringn(text.ptr + start, n);
    return v ? v : json_null();
}

static enum MHD_Result api_compare(struct MHD_Connection *c, hd_engine *e) {
    static const char *const allowed[] = {"a", "b", NULL};
    enum MHD_Result res;
    if (check_params(c, allowed, &res)) return res;
    const char *ka = arg(c, "a"), *kb = arg(c, "b");
    if (ka == NULL || kb == NULL || !valid_key(ka) || !valid_key(kb))
        return send_error(c, MHD_HTTP_BAD_REQUEST, "compare needs article ids a and b");
    if (g_model == NULL)
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the comparison model is not loaded");
    hd_store *st = hd_engine_store(e);
    /* Both articles from one snapshot; a read takes no write lock, so an
    ** ingest elsewhere neither waits for the comparison nor stalls it. */
    hd_store_begin_read(st);
    hd_err err = {0};
    int rc;
    const char *which = ka;
    hd_profile *a = stored_profile(e, ka, &rc, &err), *b = NULL;
    if (a) {
        which = kb;
        b = stored_profile(e, kb, &rc, &err);
    }
    hd_comparison cmp;
    json_t *o = NULL;
    if (a && b && hd_compare(g_model, NULL, a, b, &cmp) == HD_OK) {
        json_t *dims = json_object();
        for (int i = 0; i < HD_DIM_COUNT; i++)
            json_object_set_new(dims, hd_dim_name(i), json_real(cmp.dim[i]));
        static const char *const kinds[] = {"?", "entity", "place", "date", "number", "passage"};
        json_t *ev = json_array();
        for (int i = 0; i < cmp.n_ev; i++) {
            const hd_evidence *x = &cmp.ev[i];
            json_t *one = json_pack("{s:s,s:s,s:f}", "kind",
                                    x->kind >= HD_EV_ENTITY && x->kind <= HD_EV_PASSAGE
                                        ? kinds[x->kind]
                                        : kinds[0],
                                    "label", x->label ? x->label : "", "score", x->score);
            if (one && x->kind == HD_EV_PASSAGE) {
                json_object_set_new(one, "a_text", passage(hd_profile_text(a), x->a_start, x->a_end));
                json_object_set_new(one, "b_text", passage(hd_profile_text(b), x->b_start, x->b_end));
            }
            json_array_append_new(ev, one);
        }
        o = json_pack("{s:s,s:s,s:o,s:f,s:o}", "a", hd_profile_id(a), "b", hd_profile_id(b),
                      "dimensions", dims, "translation", cmp.translation, "evidence", ev);
    }
    hd_profile_free(a);
    hd_profile_free(b);
    hd_store_rollback(st);
    if (o) return send_jansson(c, MHD_HTTP_OK, o);
    if (rc == HD_ENOTFOUND) return send_error(c, MHD_HTTP_NOT_FOUND, "no article '%s'", which);
    if (rc == HD_EINVAL)
        return send_error(c, MHD_HTTP_BAD_REQUEST, "article id '%s' is ambiguous", which);
    return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "%s",
                      err.msg[0] ? err.msg : hd_strerror(rc ? rc : HD_ENOMEM));
}

/* /api/entities?q=&type=&lang=&limit=&offset=: a page of entities, most
** articles first.  ?id= keeps the older answer: the entities whose id
** starts so, in full. */
static enum MHD_Result api_entities(struct MHD_Connection *c, hd_engine *e) {
    static const char *const allowed[] = {"id", "q", "type", "lang", "limit", "offset", NULL};
    enum MHD_Result res;
    if (check_params(c, allowed, &res)) return res;
    const char *id = arg(c, "id"), *v;
    char *out = NULL;
    if (id) {
        if (!valid_key(id)) return send_error(c, MHD_HTTP_BAD_REQUEST, "malformed entity id");
        int rc = hd_store_entities_json(hd_engine_store(e), id, &out);
        if (rc != HD_OK) return send_error(c, status_of(rc), "%s", hd_strerror(rc));
        if (strcmp(out, "[]") == 0) {
            hd_free(out);
            return send_error(c, MHD_HTTP_NOT_FOUND, "no entity '%s'", id);
        }
        return send_json(c, MHD_HTTP_OK, out);
    }
    hd_entity_query q = {0};
    long long n;
    q.text = arg(c, "q");
    if ((v = arg(c, "type"))) {
        if (strcasecmp(v, "PER") && strcasecmp(v, "ORG") && strcasecmp(v, "LOC") &&
            strcasecmp(v, "MISC"))
            return send_error(c, MHD_HTTP_BAD_REQUEST, "type must be PER, ORG, LOC or MISC");
        q.type = v;
    }
    if ((v = arg(c, "lang")) && !valid_lang(v))
        return send_error(c, MHD_HTTP_BAD_REQUEST, "lang must be a language code such as 'en'");
    q.lang = v;
    if ((v = arg(c, "limit"))) {
        if (!parse_int(v, 1, 500, &n))
            return send_error(c, MHD_HTTP_BAD_REQUEST, "limit must be 1 to 500");
        q.limit = (int)n;
    }
    if ((v = arg(c, "offset"))) {
        if (!parse_int(v, 0, 1000000, &n))
            return send_error(c, MHD_HTTP_BAD_REQUEST, "offset must be 0 to 1000000");
        q.offset = (int)n;
    }
    hd_err err = {0};
    int rc = hd_engine_entities_json(e, &q, &out, &err);
    if (rc != HD_OK) return send_lib_error(c, rc, &err);
    return send_json(c, MHD_HTTP_OK, out);
}

/* /api/entities/{id}: one entity, its spellings by language, its stories. */
static enum MHD_Result api_entity(struct MHD_Connection *c, hd_engine *e, const char *id) {
    static const char *const allowed[] = {NULL};
    enum MHD_Result res;
    if (check_params(c, allowed, &res)) return res;
    if (!valid_key(id)) return send_error(c, MHD_HTTP_BAD_REQUEST, "malformed entity id");
    char *out = NULL;
    hd_err err = {0};
    int rc = hd_engine_entity_json(e, id, &out, &err);
    if (rc != HD_OK) return send_lib_error(c, rc, &err);
    return send_json(c, MHD_HTTP_OK, out);
}

/* /api/status: how much is stored, for pages that follow the database
** (they ask again when `version` changes), and whether ingest is open. */
static enum MHD_Result api_status(struct MHD_Connection *c, hd_engine *e) {
    static const char *const allowed[] = {NULL};
    enum MHD_Result res;
    if (check_params(c, allowed, &res)) return res;
    hd_store *st = hd_engine_store(e);
    int64_t articles = hd_store_count(st), stories = hd_store_story_max(st);
    if (articles < 0 || stories < 0)
        return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "%s", hd_store_errmsg(st));
    char version[48];
    snprintf(version, sizeof version, "%lld.%lld", (long long)articles, (long long)stories);
    return send_jansson(c, MHD_HTTP_OK,
                        json_pack("{s:I,s:I,s:s,s:b}", "articles", (json_int_t)articles,
                                  "stories", (json_int_t)stories, "version", version,
                                  "ingest", g_token[0] != 0));
}

/*---- ingest: POST /api/articles ----*/

/* One POST's body as it arrives; freed when the request completes. */
typedef struct post_body {
    char *buf;
    size_t len, cap;
    size_t held;  /* bytes counted in g_inflight for this body */
    int too_big;
    int too_busy; /* the bodies in flight would pass BODY_INFLIGHT_MAX */
    hd_format fmt;
    int json_doc; /* one JSON document (object or array): read as JSON Lines */
    char source[PARAM_MAX + 16];
} post_body;

/* Bytes of POST bodies held now, at most BODY_INFLIGHT_MAX: a few large
** uploads at once are answered 503 instead of growing the server. */
static pthread_mutex_t g_inflight_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t g_inflight;

/* Count `n` more bytes for `u`; 0 when over the budget (nothing counted). */
static int inflight_take(post_body *u, size_t n) {
    int ok;
    pthread_mutex_lock(&g_inflight_lock);
    ok = g_inflight + n <= BODY_INFLIGHT_MAX;
    if (ok) {
        g_inflight += n;
        u->held += n;
    }
    pthread_mutex_unlock(&g_inflight_lock);
    return ok;
}

static void inflight_release(post_body *u) {
    pthread_mutex_lock(&g_inflight_lock);
    g_inflight -= u->held;
    pthread_mutex_unlock(&g_inflight_lock);
    u->held = 0;
}

/* What the writer engine reports during one ingest (under g_write_lock). */
typedef struct ingest_log {
    json_t *articles, *problems;
    size_t dropped; /* problems beyond PROBLEMS_MAX */
} ingest_log;

static pthread_mutex_t g_write_lock = PTHREAD_MUTEX_INITIALIZER;
static hd_engine *g_writer;       /* opened on the first POST */
static ingest_log *g_log;         /* the request being ingested */

static int writer_doc(void *ud, hd_doc *d) {
    (void)ud;
    if (g_log == NULL) return 0;
    const char *lang = d->n_lang > 0 ? d->lang[0].code : "und";
    json_t *o = json_pack("{s:s,s:s,s:s%}", "id", d->id, "lang", lang, "title",
                          d->title.ptr ? d->title.ptr : "", d->title.len);
    if (o == NULL) return 0; /* not UTF-8 cannot happen after normalisation */
    if (d->story > 0) json_object_set_new(o, "story", json_integer((json_int_t)d->story));
    json_array_append_new(g_log->articles, o);
    return 0;
}

static void writer_problem(void *ud, const char *source, uint32_t line, int code,
                           const char *msg) {
    (void)ud, (void)code;
    if (g_log == NULL) return;
    if (json_array_size(g_log->problems) >= PROBLEMS_MAX) {
        g_log->dropped++;
        return;
    }
    json_t *o = json_pack("{s:s,s:I,s:s}", "source", source, "line", (json_int_t)line,
                          "message", msg);
    if (o) json_array_append_new(g_log->problems, o);
}

/* Bytes equal, in time that depends on the lengths only. */
static int same_secret(const char *a, size_t alen, const char *b, size_t blen) {
    unsigned char diff = alen != blen;
    for (size_t i = 0; i < alen && i < blen; i++) diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

static int authorised(struct MHD_Connection *c) {
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0) return 0;
    h += 7;
    while (*h == ' ') h++;
    size_t n = strlen(h);
    while (n > 0 && h[n - 1] == ' ') n--;
    return same_secret(h, n, g_token, strlen(g_token));
}

/* The reader for a Content-Type, and whether the body is one JSON
** document (*json_doc); -1 when herald does not read it. */
static int format_of(const char *ct, int *json_doc) {
    if (ct == NULL) return -1;
    size_t n = strcspn(ct, ";");
    while (n > 0 && ct[n - 1] == ' ') n--;
    static const struct {
        const char *type;
        hd_format fmt;
        int json_doc;
    } types[] = {
        {"application/json", HD_FMT_JSONL, 1},     {"application/x-ndjson", HD_FMT_JSONL, 0},
        {"application/jsonl", HD_FMT_JSONL, 0},    {"application/jsonlines", HD_FMT_JSONL, 0},
        {"text/html", HD_FMT_HTML, 0},             {"application/xhtml+xml", HD_FMT_HTML, 0},
        {"text/plain", HD_FMT_TEXT, 0},            {"application/rss+xml", HD_FMT_FEED, 0},
        {"application/atom+xml", HD_FMT_FEED, 0},  {"application/rdf+xml", HD_FMT_FEED, 0},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strlen(types[i].type) == n && strncasecmp(ct, types[i].type, n) == 0) {
            *json_doc = types[i].json_doc;
            return (int)types[i].fmt;
        }
    return -1;
}

/* The first call of a POST: everything that can be refused before the
** body is read.  0 when the body is wanted (state set), else 1 with a
** response queued in *res. */
static int post_begin(struct MHD_Connection *c, const char *url, void **state,
                      enum MHD_Result *res) {
    if (strcmp(url, "/api/articles") != 0) {
        *res = send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET is allowed here");
        return 1;
    }
    if (g_token[0] == 0) {
        *res = send_error(c, MHD_HTTP_FORBIDDEN,
                          "this server is read-only: start it with --token-file to allow ingest");
        return 1;
    }
    if (!authorised(c)) {
        *res = send_error(c, MHD_HTTP_UNAUTHORIZED, "ingest needs 'Authorization: Bearer TOKEN'");
        return 1;
    }
    static const char *const allowed[] = {"source", NULL};
    if (check_params(c, allowed, res)) return 1;
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    int json_doc = 0, fmt = format_of(ct, &json_doc);
    if (fmt < 0) {
        *res = send_error(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                          "Content-Type must be application/json, application/x-ndjson, "
                          "text/html, text/plain or a feed type");
        return 1;
    }
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    long long n;
    if (cl && (!parse_int(cl, 0, (long long)BODY_MAX, &n))) {
        *res = send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "the body is larger than %u bytes",
                          BODY_MAX);
        return 1;
    }
    const char *src = arg(c, "source");
    post_body *u = calloc(1, sizeof *u);
    if (u == NULL) {
        *res = send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return 1;
    }
    u->fmt = (hd_format)fmt;
    u->json_doc = json_doc;
    snprintf(u->source, sizeof u->source, "%s", src ? src : "api");
    /* A declared length is held at once, in one buffer of that size. */
    if (cl && n > 0) {
        if (!inflight_take(u, (size_t)n + 1)) {
            free(u);
            *res = send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
                              "the server is busy with other uploads: retry later");
            return 1;
        }
        if ((u->buf = malloc((size_t)n + 1)) == NULL) {
            inflight_release(u);
            free(u);
            *res = send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory: retry later");
            return 1;
        }
        u->cap = (size_t)n + 1;
    }
    *state = u;
    return 0;
}

static void post_take(post_body *u, const char *data, size_t n) {
    if (u->too_big || u->too_busy || n == 0) return;
    if (u->len + n > BODY_MAX) {
        u->too_big = 1;
        return;
    }
    if (u->len + n + 1 > u->cap) {
        /* A body without a declared length grows by doubling, each step
        ** counted against the budget of bodies in flight. */
        size_t cap = u->cap ? u->cap : 1 << 14;
        while (cap < u->len + n + 1) cap *= 2;
        if (cap > BODY_MAX + 1) cap = BODY_MAX + 1;
        if (!inflight_take(u, cap - u->cap)) {
            u->too_busy = 1;
            return;
        }
        char *b = realloc(u->buf, cap);
        if (b == NULL) {
            u->too_busy = 1;
            return;
        }
        u->buf = b;
        u->cap = cap;
    }
    memcpy(u->buf + u->len, data, n);
    u->len += n;
    u->buf[u->len] = '\0';
}

/* The end of the JSON value that starts at s[i] (an object or array),
** skipping strings; 0 when it does not end. */
static size_t json_value_end(const char *s, size_t i, size_t len) {
    int depth = 0, in_str = 0;
    for (; i < len; i++) {
        char ch = s[i];
        if (in_str) {
            if (ch == '\\') i++;
            else if (ch == '"') in_str = 0;
        } else if (ch == '"') {
            in_str = 1;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            if (--depth == 0) return i + 1;
        }
    }
    return 0;
}

static int json_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

/* A JSON body (one article object, or an array of them) turned into JSON
** Lines in place: each object becomes one line (a raw line break can only
** be whitespace between tokens in valid JSON, so it becomes a space), and
** the array's brackets and commas become line breaks.  No tree is built:
** the memory is the body's own, and each line is parsed, checked and
** bounded by the JSON Lines reader.  0 on success, else *why is set. */
static int json_to_lines(post_body *u, char *why, size_t whycap) {
    char *s = u->buf;
    size_t len = u->len, i = 0;
    if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        s[0] = s[1] = s[2] = ' ';
    while (i < len && json_space(s[i])) i++;
    int array = i < len && s[i] == '[';
    if (array) s[i++] = ' ';
    size_t items = 0;
    for (;;) {
        while (i < len && json_space(s[i])) i++;
        if (array && i < len && s[i] == ']' && items == 0) {
            s[i++] = ' ';
            break;
        }
        if (i >= len || s[i] != '{') {
            snprintf(why, whycap, "the body must be an article object or an array of 1 to %d "
                                  "article objects (byte %zu)", POST_ITEMS_MAX, i);
            return -1;
        }
        size_t end = json_value_end(s, i, len);
        if (end == 0) {
            snprintf(why, whycap, "the body is not JSON: an object that does not end (byte %zu)", i);
            return -1;
        }
        for (size_t k = i; k < end; k++)
            if (s[k] == '\n' || s[k] == '\r') s[k] = ' ';
        if (++items > POST_ITEMS_MAX) {
            snprintf(why, whycap, "more than %d articles in one body", POST_ITEMS_MAX);
            return -1;
        }
        i = end;
        if (!array) break;
        while (i < len && json_space(s[i])) i++;
        if (i < len && s[i] == ',') {
            s[i++] = '\n';
            continue;
        }
        if (i < len && s[i] == ']') {
            s[i++] = '\n';
            break;
        }
        snprintf(why, whycap, "the body is not JSON: ',' or ']' expected at byte %zu", i);
        return -1;
    }
    while (i < len && json_space(s[i])) i++;
    if (i < len) {
        snprintf(why, whycap, "the body is not JSON: more after the end at byte %zu", i);
        return -1;
    }
    if (items == 0) {
        snprintf(why, whycap, "the body must be an article object or an array of 1 to %d",
                 POST_ITEMS_MAX);
        return -1;
    }
    return 0;
}

static enum MHD_Result post_finish(struct MHD_Connection *c, post_body *u) {
    if (u->too_big)
        return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "the body is larger than %u bytes",
                          BODY_MAX);
    if (u->too_busy)
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
                          "the server is busy with other uploads: retry later");
    if (u->len == 0) return send_error(c, MHD_HTTP_BAD_REQUEST, "the body is empty");
    char why[256] = "";
    if (u->json_doc && json_to_lines(u, why, sizeof why) != 0)
        return send_error(c, MHD_HTTP_BAD_REQUEST, "%s", why);
    const char *body = u->buf;
    size_t len = u->len;
    ingest_log log = {json_array(), json_array(), 0};
    hd_ingest_stats stats = {0};
    hd_err err = {0};
    int rc = HD_OK;
    pthread_mutex_lock(&g_write_lock);
    if (g_writer == NULL) {
        hd_engine_config cfg = {0};
        cfg.db_path = g_db;
        cfg.on_doc = writer_doc;
        cfg.on_problem = writer_problem;
        g_writer = hd_engine_new(&cfg, &err);
        if (g_writer == NULL) rc = err.code ? err.code : HD_ENOMEM;
    }
    if (g_writer) {
        /* Other writers (herald ingest, another server) may have stored
        ** articles since the last request: start from the store. */
        hd_engine_forget(g_writer);
        g_log = &log;
        rc = hd_engine_ingest_buffer(g_writer, u->source, u->fmt, body, len, &stats);
        g_log = NULL;
    }
    pthread_mutex_unlock(&g_write_lock);
    if (rc != HD_OK) {
        json_decref(log.articles);
        json_decref(log.problems);
        return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "ingest failed, nothing stored: %s",
                          err.msg[0] ? err.msg : hd_strerror(rc));
    }
    json_t *o = json_pack("{s:I,s:I,s:I,s:o,s:o}", "stored", (json_int_t)stats.stored,
                          "existing", (json_int_t)stats.existing, "failed",
                          (json_int_t)stats.failed, "articles", log.articles, "problems",
                          log.problems);
    if (o && log.dropped) json_object_set_new(o, "problems_dropped", json_integer((json_int_t)log.dropped));
    return send_jansson(c, stats.stored > 0 ? MHD_HTTP_CREATED : MHD_HTTP_OK, o);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode why) {
    (void)cls, (void)c, (void)why;
    guard_done(c);
    post_body *u = *state;
    if (u == NULL) return;
    inflight_release(u);
    free(u->buf);
    free(u);
    *state = NULL;
}

/* "/api/NAME/REST": REST when the path starts with the prefix, else NULL. */
static const char *after(const char *url, const char *prefix) {
    size_t n = strlen(prefix);
    return strncmp(url, prefix, n) == 0 ? url + n : NULL;
}

static enum MHD_Result route(struct MHD_Connection *c, const char *url) {
    for (size_t i = 0; i < N_WEB_FILES; i++)
        if (strcmp(url, web_files[i].path) == 0) {
            if (web_files[i].body == NULL) break;
            return send_buf(c, MHD_HTTP_OK, web_files[i].type, web_files[i].body,
                            web_files[i].len, MHD_RESPMEM_PERSISTENT);
        }
    if (strncmp(url, "/api/", 5) != 0) return send_error(c, MHD_HTTP_NOT_FOUND, "not found");
    hd_engine *e = thread_engine();
    if (e == NULL) return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the database is not available");
    const char *rest;
    if (strcmp(url, "/api/stories") == 0) return api_stories(c, e);
    if (strcmp(url, "/api/search") == 0) return api_search(c, e);
    if ((rest = after(url, "/api/stories/")) && *rest) return api_story(c, e, rest);
    if ((rest = after(url, "/api/articles/")) && *rest) return api_article(c, e, rest);
    if (strcmp(url, "/api/entities") == 0) return api_entities(c, e);
    if ((rest = after(url, "/api/entities/")) && *rest) return api_entity(c, e, rest);
    if (strcmp(url, "/api/status") == 0) return api_status(c, e);
    if ((rest = after(url, "/api/similar/")) && *rest) return api_similar(c, e, rest);
    if (strcmp(url, "/api/compare") == 0) return api_compare(c, e);
    return send_error(c, MHD_HTTP_NOT_FOUND, "no such endpoint");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_len, void **state) {
    (void)cls, (void)version;
    /* A POST comes in several calls: headers, body pieces, the end. */
    if (*state != NULL) {
        if (*upload_len > 0) {
            guard_body(c, *upload_len);
            post_take(*state, upload, *upload_len);
            *upload_len = 0;
            return MHD_YES;
        }
        guard_busy(c);
        return post_finish(c, *state);
    }
    guard_request(c, strcmp(method, MHD_HTTP_METHOD_POST) == 0);
    if (strlen(url) > URL_MAX) return send_error(c, MHD_HTTP_URI_TOO_LONG, "URL too long");
    if (strcmp(method, MHD_HTTP_METHOD_POST) == 0) {
        enum MHD_Result res;
        return post_begin(c, url, state, &res) ? res : MHD_YES;
    }
    if (strcmp(method, MHD_HTTP_METHOD_OPTIONS) == 0 && g_cors)
        return send_buf(c, MHD_HTTP_NO_CONTENT, "text/plain", "", 0, MHD_RESPMEM_PERSISTENT);
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET is allowed");
    /* microhttpd has percent-decoded the path; '..' never names anything. */
    if (url[0] != '/' || strstr(url, "..") || strchr(url, '\\'))
        return send_error(c, MHD_HTTP_NOT_FOUND, "not found");
    return route(c, url);
}

/*---- start-up ----*/

/* Read the web page's files from `dir`; missing ones are left NULL. */
static int load_web(const char *dir) {
    int n = 0;
    for (size_t i = 0; i < N_WEB_FILES; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, web_files[i].name);
        FILE *f = fopen(path, "rb");
        if (f == NULL) continue;
        web_files[i].body = cli_slurp(f, 4u << 20, &web_files[i].len);
        fclose(f);
        if (web_files[i].body) n++;
    }
    return n;
}

static void log_mhd(void *cls, const char *fmt, va_list ap) {
    (void)cls;
    fputs("herald: serve: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* The token from `path` (its first line) or HERALD_TOKEN; 0 on success,
** else a usage message has been printed. */
static int load_token(const char *path) {
    const char *env = getenv("HERALD_TOKEN");
    char line[TOKEN_MAX + 2] = "";
    if (path) {
        FILE *f = fopen(path, "r");
        if (f == NULL) {
            fprintf(stderr, "herald: serve: cannot read the token file %s: %s\n", path,
                    strerror(errno));
            return -1;
        }
        if (fgets(line, sizeof line, f) == NULL) line[0] = 0;
        fclose(f);
    } else if (env && *env) {
        snprintf(line, sizeof line, "%s", env);
    } else {
        return 0; /* read-only */
    }
    size_t n = strcspn(line, "\r\n");
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t')) n--;
    line[n] = 0;
    if (n < TOKEN_MIN || n > TOKEN_MAX) {
        fprintf(stderr, "herald: serve: the token (%s) must be %d to %d bytes long\n",
                path ? path : "HERALD_TOKEN", TOKEN_MIN, TOKEN_MAX);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (line[i] <= ' ' || line[i] > '~') {
            fprintf(stderr, "herald: serve: the token (%s) must be printable ASCII without spaces\n",
                    path ? path : "HERALD_TOKEN");
            return -1;
        }
    memcpy(g_token, line, n + 1);
    return 0;
}

int cli_serve(int argc, char **argv, const char *db) {
    const char *bind_addr = "127.0.0.1", *web_dir = "web", *token_file = NULL;
    long long port = 8080, threads = 4;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--db") == 0 && v) db = v, i++;
        else if (strcmp(a, "--bind") == 0 && v) bind_addr = v, i++;
        else if (strcmp(a, "--static") == 0 && v) web_dir = v, i++;
        else if (strcmp(a, "--token-file") == 0 && v) token_file = v, i++;
        else if (strcmp(a, "--cors") == 0 && v) {
            if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8) && strcmp(v, "*"))
                cli_usage_error("--cors takes an origin such as https://example.org, not '%s'", v);
            g_cors = v, i++;
        }
        else if (strcmp(a, "--port") == 0 && v) {
            if (!parse_int(v, 0, 65535, &port))
                cli_usage_error("--port must be 0 to 65535, not '%s'", v);
            i++;
        } else if (strcmp(a, "--threads") == 0 && v) {
            if (!parse_int(v, 1, 64, &threads))
                cli_usage_error("--threads must be 1 to 64, not '%s'", v);
            i++;
        } else cli_usage_error("serve: unknown or incomplete argument '%s'", a);
    }
    if (load_token(token_file) != 0) return CLI_EXIT_USAGE;
    g_db = cli_db_path(db);
    if (access(g_db, R_OK) != 0) {
        fprintf(stderr, "herald: no database at %s (run 'herald ingest' first)\n", g_db);
        return CLI_EXIT_USAGE;
    }
    /* Open one engine now so a broken database fails at start, not later. */
    hd_engine_config cfg = {0};
    cfg.db_path = g_db;
    hd_err err = {0};
    hd_engine *probe = hd_engine_new(&cfg, &err);
    if (probe == NULL) {
        fprintf(stderr, "herald: %s\n", err.msg[0] ? err.msg : hd_strerror(err.code));
        return CLI_EXIT_USAGE;
    }
    hd_engine_free(probe);
    g_model = hd_compare_model_load(NULL, &err);
    if (load_web(web_dir) == 0)
        fprintf(stderr, "herald: serve: no web page in %s (the API still answers)\n", web_dir);

    /* An IPv4 or IPv6 address (::1, :: for all); names are not looked up. */
    struct sockaddr_in sa;
    struct sockaddr_in6 sa6;
    struct sockaddr *addr = (struct sockaddr *)&sa;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
    memset(&sa, 0, sizeof sa);
    memset(&sa6, 0, sizeof sa6);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa6.sin6_family = AF_INET6;
    sa6.sin6_port = htons((uint16_t)port);
    if (inet_pton(AF_INET6, bind_addr, &sa6.sin6_addr) == 1) {
        addr = (struct sockaddr *)&sa6;
        flags |= MHD_USE_IPv6;
    } else if (inet_pton(AF_INET, bind_addr, &sa.sin_addr) != 1) {
        cli_usage_error("--bind must be an IPv4 or IPv6 address, not '%s'", bind_addr);
    }

    /* Workers inherit a mask that leaves SIGINT and SIGTERM to sigwait. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    pthread_key_create(&g_key, engine_dtor);

    if (guard_start(CONN_LIMIT, CONN_RESERVE) != 0) {
        fprintf(stderr, "herald: serve: cannot start a thread: %s\n", strerror(errno));
        return CLI_EXIT_USAGE;
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, log_mhd,
        NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)CONN_TIMEOUT, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_LIMIT, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)CONN_PER_IP, MHD_OPTION_NOTIFY_CONNECTION, guard_notify, NULL, MHD_OPTION_END);
    int status = 0;
    if (d == NULL) {
        fprintf(stderr, "herald: serve: cannot listen on %s:%lld\n", bind_addr, port);
        status = CLI_EXIT_USAGE;
    } else {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        int v6 = addr != (struct sockaddr *)&sa;
        fprintf(stderr, "herald: serving %s on http://%s%s%s:%u/ (%s)\n", g_db, v6 ? "[" : "",
                bind_addr, v6 ? "]" : "", info ? (unsigned)info->port : (unsigned)port,
                g_token[0] ? "ingest open to the token" : "read-only");
        int sig;
        sigwait(&sigs, &sig);
        fprintf(stderr, "herald: serve: stopping\n");
        MHD_stop_daemon(d);
    }
    guard_stop();
    pthread_key_delete(g_key);
    hd_engine_free(g_writer);
    g_writer = NULL;
    memset(g_token, 0, sizeof g_token);
    hd_compare_model_free(g_model);
    for (size_t i = 0; i < N_WEB_FILES; i++) {
        free(web_files[i].body);
        web_files[i].body = NULL;
    }
    return status;
}
