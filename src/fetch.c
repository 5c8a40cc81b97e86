/*
** fetch.c -- pages and feeds over HTTP(S), politely, into the pipeline.
**
**   URLs -> a queue of requests -> curl's multi interface (at most
**   `parallel` transfers at once) -> per answer: robots.txt verdict,
**   redirect (a new request), retry (later), 304, or a body: a feed is
**   read item by item (items without their text queue their link), a page
**   is one article; both go through the engine like a file does.
**
** Politeness.  Before a host's first page its robots.txt is fetched (the
** verdict is kept for a day); robots.txt that is missing (4xx) allows
** everything, one that cannot be had (5xx, network) allows nothing.  One
** request at a time per host, and `host_delay` seconds (or the robots.txt
** Crawl-delay, if larger) between the end of one and the start of the
** next.  Conditional GET with the ETag and Last-Modified the store keeps;
** a feed item's link fetched before is not fetched again.  Retries after
** 5xx, 429 and network errors wait retry_delay * 2^n seconds, or longer
** when the server's Retry-After says so; a wait over retry_max gives up.
** Redirects are followed here, not by curl, so that each hop meets the
** same rules (robots.txt and rate of its own host) and a loop is seen.
**
** Bounds.  Bodies are counted after curl has undone gzip/deflate/br/zstd,
** so a decompression bomb stops at max_bytes like any large page; connect
** and total timeouts, and a low-speed cut-off for servers that trickle.
** Only http and https, no proxy, and unless allow_private every socket's
** address is checked just before connecting (curl's opensocket callback:
** the address actually resolved, for every hop), so no name can lead to a
** private, loopback, link-local or multicast address.
*/
#include "fetch.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "mem.h"
#include "read.h"
#include "robots.h"
#include "store.h"

#define HOST_BUCKETS 256
#define ROBOTS_TTL (24 * 3600.0)     /* seconds a robots.txt verdict is kept */
#define ROBOTS_FAIL_TTL 3600.0       /* ... when robots.txt could not be had */
#define HOPS_MAX 20                  /* redirects followed, whatever the option */
#define URL_MAX 8192

/*---- addresses ----*/

static int v4_public(uint32_t a) {
    static const struct { uint32_t net, mask; } blocked[] = {
        {0x00000000, 0xff000000}, /* 0/8 "this network" */
        {0x0a000000, 0xff000000}, /* 10/8 private */
        {0x64400000, 0xffc00000}, /* 100.64/10 shared (CGN) */
        {0x7f000000, 0xff000000}, /* 127/8 loopback */
        {0xa9fe0000, 0xffff0000}, /* 169.254/16 link-local */
        {0xac100000, 0xfff00000}, /* 172.16/12 private */
        {0xc0000000, 0xffffff00}, /* 192.0.0/24 protocol assignments */
        {0xc0000200, 0xffffff00}, /* 192.0.2/24 documentation */
        {0xc0586300, 0xffffff00}, /* 192.88.99/24 6to4 relays */
        {0xc0a80000, 0xffff0000}, /* 192.168/16 private */
        {0xc6120000, 0xfffe0000}, /* 198.18/15 benchmarking */
        {0xc6336400, 0xffffff00}, /* 198.51.100/24 documentation */
        {0xcb007100, 0xffffff00}, /* 203.0.113/24 documentation */
        {0xe0000000, 0xf0000000}, /* 224/4 multicast */
        {0xf0000000, 0xf0000000}, /* 240/4 reserved, broadcast */
    };
    for (size_t i = 0; i < sizeof blocked / sizeof blocked[0]; i++)
        if ((a & blocked[i].mask) == blocked[i].net) return 0;
    return 1;
}

static uint32_t v4_at(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int v6_public(const unsigned char *a) {
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0) return v4_public(v4_at(a + 12));
    if (a[0] == 0x20 && a[1] == 0x02) return v4_public(v4_at(a + 2)); /* 6to4 */
    if (a[0] == 0) return 0;                                 /* ::/8: ::, ::1, v4-compatible */
    if (a[0] == 0x01 && a[1] == 0 && a[2] == 0 && a[3] == 0) return 0; /* 100::/64 discard */
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return 0; /* doc */
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0) return 0;       /* Teredo */
    if (a[0] == 0 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b) return 0; /* local NAT64 */
    if ((a[0] & 0xfe) == 0xfc) return 0;                  /* fc00::/7 unique local */
    if (a[0] == 0xfe && (a[1] & 0x80) == 0x80) return 0;  /* fe80::/10, fec0::/10 */
    if (a[0] == 0xff) return 0;                           /* multicast */
    return 1;
}

int hd_addr_public(const struct sockaddr *sa) {
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return v4_public(ntohl(in->sin_addr.s_addr));
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        return v6_public(in6->sin6_addr.s6_addr);
    }
    return 0;
}

/*---- hosts ----*/

typedef struct host {
    struct host *next; /* hash chain */
    char *key;         /* scheme://host:port */
    hd_robots *robots; /* NULL until known */
    double robots_until;
    int robots_asked;  /* a robots.txt request is queued or running */
    int busy;          /* a request is running */
    double next_ok;    /* monotonic seconds: the next request may start */
    double delay;      /* seconds between requests */
    char refused[INET6_ADDRSTRLEN]; /* the private address it resolved to */
} host;

struct hd_fetcher {
    hd_engine *e;
    CURLM *multi;
    host *hosts[HOST_BUCKETS];
};

static double mono(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static host *host_get(hd_fetcher *f, const char *key) {
    uint32_t h = 2166136261u;
    for (const char *p = key; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    host **slot = &f->hosts[h % HOST_BUCKETS];
    for (host *x = *slot; x; x = x->next)
        if (strcmp(x->key, key) == 0) return x;
    host *x = hd_calloc(1, sizeof *x);
    if (x == NULL || (x->key = hd_strdup(key)) == NULL) {
        hd_free(x);
        return NULL;
    }
    x->next = *slot;
    *slot = x;
    return x;
}

hd_fetcher *hd_fetcher_new(hd_engine *e) {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return NULL;
    hd_fetcher *f = hd_calloc(1, sizeof *f);
    if (f == NULL || (f->multi = curl_multi_init()) == NULL) {
        hd_free(f);
        curl_global_cleanup();
        return NULL;
    }
    f->e = e;
    return f;
}

void hd_fetcher_free(hd_fetcher *f) {
    if (f == NULL) return;
    for (int i = 0; i < HOST_BUCKETS; i++)
        for (host *x = f->hosts[i], *next; x; x = next) {
            next = x->next;
            hd_robots_free(x->robots);
            hd_free(x->key);
            hd_free(x);
        }
    curl_multi_cleanup(f->multi);
    hd_free(f);
    curl_global_cleanup();
}

/*---- URLs ----*/

/* Check that `url` is http(s) with a host; fill its normal form (heap),
** host key and path+query (heap).  HD_OK, HD_EINVAL or HD_ENOMEM. */
static int url_split(const char *url, char **norm, char key[512], char **path) {
    CURLU *u = curl_url();
    char *scheme = NULL, *hostname = NULL, *port = NULL, *p = NULL, *q = NULL, *full = NULL;
    int rc = HD_EINVAL;
    *norm = *path = NULL;
    if (u == NULL) return HD_ENOMEM;
    if (strlen(url) > URL_MAX || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
        curl_url_get(u, CURLUPART_HOST, &hostname, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PATH, &p, 0) != CURLUE_OK)
        goto done;
    curl_url_get(u, CURLUPART_QUERY, &q, 0);
    if (curl_url_get(u, CURLUPART_URL, &full, 0) != CURLUE_OK) goto done;
    for (char *c = hostname; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
    snprintf(key, 512, "%s://%s:%s", scheme, hostname, port);
    size_t plen = strlen(p) + (q ? strlen(q) + 1 : 0) + 1;
    *path = hd_malloc(plen);
    *norm = hd_strdup(full);
    rc = *path && *norm ? HD_OK : HD_ENOMEM;
    if (*path) snprintf(*path, plen, "%s%s%s", p, q ? "?" : "", q ? q : "");
done:
    if (rc != HD_OK) {
        hd_free(*norm);
        hd_free(*path);
        *norm = *path = NULL;
    }
    curl_free(scheme);
    curl_free(hostname);
    curl_free(port);
    curl_free(p);
    curl_free(q);
    curl_free(full);
    curl_url_cleanup(u);
    return rc;
}

/*---- requests ----*/

enum { J_URL, J_ITEM, J_ROBOTS };

typedef struct job {
    struct job *next;      /* waiting, or running */
    int kind;
    char *url, *path;      /* this request; path+query for robots.txt */
    char *origin;          /* the URL first asked for (before redirects) */
    host *h;               /* this request's host */
    host *target;          /* J_ROBOTS: the host whose robots.txt this is */
    int attempt, hops;
    char *seen[HOPS_MAX + 1]; /* URLs of earlier hops, for loops */
    double not_before;
    /* A feed item's own fields, for a page that lacks them. */
    char *title, *site, *lang, *ext_id;
    int64_t published;
    /* The transfer. */
    CURL *easy;
    struct curl_slist *headers;
    hd_buf body;
    size_t max;
    int too_big, refused;
    char addr[INET6_ADDRSTRLEN];
    char etag[256], last_modified[64];
    char errbuf[CURL_ERROR_SIZE];
} job;

typedef struct batch {
    hd_fetcher *f;
    hd_fetch_options o;    /* with defaults filled in */
    hd_fetch_stats *st;
    char ua[512], token[64];
    job *head, *tail;      /* waiting */
    job *running;
    size_t n_jobs;         /* created in this batch */
    int active;
    int fatal;
    int full_reported;
} batch;

static void job_free(job *j) {
    if (j == NULL) return;
    hd_free(j->url);
    hd_free(j->path);
    hd_free(j->origin);
    for (int i = 0; i < j->hops && i <= HOPS_MAX; i++) hd_free(j->seen[i]);
    hd_free(j->title);
    hd_free(j->site);
    hd_free(j->lang);
    hd_free(j->ext_id);
    curl_slist_free_all(j->headers);
    hd_buf_fini(&j->body);
    hd_free(j);
}

static void problem(batch *b, const char *url, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(batch *b, const char *url, int code, const char *fmt, ...) {
    char msg[HD_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hd_engine_report(b->f->e, url, code, msg);
}

static void enqueue(batch *b, job *j, int front) {
    j->next = NULL;
    if (b->head == NULL) {
        b->head = b->tail = j;
    } else if (front) {
        j->next = b->head;
        b->head = j;
    } else {
        b->tail->next = j;
        b->tail = j;
    }
}

/* A new request for `url`, queued.  NULL when it is not queued: *rc is
** HD_OK when that was reported (not http(s), too many requests), else the
** error that stops the run. */
static job *job_add(batch *b, int kind, const char *url, const char *origin, int front, int *rc) {
    char key[512];
    job *j = NULL;
    *rc = HD_OK;
    if (b->n_jobs >= HD_FETCH_JOBS_MAX) {
        if (!b->full_reported++)
            problem(b, url, HD_ETOOBIG, "more than %d requests in one run; the rest are left",
                    HD_FETCH_JOBS_MAX);
        return NULL;
    }
    if ((j = hd_calloc(1, sizeof *j)) == NULL) goto oom;
    *rc = url_split(url, &j->url, key, &j->path);
    if (*rc == HD_EINVAL) {
        problem(b, url, HD_EINVAL, "not an http or https URL");
        job_free(j);
        *rc = HD_OK;
        return NULL;
    }
    if (*rc != HD_OK || (j->origin = hd_strdup(origin ? origin : j->url)) == NULL ||
        (j->h = host_get(b->f, key)) == NULL)
        goto oom;
    j->kind = kind;
    j->published = HD_TIME_UNKNOWN;
    b->n_jobs++;
    enqueue(b, j, front);
    return j;
oom:
    job_free(j);
    *rc = b->fatal = HD_ENOMEM;
    return NULL;
}

/*---- transfers ----*/

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
    job *j = ud;
    size_t len = size * n;
    if (j->body.len + len > j->max) {
        j->too_big = 1;
        return 0; /* abort the transfer */
    }
    return hd_buf_add(&j->body, p, len) == 0 ? len : 0;
}

static void header_value(const char *p, size_t n, size_t skip, char *out, size_t cap) {
    p += skip, n -= skip;
    while (n && (*p == ' ' || *p == '\t')) p++, n--;
    while (n && (p[n - 1] == '\r' || p[n - 1] == '\n' || p[n - 1] == ' ')) n--;
    if (n < cap) snprintf(out, cap, "%.*s", (int)n, p);
}

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
    job *j = ud;
    size_t len = size * n;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) j->etag[0] = j->last_modified[0] = '\0';
    else if (len > 5 && strncasecmp(p, "etag:", 5) == 0)
        header_value(p, len, 5, j->etag, sizeof j->etag);
    else if (len > 14 && strncasecmp(p, "last-modified:", 14) == 0)
        header_value(p, len, 14, j->last_modified, sizeof j->last_modified);
    return len;
}

static curl_socket_t on_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *a) {
    job *j = ud;
    if (purpose == CURLSOCKTYPE_IPCXN && !hd_addr_public(&a->addr)) {
        const void *ip = a->family == AF_INET6
                             ? (const void *)&((struct sockaddr_in6 *)(void *)&a->addr)->sin6_addr
                             : (const void *)&((struct sockaddr_in *)(void *)&a->addr)->sin_addr;
        inet_ntop(a->family, ip, j->addr, sizeof j->addr);
        j->refused = 1;
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

static int add_header(job *j, const char *name, const char *value) {
    char line[512];
    snprintf(line, sizeof line, "%s: %s", name, value);
    struct curl_slist *l = curl_slist_append(j->headers, line);
    if (l == NULL) return HD_ENOMEM;
    j->headers = l;
    return HD_OK;
}

/* Validators for a conditional GET, when the store has them. */
static int conditional(batch *b, job *j) {
    hd_store *st = hd_engine_store(b->f->e);
    hd_fetch_row row;
    int known = st->ops->fetch_get(st, j->url, &row);
    if (known < 0) return known;
    int rc = HD_OK;
    if (known && row.etag[0]) rc = add_header(j, "If-None-Match", row.etag);
    if (rc == HD_OK && known && row.last_modified[0])
        rc = add_header(j, "If-Modified-Since", row.last_modified);
    return rc;
}

static int job_start(batch *b, job *j) {
    const hd_fetch_options *o = &b->o;
    CURL *c = curl_easy_init();
    if (c == NULL) return HD_ENOMEM;
    j->easy = c;
    curl_slist_free_all(j->headers);
    j->headers = NULL;
    hd_buf_fini(&j->body); /* a retry's earlier answer */
    hd_buf_init(&j->body, 0);
    j->too_big = j->refused = 0;
    j->errbuf[0] = j->etag[0] = j->last_modified[0] = '\0';
    j->max = j->kind == J_ROBOTS ? HD_ROBOTS_MAX : o->max_bytes;
    int rc = j->kind == J_ROBOTS ? HD_OK : conditional(b, j);
    if (rc == HD_OK)
        rc = add_header(j, "Accept", "text/html, application/xhtml+xml, application/rss+xml, "
                                     "application/atom+xml, application/xml;q=0.9, */*;q=0.5");
    if (rc != HD_OK) return rc;
    curl_easy_setopt(c, CURLOPT_URL, j->url);
    curl_easy_setopt(c, CURLOPT_PRIVATE, j);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROXY, ""); /* the address check must see the real peer */
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, b->ua);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, j->headers);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, j);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, j->errbuf);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(o->connect_timeout * 1000));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(o->timeout * 1000));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, o->low_speed);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)(o->low_speed_time + 0.5));
    if (j->kind != J_ROBOTS) /* robots.txt: its first 500 KiB are read */
        curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->max);
    if (!o->allow_private) {
        curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_socket);
        curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, j);
    }
    if (curl_multi_add_handle(b->f->multi, c) != CURLM_OK) return HD_ENOMEM;
    j->next = b->running;
    b->running = j;
    j->h->busy = 1;
    b->active++;
    b->st->requests++;
    return HD_OK;
}

static void job_stop(batch *b, job *j) {
    for (job **pp = &b->running; *pp; pp = &(*pp)->next)
        if (*pp == j) {
            *pp = j->next;
            break;
        }
    j->next = NULL;
    curl_multi_remove_handle(b->f->multi, j->easy);
    curl_easy_cleanup(j->easy);
    j->easy = NULL;
    j->h->busy = 0;
    double next = mono() + j->h->delay;
    if (j->h->next_ok < next) j->h->next_ok = next;
    b->active--;
}

/*---- robots.txt ----*/

static void robots_set(batch *b, host *target, hd_robots *rb, double ttl) {
    if (rb == NULL) {
        b->fatal = HD_ENOMEM;
        return;
    }
    hd_robots_free(target->robots);
    target->robots = rb;
    target->refused[0] = '\0';
    target->robots_until = mono() + ttl;
    target->robots_asked = 0;
    double d = hd_robots_delay(rb);
    if (d > HD_CRAWL_DELAY_MAX) d = HD_CRAWL_DELAY_MAX;
    target->delay = d > b->o.host_delay ? d : b->o.host_delay;
}

/* Queue `h`'s robots.txt ahead of everything else. */
static void robots_ask(batch *b, host *h) {
    char url[600];
    int rc;
    snprintf(url, sizeof url, "%s/robots.txt", h->key);
    h->robots_asked = 1;
    job *j = job_add(b, J_ROBOTS, url, NULL, 1, &rc);
    if (j != NULL) j->target = h;
    else if (rc == HD_OK) robots_set(b, h, hd_robots_all(0), ROBOTS_FAIL_TTL);
}

/* What a robots.txt answer means for its host. */
static void robots_done(batch *b, job *j, long status, int ok) {
    host *t = j->target;
    if (j->refused) { /* its pages are refused the same way, in start_ready */
        robots_set(b, t, hd_robots_all(0), ROBOTS_FAIL_TTL);
        snprintf(t->refused, sizeof t->refused, "%s", j->addr);
    } else if (ok && status >= 200 && status < 300) {
        robots_set(b, t, hd_robots_parse(j->body.ptr ? j->body.ptr : "", j->body.len, b->token),
                   ROBOTS_TTL);
    } else if (ok && status >= 400 && status < 500 && status != 429) {
        robots_set(b, t, hd_robots_all(1), ROBOTS_TTL);
    } else {
        char why[CURL_ERROR_SIZE + 16];
        if (ok) snprintf(why, sizeof why, "HTTP %ld", status);
        else snprintf(why, sizeof why, "%s", j->errbuf[0] ? j->errbuf : "no answer");
        problem(b, j->url, HD_EIO, "robots.txt cannot be read (%s); nothing is fetched from %s",
                why, t->key);
        robots_set(b, t, hd_robots_all(0), ROBOTS_FAIL_TTL);
    }
}

/*---- answers ----*/

/* Another try later, if tries are left and the wait is bearable.  Returns
** 1 when queued again, 0 when no tries are left, or the wait in seconds
** the server asked for when that is longer than retry_max. */
static long retry(batch *b, job *j) {
    curl_off_t after = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER, &after);
    if (j->attempt >= b->o.retries) return 0;
    double wait = b->o.retry_delay;
    for (int i = 0; i < j->attempt; i++) wait *= 2;
    if ((double)after > wait) wait = (double)after;
    if (wait > b->o.retry_max) return (long)wait;
    j->attempt++;
    j->not_before = mono() + wait;
    if (j->h->next_ok < j->not_before) j->h->next_ok = j->not_before;
    b->st->retries++;
    return 1;
}

/* 1 when `url` was asked for earlier in this job's chain of redirects. */
static int seen_before(const job *j, const char *url) {
    if (strcmp(url, j->url) == 0 || strcmp(url, j->origin) == 0) return 1;
    for (int i = 0; i < j->hops; i++)
        if (strcmp(j->seen[i], url) == 0) return 1;
    return 0;
}

/* Follow a redirect: a new hop with this job's identity.  0 when the hop
** was queued. */
static int redirect(batch *b, job *j, long status) {
    char *to = NULL, *norm = NULL, *path = NULL, key[512];
    curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &to);
    if (to == NULL) {
        problem(b, j->origin, HD_EIO, "HTTP %ld without a Location", status);
        return -1;
    }
    int max = b->o.max_redirects < HOPS_MAX ? b->o.max_redirects : HOPS_MAX;
    int loop = url_split(to, &norm, key, &path) == HD_OK && seen_before(j, norm);
    hd_free(norm);
    hd_free(path);
    if (loop) {
        problem(b, j->origin, HD_EIO, "redirect loop: %s leads back to %s", j->url, to);
        return -1;
    }
    if (j->hops >= max) {
        problem(b, j->origin, HD_EIO, "more than %d redirects", max);
        return -1;
    }
    int rc;
    job *n = job_add(b, j->kind, to, j->origin, j->kind == J_ROBOTS, &rc);
    if (n == NULL) return -1;
    n->target = j->target;
    n->hops = j->hops + 1;
    for (int i = 0; i < j->hops; i++) n->seen[i] = j->seen[i];
    n->seen[j->hops] = j->url;
    j->url = NULL;
    j->hops = 0; /* the strings moved to the new hop */
    n->title = j->title, n->site = j->site, n->lang = j->lang, n->ext_id = j->ext_id;
    j->title = j->site = j->lang = j->ext_id = NULL;
    n->published = j->published;
    return 0;
}

/* A transfer ended without an answer.  Returns 1 when it is to be tried
** again. */
static int failed_transfer(batch *b, job *j, CURLcode res) {
    if (j->refused) {
        problem(b, j->origin, HD_EIO,
                "not fetched: %s resolves to %s, a private, loopback, link-local or multicast "
                "address", j->url, j->addr);
    } else if (j->too_big || res == CURLE_FILESIZE_EXCEEDED) {
        problem(b, j->origin, HD_ETOOBIG, "larger than the %zu-byte limit (after decompression)",
                b->o.max_bytes);
    } else {
        int transient = res == CURLE_COULDNT_CONNECT || res == CURLE_OPERATION_TIMEDOUT ||
                        res == CURLE_RECV_ERROR || res == CURLE_SEND_ERROR ||
                        res == CURLE_GOT_NOTHING || res == CURLE_PARTIAL_FILE ||
                        res == CURLE_HTTP2 || res == CURLE_HTTP2_STREAM;
        if (transient && retry(b, j) == 1) return 1;
        problem(b, j->origin, HD_EIO, "%s%s", j->errbuf[0] ? j->errbuf : curl_easy_strerror(res),
                j->attempt ? " (tried again, in vain)" : "");
    }
    b->st->failed++;
    return 0;
}

/*---- bodies into the pipeline ----*/

typedef struct got {
    batch *b;
    job *j;
    hd_unit *u;
} got;

/* A page a feed item pointed at: the item's fields fill what it lacks. */
static int got_doc(void *ud, hd_doc *d) {
    got *g = ud;
    const job *j = g->j;
    if (d->raw_title.len == 0 && j->title && *j->title)
        d->raw_title = hd_read_title(d, j->title, strlen(j->title));
    if (d->published == HD_TIME_UNKNOWN) d->published = j->published;
    if (d->lang_hint.len == 0 && j->lang) d->lang_hint = hd_doc_strdup(d, j->lang, strlen(j->lang));
    if (d->site.len == 0 && j->site) d->site = hd_doc_strdup(d, j->site, strlen(j->site));
    if (d->ext_id.len == 0 && j->ext_id) d->ext_id = hd_doc_strdup(d, j->ext_id, strlen(j->ext_id));
    return hd_engine_unit_doc(g->u, d);
}

static void got_problem(void *ud, const char *source, uint32_t line, int code, const char *msg) {
    hd_engine_unit_problem(((got *)ud)->u, source, line, code, msg);
}

static char *dup_or_null(const char *s) { return s && *s ? hd_strdup(s) : NULL; }

/* A feed item without its text: fetch its link, unless fetched before. */
static int got_link(void *ud, const hd_feed_link *l) {
    got *g = ud;
    batch *b = g->b;
    hd_store *st = hd_engine_store(b->f->e);
    hd_fetch_row row;
    char *norm = NULL, *path = NULL, key[512];
    int rc = url_split(l->url, &norm, key, &path);
    int known = rc == HD_OK ? st->ops->fetch_get(st, norm, &row) : 0;
    hd_free(norm);
    hd_free(path);
    if (rc == HD_ENOMEM || known < 0) return b->fatal = rc == HD_ENOMEM ? rc : known;
    if (known) {
        b->st->known++;
        return 0;
    }
    job *j = job_add(b, J_ITEM, l->url, NULL, 0, &rc);
    if (j == NULL && rc == HD_OK) b->st->failed++;
    if (j == NULL) return rc;
    j->title = dup_or_null(l->title);
    j->site = dup_or_null(l->site);
    j->lang = dup_or_null(l->lang);
    j->ext_id = dup_or_null(l->ext_id);
    j->published = l->published;
    return 0;
}

/* Remember the URL (and the one first asked for) with its validators. */
static int remember(batch *b, const job *j) {
    hd_store *st = hd_engine_store(b->f->e);
    hd_fetch_row row;
    memset(&row, 0, sizeof row);
    snprintf(row.etag, sizeof row.etag, "%s", j->etag);
    snprintf(row.last_modified, sizeof row.last_modified, "%s", j->last_modified);
    row.fetched = (int64_t)time(NULL);
    int rc = st->ops->fetch_put(st, j->url, &row);
    if (rc == HD_OK && strcmp(j->origin, j->url) != 0) {
        row.etag[0] = row.last_modified[0] = '\0';
        rc = st->ops->fetch_put(st, j->origin, &row);
    }
    return rc;
}

/* Read a page or a feed through the engine, in one transaction with what
** is remembered of its URL. */
static void ingest(batch *b, job *j, hd_format fmt, const char *charset) {
    int rc;
    got g = {b, j, hd_engine_unit_begin(b->f->e, &b->st->ingest, &rc)};
    if (g.u == NULL) {
        b->fatal = rc;
        return;
    }
    hd_reader r;
    memset(&r, 0, sizeof r);
    r.source = j->url;
    r.fn = got_doc;
    r.pfn = got_problem;
    r.ud = &g;
    r.article_max = HD_ARTICLE_MAX_DEFAULT;
    r.doc = hd_doc_new(0);
    const char *body = j->body.ptr ? j->body.ptr : "";
    b->st->ingest.files++;
    b->st->ingest.bytes += j->body.len;
    if (r.doc == NULL) rc = HD_ENOMEM;
    else if (fmt == HD_FMT_FEED) rc = hd_read_feed(&r, body, j->body.len, j->url, got_link, &g);
    else rc = hd_read_html_page(&r, body, j->body.len, j->url, charset);
    hd_doc_free(r.doc);
    if (rc == HD_ENOMEM) b->fatal = rc;
    if (!b->fatal && (rc = remember(b, j)) != HD_OK) b->fatal = rc;
    rc = hd_engine_unit_end(g.u, !b->fatal);
    if (rc != HD_OK && !b->fatal) b->fatal = rc;
}

static int has(const char *ct, const char *part) { return ct && strstr(ct, part) != NULL; }

/* A 200 answer: a feed, a page, or something herald does not read. */
static void answer(batch *b, job *j) {
    char *ct = NULL, cs[48];
    curl_easy_getinfo(j->easy, CURLINFO_CONTENT_TYPE, &ct);
    hd_format sniff = hd_format_guess(NULL, j->body.ptr, j->body.len);
    const char *charset = ct && hd_http_charset(ct, strlen(ct), cs, sizeof cs) ? cs : NULL;
    if (sniff == HD_FMT_FEED || has(ct, "rss+xml") || has(ct, "atom+xml") || has(ct, "rdf+xml")) {
        b->st->feeds++;
        ingest(b, j, HD_FMT_FEED, NULL);
    } else if (sniff == HD_FMT_HTML || has(ct, "html")) {
        b->st->pages++;
        ingest(b, j, HD_FMT_HTML, charset);
    } else {
        problem(b, j->origin, HD_EUNSUPPORTED, "neither an HTML page nor a feed (Content-Type %s)",
                ct ? ct : "not given");
        b->st->failed++;
    }
}

/* What a finished transfer means.  Returns 1 when the job is to be
** queued again (a retry). */
static int finish(batch *b, job *j, CURLcode res) {
    long status = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
    int ok = res == CURLE_OK;
    int busy = status == 429 || status >= 500;
    if (j->kind == J_ROBOTS) {
        if (ok && status >= 300 && status < 400) {
            if (redirect(b, j, status) != 0) robots_set(b, j->target, hd_robots_all(1), ROBOTS_TTL);
            return 0;
        }
        if (!j->refused && ((!ok && !j->too_big) || busy) && retry(b, j) == 1) return 1;
        robots_done(b, j, j->too_big ? 200 : status, ok || j->too_big);
        return 0;
    }
    if (!ok) return failed_transfer(b, j, res);
    if (status == 304) {
        b->st->not_modified++;
    } else if (status >= 300 && status < 400) {
        if (redirect(b, j, status) != 0) b->st->failed++;
    } else if (busy) {
        long r = retry(b, j);
        if (r == 1) return 1;
        if (r > 1)
            problem(b, j->origin, HD_EIO, "HTTP %ld, and the server asks to wait %ld s", status, r);
        else
            problem(b, j->origin, HD_EIO, "HTTP %ld%s", status, j->attempt ? " on every try" : "");
        b->st->failed++;
    } else if (status != 200) {
        problem(b, j->origin, HD_EIO, "HTTP %ld", status);
        b->st->failed++;
    } else {
        answer(b, j);
    }
    return 0;
}

static void collect_done(batch *b) {
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(b->f->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE) continue;
        job *j = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
        int again = finish(b, j, m->data.result);
        job_stop(b, j);
        if (again) enqueue(b, j, 0);
        else job_free(j);
    }
}

/*---- the loop ----*/

/* Take the job at *pp out of the waiting list. */
static job *unlink_at(batch *b, job **pp) {
    job *j = *pp;
    *pp = j->next;
    if (b->tail == j)
        b->tail = pp == &b->head ? NULL : (job *)(void *)((char *)pp - offsetof(job, next));
    j->next = NULL;
    return j;
}

/* Start what may start now.  Returns when something waiting may start
** next (monotonic seconds). */
static double start_ready(batch *b) {
    double now = mono(), wake = now + 1.0;
    job **pp = &b->head;
    while (*pp != NULL && b->active < b->o.parallel && !b->fatal) {
        job *j = *pp;
        host *h = j->h;
        if (j->kind != J_ROBOTS && (h->robots == NULL || h->robots_until < now)) {
            if (h->robots_asked) {
                pp = &j->next;
            } else {
                robots_ask(b, h);
                pp = &b->head; /* it went to the front */
            }
            continue;
        }
        if (j->kind != J_ROBOTS && h->refused[0]) {
            unlink_at(b, pp);
            problem(b, j->origin, HD_EIO, "not fetched: %s resolves to %s, a private, loopback, "
                    "link-local or multicast address", j->url, h->refused);
            b->st->failed++;
            job_free(j);
            continue;
        }
        if (j->kind != J_ROBOTS && !hd_robots_allowed(h->robots, j->path)) {
            unlink_at(b, pp);
            problem(b, j->origin, HD_EIO, "robots.txt of %s does not allow %s", h->key, j->path);
            b->st->robots_denied++;
            job_free(j);
            continue;
        }
        double at = h->next_ok > j->not_before ? h->next_ok : j->not_before;
        if (h->busy || now < at) {
            if (!h->busy && at < wake) wake = at;
            pp = &j->next;
            continue;
        }
        unlink_at(b, pp);
        int rc = job_start(b, j);
        if (rc != HD_OK) {
            b->fatal = rc;
            if (j->easy) curl_easy_cleanup(j->easy);
            j->easy = NULL;
            job_free(j);
        }
    }
    return wake;
}

static void defaults(hd_fetch_options *o, const hd_fetch_options *given) {
    if (given) *o = *given;
    else memset(o, 0, sizeof *o);
    if (o->parallel <= 0) o->parallel = 8;
    if (o->host_delay <= 0) o->host_delay = 1.0;
    if (o->connect_timeout <= 0) o->connect_timeout = 10;
    if (o->timeout <= 0) o->timeout = 60;
    if (o->low_speed <= 0) o->low_speed = 100;
    if (o->low_speed_time <= 0) o->low_speed_time = 10;
    if (o->max_bytes == 0) o->max_bytes = HD_ARTICLE_MAX_DEFAULT;
    if (o->max_redirects <= 0) o->max_redirects = 5;
    if (o->retries == 0) o->retries = 3;
    if (o->retries < 0) o->retries = 0;
    if (o->retry_delay <= 0) o->retry_delay = 1.0;
    if (o->retry_max <= 0) o->retry_max = 300;
}

/* The product token robots.txt groups are matched against: the User-Agent
** up to its first character that is not a letter, '-' or '_'. */
static void product_token(const char *ua, char *out, size_t cap) {
    size_t n = 0;
    while (n + 1 < cap && (((ua[n] | 32) >= 'a' && (ua[n] | 32) <= 'z') || ua[n] == '-' ||
                           ua[n] == '_'))
        out[n] = ua[n], n++;
    out[n] = '\0';
}

/* Drop what is left after a fatal error: waiting and running requests. */
static void drain(batch *b) {
    while (b->running) {
        job *j = b->running;
        job_stop(b, j);
        job_free(j);
    }
    for (job *j = b->head, *next; j; j = next) {
        next = j->next;
        job_free(j);
    }
    b->head = b->tail = NULL;
}

int hd_fetcher_run(hd_fetcher *f, const char *const *urls, size_t n, const hd_fetch_options *o,
                   hd_fetch_stats *st) {
    hd_fetch_stats ignore = {0};
    batch b;
    memset(&b, 0, sizeof b);
    b.f = f;
    b.st = st ? st : &ignore;
    memset(b.st, 0, sizeof *b.st);
    defaults(&b.o, o);
    if (b.o.user_agent && *b.o.user_agent) snprintf(b.ua, sizeof b.ua, "%s", b.o.user_agent);
    else snprintf(b.ua, sizeof b.ua, "herald/%s (+%s)", hd_version(), HD_PROJECT_URL);
    product_token(b.ua, b.token, sizeof b.token);
    for (host **slot = f->hosts; slot < f->hosts + HOST_BUCKETS; slot++)
        for (host *h = *slot; h; h = h->next) {
            double d = h->robots ? hd_robots_delay(h->robots) : 0;
            if (d > HD_CRAWL_DELAY_MAX) d = HD_CRAWL_DELAY_MAX;
            h->delay = d > b.o.host_delay ? d : b.o.host_delay;
        }
    for (size_t i = 0; i < n && !b.fatal; i++) {
        int rc;
        if (job_add(&b, J_URL, urls[i], NULL, 0, &rc) == NULL && rc == HD_OK) b.st->failed++;
    }
    while (!b.fatal && (b.head != NULL || b.active > 0)) {
        double wake = start_ready(&b);
        if (b.fatal || (b.head == NULL && b.active == 0)) break;
        double ms = (wake - mono()) * 1000;
        int running;
        curl_multi_poll(f->multi, NULL, 0, ms < 0 ? 0 : ms > 1000 ? 1000 : (int)ms + 1, NULL);
        curl_multi_perform(f->multi, &running);
        collect_done(&b);
    }
    drain(&b);
    return b.fatal;
}
