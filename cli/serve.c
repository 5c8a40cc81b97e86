/*
** serve.c -- herald serve: the read-only HTTP API and the web page.
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
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "herald.h"

#define URL_MAX 2048            /* bytes of a request path */
#define PARAM_MAX 200           /* bytes of one query value */
#define CONN_MEMORY (32u << 10) /* request line + headers per connection */
#define CONN_TIMEOUT 15         /* seconds of idleness before closing */
#define CONN_LIMIT 256
#define SIMILAR_MAX 50

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
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(r, "Allow", "GET, HEAD");
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
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

static enum MHD_Result api_entities(struct MHD_Connection *c, hd_engine *e) {
    static const char *const allowed[] = {"id", NULL};
    enum MHD_Result res;
    if (check_params(c, allowed, &res)) return res;
    const char *id = arg(c, "id");
    if (id && !valid_key(id)) return send_error(c, MHD_HTTP_BAD_REQUEST, "malformed entity id");
    char *out = NULL;
    int rc = hd_store_entities_json(hd_engine_store(e), id, &out);
    if (rc != HD_OK) return send_error(c, status_of(rc), "%s", hd_strerror(rc));
    if (id && strcmp(out, "[]") == 0) {
        hd_free(out);
        return send_error(c, MHD_HTTP_NOT_FOUND, "no entity '%s'", id);
    }
    return send_json(c, MHD_HTTP_OK, out);
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
    json_t *a = json_array();
    for (int i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:f,s:f}", "id", hits[i].id, "lang",
                                           hits[i].lang, "overall", hits[i].overall,
                                           "translation", hits[i].translation));
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
    /* Profiles may teach the registry new spellings: nothing is kept. */
    hd_store_begin(st);
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
        for (int i = 0; i < cmp.n_ev; i++)
            json_array_append_new(ev, json_pack("{s:s,s:s,s:f}", "kind",
                                                cmp.ev[i].kind >= HD_EV_ENTITY &&
                                                        cmp.ev[i].kind <= HD_EV_PASSAGE
                                                    ? kinds[cmp.ev[i].kind]
                                                    : kinds[0],
                                                "label",
                                                cmp.ev[i].label ? cmp.ev[i].label : "", "score",
                                                cmp.ev[i].score));
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
    if ((rest = after(url, "/api/similar/")) && *rest) return api_similar(c, e, rest);
    if (strcmp(url, "/api/compare") == 0) return api_compare(c, e);
    return send_error(c, MHD_HTTP_NOT_FOUND, "no such endpoint");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_len, void **state) {
    (void)cls, (void)version, (void)upload, (void)upload_len, (void)state;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET is allowed");
    /* microhttpd has percent-decoded the path; '..' never names anything. */
    if (strlen(url) > URL_MAX) return send_error(c, MHD_HTTP_URI_TOO_LONG, "URL too long");
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

int cli_serve(int argc, char **argv, const char *db) {
    const char *bind_addr = "127.0.0.1", *web_dir = "web";
    long long port = 8080, threads = 4;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--db") == 0 && v) db = v, i++;
        else if (strcmp(a, "--bind") == 0 && v) bind_addr = v, i++;
        else if (strcmp(a, "--static") == 0 && v) web_dir = v, i++;
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

    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, bind_addr, &sa.sin_addr) != 1)
        cli_usage_error("--bind must be an IPv4 address, not '%s'", bind_addr);

    /* Workers inherit a mask that leaves SIGINT and SIGTERM to sigwait. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    pthread_key_create(&g_key, engine_dtor);

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG, (uint16_t)port, NULL,
        NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)CONN_TIMEOUT, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_LIMIT, MHD_OPTION_END);
    int status = 0;
    if (d == NULL) {
        fprintf(stderr, "herald: serve: cannot listen on %s:%lld\n", bind_addr, port);
        status = CLI_EXIT_USAGE;
    } else {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        fprintf(stderr, "herald: serving %s on http://%s:%u/\n", g_db, bind_addr,
                info ? (unsigned)info->port : (unsigned)port);
        int sig;
        sigwait(&sigs, &sig);
        fprintf(stderr, "herald: serve: stopping\n");
        MHD_stop_daemon(d);
    }
    pthread_key_delete(g_key);
    hd_compare_model_free(g_model);
    for (size_t i = 0; i < N_WEB_FILES; i++) {
        free(web_files[i].body);
        web_files[i].body = NULL;
    }
    return status;
}
