/*
** serve_guard.h -- deadlines and room for new clients in herald serve
** (serve_guard.c).  serve.c registers guard_notify as microhttpd's
** connection callback and tells the guard where each request stands.
*/
#ifndef HERALD_SERVE_GUARD_H
#define HERALD_SERVE_GUARD_H

#include <microhttpd.h>
#include <stddef.h>

typedef struct guard_stats {
    unsigned long slow_headers; /* closed: headers not in within the deadline */
    unsigned long slow_bodies;  /* closed: body below the minimum rate */
    unsigned long slow_readers; /* closed: answer not taken within the deadline */
    unsigned long evicted;      /* closed to make room for a new client */
    unsigned open;              /* connections open now */
} guard_stats;

/* Start the reaper; more than limit - reserve open connections make each
** new one close the slowest.  0 on success. */
int guard_start(unsigned limit, unsigned reserve);
void guard_stop(void);

/* MHD_OPTION_NOTIFY_CONNECTION's callback. */
void guard_notify(void *cls, struct MHD_Connection *c, void **ctx,
                  enum MHD_ConnectionNotificationCode code);

/* A request's headers are in (with_body: a body follows); body bytes
** arrived; the body is in and the request is being handled; a response is
** queued; the request is complete (the connection waits for the next). */
void guard_request(struct MHD_Connection *c, int with_body);
void guard_body(struct MHD_Connection *c, size_t n);
void guard_busy(struct MHD_Connection *c);
void guard_sending(struct MHD_Connection *c);
void guard_done(struct MHD_Connection *c);

void guard_get_stats(guard_stats *out);

#endif
