/*
** buf.h -- a growable heap byte buffer with a hard size cap (curl dynbuf).
**
** On any failure the buffer frees its contents and refuses further appends
** until hd_buf_reset(); callers may check once at the end.
*/
#ifndef HD_BUF_H
#define HD_BUF_H

#include <stddef.h>

typedef struct hd_buf {
    char *ptr;  /* NUL-terminated contents, or NULL when empty */
    size_t len; /* bytes, excluding the NUL */
    size_t cap; /* allocated bytes */
    size_t max; /* hard cap on len; 0 = none */
    int failed; /* sticky error code (HD_ENOMEM or HD_ETOOBIG) or 0 */
} hd_buf;

void hd_buf_init(hd_buf *b, size_t max);
void hd_buf_fini(hd_buf *b);
void hd_buf_reset(hd_buf *b); /* keep capacity, drop contents and error */
int hd_buf_add(hd_buf *b, const void *p, size_t len);
int hd_buf_adds(hd_buf *b, const char *s);
int hd_buf_addc(hd_buf *b, char c);
int hd_buf_printf(hd_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Hand the contents to the caller (free with hd_free); the buffer becomes
** empty.  Returns NULL after a failure. */
char *hd_buf_take(hd_buf *b, size_t *len);

#endif
