/*
** fetch.c -- `herald fetch URL...` and `herald watch FEEDS_FILE`: pages and
** feeds over HTTP(S) into the database (the library's hd_engine_fetch does
** the fetching, politely; this file reads options, prints, and loops).
**
** watch fetches every feed in the file, then sleeps `--interval` seconds
** and starts again; conditional GET and the memory of fetched links make
** a pass over unchanged feeds cost one small request per feed.  A signal
** during the sleep ends the loop; during a pass it stops herald at once,
** which is safe: each page and feed is committed as one transaction.
*/
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "herald.h"

#define FEEDS_FILE_MAX (1u << 20)
#define FEEDS_MAX 10000

typedef struct fetch_opts {
    const char *db;
    hd_fetch_options f;
    double interval;
    int once;
    const char **args;
    int nargs;
} fetch_opts;

static double number(const char *opt, const char *v, double min) {
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v || *end || !(x >= min))
        cli_usage_error("%s needs a number of at least %g, not '%s'", opt, min, v);
    return x;
}

/* 0 retries is -1 to the library (0 there means its default). */
static int retries(const char *opt, const char *v) {
    int r = (int)number(opt, v, 0);
    return r > 0 ? r : -1;
}

static void parse(int argc, char **argv, int watch, fetch_opts *o) {
    o->args = calloc((size_t)argc + 1, sizeof *o->args);
    if (o->args == NULL) cli_usage_error("%s", "out of memory");
    o->interval = 900;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;
        if (strcmp(a, "--allow-private") == 0) o->f.allow_private = 1, takes = 0;
        else if (watch && strcmp(a, "--once") == 0) o->once = 1, takes = 0;
        else if (a[0] != '-' || strcmp(a, "-") == 0) o->args[o->nargs++] = a, takes = 0;
        else if (v == NULL) cli_usage_error("%s needs a value", a);
        else if (strcmp(a, "--db") == 0) o->db = v;
        else if (watch && strcmp(a, "--interval") == 0) o->interval = number(a, v, 1);
        else if (strcmp(a, "--delay") == 0) o->f.host_delay = number(a, v, 0.001);
        else if (strcmp(a, "--timeout") == 0) o->f.timeout = number(a, v, 0.001);
        else if (strcmp(a, "--connect-timeout") == 0) o->f.connect_timeout = number(a, v, 0.001);
        else if (strcmp(a, "--low-speed") == 0) o->f.low_speed = (long)number(a, v, 1);
        else if (strcmp(a, "--low-speed-time") == 0) o->f.low_speed_time = number(a, v, 1);
        else if (strcmp(a, "--max-bytes") == 0) o->f.max_bytes = (size_t)number(a, v, 1);
        else if (strcmp(a, "--parallel") == 0) o->f.parallel = (int)number(a, v, 1);
        else if (strcmp(a, "--retries") == 0) o->f.retries = retries(a, v);
        else if (strcmp(a, "--retry-delay") == 0) o->f.retry_delay = number(a, v, 0.001);
        else if (strcmp(a, "--retry-max") == 0) o->f.retry_max = number(a, v, 0.001);
        else if (strcmp(a, "--max-redirects") == 0) o->f.max_redirects = (int)number(a, v, 1);
        else cli_usage_error("unknown option '%s'", a);
        i += takes;
    }
}

static hd_engine *open_engine(const char *db) {
    hd_engine_config cfg = {0};
    cfg.db_path = cli_db_path(db);
    cfg.on_problem = cli_on_problem;
    hd_err err = {0};
    hd_engine *e = hd_engine_new(&cfg, &err);
    if (e == NULL) fprintf(stderr, "herald: %s\n", err.msg[0] ? err.msg : hd_strerror(err.code));
    return e;
}

static unsigned long long u(uint64_t v) { return (unsigned long long)v; }

static void summary(const hd_fetch_stats *s) {
    fprintf(stderr,
            "herald: %llu requests: %llu pages, %llu feeds, %llu not modified, %llu links known, "
            "%llu refused by robots.txt, %llu retries, %llu failed; %llu articles: %llu stored, "
            "%llu already stored, %llu failed\n",
            u(s->requests), u(s->pages), u(s->feeds), u(s->not_modified), u(s->known),
            u(s->robots_denied), u(s->retries), u(s->failed), u(s->ingest.articles),
            u(s->ingest.stored), u(s->ingest.existing), u(s->ingest.failed));
}

/* One pass over `urls`: 0, CLI_EXIT_PARTIAL or CLI_EXIT_USAGE. */
static int pass(hd_engine *e, const char *const *urls, size_t n, const fetch_opts *o) {
    hd_fetch_stats st;
    int rc = hd_engine_fetch(e, urls, n, &o->f, &st);
    summary(&st);
    if (rc != HD_OK) {
        fprintf(stderr, "herald: stopped: %s: %s\n", hd_strerror(rc),
                hd_store_errmsg(hd_engine_store(e)));
        return CLI_EXIT_USAGE;
    }
    return st.failed || st.robots_denied || st.ingest.failed ? CLI_EXIT_PARTIAL : 0;
}

int cli_fetch(int argc, char **argv, const char *db) {
    fetch_opts o = {.db = db};
    parse(argc, argv, 0, &o);
    if (o.nargs == 0) cli_usage_error("%s", "fetch needs at least one URL");
    hd_engine *e = open_engine(o.db);
    int status = e ? pass(e, o.args, (size_t)o.nargs, &o) : CLI_EXIT_USAGE;
    hd_engine_free(e);
    free(o.args);
    return status;
}

/*---- watch ----*/

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

/* Sleep `s` seconds, or until a signal. */
static void nap(double s) {
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    for (double left = s; left > 0 && !stop; left -= 0.2) {
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
}

/* The URLs in a feeds file: one per line; blank lines and # comments
** skipped.  `buf` is modified in place; returns the count or -1. */
static int feed_urls(char *buf, size_t len, const char **urls, int max) {
    int n = 0;
    for (char *p = buf, *end = buf + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *e = nl ? nl : end;
        *e = '\0';
        while (*p == ' ' || *p == '\t') p++;
        char *t = e;
        while (t > p && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r')) *--t = '\0';
        if (*p && *p != '#') {
            if (n == max) return -1;
            urls[n++] = p;
        }
        p = e + 1;
    }
    return n;
}

int cli_watch(int argc, char **argv, const char *db) {
    fetch_opts o = {.db = db};
    parse(argc, argv, 1, &o);
    if (o.nargs != 1) cli_usage_error("%s", "watch needs one FEEDS_FILE (one feed URL per line)");
    FILE *f = strcmp(o.args[0], "-") == 0 ? stdin : fopen(o.args[0], "rb");
    size_t len = 0;
    char *buf = f ? cli_slurp(f, FEEDS_FILE_MAX, &len) : NULL;
    if (f && f != stdin) fclose(f);
    static const char *urls[FEEDS_MAX];
    int n = buf ? feed_urls(buf, len, urls, FEEDS_MAX) : 0;
    if (buf == NULL || n <= 0) {
        fprintf(stderr, "herald: %s: %s\n", o.args[0],
                buf == NULL ? strerror(errno) : n < 0 ? "more than 10000 feeds" : "no feed URLs");
        free(buf);
        free(o.args);
        return CLI_EXIT_USAGE;
    }
    hd_engine *e = open_engine(o.db);
    int status = CLI_EXIT_USAGE;
    while (e != NULL && !stop) {
        status = pass(e, urls, (size_t)n, &o);
        if (o.once || status == CLI_EXIT_USAGE) break;
        nap(o.interval);
    }
    hd_engine_free(e);
    free(buf);
    free(o.args);
    return status;
}
