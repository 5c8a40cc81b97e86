/*
** serve_guard.c -- herald serve's guard against slow and greedy clients.
**
** microhttpd's idle timeout is reset by every byte, so a client that drips
** one byte every few seconds holds its connection for ever, and a few
** hundred of them hold every slot.  The guard gives each request deadlines
** that bytes do not reset:
**
**   headers   the whole request line and headers within HEAD_MS of the
**             connection's start (or of the end of its previous request,
**             for a kept-alive connection);
**   body      after BODY_GRACE_MS, at least BODY_RATE bytes a second on
**             average;
**   answer    the response sent within SEND_MS of being queued (a client
**             that reads one byte at a time holds no slot for long).
**
** And it keeps room for new clients: when more than CONN_HIGH connections
** are open, each new one closes the oldest that is still sending its
** headers (a real client sends them in one go, so that is the slowest).
**
** microhttpd has no call to close a connection from outside its own
** threads; the guard shuts the socket down (shutdown(2)), which the
** connection's thread then sees as the client leaving, and closes.  The
** socket stays open (the descriptor cannot be reused) until microhttpd
** tells the guard that the connection is closed, and both happen under
** the guard's lock, so the guard never touches a descriptor it does not
** own.  A reaper thread checks the deadlines twice a second.
*/
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "serve_guard.h"

#define HEAD_MS 10000        /* request line and headers */
#define BODY_GRACE_MS 5000   /* before the body's rate is judged */
#define BODY_RATE 16384      /* bytes per second, on average, after the grace */
#define SEND_MS 60000        /* a queued response, sent */
#define TICK_MS 500
#define REPORT_MS 10000      /* at most one line on stderr per this long */

enum { PH_HEAD, PH_BODY, PH_BUSY, PH_SEND };

typedef struct gconn {
    struct gconn *prev, *next;
    int fd;
    int phase;
    int cut;       /* shut down by the guard */
    int64_t since; /* start of the phase, ms */
    uint64_t body; /* bytes of this request's body so far */
} gconn;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_wake = PTHREAD_COND_INITIALIZER;
static gconn *g_head;       /* open connections, in order of arrival */
static unsigned g_open;     /* connections in the list */
static unsigned g_high;     /* above this many, a new one evicts the slowest */
static int g_stop;
static pthread_t g_reaper;
static int g_started;
static guard_stats g_stats; /* under g_lock */
static guard_stats g_said;  /* what the last report said */
static int64_t g_said_at;

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void cut(gconn *g, unsigned long *counter) {
    if (g->cut) return;
    g->cut = 1;
    (*counter)++;
    shutdown(g->fd, SHUT_RDWR);
}

static gconn *ctx_of(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* The oldest connection still in its headers, not cut yet; NULL if none. */
static gconn *slowest_head(void) {
    gconn *best = NULL;
    for (gconn *g = g_head; g; g = g->next)
        if (!g->cut && g->phase == PH_HEAD && (best == NULL || g->since < best->since)) best = g;
    return best;
}

void guard_notify(void *cls, struct MHD_Connection *c, void **ctx,
                  enum MHD_ConnectionNotificationCode code) {
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        gconn *g = ci ? calloc(1, sizeof *g) : NULL;
        *ctx = g;
        if (g == NULL) return; /* unguarded: microhttpd's own timeout still applies */
        g->fd = ci->connect_fd;
        g->phase = PH_HEAD;
        g->since = now_ms();
        pthread_mutex_lock(&g_lock);
        g->next = g_head;
        if (g_head) g_head->prev = g;
        g_head = g;
        g_open++;
        if (g_open > g_high) {
            gconn *victim = slowest_head();
            if (victim && victim != g) cut(victim, &g_stats.evicted);
        }
        pthread_mutex_unlock(&g_lock);
        return;
    }
    gconn *g = *ctx;
    if (g == NULL) return;
    pthread_mutex_lock(&g_lock);
    if (g->prev) g->prev->next = g->next;
    else g_head = g->next;
    if (g->next) g->next->prev = g->prev;
    g_open--;
    pthread_mutex_unlock(&g_lock);
    free(g);
    *ctx = NULL;
}

static void set_phase(struct MHD_Connection *c, int phase) {
    gconn *g = ctx_of(c);
    if (g == NULL) return;
    pthread_mutex_lock(&g_lock);
    g->phase = phase;
    g->since = now_ms();
    if (phase == PH_HEAD || phase == PH_BODY) g->body = 0;
    pthread_mutex_unlock(&g_lock);
}

void guard_request(struct MHD_Connection *c, int with_body) {
    set_phase(c, with_body ? PH_BODY : PH_BUSY);
}

void guard_body(struct MHD_Connection *c, size_t n) {
    gconn *g = ctx_of(c);
    if (g == NULL) return;
    pthread_mutex_lock(&g_lock);
    g->body += n;
    pthread_mutex_unlock(&g_lock);
}

void guard_busy(struct MHD_Connection *c) { set_phase(c, PH_BUSY); }

void guard_sending(struct MHD_Connection *c) { set_phase(c, PH_SEND); }

void guard_done(struct MHD_Connection *c) { set_phase(c, PH_HEAD); }

static void check_deadlines(int64_t now) {
    for (gconn *g = g_head; g; g = g->next) {
        if (g->cut) continue;
        int64_t age = now - g->since;
        if (g->phase == PH_HEAD && age > HEAD_MS) cut(g, &g_stats.slow_headers);
        else if (g->phase == PH_BODY && age > BODY_GRACE_MS &&
                 g->body < (uint64_t)(age - BODY_GRACE_MS) * BODY_RATE / 1000)
            cut(g, &g_stats.slow_bodies);
        else if (g->phase == PH_SEND && age > SEND_MS) cut(g, &g_stats.slow_readers);
    }
}

static void *reaper(void *arg) {
    (void)arg;
    pthread_mutex_lock(&g_lock);
    while (!g_stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += TICK_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&g_wake, &g_lock, &ts);
        if (g_stop) break;
        int64_t now = now_ms();
        check_deadlines(now);
        /* One line now and then while clients are being cut, not one per
        ** connection: an attack must not flood the log. */
        unsigned long total = g_stats.slow_headers + g_stats.slow_bodies +
                              g_stats.slow_readers + g_stats.evicted;
        unsigned long said = g_said.slow_headers + g_said.slow_bodies + g_said.slow_readers +
                             g_said.evicted;
        if (total != said && now - g_said_at >= REPORT_MS) {
            fprintf(stderr,
                    "herald: serve: closed slow connections: %lu in their headers, %lu "
                    "sending their body, %lu reading the answer, %lu to make room (%u open)\n",
                    g_stats.slow_headers - g_said.slow_headers,
                    g_stats.slow_bodies - g_said.slow_bodies,
                    g_stats.slow_readers - g_said.slow_readers,
                    g_stats.evicted - g_said.evicted, g_open);
            g_said = g_stats;
            g_said_at = now;
        }
    }
    pthread_mutex_unlock(&g_lock);
    return NULL;
}

int guard_start(unsigned limit, unsigned reserve) {
    g_high = limit > reserve ? limit - reserve : limit / 2;
    g_stop = 0;
    g_said_at = now_ms();
    if (pthread_create(&g_reaper, NULL, reaper, NULL) != 0) return -1;
    g_started = 1;
    return 0;
}

void guard_stop(void) {
    if (!g_started) return;
    pthread_mutex_lock(&g_lock);
    g_stop = 1;
    pthread_cond_signal(&g_wake);
    pthread_mutex_unlock(&g_lock);
    pthread_join(g_reaper, NULL);
    g_started = 0;
}

void guard_get_stats(guard_stats *out) {
    pthread_mutex_lock(&g_lock);
    *out = g_stats;
    out->open = g_open;
    pthread_mutex_unlock(&g_lock);
}
