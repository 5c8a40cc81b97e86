/*
** buf.c -- growable byte buffer (see buf.h).
*/
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "herald.h"
#include "mem.h"

void hd_buf_init(hd_buf *b, size_t max) {
    memset(b, 0, sizeof *b);
    b->max = max;
}

void hd_buf_fini(hd_buf *b) {
    hd_free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

void hd_buf_reset(hd_buf *b) {
    b->len = 0;
    b->failed = 0;
    if (b->ptr) b->ptr[0] = '\0';
}

static int fail(hd_buf *b, int code) {
    hd_buf_fini(b);
    b->failed = code;
    return code;
}

int hd_buf_add(hd_buf *b, const void *p, size_t len) {
    if (b->failed) return b->failed;
    if (len > SIZE_MAX - b->len - 1) return fail(b, HD_ETOOBIG);
    size_t need = b->len + len + 1;
    if (b->max && need - 1 > b->max) return fail(b, HD_ETOOBIG);
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        char *q = hd_realloc(b->ptr, cap);
        if (q == NULL) return fail(b, HD_ENOMEM);
        b->ptr = q;
        b->cap = cap;
    }
    if (len) memcpy(b->ptr + b->len, p, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return HD_OK;
}

int hd_buf_adds(hd_buf *b, const char *s) { return hd_buf_add(b, s, strlen(s)); }

int hd_buf_addc(hd_buf *b, char c) { return hd_buf_add(b, &c, 1); }

int hd_buf_printf(hd_buf *b, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return fail(b, HD_EINVAL);
    if ((size_t)n < sizeof small) return hd_buf_add(b, small, (size_t)n);
    char *big = hd_malloc((size_t)n + 1);
    if (big == NULL) return fail(b, HD_ENOMEM);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = hd_buf_add(b, big, (size_t)n);
    hd_free(big);
    return rc;
}

char *hd_buf_take(hd_buf *b, size_t *len) {
    if (b->failed) return NULL;
    if (b->ptr == NULL && hd_buf_add(b, "", 0) != HD_OK) return NULL;
    char *p = b->ptr;
    if (len) *len = b->len;
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}
